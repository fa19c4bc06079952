// Same-source (同源) comparison of department guide publications with the platform's
// (domain.md §3): normalisation and the per-item mismatch report.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/dataset.h"
#include "core/status.h"

namespace govqm {

// The compared key fields, in the order of domain.md §3.
inline constexpr std::array<std::string_view, 8> kGuideKeyFields = {
    "name", "legal_basis", "conditions", "materials", "time_limit_days", "fee", "location",
    "contact"};

// One department publication that differs from the platform's in at least one key field.
struct GuideMismatch {
  std::string item_code;
  std::string platform_region;  // the platform publication's region_code
  std::string platform_dept;    // the platform publication's dept_code
  std::string source;           // the department publication's source
  std::string source_dept;      // the department publication's dept_code
  std::vector<std::string_view> fields;  // names from kGuideKeyFields
};

// Every department publication (latest per source and item, published_at < to_ms) whose item
// has a platform publication and which mismatches it, sorted by item then source.
Result<std::vector<GuideMismatch>> SameSourceMismatches(const Dataset& data, int64_t to_ms);

// NFKC, then every Unicode White_Space character removed. Invalid UTF-8 is compared as is.
std::string NormalizeGuideText(std::string_view text);
// Whether two values of key field `field` (index into kGuideKeyFields) match.
bool GuideFieldsMatch(int field, std::string_view a, std::string_view b);

}  // namespace govqm

namespace govqm {

// The comparison of one platform item with its department publications; the base measures of
// the same-source indicators.
struct SameSourceItem {
  size_t platform_row = 0;  // row in Dataset::guides of the platform's latest publication
  int dept_pubs = 0;        // department publications compared
  int dept_pubs_matching = 0;
  int fields_compared = 0;
  int fields_matching = 0;
};

// One entry per item with a platform publication (latest, published_at < to_ms; no
// published_at = oldest). When `mismatches` is given, appends the differing publications.
std::vector<SameSourceItem> CompareSameSource(const Table& guides, int64_t to_ms,
                                              std::vector<GuideMismatch>* mismatches);

}  // namespace govqm

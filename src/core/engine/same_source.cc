#include "core/engine/same_source.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace govqm {
namespace {

constexpr int kGuideFieldColumns[] = {guide_col::kName,       guide_col::kLegalBasis,
                                      guide_col::kConditions, guide_col::kMaterials,
                                      guide_col::kTimeLimitDays, guide_col::kFee,
                                      guide_col::kLocation,   guide_col::kContact};
constexpr int kMaterialsField = 3;
constexpr int kTimeLimitField = 4;

// Splits normalised materials on ; , 、 (full-width ；，already folded by NFKC) into a sorted
// set: order and repeats do not matter.
std::vector<std::string> MaterialSet(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  auto flush = [&](size_t end) {
    if (end > start) out.emplace_back(s.substr(start, end - start));
  };
  for (size_t i = 0; i < s.size();) {
    if (s[i] == ';' || s[i] == ',') {
      flush(i);
      start = ++i;
    } else if (s.compare(i, 3, "\xE3\x80\x81") == 0) {  // 、 U+3001
      flush(i);
      i += 3;
      start = i;
    } else {
      ++i;
    }
  }
  flush(s.size());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool ParseNumber(const std::string& s, double* v) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, *v);
  return ec == std::errc() && p == end;
}

}  // namespace

std::string NormalizeGuideText(std::string_view text) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
  if (U_FAILURE(err)) return std::string(text);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString norm = nfkc->normalize(in, err);
  if (U_FAILURE(err)) return std::string(text);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < norm.length();) {
    const UChar32 c = norm.char32At(i);
    if (!u_isUWhiteSpace(c)) kept.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

bool GuideFieldsMatch(int field, std::string_view a, std::string_view b) {
  const std::string na = NormalizeGuideText(a);
  const std::string nb = NormalizeGuideText(b);
  if (field == kMaterialsField) return MaterialSet(na) == MaterialSet(nb);
  if (field == kTimeLimitField) {
    double x, y;
    if (ParseNumber(na, &x) && ParseNumber(nb, &y)) return x == y;
  }
  return na == nb;
}

std::vector<SameSourceItem> CompareSameSource(const Table& guides, int64_t to_ms,
                                              std::vector<GuideMismatch>* mismatches) {
  std::vector<SameSourceItem> items;
  const Column& source = guides.col(guide_col::kSource);
  const Column& item = guides.col(guide_col::kItemCode);
  const Column& published = guides.col(guide_col::kPublishedAt);
  const uint32_t platform = source.dict.Find("platform");
  if (platform == kNullCode) return items;

  // Latest publication per (item, source): published_at < to; null is the oldest (kNullTime
  // sorts first); on a tie the later row wins.
  std::unordered_map<uint64_t, size_t> latest;
  for (size_t r = 0; r < guides.rows(); ++r) {
    if (item.codes[r] == kNullCode || source.codes[r] == kNullCode) continue;
    const int64_t t = published.times[r];
    if (t != kNullTime && t >= to_ms) continue;
    const uint64_t key = (uint64_t{item.codes[r]} << 32) | source.codes[r];
    auto [it, inserted] = latest.emplace(key, r);
    if (!inserted && published.times[it->second] <= t) it->second = r;
  }
  // Per item: the platform row and the department rows.
  std::unordered_map<uint32_t, size_t> platform_row;
  std::vector<std::pair<uint32_t, size_t>> dept_rows;  // (item code, row)
  for (const auto& [key, row] : latest) {
    const uint32_t it = static_cast<uint32_t>(key >> 32);
    if (static_cast<uint32_t>(key) == platform) {
      platform_row[it] = row;
    } else {
      dept_rows.emplace_back(it, row);
    }
  }
  std::sort(dept_rows.begin(), dept_rows.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return item.dict[a.first] < item.dict[b.first];
    return source.dict[source.codes[a.second]] < source.dict[source.codes[b.second]];
  });
  std::unordered_map<uint32_t, size_t> index;  // item code -> position in `items`
  std::vector<std::pair<uint32_t, size_t>> plats(platform_row.begin(), platform_row.end());
  std::sort(plats.begin(), plats.end(),
            [&](const auto& a, const auto& b) { return item.dict[a.first] < item.dict[b.first]; });
  for (const auto& [it, row] : plats) {
    index[it] = items.size();
    items.push_back(SameSourceItem{row});
  }
  for (const auto& [it, row] : dept_rows) {
    auto pos = index.find(it);
    if (pos == index.end()) continue;  // no platform publication: nothing to compare with
    SameSourceItem& s = items[pos->second];
    GuideMismatch mm;
    int matching = 0;
    for (int f = 0; f < static_cast<int>(kGuideKeyFields.size()); ++f) {
      const Column& c = guides.col(kGuideFieldColumns[f]);
      if (GuideFieldsMatch(f, c.TextAt(s.platform_row), c.TextAt(row))) {
        ++matching;
      } else {
        mm.fields.push_back(kGuideKeyFields[f]);
      }
    }
    ++s.dept_pubs;
    s.fields_compared += static_cast<int>(kGuideKeyFields.size());
    s.fields_matching += matching;
    if (mm.fields.empty()) {
      ++s.dept_pubs_matching;
    } else if (mismatches != nullptr) {
      mm.item_code = item.dict[it];
      mm.platform_region = guides.col(guide_col::kRegionCode).CodeAt(s.platform_row);
      mm.platform_dept = guides.col(guide_col::kDeptCode).CodeAt(s.platform_row);
      mm.source = source.dict[source.codes[row]];
      mm.source_dept = guides.col(guide_col::kDeptCode).CodeAt(row);
      mismatches->push_back(std::move(mm));
    }
  }
  return items;
}

Result<std::vector<GuideMismatch>> SameSourceMismatches(const Dataset& data, int64_t to_ms) {
  std::vector<GuideMismatch> out;
  CompareSameSource(data.guides, to_ms, &out);
  return out;
}

}  // namespace govqm

// The deterministic synthetic province behind `govqm generate`: Guangxi (450000), its 14
// prefecture-level cities and some of their districts, city departments, service items, a
// year of transactions with their evaluations and bad-review rectification cases, platform
// probes, service-guide publications and quarterly org indicators, written as the nine
// canonical CSV inputs of domain.md §2.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace govqm {

struct GenerateOptions {
  std::string out_dir;
  int64_t scale = 100000;  // number of transactions
  uint64_t seed = 1;
  int year = 2024;
};

// Rows written per file (header excluded).
struct GenerateSummary {
  int64_t regions, departments, items, transactions, evaluations, rectifications, probes, guides,
      org;
};

// Creates options.out_dir if missing and writes regions.csv, departments.csv, items.csv,
// transactions.csv, evaluations.csv, rectifications.csv, probes.csv, guides.csv and org.csv
// (UTF-8, RFC 4180 quoting, LF line ends, header = canonical columns in schema order).
// Exactly options.scale transactions are submitted within options.year (local time,
// Asia/Shanghai); outcomes (completion, evaluations, rectification events, reporting) are
// recorded up to an extraction cut-off of 15 January of the next year. The same options
// always give byte-identical files; reference data (regions, departments, items, guides,
// probes, org) depends on seed and year only, not on scale.
// Planted situations, for the alerts and the diagnosis to find: 玉林市
// (450900) gets three times its bad reviews from 1 July, most of them about its new online
// system ("system_error", comments on failed submissions); 贺州市's platform (451100) is down
// from 22 to 24 July; the usual cities, departments and windows keep their known traits.
// Errors: kUsage for scale < 0 or a year outside 1971..2199, kIo when a file cannot be written.
// Streams rows to disk: memory stays small (one day of transactions) at any scale.
Result<GenerateSummary> GenerateProvince(const GenerateOptions& options);

}  // namespace govqm

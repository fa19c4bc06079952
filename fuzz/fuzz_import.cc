// One input file end to end (ParseRecords): decoding, format sniffing, CSV / NDJSON / JSON
// array, validation, duplicates, the rejects file. The first byte picks the kind and the
// file's extension; the rest is the file. Counts must add up and the rejects text must be
// CSV that reads back with one record per rejection plus the header.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/time_zone.h"
#include "fuzz_check.h"
#include "ingest/csv_reader.h"
#include "ingest/importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"f.csv", "f.ndjson", "f.json", "f.txt"};
  const auto kind = static_cast<govqm::Kind>(data[0] % govqm::kKindCount);
  const char* name = kNames[(data[0] / govqm::kKindCount) % 4];
  const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const govqm::FixedOffsetZone zone(8 * 3600 * 1000);
  govqm::ParseOptions options;
  options.kind = kind;
  options.zone = &zone;
  auto parsed = govqm::ParseRecords(bytes, name, options);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().message().find('\n') == std::string::npos);
    return 0;
  }
  const int64_t rejected = static_cast<int64_t>(parsed->rejections.size());
  const int64_t kept = static_cast<int64_t>(parsed->rows.rows() + parsed->rest.rows());
  FUZZ_CHECK(rejected <= parsed->read);
  FUZZ_CHECK(kept + parsed->replaced_in_file == parsed->read - rejected);
  FUZZ_CHECK(parsed->identity_hashes.size() == parsed->rows.rows());
  if (rejected > 0) {
    const std::string text = govqm::RenderRejects(*parsed);
    govqm::CsvReader reader(text);
    govqm::CsvRecord rec;
    govqm::Status error;
    int64_t records = 0;
    size_t width = 0;
    while (reader.Next(&rec, &error)) {
      if (records == 0) width = rec.fields.size();
      FUZZ_CHECK(rec.fields.size() == width);
      ++records;
    }
    FUZZ_CHECK(error.ok());
    FUZZ_CHECK(records == rejected + 1);
  }
  return 0;
}

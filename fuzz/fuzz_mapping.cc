// The column-mapping TOML, for every kind: never crashes, errors are one line naming the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/schema.h"
#include "fuzz_check.h"
#include "ingest/mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the kind, the rest is the file.
  const auto kind = static_cast<govqm::Kind>(data[0] % govqm::kKindCount);
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto m = govqm::ParseMapping(text, "map.toml", govqm::GetKindDef(kind));
  if (!m.ok()) {
    FUZZ_CHECK(m.status().message().rfind("map.toml", 0) == 0);
    FUZZ_CHECK(m.status().message().find('\n') == std::string::npos);
  }
  return 0;
}

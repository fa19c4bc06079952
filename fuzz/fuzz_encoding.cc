// Decoding: whatever the bytes and the declared encoding, a success is valid UTF-8, and auto
// detection never converts what is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include <simdjson.h>

#include "fuzz_check.h"
#include "ingest/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const bool valid = simdjson::validate_utf8(bytes.data(), bytes.size());
  for (auto e : {govqm::Encoding::kAuto, govqm::Encoding::kUtf8, govqm::Encoding::kGb18030,
                 govqm::Encoding::kLatin1}) {
    auto r = govqm::ToUtf8(bytes, "f.csv", e);
    if (r.ok()) {
      FUZZ_CHECK(simdjson::validate_utf8(r->text.data(), r->text.size()));
      if (e == govqm::Encoding::kAuto && valid) FUZZ_CHECK(r->encoding == "UTF-8");
    } else {
      FUZZ_CHECK(e != govqm::Encoding::kLatin1);
      FUZZ_CHECK(r.status().message().rfind("f.csv:", 0) == 0);
      FUZZ_CHECK(r.status().message().find('\n') == std::string::npos);
    }
  }
  return 0;
}

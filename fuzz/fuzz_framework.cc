// The framework TOML (framework/framework.h): never crashes, errors are one line.
#include <cstddef>
#include <cstdint>
#include <string>

#include "framework/framework.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto f = govqm::ParseFramework(text, "framework.toml");
  if (!f.ok()) FUZZ_CHECK(f.status().message().find('\n') == std::string::npos);
  return 0;
}

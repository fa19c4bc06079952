// Scalar parsers, checked against independent readings: an int32 read must equal strtoll's
// reading of the digits, a real must equal strtod's, and a well-formed number out of range
// must be reported as such, never as garbage nor as a value.
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_check.h"
#include "ingest/value_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string s(reinterpret_cast<const char*>(data), size);
  int8_t b = 7;
  if (govqm::ParseBool(s, &b)) FUZZ_CHECK(b == 0 || b == 1);
  const std::string t(govqm::TrimAscii(s));
  FUZZ_CHECK(t.size() <= s.size());

  int32_t i = 0;
  const govqm::NumberError ie = govqm::ReadInt32(s, &i);
  if (ie == govqm::NumberError::kNone) {
    // t is [+-]digits[.0*]; strtoll reads the integer part.
    errno = 0;
    const long long want = std::strtoll(t.c_str(), nullptr, 10);
    FUZZ_CHECK(errno == 0 && want == i);
  }
  if (ie == govqm::NumberError::kTooLarge || ie == govqm::NumberError::kTooSmall) {
    errno = 0;
    const long long v = std::strtoll(t.c_str(), nullptr, 10);
    FUZZ_CHECK(errno == ERANGE || v > INT32_MAX || v < INT32_MIN);
    FUZZ_CHECK((ie == govqm::NumberError::kTooSmall) == (t[0] == '-'));
  }
  FUZZ_CHECK(ie != govqm::NumberError::kUnderflow);

  double d = 0;
  const govqm::NumberError de = govqm::ReadReal(s, &d);
  if (de != govqm::NumberError::kSyntax) {
    // strtod accepts every from_chars spelling we accept (hex and inf/nan are refused first).
    const std::string body = !t.empty() && t[0] == '+' ? t.substr(1) : t;
    char* end = nullptr;
    errno = 0;
    const double want = std::strtod(body.c_str(), &end);
    FUZZ_CHECK(end == body.c_str() + body.size());
    if (de == govqm::NumberError::kNone) {
      FUZZ_CHECK(std::isfinite(d));
      FUZZ_CHECK(want == d || (std::fpclassify(want) == FP_SUBNORMAL));
    } else if (de == govqm::NumberError::kUnderflow) {
      FUZZ_CHECK(errno == ERANGE && std::fabs(want) <= 2.3e-308);
    } else {
      FUZZ_CHECK(errno == ERANGE && std::isinf(want));
      FUZZ_CHECK((de == govqm::NumberError::kTooSmall) == (want < 0));
    }
  }
  return 0;
}

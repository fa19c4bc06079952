// The one Status → exit code mapping (architecture.md: 0 ok, 1 bad input, 2 usage).
#include <gtest/gtest.h>

#include "cli/commands_internal.h"

namespace govqm::cli {
namespace {

TEST(ExitCode, EveryStatusCode) {
  const std::pair<StatusCode, int> cases[] = {
      {StatusCode::kOk, 0},
      {StatusCode::kUsage, 2},
      {StatusCode::kInvalidInput, 1},
      {StatusCode::kNotFound, 1},
      {StatusCode::kAlreadyExists, 1},
      {StatusCode::kPermissionDenied, 1},
      {StatusCode::kUnauthenticated, 1},
      {StatusCode::kFailedPrecondition, 1},
      {StatusCode::kIo, 1},
      {StatusCode::kInternal, 1},
  };
  for (const auto& [code, exit] : cases) {
    EXPECT_EQ(ExitCode(Status(code, "m")), exit) << static_cast<int>(code);
  }
}

}  // namespace
}  // namespace govqm::cli

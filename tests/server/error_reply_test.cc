// The error body of service.md §3 (ErrorReply), without a server.
#include <gtest/gtest.h>

#include "server/service.h"

namespace govqm::server {
namespace {

TEST(ErrorReply, ShapeAndCode) {
  const Reply r = ErrorReply(404, "no such import");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "{\"error\": {\"code\": \"not_found\", \"message\": \"no such import\"}}\n");
}

// Found by fuzz_api: a message echoing a parameter with a line break (any bytes come in a
// query) was two lines for the client and for the log; and bytes that are not UTF-8 made the
// body invalid JSON.
TEST(ErrorReply, RegressionEchoedControlBytesAndBadUtf8StayOneLineOfJson) {
  const Reply r = ErrorReply(400, "/metrics takes no parameter 'a\nb\x01\x7f\xFF'");
  // In the JSON text: a backslash is "\\"; U+FFFD is the bytes EF BF BD.
  EXPECT_EQ(r.body,
            "{\"error\": {\"code\": \"bad_request\", \"message\": \"/metrics takes no parameter "
            "'a\\\\nb\\\\x01\\\\x7f\xEF\xBF\xBD'\"}}\n");
}

}  // namespace
}  // namespace govqm::server

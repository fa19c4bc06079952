// One HTTP(S) POST, through libcurl (the webhook of `govqm alerts --deliver`, service.md §7):
// the adapter that keeps libcurl at the edge, as platform/http_probe.h does for the prober.
// It reports what happened; whether that counts as delivered, and retrying, are the caller's.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace govqm::platform {

struct HttpPostRequest {
  std::string url;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // (name, value), sent as given
  int64_t timeout_ms = 10000;  // the whole transfer, connection included
  std::string ca_file;         // PEM file of CAs to trust instead of the system's; "" = system
};

struct HttpPostResult {
  int status_code = 0;     // 0 = no HTTP answer (then `error` says why)
  bool timed_out = false;  // the transfer passed timeout_ms
  std::string error;       // libcurl's message when the transfer failed; "" when it did not
};

// Performs one POST of request.body to request.url, following no redirects (a 3xx is the
// answer); the peer and host name are verified for https. No "Expect: 100-continue" (a
// receiver that ignores it would cost a second per request). Never throws; thread-safe.
HttpPostResult HttpPost(const HttpPostRequest& request);

}  // namespace govqm::platform

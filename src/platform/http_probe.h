// One HTTP(S) GET for the prober (service.md §8), through libcurl: the adapter at the edge that
// keeps libcurl out of every other module. It reports what happened; judging it (status,
// text, certificate expiry) is app/probe.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace govqm::platform {

struct HttpCheckRequest {
  std::string url;
  int64_t timeout_ms = 5000;  // the whole transfer, connection included
  std::string ca_file;        // PEM file of CAs to trust instead of the system's; "" = system
};

struct HttpCheckResult {
  enum class Failure { kNone, kTimeout, kTls, kConnect, kOther };
  Failure failure = Failure::kNone;
  std::string error;        // libcurl's message when failure != kNone
  int status_code = 0;      // 0 = no HTTP answer
  double latency_ms = 0;    // from the start of the request to the end of the body
  std::string body;         // at most kMaxBody bytes
  // For https: when the server's certificate stops being valid (ms since the epoch, UTC).
  std::optional<int64_t> cert_not_after_ms;
};

inline constexpr size_t kMaxBody = 4 << 20;

// Performs one GET of request.url, following no redirects; the peer and host name are
// verified for https (a failure is kTls). Never throws; thread-safe (one handle per call).
HttpCheckResult HttpCheck(const HttpCheckRequest& request);

}  // namespace govqm::platform

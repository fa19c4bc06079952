#include "server/metrics.h"

#include <fmt/format.h>

namespace govqm::server {

std::string PromLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Metrics::Observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Latency& l = latency_[route];
  for (size_t b = 0; b < kBuckets.size(); ++b) {
    if (seconds <= kBuckets[b]) ++l.buckets[b];
  }
  ++l.count;
  l.sum += seconds;
}

std::string Metrics::Text(const std::string& extra) const {
  std::lock_guard lock(mu_);
  std::string out =
      "# HELP govqm_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE govqm_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += fmt::format("govqm_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                       PromLabel(key.first), key.second, n);
  }
  out +=
      "# HELP govqm_http_request_duration_seconds Time from request to response, by route.\n"
      "# TYPE govqm_http_request_duration_seconds histogram\n";
  for (const auto& [route, l] : latency_) {
    const std::string r = PromLabel(route);
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      out += fmt::format("govqm_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         r, kBuckets[b], l.buckets[b]);
    }
    out += fmt::format("govqm_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       r, l.count);
    out += fmt::format("govqm_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, l.sum);
    out += fmt::format("govqm_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r, l.count);
  }
  return out + extra;
}

}  // namespace govqm::server

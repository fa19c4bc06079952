// What /metrics says (service.md §2), in the Prometheus text format: requests by route and
// status, a latency histogram per route, and gauges the caller adds (rows by kind, the last
// import). Routes are the route patterns, never the raw paths (ids, names stay out).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace govqm::server {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,   1,    2.5,   5,    10};
  void Observe(const std::string& route, int status, double seconds);
  // The requests and latency families; `extra` (already in the text format) is appended.
  std::string Text(const std::string& extra) const;

 private:
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Latency> latency_;
};

// A Prometheus label value: backslash, quote and newline escaped.
std::string PromLabel(const std::string& value);

}  // namespace govqm::server

// The server's memory of answers (service.md §5): a response computed for one state of the
// store (its commit counter) is kept and served again until the store changes. Keys hold
// everything the answer depends on: the route, its canonical parameters, and who may see
// what (role and scope). Concurrent requests for the same missing answer compute it once.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/status.h"

namespace govqm::server {

struct CachedAnswer {
  Status status;      // an error is not kept, only handed to the waiting requests
  std::string body;   // JSON
};

class ResponseCache {
 public:
  explicit ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The answer for `key` at commit counter `generation`: kept, or made by `compute` (once,
  // however many ask at the same time). A new generation forgets every older answer.
  std::shared_ptr<const CachedAnswer> Get(int64_t generation, const std::string& key,
                                          const std::function<CachedAnswer()>& compute);
  size_t entries() const;
  size_t bytes() const;

 private:
  struct Slot;
  size_t max_bytes_;
  mutable std::mutex mu_;
  int64_t generation_ = -1;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
  std::list<std::string> lru_;  // most recently used first
  size_t bytes_ = 0;
};

}  // namespace govqm::server

// Loaded columns kept between requests (service.md §5: "the server keeps loaded columns ...
// in memory and answers a period it has seen from them"). The server asks for the dataset
// of a scope; it is loaded whole once per commit of the store and scope, and every later
// request for any period or grouping computes from memory instead of reading the store.
// A commit by any process (the store's commit counter) forgets every kept dataset.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "core/access.h"
#include "core/engine/dataset.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm::app {

class DatasetMemory {
 public:
  // At most `max_scopes` datasets (one per scope asked for) are kept, least recently used
  // first out.
  explicit DatasetMemory(size_t max_scopes) : max_scopes_(max_scopes) {}

  // The whole dataset of `store` in `scope` (records outside it dropped, as
  // LoadScopedDataset does), at the store's current commit. Loaded once however many ask at
  // the same time. Thread-safe; `store` is used by this thread only.
  Result<std::shared_ptr<const Dataset>> Get(const Store& store, const AccessScope& scope);

 private:
  struct Slot {
    std::mutex mu;  // held while loading: others asking for the same scope wait for it
    bool loaded = false;
    Status status;
    std::shared_ptr<const Dataset> data;
  };
  size_t max_scopes_;
  std::mutex mu_;
  int64_t generation_ = -1;
  std::list<std::pair<std::string, std::shared_ptr<Slot>>> slots_;  // most recent first
};

}  // namespace govqm::app

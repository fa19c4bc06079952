// Stores for request threads: a Store is used by one thread at a time, so the server keeps a
// few open on the same file and lends them out. Opening costs a few milliseconds; a lent
// store comes back when its Lease dies.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace govqm::server {

class StorePool {
 public:
  StorePool(std::string path, size_t max_open) : path_(std::move(path)), max_(max_open) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (store_) pool_->Return(std::move(store_));
    }
    Store& operator*() const { return *store_; }
    Store* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  // A store for this thread; waits while all `max_open` are lent.
  Result<Lease> Acquire();
  const std::string& path() const { return path_; }

 private:
  void Return(std::unique_ptr<Store> store);

  std::string path_;
  size_t max_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Store>> idle_;
  size_t open_ = 0;
};

}  // namespace govqm::server

#include "server/store_pool.h"

namespace govqm::server {

Result<StorePool::Lease> StorePool::Acquire() {
  std::unique_lock lock(mu_);
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
  if (!idle_.empty()) {
    std::unique_ptr<Store> store = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(store));
  }
  ++open_;
  lock.unlock();
  auto opened = Store::Open(path_);
  if (!opened.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    returned_.notify_one();
    return opened.status();
  }
  return Lease(this, std::move(opened).value());
}

void StorePool::Return(std::unique_ptr<Store> store) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(store));
  returned_.notify_one();
}

}  // namespace govqm::server

#include "server/cache.h"

#include <condition_variable>

namespace govqm::server {

struct ResponseCache::Slot {
  std::condition_variable ready_cv;
  bool ready = false;
  std::shared_ptr<const CachedAnswer> answer;
  std::list<std::string>::iterator lru;
  bool in_lru = false;
};

std::shared_ptr<const CachedAnswer> ResponseCache::Get(
    int64_t generation, const std::string& key, const std::function<CachedAnswer()>& compute) {
  std::unique_lock lock(mu_);
  if (generation != generation_) {
    if (generation < generation_) {  // an older state than the cache's: answer, keep nothing
      lock.unlock();
      return std::make_shared<const CachedAnswer>(compute());
    }
    slots_.clear();  // waiters keep their own Slot alive through shared_ptr
    lru_.clear();
    bytes_ = 0;
    generation_ = generation;
  }
  auto it = slots_.find(key);
  if (it != slots_.end()) {
    std::shared_ptr<Slot> slot = it->second;
    slot->ready_cv.wait(lock, [&] { return slot->ready; });
    if (slot->in_lru) lru_.splice(lru_.begin(), lru_, slot->lru);
    return slot->answer;
  }
  auto slot = std::make_shared<Slot>();
  slots_.emplace(key, slot);
  lock.unlock();
  auto answer = std::make_shared<const CachedAnswer>(compute());
  lock.lock();
  slot->answer = answer;
  slot->ready = true;
  slot->ready_cv.notify_all();
  auto now = slots_.find(key);
  if (now == slots_.end() || now->second != slot) return answer;  // forgotten meanwhile
  if (!answer->status.ok() || answer->body.size() > max_bytes_ / 4) {
    slots_.erase(now);  // errors are not kept; nor is one answer that would crowd out all
    return answer;
  }
  lru_.push_front(key);
  slot->lru = lru_.begin();
  slot->in_lru = true;
  bytes_ += answer->body.size() + key.size();
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    auto victim = slots_.find(lru_.back());
    if (victim != slots_.end()) {
      bytes_ -= victim->second->answer->body.size() + victim->first.size();
      slots_.erase(victim);
    }
    lru_.pop_back();
  }
  return answer;
}

size_t ResponseCache::entries() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace govqm::server

#include "app/dataset_memory.h"

#include "app/scope.h"

namespace govqm::app {
namespace {

std::string KeyOf(const AccessScope& scope) {
  std::string key = scope.region + "|";
  for (const std::string& d : scope.depts) key += d + ",";
  return key;
}

}  // namespace

Result<std::shared_ptr<const Dataset>> DatasetMemory::Get(const Store& store,
                                                          const AccessScope& scope) {
  GOVQM_ASSIGN_OR_RETURN(const int64_t generation, store.CommitCounter());
  const std::string key = KeyOf(scope);
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mu_);
    if (generation != generation_) {  // the store changed: nothing kept is current
      slots_.clear();
      generation_ = generation;
    }
    for (auto it = slots_.begin(); it != slots_.end(); ++it) {
      if (it->first == key) {
        slot = it->second;
        slots_.splice(slots_.begin(), slots_, it);
        break;
      }
    }
    if (!slot) {
      slot = std::make_shared<Slot>();
      slots_.emplace_front(key, slot);
      if (slots_.size() > max_scopes_) slots_.pop_back();
    }
  }
  std::lock_guard lock(slot->mu);
  if (!slot->loaded) {
    // Loaded after the counter was read: at worst newer than its key, and then loaded again
    // at the next request, which sees the newer counter.
    auto data = LoadScopedDataset(store, scope);
    slot->status = data.status();
    if (data.ok()) slot->data = std::make_shared<const Dataset>(std::move(data).value());
    slot->loaded = true;
  }
  if (!slot->status.ok()) {
    Status failed = slot->status;
    std::lock_guard map_lock(mu_);  // an error is not kept: the next request tries again
    slots_.remove_if([&](const auto& entry) { return entry.second == slot; });
    return failed;
  }
  return slot->data;
}

}  // namespace govqm::app

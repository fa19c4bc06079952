#include "store/store.h"

#include "store/sqlite/sqlite_store.h"

namespace govqm {

// The embedded backend is the only one so far; a ClickHouse store will be chosen here from
// what the store's meta records.
Result<std::unique_ptr<Store>> Store::Create(const std::string& path, const std::string& zone,
                                             StoreOptions options) {
  return SqliteStore::Create(path, zone, std::move(options));
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  return SqliteStore::Open(path, std::move(options));
}

Store::ReadSnapshot::~ReadSnapshot() {
  if (store_ != nullptr) store_->EndSnapshot();
}

Result<Store::ReadSnapshot> Store::Snapshot() const {
  GOVQM_RETURN_IF_ERROR(BeginSnapshot());
  return ReadSnapshot(this);
}

Store::WriteTransaction::~WriteTransaction() {
  if (store_ != nullptr) store_->Rollback();
}

Status Store::WriteTransaction::Commit() {
  if (store_ == nullptr) return Status::Internal("store: write transaction already ended");
  Store* store = store_;
  store_ = nullptr;
  return store->Commit();
}

Result<Store::WriteTransaction> Store::BeginWrite() {
  GOVQM_RETURN_IF_ERROR(Begin());
  return WriteTransaction(this);
}

}  // namespace govqm

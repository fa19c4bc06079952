#include "store/store.h"

#include <unistd.h>

#include "store/clickhouse/clickhouse_store.h"
#include "store/sqlite/sqlite_store.h"

namespace govqm {

// The SQLite file is every store's catalog; its settings say whether the facts live in
// ClickHouse (store/clickhouse/).
Result<std::unique_ptr<Store>> Store::Create(const std::string& path, const std::string& zone,
                                             StoreOptions options, const StoreBackend& backend) {
  GOVQM_ASSIGN_OR_RETURN(std::unique_ptr<Store> local,
                         SqliteStore::Create(path, zone, std::move(options)));
  if (backend.url.empty()) return local;
  const std::string made = local->path();
  auto store = ClickHouseStore::Attach(std::move(local), {backend.url, backend.cluster});
  if (!store.ok()) ::unlink(made.c_str());  // whole or not at all: no store without its facts
  return store;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  GOVQM_ASSIGN_OR_RETURN(std::unique_ptr<Store> local, SqliteStore::Open(path, std::move(options)));
  GOVQM_ASSIGN_OR_RETURN(const std::optional<std::string> url, local->GetSetting(kBackendSetting));
  if (!url || url->empty()) return local;
  GOVQM_ASSIGN_OR_RETURN(const std::optional<std::string> cluster,
                         local->GetSetting(kClusterSetting));
  return ClickHouseStore::Open(std::move(local), {*url, cluster ? *cluster : ""});
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

// The ClickHouse backend (service.md §11): transactions and evaluations in ClickHouse
// (MergeTree tables partitioned by month, behind a Distributed table over a cluster's
// shards), everything else — reference data, rectifications, probes, guides, org, settings,
// the import log, cases, users and audit — in the SQLite store file beside it, which also
// records the backend and which imports are committed (fact_tables.h says how that gives
// exactly-once, all-or-nothing imports). The engine reads the facts as partials computed by
// GROUP BY in ClickHouse (Store::facts(), core/engine/facts.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/clickhouse.h"
#include "store/clickhouse/fact_tables.h"
#include "store/store.h"

namespace govqm {

using ClickHouseBackend = StoreBackend;  // url clickhouse://HOST:PORT/DATABASE

// The settings keys of the SQLite store that name its backend.
inline constexpr const char* kBackendSetting = "backend";
inline constexpr const char* kClusterSetting = "backend.cluster";

class ClickHouseStore final : public Store {
 public:
  // Makes `local` (a new, empty SQLite store) the catalog of a ClickHouse backend: creates
  // the database and tables on every shard and records the backend in local's settings.
  static Result<std::unique_ptr<Store>> Attach(std::unique_ptr<Store> local,
                                               const ClickHouseBackend& backend);
  // Wraps an opened store whose settings name a ClickHouse backend.
  static Result<std::unique_ptr<Store>> Open(std::unique_ptr<Store> local,
                                             const ClickHouseBackend& backend);
  ~ClickHouseStore() override;

  const std::string& zone() const override { return local_->zone(); }
  const std::string& path() const override { return local_->path(); }
  bool read_only() const override { return local_->read_only(); }

  Status Begin() override;
  Status Commit() override;
  void Rollback() override;

  Result<AppendStats> Append(const Table& rows, const std::vector<uint64_t>& hashes) override;
  // Each Append looks up the rows it replaces among all stored ids: few, big appends.
  size_t append_batch_rows() const override { return 2u << 20; }
  Result<Table> Load(Kind kind, const std::vector<int>* columns = nullptr) const override;
  Result<std::unique_ptr<TableSource>> OpenSource(Kind kind,
                                                  std::vector<int> columns) const override;
  Result<std::vector<std::string>> ColumnDictionary(Kind kind, int col) const override;
  Result<int64_t> CountRows(Kind kind) const override;

  Status PutSetting(const std::string& key, const std::string& value) override;
  Result<std::optional<std::string>> GetSetting(const std::string& key) const override;
  Status LogImport(const ImportRecord& record) override;
  Result<std::string> LastImportAt() const override;
  Result<bool> AlertDelivered(const std::string& url, const std::string& identity) const override;
  Status MarkAlertDelivered(const std::string& url, const std::string& identity,
                            int64_t at_ms) override;
  Result<int64_t> CommitCounter() const override;
  Result<CompactStats> CompactSegments(double min_dead_share) override;
  Result<CompactStats> Compact() override;
  Status BackupTo(const std::string& path) const override;
  Status RestoreFrom(const std::string& path) override;
  const FactAggregator* facts() const override;

  // For the aggregator and tests: the live-row condition of a kind as of now (or the
  // snapshot), the client, the names.
  Result<std::string> Live(Kind kind) const;
  const platform::ClickHouseClient& client() const { return *client_; }
  const clickhouse::Names& names() const { return names_; }

 protected:
  Status BeginSnapshot() const override;
  void EndSnapshot() const override;

 private:
  ClickHouseStore(std::unique_ptr<Store> local, platform::ClickHouseEndpoint endpoint);
  Status CreateTables() const;
  Result<std::vector<uint64_t>> Committed() const;
  Result<bool> AnySuperseded(Kind kind) const;
  Result<Table> LoadWhere(Kind kind, const std::vector<int>* columns,
                          const std::string& extra_condition) const;

  std::unique_ptr<Store> local_;
  platform::ClickHouseEndpoint endpoint_;
  std::unique_ptr<platform::ClickHouseClient> client_;
  clickhouse::Names names_;
  // Sequences appended under the open write transaction, and how many rows each kind's
  // appends superseded (committed with them).
  std::vector<uint64_t> pending_;
  int64_t pending_superseded_[2] = {0, 0};
  bool writing_ = false;
  mutable std::vector<ReadSnapshot> snapshots_;  // local's, one per nested BeginSnapshot
  std::unique_ptr<FactAggregator> facts_;
};

// The aggregator of a ClickHouse store (clickhouse_facts.cc).
std::unique_ptr<FactAggregator> MakeClickHouseFacts(const ClickHouseStore& store);

}  // namespace govqm

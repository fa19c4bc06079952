#include "store/clickhouse/clickhouse_store.h"

#include <fmt/format.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>

#include "core/engine/facts.h"

namespace govqm {
namespace {

constexpr const char* kCommittedSetting = "clickhouse.committed";

std::string SupersededSetting(Kind kind) {
  return fmt::format("clickhouse.superseded.{}", GetKindDef(kind).name);
}
int FactIndex(Kind kind) { return kind == Kind::kTransactions ? 0 : 1; }

// A fresh sequence number: random, so one never committed (a killed import's) is never
// reused and its rows stay invisible.
Result<uint64_t> FreshSequence() {
  uint64_t v = 0;
  while (v == 0) {
    if (getrandom(&v, sizeof v, 0) != sizeof v) return Status::Io("no random numbers (getrandom)");
    v >>= 1;  // fits Int64 too, for tools that read it signed
  }
  return v;
}

}  // namespace

ClickHouseStore::ClickHouseStore(std::unique_ptr<Store> local, platform::ClickHouseEndpoint endpoint)
    : local_(std::move(local)),
      endpoint_(std::move(endpoint)),
      client_(std::make_unique<platform::ClickHouseClient>(
          endpoint_, platform::ClickHouseClientOptions{
                         // An insert returns once every shard has its rows: a commit that
                         // follows makes visible what is really there.
                         .settings = {{"insert_distributed_sync", "1"}}})) {
  names_.database = endpoint_.database;
  names_.cluster = endpoint_.cluster;
  facts_ = MakeClickHouseFacts(*this);
}

ClickHouseStore::~ClickHouseStore() = default;

Result<std::unique_ptr<Store>> ClickHouseStore::Attach(std::unique_ptr<Store> local,
                                                       const ClickHouseBackend& backend) {
  GOVQM_ASSIGN_OR_RETURN(platform::ClickHouseEndpoint endpoint,
                         platform::ParseClickHouseUrl(backend.url, backend.cluster));
  std::unique_ptr<ClickHouseStore> store(new ClickHouseStore(std::move(local), endpoint));
  GOVQM_RETURN_IF_ERROR(store->CreateTables());
  GOVQM_ASSIGN_OR_RETURN(Store::WriteTransaction tx, store->local_->BeginWrite());
  GOVQM_RETURN_IF_ERROR(store->local_->PutSetting(kBackendSetting, platform::ClickHouseUrl(endpoint)));
  GOVQM_RETURN_IF_ERROR(store->local_->PutSetting(kClusterSetting, endpoint.cluster));
  GOVQM_RETURN_IF_ERROR(store->local_->PutSetting(kCommittedSetting, ""));
  GOVQM_RETURN_IF_ERROR(tx.Commit());
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> ClickHouseStore::Open(std::unique_ptr<Store> local,
                                                     const ClickHouseBackend& backend) {
  GOVQM_ASSIGN_OR_RETURN(platform::ClickHouseEndpoint endpoint,
                         platform::ParseClickHouseUrl(backend.url, backend.cluster));
  return std::unique_ptr<Store>(new ClickHouseStore(std::move(local), endpoint));
}

Status ClickHouseStore::CreateTables() const {
  const std::vector<std::string> statements = clickhouse::CreateStatements(names_);
  // ON CLUSTER needs ZooKeeper: each shard is given the DDL itself.
  platform::ClickHouseEndpoint initiator = endpoint_;
  initiator.database = "default";  // the database may not exist yet
  const platform::ClickHouseClient first = client_->ForEndpoint(initiator);
  GOVQM_ASSIGN_OR_RETURN(const std::vector<platform::ClickHouseClusterHost> hosts,
                         first.ListClusterHosts());
  for (const platform::ClickHouseClusterHost& host : hosts) {
    platform::ClickHouseEndpoint server = host.endpoint;
    server.database = "default";
    const platform::ClickHouseClient shard = client_->ForEndpoint(server);
    for (const std::string& sql : statements) GOVQM_RETURN_IF_ERROR(shard.Query(sql).status());
  }
  return Status::Ok();
}

Status ClickHouseStore::Begin() {
  GOVQM_RETURN_IF_ERROR(local_->Begin());
  writing_ = true;
  pending_.clear();
  pending_superseded_[0] = pending_superseded_[1] = 0;
  return Status::Ok();
}

Status ClickHouseStore::Commit() {
  if (writing_ && !pending_.empty()) {
    // The facts are on the shards already (inserts are synchronous); naming their sequences
    // committed in the SQLite store's transaction is what makes them visible, all at once.
    GOVQM_ASSIGN_OR_RETURN(std::vector<uint64_t> committed, Committed());
    committed.insert(committed.end(), pending_.begin(), pending_.end());
    GOVQM_RETURN_IF_ERROR(
        local_->PutSetting(kCommittedSetting, clickhouse::SequenceList(committed)));
    for (Kind kind : {Kind::kTransactions, Kind::kEvaluations}) {
      const int64_t more = pending_superseded_[FactIndex(kind)];
      if (more == 0) continue;
      GOVQM_ASSIGN_OR_RETURN(std::optional<std::string> had,
                             local_->GetSetting(SupersededSetting(kind)));
      const int64_t before = had ? std::atoll(had->c_str()) : 0;
      GOVQM_RETURN_IF_ERROR(
          local_->PutSetting(SupersededSetting(kind), std::to_string(before + more)));
    }
  }
  writing_ = false;
  pending_.clear();
  return local_->Commit();
}

void ClickHouseStore::Rollback() {
  // Rows already sent stay under sequences never committed: invisible (compact removes them).
  writing_ = false;
  pending_.clear();
  local_->Rollback();
}

Result<std::vector<uint64_t>> ClickHouseStore::Committed() const {
  GOVQM_ASSIGN_OR_RETURN(std::optional<std::string> text, local_->GetSetting(kCommittedSetting));
  std::vector<uint64_t> seqs = clickhouse::ParseSequenceList(text ? *text : "");
  return seqs;
}

Result<bool> ClickHouseStore::AnySuperseded(Kind kind) const {
  GOVQM_ASSIGN_OR_RETURN(std::optional<std::string> n, local_->GetSetting(SupersededSetting(kind)));
  return (n && std::atoll(n->c_str()) > 0) || pending_superseded_[FactIndex(kind)] > 0;
}

Result<std::string> ClickHouseStore::Live(Kind kind) const {
  GOVQM_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs, Committed());
  // Inside a write transaction, its own appends read as committed (as SQLite's reads do).
  if (writing_) seqs.insert(seqs.end(), pending_.begin(), pending_.end());
  GOVQM_ASSIGN_OR_RETURN(bool any_superseded, AnySuperseded(kind));
  return clickhouse::LiveCondition(names_, kind, seqs, any_superseded);
}

Result<AppendStats> ClickHouseStore::Append(const Table& rows, const std::vector<uint64_t>& hashes) {
  if (!clickhouse::IsFactKind(rows.kind())) return local_->Append(rows, hashes);
  if (!writing_) return Status::Internal("store: Append outside a write transaction");
  if (local_->read_only()) return Status::FailedPrecondition("the store is read-only");
  const Kind kind = rows.kind();
  GOVQM_ASSIGN_OR_RETURN(const uint64_t seq, FreshSequence());
  AppendStats stats;
  stats.loaded = static_cast<int64_t>(rows.rows());
  if (rows.rows() == 0) return stats;

  // The live rows these replace (by id): their (id, seq) pairs are superseded by `seq`. The
  // ids go as an external table, never into the SQL text.
  const Column& ids = rows.col(rows.def().identity[0]);  // both fact kinds: the id alone
  platform::ExternalTable batch{"batch_ids", "id String", {}};
  for (size_t r = 0; r < rows.rows(); ++r) {
    platform::AppendTsvEscaped(&batch.tsv, ids.TextAt(r));
    batch.tsv.push_back('\n');
  }
  GOVQM_ASSIGN_OR_RETURN(const std::string live, Live(kind));
  std::string superseded;
  int64_t replaced = 0;
  GOVQM_RETURN_IF_ERROR(client_->QueryLines(
      fmt::format("SELECT id, _seq FROM {} WHERE id GLOBAL IN batch_ids AND {}",
                  names_.Facts(kind), live),
      [&](std::string_view line) {
        superseded.append(line);
        superseded += '\t' + std::to_string(seq) + '\n';
        ++replaced;
        return Status::Ok();
      },
      {batch}));
  if (replaced > 0) {
    GOVQM_ASSIGN_OR_RETURN(auto insert,
                           client_->BeginInsert(fmt::format(
                               "INSERT INTO {} (id, seq, by_seq) FORMAT TabSeparated",
                               names_.Superseded(kind))));
    GOVQM_RETURN_IF_ERROR(insert->Write(superseded));
    GOVQM_RETURN_IF_ERROR(insert->Finish());
  }
  GOVQM_ASSIGN_OR_RETURN(auto insert,
                         client_->BeginInsert(fmt::format("INSERT INTO {} ({}) FORMAT RowBinary",
                                                          names_.Facts(kind),
                                                          clickhouse::ColumnList(rows.def()))));
  std::string chunk;
  for (size_t r = 0; r < rows.rows(); ++r) {
    clickhouse::AppendRowBinary(rows, r, seq, &chunk);
    if (chunk.size() >= (1u << 20)) {
      GOVQM_RETURN_IF_ERROR(insert->Write(chunk));
      chunk.clear();
    }
  }
  GOVQM_RETURN_IF_ERROR(insert->Write(chunk));
  GOVQM_RETURN_IF_ERROR(insert->Finish());
  pending_.push_back(seq);
  pending_superseded_[FactIndex(kind)] += replaced;
  stats.replaced = replaced;
  return stats;
}

Result<Table> ClickHouseStore::LoadWhere(Kind kind, const std::vector<int>* columns,
                                         const std::string& extra_condition) const {
  const KindDef& def = GetKindDef(kind);
  Table t(kind);
  std::vector<int> cols;
  std::vector<int> fingerprints;
  auto want = [&](int c) {
    if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
  };
  if (columns == nullptr) {
    for (int c = 0; c < static_cast<int>(def.columns.size()); ++c) want(c);
  } else {
    for (int c : *columns) {
      if (c >= 0) {
        want(c);
      } else {
        const int k = Store::FingerprintIndex(c);
        fingerprints.push_back(k);
        want(def.fingerprinted[k]);  // fingerprints are made from the text here
      }
    }
  }
  std::sort(cols.begin(), cols.end());
  if (cols.empty()) return t;
  std::string select;
  for (int c : cols) select += fmt::format("{}{}", select.empty() ? "" : ", ", def.columns[c].name);
  GOVQM_ASSIGN_OR_RETURN(const std::string live, Live(kind));
  clickhouse::TsvRowReader reader(&t, cols, platform::ClickHouseUrl(endpoint_));
  GOVQM_RETURN_IF_ERROR(client_->QueryLines(
      fmt::format("SELECT {} FROM {} WHERE {}{} ORDER BY {}", select, names_.Facts(kind), live,
                  extra_condition, kind == Kind::kTransactions ? "submitted_at, id" : "evaluated_at, id"),
      [&](std::string_view line) { return reader.Add(line); }));
  reader.Finish();
  for (int k : fingerprints) {
    std::vector<Fingerprint>& out = t.fingerprints[k];
    const Column& text = t.col(def.fingerprinted[k]);
    out.resize(t.rows());
    for (size_t r = 0; r < t.rows(); ++r) out[r] = FingerprintOf(text.TextAt(r));
  }
  return t;
}

Result<Table> ClickHouseStore::Load(Kind kind, const std::vector<int>* columns) const {
  if (!clickhouse::IsFactKind(kind)) return local_->Load(kind, columns);
  return LoadWhere(kind, columns, "");
}

namespace {

// The live rows as one part, for the few readers that want a source (the engine does not:
// it asks for partials, Store::facts()).
class LoadedSource final : public TableSource {
 public:
  explicit LoadedSource(Table t) : t_(std::move(t)) {}
  size_t segments() const override { return 1; }
  size_t rows() const override { return t_.rows(); }
  Result<std::vector<std::string>> Dictionary(int col) const override {
    std::vector<std::string> out = t_.col(col).dict.values();
    std::sort(out.begin(), out.end());
    return out;
  }
  Status Load(size_t, Table* out) const override {
    *out = t_;
    return Status::Ok();
  }

 private:
  Table t_;
};

}  // namespace

Result<std::unique_ptr<TableSource>> ClickHouseStore::OpenSource(Kind kind,
                                                                 std::vector<int> columns) const {
  if (!clickhouse::IsFactKind(kind)) return local_->OpenSource(kind, std::move(columns));
  GOVQM_ASSIGN_OR_RETURN(Table t, LoadWhere(kind, &columns, ""));
  return std::unique_ptr<TableSource>(std::make_unique<LoadedSource>(std::move(t)));
}

Result<std::vector<std::string>> ClickHouseStore::ColumnDictionary(Kind kind, int col) const {
  if (!clickhouse::IsFactKind(kind)) return local_->ColumnDictionary(kind, col);
  const KindDef& def = GetKindDef(kind);
  GOVQM_ASSIGN_OR_RETURN(const std::string live, Live(kind));
  std::vector<std::string> out;
  GOVQM_RETURN_IF_ERROR(client_->QueryLines(
      fmt::format("SELECT DISTINCT {0} FROM {1} WHERE {2} AND {0} != '' ORDER BY {0}",
                  def.columns[col].name, names_.Facts(kind), live),
      [&](std::string_view line) {
        out.push_back(platform::UnescapeTsv(line));
        return Status::Ok();
      }));
  return out;
}

Result<int64_t> ClickHouseStore::CountRows(Kind kind) const {
  if (!clickhouse::IsFactKind(kind)) return local_->CountRows(kind);
  GOVQM_ASSIGN_OR_RETURN(const std::string live, Live(kind));
  GOVQM_ASSIGN_OR_RETURN(const std::string text,
                         client_->Query(fmt::format("SELECT count() FROM {} WHERE {}",
                                                    names_.Facts(kind), live)));
  return static_cast<int64_t>(std::strtoll(text.c_str(), nullptr, 10));
}

Status ClickHouseStore::PutSetting(const std::string& key, const std::string& value) {
  return local_->PutSetting(key, value);
}
Result<std::optional<std::string>> ClickHouseStore::GetSetting(const std::string& key) const {
  return local_->GetSetting(key);
}
Status ClickHouseStore::LogImport(const ImportRecord& record) { return local_->LogImport(record); }
Result<std::string> ClickHouseStore::LastImportAt() const { return local_->LastImportAt(); }
Result<bool> ClickHouseStore::AlertDelivered(const std::string& url,
                                             const std::string& identity) const {
  return local_->AlertDelivered(url, identity);
}
Status ClickHouseStore::MarkAlertDelivered(const std::string& url, const std::string& identity,
                                           int64_t at_ms) {
  return local_->MarkAlertDelivered(url, identity, at_ms);
}
Result<int64_t> ClickHouseStore::CommitCounter() const { return local_->CommitCounter(); }

Result<CompactStats> ClickHouseStore::CompactSegments(double min_dead_share) {
  return local_->CompactSegments(min_dead_share);
}

Result<CompactStats> ClickHouseStore::Compact() {
  GOVQM_ASSIGN_OR_RETURN(CompactStats stats, local_->Compact());
  // The facts: rows under sequences never committed (killed imports) and superseded rows are
  // deleted on every shard by mutations, inside a write transaction so that no import runs
  // meanwhile. Readers see the same live rows before, during and after.
  GOVQM_RETURN_IF_ERROR(local_->Begin());
  writing_ = true;
  pending_.clear();
  auto done = [&](Status st) -> Result<CompactStats> {
    if (!st.ok()) {
      Rollback();
      return st;
    }
    GOVQM_RETURN_IF_ERROR(Commit());
    return stats;
  };
  auto committed = Committed();
  if (!committed.ok()) return done(committed.status());
  const std::string seqs = clickhouse::SequenceList(*committed);
  auto hosts = client_->ListClusterHosts();
  if (!hosts.ok()) return done(hosts.status());
  for (Kind kind : {Kind::kTransactions, Kind::kEvaluations}) {
    auto before = client_->Query(fmt::format("SELECT count() FROM {}", names_.Facts(kind)));
    if (!before.ok()) return done(before.status());
    for (const platform::ClickHouseClusterHost& host : *hosts) {
      const platform::ClickHouseClient shard = client_->ForEndpoint(host.endpoint);
      const std::string facts = names_.LocalFacts(kind), superseded = names_.LocalSuperseded(kind);
      for (const std::string& sql :
           {fmt::format("ALTER TABLE {} DELETE WHERE _seq NOT IN ({}) OR (id, _seq) IN "
                        "(SELECT id, seq FROM {} WHERE by_seq IN ({}))",
                        facts, seqs, superseded, seqs),
            fmt::format("ALTER TABLE {} DELETE WHERE 1", superseded)}) {
        // The supersessions go only once the rows they hide are gone: mutations run in the
        // background, so each is waited for before the next.
        if (Status st = shard.Query(sql).status(); !st.ok()) return done(st);
        for (int waited = 0;; ++waited) {
          auto left = shard.Query(fmt::format(
              "SELECT count() FROM system.mutations WHERE database = currentDatabase() AND "
              "is_done = 0"));
          if (!left.ok()) return done(left.status());
          if (std::atoll(left->c_str()) == 0) break;
          if (waited > 6000) {
            return done(Status::Io(fmt::format("{}: a mutation has not finished in 10 minutes",
                                               shard.ServerName())));
          }
          ::usleep(100 * 1000);
        }
      }
    }
    auto after = client_->Query(fmt::format("SELECT count() FROM {}", names_.Facts(kind)));
    if (!after.ok()) return done(after.status());
    stats.rows_dropped += std::atoll(before->c_str()) - std::atoll(after->c_str());
    if (Status st = local_->PutSetting(SupersededSetting(kind), "0"); !st.ok()) return done(st);
  }
  return done(Status::Ok());
}

Status ClickHouseStore::BackupTo(const std::string& path) const { return local_->BackupTo(path); }
Status ClickHouseStore::RestoreFrom(const std::string& path) { return local_->RestoreFrom(path); }

const FactAggregator* ClickHouseStore::facts() const { return facts_.get(); }

Status ClickHouseStore::BeginSnapshot() const {
  GOVQM_ASSIGN_OR_RETURN(ReadSnapshot s, local_->Snapshot());
  snapshots_.push_back(std::move(s));
  return Status::Ok();
}

void ClickHouseStore::EndSnapshot() const {
  if (!snapshots_.empty()) snapshots_.pop_back();
}

}  // namespace govqm

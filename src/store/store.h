// The system of record: what the import writes and the engine's loader and the use cases
// read. One interface, with the embedded SQLite file (store/sqlite/) behind it today and a
// ClickHouse backend to come; every caller takes a `Store&` and never names the backend.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine/dataset.h"
#include "core/status.h"
#include "core/table.h"

namespace govqm {

class FactAggregator;  // core/engine/facts.h

struct AppendStats {
  int64_t loaded = 0;    // rows written
  int64_t replaced = 0;  // of those, rows that replaced a live row already in the store
};

struct CompactStats {
  int64_t segments_rewritten = 0;  // segments rewritten with their live rows only
  int64_t segments_dropped = 0;    // segments with no live row, removed
  int64_t rows_dropped = 0;        // replaced rows whose space was given back
  int64_t bytes_before = 0, bytes_after = 0;  // file sizes (Compact only)
};

struct ImportRecord {
  std::string kind, files, summary_json;
};

// Where a store keeps its facts (transactions, evaluations): `url` "" = in the embedded file
// itself; clickhouse://HOST:PORT/DATABASE = a ClickHouse server (`cluster` names its
// remote_servers cluster, "" = that one server). service.md §11.
struct StoreBackend {
  std::string url;
  std::string cluster;
};

struct StoreOptions {
  // Called once (from the waiting thread) when a write has waited a few seconds for another
  // process's write to finish; the write itself waits as long as it takes. Edges use it to
  // tell the user why nothing happens. May be empty.
  std::function<void()> on_wait;
};

// Thread-safety: a Store is used by one thread at a time (a backend may use more threads
// and connections inside one call). Several processes may open one store at once: readers
// never block, writers take turns (a second writer waits for the first, however long).
//
// Consistency: every read sees one committed state. While a ReadSnapshot lives, all reads
// through this Store see the same state, whatever other processes commit meanwhile; a read
// outside a snapshot takes one of its own for its duration. Inside a write transaction,
// reads see that transaction.
//
// Errors: kNotFound (no store), kInvalidInput (not a store, a newer schema), kAlreadyExists
// (Create over a store), kFailedPrecondition (a write to a read-only store), kIo otherwise.
class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Creates a new store with the given zone (IANA name) at `path`, its facts in `backend`
  // (the file itself by default; the ClickHouse tables are created on every shard). The store
  // appears whole or not at all; an empty (0-byte) file at `path` is replaced. The backend is
  // recorded in the store: Open follows it.
  static Result<std::unique_ptr<Store>> Create(const std::string& path, const std::string& zone,
                                               StoreOptions options = {},
                                               const StoreBackend& backend = {});
  // Opens an existing store, migrating its schema to the current version. A file that is not
  // a govqm store (another application's SQLite file, anything else) is refused untouched.
  // A store that cannot be written (read-only file, directory or mount) opens for reading.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, StoreOptions options = {});

  // Pseudo column index of the per-row fingerprints of KindDef::fingerprinted[k], and back.
  static constexpr int FingerprintColumn(int k) { return -2 - k; }
  static constexpr int FingerprintIndex(int column) { return -2 - column; }

  virtual const std::string& zone() const = 0;
  virtual const std::string& path() const = 0;
  virtual bool read_only() const = 0;

  // RAII: while alive, every read of the store sees one committed state (see above).
  // Nests; ends when the outermost guard is destroyed. Must not outlive the Store.
  class ReadSnapshot {
   public:
    ReadSnapshot(ReadSnapshot&& o) noexcept : store_(o.store_) { o.store_ = nullptr; }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;
    ~ReadSnapshot();

   private:
    friend class Store;
    explicit ReadSnapshot(const Store* store) : store_(store) {}
    const Store* store_;
  };
  Result<ReadSnapshot> Snapshot() const;

  // RAII write transaction: Commit() makes every write since BeginWrite() durable at once;
  // destroyed uncommitted (an error, an early return) it rolls back. A process killed inside
  // it leaves the store as it was. Waits for another writer, however long.
  class WriteTransaction {
   public:
    WriteTransaction(WriteTransaction&& o) noexcept : store_(o.store_) { o.store_ = nullptr; }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    ~WriteTransaction();
    Status Commit();

   private:
    friend class Store;
    explicit WriteTransaction(Store* store) : store_(store) {}
    Store* store_;
  };
  Result<WriteTransaction> BeginWrite();

  // The same as a WriteTransaction, by hand: Begin, writes, then Commit or Rollback.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // Appends `rows` (identities unique within `rows`; hashes[i] = IdentityHash of row i),
  // replacing live rows of the same identity already stored. Inside a write transaction.
  virtual Result<AppendStats> Append(const Table& rows, const std::vector<uint64_t>& hashes) = 0;

  // Says that the rest of this write transaction is Appends, then at most LogImport and
  // settings, then Commit or Rollback (an import). A backend may then make the appended rows
  // durable as they come, invisible to everyone until Commit (the embedded store commits them
  // as pending segments, so the final commit is small and its checkpoint is spread over the
  // import); reads inside the transaction then no longer see its own appends. A kill leaves
  // the store as before (what was pending is removed by the next write).
  virtual void PrepareBulkAppend() {}

  // Rows an importer should gather before an Append (0 = append parts as they come): a backend
  // whose Append has a fixed cost per call (ClickHouse: one replacement query) wants big ones.
  virtual size_t append_batch_rows() const { return 0; }

  // The live rows of a kind. `columns` (indexes) limits what is read; the other columns are
  // left EMPTY (size 0, not rows() nulls): only read the columns asked for. nullptr = all.
  // FingerprintColumn(k) among `columns` fills Table::fingerprints[k].
  virtual Result<Table> Load(Kind kind, const std::vector<int>* columns = nullptr) const = 0;
  // The live rows of a kind as a source the engine reads a part at a time (columns as for
  // Load). The source keeps a snapshot open while it lives: every part and dictionary it
  // hands out belongs to one state. It must not outlive the Store.
  virtual Result<std::unique_ptr<TableSource>> OpenSource(Kind kind,
                                                          std::vector<int> columns) const = 0;
  // Every distinct value of code column `col` over the kind's live rows.
  virtual Result<std::vector<std::string>> ColumnDictionary(Kind kind, int col) const = 0;
  // Live row count of a kind (no column read).
  virtual Result<int64_t> CountRows(Kind kind) const = 0;

  // Small key/value settings kept in the store (e.g. "calendar" text). Outside a write
  // transaction PutSetting commits on its own.
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) const = 0;

  // Appends an entry to the import log (inside the import's transaction).
  virtual Status LogImport(const ImportRecord& record) = 0;
  // When the last import was committed (ISO 8601 UTC), "" when none was.
  virtual Result<std::string> LastImportAt() const = 0;

  // Webhook deliveries of alerts (`govqm alerts --deliver`): whether the alert of `identity`
  // (app/alert_delivery.h says what it holds) was delivered to `url`. False on a store made
  // before deliveries were kept and opened read-only.
  virtual Result<bool> AlertDelivered(const std::string& url, const std::string& identity) const = 0;
  // Remembers that the alert of `identity` was delivered to `url` at `at_ms` (UTC ms); a second
  // mark keeps the first. Outside a write transaction it is durable on return, a commit of its
  // own; inside one, part of it. Delivery records are not data: the commit counter does not
  // change. kFailedPrecondition on a read-only store; never inside a ReadSnapshot.
  virtual Status MarkAlertDelivered(const std::string& url, const std::string& identity,
                                    int64_t at_ms) = 0;

  // The commit counter: it changes with every commit of data (imports, calendars, compaction,
  // restore), so equal values mean equal data. Inside a ReadSnapshot, the snapshot's value.
  // Accounts and the audit log (security/) write beside it without changing it.
  virtual Result<int64_t> CommitCounter() const = 0;

  // Rewrites every part whose share of replaced rows is at least `min_dead_share` with its
  // live rows only (same order), and drops parts with none. Inside a write transaction it is
  // part of it; outside, a transaction of its own. Commits of imports do it at 0.5.
  virtual Result<CompactStats> CompactSegments(double min_dead_share) = 0;
  // `govqm compact`: every replaced row's space is given back and the store shrinks.
  // Atomic: killed at any moment, the store is as before or compacted.
  virtual Result<CompactStats> Compact() = 0;

  // `govqm backup`: a consistent copy of the whole store (one committed state, whatever is
  // being imported meanwhile) as a new file at `path` (kAlreadyExists when there is one),
  // whole or not at all.
  virtual Status BackupTo(const std::string& path) const = 0;
  // `govqm restore`: replaces everything in this store with the govqm store at `path` (a
  // backup), in one write transaction: readers see the store before or after, a kill leaves
  // it as before. The backup file is not written to.
  virtual Status RestoreFrom(const std::string& path) = 0;

  // The backend that aggregates transactions and evaluations where it keeps them (the
  // ClickHouse backend), or null: the engine then scans their rows.
  virtual const FactAggregator* facts() const { return nullptr; }

 protected:
  Store() = default;
  // A snapshot's start and end (nested calls count; the outermost pair does the work).
  virtual Status BeginSnapshot() const = 0;
  virtual void EndSnapshot() const = 0;
};

inline constexpr int kStoreSchemaVersion = 5;
inline constexpr size_t kSegmentRows = 1 << 20;

}  // namespace govqm

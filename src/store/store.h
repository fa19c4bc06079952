// The embedded store: one SQLite file (WAL) holding a catalog, reference data and the fact
// tables as immutable columnar segments (one BLOB per column per segment of ≤ 1M rows).
//
// Why segments: plain rows cannot reach the import and fresh-process marks of
// architecture.md; column BLOBs read back at memory speed, and SQLite still gives atomic
// commits. Re-imported identities are found through a per-row 64-bit identity hash column,
// never a per-row B-tree index; a replaced row is marked in its segment's deletion bitmap.
// Every kind uses the same mechanism, so there is one code path to trust.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/table.h"

struct sqlite3;

namespace govqm {

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

struct StoreOptions {
  // Called once (from the waiting thread) when a write has waited a few seconds for another
  // process's write to finish; the write itself waits as long as it takes. Edges use it to
  // tell the user why nothing happens. May be empty.
  std::function<void()> on_wait;
};

// Thread-safety: a Store is used by one thread at a time (its loads use a second thread and
// connection internally). Several processes may open one file at once: readers never block,
// writers take turns (a second writer waits for the first, however long it takes).
//
// Consistency: every read sees one committed state of the file. Between Snapshot() and the
// guard's end, all reads through this Store (on every connection it uses) see the same
// state, whatever other processes commit meanwhile; a read outside a snapshot takes one of
// its own for its duration. Inside a write transaction, reads see that transaction.
class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Creates a new store file with the given zone (IANA name). Fails if the file exists.
  // The file appears whole or not at all (built beside it, then renamed into place); an empty
  // (0-byte) file at `path`, left by an interrupted copy, is replaced.
  static Result<std::unique_ptr<Store>> Create(const std::string& path, const std::string& zone,
                                               StoreOptions options = {});
  // Opens an existing store, migrating its schema to the current version. A file that is not
  // a govqm store (another application's SQLite file, anything else) is refused untouched.
  // A store that cannot be written (read-only file, directory or mount) opens for reading.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, StoreOptions options = {});

  // RAII: while alive, every read of the store sees one committed state (see above).
  // Nests; ends when the outermost guard is destroyed. Keep it shorter-lived than the Store.
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
  // destroyed uncommitted (an error, an exception) it rolls back. A process killed inside
  // it leaves the store as it was.
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

  bool read_only() const { return read_only_; }

  // Pseudo column index of the per-row fingerprints of KindDef::fingerprinted[k], and back.
  static constexpr int FingerprintColumn(int k) { return -2 - k; }
  static constexpr int FingerprintIndex(int column) { return -2 - column; }

  const std::string& zone() const { return zone_; }
  const std::string& path() const { return path_; }

  // One import = one transaction: Begin, any number of Append, then Commit (or Rollback, or
  // the process dies: SQLite's journal then leaves the store as it was before Begin).
  // BeginWrite() is the same as a guard; prefer it.
  Status Begin();
  Status Commit();
  void Rollback();

  // Appends `rows` (identities unique within `rows`; hashes[i] = IdentityHash of row i),
  // replacing live rows of the same identity already stored. Inside Begin/Commit.
  Result<AppendStats> Append(const Table& rows, const std::vector<uint64_t>& hashes);

  // The live rows of a kind. `columns` (indexes) limits what is read; the other columns are
  // left EMPTY (size 0, not rows() nulls): only read the columns asked for. nullptr = all.
  // FingerprintColumn(k) among `columns` fills Table::fingerprints[k]; for segments written
  // before fingerprints were kept they are derived from the text column.
  Result<Table> Load(Kind kind, const std::vector<int>* columns = nullptr) const;
  // The segments of a kind that hold live rows, in order.
  struct SegmentRef {
    int64_t id;
    size_t rows, live;
    std::string deleted;  // bitmap of replaced rows, empty when none
  };
  Result<std::vector<SegmentRef>> ListSegments(Kind kind) const;
  // Loads the live rows of `segments` into *out (cleared first; its capacity is reused).
  // `columns` as for Load.
  Status LoadSegments(Kind kind, const std::vector<SegmentRef>& segments,
                      const std::vector<int>* columns, Table* out) const;
  // Every distinct value of code column `col` over the kind's live segments, read from the
  // segments' dictionaries only.
  Result<std::vector<std::string>> ColumnDictionary(Kind kind, int col) const;

  // Rewrites every segment whose share of replaced rows is at least `min_dead_share` with
  // its live rows only (same id, same order), and drops segments with none. Inside a write
  // transaction it is part of it (imports call it with 0.5 before committing); outside, a
  // transaction of its own.
  Result<CompactStats> CompactSegments(double min_dead_share);
  // `govqm compact`: every replaced row's space is given back, and the file shrinks
  // (VACUUM). Atomic: killed at any moment, the store is as before or compacted.
  Result<CompactStats> Compact();

  // Live row count of a kind, from the catalog (no column read).
  Result<int64_t> CountRows(Kind kind) const;

  // Small key/value settings kept in the store (e.g. "calendar" text). Outside a write
  // transaction PutSetting commits on its own.
  Status PutSetting(const std::string& key, const std::string& value);
  Result<std::optional<std::string>> GetSetting(const std::string& key) const;

  // Appends an entry to the import log (inside the import's transaction).
  Status LogImport(const ImportRecord& record);

 private:
  explicit Store(sqlite3* db, std::string path, StoreOptions options)
      : db_(db), path_(std::move(path)), options_(std::move(options)) {}
  Status Exec(const char* sql) const;
  Status BeginSnapshot() const;
  void EndSnapshot() const;
  Status OpenHelper() const;
  Status Migrate();
  Status WriteSegment(const Table& rows, size_t begin, size_t end,
                      const std::vector<uint64_t>& hashes);
  Status WriteChunks(int64_t segment_id, const Table& rows, size_t begin, size_t end,
                     const std::vector<uint64_t>& hashes);
  // The join fingerprints of `segments`' live rows, through connection `db`: written over
  // *out from its start when `in_place` (no deletions; *out already sized), else appended.
  Status LoadFingerprints(sqlite3* db, const KindDef& def, int k,
                          const std::vector<SegmentRef>& segments,
                          bool in_place, std::vector<Fingerprint>* out) const;

  sqlite3* db_;
  std::string path_;
  mutable std::string scratch_[2];  // decode buffers of the (at most two) loader threads
  mutable sqlite3* helper_db_ = nullptr;  // the second loader thread's read-only connection
  std::string zone_;
  StoreOptions options_;
  std::string uri_;          // how the connections open the file (immutable when read-only)
  bool read_only_ = false;
  mutable int snapshot_depth_ = 0;
  bool replaced_rows_ = false;  // this write transaction marked rows replaced
  mutable bool helper_in_snapshot_ = false;  // the helper connection shares the snapshot
  friend int StoreBusyWait(void*, int);
  mutable int64_t wait_started_ms_ = 0;
  mutable bool wait_noticed_ = false;
};

inline constexpr int kStoreSchemaVersion = 3;
inline constexpr size_t kSegmentRows = 1 << 20;

}  // namespace govqm

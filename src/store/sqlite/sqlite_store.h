// The embedded store: one SQLite file (WAL) holding a catalog, reference data and the fact
// tables as immutable columnar segments (one BLOB per column per segment of ≤ 1M rows).
//
// Why segments: plain rows cannot reach the import and fresh-process marks of
// architecture.md; column BLOBs read back at memory speed, and SQLite still gives atomic
// commits. Re-imported identities are found through a per-row 64-bit identity hash column,
// never a per-row B-tree index; a replaced row is marked in its segment's deletion bitmap.
// Every kind uses the same mechanism, so there is one code path to trust.
//
// Its parts: statement.h (statements), codec.h (column chunks), migrations.cc (the schema),
// sqlite_store.cc (opening, snapshots, transactions, settings), segments.cc (writing,
// replacing, reading and compacting segments).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace govqm {

class SqliteStore final : public Store {
 public:
  ~SqliteStore() override;

  static Result<std::unique_ptr<Store>> Create(const std::string& path, const std::string& zone,
                                               StoreOptions options);
  static Result<std::unique_ptr<Store>> Open(const std::string& path, StoreOptions options);

  const std::string& zone() const override { return zone_; }
  const std::string& path() const override { return path_; }
  bool read_only() const override { return read_only_; }

  Status Begin() override;
  Status Commit() override;
  void Rollback() override;
  Result<AppendStats> Append(const Table& rows, const std::vector<uint64_t>& hashes) override;
  // Each Append scans the stored identities of its kind, and writes segments as big as the
  // appends: parts are gathered to half a segment.
  size_t append_batch_rows() const override { return kSegmentRows / 2; }
  void PrepareBulkAppend() override { bulk_ = true; }
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

  // The segments of a kind that hold live rows, in order.
  struct SegmentRef {
    int64_t id;
    size_t rows, live;
    std::string deleted;  // bitmap of replaced rows, empty when none
  };
  Result<std::vector<SegmentRef>> ListSegments(Kind kind) const;
  // Loads the live rows of `segments` into *out (cleared first; its capacity is reused).
  // `columns` as for Load. For segments written before fingerprints were kept they are
  // derived from the text column.
  Status LoadSegments(Kind kind, const std::vector<SegmentRef>& segments,
                      const std::vector<int>* columns, Table* out) const;

 protected:
  Status BeginSnapshot() const override;
  void EndSnapshot() const override;

 private:
  SqliteStore(sqlite3* db, std::string path, StoreOptions options)
      : db_(db), path_(std::move(path)), options_(std::move(options)) {}
  Status Exec(const char* sql) const;
  Status Migrate();
  Status OpenHelper() const;
  // `kind`: the kind's name, or "pending:" and it (PrepareBulkAppend).
  Status WriteSegment(const Table& rows, size_t begin, size_t end,
                      const std::vector<uint64_t>& hashes, const std::string& kind);
  Status WriteChunks(int64_t segment_id, const Table& rows, size_t begin, size_t end,
                     const std::vector<uint64_t>& hashes);
  // The join fingerprints of `segments`' live rows, through connection `db`: written over
  // *out from its start when `in_place` (no deletions; *out already sized), else appended.
  Status LoadFingerprints(sqlite3* db, const KindDef& def, int k,
                          const std::vector<SegmentRef>& segments,
                          bool in_place, std::vector<Fingerprint>* out) const;
  static int BusyWait(void* store, int count);

  mutable sqlite3_stmt* generation_stmt_ = nullptr;  // CommitCounter's, prepared once
  sqlite3* db_;
  std::string path_;
  StoreOptions options_;
  std::string zone_;
  std::string uri_;  // how connections open the file (immutable when read-only)
  bool read_only_ = false;
  mutable std::string scratch_[2];        // decode buffers of the (at most two) loader threads
  mutable sqlite3* helper_db_ = nullptr;  // the second loader thread's read-only connection
  mutable int snapshot_depth_ = 0;
  mutable bool helper_in_snapshot_ = false;  // the helper connection shares the snapshot
  bool replaced_rows_ = false;               // this write transaction marked rows replaced
  // Writers take turns through an flock on the store file (a descriptor of our own, apart
  // from SQLite's fcntl locks): held from Begin to the end of the transaction, so a bulk
  // import's intermediate commits never let another writer in between.
  int writer_lock_fd_ = -1;
  bool bulk_ = false;             // PrepareBulkAppend: appends go to pending segments
  bool bulk_closed_ = false;      // a write other than Append came: no more intermediate commits
  bool pending_committed_ = false;  // pending segments of this transaction are committed
  // Rows of committed segments this bulk transaction replaces: (live, deleted bitmap) per
  // segment, written at Commit (until then those segments must not change for readers).
  std::unordered_map<int64_t, std::pair<int64_t, std::string>> deferred_marks_;
  Status LockWriters();
  void UnlockWriters();
  // Deletes pending segments: a dead import's, or this transaction's own on rollback.
  Status DropPendingSegments();
  // Commits what was appended so far as pending, and goes on in a new SQLite transaction.
  Status CommitPending();
  void EndWrite();  // forgets the transaction's state and lets the next writer in
  mutable int64_t wait_started_ms_ = 0;
  mutable bool wait_noticed_ = false;
};

}  // namespace govqm

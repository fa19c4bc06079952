// The embedded store: one SQLite file (WAL) holding a catalog, reference data and the fact
// tables as immutable columnar segments (one BLOB per column per segment of ≤ 1M rows).
//
// Why segments: plain rows cannot reach the import and fresh-process marks of
// architecture.md; column BLOBs read back at memory speed, and SQLite still gives atomic
// commits. Re-imported identities are found through a per-row 64-bit identity hash column,
// never a per-row B-tree index; a replaced row is marked in its segment's deletion bitmap.
// Every kind uses the same mechanism, so there is one code path to trust.
#pragma once

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

struct ImportRecord {
  std::string kind, files, summary_json;
};

class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Creates a new store file with the given zone (IANA name). Fails if the file exists.
  static Result<std::unique_ptr<Store>> Create(const std::string& path, const std::string& zone);
  // Opens an existing store, migrating its schema to the current version.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  // Pseudo column index of the per-row fingerprints of KindDef::fingerprinted[k], and back.
  static constexpr int FingerprintColumn(int k) { return -2 - k; }
  static constexpr int FingerprintIndex(int column) { return -2 - column; }

  const std::string& zone() const { return zone_; }
  const std::string& path() const { return path_; }

  // One import = one transaction: Begin, any number of Append, then Commit (or Rollback, or
  // the process dies: SQLite's journal then leaves the store as it was before Begin).
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

  // Live row count of a kind, from the catalog (no column read).
  Result<int64_t> CountRows(Kind kind) const;

  // Small key/value settings kept in the store (e.g. "calendar" text).
  Status PutSetting(const std::string& key, const std::string& value);
  Result<std::optional<std::string>> GetSetting(const std::string& key) const;

  // Appends an entry to the import log (inside the import's transaction).
  Status LogImport(const ImportRecord& record);

 private:
  explicit Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql) const;
  Status Migrate();
  Status WriteSegment(const Table& rows, size_t begin, size_t end,
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
};

inline constexpr int kStoreSchemaVersion = 2;
inline constexpr size_t kSegmentRows = 1 << 20;

}  // namespace govqm

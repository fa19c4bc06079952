// Segments: written by Append (replacing rows by identity), read by Load and the sources,
// rewritten by compaction.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>

#include "store/sqlite/codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace govqm {
namespace {

using namespace sqlite;  // NOLINT: the codec and statement helpers of this backend

constexpr int kHashColumn = -1;
static_assert(Store::FingerprintColumn(0) == -2);

// Sets rows [from, from + n) of `col` to null, growing it as needed (a fixed-width column
// read in place is already sized; the others are appended to, from == col->size()).
void AppendNulls(Column* col, size_t from, size_t n) {
  auto fill = [&](auto& vec, auto null) {
    if (vec.size() < from + n) vec.resize(from + n);
    std::fill(vec.begin() + static_cast<ptrdiff_t>(from),
              vec.begin() + static_cast<ptrdiff_t>(from + n), null);
  };
  switch (col->type) {
    case ColumnType::kTime: fill(col->times, kNullTime); break;
    case ColumnType::kInt: fill(col->ints, kNullInt); break;
    case ColumnType::kReal: fill(col->reals, kNullReal); break;
    case ColumnType::kBool:
    case ColumnType::kEnum: fill(col->bytes, kNullBool); break;
    case ColumnType::kCode: fill(col->codes, kNullCode); break;
    case ColumnType::kText: col->offsets.insert(col->offsets.end(), n, col->text.size()); break;
  }
}

// Open addressing over 64-bit hashes -> row index; duplicates of a hash are all kept.
class HashIndex {
 public:
  explicit HashIndex(const std::vector<uint64_t>& hashes) {
    size_t cap = 16;
    while (cap < hashes.size() * 2) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, kEmpty);
    hashes_ = &hashes;
    for (size_t i = 0; i < hashes.size(); ++i) {
      size_t s = hashes[i] & mask_;
      while (slots_[s] != kEmpty) s = (s + 1) & mask_;
      slots_[s] = static_cast<uint32_t>(i);
    }
  }
  template <typename Fn>
  void ForEach(uint64_t h, Fn&& fn) const {
    for (size_t s = h & mask_; slots_[s] != kEmpty; s = (s + 1) & mask_) {
      if ((*hashes_)[slots_[s]] == h) fn(slots_[s]);
    }
  }

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  std::vector<uint32_t> slots_;
  size_t mask_ = 0;
  const std::vector<uint64_t>* hashes_;
};

// A kind one segment at a time, read in the store's snapshot that it keeps open: every
// segment and dictionary it hands out belongs to the same committed state.
class SegmentSource final : public TableSource {
 public:
  SegmentSource(Kind kind, const SqliteStore& store, Store::ReadSnapshot snapshot,
                std::vector<SqliteStore::SegmentRef> segments, std::vector<int> columns)
      : kind_(kind), store_(store), snapshot_(std::move(snapshot)),
        segments_(std::move(segments)), columns_(std::move(columns)) {
    for (const auto& s : segments_) rows_ += s.live;
  }
  size_t segments() const override { return segments_.size(); }
  size_t rows() const override { return rows_; }
  Result<std::vector<std::string>> Dictionary(int col) const override {
    return store_.ColumnDictionary(kind_, col);
  }
  Status Load(size_t i, Table* out) const override {
    return store_.LoadSegments(kind_, {segments_[i]}, &columns_, out);
  }

 private:
  Kind kind_;
  const SqliteStore& store_;
  Store::ReadSnapshot snapshot_;
  std::vector<SqliteStore::SegmentRef> segments_;
  std::vector<int> columns_;
  size_t rows_ = 0;
};

}  // namespace

Result<std::unique_ptr<TableSource>> SqliteStore::OpenSource(Kind kind,
                                                             std::vector<int> columns) const {
  GOVQM_ASSIGN_OR_RETURN(ReadSnapshot snapshot, Snapshot());
  GOVQM_ASSIGN_OR_RETURN(auto segments, ListSegments(kind));
  return std::unique_ptr<TableSource>(std::make_unique<SegmentSource>(
      kind, *this, std::move(snapshot), std::move(segments), std::move(columns)));
}

Status SqliteStore::WriteSegment(const Table& rows, size_t begin, size_t end,
                           const std::vector<uint64_t>& hashes, const std::string& kind) {
  Stmt seg(db_, "INSERT INTO segments(kind, rows, live) VALUES(?1, ?2, ?2)");
  if (!seg.ok()) return SqlError(db_, "preparing a segment");
  seg.Bind(1, kind);
  seg.Bind(2, static_cast<int64_t>(end - begin));
  if (seg.Step() != SQLITE_DONE) return SqlError(db_, "writing a segment");
  return WriteChunks(sqlite3_last_insert_rowid(db_), rows, begin, end, hashes);
}

Status SqliteStore::WriteChunks(int64_t segment_id, const Table& rows, size_t begin, size_t end,
                          const std::vector<uint64_t>& hashes) {
  Stmt chunk(db_, "INSERT INTO chunks(segment_id, col, data, encoding) VALUES(?1, ?2, ?3, ?4)");
  if (!chunk.ok()) return SqlError(db_, "preparing a chunk");
  auto write = [&](int col, EncodedChunk encoded) -> Status {
    chunk.Reset();
    chunk.Bind(1, segment_id);
    chunk.Bind(2, static_cast<int64_t>(col));
    // Zero-length blobs still need a value (NOT NULL): bind an empty blob explicitly.
    sqlite3_bind_blob64(chunk.get(), 3, encoded.data.data(), encoded.data.size(), SQLITE_STATIC);
    chunk.Bind(4, static_cast<int64_t>(encoded.encoding));
    if (chunk.Step() != SQLITE_DONE) return SqlError(db_, "writing a column chunk");
    return Status::Ok();
  };
  GOVQM_RETURN_IF_ERROR(write(kHashColumn, {VectorBytes(hashes, begin, end)}));
  const auto& fingerprinted = rows.def().fingerprinted;
  for (size_t k = 0; k < fingerprinted.size(); ++k) {
    std::vector<Fingerprint> fingerprints(end - begin);
    const Column& c = rows.col(fingerprinted[k]);
    for (size_t r = begin; r < end; ++r) fingerprints[r - begin] = FingerprintOf(c.TextAt(r));
    GOVQM_RETURN_IF_ERROR(write(FingerprintColumn(static_cast<int>(k)),
                                {VectorBytes(fingerprints, 0, fingerprints.size())}));
  }
  std::string buffer;
  for (size_t c = 0; c < rows.def().columns.size(); ++c) {
    GOVQM_RETURN_IF_ERROR(
        write(static_cast<int>(c), EncodeColumn(rows.col(static_cast<int>(c)), begin, end, &buffer)));
  }
  return Status::Ok();
}

Result<AppendStats> SqliteStore::Append(const Table& rows, const std::vector<uint64_t>& hashes) {
  AppendStats stats;
  if (rows.rows() == 0) return stats;
  const std::string kind(rows.def().name);
  // A bulk import writes its segments under this kind until Commit renames them.
  const std::string pending_kind = "pending:" + kind;
  const bool bulk = bulk_ && !bulk_closed_;

  // 1. Find live stored rows with an identity in `rows`; mark them deleted. A bit per slot of
  // a small filter (high hash bits, 16 slots a new row) answers most stored rows first: the
  // scan runs over every stored row of the kind, once per Append.
  const HashIndex index(hashes);
  int filter_bits = 10;
  while ((size_t{1} << filter_bits) < hashes.size() * 16 && filter_bits < 40) ++filter_bits;
  std::vector<uint64_t> filter((size_t{1} << filter_bits) / 64 + 1, 0);
  const int filter_shift = 64 - filter_bits;
  for (const uint64_t h : hashes) filter[(h >> filter_shift) >> 6] |= uint64_t{1} << ((h >> filter_shift) & 63);
  auto maybe_new = [&](uint64_t h) {
    const uint64_t bit = h >> filter_shift;
    return (filter[bit >> 6] >> (bit & 63)) & 1;
  };
  struct SegmentInfo {
    int64_t id, rows, live;
    std::string deleted;
    bool committed;  // a live segment everyone sees (its marks wait for Commit in a bulk import)
  };
  std::vector<SegmentInfo> segments;
  {
    Stmt q(db_, "SELECT id, rows, live, deleted, kind = ?1 FROM segments WHERE kind IN (?1, ?2) "
                "AND live > 0 ORDER BY id");
    if (!q.ok()) return SqlError(db_, "listing segments");
    q.Bind(1, kind);
    q.Bind(2, pending_kind);
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      SegmentInfo s{sqlite3_column_int64(q.get(), 0), sqlite3_column_int64(q.get(), 1),
                    sqlite3_column_int64(q.get(), 2), {}, sqlite3_column_int(q.get(), 4) != 0};
      if (const void* b = sqlite3_column_blob(q.get(), 3)) {
        s.deleted.assign(static_cast<const char*>(b), sqlite3_column_bytes(q.get(), 3));
      }
      if (auto d = deferred_marks_.find(s.id); d != deferred_marks_.end()) {
        s.live = d->second.first;  // what this import already replaced there
        s.deleted = d->second.second;
      }
      if (s.live > 0) segments.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return SqlError(db_, "listing segments");
  }
  Stmt read(db_, "SELECT data, encoding FROM chunks WHERE segment_id = ?1 AND col = ?2");
  Stmt update(db_, "UPDATE segments SET live = ?2, deleted = ?3 WHERE id = ?1");
  if (!read.ok() || !update.ok()) return SqlError(db_, "preparing the replacement scan");
  for (SegmentInfo& seg : segments) {
    read.Reset();
    read.Bind(1, seg.id);
    read.Bind(2, static_cast<int64_t>(kHashColumn));
    if (read.Step() != SQLITE_ROW) return SqlError(db_, "reading identity hashes");
    const auto* stored = static_cast<const char*>(sqlite3_column_blob(read.get(), 0));
    if (sqlite3_column_bytes(read.get(), 0) != seg.rows * 8) {
      return Status::Io(fmt::format("store {}: segment {} is damaged", path_, seg.id));
    }
    std::vector<std::pair<size_t, uint32_t>> candidates;  // (stored row, new row)
    for (int64_t r = 0; r < seg.rows; ++r) {
      uint64_t h;
      std::memcpy(&h, stored + r * 8, 8);
      if (!maybe_new(h)) continue;
      index.ForEach(h, [&](uint32_t n) {
        if (!IsDeleted(seg.deleted, r)) candidates.emplace_back(r, n);
      });
    }
    if (candidates.empty()) continue;
    // Compare real identities: a 64-bit hash match is not proof.
    Table stored_rows(rows.kind());
    const std::string none;
    for (int c : rows.def().identity) {
      read.Reset();
      read.Bind(1, seg.id);
      read.Bind(2, static_cast<int64_t>(c));
      if (read.Step() != SQLITE_ROW) return SqlError(db_, "reading identity columns");
      GOVQM_RETURN_IF_ERROR(DecodeColumnInto(
          static_cast<const char*>(sqlite3_column_blob(read.get(), 0)),
          sqlite3_column_bytes(read.get(), 0), sqlite3_column_int(read.get(), 1), seg.rows, none,
          &stored_rows.col(c)));
    }
    bool changed = false;
    for (auto [r, n] : candidates) {
      if (IsDeleted(seg.deleted, r) || !stored_rows.SameIdentity(r, rows, n)) continue;
      if (seg.deleted.empty()) seg.deleted.assign((seg.rows + 7) / 8, '\0');
      seg.deleted[r >> 3] = static_cast<char>(seg.deleted[r >> 3] | (1 << (r & 7)));
      --seg.live;
      ++stats.replaced;
      changed = true;
      replaced_rows_ = true;
    }
    if (changed && bulk && seg.committed) {
      deferred_marks_[seg.id] = {seg.live, seg.deleted};
    } else if (changed) {
      update.Reset();
      update.Bind(1, seg.id);
      update.Bind(2, seg.live);
      update.BindBlob(3, seg.deleted);
      if (update.Step() != SQLITE_DONE) return SqlError(db_, "marking replaced rows");
    }
  }

  // Done with them: a statement left stepping would hold its snapshot open, and then no
  // checkpoint could pass it.
  read.Reset();
  update.Reset();

  // 2. Write the new rows as segments.
  for (size_t begin = 0; begin < rows.rows(); begin += kSegmentRows) {
    const size_t end = std::min(rows.rows(), begin + kSegmentRows);
    GOVQM_RETURN_IF_ERROR(WriteSegment(rows, begin, end, hashes, bulk ? pending_kind : kind));
  }
  stats.loaded = static_cast<int64_t>(rows.rows());
  // Durable as it goes (pending: no reader lists them), so the final commit is small.
  if (bulk) GOVQM_RETURN_IF_ERROR(CommitPending());
  return stats;
}

Result<int64_t> SqliteStore::CountRows(Kind kind) const {
  Stmt q(db_, "SELECT coalesce(sum(live), 0) FROM segments WHERE kind = ?1");
  if (!q.ok()) return SqlError(db_, "preparing a count");
  q.Bind(1, GetKindDef(kind).name);
  if (q.Step() != SQLITE_ROW) return SqlError(db_, "counting rows");
  return static_cast<int64_t>(sqlite3_column_int64(q.get(), 0));
}

Result<std::vector<SqliteStore::SegmentRef>> SqliteStore::ListSegments(Kind kind) const {
  std::vector<SegmentRef> segments;
  Stmt q(db_, "SELECT id, rows, live, deleted FROM segments WHERE kind = ?1 AND live > 0 ORDER BY id");
  if (!q.ok()) return SqlError(db_, "preparing a segment list");
  q.Bind(1, GetKindDef(kind).name);
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    SegmentRef seg{sqlite3_column_int64(q.get(), 0),
                   static_cast<size_t>(sqlite3_column_int64(q.get(), 1)),
                   static_cast<size_t>(sqlite3_column_int64(q.get(), 2)), {}};
    if (const void* b = sqlite3_column_blob(q.get(), 3)) {
      seg.deleted.assign(static_cast<const char*>(b), sqlite3_column_bytes(q.get(), 3));
    }
    segments.push_back(std::move(seg));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, "listing segments");
  return segments;
}

Result<std::vector<std::string>> SqliteStore::ColumnDictionary(Kind kind, int col) const {
  GOVQM_ASSIGN_OR_RETURN(ReadSnapshot snapshot, Snapshot());
  auto segments = ListSegments(kind);
  if (!segments.ok()) return segments.status();
  Stmt find(db_, "SELECT id FROM chunks WHERE segment_id = ?1 AND col = ?2");
  if (!find.ok()) return SqlError(db_, "preparing a dictionary read");
  Dictionary all;
  sqlite3_blob* blob = nullptr;
  Status status;
  std::string buf;
  for (const SegmentRef& seg : *segments) {
    find.Reset();
    find.Bind(1, seg.id);
    find.Bind(2, static_cast<int64_t>(col));
    if (find.Step() != SQLITE_ROW) {
      if (!GetKindDef(kind).columns[col].required) continue;  // older segment: all null
      status = Status::Io(fmt::format("store {}: segment {} lacks column {}", path_, seg.id, col));
      break;
    }
    const sqlite3_int64 rowid = sqlite3_column_int64(find.get(), 0);
    const int rc = blob == nullptr ? sqlite3_blob_open(db_, "main", "chunks", "data", rowid, 0, &blob)
                                   : sqlite3_blob_reopen(blob, rowid);
    if (rc != SQLITE_OK) {
      status = SqlError(db_, "opening a column chunk");
      break;
    }
    // Layout (EncodeColumn): u32 dict_size, then (u32 len, bytes) per entry, then the codes.
    const int size = sqlite3_blob_bytes(blob);
    uint32_t n = 0, len = 0;
    int pos = 4;
    if (size < 4 || sqlite3_blob_read(blob, &n, 4, 0) != SQLITE_OK) {
      status = Status::Io(fmt::format("store {}: segment {} column {} is damaged", path_, seg.id, col));
      break;
    }
    for (uint32_t i = 0; i < n && status.ok(); ++i) {
      if (pos + 4 > size || sqlite3_blob_read(blob, &len, 4, pos) != SQLITE_OK ||
          pos + 4 + static_cast<int64_t>(len) > size) {
        status = Status::Io(fmt::format("store {}: segment {} column {} is damaged", path_, seg.id, col));
        break;
      }
      buf.resize(len);
      if (len > 0 && sqlite3_blob_read(blob, buf.data(), static_cast<int>(len), pos + 4) != SQLITE_OK) {
        status = SqlError(db_, "reading a dictionary");
        break;
      }
      all.Intern(buf);
      pos += 4 + static_cast<int>(len);
    }
    if (!status.ok()) break;
  }
  sqlite3_blob_close(blob);
  GOVQM_RETURN_IF_ERROR(status);
  return all.values();
}

Result<Table> SqliteStore::Load(Kind kind, const std::vector<int>* columns) const {
  GOVQM_ASSIGN_OR_RETURN(ReadSnapshot snapshot, Snapshot());
  auto segments = ListSegments(kind);
  if (!segments.ok()) return segments.status();
  Table out(kind);
  GOVQM_RETURN_IF_ERROR(LoadSegments(kind, *segments, columns, &out));
  return out;
}

Status SqliteStore::LoadSegments(Kind kind, const std::vector<SegmentRef>& segments,
                           const std::vector<int>* columns, Table* out_table) const {
  GOVQM_ASSIGN_OR_RETURN(ReadSnapshot snapshot, Snapshot());
  Table& out = *out_table;
  const KindDef& def = GetKindDef(kind);
  std::vector<bool> wanted(def.columns.size(), columns == nullptr);
  bool want_fingerprints[kMaxFingerprinted] = {};
  if (columns != nullptr) {
    for (int c : *columns) {
      if (c >= 0) {
        wanted[c] = true;
      } else if (const int k = FingerprintIndex(c);
                 k >= 0 && k < static_cast<int>(def.fingerprinted.size())) {
        want_fingerprints[k] = true;
      }
    }
  }
  using Segment = SegmentRef;
  size_t total = 0;
  for (const SegmentRef& seg : segments) total += seg.live;
  // Fixed-width columns of segments without replaced rows are read straight into place, so
  // they are sized, not cleared: a table reused for the next segment of the same size (as
  // streaming does) is not zero-filled again just before being overwritten. The other
  // columns are emptied and appended to, sized once: growing chunk by chunk would copy.
  const bool in_place = std::all_of(segments.begin(), segments.end(),
                                    [](const SegmentRef& s) { return s.deleted.empty(); });
  for (size_t c = 0; c < def.columns.size(); ++c) {
    Column& col = out.col(static_cast<int>(c));
    if (wanted[c] && in_place && col.fixed_width()) {
      col.ResizeFixed(total);
    } else {
      col.Clear();
      if (wanted[c]) col.Reserve(total);
    }
  }
  for (size_t k = 0; k < kMaxFingerprinted; ++k) {
    if (want_fingerprints[k] && in_place) {
      out.fingerprints[k].resize(total);
    } else {
      out.fingerprints[k].clear();
      out.fingerprints[k].reserve(want_fingerprints[k] ? total : 0);
    }
  }
  out.SetRows(0);

  // Columns are independent: split them over threads, each with its own connection (one
  // SQLite connection serialises its readers).
  std::vector<int> todo;
  for (size_t c = 0; c < def.columns.size(); ++c) {
    // Columns not asked for stay empty: filling them with nulls would cost fresh memory
    // (zeroed by the kernel, the dearest thing on our VMs) for values nobody reads.
    if (wanted[c]) todo.push_back(static_cast<int>(c));
  }
  for (size_t k = 0; k < kMaxFingerprinted; ++k) {
    if (want_fingerprints[k]) todo.push_back(FingerprintColumn(static_cast<int>(k)));
  }
  // Two threads share the columns by their bytes a row (largest first, each to the thread
  // with fewer so far): an even split by count left one thread idle for a tenth of a load.
  auto width = [&](int c) -> int {
    if (c < 0) return static_cast<int>(sizeof(Fingerprint));
    switch (out.col(c).type) {
      case ColumnType::kTime:
      case ColumnType::kReal: return 8;
      case ColumnType::kInt:
      case ColumnType::kCode: return 4;
      case ColumnType::kBool:
      case ColumnType::kEnum: return 1;
      case ColumnType::kText: return 24;  // typical ids: ~16 bytes and an 8-byte offset
    }
    return 8;
  };
  std::vector<int> by_width = todo;
  std::stable_sort(by_width.begin(), by_width.end(),
                   [&](int a, int b) { return width(a) > width(b); });
  std::vector<int> share[2];
  int bytes[2] = {0, 0};
  for (int c : by_width) {
    const int t = bytes[1] < bytes[0] ? 1 : 0;
    share[t].push_back(c);
    bytes[t] += width(c);
  }
  auto load_columns = [&](sqlite3* db, const std::vector<int>& cols, int thread) -> Status {
    Stmt find(db, "SELECT id, length(data), encoding FROM chunks WHERE segment_id = ?1 AND col = ?2");
    if (!find.ok()) return SqlError(db, "preparing a load");
    sqlite3_blob* blob = nullptr;
    // Reused across loads: a fresh multi-megabyte buffer per segment means fresh pages,
    // and zeroing fresh pages costs more than the copy.
    std::string& scratch = scratch_[thread];
    Status status;
    for (size_t t = 0; t < cols.size() && status.ok(); ++t) {
      const int c = cols[t];
      if (c < 0) {
        const int k = FingerprintIndex(c);
        status = LoadFingerprints(db, def, k, segments, in_place, &out.fingerprints[k]);
        continue;
      }
      Column& col = out.col(c);
      size_t at = 0;  // rows of this column written so far (the in-place path)
      for (const Segment& seg : segments) {
        find.Reset();
        find.Bind(1, seg.id);
        find.Bind(2, static_cast<int64_t>(c));
        if (find.Step() != SQLITE_ROW) {
          // A segment written before an optional column was added (appended last to its
          // kind, e.g. evaluations' contact) has no chunk for it: its rows read as nulls.
          // A required column has been there from the start, so its absence is damage.
          if (def.columns[c].required) {
            status =
                Status::Io(fmt::format("store {}: segment {} lacks column {}", path_, seg.id, c));
            break;
          }
          const size_t n = in_place && col.fixed_width() ? seg.rows : seg.live;
          AppendNulls(&col, in_place && col.fixed_width() ? at : col.size(), n);
          at += n;
          continue;
        }
        const sqlite3_int64 rowid = sqlite3_column_int64(find.get(), 0);
        const auto size = static_cast<size_t>(sqlite3_column_int64(find.get(), 1));
        const int encoding = sqlite3_column_int(find.get(), 2);
        const int rc = blob == nullptr
                           ? sqlite3_blob_open(db, "main", "chunks", "data", rowid, 0, &blob)
                           : sqlite3_blob_reopen(blob, rowid);
        if (rc != SQLITE_OK) {
          status = SqlError(db, "opening a column chunk");
          break;
        }
        // Fixed-width columns without deletions are read straight into place: one copy when
        // stored raw, else through the scratch buffer and widened.
        auto read_into = [&](auto& vec) {
          if (size == 0 || size != FixedChunkSize(col.type, encoding, seg.rows)) {
            status = Status::Io(
                fmt::format("store {}: segment {} column {} is damaged", path_, seg.id, c));
            return;
          }
          char* dest = reinterpret_cast<char*>(vec.data() + at);
          if (encoding != kRaw) {
            scratch.resize(size);
            dest = scratch.data();
          }
          if (sqlite3_blob_read(blob, dest, static_cast<int>(size), 0) != SQLITE_OK) {
            status = SqlError(db, "reading a column chunk");
            return;
          }
          if (encoding != kRaw) WidenInto(scratch.data(), encoding, seg.rows, {}, vec.data() + at);
          at += seg.rows;
        };
        if (in_place && col.fixed_width()) {
          bool done = true;
          switch (col.type) {
            case ColumnType::kTime: read_into(col.times); break;
            case ColumnType::kInt: read_into(col.ints); break;
            case ColumnType::kReal: read_into(col.reals); break;
            case ColumnType::kBool:
            case ColumnType::kEnum: read_into(col.bytes); break;
            default: done = false;
          }
          if (done) {
            if (!status.ok()) break;
            continue;
          }
        }
        scratch.resize(size);
        if (sqlite3_blob_read(blob, scratch.data(), static_cast<int>(size), 0) != SQLITE_OK) {
          status = SqlError(db, "reading a column chunk");
          break;
        }
        status = DecodeColumnInto(scratch.data(), size, encoding, seg.rows, seg.deleted, &col);
        if (!status.ok()) break;
      }
    }
    sqlite3_blob_close(blob);
    return status;
  };
  Status helper_status;
  std::thread helper;
  // The helper connection reads only when it shares this snapshot (not inside a write).
  const bool parallel = total >= 100000 && todo.size() > 1 && helper_in_snapshot_;
  if (parallel) helper = std::thread([&] { helper_status = load_columns(helper_db_, share[1], 1); });
  Status status = load_columns(db_, parallel ? share[0] : todo, 0);
  if (parallel) helper.join();
  GOVQM_RETURN_IF_ERROR(status);
  GOVQM_RETURN_IF_ERROR(helper_status);
  out.SetRows(total);
  return Status::Ok();
}

Status SqliteStore::LoadFingerprints(sqlite3* db, const KindDef& def, int k,
                               const std::vector<SegmentRef>& segments, bool in_place,
                               std::vector<Fingerprint>* out) const {
  size_t at = 0;  // rows written so far when *out is pre-sized (in_place)
  Stmt find(db, "SELECT id, length(data) FROM chunks WHERE segment_id = ?1 AND col = ?2");
  if (!find.ok()) return SqlError(db, "preparing a load");
  std::vector<Fingerprint> scratch;
  for (const SegmentRef& seg : segments) {
    find.Reset();
    find.Bind(1, seg.id);
    find.Bind(2, static_cast<int64_t>(FingerprintColumn(k)));
    if (find.Step() == SQLITE_ROW) {
      const auto size = static_cast<size_t>(sqlite3_column_int64(find.get(), 1));
      if (size != seg.rows * sizeof(Fingerprint)) {
        return Status::Io(fmt::format("store {}: segment {} fingerprints are damaged", path_, seg.id));
      }
      sqlite3_blob* blob = nullptr;
      if (sqlite3_blob_open(db, "main", "chunks", "data", sqlite3_column_int64(find.get(), 0), 0,
                            &blob) != SQLITE_OK) {
        sqlite3_blob_close(blob);
        return SqlError(db, "opening a column chunk");
      }
      Fingerprint* dest;
      if (in_place) {
        dest = out->data() + at;
        at += seg.rows;
      } else if (seg.deleted.empty()) {
        out->resize(out->size() + seg.rows);
        dest = out->data() + out->size() - seg.rows;
      } else {
        scratch.resize(seg.rows);
        dest = scratch.data();
      }
      const int rc = sqlite3_blob_read(blob, dest, static_cast<int>(size), 0);
      sqlite3_blob_close(blob);
      if (rc != SQLITE_OK) return SqlError(db, "reading a column chunk");
      if (!seg.deleted.empty()) {
        for (size_t r = 0; r < seg.rows; ++r) {
          if (!IsDeleted(seg.deleted, r)) out->push_back(scratch[r]);
        }
      }
      continue;
    }
    // A segment written before fingerprints were kept: derive them from the text column.
    Stmt read(db, "SELECT data FROM chunks WHERE segment_id = ?1 AND col = ?2");
    if (!read.ok()) return SqlError(db, "preparing a load");
    read.Bind(1, seg.id);
    read.Bind(2, static_cast<int64_t>(def.fingerprinted[k]));
    if (read.Step() != SQLITE_ROW) {
      return Status::Io(
          fmt::format("store {}: segment {} lacks column {}", path_, seg.id, def.fingerprinted[k]));
    }
    Column text;
    text.type = ColumnType::kText;
    GOVQM_RETURN_IF_ERROR(DecodeColumnInto(static_cast<const char*>(sqlite3_column_blob(read.get(), 0)),
                                           sqlite3_column_bytes(read.get(), 0), kRaw, seg.rows,
                                           seg.deleted, &text));
    for (size_t r = 0; r < text.size(); ++r) {
      if (in_place) {
        (*out)[at++] = FingerprintOf(text.TextAt(r));
      } else {
        out->push_back(FingerprintOf(text.TextAt(r)));
      }
    }
  }
  return Status::Ok();
}


Result<CompactStats> SqliteStore::CompactSegments(double min_dead_share) {
  if (sqlite3_get_autocommit(db_)) {  // a write of its own
    GOVQM_ASSIGN_OR_RETURN(WriteTransaction txn, BeginWrite());
    GOVQM_ASSIGN_OR_RETURN(CompactStats stats, CompactSegments(min_dead_share));
    GOVQM_RETURN_IF_ERROR(txn.Commit());
    return stats;
  }
  CompactStats stats;
  struct Dead {
    int64_t id;
    std::string kind;
    size_t rows, live;
    std::string deleted;
  };
  std::vector<Dead> dead;
  {
    Stmt q(db_, "SELECT id, kind, rows, live, deleted FROM segments WHERE live < rows AND "
                "NOT (kind > 'pending:' AND kind < 'pending;') ORDER BY id");
    if (!q.ok()) return SqlError(db_, "listing segments to compact");
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      Dead d{sqlite3_column_int64(q.get(), 0),
             reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1)),
             static_cast<size_t>(sqlite3_column_int64(q.get(), 2)),
             static_cast<size_t>(sqlite3_column_int64(q.get(), 3)), {}};
      if (const void* b = sqlite3_column_blob(q.get(), 4)) {
        d.deleted.assign(static_cast<const char*>(b), sqlite3_column_bytes(q.get(), 4));
      }
      const double share = d.rows == 0 ? 1.0 : double(d.rows - d.live) / double(d.rows);
      if (d.live == 0 || share >= min_dead_share) dead.push_back(std::move(d));
    }
    if (rc != SQLITE_DONE) return SqlError(db_, "listing segments to compact");
  }
  Stmt drop_chunks(db_, "DELETE FROM chunks WHERE segment_id = ?1");
  Stmt drop_segment(db_, "DELETE FROM segments WHERE id = ?1");
  Stmt shrink(db_, "UPDATE segments SET rows = ?2, live = ?2, deleted = NULL WHERE id = ?1");
  Stmt read_hashes(db_, "SELECT data FROM chunks WHERE segment_id = ?1 AND col = -1");
  if (!drop_chunks.ok() || !drop_segment.ok() || !shrink.ok() || !read_hashes.ok()) {
    return SqlError(db_, "preparing compaction");
  }
  for (const Dead& d : dead) {
    stats.rows_dropped += static_cast<int64_t>(d.rows - d.live);
    if (d.live == 0) {
      drop_chunks.Reset();
      drop_chunks.Bind(1, d.id);
      drop_segment.Reset();
      drop_segment.Bind(1, d.id);
      if (drop_chunks.Step() != SQLITE_DONE || drop_segment.Step() != SQLITE_DONE) {
        return SqlError(db_, "dropping a dead segment");
      }
      ++stats.segments_dropped;
      continue;
    }
    // Rewritten in place, under the same id, so the order of segments (and of rows, which
    // later-wins replacement and ties rely on) stays as it was.
    std::optional<Kind> kind = ParseKind(d.kind);
    if (!kind) return Status::Io(fmt::format("store {}: segment {} has unknown kind {}", path_, d.id, d.kind));
    SegmentRef ref{d.id, d.rows, d.live, d.deleted};
    Table live(*kind);
    GOVQM_RETURN_IF_ERROR(LoadSegments(*kind, {ref}, nullptr, &live));
    read_hashes.Reset();
    read_hashes.Bind(1, d.id);
    if (read_hashes.Step() != SQLITE_ROW ||
        static_cast<size_t>(sqlite3_column_bytes(read_hashes.get(), 0)) != d.rows * 8) {
      return Status::Io(fmt::format("store {}: segment {} is damaged", path_, d.id));
    }
    const char* stored = static_cast<const char*>(sqlite3_column_blob(read_hashes.get(), 0));
    std::vector<uint64_t> hashes;
    hashes.reserve(d.live);
    for (size_t r = 0; r < d.rows; ++r) {
      if (IsDeleted(d.deleted, r)) continue;
      uint64_t h;
      std::memcpy(&h, stored + r * 8, 8);
      hashes.push_back(h);
    }
    read_hashes.Reset();
    if (hashes.size() != live.rows()) {
      return Status::Io(fmt::format("store {}: segment {} is damaged", path_, d.id));
    }
    drop_chunks.Reset();
    drop_chunks.Bind(1, d.id);
    if (drop_chunks.Step() != SQLITE_DONE) return SqlError(db_, "rewriting a segment");
    GOVQM_RETURN_IF_ERROR(WriteChunks(d.id, live, 0, live.rows(), hashes));
    shrink.Reset();
    shrink.Bind(1, d.id);
    shrink.Bind(2, static_cast<int64_t>(live.rows()));
    if (shrink.Step() != SQLITE_DONE) return SqlError(db_, "rewriting a segment");
    ++stats.segments_rewritten;
  }
  return stats;
}

Result<CompactStats> SqliteStore::Compact() {
  std::error_code ec;
  const auto size_of = [&] {
    const auto main = std::filesystem::file_size(path_, ec);
    const auto wal = std::filesystem::file_size(path_ + "-wal", ec);
    return static_cast<int64_t>((main == static_cast<uintmax_t>(-1) ? 0 : main) +
                                (ec ? 0 : wal));
  };
  const int64_t before = size_of();
  GOVQM_ASSIGN_OR_RETURN(CompactStats stats, CompactSegments(0.0));
  // Give the freed pages back to the file system. VACUUM is one transaction of its own:
  // killed midway, the store is as it was (compacted segments included).
  if (read_only_) return Status::FailedPrecondition(fmt::format("store {} is read-only", path_));
  GOVQM_RETURN_IF_ERROR(Exec("VACUUM"));
  GOVQM_RETURN_IF_ERROR(Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  stats.bytes_before = before;
  stats.bytes_after = size_of();
  return stats;
}

}  // namespace govqm

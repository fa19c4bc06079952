#include "store/store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

namespace govqm {
namespace {

// Schema migrations, applied in order; PRAGMA user_version records how many have run.
constexpr const char* kMigrations[] = {
    // 1: catalog, settings, segments of column chunks, import log.
    R"sql(
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE segments(
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      rows INTEGER NOT NULL,
      live INTEGER NOT NULL,
      deleted BLOB);                      -- bitmap of replaced rows, NULL when none
    CREATE INDEX segments_by_kind ON segments(kind, id);
    CREATE TABLE chunks(
      id INTEGER PRIMARY KEY,
      segment_id INTEGER NOT NULL REFERENCES segments(id),
      col INTEGER NOT NULL,               -- column index of the kind; -1 = identity hashes,
                                          -- -2 - k = fingerprints of the kind's k-th
                                          -- fingerprinted column (added later; optional)
      data BLOB NOT NULL);
    CREATE UNIQUE INDEX chunks_by_segment ON chunks(segment_id, col);
    CREATE TABLE imports(
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      kind TEXT NOT NULL,
      files TEXT NOT NULL,
      summary TEXT NOT NULL);
    )sql",
    // 2: fixed-width chunks may be stored narrower (see Encoding); 0 = the vector's bytes.
    R"sql(
    ALTER TABLE chunks ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 3: the file says whose it is, and a commit counter that lets several connections agree
    // on one snapshot (see BeginSnapshot). Not needed for reading: a read-only schema-2 store
    // still reads.
    R"sql(
    INSERT OR IGNORE INTO meta(key, value) VALUES('generation', '0');
    PRAGMA application_id = 1735356013;
    )sql",
};
// The schema version below which this program cannot read a store without migrating it.
constexpr int kMinReadableVersion = 2;
// PRAGMA application_id of a govqm store ("govm" as a big-endian int32).
constexpr int kApplicationId = 1735356013;
// How long a write waits for another writer before telling the user it is waiting.
constexpr int64_t kWaitNoticeMs = 3000;
constexpr int kHashColumn = -1;
static_assert(Store::FingerprintColumn(0) == -2);

// RAII prepared statement; every SQL with values is parameterised.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return s_; }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void BindBlob(int i, const std::string& v) {
    if (v.empty()) {
      sqlite3_bind_null(s_, i);
    } else {
      sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_STATIC);
    }
  }
  int Step() { return sqlite3_step(s_); }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

Status SqlError(sqlite3* db, std::string_view what) {
  return Status::Io(fmt::format("store: {}: {}", what, sqlite3_errmsg(db)));
}

template <typename T>
void PutPod(std::string* out, const T& v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <typename T>
void PutVector(std::string* out, const std::vector<T>& v, size_t begin, size_t end) {
  out->append(reinterpret_cast<const char*>(v.data() + begin), (end - begin) * sizeof(T));
}

// Serialises rows [begin, end) of one column. Layouts are little-endian, fixed width:
//   time i64[n] · int i32[n] · real f64[n] · bool/enum i8[n]   (raw; narrow forms: Encoding)
//   code: u32 dict_size, (u32 len, bytes)*, u32 codes[n] (0xFFFFFFFF = null)
//   text: u64 offsets[n + 1] (from 0), bytes
// Raw fixed-width columns are their vectors' bytes: returned as a view, with no copy.
template <typename T>
std::string_view VectorBytes(const std::vector<T>& v, size_t begin, size_t end) {
  return {reinterpret_cast<const char*>(v.data() + begin), (end - begin) * sizeof(T)};
}

// How a fixed-width chunk is laid out (chunks.encoding). A narrow form is chosen when every
// value of the chunk fits it exactly, so reading it back gives the same values; it halves
// what import writes and what every read copies for most columns (times are mostly whole
// seconds within a year of each other, days and counts are small).
enum Encoding : int {
  kRaw = 0,        // the vector's bytes
  kSeconds32 = 1,  // times: i64 base seconds, then i32 (seconds - base) per row; INT32_MIN = null
  kFloat32 = 2,    // reals: f32 per row, every value exactly a float (NaN = null)
  kInt16 = 3,      // ints: i16 per row; INT16_MIN = null
};

constexpr int32_t kNullSeconds32 = std::numeric_limits<int32_t>::min();
constexpr int16_t kNullInt16 = std::numeric_limits<int16_t>::min();

struct EncodedChunk {
  std::string_view data;
  int encoding = kRaw;
};

// The narrow form of a time range, or false when a value is not whole seconds or the range
// spans more than 68 years.
bool EncodeSeconds32(const std::vector<int64_t>& v, size_t begin, size_t end, std::string* out) {
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (size_t r = begin; r < end; ++r) {
    if (v[r] == kNullTime) continue;
    if (v[r] % 1000 != 0) return false;
    lo = std::min(lo, v[r] / 1000);
    hi = std::max(hi, v[r] / 1000);
  }
  if (lo > hi) lo = hi = 0;  // all null
  if (hi - lo >= std::numeric_limits<int32_t>::max()) return false;
  PutPod(out, lo);
  for (size_t r = begin; r < end; ++r) {
    PutPod(out, v[r] == kNullTime ? kNullSeconds32 : static_cast<int32_t>(v[r] / 1000 - lo));
  }
  return true;
}

bool EncodeFloat32(const std::vector<double>& v, size_t begin, size_t end, std::string* out) {
  for (size_t r = begin; r < end; ++r) {
    if (!std::isnan(v[r]) && static_cast<double>(static_cast<float>(v[r])) != v[r]) return false;
  }
  for (size_t r = begin; r < end; ++r) PutPod(out, static_cast<float>(v[r]));
  return true;
}

bool EncodeInt16(const std::vector<int32_t>& v, size_t begin, size_t end, std::string* out) {
  for (size_t r = begin; r < end; ++r) {
    if (v[r] != kNullInt && (v[r] <= kNullInt16 || v[r] > std::numeric_limits<int16_t>::max())) {
      return false;
    }
  }
  for (size_t r = begin; r < end; ++r) {
    PutPod(out, v[r] == kNullInt ? kNullInt16 : static_cast<int16_t>(v[r]));
  }
  return true;
}

EncodedChunk EncodeColumn(const Column& c, size_t begin, size_t end, std::string* buffer) {
  std::string& out = *buffer;
  out.clear();
  switch (c.type) {
    case ColumnType::kTime:
      if (EncodeSeconds32(c.times, begin, end, &out)) return {out, kSeconds32};
      out.clear();
      return {VectorBytes(c.times, begin, end)};
    case ColumnType::kInt:
      if (EncodeInt16(c.ints, begin, end, &out)) return {out, kInt16};
      out.clear();
      return {VectorBytes(c.ints, begin, end)};
    case ColumnType::kReal:
      if (EncodeFloat32(c.reals, begin, end, &out)) return {out, kFloat32};
      out.clear();
      return {VectorBytes(c.reals, begin, end)};
    case ColumnType::kBool:
    case ColumnType::kEnum: return {VectorBytes(c.bytes, begin, end)};
    case ColumnType::kCode: {
      // Only the codes used in this range go into the segment's dictionary.
      std::vector<uint32_t> remap(c.dict.size(), kNullCode);
      std::vector<uint32_t> used;
      std::vector<uint32_t> codes(end - begin);
      for (size_t r = begin; r < end; ++r) {
        const uint32_t code = c.codes[r];
        if (code == kNullCode) {
          codes[r - begin] = kNullCode;
          continue;
        }
        if (remap[code] == kNullCode) {
          remap[code] = static_cast<uint32_t>(used.size());
          used.push_back(code);
        }
        codes[r - begin] = remap[code];
      }
      PutPod(&out, static_cast<uint32_t>(used.size()));
      for (uint32_t code : used) {
        const std::string& s = c.dict[code];
        PutPod(&out, static_cast<uint32_t>(s.size()));
        out.append(s);
      }
      PutVector(&out, codes, 0, codes.size());
      return {out};
    }
    case ColumnType::kText: {
      const uint64_t base = c.offsets[begin];
      out.reserve((end - begin + 1) * 8 + (c.offsets[end] - base));
      for (size_t r = begin; r <= end; ++r) PutPod(&out, c.offsets[r] - base);
      out.append(c.text, base, c.offsets[end] - base);
      return {out};
    }
  }
  return {out};
}

bool IsDeleted(const std::string& bitmap, size_t row) {
  return !bitmap.empty() && (static_cast<unsigned char>(bitmap[row >> 3]) >> (row & 7)) & 1;
}

// The size a fixed-width chunk of `rows` rows has in `encoding`, or 0 for a pair that does
// not exist.
size_t FixedChunkSize(ColumnType type, int encoding, size_t rows) {
  switch (encoding) {
    case kRaw:
      switch (type) {
        case ColumnType::kTime:
        case ColumnType::kReal: return rows * 8;
        case ColumnType::kInt: return rows * 4;
        case ColumnType::kBool:
        case ColumnType::kEnum: return rows;
        default: return 0;
      }
    case kSeconds32: return type == ColumnType::kTime ? 8 + rows * 4 : 0;
    case kFloat32: return type == ColumnType::kReal ? rows * 4 : 0;
    case kInt16: return type == ColumnType::kInt ? rows * 2 : 0;
  }
  return 0;
}

// Widens chunk `p` (`rows` rows of a fixed-width column in `encoding`, size already checked)
// into dst, skipping deleted rows; returns the rows written.
template <typename V>
size_t WidenInto(const char* p, int encoding, size_t rows, const std::string& deleted, V* dst) {
  size_t n = 0;
  auto each = [&](auto narrow, size_t skip, auto widen) {
    using S = decltype(narrow);
    const char* q = p + skip;
    for (size_t r = 0; r < rows; ++r) {
      if (!deleted.empty() && IsDeleted(deleted, r)) continue;
      S v;
      std::memcpy(&v, q + r * sizeof(S), sizeof(S));
      dst[n++] = static_cast<V>(widen(v));
    }
  };
  switch (encoding) {
    case kSeconds32: {
      int64_t base;
      std::memcpy(&base, p, 8);
      each(int32_t{}, 8, [&](int32_t v) {
        return v == kNullSeconds32 ? kNullTime : (base + v) * 1000;
      });
      break;
    }
    case kFloat32: each(float{}, 0, [](float v) { return static_cast<double>(v); }); break;
    case kInt16: each(int16_t{}, 0, [](int16_t v) { return v == kNullInt16 ? kNullInt : int32_t{v}; }); break;
    default: each(V{}, 0, [](V v) { return v; }); break;
  }
  return n;
}

// Appends the live rows of an encoded column chunk to `c`.
Status DecodeColumnInto(const char* p, size_t size, int encoding, size_t rows,
                        const std::string& deleted, Column* c) {
  auto need = [&](size_t n) { return n <= size; };
  auto copy_live = [&](auto& vec) -> Status {
    const size_t want = FixedChunkSize(c->type, encoding, rows);
    if (want == 0) return Status::Io("store: column chunk has an unknown encoding");
    if (!need(want)) return Status::Io("store: column chunk is truncated");
    const size_t at = vec.size();
    vec.resize(at + rows);
    vec.resize(at + WidenInto(p, encoding, rows, deleted, vec.data() + at));
    return Status::Ok();
  };
  switch (c->type) {
    case ColumnType::kTime: return copy_live(c->times);
    case ColumnType::kInt: return copy_live(c->ints);
    case ColumnType::kReal: return copy_live(c->reals);
    case ColumnType::kBool:
    case ColumnType::kEnum: return copy_live(c->bytes);
    case ColumnType::kCode: {
      size_t pos = 0;
      uint32_t dict_size;
      if (!need(4)) return Status::Io("store: column chunk is truncated");
      std::memcpy(&dict_size, p, 4);
      pos = 4;
      std::vector<uint32_t> remap(dict_size);
      for (uint32_t i = 0; i < dict_size; ++i) {
        uint32_t len;
        if (!need(pos + 4)) return Status::Io("store: column chunk is truncated");
        std::memcpy(&len, p + pos, 4);
        pos += 4;
        if (!need(pos + len)) return Status::Io("store: column chunk is truncated");
        remap[i] = c->dict.Intern(std::string_view(p + pos, len));
        pos += len;
      }
      if (!need(pos + rows * 4)) return Status::Io("store: column chunk is truncated");
      const char* codes = p + pos;
      c->codes.reserve(c->codes.size() + rows);
      for (size_t r = 0; r < rows; ++r) {
        if (IsDeleted(deleted, r)) continue;
        uint32_t code;
        std::memcpy(&code, codes + r * 4, 4);
        c->codes.push_back(code == kNullCode ? kNullCode : remap[code]);
      }
      return Status::Ok();
    }
    case ColumnType::kText: {
      if (!need((rows + 1) * 8)) return Status::Io("store: column chunk is truncated");
      const char* bytes = p + (rows + 1) * 8;
      auto offset = [&](size_t r) {
        uint64_t o;
        std::memcpy(&o, p + r * 8, 8);
        return o;
      };
      if (!need((rows + 1) * 8 + offset(rows))) return Status::Io("store: column chunk is truncated");
      if (deleted.empty()) {  // the common case: one copy of the bytes, offsets shifted
        const uint64_t base = c->text.size();
        c->text.append(bytes, offset(rows));
        const size_t at = c->offsets.size();
        c->offsets.resize(at + rows);
        for (size_t r = 0; r < rows; ++r) c->offsets[at + r] = base + offset(r + 1);
        return Status::Ok();
      }
      for (size_t r = 0; r < rows; ++r) {
        if (IsDeleted(deleted, r)) continue;
        c->text.append(bytes + offset(r), offset(r + 1) - offset(r));
        c->offsets.push_back(c->text.size());
      }
      return Status::Ok();
    }
  }
  return Status::Internal("store: unknown column type");
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

}  // namespace

Store::~Store() {
  sqlite3_close(helper_db_);
  sqlite3_close(db_);
}

Status Store::Exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Io(fmt::format("store {}: {}", path_, err ? err : "error"));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Status Store::Migrate() {
  Stmt v(db_, "PRAGMA user_version");
  if (!v.ok() || v.Step() != SQLITE_ROW) return SqlError(db_, "reading the schema version");
  const int version = sqlite3_column_int(v.get(), 0);
  constexpr int kLatest = static_cast<int>(std::size(kMigrations));
  static_assert(kLatest == kStoreSchemaVersion);
  if (version > kLatest) {
    return Status::Invalid(fmt::format(
        "store {} has schema version {}, newer than this govqm ({}); upgrade govqm", path_,
        version, kLatest));
  }
  if (read_only_) {  // read as it is, if this program can
    if (version < kMinReadableVersion) {
      return Status::FailedPrecondition(fmt::format(
          "store {} has schema version {} and is read-only; open it once where it can be "
          "written to upgrade it",
          path_, version));
    }
    return Status::Ok();
  }
  for (int m = version; m < kLatest; ++m) {
    GOVQM_RETURN_IF_ERROR(Begin());
    Status s = Exec(kMigrations[m]);
    if (s.ok()) s = Exec(fmt::format("PRAGMA user_version = {}", m + 1).c_str());
    if (!s.ok()) {
      Rollback();
      return s;
    }
    GOVQM_RETURN_IF_ERROR(Commit());
  }
  return Status::Ok();
}

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// SQLite's busy handler: wait as long as it takes (another process's import may take
// minutes), telling the user once after a few seconds. Sleeps grow to 50 ms.
int StoreBusyWait(void* arg, int count) {
  const Store* store = static_cast<const Store*>(arg);
  if (count == 0) {
    store->wait_started_ms_ = SteadyMs();
  } else if (!store->wait_noticed_ && SteadyMs() - store->wait_started_ms_ >= kWaitNoticeMs) {
    store->wait_noticed_ = true;
    if (store->options_.on_wait) store->options_.on_wait();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, 1 << std::min(count, 6))));
  return 1;
}

namespace {

Result<sqlite3*> OpenDb(const std::string& uri, const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(uri.c_str(), &db, flags | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Io(fmt::format("cannot open store {}: {}", path, msg));
  }
  return db;
}

// A file: URI for `path` (percent-encoding what a URI cannot hold), with `query`.
std::string FileUri(const std::string& path, const std::string& query) {
  std::string uri = "file:";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || std::strchr("/-_.~", c) != nullptr) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  if (!query.empty()) uri += "?" + query;
  return uri;
}

bool Writable(const std::string& path) {
  const std::filesystem::path p = std::filesystem::absolute(path);
  return ::access(p.c_str(), W_OK) == 0 && ::access(p.parent_path().c_str(), W_OK) == 0;
}

// What the first bytes of a file say it is: "" for an SQLite database.
std::string NotSqlite(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fmt::format("cannot read it: {}", std::strerror(errno));
  char header[16] = {};
  const size_t n = std::fread(header, 1, sizeof header, f);
  std::fclose(f);
  if (n == 0) return "it is an empty file";
  if (n < sizeof header || std::memcmp(header, "SQLite format 3", 16) != 0) {
    return "it is not an SQLite database";
  }
  return "";
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Create(const std::string& path, const std::string& zone,
                                             StoreOptions options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Status::Invalid(fmt::format("{} is a directory", path));
  if (fs::exists(path, ec) && !(fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0)) {
    return Status::AlreadyExists(fmt::format("store {} already exists", path));
  }
  // Built beside its place under a temporary name, then renamed: a kill or a full disk at
  // any moment leaves either no store or a whole one, never a file every command refuses.
  const fs::path target = fs::absolute(path);
  const std::string tmp =
      (target.parent_path() / fmt::format(".{}.init-{}.tmp", target.filename().string(), ::getpid()))
          .string();
  auto cleanup = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp + suffix, ec);
  };
  cleanup();
  // Temporaries of inits that were killed: their process is gone.
  const std::string prefix = fmt::format(".{}.init-", target.filename().string());
  for (const auto& e : fs::directory_iterator(target.parent_path(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove(e.path(), ec);
  }
  {
    auto db = OpenDb(FileUri(tmp, ""), path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db.ok()) return db.status();
    std::unique_ptr<Store> store(new Store(*db, tmp, options));
    // Big pages suit the column BLOBs; must be set before WAL.
    Status s = store->Exec("PRAGMA page_size = 65536");
    if (s.ok()) s = store->Exec("PRAGMA journal_mode = WAL");
    if (s.ok()) s = store->Exec("PRAGMA synchronous = FULL");
    if (s.ok()) s = store->Migrate();
    if (s.ok()) s = store->PutSetting("timezone", zone);
    // Fold the WAL into the file, so the one file renamed is the whole store.
    if (s.ok()) s = store->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!s.ok()) {
      store.reset();
      cleanup();
      return Status::Io(fmt::format("cannot create store {}: {}", path, s.message()));
    }
  }  // closed: the WAL is checkpointed and removed
  if (int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
      cleanup();
      return Status::Io(fmt::format("cannot create store {}: {}", path, std::strerror(errno)));
    }
  }
  // An empty file at the target (left by an interrupted copy) may be replaced; anything
  // else that appeared meanwhile may not.
  if (fs::exists(path, ec) && fs::file_size(path, ec) == 0) fs::remove(path, ec);
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    const int err = errno;
    cleanup();
    if (err == EEXIST) return Status::AlreadyExists(fmt::format("store {} already exists", path));
    return Status::Io(fmt::format("cannot create store {}: {}", path, std::strerror(err)));
  }
  if (int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY); dir >= 0) {
    ::fsync(dir);  // the rename itself made durable
    ::close(dir);
  }
  cleanup();
  return Open(path, std::move(options));
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Status::NotFound(fmt::format("no store at {} (run 'govqm init' first)", path));
  }
  if (fs::is_directory(path, ec)) {
    return Status::Invalid(fmt::format("{} is a directory, not a govqm store", path));
  }
  // Look before touching: opening another application's database and migrating it would
  // write govqm's tables into it.
  if (std::string why = NotSqlite(path); !why.empty()) {
    return Status::Invalid(fmt::format("{} is not a govqm store ({})", path, why));
  }
  const bool writable = Writable(path);
  // A store nobody may write (read-only file, directory or mount) is read as immutable
  // when no WAL holds commits beyond the file: SQLite would otherwise need to create the
  // WAL index beside it, which it cannot.
  std::string uri = FileUri(path, writable ? "" : "mode=ro");
  if (!writable && (!fs::exists(path + "-wal", ec) || fs::file_size(path + "-wal", ec) == 0)) {
    uri = FileUri(path, "immutable=1");
  }
  auto db = OpenDb(uri, path, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  std::unique_ptr<Store> store(new Store(*db, path, std::move(options)));
  store->uri_ = uri;
  store->read_only_ = !writable;
  sqlite3_busy_handler(*db, StoreBusyWait, store.get());
  // Whose file is it? A govqm store says so in its application id (schema 3 on) or, before
  // that, by its tables; anything else is refused untouched.
  {
    Stmt id(*db, "PRAGMA application_id");
    if (!id.ok() || id.Step() != SQLITE_ROW) {
      return Status::Invalid(fmt::format("{} is not a govqm store ({})", path, sqlite3_errmsg(*db)));
    }
    const int app = sqlite3_column_int(id.get(), 0);
    if (app != kApplicationId) {
      Stmt tables(*db,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                  "name IN ('meta', 'segments', 'chunks', 'imports')");
      const bool legacy = app == 0 && tables.ok() && tables.Step() == SQLITE_ROW &&
                          sqlite3_column_int(tables.get(), 0) == 4;
      if (!legacy) {
        return Status::Invalid(fmt::format(
            "{} is not a govqm store (an SQLite database of another application); left untouched",
            path));
      }
    }
  }
  if (writable) GOVQM_RETURN_IF_ERROR(store->Exec("PRAGMA synchronous = FULL"));
  // No memory map: column chunks are read with pread (SQLite reads overflow pages straight
  // into our buffers). A mapped file costs a page fault per few pages touched, and on our
  // VMs those faults cost more than the copy: the 10M-row catalog ran 1.8 s unmapped against
  // 3.2-3.7 s mapped, the same hour (docs/PERFORMANCE.md).
  GOVQM_RETURN_IF_ERROR(store->Exec("PRAGMA mmap_size = 0"));
  Status s = store->Migrate();
  if (!s.ok()) {
    if (s.code() == StatusCode::kIo) {
      return Status::Invalid(fmt::format("{} is not a govqm store ({})", path, s.message()));
    }
    return s;
  }
  auto zone = store->GetSetting("timezone");
  if (!zone.ok()) return zone.status();
  if (!zone->has_value()) return Status::Invalid(fmt::format("{} is not a govqm store", path));
  store->zone_ = **zone;
  return store;
}

Status Store::OpenHelper() const {
  if (helper_db_ != nullptr) return Status::Ok();
  auto db = OpenDb(uri_.empty() ? FileUri(path_, "") : uri_, path_, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  helper_db_ = *db;
  sqlite3_busy_handler(helper_db_, StoreBusyWait, const_cast<Store*>(this));
  char* err = nullptr;
  sqlite3_exec(helper_db_, "PRAGMA mmap_size = 0", nullptr, nullptr, &err);
  sqlite3_free(err);
  return Status::Ok();
}

namespace {

// The commit counter a connection's snapshot sees (0 for a store that never had one). The
// read starts the connection's read transaction, if one was begun.
Result<int64_t> ReadGeneration(sqlite3* db) {
  Stmt q(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'");
  if (!q.ok()) return SqlError(db, "reading the commit counter");
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return int64_t{0};
  if (rc != SQLITE_ROW) return SqlError(db, "reading the commit counter");
  return static_cast<int64_t>(sqlite3_column_int64(q.get(), 0));
}

Status ExecOn(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Io(fmt::format("store: {}", err ? err : "error"));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

}  // namespace

// Both connections must read the same state. SQLite in Debian lacks sqlite3_snapshot_open,
// so each starts a read transaction and reads the commit counter every commit bumps; if a
// commit landed between the two starts, both end and try again (commits are rare and short).
Status Store::BeginSnapshot() const {
  if (snapshot_depth_++ > 0) return Status::Ok();
  helper_in_snapshot_ = false;
  if (!sqlite3_get_autocommit(db_)) return Status::Ok();  // inside a write: it is the snapshot
  Status s = OpenHelper();
  for (int attempt = 0; s.ok(); ++attempt) {
    s = ExecOn(db_, "BEGIN");
    if (!s.ok()) break;
    auto mine = ReadGeneration(db_);
    if (!mine.ok()) {
      s = mine.status();
      break;
    }
    s = ExecOn(helper_db_, "BEGIN");
    if (!s.ok()) break;
    auto theirs = ReadGeneration(helper_db_);
    if (!theirs.ok()) {
      s = theirs.status();
      break;
    }
    if (*mine == *theirs) {
      helper_in_snapshot_ = true;
      return Status::Ok();
    }
    ExecOn(helper_db_, "COMMIT").IgnoreError();
    ExecOn(db_, "COMMIT").IgnoreError();
    if (attempt > 1000) {
      s = Status::Io(fmt::format("store {}: no stable snapshot after 1000 tries", path_));
    }
  }
  if (!sqlite3_get_autocommit(db_)) ExecOn(db_, "COMMIT").IgnoreError();
  if (helper_db_ != nullptr && !sqlite3_get_autocommit(helper_db_)) {
    ExecOn(helper_db_, "COMMIT").IgnoreError();
  }
  snapshot_depth_ = 0;
  return s;
}

void Store::EndSnapshot() const {
  if (--snapshot_depth_ > 0) return;
  if (!helper_in_snapshot_) return;  // a snapshot taken inside a write transaction
  helper_in_snapshot_ = false;
  ExecOn(helper_db_, "COMMIT").IgnoreError();
  ExecOn(db_, "COMMIT").IgnoreError();
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

Status Store::Begin() {
  if (read_only_) {
    return Status::FailedPrecondition(
        fmt::format("store {} is read-only (file, directory or mount); it can be read, not written", path_));
  }
  if (snapshot_depth_ > 0) {
    return Status::Internal("store: a write cannot begin inside a read snapshot");
  }
  wait_noticed_ = false;
  return Exec("BEGIN IMMEDIATE");
}

Status Store::Commit() {
  // An import that left segments mostly replaced rewrites them now, in the same commit:
  // the store then grows by what is live, not by everything ever imported.
  if (replaced_rows_) {
    replaced_rows_ = false;
    auto compacted = CompactSegments(0.5);
    if (!compacted.ok()) {
      Rollback();
      return compacted.status();
    }
  }
  // Every commit bumps the counter that lets readers agree on one snapshot.
  Status s = Exec(
      "INSERT INTO meta(key, value) VALUES('generation', '1') "
      "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
  if (!s.ok()) {
    Rollback();
    return s;
  }
  return Exec("COMMIT");
}

void Store::Rollback() {
  replaced_rows_ = false;
  if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK").IgnoreError();
}

Status Store::PutSetting(const std::string& key, const std::string& value) {
  if (sqlite3_get_autocommit(db_)) {  // a write of its own
    GOVQM_ASSIGN_OR_RETURN(WriteTransaction txn, BeginWrite());
    GOVQM_RETURN_IF_ERROR(PutSetting(key, value));
    return txn.Commit();
  }
  Stmt s(db_, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!s.ok()) return SqlError(db_, "preparing a setting");
  s.Bind(1, key);
  s.Bind(2, value);
  if (s.Step() != SQLITE_DONE) return SqlError(db_, "writing a setting");
  return Status::Ok();
}

Result<std::optional<std::string>> Store::GetSetting(const std::string& key) const {
  Stmt s(db_, "SELECT value FROM meta WHERE key = ?1");
  if (!s.ok()) return SqlError(db_, "preparing a setting read");
  s.Bind(1, key);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading a setting");
  return std::optional<std::string>(
      reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)));
}

Status Store::LogImport(const ImportRecord& r) {
  Stmt s(db_, "INSERT INTO imports(kind, files, summary) VALUES(?1, ?2, ?3)");
  if (!s.ok()) return SqlError(db_, "preparing the import log");
  s.Bind(1, r.kind);
  s.Bind(2, r.files);
  s.Bind(3, r.summary_json);
  if (s.Step() != SQLITE_DONE) return SqlError(db_, "writing the import log");
  return Status::Ok();
}

Status Store::WriteSegment(const Table& rows, size_t begin, size_t end,
                           const std::vector<uint64_t>& hashes) {
  Stmt seg(db_, "INSERT INTO segments(kind, rows, live) VALUES(?1, ?2, ?2)");
  if (!seg.ok()) return SqlError(db_, "preparing a segment");
  seg.Bind(1, rows.def().name);
  seg.Bind(2, static_cast<int64_t>(end - begin));
  if (seg.Step() != SQLITE_DONE) return SqlError(db_, "writing a segment");
  return WriteChunks(sqlite3_last_insert_rowid(db_), rows, begin, end, hashes);
}

Status Store::WriteChunks(int64_t segment_id, const Table& rows, size_t begin, size_t end,
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

Result<AppendStats> Store::Append(const Table& rows, const std::vector<uint64_t>& hashes) {
  AppendStats stats;
  if (rows.rows() == 0) return stats;
  const std::string kind(rows.def().name);

  // 1. Find live stored rows with an identity in `rows`; mark them deleted.
  const HashIndex index(hashes);
  struct SegmentInfo {
    int64_t id, rows, live;
    std::string deleted;
  };
  std::vector<SegmentInfo> segments;
  {
    Stmt q(db_, "SELECT id, rows, live, deleted FROM segments WHERE kind = ?1 AND live > 0 ORDER BY id");
    if (!q.ok()) return SqlError(db_, "listing segments");
    q.Bind(1, kind);
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      SegmentInfo s{sqlite3_column_int64(q.get(), 0), sqlite3_column_int64(q.get(), 1),
                    sqlite3_column_int64(q.get(), 2), {}};
      if (const void* b = sqlite3_column_blob(q.get(), 3)) {
        s.deleted.assign(static_cast<const char*>(b), sqlite3_column_bytes(q.get(), 3));
      }
      segments.push_back(std::move(s));
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
    if (changed) {
      update.Reset();
      update.Bind(1, seg.id);
      update.Bind(2, seg.live);
      update.BindBlob(3, seg.deleted);
      if (update.Step() != SQLITE_DONE) return SqlError(db_, "marking replaced rows");
    }
  }

  // 2. Write the new rows as segments.
  for (size_t begin = 0; begin < rows.rows(); begin += kSegmentRows) {
    const size_t end = std::min(rows.rows(), begin + kSegmentRows);
    GOVQM_RETURN_IF_ERROR(WriteSegment(rows, begin, end, hashes));
  }
  stats.loaded = static_cast<int64_t>(rows.rows());
  return stats;
}

Result<int64_t> Store::CountRows(Kind kind) const {
  Stmt q(db_, "SELECT coalesce(sum(live), 0) FROM segments WHERE kind = ?1");
  if (!q.ok()) return SqlError(db_, "preparing a count");
  q.Bind(1, GetKindDef(kind).name);
  if (q.Step() != SQLITE_ROW) return SqlError(db_, "counting rows");
  return static_cast<int64_t>(sqlite3_column_int64(q.get(), 0));
}

Result<std::vector<Store::SegmentRef>> Store::ListSegments(Kind kind) const {
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

Result<std::vector<std::string>> Store::ColumnDictionary(Kind kind, int col) const {
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

Result<Table> Store::Load(Kind kind, const std::vector<int>* columns) const {
  GOVQM_ASSIGN_OR_RETURN(ReadSnapshot snapshot, Snapshot());
  auto segments = ListSegments(kind);
  if (!segments.ok()) return segments.status();
  Table out(kind);
  GOVQM_RETURN_IF_ERROR(LoadSegments(kind, *segments, columns, &out));
  return out;
}

Status Store::LoadSegments(Kind kind, const std::vector<SegmentRef>& segments,
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
          status = Status::Io(fmt::format("store {}: segment {} lacks column {}", path_, seg.id, c));
          break;
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

Status Store::LoadFingerprints(sqlite3* db, const KindDef& def, int k,
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


Result<CompactStats> Store::CompactSegments(double min_dead_share) {
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
    Stmt q(db_, "SELECT id, kind, rows, live, deleted FROM segments WHERE live < rows ORDER BY id");
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

Result<CompactStats> Store::Compact() {
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

#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "store/sqlite/file_uri.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/statement.h"

namespace govqm {

using sqlite::ExecOn;
using sqlite::FileUri;
using sqlite::SqlError;
using sqlite::Stmt;
using sqlite::kApplicationId;
using sqlite::kWaitNoticeMs;

SqliteStore::~SqliteStore() {
  sqlite3_finalize(generation_stmt_);
  sqlite3_close(helper_db_);
  sqlite3_close(db_);
  UnlockWriters();
}

Status SqliteStore::Exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Io(fmt::format("store {}: {}", path_, err ? err : "error"));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}


namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}


Result<sqlite3*> OpenDb(const std::string& uri, const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(uri.c_str(), &db, flags | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Io(fmt::format("cannot open store {}: {}", path, msg));
  }
  return db;
}


bool Writable(const std::string& path) {
  const std::filesystem::path p = std::filesystem::absolute(path);
  return ::access(p.c_str(), W_OK) == 0 && ::access(p.parent_path().c_str(), W_OK) == 0;
}

// What the first bytes of a file say it is: "" for an SQLite database. Read through SQLite's
// own VFS, never with fopen: closing any other descriptor of the file drops every POSIX lock
// this process holds on it (SQLite's VFS defers such closes while its connections hold
// locks). Without its locks an open store looks unused to another process, whose closing
// connection then checkpoints and deletes the WAL under this one: the server then read a
// store as it was before a CLI's commit (found by the server's token revocation test).
std::string NotSqlite(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fmt::format("cannot read it: {}", std::strerror(errno));
  if (st.st_size == 0) return "it is an empty file";
  sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
  std::vector<char> handle(static_cast<size_t>(vfs->szOsFile));
  auto* file = reinterpret_cast<sqlite3_file*>(handle.data());
  int flags_out = 0;
  const std::string full = std::filesystem::absolute(path).string();
  if (vfs->xOpen(vfs, full.c_str(), file, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB,
                 &flags_out) != SQLITE_OK) {
    if (file->pMethods != nullptr) file->pMethods->xClose(file);
    return fmt::format("cannot read it: {}", std::strerror(errno));
  }
  char header[16] = {};
  const int rc = file->pMethods->xRead(file, header, sizeof header, 0);
  file->pMethods->xClose(file);
  if (rc != SQLITE_OK || std::memcmp(header, "SQLite format 3", 16) != 0) {
    return "it is not an SQLite database";
  }
  return "";
}

// Makes the whole file `tmp` durable and renames it to `path`, never over an existing file.
Status Publish(const std::string& tmp, const std::string& path) {
  const std::filesystem::path target = std::filesystem::absolute(path);
  if (int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) return Status::Io(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    const int err = errno;
    if (err == EEXIST) return Status::AlreadyExists(fmt::format("{} already exists", path));
    return Status::Io(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
  if (int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY); dir >= 0) {
    ::fsync(dir);  // the rename itself made durable
    ::close(dir);
  }
  return Status::Ok();
}

// Copies every page of `from` into `to` in one step of SQLite's online backup: one committed
// state of the source, written to the destination as one transaction.
Status CopyDatabase(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (b == nullptr) return SqlError(to, what);
  int rc;
  while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int finished = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE || finished != SQLITE_OK) return SqlError(to, what);
  return Status::Ok();
}

}  // namespace
// SQLite's busy handler: wait as long as it takes (another process's import may take
// minutes), telling the user once after a few seconds. Sleeps grow to 50 ms.
int SqliteStore::BusyWait(void* arg, int count) {
  auto* store = static_cast<const SqliteStore*>(arg);
  if (count == 0) {
    store->wait_started_ms_ = SteadyMs();
  } else if (!store->wait_noticed_ && SteadyMs() - store->wait_started_ms_ >= kWaitNoticeMs) {
    store->wait_noticed_ = true;
    if (store->options_.on_wait) store->options_.on_wait();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, 1 << std::min(count, 6))));
  return 1;
}

Result<std::unique_ptr<Store>> SqliteStore::Create(const std::string& path, const std::string& zone,
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
    std::unique_ptr<SqliteStore> store(new SqliteStore(*db, tmp, options));
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
  // An empty file at the target (left by an interrupted copy) may be replaced; anything
  // else that appeared meanwhile may not.
  if (fs::exists(path, ec) && fs::file_size(path, ec) == 0) fs::remove(path, ec);
  if (Status published = Publish(tmp, path); !published.ok()) {
    cleanup();
    return published;
  }
  cleanup();
  return Open(path, std::move(options));
}

Result<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path, StoreOptions options) {
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
  std::unique_ptr<SqliteStore> store(new SqliteStore(*db, path, std::move(options)));
  store->uri_ = uri;
  store->read_only_ = !writable;
  sqlite3_busy_handler(*db, BusyWait, store.get());
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
  // Debian builds SQLite with secure_delete on: every freed page is overwritten with zeros.
  // A re-import that drops whole dead segments would then write them all again (the 10M
  // re-import's commit took 15 s instead of 6). Replaced rows are earlier versions of rows
  // still stored; `compact` (VACUUM) leaves no free page behind.
  if (writable) GOVQM_RETURN_IF_ERROR(store->Exec("PRAGMA secure_delete = OFF"));
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
  return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::OpenHelper() const {
  if (helper_db_ != nullptr) return Status::Ok();
  auto db = OpenDb(uri_.empty() ? FileUri(path_, "") : uri_, path_, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  helper_db_ = *db;
  sqlite3_busy_handler(helper_db_, BusyWait, const_cast<SqliteStore*>(this));
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

}  // namespace


// Both connections must read the same state. SQLite in Debian lacks sqlite3_snapshot_open,
// so each starts a read transaction and reads the commit counter every commit bumps; if a
// commit landed between the two starts, both end and try again (commits are rare and short).
Status SqliteStore::BeginSnapshot() const {
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

void SqliteStore::EndSnapshot() const {
  if (--snapshot_depth_ > 0) return;
  if (!helper_in_snapshot_) return;  // a snapshot taken inside a write transaction
  helper_in_snapshot_ = false;
  ExecOn(helper_db_, "COMMIT").IgnoreError();
  ExecOn(db_, "COMMIT").IgnoreError();
}

Status SqliteStore::BackupTo(const std::string& path) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec)) return Status::AlreadyExists(fmt::format("{} already exists", path));
  const fs::path target = fs::absolute(path);
  const std::string tmp =
      (target.parent_path() / fmt::format(".{}.backup-{}.tmp", target.filename().string(), ::getpid()))
          .string();
  auto cleanup = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp + suffix, ec);
  };
  cleanup();
  {
    auto db = OpenDb(FileUri(tmp, ""), path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db.ok()) return db.status();
    Status s = CopyDatabase(db_, *db, "copying the store");
    // Fold the copy's WAL into its file, so the one file renamed is the whole store.
    if (s.ok()) s = ExecOn(*db, "PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3_close(*db);
    if (!s.ok()) {
      cleanup();
      return Status::Io(fmt::format("cannot back up to {}: {}", path, s.message()));
    }
  }
  Status published = Publish(tmp, path);
  cleanup();
  return published;
}

Status SqliteStore::RestoreFrom(const std::string& path) {
  if (read_only_) return Begin();  // the read-only refusal
  if (snapshot_depth_ > 0 || !sqlite3_get_autocommit(db_)) {
    return Status::Internal("store: restore inside a transaction");
  }
  // The backup is copied first (read only), and the copy checked and migrated: the user's
  // file is never written to.
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string tmp =
      (fs::absolute(path_).parent_path() /
       fmt::format(".{}.restore-{}.tmp", fs::path(path_).filename().string(), ::getpid()))
          .string();
  auto cleanup = [&] {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp + suffix, ec);
  };
  cleanup();
  if (fs::is_directory(path, ec)) return Status::Invalid(fmt::format("{}: is a directory", path));
  if (!fs::is_regular_file(path, ec)) return Status::NotFound(fmt::format("{}: no such file", path));
  if (std::string why = NotSqlite(path); !why.empty()) {
    return Status::Invalid(fmt::format("{} is not a govqm store ({})", path, why));
  }
  {
    // A backup at rest has no WAL: read it as immutable, which creates nothing beside it.
    const bool at_rest = !fs::exists(path + "-wal", ec) || fs::file_size(path + "-wal", ec) == 0;
    auto from = OpenDb(FileUri(path, at_rest ? "immutable=1" : "mode=ro"), path, SQLITE_OPEN_READONLY);
    if (!from.ok()) return from.status();
    auto to = OpenDb(FileUri(tmp, ""), tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    Status copied = to.ok() ? CopyDatabase(*from, *to, "reading the backup") : to.status();
    if (copied.ok()) copied = ExecOn(*to, "PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3_close(*from);
    if (to.ok()) sqlite3_close(*to);
    if (!copied.ok()) {
      cleanup();
      return copied;
    }
  }
  Status s;
  {
    // Opening the copy checks it is a govqm store and brings it to this schema; it then takes
    // a fresh commit counter: readers must never take the restored state for the one it
    // replaces.
    auto copy = SqliteStore::Open(tmp, {});
    if (!copy.ok()) {
      cleanup();
      std::string m = copy.status().message();
      if (auto at = m.find(tmp); at != std::string::npos) m.replace(at, tmp.size(), path);
      return Status(copy.status().code(), m);
    }
    std::random_device rd;
    const uint64_t generation = ((uint64_t{rd()} << 32) ^ rd()) >> 2;
    s = (*copy)->PutSetting("generation", std::to_string(generation));
    if (s.ok()) s = ExecOn(static_cast<SqliteStore&>(**copy).db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (s.ok()) {
      // One write transaction of this store: every other reader sees before or after.
      wait_noticed_ = false;
      s = CopyDatabase(static_cast<SqliteStore&>(**copy).db_, db_, "restoring the store");
    }
  }
  cleanup();
  GOVQM_RETURN_IF_ERROR(s);
  auto zone = GetSetting("timezone");
  if (zone.ok() && zone->has_value()) zone_ = **zone;
  return Status::Ok();
}

Status SqliteStore::LockWriters() {
  if (writer_lock_fd_ >= 0) return Status::Ok();
  writer_lock_fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (writer_lock_fd_ < 0) {
    return Status::Io(fmt::format("store {}: cannot open it to take the writer lock: {}", path_,
                                  std::strerror(errno)));
  }
  if (::flock(writer_lock_fd_, LOCK_EX | LOCK_NB) == 0) return Status::Ok();
  // Another process writes: wait for it, however long, saying so once (as BusyWait does).
  const int64_t start = SteadyMs();
  bool told = false;
  while (::flock(writer_lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      UnlockWriters();
      return Status::Io(fmt::format("store {}: writer lock: {}", path_, std::strerror(err)));
    }
    if (!told && SteadyMs() - start >= kWaitNoticeMs) {
      told = true;
      if (options_.on_wait) options_.on_wait();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Ok();
}

void SqliteStore::UnlockWriters() {
  if (writer_lock_fd_ >= 0) ::close(writer_lock_fd_);  // releases the flock
  writer_lock_fd_ = -1;
}

void SqliteStore::EndWrite() {
  replaced_rows_ = false;
  deferred_marks_.clear();
  bulk_ = bulk_closed_ = pending_committed_ = false;
  UnlockWriters();
}

Status SqliteStore::DropPendingSegments() {
  // 'pending:' < kind < 'pending;' is the prefix, through the (kind, id) index.
  Status s = Exec(
      "DELETE FROM chunks WHERE segment_id IN (SELECT id FROM segments WHERE kind > 'pending:' "
      "AND kind < 'pending;')");
  if (s.ok()) s = Exec("DELETE FROM segments WHERE kind > 'pending:' AND kind < 'pending;'");
  return s;
}

Status SqliteStore::Begin() {
  if (read_only_) {
    return Status::FailedPrecondition(
        fmt::format("store {} is read-only (file, directory or mount); it can be read, not written", path_));
  }
  if (snapshot_depth_ > 0) {
    return Status::Internal("store: a write cannot begin inside a read snapshot");
  }
  wait_noticed_ = false;
  GOVQM_RETURN_IF_ERROR(LockWriters());
  replaced_rows_ = false;
  deferred_marks_.clear();
  bulk_ = bulk_closed_ = pending_committed_ = false;
  Status s = Exec("BEGIN IMMEDIATE");
  if (!s.ok()) {
    UnlockWriters();
    return s;
  }
  // Pending segments now can only be a killed import's (we hold the writer lock).
  Stmt any(db_, "SELECT 1 FROM segments WHERE kind > 'pending:' AND kind < 'pending;' LIMIT 1");
  if (any.ok() && any.Step() == SQLITE_ROW) {
    any.Reset();
    s = DropPendingSegments();
    if (!s.ok()) {
      Exec("ROLLBACK").IgnoreError();
      UnlockWriters();
      return s;
    }
  }
  return Status::Ok();
}

Status SqliteStore::CommitPending() {
  Status s = Exec("COMMIT");
  if (s.ok()) pending_committed_ = true;
  // Pending parts need not be durable one by one (a crash loses the import anyway): the
  // next commits skip the WAL's fsync; Commit makes it all durable at the end.
  if (s.ok()) s = Exec("PRAGMA synchronous = NORMAL");
  if (s.ok()) s = Exec("BEGIN IMMEDIATE");
  return s;
}

Status SqliteStore::Commit() {
  Status s;
  if (bulk_) {
    // What the import replaced in committed segments, and its own segments made live.
    Stmt update(db_, "UPDATE segments SET live = ?2, deleted = ?3 WHERE id = ?1");
    if (!update.ok()) s = SqlError(db_, "preparing replaced rows");
    for (const auto& [id, mark] : deferred_marks_) {
      if (!s.ok()) break;
      update.Reset();
      update.Bind(1, id);
      update.Bind(2, mark.first);
      update.BindBlob(3, mark.second);
      if (update.Step() != SQLITE_DONE) s = SqlError(db_, "marking replaced rows");
    }
    if (s.ok()) {
      s = Exec("UPDATE segments SET kind = substr(kind, 9) WHERE kind > 'pending:' AND kind < 'pending;'");
    }
    if (!s.ok()) {
      Rollback();
      return s;
    }
  }
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
  s = Exec(
      "INSERT INTO meta(key, value) VALUES('generation', '1') "
      "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
  if (!s.ok()) {
    Rollback();
    return s;
  }
  s = Exec("COMMIT");
  if (!s.ok()) {
    Rollback();
    return s;
  }
  if (pending_committed_) {
    // Committed at synchronous = NORMAL: a checkpoint syncs the WAL (and copies it into the
    // file), so the import is durable when Commit returns, as every commit is.
    s = Exec("PRAGMA synchronous = FULL");
    if (s.ok()) s = Exec("PRAGMA wal_checkpoint(PASSIVE)");
  }
  EndWrite();
  return s;
}

void SqliteStore::Rollback() {
  if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK").IgnoreError();
  if (pending_committed_) Exec("PRAGMA synchronous = FULL").IgnoreError();
  if (pending_committed_) {
    // This transaction's pending segments were committed: remove them (a failure leaves them
    // to the next writer, invisible meanwhile).
    if (Exec("BEGIN IMMEDIATE").ok()) {
      if (DropPendingSegments().ok()) {
        Exec("COMMIT").IgnoreError();
      } else {
        Exec("ROLLBACK").IgnoreError();
      }
    }
  }
  EndWrite();
}

Status SqliteStore::PutSetting(const std::string& key, const std::string& value) {
  bulk_closed_ = true;
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

Result<std::optional<std::string>> SqliteStore::GetSetting(const std::string& key) const {
  Stmt s(db_, "SELECT value FROM meta WHERE key = ?1");
  if (!s.ok()) return SqlError(db_, "preparing a setting read");
  s.Bind(1, key);
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading a setting");
  return std::optional<std::string>(
      reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)));
}

Status SqliteStore::LogImport(const ImportRecord& r) {
  bulk_closed_ = true;
  Stmt s(db_, "INSERT INTO imports(kind, files, summary) VALUES(?1, ?2, ?3)");
  if (!s.ok()) return SqlError(db_, "preparing the import log");
  s.Bind(1, r.kind);
  s.Bind(2, r.files);
  s.Bind(3, r.summary_json);
  if (s.Step() != SQLITE_DONE) return SqlError(db_, "writing the import log");
  return Status::Ok();
}

}  // namespace govqm

namespace govqm {

Result<std::string> SqliteStore::LastImportAt() const {
  Stmt s(db_, "SELECT at FROM imports ORDER BY id DESC LIMIT 1");
  if (!s.ok()) return SqlError(db_, "reading the import log");
  const int rc = s.Step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading the import log");
  const unsigned char* at = sqlite3_column_text(s.get(), 0);
  return std::string(at ? reinterpret_cast<const char*>(at) : "");
}

Result<bool> SqliteStore::AlertDelivered(const std::string& url,
                                         const std::string& identity) const {
  Stmt s(db_, "SELECT 1 FROM delivered_alerts WHERE url = ?1 AND identity = ?2");
  if (!s.ok()) {
    // A read-only store of schema 4 has no such table: nothing was delivered from it.
    if (read_only_ && std::string_view(sqlite3_errmsg(db_)).starts_with("no such table")) {
      return false;
    }
    return SqlError(db_, "reading the delivered alerts");
  }
  s.Bind(1, url);
  s.Bind(2, identity);
  const int rc = s.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqlError(db_, "reading the delivered alerts");
}

// A statement of its own (autocommit) outside a transaction: durable on return, and not
// through Commit(), which would bump the commit counter for what is not data.
Status SqliteStore::MarkAlertDelivered(const std::string& url, const std::string& identity,
                                       int64_t at_ms) {
  bulk_closed_ = true;
  if (read_only_) {
    return Status::FailedPrecondition(fmt::format(
        "store {} is read-only (file, directory or mount); it can be read, not written", path_));
  }
  if (snapshot_depth_ > 0) {
    return Status::Internal("store: a write cannot begin inside a read snapshot");
  }
  wait_noticed_ = false;
  Stmt s(db_, "INSERT INTO delivered_alerts(url, identity, delivered_at_ms) VALUES(?1, ?2, ?3) "
              "ON CONFLICT(url, identity) DO NOTHING");
  if (!s.ok()) return SqlError(db_, "preparing a delivered alert");
  s.Bind(1, url);
  s.Bind(2, identity);
  s.Bind(3, at_ms);
  if (s.Step() != SQLITE_DONE) return SqlError(db_, "writing a delivered alert");
  return Status::Ok();
}

// Asked once per API request (the response cache's key): prepared once.
Result<int64_t> SqliteStore::CommitCounter() const {
  if (generation_stmt_ == nullptr &&
      sqlite3_prepare_v2(db_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'",
                         -1, &generation_stmt_, nullptr) != SQLITE_OK) {
    return SqlError(db_, "reading the commit counter");
  }
  const int rc = sqlite3_step(generation_stmt_);
  const int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(generation_stmt_, 0) : 0;
  sqlite3_reset(generation_stmt_);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db_, "reading the commit counter");
  return value;
}

}  // namespace govqm

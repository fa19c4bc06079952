#include "security/accounts_db.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cctype>
#include <cstring>
#include <filesystem>

#include "core/time_zone.h"
#include "store/sqlite/file_uri.h"
#include "store/sqlite/statement.h"
#include "store/store.h"

namespace govqm::security {

using sqlite::FileUri;

AccountsDb::~AccountsDb() {
  sqlite3_finalize(data_version_);
  sqlite3_close(db_);
}

int64_t AccountsDb::DataVersion() const {
  if (data_version_ == nullptr &&
      sqlite3_prepare_v2(db_, "PRAGMA data_version", -1, &data_version_, nullptr) != SQLITE_OK) {
    return -1;
  }
  int64_t v = -1;
  if (sqlite3_step(data_version_) == SQLITE_ROW) v = sqlite3_column_int64(data_version_, 0);
  sqlite3_reset(data_version_);
  return v;
}

Result<std::unique_ptr<AccountsDb>> AccountsDb::Open(const std::string& db_path) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  // The store's own opener decides whether this is a govqm store and migrates it, so the
  // accounts tables exist whenever the file can be written.
  bool read_only = false;
  {
    GOVQM_ASSIGN_OR_RETURN(auto store, Store::Open(db_path));
    read_only = store->read_only();
  }
  // Read-only as the store opens it: SQLite could not create the WAL index beside a file
  // nobody may write, so such a file is read as immutable when no WAL holds commits.
  std::error_code ec;
  std::string uri = FileUri(db_path, "");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX;
  if (read_only) {
    const bool wal = std::filesystem::exists(db_path + "-wal", ec) &&
                     std::filesystem::file_size(db_path + "-wal", ec) > 0;
    uri = FileUri(db_path, wal ? "mode=ro" : "immutable=1");
    flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX;
  }
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(uri.c_str(), &raw, flags, nullptr) != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return Status::Io(fmt::format("cannot open store {}: {}", db_path, msg));
  }
  std::unique_ptr<AccountsDb> db(new AccountsDb(raw, db_path, read_only));
  // Writers of the store take turns; a sign-in or an audit entry waits for an import's
  // commit this long before giving up with an error.
  sqlite3_busy_timeout(raw, 5000);
  if (!read_only) {
    GOVQM_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL"));
    GOVQM_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = FULL"));
  }
  sqlite::Stmt q(raw,
                 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                 "name IN ('users', 'tokens', 'login_failures', 'audit')");
  if (!q.ok() || q.Step() != SQLITE_ROW) return db->Error("reading the schema");
  if (sqlite3_column_int(q.get(), 0) != 4) {
    return Status::FailedPrecondition(fmt::format(
        "store {} has no accounts yet and is read-only; open it once where it can be written "
        "to upgrade it",
        db_path));
  }
  return db;
}

Status AccountsDb::Exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Io(fmt::format("store {}: {}", path_, err ? err : sqlite3_errmsg(db_)));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Status AccountsDb::Error(std::string_view what) const {
  if (read_only_ && sqlite3_errcode(db_) == SQLITE_READONLY) {
    return Status::FailedPrecondition(fmt::format("store {} is read-only: cannot {}", path_, what));
  }
  return Status::Io(fmt::format("store {}: {}: {}", path_, what, sqlite3_errmsg(db_)));
}

AccountsDb::Tx::~Tx() {
  if (open_) db_.Exec("ROLLBACK").IgnoreError();
}

Status AccountsDb::Tx::Begin(bool immediate) {
  if (immediate && db_.read_only()) {
    return Status::FailedPrecondition(
        fmt::format("store {} is read-only: accounts and the audit log cannot change", db_.path()));
  }
  GOVQM_RETURN_IF_ERROR(db_.Exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  open_ = true;
  return Status::Ok();
}

Status AccountsDb::Tx::Commit() {
  Status s = db_.Exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

std::string IsoUtcMs(int64_t ms) {
  const int64_t days = FloorDiv(ms, kMsPerDay);
  const int64_t in_day = ms - days * kMsPerDay;
  const CivilDate d = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", d.year, d.month, d.day,
                     in_day / kMsPerHour, in_day / kMsPerMinute % 60, in_day / kMsPerSecond % 60,
                     in_day % 1000);
}

}  // namespace govqm::security

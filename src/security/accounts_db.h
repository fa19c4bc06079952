// The security module's own connection to the store file (accounts, tokens, sign-in
// failures, the audit log), and the small helpers its parts share. Its writes go beside the
// store's data and never change the store's commit counter (meta 'generation'), which keys
// the server's response cache: a sign-in is not new data.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"
#include "security/secrets.h"

namespace govqm::security {

// One SQLite connection (WAL, busy timeout 5 s, synchronous FULL). Not thread-safe by
// itself: callers hold mu() around every use, statements included.
class AccountsDb {
 public:
  ~AccountsDb();
  AccountsDb(const AccountsDb&) = delete;
  AccountsDb& operator=(const AccountsDb&) = delete;

  // Opens the govqm store at `db_path` (Store::Open: refused if it is not one; migrated to
  // the current schema when it can be written). kFailedPrecondition when the store has no
  // accounts tables (an older store that is read-only).
  static Result<std::unique_ptr<AccountsDb>> Open(const std::string& db_path);

  sqlite3* get() const { return db_; }
  std::mutex& mu() const { return mu_; }
  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }

  // PRAGMA data_version: changes when another connection (another process) commits to the
  // file, so what was read may be kept until it changes. Callers hold mu(). -1 on error.
  int64_t DataVersion() const;

  // SQL without values (BEGIN IMMEDIATE, COMMIT, ...).
  Status Exec(const char* sql) const;
  // kIo "store PATH: WHAT: sqlite's message".
  Status Error(std::string_view what) const;

  // RAII transaction: Begin(immediate) starts it, Commit() ends it, destruction without a
  // commit rolls back. BEGIN IMMEDIATE takes the write lock first, so a read-then-write
  // (the audit chain's head, a lockout count) cannot interleave with another process's.
  class Tx {
   public:
    explicit Tx(const AccountsDb& db) : db_(db) {}
    ~Tx();
    Status Begin(bool immediate);
    Status Commit();

   private:
    const AccountsDb& db_;
    bool open_ = false;
  };

 private:
  AccountsDb(sqlite3* db, std::string path, bool read_only)
      : db_(db), path_(std::move(path)), read_only_(read_only) {}
  sqlite3* db_;
  std::string path_;
  bool read_only_;
  mutable std::mutex mu_;
  mutable sqlite3_stmt* data_version_ = nullptr;  // prepared once, finalized before closing
};

// ISO 8601 UTC with milliseconds ("2024-03-01T09:00:00.000Z"): every timestamp of accounts
// and audit is written so, so that text order is time order.
std::string IsoUtcMs(int64_t ms);

}  // namespace govqm::security

// SQLite statements and errors: every SQL with values is parameterised through Stmt.
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm::sqlite {

// RAII prepared statement.
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

inline Status SqlError(sqlite3* db, std::string_view what) {
  return Status::Io(fmt::format("store: {}: {}", what, sqlite3_errmsg(db)));
}

// Runs SQL without values (PRAGMAs, BEGIN, COMMIT).
inline Status ExecOn(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = Status::Io(fmt::format("store: {}", err ? err : sqlite3_errmsg(db)));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

}  // namespace govqm::sqlite

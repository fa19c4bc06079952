// The store's schema: numbered migrations, applied in order on open (PRAGMA user_version
// records how many have run); a store newer than this program is refused.
#include <fmt/format.h>
#include <sqlite3.h>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace govqm {
namespace {

using sqlite::Stmt;
using sqlite::SqlError;
using sqlite::kMinReadableVersion;

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
    // 4: accounts and the audit log (security/accounts_db.h writes them on a connection of
    // its own, never bumping `generation`: they are not data the response cache depends on).
    // Sign-in failures are rows, so a lockout holds across restarts and processes. Not needed
    // for reading data: a read-only schema-3 store still reads (it just has no accounts).
    R"sql(
    CREATE TABLE IF NOT EXISTS users(
      name TEXT PRIMARY KEY,
      role TEXT NOT NULL,
      region TEXT NOT NULL DEFAULT '',
      depts TEXT NOT NULL DEFAULT '',     -- comma-joined department codes; '' = all
      password_hash TEXT NOT NULL,        -- Argon2id string (crypto_pwhash_str)
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS tokens(
      id INTEGER PRIMARY KEY,
      user TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE,          -- SHA-256 hex of the secret; the secret is never kept
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,           -- ISO 8601 UTC (sorts as text); '' = never
      revoked INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS login_failures(
      name TEXT NOT NULL,
      at_ms INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS login_failures_by_name ON login_failures(name, at_ms);
    CREATE TABLE IF NOT EXISTS audit(
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,                   -- ISO 8601 UTC with milliseconds (sorts as text)
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      object TEXT NOT NULL,
      detail TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL);
    )sql",
    // 5: alerts delivered to webhooks (`govqm alerts --deliver`), one row per webhook URL and
    // alert identity (rule, kind, group keys, day: app/alert_delivery.h), so a rerun sends
    // nothing twice and a second webhook still gets everything. Not data: marking a delivery
    // never bumps `generation`. Not needed for reading: a read-only schema-4 store still reads
    // (it cannot deliver: nothing could be remembered).
    R"sql(
    CREATE TABLE IF NOT EXISTS delivered_alerts(
      url TEXT NOT NULL,
      identity TEXT NOT NULL,
      delivered_at_ms INTEGER NOT NULL,   -- UTC ms of the 2xx answer
      PRIMARY KEY(url, identity)) WITHOUT ROWID;
    )sql",
};
}  // namespace

Status SqliteStore::Migrate() {
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

}  // namespace govqm

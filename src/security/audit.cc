// The audit log: rows of the store's `audit` table, each hash chained to the one before, and
// the chain's head (count and last hash) in meta 'audit_head', so that cutting entries off
// the end is found as surely as editing, deleting or reordering those before.
#include "security/audit.h"

#include <fmt/format.h>

#include <cstdlib>
#include <mutex>

#include "security/accounts_db.h"
#include "store/sqlite/statement.h"

namespace govqm::security {
namespace {

using sqlite::Stmt;

const std::string kGenesis(64, '0');  // prev_hash of the first entry

void AppendEscaped(std::string* out, const std::string& field) {
  for (char c : field) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '\n') {
      *out += "\\n";
    } else {
      *out += c;
    }
  }
}

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(s, col)) : "";
}

class SqliteAuditLog final : public AuditLog {
 public:
  explicit SqliteAuditLog(std::unique_ptr<AccountsDb> db) : db_(std::move(db)) {}

  Status Append(const AuditEvent& event, int64_t now_ms) override {
    if (event.action.empty()) return Status::Internal("audit: an entry without an action");
    std::lock_guard lock(db_->mu());
    // The write lock is taken before the last entry is read: two appenders (threads or
    // processes) can never both chain onto the same entry.
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    AuditEntry e;
    e.seq = 1;
    e.prev_hash = kGenesis;
    {
      Stmt last(db_->get(), "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
      const int rc = last.Step();
      if (rc == SQLITE_ROW) {
        e.seq = sqlite3_column_int64(last.get(), 0) + 1;
        e.prev_hash = Text(last.get(), 1);
      } else if (rc != SQLITE_DONE) {
        return db_->Error("reading the audit log");
      }
    }
    e.at = IsoUtcMs(now_ms);
    e.actor = event.actor;
    e.action = event.action;
    e.object = event.object;
    e.detail = event.detail;
    e.hash = EntryHash(e);
    Stmt ins(db_->get(),
             "INSERT INTO audit(seq, at, actor, action, object, detail, prev_hash, hash) "
             "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    ins.Bind(1, e.seq);
    ins.Bind(2, e.at);
    ins.Bind(3, e.actor);
    ins.Bind(4, e.action);
    ins.Bind(5, e.object);
    ins.Bind(6, e.detail);
    ins.Bind(7, e.prev_hash);
    ins.Bind(8, e.hash);
    if (ins.Step() != SQLITE_DONE) return db_->Error("appending to the audit log");
    Stmt head(db_->get(), "INSERT OR REPLACE INTO meta(key, value) VALUES('audit_head', ?)");
    head.Bind(1, fmt::format("{}:{}", e.seq, e.hash));
    if (head.Step() != SQLITE_DONE) return db_->Error("recording the audit log's head");
    return tx.Commit();
  }

  Result<std::vector<AuditEntry>> List(int64_t from_ms, int64_t to_ms) const override {
    std::lock_guard lock(db_->mu());
    // Text order is time order (IsoUtcMs); 0 leaves that side open.
    Stmt q(db_->get(),
           "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit "
           "WHERE (?1 = 0 OR at >= ?2) AND (?3 = 0 OR at < ?4) ORDER BY seq");
    q.Bind(1, from_ms);
    q.Bind(2, IsoUtcMs(from_ms));
    q.Bind(3, to_ms);
    q.Bind(4, IsoUtcMs(to_ms));
    return ReadAll(q);
  }

  Result<AuditVerdict> Verify() const override {
    std::lock_guard lock(db_->mu());
    // One read transaction: the head and the entries belong to the same state.
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(false));
    int64_t head_count = 0;
    std::string head_hash;
    bool has_head = false;
    {
      Stmt h(db_->get(), "SELECT value FROM meta WHERE key = 'audit_head'");
      const int rc = h.Step();
      if (rc == SQLITE_ROW) {
        const std::string v = Text(h.get(), 0);
        const size_t colon = v.find(':');
        has_head = colon != std::string::npos;
        if (has_head) {
          head_count = std::strtoll(v.c_str(), nullptr, 10);
          head_hash = v.substr(colon + 1);
        }
      } else if (rc != SQLITE_DONE) {
        return db_->Error("reading the audit log's head");
      }
    }
    Stmt q(db_->get(),
           "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit "
           "ORDER BY seq");
    GOVQM_ASSIGN_OR_RETURN(const std::vector<AuditEntry> entries, ReadAll(q));
    GOVQM_RETURN_IF_ERROR(tx.Commit());

    AuditVerdict v;
    v.entries = static_cast<int64_t>(entries.size());
    auto bad = [&v](int64_t seq, const std::string& what) {
      v.intact = false;
      v.first_bad_seq = seq;
      v.problem = fmt::format("audit entry {}: {}", seq, what);
      return v;
    };
    int64_t expected = 1;
    const std::string* prev = &kGenesis;
    for (const AuditEntry& e : entries) {
      if (e.seq > expected) return bad(expected, "missing (deleted)");
      if (e.seq < expected) return bad(e.seq, "out of order");
      // The link first: entries moved whole (hashes and all) break it where they land,
      // while an entry edited in place keeps its link and fails its own hash.
      if (e.prev_hash != *prev) {
        return bad(e.seq, expected == 1
                              ? "does not start the chain (entries before it removed)"
                              : fmt::format("does not follow entry {} (reordered, or an entry "
                                            "before it deleted or replaced)",
                                            expected - 1));
      }
      if (EntryHash(e) != e.hash) return bad(e.seq, "hash does not match its contents (edited)");
      prev = &e.hash;
      ++expected;
    }
    // The head says how far the chain went: entries cut off its end leave it behind.
    if (!has_head) {
      if (!entries.empty()) return bad(v.entries, "the log's recorded head is missing");
      return v;
    }
    if (head_count > v.entries) return bad(v.entries + 1, "missing (deleted)");
    if (head_count < v.entries) {
      return bad(head_count + 1, "not in the log's recorded head (added behind its back)");
    }
    if (v.entries > 0 && head_hash != *prev) {
      return bad(v.entries, "hash differs from the log's recorded head (replaced)");
    }
    return v;
  }

 private:
  Result<std::vector<AuditEntry>> ReadAll(Stmt& q) const {
    if (!q.ok()) return db_->Error("reading the audit log");
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      AuditEntry e;
      e.seq = sqlite3_column_int64(q.get(), 0);
      e.at = Text(q.get(), 1);
      e.actor = Text(q.get(), 2);
      e.action = Text(q.get(), 3);
      e.object = Text(q.get(), 4);
      e.detail = Text(q.get(), 5);
      e.prev_hash = Text(q.get(), 6);
      e.hash = Text(q.get(), 7);
      out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return db_->Error("reading the audit log");
    return out;
  }

  std::unique_ptr<AccountsDb> db_;
};

}  // namespace

std::string CanonicalForm(const AuditEntry& entry) {
  std::string out = std::to_string(entry.seq);
  for (const std::string* f :
       {&entry.at, &entry.actor, &entry.action, &entry.object, &entry.detail}) {
    out += '\n';
    AppendEscaped(&out, *f);
  }
  return out;
}

std::string EntryHash(const AuditEntry& entry) {
  return Sha256Hex(entry.prev_hash + CanonicalForm(entry));
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& db_path) {
  GOVQM_ASSIGN_OR_RETURN(auto db, AccountsDb::Open(db_path));
  return std::unique_ptr<AuditLog>(new SqliteAuditLog(std::move(db)));
}

}  // namespace govqm::security

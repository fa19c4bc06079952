// Accounts over the store file (security/accounts_db.h). Passwords are kept as Argon2id
// strings, token secrets as SHA-256 hex: a copy of the file hands out neither.
#include "security/accounts.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/time_zone.h"
#include "security/accounts_db.h"
#include "store/sqlite/statement.h"

namespace govqm::security {
namespace {

using sqlite::Stmt;

constexpr int64_t kLockWindowMs = 15 * kMsPerMinute;  // five failures within this lock ...
constexpr int64_t kLockMs = 15 * kMsPerMinute;        // ... the name for this long
constexpr int kLockFailures = 5;
constexpr size_t kMinPasswordChars = 10;
constexpr size_t kMaxPasswordBytes = 4096;
constexpr const char* kTokenPrefix = "gq_";
constexpr const char* kSignInFailed = "wrong user name or password";

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
}

// Region and department codes: printable, no separators of ours.
bool ValidCode(const std::string& code) {
  if (code.empty() || code.size() > 64) return false;
  return std::all_of(code.begin(), code.end(),
                     [](unsigned char c) { return c > 0x20 && c != 0x7f && c != ','; });
}

// Characters, not bytes: a Chinese passphrase of ten characters is ten.
size_t Utf8Chars(const std::string& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

Status CheckPassword(const std::string& password) {
  if (Utf8Chars(password) < kMinPasswordChars) {
    return Status::Usage(
        fmt::format("the password is too short: at least {} characters", kMinPasswordChars));
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::Usage(
        fmt::format("the password is too long: at most {} bytes", kMaxPasswordBytes));
  }
  return Status::Ok();
}

Result<std::string> HashPassword(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("out of memory hashing a password");
  }
  return std::string(out);
}

bool PasswordMatches(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// The hash an unknown name's password is checked against, so that answering it costs what
// answering a wrong password costs. Made once per process, of a password nobody knows.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = HashPassword(RandomHex(32));
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

std::string JoinDepts(const std::vector<std::string>& depts) {
  std::string out;
  for (const std::string& d : depts) out += (out.empty() ? "" : ",") + d;
  return out;
}

std::vector<std::string> SplitDepts(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(s, col)) : "";
}

}  // namespace

Status CheckNewUser(const UserInfo& user) {
  if (!ValidName(user.name)) {
    return Status::Usage(fmt::format(
        "user name '{}' is not valid: 1 to 64 of the characters A-Z a-z 0-9 . _ -", user.name));
  }
  switch (user.role) {
    case Role::kPublic:
      return Status::Usage("the role must be admin, supervisor, operator or auditor");
    case Role::kAdmin:
      if (!user.scope.unrestricted()) {
        return Status::Usage("an admin sees everything: no --region or --depts");
      }
      break;
    case Role::kOperator:
      // service.md §4: an operator works its own department(s) in its own region.
      if (user.scope.region.empty() || user.scope.depts.empty()) {
        return Status::Usage("an operator needs --region CODE and --depts D1[,D2...]");
      }
      break;
    case Role::kSupervisor:
    case Role::kAuditor:
      break;
  }
  if (!user.scope.region.empty() && !ValidCode(user.scope.region)) {
    return Status::Usage(fmt::format("region code '{}' is not valid", user.scope.region));
  }
  for (const std::string& d : user.scope.depts) {
    if (!ValidCode(d)) return Status::Usage(fmt::format("department code '{}' is not valid", d));
  }
  return Status::Ok();
}

namespace {

class SqliteAccounts final : public Accounts {
 public:
  explicit SqliteAccounts(std::unique_ptr<AccountsDb> db) : db_(std::move(db)) {}

  Status AddUser(const UserInfo& user, const std::string& password) override {
    GOVQM_RETURN_IF_ERROR(CheckNewUser(user));
    GOVQM_RETURN_IF_ERROR(CheckPassword(password));
    GOVQM_ASSIGN_OR_RETURN(const std::string hash, HashPassword(password));
    std::lock_guard lock(db_->mu());
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    Stmt q(db_->get(),
           "INSERT INTO users(name, role, region, depts, password_hash, disabled, created_at) "
           "VALUES(?, ?, ?, ?, ?, 0, ?)");
    q.Bind(1, user.name);
    q.Bind(2, RoleName(user.role));
    q.Bind(3, user.scope.region);
    q.Bind(4, JoinDepts(user.scope.depts));
    q.Bind(5, hash);
    q.Bind(6, user.created_at.empty() ? IsoUtcMs(NowMs()) : user.created_at);
    const int rc = q.Step();
    if (rc == SQLITE_CONSTRAINT) {
      return Status::AlreadyExists(fmt::format("user {} already exists", user.name));
    }
    if (rc != SQLITE_DONE) return db_->Error("adding a user");
    return tx.Commit();
  }

  Status SetPassword(const std::string& name, const std::string& password) override {
    GOVQM_RETURN_IF_ERROR(CheckPassword(password));
    GOVQM_ASSIGN_OR_RETURN(const std::string hash, HashPassword(password));
    std::lock_guard lock(db_->mu());
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    Stmt q(db_->get(), "UPDATE users SET password_hash = ? WHERE name = ?");
    q.Bind(1, hash);
    q.Bind(2, name);
    if (q.Step() != SQLITE_DONE) return db_->Error("setting a password");
    if (sqlite3_changes(db_->get()) == 0) return NoUser(name);
    // A new password ends a lockout: whoever set it knows who the user is.
    Stmt clear(db_->get(), "DELETE FROM login_failures WHERE name = ?");
    clear.Bind(1, name);
    if (clear.Step() != SQLITE_DONE) return db_->Error("clearing sign-in failures");
    return tx.Commit();
  }

  Status DisableUser(const std::string& name) override {
    std::lock_guard lock(db_->mu());
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    ForgetChecked();
    Stmt q(db_->get(), "UPDATE users SET disabled = 1 WHERE name = ?");
    q.Bind(1, name);
    if (q.Step() != SQLITE_DONE) return db_->Error("disabling a user");
    if (sqlite3_changes(db_->get()) == 0) return NoUser(name);
    return tx.Commit();
  }

  Result<std::vector<UserInfo>> ListUsers() const override {
    std::lock_guard lock(db_->mu());
    Stmt q(db_->get(),
           "SELECT name, role, region, depts, disabled, created_at FROM users ORDER BY name");
    if (!q.ok()) return db_->Error("listing users");
    std::vector<UserInfo> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      UserInfo u;
      u.name = Text(q.get(), 0);
      u.role = ParseRole(Text(q.get(), 1)).value_or(Role::kPublic);
      u.scope.region = Text(q.get(), 2);
      u.scope.depts = SplitDepts(Text(q.get(), 3));
      u.disabled = sqlite3_column_int(q.get(), 4) != 0;
      u.created_at = Text(q.get(), 5);
      out.push_back(std::move(u));
    }
    if (rc != SQLITE_DONE) return db_->Error("listing users");
    return out;
  }

  Result<Principal> PrincipalOf(const std::string& name) const override {
    std::lock_guard lock(db_->mu());
    GOVQM_ASSIGN_OR_RETURN(const std::optional<Row> row, FindUser(name));
    if (!row || row->disabled) {
      return Status::NotFound(fmt::format("no enabled user {}", name));
    }
    return row->principal;
  }

  Result<Principal> SignIn(const std::string& name, const std::string& password,
                           int64_t now_ms) override {
    // Read first, without the write lock: a sign-in with no failures behind it writes
    // nothing, so it is not held up by an import's long write transaction.
    std::optional<Row> row;
    bool locked = false;
    {
      std::lock_guard lock(db_->mu());
      GOVQM_ASSIGN_OR_RETURN(row, FindUser(name));
      GOVQM_ASSIGN_OR_RETURN(const std::vector<int64_t> failures, FailuresOf(name, now_ms));
      // Attempts of this process still being checked count as failures to come, so that
      // parallel requests cannot try more than five passwords between two lockout checks.
      std::vector<int64_t> times = failures;
      times.insert(times.end(), in_flight_[name], now_ms);
      locked = Locked(times, now_ms);
      ++in_flight_[name];
    }
    // The same work on every path: one Argon2id verification, against the dummy hash for an
    // unknown name; only its result is ignored when the answer is decided already.
    const bool matches = PasswordMatches(row ? row->password_hash : DummyHash(), password);
    std::lock_guard lock(db_->mu());
    if (--in_flight_[name] == 0) in_flight_.erase(name);
    if (locked) return Status::Unauthenticated(kSignInFailed);  // tries while locked not counted
    if (matches && row && !row->disabled) {
      // Best effort: failures left behind (a busy store) age out of the window anyway.
      ClearFailures(name).IgnoreError();
      return row->principal;
    }
    GOVQM_RETURN_IF_ERROR(RecordFailure(name, now_ms));
    return Status::Unauthenticated(kSignInFailed);
  }

  Result<CreatedToken> CreateToken(const std::string& user, int days, int64_t now_ms) override {
    if (days < 1 || days > 3650) {
      return Status::Usage(fmt::format("a token lasts 1 to 3650 days, not {}", days));
    }
    std::lock_guard lock(db_->mu());
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    GOVQM_ASSIGN_OR_RETURN(const std::optional<Row> row, FindUser(user));
    if (!row) return NoUser(user);
    if (row->disabled) {
      return Status::FailedPrecondition(fmt::format("user {} is disabled", user));
    }
    CreatedToken out;
    out.secret = kTokenPrefix + RandomHex(32);
    out.info.user = user;
    out.info.created_at = IsoUtcMs(now_ms);
    out.info.expires_at = IsoUtcMs(now_ms + days * kMsPerDay);
    Stmt q(db_->get(),
           "INSERT INTO tokens(user, hash, created_at, expires_at, revoked) VALUES(?, ?, ?, ?, 0)");
    q.Bind(1, user);
    q.Bind(2, Sha256Hex(out.secret));
    q.Bind(3, out.info.created_at);
    q.Bind(4, out.info.expires_at);
    if (q.Step() != SQLITE_DONE) return db_->Error("creating a token");
    out.info.id = sqlite3_last_insert_rowid(db_->get());
    GOVQM_RETURN_IF_ERROR(tx.Commit());
    return out;
  }

  Status RevokeToken(int64_t id) override {
    std::lock_guard lock(db_->mu());
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    ForgetChecked();
    Stmt q(db_->get(), "UPDATE tokens SET revoked = 1 WHERE id = ?");
    q.Bind(1, id);
    if (q.Step() != SQLITE_DONE) return db_->Error("revoking a token");
    if (sqlite3_changes(db_->get()) == 0) {
      return Status::NotFound(fmt::format("no token {}", id));
    }
    return tx.Commit();
  }

  Result<std::vector<TokenInfo>> ListTokens() const override {
    std::lock_guard lock(db_->mu());
    Stmt q(db_->get(), "SELECT id, user, created_at, expires_at, revoked FROM tokens ORDER BY id");
    if (!q.ok()) return db_->Error("listing tokens");
    std::vector<TokenInfo> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      TokenInfo t;
      t.id = sqlite3_column_int64(q.get(), 0);
      t.user = Text(q.get(), 1);
      t.created_at = Text(q.get(), 2);
      t.expires_at = Text(q.get(), 3);
      t.revoked = sqlite3_column_int(q.get(), 4) != 0;
      out.push_back(std::move(t));
    }
    if (rc != SQLITE_DONE) return db_->Error("listing tokens");
    return out;
  }

  Result<Principal> CheckToken(const std::string& secret, int64_t now_ms) const override {
    const Status refused = Status::Unauthenticated("the token is not valid");
    if (secret.rfind(kTokenPrefix, 0) != 0) return refused;
    const std::string hash = Sha256Hex(secret);
    std::lock_guard lock(db_->mu());
    // A token checked since the file last changed is not looked up again: the server checks
    // one per request, and the two queries were a fifth of a cached answer's cost. Any
    // commit by another process (a revocation, a disabled user) changes data_version; this
    // object's own changes forget what was checked themselves.
    const std::string now = IsoUtcMs(now_ms);
    KeepCheckedIfUnchanged();
    if (auto it = checked_tokens_.find(hash); it != checked_tokens_.end()) {
      if (!it->second.expires_at.empty() && it->second.expires_at <= now) return refused;
      return it->second.principal;
    }
    // Text order is time order (IsoUtcMs): expired when its expiry is not after now.
    Stmt q(db_->get(),
           "SELECT t.user, t.expires_at FROM tokens t JOIN users u ON u.name = t.user "
           "WHERE t.hash = ? AND t.revoked = 0 AND u.disabled = 0 "
           "AND (t.expires_at = '' OR t.expires_at > ?)");
    q.Bind(1, hash);
    q.Bind(2, now);
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return refused;
    if (rc != SQLITE_ROW) return db_->Error("checking a token");
    const std::string user = Text(q.get(), 0);
    const std::string expires_at = Text(q.get(), 1);
    q.Reset();
    GOVQM_ASSIGN_OR_RETURN(const std::optional<Row> row, FindUser(user));
    if (!row) return refused;
    checked_tokens_[hash] = {row->principal, expires_at};
    return row->principal;
  }

 private:
  struct CheckedToken {
    Principal principal;
    std::string expires_at;  // "" = never
  };
  // Callers hold the mutex.
  void ForgetChecked() const { checked_tokens_.clear(); }
  void KeepCheckedIfUnchanged() const {
    const int64_t version = db_->DataVersion();
    if (version < 0 || version != checked_version_) ForgetChecked();
    checked_version_ = version;
  }

  struct Row {
    Principal principal;
    std::string password_hash;
    bool disabled = false;
  };

  static int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  static Status NoUser(const std::string& name) {
    return Status::NotFound(fmt::format("no user {}", name));
  }

  // Callers hold the mutex.
  Result<std::optional<Row>> FindUser(const std::string& name) const {
    Stmt q(db_->get(),
           "SELECT role, region, depts, password_hash, disabled FROM users WHERE name = ?");
    q.Bind(1, name);
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return std::optional<Row>();
    if (rc != SQLITE_ROW) return db_->Error("reading a user");
    Row row;
    row.principal.user = name;
    row.principal.role = ParseRole(Text(q.get(), 0)).value_or(Role::kPublic);
    row.principal.scope.region = Text(q.get(), 1);
    row.principal.scope.depts = SplitDepts(Text(q.get(), 2));
    row.password_hash = Text(q.get(), 3);
    row.disabled = sqlite3_column_int(q.get(), 4) != 0;
    return std::optional<Row>(std::move(row));
  }

  // The name's failures that can still matter (within two lock spans), oldest first.
  Result<std::vector<int64_t>> FailuresOf(const std::string& name, int64_t now_ms) const {
    Stmt q(db_->get(),
           "SELECT at_ms FROM login_failures WHERE name = ? AND at_ms > ? ORDER BY at_ms");
    q.Bind(1, name);
    q.Bind(2, now_ms - kLockWindowMs - kLockMs);
    std::vector<int64_t> out;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) out.push_back(sqlite3_column_int64(q.get(), 0));
    if (rc != SQLITE_DONE) return db_->Error("reading sign-in failures");
    return out;
  }

  // Locked: some five failures within 15 minutes, the last of them less than 15 minutes ago.
  // Tries while locked are not recorded, so a lock lasts 15 minutes from the failure that set
  // it and a stream of guesses cannot keep it shut forever.
  static bool Locked(std::vector<int64_t> times, int64_t now_ms) {
    std::sort(times.begin(), times.end());
    for (size_t i = kLockFailures - 1; i < times.size(); ++i) {
      if (times[i] - times[i - (kLockFailures - 1)] < kLockWindowMs &&
          now_ms - times[i] < kLockMs) {
        return true;
      }
    }
    return false;
  }

  Status RecordFailure(const std::string& name, int64_t now_ms) {
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    Stmt q(db_->get(), "INSERT INTO login_failures(name, at_ms) VALUES(?, ?)");
    q.Bind(1, name);
    q.Bind(2, now_ms);
    if (q.Step() != SQLITE_DONE) return db_->Error("recording a sign-in failure");
    // Failures too old to matter go, so guessed names do not pile up.
    Stmt old(db_->get(), "DELETE FROM login_failures WHERE at_ms <= ?");
    old.Bind(1, now_ms - kLockWindowMs - kLockMs);
    if (old.Step() != SQLITE_DONE) return db_->Error("dropping old sign-in failures");
    return tx.Commit();
  }

  Status ClearFailures(const std::string& name) {
    Stmt any(db_->get(), "SELECT 1 FROM login_failures WHERE name = ? LIMIT 1");
    any.Bind(1, name);
    const int rc = any.Step();
    if (rc == SQLITE_DONE) return Status::Ok();  // nothing to clear: no write
    if (rc != SQLITE_ROW) return db_->Error("reading sign-in failures");
    any.Reset();
    AccountsDb::Tx tx(*db_);
    GOVQM_RETURN_IF_ERROR(tx.Begin(true));
    Stmt q(db_->get(), "DELETE FROM login_failures WHERE name = ?");
    q.Bind(1, name);
    if (q.Step() != SQLITE_DONE) return db_->Error("clearing sign-in failures");
    return tx.Commit();
  }

  std::unique_ptr<AccountsDb> db_;
  mutable std::unordered_map<std::string, CheckedToken> checked_tokens_;  // by SHA-256
  mutable int64_t checked_version_ = -1;
  std::map<std::string, int> in_flight_;  // guarded by db_->mu()
};

}  // namespace

Result<std::unique_ptr<Accounts>> Accounts::Open(const std::string& db_path) {
  GOVQM_ASSIGN_OR_RETURN(auto db, AccountsDb::Open(db_path));
  DummyHash();  // made now, so the first unknown name costs no more than later ones
  return std::unique_ptr<Accounts>(new SqliteAccounts(std::move(db)));
}

}  // namespace govqm::security

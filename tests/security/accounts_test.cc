// Users, sign-in with lockout, and API tokens (service.md §4), against a real store file.
#include "security/accounts.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "security/audit.h"
#include "security/scratch_store.h"

namespace govqm::security {
namespace {

constexpr int64_t kMin = 60 * 1000;
constexpr int64_t kT0 = 1700000000000;  // 2023-11-14T22:13:20.000Z
constexpr const char* kFailed = "wrong user name or password";

class AccountsTest : public ScratchStoreTest {
 protected:
  void SetUp() override {
    ScratchStoreTest::SetUp();
    auto a = Accounts::Open(path_);
    ASSERT_TRUE(a.ok()) << a.status().message();
    accounts_ = std::move(*a);
  }
  static UserInfo User(const std::string& name, Role role, const std::string& region = "",
                       std::vector<std::string> depts = {}) {
    UserInfo u;
    u.name = name;
    u.role = role;
    u.scope.region = region;
    u.scope.depts = std::move(depts);
    return u;
  }
  void Add(const std::string& name, const std::string& password, Role role = Role::kSupervisor) {
    Status s = accounts_->AddUser(User(name, role), password);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  void ExpectRefused(const Result<Principal>& r, const std::string& what) {
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << what;
    EXPECT_EQ(r.status().message(), kFailed) << what;
  }

  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, PasswordsAreKeptAsArgon2idStrings) {
  Add("alice", "correct horse battery");
  const std::string hash = RawValue("SELECT password_hash FROM users WHERE name = 'alice'");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

TEST_F(AccountsTest, SignInGivesThePrincipalWithRoleAndScope) {
  ASSERT_TRUE(
      accounts_
          ->AddUser(User("op1", Role::kOperator, "330100", {"D01", "D02"}), "operator password")
          .ok());
  auto p = accounts_->SignIn("op1", "operator password", kT0);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->user, "op1");
  EXPECT_EQ(p->role, Role::kOperator);
  EXPECT_EQ(p->scope.region, "330100");
  EXPECT_EQ(p->scope.depts, (std::vector<std::string>{"D01", "D02"}));
  auto same = accounts_->PrincipalOf("op1");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->scope, p->scope);
}

TEST_F(AccountsTest, EveryFailureIsAnsweredTheSame) {
  Add("alice", "correct horse battery");
  Add("bob", "bobs long password");
  ASSERT_TRUE(accounts_->DisableUser("bob").ok());
  ExpectRefused(accounts_->SignIn("alice", "wrong password!", kT0), "wrong password");
  ExpectRefused(accounts_->SignIn("nobody", "correct horse battery", kT0), "unknown user");
  ExpectRefused(accounts_->SignIn("bob", "bobs long password", kT0), "disabled user");
  ExpectRefused(accounts_->SignIn("", "", kT0), "empty name");
  EXPECT_EQ(accounts_->PrincipalOf("bob").status().code(), StatusCode::kNotFound);
}

// An unknown name costs an Argon2id verification too (INTERACTIVE: 64 MiB, never under
// 10 ms); answering it from a table lookup alone would take microseconds.
TEST_F(AccountsTest, AnUnknownNameCostsAPasswordCheck) {
  const auto start = std::chrono::steady_clock::now();
  ExpectRefused(accounts_->SignIn("nobody", "some password", kT0), "unknown user");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(10));
}

TEST_F(AccountsTest, FiveFailuresWithinFifteenMinutesLockForFifteenMinutes) {
  Add("alice", "correct horse battery");
  for (int i = 0; i < 4; ++i) {
    ExpectRefused(accounts_->SignIn("alice", "guess", kT0 + i * kMin), "failure");
  }
  // Four failures do not lock.
  auto ok = accounts_->SignIn("alice", "correct horse battery", kT0 + 4 * kMin);
  ASSERT_TRUE(ok.ok()) << "four failures must not lock";
  // The success cleared them: five more are needed.
  for (int i = 0; i < 5; ++i) {
    ExpectRefused(accounts_->SignIn("alice", "guess", kT0 + (5 + i) * kMin), "failure");
  }
  // The fifth failure was at kT0 + 9 min: locked until kT0 + 24 min, even for the password.
  ExpectRefused(accounts_->SignIn("alice", "correct horse battery", kT0 + 10 * kMin), "locked");
  ExpectRefused(accounts_->SignIn("alice", "correct horse battery", kT0 + 24 * kMin - 1),
                "locked, 1 ms before release");
  auto released = accounts_->SignIn("alice", "correct horse battery", kT0 + 24 * kMin);
  EXPECT_TRUE(released.ok()) << released.status().message();
}

TEST_F(AccountsTest, FailuresSpreadOverMoreThanFifteenMinutesDoNotLock) {
  Add("alice", "correct horse battery");
  // Five failures, 4 minutes apart: the first and fifth are 16 minutes apart.
  for (int i = 0; i < 5; ++i) {
    ExpectRefused(accounts_->SignIn("alice", "guess", kT0 + i * 4 * kMin), "failure");
  }
  EXPECT_TRUE(accounts_->SignIn("alice", "correct horse battery", kT0 + 17 * kMin).ok());
}

TEST_F(AccountsTest, UnknownNamesLockToo) {
  for (int i = 0; i < 5; ++i) {
    ExpectRefused(accounts_->SignIn("ghost", "guess", kT0 + i * kMin), "unknown");
  }
  // The name is created meanwhile: its lock holds all the same.
  Add("ghost", "ghost password 1");
  ExpectRefused(accounts_->SignIn("ghost", "ghost password 1", kT0 + 5 * kMin), "locked");
  EXPECT_TRUE(accounts_->SignIn("ghost", "ghost password 1", kT0 + 19 * kMin).ok());
}

// The failures are rows of the store: a restarted server (another Accounts) keeps the lock.
TEST_F(AccountsTest, TheLockHoldsAcrossOpens) {
  Add("alice", "correct horse battery");
  for (int i = 0; i < 5; ++i) {
    ExpectRefused(accounts_->SignIn("alice", "guess", kT0 + i * kMin), "failure");
  }
  accounts_.reset();
  auto again = Accounts::Open(path_);
  ASSERT_TRUE(again.ok());
  ExpectRefused((*again)->SignIn("alice", "correct horse battery", kT0 + 5 * kMin), "locked");
}

TEST_F(AccountsTest, ANewPasswordEndsTheLock) {
  Add("alice", "correct horse battery");
  for (int i = 0; i < 5; ++i) {
    ExpectRefused(accounts_->SignIn("alice", "guess", kT0 + i * kMin), "failure");
  }
  ASSERT_TRUE(accounts_->SetPassword("alice", "a brand new password").ok());
  ExpectRefused(accounts_->SignIn("alice", "correct horse battery", kT0 + 5 * kMin), "old");
  EXPECT_TRUE(accounts_->SignIn("alice", "a brand new password", kT0 + 5 * kMin).ok());
}

TEST_F(AccountsTest, UsersAreValidated) {
  auto usage = [&](const UserInfo& u, const std::string& password, const std::string& message) {
    Status s = accounts_->AddUser(u, password);
    EXPECT_EQ(s.code(), StatusCode::kUsage) << message;
    EXPECT_EQ(s.message(), message);
  };
  usage(User("bad name", Role::kAdmin), "long enough password",
        "user name 'bad name' is not valid: 1 to 64 of the characters A-Z a-z 0-9 . _ -");
  usage(User(std::string(65, 'a'), Role::kAdmin), "long enough password",
        "user name '" + std::string(65, 'a') +
            "' is not valid: 1 to 64 of the characters A-Z a-z 0-9 . _ -");
  usage(User("op", Role::kOperator), "long enough password",
        "an operator needs --region CODE and --depts D1[,D2...]");
  usage(User("op", Role::kOperator, "330100"), "long enough password",
        "an operator needs --region CODE and --depts D1[,D2...]");
  usage(User("root", Role::kAdmin, "330100"), "long enough password",
        "an admin sees everything: no --region or --depts");
  usage(User("anon", Role::kPublic), "long enough password",
        "the role must be admin, supervisor, operator or auditor");
  usage(User("alice", Role::kAuditor), "123456789",
        "the password is too short: at least 10 characters");
  // Characters, not bytes: nine Chinese characters (27 bytes) are too few, ten are enough.
  usage(User("alice", Role::kAuditor), "政务服务好差评监测",
        "the password is too short: at least 10 characters");
  EXPECT_TRUE(accounts_->AddUser(User("alice", Role::kAuditor), "政务服务好差评监测系").ok());
  EXPECT_TRUE(accounts_->AddUser(User("bob.o-k_1", Role::kAuditor), "1234567890").ok());
  Status taken = accounts_->AddUser(User("alice", Role::kAdmin), "another password");
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.message(), "user alice already exists");
  EXPECT_EQ(accounts_->SetPassword("nobody", "long enough password").code(), StatusCode::kNotFound);
  EXPECT_EQ(accounts_->DisableUser("nobody").code(), StatusCode::kNotFound);
}

TEST_F(AccountsTest, ListUsersInNameOrder) {
  ASSERT_TRUE(accounts_->AddUser(User("zed", Role::kAdmin), "zed password!").ok());
  ASSERT_TRUE(
      accounts_->AddUser(User("amy", Role::kOperator, "3301", {"D1", "D2"}), "amy password!").ok());
  ASSERT_TRUE(accounts_->DisableUser("zed").ok());
  auto users = accounts_->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "amy");
  EXPECT_EQ((*users)[0].role, Role::kOperator);
  EXPECT_EQ((*users)[0].scope.depts, (std::vector<std::string>{"D1", "D2"}));
  EXPECT_FALSE((*users)[0].disabled);
  EXPECT_EQ((*users)[1].name, "zed");
  EXPECT_TRUE((*users)[1].disabled);
  // created_at: ISO 8601 UTC with milliseconds, e.g. 2026-01-01T00:00:00.000Z.
  EXPECT_EQ((*users)[0].created_at.size(), 24u);
  EXPECT_EQ((*users)[0].created_at.back(), 'Z');
}

TEST_F(AccountsTest, TokensCheckRevokeAndExpire) {
  Add("alice", "correct horse battery", Role::kAuditor);
  auto t = accounts_->CreateToken("alice", 90, kT0);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->secret.size(), 3u + 64u);
  EXPECT_EQ(t->secret.rfind("gq_", 0), 0u);
  EXPECT_EQ(t->info.id, 1);
  EXPECT_EQ(t->info.user, "alice");
  EXPECT_EQ(t->info.created_at, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(t->info.expires_at, "2024-02-12T22:13:20.000Z");  // 90 days: 16 + 31 + 31 + 12

  auto p = accounts_->CheckToken(t->secret, kT0 + kMin);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->user, "alice");
  EXPECT_EQ(p->role, Role::kAuditor);
  // A different secret (last digit changed), nothing, or the stored hash itself: refused.
  std::string other = t->secret;
  other.back() = other.back() == '0' ? '1' : '0';
  EXPECT_EQ(accounts_->CheckToken(other, kT0).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->CheckToken("", kT0).status().code(), StatusCode::kUnauthenticated);
  const std::string stored = RawValue("SELECT hash FROM tokens WHERE id = 1");
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_EQ(accounts_->CheckToken(stored, kT0).status().code(), StatusCode::kUnauthenticated);

  // Expiry: valid until 90 days after creation, to the millisecond.
  const int64_t expiry = kT0 + 90LL * 24 * 60 * kMin;
  EXPECT_TRUE(accounts_->CheckToken(t->secret, expiry - 1).ok());
  EXPECT_EQ(accounts_->CheckToken(t->secret, expiry).status().code(), StatusCode::kUnauthenticated);

  auto t2 = accounts_->CreateToken("alice", 1, kT0);
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(t2->info.id, 2);
  ASSERT_TRUE(accounts_->RevokeToken(1).ok());
  EXPECT_EQ(accounts_->CheckToken(t->secret, kT0).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->CheckToken(t2->secret, kT0).ok());
  EXPECT_EQ(accounts_->RevokeToken(99).code(), StatusCode::kNotFound);

  auto list = accounts_->ListTokens();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].revoked);
  EXPECT_FALSE((*list)[1].revoked);
  EXPECT_EQ((*list)[1].expires_at, "2023-11-15T22:13:20.000Z");

  // A disabled user's tokens stop working.
  ASSERT_TRUE(accounts_->DisableUser("alice").ok());
  EXPECT_EQ(accounts_->CheckToken(t2->secret, kT0).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->CreateToken("alice", 1, kT0).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(accounts_->CreateToken("nobody", 1, kT0).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(accounts_->CreateToken("alice", 0, kT0).status().code(), StatusCode::kUsage);
}

// Someone with a copy of the file (and its WAL) finds neither a password nor a token secret.
TEST_F(AccountsTest, NoSecretReachesTheFile) {
  const std::string password = "unmistakable-password-42";
  Add("alice", password);
  ASSERT_TRUE(accounts_->SignIn("alice", password, kT0).ok());
  ExpectRefused(accounts_->SignIn("alice", "another-unmistakable-guess", kT0), "wrong");
  ASSERT_TRUE(accounts_->SetPassword("alice", "second-unmistakable-password").ok());
  auto t = accounts_->CreateToken("alice", 30, kT0);
  ASSERT_TRUE(t.ok());
  const std::string bytes = FileBytes();
  ASSERT_NE(bytes.find("alice"), std::string::npos);  // the search does see the rows
  for (const std::string& secret :
       {password, std::string("another-unmistakable-guess"),
        std::string("second-unmistakable-password"), t->secret, t->secret.substr(3)}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

// Accounts and the audit log are not data: the response cache's key must not change.
TEST_F(AccountsTest, AccountsDoNotChangeTheCommitCounter) {
  auto before = [&] {
    auto store = Store::Open(path_);
    EXPECT_TRUE(store.ok());
    auto c = (*store)->CommitCounter();
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : -1;
  };
  const int64_t start = before();
  Add("alice", "correct horse battery");
  ASSERT_TRUE(accounts_->CreateToken("alice", 30, kT0).ok());
  ExpectRefused(accounts_->SignIn("alice", "guess", kT0), "wrong");
  auto audit = AuditLog::Open(path_);
  ASSERT_TRUE(audit.ok());
  ASSERT_TRUE((*audit)->Append({"cli:root", "user.add", "user:alice", "role=admin"}, kT0).ok());
  EXPECT_EQ(before(), start);
}

// Many request threads at once: every guess is answered and the lock still comes.
TEST_F(AccountsTest, ParallelGuessesCannotPassTheLock) {
  Add("alice", "correct horse battery");
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 2; ++k) ExpectRefused(accounts_->SignIn("alice", "guess", kT0), "guess");
    });
  }
  for (auto& t : threads) t.join();
  const std::string failures = RawValue("SELECT count(*) FROM login_failures");
  EXPECT_LE(std::stoi(failures), 5);
  EXPECT_GE(std::stoi(failures), 5);
  ExpectRefused(accounts_->SignIn("alice", "correct horse battery", kT0 + kMin), "locked");
}

TEST_F(AccountsTest, OpenRefusesWhatIsNotAStore) {
  auto missing = Accounts::Open((dir_ / "missing.db").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  const std::string other = (dir_ / "notes.txt").string();
  std::ofstream(other) << "not a database at all\n";
  auto text = Accounts::Open(other);
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidInput);
}

// A store of schema 3 (before accounts) gets its accounts tables when opened for them.
TEST_F(AccountsTest, ASchemaThreeStoreIsMigrated) {
  accounts_.reset();
  RawSql(
      "DROP TABLE users; DROP TABLE tokens; DROP TABLE login_failures; DROP TABLE audit;"
      "PRAGMA user_version = 3");
  auto a = Accounts::Open(path_);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(RawValue("PRAGMA user_version"), std::to_string(kStoreSchemaVersion));
  EXPECT_TRUE((*a)->AddUser(User("alice", Role::kAdmin), "correct horse battery").ok());
}

// A store nobody may write (a read-only mount, say) still signs in and checks tokens; what
// would write is refused with a reason. Root ignores permissions, so the child runs as
// `nobody` when the test is root.
TEST_F(AccountsTest, AReadOnlyStoreSignsInAndRefusesChanges) {
  Add("alice", "correct horse battery");
  auto token = accounts_->CreateToken("alice", 30, kT0);
  ASSERT_TRUE(token.ok());
  accounts_.reset();
  {
    auto audit = AuditLog::Open(path_);
    ASSERT_TRUE(audit.ok());
    ASSERT_TRUE((*audit)->Append({"cli:root", "user.add", "user:alice", ""}, kT0).ok());
  }
  ASSERT_FALSE(std::filesystem::exists(path_ + "-wal"));  // the last close folded it in
  namespace fs = std::filesystem;
  fs::permissions(path_, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
    auto a = Accounts::Open(path_);
    if (!a.ok()) ::_exit(11);
    auto users = (*a)->ListUsers();
    if (!users.ok() || users->size() != 1) ::_exit(12);
    if (!(*a)->SignIn("alice", "correct horse battery", kT0).ok()) ::_exit(13);
    if (!(*a)->CheckToken(token->secret, kT0).ok()) ::_exit(14);
    Status add = (*a)->AddUser(User("bob", Role::kAdmin), "another password");
    if (add.code() != StatusCode::kFailedPrecondition) ::_exit(15);
    if (add.message().find("read-only") == std::string::npos) ::_exit(16);
    // A failure that cannot be recorded is not let through as an ordinary one: the lockout
    // could not count it.
    if ((*a)->SignIn("alice", "guess", kT0).status().code() != StatusCode::kFailedPrecondition) {
      ::_exit(17);
    }
    auto log = AuditLog::Open(path_);
    if (!log.ok()) ::_exit(18);
    auto v = (*log)->Verify();
    if (!v.ok() || !v->intact || v->entries != 1) ::_exit(19);
    if ((*log)->Append({"x", "y", "", ""}, kT0).code() != StatusCode::kFailedPrecondition) {
      ::_exit(20);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  fs::permissions(dir_, fs::perms::owner_all);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace govqm::security

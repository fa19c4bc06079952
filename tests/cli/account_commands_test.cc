// govqm user / token / audit, run as a user would: passwords through a pipe or a real
// pseudo-terminal, the store checked through the library and with raw SQL.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <regex>

#include "cli/cli_harness.h"
#include "security/accounts.h"

namespace govqm::testing {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

class AccountCommandsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init").exit_code, 0);
  }
  // `govqm ARGS < FILE` with FILE holding `input`.
  RunResult RunWithInput(const std::string& args, const std::string& input) {
    Write("_in.txt", input);
    return Run(args + " < _in.txt");
  }
  std::unique_ptr<security::Accounts> Accounts() {
    auto a = security::Accounts::Open(Path("govqm.db"));
    EXPECT_TRUE(a.ok()) << a.status().message();
    return a.ok() ? std::move(*a) : nullptr;
  }
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Path("govqm.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    sqlite3_close(db);
  }
  static std::string Login() {
    const passwd* pw = ::getpwuid(::geteuid());
    return pw ? pw->pw_name : "";
  }
};

TEST_F(AccountCommandsTest, UserAddTakesThePasswordFromAPipe) {
  RunResult r = RunWithInput("user add ana --role auditor", "ana's password\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "added user ana (auditor)\n");
  r = RunWithInput("user add op1 --role operator --region 3301 --depts D1,D2",
                   "first line is it\nsecond line is not\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One line, its line end (LF or CRLF) not part of it.
  r = RunWithInput("user add win --role supervisor", "windows line\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto accounts = Accounts();
  ASSERT_TRUE(accounts);
  EXPECT_TRUE(accounts->SignIn("ana", "ana's password", NowMs()).ok());
  auto op = accounts->SignIn("op1", "first line is it", NowMs());
  ASSERT_TRUE(op.ok());
  EXPECT_EQ(op->scope.depts, (std::vector<std::string>{"D1", "D2"}));
  EXPECT_FALSE(accounts->SignIn("op1", "second line is not", NowMs()).ok());
  EXPECT_TRUE(accounts->SignIn("win", "windows line", NowMs()).ok());

  r = Run("user list --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "name,role,region,depts,disabled,created_at");
  EXPECT_EQ(lines[1].substr(0, lines[1].rfind(',') + 1), "ana,auditor,,,false,");
  EXPECT_EQ(lines[2].substr(0, lines[2].rfind(',') + 1), "op1,operator,3301,\"D1,D2\",false,");
  EXPECT_EQ(lines[3].substr(0, lines[3].rfind(',') + 1), "win,supervisor,,,false,");
  EXPECT_TRUE(std::regex_match(lines[1].substr(lines[1].rfind(',') + 1),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));

  r = Run("user list --format json");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("{\"name\":\"op1\",\"role\":\"operator\",\"region\":\"3301\","
                       "\"depts\":[\"D1\",\"D2\"],\"disabled\":false,\"created_at\":\""),
            std::string::npos)
      << r.out;
}

TEST_F(AccountCommandsTest, BadUsersAndPasswordsAreRefused) {
  RunResult r = Run("user add ana --role auditor --password 'secret password'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err)[0], "govqm user: unknown option --password");
  r = RunWithInput("user add ana --role auditor", "");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err)[0], "govqm user: no password on standard input (give it as one line)");
  r = RunWithInput("user add ana --role auditor", "123456789\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err)[0], "govqm user: the password is too short: at least 10 characters");
  r = RunWithInput("user add op --role operator --region 3301", "long enough password\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err)[0], "govqm user: an operator needs --region CODE and --depts D1[,D2...]");
  r = RunWithInput("user add ana --role public", "long enough password\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err)[0],
            "govqm user: --role must be admin, supervisor, operator or auditor, not 'public'");
  r = RunWithInput("user add 'a b' --role admin", "long enough password\n");
  EXPECT_EQ(r.exit_code, 2);
  r = RunWithInput("user add ana", "long enough password\n");
  EXPECT_EQ(r.exit_code, 2);
  ASSERT_EQ(RunWithInput("user add ana --role auditor", "long enough password\n").exit_code, 0);
  r = RunWithInput("user add ana --role admin", "long enough password\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm user: user ana already exists\n");
  r = RunWithInput("user passwd nobody", "long enough password\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm user: no user nobody\n");
  EXPECT_EQ(Run("user disable nobody").exit_code, 1);
  EXPECT_EQ(Run("user frobnicate").exit_code, 2);
  // Nothing refused was logged: one user added, one entry.
  r = Run("audit verify");
  EXPECT_EQ(r.out, "1 entries, chain intact\n");
}

TEST_F(AccountCommandsTest, PasswdAndDisable) {
  ASSERT_EQ(RunWithInput("user add ana --role auditor", "old password 1\n").exit_code, 0);
  RunResult r = RunWithInput("user passwd ana", "new password 2\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "changed the password of ana\n");
  auto accounts = Accounts();
  EXPECT_FALSE(accounts->SignIn("ana", "old password 1", NowMs()).ok());
  EXPECT_TRUE(accounts->SignIn("ana", "new password 2", NowMs()).ok());
  r = Run("user disable ana");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "disabled user ana\n");
  EXPECT_FALSE(accounts->SignIn("ana", "new password 2", NowMs()).ok());
  r = Run("user list");
  EXPECT_EQ(Lines(r.out)[0], "name  role     region  depts  disabled  created_at");
  // Columns padded to the widest cell and joined by two spaces: 4 + 2, 7 + 2, 6 + 2, 5 + 2.
  EXPECT_EQ(Lines(r.out)[1].substr(0, 40),
            "ana   "
            "auditor  "
            "        "
            "       "
            "true      ");
}

TEST_F(AccountCommandsTest, TokensArePrintedOnceAndRevoked) {
  ASSERT_EQ(RunWithInput("user add ana --role auditor", "ana password 1\n").exit_code, 0);
  const int64_t before = NowMs();
  RunResult r = Run("token create ana --days 7");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  const std::string secret = lines[0];
  EXPECT_TRUE(std::regex_match(secret, std::regex("gq_[0-9a-f]{64}"))) << secret;
  EXPECT_EQ(lines[1].substr(0, 27), "token 1 for ana, expires 20");
  auto accounts = Accounts();
  auto p = accounts->CheckToken(secret, NowMs());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->user, "ana");
  // Seven days, not the default 90: refused a week and a minute on.
  EXPECT_FALSE(accounts->CheckToken(secret, before + 7 * 86400000LL + 60000).ok());
  // Default: 90 days.
  r = Run("token create ana");
  ASSERT_EQ(r.exit_code, 0);
  const std::string second = Lines(r.out)[0];
  EXPECT_TRUE(accounts->CheckToken(second, before + 89 * 86400000LL).ok());
  EXPECT_FALSE(accounts->CheckToken(second, NowMs() + 90 * 86400000LL).ok());

  r = Run("token list --format csv");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(Lines(r.out)[0], "id,user,created_at,expires_at,revoked");
  EXPECT_EQ(Lines(r.out)[1].substr(0, 6), "1,ana,");
  EXPECT_EQ(Lines(r.out)[1].substr(Lines(r.out)[1].size() - 6), ",false");
  EXPECT_EQ(r.out.find(secret.substr(3)), std::string::npos);  // never shown again
  r = Run("token revoke 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "revoked token 1\n");
  EXPECT_FALSE(accounts->CheckToken(secret, NowMs()).ok());
  EXPECT_TRUE(accounts->CheckToken(second, NowMs()).ok());
  r = Run("token list --format json");
  EXPECT_NE(r.out.find("\"id\":1,\"user\":\"ana\""), std::string::npos);
  EXPECT_NE(r.out.find("\"revoked\":true}"), std::string::npos);

  r = Run("token revoke 7");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm token: no token 7\n");
  EXPECT_EQ(Run("token revoke x").exit_code, 2);
  r = Run("token create ana --days 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Lines(r.err)[0], "govqm token: --days must be a whole number from 1 to 3650, not '0'");
  r = Run("token create nobody");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm token: no user nobody\n");
  // The store's bytes hold neither secret.
  const std::string bytes = Read("govqm.db") + Read("govqm.db-wal");
  EXPECT_EQ(bytes.find(secret.substr(3)), std::string::npos);
  EXPECT_EQ(bytes.find(second.substr(3)), std::string::npos);
}

TEST_F(AccountCommandsTest, EveryChangeIsAuditedAndVerified) {
  ASSERT_EQ(
      RunWithInput("user add ana --role operator --region 3301 --depts D1", "ana password 1\n")
          .exit_code,
      0);
  ASSERT_EQ(RunWithInput("user passwd ana", "ana password 2\n").exit_code, 0);
  ASSERT_EQ(Run("token create ana").exit_code, 0);
  ASSERT_EQ(Run("token revoke 1").exit_code, 0);
  ASSERT_EQ(Run("user disable ana").exit_code, 0);
  RunResult r = Run("audit verify");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "5 entries, chain intact\n");

  r = Run("audit list --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "seq,at,actor,action,object,detail,prev_hash,hash");
  const std::string actor = "cli:" + Login();
  auto starts = [&](size_t i, const std::string& action, const std::string& object) {
    // seq,at,actor,action,object,...: the time (24 characters) skipped.
    const std::string& l = lines[i];
    EXPECT_EQ(l.substr(0, l.find(',') + 1), std::to_string(i) + ",") << l;
    const std::string rest = l.substr(l.find(',') + 1 + 24 + 1);
    EXPECT_EQ(rest.substr(0, actor.size() + action.size() + object.size() + 3),
              actor + "," + action + "," + object + ",")
        << l;
  };
  starts(1, "user.add", "user:ana");
  starts(2, "user.passwd", "user:ana");
  starts(3, "token.create", "token:1");
  starts(4, "token.revoke", "token:1");
  starts(5, "user.disable", "user:ana");
  EXPECT_NE(lines[1].find(",role=operator region=3301 depts=D1,"), std::string::npos);
  EXPECT_NE(lines[1].find(",0000000000000000000000000000000000000000000000000000000000000000,"),
            std::string::npos);
  // No password in the log.
  EXPECT_EQ(r.out.find("ana password"), std::string::npos);

  // --from / --to: everything is from today, nothing from 2000.
  r = Run("audit list --format json --to 2000-01-01");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[\n]\n");
  r = Run("audit list --from 2000-01-01");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(Lines(r.out).size(), 6u);
  EXPECT_EQ(Lines(r.out)[0].substr(0, 8), "seq  at ");
  EXPECT_EQ(Run("audit list --from yesterday").exit_code, 2);

  // Tampering with the file is found, at the right entry.
  Sql("UPDATE audit SET detail = 'role=admin' WHERE seq = 1");
  r = Run("audit verify");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "audit entry 1: hash does not match its contents (edited)\n");
  EXPECT_EQ(r.err,
            "govqm audit: the audit log has been tampered with: audit entry 1: hash does not "
            "match its contents (edited)\n");
}

TEST_F(AccountCommandsTest, DeletedLastEntryIsFoundByTheCommand) {
  ASSERT_EQ(RunWithInput("user add ana --role auditor", "ana password 1\n").exit_code, 0);
  ASSERT_EQ(Run("user disable ana").exit_code, 0);
  Sql("DELETE FROM audit WHERE seq = 2");
  RunResult r = Run("audit verify");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "audit entry 2: missing (deleted)\n");
}

TEST_F(AccountCommandsTest, AuditVerifyWithoutAStore) {
  RunResult r = Run("audit verify --db nothing.db");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm audit: no store at nothing.db (run 'govqm init' first)\n");
}

// --- at a terminal: a real pseudo-terminal -------------------------------------------------

class Terminal {
 public:
  // Starts `govqm ARGS` in `dir` with a new pseudo-terminal as its controlling terminal and
  // standard input, output and error.
  Terminal(const std::string& dir, const std::string& args) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) return;
    const std::string slave_name = ::ptsname(master_);
    // Kept open here too, so the terminal's settings can be read after the child is gone.
    slave_ = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setsid();
      const int fd = ::open(slave_name.c_str(), O_RDWR);  // becomes the controlling terminal
      if (fd < 0 || ::chdir(dir.c_str()) != 0) ::_exit(99);
      ::dup2(fd, 0);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      const std::string cmd = std::string("exec ") + GOVQM_BINARY + " " + args;
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(98);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (slave_ >= 0) ::close(slave_);
    if (master_ >= 0) ::close(master_);
  }
  bool started() const { return pid_ > 0 && slave_ >= 0; }
  pid_t pid() const { return pid_; }

  // Reads what the program wrote until `text` appears (true) or 10 s pass (false).
  bool WaitFor(const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (seen_.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[256];
      const ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) return false;
      seen_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  void Type(const std::string& text) {
    ASSERT_EQ(::write(master_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    // Whatever it wrote last.
    for (;;) {
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) break;
      char buf[256];
      const ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) break;
      seen_.append(buf, static_cast<size_t>(n));
    }
    return status;
  }
  bool Echoes() const {
    termios t{};
    ::tcgetattr(slave_, &t);
    return (t.c_lflag & ECHO) != 0;
  }
  const std::string& seen() const { return seen_; }

 private:
  int master_ = -1, slave_ = -1;
  pid_t pid_ = -1;
  bool waited_ = false;
  std::string seen_;
};

TEST_F(AccountCommandsTest, AtATerminalThePasswordIsAskedTwiceWithoutEcho) {
  Terminal t(dir_.string(), "user add tty --role auditor");
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.WaitFor("new password for tty: ")) << t.seen();
  EXPECT_FALSE(t.Echoes());
  t.Type("typed at the terminal\n");
  ASSERT_TRUE(t.WaitFor("repeat it: ")) << t.seen();
  t.Type("typed at the terminal\n");
  const int status = t.Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << t.seen();
  EXPECT_NE(t.seen().find("added user tty (auditor)"), std::string::npos) << t.seen();
  EXPECT_EQ(t.seen().find("typed at the terminal"), std::string::npos) << t.seen();
  EXPECT_TRUE(t.Echoes());
  EXPECT_TRUE(Accounts()->SignIn("tty", "typed at the terminal", NowMs()).ok());
}

TEST_F(AccountCommandsTest, AtATerminalTwoDifferentPasswordsChangeNothing) {
  Terminal t(dir_.string(), "user add tty --role auditor");
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.WaitFor("new password for tty: "));
  t.Type("first password typed\n");
  ASSERT_TRUE(t.WaitFor("repeat it: "));
  t.Type("second password typed\n");
  const int status = t.Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(t.seen().find("the two passwords differ; nothing changed"), std::string::npos);
  EXPECT_TRUE(t.Echoes());
  EXPECT_EQ(Run("user list").out, "no users\n");
}

TEST_F(AccountCommandsTest, InterruptedAtThePromptTheEchoComesBack) {
  ASSERT_EQ(RunWithInput("user add ana --role auditor", "ana password 1\n").exit_code, 0);
  Terminal t(dir_.string(), "user passwd ana");
  ASSERT_TRUE(t.started());
  ASSERT_TRUE(t.WaitFor("new password for ana: "));
  t.Type("half a pass");
  EXPECT_FALSE(t.Echoes());
  ::kill(t.pid(), SIGINT);
  const int status = t.Wait();
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_TRUE(t.Echoes());
  EXPECT_TRUE(Accounts()->SignIn("ana", "ana password 1", NowMs()).ok());  // unchanged
}

}  // namespace
}  // namespace govqm::testing

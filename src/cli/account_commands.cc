// govqm user / token / audit (service.md §4): accounts and the audit log of a store. Every
// change of a user or token is appended to the audit log, by "cli:" and the login running it.
// Passwords come from standard input only, never from an argument (which `ps` would show).
#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "app/render/accounts.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"
#include "security/accounts.h"
#include "security/audit.h"

namespace govqm::cli {
namespace {

using security::Accounts;
using security::AuditEvent;
using security::AuditLog;

// A password string that is wiped when it goes.
struct Secret {
  std::string text;
  ~Secret() {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
  }
};

// --- the terminal's echo, off while a password is typed and back on whatever happens -------

struct termios g_saved_termios;
volatile sig_atomic_t g_echo_off = 0;

void RestoreEchoAndDie(int sig) {
  if (g_echo_off) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
    g_echo_off = 0;
  }
  const char nl = '\n';
  (void)!::write(STDERR_FILENO, &nl, 1);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return;
    struct sigaction sa {};
    sa.sa_handler = RestoreEchoAndDie;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &sa, &old_[i]);
    struct termios quiet = g_saved_termios;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // the Enter still moves to the next line
    g_echo_off = 1;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    active_ = true;
  }
  ~EchoOff() {
    if (!active_) return;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    g_echo_off = 0;
    for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &old_[i], nullptr);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  // Not SIGTSTP: a job resumed after a stop would go on reading with the echo back on.
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP};
  struct sigaction old_[std::size(kSignals)]{};
  bool active_ = false;
};

// One line of standard input, without its line end; false at end of input before any byte.
bool ReadLine(std::string* line) {
  line->clear();
  line->reserve(8192);  // no reallocation leaving copies of a password in freed memory
  char c;
  bool any = false;
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return any;
    any = true;
    if (c == '\n') break;
    line->push_back(c);
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// The new password of `name`: at a terminal asked twice with echo off; from a pipe or a file
// read once, as its first line.
Result<Secret> ReadNewPassword(const std::string& name) {
  Secret first;
  if (!::isatty(STDIN_FILENO)) {
    if (!ReadLine(&first.text) || first.text.empty()) {
      return Status::Usage("no password on standard input (give it as one line)");
    }
    return first;
  }
  Secret second;
  {
    EchoOff quiet;
    Err(fmt::format("new password for {}: ", name));
    const bool got = ReadLine(&first.text);
    if (got) Err("repeat it: ");
    if (!got || !ReadLine(&second.text)) return Status::Usage("no password given");
  }
  if (first.text != second.text)
    return Status::Invalid("the two passwords differ; nothing changed");
  return first;
}

// --- commands -------------------------------------------------------------------------------

Result<std::unique_ptr<Accounts>> OpenAccounts(const Args& args) {
  return Accounts::Open(args.Get("db", app::kDefaultDb));
}

// Whether `name` is a user, enabled or not.
Result<bool> Known(const Accounts& accounts, const std::string& name) {
  GOVQM_ASSIGN_OR_RETURN(const auto users, accounts.ListUsers());
  for (const auto& u : users) {
    if (u.name == name) return true;
  }
  return false;
}

Status OneName(const Args& args, const char* usage) {
  if (args.positional.size() != 1) return Status::Usage(usage);
  return Status::Ok();
}

Status UserAdd(const Args& args) {
  GOVQM_RETURN_IF_ERROR(OneName(args, "user add needs one NAME"));
  const std::string& name = args.positional[0];
  if (!args.Has("role"))
    return Status::Usage("user add needs --role admin|supervisor|operator|auditor");
  const auto role = ParseRole(args.Get("role"));
  if (!role || *role == Role::kPublic) {
    return Status::Usage(fmt::format(
        "--role must be admin, supervisor, operator or auditor, not '{}'", args.Get("role")));
  }
  security::UserInfo user;
  user.name = name;
  user.role = *role;
  user.scope.region = args.Get("region");
  user.scope.depts = app::SplitList(args.Get("depts"));
  // Checked before the password is asked for: no typing it twice for a refused user.
  GOVQM_RETURN_IF_ERROR(security::CheckNewUser(user));
  GOVQM_ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args));
  GOVQM_ASSIGN_OR_RETURN(const bool taken, Known(*accounts, name));
  if (taken) return Status::AlreadyExists(fmt::format("user {} already exists", name));
  GOVQM_ASSIGN_OR_RETURN(const Secret password, ReadNewPassword(name));
  GOVQM_RETURN_IF_ERROR(accounts->AddUser(user, password.text));
  std::string detail = fmt::format("role={}", RoleName(user.role));
  if (!user.scope.region.empty()) detail += " region=" + user.scope.region;
  if (!user.scope.depts.empty()) detail += " depts=" + args.Get("depts");
  GOVQM_RETURN_IF_ERROR(AuditCliChange(args, {CliActor(), "user.add", "user:" + name, detail},
                            fmt::format("user {} was added", name)));
  Out(fmt::format("added user {} ({})\n", name, RoleName(user.role)));
  return Status::Ok();
}

Status UserPasswd(const Args& args) {
  GOVQM_RETURN_IF_ERROR(OneName(args, "user passwd needs one NAME"));
  const std::string& name = args.positional[0];
  GOVQM_ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args));
  GOVQM_ASSIGN_OR_RETURN(const bool known, Known(*accounts, name));
  if (!known) return Status::NotFound(fmt::format("no user {}", name));
  GOVQM_ASSIGN_OR_RETURN(const Secret password, ReadNewPassword(name));
  GOVQM_RETURN_IF_ERROR(accounts->SetPassword(name, password.text));
  GOVQM_RETURN_IF_ERROR(AuditCliChange(args, {CliActor(), "user.passwd", "user:" + name, ""},
                            fmt::format("the password of {} was changed", name)));
  Out(fmt::format("changed the password of {}\n", name));
  return Status::Ok();
}

Status UserDisable(const Args& args) {
  GOVQM_RETURN_IF_ERROR(OneName(args, "user disable needs one NAME"));
  const std::string& name = args.positional[0];
  GOVQM_ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args));
  GOVQM_RETURN_IF_ERROR(accounts->DisableUser(name));
  GOVQM_RETURN_IF_ERROR(AuditCliChange(args, {CliActor(), "user.disable", "user:" + name, ""},
                            fmt::format("user {} was disabled", name)));
  Out(fmt::format("disabled user {}\n", name));
  return Status::Ok();
}

Status UserList(const Args& args) {
  if (!args.positional.empty()) return Status::Usage("user list takes no arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format,
                         FormatOf(args, "table", {"table", "csv", "json"}));
  GOVQM_ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args));
  GOVQM_ASSIGN_OR_RETURN(const auto users, accounts->ListUsers());
  Out(format == "json"  ? render::UsersJson(users)
      : format == "csv" ? render::UsersCsv(users)
                        : render::UsersTable(users));
  return Status::Ok();
}

Result<int64_t> WholeNumber(const std::string& option, const std::string& text, int64_t lo,
                            int64_t hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < lo || v > hi) {
    return Status::Usage(
        fmt::format("{} must be a whole number from {} to {}, not '{}'", option, lo, hi, text));
  }
  return static_cast<int64_t>(v);
}

Status TokenCreate(const Args& args) {
  GOVQM_RETURN_IF_ERROR(OneName(args, "token create needs one user NAME"));
  const std::string& name = args.positional[0];
  GOVQM_ASSIGN_OR_RETURN(const int64_t days,
                         WholeNumber("--days", args.Get("days", "90"), 1, 3650));
  GOVQM_ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args));
  GOVQM_ASSIGN_OR_RETURN(const security::CreatedToken t,
                         accounts->CreateToken(name, static_cast<int>(days), NowMs()));
  GOVQM_RETURN_IF_ERROR(AuditCliChange(args,
                            {CliActor(), "token.create", fmt::format("token:{}", t.info.id),
                             fmt::format("user={} expires={}", name, t.info.expires_at)},
                            fmt::format("token {} was created (revoke it: govqm token revoke {})",
                                        t.info.id, t.info.id)));
  // The secret alone on the first line (scripts take it with head -1); never shown again.
  Out(fmt::format("{}\ntoken {} for {}, expires {}; the secret above is shown only now\n", t.secret,
                  t.info.id, name, t.info.expires_at));
  return Status::Ok();
}

Status TokenRevoke(const Args& args) {
  GOVQM_RETURN_IF_ERROR(OneName(args, "token revoke needs one token ID"));
  GOVQM_ASSIGN_OR_RETURN(const int64_t id,
                         WholeNumber("the token ID", args.positional[0], 1, INT64_MAX));
  GOVQM_ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args));
  GOVQM_RETURN_IF_ERROR(accounts->RevokeToken(id));
  GOVQM_RETURN_IF_ERROR(AuditCliChange(args, {CliActor(), "token.revoke", fmt::format("token:{}", id), ""},
                            fmt::format("token {} was revoked", id)));
  Out(fmt::format("revoked token {}\n", id));
  return Status::Ok();
}

Status TokenList(const Args& args) {
  if (!args.positional.empty()) return Status::Usage("token list takes no arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format,
                         FormatOf(args, "table", {"table", "csv", "json"}));
  GOVQM_ASSIGN_OR_RETURN(auto accounts, OpenAccounts(args));
  GOVQM_ASSIGN_OR_RETURN(const auto tokens, accounts->ListTokens());
  Out(format == "json"  ? render::TokensJson(tokens)
      : format == "csv" ? render::TokensCsv(tokens)
                        : render::TokensTable(tokens));
  return Status::Ok();
}

// Exit 0 and "N entries, chain intact", or exit 1 and "audit entry SEQ: ..." on stdout (and
// the usual one-line reason on stderr).
Status AuditVerify(const Args& args) {
  if (!args.positional.empty()) return Status::Usage("audit verify takes no arguments");
  GOVQM_ASSIGN_OR_RETURN(auto log, AuditLog::Open(args.Get("db", app::kDefaultDb)));
  GOVQM_ASSIGN_OR_RETURN(const security::AuditVerdict v, log->Verify());
  if (!v.intact) {
    Out(v.problem + "\n");
    return Status::Invalid(fmt::format("the audit log has been tampered with: {}", v.problem));
  }
  Out(fmt::format("{} entries, chain intact\n", v.entries));
  return Status::Ok();
}

// --from / --to are dates or times in the store's zone (or --tz), as for every command.
Status AuditList(const Args& args) {
  if (!args.positional.empty()) return Status::Usage("audit list takes no arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format,
                         FormatOf(args, "table", {"table", "csv", "json"}));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_ASSIGN_OR_RETURN(auto zone, app::ResolveZone(args.Get("tz"), store->zone()));
  int64_t from = 0, to = 0;
  if (args.Has("from")) {
    GOVQM_ASSIGN_OR_RETURN(from, app::ParseBound("from", args.Get("from"), *zone));
  }
  if (args.Has("to")) {
    GOVQM_ASSIGN_OR_RETURN(to, app::ParseBound("to", args.Get("to"), *zone));
  }
  if (args.Has("from") && args.Has("to") && to <= from) {
    return Status::Usage("--to must be after --from");
  }
  GOVQM_ASSIGN_OR_RETURN(auto log, AuditLog::Open(store->path()));
  GOVQM_ASSIGN_OR_RETURN(const auto entries, log->List(from, to));
  Out(format == "json"  ? render::AuditJson(entries)
      : format == "csv" ? render::AuditCsv(entries)
                        : render::AuditTable(entries));
  return Status::Ok();
}

}  // namespace

Status RunUser(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "add") {
    GOVQM_ASSIGN_OR_RETURN(const Args a,
                           ParseArgs(argc, argv, 3, {{"db", "role", "region", "depts"}, {}}));
    return UserAdd(a);
  }
  if (sub == "passwd" || sub == "disable") {
    GOVQM_ASSIGN_OR_RETURN(const Args a, ParseArgs(argc, argv, 3, {{"db"}, {}}));
    return sub == "passwd" ? UserPasswd(a) : UserDisable(a);
  }
  if (sub == "list") {
    GOVQM_ASSIGN_OR_RETURN(const Args a, ParseArgs(argc, argv, 3, {{"db", "format"}, {}}));
    return UserList(a);
  }
  return Status::Usage(sub.empty() ? "user needs add, passwd, disable or list"
                                   : fmt::format("unknown user command '{}'", sub));
}

Status RunToken(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "create") {
    GOVQM_ASSIGN_OR_RETURN(const Args a, ParseArgs(argc, argv, 3, {{"db", "days"}, {}}));
    return TokenCreate(a);
  }
  if (sub == "revoke") {
    GOVQM_ASSIGN_OR_RETURN(const Args a, ParseArgs(argc, argv, 3, {{"db"}, {}}));
    return TokenRevoke(a);
  }
  if (sub == "list") {
    GOVQM_ASSIGN_OR_RETURN(const Args a, ParseArgs(argc, argv, 3, {{"db", "format"}, {}}));
    return TokenList(a);
  }
  return Status::Usage(sub.empty() ? "token needs create, revoke or list"
                                   : fmt::format("unknown token command '{}'", sub));
}

Status RunAudit(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "verify") {
    GOVQM_ASSIGN_OR_RETURN(const Args a, ParseArgs(argc, argv, 3, {{"db"}, {}}));
    return AuditVerify(a);
  }
  if (sub == "list") {
    GOVQM_ASSIGN_OR_RETURN(const Args a,
                           ParseArgs(argc, argv, 3, {{"db", "from", "to", "tz", "format"}, {}}));
    return AuditList(a);
  }
  return Status::Usage(sub.empty() ? "audit needs verify or list"
                                   : fmt::format("unknown audit command '{}'", sub));
}

}  // namespace govqm::cli

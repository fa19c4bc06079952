#include "platform/clickhouse.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "core/one_line.h"

extern char** environ;

namespace govqm::platform {
namespace {

constexpr std::string_view kScheme = "clickhouse://";
constexpr const char* kDefaultClient = "/usr/bin/clickhouse-client";
constexpr size_t kSendChunk = 1 << 20;      // an insert's data goes out in 1 MiB writes
constexpr size_t kMaxErrorText = 64 << 10;  // the client's stderr read for its message
constexpr size_t kMaxMessage = 1500;        // the ClickHouse message kept in a Status

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

std::string ErrnoText(int err) { return std::strerror(err); }

// An executable regular file named `name` on PATH; "" when there is none.
std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "";
  while (!dirs.empty()) {
    const size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    const std::string candidate = std::string(dir) + "/" + name;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

Result<std::string> ClientProgram(const ClickHouseClientOptions& options) {
  if (!options.client_program.empty()) {
    if (::access(options.client_program.c_str(), X_OK) != 0) {
      return Status::FailedPrecondition(options.client_program +
                                        ": not an executable ClickHouse client");
    }
    return options.client_program;
  }
  std::string found = FindOnPath("clickhouse-client");
  if (found.empty() && ::access(kDefaultClient, X_OK) == 0) found = kDefaultClient;
  if (found.empty()) {
    return Status::FailedPrecondition(
        "clickhouse-client is not installed (not on PATH, not " + std::string(kDefaultClient) +
        "): install the clickhouse-client package (scripts/install-deps.sh)");
  }
  return found;
}

// setpriv (util-linux, essential in Debian) sets the child's parent-death signal before it
// becomes clickhouse-client: posix_spawn cannot. "" when it is missing (then no guard).
const std::string& Setpriv() {
  static const std::string path = [] {
    std::string found = FindOnPath("setpriv");
    if (found.empty() && ::access("/usr/bin/setpriv", X_OK) == 0) found = "/usr/bin/setpriv";
    return found;
  }();
  return path;
}

std::string XmlEscaped(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// An in-memory file holding `data` (close-on-exec; the child gets a copy by dup2).
Result<Fd> MemFile(const char* name, std::string_view data) {
  Fd fd(::memfd_create(name, MFD_CLOEXEC));
  if (!fd.valid()) return Status::Io(std::string("memfd_create: ") + ErrnoText(errno));
  while (!data.empty()) {
    const ssize_t n = ::write(fd.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Io(std::string("writing a memfd: ") + ErrnoText(errno));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return fd;
}

// `fd` moved to a number >= `min`, so that no dup2 into the child's numbers overwrites it.
Result<Fd> Lifted(Fd fd, int min) {
  if (fd.get() >= min) return fd;
  Fd lifted(::fcntl(fd.get(), F_DUPFD_CLOEXEC, min));
  if (!lifted.valid()) return Status::Io(std::string("fcntl(F_DUPFD): ") + ErrnoText(errno));
  return lifted;
}

std::string ServerNameOf(const ClickHouseEndpoint& e) {
  const bool v6 = e.host.find(':') != std::string::npos;
  return (v6 ? "[" + e.host + "]" : e.host) + ":" + std::to_string(e.port);
}

// The ClickHouse message of the client's stderr, one line: from "Code: N." on (the client
// prefixes "Received exception from server (version ...):"), without the "Received from
// HOST:PORT." that our own prefix says already.
std::string ClickHouseMessage(std::string_view text, const std::string& server) {
  const size_t code = text.find("Code: ");
  if (code != std::string_view::npos) text.remove_prefix(code);
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  const std::string echo = "Received from " + server + ". ";
  for (size_t at; (at = out.find(echo)) != std::string::npos;) out.erase(at, echo.size());
  const std::string twice = "DB::Exception: DB::Exception: ";
  for (size_t at; (at = out.find(twice)) != std::string::npos;) out.erase(at, 15);
  if (out.size() > kMaxMessage) {
    size_t cut = kMaxMessage;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += " ...";
  }
  return OneLine(out);
}

int CodeIn(std::string_view text) {
  const size_t at = text.find("Code: ");
  if (at == std::string_view::npos) return 0;
  const std::string_view digits = text.substr(at + 6);
  int code = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
  return ec == std::errc() && end != digits.data() ? code : 0;
}

// Which Status a ClickHouse error code is: the server unreachable, gone or out of resources
// is kIo (nothing wrong with the query; trying later may work), a refused user is
// kPermissionDenied, every other code is the query's fault.
StatusCode CodeKind(int code) {
  switch (code) {
    case 23:   // CANNOT_READ_FROM_ISTREAM
    case 24:   // CANNOT_WRITE_TO_OSTREAM
    case 32:   // ATTEMPT_TO_READ_AFTER_EOF: the server closed the connection
    case 74:   // CANNOT_READ_FROM_FILE_DESCRIPTOR
    case 75:   // CANNOT_WRITE_TO_FILE_DESCRIPTOR
    case 76:   // CANNOT_OPEN_FILE
    case 101:  // UNEXPECTED_PACKET_FROM_CLIENT
    case 102:  // UNEXPECTED_PACKET_FROM_SERVER
    case 159:  // TIMEOUT_EXCEEDED
    case 202:  // TOO_MANY_SIMULTANEOUS_QUERIES
    case 203:  // NO_FREE_CONNECTION
    case 209:  // SOCKET_TIMEOUT
    case 210:  // NETWORK_ERROR: refused, reset
    case 236:  // ABORTED
    case 241:  // MEMORY_LIMIT_EXCEEDED
    case 243:  // NOT_ENOUGH_SPACE
    case 252:  // TOO_MANY_PARTS
    case 279:  // ALL_CONNECTION_TRIES_FAILED: a shard of a Distributed query
    case 394:  // QUERY_WAS_CANCELLED
    case 425:  // SYSTEM_ERROR
    case 1000:  // POCO_EXCEPTION (DNS, sockets)
      return StatusCode::kIo;
    case 164:  // READONLY
    case 192:  // UNKNOWN_USER
    case 193:  // WRONG_PASSWORD
    case 194:  // REQUIRED_PASSWORD
    case 195:  // IP_ADDRESS_NOT_ALLOWED
    case 291:  // DATABASE_ACCESS_DENIED
      return StatusCode::kPermissionDenied;
    default:
      return StatusCode::kInvalidInput;
  }
}

// One clickhouse-client child: its pid and our ends of its stdin (inserts), stdout (queries)
// and stderr (an in-memory file, read once it has exited: no pipe to drain meanwhile).
// Destroying it kills and reaps a child still running.
class ClientProcess {
 public:
  explicit ClientProcess(std::string server) : server_(std::move(server)) {}
  ClientProcess(const ClientProcess&) = delete;
  ClientProcess& operator=(const ClientProcess&) = delete;
  ~ClientProcess() { Kill(); }

  pid_t pid = -1;
  Fd input, output, errors;

  const std::string& server() const { return server_; }

  void Kill() {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    Reap();
  }
  // Waits for the child; its wait status.
  int Reap() {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    return status;
  }
  // Waits for the child and says how it ended.
  Status Finish() { return Outcome(Reap()); }

  Status Outcome(int wait_status) const {
    if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) return Status::Ok();
    const std::string text = ErrorText();
    const std::string prefix = "ClickHouse at " + server_ + ": ";
    if (WIFSIGNALED(wait_status)) {
      return Status::Io(prefix + "clickhouse-client was killed by signal " +
                        std::to_string(WTERMSIG(wait_status)) +
                        (text.empty() ? "" : ": " + ClickHouseMessage(text, server_)));
    }
    if (text.empty()) {
      return Status::Io(prefix + "clickhouse-client exited with status " +
                        std::to_string(WEXITSTATUS(wait_status)) + " and no message");
    }
    const int code = CodeIn(text);
    return Status(code == 0 ? StatusCode::kInvalidInput : CodeKind(code),
                  prefix + ClickHouseMessage(text, server_));
  }

 private:
  std::string ErrorText() const {
    if (!errors.valid()) return "";
    std::string text(kMaxErrorText, '\0');
    const ssize_t n = ::pread(errors.get(), text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return text;
  }

  std::string server_;
};

enum class Mode { kQuery, kInsert };

// Starts clickhouse-client for one statement. The child's descriptors: 0 = /dev/null (a
// query) or a socket we write the data to (an insert), 1 = a pipe we read (a query) or
// /dev/null, 2 = an in-memory file, 3 = its private config (timeouts, credentials), 4.. = the
// external tables' data; nothing else of ours is open in it.
Result<std::unique_ptr<ClientProcess>> Spawn(const ClickHouseEndpoint& endpoint,
                                             const ClickHouseClientOptions& options,
                                             const std::string& sql,
                                             const std::vector<ExternalTable>& external,
                                             Mode mode) {
  const std::string server = ServerNameOf(endpoint);
  GOVQM_ASSIGN_OR_RETURN(const std::string client, ClientProgram(options));
  if (!IsClickHouseIdentifier(endpoint.database)) {
    return Status::Invalid("ClickHouse database name '" + OneLine(endpoint.database) +
                           "' is not an identifier");
  }
  for (const auto& [name, value] : options.settings) {
    if (!IsClickHouseIdentifier(name)) {
      return Status::Invalid("ClickHouse setting name '" + OneLine(name) +
                             "' is not an identifier");
    }
  }
  for (const ExternalTable& table : external) {
    if (!IsClickHouseIdentifier(table.name)) {
      return Status::Invalid("external table name '" + OneLine(table.name) +
                             "' is not an identifier");
    }
    if (table.structure.empty()) {
      return Status::Invalid("external table " + table.name + " has no structure");
    }
    if (table.tsv.empty()) {
      return Status::Invalid("external table " + table.name +
                             " has no rows: ClickHouse 18.16 would not see it (leave it out of "
                             "the query)");
    }
  }

  const std::string config =
      "<config><connect_timeout>" + std::to_string(options.connect_timeout_s) +
      "</connect_timeout><receive_timeout>" + std::to_string(options.receive_timeout_s) +
      "</receive_timeout><send_timeout>" + std::to_string(options.send_timeout_s) +
      "</send_timeout><user>" + XmlEscaped(options.user) + "</user><password>" +
      XmlEscaped(options.password) + "</password></config>\n";

  // The child's numbers are 0..first_free-1; every descriptor of ours is moved above them.
  const int first_free = 4 + static_cast<int>(external.size());
  std::vector<std::pair<Fd, int>> child_fds;  // (our descriptor, its number in the child)
  auto add = [&](Fd fd, int target) -> Status {
    GOVQM_ASSIGN_OR_RETURN(Fd lifted, Lifted(std::move(fd), first_free));
    child_fds.emplace_back(std::move(lifted), target);
    return Status::Ok();
  };
  auto process = std::make_unique<ClientProcess>(server);

  GOVQM_ASSIGN_OR_RETURN(Fd config_fd, MemFile("clickhouse-client-config", config));
  GOVQM_RETURN_IF_ERROR(add(std::move(config_fd), 3));
  for (size_t i = 0; i < external.size(); ++i) {
    GOVQM_ASSIGN_OR_RETURN(Fd data, MemFile("clickhouse-external", external[i].tsv));
    GOVQM_RETURN_IF_ERROR(add(std::move(data), 4 + static_cast<int>(i)));
  }
  GOVQM_ASSIGN_OR_RETURN(Fd errors, MemFile("clickhouse-client-stderr", ""));
  GOVQM_ASSIGN_OR_RETURN(process->errors, Lifted(std::move(errors), first_free));
  {
    Fd child_errors(::fcntl(process->errors.get(), F_DUPFD_CLOEXEC, first_free));
    if (!child_errors.valid()) return Status::Io("fcntl(F_DUPFD): " + ErrnoText(errno));
    GOVQM_RETURN_IF_ERROR(add(std::move(child_errors), 2));
  }
  bool stdin_null = true, stdout_null = true;
  if (mode == Mode::kInsert) {
    // A socket, not a pipe: send(MSG_NOSIGNAL) gets EPIPE when the child has died, where
    // write() to a pipe would raise SIGPIPE in the whole program.
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      return Status::Io("socketpair: " + ErrnoText(errno));
    }
    Fd ours(sv[0]);
    GOVQM_RETURN_IF_ERROR(add(Fd(sv[1]), 0));
    GOVQM_ASSIGN_OR_RETURN(process->input, Lifted(std::move(ours), first_free));
    stdin_null = false;
  } else {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return Status::Io("pipe: " + ErrnoText(errno));
    Fd ours(p[0]);
    GOVQM_RETURN_IF_ERROR(add(Fd(p[1]), 1));
    GOVQM_ASSIGN_OR_RETURN(process->output, Lifted(std::move(ours), first_free));
    stdout_null = false;
  }

  std::vector<std::string> args;
  const std::string& setpriv = Setpriv();
  if (!setpriv.empty()) args = {setpriv, "--pdeathsig", "KILL", "--"};
  args.push_back(client);
  args.push_back("--config-file=/dev/fd/3");
  args.push_back("--host=" + endpoint.host);
  args.push_back("--port=" + std::to_string(endpoint.port));
  args.push_back("--database=" + endpoint.database);
  args.push_back("--format=TabSeparated");  // the output's; before --external, whose it is not
  for (const auto& [name, value] : options.settings) args.push_back("--" + name + "=" + value);
  args.push_back("--query=" + sql);
  for (size_t i = 0; i < external.size(); ++i) {
    args.push_back("--external");
    args.push_back("--file=/dev/fd/" + std::to_string(4 + i));
    args.push_back("--name=" + external[i].name);
    args.push_back("--structure=" + external[i].structure);
    args.push_back("--format=TabSeparated");
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (const auto& [fd, target] : child_fds) {
    posix_spawn_file_actions_adddup2(&actions, fd.get(), target);
  }
  if (stdin_null) posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (stdout_null) posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclosefrom_np(&actions, first_free);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (const int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int err = ::posix_spawn(&process->pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) {
    process->pid = -1;
    return Status::Io("ClickHouse at " + server + ": cannot start " + args[0] + ": " +
                      ErrnoText(err));
  }
  return process;  // the child's ends close here, in child_fds: EOF reaches us when it exits
}

// Reads the child's stdout to its end, handing each chunk to `each`; on an error from `each`
// the child is killed and the error returned. Then the child's outcome.
Status Drain(ClientProcess& process, const std::function<Status(std::string_view)>& each) {
  std::string buffer(1 << 20, '\0');
  for (;;) {
    const ssize_t n = ::read(process.output.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      process.Kill();
      return Status::Io("ClickHouse at " + process.server() +
                        ": reading clickhouse-client's output: " + ErrnoText(err));
    }
    if (n == 0) break;
    const Status st = each(std::string_view(buffer.data(), static_cast<size_t>(n)));
    if (!st.ok()) {
      // Killing the client ends the query on the server when it next sends rows (a query
      // still computing runs on until then: 18.16 cancels on a write that fails).
      process.Kill();
      return st;
    }
  }
  return process.Finish();
}

}  // namespace

bool IsClickHouseIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

Result<ClickHouseEndpoint> ParseClickHouseUrl(std::string_view url, std::string_view cluster) {
  const std::string quoted = "'" + OneLine(url) + "'";
  auto bad = [&](const std::string& why) {
    return Status::Usage("ClickHouse URL " + quoted + ": " + why +
                         " (expected clickhouse://HOST[:PORT]/DATABASE)");
  };
  if (url.substr(0, kScheme.size()) != kScheme) return bad("does not start with clickhouse://");
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return bad("names no database");
  std::string_view authority = rest.substr(0, slash);
  const std::string_view database = rest.substr(slash + 1);
  if (authority.find('@') != std::string_view::npos) {
    return bad("has credentials (give the user and password in the client's options)");
  }
  ClickHouseEndpoint endpoint;
  bool has_port = false;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("has an unclosed [ in its host");
    endpoint.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad("has text after its IPv6 host");
    has_port = !after.empty();
    if (has_port) port_text = after.substr(1);
    if (endpoint.host.empty()) return bad("has an empty host");
    for (const char c : endpoint.host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return bad("has an IPv6 host that is not an address");
      }
    }
  } else {
    const size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port_text = authority.substr(colon + 1);
    if (endpoint.host.empty()) return bad("has no host");
    for (const char c : endpoint.host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
        return bad("has a host with a character that is not a letter, digit, '.', '-' or '_'");
      }
    }
  }
  if (has_port) {
    int port = 0;
    const char* end = port_text.data() + port_text.size();
    const auto [stop, ec] = std::from_chars(port_text.data(), end, port);
    if (port_text.empty() || ec != std::errc() || stop != end || port < 1 || port > 65535) {
      return bad("has port '" + OneLine(port_text) + "', not a number in 1..65535");
    }
    endpoint.port = port;
  }
  if (database.empty()) return bad("names no database");
  if (!IsClickHouseIdentifier(database)) {
    return bad("has database '" + OneLine(database) +
               "', not a name of letters, digits and '_' (not starting with a digit)");
  }
  endpoint.database = std::string(database);
  if (!cluster.empty() && !IsClickHouseIdentifier(cluster)) {
    return Status::Usage("ClickHouse cluster '" + OneLine(cluster) +
                         "': not a name of letters, digits and '_' (not starting with a digit)");
  }
  endpoint.cluster = std::string(cluster);
  return endpoint;
}

std::string ClickHouseUrl(const ClickHouseEndpoint& endpoint) {
  return std::string(kScheme) + ServerNameOf(endpoint) + "/" + endpoint.database;
}

int ClickHouseErrorCode(const Status& status) { return CodeIn(status.message()); }

// ---- InsertStream ---------------------------------------------------------------------------

struct InsertStream::Child {
  std::unique_ptr<ClientProcess> process;
};

InsertStream::InsertStream(std::unique_ptr<Child> child) : child_(std::move(child)) {
  buffer_.reserve(kSendChunk);
}

InsertStream::~InsertStream() { Abort(); }

void InsertStream::Abort() {
  if (finished_) return;
  finished_ = true;
  child_->process->Kill();  // never sends the end of data: the current block is dropped
  child_->process->input.reset();
  if (failure_.ok()) failure_ = Status::FailedPrecondition("the insert was aborted");
}

Status InsertStream::Failed(Status status) {
  failure_ = std::move(status);
  finished_ = true;
  child_->process->input.reset();
  return failure_;
}

Status InsertStream::Write(std::string_view bytes) {
  if (!failure_.ok()) return failure_;
  if (finished_) return Status::FailedPrecondition("write to a finished insert");
  if (buffer_.empty() && bytes.size() >= kSendChunk) return Send(bytes);  // no copy
  buffer_.append(bytes);
  return buffer_.size() >= kSendChunk ? Flush() : Status::Ok();
}

Status InsertStream::Flush() {
  GOVQM_RETURN_IF_ERROR(Send(buffer_));
  buffer_.clear();
  return Status::Ok();
}

Status InsertStream::Send(std::string_view rest) {
  ClientProcess& process = *child_->process;
  while (!rest.empty()) {
    const ssize_t n = ::send(process.input.get(), rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      // The child is gone (it failed: a row it could not parse, the server away): its
      // message says why, better than our EPIPE.
      process.input.reset();
      const Status outcome = process.Finish();
      if (!outcome.ok()) return Failed(outcome);
      return Failed(Status::Io("ClickHouse at " + process.server() +
                               ": clickhouse-client stopped reading the insert's data: " +
                               ErrnoText(err)));
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status InsertStream::Finish() {
  if (!failure_.ok()) return failure_;
  if (finished_) return Status::FailedPrecondition("the insert was finished already");
  GOVQM_RETURN_IF_ERROR(Flush());
  ClientProcess& process = *child_->process;
  process.input.reset();  // end of data: the client sends its last block and ends the insert
  const Status outcome = process.Finish();
  if (!outcome.ok()) return Failed(outcome);
  finished_ = true;
  return Status::Ok();
}

// ---- ClickHouseClient -----------------------------------------------------------------------

ClickHouseClient::ClickHouseClient(ClickHouseEndpoint endpoint, ClickHouseClientOptions options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

std::string ClickHouseClient::ServerName() const { return ServerNameOf(endpoint_); }

ClickHouseClient ClickHouseClient::WithSetting(const std::string& name,
                                               const std::string& value) const {
  ClickHouseClient copy = *this;
  auto& settings = copy.options_.settings;
  std::erase_if(settings, [&](const auto& s) { return s.first == name; });
  settings.emplace_back(name, value);
  return copy;
}

ClickHouseClient ClickHouseClient::ForEndpoint(ClickHouseEndpoint endpoint) const {
  return ClickHouseClient(std::move(endpoint), options_);
}

Status ClickHouseClient::Ping() const {
  GOVQM_ASSIGN_OR_RETURN(const std::string out, Query("SELECT 1"));
  if (out != "1\n") {
    return Status::Io("ClickHouse at " + ServerName() + ": SELECT 1 answered '" +
                      OneLine(out) + "'");
  }
  return Status::Ok();
}

Result<std::string> ClickHouseClient::Query(const std::string& sql,
                                            const std::vector<ExternalTable>& external) const {
  GOVQM_ASSIGN_OR_RETURN(auto process, Spawn(endpoint_, options_, sql, external, Mode::kQuery));
  std::string out;
  GOVQM_RETURN_IF_ERROR(Drain(*process, [&](std::string_view chunk) {
    out.append(chunk);
    return Status::Ok();
  }));
  return out;
}

Status ClickHouseClient::QueryLines(const std::string& sql,
                                    const std::function<Status(std::string_view line)>& each,
                                    const std::vector<ExternalTable>& external) const {
  GOVQM_ASSIGN_OR_RETURN(auto process, Spawn(endpoint_, options_, sql, external, Mode::kQuery));
  std::string partial;  // the start of a line whose end has not come yet
  GOVQM_RETURN_IF_ERROR(Drain(*process, [&](std::string_view chunk) -> Status {
    while (!chunk.empty()) {
      const size_t nl = chunk.find('\n');
      if (nl == std::string_view::npos) {
        partial.append(chunk);
        break;
      }
      if (partial.empty()) {
        GOVQM_RETURN_IF_ERROR(each(chunk.substr(0, nl)));
      } else {
        partial.append(chunk.substr(0, nl));
        GOVQM_RETURN_IF_ERROR(each(partial));
        partial.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
    return Status::Ok();
  }));
  if (!partial.empty()) return each(partial);  // TabSeparated ends every row with '\n'
  return Status::Ok();
}

Result<std::unique_ptr<InsertStream>> ClickHouseClient::BeginInsert(
    const std::string& insert_sql) const {
  std::string upper = insert_sql;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.find("FORMAT") == std::string::npos) {
    return Status::Invalid("ClickHouse insert '" + OneLine(insert_sql) +
                           "' names no FORMAT (e.g. FORMAT TabSeparated)");
  }
  GOVQM_ASSIGN_OR_RETURN(auto process,
                         Spawn(endpoint_, options_, insert_sql, {}, Mode::kInsert));
  auto child = std::make_unique<InsertStream::Child>();
  child->process = std::move(process);
  return std::unique_ptr<InsertStream>(new InsertStream(std::move(child)));
}

Result<std::vector<ClickHouseClusterHost>> ClickHouseClient::ListClusterHosts() const {
  if (endpoint_.cluster.empty()) return std::vector<ClickHouseClusterHost>{{1, 1, endpoint_}};
  if (!IsClickHouseIdentifier(endpoint_.cluster)) {
    return Status::Invalid("ClickHouse cluster '" + OneLine(endpoint_.cluster) +
                           "' is not an identifier");
  }
  ExternalTable name{"_govqm_cluster", "name String", ""};
  AppendTsvEscaped(&name.tsv, endpoint_.cluster);
  name.tsv.push_back('\n');
  std::vector<ClickHouseClusterHost> hosts;
  std::vector<std::string_view> fields;
  Status parse;
  GOVQM_RETURN_IF_ERROR(QueryLines(
      "SELECT shard_num, replica_num, host_address, port FROM system.clusters "
      "WHERE cluster IN _govqm_cluster ORDER BY shard_num, replica_num",
      [&](std::string_view line) -> Status {
        SplitTsvFields(line, &fields);
        ClickHouseClusterHost host;
        host.endpoint = endpoint_;
        if (fields.size() != 4 ||
            std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(),
                            host.shard_num).ec != std::errc() ||
            std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(),
                            host.replica_num).ec != std::errc() ||
            std::from_chars(fields[3].data(), fields[3].data() + fields[3].size(),
                            host.endpoint.port).ec != std::errc()) {
          return Status::Io("ClickHouse at " + ServerName() +
                            ": system.clusters row not understood: '" + OneLine(line) + "'");
        }
        host.endpoint.host = UnescapeTsv(fields[2]);
        hosts.push_back(std::move(host));
        return Status::Ok();
      },
      {name}));
  if (hosts.empty()) {
    return Status::Invalid("ClickHouse at " + ServerName() + ": no cluster named " +
                           endpoint_.cluster + " in its remote_servers (system.clusters)");
  }
  return hosts;
}

// ---- TabSeparated ---------------------------------------------------------------------------

void AppendTsvEscaped(std::string* out, std::string_view s) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char escape = 0;
    switch (s[i]) {
      case '\\': escape = '\\'; break;
      case '\t': escape = 't'; break;
      case '\n': escape = 'n'; break;
      case '\r': escape = 'r'; break;
      case '\b': escape = 'b'; break;
      case '\f': escape = 'f'; break;
      case '\0': escape = '0'; break;
      case '\'': escape = '\''; break;
      default: continue;
    }
    out->append(s.substr(start, i - start));
    out->push_back('\\');
    out->push_back(escape);
    start = i + 1;
  }
  out->append(s.substr(start));
}

std::string UnescapeTsv(std::string_view field) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      out.push_back(c);
      continue;
    }
    const char e = field[++i];
    switch (e) {
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'e': out.push_back('\x1B'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case '0': out.push_back('\0'); break;
      case 'N': break;
      case 'x':
        if (i + 2 < field.size() && hex(field[i + 1]) >= 0 && hex(field[i + 2]) >= 0) {
          out.push_back(static_cast<char>(hex(field[i + 1]) * 16 + hex(field[i + 2])));
          i += 2;
        } else {
          out.push_back('x');
        }
        break;
      default: out.push_back(e);
    }
  }
  return out;
}

void SplitTsvFields(std::string_view line, std::vector<std::string_view>* fields) {
  fields->clear();
  for (;;) {
    const size_t tab = line.find('\t');
    fields->push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return;
    line.remove_prefix(tab + 1);
  }
}

}  // namespace govqm::platform

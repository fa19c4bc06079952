#include "support/clickhouse_cluster.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

extern char** environ;

namespace govqm::testing {
namespace {

const std::string kScript = std::string(GOVQM_SOURCE_DIR) + "/scripts/clickhouse-test-cluster.sh";

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

bool OnPathOr(const std::string& name, const std::string& fallback) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && Executable(dir + "/" + name)) return true;
  }
  return Executable(fallback);
}

struct Ran {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// `bash SCRIPT ARGS...` with its output captured; nothing else of ours is open in it.
Result<Ran> RunScript(const std::vector<std::string>& script_args) {
  std::vector<std::string> args = {"/bin/bash", kScript};
  args.insert(args.end(), script_args.begin(), script_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return Status::Io(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, p[1], 1);
  posix_spawn_file_actions_adddup2(&actions, p[1], 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  pid_t pid = -1;
  const int err = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(p[1]);
  if (err != 0) {
    ::close(p[0]);
    return Status::Io("cannot run " + kScript + ": " + std::strerror(err));
  }
  Ran ran;
  char buf[4096];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    ran.output.append(buf, static_cast<size_t>(n));
  }
  ::close(p[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return ran;
}

// Starts the watchdog: a process of its own session (so that killing the test's process group
// or tree spares it) that waits for the returned pipe end to close, then stops the cluster in
// `dir` and removes it. -1 when it could not be started.
int StartWatchdog(const std::string& dir) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return -1;
  // Everything the grandchild needs is made before fork: after it, only system calls.
  std::string bash = "/bin/bash", script = kScript, stop = "stop", d = dir, remove = "--remove";
  char* argv[] = {bash.data(), script.data(), stop.data(), d.data(), remove.data(), nullptr};
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(p[0]);
    ::close(p[1]);
    return -1;
  }
  if (child == 0) {
    if (::fork() != 0) ::_exit(0);  // the grandchild is the watchdog, parented by init
    ::setsid();
    ::close(p[1]);
    const int wait_fd = ::fcntl(p[0], F_DUPFD, 3);  // above 0-2, whatever they are
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);  // the test's output may be a pipe gone with it: no SIGPIPE in stop
    ::dup2(null, 2);
    if (wait_fd != 3) ::dup2(wait_fd, 3);
    // Nothing of the test's stays open here (ctest reads its output until every copy closes).
    ::close_range(4, ~0U, 0);
    for (;;) {
      char c;
      const ssize_t n = ::read(3, &c, 1);
      if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
    ::close(3);
    ::execve(argv[0], argv, environ);
    ::_exit(127);
  }
  ::close(p[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return p[1];
}

std::map<std::string, std::string> ReadEnvFile(const std::string& path) {
  std::map<std::string, std::string> values;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

}  // namespace

Result<std::unique_ptr<ClickHouseTestCluster>> ClickHouseTestCluster::Start(int shards) {
  if (!OnPathOr("clickhouse-server", "/usr/sbin/clickhouse-server") ||
      !OnPathOr("clickhouse-client", "/usr/bin/clickhouse-client")) {
    return Status::FailedPrecondition(
        "ClickHouse is not installed (clickhouse-server, clickhouse-client): run "
        "scripts/install-deps.sh (as root, or with sudo) to install the packages the tests need");
  }
  const std::filesystem::path base = std::filesystem::temp_directory_path();
  std::string pattern = (base / "govqm_ch_XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::Io(pattern + ": cannot make a directory: " + std::strerror(errno));
  }
  std::unique_ptr<ClickHouseTestCluster> cluster(new ClickHouseTestCluster());
  cluster->dir_ = pattern;
  cluster->watchdog_fd_ = StartWatchdog(cluster->dir_);
  if (cluster->watchdog_fd_ < 0) {
    return Status::Io(std::string("cannot start the cluster's watchdog: ") + std::strerror(errno));
  }
  GOVQM_ASSIGN_OR_RETURN(const Ran ran,
                         RunScript({"start", cluster->dir_, "--shards", std::to_string(shards)}));
  if (ran.exit_code != 0) {
    return Status::Io("scripts/clickhouse-test-cluster.sh start " + cluster->dir_ +
                      " failed (exit " + std::to_string(ran.exit_code) + "):\n" + ran.output);
  }
  auto env = ReadEnvFile(cluster->dir_ + "/env");
  GOVQM_ASSIGN_OR_RETURN(cluster->endpoint_,
                         platform::ParseClickHouseUrl(env["GOVQM_CH_URL"], env["GOVQM_CH_CLUSTER"]));
  std::stringstream ports(env["GOVQM_CH_TCP_PORTS"]);
  for (std::string port; std::getline(ports, port, ',');) {
    platform::ClickHouseEndpoint server = cluster->endpoint_;
    server.port = std::stoi(port);
    server.cluster.clear();
    cluster->servers_.push_back(server);
  }
  if (static_cast<int>(cluster->servers_.size()) != shards) {
    return Status::Io(cluster->dir_ + "/env: expected " + std::to_string(shards) +
                      " tcp ports, found '" + env["GOVQM_CH_TCP_PORTS"] + "'");
  }
  return cluster;
}

std::vector<pid_t> ClickHouseTestCluster::ServerPids() const {
  std::vector<pid_t> pids;
  for (size_t n = 1; n <= servers_.size(); ++n) {
    std::ifstream in(dir_ + "/s" + std::to_string(n) + "/pid");
    pid_t pid = -1;
    if (in >> pid) pids.push_back(pid);
  }
  return pids;
}

Status ClickHouseTestCluster::Stop() {
  if (stopped_) return Status::Ok();
  stopped_ = true;
  auto ran = RunScript({"stop", dir_, "--remove"});
  // The watchdog, woken by the closed pipe, finds nothing left to stop.
  if (watchdog_fd_ >= 0) ::close(watchdog_fd_);
  watchdog_fd_ = -1;
  if (!ran.ok()) return ran.status();
  if (ran->exit_code != 0) {
    return Status::Io("scripts/clickhouse-test-cluster.sh stop " + dir_ + " failed: " +
                      ran->output);
  }
  return Status::Ok();
}

ClickHouseTestCluster::~ClickHouseTestCluster() { Stop().IgnoreError(); }

const Result<std::unique_ptr<ClickHouseTestCluster>>& SharedClickHouseCluster() {
  // A static: destroyed (the cluster stopped) when the test program exits normally; the
  // watchdog covers every other end.
  static const Result<std::unique_ptr<ClickHouseTestCluster>> cluster =
      ClickHouseTestCluster::Start(2);
  return cluster;
}

}  // namespace govqm::testing

// Runs the real `govqm serve` on a free loopback port over a small generated province, as an
// administration would: init, calendars, imports, users made with `govqm user add`.
#pragma once

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace govqm::testing {

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Ran {
  int exit_code;
  std::string out, err;
};

// `govqm ARGS` in `dir`, with `input` on standard input.
inline Ran RunGovqm(const std::string& dir, const std::string& args,
                    const std::string& input = "") {
  std::ofstream(dir + "/_in.txt", std::ios::binary) << input;
  const std::string cmd = "cd '" + dir + "' && " + GOVQM_BINARY + " " + args +
                          " < _in.txt > _out.txt 2> _err.txt";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadAll(dir + "/_out.txt"),
          ReadAll(dir + "/_err.txt")};
}

// A `govqm serve` child process; stopped (SIGTERM, then waited for) when destroyed.
class ServerProcess {
 public:
  ServerProcess(const std::string& dir, const std::string& args) : log_(dir + "/serve.log") {
    // A peer closing mid-write must fail the write, not kill the test (the server closes a
    // connection whose body it refused unread).
    ::signal(SIGPIPE, SIG_IGN);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // a test that dies takes its server with it
      if (::chdir(dir.c_str()) != 0) ::_exit(127);
      const std::string cmd = std::string("exec ") + GOVQM_BINARY + " serve --port 0 " + args +
                              " 2> serve.log";
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    static const std::regex listening(R"(listening on https?://[^:]+:(\d+))");
    for (int i = 0; i < 600 && port_ == 0; ++i) {  // at most 30 s
      std::smatch m;
      const std::string log = ReadAll(log_);
      if (std::regex_search(log, m, listening)) {
        port_ = std::stoi(m[1]);
        break;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~ServerProcess() { Stop(); }

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // CPU time the server has used so far, in clock ticks (/proc/PID/stat: utime + stime).
  long CpuTicks() const {
    std::istringstream in(ReadAll("/proc/" + std::to_string(pid_) + "/stat"));
    std::string field;
    long ticks = 0;
    for (int i = 1; i <= 15 && in >> field; ++i) {
      if (i >= 14) ticks += std::stol(field);
    }
    return ticks;
  }
  std::string log() const { return ReadAll(log_); }
  // The log once it holds `text` (a request's line is written just after its answer is
  // sent, so a client may see the answer first); the log as it is after 5 s otherwise.
  std::string LogWith(const std::string& text) const {
    for (int i = 0; i < 100; ++i) {
      const std::string now = log();
      if (now.find(text) != std::string::npos) return now;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return log();
  }

  // SIGTERM, then the exit code (-1 if it did not exit within `wait_s` seconds: then killed).
  int Stop(int wait_s = 20) {
    if (exited_ || pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < wait_s * 20; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return exit_code_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    exited_ = true;
    return exit_code_ = -1;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool exited_ = false;
  int exit_code_ = -1;
};

// Generates the small province (scale 4000, seed 7) into DIR/data and loads it into a new
// DIR/govqm.db (zone Asia/Shanghai, with its contact key DIR/govqm.key), as an administration
// would. "" when it worked, else the step that failed and what it printed.
inline std::string MakeProvinceStore(const std::string& dir) {
  const std::string src = GOVQM_SOURCE_DIR;
  std::vector<std::string> steps = {"generate --out data --scale 4000 --seed 7",
                                    "init --tz Asia/Shanghai",
                                    "calendar " + src + "/config/calendars/cn-2024.cal"};
  for (const char* kind : {"regions", "departments", "items", "transactions", "evaluations",
                           "rectifications", "probes", "guides", "org"}) {
    steps.push_back(std::string("import ") + kind + " data/" + kind + ".csv");
  }
  for (const std::string& step : steps) {
    const Ran r = RunGovqm(dir, step);
    if (r.exit_code != 0) return "govqm " + step + ": exit " + std::to_string(r.exit_code) + ": " + r.err;
  }
  return "";
}

// A scratch directory with a store of a small generated province (two periods of 2024).
class ServedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("govqm_server_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_EQ(MakeProvinceStore(dir_), "");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Ran Run(const std::string& args, const std::string& input = "") const {
    return RunGovqm(dir_, args, input);
  }
  // Adds a user with password `name` + "-password1" (at least 10 characters).
  void AddUser(const std::string& name, const std::string& role, const std::string& scope = "") {
    const Ran r = Run("user add " + name + " --role " + role + " " + scope, Password(name) + "\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static std::string Password(const std::string& name) { return name + "-password1"; }

  std::string framework() const {
    return std::string(GOVQM_SOURCE_DIR) + "/config/framework.toml";
  }

  std::string dir_;
};

// Sends `request` as it is on a new connection and returns what comes back: one whole
// response (by its Content-Length), or what came before the server closed the connection or
// `wait_s` seconds passed (for requests no well-behaved client would make).
inline std::string RawExchange(int port, const std::string& request, int wait_s = 5) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  timeval tv{wait_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) {
    out.append(buf, static_cast<size_t>(n));
    const size_t end = out.find("\r\n\r\n");
    const size_t length = out.find("Content-Length: ");
    if (end != std::string::npos && length != std::string::npos && length < end &&
        out.size() >= end + 4 + std::stoul(out.substr(length + 16))) {
      break;
    }
  }
  ::close(fd);
  return out;
}

// A signed-in client: the session cookie and its CSRF token.
struct SignedIn {
  int status = 0;
  std::string cookie, csrf, body;
};

inline SignedIn SignIn(httplib::Client& c, const std::string& user, const std::string& password) {
  SignedIn s;
  const std::string body = "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}";
  auto res = c.Post("/api/v1/session", body, "application/json");
  if (!res) return s;
  s.status = res->status;
  s.body = res->body;
  const std::string set = res->get_header_value("Set-Cookie");
  const size_t semi = set.find(';');
  s.cookie = set.substr(0, semi);
  static const std::regex csrf(R"re("csrf"\s*:\s*"([0-9a-f]+)")re");
  std::smatch m;
  if (std::regex_search(s.body, m, csrf)) s.csrf = m[1];
  return s;
}

inline httplib::Headers WithSession(const SignedIn& s, bool csrf = false) {
  httplib::Headers h{{"Cookie", s.cookie}};
  if (csrf) h.emplace("X-CSRF-Token", s.csrf);
  return h;
}

}  // namespace govqm::testing

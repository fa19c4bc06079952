// govqm probe against local servers that misbehave on purpose (service.md §8): a 500, an
// answer slower than the timeout, a page without the expected text, a good page, and over TLS
// certificates made here with openssl (expiring in 3 days, valid for 60, signed by no CA the
// target trusts). Each stored probe's ok and reason is checked, then what the availability
// and latency indicators make of them.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <thread>

#include "cli_harness.h"
#include "core/table.h"
#include "store/store.h"

namespace govqm::testing {
namespace {

// A server of the test's own, on a free loopback port, in a thread of the test.
class LocalServer {
 public:
  explicit LocalServer(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {
    server_->Get("/error", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("internal error", "text/plain");
    });
    server_->Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1200));
      res.set_content("service ready", "text/plain");
    });
    server_->Get("/changed", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("maintenance page", "text/plain");
    });
    server_->Get("/good", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("<html>service ready</html>", "text/html");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }
  ~LocalServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
  std::thread thread_;
};

struct StoredProbe {
  bool ok;
  std::string reason, region;
  int status;
  double latency;
};

class ProbeTest : public CliTest {
 protected:
  void MakeCert(const std::string& name, int days) {
    const std::string cmd = "cd '" + dir_.string() +
                            "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout " + name +
                            ".key -out " + name + ".pem -days " + std::to_string(days) +
                            " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2> /dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    ASSERT_TRUE(Exists(name + ".pem"));
  }
  std::multimap<std::string, StoredProbe> Stored() {
    auto store = Store::Open(Path("s.db"));
    EXPECT_TRUE(store.ok()) << store.status().message();
    auto t = (*store)->Load(Kind::kProbes);
    EXPECT_TRUE(t.ok());
    std::multimap<std::string, StoredProbe> out;
    for (size_t r = 0; r < t->rows(); ++r) {
      const int32_t status = t->col(probe_col::kStatusCode).ints[r];
      out.emplace(std::string(t->col(probe_col::kTarget).CodeAt(r)),
                  StoredProbe{t->col(probe_col::kOk).bytes[r] == 1,
                              std::string(t->col(probe_col::kReason).TextAt(r)),
                              std::string(t->col(probe_col::kRegionCode).CodeAt(r)),
                              status == kNullInt ? 0 : status,
                              t->col(probe_col::kLatencyMs).reals[r]});
    }
    return out;
  }
  static std::string Year() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return std::to_string(tm.tm_year + 1900);
  }
};

TEST_F(ProbeTest, EachMisbehaviourIsStoredWithItsReasonAndTheIndicatorsReadThem) {
  MakeCert("short", 3);
  MakeCert("long", 60);
  LocalServer plain(std::make_unique<httplib::Server>());
  LocalServer tls_short(
      std::make_unique<httplib::SSLServer>(Path("short.pem").c_str(), Path("short.key").c_str()));
  LocalServer tls_long(
      std::make_unique<httplib::SSLServer>(Path("long.pem").c_str(), Path("long.key").c_str()));
  ASSERT_GT(plain.port(), 0);
  ASSERT_GT(tls_short.port(), 0);
  ASSERT_GT(tls_long.port(), 0);
  const std::string http = "http://127.0.0.1:" + std::to_string(plain.port());
  auto target = [](const std::string& name, const std::string& url, const std::string& region,
                   const std::string& extra) {
    return "[[target]]\nname = \"" + name + "\"\nurl = \"" + url + "\"\nregion = \"" + region +
           "\"\nexpect_text = \"service ready\"\n" + extra + "\n";
  };
  const std::string https_short = "https://127.0.0.1:" + std::to_string(tls_short.port()) + "/good";
  const std::string https_long = "https://127.0.0.1:" + std::to_string(tls_long.port()) + "/good";
  Write("targets.toml",
        target("err", http + "/error", "450100", "") +
            target("slow", http + "/slow", "450100", "timeout_ms = 300") +
            target("changed", http + "/changed", "450100", "") +
            target("good", http + "/good", "450100", "expect_status = 200") +
            target("tls-short", https_short, "450200", "ca_file = \"short.pem\"") +
            target("tls-long", https_long, "450200", "ca_file = \"long.pem\"") +
            // the 60-day server, but trusting only the other certificate: not verifiable
            target("tls-untrusted", https_long, "450200", "ca_file = \"short.pem\""));
  ASSERT_EQ(Run("init --db s.db").exit_code, 0);
  const RunResult r = Run("probe --targets targets.toml --db s.db --once");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto stored = Stored();
  ASSERT_EQ(stored.size(), 7u);
  auto one = [&](const std::string& name) {
    EXPECT_EQ(stored.count(name), 1u) << name;
    return stored.find(name)->second;
  };
  const StoredProbe err = one("err");
  EXPECT_FALSE(err.ok);
  EXPECT_EQ(err.reason, "status 500, expected 200");
  EXPECT_EQ(err.status, 500);
  EXPECT_EQ(err.region, "450100");

  const StoredProbe slow = one("slow");
  EXPECT_FALSE(slow.ok);
  EXPECT_EQ(slow.reason, "timeout: no complete answer within 300 ms");
  EXPECT_TRUE(std::isnan(slow.latency));  // no answer, no latency

  const StoredProbe changed = one("changed");
  EXPECT_FALSE(changed.ok);
  EXPECT_EQ(changed.reason, "expected text 'service ready' missing");
  EXPECT_EQ(changed.status, 200);

  const StoredProbe good = one("good");
  EXPECT_TRUE(good.ok);
  EXPECT_EQ(good.reason, "");
  EXPECT_EQ(good.status, 200);
  EXPECT_GT(good.latency, 0);
  EXPECT_LT(good.latency, 1000);

  const StoredProbe tls_s = one("tls-short");
  EXPECT_FALSE(tls_s.ok);
  EXPECT_EQ(tls_s.reason.rfind("TLS: certificate expires at ", 0), 0u) << tls_s.reason;
  EXPECT_NE(tls_s.reason.find("within 14 days"), std::string::npos) << tls_s.reason;
  EXPECT_EQ(tls_s.status, 200);  // the page itself was fine

  const StoredProbe tls_l = one("tls-long");
  EXPECT_TRUE(tls_l.ok) << tls_l.reason;
  EXPECT_EQ(tls_l.reason, "");

  const StoredProbe untrusted = one("tls-untrusted");
  EXPECT_FALSE(untrusted.ok);
  EXPECT_EQ(untrusted.reason.rfind("TLS: ", 0), 0u) << untrusted.reason;
  EXPECT_EQ(untrusted.status, 0);

  // availability = count(ok) / count: 450100 has 1 of 4 (good), 450200 1 of 3 (tls-long).
  // latency_p95_ms over ok probes only: 450100's only ok probe is `good`.
  const std::string y = Year();
  const RunResult ind =
      Run("indicators --db s.db --from " + y + "-01-01 --to " + y +
          "-12-31 --by region --only availability,latency_p95_ms --format csv");
  ASSERT_EQ(ind.exit_code, 0) << ind.err;
  std::map<std::string, std::string> values;
  std::istringstream lines(ind.out);
  for (std::string line; std::getline(lines, line);) {
    const size_t last = line.rfind(',');
    values[line.substr(0, last)] = line.substr(last + 1);
  }
  EXPECT_NEAR(std::stod(values.at("450100,availability")), 0.25, 1e-9);
  EXPECT_NEAR(std::stod(values.at("450200,availability")), 1.0 / 3, 1e-9);
  EXPECT_NEAR(std::stod(values.at("450100,latency_p95_ms")), good.latency, 1e-3);
}

TEST_F(ProbeTest, EveryLoopsCommittingEachRoundUntilSigterm) {
  LocalServer plain(std::make_unique<httplib::Server>());
  Write("targets.toml", "[[target]]\nname = \"good\"\nurl = \"http://127.0.0.1:" +
                            std::to_string(plain.port()) + "/good\"\nregion = \"450100\"\n");
  ASSERT_EQ(Run("init --db s.db").exit_code, 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (chdir(dir_.c_str()) != 0) _exit(99);
    freopen("/dev/null", "w", stdout);
    execl(GOVQM_BINARY, GOVQM_BINARY, "probe", "--targets", "targets.toml", "--db", "s.db",
          "--every", "1", static_cast<char*>(nullptr));
    _exit(98);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // rounds at 0 s, 1 s, 2 s
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const auto stored = Stored();
  EXPECT_GE(stored.size(), 2u);
  EXPECT_LE(stored.size(), 3u);
  for (const auto& [name, p] : stored) {
    EXPECT_EQ(name, "good");
    EXPECT_TRUE(p.ok) << p.reason;
  }
}

TEST_F(ProbeTest, TargetsFileErrorsNameFileLineAndKey) {
  ASSERT_EQ(Run("init --db s.db").exit_code, 0);
  Write("t1.toml", "[[target]]\nname = \"a\"\nurl = \"http://x/\"\ntimeout = 5\n");
  RunResult r = Run("probe --targets t1.toml --db s.db");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("t1.toml:4: unknown key 'timeout' in [[target]]"), std::string::npos)
      << r.err;

  Write("t2.toml", "[[target]]\nname = \"a\"\nurl = \"http://x/\"\ntimeout_ms = \"5\"\n");
  r = Run("probe --targets t2.toml --db s.db");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("t2.toml:4: 'timeout_ms' must be an integer"), std::string::npos) << r.err;

  Write("t3.toml", "[[target]]\nname = \"a\"\n\n[[target]]\nname = \"b\"\nurl = \"ftp://x/\"\n");
  r = Run("probe --targets t3.toml --db s.db");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("t3.toml:1: [[target]] 'a' has no 'url'"), std::string::npos) << r.err;

  r = Run("probe --targets t1.toml --db s.db --once --every 5");
  EXPECT_EQ(r.exit_code, 2);
  r = Run("probe --db s.db");
  EXPECT_EQ(r.exit_code, 2);
  r = Run("probe --targets missing.toml --db s.db");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.toml"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace govqm::testing

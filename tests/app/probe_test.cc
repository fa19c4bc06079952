// The prober's use case without a network: the targets file's parsing and defaults, the
// verdict of each kind of check, and a round stored with an injected HTTP client and clock.
#include "app/probe.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "app/init.h"
#include "core/table.h"
#include "province.h"
#include "store/store.h"

namespace govqm::app {
namespace {

using platform::HttpCheckResult;
using F = HttpCheckResult::Failure;

constexpr int64_t kDay = 24LL * 3600 * 1000;
// 2026-01-01T00:00:00Z
constexpr int64_t kNow = 1767225600000;

TEST(ProbeTargetsTest, DefaultsAndEveryKey) {
  auto t = ParseTargets(
      "[[target]]\nname = \"a\"\nurl = \"https://a.example/\"\n\n"
      "[[target]]\nname = \"b\"\nurl = \"http://b.example/x\"\nregion = \"450100\"\n"
      "dept = \"D01\"\nexpect_status = 204\nexpect_text = \"ready\"\ntimeout_ms = 250\n"
      "ca_file = \"/etc/ca.pem\"\n",
      "t.toml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].expect_status, 200);
  EXPECT_EQ((*t)[0].timeout_ms, 5000);
  EXPECT_EQ((*t)[0].expect_text, "");
  EXPECT_EQ((*t)[0].region, "");
  EXPECT_EQ((*t)[1].region, "450100");
  EXPECT_EQ((*t)[1].dept, "D01");
  EXPECT_EQ((*t)[1].expect_status, 204);
  EXPECT_EQ((*t)[1].expect_text, "ready");
  EXPECT_EQ((*t)[1].timeout_ms, 250);
  EXPECT_EQ((*t)[1].ca_file, "/etc/ca.pem");
}

TEST(ProbeTargetsTest, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"[[target]]\nname = \"a\"\nurl = \"http://a/\"\nexpect_status = 99\n",
       "t.toml:4: 'expect_status' 99 is not an HTTP status (100-599)"},
      {"[[target]]\nname = \"a\"\nurl = \"http://a/\"\n[[target]]\nname = \"a\"\nurl = \"http://b/\"\n",
       "t.toml:4: target name 'a' given twice"},
      {"[[target]]\nurl = \"http://a/\"\n", "t.toml:1: [[target]] has no 'name'"},
      {"[other]\nx = 1\n", "t.toml:1: unknown key 'other' (a targets file holds [[target]] tables)"},
      {"", "t.toml: no [[target]] in the file"},
      {"[[target]]\nname = \"a\"\nurl = \"http://a/\"\nregion = 450100\n",
       "t.toml:4: 'region' must be a string"},
  };
  for (const Case& c : cases) {
    auto t = ParseTargets(c.text, "t.toml");
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(t.status().message(), c.error);
  }
}

TEST(ProbeTargetsTest, ShippedExampleLoadsWithItsCaFileBesideIt) {
  const std::string dir = std::string(GOVQM_SOURCE_DIR) + "/config/examples";
  auto t = LoadTargets(dir + "/probe-targets.toml");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->size(), 2u);
  EXPECT_EQ((*t)[0].name, "gx-zwfw");
  EXPECT_EQ((*t)[0].ca_file, "");
  EXPECT_EQ((*t)[1].dept, "D01");
  EXPECT_EQ((*t)[1].ca_file, dir + "/nanning-ca.pem");
}

TEST(ProbeJudgeTest, FirstFailureThatAppliesIsTheReason) {
  ProbeTarget t;
  t.expect_text = "ready";
  t.timeout_ms = 300;
  HttpCheckResult good;
  good.status_code = 200;
  good.body = "all ready";
  good.cert_not_after_ms = kNow + 30 * kDay;
  EXPECT_TRUE(Judge(t, good, kNow).ok);
  EXPECT_EQ(Judge(t, good, kNow).reason, "");

  HttpCheckResult r = good;
  r.status_code = 503;
  EXPECT_EQ(Judge(t, r, kNow).reason, "status 503, expected 200");
  r = good;
  r.body = "gone";
  EXPECT_EQ(Judge(t, r, kNow).reason, "expected text 'ready' missing");
  r = good;
  r.failure = F::kTimeout;
  EXPECT_EQ(Judge(t, r, kNow).reason, "timeout: no complete answer within 300 ms");
  r = good;
  r.failure = F::kTls;
  r.error = "SSL certificate problem: self-signed certificate";
  EXPECT_EQ(Judge(t, r, kNow).reason, "TLS: SSL certificate problem: self-signed certificate");

  // Exactly 14 days left is still fine; a millisecond less is not; past it, expired.
  r = good;
  r.cert_not_after_ms = kNow + 14 * kDay;
  EXPECT_TRUE(Judge(t, r, kNow).ok);
  r.cert_not_after_ms = kNow + 14 * kDay - 1;
  EXPECT_FALSE(Judge(t, r, kNow).ok);
  EXPECT_EQ(Judge(t, r, kNow).reason,
            "TLS: certificate expires at 2026-01-14T23:59:59.999Z, within 14 days");
  r.cert_not_after_ms = kNow - kDay;
  EXPECT_EQ(Judge(t, r, kNow).reason, "TLS: certificate expired at 2025-12-31T00:00:00.000Z");
}

// A clock that moves one second a call.
class StepClock : public platform::Env {
 public:
  int64_t NowUtcMs() const override { return now_ += 1000; }

 private:
  mutable int64_t now_ = kNow;
};

TEST(ProbeRoundTest, StoresOneRecordPerTargetWithItsColumns) {
  const auto dir = MakeTempDir("probe_round");
  const std::string db = (dir / "govqm.db").string();
  ASSERT_TRUE(Init({db, "Asia/Shanghai"}).ok());
  auto store = Store::Open(db);
  ASSERT_TRUE(store.ok());
  std::vector<ProbeTarget> targets(2);
  targets[0].name = "up";
  targets[0].url = "http://up/";
  targets[0].region = "450100";
  targets[0].dept = "D01";
  targets[1].name = "down";
  targets[1].url = "http://down/";
  auto http = [](const platform::HttpCheckRequest& req) {
    HttpCheckResult r;
    if (req.url == "http://up/") {
      r.status_code = 200;
      r.latency_ms = 42.5;
    } else {
      r.failure = F::kTimeout;
      r.error = "Operation timed out";
      r.latency_ms = 5000;
    }
    return r;
  };
  StepClock clock;
  auto round = ProbeRound(**store, targets, clock, http);
  ASSERT_TRUE(round.ok()) << round.status().message();
  ASSERT_EQ(round->records.size(), 2u);

  auto t = (*store)->Load(Kind::kProbes);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows(), 2u);
  // The clock is read once per check as the round starts (+1 s, +2 s), then once to judge.
  EXPECT_EQ(t->col(probe_col::kTarget).CodeAt(0), "up");
  EXPECT_EQ(t->col(probe_col::kRegionCode).CodeAt(0), "450100");
  EXPECT_EQ(t->col(probe_col::kDeptCode).CodeAt(0), "D01");
  EXPECT_EQ(t->col(probe_col::kCheckedAt).times[0], kNow + 1000);
  EXPECT_EQ(t->col(probe_col::kOk).bytes[0], 1);
  EXPECT_DOUBLE_EQ(t->col(probe_col::kLatencyMs).reals[0], 42.5);
  EXPECT_EQ(t->col(probe_col::kStatusCode).ints[0], 200);
  EXPECT_EQ(t->col(probe_col::kReason).TextAt(0), "");

  EXPECT_EQ(t->col(probe_col::kTarget).CodeAt(1), "down");
  EXPECT_EQ(t->col(probe_col::kRegionCode).codes[1], kNullCode);
  EXPECT_EQ(t->col(probe_col::kCheckedAt).times[1], kNow + 2000);
  EXPECT_EQ(t->col(probe_col::kOk).bytes[1], 0);
  EXPECT_TRUE(std::isnan(t->col(probe_col::kLatencyMs).reals[1]));
  EXPECT_EQ(t->col(probe_col::kStatusCode).ints[1], kNullInt);
  EXPECT_EQ(t->col(probe_col::kReason).TextAt(1), "timeout: no complete answer within 5000 ms");
  std::filesystem::remove_all(dir);
}

TEST(ProbeRoundTest, ChecksRunSideBySide) {
  const auto dir = MakeTempDir("probe_parallel");
  const std::string db = (dir / "govqm.db").string();
  ASSERT_TRUE(Init({db, "Asia/Shanghai"}).ok());
  auto store = Store::Open(db);
  ASSERT_TRUE(store.ok());
  std::vector<ProbeTarget> targets(12);
  for (size_t i = 0; i < targets.size(); ++i) {
    targets[i].name = "t" + std::to_string(i);
    targets[i].url = "http://t" + std::to_string(i) + "/";
  }
  // Each check waits until a second one is in flight (or 2 s): run one after the other, no
  // check would ever see another.
  std::atomic<int> in_flight{0}, most{0};
  auto http = [&](const platform::HttpCheckRequest&) {
    const int now = ++in_flight;
    for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
    }
    for (int i = 0; i < 200 && most.load() < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    --in_flight;
    HttpCheckResult r;
    r.status_code = 200;
    return r;
  };
  auto round = ProbeRound(**store, targets, platform::Env::Default(), http);
  ASSERT_TRUE(round.ok()) << round.status().message();
  EXPECT_GE(most.load(), 2);
  EXPECT_LE(most.load(), static_cast<int>(kParallelChecks));
  ASSERT_EQ(round->records.size(), 12u);
  for (size_t i = 0; i < targets.size(); ++i) {
    EXPECT_EQ(round->records[i].target, targets[i].name);  // in the targets' order
    EXPECT_TRUE(round->records[i].ok);
  }
  auto count = (*store)->CountRows(Kind::kProbes);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 12);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace govqm::app

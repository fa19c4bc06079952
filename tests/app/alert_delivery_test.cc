// Delivering alerts to a webhook (service.md §7) against servers of the test's own, on
// loopback, that fail on purpose: the retries and their waits (1, 2, 4, 8, 16 s, injected so
// the test does not wait them), what is remembered and what is not, and per-URL identities.
// The HTTP goes through the real libcurl adapter (platform::HttpPost).
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "app/alert_delivery.h"
#include "security/webhook_secret.h"
#include "store/store.h"

namespace govqm::app {
namespace {

// A webhook receiver on a free loopback port: /ok answers 204, /down always 500, /flaky 503
// to its first two requests then 200, /slow answers after 1.5 s. Every request is recorded.
class Receiver {
 public:
  struct Seen {
    std::string path, body, signature, content_type;
  };
  Receiver() {
    server_.Post("/ok", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.status = 204;
    });
    server_.Post("/down", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      res.status = 500;
    });
    server_.Post("/flaky", [this](const httplib::Request& req, httplib::Response& res) {
      res.status = ++flaky_ <= 2 ? 503 : 200;
      Record(req);
    });
    server_.Post("/slow", [this](const httplib::Request& req, httplib::Response& res) {
      Record(req);
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  int port() const { return port_; }

 private:
  void Record(const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back({req.path, req.body, req.get_header_value("X-Govqm-Signature"),
                     req.get_header_value("Content-Type")});
  }
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Seen> seen_;
  std::atomic<int> flaky_{0};
};

AlertRow Threshold(const std::string& city, double value) {
  AlertRow a;
  a.rule = "neg_high";
  a.kind = "threshold";
  a.keys = {{"city", city}};
  a.value = value;
  a.limit = 0.3;
  a.n = 12;
  a.path = "/api/v1/indicators?by=city";
  return a;
}

AlertRow Cusum(const std::string& city, const std::string& day) {
  AlertRow a;
  a.rule = "neg_cusum";
  a.kind = "cusum";
  a.keys = {{"city", city}};
  a.day = day;
  a.value = 6.5;
  a.limit = 5;
  a.n = 4;
  a.mu0 = 0.1;
  a.sigma0 = 0.05;
  return a;
}

class AlertDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("govqm_delivery_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = Store::Create((dir_ / "s.db").string(), "Asia/Shanghai");
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    deps_.sleep = [this](int seconds) { waits_.push_back(seconds); };
    deps_.now_ms = [] { return int64_t{1700000000000}; };
    alerts_.alerts = {Threshold("450100", 0.4), Cusum("450100", "2024-03-08"),
                      Cusum("450200", "2024-03-08")};
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  DeliveryRequest To(const std::string& url) const {
    DeliveryRequest r;
    r.url = url;
    r.from = "2024-03-08";
    r.to = "2024-03-11";
    r.timeout_ms = 1000;
    return r;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::vector<int> waits_;
  DeliveryDeps deps_;
  AlertsResult alerts_;
  Receiver receiver_;
};

TEST_F(AlertDeliveryTest, EachAlertPostedOnceSignedAndRememberedPerUrl) {
  DeliveryRequest request = To(receiver_.Url("/ok"));
  auto secret = security::WebhookSecret::FromBytes("shared-secret", "test");
  ASSERT_TRUE(secret.ok());
  request.secret = *secret;
  auto first = DeliverAlerts(*store_, alerts_, request, deps_);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->delivered, 3);
  EXPECT_EQ(first->already, 0);
  EXPECT_TRUE(first->failed.empty());
  EXPECT_TRUE(waits_.empty());
  const auto seen = receiver_.seen();
  ASSERT_EQ(seen.size(), 3u);
  // The body is the alert's JSON object alone, as `alerts --format json` writes it.
  EXPECT_EQ(seen[0].body,
            "{\"rule\":\"neg_high\",\"kind\":\"threshold\",\"keys\":{\"city\":\"450100\"},"
            "\"day\":null,\"value\":0.4,\"limit\":0.3,\"evidence\":{\"n\":12,\"mu0\":null,"
            "\"sigma0\":null},\"path\":\"/api/v1/indicators?by=city\"}");
  EXPECT_EQ(seen[0].content_type, "application/json");
  for (const auto& s : seen) {
    EXPECT_EQ(s.signature, "sha256=" + security::HmacSha256Hex("shared-secret", s.body));
  }
  // A rerun sends nothing: every identity is remembered for this URL.
  auto again = DeliverAlerts(*store_, alerts_, request, deps_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->delivered, 0);
  EXPECT_EQ(again->already, 3);
  EXPECT_EQ(receiver_.seen().size(), 3u);
  // A recomputed value is the same alert (identity = rule, kind, keys, day) ...
  alerts_.alerts[1].value = 7.25;
  // ... a new day of the same chart is a new one, and so is the same period rule over
  // another period.
  alerts_.alerts.push_back(Cusum("450100", "2024-03-09"));
  again = DeliverAlerts(*store_, alerts_, request, deps_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->delivered, 1);
  EXPECT_EQ(again->already, 3);
  DeliveryRequest next_period = request;
  next_period.from = "2024-03-11";
  next_period.to = "2024-03-14";
  again = DeliverAlerts(*store_, alerts_, next_period, deps_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->delivered, 1);  // the threshold alert of the other period
  EXPECT_EQ(receiver_.seen().size(), 5u);
  // Another webhook gets everything.
  DeliveryRequest other = To(receiver_.Url("/ok?team=b"));
  again = DeliverAlerts(*store_, alerts_, other, deps_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->delivered, 4);
  EXPECT_EQ(receiver_.seen().size(), 9u);
  EXPECT_TRUE(receiver_.seen()[8].signature.empty());  // no secret: no signature header
}

TEST_F(AlertDeliveryTest, RetriedAfterOneTwoFourEightSixteenSecondsThenReportedNotRemembered) {
  alerts_.alerts.resize(1);
  std::vector<std::string> notes;
  deps_.note = [&](const std::string& line) { notes.push_back(line); };
  auto r = DeliverAlerts(*store_, alerts_, To(receiver_.Url("/down")), deps_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->delivered, 0);
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].attempts, 6);
  EXPECT_EQ(r->failed[0].error, "HTTP 500");
  EXPECT_EQ(r->failed[0].alert, "neg_high threshold city=450100 2024-03-08/2024-03-11");
  EXPECT_EQ(waits_, (std::vector<int>{1, 2, 4, 8, 16}));
  EXPECT_EQ(receiver_.seen().size(), 6u);
  ASSERT_EQ(notes.size(), 5u);
  EXPECT_EQ(notes[0],
            "neg_high threshold city=450100 2024-03-08/2024-03-11: attempt 1 failed (HTTP 500); "
            "retrying in 1 s");
  // Not remembered: once the receiver is back, the rerun delivers it.
  waits_.clear();
  r = DeliverAlerts(*store_, alerts_, To(receiver_.Url("/down")), deps_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(receiver_.seen().size(), 12u);
}

TEST_F(AlertDeliveryTest, AFlakyReceiverGetsEachAlertOnceItAnswers) {
  auto r = DeliverAlerts(*store_, alerts_, To(receiver_.Url("/flaky")), deps_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // Two 503s on the first alert (waits 1, 2), then every alert goes at the first attempt.
  EXPECT_EQ(r->delivered, 3);
  EXPECT_TRUE(r->failed.empty());
  EXPECT_EQ(waits_, (std::vector<int>{1, 2}));
  const auto seen = receiver_.seen();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].body, seen[2].body);  // the retried alert, the same bytes
  EXPECT_NE(seen[2].body, seen[3].body);
}

TEST_F(AlertDeliveryTest, TimeoutsAndRefusedConnectionsAreFailedAttempts) {
  alerts_.alerts.resize(1);
  auto r = DeliverAlerts(*store_, alerts_, To(receiver_.Url("/slow")), deps_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].attempts, 6);
  EXPECT_NE(r->failed[0].error.find("imed out"), std::string::npos) << r->failed[0].error;
  // Nobody listening: a port this test just bound and closed.
  int closed_port = 0;
  {
    httplib::Server probe;
    closed_port = probe.bind_to_any_port("127.0.0.1");
  }
  waits_.clear();
  r = DeliverAlerts(*store_, alerts_,
                    To("http://127.0.0.1:" + std::to_string(closed_port) + "/hook"), deps_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_FALSE(r->failed[0].error.empty());
  EXPECT_EQ(waits_.size(), 5u);
}

TEST_F(AlertDeliveryTest, BadUrlAndReadOnlyStoreAreRefusedBeforeAnythingIsSent) {
  auto r = DeliverAlerts(*store_, alerts_, To("ftp://127.0.0.1/x"), deps_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUsage);
  EXPECT_EQ(r.status().message(), "--deliver 'ftp://127.0.0.1/x': give an http:// or https:// URL");
  store_.reset();
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_exec);
  std::filesystem::permissions(dir_ / "s.db", std::filesystem::perms::owner_read);
  auto ro = Store::Open((dir_ / "s.db").string());
  if (ro.ok() && (*ro)->read_only()) {  // root ignores the modes: then there is nothing to see
    r = DeliverAlerts(**ro, alerts_, To(receiver_.Url("/ok")), deps_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_TRUE(receiver_.seen().empty());
  }
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
  std::filesystem::permissions(dir_ / "s.db",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace govqm::app

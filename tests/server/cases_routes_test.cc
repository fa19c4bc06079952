// The closed loop's and the alerts' routes (service.md §3, §4, §6, §7) through the real
// `govqm serve`: the answers are the CLI's JSON for the same request; the contact for the
// revisit is shown to an operator or supervisor in scope only, and every reveal is audited;
// actions are the signed-in user's, refused out of order (409), invalidation a supervisor's
// with a reason.
#include <simdjson.h>

#include "server_harness.h"

namespace govqm::testing {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string Field(const std::string& body, const char* name) {
  simdjson::dom::parser p;
  simdjson::dom::element e;
  if (p.parse(body)[name].get(e) != simdjson::SUCCESS) return "?";
  if (e.is_null()) return "null";
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(e);
}

class CasesRoutesTest : public ServedStoreTest {
 protected:
  void SetUp() override {
    ServedStoreTest::SetUp();
    // Two real-name bad reviews of our own in 450103 (a district of 南宁市) with contacts, so
    // the expected contact is known here: CR1 for the revisit, CR2 for the appeal.
    Run("cases list");  // nothing: a warm-up that must not fail either
    Write("cr.csv",
          "id,region_code,dept_code,evaluated_at,score,real_name,comment,contact\n"
          "CR1,450103,CRDEPT,2024-12-02T10:00:00+08:00,1,true,排队两小时,139-0000-1111\n"
          "CR2,450103,CRDEPT,2024-12-02T11:00:00+08:00,2,true,态度差,13900002222\n");
    const Ran imported = Run("import evaluations cr.csv");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    AddUser("ad", "admin");
    AddUser("su", "supervisor", "--region 450100");
    AddUser("op", "operator", "--region 450103 --depts CRDEPT");
    AddUser("au", "auditor", "--region 450100");
    AddUser("other", "operator", "--region 450200 --depts CRDEPT");
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << text;
  }
};

TEST_F(CasesRoutesTest, ListShowAndAlertsAnswerWhatTheCliPrints) {
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const SignedIn ad = SignIn(c, "ad", Password("ad"));
  ASSERT_EQ(ad.status, 200);
  const std::string rules = std::string(GOVQM_SOURCE_DIR) + "/config/alerts/example.toml";
  const std::pair<std::string, std::string> asks[] = {
      {"/api/v1/cases?at=2024-12-31", "cases list --at 2024-12-31 --format json"},
      {"/api/v1/cases?at=2024-12-31&by=region&overdue=1",
       "cases list --at 2024-12-31 --by region --overdue --format json"},
      {"/api/v1/cases?at=2024-07-01&state=verified",
       "cases list --at 2024-07-01 --state verified --format json"},
      {"/api/v1/cases/CR1?at=2024-12-31", "cases show CR1 --at 2024-12-31 --format json"},
      {"/api/v1/alerts?from=2024-06-01&to=2024-07-01&at=2024-06-20",
       "alerts --rules " + rules + " --from 2024-06-01 --to 2024-07-01 --at 2024-06-20 "
       "--format json"},
      // CR1 and CR2 (Monday 12-02) are to be verified by the end of Tuesday 12-03: yellow.
      {"/api/v1/alerts?from=2024-12-01&to=2024-12-04&at=2024-12-03T10:00:00%2B08:00",
       "alerts --rules " + rules + " --from 2024-12-01 --to 2024-12-04 "
       "--at 2024-12-03T10:00:00+08:00 --format json"},
  };
  for (const auto& [route, command] : asks) {
    const Ran cli = Run(command);
    ASSERT_EQ(cli.exit_code, 0) << command << "\n" << cli.err;
    auto res = c.Get(route, WithSession(ad));
    ASSERT_TRUE(res) << route;
    EXPECT_EQ(res->status, 200) << route << "\n" << res->body.substr(0, 300);
    // The admin's case is the CLI's, without a contact (only who calls back sees it).
    EXPECT_EQ(res->body.find("\"contact\""), std::string::npos) << res->body;
    EXPECT_EQ(Trim(res->body), Trim(cli.out)) << route;
  }
  auto alerts = c.Get("/api/v1/alerts?from=2024-12-01&to=2024-12-04&at=2024-12-03T10:00:00%2B08:00",
                      WithSession(ad));
  ASSERT_TRUE(alerts);
  EXPECT_NE(alerts->body.find("{\"rule\":\"case\",\"kind\":\"deadline_yellow\",\"keys\":{"
                              "\"region\":\"450103\",\"dept\":\"CRDEPT\",\"case\":\"CR1\"}"),
            std::string::npos)
      << alerts->body.substr(0, 400);
  // A scoped supervisor's list is the CLI's --as list.
  const SignedIn su = SignIn(c, "su", Password("su"));
  auto res = c.Get("/api/v1/cases?at=2024-12-31", WithSession(su));
  ASSERT_TRUE(res);
  EXPECT_EQ(Trim(res->body), Trim(Run("cases list --at 2024-12-31 --format json --as su").out));
  EXPECT_NE(Trim(res->body), Trim(Run("cases list --at 2024-12-31 --format json").out));
}

TEST_F(CasesRoutesTest, TheContactIsForWhoCallsBackAndEveryRevealIsAudited) {
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const SignedIn op = SignIn(c, "op", Password("op"));
  const SignedIn su = SignIn(c, "su", Password("su"));
  const SignedIn ad = SignIn(c, "ad", Password("ad"));
  const SignedIn au = SignIn(c, "au", Password("au"));
  const SignedIn other = SignIn(c, "other", Password("other"));
  // The number as import normalises it: its digits.
  auto res = c.Get("/api/v1/cases/CR1", WithSession(op));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Field(res->body, "contact"), "13900001111");
  res = c.Get("/api/v1/cases/CR2", WithSession(su));
  ASSERT_TRUE(res);
  EXPECT_EQ(Field(res->body, "contact"), "13900002222");
  res = c.Get("/api/v1/cases/CR1", WithSession(ad));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body.find("\"contact\""), std::string::npos) << res->body;
  EXPECT_EQ(c.Get("/api/v1/cases/CR1", WithSession(au))->status, 403);
  EXPECT_EQ(c.Get("/api/v1/cases/CR1", WithSession(other))->status, 404);  // out of scope
  EXPECT_EQ(c.Get("/api/v1/cases/CR1")->status, 401);
  // The list never carries contacts.
  res = c.Get("/api/v1/cases", WithSession(op));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body.find("13900001111"), std::string::npos);

  // Two reveals, by op and su; the admin's read is a read, not a reveal.
  const Ran audit = Run("audit list --format csv");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  size_t reveals = 0;
  for (size_t at = audit.out.find(",contact.reveal,"); at != std::string::npos;
       at = audit.out.find(",contact.reveal,", at + 1)) {
    ++reveals;
  }
  EXPECT_EQ(reveals, 2u) << audit.out;
  EXPECT_NE(audit.out.find("op,contact.reveal,case:CR1"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("su,contact.reveal,case:CR2"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("ad,case.read,case:CR1"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find("13900001111"), std::string::npos);
}

TEST_F(CasesRoutesTest, ActionsAreTheUsersStepsInOrder) {
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const SignedIn op = SignIn(c, "op", Password("op"));
  const SignedIn su = SignIn(c, "su", Password("su"));
  auto post = [&](const SignedIn& who, const std::string& id, const std::string& body) {
    auto r = c.Post("/api/v1/cases/" + id + "/actions", WithSession(who, true), body,
                    "application/json");
    return r ? std::pair{r->status, r->body} : std::pair{0, std::string()};
  };
  auto [status, body] = post(op, "CR1", R"({"action":"verify","note":"called back"})");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(Field(body, "state"), "verified");
  EXPECT_NE(body.find("\"actor\":\"op\""), std::string::npos) << body;
  std::tie(status, body) = post(op, "CR1", R"({"action":"revisit","revisit_score":4})");
  EXPECT_EQ(status, 409) << body;
  EXPECT_NE(body.find("case CR1: cannot revisit a case that is verified"), std::string::npos)
      << body;
  std::tie(status, body) = post(op, "CR1", R"({"action":"rectify","colour":"red"})");
  EXPECT_EQ(status, 400) << body;
  std::tie(status, body) = post(op, "CR1", R"({"action":"mend"})");
  EXPECT_EQ(status, 400) << body;
  std::tie(status, body) = post(op, "CR1", R"({"action":"rectify","revisit_score":"4"})");
  EXPECT_EQ(status, 400) << body;
  // Without the CSRF token a session's POST is refused.
  auto no_csrf = c.Post("/api/v1/cases/CR1/actions", WithSession(op, false),
                        R"({"action":"rectify"})", "application/json");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);

  std::tie(status, body) = post(op, "CR2", R"({"action":"invalidate","reason":"wrong office"})");
  EXPECT_EQ(status, 403) << body;
  std::tie(status, body) = post(su, "CR2", R"({"action":"invalidate"})");
  EXPECT_EQ(status, 400) << body;
  std::tie(status, body) = post(su, "CR2", R"({"action":"invalidate","reason":"wrong office"})");
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(Field(body, "state"), "invalid");

  // The steps are rectification records: the CLI sees them, and the audit log names them.
  const Ran cli = Run("cases show CR1 --format json");
  EXPECT_EQ(Field(cli.out, "state"), "verified") << cli.out;
  const Ran audit = Run("audit list --format csv");
  EXPECT_NE(audit.out.find("op,case.verify,case:CR1,state=verified"), std::string::npos)
      << audit.out;
  EXPECT_NE(audit.out.find("su,case.invalidate,case:CR2,state=invalid"), std::string::npos)
      << audit.out;
}

}  // namespace
}  // namespace govqm::testing

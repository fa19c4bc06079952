// govqm serve end to end (service.md §2–§4): the real program on a free port, driven by an
// HTTP client as the dashboard or a script would.
#include <simdjson.h>

#include <set>

#include "server/service.h"
#include "server_harness.h"

namespace govqm::testing {
namespace {

constexpr const char* kYear = "from=2024-01-01&to=2025-01-01";

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string ErrorCodeOf(const std::string& body) {
  simdjson::dom::parser p;
  std::string_view code;
  if (p.parse(body)["error"]["code"].get_string().get(code) != simdjson::SUCCESS) return "?";
  return std::string(code);
}

class ServeTest : public ServedStoreTest {
 protected:
  // The department of the first transaction in `region` (data/transactions.csv).
  std::string FirstDeptOf(const std::string& region) const {
    std::istringstream in(ReadAll(dir_ + "/data/transactions.csv"));
    std::string line;
    std::getline(in, line);  // id,item_code,dept_code,region_code,...
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream ss(line);
      for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
      if (f.size() > 3 && f[3] == region) return f[2];
    }
    return "none";
  }
};

TEST_F(ServeTest, HealthMetricsAndTheOpenApiDocumentOfEveryRoute) {
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  c.set_keep_alive(true);  // one connection: /healthz is counted before /metrics is answered
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(Trim(health->body), "ok");

  auto metrics = c.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  // The earlier /healthz request is counted under its route and status.
  EXPECT_NE(metrics->body.find("govqm_http_requests_total{route=\"/healthz\",status=\"200\"} 1"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("# TYPE govqm_http_request_duration_seconds histogram"),
            std::string::npos);
  EXPECT_NE(metrics->body.find("govqm_store_rows{kind=\"transactions\"} 4000"), std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("govqm_last_import_timestamp_seconds "), std::string::npos);

  // The document lists exactly the routes that exist, each with its method.
  auto doc = c.Get("/api/v1/openapi.json");
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->status, 200);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(doc->body).get(root), simdjson::SUCCESS) << doc->body.substr(0, 300);
  std::string_view version;
  ASSERT_EQ(root["openapi"].get_string().get(version), simdjson::SUCCESS);
  EXPECT_EQ(version.substr(0, 4), "3.0.");
  std::set<std::string> documented, routed;
  simdjson::dom::object paths;
  ASSERT_EQ(root["paths"].get_object().get(paths), simdjson::SUCCESS);
  for (auto [path, ops] : paths) {
    for (auto [method, op] : ops.get_object()) {
      std::string m(method);
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(m + " " + std::string(path));
    }
  }
  for (const server::Route& r : server::Routes()) {
    routed.insert(std::string(r.method) + " " + r.path);
    // Every route answers as a route (not the server's "no such route" 404).
    std::string path = std::regex_replace(r.path, std::regex(R"(\{[^}]+\})"), "x");
    httplib::Result res = std::string(r.method) == "GET"    ? c.Get(path)
                          : std::string(r.method) == "POST" ? c.Post(path, "", "text/plain")
                                                            : c.Delete(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->body.find("no such route"), std::string::npos) << r.method << " " << path;
  }
  EXPECT_EQ(documented, routed);
  auto missing = c.Get("/api/v1/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(ErrorCodeOf(missing->body), "not_found");
}

TEST_F(ServeTest, SessionsNeedTheirCsrfTokenAndEndOnSignOut) {
  AddUser("ana", "admin");
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());

  SignedIn s = SignIn(c, "ana", Password("ana"));
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.csrf.size(), 64u);
  auto res = c.Post("/api/v1/session", "{\"user\":\"ana\",\"password\":\"x\"}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(res->get_header_value("Set-Cookie"), "");

  auto me = c.Get("/api/v1/me", WithSession(s));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_NE(me->body.find("\"role\":\"admin\""), std::string::npos) << me->body;

  // The cookie's attributes (no Secure without TLS).
  const SignedIn again = SignIn(c, "ana", Password("ana"));
  auto raw = c.Post("/api/v1/session",
                    "{\"user\":\"ana\",\"password\":\"" + Password("ana") + "\"}",
                    "application/json");
  ASSERT_TRUE(raw);
  const std::string cookie = raw->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);

  // A state-changing request with the session but without (or with a wrong) CSRF token.
  res = c.Delete("/api/v1/session", WithSession(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  httplib::Headers wrong{{"Cookie", s.cookie}, {"X-CSRF-Token", again.csrf}};
  res = c.Delete("/api/v1/session", wrong);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  res = c.Delete("/api/v1/session", WithSession(s, true));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  me = c.Get("/api/v1/me", WithSession(s));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
  EXPECT_EQ(ErrorCodeOf(me->body), "unauthenticated");
  // The other session lives on, until its user is disabled.
  me = c.Get("/api/v1/me", WithSession(again));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  ASSERT_EQ(Run("user disable ana").exit_code, 0);
  me = c.Get("/api/v1/me", WithSession(again));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
}

TEST_F(ServeTest, LockoutAnswersUnknownUsersExactlyAsWrongPasswords) {
  AddUser("bo", "supervisor");
  AddUser("ana", "admin");
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  std::string wrong_body, unknown_body;
  for (int i = 0; i < 5; ++i) {
    const SignedIn w = SignIn(c, "bo", "not-the-password");
    EXPECT_EQ(w.status, 401);
    wrong_body = w.body;
    const SignedIn u = SignIn(c, "nobody-here", "not-the-password");
    EXPECT_EQ(u.status, 401);
    unknown_body = u.body;
  }
  EXPECT_EQ(wrong_body, unknown_body);
  // Locked now: even the right password is refused, in the same words.
  const SignedIn locked = SignIn(c, "bo", Password("bo"));
  EXPECT_EQ(locked.status, 401);
  EXPECT_EQ(locked.body, wrong_body);
  // Every attempt is in the audit log, which `audit verify` finds intact; the API lists it
  // as the command does.
  {
    const SignedIn admin = SignIn(c, "ana", Password("ana"));
    ASSERT_EQ(admin.status, 200);
    auto audit = c.Get("/api/v1/audit?from=2020-01-01", WithSession(admin));
    ASSERT_TRUE(audit);
    EXPECT_EQ(audit->status, 200);
    const Ran cli = Run("audit list --from 2020-01-01 --format json");
    // Nothing is logged between the two (reading the log is not itself logged).
    EXPECT_EQ(Trim(audit->body), Trim(cli.out));
  }
  const Ran list = Run("audit list --format csv");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  size_t failures = 0;
  for (size_t at = list.out.find("login.failure"); at != std::string::npos;
       at = list.out.find("login.failure", at + 1)) {
    ++failures;
  }
  EXPECT_EQ(failures, 11u);  // every attempt, the refused locked one too
  const Ran verify = Run("audit verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  // No password in the log or the store.
  EXPECT_EQ(server.log().find("not-the-password"), std::string::npos);
  EXPECT_EQ(ReadAll(dir_ + "/govqm.db").find(Password("bo")), std::string::npos);
}

TEST_F(ServeTest, TokensAreBearerOnlyAndRevocationTakesEffectAtOnce) {
  AddUser("cy", "auditor");
  const Ran created = Run("token create cy --days 7");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(created.out, m, std::regex(R"((gq_[0-9a-f]{64}))")))
      << created.out;
  const std::string token = m[1];
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  httplib::Headers bearer{{"Authorization", "Bearer " + token}};
  auto res = c.Get("/api/v1/me", bearer);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  // Not in a query or a cookie.
  res = c.Get(std::string("/api/v1/me?token=") + token);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  res = c.Get("/api/v1/me", {{"Cookie", "govqm_session=" + token}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  // An auditor reads the audit log but may not import.
  res = c.Get("/api/v1/audit", bearer);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = c.Post("/api/v1/imports/transactions?filename=t.csv", bearer, "x", "text/csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(ErrorCodeOf(res->body), "forbidden");

  const Ran listed = Run("token list --format csv");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::smatch id;
  ASSERT_TRUE(std::regex_search(listed.out, id, std::regex(R"((?:^|\n)(\d+),cy,)"))) << listed.out;
  ASSERT_EQ(Run("token revoke " + id[1].str()).exit_code, 0);
  res = c.Get("/api/v1/me", bearer);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(server.log().find(token), std::string::npos) << "a token in the request log";
}

TEST_F(ServeTest, TheApiAnswersWhatTheCliPrintsForTheSameRequest) {
  AddUser("di", "admin");
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const SignedIn s = SignIn(c, "di", Password("di"));
  ASSERT_EQ(s.status, 200);
  const std::string fw = " --framework " + framework();
  const std::pair<std::string, std::string> cases[] = {
      {std::string("/api/v1/indicators?") + kYear + "&by=city",
       "indicators --from 2024-01-01 --to 2025-01-01 --by city --format json"},
      {std::string("/api/v1/indicators?") + kYear + "&by=region,month&only=volume,on_time_rate",
       "indicators --from 2024-01-01 --to 2025-01-01 --by region,month --only "
       "volume,on_time_rate --format json"},
      {std::string("/api/v1/score?") + kYear + "&by=city",
       "score --from 2024-01-01 --to 2025-01-01 --by city --format json" + fw},
      {std::string("/api/v1/score?") + kYear + "&by=city&uncertainty=20&seed=3",
       "score --from 2024-01-01 --to 2025-01-01 --by city --uncertainty 20 --seed 3 "
       "--format json" + fw},
      {std::string("/api/v1/weights?") + kYear + "&by=city",
       "weights --from 2024-01-01 --to 2025-01-01 --by city --format json" + fw},
      {std::string("/api/v1/disparity?") + kYear + "&by=city&score=index",
       "disparity --from 2024-01-01 --to 2025-01-01 --by city --score index --format json" + fw},
      {std::string("/api/v1/explain?") + kYear + "&by=city&unit=450100&cell=handling/timeliness",
       "explain --from 2024-01-01 --to 2025-01-01 --by city --unit 450100 --cell "
       "handling/timeliness --format json" + fw},
      {std::string("/api/v1/diagnosis?") + kYear + "&by=city&unit=450100",
       "diagnose --from 2024-01-01 --to 2025-01-01 --by city --unit 450100 --format json" + fw},
  };
  for (const auto& [route, command] : cases) {
    const Ran cli = Run(command);
    ASSERT_EQ(cli.exit_code, 0) << command << "\n" << cli.err;
    for (int pass = 0; pass < 2; ++pass) {  // computed, then from the cache
      auto res = c.Get(route, WithSession(s));
      ASSERT_TRUE(res) << route;
      EXPECT_EQ(res->status, 200) << route << "\n" << res->body;
      EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
      EXPECT_EQ(Trim(res->body), Trim(cli.out)) << route;
    }
  }
  // A stop-word list of the server is named, never a path.
  auto bad = c.Get(std::string("/api/v1/diagnosis?") + kYear +
                       "&by=city&unit=450100&stopwords=../../etc/passwd",
                   WithSession(s));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  bad = c.Get(std::string("/api/v1/diagnosis?") + kYear + "&by=city&unit=450100&stopwords=nothere",
              WithSession(s));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 404) << bad->body;
  // A scoped user's answers are the CLI's --as answers: both filter before aggregating.
  const std::string regions = ReadAll(dir_ + "/data/regions.csv");
  std::smatch district;
  ASSERT_TRUE(std::regex_search(regions, district, std::regex(R"(\n(4501\d[1-9]),)")))
      << regions.substr(0, 300);
  AddUser("op", "operator",
          "--region " + district[1].str() + " --depts " + FirstDeptOf(district[1].str()));
  const SignedIn op = SignIn(c, "op", Password("op"));
  ASSERT_EQ(op.status, 200) << op.body;
  for (const std::string by : {"region", "city", "dept,month"}) {
    auto res = c.Get(std::string("/api/v1/indicators?") + kYear + "&by=" + by, WithSession(op));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const Ran cli = Run("indicators --from 2024-01-01 --to 2025-01-01 --by " + by +
                        " --format json --as op");
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    EXPECT_EQ(Trim(res->body), Trim(cli.out)) << by;
    EXPECT_NE(Trim(res->body), Trim(Run("indicators --from 2024-01-01 --to 2025-01-01 --by " +
                                        by + " --format json").out))
        << by << ": the scope changed nothing";
  }

  // The public score says which framework, not where the server keeps it.
  auto pub = c.Get(std::string("/api/v1/public/score?") + kYear + "&by=city");
  ASSERT_TRUE(pub);
  ASSERT_EQ(pub->status, 200) << pub->body;
  EXPECT_NE(pub->body.find("\"file\":\"framework.toml\""), std::string::npos);
  EXPECT_EQ(pub->body.find(GOVQM_SOURCE_DIR), std::string::npos);

  // A usage error of the CLI is a 400 with the same words.
  auto res = c.Get("/api/v1/indicators?from=2024-01-01", WithSession(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(ErrorCodeOf(res->body), "bad_request");
  res = c.Get(std::string("/api/v1/indicators?") + kYear + "&colour=red", WithSession(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  res = c.Get(std::string("/api/v1/indicators?") + kYear + "&by=city&by=region", WithSession(s));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

TEST_F(ServeTest, AnImportByAnotherProcessIsSeenByTheNextRequest) {
  AddUser("ed", "admin");
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const SignedIn s = SignIn(c, "ed", Password("ed"));
  const std::string route = std::string("/api/v1/indicators?") + kYear + "&only=volume";
  auto before = c.Get(route, WithSession(s));
  ASSERT_TRUE(before);
  ASSERT_EQ(before->status, 200);
  // A second generated province's transactions, under new ids, imported by the CLI.
  ASSERT_EQ(Run("generate --out more --scale 4000 --seed 8").exit_code, 0);
  std::istringstream in(ReadAll(dir_ + "/more/transactions.csv"));
  std::ofstream out(dir_ + "/more_t.csv", std::ios::binary);
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.substr(0, 3), "id,") << "the id comes first";
  out << line << "\n";
  while (std::getline(in, line)) out << "x" << line << "\n";
  out.close();
  const Ran imported = Run("import transactions more_t.csv");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto after = c.Get(route, WithSession(s));
  ASSERT_TRUE(after);
  EXPECT_EQ(Trim(after->body), Trim(Run("indicators --from 2024-01-01 --to 2025-01-01 --only "
                                        "volume --format json")
                                        .out));
  EXPECT_NE(after->body, before->body);
}

TEST_F(ServeTest, LimitsAndTheErrorShape) {
  AddUser("fa", "admin");
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  auto res = c.Get(std::string("/api/v1/indicators?") + kYear);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(ErrorCodeOf(res->body), "unauthenticated");
  // A body over 1 MiB is refused from its headers, before it is read, and the connection is
  // closed (the unread body must not be taken for the next request).
  const std::string refused = RawExchange(
      server.port(),
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2097152\r\n\r\n{\"user\":");
  EXPECT_EQ(refused.rfind("HTTP/1.1 413", 0), 0u) << refused;
  EXPECT_NE(refused.find("payload_too_large"), std::string::npos) << refused;
  const std::string chunked = RawExchange(
      server.port(),
      "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.rfind("HTTP/1.1 413", 0), 0u) << chunked;

  res = c.Post("/api/v1/session", "{not json", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  // The request log: one line per request, with route and status, never a query or password.
  const std::string log = server.LogWith(" POST /api/v1/session 400 ");
  EXPECT_NE(log.find(" GET /api/v1/indicators 401 "), std::string::npos) << log;
  EXPECT_NE(log.find(" POST /api/v1/session 413 "), std::string::npos) << log;
  EXPECT_EQ(log.find("2024-01-01"), std::string::npos);
}

TEST_F(ServeTest, HeadersThatNeverEndAreCutOffByTheReadTimeOut) {
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  const auto start = std::chrono::steady_clock::now();
  const std::string answer = RawExchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 30);
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(waited, 25) << "the connection was held";
  EXPECT_EQ(answer.find("200 OK"), std::string::npos) << answer;
}

TEST_F(ServeTest, ServesHttpsWithSecureCookies) {
  // A self-signed certificate for 127.0.0.1, made here (openssl from Debian).
  const std::string make_cert =
      "cd '" + dir_ + "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out "
      "cert.pem -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2> /dev/null";
  ASSERT_EQ(std::system(make_cert.c_str()), 0);
  std::error_code ec;
  ASSERT_TRUE(std::filesystem::exists(dir_ + "/cert.pem", ec)) << "openssl made no certificate";
  AddUser("ju", "admin");
  ServerProcess server(dir_, "--framework " + framework() +
                                 " --tls-cert cert.pem --tls-key key.pem --bind 0.0.0.0");
  ASSERT_GT(server.port(), 0) << server.log();
  EXPECT_NE(server.log().find("listening on https://"), std::string::npos);
  httplib::SSLClient c("127.0.0.1", server.port());
  c.set_ca_cert_path((dir_ + "/cert.pem").c_str());
  c.enable_server_certificate_verification(true);
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  auto res = c.Post("/api/v1/session",
                    "{\"user\":\"ju\",\"password\":\"" + Password("ju") + "\"}",
                    "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Set-Cookie").find("; Secure"), std::string::npos)
      << res->get_header_value("Set-Cookie");
  // Plain HTTP on the TLS port gets no answer.
  httplib::Client plain("127.0.0.1", server.port());
  plain.set_read_timeout(3, 0);
  auto clear = plain.Get("/healthz");
  EXPECT_TRUE(!clear || clear->status != 200);
}

TEST_F(ServeTest, PlainHttpOnAnotherAddressIsRefusedWithoutTheFlag) {
  const Ran r = Run("serve --bind 0.0.0.0 --port 0");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--insecure-http"), std::string::npos) << r.err;
  const Ran half = Run("serve --tls-cert c.pem --port 0");
  EXPECT_EQ(half.exit_code, 2);
}

TEST_F(ServeTest, ImportsThroughTheApiWithTheirRejectsForWhoImported) {
  AddUser("gu", "admin");
  AddUser("ha", "admin");
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const SignedIn gu = SignIn(c, "gu", Password("gu"));
  // Departments: one good row, one without a name (rejected).
  const std::string header = ReadAll(dir_ + "/data/departments.csv").substr(
      0, ReadAll(dir_ + "/data/departments.csv").find('\n') + 1);
  std::string rows = ReadAll(dir_ + "/data/departments.csv").substr(header.size());
  const std::string first = rows.substr(0, rows.find('\n') + 1);
  const std::string body = header + first + "broken-row-without-columns\n";
  auto res = c.Post("/api/v1/imports/departments?filename=d.csv", WithSession(gu, true), body,
                    "text/csv");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  simdjson::dom::parser p;
  simdjson::dom::element o;
  ASSERT_EQ(p.parse(res->body).get(o), simdjson::SUCCESS) << res->body;
  int64_t loaded = -1, rejected = -1;
  EXPECT_EQ(o["loaded"].get_int64().get(loaded), simdjson::SUCCESS);
  EXPECT_EQ(o["rejected"].get_int64().get(rejected), simdjson::SUCCESS);
  EXPECT_EQ(loaded, 1);
  EXPECT_EQ(rejected, 1);
  std::string_view id;
  ASSERT_EQ(o["import_id"].get_string().get(id), simdjson::SUCCESS) << res->body;
  const std::string rejects = "/api/v1/imports/" + std::string(id) + "/rejects";
  res = c.Get(rejects, WithSession(gu));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("broken-row-without-columns"), std::string::npos) << res->body;
  // atomic=1: one rejected row refuses the whole import, 409 with the error object and the
  // summary beside it.
  res = c.Post("/api/v1/imports/departments?filename=d.csv&atomic=1", WithSession(gu, true),
               body, "text/csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
  simdjson::dom::element refused;
  ASSERT_EQ(p.parse(res->body).get(refused), simdjson::SUCCESS) << res->body;
  EXPECT_EQ(ErrorCodeOf(res->body), "conflict");
  int64_t refused_rejected = -1;
  EXPECT_EQ(refused["import"]["rejected"].get_int64().get(refused_rejected), simdjson::SUCCESS);
  EXPECT_EQ(refused_rejected, 1);
  // Without the CSRF header the import is refused.
  res = c.Post("/api/v1/imports/departments?filename=d.csv", WithSession(gu), body, "text/csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  // A made-up import id, and a path in the mapping name.
  res = c.Get("/api/v1/imports/999999/rejects", WithSession(gu));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = c.Post("/api/v1/imports/departments?filename=d.csv&map=../../etc/passwd",
               WithSession(gu, true), body, "text/csv");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  // The import is in the audit log.
  EXPECT_NE(Run("audit list --format csv").out.find("import"), std::string::npos);
}

TEST_F(ServeTest, StopsOnSigtermAfterRequestsInFlightAndExitsZero) {
  AddUser("io", "admin");
  auto server = std::make_unique<ServerProcess>(dir_, "--framework " + framework());
  ASSERT_GT(server->port(), 0) << server->log();
  const int port = server->port();
  // A slow request (a score with many replications) in flight when SIGTERM comes.
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  const SignedIn s = SignIn(c, "io", Password("io"));
  ASSERT_EQ(s.status, 200);
  int status = 0;
  std::thread slow([&] {
    httplib::Client c2("127.0.0.1", port);
    c2.set_read_timeout(30, 0);
    auto res = c2.Get(std::string("/api/v1/score?") + kYear +
                          "&by=region&uncertainty=25000&seed=1",
                      WithSession(s));
    status = res ? res->status : -1;
  });
  // In flight for sure: the server has spent 0.2 s of CPU on it (nothing else is asked).
  const long before = server->CpuTicks();
  for (int i = 0; i < 400 && server->CpuTicks() - before < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GE(server->CpuTicks() - before, 20) << "the slow request never started";
  EXPECT_EQ(server->Stop(), 0) << server->log();
  slow.join();
  EXPECT_EQ(status, 200) << server->log();
  EXPECT_NE(server->log().find("stopping (SIGTERM)"), std::string::npos);
  // And nothing listens any more.
  httplib::Client after("127.0.0.1", port);
  after.set_connection_timeout(1, 0);
  EXPECT_FALSE(after.Get("/healthz"));
}

}  // namespace
}  // namespace govqm::testing

namespace govqm::testing {
namespace {

// The users page's routes: an admin adds a user who can then sign in, disables it (its
// session ends at once), cannot disable itself; every change is in the audit log.
TEST_F(ServeTest, AnAdminManagesUsersThroughTheApi) {
  AddUser("ad", "admin");
  ServerProcess server(dir_, "--framework " + framework());
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const SignedIn admin = SignIn(c, "ad", Password("ad"));
  ASSERT_EQ(admin.status, 200) << admin.body;
  const std::string body =
      "{\"name\":\"sup1\",\"role\":\"supervisor\",\"region\":\"450100\","
      "\"password\":\"a long enough password\"}";
  auto res = c.Post("/api/v1/users", WithSession(admin, true), body, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201) << res->body;
  EXPECT_NE(res->body.find("\"name\":\"sup1\",\"role\":\"supervisor\",\"region\":\"450100\""),
            std::string::npos)
      << res->body;
  EXPECT_EQ(res->body.find("password"), std::string::npos);
  // The same name again; a role that does not exist; a short password; an unknown field.
  res = c.Post("/api/v1/users", WithSession(admin, true), body, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  for (const char* bad :
       {"{\"name\":\"x1\",\"role\":\"king\",\"password\":\"a long enough password\"}",
        "{\"name\":\"x2\",\"role\":\"auditor\",\"password\":\"short\"}",
        "{\"name\":\"x3\",\"role\":\"auditor\",\"password\":\"a long enough password\","
        "\"is_admin\":true}",
        "{\"name\":\"x4\",\"role\":\"operator\",\"password\":\"a long enough password\"}",
        "[]"}) {
    res = c.Post("/api/v1/users", WithSession(admin, true), bad, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad << "\n" << res->body;
    EXPECT_EQ(ErrorCodeOf(res->body), "bad_request");
  }
  // Without the CSRF token a session cannot add anyone.
  res = c.Post("/api/v1/users", WithSession(admin), body, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);

  const SignedIn sup = SignIn(c, "sup1", "a long enough password");
  ASSERT_EQ(sup.status, 200) << sup.body;
  res = c.Get("/api/v1/users", WithSession(sup));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  res = c.Get("/api/v1/users", WithSession(admin));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("\"name\":\"sup1\""), std::string::npos);
  EXPECT_NE(res->body.find("\"name\":\"ad\""), std::string::npos);

  res = c.Post("/api/v1/users/ad/disable", WithSession(admin, true), "", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
  res = c.Post("/api/v1/users/nobody/disable", WithSession(admin, true), "", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404) << res->body;
  res = c.Post("/api/v1/users/sup1/disable", WithSession(admin, true), "", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("\"disabled\":true"), std::string::npos) << res->body;
  res = c.Get("/api/v1/me", WithSession(sup));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401) << "a disabled user's session goes on";
  EXPECT_EQ(SignIn(c, "sup1", "a long enough password").status, 401);

  const Ran audit = Run("audit list --format csv");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("user.add"), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("user:sup1"), std::string::npos);
  EXPECT_NE(audit.out.find("user.disable"), std::string::npos);
  EXPECT_EQ(audit.out.find("a long enough password"), std::string::npos);
}

// The dashboard's files come with the same headers as the API: a policy that allows scripts
// and requests to this server only, and no framing or type sniffing.
TEST_F(ServeTest, PagesAndAnswersCarryTheSecurityHeaders) {
  const std::string web = dir_ + "/web";
  std::filesystem::create_directories(web);
  std::ofstream(web + "/index.html") << "<!doctype html><title>t</title>";
  ServerProcess server(dir_, "--framework " + framework() + " --web web");
  ASSERT_GT(server.port(), 0) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  for (const char* path : {"/", "/index.html", "/healthz", "/api/v1/me"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, std::string(path) == "/api/v1/me" ? 401 : 200) << path;
    const std::string csp = res->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path << ": " << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
  }
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("<title>t</title>"), std::string::npos);
}

}  // namespace
}  // namespace govqm::testing

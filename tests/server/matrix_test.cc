// The role matrix and the scope of every route (service.md §3–§4, domain.md §6), through the
// real `govqm serve`: every route × every role × {in scope, out of scope, anonymous} answers
// the status the spec documents; no answer to a scoped user holds a code or a record of
// another scope; in-scope values are counted here, by hand, from the generated CSV files;
// rejects are for who imported and the admin; the audit log names every record read; the
// public view keeps small cells as suppressed rows; and no password, token, session cookie or
// contact number is in the store's bytes, the server's log or any answer.
//
// One server over one generated province serves every test of this file (starting one is the
// cost: generation, import, Argon2id sign-ins). The tests share it but not their checks: each
// asks what it needs. They run in the order written; the last searches everything the others
// received.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "server/service.h"
#include "server_harness.h"

namespace govqm::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kYear = "from=2024-01-01&to=2025-01-01";
// A part of the year, so that the hand count below has a period filter to get right.
constexpr const char* kPart = "from=2024-03-01&to=2024-09-01";
constexpr const char* kPartFrom = "2024-03-01 00:00:00";
constexpr const char* kPartTo = "2024-09-01 00:00:00";

// ---------------------------------------------------------------------------------------------
// The generated files, read independently of the program (RFC 4180: quotes, doubled quotes,
// separators and line breaks inside quotes).

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  size_t Col(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
};

Csv ReadCsv(const std::string& path) {
  const std::string text = ReadAll(path);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
      continue;
    }
    if (ch == '"') {
      quoted = any = true;
    } else if (ch == ',') {
      record.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
      }
      field.clear();
      record.clear();
      any = false;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any || !field.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  Csv csv;
  if (records.empty()) return csv;
  csv.header = std::move(records[0]);
  csv.rows.assign(std::make_move_iterator(records.begin() + 1),
                  std::make_move_iterator(records.end()));
  return csv;
}

// Seconds since 1970 (UTC) of a time as the generator writes them: YYYY-MM-DD, a `T` or a
// space, hh:mm:ss, optional fraction, then `Z`, ±hh:mm or nothing. Without an offset the time
// is local to the store's zone, Asia/Shanghai: UTC+8 all year (China has had no summer time
// since 1991).
int64_t UtcSeconds(const std::string& t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (t.size() < 19 ||
      std::sscanf(t.c_str(), "%d-%d-%d%*c%d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6) {
    ADD_FAILURE() << "not a time: " << t;
    return 0;
  }
  size_t at = 19;
  if (at < t.size() && t[at] == '.') {
    ++at;
    while (at < t.size() && std::isdigit(static_cast<unsigned char>(t[at]))) ++at;
  }
  int offset_minutes = 8 * 60;
  if (at < t.size() && t[at] == 'Z') {
    offset_minutes = 0;
  } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(t.c_str() + at + 1, "%d:%d", &oh, &om) != 2) ADD_FAILURE() << t;
    offset_minutes = (t[at] == '+' ? 1 : -1) * (oh * 60 + om);
  }
  using namespace std::chrono;
  const sys_days day = year{y} / month{static_cast<unsigned>(mo)} / static_cast<unsigned>(d);
  return day.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + s -
         offset_minutes * 60LL;
}

// What the province is made of, and the scopes chosen from it.
struct Province {
  std::map<std::string, std::string> parent;       // region → parent ("" for the root)
  std::map<std::string, std::string> dept_region;  // department → its region
  std::map<std::string, std::string> item_dept;    // item → its department
  struct Tx {
    std::string id, region, dept, item;
    int64_t submitted = 0;
    std::vector<std::string> fields;  // the CSV row as it is
  };
  std::vector<Tx> tx;
  std::vector<std::string> tx_header;
  std::map<std::string, std::pair<std::string, std::string>> record_scope;  // id → region, dept

  std::string root, city, district, dept, other_dept;  // the scopes' codes
  std::string out_city, out_district, out_dept;        // outside them (another city)

  // Whether `region` is `top` or below it (by parent links, never by digits).
  bool Under(std::string region, const std::string& top) const {
    for (int guard = 0; guard < 100 && !region.empty(); ++guard) {
      if (region == top) return true;
      auto it = parent.find(region);
      if (it == parent.end()) return false;
      region = it->second;
    }
    return false;
  }
  bool StrictAncestor(const std::string& region, const std::string& of) const {
    return region != of && Under(of, region);
  }
};

Province ReadProvince(const std::string& dir) {
  Province p;
  const Csv regions = ReadCsv(dir + "/data/regions.csv");
  for (const auto& r : regions.rows) {
    p.parent[r[regions.Col("code")]] = r[regions.Col("parent_code")];
    if (r[regions.Col("parent_code")].empty()) p.root = r[regions.Col("code")];
  }
  const Csv depts = ReadCsv(dir + "/data/departments.csv");
  for (const auto& r : depts.rows)
    p.dept_region[r[depts.Col("code")]] = r[depts.Col("region_code")];
  const Csv items = ReadCsv(dir + "/data/items.csv");
  for (const auto& r : items.rows) p.item_dept[r[items.Col("code")]] = r[items.Col("dept_code")];
  const Csv tx = ReadCsv(dir + "/data/transactions.csv");
  p.tx_header = tx.header;
  for (const auto& r : tx.rows) {
    Province::Tx t{r[tx.Col("id")],
                   r[tx.Col("region_code")],
                   r[tx.Col("dept_code")],
                   r[tx.Col("item_code")],
                   UtcSeconds(r[tx.Col("submitted_at")]),
                   r};
    p.record_scope[t.id] = {t.region, t.dept};
    p.tx.push_back(std::move(t));
  }
  const Csv ev = ReadCsv(dir + "/data/evaluations.csv");
  for (const auto& r : ev.rows) {
    p.record_scope[r[ev.Col("id")]] = {r[ev.Col("region_code")], r[ev.Col("dept_code")]};
  }

  // The operator's district and department: the district (a region two levels below the
  // root) and department with the most transactions of the year; its city is the
  // supervisor's and the auditor's. Ties go to the smaller codes, so the choice is stable.
  auto city_of = [&](const std::string& region) {
    std::string r = region;
    while (!r.empty() && p.parent[r] != p.root) r = p.parent[r];
    return r;
  };
  std::map<std::pair<std::string, std::string>, int> by_district_dept;
  std::map<std::string, int> by_city;
  for (const auto& t : p.tx) {
    if (t.region != p.root && p.parent[t.region] != p.root) ++by_district_dept[{t.region, t.dept}];
    ++by_city[city_of(t.region)];
  }
  int best = 0;
  for (const auto& [key, n] : by_district_dept) {
    if (n > best) best = n, p.district = key.first, p.dept = key.second;
  }
  p.city = p.parent[p.district];
  // Another department with transactions in the same district (outside the operator's).
  best = 0;
  for (const auto& [key, n] : by_district_dept) {
    if (key.first == p.district && key.second != p.dept && n > best)
      best = n, p.other_dept = key.second;
  }
  // Another city, the busiest; its busiest district; one of its departments.
  best = 0;
  for (const auto& [c, n] : by_city) {
    if (c != p.city && c != p.root && n > best) best = n, p.out_city = c;
  }
  best = 0;
  for (const auto& [key, n] : by_district_dept) {
    if (p.parent[key.first] == p.out_city && n > best)
      best = n, p.out_district = key.first, p.out_dept = key.second;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// The users and what each may see.

enum Who { kAdmin, kSupervisor, kOperator, kAuditor, kAnonymous };
constexpr Who kSignedIn[] = {kAdmin, kSupervisor, kOperator, kAuditor};
const char* const kWhoName[] = {"admin", "supervisor", "operator", "auditor", "anonymous"};
const char* const kUser[] = {"amy", "sam", "olga", "aldo", ""};

struct Answer {
  int status = -1;
  std::string body, content_type;
};

struct World {
  std::string error;  // why the set-up failed ("" = it did not)
  std::string dir;
  Province p;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<httplib::Client> client;
  SignedIn session[4];
  std::string token;                          // the auditor's API token
  std::string admin_import, operator_import;  // import ids, both with rejects
  std::vector<std::string> contacts;          // as written in the imported file
  std::vector<std::string> cookies;           // every session cookie value handed out
  std::vector<std::string> answers;           // every body received
  std::map<std::pair<std::string, std::string>, int> record_reads;  // (user, kind) → 200s

  std::string Password(Who w) const { return std::string(kUser[w]) + "-password1"; }

  // `method path` as `who` (its session cookie and CSRF token; or a bearer token).
  Answer Ask(Who who, const std::string& method, const std::string& path,
             const std::string& body = "", const std::string& type = "text/csv",
             const std::string& bearer = "") {
    httplib::Headers h;
    if (!bearer.empty()) {
      h.emplace("Authorization", "Bearer " + bearer);
    } else if (who != kAnonymous) {
      h = WithSession(session[who], true);
    }
    return Send(h, method, path, body, type, who);
  }

  Answer Send(const httplib::Headers& h, const std::string& method, const std::string& path,
              const std::string& body, const std::string& type, Who who) {
    httplib::Result res = method == "GET"    ? client->Get(path, h)
                          : method == "POST" ? client->Post(path, h, body, type)
                                             : client->Delete(path, h);
    Answer a;
    if (!res) return a;
    a.status = res->status;
    a.body = res->body;
    a.content_type = res->get_header_value("Content-Type");
    answers.push_back(a.body);
    const std::string set = res->get_header_value("Set-Cookie");
    if (set.rfind("govqm_session=", 0) == 0) {
      const std::string value = set.substr(14, set.find(';') - 14);
      if (!value.empty()) cookies.push_back(value);
    }
    const std::string records = "/api/v1/records/";
    if (a.status == 200 && path.rfind(records, 0) == 0 && who != kAnonymous) {
      ++record_reads[{kUser[who], path.substr(records.size(), path.find('?') - records.size())}];
    }
    return a;
  }

  // A new session of `who`, apart from the one the tests use (to be signed out).
  SignedIn NewSession(Who who) {
    const SignedIn s = SignIn(*client, kUser[who], Password(who));
    answers.push_back(s.body);
    if (s.cookie.rfind("govqm_session=", 0) == 0) cookies.push_back(s.cookie.substr(14));
    return s;
  }
};

World* w = nullptr;

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& f = fields[i];
    line += i ? "," : "";
    if (f.find_first_of(",\"\n") == std::string::npos) {
      line += f;
    } else {
      line += '"';
      for (char ch : f) line += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      line += '"';
    }
  }
  return line + "\n";
}

// The header of the transactions file and one of its rows: an import that changes nothing
// (the same id with the same fields replaces itself).
std::string TransactionFile(const Province::Tx& t, const std::string& extra = "") {
  return CsvLine(w->p.tx_header) + CsvLine(t.fields) + extra;
}

const Province::Tx& FirstTx(const std::function<bool(const Province::Tx&)>& pred) {
  for (const auto& t : w->p.tx) {
    if (pred(t)) return t;
  }
  ADD_FAILURE() << "no such transaction";
  return w->p.tx.front();
}
const Province::Tx& OperatorTx() {
  return FirstTx(
      [](const Province::Tx& t) { return t.region == w->p.district && t.dept == w->p.dept; });
}
const Province::Tx& OutTx() {
  return FirstTx([](const Province::Tx& t) { return w->p.Under(t.region, w->p.out_city); });
}

std::string ImportIdOf(const std::string& body) {
  simdjson::dom::parser parser;
  std::string_view id;
  if (parser.parse(body)["import_id"].get_string().get(id) != simdjson::SUCCESS) return "";
  return std::string(id);
}

// An evaluations file with contacts (the phone numbers for the revisit) of the operator's
// scope, and a row the import rejects (a score that is not a number), without a contact.
std::string ContactEvaluations() {
  const Province::Tx& t = OperatorTx();
  const std::vector<std::string> header = {
      "id",      "transaction_id", "region_code", "dept_code", "item_code",
      "channel", "evaluated_at",   "score",       "comment",   "contact"};
  std::string file = CsvLine(header);
  for (size_t i = 0; i < w->contacts.size(); ++i) {
    file += CsvLine({"EVMATRIX000" + std::to_string(i + 1), t.id, t.region, t.dept, t.item, "hall",
                     "2024-05-1" + std::to_string(i) + "T10:00:00+08:00", "2",
                     "请回电 1370000999" + std::to_string(i), w->contacts[i]});
  }
  file += CsvLine({"EVMATRIX0009", t.id, t.region, t.dept, t.item, "hall",
                   "2024-05-20T10:00:00+08:00", "eleven", "broken row", ""});
  return file;
}

// Two cases (real-name bad reviews, no contact): one in the operator's scope (so the
// supervisor's city too), one in another city. Reviewed late in the year, so they are open
// whenever the matrix asks; the matrix's action is assign, which keeps a case open.
constexpr const char* kCaseIn = "EVCASE-IN";
constexpr const char* kCaseOut = "EVCASE-OUT";
std::string CaseEvaluations() {
  const Province::Tx& in = OperatorTx();
  const Province::Tx& out = OutTx();
  std::string file = CsvLine({"id", "transaction_id", "region_code", "dept_code", "item_code",
                              "evaluated_at", "score", "real_name"});
  file += CsvLine({kCaseIn, in.id, in.region, in.dept, in.item, "2024-12-20T10:00:00+08:00", "1",
                   "true"});
  file += CsvLine({kCaseOut, out.id, out.region, out.dept, out.item, "2024-12-20T10:00:00+08:00",
                   "1", "true"});
  return file;
}

class MatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    w = new World;
    w->dir =
        (fs::temp_directory_path() / ("govqm_server_" + std::to_string(::getpid()) + "_matrix"))
            .string();
    fs::remove_all(w->dir);
    fs::create_directories(w->dir);
    w->error = MakeProvinceStore(w->dir);
    if (!w->error.empty()) return;
    w->p = ReadProvince(w->dir);
    const Province& p = w->p;
    if (p.district.empty() || p.other_dept.empty() || p.out_district.empty() ||
        p.out_dept.empty()) {
      w->error = "the generated province has no two cities with districts and departments";
      return;
    }
    const std::string scope[] = {"", "--region " + p.city,
                                 "--region " + p.district + " --depts " + p.dept,
                                 "--region " + p.city};
    const char* role[] = {"admin", "supervisor", "operator", "auditor"};
    for (Who who : kSignedIn) {
      const Ran r = RunGovqm(
          w->dir, std::string("user add ") + kUser[who] + " --role " + role[who] + " " + scope[who],
          w->Password(who) + "\n");
      if (r.exit_code != 0) {
        w->error = "user add " + std::string(kUser[who]) + ": " + r.err;
        return;
      }
    }
    const Ran token =
        RunGovqm(w->dir, std::string("token create ") + kUser[kAuditor] + " --days 1");
    std::smatch m;
    if (token.exit_code != 0 ||
        !std::regex_search(token.out, m, std::regex(R"((gq_[0-9a-f]{64}))"))) {
      w->error = "token create: " + token.out + token.err;
      return;
    }
    w->token = m[1];
    w->server = std::make_unique<ServerProcess>(
        w->dir, "--framework " + std::string(GOVQM_SOURCE_DIR) + "/config/framework.toml");
    if (w->server->port() <= 0) {
      w->error = "the server did not start: " + w->server->log();
      return;
    }
    w->client = std::make_unique<httplib::Client>("127.0.0.1", w->server->port());
    w->client->set_read_timeout(120, 0);
    for (Who who : kSignedIn) {
      w->session[who] = w->NewSession(who);
      if (w->session[who].status != 200) {
        w->error = std::string("sign-in of ") + kUser[who] + ": " + w->session[who].body;
        return;
      }
    }
    // Two imports with rejects: the admin's (evaluations with contacts) and the operator's
    // (one of its transactions again, and a broken row).
    w->contacts = {"139-8765-0001", "13987650002", "0771-5550003"};
    Answer a =
        w->Ask(kAdmin, "POST", "/api/v1/imports/evaluations?filename=ev.csv", ContactEvaluations());
    w->admin_import = ImportIdOf(a.body);
    if (a.status != 200 || w->admin_import.empty() ||
        a.body.find("\"rejected\":1") == std::string::npos) {
      w->error = "the admin's import: " + std::to_string(a.status) + " " + a.body;
      return;
    }
    a = w->Ask(kAdmin, "POST", "/api/v1/imports/evaluations?filename=cases.csv",
               CaseEvaluations());
    if (a.status != 200 || a.body.find("\"loaded\":2") == std::string::npos) {
      w->error = "the admin's import of cases: " + std::to_string(a.status) + " " + a.body;
      return;
    }
    a = w->Ask(kOperator, "POST", "/api/v1/imports/transactions?filename=tx.csv",
               TransactionFile(OperatorTx(), "broken-row-without-columns\n"));
    w->operator_import = ImportIdOf(a.body);
    if (a.status != 200 || w->operator_import.empty() ||
        a.body.find("\"rejected\":1") == std::string::npos) {
      w->error = "the operator's import: " + std::to_string(a.status) + " " + a.body;
      return;
    }
  }
  static void TearDownTestSuite() {
    if (w->server) w->server->Stop();
    fs::remove_all(w->dir);
    delete w;
    w = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(w->error.empty()) << w->error; }
};

// ---------------------------------------------------------------------------------------------
// The matrix, written from service.md §3 (the route table's "who") and §4 (scope), not from
// running the code. Per route: the status for each signed-in role asking inside its scope,
// the same asking outside it, and for a caller without credentials.
//
// "Outside" is, per route: a unit, region or department of another city where the route names
// one (explain's unit, records' region, an import's records, another user's import for
// rejects); a grouping over the whole province where it names none (indicators, score,
// disparity, weights by city: answered, with the scope's rows only — checked further down).
// The admin's scope is the whole province: for it nothing is outside.

struct Expect {
  const char* method;
  const char* path;
  int in[4];  // admin, supervisor, operator, auditor
  int out[4];
  int anonymous;
};

const Expect kMatrix[] = {
    // anyone may sign in; the caller without a session too (with a user's password)
    {"POST", "/api/v1/session", {200, 200, 200, 200}, {200, 200, 200, 200}, 200},
    {"DELETE", "/api/v1/session", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    {"GET", "/api/v1/me", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    // scoped roles; a grouping beyond the scope is answered with the scope's rows
    {"GET", "/api/v1/indicators", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    {"GET", "/api/v1/score", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    {"GET", "/api/v1/disparity", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    {"GET", "/api/v1/weights", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    // naming an out-of-scope unit is 403
    {"GET", "/api/v1/explain", {200, 200, 200, 200}, {200, 403, 403, 403}, 401},
    {"GET", "/api/v1/diagnosis", {200, 200, 200, 200}, {200, 403, 403, 403}, 401},
    // the department named (the platform publication's) outside the scope is 403
    {"GET", "/api/v1/same-source", {200, 200, 200, 200}, {200, 403, 403, 403}, 401},
    // admin only (users): adding answers 201; the disable row disables the users the add row
    // made (the rows run in order)
    {"GET", "/api/v1/users", {200, 403, 403, 403}, {200, 403, 403, 403}, 401},
    {"POST", "/api/v1/users", {201, 403, 403, 403}, {201, 403, 403, 403}, 401},
    {"POST", "/api/v1/users/{name}/disable", {200, 403, 403, 403}, {200, 403, 403, 403}, 401},
    // admin, operator (own scope)
    {"POST", "/api/v1/imports/{kind}", {200, 403, 200, 403}, {200, 403, 403, 403}, 401},
    // who imported, admin
    {"GET", "/api/v1/imports/{import_id}/rejects", {200, 403, 200, 403}, {200, 403, 403, 403}, 401},
    // admin, supervisor, operator; an auditor has no record-level data
    {"GET", "/api/v1/records/{kind}", {200, 200, 200, 403}, {200, 403, 403, 403}, 401},
    // admin, supervisor, operator (record-level: no auditor); a list has no unit to name, it
    // is answered with the scope's cases; a case of another scope is not found (404: the
    // answer says nothing of what exists elsewhere)
    {"GET", "/api/v1/cases", {200, 200, 200, 403}, {200, 200, 200, 403}, 401},
    {"GET", "/api/v1/cases/{id}", {200, 200, 200, 403}, {200, 404, 404, 403}, 401},
    // operator, supervisor act on cases; the admin and the auditor do not
    {"POST", "/api/v1/cases/{id}/actions", {403, 200, 200, 403}, {403, 404, 404, 403}, 401},
    // scoped roles; no unit named
    {"GET", "/api/v1/alerts", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    // scoped roles; a file over the scope's records, whatever the grouping
    {"GET", "/api/v1/reports/bulletin", {200, 200, 200, 200}, {200, 200, 200, 200}, 401},
    // admin, auditor
    {"GET", "/api/v1/audit", {200, 403, 403, 200}, {200, 403, 403, 200}, 401},
    // anonymous (so anyone)
    {"GET", "/api/v1/public/indicators", {200, 200, 200, 200}, {200, 200, 200, 200}, 200},
    {"GET", "/api/v1/public/score", {200, 200, 200, 200}, {200, 200, 200, 200}, 200},
    {"GET", "/api/v1/openapi.json", {200, 200, 200, 200}, {200, 200, 200, 200}, 200},
    // service.md §2: no role named
    {"GET", "/healthz", {200, 200, 200, 200}, {200, 200, 200, 200}, 200},
    {"GET", "/metrics", {200, 200, 200, 200}, {200, 200, 200, 200}, 200},
};

struct Request {
  std::string method, path, body, type = "application/json";
};

// The request of the matrix for `route` by `who`, inside its scope or outside it.
std::optional<Request> RequestFor(const std::string& method, const std::string& route, Who who,
                                  bool in) {
  const Province& p = w->p;
  const std::string period = kYear;
  Request r{method, route};
  if (route == "/api/v1/session") {
    if (method == "POST") {
      const Who as = who == kAnonymous ? kAdmin : who;
      r.body =
          "{\"user\":\"" + std::string(kUser[as]) + "\",\"password\":\"" + w->Password(as) + "\"}";
    }
    return r;  // DELETE: see below (a throwaway session)
  }
  if (route == "/api/v1/me" || route == "/api/v1/openapi.json" || route == "/healthz" ||
      route == "/metrics") {
    return r;
  }
  const std::string by = in ? "region" : "city";
  if (route == "/api/v1/indicators" || route == "/api/v1/public/indicators") {
    r.path += "?" + period + "&by=" + by + "&only=volume,on_time_rate";
    return r;
  }
  if (route == "/api/v1/score" || route == "/api/v1/public/score" || route == "/api/v1/weights") {
    r.path += "?" + period + "&by=" + by;
    return r;
  }
  if (route == "/api/v1/disparity") {
    r.path += "?" + period + "&by=" + by + "&score=index";
    return r;
  }
  if (route == "/api/v1/explain" || route == "/api/v1/diagnosis") {
    r.path += "?" + period + "&by=region&unit=" + (in ? p.district : p.out_district);
    return r;
  }
  if (route == "/api/v1/same-source") {
    r.path += "?to=2025-01-01&dept=" + (in ? p.dept : p.out_dept);
    return r;
  }
  if (route == "/api/v1/users") {
    if (method == "POST") {
      r.body = std::string("{\"name\":\"matrix-") + (in ? "in" : "out") +
               "\",\"role\":\"auditor\",\"region\":\"" + p.city +
               "\",\"password\":\"a long enough password\"}";
    }
    return r;
  }
  if (route == "/api/v1/users/{name}/disable") {
    r.path = std::string("/api/v1/users/matrix-") + (in ? "in" : "out") + "/disable";
    return r;
  }
  if (route == "/api/v1/imports/{kind}") {
    r.path = "/api/v1/imports/transactions?filename=t.csv";
    r.body = TransactionFile(in ? OperatorTx() : OutTx());
    r.type = "text/csv";
    return r;
  }
  if (route == "/api/v1/imports/{import_id}/rejects") {
    // Inside: the caller's own import where its role may import, else the operator's (in the
    // supervisor's and auditor's city); outside: another user's.
    std::string id = who == kAdmin      ? (in ? w->admin_import : w->operator_import)
                     : who == kOperator ? (in ? w->operator_import : w->admin_import)
                                        : (in ? w->operator_import : w->admin_import);
    r.path = "/api/v1/imports/" + id + "/rejects";
    return r;
  }
  if (route == "/api/v1/records/{kind}") {
    std::string region = who == kOperator || who == kAdmin ? p.district : p.city;
    r.path = "/api/v1/records/transactions?" + period + "&region=" + (in ? region : p.out_district);
    if (who == kOperator && in) r.path += "&dept=" + p.dept;
    return r;
  }
  if (route == "/api/v1/audit") {
    r.path += in ? "" : "?from=2024-01-01";
    return r;
  }
  if (route == "/api/v1/cases") {
    r.path += in ? "?at=2025-01-01" : "?at=2025-01-01&by=region";
    return r;
  }
  if (route == "/api/v1/cases/{id}") {
    r.path = std::string("/api/v1/cases/") + (in ? kCaseIn : kCaseOut) + "?at=2025-01-01";
    return r;
  }
  if (route == "/api/v1/cases/{id}/actions") {
    r.path = std::string("/api/v1/cases/") + (in ? kCaseIn : kCaseOut) + "/actions";
    r.body = "{\"action\":\"assign\",\"note\":\"to the window\"}";
    return r;
  }
  if (route == "/api/v1/reports/bulletin") {
    r.path += in ? "?from=2024-06-01&to=2024-07-01&by=region"
                 : "?from=2024-06-01&to=2024-07-01&by=city&format=xlsx";
    return r;
  }
  if (route == "/api/v1/alerts") {
    r.path += in ? "?from=2024-06-01&to=2024-07-01" : "?from=2024-06-01&to=2024-07-01&at=2024-06-15";
    return r;
  }
  return std::nullopt;
}

TEST_F(MatrixTest, EveryRouteEveryRoleInAndOutOfScopeAndAnonymous) {
  // The table covers exactly the routes served: a new route without expectations fails here.
  std::set<std::string> served, expected;
  for (const server::Route& r : server::Routes())
    served.insert(std::string(r.method) + " " + r.path);
  for (const Expect& e : kMatrix) expected.insert(std::string(e.method) + " " + e.path);
  EXPECT_EQ(served, expected) << "each route needs its row in kMatrix (written from the spec)";

  for (const Expect& e : kMatrix) {
    for (int who = kAdmin; who <= kAnonymous; ++who) {
      for (bool in : {true, false}) {
        if (who == kAnonymous && !in) continue;  // the anonymous caller has no scope
        const Who as = static_cast<Who>(who);
        std::optional<Request> r = RequestFor(e.method, e.path, as, in);
        ASSERT_TRUE(r) << "no request for " << e.method << " " << e.path;
        const int want = as == kAnonymous ? e.anonymous : (in ? e.in : e.out)[who];
        Answer a;
        if (std::string(e.method) == "DELETE" && as != kAnonymous) {
          const SignedIn s = w->NewSession(as);  // signing out must not end the tests' session
          ASSERT_EQ(s.status, 200);
          a = w->Send(WithSession(s, true), r->method, r->path, "", "", as);
        } else {
          a = w->Ask(as, r->method, r->path, r->body, r->type);
        }
        EXPECT_EQ(a.status, want) << kWhoName[who] << (in ? " in scope: " : " out of scope: ")
                                  << r->method << " " << r->path << "\n"
                                  << a.body.substr(0, 300);
        // Every refusal has the error shape, with the code of its status.
        if (a.status == 401 || a.status == 403) {
          EXPECT_NE(a.body.find(a.status == 401 ? "\"unauthenticated\"" : "\"forbidden\""),
                    std::string::npos)
              << a.body;
        }
      }
    }
  }
  // The tests' own sessions still work (only the throwaway ones were signed out).
  for (Who who : kSignedIn) EXPECT_EQ(w->Ask(who, "GET", "/api/v1/me").status, 200) << kUser[who];
}

// ---------------------------------------------------------------------------------------------
// Never a row of another scope.

// Calls `on` with every string of a JSON document (values, not keys).
void EachString(simdjson::dom::element e, const std::function<void(std::string_view)>& on) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      for (simdjson::dom::element x : e.get_array()) EachString(x, on);
      break;
    case simdjson::dom::element_type::OBJECT:
      for (auto field : e.get_object()) EachString(field.value, on);
      break;
    case simdjson::dom::element_type::STRING:
      on(e.get_string().value());
      break;
    default:
      break;
  }
}

// What a scope may see: its regions (the subtree) and their ancestors as labels; departments
// (all, or the scope's) of those regions; items of those departments; records of the subtree
// and the departments.
struct Visible {
  std::string region;
  std::vector<std::string> depts;
  bool RegionLabel(const std::string& r) const {
    return w->p.Under(r, region) || w->p.StrictAncestor(r, region);
  }
  bool Dept(const std::string& d) const {
    if (!depts.empty()) return std::find(depts.begin(), depts.end(), d) != depts.end();
    return RegionLabel(w->p.dept_region.at(d));
  }
  bool Record(const std::string& r, const std::string& d) const {
    return w->p.Under(r, region) &&
           (depts.empty() || std::find(depts.begin(), depts.end(), d) != depts.end());
  }
};

// Checks one string of an answer against `v`: a region, department, item or record id of
// another scope fails the test. Returns 1 when the string is such a code, else 0.
int CheckCode(const std::string& s, const Visible& v, const std::string& what) {
  const Province& p = w->p;
  if (p.parent.count(s)) {
    EXPECT_TRUE(v.RegionLabel(s)) << what << ": region " << s << " of another scope";
  } else if (p.dept_region.count(s)) {
    EXPECT_TRUE(v.Dept(s)) << what << ": department " << s << " of another scope";
  } else if (p.item_dept.count(s)) {
    EXPECT_TRUE(v.Dept(p.item_dept.at(s))) << what << ": item " << s << " of another scope";
  } else if (auto it = p.record_scope.find(s); it != p.record_scope.end()) {
    EXPECT_TRUE(v.Record(it->second.first, it->second.second))
        << what << ": record " << s << " of another scope";
  } else {
    return 0;
  }
  return 1;
}

// Checks every code and record id in `body` against `v`; returns how many codes it saw.
int CheckNothingOutside(const std::string& body, const Visible& v, const std::string& what) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) {
    ADD_FAILURE() << what << ": not JSON: " << body.substr(0, 200);
    return 0;
  }
  int seen = 0;
  EachString(root, [&](std::string_view sv) { seen += CheckCode(std::string(sv), v, what); });
  return seen;
}

// The same for a text that is not JSON (the bulletin's HTML, the strings of its workbook):
// every word of letters, digits, '-' and '_' is a candidate code.
int CheckTextNothingOutside(const std::string& text, const Visible& v, const std::string& what) {
  int seen = 0;
  std::string word;
  for (const char ch : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') {
      word += ch;
    } else if (!word.empty()) {
      seen += CheckCode(word, v, what);
      word.clear();
    }
  }
  return seen;
}

// The rows of a records answer, each as column → field.
std::vector<std::map<std::string, std::string>> RecordRows(const std::string& body) {
  std::vector<std::map<std::string, std::string>> out;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return out;
  std::vector<std::string> columns;
  for (simdjson::dom::element c : root["columns"].get_array())
    columns.emplace_back(c.get_string().value());
  for (simdjson::dom::element row : root["rows"].get_array()) {
    std::map<std::string, std::string> m;
    size_t i = 0;
    for (simdjson::dom::element f : row.get_array()) {
      std::string_view s;
      if (i < columns.size() && f.get_string().get(s) == simdjson::SUCCESS) m[columns[i]] = s;
      ++i;
    }
    out.push_back(std::move(m));
  }
  return out;
}

TEST_F(MatrixTest, NoAnswerToAScopedUserHoldsARowOfAnotherScope) {
  const Province& p = w->p;
  const std::pair<Who, Visible> users[] = {
      {kOperator, {p.district, {p.dept}}},
      {kSupervisor, {p.city, {}}},
      {kAuditor, {p.city, {}}},
  };
  const std::string y = std::string("?") + kYear;
  for (const auto& [who, v] : users) {
    std::vector<std::string> asks = {
        "/api/v1/indicators" + y + "&by=region",
        "/api/v1/indicators" + y + "&by=city",
        "/api/v1/indicators" + y + "&by=dept",
        "/api/v1/indicators" + y + "&by=item&only=volume",
        "/api/v1/indicators" + y + "&by=region,month",
        "/api/v1/score" + y + "&by=region",
        "/api/v1/score" + y + "&by=city",
        "/api/v1/score" + y + "&by=dept",
        "/api/v1/disparity" + y + "&by=region&score=index",
        "/api/v1/disparity" + y + "&by=city&score=index",
        "/api/v1/disparity" + y + "&by=region&indicator=volume",
        "/api/v1/weights" + y + "&by=city",
        "/api/v1/explain" + y + "&by=region&unit=" + p.district,
        "/api/v1/explain" + y + "&by=dept&unit=" + p.dept,
        "/api/v1/diagnosis" + y + "&by=region&unit=" + p.district,
        "/api/v1/diagnosis" + y + "&by=dept&unit=" + p.dept,
        "/api/v1/alerts?from=2024-06-01&to=2024-07-01&at=2024-06-15",
        "/api/v1/same-source?to=2025-01-01",
    };
    if (who != kAuditor) {
      for (const char* q : {"", "&by=region", "&by=dept", "&state=closed"}) {
        asks.push_back(std::string("/api/v1/cases?at=2025-01-01") + q);
      }
      for (const char* kind :
           {"transactions", "evaluations", "rectifications", "probes", "guides", "org"}) {
        asks.push_back(std::string("/api/v1/records/") + kind + y + "&limit=1000");
        // An ancestor's subtree holds the scope: answered, with the scope's records alone.
        asks.push_back(std::string("/api/v1/records/") + kind + y + "&limit=1000&region=" + p.root);
      }
    }
    // Records page by page: every page of every kind is searched, not just the first.
    for (size_t i = 0; i < asks.size(); ++i) {
      if (asks[i].find("/records/") == std::string::npos ||
          asks[i].find("&offset=") != std::string::npos)
        continue;
      const Answer first = w->Ask(who, "GET", asks[i]);
      simdjson::dom::parser parser;
      int64_t total = 0;
      ASSERT_EQ(parser.parse(first.body)["total"].get_int64().get(total), simdjson::SUCCESS)
          << asks[i] << "\n"
          << first.body.substr(0, 300);
      for (int64_t offset = 1000; offset < total; offset += 1000) {
        asks.push_back(asks[i] + "&offset=" + std::to_string(offset));
      }
    }
    int codes = 0;
    for (const std::string& path : asks) {
      const Answer a = w->Ask(who, "GET", path);
      ASSERT_EQ(a.status, 200) << kUser[who] << " " << path << "\n" << a.body.substr(0, 300);
      codes += CheckNothingOutside(a.body, v, std::string(kUser[who]) + " " + path);
      if (path.find("/records/") == std::string::npos) continue;
      // Records: each row's own region in the subtree, its department the scope's.
      const auto rows = RecordRows(a.body);
      for (const auto& row : rows) {
        if (row.count("region_code")) {
          EXPECT_TRUE(p.Under(row.at("region_code"), v.region))
              << path << " " << row.at("region_code");
        }
        if (row.count("dept_code") && !v.depts.empty()) {
          EXPECT_EQ(row.at("dept_code"), v.depts[0]) << path;
        }
        if (row.count("unit_code")) {
          const std::string& u = row.at("unit_code");
          EXPECT_TRUE(p.dept_region.count(u) ? v.Dept(u) && p.Under(p.dept_region.at(u), v.region)
                                             : v.depts.empty() && p.Under(u, v.region))
              << path << " " << u;
        }
      }
    }
    EXPECT_GT(codes, 20) << kUser[who] << ": the answers named hardly any code: nothing checked";

    // Naming a unit, region or department of another scope: 403, by every route that names one.
    std::vector<std::string> refused = {
        "/api/v1/explain" + y + "&by=region&unit=" + p.out_district,
        "/api/v1/explain" + y + "&by=city&unit=" + p.out_city,
        "/api/v1/explain" + y + "&by=dept&unit=" + p.out_dept,
        "/api/v1/explain" + y + "&by=region&unit=no-such-unit",  // says nothing of what exists
    };
    if (who == kOperator) {
      refused.push_back("/api/v1/explain" + y + "&by=dept&unit=" + p.other_dept);
    }
    if (who != kAuditor) {
      for (const char* q : {"", "&by=region", "&by=dept", "&state=closed"}) {
        asks.push_back(std::string("/api/v1/cases?at=2025-01-01") + q);
      }
      for (const char* kind :
           {"transactions", "evaluations", "rectifications", "probes", "guides", "org"}) {
        const std::string base = std::string("/api/v1/records/") + kind + y;
        refused.push_back(base + "&region=" + p.out_district);
        refused.push_back(base + "&region=" + p.out_city);
        refused.push_back(base + "&dept=" + p.out_dept);
        if (who == kOperator) refused.push_back(base + "&dept=" + p.other_dept);
      }
    }
    for (const std::string& path : refused) {
      const Answer a = w->Ask(who, "GET", path);
      EXPECT_EQ(a.status, 403) << kUser[who] << " " << path << "\n" << a.body.substr(0, 300);
      EXPECT_NE(a.body.find("\"forbidden\""), std::string::npos) << a.body.substr(0, 300);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// In-scope values, counted here from data/transactions.csv.

// group label → volume, from an indicators answer grouped by one key.
std::map<std::string, double> VolumeBy(const std::string& body, const std::string& key) {
  std::map<std::string, double> out;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body.substr(0, 200);
  if (root.type() != simdjson::dom::element_type::ARRAY) return out;
  for (simdjson::dom::element row : root.get_array()) {
    std::string_view indicator, label;
    double value = 0;
    if (row["indicator"].get_string().get(indicator) != simdjson::SUCCESS || indicator != "volume")
      continue;
    EXPECT_EQ(row[key].get_string().get(label), simdjson::SUCCESS);
    EXPECT_EQ(row["value"].get_double().get(value), simdjson::SUCCESS);
    out[std::string(label)] = value;
  }
  return out;
}

TEST_F(MatrixTest, ScopedVolumesAreCountsOfTheScopesOwnRecords) {
  const Province& p = w->p;
  const int64_t from = UtcSeconds(kPartFrom), to = UtcSeconds(kPartTo);
  auto city_of = [&](std::string r) {
    while (!r.empty() && p.parent.at(r) != p.root) r = p.parent.at(r);
    return r;
  };
  // Hand counts over the period: the operator's (district and department), the supervisor's
  // (the city's subtree) by region, and every city's for the admin.
  std::map<std::string, double> op_region, op_city, op_dept, sup_region, sup_city, all_city;
  for (const auto& t : p.tx) {
    if (t.submitted < from || t.submitted >= to) continue;
    ++all_city[t.region == p.root ? p.root : city_of(t.region)];
    if (p.Under(t.region, p.city)) {
      ++sup_region[t.region];
      ++sup_city[p.city];
    }
    if (t.region == p.district && t.dept == p.dept) {
      ++op_region[t.region];
      ++op_city[p.city];  // the operator's city: an ancestor, over the operator's records alone
      ++op_dept[t.dept];
    }
  }
  ASSERT_GT(op_region[p.district], 0) << "the operator has no transactions in the period";
  ASSERT_LT(op_city[p.city], sup_city[p.city]) << "the operator's records are all of the city's";
  const std::string q = std::string("?") + kPart + "&only=volume&by=";
  EXPECT_EQ(VolumeBy(w->Ask(kOperator, "GET", "/api/v1/indicators" + q + "region").body, "region"),
            op_region);
  EXPECT_EQ(VolumeBy(w->Ask(kOperator, "GET", "/api/v1/indicators" + q + "city").body, "city"),
            op_city);
  EXPECT_EQ(VolumeBy(w->Ask(kOperator, "GET", "/api/v1/indicators" + q + "dept").body, "dept"),
            op_dept);
  EXPECT_EQ(
      VolumeBy(w->Ask(kSupervisor, "GET", "/api/v1/indicators" + q + "region").body, "region"),
      sup_region);
  EXPECT_EQ(VolumeBy(w->Ask(kSupervisor, "GET", "/api/v1/indicators" + q + "city").body, "city"),
            sup_city);
  EXPECT_EQ(VolumeBy(w->Ask(kAuditor, "GET", "/api/v1/indicators" + q + "city").body, "city"),
            sup_city);
  EXPECT_EQ(VolumeBy(w->Ask(kAdmin, "GET", "/api/v1/indicators" + q + "city").body, "city"),
            all_city);
  // The records route counts the same records.
  const Answer rec = w->Ask(kOperator, "GET", std::string("/api/v1/records/transactions?") + kPart);
  ASSERT_EQ(rec.status, 200) << rec.body;
  EXPECT_NE(
      rec.body.find("\"total\":" + std::to_string(static_cast<int>(op_region[p.district])) + ","),
      std::string::npos)
      << rec.body.substr(0, 200);
}

// ---------------------------------------------------------------------------------------------
// The bulletin: a file (HTML or XLSX) over the caller's scope; an auditor's has no example
// comment. Its codes are searched as words, since the answer is not JSON.

TEST_F(MatrixTest, TheBulletinIsAFileOfTheCallersScopeWithoutExamplesForAnAuditor) {
  const Province& p = w->p;
  const std::string q = std::string("/api/v1/reports/bulletin?") + kPart;
  auto get = [&](Who who, const std::string& path) {
    httplib::Result res = w->client->Get(path, WithSession(w->session[who], true));
    EXPECT_TRUE(res) << path;
    if (res) w->answers.push_back(res->body);
    return res;
  };
  // The file, its type and its name.
  httplib::Result html = get(kAdmin, q + "&by=city");
  ASSERT_TRUE(html);
  ASSERT_EQ(html->status, 200) << html->body.substr(0, 300);
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(html->get_header_value("Content-Disposition"),
            "attachment; filename=\"govqm-bulletin-2024-03-01-2024-09-01-city.html\"");
  EXPECT_EQ(html->body.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html->body.find("http"), std::string::npos);
  EXPECT_NE(html->body.find("class=\"quote\""), std::string::npos)
      << "the admin sees example comments (the test needs a bad review with a comment)";
  httplib::Result xlsx = get(kAdmin, q + "&by=city&format=xlsx&lang=en");
  ASSERT_TRUE(xlsx);
  ASSERT_EQ(xlsx->status, 200) << xlsx->body.substr(0, 300);
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx->get_header_value("Content-Disposition"),
            "attachment; filename=\"govqm-bulletin-2024-03-01-2024-09-01-city.xlsx\"");
  EXPECT_EQ(xlsx->body.rfind("PK\x03\x04", 0), 0u) << "an XLSX is a zip file";
  // Parameters the server does not take, or takes only by name, and bad values: 400.
  for (const std::string& bad :
       {q + "&by=city&format=pdf", q + "&by=city&lang=fr", q + "&by=city&alert-rules=x.toml",
        q + "&by=city&config=/etc/passwd", q + "&by=city&stopwords=../secret", q + "&by=month",
        q + "&by=city&top=0", q}) {
    httplib::Result res = get(kAdmin, bad);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad << "\n" << res->body.substr(0, 200);
    EXPECT_NE(res->body.find("\"bad_request\""), std::string::npos) << res->body;
  }

  // Every scoped user: nothing of another scope, in the page or in the workbook's strings.
  const bool openpyxl = std::system("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") == 0;
  const std::pair<Who, Visible> users[] = {
      {kOperator, {p.district, {p.dept}}},
      {kSupervisor, {p.city, {}}},
      {kAuditor, {p.city, {}}},
  };
  for (const auto& [who, v] : users) {
    int codes = 0;
    for (const char* by : {"region", "city", "dept"}) {
      const std::string path = q + "&by=" + by;
      httplib::Result page = get(who, path);
      ASSERT_TRUE(page);
      ASSERT_EQ(page->status, 200) << kUser[who] << " " << path << "\n" << page->body.substr(0, 300);
      codes += CheckTextNothingOutside(page->body, v, std::string(kUser[who]) + " " + path);
      if (!openpyxl) continue;
      httplib::Result book = get(who, path + "&format=xlsx");
      ASSERT_TRUE(book);
      ASSERT_EQ(book->status, 200) << kUser[who] << " " << path;
      const std::string file = w->dir + "/bulletin.xlsx";
      std::ofstream(file, std::ios::binary) << book->body;
      const std::string cmd = "/usr/bin/python3 " + std::string(GOVQM_SOURCE_DIR) +
                              "/tests/cli/data/xlsx_dump.py '" + file + "' > '" + w->dir +
                              "/bulletin.json'";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
      codes += CheckTextNothingOutside(ReadAll(w->dir + "/bulletin.json"), v,
                                       std::string(kUser[who]) + " " + path + " (xlsx)");
    }
    EXPECT_GT(codes, 5) << kUser[who] << ": the bulletins named hardly any code: nothing checked";
  }
  if (!openpyxl && std::getenv("CI") != nullptr) ADD_FAILURE() << "python3-openpyxl is required on CI";

  // The auditor and the supervisor share a city: the same counts, no example for the auditor.
  httplib::Result sup = get(kSupervisor, q + "&by=city");
  httplib::Result aud = get(kAuditor, q + "&by=city");
  ASSERT_TRUE(sup && aud);
  EXPECT_NE(sup->body.find("class=\"quote\""), std::string::npos);
  EXPECT_EQ(aud->body.find("class=\"quote\""), std::string::npos) << "an auditor sees no comment";
  std::smatch ms, ma;
  const std::regex bad_reviews("差评 (\\d+) 条");
  ASSERT_TRUE(std::regex_search(sup->body, ms, bad_reviews));
  ASSERT_TRUE(std::regex_search(aud->body, ma, bad_reviews));
  EXPECT_EQ(ms[1], ma[1]) << "the counts are the same";
}

// ---------------------------------------------------------------------------------------------

TEST_F(MatrixTest, RejectsAreForWhoImportedAndTheAdmin) {
  const std::string admins = "/api/v1/imports/" + w->admin_import + "/rejects";
  const std::string operators = "/api/v1/imports/" + w->operator_import + "/rejects";
  // The admin's import (evaluations of the operator's own scope and the supervisor's city).
  EXPECT_EQ(w->Ask(kOperator, "GET", admins).status, 403);
  EXPECT_EQ(w->Ask(kSupervisor, "GET", admins).status, 403);
  EXPECT_EQ(w->Ask(kAuditor, "GET", admins).status, 403);
  EXPECT_EQ(w->Ask(kAnonymous, "GET", admins).status, 401);
  Answer a = w->Ask(kAdmin, "GET", admins);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(a.body.find("EVMATRIX0009"), std::string::npos) << a.body;
  EXPECT_EQ(a.body.find("EVMATRIX0001"), std::string::npos) << "an accepted row in the rejects";
  // The operator's: the operator and the admin.
  a = w->Ask(kOperator, "GET", operators);
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_NE(a.body.find("broken-row-without-columns"), std::string::npos) << a.body;
  EXPECT_EQ(w->Ask(kAdmin, "GET", operators).status, 200);
  EXPECT_EQ(w->Ask(kSupervisor, "GET", operators).status, 403);
  EXPECT_EQ(w->Ask(kAuditor, "GET", operators).status, 403);
}

TEST_F(MatrixTest, AnOperatorImportsRecordsOfItsOwnScopeOnly) {
  const Province& p = w->p;
  const std::string route = "/api/v1/imports/transactions?filename=t.csv";
  EXPECT_EQ(w->Ask(kOperator, "POST", route, TransactionFile(OperatorTx())).status, 200);
  // Another city's record, as it is; then its id relabelled as the operator's own (which
  // would replace, so delete, the other city's record).
  const Province::Tx& out = OutTx();
  EXPECT_EQ(w->Ask(kOperator, "POST", route, TransactionFile(out)).status, 403);
  Province::Tx relabelled = out;
  const size_t region =
      std::find(p.tx_header.begin(), p.tx_header.end(), "region_code") - p.tx_header.begin();
  const size_t dept =
      std::find(p.tx_header.begin(), p.tx_header.end(), "dept_code") - p.tx_header.begin();
  const size_t item =
      std::find(p.tx_header.begin(), p.tx_header.end(), "item_code") - p.tx_header.begin();
  relabelled.fields[region] = p.district;
  relabelled.fields[dept] = p.dept;
  relabelled.fields[item] = OperatorTx().item;
  const Answer a = w->Ask(kOperator, "POST", route, TransactionFile(relabelled));
  EXPECT_EQ(a.status, 403) << a.body;
  // Reference data is not an operator's to import.
  EXPECT_EQ(w->Ask(kOperator, "POST", "/api/v1/imports/regions?filename=r.csv",
                   "code,name,parent_code\n" + p.district + ",x," + p.city + "\n")
                .status,
            403);
  // The other city's record is still there, where it was.
  const Answer rec =
      w->Ask(kAdmin, "GET", "/api/v1/records/transactions?region=" + out.region + "&limit=1000");
  ASSERT_EQ(rec.status, 200);
  bool found = false;
  for (const auto& row : RecordRows(rec.body)) {
    found = found || (row.at("id") == out.id && row.at("region_code") == out.region);
  }
  EXPECT_TRUE(found) << out.id;
}

TEST_F(MatrixTest, TheAuditLogIsForAdminAndAuditorAndNamesEveryRecordRead) {
  // A few record reads of this test's own, then every one made so far must be in the log.
  for (Who who : {kAdmin, kSupervisor, kOperator}) {
    for (const char* kind : {"transactions", "evaluations", "org"}) {
      EXPECT_EQ(
          w->Ask(who, "GET", std::string("/api/v1/records/") + kind + "?" + kYear + "&limit=3")
              .status,
          200);
    }
  }
  EXPECT_EQ(w->Ask(kSupervisor, "GET", "/api/v1/audit").status, 403);
  EXPECT_EQ(w->Ask(kOperator, "GET", "/api/v1/audit").status, 403);
  EXPECT_EQ(w->Ask(kAnonymous, "GET", "/api/v1/audit").status, 401);
  const Answer by_token = w->Ask(kAuditor, "GET", "/api/v1/audit", "", "", w->token);
  EXPECT_EQ(by_token.status, 200) << by_token.body.substr(0, 200);
  // The log is the array `audit list --format json` prints.
  for (Who who : {kAdmin, kAuditor}) {
    const Answer a = w->Ask(who, "GET", "/api/v1/audit");
    ASSERT_EQ(a.status, 200) << a.body.substr(0, 300);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(a.body).get(root), simdjson::SUCCESS);
    std::map<std::pair<std::string, std::string>, int> logged;
    std::set<std::string> logins;
    for (simdjson::dom::element e : root.get_array()) {
      const std::string action(e["action"].get_string().value());
      const std::string actor(e["actor"].get_string().value());
      if (action == "records.read")
        ++logged[{actor, std::string(e["object"].get_string().value())}];
      if (action == "login.success") logins.insert(actor);
    }
    EXPECT_EQ(logged, w->record_reads) << "each record read (user, kind) is one audit entry";
    EXPECT_EQ(logins, (std::set<std::string>{"amy", "sam", "olga", "aldo"}));
  }
  const Ran verify = RunGovqm(w->dir, "audit verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// ---------------------------------------------------------------------------------------------

TEST_F(MatrixTest, ThePublicViewKeepsSmallCellsAsSuppressedRowsAndShowsNoRecordIds) {
  const Province& p = w->p;
  const int64_t from = UtcSeconds(kPartFrom), to = UtcSeconds(kPartTo);
  std::map<std::string, int> count;  // region → transactions in the period
  for (const auto& t : p.tx) {
    if (t.submitted >= from && t.submitted < to) ++count[t.region];
  }
  int small = 0;
  for (const auto& [region, n] : count) small += n < 10;
  ASSERT_GT(small, 0) << "no small cell to suppress in this period";
  ASSERT_LT(small, static_cast<int>(count.size()));

  const Answer a =
      w->Ask(kAnonymous, "GET",
             std::string("/api/v1/public/indicators?") + kPart + "&by=region&only=volume");
  ASSERT_EQ(a.status, 200) << a.body.substr(0, 300);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(a.body).get(root), simdjson::SUCCESS);
  std::map<std::string, int> shown;
  for (simdjson::dom::element row : root.get_array()) {
    const std::string region(row["region"].get_string().value());
    bool suppressed = false;
    ASSERT_EQ(row["suppressed"].get_bool().get(suppressed), simdjson::SUCCESS) << region;
    const int n = count[region];
    if (n < 10) {
      EXPECT_TRUE(suppressed) << region << ": " << n << " transactions";
      EXPECT_TRUE(row["value"].is_null()) << region << ": a value from " << n << " transactions";
    } else {
      EXPECT_FALSE(suppressed) << region;
      EXPECT_EQ(row["value"].get_double().value(), n) << region;
    }
    ++shown[region];
  }
  // Every region with a transaction is a row, suppressed or not: none dropped, none twice.
  std::map<std::string, int> once;
  for (const auto& [region, n] : count) once[region] = 1;
  EXPECT_EQ(shown, once);

  // No record id in any public answer: no transaction's or evaluation's id is a word of them.
  for (const std::string& path :
       {std::string("/api/v1/public/indicators?") + kPart + "&by=region",
        std::string("/api/v1/public/indicators?") + kYear + "&by=dept,month",
        std::string("/api/v1/public/score?") + kYear + "&by=region",
        std::string("/api/v1/public/score?") + kPart + "&by=dept"}) {
    const Answer pub = w->Ask(kAnonymous, "GET", path);
    ASSERT_EQ(pub.status, 200) << path << "\n" << pub.body.substr(0, 300);
    std::string word;
    for (char ch : pub.body + " ") {
      if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_') {
        word += ch;
      } else {
        EXPECT_FALSE(p.record_scope.count(word) || word.rfind("EVMATRIX", 0) == 0)
            << path << ": record id " << word;
        word.clear();
      }
    }
  }
  // And no explain at all for the public: not signed in is 401, there is no public explain.
  EXPECT_EQ(w->Ask(kAnonymous, "GET",
                   std::string("/api/v1/explain?") + kYear + "&by=region&unit=" + p.district)
                .status,
            401);
  EXPECT_EQ(w->Ask(kAnonymous, "GET",
                   std::string("/api/v1/public/explain?") + kYear + "&by=region&unit=" + p.district)
                .status,
            404);
}

// ---------------------------------------------------------------------------------------------

// The forms a number may be searched in: as written, and its digits alone.
std::vector<std::string> Forms(const std::string& number) {
  std::string digits;
  for (char ch : number) {
    if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
  }
  return digits == number ? std::vector<std::string>{number}
                          : std::vector<std::string>{number, digits};
}

TEST_F(MatrixTest, NoPasswordTokenCookieOrContactInTheStoreTheLogOrAnyAnswer) {
  // The contacts are in the store (sealed): the records show the evaluations, not the numbers.
  const Answer ev =
      w->Ask(kOperator, "GET", std::string("/api/v1/records/evaluations?") + kYear + "&limit=1000");
  ASSERT_EQ(ev.status, 200);
  EXPECT_NE(ev.body.find("EVMATRIX0001"), std::string::npos) << "the import with contacts";
  EXPECT_NE(ev.body.find("请回电 ***"), std::string::npos) << "the comment, scrubbed";
  // Requests of every kind with the token too, so that it has been sent.
  EXPECT_EQ(w->Ask(kAuditor, "GET", "/api/v1/me", "", "", w->token).status, 200);
  EXPECT_EQ(
      w->Ask(kAuditor, "GET", std::string("/api/v1/indicators?") + kYear, "", "", w->token).status,
      200);

  std::vector<std::pair<std::string, std::string>> secrets;  // what, the bytes
  for (Who who : kSignedIn)
    secrets.push_back({"password of " + std::string(kUser[who]), w->Password(who)});
  secrets.push_back({"token", w->token});
  secrets.push_back({"token secret", w->token.substr(3)});
  for (const std::string& c : w->cookies) secrets.push_back({"session cookie", c});
  for (const std::string& c : w->contacts) {
    for (const std::string& f : Forms(c)) secrets.push_back({"contact " + c, f});
  }
  for (int i = 0; i < 3; ++i) {  // the comments' numbers, scrubbed at import
    secrets.push_back({"comment number", "1370000999" + std::to_string(i)});
  }
  ASSERT_GE(w->cookies.size(), 4u);  // every signed-in user's, at least (ctest runs each test alone)

  std::vector<std::pair<std::string, std::string>> places;  // where, the bytes
  for (const char* f : {"govqm.db", "govqm.db-wal", "govqm.db-shm"}) {
    if (fs::exists(w->dir + "/" + f)) places.push_back({f, ReadAll(w->dir + "/" + f)});
  }
  ASSERT_GE(places.size(), 1u);
  ASSERT_GT(places[0].second.size(), 100000u);
  places.push_back({"the server log", w->server->log()});
  for (size_t i = 0; i < w->answers.size(); ++i) {
    places.push_back({"answer " + std::to_string(i), w->answers[i]});
  }
  for (const auto& [where, bytes] : places) {
    for (const auto& [what, secret] : secrets) {
      EXPECT_EQ(bytes.find(secret), std::string::npos)
          << what << " in " << where << ": ..."
          << bytes.substr(bytes.find(secret) > 60 ? bytes.find(secret) - 60 : 0, 160);
    }
  }
}

}  // namespace
}  // namespace govqm::testing

// The HTTP API without its sockets (server::Service::Handle): request parameters, path
// parameters, credentials and bodies (sign-in JSON, import files) against a tiny store.
//
// Input: byte 0 picks the route (an index into Routes()), byte 1 the caller (a token of each
// role, a session with and without its CSRF token, a bogus token, a bogus session, nobody).
// The rest is three parts: the path parameter up to the first '\n', the query up to the next
// '\n' (name=value pairs separated by '&'; a one-byte name picks the route's declared
// parameter of that index), then the body. A one-byte path parameter picks a kind by index.
//
// Checked on every reply: the status is one the API answers (a 500 is a finding); JSON bodies
// parse; an error body is exactly {"error": {"code", "message"}} with the status's code and a
// one-line message naming nothing of the server's files; a scoped caller's indicators and
// records name no region (or department) outside its scope.
//
// Kept cheap so that CI's 40,000 inputs take about two minutes: `uncertainty` is capped at 20
// replications, and the two paths that cost tens of milliseconds each (an Argon2id sign-in,
// an import's commit) have a budget per process; inputs beyond it return early.
#include <fmt/format.h>
#include <simdjson.h>
#include <stdlib.h>  // mkdtemp
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/import.h"
#include "app/init.h"
#include "core/schema.h"
#include "fuzz_check.h"
#include "security/accounts.h"
#include "server/handlers.h"
#include "server/service.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using govqm::AccessScope;
using govqm::Role;
namespace server = govqm::server;

// The province: 450000 with city A 450100 (districts 450102, 450103) and city B 450300
// (district 450302); departments tax and health (provincial), bpolice (city B).
const std::map<std::string, std::string> kParent = {{"450000", ""},       {"450100", "450000"},
                                                    {"450102", "450100"}, {"450103", "450100"},
                                                    {"450300", "450000"}, {"450302", "450300"}};

constexpr const char* kRegionsCsv =
    "code,name,parent_code,macro_region\n"
    "450000,Province,,west\n"
    "450100,City A,450000,west\n"
    "450102,District A1,450100,west\n"
    "450103,District A2,450100,west\n"
    "450300,City B,450000,west\n"
    "450302,District B1,450300,west\n";
constexpr const char* kDepartmentsCsv =
    "code,name,region_code\n"
    "tax,Tax,450000\n"
    "health,Health,450000\n"
    "bpolice,Police of B,450300\n";
constexpr const char* kItemsCsv =
    "code,name,dept_code,statutory_days,promised_days,online_capable\n"
    "taxreg,Tax registration,tax,10,5,true\n"
    "healthcert,Health certificate,health,20,10,false\n"
    "idcard,Identity card,bpolice,30,15,true\n";

// Thirty transactions over every region, department and channel, in March 2024.
std::string TransactionsCsv() {
  static const char* const kRegion[] = {"450102", "450103", "450100", "450302",
                                        "450300", "450102", "450000"};
  static const char* const kDept[] = {"tax", "health", "bpolice", "tax", ""};
  static const char* const kItem[] = {"taxreg", "healthcert", "idcard", "taxreg", ""};
  static const char* const kChannel[] = {"web", "hall", "app"};
  static const char* const kStatus[] = {"completed", "completed", "in_progress", "completed",
                                        "rejected"};
  std::string csv =
      "id,item_code,dept_code,region_code,channel,applicant_age,submitted_at,accepted_at,"
      "completed_at,due_at,status,visits,wait_minutes,window_code\n";
  for (int i = 0; i < 30; ++i) {
    const int day = 1 + i % 25;
    const char* status = kStatus[i % 5];
    const bool done = std::string_view(status) != "in_progress";
    csv += fmt::format(
        "T{},{},{},{},{},{},2024-03-{:02d} 09:{:02d},2024-03-{:02d} 10:00,{},"
        "2024-03-{:02d},{},{},{},W{}\n",
        i + 1, kItem[i % 5], kDept[i % 5], kRegion[i % 7], kChannel[i % 3], 18 + 3 * i, day, i, day,
        done ? fmt::format("2024-03-{:02d} 16:00", day + i % 4) : "", day + 2, status, i % 3,
        5 * (i % 7), i % 2);
  }
  return csv;
}

std::string EvaluationsCsv() {
  std::string csv =
      "id,transaction_id,region_code,dept_code,evaluated_at,score,real_name,comment\n";
  static const char* const kRegion[] = {"450102", "450103", "450100", "450302",
                                        "450300", "450102", "450000"};
  static const char* const kDept[] = {"tax", "health", "bpolice", "tax", ""};
  for (int i = 0; i < 30; i += 2) {
    csv += fmt::format("E{},T{},{},{},2024-03-{:02d} 18:00,{},{},{}\n", i + 1, i + 1,
                       kRegion[i % 7], kDept[i % 5], 1 + i % 25, 1 + i % 5,
                       i % 3 == 0 ? "true" : "false", i % 4 == 0 ? "call 13812345678" : "fine");
  }
  return csv;
}

constexpr const char* kRectificationsCsv =
    "evaluation_id,event,at,actor,note\n"
    "E1,verified,2024-03-03 09:00,clerk,rang back\n"
    "E1,rectified,2024-03-05 09:00,clerk,\n";
constexpr const char* kProbesCsv =
    "target,region_code,dept_code,checked_at,ok,latency_ms\n"
    "site-a1,450102,tax,2024-03-04 09:00,true,120\n"
    "site-a1,450102,tax,2024-03-04 10:00,false,\n"
    "site-b1,450302,bpolice,2024-03-04 09:00,true,80\n";
constexpr const char* kOrgCsv =
    "unit_code,period,block,indicator,value\n"
    "450100,2024,organization,staff_ratio,0.5\n"
    "450102,2024,organization,staff_ratio,0.9\n";

// The callers an input can pick (byte 1).
struct Caller {
  std::string bearer, session, csrf;
  AccessScope scope;  // what a 200 may show
};
enum CallerIndex {
  kAdminToken,
  kSupervisorToken,
  kOperatorCityToken,
  kOperatorDistrictToken,
  kAuditorToken,
  kOperatorSession,        // with its X-CSRF-Token
  kOperatorSessionNoCsrf,  // the same session, no X-CSRF-Token
  kBogusToken,
  kBogusSession,
  kNobody,
  kCallerCount
};

struct World {
  std::string dir, db;
  std::unique_ptr<server::Service> service;
  Caller callers[kCallerCount];
  int sign_ins_left = 40;  // Argon2id verifications (about 0.2 s each under ASan)
  int imports_left = 200;  // import commits; each also grows the store
  bool verbose = std::getenv("FUZZ_API_VERBOSE") != nullptr;  // print each reply (corpus work)
};
World* g_world = nullptr;

void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz_api: setup failed: %s\n", what.c_str());
  std::abort();
}

void RemoveWorld() {
  if (g_world == nullptr) return;
  g_world->service.reset();
  std::error_code ec;
  fs::remove_all(g_world->dir, ec);
  delete g_world;
  g_world = nullptr;
}

void BuildWorld() {
  auto* w = new World;
  // tmpfs when there is one: every import and sign-in failure commits (fsync).
  const fs::path base = fs::is_directory("/dev/shm") && ::access("/dev/shm", W_OK) == 0
                            ? fs::path("/dev/shm")
                            : fs::temp_directory_path();
  std::string templ = (base / "govqm_fuzz_api_XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) Die("mkdtemp under " + base.string());
  w->dir = templ;
  w->db = w->dir + "/govqm.db";
  g_world = w;
  std::atexit(RemoveWorld);

  auto created = govqm::app::Init({w->db, "Asia/Shanghai"});
  if (!created.ok()) Die(created.status().message());
  {
    auto store = govqm::Store::Open(w->db);
    if (!store.ok()) Die(store.status().message());
    const std::vector<std::pair<const char*, std::string>> files = {
        {"regions", kRegionsCsv},
        {"departments", kDepartmentsCsv},
        {"items", kItemsCsv},
        {"transactions", TransactionsCsv()},
        {"evaluations", EvaluationsCsv()},
        {"rectifications", kRectificationsCsv},
        {"probes", kProbesCsv},
        {"org", kOrgCsv}};
    for (const auto& [kind, text] : files) {
      const std::string file = fmt::format("{}/{}.csv", w->dir, kind);
      std::ofstream(file, std::ios::binary) << text;
      govqm::app::ImportRequest r;
      r.kind = *govqm::ParseKind(kind);
      r.files = {file};
      r.atomic = true;  // a typo in the fixtures must fail here, not thin the data
      auto summary = govqm::app::Import(**store, r);
      if (!summary.ok()) Die(fmt::format("{}: {}", kind, summary.status().message()));
      if (summary->atomic_refused) Die(fmt::format("{}: rows rejected", kind));
      fs::remove(file);
    }
  }
  {
    auto accounts = govqm::security::Accounts::Open(w->db);
    if (!accounts.ok()) Die(accounts.status().message());
    struct NewUser {
      CallerIndex caller;
      const char* name;
      Role role;
      AccessScope scope;
    };
    const NewUser users[] = {
        {kAdminToken, "admin1", Role::kAdmin, {}},
        {kSupervisorToken, "super1", Role::kSupervisor, {"450300", {}}},
        {kOperatorCityToken, "oper1", Role::kOperator, {"450100", {"tax"}}},
        {kOperatorDistrictToken, "oper2", Role::kOperator, {"450102", {"tax", "health"}}},
        {kAuditorToken, "audit1", Role::kAuditor, {"450100", {}}},
    };
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (const NewUser& u : users) {
      govqm::security::UserInfo info;
      info.name = u.name;
      info.role = u.role;
      info.scope = u.scope;
      // The corpus signs in with NAME-password-1.
      govqm::Status added = (*accounts)->AddUser(info, std::string(u.name) + "-password-1");
      if (!added.ok()) Die(added.message());
      auto token = (*accounts)->CreateToken(u.name, 30, now);
      if (!token.ok()) Die(token.status().message());
      w->callers[u.caller].bearer = token->secret;
      w->callers[u.caller].scope = u.scope;
    }
  }
  const fs::path framework = fs::path(GOVQM_SOURCE_DIR) / "config" / "framework.toml";
  if (!fs::exists(framework)) Die(framework.string() + " is missing");
  server::ServeOptions options;
  options.db = w->db;
  options.framework = framework.string();
  auto service = server::Service::Open(options);
  if (!service.ok()) Die(service.status().message());
  w->service = std::move(service).value();

  auto oper = w->service->accounts().PrincipalOf("oper1");
  if (!oper.ok()) Die(oper.status().message());
  const govqm::security::NewSession session =
      w->service->sessions().Create(*oper, w->service->NowMs());
  w->callers[kOperatorSession] = {"", session.id, session.session.csrf, oper->scope};
  w->callers[kOperatorSessionNoCsrf] = {"", session.id, "", oper->scope};
  w->callers[kBogusToken].bearer = "gq_" + std::string(64, '0');
  w->callers[kBogusSession].session = std::string(64, 'f');
}

// Is `code` in the subtree of `root`? Unknown codes are in no subtree.
bool InSubtree(const std::string& code, const std::string& root) {
  for (std::string c = code; !c.empty();) {
    if (c == root) return true;
    auto it = kParent.find(c);
    if (it == kParent.end()) return false;
    c = it->second;
  }
  return false;
}

bool IsAncestor(const std::string& code, const std::string& of) {
  return code != of && InSubtree(of, code);
}

// A region label a scoped caller may see under `key`: its subtree; for a city, also the
// city the scope lies in (a group labelled by an ancestor, service.md §4).
void CheckRegion(const AccessScope& scope, std::string_view key, std::string_view value) {
  if (scope.region.empty()) return;
  const std::string v(value);
  if (InSubtree(v, scope.region)) return;
  if (key == "city" && IsAncestor(v, scope.region)) return;
  std::fprintf(stderr, "fuzz_api: %.*s %s is outside the scope %s\n", int(key.size()), key.data(),
               v.c_str(), scope.region.c_str());
  FUZZ_CHECK(false && "a region outside the caller's scope");
}

void CheckDept(const AccessScope& scope, std::string_view value) {
  if (scope.depts.empty()) return;
  for (const std::string& d : scope.depts) {
    if (d == value) return;
  }
  std::fprintf(stderr, "fuzz_api: department %.*s is outside the scope\n", int(value.size()),
               value.data());
  FUZZ_CHECK(false && "a department outside the caller's scope");
}

// The indicators JSON: an array of rows, each with its group labels as keys.
void CheckIndicatorsScope(simdjson::dom::element doc, const AccessScope& scope) {
  simdjson::dom::array rows;
  FUZZ_CHECK(doc.get_array().get(rows) == simdjson::SUCCESS);
  for (simdjson::dom::element row : rows) {
    simdjson::dom::object obj;
    FUZZ_CHECK(row.get_object().get(obj) == simdjson::SUCCESS);
    for (auto field : obj) {
      std::string_view v;
      if (field.value.get_string().get(v) != simdjson::SUCCESS) continue;  // null label
      if (field.key == "region" || field.key == "city") CheckRegion(scope, field.key, v);
      if (field.key == "dept") CheckDept(scope, v);
    }
  }
}

// The records JSON: {"columns": [...], "rows": [[...], ...]}.
void CheckRecordsScope(simdjson::dom::element doc, const AccessScope& scope) {
  simdjson::dom::array columns, rows;
  FUZZ_CHECK(doc["columns"].get_array().get(columns) == simdjson::SUCCESS);
  FUZZ_CHECK(doc["rows"].get_array().get(rows) == simdjson::SUCCESS);
  int region = -1, dept = -1, i = 0;
  for (simdjson::dom::element c : columns) {
    std::string_view name;
    FUZZ_CHECK(c.get_string().get(name) == simdjson::SUCCESS);
    if (name == "region_code") region = i;
    if (name == "dept_code") dept = i;
    ++i;
  }
  for (simdjson::dom::element row : rows) {
    simdjson::dom::array cells;
    FUZZ_CHECK(row.get_array().get(cells) == simdjson::SUCCESS);
    std::string_view v;
    if (region >= 0) {
      // A record outside every region cannot be in a scope: its region is never null there.
      if (!scope.region.empty()) {
        FUZZ_CHECK(cells.at(region).get_string().get(v) == simdjson::SUCCESS);
        CheckRegion(scope, "region_code", v);
      }
    }
    if (dept >= 0 && !scope.depts.empty()) {
      // Records without a department are outside a scope narrowed to departments.
      FUZZ_CHECK(cells.at(dept).get_string().get(v) == simdjson::SUCCESS);
      CheckDept(scope, v);
    }
  }
}

const char* CodeOf(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 429:
      return "too_many_requests";
    default:
      return "";
  }
}

// `dir` "" = no path to look for.
void CheckError(simdjson::dom::element doc, int status, const std::string& dir) {
  simdjson::dom::object top, error;
  FUZZ_CHECK(doc.get_object().get(top) == simdjson::SUCCESS);
  FUZZ_CHECK(top.size() == 1);
  FUZZ_CHECK(top["error"].get_object().get(error) == simdjson::SUCCESS);
  FUZZ_CHECK(error.size() == 2);
  std::string_view code, message;
  FUZZ_CHECK(error["code"].get_string().get(code) == simdjson::SUCCESS);
  FUZZ_CHECK(error["message"].get_string().get(message) == simdjson::SUCCESS);
  FUZZ_CHECK(code == CodeOf(status));
  FUZZ_CHECK(!message.empty());
  if (message.find('\n') != std::string_view::npos ||
      message.find('\r') != std::string_view::npos ||
      (!dir.empty() && message.find(dir) != std::string_view::npos)) {
    std::fprintf(stderr, "fuzz_api: error message: %.*s\n", int(message.size()), message.data());
    FUZZ_CHECK(false && "an error message of one line, naming no file of the server");
  }
}

// "name=value&..." into the call's query; false for a parameter given twice (the HTTP adapter
// refuses those before Service sees them).
bool ParseQuery(std::string_view text, const server::Route& route,
                std::map<std::string, std::string>* query) {
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string name(pair.substr(0, eq));
    const std::string value(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (name.size() == 1 && !route.params.empty()) {
      name = route.params[static_cast<unsigned char>(name[0]) % route.params.size()].name;
    }
    if (!query->emplace(name, value).second) return false;
  }
  return true;
}

// At most 20 replications of the uncertainty analysis: each is a whole scoring run.
void CapUncertainty(std::map<std::string, std::string>* query) {
  auto it = query->find("uncertainty");
  if (it == query->end()) return;
  try {
    size_t used = 0;
    const long long n = std::stoll(it->second, &used);
    if (used == it->second.size() && n > 20) it->second = "20";
  } catch (const std::exception&) {
    // not a number: the request's own error path
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  BuildWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  World& w = *g_world;
  const std::vector<server::Route>& routes = server::Routes();
  const size_t index = data[0] % routes.size();
  const server::Route& route = routes[index];
  const CallerIndex who = static_cast<CallerIndex>(data[1] % kCallerCount);
  const Caller& caller = w.callers[who];
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);

  const size_t nl1 = rest.find('\n');
  std::string_view path_param = rest.substr(0, nl1);
  rest = nl1 == std::string_view::npos ? std::string_view() : rest.substr(nl1 + 1);
  const size_t nl2 = rest.find('\n');
  const std::string_view query_text = rest.substr(0, nl2);
  const std::string_view body =
      nl2 == std::string_view::npos ? std::string_view() : rest.substr(nl2 + 1);

  server::Call call;
  call.method = route.method;
  const std::string_view path(route.path);
  if (path.find('{') != std::string_view::npos) {
    // The router matches a placeholder with [^/]+.
    if (path_param.empty() || path_param.find('/') != std::string_view::npos) return 0;
    if (path_param.size() == 1) {
      const auto kind =
          static_cast<govqm::Kind>(static_cast<unsigned char>(path_param[0]) % govqm::kKindCount);
      path_param = govqm::GetKindDef(kind).name;
    }
    call.path_params.emplace_back(path_param);
  }
  if (!ParseQuery(query_text, route, &call.query)) return 0;
  CapUncertainty(&call.query);
  call.body.assign(body);
  call.bearer = caller.bearer;
  call.session = caller.session;
  call.csrf = caller.csrf;

  if (route.handler == server::SignIn) {
    // Only a body naming a user and a password costs an Argon2id verification.
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    std::string_view u, p;
    const bool full = parser.parse(call.body).get(doc) == simdjson::SUCCESS &&
                      doc["user"].get_string().get(u) == simdjson::SUCCESS &&
                      doc["password"].get_string().get(p) == simdjson::SUCCESS;
    if (full && w.sign_ins_left-- <= 0) return 0;
  }
  if (route.import_body && (who == kAdminToken || who == kOperatorCityToken ||
                            who == kOperatorDistrictToken || who == kOperatorSession)) {
    if (call.body.size() > 4096) return 0;
    // Reference data would change the region tree the scope checks use.
    if (call.path_params[0] == "regions") return 0;
    if (w.imports_left-- <= 0) return 0;
  }

  const server::Reply reply = w.service->Handle(index, call);
  if (w.verbose) {
    std::fprintf(stderr, "fuzz_api: %s %s -> %d %.400s\n", route.method, route.path, reply.status,
                 reply.text().c_str());
  }
  if (route.handler == server::SignOut && who == kOperatorSession && reply.status == 200) {
    // Signed out: the next inputs get a new session of the same user.
    auto oper = w.service->accounts().PrincipalOf("oper1");
    FUZZ_CHECK(oper.ok());
    const govqm::security::NewSession s = w.service->sessions().Create(*oper, w.service->NowMs());
    w.callers[kOperatorSession].session = w.callers[kOperatorSessionNoCsrf].session = s.id;
    w.callers[kOperatorSession].csrf = s.session.csrf;
  }

  static const std::set<int> kStatuses = {200, 400, 401, 403, 404, 409, 413, 429};
  if (!kStatuses.count(reply.status)) {
    std::fprintf(stderr, "fuzz_api: %s %s answered %d: %s\n", route.method, route.path,
                 reply.status, reply.text().c_str());
    FUZZ_CHECK(false && "a status the API does not answer (a 500 is a finding)");
  }
  if (reply.content_type != "application/json") {
    FUZZ_CHECK(reply.status == 200);  // errors are JSON
    return 0;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(reply.text()).get(doc) != simdjson::SUCCESS) {
    std::fprintf(stderr, "fuzz_api: %s %s answered %d with invalid JSON: %s\n", route.method,
                 route.path, reply.status, reply.text().c_str());
    FUZZ_CHECK(false && "a JSON reply that parses");
  }
  if (reply.status != 200) {
    // An atomic import refused for its rejects answers 409 with the error object and, beside
    // it, the summary (what was rejected).
    simdjson::dom::element id;
    if (route.import_body && reply.status == 409 &&
        doc["import"]["import_id"].get(id) == simdjson::SUCCESS) {
      simdjson::dom::object top;
      FUZZ_CHECK(doc.get_object().get(top) == simdjson::SUCCESS && top.size() == 2);
      simdjson::dom::element error;
      FUZZ_CHECK(doc["error"]["code"].get(error) == simdjson::SUCCESS);
      return 0;
    }
    // The temp dir's path in the input (libFuzzer learns it from the check's comparison) is
    // the client's own text echoed, not a leak.
    const bool dir_given =
        std::string_view(reinterpret_cast<const char*>(data), size).find(w.dir) !=
        std::string_view::npos;
    CheckError(doc, reply.status, dir_given ? "" : w.dir);
    return 0;
  }
  if (route.handler == server::GetIndicators) CheckIndicatorsScope(doc, caller.scope);
  if (route.handler == server::GetRecords) CheckRecordsScope(doc, caller.scope);
  return 0;
}

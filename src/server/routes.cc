// The route table (service.md §3) and the OpenAPI document made from it.
#include <fmt/format.h>

#include <algorithm>

#include "app/render/json.h"
#include "server/handlers.h"

namespace govqm::server {
namespace {

constexpr Role kAdmin = Role::kAdmin, kSupervisor = Role::kSupervisor,
               kOperator = Role::kOperator, kAuditor = Role::kAuditor, kAnyone = Role::kPublic;

const std::vector<Role> kScoped = {kAdmin, kSupervisor, kOperator, kAuditor};

const Param kFrom{"from", "start of the period (a local date or an ISO 8601 time), inclusive"};
const Param kTo{"to", "end of the period, exclusive"};
const Param kTz{"tz", "IANA time zone of the dates (default: the store's)"};
const Param kBy{"by", "group keys, comma-separated (region, city, dept, item, window, channel, "
                      "mode, age_band, macro_region, day, month)"};
const Param kFramework{"framework", "a framework file of the server, by name (default: the "
                                    "server's framework)"};

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = {
      {"POST", "/api/v1/session", "Sign in: sets the session cookie", {kAnyone}, {}, SignIn},
      {"DELETE", "/api/v1/session", "Sign out", kScoped, {}, SignOut},
      {"GET", "/api/v1/me", "Who is signed in", kScoped, {}, Me},
      {"GET", "/api/v1/indicators", "Indicators per group, as `indicators --format json`", kScoped,
       {kFrom, kTo, kTz, kBy, {"only", "indicator codes, comma-separated (default: all)"}},
       GetIndicators, true},
      {"GET", "/api/v1/score", "Scores per unit, as `score --format json`", kScoped,
       {kFrom, kTo, kTz, kBy, kFramework,
        {"uncertainty", "replications of the rank uncertainty analysis"},
        {"seed", "seed of the uncertainty analysis"},
        {"spread", "relative spread of the perturbed weights, in [0, 1)"},
        {"switch-normalisation", "1: also switch the normalisation method"}},
       GetScore, true},
      {"GET", "/api/v1/explain", "One unit's score down to its records, as `explain --format json`",
       kScoped,
       {kFrom, kTo, kTz, kBy, kFramework, {"unit", "the unit to explain"},
        {"cell", "a cell STAGE/DIMENSION"}, {"stage", "a stage"}, {"dimension", "a dimension"},
        {"block", "a block"}, {"node", "a node by code"}},
       GetExplain, true},
      {"GET", "/api/v1/diagnosis",
       "One unit's weak points, difficulties, pain points and highlights among its peers, as "
       "`diagnose --format json` (an auditor gets no example comments)",
       kScoped,
       {kFrom, kTo, kTz, kBy, kFramework, {"unit", "the unit to diagnose"},
        {"stopwords", "a stop-word list of the server, by name (default stopwords-zh)"}},
       GetDiagnosis, true},
      {"GET", "/api/v1/reports/bulletin",
       "The bulletin (月报/季报) as a file: one self-contained HTML page or an XLSX workbook, "
       "over the caller's scope (an auditor gets no example comments); alerts of the server's "
       "rules at the period's end",
       kScoped,
       {kFrom, kTo, kTz, {"by", "the units' group key (region, city, dept, ...)"}, kFramework,
        {"format", "html (default) or xlsx"}, {"lang", "zh (default) or en"},
        {"top", "the size of each red and black list, 1 to 100 (default 5)"},
        {"stopwords", "a stop-word list of the server, by name (default stopwords-zh)"}},
       GetBulletin},
      {"GET", "/api/v1/same-source",
       "Department guide publications that differ from the platform's, per department and "
       "key field, in the caller's scope (by the platform publication)",
       kScoped,
       {{"to", "compare the publications before this instant (default: all)"}, kTz,
        {"dept", "one department (the platform publication's)"}},
       GetSameSource, true},
      {"GET", "/api/v1/disparity", "Disparity between units, as `disparity --format json`", kScoped,
       {kFrom, kTo, kTz, kBy, kFramework, {"indicator", "an indicator code"},
        {"score", "a score level"}, {"within", "a group key for the Theil decomposition"}},
       GetDisparity, true},
      {"GET", "/api/v1/weights", "The framework's weights, as `weights --format json`", kScoped,
       {kFrom, kTo, kTz, kBy, kFramework}, GetWeights, true},
      {"POST", "/api/v1/imports/{kind}", "Import a file (the body) of one kind", {kAdmin, kOperator},
       {{"map", "a column mapping of the server, by name"},
        {"atomic", "1: any rejected record refuses the whole import"},
        {"tz", "time zone of times without an offset"},
        {"encoding", "auto, utf-8, gb18030 or latin1"},
        {"filename", "the file's name (its extension says CSV or NDJSON)"}},
       PostImport, false, true},
      {"GET", "/api/v1/imports/{import_id}/rejects", "An import's rejected rows, as CSV",
       {kAdmin, kSupervisor, kOperator}, {}, GetRejects},
      {"GET", "/api/v1/records/{kind}",
       "Record-level rows of one kind in the caller's scope, masked; every read is audited",
       {kAdmin, kSupervisor, kOperator},
       {kFrom, kTo, kTz, {"region", "a region (its subtree)"}, {"dept", "a department"},
        {"item", "an item"}, {"limit", "rows per page, 1 to 1000 (default 100)"},
        {"offset", "rows to skip (default 0)"}},
       GetRecords},
      {"GET", "/api/v1/cases",
       "Cases (real-name bad reviews) in the caller's scope at an instant, as `cases list "
       "--format json`; record-level, so every read is audited",
       {kAdmin, kSupervisor, kOperator},
       {kTz, {"at", "the instant (a local date or an ISO 8601 time; default: now)"},
        {"state", "open, verified, rectified, revisited, closed or invalid"},
        {"overdue", "1: only cases overdue at `at`"},
        {"by", "region or dept: one line per group instead of per case"}},
       GetCases},
      {"GET", "/api/v1/cases/{id}",
       "One case with its history, as `cases show --format json`; to an operator or "
       "supervisor also the citizen's contact for the revisit (every reveal audited)",
       {kAdmin, kSupervisor, kOperator},
       {kTz, {"at", "the instant (default: now)"}}, GetCase},
      {"POST", "/api/v1/cases/{id}/actions",
       "Take a step on a case: body {\"action\", \"note\", \"reason\", \"revisit_score\"}; "
       "invalidate needs a supervisor and a reason; a step out of order is 409",
       {kSupervisor, kOperator}, {}, PostCaseAction},
      {"GET", "/api/v1/alerts",
       "Alerts of the server's rules over a period, as `alerts --format json`", kScoped,
       {kFrom, kTo, kTz,
        {"at", "the instant of the deadline warnings (default: none)"}},
       GetAlerts},
      {"GET", "/api/v1/public/indicators",
       "Indicators for the public: a value from fewer than 10 records is suppressed", {kAnyone},
       {kFrom, kTo, kTz, kBy, {"only", "indicator codes, comma-separated (default: all)"}},
       GetPublicIndicators, true},
      {"GET", "/api/v1/public/score",
       "Scores for the public, from unsuppressed values only", {kAnyone},
       {kFrom, kTo, kTz, kBy}, GetPublicScore, true},
      {"GET", "/api/v1/audit", "Audit log entries", {kAdmin, kAuditor},
       {{"from", "entries at or after this time"}, {"to", "entries before this time"}, kTz},
       GetAudit},
      {"GET", "/api/v1/users", "Users with their roles and scopes", {kAdmin}, {}, GetUsers},
      {"POST", "/api/v1/users",
       "Add a user: body {\"name\", \"role\", \"password\", \"region\", \"depts\"}; 201 "
       "with the user; a taken name is 409",
       {kAdmin}, {}, PostUser},
      {"POST", "/api/v1/users/{name}/disable",
       "Disable a user: its sessions and tokens stop at once; an admin cannot disable itself",
       {kAdmin}, {}, PostUserDisable},
      {"GET", "/api/v1/openapi.json", "This document", {kAnyone}, {}, GetOpenApi},
      {"GET", "/healthz", "200 ok while the store is readable", {kAnyone}, {}, GetHealth},
      {"GET", "/metrics", "Prometheus metrics", {kAnyone}, {}, GetMetrics},
  };
  return routes;
}

std::string OpenApiDocument() {
  using render::JsonString;
  // Paths with their operations, in table order.
  std::vector<std::pair<std::string, std::vector<const Route*>>> paths;
  for (const Route& r : Routes()) {
    auto it = std::find_if(paths.begin(), paths.end(), [&](auto& p) { return p.first == r.path; });
    if (it == paths.end()) {
      paths.push_back({r.path, {&r}});
    } else {
      it->second.push_back(&r);
    }
  }
  std::string out =
      "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"govqm\",\"version\":\"1\","
      "\"description\":\"Government service quality monitoring (service.md §3). Errors are "
      "{\\\"error\\\": {\\\"code\\\", \\\"message\\\"}}.\"},"
      "\"components\":{\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"},"
      "\"session\":{\"type\":\"apiKey\",\"in\":\"cookie\",\"name\":\"govqm_session\"}},"
      "\"schemas\":{\"Error\":{\"type\":\"object\",\"properties\":{\"error\":{\"type\":\"object\","
      "\"properties\":{\"code\":{\"type\":\"string\",\"enum\":[\"bad_request\","
      "\"unauthenticated\",\"forbidden\",\"not_found\",\"conflict\",\"payload_too_large\","
      "\"too_many_requests\",\"internal\"]},\"message\":{\"type\":\"string\"}}}}}}},"
      "\"paths\":{";
  for (size_t p = 0; p < paths.size(); ++p) {
    out += (p ? "," : "") + JsonString(paths[p].first) + ":{";
    for (size_t o = 0; o < paths[p].second.size(); ++o) {
      const Route& r = *paths[p].second[o];
      std::string method = r.method;
      std::transform(method.begin(), method.end(), method.begin(), ::tolower);
      std::string roles;
      bool anyone = false;
      for (Role role : r.roles) {
        anyone = anyone || role == Role::kPublic;
        roles += (roles.empty() ? "" : ", ") + std::string(RoleName(role));
      }
      std::string params;
      // Path placeholders first, then the query parameters.
      const std::string path(r.path);
      for (size_t b = path.find('{'); b != std::string::npos; b = path.find('{', b + 1)) {
        const size_t e = path.find('}', b);
        params += (params.empty() ? "" : ",") +
                  fmt::format("{{\"name\":{},\"in\":\"path\",\"required\":true,"
                              "\"schema\":{{\"type\":\"string\"}}}}",
                              JsonString(path.substr(b + 1, e - b - 1)));
      }
      for (const Param& q : r.params) {
        params += (params.empty() ? "" : ",") +
                  fmt::format("{{\"name\":{},\"in\":\"query\",\"description\":{},"
                              "\"schema\":{{\"type\":\"string\"}}}}",
                              JsonString(q.name), JsonString(q.description));
      }
      out += fmt::format(
          "{}{}:{{\"summary\":{},\"description\":{},\"parameters\":[{}],{}"
          "\"responses\":{{\"200\":{{\"description\":\"OK\"}},\"default\":{{\"description\":"
          "\"An error\",\"content\":{{\"application/json\":{{\"schema\":{{\"$ref\":"
          "\"#/components/schemas/Error\"}}}}}}}}}}}}",
          o ? "," : "", JsonString(method), JsonString(r.summary),
          JsonString(anyone ? "Anyone." : "Roles: " + roles + "."), params,
          anyone ? "\"security\":[],"
                 : "\"security\":[{\"bearer\":[]},{\"session\":[]}],");
    }
    out += "}";
  }
  return out + "}}";
}

}  // namespace govqm::server

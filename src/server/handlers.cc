#include "server/handlers.h"
#include "server/handler_support.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <simdjson.h>
#include <sstream>

#include "app/common.h"
#include "app/disparity.h"
#include "app/explain.h"
#include "app/import.h"
#include "app/indicators.h"
#include "app/public_view.h"
#include "app/records.h"
#include "app/render/accounts.h"
#include "app/render/disparity.h"
#include "app/render/explain.h"
#include "app/render/diagnosis.h"
#include "app/render/same_source.h"
#include "app/diagnose.h"
#include "app/bulletin.h"
#include "app/render/bulletin_html.h"
#include "app/render/bulletin_xlsx.h"
#include "platform/xlsx.h"
#include "app/render/import.h"
#include "app/render/indicators.h"
#include "app/render/json.h"
#include "app/render/records.h"
#include "app/render/score.h"
#include "app/render/weights.h"
#include "app/score.h"
#include "app/weights.h"
#include "cli/requests.h"
#include "core/schema.h"
#include "ingest/encoding.h"
#include "platform/data_dir.h"
#include "platform/file.h"

namespace govqm::server {
namespace {

namespace fs = std::filesystem;
using render::JsonString;



std::string ScopeKey(const Principal& who) {
  std::string key = fmt::format("{}|{}|", RoleName(who.role), who.scope.region);
  for (const std::string& d : who.scope.depts) key += d + ",";
  return key;
}

std::string CanonicalQuery(const Call& call) {
  std::string q;
  for (const auto& [k, v] : call.query) q += k + "=" + v + "&";  // std::map: sorted
  return q;
}

// A data route's answer: from the cache when the store is as it was, else computed once.
Reply Cached(Service& s, const char* route, const Call& call, const Principal& who,
             const std::function<Result<std::string>(const Store&)>& compute) {
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto generation = (*lease)->CommitCounter();
  if (!generation.ok()) return StatusReply(generation.status());
  const std::string key = fmt::format("{}?{}|{}", route, CanonicalQuery(call), ScopeKey(who));
  auto answer = s.cache().Get(*generation, key, [&] {
    auto body = compute(**lease);
    if (!body.ok()) return CachedAnswer{body.status(), {}};
    if (body->empty() || body->back() != '\n') *body += '\n';
    return CachedAnswer{Status::Ok(), std::move(body).value()};
  });
  if (!answer->status.ok()) return StatusReply(answer->status);
  Reply r;
  // Aliasing: the reply keeps the cached answer alive while it is sent, and copies nothing.
  r.shared_body = std::shared_ptr<const std::string>(answer, &answer->body);
  return r;
}

std::string ScopeJson(const AccessScope& scope) {
  return fmt::format("{{\"region\":{},\"depts\":{}}}",
                     scope.region.empty() ? "null" : JsonString(scope.region),
                     render::JsonStrings(scope.depts));
}

std::string PrincipalJson(const Principal& p, const std::string& csrf) {
  return fmt::format("{{\"user\":{},\"role\":{},\"scope\":{},\"csrf\":{}}}", JsonString(p.user),
                     JsonString(RoleName(p.role)), ScopeJson(p.scope), JsonString(csrf));
}

std::string CookieOf(const std::string& id, bool tls, bool clear) {
  return fmt::format("govqm_session={}; Path=/; HttpOnly; SameSite=Strict{}{}", id,
                     tls ? "; Secure" : "", clear ? "; Max-Age=0" : "");
}

Result<app::LoadedFramework> FrameworkOf(Service& s, const Call& call) {
  auto it = call.query.find("framework");
  GOVQM_ASSIGN_OR_RETURN(const std::string file,
                         s.FrameworkFile(it == call.query.end() ? "" : it->second));
  return app::LoadFramework(file, {});
}

// A file of the installation named by the API: a name, never a path.
bool PlainName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '.') return false;
  for (char c : name) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

}  // namespace

Reply Json(std::string body) {
  Reply r;
  r.body = std::move(body);
  if (r.body.empty() || r.body.back() != '\n') r.body += '\n';
  return r;
}

cli::Args ArgsOf(const Call& call, const cli::ArgSpec& spec) {
  cli::Args args;
  for (const auto& [name, value] : call.query) {
    if (spec.flags.count(name)) {
      if (value != "0" && value != "false") args.flags.insert(name);
    } else {
      args.values[name] = value;
    }
  }
  return args;
}

Reply SignIn(Service& s, const Call& call, const Principal&) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view user, password;
  if (parser.parse(call.body).get(doc) != simdjson::SUCCESS ||
      doc["user"].get_string().get(user) != simdjson::SUCCESS ||
      doc["password"].get_string().get(password) != simdjson::SUCCESS) {
    return ErrorReply(400, "the body must be {\"user\": …, \"password\": …}");
  }
  const std::string name(user);
  auto p = s.accounts().SignIn(name, std::string(password), s.NowMs());
  Principal actor;
  actor.user = name;
  if (!p.ok()) {
    // Logged under the name given, known or not: the log shows attempts on any name.
    Status audited = s.Audit(actor, "login.failure", name, "");
    if (!audited.ok()) return StatusReply(audited);
    Reply r = ErrorReply(401, p.status().message());
    return r;
  }
  Status audited = s.Audit(*p, "login.success", name, std::string(RoleName(p->role)));
  if (!audited.ok()) return StatusReply(audited);
  const security::NewSession session = s.sessions().Create(*p, s.NowMs());
  Reply r = Json(PrincipalJson(*p, session.session.csrf));
  r.headers.emplace_back("Set-Cookie", CookieOf(session.id, call.tls, false));
  r.user = name;
  return r;
}

Reply SignOut(Service& s, const Call& call, const Principal& who) {
  if (!call.session.empty()) s.sessions().Remove(call.session);
  Status audited = s.Audit(who, "logout", who.user, "");
  if (!audited.ok()) return StatusReply(audited);
  Reply r = Json("{}");
  r.headers.emplace_back("Set-Cookie", CookieOf("", call.tls, true));
  return r;
}

Reply Me(Service& s, const Call& call, const Principal& who) {
  std::string csrf;
  if (!call.session.empty()) {
    auto session = s.sessions().Find(call.session, s.NowMs());
    if (session.ok()) csrf = session->csrf;
  }
  return Json(PrincipalJson(who, csrf));
}

Reply GetIndicators(Service& s, const Call& call, const Principal& who) {
  const cli::Args args = ArgsOf(call, cli::IndicatorsSpec());
  auto request = cli::IndicatorsRequestOf(args);
  if (!request.ok()) return StatusReply(request.status());
  request->scope = who.scope;
  return Cached(s, "indicators", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(const app::IndicatorsResult result, app::Indicators(store, *request));
    return render::IndicatorsJson(result);
  });
}

Reply GetScore(Service& s, const Call& call, const Principal& who) {
  auto request = cli::ScoreRequestOf(ArgsOf(call, cli::ScoreSpec()));
  if (!request.ok()) return StatusReply(request.status());
  request->input.scope = who.scope;
  return Cached(s, "score", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, FrameworkOf(s, call));
    GOVQM_ASSIGN_OR_RETURN(const app::ScoreOutput out, app::Score(std::move(fw), *request, &store));
    return render::ScoreJson(out);
  });
}

Reply GetExplain(Service& s, const Call& call, const Principal& who) {
  auto request = cli::ExplainRequestOf(ArgsOf(call, cli::ExplainSpec()));
  if (!request.ok()) return StatusReply(request.status());
  request->input.scope = who.scope;
  request->show_records = who.role != Role::kAuditor;  // an auditor sees no record-level data
  return Cached(s, "explain", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, FrameworkOf(s, call));
    GOVQM_ASSIGN_OR_RETURN(const app::ExplainOutput out,
                           app::Explain(std::move(fw), *request, &store));
    return render::ExplainJson(out);
  });
}

// The unit's 弱点/难点/痛点/亮点 (service.md §9); an auditor gets the counts without the
// example comments, as from explain.
Reply GetDiagnosis(Service& s, const Call& call, const Principal& who) {
  auto request = cli::DiagnoseRequestOf(ArgsOf(call, cli::DiagnoseSpec()));
  if (!request.ok()) return StatusReply(request.status());
  request->input.scope = who.scope;
  request->show_records = who.role != Role::kAuditor;
  if (auto it = call.query.find("stopwords"); it != call.query.end()) {
    // A list of the installation (DATA_DIR/diagnosis), by name only.
    if (!PlainName(it->second)) {
      return ErrorReply(400, "stopwords names a stop-word list of the server, not a path");
    }
    std::filesystem::path file = std::filesystem::path(platform::DataDir()) / "diagnosis" / it->second;
    if (file.extension() != ".txt") file += ".txt";
    if (!std::filesystem::exists(file)) {
      return ErrorReply(404, fmt::format("no stop-word list '{}'", it->second));
    }
    request->stopwords_file = file.string();
  }
  return Cached(s, "diagnosis", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, FrameworkOf(s, call));
    GOVQM_ASSIGN_OR_RETURN(const app::DiagnoseResult out,
                           app::Diagnose(store, std::move(fw), *request));
    return render::DiagnosisJson(out);
  });
}

// The bulletin as a file (service.md §10): the caller's scope, for an auditor no example
// comments; the server's alert rules and [closed_loop] deadlines. Not cached: its bodies are
// large and each is asked for rarely.
Reply GetBulletin(Service& s, const Call& call, const Principal& who) {
  for (const char* own : {"alert-rules", "config", "out", "db", "as"}) {
    if (call.query.count(own)) {
      return ErrorReply(400, fmt::format("{} is the server's own, not a parameter", own));
    }
  }
  const cli::Args args = ArgsOf(call, cli::ReportSpec());
  const std::string format = args.Get("format", "html");
  if (format != "html" && format != "xlsx") {
    return ErrorReply(400, fmt::format("format must be html or xlsx, not '{}'", format));
  }
  auto lang = cli::LangOf(args);
  if (!lang.ok()) return StatusReply(lang.status());
  std::string rules_file;  // the server's rules are read once, at start
  auto request = cli::BulletinRequestOf(args, &rules_file);
  if (!request.ok()) return StatusReply(request.status());
  if (auto it = call.query.find("stopwords"); it != call.query.end()) {
    if (!PlainName(it->second)) {
      return ErrorReply(400, "stopwords names a stop-word list of the server, not a path");
    }
    fs::path file = fs::path(platform::DataDir()) / "diagnosis" / it->second;
    if (file.extension() != ".txt") file += ".txt";
    if (!fs::exists(file)) return ErrorReply(404, fmt::format("no stop-word list '{}'", it->second));
    request->stopwords_file = file.string();
  }
  if (s.alert_rules() != nullptr) request->rules = *s.alert_rules();
  request->deadlines = s.options().deadlines;
  request->input.scope = who.scope;
  request->show_records = who.role != Role::kAuditor;
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto fw = FrameworkOf(s, call);
  if (!fw.ok()) return StatusReply(fw.status());
  auto data = app::Bulletin(**lease, std::move(fw).value(), *request);
  if (!data.ok()) return StatusReply(data.status());
  Reply r;
  if (format == "html") {
    r.body = render::BulletinHtml(*data, *lang);
    r.content_type = "text/html; charset=utf-8";
  } else {
    auto bytes = platform::XlsxBytes(render::BulletinWorkbook(*data, *lang));
    if (!bytes.ok()) return StatusReply(bytes.status());
    r.body = std::move(bytes).value();
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" +
                                                    render::BulletinFileName(*data, format) + "\"");
  return r;
}

// Department publications that differ from the platform's (domain.md §3), per department
// and field, in the caller's scope (by the platform publication's region and department).
Reply GetSameSource(Service& s, const Call& call, const Principal& who) {
  app::SameSourceRequest request;
  for (auto [name, into] : {std::pair{"to", &request.to}, {"tz", &request.zone},
                            {"dept", &request.dept}}) {
    if (auto it = call.query.find(name); it != call.query.end()) *into = it->second;
  }
  request.scope = who.scope;
  return Cached(s, "same-source", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(const app::SameSourceResult out, app::SameSource(store, request));
    return render::SameSourceJson(out);
  });
}

Reply GetDisparity(Service& s, const Call& call, const Principal& who) {
  auto request = cli::DisparityRequestOf(ArgsOf(call, cli::DisparitySpec()));
  if (!request.ok()) return StatusReply(request.status());
  request->input.scope = who.scope;
  return Cached(s, "disparity", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(const app::LoadedFramework fw, FrameworkOf(s, call));
    GOVQM_ASSIGN_OR_RETURN(const app::DisparityOutput out, app::Disparity(fw, *request, &store));
    return render::DisparityJson(out);
  });
}

Reply GetWeights(Service& s, const Call& call, const Principal& who) {
  auto request = cli::WeightsRequestOf(ArgsOf(call, cli::WeightsSpec()));
  if (!request.ok()) return StatusReply(request.status());
  request->input.scope = who.scope;
  return Cached(s, "weights", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, FrameworkOf(s, call));
    GOVQM_ASSIGN_OR_RETURN(
        const app::WeightsOutput out,
        app::Weights(std::move(fw), *request, request->has_data ? &store : nullptr));
    return render::WeightsJson(out);
  });
}

namespace {


void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  for (size_t at = text->find(from); at != std::string::npos;
       at = text->find(from, at + to.size())) {
    text->replace(at, from.size(), to);
  }
}

// An import's error names the upload by its path on the server (the use case reads a file);
// the client knows it by the name it gave, and the server's directories are none of its
// business (service.md §3: no internals in a reply).
Status ForClient(const Status& status, const std::string& upload, const std::string& name,
                 const std::string& dir) {
  std::string message = status.message();
  ReplaceAll(&message, upload, name);
  ReplaceAll(&message, dir + "/", "");
  ReplaceAll(&message, dir, "the upload");
  return Status(status.code(), std::move(message));
}

std::string RandomId() {
  unsigned char raw[12];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return hex;
}

// One import at a time (service.md §2): a second gets 429 while the first runs.
struct ImportTurn {
  explicit ImportTurn(std::atomic<bool>& flag) : flag_(flag) {
    bool expected = false;
    held = flag_.compare_exchange_strong(expected, true);
  }
  ~ImportTurn() {
    if (held) flag_ = false;
  }
  bool held = false;

 private:
  std::atomic<bool>& flag_;
};

}  // namespace

Reply PostImport(Service& s, const Call& call, const Principal& who) {
  const auto kind = ParseKind(call.path_params.at(0));
  if (!kind) return ErrorReply(404, fmt::format("no kind '{}'", call.path_params.at(0)));
  if (who.role == Role::kOperator && !who.scope.unrestricted() &&
      (*kind == Kind::kRegions || *kind == Kind::kDepartments || *kind == Kind::kItems)) {
    return ErrorReply(403, "an operator imports records of their own scope, not reference data");
  }
  ImportTurn turn(s.import_running());
  if (!turn.held) return ErrorReply(429, "another import is running; try again when it is done");

  app::ImportRequest request;
  request.kind = *kind;
  auto param = [&](const char* name) {
    auto it = call.query.find(name);
    return it == call.query.end() ? std::string() : it->second;
  };
  request.atomic = param("atomic") == "1" || param("atomic") == "true";
  request.zone = param("tz");
  const auto encoding = ParseEncodingName(param("encoding").empty() ? "auto" : param("encoding"));
  if (!encoding) return ErrorReply(400, "encoding must be auto, utf-8, gb18030 or latin1");
  request.encoding = *encoding;
  const std::string map = param("map");
  if (!map.empty()) {
    if (!PlainName(map)) return ErrorReply(400, "map names a mapping of the server, not a path");
    // A mapping of the installation (DATA_DIR/mappings), by name only.
    const std::string data_dir = platform::DataDir();
    fs::path file = fs::path(data_dir) / "mappings" / map;
    if (file.extension() != ".toml") file += ".toml";
    if (data_dir.empty() || !fs::exists(file)) {
      return ErrorReply(404, fmt::format("no mapping '{}'", map));
    }
    request.map_file = file.string();
  }
  std::string name = param("filename");
  if (name.empty()) name = std::string(GetKindDef(*kind).name) + ".csv";
  if (!PlainName(name)) return ErrorReply(400, "filename must be a plain file name");

  const std::string id = RandomId();
  const fs::path dir = fs::path(s.imports_dir()) / id;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return StatusReply(Status::Io(fmt::format("{}: {}", dir.string(), ec.message())));
  ::chmod(dir.c_str(), 0700);
  const fs::path upload = dir / name;
  if (!call.body_file.empty()) {
    fs::rename(call.body_file, upload, ec);
    if (ec) return StatusReply(Status::Io(fmt::format("{}: {}", upload.string(), ec.message())));
  } else {
    Status w = platform::WriteFileAtomic(upload.string(), call.body, nullptr, 0600);
    if (!w.ok()) return StatusReply(w);
  }
  Status owner = platform::WriteFileAtomic((dir / "owner").string(), who.user + "\n", nullptr, 0600);
  if (!owner.ok()) return StatusReply(owner);
  request.files = {upload.string()};
  request.rejects.dir = dir.string();
  // An operator imports for its own scope (service.md §3): records of another are refused.
  request.scope = who.scope;

  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto summary = app::Import(**lease, request);
  // The upload is not kept: it may hold personal data, and the store now has what is valid.
  fs::remove(upload, ec);
  if (!summary.ok()) {
    fs::remove_all(dir, ec);  // a refused import leaves nothing behind (it has no rejects)
    return StatusReply(ForClient(summary.status(), upload.string(), name, dir.string()));
  }
  Status audited = s.Audit(who, "import", std::string(GetKindDef(*kind).name),
                           fmt::format("import {}: {} read, {} loaded, {} rejected", id,
                                       summary->read, summary->loaded, summary->rejected));
  if (!audited.ok()) return StatusReply(audited);
  // Paths on the server mean nothing to a client: the rejects are at their route.
  app::ImportSummary shown = *summary;
  const std::string rejects_route = fmt::format("/api/v1/imports/{}/rejects", id);
  if (!shown.rejects_file.empty()) shown.rejects_file = rejects_route;
  for (auto& f : shown.files) {
    f.file = name;
    if (!f.rejects_file.empty()) f.rejects_file = rejects_route;
  }
  std::string json = render::ImportJson(shown);
  json.insert(1, fmt::format("\"import_id\":{},", JsonString(id)));
  Reply r = Json(json);
  if (summary->atomic_refused) {
    // The error object of every failure, and beside it the summary: what was rejected, and
    // where its rejects are (the message names their route too).
    r = ErrorReply(409, app::AtomicRefusal(shown).message());
    while (!r.body.empty() && (r.body.back() == '\n' || r.body.back() == '}')) r.body.pop_back();
    r.body += "}, \"import\": " + json + "}\n";
  }
  return r;
}

Reply GetRejects(Service& s, const Call& call, const Principal& who) {
  const std::string& id = call.path_params.at(0);
  if (!PlainName(id)) return ErrorReply(404, "no such import");
  const fs::path dir = fs::path(s.imports_dir()) / id;
  auto owner = platform::ReadFile((dir / "owner").string());
  if (!owner.ok()) return ErrorReply(404, "no such import");
  std::string importer = *owner;
  while (!importer.empty() && importer.back() == '\n') importer.pop_back();
  if (who.role != Role::kAdmin && who.user != importer) {
    return ErrorReply(403, "only who imported, or an admin, may read an import's rejects");
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (file.size() > 12 && file.ends_with(".rejects.csv")) {
      auto csv = platform::ReadFile(entry.path().string());
      if (!csv.ok()) return StatusReply(csv.status());
      Status audited = s.Audit(who, "rejects.read", id, "");
      if (!audited.ok()) return StatusReply(audited);
      Reply r;
      r.content_type = "text/csv; charset=utf-8";
      r.body = *csv;
      return r;
    }
  }
  return ErrorReply(404, "this import rejected nothing");
}

// The audit log, as `audit list --format json` prints it for the same bounds.
Reply GetAudit(Service& s, const Call& call, const Principal&) {
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto tz = call.query.find("tz");
  auto zone = app::ResolveZone(tz == call.query.end() ? "" : tz->second, (*lease)->zone());
  if (!zone.ok()) return StatusReply(zone.status());
  int64_t from_ms = 0, to_ms = 0;
  for (const char* bound : {"from", "to"}) {
    auto it = call.query.find(bound);
    if (it == call.query.end()) continue;
    auto ms = app::ParseBound(bound, it->second, **zone);
    if (!ms.ok()) return StatusReply(ms.status());
    (std::string(bound) == "from" ? from_ms : to_ms) = *ms;
  }
  if (call.query.count("from") && call.query.count("to") && to_ms <= from_ms) {
    return ErrorReply(400, "to must be after from");
  }
  auto entries = s.audit().List(from_ms, to_ms);
  if (!entries.ok()) return StatusReply(entries.status());
  return Json(render::AuditJson(*entries));
}

// Record-level rows (service.md §3): masked by the use case, never cached (each read is
// audited, with what was asked, so the trail says who saw which records).
Reply GetRecords(Service& s, const Call& call, const Principal& who) {
  app::RecordsRequest request;
  request.kind = call.path_params.at(0);
  auto param = [&](const char* name) {
    auto it = call.query.find(name);
    return it == call.query.end() ? std::string() : it->second;
  };
  request.from = param("from");
  request.to = param("to");
  request.zone = param("tz");
  request.region = param("region");
  request.dept = param("dept");
  request.item = param("item");
  for (auto [name, into] : {std::pair{"limit", &request.limit}, {"offset", &request.offset}}) {
    const std::string text = param(name);
    if (text.empty()) continue;
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (*end != '\0' || errno != 0) {
      return ErrorReply(400, fmt::format("{} must be a whole number, not '{}'", name, text));
    }
    *into = v;
  }
  request.scope = who.scope;
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto result = app::Records(**lease, request);
  if (!result.ok()) return StatusReply(result.status());
  std::string asked;
  for (const auto& [k, v] : call.query) asked += (asked.empty() ? "" : "&") + k + "=" + v;
  Status audited = s.Audit(who, "records.read", request.kind,
                           fmt::format("{} of {} rows from {}{}{}", result->rows.size(),
                                       result->total, result->offset,
                                       asked.empty() ? "" : "; ", asked));
  if (!audited.ok()) return StatusReply(audited);
  return Json(render::RecordsJson(*result));
}

// The public view (service.md §4): aggregates over the whole province, a value from fewer
// than k = 10 records suppressed; the same cache as the signed-in routes (role public).
Reply GetPublicIndicators(Service& s, const Call& call, const Principal& who) {
  auto request = cli::IndicatorsRequestOf(ArgsOf(call, cli::IndicatorsSpec()));
  if (!request.ok()) return StatusReply(request.status());
  return Cached(s, "public/indicators", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(const app::PublicIndicatorsResult result,
                           app::PublicIndicators(store, *request));
    return render::PublicIndicatorsJson(result);
  });
}

Reply GetPublicScore(Service& s, const Call& call, const Principal& who) {
  auto request = cli::ScoreRequestOf(ArgsOf(call, cli::ScoreSpec()));
  if (!request.ok()) return StatusReply(request.status());
  return Cached(s, "public/score", call, who, [&](const Store& store) -> Result<std::string> {
    GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, FrameworkOf(s, Call{}));
    // The public learns which framework, not where the server keeps its files.
    fw.path = fs::path(fw.path).filename().string();
    GOVQM_ASSIGN_OR_RETURN(const app::ScoreOutput out, app::PublicScore(std::move(fw), *request,
                                                                        store));
    return render::ScoreJson(out);
  });
}

Reply GetOpenApi(Service&, const Call&, const Principal&) { return Json(OpenApiDocument()); }

Reply GetHealth(Service& s, const Call&, const Principal&) {
  Reply r;
  r.content_type = "text/plain; charset=utf-8";
  auto lease = s.stores().Acquire();
  if (lease.ok() && (*lease)->CountRows(Kind::kTransactions).ok()) {
    r.body = "ok\n";
  } else {
    r.status = 503;
    r.body = "store unreadable\n";
  }
  return r;
}

Reply GetMetrics(Service& s, const Call&, const Principal&) {
  std::string extra =
      "# HELP govqm_store_rows Live records in the store, by kind.\n"
      "# TYPE govqm_store_rows gauge\n";
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  for (int k = 0; k < kKindCount; ++k) {
    const KindDef& def = GetKindDef(static_cast<Kind>(k));
    auto rows = (*lease)->CountRows(def.kind);
    if (rows.ok()) extra += fmt::format("govqm_store_rows{{kind=\"{}\"}} {}\n", def.name, *rows);
  }
  auto last = (*lease)->LastImportAt();
  extra +=
      "# HELP govqm_last_import_timestamp_seconds When the last import was committed (Unix "
      "time; 0 = never).\n"
      "# TYPE govqm_last_import_timestamp_seconds gauge\n";
  double at = 0;
  if (last.ok() && !last->empty()) {
    std::tm tm{};
    double seconds = 0;
    int y, mo, d, h, mi;
    if (std::sscanf(last->c_str(), "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &seconds) == 6) {
      tm.tm_year = y - 1900;
      tm.tm_mon = mo - 1;
      tm.tm_mday = d;
      tm.tm_hour = h;
      tm.tm_min = mi;
      at = static_cast<double>(timegm(&tm)) + seconds;
    }
  }
  extra += fmt::format("govqm_last_import_timestamp_seconds {}\n", render::NumberText(at));
  extra += fmt::format(
      "# HELP govqm_cache_entries Answers kept in memory.\n# TYPE govqm_cache_entries gauge\n"
      "govqm_cache_entries {}\n"
      "# HELP govqm_cache_bytes Bytes of answers kept in memory.\n"
      "# TYPE govqm_cache_bytes gauge\ngovqm_cache_bytes {}\n",
      s.cache().entries(), s.cache().bytes());
  Reply r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = s.metrics().Text(extra);
  return r;
}

}  // namespace govqm::server

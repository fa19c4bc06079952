#include "server/service.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <simdjson.h>

#include "app/common.h"
#include "app/render/json.h"
#include "app/scoring_input.h"
#include "platform/data_dir.h"
#include "platform/file.h"
#include "server/handlers.h"

namespace govqm::server {
namespace {

namespace fs = std::filesystem;

const char* ErrorCode(int http_status) {
  switch (http_status) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 429: return "too_many_requests";
    default: return "internal";
  }
}

bool Allowed(const Route& route, Role role) {
  for (Role r : route.roles) {
    if (r == Role::kPublic || r == role) return true;
  }
  return false;
}

// A message on one line: an error may echo what the request gave (a parameter's name or
// value, any bytes), and a line break there would split the client's and the log's line.
std::string OneLine(const std::string& message) {
  std::string out;
  out.reserve(message.size());
  for (unsigned char c : message) {
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

bool IsStateChanging(const std::string& method) { return method != "GET" && method != "HEAD"; }

}  // namespace

Reply ErrorReply(int http_status, const std::string& message) {
  Reply r;
  r.status = http_status;
  r.body = fmt::format("{{\"error\": {{\"code\": {}, \"message\": {}}}}}\n",
                       render::JsonString(ErrorCode(http_status)),
                       render::JsonString(OneLine(message)));
  return r;
}

Reply StatusReply(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return Reply{};
    case StatusCode::kUsage:
    case StatusCode::kInvalidInput: return ErrorReply(400, status.message());
    case StatusCode::kUnauthenticated: return ErrorReply(401, status.message());
    case StatusCode::kPermissionDenied: return ErrorReply(403, status.message());
    case StatusCode::kNotFound: return ErrorReply(404, status.message());
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition: return ErrorReply(409, status.message());
    case StatusCode::kIo:
    case StatusCode::kInternal: break;
  }
  // The details go to the server's log, never to the client.
  std::fprintf(stderr, "govqm serve: internal error: %s\n", status.message().c_str());
  return ErrorReply(500, "internal error (the server's log has the details)");
}

Service::Service(const ServeOptions& options)
    : options_(options),
      stores_(options.db, 4),
      cache_(256u << 20) {}

Service::~Service() = default;

Result<std::unique_ptr<Service>> Service::Open(const ServeOptions& options) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  std::unique_ptr<Service> s(new Service(options));
  {  // the store must exist and open (migrating it once, here, not in a request)
    GOVQM_ASSIGN_OR_RETURN(StorePool::Lease lease, s->stores_.Acquire());
  }
  GOVQM_ASSIGN_OR_RETURN(s->accounts_, security::Accounts::Open(options.db));
  GOVQM_ASSIGN_OR_RETURN(s->audit_, security::AuditLog::Open(options.db));
  fs::path db(options.db);
  s->imports_dir_ = (db.parent_path() / (db.stem().string() + ".imports")).string();
  std::error_code ec;
  fs::create_directories(s->imports_dir_, ec);
  if (ec) {
    return Status::Io(fmt::format("{}: cannot create the imports directory: {}", s->imports_dir_,
                                  ec.message()));
  }
  ::chmod(s->imports_dir_.c_str(), 0700);  // uploads and rejects may hold personal data
  if (!options.framework.empty()) {
    s->default_framework_ = options.framework;
  } else {
    for (const std::string& f : app::DefaultFrameworkFiles("", platform::DataDirCandidates())) {
      if (fs::exists(f)) {
        s->default_framework_ = f;
        break;
      }
    }
  }
  std::string rules = options.alert_rules;
  if (rules.empty()) {
    const fs::path example = fs::path(platform::DataDir()) / "alerts" / "example.toml";
    if (fs::exists(example)) rules = example.string();
  }
  if (!rules.empty()) {  // a bad rules file stops the start, not a request later
    GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(rules));
    GOVQM_ASSIGN_OR_RETURN(AlertRules parsed, ParseAlertRules(text, rules));
    s->alert_rules_ = std::make_unique<AlertRules>(std::move(parsed));
  }
  return s;
}

int64_t Service::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status Service::Audit(const Principal& who, const std::string& action, const std::string& object,
                      const std::string& detail) {
  Status s = audit_->Append({who.user.empty() ? "public" : who.user, action, object, detail},
                            NowMs());
  if (!s.ok()) {
    std::fprintf(stderr, "govqm serve: cannot write the audit log: %s\n", s.message().c_str());
    return Status::Internal("the audit log cannot be written");
  }
  return s;
}

Result<std::string> Service::FrameworkFile(const std::string& name) const {
  if (name.empty()) {
    if (default_framework_.empty()) {
      return Status::FailedPrecondition(
          "the server has no default framework (start it with --framework FILE)");
    }
    return default_framework_;
  }
  const bool plain = name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
                     name != "." && name != ".." && name[0] != '.';
  if (!plain) return Status::Usage("framework names a file of the server's framework directory");
  fs::path dir = fs::path(default_framework_).parent_path();
  fs::path file = dir / name;
  if (file.extension() != ".toml") file += ".toml";
  if (!fs::exists(file)) return Status::NotFound(fmt::format("no framework '{}'", name));
  return file.string();
}

Reply Service::Handle(size_t index, const Call& call) {
  const Route& route = Routes()[index];
  Principal who;  // the public unless credentials say otherwise
  Reply reply;
  if (!call.bearer.empty()) {
    auto p = accounts_->CheckToken(call.bearer, NowMs());
    if (!p.ok()) return ErrorReply(401, "the token is not valid (unknown, revoked or expired)");
    who = *p;
  } else if (!call.session.empty()) {
    auto s = sessions_.Find(call.session, NowMs());
    if (s.ok()) {
      // The session follows its user: disabled since, it ends; a changed role or scope
      // applies from the next request.
      auto now = accounts_->PrincipalOf(s->principal.user);
      if (!now.ok() && now.status().code() != StatusCode::kNotFound) {
        return StatusReply(now.status());
      }
      if (!now.ok()) {
        sessions_.Remove(call.session);
        if (!Allowed(route, Role::kPublic)) return ErrorReply(401, "the session has ended");
        s = Status::Unauthenticated("the session has ended");
      } else {
        s->principal = *now;
      }
    }
    if (s.ok()) {
      if (IsStateChanging(call.method) &&
          (call.csrf.size() != s->csrf.size() ||
           sodium_memcmp(call.csrf.data(), s->csrf.data(), s->csrf.size()) != 0)) {
        return ErrorReply(403, "a request made with a session needs its X-CSRF-Token header");
      }
      who = s->principal;
    } else if (!Allowed(route, Role::kPublic)) {
      return ErrorReply(401, s.status().message());
    }
  }
  if (!Allowed(route, who.role)) {
    if (who.role == Role::kPublic) return ErrorReply(401, "sign in first");
    Reply r = ErrorReply(403, fmt::format("a user with role {} may not call {} {}",
                                          RoleName(who.role), route.method, route.path));
    r.user = who.user;
    return r;
  }
  for (const auto& [name, value] : call.query) {
    bool known = false;
    for (const Param& p : route.params) known = known || name == p.name;
    if (!known) {
      Reply r = ErrorReply(400, fmt::format("{} takes no parameter '{}'", route.path, name));
      r.user = who.user;
      return r;
    }
  }
  reply = route.handler(*this, call, who);
  if (reply.user.empty()) reply.user = who.user;
  return reply;
}

}  // namespace govqm::server

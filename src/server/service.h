// The API of service.md §3 without the sockets: a request (method, route, parameters, body,
// credentials) in, a reply (status, type, body) out. Authentication, the role matrix, the
// scope, auditing, the response cache and the error shape all happen here, so the HTTP
// adapter (server.cc) only moves bytes. One table of routes feeds the router, the role
// checks and the OpenAPI document alike.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/status.h"
#include "framework/alert_rules.h"
#include "security/accounts.h"
#include "security/audit.h"
#include "server/cache.h"
#include "server/metrics.h"
#include "server/server.h"
#include "server/store_pool.h"

namespace govqm::server {

struct Call {
  std::string method;
  std::vector<std::string> path_params;  // the route's {placeholders}, in order
  std::map<std::string, std::string> query;
  std::string body;
  std::string body_file;  // imports: the body, already written to this file
  std::string bearer;     // Authorization: Bearer …
  std::string session;    // the session cookie
  std::string csrf;       // X-CSRF-Token
  bool tls = false;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // A kept answer, sent from the cache without a copy (then `body` is empty).
  std::shared_ptr<const std::string> shared_body;
  // The body, wherever it is.
  const std::string& text() const { return shared_body ? *shared_body : body; }
  std::vector<std::pair<std::string, std::string>> headers;
  std::string user;  // for the request log ("" = anonymous)
};

class Service;
using RouteHandler = Reply (*)(Service&, const Call&, const Principal&);

struct Param {
  const char* name;
  const char* description;
};

struct Route {
  const char* method;  // GET, POST, DELETE
  const char* path;    // OpenAPI form: /api/v1/imports/{kind}
  const char* summary;
  // Who may call it: kPublic listed = anyone, signed in or not.
  std::vector<Role> roles;
  std::vector<Param> params;  // query parameters
  RouteHandler handler;
  bool cached = false;        // answers depend only on the store's state and the caller's view
  bool import_body = false;   // the body is a file of up to 256 MiB (else at most 1 MiB)
};

const std::vector<Route>& Routes();
// The OpenAPI 3.0 document of Routes().
std::string OpenApiDocument();

// The error body of service.md §3: {"error": {"code": …, "message": …}}.
Reply ErrorReply(int http_status, const std::string& message);
// The reply for a failed use case: 400/401/403/404/409/500, a 500 saying nothing inside.
Reply StatusReply(const Status& status);

class Service {
 public:
  static Result<std::unique_ptr<Service>> Open(const ServeOptions& options);
  ~Service();

  // Runs route `route` (an index into Routes()) for `call`.
  Reply Handle(size_t route, const Call& call);

  // What the handlers use.
  const ServeOptions& options() const { return options_; }
  StorePool& stores() { return stores_; }
  security::Accounts& accounts() { return *accounts_; }
  security::AuditLog& audit() { return *audit_; }
  security::Sessions& sessions() { return sessions_; }
  ResponseCache& cache() { return cache_; }
  Metrics& metrics() { return metrics_; }
  std::atomic<bool>& import_running() { return import_running_; }
  int64_t NowMs() const;
  // Appends to the audit log; a failure to audit is logged and fails the request (a read
  // of personal data that leaves no trace must not happen).
  Status Audit(const Principal& who, const std::string& action, const std::string& object,
               const std::string& detail);
  // Where API imports keep their files and rejects: NAME.imports beside the store.
  const std::string& imports_dir() const { return imports_dir_; }
  // The framework file of a request's `framework` parameter ("" = the default): only a
  // file name in the default framework's directory, never a path.
  Result<std::string> FrameworkFile(const std::string& name) const;
  // The alert rules of GET /api/v1/alerts, read once at start (a change needs a restart,
  // as the framework's does); null when no rules file exists.
  const AlertRules* alert_rules() const { return alert_rules_.get(); }

 private:
  explicit Service(const ServeOptions& options);
  ServeOptions options_;
  StorePool stores_;
  std::unique_ptr<security::Accounts> accounts_;
  std::unique_ptr<security::AuditLog> audit_;
  security::Sessions sessions_;
  ResponseCache cache_;
  Metrics metrics_;
  std::atomic<bool> import_running_{false};
  std::string imports_dir_;
  std::string default_framework_;
  std::unique_ptr<AlertRules> alert_rules_;
};

}  // namespace govqm::server

// `govqm serve` (service.md §2): the HTTP edge over the use cases.
#pragma once

#include <string>

#include "core/closed_loop.h"
#include "core/status.h"

namespace govqm::server {

struct ServeOptions {
  std::string db = "govqm.db";
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string web_dir;             // the dashboard's built files ("" = none)
  std::string tls_cert, tls_key;   // both or neither
  bool insecure_http = false;      // allow a non-loopback bind without TLS (behind a proxy)
  int threads = 0;                 // 0 = enough for 128 keep-alive clients
  std::string framework;           // the default framework file ("" = the installed one)
  std::string key_file;            // the contact key ("" = NAME.key beside the store)
  ClosedLoopDeadlines deadlines;   // the config's [closed_loop] table (service.md §6)
  std::string alert_rules;         // GET /alerts' rules file ("" = the installed example)
};

// Serves until SIGTERM or SIGINT; then lets requests in flight finish (at most 10 s).
// `ready` (may be empty) is called with the bound port once the server accepts connections.
Status Serve(const ServeOptions& options);

}  // namespace govqm::server

// The HTTP adapter of `govqm serve` (service.md §2): cpp-httplib moves bytes between sockets
// and Service, which does everything else. What lives here: binding (loopback unless TLS or
// --insecure-http), the listen backlog, the thread pool, limits and time-outs, the request
// log, the static dashboard, and shutdown on SIGTERM/SIGINT.
#include "server/server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>

#include "server/service.h"

namespace govqm::server {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr size_t kImportBodyMax = size_t{256} << 20;  // service.md §2
constexpr size_t kOtherBodyMax = size_t{1} << 20;
constexpr int kDrainSeconds = 10;

// What the request log needs from the handler that ran on this thread (cpp-httplib calls the
// logger on the thread that handled the request, right after it).
thread_local Clock::time_point t_started;
thread_local std::string t_route;
thread_local std::string t_user;

bool IsLoopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

std::string NowUtc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const int ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, ms);
}

// The route pattern as a regular expression: {name} matches one path segment.
std::string PatternOf(const std::string& path) {
  static const std::regex placeholder(R"(\{[^}]+\})");
  return std::regex_replace(path, placeholder, "([^/]+)");
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    const size_t end = std::min(header.find(';', pos), header.size());
    const std::string_view item(header.data() + pos, end - pos);
    if (item.size() > name.size() && item.substr(0, name.size()) == name &&
        item[name.size()] == '=') {
      return std::string(item.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

// A Content-Length that is not a number counts as too large: such a request is not read.
uint64_t ContentLength(const httplib::Request& req) {
  const std::string v = req.get_header_value("Content-Length");
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9' || n > (uint64_t{1} << 40)) return UINT64_MAX;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return v.empty() ? UINT64_MAX : n;
}

void Send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  // One copy from the cache's string. Not a content provider: cpp-httplib stops writing a
  // provider's body when the server is stopping (a request in flight at SIGTERM lost its
  // answer, gzip-chunked), and the copy costs microseconds.
  const std::string& body = reply.text();
  res.set_content(body.data(), body.size(), reply.content_type);
}

// The parts of a request Service needs; a repeated query parameter is refused.
Result<Call> CallOf(const httplib::Request& req, bool tls) {
  Call call;
  call.method = req.method;
  for (size_t i = 1; i < req.matches.size(); ++i) call.path_params.push_back(req.matches[i].str());
  for (const auto& [k, v] : req.params) {
    if (!call.query.emplace(k, v).second) {
      return Status::Usage(fmt::format("the parameter '{}' is given twice", k));
    }
  }
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) call.bearer = auth.substr(7);
  call.session = CookieValue(req.get_header_value("Cookie"), "govqm_session");
  call.csrf = req.get_header_value("X-CSRF-Token");
  call.tls = tls;
  return call;
}

// One import body at a time goes to a file beside the store, streamed (never whole in
// memory); the Service reads it from there.
Result<std::string> SpoolBody(const std::string& dir, const httplib::ContentReader& reader) {
  const std::string path =
      (fs::path(dir) / fmt::format("upload-{}-{}.part", ::getpid(),
                                   std::hash<std::thread::id>{}(std::this_thread::get_id())))
          .string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io(fmt::format("{}: cannot be written", path));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  size_t total = 0;
  bool too_big = false;
  reader([&](const char* data, size_t n) {
    total += n;
    if (total > kImportBodyMax) {
      too_big = true;
      return false;
    }
    out.write(data, static_cast<std::streamsize>(n));
    return static_cast<bool>(out);
  });
  out.close();
  if (too_big) {
    fs::remove(path);
    return Status::FailedPrecondition("too large");
  }
  if (!out) {
    fs::remove(path);
    return Status::Io(fmt::format("{}: the upload could not be written", path));
  }
  return path;
}

// SIGTERM and SIGINT are taken by one thread (blocked everywhere else), which stops the
// server; requests in flight then get kDrainSeconds before the process exits anyway.
class ShutdownOnSignal {
 public:
  explicit ShutdownOnSignal(httplib::Server& server) : server_(server) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    thread_ = std::thread([this, set] {
      int sig = 0;
      while (sigwait(&set, &sig) == 0) {
        if (sig == SIGTERM || sig == SIGINT) break;
      }
      if (done_.load()) return;  // woken by the destructor
      signalled_.store(true);
      std::fprintf(stderr, "govqm serve: stopping (%s); letting requests in flight finish\n",
                   sig == SIGTERM ? "SIGTERM" : "SIGINT");
      std::thread([] {
        std::this_thread::sleep_for(std::chrono::seconds(kDrainSeconds));
        std::fprintf(stderr, "govqm serve: requests still running after %d s; exiting\n",
                     kDrainSeconds);
        std::_Exit(0);
      }).detach();
      server_.stop();
    });
  }
  // The signals stay blocked: a late second Ctrl-C must not kill a clean exit.
  ~ShutdownOnSignal() {
    done_.store(true);
    if (!signalled_.load()) ::kill(::getpid(), SIGTERM);  // wakes sigwait when stopped otherwise
    thread_.join();
  }

 private:
  httplib::Server& server_;
  std::atomic<bool> done_{false}, signalled_{false};
  std::thread thread_;
};

}  // namespace

Status Serve(const ServeOptions& options) {
  const bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (tls && (options.tls_cert.empty() || options.tls_key.empty())) {
    return Status::Usage("--tls-cert and --tls-key go together");
  }
  if (!tls && !options.insecure_http && !IsLoopback(options.bind)) {
    return Status::Usage(fmt::format(
        "refusing to serve plain HTTP on {}: give --tls-cert and --tls-key, or --insecure-http "
        "behind a reverse proxy that terminates TLS",
        options.bind));
  }
  if (options.port < 0 || options.port > 65535) {
    return Status::Usage(fmt::format("--port {} is not a port", options.port));
  }
  if (!options.web_dir.empty() && !fs::is_directory(options.web_dir)) {
    return Status::Usage(fmt::format("--web {}: not a directory", options.web_dir));
  }
  for (const std::string* f : {&options.tls_cert, &options.tls_key}) {
    if (!f->empty() && !fs::exists(*f)) return Status::Usage(fmt::format("{}: no such file", *f));
  }
  GOVQM_ASSIGN_OR_RETURN(std::unique_ptr<Service> service, Service::Open(options));

  std::unique_ptr<httplib::Server> owned;
  if (tls) {
    auto ssl = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(),
                                                    options.tls_key.c_str());
    if (!ssl->is_valid()) {
      return Status::Usage(fmt::format("the TLS certificate {} or key {} cannot be used",
                                       options.tls_cert, options.tls_key));
    }
    owned = std::move(ssl);
  } else {
    owned = std::make_unique<httplib::Server>();
  }
  httplib::Server& http = *owned;

  // 100 keep-alive clients each hold a thread while connected: the pool must outnumber them.
  const int threads = options.threads > 0 ? options.threads : 128;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_keep_alive_max_count(100000);
  http.set_keep_alive_timeout(5);  // an idle connection notices a stop this soon
  http.set_read_timeout(10, 0);  // per read: a client that stops sending is cut off
  http.set_write_timeout(30, 0);
  http.set_payload_max_length(kImportBodyMax);
  http.set_tcp_nodelay(true);

  std::vector<bool> import_route;  // by route index
  for (const Route& r : Routes()) import_route.push_back(r.import_body);

  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    t_started = Clock::now();
    t_route = "other";  // until a route takes it: static files, unknown paths (a bounded label)
    t_user.clear();
    // Bodies beyond 1 MiB are refused before they are read, except on the import route.
    const bool import = req.method == "POST" && req.path.rfind("/api/v1/imports/", 0) == 0;
    if (!import && req.has_header("Content-Length") &&
        ContentLength(req) > kOtherBodyMax) {
      Send(res, ErrorReply(413, "a request body may hold at most 1 MiB here"));
      res.set_header("Connection", "close");  // the unread body must not be taken for a request
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!import && req.has_header("Transfer-Encoding")) {
      Send(res, ErrorReply(413, "send a Content-Length of at most 1 MiB, not a chunked body"));
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  Service* svc = service.get();
  const std::vector<Route>& routes = Routes();
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route& route = routes[i];
    const std::string pattern = PatternOf(route.path);
    auto run = [svc, i, tls](const httplib::Request& req, httplib::Response& res,
                             std::string body_file) {
      t_route = Routes()[i].path;
      auto call = CallOf(req, tls);
      if (!call.ok()) {
        if (!body_file.empty()) fs::remove(body_file);
        Send(res, StatusReply(call.status()));
        return;
      }
      call->body = req.body;
      call->body_file = std::move(body_file);
      const Reply reply = svc->Handle(i, *call);
      t_user = reply.user;
      Send(res, reply);
    };
    const std::string method = route.method;
    if (route.import_body) {
      http.Post(pattern, [svc, run](const httplib::Request& req, httplib::Response& res,
                                    const httplib::ContentReader& reader) {
        auto file = SpoolBody(svc->imports_dir(), reader);
        if (!file.ok()) {
          Send(res, file.status().code() == StatusCode::kFailedPrecondition
                        ? ErrorReply(413, "an import body may hold at most 256 MiB")
                        : StatusReply(file.status()));
          return;
        }
        run(req, res, std::move(file).value());
      });
    } else if (method == "GET") {
      http.Get(pattern, [run](const httplib::Request& req, httplib::Response& res) {
        run(req, res, "");
      });
    } else if (method == "POST") {
      http.Post(pattern, [run](const httplib::Request& req, httplib::Response& res) {
        run(req, res, "");
      });
    } else if (method == "DELETE") {
      http.Delete(pattern, [run](const httplib::Request& req, httplib::Response& res) {
        run(req, res, "");
      });
    }
  }

  if (!options.web_dir.empty()) http.set_mount_point("/", options.web_dir);
  // Every answer, the dashboard's files included: scripts and data only from this server (no
  // inline script, no eval), never framed, never sniffed into another type. Inline styles are
  // allowed: the charts set them, and the bulletin's HTML carries its CSS inside.
  http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                   "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                   "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
  });

  // Every error has the JSON shape of service.md §3 (a handler's own body is kept).
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const char* message = res.status == 404   ? "no such route"
                          : res.status == 405 ? "method not allowed"
                          : res.status == 413 ? "the request body is too large"
                          : res.status == 400 ? "the request cannot be read"
                                              : "the request failed";
    const int status = res.status;
    Send(res, ErrorReply(status, message));
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  }));
  // Never an exception's text to a client: it may say what is inside.
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "govqm serve: exception: %s\n", e.what());
        } catch (...) {
          std::fprintf(stderr, "govqm serve: unknown exception\n");
        }
        Send(res, ErrorReply(500, "internal error (the server's log has the details)"));
      });
  // One line per request; the route pattern, never the query (it may name a unit or a
  // record) and never a header (tokens, cookies).
  http.set_logger([svc](const httplib::Request& req, const httplib::Response& res) {
    const double ms =
        std::chrono::duration<double, std::milli>(Clock::now() - t_started).count();
    const std::string route = t_route.empty() ? std::string("other") : t_route;
    svc->metrics().Observe(route, res.status, ms / 1000.0);
    // A file or an unknown path is logged as asked for (never with its query).
    const std::string shown = route == "other" ? req.path.substr(0, 120) : route;
    std::fprintf(stderr, "%s %s %s %d %.1fms %s\n", NowUtc().c_str(), req.method.c_str(),
                 shown.c_str(), res.status, ms, t_user.empty() ? "-" : t_user.c_str());
  });

  // cpp-httplib listens with a backlog of 5, which drops connections under load: keep the
  // socket and listen again with a deep backlog (Linux updates a listening socket's backlog).
  int listen_fd = -1;
  http.set_socket_options([&listen_fd](socket_t s) {
    listen_fd = s;
    int yes = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  int port = options.port;
  if (port == 0) {
    port = http.bind_to_any_port(options.bind);
    if (port <= 0) return Status::Io(fmt::format("cannot bind {}", options.bind));
  } else if (!http.bind_to_port(options.bind, port)) {
    return Status::Io(fmt::format("cannot bind {}:{} (in use, or not an address here)",
                                  options.bind, port));
  }
  if (listen_fd >= 0) ::listen(listen_fd, 1024);

  ShutdownOnSignal on_signal(http);
  std::fprintf(stderr, "govqm serve: listening on %s://%s:%d (store %s)\n",
               tls ? "https" : "http", options.bind.c_str(), port, options.db.c_str());
  std::fflush(stderr);
  const bool clean = http.listen_after_bind();
  std::fprintf(stderr, "govqm serve: stopped\n");
  if (!clean) return Status::Io("the server stopped on an error");
  return Status::Ok();
}

}  // namespace govqm::server

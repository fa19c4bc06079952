// govqm serve [--config FILE] [--db FILE] [--bind ADDR] [--port N] [--web DIR]
//             [--tls-cert F --tls-key F] [--insecure-http] [--threads N] [--framework FILE]
//             [--key-file F] [--alert-rules FILE]
// Options given on the command line win over the [serve] table of --config (what the
// systemd unit passes); both are checked the same way.
#include <fmt/format.h>

#include <cstdlib>
#include <toml++/toml.h>

#include "app/common.h"
#include "cli/commands_internal.h"
#include "cli/config.h"
#include "platform/process.h"
#include "server/server.h"

namespace govqm::cli {
namespace {

const ArgSpec kServeSpec = {
    {"config", "db", "bind", "port", "web", "tls-cert", "tls-key", "threads", "framework",
     "key-file", "alert-rules"},
    {"insecure-http"}};

Result<int> IntOf(const std::string& where, const std::string& text, int lo, int hi) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < lo || v > hi) {
    return Status::Usage(fmt::format("{} must be a whole number from {} to {}, not '{}'", where,
                                     lo, hi, text));
  }
  return static_cast<int>(v);
}

// The [serve] table of a config file into `o`; an unknown key is an error (a typo would
// otherwise serve with a default nobody chose).
Status ReadConfig(const std::string& path, server::ServeOptions& o) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::Invalid(fmt::format("{}:{}: {}", path, e.source().begin.line,
                                       std::string(e.description())));
  }
  // The other tables ([closed_loop]) are read and checked by their own reader.
  GOVQM_ASSIGN_OR_RETURN(o.deadlines, ClosedLoopOfConfig(path));
  const toml::table* serve = doc["serve"].as_table();
  if (serve == nullptr) return Status::Ok();
  for (const auto& [key, value] : *serve) {
    const std::string k(key.str());
    const int line = static_cast<int>(value.source().begin.line);
    auto text = [&](std::string& into) -> Status {
      if (!value.is_string()) {
        return Status::Invalid(fmt::format("{}:{}: serve.{} must be a string", path, line, k));
      }
      into = *value.value<std::string>();
      return Status::Ok();
    };
    if (k == "db") {
      GOVQM_RETURN_IF_ERROR(text(o.db));
    } else if (k == "bind") {
      GOVQM_RETURN_IF_ERROR(text(o.bind));
    } else if (k == "web") {
      GOVQM_RETURN_IF_ERROR(text(o.web_dir));
    } else if (k == "tls_cert") {
      GOVQM_RETURN_IF_ERROR(text(o.tls_cert));
    } else if (k == "tls_key") {
      GOVQM_RETURN_IF_ERROR(text(o.tls_key));
    } else if (k == "framework") {
      GOVQM_RETURN_IF_ERROR(text(o.framework));
    } else if (k == "key_file") {
      GOVQM_RETURN_IF_ERROR(text(o.key_file));
    } else if (k == "alert_rules") {
      GOVQM_RETURN_IF_ERROR(text(o.alert_rules));
    } else if (k == "port" || k == "threads") {
      if (!value.is_integer()) {
        return Status::Invalid(fmt::format("{}:{}: serve.{} must be a number", path, line, k));
      }
      const int64_t v = *value.value<int64_t>();
      const int64_t hi = k == "port" ? 65535 : 4096;
      if (v < 0 || v > hi) {
        return Status::Invalid(
            fmt::format("{}:{}: serve.{} must be from 0 to {}", path, line, k, hi));
      }
      (k == "port" ? o.port : o.threads) = static_cast<int>(v);
    } else if (k == "insecure_http") {
      if (!value.is_boolean()) {
        return Status::Invalid(
            fmt::format("{}:{}: serve.insecure_http must be true or false", path, line));
      }
      o.insecure_http = *value.value<bool>();
    } else {
      return Status::Invalid(fmt::format(
          "{}:{}: unknown key serve.{} (known: db, bind, port, web, tls_cert, tls_key, "
          "insecure_http, threads, framework, key_file, alert_rules)",
          path, line, k));
    }
  }
  return Status::Ok();
}

}  // namespace

Status RunServe(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, kServeSpec));
  if (!args.positional.empty()) return Status::Usage("serve takes no arguments");
  server::ServeOptions o;
  o.db = app::kDefaultDb;
  if (args.Has("config")) GOVQM_RETURN_IF_ERROR(ReadConfig(args.Get("config"), o));
  o.db = args.Get("db", o.db);
  o.bind = args.Get("bind", o.bind);
  o.web_dir = args.Get("web", o.web_dir);
  o.tls_cert = args.Get("tls-cert", o.tls_cert);
  o.tls_key = args.Get("tls-key", o.tls_key);
  o.framework = args.Get("framework", o.framework);
  o.key_file = args.Get("key-file", o.key_file);
  o.alert_rules = args.Get("alert-rules", o.alert_rules);
  if (args.Has("port")) {
    GOVQM_ASSIGN_OR_RETURN(o.port, IntOf("--port", args.Get("port"), 0, 65535));
  }
  if (args.Has("threads")) {
    GOVQM_ASSIGN_OR_RETURN(o.threads, IntOf("--threads", args.Get("threads"), 1, 4096));
  }
  if (args.flags.count("insecure-http")) o.insecure_http = true;
  if (o.framework.empty()) {  // the deployment's default, as the other commands find it
    if (const char* configured = std::getenv("GOVQM_FRAMEWORK")) o.framework = configured;
  }
  if (o.key_file.empty()) {
    if (const char* key = std::getenv("GOVQM_KEY_FILE")) o.key_file = key;
  }
  return server::Serve(o);
}

}  // namespace govqm::cli

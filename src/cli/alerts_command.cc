// govqm alerts — the rules file + the period → app::Alerts → CSV, JSON or a readable table;
// with --deliver URL each alert not yet delivered there is POSTed too (app/alert_delivery.h).
#include <fmt/format.h>

#include <cstdio>

#include "app/alert_delivery.h"
#include "app/alerts.h"
#include "app/render/alerts.h"
#include "cli/commands_internal.h"
#include "cli/config.h"
#include "framework/alert_rules.h"
#include "platform/file.h"
#include "security/webhook_secret.h"

namespace govqm::cli {
namespace {

// Delivers the alerts to --deliver's URL: a line on stderr per alert that failed every
// attempt, then the summary; kIo (exit 1) when any failed — the webhook is a dependency that
// was not there — the others delivered and remembered all the same.
Status Deliver(Store& store, const app::AlertsResult& result, app::DeliveryRequest request) {
  app::DeliveryDeps deps;
  deps.note = [](const std::string& line) {
    Err("alerts: " + line + "\n");
    std::fflush(stderr);
  };
  GOVQM_ASSIGN_OR_RETURN(const app::DeliveryResult d,
                         app::DeliverAlerts(store, result, request, deps));
  for (const app::DeliveryFailure& f : d.failed) {
    Err(fmt::format("alerts: not delivered: {} ({} attempts; last: {})\n", f.alert, f.attempts,
                    f.error));
  }
  Err(fmt::format("alerts: delivered {}, already delivered {}, failed {} ({})\n", d.delivered,
                  d.already, d.failed.size(), request.url));
  if (!d.failed.empty()) {
    return Status::Io(fmt::format("{} alert{} could not be delivered to {}", d.failed.size(),
                                  d.failed.size() == 1 ? "" : "s", request.url));
  }
  return Status::Ok();
}

}  // namespace

Status RunAlerts(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, AlertsSpec()));
  if (!args.positional.empty()) return Status::Usage("alerts takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "csv", {"csv", "json", "table"}));
  if (args.Has("secret-file") && !args.Has("deliver")) {
    return Status::Usage("--secret-file F signs what --deliver URL sends; give --deliver too");
  }
  if (!args.Has("rules")) return Status::Usage("--rules FILE is required");
  app::DeliveryRequest delivery;
  if (args.Has("deliver")) {
    delivery.url = args.Get("deliver");
    GOVQM_RETURN_IF_ERROR(app::CheckWebhookUrl(delivery.url));
    if (args.Has("secret-file")) {
      GOVQM_ASSIGN_OR_RETURN(delivery.secret, security::ReadWebhookSecret(args.Get("secret-file")));
    }
  }
  const std::string rules_file = args.Get("rules");
  GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(rules_file));
  app::AlertsRequest request;
  GOVQM_ASSIGN_OR_RETURN(request.rules, ParseAlertRules(text, rules_file));
  request.from = args.Get("from");
  request.to = args.Get("to");
  request.zone = args.Get("tz");
  request.at = args.Get("at");
  if (args.Has("config")) {  // the cases' deadlines, as `govqm cases` counts them
    GOVQM_ASSIGN_OR_RETURN(request.deadlines, ClosedLoopOfConfig(args.Get("config")));
  }
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::AlertsResult result, app::Alerts(*store, request));
  if (format != "json") Err(render::NoBaselineText(result));
  if (format == "table") {
    Out(render::AlertsTable(result));
  } else if (format == "csv") {
    Out(render::AlertsCsv(result));
  } else {
    Out(render::AlertsJson(result));
  }
  if (delivery.url.empty()) return Status::Ok();
  std::fflush(stdout);  // the alerts are out whatever the delivery does
  delivery.from = request.from;
  delivery.to = request.to;
  return Deliver(*store, result, std::move(delivery));
}

}  // namespace govqm::cli

// govqm alerts — the rules file + the period → app::Alerts → CSV, JSON or a readable table.
#include "app/alerts.h"
#include "app/render/alerts.h"
#include "cli/commands_internal.h"
#include "framework/alert_rules.h"
#include "platform/file.h"

namespace govqm::cli {

Status RunAlerts(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, AlertsSpec()));
  if (!args.positional.empty()) return Status::Usage("alerts takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "csv", {"csv", "json", "table"}));
  if (args.Has("deliver") || args.Has("secret-file")) {
    return Status::Usage("--deliver is not available yet: alerts are printed only");
  }
  if (!args.Has("rules")) return Status::Usage("--rules FILE is required");
  const std::string rules_file = args.Get("rules");
  GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(rules_file));
  app::AlertsRequest request;
  GOVQM_ASSIGN_OR_RETURN(request.rules, ParseAlertRules(text, rules_file));
  request.from = args.Get("from");
  request.to = args.Get("to");
  request.zone = args.Get("tz");
  request.at = args.Get("at");
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
  return Status::Ok();
}

}  // namespace govqm::cli

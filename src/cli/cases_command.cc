// govqm cases list|show — arguments → app::ListCases / app::ShowCase → CSV, JSON, a table or
// text (service.md §6). `cases act` and `cases invite` are not built yet.
#include <fmt/format.h>

#include <chrono>

#include "app/cases.h"
#include "app/render/cases.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"

namespace govqm::cli {

Status RunCases(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, CasesSpec()));
  if (args.positional.empty()) return Status::Usage("cases: give list or show ID");
  const std::string& sub = args.positional[0];
  // --at absent: now, from the edge's clock (the use case reads none).
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  std::string by;
  GOVQM_ASSIGN_OR_RETURN(app::CasesRequest request, CasesRequestOf(args, now_ms, &by));
  if (sub == "list") {
    if (args.positional.size() != 1) return Status::Usage("cases list takes no other argument");
    GOVQM_ASSIGN_OR_RETURN(const std::string format,
                           FormatOf(args, "csv", {"csv", "json", "table"}));
    GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
    GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
    GOVQM_ASSIGN_OR_RETURN(const app::CasesResult result, app::ListCases(*store, request));
    if (format == "csv") {
      Out(render::CasesCsv(result, by));
    } else if (format == "json") {
      Out(render::CasesJson(result, by));
    } else {
      Out(render::CasesTable(result, by));
    }
    return Status::Ok();
  }
  if (sub == "show") {
    if (args.positional.size() != 2) return Status::Usage("cases show takes one case ID");
    for (const char* opt : {"state", "by", "overdue"}) {
      if (args.Has(opt)) return Status::Usage(fmt::format("cases show takes no --{}", opt));
    }
    GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "text", {"text", "json"}));
    request.id = args.positional[1];
    GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
    GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
    GOVQM_ASSIGN_OR_RETURN(const app::CaseRecord c, app::ShowCase(*store, request));
    Out(format == "json" ? render::CaseJson(c) : render::CaseText(c));
    return Status::Ok();
  }
  return Status::Usage(fmt::format("cases: unknown subcommand '{}' (list, show)", sub));
}

}  // namespace govqm::cli

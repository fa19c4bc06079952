// govqm diagnose — arguments → app::Diagnose → the unit's 弱点, 难点, 痛点 and 亮点 as text, JSON
// or a table (service.md §9).
#include "app/diagnose.h"
#include "app/render/diagnosis.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"

namespace govqm::cli {

Status RunDiagnose(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, DiagnoseSpec()));
  if (!args.positional.empty()) return Status::Usage("diagnose takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format,
                         FormatOf(args, "text", {"text", "json", "table"}));
  GOVQM_ASSIGN_OR_RETURN(app::DiagnoseRequest request, DiagnoseRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.input.scope, &request.show_records));
  GOVQM_ASSIGN_OR_RETURN(const app::DiagnoseResult out,
                         app::Diagnose(*store, std::move(fw), request));
  if (format == "json") {
    Out(render::DiagnosisJson(out));
  } else if (format == "table") {
    Out(render::DiagnosisTable(out));
  } else {
    Out(render::DiagnosisText(out));
  }
  return Status::Ok();
}

}  // namespace govqm::cli

// govqm indicators — arguments → app::Indicators → long CSV, JSON or a readable table.
#include "app/indicators.h"
#include "app/render/indicators.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"

namespace govqm::cli {

Status RunIndicators(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, IndicatorsSpec()));
  if (!args.positional.empty()) return Status::Usage("indicators takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "csv", {"csv", "json", "table"}));
  GOVQM_ASSIGN_OR_RETURN(app::IndicatorsRequest request, IndicatorsRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::IndicatorsResult result, app::Indicators(*store, request));
  if (args.Has("timing")) Err(render::IndicatorsTimingText(result));
  // Why indicators are empty (a kind never loaded), once, whatever the format.
  Err(render::IndicatorsNotesText(result));
  if (format == "table") {
    Out(render::IndicatorsTable(result));
  } else if (format == "csv") {
    Out(render::IndicatorsCsv(result));
  } else {
    Out(render::IndicatorsJson(result));
  }
  return Status::Ok();
}

}  // namespace govqm::cli

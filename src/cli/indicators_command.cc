// govqm indicators — arguments → app::Indicators → long CSV, JSON or a readable table.
#include <fmt/format.h>

#include "app/indicators.h"
#include "app/render/indicators.h"
#include "cli/commands_internal.h"

namespace govqm::cli {

Status RunIndicators(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(
      const Args args,
      ParseArgs(argc, argv, 2, {{"db", "tz", "from", "to", "by", "only", "format"}, {"timing"}}));
  if (!args.positional.empty()) return Status::Usage("indicators takes no positional arguments");
  const std::string format = args.Get("format", "csv");
  if (format != "csv" && format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be csv, json or table, not '{}'", format));
  }
  app::IndicatorsRequest request;
  request.from = args.Get("from");
  request.to = args.Get("to");
  request.zone = args.Get("tz");
  request.only = app::SplitList(args.Get("only"));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_ASSIGN_OR_RETURN(request.keys, app::ParseGroupKeys(args.Get("by")));
  GOVQM_ASSIGN_OR_RETURN(const app::IndicatorsResult result, app::Indicators(*store, request));
  if (args.Has("timing")) Err(render::IndicatorsTimingText(result));
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

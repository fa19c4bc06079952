// govqm disparity — arguments → app::Disparity → JSON or the readable table.
#include <fmt/format.h>

#include "app/disparity.h"
#include "app/render/disparity.h"
#include "cli/commands_internal.h"

namespace govqm::cli {

Status RunDisparity(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(
      const Args args, ParseArgs(argc, argv, 2,
                                 {{"db", "tz", "from", "to", "by", "within", "values", "framework",
                                   "format", "indicator", "score"},
                                  {}}));
  if (!args.positional.empty()) return Status::Usage("disparity takes no positional arguments");
  if (args.Has("indicator") == args.Has("score")) {
    return Status::Usage("give one of --indicator CODE or --score LEVEL");
  }
  const std::string format = args.Get("format", "table");
  if (format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be table or json, not '{}'", format));
  }
  if (args.Has("within") && args.Has("values")) {
    return Status::Usage("--within KEY groups the store's units; it does not apply to --values");
  }
  app::DisparityRequest request;
  request.indicator = args.Get("indicator");
  request.score = args.Get("score");
  request.within = args.Get("within");
  GOVQM_ASSIGN_OR_RETURN(const app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, StoreFor(args, request.input));
  GOVQM_ASSIGN_OR_RETURN(const app::DisparityOutput out, app::Disparity(fw, request, store.get()));
  Out(format == "json" ? render::DisparityJson(out) : render::DisparityTable(out));
  return Status::Ok();
}

}  // namespace govqm::cli

// govqm weights — arguments → app::Weights (or app::SolveAhp) → JSON or the readable table.
#include <fmt/format.h>

#include "app/render/weights.h"
#include "app/weights.h"
#include "cli/commands_internal.h"

namespace govqm::cli {

Status RunWeights(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(
      const Args args,
      ParseArgs(argc, argv, 2,
                {{"db", "tz", "from", "to", "by", "values", "framework", "format", "ahp"}, {}}));
  if (!args.positional.empty()) return Status::Usage("weights takes no positional arguments");
  const std::string format = args.Get("format", "table");
  if (format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be table or json, not '{}'", format));
  }
  if (args.Has("ahp")) {
    GOVQM_ASSIGN_OR_RETURN(const app::AhpOutput out, app::SolveAhp(args.Get("ahp")));
    Out(format == "json" ? render::AhpJson(out) : render::AhpTable(out));
    return Status::Ok();
  }
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  app::WeightsRequest request;
  request.has_data = args.Has("values") || args.Has("from");
  std::unique_ptr<Store> store;
  if (request.has_data) {
    GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
    GOVQM_ASSIGN_OR_RETURN(store, StoreFor(args, request.input));
  }
  GOVQM_ASSIGN_OR_RETURN(const app::WeightsOutput out,
                         app::Weights(std::move(fw), request, store.get()));
  Out(format == "json" ? render::WeightsJson(out) : render::WeightsTable(out));
  return Status::Ok();
}

}  // namespace govqm::cli

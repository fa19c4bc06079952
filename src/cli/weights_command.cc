// govqm weights — arguments → app::Weights (or app::SolveAhp) → JSON or the readable table.
#include "app/render/weights.h"
#include "app/weights.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"

namespace govqm::cli {

Status RunWeights(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, WeightsSpec()));
  if (!args.positional.empty()) return Status::Usage("weights takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "table", {"table", "json"}));
  if (args.Has("ahp")) {
    GOVQM_ASSIGN_OR_RETURN(const app::AhpOutput out, app::SolveAhp(args.Get("ahp")));
    Out(format == "json" ? render::AhpJson(out) : render::AhpTable(out));
    return Status::Ok();
  }
  GOVQM_ASSIGN_OR_RETURN(app::WeightsRequest request, WeightsRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  std::unique_ptr<Store> store;
  if (request.has_data) {
    GOVQM_ASSIGN_OR_RETURN(store, StoreFor(args, request.input));
    GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.input.scope));
  }
  GOVQM_ASSIGN_OR_RETURN(const app::WeightsOutput out,
                         app::Weights(std::move(fw), request, store.get()));
  Out(format == "json" ? render::WeightsJson(out) : render::WeightsTable(out));
  return Status::Ok();
}

}  // namespace govqm::cli

// govqm disparity — arguments → app::Disparity → JSON or the readable table.
#include "app/disparity.h"
#include "app/render/disparity.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"

namespace govqm::cli {

Status RunDisparity(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, DisparitySpec()));
  if (!args.positional.empty()) return Status::Usage("disparity takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "table", {"table", "json"}));
  GOVQM_ASSIGN_OR_RETURN(app::DisparityRequest request, DisparityRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(const app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, StoreFor(args, request.input));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.input.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::DisparityOutput out, app::Disparity(fw, request, store.get()));
  Out(format == "json" ? render::DisparityJson(out) : render::DisparityTable(out));
  return Status::Ok();
}

}  // namespace govqm::cli

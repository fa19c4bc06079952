// govqm explain — arguments → app::Explain → the chain as text or JSON.
#include "app/explain.h"
#include "app/render/explain.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"

namespace govqm::cli {

Status RunExplain(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, ExplainSpec()));
  if (!args.positional.empty()) return Status::Usage("explain takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "text", {"text", "json"}));
  GOVQM_ASSIGN_OR_RETURN(app::ExplainRequest request, ExplainRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, StoreFor(args, request.input));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.input.scope, &request.show_records));
  GOVQM_ASSIGN_OR_RETURN(const app::ExplainOutput out,
                         app::Explain(std::move(fw), request, store.get()));
  Out(format == "json" ? render::ExplainJson(out) : render::ExplainText(out));
  return Status::Ok();
}

}  // namespace govqm::cli

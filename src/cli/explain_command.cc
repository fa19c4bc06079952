// govqm explain — arguments → app::Explain → the chain as text.
#include <fmt/format.h>

#include "app/explain.h"
#include "app/render/explain.h"
#include "cli/commands_internal.h"

namespace govqm::cli {

Status RunExplain(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args,
                         ParseArgs(argc, argv, 2,
                                   {{"db", "tz", "from", "to", "by", "values", "framework", "unit",
                                     "cell", "stage", "dimension", "block", "node"},
                                    {}}));
  if (!args.positional.empty()) return Status::Usage("explain takes no positional arguments");
  if (!args.Has("unit")) return Status::Usage("--unit U is required");
  int targets = 0;
  for (const char* t : {"cell", "stage", "dimension", "block", "node"}) targets += args.Has(t);
  if (targets > 1)
    return Status::Usage("give at most one of --cell, --stage, --dimension, --block, --node");
  app::ExplainRequest request;
  request.unit = args.Get("unit");
  request.cell = args.Get("cell");
  request.stage = args.Get("stage");
  request.dimension = args.Get("dimension");
  request.block = args.Get("block");
  request.node = args.Get("node");
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, StoreFor(args, request.input));
  GOVQM_ASSIGN_OR_RETURN(const app::ExplainOutput out,
                         app::Explain(std::move(fw), request, store.get()));
  Out(render::ExplainText(out));
  return Status::Ok();
}

}  // namespace govqm::cli

// govqm partials — a city's base measures for a period, signed (app::MakeSignedPartials),
// written atomically to --out. govqm merge — the province's indicators (or --score: scores)
// of the cities' partials files it trusts (app::MergePartialsFiles), rendered as `indicators`
// and `score` render theirs. docs/FEDERATION.md.
#include <fmt/format.h>

#include "app/federation.h"
#include "app/render/indicators.h"
#include "app/render/score.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"
#include "platform/file.h"

namespace govqm::cli {

Status RunPartials(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, PartialsSpec()));
  if (!args.positional.empty()) return Status::Usage("partials takes no positional arguments");
  const std::string out = args.Get("out");
  if (out.empty()) return Status::Usage("--out FILE is required");
  GOVQM_ASSIGN_OR_RETURN(app::PartialsRequest request, PartialsRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::SignedPartials signed_partials,
                         app::MakeSignedPartials(*store, request));
  if (signed_partials.key_created) {
    Out(fmt::format("created signing key {} (mode 0600; keep it secret, back it up) and its "
                    "public half {}: give {} to the province, for merge's --trust directory\n",
                    signed_partials.key_path, signed_partials.public_path,
                    signed_partials.public_path));
  } else if (signed_partials.public_written) {
    Out(fmt::format("wrote the public key {} again (it was missing or held another key)\n",
                    signed_partials.public_path));
  }
  GOVQM_RETURN_IF_ERROR(platform::WriteFileAtomic(out, signed_partials.bytes));
  Out(fmt::format("wrote {} ({} bytes): partials of [{}, {}) by {}, {} accumulator groups, {} org rows, "
                  "signed by '{}' ({})\n",
                  out, signed_partials.bytes.size(), request.from, request.to, args.Get("by"),
                  signed_partials.groups, signed_partials.org_rows, signed_partials.signer,
                  signed_partials.key_path));
  return Status::Ok();
}

Status RunMerge(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, MergeSpec()));
  const bool score = args.flags.count("score") > 0;
  if (!score) {
    for (const char* option : {"framework", "uncertainty", "seed", "spread"}) {
      if (args.Has(option)) return Status::Usage(fmt::format("--{} goes with --score", option));
    }
    if (args.flags.count("switch-normalisation")) {
      return Status::Usage("--switch-normalisation goes with --score");
    }
  }
  GOVQM_ASSIGN_OR_RETURN(const std::string format,
                         score ? FormatOf(args, "table", {"json", "csv", "table"})
                               : FormatOf(args, "csv", {"csv", "json"}));
  GOVQM_ASSIGN_OR_RETURN(const app::MergeRequest request, MergeRequestOf(args));
  // The score's options (--uncertainty and its companions), as `score` reads them.
  std::optional<UncertaintyOptions> uncertainty;
  std::optional<app::LoadedFramework> framework;
  if (score) {
    GOVQM_ASSIGN_OR_RETURN(const app::ScoreRequest score_request, ScoreRequestOf(args));
    uncertainty = score_request.uncertainty;
    GOVQM_ASSIGN_OR_RETURN(framework, LoadFramework(args));
  }
  GOVQM_ASSIGN_OR_RETURN(const app::MergedPartials merged, app::MergePartialsFiles(request));
  if (!score) {
    Out(format == "csv" ? render::IndicatorsCsv(merged.indicators)
                        : render::IndicatorsJson(merged.indicators));
    return Status::Ok();
  }
  GOVQM_ASSIGN_OR_RETURN(const app::ScoreOutput out,
                         app::ScoreMergedPartials(std::move(*framework), merged, uncertainty));
  Out(format == "table" ? render::ScoreTable(out)
      : format == "csv" ? render::ScoreCsv(out)
                        : render::ScoreJson(out));
  return Status::Ok();
}

}  // namespace govqm::cli

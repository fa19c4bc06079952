// govqm score — arguments → app::Score → JSON, long CSV or the readable table.
#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "app/render/score.h"
#include "app/score.h"
#include "cli/commands_internal.h"

namespace govqm::cli {
namespace {

Result<UncertaintyOptions> ParseUncertainty(const Args& args) {
  UncertaintyOptions o;
  auto whole = [&](const std::string& name, int64_t lo, int64_t hi, int64_t* out) -> Status {
    const std::string v = args.Get(name);
    try {
      size_t used = 0;
      const long long x = std::stoll(v, &used);
      if (used != v.size() || x < lo || x > hi) throw std::invalid_argument(v);
      *out = x;
    } catch (const std::exception&) {
      return Status::Usage(
          fmt::format("--{} must be a whole number from {} to {}, not '{}'", name, lo, hi, v));
    }
    return Status::Ok();
  };
  int64_t n = 0, seed = 1;
  GOVQM_RETURN_IF_ERROR(whole("uncertainty", 1, 1000000, &n));
  if (args.Has("seed")) GOVQM_RETURN_IF_ERROR(whole("seed", 0, INT64_MAX, &seed));
  o.replications = static_cast<int>(n);
  o.seed = static_cast<uint64_t>(seed);
  if (args.Has("spread")) {
    const std::string v = args.Get("spread");
    try {
      size_t used = 0;
      o.weight_spread = std::stod(v, &used);
      if (used != v.size() || !(o.weight_spread >= 0 && o.weight_spread < 1))
        throw std::invalid_argument(v);
    } catch (const std::exception&) {
      return Status::Usage(fmt::format("--spread must be a number in [0, 1), not '{}'", v));
    }
  }
  o.switch_normalisation = args.flags.count("switch-normalisation") > 0;
  return o;
}

}  // namespace

Status RunScore(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(
      const Args args, ParseArgs(argc, argv, 2,
                                 {{"db", "tz", "from", "to", "by", "values", "framework", "format",
                                   "uncertainty", "seed", "spread"},
                                  {"switch-normalisation"}}));
  if (!args.positional.empty()) return Status::Usage("score takes no positional arguments");
  const std::string format = args.Get("format", "table");
  if (format != "csv" && format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be json, csv or table, not '{}'", format));
  }
  if (!args.Has("uncertainty") &&
      (args.Has("seed") || args.Has("spread") || args.flags.count("switch-normalisation"))) {
    return Status::Usage("--seed, --spread and --switch-normalisation need --uncertainty N");
  }
  app::ScoreRequest request;
  if (args.Has("uncertainty")) {
    GOVQM_ASSIGN_OR_RETURN(request.uncertainty, ParseUncertainty(args));
  }
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, StoreFor(args, request.input));
  GOVQM_ASSIGN_OR_RETURN(const app::ScoreOutput out,
                         app::Score(std::move(fw), request, store.get()));
  Out(format == "table" ? render::ScoreTable(out)
      : format == "csv" ? render::ScoreCsv(out)
                        : render::ScoreJson(out));
  return Status::Ok();
}

}  // namespace govqm::cli

#include "cli/requests.h"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "app/common.h"
#include "cli/config.h"
#include "platform/data_dir.h"


namespace govqm::cli {

Result<app::ScoringRequest> ScoringRequestOf(const Args& args) {
  app::ScoringRequest r;
  if (args.Has("values")) {
    for (const char* opt : {"from", "to", "by", "db"}) {
      if (args.Has(opt))
        return Status::Usage(fmt::format("--values and --{} exclude each other", opt));
    }
    r.values_file = args.Get("values");
    return r;
  }
  r.from = args.Get("from");
  r.to = args.Get("to");
  r.by = args.Get("by");
  r.zone = args.Get("tz");
  return r;
}

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

const ArgSpec& IndicatorsSpec() {
  static const ArgSpec spec{{"db", "tz", "from", "to", "by", "only", "format", "as"}, {"timing"}};
  return spec;
}
const ArgSpec& ScoreSpec() {
  static const ArgSpec spec{{"db", "tz", "from", "to", "by", "values", "framework", "format",
                             "uncertainty", "seed", "spread", "as"},
                            {"switch-normalisation"}};
  return spec;
}
const ArgSpec& ExplainSpec() {
  static const ArgSpec spec{{"db", "tz", "from", "to", "by", "values", "framework", "unit", "cell",
                             "stage", "dimension", "block", "node", "format", "as"},
                            {}};
  return spec;
}
const ArgSpec& DisparitySpec() {
  static const ArgSpec spec{{"db", "tz", "from", "to", "by", "within", "values", "framework",
                             "format", "indicator", "score", "as"},
                            {}};
  return spec;
}
const ArgSpec& AlertsSpec() {
  static const ArgSpec spec{{"db", "tz", "rules", "from", "to", "at", "format", "as", "deliver",
                             "secret-file", "config"},
                            {}};
  return spec;
}
const ArgSpec& DiagnoseSpec() {
  static const ArgSpec spec{
      {"db", "tz", "from", "to", "by", "unit", "framework", "format", "as", "stopwords"}, {}};
  return spec;
}
const ArgSpec& ReportSpec() {
  static const ArgSpec spec{{"db", "tz", "from", "to", "by", "out", "lang", "framework",
                             "alert-rules", "config", "top", "as", "stopwords", "format"},
                            {"timing"}};
  return spec;
}
const ArgSpec& WeightsSpec() {
  static const ArgSpec spec{{"db", "tz", "from", "to", "by", "values", "framework", "format", "ahp", "as"},
                            {}};
  return spec;
}

const ArgSpec& PartialsSpec() {
  static const ArgSpec spec{{"db", "tz", "from", "to", "by", "out", "key", "as"}, {}};
  return spec;
}
const ArgSpec& MergeSpec() {
  static const ArgSpec spec{
      {"trust", "format", "framework", "uncertainty", "seed", "spread"},
      {"score", "switch-normalisation"}};
  return spec;
}

Result<std::string> FormatOf(const Args& args, const std::string& fallback,
                             std::initializer_list<const char*> allowed) {
  const std::string format = args.Get("format", fallback);
  std::string listed;
  size_t i = 0;
  for (const char* a : allowed) {
    if (format == a) return format;
    listed += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ");
    listed += a;
    ++i;
  }
  return Status::Usage(fmt::format("--format must be {}, not '{}'", listed, format));
}

const ArgSpec& CasesSpec() {
  static const ArgSpec spec{{"db", "tz", "at", "state", "by", "format", "as", "config"},
                            {"overdue"}};
  return spec;
}

const ArgSpec& CaseActSpec() {
  static const ArgSpec spec{
      {"db", "tz", "actor", "note", "reason", "revisit-score", "format", "config"}, {}};
  return spec;
}

const ArgSpec& CasesInviteSpec() {
  static const ArgSpec spec{{"db", "tz", "at", "after-days", "as"}, {}};
  return spec;
}

Result<app::CasesRequest> CasesRequestOf(const Args& args, int64_t now_ms, std::string* by) {
  app::CasesRequest r;
  r.at = args.Get("at");
  r.at_ms = now_ms;
  r.zone = args.Get("tz");
  if (args.Has("state")) {
    r.state = ParseCaseState(args.Get("state"));
    if (!r.state.has_value()) {
      return Status::Usage(fmt::format(
          "--state: unknown state '{}' (open, verified, rectified, revisited, closed, invalid)",
          args.Get("state")));
    }
  }
  r.overdue_only = args.Has("overdue");
  *by = args.Get("by");
  if (!by->empty() && *by != "region" && *by != "dept") {
    return Status::Usage(fmt::format("--by: cases group by region or dept, not '{}'", *by));
  }
  if (args.Has("config")) {
    GOVQM_ASSIGN_OR_RETURN(r.deadlines, ClosedLoopOfConfig(args.Get("config")));
  }
  return r;
}

Result<app::CaseActionRequest> CaseActionRequestOf(const std::string& id,
                                                  const std::string& action, const Args& args,
                                                  int64_t now_ms) {
  app::CaseActionRequest r;
  r.id = id;
  const std::optional<CaseAction> parsed = ParseCaseAction(action);
  if (!parsed.has_value()) {
    return Status::Usage(fmt::format(
        "cases act: unknown action '{}' (assign, verify, rectify, revisit, close, invalidate)",
        action));
  }
  r.action = *parsed;
  r.actor = args.Get("actor");
  r.note = args.Get("note");
  r.reason = args.Get("reason");
  if (args.Has("revisit-score")) {
    const std::string v = args.Get("revisit-score");
    if (v.size() != 1 || v[0] < '1' || v[0] > '5') {
      return Status::Usage(fmt::format("--revisit-score must be 1 to 5, not '{}'", v));
    }
    r.revisit_score = v[0] - '0';
  }
  r.at_ms = now_ms;
  r.zone = args.Get("tz");
  if (args.Has("config")) {
    GOVQM_ASSIGN_OR_RETURN(r.deadlines, ClosedLoopOfConfig(args.Get("config")));
  }
  return r;
}

Result<app::InviteRequest> InviteRequestOf(const Args& args, int64_t now_ms) {
  app::InviteRequest r;
  r.at = args.Get("at");
  r.at_ms = now_ms;
  r.zone = args.Get("tz");
  if (args.Has("after-days")) {
    const std::string v = args.Get("after-days");
    char* end = nullptr;
    const long days = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || days < 0 || days > 365) {
      return Status::Usage(fmt::format("--after-days must be a whole number from 0 to 365, not '{}'", v));
    }
    r.after_days = static_cast<int>(days);
  }
  return r;
}

Result<app::IndicatorsRequest> IndicatorsRequestOf(const Args& args) {
  app::IndicatorsRequest request;
  request.from = args.Get("from");
  request.to = args.Get("to");
  request.zone = args.Get("tz");
  request.only = app::SplitList(args.Get("only"));
  GOVQM_ASSIGN_OR_RETURN(request.keys, app::ParseGroupKeys(args.Get("by")));
  return request;
}

Result<app::PartialsRequest> PartialsRequestOf(const Args& args) {
  for (const char* required : {"from", "to", "by"}) {
    if (args.Get(required).empty()) return Status::Usage(fmt::format("--{} is required", required));
  }
  app::PartialsRequest request;
  request.from = args.Get("from");
  request.to = args.Get("to");
  request.zone = args.Get("tz");
  request.key_file = args.Get("key");
  GOVQM_ASSIGN_OR_RETURN(request.keys, app::ParseGroupKeys(args.Get("by")));
  return request;
}

Result<app::MergeRequest> MergeRequestOf(const Args& args) {
  if (args.positional.empty()) return Status::Usage("merge needs at least one partials FILE");
  if (args.Get("trust").empty()) {
    return Status::Usage("--trust DIR is required (the directory of the trusted .pub files)");
  }
  return app::MergeRequest{args.positional, args.Get("trust")};
}

Result<app::ScoreRequest> ScoreRequestOf(const Args& args) {
  if (!args.Has("uncertainty") &&
      (args.Has("seed") || args.Has("spread") || args.flags.count("switch-normalisation"))) {
    return Status::Usage("--seed, --spread and --switch-normalisation need --uncertainty N");
  }
  app::ScoreRequest request;
  if (args.Has("uncertainty")) {
    GOVQM_ASSIGN_OR_RETURN(request.uncertainty, ParseUncertainty(args));
  }
  GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
  return request;
}

Result<app::ExplainRequest> ExplainRequestOf(const Args& args) {
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
  GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
  return request;
}

Result<app::DisparityRequest> DisparityRequestOf(const Args& args) {
  if (args.Has("indicator") == args.Has("score")) {
    return Status::Usage("give one of --indicator CODE or --score LEVEL");
  }
  if (args.Has("within") && args.Has("values")) {
    return Status::Usage("--within KEY groups the store's units; it does not apply to --values");
  }
  app::DisparityRequest request;
  request.indicator = args.Get("indicator");
  request.score = args.Get("score");
  request.within = args.Get("within");
  GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
  return request;
}

Result<app::WeightsRequest> WeightsRequestOf(const Args& args) {
  app::WeightsRequest request;
  request.has_data = args.Has("values") || args.Has("from");
  if (request.has_data) {
    GOVQM_ASSIGN_OR_RETURN(request.input, ScoringRequestOf(args));
  }
  return request;
}

Result<app::DiagnoseRequest> DiagnoseRequestOf(const Args& args) {
  for (const char* opt : {"from", "to", "by", "unit"}) {
    if (args.Get(opt).empty()) {
      return Status::Usage(fmt::format("--{} is required (diagnose --from DATE --to DATE --by KEY "
                                       "--unit U)",
                                       opt));
    }
  }
  app::DiagnoseRequest request;
  request.unit = args.Get("unit");
  request.input.from = args.Get("from");
  request.input.to = args.Get("to");
  request.input.by = args.Get("by");
  request.input.zone = args.Get("tz");
  // The stop words are data: a bare name is looked up in the data directory's diagnosis/.
  const std::string data_dir = platform::DataDir();
  request.stopwords_file =
      args.Has("stopwords")
          ? platform::DataFile(data_dir, "diagnosis", args.Get("stopwords"), ".txt")
          : platform::DataFile(data_dir, "diagnosis", "stopwords-zh", ".txt");
  return request;
}

Result<app::BulletinRequest> BulletinRequestOf(const Args& args, std::string* rules_file) {
  for (const char* opt : {"from", "to", "by"}) {
    if (args.Get(opt).empty()) {
      return Status::Usage(fmt::format(
          "--{} is required (report --from DATE --to DATE --by KEY --out FILE.html|FILE.xlsx)",
          opt));
    }
  }
  app::BulletinRequest request;
  request.input.from = args.Get("from");
  request.input.to = args.Get("to");
  request.input.by = args.Get("by");
  request.input.zone = args.Get("tz");
  if (args.Has("top")) {
    const std::string v = args.Get("top");
    char* end = nullptr;
    const long top = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || top < 1 || top > 100) {
      return Status::Usage(fmt::format("--top must be a whole number from 1 to 100, not '{}'", v));
    }
    request.top = static_cast<size_t>(top);
  }
  const std::string data_dir = platform::DataDir();
  request.stopwords_file =
      args.Has("stopwords")
          ? platform::DataFile(data_dir, "diagnosis", args.Get("stopwords"), ".txt")
          : platform::DataFile(data_dir, "diagnosis", "stopwords-zh", ".txt");
  *rules_file = args.Has("alert-rules")
                    ? platform::DataFile(data_dir, "alerts", args.Get("alert-rules"), ".toml")
                    : platform::DataFile(data_dir, "alerts", "example", ".toml");
  if (args.Has("config")) {
    GOVQM_ASSIGN_OR_RETURN(request.deadlines, ClosedLoopOfConfig(args.Get("config")));
  }
  return request;
}

Result<render::Lang> LangOf(const Args& args) {
  const std::string v = args.Get("lang", "zh");
  const std::optional<render::Lang> lang = render::ParseLang(v);
  if (!lang) return Status::Usage(fmt::format("--lang must be zh or en, not '{}'", v));
  return *lang;
}

}  // namespace govqm::cli

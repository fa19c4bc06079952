#include "app/public_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "app/scope.h"

namespace govqm::app {
namespace {

// The count row a point-in-time indicator is judged by ("" for a measured one).
std::string_view ReferenceOf(std::string_view code) {
  const int i = FindIndicator(code);
  if (i < 0 || Catalog()[i].measure != Measure::kPointInTime) return "";
  return Catalog()[i].family == "data_quality" && code.starts_with("eval_") ? "evaluations"
                                                                            : "volume";
}

const std::string kSuppressedNote =
    fmt::format("suppressed: fewer than {} records", static_cast<int>(kPublicMinRecords));

}  // namespace

Result<PublicIndicatorsResult> PublicIndicatorsView(const IndicatorsResult& result) {
  // Each group's count rows, for its point-in-time values.
  std::map<std::pair<std::vector<std::string>, std::string_view>, double> counts;
  for (const IndicatorRow& row : result.rows) {
    if (!row.base) {
      return Status::FailedPrecondition(
          "public view: indicators computed without base measures (records behind each value)");
    }
    if (row.indicator == "volume" || row.indicator == "evaluations") {
      counts[{row.keys, row.indicator}] = row.base->sample;
    }
  }
  PublicIndicatorsResult out;
  out.keys = result.keys;
  out.rows.reserve(result.rows.size());
  for (const IndicatorRow& row : result.rows) {
    double records = row.base->sample;
    if (const std::string_view ref = ReferenceOf(row.indicator); !ref.empty()) {
      auto it = counts.find({row.keys, ref});
      records = it == counts.end() ? 0 : it->second;  // not known: not shown
    }
    PublicIndicatorRow p{row.keys, row.indicator, row.value, records < kPublicMinRecords};
    if (p.suppressed) p.value.reset();
    out.rows.push_back(std::move(p));
  }
  return out;
}

Result<PublicIndicatorsResult> PublicIndicators(const Store& store, IndicatorsRequest request,
                                                platform::Env& env) {
  request.base_measures = true;
  // The count rows point-in-time values are judged by, when not asked for themselves.
  std::vector<std::string_view> added;
  if (!request.only.empty()) {
    for (size_t i = 0, n = request.only.size(); i < n; ++i) {
      const std::string ref(ReferenceOf(request.only[i]));
      if (!ref.empty() &&
          std::find(request.only.begin(), request.only.end(), ref) == request.only.end()) {
        request.only.push_back(ref);
        added.push_back(Catalog()[FindIndicator(ref)].code);
      }
    }
  }
  GOVQM_ASSIGN_OR_RETURN(const IndicatorsResult result, Indicators(store, request, env));
  GOVQM_ASSIGN_OR_RETURN(PublicIndicatorsResult out, PublicIndicatorsView(result));
  std::erase_if(out.rows, [&](const PublicIndicatorRow& r) {
    return std::find(added.begin(), added.end(), r.indicator) != added.end();
  });
  return out;
}

Result<ScoreOutput> PublicScore(LoadedFramework framework, const ScoreRequest& request,
                                const Store& store) {
  if (!request.input.values_file.empty()) {
    return Status::Invalid("public score: only the store's data, not a values file");
  }
  Framework& fw = framework.fw;
  GOVQM_ASSIGN_OR_RETURN(ScoringInput in, LoadScoringInput(request.input, fw, &store, false));
  in.source = "store";  // the store's path is the deployment's business

  // Indicator values of fewer than k records are left out before scoring.
  if (!in.options.only.empty()) {
    EngineOptions o = in.options;
    o.base_measures = true;
    for (std::string_view ref : {"volume", "evaluations"}) {
      if (std::find(o.only.begin(), o.only.end(), ref) == o.only.end()) o.only.emplace_back(ref);
    }
    IndicatorsResult computed;
    computed.keys = o.keys;
    GOVQM_ASSIGN_OR_RETURN(computed.rows, ComputeScoped(*in.data, o, in.scope));
    GOVQM_ASSIGN_OR_RETURN(const PublicIndicatorsResult view, PublicIndicatorsView(computed));
    std::map<std::string, size_t> unit_index;
    for (size_t u = 0; u < in.values.units.size(); ++u) unit_index[in.values.units[u]] = u;
    for (const PublicIndicatorRow& r : view.rows) {
      if (!r.suppressed) continue;
      auto it = unit_index.find(r.keys[0]);
      if (it == unit_index.end()) continue;
      if (const int i = fw.FindIndicator(r.indicator); i >= 0) {
        in.values.values[it->second][i].reset();
      }
      for (size_t k = 0; k < fw.context.size(); ++k) {
        if (fw.context[k] == r.indicator) in.context[it->second][k].reset();
      }
    }
  }
  // Units of fewer than k records (or an unknown count) are not scored at all.
  fw.min_sample = std::max(fw.min_sample, static_cast<int>(kPublicMinRecords));
  std::vector<bool> suppressed(in.values.units.size());
  for (size_t u = 0; u < suppressed.size(); ++u) {
    const auto& s = in.values.sample[u];
    suppressed[u] = !s || *s < kPublicMinRecords;
    if (!s) in.values.sample[u] = 0;  // unknown counts as too few
  }
  GOVQM_ASSIGN_OR_RETURN(ScoreResult res, ScoreUnits(fw, in.values));
  if (request.uncertainty) {
    GOVQM_RETURN_IF_ERROR(RankUncertainty(fw, in.values, *request.uncertainty, &res));
  }
  for (size_t u = 0; u < suppressed.size(); ++u) {
    if (!suppressed[u]) continue;
    UnitScore& us = res.units[u];
    us.sample.reset();
    std::fill(us.node_score.begin(), us.node_score.end(), std::nullopt);
    std::fill(us.stage_score.begin(), us.stage_score.end(), std::nullopt);
    std::fill(us.dimension_score.begin(), us.dimension_score.end(), std::nullopt);
    std::fill(us.indicator_score.begin(), us.indicator_score.end(), std::nullopt);
    us.grade = nullptr;
    us.rank = 0;
    us.rank_note = kSuppressedNote;
    us.rank_median.reset();
    us.rank_p05.reset();
    us.rank_p95.reset();
    std::fill(in.values.values[u].begin(), in.values.values[u].end(), std::nullopt);
    std::fill(in.context[u].begin(), in.context[u].end(), std::nullopt);
    in.values.sample[u].reset();
  }
  ScoreOutput out{std::move(framework), std::move(in), std::move(res)};
  out.suppressed = std::move(suppressed);
  return out;
}

}  // namespace govqm::app

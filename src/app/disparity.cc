#include "app/disparity.h"

#include <fmt/format.h>

#include <map>

namespace govqm::app {

Result<DisparityOutput> Disparity(const LoadedFramework& framework, const DisparityRequest& request,
                                  const Store* store) {
  const Framework* fw = &framework.fw;
  GOVQM_ASSIGN_OR_RETURN(auto in_value, LoadScoringInput(request.input, *fw, store, false));
  ScoringInput* in = &in_value;
  const size_t n = in->values.units.size();
  std::vector<std::optional<double>> per_unit(n);
  std::string what;
  std::optional<ScoreResult> res;
  if (!request.indicator.empty()) {
    const std::string code = request.indicator;
    what = "indicator " + code;
    if (const int i = fw->FindIndicator(code); i >= 0) {
      for (size_t u = 0; u < n; ++u) per_unit[u] = in->values.values[u][i];
    } else {
      int k = -1;
      for (size_t c = 0; c < fw->context.size(); ++c) {
        if (fw->context[c] == code) k = static_cast<int>(c);
      }
      if (k < 0 && (!in->key || FindIndicator(code) < 0)) {
        return Status::NotFound(fmt::format("unknown indicator '{}'", code));
      }
      if (k >= 0) {
        for (size_t u = 0; u < n; ++u) per_unit[u] = in->context[u][k];
      } else {
        EngineOptions o = in->options;
        o.only = {code};
        auto rows = ComputeScoped(*in->data, o, in->scope);
        if (!rows.ok()) return rows.status();
        std::map<std::string, double> v;
        for (const IndicatorRow& r : *rows) {
          if (r.value) v[r.keys[0]] = *r.value;
        }
        for (size_t u = 0; u < n; ++u) {
          if (auto it = v.find(in->values.units[u]); it != v.end()) per_unit[u] = it->second;
        }
      }
    }
  } else {
    const std::string level = request.score;
    what = "score " + level;
    auto scored = ScoreUnits(*fw, in->values);
    if (!scored.ok()) return scored.status();
    res = std::move(scored.value());
    const int node = level == "index" ? 0 : fw->FindNode(level);
    int stage = -1, dim = -1;
    for (size_t k = 0; k < fw->stages.size(); ++k) {
      if (fw->stages[k].code == level) stage = static_cast<int>(k);
    }
    for (size_t k = 0; k < fw->dimensions.size(); ++k) {
      if (fw->dimensions[k].code == level) dim = static_cast<int>(k);
    }
    if (node < 0 && stage < 0 && dim < 0) {
      return Status::NotFound(fmt::format(
          "no level '{}' (index, a stage, a dimension, a cell, a block or a node)", level));
    }
    for (size_t u = 0; u < n; ++u) {
      const UnitScore& us = res->units[u];
      per_unit[u] = node >= 0    ? us.node_score[node]
                    : stage >= 0 ? us.stage_score[stage]
                                 : us.dimension_score[dim];
    }
  }
  // Groups for the Theil decomposition: the --within label holding most of the unit's records.
  std::vector<std::string> group_of(n);
  if (!request.within.empty()) {
    auto within = ParseGroupKey(request.within);
    if (!within) return Status::Usage(fmt::format("unknown key '{}' in --within", request.within));
    EngineOptions o = in->options;
    o.keys = {*in->key, *within};
    o.only = {FindIndicator(fw->sample_indicator) >= 0 ? fw->sample_indicator : "volume"};
    auto rows = ComputeScoped(*in->data, o, in->scope);
    if (!rows.ok()) return rows.status();
    std::map<std::string, std::pair<double, std::string>> best;
    for (const IndicatorRow& r : *rows) {
      const double v = r.value.value_or(0);
      auto [it, fresh] = best.try_emplace(r.keys[0], v, r.keys[1]);
      if (!fresh && v > it->second.first) it->second = {v, r.keys[1]};
    }
    for (size_t u = 0; u < n; ++u) {
      if (auto it = best.find(in->values.units[u]); it != best.end())
        group_of[u] = it->second.second;
    }
  }
  std::vector<double> values;
  std::vector<std::string> groups;
  std::vector<std::string> left_out;
  for (size_t u = 0; u < n; ++u) {
    if (!per_unit[u]) {
      left_out.push_back(in->values.units[u]);
      continue;
    }
    values.push_back(*per_unit[u]);
    if (!request.within.empty()) groups.push_back(group_of[u].empty() ? "(none)" : group_of[u]);
  }
  auto d = govqm::Disparity(values, groups);
  if (!d.ok()) return d.status();
  std::vector<std::pair<std::string, size_t>> grades;
  if (res) {
    std::vector<std::pair<std::string, double>> bands;
    for (const GradeBand& b : fw->grades) bands.emplace_back(b.label, b.min);
    grades = GradeDistribution(values, bands);
  }
  DisparityOutput out;
  out.what = what;
  out.by = in->key ? in->by : "unit";
  out.source = in->source;
  out.from_store = in->key.has_value();
  out.from = in->from_text;
  out.to = in->to_text;
  out.result = std::move(d.value());
  out.left_out = left_out.size();
  out.grades = std::move(grades);
  return out;
}

}  // namespace govqm::app

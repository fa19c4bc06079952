// govqm disparity — how unequal the units are on one indicator or one score: Gini, Theil T
// (with its between/within decomposition by --within KEY), coefficient of variation, max/min
// ratio, and for scores the grade distribution.
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <string>

#include "cli/commands_internal.h"
#include "cli/framework_input.h"
#include "cli/output.h"
#include "framework/disparity.h"

namespace govqm::cli {
namespace {

std::string Opt(const std::optional<double>& v) { return v ? fmt::format("{:.6f}", *v) : "-"; }

}  // namespace

Status RunDisparity(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2,
                        {{"db", "tz", "from", "to", "by", "within", "values", "framework", "format",
                          "indicator", "score"},
                         {}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) return Status::Usage("disparity takes no positional arguments");
  if (args->Has("indicator") == args->Has("score")) {
    return Status::Usage("give one of --indicator CODE or --score LEVEL");
  }
  const std::string format = args->Get("format", "table");
  if (format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be table or json, not '{}'", format));
  }
  if (args->Has("within") && args->Has("values")) {
    return Status::Usage("--within KEY groups the store's units; it does not apply to --values");
  }
  std::string fw_path;
  auto fw = LoadFrameworkFile(*args, &fw_path);
  if (!fw.ok()) return fw.status();
  auto in = LoadScoringInput(*args, *fw, false);
  if (!in.ok()) return in.status();
  const size_t n = in->values.units.size();
  std::vector<std::optional<double>> per_unit(n);
  std::string what;
  std::optional<ScoreResult> res;
  if (args->Has("indicator")) {
    const std::string code = args->Get("indicator");
    what = "indicator " + code;
    if (const int i = fw->FindIndicator(code); i >= 0) {
      for (size_t u = 0; u < n; ++u) per_unit[u] = in->values.values[u][i];
    } else {
      int k = -1;
      for (size_t c = 0; c < fw->context.size(); ++c) {
        if (fw->context[c] == code) k = static_cast<int>(c);
      }
      if (k < 0 && (!in->key || FindIndicator(code) < 0)) {
        return Status::Invalid(fmt::format("unknown indicator '{}'", code));
      }
      if (k >= 0) {
        for (size_t u = 0; u < n; ++u) per_unit[u] = in->context[u][k];
      } else {
        EngineOptions o = in->options;
        o.only = {code};
        auto rows = ComputeIndicators(*in->data, o);
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
    const std::string level = args->Get("score");
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
      return Status::Invalid(fmt::format("no level '{}' (index, a stage, a dimension, a cell, a block or a node)", level));
    }
    for (size_t u = 0; u < n; ++u) {
      const UnitScore& us = res->units[u];
      per_unit[u] = node >= 0 ? us.node_score[node] : stage >= 0 ? us.stage_score[stage] : us.dimension_score[dim];
    }
  }
  // Groups for the Theil decomposition: the --within label holding most of the unit's records.
  std::vector<std::string> group_of(n);
  if (args->Has("within")) {
    auto within = ParseGroupKey(args->Get("within"));
    if (!within) return Status::Usage(fmt::format("unknown key '{}' in --within", args->Get("within")));
    EngineOptions o = in->options;
    o.keys = {*in->key, *within};
    o.only = {FindIndicator(fw->sample_indicator) >= 0 ? fw->sample_indicator : "volume"};
    auto rows = ComputeIndicators(*in->data, o);
    if (!rows.ok()) return rows.status();
    std::map<std::string, std::pair<double, std::string>> best;
    for (const IndicatorRow& r : *rows) {
      const double v = r.value.value_or(0);
      auto [it, fresh] = best.try_emplace(r.keys[0], v, r.keys[1]);
      if (!fresh && v > it->second.first) it->second = {v, r.keys[1]};
    }
    for (size_t u = 0; u < n; ++u) {
      if (auto it = best.find(in->values.units[u]); it != best.end()) group_of[u] = it->second.second;
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
    if (args->Has("within")) groups.push_back(group_of[u].empty() ? "(none)" : group_of[u]);
  }
  auto d = Disparity(values, groups);
  if (!d.ok()) return d.status();
  std::vector<std::pair<std::string, size_t>> grades;
  if (res) {
    std::vector<std::pair<std::string, double>> bands;
    for (const GradeBand& b : fw->grades) bands.emplace_back(b.label, b.min);
    grades = GradeDistribution(values, bands);
  }
  if (format == "json") {
    std::string out = fmt::format(
        "{{\"of\":{},\"by\":{},\"units\":{},\"left_out\":{},\"mean\":{},\"min\":{},\"max\":{},\"gini\":{},"
        "\"theil\":{},\"theil_between\":{},\"theil_within\":{},\"cv\":{},\"max_min_ratio\":{},\"groups\":[",
        JsonString(what), JsonString(in->key ? in->by : "unit"), d->units, left_out.size(), NumberText(d->mean),
        NumberText(d->min), NumberText(d->max), JsonNumber(d->gini), JsonNumber(d->theil),
        JsonNumber(d->theil_between), JsonNumber(d->theil_within), JsonNumber(d->cv), JsonNumber(d->max_min_ratio));
    for (size_t g = 0; g < d->groups.size(); ++g) {
      const TheilGroup& tg = d->groups[g];
      out += fmt::format("{}{{\"group\":{},\"units\":{},\"mean\":{},\"share_of_total\":{},\"theil_within\":{}}}",
                         g ? "," : "", JsonString(tg.group), tg.units, NumberText(tg.mean),
                         NumberText(tg.share_of_total), NumberText(tg.theil_within));
    }
    out += "],\"grades\":{";
    for (size_t g = 0; g < grades.size(); ++g) {
      out += fmt::format("{}{}:{}", g ? "," : "", JsonString(grades[g].first), grades[g].second);
    }
    out += "}}\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return Status::Ok();
  }
  std::printf("disparity of %s across %zu units (%s)%s\n", what.c_str(), d->units, in->source.c_str(),
              in->key ? fmt::format(", [{}, {}) by {}", in->from_text, in->to_text, in->by).c_str() : "");
  if (!left_out.empty()) std::printf("left out (no value): %zu unit(s)\n", left_out.size());
  std::printf("mean %.6f  min %.6f  max %.6f\n", d->mean, d->min, d->max);
  std::printf("Gini           %s\n", Opt(d->gini).c_str());
  std::printf("Theil T        %s\n", Opt(d->theil).c_str());
  if (!d->groups.empty()) {
    std::printf("  between      %s\n  within       %s\n", Opt(d->theil_between).c_str(), Opt(d->theil_within).c_str());
    for (const TheilGroup& g : d->groups) {
      std::printf("    %-14s units %3zu  mean %.6f  share %.4f  Theil within %.6f\n", g.group.c_str(), g.units,
                  g.mean, g.share_of_total, g.theil_within);
    }
  }
  std::printf("CV             %s\n", Opt(d->cv).c_str());
  std::printf("max/min        %s\n", Opt(d->max_min_ratio).c_str());
  if (!grades.empty()) {
    std::printf("grades:");
    for (const auto& [label, count] : grades) std::printf("  %s %zu", label.c_str(), count);
    std::printf("\n");
  }
  return Status::Ok();
}

}  // namespace govqm::cli

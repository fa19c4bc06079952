// govqm explain — the chain behind one number of `score`: index → (matrix) → cell, stage,
// dimension or block → indicators → value → base measures (numerator, denominator, sample)
// → a few record ids. Base measures are re-derived from the records (cli/base_measures.h) and
// checked against the engine's value.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "cli/base_measures.h"
#include "cli/commands_internal.h"
#include "cli/framework_input.h"
#include "cli/output.h"
#include "core/engine/quantile.h"

namespace govqm::cli {
namespace {

std::string Name(const std::string& name, const std::string& name_en) {
  if (name.empty()) return name_en;
  if (name_en.empty() || name_en == name) return name;
  return name + " / " + name_en;
}

std::string Ids(const std::vector<std::string>& ids) {
  std::string s;
  for (const std::string& id : ids) s += (s.empty() ? "" : ", ") + id;
  return s;
}

std::string RuleText(const IndicatorSpec& s) {
  switch (s.rule) {
    case ScoringRule::kTarget:
      return fmt::format("target rule: {} → 0, {} → 100, linear, clamped ({} is better)", NumberText(s.floor),
                         NumberText(s.target), DirectionName(s.direction));
    case ScoringRule::kMinMax:
      return fmt::format("min-max across the {} units ({} is better)", "compared", DirectionName(s.direction));
    case ScoringRule::kZScore:
      return fmt::format("50 + 10·z across the compared units ({} is better)", DirectionName(s.direction));
    case ScoringRule::kNone:
      return "the value is the score";
  }
  return "";
}

class Explainer {
 public:
  Explainer(const Framework& fw, const ScoringInput& in, const ScoreResult& res, size_t unit)
      : fw_(fw), in_(in), res_(res), u_(unit), us_(res.units[unit]) {}

  // One line per child of `node`: its score, weight and share of the node's score.
  void Children(int node, const std::string& indent) {
    const Node& n = fw_.nodes[node];
    double present = 0;
    for (int c : n.children) present += us_.node_score[c] ? res_.node_weight[c] : 0;
    for (int c : n.indicators) present += us_.indicator_score[c] ? res_.indicator_weight[c] : 0;
    std::printf("%s= %s weighted mean of its children (weights renormalised over the %s present):\n",
                indent.c_str(), std::string(AggregationName(n.aggregation)).c_str(),
                present < 1 - 1e-12 ? "ones" : "children, all");
    for (int c : n.children) {
      const Node& k = fw_.nodes[c];
      std::printf("%s  %-28s score %7s  weight %.4f%s\n", indent.c_str(), k.code.c_str(),
                  ScoreText(us_.node_score[c]).c_str(), res_.node_weight[c],
                  us_.node_score[c] ? fmt::format("  (effective {:.4f})", res_.node_weight[c] / present).c_str()
                                    : "  missing: weight shared among the others");
    }
    for (int c : n.indicators) {
      std::printf("%s  %-28s score %7s  weight %.4f%s\n", indent.c_str(), fw_.indicators[c].code.c_str(),
                  ScoreText(us_.indicator_score[c]).c_str(), res_.indicator_weight[c],
                  us_.indicator_score[c]
                      ? fmt::format("  (effective {:.4f})", res_.indicator_weight[c] / present).c_str()
                      : "  missing: weight shared among the others");
    }
  }

  void Indicator(int i, const std::string& indent) {
    const IndicatorSpec& s = fw_.indicators[i];
    const auto& value = in_.values.values[u_][i];
    std::printf("%sindicator %s (%s)\n", indent.c_str(), s.code.c_str(), Name(s.name, s.name_en).c_str());
    if (!value) {
      std::printf("%s  no value for this unit: left out, its weight shared within %s\n", indent.c_str(),
                  fw_.nodes[s.parent].code.c_str());
      return;
    }
    std::printf("%s  value %s → score %s  [%s]\n", indent.c_str(), NumberText(*value).c_str(),
                ScoreText(us_.indicator_score[i]).c_str(), RuleText(s).c_str());
    if (!s.reason.empty()) std::printf("%s  why here: %s\n", indent.c_str(), s.reason.c_str());
    if (!in_.key) {
      std::printf("%s  from %s (no base measures: not govqm's store)\n", indent.c_str(), in_.source.c_str());
      return;
    }
    if (FindIndicator(s.code) < 0) {  // an org indicator
      const auto& rows = in_.org_rows[u_][i];
      const Table& t = in_.data->org;
      std::printf("%s  org indicator: mean of %zu period(s) overlapping the scored period:\n", indent.c_str(),
                  rows.size());
      for (size_t r : rows) {
        std::printf("%s    %s %s = %s  evidence: %s\n", indent.c_str(),
                    std::string(t.col(org_col::kUnitCode).CodeAt(r)).c_str(),
                    std::string(t.col(org_col::kPeriod).CodeAt(r)).c_str(),
                    NumberText(t.col(org_col::kValue).reals[r]).c_str(),
                    std::string(t.col(org_col::kEvidence).TextAt(r)).c_str());
      }
      return;
    }
    const BaseMeasure b = ComputeBaseMeasure(*in_.data, in_.options, *in_.key, us_.unit, s.code);
    if (!b.available) {
      std::printf("%s  base measures: %s (value as computed by govqm indicators)\n", indent.c_str(), b.why.c_str());
      return;
    }
    // Past 1,024 values the engine's percentiles come from a histogram within 0.39% of the
    // exact value computed here (core/engine/quantile.h).
    const bool sketched = (s.code == "p90_handling_days" || s.code == "sync_lag_p95_hours") &&
                          b.denominator > engine::QuantileValues::kExactLimit;
    const double tolerance = sketched && b.value
                                 ? engine::QuantileValues::kRelativeError * std::fabs(*b.value)
                                 : 1e-9 * std::max(1.0, std::fabs(*value));
    const bool agrees = b.value && std::fabs(*b.value - *value) <= tolerance;
    const std::string check = !agrees   ? "DIFFERS from govqm indicators"
                              : sketched ? "agrees with govqm indicators' percentile sketch, within 0.39%"
                                         : "agrees with govqm indicators";
    if (b.ratio) {
      std::printf("%s  base: %s %s / %s %s = %s (%s)\n", indent.c_str(), NumberText(b.numerator).c_str(),
                  b.numerator_label.c_str(), NumberText(b.denominator).c_str(), b.denominator_label.c_str(),
                  b.value ? NumberText(*b.value).c_str() : "null", check.c_str());
    } else if (!b.denominator_label.empty()) {
      std::printf("%s  base: %s = %s over %s %s (%s)\n", indent.c_str(), b.numerator_label.c_str(),
                  b.value ? NumberText(*b.value).c_str() : "null", NumberText(b.denominator).c_str(),
                  b.denominator_label.c_str(), check.c_str());
    } else {
      std::printf("%s  base: %s = %s (%s)\n", indent.c_str(), b.numerator_label.c_str(),
                  NumberText(b.numerator).c_str(), check.c_str());
    }
    if (!b.detail.empty()) std::printf("%s  %s\n", indent.c_str(), b.detail.c_str());
    std::printf("%s  sample: %s records in the period\n", indent.c_str(), NumberText(b.sample).c_str());
    if (!b.in_ids.empty()) std::printf("%s  records counted in: %s\n", indent.c_str(), Ids(b.in_ids).c_str());
    if (!b.out_ids.empty()) std::printf("%s  records not counted in: %s\n", indent.c_str(), Ids(b.out_ids).c_str());
  }

  // Path from the index down to `node` (exclusive), with scores and weights.
  void Path(int node) {
    std::vector<int> path;
    for (int n = fw_.nodes[node].parent; n >= 0; n = fw_.nodes[n].parent) path.push_back(n);
    double global = 1;
    std::string indent;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      const Node& n = fw_.nodes[*it];
      if (*it != 0) global *= res_.node_weight[*it];
      std::printf("%s%s %s %s: score %s%s\n", indent.c_str(), std::string(NodeKindName(n.kind)).c_str(),
                  n.code.c_str(), Name(n.name, n.name_en).c_str(), ScoreText(us_.node_score[*it]).c_str(),
                  *it == 0 ? "" : fmt::format(", weight {:.4f} in {} (global {:.4f})", res_.node_weight[*it],
                                              fw_.nodes[n.parent].code, global).c_str());
      indent += "  ";
    }
  }

  void NodeChain(int node) {
    Path(node);
    const Node& n = fw_.nodes[node];
    std::string indent;
    for (int p = n.parent; p >= 0; p = fw_.nodes[p].parent) indent += "  ";
    std::printf("%s%s %s %s: score %s\n", indent.c_str(), std::string(NodeKindName(n.kind)).c_str(),
                n.code.c_str(), Name(n.name, n.name_en).c_str(), ScoreText(us_.node_score[node]).c_str());
    Children(node, indent + "  ");
    for (int c : n.indicators) Indicator(c, indent + "  ");
    for (int c : n.children) {
      if (!fw_.nodes[c].children.empty()) continue;  // one level of nodes: their indicators below
      std::printf("%s  %s %s: score %s\n", indent.c_str(), std::string(NodeKindName(fw_.nodes[c].kind)).c_str(),
                  fw_.nodes[c].code.c_str(), ScoreText(us_.node_score[c]).c_str());
      for (int i : fw_.nodes[c].indicators) Indicator(i, indent + "    ");
    }
  }

  // A stage (axis 0) or dimension (axis 1): a view over the row's or column's cells.
  void View(int axis, int k) {
    const int matrix = fw_.FindNode("matrix");
    Path(matrix);
    const AxisLabel& a = axis == 0 ? fw_.stages[k] : fw_.dimensions[k];
    const auto& score = axis == 0 ? us_.stage_score[k] : us_.dimension_score[k];
    std::printf("  %s %s %s: score %s = %s weighted mean of its cells with the cells' weights in the matrix:\n",
                axis == 0 ? "stage" : "dimension", a.code.c_str(), Name(a.name, a.name_en).c_str(),
                ScoreText(score).c_str(), std::string(AggregationName(fw_.nodes[matrix].aggregation)).c_str());
    for (size_t n = 0; n < fw_.nodes.size(); ++n) {
      const Node& c = fw_.nodes[n];
      if (c.kind != NodeKind::kCell || (axis == 0 ? c.stage : c.dimension) != k) continue;
      std::printf("    cell %s: score %s, weight %.4f\n", c.code.c_str(), ScoreText(us_.node_score[n]).c_str(),
                  res_.node_weight[n]);
      for (int i : c.indicators) Indicator(i, "      ");
    }
  }

 private:
  const Framework& fw_;
  const ScoringInput& in_;
  const ScoreResult& res_;
  size_t u_;
  const UnitScore& us_;
};

}  // namespace

Status RunExplain(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2,
                        {{"db", "tz", "from", "to", "by", "values", "framework", "unit", "cell", "stage",
                          "dimension", "block", "node"},
                         {}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) return Status::Usage("explain takes no positional arguments");
  if (!args->Has("unit")) return Status::Usage("--unit U is required");
  int targets = 0;
  for (const char* t : {"cell", "stage", "dimension", "block", "node"}) targets += args->Has(t);
  if (targets > 1) return Status::Usage("give at most one of --cell, --stage, --dimension, --block, --node");
  std::string fw_path;
  auto fw = LoadFrameworkFile(*args, &fw_path);
  if (!fw.ok()) return fw.status();
  if ((args->Has("cell") || args->Has("stage") || args->Has("dimension")) && !fw->matrix) {
    return Status::Usage("--cell, --stage and --dimension need a matrix framework; use --node");
  }
  auto in = LoadScoringInput(*args, *fw, true);
  if (!in.ok()) return in.status();
  auto res = ScoreUnits(*fw, in->values);
  if (!res.ok()) return res.status();
  const std::string unit = args->Get("unit");
  size_t u = 0;
  while (u < in->values.units.size() && in->values.units[u] != unit) ++u;
  if (u == in->values.units.size()) return Status::Invalid(fmt::format("no unit '{}' in the scored data", unit));
  const UnitScore& us = res->units[u];

  std::printf("%s (version %s) — %s", fw->name.c_str(), fw->version.c_str(), in->source.c_str());
  if (in->key) std::printf(", [%s, %s) by %s", in->from_text.c_str(), in->to_text.c_str(), in->by.c_str());
  std::printf("\nunit %s%s%s: index %s, grade %s, %s\n\n", us.unit.c_str(), in->names[u].empty() ? "" : " ",
              in->names[u].c_str(), ScoreText(us.node_score[0]).c_str(), us.grade ? us.grade->label.c_str() : "-",
              us.rank > 0 ? fmt::format("rank {}", us.rank).c_str() : us.rank_note.c_str());
  Explainer ex(*fw, *in, *res, u);
  if (args->Has("stage") || args->Has("dimension")) {
    const bool stage = args->Has("stage");
    const std::string code = args->Get(stage ? "stage" : "dimension");
    const auto& axis = stage ? fw->stages : fw->dimensions;
    for (size_t k = 0; k < axis.size(); ++k) {
      if (axis[k].code == code) {
        ex.View(stage ? 0 : 1, static_cast<int>(k));
        return Status::Ok();
      }
    }
    return Status::Invalid(fmt::format("no {} '{}' in the framework", stage ? "stage" : "dimension", code));
  }
  std::string code = fw->nodes[0].code;
  for (const char* t : {"cell", "block", "node"}) {
    if (args->Has(t)) code = args->Get(t);
  }
  const int node = fw->FindNode(code);
  if (node < 0 || (args->Has("block") && fw->nodes[node].kind != NodeKind::kBlock) ||
      (args->Has("cell") && fw->nodes[node].kind != NodeKind::kCell)) {
    const char* what = args->Has("cell") ? "cell" : args->Has("block") ? "block" : "node";
    if (args->Has("cell")) {
      return Status::Invalid(fmt::format("no cell '{}' with indicators in the framework", code));
    }
    return Status::Invalid(fmt::format("no {} '{}' in the framework", what, code));
  }
  ex.NodeChain(node);
  return Status::Ok();
}

}  // namespace govqm::cli

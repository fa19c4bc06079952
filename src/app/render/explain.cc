#include "app/render/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "app/render/json.h"
#include "app/render/score.h"
#include "app/render/text.h"
#include "core/engine/quantile.h"

namespace govqm::render {
namespace {

using app::RecordExamples;

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
      return fmt::format("target rule: {} → 0, {} → 100, linear, clamped ({} is better)",
                         NumberText(s.floor), NumberText(s.target), DirectionName(s.direction));
    case ScoringRule::kMinMax:
      return fmt::format("min-max across the {} units ({} is better)", "compared",
                         DirectionName(s.direction));
    case ScoringRule::kZScore:
      return fmt::format("50 + 10·z across the compared units ({} is better)",
                         DirectionName(s.direction));
    case ScoringRule::kNone:
      return "the value is the score";
  }
  return "";
}

class Explainer {
 public:
  Explainer(const app::ExplainOutput& o, std::string* out)
      : fw_(o.score.framework.fw),
        in_(o.score.input),
        res_(o.score.result),
        o_(o),
        u_(o.unit),
        us_(res_.units[o.unit]),
        out_(out) {}

  // Why a child has no score: missing, or the whole unit is below the minimum sample.
  const char* Unscored() const {
    return us_.below_min_sample ? "  not scored: the unit is below min_sample"
                                : "  missing: weight shared among the others";
  }

  // One line per child of `node`: its score, weight and share of the node's score.
  void Children(int node, const std::string& indent) {
    const Node& n = fw_.nodes[node];
    double present = 0;
    for (int c : n.children) present += us_.node_score[c] ? res_.node_weight[c] : 0;
    for (int c : n.indicators) present += us_.indicator_score[c] ? res_.indicator_weight[c] : 0;
    Appendf(out_,
            "%s= %s weighted mean of its children (weights renormalised over the %s present):\n",
            indent.c_str(), std::string(AggregationName(n.aggregation)).c_str(),
            present < 1 - 1e-12 ? "ones" : "children, all");
    for (int c : n.children) {
      const Node& k = fw_.nodes[c];
      Appendf(out_, "%s  %-28s score %7s  weight %.4f%s\n", indent.c_str(), k.code.c_str(),
              ScoreText(us_.node_score[c]).c_str(), res_.node_weight[c],
              us_.node_score[c]
                  ? fmt::format("  (effective {:.4f})", res_.node_weight[c] / present).c_str()
                  : Unscored());
    }
    for (int c : n.indicators) {
      Appendf(out_, "%s  %-28s score %7s  weight %.4f%s\n", indent.c_str(),
              fw_.indicators[c].code.c_str(), ScoreText(us_.indicator_score[c]).c_str(),
              res_.indicator_weight[c],
              us_.indicator_score[c]
                  ? fmt::format("  (effective {:.4f})", res_.indicator_weight[c] / present).c_str()
                  : Unscored());
    }
  }

  void Indicator(int i, const std::string& indent) {
    const IndicatorSpec& s = fw_.indicators[i];
    const auto& value = in_.values.values[u_][i];
    Appendf(out_, "%sindicator %s (%s)\n", indent.c_str(), s.code.c_str(),
            Name(s.name, s.name_en).c_str());
    if (!value) {
      Appendf(out_, "%s  no value for this unit: left out, its weight shared within %s\n",
              indent.c_str(), fw_.nodes[s.parent].code.c_str());
      return;
    }
    Appendf(out_, "%s  value %s → score %s  [%s]\n", indent.c_str(), NumberText(*value).c_str(),
            ScoreText(us_.indicator_score[i]).c_str(), RuleText(s).c_str());
    if (!s.reason.empty()) Appendf(out_, "%s  why here: %s\n", indent.c_str(), s.reason.c_str());
    if (!in_.key) {
      Appendf(out_, "%s  from %s (no base measures: not govqm's store)\n", indent.c_str(),
              in_.source.c_str());
      return;
    }
    if (FindIndicator(s.code) < 0) {  // an org indicator
      const auto& rows = in_.org_rows[u_][i];
      const Table& t = in_.data->org;
      Appendf(out_, "%s  org indicator: mean of %zu period(s) overlapping the scored period:\n",
              indent.c_str(), rows.size());
      for (size_t r : rows) {
        Appendf(out_, "%s    %s %s = %s  evidence: %s\n", indent.c_str(),
                std::string(t.col(org_col::kUnitCode).CodeAt(r)).c_str(),
                std::string(t.col(org_col::kPeriod).CodeAt(r)).c_str(),
                NumberText(t.col(org_col::kValue).reals[r]).c_str(),
                std::string(t.col(org_col::kEvidence).TextAt(r)).c_str());
      }
      return;
    }
    const auto& evidence = o_.evidence[i];
    if (!evidence || !evidence->available) {
      Appendf(out_, "%s  base measures: %s (value as computed by govqm indicators)\n",
              indent.c_str(), evidence ? evidence->why.c_str() : "not shown");
      return;
    }
    const BaseMeasures& b = evidence->base;
    const IndicatorInfo& info = Catalog()[FindIndicator(s.code)];
    // The value again from its base measures, as the catalog's formula makes it.
    std::optional<double> again;
    switch (info.measure) {
      case Measure::kCount:
      case Measure::kPointInTime:
        again = evidence->value ? std::optional<double>(b.numerator) : std::nullopt;
        break;
      case Measure::kRatio:
        if (b.denominator > 0) again = b.numerator / b.denominator;
        break;
      case Measure::kGap:
        if (b.denominator > 0 && b.reference_denominator > 0) {
          again = b.numerator / b.denominator - b.reference_numerator / b.reference_denominator;
        }
        break;
      case Measure::kPercentile:
        again = evidence->value;
        break;
    }
    // Past 1,024 values the engine's percentiles come from a histogram within 0.39% of the
    // exact value (core/engine/quantile.h).
    const bool sketched =
        info.measure == Measure::kPercentile && b.denominator > engine::QuantileValues::kExactLimit;
    const bool agrees = again && evidence->value && *again == *evidence->value &&
                        std::fabs(*again - *value) <= 1e-9 * std::max(1.0, std::fabs(*value));
    const std::string check = !agrees ? "DIFFERS from govqm indicators"
                              : sketched
                                  ? "agrees with govqm indicators' percentile sketch, within 0.39%"
                                  : "agrees with govqm indicators";
    const std::string shown = again ? NumberText(*again) : "null";
    if (info.measure == Measure::kRatio) {
      Appendf(out_, "%s  base: %s %s / %s %s = %s (%s)\n", indent.c_str(),
              NumberText(b.numerator).c_str(), std::string(info.numerator).c_str(),
              NumberText(b.denominator).c_str(), std::string(info.denominator).c_str(),
              shown.c_str(), check.c_str());
    } else if (!info.denominator.empty()) {
      Appendf(out_, "%s  base: %s = %s over %s %s (%s)\n", indent.c_str(),
              std::string(info.numerator).c_str(), shown.c_str(), NumberText(b.denominator).c_str(),
              std::string(info.denominator).c_str(), check.c_str());
    } else {
      Appendf(out_, "%s  base: %s = %s (%s)\n", indent.c_str(), std::string(info.numerator).c_str(),
              NumberText(b.numerator).c_str(), check.c_str());
    }
    std::string detail = evidence->examples.detail;
    if (info.measure == Measure::kGap) {
      const bool eval = info.family == "evaluations";
      detail = fmt::format("{}(60+) = {} / {}; {}(all) = {} / {}",
                           eval ? "mean_score" : "online_rate", NumberText(b.numerator),
                           NumberText(b.denominator), eval ? "mean_score" : "online_rate",
                           NumberText(b.reference_numerator), NumberText(b.reference_denominator));
    }
    if (!detail.empty()) Appendf(out_, "%s  %s\n", indent.c_str(), detail.c_str());
    Appendf(out_, "%s  sample: %s records in the period\n", indent.c_str(),
            NumberText(b.sample).c_str());
    const RecordExamples& ex = evidence->examples;
    if (!ex.in_ids.empty())
      Appendf(out_, "%s  records counted in: %s\n", indent.c_str(), Ids(ex.in_ids).c_str());
    if (!ex.out_ids.empty()) {
      Appendf(out_, "%s  records not counted in: %s\n", indent.c_str(), Ids(ex.out_ids).c_str());
    }
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
      Appendf(out_, "%s%s %s %s: score %s%s\n", indent.c_str(),
              std::string(NodeKindName(n.kind)).c_str(), n.code.c_str(),
              Name(n.name, n.name_en).c_str(), ScoreText(us_.node_score[*it]).c_str(),
              *it == 0 ? ""
                       : fmt::format(", weight {:.4f} in {} (global {:.4f})", res_.node_weight[*it],
                                     fw_.nodes[n.parent].code, global)
                             .c_str());
      indent += "  ";
    }
  }

  void NodeChain(int node) {
    Path(node);
    const Node& n = fw_.nodes[node];
    std::string indent;
    for (int p = n.parent; p >= 0; p = fw_.nodes[p].parent) indent += "  ";
    Appendf(out_, "%s%s %s %s: score %s\n", indent.c_str(),
            std::string(NodeKindName(n.kind)).c_str(), n.code.c_str(),
            Name(n.name, n.name_en).c_str(), ScoreText(us_.node_score[node]).c_str());
    Children(node, indent + "  ");
    for (int c : n.indicators) Indicator(c, indent + "  ");
    for (int c : n.children) {
      if (!fw_.nodes[c].children.empty()) continue;  // one level of nodes: their indicators below
      Appendf(out_, "%s  %s %s: score %s\n", indent.c_str(),
              std::string(NodeKindName(fw_.nodes[c].kind)).c_str(), fw_.nodes[c].code.c_str(),
              ScoreText(us_.node_score[c]).c_str());
      for (int i : fw_.nodes[c].indicators) Indicator(i, indent + "    ");
    }
  }

  // A stage (axis 0) or dimension (axis 1): a view over the row's or column's cells.
  void View(int axis, int k) {
    const int matrix = fw_.FindNode("matrix");
    Path(matrix);
    const AxisLabel& a = axis == 0 ? fw_.stages[k] : fw_.dimensions[k];
    const auto& score = axis == 0 ? us_.stage_score[k] : us_.dimension_score[k];
    Appendf(out_,
            "  %s %s %s: score %s = %s weighted mean of its cells with the cells' weights in the "
            "matrix:\n",
            axis == 0 ? "stage" : "dimension", a.code.c_str(), Name(a.name, a.name_en).c_str(),
            ScoreText(score).c_str(),
            std::string(AggregationName(fw_.nodes[matrix].aggregation)).c_str());
    for (size_t n = 0; n < fw_.nodes.size(); ++n) {
      const Node& c = fw_.nodes[n];
      if (c.kind != NodeKind::kCell || (axis == 0 ? c.stage : c.dimension) != k) continue;
      Appendf(out_, "    cell %s: score %s, weight %.4f\n", c.code.c_str(),
              ScoreText(us_.node_score[n]).c_str(), res_.node_weight[n]);
      for (int i : c.indicators) Indicator(i, "      ");
    }
  }

 private:
  const Framework& fw_;
  const app::ScoringInput& in_;
  const ScoreResult& res_;
  const app::ExplainOutput& o_;
  size_t u_;
  const UnitScore& us_;
  std::string* out_;
};

}  // namespace

std::string ExplainText(const app::ExplainOutput& o) {
  const Framework& fw = o.score.framework.fw;
  const app::ScoringInput& in = o.score.input;
  const UnitScore& us = o.score.result.units[o.unit];
  std::string out;
  Appendf(&out, "%s (version %s) — %s", fw.name.c_str(), fw.version.c_str(), in.source.c_str());
  if (in.key)
    Appendf(&out, ", [%s, %s) by %s", in.from_text.c_str(), in.to_text.c_str(), in.by.c_str());
  Appendf(&out, "\nunit %s%s%s: index %s, grade %s, %s\n\n", us.unit.c_str(),
          in.names[o.unit].empty() ? "" : " ", in.names[o.unit].c_str(),
          ScoreText(us.node_score[0]).c_str(), us.grade ? us.grade->label.c_str() : "-",
          us.rank > 0 ? fmt::format("rank {}", us.rank).c_str() : us.rank_note.c_str());
  if (us.below_min_sample) {
    Appendf(
        &out,
        "fewer records than min_sample %d: its values are shown, not scored, graded or ranked\n\n",
        fw.min_sample);
  }
  Explainer ex(o, &out);
  switch (o.target.kind) {
    case app::ExplainTarget::Kind::kStage:
      ex.View(0, o.target.index);
      break;
    case app::ExplainTarget::Kind::kDimension:
      ex.View(1, o.target.index);
      break;
    case app::ExplainTarget::Kind::kNode:
      ex.NodeChain(o.target.index);
      break;
  }
  return out;
}

}  // namespace govqm::render

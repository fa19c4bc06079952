#include "app/render/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "app/render/json.h"
#include "app/render/score.h"
#include "app/render/text.h"
#include "core/engine/inputs.h"
#include "core/engine/quantile.h"

namespace govqm::render {
namespace {

// " (no evaluations loaded)" when an indicator has no value because a kind it reads was never
// loaded into the store (an org indicator: no org rows at all), else "".
std::string AbsentSuffix(const app::ScoringInput& in, const std::string& code) {
  if (in.data == nullptr || in.data->kind_loaded.empty()) return "";
  std::string reason;
  if (FindIndicator(code) >= 0) {
    reason = AbsentKindReason(code, in.data->kind_loaded);
  } else if (!in.data->kind_loaded[static_cast<int>(Kind::kOrg)]) {
    reason = "no org indicators loaded";
  }
  return reason.empty() ? "" : " (" + reason + ")";
}

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

// The value made again from the engine's base measures by the catalog's formula, and whether
// it agrees with the value scored: what both renderers print beside the base measures.
struct Recheck {
  std::optional<double> again;
  bool sketched = false;  // a percentile past the exact limit: the histogram's value
  bool agrees = false;
  std::string note;  // "agrees with govqm indicators", ...
};

Recheck RecheckOf(const IndicatorInfo& info, const app::IndicatorEvidence& evidence, double value) {
  const BaseMeasures& b = evidence.base;
  Recheck r;
  switch (info.measure) {
    case Measure::kCount:
    case Measure::kPointInTime:
      r.again = evidence.value ? std::optional<double>(b.numerator) : std::nullopt;
      break;
    case Measure::kRatio:
      if (b.denominator > 0) r.again = b.numerator / b.denominator;
      break;
    case Measure::kGap:
      if (b.denominator > 0 && b.reference_denominator > 0) {
        r.again = b.numerator / b.denominator - b.reference_numerator / b.reference_denominator;
      }
      break;
    case Measure::kPercentile:
      r.again = evidence.value;
      break;
  }
  // Past 1,024 values the engine's percentiles come from a histogram within 0.39% of the
  // exact value (core/engine/quantile.h).
  r.sketched =
      info.measure == Measure::kPercentile && b.denominator > engine::QuantileValues::kExactLimit;
  r.agrees = r.again && evidence.value && *r.again == *evidence.value &&
             std::fabs(*r.again - value) <= 1e-9 * std::max(1.0, std::fabs(value));
  r.note = !r.agrees    ? "DIFFERS from govqm indicators"
           : r.sketched ? "agrees with govqm indicators' percentile sketch, within 0.39%"
                        : "agrees with govqm indicators";
  return r;
}

// A gap's line: the two means it is the difference of, from the base measures.
std::string GapDetail(const IndicatorInfo& info, const BaseMeasures& b) {
  const bool eval = info.family == "evaluations";
  return fmt::format("{}(60+) = {} / {}; {}(all) = {} / {}", eval ? "mean_score" : "online_rate",
                     NumberText(b.numerator), NumberText(b.denominator),
                     eval ? "mean_score" : "online_rate", NumberText(b.reference_numerator),
                     NumberText(b.reference_denominator));
}

// The sum of the weights of a node's children (nodes and indicators) that have a score: the
// renormalisation of the weighted mean (effective weight = weight / present).
double PresentWeight(const Framework& fw, const ScoreResult& res, const UnitScore& us, int node) {
  const Node& n = fw.nodes[node];
  double present = 0;
  for (int c : n.children) present += us.node_score[c] ? res.node_weight[c] : 0;
  for (int c : n.indicators) present += us.indicator_score[c] ? res.indicator_weight[c] : 0;
  return present;
}

// The cells of a stage (axis 0) or dimension (axis 1), in file order.
std::vector<int> CellsOf(const Framework& fw, int axis, int k) {
  std::vector<int> cells;
  for (size_t n = 0; n < fw.nodes.size(); ++n) {
    const Node& c = fw.nodes[n];
    if (c.kind == NodeKind::kCell && (axis == 0 ? c.stage : c.dimension) == k) {
      cells.push_back(static_cast<int>(n));
    }
  }
  return cells;
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
    const double present = PresentWeight(fw_, res_, us_, node);
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
      Appendf(out_, "%s  no value for this unit%s: left out, its weight shared within %s\n",
              indent.c_str(), AbsentSuffix(in_, s.code).c_str(), fw_.nodes[s.parent].code.c_str());
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
    const Recheck rc = RecheckOf(info, *evidence, *value);
    const std::string& check = rc.note;
    const std::optional<double>& again = rc.again;
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
    if (info.measure == Measure::kGap) detail = GapDetail(info, b);
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
    for (int n : CellsOf(fw_, axis, k)) {
      const Node& c = fw_.nodes[n];
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

// The same chain as ExplainText, as one JSON object (GET /api/v1/explain answers with it).
class JsonExplainer {
 public:
  explicit JsonExplainer(const app::ExplainOutput& o)
      : fw_(o.score.framework.fw),
        in_(o.score.input),
        res_(o.score.result),
        o_(o),
        u_(o.unit),
        us_(res_.units[o.unit]) {}

  std::string Render() const {
    std::string out = "{\n";
    out += fmt::format("\"framework\":{{\"name\":{},\"version\":{},\"file\":{},\"shape\":{}}},\n",
                       JsonString(fw_.name), JsonString(fw_.version),
                       JsonString(o_.score.framework.path),
                       JsonString(fw_.matrix ? "matrix" : "tree"));
    out += fmt::format("\"source\":{},", JsonString(in_.source));
    if (in_.key) {
      out += fmt::format("\"period\":{{\"from\":{},\"to\":{}}},\"by\":{},",
                         JsonString(in_.from_text), JsonString(in_.to_text), JsonString(in_.by));
    }
    out += fmt::format("\"min_sample\":{},\"show_records\":{},\n", fw_.min_sample,
                       o_.show_records ? "true" : "false");
    out += fmt::format(
        "\"unit\":{{\"unit\":{},\"name\":{},\"sample\":{},\"index\":{},\"grade\":{},"
        "\"grade_en\":{},\"rank\":{},\"rank_note\":{},\"below_min_sample\":{}}},\n",
        JsonString(us_.unit), in_.names[u_].empty() ? "null" : JsonString(in_.names[u_]),
        JsonNumber(us_.sample), JsonNumber(us_.node_score[0]),
        us_.grade ? JsonString(us_.grade->label) : "null",
        us_.grade ? JsonString(us_.grade->label_en) : "null",
        us_.rank > 0 ? std::to_string(us_.rank) : "null",
        us_.rank_note.empty() ? "null" : JsonString(us_.rank_note),
        us_.below_min_sample ? "true" : "false");
    const bool node = o_.target.kind == app::ExplainTarget::Kind::kNode;
    const int axis = o_.target.kind == app::ExplainTarget::Kind::kStage ? 0 : 1;
    // A stage or dimension is a view over the matrix's cells: its path ends at the matrix.
    const int anchor = node ? o_.target.index : fw_.FindNode("matrix");
    out += "\"target\":" + (node ? NodeTarget(o_.target.index) : ViewTarget(axis)) + ",\n";
    out += "\"path\":" + PathOf(anchor, !node) + ",\n";
    out += "\"children\":" + (node ? NodeChildren(o_.target.index) : ViewChildren(axis)) + ",\n";
    out += "\"indicators\":[";
    const std::vector<int> shown = app::ShownIndicators(fw_, o_.target);
    for (size_t k = 0; k < shown.size(); ++k) out += (k ? ",\n" : "\n") + Indicator(shown[k]);
    out += "\n]\n}\n";
    return out;
  }

 private:
  std::string Names(const std::string& name, const std::string& name_en) const {
    return fmt::format("\"name\":{},\"name_en\":{}", name.empty() ? "null" : JsonString(name),
                       name_en.empty() ? "null" : JsonString(name_en));
  }

  // weight / the present weight of its parent, or null when it has no score.
  std::string Effective(bool scored, double weight, int parent) const {
    const double present = PresentWeight(fw_, res_, us_, parent);
    return scored && present > 0 ? NumberText(weight / present) : "null";
  }

  std::string NodeTarget(int n) const {
    const Node& k = fw_.nodes[n];
    return fmt::format(
        "{{\"kind\":\"node\",\"level\":{},\"code\":{},{},\"score\":{},"
        "\"aggregation\":{}}}",
        JsonString(NodeKindName(k.kind)), JsonString(k.code), Names(k.name, k.name_en),
        JsonNumber(us_.node_score[n]), JsonString(AggregationName(k.aggregation)));
  }

  std::string ViewTarget(int axis) const {
    const int k = o_.target.index;
    const AxisLabel& a = axis == 0 ? fw_.stages[k] : fw_.dimensions[k];
    const auto& score = axis == 0 ? us_.stage_score[k] : us_.dimension_score[k];
    const std::string kind = axis == 0 ? "stage" : "dimension";
    return fmt::format(
        "{{\"kind\":{},\"level\":{},\"code\":{},{},\"score\":{},\"aggregation\":{}}}",
        JsonString(kind), JsonString(kind), JsonString(a.code), Names(a.name, a.name_en),
        JsonNumber(score),
        JsonString(AggregationName(fw_.nodes[fw_.FindNode("matrix")].aggregation)));
  }

  // The index down to `node`: exclusive of it for a node target, inclusive for a view (whose
  // path ends at the matrix). global_weight: the product of the weights from the index down.
  std::string PathOf(int node, bool inclusive) const {
    std::vector<int> path;
    if (inclusive) path.push_back(node);
    for (int n = fw_.nodes[node].parent; n >= 0; n = fw_.nodes[n].parent) path.push_back(n);
    std::string out = "[";
    double global = 1;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      const Node& n = fw_.nodes[*it];
      if (*it != 0) global *= res_.node_weight[*it];
      out += fmt::format(
          "{}{{\"level\":{},\"code\":{},{},\"score\":{},\"weight\":{},\"parent\":{},"
          "\"global_weight\":{}}}",
          it == path.rbegin() ? "" : ",", JsonString(NodeKindName(n.kind)), JsonString(n.code),
          Names(n.name, n.name_en), JsonNumber(us_.node_score[*it]),
          *it == 0 ? "null" : NumberText(res_.node_weight[*it]),
          n.parent < 0 ? "null" : JsonString(fw_.nodes[n.parent].code), NumberText(global));
    }
    return out + "]";
  }

  // Why a child has no score (null when it has one).
  std::string ChildNote(bool scored) const {
    if (scored) return "null";
    return JsonString(us_.below_min_sample ? "not scored: the unit is below min_sample"
                                           : "missing: weight shared among the others");
  }

  std::string Child(const std::string& code, std::string_view level,
                    const std::optional<double>& score, double weight, int parent) const {
    return fmt::format(
        "{{\"code\":{},\"level\":{},\"score\":{},\"weight\":{},\"effective_weight\":{},"
        "\"note\":{}}}",
        JsonString(code), JsonString(level), JsonNumber(score), NumberText(weight),
        Effective(score.has_value(), weight, parent), ChildNote(score.has_value()));
  }

  std::string NodeChildren(int node) const {
    const Node& n = fw_.nodes[node];
    std::string out = "[";
    for (int c : n.children) {
      out += (out.size() > 1 ? "," : "") + Child(fw_.nodes[c].code, NodeKindName(fw_.nodes[c].kind),
                                                 us_.node_score[c], res_.node_weight[c], node);
    }
    for (int c : n.indicators) {
      out += (out.size() > 1 ? "," : "") + Child(fw_.indicators[c].code, "indicator",
                                                 us_.indicator_score[c], res_.indicator_weight[c],
                                                 node);
    }
    return out + "]";
  }

  // The cells of the stage or dimension, with their weights in the matrix renormalised over
  // the cells of the view that have a score.
  std::string ViewChildren(int axis) const {
    const std::vector<int> cells = CellsOf(fw_, axis, o_.target.index);
    double present = 0;
    for (int c : cells) present += us_.node_score[c] ? res_.node_weight[c] : 0;
    std::string out = "[";
    for (int c : cells) {
      const auto& score = us_.node_score[c];
      out += fmt::format(
          "{}{{\"code\":{},\"level\":\"cell\",\"score\":{},\"weight\":{},"
          "\"effective_weight\":{},\"note\":{}}}",
          out.size() > 1 ? "," : "", JsonString(fw_.nodes[c].code), JsonNumber(score),
          NumberText(res_.node_weight[c]),
          score && present > 0 ? NumberText(res_.node_weight[c] / present) : "null",
          ChildNote(score.has_value()));
    }
    return out + "]";
  }

  std::string Indicator(int i) const {
    const IndicatorSpec& s = fw_.indicators[i];
    const auto& value = in_.values.values[u_][i];
    const std::string& parent = fw_.nodes[s.parent].code;
    const bool catalog = FindIndicator(s.code) >= 0;
    std::string out = fmt::format(
        "{{\"code\":{},{},\"parent\":{},\"value\":{},\"score\":{},\"weight\":{},"
        "\"effective_weight\":{},\"direction\":{},\"rule\":{},\"rule_text\":{},\"reason\":{},"
        "\"source\":{}",
        JsonString(s.code), Names(s.name, s.name_en), JsonString(parent), JsonNumber(value),
        JsonNumber(us_.indicator_score[i]), NumberText(res_.indicator_weight[i]),
        Effective(us_.indicator_score[i].has_value(), res_.indicator_weight[i], s.parent),
        JsonString(DirectionName(s.direction)), JsonString(RuleName(s.rule)),
        JsonString(RuleText(s)), s.reason.empty() ? "null" : JsonString(s.reason),
        JsonString(!in_.key  ? "values"
                   : catalog ? "store"
                             : "org"));
    auto note = [&](const std::string& text) {
      return out + ",\"note\":" + JsonString(text) + "}";
    };
    if (!value) {
      return note("no value for this unit" + AbsentSuffix(in_, s.code) +
                  ": left out, its weight shared within " + parent);
    }
    if (!in_.key) return note("from " + in_.source + " (no base measures: not govqm's store)");
    if (!catalog) {
      // An org indicator: the mean of the org rows of the periods overlapping the scored one.
      const Table& t = in_.data->org;
      out += ",\"org_periods\":[";
      bool first = true;
      for (size_t r : in_.org_rows[u_][i]) {
        out += fmt::format("{}{{\"unit\":{},\"period\":{},\"value\":{},\"evidence\":{}}}",
                           first ? "" : ",", JsonString(t.col(org_col::kUnitCode).CodeAt(r)),
                           JsonString(t.col(org_col::kPeriod).CodeAt(r)),
                           NumberText(t.col(org_col::kValue).reals[r]),
                           JsonString(t.col(org_col::kEvidence).TextAt(r)));
        first = false;
      }
      return out + "]}";
    }
    const auto& evidence = o_.evidence[i];
    if (!evidence || !evidence->available) {
      return note("base measures: " + (evidence ? evidence->why : std::string("not shown")));
    }
    const BaseMeasures& b = evidence->base;
    const IndicatorInfo& info = Catalog()[FindIndicator(s.code)];
    const Recheck rc = RecheckOf(info, *evidence, *value);
    out += fmt::format(
        ",\"base\":{{\"measure\":{},\"numerator\":{},\"numerator_counts\":{},\"denominator\":{},"
        "\"denominator_counts\":{},",
        JsonString(MeasureName(info.measure)), NumberText(b.numerator), JsonString(info.numerator),
        NumberText(b.denominator),
        info.denominator.empty() ? "null" : JsonString(info.denominator));
    if (info.measure == Measure::kGap) {
      out += fmt::format("\"reference_numerator\":{},\"reference_denominator\":{},",
                         NumberText(b.reference_numerator), NumberText(b.reference_denominator));
    }
    out += fmt::format(
        "\"sample\":{},\"engine_value\":{},\"value_again\":{},\"agrees\":{},\"sketched\":{},"
        "\"check\":{}}}",
        NumberText(b.sample), JsonNumber(evidence->value), JsonNumber(rc.again),
        rc.agrees ? "true" : "false", rc.sketched ? "true" : "false", JsonString(rc.note));
    if (info.measure == Measure::kGap) out += ",\"detail\":" + JsonString(GapDetail(info, b));
    if (o_.show_records) {
      const app::RecordExamples& ex = evidence->examples;
      out += fmt::format(",\"records\":{{\"counted_in\":{},\"not_counted_in\":{},\"detail\":{}}}",
                         JsonStrings(ex.in_ids), JsonStrings(ex.out_ids),
                         ex.detail.empty() ? "null" : JsonString(ex.detail));
    }
    return out + "}";
  }

  const Framework& fw_;
  const app::ScoringInput& in_;
  const ScoreResult& res_;
  const app::ExplainOutput& o_;
  size_t u_;
  const UnitScore& us_;
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

std::string ExplainJson(const app::ExplainOutput& o) { return JsonExplainer(o).Render(); }

}  // namespace govqm::render

#include "framework/scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/random.h"
#include "core/stats.h"
#include "framework/weights.h"

namespace govqm {
namespace {

double Clamp100(double v) { return std::min(100.0, std::max(0.0, v)); }

bool Present(const std::optional<double>& v) { return v.has_value() && std::isfinite(*v); }

// The per-unit inputs of the aggregation: indicator scores and normalised weights.
struct Tree {
  const Framework* fw;
  std::vector<double> node_weight, indicator_weight;
};

// Fills node scores bottom-up (children always have larger indexes than their parent).
void AggregateUnit(const Tree& t, const std::vector<std::optional<double>>& ind_score,
                   std::vector<std::optional<double>>* node_score) {
  const Framework& fw = *t.fw;
  node_score->assign(fw.nodes.size(), std::nullopt);
  std::vector<std::optional<double>> s;
  std::vector<double> w;
  for (size_t i = fw.nodes.size(); i-- > 0;) {
    const Node& node = fw.nodes[i];
    s.clear();
    w.clear();
    for (int c : node.children) {
      s.push_back((*node_score)[c]);
      w.push_back(t.node_weight[c]);
    }
    for (int c : node.indicators) {
      s.push_back(ind_score[c]);
      w.push_back(t.indicator_weight[c]);
    }
    (*node_score)[i] = Aggregate(node.aggregation, s, w);
  }
}

// Matrix views: a stage (row) or dimension (column) over the same cells and cell weights.
void Views(const Tree& t, const std::vector<std::optional<double>>& node_score, UnitScore* u) {
  const Framework& fw = *t.fw;
  if (!fw.matrix) return;
  const int matrix = fw.FindNode("matrix");
  const Aggregation agg = fw.nodes[matrix].aggregation;
  u->stage_score.assign(fw.stages.size(), std::nullopt);
  u->dimension_score.assign(fw.dimensions.size(), std::nullopt);
  for (int axis = 0; axis < 2; ++axis) {
    const size_t count = axis == 0 ? fw.stages.size() : fw.dimensions.size();
    for (size_t k = 0; k < count; ++k) {
      std::vector<std::optional<double>> s;
      std::vector<double> w;
      for (size_t i = 0; i < fw.nodes.size(); ++i) {
        const Node& n = fw.nodes[i];
        if (n.kind != NodeKind::kCell) continue;
        if ((axis == 0 ? n.stage : n.dimension) != static_cast<int>(k)) continue;
        s.push_back(node_score[i]);
        w.push_back(t.node_weight[i]);
      }
      (axis == 0 ? u->stage_score : u->dimension_score)[k] = Aggregate(agg, s, w);
    }
  }
}

// Competition ranking ("1, 2, 2, 4") of the eligible units by index, descending.
std::vector<int> RankOf(const std::vector<std::optional<double>>& index,
                        const std::vector<bool>& eligible) {
  std::vector<int> rank(index.size(), 0);
  std::vector<size_t> order;
  for (size_t u = 0; u < index.size(); ++u) {
    if (eligible[u] && index[u]) order.push_back(u);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return *index[a] > *index[b]; });
  for (size_t k = 0; k < order.size(); ++k) {
    const bool tie = k > 0 && *index[order[k]] == *index[order[k - 1]];
    rank[order[k]] = tie ? rank[order[k - 1]] : static_cast<int>(k) + 1;
  }
  return rank;
}


// Normalised child weights of every node (expert / AHP as parsed; entropy and combined from
// the units' values).
Status ComputeWeights(const Framework& fw, const UnitValues& in, ScoreResult* out) {
  out->node_weight.assign(fw.nodes.size(), 0);
  out->indicator_weight.assign(fw.indicators.size(), 0);
  out->entropy_weight.assign(fw.nodes.size(), {});
  out->node_weight[0] = 1;
  for (size_t i = 0; i < fw.nodes.size(); ++i) {
    const Node& node = fw.nodes[i];
    std::vector<double> declared;
    for (int c : node.children) declared.push_back(fw.nodes[c].weight);
    for (int c : node.indicators) declared.push_back(fw.indicators[c].weight);
    std::vector<double> w;
    if (node.weighting == Weighting::kEntropy || node.weighting == Weighting::kCombined) {
      std::vector<std::vector<std::optional<double>>> values(in.units.size());
      std::vector<bool> higher;
      for (int c : node.indicators) higher.push_back(fw.indicators[c].direction == Direction::kHigher);
      for (size_t u = 0; u < in.units.size(); ++u) {
        for (int c : node.indicators) {
          const auto& v = in.values[u][c];
          values[u].push_back(Present(v) ? v : std::nullopt);
        }
      }
      auto entropy = EntropyWeights(values, higher);
      if (!entropy.ok()) {
        return Status::Invalid("entropy weights of '" + node.code + "': " + entropy.status().message());
      }
      out->entropy_weight[i] = *entropy;
      if (node.weighting == Weighting::kEntropy) {
        w = *entropy;
      } else {
        auto combined = CombineWeights(declared, *entropy, node.alpha);
        if (!combined.ok()) {
          return Status::Invalid("combined weights of '" + node.code + "': " + combined.status().message());
        }
        w = *combined;
      }
    } else {
      auto norm = NormalizeWeights(declared);
      if (!norm.ok()) {
        return Status::Invalid("weights of the children of '" + node.code + "': " + norm.status().message());
      }
      w = *norm;
    }
    size_t k = 0;
    for (int c : node.children) out->node_weight[c] = w[k++];
    for (int c : node.indicators) out->indicator_weight[c] = w[k++];
  }
  return Status::Ok();
}

ScoringRule Alternative(ScoringRule r) {
  switch (r) {
    case ScoringRule::kTarget: return ScoringRule::kMinMax;
    case ScoringRule::kMinMax: return ScoringRule::kZScore;
    case ScoringRule::kZScore: return ScoringRule::kMinMax;
    case ScoringRule::kNone: return ScoringRule::kNone;
  }
  return r;
}

// scores[u][i] of every unit and indicator under the given rule choice (alternative or not).
std::vector<std::vector<std::optional<double>>> IndicatorScores(const Framework& fw,
                                                                const UnitValues& in,
                                                                bool alternative) {
  std::vector<std::vector<std::optional<double>>> scores(
      in.units.size(), std::vector<std::optional<double>>(fw.indicators.size()));
  std::vector<std::optional<double>> all(in.units.size());
  for (size_t i = 0; i < fw.indicators.size(); ++i) {
    const IndicatorSpec& spec = fw.indicators[i];
    for (size_t u = 0; u < in.units.size(); ++u) {
      all[u] = Present(in.values[u][i]) ? in.values[u][i] : std::nullopt;
    }
    const ScoringRule rule = alternative ? Alternative(spec.rule) : spec.rule;
    for (size_t u = 0; u < in.units.size(); ++u) scores[u][i] = ScoreIndicator(spec, rule, all[u], all);
  }
  return scores;
}

std::vector<bool> Eligible(const Framework& fw, const UnitValues& in) {
  std::vector<bool> ok(in.units.size(), true);
  if (fw.min_sample == 0) return ok;
  for (size_t u = 0; u < in.units.size(); ++u) {
    const bool known = u < in.sample.size() && in.sample[u].has_value();
    ok[u] = known && *in.sample[u] >= fw.min_sample;
  }
  return ok;
}

// Whether a unit is below the minimum sample: its sample is known and smaller than
// min_sample. Such a unit is not compared at all (see ScoreUnits).
bool BelowMinSample(const Framework& fw, const UnitValues& in, size_t u) {
  return fw.min_sample > 0 && u < in.sample.size() && in.sample[u].has_value() &&
         *in.sample[u] < fw.min_sample;
}

// The units that are compared (not below the minimum sample), and *kept their indexes in `in`.
UnitValues Compared(const Framework& fw, const UnitValues& in, std::vector<size_t>* kept) {
  UnitValues out;
  kept->clear();
  for (size_t u = 0; u < in.units.size(); ++u) {
    if (BelowMinSample(fw, in, u)) continue;
    kept->push_back(u);
    out.units.push_back(in.units[u]);
    out.values.push_back(in.values[u]);
    if (!in.sample.empty()) out.sample.push_back(in.sample[u]);
  }
  return out;
}

}  // namespace

std::optional<double> ScoreIndicator(const IndicatorSpec& spec, ScoringRule rule,
                                     std::optional<double> value,
                                     const std::vector<std::optional<double>>& all) {
  if (!Present(value)) return std::nullopt;
  const double v = *value;
  switch (rule) {
    case ScoringRule::kNone:
      return v;
    case ScoringRule::kTarget:
      if (spec.target == spec.floor) return std::nullopt;  // a parse error; never reached
      return Clamp100(100.0 * (v - spec.floor) / (spec.target - spec.floor));
    case ScoringRule::kMinMax: {
      double lo = v, hi = v;
      for (const auto& x : all) {
        if (!Present(x)) continue;
        lo = std::min(lo, *x);
        hi = std::max(hi, *x);
      }
      if (hi == lo) return 100.0;
      return spec.direction == Direction::kHigher ? 100.0 * (v - lo) / (hi - lo)
                                                  : 100.0 * (hi - v) / (hi - lo);
    }
    case ScoringRule::kZScore: {
      double sum = 0, n = 0;
      for (const auto& x : all) {
        if (Present(x)) sum += *x, n += 1;
      }
      if (n == 0) return 50.0;
      const double mean = sum / n;
      double ss = 0;
      for (const auto& x : all) {
        if (Present(x)) ss += (*x - mean) * (*x - mean);
      }
      const double sd = std::sqrt(ss / n);
      if (sd == 0) return 50.0;
      double z = (v - mean) / sd;
      if (spec.direction == Direction::kLower) z = -z;
      return Clamp100(50.0 + 10.0 * z);
    }
  }
  return std::nullopt;
}

std::optional<double> Aggregate(Aggregation agg, const std::vector<std::optional<double>>& scores,
                                const std::vector<double>& weights) {
  double wsum = 0, acc = 0;
  bool zero = false;
  for (size_t k = 0; k < scores.size(); ++k) {
    if (!scores[k]) continue;
    const double w = weights[k];
    wsum += w;
    if (agg == Aggregation::kArithmetic) {
      acc += w * *scores[k];
    } else if (w > 0) {
      if (*scores[k] <= 0) {
        zero = true;
      } else {
        acc += w * std::log(*scores[k]);
      }
    }
  }
  if (wsum <= 0) return std::nullopt;
  if (agg == Aggregation::kArithmetic) return acc / wsum;
  if (zero) return 0.0;
  return std::exp(acc / wsum);
}

namespace {

// ScoreUnits over the compared units only.
Result<ScoreResult> ScoreCompared(const Framework& fw, const UnitValues& in) {
  ScoreResult out;
  GOVQM_RETURN_IF_ERROR(ComputeWeights(fw, in, &out));
  const Tree tree{&fw, out.node_weight, out.indicator_weight};
  auto scores = IndicatorScores(fw, in, false);
  std::vector<std::optional<double>> index(in.units.size());
  for (size_t u = 0; u < in.units.size(); ++u) {
    UnitScore us;
    us.unit = in.units[u];
    if (u < in.sample.size()) us.sample = in.sample[u];
    us.indicator_score = scores[u];
    for (size_t i = 0; i < fw.indicators.size(); ++i) {
      if (!Present(in.values[u][i])) us.missing_indicators.push_back(static_cast<int>(i));
    }
    AggregateUnit(tree, us.indicator_score, &us.node_score);
    for (size_t n = 0; n < fw.nodes.size(); ++n) {
      if (!us.node_score[n]) us.missing_nodes.push_back(static_cast<int>(n));
    }
    Views(tree, us.node_score, &us);
    index[u] = us.node_score[0];
    if (index[u]) us.grade = fw.Grade(*index[u]);
    out.units.push_back(std::move(us));
  }
  const std::vector<bool> eligible = Eligible(fw, in);
  const std::vector<int> rank = RankOf(index, eligible);
  for (size_t u = 0; u < in.units.size(); ++u) {
    UnitScore& us = out.units[u];
    us.rank = rank[u];
    if (!index[u]) {
      us.rank_note = "not ranked: no index";
    } else if (!eligible[u]) {
      us.rank_note = us.sample ? "not ranked: n < " + std::to_string(fw.min_sample)
                               : "not ranked: sample size unknown";
    }
  }
  return out;
}

}  // namespace

Result<ScoreResult> ScoreUnits(const Framework& fw, const UnitValues& in) {
  if (in.values.size() != in.units.size()) return Status::Invalid("values: one row per unit expected");
  for (const auto& row : in.values) {
    if (row.size() != fw.indicators.size()) {
      return Status::Invalid("values: one column per framework indicator expected");
    }
  }
  if (!in.sample.empty() && in.sample.size() != in.units.size()) {
    return Status::Invalid("sample: one per unit expected");
  }
  // A unit below the minimum sample is listed with its values only: too few records for its
  // values to be trusted, so it gets no scores, no grade and no rank, and takes no part in the
  // comparison (min-max and z-score ranges, entropy weights) of the others.
  std::vector<size_t> kept;
  const UnitValues compared = Compared(fw, in, &kept);
  GOVQM_ASSIGN_OR_RETURN(ScoreResult scored, ScoreCompared(fw, compared));
  ScoreResult out;
  out.node_weight = std::move(scored.node_weight);
  out.indicator_weight = std::move(scored.indicator_weight);
  out.entropy_weight = std::move(scored.entropy_weight);
  out.units.resize(in.units.size());
  for (size_t k = 0; k < kept.size(); ++k) out.units[kept[k]] = std::move(scored.units[k]);
  for (size_t u = 0; u < in.units.size(); ++u) {
    if (!BelowMinSample(fw, in, u)) continue;
    UnitScore& us = out.units[u];
    us.unit = in.units[u];
    us.sample = in.sample[u];
    us.node_score.assign(fw.nodes.size(), std::nullopt);
    us.indicator_score.assign(fw.indicators.size(), std::nullopt);
    if (fw.matrix) {
      us.stage_score.assign(fw.stages.size(), std::nullopt);
      us.dimension_score.assign(fw.dimensions.size(), std::nullopt);
    }
    us.below_min_sample = true;
    us.rank_note = "not ranked: n < " + std::to_string(fw.min_sample);
  }
  return out;
}

Status RankUncertainty(const Framework& fw, const UnitValues& all, const UncertaintyOptions& opt,
                       ScoreResult* result) {
  if (opt.replications < 1) return Status::Invalid("uncertainty needs at least 1 replication");
  if (opt.weight_spread < 0 || opt.weight_spread >= 1) {
    return Status::Invalid("weight spread must be in [0, 1)");
  }
  std::vector<size_t> kept;  // units below the minimum sample take no part
  const UnitValues compared = Compared(fw, all, &kept);
  const UnitValues& in = compared;
  const auto base = IndicatorScores(fw, in, false);
  std::vector<std::vector<std::optional<double>>> alt;
  if (opt.switch_normalisation) alt = IndicatorScores(fw, in, true);
  const std::vector<bool> eligible = Eligible(fw, in);
  const size_t n_units = in.units.size();
  std::vector<std::vector<double>> ranks(n_units);
  Rng rng(opt.seed);
  Tree tree{&fw, result->node_weight, result->indicator_weight};
  std::vector<std::optional<double>> index(n_units), node_score;
  for (int r = 0; r < opt.replications; ++r) {
    // Perturb every weight; the aggregation renormalises within each parent.
    for (size_t i = 1; i < fw.nodes.size(); ++i) {
      tree.node_weight[i] = result->node_weight[i] * (1 - opt.weight_spread + 2 * opt.weight_spread * rng.Uniform());
    }
    for (size_t i = 0; i < fw.indicators.size(); ++i) {
      tree.indicator_weight[i] =
          result->indicator_weight[i] * (1 - opt.weight_spread + 2 * opt.weight_spread * rng.Uniform());
    }
    const bool use_alt = opt.switch_normalisation && rng.Uniform() < 0.5;
    for (size_t u = 0; u < n_units; ++u) {
      AggregateUnit(tree, use_alt ? alt[u] : base[u], &node_score);
      index[u] = node_score[0];
    }
    const std::vector<int> rank = RankOf(index, eligible);
    for (size_t u = 0; u < n_units; ++u) {
      if (rank[u] > 0) ranks[u].push_back(rank[u]);
    }
  }
  for (size_t u = 0; u < n_units; ++u) {
    UnitScore& us = result->units[kept[u]];
    if (us.rank == 0 || ranks[u].empty()) continue;
    us.rank_median = InterpolatedPercentile(ranks[u], 0.5);
    us.rank_p05 = InterpolatedPercentile(ranks[u], 0.05);
    us.rank_p95 = InterpolatedPercentile(ranks[u], 0.95);
  }
  return Status::Ok();
}

}  // namespace govqm

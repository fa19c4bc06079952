// Scoring (domain.md §1): indicator values → 0–100 scores → cells, stages, dimensions, blocks
// and the index, with grades, rankings under a minimum-sample guard, and rank uncertainty
// under perturbed weights (Monte Carlo, seeded). Values in, scores out: no I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "framework/framework.h"

namespace govqm {

// The compared units and their indicator values.
struct UnitValues {
  std::vector<std::string> units;
  // values[u][i]: unit u's value of framework indicator i (Framework::indicators order);
  // nullopt (or a non-finite number) = missing.
  std::vector<std::vector<std::optional<double>>> values;
  // sample[u]: unit u's sample size (records behind it; Framework::sample_indicator), or
  // nullopt when unknown. May be empty (= all unknown).
  std::vector<std::optional<double>> sample;
};

struct UnitScore {
  std::string unit;
  std::optional<double> sample;
  std::vector<std::optional<double>> node_score;       // per Framework::nodes; [0] = the index
  std::vector<std::optional<double>> stage_score;      // matrix shape: per stage (row of cells)
  std::vector<std::optional<double>> dimension_score;  // matrix shape: per dimension (column)
  std::vector<std::optional<double>> indicator_score;  // per Framework::indicators
  std::vector<int> missing_indicators;  // indicator indexes without a value
  std::vector<int> missing_nodes;       // node indexes left without a score (no child scored)
  const GradeBand* grade = nullptr;     // null when there is no index
  int rank = 0;                         // 1-based; 0 = not ranked
  std::string rank_note;                // why not ranked ("not ranked: n < 30"), else ""
  // The sample is known and below Framework::min_sample: only the values are reported (no
  // scores, no grade, no rank), and the unit takes no part in the others' comparison.
  bool below_min_sample = false;
  // Filled by RankUncertainty for ranked units.
  std::optional<double> rank_median, rank_p05, rank_p95;
};

struct ScoreResult {
  // Weights normalised within each parent (the index has 1), as used for every unit before
  // any redistribution for missing children.
  std::vector<double> node_weight;
  std::vector<double> indicator_weight;
  // Per node: the objective (entropy) weights of its indicator children when used, else empty.
  std::vector<std::vector<double>> entropy_weight;
  std::vector<UnitScore> units;  // in the input order
};

// Scores every unit. Relative rules (minmax, zscore) compare the units given. A missing
// indicator or node takes no part: its siblings' weights are renormalised (arithmetic:
// sum w·s / sum w over the present children; geometric: exp(sum w·ln s / sum w), 0 when a
// present child scores 0). Stage and dimension scores aggregate the row's or column's cells
// with the cells' weights and the matrix's aggregation rule. Ranks: units with an index and
// (min_sample = 0 or sample >= min_sample), by index descending, ties sharing the best rank.
// A unit whose sample is known and below min_sample is not scored: below_min_sample, every
// score null, no grade, no rank, and it is left out of the relative rules and entropy weights
// of the others. A unit whose sample is unknown is scored and graded but not ranked.
// Invalid when the sizes disagree or entropy/combined weights cannot be computed.
Result<ScoreResult> ScoreUnits(const Framework& fw, const UnitValues& in);

// The score of one value of indicator `spec` given the values of every compared unit
// (`all`, missing ones as nullopt; needed by the relative rules). nullopt when `value` is.
std::optional<double> ScoreIndicator(const IndicatorSpec& spec, ScoringRule rule,
                                     std::optional<double> value,
                                     const std::vector<std::optional<double>>& all);

// Weighted mean of the present (non-null) scores; nullopt when none is present.
std::optional<double> Aggregate(Aggregation agg, const std::vector<std::optional<double>>& scores,
                                const std::vector<double>& weights);

struct UncertaintyOptions {
  int replications = 1000;
  uint64_t seed = 1;
  // Each weight (of every node's children) is multiplied by U(1 − spread, 1 + spread).
  double weight_spread = 0.25;
  // Also draw, per replication with probability 1/2, the other normalisation for every
  // indicator (target ↔ minmax, minmax ↔ zscore); rule none is never changed.
  bool switch_normalisation = false;
};

// Re-scores `replications` times under randomly perturbed weights (and, optionally,
// normalisations) and fills each ranked unit's median rank and 5–95% rank interval
// (percentiles by linear interpolation, p·(n − 1)). Deterministic for a given seed, on any
// platform (core/random.h: xoshiro256** seeded by splitmix64).
Status RankUncertainty(const Framework& fw, const UnitValues& in, const UncertaintyOptions& opt,
                       ScoreResult* result);

}  // namespace govqm

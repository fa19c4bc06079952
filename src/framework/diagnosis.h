// Diagnosis (service.md §9) over scored units: one unit's weak points (弱点), difficulties (难点)
// and highlights (亮点) among its peers, from ScoreUnits' result. Values in, items out: no I/O.
// (Pain points, 痛点, are counted from records: app/diagnose.h, core/words.h.)
//
// Definitions (docs/DIAGNOSIS.md):
// - Items: every indicator of the framework, and every node that holds indicators (the cells
//   and blocks of the default framework; any such node of a tree framework).
// - Compared units: the units not below min_sample that have the item (an indicator's value,
//   a node's score), the unit itself included; N = their number; its peers are the others.
// - Rank: competition ranking among the compared units, 1 = best, ties sharing the best rank
//   (1, 2, 2, 4): indicators by value in their better direction, nodes by score.
// - Quartiles: q = ceil(N / 4). Top quartile: rank <= q. Bottom quartile: rank > N − q. Both
//   need N >= 2 (a unit alone has no peers to be below or above). E.g. N = 14: q = 4, top =
//   ranks 1–4, bottom = ranks 11–14; N = 5: q = 2, top 1–2, bottom 4–5; N = 2: top 1, bottom 2.
//   With ties a shared rank is the best of the tie, so units tied into the bottom edge may all
//   fall outside it (N = 5, ranks 1, 2, 3, 3, 3: nobody in the bottom quartile).
// - Target, in score terms: an indicator scored against a target (rule target) is at target
//   when it scores 100 (its value reaches `target`); any other indicator, and every node, when
//   its score reaches NodeTarget (the lower bound of the second-highest grade: 高, 80, in the
//   default framework). Below target: score < that; at or above: score >= that.
// - Weighted loss: effective global weight × (100 − score), the effective global weight being
//   the product, from the item up to the index, of each weight divided by the weights of the
//   siblings that have a score for this unit (the renormalisation of the weighted mean). Under
//   arithmetic aggregation it is exactly the points the index would gain were the item at 100.
// - Weak point: below target and in the bottom quartile; ordered by loss, largest first.
// - Highlight: a node ranked first or in the top quartile and at or above target; ordered by
//   rank, then by score.
// - Difficulty: a weak point that was a weak point in each of the previous periods given.
#pragma once

#include <optional>
#include <vector>

#include "core/status.h"
#include "framework/framework.h"
#include "framework/scoring.h"

namespace govqm {

// ceil(n / 4) for n >= 1; 0 for n <= 0.
int QuartileSize(int compared);
bool InTopQuartile(int rank, int compared);
bool InBottomQuartile(int rank, int compared);

// The score at which a node (or an indicator without a target rule) is at target: the lower
// bound of the second-highest grade band, or 100 when the framework has one band only.
double NodeTarget(const Framework& fw);

struct DiagnosedItem {
  bool indicator = false;  // else a node
  int index = -1;          // into Framework::indicators or Framework::nodes
  std::optional<double> value;  // an indicator's value; a node's score
  std::optional<double> score;
  // The target in the value's terms: an indicator's `target` (rule target), else the score
  // target (a node; an indicator of another rule: nullopt).
  std::optional<double> target;
  double target_score = 100;  // the score at target
  bool below_target = false;  // score < target_score
  std::optional<double> peers_median;  // median of the peers' values (nodes: scores)
  int rank = 0;      // among the compared units; 0 when the unit has no value or score
  int compared = 0;  // N, the unit included
  bool top_quartile = false, bottom_quartile = false;
  double weight = 0;  // effective global weight (0 without a score)
  double loss = 0;    // weight × (100 − score)
};

struct UnitDiagnosis {
  size_t unit = 0;
  bool below_min_sample = false;  // no scores: nothing is diagnosed
  std::vector<DiagnosedItem> items;  // indicators in framework order, then nodes in file order
  std::vector<size_t> weak;          // indexes into items, by loss (largest first)
  std::vector<size_t> highlights;    // indexes into items, by rank, then score

  // The item of an indicator or node, or nullptr when it is not an item.
  const DiagnosedItem* Find(bool indicator, int index) const;
  bool IsWeak(bool indicator, int index) const;
};

// Diagnoses unit `unit` of `in` scored as `scored` (ScoreUnits(fw, in)). Invalid when the
// sizes disagree.
Result<UnitDiagnosis> DiagnoseUnit(const Framework& fw, const UnitValues& in,
                                   const ScoreResult& scored, size_t unit);

// The weak points of `current` that are weak points in every one of `previous` (nullptr: the
// unit had no diagnosis in that period, so nothing is a difficulty); indexes into
// current.items, in current.weak's order. None when `previous` is empty.
std::vector<size_t> Difficulties(const UnitDiagnosis& current,
                                 const std::vector<const UnitDiagnosis*>& previous);

}  // namespace govqm

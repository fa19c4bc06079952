#include "framework/diagnosis.h"

#include <algorithm>
#include <cmath>

#include "core/stats.h"

namespace govqm {
namespace {

bool Present(const std::optional<double>& v) { return v.has_value() && std::isfinite(*v); }

// Effective global weights of one unit's indicators and nodes: each weight divided by the
// weights of its siblings that have a score, times its parent's (the index has 1). 0 for
// what has no score.
void EffectiveWeights(const Framework& fw, const ScoreResult& scored, const UnitScore& us,
                      std::vector<double>* node_eff, std::vector<double>* ind_eff) {
  node_eff->assign(fw.nodes.size(), 0);
  ind_eff->assign(fw.indicators.size(), 0);
  if (!us.node_score.empty() && us.node_score[0]) (*node_eff)[0] = 1;
  for (size_t i = 0; i < fw.nodes.size(); ++i) {  // parents come before their children
    const Node& n = fw.nodes[i];
    if ((*node_eff)[i] == 0) continue;
    double present = 0;
    for (int c : n.children) present += us.node_score[c] ? scored.node_weight[c] : 0;
    for (int c : n.indicators) present += us.indicator_score[c] ? scored.indicator_weight[c] : 0;
    if (present <= 0) continue;
    for (int c : n.children) {
      if (us.node_score[c]) (*node_eff)[c] = (*node_eff)[i] * scored.node_weight[c] / present;
    }
    for (int c : n.indicators) {
      if (us.indicator_score[c]) {
        (*ind_eff)[c] = (*node_eff)[i] * scored.indicator_weight[c] / present;
      }
    }
  }
}

// Rank, N and the peers' median of the unit's `mine` among `all` (compared units only,
// nullopt elsewhere); `higher`: a larger value is better.
void Compare(const std::vector<std::optional<double>>& all, size_t unit, bool higher,
             DiagnosedItem* item) {
  std::vector<double> peers;
  int better = 0, compared = 0;
  const bool have = Present(all[unit]);
  for (size_t v = 0; v < all.size(); ++v) {
    if (!Present(all[v])) continue;
    ++compared;
    if (v == unit) continue;
    peers.push_back(*all[v]);
    if (have && (higher ? *all[v] > *all[unit] : *all[v] < *all[unit])) ++better;
  }
  if (!peers.empty()) item->peers_median = InterpolatedPercentile(peers, 0.5);
  if (!have) return;
  item->compared = compared;
  item->rank = better + 1;
  item->top_quartile = InTopQuartile(item->rank, compared);
  item->bottom_quartile = InBottomQuartile(item->rank, compared);
}

}  // namespace

int QuartileSize(int compared) { return compared <= 0 ? 0 : (compared + 3) / 4; }

bool InTopQuartile(int rank, int compared) {
  return compared >= 2 && rank >= 1 && rank <= QuartileSize(compared);
}

bool InBottomQuartile(int rank, int compared) {
  return compared >= 2 && rank >= 1 && rank > compared - QuartileSize(compared);
}

double NodeTarget(const Framework& fw) {
  return fw.grades.size() >= 2 ? fw.grades[1].min : 100.0;
}

const DiagnosedItem* UnitDiagnosis::Find(bool indicator, int index) const {
  for (const DiagnosedItem& it : items) {
    if (it.indicator == indicator && it.index == index) return &it;
  }
  return nullptr;
}

bool UnitDiagnosis::IsWeak(bool indicator, int index) const {
  for (size_t k : weak) {
    if (items[k].indicator == indicator && items[k].index == index) return true;
  }
  return false;
}

Result<UnitDiagnosis> DiagnoseUnit(const Framework& fw, const UnitValues& in,
                                   const ScoreResult& scored, size_t unit) {
  const size_t n_units = in.units.size();
  if (scored.units.size() != n_units || in.values.size() != n_units || unit >= n_units) {
    return Status::Invalid("diagnosis: the scores are not those of the values");
  }
  UnitDiagnosis out;
  out.unit = unit;
  const UnitScore& us = scored.units[unit];
  if (us.below_min_sample) {
    out.below_min_sample = true;
    return out;
  }
  std::vector<double> node_eff, ind_eff;
  EffectiveWeights(fw, scored, us, &node_eff, &ind_eff);
  const double node_target = NodeTarget(fw);
  std::vector<std::optional<double>> all(n_units);

  for (size_t i = 0; i < fw.indicators.size(); ++i) {
    const IndicatorSpec& spec = fw.indicators[i];
    DiagnosedItem item;
    item.indicator = true;
    item.index = static_cast<int>(i);
    for (size_t v = 0; v < n_units; ++v) {
      all[v] = scored.units[v].below_min_sample || !Present(in.values[v][i])
                   ? std::nullopt
                   : in.values[v][i];
    }
    item.value = all[unit];
    item.score = us.indicator_score[i];
    if (spec.rule == ScoringRule::kTarget) {
      item.target = spec.target;
      item.target_score = 100;
    } else {
      item.target_score = node_target;
    }
    Compare(all, unit, spec.direction == Direction::kHigher, &item);
    if (item.score) {
      item.below_target = *item.score < item.target_score;
      item.weight = ind_eff[i];
      item.loss = item.weight * (100 - *item.score);
    }
    out.items.push_back(item);
  }
  for (size_t n = 1; n < fw.nodes.size(); ++n) {
    if (fw.nodes[n].indicators.empty()) continue;
    DiagnosedItem item;
    item.index = static_cast<int>(n);
    for (size_t v = 0; v < n_units; ++v) {
      const UnitScore& s = scored.units[v];
      all[v] = s.below_min_sample || s.node_score.size() <= n ? std::nullopt : s.node_score[n];
    }
    item.value = all[unit];
    item.score = us.node_score[n];
    item.target = node_target;
    item.target_score = node_target;
    Compare(all, unit, true, &item);
    if (item.score) {
      item.below_target = *item.score < item.target_score;
      item.weight = node_eff[n];
      item.loss = item.weight * (100 - *item.score);
    }
    out.items.push_back(item);
  }

  for (size_t k = 0; k < out.items.size(); ++k) {
    const DiagnosedItem& it = out.items[k];
    if (!it.score) continue;
    if (it.below_target && it.bottom_quartile) out.weak.push_back(k);
    if (!it.indicator && !it.below_target && (it.top_quartile || (it.rank == 1 && it.compared >= 2))) {
      out.highlights.push_back(k);
    }
  }
  std::stable_sort(out.weak.begin(), out.weak.end(),
                   [&](size_t a, size_t b) { return out.items[a].loss > out.items[b].loss; });
  std::stable_sort(out.highlights.begin(), out.highlights.end(), [&](size_t a, size_t b) {
    const DiagnosedItem &x = out.items[a], &y = out.items[b];
    if (x.rank != y.rank) return x.rank < y.rank;
    return *x.score > *y.score;
  });
  return out;
}

std::vector<size_t> Difficulties(const UnitDiagnosis& current,
                                 const std::vector<const UnitDiagnosis*>& previous) {
  std::vector<size_t> out;
  if (previous.empty()) return out;
  for (size_t k : current.weak) {
    const DiagnosedItem& it = current.items[k];
    bool every = true;
    for (const UnitDiagnosis* p : previous) {
      every = every && p != nullptr && p->IsWeak(it.indicator, it.index);
    }
    if (every) out.push_back(k);
  }
  return out;
}

}  // namespace govqm

#include "app/explain_examples.h"

#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "core/engine/grouping.h"
#include "core/engine/same_source.h"
#include "core/table.h"
#include "core/thresholds.h"

namespace govqm::app {
namespace {

constexpr size_t kIds = 3;
using namespace thresholds;

// The columns of a kind that carry the group keys (-1 = the kind lacks it).
struct KeyCols {
  int region = -1, dept = -1, item = -1, window = -1, channel = -1, age = -1;
};
const KeyCols kTxCols{tx_col::kRegionCode, tx_col::kDeptCode, tx_col::kItemCode,
                      tx_col::kWindowCode, tx_col::kChannel,  tx_col::kApplicantAge};
const KeyCols kEvalCols{eval_col::kRegionCode, eval_col::kDeptCode, eval_col::kItemCode,
                        eval_col::kWindowCode, eval_col::kChannel,  eval_col::kEvaluatorAge};
const KeyCols kProbeCols{probe_col::kRegionCode, probe_col::kDeptCode};
const KeyCols kGuideCols{guide_col::kRegionCode, guide_col::kDeptCode, guide_col::kItemCode};

// Whether a row's label under the key is the unit, as the engine labels groups.
class UnitFilter {
 public:
  UnitFilter(const Dataset& data, const EngineOptions& o, GroupKey key, const std::string& unit)
      : key_(key), unit_(unit), tree_(data.regions), modes_(o.modes) {}

  bool Match(const Table& t, const KeyCols& c, size_t r) const {
    switch (key_) {
      case GroupKey::kRegion:
        return c.region >= 0 && t.col(c.region).CodeAt(r) == unit_;
      case GroupKey::kCity:
        return c.region >= 0 && Region(t, c, r, &engine::RegionTree::City);
      case GroupKey::kMacroRegion:
        return c.region >= 0 && Region(t, c, r, &engine::RegionTree::Macro);
      case GroupKey::kDept:
        return c.dept >= 0 && t.col(c.dept).CodeAt(r) == unit_;
      case GroupKey::kItem:
        return c.item >= 0 && t.col(c.item).CodeAt(r) == unit_;
      case GroupKey::kWindow:
        return c.window >= 0 && t.col(c.window).CodeAt(r) == unit_;
      case GroupKey::kChannel:
        return c.channel >= 0 && t.col(c.channel).CodeAt(r) == unit_;
      case GroupKey::kMode: {
        if (c.channel < 0) return false;
        const std::string_view ch = t.col(c.channel).CodeAt(r);
        return !ch.empty() && modes_.ModeOf(ch) == unit_;
      }
      case GroupKey::kAgeBand:
        return c.age >= 0 && engine::AgeBandLabel(engine::AgeBand(t.col(c.age).ints[r])) == unit_;
      default:
        return false;  // day, month: no examples
    }
  }

 private:
  bool Region(const Table& t, const KeyCols& c, size_t r,
              std::string_view (engine::RegionTree::*level)(std::string_view) const) const {
    const std::string_view code = t.col(c.region).CodeAt(r);
    return !code.empty() && (tree_.*level)(code) == unit_;
  }

  GroupKey key_;
  std::string unit_;
  engine::RegionTree tree_;
  const ChannelModes& modes_;
};

// Keeps a few ids on each side: counted in the numerator, or in the denominator only.
void Pick(RecordExamples* ex, std::string_view id, bool in) {
  auto& ids = in ? ex->in_ids : ex->out_ids;
  if (ids.size() < kIds) ids.emplace_back(id);
}

bool Null(int32_t v) { return v == kNullInt; }
bool Null(double v) { return std::isnan(v); }

void Transactions(const Dataset& data, const EngineOptions& o, const UnitFilter& f,
                  const std::string& code, RecordExamples* ex) {
  const Table& t = data.transactions;
  auto in_period = [&](int64_t x) { return x != kNullTime && x >= o.from_ms && x < o.to_ms; };
  const auto& id = t.col(tx_col::kId);
  const auto& sub = t.col(tx_col::kSubmittedAt).times;
  const auto& acc = t.col(tx_col::kAcceptedAt).times;
  const auto& due = t.col(tx_col::kDueAt).times;
  const auto& done = t.col(tx_col::kCompletedAt).times;
  const auto& status = t.col(tx_col::kStatus).bytes;
  const int idx = FindIndicator(code);
  const std::string_view family = Catalog()[idx].family;
  if (code == "open_overdue" || code == "freshness_hours") {
    int64_t newest = kNullTime;
    std::string newest_id;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (sub[r] == kNullTime || sub[r] >= o.to_ms || !f.Match(t, kTxCols, r)) continue;
      if (sub[r] > newest) {
        newest = sub[r];
        newest_id = std::string(id.TextAt(r));
      }
      if (code != "open_overdue") continue;
      const auto st = static_cast<TxStatus>(status[r]);
      const bool open = acc[r] != kNullTime && acc[r] < o.to_ms && due[r] != kNullTime &&
                        due[r] < o.to_ms && st != TxStatus::kRejected &&
                        st != TxStatus::kWithdrawn &&
                        !(st == TxStatus::kCompleted && done[r] != kNullTime && done[r] < o.to_ms);
      if (open) Pick(ex, id.TextAt(r), true);
    }
    if (code == "freshness_hours" && newest != kNullTime) {
      ex->in_ids = {newest_id};
      ex->detail = "newest submission " + FormatInstant(newest) + " (" + newest_id + ")";
    }
    return;
  }
  if (family == "completion" || code == "unrated_rate") {
    std::unordered_set<std::string_view> evaluated;
    if (code == "unrated_rate") {
      const auto& tid = data.evaluations.col(eval_col::kTransactionId);
      for (size_t r = 0; r < data.evaluations.rows(); ++r) {
        if (!tid.TextAt(r).empty()) evaluated.insert(tid.TextAt(r));
      }
    }
    for (size_t r = 0; r < t.rows(); ++r) {
      if (status[r] != static_cast<int8_t>(TxStatus::kCompleted)) continue;
      if (!in_period(done[r]) || !f.Match(t, kTxCols, r)) continue;
      const std::string_view rid = id.TextAt(r);
      if (code == "completed") {
        Pick(ex, rid, true);
      } else if (code == "on_time_rate") {
        if (due[r] != kNullTime) Pick(ex, rid, done[r] <= due[r]);
      } else if (code == "avg_handling_days" || code == "p90_handling_days") {
        if (acc[r] != kNullTime) Pick(ex, rid, true);
      } else if (code == "time_compression_rate") {
        const double p = t.col(tx_col::kPromisedDays).reals[r],
                     s = t.col(tx_col::kStatutoryDays).reals[r];
        if (!Null(p) && !Null(s) && s > 0) Pick(ex, rid, p < s);
      } else if (code == "unrated_rate") {
        Pick(ex, rid, !evaluated.count(rid));
      }
    }
    return;
  }
  // Intake: submitted in the period.
  for (size_t r = 0; r < t.rows(); ++r) {
    if (!in_period(sub[r]) || !f.Match(t, kTxCols, r)) continue;
    const std::string_view rid = id.TextAt(r);
    const std::string_view mode = o.modes.ModeOf(t.col(tx_col::kChannel).CodeAt(r));
    const int32_t visits = t.col(tx_col::kVisits).ints[r];
    if (code == "volume") {
      Pick(ex, rid, true);
    } else if (code == "online_rate" || code == "elderly_online_gap") {
      Pick(ex, rid, mode == "online");
    } else if (code == "zero_visit_rate" || code == "one_visit_rate" || code == "avg_visits") {
      if (Null(visits)) continue;
      Pick(ex, rid,
           code == "zero_visit_rate"  ? visits == 0
           : code == "one_visit_rate" ? visits <= 1
                                      : visits > 0);
    } else if (code == "material_exemption_rate") {
      const int32_t req = t.col(tx_col::kMaterialsRequired).ints[r];
      const int32_t exm = t.col(tx_col::kMaterialsExempted).ints[r];
      if (!Null(req) && !Null(exm) && req > 0) Pick(ex, rid, exm > 0);
    } else if (code == "cross_region_rate") {
      const int8_t c = t.col(tx_col::kCrossRegion).bytes[r];
      if (c != kNullBool) Pick(ex, rid, c == 1);
    } else if (code == "instant_rate") {
      const double p = t.col(tx_col::kPromisedDays).reals[r];
      if (!Null(p)) Pick(ex, rid, p == 0);
    } else if (code == "avg_wait_minutes" || code == "long_wait_rate") {
      const double w = t.col(tx_col::kWaitMinutes).reals[r];
      if (mode == "offline" && !Null(w)) Pick(ex, rid, IsLongWait(w));
    } else if (code == "sync_rate") {
      Pick(ex, rid, t.col(tx_col::kReportedAt).times[r] != kNullTime);
    } else if (code == "sync_lag_p95_hours") {
      if (t.col(tx_col::kReportedAt).times[r] != kNullTime) Pick(ex, rid, true);
    } else if (code == "completeness_rate") {
      const int filled = !Null(t.col(tx_col::kApplicantAge).ints[r]) + (acc[r] != kNullTime) +
                         (due[r] != kNullTime) + !Null(t.col(tx_col::kPromisedDays).reals[r]) +
                         !Null(t.col(tx_col::kStatutoryDays).reals[r]) + !Null(visits) +
                         !Null(t.col(tx_col::kMaterialsRequired).ints[r]);
      Pick(ex, rid, filled == 7);
    }
  }
}

void Evaluations(const Dataset& data, const EngineOptions& o, const UnitFilter& f,
                 const std::string& code, RecordExamples* ex) {
  const Table& t = data.evaluations;
  const auto& id = t.col(eval_col::kId);
  const auto& at = t.col(eval_col::kEvaluatedAt).times;
  if (code == "eval_freshness_hours") {
    int64_t newest = kNullTime;
    std::string newest_id;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (at[r] == kNullTime || at[r] >= o.to_ms || !f.Match(t, kEvalCols, r)) continue;
      if (at[r] > newest) newest = at[r], newest_id = std::string(id.TextAt(r));
    }
    if (newest != kNullTime) {
      ex->in_ids = {newest_id};
      ex->detail = "newest evaluation " + FormatInstant(newest) + " (" + newest_id + ")";
    }
    return;
  }
  for (size_t r = 0; r < t.rows(); ++r) {
    if (at[r] == kNullTime || at[r] < o.from_ms || at[r] >= o.to_ms || !f.Match(t, kEvalCols, r))
      continue;
    const int32_t s = t.col(eval_col::kScore).ints[r];
    if (Null(s)) continue;
    const std::string_view rid = id.TextAt(r);
    if (code == "evaluations") {
      Pick(ex, rid, true);
    } else if (code == "negative_rate") {
      Pick(ex, rid, IsBadReview(s));
    } else if (code == "top2_rate") {
      Pick(ex, rid, IsTop2(s));
    } else if (code == "active_positive_rate") {
      if (t.col(eval_col::kActive).bytes[r] == 1) Pick(ex, rid, IsPositive(s));
    } else {  // positive_rate, mean_score, elderly_satisfaction_gap: positive ones counted in
      Pick(ex, rid, IsPositive(s));
    }
  }
}

void Cases(const Dataset& data, const EngineOptions& o, const UnitFilter& f,
           const std::string& code, RecordExamples* ex) {
  const Table& t = data.evaluations;
  struct Case {
    size_t row;
    bool verified = false, rectified = false, closed = false, invalid = false, revisited = false;
    int64_t first_rectified = 0, latest_scored = kNullTime;
    int32_t revisit_score = kNullInt;
  };
  std::vector<Case> cases;
  std::unordered_map<std::string_view, size_t> by_id;
  const auto& at = t.col(eval_col::kEvaluatedAt).times;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (at[r] == kNullTime || at[r] < o.from_ms || at[r] >= o.to_ms || !f.Match(t, kEvalCols, r))
      continue;
    const int32_t s = t.col(eval_col::kScore).ints[r];
    if (t.col(eval_col::kRealName).bytes[r] != 1 || Null(s) || !IsBadReview(s)) continue;
    by_id.emplace(t.col(eval_col::kId).TextAt(r), cases.size());
    cases.push_back({r});
  }
  const Table& rt = data.rectifications;
  for (size_t r = 0; r < rt.rows(); ++r) {
    auto it = by_id.find(rt.col(rect_col::kEvaluationId).TextAt(r));
    const int64_t when = rt.col(rect_col::kAt).times[r];
    if (it == by_id.end() || when == kNullTime) continue;
    Case& c = cases[it->second];
    const int32_t rs = rt.col(rect_col::kRevisitScore).ints[r];
    switch (static_cast<RectEvent>(rt.col(rect_col::kEvent).bytes[r])) {
      case RectEvent::kVerified:
        c.verified = true;
        break;
      case RectEvent::kRectified:
        if (!c.rectified || when < c.first_rectified) c.first_rectified = when;
        c.rectified = true;
        break;
      case RectEvent::kRevisited:
        c.revisited = true;
        if (rs != kNullInt && when >= c.latest_scored) c.latest_scored = when, c.revisit_score = rs;
        break;
      case RectEvent::kClosed:
        c.closed = true;
        break;
      case RectEvent::kInvalid:
        c.invalid = true;
        break;
      default:
        break;
    }
  }
  static const WorkingCalendar kWeekdays;
  const WorkingCalendar& cal = o.calendar ? *o.calendar : kWeekdays;
  for (const Case& c : cases) {
    if (c.invalid) continue;
    const std::string_view rid = t.col(eval_col::kId).TextAt(c.row);
    if (code == "reply_rate") {
      Pick(ex, rid, c.verified);
    } else if (code == "rectification_rate") {
      Pick(ex, rid, c.rectified || c.closed);
    } else if (code == "rectification_on_time_rate") {
      if (!c.rectified) continue;
      static const FixedOffsetZone kUtc(0, "UTC");
      const TimeZone& zone = o.zone ? *o.zone : kUtc;
      Pick(ex, rid, c.first_rectified <= WorkingDeadline(cal, zone, at[c.row], o.rectify_days));
    } else if (code == "revisit_rate") {
      if (c.rectified) Pick(ex, rid, c.revisited);
    } else if (code == "revisit_satisfaction") {
      if (c.revisit_score != kNullInt) Pick(ex, rid, IsRevisitSatisfied(c.revisit_score));
    }
  }
}

void Probes(const Dataset& data, const EngineOptions& o, const UnitFilter& f,
            const std::string& code, RecordExamples* ex) {
  const Table& t = data.probes;
  for (size_t r = 0; r < t.rows(); ++r) {
    const int64_t at = t.col(probe_col::kCheckedAt).times[r];
    if (at == kNullTime || at < o.from_ms || at >= o.to_ms || !f.Match(t, kProbeCols, r)) continue;
    const std::string id =
        std::string(t.col(probe_col::kTarget).CodeAt(r)) + "@" + FormatInstant(at);
    const bool ok = t.col(probe_col::kOk).bytes[r] == 1;
    if (code == "availability") {
      Pick(ex, id, ok);
    } else if (ok && !Null(t.col(probe_col::kLatencyMs).reals[r])) {
      Pick(ex, id, true);
    }
  }
}

void Guides(const Dataset& data, const EngineOptions& o, const UnitFilter& f,
            const std::string& code, RecordExamples* ex) {
  const Table& g = data.guides;
  std::vector<GuideMismatch> mismatches;
  const std::vector<SameSourceItem> items = CompareSameSource(g, o.to_ms, &mismatches);
  std::unordered_set<std::string_view> mine;
  for (const SameSourceItem& it : items) {
    if (!f.Match(g, kGuideCols, it.platform_row)) continue;
    const std::string_view item = g.col(guide_col::kItemCode).CodeAt(it.platform_row);
    mine.insert(item);
    if (code == "catalog_coverage") {
      Pick(ex, item, it.dept_pubs > 0);
    } else if (code == "same_source_rate") {
      if (it.dept_pubs > 0) Pick(ex, item, it.dept_pubs_matching == it.dept_pubs);
    } else if (it.fields_compared > 0) {  // field_match_rate
      Pick(ex, item, it.fields_matching == it.fields_compared);
    }
  }
  int shown = 0;
  for (const GuideMismatch& m : mismatches) {
    if (!mine.count(m.item_code) || shown++ >= 3) continue;
    std::string fields;
    for (std::string_view fl : m.fields) fields += (fields.empty() ? "" : ", ") + std::string(fl);
    ex->detail += (ex->detail.empty() ? "" : "; ") + m.item_code + " at " + m.source +
                  " differs in " + fields;
  }
}

}  // namespace

RecordExamples FindRecordExamples(const Dataset& data, const EngineOptions& options, GroupKey key,
                                  const std::string& unit, const std::string& code) {
  RecordExamples ex;
  const int idx = FindIndicator(code);
  if (idx < 0 || key == GroupKey::kDay || key == GroupKey::kMonth) return ex;
  const UnitFilter filter(data, options, key, unit);
  const std::string_view family = Catalog()[idx].family;
  if (family == "evaluations" && code != "unrated_rate") {
    Evaluations(data, options, filter, code, &ex);
  } else if (code == "eval_freshness_hours") {
    Evaluations(data, options, filter, code, &ex);
  } else if (family == "rectification") {
    Cases(data, options, filter, code, &ex);
  } else if (family == "platform") {
    Probes(data, options, filter, code, &ex);
  } else if (family == "same_source") {
    Guides(data, options, filter, code, &ex);
  } else {
    Transactions(data, options, filter, code, &ex);
  }
  return ex;
}

std::vector<size_t> UnitEvaluationRows(const Dataset& data, const EngineOptions& options,
                                       GroupKey key, const std::string& unit) {
  std::vector<size_t> rows;
  if (key == GroupKey::kDay || key == GroupKey::kMonth) return rows;
  const UnitFilter filter(data, options, key, unit);
  const Table& t = data.evaluations;
  if (t.rows() == 0) return rows;
  const auto& at = t.col(eval_col::kEvaluatedAt).times;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (at[r] == kNullTime || at[r] < options.from_ms || at[r] >= options.to_ms) continue;
    if (filter.Match(t, kEvalCols, r)) rows.push_back(r);
  }
  return rows;
}

}  // namespace govqm::app

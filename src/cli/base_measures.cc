#include "cli/base_measures.h"

#include <algorithm>
#include <map>
#include <cmath>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "cli/output.h"
#include "core/engine/grouping.h"
#include "core/stats.h"
#include "core/engine/same_source.h"
#include "core/table.h"
#include "core/time_zone.h"

namespace govqm::cli {
namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr size_t kIds = 3;

// Columns that carry each group key in a kind (-1 = the kind lacks it).
struct KeyCols {
  int region = -1, dept = -1, item = -1, window = -1, channel = -1;
};

class UnitFilter {
 public:
  UnitFilter(const Dataset& data, const EngineOptions& o, GroupKey key, const std::string& unit)
      : key_(key), unit_(unit), tree_(data.regions), modes_(o.modes) {}

  bool Supported() const {
    return key_ == GroupKey::kRegion || key_ == GroupKey::kCity || key_ == GroupKey::kDept ||
           key_ == GroupKey::kItem || key_ == GroupKey::kWindow || key_ == GroupKey::kChannel ||
           key_ == GroupKey::kMode;
  }
  // Whether the kind has the key at all.
  bool Has(const KeyCols& c) const {
    switch (key_) {
      case GroupKey::kRegion: case GroupKey::kCity: return c.region >= 0;
      case GroupKey::kDept: return c.dept >= 0;
      case GroupKey::kItem: return c.item >= 0;
      case GroupKey::kWindow: return c.window >= 0;
      case GroupKey::kChannel: case GroupKey::kMode: return c.channel >= 0;
      default: return false;
    }
  }
  bool Match(const Table& t, const KeyCols& c, size_t r) const {
    switch (key_) {
      case GroupKey::kRegion: return t.col(c.region).CodeAt(r) == unit_;
      case GroupKey::kCity: {
        const std::string_view code = t.col(c.region).CodeAt(r);
        return !code.empty() && tree_.City(code) == unit_;
      }
      case GroupKey::kDept: return t.col(c.dept).CodeAt(r) == unit_;
      case GroupKey::kItem: return t.col(c.item).CodeAt(r) == unit_;
      case GroupKey::kWindow: return t.col(c.window).CodeAt(r) == unit_;
      case GroupKey::kChannel: return t.col(c.channel).CodeAt(r) == unit_;
      case GroupKey::kMode: {
        const std::string_view ch = t.col(c.channel).CodeAt(r);
        return !ch.empty() && modes_.ModeOf(ch) == unit_;
      }
      default: return false;
    }
  }

 private:
  GroupKey key_;
  std::string unit_;
  engine::RegionTree tree_;
  const ChannelModes& modes_;
};

const KeyCols kTxCols{tx_col::kRegionCode, tx_col::kDeptCode, tx_col::kItemCode, tx_col::kWindowCode,
                      tx_col::kChannel};
const KeyCols kEvalCols{eval_col::kRegionCode, eval_col::kDeptCode, eval_col::kItemCode,
                        eval_col::kWindowCode, eval_col::kChannel};
const KeyCols kProbeCols{probe_col::kRegionCode, probe_col::kDeptCode, -1, -1, -1};

// Counts a record into the numerator (in) or only the denominator (out).
void Count(BaseMeasure* b, std::string_view id, bool in, double num = 1, double den = 1) {
  b->numerator += in ? num : 0;
  b->denominator += den;
  auto& ids = in ? b->in_ids : b->out_ids;
  if (ids.size() < kIds) ids.emplace_back(id);
}

// Adds `num` to the numerator whatever `in` says (sums and means); `in` only sorts the ids.
void Sum(BaseMeasure* b, std::string_view id, bool in, double num, double den = 1) {
  b->numerator += num;
  b->denominator += den;
  auto& ids = in ? b->in_ids : b->out_ids;
  if (ids.size() < kIds) ids.emplace_back(id);
}

bool IsNullInt(int32_t v) { return v == kNullInt; }


}  // namespace

BaseMeasure ComputeBaseMeasure(const Dataset& data, const EngineOptions& o, GroupKey key,
                               const std::string& unit, const std::string& code) {
  BaseMeasure b;
  UnitFilter filter(data, o, key, unit);
  if (!filter.Supported()) {
    b.why = "base measures are re-derived for --by region, city, dept, item, window, channel or mode";
    return b;
  }
  const int idx = FindIndicator(code);
  if (idx < 0) {
    b.why = "not a catalog indicator";
    return b;
  }
  const std::string_view family = Catalog()[idx].family;
  const TimeZone* zone = o.zone;
  auto in_period = [&](int64_t t) { return t != kNullTime && t >= o.from_ms && t < o.to_ms; };
  b.available = true;

  if (family == "intake" || code == "elderly_online_gap" || code == "completeness_rate") {
    const Table& t = data.transactions;
    if (!filter.Has(kTxCols)) return b;
    const auto& id = t.col(tx_col::kId);
    const auto& sub = t.col(tx_col::kSubmittedAt).times;
    std::vector<double> lags;
    double online60 = 0, n60 = 0;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (!in_period(sub[r]) || !filter.Match(t, kTxCols, r)) continue;
      const std::string_view rid = id.TextAt(r);
      const std::string_view mode = o.modes.ModeOf(t.col(tx_col::kChannel).CodeAt(r));
      const int32_t visits = t.col(tx_col::kVisits).ints[r];
      const int32_t age = t.col(tx_col::kApplicantAge).ints[r];
      ++b.sample;
      if (code == "volume") {
        Count(&b, rid, true);
      } else if (code == "online_rate") {
        Count(&b, rid, mode == "online");
      } else if (code == "zero_visit_rate" || code == "one_visit_rate" || code == "avg_visits") {
        if (IsNullInt(visits)) continue;
        if (code == "avg_visits") {
          Sum(&b, rid, visits > 0, visits);
        } else {
          Count(&b, rid, code == "zero_visit_rate" ? visits == 0 : visits <= 1);
        }
      } else if (code == "material_exemption_rate") {
        const int32_t req = t.col(tx_col::kMaterialsRequired).ints[r];
        const int32_t ex = t.col(tx_col::kMaterialsExempted).ints[r];
        if (IsNullInt(req) || IsNullInt(ex) || req <= 0) continue;
        Sum(&b, rid, ex > 0, ex, req);
      } else if (code == "cross_region_rate") {
        const int8_t c = t.col(tx_col::kCrossRegion).bytes[r];
        if (c == kNullBool) continue;
        Count(&b, rid, c == 1);
      } else if (code == "instant_rate") {
        const double p = t.col(tx_col::kPromisedDays).reals[r];
        if (IsNull(p)) continue;
        Count(&b, rid, p == 0);
      } else if (code == "avg_wait_minutes" || code == "long_wait_rate") {
        const double w = t.col(tx_col::kWaitMinutes).reals[r];
        if (mode != "offline" || IsNull(w)) continue;
        if (code == "avg_wait_minutes") {
          Sum(&b, rid, w > 30, w);
        } else {
          Count(&b, rid, w > 30);
        }
      } else if (code == "sync_rate") {
        Count(&b, rid, t.col(tx_col::kReportedAt).times[r] != kNullTime);
      } else if (code == "sync_lag_p95_hours") {
        const int64_t rep = t.col(tx_col::kReportedAt).times[r];
        if (rep == kNullTime) continue;
        lags.push_back(static_cast<double>(rep - sub[r]) / 3600000.0);
        if (b.in_ids.size() < kIds) b.in_ids.emplace_back(rid);
      } else if (code == "completeness_rate") {
        int filled = !IsNullInt(age) + (t.col(tx_col::kAcceptedAt).times[r] != kNullTime) +
                     (t.col(tx_col::kDueAt).times[r] != kNullTime) +
                     !IsNull(t.col(tx_col::kPromisedDays).reals[r]) +
                     !IsNull(t.col(tx_col::kStatutoryDays).reals[r]) + !IsNullInt(visits) +
                     !IsNullInt(t.col(tx_col::kMaterialsRequired).ints[r]);
        Sum(&b, rid, filled == 7, filled, 7);
      } else if (code == "elderly_online_gap") {
        Count(&b, rid, mode == "online");
        if (!IsNullInt(age) && age >= 60) {
          n60 += 1;
          online60 += mode == "online";
        }
      }
    }
    if (code == "sync_lag_p95_hours") {
      b.ratio = false;
      b.sample = static_cast<double>(lags.size());
      if (!lags.empty()) b.value = InterpolatedPercentile(lags, 0.95);
      b.numerator_label = "p95 of (reported_at - submitted_at) hours";
      b.denominator_label = "reported transactions";
      b.denominator = b.sample;
      return b;
    }
    if (code == "elderly_online_gap") {
      b.ratio = false;
      b.numerator_label = "online_rate(60+) - online_rate(all)";
      b.denominator_label = "transactions (age 60+)";
      b.detail = "online_rate(60+) = " + std::to_string(static_cast<long long>(online60)) + " / " +
                 std::to_string(static_cast<long long>(n60)) + "; online_rate(all) = " +
                 std::to_string(static_cast<long long>(b.numerator)) + " / " +
                 std::to_string(static_cast<long long>(b.denominator));
      if (n60 > 0 && b.denominator > 0) b.value = online60 / n60 - b.numerator / b.denominator;
      b.numerator = online60;
      b.denominator = n60;
      return b;
    }
    static const std::unordered_map<std::string_view, std::pair<const char*, const char*>> kLabels = {
        {"volume", {"transactions submitted", ""}},
        {"online_rate", {"online (channel mode)", "transactions submitted"}},
        {"zero_visit_rate", {"visits = 0", "transactions with visits"}},
        {"one_visit_rate", {"visits <= 1", "transactions with visits"}},
        {"avg_visits", {"sum of visits", "transactions with visits"}},
        {"material_exemption_rate", {"materials exempted", "materials required"}},
        {"cross_region_rate", {"cross-region", "transactions with cross_region"}},
        {"instant_rate", {"promised_days = 0", "transactions with promised_days"}},
        {"avg_wait_minutes", {"sum of wait minutes", "offline transactions with a wait"}},
        {"long_wait_rate", {"wait > 30 min", "offline transactions with a wait"}},
        {"sync_rate", {"reported to the platform", "transactions submitted"}},
        {"completeness_rate", {"filled cells", "transactions x 7 fields"}}};
    auto it = kLabels.find(code);
    if (it != kLabels.end()) {
      b.numerator_label = it->second.first;
      b.denominator_label = it->second.second;
    }
    if (code == "volume") {
      b.ratio = false;
      b.value = b.numerator;
      return b;
    }
    if (b.denominator > 0) b.value = b.numerator / b.denominator;
    return b;
  }

  if (family == "completion" || code == "unrated_rate") {
    const Table& t = data.transactions;
    const auto& id = t.col(tx_col::kId);
    std::unordered_set<std::string_view> evaluated;
    if (code == "unrated_rate") {
      const auto& tid = data.evaluations.col(eval_col::kTransactionId);
      for (size_t r = 0; r < data.evaluations.rows(); ++r) {
        if (!tid.TextAt(r).empty()) evaluated.insert(tid.TextAt(r));
      }
    }
    std::vector<double> days;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (t.col(tx_col::kStatus).bytes[r] != static_cast<int8_t>(TxStatus::kCompleted)) continue;
      const int64_t done = t.col(tx_col::kCompletedAt).times[r];
      if (!in_period(done) || !filter.Match(t, kTxCols, r)) continue;
      const std::string_view rid = id.TextAt(r);
      ++b.sample;
      const int64_t acc = t.col(tx_col::kAcceptedAt).times[r];
      if (code == "completed") {
        Count(&b, rid, true);
      } else if (code == "on_time_rate") {
        const int64_t due = t.col(tx_col::kDueAt).times[r];
        if (due == kNullTime) continue;
        Count(&b, rid, done <= due);
      } else if (code == "avg_handling_days" || code == "p90_handling_days") {
        if (acc == kNullTime) continue;
        const double d = static_cast<double>(done - acc) / kMsPerDay;
        days.push_back(d);
        Sum(&b, rid, true, d);
      } else if (code == "time_compression_rate") {
        const double p = t.col(tx_col::kPromisedDays).reals[r], s = t.col(tx_col::kStatutoryDays).reals[r];
        if (IsNull(p) || IsNull(s) || s <= 0) continue;
        Sum(&b, rid, p < s, 1 - p / s);
      } else if (code == "unrated_rate") {
        Count(&b, rid, !evaluated.count(rid));
      }
    }
    static const std::unordered_map<std::string_view, std::pair<const char*, const char*>> kLabels = {
        {"completed", {"completed in period", ""}},
        {"on_time_rate", {"completed_at <= due_at", "completed with due_at"}},
        {"avg_handling_days", {"sum of days accepted -> completed", "completed with accepted_at"}},
        {"p90_handling_days", {"p90 of days accepted -> completed", "completed with accepted_at"}},
        {"time_compression_rate", {"sum of (1 - promised/statutory)", "completed with statutory_days > 0"}},
        {"unrated_rate", {"completed with no evaluation of their id", "completed in period"}}};
    b.numerator_label = kLabels.at(code).first;
    b.denominator_label = kLabels.at(code).second;
    if (code == "completed") {
      b.ratio = false;
      b.value = b.numerator;
    } else if (code == "p90_handling_days") {
      b.ratio = false;
      if (!days.empty()) b.value = InterpolatedPercentile(days, 0.9);
    } else if (b.denominator > 0) {
      b.value = b.numerator / b.denominator;
    }
    return b;
  }

  if (family == "evaluations") {
    const Table& t = data.evaluations;
    const auto& id = t.col(eval_col::kId);
    double sum60 = 0, n60 = 0;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (!in_period(t.col(eval_col::kEvaluatedAt).times[r]) || !filter.Match(t, kEvalCols, r)) continue;
      const std::string_view rid = id.TextAt(r);
      const int32_t s = t.col(eval_col::kScore).ints[r];
      ++b.sample;
      if (code == "evaluations") {
        Count(&b, rid, true);
      } else if (code == "positive_rate") {
        Count(&b, rid, s >= 3);
      } else if (code == "negative_rate") {
        Count(&b, rid, s <= 2);
      } else if (code == "top2_rate") {
        Count(&b, rid, s >= 4);
      } else if (code == "mean_score" || code == "elderly_satisfaction_gap") {
        Sum(&b, rid, s >= 3, s);
        const int32_t age = t.col(eval_col::kEvaluatorAge).ints[r];
        if (!IsNullInt(age) && age >= 60) sum60 += s, n60 += 1;
      } else if (code == "active_positive_rate") {
        if (t.col(eval_col::kActive).bytes[r] != 1) continue;
        Count(&b, rid, s >= 3);
      }
    }
    static const std::unordered_map<std::string_view, std::pair<const char*, const char*>> kLabels = {
        {"evaluations", {"evaluations in period", ""}},
        {"positive_rate", {"score >= 3", "evaluations"}},
        {"negative_rate", {"score <= 2", "evaluations"}},
        {"top2_rate", {"score >= 4", "evaluations"}},
        {"mean_score", {"sum of scores", "evaluations"}},
        {"active_positive_rate", {"active, score >= 3", "active evaluations"}},
        {"elderly_satisfaction_gap", {"mean_score(60+) - mean_score(all)", "evaluations (60+)"}}};
    b.numerator_label = kLabels.at(code).first;
    b.denominator_label = kLabels.at(code).second;
    if (code == "evaluations") {
      b.ratio = false;
      b.value = b.numerator;
    } else if (code == "elderly_satisfaction_gap") {
      b.ratio = false;
      b.detail = "mean_score(60+) = " + NumberText(sum60) + " / " + NumberText(n60) +
                 "; mean_score(all) = " + NumberText(b.numerator) + " / " + NumberText(b.denominator);
      if (n60 > 0 && b.denominator > 0) b.value = sum60 / n60 - b.numerator / b.denominator;
      b.numerator = sum60;
      b.denominator = n60;
    } else if (b.denominator > 0) {
      b.value = b.numerator / b.denominator;
    }
    return b;
  }

  if (family == "rectification") {
    const Table& t = data.evaluations;
    struct Case {
      size_t row;
      bool verified = false, rectified = false, closed = false, invalid = false, revisited = false;
      int64_t first_rectified = 0, latest_scored = kNullTime;
      int32_t revisit_score = kNullInt;
    };
    std::vector<Case> cases;
    std::unordered_map<std::string_view, size_t> by_id;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (!in_period(t.col(eval_col::kEvaluatedAt).times[r]) || !filter.Match(t, kEvalCols, r)) continue;
      if (t.col(eval_col::kRealName).bytes[r] != 1 || t.col(eval_col::kScore).ints[r] > 2) continue;
      by_id.emplace(t.col(eval_col::kId).TextAt(r), cases.size());
      cases.push_back({r});
    }
    const Table& rt = data.rectifications;
    for (size_t r = 0; r < rt.rows(); ++r) {
      auto it = by_id.find(rt.col(rect_col::kEvaluationId).TextAt(r));
      const int64_t at = rt.col(rect_col::kAt).times[r];
      if (it == by_id.end() || at == kNullTime) continue;
      Case& c = cases[it->second];
      const int32_t rs = rt.col(rect_col::kRevisitScore).ints[r];
      switch (static_cast<RectEvent>(rt.col(rect_col::kEvent).bytes[r])) {
        case RectEvent::kVerified: c.verified = true; break;
        case RectEvent::kRectified:
          if (!c.rectified || at < c.first_rectified) c.first_rectified = at;
          c.rectified = true;
          break;
        case RectEvent::kRevisited:
          c.revisited = true;
          if (rs != kNullInt && at >= c.latest_scored) c.latest_scored = at, c.revisit_score = rs;
          break;
        case RectEvent::kClosed: c.closed = true; break;
        case RectEvent::kInvalid: c.invalid = true; break;
        default: break;
      }
    }
    WorkingCalendar monday_friday;
    const WorkingCalendar& cal = o.calendar ? *o.calendar : monday_friday;
    for (const Case& c : cases) {
      if (c.invalid) continue;
      const std::string_view rid = t.col(eval_col::kId).TextAt(c.row);
      ++b.sample;
      if (code == "reply_rate") {
        Count(&b, rid, c.verified);
      } else if (code == "rectification_rate") {
        Count(&b, rid, c.rectified || c.closed);
      } else if (code == "rectification_on_time_rate") {
        if (!c.rectified) continue;
        const int64_t at = t.col(eval_col::kEvaluatedAt).times[c.row];
        const int64_t local = zone ? zone->UtcToLocal(at) : at;
        const int64_t day = FloorDiv(local, kMsPerDay);
        const int64_t end_local = cal.DeadlineDay(day, o.rectify_days) * kMsPerDay;
        const int64_t deadline = zone ? zone->LocalToUtc(end_local) : end_local;
        Count(&b, rid, c.first_rectified <= deadline);
      } else if (code == "revisit_rate") {
        if (!c.rectified) continue;
        Count(&b, rid, c.revisited);
      } else if (code == "revisit_satisfaction") {
        if (c.revisit_score == kNullInt) continue;
        Count(&b, rid, c.revisit_score >= 3);
      }
    }
    static const std::unordered_map<std::string_view, std::pair<const char*, const char*>> kLabels = {
        {"reply_rate", {"cases verified (replied)", "real-name bad-review cases (not invalid)"}},
        {"rectification_rate", {"cases rectified or closed", "real-name bad-review cases (not invalid)"}},
        {"rectification_on_time_rate", {"first rectified by the working-day deadline", "cases rectified"}},
        {"revisit_rate", {"rectified cases revisited", "cases rectified"}},
        {"revisit_satisfaction", {"latest scored revisit >= 3", "cases revisited with a score"}}};
    b.numerator_label = kLabels.at(code).first;
    b.denominator_label = kLabels.at(code).second;
    if (b.denominator > 0) b.value = b.numerator / b.denominator;
    return b;
  }

  if (family == "platform") {
    const Table& t = data.probes;
    if (!filter.Has(kProbeCols)) {
      b.available = false;
      b.why = "probes have no " + std::string(GroupKeyName(key)) + " key";
      return b;
    }
    std::vector<double> lat;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (!in_period(t.col(probe_col::kCheckedAt).times[r]) || !filter.Match(t, kProbeCols, r)) continue;
      const std::string id = std::string(t.col(probe_col::kTarget).CodeAt(r)) + "@" +
                             FormatInstant(t.col(probe_col::kCheckedAt).times[r]);
      const bool ok = t.col(probe_col::kOk).bytes[r] == 1;
      ++b.sample;
      if (code == "availability") {
        Count(&b, id, ok);
      } else if (ok && !IsNull(t.col(probe_col::kLatencyMs).reals[r])) {
        lat.push_back(t.col(probe_col::kLatencyMs).reals[r]);
        if (b.in_ids.size() < kIds) b.in_ids.push_back(id);
      }
    }
    if (code == "availability") {
      b.numerator_label = "probes ok";
      b.denominator_label = "probes";
      if (b.denominator > 0) b.value = b.numerator / b.denominator;
    } else {
      b.ratio = false;
      b.numerator_label = "p95 latency of ok probes (ms)";
      b.denominator_label = "ok probes with a latency";
      b.denominator = static_cast<double>(lat.size());
      if (!lat.empty()) b.value = InterpolatedPercentile(lat, 0.95);
    }
    return b;
  }

  if (family == "same_source") {
    // Items are grouped by the platform publication's region, department and item.
    const KeyCols guide_cols{guide_col::kRegionCode, guide_col::kDeptCode, guide_col::kItemCode,
                             -1, -1};
    if (!filter.Has(guide_cols)) {
      b.available = false;
      b.why = "guides have no " + std::string(GroupKeyName(key)) + " key";
      return b;
    }
    const Table& g = data.guides;
    std::vector<GuideMismatch> mismatches;
    const std::vector<SameSourceItem> items = CompareSameSource(g, o.to_ms, &mismatches);
    for (const SameSourceItem& it : items) {
      if (!filter.Match(g, guide_cols, it.platform_row)) continue;
      const std::string_view item = g.col(guide_col::kItemCode).CodeAt(it.platform_row);
      ++b.sample;
      if (code == "catalog_coverage") {
        Count(&b, item, it.dept_pubs > 0);
      } else if (code == "same_source_rate") {
        if (it.dept_pubs == 0) continue;  // only items published by both are compared
        Count(&b, item, it.dept_pubs_matching == it.dept_pubs);
      } else if (it.fields_compared > 0) {  // field_match_rate
        Sum(&b, item, it.fields_matching == it.fields_compared, it.fields_matching,
            it.fields_compared);
      }
    }
    static const std::map<std::string, std::pair<std::string, std::string>> kLabels = {
        {"same_source_rate", {"items matching on every key field", "items published by both"}},
        {"field_match_rate", {"matching key fields", "compared key fields"}},
        {"catalog_coverage",
         {"platform items with a department publication", "platform items"}}};
    b.numerator_label = kLabels.at(code).first;
    b.denominator_label = kLabels.at(code).second;
    if (b.denominator > 0) b.value = b.numerator / b.denominator;
    int shown = 0;
    for (const GuideMismatch& m : mismatches) {
      const std::string_view item = m.item_code;
      bool mine = false;
      for (const SameSourceItem& it : items) {
        if (g.col(guide_col::kItemCode).CodeAt(it.platform_row) == item) {
          mine = filter.Match(g, guide_cols, it.platform_row);
          break;
        }
      }
      if (!mine || shown++ >= 3) continue;
      std::string fields;
      for (std::string_view f : m.fields) fields += (fields.empty() ? "" : ", ") + std::string(f);
      b.detail += (b.detail.empty() ? "" : "; ") + m.item_code + " at " + m.source + " differs in " +
                  fields;
    }
    return b;
  }

  // Point-in-time measures, at the end of the period.
  if (code == "open_overdue" || code == "freshness_hours") {
    const Table& t = data.transactions;
    if (!filter.Has(kTxCols)) return b;
    const auto& sub = t.col(tx_col::kSubmittedAt).times;
    const auto& acc = t.col(tx_col::kAcceptedAt).times;
    const auto& due = t.col(tx_col::kDueAt).times;
    const auto& done = t.col(tx_col::kCompletedAt).times;
    const auto& status = t.col(tx_col::kStatus).bytes;
    int64_t newest = kNullTime;
    std::string newest_id;
    for (size_t r = 0; r < t.rows(); ++r) {
      if (sub[r] == kNullTime || sub[r] >= o.to_ms || !filter.Match(t, kTxCols, r)) continue;
      ++b.sample;
      if (sub[r] > newest) {
        newest = sub[r];
        newest_id = std::string(t.col(tx_col::kId).TextAt(r));
      }
      if (code != "open_overdue") continue;
      const auto st = static_cast<TxStatus>(status[r]);
      const bool open = acc[r] != kNullTime && acc[r] < o.to_ms && due[r] != kNullTime &&
                        due[r] < o.to_ms && st != TxStatus::kRejected &&
                        st != TxStatus::kWithdrawn &&
                        !(st == TxStatus::kCompleted && done[r] != kNullTime && done[r] < o.to_ms);
      if (open) Count(&b, t.col(tx_col::kId).TextAt(r), true, 1, 0);
    }
    b.ratio = false;
    if (code == "open_overdue") {
      b.numerator_label = "accepted, overdue and still open at the end of the period";
      b.denominator_label = "transactions submitted before the end (scanned)";
      b.denominator = b.sample;
      b.value = b.numerator;
    } else {
      b.numerator_label = "hours from the newest submission to the end of the period";
      b.denominator_label = "transactions submitted before the end";
      b.denominator = b.sample;
      if (newest != kNullTime) {
        b.value = static_cast<double>(o.to_ms - newest) / kMsPerHour;
        b.numerator = *b.value;
        b.in_ids = {newest_id};
        b.detail = "newest submission " + FormatInstant(newest) + " (" + newest_id + ")";
      }
    }
    return b;
  }

  b.available = false;
  b.why = "eval_freshness_hours is the hours from the newest evaluation to the end of the period";
  return b;
}

}  // namespace govqm::cli

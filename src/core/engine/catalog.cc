#include "core/engine/catalog.h"

#include <array>

namespace govqm {
namespace {

constexpr std::array<std::string_view, kGroupKeyCount> kKeyNames = {
    "region", "city", "dept", "item", "window", "channel", "mode", "age_band", "macro_region",
    "day", "month"};

constexpr uint32_t kAllKeys = (1u << kGroupKeyCount) - 1;
constexpr uint32_t kProbeKeys = KeyBit(GroupKey::kRegion) | KeyBit(GroupKey::kCity) |
                                KeyBit(GroupKey::kDept) | KeyBit(GroupKey::kMacroRegion) |
                                KeyBit(GroupKey::kDay) | KeyBit(GroupKey::kMonth);
constexpr uint32_t kGuideKeys = KeyBit(GroupKey::kRegion) | KeyBit(GroupKey::kCity) |
                                KeyBit(GroupKey::kDept) | KeyBit(GroupKey::kItem) |
                                KeyBit(GroupKey::kMacroRegion);

// domain.md §3, in its order. Keep in step with the formulas in indicators.cc (a test checks).
constexpr IndicatorInfo kCatalog[] = {
    // Intake: transactions whose submitted_at is in period.
    {"volume", "intake", "count", "transactions submitted in period", kAllKeys,
     Measure::kCount, "transactions submitted", ""},
    {"online_rate", "intake", "rate", "count(mode = online) / count", kAllKeys,
     Measure::kRatio, "online (channel mode)", "transactions submitted"},
    {"zero_visit_rate", "intake", "rate", "count(visits = 0) / count(visits not null)", kAllKeys,
     Measure::kRatio, "visits = 0", "transactions with visits"},
    {"one_visit_rate", "intake", "rate", "count(visits <= 1) / count(visits not null)", kAllKeys,
     Measure::kRatio, "visits <= 1", "transactions with visits"},
    {"avg_visits", "intake", "visits", "mean(visits) over rows with visits", kAllKeys,
     Measure::kRatio, "sum of visits", "transactions with visits"},
    {"material_exemption_rate", "intake", "rate",
     "sum(materials_exempted) / sum(materials_required), rows with materials_required > 0 "
     "and materials_exempted present", kAllKeys,
     Measure::kRatio, "materials exempted", "materials required"},
    {"cross_region_rate", "intake", "rate", "count(cross_region) / count(cross_region not null)",
     kAllKeys,
     Measure::kRatio, "cross-region", "transactions with cross_region"},
    {"instant_rate", "intake", "rate", "count(promised_days = 0) / count(promised_days not null)",
     kAllKeys,
     Measure::kRatio, "promised_days = 0", "transactions with promised_days"},
    {"avg_wait_minutes", "intake", "minutes", "mean(wait_minutes), mode = offline, wait not null",
     kAllKeys,
     Measure::kRatio, "sum of wait minutes", "offline transactions with a wait"},
    {"long_wait_rate", "intake", "rate",
     "count(wait_minutes > 30) / count(wait not null), mode = offline", kAllKeys,
     Measure::kRatio, "wait > 30 min", "offline transactions with a wait"},
    {"sync_rate", "intake", "rate",
     "count(reported_at not null) / count (reported after `to` counts)", kAllKeys,
     Measure::kRatio, "reported to the platform", "transactions submitted"},
    {"sync_lag_p95_hours", "intake", "hours", "p95 of (reported_at - submitted_at) in hours",
     kAllKeys,
     Measure::kPercentile, "p95 of (reported_at - submitted_at) hours", "reported transactions"},
    // Completion: status = completed and completed_at in period.
    {"completed", "completion", "count", "completed transactions with completed_at in period",
     kAllKeys,
     Measure::kCount, "completed in period", ""},
    {"on_time_rate", "completion", "rate", "count(completed_at <= due_at) / count(due_at not null)",
     kAllKeys,
     Measure::kRatio, "completed_at <= due_at", "completed with due_at"},
    {"avg_handling_days", "completion", "days",
     "mean(completed_at - accepted_at) in calendar days (fractional)", kAllKeys,
     Measure::kRatio, "sum of days accepted -> completed", "completed with accepted_at"},
    {"p90_handling_days", "completion", "days", "p90 of (completed_at - accepted_at) in days",
     kAllKeys,
     Measure::kPercentile, "p90 of days accepted -> completed", "completed with accepted_at"},
    {"time_compression_rate", "completion", "rate",
     "mean(1 - promised_days / statutory_days), rows with statutory_days > 0", kAllKeys,
     Measure::kRatio, "sum of (1 - promised/statutory)", "completed with statutory_days > 0"},
    // Backlog: point in time at the end of the period (or of each day/month bucket).
    {"open_overdue", "backlog", "count",
     "count(accepted_at < end, due_at < end, status not rejected/withdrawn, not completed "
     "before end)", kAllKeys,
     Measure::kPointInTime, "accepted, overdue and still open at the end of the period", ""},
    // Evaluations: evaluated_at in period.
    {"evaluations", "evaluations", "count", "evaluations in period", kAllKeys,
     Measure::kCount, "evaluations in period", ""},
    {"positive_rate", "evaluations", "rate", "count(score >= 3) / count", kAllKeys,
     Measure::kRatio, "score >= 3", "evaluations"},
    {"negative_rate", "evaluations", "rate", "count(score <= 2) / count", kAllKeys,
     Measure::kRatio, "score <= 2", "evaluations"},
    {"top2_rate", "evaluations", "rate", "count(score >= 4) / count", kAllKeys,
     Measure::kRatio, "score >= 4", "evaluations"},
    {"mean_score", "evaluations", "score", "mean(score)", kAllKeys,
     Measure::kRatio, "sum of scores", "evaluations"},
    {"active_positive_rate", "evaluations", "rate", "count(active, score >= 3) / count(active)",
     kAllKeys,
     Measure::kRatio, "active, score >= 3", "active evaluations"},
    {"unrated_rate", "evaluations", "rate",
     "completed transactions of the period with no evaluation (any date) of their id / completed",
     kAllKeys,
     Measure::kRatio, "completed with no evaluation of their id", "completed in period"},
    {"elderly_satisfaction_gap", "evaluations", "score",
     "mean_score(evaluator_age >= 60) - mean_score(all)", kAllKeys,
     Measure::kGap, "mean_score(60+) - mean_score(all)", "evaluations (60+)"},
    // Rectification: real-name bad reviews (score <= 2) evaluated in period; invalid excluded.
    {"reply_rate", "rectification", "rate", "count(cases with a verified event) / count(cases)",
     kAllKeys,
     Measure::kRatio, "cases verified (replied)", "real-name bad-review cases (not invalid)"},
    {"rectification_rate", "rectification", "rate",
     "count(cases rectified or closed) / count(cases)", kAllKeys,
     Measure::kRatio, "cases rectified or closed", "real-name bad-review cases (not invalid)"},
    {"rectification_on_time_rate", "rectification", "rate",
     "count(first rectified event by the working-day deadline) / count(cases rectified)",
     kAllKeys,
     Measure::kRatio, "first rectified by the working-day deadline", "cases rectified"},
    {"revisit_rate", "rectification", "rate",
     "count(rectified cases with a revisited event) / count(cases rectified)", kAllKeys,
     Measure::kRatio, "rectified cases revisited", "cases rectified"},
    {"revisit_satisfaction", "rectification", "rate",
     "count(latest scored revisit >= 3) / count(cases revisited with a score)", kAllKeys,
     Measure::kRatio, "latest scored revisit >= 3", "cases revisited with a score"},
    // Online platform: probes checked_at in period.
    {"availability", "platform", "rate", "count(ok) / count", kProbeKeys,
     Measure::kRatio, "probes ok", "probes"},
    {"latency_p95_ms", "platform", "ms", "p95(latency_ms) of ok probes", kProbeKeys,
     Measure::kPercentile, "p95 latency of ok probes (ms)", "ok probes with a latency"},
    // Same-source: latest publications with published_at < to.
    {"same_source_rate", "same_source", "rate",
     "items matching on every key field / items published by platform and a department",
     kGuideKeys,
     Measure::kRatio, "items matching on every key field", "items published by both"},
    {"field_match_rate", "same_source", "rate", "matching key fields / compared key fields",
     kGuideKeys,
     Measure::kRatio, "matching key fields", "compared key fields"},
    {"catalog_coverage", "same_source", "rate",
     "platform items with a department publication / platform items", kGuideKeys,
     Measure::kRatio, "platform items with a department publication", "platform items"},
    // Data quality.
    {"freshness_hours", "data_quality", "hours",
     "hours from the newest transaction (submitted_at < end) to the end", kAllKeys,
     Measure::kPointInTime, "hours from the newest submission to the end of the period", ""},
    {"eval_freshness_hours", "data_quality", "hours",
     "hours from the newest evaluation (evaluated_at < end) to the end", kAllKeys,
     Measure::kPointInTime, "hours from the newest evaluation to the end of the period", ""},
    {"completeness_rate", "data_quality", "rate",
     "filled cells / (intake transactions x 7) over applicant_age, accepted_at, due_at, "
     "promised_days, statutory_days, visits, materials_required", kAllKeys,
     Measure::kRatio, "filled cells", "transactions x 7 fields"},
    // Digital divide.
    {"elderly_online_gap", "divide", "rate", "online_rate(applicant_age >= 60) - online_rate(all)",
     kAllKeys,
     Measure::kGap, "online_rate(60+) - online_rate(all)", "transactions (age 60+)"},
};

}  // namespace

std::optional<GroupKey> ParseGroupKey(std::string_view name) {
  for (int i = 0; i < kGroupKeyCount; ++i) {
    if (kKeyNames[i] == name) return static_cast<GroupKey>(i);
  }
  return std::nullopt;
}

std::string_view GroupKeyName(GroupKey key) { return kKeyNames[static_cast<int>(key)]; }

std::span<const IndicatorInfo> Catalog() { return kCatalog; }

int FindIndicator(std::string_view code) {
  for (size_t i = 0; i < std::size(kCatalog); ++i) {
    if (kCatalog[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

std::string_view MeasureName(Measure m) {
  switch (m) {
    case Measure::kCount:
      return "count";
    case Measure::kRatio:
      return "ratio";
    case Measure::kPercentile:
      return "percentile";
    case Measure::kGap:
      return "gap";
    case Measure::kPointInTime:
      return "point_in_time";
  }
  return "";
}

}  // namespace govqm

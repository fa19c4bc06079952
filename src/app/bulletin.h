// The bulletin use case (service.md §10: 月报/季报): everything the periodic bulletin shows,
// computed from one committed state of the store under the request's scope — the index,
// grade and rank of every unit of the --by level with the change against the previous period;
// the stage × dimension heatmap; 红黑榜 of windows and departments (with the 约谈 mark for a
// unit at the bottom two periods running); the closed loop; the alerts; same-source
// mismatches by department; the digital divide; a short diagnosis per unit. A plain result:
// rendering is app/render/bulletin_html.h and bulletin_xlsx.h. Definitions: docs/REPORTS.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/alerts.h"
#include "app/diagnose.h"
#include "app/same_source.h"
#include "app/scoring_input.h"
#include "core/closed_loop.h"
#include "framework/alert_rules.h"
#include "framework/diagnosis.h"
#include "framework/disparity.h"
#include "platform/env.h"

namespace govqm::app {

struct BulletinRequest {
  // The period (local dates, from < to), the --by key of the units, the zone and the scope.
  ScoringRequest input;
  AlertRules rules;                // the alert rules run over the period (at = to)
  ClosedLoopDeadlines deadlines;   // the cases' working-day deadlines ([closed_loop])
  std::string stopwords_file;      // the pain points' stop words (core/words.h format)
  size_t top = 5;                  // 红黑榜: the best and the worst `top` of each list
  bool show_records = true;        // false: no example comments (an auditor)
  size_t alerts_listed = 40;       // alerts listed one by one; the rest are counted
};

// One scored unit of a level (the --by units, the windows, the departments), in this period
// and the previous one of the same length.
struct BulletinUnit {
  std::string code, name;  // name "" when unknown
  UnitScore score;         // this period's (ScoreUnits'); score.grade points into the
                           // bulletin's framework
  // The previous period: whether the unit had records, its index and rank there (0 = not
  // ranked), and the changes (index − previous index; previous rank − rank, > 0 = moved up).
  bool in_previous = false;
  std::optional<double> previous_index;
  int previous_rank = 0;
  std::optional<double> change;
  std::optional<int> rank_change;
  std::optional<double> index() const {
    return score.node_score.empty() ? std::nullopt : score.node_score[0];
  }
};

// 红黑榜 of one key (window or dept). Only ranked units (not below min_sample, with an
// index) take part. With n ranked units, k = min(top, n / 2) units make each list: the best
// k by index (red list, 红榜) and the worst k (black list, 黑榜), worst first; ties ordered
// by code. A unit of the black list that was on the black list of the previous period too
// (the same rule over the previous period's ranked units) is marked for a talk (约谈).
struct Board {
  std::string by;                  // "window" or "dept"
  std::vector<BulletinUnit> units; // every unit with records, in code order
  size_t ranked = 0, previous_ranked = 0;
  std::vector<size_t> best;        // indexes into units, best first
  std::vector<size_t> worst;       // indexes into units, worst first
  std::vector<bool> talk;          // per worst entry: on the previous black list too (约谈)
  std::vector<std::string> previous_worst;  // the previous period's black list (codes)
};

// Counts of cases (real-name bad reviews) by their state at an instant.
struct CaseCounts {
  int64_t cases = 0;
  std::array<int64_t, 6> by_state{};  // indexed by CaseState (open … invalid)
  int64_t overdue = 0;                // the next step's deadline passed
  int64_t unfinished() const;         // neither closed nor invalid
};

struct ClosedLoopRow {
  std::string unit, name;  // "" = every in-scope case (the total row)
  CaseCounts period;       // cases reviewed in [from, to), as they stand at `to`
  CaseCounts backlog;      // every case reviewed before `to` still unfinished at `to`
  // The rectification indicators of the unit (domain.md §3), over the period's cases.
  std::optional<double> reply_rate, rectification_rate, rectification_on_time_rate,
      revisit_rate, revisit_satisfaction;
};

struct ClosedLoop {
  // Whether cases could be counted per unit: a case carries its region and department, so
  // --by region, city or dept; for another key only the total row has case counts (the
  // rates are per unit whatever the key).
  bool counts_by_unit = false;
  ClosedLoopRow total;
  std::vector<ClosedLoopRow> units;  // the --by units, in code order
};

struct AlertCount {
  std::string rule, kind;
  std::string indicator;  // the rule's indicator ("" for the deadline warnings)
  int64_t count = 0;
};

struct BulletinAlerts {
  std::vector<AlertCount> counts;  // per rule and kind, in the alerts' order
  std::vector<AlertRow> listed;    // the first `alerts_listed`
  size_t total = 0;                // all alerts (listed + more)
  size_t no_baseline = 0;          // control chart groups without a baseline
  std::string rules;               // the rules file's name (AlertRules::source)
  // The indicator of each rule's code, for reading the listed values.
  std::vector<std::pair<std::string, std::string>> rule_indicators;
  std::string IndicatorOf(const std::string& rule) const;
};

// Same-source (同源) by department: app::SameSource's count of the department publications
// that differ from the platform's, per key field, by the platform publication's department (the
// department the same-source indicators group by), with its name and its indicators.
struct BulletinSameSource {
  SameSourceDept counts;  // app/same_source.h: dept, items, compared, mismatching, by_field
  std::string name;
  std::optional<double> same_source_rate, field_match_rate, catalog_coverage;
};

struct DivideRow {
  std::string label;  // an age band, a channel or a mode ("" = unknown)
  std::optional<double> volume, online_rate, evaluations, positive_rate, mean_score;
};

struct DivideUnit {
  std::string unit, name;
  std::optional<double> elderly_online_gap, elderly_satisfaction_gap;
};

struct DigitalDivide {
  std::vector<DivideRow> age_bands, channels, modes;
  std::vector<DivideUnit> units;  // the --by units, in code order
  // Disparity of the index across the ranked --by units, the Theil T decomposed by `within`
  // ("" = no decomposition): each unit in the `within` group holding most of its records.
  std::string within;
  DisparityResult disparity;
  size_t left_out = 0;  // units without an index (below min_sample)
};

// The short diagnosis of one --by unit (framework/diagnosis.h over the bulletin's scores).
struct UnitBrief {
  size_t unit = 0;  // index into BulletinData::units
  UnitDiagnosis diagnosis;
  std::vector<size_t> difficulties;  // indexes into diagnosis.items
  PainPoints pain;                   // the top 3 reasons and words, one example each
};

struct BulletinData {
  Framework framework;
  std::string framework_path;
  std::string from, to, by;
  std::string previous_from, previous_to;  // app::PreviousPeriods' first
  std::string zone;                        // the zone used
  AccessScope scope;
  size_t top = 5;
  bool show_records = true;

  std::vector<BulletinUnit> units;  // the --by units, in code order
  size_t ranked = 0;
  // The heatmap: per stage and dimension, the mean cell score over the scored --by units
  // (those not below min_sample with a score for the cell), and how many there were. Empty
  // for a framework without the matrix shape.
  std::vector<std::vector<std::optional<double>>> heat;
  std::vector<std::vector<int>> heat_units;

  Board windows, depts;
  ClosedLoop closed_loop;
  BulletinAlerts alerts;
  std::vector<BulletinSameSource> same_source;  // departments with a platform item, by code
  int64_t same_source_mismatches = 0;
  DigitalDivide divide;
  std::vector<UnitBrief> diagnosis;  // the --by units not below min_sample, in code order
  std::vector<std::string> notes;
  // Where the time went (the Env's monotonic clock), in order: (phase, seconds).
  std::vector<std::pair<std::string, double>> timings;
};

// The bulletin of [from, to) by `by`. Usage for a period that is not two local dates with
// from < to, a time key (day, month) or --top outside 1–100; PermissionDenied/NotFound and
// the store's errors as the use cases under it give them; the stop words file's read error.
Result<BulletinData> Bulletin(const Store& store, LoadedFramework framework,
                              const BulletinRequest& request,
                              platform::Env& env = platform::Env::Default());

}  // namespace govqm::app

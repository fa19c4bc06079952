// The diagnose use case (service.md §9: 找准服务难点、改造服务弱点、消除应用痛点、打造服务亮点): one
// unit's weak points, difficulties, pain points and highlights over a period, among the
// other units of its --by level. The scores are app::Score's; the selection is
// framework/diagnosis.h's (definitions there and in docs/DIAGNOSIS.md); the pain points are
// the unit's bad reviews of the period (score <= 2): their reasons, and the words of their
// comments (core/words.h). Scoped like every reading use case (app/scope.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/score.h"
#include "core/engine/indicators.h"
#include "core/words.h"
#include "framework/diagnosis.h"

namespace govqm::app {

struct DiagnoseRequest {
  ScoringRequest input;  // the store's period (from, to), by, zone and scope; no values file
  std::string unit;
  // The stop words (core/words.h ParseStopWords' format), read whole; required.
  std::string stopwords_file;
  bool show_records = true;  // false: no example comments or ids (an auditor, the public)
  size_t top = 10;           // reasons and words listed
  size_t examples = 3;       // example comments per reason and per word
};

// How many previous periods a weak point must have been weak in to be a difficulty.
inline constexpr int kDifficultyPeriods = 3;

// One of the previous periods of the same length, [from − k·len, from − (k−1)·len).
struct PreviousPeriod {
  enum class State {
    kDiagnosed,       // the unit was scored: `diagnosis` holds its weak points
    kBelowMinSample,  // the unit had too few records to be scored
    kUnitAbsent,      // others had records, the unit none
    kNoRecords,       // no records at all in the period (in scope)
  };
  std::string from, to;
  State state = State::kNoRecords;
  std::optional<double> sample;
  std::optional<double> index;
  UnitDiagnosis diagnosis;  // kDiagnosed only
};
std::string_view PreviousStateName(PreviousPeriod::State s);  // "diagnosed", ...

// One example comment of a pain point: the evaluation's id and its comment, scrubbed.
struct PainExample {
  std::string id, comment;
};
struct PainReason {
  std::string code;
  int64_t count = 0;  // bad reviews giving the reason
  std::vector<PainExample> examples;
};
struct PainWord {
  std::string word;
  int64_t comments = 0;     // bad-review comments holding the word
  int64_t occurrences = 0;  // times it occurs in them
  std::vector<PainExample> examples;
};
struct PainPoints {
  int64_t evaluations = 0;   // the unit's evaluations in the period (with a score)
  int64_t bad_reviews = 0;   // of which score <= 2
  int64_t with_reasons = 0;  // bad reviews giving at least one reason
  int64_t commented = 0;     // bad reviews with a comment
  std::vector<PainReason> reasons;  // most frequent first
  std::vector<PainWord> words;      // most frequent first
};

struct DiagnoseResult {
  ScoreOutput score;  // the period's scores (framework, input, every unit)
  size_t unit = 0;    // index into score.result.units
  UnitDiagnosis current;
  std::vector<PreviousPeriod> previous;  // kDifficultyPeriods of them, the most recent first
  std::vector<size_t> difficulties;      // indexes into current.items, in current.weak's order
  // Per framework indicator: the engine's base measures of the unit's value (store catalog
  // indicators with a value), else nullopt.
  std::vector<std::optional<BaseMeasures>> base;
  PainPoints pain;
  std::string stopwords_file;
  bool show_records = true;
};

// What CountPainPoints lists: the `top` reasons and words, each with up to `examples`
// example comments (none without show_records).
struct PainRequest {
  size_t top = 10;
  size_t examples = 3;
  bool show_records = true;
};

// The pain points of each of `units` (labels of in.key, in.options' period), from one read of
// the store's evaluations under in.scope: what Diagnose reports for its unit, for many units
// at the cost of one load (the bulletin's diagnosis per unit). `in` must come from the store.
Result<std::vector<PainPoints>> CountPainPoints(const Store& store, const ScoringInput& in,
                                               const std::vector<std::string>& units,
                                               const StopWords& stop,
                                               const PainRequest& request);

// Usage for a time key (--by day|month: periods, not units) or a period that is not
// from < to; PermissionDenied for a unit outside the request's scope; NotFound for a unit
// without records in the period; the stop words file's read error.
Result<DiagnoseResult> Diagnose(const Store& store, LoadedFramework framework,
                                const DiagnoseRequest& request);

// The previous periods of [from, to) (texts as the request gives them): dates step back by
// the period's number of days; times (anything else ParseBound takes) by its length in
// milliseconds, written as UTC ISO 8601. Usage when from >= to.
Result<std::vector<std::pair<std::string, std::string>>> PreviousPeriods(
    const std::string& from, const std::string& to, const TimeZone& zone, int count);

}  // namespace govqm::app

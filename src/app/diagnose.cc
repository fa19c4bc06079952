#include "app/diagnose.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

#include "app/common.h"
#include "app/explain_examples.h"
#include "core/scrub.h"
#include "core/table.h"
#include "core/thresholds.h"
#include "core/words.h"
#include "platform/file.h"

namespace govqm::app {
namespace {

constexpr int64_t kDayMs = 86400000;

std::string DateText(int64_t days) {
  const CivilDate c = CivilFromDays(days);
  return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
}

// The columns of the evaluations the pain points read (the scope's region and department,
// the group keys, the anchor, the score, reasons and comment): never the contact.
const std::vector<int>& PainColumns() {
  static const std::vector<int> cols{eval_col::kId,          eval_col::kRegionCode,
                                     eval_col::kDeptCode,    eval_col::kItemCode,
                                     eval_col::kChannel,     eval_col::kEvaluatedAt,
                                     eval_col::kScore,       eval_col::kReasons,
                                     eval_col::kComment,     eval_col::kEvaluatorAge,
                                     eval_col::kWindowCode};
  return cols;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The reason codes of one evaluation, each once.
std::vector<std::string> ReasonCodes(std::string_view reasons) {
  std::vector<std::string> out;
  while (true) {
    const size_t semi = reasons.find(';');
    const std::string_view code = Trim(reasons.substr(0, semi));
    if (!code.empty() && std::find(out.begin(), out.end(), code) == out.end()) {
      out.emplace_back(code);
    }
    if (semi == std::string_view::npos) break;
    reasons.remove_prefix(semi + 1);
  }
  return out;
}

// One unit's bad reviews (rows of `t`), counted: reasons and the words of their comments.
Status CountUnitPain(const Table& t, const std::vector<size_t>& rows, const StopWords& stop,
                     const PainRequest& request, WordSegmenter* segmenter, PainPoints* pain) {
  std::vector<size_t> bad;
  for (size_t r : rows) {
    const int32_t s = t.col(eval_col::kScore).ints[r];
    if (s == kNullInt) continue;
    ++pain->evaluations;
    if (thresholds::IsBadReview(s)) bad.push_back(r);
  }
  // Oldest first (then by id), whatever order the store keeps them in: the examples are the
  // first ones, the same on every run.
  const auto& at = t.col(eval_col::kEvaluatedAt).times;
  const auto& id = t.col(eval_col::kId);
  std::sort(bad.begin(), bad.end(), [&](size_t a, size_t b) {
    if (at[a] != at[b]) return at[a] < at[b];
    return id.TextAt(a) < id.TextAt(b);
  });
  pain->bad_reviews = static_cast<int64_t>(bad.size());

  // Examples: the first distinct comments (scrubbed again, as every output is), or none when
  // the caller may not see records.
  auto examples = [&](const std::vector<size_t>& candidates) {
    std::vector<PainExample> out;
    if (!request.show_records) return out;
    std::set<std::string> seen;
    for (size_t r : candidates) {
      if (out.size() >= request.examples) break;
      std::string comment = ScrubPersonalData(t.col(eval_col::kComment).TextAt(r));
      if (comment.empty() || !seen.insert(comment).second) continue;
      out.push_back({std::string(id.TextAt(r)), std::move(comment)});
    }
    return out;
  };

  std::map<std::string, std::vector<size_t>> by_reason;  // code -> bad-review rows
  std::vector<std::vector<std::string>> docs;
  std::vector<size_t> doc_row;
  for (size_t r : bad) {
    const std::vector<std::string> codes = ReasonCodes(t.col(eval_col::kReasons).TextAt(r));
    if (!codes.empty()) ++pain->with_reasons;
    for (const std::string& c : codes) by_reason[c].push_back(r);
    const std::string_view comment = t.col(eval_col::kComment).TextAt(r);
    if (Trim(comment).empty()) continue;
    ++pain->commented;
    docs.push_back(segmenter->Segment(comment));
    doc_row.push_back(r);
  }
  std::vector<std::pair<std::string, std::vector<size_t>>> reasons(by_reason.begin(),
                                                                    by_reason.end());
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  for (size_t k = 0; k < reasons.size() && k < request.top; ++k) {
    pain->reasons.push_back({reasons[k].first, static_cast<int64_t>(reasons[k].second.size()),
                             examples(reasons[k].second)});
  }
  // Ask for more example texts than shown: the distinct ones are kept.
  constexpr size_t kCandidates = 64;
  for (const WordCount& w : CountWords(docs, stop, request.top, kCandidates)) {
    std::vector<size_t> candidates;
    for (size_t d : w.examples) candidates.push_back(doc_row[d]);
    pain->words.push_back({w.word, w.documents, w.occurrences, examples(candidates)});
  }
  return Status::Ok();
}

// The engine's base measures of every framework catalog indicator for the unit.
Status BaseMeasuresOf(const ScoringInput& in, const Framework& fw, const std::string& unit,
                      std::vector<std::optional<BaseMeasures>>* base) {
  base->assign(fw.indicators.size(), std::nullopt);
  EngineOptions o = in.options;
  o.base_measures = true;
  if (o.only.empty()) return Status::Ok();
  GOVQM_ASSIGN_OR_RETURN(const std::vector<IndicatorRow> rows, ComputeScoped(*in.data, o, in.scope));
  for (const IndicatorRow& r : rows) {
    if (r.keys[0] != unit || !r.base) continue;
    const int i = fw.FindIndicator(r.indicator);
    if (i >= 0 && r.value) (*base)[i] = *r.base;
  }
  return Status::Ok();
}

// The unit's diagnosis in one previous period.
Status DiagnosePrevious(const Store& store, const LoadedFramework& framework,
                        const DiagnoseRequest& request, PreviousPeriod* p) {
  ScoreRequest sr;
  sr.input = request.input;
  sr.input.from = p->from;
  sr.input.to = p->to;
  auto scored = Score(framework, sr, &store);
  if (!scored.ok()) {
    // A period without records in scope is a state of that period, not an error.
    if (scored.status().code() == StatusCode::kInvalidInput &&
        scored.status().message().rfind("no records", 0) == 0) {
      p->state = PreviousPeriod::State::kNoRecords;
      return Status::Ok();
    }
    return scored.status();
  }
  const auto& units = scored->input.values.units;
  const auto it = std::find(units.begin(), units.end(), request.unit);
  if (it == units.end()) {
    p->state = PreviousPeriod::State::kUnitAbsent;
    return Status::Ok();
  }
  const size_t u = static_cast<size_t>(it - units.begin());
  const UnitScore& us = scored->result.units[u];
  p->sample = us.sample;
  p->index = us.node_score.empty() ? std::nullopt : us.node_score[0];
  if (us.below_min_sample) {
    p->state = PreviousPeriod::State::kBelowMinSample;
    return Status::Ok();
  }
  GOVQM_ASSIGN_OR_RETURN(p->diagnosis, DiagnoseUnit(framework.fw, scored->input.values,
                                                    scored->result, u));
  p->state = PreviousPeriod::State::kDiagnosed;
  return Status::Ok();
}

}  // namespace

std::string_view PreviousStateName(PreviousPeriod::State s) {
  switch (s) {
    case PreviousPeriod::State::kDiagnosed:
      return "diagnosed";
    case PreviousPeriod::State::kBelowMinSample:
      return "below_min_sample";
    case PreviousPeriod::State::kUnitAbsent:
      return "unit_absent";
    case PreviousPeriod::State::kNoRecords:
      return "no_records";
  }
  return "";
}

Result<std::vector<PainPoints>> CountPainPoints(const Store& store, const ScoringInput& in,
                                               const std::vector<std::string>& units,
                                               const StopWords& stop,
                                               const PainRequest& request) {
  if (!in.data || !in.key) return Status::Internal("pain points need the store's scoring input");
  GOVQM_ASSIGN_OR_RETURN(Table evaluations, store.Load(Kind::kEvaluations, &PainColumns()));
  if (!in.scope.unrestricted()) {
    GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, in.scope.Mask(evaluations));
    evaluations.KeepRows(keep);
  }
  // UnitEvaluationRows reads the region tree of the dataset and the evaluations given.
  Dataset shell;
  shell.regions = in.data->regions;
  shell.evaluations = std::move(evaluations);
  WordSegmenter segmenter;
  if (!segmenter.ok()) return Status::Internal("ICU's word break iterator is not available");
  std::vector<PainPoints> out(units.size());
  for (size_t u = 0; u < units.size(); ++u) {
    const std::vector<size_t> rows = UnitEvaluationRows(shell, in.options, *in.key, units[u]);
    GOVQM_RETURN_IF_ERROR(
        CountUnitPain(shell.evaluations, rows, stop, request, &segmenter, &out[u]));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> PreviousPeriods(
    const std::string& from, const std::string& to, const TimeZone& zone, int count) {
  GOVQM_ASSIGN_OR_RETURN(const int64_t from_ms, ParseBound("from", from, zone));
  GOVQM_ASSIGN_OR_RETURN(const int64_t to_ms, ParseBound("to", to, zone));
  if (from_ms >= to_ms) {
    return Status::Usage(fmt::format("--from {} must be before --to {}", from, to));
  }
  std::vector<std::pair<std::string, std::string>> out;
  const std::optional<int64_t> day0 = PlainDateDays(from), day1 = PlainDateDays(to);
  if (day0 && day1) {
    const int64_t d0 = *day0, d1 = *day1;
    const int64_t len = d1 - d0;
    for (int k = 1; k <= count; ++k) {
      out.emplace_back(DateText(d0 - k * len), DateText(d0 - (k - 1) * len));
    }
    return out;
  }
  const int64_t len = to_ms - from_ms;
  for (int k = 1; k <= count; ++k) {
    out.emplace_back(FormatInstant(from_ms - k * len), FormatInstant(from_ms - (k - 1) * len));
  }
  return out;
}

Result<DiagnoseResult> Diagnose(const Store& store, LoadedFramework framework,
                                const DiagnoseRequest& request) {
  if (!request.input.values_file.empty()) {
    return Status::Usage("diagnose reads the store: it takes no --values file");
  }
  if (request.unit.empty()) return Status::Usage("--unit U is required");
  if (const auto key = ParseGroupKey(request.input.by);
      key && (*key == GroupKey::kDay || *key == GroupKey::kMonth)) {
    return Status::Usage(fmt::format(
        "diagnose compares units; --by {} makes periods, not units (e.g. --by city, dept, window)",
        request.input.by));
  }
  // One committed state for the period, the previous periods and the pain points.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(const auto zone, ResolveZone(request.input.zone, store.zone()));
  GOVQM_ASSIGN_OR_RETURN(const auto periods, PreviousPeriods(request.input.from, request.input.to,
                                                             *zone, kDifficultyPeriods));
  GOVQM_ASSIGN_OR_RETURN(const std::string stop_text,
                         platform::ReadFile(request.stopwords_file));
  const StopWords stop = ParseStopWords(stop_text);

  const LoadedFramework copy = framework;
  ScoreRequest sr;
  sr.input = request.input;
  GOVQM_ASSIGN_OR_RETURN(ScoreOutput scored, Score(std::move(framework), sr, &store));
  const ScoringInput& in = scored.input;
  // Naming a unit outside the scope is denied before anything is said of it.
  GOVQM_RETURN_IF_ERROR(in.scope.CheckUnit(*in.key, request.unit));
  const auto& units = in.values.units;
  const auto it = std::find(units.begin(), units.end(), request.unit);
  if (it == units.end()) {
    return Status::NotFound(fmt::format("no unit '{}' with records in [{}, {}) by {}",
                                        request.unit, request.input.from, request.input.to,
                                        request.input.by));
  }
  DiagnoseResult out;
  out.unit = static_cast<size_t>(it - units.begin());
  out.stopwords_file = request.stopwords_file;
  out.show_records = request.show_records;
  const Framework& fw = scored.framework.fw;
  GOVQM_ASSIGN_OR_RETURN(out.current, DiagnoseUnit(fw, in.values, scored.result, out.unit));
  GOVQM_RETURN_IF_ERROR(BaseMeasuresOf(in, fw, request.unit, &out.base));
  GOVQM_ASSIGN_OR_RETURN(
      std::vector<PainPoints> pain,
      CountPainPoints(store, in, {request.unit}, stop,
                      PainRequest{request.top, request.examples, request.show_records}));
  out.pain = std::move(pain.front());

  std::vector<const UnitDiagnosis*> previous;
  for (const auto& [from, to] : periods) {
    PreviousPeriod p;
    p.from = from;
    p.to = to;
    GOVQM_RETURN_IF_ERROR(DiagnosePrevious(store, copy, request, &p));
    out.previous.push_back(std::move(p));
  }
  for (const PreviousPeriod& p : out.previous) {
    previous.push_back(p.state == PreviousPeriod::State::kDiagnosed ? &p.diagnosis : nullptr);
  }
  if (!out.current.below_min_sample) out.difficulties = Difficulties(out.current, previous);
  out.score = std::move(scored);
  return out;
}

}  // namespace govqm::app

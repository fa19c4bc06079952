// The bulletin's words, in one place: every label the HTML and XLSX bulletins print, in
// Chinese (the default) and English, and the names of the framework's indicators, nodes,
// stages, dimensions and grades in the chosen language (from the framework, whose entries
// carry both). Plus the number formats both renderers share. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "framework/diagnosis.h"
#include "framework/framework.h"

namespace govqm::render {

enum class Lang { kZh, kEn };

// "zh" or "en"; nullopt otherwise.
std::optional<Lang> ParseLang(std::string_view text);
// The html lang attribute: "zh-CN" or "en".
std::string_view LangTag(Lang lang);

// Every fixed label of the bulletin. Placeholders ({}) are filled with fmt.
enum class Msg {
  kTitle, kMonthly, kQuarterly, kSpecial, kPeriod, kPrevious, kUnitLevel, kScope, kWhole,
  kFramework, kZone, kContents, kSummary, kUnits, kRanked, kMeanIndex, kFirst, kLast,
  kAlertsTotal, kCasesPeriod, kOverdueNow,
  kSecIndex, kRank, kCode, kName, kUnit, kIndex, kGrade, kChange, kPreviousIndex,
  kPreviousRank, kRankChange, kSample, kNotRanked, kBelowMinSample, kNewUnit, kIndexChart,
  kChangeChart, kBelowMinList, kChartCut,
  kSecHeatmap, kHeatNote, kStage, kDimension, kUnitsByStageDimension, kNoMatrix,
  kSecBoards, kWindows, kDepts, kRedList, kBlackList, kTalk, kBoardNote, kNoBoard,
  kPreviousBlack,
  kSecClosedLoop, kPeriodCases, kBacklog, kCases, kOverdue, kUnfinished, kTotal,
  kClosedLoopNote, kCasesByUnitNone, kRates,
  kSecAlerts, kRule, kKind, kCount, kGroup, kDay, kValue, kLimit, kAndMore, kNoAlerts,
  kNoBaseline,
  kSecSameSource, kDept, kMismatching, kSameSourceNote, kNoSameSource,
  kSecDivide, kAgeBand, kChannel, kMode, kUnknown, kElderlyGaps, kDisparity, kGini, kTheil,
  kTheilBetween, kTheilWithin, kCv, kMaxMin, kMean, kMin, kMax, kShare, kWithinNote,
  kNoWithin, kUnitsCompared, kPointsNote,
  kSecDiagnosis, kWeak, kDifficulties, kPain, kHighlights, kNone, kBadReviews, kReasons,
  kWords, kTarget, kPeersMedian, kExample, kDiagnosisNote, kNoDiagnosis,
  kNotes, kGeneratedBy,
  kSheetSummary, kSheetIndex, kSheetHeatmap, kSheetBoards, kSheetClosedLoop, kSheetAlerts,
  kSheetSameSource, kSheetDivide, kSheetDiagnosis, kList, kPosition, kItem, kSection,
  kCompared, kMeanCellScore, kUnitsPerCell, kNote, kLevel, kSameSourceSummary, kIndicator, kPublicationsCompared,
  kCount_  // the number of messages
};

std::string_view T(Lang lang, Msg msg);

// A group key's name ("city" → 城市).
std::string KeyLabel(Lang lang, std::string_view key);
// A case state's name, by CaseState's order (0 open … 5 invalid).
std::string StateLabel(Lang lang, size_t state);
// An alert kind's name (threshold, drop, ewma, cusum, deadline_yellow, deadline_red,
// case_overdue); the kind itself when unknown.
std::string AlertKindLabel(Lang lang, std::string_view kind);
// A guide key field's name (core/engine/same_source.h kGuideKeyFields).
std::string GuideFieldLabel(Lang lang, std::string_view field);
// An age band as the engine labels it ("<30", "30-44", …, "70+"; "" = unknown).
std::string AgeBandLabel(Lang lang, std::string_view band);
// A channel or a mode ("web", "hall", …; "online", "offline", …); the code itself otherwise.
std::string ChannelLabel(Lang lang, std::string_view channel);
// A bad-review reason code; the code itself when it is not one the catalogue knows.
std::string ReasonLabel(Lang lang, std::string_view code);

// Names from the framework: an indicator (the framework's; a context indicator the catalogue
// knows; else its code), a node (a cell without a name: "stage · dimension"), a stage, a
// dimension, a grade band (by index into fw.grades; "" for -1).
std::string IndicatorLabel(const Framework& fw, std::string_view code, Lang lang);
std::string NodeLabel(const Framework& fw, int node, Lang lang);
std::string StageLabel(const Framework& fw, size_t stage, Lang lang);
std::string DimensionLabel(const Framework& fw, size_t dimension, Lang lang);
std::string GradeLabel(const Framework& fw, std::optional<double> index, Lang lang);
// A diagnosed item's name (an indicator or a node).
std::string ItemLabel(const Framework& fw, const DiagnosedItem& item, Lang lang);

// Number formats shared by the renderers; "—" for a missing value.
std::string Score1(std::optional<double> v);           // 87.3
std::string Signed1(std::optional<double> v);          // +1.2, −0.4, 0.0
std::string Percent1(std::optional<double> v);         // 95.3%
std::string Fixed(std::optional<double> v, int digits);
std::string Whole(std::optional<double> v);            // 1,234 → "1234"
// A catalog indicator's value as it reads best: rates as percents, the rest with 2 decimals.
std::string IndicatorValue(std::string_view code, std::optional<double> v);
// Whether a catalog indicator is a rate (a fraction shown as a percent).
bool IsRate(std::string_view code);

}  // namespace govqm::render

#include "core/engine/inputs.h"

#include <fmt/format.h>

#include <algorithm>

namespace govqm {
namespace {

using SV = std::string_view;
using K = Kind;

// ---- Column lists (in each kind's column order) ------------------------------------------
// Transactions. Every transaction formula skips a row without submitted_at (a transaction
// that does not exist yet at the end of the period), completion ones included.
constexpr SV kTxSubmitted[] = {"submitted_at"};
constexpr SV kTxOnline[] = {"channel", "submitted_at"};
constexpr SV kTxVisits[] = {"submitted_at", "visits"};
constexpr SV kTxMaterials[] = {"submitted_at", "materials_required", "materials_exempted"};
constexpr SV kTxCross[] = {"submitted_at", "cross_region"};
constexpr SV kTxInstant[] = {"submitted_at", "promised_days"};
constexpr SV kTxWait[] = {"channel", "submitted_at", "wait_minutes"};
constexpr SV kTxSync[] = {"submitted_at", "reported_at"};
constexpr SV kTxCompleted[] = {"submitted_at", "completed_at", "status"};
constexpr SV kTxOnTime[] = {"submitted_at", "completed_at", "due_at", "status"};
constexpr SV kTxHandling[] = {"submitted_at", "accepted_at", "completed_at", "status"};
constexpr SV kTxCompression[] = {"submitted_at", "completed_at", "promised_days",
                                 "statutory_days", "status"};
constexpr SV kTxBacklog[] = {"submitted_at", "accepted_at", "completed_at", "due_at", "status"};
constexpr SV kTxUnrated[] = {"id", "submitted_at", "completed_at", "status"};
constexpr SV kTxCompleteness[] = {"applicant_age", "submitted_at",  "accepted_at", "due_at",
                                  "promised_days", "statutory_days", "visits",
                                  "materials_required"};
constexpr SV kTxElderlyOnline[] = {"channel", "applicant_age", "submitted_at"};
// Evaluations. A row without evaluated_at or score is no evaluation.
constexpr SV kEvScore[] = {"evaluated_at", "score"};
constexpr SV kEvActive[] = {"evaluated_at", "score", "active"};
constexpr SV kEvElderly[] = {"evaluated_at", "score", "evaluator_age"};
constexpr SV kEvJoin[] = {"transaction_id"};  // any date, any score: the rated set
constexpr SV kEvCases[] = {"id", "evaluated_at", "score", "real_name"};
// Rectification events.
constexpr SV kRectEvents[] = {"evaluation_id", "event", "at"};
constexpr SV kRectRevisit[] = {"evaluation_id", "event", "at", "revisit_score"};
// Probes.
constexpr SV kProbeOk[] = {"checked_at", "ok"};
constexpr SV kProbeLatency[] = {"checked_at", "ok", "latency_ms"};
// Guides: the latest publication per source and item (published_at), then the key fields.
constexpr SV kGuideCompare[] = {"source", "item_code", "name", "legal_basis", "conditions",
                                "materials", "time_limit_days", "fee", "location", "contact",
                                "published_at"};
constexpr SV kGuideCoverage[] = {"source", "item_code", "published_at"};

// ---- Per kind read ------------------------------------------------------------------------
constexpr KindColumns kVolume[] = {{K::kTransactions, kTxSubmitted}};
constexpr KindColumns kOnline[] = {{K::kTransactions, kTxOnline}};
constexpr KindColumns kVisits[] = {{K::kTransactions, kTxVisits}};
constexpr KindColumns kMaterials[] = {{K::kTransactions, kTxMaterials}};
constexpr KindColumns kCross[] = {{K::kTransactions, kTxCross}};
constexpr KindColumns kInstant[] = {{K::kTransactions, kTxInstant}};
constexpr KindColumns kWait[] = {{K::kTransactions, kTxWait}};
constexpr KindColumns kSync[] = {{K::kTransactions, kTxSync}};
constexpr KindColumns kCompleted[] = {{K::kTransactions, kTxCompleted}};
constexpr KindColumns kOnTime[] = {{K::kTransactions, kTxOnTime}};
constexpr KindColumns kHandling[] = {{K::kTransactions, kTxHandling}};
constexpr KindColumns kCompression[] = {{K::kTransactions, kTxCompression}};
constexpr KindColumns kBacklog[] = {{K::kTransactions, kTxBacklog}};
constexpr KindColumns kEvalScore[] = {{K::kEvaluations, kEvScore}};
constexpr KindColumns kEvalActive[] = {{K::kEvaluations, kEvActive}};
constexpr KindColumns kUnrated[] = {{K::kTransactions, kTxUnrated}, {K::kEvaluations, kEvJoin}};
constexpr KindColumns kEvalElderly[] = {{K::kEvaluations, kEvElderly}};
constexpr KindColumns kCases[] = {{K::kEvaluations, kEvCases}, {K::kRectifications, kRectEvents}};
constexpr KindColumns kRevisit[] = {{K::kEvaluations, kEvCases},
                                    {K::kRectifications, kRectRevisit}};
constexpr KindColumns kAvailability[] = {{K::kProbes, kProbeOk}};
constexpr KindColumns kLatency[] = {{K::kProbes, kProbeLatency}};
constexpr KindColumns kSameSource[] = {{K::kGuides, kGuideCompare}};
constexpr KindColumns kCoverage[] = {{K::kGuides, kGuideCoverage}};
constexpr KindColumns kCompleteness[] = {{K::kTransactions, kTxCompleteness}};
constexpr KindColumns kElderlyOnline[] = {{K::kTransactions, kTxElderlyOnline}};

// Catalog order (a test checks it is the catalog's, code for code).
constexpr IndicatorInputs kInputs[] = {
    {"volume", kVolume},
    {"online_rate", kOnline},
    {"zero_visit_rate", kVisits},
    {"one_visit_rate", kVisits},
    {"avg_visits", kVisits},
    {"material_exemption_rate", kMaterials},
    {"cross_region_rate", kCross},
    {"instant_rate", kInstant},
    {"avg_wait_minutes", kWait},
    {"long_wait_rate", kWait},
    {"sync_rate", kSync},
    {"sync_lag_p95_hours", kSync},
    {"completed", kCompleted},
    {"on_time_rate", kOnTime},
    {"avg_handling_days", kHandling},
    {"p90_handling_days", kHandling},
    {"time_compression_rate", kCompression},
    {"open_overdue", kBacklog},
    {"evaluations", kEvalScore},
    {"positive_rate", kEvalScore},
    {"negative_rate", kEvalScore},
    {"top2_rate", kEvalScore},
    {"mean_score", kEvalScore},
    {"active_positive_rate", kEvalActive},
    {"unrated_rate", kUnrated},
    {"elderly_satisfaction_gap", kEvalElderly},
    {"reply_rate", kCases},
    {"rectification_rate", kCases},
    {"rectification_on_time_rate", kCases},
    {"revisit_rate", kCases},
    {"revisit_satisfaction", kRevisit},
    {"availability", kAvailability},
    {"latency_p95_ms", kLatency},
    {"same_source_rate", kSameSource},
    {"field_match_rate", kSameSource},
    {"catalog_coverage", kCoverage},
    {"freshness_hours", kVolume},
    {"eval_freshness_hours", kEvalScore},
    {"completeness_rate", kCompleteness},
    {"elderly_online_gap", kElderlyOnline},
};

std::string JoinAnd(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

std::span<const IndicatorInputs> AllIndicatorInputs() { return kInputs; }

const IndicatorInputs* FindIndicatorInputs(std::string_view code) {
  for (const IndicatorInputs& in : kInputs) {
    if (in.code == code) return &in;
  }
  return nullptr;
}

std::vector<Kind> KindsRead(std::string_view code) {
  std::vector<Kind> out;
  if (const IndicatorInputs* in = FindIndicatorInputs(code)) {
    for (const KindColumns& kc : in->reads) out.push_back(kc.kind);
  }
  return out;
}

bool ReadsKind(std::string_view code, Kind kind) {
  const std::vector<Kind> kinds = KindsRead(code);
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string_view GroupKeyColumn(Kind kind, GroupKey key) {
  const bool tx = kind == Kind::kTransactions, ev = kind == Kind::kEvaluations;
  const bool probe = kind == Kind::kProbes, guide = kind == Kind::kGuides;
  switch (key) {
    case GroupKey::kRegion:
    case GroupKey::kCity:
    case GroupKey::kMacroRegion: return tx || ev || probe || guide ? "region_code" : "";
    case GroupKey::kDept: return tx || ev || probe || guide ? "dept_code" : "";
    case GroupKey::kItem: return tx || ev || guide ? "item_code" : "";
    case GroupKey::kWindow: return tx || ev ? "window_code" : "";
    case GroupKey::kChannel:
    case GroupKey::kMode: return tx || ev ? "channel" : "";
    case GroupKey::kAgeBand: return tx ? "applicant_age" : ev ? "evaluator_age" : "";
    case GroupKey::kDay:
    case GroupKey::kMonth: return "";
  }
  return "";
}

std::string UnfedIndicator::Text() const { return fmt::format("{}: {}", code, reason); }

std::vector<UnfedIndicator> UnfedIndicators(Kind kind, const std::vector<bool>& loaded) {
  const KindDef& def = GetKindDef(kind);
  std::vector<UnfedIndicator> out;
  for (const IndicatorInputs& in : kInputs) {
    for (const KindColumns& kc : in.reads) {
      if (kc.kind != kind) continue;
      UnfedIndicator u{in.code, {}, {}};
      // In the kind's column order, whatever the declaration's.
      for (size_t c = 0; c < def.columns.size(); ++c) {
        const std::string_view name = def.columns[c].name;
        const bool declared =
            std::find(kc.columns.begin(), kc.columns.end(), name) != kc.columns.end();
        if (declared && !(c < loaded.size() && loaded[c])) u.missing.push_back(name);
      }
      if (u.missing.empty()) continue;
      u.reason = JoinAnd(u.missing) + " not loaded";
      out.push_back(std::move(u));
    }
  }
  return out;
}

std::vector<bool> LoadedColumns(const Table& t) {
  const KindDef& def = t.def();
  std::vector<bool> loaded(def.columns.size(), false);
  const size_t n = t.rows();
  for (size_t c = 0; c < def.columns.size(); ++c) {
    const Column& col = t.col(static_cast<int>(c));
    switch (def.columns[c].type) {
      case ColumnType::kTime:
        loaded[c] = col.times.size() >= n &&
                    std::any_of(col.times.begin(), col.times.begin() + static_cast<long>(n),
                                [](int64_t v) { return v != kNullTime; });
        break;
      case ColumnType::kInt:
        loaded[c] = col.ints.size() >= n &&
                    std::any_of(col.ints.begin(), col.ints.begin() + static_cast<long>(n),
                                [](int32_t v) { return v != kNullInt; });
        break;
      case ColumnType::kReal:
        loaded[c] = col.reals.size() >= n &&
                    std::any_of(col.reals.begin(), col.reals.begin() + static_cast<long>(n),
                                [](double v) { return !IsNull(v); });
        break;
      case ColumnType::kBool:
      case ColumnType::kEnum:
        loaded[c] = col.bytes.size() >= n &&
                    std::any_of(col.bytes.begin(), col.bytes.begin() + static_cast<long>(n),
                                [](int8_t v) { return v != kNullBool; });
        break;
      case ColumnType::kCode:
        loaded[c] = col.codes.size() >= n &&
                    std::any_of(col.codes.begin(), col.codes.begin() + static_cast<long>(n),
                                [](uint32_t v) { return v != kNullCode; });
        break;
      case ColumnType::kText:
        // Offsets rise only past a non-empty value.
        loaded[c] = col.offsets.size() > n && col.offsets[n] > col.offsets[0];
        break;
    }
    if (n == 0) loaded[c] = false;
  }
  return loaded;
}

std::vector<UnfedIndicator> UnfedIndicators(Kind kind,
                                            const std::vector<std::string_view>& loaded_columns) {
  const KindDef& def = GetKindDef(kind);
  std::vector<bool> loaded(def.columns.size(), false);
  for (std::string_view name : loaded_columns) {
    if (const int c = FindColumn(def, name); c >= 0) loaded[c] = true;
  }
  return UnfedIndicators(kind, loaded);
}

std::string UnfedKey::Text() const {
  return fmt::format("--by {}: {} not loaded", GroupKeyName(key), column);
}

std::vector<UnfedKey> UnfedGroupKeys(Kind kind, const std::vector<bool>& loaded) {
  const KindDef& def = GetKindDef(kind);
  std::vector<UnfedKey> out;
  for (int k = 0; k < kGroupKeyCount; ++k) {
    const GroupKey key = static_cast<GroupKey>(k);
    const std::string_view column = GroupKeyColumn(kind, key);
    if (column.empty()) continue;
    const int c = FindColumn(def, column);
    if (c >= 0 && !(static_cast<size_t>(c) < loaded.size() && loaded[c])) {
      out.push_back({key, column});
    }
  }
  return out;
}

namespace {
// What a kind's records are called in the notes.
std::string_view Noun(Kind kind) {
  switch (kind) {
    case Kind::kRectifications: return "rectification events";
    case Kind::kOrg: return "org indicators";
    default: return GetKindDef(kind).name;
  }
}

bool Absent(Kind kind, const std::vector<bool>& kind_loaded) {
  const size_t i = static_cast<size_t>(kind);
  return i < kind_loaded.size() && !kind_loaded[i];
}
}  // namespace

bool ReadsAbsentKind(std::string_view code, const std::vector<bool>& kind_loaded) {
  for (Kind k : KindsRead(code)) {
    if (Absent(k, kind_loaded)) return true;
  }
  return false;
}

std::string AbsentKindReason(std::string_view code, const std::vector<bool>& kind_loaded) {
  for (Kind k : KindsRead(code)) {
    if (Absent(k, kind_loaded)) return fmt::format("no {} loaded", Noun(k));
  }
  return "";
}

std::vector<std::string> AbsentKindNotes(const std::vector<std::string_view>& codes,
                                         const std::vector<bool>& kind_loaded,
                                         const std::vector<AbsentExtra>& extra) {
  std::vector<std::string> notes;
  for (int k = 0; k < kKindCount; ++k) {
    const Kind kind = static_cast<Kind>(k);
    if (!Absent(kind, kind_loaded)) continue;
    std::vector<std::string_view> empty;  // catalog order
    for (const IndicatorInfo& info : Catalog()) {
      if (std::find(codes.begin(), codes.end(), info.code) != codes.end() &&
          ReadsKind(info.code, kind)) {
        empty.push_back(info.code);
      }
    }
    for (const AbsentExtra& e : extra) {
      if (e.kind != kind) continue;
      for (const std::string& c : e.codes) empty.push_back(c);
    }
    if (empty.empty()) continue;
    std::string list;
    for (size_t i = 0; i < empty.size(); ++i) list += fmt::format("{}{}", i ? ", " : "", empty[i]);
    const std::string_view name = Noun(kind);
    notes.push_back(empty.size() == 1
                        ? fmt::format("no {} loaded: the indicator that reads them is empty ({})",
                                      name, list)
                        : fmt::format("no {} loaded: the {} indicators that read them are empty "
                                      "({})",
                                      name, empty.size(), list));
  }
  return notes;
}

}  // namespace govqm

#include "core/schema.h"

#include <array>

namespace govqm {
namespace {

using T = ColumnType;
constexpr double kMaxCount = 2147483647.0;

constexpr std::string_view kMacroVocab[] = {"east", "central", "west", "northeast"};
constexpr std::string_view kStatusVocab[] = {"in_progress", "completed", "rejected", "withdrawn"};
constexpr std::string_view kApplicantVocab[] = {"person", "enterprise"};
constexpr std::string_view kEventVocab[] = {"assigned", "verified", "rectified",
                                            "revisited", "closed", "invalid"};
constexpr std::string_view kBlockVocab[] = {"organization", "assurance", "institution"};

constexpr ColumnDef kRegions[] = {
    {"code", T::kCode, true},
    {"name", T::kText, true},
    {"parent_code", T::kCode},
    {"macro_region", T::kEnum, false, 0, 0, kMacroVocab},
    {"key_city", T::kBool},
};
constexpr ColumnDef kDepartments[] = {
    {"code", T::kCode, true},
    {"name", T::kText},
    {"region_code", T::kCode, true},
};
constexpr ColumnDef kItems[] = {
    {"code", T::kCode, true},
    {"name", T::kText},
    {"dept_code", T::kCode},
    {"statutory_days", T::kReal, false, 0},
    {"promised_days", T::kReal, false, 0},
    {"online_capable", T::kBool},
    {"category", T::kCode},
};
constexpr ColumnDef kTransactions[] = {
    {"id", T::kText, true},
    {"item_code", T::kCode},
    {"dept_code", T::kCode},
    {"region_code", T::kCode, true},
    {"channel", T::kCode, true},
    {"applicant_type", T::kEnum, false, 0, 0, kApplicantVocab},
    {"applicant_age", T::kInt, false, 0, 130},
    {"submitted_at", T::kTime, true},
    {"accepted_at", T::kTime},
    {"completed_at", T::kTime},
    {"due_at", T::kTime, false, 0, 0, {}, DateOnlyMeans::kEndOfDay},
    {"promised_days", T::kReal, false, 0},
    {"statutory_days", T::kReal, false, 0},
    {"status", T::kEnum, true, 0, 0, kStatusVocab},
    {"visits", T::kInt, false, 0, kMaxCount},
    {"materials_required", T::kInt, false, 0, kMaxCount},
    {"materials_exempted", T::kInt, false, 0, kMaxCount},
    {"cross_region", T::kBool},
    {"wait_minutes", T::kReal, false, 0},
    {"reported_at", T::kTime},
    {"window_code", T::kCode},
};
constexpr ColumnDef kEvaluations[] = {
    {"id", T::kText, true},
    {"transaction_id", T::kText},
    {"region_code", T::kCode, true},
    {"dept_code", T::kCode},
    {"item_code", T::kCode},
    {"channel", T::kCode},
    {"evaluated_at", T::kTime, true},
    {"score", T::kInt, true, 1, 5},
    {"reasons", T::kText},
    {.name = "comment", .type = T::kText, .personal = PersonalData::kFreeText},
    {"real_name", T::kBool},
    {"evaluator_age", T::kInt, false, 0, 130},
    {"active", T::kBool},
    {"window_code", T::kCode},
    {"stage", T::kCode},
    // The phone number for the revisit. Stored as base64 of the secretbox nonce||ciphertext
    // (security/contact_key.h), never in clear; appended last so older stores stay readable.
    {.name = "contact", .type = T::kText, .personal = PersonalData::kContact},
};
constexpr ColumnDef kRectifications[] = {
    {"evaluation_id", T::kText, true},
    {"event", T::kEnum, true, 0, 0, kEventVocab},
    {"at", T::kTime, true},
    {"actor", T::kText},
    {"note", T::kText},
    {"revisit_score", T::kInt, false, 1, 5},
};
constexpr ColumnDef kProbes[] = {
    {"target", T::kCode, true},
    {"region_code", T::kCode},
    {"dept_code", T::kCode},
    {"checked_at", T::kTime, true},
    {"ok", T::kBool, true},
    {"latency_ms", T::kReal, false, 0},
    {"status_code", T::kInt, false, 0, 999},
    {"reason", T::kText},  // why a check failed ("" when ok); `govqm probe` writes it
};
constexpr ColumnDef kGuides[] = {
    {"source", T::kCode, true},
    {"item_code", T::kCode, true},
    {"dept_code", T::kCode},
    {"region_code", T::kCode},
    {"name", T::kText},
    {"legal_basis", T::kText},
    {"conditions", T::kText},
    {"materials", T::kText},
    {"time_limit_days", T::kText},
    {"fee", T::kText},
    {"location", T::kText},
    {"contact", T::kText},
    {"published_at", T::kTime},
};
constexpr ColumnDef kOrg[] = {
    {"unit_code", T::kCode, true},
    {"period", T::kCode, true},
    {"block", T::kEnum, true, 0, 0, kBlockVocab},
    {"indicator", T::kCode, true},
    {"value", T::kReal, true},
    {"evidence", T::kText},
};

constexpr int kIdentity0[] = {0};
// The order of a kind's fingerprinted columns is part of the store format (chunk -2 - k).
constexpr int kTxFingerprinted[] = {tx_col::kId};
constexpr int kEvalFingerprinted[] = {eval_col::kTransactionId, eval_col::kId};
constexpr int kRectFingerprinted[] = {rect_col::kEvaluationId};
constexpr int kRectIdentity[] = {rect_col::kEvaluationId, rect_col::kEvent, rect_col::kAt};
constexpr int kProbeIdentity[] = {probe_col::kTarget, probe_col::kCheckedAt};
constexpr int kGuideIdentity[] = {guide_col::kSource, guide_col::kItemCode, guide_col::kPublishedAt};
constexpr int kOrgIdentity[] = {org_col::kUnitCode, org_col::kPeriod, org_col::kBlock,
                                org_col::kIndicator};

const std::array<KindDef, kKindCount> kKinds = {{
    {Kind::kRegions, "regions", kRegions, kIdentity0, {}},
    {Kind::kDepartments, "departments", kDepartments, kIdentity0, {}},
    {Kind::kItems, "items", kItems, kIdentity0, {}},
    {Kind::kTransactions, "transactions", kTransactions, kIdentity0, kTxFingerprinted},
    {Kind::kEvaluations, "evaluations", kEvaluations, kIdentity0, kEvalFingerprinted},
    {Kind::kRectifications, "rectifications", kRectifications, kRectIdentity,
     kRectFingerprinted},
    {Kind::kProbes, "probes", kProbes, kProbeIdentity, {}},
    {Kind::kGuides, "guides", kGuides, kGuideIdentity, {}},
    {Kind::kOrg, "org", kOrg, kOrgIdentity, {}},
}};

}  // namespace

const KindDef& GetKindDef(Kind kind) { return kKinds[static_cast<int>(kind)]; }

std::optional<Kind> ParseKind(std::string_view name) {
  for (const KindDef& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

int FindColumn(const KindDef& def, std::string_view name) {
  for (size_t i = 0; i < def.columns.size(); ++i) {
    if (def.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace govqm

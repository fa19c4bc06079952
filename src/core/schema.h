// The canonical input kinds of domain.md §2: their columns, types, vocabularies, required
// fields and identities. Everything that reads or writes records (import, store, engine,
// generator) is driven by these definitions, so a column is declared once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace govqm {

enum class Kind : uint8_t {
  kRegions, kDepartments, kItems, kTransactions, kEvaluations,
  kRectifications, kProbes, kGuides, kOrg,
};
inline constexpr int kKindCount = 9;

enum class ColumnType : uint8_t {
  kCode,  // short string from a small set (codes, channels): dictionary-encoded
  kText,  // free or unique text (ids, names, comments): offsets + bytes
  kTime,  // instant, int64 ms UTC
  kInt,   // int32
  kReal,  // double
  kBool,  // int8 0/1
  kEnum,  // int8 index into a closed vocabulary
};

// How a date without a time is read (domain.md §2: due_at means the end of that day).
enum class DateOnlyMeans : uint8_t { kStartOfDay, kEndOfDay };

// Personal data a column may hold (service.md §4), and what import does with it.
enum class PersonalData : uint8_t {
  kNone,
  kFreeText,  // scrubbed of identity numbers, phones and e-mails (core/scrub.h) at import
  kContact,   // a phone number: normalised (core/contact.h), then stored sealed (secretbox)
};

struct ColumnDef {
  std::string_view name;
  ColumnType type;
  bool required = false;
  double min = -1e300;  // inclusive bounds for kInt / kReal
  double max = 1e300;
  std::span<const std::string_view> vocab = {};  // kEnum
  DateOnlyMeans date_only = DateOnlyMeans::kStartOfDay;
  PersonalData personal = PersonalData::kNone;
};

struct KindDef {
  Kind kind;
  std::string_view name;  // as on the command line: "transactions"
  std::span<const ColumnDef> columns;
  std::span<const int> identity;  // column indexes that identify a record for replacement
  // Text columns joined between kinds, whose Fingerprints the store keeps per row (at most
  // kMaxFingerprinted): transactions' id and evaluations' transaction_id for unrated_rate,
  // evaluations' id and rectifications' evaluation_id for the closed loop.
  std::span<const int> fingerprinted = {};
};
inline constexpr size_t kMaxFingerprinted = 2;

const KindDef& GetKindDef(Kind kind);
std::optional<Kind> ParseKind(std::string_view name);
// Index of a column of the kind, or -1.
int FindColumn(const KindDef& def, std::string_view name);

// Column indexes, one namespace per kind, in declaration order.
namespace regions_col { enum : int { kCode, kName, kParentCode, kMacroRegion, kKeyCity }; }
namespace departments_col { enum : int { kCode, kName, kRegionCode }; }
namespace items_col {
enum : int { kCode, kName, kDeptCode, kStatutoryDays, kPromisedDays, kOnlineCapable, kCategory };
}
namespace tx_col {
enum : int {
  kId, kItemCode, kDeptCode, kRegionCode, kChannel, kApplicantType, kApplicantAge,
  kSubmittedAt, kAcceptedAt, kCompletedAt, kDueAt, kPromisedDays, kStatutoryDays, kStatus,
  kVisits, kMaterialsRequired, kMaterialsExempted, kCrossRegion, kWaitMinutes, kReportedAt,
  kWindowCode,
};
}
namespace eval_col {
enum : int {
  kId, kTransactionId, kRegionCode, kDeptCode, kItemCode, kChannel, kEvaluatedAt, kScore,
  kReasons, kComment, kRealName, kEvaluatorAge, kActive, kWindowCode, kStage,
  kContact,  // last: segments written before it existed lack its chunk and read it as nulls
};
}
namespace rect_col { enum : int { kEvaluationId, kEvent, kAt, kActor, kNote, kRevisitScore }; }
namespace probe_col {
enum : int { kTarget, kRegionCode, kDeptCode, kCheckedAt, kOk, kLatencyMs, kStatusCode, kReason };
}
namespace guide_col {
enum : int {
  kSource, kItemCode, kDeptCode, kRegionCode, kName, kLegalBasis, kConditions, kMaterials,
  kTimeLimitDays, kFee, kLocation, kContact, kPublishedAt,
};
}
namespace org_col { enum : int { kUnitCode, kPeriod, kBlock, kIndicator, kValue, kEvidence }; }

// Closed vocabularies; the enum values are the indexes into these lists.
enum class TxStatus : int8_t { kInProgress, kCompleted, kRejected, kWithdrawn };
enum class ApplicantType : int8_t { kPerson, kEnterprise };
enum class MacroRegion : int8_t { kEast, kCentral, kWest, kNortheast };
enum class RectEvent : int8_t { kAssigned, kVerified, kRectified, kRevisited, kClosed, kInvalid };
enum class OrgBlock : int8_t { kOrganization, kAssurance, kInstitution };

}  // namespace govqm

// What each indicator of the catalog reads: the input kinds and, within each, the canonical
// columns (core/schema.h) its value is made of. Declared here once, beside the catalog, and
// checked against the engine by tests/core/engine/inputs_test.cc (nulling a declared column
// changes the value; nulling any other column does not).
//
// Group keys are apart: every indicator of a kind reads the kind's key columns when grouped
// by them (region_code for region, city and macro_region, which also read the regions kind;
// dept_code, item_code, window_code, channel for channel and mode, the age column for
// age_band). GroupKeyColumn says which column feeds a key in a kind.
//
// Two uses: the outputs say when a kind that was never loaded leaves indicators empty
// (KindsRead, AbsentKindNotes), and the import summary says which indicators the columns an
// import loaded cannot feed (UnfedIndicators, UnfedGroupKeys). Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/catalog.h"
#include "core/schema.h"
#include "core/table.h"

namespace govqm {

// The columns of one kind that an indicator reads.
struct KindColumns {
  Kind kind;
  std::span<const std::string_view> columns;  // canonical names, in the kind's column order
};

struct IndicatorInputs {
  std::string_view code;                 // a catalog code
  std::span<const KindColumns> reads;    // one entry per kind read, in Kind order
};

// One entry per catalog code, in catalog order.
std::span<const IndicatorInputs> AllIndicatorInputs();
// The entry of a catalog code, or null.
const IndicatorInputs* FindIndicatorInputs(std::string_view code);
// The kinds a catalog code reads, in Kind order (empty for an unknown code).
std::vector<Kind> KindsRead(std::string_view code);
// Whether the code reads `kind`.
bool ReadsKind(std::string_view code, Kind kind);

// The column of `kind` that carries group key `key` (domain.md §3), or "" when the kind has
// none (probes have no channel). The time keys (day, month) read the indicator's anchor time.
std::string_view GroupKeyColumn(Kind kind, GroupKey key);

// An indicator the loaded columns of one kind cannot feed.
struct UnfedIndicator {
  std::string_view code;                    // catalog code
  std::vector<std::string_view> missing;    // its declared columns of the kind not loaded
  std::string reason;                       // "accepted_at not loaded", "a and b not loaded"
  std::string Text() const;                 // "avg_handling_days: accepted_at not loaded"
};

// After an import of `kind`: `loaded[i]` says whether column i of the kind (GetKindDef(kind)
// order) carries at least one non-null value. Returns every catalog indicator that reads the
// kind and has a declared column of it not loaded, in catalog order, with the missing columns
// in column order. Empty when every column it reads is there (and for kinds no indicator
// reads: regions, departments, items, org). A `loaded` shorter than the kind's columns counts
// the columns past its end as not loaded. (An import that loaded no record has no column:
// every indicator of the kind would be listed; the summary has nothing to say then.)
// Which columns are loaded: LoadedColumns of the imported table.
std::vector<UnfedIndicator> UnfedIndicators(Kind kind, const std::vector<bool>& loaded);
// Per column of t's kind: whether any row of `t` has a non-null value there (the null
// sentinels of core/table.h; an empty text is null). A column t does not hold (left out of a
// load) is not loaded.
std::vector<bool> LoadedColumns(const Table& t);
// The same with the loaded columns by name (names the kind does not have are ignored).
std::vector<UnfedIndicator> UnfedIndicators(Kind kind,
                                            const std::vector<std::string_view>& loaded_columns);

// A group key the loaded columns of one kind cannot feed: its column is not loaded.
struct UnfedKey {
  GroupKey key;
  std::string_view column;
  std::string Text() const;  // "--by window: window_code not loaded"
};
// The group keys of `kind` (GroupKeyColumn) whose column is not loaded, in GroupKey order.
std::vector<UnfedKey> UnfedGroupKeys(Kind kind, const std::vector<bool>& loaded);

// For outputs: given the codes that were asked for (or computed) and whether each kind has
// any stored row (`kind_loaded[static_cast<int>(kind)]`), one note per absent fact kind that
// some of the codes read, in Kind order:
//   "no evaluations loaded: the 14 indicators that read them are empty (evaluations, …)".
// `extra` counts further items of a kind left empty besides catalog codes (the org
// indicators a framework scores), listed after them; pass {} when none.
struct AbsentExtra {
  Kind kind;
  std::vector<std::string> codes;
};
std::vector<std::string> AbsentKindNotes(const std::vector<std::string_view>& codes,
                                         const std::vector<bool>& kind_loaded,
                                         const std::vector<AbsentExtra>& extra = {});
// Whether the code reads a kind that kind_loaded says is absent.
bool ReadsAbsentKind(std::string_view code, const std::vector<bool>& kind_loaded);
// "no evaluations loaded" for the first such kind the code reads, or "".
std::string AbsentKindReason(std::string_view code, const std::vector<bool>& kind_loaded);

}  // namespace govqm

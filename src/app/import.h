// The import use case: files of one kind → parsed, validated, rejects written, one atomic
// store commit (docs/ARCHITECTURE.md, "The store"). Returns the summary `import --json` prints.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/schema.h"
#include "core/status.h"
#include "ingest/importer.h"
#include "platform/env.h"
#include "store/store.h"

namespace govqm::app {

// Where the rejects of the input files go: a file per input with rejections, beside it (or in
// `dir`), named as ingest/rejects.h plans (NAME.rejects.csv; disambiguated when two inputs
// would share one); a stale one is removed for an input with none. `write` false: no
// rejects file is written or removed (the summary still counts them).
struct RejectsFiles {
  std::string dir;
  bool write = true;
};

// `import --max-rejects N|P%`: more rejected records than N, or than P% of those read, refuses
// the import (nothing loaded; the rejects files are written). -1 = no such limit.
struct MaxRejects {
  int64_t count = -1;
  double percent = -1;
};

struct ImportRequest {
  Kind kind = Kind::kTransactions;
  std::vector<std::string> files;
  std::string map_file;  // a column mapping (TOML); "" = the canonical columns
  std::string zone;      // zone for times without an offset; "" = the store's (a mapping's wins)
  bool atomic = false;   // any rejected record refuses the whole import
  MaxRejects max_rejects;
  // Bytes parsed per step of the streaming read (0 = StreamOptions' default; tests use small).
  size_t block_bytes = 0;
  Encoding encoding = Encoding::kAuto;  // the files' bytes; kAuto = detect (never garbles)
  RejectsFiles rejects;
  // The contact key file (the edge's GOVQM_KEY_FILE); "" = beside the store (app/contact.h).
  // Read only when evaluations carry contacts.
  std::string key_file;
  // Whose records these may be (service.md §3: an operator imports for its own scope). A
  // valid record outside it, or one that would replace (by identity) a stored record outside
  // it, refuses the whole import (PermissionDenied, nothing written): else a scoped user could
  // add records to, or replace records of, another scope. Unrestricted (the default, the
  // CLI's): no check.
  AccessScope scope;
};

struct ImportFileSummary {
  std::string file, format, encoding;
  int64_t read = 0, rejected = 0;
  std::string rejects_file;  // "" = none
  std::vector<std::string> ignored_columns, warnings;
};

// Codes of one column that the reference data does not know (accepted, reported).
struct UnknownCodes {
  int64_t rows = 0;
  std::vector<std::string> examples;  // at most 5
  std::set<std::string> distinct;     // the codes (at most 10,000)
  bool no_reference = false;          // no reference data of that kind is loaded at all
};

// Rejections of one kind: the column and the reason with its quoted values elided.
struct RejectReason {
  std::string column, reason;
  int64_t count = 0;
};

struct ImportTimings {
  double parse_s = 0, write_s = 0, commit_s = 0;
};

struct ImportSummary {
  Kind kind = Kind::kTransactions;
  int64_t read = 0, loaded = 0, replaced = 0, rejected = 0;
  std::string rejects_file;  // the first file's rejects, "" = none
  std::vector<ImportFileSummary> files;
  std::map<std::string, UnknownCodes> unknown_codes;  // by column name
  bool atomic_refused = false;  // --atomic and rejects: nothing loaded (see AtomicRefusal)
  bool max_rejects_refused = false;  // --max-rejects broken: nothing loaded (MaxRejectsRefusal)
  std::vector<RejectReason> top_reasons;  // the most frequent, at most 5
  // Per canonical column of the kind: whether any loaded row has a value in it.
  std::vector<bool> loaded_columns;
  // The indicators those columns cannot feed ("avg_handling_days: accepted_at not loaded"),
  // catalog order; empty when nothing was loaded.
  struct Unfed {
    std::string code;
    std::vector<std::string> missing;
    std::string text;
  };
  std::vector<Unfed> unfed;
  std::vector<std::string> unfed_group_keys;  // "--by window: window_code not loaded"
  std::string zone;         // the zone times without an offset were read in
  std::string zone_source;  // "mapping", "--tz" or "store"
  bool mapping_without_zone = false;  // a mapping was used, and it names no timezone
  int64_t times_without_offset = 0;   // times read in `zone` (no offset of their own)
  ImportTimings timings;        // measured with the Env's clock
};

// Runs one import into `store`. A file refused as a whole (unreadable, not CSV/NDJSON, bad
// header) refuses the import with its Status and nothing loaded. With `atomic` and rejects,
// the summary comes back with atomic_refused set and nothing loaded: the caller shows the
// summary, then reports AtomicRefusal(summary). Evaluations with contacts need the store's
// contact key: without one (or with one others may read) the import fails before anything is
// written, rejects files included; contacts are stored sealed, comments scrubbed (ingest).
// `env` may inject faults (tests).
Result<ImportSummary> Import(Store& store, const ImportRequest& request,
                             platform::Env& env = platform::Env::Default());

// The error of an import refused by `atomic`.
Status AtomicRefusal(const ImportSummary& summary);
// The error of an import refused by `max_rejects`.
Status MaxRejectsRefusal(const ImportSummary& summary, const MaxRejects& limit);
// "N" or "P%" (0 ≤ P ≤ 100) -> the limit; nullopt when it is neither.
std::optional<MaxRejects> ParseMaxRejects(std::string_view text);

}  // namespace govqm::app

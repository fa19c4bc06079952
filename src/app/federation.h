// Federation, city → province (service.md §11; docs/FEDERATION.md): a city writes its base
// measures for a period and grouping as a signed partials file; the province merges the files
// of the cities it trusts into the indicators (and scores) one scan of all their records gives.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/indicators.h"
#include "app/score.h"
#include "core/access.h"
#include "core/engine/partials.h"
#include "core/status.h"
#include "core/table.h"
#include "store/store.h"

namespace govqm::app {

// What the signed file says it holds (security/signed_envelope.h).
inline constexpr std::string_view kPartialsContent = "partials";

struct PartialsRequest {
  std::string from, to;        // dates or ISO 8601 times, local to the zone (as indicators')
  std::string zone;            // "" = the store's
  std::vector<GroupKey> keys;  // at least one
  AccessScope scope;           // records outside it are left out before aggregating
  // The signing key file; "" = NAME.sign beside the store NAME.db. Created on first use.
  std::string key_file;
};

// A city's signed partials, ready to be written.
struct SignedPartials {
  std::string bytes;  // the whole file
  std::string signer, key_path, public_path;
  bool key_created = false;     // the .sign file was made by this call
  bool public_written = false;  // the .pub file was (re)written by this call
  size_t groups = 0;            // groups with any accumulator
  size_t org_rows = 0;          // org rows carried for scoring
};

// The base measures of the store's in-scope records over the period by the keys, with what
// scoring needs besides (unit names and org rows, for one key among region, city and dept),
// signed. Groups the scope hides (ScopeFilter::GroupVisible) are left out, as `indicators`
// under the scope leaves them out. The same errors as Indicators.
Result<SignedPartials> MakeSignedPartials(const Store& store, const PartialsRequest& request);

struct MergeRequest {
  std::vector<std::string> files;  // at least one
  std::string trust_dir;           // every *.pub in it is trusted
};

// One merged file: who signed it, with which trusted key.
struct MergedSource {
  std::string file, signer, trusted_file, payload_sha256;
  size_t groups = 0;
};

struct MergedPartials {
  std::vector<MergedSource> sources;  // in the order given
  PartialsHeader header;
  std::string from_text, to_text;  // the period as the first city asked for it
  // Rows as Indicators returns them for one store of all the cities' records; keys = the
  // header's; region_names from the files (region and city keys).
  IndicatorsResult indicators;
  // What scoring reads besides: unit code → name, and the org rows (Kind::kOrg; each
  // identity once).
  std::map<std::string, std::string, std::less<>> names;
  Table org{Kind::kOrg};
  // Units whose files disagree on the name: scoring refuses to name them.
  std::map<std::string, std::string, std::less<>> name_conflicts;  // code → "FILE1 and FILE2"
};

// Reads, verifies and merges the files: each must be signed by a key of the trust directory
// under its name there, unaltered (exit 1 naming the file otherwise, nothing merged), of the
// same period, keys, zone and options as the first (naming the file and the field), and
// neither the same content nor the same signer as another file given (a city counts once).
Result<MergedPartials> MergePartialsFiles(const MergeRequest& request);

// The scores of merged partials: equal to Score over one store holding every city's records
// by the partials' one key (kInvalidInput for partials by several keys).
Result<ScoreOutput> ScoreMergedPartials(LoadedFramework framework, const MergedPartials& merged,
                                        const std::optional<UncertaintyOptions>& uncertainty);

}  // namespace govqm::app

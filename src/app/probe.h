// The prober (service.md §8): the targets file, one round of checks judged and stored as probe
// records (domain.md §2.5, with the reason a check failed), the records the availability and
// latency indicators read. The HTTP client is platform/http_probe.h's, injected for tests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "platform/env.h"
#include "platform/http_probe.h"
#include "store/store.h"

namespace govqm::app {

// One [[target]] of the targets file.
struct ProbeTarget {
  std::string name;  // stored as the probe's `target`
  std::string url;
  std::string region, dept;  // "" = none
  int expect_status = 200;
  std::string expect_text;  // "" = any body
  int64_t timeout_ms = 5000;
  std::string ca_file;  // a private CA to trust (PEM); relative to the targets file's folder
};

// A certificate valid for less than this is a failed check (service.md §8).
inline constexpr int64_t kCertWarnMs = 14LL * 24 * 3600 * 1000;

// Parses a targets file's text: [[target]] tables with name and url (required), region,
// dept, expect_status, expect_text, timeout_ms, ca_file. Errors (InvalidInput) are one line,
// `FILE:LINE: ...`, naming the key: a syntax error, an unknown key, a wrong type, a missing
// name or url, a name twice, a url that is not http(s), a timeout or status out of range.
Result<std::vector<ProbeTarget>> ParseTargets(std::string_view text, std::string_view file_name);
// Reads and parses the file at `path` (file errors as platform::ReadFile's); a relative
// ca_file is resolved against the file's folder.
Result<std::vector<ProbeTarget>> LoadTargets(const std::string& path);

struct ProbeVerdict {
  bool ok = false;
  std::string reason;  // "" when ok
};

// Judges one check at wall-clock time `now_ms`: a failed request (timeout, TLS, connection),
// a status other than expected, the expected text missing from the body, or a certificate
// that expires within 14 days of now — the first of these that applies is the reason.
ProbeVerdict Judge(const ProbeTarget& target, const platform::HttpCheckResult& check,
                   int64_t now_ms);

struct ProbeRecord {
  std::string target;
  int64_t checked_at_ms = 0;  // UTC, when the round started the check (Env::NowUtcMs)
  bool ok = false;
  double latency_ms = 0;  // NaN when no answer came (timeout, connection failure)
  int status_code = 0;    // 0 = no HTTP answer
  std::string reason;
};

struct ProbeRoundResult {
  std::vector<ProbeRecord> records;  // in the targets' order
};

using HttpCheckFn = std::function<platform::HttpCheckResult(const platform::HttpCheckRequest&)>;

// How many checks of a round run at once.
inline constexpr size_t kParallelChecks = 8;

// Checks every target once (up to kParallelChecks at a time; `http` must be thread-safe, as
// platform::HttpCheck is) and stores one probe record per check in one write transaction (the
// store's append path, as an import). Each check's checked_at is read from `env` as the round
// starts, in the targets' order; the certificates are judged against one reading after the
// checks. Errors: the store's.
Result<ProbeRoundResult> ProbeRound(Store& store, const std::vector<ProbeTarget>& targets,
                                    platform::Env& env = platform::Env::Default(),
                                    const HttpCheckFn& http = platform::HttpCheck);

}  // namespace govqm::app

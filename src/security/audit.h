// The audit log (service.md §4): append-only, hash-chained. Entry = (seq, at, actor, action,
// object, detail, prev_hash, hash), hash = SHA-256 (hex) over prev_hash and the entry's
// canonical form (see CanonicalForm). Verify finds the first entry edited, deleted or reordered.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace govqm::security {

struct AuditEntry {
  int64_t seq = 0;
  std::string at;  // ISO 8601 UTC with milliseconds
  std::string actor, action, object, detail;
  std::string prev_hash, hash;  // hex; the first entry's prev_hash is 64 zeros
};

// What to log; seq, at and the hashes are filled by Append.
struct AuditEvent {
  std::string actor, action, object, detail;
};

// The canonical form hashed: fields joined by '\n' after escaping ('\\' and '\n').
std::string CanonicalForm(const AuditEntry& entry);
std::string EntryHash(const AuditEntry& entry);  // SHA-256 hex over prev_hash + CanonicalForm

struct AuditVerdict {
  int64_t entries = 0;
  bool intact = true;
  int64_t first_bad_seq = 0;  // when !intact
  std::string problem;        // "audit entry 7: hash does not match its contents", …
};

// Rows of the store's `audit` table; meta 'audit_head' ("count:lasthash") records the head
// after every append, so that entries cut off the end are found too. Append takes the
// store's write lock before reading the last entry: appenders in several threads or
// processes never fork the chain. Thread-safe.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& db_path);
  virtual Status Append(const AuditEvent& event, int64_t now_ms) = 0;
  // Entries with from_ms <= at < to_ms, in seq order; a bound of 0 leaves that side open
  // (0, 0 = all).
  virtual Result<std::vector<AuditEntry>> List(int64_t from_ms, int64_t to_ms) const = 0;
  virtual Result<AuditVerdict> Verify() const = 0;
};

}  // namespace govqm::security

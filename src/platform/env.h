// The seam through which the application layer meets time and injected faults (leveldb's Env
// and FaultInjectionTestEnv in spirit). Production code uses Env::Default(): the steady clock
// and no faults. Tests derive from Env to fail or abort at a named point, so no fault hook is
// read from the environment in the production program.
#pragma once

#include <cstdint>

#include "core/status.h"

namespace govqm::platform {

// Named points on the way of a use case where a test may inject a fault.
enum class FaultPoint {
  // import: every batch and the import log written, the transaction not yet committed.
  kImportBeforeCommit,
};

class Env {
 public:
  virtual ~Env() = default;
  // The production environment (a process-wide object; thread-safe, never destroyed).
  static Env& Default();
  // Monotonic seconds, for phase timings.
  virtual double NowSeconds() const;
  // Wall-clock time, milliseconds since the Unix epoch (UTC): when a record happened.
  virtual int64_t NowUtcMs() const;
  // Called when a use case reaches `point`. The default does nothing and returns Ok; a test's
  // Env may return an error (the use case then fails with it) or end the process.
  virtual Status AtFaultPoint(FaultPoint point);
};

}  // namespace govqm::platform

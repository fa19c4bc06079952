// Process tuning, done once at start-up by a program's main (never by a library).
#pragma once

#include <string>

namespace govqm::platform {

// The column arrays are large; on this class of machine page faults, not arithmetic, dominate
// loading and importing. glibc backs malloc with transparent huge pages when told so by a
// tunable read only at start-up, so this sets GLIBC_TUNABLES and re-executes the program once
// (it returns only when the re-exec is not done or fails, and the program carries on untuned).
// Not done when GLIBC_TUNABLES is already set (the re-executed child, or a caller's own
// tuning) or when GOVQM_NO_HUGEPAGES is set: the one environment switch govqm reads, because
// it is about the process itself and must be known before anything runs (benchmarks use it to
// measure the untuned program). See docs/ARCHITECTURE.md, "Speed measures".
void TuneAllocatorOrReexec(char** argv);

}  // namespace govqm::platform

namespace govqm::platform {

// The directory of the running program (from /proc/self/exe), or "" when unknown.
std::string ProgramDir();

}  // namespace govqm::platform

#include <cstdlib>
#include <unistd.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // The column arrays are large; on this class of machine page faults, not arithmetic,
  // dominate loading and importing. glibc backs malloc with transparent huge pages when
  // told so by a tunable that is read only at start-up: set it and re-exec once. (The
  // kernel's THP mode is usually "madvise", which this uses.) Set GOVQM_NO_HUGEPAGES to skip.
  if (std::getenv("GLIBC_TUNABLES") == nullptr && std::getenv("GOVQM_NO_HUGEPAGES") == nullptr) {
    setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1);
    execv("/proc/self/exe", argv);  // only returns on failure: carry on without
    unsetenv("GLIBC_TUNABLES");
  }
  return govqm::cli::Main(argc, argv);
}

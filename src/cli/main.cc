#include <cstdlib>
#include <unistd.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // The column arrays are large; on this class of machine page faults, not arithmetic,
  // dominate loading and importing. glibc backs malloc with transparent huge pages when
  // told so by a tunable that is read only at start-up: set it and re-exec once. (The
  // kernel's THP mode is usually "madvise", which this uses.) Set GOVQM_NO_HUGEPAGES to skip.
  if (std::getenv("GLIBC_TUNABLES") == nullptr && std::getenv("GOVQM_NO_HUGEPAGES") == nullptr) {
    // Blocks up to 32 MiB (a segment's columns) come from the heap rather than mmap, and a
    // freed heap is kept rather than trimmed: buffers released by one phase are reused by
    // the next instead of being unmapped and faulted in again as fresh zeroed pages (the
    // 10M-row catalog spent 0.3-0.8 s of system time in that, 0.26-0.30 s after).
    setenv("GLIBC_TUNABLES",
           "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:"
           "glibc.malloc.trim_threshold=1073741824",
           1);
    execv("/proc/self/exe", argv);  // only returns on failure: carry on without
    unsetenv("GLIBC_TUNABLES");
  }
  return govqm::cli::Main(argc, argv);
}

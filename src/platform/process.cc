#include "platform/process.h"

#include <unistd.h>

#include <cstdlib>

namespace govqm::platform {

void TuneAllocatorOrReexec(char** argv) {
  if (std::getenv("GLIBC_TUNABLES") != nullptr || std::getenv("GOVQM_NO_HUGEPAGES") != nullptr) {
    return;
  }
  // Blocks up to 32 MiB (a segment's columns) come from the heap rather than mmap, and a
  // freed heap is kept rather than trimmed: buffers released by one phase are reused by the
  // next instead of being unmapped and faulted in again as fresh zeroed pages (the 10M-row
  // catalog spent 0.3-0.8 s of system time in that, 0.26-0.30 s after). The kernel's THP
  // mode is usually "madvise", which hugetlb=1 uses.
  setenv("GLIBC_TUNABLES",
         "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:"
         "glibc.malloc.trim_threshold=1073741824",
         1);
  execv("/proc/self/exe", argv);  // only returns on failure: carry on without
  unsetenv("GLIBC_TUNABLES");
}

}  // namespace govqm::platform

namespace govqm::platform {

std::string ProgramDir() {
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n <= 0) return "";
  exe[n] = 0;
  const std::string path(exe);
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace govqm::platform

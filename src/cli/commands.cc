#include "cli/commands.h"

#include <cstdio>

namespace govqm::cli {

int Main(int, char**) {
  std::fprintf(stderr, "usage: govqm COMMAND ...\n");
  return 2;
}

}  // namespace govqm::cli

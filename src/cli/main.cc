#include "cli/commands.h"
#include "platform/process.h"

int main(int argc, char** argv) {
  govqm::platform::TuneAllocatorOrReexec(argv);
  return govqm::cli::Main(argc, argv);
}

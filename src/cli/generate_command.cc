#include "cli/commands_internal.h"

namespace govqm::cli {

Status RunGenerate(int, char**) { return Status::Internal("generate: not wired yet"); }

}  // namespace govqm::cli

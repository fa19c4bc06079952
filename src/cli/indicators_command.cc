#include "cli/commands_internal.h"

namespace govqm::cli {

Status RunIndicators(int, char**) { return Status::Internal("indicators: engine not wired yet"); }

}  // namespace govqm::cli

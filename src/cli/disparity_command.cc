#include "cli/commands_internal.h"
namespace govqm::cli {
Status RunDisparity(int, char**) { return Status::Usage("disparity: not yet"); }
}  // namespace govqm::cli

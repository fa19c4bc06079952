#include "cli/commands_internal.h"
namespace govqm::cli {
Status RunExplain(int, char**) { return Status::Usage("explain: not yet"); }
}  // namespace govqm::cli

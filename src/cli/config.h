// The configuration file (config/govqm.toml.example; /etc/govqm/govqm.toml when installed):
// what the edges read from it besides the server's own [serve] table. One reader, so
// `govqm cases`, `govqm alerts` and `govqm serve` count the same deadlines from one file.
#pragma once

#include <string>

#include "core/closed_loop.h"
#include "core/status.h"

namespace govqm::cli {

// The [closed_loop] table of the file at `path` (service.md §6): verify_days, rectify_days,
// revisit_days, each a whole number of working days from 1 to 250; a key left out keeps its
// default (1, 15, 5), a file without the table gives the defaults. Invalid "PATH:LINE: what"
// for a file that is not TOML, an unknown key or top-level table (a typo would otherwise
// count with a default nobody chose), or a bad value.
Result<ClosedLoopDeadlines> ClosedLoopOfConfig(const std::string& path);

// The framework file the deployment's configuration names ([serve] framework = "…", what
// `govqm serve --config` scores with), "" when it names none. Invalid "PATH:LINE: what" for a
// file that is not TOML or a framework that is not a string.
Result<std::string> FrameworkOfConfig(const std::string& path);

// Whether a top-level table of the file is one govqm reads (serve, closed_loop).
bool IsKnownConfigTable(const std::string& name);

}  // namespace govqm::cli

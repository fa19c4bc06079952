// What the route handlers share (handlers.cc, case_handlers.cc): not a public interface.
#pragma once

#include <string>

#include "cli/args.h"
#include "server/service.h"

namespace govqm::server {

// A 200 JSON reply; the body ends with a newline.
Reply Json(std::string body);

// The CLI's options from the query: the same names without the dashes. A flag is given as
// name=1 (or true); 0, false or absent leave it off.
cli::Args ArgsOf(const Call& call, const cli::ArgSpec& spec);

}  // namespace govqm::server

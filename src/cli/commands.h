// Entry point of the command-line program (architecture.md, "The command line").
#pragma once

namespace govqm::cli {

// Parses argv, runs one subcommand, returns the process exit code: 0 ok, 1 bad input, 2 usage.
int Main(int argc, char** argv);

}  // namespace govqm::cli

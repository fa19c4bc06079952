#include "cli/commands.h"

int main(int argc, char** argv) { return govqm::cli::Main(argc, argv); }

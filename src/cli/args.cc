#include "cli/args.h"

#include <fmt/format.h>

namespace govqm::cli {

Result<Args> ParseArgs(int argc, char** argv, int first, const ArgSpec& spec) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      args.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (spec.flags.count(name)) {
      if (has_value) return Status::Usage(fmt::format("--{} takes no value", name));
      args.flags.insert(name);
    } else if (spec.valued.count(name)) {
      if (!has_value) {
        if (i + 1 >= argc) return Status::Usage(fmt::format("--{} needs a value", name));
        value = argv[++i];
      }
      args.values[name] = value;
    } else {
      return Status::Usage(fmt::format("unknown option --{}", name));
    }
  }
  return args;
}

}  // namespace govqm::cli

// A small command-line parser: positional words plus --name value / --flag options, checked
// against what each command declares, so a typo is a usage error (exit 2), never ignored.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"

namespace govqm::cli {

struct ArgSpec {
  std::set<std::string> valued;  // options that take a value: "db", "tz", ...
  std::set<std::string> flags;   // options without a value: "json", "atomic"
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;

  bool Has(const std::string& name) const { return values.count(name) || flags.count(name); }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
};

// Parses argv[first..argc). Accepts "--name value" and "--name=value".
Result<Args> ParseArgs(int argc, char** argv, int first, const ArgSpec& spec);

}  // namespace govqm::cli

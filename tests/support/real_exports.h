// The publishers' own figures of the real 311 excerpts in tests/data, shared by the tests that
// import them (tests/cli/real_data_test.cc explains how each was computed independently, with
// Python, from the same files).
#pragma once

#include <map>
#include <string>

namespace govqm::testing {

// Boston: open cases flagged OVERDUE per neighborhood at the end of [2025-01-01, 2025-05-20)
// (boston-311/boston311_open_pwd_2025-01_to_05.csv through config/mappings/boston311.toml,
// which maps a blank neighborhood to UNKNOWN: 5 cases, all OVERDUE). They sum to the 2,268
// OVERDUE cases the City published.
inline const std::map<std::string, double>& BostonOverdueByNeighborhood() {
  static const std::map<std::string, double> expected = {
      {"Allston", 7}, {"Allston / Brighton", 165}, {"Back Bay", 162}, {"Beacon Hill", 147},
      {"Boston", 99}, {"Brighton", 12}, {"Charlestown", 116}, {"Dorchester", 257},
      {"Downtown / Financial District", 174}, {"East Boston", 89},
      {"Fenway / Kenmore / Audubon Circle / Longwood", 60}, {"Greater Mattapan", 94},
      {"Hyde Park", 61}, {"Jamaica Plain", 129}, {"Mattapan", 1}, {"Mission Hill", 32},
      {"Roslindale", 79}, {"Roxbury", 147}, {"South Boston", 24},
      {"South Boston / South Boston Waterfront", 114}, {"South End", 216}, {"UNKNOWN", 5}, {"West Roxbury", 78}};
  return expected;
}

}  // namespace govqm::testing

// The COINr ASEM Sustainable Connectivity index, loaded as a new user would: the framework
// file config/examples/asem.toml (tree shape, min-max normalisation, arithmetic means, all
// weights 1) over COINr's treated indicator table, compared with the published scores
// (results_AggregatesScore.csv, 2 d.p.) and the full-precision aggregates (data_Aggregated.csv)
// for every unit and every aggregate.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "framework/scoring.h"

namespace govqm {
namespace {

std::string Data(const std::string& name) {
  return std::string(GOVQM_SOURCE_DIR) + "/tests/data/coinr-asem/" + name;
}

// The simple CSV of these files: no quoted commas except in names, which we do not read.
std::vector<std::map<std::string, std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::string cur;
    bool quoted = false;
    for (char c : l) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        f.push_back(cur);
        cur.clear();
      } else if (c != '\r') {
        cur.push_back(c);
      }
    }
    f.push_back(cur);
    return f;
  };
  if (!std::getline(in, line)) return rows;
  header = split(line);
  while (std::getline(in, line)) {
    const auto f = split(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(AsemTest, ReproducesThePublishedScores) {
  std::ifstream probe(Data("data_Treated.csv"));
  // COINr's published tables, copied unchanged into the repository (tests/data/coinr-asem).
  ASSERT_TRUE(probe) << "test data not found: " << Data("");
  std::ifstream f(std::string(GOVQM_SOURCE_DIR) + "/config/examples/asem.toml");
  std::stringstream ss;
  ss << f.rdbuf();
  auto fw = ParseFramework(ss.str(), "asem.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();

  UnitValues v;
  for (const auto& row : ReadCsv(Data("data_Treated.csv"))) {
    v.units.push_back(row.at("UnitCode"));
    std::vector<std::optional<double>> values;
    for (const IndicatorSpec& s : fw->indicators) {
      const std::string& t = row.at(s.code);
      values.push_back(t.empty() ? std::nullopt : std::optional<double>(std::stod(t)));
    }
    v.values.push_back(std::move(values));
  }
  ASSERT_EQ(v.units.size(), 51u);
  auto res = ScoreUnits(*fw, v);
  ASSERT_TRUE(res.ok()) << res.status().message();
  std::map<std::string, const UnitScore*> by_unit;
  for (const UnitScore& u : res->units) by_unit[u.unit] = &u;

  const char* aggregates[] = {"Index", "Conn", "Sust", "Physical", "ConEcFin", "Political",
                              "Instit", "P2P", "Environ", "Social", "SusEcFin"};
  int compared = 0;
  for (const auto& row : ReadCsv(Data("results_AggregatesScore.csv"))) {
    const UnitScore& u = *by_unit.at(row.at("UnitCode"));
    for (const char* code : aggregates) {
      const int n = fw->FindNode(code);
      ASSERT_GE(n, 0) << code;
      ASSERT_TRUE(u.node_score[n].has_value());
      // Published to 2 d.p.: our score rounds to the same figure (so is within 0.005).
      EXPECT_NEAR(*u.node_score[n], std::stod(row.at(code)), 0.005 + 1e-9) << u.unit << " " << code;
      ++compared;
    }
    EXPECT_EQ(u.rank, static_cast<int>(std::stod(row.at("Rank")))) << u.unit;
  }
  EXPECT_EQ(compared, 51 * 11);
  // Full precision: COINr's own aggregates to 1e-9.
  for (const auto& row : ReadCsv(Data("data_Aggregated.csv"))) {
    const UnitScore& u = *by_unit.at(row.at("UnitCode"));
    for (const char* code : aggregates) {
      EXPECT_NEAR(*u.node_score[fw->FindNode(code)], std::stod(row.at(code)), 1e-9) << u.unit << " " << code;
    }
  }
}

}  // namespace
}  // namespace govqm

// Splits a generated province's nine CSV files the way the members of a federation hold
// them: each member (a city, or several) keeps the records of its own regions — transactions,
// evaluations, probes and guides by their region, rectifications with their evaluation, org
// rows by their unit (a region, or a department's region) — and the whole reference data.
// The city of a region is worked out here from regions.csv's parent codes (the ancestor one
// level below the root, or the root itself), apart from the engine's region tree.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/render/csv.h"
#include "ingest/csv_reader.h"

namespace govqm::testing {

inline std::string SlurpFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The records of a CSV file (header first), each as its fields.
inline std::vector<std::vector<std::string>> CsvRows(const std::filesystem::path& path) {
  const std::string text = SlurpFile(path);
  CsvReader reader(text);
  CsvRecord record;
  Status error;
  std::vector<std::vector<std::string>> rows;
  while (reader.Next(&record, &error)) {
    rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  EXPECT_TRUE(error.ok()) << path << ": " << error.message();
  return rows;
}

inline int ColumnOf(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

struct CitySplit {
  std::vector<std::string> members;                  // sorted
  std::map<std::string, std::string> city_of_region;  // region code → city code
  std::string root;                                   // the province's own code
  std::map<std::string, int64_t> transactions;        // member → its transactions
};

// Writes OUT/MEMBER/KIND.csv for the nine kinds; `member_of` maps a city code to its member's
// name (every city its own member by default).
inline CitySplit SplitByCity(
    const std::filesystem::path& data, const std::filesystem::path& out,
    const std::function<std::string(const std::string&)>& member_of = [](const std::string& c) {
      return c;
    }) {
  CitySplit split;
  const auto regions = CsvRows(data / "regions.csv");
  std::map<std::string, std::string> parent;
  for (size_t r = 1; r < regions.size(); ++r) {
    parent[regions[r][ColumnOf(regions[0], "code")]] =
        regions[r][ColumnOf(regions[0], "parent_code")];
    if (regions[r][ColumnOf(regions[0], "parent_code")].empty()) {
      split.root = regions[r][ColumnOf(regions[0], "code")];
    }
  }
  for (const auto& [code, up] : parent) {
    std::string city = code;
    while (!parent[city].empty() && parent[city] != split.root) city = parent[city];
    split.city_of_region[code] = city;
  }
  auto member_of_region = [&](const std::string& region) {
    auto it = split.city_of_region.find(region);
    EXPECT_NE(it, split.city_of_region.end()) << "unknown region " << region;
    return member_of(it == split.city_of_region.end() ? split.root : it->second);
  };
  std::set<std::string> members;
  for (const auto& [region, city] : split.city_of_region) members.insert(member_of(city));
  split.members.assign(members.begin(), members.end());

  std::map<std::string, std::string> dept_member, evaluation_member;
  const auto departments = CsvRows(data / "departments.csv");
  for (size_t r = 1; r < departments.size(); ++r) {
    dept_member[departments[r][ColumnOf(departments[0], "code")]] =
        member_of_region(departments[r][ColumnOf(departments[0], "region_code")]);
  }
  // Each kind: which member a record belongs to ("" = every member: reference data).
  auto write = [&](const std::string& kind,
                   const std::function<std::string(const std::vector<std::string>& header,
                                                   const std::vector<std::string>& row)>& owner) {
    const auto rows = CsvRows(data / (kind + ".csv"));
    std::map<std::string, std::string> texts;
    for (const std::string& m : split.members) render::AppendCsvRow(&texts[m], rows[0]);
    for (size_t r = 1; r < rows.size(); ++r) {
      const std::string m = owner(rows[0], rows[r]);
      for (const std::string& to : split.members) {
        if (m.empty() || m == to) render::AppendCsvRow(&texts[to], rows[r]);
      }
      if (kind == "transactions") ++split.transactions[m];
    }
    for (const std::string& m : split.members) {
      std::filesystem::create_directories(out / m);
      std::ofstream(out / m / (kind + ".csv"), std::ios::binary) << texts[m];
    }
  };
  auto by_region = [&](const auto& header, const auto& row) {
    return member_of_region(row[ColumnOf(header, "region_code")]);
  };
  auto everyone = [](const auto&, const auto&) { return std::string(); };
  write("regions", everyone);
  write("departments", everyone);
  write("items", everyone);
  write("transactions", by_region);
  write("evaluations", [&](const auto& header, const auto& row) {
    const std::string m = member_of_region(row[ColumnOf(header, "region_code")]);
    evaluation_member[row[ColumnOf(header, "id")]] = m;
    return m;
  });
  write("rectifications", [&](const auto& header, const auto& row) {
    auto it = evaluation_member.find(row[ColumnOf(header, "evaluation_id")]);
    EXPECT_NE(it, evaluation_member.end());
    return it == evaluation_member.end() ? member_of(split.root) : it->second;
  });
  write("probes", by_region);
  write("guides", by_region);
  write("org", [&](const auto& header, const auto& row) {
    const std::string unit = row[ColumnOf(header, "unit_code")];
    if (auto d = dept_member.find(unit); d != dept_member.end()) return d->second;
    return member_of_region(unit);
  });
  return split;
}

inline const char* const kKindsInOrder[] = {"regions",        "departments", "items",
                                            "transactions",   "evaluations", "rectifications",
                                            "probes",         "guides",      "org"};

}  // namespace govqm::testing

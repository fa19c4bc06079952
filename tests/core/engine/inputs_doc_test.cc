// docs/INPUTS.md cannot drift from the program: every kind's column table lists the schema's
// columns (core/schema.cc) in order, each with its type, vocabulary and whether it is
// required; the kinds table gives each kind's identity; and the table of what each indicator
// reads is the declaration of core/engine/inputs.cc, code for code. (The document is read from
// the source tree.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/engine/inputs.h"
#include "core/schema.h"

namespace govqm {
namespace {

std::vector<std::string> Lines() {
  std::ifstream in(std::string(GOVQM_SOURCE_DIR) + "/docs/INPUTS.md");
  EXPECT_TRUE(in.good()) << "docs/INPUTS.md not found";
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The cells of a table row "| a | b |" (a "\|" inside a cell is not a separator).
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cur;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cur += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += line[i];
    }
  }
  return cells;
}

std::string Unquote(const std::string& cell) {
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
    return cell.substr(1, cell.size() - 2);
  }
  return cell;
}

// The data rows ("| `…") of the first table after the heading `heading`.
std::vector<std::vector<std::string>> TableAfter(const std::vector<std::string>& lines,
                                                 const std::string& heading) {
  std::vector<std::vector<std::string>> rows;
  size_t i = 0;
  while (i < lines.size() && lines[i] != heading) ++i;
  EXPECT_LT(i, lines.size()) << "no heading '" << heading << "'";
  for (++i; i < lines.size() && lines[i].rfind("| ", 0) != 0; ++i) {
    if (lines[i].rfind("#", 0) == 0) return rows;  // the next section: no table here
  }
  for (; i < lines.size() && lines[i].rfind("|", 0) == 0; ++i) {
    if (lines[i].rfind("| `", 0) == 0) rows.push_back(Cells(lines[i]));
  }
  return rows;
}

std::string TypeText(const ColumnDef& cd) {
  switch (cd.type) {
    case ColumnType::kCode: return "code";
    case ColumnType::kText: return "text";
    case ColumnType::kTime: return "time";
    case ColumnType::kInt: return "integer";
    case ColumnType::kReal: return "number";
    case ColumnType::kBool: return "boolean";
    case ColumnType::kEnum: {
      std::string s = "enum: ";
      for (size_t i = 0; i < cd.vocab.size(); ++i) {
        s += (i ? ", `" : "`") + std::string(cd.vocab[i]) + "`";
      }
      return s;
    }
  }
  return "";
}

TEST(InputsDoc, EveryKindsColumnsWithTypeAndRequired) {
  const std::vector<std::string> lines = Lines();
  for (int k = 0; k < kKindCount; ++k) {
    const KindDef& def = GetKindDef(static_cast<Kind>(k));
    const auto rows = TableAfter(lines, "## " + std::string(def.name));
    ASSERT_EQ(rows.size(), def.columns.size()) << def.name << ": one row per column";
    for (size_t c = 0; c < rows.size(); ++c) {
      const ColumnDef& cd = def.columns[c];
      ASSERT_GE(rows[c].size(), 4u) << def.name << " row " << c;
      EXPECT_EQ(Unquote(rows[c][0]), cd.name) << def.name << ": column " << c;
      EXPECT_EQ(rows[c][1], TypeText(cd)) << def.name << "." << cd.name;
      EXPECT_EQ(rows[c][2], cd.required ? "yes" : "") << def.name << "." << cd.name;
    }
  }
}

TEST(InputsDoc, EveryKindsIdentity) {
  const auto rows = TableAfter(Lines(), "## Kinds");
  ASSERT_EQ(rows.size(), static_cast<size_t>(kKindCount));
  for (int k = 0; k < kKindCount; ++k) {
    const KindDef& def = GetKindDef(static_cast<Kind>(k));
    ASSERT_EQ(rows[k].size(), 3u);
    EXPECT_EQ(Unquote(rows[k][0]), def.name);
    std::string identity;
    for (size_t i = 0; i < def.identity.size(); ++i) {
      identity += (i ? ", `" : "`") + std::string(def.columns[def.identity[i]].name) + "`";
    }
    EXPECT_EQ(rows[k][2], identity) << def.name;
  }
}

TEST(InputsDoc, WhatEachIndicatorReadsIsTheDeclaration) {
  const auto rows = TableAfter(Lines(), "### What each indicator reads");
  const auto inputs = AllIndicatorInputs();
  ASSERT_EQ(rows.size(), inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 2u);
    EXPECT_EQ(Unquote(rows[i][0]), inputs[i].code);
    std::string reads;
    for (size_t k = 0; k < inputs[i].reads.size(); ++k) {
      const KindColumns& kc = inputs[i].reads[k];
      reads += (k ? "; " : "") + std::string(GetKindDef(kc.kind).name) + ":";
      for (size_t c = 0; c < kc.columns.size(); ++c) {
        reads += (c ? ", " : " ") + std::string(kc.columns[c]);
      }
    }
    EXPECT_EQ(rows[i][1], reads) << inputs[i].code;
  }
}

}  // namespace
}  // namespace govqm

#include "ingest/ndjson_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace govqm {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Row {
  int64_t line;
  Fields fields;
  bool failed;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  os << "line " << r.line << (r.failed ? " (error)" : "") << ":";
  for (const auto& [k, v] : r.fields) os << " " << k << "=[" << v << "]";
  return os;
}

std::vector<Row> ReadAll(std::string_view text) {
  NdjsonReader reader(text);
  JsonRecord rec;
  std::vector<Row> rows;
  while (reader.Next(&rec)) {
    Fields f;
    for (const auto& [k, v] : rec.fields) f.emplace_back(k, v);
    rows.push_back({rec.line, f, !rec.error.empty()});
  }
  return rows;
}

TEST(NdjsonReaderTest, ValueTypes) {
  const auto rows = ReadAll(
      R"({"s":"a\"b\u4e2d","n":-1.50e3,"i":42,"t":true,"f":false,"z":null,)"
      R"("o":{"k":[1,2]},"a":[1, {"x":2}] , "sp":"  x "})"
      "\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (Row{1,
                          {{"s", "a\"b\xe4\xb8\xad"},
                           {"n", "-1.50e3"},
                           {"i", "42"},
                           {"t", "true"},
                           {"f", "false"},
                           {"z", ""},
                           {"o", R"({"k":[1,2]})"},
                           {"a", R"([1, {"x":2}])"},
                           {"sp", "  x "}},
                          false}));
}

TEST(NdjsonReaderTest, EscapedKeysAndEmptyObject) {
  EXPECT_EQ(ReadAll("{\"a\\u0062\" : 1 }\n{}\n"),
            (std::vector<Row>{{1, {{"ab", "1"}}, false}, {2, {}, false}}));
}

TEST(NdjsonReaderTest, BadLinesAreRejectedAndReadingContinues) {
  const auto rows = ReadAll("{\"a\":1}\n{\"a\":\n\n[1,2]\n{\"a\":2}\n");
  EXPECT_EQ(rows, (std::vector<Row>{{1, {{"a", "1"}}, false},
                                    {2, {}, true},
                                    {4, {}, true},
                                    {5, {{"a", "2"}}, false}}));
}

TEST(NdjsonReaderTest, ErrorText) {
  NdjsonReader reader("[1]\n\"x\"\n{\"a\":1} {\"b\":2}\n{\"a\":01}\n{\"a\":tru}\n{\"a\":1,}\n");
  JsonRecord rec;
  for (int64_t line = 1; line <= 6; ++line) {
    ASSERT_TRUE(reader.Next(&rec));
    EXPECT_EQ(rec.line, line);
    EXPECT_FALSE(rec.error.empty()) << line;
    EXPECT_TRUE(rec.fields.empty()) << line;
  }
  EXPECT_FALSE(reader.Next(&rec));
  NdjsonReader first("[1]\n");
  ASSERT_TRUE(first.Next(&rec));
  EXPECT_EQ(rec.error, "not a JSON object");
}

TEST(NdjsonReaderTest, LineEndingsAndBlankLines) {
  EXPECT_EQ(ReadAll("\r\n  \n{\"a\":\"x\"}\r\n\t\n{\"a\":\"y\"}"),
            (std::vector<Row>{{3, {{"a", "x"}}, false}, {5, {{"a", "y"}}, false}}));
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\n\n").empty());
}

TEST(NdjsonReaderTest, ViewsSurviveUntilNextCall) {
  // Many string fields: every view must still hold its value after the whole line is read.
  std::string line = "{";
  Fields expected;
  for (int i = 0; i < 50; ++i) {
    const std::string k = "k" + std::to_string(i);
    const std::string v = std::string(i + 1, 'v') + "\\n";
    line += (i ? "," : "") + ("\"" + k + "\":\"" + v + "\"");
    expected.emplace_back(k, std::string(i + 1, 'v') + "\n");
  }
  line += "}\n";
  const auto rows = ReadAll(line);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, expected);
}

}  // namespace
}  // namespace govqm

#include "ingest/csv_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace govqm {
namespace {

struct Row {
  int64_t line;
  std::vector<std::string> fields;
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  os << "line " << r.line << ":";
  for (const auto& f : r.fields) os << " [" << f << "]";
  return os;
}

// All records of `text`; *error receives the reader's final status.
std::vector<Row> ReadAll(std::string_view text, Status* error = nullptr) {
  CsvReader reader(text);
  CsvRecord rec;
  Status st;
  std::vector<Row> rows;
  while (reader.Next(&rec, &st)) {
    rows.push_back({rec.line, std::vector<std::string>(rec.fields.begin(), rec.fields.end())});
  }
  if (error != nullptr) *error = st;
  EXPECT_TRUE(error != nullptr || st.ok()) << st.message();
  return rows;
}

TEST(CsvReaderTest, PlainRecords) {
  EXPECT_EQ(ReadAll("a,b,c\n1,2,3\n"),
            (std::vector<Row>{{1, {"a", "b", "c"}}, {2, {"1", "2", "3"}}}));
}

TEST(CsvReaderTest, EmptyInput) {
  Status st;
  EXPECT_TRUE(ReadAll("", &st).empty());
  EXPECT_TRUE(st.ok());
  EXPECT_TRUE(ReadAll("\n\r\n\n", &st).empty());
  EXPECT_TRUE(st.ok());
}

TEST(CsvReaderTest, QuotedFields) {
  EXPECT_EQ(ReadAll("x,\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n"),
            (std::vector<Row>{{1, {"x", "a,b", "say \"hi\"", "", "\""}}}));
}

TEST(CsvReaderTest, EmbeddedLineBreaksKeepLineNumbers) {
  EXPECT_EQ(ReadAll("id,note\r\n1,\"line1\r\nline2\"\r\n2,plain\r\n"),
            (std::vector<Row>{
                {1, {"id", "note"}}, {2, {"1", "line1\r\nline2"}}, {4, {"2", "plain"}}}));
  EXPECT_EQ(ReadAll("h\n\"a\nb\nc\"\nnext\n"),
            (std::vector<Row>{{1, {"h"}}, {2, {"a\nb\nc"}}, {5, {"next"}}}));
  // A lone CR inside quotes is a line break too; so is one right before an escaped quote.
  EXPECT_EQ(ReadAll("\"a\rb\r\"\"\"\nz\n"),
            (std::vector<Row>{{1, {"a\rb\r\""}}, {4, {"z"}}}));
}

TEST(CsvReaderTest, LineEndingsEmptyLinesAndNoFinalNewline) {
  EXPECT_EQ(ReadAll("a\n\n\nb\r\n\r\nc"),
            (std::vector<Row>{{1, {"a"}}, {4, {"b"}}, {6, {"c"}}}));
  EXPECT_EQ(ReadAll("a\rb\rc\r"), (std::vector<Row>{{1, {"a"}}, {2, {"b"}}, {3, {"c"}}}));
  EXPECT_EQ(ReadAll("a,b"), (std::vector<Row>{{1, {"a", "b"}}}));
  EXPECT_EQ(ReadAll("\"a\",\"b\""), (std::vector<Row>{{1, {"a", "b"}}}));
}

TEST(CsvReaderTest, EmptyFields) {
  EXPECT_EQ(ReadAll("a,\n,\n,,x\n"),
            (std::vector<Row>{{1, {"a", ""}}, {2, {"", ""}}, {3, {"", "", "x"}}}));
  // A line holding only "" is a record with one empty field, not an empty line.
  EXPECT_EQ(ReadAll("\"\"\n \n"), (std::vector<Row>{{1, {""}}, {2, {" "}}}));
}

TEST(CsvReaderTest, StrayQuotesAreLiteral) {
  EXPECT_EQ(ReadAll("ab\"c,d\"\n"), (std::vector<Row>{{1, {"ab\"c", "d\""}}}));
  EXPECT_EQ(ReadAll("\"ab\"cd,e\n"), (std::vector<Row>{{1, {"abcd", "e"}}}));
  EXPECT_EQ(ReadAll("\"a\"\"b\"c\"d,e\n"), (std::vector<Row>{{1, {"a\"bc\"d", "e"}}}));
}

TEST(CsvReaderTest, SkipsBom) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFid\n1\n"), (std::vector<Row>{{1, {"id"}}, {2, {"1"}}}));
}

TEST(CsvReaderTest, UnterminatedQuote) {
  CsvReader reader("a,b\n1,\"abc\n2,3\n");
  CsvRecord rec;
  Status st;
  ASSERT_TRUE(reader.Next(&rec, &st));
  EXPECT_FALSE(reader.Next(&rec, &st));
  EXPECT_EQ(st.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(st.message(), "line 2: unterminated quoted field");
  Status again;
  EXPECT_FALSE(reader.Next(&rec, &again));
  EXPECT_TRUE(again.ok());
}

TEST(CsvReaderTest, UnquotedFieldsAreViewsIntoTheText) {
  const std::string text = "abc,\"de\",\"f\"\"g\"\n";
  CsvReader reader(text);
  CsvRecord rec;
  Status st;
  ASSERT_TRUE(reader.Next(&rec, &st));
  ASSERT_EQ(rec.fields.size(), 3u);
  EXPECT_EQ(rec.fields[0].data(), text.data());
  EXPECT_EQ(rec.fields[1].data(), text.data() + 5);
  EXPECT_EQ(rec.fields[2], "f\"g");
}

TEST(CsvReaderTest, ManyEscapedFieldsInOneRecord) {
  // Enough escaped text to make the scratch buffer grow while the record is read.
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    const std::string body(100 + i, static_cast<char>('a' + i % 26));
    text += (i ? "," : "") + ("\"" + body + "\"\"\"");
    expected.push_back(body + "\"");
  }
  text += "\nlast\n";
  const auto rows = ReadAll(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, expected);
  EXPECT_EQ(rows[1], (Row{2, {"last"}}));
}

TEST(CsvReaderTest, HugeFields) {
  // 5,000,000 bytes with a newline every 1000: 5000 line breaks inside one quoted field.
  std::string body(5'000'000, 'y');
  for (size_t i = 999; i < body.size(); i += 1000) body[i] = '\n';
  const std::string text = "\"" + body + "\"," + std::string(5'000'000, 'x') + "\nz\n";
  const auto rows = ReadAll(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 1);
  ASSERT_EQ(rows[0].fields.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], body);
  EXPECT_EQ(rows[0].fields[1].size(), 5'000'000u);
  EXPECT_EQ(rows[1], (Row{5002, {"z"}}));
}

}  // namespace
}  // namespace govqm

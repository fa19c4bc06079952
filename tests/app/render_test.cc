// The one CSV writer, JSON writer and table printer, on values worked out by hand.
#include <gtest/gtest.h>

#include "app/render/csv.h"
#include "app/render/json.h"
#include "app/render/table.h"
#include "app/render/text.h"

namespace govqm::render {
namespace {

TEST(CsvWriter, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(""), "");
  std::string out;
  AppendCsvRow(&out, {"450100", "南宁市", "a,b", ""});
  EXPECT_EQ(out, "450100,南宁市,\"a,b\",\n");
}

TEST(JsonWriter, EscapesAndNumbersReadBack) {
  EXPECT_EQ(JsonString("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(JsonString("非常高"), "\"非常高\"");
  EXPECT_EQ(NumberText(0.1), "0.1");
  EXPECT_EQ(NumberText(12), "12");
  EXPECT_EQ(NumberText(1e-9), "1e-09");
  EXPECT_EQ(NumberText(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(JsonNumber(std::nullopt), "null");
  EXPECT_EQ(JsonStrings({"a", "b"}), "[\"a\",\"b\"]");
  EXPECT_EQ(JsonStrings({}), "[]");
}

// Found by fuzz_api: an error echoing a query parameter of raw bytes was not valid JSON.
TEST(JsonWriter, RegressionBytesThatAreNotUtf8BecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(JsonString("a\xFF" "b"), "\"a" + fffd + "b\"");
  // A lead byte without its continuation, a lone continuation byte, an overlong '/' (C0 AF),
  // a surrogate (ED A0 80), a code point above U+10FFFF (F4 90 80 80): one U+FFFD per byte.
  EXPECT_EQ(JsonString("\xE4\xB8"), "\"" + fffd + fffd + "\"");
  EXPECT_EQ(JsonString("\x80"), "\"" + fffd + "\"");
  EXPECT_EQ(JsonString("\xC0\xAF"), "\"" + fffd + fffd + "\"");
  EXPECT_EQ(JsonString("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");
  EXPECT_EQ(JsonString("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");
  // Well-formed sequences of each length, and the extremes, are kept as they are.
  EXPECT_EQ(JsonString("\xC2\x80\xE4\xB8\xAD\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"),
            "\"\xC2\x80\xE4\xB8\xAD\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"");
  // A truncated sequence at the end, then nothing more.
  EXPECT_EQ(JsonString("x\xF0\x9F\x98"), "\"x" + fffd + fffd + fffd + "\"");
}

TEST(TablePrinter, PadsByDisplayWidth) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("南宁"), 4u);  // two columns a CJK character
  EXPECT_EQ(DisplayWidth("·"), 1u);     // U+00B7 is narrow
  // Widths: column 1 max(4, 2) = 4; column 2 max(1, 3) = 3. First left, second right.
  const std::string t = RenderTable({{"南宁", "1"}, {"ab", "100"}}, {.left_columns = 1});
  EXPECT_EQ(t, "南宁    1\nab    100\n");
  // Trailing padding kept or trimmed: "a" + two spaces between + "" right-aligned in 2.
  EXPECT_EQ(RenderTable({{"a", ""}, {"b", "xy"}}, {.left_columns = 1, .trim_trailing = false}),
            "a    \nb  xy\n");
  EXPECT_EQ(RenderTable({{"a", ""}, {"b", "xy"}}, {.left_columns = 2}), "a\nb  xy\n");
}

TEST(TextWriter, AppendsWhatPrintfWouldWrite) {
  std::string out = "x";
  Appendf(&out, " %-5s|%3zu|%.2f", "ab", size_t{7}, 2.5);
  EXPECT_EQ(out, "x ab   |  7|2.50");
  std::string long_text(1000, 'z');
  std::string big;
  Appendf(&big, "%s!", long_text.c_str());
  EXPECT_EQ(big, long_text + "!");
}

}  // namespace
}  // namespace govqm::render

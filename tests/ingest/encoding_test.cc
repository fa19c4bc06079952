#include "ingest/encoding.h"

#include <optional>

#include <gtest/gtest.h>

namespace govqm {
namespace {

TEST(ToUtf8Test, Utf8PassesThrough) {
  auto r = ToUtf8("id,name\n1,\xe4\xb8\xad\xe6\x96\x87\n", "a.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "UTF-8");
  EXPECT_EQ(r->text, "id,name\n1,\xe4\xb8\xad\xe6\x96\x87\n");
}

TEST(ToUtf8Test, StripsBom) {
  auto r = ToUtf8("\xEF\xBB\xBFid\n1\n", "a.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encoding, "UTF-8");
  EXPECT_EQ(r->text, "id\n1\n");
}

TEST(ToUtf8Test, EmptyInput) {
  auto r = ToUtf8("", "a.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "");
  EXPECT_EQ(r->encoding, "UTF-8");
}

TEST(ToUtf8Test, ConvertsGbk) {
  // 中文 in GBK is D6 D0 CE C4; in UTF-8 E4 B8 AD E6 96 87.
  auto r = ToUtf8("id,name\n1,\xd6\xd0\xce\xc4\n", "gbk.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->text, "id,name\n1,\xe4\xb8\xad\xe6\x96\x87\n");
}

TEST(ToUtf8Test, ConvertsGb18030FourByteSequences) {
  // 81 30 81 30 = U+0080 (UTF-8 C2 80); 90 30 81 30 = U+10000 (UTF-8 F0 90 80 80);
  // 84 31 95 33 at the start is a GB18030 byte-order mark, dropped.
  auto r = ToUtf8("\x84\x31\x95\x33" "a\x81\x30\x81\x30" "b\x90\x30\x81\x30" "c", "x.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->text, "a\xc2\x80" "b\xf0\x90\x80\x80" "c");
}

TEST(ToUtf8Test, LongGbkTextSurvivesChunking) {
  // More than one conversion chunk (16 Ki UTF-16 units), including supplementary characters
  // that may straddle a chunk boundary.
  std::string gbk;
  std::string utf8;
  for (int i = 0; i < 20000; ++i) {
    gbk += "\xd6\xd0\x90\x30\x81\x30";
    utf8 += "\xe4\xb8\xad\xf0\x90\x80\x80";
  }
  auto r = ToUtf8(gbk, "big.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, utf8);
}

TEST(ToUtf8Test, RefusesBytesThatAreNeither) {
  auto r = ToUtf8("a,b\n1,2\n\xff\xfe,3\n", "bad.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(),
            "bad.csv:3: not valid UTF-8 (byte 0xFF); if the file is GB18030/GBK or Latin-1, "
            "pass --encoding");
}

TEST(ToUtf8Test, RefusesTruncatedGbk) {
  auto r = ToUtf8("a\n\xd6\xd0\xce", "cut.csv");
  ASSERT_FALSE(r.ok());
  // D6 D0 is 中; the CE after it starts a character the file cuts off. Detection names the
  // first byte that is not UTF-8 (D6); told GB18030, the reader names the cut one.
  EXPECT_EQ(r.status().message(),
            "cut.csv:2: not valid UTF-8 (byte 0xD6); if the file is GB18030/GBK or Latin-1, "
            "pass --encoding");
  auto told = ToUtf8("a\n\xd6\xd0\xce", "cut.csv", Encoding::kGb18030);
  ASSERT_FALSE(told.ok());
  EXPECT_EQ(told.status().message(), "cut.csv:2: not valid GB18030 (byte 0xCE)");
}

TEST(ToUtf8Test, CorruptUtf8IsNotReadAsGb18030) {
  // Ten UTF-8 characters (名称 x5), then a stray 0x81 0x61 that GB18030 would happily accept.
  std::string text;
  for (int i = 0; i < 5; ++i) text += "\xe5\x90\x8d\xe7\xa7\xb0";
  text += "\nok\n\x81\x61\n";
  auto r = ToUtf8(text, "mixed.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "mixed.csv:3: not valid UTF-8 (byte 0x81); if the file is GB18030/GBK or Latin-1, "
            "pass --encoding");
}

// Regression (issue 8): a stray byte before the first Chinese character of a UTF-8 file made
// the whole file "GB18030": 0x81 E5 | 8D 97 | E5 AE ... all decode, as 佸崡瀹佸競.
TEST(ToUtf8Test, Utf8WithOneStrayByteIsRefusedNotConverted) {
  // "1,\x81" then 南宁市柳州 in UTF-8 (E5 8D 97, E5 AE 81, E5 B8 82, E6 9F B3, E5 B7 9E).
  const std::string text =
      "id,name\n1,\x81\xe5\x8d\x97\xe5\xae\x81\xe5\xb8\x82\xe6\x9f\xb3\xe5\xb7\x9e\n";
  auto r = ToUtf8(text, "stray.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(),
            "stray.csv:2: not valid UTF-8 (byte 0x81); if the file is GB18030/GBK or Latin-1, "
            "pass --encoding");
}

// Regression (issue 8): Latin-1 accents before an ASCII letter are valid GBK pairs
// (FC 6C, E9 73), so "Müller" and "cafés" used to load as "M黮ler" and "caf閟".
TEST(ToUtf8Test, Latin1IsNotTakenAsGb18030) {
  auto r = ToUtf8("name\nM\xfcller\ncaf\xe9s\n", "latin.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "latin.csv:2: not valid UTF-8 (byte 0xFC); if the file is GB18030/GBK or Latin-1, "
            "pass --encoding");
}

TEST(ToUtf8Test, Latin1WhenTold) {
  // ü = U+00FC (C3 BC), é = U+00E9 (C3 A9); 0x80 is € (U+20AC, E2 82 AC) as in Windows-1252;
  // 0x81, undefined there, stays U+0081 (C2 81).
  auto r = ToUtf8("M\xfcller,caf\xe9s,\x80,\x81", "latin.csv", Encoding::kLatin1);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "Latin-1");
  EXPECT_EQ(r->text, "M\xc3\xbcller,caf\xc3\xa9s,\xe2\x82\xac,\xc2\x81");
}

TEST(ToUtf8Test, Gb18030WhenTold) {
  // 名称 = C3FB B3C6 in GBK; 名 = E5 90 8D, 称 = E7 A7 B0 in UTF-8.
  auto r = ToUtf8("\xc3\xfb\xb3\xc6", "g.csv", Encoding::kGb18030);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->text, "\xe5\x90\x8d\xe7\xa7\xb0");
}

TEST(ToUtf8Test, Utf8WhenToldRefusesGbk) {
  auto r = ToUtf8("id\n\xd6\xd0\xce\xc4\n", "u.csv", Encoding::kUtf8);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "u.csv:2: not valid UTF-8 (byte 0xD6); if the file is GB18030/GBK or Latin-1, "
            "pass --encoding");
}

TEST(ToUtf8Test, DetectsGbkCsv) {
  // 南宁市 = C4CF C4FE CAD0, 柳州 = C1F8 D6DD: all in the GB2312 rows, none valid UTF-8.
  auto r = ToUtf8("code,name\n450100,\xc4\xcf\xc4\xfe\xca\xd0\n450200,\xc1\xf8\xd6\xdd\n",
                  "gbk.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->encoding, "GB18030");
  EXPECT_EQ(r->text,
            "code,name\n450100,\xe5\x8d\x97\xe5\xae\x81\xe5\xb8\x82\n"
            "450200,\xe6\x9f\xb3\xe5\xb7\x9e\n");
}

TEST(ParseEncodingNameTest, Names) {
  struct Case {
    const char* name;
    std::optional<Encoding> want;
  };
  const Case cases[] = {
      {"auto", Encoding::kAuto},      {"utf-8", Encoding::kUtf8},     {"UTF8", Encoding::kUtf8},
      {"gb18030", Encoding::kGb18030}, {"GBK", Encoding::kGb18030},   {"latin1", Encoding::kLatin1},
      {"ISO-8859-1", Encoding::kLatin1}, {"utf-16", std::nullopt},    {"", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseEncodingName(c.name), c.want) << c.name;
}

}  // namespace
}  // namespace govqm

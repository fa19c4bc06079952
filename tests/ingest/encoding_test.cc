#include "ingest/encoding.h"

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
  EXPECT_EQ(r.status().message(), "bad.csv: not UTF-8 or GB18030 (invalid byte at line 3)");
}

TEST(ToUtf8Test, RefusesTruncatedGbk) {
  auto r = ToUtf8("a\n\xd6\xd0\xce", "cut.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cut.csv: not UTF-8 or GB18030 (invalid byte at line 2)");
}

TEST(ToUtf8Test, CorruptUtf8IsNotReadAsGb18030) {
  // Ten UTF-8 characters (名称 x5), then a stray 0x81 0x61 that GB18030 would happily accept.
  std::string text;
  for (int i = 0; i < 5; ++i) text += "\xe5\x90\x8d\xe7\xa7\xb0";
  text += "\nok\n\x81\x61\n";
  auto r = ToUtf8(text, "mixed.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "mixed.csv: not UTF-8 or GB18030 (invalid byte at line 3)");
}

}  // namespace
}  // namespace govqm

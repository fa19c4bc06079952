#include "ingest/value_parse.h"

#include <gtest/gtest.h>

namespace govqm {
namespace {

TEST(TrimAsciiTest, TrimsBothEnds) {
  EXPECT_EQ(TrimAscii("  a b \t\r\n"), "a b");
  EXPECT_EQ(TrimAscii("   "), "");
  EXPECT_EQ(TrimAscii(""), "");
  EXPECT_EQ(TrimAscii("x"), "x");
}

TEST(ParseBoolTest, AcceptsEveryListedSpelling) {
  const char* truthy[] = {"true", "TRUE", "True", "1", "yes", "YES", "y", "Y", "t", "T",
                          "\xe6\x98\xaf", " yes "};
  const char* falsy[] = {"false", "FALSE", "0", "no", "No", "n", "N", "f", "F", "\xe5\x90\xa6",
                         "\tfalse\t"};
  for (const char* s : truthy) {
    int8_t v = -1;
    EXPECT_TRUE(ParseBool(s, &v)) << s;
    EXPECT_EQ(v, 1) << s;
  }
  for (const char* s : falsy) {
    int8_t v = -1;
    EXPECT_TRUE(ParseBool(s, &v)) << s;
    EXPECT_EQ(v, 0) << s;
  }
}

TEST(ParseBoolTest, RejectsOthers) {
  for (const char* s :
       {"", " ", "2", "tru", "yess", "on", "off", "-1", "\xe6\x98\xaf\xe7\x9a\x84"}) {
    int8_t v = 7;
    EXPECT_FALSE(ParseBool(s, &v)) << s;
    EXPECT_EQ(v, 7);
  }
}

TEST(ParseInt32Test, Accepts) {
  int32_t v = 0;
  EXPECT_TRUE(ParseInt32("42", &v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(ParseInt32(" -17 ", &v));
  EXPECT_EQ(v, -17);
  EXPECT_TRUE(ParseInt32("+5", &v));
  EXPECT_EQ(v, 5);
  EXPECT_TRUE(ParseInt32("3.0", &v));
  EXPECT_EQ(v, 3);
  EXPECT_TRUE(ParseInt32("3.", &v));
  EXPECT_EQ(v, 3);
  EXPECT_TRUE(ParseInt32("-0.000", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(ParseInt32("2147483647", &v));
  EXPECT_EQ(v, 2147483647);
  EXPECT_TRUE(ParseInt32("-2147483648", &v));
  EXPECT_EQ(v, -2147483647 - 1);
  EXPECT_TRUE(ParseInt32("007", &v));
  EXPECT_EQ(v, 7);
}

TEST(ParseInt32Test, Rejects) {
  for (const char* s : {"", " ", "+", "-", "3.5", "3.01", "2147483648", "-2147483649",
                        "99999999999999999999", "1e3", "abc", "12a", "1 2", ".0", "+-1", "0x10",
                        "1,000"}) {
    int32_t v = 99;
    EXPECT_FALSE(ParseInt32(s, &v)) << s;
    EXPECT_EQ(v, 99);
  }
}

TEST(ParseRealTest, Accepts) {
  double v = 0;
  EXPECT_TRUE(ParseReal("1.5", &v));
  EXPECT_EQ(v, 1.5);
  EXPECT_TRUE(ParseReal(" -2.25 ", &v));
  EXPECT_EQ(v, -2.25);
  EXPECT_TRUE(ParseReal("+3", &v));
  EXPECT_EQ(v, 3.0);
  EXPECT_TRUE(ParseReal("1e3", &v));
  EXPECT_EQ(v, 1000.0);
  EXPECT_TRUE(ParseReal(".5", &v));
  EXPECT_EQ(v, 0.5);
  EXPECT_TRUE(ParseReal("0", &v));
  EXPECT_EQ(v, 0.0);
}

TEST(ParseRealTest, Rejects) {
  for (const char* s : {"", "  ", "inf", "-inf", "nan", "NaN", "infinity", "1e999", "1.5x",
                        "abc", "+-1", "1 2", "0x1p3", "1,5"}) {
    double v = 9;
    EXPECT_FALSE(ParseReal(s, &v)) << s;
    EXPECT_EQ(v, 9);
  }
}

}  // namespace
}  // namespace govqm

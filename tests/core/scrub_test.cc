#include "core/scrub.h"

#include <gtest/gtest.h>

namespace govqm {
namespace {

TEST(Scrub, IdentityNumbers) {
  EXPECT_EQ(ScrubPersonalData("身份证11010519491231002X已提交"), "身份证***已提交");
  EXPECT_EQ(ScrubPersonalData("id 110105194912310021."), "id ***.");
  EXPECT_EQ(ScrubPersonalData("11010519491231002x"), "***");
}

TEST(Scrub, MobileNumbers) {
  EXPECT_EQ(ScrubPersonalData("请回电13812345678谢谢"), "请回电***谢谢");
  EXPECT_EQ(ScrubPersonalData("+86 139-1234-5678"), "+***");  // the country code goes too
  // Full-width digits are digits too.
  EXPECT_EQ(ScrubPersonalData("电话１３８１２３４５６７８"), "电话***");
  // 12 is not a mobile prefix, and 11 digits starting 12 hold no landline either.
  EXPECT_EQ(ScrubPersonalData("编号12345678901"), "编号12345678901");
}

TEST(Scrub, Landlines) {
  EXPECT_EQ(ScrubPersonalData("拨打010-12345678"), "拨打***");
  EXPECT_EQ(ScrubPersonalData("拨打0571-8765432转"), "拨打***转");
  EXPECT_EQ(ScrubPersonalData("tel 02112345678"), "tel ***");
}

TEST(Scrub, Emails) {
  EXPECT_EQ(ScrubPersonalData("mail zhang.san+gov@example.com.cn now"), "mail *** now");
  EXPECT_EQ(ScrubPersonalData("写信给a_b@x.org。"), "写信给***。");
  EXPECT_EQ(ScrubPersonalData("at @ sign, a@b, x@y.z"), "at @ sign, a@b, x@y.z");
}

TEST(Scrub, LeavesOrdinaryTextAlone) {
  const std::string ordinary = "2024-01-15 办理了3次，等了45分钟，窗口7号。Score 5/5.";
  EXPECT_EQ(ScrubPersonalData(ordinary), ordinary);
  EXPECT_TRUE(HasNoPersonalData(ordinary));
  EXPECT_FALSE(HasNoPersonalData("13912345678"));
  EXPECT_EQ(ScrubPersonalData(""), "");
}

}  // namespace
}  // namespace govqm

// NormaliseContact: the digits of a mainland phone number, or nothing. Each expected value is
// the input's digits written out by hand.
#include "core/contact.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace govqm {
namespace {

TEST(NormaliseContactTest, Valid) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"13912345678", "13912345678"},
      {"139-1234-5678", "13912345678"},
      {" 139 1234 5678 ", "13912345678"},
      {"(0771) 555-1234", "07715551234"},  // a 4-digit area code, 7 digits
      {"010-12345678", "01012345678"},     // a 3-digit area code, 8 digits
      {"0771.5551234", "07715551234"},
      {"+86 139 1234 5678", "13912345678"},
      {"8613912345678", "13912345678"},  // 86 before a mobile
      {"0086 13912345678", "13912345678"},
      {"+86 771 5551234", "07715551234"},  // the area code's 0 given back
      {"+86-10-12345678", "01012345678"},
      {"\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x99"
       "12345678",
       "13912345678"},  // full-width １３９
  };
  for (const auto& [in, want] : cases) {
    const std::optional<std::string> got = NormaliseContact(in);
    ASSERT_TRUE(got.has_value()) << in;
    EXPECT_EQ(*got, want) << in;
  }
}

TEST(NormaliseContactTest, Invalid) {
  for (const std::string in : {
           "12345",             // too short
           "12912345678",       // 1 then 2: no mobile
           "139123456789",      // 12 digits starting with 1
           "00771555123456",    // 14 digits
           "0012345678",        // 00: an international prefix, no area code
           "139-1234-567x",     // a letter
           "call 13912345678",  // words around it
           "+1 212 555 0100",   // another country
           "139+12345678",      // a plus inside
           "",
       }) {
    EXPECT_FALSE(NormaliseContact(in).has_value()) << in;
  }
  // The shortest landline: 0, a 2-digit area code, 7 digits (10 in all); 9 is too few.
  EXPECT_EQ(NormaliseContact("020-1234567"), std::optional<std::string>("0201234567"));
  EXPECT_FALSE(NormaliseContact("020-123456").has_value());
}

}  // namespace
}  // namespace govqm

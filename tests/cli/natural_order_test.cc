// Through the program: groups in natural order (R2 before R10), indicators in --only's order,
// in the CSV, the JSON and the table alike. Counts by hand: one transaction per region.
#include <gtest/gtest.h>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class NaturalOrderTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init").exit_code, 0);
    Write("regions.csv", "code,name\nR10,Ten\nR2,Two\nR1,One\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    Write("tx.csv",
          "id,region_code,channel,submitted_at,status\n"
          "a,R10,web,2024-03-01 09:00,in_progress\n"
          "b,R2,web,2024-03-01 09:00,in_progress\n"
          "c,R1,hall,2024-03-01 09:00,in_progress\n");
    ASSERT_EQ(Run("import transactions tx.csv").exit_code, 0);
  }
  static constexpr const char* kArgs =
      "indicators --from 2024-03-01 --to 2024-04-01 --by region --only online_rate,volume";
};

TEST_F(NaturalOrderTest, CsvJsonAndTable) {
  RunResult r = Run(kArgs);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "region,indicator,value\n"
            "R1,online_rate,0\n"
            "R1,volume,1\n"
            "R2,online_rate,1\n"
            "R2,volume,1\n"
            "R10,online_rate,1\n"
            "R10,volume,1\n");
  r = Run(std::string(kArgs) + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "[\n"
            "{\"region\":\"R1\",\"indicator\":\"online_rate\",\"value\":0},\n"
            "{\"region\":\"R1\",\"indicator\":\"volume\",\"value\":1},\n"
            "{\"region\":\"R2\",\"indicator\":\"online_rate\",\"value\":1},\n"
            "{\"region\":\"R2\",\"indicator\":\"volume\",\"value\":1},\n"
            "{\"region\":\"R10\",\"indicator\":\"online_rate\",\"value\":1},\n"
            "{\"region\":\"R10\",\"indicator\":\"volume\",\"value\":1}\n"
            "]\n");
  r = Run(std::string(kArgs) + " --format table");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Widths: the key column 7 ("R10 Ten"), online_rate 11, volume 6; two spaces between,
  // values right-aligned.
  EXPECT_EQ(r.out,
            "region   online_rate  volume\n"
            "R1 One         0.00%       1\n"
            "R2 Two       100.00%       1\n"
            "R10 Ten      100.00%       1\n");
}

}  // namespace
}  // namespace govqm::testing

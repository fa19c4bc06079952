// --timing (import, indicators) prints the phase timings on stderr and changes nothing on
// stdout; the environment switch it replaces (GOVQM_TIMING) is not read any more.
#include <regex>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

TEST_F(CliTest, TimingIsAnOptionOnStderrOnly) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("t.csv",
        "id,region_code,channel,submitted_at,status\nT1,450100,web,2024-03-01T09:00:00+08:00,in_"
        "progress\n");
  RunResult a = Run("import transactions t.csv --json --timing");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_TRUE(std::regex_match(
      a.err, std::regex("timing: parse [0-9.]+ s, write [0-9.]+ s, commit [0-9.]+ s\n")))
      << a.err;
  RunResult b = Run("import transactions t.csv --json");
  EXPECT_EQ(b.err, "");
  // Same summary but for `replaced` (the second import replaces T1).
  EXPECT_EQ(a.out.substr(0, 50), b.out.substr(0, 50));
  RunResult q =
      Run("indicators --from 2024-03-01 --to 2024-04-01 --by region --only volume --timing");
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.out, "region,indicator,value\n450100,volume,1\n");
  EXPECT_EQ(q.err.rfind("timing: load ", 0), 0u) << q.err;
  EXPECT_NE(q.err.find(", 1 transactions\n"), std::string::npos) << q.err;
  RunResult e = Run("--help > /dev/null; GOVQM_TIMING=1 " GOVQM_BINARY
                    " indicators --from 2024-03-01 --to 2024-04-01 --only volume");
  EXPECT_EQ(e.exit_code, 0);
  EXPECT_EQ(e.err, "");
}

}  // namespace
}  // namespace govqm::testing

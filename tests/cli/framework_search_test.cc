// Where the commands find their framework without --framework: the configuration's
// [serve] framework (for a command given --config), then $GOVQM_FRAMEWORK, then the data
// directories (tests/packaging/install_test.sh checks the installed one). A named file that is
// missing is an error that says who named it and --framework FILE.
#include <gtest/gtest.h>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class FrameworkSearchCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init").exit_code, 0);
    Write("regions.csv", "code,name\nR1,One\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    Write("tx.csv",
          "id,region_code,channel,submitted_at,completed_at,due_at,status\n"
          "a,R1,web,2024-03-01 09:00,2024-03-02 09:00,2024-03-05,completed\n");
    ASSERT_EQ(Run("import transactions tx.csv").exit_code, 0);
    Write("fw.toml",
          "[framework]\nname = \"from-the-config\"\nversion = \"1\"\nmin_sample = 0\n"
          "[[stage]]\ncode = \"s\"\n[[dimension]]\ncode = \"d\"\n"
          "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"s/d\"\nfloor = 0\ntarget = 1\n");
  }
  static constexpr const char* kReport =
      "report --from 2024-03-01 --to 2024-04-01 --by region --out r.html";
};

TEST_F(FrameworkSearchCliTest, TheConfigurationsFrameworkForACommandGivenConfig) {
  Write("govqm.toml", "[serve]\nframework = \"fw.toml\"\n");
  RunResult r = Run(std::string(kReport) + " --config govqm.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(Read("r.html").find("from-the-config"), std::string::npos);
  // Named but missing: an error, not the installed default.
  Write("govqm.toml", "[serve]\nframework = \"gone.toml\"\n");
  r = Run(std::string(kReport) + " --config govqm.toml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "govqm report: gone.toml: no such file (named by serve.framework in govqm.toml; give "
            "--framework FILE)\n");
  // --framework wins over the file.
  r = Run(std::string(kReport) + " --config govqm.toml --framework fw.toml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(FrameworkSearchCliTest, AMissingGovqmFrameworkIsAnError) {
  RunResult r = Run("--help >/dev/null; GOVQM_FRAMEWORK=gone.toml " GOVQM_BINARY
                    " score --from 2024-03-01 --to 2024-04-01 --by region");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "govqm score: gone.toml: no such file (named by $GOVQM_FRAMEWORK; give --framework "
            "FILE)\n");
  r = Run("--help >/dev/null; GOVQM_FRAMEWORK=fw.toml " GOVQM_BINARY
          " score --from 2024-03-01 --to 2024-04-01 --by region --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"name\":\"from-the-config\""), std::string::npos) << r.out.substr(0, 300);
}

}  // namespace
}  // namespace govqm::testing

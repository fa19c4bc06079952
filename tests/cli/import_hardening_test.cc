// import, end to end, for the failures of issue 8 (Foundation III): what a user sees.
#include <string>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

constexpr const char* kProbeHeader = "target,checked_at,ok,latency_ms\n";

// Regression (issue 8): a.csv and a.ndjson in one import shared a.rejects.csv.
TEST_F(CliTest, RegressionSameStemInputsGetTheirOwnRejectsFiles) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("a.csv", std::string(kProbeHeader) + "p1,2024-03-01,yes,-5\np2,2024-03-01,yes,1\n");
  Write("a.ndjson", "{\"target\":\"p3\",\"checked_at\":\"2024-03-01\",\"ok\":\"maybe\"}\n");
  Write("a.rejects.csv", "stale\n");  // from an earlier run of a single a.csv
  RunResult r = Run("import probes a.csv a.ndjson --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":3,\"loaded\":1,\"replaced\":0,\"rejected\":2"), std::string::npos)
      << r.out;
  EXPECT_EQ(Read("a.csv.rejects.csv"),
            "target,checked_at,ok,latency_ms,_line,_record,_column,_reason\n"
            "p1,2024-03-01,yes,-5,2,1,latency_ms,negative value: '-5'\n");
  EXPECT_EQ(Read("a.ndjson.rejects.csv"),
            "target,checked_at,ok,_line,_record,_column,_reason\n"
            "p3,2024-03-01,maybe,1,1,ok,not a boolean: 'maybe'\n");
  EXPECT_EQ(Read("a.rejects.csv"), "stale\n");  // not theirs: left alone
  // One input alone keeps the spec's NAME.rejects.csv.
  r = Run("import probes a.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Read("a.rejects.csv"),
            "target,checked_at,ok,latency_ms,_line,_record,_column,_reason\n"
            "p1,2024-03-01,yes,-5,2,1,latency_ms,negative value: '-5'\n");
}

// Regression (issue 8): Latin-1 "Zürich" (FC 72) is a valid GBK pair and loaded as "Z黵ich".
TEST_F(CliTest, RegressionLatin1IsRefusedThenLoadsWithEncoding) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("regions.csv", "code,name\nCH-ZH,Z\xfcrich\n");
  RunResult r = Run("import regions regions.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "govqm import: regions.csv:2: not valid UTF-8 (byte 0xFC); if the file is "
            "GB18030/GBK or Latin-1, pass --encoding\n");
  r = Run("import regions regions.csv --encoding latin1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"encoding\":\"Latin-1\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"loaded\":1"), std::string::npos) << r.out;
  r = Run("import regions regions.csv --encoding utf-16");
  EXPECT_EQ(r.exit_code, 2);
}

// Told GB18030, a GBK file too short to be detected for sure loads (中 = D6 D0).
TEST_F(CliTest, Gb18030WhenTold) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("r.csv", "code,name\n1,\xd6\xd0\n");
  RunResult r = Run("import regions r.csv --encoding gb18030 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"encoding\":\"GB18030\""), std::string::npos) << r.out;
}

// Regression (issue 8): one number simdjson could not hold refused the whole JSON array.
TEST_F(CliTest, RegressionBadNumberRejectsOneJsonElement) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("p.json",
        "[{\"target\":\"a\",\"checked_at\":\"2024-03-01\",\"ok\":true},\n"
        " {\"target\":\"b\",\"checked_at\":\"2024-03-01\",\"ok\":true,\"latency_ms\":1e999999}]\n");
  RunResult r = Run("import probes p.json --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":2,\"loaded\":1,\"replaced\":0,\"rejected\":1"), std::string::npos)
      << r.out;
  EXPECT_EQ(Read("p.rejects.csv"),
            "target,checked_at,ok,latency_ms,_line,_record,_column,_reason\n"
            "b,2024-03-01,true,1e999999,2,2,latency_ms,out of range: '1e999999' (max 1e+300)\n");
}

}  // namespace
}  // namespace govqm::testing

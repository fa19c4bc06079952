// govqm alerts through the real program: a small store of evaluations whose negative rates,
// baseline and CUSUM statistic are worked out by hand below.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class AlertsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init --tz Asia/Shanghai").exit_code, 0);
    Write("regions.csv",
          "code,name,parent_code,macro_region\n"
          "450000,广西,,west\n450100,南宁,450000,\n450200,柳州,450000,\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    // 南宁: four evaluations a day, 2024-03-01 … 03-10. Bad (score 1) per day:
    // 03-01..03-07: 1,0,1,0,1,0,1 (baseline rates .25,0,.25,0,.25,0,.25); 03-08: 4; 03-09: 0;
    // 03-10: 1. 柳州: three evaluations on 03-08, two bad.
    std::string csv = "id,region_code,evaluated_at,score\n";
    const int bad[] = {1, 0, 1, 0, 1, 0, 1, 4, 0, 1};
    int id = 0;
    for (int d = 1; d <= 10; ++d) {
      for (int i = 0; i < 4; ++i) {
        const std::string day = (d < 10 ? "2024-03-0" : "2024-03-") + std::to_string(d);
        csv += "e" + std::to_string(++id) + ",450100," + day + "T1" + std::to_string(i) +
               ":00:00+08:00," + (i < bad[d - 1] ? "1" : "5") + "\n";
      }
    }
    csv += "l1,450200,2024-03-08T10:00:00+08:00,1\nl2,450200,2024-03-08T11:00:00+08:00,2\n"
           "l3,450200,2024-03-08T12:00:00+08:00,5\n";
    Write("ev.csv", csv);
    ASSERT_EQ(Run("import evaluations ev.csv").exit_code, 0);
    Write("rules.toml",
          "[[rule]]\ncode = \"neg_high\"\nindicator = \"negative_rate\"\nby = \"city\"\n"
          "above = 0.3\nmin_sample = 4\n"
          "[[control]]\ncode = \"neg_cusum\"\nindicator = \"negative_rate\"\nby = \"city\"\n"
          "method = \"cusum\"\nbaseline_days = 7\nmin_sample = 4\n");
  }
};

TEST_F(AlertsTest, ThresholdAndCusumCsv) {
  RunResult r = Run("alerts --rules rules.toml --from 2024-03-08 --to 2024-03-11");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Threshold over 03-08..03-10: 南宁 5 bad of 12 = 0.41666… > 0.3 (n = 12); 柳州 2 of 3
  // = 0.667 but n = 3 < 4: nothing.
  // CUSUM for 南宁: baseline μ0 = 1/7; deviations 3/28 (four days) and −1/7 (three days):
  // Σ = 4·9/784 + 3·16/784 = 84/784 = 3/28, variance 3/196, σ0 = √3/14. Day 03-08: x = 1,
  // (1 − 1/7)/σ0 = 12/√3 = 4√3; S = 4√3 − 0.5 = 6.428203230275509 > 5: alert. 03-09:
  // S = max(0, −(1/7)/σ0 − 0.5) = 0; 03-10: √3/2 − 0.5 = 0.366 ≤ 5.
  // 柳州 has no kept baseline day: "no baseline" on stderr.
  const std::string mu0 = "0.14285714285714285";
  const std::string sigma0 = "0.12371791482634838";
  const std::string head =
      "rule,kind,group,day,value,limit,n,mu0,sigma0,path\n"
      "neg_high,threshold,city=450100,,0.4166666666666667,0.3,12,,,"
      "/api/v1/indicators?from=2024-03-08&to=2024-03-11&by=city&only=negative_rate\n"
      "neg_cusum,cusum,city=450100,2024-03-08,";
  ASSERT_EQ(r.out.substr(0, head.size()), head) << r.out;
  // The statistic within 1e-9 of 4√3 − 0.5 (the last digit depends on the order of operations).
  const std::string rest = r.out.substr(head.size());
  const size_t comma = rest.find(',');
  EXPECT_NEAR(std::stod(rest.substr(0, comma)), 6.428203230275509, 1e-9);
  EXPECT_EQ(rest.substr(comma), ",5,4," + mu0 + "," + sigma0 +
                                    ",/api/v1/indicators?from=2024-03-08&to=2024-03-09&by=city"
                                    "&only=negative_rate\n");
  EXPECT_EQ(r.err, "alerts: neg_cusum city=450200: no baseline (0 kept days, sigma0 0)\n");
}

TEST_F(AlertsTest, Json) {
  RunResult r = Run("alerts --rules rules.toml --from 2024-03-08 --to 2024-03-11 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // S = 4√3 − 0.5 as the CSV test checks it (within 1e-9); here the JSON around it.
  const size_t at = r.out.find("\"value\":6.4282032302755");
  ASSERT_NE(at, std::string::npos) << r.out;
  const size_t end = r.out.find(',', at);
  const std::string S = r.out.substr(at + 8, end - at - 8);
  EXPECT_NEAR(std::stod(S), 6.428203230275509, 1e-9);
  EXPECT_EQ(r.out,
            "{\"alerts\":[{\"rule\":\"neg_high\",\"kind\":\"threshold\",\"keys\":{\"city\":\"450100\"},"
            "\"day\":null,\"value\":0.4166666666666667,\"limit\":0.3,\"evidence\":{\"n\":12,"
            "\"mu0\":null,\"sigma0\":null},\"path\":\"/api/v1/indicators?from=2024-03-08&to=2024-03-11"
            "&by=city&only=negative_rate\"},{\"rule\":\"neg_cusum\",\"kind\":\"cusum\",\"keys\":"
            "{\"city\":\"450100\"},\"day\":\"2024-03-08\",\"value\":" + S + ",\"limit\":5,"
            "\"evidence\":{\"n\":4,\"mu0\":0.14285714285714285,\"sigma0\":0.12371791482634838},"
            "\"path\":\"/api/v1/indicators?from=2024-03-08&to=2024-03-09&by=city&only=negative_rate\"}],"
            "\"no_baseline\":[{\"rule\":\"neg_cusum\",\"keys\":{\"city\":\"450200\"},"
            "\"kept_days\":0,\"sigma0\":0}]}\n");
}

TEST_F(AlertsTest, DropAgainstThePreviousPeriodOfTheSameLength) {
  Write("drop.toml",
        "[[rule]]\ncode = \"pos_drop\"\nindicator = \"positive_rate\"\nby = \"city\"\n"
        "drop = 0.1\nmin_sample = 4\n");
  RunResult r = Run("alerts --rules drop.toml --from 2024-03-08 --to 2024-03-11");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Three days against the three before (03-05..03-07). 南宁: before 2 bad of 12, positive
  // 10/12; now 5 bad of 12, positive 7/12: fell by 3/12 = 0.25 > 0.1; limit 10/12 − 0.1.
  // 柳州 has no previous period: nothing.
  const std::string want_prefix = "rule,kind,group,day,value,limit,n,mu0,sigma0,path\n"
                                  "pos_drop,drop,city=450100,,0.5833333333333334,";
  ASSERT_EQ(r.out.substr(0, want_prefix.size()), want_prefix) << r.out;
  const std::string rest = r.out.substr(want_prefix.size());
  EXPECT_NEAR(std::stod(rest.substr(0, rest.find(','))), 10.0 / 12 - 0.1, 1e-12);
  EXPECT_EQ(rest.substr(rest.find(',')),
            ",12,,,/api/v1/indicators?from=2024-03-08&to=2024-03-11&by=city&only=positive_rate\n");
}

TEST_F(AlertsTest, EwmaAlertsOnceWhileOutside) {
  Write("ewma.toml",
        "[[control]]\ncode = \"neg_ewma\"\nindicator = \"negative_rate\"\nby = \"city\"\n"
        "method = \"ewma\"\nbaseline_days = 7\nmin_sample = 4\n");
  RunResult r = Run("alerts --rules ewma.toml --from 2024-03-08 --to 2024-03-11 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // μ0 = 1/7, σ0 = √3/14 (see ThresholdAndCusumCsv). 03-08, t = 1: z = 0.2·1 + 0.8/7 =
  // 0.3142857…; limit = 1/7 + 3σ0·sqrt(0.2/1.8·(1 − 0.8²)) = 1/7 + 3σ0·0.2 = 0.2170883…:
  // alert. 03-09: z = 0.8·0.3142857 = 0.2514286 > limit(t = 2) = 1/7 + 3σ0·sqrt(0.0656)
  // = 0.2379190: still outside, no second alert; 03-10: z = 0.05 + 0.8·0.2514286 = 0.2511429,
  // still outside. One alert.
  EXPECT_EQ(r.out.find("\"kind\":\"ewma\""), r.out.rfind("\"kind\":\"ewma\"")) << r.out;
  const size_t v = r.out.find("\"value\":");
  const size_t l = r.out.find("\"limit\":");
  ASSERT_NE(v, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"day\":\"2024-03-08\""), std::string::npos) << r.out;
  EXPECT_NEAR(std::stod(r.out.substr(v + 8)), 0.2 + 0.8 / 7, 1e-9);
  EXPECT_NEAR(std::stod(r.out.substr(l + 8)), 1.0 / 7 + 3 * std::sqrt(3.0) / 14 * 0.2, 1e-9);
}

TEST_F(AlertsTest, ScopedToTheUsersRegion) {
  Write("_in.txt", "liuzhou's password\n");
  ASSERT_EQ(Run("user add lz --role supervisor --region 450200 < _in.txt").exit_code, 0);
  RunResult r = Run("alerts --rules rules.toml --from 2024-03-08 --to 2024-03-11 --as lz");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 南宁's alerts are outside the scope; 柳州 alone raises nothing (3 records < 4; no baseline).
  EXPECT_EQ(r.out, "rule,kind,group,day,value,limit,n,mu0,sigma0,path\n");
  EXPECT_EQ(r.err, "alerts: neg_cusum city=450200: no baseline (0 kept days, sigma0 0)\n");
}

TEST_F(AlertsTest, Errors) {
  RunResult r = Run("alerts --rules rules.toml --from 2024-03-08");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n') + 1), "govqm alerts: --to DATE is required\n");
  r = Run("alerts --rules rules.toml --from 2024-03-08T10:00 --to 2024-03-11");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n') + 1), "govqm alerts: --from: alerts run on whole local days; give a date "
                   "YYYY-MM-DD, not '2024-03-08T10:00'\n");
  Write("bad.toml", "[[rule]]\ncode = \"a\"\nindicator = \"negative_rate\"\nabove = 1\nby = 3\n");
  r = Run("alerts --rules bad.toml --from 2024-03-08 --to 2024-03-11");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm alerts: bad.toml:5: rule 'a'.by must be a string such as "
                   "\"region,dept\" or a list\n");
  r = Run("alerts --from 2024-03-08 --to 2024-03-11");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n') + 1), "govqm alerts: --rules FILE is required\n");
  r = Run("alerts --rules rules.toml --from 2024-03-08 --to 2024-03-11 --deliver ftp://x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n') + 1),
            "govqm alerts: --deliver 'ftp://x': give an http:// or https:// URL\n");
  r = Run("alerts --rules rules.toml --from 2024-03-08 --to 2024-03-11 --secret-file s");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n') + 1),
            "govqm alerts: --secret-file F signs what --deliver URL sends; give --deliver too\n");
}

}  // namespace
}  // namespace govqm::testing

namespace govqm::testing {
namespace {

class DeadlineAlertsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init --tz Asia/Shanghai").exit_code, 0);
    Write("regions.csv", "code,name,parent_code,macro_region\n450000,广西,,west\n450100,南宁,450000,\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    // Open transactions accepted 2024-03-01 00:00 local, due 2024-03-11 00:00 local (10 days;
    // 80% = 8 days → yellow from 03-09 00:00): y (due 03-11), r (due 03-05: red on 03-09),
    // g (due 03-21: 8 of 20 days used = 0.4, nothing), c completed (never warned).
    Write("tx.csv",
          "id,region_code,channel,submitted_at,accepted_at,completed_at,due_at,status\n"
          "y,450100,web,2024-03-01 00:00,2024-03-01 00:00,,2024-03-11 00:00,in_progress\n"
          "r,450100,web,2024-03-01 00:00,2024-03-01 00:00,,2024-03-05 00:00,in_progress\n"
          "g,450100,web,2024-03-01 00:00,2024-03-01 00:00,,2024-03-21 00:00,in_progress\n"
          "c,450100,web,2024-03-01 00:00,2024-03-01 00:00,2024-03-02 00:00,2024-03-05 00:00,completed\n");
    ASSERT_EQ(Run("import transactions tx.csv").exit_code, 0);
    Write("empty.toml", "");
  }
};

TEST_F(DeadlineAlertsTest, YellowAndRedAtT) {
  // At 03-09 00:00 local: y has used 8 of 10 days = 0.8 (yellow: on the 80% line); r is past
  // due (8 of 4 days = 2: red).
  RunResult r = Run("alerts --rules empty.toml --from 2024-03-01 --to 2024-03-09 --at 2024-03-09");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "rule,kind,group,day,value,limit,n,mu0,sigma0,path\n"
            "deadline,deadline_yellow,region=450100;dept=;transaction=y,2024-03-09,0.8,0.8,1,,,"
            "/api/v1/records/transactions?region=450100\n"
            "deadline,deadline_red,region=450100;dept=;transaction=r,2024-03-09,2,1,1,,,"
            "/api/v1/records/transactions?region=450100\n");
  // One second earlier y is not yet yellow.
  r = Run("alerts --rules empty.toml --from 2024-03-01 --to 2024-03-09 --at 2024-03-08T23:59:59+08:00");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("transaction=y"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deadline_red,region=450100;dept=;transaction=r"), std::string::npos);
}

}  // namespace
}  // namespace govqm::testing

namespace govqm::testing {
namespace {

// Case deadline warnings (service.md §7: "a case is yellow on its next step's last working
// day, red when overdue") on the cases of tests/cli/cases_test.cc, with the 2024 calendar.
class CaseAlertsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init --tz Asia/Shanghai").exit_code, 0);
    Write("regions.csv", "code,name,parent_code\n450000,Province,\n450100,City A,450000\n");
    Write("ev.csv",
          "id,transaction_id,region_code,dept_code,evaluated_at,score,real_name\n"
          "C1,,450100,tax,2024-09-26 10:00,1,true\n"
          "C3,,450000,health,2024-09-30 09:00,2,true\n");
    Write("rect.csv", "evaluation_id,event,at,actor,note\nC1,verified,2024-09-29 09:00,clerk,called\n");
    ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
    ASSERT_EQ(Run("import evaluations ev.csv").exit_code, 0);
    ASSERT_EQ(Run("import rectifications rect.csv").exit_code, 0);
    RunResult cal =
        Run(std::string("calendar ") + GOVQM_SOURCE_DIR + "/config/calendars/cn-2024.cal");
    ASSERT_EQ(cal.exit_code, 0) << cal.err;
    Write("empty.toml", "");
  }
  // The CSV's rows after the header, each split at commas.
  static std::vector<std::vector<std::string>> Rows(const std::string& csv) {
    std::vector<std::vector<std::string>> rows;
    size_t line = csv.find('\n') + 1;
    while (line < csv.size()) {
      const size_t end = csv.find('\n', line);
      std::vector<std::string> cells;
      size_t at = line;
      while (true) {
        const size_t comma = csv.find(',', at);
        if (comma == std::string::npos || comma > end) {
          cells.push_back(csv.substr(at, end - at));
          break;
        }
        cells.push_back(csv.substr(at, comma - at));
        at = comma + 1;
      }
      rows.push_back(cells);
      line = end + 1;
    }
    return rows;
  }
};

TEST_F(CaseAlertsTest, YellowOnTheLastWorkingDayOverdueAfterIt) {
  // C3: reviewed Monday 09-30 09:00+08 (01:00Z); verify within 1 working day: 10-01..07 are
  // the National Day holiday, so its last day is Tuesday 10-08, deadline 10-08T16:00Z; the
  // span from the review is 8 d 15 h = 207 h. At 10-08 10:00+08 (02:00Z) it has used 8 d 1 h
  // = 193 h; its last day began at 10-07T16:00Z, 183 h in. C1 (verified Sunday 09-29, a
  // 调休 working day; rectify within 15 working days: end of 10-24) is not due yet.
  RunResult r = Run("alerts --rules empty.toml --from 2024-10-01 --to 2024-10-08 --at 2024-10-08T10:00+08:00");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = Rows(r.out);
  ASSERT_EQ(rows.size(), 1u) << r.out;
  EXPECT_EQ(rows[0][0], "case");
  EXPECT_EQ(rows[0][1], "deadline_yellow");
  EXPECT_EQ(rows[0][2], "region=450000;dept=health;case=C3");
  EXPECT_EQ(rows[0][3], "2024-10-08");
  EXPECT_NEAR(std::stod(rows[0][4]), 193.0 / 207, 1e-12);
  EXPECT_NEAR(std::stod(rows[0][5]), 183.0 / 207, 1e-12);
  EXPECT_EQ(rows[0][6], "1");
  EXPECT_EQ(rows[0][9], "/api/v1/cases/C3");

  // On the holiday (10-07 23:59:59 local) nothing is due: its last day has not begun.
  r = Run("alerts --rules empty.toml --from 2024-10-01 --to 2024-10-08 --at 2024-10-07T23:59:59+08:00");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "rule,kind,group,day,value,limit,n,mu0,sigma0,path\n");

  // At 10-24 10:00+08: C3 is overdue (24 d 1 h = 577 h of its 207 h), C1 on its last day:
  // verified 09-29T01:00Z, due 10-24T16:00Z (615 h); 601 h used, the day began at 591 h.
  r = Run("alerts --rules empty.toml --from 2024-10-01 --to 2024-10-24 --at 2024-10-24T10:00+08:00");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = Rows(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a[2] < b[2]; });
  EXPECT_EQ(rows[0][1], "case_overdue");
  EXPECT_EQ(rows[0][2], "region=450000;dept=health;case=C3");
  EXPECT_NEAR(std::stod(rows[0][4]), 577.0 / 207, 1e-12);
  EXPECT_EQ(rows[0][5], "1");
  EXPECT_EQ(rows[1][1], "deadline_yellow");
  EXPECT_EQ(rows[1][2], "region=450100;dept=tax;case=C1");
  EXPECT_NEAR(std::stod(rows[1][4]), 601.0 / 615, 1e-12);
  EXPECT_NEAR(std::stod(rows[1][5]), 591.0 / 615, 1e-12);

  // A user of 450100 sees its own case only.
  Write("_in.txt", "city a's password\n");
  ASSERT_EQ(Run("user add a --role supervisor --region 450100 < _in.txt").exit_code, 0);
  r = Run("alerts --rules empty.toml --from 2024-10-01 --to 2024-10-24 --at 2024-10-24T10:00+08:00 --as a");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  rows = Rows(r.out);
  ASSERT_EQ(rows.size(), 1u) << r.out;
  EXPECT_EQ(rows[0][2], "region=450100;dept=tax;case=C1");
}

TEST_F(CaseAlertsTest, DeadlinesFromTheConfigsClosedLoopTable) {
  // rectify_days = 10: from Sunday 09-29, 09-30, 10-08..12 (Saturday 10-12 works), 10-14..17
  // → C1's last day is Thursday 10-17, due 10-17T16:00Z (18 d 15 h = 447 h after 09-29T01:00Z).
  Write("govqm.toml", "[closed_loop]\nrectify_days = 10\n");
  RunResult r = Run(
      "alerts --rules empty.toml --from 2024-10-01 --to 2024-10-17 --at 2024-10-17T10:00+08:00 "
      "--config govqm.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto rows = Rows(r.out);
  ASSERT_EQ(rows.size(), 2u) << r.out;
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a[2] < b[2]; });
  EXPECT_EQ(rows[1][1], "deadline_yellow");
  EXPECT_EQ(rows[1][2], "region=450100;dept=tax;case=C1");
  // 10-17 02:00Z is 18 d 1 h = 433 h in; the day began at 10-16T16:00Z, 423 h in.
  EXPECT_NEAR(std::stod(rows[1][4]), 433.0 / 447, 1e-12);
  EXPECT_NEAR(std::stod(rows[1][5]), 423.0 / 447, 1e-12);
  // Without the config the default 15 days hold: C1 is not due on 10-17.
  r = Run("alerts --rules empty.toml --from 2024-10-01 --to 2024-10-17 --at 2024-10-17T10:00+08:00");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("case=C1"), std::string::npos) << r.out;
  Write("bad.toml", "[closed_loop]\nrectify_day = 10\n");
  r = Run("alerts --rules empty.toml --from 2024-10-01 --to 2024-10-17 --config bad.toml");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bad.toml:2"), std::string::npos) << r.err;
}

// A webhook receiver of the test's own on loopback: /hook answers 500 to its first request
// and 200 after; every request is recorded.
class Hook {
 public:
  Hook() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      res.status = ++count_ == 1 ? 500 : 200;
      bodies_.push_back(req.body);
      signatures_.push_back(req.get_header_value("X-Govqm-Signature"));
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Hook() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> signatures() {
    std::lock_guard<std::mutex> lock(mu_);
    return signatures_;
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mu_;
  int count_ = 0;
  std::vector<std::string> bodies_, signatures_;
};

TEST_F(AlertsTest, DeliveredToAWebhookSignedRetriedAndNeverTwice) {
  Hook hook;
  Write("hook.secret", "webhook-shared-secret\n");
  std::filesystem::permissions(Path("hook.secret"), std::filesystem::perms::owner_read |
                                                        std::filesystem::perms::owner_write);
  const std::string cmd = "alerts --rules rules.toml --from 2024-03-08 --to 2024-03-11 --deliver " +
                          hook.Url() + " --secret-file hook.secret";
  RunResult r = Run(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The two alerts of ThresholdAndCusumCsv; the first attempt of the first got a 500.
  EXPECT_EQ(r.out.substr(0, r.out.find('\n', r.out.find('\n') + 1) + 1),
            "rule,kind,group,day,value,limit,n,mu0,sigma0,path\n"
            "neg_high,threshold,city=450100,,0.4166666666666667,0.3,12,,,"
            "/api/v1/indicators?from=2024-03-08&to=2024-03-11&by=city&only=negative_rate\n");
  EXPECT_NE(r.err.find("alerts: neg_high threshold city=450100 2024-03-08/2024-03-11: attempt 1 "
                       "failed (HTTP 500); retrying in 1 s\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("alerts: delivered 2, already delivered 0, failed 0 (" + hook.Url() + ")\n"),
            std::string::npos)
      << r.err;
  const auto bodies = hook.bodies();
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[0], bodies[1]);
  EXPECT_EQ(bodies[1],
            "{\"rule\":\"neg_high\",\"kind\":\"threshold\",\"keys\":{\"city\":\"450100\"},"
            "\"day\":null,\"value\":0.4166666666666667,\"limit\":0.3,\"evidence\":{\"n\":12,"
            "\"mu0\":null,\"sigma0\":null},\"path\":\"/api/v1/indicators?from=2024-03-08&"
            "to=2024-03-11&by=city&only=negative_rate\"}");
  EXPECT_EQ(bodies[2].substr(0, 40), "{\"rule\":\"neg_cusum\",\"kind\":\"cusum\",\"keys");
  // Each signature checked with openssl, not with govqm's own HMAC: the secret is the file
  // less its newline.
  const auto signatures = hook.signatures();
  for (size_t i = 0; i < bodies.size(); ++i) {
    Write("body.bin", bodies[i]);
    ASSERT_EQ(std::system(("cd '" + dir_.string() +
                           "' && openssl dgst -sha256 -hmac webhook-shared-secret -r body.bin"
                           " > hmac.txt")
                              .c_str()),
              0);
    const std::string hex = Read("hmac.txt").substr(0, 64);
    EXPECT_EQ(signatures[i], "sha256=" + hex);
  }
  // The rerun sends nothing.
  r = Run(cmd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("alerts: delivered 0, already delivered 2, failed 0"), std::string::npos)
      << r.err;
  EXPECT_EQ(hook.bodies().size(), 3u);
  // A secret others may read is refused before anything is sent.
  std::filesystem::permissions(Path("hook.secret"), std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  r = Run("alerts --rules rules.toml --from 2024-03-01 --to 2024-03-11 --deliver " + hook.Url() +
          " --secret-file hook.secret");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos) << r.err;
  EXPECT_EQ(hook.bodies().size(), 3u);
}

}  // namespace
}  // namespace govqm::testing

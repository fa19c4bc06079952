// The alert rules file (service.md §7): defaults, every key, and errors that name file, line
// and key. The shipped example must parse.
#include "framework/alert_rules.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace govqm {
namespace {

TEST(AlertRules, ParsesRulesAndControlsWithDefaults) {
  auto r = ParseAlertRules(R"(
[[rule]]
code = "late"
indicator = "on_time_rate"
by = "region, dept"
below = 0.95

[[rule]]
code = "fall"
indicator = "positive_rate"
drop = 0.02
min_sample = 50

[[control]]
code = "neg"
indicator = "negative_rate"
by = ["city"]
method = "ewma"

[[control]]
code = "ontime"
indicator = "on_time_rate"
method = "cusum"
baseline_days = 14
k = 0.25
h = 4
min_sample = 10
)",
                           "rules.toml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const AlertRules& a = r.value();
  ASSERT_EQ(a.rules.size(), 2u);
  EXPECT_EQ(a.rules[0].code, "late");
  EXPECT_EQ(a.rules[0].line, 2);
  EXPECT_EQ(a.rules[0].indicator, "on_time_rate");
  EXPECT_EQ(a.rules[0].by, (std::vector<GroupKey>{GroupKey::kRegion, GroupKey::kDept}));
  EXPECT_EQ(a.rules[0].threshold.kind, ThresholdKind::kBelow);
  EXPECT_EQ(a.rules[0].threshold.x, 0.95);
  EXPECT_EQ(a.rules[0].threshold.min_sample, 30);  // the default
  EXPECT_TRUE(a.rules[1].by.empty());
  EXPECT_EQ(a.rules[1].threshold.kind, ThresholdKind::kDrop);
  EXPECT_EQ(a.rules[1].threshold.x, 0.02);
  EXPECT_EQ(a.rules[1].threshold.min_sample, 50);

  ASSERT_EQ(a.controls.size(), 2u);
  const ControlRule& e = a.controls[0];
  EXPECT_EQ(e.code, "neg");
  EXPECT_EQ(e.by, (std::vector<GroupKey>{GroupKey::kCity}));
  EXPECT_EQ(e.params.method, ControlMethod::kEwma);
  EXPECT_EQ(e.params.baseline_days, 28);
  EXPECT_EQ(e.params.lambda, 0.2);
  EXPECT_EQ(e.params.L, 3);
  EXPECT_EQ(e.params.min_sample, 20);
  EXPECT_EQ(e.bad, BadDirection::kUp);  // a rising negative rate is bad
  const ControlRule& c = a.controls[1];
  EXPECT_EQ(c.params.method, ControlMethod::kCusum);
  EXPECT_EQ(c.params.baseline_days, 14);
  EXPECT_EQ(c.params.k, 0.25);
  EXPECT_EQ(c.params.h, 4);
  EXPECT_EQ(c.params.min_sample, 10);
  EXPECT_EQ(c.bad, BadDirection::kDown);  // a falling on-time rate is bad
}

void ExpectError(const std::string& text, const std::string& message) {
  auto r = ParseAlertRules(text, "r.toml");
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(), message);
}

TEST(AlertRules, ErrorsNameFileLineAndKey) {
  ExpectError("[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\nbelow = 1\nbelwo = 2\n",
              "r.toml:5: unknown key 'belwo' in rule 'a'");
  ExpectError("[[rule]]\ncode = \"a\"\nindicator = \"on_time_rat\"\nbelow = 1\n",
              "r.toml:3: rule 'a'.indicator: unknown indicator 'on_time_rat'");
  ExpectError("[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\n",
              "r.toml:1: rule 'a' needs one of below, above, drop");
  ExpectError("[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\nbelow = 1\nabove = 2\n",
              "r.toml:5: rule 'a' takes one of below, above, drop; 'above' is a second one");
  ExpectError("[[rule]]\nindicator = \"on_time_rate\"\nbelow = 1\n", "r.toml:1: rule needs 'code'");
  ExpectError("[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\nbelow = \"x\"\n",
              "r.toml:4: rule 'a'.below must be a number");
  ExpectError("[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\nbelow = 1\nmin_sample = 2.5\n",
              "r.toml:5: rule 'a'.min_sample must be an integer");
  ExpectError("[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\nby = \"regoin\"\nbelow = 1\n",
              "r.toml:4: rule 'a'.by: unknown group key 'regoin'");
  ExpectError(
      "[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\nbelow = 1\n"
      "[[rule]]\ncode = \"a\"\nindicator = \"on_time_rate\"\nbelow = 2\n",
      "r.toml:6: duplicate alert code 'a'");
  ExpectError("[[control]]\ncode = \"c\"\nindicator = \"negative_rate\"\nmethod = \"shewhart\"\n",
              "r.toml:4: control 'c'.method must be \"ewma\" or \"cusum\", not 'shewhart'");
  ExpectError("[[control]]\ncode = \"c\"\nindicator = \"negative_rate\"\nmethod = \"ewma\"\nh = 4\n",
              "r.toml:5: control 'c'.h does not apply to method \"ewma\"");
  ExpectError("[[control]]\ncode = \"c\"\nindicator = \"negative_rate\"\nmethod = \"ewma\"\nlambda = 1.5\n",
              "r.toml:5: control 'c'.lambda must be in (0, 1]");
  ExpectError(
      "[[control]]\ncode = \"c\"\nindicator = \"negative_rate\"\nmethod = \"cusum\"\nbaseline_days = 5\n",
      "r.toml:5: control 'c'.baseline_days must be >= 7, not 5");
  ExpectError("[[control]]\ncode = \"c\"\nindicator = \"negative_rate\"\nby = \"day\"\nmethod = \"ewma\"\n",
              "r.toml:4: control 'c'.by: a control chart runs on days itself; remove 'day'");
  ExpectError("[[control]]\ncode = \"c\"\nindicator = \"negative_rate\"\n",
              "r.toml:1: control 'c' needs 'method'");
  ExpectError("[rules]\nx = 1\n",
              "r.toml:1: unknown key 'rules' (a rules file holds [[rule]] and [[control]] tables)");
  // A TOML syntax error: file and line first (the message itself is toml++'s).
  auto bad = ParseAlertRules("[[rule]]\ncode = = 1\n", "r.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("r.toml:2: ", 0), 0u) << bad.status().message();
}

TEST(AlertRules, ShippedExampleParses) {
  const std::string path = std::string(GOVQM_SOURCE_DIR) + "/config/alerts/example.toml";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = ParseAlertRules(ss.str(), "example.toml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().rules.size(), 5u);
  EXPECT_EQ(r.value().controls.size(), 3u);
  EXPECT_EQ(r.value().rules[0].threshold.x, 0.95);
  EXPECT_EQ(r.value().controls[2].bad, BadDirection::kDown);  // availability
}

}  // namespace
}  // namespace govqm

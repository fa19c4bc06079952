// Framework files: the default one places every catalog indicator; every mistake gets one
// exact error naming its line.
#include "framework/framework.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/engine/catalog.h"

namespace govqm {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small valid matrix framework; tests append or replace lines to break it.
const char kHead[] =
    "[framework]\n"                    // 1
    "name = \"t\"\n"                   // 2
    "version = \"1\"\n"                // 3
    "[[stage]]\n"                      // 4
    "code = \"handling\"\n"            // 5
    "[[stage]]\n"                      // 6
    "code = \"feedback\"\n"            // 7
    "[[dimension]]\n"                  // 8
    "code = \"timeliness\"\n"          // 9
    "[[dimension]]\n"                  // 10
    "code = \"satisfaction\"\n";       // 11

const char kTwoIndicators[] =
    "[[indicator]]\n"                  // 12
    "code = \"on_time_rate\"\n"        // 13
    "cell = \"handling/timeliness\"\n" // 14
    "floor = 0.95\n"                   // 15
    "target = 1.0\n"                   // 16
    "[[indicator]]\n"                  // 17
    "code = \"positive_rate\"\n"       // 18
    "cell = \"feedback/satisfaction\"\n"  // 19
    "floor = 0.95\n"                   // 20
    "target = 0.999\n";                // 21

std::string Error(const std::string& text) {
  auto fw = ParseFramework(text, "f.toml");
  EXPECT_FALSE(fw.ok());
  return fw.ok() ? "" : fw.status().message();
}

TEST(FrameworkTest, SmallMatrixParses) {
  auto fw = ParseFramework(std::string(kHead) + kTwoIndicators, "f.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  // index, matrix, two cells (created by their indicators).
  ASSERT_EQ(fw->nodes.size(), 4u);
  EXPECT_EQ(fw->nodes[0].code, "index");
  EXPECT_EQ(fw->nodes[1].code, "matrix");
  EXPECT_EQ(fw->nodes[2].code, "handling/timeliness");
  EXPECT_EQ(fw->nodes[3].code, "feedback/satisfaction");
  EXPECT_EQ(fw->CellNode(0, 0), 2);
  EXPECT_EQ(fw->CellNode(0, 1), -1);  // an empty cell has no node and raises no error
  EXPECT_EQ(fw->grades.size(), 4u);   // default bands
  EXPECT_EQ(fw->Grade(90)->label, "非常高");
  EXPECT_EQ(fw->Grade(89.99)->label, "高");
  EXPECT_EQ(fw->Grade(65)->label, "中");
  EXPECT_EQ(fw->Grade(64.9)->label, "低");
  EXPECT_EQ(fw->Grade(-5)->label, "低");
}

TEST(FrameworkTest, DefaultFrameworkPlacesEveryCatalogIndicator) {
  const std::string path = std::string(GOVQM_SOURCE_DIR) + "/config/framework.toml";
  auto fw = ParseFramework(ReadText(path), "framework.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  EXPECT_TRUE(fw->matrix);
  std::set<std::string> placed;
  for (const IndicatorSpec& s : fw->indicators) {
    placed.insert(s.code);
    EXPECT_FALSE(s.reason.empty()) << s.code << " has no reason";
  }
  for (const std::string& c : fw->context) placed.insert(c);
  for (const IndicatorInfo& info : Catalog()) {
    EXPECT_TRUE(placed.count(std::string(info.code))) << info.code << " is neither scored nor context";
  }
  // The six org indicators of domain.md §2.7, each in its block.
  const std::pair<const char*, const char*> org[] = {
      {"staff_per_window", "organization"},       {"integrated_window_share", "organization"},
      {"training_hours_per_staff", "assurance"},  {"platform_budget_share", "assurance"},
      {"rules_in_force", "institution"},          {"standardized_item_share", "institution"}};
  for (auto [code, block] : org) {
    const int i = fw->FindIndicator(code);
    ASSERT_GE(i, 0) << code;
    EXPECT_EQ(fw->nodes[fw->indicators[i].parent].code, block);
  }
  // The index weighs matrix and blocks by a consistent AHP: 7:1:1:1 → 0.7, 0.1, 0.1, 0.1.
  ASSERT_TRUE(fw->nodes[0].ahp.has_value());
  EXPECT_NEAR(fw->nodes[fw->FindNode("matrix")].weight, 0.7, 1e-9);
  EXPECT_NEAR(fw->nodes[fw->FindNode("assurance")].weight, 0.1, 1e-9);
  EXPECT_NEAR(fw->nodes[0].ahp->cr, 0, 1e-9);
}

TEST(FrameworkTest, AsemExampleParsesAsATree) {
  const std::string path = std::string(GOVQM_SOURCE_DIR) + "/config/examples/asem.toml";
  auto fw = ParseFramework(ReadText(path), "asem.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  EXPECT_FALSE(fw->matrix);
  EXPECT_EQ(fw->nodes.size(), 11u);  // Index, 2 sub-indexes, 8 pillars
  EXPECT_EQ(fw->indicators.size(), 49u);
  EXPECT_EQ(fw->nodes[0].code, "Index");
  for (size_t i = 1; i < fw->nodes.size(); ++i) EXPECT_LT(fw->nodes[i].parent, static_cast<int>(i));
}

TEST(FrameworkTest, TreeNodesMayComeInAnyOrder) {
  const std::string text =
      "[framework]\nshape = \"tree\"\n"
      "[[node]]\ncode = \"leaf\"\nparent = \"mid\"\n"
      "[[node]]\ncode = \"mid\"\n"
      "[[indicator]]\ncode = \"x\"\nparent = \"leaf\"\nrule = \"none\"\n";
  auto fw = ParseFramework(text, "t.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  EXPECT_EQ(fw->nodes[1].code, "mid");
  EXPECT_EQ(fw->nodes[2].code, "leaf");
  EXPECT_EQ(fw->nodes[2].parent, 1);
}

// Each mistake, its exact message and line.
TEST(FrameworkTest, UnknownIndicator) {
  EXPECT_EQ(Error(std::string(kHead) +
                  "[[indicator]]\ncode = \"on_tme_rate\"\ncell = \"handling/timeliness\"\nfloor = 0\ntarget = 1\n"),
            "f.toml:12: unknown indicator 'on_tme_rate' (not in the indicator catalog)");
}

TEST(FrameworkTest, UnknownContextIndicator) {
  std::string text = std::string(kHead) + kTwoIndicators;
  text.replace(text.find("version"), 0, "context = [\"volume\", \"volumes\"]\n");
  EXPECT_EQ(Error(text), "f.toml:3: unknown indicator 'volumes' in context (not in the indicator catalog)");
}

TEST(FrameworkTest, UnknownStageOrDimensionInCell) {
  EXPECT_EQ(Error(std::string(kHead) +
                  "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"handlin/timeliness\"\nfloor = 0\ntarget = 1\n"),
            "f.toml:14: unknown stage 'handlin' in cell 'handlin/timeliness'");
  EXPECT_EQ(Error(std::string(kHead) +
                  "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"handling/speed\"\nfloor = 0\ntarget = 1\n"),
            "f.toml:14: unknown dimension 'speed' in cell 'handling/speed'");
}

// Regression (found by fuzz_framework in CI): a quoted name holding a line break broke the
// one-line error rule.
TEST(FrameworkTest, RegressionQuotedNamesStayOnOneLine) {
  EXPECT_EQ(Error(std::string(kHead) +
                  "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"hand\\nling/timeliness\"\nfloor = 0\ntarget = 1\n"),
            "f.toml:14: unknown stage 'hand\\nling' in cell 'hand\\nling/timeliness'");
}

TEST(FrameworkTest, WeightsThatCannotBeNormalised) {
  std::string text = std::string(kHead) + kTwoIndicators + "weight = 0\n";  // line 22: positive_rate
  // feedback/satisfaction now holds one indicator of weight 0: nothing to normalise.
  EXPECT_EQ(Error(text), "f.toml:17: the weights of the children of 'feedback/satisfaction' cannot be normalised (they sum to 0)");
  EXPECT_EQ(Error(std::string(kHead) + kTwoIndicators + "weight = -1\n"), "f.toml:22: [[indicator]].weight must be >= 0");
}

TEST(FrameworkTest, DeclaredCellWithNoIndicators) {
  EXPECT_EQ(Error(std::string(kHead) + "[[cell]]\ncode = \"feedback/timeliness\"\nweight = 2\n" + kTwoIndicators),
            "f.toml:12: cell 'feedback/timeliness' has no indicators");
}

TEST(FrameworkTest, EmptyBlockOrNode) {
  EXPECT_EQ(Error(std::string(kHead) + "[[block]]\ncode = \"assurance\"\n" + kTwoIndicators),
            "f.toml:12: block 'assurance' has no indicators");
  EXPECT_EQ(Error("[framework]\nshape = \"tree\"\n[[node]]\ncode = \"a\"\n[[node]]\ncode = \"b\"\n"
                  "[[indicator]]\ncode = \"x\"\nparent = \"a\"\nrule = \"none\"\n"),
            "f.toml:5: node 'b' has no indicators");
}

const char kAhpHead[] =
    "[framework]\n"              // 1
    "shape = \"tree\"\n"         // 2
    "[[indicator]]\n"            // 3
    "code = \"a\"\n"             // 4
    "parent = \"index\"\n"       // 5
    "rule = \"none\"\n"          // 6
    "[[indicator]]\n"            // 7
    "code = \"b\"\n"             // 8
    "parent = \"index\"\n"       // 9
    "rule = \"none\"\n"          // 10
    "[[indicator]]\n"            // 11
    "code = \"c\"\n"             // 12
    "parent = \"index\"\n"       // 13
    "rule = \"none\"\n"          // 14
    "[[ahp]]\n"                  // 15
    "node = \"index\"\n"         // 16
    "items = [\"a\", \"b\", \"c\"]\n";  // 17

TEST(FrameworkTest, AhpWeightsReplaceDeclaredOnes) {
  // A consistent matrix: a = 2b = 4c → weights 4/7, 2/7, 1/7; λmax = 3, CR = 0.
  auto fw = ParseFramework(std::string(kAhpHead) + "matrix = [[1, 2, 4], [\"1/2\", 1, 2], [0.25, 0.5, 1]]\n", "a.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  EXPECT_NEAR(fw->indicators[0].weight, 4.0 / 7, 1e-9);
  EXPECT_NEAR(fw->indicators[1].weight, 2.0 / 7, 1e-9);
  EXPECT_NEAR(fw->indicators[2].weight, 1.0 / 7, 1e-9);
  EXPECT_NEAR(fw->nodes[0].ahp->lambda_max, 3.0, 1e-9);
  EXPECT_EQ(fw->nodes[0].weighting, Weighting::kAhp);
}

TEST(FrameworkTest, AhpNotReciprocal) {
  auto fw = ParseFramework(std::string(kAhpHead) + "matrix = [[1, 2, 4], [0.5, 1, 2], [0.25, 0.4, 1]]\n", "a.toml");
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.status().message().substr(0, 27), "a.toml:18: AHP of 'index': ");
  // Row 3 col 2 should be 1/2 (reciprocal of a(2,3) = 2), not 0.4.
  EXPECT_NE(fw.status().message().find("a(3,2) = 0.4"), std::string::npos) << fw.status().message();
}

TEST(FrameworkTest, AhpNotConsistent) {
  // a > b (5), b > c (5), but c > a (5): CR far above 0.10.
  auto fw = ParseFramework(std::string(kAhpHead) + "matrix = [[1, 5, \"1/5\"], [\"1/5\", 1, 5], [5, \"1/5\", 1]]\n", "a.toml");
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.status().message().substr(0, 27), "a.toml:18: AHP of 'index': ");
  EXPECT_NE(fw.status().message().find("not consistent: CR = "), std::string::npos) << fw.status().message();
}

TEST(FrameworkTest, AhpItemsMustBeTheChildren) {
  EXPECT_EQ(Error("[framework]\nshape = \"tree\"\n[[indicator]]\ncode = \"a\"\nparent = \"index\"\nrule = \"none\"\n"
                  "[[indicator]]\ncode = \"b\"\nparent = \"index\"\nrule = \"none\"\n"
                  "[[ahp]]\nnode = \"index\"\nitems = [\"a\", \"z\"]\nmatrix = [[1, 2], [0.5, 1]]\n"),
            "f.toml:13: AHP of 'index': 'z' is not a child of 'index'");
}

TEST(FrameworkTest, OtherMistakes) {
  const std::string ok = std::string(kHead) + kTwoIndicators;
  EXPECT_EQ(Error(ok + "colour = \"red\"\n"), "f.toml:22: unknown key 'colour' in [[indicator]]");
  EXPECT_EQ(Error(ok + "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"feedback/satisfaction\"\nrule = \"minmax\"\n"),
            "f.toml:22: indicator 'on_time_rate' is placed twice (first at line 12)");
  EXPECT_EQ(Error(std::string(kHead) + "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"handling/timeliness\"\nfloor = 1\ntarget = 0.9\n"),
            "f.toml:16: indicator 'on_time_rate': higher is better, so target must be above floor");
  EXPECT_EQ(Error(std::string(kHead) + "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"handling/timeliness\"\n"),
            "f.toml:12: indicator 'on_time_rate' with rule target needs floor and target");
  EXPECT_EQ(Error(std::string(kHead) + "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"handling/timeliness\"\nrule = \"rank\"\n"),
            "f.toml:15: rule must be target, minmax, zscore or none, not 'rank'");
  EXPECT_EQ(Error("[framework]\nshape = \"tree\"\n[[node]]\ncode = \"a\"\nparent = \"b\"\n[[node]]\ncode = \"b\"\nparent = \"a\"\n"
                  "[[indicator]]\ncode = \"x\"\nparent = \"a\"\nrule = \"none\"\n"),
            "f.toml:3: node 'a' is its own ancestor (a cycle of parents)");
  EXPECT_EQ(Error("[framework]\nshape = \"tree\"\n[[indicator]]\ncode = \"x\"\nparent = \"nowhere\"\nrule = \"none\"\n"),
            "f.toml:5: unknown parent 'nowhere'");
  EXPECT_EQ(Error("[framework]\nname = \"x\"\n[[stage]\n").substr(0, 9), "f.toml:3:");  // TOML syntax
  EXPECT_EQ(Error("[framwork]\n"), "f.toml:1: unknown section 'framwork'");
}

}  // namespace
}  // namespace govqm

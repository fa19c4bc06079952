// Diagnosis over scored units (framework/diagnosis.h) on a small matrix worked out by hand:
// two cells of one indicator each, five units.
#include "framework/diagnosis.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace govqm {
namespace {

const char kFramework[] =
    "[framework]\nname = \"t\"\nversion = \"1\"\nmin_sample = 0\n"
    "[[stage]]\ncode = \"handling\"\n[[stage]]\ncode = \"feedback\"\n"
    "[[dimension]]\ncode = \"timeliness\"\n[[dimension]]\ncode = \"satisfaction\"\n"
    "[[indicator]]\ncode = \"on_time_rate\"\ncell = \"handling/timeliness\"\n"
    "floor = 0.95\ntarget = 1.0\n"
    "[[indicator]]\ncode = \"positive_rate\"\ncell = \"feedback/satisfaction\"\n"
    "floor = 0.95\ntarget = 0.999\n";

// on_time_rate A..E 0.96 … 1.0 → scores 20, 40, 60, 80, 100 (100·(x − 0.95)/0.05);
// positive_rate 0.999 … 0.96 → 100, 81.63, 61.22, 40.82, 20.41 (100·(x − 0.95)/0.049).
UnitValues Values(bool swap_on_time = false) {
  UnitValues in;
  in.units = {"A", "B", "C", "D", "E"};
  const double on_time[] = {0.96, 0.97, 0.98, 0.99, 1.0};
  const double positive[] = {0.999, 0.99, 0.98, 0.97, 0.96};
  for (int u = 0; u < 5; ++u) {
    in.values.push_back({swap_on_time ? on_time[4 - u] : on_time[u], positive[u]});
    in.sample.push_back(100.0);
  }
  return in;
}

struct Scored {
  Framework fw;
  UnitValues in;
  ScoreResult result;
};

Scored ScoreOf(bool swap = false) {
  auto fw = ParseFramework(kFramework, "t.toml");
  EXPECT_TRUE(fw.ok()) << fw.status().message();
  Scored s{*fw, Values(swap), {}};
  auto r = ScoreUnits(s.fw, s.in);
  EXPECT_TRUE(r.ok()) << r.status().message();
  s.result = *r;
  return s;
}

int NodeOf(const Framework& fw, const std::string& code) {
  for (size_t i = 0; i < fw.nodes.size(); ++i) {
    if (fw.nodes[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

TEST(Quartiles, SizeAndEdges) {
  EXPECT_EQ(QuartileSize(14), 4);
  EXPECT_EQ(QuartileSize(5), 2);
  EXPECT_EQ(QuartileSize(1), 1);
  EXPECT_EQ(QuartileSize(0), 0);
  // N = 14: top 1–4, bottom 11–14.
  EXPECT_TRUE(InTopQuartile(4, 14));
  EXPECT_FALSE(InTopQuartile(5, 14));
  EXPECT_TRUE(InBottomQuartile(11, 14));
  EXPECT_FALSE(InBottomQuartile(10, 14));
  // A unit alone has no peers.
  EXPECT_FALSE(InTopQuartile(1, 1));
  EXPECT_FALSE(InBottomQuartile(1, 1));
  EXPECT_TRUE(InTopQuartile(1, 2));
  EXPECT_TRUE(InBottomQuartile(2, 2));
}

TEST(DiagnoseUnit, WeakPointsAndHighlightsOfTheWorstAndTheBest) {
  const Scored s = ScoreOf();
  EXPECT_EQ(NodeTarget(s.fw), 80);
  const int on_time = s.fw.FindIndicator("on_time_rate");
  const int positive = s.fw.FindIndicator("positive_rate");
  const int timeliness = NodeOf(s.fw, "handling/timeliness");
  const int satisfaction = NodeOf(s.fw, "feedback/satisfaction");
  ASSERT_GE(timeliness, 0);
  ASSERT_GE(satisfaction, 0);

  // A: on_time_rate 0.96 is last of 5 (bottom quartile: ranks 4–5) and scores 20 < 100:
  // weak, loss = weight 1/2 (one of two equal cells) × (100 − 20) = 40; its cell likewise
  // (score 20 < 80, rank 5, loss 40). positive_rate 0.999 ranks first: its cell (100 ≥ 80)
  // is a highlight.
  auto a = DiagnoseUnit(s.fw, s.in, s.result, 0);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->weak.size(), 2u);
  EXPECT_TRUE(a->IsWeak(true, on_time));
  EXPECT_TRUE(a->IsWeak(false, timeliness));
  EXPECT_FALSE(a->IsWeak(true, positive));
  const DiagnosedItem* it = a->Find(true, on_time);
  ASSERT_NE(it, nullptr);
  EXPECT_EQ(it->rank, 5);
  EXPECT_EQ(it->compared, 5);
  EXPECT_TRUE(it->bottom_quartile);
  EXPECT_NEAR(*it->score, 20, 1e-9);
  EXPECT_NEAR(*it->target, 1.0, 1e-12);
  EXPECT_NEAR(it->weight, 0.5, 1e-12);
  EXPECT_NEAR(it->loss, 40, 1e-9);
  EXPECT_NEAR(*it->peers_median, 0.985, 1e-12);  // B..E: 0.97, 0.98, 0.99, 1.0
  it = a->Find(false, timeliness);
  ASSERT_NE(it, nullptr);
  EXPECT_NEAR(it->loss, 40, 1e-9);
  EXPECT_NEAR(*it->peers_median, 70, 1e-9);  // 40, 60, 80, 100
  ASSERT_EQ(a->highlights.size(), 1u);
  EXPECT_FALSE(a->items[a->highlights[0]].indicator);
  EXPECT_EQ(a->items[a->highlights[0]].index, satisfaction);

  // C is third on both: neither quartile, nothing to say.
  auto c = DiagnoseUnit(s.fw, s.in, s.result, 2);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->weak.empty());
  EXPECT_TRUE(c->highlights.empty());

  // E mirrors A: positive_rate 0.96 scores 100·0.01/0.049 = 20.41, loss 0.5 × 79.59.
  auto e = DiagnoseUnit(s.fw, s.in, s.result, 4);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->IsWeak(true, positive));
  EXPECT_NEAR(e->Find(true, positive)->loss, 0.5 * (100 - 100 * 0.01 / 0.049), 1e-9);
  ASSERT_EQ(e->highlights.size(), 1u);
  EXPECT_EQ(e->items[e->highlights[0]].index, timeliness);

  // B: on_time_rate ranks 4 (bottom) with score 40 < 100: weak; its cell 40 < 80: weak.
  auto b = DiagnoseUnit(s.fw, s.in, s.result, 1);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->IsWeak(true, on_time));
  EXPECT_NEAR(b->Find(true, on_time)->loss, 30, 1e-9);  // 0.5 × 60
  // Its positive cell (81.63, rank 2) is in the top quartile and above 80: a highlight.
  EXPECT_EQ(b->highlights.size(), 1u);
}

TEST(Difficulties, WeakInEveryPreviousPeriod) {
  const Scored now = ScoreOf();
  auto a = DiagnoseUnit(now.fw, now.in, now.result, 0);
  ASSERT_TRUE(a.ok());
  // The same picture three periods running: both weak points are difficulties.
  std::vector<const UnitDiagnosis*> same = {&*a, &*a, &*a};
  EXPECT_EQ(Difficulties(*a, same).size(), 2u);
  // One period where A was first on time: on_time_rate and its cell were not weak then.
  const Scored swapped = ScoreOf(true);
  auto then = DiagnoseUnit(swapped.fw, swapped.in, swapped.result, 0);
  ASSERT_TRUE(then.ok());
  EXPECT_FALSE(then->IsWeak(true, now.fw.FindIndicator("on_time_rate")));
  EXPECT_TRUE(Difficulties(*a, {&*a, &*then, &*a}).empty());
  // A period without a diagnosis (nullptr) makes nothing a difficulty; nor do no periods.
  EXPECT_TRUE(Difficulties(*a, {&*a, nullptr, &*a}).empty());
  EXPECT_TRUE(Difficulties(*a, {}).empty());
}

}  // namespace
}  // namespace govqm

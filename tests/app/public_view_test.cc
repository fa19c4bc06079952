// The public view (service.md §4): values of fewer than k = 10 records are null and flagged,
// never dropped. Three cities built by hand: 450100 with 9 transactions and 9 evaluations,
// 450300 with 10 and 10, 450500 with 12 transactions but 9 evaluations.
#include "app/public_view.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "app/import.h"
#include "app/init.h"
#include "app/render/indicators.h"
#include "app/render/score.h"
#include "framework/framework.h"
#include "province.h"

namespace govqm::app {
namespace {

const std::string& PublicStore() {
  static const std::string db = [] {
    const auto dir = MakeTempDir("public");
    const std::string path = (dir / "govqm.db").string();
    EXPECT_TRUE(Init({path, "Asia/Shanghai"}).ok());
    std::string regions =
        "code,name,parent_code\n450000,P,\n450100,C1,450000\n"
        "450300,C2,450000\n450500,C3,450000\n";
    std::string tx = "id,region_code,channel,submitted_at,status\n";
    std::string ev = "id,transaction_id,region_code,evaluated_at,score\n";
    // (city, transactions, evaluations, bad ones among the evaluations)
    const struct {
      const char* city;
      int tx, ev, bad;
    } cities[] = {{"450100", 9, 9, 0}, {"450300", 10, 10, 2}, {"450500", 12, 9, 1}};
    for (const auto& c : cities) {
      for (int i = 0; i < c.tx; ++i) {
        tx += fmt::format("T{}-{},{},web,2024-03-{:02} 09:00,in_progress\n", c.city, i, c.city,
                          i + 1);
      }
      for (int i = 0; i < c.ev; ++i) {
        ev += fmt::format("E{}-{},,{},2024-03-{:02} 12:00,{}\n", c.city, i, c.city, i + 1,
                          i < c.bad ? 1 : 5);
      }
    }
    auto store = Store::Open(path);
    EXPECT_TRUE(store.ok());
    for (auto [kind, text] : {std::pair<const char*, std::string*>{"regions", &regions},
                              {"transactions", &tx},
                              {"evaluations", &ev}}) {
      const auto file = dir / (std::string(kind) + ".csv");
      std::ofstream(file) << *text;
      ImportRequest r;
      r.kind = *ParseKind(kind);
      r.files = {file.string()};
      r.atomic = true;
      auto s = Import(**store, r);
      EXPECT_TRUE(s.ok()) << kind << ": " << s.status().message();
    }
    return path;
  }();
  return db;
}

const PublicIndicatorRow* Find(const PublicIndicatorsResult& r, const std::string& city,
                               std::string_view code) {
  for (const auto& row : r.rows) {
    if (row.keys[0] == city && row.indicator == code) return &row;
  }
  return nullptr;
}

IndicatorsRequest ByCity(std::vector<std::string> only = {}) {
  IndicatorsRequest r;
  r.from = "2024-03-01";
  r.to = "2024-04-01";
  r.keys = {GroupKey::kCity};
  r.only = std::move(only);
  return r;
}

TEST(PublicView, NineRecordsAreSuppressedTenAreShown) {
  auto store = Store::Open(PublicStore());
  ASSERT_TRUE(store.ok());
  auto pub = PublicIndicators(**store, ByCity());
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  // Same rows as the plain indicators, in the same order.
  auto plain = Indicators(**store, ByCity());
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(pub->rows.size(), plain->rows.size());
  for (size_t i = 0; i < plain->rows.size(); ++i) {
    EXPECT_EQ(pub->rows[i].keys, plain->rows[i].keys);
    EXPECT_EQ(pub->rows[i].indicator, plain->rows[i].indicator);
    if (!pub->rows[i].suppressed) {
      EXPECT_EQ(pub->rows[i].value, plain->rows[i].value);
    }
  }
  auto expect = [&](const char* city, const char* code, bool suppressed,
                    std::optional<double> value) {
    const PublicIndicatorRow* row = Find(*pub, city, code);
    ASSERT_NE(row, nullptr) << city << " " << code;
    EXPECT_EQ(row->suppressed, suppressed) << city << " " << code;
    EXPECT_EQ(row->value, value) << city << " " << code;
  };
  expect("450100", "volume", true, std::nullopt);  // 9 transactions
  expect("450100", "online_rate", true, std::nullopt);
  expect("450100", "positive_rate", true, std::nullopt);  // 9 evaluations
  expect("450300", "volume", false, 10);
  expect("450300", "online_rate", false, 1);
  expect("450300", "positive_rate", false, 0.8);  // 8 of 10
  expect("450300", "negative_rate", false, 0.2);
  expect("450500", "volume", false, 12);
  expect("450500", "positive_rate", true, std::nullopt);  // 12 transactions, 9 evaluations
  // Point in time: judged by the group's transactions or evaluations.
  // Newest transaction 2024-03-12 09:00 local; the period ends 2024-04-01 00:00: 15 h left
  // of the 12th, then the 13th to the 31st (19 days).
  expect("450500", "freshness_hours", false, 19 * 24 + 15);
  expect("450500", "eval_freshness_hours", true, std::nullopt);
  expect("450100", "open_overdue", true, std::nullopt);

  const std::string json = render::PublicIndicatorsJson(*pub);
  EXPECT_NE(json.find("{\"city\":\"450100\",\"indicator\":\"volume\",\"value\":null,"
                      "\"suppressed\":true}"),
            std::string::npos);
  EXPECT_NE(json.find("{\"city\":\"450300\",\"indicator\":\"positive_rate\",\"value\":0.8,"
                      "\"suppressed\":false}"),
            std::string::npos);
}

TEST(PublicView, PointInTimeCountsAreNotShownUnlessAsked) {
  auto store = Store::Open(PublicStore());
  ASSERT_TRUE(store.ok());
  auto pub = PublicIndicators(**store, ByCity({"eval_freshness_hours"}));
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  ASSERT_EQ(pub->rows.size(), 3u);  // one per city, no `evaluations` rows
  EXPECT_TRUE(Find(*pub, "450100", "eval_freshness_hours")->suppressed);
  EXPECT_FALSE(Find(*pub, "450300", "eval_freshness_hours")->suppressed);
  EXPECT_TRUE(Find(*pub, "450500", "eval_freshness_hours")->suppressed);
}

TEST(PublicView, NeedsBaseMeasures) {
  auto store = Store::Open(PublicStore());
  ASSERT_TRUE(store.ok());
  auto plain = Indicators(**store, ByCity({"volume"}));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(PublicIndicatorsView(*plain).status().code(), StatusCode::kFailedPrecondition);
}

TEST(PublicView, ScoreWithholdsSmallUnitsAndSmallValues) {
  auto store = Store::Open(PublicStore());
  ASSERT_TRUE(store.ok());
  auto fw = ParseFramework(
      "[framework]\nname = \"p\"\nversion = \"1\"\nshape = \"tree\"\nmin_sample = 0\n"
      "[index]\ncode = \"index\"\naggregation = \"arithmetic\"\n"
      "[[node]]\ncode = \"all\"\nparent = \"index\"\nweight = 1\n"
      "[[indicator]]\ncode = \"online_rate\"\nparent = \"all\"\ndirection = \"higher\"\n"
      "rule = \"none\"\nweight = 1\n"
      "[[indicator]]\ncode = \"positive_rate\"\nparent = \"all\"\ndirection = \"higher\"\n"
      "rule = \"none\"\nweight = 1\n",
      "p.toml");
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  ScoreRequest r;
  r.input.from = "2024-03-01";
  r.input.to = "2024-04-01";
  r.input.by = "city";
  auto out = PublicScore(LoadedFramework{*fw, "p.toml"}, r, **store);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->input.values.units, (std::vector<std::string>{"450100", "450300", "450500"}));
  EXPECT_EQ(out->suppressed, (std::vector<bool>{true, false, false}));
  const auto& units = out->result.units;
  EXPECT_FALSE(units[0].node_score[0].has_value());  // 9 transactions: no score at all
  EXPECT_FALSE(out->input.values.values[0][0].has_value());
  EXPECT_EQ(units[0].rank, 0);
  ASSERT_TRUE(units[1].node_score[0].has_value());
  EXPECT_EQ(out->input.values.values[1][1], 0.8);
  // 450500: 12 transactions, but its positive_rate rests on 9 evaluations: left out.
  EXPECT_EQ(out->input.values.values[2][0], 1.0);
  EXPECT_FALSE(out->input.values.values[2][1].has_value());
  const std::string json = render::ScoreJson(*out);
  EXPECT_NE(json.find("\"unit\":\"450100\",\"name\":\"C1\",\"sample\":null,\"index\":null"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"suppressed\":true"), std::string::npos);
  EXPECT_EQ(json.find("\"store\":") == std::string::npos, true);
  // A values file has no public view.
  r.input.values_file = "x.csv";
  EXPECT_EQ(PublicScore(LoadedFramework{*fw, "p.toml"}, r, **store).status().code(),
            StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace govqm::app

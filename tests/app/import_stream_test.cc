// The import use case over streamed files (app/import.h): parts appended in one transaction,
// repeats across parts replaced, --max-rejects, a file found not to be UTF-8 part way, codes
// reported with no reference data. Expected counts are worked out from how the inputs are
// written, in the tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "app/import.h"
#include "app/init.h"
#include "province.h"

namespace govqm::app {
namespace {

class ImportStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = (dir_ / "govqm.db").string();
    ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  ImportRequest Request(Kind kind, const std::string& file, size_t block = 512) {
    ImportRequest r;
    r.kind = kind;
    r.files = {file};
    r.block_bytes = block;
    r.rejects.dir = dir_.string();
    return r;
  }
  Result<ImportSummary> Run(const ImportRequest& r) {
    auto store = Store::Open(db_);
    if (!store.ok()) return store.status();
    return Import(**store, r);
  }
  Table Load(Kind kind) {
    auto store = Store::Open(db_);
    EXPECT_TRUE(store.ok());
    auto t = (*store)->Load(kind);
    EXPECT_TRUE(t.ok());
    return std::move(*t);
  }

  std::filesystem::path dir_;
  std::string db_;
};

constexpr const char* kHeader = "id,region_code,channel,submitted_at,status\n";

std::string Row(const std::string& id, const std::string& region, const std::string& status) {
  return id + "," + region + ",web,2024-03-01T09:00:00+08:00," + status + "\n";
}

// 2,000 rows in blocks of 512 bytes (~11 rows): ids a0..a999 then a0..a999 again with region
// 450200. Every second copy replaces its first, whichever part each landed in: 1,000 rows
// stay, all 450200, in the second copies' order; 1,000 replaced.
TEST_F(ImportStreamTest, RepeatsAcrossPartsAreReplaced) {
  std::string csv = kHeader;
  for (int i = 0; i < 1000; ++i) csv += Row("a" + std::to_string(i), "450100", "in_progress");
  for (int i = 0; i < 1000; ++i) csv += Row("a" + std::to_string(i), "450200", "in_progress");
  auto s = Run(Request(Kind::kTransactions, Write("tx.csv", csv)));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->read, 2000);
  EXPECT_EQ(s->loaded, 2000);
  EXPECT_EQ(s->replaced, 1000);
  const Table t = Load(Kind::kTransactions);
  ASSERT_EQ(t.rows(), 1000u);
  for (size_t r = 0; r < t.rows(); ++r) {
    EXPECT_EQ(t.col(tx_col::kRegionCode).CodeAt(r), "450200");
    EXPECT_EQ(t.col(tx_col::kId).TextAt(r), "a" + std::to_string(r));
  }
}

// 1,000 rows, every 10th with a bad status: 100 rejected. A limit of 99 or 9.9% refuses
// (nothing loaded, the rejects written); 100 or 10% lets it through.
TEST_F(ImportStreamTest, MaxRejectsRefusesOrLets) {
  std::string csv = kHeader;
  for (int i = 0; i < 1000; ++i) {
    csv += Row("m" + std::to_string(i), "450100", i % 10 == 9 ? "finished" : "in_progress");
  }
  const std::string file = Write("m.csv", csv);
  for (const char* limit : {"99", "9.9%"}) {
    ImportRequest r = Request(Kind::kTransactions, file);
    r.max_rejects = *ParseMaxRejects(limit);
    auto s = Run(r);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_TRUE(s->max_rejects_refused) << limit;
    EXPECT_EQ(s->loaded, 0);
    EXPECT_EQ(Load(Kind::kTransactions).rows(), 0u) << limit;
    EXPECT_TRUE(std::filesystem::exists(dir_ / "m.rejects.csv"));
    const Status error = MaxRejectsRefusal(*s, r.max_rejects);
    EXPECT_NE(error.message().find("nothing loaded"), std::string::npos) << error.message();
  }
  for (const char* limit : {"100", "10%"}) {
    ImportRequest r = Request(Kind::kTransactions, file);
    r.max_rejects = *ParseMaxRejects(limit);
    auto s = Run(r);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_FALSE(s->max_rejects_refused) << limit;
    EXPECT_EQ(s->rejected, 100);
    EXPECT_EQ(s->loaded, 900);
    ASSERT_EQ(s->top_reasons.size(), 1u);
    EXPECT_EQ(s->top_reasons[0].column, "status");
    EXPECT_EQ(s->top_reasons[0].count, 100);
    EXPECT_EQ(s->top_reasons[0].reason,
              "unknown status '…' (expected in_progress|completed|rejected|withdrawn)");
  }
  EXPECT_EQ(Load(Kind::kTransactions).rows(), 900u);
  EXPECT_FALSE(ParseMaxRejects("").has_value());
  EXPECT_FALSE(ParseMaxRejects("101%").has_value());
  EXPECT_FALSE(ParseMaxRejects("-1").has_value());
  EXPECT_FALSE(ParseMaxRejects("1.5").has_value());
  EXPECT_FALSE(ParseMaxRejects("ten").has_value());
}

// GB18030 only after the first parts: those were written, so the import starts again and
// reads the file whole, detected as GB18030 ("区" = C7 F8 in GB18030, E5 8C BA in UTF-8).
TEST_F(ImportStreamTest, AFileFoundNotUtf8PartWayIsReadAgainWhole) {
  std::string csv = kHeader;
  for (int i = 0; i < 300; ++i) csv += Row("g" + std::to_string(i), "450100", "in_progress");
  for (int i = 300; i < 320; ++i) csv += Row("g" + std::to_string(i), "\xC7\xF8" "1", "in_progress");
  auto s = Run(Request(Kind::kTransactions, Write("gb.csv", csv)));
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->files.size(), 1u);
  EXPECT_EQ(s->files[0].encoding, "GB18030");
  EXPECT_EQ(s->loaded, 320);
  const Table t = Load(Kind::kTransactions);
  ASSERT_EQ(t.rows(), 320u);  // not 320 + the parts of the first attempt
  EXPECT_EQ(t.col(tx_col::kRegionCode).CodeAt(319), "\xE5\x8C\xBA" "1");
}

// No regions loaded: the codes are reported as unchecked, with how many and which.
TEST_F(ImportStreamTest, CodesAreReportedWithoutReferenceData) {
  std::string csv = kHeader;
  for (int i = 0; i < 30; ++i) csv += Row("u" + std::to_string(i), "R" + std::to_string(i % 3), "in_progress");
  auto s = Run(Request(Kind::kTransactions, Write("u.csv", csv)));
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->unknown_codes.count("region_code"), 1u);
  const UnknownCodes& u = s->unknown_codes.at("region_code");
  EXPECT_TRUE(u.no_reference);
  EXPECT_EQ(u.rows, 30);
  EXPECT_EQ(u.distinct, (std::set<std::string>{"R0", "R1", "R2"}));
  EXPECT_EQ(s->times_without_offset, 0);  // every time here carries +08:00
  EXPECT_EQ(s->zone, "Asia/Shanghai");
  EXPECT_EQ(s->zone_source, "store");
}

// Which columns carry values: submitted_at, status and the rest here; accepted_at never.
TEST_F(ImportStreamTest, TheSummarySaysWhichColumnsWereLoaded) {
  std::string csv = "id,region_code,channel,submitted_at,status,accepted_at\n";
  csv += "c1,450100,web,2024-03-01 09:00,in_progress,\n";
  csv += "c2,450100,web,2024-03-01 09:00,in_progress,\n";
  auto s = Run(Request(Kind::kTransactions, Write("c.csv", csv)));
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->loaded_columns.size(), GetKindDef(Kind::kTransactions).columns.size());
  EXPECT_TRUE(s->loaded_columns[tx_col::kSubmittedAt]);
  EXPECT_TRUE(s->loaded_columns[tx_col::kStatus]);
  EXPECT_FALSE(s->loaded_columns[tx_col::kAcceptedAt]);
  EXPECT_FALSE(s->loaded_columns[tx_col::kCompletedAt]);
  EXPECT_EQ(s->times_without_offset, 2);  // "2024-03-01 09:00" twice: the store's zone
  // Handling days need accepted_at (and completed_at): listed; volume needs neither: not.
  auto find = [&](const std::string& code) -> const ImportSummary::Unfed* {
    for (const auto& u : s->unfed) {
      if (u.code == code) return &u;
    }
    return nullptr;
  };
  ASSERT_NE(find("avg_handling_days"), nullptr);
  const auto& missing = find("avg_handling_days")->missing;
  EXPECT_NE(std::find(missing.begin(), missing.end(), "accepted_at"), missing.end());
  EXPECT_EQ(find("volume"), nullptr);
}

}  // namespace
}  // namespace govqm::app

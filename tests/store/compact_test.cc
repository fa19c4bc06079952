// Replaced rows give their space back: automatically when an import leaves a segment
// mostly replaced, and on `govqm compact` for the rest; both atomic.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "store/store.h"
#include "store/test_rows.h"

namespace govqm {
namespace {

namespace fs = std::filesystem;
using storetest::Hashes;
using storetest::Tx;

class CompactTest : public storetest::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
  }

  // Imports ids [first, last) labelled `region` in one commit.
  void Import(Store& store, int first, int last, const std::string& region) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (int i = first; i < last; ++i) rows.emplace_back(Id(i), region);
    Table t = Tx(rows);
    auto txn = store.BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(store.Append(t, Hashes(t)).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  // Long ids, so that rows take real space.
  static std::string Id(int i) { return "transaction-" + std::to_string(i) + std::string(40, 'x'); }
  // Segment (rows, live) pairs of the transactions, in order.
  std::vector<std::pair<int64_t, int64_t>> Segments() {
    sqlite3* db;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q;
    sqlite3_prepare_v2(db, "SELECT rows, live FROM segments WHERE kind = 'transactions' ORDER BY id",
                       -1, &q, nullptr);
    std::vector<std::pair<int64_t, int64_t>> out;
    while (sqlite3_step(q) == SQLITE_ROW) {
      out.emplace_back(sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return out;
  }
  // id -> region of the live rows, in load order.
  static std::vector<std::pair<std::string, std::string>> Live(const Store& s) {
    auto t = s.Load(Kind::kTransactions);
    EXPECT_TRUE(t.ok()) << t.status().message();
    std::vector<std::pair<std::string, std::string>> v;
    for (size_t r = 0; r < t->rows(); ++r) {
      v.emplace_back(t->col(tx_col::kId).TextAt(r), t->col(tx_col::kRegionCode).CodeAt(r));
    }
    return v;
  }

};

TEST_F(CompactTest, ImportThatReplacesMostOfASegmentRewritesIt) {
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  Import(**s, 0, 10, "A");
  Import(**s, 0, 6, "B");  // 6 of 10 replaced: the first segment keeps 4 rows, rewritten
  EXPECT_EQ(Segments(), (std::vector<std::pair<int64_t, int64_t>>{{4, 4}, {6, 6}}));
  Import(**s, 6, 9, "C");  // 3 of the first segment's 4 replaced: rewritten to 1
  Import(**s, 9, 10, "D");  // its last row: the segment is dropped
  EXPECT_EQ(Segments(), (std::vector<std::pair<int64_t, int64_t>>{{6, 6}, {3, 3}, {1, 1}}));
  std::vector<std::pair<std::string, std::string>> want;
  for (int i = 0; i < 6; ++i) want.emplace_back(Id(i), "B");
  for (int i = 6; i < 9; ++i) want.emplace_back(Id(i), "C");
  want.emplace_back(Id(9), "D");
  EXPECT_EQ(Live(**s), want);
}

TEST_F(CompactTest, ImportThatReplacesLessThanHalfLeavesItForCompact) {
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  Import(**s, 0, 10, "A");
  Import(**s, 0, 3, "B");
  EXPECT_EQ(Segments(), (std::vector<std::pair<int64_t, int64_t>>{{10, 7}, {3, 3}}));
  auto stats = (*s)->Compact();
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->segments_rewritten, 1);
  EXPECT_EQ(stats->rows_dropped, 3);
  EXPECT_EQ(Segments(), (std::vector<std::pair<int64_t, int64_t>>{{7, 7}, {3, 3}}));
  std::vector<std::pair<std::string, std::string>> want;
  for (int i = 3; i < 10; ++i) want.emplace_back(Id(i), "A");
  for (int i = 0; i < 3; ++i) want.emplace_back(Id(i), "B");
  EXPECT_EQ(Live(**s), want);
  // Replacement still finds the rewritten rows.
  Import(**s, 5, 6, "E");
  EXPECT_EQ(*(*s)->CountRows(Kind::kTransactions), 10);
}

// Re-importing the same file again and again: the store stays the size of one copy (the
// old segments die whole and their pages are reused), and compact shrinks the file.
TEST_F(CompactTest, ReimportsDoNotGrowTheStore) {
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  Import(**s, 0, 20000, "A");
  ASSERT_TRUE((*s)->Compact().ok());
  const auto one_copy = fs::file_size(path_);
  for (int i = 0; i < 6; ++i) Import(**s, 0, 20000, "R" + std::to_string(i));
  EXPECT_EQ(Segments().size(), 1u);
  auto stats = (*s)->Compact();
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_LE(stats->bytes_after, stats->bytes_before);
  // Within a few pages of one copy (page size 64 KiB).
  EXPECT_LE(fs::file_size(path_), one_copy + 4 * 65536);
  EXPECT_EQ(*(*s)->CountRows(Kind::kTransactions), 20000);
}

// compact killed at random moments, many times: the store opens and holds the same rows.
TEST_F(CompactTest, CompactKilledAtAnyMomentLosesNothing) {
  std::vector<std::pair<std::string, std::string>> want;
  {
    auto s = Store::Open(path_);
    ASSERT_TRUE(s.ok());
    Import(**s, 0, 30000, "A");
    want = Live(**s);
  }
  std::mt19937 rng(11);
  for (int round = 0; round < 15; ++round) {
    {
      auto s = Store::Open(path_);
      ASSERT_TRUE(s.ok()) << s.status().message();
      // Replace a fifth of some segment's rows (under the automatic threshold) with the
      // same values, so there is always something to compact.
      const int first = static_cast<int>(rng() % 24000);
      Import(**s, first, first + 6000, "A");
    }
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto s = Store::Open(path_);
      ::_exit(s.ok() && (*s)->Compact().ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 200000));
    ::kill(child, SIGKILL);
    int status;
    ::waitpid(child, &status, 0);
    auto s = Store::Open(path_);
    ASSERT_TRUE(s.ok()) << "round " << round << ": " << s.status().message();
    auto live = Live(**s);
    std::map<std::string, std::string> got(live.begin(), live.end());
    ASSERT_EQ(got.size(), 30000u) << "round " << round;
    ASSERT_EQ(live.size(), 30000u) << "round " << round;
    for (const auto& [id, region] : want) ASSERT_EQ(got[id], region);
  }
}

}  // namespace
}  // namespace govqm

#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <map>

namespace govqm {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("govqm_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "s.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Appends a row: text and code columns from `values` (by column index), times 1000, the
  // rest null.
  static void AddRow(Table& t, const std::map<int, std::string>& values) {
    for (int c = 0; c < static_cast<int>(t.def().columns.size()); ++c) {
      Column& col = t.col(c);
      auto v = values.find(c);
      switch (col.type) {
        case ColumnType::kText:
          col.text.append(v != values.end() ? v->second : "");
          col.offsets.push_back(col.text.size());
          break;
        case ColumnType::kCode:
          col.codes.push_back(v != values.end() ? col.dict.Intern(v->second) : kNullCode);
          break;
        case ColumnType::kTime: col.times.push_back(1000); break;
        case ColumnType::kInt: col.ints.push_back(kNullInt); break;
        case ColumnType::kReal: col.reals.push_back(kNullReal); break;
        case ColumnType::kBool:
        case ColumnType::kEnum: col.bytes.push_back(kNullBool); break;
      }
    }
    t.SetRows(t.rows() + 1);
  }
  // A transactions table with ids and regions; other columns null (times 1000).
  static Table Tx(const std::vector<std::pair<std::string, std::string>>& id_region) {
    Table t(Kind::kTransactions);
    for (const auto& [id, region] : id_region) {
      AddRow(t, {{tx_col::kId, id}, {tx_col::kRegionCode, region}});
    }
    return t;
  }
  static std::vector<uint64_t> Hashes(const Table& t) {
    std::vector<uint64_t> h;
    for (size_t r = 0; r < t.rows(); ++r) h.push_back(IdentityHash(t, r));
    return h;
  }
  // id -> region of the live rows.
  static std::map<std::string, std::string> Live(const Store& s) {
    auto t = s.Load(Kind::kTransactions);
    EXPECT_TRUE(t.ok()) << t.status().message();
    std::map<std::string, std::string> m;
    for (size_t r = 0; r < t->rows(); ++r) {
      m[std::string(t->col(tx_col::kId).TextAt(r))] = std::string(t->col(tx_col::kRegionCode).CodeAt(r));
    }
    return m;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(StoreTest, CreateKeepsZoneAndRefusesExistingFile) {
  {
    auto s = Store::Create(path_, "Asia/Shanghai");
    ASSERT_TRUE(s.ok()) << s.status().message();
  }
  auto again = Store::Create(path_, "UTC");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), "store " + path_ + " already exists");
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->zone(), "Asia/Shanghai");
}

TEST_F(StoreTest, OpenMissingStoreSaysRunInit) {
  auto s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "no store at " + path_ + " (run 'govqm init' first)");
}

TEST_F(StoreTest, AppendThenReplaceByIdAcrossImports) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  Table a = Tx({{"t1", "R1"}, {"t2", "R1"}, {"t3", "R2"}});
  ASSERT_TRUE((*s)->Begin().ok());
  auto st = (*s)->Append(a, Hashes(a));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->loaded, 3);
  EXPECT_EQ(st->replaced, 0);
  ASSERT_TRUE((*s)->Commit().ok());

  // t2 moves to R3, t4 is new: one replacement, never a duplicate.
  Table b = Tx({{"t2", "R3"}, {"t4", "R2"}});
  ASSERT_TRUE((*s)->Begin().ok());
  st = (*s)->Append(b, Hashes(b));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->loaded, 2);
  EXPECT_EQ(st->replaced, 1);
  ASSERT_TRUE((*s)->Commit().ok());

  const std::map<std::string, std::string> expected = {
      {"t1", "R1"}, {"t2", "R3"}, {"t3", "R2"}, {"t4", "R2"}};
  EXPECT_EQ(Live(**s), expected);
  EXPECT_EQ(*(*s)->CountRows(Kind::kTransactions), 4);

  // Replace the replacement: the second segment's row is superseded too.
  Table c = Tx({{"t2", "R9"}});
  ASSERT_TRUE((*s)->Begin().ok());
  st = (*s)->Append(c, Hashes(c));
  ASSERT_EQ(st->replaced, 1);
  ASSERT_TRUE((*s)->Commit().ok());
  s = Store::Open(path_);  // survives reopening
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Live(**s).at("t2"), "R9");
  EXPECT_EQ(Live(**s).size(), 4u);
}

TEST_F(StoreTest, HashCollisionDoesNotReplaceADifferentId) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  Table a = Tx({{"x", "R1"}});
  Table b = Tx({{"y", "R2"}});
  // Force the same hash for different ids: the store must compare the ids themselves.
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(a, {42}).ok());
  auto st = (*s)->Append(b, {42});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->replaced, 0);
  ASSERT_TRUE((*s)->Commit().ok());
  EXPECT_EQ(Live(**s).size(), 2u);
}

TEST_F(StoreTest, RollbackLeavesStoreAsBefore) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  Table a = Tx({{"t1", "R1"}});
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(a, Hashes(a)).ok());
  ASSERT_TRUE((*s)->Commit().ok());
  Table b = Tx({{"t1", "R2"}, {"t5", "R2"}});
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(b, Hashes(b)).ok());
  (*s)->Rollback();
  const std::map<std::string, std::string> expected = {{"t1", "R1"}};
  EXPECT_EQ(Live(**s), expected);
}

TEST_F(StoreTest, SegmentsSplitLargeAppendsAndLoadSelectedColumns) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  std::vector<std::pair<std::string, std::string>> rows;
  const size_t n = kSegmentRows + 10;  // two segments
  rows.reserve(n);
  for (size_t i = 0; i < n; ++i) rows.emplace_back("id" + std::to_string(i), i % 2 ? "A" : "B");
  Table t = Tx(rows);
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(t, Hashes(t)).ok());
  ASSERT_TRUE((*s)->Commit().ok());
  const std::vector<int> cols = {tx_col::kRegionCode};
  auto loaded = (*s)->Load(Kind::kTransactions, &cols);
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->rows(), n);
  EXPECT_EQ(loaded->col(tx_col::kRegionCode).CodeAt(n - 1), "A");  // n-1 = odd
  EXPECT_EQ(loaded->col(tx_col::kRegionCode).CodeAt(n - 2), "B");
  EXPECT_EQ(loaded->col(tx_col::kId).size(), 0u);  // not requested: left empty
  EXPECT_TRUE(loaded->col(tx_col::kSubmittedAt).times.empty());
}

// The join fingerprints of transactions' ids: stored at import, read back per live row (also
// past replaced rows and into a reused table), and derived from the id text for segments
// written before fingerprints were kept.
TEST_F(StoreTest, JoinFingerprintsAreStoredAndDerivedForOlderSegments) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Table a = Tx({{"t1", "R1"}, {"t2", "R1"}, {"t3", "R2"}});
    Table b = Tx({{"t2", "R9"}, {"t4", "R2"}});  // replaces t2 of the first segment
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(a, Hashes(a)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(b, Hashes(b)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
  }
  auto check = [&](const char* when) {
    auto s = Store::Open(path_);
    ASSERT_TRUE(s.ok());
    const std::vector<int> cols = {tx_col::kId, Store::FingerprintColumn(0)};
    auto t = (*s)->Load(Kind::kTransactions, &cols);
    ASSERT_TRUE(t.ok()) << t.status().message();
    ASSERT_EQ(t->rows(), 4u) << when;
    ASSERT_EQ(t->fingerprints[0].size(), 4u) << when;
    std::vector<std::string> ids;
    for (size_t r = 0; r < t->rows(); ++r) {
      ids.emplace_back(t->col(tx_col::kId).TextAt(r));
      EXPECT_EQ(t->fingerprints[0][r], FingerprintOf(ids.back())) << when << " " << ids.back();
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"t1", "t3", "t2", "t4"})) << when;
    // Segment by segment into one reused table (the streamed path): sizes 2 then 2.
    auto segments = (*s)->ListSegments(Kind::kTransactions);
    ASSERT_TRUE(segments.ok());
    Table reused(Kind::kTransactions);
    for (const auto& seg : *segments) {
      ASSERT_TRUE((*s)->LoadSegments(Kind::kTransactions, {seg}, &cols, &reused).ok());
      ASSERT_EQ(reused.fingerprints[0].size(), reused.rows());
      for (size_t r = 0; r < reused.rows(); ++r) {
        EXPECT_EQ(reused.fingerprints[0][r], FingerprintOf(reused.col(tx_col::kId).TextAt(r)));
      }
    }
  };
  check("stored");
  // An older store: no fingerprint chunks at all.
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM chunks WHERE col = -2", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_changes(db), 2);
  sqlite3_close(db);
  check("derived");
  // Different texts give different fingerprints; empty text gives none.
  EXPECT_NE(FingerprintOf("t1"), FingerprintOf("t2"));
  EXPECT_TRUE(FingerprintOf("").empty());
  EXPECT_FALSE(FingerprintOf("x").empty());
}

// Evaluations keep two fingerprinted columns (transaction_id, id): each is read back as its
// own pseudo column.
TEST_F(StoreTest, EveryFingerprintedColumnIsKept) {
  Table t(Kind::kEvaluations);
  for (int i = 0; i < 3; ++i) {
    AddRow(t, {{eval_col::kId, "e" + std::to_string(i)},
               {eval_col::kTransactionId, "t" + std::to_string(10 + i)}});
  }
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(t, Hashes(t)).ok());
  ASSERT_TRUE((*s)->Commit().ok());
  ASSERT_EQ(t.def().fingerprinted.size(), 2u);
  const std::vector<int> cols = {Store::FingerprintColumn(0), Store::FingerprintColumn(1)};
  auto loaded = (*s)->Load(Kind::kEvaluations, &cols);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->rows(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(loaded->fingerprints[0][i], FingerprintOf("t" + std::to_string(10 + i)));
    EXPECT_EQ(loaded->fingerprints[1][i], FingerprintOf("e" + std::to_string(i)));
  }
  EXPECT_EQ(loaded->col(eval_col::kId).size(), 0u);  // the text itself was not read
}

TEST_F(StoreTest, NewerSchemaVersionIsRefused) {
  { ASSERT_TRUE(Store::Create(path_, "UTC").ok()); }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "store " + path_ +
                                      " has schema version 99, newer than this govqm (1); upgrade govqm");
}

}  // namespace
}  // namespace govqm

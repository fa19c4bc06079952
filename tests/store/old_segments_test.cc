// Stores written before evaluations gained their contact column (appended last to the kind)
// have segments without its chunk: they read as nulls, and mix with newer segments. A store
// of that age is made here the way the older program left it: the same segments, without
// the chunk of the new column (the older program wrote one chunk per column it knew).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>

#include "store/store.h"
#include "store/test_rows.h"

namespace govqm {
namespace {

class OldSegmentsTest : public storetest::ScratchDirTest {
 protected:
  static Table Evals(const std::map<std::string, std::string>& id_contact) {
    Table t(Kind::kEvaluations);
    for (const auto& [id, contact] : id_contact) {
      storetest::AddRow(t, {{eval_col::kId, id},
                            {eval_col::kRegionCode, "450100"},
                            {eval_col::kComment, "comment of " + id},
                            {eval_col::kContact, contact}});
    }
    return t;
  }
  void Append(Store& s, const Table& t) {
    ASSERT_TRUE(s.Begin().ok());
    auto st = s.Append(t, storetest::Hashes(t));
    ASSERT_TRUE(st.ok()) << st.status().message();
    ASSERT_TRUE(s.Commit().ok());
  }
  // Removes every chunk of column `col` (what a store written before that column lacks);
  // returns how many there were.
  int DropChunks(int col) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    const std::string sql = "DELETE FROM chunks WHERE col = " + std::to_string(col);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    const int n = sqlite3_changes(db);
    sqlite3_close(db);
    return n;
  }
  // id -> (comment, contact) of the live evaluations.
  static std::map<std::string, std::pair<std::string, std::string>> Live(const Store& s) {
    auto t = s.Load(Kind::kEvaluations);
    EXPECT_TRUE(t.ok()) << t.status().message();
    std::map<std::string, std::pair<std::string, std::string>> m;
    if (!t.ok()) return m;
    for (size_t r = 0; r < t->rows(); ++r) {
      m[std::string(t->col(eval_col::kId).TextAt(r))] = {
          std::string(t->col(eval_col::kComment).TextAt(r)),
          std::string(t->col(eval_col::kContact).TextAt(r))};
    }
    return m;
  }
};

TEST_F(OldSegmentsTest, SegmentsWithoutTheContactChunkReadAsNullsBesideNewOnes) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok()) << s.status().message();
    Append(**s, Evals({{"e1", ""}, {"e2", ""}, {"e3", ""}}));
  }
  ASSERT_EQ(DropChunks(eval_col::kContact), 1);  // the one segment's
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  using Row = std::pair<std::string, std::string>;
  EXPECT_EQ(Live(**s), (std::map<std::string, Row>{{"e1", {"comment of e1", ""}},
                                                   {"e2", {"comment of e2", ""}},
                                                   {"e3", {"comment of e3", ""}}}));
  // A newer import with contacts, replacing e2 of the old segment (which then has a deleted
  // row, so it is read through the path that skips rows).
  Append(**s, Evals({{"e2", "c2-sealed"}, {"e4", "c4-sealed"}}));
  const std::map<std::string, Row> mixed = {{"e1", {"comment of e1", ""}},
                                            {"e2", {"comment of e2", "c2-sealed"}},
                                            {"e3", {"comment of e3", ""}},
                                            {"e4", {"comment of e4", "c4-sealed"}}};
  EXPECT_EQ(Live(**s), mixed);
  // Only the contact column asked for: the old segment gives nulls, the new its values.
  const std::vector<int> only = {eval_col::kId, eval_col::kContact};
  auto t = (*s)->Load(Kind::kEvaluations, &only);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->rows(), 4u);
  // Compaction rewrites the old segment with the chunk it lacked; nothing changes.
  auto c = (*s)->Compact();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(Live(**s), mixed);
  s->reset();
  EXPECT_EQ(DropChunks(eval_col::kContact), 2);  // both segments have the chunk now
}

TEST_F(OldSegmentsTest, MissingFixedWidthOptionalColumnReadsAsNulls) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Table t = Evals({{"e1", ""}, {"e2", ""}});
    t.col(eval_col::kEvaluatorAge).ints = {30, 70};
    Append(**s, t);
    Table u = Evals({{"e3", ""}});
    u.col(eval_col::kEvaluatorAge).ints = {45};
    Append(**s, u);
  }
  // The first segment loses its ages: read in place (no deleted rows), they are nulls.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db,
                   ("DELETE FROM chunks WHERE col = " + std::to_string(eval_col::kEvaluatorAge) +
                    " AND segment_id = (SELECT MIN(id) FROM segments)")
                       .c_str(),
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  auto t = (*s)->Load(Kind::kEvaluations);
  ASSERT_TRUE(t.ok()) << t.status().message();
  std::map<std::string, int32_t> ages;
  for (size_t r = 0; r < t->rows(); ++r) {
    ages[std::string(t->col(eval_col::kId).TextAt(r))] = t->col(eval_col::kEvaluatorAge).ints[r];
  }
  EXPECT_EQ(ages, (std::map<std::string, int32_t>{{"e1", kNullInt}, {"e2", kNullInt}, {"e3", 45}}));
}

TEST_F(OldSegmentsTest, MissingRequiredColumnIsStillDamage) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Append(**s, Evals({{"e1", ""}}));
  }
  ASSERT_EQ(DropChunks(eval_col::kRegionCode), 1);
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  auto t = (*s)->Load(Kind::kEvaluations);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kIo);
  EXPECT_NE(t.status().message().find("lacks column 2"), std::string::npos) << t.status().message();
}

}  // namespace
}  // namespace govqm

// PrepareBulkAppend (store.h): an import's parts are committed as pending segments as they
// come, and nobody sees them, or what they replace, before the import's own Commit. A kill
// leaves pending segments that the next write removes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>

#include "store/store.h"
#include "store/test_rows.h"

namespace govqm {
namespace {

class BulkAppendTest : public storetest::ScratchDirTest {
 protected:
  // id -> region of the live rows.
  static std::map<std::string, std::string> Live(const Store& s) { return storetest::LiveTransactions(s); }
  // Segments in the file whose kind is still pending (read with SQLite itself).
  int PendingSegments() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM segments WHERE kind LIKE 'pending:%'", -1, &q, nullptr);
    int n = -1;
    if (sqlite3_step(q) == SQLITE_ROW) n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
  }
  Status Append(Store& s, const std::vector<std::pair<std::string, std::string>>& rows,
                int64_t* replaced = nullptr) {
    const Table t = storetest::Tx(rows);
    auto stats = s.Append(t, storetest::Hashes(t));
    if (!stats.ok()) return stats.status();
    if (replaced != nullptr) *replaced += stats->replaced;
    return Status::Ok();
  }
};

TEST_F(BulkAppendTest, NothingShowsBeforeTheCommitThenAllOfIt) {
  auto writer = Store::Create(path_, "UTC");
  ASSERT_TRUE(writer.ok());
  {
    auto txn = (*writer)->BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(Append(**writer, {{"a", "R1"}, {"b", "R1"}}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto reader = Store::Open(path_);
  ASSERT_TRUE(reader.ok());
  const int64_t counter = *(*reader)->CommitCounter();

  ASSERT_TRUE((*writer)->Begin().ok());
  (*writer)->PrepareBulkAppend();
  int64_t replaced = 0;
  // Part 1 replaces the committed "a"; part 2 replaces part 1's "c" and adds "d".
  ASSERT_TRUE(Append(**writer, {{"a", "R2"}, {"c", "R2"}}, &replaced).ok());
  ASSERT_TRUE(Append(**writer, {{"c", "R3"}, {"d", "R3"}}, &replaced).ok());
  EXPECT_EQ(replaced, 2);
  EXPECT_EQ(PendingSegments(), 2);  // committed to the file, as pending
  // Another process sees the store as it was: "a" not replaced, nothing new, same counter.
  EXPECT_EQ(Live(**reader), (std::map<std::string, std::string>{{"a", "R1"}, {"b", "R1"}}));
  EXPECT_EQ(*(*reader)->CountRows(Kind::kTransactions), 2);
  EXPECT_EQ(*(*reader)->CommitCounter(), counter);
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(PendingSegments(), 0);
  EXPECT_EQ(Live(**reader), (std::map<std::string, std::string>{
                                {"a", "R2"}, {"b", "R1"}, {"c", "R3"}, {"d", "R3"}}));
  EXPECT_EQ(*(*reader)->CountRows(Kind::kTransactions), 4);
  EXPECT_NE(*(*reader)->CommitCounter(), counter);
}

TEST_F(BulkAppendTest, RollbackRemovesThePendingParts) {
  auto writer = Store::Create(path_, "UTC");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Begin().ok());
  (*writer)->PrepareBulkAppend();
  ASSERT_TRUE(Append(**writer, {{"a", "R1"}}).ok());
  EXPECT_EQ(PendingSegments(), 1);
  (*writer)->Rollback();
  EXPECT_EQ(PendingSegments(), 0);
  EXPECT_TRUE(Live(**writer).empty());
}

TEST_F(BulkAppendTest, AKilledImportLeavesNothingVisibleAndTheNextWriteCleansUp) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    auto txn = (*s)->BeginWrite();
    ASSERT_TRUE(Append(**s, {{"a", "R1"}}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  // A child process appends in bulk and dies without committing or rolling back.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto s = Store::Open(path_);
    if (!s.ok() || !(*s)->Begin().ok()) _exit(2);
    (*s)->PrepareBulkAppend();
    const Table t = storetest::Tx({{"a", "R9"}, {"z", "R9"}});
    if (!(*s)->Append(t, storetest::Hashes(t)).ok()) _exit(3);
    _exit(0);  // no destructor, no rollback: as if killed
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(PendingSegments(), 1);
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Live(**s), (std::map<std::string, std::string>{{"a", "R1"}}));
  // The next write (the dead import's lock went with it) removes what it left.
  ASSERT_TRUE((*s)->PutSetting("k", "v").ok());
  EXPECT_EQ(PendingSegments(), 0);
  EXPECT_EQ(Live(**s), (std::map<std::string, std::string>{{"a", "R1"}}));
}

}  // namespace
}  // namespace govqm

// What Store::Create and Store::Open do with files that are not (yet) whole govqm stores:
// an init killed at any moment, another application's database, a read-only store.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "store/store.h"
#include "store/test_rows.h"

namespace govqm {
namespace {

namespace fs = std::filesystem;

class OpenTest : public storetest::ScratchDirTest {
 protected:
  static std::string Bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

};

// init killed at random moments, many times: afterwards there is either no store at all or
// a whole one, and init (or open) works on it — never a file every command refuses.
TEST_F(OpenTest, CreateKilledAtAnyMomentLeavesNoStoreOrAWholeOne) {
  std::mt19937 rng(7);
  int whole = 0, absent = 0;
  for (int i = 0; i < 40; ++i) {
    fs::remove(path_);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto s = Store::Create(path_, "Asia/Shanghai");
      ::_exit(s.ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30000));
    ::kill(child, SIGKILL);
    int status;
    ::waitpid(child, &status, 0);
    if (fs::exists(path_)) {
      auto s = Store::Open(path_);
      ASSERT_TRUE(s.ok()) << "after kill " << i << ": " << s.status().message();
      EXPECT_EQ((*s)->zone(), "Asia/Shanghai");
      ++whole;
    } else {
      auto s = Store::Create(path_, "UTC");  // init can simply run again
      ASSERT_TRUE(s.ok()) << s.status().message();
      ++absent;
    }
  }
  // Only hidden temporaries of killed inits may remain beside it; the next init clears them.
  fs::remove(path_);
  ASSERT_TRUE(Store::Create(path_, "UTC").ok());
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().rfind("s.db", 0), 0u) << e.path();
  }
  EXPECT_GT(whole + absent, 0);
}

TEST_F(OpenTest, CreateReplacesAnEmptyFileButNothingElse) {
  { std::ofstream(path_).flush(); }
  ASSERT_EQ(fs::file_size(path_), 0u);
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok()) << s.status().message();
  s = Store::Create(path_, "UTC");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kAlreadyExists);
}

// --db pointing at another application's SQLite file: refused, and the file is untouched.
TEST_F(OpenTest, AnotherApplicationsDatabaseIsRefusedUntouched) {
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE users(name TEXT); INSERT INTO users VALUES('ann');",
                         nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const std::string before = Bytes(path_);
  auto s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.status().message().find("not a govqm store"), std::string::npos) << s.status().message();
  EXPECT_EQ(Bytes(path_), before);
  EXPECT_FALSE(fs::exists(path_ + "-wal"));
  // Also with a table named like one of ours.
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE meta(key TEXT, value TEXT);", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::string before2 = Bytes(path_);
  EXPECT_FALSE(Store::Open(path_).ok());
  EXPECT_EQ(Bytes(path_), before2);
}

TEST_F(OpenTest, FilesThatAreNotDatabasesAreNamed) {
  { std::ofstream(path_) << "id,region_code\n1,R\n"; }
  auto s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), path_ + " is not a govqm store (it is not an SQLite database)");
  { std::ofstream(path_, std::ios::trunc).flush(); }
  s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), path_ + " is not a govqm store (it is an empty file)");
  s = Store::Open(dir_.string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), dir_.string() + " is a directory, not a govqm store");
  s = Store::Open((dir_ / "none.db").string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
}

// A store in a read-only directory (as on a read-only mount) reads, and refuses writes with
// a reason. Root ignores permissions, so the reading runs as `nobody` when the test is root.
TEST_F(OpenTest, ReadOnlyStoreReads) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Table t = storetest::Tx({{"a", "R1"}, {"b", "R2"}});
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(t, storetest::Hashes(t)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
  }
  ASSERT_FALSE(fs::exists(path_ + "-wal"));  // a clean close folds the WAL in
  fs::permissions(path_, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
    auto s = Store::Open(path_);
    if (!s.ok()) {
      std::fprintf(stderr, "open: %s\n", s.status().message().c_str());
      ::_exit(11);
    }
    if (!(*s)->read_only()) ::_exit(12);
    auto t = (*s)->Load(Kind::kTransactions);
    if (!t.ok() || t->rows() != 2 || t->col(tx_col::kRegionCode).CodeAt(1) != "R2") ::_exit(13);
    Status w = (*s)->Begin();
    if (w.code() != StatusCode::kFailedPrecondition) ::_exit(14);
    if (w.message().find("read-only") == std::string::npos) ::_exit(15);
    // Nor is a delivered alert remembered (alerts --deliver refuses such a store up front).
    if ((*s)->MarkAlertDelivered("u", "id", 1).code() != StatusCode::kFailedPrecondition) ::_exit(16);
    auto delivered = (*s)->AlertDelivered("u", "id");
    if (!delivered.ok() || *delivered) ::_exit(17);
    ::_exit(0);
  }
  int status;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// A read-only store of schema 4 (before delivered alerts) still reads, and has delivered
// nothing; it is not migrated.
TEST_F(OpenTest, ReadOnlySchemaFourStoreReads) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Table t = storetest::Tx({{"a", "R1"}});
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(t, storetest::Hashes(t)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
  }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE delivered_alerts; PRAGMA user_version = 4", nullptr,
                         nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  fs::permissions(path_, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                            fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
    auto s = Store::Open(path_);
    if (!s.ok()) {
      std::fprintf(stderr, "open: %s\n", s.status().message().c_str());
      ::_exit(11);
    }
    if (!(*s)->read_only()) ::_exit(12);
    auto t = (*s)->Load(Kind::kTransactions);
    if (!t.ok() || t->rows() != 1) ::_exit(13);
    auto delivered = (*s)->AlertDelivered("u", "id");
    if (!delivered.ok()) {
      std::fprintf(stderr, "delivered: %s\n", delivered.status().message().c_str());
      ::_exit(14);
    }
    if (*delivered) ::_exit(15);
    ::_exit(0);
  }
  int status;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace govqm

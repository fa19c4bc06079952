// Faults injected through the Env seam (leveldb's FaultInjectionTestEnv in spirit): the
// production program has no abort hook; these tests run the import use case with an Env
// that aborts, or fails, between the last write and the commit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "app/import.h"
#include "app/init.h"
#include "province.h"

namespace govqm::app {
namespace {

class AbortBeforeCommit : public platform::Env {
 public:
  Status AtFaultPoint(platform::FaultPoint point) override {
    if (point == platform::FaultPoint::kImportBeforeCommit) std::abort();
    return Status::Ok();
  }
};

class FailBeforeCommit : public platform::Env {
 public:
  Status AtFaultPoint(platform::FaultPoint point) override {
    if (point == platform::FaultPoint::kImportBeforeCommit)
      return Status::Io("injected: disk full");
    return Status::Ok();
  }
};

class ImportFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = (dir_ / "govqm.db").string();
    ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // n transactions with ids PREFIXi.
  std::string WriteTx(const std::string& name, int n, const std::string& prefix) {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path);
    out << "id,region_code,channel,submitted_at,status\n";
    for (int i = 0; i < n; ++i)
      out << prefix << i << ",450100,web,2024-03-01T09:00:00+08:00,in_progress\n";
    return path;
  }
  ImportRequest Request(const std::string& file) {
    ImportRequest r;
    r.kind = Kind::kTransactions;
    r.files = {file};
    return r;
  }
  int64_t Count() {
    auto s = Store::Open(db_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return *(*s)->CountRows(Kind::kTransactions);
  }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(ImportFaultTest, AbortAfterWritesBeforeCommitLosesOnlyThatImport) {
  {
    auto store = Store::Open(db_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(Import(**store, Request(WriteTx("a.csv", 1000, "a"))).ok());
  }
  // b.csv re-imports a's 1000 ids and adds 2000: had it committed there would be 3000 rows.
  const std::string b = WriteTx("b.csv", 3000, "a");
  std::fflush(nullptr);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = Store::Open(db_);
    if (!store.ok()) _exit(97);
    AbortBeforeCommit env;
    (void)Import(**store, Request(b), env);
    _exit(98);  // not reached: the Env aborts before the commit
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGABRT);
  EXPECT_EQ(Count(), 1000);  // the aborted import left nothing
  // And the store still works: the same import goes through.
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  auto summary = Import(**store, Request(b));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->loaded, 3000);
  EXPECT_EQ(summary->replaced, 1000);
  EXPECT_EQ(Count(), 3000);
}

TEST_F(ImportFaultTest, AFailureBeforeCommitIsReturnedAndRolledBack) {
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(Import(**store, Request(WriteTx("a.csv", 10, "a"))).ok());
  FailBeforeCommit env;
  auto failed = Import(**store, Request(WriteTx("b.csv", 20, "b")), env);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kIo);
  EXPECT_EQ(failed.status().message(), "injected: disk full");
  EXPECT_EQ(*(*store)->CountRows(Kind::kTransactions), 10);
  // The same store object takes the next import.
  ASSERT_TRUE(Import(**store, Request(WriteTx("c.csv", 5, "c"))).ok());
  EXPECT_EQ(*(*store)->CountRows(Kind::kTransactions), 15);
}

}  // namespace
}  // namespace govqm::app

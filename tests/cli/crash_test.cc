// A process killed in the middle of an import leaves the store as it was before that import:
// the real program, killed with SIGKILL.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/cli_harness.h"
#include "store/store.h"

namespace govqm::testing {
namespace {

class CrashTest : public CliTest {
 protected:
  // n transactions with ids PREFIXi.
  void WriteTx(const std::string& name, int n, const std::string& prefix) {
    std::string csv = "id,region_code,channel,submitted_at,status\n";
    csv.reserve(static_cast<size_t>(n) * 48);
    for (int i = 0; i < n; ++i) {
      csv += prefix + std::to_string(i) + ",450100,web,2024-03-01T09:00:00+08:00,in_progress\n";
    }
    Write(name, csv);
  }
  int64_t Count() {
    auto s = Store::Open(Path("govqm.db"));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return *(*s)->CountRows(Kind::kTransactions);
  }
};

// An abort between the last write and the commit is injected through the import use case's
// Env (tests/app/import_fault_test.cc): the program itself has no fault hook.

// SIGKILL at increasing delays while a 600k-row import runs: whatever the moment, the store
// holds either the rows from before (1000) or the complete import (600000), never a part.
TEST_F(CrashTest, SigkillAtAnyMomentIsAllOrNothing) {
  ASSERT_EQ(Run("init").exit_code, 0);
  WriteTx("base.csv", 1000, "base");
  ASSERT_EQ(Run("import transactions base.csv").exit_code, 0);
  WriteTx("big.csv", 600000, "big");
  int killed_mid_way = 0;
  for (int delay_ms : {5, 40, 120, 250, 400, 600, 900}) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      if (chdir(dir_.c_str()) != 0) _exit(99);
      execl(GOVQM_BINARY, GOVQM_BINARY, "import", "transactions", "big.csv", static_cast<char*>(nullptr));
      _exit(98);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const bool was_killed = WIFSIGNALED(status);
    const int64_t n = Count();
    EXPECT_TRUE(n == 1000 || n == 601000) << "after kill at " << delay_ms << " ms: " << n;
    if (was_killed && n == 1000) ++killed_mid_way;
    if (n == 601000) break;  // completed before the kill: later delays prove nothing more
  }
  EXPECT_GE(killed_mid_way, 1);
}

}  // namespace
}  // namespace govqm::testing

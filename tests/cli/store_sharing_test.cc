// The store shared by processes, as a user runs it: readers (`indicators`) while imports
// replace and relabel every row; init, import, calendar and compact killed at random moments.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class StoreSharingTest : public CliTest {
 protected:
  // n transactions t0..t{n-1}, all in `region`, submitted in March 2024.
  void WriteTx(const std::string& name, int n, const std::string& region) {
    std::string csv = "id,region_code,channel,submitted_at,status\n";
    for (int i = 0; i < n; ++i) {
      csv += "t" + std::to_string(i) + "," + region + ",web,2024-03-01T09:00:00+08:00,in_progress\n";
    }
    Write(name, csv);
  }
  // Starts `govqm ARGS` in the scratch directory; returns its pid (output discarded).
  pid_t Start(const std::string& args) const {
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (::chdir(dir_.c_str()) != 0) ::_exit(99);
      const std::string cmd = std::string("exec ") + GOVQM_BINARY + " " + args + " >/dev/null 2>&1";
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(98);
    }
    return pid;
  }
};

// Every read equals a state the store really had: all rows in one of the two regions.
TEST_F(StoreSharingTest, ReadersSeeWholeImportsOnly) {
  ASSERT_EQ(Run("init").exit_code, 0);
  WriteTx("a.csv", 3000, "450100");
  WriteTx("b.csv", 3000, "450200");
  ASSERT_EQ(Run("import transactions a.csv").exit_code, 0);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      const pid_t p = Start(std::string("import transactions ") + (i % 2 ? "a.csv" : "b.csv"));
      int status;
      ::waitpid(p, &status, 0);
    }
  });
  int a = 0, b = 0;
  for (int i = 0; i < 25; ++i) {
    RunResult r = Run("indicators --from 2024-03-01 --to 2024-04-01 --by region --only volume");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (r.out == "region,indicator,value\n450100,volume,3000\n") {
      ++a;
    } else if (r.out == "region,indicator,value\n450200,volume,3000\n") {
      ++b;
    } else {
      ADD_FAILURE() << "a state the store never had:\n" << r.out;
    }
  }
  stop = true;
  writer.join();
  EXPECT_EQ(a + b, 25);
}

// Each command killed at random moments, many times: the store always opens, and holds all
// of a command's work or none of it.
TEST_F(StoreSharingTest, CommandsKilledAtRandomMomentsLeaveAUsableStore) {
  std::mt19937 rng(5);
  WriteTx("a.csv", 20000, "450100");
  WriteTx("b.csv", 20000, "450200");
  Write("c.cal", "2024-10-01 off\n2024-10-12 work\n");
  for (int round = 0; round < 12; ++round) {
    std::filesystem::remove(Path("govqm.db"));
    // init
    pid_t p = Start("init");
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
    ::kill(p, SIGKILL);
    ::waitpid(p, nullptr, 0);
    if (!Exists("govqm.db")) {
      ASSERT_EQ(Run("init").exit_code, 0) << "round " << round;
    }
    ASSERT_EQ(Run("import transactions a.csv").exit_code, 0) << "round " << round;
    // import, calendar, compact: each killed, then the store is whole and in one of the
    // two states.
    for (const char* cmd : {"import transactions b.csv", "calendar c.cal", "compact"}) {
      p = Start(cmd);
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300000));
      ::kill(p, SIGKILL);
      ::waitpid(p, nullptr, 0);
      RunResult r = Run("indicators --from 2024-03-01 --to 2024-04-01 --by region --only volume");
      ASSERT_EQ(r.exit_code, 0) << cmd << " round " << round << ": " << r.err;
      EXPECT_TRUE(r.out == "region,indicator,value\n450100,volume,20000\n" ||
                  r.out == "region,indicator,value\n450200,volume,20000\n")
          << cmd << " round " << round << ":\n" << r.out;
    }
  }
}

// A backup taken in the middle of an import, restored into a new store, gives every
// indicator exactly as the store had it before the import or after it.
TEST_F(StoreSharingTest, BackupTakenMidImportRestoresAStateTheStoreHad) {
  ASSERT_EQ(Run("generate --out p1 --scale 30000 --seed 1").exit_code, 0);
  ASSERT_EQ(Run("generate --out p2 --scale 60000 --seed 2").exit_code, 0);
  ASSERT_EQ(Run("init").exit_code, 0);
  for (const char* kind : {"regions", "departments", "items", "transactions", "evaluations",
                           "rectifications", "probes", "guides", "org"}) {
    ASSERT_EQ(Run(std::string("import ") + kind + " p1/" + kind + ".csv").exit_code, 0) << kind;
  }
  const std::string catalog = "indicators --from 2024-01-01 --to 2025-01-01 --by region,channel";
  const RunResult before = Run(catalog);
  ASSERT_EQ(before.exit_code, 0) << before.err;
  std::mt19937 rng(3);
  std::string after;
  for (int round = 0; round < 4; ++round) {
    const std::string backup = "backup" + std::to_string(round) + ".db";
    const pid_t import = Start(std::string("import transactions p") + (round % 2 ? "1" : "2") +
                               "/transactions.csv");
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 600));
    RunResult b = Run("backup --to " + backup);
    ASSERT_EQ(b.exit_code, 0) << b.err;
    int status;
    ::waitpid(import, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const RunResult now = Run(catalog);
    const std::string restored = "restored" + std::to_string(round) + ".db";
    ASSERT_EQ(Run("restore " + backup + " --db " + restored).exit_code, 0);
    const RunResult got = Run(catalog + " --db " + restored);
    ASSERT_EQ(got.exit_code, 0) << got.err;
    // The state before this round's import, or after it.
    const std::string& prior = round == 0 ? before.out : after;
    EXPECT_TRUE(got.out == prior || got.out == now.out) << "round " << round;
    after = now.out;
  }
  EXPECT_NE(before.out, after);  // the imports changed what the indicators say
}

}  // namespace
}  // namespace govqm::testing

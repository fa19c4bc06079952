// The contact key through the real program: init says where the key is, an import of
// contacts without it fails (exit 1) before writing, GOVQM_KEY_FILE names another, restore
// keeps a different key only with --keep-key and says so.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

constexpr const char* kEvaluations =
    "id,region_code,evaluated_at,score,comment,contact\n"
    "e1,450100,2024-03-01T10:00:00+08:00,1,\"call 13812345678\",139-1234-5678\n";

class ContactCliTest : public CliTest {
 protected:
  unsigned Mode(const std::string& name) const {
    struct stat st;
    EXPECT_EQ(::stat(Path(name).c_str(), &st), 0) << name;
    return st.st_mode & 07777;
  }
};

TEST_F(ContactCliTest, InitPrintsTheKeyAndSaysToBackItUp) {
  const RunResult r = Run("init");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "created store govqm.db (zone Asia/Shanghai: times without an offset are read in "
            "this zone; --tz ZONE to choose another at init, or per command)\n"
            "created contact key govqm.key (mode 0600): back it up separately from the store; "
            "without it no stored contact can be read\n");
  EXPECT_EQ(Mode("govqm.key"), 0600u);
  const RunResult other = Run("init --db city.db --tz Europe/London");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(other.out.substr(0, other.out.find('\n')),
            "created store city.db (zone Europe/London: times without an offset are read in "
            "this zone; --tz ZONE to choose another at init, or per command)");
  EXPECT_TRUE(Exists("city.key"));
}

TEST_F(ContactCliTest, ImportOfContactsWithoutTheKeyFails) {
  ASSERT_EQ(Run("init").exit_code, 0);
  std::filesystem::remove(Path("govqm.key"));
  Write("ev.csv", std::string(kEvaluations) + "e2,450100,2024-03-01T10:00:00+08:00,8,x,\n");
  const RunResult r = Run("import evaluations ev.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "govqm import: evaluations with contacts need the store's contact key, and "
            "govqm.key is missing (govqm init creates it, init --key-only for an existing store; "
            "GOVQM_KEY_FILE names another); nothing imported\n");
  EXPECT_FALSE(Exists("ev.rejects.csv"));
}

TEST_F(ContactCliTest, KeyOnlyGivesAnOlderStoreItsKey) {
  ASSERT_EQ(Run("init").exit_code, 0);
  std::filesystem::remove(Path("govqm.key"));
  const RunResult r = Run("init --key-only");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "created contact key govqm.key for store govqm.db (mode 0600): back it up "
            "separately from the store; without it no stored contact can be read\n");
  EXPECT_EQ(Mode("govqm.key"), 0600u);
  EXPECT_EQ(Run("init --key-only").exit_code, 1);  // never over a key
  EXPECT_EQ(Run("init --key-only --tz UTC").exit_code, 2);
  Write("ev.csv", kEvaluations);
  EXPECT_EQ(Run("import evaluations ev.csv").exit_code, 0);
}

TEST_F(ContactCliTest, KeyFileFromTheEnvironment) {
  ::setenv("GOVQM_KEY_FILE", Path("deploy.key").c_str(), 1);
  const RunResult init = Run("init");
  const RunResult import = [&] {
    Write("ev.csv", kEvaluations);
    return Run("import evaluations ev.csv");
  }();
  ::unsetenv("GOVQM_KEY_FILE");
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("created contact key " + Path("deploy.key")), std::string::npos)
      << init.out;
  EXPECT_FALSE(Exists("govqm.key"));
  EXPECT_EQ(import.exit_code, 0) << import.err;
  // Without the variable the key beside the store is looked for, and is not there.
  EXPECT_EQ(Run("import evaluations ev.csv").exit_code, 1);
}

TEST_F(ContactCliTest, BackupAndRestoreCarryTheKey) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("ev.csv", kEvaluations);
  ASSERT_EQ(Run("import evaluations ev.csv").exit_code, 0);
  const RunResult b = Run("backup --to monday.db");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.out,
            "backed up govqm.db to monday.db\n"
            "copied its contact key to monday.key (mode 0600): keep it apart from the backup\n");
  EXPECT_EQ(Mode("monday.key"), 0600u);
  EXPECT_EQ(Read("monday.key"), Read("govqm.key"));

  const RunResult fresh = Run("restore monday.db --db fresh.db");
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(fresh.out,
            "restored fresh.db from monday.db\n"
            "installed the backup's contact key monday.key as fresh.key\n");
  EXPECT_EQ(Read("fresh.key"), Read("govqm.key"));

  // A store with a key of its own: refused, then kept with --keep-key.
  ASSERT_EQ(Run("init --db other.db").exit_code, 0);
  const std::string own = Read("other.key");
  const RunResult refused = Run("restore monday.db --db other.db");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("pass --keep-key to keep it; nothing restored"), std::string::npos)
      << refused.err;
  const RunResult kept = Run("restore monday.db --db other.db --keep-key");
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(kept.err,
            "govqm restore: kept the existing contact key other.key (--keep-key); contacts "
            "sealed under the backup's key monday.key will not open with it\n");
  EXPECT_EQ(Read("other.key"), own);
}

}  // namespace
}  // namespace govqm::testing

// The hash-chained audit log: canonical form and hash worked out by hand, append and list,
// and tampering done with raw SQL on the file, found at the right entry.
#include "security/audit.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "security/scratch_store.h"

namespace govqm::security {
namespace {

constexpr int64_t kT0 = 1700000000000;  // 2023-11-14T22:13:20.000Z

TEST(AuditFormTest, CanonicalFormEscapesBackslashesAndLineBreaks) {
  AuditEntry e;
  e.seq = 7;
  e.at = "2024-01-02T03:04:05.006Z";
  e.actor = "cli:root";
  e.action = "user.add";
  e.object = "user:a\\b";
  e.detail = "line1\nline2";
  e.prev_hash = std::string(64, '0');
  EXPECT_EQ(CanonicalForm(e),
            "7\n2024-01-02T03:04:05.006Z\ncli:root\nuser.add\nuser:a\\\\b\nline1\\nline2");
  // sha256(64 zeros + that text), computed apart with Python's hashlib.
  EXPECT_EQ(EntryHash(e), "d76fa2f38b239836f368c5a4651070ce6049f84c00b355c30e2fd327801230c2");
  // A field that holds the separator cannot pass for two fields.
  AuditEntry shifted = e;
  shifted.object = "user:a\\b\nline1";
  shifted.detail = "line2";
  EXPECT_NE(CanonicalForm(shifted), CanonicalForm(e));
}

class AuditTest : public ScratchStoreTest {
 protected:
  void SetUp() override {
    ScratchStoreTest::SetUp();
    auto a = AuditLog::Open(path_);
    ASSERT_TRUE(a.ok()) << a.status().message();
    log_ = std::move(*a);
  }
  // n entries, one a second from kT0: actor "cli:root", action "user.add", object "user:uI".
  void AppendN(int n) {
    for (int i = 1; i <= n; ++i) {
      Status s =
          log_->Append({"cli:root", "user.add", "user:u" + std::to_string(i), "role=auditor"},
                       kT0 + (i - 1) * 1000);
      ASSERT_TRUE(s.ok()) << s.message();
    }
  }
  AuditVerdict Check() {
    auto v = log_->Verify();
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : AuditVerdict{};
  }
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditTest, AppendChainsAndListFilters) {
  AppendN(3);
  auto all = log_->List(0, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  const auto& e = *all;
  EXPECT_EQ(e[0].seq, 1);
  EXPECT_EQ(e[0].at, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(e[1].at, "2023-11-14T22:13:21.000Z");
  EXPECT_EQ(e[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ(e[1].prev_hash, e[0].hash);
  EXPECT_EQ(e[2].prev_hash, e[1].hash);
  EXPECT_EQ(e[2].object, "user:u3");
  EXPECT_EQ(e[2].detail, "role=auditor");
  for (const AuditEntry& x : e) EXPECT_EQ(x.hash, EntryHash(x));
  // The head: count and last hash.
  EXPECT_EQ(RawValue("SELECT value FROM meta WHERE key = 'audit_head'"), "3:" + e[2].hash);

  auto middle = log_->List(kT0 + 1000, kT0 + 2000);  // from <= at < to
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->size(), 1u);
  EXPECT_EQ((*middle)[0].seq, 2);
  auto from = log_->List(kT0 + 1, 0);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->size(), 2u);
  auto to = log_->List(0, kT0 + 1);
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(to->size(), 1u);

  const AuditVerdict v = Check();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 3);
}

TEST_F(AuditTest, AnEmptyLogIsIntact) {
  const AuditVerdict v = Check();
  EXPECT_TRUE(v.intact);
  EXPECT_EQ(v.entries, 0);
}

TEST_F(AuditTest, AnEditedEntryIsFound) {
  AppendN(5);
  RawSql("UPDATE audit SET detail = 'role=admin' WHERE seq = 3");
  const AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem, "audit entry 3: hash does not match its contents (edited)");
}

TEST_F(AuditTest, AnEditedTimeIsFound) {
  AppendN(5);
  RawSql("UPDATE audit SET at = '2023-11-14T22:13:19.000Z' WHERE seq = 4");
  const AuditVerdict v = Check();
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_FALSE(v.intact);
}

TEST_F(AuditTest, ADeletedMiddleEntryIsFound) {
  AppendN(5);
  RawSql("DELETE FROM audit WHERE seq = 3");
  const AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem, "audit entry 3: missing (deleted)");
}

// Deleted, and the later entries renumbered to close the gap: the link breaks at seq 3.
TEST_F(AuditTest, ADeletedAndRenumberedEntryIsFound) {
  AppendN(5);
  RawSql("DELETE FROM audit WHERE seq = 3; UPDATE audit SET seq = seq - 1 WHERE seq > 3");
  const AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem,
            "audit entry 3: does not follow entry 2 (reordered, or an entry before it deleted "
            "or replaced)");
}

TEST_F(AuditTest, DeletedLastEntriesAreFound) {
  AppendN(5);
  RawSql("DELETE FROM audit WHERE seq = 5");
  AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.entries, 4);
  EXPECT_EQ(v.first_bad_seq, 5);
  EXPECT_EQ(v.problem, "audit entry 5: missing (deleted)");
  RawSql("DELETE FROM audit WHERE seq = 4");
  v = Check();
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_EQ(v.problem, "audit entry 4: missing (deleted)");
}

TEST_F(AuditTest, EveryEntryDeletedIsFound) {
  AppendN(2);
  RawSql("DELETE FROM audit");
  const AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 1);
}

// Two entries' contents swapped whole (hashes and links with them): found where the first
// one lands.
TEST_F(AuditTest, ReorderedEntriesAreFound) {
  AppendN(5);
  RawSql(
      "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (2, 3);"
      "UPDATE audit SET (at, actor, action, object, detail, prev_hash, hash) = "
      "(SELECT at, actor, action, object, detail, prev_hash, hash FROM t "
      " WHERE t.seq = 5 - audit.seq) WHERE seq IN (2, 3);");
  ASSERT_EQ(RawValue("SELECT object FROM audit WHERE seq = 2"), "user:u3");
  const AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_EQ(v.problem,
            "audit entry 2: does not follow entry 1 (reordered, or an entry before it deleted "
            "or replaced)");
}

// Only what they say swapped, each row keeping its hashes: entry 2's hash no longer fits.
TEST_F(AuditTest, SwappedContentsAreFound) {
  AppendN(5);
  RawSql(
      "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (2, 3);"
      "UPDATE audit SET (at, object) = (SELECT at, object FROM t WHERE t.seq = 5 - audit.seq) "
      "WHERE seq IN (2, 3);");
  const AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 2);
  EXPECT_EQ(v.problem, "audit entry 2: hash does not match its contents (edited)");
}

// The last entry replaced by one with a consistent hash: the recorded head gives it away.
TEST_F(AuditTest, AReplacedLastEntryIsFound) {
  AppendN(3);
  auto all = log_->List(0, 0);
  ASSERT_TRUE(all.ok());
  AuditEntry forged = (*all)[2];
  forged.detail = "role=admin";
  forged.hash = EntryHash(forged);
  RawSql("UPDATE audit SET detail = 'role=admin', hash = '" + forged.hash + "' WHERE seq = 3");
  const AuditVerdict v = Check();
  EXPECT_FALSE(v.intact);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem, "audit entry 3: hash differs from the log's recorded head (replaced)");
}

// Appends after tampering continue from the last entry; the damage is still reported.
TEST_F(AuditTest, AppendsContinueAfterAProblem) {
  AppendN(3);
  RawSql("UPDATE audit SET actor = 'someone else' WHERE seq = 2");
  AppendN(1);
  const AuditVerdict v = Check();
  EXPECT_EQ(v.entries, 4);
  EXPECT_EQ(v.first_bad_seq, 2);
}

// Appenders in two threads, each with its own connection (as two processes would), and two
// threads sharing one log: one chain, no entry lost.
TEST_F(AuditTest, ConcurrentAppendsKeepOneChain) {
  auto other = AuditLog::Open(path_);
  ASSERT_TRUE(other.ok());
  constexpr int kEach = 40;
  auto run = [](AuditLog* log, const std::string& actor) {
    for (int i = 0; i < kEach; ++i) {
      Status s = log->Append({actor, "test.append", "n:" + std::to_string(i), ""}, kT0 + i);
      EXPECT_TRUE(s.ok()) << s.message();
    }
  };
  std::thread a(run, log_.get(), "a"), b(run, other->get(), "b"), c(run, log_.get(), "c");
  a.join();
  b.join();
  c.join();
  const AuditVerdict v = Check();
  EXPECT_TRUE(v.intact) << v.problem;
  EXPECT_EQ(v.entries, 3 * kEach);
  EXPECT_EQ(RawValue("SELECT max(seq) FROM audit"), std::to_string(3 * kEach));
}

// Two processes appending at once, as two govqm commands would.
TEST_F(AuditTest, TwoProcessesAppendingKeepOneChain) {
  log_.reset();
  constexpr int kEach = 25;
  pid_t children[2];
  for (int c = 0; c < 2; ++c) {
    children[c] = ::fork();
    ASSERT_GE(children[c], 0);
    if (children[c] == 0) {
      auto log = AuditLog::Open(path_);
      if (!log.ok()) ::_exit(2);
      for (int i = 0; i < kEach; ++i) {
        if (!(*log)->Append({"p" + std::to_string(c), "test.append", "", ""}, kT0 + i).ok()) {
          ::_exit(3);
        }
      }
      ::_exit(0);
    }
  }
  for (pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  auto log = AuditLog::Open(path_);
  ASSERT_TRUE(log.ok());
  auto v = (*log)->Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->entries, 2 * kEach);
}

}  // namespace
}  // namespace govqm::security

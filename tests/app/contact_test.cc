// Personal data through the use cases (service.md §4): init makes the contact key, import
// seals contacts and scrubs comments so neither reaches the store's bytes in clear, reveal
// opens one contact, backup and restore carry the key. The numbers below are written by
// hand; what the store must not hold is searched for in its files' raw bytes.
#include "app/contact.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/import.h"
#include "app/init.h"
#include "province.h"
#include "security/contact_key.h"

namespace govqm::app {
namespace {

namespace fs = std::filesystem;

// Two evaluations with contacts (in two spellings each) and comments holding an identity
// number, a mobile, a landline and an e-mail; one without a contact.
constexpr const char* kEvaluations =
    "id,region_code,evaluated_at,score,comment,contact\n"
    "e1,450100,2024-03-01T10:00:00+08:00,1,\"id 11010519491231002X, call 13812345678\","
    "139-1234-5678\n"
    "e2,450100,2024-03-01T11:00:00+08:00,2,\"office 0771-5559876, mail zhang.san@example.cn\","
    "+86 771 5551234\n"
    "e3,450100,2024-03-01T12:00:00+08:00,5,thanks,\n";

// What must never be found in the store's bytes: the contacts (as given and normalised) and
// the comments' personal data.
const std::vector<std::string> kSecrets = {
    "13912345678",
    "139-1234-5678",
    "7715551234",
    "771 5551234",  // contacts
    "11010519491231002X",
    "110105194912310",
    "13812345678",  // comment of e1
    "5559876",
    "zhang.san@example.cn",
    "zhang.san",  // comment of e2
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

unsigned Mode(const fs::path& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class ContactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = (dir_ / "govqm.db").string();
    key_ = (dir_ / "govqm.key").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  ImportRequest Request(const std::string& file) {
    ImportRequest r;
    r.kind = Kind::kEvaluations;
    r.files = {file};
    return r;
  }
  // Every secret absent from the store's files (.db and -wal, whichever exist).
  void ExpectNoSecretIn(const std::string& db) {
    for (const std::string suffix : {"", "-wal"}) {
      const fs::path file = db + suffix;
      if (!fs::exists(file)) continue;
      const std::string bytes = Slurp(file);
      for (const std::string& secret : kSecrets) {
        EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in " << file;
      }
    }
  }

  fs::path dir_;
  std::string db_, key_;
};

TEST_F(ContactTest, InitCreatesTheKeyBesideTheStore) {
  auto r = Init({db_, "Asia/Shanghai"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->key_path, key_);
  EXPECT_TRUE(r->key_created);
  EXPECT_EQ(Mode(key_), 0600u);
  EXPECT_TRUE(security::ReadKeyFile(key_).ok());
  // The key is not in the store.
  auto key = security::ReadKeyFile(key_);
  EXPECT_EQ(Slurp(db_).find(key->Hex()), std::string::npos);
}

TEST_F(ContactTest, InitKeepsAValidKeyAndRefusesOneOthersMayRead) {
  auto made = security::CreateKeyFile(key_);
  ASSERT_TRUE(made.ok());
  auto r = Init({db_, "Asia/Shanghai"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->key_created);
  EXPECT_TRUE(security::ReadKeyFile(key_)->SameAs(*made));  // never overwritten

  const std::string db2 = (dir_ / "other.db").string(), key2 = (dir_ / "other.key").string();
  ASSERT_TRUE(security::CreateKeyFile(key2).ok());
  ASSERT_EQ(::chmod(key2.c_str(), 0644), 0);
  auto refused = Init({db2, "Asia/Shanghai"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE(fs::exists(db2));  // refused before the store is made
}

TEST_F(ContactTest, InitNamesAnotherKeyFile) {
  const std::string elsewhere = (dir_ / "keys" / "city.key").string();
  fs::create_directories(dir_ / "keys");
  auto r = Init({db_, "Asia/Shanghai", elsewhere});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->key_path, elsewhere);
  EXPECT_TRUE(fs::exists(elsewhere));
  EXPECT_FALSE(fs::exists(key_));
}

TEST_F(ContactTest, AStoreWithoutAKeyGetsOne) {
  ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
  ASSERT_TRUE(fs::remove(key_));  // as a store made before stores had keys
  auto r = CreateContactKey({db_, "", ""});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->key_path, key_);
  EXPECT_EQ(r->zone, "Asia/Shanghai");
  EXPECT_EQ(Mode(key_), 0600u);
  const std::string first = Slurp(key_);
  auto again = CreateContactKey({db_, "", ""});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Slurp(key_), first);
  auto no_store = CreateContactKey({(dir_ / "none.db").string(), "", ""});
  ASSERT_FALSE(no_store.ok());
  EXPECT_FALSE(fs::exists(dir_ / "none.key"));
}

TEST_F(ContactTest, ImportSealsContactsAndScrubsCommentsThenRevealOpensOne) {
  ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
  const std::string file = Write("ev.csv", kEvaluations);
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  auto summary = Import(**store, Request(file));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->loaded, 3);
  EXPECT_EQ(summary->rejected, 0);
  // Searched while the store is open (its last commit still in the WAL) and after.
  ASSERT_TRUE(fs::exists(db_ + "-wal"));
  ExpectNoSecretIn(db_);
  // The search looks where the rows are: the scrubbed comments are found there.
  const std::string bytes = Slurp(db_) + Slurp(db_ + "-wal");
  EXPECT_NE(bytes.find("id ***, call ***"), std::string::npos);
  EXPECT_NE(bytes.find("office ***, mail ***"), std::string::npos);

  auto key = LoadContactKey(**store, "");
  ASSERT_TRUE(key.ok()) << key.status().message();
  auto c1 = RevealContact(**store, *key, "e1");
  ASSERT_TRUE(c1.ok()) << c1.status().message();
  EXPECT_EQ(*c1, "13912345678");
  auto c2 = RevealContact(**store, *key, "e2");
  ASSERT_TRUE(c2.ok()) << c2.status().message();
  EXPECT_EQ(*c2, "07715551234");

  auto none = RevealContact(**store, *key, "e3");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(none.status().message(), "evaluation e3 has no contact");
  auto unknown = RevealContact(**store, *key, "e9");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "no evaluation e9");
  auto wrong = RevealContact(**store, security::ContactKey::Generate(), "e1");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kFailedPrecondition);

  // The comments as stored: each pattern replaced by ***.
  const std::vector<int> cols = {eval_col::kId, eval_col::kComment};
  auto t = (*store)->Load(Kind::kEvaluations, &cols);
  ASSERT_TRUE(t.ok());
  std::map<std::string, std::string> comments;
  for (size_t r = 0; r < t->rows(); ++r) {
    comments[std::string(t->col(eval_col::kId).TextAt(r))] =
        std::string(t->col(eval_col::kComment).TextAt(r));
  }
  EXPECT_EQ(comments,
            (std::map<std::string, std::string>{
                {"e1", "id ***, call ***"}, {"e2", "office ***, mail ***"}, {"e3", "thanks"}}));
  store->reset();
  ExpectNoSecretIn(db_);
}

TEST_F(ContactTest, RejectsFileIsScrubbedAndOwnerOnly) {
  ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
  const std::string file =
      Write("ev.csv",
            "id,region_code,evaluated_at,score,comment,contact\n"
            "e1,450100,2024-03-01T10:00:00+08:00,7,\"id 11010519491231002X\",13912345678\n"
            "e2,450100,2024-03-01T10:00:00+08:00,1,fine,not a number\n");
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  auto summary = Import(**store, Request(file));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->rejected, 2);
  const fs::path rejects = dir_ / "ev.rejects.csv";
  EXPECT_EQ(Mode(rejects), 0600u);
  const std::string text = Slurp(rejects);
  EXPECT_EQ(text.find("11010519491231002X"), std::string::npos) << text;
  EXPECT_NE(text.find("id ***"), std::string::npos) << text;
  EXPECT_NE(text.find(",2,1,score,"), std::string::npos) << text;
  EXPECT_NE(text.find(",3,2,contact,\"not a phone number"), std::string::npos) << text;
}

TEST_F(ContactTest, ImportWithContactsButNoKeyFailsBeforeWritingAnything) {
  ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
  ASSERT_TRUE(fs::remove(key_));
  // One valid row with a contact and one rejected row: neither the store nor a rejects file
  // may be written.
  const std::string file =
      Write("ev.csv", std::string(kEvaluations) + "e4,450100,2024-03-01T12:00:00+08:00,9,x,\n");
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  auto summary = Import(**store, Request(file));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(summary.status().message(),
            "evaluations with contacts need the store's contact key, and " + key_ +
                " is missing (govqm init creates it, init --key-only for an existing store; "
                "GOVQM_KEY_FILE "
                "names another); nothing imported");
  EXPECT_FALSE(fs::exists(dir_ / "ev.rejects.csv"));
  auto count = (*store)->CountRows(Kind::kEvaluations);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);

  // A key others may read is refused the same way, before anything is written.
  ASSERT_TRUE(security::CreateKeyFile(key_).ok());
  ASSERT_EQ(::chmod(key_.c_str(), 0644), 0);
  auto loose = Import(**store, Request(file));
  ASSERT_FALSE(loose.ok());
  EXPECT_EQ(loose.status().code(), StatusCode::kPermissionDenied);
  EXPECT_FALSE(fs::exists(dir_ / "ev.rejects.csv"));
  EXPECT_EQ(*(*store)->CountRows(Kind::kEvaluations), 0);
}

TEST_F(ContactTest, ImportWithoutContactsNeedsNoKey) {
  ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
  ASSERT_TRUE(fs::remove(key_));
  const std::string file = Write("ev.csv",
                                 "id,region_code,evaluated_at,score,comment\n"
                                 "e1,450100,2024-03-01T10:00:00+08:00,4,call 13812345678\n");
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  auto summary = Import(**store, Request(file));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->loaded, 1);
  store->reset();
  ExpectNoSecretIn(db_);
}

TEST_F(ContactTest, ImportUsesTheKeyFileTheEdgeNames) {
  const std::string elsewhere = (dir_ / "deploy.key").string();
  ASSERT_TRUE(Init({db_, "Asia/Shanghai", elsewhere}).ok());
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  ImportRequest request = Request(Write("ev.csv", kEvaluations));
  auto beside = Import(**store, request);  // no key beside the store
  ASSERT_FALSE(beside.ok());
  request.key_file = elsewhere;
  auto named = Import(**store, request);
  ASSERT_TRUE(named.ok()) << named.status().message();
  auto key = LoadContactKey(**store, elsewhere);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*RevealContact(**store, *key, "e1"), "13912345678");
}

class ContactBackupTest : public ContactTest {
 protected:
  void SetUp() override {
    ContactTest::SetUp();
    ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
    auto store = Store::Open(db_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(Import(**store, Request(Write("ev.csv", kEvaluations))).ok());
  }
  std::string Reveal(const std::string& db, const std::string& id) {
    auto store = Store::Open(db);
    EXPECT_TRUE(store.ok());
    auto key = LoadContactKey(**store, "");
    if (!key.ok()) return "no key: " + key.status().message();
    auto c = RevealContact(**store, *key, id);
    return c.ok() ? *c : "error: " + c.status().message();
  }
};

TEST_F(ContactBackupTest, BackupCopiesTheKeyAndRestoreInstallsIt) {
  const std::string backup = (dir_ / "b" / "monday.db").string();
  fs::create_directories(dir_ / "b");
  {
    auto store = Store::Open(db_);
    ASSERT_TRUE(store.ok());
    auto r = Backup(**store, backup);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->key_path, (dir_ / "b" / "monday.key").string());
  }
  EXPECT_EQ(Mode(dir_ / "b" / "monday.key"), 0600u);
  EXPECT_EQ(Slurp(dir_ / "b" / "monday.key"), Slurp(key_));
  ExpectNoSecretIn(backup);

  // Restored into a new place: the key is installed beside it, the contacts open.
  const std::string restored = (dir_ / "r" / "city.db").string();
  fs::create_directories(dir_ / "r");
  auto r = Restore(restored, backup);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->key, RestoreResult::Key::kInstalled);
  EXPECT_EQ(r->key_path, (dir_ / "r" / "city.key").string());
  EXPECT_EQ(Mode(r->key_path), 0600u);
  EXPECT_EQ(Reveal(restored, "e1"), "13912345678");

  // Restored again over the same store: the key there is the backup's, left alone.
  auto again = Restore(restored, backup);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->key, RestoreResult::Key::kSame);
}

TEST_F(ContactBackupTest, BackupRefusesToOverwriteAKeyFile) {
  const std::string backup = (dir_ / "monday.db").string();
  std::ofstream((dir_ / "monday.key").string()) << "someone's key\n";
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  auto r = Backup(**store, backup);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(fs::exists(backup));
  EXPECT_EQ(Slurp(dir_ / "monday.key"), "someone's key\n");
}

TEST_F(ContactBackupTest, RestoreRefusesADifferentKeyUnlessKeepKey) {
  const std::string backup = (dir_ / "monday.db").string();
  {
    auto store = Store::Open(db_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(Backup(**store, backup).ok());
  }
  // Another store with its own key and a record of its own.
  const std::string other = (dir_ / "other.db").string(), other_key = (dir_ / "other.key").string();
  ASSERT_TRUE(Init({other, "Asia/Shanghai"}).ok());
  const std::string own_key = Slurp(other_key);
  {
    auto store = Store::Open(other);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(Import(**store, Request(Write("x.csv",
                                              "id,region_code,evaluated_at,score\n"
                                              "x1,450100,2024-03-01T10:00:00+08:00,3\n")))
                    .ok());
  }
  auto refused = Restore(other, backup);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("--keep-key"), std::string::npos);
  EXPECT_EQ(Slurp(other_key), own_key);
  {
    auto store = Store::Open(other);  // nothing restored
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(*(*store)->CountRows(Kind::kEvaluations), 1);
  }

  RestoreKeyOptions keep;
  keep.keep_key = true;
  auto kept = Restore(other, backup, {}, keep);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ(kept->key, RestoreResult::Key::kKeptExisting);
  EXPECT_EQ(kept->backup_key_path, (dir_ / "monday.key").string());
  EXPECT_EQ(Slurp(other_key), own_key);
  // The store is the backup's now; its contacts do not open with the key that was kept.
  auto store = Store::Open(other);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->CountRows(Kind::kEvaluations), 3);
  EXPECT_EQ(Reveal(other, "e1").rfind("error: ", 0), 0u);
}

TEST_F(ContactBackupTest, StoreWithoutKeyBacksUpAlone) {
  ASSERT_TRUE(fs::remove(key_));
  const std::string backup = (dir_ / "monday.db").string();
  auto store = Store::Open(db_);
  ASSERT_TRUE(store.ok());
  auto r = Backup(**store, backup);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->key_path, "");
  EXPECT_FALSE(fs::exists(dir_ / "monday.key"));
  auto restored = Restore((dir_ / "r.db").string(), backup);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(restored->key, RestoreResult::Key::kNone);
  EXPECT_FALSE(fs::exists(dir_ / "r.key"));
}

}  // namespace
}  // namespace govqm::app

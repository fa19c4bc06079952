// Readers and writers sharing one store file: every read sees one committed state, and a
// second writer waits for the first instead of failing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/dataset_loader.h"
#include "store/store.h"
#include "store/test_rows.h"

namespace govqm {
namespace {

namespace fs = std::filesystem;
using storetest::Hashes;
using storetest::Tx;

class SnapshotTest : public storetest::ScratchDirTest {
 protected:
  void SetUp() override {
    ScratchDirTest::SetUp();
    ASSERT_TRUE(Store::Create(path_, "UTC").ok());
  }

  // Import number `generation`: rows 0..kRows-1 in two batches (two segments), every row
  // labelled with region "G<generation>", replacing every row of the previous import, so
  // whole stored segments die and their labels vanish from the live dictionaries.
  static void Import(Store& store, int generation) {
    auto txn = store.BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().message();
    for (int half = 0; half < 2; ++half) {
      std::vector<std::pair<std::string, std::string>> rows;
      for (int i = half * kRows / 2; i < (half + 1) * kRows / 2; ++i) {
        rows.emplace_back("t" + std::to_string(i), "G" + std::to_string(generation));
      }
      Table t = Tx(rows);
      ASSERT_TRUE(store.Append(t, Hashes(t)).ok());
    }
    ASSERT_TRUE(txn->Commit().ok());
  }

  static constexpr int kRows = 2000;
};

// The reader that crashed (issue 8): a stream lists the segments, then reads dictionaries
// and segments while another process's imports kill those segments and relabel the rows.
// Each read must see exactly one import: kRows rows, all with one label (or none at all).
TEST_F(SnapshotTest, StreamedReadsSeeOneStateWhileAnotherProcessImports) {
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok());
    Import(**store, 0);
  }
  const pid_t writer = ::fork();
  ASSERT_GE(writer, 0);
  if (writer == 0) {  // the other process: imports as fast as it can until killed
    auto store = Store::Open(path_);
    if (!store.ok()) ::_exit(3);
    for (int g = 1;; ++g) Import(**store, g);
  }
  std::atomic<int> bad{0}, reads{0};
  std::set<std::string> seen_labels;
  std::mutex seen_mu;
  auto reader = [&] {
    auto store = Store::Open(path_);
    if (!store.ok()) {
      ++bad;
      return;
    }
    for (int i = 0; i < 60; ++i) {
      DatasetStreams streams;
      auto data = LoadDataset(**store, &streams);
      if (!data.ok()) {
        ++bad;
        continue;
      }
      const TableSource& src = *data->transaction_source;
      auto dict = src.Dictionary(tx_col::kRegionCode);
      if (!dict.ok()) {
        ++bad;
        continue;
      }
      std::set<std::string> labels;
      size_t rows = 0;
      Table segment(Kind::kTransactions);
      for (size_t s = 0; s < src.segments(); ++s) {
        if (!src.Load(s, &segment).ok()) {
          ++bad;
          break;
        }
        for (size_t r = 0; r < segment.rows(); ++r) {
          labels.insert(std::string(segment.col(tx_col::kRegionCode).CodeAt(r)));
        }
        rows += segment.rows();
      }
      // One import's rows, with one label, which the dictionary of the same state holds.
      if (rows != kRows || labels.size() != 1 || dict->size() != 1 || (*dict)[0] != *labels.begin()) {
        ++bad;
      }
      ++reads;
      std::lock_guard lock(seen_mu);
      seen_labels.insert(labels.begin(), labels.end());
    }
  };
  std::thread a(reader), b(reader);
  a.join();
  b.join();
  ::kill(writer, SIGKILL);
  int status;
  ::waitpid(writer, &status, 0);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(reads.load(), 120);
  // The imports really interleaved with the reads.
  EXPECT_GT(seen_labels.size(), 2u);
  // And the writer was killed mid-import: the store still opens and holds one whole import.
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(*(*store)->CountRows(Kind::kTransactions), kRows);
}

// A backup taken while another process imports holds exactly one import (issue 9: "a
// consistent copy while the server runs and imports go on"), and restoring it gives it back.
TEST_F(SnapshotTest, BackupDuringImportsIsOneStateAndRestores) {
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok());
    Import(**store, 0);
  }
  const pid_t writer = ::fork();
  ASSERT_GE(writer, 0);
  if (writer == 0) {
    auto store = Store::Open(path_);
    if (!store.ok()) ::_exit(3);
    for (int g = 1;; ++g) Import(**store, g);
  }
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok());
  std::vector<std::string> backups;
  for (int i = 0; i < 8; ++i) {
    backups.push_back((dir_ / ("b" + std::to_string(i) + ".db")).string());
    ASSERT_TRUE((*store)->BackupTo(backups.back()).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(writer, SIGKILL);
  ::waitpid(writer, nullptr, 0);
  std::set<std::string> labels_seen;
  for (const std::string& b : backups) {
    auto copy = Store::Open(b);
    ASSERT_TRUE(copy.ok()) << copy.status().message();
    auto t = (*copy)->Load(Kind::kTransactions);
    ASSERT_TRUE(t.ok());
    std::set<std::string> labels;
    for (size_t r = 0; r < t->rows(); ++r) labels.insert(std::string(t->col(tx_col::kRegionCode).CodeAt(r)));
    EXPECT_EQ(t->rows(), size_t{kRows}) << b;
    EXPECT_EQ(labels.size(), 1u) << b;
    labels_seen.insert(labels.begin(), labels.end());
  }
  EXPECT_GT(labels_seen.size(), 1u);  // the imports went on between the backups
  // Restore the first backup over the store, while a reader holds a snapshot of the state
  // before: the reader keeps seeing that state, and the next read sees the backup's.
  auto reader = Store::Open(path_);
  ASSERT_TRUE(reader.ok());
  auto before = (*reader)->Load(Kind::kTransactions);
  ASSERT_TRUE(before.ok());
  const std::string label_before(before->col(tx_col::kRegionCode).CodeAt(0));
  auto first = Store::Open(backups[0]);
  ASSERT_TRUE(first.ok());
  auto first_rows = (*first)->Load(Kind::kTransactions);
  ASSERT_TRUE(first_rows.ok());
  const std::string label_first(first_rows->col(tx_col::kRegionCode).CodeAt(0));
  {
    auto snapshot = (*reader)->Snapshot();
    ASSERT_TRUE(snapshot.ok());
    ASSERT_TRUE((*store)->RestoreFrom(backups[0]).ok());
    auto during = (*reader)->Load(Kind::kTransactions);
    ASSERT_TRUE(during.ok());
    EXPECT_EQ(during->col(tx_col::kRegionCode).CodeAt(0), label_before);
  }
  auto after = (*reader)->Load(Kind::kTransactions);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->rows(), size_t{kRows});
  EXPECT_EQ(after->col(tx_col::kRegionCode).CodeAt(0), label_first);
  // The store still takes imports after a restore.
  Import(**store, 1000);
  EXPECT_EQ(*(*store)->CountRows(Kind::kTransactions), kRows);
}

// A read snapshot holds the calendar setting and the rows of the same state.
TEST_F(SnapshotTest, SettingsAndRowsComeFromOneState) {
  auto reader = Store::Open(path_);
  auto writer = Store::Open(path_);
  ASSERT_TRUE(reader.ok() && writer.ok());
  Import(**writer, 1);
  ASSERT_TRUE((*writer)->PutSetting("calendar", "one").ok());
  {
    auto snapshot = (*reader)->Snapshot();
    ASSERT_TRUE(snapshot.ok());
    Import(**writer, 2);
    ASSERT_TRUE((*writer)->PutSetting("calendar", "two").ok());
    EXPECT_EQ(**(*reader)->GetSetting("calendar"), "one");
    auto t = (*reader)->Load(Kind::kTransactions);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->col(tx_col::kRegionCode).CodeAt(0), "G1");
  }
  EXPECT_EQ(**(*reader)->GetSetting("calendar"), "two");
  auto t = (*reader)->Load(Kind::kTransactions);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->col(tx_col::kRegionCode).CodeAt(0), "G2");
}

// A second writer waits for the first however long it takes, and says once that it waits.
TEST_F(SnapshotTest, SecondWriterWaitsAndSaysSo) {
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  const pid_t first = ::fork();
  ASSERT_GE(first, 0);
  if (first == 0) {
    auto store = Store::Open(path_);
    if (!store.ok() || !(*store)->Begin().ok()) ::_exit(3);
    char c = 'x';
    if (::write(pipefd[1], &c, 1) != 1) ::_exit(4);
    std::this_thread::sleep_for(std::chrono::milliseconds(4500));  // a slow import
    ::_exit((*store)->Commit().ok() ? 0 : 5);
  }
  char c;
  ASSERT_EQ(::read(pipefd[0], &c, 1), 1);  // the first writer holds the store
  int notices = 0;
  StoreOptions options;
  options.on_wait = [&] { ++notices; };
  auto store = Store::Open(path_, options);
  ASSERT_TRUE(store.ok());
  const auto start = std::chrono::steady_clock::now();
  Status begun = (*store)->Begin();
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(begun.ok()) << begun.message();
  EXPECT_GE(waited, std::chrono::milliseconds(3000));
  EXPECT_EQ(notices, 1);
  if (begun.ok()) {
    EXPECT_TRUE((*store)->Commit().ok());
  }
  int status;
  ::waitpid(first, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ::close(pipefd[0]);
  ::close(pipefd[1]);
}

}  // namespace
}  // namespace govqm

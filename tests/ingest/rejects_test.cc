#include "ingest/rejects.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace govqm {
namespace {

namespace fs = std::filesystem;

class RejectsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("govqm_rejects_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string Read(const fs::path& p) const {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_;
};

std::vector<std::string> Paths(const std::vector<RejectsTarget>& t) {
  std::vector<std::string> out;
  for (const auto& x : t) out.push_back(x.path);
  return out;
}

TEST(PlanRejectsFilesTest, NameRejectsCsvBesideTheInput) {
  const auto t = PlanRejectsFiles({"in/a.csv", "b.ndjson"}, "");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].path, "in/a.rejects.csv");
  EXPECT_EQ(t[0].fallback, "./a.rejects.csv");  // the working directory, if in/ is read-only
  EXPECT_EQ(t[1].path, "b.rejects.csv");
  EXPECT_EQ(t[1].fallback, "");  // already in the working directory
  EXPECT_EQ(Paths(PlanRejectsFiles({"x/a.csv"}, "out")), std::vector<std::string>{"out/a.rejects.csv"});
  EXPECT_EQ(PlanRejectsFiles({"x/a.csv"}, "out")[0].fallback, "");  // --rejects-dir: no fallback
}

// Regression (issue 8): a.csv and a.ndjson in one import wrote one a.rejects.csv, the second
// replacing the first's.
TEST(PlanRejectsFilesTest, RegressionSameStemGetsOneFileEach) {
  EXPECT_EQ(Paths(PlanRejectsFiles({"a.csv", "a.ndjson", "b.csv"}, "")),
            (std::vector<std::string>{"a.csv.rejects.csv", "a.ndjson.rejects.csv", "b.rejects.csv"}));
  // "./a.csv" and "a.ndjson" are in the same folder too.
  EXPECT_EQ(Paths(PlanRejectsFiles({"./a.csv", "a.ndjson"}, "")),
            (std::vector<std::string>{"./a.csv.rejects.csv", "a.ndjson.rejects.csv"}));
  // Beside their inputs x/a.csv and y/a.csv do not collide; in one --rejects-dir they do,
  // even by their full names, so the position in the import tells them apart.
  EXPECT_EQ(Paths(PlanRejectsFiles({"x/a.csv", "y/a.csv"}, "")),
            (std::vector<std::string>{"x/a.rejects.csv", "y/a.rejects.csv"}));
  EXPECT_EQ(Paths(PlanRejectsFiles({"x/a.csv", "y/a.csv"}, "out")),
            (std::vector<std::string>{"out/a.csv.1.rejects.csv", "out/a.csv.2.rejects.csv"}));
  const auto t = PlanRejectsFiles({"x/a.csv", "y/a.csv"}, "");
  EXPECT_EQ(t[0].fallback, "./a.csv.1.rejects.csv");
  EXPECT_EQ(t[1].fallback, "./a.csv.2.rejects.csv");
}

TEST(PlanRejectsFilesTest, NeverOverwritesAnInput) {
  // Re-importing a fixed rejects file together with the original.
  EXPECT_EQ(Paths(PlanRejectsFiles({"a.csv", "a.rejects.csv"}, "")),
            (std::vector<std::string>{"a.csv.rejects.csv", "a.rejects.rejects.csv"}));
}

TEST_F(RejectsTest, WritesAtomically) {
  const std::string path = (dir_ / "a.rejects.csv").string();
  ASSERT_TRUE(platform::WriteFileAtomic(path, "old\n").ok());
  ASSERT_TRUE(platform::WriteFileAtomic(path, "x,_line,_column,_reason\n").ok());
  EXPECT_EQ(Read(path), "x,_line,_column,_reason\n");
  EXPECT_EQ(Listing(), std::vector<std::string>{"a.rejects.csv"});
}

// Regression (issue 8): on a full disk the ".tmp" rejects file was left behind. The write
// goes through an injected system call that writes a little and then finds the disk full.
ssize_t FullAfterFourBytes(int fd, const void* data, size_t size) {
  static thread_local int calls = 0;
  if (calls++ % 2 == 0) return ::write(fd, data, size < 4 ? size : 4);
  errno = ENOSPC;
  return -1;
}

TEST_F(RejectsTest, RegressionFailedWriteRemovesItsTemporary) {
  const std::string path = (dir_ / "a.rejects.csv").string();
  const Status st = platform::WriteFileAtomic(path, "0123456789\n", FullAfterFourBytes);
  EXPECT_EQ(st.code(), StatusCode::kIo);
  EXPECT_EQ(st.message(), path + ": cannot write: No space left on device");
  EXPECT_TRUE(Listing().empty());
  // An older complete file stays as it was.
  ASSERT_TRUE(platform::WriteFileAtomic(path, "old\n").ok());
  EXPECT_FALSE(platform::WriteFileAtomic(path, "0123456789\n", FullAfterFourBytes).ok());
  EXPECT_EQ(Read(path), "old\n");
  EXPECT_EQ(Listing(), std::vector<std::string>{"a.rejects.csv"});
}

TEST_F(RejectsTest, FailedRenameRemovesItsTemporary) {
  fs::create_directory(dir_ / "taken");  // the target is a non-empty directory
  std::ofstream(dir_ / "taken" / "f") << "x";
  const Status st = platform::WriteFileAtomic((dir_ / "taken").string(), "data\n");
  EXPECT_EQ(st.code(), StatusCode::kIo);
  EXPECT_EQ(Listing(), std::vector<std::string>{"taken"});
}

TEST_F(RejectsTest, MissingFolderIsAnIoError) {
  const std::string path = (dir_ / "no" / "a.rejects.csv").string();
  const Status st = platform::WriteFileAtomic(path, "data\n");
  EXPECT_EQ(st.code(), StatusCode::kIo);
  EXPECT_EQ(st.message(), path + ": cannot write: No such file or directory");
}

TEST_F(RejectsTest, WriteRejectsFallsBack) {
  ParsedFile parsed(Kind::kRegions);
  parsed.rejects_header = {"code", "name"};
  parsed.rejections.push_back({2, "name", "required value missing", {"450100", ""}, {}, 1});
  const RejectsTarget target{(dir_ / "ro" / "r.rejects.csv").string(),
                             (dir_ / "r.rejects.csv").string()};
  auto written = WriteRejects(parsed, target);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(*written, target.fallback);
  EXPECT_EQ(Read(target.fallback),
            "code,name,_line,_record,_column,_reason\n450100,,2,1,name,required value missing\n");
  // Without a fallback the first failure is the answer.
  auto refused = WriteRejects(parsed, {target.path, ""});
  EXPECT_EQ(refused.status().code(), StatusCode::kIo);
}

}  // namespace
}  // namespace govqm

// File access: each kind of bad path is one specific Status whose message is "PATH: reason".
#include "platform/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace govqm::platform {
namespace {

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("govqm_platform_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string P(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(FileTest, ReadsAndMapsAWholeFile) {
  std::ofstream(P("a.txt"), std::ios::binary) << "hello\n";
  auto text = ReadFile(P("a.txt"));
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text, "hello\n");
  auto mapped = MappedFile::Open(P("a.txt"));
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->view(), "hello\n");
  std::ofstream(P("empty.txt"));
  auto empty = MappedFile::Open(P("empty.txt"));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->view(), "");
}

TEST_F(FileTest, EachBadPathHasItsCodeAndReason) {
  std::filesystem::create_directory(P("d"));
  ASSERT_EQ(::mkfifo(P("f").c_str(), 0644), 0);
  struct Case {
    std::string path;
    StatusCode code;
    std::string reason;
  };
  const Case cases[] = {
      {P("missing"), StatusCode::kNotFound, "no such file"},
      {P("missing/below"), StatusCode::kNotFound, "no such file"},
      {P("d"), StatusCode::kInvalidInput, "is a directory"},
      {P("f"), StatusCode::kInvalidInput, "is a FIFO, not a regular file"},
      {"/dev/null", StatusCode::kInvalidInput, "is a device, not a regular file"},
  };
  for (const Case& c : cases) {
    auto read = ReadFile(c.path);
    ASSERT_FALSE(read.ok()) << c.path;
    EXPECT_EQ(read.status().code(), c.code) << c.path;
    EXPECT_EQ(read.status().message(), c.path + ": " + c.reason);
    auto mapped = MappedFile::Open(c.path);
    ASSERT_FALSE(mapped.ok()) << c.path;
    EXPECT_EQ(mapped.status().message(), c.path + ": " + c.reason);
  }
  EXPECT_FALSE(IsRegularFile(P("d")));
  EXPECT_FALSE(IsRegularFile(P("f")));
}

TEST_F(FileTest, WriteFileAtomicReplacesWholeOrNotAtAll) {
  ASSERT_TRUE(WriteFileAtomic(P("out.csv"), "one\n").ok());
  ASSERT_TRUE(WriteFileAtomic(P("out.csv"), "two\n").ok());
  EXPECT_EQ(*ReadFile(P("out.csv")), "two\n");
  EXPECT_FALSE(std::filesystem::exists(P("out.csv.tmp")));
  const Status st = WriteFileAtomic(P("no/such/dir/out.csv"), "x");
  EXPECT_EQ(st.code(), StatusCode::kIo);
  EXPECT_EQ(st.message().rfind(P("no/such/dir/out.csv") + ": cannot write: ", 0), 0u) << st.message();
}

}  // namespace
}  // namespace govqm::platform

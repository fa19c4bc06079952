// platform::FindDataDir and DataFile on directories laid out as an install and as a source
// tree with its build directory.
#include "platform/data_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace govqm::platform {
namespace {

namespace fs = std::filesystem;

class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("govqm_datadir_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string P(const std::string& rel) const { return (dir_ / rel).string(); }
  void Touch(const std::string& rel) const {
    fs::create_directories(fs::path(P(rel)).parent_path());
    std::ofstream(P(rel)) << "x\n";
  }
  fs::path dir_;
};

TEST_F(DataDirTest, TheEnvironmentWinsAsGiven) {
  Touch("prefix/share/govqm/framework.toml");
  EXPECT_EQ(FindDataDir("/somewhere/else", P("prefix/bin")), "/somewhere/else");
  // Empty counts as unset.
  EXPECT_EQ(FindDataDir("", P("prefix/bin")), P("prefix/share/govqm"));
}

TEST_F(DataDirTest, InstalledPrefixBesideTheProgram) {
  fs::create_directories(P("prefix/bin"));
  fs::create_directories(P("prefix/share/govqm"));
  EXPECT_EQ(FindDataDir(nullptr, P("prefix/bin")), P("prefix/share/govqm"));
}

TEST_F(DataDirTest, SourceTreeForABuildDirectory) {
  fs::create_directories(P("src/build"));
  Touch("src/config/framework.toml");
  EXPECT_EQ(FindDataDir(nullptr, P("src/build")), P("src/config"));
  // A config/ without the framework is not govqm's.
  fs::remove(P("src/config/framework.toml"));
  EXPECT_EQ(FindDataDir(nullptr, P("src/build")), "");
}

TEST_F(DataDirTest, NoneFound) {
  fs::create_directories(P("bin"));
  EXPECT_EQ(FindDataDir(nullptr, P("bin")), "");
  EXPECT_EQ(FindDataDir(nullptr, ""), "");
}

TEST_F(DataDirTest, CandidatesInTheirOrderWhetherOrNotTheyExist) {
  // The environment alone, as given; else the install beside the program, then the source
  // tree (the default framework is looked for in each in turn).
  EXPECT_EQ(FindDataDirCandidates("/somewhere", P("prefix/bin")),
            std::vector<std::string>{"/somewhere"});
  EXPECT_EQ(FindDataDirCandidates(nullptr, P("prefix/bin")),
            (std::vector<std::string>{P("prefix/share/govqm"), P("prefix/config")}));
  EXPECT_EQ(FindDataDirCandidates("", P("src/build")),
            (std::vector<std::string>{P("src/share/govqm"), P("src/config")}));
  EXPECT_TRUE(FindDataDirCandidates(nullptr, "").empty());
}

TEST_F(DataDirTest, DataFileByNameOrPath) {
  Touch("d/calendars/cn-2024.cal");
  Touch("d/mappings/nyc.toml");
  const std::string d = P("d");
  EXPECT_EQ(DataFile(d, "calendars", "cn-2024", ".cal"), P("d/calendars/cn-2024.cal"));
  EXPECT_EQ(DataFile(d, "calendars", "cn-2024.cal", ".cal"), P("d/calendars/cn-2024.cal"));
  EXPECT_EQ(DataFile(d, "mappings", "nyc", ".toml"), P("d/mappings/nyc.toml"));
  // Paths, files of the working directory and unknown names are left as given.
  EXPECT_EQ(DataFile(d, "calendars", "./cn-2024", ".cal"), "./cn-2024");
  EXPECT_EQ(DataFile(d, "calendars", "cn-2026", ".cal"), "cn-2026");
  EXPECT_EQ(DataFile("", "calendars", "cn-2024", ".cal"), "cn-2024");
  EXPECT_EQ(DataFile(d, "mappings", "", ".toml"), "");
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  Touch("cn-2024");
  EXPECT_EQ(DataFile(d, "calendars", "cn-2024", ".cal"), "cn-2024");
  fs::current_path(cwd);
}

}  // namespace
}  // namespace govqm::platform

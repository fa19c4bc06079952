// The default framework's search order (app::DefaultFrameworkFiles, app::LoadFramework): the
// deployment's file, then framework.toml in each data directory in turn; none there is an
// error that names every place looked in and says --framework FILE.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/scoring_input.h"

namespace govqm::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFramework =
    "[framework]\nname = \"NAME\"\nversion = \"1\"\n[[stage]]\ncode = \"s\"\n"
    "[[dimension]]\ncode = \"d\"\n[[indicator]]\ncode = \"volume\"\ncell = \"s/d\"\n"
    "floor = 0\ntarget = 10\n";

class FrameworkSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("govqm_fwsearch_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string P(const std::string& rel) const { return (dir_ / rel).string(); }
  void Framework(const std::string& rel, const std::string& name) const {
    fs::create_directories(fs::path(P(rel)).parent_path());
    std::string text = kFramework;
    text.replace(text.find("NAME"), 4, name);
    std::ofstream(P(rel)) << text;
  }
  fs::path dir_;
};

TEST_F(FrameworkSearchTest, TheFilesInOrder) {
  EXPECT_EQ(DefaultFrameworkFiles("/etc/govqm/fw.toml", std::vector<std::string>{"/a", "", "/b"}),
            (std::vector<std::string>{"/etc/govqm/fw.toml", "/a/framework.toml",
                                      "/b/framework.toml"}));
  EXPECT_EQ(DefaultFrameworkFiles("", "/a"), std::vector<std::string>{"/a/framework.toml"});
  EXPECT_TRUE(DefaultFrameworkFiles("", "").empty());
}

TEST_F(FrameworkSearchTest, TheFirstThatExists) {
  // An install whose share/govqm has no framework.toml: the source tree's is next.
  fs::create_directories(P("prefix/share/govqm"));
  Framework("prefix/config/framework.toml", "from-config");
  const auto files =
      DefaultFrameworkFiles("", std::vector<std::string>{P("prefix/share/govqm"), P("prefix/config")});
  auto fw = LoadFramework("", files);
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  EXPECT_EQ(fw->path, P("prefix/config/framework.toml"));
  EXPECT_EQ(fw->fw.name, "from-config");
  // The installed one, once there, comes first.
  Framework("prefix/share/govqm/framework.toml", "installed");
  fw = LoadFramework("", files);
  ASSERT_TRUE(fw.ok()) << fw.status().message();
  EXPECT_EQ(fw->fw.name, "installed");
  // --framework wins over all of them.
  Framework("mine.toml", "mine");
  fw = LoadFramework(P("mine.toml"), files);
  ASSERT_TRUE(fw.ok());
  EXPECT_EQ(fw->fw.name, "mine");
}

TEST_F(FrameworkSearchTest, NoneThereNamesThePlacesAndTheOption) {
  const auto files = DefaultFrameworkFiles("", std::vector<std::string>{P("a"), P("b")});
  auto fw = LoadFramework("", files);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fw.status().message(), "no framework file: looked for " + P("a/framework.toml") +
                                       ", " + P("b/framework.toml") +
                                       " (give --framework FILE)");
  fw = LoadFramework("", {});
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.status().message(), "no framework file (give --framework FILE)");
  // Something there that is not a readable file is read, so its own error is told.
  fs::create_directories(P("a/framework.toml"));
  fw = LoadFramework("", files);
  ASSERT_FALSE(fw.ok());
  EXPECT_NE(fw.status().message().find("is a directory"), std::string::npos)
      << fw.status().message();
}

}  // namespace
}  // namespace govqm::app

// Runs the real govqm program in a scratch directory, as a user would.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace govqm::testing {

struct RunResult {
  int exit_code;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("govqm_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  void Write(const std::string& name, const std::string& content) const {
    std::ofstream(Path(name), std::ios::binary) << content;
  }
  std::string Read(const std::string& name) const {
    std::ifstream in(Path(name), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  bool Exists(const std::string& name) const { return std::filesystem::exists(Path(name)); }

  // Runs `govqm ARGS` with the scratch directory as working directory.
  RunResult Run(const std::string& args) const {
    const std::string cmd = "cd '" + dir_.string() + "' && " + GOVQM_BINARY + " " + args +
                            " > _out.txt 2> _err.txt";
    const int status = std::system(cmd.c_str());
    RunResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Read("_out.txt"), Read("_err.txt")};
    return r;
  }

  std::filesystem::path dir_;
};

// A file of the real-data excerpts kept in the repository (tests/data/DATASET/FILE; each
// folder's SOURCE.md says where it comes from and how it was cut).
inline std::string TestData(const std::string& rel) {
  return std::string(GOVQM_SOURCE_DIR) + "/tests/data/" + rel;
}

}  // namespace govqm::testing

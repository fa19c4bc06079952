// A path that is not a readable regular file — a directory, a missing file, a FIFO, a file
// without read permission — given to any option or argument that names an input file is a
// one-line "govqm CMD: PATH: reason" error and exit 1. (A directory used to abort the program
// with std::bad_alloc: the old reader took a directory's size from tellg; a FIFO blocked.)
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

class PathErrorsTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init").exit_code, 0);
    std::filesystem::create_directory(Path("dir"));
    ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0644), 0);
    Write("t.csv", "id,region_code,channel,submitted_at,status\n");
    Write("secret.csv", "id\n");
    ::chmod(Path("secret.csv").c_str(), 0);
  }
};

// Every command that reads a named file, with the file's place marked by PATH.
const char* const kCommands[] = {
    "import transactions t.csv --map PATH",
    "import transactions PATH",
    "import transactions t.csv PATH",
    "calendar PATH",
    "score --values PATH --framework FW",
    "score --from 2024-01-01 --to 2025-01-01 --by city --framework PATH",
    "explain --unit A --values PATH --framework FW",
    "explain --unit A --from 2024-01-01 --to 2025-01-01 --by city --framework PATH",
    "weights --framework PATH",
    "weights --values PATH --framework FW",
    "disparity --indicator volume --values PATH --framework FW",
    "disparity --indicator volume --by city --from 2024-01-01 --to 2025-01-01 --framework PATH",
};

std::string Command(std::string c, const std::string& path,
                    const std::string& fw = std::string(GOVQM_SOURCE_DIR) +
                                            "/tests/cli/data/score_small.toml") {
  c.replace(c.find("PATH"), 4, path);
  if (auto at = c.find("FW"); at != std::string::npos) c.replace(at, 2, fw);
  return c;
}

void ExpectOneLine(const RunResult& r, const std::string& cmd, const std::string& path,
                   const std::string& reason) {
  const std::string name = cmd.substr(0, cmd.find(' '));
  EXPECT_EQ(r.exit_code, 1) << cmd << "\n" << r.err;
  EXPECT_EQ(r.err, "govqm " + name + ": " + path + ": " + reason + "\n") << cmd;
}

TEST_F(PathErrorsTest, ADirectory) {
  for (const char* c : kCommands) {
    const std::string cmd = Command(c, "dir");
    ExpectOneLine(Run(cmd), cmd, "dir", "is a directory");
  }
}

TEST_F(PathErrorsTest, AMissingFile) {
  for (const char* c : kCommands) {
    const std::string cmd = Command(c, "missing.csv");
    ExpectOneLine(Run(cmd), cmd, "missing.csv", "no such file");
  }
}

TEST_F(PathErrorsTest, AFifoIsRefusedWithoutWaitingForAWriter) {
  for (const char* c : kCommands) {
    const std::string cmd = Command(c, "fifo");
    ExpectOneLine(Run(cmd), cmd, "fifo", "is a FIFO, not a regular file");  // (hung before)
  }
}

// Root reads any file: as root (CI), the program runs as `nobody` (setpriv, util-linux),
// from copies of the binary and the framework in the scratch directory, which nobody can
// reach wherever the checkout is (a checkout under a 0700 home would not be).
TEST_F(PathErrorsTest, AFileWithoutReadPermission) {
  std::string as_nobody, fw = std::string(GOVQM_SOURCE_DIR) + "/tests/cli/data/score_small.toml";
  if (::geteuid() == 0) {
    std::filesystem::copy_file(GOVQM_BINARY, Path("govqm"));
    std::filesystem::copy_file(fw, Path("fw.toml"));
    fw = "fw.toml";
    as_nobody = "--help >/dev/null; setpriv --reuid=65534 --regid=65534 --clear-groups ./govqm ";
    const RunResult probe = Run(as_nobody + "--help");
    ASSERT_EQ(probe.exit_code, 0) << "nobody cannot run the copied program: " << probe.err;
  }
  for (const char* c : kCommands) {
    const std::string cmd = Command(c, "secret.csv", fw);
    ExpectOneLine(Run(as_nobody + cmd), cmd, "secret.csv", "permission denied");
  }
}

// The default framework named by the deployment ($GOVQM_FRAMEWORK) is read the same way.
TEST_F(PathErrorsTest, TheConfiguredDefaultFramework) {
  RunResult r = Run("--help >/dev/null; GOVQM_FRAMEWORK=dir " GOVQM_BINARY " weights");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm weights: dir: is a directory\n");
}

}  // namespace
}  // namespace govqm::testing

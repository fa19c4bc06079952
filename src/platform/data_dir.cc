#include "platform/data_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "platform/process.h"

namespace govqm::platform {
namespace fs = std::filesystem;

std::string FindDataDir(const char* env, const std::string& program_dir) {
  if (env != nullptr && *env != 0) return env;
  if (program_dir.empty()) return "";
  std::error_code ec;
  // Installed: the layout of GNUInstallDirs (bin/ and share/ side by side under the prefix),
  // so a prefix copied or moved elsewhere still finds its own data, never the build's.
  const fs::path installed = (fs::path(program_dir) / "../share/govqm").lexically_normal();
  if (fs::is_directory(installed, ec)) return installed.string();
  // In a build directory of the source tree: the repository's config/, which has the same
  // layout as share/govqm (CMakeLists.txt installs config/ there).
  const fs::path source = (fs::path(program_dir) / "../config").lexically_normal();
  if (fs::is_regular_file(source / "framework.toml", ec)) return source.string();
  return "";
}

std::string DataDir() { return FindDataDir(std::getenv("GOVQM_DATA_DIR"), ProgramDir()); }

std::vector<std::string> FindDataDirCandidates(const char* env, const std::string& program_dir) {
  if (env != nullptr && *env != 0) return {env};
  if (program_dir.empty()) return {};
  return {(fs::path(program_dir) / "../share/govqm").lexically_normal().string(),
          (fs::path(program_dir) / "../config").lexically_normal().string()};
}

std::vector<std::string> DataDirCandidates() {
  return FindDataDirCandidates(std::getenv("GOVQM_DATA_DIR"), ProgramDir());
}

std::string DataFile(const std::string& data_dir, const std::string& subdir, const std::string& arg,
                     const std::string& ext) {
  std::error_code ec;
  if (data_dir.empty() || arg.empty() || arg.find('/') != std::string::npos ||
      fs::exists(arg, ec)) {
    return arg;
  }
  for (const std::string& name : {arg, arg + ext}) {
    const fs::path p = fs::path(data_dir) / subdir / name;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return arg;
}

}  // namespace govqm::platform

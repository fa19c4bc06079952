// Where govqm's data files are: the default framework (framework.toml), the working-day
// calendars (calendars/*.cal), the column mappings (mappings/*.toml) and the examples
// (examples/). The one place that decides it; edges call it once and hand the result down.
#pragma once

#include <string>
#include <vector>

namespace govqm::platform {

// The data directory, the first of:
//   1. $GOVQM_DATA_DIR when set (and not empty), taken as given;
//   2. PREFIX/share/govqm for a program installed as PREFIX/bin/govqm (`cmake --install`, the
//      .deb: PREFIX = /usr), when that directory exists;
//   3. SRC/config for a program built in a build directory of the source tree (SRC/build/govqm),
//      when SRC/config/framework.toml exists;
// else "" (no data directory: commands then need their files named).
std::string DataDir();

// DataDir's rule on given inputs, for tests: `env` is $GOVQM_DATA_DIR (nullptr = unset),
// `program_dir` the running program's directory ("" = unknown).
std::string FindDataDir(const char* env, const std::string& program_dir);

// The directories DataDir chooses among, in its order, whether or not they exist:
// $GOVQM_DATA_DIR alone when set; else PREFIX/share/govqm, then the source tree's config/
// (both from the program's directory; none when it is unknown). A file looked for in each in
// turn (the default framework) is found in an install whose share/govqm lacks it, and the
// error can name every place looked in.
std::vector<std::string> DataDirCandidates();
std::vector<std::string> FindDataDirCandidates(const char* env, const std::string& program_dir);

// A data file named on the command line: `arg` itself when it exists or contains a '/';
// otherwise DIR/SUBDIR/ARG or DIR/SUBDIR/ARG.EXT (EXT with its dot), the first that exists, so
// `--map nyc311-api` or `calendar cn-2024` find the installed files; else `arg`, so that the
// error names what was given.
std::string DataFile(const std::string& data_dir, const std::string& subdir, const std::string& arg,
                     const std::string& ext);

}  // namespace govqm::platform

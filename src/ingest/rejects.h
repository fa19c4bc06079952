// The rejects files of an import (domain.md §2, "Bad input"): where each input's go, and
// writing them so that no reader ever sees half a file and no failure leaves a temporary.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/importer.h"
#include "platform/file.h"

namespace govqm {

// Where one input's rejects go. `path` is tried first; `fallback` (in the working directory,
// "" when the user named a --rejects-dir) when the input's folder cannot be written.
struct RejectsTarget {
  std::string path;
  std::string fallback;
};

// The rejects files of one import, one per input, in input order. Normally NAME.rejects.csv
// (NAME = the input's name without its last extension) beside the input, or in `dir` when it
// is not empty. Inputs whose rejects would be the same file (a.csv and a.ndjson in one import,
// x/a.csv and y/a.csv with a --rejects-dir) each get NAME.EXT.rejects.csv instead, and if
// that still collides NAME.EXT.K.rejects.csv, K being the input's position (1 = first). A
// rejects file never overwrites one of the inputs (importing a.csv with a.rejects.csv).
std::vector<RejectsTarget> PlanRejectsFiles(const std::vector<std::string>& inputs,
                                            const std::string& dir);

// Renders `parsed`'s rejections (RenderRejects) into target.path, or target.fallback when
// that fails and there is one. Returns the path written, or the Status of the last attempt.
Result<std::string> WriteRejects(const ParsedFile& parsed, const RejectsTarget& target,
                                 platform::WriteFn write = nullptr);

// The same for rejections gathered apart from a ParsedFile (a streamed import).
Result<std::string> WriteRejects(const std::vector<std::string>& header,
                                 const std::vector<Rejection>& rejections,
                                 const RejectsTarget& target, platform::WriteFn write = nullptr);

// Removes target.path if it exists: a rejects file from an earlier run of an input that now
// has no rejections would mislead. Errors are ignored (there may be nothing to remove).
void RemoveStaleRejects(const RejectsTarget& target);

}  // namespace govqm

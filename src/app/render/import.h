// Rendering of an import summary: the `import --json` object (also kept in the store's import
// log), and the plain-text line with its notes.
#pragma once

#include <string>

#include "app/import.h"

namespace govqm::render {

// One JSON object (no trailing newline): kind, read, loaded, replaced, rejected, rejects_file,
// files, unknown_codes, atomic_refused.
std::string ImportJson(const app::ImportSummary& s);

// The text form: `out` one line for stdout; `err` the notes and warnings for stderr.
struct ImportText {
  std::string out, err;
};
ImportText RenderImportText(const app::ImportSummary& s);

// The phase timings line (for --timing, on stderr).
std::string ImportTimingText(const app::ImportSummary& s);

}  // namespace govqm::render

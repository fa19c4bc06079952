// govqm import KIND FILE... — arguments → app::Import → the summary, as JSON or text.
#include <fmt/format.h>

#include <filesystem>

#include "app/import.h"
#include "app/render/import.h"
#include "cli/commands_internal.h"
#include "ingest/importer.h"
#include "platform/file.h"

namespace govqm::cli {
namespace {

using platform::WriteFileAtomic;

// Where the rejects of `input` go: beside it, or in the working directory when that folder
// cannot be written (e.g. read-only shared data).
std::string RejectsPath(const std::string& input, const std::string& dir) {
  std::filesystem::path p(input);
  std::string name = p.stem().string() + ".rejects.csv";
  return ((dir.empty() ? p.parent_path() : std::filesystem::path(dir)) / name).string();
}

Result<std::string> WriteRejects(const ParsedFile& parsed, const std::string& input,
                                 const std::string& dir) {
  const std::string text = RenderRejects(parsed);
  const std::string beside = RejectsPath(input, dir);
  if (!dir.empty()) {
    GOVQM_RETURN_IF_ERROR(WriteFileAtomic(beside, text));
    return beside;
  }
  if (WriteFileAtomic(beside, text).ok()) return beside;
  const std::string here = RejectsPath(input, ".");
  GOVQM_RETURN_IF_ERROR(WriteFileAtomic(here, text));
  return here;
}

}  // namespace

Status RunImport(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(
      const Args args,
      ParseArgs(argc, argv, 2, {{"db", "tz", "map", "rejects-dir"}, {"atomic", "json", "timing"}}));
  if (args.positional.size() < 2) return Status::Usage("import needs KIND and at least one FILE");
  const auto kind = ParseKind(args.positional[0]);
  if (!kind) {
    return Status::Usage(
        fmt::format("unknown kind '{}' (regions|departments|items|transactions|evaluations|"
                    "rectifications|probes|guides|org)",
                    args.positional[0]));
  }
  app::ImportRequest request;
  request.kind = *kind;
  request.files.assign(args.positional.begin() + 1, args.positional.end());
  request.map_file = args.Get("map");
  request.zone = args.Get("tz");
  request.atomic = args.Has("atomic");
  const std::string rejects_dir = args.Get("rejects-dir");
  request.rejects.path = [rejects_dir](const std::string& input) {
    return RejectsPath(input, rejects_dir);
  };
  request.rejects.write = [rejects_dir](const ParsedFile& parsed, const std::string& input) {
    return WriteRejects(parsed, input, rejects_dir);
  };
  if (args.Has("map") && request.map_file.empty()) return Status::Usage("--map needs a file");
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_ASSIGN_OR_RETURN(const app::ImportSummary summary, app::Import(*store, request));
  if (args.Has("timing") && !summary.atomic_refused) Err(render::ImportTimingText(summary));
  if (args.Has("json")) {
    Out(render::ImportJson(summary) + "\n");
  } else {
    const render::ImportText text = render::RenderImportText(summary);
    Out(text.out);
    Err(text.err);
  }
  return summary.atomic_refused ? app::AtomicRefusal(summary) : Status::Ok();
}

}  // namespace govqm::cli

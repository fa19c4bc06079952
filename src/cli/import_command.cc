// govqm import KIND FILE... — arguments → app::Import → the summary, as JSON or text.
#include <fmt/format.h>
#include <malloc.h>

#include "app/import.h"
#include "app/render/import.h"
#include "cli/commands_internal.h"
#include "ingest/importer.h"
#include "platform/data_dir.h"

namespace govqm::cli {

Status RunImport(int argc, char** argv) {
  // An import frees and allocates the same big buffers part after part: keep freed memory for
  // reuse rather than hand it back to the kernel and take page faults (and clearing) again.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  GOVQM_ASSIGN_OR_RETURN(
      const Args args,
      ParseArgs(argc, argv, 2, {{"db", "tz", "map", "rejects-dir", "encoding", "max-rejects"}, {"atomic", "json", "timing"}}));
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
  // A bare name (nyc311-api) is one of the installed mappings.
  request.map_file = platform::DataFile(platform::DataDir(), "mappings", args.Get("map"), ".toml");
  request.zone = args.Get("tz");
  request.atomic = args.Has("atomic");
  if (args.Has("max-rejects")) {
    const auto limit = app::ParseMaxRejects(args.Get("max-rejects"));
    if (!limit) return Status::Usage("--max-rejects takes a count (100) or a share of the records read (5%)");
    request.max_rejects = *limit;
  }
  request.rejects.dir = args.Get("rejects-dir");
  request.key_file = ContactKeyFileOfEnvironment();
  const auto encoding = ParseEncodingName(args.Get("encoding", "auto"));
  if (!encoding) return Status::Usage("--encoding must be auto, utf-8, gb18030 or latin1");
  request.encoding = *encoding;
  if (args.Has("map") && request.map_file.empty()) return Status::Usage("--map needs a file");
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_ASSIGN_OR_RETURN(const app::ImportSummary summary, app::Import(*store, request));
  const bool refused = summary.atomic_refused || summary.max_rejects_refused;
  if (args.Has("timing") && !refused) Err(render::ImportTimingText(summary));
  if (args.Has("json")) {
    Out(render::ImportJson(summary) + "\n");
  } else {
    const render::ImportText text = render::RenderImportText(summary);
    Out(text.out);
    Err(text.err);
  }
  if (summary.max_rejects_refused) return app::MaxRejectsRefusal(summary, request.max_rejects);
  return summary.atomic_refused ? app::AtomicRefusal(summary) : Status::Ok();
}

}  // namespace govqm::cli

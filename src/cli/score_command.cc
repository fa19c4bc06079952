// govqm score — arguments → app::Score → JSON, long CSV or the readable table.
#include "app/render/score.h"
#include "app/score.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"

namespace govqm::cli {

Status RunScore(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, ScoreSpec()));
  if (!args.positional.empty()) return Status::Usage("score takes no positional arguments");
  GOVQM_ASSIGN_OR_RETURN(const std::string format,
                         FormatOf(args, "table", {"json", "csv", "table"}));
  GOVQM_ASSIGN_OR_RETURN(app::ScoreRequest request, ScoreRequestOf(args));
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, StoreFor(args, request.input));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.input.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::ScoreOutput out,
                         app::Score(std::move(fw), request, store.get()));
  // The table and the JSON carry the notes; beside the CSV they go to stderr.
  if (format == "csv") {
    for (const std::string& note : out.input.notes) Err("note: " + note + "\n");
  }
  Out(format == "table" ? render::ScoreTable(out)
      : format == "csv" ? render::ScoreCsv(out)
                        : render::ScoreJson(out));
  return Status::Ok();
}

}  // namespace govqm::cli

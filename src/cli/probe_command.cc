// govqm probe — the targets file → app::ProbeRound, once or every N seconds until SIGINT or
// SIGTERM (service.md §8); each round is one commit, and a signal during a round lets it
// finish and commit before the program exits 0. One line per check on stdout; a failed check
// is data, not an error (exit 0).
#include <fmt/format.h>

#include <csignal>
#include <cstdlib>
#include <ctime>

#include "app/probe.h"
#include "cli/commands_internal.h"
#include "core/table.h"

namespace govqm::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnStop(int) { g_stop = 1; }

std::string RecordLine(const app::ProbeRecord& r) {
  std::string latency = std::isnan(r.latency_ms) ? "-" : fmt::format("{:.1f}ms", r.latency_ms);
  std::string status = r.status_code == 0 ? "-" : std::to_string(r.status_code);
  return fmt::format("{} {} {} status={} latency={}{}\n", FormatInstant(r.checked_at_ms), r.target,
                     r.ok ? "ok" : "FAIL", status, latency, r.ok ? "" : " reason=" + r.reason);
}

}  // namespace

Status RunProbe(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args,
                         ParseArgs(argc, argv, 2, {{"targets", "db", "every"}, {"once"}}));
  if (!args.positional.empty()) return Status::Usage("probe takes no positional arguments");
  if (!args.Has("targets")) return Status::Usage("probe needs --targets FILE");
  if (args.Has("once") && args.Has("every")) {
    return Status::Usage("probe takes --once or --every SECONDS, not both");
  }
  int64_t every_s = 0;
  if (args.Has("every")) {
    const std::string text = args.Get("every");
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 1 || v > 86400) {
      return Status::Usage(
          fmt::format("--every '{}': a whole number of seconds from 1 to 86400", text));
    }
    every_s = v;
  }
  GOVQM_ASSIGN_OR_RETURN(const std::vector<app::ProbeTarget> targets,
                         app::LoadTargets(args.Get("targets")));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  if (every_s == 0) {  // --once, the default
    GOVQM_ASSIGN_OR_RETURN(const app::ProbeRoundResult round, app::ProbeRound(*store, targets));
    for (const app::ProbeRecord& r : round.records) Out(RecordLine(r));
    return Status::Ok();
  }
  struct sigaction sa = {};
  sa.sa_handler = OnStop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  platform::Env& env = platform::Env::Default();
  while (!g_stop) {
    const double started = env.NowSeconds();
    GOVQM_ASSIGN_OR_RETURN(const app::ProbeRoundResult round, app::ProbeRound(*store, targets));
    for (const app::ProbeRecord& r : round.records) Out(RecordLine(r));
    std::fflush(stdout);
    // Sleep to the next round in short steps, so a signal ends the loop promptly.
    while (!g_stop && env.NowSeconds() - started < static_cast<double>(every_s)) {
      const timespec step{0, 50 * 1000 * 1000};
      nanosleep(&step, nullptr);
    }
  }
  return Status::Ok();
}

}  // namespace govqm::cli

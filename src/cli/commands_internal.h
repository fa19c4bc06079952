// Shared plumbing of the subcommands (not a public interface). Each subcommand turns its
// arguments into a typed request, calls one use case of src/app, and writes the rendered
// result; Main maps the returned Status to the exit code (ExitCode, the only such mapping).
#pragma once

#include <memory>
#include <string>

#include "app/common.h"
#include "app/scoring_input.h"
#include "cli/args.h"
#include "cli/requests.h"
#include "core/status.h"
#include "security/audit.h"
#include "store/store.h"

namespace govqm::cli {

Status RunInit(int argc, char** argv);
Status RunCalendar(int argc, char** argv);
Status RunCases(int argc, char** argv);
Status RunImport(int argc, char** argv);
Status RunIndicators(int argc, char** argv);
Status RunAlerts(int argc, char** argv);  // alerts_command.cc
Status RunGenerate(int argc, char** argv);
Status RunScore(int argc, char** argv);
Status RunExplain(int argc, char** argv);
Status RunDiagnose(int argc, char** argv);  // diagnose_command.cc
Status RunReport(int argc, char** argv);    // report_command.cc
Status RunWeights(int argc, char** argv);
Status RunDisparity(int argc, char** argv);
Status RunServe(int argc, char** argv);
Status RunProbe(int argc, char** argv);  // probe_command.cc
Status RunPartials(int argc, char** argv);  // federation_commands.cc
Status RunMerge(int argc, char** argv);     // federation_commands.cc
Status RunUser(int argc, char** argv);   // account_commands.cc
Status RunToken(int argc, char** argv);
Status RunAudit(int argc, char** argv);

// The exit code of a command's status (architecture.md: 0 ok, 1 bad input, 2 usage).
int ExitCode(const Status& status);

// Writes rendered output to stdout / stderr.
void Out(const std::string& text);
void Err(const std::string& text);

// The store named by --db (default ./govqm.db).
Result<std::unique_ptr<Store>> OpenStore(const Args& args);

// The contact key file the deployment names in $GOVQM_KEY_FILE ("" = beside the store): the
// one place the key's location is read from the environment; it is passed down from here.
std::string ContactKeyFileOfEnvironment();

// The framework of --framework FILE, else the defaults (app::DefaultFrameworkFiles with the
// deployment's $GOVQM_FRAMEWORK and the program's directory).
Result<app::LoadedFramework> LoadFramework(const Args& args);

// --as NAME: the command reads as that user would through the API (service.md §4: one scope
// policy under every command that reads data): the user's scope, and for an auditor no
// record-level examples. Without --as, the whole store (whoever can read the file can read
// everything in it). NotFound for an unknown or disabled user; Usage with a --values file
// (store null).
Status ReadAs(const Args& args, const Store* store, AccessScope* scope,
              bool* show_records = nullptr);

// The wall clock, in ms since the epoch (the edge's clock: use cases take instants).
int64_t NowMs();

// The audit log's actor for a change made from the command line: "cli:" + the login name of
// the effective user (its uid when it has no name).
std::string CliActor();

// Appends `event` to the audit log of --db's store after the change it records was made: a
// failure to log is reported (exit 1) with what was done (`done`), so nobody takes an
// unlogged change for one that did not happen.
Status AuditCliChange(const Args& args, const security::AuditEvent& event, const std::string& done);

// The store a scoring request reads: opened by --db, or none (nullptr) for a --values file.
Result<std::unique_ptr<Store>> StoreFor(const Args& args, const app::ScoringRequest& input);

}  // namespace govqm::cli

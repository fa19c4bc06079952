#include "cli/commands.h"

#include <fmt/format.h>

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/init.h"
#include "cli/commands_internal.h"
#include "cli/config.h"
#include "security/accounts.h"
#include "platform/data_dir.h"

namespace govqm::cli {
namespace {

constexpr const char* kUsage =
    "usage: govqm COMMAND [OPTIONS]\n"
    "  init       [--db FILE] [--tz ZONE]                      create an empty store and its\n"
    "                                                           contact key (back it up apart)\n"
    "  init       ... --backend clickhouse://HOST:PORT/DB [--cluster NAME]\n"
    "                                                           facts in ClickHouse (docs/CLICKHOUSE.md)\n"
    "  init       --key-only [--db FILE]                       the contact key of an older store\n"
    "  import     KIND FILE... [--map MAPFILE|NAME] [--atomic] [--db FILE] [--tz ZONE] [--json]\n"
    "             [--rejects-dir DIR]   (default: beside each FILE) [--encoding auto|utf-8|gb18030|latin1]\n"
    "             [--max-rejects N|P%] (more rejects than that: nothing loaded) [--timing]\n"
    "             KIND: regions|departments|items|transactions|evaluations|rectifications|\n"
    "                   probes|guides|org\n"
    "  indicators --from DATE --to DATE [--by KEYS] [--only CODES] [--format csv|json|table]\n"
    "             [--db FILE] [--tz ZONE] [--timing]\n"
    "  alerts     --rules FILE --from DATE --to DATE [--at TIME] [--format csv|json|table]\n"
    "             [--db FILE] [--tz ZONE] [--config FILE] [--deliver URL [--secret-file F]]\n"
    "             (threshold, drop, ewma, cusum; --at: the deadline warnings of open\n"
    "             transactions and cases at TIME, cases counted with --config's [closed_loop];\n"
    "             --deliver: POST each alert not yet delivered there, signed with F)\n"
    "  score      (--from DATE --to DATE --by KEY [--db FILE] [--tz ZONE] | --values FILE.csv)\n"
    "             [--framework FILE] [--format json|csv|table]\n"
    "             [--uncertainty N [--seed S] [--spread F] [--switch-normalisation]]\n"
    "  explain    --unit U [--cell STAGE/DIMENSION | --stage S | --dimension D | --block B |\n"
    "             --node CODE] (store or --values options as for score) [--framework FILE]\n"
    "             [--format text|json]\n"
    "  diagnose   --from DATE --to DATE --by KEY --unit U [--framework FILE] [--db FILE]\n"
    "             [--tz ZONE] [--stopwords FILE] [--format text|json|table]   weak points,\n"
    "             difficulties, pain points and highlights of one unit among its peers\n"
    "  report     --from DATE --to DATE --by KEY --out FILE.html|FILE.xlsx [--lang zh|en]\n"
    "             [--db FILE] [--tz ZONE] [--framework FILE] [--alert-rules FILE|NAME]\n"
    "             [--config FILE] [--top N] [--stopwords NAME|FILE] [--timing]   the bulletin\n"
    "             (月报/季报): index, grade and rank with the change against the previous\n"
    "             period, heatmap, 红黑榜 of the best and worst N (default 5) windows and\n"
    "             departments (约谈: worst two periods running), closed loop, alerts (default\n"
    "             rules: the installed alerts/example.toml; deadlines of --config's\n"
    "             [closed_loop]), same source, digital divide, diagnosis per unit; HTML prints\n"
    "             on A4, XLSX has a sheet per section\n"
    "  weights    [--framework FILE] [--values FILE.csv | --from DATE --to DATE --by KEY]\n"
    "             [--format table|json]\n"
    "  disparity  (--indicator CODE | --score LEVEL) --by KEY [--within KEY]\n"
    "             (--from DATE --to DATE [--db FILE] | --values FILE.csv) [--framework FILE]\n"
    "             [--format table|json]\n"
    "  partials   --from DATE --to DATE --by KEYS --out FILE [--key F] [--db FILE] [--tz ZONE]\n"
    "             a city's base measures, mergeable, signed with Ed25519 by F (default: NAME.sign\n"
    "             beside the store NAME.db, made on first use with its public half NAME.pub)\n"
    "  merge      FILE... --trust DIR [--format csv|json]   the indicators of the partials files\n"
    "             signed by a key whose .pub is in DIR, as one scan of all their records\n"
    "  merge      FILE... --trust DIR --score [--framework FILE] [--format json|csv|table]\n"
    "             [--uncertainty N [--seed S] [--spread F] [--switch-normalisation]]   the scores\n"
    "  calendar   FILE|NAME... [--db FILE]                        load working-day calendars\n"
    "  cases      list [--state S] [--overdue] [--at TIME] [--by region|dept]\n"
    "             [--format csv|json|table] [--db FILE] [--tz ZONE]\n"
    "  cases      show ID [--at TIME] [--format text|json] [--db FILE] [--tz ZONE]\n"
    "  cases      act ID assign|verify|rectify|revisit|close|invalidate --actor NAME\n"
    "             [--note T] [--reason T] [--revisit-score N] [--format text|json] [--db FILE]\n"
    "  cases      invite [--at TIME] [--after-days 3] [--db FILE]   unrated, to invite (CSV)\n"
    "             (list, show, act: --config FILE reads its [closed_loop] deadlines)\n"
    "  compact    [--db FILE]                                     give replaced rows' space back\n"
    "  backup     --to FILE [--db FILE]                           a consistent copy, while in use\n"
    "  restore    FILE [--db FILE] [--keep-key]                   the store becomes the backup\n"
    "  generate   --out DIR [--scale N] [--seed S] [--year Y]     synthetic province\n"
    "  serve      [--config FILE] [--db FILE] [--bind 127.0.0.1] [--port 8080] [--web DIR]\n"
    "             [--tls-cert F --tls-key F] [--insecure-http] [--threads N] [--framework FILE]\n"
    "             [--key-file F] [--alert-rules FILE]   (the rules GET /api/v1/alerts runs)\n"
    "  probe      --targets FILE [--db FILE] [--once | --every SECONDS]   check online\n"
    "             platforms (a [[target]] per platform), store one probe per check\n"
    "  user       add NAME --role admin|supervisor|operator|auditor [--region CODE]\n"
    "             [--depts D1,D2] | passwd NAME | disable NAME | list [--format table|csv|json]\n"
    "             [--db FILE]   (the password from standard input: one line from a pipe,\n"
    "             asked twice at a terminal)\n"
    "  token      create NAME [--days N] (default 90; the secret is printed once) |\n"
    "             revoke ID | list [--format table|csv|json]   [--db FILE]\n"
    "  audit      verify [--db FILE]                              check the hash chain\n"
    "             list [--from DATE] [--to DATE] [--tz ZONE] [--format table|csv|json] [--db FILE]\n"
    "indicators, alerts, score, explain, diagnose, report, weights, disparity and partials also take\n"
    "--as USER: the answer that user gets from the API (their scope; for an auditor no\n"
    "record-level examples).\n"
    "Data files: a bare NAME is looked up in the data directory ($GOVQM_DATA_DIR, else\n"
    "PREFIX/share/govqm beside PREFIX/bin/govqm): calendar cn-2024 = calendars/cn-2024.cal,\n"
    "--map nyc311-api = mappings/nyc311-api.toml; the default framework is framework.toml.\n";

}  // namespace

int ExitCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kUsage:
      return 2;
    case StatusCode::kInvalidInput:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kIo:
    case StatusCode::kInternal:
      return 1;
  }
  return 1;
}

void Out(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }
void Err(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stderr); }

namespace {

// A write waits for another process's write as long as it takes; say why nothing happens.
StoreOptions WaitingSaysSo(const std::string& db) {
  StoreOptions options;
  options.on_wait = [db] {
    std::fprintf(stderr, "govqm: waiting for another process writing to %s to finish...\n",
                 db.c_str());
  };
  return options;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const Args& args) {
  const std::string db = args.Get("db", app::kDefaultDb);
  return app::OpenStore(db, WaitingSaysSo(db));
}

std::string ContactKeyFileOfEnvironment() {
  const char* configured = std::getenv("GOVQM_KEY_FILE");
  return configured ? configured : "";
}

Result<app::LoadedFramework> LoadFramework(const Args& args) {
  // Search order: --framework; the configuration's [serve] framework, for a command given
  // --config FILE (what `serve --config` scores with); the deployment's $GOVQM_FRAMEWORK
  // (read here, at the edge, never below it); then framework.toml in the data directories
  // (the installed PREFIX/share/govqm beside PREFIX/bin/govqm, then the source tree's
  // config/; $GOVQM_DATA_DIR instead of both when set). The application layer is handed the
  // list. The order of serve's own (serve_command.cc): the command line, the file, the
  // environment.
  const std::string file = args.Get("framework");
  if (!file.empty()) return app::LoadFramework(file, {});
  std::string configured, named_by;
  if (const std::string config = args.Get("config"); !config.empty()) {
    GOVQM_ASSIGN_OR_RETURN(configured, FrameworkOfConfig(config));
    named_by = "serve.framework in " + config;
  }
  if (configured.empty()) {
    const char* env = std::getenv("GOVQM_FRAMEWORK");
    configured = env != nullptr ? env : "";
    named_by = "$GOVQM_FRAMEWORK";
  }
  if (!configured.empty()) {
    std::error_code ec;
    // A deployment's choice that is not there is an error, not a reason to score with
    // another framework.
    if (!std::filesystem::exists(configured, ec)) {
      return Status::NotFound(fmt::format("{}: no such file (named by {}; give --framework FILE)",
                                          configured, named_by));
    }
  }
  return app::LoadFramework(
      "", app::DefaultFrameworkFiles(configured, platform::DataDirCandidates()));
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string CliActor() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return std::string("cli:") + pw->pw_name;
  }
  return fmt::format("cli:uid{}", ::geteuid());
}

Status AuditCliChange(const Args& args, const security::AuditEvent& event,
                      const std::string& done) {
  auto log = security::AuditLog::Open(args.Get("db", app::kDefaultDb));
  Status s = log.ok() ? (*log)->Append(event, NowMs()) : log.status();
  if (!s.ok()) {
    return Status(s.code(), fmt::format("{}, but its audit entry failed: {}", done, s.message()));
  }
  return Status::Ok();
}

Status ReadAs(const Args& args, const Store* store, AccessScope* scope, bool* show_records) {
  if (!args.Has("as")) return Status::Ok();
  if (store == nullptr) return Status::Usage("--as reads the store as a user; a --values file has no scope");
  GOVQM_ASSIGN_OR_RETURN(auto accounts, security::Accounts::Open(store->path()));
  auto who = accounts->PrincipalOf(args.Get("as"));
  if (!who.ok()) {
    return Status::NotFound(fmt::format("--as {}: no such enabled user", args.Get("as")));
  }
  *scope = who->scope;
  if (show_records != nullptr) *show_records = who->role != Role::kAuditor;
  return Status::Ok();
}

Result<std::unique_ptr<Store>> StoreFor(const Args& args, const app::ScoringRequest& input) {
  if (!input.values_file.empty()) return std::unique_ptr<Store>();
  return OpenStore(args);
}

Status RunInit(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2,
                                                     {{"db", "tz", "backend", "cluster"}, {"key-only"}}));
  if (!args.positional.empty()) return Status::Usage("init takes no arguments");
  app::InitRequest request{args.Get("db", app::kDefaultDb), args.Get("tz", app::kDefaultZone),
                           ContactKeyFileOfEnvironment()};
  request.backend = {args.Get("backend", ""), args.Get("cluster", "")};
  if (request.backend.url.empty() && !request.backend.cluster.empty()) {
    return Status::Usage("--cluster needs --backend clickhouse://HOST:PORT/DATABASE");
  }
  if (args.Has("key-only")) {  // a store made before stores had keys
    if (args.Has("tz")) return Status::Usage("--key-only and --tz exclude each other");
    GOVQM_ASSIGN_OR_RETURN(const app::InitResult r, app::CreateContactKey(request));
    Out(fmt::format("created contact key {} for store {} (mode 0600): back it up separately "
                    "from the store; without it no stored contact can be read\n",
                    r.key_path, r.path));
    return Status::Ok();
  }
  GOVQM_ASSIGN_OR_RETURN(const app::InitResult r, app::Init(request));
  // The zone decides how every time without an offset is read, at import and in periods:
  // say which, and how to choose another.
  Out(fmt::format("created store {} (zone {}: times without an offset are read in this zone; "
                  "--tz ZONE to choose another at init, or per command)\n",
                  r.path, r.zone));
  if (!request.backend.url.empty()) {
    Out(fmt::format("transactions and evaluations go to {}{}\n", request.backend.url,
                    request.backend.cluster.empty() ? ""
                                                    : " on cluster " + request.backend.cluster));
  }
  if (r.key_created) {
    Out(fmt::format("created contact key {} (mode 0600): back it up separately from the store; "
                    "without it no stored contact can be read\n",
                    r.key_path));
  } else {
    Out(fmt::format("using the existing contact key {}\n", r.key_path));
  }
  return Status::Ok();
}

// govqm calendar FILE... — loads working-day calendars into the store.
Status RunCalendar(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, {{"db"}, {}}));
  if (args.positional.empty()) return Status::Usage("calendar needs at least one FILE");
  // A bare name (cn-2024) is one of the installed calendars.
  std::vector<std::string> files;
  const std::string data_dir = platform::DataDir();
  for (const std::string& f : args.positional) {
    files.push_back(platform::DataFile(data_dir, "calendars", f, ".cal"));
  }
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_ASSIGN_OR_RETURN(const app::CalendarResult r, app::LoadCalendars(*store, files));
  Out(fmt::format("loaded {} calendar dates from {} file(s)\n", r.dates, r.files));
  return Status::Ok();
}

// govqm compact [--db FILE] — gives the space of replaced rows back: every segment is
// rewritten with its live rows and the file shrinks. Atomic; safe to run while others read.
Status RunCompact(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, {{"db"}, {}}));
  if (!args.positional.empty()) return Status::Usage("compact takes no arguments");
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_ASSIGN_OR_RETURN(const CompactStats r, app::Compact(*store));
  Out(fmt::format("compacted {}: {} replaced rows dropped ({} segments rewritten, {} removed); "
                  "{:.1f} MiB -> {:.1f} MiB\n",
                  store->path(), r.rows_dropped, r.segments_rewritten, r.segments_dropped,
                  r.bytes_before / 1048576.0, r.bytes_after / 1048576.0));
  return Status::Ok();
}

// govqm backup --to FILE [--db FILE] — a consistent copy of the store while it is in use.
Status RunBackup(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, {{"db", "to"}, {}}));
  if (!args.positional.empty() || args.Get("to").empty()) {
    return Status::Usage("backup needs --to FILE and no other argument");
  }
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_ASSIGN_OR_RETURN(const app::BackupResult r,
                         app::Backup(*store, args.Get("to"), ContactKeyFileOfEnvironment()));
  Out(fmt::format("backed up {} to {}\n", store->path(), args.Get("to")));
  if (!r.key_path.empty()) {
    Out(fmt::format("copied its contact key to {} (mode 0600): keep it apart from the backup\n",
                    r.key_path));
  }
  return Status::Ok();
}

// govqm restore FILE [--db FILE] [--keep-key] — the store becomes the backup FILE, in one
// transaction; the backup's contact key (beside it) becomes the store's.
Status RunRestore(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, {{"db"}, {"keep-key"}}));
  if (args.positional.size() != 1) return Status::Usage("restore needs one backup FILE");
  const std::string db = args.Get("db", app::kDefaultDb);
  GOVQM_ASSIGN_OR_RETURN(
      const app::RestoreResult r,
      app::Restore(db, args.positional[0], WaitingSaysSo(db),
                   {ContactKeyFileOfEnvironment(), args.Has("keep-key")}));
  Out(fmt::format("restored {} from {}\n", db, args.positional[0]));
  switch (r.key) {
    case app::RestoreResult::Key::kNone:
      break;
    case app::RestoreResult::Key::kInstalled:
      Out(fmt::format("installed the backup's contact key {} as {}\n", r.backup_key_path,
                      r.key_path));
      break;
    case app::RestoreResult::Key::kSame:
      Out(fmt::format("contact key {} is the backup's already\n", r.key_path));
      break;
    case app::RestoreResult::Key::kKeptExisting:
      Err(fmt::format("govqm restore: kept the existing contact key {} (--keep-key); contacts "
                      "sealed under the backup's key {} will not open with it\n",
                      r.key_path, r.backup_key_path));
      break;
  }
  return Status::Ok();
}

int Main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  Status status;
  if (command == "init") {
    status = RunInit(argc, argv);
  } else if (command == "import") {
    status = RunImport(argc, argv);
  } else if (command == "indicators") {
    status = RunIndicators(argc, argv);
  } else if (command == "alerts") {
    status = RunAlerts(argc, argv);
  } else if (command == "calendar") {
    status = RunCalendar(argc, argv);
  } else if (command == "cases") {
    status = RunCases(argc, argv);
  } else if (command == "backup") {
    status = RunBackup(argc, argv);
  } else if (command == "restore") {
    status = RunRestore(argc, argv);
  } else if (command == "compact") {
    status = RunCompact(argc, argv);
  } else if (command == "generate") {
    status = RunGenerate(argc, argv);
  } else if (command == "score") {
    status = RunScore(argc, argv);
  } else if (command == "explain") {
    status = RunExplain(argc, argv);
  } else if (command == "diagnose") {
    status = RunDiagnose(argc, argv);
  } else if (command == "report") {
    status = RunReport(argc, argv);
  } else if (command == "weights") {
    status = RunWeights(argc, argv);
  } else if (command == "disparity") {
    status = RunDisparity(argc, argv);
  } else if (command == "serve") {
    status = RunServe(argc, argv);
  } else if (command == "probe") {
    status = RunProbe(argc, argv);
  } else if (command == "partials") {
    status = RunPartials(argc, argv);
  } else if (command == "merge") {
    status = RunMerge(argc, argv);
  } else if (command == "user") {
    status = RunUser(argc, argv);
  } else if (command == "token") {
    status = RunToken(argc, argv);
  } else if (command == "audit") {
    status = RunAudit(argc, argv);
  } else {
    status = Status::Usage(fmt::format("unknown command '{}'", command));
  }
  const int code = ExitCode(status);
  if (code == 0) return 0;
  std::fflush(stdout);
  std::fprintf(stderr, "govqm %s: %s\n", command.c_str(), status.message().c_str());
  if (code == 2) std::fputs(kUsage, stderr);
  return code;
}

}  // namespace govqm::cli

#include "cli/commands.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands_internal.h"
#include "core/calendar.h"
#include "ingest/tz.h"

namespace govqm::cli {
namespace {

constexpr const char* kUsage =
    "usage: govqm COMMAND [OPTIONS]\n"
    "  init       [--db FILE] [--tz ZONE]                      create an empty store\n"
    "  import     KIND FILE... [--map MAPFILE] [--atomic] [--db FILE] [--tz ZONE] [--json]\n"
    "             [--rejects-dir DIR]   (default: beside each FILE)\n"
    "             KIND: regions|departments|items|transactions|evaluations|rectifications|\n"
    "                   probes|guides|org\n"
    "  indicators --from DATE --to DATE [--by KEYS] [--only CODES] [--format csv|json|table]\n"
    "             [--db FILE] [--tz ZONE]\n"
    "  score      (--from DATE --to DATE --by KEY [--db FILE] [--tz ZONE] | --values FILE.csv)\n"
    "             [--framework FILE] [--format json|csv|table]\n"
    "             [--uncertainty N [--seed S] [--spread F] [--switch-normalisation]]\n"
    "  explain    --unit U [--cell STAGE/DIMENSION | --stage S | --dimension D | --block B |\n"
    "             --node CODE] (store or --values options as for score) [--framework FILE]\n"
    "  weights    [--framework FILE] [--values FILE.csv | --from DATE --to DATE --by KEY]\n"
    "             [--format table|json]\n"
    "  disparity  (--indicator CODE | --score LEVEL) --by KEY [--within KEY]\n"
    "             (--from DATE --to DATE [--db FILE] | --values FILE.csv) [--framework FILE]\n"
    "             [--format table|json]\n"
    "  calendar   FILE... [--db FILE]                             load working-day calendars\n"
    "  compact    [--db FILE]                                     give replaced rows' space back\n"
    "  generate   --out DIR [--scale N] [--seed S] [--year Y]     synthetic province\n";

}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid(fmt::format("cannot read {}", path));
  std::string data;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::Invalid(fmt::format("cannot read {}", path));
  data.resize(static_cast<size_t>(size));
  in.seekg(0);
  in.read(data.data(), size);
  if (!in) return Status::Invalid(fmt::format("cannot read {}", path));
  return data;
}

Result<MappedFile> MappedFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Status::Invalid(fmt::format("cannot read {}", path));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::Invalid(fmt::format("cannot read {}: not a regular file", path));
  }
  void* data = nullptr;
  if (st.st_size > 0) {
    data = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (data == MAP_FAILED) {
      ::close(fd);
      return Status::Invalid(fmt::format("cannot read {}", path));
    }
  }
  ::close(fd);
  return MappedFile(data, static_cast<size_t>(st.st_size));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Io(fmt::format("cannot write {}", path));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return Status::Io(fmt::format("cannot write {}", path));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Io(fmt::format("cannot write {}", path));
  }
  return Status::Ok();
}

Result<std::unique_ptr<Store>> OpenStore(const Args& args) {
  StoreOptions options;
  const std::string db = args.Get("db", kDefaultDb);
  // A write waits for another process's write as long as it takes; say why nothing happens.
  options.on_wait = [db] {
    std::fprintf(stderr, "govqm: waiting for another process writing to %s to finish...\n",
                 db.c_str());
  };
  return Store::Open(db, std::move(options));
}

Result<std::unique_ptr<TimeZone>> ResolveZone(const Args& args, const std::string& fallback) {
  auto zone = TzZone::Make(args.Get("tz", fallback));
  if (!zone.ok()) return zone.status();
  return std::unique_ptr<TimeZone>(std::move(zone.value()));
}

Status RunInit(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2, {{"db", "tz"}, {}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) return Status::Usage("init takes no arguments");
  const std::string zone_name = args->Get("tz", kDefaultZone);
  auto zone = TzZone::Make(zone_name);
  if (!zone.ok()) return zone.status();
  auto store = Store::Create(args->Get("db", kDefaultDb), zone_name);
  if (!store.ok()) return store.status();
  std::printf("created store %s (time zone %s)\n", (*store)->path().c_str(), zone_name.c_str());
  return Status::Ok();
}

// govqm calendar FILE... — loads working-day calendars (holidays and 调休 make-up days) into
// the store; they replace any loaded before. Until one is loaded, Monday–Friday.
Status RunCalendar(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2, {{"db"}, {}});
  if (!args.ok()) return args.status();
  if (args->positional.empty()) return Status::Usage("calendar needs at least one FILE");
  auto store = OpenStore(*args);
  if (!store.ok()) return store.status();
  std::string merged;
  WorkingCalendar all;
  for (const std::string& path : args->positional) {
    auto text = ReadFile(path);
    if (!text.ok()) return text.status();
    auto cal = WorkingCalendar::Parse(*text, path);
    if (!cal.ok()) return cal.status();
    all.Merge(*cal);
    merged += *text;
    if (!merged.empty() && merged.back() != '\n') merged.push_back('\n');
  }
  GOVQM_RETURN_IF_ERROR((*store)->PutSetting("calendar", merged));
  std::printf("loaded %zu calendar dates from %zu file(s)\n", all.size(), args->positional.size());
  return Status::Ok();
}

// govqm compact [--db FILE] — gives the space of replaced rows back: every segment is
// rewritten with its live rows and the file shrinks. Atomic; safe to run while others read.
Status RunCompact(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2, {{"db"}, {}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) return Status::Usage("compact takes no arguments");
  auto store = OpenStore(*args);
  if (!store.ok()) return store.status();
  auto stats = (*store)->Compact();
  if (!stats.ok()) return stats.status();
  std::printf("compacted %s: %lld replaced rows dropped (%lld segments rewritten, %lld removed); "
              "%.1f MiB -> %.1f MiB\n",
              (*store)->path().c_str(), static_cast<long long>(stats->rows_dropped),
              static_cast<long long>(stats->segments_rewritten),
              static_cast<long long>(stats->segments_dropped), stats->bytes_before / 1048576.0,
              stats->bytes_after / 1048576.0);
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
  } else if (command == "calendar") {
    status = RunCalendar(argc, argv);
  } else if (command == "compact") {
    status = RunCompact(argc, argv);
  } else if (command == "generate") {
    status = RunGenerate(argc, argv);
  } else if (command == "score") {
    status = RunScore(argc, argv);
  } else if (command == "explain") {
    status = RunExplain(argc, argv);
  } else if (command == "weights") {
    status = RunWeights(argc, argv);
  } else if (command == "disparity") {
    status = RunDisparity(argc, argv);
  } else {
    status = Status::Usage(fmt::format("unknown command '{}'", command));
  }
  if (status.ok()) return 0;
  std::fflush(stdout);
  std::fprintf(stderr, "govqm %s: %s\n", command.c_str(), status.message().c_str());
  if (status.code() == StatusCode::kUsage) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  return 1;
}

}  // namespace govqm::cli

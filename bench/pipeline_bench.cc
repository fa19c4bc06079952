// The pipeline benchmark (not a test): generate a province of N transactions, import it into
// a new store and compute the whole indicator catalog by region and by region × month, each
// step a fresh `govqm` process as a user would run it. Prints wall time, rows/s and peak
// memory (the child's max RSS from wait4) for every step.
//
//   build/pipeline_bench [--scale 1000000,10000000] [--work /tmp/govqm-bench] [--runs 3]
//                        [--govqm build/govqm]
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Step {
  double seconds;
  long max_rss_kb;
  int exit_code;
};

// Runs argv as a child with stdout to `out_path` (or /dev/null); measures wall time and RSS.
Step RunChild(const std::vector<std::string>& argv, const std::string& out_path = "/dev/null") {
  std::fflush(stdout);  // or the child's freopen would print our buffer again
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen(out_path.c_str(), "w", stdout)) _exit(97);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(98);
  }
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {s, ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

std::vector<long> ParseList(const std::string& s) {
  std::vector<long> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(std::stol(s.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

void Report(const std::string& what, const Step& s, long rows = 0) {
  std::string rate = rows > 0 ? fmt::format("{:>12.0f} rows/s", rows / s.seconds) : std::string(19, ' ');
  std::printf("  %-44s %8.3f s  %s  peak %7.1f MiB%s\n", what.c_str(), s.seconds, rate.c_str(),
              s.max_rss_kb / 1024.0, s.exit_code == 0 ? "" : "  FAILED");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string scales = "1000000", work = "/tmp/govqm-bench", govqm = "build/govqm";
  int runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--scale") scales = argv[i + 1];
    else if (a == "--work") work = argv[i + 1];
    else if (a == "--govqm") govqm = argv[i + 1];
    else if (a == "--runs") runs = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  govqm = std::filesystem::absolute(govqm).string();
  const char* kinds[] = {"regions", "departments", "items", "transactions", "evaluations",
                         "rectifications", "probes", "guides", "org"};
  std::printf("govqm pipeline benchmark (%ld cores)\n", sysconf(_SC_NPROCESSORS_ONLN));
  for (long n : ParseList(scales)) {
    const std::string dir = fmt::format("{}/{}", work, n);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string db = dir + "/govqm.db";
    std::printf("\nscale %ld transactions\n", n);
    Report("generate", RunChild({govqm, "generate", "--out", dir, "--scale", std::to_string(n), "--seed", "1"}));
    RunChild({govqm, "init", "--db", db});
    for (const char* k : kinds) {
      const std::string file = dir + "/" + k + ".csv";
      long rows = -1;  // data lines, for rows/s
      if (FILE* f = std::fopen(file.c_str(), "r")) {
        // The generator's CSV has one record per line except for a few quoted comments with
        // line breaks (evaluations); good enough for a rate.
        char buf[1 << 16];
        size_t got;
        rows = 0;
        while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) rows += std::count(buf, buf + got, '\n');
        std::fclose(f);
        --rows;
      }
      Report(fmt::format("import {}", k), RunChild({govqm, "import", k, file, "--db", db}), rows);
    }
    std::printf("  store file: %.1f MiB\n", std::filesystem::file_size(db) / 1048576.0);
    for (const char* by : {"region", "region,month"}) {
      std::vector<double> times;
      Step last{};
      for (int r = 0; r < runs; ++r) {
        last = RunChild({govqm, "indicators", "--db", db, "--from", "2024-01-01", "--to",
                         "2025-01-01", "--by", by},
                        dir + "/indicators.csv");
        times.push_back(last.seconds);
      }
      std::sort(times.begin(), times.end());
      std::string all;
      for (double t : times) all += fmt::format(" {:.3f}", t);
      last.seconds = times[times.size() / 2];
      Report(fmt::format("indicators --by {} (median of{})", by, all), last);
    }
  }
  return 0;
}

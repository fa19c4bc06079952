// govqm generate --out DIR [--scale N] [--seed S] [--year Y]
#include <fmt/format.h>

#include <charconv>

#include "cli/commands_internal.h"
#include "generate/generator.h"

namespace govqm::cli {
namespace {

template <typename T>
Result<T> ParseNumber(const Args& args, const std::string& name, T fallback) {
  if (!args.Has(name)) return fallback;
  const std::string v = args.Get(name);
  T out{};
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return Status::Usage(fmt::format("--{} must be a whole number, not '{}'", name, v));
  }
  return out;
}

}  // namespace

Status RunGenerate(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2, {{"out", "scale", "seed", "year"}, {}});
  if (!args.ok()) return args.status();
  if (!args->Has("out")) return Status::Usage("generate needs --out DIR");
  GenerateOptions options;
  options.out_dir = args->Get("out");
  auto scale = ParseNumber<int64_t>(*args, "scale", options.scale);
  auto seed = ParseNumber<uint64_t>(*args, "seed", options.seed);
  auto year = ParseNumber<int>(*args, "year", options.year);
  if (!scale.ok()) return scale.status();
  if (!seed.ok()) return seed.status();
  if (!year.ok()) return year.status();
  options.scale = *scale;
  options.seed = *seed;
  options.year = *year;
  auto summary = GenerateProvince(options);
  if (!summary.ok()) return summary.status();
  const GenerateSummary& s = *summary;
  Out(
      fmt::format("generated {}: {} regions, {} departments, {} items, {} transactions, "
                  "{} evaluations, {} rectification events, {} probes, {} guides, {} org rows\n",
                  options.out_dir, s.regions, s.departments, s.items, s.transactions, s.evaluations,
                  s.rectifications, s.probes, s.guides, s.org));
  return Status::Ok();
}

}  // namespace govqm::cli

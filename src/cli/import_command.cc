// govqm import KIND FILE... — parse, validate, write rejects, then one atomic store commit.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <unordered_set>

#include "cli/commands_internal.h"
#include "cli/output.h"
#include "ingest/importer.h"
#include "ingest/mapping.h"
#include "ingest/rejects.h"
#include "ingest/tz.h"

namespace govqm::cli {
namespace {

struct UnknownCodes {
  int64_t rows = 0;
  std::vector<std::string> examples;
};

// Codes that reference data does not know: accepted, and reported (domain.md §2 lets either).
void CheckReferences(const Store& store, const Table& t,
                     std::map<std::string, UnknownCodes>* unknown) {
  struct Ref {
    const char* column;
    Kind ref_kind;
  };
  static const Ref kRefs[] = {{"region_code", Kind::kRegions},
                              {"dept_code", Kind::kDepartments},
                              {"item_code", Kind::kItems}};
  for (const Ref& ref : kRefs) {
    const int col = FindColumn(t.def(), ref.column);
    if (col < 0 || t.kind() == ref.ref_kind) continue;
    auto count = store.CountRows(ref.ref_kind);
    if (!count.ok() || *count == 0) continue;  // nothing to check against yet
    const std::vector<int> code_only = {0};
    auto known = store.Load(ref.ref_kind, &code_only);
    if (!known.ok()) continue;
    std::unordered_set<std::string_view> codes;
    for (size_t r = 0; r < known->rows(); ++r) codes.insert(known->col(0).CodeAt(r));
    const Column& c = t.col(col);
    std::vector<bool> seen_unknown(c.dict.size(), false);
    std::vector<bool> checked(c.dict.size(), false);
    for (size_t r = 0; r < t.rows(); ++r) {
      const uint32_t code = c.codes[r];
      if (code == kNullCode) continue;
      if (!checked[code]) {
        checked[code] = true;
        seen_unknown[code] = !codes.count(c.dict[code]);
        if (seen_unknown[code]) {
          auto& u = (*unknown)[ref.column];
          if (u.examples.size() < 5) u.examples.push_back(c.dict[code]);
        }
      }
      if (seen_unknown[code]) ++(*unknown)[ref.column].rows;
    }
  }
}

std::string JsonStrings(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + JsonString(v[i]);
  return s + "]";
}

}  // namespace

Status RunImport(int argc, char** argv) {
  const auto t_start = std::chrono::steady_clock::now();
  auto args = ParseArgs(argc, argv, 2, {{"db", "tz", "map", "rejects-dir", "encoding"}, {"atomic", "json"}});
  if (!args.ok()) return args.status();
  if (args->positional.size() < 2) return Status::Usage("import needs KIND and at least one FILE");
  const auto kind = ParseKind(args->positional[0]);
  if (!kind) {
    return Status::Usage(fmt::format(
        "unknown kind '{}' (regions|departments|items|transactions|evaluations|"
        "rectifications|probes|guides|org)",
        args->positional[0]));
  }
  auto store = OpenStore(*args);
  if (!store.ok()) return store.status();

  ColumnMapping mapping;
  const bool has_map = args->Has("map");
  if (has_map) {
    auto text = ReadFile(args->Get("map"));
    if (!text.ok()) return text.status();
    auto parsed = ParseMapping(*text, args->Get("map"), GetKindDef(*kind));
    if (!parsed.ok()) return parsed.status();
    mapping = std::move(parsed.value());
  }
  // Zone for times without an offset: the mapping's (it describes the source), else --tz
  // (which overrides the store's zone for this run), else the store's.
  Args zone_args = *args;
  if (!mapping.timezone.empty()) zone_args.values["tz"] = mapping.timezone;
  auto zone = ResolveZone(zone_args, (*store)->zone());
  if (!zone.ok()) return zone.status();

  ParseOptions options;
  options.kind = *kind;
  options.mapping = has_map ? &mapping : nullptr;
  options.zone = zone->get();
  const auto encoding = ParseEncodingName(args->Get("encoding", "auto"));
  if (!encoding) return Status::Usage("--encoding must be auto, utf-8, gb18030 or latin1");
  options.encoding = *encoding;

  // Parse every file first: a file refused as a whole refuses the import, with nothing loaded.
  std::vector<ParsedFile> files;
  std::vector<std::string> rejects_files;
  int64_t read = 0, rejected = 0, replaced = 0, accepted = 0;
  const std::vector<RejectsTarget> rejects_plan = PlanRejectsFiles(
      {args->positional.begin() + 1, args->positional.end()}, args->Get("rejects-dir"));
  for (size_t i = 1; i < args->positional.size(); ++i) {
    const std::string& path = args->positional[i];
    auto bytes = MappedFile::Open(path);
    if (!bytes.ok()) return bytes.status();
    auto parsed = ParseRecords(bytes->view(), path, options);
    if (!parsed.ok()) return parsed.status();
    std::string rejects_file;
    if (!parsed->rejections.empty()) {
      auto written = WriteRejects(*parsed, rejects_plan[i - 1]);
      if (!written.ok()) return written.status();
      rejects_file = *written;
    } else {
      RemoveStaleRejects(rejects_plan[i - 1]);
    }
    rejects_files.push_back(rejects_file);
    read += parsed->read;
    rejected += static_cast<int64_t>(parsed->rejections.size());
    accepted += parsed->read - static_cast<int64_t>(parsed->rejections.size());
    replaced += parsed->replaced_in_file;
    files.push_back(std::move(parsed.value()));
  }

  std::map<std::string, UnknownCodes> unknown;
  for (const ParsedFile& f : files) {
    CheckReferences(**store, f.rows, &unknown);
    CheckReferences(**store, f.rest, &unknown);
  }

  const auto t_parsed = std::chrono::steady_clock::now();
  const bool refuse = args->Has("atomic") && rejected > 0;
  if (!refuse) {
    GOVQM_RETURN_IF_ERROR((*store)->Begin());
    for (const ParsedFile& f : files) {
      for (const auto& [part, hashes] : {std::pair{&f.rows, &f.identity_hashes},
                                         std::pair{&f.rest, &f.rest_hashes}}) {
        auto stats = (*store)->Append(*part, *hashes);
        if (!stats.ok()) {
          (*store)->Rollback();
          return stats.status();
        }
        replaced += stats->replaced;
      }
    }
  }
  const int64_t loaded = refuse ? 0 : accepted;

  std::string first_rejects;
  for (const std::string& r : rejects_files) {
    if (!r.empty()) {
      first_rejects = r;
      break;
    }
  }
  std::string json = fmt::format(
      "{{\"kind\":{},\"read\":{},\"loaded\":{},\"replaced\":{},\"rejected\":{},"
      "\"rejects_file\":{}",
      JsonString(GetKindDef(*kind).name), read, loaded, refuse ? 0 : replaced, rejected,
      first_rejects.empty() ? "null" : JsonString(first_rejects));
  json += ",\"files\":[";
  for (size_t i = 0; i < files.size(); ++i) {
    const ParsedFile& f = files[i];
    json += fmt::format(
        "{}{{\"file\":{},\"format\":{},\"encoding\":{},\"read\":{},\"rejected\":{},"
        "\"rejects_file\":{},\"ignored_columns\":{},\"warnings\":{}}}",
        i ? "," : "", JsonString(f.file_name), JsonString(f.format), JsonString(f.encoding),
        f.read, f.rejections.size(),
        rejects_files[i].empty() ? "null" : JsonString(rejects_files[i]),
        JsonStrings(f.ignored_columns), JsonStrings(f.warnings));
  }
  json += "],\"unknown_codes\":{";
  bool first = true;
  for (const auto& [column, u] : unknown) {
    json += fmt::format("{}{}:{{\"rows\":{},\"examples\":{}}}", first ? "" : ",",
                        JsonString(column), u.rows, JsonStrings(u.examples));
    first = false;
  }
  json += fmt::format("}},\"atomic_refused\":{}}}", refuse ? "true" : "false");

  if (!refuse) {
    GOVQM_RETURN_IF_ERROR((*store)->LogImport(
        {std::string(GetKindDef(*kind).name), fmt::format("{}", args->positional.size() - 1), json}));
    // Fault injection for the crash tests: die with everything written but not committed.
    if (const char* fault = std::getenv("GOVQM_FAULT"); fault && std::string(fault) == "before_commit") {
      std::abort();
    }
    const auto t_written = std::chrono::steady_clock::now();
    GOVQM_RETURN_IF_ERROR((*store)->Commit());
    if (std::getenv("GOVQM_TIMING") != nullptr) {  // where the time goes, for benchmarks
      const auto t_done = std::chrono::steady_clock::now();
      std::fprintf(stderr, "timing: parse %.3f s, write %.3f s, commit %.3f s\n",
                   std::chrono::duration<double>(t_parsed - t_start).count(),
                   std::chrono::duration<double>(t_written - t_parsed).count(),
                   std::chrono::duration<double>(t_done - t_written).count());
    }
  }

  if (args->Has("json")) {
    std::printf("%s\n", json.c_str());
  } else {
    std::printf("%s: read %lld, loaded %lld (replaced %lld), rejected %lld%s\n",
                std::string(GetKindDef(*kind).name).c_str(), static_cast<long long>(read),
                static_cast<long long>(loaded), static_cast<long long>(refuse ? 0 : replaced),
                static_cast<long long>(rejected),
                first_rejects.empty() ? "" : (" -> " + first_rejects).c_str());
    for (const ParsedFile& f : files) {
      if (f.encoding != "UTF-8") {
        std::fprintf(stderr, "note: %s was %s, converted to UTF-8\n", f.file_name.c_str(),
                     f.encoding.c_str());
      }
      if (!f.ignored_columns.empty()) {
        std::string cols;
        for (const auto& c : f.ignored_columns) cols += (cols.empty() ? "" : ", ") + c;
        std::fprintf(stderr, "note: %s: ignored columns the kind does not know: %s\n",
                     f.file_name.c_str(), cols.c_str());
      }
      for (const auto& w : f.warnings) {
        std::fprintf(stderr, "warning: %s: %s\n", f.file_name.c_str(), w.c_str());
      }
    }
    for (const auto& [column, u] : unknown) {
      std::string ex;
      for (const auto& e : u.examples) ex += (ex.empty() ? "" : ", ") + e;
      std::fprintf(stderr, "warning: %lld rows have a %s not in the reference data (e.g. %s); "
                   "loaded anyway\n", static_cast<long long>(u.rows), column.c_str(), ex.c_str());
    }
  }
  if (refuse) {
    return Status::Invalid(fmt::format("--atomic: {} rows rejected, nothing loaded (see {})",
                                       rejected, first_rejects));
  }
  return Status::Ok();
}

}  // namespace govqm::cli

#include "app/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <unordered_set>

#include "app/common.h"
#include "app/contact.h"
#include "app/render/import.h"
#include "app/scope.h"
#include "ingest/importer.h"
#include "ingest/mapping.h"
#include "ingest/rejects.h"
#include "platform/file.h"

namespace govqm::app {
namespace {

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

// An import on behalf of a scoped caller holds records of its scope only (service.md §3: an
// operator imports for its own scope). Checked before anything is written; reference data,
// and rectifications (whose scope is their evaluation's, already stored), cannot be checked
// row by row and are refused.
Status CheckImportScope(const Store& store, const AccessScope& scope,
                        const std::vector<ParsedFile>& files, Kind kind) {
  if (kind == Kind::kRegions || kind == Kind::kDepartments || kind == Kind::kItems ||
      kind == Kind::kRectifications) {
    return Status::PermissionDenied(fmt::format(
        "a user with a scope may not import {}: records of its scope only (transactions, "
        "evaluations, probes, guides, org)",
        GetKindDef(kind).name));
  }
  GOVQM_ASSIGN_OR_RETURN(const Table regions, store.Load(Kind::kRegions));
  GOVQM_ASSIGN_OR_RETURN(const Table departments, store.Load(Kind::kDepartments));
  const ScopeFilter filter(scope, regions, departments);
  for (const ParsedFile& f : files) {
    size_t outside = 0;
    for (const Table* part : {&f.rows, &f.rest}) {
      GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> in, filter.Mask(*part));
      outside += static_cast<size_t>(std::count(in.begin(), in.end(), false));
    }
    if (outside > 0) {
      std::string depts;
      for (const std::string& d : scope.depts) depts += (depts.empty() ? "" : ",") + d;
      return Status::PermissionDenied(fmt::format(
          "{}: {} of its records are outside your scope (region {}, departments {}); nothing "
          "imported",
          f.file_name, outside, scope.region.empty() ? "any" : scope.region,
          depts.empty() ? "any" : depts));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ImportSummary> Import(Store& store, const ImportRequest& request, platform::Env& env) {
  const double t_start = env.NowSeconds();
  ColumnMapping mapping;
  const bool has_map = !request.map_file.empty();
  if (has_map) {
    GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(request.map_file));
    GOVQM_ASSIGN_OR_RETURN(mapping, ParseMapping(text, request.map_file, GetKindDef(request.kind)));
  }
  // Zone for times without an offset: the mapping's (it describes the source), else the
  // request's (which overrides the store's zone for this run), else the store's.
  GOVQM_ASSIGN_OR_RETURN(
      auto zone,
      ResolveZone(!mapping.timezone.empty() ? mapping.timezone : request.zone, store.zone()));

  ParseOptions options;
  options.kind = request.kind;
  options.mapping = has_map ? &mapping : nullptr;
  options.zone = zone.get();
  options.encoding = request.encoding;

  // Parse every file first: a file refused as a whole refuses the import, with nothing loaded.
  ImportSummary summary;
  summary.kind = request.kind;
  std::vector<ParsedFile> files;
  int64_t accepted = 0;
  const std::vector<RejectsTarget> rejects_plan = PlanRejectsFiles(request.files, request.rejects.dir);
  for (size_t i = 0; i < request.files.size(); ++i) {
    const std::string& path = request.files[i];
    GOVQM_ASSIGN_OR_RETURN(auto bytes, platform::MappedFile::Open(path));
    GOVQM_ASSIGN_OR_RETURN(auto parsed, ParseRecords(bytes.view(), path, options));
    files.push_back(std::move(parsed));
  }
  if (!request.scope.unrestricted()) {
    GOVQM_RETURN_IF_ERROR(CheckImportScope(store, request.scope, files, request.kind));
  }

  // Contacts are sealed before anything is written: without the key the import stops here,
  // with no rejects file and nothing in the store.
  if (std::any_of(files.begin(), files.end(), [](const ParsedFile& f) {
        return HasContacts(f.rows) || HasContacts(f.rest);
      })) {
    const std::string key_path = ContactKeyPath(store.path(), request.key_file);
    Result<security::ContactKey> key = security::ReadKeyFile(key_path);
    if (!key.ok()) {
      if (key.status().code() != StatusCode::kNotFound) return key.status();
      return Status::FailedPrecondition(fmt::format(
          "evaluations with contacts need the store's contact key, and {} is missing (govqm "
          "init creates it, init --key-only for an existing store; GOVQM_KEY_FILE names "
          "another); nothing imported",
          key_path));
    }
    for (ParsedFile& f : files) {
      SealContacts(*key, &f.rows);
      SealContacts(*key, &f.rest);
    }
  }

  for (size_t i = 0; i < files.size(); ++i) {
    ParsedFile& parsed = files[i];
    std::string rejects_file;
    if (!parsed.rejections.empty()) {
      if (request.rejects.write) {
        GOVQM_ASSIGN_OR_RETURN(rejects_file, WriteRejects(parsed, rejects_plan[i]));
      }
    } else if (request.rejects.write) {
      RemoveStaleRejects(rejects_plan[i]);  // one from an earlier run would mislead
    }
    const int64_t rejected = static_cast<int64_t>(parsed.rejections.size());
    summary.files.push_back({parsed.file_name, parsed.format, parsed.encoding, parsed.read,
                             rejected, rejects_file, parsed.ignored_columns, parsed.warnings});
    if (summary.rejects_file.empty()) summary.rejects_file = rejects_file;
    summary.read += parsed.read;
    summary.rejected += rejected;
    accepted += parsed.read - rejected;
    summary.replaced += parsed.replaced_in_file;
  }

  for (const ParsedFile& f : files) {
    CheckReferences(store, f.rows, &summary.unknown_codes);
    CheckReferences(store, f.rest, &summary.unknown_codes);
  }

  const double t_parsed = env.NowSeconds();
  summary.timings.parse_s = t_parsed - t_start;
  summary.atomic_refused = request.atomic && summary.rejected > 0;
  if (summary.atomic_refused) {
    summary.replaced = 0;
    return summary;
  }
  GOVQM_RETURN_IF_ERROR(store.Begin());
  for (const ParsedFile& f : files) {
    for (const auto& [part, hashes] :
         {std::pair{&f.rows, &f.identity_hashes}, std::pair{&f.rest, &f.rest_hashes}}) {
      auto stats = store.Append(*part, *hashes);
      if (!stats.ok()) {
        store.Rollback();
        return stats.status();
      }
      summary.replaced += stats->replaced;
    }
  }
  summary.loaded = accepted;
  Status st =
      store.LogImport({std::string(GetKindDef(request.kind).name),
                       fmt::format("{}", request.files.size()), render::ImportJson(summary)});
  if (st.ok()) st = env.AtFaultPoint(platform::FaultPoint::kImportBeforeCommit);
  if (!st.ok()) {
    store.Rollback();
    return st;
  }
  const double t_written = env.NowSeconds();
  GOVQM_RETURN_IF_ERROR(store.Commit());
  summary.timings.write_s = t_written - t_parsed;
  summary.timings.commit_s = env.NowSeconds() - t_written;
  return summary;
}

Status AtomicRefusal(const ImportSummary& summary) {
  return Status::Invalid(fmt::format("--atomic: {} rows rejected, nothing loaded (see {})",
                                     summary.rejected, summary.rejects_file));
}

}  // namespace govqm::app

#include "app/import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "app/common.h"
#include "app/contact.h"
#include "app/scope.h"
#include "app/render/import.h"
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

// PermissionDenied when a valid record of `files` is outside `scope` (ImportRequest::scope):
// by its own region and department, an org row by its unit, a rectification by its
// evaluation (already in the store, in scope). Rejected rows are not records: they are
// reported as they are.
Status CheckImportScope(const Store& store, const AccessScope& scope,
                        const std::vector<ParsedFile>& files) {
  if (scope.unrestricted() || files.empty()) return Status::Ok();
  const Kind kind = files.front().rows.kind();
  if (kind == Kind::kRegions || kind == Kind::kDepartments || kind == Kind::kItems) {
    return Status::PermissionDenied("a user with a scope imports records, not reference data");
  }
  GOVQM_ASSIGN_OR_RETURN(const Table regions, store.Load(Kind::kRegions));
  GOVQM_ASSIGN_OR_RETURN(const Table departments, store.Load(Kind::kDepartments));
  const ScopeFilter filter(scope, regions, departments);
  const std::string where = fmt::format(
      "region {}{}{}", scope.region.empty() ? "any" : scope.region,
      scope.depts.empty() ? "" : ", departments ", fmt::join(scope.depts, ","));
  // Evaluations are matched by their id's fingerprint (ids are not dictionary columns).
  std::set<std::pair<uint64_t, uint64_t>> in_scope_evaluations;
  std::vector<Fingerprint> scratch;
  if (kind == Kind::kRectifications) {
    const std::vector<int> cols = {eval_col::kId, eval_col::kRegionCode, eval_col::kDeptCode};
    GOVQM_ASSIGN_OR_RETURN(const Table evaluations, store.Load(Kind::kEvaluations, &cols));
    GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, filter.Mask(evaluations));
    const std::vector<Fingerprint>& ids = Fingerprints(evaluations, eval_col::kId, &scratch);
    for (size_t r = 0; r < evaluations.rows(); ++r) {
      if (keep[r]) in_scope_evaluations.emplace(ids[r].h, ids[r].g);
    }
  }
  // A record of the scope must not replace, by its identity, a stored record of another: the
  // store replaces re-imported identities whatever their region.
  std::unordered_set<uint64_t> incoming;
  for (const ParsedFile& f : files) {
    incoming.insert(f.identity_hashes.begin(), f.identity_hashes.end());
    incoming.insert(f.rest_hashes.begin(), f.rest_hashes.end());
  }
  {
    const KindDef& def = GetKindDef(kind);
    std::vector<int> cols(def.identity.begin(), def.identity.end());
    for (const char* name : {"region_code", "dept_code", "unit_code", "evaluation_id"}) {
      const int c = FindColumn(def, name);
      if (c >= 0 && std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    }
    GOVQM_ASSIGN_OR_RETURN(const Table stored, store.Load(kind, &cols));
    std::vector<bool> keep(stored.rows(), true);
    if (kind == Kind::kRectifications) {
      const std::vector<Fingerprint>& ids =
          Fingerprints(stored, rect_col::kEvaluationId, &scratch);
      for (size_t r = 0; r < stored.rows(); ++r) {
        keep[r] = in_scope_evaluations.count({ids[r].h, ids[r].g}) > 0;
      }
    } else {
      GOVQM_ASSIGN_OR_RETURN(keep, filter.Mask(stored));
    }
    for (size_t r = 0; r < stored.rows(); ++r) {
      if (!keep[r] && incoming.count(IdentityHash(stored, r))) {
        return Status::PermissionDenied(fmt::format(
            "{}: a record would replace one of another scope (the same {}), outside your "
            "scope ({}); nothing imported",
            files.front().file_name, def.columns[def.identity[0]].name, where));
      }
    }
  }
  for (const ParsedFile& f : files) {
    for (const Table* part : {&f.rows, &f.rest}) {
      if (part->rows() == 0) continue;
      if (kind == Kind::kRectifications) {
        const std::vector<Fingerprint>& ids =
            Fingerprints(*part, rect_col::kEvaluationId, &scratch);
        for (size_t r = 0; r < part->rows(); ++r) {
          if (!in_scope_evaluations.count({ids[r].h, ids[r].g})) {
            return Status::PermissionDenied(fmt::format(
                "{}: a rectification of evaluation '{}', which is not one of your scope ({}); "
                "nothing imported",
                f.file_name, part->col(rect_col::kEvaluationId).TextAt(r), where));
          }
        }
        continue;
      }
      GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, filter.Mask(*part));
      const auto out = std::find(keep.begin(), keep.end(), false);
      if (out != keep.end()) {
        return Status::PermissionDenied(fmt::format(
            "{}: {} of the records are outside your scope ({}); nothing imported", f.file_name,
            std::count(keep.begin(), keep.end(), false), where));
      }
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
  GOVQM_RETURN_IF_ERROR(CheckImportScope(store, request.scope, files));

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

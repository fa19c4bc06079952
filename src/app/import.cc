#include "app/import.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <filesystem>
#include <set>
#include <thread>
#include <unordered_set>

#include "app/common.h"
#include "app/contact.h"
#include "app/scope.h"
#include "app/render/import.h"
#include "core/engine/inputs.h"
#include "core/worker_thread.h"
#include "ingest/importer.h"
#include "ingest/mapping.h"
#include "ingest/rejects.h"
#include "platform/file.h"

namespace govqm::app {
namespace {

// Codes that reference data does not know: accepted, and reported (domain.md §2 lets either).
// The reference codes are read once per import; a kind with no reference data loaded yet
// reports every code it sees, marked so (a 311 file's regions are all "unknown" then).
class ReferenceCheck {
 public:
  // Reads the reference codes `kind` is checked against (now: not while the import writes).
  ReferenceCheck(const Store& store, Kind kind) : store_(store) {
    for (size_t k = 0; k < std::size(kRefs); ++k) {
      if (FindColumn(GetKindDef(kind), kRefs[k].column) >= 0 && kind != kRefs[k].ref_kind) {
        Load(kRefs[k].ref_kind, &known_[k]);
      }
    }
  }

  void Check(const Table& t, std::map<std::string, UnknownCodes>* unknown) {
    for (size_t k = 0; k < std::size(kRefs); ++k) {
      const Ref& ref = kRefs[k];
      const int col = FindColumn(t.def(), ref.column);
      if (col < 0 || t.kind() == ref.ref_kind) continue;
      Known& known = known_[k];
      if (!known.loaded || known.failed) continue;
      const Column& c = t.col(col);
      std::vector<int8_t> seen(c.dict.size(), -1);  // -1 unchecked, 0 known, 1 unknown
      for (size_t r = 0; r < t.rows(); ++r) {
        const uint32_t code = c.codes[r];
        if (code == kNullCode) continue;
        if (seen[code] < 0) {
          seen[code] = known.codes.count(c.dict[code]) ? 0 : 1;
          if (seen[code] == 1) {
            UnknownCodes& u = (*unknown)[ref.column];
            u.no_reference = known.none;
            if (u.distinct.size() < kMaxDistinct) u.distinct.insert(c.dict[code]);
            if (u.examples.size() < 5 &&
                std::find(u.examples.begin(), u.examples.end(), c.dict[code]) == u.examples.end()) {
              u.examples.push_back(c.dict[code]);
            }
          }
        }
        if (seen[code] == 1) ++(*unknown)[ref.column].rows;
      }
    }
  }

 private:
  static constexpr size_t kMaxDistinct = 10000;
  struct Ref {
    const char* column;
    Kind ref_kind;
  };
  static constexpr Ref kRefs[] = {{"region_code", Kind::kRegions},
                                  {"dept_code", Kind::kDepartments},
                                  {"item_code", Kind::kItems}};
  struct Known {
    bool loaded = false, failed = false, none = false;
    std::unordered_set<std::string> codes;
  };
  void Load(Kind kind, Known* known) {
    known->loaded = true;
    auto count = store_.CountRows(kind);
    if (!count.ok()) {
      known->failed = true;
      return;
    }
    known->none = *count == 0;
    if (known->none) return;
    const std::vector<int> code_only = {0};
    auto table = store_.Load(kind, &code_only);
    if (!table.ok()) {
      known->failed = true;
      return;
    }
    for (size_t r = 0; r < table->rows(); ++r) known->codes.emplace(table->col(0).CodeAt(r));
  }
  const Store& store_;
  Known known_[3];
};

// Whose records an import may write (ImportRequest::scope): a valid record outside the scope,
// or one that would replace (by identity) a stored record outside it, is PermissionDenied —
// by its own region and department, an org row by its unit, a rectification by its evaluation
// (already in the store, in scope). What is stored is read once, when the import starts.
class ScopeGuard {
 public:
  static Result<ScopeGuard> Make(const Store& store, const AccessScope& scope, Kind kind) {
    ScopeGuard g;
    g.kind_ = kind;
    if (scope.unrestricted()) return g;
    g.active_ = true;
    if (kind == Kind::kRegions || kind == Kind::kDepartments || kind == Kind::kItems) {
      return Status::PermissionDenied("a user with a scope imports records, not reference data");
    }
    GOVQM_ASSIGN_OR_RETURN(const Table regions, store.Load(Kind::kRegions));
    GOVQM_ASSIGN_OR_RETURN(const Table departments, store.Load(Kind::kDepartments));
    g.filter_ = ScopeFilter(scope, regions, departments);
    g.where_ = fmt::format("region {}{}{}", scope.region.empty() ? "any" : scope.region,
                           scope.depts.empty() ? "" : ", departments ", fmt::join(scope.depts, ","));
    std::vector<Fingerprint> scratch;
    if (kind == Kind::kRectifications) {
      const std::vector<int> cols = {eval_col::kId, eval_col::kRegionCode, eval_col::kDeptCode};
      GOVQM_ASSIGN_OR_RETURN(const Table evaluations, store.Load(Kind::kEvaluations, &cols));
      GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, g.filter_.Mask(evaluations));
      const std::vector<Fingerprint>& ids = Fingerprints(evaluations, eval_col::kId, &scratch);
      for (size_t r = 0; r < evaluations.rows(); ++r) {
        if (keep[r]) g.in_scope_evaluations_.emplace(ids[r].h, ids[r].g);
      }
    }
    // The identities of stored records of other scopes: a record of this scope must not
    // replace one (the store replaces re-imported identities whatever their region).
    const KindDef& def = GetKindDef(kind);
    g.identity_name_ = std::string(def.columns[def.identity[0]].name);
    std::vector<int> cols(def.identity.begin(), def.identity.end());
    for (const char* name : {"region_code", "dept_code", "unit_code", "evaluation_id"}) {
      const int c = FindColumn(def, name);
      if (c >= 0 && std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    }
    GOVQM_ASSIGN_OR_RETURN(const Table stored, store.Load(kind, &cols));
    std::vector<bool> keep(stored.rows(), true);
    if (kind == Kind::kRectifications) {
      const std::vector<Fingerprint>& ids = Fingerprints(stored, rect_col::kEvaluationId, &scratch);
      for (size_t r = 0; r < stored.rows(); ++r) {
        keep[r] = g.in_scope_evaluations_.count({ids[r].h, ids[r].g}) > 0;
      }
    } else {
      GOVQM_ASSIGN_OR_RETURN(keep, g.filter_.Mask(stored));
    }
    for (size_t r = 0; r < stored.rows(); ++r) {
      if (!keep[r]) g.other_scopes_.insert(IdentityHash(stored, r));
    }
    return g;
  }

  // PermissionDenied when a row of `t` (rows of file `file`) may not be written.
  Status Check(const Table& t, const std::vector<uint64_t>& hashes, const std::string& file) {
    if (!active_ || t.rows() == 0) return Status::Ok();
    for (const uint64_t h : hashes) {
      if (other_scopes_.count(h)) {
        return Status::PermissionDenied(fmt::format(
            "{}: a record would replace one of another scope (the same {}), outside your "
            "scope ({}); nothing imported",
            file, identity_name_, where_));
      }
    }
    if (kind_ == Kind::kRectifications) {
      std::vector<Fingerprint> scratch;
      const std::vector<Fingerprint>& ids = Fingerprints(t, rect_col::kEvaluationId, &scratch);
      for (size_t r = 0; r < t.rows(); ++r) {
        if (!in_scope_evaluations_.count({ids[r].h, ids[r].g})) {
          return Status::PermissionDenied(fmt::format(
              "{}: a rectification of evaluation '{}', which is not one of your scope ({}); "
              "nothing imported",
              file, t.col(rect_col::kEvaluationId).TextAt(r), where_));
        }
      }
      return Status::Ok();
    }
    GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, filter_.Mask(t));
    const auto outside = std::count(keep.begin(), keep.end(), false);
    if (outside > 0) {
      return Status::PermissionDenied(fmt::format(
          "{}: {} of the records are outside your scope ({}); nothing imported", file, outside,
          where_));
    }
    return Status::Ok();
  }

 private:
  ScopeGuard() = default;
  bool active_ = false;
  Kind kind_ = Kind::kTransactions;
  ScopeFilter filter_;
  std::string where_, identity_name_;
  std::set<std::pair<uint64_t, uint64_t>> in_scope_evaluations_;
  std::unordered_set<uint64_t> other_scopes_;
};

// Appends valid rows to the store. A store that wants big appends (Store::append_batch_rows,
// e.g. ClickHouse: one replacement query per append) gets parts gathered into batches, and a
// full batch is written on a thread of its own while the next one fills: the store's writes
// (and their waits on the disk) then overlap the parse. Nothing else may use the store while
// a batch is being written, so the import reads what it needs from the store before it starts.
class Appender {
 public:
  Appender(Store& store, Kind kind)
      : store_(store), batch_rows_(store.append_batch_rows()), batches_{Batch(kind), Batch(kind)} {}
  ~Appender() { writer_.Wait(); }

  Status Add(const Table& rows, const std::vector<uint64_t>& hashes, int64_t* replaced) {
    if (rows.rows() == 0) return Status::Ok();
    if (batch_rows_ == 0) {
      GOVQM_ASSIGN_OR_RETURN(const AppendStats stats, store_.Append(rows, hashes));
      *replaced += stats.replaced;
      return Status::Ok();
    }
    Batch& b = batches_[filling_];
    b.rows.AppendTable(rows);
    b.hashes.insert(b.hashes.end(), hashes.begin(), hashes.end());
    if (b.rows.rows() >= batch_rows_) return Send(replaced);
    return Status::Ok();
  }

  // Writes what is left and waits for every write.
  Status Flush(int64_t* replaced) {
    if (batches_[filling_].rows.rows() > 0) GOVQM_RETURN_IF_ERROR(Send(replaced));
    return Wait(replaced);
  }

 private:
  struct Batch {
    explicit Batch(Kind kind) : rows(kind) {}
    Table rows;
    std::vector<uint64_t> hashes;
    Status status;
    int64_t replaced = 0;
  };

  Status Send(int64_t* replaced) {
    GOVQM_RETURN_IF_ERROR(Wait(replaced));
    Batch& b = batches_[filling_];
    // Parts are unique within themselves, not across: the later row replaces the earlier.
    *replaced += DropReplacedRows(&b.rows, &b.hashes);
    writer_.Start([this, &b] {
      auto stats = store_.Append(b.rows, b.hashes);
      b.status = stats.status();
      if (stats.ok()) b.replaced = stats->replaced;
    });
    writing_ = true;
    filling_ ^= 1;
    return Status::Ok();
  }

  Status Wait(int64_t* replaced) {
    if (!writing_) return Status::Ok();
    writer_.Wait();
    writing_ = false;
    Batch& w = batches_[filling_ ^ 1];
    *replaced += w.replaced;
    Status st = std::move(w.status);
    w.rows.Clear();
    w.hashes.clear();
    w.status = Status::Ok();
    w.replaced = 0;
    return st;
  }

  Store& store_;
  size_t batch_rows_;
  Batch batches_[2];
  int filling_ = 0;
  bool writing_ = false;  // a batch was sent and not waited for
  WorkerThread writer_{"govqm-write"};
};

// "not an ISO 8601 time: 'x'" -> "not an ISO 8601 time: '…'": reasons counted by kind.
std::string ReasonPattern(std::string_view reason) {
  std::string out;
  for (size_t i = 0; i < reason.size(); ++i) {
    const char c = reason[i];
    out.push_back(c);
    if (c != '\'') continue;
    const size_t close = reason.find('\'', i + 1);
    if (close == std::string_view::npos) continue;
    out += "…'";
    i = close;
  }
  return out;
}

// Marks the columns of `t` that hold at least one value.
void NoteLoadedColumns(const Table& t, std::vector<bool>* loaded) {
  loaded->resize(t.def().columns.size(), false);
  for (size_t c = 0; c < t.def().columns.size(); ++c) {
    if ((*loaded)[c]) continue;
    const Column& col = t.col(static_cast<int>(c));
    for (size_t r = 0; r < t.rows() && !(*loaded)[c]; ++r) {
      switch (col.type) {
        case ColumnType::kCode: (*loaded)[c] = col.codes[r] != kNullCode; break;
        case ColumnType::kText: (*loaded)[c] = col.offsets[r + 1] > col.offsets[r]; break;
        case ColumnType::kTime: (*loaded)[c] = col.times[r] != kNullTime; break;
        case ColumnType::kInt: (*loaded)[c] = col.ints[r] != kNullInt; break;
        case ColumnType::kReal: (*loaded)[c] = !std::isnan(col.reals[r]); break;
        case ColumnType::kBool:
        case ColumnType::kEnum: (*loaded)[c] = col.bytes[r] != kNullBool; break;
      }
    }
  }
}

// Whether the rejections break the request's --max-rejects.
bool TooManyRejects(const MaxRejects& limit, int64_t rejected, int64_t read) {
  if (limit.count >= 0 && rejected > limit.count) return true;
  if (limit.percent >= 0 && read > 0 && 100.0 * static_cast<double>(rejected) > limit.percent * static_cast<double>(read)) return true;
  return false;
}

// One attempt at an import (Import retries when a file turns out not to be UTF-8 part way).
// *restart = the file to read whole next time, when that is why it failed.
Result<ImportSummary> ImportOnce(Store& store, const ImportRequest& request,
                                 const ParseOptions& options, const std::vector<bool>& decode_whole,
                                 platform::Env& env, int* restart) {
  const double t_start = env.NowSeconds();
  ImportSummary summary;
  summary.kind = request.kind;
  // Every file is opened first: a missing one refuses the import before anything is read.
  std::vector<platform::FileReader> readers;
  for (const std::string& path : request.files) {
    GOVQM_ASSIGN_OR_RETURN(auto reader, platform::FileReader::Open(path));
    readers.push_back(std::move(reader));
  }
  const std::vector<RejectsTarget> rejects_plan = PlanRejectsFiles(request.files, request.rejects.dir);

  // Parts are written as they are parsed, inside one write transaction: all or nothing.
  GOVQM_RETURN_IF_ERROR(store.Begin());
  bool open = true;
  struct RollbackUnlessCommitted {
    Store& store;
    bool& open;
    ~RollbackUnlessCommitted() {
      if (open) store.Rollback();
    }
  } guard{store, open};

  GOVQM_ASSIGN_OR_RETURN(ScopeGuard scope, ScopeGuard::Make(store, request.scope, request.kind));
  // From here the transaction only appends, then logs the import: the store may make the
  // parts durable as they come (invisible until the commit).
  store.PrepareBulkAppend();
  ReferenceCheck references(store, request.kind);
  Appender appender(store, request.kind);
  std::optional<security::ContactKey> key;
  std::vector<bool> loaded_columns;
  std::map<std::pair<std::string, std::string>, int64_t> reasons;  // (column, pattern) -> count
  double write_s = 0;
  std::vector<StreamedFile> files(request.files.size());
  std::vector<RejectsSpool> rejections(request.files.size());
  bool stopped = false;

  for (size_t i = 0; i < request.files.size(); ++i) {
    const std::string& path = request.files[i];
    StreamedFile& file = files[i];
    const ConsumePartFn consume = [&](ParsedPart& part) -> Status {
      const double t0 = env.NowSeconds();
      for (auto [rows, hashes] : {std::pair{&part.first, &part.first_hashes},
                                  std::pair{&part.second, &part.second_hashes}}) {
        if (rows->rows() == 0) continue;
        GOVQM_RETURN_IF_ERROR(scope.Check(*rows, *hashes, path));
        // Contacts are sealed before anything is written; without the key the import stops
        // here, with no rejects file and nothing in the store.
        if (HasContacts(*rows)) {
          if (!key) {
            const std::string key_path = ContactKeyPath(store.path(), request.key_file);
            Result<security::ContactKey> read = security::ReadKeyFile(key_path);
            if (!read.ok()) {
              if (read.status().code() != StatusCode::kNotFound) return read.status();
              return Status::FailedPrecondition(fmt::format(
                  "evaluations with contacts need the store's contact key, and {} is missing "
                  "(govqm init creates it, init --key-only for an existing store; GOVQM_KEY_FILE "
                  "names another); nothing imported",
                  key_path));
            }
            key = std::move(*read);
          }
          SealContacts(*key, rows);
        }
        references.Check(*rows, &summary.unknown_codes);
        NoteLoadedColumns(*rows, &loaded_columns);
        GOVQM_RETURN_IF_ERROR(appender.Add(*rows, *hashes, &summary.replaced));
      }
      summary.replaced += part.replaced_in_part;
      summary.rejected += static_cast<int64_t>(part.rejections.size());
      summary.read += part.read;
      for (Rejection& r : part.rejections) {
        ++reasons[{r.column, ReasonPattern(r.reason)}];
        GOVQM_RETURN_IF_ERROR(rejections[i].Add(std::move(r)));
      }
      write_s += env.NowSeconds() - t0;
      // A count limit is known to be broken as soon as it is: stop reading.
      if (request.max_rejects.count >= 0 && summary.rejected > request.max_rejects.count) {
        stopped = true;
        return Status::Invalid("--max-rejects");
      }
      return Status::Ok();
    };
    StreamOptions stream;
    stream.decode_whole = decode_whole[i];
    // A small file gets a small buffer.
    stream.block_bytes = std::min(stream.block_bytes, readers[i].size() + 64);
    if (request.block_bytes > 0) {
      stream.block_bytes = request.block_bytes;
      stream.split_bytes = request.block_bytes / 2;
    }
    auto read = [&](char* out, size_t n) { return readers[i].Read(out, n); };
    Status st = StreamRecords(read, path, options, stream, consume, &file);
    if (!st.ok() && file.needs_decode_whole) {
      if (file.parts > 0) {  // rows of it are written: start the import again
        *restart = static_cast<int>(i);
        return st;
      }
      GOVQM_ASSIGN_OR_RETURN(readers[i], platform::FileReader::Open(path));
      file = StreamedFile();
      stream.decode_whole = true;
      st = StreamRecords(read, path, options, stream, consume, &file);
    }
    summary.times_without_offset += file.times_without_offset;
    if (stopped) break;  // --max-rejects N is broken: no more is read
    GOVQM_RETURN_IF_ERROR(st);
  }
  GOVQM_RETURN_IF_ERROR(appender.Flush(&summary.replaced));

  for (size_t i = 0; i < files.size(); ++i) {
    const StreamedFile& file = files[i];
    std::string rejects_file;
    if (!rejections[i].empty()) {
      if (request.rejects.write) {
        GOVQM_ASSIGN_OR_RETURN(rejects_file, rejections[i].Write(file.rejects_header, rejects_plan[i]));
      }
    } else if (request.rejects.write) {
      RemoveStaleRejects(rejects_plan[i]);  // one from an earlier run would mislead
    }
    summary.files.push_back({file.file_name.empty() ? request.files[i] : file.file_name,
                             file.format, file.encoding, file.read,
                             rejections[i].size(), rejects_file,
                             file.ignored_columns, file.warnings});
    if (summary.rejects_file.empty()) summary.rejects_file = rejects_file;
  }
  for (const auto& [what, count] : reasons) {
    summary.top_reasons.push_back({what.first, what.second, count});
  }
  std::stable_sort(summary.top_reasons.begin(), summary.top_reasons.end(),
                   [](const RejectReason& a, const RejectReason& b) { return a.count > b.count; });
  if (summary.top_reasons.size() > 5) summary.top_reasons.resize(5);
  summary.loaded_columns = std::move(loaded_columns);
  if (summary.read > summary.rejected) {
    for (const UnfedIndicator& u : UnfedIndicators(request.kind, summary.loaded_columns)) {
      summary.unfed.push_back({std::string(u.code), {u.missing.begin(), u.missing.end()}, u.Text()});
    }
    for (const UnfedKey& k : UnfedGroupKeys(request.kind, summary.loaded_columns)) {
      summary.unfed_group_keys.push_back(k.Text());
    }
  }

  const double t_parsed = env.NowSeconds();
  summary.timings.write_s = write_s;
  summary.timings.parse_s = t_parsed - t_start - write_s;
  summary.atomic_refused = request.atomic && summary.rejected > 0;
  summary.max_rejects_refused =
      !summary.atomic_refused && TooManyRejects(request.max_rejects, summary.rejected, summary.read);
  if (summary.atomic_refused || summary.max_rejects_refused) {
    summary.replaced = 0;
    return summary;  // the guard rolls back: nothing loaded
  }
  summary.loaded = summary.read - summary.rejected;
  GOVQM_RETURN_IF_ERROR(
      store.LogImport({std::string(GetKindDef(request.kind).name),
                       fmt::format("{}", request.files.size()), render::ImportJson(summary)}));
  GOVQM_RETURN_IF_ERROR(env.AtFaultPoint(platform::FaultPoint::kImportBeforeCommit));
  const double t_written = env.NowSeconds();
  open = false;
  GOVQM_RETURN_IF_ERROR(store.Commit());
  summary.timings.write_s += t_written - t_parsed;
  summary.timings.commit_s = env.NowSeconds() - t_written;
  return summary;
}

}  // namespace

Result<ImportSummary> Import(Store& store, const ImportRequest& request, platform::Env& env) {
  ColumnMapping mapping;
  const bool has_map = !request.map_file.empty();
  if (has_map) {
    GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(request.map_file));
    GOVQM_ASSIGN_OR_RETURN(mapping, ParseMapping(text, request.map_file, GetKindDef(request.kind)));
  }
  // Zone for times without an offset: the mapping's (it describes the source), else the
  // request's (which overrides the store's zone for this run), else the store's.
  const std::string zone_name = !mapping.timezone.empty() ? mapping.timezone : request.zone;
  GOVQM_ASSIGN_OR_RETURN(auto zone, ResolveZone(zone_name, store.zone()));

  ParseOptions options;
  options.kind = request.kind;
  options.mapping = has_map ? &mapping : nullptr;
  options.zone = zone.get();
  options.encoding = request.encoding;

  std::vector<bool> decode_whole(request.files.size(), false);
  for (size_t attempt = 0;; ++attempt) {
    int restart = -1;
    Result<ImportSummary> summary = ImportOnce(store, request, options, decode_whole, env, &restart);
    if (summary.ok() || restart < 0 || attempt >= request.files.size()) {
      if (summary.ok()) {
        summary->zone = zone->Name();
        summary->zone_source = !mapping.timezone.empty() ? "mapping"
                               : !request.zone.empty()  ? "--tz"
                                                        : "store";
        summary->mapping_without_zone = has_map && mapping.timezone.empty();
      }
      return summary;
    }
    decode_whole[static_cast<size_t>(restart)] = true;
  }
}

Status MaxRejectsRefusal(const ImportSummary& summary, const MaxRejects& limit) {
  const std::string what = limit.count >= 0 ? fmt::format("{}", limit.count)
                                            : fmt::format("{}%", limit.percent);
  return Status::Invalid(fmt::format(
      "--max-rejects {}: {} of {} records rejected, nothing loaded (see {})", what,
      summary.rejected, summary.read, summary.rejects_file.empty() ? "the summary" : summary.rejects_file));
}

std::optional<MaxRejects> ParseMaxRejects(std::string_view text) {
  MaxRejects limit;
  const bool percent = !text.empty() && text.back() == '%';
  if (percent) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !(v >= 0)) return std::nullopt;
  if (percent) {
    if (v > 100) return std::nullopt;
    limit.percent = v;
  } else {
    if (v != std::floor(v) || v > 9e15) return std::nullopt;
    limit.count = static_cast<int64_t>(v);
  }
  return limit;
}

Status AtomicRefusal(const ImportSummary& summary) {
  return Status::Invalid(fmt::format("--atomic: {} rows rejected, nothing loaded (see {})",
                                     summary.rejected, summary.rejects_file));
}

}  // namespace govqm::app

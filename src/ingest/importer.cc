#include "ingest/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/contact.h"
#include "core/scrub.h"
#include "ingest/csv_reader.h"
#include "ingest/encoding.h"
#include "ingest/ndjson_reader.h"
#include "ingest/row_builder.h"
#include "ingest/time_parse.h"
#include "ingest/value_parse.h"
#include "simdjson.h"

namespace govqm {
namespace {

using namespace ingest_detail;


bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool LooksLikeNdjson(std::string_view file_name, std::string_view text) {
  if (EndsWith(file_name, ".ndjson") || EndsWith(file_name, ".jsonl") ||
      EndsWith(file_name, ".json")) {
    return true;
  }
  if (EndsWith(file_name, ".csv")) return false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

// Reads the records after the header; rejected ones are collected with their line.
void ParseCsvRecords(CsvReader& reader, size_t header_size, RowBuilder& builder, ParsedFile* out,
                     Status* error) {
  CsvRecord rec;
  std::string column, reason;
  while (reader.Next(&rec, error)) {
    ++out->read;
    bool ok;
    if (rec.fields.size() != header_size) {
      column.clear();
      reason = fmt::format("has {} fields, the header has {}", rec.fields.size(), header_size);
      ok = false;
    } else {
      ok = builder.BuildCsv(rec.fields, &column, &reason);
    }
    if (!ok) {
      Rejection r{rec.line, column, reason, {}, {}};
      const size_t keep = std::min(rec.fields.size(), header_size + kMaxExtraRejectsColumns);
      r.fields.assign(rec.fields.begin(), rec.fields.begin() + static_cast<ptrdiff_t>(keep));
      for (size_t f = keep; f < rec.fields.size(); ++f) {
        if (f > keep) r.more.push_back(',');
        AppendCsvField(&r.more, rec.fields[f]);
      }
      builder.ScrubRejected(
          [&](int s) -> std::string* {
            const int f = builder.csv_field(s);
            return f >= 0 && static_cast<size_t>(f) < r.fields.size() ? &r.fields[f] : nullptr;
          },
          &r);
      out->rejections.push_back(std::move(r));
    }
  }
}

Status ParseCsv(std::string_view text, std::string_view file_name, RowBuilder& builder,
                ParsedFile* out) {
  CsvReader reader(text);
  CsvRecord rec;
  Status error;
  if (!reader.Next(&rec, &error)) {
    if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", file_name, error.message()));
    return Status::Ok();  // an empty file loads nothing
  }
  std::vector<std::string> header;
  for (std::string_view f : rec.fields) header.emplace_back(TrimAscii(f));
  out->rejects_header = header;
  GOVQM_RETURN_IF_ERROR(
      builder.BindCsvHeader(header, file_name, &out->warnings, &out->ignored_columns));

  // Big files are parsed in two halves at once. The split is a line end near the middle; it
  // is a record boundary exactly when the first half parses to its end without an open quote
  // (a quoted field spanning the split shows up as an unterminated quote): otherwise, or on any
  // other error, the file is parsed again in one piece.
  constexpr size_t kParallelBytes = 16u << 20;
  if (text.size() >= kParallelBytes) {
    const size_t nl = text.find('\n', text.size() / 2);
    if (nl != std::string_view::npos && nl + 1 < text.size()) {
      const std::string_view first = text.substr(0, nl + 1), second = text.substr(nl + 1);
      ParsedFile half(builder.def().kind);
      RowBuilder builder2(builder.options(), &half.rows);
      builder2.CopyBindingFrom(builder);
      half.rows.Reserve(static_cast<size_t>(std::count(second.begin(), second.end(), '\n')));
      Status error2;
      std::thread worker([&] {
        CsvReader r2(second);
        ParseCsvRecords(r2, header.size(), builder2, &half, &error2);
      });
      CsvReader r1(first);
      CsvRecord skip;
      Status error1;
      r1.Next(&skip, &error1);  // the header again
      const int64_t read_before = out->read;
      const size_t rows_before = out->rows.rows(), rejects_before = out->rejections.size();
      ParseCsvRecords(r1, header.size(), builder, out, &error1);
      worker.join();
      if (error1.ok() && error2.ok()) {
        const int64_t offset = r1.next_line() - 1;  // second half's line 1 is this line
        for (Rejection& rej : half.rejections) {
          rej.line += offset;
          out->rejections.push_back(std::move(rej));
        }
        out->read += half.read;
        out->rest = std::move(half.rows);  // kept apart: concatenating would copy it all
        return Status::Ok();
      }
      // Not a clean split: start over in one piece.
      out->read = read_before;
      out->rows = Table(out->rows.kind());
      (void)rows_before;
      out->rejections.resize(rejects_before);
      builder.set_rows(&out->rows);
      CsvReader again(text);
      again.Next(&skip, &error);
      ParseCsvRecords(again, header.size(), builder, out, &error);
      if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", file_name, error.message()));
      return Status::Ok();
    }
  }
  ParseCsvRecords(reader, header.size(), builder, out, &error);
  if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", file_name, error.message()));
  return Status::Ok();
}

// Appends "key":"value" (after a comma unless first) to a JSON object's members.
void AppendJsonMember(std::string* out, std::string_view key, std::string_view value) {
  if (!out->empty()) out->push_back(',');
  for (int part = 0; part < 2; ++part) {
    const std::string_view s = part == 0 ? key : value;
    out->push_back('"');
    for (const char ch : s) {
      const auto u = static_cast<unsigned char>(ch);
      if (ch == '"' || ch == '\\') {
        out->push_back('\\');
        out->push_back(ch);
      } else if (u < 0x20) {
        out->append(fmt::format("\\u{:04x}", u));
      } else {
        out->push_back(ch);
      }
    }
    out->push_back('"');
    if (part == 0) out->push_back(':');
  }
}

// Reads JSON records from `next(&rec)` (an NdjsonReader or a JsonArrayReader); rejected ones
// are collected with their line. Linear in the keys: each key is looked up in hash maps, never
// searched for in a list (a rejected record of 100k keys once took seconds).
template <typename NextFn>
void ParseJsonRecords(NextFn&& next, RowBuilder& builder, ParsedFile* out) {
  JsonRecord rec;
  std::unordered_set<std::string> ignored;
  // Rejects file column of each key seen in a rejected record (rejects_header grows with them,
  // past the kind's own columns by at most kMaxExtraRejectsColumns).
  std::unordered_map<std::string, size_t> rejects_column;
  const size_t known_columns = builder.plans().size();
  std::string column, reason;
  std::string key;
  while (next(&rec)) {
    ++out->read;
    bool ok = rec.error.empty();
    if (ok) {
      builder.ClearFields();
      for (const auto& [k, v] : rec.fields) {
        if (builder.SetField(k, v)) continue;
        key.assign(k);
        if (!key.empty() && key[0] != '_' && ignored.insert(key).second) {
          out->ignored_columns.push_back(key);
        }
      }
      ok = builder.BuildFields(&column, &reason);
    } else {
      column.clear();
      reason = rec.error;
    }
    if (!ok) {
      Rejection r{rec.line, column, reason, {}, {}};
      // Align the record's values to the rejects header, growing it with new keys up to the
      // limit; the keys past it go to `_more`.
      for (const auto& [k, v] : rec.fields) {
        key.assign(k);
        auto it = rejects_column.find(key);
        if (it == rejects_column.end()) {
          if (out->rejects_header.size() >= known_columns + kMaxExtraRejectsColumns) {
            AppendJsonMember(&r.more, k, v);
            continue;
          }
          it = rejects_column.emplace(key, out->rejects_header.size()).first;
          out->rejects_header.push_back(key);
        }
        const size_t idx = it->second;
        if (r.fields.size() <= idx) r.fields.resize(idx + 1);
        r.fields[idx] = std::string(v);
      }
      if (!r.more.empty()) r.more = "{" + r.more + "}";
      builder.ScrubRejected(
          [&](int s) -> std::string* {
            auto it = rejects_column.find(builder.source_name(s));
            return it != rejects_column.end() && it->second < r.fields.size() ? &r.fields[it->second]
                                                                              : nullptr;
          },
          &r);
      out->rejections.push_back(std::move(r));
    }
  }
}

// Later rows with the same identity replace earlier ones (domain.md §2). An open-addressing
// table of (hash, row): a node-based map would allocate once per row.
void ResolveDuplicates(ParsedFile* out) {
  // Rows are numbered across both parts: global row g is rows[g] or rest[g - n1].
  const size_t n1 = out->rows.rows(), n = n1 + out->rest.rows();
  auto table = [&](size_t g) -> const Table& { return g < n1 ? out->rows : out->rest; };
  auto local = [&](size_t g) { return g < n1 ? g : g - n1; };
  std::vector<uint64_t> hashes(n);
  for (size_t g = 0; g < n; ++g) hashes[g] = IdentityHash(table(g), local(g));
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  const size_t mask = cap - 1;
  constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  std::vector<uint32_t> slots(cap, kEmpty);  // global row of the latest row with that identity
  std::vector<bool> alive(n, true);
  bool any_dead = false;
  // The probes go in order with prefetches a few rows ahead: each probe is a cache miss
  // into a table of millions of slots.
  constexpr size_t kAhead = 16;
  for (size_t g = 0; g < n; ++g) {
    if (g + kAhead < n) __builtin_prefetch(&slots[hashes[g + kAhead] & mask], 1);
    const uint64_t h = hashes[g];
    size_t s = h & mask;
    for (; slots[s] != kEmpty; s = (s + 1) & mask) {
      const uint32_t prev = slots[s];
      if (hashes[prev] == h && table(prev).SameIdentity(local(prev), table(g), local(g))) break;
    }
    if (slots[s] != kEmpty) {
      alive[slots[s]] = false;
      any_dead = true;
      ++out->replaced_in_file;
    }
    slots[s] = static_cast<uint32_t>(g);
  }
  out->identity_hashes.assign(hashes.begin(), hashes.begin() + static_cast<ptrdiff_t>(n1));
  out->rest_hashes.assign(hashes.begin() + static_cast<ptrdiff_t>(n1), hashes.end());
  if (!any_dead) return;
  auto filter = [&](Table* part, std::vector<uint64_t>* part_hashes, size_t offset) {
    const size_t m = part->rows();
    std::vector<bool> keep(alive.begin() + static_cast<ptrdiff_t>(offset),
                           alive.begin() + static_cast<ptrdiff_t>(offset + m));
    if (std::find(keep.begin(), keep.end(), false) == keep.end()) return;
    *part = part->Filter(keep);
    std::vector<uint64_t> kept;
    for (size_t r = 0; r < m; ++r) {
      if (keep[r]) kept.push_back((*part_hashes)[r]);
    }
    *part_hashes = std::move(kept);
  };
  filter(&out->rows, &out->identity_hashes, 0);
  filter(&out->rest, &out->rest_hashes, n1);
}

}  // namespace

Result<ParsedFile> ParseRecords(std::string_view bytes, std::string_view file_name,
                                const ParseOptions& options) {
  ParsedFile out(options.kind);
  out.file_name = std::string(file_name);
  // Fast path: valid UTF-8 is parsed in place, without a copy of the whole file.
  std::string_view text = bytes;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  DecodedText decoded;
  const bool may_be_utf8 = options.encoding == Encoding::kAuto || options.encoding == Encoding::kUtf8;
  if (may_be_utf8 && simdjson::validate_utf8(text.data(), text.size())) {
    out.encoding = "UTF-8";
  } else {
    auto converted = ToUtf8(std::string(bytes), file_name, options.encoding);
    if (!converted.ok()) return converted.status();
    decoded = std::move(converted.value());
    out.encoding = decoded.encoding;
    text = decoded.text;
  }
  RowBuilder builder(options, &out.rows);
  if (LooksLikeNdjson(file_name, text)) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '[') {
      // A JSON array (what most web APIs export): read as one object per element. The
      // rejects file's _line is then the element's number in the array.
      out.format = "json-array";
      JsonArrayReader reader(text);
      Status error;
      ParseJsonRecords([&](JsonRecord* rec) { return reader.Next(rec, &error); }, builder, &out);
      if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", file_name, error.message()));
    } else {
      out.format = "ndjson";
      NdjsonReader reader(text);
      ParseJsonRecords([&](JsonRecord* rec) { return reader.Next(rec); }, builder, &out);
    }
  } else {
    out.format = "csv";
    out.rows.Reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
    GOVQM_RETURN_IF_ERROR(ParseCsv(text, file_name, builder, &out));
  }
  ResolveDuplicates(&out);
  // Text views in the table were copied on append, so `text` may go now.
  return out;
}

void AppendCsvField(std::string* out, std::string_view f) {
  if (f.find_first_of(",\"\r\n") == std::string_view::npos &&
      (f.empty() || (f.front() != ' ' && f.back() != ' '))) {
    out->append(f);
    return;
  }
  out->push_back('"');
  for (char c : f) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string RenderRejects(const ParsedFile& parsed) {
  std::string s;
  std::vector<std::string> header = parsed.rejects_header;
  size_t width = header.size();
  bool any_more = false;
  for (const Rejection& r : parsed.rejections) {
    width = std::max(width, r.fields.size());
    any_more = any_more || !r.more.empty();
  }
  for (size_t i = header.size(); i < width; ++i) header.push_back(fmt::format("_extra{}", i + 1));
  auto row = [&](const std::vector<std::string>& fields, std::string_view more,
                 const std::string& line, const std::string& column, const std::string& reason) {
    for (size_t i = 0; i < width; ++i) {
      AppendCsvField(&s, i < fields.size() ? std::string_view(fields[i]) : std::string_view());
      s.push_back(',');
    }
    if (any_more) {
      AppendCsvField(&s, more);
      s.push_back(',');
    }
    AppendCsvField(&s, line);
    s.push_back(',');
    AppendCsvField(&s, column);
    s.push_back(',');
    AppendCsvField(&s, reason);
    s.push_back('\n');
  };
  row(header, "_more", "_line", "_column", "_reason");
  for (const Rejection& r : parsed.rejections) {
    row(r.fields, r.more, std::to_string(r.line), r.column, r.reason);
  }
  return s;
}

}  // namespace govqm

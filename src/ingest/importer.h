// Turning one input file (CSV or NDJSON, any encoding we accept, any column mapping) into a
// validated columnar Table of its kind plus the rows it rejected (domain.md §2). No store
// access here: the caller decides what to do with the batch (see store/store.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/table.h"
#include "core/time_zone.h"
#include "ingest/encoding.h"
#include "ingest/mapping.h"

namespace govqm {

struct ParseOptions {
  Kind kind = Kind::kTransactions;
  const ColumnMapping* mapping = nullptr;  // may be null: canonical column names
  const TimeZone* zone = nullptr;          // for times without an offset (required)
  Encoding encoding = Encoding::kAuto;     // the file's bytes (see ToUtf8)
};

struct Rejection {
  int64_t line = 0;           // physical line where the record starts; header = line 1
  std::string column;         // canonical column name, or "" for the whole row
  std::string reason;
  std::vector<std::string> fields;  // the original fields, in the rejects file's column order
  // What did not fit the rejects file's columns (kMaxExtraRejectsColumns): CSV fields past
  // them as CSV text, JSON keys past them as a JSON object. Goes to a `_more` column.
  std::string more;
};

// The rejects file holds the source's columns plus at most this many more: `_extraN` for CSV
// records longer than their header, new keys of rejected JSON records. Past it a record's
// rest goes to `_more`, so a rejected record costs the rejects file its own size plus at most
// this many empty fields, never a column for every key of every other record (a file of
// records with distinct keys would otherwise grow a rejects file quadratically).
inline constexpr size_t kMaxExtraRejectsColumns = 256;

struct ParsedFile {
  std::string file_name;
  std::string encoding;  // "UTF-8", or "GB18030" / "Latin-1" (converted)
  std::string format;    // "csv" or "ndjson"
  // The valid rows, one per identity (a later duplicate replaced the earlier), in file order:
  // `rows` then `rest` (a big file is parsed in two parts; `rest` is empty otherwise).
  Table rows;
  std::vector<uint64_t> identity_hashes;  // IdentityHash of each row of `rows`
  Table rest;
  std::vector<uint64_t> rest_hashes;
  int64_t read = 0;              // records read (not counting the header)
  int64_t replaced_in_file = 0;  // valid rows that replaced an earlier row of the same file
  std::vector<Rejection> rejections;
  std::vector<std::string> rejects_header;  // source columns of the rejects file
  std::vector<std::string> ignored_columns;  // source columns the kind does not know
  std::vector<std::string> warnings;         // e.g. a mapped optional column missing

  explicit ParsedFile(Kind kind) : rows(kind), rest(kind) {}
};

// Parses `bytes` (the whole file; only read during the call, so it may be a mapped file). A file that cannot be read as a whole (not UTF-8 or
// GB18030, a required column missing, an unterminated quote) returns Status::Invalid with a
// one-line message naming the file; bad rows are returned as rejections instead.
Result<ParsedFile> ParseRecords(std::string_view bytes, std::string_view file_name,
                                const ParseOptions& options);

// Renders rejections as a CSV file's text: the original columns plus _line, _column, _reason.
std::string RenderRejects(const ParsedFile& parsed);

// Quotes a CSV field when needed (RFC 4180).
void AppendCsvField(std::string* out, std::string_view field);

}  // namespace govqm

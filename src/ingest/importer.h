// Turning one input file (CSV or NDJSON, any encoding we accept, any column mapping) into a
// validated columnar Table of its kind plus the rows it rejected (domain.md §2). No store
// access here: the caller decides what to do with the batch (see store/store.h).
#pragma once

#include <cstdint>
#include <functional>
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
  int64_t record = 0;  // the record's number in the file: the first after a CSV header = 1
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

// One part of a file as the streaming parse hands it over (StreamRecords): its valid rows in
// file order, `first` then `second` (the halves two threads parsed; either may be empty),
// unique by identity within the part (a later duplicate replaced the earlier one:
// replaced_in_part), and the part's rejections. Tables keep their capacity from part to part.
struct ParsedPart {
  explicit ParsedPart(Kind kind) : first(kind), second(kind) {}
  Table first, second;
  std::vector<uint64_t> first_hashes, second_hashes;  // IdentityHash of each row
  std::vector<Rejection> rejections;
  int64_t read = 0;              // records of this part
  int64_t replaced_in_part = 0;  // valid rows that replaced an earlier row of this part
  void Clear();
};

// What a streamed file turned out to be (complete once StreamRecords returns).
struct StreamedFile {
  std::string file_name;
  std::string encoding;  // "UTF-8", or "GB18030" / "Latin-1" (converted)
  std::string format;    // "csv", "ndjson" or "json-array"
  int64_t read = 0;      // records read (not counting the header)
  int64_t parts = 0;     // parts handed to the consumer
  std::vector<std::string> rejects_header;   // source columns of the rejects file
  std::vector<std::string> ignored_columns;  // source columns the kind does not know
  std::vector<std::string> warnings;
  int64_t times_without_offset = 0;  // times read in the zone, rejected records' included
  // kAuto only: bytes that are not UTF-8 turned up after parts were handed over. The file must
  // be read again with StreamOptions::decode_whole (see there); StreamRecords returned an error.
  bool needs_decode_whole = false;
};

struct StreamOptions {
  // Bytes parsed per step (two threads share a step; the consumer works on the step before).
  size_t block_bytes = 24u << 20;
  // A record longer than this is refused as unterminated (a quote that never closes would
  // otherwise make one record of the rest of the file).
  size_t max_record_bytes = 64u << 20;
  // A block at least this big is parsed in two halves by two threads.
  size_t split_bytes = 1u << 20;
  // Read and decode the whole file before parsing (as ToUtf8 does): how a file whose bytes are
  // not UTF-8 is read with Encoding::kAuto, since deciding on GB18030 takes the whole file.
  // Files with an explicit non-UTF-8 encoding and JSON arrays are always read whole.
  bool decode_whole = false;
};

// The file's bytes, in order: fills up to `n` bytes, fewer only at the end; 0 = the end.
using ReadBytesFn = std::function<Result<size_t>(char* out, size_t n)>;
// Takes one part, on the thread that called StreamRecords, in file order. May move the part's
// tables out. A non-OK status stops the stream and is returned.
using ConsumePartFn = std::function<Status(ParsedPart& part)>;

// Streams one file: reads it a block at a time, parses and validates each block (two threads)
// while `consume` takes the part before, so memory stays about 3 blocks and 2 parts, however big
// the file. Errors as ParseRecords' (a file that cannot be read as a whole: nothing more is
// handed over, parts already handed over stand — the caller's transaction decides).
Status StreamRecords(const ReadBytesFn& read, std::string_view file_name,
                     const ParseOptions& options, const StreamOptions& stream,
                     const ConsumePartFn& consume, StreamedFile* file);

// Parses `bytes` (the whole file; only read during the call, so it may be a mapped file). A file that cannot be read as a whole (not UTF-8 or
// GB18030, a required column missing, an unterminated quote) returns Status::Invalid with a
// one-line message naming the file; bad rows are returned as rejections instead.
Result<ParsedFile> ParseRecords(std::string_view bytes, std::string_view file_name,
                                const ParseOptions& options);

// Keeps the last row of each identity in `rows` (file order), dropping earlier ones; `hashes`
// (IdentityHash of each row) shrinks with it. Returns the rows dropped.
int64_t DropReplacedRows(Table* rows, std::vector<uint64_t>* hashes);

// Renders rejections as a CSV file's text: the original columns (`header`, widened to the
// longest record with _extraN, and _more when a record overflowed) plus _line, _record,
// _column, _reason.
std::string RenderRejects(const std::vector<std::string>& header,
                          const std::vector<Rejection>& rejections);
std::string RenderRejects(const ParsedFile& parsed);

// Quotes a CSV field when needed (RFC 4180).
void AppendCsvField(std::string* out, std::string_view field);

}  // namespace govqm

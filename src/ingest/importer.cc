#include "ingest/importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <memory>
#include <thread>

#include <pthread.h>
#include <unordered_map>
#include <unordered_set>

#include "core/contact.h"
#include "core/scrub.h"
#include "core/utf8.h"
#include "core/worker_thread.h"
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

// Where the records of one stretch of text go: the part's rejections, and the count of records
// read (records are numbered by it, from 1 within the stretch).
struct RecordSink {
  std::vector<Rejection>* rejections;
  int64_t read = 0;
};

// Reads the records of a stretch of CSV after the header; rejected ones are collected with
// their line and record number.
void ParseCsvRecords(CsvReader& reader, size_t header_size, RowBuilder& builder, RecordSink* sink,
                     Status* error) {
  CsvRecord rec;
  std::string column, reason;
  while (reader.Next(&rec, error)) {
    ++sink->read;
    bool ok;
    if (rec.fields.size() != header_size) {
      column.clear();
      reason = fmt::format("has {} fields, the header has {}", rec.fields.size(), header_size);
      ok = false;
    } else {
      ok = builder.BuildCsv(rec.fields, &column, &reason);
    }
    if (!ok) {
      Rejection r{rec.line, column, reason, {}, {}, sink->read};
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
      sink->rejections->push_back(std::move(r));
    }
  }
}

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

// What reading JSON records learns as it goes, kept from block to block of a file.
struct JsonState {
  std::unordered_set<std::string> ignored;
  // Rejects file column of each key seen in a rejected record (rejects_header grows with them,
  // past the kind's own columns by at most kMaxExtraRejectsColumns).
  std::unordered_map<std::string, size_t> rejects_column;
  std::string key;
};

// Reads JSON records from `next(&rec)` (an NdjsonReader or a JsonArrayReader); rejected ones
// are collected with their line. Linear in the keys: each key is looked up in hash maps, never
// searched for in a list (a rejected record of 100k keys once took seconds).
template <typename NextFn>
void ParseJsonRecords(NextFn&& next, RowBuilder& builder, JsonState* state, RecordSink* sink,
                      StreamedFile* file) {
  JsonRecord rec;
  const size_t known_columns = builder.plans().size();
  std::string& key = state->key;
  std::string column, reason;
  while (next(&rec)) {
    ++sink->read;
    bool ok = rec.error.empty();
    if (ok) {
      builder.ClearFields();
      for (const auto& [k, v] : rec.fields) {
        if (builder.SetField(k, v)) continue;
        key.assign(k);
        if (!key.empty() && key[0] != '_' && state->ignored.insert(key).second) {
          file->ignored_columns.push_back(key);
        }
      }
      ok = builder.BuildFields(&column, &reason);
    } else {
      column.clear();
      reason = rec.error;
    }
    if (!ok) {
      Rejection r{rec.line, column, reason, {}, {}, sink->read};
      // Align the record's values to the rejects header, growing it with new keys up to the
      // limit; the keys past it go to `_more`.
      for (const auto& [k, v] : rec.fields) {
        key.assign(k);
        auto it = state->rejects_column.find(key);
        if (it == state->rejects_column.end()) {
          if (file->rejects_header.size() >= known_columns + kMaxExtraRejectsColumns) {
            AppendJsonMember(&r.more, k, v);
            continue;
          }
          it = state->rejects_column.emplace(key, file->rejects_header.size()).first;
          file->rejects_header.push_back(key);
        }
        const size_t idx = it->second;
        if (r.fields.size() <= idx) r.fields.resize(idx + 1);
        r.fields[idx] = std::string(v);
      }
      if (!r.more.empty()) r.more = "{" + r.more + "}";
      builder.ScrubRejected(
          [&](int s) -> std::string* {
            auto it = state->rejects_column.find(builder.source_name(s));
            return it != state->rejects_column.end() && it->second < r.fields.size()
                       ? &r.fields[it->second]
                       : nullptr;
          },
          &r);
      sink->rejections->push_back(std::move(r));
    }
  }
}

// Later rows with the same identity replace earlier ones (domain.md §2), across the two tables
// of a part: an open-addressing table of (hash, row), since a node-based map would allocate
// once per row. Fills the hashes; returns the rows replaced.
int64_t ResolveDuplicates(Table* first, std::vector<uint64_t>* first_hashes, Table* second,
                          std::vector<uint64_t>* second_hashes) {
  // Rows are numbered across both tables: global row g is first[g] or second[g - n1].
  const size_t n1 = first->rows(), n = n1 + second->rows();
  auto table = [&](size_t g) -> const Table& { return g < n1 ? *first : *second; };
  auto local = [&](size_t g) { return g < n1 ? g : g - n1; };
  std::vector<uint64_t> hashes(n);
  for (size_t g = 0; g < n; ++g) hashes[g] = IdentityHash(table(g), local(g));
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  const size_t mask = cap - 1;
  constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  std::vector<uint32_t> slots(cap, kEmpty);  // global row of the latest row with that identity
  std::vector<bool> alive(n, true);
  int64_t replaced = 0;
  // The probes go in order with prefetches a few rows ahead: each probe is a cache miss
  // into a table of many slots.
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
      ++replaced;
    }
    slots[s] = static_cast<uint32_t>(g);
  }
  first_hashes->assign(hashes.begin(), hashes.begin() + static_cast<ptrdiff_t>(n1));
  second_hashes->assign(hashes.begin() + static_cast<ptrdiff_t>(n1), hashes.end());
  if (replaced == 0) return 0;
  auto filter = [&](Table* part, std::vector<uint64_t>* part_hashes, size_t offset) {
    const size_t m = part->rows();
    std::vector<bool> keep(alive.begin() + static_cast<ptrdiff_t>(offset),
                           alive.begin() + static_cast<ptrdiff_t>(offset + m));
    if (std::find(keep.begin(), keep.end(), false) == keep.end()) return;
    part->KeepRows(keep);
    std::vector<uint64_t> kept;
    for (size_t r = 0; r < m; ++r) {
      if (keep[r]) kept.push_back((*part_hashes)[r]);
    }
    *part_hashes = std::move(kept);
  };
  filter(first, first_hashes, 0);
  filter(second, second_hashes, n1);
  return replaced;
}

// The first byte of `s` that does not read as UTF-8, or s.size().
size_t FirstInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = Utf8SequenceAt(s, i);
    if (len == 0) return i;
    i += len;
  }
  return s.size();
}

// A block's bytes: grown, never shrunk or zero-filled, so a file's blocks reuse one allocation
// (fresh pages cost a fault and a clearing each).
class ByteBuffer {
 public:
  char* data() { return data_.get(); }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }
  void Reserve(size_t n) {
    if (n <= capacity_) return;
    n = std::max(n, capacity_ + capacity_ / 2);
    std::unique_ptr<char[]> bigger(new char[n]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = n;
  }
  void Resize(size_t n) {
    Reserve(n);
    size_ = n;
  }
  void Assign(std::string_view bytes) {
    size_ = 0;
    Reserve(bytes.size());
    if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
    size_ = bytes.size();
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, capacity_ = 0;
};

// Parsed parts on their way from the parsing thread to the consumer, in file order, from a
// fixed pool (so memory is the pool's, and tables keep their capacity from part to part).
class PartQueue {
 public:
  PartQueue(Kind kind, int parts) {
    for (int i = 0; i < parts; ++i) {
      pool_.push_back(std::make_unique<ParsedPart>(kind));
      free_.push_back(pool_.back().get());
    }
  }
  // A part to fill; waits for one to come back. Null once the consumer stopped.
  ParsedPart* Acquire() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return cancelled_ || !free_.empty(); });
    if (cancelled_) return nullptr;
    ParsedPart* p = free_.front();
    free_.pop_front();
    return p;
  }
  // A filled part, next in file order (an empty one goes back to the pool).
  void Push(ParsedPart* p) {
    std::lock_guard lock(mu_);
    if (p->read > 0) {
      ready_.push_back(p);
    } else {
      free_.push_back(p);
    }
    changed_.notify_all();
  }
  // The producer is done: `ok` false = it failed, and what is still queued is not handed over.
  void Finish(bool ok) {
    std::lock_guard lock(mu_);
    finished_ = true;
    failed_ = !ok;
    changed_.notify_all();
  }
  // The next part in file order; null at the end (or once the producer failed).
  ParsedPart* Pop() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return failed_ || !ready_.empty() || finished_; });
    if (failed_ || ready_.empty()) return nullptr;
    ParsedPart* p = ready_.front();
    ready_.pop_front();
    return p;
  }
  void Recycle(ParsedPart* p) {
    std::lock_guard lock(mu_);
    free_.push_back(p);
    changed_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<ParsedPart>> pool_;
  std::deque<ParsedPart*> free_, ready_;
  bool finished_ = false, failed_ = false, cancelled_ = false;
};

// Parts parsed ahead of the consumer, at most: room for a slow append (a store writing a
// segment) without the parser waiting, memory a few blocks' worth.
constexpr int kPartsInFlight = 4;

// The streaming parse of one file (StreamRecords): blocks of text cut at line ends, each parsed
// in two halves by two threads while the consumer takes the part before.
class FileStream {
 public:
  FileStream(const ReadBytesFn& read, std::string_view file_name, const ParseOptions& options,
             const StreamOptions& stream, const ConsumePartFn& consume, StreamedFile* file)
      : read_(read), file_name_(file_name), options_(options), stream_(stream),
        consume_(consume), file_(file),
        builders_{RowBuilder(options, nullptr), RowBuilder(options, nullptr)},
        queue_(options.kind, kPartsInFlight) {}

  Status Run();
  int64_t times_without_offset() const {
    return builders_[0].times_without_offset() + builders_[1].times_without_offset();
  }

 private:
  // Appends bytes from the source to *buf until it holds `want` bytes or the source ends.
  Status Fill(std::string* buf, size_t want);
  Status Fill(ByteBuffer* buf, size_t want);
  template <typename Buffer, typename ResizeFn>
  Status FillWith(Buffer* buf, size_t want, ResizeFn&& resize) {
    while (!eof_ && buf->size() < want) {
      const size_t at = buf->size();
      resize(buf, want);
      GOVQM_ASSIGN_OR_RETURN(const size_t got, ReadInto(buf->data() + at, want - at));
      resize(buf, at + got);
      if (got < want - at) eof_ = true;
    }
    return Status::Ok();
  }
  // The next block: `carry`, then up to `block_bytes` more, cut after its last line end
  // (*cut; the whole buffer at the end of the file).
  Status NextBlock(const std::string& carry, size_t block_bytes, ByteBuffer* buffer, size_t* cut);
  // Reads up to `n` bytes into `out`: from the source, or from whole_ once decoded.
  Result<size_t> ReadInto(char* out, size_t n);
  // The whole file decoded to UTF-8 (decode_whole, explicit encodings, JSON arrays, a GB18030
  // byte-order mark): `bytes` already read, then the rest.
  Status ReadWholeFrom(std::string bytes);
  Status RunCsv();
  Status RunNdjson();
  Status RunJsonArray();
  // Parses `text` (whole CSV records, starting at physical line `line`, record numbers after
  // `records_before`) into `part`. `more` = the file goes on after `text`: a record it does not
  // finish is left for the next block (*tail = its offset, *tail_line its line).
  Status ParseCsvBlock(std::string_view text, int64_t line, bool more, ParsedPart* part,
                       size_t* tail, int64_t* tail_line);
  Status CheckUtf8(std::string_view text, int64_t line);
  // The next block's size: smaller while records are being rejected wholesale, since a
  // rejection (its fields kept for the rejects file) takes several times its bytes, and four
  // parts of them in flight would otherwise take a gigabyte.
  size_t NextBlockBytes(const ParsedPart& part) const {
    const bool mostly_rejected = part.read > 0 && part.rejections.size() * 4 > static_cast<size_t>(part.read);
    return mostly_rejected ? std::max<size_t>(stream_.block_bytes / 16, 64u << 10) : stream_.block_bytes;
  }
  // Hashes `part`'s rows and drops those a later row of the part replaces (parsing side).
  void Finish(ParsedPart* part);
  // Hands `part` over; counts it.
  Status Hand(ParsedPart* part);

  const ReadBytesFn& read_;
  std::string_view file_name_;
  const ParseOptions& options_;
  const StreamOptions& stream_;
  const ConsumePartFn& consume_;
  StreamedFile* file_;
  // Runs `produce` (which parses blocks into parts from queue_) on a thread of its own while
  // this thread hands the parts over in order.
  // `one_block`: the input left is one block (run here, no thread).
  Status Pipeline(const std::function<Status()>& produce, bool one_block);

  RowBuilder builders_[2];
  PartQueue queue_;
  // The second halves' thread, kept for the whole file (core/worker_thread.h says why).
  std::unique_ptr<WorkerThread> helper_;  // made at the first block big enough to split
  bool eof_ = false;
  bool converted_ = false;   // the text is decoded (no UTF-8 check needed)
  std::string carry_;        // bytes read and not parsed yet (the head, before the blocks)
  std::string whole_;        // decode_whole: the whole decoded text
  size_t whole_pos_ = 0;     // how much of whole_ has been handed out as if read
  size_t header_size_ = 0;
  int64_t records_ = 0;      // records parsed so far
  JsonState json_;
};

Status FileStream::NextBlock(const std::string& carry, size_t block_bytes, ByteBuffer* buffer,
                             size_t* cut) {
  buffer->Assign(carry);
  GOVQM_RETURN_IF_ERROR(Fill(buffer, carry.size() + block_bytes));
  *cut = buffer->size();
  if (!eof_) {
    const size_t nl = buffer->view().rfind('\n');
    *cut = nl == std::string::npos ? 0 : nl + 1;
  }
  return Status::Ok();
}

Result<size_t> FileStream::ReadInto(char* out, size_t n) {
  if (!converted_) return read_(out, n);
  const size_t got = std::min(n, whole_.size() - whole_pos_);
  std::memcpy(out, whole_.data() + whole_pos_, got);
  whole_pos_ += got;
  return got;
}

Status FileStream::Fill(std::string* buf, size_t want) {
  return FillWith(buf, want, [](std::string* b, size_t n) { b->resize(n); });
}

Status FileStream::Fill(ByteBuffer* buf, size_t want) {
  return FillWith(buf, want, [](ByteBuffer* b, size_t n) { b->Resize(n); });
}

Status FileStream::CheckUtf8(std::string_view text, int64_t line) {
  if (converted_ || simdjson::validate_utf8(text.data(), text.size())) return Status::Ok();
  if (options_.encoding == Encoding::kAuto) {
    file_->needs_decode_whole = true;
    return Status::Invalid(fmt::format("{}: not UTF-8 past its first part (to be read whole)", file_name_));
  }
  const size_t bad = FirstInvalidUtf8(text);
  const int64_t at = line + std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(bad), '\n');
  return Status::Invalid(fmt::format(
      "{}:{}: not valid UTF-8 (byte 0x{:02X}); if the file is GB18030/GBK or Latin-1, pass --encoding",
      file_name_, at, static_cast<unsigned char>(text[bad])));
}

void FileStream::Finish(ParsedPart* part) {
  part->replaced_in_part = ResolveDuplicates(&part->first, &part->first_hashes, &part->second,
                                             &part->second_hashes);
}

Status FileStream::Hand(ParsedPart* part) {
  file_->read += part->read;
  ++file_->parts;
  return consume_(*part);
}

Status FileStream::Run() {
  file_->file_name = std::string(file_name_);
  file_->encoding = "UTF-8";
  const bool whole = stream_.decode_whole || (options_.encoding != Encoding::kAuto &&
                                              options_.encoding != Encoding::kUtf8);
  if (whole) GOVQM_RETURN_IF_ERROR(ReadWholeFrom(std::string()));
  // Sniff the format from the first bytes.
  std::string head;
  GOVQM_RETURN_IF_ERROR(Fill(&head, 4096));
  std::string_view text = head;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (!converted_ && text.substr(0, 4) == "\x84\x31\x95\x33") {  // GB18030's byte-order mark
    if (options_.encoding != Encoding::kAuto) return CheckUtf8(text, 1);
    // Nothing was handed over: read it whole from here, the head included.
    GOVQM_RETURN_IF_ERROR(ReadWholeFrom(std::move(head)));
    head.clear();
    GOVQM_RETURN_IF_ERROR(Fill(&head, 4096));
    text = head;
  }
  carry_ = std::move(head);
  if (LooksLikeNdjson(file_name_, text)) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] == '[') return RunJsonArray();
    return RunNdjson();
  }
  return RunCsv();
}

Status FileStream::ReadWholeFrom(std::string bytes) {
  // Doubling: the buffer is zero-filled as it grows, so a fixed big step would clear 64 MiB
  // for a file of a few bytes.
  while (!eof_) GOVQM_RETURN_IF_ERROR(Fill(&bytes, std::max<size_t>(bytes.size() * 2, 1u << 16)));
  auto decoded = ToUtf8(std::move(bytes), file_name_, options_.encoding);
  if (!decoded.ok()) return decoded.status();
  whole_ = std::move(decoded->text);
  file_->encoding = decoded->encoding;
  converted_ = true;
  eof_ = false;
  whole_pos_ = 0;
  return Status::Ok();
}

Status FileStream::ParseCsvBlock(std::string_view text, int64_t line, bool more,
                                 ParsedPart* part, size_t* tail, int64_t* tail_line) {
  part->Clear();
  builders_[0].set_rows(&part->first);
  builders_[1].set_rows(&part->second);
  RecordSink sink{&part->rejections};
  size_t mid = std::string_view::npos;
  if (text.size() >= stream_.split_bytes) {
    const size_t nl = text.find('\n', text.size() / 2);
    if (nl != std::string_view::npos && nl + 1 < text.size()) mid = nl + 1;
  }
  auto number = [&](size_t from, int64_t before) {
    for (size_t i = from; i < part->rejections.size(); ++i) part->rejections[i].record += before;
  };
  if (mid != std::string_view::npos) {
    // The halves at once. The split is a record boundary exactly when the first half parses
    // to its end with no record left open (a quoted field spanning the split leaves one):
    // otherwise, or on any error, the block is parsed again in one piece.
    const std::string_view a = text.substr(0, mid), b = text.substr(mid);
    std::vector<Rejection> b_rejections;
    RecordSink b_sink{&b_rejections};
    Status b_error;
    size_t b_tail = 0;
    int64_t b_tail_line = 0;
    if (!helper_) helper_ = std::make_unique<WorkerThread>("govqm-parse2");
    helper_->Start([&] {
      CsvReader reader(b, /*skip_bom=*/false);
      reader.set_more_input(more);
      ParseCsvRecords(reader, header_size_, builders_[1], &b_sink, &b_error);
      b_tail = reader.offset();
      b_tail_line = reader.next_line();
    });
    CsvReader reader(a, /*skip_bom=*/false);
    reader.set_more_input(true);
    reader.set_first_line(line);
    Status a_error;
    ParseCsvRecords(reader, header_size_, builders_[0], &sink, &a_error);
    helper_->Wait();
    if (a_error.ok() && !reader.incomplete() && b_error.ok()) {
      const int64_t offset = reader.next_line() - 1;  // the second half's line 1 is this line
      number(0, records_);
      for (Rejection& r : b_rejections) {
        r.line += offset;
        r.record += records_ + sink.read;
        part->rejections.push_back(std::move(r));
      }
      part->read = sink.read + b_sink.read;
      records_ += part->read;
      *tail = mid + b_tail;
      *tail_line = b_tail_line + offset;
      return Status::Ok();
    }
    part->Clear();
    builders_[0].set_rows(&part->first);
    builders_[1].set_rows(&part->second);
    sink.read = 0;
  }
  CsvReader reader(text, /*skip_bom=*/false);
  reader.set_more_input(more);
  reader.set_first_line(line);
  Status error;
  ParseCsvRecords(reader, header_size_, builders_[0], &sink, &error);
  if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", file_name_, error.message()));
  number(0, records_);
  part->read = sink.read;
  records_ += part->read;
  *tail = reader.offset();
  *tail_line = reader.next_line();
  return Status::Ok();
}

Status FileStream::RunCsv() {
  file_->format = "csv";
  // The header: the file's first record.
  CsvRecord rec;
  size_t header_end = 0;
  int64_t line = 1;
  std::vector<std::string> header;
  while (true) {
    CsvReader reader(carry_);
    reader.set_more_input(!eof_);
    Status error;
    if (reader.Next(&rec, &error)) {
      header_end = reader.offset();
      line = reader.next_line();
      // Copied now: an escaped field lives in the reader, which ends with this iteration.
      for (std::string_view f : rec.fields) header.emplace_back(TrimAscii(f));
      break;
    }
    if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", file_name_, error.message()));
    if (!reader.incomplete()) return Status::Ok();  // an empty file loads nothing
    if (carry_.size() > stream_.max_record_bytes) {
      return Status::Invalid(fmt::format("{}: line 1: unterminated quoted field", file_name_));
    }
    GOVQM_RETURN_IF_ERROR(Fill(&carry_, std::max<size_t>(carry_.size() * 2, 1u << 16)));
  }
  GOVQM_RETURN_IF_ERROR(CheckUtf8(std::string_view(carry_).substr(0, header_end), 1));
  file_->rejects_header = header;
  header_size_ = header.size();
  GOVQM_RETURN_IF_ERROR(builders_[0].BindCsvHeader(header, file_name_, &file_->warnings,
                                                   &file_->ignored_columns));
  builders_[1].CopyBindingFrom(builders_[0]);

  std::string carry = carry_.substr(header_end);
  carry_.clear();
  carry_.shrink_to_fit();
  const bool one_block = eof_ && carry.size() <= stream_.block_bytes;
  return Pipeline([&, carry = std::move(carry)]() mutable -> Status {
    ByteBuffer buffer;
    buffer.Reserve(stream_.block_bytes + stream_.block_bytes / 16);
    size_t block_bytes = stream_.block_bytes;
    while (true) {
      size_t cut = 0;
      GOVQM_RETURN_IF_ERROR(NextBlock(carry, block_bytes, &buffer, &cut));
      const std::string_view text(buffer.data(), cut);
      GOVQM_RETURN_IF_ERROR(CheckUtf8(text, line));
      ParsedPart* part = queue_.Acquire();
      if (part == nullptr) return Status::Ok();  // the consumer stopped
      size_t tail = 0;
      int64_t tail_line = line;
      const Status parsed = ParseCsvBlock(text, line, !eof_, part, &tail, &tail_line);
      if (parsed.ok()) Finish(part);
      block_bytes = NextBlockBytes(*part);
      queue_.Push(part);  // an empty part goes back to the pool
      GOVQM_RETURN_IF_ERROR(parsed);
      carry.assign(buffer.view().substr(tail));
      line = tail_line;
      if (eof_ && carry.empty()) return Status::Ok();
      if (carry.size() > stream_.max_record_bytes) {
        return Status::Invalid(fmt::format(
            "{}: line {}: unterminated quoted field (no record ends in the next {} MiB)",
            file_name_, line, stream_.max_record_bytes >> 20));
      }
    }
  }, one_block);
}

Status FileStream::RunNdjson() {
  file_->format = "ndjson";
  const bool one_block = eof_ && carry_.size() <= stream_.block_bytes;
  return Pipeline([&]() -> Status {
    std::string carry = std::move(carry_);
    int64_t line = 1;
    ByteBuffer buffer;
    buffer.Reserve(stream_.block_bytes + stream_.block_bytes / 16);
    size_t block_bytes = stream_.block_bytes;
    for (int k = 0;; ++k) {
      size_t cut = 0;
      GOVQM_RETURN_IF_ERROR(NextBlock(carry, block_bytes, &buffer, &cut));
      std::string_view text(buffer.data(), cut);
      GOVQM_RETURN_IF_ERROR(CheckUtf8(text, line));
      if (k == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
      ParsedPart* part = queue_.Acquire();
      if (part == nullptr) return Status::Ok();
      part->Clear();
      builders_[0].set_rows(&part->first);
      RecordSink sink{&part->rejections};
      NdjsonReader reader(text, line);
      ParseJsonRecords([&](JsonRecord* rec) { return reader.Next(rec); }, builders_[0], &json_,
                       &sink, file_);
      for (Rejection& r : part->rejections) r.record += records_;
      part->read = sink.read;
      records_ += sink.read;
      Finish(part);
      block_bytes = NextBlockBytes(*part);
      queue_.Push(part);
      line += std::count(text.begin(), text.end(), '\n');
      carry.assign(buffer.view().substr(cut));
      if (eof_ && carry.empty()) return Status::Ok();
      if (carry.size() > stream_.max_record_bytes) {
        return Status::Invalid(fmt::format("{}: line {}: a line longer than {} MiB", file_name_,
                                           line, stream_.max_record_bytes >> 20));
      }
    }
  }, one_block);
}

Status FileStream::Pipeline(const std::function<Status()>& produce, bool one_block) {
  Status produced;
  if (one_block) {
    // The whole input is one block: one part, parsed here (no thread to start and stop, which
    // is what a small file or a fuzzer's input would mostly cost).
    produced = produce();
    queue_.Finish(produced.ok());
    while (ParsedPart* part = queue_.Pop()) {
      GOVQM_RETURN_IF_ERROR(Hand(part));
      queue_.Recycle(part);
    }
    return produced;
  }
  std::thread producer([&] {
    pthread_setname_np(pthread_self(), "govqm-parse");
    produced = produce();
    queue_.Finish(produced.ok());
  });
  Status handed;
  while (ParsedPart* part = queue_.Pop()) {
    handed = Hand(part);
    queue_.Recycle(part);
    if (!handed.ok()) {
      queue_.Cancel();
      break;
    }
  }
  producer.join();
  GOVQM_RETURN_IF_ERROR(handed);
  return produced;
}

Status FileStream::RunJsonArray() {
  // A JSON array is one value: it is read whole (NDJSON streams; see docs/INPUTS.md).
  file_->format = "json-array";
  if (!converted_) GOVQM_RETURN_IF_ERROR(ReadWholeFrom(std::move(carry_)));
  ParsedPart part(options_.kind);
  part.Clear();
  builders_[0].set_rows(&part.first);
  RecordSink sink{&part.rejections};
  JsonArrayReader reader(whole_);
  Status error;
  ParseJsonRecords([&](JsonRecord* rec) { return reader.Next(rec, &error); }, builders_[0],
                   &json_, &sink, file_);
  if (!error.ok()) return Status::Invalid(fmt::format("{}: {}", file_name_, error.message()));
  part.read = sink.read;
  records_ = sink.read;
  whole_.clear();
  whole_.shrink_to_fit();
  if (part.read == 0) return Status::Ok();
  Finish(&part);
  return Hand(&part);
}

}  // namespace

int64_t DropReplacedRows(Table* rows, std::vector<uint64_t>* hashes) {
  Table none(rows->kind());
  std::vector<uint64_t> no_hashes;
  return ResolveDuplicates(rows, hashes, &none, &no_hashes);
}

void ParsedPart::Clear() {
  first.Clear();
  second.Clear();
  first_hashes.clear();
  second_hashes.clear();
  rejections.clear();
  read = 0;
  replaced_in_part = 0;
}

Status StreamRecords(const ReadBytesFn& read, std::string_view file_name,
                     const ParseOptions& options, const StreamOptions& stream,
                     const ConsumePartFn& consume, StreamedFile* file) {
  FileStream s(read, file_name, options, stream, consume, file);
  Status st = s.Run();
  file->times_without_offset = s.times_without_offset();
  return st;
}

Result<ParsedFile> ParseRecords(std::string_view bytes, std::string_view file_name,
                                const ParseOptions& options) {
  ParsedFile out(options.kind);
  size_t pos = 0;
  const ReadBytesFn read = [&](char* to, size_t n) -> Result<size_t> {
    const size_t got = std::min(n, bytes.size() - pos);
    std::memcpy(to, bytes.data() + pos, got);
    pos += got;
    return got;
  };
  const ConsumePartFn consume = [&](ParsedPart& part) {
    out.replaced_in_file += part.replaced_in_part;
    out.rows.AppendTable(part.first);
    out.rows.AppendTable(part.second);
    for (auto& r : part.rejections) out.rejections.push_back(std::move(r));
    return Status::Ok();
  };
  StreamedFile file;
  StreamOptions stream;
  // A small input gets a small buffer (fuzzing calls this a million times).
  stream.block_bytes = std::min(stream.block_bytes, bytes.size() + 64);
  Status st = StreamRecords(read, file_name, options, stream, consume, &file);
  if (!st.ok() && file.needs_decode_whole) {
    out = ParsedFile(options.kind);
    pos = 0;
    file = StreamedFile();
    stream.decode_whole = true;
    st = StreamRecords(read, file_name, options, stream, consume, &file);
  }
  GOVQM_RETURN_IF_ERROR(st);
  // Parts are unique within themselves; across them, later rows replace earlier ones too.
  out.replaced_in_file +=
      ResolveDuplicates(&out.rows, &out.identity_hashes, &out.rest, &out.rest_hashes);
  out.file_name = file.file_name;
  out.encoding = file.encoding;
  out.format = file.format;
  out.read = file.read;
  out.rejects_header = std::move(file.rejects_header);
  out.ignored_columns = std::move(file.ignored_columns);
  out.warnings = std::move(file.warnings);
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

RejectsRenderer::RejectsRenderer(std::vector<std::string> header, size_t widest, bool any_more)
    : header_(std::move(header)), any_more_(any_more) {
  for (size_t i = header_.size(); i < widest; ++i) header_.push_back(fmt::format("_extra{}", i + 1));
}

void RejectsRenderer::Fields(const std::vector<std::string>& fields, std::string_view more,
                             std::string_view line, std::string_view record,
                             std::string_view column, std::string_view reason,
                             std::string* out) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    AppendCsvField(out, i < fields.size() ? std::string_view(fields[i]) : std::string_view());
    out->push_back(',');
  }
  if (any_more_) {
    AppendCsvField(out, more);
    out->push_back(',');
  }
  for (const std::string_view f : {line, record, column}) {
    AppendCsvField(out, f);
    out->push_back(',');
  }
  AppendCsvField(out, reason);
  out->push_back('\n');
}

void RejectsRenderer::Header(std::string* out) const {
  Fields(header_, "_more", "_line", "_record", "_column", "_reason", out);
}

void RejectsRenderer::Row(const Rejection& r, std::string* out) const {
  Fields(r.fields, r.more, std::to_string(r.line), std::to_string(r.record), r.column, r.reason,
         out);
}

std::string RenderRejects(const std::vector<std::string>& rejects_header,
                          const std::vector<Rejection>& rejections) {
  size_t widest = rejects_header.size();
  bool any_more = false;
  for (const Rejection& r : rejections) {
    widest = std::max(widest, r.fields.size());
    any_more = any_more || !r.more.empty();
  }
  const RejectsRenderer renderer(rejects_header, widest, any_more);
  std::string s;
  renderer.Header(&s);
  for (const Rejection& r : rejections) renderer.Row(r, &s);
  return s;
}

std::string RenderRejects(const ParsedFile& parsed) {
  return RenderRejects(parsed.rejects_header, parsed.rejections);
}

}  // namespace govqm

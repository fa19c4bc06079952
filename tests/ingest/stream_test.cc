// StreamRecords: a file read a block at a time must give what one read of the whole file
// gives, whatever the block size. The expected rows, lines and record numbers are tracked by
// the tests while they write the input, independently of the reader.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/time_zone.h"
#include "ingest/importer.h"

namespace govqm {
namespace {

const FixedOffsetZone kShanghai(8 * kMsPerHour);

struct Streamed {
  Status status;
  StreamedFile file;
  std::vector<std::string> ids;  // valid rows' ids in the order handed over
  std::vector<std::tuple<int64_t, int64_t, std::string>> rejects;  // line, record, column
  int64_t replaced_in_parts = 0;
  int parts = 0;
};

Streamed Stream(const std::string& bytes, const std::string& name, Kind kind, size_t block,
                size_t split, Encoding encoding = Encoding::kAuto) {
  ParseOptions options;
  options.kind = kind;
  options.zone = &kShanghai;
  options.encoding = encoding;
  StreamOptions stream;
  stream.block_bytes = block;
  stream.split_bytes = split;
  size_t pos = 0;
  const ReadBytesFn read = [&](char* out, size_t n) -> Result<size_t> {
    const size_t got = std::min(n, bytes.size() - pos);
    std::memcpy(out, bytes.data() + pos, got);
    pos += got;
    return got;
  };
  Streamed s;
  const ConsumePartFn consume = [&](ParsedPart& part) {
    ++s.parts;
    s.replaced_in_parts += part.replaced_in_part;
    for (const Table* t : {&part.first, &part.second}) {
      EXPECT_EQ(t == &part.first ? part.first_hashes.size() : part.second_hashes.size(), t->rows());
      for (size_t r = 0; r < t->rows(); ++r) s.ids.emplace_back(t->col(0).TextAt(r));
    }
    for (const Rejection& r : part.rejections) s.rejects.emplace_back(r.line, r.record, r.column);
    return Status::Ok();
  };
  s.status = StreamRecords(read, name, options, stream, consume, &s.file);
  return s;
}

// Transactions with every line-break shape the reader knows: LF and CRLF, a quoted window
// code spanning two or three lines, blank lines, a rejected record every 7th, and ids that
// repeat (the later wins within a part; across parts the store replaces, so here both stay).
// The ids in order, each kept at its last occurrence only.
std::vector<std::string> LastOfEach(const std::vector<std::string>& ids) {
  std::map<std::string, size_t> last;
  for (size_t i = 0; i < ids.size(); ++i) last[ids[i]] = i;
  std::vector<std::string> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (last[ids[i]] == i) out.push_back(ids[i]);
  }
  return out;
}

struct Generated {
  std::string csv;
  std::vector<std::tuple<int64_t, int64_t, std::string>> rejects;
  int64_t records = 0;
  std::vector<std::string> valid_ids;  // in file order, repeats included
};

Generated MakeCsv(int n) {
  Generated g;
  g.csv = "id,region_code,channel,submitted_at,status,window_code\r\n";
  int64_t line = 2;
  for (int i = 0; i < n; ++i) {
    const std::string id = "t" + std::to_string(i % 97 == 96 ? i - 50 : i);  // some repeat
    const bool bad = i % 7 == 3;
    ++g.records;
    if (bad) {
      g.rejects.emplace_back(line, g.records, "status");
    } else {
      g.valid_ids.push_back(id);
    }
    std::string row = id + ",450100,web,2024-03-01T09:00:00+08:00," +
                      (bad ? std::string("nope") : std::string("in_progress")) + ",";
    int64_t lines = 1;
    if (i % 5 == 0) {
      row += "\"hall\nwindow, " + std::to_string(i) + "\"";
      lines = 2;
    } else if (i % 11 == 0) {
      row += "\"a\r\nb\nc\"";
      lines = 3;
    } else {
      row += "W" + std::to_string(i % 3);
    }
    row += i % 2 ? "\r\n" : "\n";
    if (i % 13 == 0) {
      row += "\n";  // a blank line: skipped, but counted
      ++lines;
    }
    g.csv += row;
    line += lines;
  }
  return g;
}

TEST(StreamRecordsTest, AnyBlockSizeGivesTheSameRowsLinesAndRecords) {
  const Generated g = MakeCsv(3000);
  for (const size_t block : {size_t{7}, size_t{64}, size_t{333}, size_t{4096}, size_t{1} << 24}) {
    for (const size_t split : {size_t{1}, size_t{1} << 30}) {
      SCOPED_TRACE("block " + std::to_string(block) + ", split " + std::to_string(split));
      const Streamed s = Stream(g.csv, "tx.csv", Kind::kTransactions, block, split);
      ASSERT_TRUE(s.status.ok()) << s.status.message();
      EXPECT_EQ(s.file.read, g.records);
      EXPECT_EQ(s.rejects, g.rejects);
      // A repeat in the same part replaced its earlier row (a repeat across parts is the
      // store's to replace): so what was handed over, with later repeats winning, is the
      // file's valid rows with later repeats winning, in file order.
      EXPECT_EQ(static_cast<int64_t>(s.ids.size()) + s.replaced_in_parts,
                static_cast<int64_t>(g.valid_ids.size()));
      EXPECT_EQ(LastOfEach(s.ids), LastOfEach(g.valid_ids));
      if (block >= (size_t{1} << 24)) {
        EXPECT_EQ(s.parts, 1);
      }
    }
  }
}

TEST(StreamRecordsTest, SmallBlocksMakeManyPartsInFileOrder) {
  std::string csv = "id,region_code,channel,submitted_at,status\n";
  for (int i = 0; i < 400; ++i) csv += "x" + std::to_string(i) + ",450100,web,2024-03-01,in_progress\n";
  const Streamed s = Stream(csv, "tx.csv", Kind::kTransactions, 100, 1);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  EXPECT_GT(s.parts, 50);
  ASSERT_EQ(s.ids.size(), 400u);
  for (int i = 0; i < 400; ++i) EXPECT_EQ(s.ids[i], "x" + std::to_string(i));
}

TEST(StreamRecordsTest, AnUnterminatedQuoteNamesItsLineWhateverTheBlocks) {
  // Line 3 opens a quote that never closes.
  const std::string csv =
      "id,region_code,channel,submitted_at,status,window_code\n"
      "a,450100,web,2024-03-01,in_progress,W1\n"
      "b,450100,web,2024-03-01,in_progress,\"W2\n"
      "c,450100,web,2024-03-01,in_progress,W3\n";
  for (const size_t block : {size_t{5}, size_t{50}, size_t{1} << 20}) {
    const Streamed s = Stream(csv, "tx.csv", Kind::kTransactions, block, 1);
    EXPECT_EQ(s.status.message(), "tx.csv: line 3: unterminated quoted field") << block;
  }
}

TEST(StreamRecordsTest, NdjsonLinesAcrossBlocks) {
  std::string text;
  std::vector<std::tuple<int64_t, int64_t, std::string>> expected;
  int64_t line = 0, record = 0;
  for (int i = 0; i < 300; ++i) {
    ++line;
    if (i % 17 == 0) {
      text += "\n";  // blank: skipped, counted
      ++line;
    }
    ++record;
    const bool bad = i % 10 == 4;
    text += "{\"id\":\"e" + std::to_string(i) + "\",\"region_code\":\"450100\",\"evaluated_at\":"
            "\"2024-03-01\",\"score\":" + (bad ? "9" : "4") + "}\n";
    if (bad) expected.emplace_back(line, record, "score");
  }
  for (const size_t block : {size_t{40}, size_t{1000}, size_t{1} << 20}) {
    const Streamed s = Stream(text, "ev.ndjson", Kind::kEvaluations, block, 1);
    ASSERT_TRUE(s.status.ok()) << s.status.message();
    EXPECT_EQ(s.file.format, "ndjson");
    EXPECT_EQ(s.file.read, 300);
    EXPECT_EQ(s.rejects, expected) << block;
    EXPECT_EQ(s.ids.size(), 270u);
  }
}

TEST(StreamRecordsTest, BytesThatAreNotUtf8LaterOn) {
  std::string csv = "id,region_code,evaluated_at,score,comment\n";
  for (int i = 0; i < 1000; ++i) csv += "e" + std::to_string(i) + ",450100,2024-03-01,4,ok\n";
  csv += "e1000,450100,2024-03-01,4,caf\xE9\n";  // line 1002: Latin-1
  // Auto: the parts before stand, and the caller is told to read the file whole.
  Streamed s = Stream(csv, "ev.csv", Kind::kEvaluations, 200, 1);
  EXPECT_FALSE(s.status.ok());
  EXPECT_TRUE(s.file.needs_decode_whole);
  EXPECT_GT(s.parts, 0);
  // Said to be UTF-8: refused, naming the line.
  s = Stream(csv, "ev.csv", Kind::kEvaluations, 200, 1, Encoding::kUtf8);
  EXPECT_EQ(s.status.message(),
            "ev.csv:1002: not valid UTF-8 (byte 0xE9); if the file is GB18030/GBK or Latin-1, "
            "pass --encoding");
  // Read whole as Latin-1: every row, converted.
  s = Stream(csv, "ev.csv", Kind::kEvaluations, 200, 1, Encoding::kLatin1);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  EXPECT_EQ(s.file.encoding, "Latin-1");
  EXPECT_EQ(s.ids.size(), 1001u);
  // ParseRecords does the retry itself (auto): the whole file, detected.
  ParseOptions options;
  options.kind = Kind::kEvaluations;
  options.zone = &kShanghai;
  auto whole = ParseRecords(csv, "ev.csv", options);
  // "caf\xE9\n" is not convincingly GB18030 (ToUtf8's rule), so auto refuses, naming the line.
  ASSERT_FALSE(whole.ok());
  EXPECT_NE(whole.status().message().find("ev.csv:1002: not valid UTF-8"), std::string::npos)
      << whole.status().message();
}

TEST(StreamRecordsTest, ABomOnlyCountsAtTheStart) {
  const std::string csv =
      "\xEF\xBB\xBFid,region_code,channel,submitted_at,status\n"
      "a,450100,web,2024-03-01,in_progress\n";
  const Streamed s = Stream(csv, "tx.csv", Kind::kTransactions, 8, 1);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  ASSERT_EQ(s.ids.size(), 1u);
  EXPECT_EQ(s.ids[0], "a");
}

// Regression (fuzzing): a header field with a "" escape lives in the reader's own buffer, which
// was gone by the time the header was read; the ignored column keeps its quote.
TEST(StreamRecordsTest, AHeaderWithAnEscapedQuote) {
  const std::string csv =
      "id,region_code,channel,submitted_at,status,\"x\"\"y\"\n"
      "a,450100,web,2024-03-01,in_progress,1\n";
  const Streamed s = Stream(csv, "tx.csv", Kind::kTransactions, 1 << 20, 1 << 20);
  ASSERT_TRUE(s.status.ok()) << s.status.message();
  EXPECT_EQ(s.file.ignored_columns, std::vector<std::string>{"x\"y"});
  EXPECT_EQ(s.ids, std::vector<std::string>{"a"});
}

}  // namespace
}  // namespace govqm

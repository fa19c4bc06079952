// ParseRecords: one file in, a validated table and its rejections out. Expected values here are
// worked out by hand from domain.md §2 and the reason texts, never copied from output.
#include "ingest/importer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <tuple>
#include <vector>

#include "core/time_zone.h"
#include "ingest/csv_reader.h"
#include "ingest/mapping.h"
#include "platform/tz.h"

namespace govqm {
namespace {

const FixedOffsetZone kShanghai(8 * kMsPerHour);

constexpr const char* kTxHeader =
    "id,region_code,channel,submitted_at,accepted_at,completed_at,reported_at,status,visits,"
    "wait_minutes,applicant_age\n";

ParsedFile Parse(Kind kind, const std::string& text, const std::string& name = "f.csv",
                 const ColumnMapping* mapping = nullptr) {
  ParseOptions options;
  options.kind = kind;
  options.zone = &kShanghai;
  options.mapping = mapping;
  auto r = ParseRecords(text, name, options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r.value()) : ParsedFile(kind);
}

using Reject = std::tuple<int64_t, std::string, std::string>;  // line, column, reason

std::vector<Reject> Rejects(const ParsedFile& f) {
  std::vector<Reject> out;
  for (const Rejection& r : f.rejections) out.emplace_back(r.line, r.column, r.reason);
  return out;
}

size_t Rows(const ParsedFile& f) { return f.rows.rows() + f.rest.rows(); }

// Regression (issue 8): "negative value: '1e308'" for a value too large, "not an integer:
// '2147483648'" for an integer too large. Each reason now names the bound that was crossed.
TEST(ParseRecordsTest, RegressionNumberReasonsSayWhatIsWrong) {
  const std::string text = std::string(kTxHeader) +
      "a,450100,web,2024-03-01,,,,in_progress,2147483648,,\n"     // 2: int32 max + 1
      "b,450100,web,2024-03-01,,,,in_progress,,1e308,\n"          // 3: a double, above 1e300
      "c,450100,web,2024-03-01,,,,in_progress,,1e999999,\n"       // 4: no double at all
      "d,450100,web,2024-03-01,,,,in_progress,,-1,\n"             // 5: below 0
      "e,450100,web,2024-03-01,,,,in_progress,-2147483649,,\n"    // 6: below int32 min
      "f,450100,web,2024-03-01,,,,in_progress,3.5,,\n"            // 7: not an integer
      "g,450100,web,2024-03-01,,,,in_progress,,,200\n"            // 8: age is 0-130
      "h,450100,web,2024-03-01,,,,in_progress,,1e-999,\n"         // 9: too small for a double
      "i,450100,web,2024-03-01,,,,in_progress,2147483647,0,130\n";  // 10: all at the bounds
  const ParsedFile f = Parse(Kind::kTransactions, text);
  const std::vector<Reject> want = {
      {2, "visits", "out of range: '2147483648' (max 2147483647)"},
      {3, "wait_minutes", "out of range: '1e308' (max 1e+300)"},
      {4, "wait_minutes", "out of range: '1e999999' (max 1e+300)"},
      {5, "wait_minutes", "negative value: '-1'"},
      {6, "visits", "negative value: '-2147483649'"},
      {7, "visits", "not an integer: '3.5'"},
      {8, "applicant_age", "outside 0–130: '200'"},
      {9, "wait_minutes",
       "out of range: '1e-999' (too close to zero for a double; write 0 if 0 is meant)"},
  };
  EXPECT_EQ(Rejects(f), want);
  EXPECT_EQ(Rows(f), 1u);
  // Unbounded reals (org values) name the bound on either side.
  const ParsedFile org = Parse(Kind::kOrg,
                               "unit_code,period,block,indicator,value\n"
                               "u,2024,assurance,x,-1e999\n"
                               "u,2024,assurance,y,1e301\n");
  const std::vector<Reject> want_org = {
      {2, "value", "out of range: '-1e999' (min -1e+300)"},
      {3, "value", "out of range: '1e301' (max 1e+300)"},
  };
  EXPECT_EQ(Rejects(org), want_org);
}

// Regression (issue 8): years 0000 and 0001 were accepted as times.
TEST(ParseRecordsTest, RegressionYearsOutside1900To2999AreRejected) {
  const std::string text = std::string(kTxHeader) +
      "a,450100,web,0001-01-01,,,,in_progress,,,\n"
      "b,450100,web,0000-01-01T00:00:00Z,,,,in_progress,,,\n"
      "c,450100,web,1899-12-31 23:59:59,,,,in_progress,,,\n"
      "d,450100,web,3000-01-01,,,,in_progress,,,\n"
      "e,450100,web,1900-01-01,,,,in_progress,,,\n"          // the bounds themselves load
      "f,450100,web,2999-12-31T23:59:59+08:00,,,,in_progress,,,\n"
      "g,450100,web,2024-03-01,9999-12-31,,,in_progress,,,\n";
  const ParsedFile f = Parse(Kind::kTransactions, text);
  const std::vector<Reject> want = {
      {2, "submitted_at", "year 0001 is outside 1900–2999: '0001-01-01'"},
      {3, "submitted_at", "year 0000 is outside 1900–2999: '0000-01-01T00:00:00Z'"},
      {4, "submitted_at", "year 1899 is outside 1900–2999: '1899-12-31 23:59:59'"},
      {5, "submitted_at", "year 3000 is outside 1900–2999: '3000-01-01'"},
      {8, "accepted_at", "year 9999 is outside 1900–2999: '9999-12-31'"},
  };
  EXPECT_EQ(Rejects(f), want);
  ASSERT_EQ(Rows(f), 2u);
  // 1900-01-01 00:00 at +08:00 is 1899-12-31T16:00Z: days from 1970 = -25567, less 8 hours.
  EXPECT_EQ(f.rows.col(tx_col::kSubmittedAt).times[0], -25567 * kMsPerDay - 8 * kMsPerHour);

  // A mapping's strftime format is held to the same years.
  ColumnMapping m;
  m.formats["submitted_at"] = "%d/%m/%Y";
  const ParsedFile g = Parse(Kind::kTransactions,
                             std::string(kTxHeader) + "a,450100,web,01/01/0001,,,,in_progress,,,\n",
                             "g.csv", &m);
  const std::vector<Reject> want_g = {
      {2, "submitted_at", "year 0001 is outside 1900–2999: '01/01/0001'"}};
  EXPECT_EQ(Rejects(g), want_g);
}

// Regression (issue 8): reported_at before submitted_at was accepted. The order of a case is
// submitted <= accepted <= completed, and it reaches the platform after it is submitted.
TEST(ParseRecordsTest, RegressionTimestampOrder) {
  const std::string text = std::string(kTxHeader) +
      "a,450100,web,2024-03-01 10:00,,,2024-03-01 09:59,in_progress,,,\n"
      "b,450100,web,2024-03-01 10:00,2024-03-01 12:00,2024-03-01 11:00,,completed,,,\n"
      "c,450100,web,2024-03-01 10:00,2024-03-01 09:00,,,in_progress,,,\n"
      "d,450100,web,2024-03-01 10:00,,2024-03-01 02:00:00Z,,completed,,,\n"  // 10:00+08 = 02:00Z
      "e,450100,web,2024-03-01 10:00,2024-03-01 10:00,2024-03-01 10:00,2024-03-01 10:00,completed,,,\n";
  const ParsedFile f = Parse(Kind::kTransactions, text);
  const std::vector<Reject> want = {
      {2, "reported_at", "reported_at is before submitted_at"},
      {3, "completed_at", "completed_at is before accepted_at"},
      {4, "accepted_at", "accepted_at is before submitted_at"},
  };
  EXPECT_EQ(Rejects(f), want);
  EXPECT_EQ(Rows(f), 2u);  // d (equal instants in two spellings) and e (all equal)
}

// Regression (issue 8): one number simdjson's DOM could not hold refused the whole JSON array,
// naming no element. Now each element is read alone: the bad one is rejected, the rest load.
TEST(ParseRecordsTest, RegressionBadNumberInJsonArrayRejectsOnlyThatElement) {
  const std::string text =
      "[\n"
      "  {\"target\": \"a\", \"checked_at\": \"2024-03-01\", \"ok\": true},\n"            // 1, line 2
      "  {\"target\": \"b\", \"checked_at\": \"2024-03-01\", \"ok\": true,\n"
      "   \"latency_ms\": 1e999999},\n"                                                    // 2, line 3
      "  {\"target\": \"c\", \"checked_at\": \"2024-03-01\", \"ok\": true, \"latency_ms\": 01},\n"  // 3, line 5
      "  {\"target\": \"d\", \"checked_at\": \"2024-03-01\", \"ok\": true, \"status_code\": 18446744073709551616},\n"
      "  {\"target\": \"e\", \"checked_at\": \"2024-03-01\" \"ok\": true},\n"             // 5, line 7
      "  {\"target\": \"f\", \"checked_at\": \"2024-03-01\", \"ok\": false, \"latency_ms\": 1.5e2}\n"
      "]\n";
  const ParsedFile f = Parse(Kind::kProbes, text, "probes.json");
  EXPECT_EQ(f.format, "json-array");
  EXPECT_EQ(f.read, 6);
  ASSERT_EQ(f.rejections.size(), 4u);
  EXPECT_EQ(Rejects(f)[0], Reject(2, "latency_ms", "out of range: '1e999999' (max 1e+300)"));
  EXPECT_EQ(Rejects(f)[1], Reject(3, "", "invalid JSON: bad number '01' (line 5)"));
  EXPECT_EQ(Rejects(f)[2],
            Reject(4, "status_code", "outside 0–999: '18446744073709551616'"));
  EXPECT_EQ(f.rejections[3].line, 5);
  EXPECT_EQ(f.rejections[3].reason.rfind("invalid JSON: ", 0), 0u) << f.rejections[3].reason;
  EXPECT_TRUE(f.rejections[3].reason.ends_with(" (line 7)")) << f.rejections[3].reason;
  ASSERT_EQ(Rows(f), 2u);
  EXPECT_EQ(f.rows.col(probe_col::kTarget).CodeAt(0), "a");
  EXPECT_EQ(f.rows.col(probe_col::kTarget).CodeAt(1), "f");
  EXPECT_EQ(f.rows.col(probe_col::kLatencyMs).reals[1], 150.0);
}

TEST(ParseRecordsTest, BadNumberInNdjsonRejectsOnlyThatLine) {
  const std::string text =
      "{\"target\": \"a\", \"checked_at\": \"2024-03-01\", \"ok\": true, \"latency_ms\": 1e999999}\n"
      "{\"target\": \"b\", \"checked_at\": \"2024-03-01\", \"ok\": true, \"latency_ms\": -}\n"
      "{\"target\": \"c\", \"checked_at\": \"2024-03-01\", \"ok\": true}\n";
  const ParsedFile f = Parse(Kind::kProbes, text, "probes.ndjson");
  ASSERT_EQ(f.rejections.size(), 2u);
  EXPECT_EQ(Rejects(f)[0], Reject(1, "latency_ms", "out of range: '1e999999' (max 1e+300)"));
  EXPECT_EQ(f.rejections[1].line, 2);
  EXPECT_EQ(f.rejections[1].reason.rfind("invalid JSON: ", 0), 0u) << f.rejections[1].reason;
  EXPECT_EQ(Rows(f), 1u);
}

TEST(ParseRecordsTest, BrokenJsonArrayStructureRefusesTheFileWithItsLine) {
  ParseOptions options;
  options.kind = Kind::kProbes;
  options.zone = &kShanghai;
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"[{\"id\": \"e1\",]", "a.json: not valid JSON: ']' closes '{' of line 1 (line 1)"},
      {"[\n{\"a\": 1},\n{\"b\": \"x}\n]", "a.json: not valid JSON: unterminated string (line 3)"},
      {"[\n{\"a\": [1, 2}\n]", "a.json: not valid JSON: '}' closes '[' of line 2 (line 2)"},
      {"[{\"a\": 1},\n]", "a.json: not valid JSON: a comma before ']' (line 2)"},
      {"[{\"a\": 1} {\"b\": 2}]", "a.json: not valid JSON: expected ',' or ']' after an element (line 1)"},
      {"[{\"a\": 1}\n\n", "a.json: not valid JSON: the array is not closed (line 3)"},
      {"[{\"a\": 1}] x", "a.json: not valid JSON: text after the array (line 1)"},
      {"[\n\n{\"a\": {\"b\": 1}\n", "a.json: not valid JSON: '{' is not closed (line 3)"},
  };
  for (const Case& c : cases) {
    auto r = ParseRecords(c.text, "a.json", options);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(r.status().message(), c.message) << c.text;
  }
  auto empty = ParseRecords(" [ ] \n", "a.json", options);
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty->read, 0);
}

// Regression (issue 8): aligning a rejected record to the rejects header searched the header
// for every key, so one rejected record of k keys cost k²/2 string compares (100k keys: about
// 5e9, tens of seconds). Lookups are hashed now; this input takes well under a second.
TEST(ParseRecordsTest, RegressionRejectedRecordWithManyKeysIsLinear) {
  constexpr int kKeys = 100000;
  std::string text;
  // Line 1: 100k unknown keys and no target (rejected). Line 2: the second half of those keys
  // again plus 50k new ones (rejected). Line 3: a valid probe.
  for (int line = 0; line < 2; ++line) {
    text += "{";
    for (int k = line * kKeys / 2; k < line * kKeys / 2 + kKeys; ++k) {
      text += (k == line * kKeys / 2 ? "\"k" : ",\"k") + std::to_string(k) + "\":" + std::to_string(k);
    }
    text += "}\n";
  }
  text += "{\"target\": \"a\", \"checked_at\": \"2024-03-01\", \"ok\": true}\n";
  const auto start = std::chrono::steady_clock::now();
  const ParsedFile f = Parse(Kind::kProbes, text, "wide.ndjson");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(f.rejections.size(), 2u);
  EXPECT_EQ(Rejects(f)[0], Reject(1, "target", "required value missing"));
  EXPECT_EQ(Rows(f), 1u);
  // The rejects file gets a column for the first 8 + 256 keys (probes have 8 columns, see
  // RejectsFileOfDistinctKeysStaysLinear); each record's other keys go to its `_more`.
  ASSERT_EQ(f.rejects_header.size(), 264u);
  EXPECT_EQ(f.rejects_header[0], "k0");
  EXPECT_EQ(f.rejects_header[263], "k263");
  ASSERT_EQ(f.rejections[0].fields.size(), 264u);
  EXPECT_EQ(f.rejections[0].fields[263], "263");
  EXPECT_TRUE(f.rejections[0].more.starts_with("{\"k264\":\"264\",\"k265\":\"265\","));
  EXPECT_TRUE(f.rejections[0].more.ends_with(",\"k99999\":\"99999\"}"));
  EXPECT_TRUE(f.rejections[1].fields.empty());  // none of k50000.. has a column
  EXPECT_TRUE(f.rejections[1].more.starts_with("{\"k50000\":\"50000\","));
  EXPECT_TRUE(f.rejections[1].more.ends_with(",\"k149999\":\"149999\"}"));
  EXPECT_EQ(f.ignored_columns.size(), 150000u);
  // Not a timing test (machines vary); a quadratic path would take 10-100x this.
  EXPECT_LT(seconds, 20.0);
}

// Found while fixing the above: the rejects file had a column for every key of every rejected
// record, and every row was padded to all of them, so N one-key records with distinct keys made
// an N x N file (a 10 MB NDJSON file: ~1e12 bytes). Past kMaxExtraRejectsColumns new keys, a
// record's others go to one `_more` column as a JSON object.
TEST(ParseRecordsTest, RejectsFileOfDistinctKeysStaysLinear) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "{\"k" + std::to_string(i) + "\": " + std::to_string(i) + "}\n";
  const ParsedFile f = Parse(Kind::kProbes, text, "keys.ndjson");
  ASSERT_EQ(f.rejections.size(), 1000u);
  // Probes have 8 columns; 8 + 256 keys get a column: k0..k263.
  ASSERT_EQ(f.rejects_header.size(), 264u);
  EXPECT_EQ(f.rejects_header.back(), "k263");
  EXPECT_EQ(f.rejections[263].more, "");
  EXPECT_EQ(f.rejections[264].more, "{\"k264\":\"264\"}");
  EXPECT_TRUE(f.rejections[264].fields.empty());
  const std::string rejects = RenderRejects(f);
  CsvReader reader(rejects);
  CsvRecord rec;
  Status error;
  int records = 0;
  while (reader.Next(&rec, &error)) {
    ASSERT_EQ(rec.fields.size(), 264u + 5u);  // the keys, _more, _line, _record, _column, _reason
    if (records == 0) {
      EXPECT_EQ(rec.fields[264], "_more");
    }
    if (records == 265) {
      EXPECT_EQ(rec.fields[264], "{\"k264\":\"264\"}");
      EXPECT_EQ(rec.fields[265], "265");
    }
    ++records;
  }
  EXPECT_EQ(records, 1001);
  EXPECT_LT(rejects.size(), 1000u * 400u);  // ~310 bytes a row (264 empty fields), not 1000 fields
}

TEST(ParseRecordsTest, LongCsvRowKeepsItsRestInMore) {
  std::string text = "target,checked_at,ok\n";
  for (int i = 0; i < 303; ++i) text += (i ? ",f" : "f") + std::to_string(i);
  text += "\n";
  const ParsedFile f = Parse(Kind::kProbes, text);
  ASSERT_EQ(f.rejections.size(), 1u);
  EXPECT_EQ(f.rejections[0].reason, "has 303 fields, the header has 3");
  ASSERT_EQ(f.rejections[0].fields.size(), 3u + 256u);
  EXPECT_EQ(f.rejections[0].fields.back(), "f258");
  std::string more;
  for (int i = 259; i < 303; ++i) more += (i > 259 ? ",f" : "f") + std::to_string(i);
  EXPECT_EQ(f.rejections[0].more, more);
}

// ---- Column mapping features (ingest/mapping.h, docs/MAPPING.md). Expected values by hand:
// times are read in the test's zone (Shanghai, UTC+8, unless said) and printed in UTC.

ColumnMapping Map(const std::string& toml, Kind kind = Kind::kTransactions) {
  auto m = ParseMapping(toml, "map.toml", GetKindDef(kind));
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? std::move(m.value()) : ColumnMapping();
}

Result<ParsedFile> TryParse(Kind kind, const std::string& text, const std::string& name,
                            const ColumnMapping* mapping, const TimeZone& zone = kShanghai) {
  ParseOptions options;
  options.kind = kind;
  options.zone = &zone;
  options.mapping = mapping;
  return ParseRecords(text, name, options);
}

// Rows' values of one column, as FieldText prints them ("" = null).
std::vector<std::string> Values(const ParsedFile& f, int column) {
  std::vector<std::string> out;
  for (size_t i = 0; i < f.rows.rows(); ++i) out.push_back(f.rows.FieldText(i, column));
  return out;
}

// completed_at = [closed_date, resolution_date]: the first source whose cell is not blank (a
// cell of spaces is blank) wins, even when its value is then rejected; a rejection names the
// source column the value came from, or every fallback when all were blank.
TEST(MappingFeaturesTest, FallbackColumnTakesTheFirstNonBlankCell) {
  const ColumnMapping m = Map(
      "[columns]\nid = \"key\"\nregion_code = \"boro\"\n"
      "completed_at = [\"closed_date\", \"resolution_date\"]\n");
  const std::string text =
      "key,boro,channel,submitted_at,status,closed_date,resolution_date\n"
      "a,X,web,2024-03-01 09:00,completed,2024-03-02 10:00,2024-03-03 11:00\n"  // 2: closed
      "b,X,web,2024-03-01 09:00,completed,,2024-03-03 11:00\n"                  // 3: resolution
      "c,X,web,2024-03-01 09:00,completed,   ,2024-03-04 08:00\n"               // 4: spaces: blank
      "d,X,web,2024-03-01 09:00,completed,,\n"                                  // 5: both blank
      "e,X,web,2024-03-01 09:00,in_progress,,\n"                                // 6: null, fine
      "f,X,web,2024-03-01 09:00,completed,,2024-02-01 00:00\n"                  // 7
      "g,X,web,2024-03-01 09:00,completed,2024-02-01,2024-03-05\n"              // 8: closed wins
      "h,X,web,2024-03-01 09:00,completed,notatime,2024-03-05\n"                // 9
      ",X,web,2024-03-01 09:00,in_progress,,\n"                                 // 10
      "i,X,web,2024-03-01 09:00,done,,\n";                                      // 11
  const ParsedFile f = Parse(Kind::kTransactions, text, "f.csv", &m);
  EXPECT_TRUE(f.warnings.empty());
  const std::vector<Reject> want = {
      {5, "closed_date | resolution_date → completed_at", "required when status is completed"},
      {7, "resolution_date → completed_at", "completed_at is before submitted_at"},
      {8, "closed_date → completed_at", "completed_at is before submitted_at"},
      {9, "closed_date → completed_at", "not an ISO 8601 time: 'notatime'"},
      {10, "key → id", "required value missing"},
      {11, "status", "unknown status 'done' (expected in_progress|completed|rejected|withdrawn)"}};
  EXPECT_EQ(Rejects(f), want);
  EXPECT_EQ(Values(f, tx_col::kId), (std::vector<std::string>{"a", "b", "c", "e"}));
  // 2024-03-02 10:00 +08 = 02:00Z; 2024-03-03 11:00 = 03:00Z; 2024-03-04 08:00 = 00:00Z.
  EXPECT_EQ(Values(f, tx_col::kCompletedAt),
            (std::vector<std::string>{"2024-03-02T02:00:00.000Z", "2024-03-03T03:00:00.000Z",
                                      "2024-03-04T00:00:00.000Z", ""}));
}

// A fallback the header lacks is warned about; a required column is missing only when none of
// its sources is in the header.
TEST(MappingFeaturesTest, FallbackSourcesMissingFromTheHeader) {
  const ColumnMapping m = Map(
      "[columns]\nid = [\"key\", \"Unique Key\"]\n"
      "completed_at = [\"closed_date\", \"resolution_date\"]\n");
  const std::string rows = "2024-03-01 09:00,completed,2024-03-03 11:00\n";
  const ParsedFile f =
      Parse(Kind::kTransactions,
            "Unique Key,region_code,channel,submitted_at,status,resolution_date\nu1,X,web," + rows,
            "f.csv", &m);
  EXPECT_EQ(f.warnings, (std::vector<std::string>{
                            "mapped column 'key' (for id) is not in the header",
                            "mapped column 'closed_date' (for completed_at) is not in the header"}));
  EXPECT_EQ(Values(f, tx_col::kId), std::vector<std::string>{"u1"});
  EXPECT_EQ(Values(f, tx_col::kCompletedAt), std::vector<std::string>{"2024-03-03T03:00:00.000Z"});
  auto missing = TryParse(Kind::kTransactions,
                          "ID,region_code,channel,submitted_at,status,resolution_date\n", "f.csv", &m);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "f.csv: missing required column 'id' (mapped from 'key' or 'Unique Key')");
}

// item_code = { join = [agency, type] }: trimmed parts joined by ':'; a blank part leaves an
// empty segment, all blank = null; [values.item_code] maps the joined value. A source may
// feed two columns (agency: dept_code and the join).
TEST(MappingFeaturesTest, JoinedCodeInCsv) {
  const ColumnMapping m = Map(
      "[columns]\ndept_code = \"agency\"\nitem_code = { join = [\"agency\", \"type\"] }\n"
      "[values.item_code]\n\"NYPD:Noise\" = \"noise\"\n");
  const std::string text =
      "id,region_code,channel,submitted_at,status,agency,type\n"
      "a,X,web,2024-03-01,in_progress,DOT,Pothole\n"
      "b,X,web,2024-03-01,in_progress, DOT , Sign \n"
      "c,X,web,2024-03-01,in_progress,DOT,\n"
      "d,X,web,2024-03-01,in_progress,,Graffiti\n"
      "e,X,web,2024-03-01,in_progress,,  \n"
      "f,X,web,2024-03-01,in_progress,NYPD,Noise\n";
  const ParsedFile f = Parse(Kind::kTransactions, text, "f.csv", &m);
  EXPECT_TRUE(f.rejections.empty());
  EXPECT_TRUE(f.ignored_columns.empty());
  EXPECT_EQ(Values(f, tx_col::kItemCode),
            (std::vector<std::string>{"DOT:Pothole", "DOT:Sign", "DOT:", ":Graffiti", "", "noise"}));
  EXPECT_EQ(Values(f, tx_col::kDeptCode),
            (std::vector<std::string>{"DOT", "DOT", "DOT", "", "", "NYPD"}));
}

TEST(MappingFeaturesTest, JoinedCodeInJsonWithASeparator) {
  const ColumnMapping m = Map(
      "[columns]\ndept_code = \"agency\"\n"
      "item_code = { join = [\"agency\", \"type\"], separator = \" / \" }\n");
  const std::string head = "{\"id\":\"%\",\"region_code\":\"X\",\"channel\":\"web\","
                           "\"submitted_at\":\"2024-03-01\",\"status\":\"in_progress\"";
  auto rec = [&](const char* id, const std::string& rest) {
    std::string r = head;
    r.replace(r.find('%'), 1, id);
    return r + rest + "}\n";
  };
  const std::string text = rec("a", ",\"agency\":\"DOT\",\"type\":\"Pothole\"") +
                           rec("b", ",\"agency\":\"DOT\"") +           // no type key
                           rec("c", "") +                               // neither
                           rec("d", ",\"type\":\"Sign\",\"agency\":7");  // a number as text
  const ParsedFile f = Parse(Kind::kTransactions, text, "f.ndjson", &m);
  EXPECT_TRUE(f.rejections.empty());
  EXPECT_EQ(Values(f, tx_col::kItemCode),
            (std::vector<std::string>{"DOT / Pothole", "DOT /", "", "7 / Sign"}));  // codes are trimmed
  EXPECT_EQ(Values(f, tx_col::kDeptCode), (std::vector<std::string>{"DOT", "DOT", "", "7"}));
}

// [values.region_code] "" = "UNKNOWN": an empty cell, a cell of spaces and (JSON) an absent
// key are blank and take it; without the key they stay blank (here: a required column).
TEST(MappingFeaturesTest, BlankCellMappedToAValue) {
  const ColumnMapping m = Map(
      "[columns]\nregion_code = \"Borough\"\n"
      "[values.Borough]\n\"\" = \"UNKNOWN\"\nUnspecified = \"UNKNOWN\"\n");
  const std::string csv =
      "id,Borough,channel,submitted_at,status\n"
      "a,,web,2024-03-01,in_progress\n"
      "b,   ,web,2024-03-01,in_progress\n"
      "c,Unspecified,web,2024-03-01,in_progress\n"
      "d,QUEENS,web,2024-03-01,in_progress\n";
  const ParsedFile f = Parse(Kind::kTransactions, csv, "f.csv", &m);
  EXPECT_TRUE(f.rejections.empty());
  EXPECT_EQ(Values(f, tx_col::kRegionCode),
            (std::vector<std::string>{"UNKNOWN", "UNKNOWN", "UNKNOWN", "QUEENS"}));
  const ParsedFile j = Parse(Kind::kTransactions,
                             "{\"id\":\"a\",\"channel\":\"web\",\"submitted_at\":\"2024-03-01\","
                             "\"status\":\"in_progress\"}\n",
                             "f.ndjson", &m);
  EXPECT_EQ(Values(j, tx_col::kRegionCode), std::vector<std::string>{"UNKNOWN"});
  const ColumnMapping plain = Map("[columns]\nregion_code = \"Borough\"\n");
  const ParsedFile g = Parse(Kind::kTransactions, csv, "f.csv", &plain);
  EXPECT_EQ(Rejects(g), (std::vector<Reject>{{2, "Borough → region_code", "required value missing"},
                                             {3, "Borough → region_code", "required value missing"}}));
}

// [end_of_day] due_at = true: an exact local 00:00:00(.000) means the next day's midnight, as
// the date alone does; any other time is as written. New York: DST began 2024-03-10 02:00, so
// the end of March 9 is 2024-03-10 00:00 EST (05:00Z) and of March 10 is March 11 00:00 EDT
// (04:00Z): a day of 23 hours, not "+24 h".
TEST(MappingFeaturesTest, MidnightMeansTheEndOfThatDay) {
  auto ny = TzZone::Make("America/New_York");
  ASSERT_TRUE(ny.ok());
  const std::string text =
      "id,region_code,channel,submitted_at,status,due_at,completed_at\n"
      "a,X,web,2024-03-01,in_progress,2024-03-09 00:00:00,03/09/2024 12:00:00 AM\n"
      "b,X,web,2024-03-01,in_progress,2024-03-10 00:00:00.000,03/09/2024 12:00:01 AM\n"
      "c,X,web,2024-03-01,in_progress,2024-03-10 00:00:01,03/09/2024 12:00:00 PM\n"
      "d,X,web,2024-03-01,in_progress,2024-03-10,\n"
      "e,X,web,2024-03-01,in_progress,2024-03-10T00:00:00Z,\n"
      "f,X,web,2024-03-01,in_progress,2024-03-10 12:00,\n"
      "g,X,web,2024-03-01,in_progress,2024-03-10 00:00,\n";
  const ColumnMapping m = Map(
      "[end_of_day]\ndue_at = true\ncompleted_at = true\n"
      "[formats]\ncompleted_at = \"%m/%d/%Y %I:%M:%S %p\"\n");
  auto f = TryParse(Kind::kTransactions, text, "f.csv", &m, **ny);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_TRUE(f->rejections.empty());
  EXPECT_EQ(Values(*f, tx_col::kDueAt),
            (std::vector<std::string>{"2024-03-10T05:00:00.000Z", "2024-03-11T04:00:00.000Z",
                                      "2024-03-10T05:00:01.000Z", "2024-03-11T04:00:00.000Z",
                                      "2024-03-11T00:00:00.000Z", "2024-03-10T16:00:00.000Z",
                                      "2024-03-11T04:00:00.000Z"}));
  // Through a format too: 12:00:00 AM is midnight, 12:00:01 AM and 12:00:00 PM are not.
  EXPECT_EQ(Values(*f, tx_col::kCompletedAt),
            (std::vector<std::string>{"2024-03-10T05:00:00.000Z", "2024-03-09T05:00:01.000Z",
                                      "2024-03-09T17:00:00.000Z", "", "", "", ""}));
  // Without [end_of_day] a midnight is that midnight (the date alone still ends its day).
  const ColumnMapping none;
  auto g = TryParse(Kind::kTransactions,
                    "id,region_code,channel,submitted_at,status,due_at\n"
                    "a,X,web,2024-03-01,in_progress,2024-03-09 00:00:00\n"
                    "d,X,web,2024-03-01,in_progress,2024-03-10\n",
                    "f.csv", &none, **ny);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(Values(*g, tx_col::kDueAt),
            (std::vector<std::string>{"2024-03-09T05:00:00.000Z", "2024-03-11T04:00:00.000Z"}));
}

// A rejection's column: "source → canonical" only when the names differ; a constant's
// rejection names the canonical column; JSON keys the same.
TEST(MappingFeaturesTest, RejectionsNameTheSourceColumn) {
  const ColumnMapping m =
      Map("[columns]\nstatus = \"status\"\nchannel = \"via\"\ncompleted_at = \"closed\"\n");
  const ParsedFile f = Parse(Kind::kTransactions,
                             "id,region_code,via,submitted_at,status,closed\n"
                             "a,X,web,2024-03-01,done,\n"
                             "b,X,,2024-03-01,in_progress,\n",
                             "f.csv", &m);
  EXPECT_EQ(Rejects(f),
            (std::vector<Reject>{
                {2, "status", "unknown status 'done' (expected in_progress|completed|rejected|withdrawn)"},
                {3, "via → channel", "required value missing"}}));
  const ColumnMapping constant = Map("[constants]\napplicant_type = \"alien\"\n");
  const ParsedFile k = Parse(Kind::kTransactions,
                             "id,region_code,channel,submitted_at,status\n"
                             "a,X,web,2024-03-01,in_progress\n",
                             "f.csv", &constant);
  EXPECT_EQ(Rejects(k), (std::vector<Reject>{{2, "applicant_type",
                                              "unknown applicant_type 'alien' (expected person|enterprise)"}}));
  const ParsedFile j = Parse(Kind::kTransactions,
                             "{\"id\":\"a\",\"region_code\":\"X\",\"via\":\"web\","
                             "\"submitted_at\":\"2024-03-02\",\"status\":\"completed\","
                             "\"closed\":\"2024-03-01\"}\n",
                             "f.ndjson", &m);
  EXPECT_EQ(Rejects(j), (std::vector<Reject>{
                            {1, "closed → completed_at", "completed_at is before submitted_at"}}));
}

// With fallbacks, several source fields feed one free-text column: a rejected record's copy
// of each is scrubbed, in CSV and in JSON.
TEST(MappingFeaturesTest, RejectedRecordsScrubEveryFallbackOfAFreeTextColumn) {
  const ColumnMapping m = Map("[columns]\ncomment = [\"remark\", \"note\"]\n", Kind::kEvaluations);
  const ParsedFile f = Parse(Kind::kEvaluations,
                             "id,region_code,evaluated_at,score,remark,note\n"
                             "e1,X,2024-03-01,9,call 13812345678,mail a@b.cn\n",
                             "ev.csv", &m);
  ASSERT_EQ(f.rejections.size(), 1u);
  EXPECT_EQ(RenderRejects(f),
            "id,region_code,evaluated_at,score,remark,note,_line,_record,_column,_reason\n"
            "e1,X,2024-03-01,9,call ***,mail ***,2,1,score,outside 1–5: '9'\n");
  const ParsedFile j = Parse(Kind::kEvaluations,
                             "{\"id\":\"e1\",\"region_code\":\"X\",\"evaluated_at\":\"2024-03-01\","
                             "\"score\":9,\"remark\":\"call 13812345678\",\"note\":\"mail a@b.cn\"}\n",
                             "ev.ndjson", &m);
  ASSERT_EQ(j.rejections.size(), 1u);
  const std::string rejects = RenderRejects(j);
  EXPECT_EQ(rejects.find("13812345678"), std::string::npos) << rejects;
  EXPECT_EQ(rejects.find("a@b.cn"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("call ***,mail ***"), std::string::npos) << rejects;
}

}  // namespace
}  // namespace govqm

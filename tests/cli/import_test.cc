// govqm init / import, end to end through the real program. Expected counts and instants are
// worked out by hand from the small files written here (derivations in the comments).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "cli/cli_harness.h"
#include "store/store.h"

namespace govqm::testing {
namespace {

const char kTxHeader[] =
    "id,item_code,dept_code,region_code,channel,applicant_type,applicant_age,submitted_at,"
    "accepted_at,completed_at,due_at,promised_days,statutory_days,status,visits,"
    "materials_required,materials_exempted,cross_region,wait_minutes,reported_at,window_code\n";

class ImportTest : public CliTest {
 protected:
  void Init(const std::string& tz = "Asia/Shanghai") {
    ASSERT_EQ(Run("init --tz " + tz).exit_code, 0);
  }
  std::unique_ptr<Store> Open() {
    auto s = Store::Open(Path("govqm.db"));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return std::move(s.value());
  }
  int64_t Count(Kind k) { return *Open()->CountRows(k); }
};

TEST_F(ImportTest, InitRefusesUnknownZoneAndExistingStore) {
  RunResult r = Run("init --tz Mars/Olympus");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm init: unknown time zone 'Mars/Olympus'\n");
  Init();
  r = Run("init");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm init: store govqm.db already exists\n");
}

TEST_F(ImportTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run("").exit_code, 2);
  EXPECT_EQ(Run("import").exit_code, 2);
  EXPECT_EQ(Run("import widgets a.csv").exit_code, 2);
  EXPECT_EQ(Run("import transactions a.csv --bogus").exit_code, 2);
  EXPECT_EQ(Run("frobnicate").exit_code, 2);
}

TEST_F(ImportTest, MissingStoreIsBadInput) {
  Write("t.csv", kTxHeader);
  RunResult r = Run("import transactions t.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm import: no store at govqm.db (run 'govqm init' first)\n");
}

TEST_F(ImportTest, BadRowsGoToRejectsFileAndGoodRowsLoad) {
  Init();
  // Line 1 header. Line 2 ok. Line 3 bad status. Lines 4-5: one record with a quoted line
  // break in window_code, completed before submitted. Line 6 negative visits. Line 7 ok.
  // Line 8 bad date (Feb 30). Line 9 exempted > required. Line 10 missing region (required).
  // Line 11 completed without completed_at. Line 12 age 131. Line 13 too few fields.
  std::string csv = kTxHeader;
  csv += "t1,I1,D1,450100,web,person,35,2024-03-01T09:00:00+08:00,,,,,,in_progress,0,,,,,,\n";
  csv += "t2,I1,D1,450100,web,person,35,2024-03-01T09:00:00+08:00,,,,,,done,0,,,,,,\n";
  csv += "t3,I1,D1,450100,hall,person,35,2024-03-02 10:00,,2024-03-01 10:00,,,,completed,1,,,,,,\"W\n1\"\n";
  csv += "t4,I1,D1,450100,hall,person,35,2024-03-02 10:00,,,,,,in_progress,-1,,,,,,\n";
  csv += "t5,I1,D1,450200,app,enterprise,,2024-03-03,,,,,,in_progress,,,,,,,\n";
  csv += "t6,I1,D1,450100,web,person,35,2024-02-30 10:00,,,,,,in_progress,0,,,,,,\n";
  csv += "t7,I1,D1,450100,web,person,35,2024-03-02 10:00,,,,,,in_progress,0,2,3,,,,\n";
  csv += "t8,I1,D1,,web,person,35,2024-03-02 10:00,,,,,,in_progress,0,,,,,,\n";
  csv += "t9,I1,D1,450100,web,person,35,2024-03-02 10:00,,,,,,completed,0,,,,,,\n";
  csv += "t10,I1,D1,450100,web,person,131,2024-03-02 10:00,,,,,,in_progress,0,,,,,,\n";
  csv += "t11,I1,D1\n";
  Write("tx.csv", csv);
  RunResult r = Run("import transactions tx.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"kind\":\"transactions\",\"read\":11,\"loaded\":2,\"replaced\":0,"
                       "\"rejected\":9,\"rejects_file\":\""),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Count(Kind::kTransactions), 2);

  const std::string rejects = Read("tx.rejects.csv");
  auto has = [&](const std::string& s) { return rejects.find(s) != std::string::npos; };
  EXPECT_TRUE(has(",_line,_record,_column,_reason\n"));
  EXPECT_TRUE(has(",3,2,status,unknown status 'done' (expected in_progress|completed|rejected|withdrawn)\n"));
  EXPECT_TRUE(has("\"W\n1\",4,3,completed_at,completed_at is before submitted_at\n"));
  EXPECT_TRUE(has(",6,4,visits,negative value: '-1'\n"));
  EXPECT_TRUE(has(",8,6,submitted_at,not an ISO 8601 time: '2024-02-30 10:00'\n"));
  EXPECT_TRUE(has(",9,7,materials_exempted,more materials exempted (3) than required (2)\n"));
  EXPECT_TRUE(has(",10,8,region_code,required value missing\n"));
  EXPECT_TRUE(has(",11,9,completed_at,required when status is completed\n"));
  EXPECT_TRUE(has(",12,10,applicant_age,outside 0–130: '131'\n"));
  EXPECT_TRUE(has("t11,I1,D1,"));
  EXPECT_TRUE(has(",13,11,,\"has 3 fields, the header has 21\"\n"));  // quoted: it holds a comma

  // Each rejection names its physical line and its record (t3's field spans lines 4-5, so
  // from there on the record is the line less two). Fix the rejects file in place (drop the
  // bad rows but one, correct it) and re-import it: the _line/_record/_column/_reason columns
  // are ignored.
  std::string fixed = rejects.substr(0, rejects.find('\n') + 1);
  fixed += "t2,I1,D1,450100,web,person,35,2024-03-01T09:00:00+08:00,,,,,,completed,0,,,,,,,3,2,status,x\n";
  Write("tx.rejects.csv", fixed);
  r = Run("import transactions tx.rejects.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // status completed without completed_at is still wrong: proves validation runs again.
  EXPECT_NE(r.out.find("\"read\":1,\"loaded\":0,\"replaced\":0,\"rejected\":1"), std::string::npos) << r.out;
  fixed = rejects.substr(0, rejects.find('\n') + 1);
  fixed += "t2,I1,D1,450100,web,person,35,2024-03-01T09:00:00+08:00,,2024-03-05T09:00:00+08:00,,,,completed,0,,,,,,,3,2,status,x\n";
  Write("tx.rejects.csv", fixed);
  r = Run("import transactions tx.rejects.csv --json");
  EXPECT_NE(r.out.find("\"read\":1,\"loaded\":1,\"replaced\":0,\"rejected\":0,\"rejects_file\":null"), std::string::npos) << r.out;
  EXPECT_EQ(Count(Kind::kTransactions), 3);
}

TEST_F(ImportTest, ReimportReplacesNeverDuplicates) {
  Init();
  std::string csv = kTxHeader;
  csv += "a,,,450100,web,,,2024-03-01,,,,,,in_progress,,,,,,,\n";
  csv += "b,,,450100,web,,,2024-03-01,,,,,,in_progress,,,,,,,\n";
  csv += "a,,,450200,web,,,2024-03-01,,,,,,in_progress,,,,,,,\n";  // same id in one file
  Write("t.csv", csv);
  RunResult r = Run("import transactions t.csv --json");
  // 3 read, all valid; the third replaces the first: loaded 3 (accepted), replaced 1.
  EXPECT_NE(r.out.find("\"read\":3,\"loaded\":3,\"replaced\":1,\"rejected\":0"), std::string::npos) << r.out;
  EXPECT_EQ(Count(Kind::kTransactions), 2);
  r = Run("import transactions t.csv --json");
  // Again: a and b replace the stored ones (2) plus the in-file replacement (1).
  EXPECT_NE(r.out.find("\"read\":3,\"loaded\":3,\"replaced\":3,\"rejected\":0"), std::string::npos) << r.out;
  EXPECT_EQ(Count(Kind::kTransactions), 2);
  auto t = Open()->Load(Kind::kTransactions);
  ASSERT_TRUE(t.ok());
  for (size_t i = 0; i < t->rows(); ++i) {
    if (t->col(tx_col::kId).TextAt(i) == "a") {
      EXPECT_EQ(t->col(tx_col::kRegionCode).CodeAt(i), "450200");
    }
  }
  // The indicators see the live rows only (replaced rows sit in older segments, marked):
  // a now in 450200, b in 450100 -> volume 1 each.
  RunResult ind = Run("indicators --from 2024-03-01 --to 2024-04-01 --by region --only volume");
  EXPECT_EQ(ind.out, "region,indicator,value\n450100,volume,1\n450200,volume,1\n");
}

TEST_F(ImportTest, AtomicLoadsAllOrNothing) {
  Init();
  std::string csv = kTxHeader;
  csv += "a,,,450100,web,,,2024-03-01,,,,,,in_progress,,,,,,,\n";
  csv += "b,,,450100,web,,,2024-03-01,,,,,,finished,,,,,,,\n";
  Write("t.csv", csv);
  RunResult r = Run("import transactions t.csv --atomic --json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("\"loaded\":0"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "govqm import: --atomic: 1 rows rejected, nothing loaded (see t.rejects.csv)\n");
  EXPECT_EQ(Count(Kind::kTransactions), 0);
  EXPECT_TRUE(Exists("t.rejects.csv"));
}

TEST_F(ImportTest, FileLevelProblemsRefuseTheFile) {
  Init();
  Write("nocol.csv", "id,region_code,channel,status\nx,450100,web,completed\n");
  RunResult r = Run("import transactions nocol.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm import: nocol.csv: missing required column 'submitted_at'\n");

  Write("empty.csv", "");
  r = Run("import transactions empty.csv --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":0,\"loaded\":0"), std::string::npos);

  Write("header.csv", kTxHeader);
  r = Run("import transactions header.csv --json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":0,\"loaded\":0"), std::string::npos);

  // Latin-1 bytes that are neither UTF-8 nor GB18030 ("\xff" is invalid in both).
  Write("bad.csv", std::string(kTxHeader) + "a,,,450100,web,,,2024-03-01,,,,,,in_progress,,,,,,,\xff\n");
  r = Run("import transactions bad.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm import: bad.csv:2: not valid UTF-8 (byte 0xFF); if the file is "
                   "GB18030/GBK or Latin-1, pass --encoding\n");

  Write("quote.csv", std::string(kTxHeader) + "a,,,450100,web,,,2024-03-01,,,,,,in_progress,,,,,,,\"W1\n");
  r = Run("import transactions quote.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm import: quote.csv: line 2: unterminated quoted field\n");
  EXPECT_EQ(Count(Kind::kTransactions), 0);
}

TEST_F(ImportTest, Gb18030FileIsConverted) {
  Init();
  // "450100,南宁市" in GB18030: 南 = C4CF, 宁 = C4FE, 市 = CAD0.
  Write("regions.csv", "code,name\n450100,\xc4\xcf\xc4\xfe\xca\xd0\n");
  RunResult r = Run("import regions regions.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"encoding\":\"GB18030\""), std::string::npos) << r.out;
  auto t = Open()->Load(Kind::kRegions);
  ASSERT_EQ(t->rows(), 1u);
  EXPECT_EQ(t->col(regions_col::kName).TextAt(0), "南宁市");
}

TEST_F(ImportTest, TimesWithOffsetsZAndLocalZone) {
  Init("Asia/Shanghai");
  std::string csv = kTxHeader;
  // 2024-03-01T09:00:00+08:00 = 01:00Z; 2024-03-01T01:00:00Z; local 09:00 Shanghai = 01:00Z;
  // date only 2024-03-01 = local midnight = 2024-02-29T16:00Z; due_at date only = end of
  // day = 2024-03-01T16:00Z; "+0530" and "-03" forms.
  csv += "a,,,R,web,,,2024-03-01T09:00:00+08:00,,,2024-03-01,,,in_progress,,,,,,,\n";
  csv += "b,,,R,web,,,2024-03-01T01:00:00Z,,,,,,in_progress,,,,,,,\n";
  csv += "c,,,R,web,,,2024-03-01 09:00:00.250,,,,,,in_progress,,,,,,,\n";
  csv += "d,,,R,web,,,2024-03-01,,,,,,in_progress,,,,,,,\n";
  csv += "e,,,R,web,,,2024-03-01T06:30:00+0530,,,,,,in_progress,,,,,,,\n";
  csv += "f,,,R,web,,,2024-02-29T22:00-03,,,,,,in_progress,,,,,,,\n";
  Write("t.csv", csv);
  ASSERT_EQ(Run("import transactions t.csv").exit_code, 0);
  auto t = Open()->Load(Kind::kTransactions);
  std::map<std::string, std::string> got, due;
  for (size_t i = 0; i < t->rows(); ++i) {
    got[std::string(t->col(tx_col::kId).TextAt(i))] = t->FieldText(i, tx_col::kSubmittedAt);
    due[std::string(t->col(tx_col::kId).TextAt(i))] = t->FieldText(i, tx_col::kDueAt);
  }
  EXPECT_EQ(got["a"], "2024-03-01T01:00:00.000Z");
  EXPECT_EQ(got["b"], "2024-03-01T01:00:00.000Z");
  EXPECT_EQ(got["c"], "2024-03-01T01:00:00.250Z");
  EXPECT_EQ(got["d"], "2024-02-29T16:00:00.000Z");
  EXPECT_EQ(got["e"], "2024-03-01T01:00:00.000Z");
  EXPECT_EQ(got["f"], "2024-03-01T01:00:00.000Z");
  EXPECT_EQ(due["a"], "2024-03-01T16:00:00.000Z");

  // --tz overrides the store's zone for that run: 09:00 in UTC is 09:00Z.
  Write("u.csv", std::string(kTxHeader) + "g,,,R,web,,,2024-03-01 09:00,,,,,,in_progress,,,,,,,\n");
  ASSERT_EQ(Run("import transactions u.csv --tz UTC").exit_code, 0);
  t = Open()->Load(Kind::kTransactions);
  for (size_t i = 0; i < t->rows(); ++i) {
    if (t->col(tx_col::kId).TextAt(i) == "g") {
      EXPECT_EQ(t->FieldText(i, tx_col::kSubmittedAt), "2024-03-01T09:00:00.000Z");
    }
  }
}

TEST_F(ImportTest, NdjsonWithBadLineKeepsTheRest) {
  Init();
  Write("ev.ndjson",
        "{\"id\":\"e1\",\"region_code\":\"450100\",\"evaluated_at\":\"2024-03-01T10:00:00+08:00\",\"score\":5,\"real_name\":true}\n"
        "{\"id\":\"e2\",\"region_code\":\"450100\",\"evaluated_at\":\"2024-03-01T10:00:00+08:00\",\"score\":7}\n"
        "not json\n"
        "\n"
        "{\"id\":\"e3\",\"region_code\":\"450100\",\"evaluated_at\":\"2024-03-01T10:00:00+08:00\",\"score\":2,\"real_name\":null,\"extra\":[1,2]}\n");
  RunResult r = Run("import evaluations ev.ndjson --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":4,\"loaded\":2,\"replaced\":0,\"rejected\":2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"ignored_columns\":[\"extra\"]"), std::string::npos) << r.out;
  const std::string rejects = Read("ev.rejects.csv");
  EXPECT_NE(rejects.find(",2,score,outside 1–5: '7'\n"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",3,,"), std::string::npos) << rejects;
  EXPECT_EQ(Count(Kind::kEvaluations), 2);
}

TEST_F(ImportTest, UnknownRegionIsLoadedAndReported) {
  Init();
  Write("regions.csv", "code,name,parent_code,macro_region\n450000,广西,,west\n450100,南宁,450000,\n");
  ASSERT_EQ(Run("import regions regions.csv").exit_code, 0);
  Write("t.csv", std::string(kTxHeader) +
                     "a,,,450100,web,,,2024-03-01,,,,,,in_progress,,,,,,,\n"
                     "b,,,459999,web,,,2024-03-01,,,,,,in_progress,,,,,,,\n");
  RunResult r = Run("import transactions t.csv --json");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\"unknown_codes\":{\"region_code\":{\"rows\":1,\"examples\":[\"459999\"],"
                       "\"distinct\":1,\"no_reference\":false}}"),
            std::string::npos)
      << r.out;
  r = Run("import transactions t.csv");
  EXPECT_NE(r.err.find("warning: 1 rows have a region_code not in the reference data (e.g. 459999); loaded anyway"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Count(Kind::kTransactions), 2);
}

TEST_F(ImportTest, HugeFieldLoads) {
  Init();
  const std::string comment(3 << 20, 'x');  // 3 MiB
  Write("ev.csv", "id,region_code,evaluated_at,score,comment\ne1,450100,2024-03-01,4,\"" + comment + "\"\n");
  RunResult r = Run("import evaluations ev.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto t = Open()->Load(Kind::kEvaluations);
  ASSERT_EQ(t->rows(), 1u);
  EXPECT_EQ(t->col(eval_col::kComment).TextAt(0).size(), comment.size());
}

// A real export nobody on the team wrote: NYC 311, classic CSV form, through a mapping.
// Independent expectations (computed with Python's csv + zoneinfo from the same file):
// 2000 records; 1 rejected — line 1604, id 19944912, "Closed Date" 01/01/1900 is before its
// "Created Date"; 1999 loaded. First record 19937896 created 03/01/2011 02:27:57 PM New York
// (EST, UTC-5) = 2011-03-01T19:27:57Z; its Due Date 03/22/2011 02:27:57 PM is after the DST
// change of 2011-03-13, so EDT (UTC-4) = 18:27:57Z.
TEST_F(ImportTest, Nyc311ThroughMapping) {
  Init();
  const std::string data = TestData("nyc-311/tuplex_311_subset_micro_2011-03.csv");
  const std::string map = std::string(GOVQM_SOURCE_DIR) + "/config/mappings/nyc311-legacy.toml";
  RunResult r = Run("import transactions " + data + " --map " + map + " --json --rejects-dir .");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":2000,\"loaded\":1999,\"replaced\":0,\"rejected\":1"), std::string::npos) << r.out;
  // --rejects-dir keeps the rejects out of the shared (read-only) data folder.
  const std::string rejects = Read("tuplex_311_subset_micro_2011-03.rejects.csv");
  // The rejection names the source column with the canonical one it was mapped to.
  EXPECT_NE(rejects.find(",1604,1603,Closed Date → completed_at,completed_at is before submitted_at\n"),
            std::string::npos)
      << rejects;
  auto t = Open()->Load(Kind::kTransactions);
  ASSERT_EQ(t->rows(), 1999u);
  bool seen = false;
  for (size_t i = 0; i < t->rows(); ++i) {
    if (t->col(tx_col::kId).TextAt(i) != "19937896") continue;
    seen = true;
    EXPECT_EQ(t->FieldText(i, tx_col::kSubmittedAt), "2011-03-01T19:27:57.000Z");
    EXPECT_EQ(t->FieldText(i, tx_col::kDueAt), "2011-03-22T18:27:57.000Z");
    EXPECT_EQ(t->FieldText(i, tx_col::kStatus), "completed");
    EXPECT_EQ(t->FieldText(i, tx_col::kChannel), "hotline");  // PHONE
    EXPECT_EQ(t->FieldText(i, tx_col::kRegionCode), "MANHATTAN");
    EXPECT_EQ(t->FieldText(i, tx_col::kDeptCode), "DOF");
  }
  EXPECT_TRUE(seen);
}

// The SODA API form of NYC 311: ISO local times without offset, read in the mapping's zone.
// Independent: 1000 records, 1 "Closed" without closed_date -> rejected; 999 loaded.
TEST_F(ImportTest, Nyc311ApiFormThroughMapping) {
  Init();
  const std::string data = TestData("nyc-311/coms6111_311_api_2024-04-16.csv");
  const std::string map = std::string(GOVQM_SOURCE_DIR) + "/config/mappings/nyc311-api.toml";
  RunResult r = Run("import transactions " + data + " --map " + map + " --json --rejects-dir .");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":1000,\"loaded\":999,\"replaced\":0,\"rejected\":1"), std::string::npos) << r.out;
  auto t = Open()->Load(Kind::kTransactions);
  for (size_t i = 0; i < t->rows(); ++i) {
    // 60879417 created 2024-04-16T03:03:15.000 New York (EDT, UTC-4) = 07:03:15Z.
    if (t->col(tx_col::kId).TextAt(i) == "60879417") {
      EXPECT_EQ(t->FieldText(i, tx_col::kSubmittedAt), "2024-04-16T07:03:15.000Z");
    }
  }
}

// The mapping features through the program (docs/MAPPING.md). By hand, in Shanghai (UTC+8):
// line 2 closes at its closed_date; line 3 has none and falls back to resolved; line 4 has
// neither while completed: rejected, the rejects file naming both sources; line 5's
// closed_date "N/A" is not blank, so it is the one taken, and [values] makes it null: rejected
// too (the choice is made on the cells as written). Line 2's due date 2024-03-05 00:00:00
// means the end of March 5 = 2024-03-06 00:00 +08 = 2024-03-05T16:00Z, line 3's 00:00:01 is as
// written; line 3's blank borough is UNKNOWN; the item is agency:type. The header lacks the
// mapped `note`.
TEST_F(ImportTest, MappingFeaturesThroughTheProgram) {
  Init();
  Write("m.toml",
        "[columns]\n"
        "id = \"key\"\n"
        "region_code = \"borough\"\n"
        "completed_at = [\"closed_date\", \"resolved\"]\n"
        "item_code = { join = [\"agency\", \"type\"] }\n"
        "window_code = [\"desk\", \"note\"]\n"
        "[values.borough]\n\"\" = \"UNKNOWN\"\n"
        "[values.closed_date]\n\"N/A\" = \"\"\n"
        "[end_of_day]\ndue_at = true\n");
  Write("t.csv",
        "key,borough,channel,submitted_at,status,closed_date,resolved,due_at,agency,type,desk\n"
        "a,QUEENS,web,2024-03-01 09:00,completed,2024-03-02 10:00,,2024-03-05 00:00:00,DOT,Pothole,w1\n"
        "b,,web,2024-03-01 09:00,completed,,2024-03-03 11:00,2024-03-05 00:00:01,DOT,,\n"
        "c,QUEENS,web,2024-03-01 09:00,completed,,,,NYPD,Noise,\n"
        "d,QUEENS,web,2024-03-01 09:00,completed,N/A,2024-03-03 11:00,,NYPD,Noise,\n");
  RunResult r = Run("import transactions t.csv --map m.toml --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":4,\"loaded\":2,\"replaced\":0,\"rejected\":2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"warnings\":[\"mapped column 'note' (for window_code) is not in the header\"]"),
            std::string::npos) << r.out;
  const std::string rejects = Read("t.rejects.csv");
  EXPECT_NE(rejects.find(",4,3,closed_date | resolved → completed_at,required when status is completed\n"),
            std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",5,4,closed_date → completed_at,required when status is completed\n"),
            std::string::npos) << rejects;
  auto t = Open()->Load(Kind::kTransactions);
  ASSERT_EQ(t->rows(), 2u);
  EXPECT_EQ(t->FieldText(0, tx_col::kCompletedAt), "2024-03-02T02:00:00.000Z");
  EXPECT_EQ(t->FieldText(1, tx_col::kCompletedAt), "2024-03-03T03:00:00.000Z");
  EXPECT_EQ(t->FieldText(0, tx_col::kDueAt), "2024-03-05T16:00:00.000Z");
  EXPECT_EQ(t->FieldText(1, tx_col::kDueAt), "2024-03-04T16:00:01.000Z");
  EXPECT_EQ(t->FieldText(0, tx_col::kRegionCode), "QUEENS");
  EXPECT_EQ(t->FieldText(1, tx_col::kRegionCode), "UNKNOWN");
  EXPECT_EQ(t->FieldText(0, tx_col::kItemCode), "DOT:Pothole");
  EXPECT_EQ(t->FieldText(1, tx_col::kItemCode), "DOT:");
  EXPECT_EQ(t->FieldText(0, tx_col::kWindowCode), "w1");
  EXPECT_EQ(t->FieldText(1, tx_col::kWindowCode), "");
}

TEST_F(ImportTest, BadMappingNamesFileAndLine) {
  Init();
  Write("m.toml", "[columns]\nid = \"Key\"\nsubmited_at = \"Created\"\n");
  Write("t.csv", kTxHeader);
  RunResult r = Run("import transactions t.csv --map m.toml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("m.toml:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("submited_at"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace govqm::testing

namespace govqm::testing {
namespace {

TEST_F(CliTest, OrgPeriodsAndBlocksAreChecked) {
  ASSERT_EQ(Run("init").exit_code, 0);
  // Lines 2-5 valid (year, quarter, month, half); 6 bad month; 7 bad block; 8 missing value.
  Write("org.csv",
        "unit_code,period,block,indicator,value,evidence\n"
        "450100,2024,organization,staff_per_window,1.5,roster\n"
        "450100,2024Q1,assurance,training_hours_per_staff,12,\n"
        "450100,2024-03,institution,rules_in_force,40,\n"
        "450100,2024H2,institution,standardized_item_share,0.9,\n"
        "450100,2024-13,institution,rules_in_force,40,\n"
        "450100,2024,supply,rules_in_force,40,\n"
        "450100,2024,institution,rules_in_force,,\n");
  RunResult r = Run("import org org.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":7,\"loaded\":4,\"replaced\":0,\"rejected\":3"), std::string::npos) << r.out;
  const std::string rejects = Read("org.rejects.csv");
  EXPECT_NE(rejects.find(",6,5,period,\"not a period (2024, 2024H1, 2024Q1 or 2024-03): '2024-13'\"\n"),
            std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",7,6,block,unknown block 'supply' (expected organization|assurance|institution)\n"),
            std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",8,7,value,required value missing\n"), std::string::npos) << rejects;
}

}  // namespace
}  // namespace govqm::testing

namespace govqm::testing {
namespace {

// Files over 16 MiB are parsed in two halves at once; results must be those of one pass.
// Every 5000th record has a bad status; every 7th has a window_code with a quoted line
// break (so physical lines run ahead of record numbers). Expected lines are tracked while
// writing, independently of the reader.
TEST_F(CliTest, BigFilesParsedInHalvesKeepLinesAndRows) {
  ASSERT_EQ(Run("init").exit_code, 0);
  std::string csv = "id,region_code,channel,submitted_at,status,window_code\n";
  int64_t line = 2;
  std::vector<std::pair<int64_t, int64_t>> bad_lines;  // (line, record number)
  const int n = 400000;  // ~24 MB
  for (int i = 0; i < n; ++i) {
    const bool bad = i % 5000 == 4999;
    if (bad) bad_lines.emplace_back(line, i + 1);
    csv += "tx" + std::to_string(i) + ",450100,web,2024-03-01T09:00:00+08:00," +
           (bad ? "nope" : "in_progress") + ",";
    if (i % 7 == 0) {
      csv += "\"hall\nwindow " + std::to_string(i % 10) + "\"\n";
      line += 2;
    } else {
      csv += "W" + std::to_string(i % 10) + "\n";
      line += 1;
    }
  }
  // The last record repeats tx1 (first half) with another region: it replaces it.
  csv += "tx1,450200,web,2024-03-01T09:00:00+08:00,in_progress,W9\n";
  ASSERT_GT(csv.size(), 16u << 20);
  Write("big.csv", csv);
  RunResult r = Run("import transactions big.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":400001,\"loaded\":399921,\"replaced\":1,\"rejected\":80"), std::string::npos) << r.out;
  const std::string rejects = Read("big.rejects.csv");
  for (const auto& [l, record] : bad_lines) {
    EXPECT_NE(rejects.find(fmt::format(",{},{},status,", l, record)), std::string::npos) << "line " << l;
  }
  auto store = Store::Open(Path("govqm.db"));
  auto t = (*store)->Load(Kind::kTransactions);
  ASSERT_EQ(t->rows(), 399920u);
  // Row order is file order across the halves; multi-line fields survive intact.
  EXPECT_EQ(t->col(tx_col::kId).TextAt(0), "tx0");
  EXPECT_EQ(t->col(tx_col::kWindowCode).CodeAt(0), "hall\nwindow 0");
  EXPECT_EQ(t->col(tx_col::kId).TextAt(1), "tx2");  // tx1 was replaced by the last record
  EXPECT_EQ(t->col(tx_col::kId).TextAt(t->rows() - 1), "tx1");
  EXPECT_EQ(t->col(tx_col::kRegionCode).CodeAt(t->rows() - 1), "450200");
}

// The middle of the file falls inside one huge quoted field: the split is not a record
// boundary, and the import must notice and read the file in one piece.
TEST_F(CliTest, SplitInsideAQuotedFieldFallsBackToOnePass) {
  ASSERT_EQ(Run("init").exit_code, 0);
  std::string csv = "id,region_code,evaluated_at,score,comment\n";
  csv += "e1,450100,2024-03-01,4,ok\n";
  std::string comment;
  for (int i = 0; i < 400000; ++i) comment += "line " + std::to_string(i) + ",\n";  // ~5.6 MB
  csv += "e2,450100,2024-03-01,5,\"" + comment + comment + comment + comment + "\"\n";  // line 3
  const int64_t lines_in_comment = 4 * 400000;
  csv += "e3,450100,2024-03-01,9,bad\n";  // line 3 + lines_in_comment + 1
  csv += "e4,450100,2024-03-01,1,fine\n";
  ASSERT_GT(csv.size(), 16u << 20);
  Write("ev.csv", csv);
  RunResult r = Run("import evaluations ev.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":4,\"loaded\":3,\"replaced\":0,\"rejected\":1"), std::string::npos) << r.out;
  const std::string rejects = Read("ev.rejects.csv");
  EXPECT_NE(rejects.find(fmt::format(",{},3,score,", 3 + lines_in_comment + 1)), std::string::npos);
  auto store = Store::Open(Path("govqm.db"));
  auto t = (*store)->Load(Kind::kEvaluations);
  ASSERT_EQ(t->rows(), 3u);
  EXPECT_EQ(t->col(eval_col::kComment).TextAt(1).size(), comment.size() * 4);
}

}  // namespace
}  // namespace govqm::testing

namespace govqm::testing {
namespace {

TEST_F(CliTest, HeaderProblemsAreNamed) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("case.csv", "ID,region_code,channel,submitted_at,status\r\na,R,web,2024-03-01,in_progress\r\n");
  RunResult r = Run("import transactions case.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm import: case.csv: missing required column 'id' (the header has 'ID'; "
                   "names must match exactly: rename it or map it with --map)\n");
  Write("dup.csv", "id,region_code,channel,submitted_at,status,id\na,R,web,2024-03-01,in_progress,b\n");
  r = Run("import transactions dup.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "govqm import: dup.csv: column 'id' appears twice in the header (1 and 6)\n");
  // CRLF line ends and a BOM-only file are fine.
  Write("crlf.csv", "id,region_code,channel,submitted_at,status\r\na,R,web,2024-03-01,in_progress\r\n");
  EXPECT_EQ(Run("import transactions crlf.csv").exit_code, 0);
  Write("bom.csv", "\xef\xbb\xbf");
  r = Run("import transactions bom.csv --json");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\"read\":0,\"loaded\":0"), std::string::npos);
}

}  // namespace
}  // namespace govqm::testing

namespace govqm::testing {
namespace {

// A JSON array (what web APIs export) loads element by element; _line is the element number.
TEST_F(CliTest, JsonArrayFilesLoadByElement) {
  ASSERT_EQ(Run("init").exit_code, 0);
  Write("ev.json",
        "[\n  {\"id\": \"e1\", \"region_code\": \"450100\",\n   \"evaluated_at\": \"2024-03-01\", \"score\": 5},\n"
        "  {\"id\": \"e2\", \"region_code\": \"450100\", \"evaluated_at\": \"2024-03-01\", \"score\": 0},\n"
        "  17\n]\n");
  RunResult r = Run("import evaluations ev.json --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":3,\"loaded\":1,\"replaced\":0,\"rejected\":2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"format\":\"json-array\""), std::string::npos);
  const std::string rejects = Read("ev.rejects.csv");
  EXPECT_NE(rejects.find(",2,score,outside 1–5: '0'\n"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",3,,not a JSON object\n"), std::string::npos) << rejects;
  Write("broken.json", "[{\"id\": \"e1\",]");
  r = Run("import evaluations broken.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("govqm import: broken.json: not valid JSON: ", 0), 0u) << r.err;
}

// NYC's SODA API returns a JSON array. Independent (Python json + the same rules): of 1000
// elements, 7 have a closed_date before their created_date (elements 243, 244, 579, 638,
// 768, 896, 996; 579 closed "1900-01-01"); 993 load.
TEST_F(CliTest, Nyc311JsonArrayThroughMapping) {
  ASSERT_EQ(Run("init --tz America/New_York").exit_code, 0);
  const std::string data = TestData("nyc-311/twosix_311_api_2012.json");
  const std::string map = std::string(GOVQM_SOURCE_DIR) + "/config/mappings/nyc311-api.toml";
  RunResult r = Run("import transactions " + data + " --map " + map + " --json --rejects-dir .");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"read\":1000,\"loaded\":993,\"replaced\":0,\"rejected\":7"), std::string::npos) << r.out;
  const std::string rejects = Read("twosix_311_api_2012.rejects.csv");
  for (int element : {243, 244, 579, 638, 768, 896, 996}) {
    EXPECT_NE(rejects.find("," + std::to_string(element) +
                           ",closed_date → completed_at,completed_at is before submitted_at"),
              std::string::npos) << element;
  }
}

}  // namespace
}  // namespace govqm::testing

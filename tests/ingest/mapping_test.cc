#include "ingest/mapping.h"

#include <gtest/gtest.h>

namespace govqm {
namespace {

const KindDef& Tx() { return GetKindDef(Kind::kTransactions); }

std::string ErrorOf(std::string_view toml, const KindDef& kind = Tx()) {
  auto r = ParseMapping(toml, "map.toml", kind);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  return r.status().message();
}

TEST(ParseMappingTest, FullMapping) {
  auto r = ParseMapping(R"(timezone = "America/New_York"

[columns]
id = "Unique Key"
submitted_at = "Created Date"
channel = "Open Data Channel Type"

[values.channel]
PHONE = "hotline"
ONLINE = "web"
UNKNOWN = ""

[formats]
submitted_at = "%m/%d/%Y %I:%M:%S %p"

[constants]
region_code = "NYC"
)",
                        "map.toml", Tx());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ColumnMapping& m = *r;
  EXPECT_EQ(m.timezone, "America/New_York");
  EXPECT_EQ(m.columns.size(), 3u);
  EXPECT_EQ(m.columns.at("id").names, std::vector<std::string>{"Unique Key"});
  EXPECT_EQ(m.columns.at("submitted_at").names, std::vector<std::string>{"Created Date"});
  EXPECT_EQ(m.columns.at("channel").names, std::vector<std::string>{"Open Data Channel Type"});
  ASSERT_EQ(m.values.size(), 1u);
  const auto& ch = m.values.at("channel");
  EXPECT_EQ(ch.size(), 3u);
  EXPECT_EQ(ch.at("PHONE"), "hotline");
  EXPECT_EQ(ch.at("ONLINE"), "web");
  EXPECT_EQ(ch.at("UNKNOWN"), "");
  EXPECT_EQ(m.formats.at("submitted_at"), "%m/%d/%Y %I:%M:%S %p");
  EXPECT_EQ(m.constants.at("region_code"), "NYC");
}

TEST(ParseMappingTest, EmptyMappingAndInlineTables) {
  auto empty = ParseMapping("", "map.toml", Tx());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->columns.empty());
  EXPECT_EQ(empty->timezone, "");
  auto r = ParseMapping("values = { score = { \"\xe5\xb7\xae\" = \"1\", \"1\" = \"5\" } }\n",
                        "m.toml", GetKindDef(Kind::kEvaluations));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->values.at("score").at("\xe5\xb7\xae"), "1");
  EXPECT_EQ(r->values.at("score").at("1"), "5");
}

TEST(ParseMappingTest, SyntaxErrorNamesFileLineAndColumn) {
  const std::string e = ErrorOf("[columns]\nid = \"ID\"\nchannel = @\n");
  EXPECT_EQ(e.rfind("map.toml:3:11: ", 0), 0u) << e;
  EXPECT_GT(e.size(), std::string("map.toml:3:11: ").size());
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(ParseMappingTest, UnknownTopLevelKeyOrSection) {
  EXPECT_EQ(ErrorOf("tz = \"UTC\"\n"), "map.toml:1: unknown top-level key 'tz'");
  EXPECT_EQ(ErrorOf("\n[colums]\nid = \"ID\"\n"), "map.toml:2: unknown section [colums]");
}

TEST(ParseMappingTest, UnknownColumn) {
  EXPECT_EQ(ErrorOf("[columns]\nid = \"ID\"\n\n\nsubmited_at = \"Created\"\n"),
            "map.toml:5: transactions has no column 'submited_at'");
  EXPECT_EQ(ErrorOf("[values.chanel]\nA = \"b\"\n"),
            "map.toml:1: values.chanel: transactions has no column 'chanel' and [columns] maps "
            "none from it; [values.X] takes the canonical column or the source column mapped to "
            "it (here no column is mapped in [columns])");
  EXPECT_EQ(ErrorOf("[constants]\nscore = \"5\"\n"),
            "map.toml:2: transactions has no column 'score'");
}

TEST(ParseMappingTest, NonStringValues) {
  EXPECT_EQ(ErrorOf("[columns]\nid = 3\n"),
            "map.toml:2: columns.id must be a string, an array of strings (fallbacks) or "
            "{ join = [...] }");
  EXPECT_EQ(ErrorOf("[values.score]\n\"\xe5\xb7\xae\" = 1\n", GetKindDef(Kind::kEvaluations)),
            "map.toml:2: values.score.\xe5\xb7\xae must be a string");
  EXPECT_EQ(ErrorOf("timezone = 8\n"), "map.toml:1: timezone must be a string");
  EXPECT_EQ(ErrorOf("columns = \"x\"\n"), "map.toml:1: columns must be a table");
  EXPECT_EQ(ErrorOf("[values]\nchannel = \"web\"\n"), "map.toml:2: values.channel must be a table");
  EXPECT_EQ(ErrorOf("[columns]\nid = \"\"\n"), "map.toml:2: columns.id is empty");
}

TEST(ParseMappingTest, Formats) {
  EXPECT_EQ(ErrorOf("[formats]\nchannel = \"%Y\"\n"),
            "map.toml:2: formats.channel: channel is not a time column");
  EXPECT_EQ(ErrorOf("[formats]\nsubmitted_at = \"%Y-%m-%Q\"\n"),
            "map.toml:2: formats.submitted_at: unknown directive %Q");
  EXPECT_EQ(ErrorOf("[formats]\ndue_at = \"%H:%M\"\n"),
            "map.toml:2: formats.due_at: no year (%Y or %y)");
}

TEST(ParseMappingTest, TimeZone) {
  EXPECT_EQ(ErrorOf("timezone = \"Mars/Olympus\"\n"),
            "map.toml:1: unknown time zone 'Mars/Olympus'");
  auto r = ParseMapping("timezone = \"\"\n", "map.toml", Tx());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->timezone, "");
}

// Found by fuzz_mapping (fuzz/regressions/mapping/zone-name-with-line-break): a TOML string
// may hold a line break, and the message quoting it broke the one-line error contract.
TEST(ParseMappingTest, RegressionQuotedValuesStayOnOneLine) {
  EXPECT_EQ(ErrorOf("timezone = \"America/Los_\\ngeles\"\n"),
            "map.toml:1: unknown time zone 'America/Los_\\ngeles'");
  EXPECT_EQ(ErrorOf("[columns]\n\"a\\tb\\u0001\" = \"x\"\n"),
            "map.toml:2: transactions has no column 'a\\tb\\x01'");
}

TEST(ParseMappingTest, ColumnBothMappedAndConstant) {
  EXPECT_EQ(ErrorOf("[columns]\nregion_code = \"Borough\"\n[constants]\nregion_code = \"NYC\"\n"),
            "map.toml:4: region_code is both in [columns] and [constants]");
}

TEST(ParseMappingTest, EarliestProblemIsReported) {
  // toml++ visits keys alphabetically; the message must still be about line 2, not line 3.
  EXPECT_EQ(ErrorOf("[columns]\nzzz = \"a\"\naaa = \"b\"\n"),
            "map.toml:2: transactions has no column 'zzz'");
}

// [columns] takes a string, an array (fallbacks, in order) or { join = [...], separator }.
TEST(ParseMappingTest, FallbacksAndJoins) {
  auto r = ParseMapping(R"([columns]
completed_at = ["closed_date", "resolution_action_updated_date"]
item_code = { join = ["agency", "complaint_type"] }
dept_code = { join = ["agency", "unit"], separator = " / " }
id = ["unique_key"]
)",
                        "map.toml", Tx());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ColumnSource& done = r->columns.at("completed_at");
  EXPECT_EQ(done.names, (std::vector<std::string>{"closed_date", "resolution_action_updated_date"}));
  EXPECT_FALSE(done.join);
  const ColumnSource& item = r->columns.at("item_code");
  EXPECT_EQ(item.names, (std::vector<std::string>{"agency", "complaint_type"}));
  EXPECT_TRUE(item.join);
  EXPECT_EQ(item.separator, ":");  // the default
  EXPECT_EQ(r->columns.at("dept_code").separator, " / ");
  EXPECT_EQ(r->columns.at("id").names, std::vector<std::string>{"unique_key"});
  EXPECT_FALSE(r->columns.at("id").join);
}

TEST(ParseMappingTest, BadFallbacksAndJoins) {
  EXPECT_EQ(ErrorOf("[columns]\ncompleted_at = []\n"), "map.toml:2: columns.completed_at is empty");
  EXPECT_EQ(ErrorOf("[columns]\ncompleted_at = [\"a\", 3]\n"),
            "map.toml:2: columns.completed_at[1] must be a string");
  EXPECT_EQ(ErrorOf("[columns]\ncompleted_at = [\"a\", \"\"]\n"),
            "map.toml:2: columns.completed_at[1] is empty");
  EXPECT_EQ(ErrorOf("[columns]\ncompleted_at = [\"a\", \"a\"]\n"),
            "map.toml:2: columns.completed_at names 'a' twice");
  // Only code and text columns are joined: a time or a number made of two cells is not one.
  EXPECT_EQ(ErrorOf("[columns]\nsubmitted_at = { join = [\"d\", \"t\"] }\n"),
            "map.toml:2: columns.submitted_at: only a code or text column can be joined from "
            "several columns");
  EXPECT_EQ(ErrorOf("[columns]\nvisits = { join = [\"a\", \"b\"] }\n"),
            "map.toml:2: columns.visits: only a code or text column can be joined from several "
            "columns");
  EXPECT_EQ(ErrorOf("[columns]\nitem_code = { parts = [\"a\", \"b\"] }\n"),
            "map.toml:2: columns.item_code: unknown key 'parts' (a table takes join and separator)");
  EXPECT_EQ(ErrorOf("[columns]\nitem_code = { separator = \"-\" }\n"),
            "map.toml:2: columns.item_code must have join = [source columns]");
  EXPECT_EQ(ErrorOf("[columns]\nitem_code = { join = \"a\" }\n"),
            "map.toml:2: columns.item_code.join must be an array of source column names");
  EXPECT_EQ(ErrorOf("[columns]\nitem_code = { join = [\"a\"], separator = 1 }\n"),
            "map.toml:2: columns.item_code.separator must be a string");
  EXPECT_EQ(ErrorOf("[columns]\nitem_code = 1.5\n"),
            "map.toml:2: columns.item_code must be a string, an array of strings (fallbacks) or "
            "{ join = [...] }");
}

// [values.X] takes the canonical column or the source column [columns] maps to it; the table
// is kept under the canonical name whichever was written.
TEST(ParseMappingTest, ValuesBySourceColumnName) {
  auto r = ParseMapping(R"([columns]
status = "Status"
completed_at = ["Closed Date", "Resolution Date"]

[values.Status]
Closed = "completed"

[values."Resolution Date"]
"N/A" = ""
)",
                        "map.toml", Tx());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->values.size(), 2u);
  EXPECT_EQ(r->values.at("status").at("Closed"), "completed");
  EXPECT_EQ(r->values.at("completed_at").at("N/A"), "");
  // The canonical name still works, with or without a mapping.
  auto c = ParseMapping("[columns]\nstatus = \"Status\"\n[values.status]\nClosed = \"completed\"\n",
                        "map.toml", Tx());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->values.at("status").at("Closed"), "completed");
}

TEST(ParseMappingTest, ValuesNamingNeitherSayWhatIsExpected) {
  // The source name given, but [columns] maps status from another column.
  EXPECT_EQ(ErrorOf("[columns]\nstatus = \"State\"\n\n[values.Status]\nClosed = \"completed\"\n"),
            "map.toml:4: values.Status: transactions has no column 'Status' and [columns] maps "
            "none from it; [values.X] takes the canonical column or the source column mapped to "
            "it (did you mean status, mapped from 'State'?)");
  EXPECT_EQ(ErrorOf("[columns]\nstatus = \"State\"\nchannel = [\"src\", \"via\"]\n"
                    "[values.Kanal]\nA = \"b\"\n"),
            "map.toml:4: values.Kanal: transactions has no column 'Kanal' and [columns] maps "
            "none from it; [values.X] takes the canonical column or the source column mapped to "
            "it (here: channel, mapped from 'src' or 'via'; status, mapped from 'State')");
  // A join's part is not the joined column's source: its values are mapped after joining.
  EXPECT_EQ(ErrorOf("[columns]\nitem_code = { join = [\"agency\", \"type\"] }\n"
                    "[values.type]\nA = \"b\"\n"),
            "map.toml:3: values.type: 'type' is a part of item_code's join; [values.item_code] "
            "maps the joined value (parts joined by ':')");
  EXPECT_EQ(ErrorOf("[values.Status]\nA = \"b\"\n"),
            "map.toml:1: values.Status: transactions has no column 'Status' and [columns] maps "
            "none from it; [values.X] takes the canonical column or the source column mapped to "
            "it (did you mean status?)");
  // One source feeding two columns is ambiguous.
  EXPECT_EQ(ErrorOf("[columns]\nsubmitted_at = \"open_dt\"\naccepted_at = \"open_dt\"\n"
                    "[values.open_dt]\nx = \"\"\n"),
            "map.toml:4: values.open_dt: 'open_dt' is mapped to accepted_at, submitted_at in "
            "[columns]; name the canonical column instead");
  EXPECT_EQ(ErrorOf("[columns]\nstatus = \"Status\"\n[values.Status]\nA = \"completed\"\n"
                    "[values.status]\nB = \"completed\"\n"),
            "map.toml:5: values.status and values.Status both map status");
}

// A key "" maps a blank cell (the row builder applies it to empty and all-space cells).
TEST(ParseMappingTest, BlankSourceValue) {
  auto r = ParseMapping("[values.region_code]\n\"\" = \"UNKNOWN\"\nUnspecified = \"UNKNOWN\"\n",
                        "map.toml", Tx());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->values.at("region_code").at(""), "UNKNOWN");
  EXPECT_EQ(r->values.at("region_code").at("Unspecified"), "UNKNOWN");
}

TEST(ParseMappingTest, EndOfDay) {
  auto r = ParseMapping("[end_of_day]\ndue_at = true\ncompleted_at = false\n", "map.toml", Tx());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->end_of_day, std::unordered_set<std::string>{"due_at"});
  EXPECT_EQ(ErrorOf("[end_of_day]\ndue_at = \"yes\"\n"),
            "map.toml:2: end_of_day.due_at must be true or false");
  EXPECT_EQ(ErrorOf("[end_of_day]\nstatus = true\n"),
            "map.toml:2: end_of_day.status: status is not a time column");
  EXPECT_EQ(ErrorOf("[end_of_day]\ndue = true\n"), "map.toml:2: transactions has no column 'due'");
}

}  // namespace
}  // namespace govqm

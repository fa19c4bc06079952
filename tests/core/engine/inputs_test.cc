// The declaration of what each indicator reads (core/engine/inputs.h), checked against the
// engine by another method than reading its code: on a hand-built dataset in which every
// indicator has a value, each column of each kind is nulled in turn (and each kind emptied),
// and every indicator must change exactly when the column (kind) is declared for it.
#include "core/engine/inputs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "test_util.h"

namespace govqm {
namespace {

using enginetest::AddRow;
using enginetest::Options;

Table& TableOf(Dataset& d, Kind k) {
  switch (k) {
    case Kind::kRegions: return d.regions;
    case Kind::kDepartments: return d.departments;
    case Kind::kItems: return d.items;
    case Kind::kTransactions: return d.transactions;
    case Kind::kEvaluations: return d.evaluations;
    case Kind::kRectifications: return d.rectifications;
    case Kind::kProbes: return d.probes;
    case Kind::kGuides: return d.guides;
    case Kind::kOrg: return d.org;
  }
  return d.org;
}

// Every indicator has a non-null value on this dataset (checked below), so each formula's
// dependence on each column can be seen. Period: March 2024, Shanghai.
Dataset Full() {
  Dataset d;
  AddRow(d.regions, {{"code", "R1"}, {"name", "Region"}, {"macro_region", "west"}});
  AddRow(d.departments, {{"code", "D1"}, {"name", "Dept"}, {"region_code", "R1"}});
  AddRow(d.items, {{"code", "I1"}, {"name", "Item"}, {"dept_code", "D1"},
                   {"statutory_days", "10"}, {"promised_days", "5"}});
  auto tx = [&](const char* id, const char* channel, const char* age, const char* submitted,
                const char* accepted, const char* completed, const char* due,
                const char* promised, const char* status, const char* visits,
                const char* mreq, const char* mex, const char* cross, const char* wait,
                const char* reported) {
    AddRow(d.transactions,
           {{"id", id}, {"item_code", "I1"}, {"dept_code", "D1"}, {"region_code", "R1"},
            {"channel", channel}, {"applicant_type", "person"}, {"applicant_age", age},
            {"submitted_at", submitted}, {"accepted_at", accepted}, {"completed_at", completed},
            {"due_at", due}, {"promised_days", promised}, {"statutory_days", "10"},
            {"status", status}, {"visits", visits}, {"materials_required", mreq},
            {"materials_exempted", mex}, {"cross_region", cross}, {"wait_minutes", wait},
            {"reported_at", reported}, {"window_code", "W1"}});
  };
  // t1 online, elderly, completed on time, rated; t2 at the hall, completed late (overdue
  // from 15 to 20 March), unrated; t3 open and overdue at the end; t4 rejected, overdue.
  tx("t1", "web", "65", "2024-03-02 09:00", "2024-03-02 10:00", "2024-03-05 10:00",
     "2024-03-10", "0", "completed", "0", "4", "2", "true", "", "2024-03-03 09:00");
  tx("t2", "hall", "30", "2024-03-03 09:00", "2024-03-03 09:30", "2024-03-20 12:00",
     "2024-03-15", "5", "completed", "2", "3", "0", "false", "45", "2024-03-05 09:00");
  tx("t3", "hall", "50", "2024-03-04 09:00", "2024-03-04 10:00", "", "2024-03-10", "5",
     "in_progress", "1", "2", "1", "false", "10", "");
  tx("t4", "app", "70", "2024-03-05 09:00", "2024-03-05 09:00", "", "2024-03-08", "5",
     "rejected", "0", "1", "1", "true", "", "");
  auto ev = [&](const char* id, const char* txid, const char* at, const char* score,
                const char* real_name, const char* age, const char* active) {
    AddRow(d.evaluations,
           {{"id", id}, {"transaction_id", txid}, {"region_code", "R1"}, {"dept_code", "D1"},
            {"item_code", "I1"}, {"channel", "web"}, {"evaluated_at", at}, {"score", score},
            {"reasons", "r1"}, {"comment", "text"}, {"real_name", real_name},
            {"evaluator_age", age}, {"active", active}, {"window_code", "W1"},
            {"stage", "handling"}, {"contact", "sealed"}});
  };
  ev("e1", "t1", "2024-03-06 10:00", "5", "false", "65", "true");
  ev("e2", "", "2024-03-07 10:00", "1", "true", "30", "false");  // a case
  ev("e3", "", "2024-03-08 10:00", "2", "true", "62", "true");   // a case
  ev("e4", "", "2024-03-09 10:00", "4", "true", "40", "true");
  auto rect = [&](const char* eid, const char* event, const char* at, const char* score) {
    AddRow(d.rectifications, {{"evaluation_id", eid}, {"event", event}, {"at", at},
                              {"actor", "a"}, {"note", "n"}, {"revisit_score", score}});
  };
  rect("e2", "verified", "2024-03-07 12:00", "");
  rect("e2", "rectified", "2024-03-10 12:00", "");  // within 15 working days
  rect("e2", "revisited", "2024-03-12 12:00", "4");
  rect("e3", "verified", "2024-03-09 12:00", "");
  rect("e3", "rectified", "2024-05-30 12:00", "");  // late
  rect("e3", "revisited", "2024-06-01 12:00", "2");
  auto probe = [&](const char* target, const char* at, const char* ok, const char* latency) {
    AddRow(d.probes, {{"target", target}, {"region_code", "R1"}, {"dept_code", "D1"},
                      {"checked_at", at}, {"ok", ok}, {"latency_ms", latency},
                      {"status_code", "200"}, {"reason", "x"}});
  };
  probe("a", "2024-03-02 10:00", "true", "100");
  probe("a", "2024-03-03 10:00", "false", "");
  probe("b", "2024-03-04 10:00", "true", "300");
  // Guides: item i<k> differs from the platform in key field k only; i8 matches in every
  // field; i9's department publication comes after `to` (not counted while it has a date).
  const std::vector<std::string> base = {"Name", "Law", "Cond", "a;b", "20", "0", "Hall", "123"};
  const std::vector<std::string> other = {"Other", "Law2", "Cond2", "a;c", "30", "5", "Web",
                                          "456"};
  auto guide = [&](const std::string& source, const std::string& item,
                   const std::vector<std::string>& f, const char* published) {
    AddRow(d.guides, {{"source", source}, {"item_code", item}, {"dept_code", "D1"},
                      {"region_code", "R1"}, {"name", f[0]}, {"legal_basis", f[1]},
                      {"conditions", f[2]}, {"materials", f[3]}, {"time_limit_days", f[4]},
                      {"fee", f[5]}, {"location", f[6]}, {"contact", f[7]},
                      {"published_at", published}});
  };
  for (int k = 0; k <= 9; ++k) {
    const std::string item = "i" + std::to_string(k);
    guide("platform", item, base, "2024-01-01");
    std::vector<std::string> dept = base;
    if (k < 8) dept[k] = other[k];
    if (k == 9) dept = other;
    guide("deptA", item, dept, k == 9 ? "2024-05-01" : "2024-02-01");
  }
  AddRow(d.org, {{"unit_code", "D1"}, {"period", "2024Q1"}, {"block", "assurance"},
                 {"indicator", "x"}, {"value", "1"}, {"evidence", "e"}});
  return d;
}

// code -> the row's value: nullopt = no row, {nullopt} = null.
using Values = std::map<std::string, std::optional<std::optional<double>>>;

Values Compute(const Dataset& d) {
  auto rows = ComputeIndicators(d, Options("2024-03-01", "2024-04-01"));
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  Values out;
  for (const IndicatorInfo& info : Catalog()) out[std::string(info.code)] = std::nullopt;
  if (!rows.ok()) return out;
  for (const IndicatorRow& r : *rows) {
    EXPECT_TRUE(r.keys.empty());
    out[std::string(r.indicator)] = r.value;
  }
  return out;
}

void NullColumn(Table& t, int c) {
  Column& col = t.col(c);
  const size_t n = t.rows();
  switch (t.def().columns[c].type) {
    case ColumnType::kTime: std::fill(col.times.begin(), col.times.end(), kNullTime); break;
    case ColumnType::kInt: std::fill(col.ints.begin(), col.ints.end(), kNullInt); break;
    case ColumnType::kReal: std::fill(col.reals.begin(), col.reals.end(), kNullReal); break;
    case ColumnType::kBool:
    case ColumnType::kEnum: std::fill(col.bytes.begin(), col.bytes.end(), kNullBool); break;
    case ColumnType::kCode: std::fill(col.codes.begin(), col.codes.end(), kNullCode); break;
    case ColumnType::kText:
      col.text.clear();
      col.offsets.assign(n + 1, 0);
      break;
  }
}

bool Declared(std::string_view code, Kind kind, std::string_view column) {
  const IndicatorInputs* in = FindIndicatorInputs(code);
  if (in == nullptr) return false;
  for (const KindColumns& kc : in->reads) {
    if (kc.kind != kind) continue;
    return std::find(kc.columns.begin(), kc.columns.end(), column) != kc.columns.end();
  }
  return false;
}

std::string Show(const std::optional<std::optional<double>>& v) {
  if (!v) return "no row";
  if (!*v) return "null";
  return std::to_string(**v);
}

TEST(IndicatorInputs, OneEntryPerCatalogCodeInCatalogOrderNamingRealColumns) {
  const auto catalog = Catalog();
  const auto inputs = AllIndicatorInputs();
  ASSERT_EQ(inputs.size(), catalog.size());
  for (size_t i = 0; i < catalog.size(); ++i) {
    EXPECT_EQ(inputs[i].code, catalog[i].code);
    EXPECT_FALSE(inputs[i].reads.empty()) << inputs[i].code;
    int last_kind = -1;
    for (const KindColumns& kc : inputs[i].reads) {
      EXPECT_GT(static_cast<int>(kc.kind), last_kind) << inputs[i].code << ": kinds in order";
      last_kind = static_cast<int>(kc.kind);
      const KindDef& def = GetKindDef(kc.kind);
      int last_col = -1;
      for (std::string_view c : kc.columns) {
        const int idx = FindColumn(def, c);
        EXPECT_GE(idx, 0) << inputs[i].code << ": " << def.name << " has no column " << c;
        EXPECT_GT(idx, last_col) << inputs[i].code << ": columns in the kind's order";
        last_col = idx;
      }
    }
  }
}

TEST(IndicatorInputs, TheDatasetGivesEveryIndicatorAValue) {
  const Values v = Compute(Full());
  for (const auto& [code, value] : v) {
    EXPECT_TRUE(value.has_value() && value->has_value()) << code << ": " << Show(value);
  }
  // A few by hand, so the dataset is what the comments say.
  EXPECT_DOUBLE_EQ(**v.at("volume"), 4);
  EXPECT_DOUBLE_EQ(**v.at("unrated_rate"), 0.5);       // t1 rated, t2 not
  EXPECT_DOUBLE_EQ(**v.at("open_overdue"), 1);         // t3
  EXPECT_DOUBLE_EQ(**v.at("reply_rate"), 1);           // e2, e3 verified
  EXPECT_DOUBLE_EQ(**v.at("rectification_on_time_rate"), 0.5);
  EXPECT_DOUBLE_EQ(**v.at("revisit_satisfaction"), 0.5);  // 4 yes, 2 no
  EXPECT_DOUBLE_EQ(**v.at("availability"), 2.0 / 3);
  EXPECT_DOUBLE_EQ(**v.at("same_source_rate"), 1.0 / 9);   // i8 of i0..i8
  EXPECT_DOUBLE_EQ(**v.at("field_match_rate"), 64.0 / 72);  // one field off in 8 of 9
  EXPECT_DOUBLE_EQ(**v.at("catalog_coverage"), 9.0 / 10);   // i9's comes after `to`
}

// Where nulling a declared column neither empties the indicator (no row, null) nor zeroes it:
// a null there has a meaning of its own, so the value moves instead. The import summary names
// these columns when they are not loaded (UnfedIndicators).
bool NullHasAMeaning(std::string_view code, std::string_view column) {
  static const std::set<std::pair<std::string_view, std::string_view>> kMeaning = {
      // a transaction without a completed_at or a status is open: it joins the backlog
      {"open_overdue", "completed_at"}, {"open_overdue", "status"},
      // no id to meet, or no transaction_id on any evaluation: every completion is unrated
      {"unrated_rate", "id"}, {"unrated_rate", "transaction_id"},
  };
  if (code == "completeness_rate") return true;  // one field fewer filled: lower, not zero
  // Two empty key fields match; without published_at every publication is the oldest, so
  // another one is the latest.
  if (code == "same_source_rate" || code == "field_match_rate" || code == "catalog_coverage") {
    return column != "source" && column != "item_code";
  }
  return kMeaning.count({code, column}) > 0;
}

TEST(IndicatorInputs, NullingADeclaredColumnChangesTheValueAndNoOtherColumnDoes) {
  const Values full = Compute(Full());
  for (int k = 0; k < kKindCount; ++k) {
    const Kind kind = static_cast<Kind>(k);
    const KindDef& def = GetKindDef(kind);
    for (size_t c = 0; c < def.columns.size(); ++c) {
      Dataset d = Full();
      NullColumn(TableOf(d, kind), static_cast<int>(c));
      const Values v = Compute(d);
      const std::string_view column = def.columns[c].name;
      for (const auto& [code, value] : full) {
        const std::optional<std::optional<double>>& now = v.at(code);
        if (Declared(code, kind, column)) {
          EXPECT_NE(now, value) << code << " declares " << def.name << "." << column
                                << " but does not change when it is null (" << Show(now)
                                << ")";
          const bool emptied = !now.has_value() || !now->has_value() || **now == 0;
          EXPECT_TRUE(emptied || NullHasAMeaning(code, column))
              << code << " with " << def.name << "." << column << " null: " << Show(now);
        } else {
          EXPECT_EQ(now, value) << code << " does not declare " << def.name << "." << column
                                << " but changes when it is null: " << Show(value) << " -> "
                                << Show(now);
        }
      }
    }
  }
}

TEST(IndicatorInputs, EmptyingADeclaredKindEmptiesTheIndicatorAndNoOtherKindChangesIt) {
  const Values full = Compute(Full());
  for (int k = 0; k < kKindCount; ++k) {
    const Kind kind = static_cast<Kind>(k);
    Dataset d = Full();
    TableOf(d, kind) = Table(kind);
    const Values v = Compute(d);
    for (const auto& [code, value] : full) {
      const std::optional<std::optional<double>>& now = v.at(code);
      if (ReadsKind(code, kind)) {
        EXPECT_NE(now, value) << code << " reads " << GetKindDef(kind).name;
        // The traps the outputs then guard against (app: null with a note): a value made
        // although a kind it reads is empty.
        if (now.has_value() && now->has_value()) {
          const bool trap = (code == "unrated_rate" && kind == Kind::kEvaluations) ||
                            (kind == Kind::kRectifications &&
                             (code == "reply_rate" || code == "rectification_rate"));
          EXPECT_TRUE(trap) << code << " without " << GetKindDef(kind).name << ": "
                            << Show(now);
        }
      } else {
        EXPECT_EQ(now, value) << code << " does not read " << GetKindDef(kind).name;
      }
    }
  }
}

TEST(UnfedIndicators, NamesWhatALoadedColumnSetCannotFeed) {
  // A 311 export: transactions with no accepted_at, due_at, visits, materials, waits, reports.
  const std::vector<std::string_view> loaded = {"id", "region_code", "channel",
                                                "submitted_at", "completed_at", "status",
                                                "dept_code", "applicant_age"};
  const auto unfed = UnfedIndicators(Kind::kTransactions, loaded);
  std::map<std::string, std::string> by_code;
  for (const UnfedIndicator& u : unfed) by_code[std::string(u.code)] = u.Text();
  // Worked out from domain.md §3's definitions: each reads the columns named.
  EXPECT_EQ(by_code["avg_handling_days"], "avg_handling_days: accepted_at not loaded");
  EXPECT_EQ(by_code["p90_handling_days"], "p90_handling_days: accepted_at not loaded");
  EXPECT_EQ(by_code["on_time_rate"], "on_time_rate: due_at not loaded");
  EXPECT_EQ(by_code["open_overdue"], "open_overdue: accepted_at and due_at not loaded");
  EXPECT_EQ(by_code["sync_rate"], "sync_rate: reported_at not loaded");
  EXPECT_EQ(by_code["material_exemption_rate"],
            "material_exemption_rate: materials_required and materials_exempted not loaded");
  EXPECT_EQ(by_code["time_compression_rate"],
            "time_compression_rate: promised_days and statutory_days not loaded");
  EXPECT_EQ(by_code["completeness_rate"],
            "completeness_rate: accepted_at, due_at, promised_days, statutory_days, visits and "
            "materials_required not loaded");
  // Fed: their columns are all there.
  for (const char* fed : {"volume", "online_rate", "completed", "unrated_rate",
                          "freshness_hours", "elderly_online_gap"}) {
    EXPECT_EQ(by_code.count(fed), 0u) << fed;
  }
  // Only transaction indicators, in catalog order.
  std::vector<int> order;
  for (const UnfedIndicator& u : unfed) {
    EXPECT_TRUE(ReadsKind(u.code, Kind::kTransactions)) << u.code;
    order.push_back(FindIndicator(u.code));
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  EXPECT_EQ(unfed.size(), 16u);  // counted by hand from the list above
}

TEST(UnfedIndicators, EveryColumnLoadedFeedsEverythingAndReferenceKindsFeedNothing) {
  for (int k = 0; k < kKindCount; ++k) {
    const Kind kind = static_cast<Kind>(k);
    const std::vector<bool> all(GetKindDef(kind).columns.size(), true);
    EXPECT_TRUE(UnfedIndicators(kind, all).empty()) << GetKindDef(kind).name;
  }
  for (Kind kind : {Kind::kRegions, Kind::kDepartments, Kind::kItems, Kind::kOrg}) {
    EXPECT_TRUE(UnfedIndicators(kind, std::vector<bool>{}).empty());
  }
}

TEST(UnfedIndicators, EvaluationsWithoutTransactionIdOrRealName) {
  const auto unfed = UnfedIndicators(
      Kind::kEvaluations, std::vector<std::string_view>{"id", "region_code", "evaluated_at",
                                                        "score", "active", "evaluator_age"});
  std::vector<std::string> texts;
  for (const UnfedIndicator& u : unfed) texts.push_back(u.Text());
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "unrated_rate: transaction_id not loaded",
                       "reply_rate: real_name not loaded",
                       "rectification_rate: real_name not loaded",
                       "rectification_on_time_rate: real_name not loaded",
                       "revisit_rate: real_name not loaded",
                       "revisit_satisfaction: real_name not loaded",
                   }));
  // The loaded mask by index says the same as the names.
  std::vector<bool> mask(GetKindDef(Kind::kEvaluations).columns.size(), false);
  for (int c : {eval_col::kId, eval_col::kRegionCode, eval_col::kEvaluatedAt, eval_col::kScore,
                eval_col::kActive, eval_col::kEvaluatorAge}) {
    mask[c] = true;
  }
  EXPECT_EQ(UnfedIndicators(Kind::kEvaluations, mask).size(), unfed.size());
}

TEST(LoadedColumns, AColumnWithOneValueIsLoaded) {
  Table t(Kind::kTransactions);
  AddRow(t, {{"id", "a"}, {"region_code", "R1"}, {"channel", "web"},
             {"submitted_at", "2024-03-01 09:00"}, {"status", "in_progress"}});
  AddRow(t, {{"id", "b"}, {"region_code", "R1"}, {"channel", "web"},
             {"submitted_at", "2024-03-01 09:00"}, {"status", "completed"},
             {"completed_at", "2024-03-02 09:00"}, {"visits", "0"}, {"cross_region", "false"},
             {"wait_minutes", "0"}});
  const std::vector<bool> loaded = LoadedColumns(t);
  std::vector<std::string_view> names;
  for (size_t c = 0; c < loaded.size(); ++c) {
    if (loaded[c]) names.push_back(GetKindDef(Kind::kTransactions).columns[c].name);
  }
  // A 0 and a false are values; the columns no row carries are not loaded.
  EXPECT_EQ(names, (std::vector<std::string_view>{"id", "region_code", "channel", "submitted_at",
                                                  "completed_at", "status", "visits",
                                                  "cross_region", "wait_minutes"}));
  EXPECT_EQ(LoadedColumns(Table(Kind::kTransactions)),
            std::vector<bool>(GetKindDef(Kind::kTransactions).columns.size(), false));
  // What the import summary would say of it: the first unfed ones, in catalog order.
  const auto unfed = UnfedIndicators(Kind::kTransactions, loaded);
  ASSERT_GE(unfed.size(), 2u);
  EXPECT_EQ(unfed[0].Text(), "material_exemption_rate: materials_required and "
                             "materials_exempted not loaded");
  EXPECT_EQ(unfed[1].Text(), "instant_rate: promised_days not loaded");
}

TEST(UnfedGroupKeys, KeysWhoseColumnIsMissing) {
  std::vector<bool> loaded(GetKindDef(Kind::kTransactions).columns.size(), true);
  loaded[tx_col::kWindowCode] = false;
  loaded[tx_col::kApplicantAge] = false;
  std::vector<std::string> texts;
  for (const UnfedKey& k : UnfedGroupKeys(Kind::kTransactions, loaded)) texts.push_back(k.Text());
  EXPECT_EQ(texts, (std::vector<std::string>{"--by window: window_code not loaded",
                                             "--by age_band: applicant_age not loaded"}));
  // Probes have neither item, window, channel nor age.
  EXPECT_EQ(GroupKeyColumn(Kind::kProbes, GroupKey::kChannel), "");
  EXPECT_EQ(GroupKeyColumn(Kind::kEvaluations, GroupKey::kAgeBand), "evaluator_age");
}

TEST(AbsentKindNotes, OneNotePerAbsentKindThatTheCodesRead) {
  std::vector<bool> loaded(kKindCount, true);
  loaded[static_cast<int>(Kind::kEvaluations)] = false;
  loaded[static_cast<int>(Kind::kProbes)] = false;
  const std::vector<std::string_view> codes = {"volume", "positive_rate", "unrated_rate",
                                               "reply_rate", "mean_score"};
  const auto notes = AbsentKindNotes(codes, loaded);
  // probes are absent too, but no code given reads them.
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0],
            "no evaluations loaded: the 4 indicators that read them are empty (positive_rate, "
            "mean_score, unrated_rate, reply_rate)");
  EXPECT_TRUE(ReadsAbsentKind("unrated_rate", loaded));
  EXPECT_FALSE(ReadsAbsentKind("volume", loaded));
  EXPECT_EQ(AbsentKindReason("reply_rate", loaded), "no evaluations loaded");
  loaded[static_cast<int>(Kind::kOrg)] = false;
  const auto with_org = AbsentKindNotes({"availability"}, loaded,
                                        {{Kind::kOrg, {"staff_per_window"}}});
  EXPECT_EQ(with_org, (std::vector<std::string>{
                          "no probes loaded: the indicator that reads them is empty "
                          "(availability)",
                          "no org indicators loaded: the indicator that reads them is empty "
                          "(staff_per_window)"}));
}

}  // namespace
}  // namespace govqm

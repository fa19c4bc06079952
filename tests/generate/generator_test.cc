#include "generate/generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/schema.h"
#include "core/time_zone.h"

namespace govqm {
namespace {

namespace fs = std::filesystem;
using Table = std::vector<std::vector<std::string>>;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A minimal RFC 4180 reader (quoted fields may hold commas, quotes and newlines).
Table ReadCsv(const fs::path& path) {
  const std::string text = Slurp(path);
  Table rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

// ISO 8601 as the generator writes it -> UTC ms; a date only is local midnight, or the end of
// the day when end_of_day. No offset = +08:00 (Asia/Shanghai).
int64_t ParseInstant(const std::string& s, bool end_of_day = false) {
  auto num = [&](size_t pos, size_t len) { return std::stoll(s.substr(pos, len)); };
  const int64_t days =
      DaysFromCivil(num(0, 4), static_cast<unsigned>(num(5, 2)), static_cast<unsigned>(num(8, 2)));
  if (s.size() == 10) return (days + (end_of_day ? 1 : 0)) * kMsPerDay - 8 * kMsPerHour;
  int64_t ms = days * kMsPerDay + num(11, 2) * kMsPerHour + num(14, 2) * kMsPerMinute +
               num(17, 2) * kMsPerSecond;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ms += num(pos + 1, 3);
    pos += 4;
  }
  if (pos == s.size()) return ms - 8 * kMsPerHour;
  if (s[pos] == 'Z') return ms;
  EXPECT_EQ(s.substr(pos), "+08:00");
  return ms - 8 * kMsPerHour;
}

fs::path MakeTempDir(const std::string& tag) {
  fs::path dir =
      fs::temp_directory_path() / ("govqm_gen_" + tag + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

constexpr int64_t kScale = 20000;
constexpr Kind kAllKinds[] = {Kind::kRegions,      Kind::kDepartments, Kind::kItems,
                              Kind::kTransactions, Kind::kEvaluations, Kind::kRectifications,
                              Kind::kProbes,       Kind::kGuides,      Kind::kOrg};

std::string FileOf(Kind kind) { return std::string(GetKindDef(kind).name) + ".csv"; }

// One generated province shared by the read-only tests.
class GeneratedProvince : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(MakeTempDir("shared"));
    GenerateOptions o;
    o.out_dir = dir_->string();
    o.scale = kScale;
    o.seed = 7;
    Result<GenerateSummary> r = GenerateProvince(o);
    ASSERT_TRUE(r.ok()) << r.status().message();
    summary_ = new GenerateSummary(*r);
    tables_ = new std::map<Kind, Table>;
    for (Kind k : kAllKinds) (*tables_)[k] = ReadCsv(*dir_ / FileOf(k));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete tables_;
  }
  static const Table& T(Kind k) { return tables_->at(k); }
  // Column values of a table by canonical column index (rows after the header).
  static int Col(Kind k, std::string_view name) {
    const int c = FindColumn(GetKindDef(k), name);
    EXPECT_GE(c, 0) << name;
    return c;
  }

  static fs::path* dir_;
  static GenerateSummary* summary_;
  static std::map<Kind, Table>* tables_;
};
fs::path* GeneratedProvince::dir_ = nullptr;
GenerateSummary* GeneratedProvince::summary_ = nullptr;
std::map<Kind, Table>* GeneratedProvince::tables_ = nullptr;

TEST_F(GeneratedProvince, HeadersAreCanonicalColumnsInSchemaOrder) {
  for (Kind k : kAllKinds) {
    const Table& t = T(k);
    ASSERT_FALSE(t.empty()) << FileOf(k);
    std::vector<std::string> expected;
    for (const ColumnDef& c : GetKindDef(k).columns) expected.emplace_back(c.name);
    EXPECT_EQ(t[0], expected) << FileOf(k);
    for (size_t i = 1; i < t.size(); ++i) {
      ASSERT_EQ(t[i].size(), expected.size()) << FileOf(k) << " record " << i;
    }
  }
}

TEST_F(GeneratedProvince, SummaryCountsMatchFiles) {
  const GenerateSummary& s = *summary_;
  EXPECT_EQ(s.regions + 1, static_cast<int64_t>(T(Kind::kRegions).size()));
  EXPECT_EQ(s.departments + 1, static_cast<int64_t>(T(Kind::kDepartments).size()));
  EXPECT_EQ(s.items + 1, static_cast<int64_t>(T(Kind::kItems).size()));
  EXPECT_EQ(s.transactions + 1, static_cast<int64_t>(T(Kind::kTransactions).size()));
  EXPECT_EQ(s.evaluations + 1, static_cast<int64_t>(T(Kind::kEvaluations).size()));
  EXPECT_EQ(s.rectifications + 1, static_cast<int64_t>(T(Kind::kRectifications).size()));
  EXPECT_EQ(s.probes + 1, static_cast<int64_t>(T(Kind::kProbes).size()));
  EXPECT_EQ(s.guides + 1, static_cast<int64_t>(T(Kind::kGuides).size()));
  EXPECT_EQ(s.org + 1, static_cast<int64_t>(T(Kind::kOrg).size()));
  EXPECT_EQ(s.transactions, kScale);  // exactly the requested count
}

TEST_F(GeneratedProvince, RegionsAreGuangxiWithRealCodes) {
  const Table& t = T(Kind::kRegions);
  std::map<std::string, std::vector<std::string>> by_code;
  for (size_t i = 1; i < t.size(); ++i) by_code[t[i][regions_col::kCode]] = t[i];
  ASSERT_EQ(by_code.size(), t.size() - 1) << "codes are unique";
  ASSERT_TRUE(by_code.count("450000"));
  EXPECT_EQ(by_code["450000"][regions_col::kName], "广西壮族自治区");
  EXPECT_EQ(by_code["450000"][regions_col::kMacroRegion], "west");
  EXPECT_EQ(by_code["450300"][regions_col::kName], "桂林市");
  EXPECT_EQ(by_code["451400"][regions_col::kName], "崇左市");
  EXPECT_EQ(by_code["450103"][regions_col::kName], "青秀区");
  EXPECT_EQ(by_code["450103"][regions_col::kParentCode], "450100");
  int cities = 0, key = 0;
  for (const auto& [code, row] : by_code) {
    if (code != "450000") {
      EXPECT_TRUE(by_code.count(row[regions_col::kParentCode])) << code;
    }
    if (row[regions_col::kParentCode] == "450000") ++cities;
    if (row[regions_col::kKeyCity] == "true") ++key;
  }
  EXPECT_EQ(cities, 14);
  EXPECT_EQ(key, 3);
  for (const char* k : {"450100", "450200", "450300"}) {
    EXPECT_EQ(by_code[k][regions_col::kKeyCity], "true") << k;
  }
}

TEST_F(GeneratedProvince, ReferencesResolve) {
  std::set<std::string> regions, depts, items, txs, evals;
  for (size_t i = 1; i < T(Kind::kRegions).size(); ++i) regions.insert(T(Kind::kRegions)[i][0]);
  for (size_t i = 1; i < T(Kind::kDepartments).size(); ++i) {
    const auto& r = T(Kind::kDepartments)[i];
    depts.insert(r[departments_col::kCode]);
    EXPECT_TRUE(regions.count(r[departments_col::kRegionCode])) << r[0];
  }
  for (size_t i = 1; i < T(Kind::kItems).size(); ++i) {
    const auto& r = T(Kind::kItems)[i];
    items.insert(r[items_col::kCode]);
    EXPECT_TRUE(depts.count(r[items_col::kDeptCode])) << r[0];
    EXPECT_LE(std::stod(r[items_col::kPromisedDays]), std::stod(r[items_col::kStatutoryDays]));
  }
  const Table& tx = T(Kind::kTransactions);
  for (size_t i = 1; i < tx.size(); ++i) {
    const auto& r = tx[i];
    ASSERT_TRUE(txs.insert(r[tx_col::kId]).second) << "duplicate id " << r[tx_col::kId];
    ASSERT_TRUE(regions.count(r[tx_col::kRegionCode])) << r[0];
    ASSERT_TRUE(depts.count(r[tx_col::kDeptCode])) << r[0];
    ASSERT_TRUE(items.count(r[tx_col::kItemCode])) << r[0];
  }
  const Table& ev = T(Kind::kEvaluations);
  int without_tx = 0;
  for (size_t i = 1; i < ev.size(); ++i) {
    const auto& r = ev[i];
    ASSERT_TRUE(evals.insert(r[eval_col::kId]).second) << r[0];
    ASSERT_TRUE(regions.count(r[eval_col::kRegionCode])) << r[0];
    if (r[eval_col::kTransactionId].empty()) {
      ++without_tx;
    } else {
      ASSERT_TRUE(txs.count(r[eval_col::kTransactionId])) << r[0];
    }
  }
  EXPECT_GT(without_tx, 0) << "some ratings come without a case number";
  const Table& rc = T(Kind::kRectifications);
  for (size_t i = 1; i < rc.size(); ++i) {
    ASSERT_TRUE(evals.count(rc[i][rect_col::kEvaluationId])) << i;
  }
  for (size_t i = 1; i < T(Kind::kGuides).size(); ++i) {
    EXPECT_TRUE(items.count(T(Kind::kGuides)[i][guide_col::kItemCode])) << i;
  }
  for (size_t i = 1; i < T(Kind::kProbes).size(); ++i) {
    ASSERT_TRUE(regions.count(T(Kind::kProbes)[i][probe_col::kRegionCode])) << i;
  }
}

TEST_F(GeneratedProvince, TransactionInvariants) {
  const Table& tx = T(Kind::kTransactions);
  const std::set<std::string> channels = {"web", "app", "miniprogram", "hall", "kiosk", "hotline"};
  const std::set<std::string> statuses = {"in_progress", "completed", "rejected", "withdrawn"};
  const int64_t year_from = ParseInstant("2024-01-01");
  const int64_t year_to = ParseInstant("2025-01-01");
  for (size_t i = 1; i < tx.size(); ++i) {
    const auto& r = tx[i];
    SCOPED_TRACE(r[tx_col::kId]);
    ASSERT_TRUE(channels.count(r[tx_col::kChannel]));
    ASSERT_TRUE(statuses.count(r[tx_col::kStatus]));
    const int64_t submitted = ParseInstant(r[tx_col::kSubmittedAt]);
    ASSERT_GE(submitted, year_from);
    ASSERT_LT(submitted, year_to);
    if (r[tx_col::kStatus] == "completed") {
      ASSERT_FALSE(r[tx_col::kCompletedAt].empty());
    }
    if (!r[tx_col::kAcceptedAt].empty()) {
      ASSERT_GE(ParseInstant(r[tx_col::kAcceptedAt]), submitted);
    }
    if (!r[tx_col::kCompletedAt].empty()) {
      ASSERT_GE(ParseInstant(r[tx_col::kCompletedAt]), submitted);
      if (!r[tx_col::kAcceptedAt].empty()) {
        ASSERT_GE(ParseInstant(r[tx_col::kCompletedAt]), ParseInstant(r[tx_col::kAcceptedAt]));
      }
    }
    if (!r[tx_col::kReportedAt].empty()) {
      ASSERT_GE(ParseInstant(r[tx_col::kReportedAt]), submitted);
    }
    if (!r[tx_col::kMaterialsRequired].empty() && !r[tx_col::kMaterialsExempted].empty()) {
      ASSERT_LE(std::stoi(r[tx_col::kMaterialsExempted]), std::stoi(r[tx_col::kMaterialsRequired]));
    }
    if (!r[tx_col::kApplicantAge].empty()) {
      const int age = std::stoi(r[tx_col::kApplicantAge]);
      ASSERT_TRUE(age >= 0 && age <= 130);
    }
    if (!r[tx_col::kWaitMinutes].empty()) {
      ASSERT_TRUE(r[tx_col::kChannel] == "hall" || r[tx_col::kChannel] == "kiosk");
      ASSERT_GE(std::stod(r[tx_col::kWaitMinutes]), 0);
    }
    if (!r[tx_col::kWindowCode].empty()) {
      ASSERT_EQ(r[tx_col::kChannel], "hall");
    }
  }
}

TEST_F(GeneratedProvince, EvaluationAndCaseInvariants) {
  std::map<std::string, std::vector<std::string>> tx_by_id;
  const Table& tx = T(Kind::kTransactions);
  for (size_t i = 1; i < tx.size(); ++i) tx_by_id[tx[i][tx_col::kId]] = tx[i];
  const Table& ev = T(Kind::kEvaluations);
  std::map<std::string, std::pair<int, bool>> score_real;  // id -> score, real_name
  for (size_t i = 1; i < ev.size(); ++i) {
    const auto& r = ev[i];
    SCOPED_TRACE(r[eval_col::kId]);
    const int score = std::stoi(r[eval_col::kScore]);
    ASSERT_TRUE(score >= 1 && score <= 5);
    if (r[eval_col::kActive] == "false") {
      ASSERT_EQ(score, 5) << "default ratings are 5";
    }
    if (score <= 2) {
      EXPECT_FALSE(r[eval_col::kReasons].empty());
    }
    score_real[r[eval_col::kId]] = {score, r[eval_col::kRealName] == "true"};
    if (r[eval_col::kTransactionId].empty()) continue;
    const auto& t = tx_by_id.at(r[eval_col::kTransactionId]);
    ASSERT_EQ(t[tx_col::kStatus], "completed");
    ASSERT_EQ(t[tx_col::kRegionCode], r[eval_col::kRegionCode]);
    ASSERT_EQ(t[tx_col::kDeptCode], r[eval_col::kDeptCode]);
    ASSERT_EQ(t[tx_col::kItemCode], r[eval_col::kItemCode]);
    ASSERT_EQ(t[tx_col::kChannel], r[eval_col::kChannel]);
    const int64_t at = ParseInstant(r[eval_col::kEvaluatedAt]);
    if (r[eval_col::kStage] != "application") {
      ASSERT_GT(at, ParseInstant(t[tx_col::kCompletedAt]));
    }
  }
  const Table& rc = T(Kind::kRectifications);
  std::map<std::string, int64_t> last_at;
  for (size_t i = 1; i < rc.size(); ++i) {
    const auto& r = rc[i];
    const auto& [score, real] = score_real.at(r[rect_col::kEvaluationId]);
    ASSERT_LE(score, 2) << "cases only for bad reviews";
    ASSERT_TRUE(real) << "cases only for real-name reviews";
    const int64_t at = ParseInstant(r[rect_col::kAt]);
    auto [it, first] = last_at.emplace(r[rect_col::kEvaluationId], at);
    if (first) {
      ASSERT_EQ(r[rect_col::kEvent], "assigned");
    } else {
      ASSERT_GT(at, it->second) << "events in time order";
      it->second = at;
    }
    if (r[rect_col::kEvent] == "revisited") {
      const int s = std::stoi(r[rect_col::kRevisitScore]);
      ASSERT_TRUE(s >= 1 && s <= 5);
    } else {
      ASSERT_TRUE(r[rect_col::kRevisitScore].empty());
    }
  }
}

TEST_F(GeneratedProvince, RealismRanges) {
  const Table& tx = T(Kind::kTransactions);
  int64_t n = 0, online = 0, completed = 0, with_due = 0, late = 0, unreported = 0;
  int64_t elderly = 0, elderly_online = 0, zero_visit = 0, visits_known = 0, hall_wait = 0,
          long_wait = 0;
  std::map<std::string, std::pair<int64_t, int64_t>> city_online;  // city -> online, all
  for (size_t i = 1; i < tx.size(); ++i) {
    const auto& r = tx[i];
    ++n;
    const bool on = r[tx_col::kChannel] == "web" || r[tx_col::kChannel] == "app" ||
                    r[tx_col::kChannel] == "miniprogram";
    online += on;
    auto& co = city_online[r[tx_col::kDeptCode].substr(0, 6)];
    co.first += on;
    ++co.second;
    if (!r[tx_col::kApplicantAge].empty() && std::stoi(r[tx_col::kApplicantAge]) >= 60) {
      ++elderly;
      elderly_online += on;
    }
    unreported += r[tx_col::kReportedAt].empty();
    if (!r[tx_col::kVisits].empty()) {
      ++visits_known;
      zero_visit += r[tx_col::kVisits] == "0";
    }
    if (!r[tx_col::kWaitMinutes].empty()) {
      ++hall_wait;
      long_wait += std::stod(r[tx_col::kWaitMinutes]) > 30;
    }
    if (r[tx_col::kStatus] != "completed") continue;
    ++completed;
    if (r[tx_col::kDueAt].empty()) continue;
    ++with_due;
    late += ParseInstant(r[tx_col::kCompletedAt]) > ParseInstant(r[tx_col::kDueAt], true);
  }
  const double online_rate = double(online) / n;
  EXPECT_GT(online_rate, 0.45);
  EXPECT_LT(online_rate, 0.85);
  const double nanning = double(city_online["450100"].first) / city_online["450100"].second;
  const double baise = double(city_online["451000"].first) / city_online["451000"].second;
  EXPECT_GT(nanning, baise + 0.1) << "the capital leads online take-up";
  EXPECT_LT(double(elderly_online) / elderly, online_rate - 0.1) << "elderly online gap";
  EXPECT_GT(double(completed) / n, 0.9);
  const double overdue = double(late) / with_due;
  EXPECT_GT(overdue, 0.005);
  EXPECT_LT(overdue, 0.05);
  EXPECT_GT(double(unreported) / n, 0.005);
  EXPECT_LT(double(unreported) / n, 0.04);
  EXPECT_GT(double(zero_visit) / visits_known, 0.3);
  EXPECT_GT(double(long_wait) / hall_wait, 0.01);
  EXPECT_LT(double(long_wait) / hall_wait, 0.2);

  const Table& ev = T(Kind::kEvaluations);
  int64_t bad = 0, active = 0, with_tx = 0;
  for (size_t i = 1; i < ev.size(); ++i) {
    bad += std::stoi(ev[i][eval_col::kScore]) <= 2;
    active += ev[i][eval_col::kActive] == "true";
    with_tx += !ev[i][eval_col::kTransactionId].empty();
  }
  const double evals = static_cast<double>(ev.size() - 1);
  EXPECT_GT(bad / evals, 0.003);
  EXPECT_LT(bad / evals, 0.03);
  EXPECT_GT(active / evals, 0.6);
  EXPECT_LT(active / evals, 0.8);
  EXPECT_GT(with_tx / double(completed), 0.35);
  EXPECT_LT(with_tx / double(completed), 0.7);

  const Table& rc = T(Kind::kRectifications);
  int64_t revisits = 0, satisfied = 0, invalid = 0;
  for (size_t i = 1; i < rc.size(); ++i) {
    if (rc[i][rect_col::kEvent] == "revisited") {
      ++revisits;
      satisfied += std::stoi(rc[i][rect_col::kRevisitScore]) >= 3;
    }
    invalid += rc[i][rect_col::kEvent] == "invalid";
  }
  ASSERT_GT(revisits, 20);
  EXPECT_GT(double(satisfied) / revisits, 0.7);

  std::map<std::string, std::pair<int64_t, int64_t>> avail;  // target -> ok, all
  const Table& pr = T(Kind::kProbes);
  for (size_t i = 1; i < pr.size(); ++i) {
    auto& a = avail[pr[i][probe_col::kTarget]];
    a.first += pr[i][probe_col::kOk] == "true";
    ++a.second;
  }
  EXPECT_GE(avail.size(), 15u);
  for (const auto& [target, a] : avail) {
    EXPECT_GT(double(a.first) / a.second, 0.95) << target;
    EXPECT_LT(double(a.first) / a.second, 0.9999) << target;
  }
  EXPECT_GT(pr.size(), 50000u);
  EXPECT_LT(pr.size(), 250000u);
}

// The planted situations (generator.h), counted from the files: 玉林's negative rate rises
// from 1 July with complaints about its new system, and 贺州's platform is down 22–24 July.
TEST_F(GeneratedProvince, PlantedSituations) {
  const Table& ev = T(Kind::kEvaluations);
  const int64_t july = ParseInstant("2024-07-01");
  std::map<std::pair<bool, bool>, std::pair<int64_t, int64_t>> rate;  // (玉林, H2) -> bad, all
  int64_t surge_comments = 0, yulin_h2_bad = 0, surge_elsewhere = 0;
  for (size_t i = 1; i < ev.size(); ++i) {
    const auto& r = ev[i];
    const bool yulin = r[eval_col::kRegionCode].rfind("4509", 0) == 0;
    const bool h2 = ParseInstant(r[eval_col::kEvaluatedAt]) >= july;
    const bool bad = std::stoi(r[eval_col::kScore]) <= 2;
    auto& x = rate[{yulin, h2}];
    x.first += bad;
    ++x.second;
    const bool surge = r[eval_col::kComment].find("新系统") != std::string::npos ||
                       r[eval_col::kComment].find("提交失败") != std::string::npos ||
                       r[eval_col::kComment].find("上传不了") != std::string::npos;
    if (yulin && h2 && bad) {
      ++yulin_h2_bad;
      surge_comments += surge;
    } else if (surge && r[eval_col::kComment] != "网上系统总是提交失败") {
      ++surge_elsewhere;  // the one ordinary complaint that shares the words
    }
  }
  auto share = [&](bool yulin, bool h2) {
    const auto& x = rate[{yulin, h2}];
    return double(x.first) / x.second;
  };
  EXPECT_GT(share(true, true), 2 * share(true, false)) << "玉林 H1 " << share(true, false)
                                                      << " H2 " << share(true, true);
  EXPECT_LT(share(false, true), 1.5 * share(false, false)) << "the rest rose too";
  EXPECT_GT(double(surge_comments) / yulin_h2_bad, 0.4) << surge_comments << "/" << yulin_h2_bad;
  EXPECT_EQ(surge_elsewhere, 0);

  const Table& pr = T(Kind::kProbes);
  const int64_t from = ParseInstant("2024-07-22"), to = ParseInstant("2024-07-25");
  int64_t during = 0, during_ok = 0;
  for (size_t i = 1; i < pr.size(); ++i) {
    if (pr[i][probe_col::kRegionCode] != "451100" || !pr[i][probe_col::kDeptCode].empty()) continue;
    const int64_t at = ParseInstant(pr[i][probe_col::kCheckedAt]);
    if (at < from || at >= to) continue;
    ++during;
    during_ok += pr[i][probe_col::kOk] == "true";
  }
  EXPECT_EQ(during, 72);  // hourly checks over three days
  EXPECT_EQ(during_ok, 0);
}

TEST_F(GeneratedProvince, TimesUseEveryAcceptedSpelling) {
  bool offset = false, utc = false, local = false, fraction = false, date_only_due = false;
  const Table& tx = T(Kind::kTransactions);
  for (size_t i = 1; i < tx.size(); ++i) {
    const std::string& s = tx[i][tx_col::kSubmittedAt];
    offset |= s.ends_with("+08:00") && s.size() == 25;
    utc |= s.ends_with("Z");
    local |= s.size() == 19 && s[10] == ' ';
    fraction |= s.size() == 29 && s[19] == '.';
    date_only_due |= tx[i][tx_col::kDueAt].size() == 10;
  }
  EXPECT_TRUE(offset && utc && local && fraction && date_only_due);
}

TEST_F(GeneratedProvince, GuidesHavePlatformCopiesAndDifferences) {
  const Table& g = T(Kind::kGuides);
  std::set<std::string> platform_items;
  std::map<std::string, std::vector<std::string>> latest_platform;
  for (size_t i = 1; i < g.size(); ++i) {
    if (g[i][guide_col::kSource] == "platform") {
      platform_items.insert(g[i][guide_col::kItemCode]);
      latest_platform[g[i][guide_col::kItemCode]] = g[i];  // rows are in publication order
    }
  }
  EXPECT_EQ(platform_items.size(), static_cast<size_t>(summary_->items));
  int identical = 0, different = 0;
  for (size_t i = 1; i < g.size(); ++i) {
    if (g[i][guide_col::kSource] == "platform") continue;
    const auto& p = latest_platform.at(g[i][guide_col::kItemCode]);
    bool same = true;
    for (int c = guide_col::kName; c <= guide_col::kContact; ++c) same &= p[c] == g[i][c];
    (same ? identical : different) += 1;
  }
  EXPECT_GT(identical, different);
  EXPECT_GT(different, 50);
}

TEST_F(GeneratedProvince, OrgIndicatorsPerCityAndQuarter) {
  const Table& t = T(Kind::kOrg);
  std::map<std::string, int> per_indicator;
  for (size_t i = 1; i < t.size(); ++i) {
    per_indicator[t[i][org_col::kIndicator]]++;
    const double v = std::stod(t[i][org_col::kValue]);
    EXPECT_GE(v, 0);
    if (t[i][org_col::kIndicator].ends_with("_share")) {
      EXPECT_LE(v, 1.0);
    }
  }
  for (const char* code :
       {"staff_per_window", "integrated_window_share", "training_hours_per_staff",
        "platform_budget_share", "rules_in_force", "standardized_item_share"}) {
    EXPECT_EQ(per_indicator[code], 14 * 4) << code;
  }
}

TEST(GenerateProvince, SameSeedSameBytesOtherSeedDiffers) {
  const fs::path a = MakeTempDir("a"), b = MakeTempDir("b"), c = MakeTempDir("c");
  GenerateOptions o;
  o.scale = 5000;
  o.seed = 42;
  o.out_dir = a.string();
  ASSERT_TRUE(GenerateProvince(o).ok());
  o.out_dir = b.string();
  ASSERT_TRUE(GenerateProvince(o).ok());
  o.out_dir = c.string();
  o.seed = 43;
  ASSERT_TRUE(GenerateProvince(o).ok());
  for (Kind k : kAllKinds) {
    EXPECT_EQ(Slurp(a / FileOf(k)), Slurp(b / FileOf(k))) << FileOf(k);
  }
  EXPECT_NE(Slurp(a / "transactions.csv"), Slurp(c / "transactions.csv"));
  EXPECT_NE(Slurp(a / "evaluations.csv"), Slurp(c / "evaluations.csv"));
  EXPECT_NE(Slurp(a / "probes.csv"), Slurp(c / "probes.csv"));
  // Regions do not depend on the seed: they are the real divisions.
  EXPECT_EQ(Slurp(a / "regions.csv"), Slurp(c / "regions.csv"));
  for (const fs::path& d : {a, b, c}) fs::remove_all(d);
}

TEST(GenerateProvince, ZeroScaleWritesHeadersAndBadOptionsFail) {
  const fs::path dir = MakeTempDir("zero") / "nested";
  GenerateOptions o;
  o.out_dir = dir.string();
  o.scale = 0;
  Result<GenerateSummary> r = GenerateProvince(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->transactions, 0);
  EXPECT_EQ(r->evaluations, 0);
  EXPECT_EQ(ReadCsv(dir / "transactions.csv").size(), 1u);
  fs::remove_all(dir.parent_path());

  o.scale = -1;
  EXPECT_EQ(GenerateProvince(o).status().code(), StatusCode::kUsage);
  o.scale = 10;
  o.year = 1900;
  EXPECT_EQ(GenerateProvince(o).status().code(), StatusCode::kUsage);
  o.year = 2024;
  o.out_dir = "/proc/govqm-cannot-create";
  EXPECT_EQ(GenerateProvince(o).status().code(), StatusCode::kIo);
}

}  // namespace
}  // namespace govqm

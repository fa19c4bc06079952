// One contract, every backend (service.md §11): the same imports and the same indicators on
// the embedded store, on one ClickHouse server and on a cluster of two shards (a test cluster
// of the project's own, started for this program: tests/support/clickhouse_cluster.h). Real
// exports against the publishers' figures (as tests/cli/real_data_test.cc does for the
// embedded store), the generated province against the embedded store's figures, replacement
// by identity, an import that never commits, scopes and compaction.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <map>

#include "app/common.h"
#include "app/import.h"
#include "app/indicators.h"
#include "app/init.h"
#include "app/province.h"
#include "platform/env.h"
#include "support/clickhouse_cluster.h"
#include "support/real_exports.h"

namespace govqm::app {
namespace {

enum class Backend { kEmbedded, kOneServer, kTwoShards };

std::string BackendName(Backend b) {
  return b == Backend::kEmbedded ? "Embedded" : b == Backend::kOneServer ? "OneServer" : "TwoShards";
}

// A new store on `backend` in a fresh directory (a database of its own on ClickHouse).
struct TestStore {
  std::filesystem::path dir;
  std::string db;
  std::unique_ptr<Store> store;
};

TestStore MakeStore(Backend backend, const std::string& zone, const std::string& name) {
  static std::atomic<int> counter{0};
  const std::string unique = fmt::format("c{}_{}_{}", ::getpid(), counter++, name);
  TestStore t;
  t.dir = MakeTempDir(unique);
  t.db = (t.dir / "govqm.db").string();
  InitRequest init{t.db, zone};
  if (backend != Backend::kEmbedded) {
    const auto& cluster = testing::SharedClickHouseCluster();
    EXPECT_TRUE(cluster.ok()) << cluster.status().message();
    if (!cluster.ok()) return t;
    platform::ClickHouseEndpoint e = backend == Backend::kOneServer
                                         ? (*cluster)->servers()[0]
                                         : (*cluster)->endpoint();
    e.database = unique;
    init.backend.url = platform::ClickHouseUrl(e);
    init.backend.cluster = backend == Backend::kTwoShards ? e.cluster : "";
  }
  auto created = Init(init);
  EXPECT_TRUE(created.ok()) << created.status().message();
  auto opened = Store::Open(t.db);
  EXPECT_TRUE(opened.ok()) << opened.status().message();
  if (opened.ok()) t.store = std::move(*opened);
  return t;
}

Result<ImportSummary> ImportFile(Store& store, const std::string& kind, const std::string& file,
                                 const std::string& map = "") {
  ImportRequest r;
  r.kind = *ParseKind(kind);
  r.files = {file};
  r.map_file = map;
  r.rejects.write = false;  // the real exports sit in the source tree: no rejects beside them
  return Import(store, r);
}

std::vector<IndicatorRow> Compute(const Store& store, const std::string& from,
                                  const std::string& to, std::vector<GroupKey> keys,
                                  std::vector<std::string> only = {}, AccessScope scope = {}) {
  IndicatorsRequest r;
  r.from = from;
  r.to = to;
  r.keys = std::move(keys);
  r.only = std::move(only);
  r.scope = std::move(scope);
  auto result = Indicators(store, r, platform::Env::Default());
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? result->rows : std::vector<IndicatorRow>{};
}

std::map<std::string, double> Values(const std::vector<IndicatorRow>& rows, std::string_view code) {
  std::map<std::string, double> out;
  for (const IndicatorRow& r : rows) {
    if (r.indicator == code && r.value) out[r.keys.empty() ? "" : r.keys[0]] = *r.value;
  }
  return out;
}

// Every row equal: counts, sums and rates exactly; percentiles within 1% (domain.md §3).
void ExpectSameIndicators(const std::vector<IndicatorRow>& got,
                          const std::vector<IndicatorRow>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(got[i].keys, want[i].keys) << what << " row " << i;
    ASSERT_EQ(got[i].indicator, want[i].indicator) << what << " row " << i;
    ASSERT_EQ(got[i].value.has_value(), want[i].value.has_value())
        << what << ": " << want[i].indicator;
    if (!want[i].value) continue;
    const IndicatorInfo& info = Catalog()[FindIndicator(want[i].indicator)];
    if (info.measure == Measure::kPercentile) {
      EXPECT_NEAR(*got[i].value, *want[i].value, 0.01 * std::fabs(*want[i].value))
          << what << ": " << want[i].indicator;
    } else {
      EXPECT_EQ(*got[i].value, *want[i].value) << what << ": " << want[i].indicator;
    }
  }
}

class BackendContract : public ::testing::TestWithParam<Backend> {};

// Boston's open cases flagged OVERDUE by the publisher (tests/cli/real_data_test.cc explains
// the expected figures, computed independently with Python from the same file).
TEST_P(BackendContract, Boston311OverdueMatchesThePublishedFlag) {
  TestStore t = MakeStore(GetParam(), "America/New_York", "boston");
  ASSERT_NE(t.store, nullptr);
  auto imported =
      ImportFile(*t.store, "transactions",
                 std::string(GOVQM_SOURCE_DIR) + "/tests/data/boston-311/boston311_open_pwd_2025-01_to_05.csv",
                 std::string(GOVQM_SOURCE_DIR) + "/config/mappings/boston311.toml");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->loaded, 2424);  // the 5 without a neighborhood are UNKNOWN
  const auto got = Values(Compute(*t.store, "2025-01-01", "2025-05-20", {GroupKey::kRegion},
                                  {"open_overdue"}),
                          "open_overdue");
  const std::map<std::string, double>& expected = testing::BostonOverdueByNeighborhood();
  EXPECT_EQ(got, expected);
}

// Los Angeles' days to close per APC (the independent means of tests/cli/real_data_test.cc).
TEST_P(BackendContract, La311HandlingDaysMatchAnIndependentComputation) {
  TestStore t = MakeStore(GetParam(), "America/Los_Angeles", "la");
  ASSERT_NE(t.store, nullptr);
  auto imported = ImportFile(*t.store, "transactions",
                             std::string(GOVQM_SOURCE_DIR) + "/tests/data/la-311/myla311_2020_seed_requests.csv",
                             std::string(GOVQM_SOURCE_DIR) + "/config/mappings/la311-2020.toml");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->loaded, 9971);
  const auto rows = Compute(*t.store, "2020-01-01", "2020-09-01", {GroupKey::kRegion},
                            {"completed", "avg_handling_days"});
  const std::map<std::string, std::pair<double, double>> expected = {
      {"Central APC", {1843, 7.208756895460349}},
      {"East Los Angeles APC", {1149, 4.9138989620604105}},
      {"Harbor APC", {630, 2.788097552910048}},
      {"North Valley APC", {1891, 3.5681148581487454}},
      {"South Los Angeles APC", {1624, 5.278460334564854}},
      {"South Valley APC", {1782, 5.721437770191634}},
      {"West Los Angeles APC", {781, 5.870681032745292}}};
  const auto completed = Values(rows, "completed");
  const auto days = Values(rows, "avg_handling_days");
  ASSERT_EQ(completed.size(), expected.size());
  for (const auto& [apc, e] : expected) {
    EXPECT_EQ(completed.at(apc), e.first) << apc;
    EXPECT_NEAR(days.at(apc), e.second, 1e-9 * e.second) << apc;
  }
}

// The generated province (every kind) against the embedded store holding the same files.
const Store& ProvinceStore(Backend backend) {
  static std::map<Backend, TestStore>* stores = new std::map<Backend, TestStore>;
  auto it = stores->find(backend);
  if (it != stores->end()) return *it->second.store;
  TestStore t = MakeStore(backend, "Asia/Shanghai", "province");
  for (const char* kind : {"regions", "departments", "items", "transactions", "evaluations",
                           "rectifications", "probes", "guides", "org"}) {
    auto r = ImportFile(*t.store, kind, (Province::Get().dir / "data" / (std::string(kind) + ".csv")).string());
    EXPECT_TRUE(r.ok()) << kind << ": " << r.status().message();
  }
  return *stores->emplace(backend, std::move(t)).first->second.store;
}

TEST_P(BackendContract, EveryIndicatorOfTheProvinceEqualsTheEmbeddedStores) {
  auto embedded = Store::Open(Province::Get().db);
  ASSERT_TRUE(embedded.ok());
  const Store& store = ProvinceStore(GetParam());
  for (const std::vector<GroupKey>& keys : std::vector<std::vector<GroupKey>>{
           {}, {GroupKey::kRegion}, {GroupKey::kCity}, {GroupKey::kMacroRegion},
           {GroupKey::kMonth}, {GroupKey::kChannel, GroupKey::kMonth},
           {GroupKey::kMode, GroupKey::kAgeBand}, {GroupKey::kDept, GroupKey::kDay},
           {GroupKey::kWindow}, {GroupKey::kItem}}) {
    std::string what = "by";
    for (GroupKey k : keys) what += " " + std::string(GroupKeyName(k));
    ExpectSameIndicators(Compute(store, "2024-01-01", "2025-01-01", keys),
                         Compute(**embedded, "2024-01-01", "2025-01-01", keys), what);
    // A period that cuts months and days (buckets clipped at both ends, backlog before it).
    ExpectSameIndicators(Compute(store, "2024-03-15T10:00", "2024-08-02", keys),
                         Compute(**embedded, "2024-03-15T10:00", "2024-08-02", keys),
                         what + " (mid-month period)");
  }
}

TEST_P(BackendContract, AScopedRequestSeesItsOwnRecordsOnly) {
  auto embedded = Store::Open(Province::Get().db);
  ASSERT_TRUE(embedded.ok());
  const Store& store = ProvinceStore(GetParam());
  for (const AccessScope& scope : {AccessScope{"450100", {}}, AccessScope{"450900", {}},
                                   AccessScope{"", {"450100-SCJG", "450100-GA"}}}) {
    ExpectSameIndicators(
        Compute(store, "2024-01-01", "2025-01-01", {GroupKey::kRegion}, {}, scope),
        Compute(**embedded, "2024-01-01", "2025-01-01", {GroupKey::kRegion}, {}, scope),
        "scope " + scope.region);
  }
}

TEST_P(BackendContract, AReimportReplacesByIdentityAndAnUncommittedImportIsNeverSeen) {
  TestStore t = MakeStore(GetParam(), "Asia/Shanghai", "replace");
  ASSERT_NE(t.store, nullptr);
  const std::string data = (Province::Get().dir / "data").string();
  ASSERT_TRUE(ImportFile(*t.store, "regions", data + "/regions.csv").ok());
  auto first = ImportFile(*t.store, "transactions", data + "/transactions.csv");
  ASSERT_TRUE(first.ok()) << first.status().message();
  const auto before = Compute(*t.store, "2024-01-01", "2025-01-01", {GroupKey::kCity});
  auto again = ImportFile(*t.store, "transactions", data + "/transactions.csv");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->replaced, first->loaded);
  EXPECT_EQ(*t.store->CountRows(Kind::kTransactions), first->loaded);
  ExpectSameIndicators(Compute(*t.store, "2024-01-01", "2025-01-01", {GroupKey::kCity}), before,
                       "after the re-import");

  // Rows appended but never committed (a killed import): another reader sees nothing of them
  // while they are written, nor after the transaction is gone.
  auto rows = t.store->Load(Kind::kTransactions);
  ASSERT_TRUE(rows.ok());
  std::vector<bool> keep(rows->rows(), false);
  for (size_t r = 0; r < keep.size(); r += 3) keep[r] = true;
  rows->KeepRows(keep);
  std::vector<uint64_t> hashes;
  for (size_t r = 0; r < rows->rows(); ++r) hashes.push_back(IdentityHash(*rows, r));
  {
    auto tx = t.store->BeginWrite();
    ASSERT_TRUE(tx.ok());
    auto appended = t.store->Append(*rows, hashes);
    ASSERT_TRUE(appended.ok()) << appended.status().message();
    EXPECT_EQ(appended->replaced, static_cast<int64_t>(rows->rows()));
    auto other = Store::Open(t.db);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(*(*other)->CountRows(Kind::kTransactions), first->loaded);
    ExpectSameIndicators(Compute(**other, "2024-01-01", "2025-01-01", {GroupKey::kCity}), before,
                         "while another import is open");
  }  // rolled back
  auto reopened = Store::Open(t.db);
  ASSERT_TRUE(reopened.ok());
  ExpectSameIndicators(Compute(**reopened, "2024-01-01", "2025-01-01", {GroupKey::kCity}), before,
                       "after the rollback");
  // Compaction removes the hidden rows and changes no figure.
  auto compacted = (*reopened)->Compact();
  ASSERT_TRUE(compacted.ok()) << compacted.status().message();
  if (GetParam() != Backend::kEmbedded) {
    EXPECT_EQ(compacted->rows_dropped, first->loaded + static_cast<int64_t>(rows->rows()));
  }
  ExpectSameIndicators(Compute(**reopened, "2024-01-01", "2025-01-01", {GroupKey::kCity}), before,
                       "after compaction");
}

INSTANTIATE_TEST_SUITE_P(Backends, BackendContract,
                         ::testing::Values(Backend::kEmbedded, Backend::kOneServer,
                                           Backend::kTwoShards),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return BackendName(info.param);
                         });

}  // namespace
}  // namespace govqm::app

// An import made for a scoped caller (the server's operator, service.md §3) holds records of
// the caller's scope only. Province 450000 with city A 450100 (district 450102) and city B
// 450300; departments tax (provincial) and bpolice (city B).
#include <gtest/gtest.h>

#include <fstream>

#include "app/import.h"
#include "app/init.h"
#include "province.h"

namespace govqm::app {
namespace {

constexpr const char* kHeader = "id,dept_code,region_code,channel,submitted_at,status\n";

class ImportScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("import_scope");
    db_ = (dir_ / "govqm.db").string();
    ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
    auto store = Store::Open(db_);
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    ASSERT_TRUE(Load("regions",
                     "code,name,parent_code\n450000,P,\n450100,A,450000\n450102,A1,450100\n"
                     "450300,B,450000\n",
                     {})
                    .ok());
    ASSERT_TRUE(
        Load("departments", "code,name,region_code\ntax,Tax,450000\nbpolice,Police,450300\n", {})
            .ok());
  }
  Result<ImportSummary> Load(const std::string& kind, const std::string& text,
                             const AccessScope& scope) {
    const std::string file = (dir_ / (kind + ".csv")).string();
    std::ofstream(file, std::ios::binary) << text;
    ImportRequest r;
    r.kind = *ParseKind(kind);
    r.files = {file};
    r.scope = scope;
    return Import(*store_, r);
  }
  int64_t Transactions() { return *store_->CountRows(Kind::kTransactions); }

  std::filesystem::path dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
};

const AccessScope kCityATax{"450100", {"tax"}};

TEST_F(ImportScopeTest, RecordsOfTheScopeAreLoaded) {
  auto s = Load("transactions",
                std::string(kHeader) +
                    "X1,tax,450102,web,2024-03-09 09:00,in_progress\n"
                    "X2,tax,450100,web,2024-03-09 10:00,in_progress\n",
                kCityATax);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->loaded, 2);
  EXPECT_EQ(Transactions(), 2);
}

// Found by fuzz_api: an operator of city A's tax office loaded records of city B (and could
// so replace theirs).
TEST_F(ImportScopeTest, RegressionARecordOutsideTheScopeRefusesTheImport) {
  const std::string file = (dir_ / "transactions.csv").string();
  // One of three outside by region (450300), one by department (bpolice), one without one.
  auto s = Load("transactions",
                std::string(kHeader) +
                    "X1,tax,450102,web,2024-03-09 09:00,in_progress\n"
                    "X2,tax,450300,web,2024-03-09 10:00,in_progress\n"
                    "X3,bpolice,450102,web,2024-03-09 11:00,in_progress\n"
                    "X4,,450102,web,2024-03-09 12:00,in_progress\n",
                kCityATax);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.status().message(),
            file +
                ": 3 of its records are outside your scope (region 450100, departments tax); "
                "nothing imported");
  EXPECT_EQ(Transactions(), 0);
  // The same file without a scope (the CLI, an admin) loads all four.
  auto all = Load("transactions",
                  std::string(kHeader) +
                      "X1,tax,450102,web,2024-03-09 09:00,in_progress\n"
                      "X2,tax,450300,web,2024-03-09 10:00,in_progress\n"
                      "X3,bpolice,450102,web,2024-03-09 11:00,in_progress\n"
                      "X4,,450102,web,2024-03-09 12:00,in_progress\n",
                  {});
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(Transactions(), 4);
}

TEST_F(ImportScopeTest, KindsWithoutARegionOfTheirOwnAreRefused) {
  const std::pair<const char*, const char*> files[] = {
      {"regions", "code,name,parent_code\n450103,A2,450100\n"},
      {"departments", "code,name,region_code\natax,Tax of A,450100\n"},
      {"items", "code,name,dept_code\ni1,Item,tax\n"},
  };
  for (const auto& [kind, text] : files) {
    auto s = Load(kind, text, kCityATax);
    ASSERT_FALSE(s.ok()) << kind;
    EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied) << kind;
  }
  auto s =
      Load("rectifications", "evaluation_id,event,at\nE1,verified,2024-03-13 09:00\n", kCityATax);
  EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.status().message(),
            "a user with a scope may not import rectifications: records of its scope only "
            "(transactions, evaluations, probes, guides, org)");
}

}  // namespace
}  // namespace govqm::app

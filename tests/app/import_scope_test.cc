// The import use case with the importer's scope (service.md §3 "admin, operator (own scope)"):
// a valid record outside it refuses the whole import, before anything is written; rejected
// rows are reported as they are; rectifications follow their evaluation; unrestricted (the
// CLI's, the admin's) checks nothing.
#include <gtest/gtest.h>

#include <fstream>

#include "app/import.h"
#include "app/init.h"
#include "province.h"

namespace govqm::app {
namespace {

// A province 450000 with city 450100 (district 450102) and city 450200, a department in each
// city, and evaluations E1 (450102, 450100-GA) and E2 (450200, 450200-GA).
class ImportScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = (dir_ / "govqm.db").string();
    ASSERT_TRUE(Init({db_, "Asia/Shanghai"}).ok());
    ASSERT_TRUE(Run(Kind::kRegions,
                    "code,name,parent_code\n450000,P,\n450100,C1,450000\n450102,D1,450100\n"
                    "450200,C2,450000\n")
                    .ok());
    ASSERT_TRUE(
        Run(Kind::kDepartments, "code,name,region_code\n450100-GA,G1,450100\n450200-GA,G2,450200\n")
            .ok());
    ASSERT_TRUE(Run(Kind::kEvaluations,
                    "id,region_code,dept_code,evaluated_at,score\n"
                    "E1,450102,450100-GA,2024-03-01T10:00:00+08:00,5\n"
                    "E2,450200,450200-GA,2024-03-01T10:00:00+08:00,2\n")
                    .ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Result<ImportSummary> Run(Kind kind, const std::string& csv, const AccessScope& scope = {}) {
    const std::string path = (dir_ / ("in" + std::to_string(n_++) + ".csv")).string();
    std::ofstream(path) << csv;
    auto store = Store::Open(db_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    ImportRequest r;
    r.kind = kind;
    r.files = {path};
    r.scope = scope;
    return Import(**store, r);
  }
  int64_t Count(Kind kind) {
    auto store = Store::Open(db_);
    EXPECT_TRUE(store.ok());
    return *(*store)->CountRows(kind);
  }

  static constexpr const char* kTxHeader = "id,region_code,dept_code,channel,submitted_at,status\n";
  const AccessScope kOperator{"450102", {"450100-GA"}};
  std::filesystem::path dir_;
  std::string db_;
  int n_ = 0;
};

TEST_F(ImportScopeTest, RecordsOfTheScopeAreImported) {
  auto s = Run(Kind::kTransactions,
               std::string(kTxHeader) +
                   "T1,450102,450100-GA,hall,2024-03-01T10:00:00+08:00,in_progress\n"
                   "T2,450102,450100-GA,web,2024-03-02T10:00:00+08:00,in_progress\n",
               kOperator);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->loaded, 2);
  EXPECT_EQ(Count(Kind::kTransactions), 2);
}

TEST_F(ImportScopeTest, OneRecordOfAnotherRegionOrDepartmentRefusesTheWholeImport) {
  const std::string other_region =
      "T2,450200,450100-GA,web,2024-03-02T10:00:00+08:00,in_progress\n";
  const std::string other_dept = "T3,450102,450200-GA,web,2024-03-02T10:00:00+08:00,in_progress\n";
  const std::string no_dept = "T4,450102,,web,2024-03-02T10:00:00+08:00,in_progress\n";
  for (const std::string& row : {other_region, other_dept, no_dept}) {
    auto s = Run(Kind::kTransactions,
                 std::string(kTxHeader) +
                     "T1,450102,450100-GA,hall,2024-03-01T10:00:00+08:00,in_progress\n" + row,
                 kOperator);
    ASSERT_FALSE(s.ok()) << row;
    EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied) << row;
    EXPECT_NE(s.status().message().find("1 of the records are outside your scope (region "
                                        "450102, departments 450100-GA); nothing imported"),
              std::string::npos)
        << s.status().message();
  }
  EXPECT_EQ(Count(Kind::kTransactions), 0);
  // A city user's scope holds its districts; the other city is outside.
  const AccessScope city{"450100", {}};
  EXPECT_TRUE(Run(Kind::kTransactions,
                  std::string(kTxHeader) +
                      "T5,450102,450200-GA,hall,2024-03-01T10:00:00+08:00,in_progress\n",
                  city)
                  .ok());
  EXPECT_EQ(Run(Kind::kTransactions, std::string(kTxHeader) + other_region, city).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Count(Kind::kTransactions), 1);
}

TEST_F(ImportScopeTest, ARecordOfTheScopeMayNotReplaceOneOfAnotherById) {
  ASSERT_TRUE(Run(Kind::kTransactions,
                  std::string(kTxHeader) +
                      "T7,450200,450200-GA,web,2024-03-02T10:00:00+08:00,in_progress\n")
                  .ok());
  // The same id, now said to be the operator's: it would delete the other city's record.
  auto s = Run(
      Kind::kTransactions,
      std::string(kTxHeader) + "T7,450102,450100-GA,web,2024-03-02T10:00:00+08:00,in_progress\n",
      kOperator);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.status().message().find("would replace one of another scope (the same id)"),
            std::string::npos)
      << s.status().message();
  // Its own record it may replace.
  ASSERT_TRUE(Run(Kind::kTransactions,
                  std::string(kTxHeader) +
                      "T8,450102,450100-GA,web,2024-03-02T10:00:00+08:00,in_progress\n",
                  kOperator)
                  .ok());
  s = Run(
      Kind::kTransactions,
      std::string(kTxHeader) + "T8,450102,450100-GA,hall,2024-03-03T10:00:00+08:00,in_progress\n",
      kOperator);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->replaced, 1);
  EXPECT_EQ(Count(Kind::kTransactions), 2);
}

TEST_F(ImportScopeTest, RejectedRowsAreReportedNotCountedAsOutside) {
  // A row without a time is rejected at parsing: it is not a record of any scope.
  auto s = Run(Kind::kTransactions,
               std::string(kTxHeader) +
                   "T1,450102,450100-GA,hall,2024-03-01T10:00:00+08:00,in_progress\n"
                   "T9,450200,450200-GA,web,,in_progress\n",
               kOperator);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->loaded, 1);
  EXPECT_EQ(s->rejected, 1);
}

TEST_F(ImportScopeTest, RectificationsFollowTheirEvaluation) {
  const std::string header = "evaluation_id,event,at\n";
  auto s =
      Run(Kind::kRectifications, header + "E1,assigned,2024-03-02T10:00:00+08:00\n", kOperator);
  ASSERT_TRUE(s.ok()) << s.status().message();
  for (const char* id : {"E2", "E404"}) {  // another scope's evaluation, an unknown one
    s = Run(Kind::kRectifications, header + id + ",assigned,2024-03-02T10:00:00+08:00\n",
            kOperator);
    ASSERT_FALSE(s.ok()) << id;
    EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied);
    EXPECT_NE(s.status().message().find(std::string("evaluation '") + id + "'"), std::string::npos)
        << s.status().message();
  }
  EXPECT_EQ(Count(Kind::kRectifications), 1);
}

TEST_F(ImportScopeTest, ReferenceDataIsNotAScopedUsersToImport) {
  auto s = Run(Kind::kRegions, "code,name,parent_code\n450103,D2,450100\n", kOperator);
  EXPECT_EQ(s.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Count(Kind::kRegions), 4);
}

TEST_F(ImportScopeTest, UnrestrictedImportsAnything) {
  auto s =
      Run(Kind::kTransactions, std::string(kTxHeader) +
                                   "T2,450200,450200-GA,web,2024-03-02T10:00:00+08:00,in_progress\n"
                                   "T3,450999,,web,2024-03-02T10:00:00+08:00,in_progress\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->loaded, 2);
}

}  // namespace
}  // namespace govqm::app

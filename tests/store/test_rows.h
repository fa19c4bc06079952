// Store tests' shared parts: a scratch directory per test, and tables built by hand with
// their identity hashes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/table.h"
#include "store/store.h"

namespace govqm::storetest {

// Appends a row: text and code columns from `values` (by column index), times 1000, the
// rest null.
inline void AddRow(Table& t, const std::map<int, std::string>& values) {
  for (int c = 0; c < static_cast<int>(t.def().columns.size()); ++c) {
    Column& col = t.col(c);
    auto v = values.find(c);
    switch (col.type) {
      case ColumnType::kText:
        col.text.append(v != values.end() ? v->second : "");
        col.offsets.push_back(col.text.size());
        break;
      case ColumnType::kCode:
        col.codes.push_back(v != values.end() ? col.dict.Intern(v->second) : kNullCode);
        break;
      case ColumnType::kTime: col.times.push_back(1000); break;
      case ColumnType::kInt: col.ints.push_back(kNullInt); break;
      case ColumnType::kReal: col.reals.push_back(kNullReal); break;
      case ColumnType::kBool:
      case ColumnType::kEnum: col.bytes.push_back(kNullBool); break;
    }
  }
  t.SetRows(t.rows() + 1);
}
// A transactions table with ids and regions; other columns null (times 1000).
inline Table Tx(const std::vector<std::pair<std::string, std::string>>& id_region) {
  Table t(Kind::kTransactions);
  for (const auto& [id, region] : id_region) {
    AddRow(t, {{tx_col::kId, id}, {tx_col::kRegionCode, region}});
  }
  return t;
}
inline std::vector<uint64_t> Hashes(const Table& t) {
  std::vector<uint64_t> h;
  for (size_t r = 0; r < t.rows(); ++r) h.push_back(IdentityHash(t, r));
  return h;
}
// id -> region of the live transactions of a store.
inline std::map<std::string, std::string> LiveTransactions(const Store& s) {
  auto t = s.Load(Kind::kTransactions);
  EXPECT_TRUE(t.ok()) << t.status().message();
  std::map<std::string, std::string> m;
  if (!t.ok()) return m;
  for (size_t r = 0; r < t->rows(); ++r) {
    m[std::string(t->col(tx_col::kId).TextAt(r))] = std::string(t->col(tx_col::kRegionCode).CodeAt(r));
  }
  return m;
}

// A fresh directory per test (dir_), with path_ = dir_/s.db; removed afterwards (made
// writable first, for tests that take its permissions away).
class ScratchDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("govqm_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "s.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace govqm::storetest

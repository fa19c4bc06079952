// The same-source mismatch use case (domain.md §3) on guides written by hand: which
// department publications differ from the platform's, in which fields, per department, in
// scope. Every expected value is worked out from the rows below.
#include "app/same_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "app/import.h"
#include "app/init.h"
#include "app/render/same_source.h"
#include "province.h"

namespace govqm::app {
namespace {

constexpr const char* kRegionsCsv =
    "code,name,parent_code\n"
    "450000,Province,\n"
    "450100,City A,450000\n"
    "450300,City B,450000\n";
constexpr const char* kDepartmentsCsv =
    "code,name,region_code\n"
    "tax,Tax,450100\n"
    "police,Police,450300\n";
// P1: tax-site differs in location only (materials in another order with a full-width comma
// and 20.0 days still match); city-site's latest differs in fee (its older copy, with another
// name, is superseded). P2: tax-site matches, but a copy published after 2024-06-01 changes
// the name. P3: police-site differs in legal_basis and contact (the name's extra space is not
// a difference). P4: the platform's only.
constexpr const char* kGuidesCsv =
    "source,item_code,dept_code,region_code,name,legal_basis,conditions,materials,"
    "time_limit_days,fee,location,contact,published_at\n"
    "platform,P1,tax,450100,Tax ID,Law 1,adult,ID;Form,20,0,Hall 1,0771-1,2024-01-10 09:00\n"
    "tax-site,P1,tax,450100,Tax ID,Law 1,adult,\"Form，ID\",20.0,0,Hall 2,0771-1,2024-02-01 09:00\n"
    "city-site,P1,tax,450100,Tax number,Law 1,adult,ID;Form,20,0,Hall 1,0771-1,2024-01-05 09:00\n"
    "city-site,P1,tax,450100,Tax ID,Law 1,adult,ID;Form,20,10,Hall 1,0771-1,2024-03-01 09:00\n"
    "platform,P2,tax,450100,Seal,Law 2,,Form,5,0,Hall 1,0771-2,2024-01-10 09:00\n"
    "tax-site,P2,tax,450100,Seal,Law 2,,Form,5,0,Hall 1,0771-2,2024-01-11 09:00\n"
    "tax-site,P2,tax,450100,Company seal,Law 2,,Form,5,0,Hall 1,0771-2,2024-07-01 09:00\n"
    "platform,P3,police,450300,Police Permit,Law 3,,ID,10,0,Station,0774-1,2024-01-10 09:00\n"
    "police-site,P3,police,450300,Police  Permit,Law 3a,,ID,10,0,Station,0774-9,2024-01-12 "
    "09:00\n"
    "platform,P4,tax,450100,Tax refund,Law 4,,ID,3,0,Hall 1,0771-1,2024-01-10 09:00\n";

const std::string& GuidesStore() {
  static const std::string db = [] {
    const auto dir = MakeTempDir("same-source");
    const std::string path = (dir / "govqm.db").string();
    auto created = Init({path, "Asia/Shanghai"});
    EXPECT_TRUE(created.ok()) << created.status().message();
    auto store = Store::Open(path);
    EXPECT_TRUE(store.ok()) << store.status().message();
    for (auto [kind, csv] : {std::pair{"regions", kRegionsCsv},
                             {"departments", kDepartmentsCsv},
                             {"guides", kGuidesCsv}}) {
      const auto file = dir / (std::string(kind) + ".csv");
      std::ofstream(file) << csv;
      ImportRequest r;
      r.kind = *ParseKind(kind);
      r.files = {file.string()};
      r.atomic = true;
      auto summary = Import(**store, r);
      EXPECT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
    }
    return path;
  }();
  return db;
}

Result<SameSourceResult> Ask(const std::string& to, const AccessScope& scope = {},
                             const std::string& dept = "") {
  auto store = Store::Open(GuidesStore());
  EXPECT_TRUE(store.ok());
  SameSourceRequest r;
  r.to = to;
  r.scope = scope;
  r.dept = dept;
  return SameSource(**store, r);
}

std::string Fields(const GuideMismatch& m) {
  std::string out;
  for (std::string_view f : m.fields) out += (out.empty() ? "" : ",") + std::string(f);
  return out;
}

int64_t Field(const SameSourceDept& d, std::string_view name) {
  for (size_t i = 0; i < kGuideKeyFields.size(); ++i) {
    if (kGuideKeyFields[i] == name) return d.by_field[i];
  }
  ADD_FAILURE() << "no field " << name;
  return -1;
}

TEST(SameSourceTest, MismatchesPerPublicationDepartmentAndField) {
  auto r = Ask("2024-06-01");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->mismatches.size(), 3u);
  EXPECT_EQ(r->mismatches[0].item_code, "P1");
  EXPECT_EQ(r->mismatches[0].source, "city-site");
  EXPECT_EQ(Fields(r->mismatches[0]), "fee");
  EXPECT_EQ(r->mismatches[1].source, "tax-site");
  EXPECT_EQ(Fields(r->mismatches[1]), "location");
  EXPECT_EQ(r->mismatches[2].item_code, "P3");
  EXPECT_EQ(Fields(r->mismatches[2]), "legal_basis,contact");
  EXPECT_EQ(r->mismatches[2].platform_dept, "police");

  ASSERT_EQ(r->depts.size(), 2u);
  const SameSourceDept& police = r->depts[0];
  const SameSourceDept& tax = r->depts[1];
  EXPECT_EQ(police.dept, "police");
  EXPECT_EQ(police.items, 1);
  EXPECT_EQ(police.compared, 1);
  EXPECT_EQ(police.mismatching, 1);
  EXPECT_EQ(Field(police, "legal_basis"), 1);
  EXPECT_EQ(Field(police, "contact"), 1);
  EXPECT_EQ(Field(police, "name"), 0);
  EXPECT_EQ(tax.dept, "tax");
  EXPECT_EQ(tax.items, 3);     // P1, P2, P4
  EXPECT_EQ(tax.compared, 3);  // P1 twice, P2 once
  EXPECT_EQ(tax.mismatching, 2);
  EXPECT_EQ(Field(tax, "fee"), 1);
  EXPECT_EQ(Field(tax, "location"), 1);
  EXPECT_EQ(Field(tax, "materials"), 0);
  EXPECT_EQ(Field(tax, "time_limit_days"), 0);
}

TEST(SameSourceTest, EveryPublicationWithoutAnInstant) {
  // P2's copy of July now counts: its name differs.
  auto r = Ask("");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->mismatches.size(), 4u);
  EXPECT_EQ(r->mismatches[2].item_code, "P2");
  EXPECT_EQ(Fields(r->mismatches[2]), "name");
  EXPECT_EQ(r->depts[1].mismatching, 3);
  EXPECT_EQ(Field(r->depts[1], "name"), 1);
}

TEST(SameSourceTest, ScopeAndDepartment) {
  // City B sees its police only; naming the tax department of city A is refused.
  auto b = Ask("2024-06-01", AccessScope{"450300", {}});
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->depts.size(), 1u);
  EXPECT_EQ(b->depts[0].dept, "police");
  ASSERT_EQ(b->mismatches.size(), 1u);
  EXPECT_EQ(b->mismatches[0].item_code, "P3");
  auto refused = Ask("2024-06-01", AccessScope{"450300", {}}, "tax");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  // One department, unrestricted.
  auto tax = Ask("2024-06-01", {}, "tax");
  ASSERT_TRUE(tax.ok());
  ASSERT_EQ(tax->depts.size(), 1u);
  EXPECT_EQ(tax->mismatches.size(), 2u);
  // A bad instant.
  auto bad = Ask("June");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kUsage);
}

TEST(SameSourceTest, JsonShape) {
  auto r = Ask("2024-06-01", AccessScope{"450300", {}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(render::SameSourceJson(*r),
            "{\"to\":\"2024-06-01\",\"fields\":[\"name\",\"legal_basis\",\"conditions\","
            "\"materials\",\"time_limit_days\",\"fee\",\"location\",\"contact\"],\n"
            "\"depts\":[\n{\"dept\":\"police\",\"items\":1,\"compared\":1,\"mismatching\":1,"
            "\"by_field\":{\"name\":0,\"legal_basis\":1,\"conditions\":0,\"materials\":0,"
            "\"time_limit_days\":0,\"fee\":0,\"location\":0,\"contact\":1}}\n],\n"
            "\"mismatches\":[\n{\"item\":\"P3\",\"platform_region\":\"450300\","
            "\"platform_dept\":\"police\",\"source\":\"police-site\",\"source_dept\":\"police\","
            "\"fields\":[\"legal_basis\",\"contact\"]}\n]}");
}

}  // namespace
}  // namespace govqm::app

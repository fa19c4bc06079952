// The reference world of the synthetic province: Guangxi's cities (real GB/T 2260 codes),
// some of their districts, the city departments and their service items, and the per-city and
// per-department behaviour parameters that make indicators differ in known ways.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.h"

namespace govqm::gen {

// Which applicants an item serves (drives the age distribution).
enum class AgeProfile : uint8_t { kGeneral, kElderly, kYoung };

struct District {
  std::string code;
  std::string name;
};

struct City {
  std::string code;
  std::string name;       // 南宁市
  std::string pinyin;     // for platform URLs
  std::string area_code;  // telephone area code for guide contacts
  bool key_city = false;
  double volume_weight = 1;    // share of the province's transactions (roughly population)
  double online_share = 0.6;   // chance of an online channel for an online-capable item, before age
  double overdue_rate = 0.02;  // share of deadline-bound transactions completed late
  double unreported_rate = 0.02;     // transactions never reported to the provincial platform
  double eval_coverage = 0.5;        // completed transactions that get an evaluation
  double exemption_share = 0.3;      // chance that a required document is exempted (data sharing)
  double wait_median_min = 12;       // hall queue median
  double bad_factor = 1;             // multiplies departments' bad-review rates
  double guide_missing_rate = 0.04;  // items the city publishes only on the platform
  std::vector<District> districts;
};

struct Department {
  std::string code;           // 450100-SCJG
  std::string name;           // 南宁市市场监督管理局
  int city = 0;               // index into Province::cities
  int tmpl = 0;               // index into the department templates
  double bad_rate = 0.01;     // chance of a bad review among active ratings, before multipliers
  double rect_on_time = 0.9;  // share of cases rectified within 15 working days
  double active_share = 0.7;  // evaluations actively given (the rest are default 5s)
};

struct Item {
  std::string code;  // 450100-SCJG-001
  int dept = 0;      // index into Province::departments
  int city = 0;
  int tmpl = 0;       // index into the item templates
  double weight = 1;  // popularity within the city
};

// Static description of an item kind, shared by every city.
struct ItemTemplate {
  int dept_tmpl;
  std::string_view name;
  int statutory_days;
  int promised_days;
  bool online_capable;
  std::string_view category;
  std::string_view materials;  // ';'-separated, canonical order
  std::string_view fee;
  std::string_view legal_basis;
  std::string_view conditions;
  double weight;
  double enterprise_share;
  double cross_region_share;
  AgeProfile ages;
};

struct DeptTemplate {
  std::string_view abbr;  // SCJG
  std::string_view name;  // 市场监督管理局
  std::string_view site;  // department web site host prefix, e.g. "scjgj"
  double bad_rate;        // base bad-review rate among active ratings
  double rect_on_time;
  std::string_view hall_area;  // where in the city's service centre it sits
};

std::span<const ItemTemplate> ItemTemplates();
std::span<const DeptTemplate> DeptTemplates();

struct Province {
  std::string code = "450000";
  std::string name = "广西壮族自治区";
  std::vector<City> cities;
  std::vector<Department> departments;
  std::vector<Item> items;
  std::vector<std::vector<int>> city_items;  // item indexes per city
};

// Builds the province; parameters get a small seed-dependent jitter around realistic bases.
Province BuildProvince(uint64_t seed);

// Working days: the official 2024 and 2025 calendars (targets.md), Monday–Friday otherwise.
class WorkCalendar {
 public:
  // Covers [first_day, first_day + span_days); days outside fall back to Monday–Friday.
  WorkCalendar(int64_t first_day, int span_days);
  bool IsWorkday(int64_t day) const;
  // The n-th working day after `day` (n >= 1); n == 0 gives `day` itself.
  int64_t AddWorkdays(int64_t day, int n) const;
  // `day` if it is a working day, else the next working day.
  int64_t NextOrSameWorkday(int64_t day) const;

 private:
  int64_t first_day_;
  std::vector<uint8_t> work_;
};

}  // namespace govqm::gen

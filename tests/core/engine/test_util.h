// Helpers for hand-built datasets: rows from "column=value" pairs, local Shanghai times.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/engine/indicators.h"
#include "core/table.h"
#include "core/time_zone.h"

namespace govqm::enginetest {

inline const FixedOffsetZone& Shanghai() {
  static const FixedOffsetZone zone(8 * kMsPerHour, "Asia/Shanghai");
  return zone;
}

// "YYYY-MM-DD[ HH:MM[:SS[.mmm]]]" read as Shanghai local time (UTC+8) -> instant.
inline int64_t At(std::string_view s) {
  auto num = [&](size_t pos, size_t len) { return std::stoll(std::string(s.substr(pos, len))); };
  int64_t local = DaysFromCivil(num(0, 4), static_cast<unsigned>(num(5, 2)),
                                static_cast<unsigned>(num(8, 2))) * kMsPerDay;
  if (s.size() >= 16) local += num(11, 2) * kMsPerHour + num(14, 2) * kMsPerMinute;
  if (s.size() >= 19) local += num(17, 2) * kMsPerSecond;
  if (s.size() >= 23) local += num(20, 3);
  return Shanghai().LocalToUtc(local);
}

using Fields = std::vector<std::pair<std::string_view, std::string>>;

// Appends one row; columns not named are null. Times are Shanghai local (see At).
inline void AddRow(Table& t, const Fields& fields) {
  const KindDef& def = t.def();
  for (const auto& [name, value] : fields) {
    EXPECT_GE(FindColumn(def, name), 0) << "unknown column " << name;
  }
  for (int i = 0; i < static_cast<int>(def.columns.size()); ++i) {
    const ColumnDef& cd = def.columns[i];
    const std::string* v = nullptr;
    for (const auto& [name, value] : fields) {
      if (name == cd.name) v = &value;
    }
    const bool null = v == nullptr || v->empty();
    Column& c = t.col(i);
    switch (cd.type) {
      case ColumnType::kCode: c.codes.push_back(null ? kNullCode : c.dict.Intern(*v)); break;
      case ColumnType::kText:
        if (!null) c.text.append(*v);
        c.offsets.push_back(c.text.size());
        break;
      case ColumnType::kTime: c.times.push_back(null ? kNullTime : At(*v)); break;
      case ColumnType::kInt: c.ints.push_back(null ? kNullInt : std::stoi(*v)); break;
      case ColumnType::kReal: c.reals.push_back(null ? kNullReal : std::stod(*v)); break;
      case ColumnType::kBool:
        c.bytes.push_back(null ? kNullBool : (*v == "true" || *v == "1") ? 1 : 0);
        break;
      case ColumnType::kEnum: {
        int8_t idx = kNullBool;
        for (size_t k = 0; !null && k < cd.vocab.size(); ++k) {
          if (cd.vocab[k] == *v) idx = static_cast<int8_t>(k);
        }
        EXPECT_TRUE(null || idx != kNullBool) << "bad enum value " << *v;
        c.bytes.push_back(idx);
        break;
      }
    }
  }
  t.SetRows(t.rows() + 1);
}

inline EngineOptions Options(std::string_view from, std::string_view to,
                             std::vector<GroupKey> keys = {}) {
  EngineOptions o;
  o.from_ms = At(from);
  o.to_ms = At(to);
  o.keys = std::move(keys);
  o.zone = &Shanghai();
  return o;
}

inline std::vector<IndicatorRow> Compute(const Dataset& d, const EngineOptions& o) {
  auto r = ComputeIndicators(d, o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : std::vector<IndicatorRow>{};
}

// The row of `code` for the group `keys`; nullopt when no such row (absent, not null).
inline std::optional<std::optional<double>> Get(const std::vector<IndicatorRow>& rows,
                                                std::string_view code,
                                                const std::vector<std::string>& keys = {}) {
  std::optional<std::optional<double>> found;
  for (const IndicatorRow& r : rows) {
    if (r.indicator == code && r.keys == keys) {
      EXPECT_FALSE(found.has_value()) << "duplicate row for " << code;
      found = r.value;
    }
  }
  return found;
}

// The value of a row that must exist and be non-null.
inline double Val(const std::vector<IndicatorRow>& rows, std::string_view code,
                  const std::vector<std::string>& keys = {}) {
  auto v = Get(rows, code, keys);
  EXPECT_TRUE(v.has_value()) << "no row for " << code;
  if (!v.has_value()) return -1e300;
  EXPECT_TRUE(v->has_value()) << code << " is null";
  return v->value_or(-1e300);
}

// True when the row exists and its value is null.
inline bool IsNullValue(const std::vector<IndicatorRow>& rows, std::string_view code,
                        const std::vector<std::string>& keys = {}) {
  auto v = Get(rows, code, keys);
  return v.has_value() && !v->has_value();
}

}  // namespace govqm::enginetest

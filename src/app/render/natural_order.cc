#include "app/render/natural_order.h"

#include <algorithm>
#include <numeric>

#include "core/engine/catalog.h"
#include "core/thresholds.h"

namespace govqm::render {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

int AgeBandRank(std::string_view label) {
  for (size_t i = 0; i < std::size(thresholds::kAgeBandLabels); ++i) {
    if (thresholds::kAgeBandLabels[i] == label) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(thresholds::kAgeBandLabels));  // unknown: last
}

int KeyCompare(GroupKey key, std::string_view a, std::string_view b) {
  if (key == GroupKey::kAgeBand) {
    const int ra = AgeBandRank(a), rb = AgeBandRank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
  }
  return NaturalCompare(a, b);
}

}  // namespace

int NaturalCompare(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (Digit(a[i]) && Digit(b[j])) {
      size_t ie = i, je = j;
      while (ie < a.size() && Digit(a[ie])) ++ie;
      while (je < b.size() && Digit(b[je])) ++je;
      size_t ia = i, jb = j;  // past leading zeros (keeping one digit)
      while (ia + 1 < ie && a[ia] == '0') ++ia;
      while (jb + 1 < je && b[jb] == '0') ++jb;
      const size_t la = ie - ia, lb = je - jb;
      if (la != lb) return la < lb ? -1 : 1;
      if (const int c = a.substr(ia, la).compare(b.substr(jb, lb)); c != 0) return c < 0 ? -1 : 1;
      if (ie - i != je - j) return ie - i < je - j ? -1 : 1;  // "2" before "02"
      i = ie;
      j = je;
      continue;
    }
    const unsigned char ca = static_cast<unsigned char>(a[i]);
    const unsigned char cb = static_cast<unsigned char>(b[j]);
    if (ca != cb) return ca < cb ? -1 : 1;
    ++i;
    ++j;
  }
  const size_t ra = a.size() - i, rb = b.size() - j;
  return ra == rb ? 0 : ra < rb ? -1 : 1;
}

std::vector<size_t> RowOrder(const std::vector<GroupKey>& keys, size_t n,
                             const std::function<const std::vector<std::string>&(size_t)>& labels,
                             const std::function<std::string_view(size_t)>& code,
                             const std::vector<std::string>& only) {
  auto rank = [&](std::string_view c) -> size_t {
    if (!only.empty()) {
      const auto it = std::find(only.begin(), only.end(), c);
      return static_cast<size_t>(it - only.begin());
    }
    const int idx = FindIndicator(c);
    return idx < 0 ? Catalog().size() : static_cast<size_t>(idx);
  };
  std::vector<size_t> ranks(n);
  for (size_t i = 0; i < n; ++i) ranks[i] = rank(code(i));
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const std::vector<std::string>& a = labels(x);
    const std::vector<std::string>& b = labels(y);
    for (size_t k = 0; k < a.size() && k < b.size(); ++k) {
      const GroupKey key = k < keys.size() ? keys[k] : GroupKey::kRegion;
      if (const int c = KeyCompare(key, a[k], b[k]); c != 0) return c < 0;
    }
    return ranks[x] < ranks[y];
  });
  return order;
}

std::vector<size_t> IndicatorRowOrder(const app::IndicatorsResult& r) {
  return RowOrder(
      r.keys, r.rows.size(),
      [&](size_t i) -> const std::vector<std::string>& { return r.rows[i].keys; },
      [&](size_t i) { return r.rows[i].indicator; }, r.only);
}

std::vector<std::string_view> IndicatorColumns(const app::IndicatorsResult& r) {
  std::vector<std::string_view> columns;
  if (!r.only.empty()) {
    for (const std::string& code : r.only) {
      const int idx = FindIndicator(code);
      if (idx < 0) continue;
      const IndicatorInfo& info = Catalog()[idx];
      bool allowed = true;
      for (GroupKey k : r.keys) allowed = allowed && info.Supports(k);
      if (allowed && std::find(columns.begin(), columns.end(), info.code) == columns.end()) {
        columns.push_back(info.code);
      }
    }
    return columns;
  }
  for (const IndicatorRow& row : r.rows) {
    if (std::find(columns.begin(), columns.end(), row.indicator) == columns.end()) {
      columns.push_back(row.indicator);
    }
  }
  std::sort(columns.begin(), columns.end(), [](std::string_view a, std::string_view b) {
    return FindIndicator(a) < FindIndicator(b);
  });
  return columns;
}

}  // namespace govqm::render

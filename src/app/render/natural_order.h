// The order people read codes in: "2" before "10", "区2" before "区10", age bands youngest
// first; and the indicators of `--only a,b,c` in the order given. The indicators renderers
// print their rows in this order (all formats alike, so the CSV, the JSON and the table agree).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/indicators.h"

namespace govqm::render {

// <0, 0, >0. Runs of ASCII digits compare as whole numbers (equal numbers: fewer leading zeros
// first), everything else byte by byte (UTF-8); "" (a null key) comes first.
int NaturalCompare(std::string_view a, std::string_view b);
inline bool NaturalLess(std::string_view a, std::string_view b) {
  return NaturalCompare(a, b) < 0;
}

// The order of r.rows to print: by the group labels key by key (naturally; age_band by band:
// <30, 30-44, 45-59, 60-69, 70+; null first), then by indicator — in the order of r.only when
// given, else in catalog order. Stable.
std::vector<size_t> IndicatorRowOrder(const app::IndicatorsResult& r);
// The same order for any rows: `labels(i)` and `code(i)` of row i of `n`.
std::vector<size_t> RowOrder(const std::vector<GroupKey>& keys, size_t n,
                             const std::function<const std::vector<std::string>&(size_t)>& labels,
                             const std::function<std::string_view(size_t)>& code,
                             const std::vector<std::string>& only);

// The indicator columns of a pivot of r: with r.only, its codes (in its order) that the keys
// allow, whether or not they have rows; otherwise the codes that have rows, in catalog order.
std::vector<std::string_view> IndicatorColumns(const app::IndicatorsResult& r);

}  // namespace govqm::render

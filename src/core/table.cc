#include "core/table.h"

#include <fmt/format.h>

namespace govqm {

uint32_t Dictionary::Intern(std::string_view s) {
  auto it = index_.find(std::string(s));
  if (it != index_.end()) return it->second;
  const auto code = static_cast<uint32_t>(values_.size());
  values_.emplace_back(s);
  index_.emplace(values_.back(), code);
  return code;
}

uint32_t Dictionary::Find(std::string_view s) const {
  auto it = index_.find(std::string(s));
  return it == index_.end() ? kNullCode : it->second;
}

size_t Column::size() const {
  switch (type) {
    case ColumnType::kCode: return codes.size();
    case ColumnType::kText: return offsets.size() - 1;
    case ColumnType::kTime: return times.size();
    case ColumnType::kInt: return ints.size();
    case ColumnType::kReal: return reals.size();
    case ColumnType::kBool:
    case ColumnType::kEnum: return bytes.size();
  }
  return 0;
}

void Column::Reserve(size_t rows) {
  switch (type) {
    case ColumnType::kCode: codes.reserve(rows); break;
    case ColumnType::kText: offsets.reserve(rows + 1); break;
    case ColumnType::kTime: times.reserve(rows); break;
    case ColumnType::kInt: ints.reserve(rows); break;
    case ColumnType::kReal: reals.reserve(rows); break;
    case ColumnType::kBool:
    case ColumnType::kEnum: bytes.reserve(rows); break;
  }
}

Table::Table(Kind kind) : kind_(kind), def_(&GetKindDef(kind)) {
  columns_.resize(def_->columns.size());
  for (size_t i = 0; i < columns_.size(); ++i) columns_[i].type = def_->columns[i].type;
}

void Table::Reserve(size_t rows) {
  for (Column& c : columns_) c.Reserve(rows);
}

void Table::AppendRow(const Table& src, size_t r) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    Column& d = columns_[i];
    const Column& s = src.columns_[i];
    switch (d.type) {
      case ColumnType::kCode:
        d.codes.push_back(s.codes[r] == kNullCode ? kNullCode : d.dict.Intern(s.dict[s.codes[r]]));
        break;
      case ColumnType::kText:
        d.text.append(s.TextAt(r));
        d.offsets.push_back(d.text.size());
        break;
      case ColumnType::kTime: d.times.push_back(s.times[r]); break;
      case ColumnType::kInt: d.ints.push_back(s.ints[r]); break;
      case ColumnType::kReal: d.reals.push_back(s.reals[r]); break;
      case ColumnType::kBool:
      case ColumnType::kEnum: d.bytes.push_back(s.bytes[r]); break;
    }
  }
  ++rows_;
}

Table Table::Filter(const std::vector<bool>& keep) const {
  Table out(kind_);
  size_t n = 0;
  for (bool k : keep) n += k;
  out.Reserve(n);
  for (size_t r = 0; r < rows_; ++r) {
    if (keep[r]) out.AppendRow(*this, r);
  }
  return out;
}

std::string FormatInstant(int64_t ms) {
  const int64_t days = FloorDiv(ms, kMsPerDay);
  const int64_t rem = ms - days * kMsPerDay;
  const CivilDate d = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", d.year, d.month, d.day,
                     rem / kMsPerHour, rem / kMsPerMinute % 60, rem / kMsPerSecond % 60,
                     rem % 1000);
}

std::string Table::FieldText(size_t row, int column) const {
  const Column& c = columns_[column];
  switch (c.type) {
    case ColumnType::kCode: return std::string(c.CodeAt(row));
    case ColumnType::kText: return std::string(c.TextAt(row));
    case ColumnType::kTime: return c.times[row] == kNullTime ? "" : FormatInstant(c.times[row]);
    case ColumnType::kInt: return c.ints[row] == kNullInt ? "" : fmt::format("{}", c.ints[row]);
    case ColumnType::kReal: return IsNull(c.reals[row]) ? "" : fmt::format("{}", c.reals[row]);
    case ColumnType::kBool:
      return c.bytes[row] == kNullBool ? "" : (c.bytes[row] ? "true" : "false");
    case ColumnType::kEnum:
      return c.bytes[row] == kNullBool ? "" : std::string(def_->columns[column].vocab[c.bytes[row]]);
  }
  return "";
}

std::string Table::IdentityKey(size_t row) const {
  std::string key;
  bool first = true;
  for (int c : def_->identity) {
    if (!first) key.push_back('\x1f');
    first = false;
    if (columns_[c].type == ColumnType::kTime) {
      // Raw instant: exact and cheap.
      key.append(columns_[c].times[row] == kNullTime ? "" : fmt::format("{}", columns_[c].times[row]));
    } else {
      key.append(FieldText(row, c));
    }
  }
  return key;
}

}  // namespace govqm

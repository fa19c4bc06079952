#include "core/table.h"

#include <fmt/format.h>

#include <cstring>

namespace govqm {

uint32_t Dictionary::Intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  const auto code = static_cast<uint32_t>(values_.size());
  values_.emplace_back(s);
  index_.emplace(values_.back(), code);
  return code;
}

uint32_t Dictionary::Find(std::string_view s) const {
  auto it = index_.find(s);
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

void Table::AppendTable(const Table& o) {
  for (auto& f : fingerprints) f.clear();
  for (size_t i = 0; i < columns_.size(); ++i) {
    Column& d = columns_[i];
    const Column& s = o.columns_[i];
    switch (d.type) {
      case ColumnType::kCode: {
        std::vector<uint32_t> remap(s.dict.size());
        for (uint32_t c = 0; c < s.dict.size(); ++c) remap[c] = d.dict.Intern(s.dict[c]);
        d.codes.reserve(d.codes.size() + s.codes.size());
        for (uint32_t c : s.codes) d.codes.push_back(c == kNullCode ? kNullCode : remap[c]);
        break;
      }
      case ColumnType::kText: {
        const uint64_t base = d.text.size();
        d.text.append(s.text);
        d.offsets.reserve(d.offsets.size() + s.offsets.size() - 1);
        for (size_t r = 1; r < s.offsets.size(); ++r) d.offsets.push_back(base + s.offsets[r]);
        break;
      }
      case ColumnType::kTime: d.times.insert(d.times.end(), s.times.begin(), s.times.end()); break;
      case ColumnType::kInt: d.ints.insert(d.ints.end(), s.ints.begin(), s.ints.end()); break;
      case ColumnType::kReal: d.reals.insert(d.reals.end(), s.reals.begin(), s.reals.end()); break;
      case ColumnType::kBool:
      case ColumnType::kEnum: d.bytes.insert(d.bytes.end(), s.bytes.begin(), s.bytes.end()); break;
    }
  }
  rows_ += o.rows_;
}

void Column::Clear() {
  times.clear();
  ints.clear();
  reals.clear();
  bytes.clear();
  codes.clear();
  dict.Clear();
  offsets.assign(1, 0);
  text.clear();
}

void Column::ResizeFixed(size_t rows) {
  switch (type) {
    case ColumnType::kTime: times.resize(rows); break;
    case ColumnType::kInt: ints.resize(rows); break;
    case ColumnType::kReal: reals.resize(rows); break;
    case ColumnType::kBool:
    case ColumnType::kEnum: bytes.resize(rows); break;
    default: break;
  }
}

void Table::Clear() {
  for (Column& c : columns_) c.Clear();
  for (auto& f : fingerprints) f.clear();
  rows_ = 0;
}

void Table::AppendRow(const Table& src, size_t r) {
  for (auto& f : fingerprints) f.clear();
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
  Table out = *this;
  out.KeepRows(keep);
  return out;
}

namespace {

// Moves kept elements of a fixed-width vector forward; `n` rows are described by keep.
template <typename T>
void Compact(std::vector<T>& v, const std::vector<bool>& keep) {
  if (v.size() != keep.size()) return;  // a skipped (empty) column, or a foreign cache
  size_t w = 0;
  for (size_t r = 0; r < keep.size(); ++r) {
    if (keep[r]) v[w++] = v[r];
  }
  v.resize(w);
}

}  // namespace

void Table::KeepRows(const std::vector<bool>& keep) {
  size_t kept = 0;
  for (bool k : keep) kept += k;
  if (kept == rows_) return;  // nothing to drop: no work, no copy
  for (Column& c : columns_) {
    switch (c.type) {
      case ColumnType::kCode: Compact(c.codes, keep); break;
      case ColumnType::kTime: Compact(c.times, keep); break;
      case ColumnType::kInt: Compact(c.ints, keep); break;
      case ColumnType::kReal: Compact(c.reals, keep); break;
      case ColumnType::kBool:
      case ColumnType::kEnum: Compact(c.bytes, keep); break;
      case ColumnType::kText: {
        if (c.offsets.size() != keep.size() + 1) break;  // skipped column
        // Text moves forward in place: each kept row's bytes start at or before where they
        // were, so memmove never overwrites bytes still to be read.
        uint64_t w = 0;
        size_t wr = 0;
        for (size_t r = 0; r < keep.size(); ++r) {
          if (!keep[r]) continue;
          const uint64_t b = c.offsets[r], e = c.offsets[r + 1];
          if (w != b) std::memmove(c.text.data() + w, c.text.data() + b, e - b);
          w += e - b;
          c.offsets[++wr] = w;
        }
        c.text.resize(w);
        c.offsets.resize(wr + 1);
        break;
      }
    }
  }
  for (auto& f : fingerprints) {
    if (f.size() == rows_) {
      Compact(f, keep);
    } else {
      f.clear();
    }
  }
  rows_ = kept;
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

bool Table::SameIdentity(size_t r, const Table& other, size_t o) const {
  for (int c : def_->identity) {
    const Column& a = columns_[c];
    const Column& b = other.columns_[c];
    switch (a.type) {
      case ColumnType::kCode:
        if (a.CodeAt(r) != b.CodeAt(o)) return false;
        break;
      case ColumnType::kText:
        if (a.TextAt(r) != b.TextAt(o)) return false;
        break;
      case ColumnType::kTime:
        if (a.times[r] != b.times[o]) return false;
        break;
      case ColumnType::kInt:
        if (a.ints[r] != b.ints[o]) return false;
        break;
      case ColumnType::kReal:
        if (!(a.reals[r] == b.reals[o] || (IsNull(a.reals[r]) && IsNull(b.reals[o])))) return false;
        break;
      case ColumnType::kBool:
      case ColumnType::kEnum:
        if (a.bytes[r] != b.bytes[o]) return false;
        break;
    }
  }
  return true;
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

namespace govqm {

uint64_t HashBytes(std::string_view bytes) {
  // FNV-1a, then a splitmix64 finaliser for good high bits. Stable by construction.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

const std::vector<Fingerprint>& Fingerprints(const Table& table, int column,
                                             std::vector<Fingerprint>* scratch) {
  const auto& cols = table.def().fingerprinted;
  for (size_t k = 0; k < cols.size(); ++k) {
    if (cols[k] == column && table.fingerprints[k].size() == table.rows()) {
      return table.fingerprints[k];
    }
  }
  scratch->resize(table.rows());
  const Column& c = table.col(column);
  for (size_t r = 0; r < table.rows(); ++r) (*scratch)[r] = FingerprintOf(c.TextAt(r));
  return *scratch;
}

uint64_t IdentityHash(const Table& table, size_t row) {
  const auto& identity = table.def().identity;
  if (identity.size() == 1 && table.col(identity[0]).type == ColumnType::kText) {
    return HashBytes(table.col(identity[0]).TextAt(row));  // the common case: an id column
  }
  return HashBytes(table.IdentityKey(row));
}

}  // namespace govqm

// Columnar tables: the in-memory shape of every kind, shared by import, store and engine.
// A Table holds one Column per ColumnDef of its kind, all of the same length. Nulls are
// sentinels (no separate bitmaps): kNullTime, kNullInt, NaN, kNullBool, kNullCode, and an
// empty text (domain.md §2: an empty field is unknown).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/fingerprint.h"
#include "core/schema.h"
#include "core/time_zone.h"

namespace govqm {

inline constexpr int32_t kNullInt = std::numeric_limits<int32_t>::min();
inline constexpr int8_t kNullBool = -1;  // also the null enum
inline constexpr uint32_t kNullCode = std::numeric_limits<uint32_t>::max();
inline constexpr double kNullReal = std::numeric_limits<double>::quiet_NaN();
inline bool IsNull(double v) { return std::isnan(v); }

// Dictionary of short strings; index = code. Lookup by string for appends.
class Dictionary {
 public:
  uint32_t Intern(std::string_view s);
  // kNullCode when absent.
  uint32_t Find(std::string_view s) const;
  const std::string& operator[](uint32_t code) const { return values_[code]; }
  size_t size() const { return values_.size(); }
  const std::vector<std::string>& values() const { return values_; }
  void Clear() {
    values_.clear();
    index_.clear();
  }

 private:
  // Transparent hashing: look up by string_view without building a std::string per row.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::vector<std::string> values_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index_;
};

struct Column {
  ColumnType type = ColumnType::kText;
  std::vector<int64_t> times;       // kTime
  std::vector<int32_t> ints;        // kInt
  std::vector<double> reals;        // kReal
  std::vector<int8_t> bytes;        // kBool, kEnum
  std::vector<uint32_t> codes;      // kCode: index into dict, or kNullCode
  Dictionary dict;                  // kCode
  std::vector<uint64_t> offsets{0};  // kText: row i is text[offsets[i], offsets[i+1])
  std::string text;                 // kText

  size_t size() const;
  std::string_view TextAt(size_t row) const {
    return std::string_view(text).substr(offsets[row], offsets[row + 1] - offsets[row]);
  }
  // The code's string, or "" for null.
  std::string_view CodeAt(size_t row) const {
    return codes[row] == kNullCode ? std::string_view() : std::string_view(dict[codes[row]]);
  }
  void Reserve(size_t rows);
  // Empties the column, keeping its capacity.
  void Clear();
  // Fixed-width types only: sets the length, keeping existing values (new rows are zero).
  void ResizeFixed(size_t rows);
  bool fixed_width() const { return type != ColumnType::kCode && type != ColumnType::kText; }
};

class Table {
 public:
  explicit Table(Kind kind);
  Kind kind() const { return kind_; }
  const KindDef& def() const { return *def_; }
  size_t rows() const { return rows_; }
  Column& col(int i) { return columns_[i]; }
  const Column& col(int i) const { return columns_[i]; }
  // Appends row `src_row` of `src` (same kind).
  void AppendRow(const Table& src, size_t src_row);
  // Called after columns were appended to directly, to fix the row count.
  void SetRows(size_t rows) { rows_ = rows; }
  void Reserve(size_t rows);
  // Appends every row of `other` (same kind), remapping its dictionaries.
  void AppendTable(const Table& other);
  // Empties every column but keeps the vectors' capacity, for reuse.
  void Clear();
  // A copy keeping only the rows whose keep[i] is true (keep.size() == rows()). Complete
  // fingerprint caches are kept, aligned with the rows kept; see KeepRows.
  Table Filter(const std::vector<bool>& keep) const;
  // In place: keeps only the rows whose keep[i] is true (keep.size() == rows()), in order,
  // without a copy. Columns a loader left empty (skipped columns, size 0) stay empty;
  // dictionaries keep every value (codes are unchanged). A complete fingerprint cache is
  // compacted with the rows, so Fingerprints() still meets the same row; an incomplete one
  // is dropped. The one way to drop rows and keep the derived per-row data aligned.
  void KeepRows(const std::vector<bool>& keep);
  // The identity key of a row (domain.md §2), as text: fields joined by '\x1f'.
  std::string IdentityKey(size_t row) const;
  // True when row `row` of this table and row `other_row` of `other` (same kind) have the
  // same identity (domain.md §2).
  bool SameIdentity(size_t row, const Table& other, size_t other_row) const;
  // Renders one field as canonical text (times as ISO 8601 UTC with milliseconds).
  std::string FieldText(size_t row, int column) const;
  // fingerprints[k]: FingerprintOf(def().fingerprinted[k]) per row, when a loader filled
  // them (the store keeps them); empty otherwise. A derived cache: Clear, AppendRow and
  // AppendTable drop it. Fingerprints() gives them either way.
  std::vector<Fingerprint> fingerprints[kMaxFingerprinted];

 private:
  Kind kind_;
  const KindDef* def_;
  size_t rows_ = 0;
  std::vector<Column> columns_;
};

// A stable 64-bit hash of a row's identity (the same across runs and machines): the store
// keeps it per row to find re-imported records without a per-row B-tree index.
uint64_t IdentityHash(const Table& table, size_t row);
uint64_t HashBytes(std::string_view bytes);

// FingerprintOf(column) of every row, for a column in def().fingerprinted: the table's own
// cache when it is complete, else computed into *scratch.
const std::vector<Fingerprint>& Fingerprints(const Table& table, int column,
                                             std::vector<Fingerprint>* scratch);

// ISO 8601 UTC text of an instant: 2024-03-07T01:02:03.456Z.
std::string FormatInstant(int64_t utc_ms);

}  // namespace govqm

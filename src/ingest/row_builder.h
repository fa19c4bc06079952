// One record's source fields → one validated row of a kind's columnar Table (domain.md §2):
// the column mapping applied (ingest/mapping.h), every value parsed and checked, personal
// data scrubbed or normalised before it reaches the table. Used by the readers in
// importer.cc; no I/O.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/contact.h"
#include "core/scrub.h"
#include "core/table.h"
#include "ingest/importer.h"
#include "ingest/time_parse.h"
#include "ingest/value_parse.h"

namespace govqm::ingest_detail {

// How one canonical column is filled from the source.
struct ColumnPlan {
  std::string source_name;                     // the source column or JSON key
  int source_index = -1;                       // CSV: index in the header, -1 = absent
  const std::string* constant = nullptr;       // [constants]
  const std::unordered_map<std::string, std::string>* values = nullptr;  // [values.X]
  const std::string* format = nullptr;         // [formats]
};

// One parsed value, before the row is known to be valid.
struct Cell {
  int64_t time = kNullTime;
  double real = kNullReal;
  int32_t integer = kNullInt;
  int8_t byte = kNullBool;
  std::string_view text;
};

inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

inline std::string Shorten(std::string_view v) {
  if (v.size() <= 40) return std::string(v);
  size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return std::string(v.substr(0, cut)) + "…";
}

inline std::string FormatNumber(double v) { return fmt::format("{}", v); }

// Org indicator periods (domain.md §2.7): a year, a half, a quarter or a month.
inline bool IsPeriod(std::string_view p) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (i >= p.size() || p[i] < '0' || p[i] > '9') return false;
    }
    return true;
  };
  if (!digits(0, 4)) return false;
  if (p.size() == 4) return true;
  if (p.size() == 6 && p[4] == 'H') return p[5] == '1' || p[5] == '2';
  if (p.size() == 6 && p[4] == 'Q') return p[5] >= '1' && p[5] <= '4';
  if (p.size() == 7 && p[4] == '-' && digits(5, 2)) {
    const int m = (p[5] - '0') * 10 + (p[6] - '0');
    return m >= 1 && m <= 12;
  }
  return false;
}

// Whether ScrubPersonalData could change `v`: every pattern it replaces holds a digit (ASCII,
// or full-width, whose UTF-8 starts with 0xEF) or an '@'. Most comments hold none, and skip
// the scrubber's copy.
inline bool MayHoldPersonalData(std::string_view v) {
  for (const char ch : v) {
    if ((ch >= '0' && ch <= '9') || ch == '@' || static_cast<unsigned char>(ch) == 0xEF) return true;
  }
  return false;
}

class RowBuilder {
 public:
  // Valid rows go to *rows (see set_rows).
  RowBuilder(const ParseOptions& options, Table* rows)
      : options_(options), def_(GetKindDef(options.kind)), rows_(rows) {
    plans_.resize(def_.columns.size());
    cells_.resize(def_.columns.size());
    owned_.resize(def_.columns.size());
    const ColumnMapping* m = options.mapping;
    for (size_t i = 0; i < def_.columns.size(); ++i) {
      const std::string name(def_.columns[i].name);
      ColumnPlan& p = plans_[i];
      p.source_name = name;
      if (m == nullptr) continue;
      if (auto it = m->columns.find(name); it != m->columns.end()) p.source_name = it->second;
      if (auto it = m->constants.find(name); it != m->constants.end()) p.constant = &it->second;
      if (auto it = m->values.find(name); it != m->values.end()) p.values = &it->second;
      if (auto it = m->formats.find(name); it != m->formats.end()) p.format = &it->second;
    }
  }

  std::vector<ColumnPlan>& plans() { return plans_; }
  const KindDef& def() const { return def_; }
  const ParseOptions& options() const { return options_; }
  // Valid rows go to *rows from now on (a new chunk); forgets the per-column last-code cache,
  // which pointed into the previous table's dictionaries.
  void set_rows(Table* rows) {
    rows_ = rows;
    code_cache_.clear();
  }
  Table* rows() const { return rows_; }
  // Times read so far that carried no offset (read in the zone): counted, never reset.
  int64_t times_without_offset() const { return times_without_offset_; }

  // Validates one record. `raw(i)` gives the source text of canonical column i and whether
  // the source has that column at all. On success appends to the table and returns true;
  // otherwise fills *column and *reason.
  template <typename RawFn>
  bool Build(RawFn&& raw, std::string* column, std::string* reason) {
    for (size_t i = 0; i < def_.columns.size(); ++i) {
      const ColumnDef& cd = def_.columns[i];
      const ColumnPlan& p = plans_[i];
      bool present = false;
      std::string_view v = raw(static_cast<int>(i), &present);
      if (!present && p.constant != nullptr) v = *p.constant;
      if (p.values != nullptr && !v.empty()) {
        mapped_key_.assign(v);
        if (auto it = p.values->find(mapped_key_); it != p.values->end()) v = it->second;
      }
      Cell& c = cells_[i];
      c = Cell{};
      const std::string_view trimmed = TrimAscii(v);
      if (trimmed.empty()) {
        if (cd.required) return Fail(cd, "required value missing", column, reason);
        continue;
      }
      switch (cd.type) {
        case ColumnType::kCode:
          c.text = trimmed;
          break;
        case ColumnType::kText:
          c.text = v;
          // Personal data is dealt with here, so the clear text never reaches the table.
          if (cd.personal == PersonalData::kFreeText && MayHoldPersonalData(v)) {
            owned_[i] = ScrubPersonalData(v);
            c.text = owned_[i];
          } else if (cd.personal == PersonalData::kContact) {
            std::optional<std::string> digits = NormaliseContact(trimmed);
            // The value is not echoed: a reason is printed and logged more widely than data.
            if (!digits) {
              return Fail(cd,
                          "not a phone number (a mobile: 1 and 10 digits; a landline: 0, the "
                          "area code and 7–8 digits)",
                          column, reason);
            }
            owned_[i] = std::move(*digits);
            c.text = owned_[i];
          }
          break;
        case ColumnType::kTime: {
          int year = 0;
          bool had_offset = false;
          const bool ok = p.format != nullptr
                              ? ParseFormattedInstant(trimmed, *p.format, *options_.zone,
                                                      cd.date_only, &c.time, &year, &had_offset)
                              : ParseIsoInstant(trimmed, *options_.zone, cd.date_only, &c.time,
                                                &year, &had_offset);
          times_without_offset_ += had_offset ? 0 : 1;
          if (!ok) {
            return Fail(cd,
                        p.format != nullptr
                            ? fmt::format("not a time in format '{}': '{}'", *p.format, Shorten(v))
                            : fmt::format("not an ISO 8601 time: '{}'", Shorten(v)),
                        column, reason);
          }
          if (year < kMinInputYear || year > kMaxInputYear) {
            return Fail(cd,
                        fmt::format("year {:04} is outside {}–{}: '{}'", year, kMinInputYear,
                                    kMaxInputYear, Shorten(v)),
                        column, reason);
          }
          break;
        }
        case ColumnType::kInt:
          if (const NumberError e = ReadInt32(trimmed, &c.integer); e != NumberError::kNone) {
            return Fail(cd, NumberReason(e, cd, Shorten(v)), column, reason);
          }
          if (c.integer < cd.min || c.integer > cd.max) {
            return Fail(cd, OutOfRange(cd, c.integer < cd.min, Shorten(v)), column, reason);
          }
          break;
        case ColumnType::kReal:
          if (const NumberError e = ReadReal(trimmed, &c.real); e != NumberError::kNone) {
            return Fail(cd, NumberReason(e, cd, Shorten(v)), column, reason);
          }
          if (c.real < cd.min || c.real > cd.max) {
            return Fail(cd, OutOfRange(cd, c.real < cd.min, Shorten(v)), column, reason);
          }
          break;
        case ColumnType::kBool:
          if (!ParseBool(trimmed, &c.byte)) {
            return Fail(cd, fmt::format("not a boolean: '{}'", Shorten(v)), column, reason);
          }
          break;
        case ColumnType::kEnum: {
          c.byte = kNullBool;
          for (size_t k = 0; k < cd.vocab.size(); ++k) {
            if (EqualsIgnoreAsciiCase(trimmed, cd.vocab[k])) c.byte = static_cast<int8_t>(k);
          }
          if (c.byte == kNullBool) {
            std::string expected;
            for (auto w : cd.vocab) expected += (expected.empty() ? "" : "|") + std::string(w);
            return Fail(cd, fmt::format("unknown {} '{}' (expected {})", cd.name, Shorten(v),
                                        expected),
                        column, reason);
          }
          break;
        }
      }
    }
    if (!CheckCrossFields(column, reason)) return false;
    Append();
    return true;
  }

 private:
  // A value outside the column's bounds. Each reason says which bound, in the reader's terms:
  // "negative value" only for a value below a minimum of 0, never for one that is too large.
  static std::string OutOfRange(const ColumnDef& cd, bool below, std::string_view v) {
    const bool bounded_above = cd.max < TypeMax(cd);
    const bool bounded_below = cd.min > TypeMin(cd);
    if (bounded_above && bounded_below) {  // a closed scale, e.g. a score 1–5 or an age
      return fmt::format("outside {}–{}: '{}'", FormatNumber(cd.min), FormatNumber(cd.max), v);
    }
    if (below) {
      if (cd.min == 0) return fmt::format("negative value: '{}'", v);
      return fmt::format("out of range: '{}' (min {})", v, FormatNumber(cd.min));
    }
    return fmt::format("out of range: '{}' (max {})", v, FormatNumber(std::min(cd.max, TypeMax(cd))));
  }

  // The reason for a number the parser could not read (value_parse.h).
  static std::string NumberReason(NumberError e, const ColumnDef& cd, std::string_view v) {
    const bool integer = cd.type == ColumnType::kInt;
    switch (e) {
      case NumberError::kTooLarge:
        return OutOfRange(cd, /*below=*/false, v);
      case NumberError::kTooSmall:
        return OutOfRange(cd, /*below=*/true, v);
      case NumberError::kUnderflow:
        return fmt::format("out of range: '{}' (too close to zero for a double; write 0 if 0 is meant)", v);
      case NumberError::kNone:
      case NumberError::kSyntax:
        break;
    }
    return integer ? fmt::format("not an integer: '{}'", v) : fmt::format("not a number: '{}'", v);
  }

  // The largest and smallest values a column's type can hold at all.
  static double TypeMax(const ColumnDef& cd) { return cd.type == ColumnType::kInt ? 2147483647.0 : 1e300; }
  static double TypeMin(const ColumnDef& cd) { return cd.type == ColumnType::kInt ? -2147483648.0 : -1e300; }

  bool Fail(const ColumnDef& cd, std::string why, std::string* column, std::string* reason) {
    *column = std::string(cd.name);
    *reason = std::move(why);
    return false;
  }

  bool FailAt(int col, std::string why, std::string* column, std::string* reason) {
    return Fail(def_.columns[col], std::move(why), column, reason);
  }

  // Rules that involve more than one field (domain.md §2).
  bool CheckCrossFields(std::string* column, std::string* reason) {
    if (options_.kind == Kind::kOrg && !IsPeriod(cells_[org_col::kPeriod].text)) {
      return FailAt(org_col::kPeriod,
                    fmt::format("not a period (2024, 2024H1, 2024Q1 or 2024-03): '{}'",
                                Shorten(cells_[org_col::kPeriod].text)),
                    column, reason);
    }
    if (options_.kind != Kind::kTransactions) return true;
    using namespace tx_col;
    const int64_t submitted = cells_[kSubmittedAt].time;
    if (cells_[kStatus].byte == static_cast<int8_t>(TxStatus::kCompleted) &&
        cells_[kCompletedAt].time == kNullTime) {
      return FailAt(kCompletedAt, "required when status is completed", column, reason);
    }
    if (cells_[kAcceptedAt].time != kNullTime && cells_[kAcceptedAt].time < submitted) {
      return FailAt(kAcceptedAt, "accepted_at is before submitted_at", column, reason);
    }
    if (cells_[kCompletedAt].time != kNullTime && cells_[kCompletedAt].time < submitted) {
      return FailAt(kCompletedAt, "completed_at is before submitted_at", column, reason);
    }
    // The spec's order of a case is submitted <= accepted <= completed, and a record reaches
    // the platform after it was submitted. due_at is left alone: real exports (NYC 311) carry
    // deadlines set before the record was created, and the indicators handle them.
    if (cells_[kCompletedAt].time != kNullTime && cells_[kAcceptedAt].time != kNullTime &&
        cells_[kCompletedAt].time < cells_[kAcceptedAt].time) {
      return FailAt(kCompletedAt, "completed_at is before accepted_at", column, reason);
    }
    if (cells_[kReportedAt].time != kNullTime && cells_[kReportedAt].time < submitted) {
      return FailAt(kReportedAt, "reported_at is before submitted_at", column, reason);
    }
    const int32_t req = cells_[kMaterialsRequired].integer;
    const int32_t ex = cells_[kMaterialsExempted].integer;
    if (req != kNullInt && ex != kNullInt && ex > req) {
      return FailAt(kMaterialsExempted,
                    fmt::format("more materials exempted ({}) than required ({})", ex, req),
                    column, reason);
    }
    return true;
  }

  void Append() {
    Table& t = *rows_;
    for (size_t i = 0; i < cells_.size(); ++i) {
      Column& col = t.col(static_cast<int>(i));
      const Cell& c = cells_[i];
      switch (col.type) {
        case ColumnType::kCode:
          col.codes.push_back(c.text.empty() ? kNullCode : InternCached(i, col, c.text));
          break;
        case ColumnType::kText:
          col.text.append(c.text);
          col.offsets.push_back(col.text.size());
          break;
        case ColumnType::kTime: col.times.push_back(c.time); break;
        case ColumnType::kInt: col.ints.push_back(c.integer); break;
        case ColumnType::kReal: col.reals.push_back(c.real); break;
        case ColumnType::kBool:
        case ColumnType::kEnum: col.bytes.push_back(c.byte); break;
      }
    }
    t.SetRows(t.rows() + 1);
  }

  // Codes repeat (channel, region, item): a small direct-mapped cache per column, keyed by a
  // cheap hash of the text, answers most rows with one comparison instead of a hash-map
  // lookup (the dictionaries were a seventh of the import's time).
  static constexpr size_t kCodeCacheSlots = 512;
  static size_t CodeSlot(std::string_view s) {
    uint64_t h = 1469598103934665603ull ^ s.size();
    const size_t n = s.size();
    uint64_t head = 0, tail = 0;
    std::memcpy(&head, s.data(), std::min<size_t>(n, 8));
    if (n > 8) std::memcpy(&tail, s.data() + n - std::min<size_t>(n - 8, 8), std::min<size_t>(n - 8, 8));
    h = (h ^ head) * 0x100000001b3ull;
    h = (h ^ tail) * 0x9E3779B97F4A7C15ull;
    return static_cast<size_t>(h >> 55) & (kCodeCacheSlots - 1);
  }
  uint32_t InternCached(size_t i, Column& col, std::string_view s) {
    if (code_cache_.size() != cells_.size() * kCodeCacheSlots) {
      code_cache_.assign(cells_.size() * kCodeCacheSlots, kNullCode);
    }
    uint32_t& slot = code_cache_[i * kCodeCacheSlots + CodeSlot(s)];
    if (slot != kNullCode && col.dict[slot] == s) return slot;
    return slot = col.dict.Intern(s);
  }

  const ParseOptions& options_;
  const KindDef& def_;
  Table* rows_;
  int64_t times_without_offset_ = 0;
  std::vector<ColumnPlan> plans_;
  std::vector<Cell> cells_;
  std::vector<std::string> owned_;  // per column: a value rewritten by Build (scrubbed, normalised)
  std::vector<uint32_t> code_cache_;  // per code column, kCodeCacheSlots codes (kNullCode = empty)
  std::string mapped_key_;
};

}  // namespace govqm::ingest_detail

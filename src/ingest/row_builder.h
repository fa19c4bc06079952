// One record's source fields → one validated row of a kind's columnar Table (domain.md §2):
// the column mapping applied (ingest/mapping.h), every value parsed and checked, personal
// data scrubbed or normalised before it reaches the table. Used by the readers in
// importer.cc; no I/O.
//
// The readers' interface:
//   CSV:  BindCsvHeader(header, …) once per file (resolves every source column — fallbacks and
//         join parts too — to a header index, warns of mapped columns the header lacks, refuses
//         a file without a required column), then BuildCsv(fields, …) per record.
//   JSON: per record ClearFields(), SetField(key, value) per key (false: the key feeds no
//         column), then BuildFields(…).
//   Rejected records: ScrubRejected(field_of_source, …) scrubs every source field that feeds a
//         free-text column; a rejection's column is the canonical name, or "source → canonical"
//         when the value came from a source column of another name.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
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
  enum class From : uint8_t { kOne, kFallbacks, kJoin };
  From from = From::kOne;
  std::vector<int> sources;              // RowBuilder's sources (at least one), in order
  int first = -1;                        // sources[0], for the one-source path
  std::string separator;                 // kJoin
  const std::string* constant = nullptr;  // [constants]
  const std::unordered_map<std::string, std::string>* values = nullptr;  // [values.X]
  const std::string* blank_value = nullptr;  // [values.X] "" = ...: what a blank cell becomes
  const std::string* format = nullptr;       // [formats]
  DateOnlyMeans date_only = DateOnlyMeans::kStartOfDay;  // the column's, or [end_of_day]'s
  MidnightMeans midnight = MidnightMeans::kAsWritten;    // [end_of_day]
};

// One parsed value, before the row is known to be valid.
struct Cell {
  int64_t time = kNullTime;
  double real = kNullReal;
  int32_t integer = kNullInt;
  int8_t byte = kNullBool;
  // Which of the plan's sources gave the value (for a rejection's column): its position,
  // kNoSource (all fallbacks blank), or kConstant.
  int8_t origin = 0;
  std::string_view text;
};

inline constexpr int8_t kNoSource = -1;
inline constexpr int8_t kConstant = -2;

// std::string keys looked up by string_view without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
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
  RowBuilder(const ParseOptions& options, Table* rows);

  const KindDef& def() const { return def_; }
  const ParseOptions& options() const { return options_; }
  const std::vector<ColumnPlan>& plans() const { return plans_; }
  // The distinct source columns (JSON keys) the mapping reads; a column without a mapping
  // reads its canonical name.
  const std::vector<std::string>& sources() const { return sources_; }
  const std::string& source_name(int source) const { return sources_[source]; }
  // Valid rows go to *rows from now on (a new chunk); forgets the per-column last-code cache,
  // which pointed into the previous table's dictionaries.
  void set_rows(Table* rows) {
    rows_ = rows;
    code_cache_.clear();
  }
  Table* rows() const { return rows_; }
  // Times read so far that carried no offset (read in the zone): counted, never reset.
  int64_t times_without_offset() const { return times_without_offset_; }

  // CSV. Binds `header` (names already trimmed) to the sources: a source column named twice
  // refuses the file (which is meant cannot be guessed); each mapped source the header lacks
  // (unless a constant stands in) adds a warning "mapped column 'X' (for c) is not in the
  // header"; a required column none of whose sources is in the header refuses the file
  // ("F: missing required column 'c'", with what it was mapped from, or the header's name that
  // differs only in case). The header's columns that feed nothing (and do not start with '_')
  // are appended to *ignored.
  Status BindCsvHeader(const std::vector<std::string>& header, std::string_view file_name,
                       std::vector<std::string>* warnings, std::vector<std::string>* ignored);
  // Takes the header binding of `other` (a builder over the same options and header).
  void CopyBindingFrom(const RowBuilder& other) { csv_field_ = other.csv_field_; }
  // The header index of a source, or -1 when the header lacks it.
  int csv_field(int source) const { return csv_field_[source]; }
  // One record of as many fields as the bound header. See Build.
  bool BuildCsv(const std::vector<std::string_view>& fields, std::string* column,
                std::string* reason) {
    return Build(
        [&](int s, bool* present) -> std::string_view {
          const int f = csv_field_[s];
          *present = f >= 0;
          return f >= 0 ? fields[f] : std::string_view();
        },
        column, reason);
  }

  // JSON: the fields of one record, key by key (a repeated key: the last wins). SetField
  // returns false for a key that feeds no column. One hash lookup a key.
  void ClearFields() { std::fill(json_present_.begin(), json_present_.end(), 0); }
  bool SetField(std::string_view key, std::string_view value) {
    const auto it = source_ids_.find(key);
    if (it == source_ids_.end()) return false;
    json_value_[it->second] = value;
    json_present_[it->second] = 1;
    return true;
  }
  bool BuildFields(std::string* column, std::string* reason) {
    return Build(
        [&](int s, bool* present) -> std::string_view {
          *present = json_present_[s] != 0;
          return *present ? json_value_[s] : std::string_view();
        },
        column, reason);
  }

  // A rejected record's free text, scrubbed as an accepted one's would be (the rejects file
  // holds no more personal data than the store): `field_of(source)` is the rejected copy of a
  // source's field, or null. Every source feeding a free-text column is scrubbed, fallbacks
  // and join parts too; `more` (fields past the rejects file's columns) whole.
  template <typename FieldOf>
  void ScrubRejected(FieldOf&& field_of, Rejection* r) const {
    for (const int s : free_text_sources_) {
      if (std::string* f = field_of(s)) *f = ScrubPersonalData(*f);
    }
    if (!r->more.empty()) r->more = ScrubPersonalData(r->more);
  }

  // Validates one record. `raw(s, &present)` gives the text of source s and whether the
  // record has that source at all. On success appends to the table and returns true;
  // otherwise fills *column (the canonical column, or "source → canonical") and *reason.
  template <typename RawFn>
  bool Build(RawFn&& raw, std::string* column, std::string* reason) {
    for (size_t i = 0; i < def_.columns.size(); ++i) {
      const ColumnDef& cd = def_.columns[i];
      const ColumnPlan& p = plans_[i];
      Cell& c = cells_[i];
      c = Cell{};
      bool present = false;
      std::string_view v;
      switch (p.from) {
        case ColumnPlan::From::kOne:
          v = raw(p.first, &present);
          break;
        case ColumnPlan::From::kFallbacks:  // the first source whose cell is not blank
          c.origin = kNoSource;
          for (size_t k = 0; k < p.sources.size(); ++k) {
            bool here = false;
            const std::string_view f = raw(p.sources[k], &here);
            present = present || here;
            if (!TrimAscii(f).empty()) {
              v = f;
              c.origin = static_cast<int8_t>(k);
              break;
            }
          }
          break;
        case ColumnPlan::From::kJoin: {  // trimmed parts; all blank = blank
          std::string& joined = joined_[i];
          joined.clear();
          bool any = false;
          for (size_t k = 0; k < p.sources.size(); ++k) {
            bool here = false;
            const std::string_view f = TrimAscii(raw(p.sources[k], &here));
            present = present || here;
            any = any || !f.empty();
            if (k > 0) joined.append(p.separator);
            joined.append(f);
          }
          if (any) v = joined;
          break;
        }
      }
      if (!present && p.constant != nullptr) {
        v = *p.constant;
        c.origin = kConstant;
      }
      if (p.values != nullptr) {
        if (TrimAscii(v).empty()) {
          if (p.blank_value != nullptr) v = *p.blank_value;
        } else {
          mapped_key_.assign(v);
          if (auto it = p.values->find(mapped_key_); it != p.values->end()) v = it->second;
        }
      }
      const std::string_view trimmed = TrimAscii(v);
      if (trimmed.empty()) {
        if (cd.required) return FailAt(static_cast<int>(i), "required value missing", column, reason);
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
              return FailAt(static_cast<int>(i),
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
                                                      p.date_only, &c.time, &year, &had_offset,
                                                      p.midnight)
                              : ParseIsoInstant(trimmed, *options_.zone, p.date_only, &c.time,
                                                &year, &had_offset, p.midnight);
          times_without_offset_ += had_offset ? 0 : 1;
          if (!ok) {
            return FailAt(static_cast<int>(i),
                        p.format != nullptr
                            ? fmt::format("not a time in format '{}': '{}'", *p.format, Shorten(v))
                            : fmt::format("not an ISO 8601 time: '{}'", Shorten(v)),
                        column, reason);
          }
          if (year < kMinInputYear || year > kMaxInputYear) {
            return FailAt(static_cast<int>(i),
                        fmt::format("year {:04} is outside {}–{}: '{}'", year, kMinInputYear,
                                    kMaxInputYear, Shorten(v)),
                        column, reason);
          }
          break;
        }
        case ColumnType::kInt:
          if (const NumberError e = ReadInt32(trimmed, &c.integer); e != NumberError::kNone) {
            return FailAt(static_cast<int>(i), NumberReason(e, cd, Shorten(v)), column, reason);
          }
          if (c.integer < cd.min || c.integer > cd.max) {
            return FailAt(static_cast<int>(i), OutOfRange(cd, c.integer < cd.min, Shorten(v)), column, reason);
          }
          break;
        case ColumnType::kReal:
          if (const NumberError e = ReadReal(trimmed, &c.real); e != NumberError::kNone) {
            return FailAt(static_cast<int>(i), NumberReason(e, cd, Shorten(v)), column, reason);
          }
          if (c.real < cd.min || c.real > cd.max) {
            return FailAt(static_cast<int>(i), OutOfRange(cd, c.real < cd.min, Shorten(v)), column, reason);
          }
          break;
        case ColumnType::kBool:
          if (!ParseBool(trimmed, &c.byte)) {
            return FailAt(static_cast<int>(i), fmt::format("not a boolean: '{}'", Shorten(v)), column, reason);
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
            return FailAt(static_cast<int>(i), fmt::format("unknown {} '{}' (expected {})", cd.name, Shorten(v),
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

  bool FailAt(int col, std::string why, std::string* column, std::string* reason) {
    *column = ColumnLabel(col);
    *reason = std::move(why);
    return false;
  }

  // A rejection's column: "closed_date → completed_at" when the value came from (or, blank,
  // was looked for in) source columns of other names; the canonical name alone otherwise.
  std::string ColumnLabel(int col) const;

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
  std::vector<std::string> joined_;  // per column: a join's value, valid until the row is appended
  std::vector<uint32_t> code_cache_;  // per code column, kCodeCacheSlots codes (kNullCode = empty)
  std::string mapped_key_;
  std::vector<std::string> sources_;
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> source_ids_;
  std::vector<int> free_text_sources_;  // sources feeding a free-text column, each once
  std::vector<int> csv_field_;          // per source: its header index, -1 = absent
  std::vector<std::string_view> json_value_;  // per source: this record's value
  std::vector<uint8_t> json_present_;         // per source: whether this record has it
};

}  // namespace govqm::ingest_detail

#include "ingest/time_parse.h"

#include "ingest/value_parse.h"

namespace govqm {
namespace {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned DaysInMonth(int64_t y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Exactly `n` digits at s[*i]; advances *i.
bool FixedDigits(std::string_view s, size_t* i, int n, int* out) {
  if (*i + n > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const char c = s[*i + k];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *i += n;
  *out = v;
  return true;
}

// 1 to `max_n` digits at s[*i]; advances *i.
bool VarDigits(std::string_view s, size_t* i, int max_n, int* out) {
  int v = 0;
  int n = 0;
  while (n < max_n && *i < s.size() && IsDigit(s[*i])) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    ++n;
  }
  *out = v;
  return n > 0;
}

// Digits after a decimal point at s[*i] (at least one) -> milliseconds, finer ones truncated.
bool FractionMs(std::string_view s, size_t* i, int* ms) {
  int v = 0;
  int n = 0;
  while (*i < s.size() && IsDigit(s[*i])) {
    if (n < 3) v = v * 10 + (s[*i] - '0');
    ++*i;
    ++n;
  }
  if (n == 0) return false;
  for (int k = n; k < 3; ++k) v *= 10;
  *ms = v;
  return true;
}

// Z, ±hh:mm, ±hhmm or ±hh at s[*i] -> offset in ms; advances *i.
bool UtcOffset(std::string_view s, size_t* i, int64_t* offset_ms) {
  if (*i >= s.size()) return false;
  const char sign = s[*i];
  if (sign == 'Z' || sign == 'z') {
    ++*i;
    *offset_ms = 0;
    return true;
  }
  if (sign != '+' && sign != '-') return false;
  ++*i;
  int hh = 0;
  int mm = 0;
  if (!FixedDigits(s, i, 2, &hh)) return false;
  if (*i < s.size() && s[*i] == ':') {
    ++*i;
    if (!FixedDigits(s, i, 2, &mm)) return false;
  } else if (*i < s.size() && IsDigit(s[*i])) {
    if (!FixedDigits(s, i, 2, &mm)) return false;
  }
  if (hh > 18 || mm > 59) return false;
  const int64_t off = hh * kMsPerHour + mm * kMsPerMinute;
  *offset_ms = sign == '-' ? -off : off;
  return true;
}

// The wall-clock fields of one reading, validated and turned into an instant.
struct Reading {
  int year = -1;
  int month = -1;
  int day = -1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int ms = 0;
  bool has_time = false;
  bool has_offset = false;
  int64_t offset_ms = 0;
};

bool ToInstant(const Reading& r, const TimeZone& zone, DateOnlyMeans date_only,
               MidnightMeans midnight, int64_t* out) {
  if (r.month < 1 || r.month > 12 || r.day < 1 ||
      static_cast<unsigned>(r.day) > DaysInMonth(r.year, r.month) || r.hour > 23 ||
      r.minute > 59 || r.second > 59) {
    return false;
  }
  int64_t days = DaysFromCivil(r.year, r.month, r.day);
  int64_t local = 0;
  const bool at_midnight = r.hour == 0 && r.minute == 0 && r.second == 0 && r.ms == 0;
  if (r.has_time && !(at_midnight && midnight == MidnightMeans::kEndOfDay)) {
    local = days * kMsPerDay + r.hour * kMsPerHour + r.minute * kMsPerMinute +
            r.second * kMsPerSecond + r.ms;
  } else {
    if (date_only == DateOnlyMeans::kEndOfDay || r.has_time) ++days;  // has_time: a midnight
    local = days * kMsPerDay;
  }
  *out = r.has_offset ? local - r.offset_ms : zone.LocalToUtc(local);
  return true;
}

constexpr std::string_view kMonthNames[] = {"january", "february", "march",     "april",
                                            "may",     "june",     "july",      "august",
                                            "september", "october", "november", "december"};

constexpr char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// An English month name or its 3-letter abbreviation, any case; advances *i.
bool MonthName(std::string_view s, size_t* i, int* month) {
  for (int m = 0; m < 12; ++m) {
    const std::string_view name = kMonthNames[m];
    size_t n = 0;
    while (n < name.size() && *i + n < s.size() && Lower(s[*i + n]) == name[n]) ++n;
    if (n == name.size() || n >= 3) {
      *i += n == name.size() ? n : 3;
      *month = m + 1;
      return true;
    }
  }
  return false;
}

enum class Pm : uint8_t { kNone, kAm, kPm };

// State shared by a format and the formats its %T / %F stand for.
struct Scan {
  std::string_view s;
  size_t i = 0;
  bool check = false;  // only examine the format (s unused)
  bool twelve_hour = false;
  Pm pm = Pm::kNone;
  std::string* error = nullptr;
};

bool Fail(Scan* sc, const char* why, char directive = 0) {
  if (sc->error != nullptr) {
    *sc->error = why;
    if (directive != 0) *sc->error += directive;
  }
  return false;
}

// One pass over the format and the input together.
bool Interpret(std::string_view fmt, Scan* sc, Reading* r) {
  const std::string_view s = sc->s;
  size_t& i = sc->i;
  const bool check = sc->check;
  for (size_t f = 0; f < fmt.size(); ++f) {
    const char fc = fmt[f];
    if (fc == ' ') {
      while (i < s.size() && s[i] == ' ') ++i;
      continue;
    }
    if (fc != '%') {
      if (!check && (i >= s.size() || s[i] != fc)) return false;
      ++i;
      continue;
    }
    if (++f >= fmt.size()) return Fail(sc, "format ends with a lone %");
    const char d = fmt[f];
    int v = 0;
    bool ok = true;
    switch (d) {
      case 'Y':
        r->year = 0;
        if (!check) ok = FixedDigits(s, &i, 4, &r->year);
        break;
      case 'y':
        r->year = 0;
        if (!check) ok = FixedDigits(s, &i, 2, &v);
        r->year = v < 69 ? 2000 + v : 1900 + v;  // POSIX pivot
        break;
      case 'm':
        r->month = 1;
        if (!check) ok = VarDigits(s, &i, 2, &r->month);
        break;
      case 'e':
        if (!check && i < s.size() && s[i] == ' ') ++i;
        [[fallthrough]];
      case 'd':
        r->day = 1;
        if (!check) ok = VarDigits(s, &i, 2, &r->day);
        break;
      case 'b': case 'h': case 'B':
        r->month = 1;
        if (!check) ok = MonthName(s, &i, &r->month);
        break;
      case 'H':
        r->has_time = true;
        if (!check) ok = VarDigits(s, &i, 2, &r->hour);
        break;
      case 'I':
        r->has_time = true;
        sc->twelve_hour = true;
        if (!check) ok = VarDigits(s, &i, 2, &r->hour) && r->hour >= 1 && r->hour <= 12;
        break;
      case 'M':
        r->has_time = true;
        if (!check) ok = VarDigits(s, &i, 2, &r->minute);
        break;
      case 'S':
        r->has_time = true;
        if (check) break;
        ok = VarDigits(s, &i, 2, &r->second);
        // Fractional seconds may follow %S, unless the format itself goes on with that '.'/','.
        if (ok && i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && IsDigit(s[i + 1]) &&
            !(f + 1 < fmt.size() && fmt[f + 1] == s[i])) {
          ++i;
          ok = FractionMs(s, &i, &r->ms);
        }
        break;
      case 'f':
        r->has_time = true;
        if (!check) ok = FractionMs(s, &i, &r->ms);
        break;
      case 'p':
        r->has_time = true;
        if (check) break;
        if (i + 2 <= s.size() && Lower(s[i + 1]) == 'm' &&
            (Lower(s[i]) == 'a' || Lower(s[i]) == 'p')) {
          sc->pm = Lower(s[i]) == 'a' ? Pm::kAm : Pm::kPm;
          i += 2;
        } else {
          ok = false;
        }
        break;
      case 'z':
        r->has_offset = true;
        if (!check) ok = UtcOffset(s, &i, &r->offset_ms);
        break;
      case 'T':
        ok = Interpret("%H:%M:%S", sc, r);
        break;
      case 'F':
        ok = Interpret("%Y-%m-%d", sc, r);
        break;
      case '%':
        if (!check && (i >= s.size() || s[i] != '%')) return false;
        ++i;
        break;
      default:
        return Fail(sc, "unknown directive %", d);
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool ParseIsoInstant(std::string_view s, const TimeZone& zone, DateOnlyMeans date_only,
                     int64_t* out_utc_ms, int* year, bool* had_offset,
                     MidnightMeans midnight) {
  s = TrimAscii(s);
  Reading r;
  size_t i = 0;
  if (!FixedDigits(s, &i, 4, &r.year) || i >= s.size() || s[i++] != '-' ||
      !FixedDigits(s, &i, 2, &r.month) || i >= s.size() || s[i++] != '-' ||
      !FixedDigits(s, &i, 2, &r.day)) {
    return false;
  }
  if (i < s.size()) {
    const char sep = s[i++];
    if (sep != 'T' && sep != 't' && sep != ' ') return false;
    r.has_time = true;
    if (!FixedDigits(s, &i, 2, &r.hour) || i >= s.size() || s[i++] != ':' ||
        !FixedDigits(s, &i, 2, &r.minute)) {
      return false;
    }
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!FixedDigits(s, &i, 2, &r.second)) return false;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        if (!FractionMs(s, &i, &r.ms)) return false;
      }
    }
    if (i < s.size()) {
      // "10:00:00 +08:00" also occurs in exports; one space before the offset is harmless.
      if (s[i] == ' ' && i + 1 < s.size()) ++i;
      r.has_offset = true;
      if (!UtcOffset(s, &i, &r.offset_ms) || i != s.size()) return false;
    }
  }
  if (!ToInstant(r, zone, date_only, midnight, out_utc_ms)) return false;
  if (year != nullptr) *year = r.year;
  if (had_offset != nullptr) *had_offset = r.has_offset;
  return true;
}

bool ParseFormattedInstant(std::string_view s, std::string_view strftime_format,
                           const TimeZone& zone, DateOnlyMeans date_only, int64_t* out_utc_ms,
                           int* year, bool* had_offset, MidnightMeans midnight) {
  Scan sc;
  sc.s = TrimAscii(s);
  Reading r;
  if (!Interpret(strftime_format, &sc, &r) || sc.i != sc.s.size()) return false;
  if (r.year < 0 || r.month < 0 || r.day < 0) return false;
  if (sc.twelve_hour && sc.pm != Pm::kNone) r.hour = r.hour % 12 + (sc.pm == Pm::kPm ? 12 : 0);
  if (!ToInstant(r, zone, date_only, midnight, out_utc_ms)) return false;
  if (year != nullptr) *year = r.year;
  if (had_offset != nullptr) *had_offset = r.has_offset;
  return true;
}

bool CheckTimeFormat(std::string_view strftime_format, std::string* error) {
  Scan sc;
  sc.check = true;
  sc.error = error;
  Reading r;
  if (!Interpret(strftime_format, &sc, &r)) return false;
  if (r.year < 0) return Fail(&sc, "no year (%Y or %y)");
  if (r.month < 0) return Fail(&sc, "no month (%m or %b)");
  if (r.day < 0) return Fail(&sc, "no day (%d or %e)");
  return true;
}

}  // namespace govqm

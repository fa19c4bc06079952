#include "platform/tz.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <fstream>
#include <iterator>
#include <optional>

#include <date/tz.h>

namespace govqm {
namespace {

using std::chrono::seconds;

constexpr int64_t kTableBeginSec = DaysFromCivil(1800, 1, 1) * 86400;
constexpr int64_t kTableEndSec = DaysFromCivil(2200, 1, 1) * 86400;
// date.h's intervals run from year -32767 to 32767; keep lookups well inside that.
constexpr int64_t kMaxLookupSec = 1'000'000'000'000LL;  // ~31,700 years

// date's last interval of a zone ends in year 32767; anything past 10000 means "no end".
constexpr int64_t kFarFutureSec = DaysFromCivil(10000, 1, 1) * 86400;

int64_t ClampSec(int64_t s) { return std::clamp(s, -kMaxLookupSec, kMaxLookupSec); }

int64_t Sec(date::sys_seconds t) { return ClampSec(t.time_since_epoch().count()); }

int64_t OffsetMs(const date::sys_info& info) {
  return std::chrono::duration_cast<seconds>(info.offset).count() * kMsPerSecond;
}

// The POSIX TZ string a version 2+ tzfile ends with ("\nEST5EDT,M3.2.0,M11.1.0\n"), or "".
std::string TzFileFooter(const std::string& zone_name) {
  std::ifstream in("/usr/share/zoneinfo/" + zone_name, std::ios::binary);
  if (!in) return "";
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 2 || bytes.back() != '\n') return "";
  const size_t start = bytes.rfind('\n', bytes.size() - 2);
  if (start == std::string::npos) return "";
  return bytes.substr(start + 1, bytes.size() - start - 2);
}

// A POSIX TZ rule with daylight saving ("EST5EDT,M3.2.0,M11.1.0"), as RFC 8536 §3.3 allows it
// at the end of a tzfile. (date/ptz.h would do, but does not compile as C++20.)
struct PosixRule {
  struct Day {
    char kind = 'M';  // 'J': Julian 1-365 without Feb 29; 'n': 0-365; 'M': month.week.weekday
    int a = 0, b = 0, c = 0;
    int64_t time_sec = 2 * 3600;  // local time of day of the change
  };
  int64_t std_off_sec = 0;  // east of UTC, as in sys_info (POSIX writes the opposite sign)
  int64_t dst_off_sec = 0;
  Day start, end;

  // Days since 1970-01-01 of `d` in `year`.
  static int64_t DayIn(const Day& d, int64_t year) {
    const int64_t jan1 = DaysFromCivil(year, 1, 1);
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (d.kind == 'J') return jan1 + d.a - 1 + (leap && d.a >= 60 ? 1 : 0);
    if (d.kind == 'n') return jan1 + d.a;
    const int64_t first = DaysFromCivil(year, static_cast<unsigned>(d.a), 1);
    const int64_t next_month = d.a == 12 ? DaysFromCivil(year + 1, 1, 1)
                                         : DaysFromCivil(year, static_cast<unsigned>(d.a) + 1, 1);
    const int first_sunday_based = (WeekdayFromDays(first) + 1) % 7;  // 0 = Sunday
    int64_t day = first + (d.c - first_sunday_based + 7) % 7 + (d.b - 1) * 7;
    while (day >= next_month) day -= 7;  // week 5 = the last such weekday
    return day;
  }
};

// Parses a POSIX TZ string; nullopt if it has no daylight-saving rule or cannot be read.
std::optional<PosixRule> ParsePosixRule(std::string_view s) {
  size_t i = 0;
  auto name = [&]() {
    if (i < s.size() && s[i] == '<') {
      const size_t close = s.find('>', i);
      if (close == std::string_view::npos) return false;
      i = close + 1;
      return true;
    }
    const size_t start = i;
    while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
    return i > start;
  };
  auto number = [&](int64_t* v) {
    const size_t start = i;
    *v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') *v = *v * 10 + (s[i++] - '0');
    return i > start;
  };
  // [+-]hh[:mm[:ss]] in seconds.
  auto clock = [&](int64_t* sec) {
    int64_t sign = 1;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
    int64_t h = 0, m = 0, x = 0;
    if (!number(&h)) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!number(&m)) return false;
      if (i < s.size() && s[i] == ':') {
        ++i;
        if (!number(&x)) return false;
      }
    }
    *sec = sign * (h * 3600 + m * 60 + x);
    return true;
  };
  auto day = [&](PosixRule::Day* d) {
    int64_t a = 0, b = 0, c = 0;
    if (i < s.size() && s[i] == 'M') {
      ++i;
      if (!number(&a) || i >= s.size() || s[i++] != '.' || !number(&b) || i >= s.size() ||
          s[i++] != '.' || !number(&c) || a < 1 || a > 12 || b < 1 || b > 5 || c > 6) {
        return false;
      }
      d->kind = 'M';
    } else {
      d->kind = 'n';
      if (i < s.size() && s[i] == 'J') {
        d->kind = 'J';
        ++i;
      }
      if (!number(&a) || a > 365) return false;
    }
    d->a = static_cast<int>(a);
    d->b = static_cast<int>(b);
    d->c = static_cast<int>(c);
    if (i < s.size() && s[i] == '/') {
      ++i;
      if (!clock(&d->time_sec)) return false;
    }
    return true;
  };
  PosixRule r;
  int64_t posix_std = 0;
  if (!name() || !clock(&posix_std)) return std::nullopt;
  r.std_off_sec = -posix_std;
  if (i == s.size() || !name()) return std::nullopt;  // no daylight saving: nothing to add
  r.dst_off_sec = r.std_off_sec + 3600;
  if (i < s.size() && s[i] != ',') {
    int64_t posix_dst = 0;
    if (!clock(&posix_dst)) return std::nullopt;
    r.dst_off_sec = -posix_dst;
  }
  if (i >= s.size() || s[i++] != ',' || !day(&r.start) || i >= s.size() || s[i++] != ',' ||
      !day(&r.end) || i != s.size()) {
    return std::nullopt;
  }
  return r;
}

// Offset changes by `rule` after `from_sec` and before `until_sec`: (utc second, new offset).
std::vector<std::pair<int64_t, int64_t>> PosixTransitions(const PosixRule& rule, int64_t from_sec,
                                                          int64_t until_sec) {
  std::vector<std::pair<int64_t, int64_t>> out;
  const int64_t first_year = CivilFromDays(FloorDiv(from_sec, 86400)).year;
  const int64_t last_year = CivilFromDays(FloorDiv(until_sec, 86400)).year;
  for (int64_t y = first_year; y <= last_year; ++y) {
    // The change into DST happens on standard time, the change back on daylight time.
    const int64_t on = PosixRule::DayIn(rule.start, y) * 86400 + rule.start.time_sec -
                       rule.std_off_sec;
    const int64_t off = PosixRule::DayIn(rule.end, y) * 86400 + rule.end.time_sec -
                        rule.dst_off_sec;
    std::pair<int64_t, int64_t> a{on, rule.dst_off_sec};
    std::pair<int64_t, int64_t> b{off, rule.std_off_sec};
    if (b.first < a.first) std::swap(a, b);  // southern hemisphere
    for (const auto& t : {a, b}) {
      if (t.first > from_sec && t.first < until_sec) out.push_back(t);
    }
  }
  return out;
}

}  // namespace

struct TzZone::Rules {
  const date::time_zone* zone = nullptr;
};

TzZone::TzZone(std::string name) : name_(std::move(name)) {}

TzZone::~TzZone() = default;

Result<std::unique_ptr<TzZone>> TzZone::Make(std::string_view iana_name) {
  const std::string name(iana_name);
  std::unique_ptr<TzZone> tz(new TzZone(name));
  auto rules = std::make_unique<Rules>();
  try {
    rules->zone = date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::Invalid("unknown time zone '" + name + "'");
  }
  try {
    // Tabulate the offset intervals over [1800, 2200), merging neighbours of equal offset.
    std::vector<std::pair<int64_t, int64_t>> spans;  // (utc begin ms, offset ms)
    auto add = [&spans](int64_t begin_sec, int64_t off_ms) {
      if (spans.empty() || spans.back().second != off_ms) {
        spans.emplace_back(begin_sec * kMsPerSecond, off_ms);
      }
    };
    int64_t t = kTableBeginSec;
    while (true) {
      const date::sys_info info = rules->zone->get_info(date::sys_seconds{seconds{t}});
      add(spans.empty() ? t : Sec(info.begin), OffsetMs(info));
      const int64_t next = Sec(info.end);
      if (next >= kTableEndSec || next <= t) {
        // date's last interval runs to its far future; from the tzfile's last transition on,
        // the file's POSIX rule says what happens (Debian's files stop listing them in 2037).
        if (next >= kFarFutureSec) {
          if (const auto rule = ParsePosixRule(TzFileFooter(rules->zone->name()))) {
            for (const auto& [at, off] : PosixTransitions(*rule, std::max(t, Sec(info.begin)),
                                                          kTableEndSec)) {
              add(at, off * kMsPerSecond);
            }
          }
        }
        break;
      }
      t = next;
    }
    // A wall-clock reading belongs to interval i from utc_begin + max(previous offset, own
    // offset): the overlap after a fall-back goes to the earlier interval, the gap after a
    // spring-forward to the interval before it, read with that interval's offset.
    tz->table_.reserve(spans.size() + 1);
    for (size_t i = 0; i < spans.size(); ++i) {
      const int64_t prev_off = i == 0 ? spans[i].second : spans[i - 1].second;
      tz->table_.push_back(
          {spans[i].first, spans[i].first + std::max(prev_off, spans[i].second), spans[i].second});
    }
    const int64_t end_ms = kTableEndSec * kMsPerSecond;
    tz->table_.push_back({end_ms, end_ms + spans.back().second, spans.back().second});
  } catch (const std::exception& e) {
    return Status::Invalid("time zone '" + name + "' cannot be read: " + e.what());
  }
  tz->rules_ = std::move(rules);
  return tz;
}

int64_t TzZone::UtcToLocal(int64_t utc_ms) const {
  const size_t n = table_.size() - 1;  // intervals; the last row only closes the span
  size_t i = utc_hint_.load(std::memory_order_relaxed);
  if (i < n && table_[i].utc_begin_ms <= utc_ms && utc_ms < table_[i + 1].utc_begin_ms) {
    return utc_ms + table_[i].offset_ms;
  }
  if (utc_ms < table_[0].utc_begin_ms || utc_ms >= table_[n].utc_begin_ms) {
    return SlowUtcToLocal(utc_ms);
  }
  const auto it = std::upper_bound(
      table_.begin(), table_.end(), utc_ms,
      [](int64_t v, const Interval& iv) { return v < iv.utc_begin_ms; });
  i = static_cast<size_t>(it - table_.begin()) - 1;
  utc_hint_.store(static_cast<uint32_t>(i), std::memory_order_relaxed);
  return utc_ms + table_[i].offset_ms;
}

int64_t TzZone::LocalToUtc(int64_t local_ms) const {
  const size_t n = table_.size() - 1;
  size_t i = local_hint_.load(std::memory_order_relaxed);
  if (i < n && table_[i].local_begin_ms <= local_ms && local_ms < table_[i + 1].local_begin_ms) {
    return local_ms - table_[i].offset_ms;
  }
  if (local_ms < table_[0].local_begin_ms || local_ms >= table_[n].local_begin_ms) {
    return SlowLocalToUtc(local_ms);
  }
  const auto it = std::upper_bound(
      table_.begin(), table_.end(), local_ms,
      [](int64_t v, const Interval& iv) { return v < iv.local_begin_ms; });
  i = static_cast<size_t>(it - table_.begin()) - 1;
  local_hint_.store(static_cast<uint32_t>(i), std::memory_order_relaxed);
  return local_ms - table_[i].offset_ms;
}

int64_t TzZone::SlowUtcToLocal(int64_t utc_ms) const {
  try {
    const date::sys_seconds t{seconds{ClampSec(FloorDiv(utc_ms, kMsPerSecond))}};
    return utc_ms + OffsetMs(rules_->zone->get_info(t));
  } catch (const std::exception&) {
    return utc_ms + table_.back().offset_ms;  // not expected; the interface has no error path
  }
}

int64_t TzZone::SlowLocalToUtc(int64_t local_ms) const {
  try {
    // For ambiguous and skipped readings alike, `first` is the earlier interval.
    const date::local_seconds t{seconds{ClampSec(FloorDiv(local_ms, kMsPerSecond))}};
    return local_ms - OffsetMs(rules_->zone->get_info(t).first);
  } catch (const std::exception&) {
    return local_ms - table_.back().offset_ms;
  }
}

}  // namespace govqm

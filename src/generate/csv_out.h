// A buffered CSV file writer for the generator: hand-written integer and time formatting
// into a large buffer, written in big chunks (millions of rows per file).
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm::gen {

// How an instant is spelled (domain.md §2 accepts all of them; the data mixes them on purpose).
enum class TimeStyle : uint8_t {
  kOffset,    // 2024-03-05T09:12:33+08:00
  kUtc,       // 2024-03-05T01:12:33Z
  kLocal,     // 2024-03-05 09:12:33 (no offset: Asia/Shanghai local time)
  kFraction,  // 2024-03-05T09:12:33.250+08:00
};

// Asia/Shanghai has had no daylight saving since 1991: local = UTC + 8 h.
inline constexpr int64_t kShanghaiOffsetMs = 8 * 3600 * 1000LL;

class CsvOut {
 public:
  CsvOut() = default;
  ~CsvOut();
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;

  // Creates (truncates) `path` and writes the header row. kIo when it cannot be created.
  Status Open(const std::string& path, std::span<const std::string_view> header);
  // Flushes and closes; kIo if any write failed. Safe to call twice.
  Status Close();

  // Field appenders: each writes the separator before the field when needed.
  void Text(std::string_view s);  // quoted per RFC 4180 when it holds , " CR or LF
  void Raw(std::string_view s);   // caller guarantees no quoting is needed
  void Empty() { Sep(); }
  void Int(int64_t v);
  void Bool(bool v) { Raw(v ? "true" : "false"); }
  // Fixed decimals (0..6), e.g. Fixed(3.14159, 2) -> "3.14".
  void Fixed(double v, int decimals);
  // An instant given as local (Asia/Shanghai) wall-clock milliseconds since the epoch.
  void Time(int64_t local_ms, TimeStyle style);
  // A date only: YYYY-MM-DD of a day count since 1970-01-01.
  void Date(int64_t days);
  void EndRow();

  int64_t rows() const { return rows_; }

 private:
  void Sep() {
    if (!first_) buf_.push_back(',');
    first_ = false;
  }
  void PutDate(int64_t days);
  void Put2(int v) {
    buf_.push_back(static_cast<char>('0' + v / 10));
    buf_.push_back(static_cast<char>('0' + v % 10));
  }
  void Flush();

  std::FILE* file_ = nullptr;
  std::string path_;
  std::string buf_;
  bool first_ = true;
  bool failed_ = false;
  int64_t rows_ = -1;  // the header is not a row
  // Formatting the same day again is common (rows come in time order): cache it.
  int64_t cached_day_ = INT64_MIN;
  char cached_date_[10] = {};
};

}  // namespace govqm::gen

#include "generate/csv_out.h"

#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/time_zone.h"

namespace govqm::gen {

namespace {
constexpr size_t kBufferBytes = 4 << 20;
}  // namespace

CsvOut::~CsvOut() { (void)Close(); }

Status CsvOut::Open(const std::string& path, std::span<const std::string_view> header) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    return Status::Io("cannot create " + path + ": " + std::strerror(errno));
  }
  buf_.reserve(kBufferBytes + 64 * 1024);
  for (std::string_view name : header) Raw(name);
  EndRow();
  return Status::Ok();
}

Status CsvOut::Close() {
  if (file_ == nullptr) return Status::Ok();
  Flush();
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  if (failed_) return Status::Io("cannot write " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

void CsvOut::Flush() {
  if (buf_.empty() || file_ == nullptr) return;
  if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) failed_ = true;
  buf_.clear();
}

void CsvOut::Text(std::string_view s) {
  Sep();
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    buf_.append(s);
    return;
  }
  buf_.push_back('"');
  for (char c : s) {
    if (c == '"') buf_.push_back('"');
    buf_.push_back(c);
  }
  buf_.push_back('"');
}

void CsvOut::Raw(std::string_view s) {
  Sep();
  buf_.append(s);
}

void CsvOut::Int(int64_t v) {
  Sep();
  char tmp[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) buf_.push_back('-');
  while (n > 0) buf_.push_back(tmp[--n]);
}

void CsvOut::Fixed(double v, int decimals) {
  // Scaled integer rounding keeps the output independent of printf implementations.
  static constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  const int64_t scale = kPow10[decimals];
  const bool neg = v < 0;
  const int64_t scaled = static_cast<int64_t>(std::floor(std::fabs(v) * scale + 0.5));
  Sep();
  if (neg && scaled != 0) buf_.push_back('-');
  first_ = true;  // the integer part is part of this field
  Int(scaled / scale);
  if (decimals > 0) {
    buf_.push_back('.');
    int64_t frac = scaled % scale;
    for (int64_t p = scale / 10; p >= 1; p /= 10) {
      buf_.push_back(static_cast<char>('0' + frac / p));
      frac %= p;
    }
  }
}

void CsvOut::PutDate(int64_t days) {
  if (days != cached_day_) {
    const CivilDate c = CivilFromDays(days);
    const int y = static_cast<int>(c.year);
    cached_date_[0] = static_cast<char>('0' + y / 1000);
    cached_date_[1] = static_cast<char>('0' + y / 100 % 10);
    cached_date_[2] = static_cast<char>('0' + y / 10 % 10);
    cached_date_[3] = static_cast<char>('0' + y % 10);
    cached_date_[4] = '-';
    cached_date_[5] = static_cast<char>('0' + c.month / 10);
    cached_date_[6] = static_cast<char>('0' + c.month % 10);
    cached_date_[7] = '-';
    cached_date_[8] = static_cast<char>('0' + c.day / 10);
    cached_date_[9] = static_cast<char>('0' + c.day % 10);
    cached_day_ = days;
  }
  buf_.append(cached_date_, 10);
}

void CsvOut::Date(int64_t days) {
  Sep();
  PutDate(days);
}

void CsvOut::Time(int64_t local_ms, TimeStyle style) {
  Sep();
  const int64_t ms = style == TimeStyle::kUtc ? local_ms - kShanghaiOffsetMs : local_ms;
  const int64_t days = FloorDiv(ms, kMsPerDay);
  const int64_t in_day = ms - days * kMsPerDay;
  PutDate(days);
  buf_.push_back(style == TimeStyle::kLocal ? ' ' : 'T');
  const int64_t secs = in_day / 1000;
  Put2(static_cast<int>(secs / 3600));
  buf_.push_back(':');
  Put2(static_cast<int>(secs / 60 % 60));
  buf_.push_back(':');
  Put2(static_cast<int>(secs % 60));
  switch (style) {
    case TimeStyle::kOffset:
      buf_.append("+08:00");
      break;
    case TimeStyle::kUtc:
      buf_.push_back('Z');
      break;
    case TimeStyle::kLocal:
      break;
    case TimeStyle::kFraction: {
      const int frac = static_cast<int>(in_day % 1000);
      buf_.push_back('.');
      buf_.push_back(static_cast<char>('0' + frac / 100));
      Put2(frac % 100);
      buf_.append("+08:00");
      break;
    }
  }
}

void CsvOut::EndRow() {
  buf_.push_back('\n');
  first_ = true;
  ++rows_;
  if (buf_.size() >= kBufferBytes) Flush();
}

}  // namespace govqm::gen

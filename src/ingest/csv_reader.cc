#include "ingest/csv_reader.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace govqm {
namespace {

constexpr bool IsFieldEnd(char c) { return c == ',' || c == '\n' || c == '\r'; }

// First ',', '\n' or '\r' in [p, end), or end. The hot loop of the reader: 16 bytes a step.
inline const char* FindFieldEnd(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                                     _mm_cmpeq_epi8(v, cr));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && !IsFieldEnd(*p)) ++p;
  return p;
}

// Line breaks in [p, q) where *q is not '\n' (it is a quote): LF, CRLF and a lone CR count once.
inline int64_t CountLineBreaks(const char* p, const char* q) {
  int64_t n = 0;
  for (; p < q; ++p) {
    if (*p == '\n') {
      ++n;
    } else if (*p == '\r' && (p + 1 == q || p[1] != '\n')) {
      ++n;
    }
  }
  return n;
}

}  // namespace

CsvReader::CsvReader(std::string_view text, bool skip_bom)
    : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {
  if (skip_bom && text.size() >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) p_ += 3;
}

bool CsvReader::ReadQuoted(CsvRecord* record) {
  const int64_t open_line = line_;
  const char* p = p_ + 1;
  const char* seg = p;  // start of the bytes not yet copied
  bool copied = false;  // whether the field lives in scratch_
  size_t offset = 0;
  const char* q = nullptr;
  while (true) {
    q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end_ - p)));
    if (q == nullptr) {
      line_ = open_line;
      return false;
    }
    line_ += CountLineBreaks(p, q);
    if (q + 1 < end_ && q[1] == '"') {  // "" -> one quote
      if (!copied) {
        copied = true;
        offset = scratch_.size();
      }
      scratch_.append(seg, static_cast<size_t>(q + 1 - seg));
      p = q + 2;
      seg = p;
      continue;
    }
    break;
  }
  p = q + 1;
  const char* junk_end = p;
  if (p < end_ && !IsFieldEnd(*p)) junk_end = FindFieldEnd(p, end_);
  if (!copied && junk_end == p) {
    record->fields.emplace_back(seg, static_cast<size_t>(q - seg));
  } else {
    if (!copied) offset = scratch_.size();
    scratch_.append(seg, static_cast<size_t>(q - seg));
    scratch_.append(p, static_cast<size_t>(junk_end - p));
    pending_.push_back({record->fields.size(), offset, scratch_.size() - offset});
    record->fields.emplace_back();
  }
  p_ = junk_end;
  return true;
}

bool CsvReader::Next(CsvRecord* record, Status* error) {
  // Skip completely empty lines.
  while (p_ < end_ && (*p_ == '\n' || *p_ == '\r')) {
    if (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n') ++p_;
    ++p_;
    ++line_;
  }
  if (p_ >= end_) return false;
  record->line = line_;
  record->fields.clear();
  scratch_.clear();
  pending_.clear();
  const char* const start = p_;
  // With more input to come, a record the text does not finish is read again later.
  auto incomplete = [&] {
    p_ = start;
    line_ = record->line;
    incomplete_ = true;
    return false;
  };
  while (true) {
    if (p_ < end_ && *p_ == '"') {
      if (!ReadQuoted(record)) {
        if (more_input_) return incomplete();
        *error = Status::Invalid("line " + std::to_string(line_) + ": unterminated quoted field");
        p_ = end_;
        return false;
      }
    } else {
      const char* q = FindFieldEnd(p_, end_);
      record->fields.emplace_back(p_, static_cast<size_t>(q - p_));
      p_ = q;
    }
    if (p_ >= end_) {
      if (more_input_) return incomplete();
      break;
    }
    const char c = *p_++;
    if (c == ',') continue;
    if (c == '\r' && p_ == end_ && more_input_) return incomplete();  // CR, then LF next?
    if (c == '\r' && p_ < end_ && *p_ == '\n') ++p_;
    ++line_;
    break;
  }
  for (const Pending& pd : pending_) {
    record->fields[pd.field] = std::string_view(scratch_.data() + pd.offset, pd.size);
  }
  return true;
}

}  // namespace govqm

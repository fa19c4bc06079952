#include "ingest/encoding.h"

#include <algorithm>
#include <memory>

#include <simdjson.h>
#include <unicode/ucnv.h>
#include <unicode/utf16.h>

namespace govqm {
namespace {

// Valid multi-byte UTF-8 sequences before the first invalid byte that make us call the text
// corrupt UTF-8. GBK text forms a valid UTF-8 sequence by chance for ~1 character in 7, so a run
// of this many before its first invalid byte is vanishingly unlikely.
constexpr int kUtf8Evidence = 8;

// Offset of the first byte that is not part of a valid UTF-8 sequence (size if none), and the
// number of valid multi-byte sequences before it.
size_t FirstInvalidUtf8(std::string_view s, int* multibyte_seen) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  *multibyte_seen = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
    ++*multibyte_seen;
  }
  return n;
}

int64_t LineAt(std::string_view s, size_t offset) {
  offset = std::min(offset, s.size());
  return 1 + std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

Status NotText(std::string_view file_name, int64_t line) {
  return Status::Invalid(std::string(file_name) + ": not UTF-8 or GB18030 (invalid byte at line " +
                         std::to_string(line) + ")");
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// GB18030 -> UTF-8. On an invalid or truncated sequence returns false with *bad_offset set.
bool Gb18030ToUtf8(std::string_view in, std::string* out, size_t* bad_offset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> conv(ucnv_open("GB18030", &status));
  if (U_FAILURE(status)) {
    *bad_offset = 0;
    return false;
  }
  // Stop at the first bad sequence instead of substituting U+FFFD.
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  out->clear();
  out->reserve(in.size() + in.size() / 2);
  UChar buf[16384];
  const char* src = in.data();
  const char* const src_end = src + in.size();
  char32_t lead = 0;
  while (true) {
    UChar* target = buf;
    status = U_ZERO_ERROR;
    ucnv_toUnicode(conv.get(), &target, buf + std::size(buf), &src, src_end, nullptr,
                   /*flush=*/true, &status);
    if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR) {
      char bad[8];
      int8_t bad_len = sizeof(bad);
      UErrorCode e2 = U_ZERO_ERROR;
      ucnv_getInvalidChars(conv.get(), bad, &bad_len, &e2);
      *bad_offset = static_cast<size_t>(src - in.data()) - (U_SUCCESS(e2) ? bad_len : 0);
      return false;
    }
    const size_t n = static_cast<size_t>(target - buf);
    for (size_t k = 0; k < n; ++k) {
      const char32_t u = buf[k];
      if (U16_IS_LEAD(u)) {
        lead = u;  // a surrogate pair may straddle two chunks
      } else if (U16_IS_TRAIL(u) && lead != 0) {
        AppendUtf8(static_cast<char32_t>(U16_GET_SUPPLEMENTARY(lead, u)), out);
        lead = 0;
      } else {
        AppendUtf8(u, out);
      }
    }
    if (status != U_BUFFER_OVERFLOW_ERROR) break;
  }
  return true;
}

}  // namespace

Result<DecodedText> ToUtf8(std::string bytes, std::string_view file_name) {
  DecodedText result;
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) bytes.erase(0, 3);
  if (simdjson::validate_utf8(bytes.data(), bytes.size())) {
    result.text = std::move(bytes);
    result.encoding = "UTF-8";
    return result;
  }
  int multibyte_seen = 0;
  const size_t utf8_bad = FirstInvalidUtf8(bytes, &multibyte_seen);
  if (multibyte_seen >= kUtf8Evidence) return NotText(file_name, LineAt(bytes, utf8_bad));
  size_t gb_bad = 0;
  if (!Gb18030ToUtf8(bytes, &result.text, &gb_bad)) {
    return NotText(file_name, LineAt(bytes, gb_bad));
  }
  // GB18030 encodes a BOM too (84 31 95 33 -> U+FEFF).
  if (result.text.compare(0, 3, "\xEF\xBB\xBF") == 0) result.text.erase(0, 3);
  result.encoding = "GB18030";
  return result;
}

}  // namespace govqm

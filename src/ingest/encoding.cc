#include "ingest/encoding.h"

#include <algorithm>
#include <memory>

#include <simdjson.h>
#include <unicode/ucnv.h>
#include <unicode/utf16.h>

#include "core/utf8.h"

namespace govqm {
namespace {

// How much of `s` reads as UTF-8: the first invalid byte's offset (size if none), the valid
// multi-byte sequences and the invalid bytes (each skipped by one byte, so a run counts each).
struct Utf8Scan {
  size_t first_bad = 0;
  int64_t valid_multibyte = 0;
  int64_t invalid = 0;
};

Utf8Scan ScanUtf8(std::string_view s) {
  const size_t n = s.size();
  Utf8Scan scan;
  scan.first_bad = n;
  for (size_t i = 0; i < n;) {
    const size_t len = Utf8SequenceAt(s, i);
    if (len == 0) {
      if (scan.invalid == 0) scan.first_bad = i;
      ++scan.invalid;
      ++i;
    } else {
      if (len > 1) ++scan.valid_multibyte;
      i += len;
    }
  }
  return scan;
}

int64_t LineAt(std::string_view s, size_t offset) {
  offset = std::min(offset, s.size());
  return 1 + std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

std::string HexByte(unsigned char b) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("0x") + kHex[b >> 4] + kHex[b & 15];
}

Status NotUtf8(std::string_view file_name, std::string_view bytes, size_t offset) {
  return Status::Invalid(std::string(file_name) + ":" + std::to_string(LineAt(bytes, offset)) +
                         ": not valid UTF-8 (byte " +
                         HexByte(static_cast<unsigned char>(bytes[offset])) +
                         "); if the file is GB18030/GBK or Latin-1, pass --encoding");
}

Status NotGb18030(std::string_view file_name, std::string_view bytes, size_t offset) {
  if (offset >= bytes.size()) {  // a sequence cut off by the end of the file
    offset = bytes.empty() ? 0 : bytes.size() - 1;
  }
  std::string byte = bytes.empty() ? "end of file"
                                   : "byte " + HexByte(static_cast<unsigned char>(bytes[offset]));
  return Status::Invalid(std::string(file_name) + ":" + std::to_string(LineAt(bytes, offset)) +
                         ": not valid GB18030 (" + byte + ")");
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
  if (in.empty()) {
    out->clear();
    return true;
  }
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

// Non-ASCII characters of GB18030 bytes (taken as valid) and how many of them are in the
// GB2312 rows (lead and trail byte both A1-FE): the hanzi and punctuation of ordinary text.
struct GbShape {
  int64_t non_ascii = 0;
  int64_t common = 0;
};

GbShape ShapeOfGb18030(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  GbShape shape;
  for (size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    ++shape.non_ascii;
    if (i + 1 < n && p[i + 1] >= 0x30 && p[i + 1] <= 0x39) {  // four-byte sequence
      i += 4;
      continue;
    }
    if (i + 1 < n && p[i] >= 0xA1 && p[i + 1] >= 0xA1 && p[i + 1] <= 0xFE) ++shape.common;
    i += 2;
  }
  return shape;
}

// Windows-1252's characters for 0x80-0x9F (0 = undefined there: read as the C1 control).
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

std::string Latin1ToUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  for (const char ch : in) {
    const unsigned char b = static_cast<unsigned char>(ch);
    char32_t cp = b;
    if (b >= 0x80 && b <= 0x9F && kCp1252High[b - 0x80] != 0) cp = kCp1252High[b - 0x80];
    AppendUtf8(cp, &out);
  }
  return out;
}

Result<DecodedText> FromGb18030(std::string_view bytes, std::string_view file_name) {
  DecodedText result;
  size_t bad = 0;
  if (!Gb18030ToUtf8(bytes, &result.text, &bad)) return NotGb18030(file_name, bytes, bad);
  // GB18030 encodes a BOM too (84 31 95 33 -> U+FEFF).
  if (result.text.compare(0, 3, "\xEF\xBB\xBF") == 0) result.text.erase(0, 3);
  result.encoding = "GB18030";
  return result;
}

}  // namespace

std::optional<Encoding> ParseEncodingName(std::string_view name) {
  std::string n(name);
  for (char& ch : n) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  if (n == "auto") return Encoding::kAuto;
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "gb18030" || n == "gbk" || n == "gb2312") return Encoding::kGb18030;
  if (n == "latin1" || n == "latin-1" || n == "iso-8859-1") return Encoding::kLatin1;
  return std::nullopt;
}

Result<DecodedText> ToUtf8(std::string bytes, std::string_view file_name, Encoding encoding) {
  DecodedText result;
  if (encoding == Encoding::kGb18030) return FromGb18030(bytes, file_name);
  if (encoding == Encoding::kLatin1) {
    result.text = Latin1ToUtf8(bytes);
    result.encoding = "Latin-1";
    return result;
  }
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) bytes.erase(0, 3);
  if (simdjson::validate_utf8(bytes.data(), bytes.size())) {
    result.text = std::move(bytes);
    result.encoding = "UTF-8";
    return result;
  }
  const Utf8Scan scan = ScanUtf8(bytes);
  if (encoding == Encoding::kUtf8) return NotUtf8(file_name, bytes, scan.first_bad);
  // A GB18030 byte-order mark declares the encoding as surely as a UTF-8 one does.
  if (bytes.compare(0, 4, "\x84\x31\x95\x33") == 0) return FromGb18030(bytes, file_name);
  // Auto: GB18030 only when convincing (see encoding.h). Mis-detection garbles every
  // non-ASCII character of the file, so any doubt refuses and lets the user say.
  // UTF-8 with a stray byte has far more valid sequences than bad bytes; GBK text forms a
  // valid UTF-8 sequence by chance for about 1 character in 7.
  if (scan.valid_multibyte >= scan.invalid) return NotUtf8(file_name, bytes, scan.first_bad);
  const GbShape shape = ShapeOfGb18030(bytes);
  if (shape.common * 2 < shape.non_ascii) return NotUtf8(file_name, bytes, scan.first_bad);
  auto converted = FromGb18030(bytes, file_name);
  if (!converted.ok()) return NotUtf8(file_name, bytes, scan.first_bad);
  return converted;
}

}  // namespace govqm

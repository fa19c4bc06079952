// Text decoding at the edge of ingest: every input file becomes UTF-8 before it is parsed
// (domain.md §2: a GBK/GB18030 file is converted or refused, never read as garbage).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm {

// What the bytes of an input file are. kAuto: UTF-8, or GB18030 when that is convincing
// (see ToUtf8); the others are what the user said (`import --encoding`).
enum class Encoding : uint8_t { kAuto, kUtf8, kGb18030, kLatin1 };

// "auto", "utf-8"/"utf8", "gb18030"/"gbk"/"gb2312", "latin1"/"latin-1"/"iso-8859-1" (any
// ASCII case) -> the encoding; anything else -> nullopt.
std::optional<Encoding> ParseEncodingName(std::string_view name);

struct DecodedText {
  std::string text;      // UTF-8, without a byte-order mark
  std::string encoding;  // what the bytes were: "UTF-8", "GB18030" or "Latin-1"
};

// Decodes `bytes` to UTF-8, stripping a byte-order mark. Errors are Status::Invalid with one
// line "FILE:LINE: ...", LINE being the line of the first byte that cannot be read:
// - kAuto: valid UTF-8 is returned as is; a file that starts with GB18030's byte-order mark
//   (84 31 95 33) is GB18030. Other bytes are converted from GB18030 only when they are
//   convincingly GB18030: the whole file decodes, it is not "almost UTF-8" (no more
//   valid UTF-8 multi-byte sequences than invalid bytes), and at least half of its non-ASCII
//   characters are common Chinese text (the GB2312 rows: both bytes in A1-FE), which Latin-1
//   accents followed by ASCII letters ("cafés" = 63 61 66 E9 73) are not. Otherwise:
//   "FILE:LINE: not valid UTF-8 (byte 0xNN); if the file is GB18030/GBK or Latin-1, pass
//   --encoding".
// - kUtf8: UTF-8 or the same refusal. kGb18030: strict GB18030, "FILE:LINE: not valid
//   GB18030 (byte 0xNN)" otherwise. kLatin1: every byte is a character (0x80-0x9F read as
//   Windows-1252, as the WHATWG encoding standard reads the label "latin1"); never fails.
Result<DecodedText> ToUtf8(std::string bytes, std::string_view file_name,
                           Encoding encoding = Encoding::kAuto);

}  // namespace govqm

// Text decoding at the edge of ingest: every input file becomes UTF-8 before it is parsed
// (domain.md §2: a GBK/GB18030 file is converted, never read as garbage).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm {

struct DecodedText {
  std::string text;      // UTF-8, without a byte-order mark
  std::string encoding;  // what the bytes were: "UTF-8" or "GB18030"
};

// Strips a UTF-8 BOM and returns valid UTF-8 as is; otherwise converts GB18030 (a superset of
// GBK and GB2312) to UTF-8. Bytes that are neither -> Status::Invalid("FILE: not UTF-8 or
// GB18030 (invalid byte at line L)"). Text that is clearly UTF-8 up to a corrupt byte is
// refused rather than reinterpreted as GB18030.
Result<DecodedText> ToUtf8(std::string bytes, std::string_view file_name);

}  // namespace govqm

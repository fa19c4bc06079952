// Column chunks: how one column of a segment is laid out in its BLOB, written and read back.
// Layouts are little-endian, fixed width:
//   time i64[n] · int i32[n] · real f64[n] · bool/enum i8[n]   (raw; narrow forms: Encoding)
//   code: u32 dict_size, (u32 len, bytes)*, u32 codes[n] (0xFFFFFFFF = null)
//   text: u64 offsets[n + 1] (from 0), bytes
// Deleted rows are a bitmap (bit r of byte r/8) kept beside the segment, not in its chunks.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/table.h"

namespace govqm::sqlite {

template <typename T>
void PutPod(std::string* out, const T& v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <typename T>
void PutVector(std::string* out, const std::vector<T>& v, size_t begin, size_t end) {
  out->append(reinterpret_cast<const char*>(v.data() + begin), (end - begin) * sizeof(T));
}

// Raw fixed-width columns are their vectors' bytes: returned as a view, with no copy.
template <typename T>
std::string_view VectorBytes(const std::vector<T>& v, size_t begin, size_t end) {
  return {reinterpret_cast<const char*>(v.data() + begin), (end - begin) * sizeof(T)};
}

// How a fixed-width chunk is laid out (chunks.encoding). A narrow form is chosen when every
// value of the chunk fits it exactly, so reading it back gives the same values; it halves
// what import writes and what every read copies for most columns (times are mostly whole
// seconds within a year of each other, days and counts are small).
enum Encoding : int {
  kRaw = 0,        // the vector's bytes
  kSeconds32 = 1,  // times: i64 base seconds, then i32 (seconds - base) per row; INT32_MIN = null
  kFloat32 = 2,    // reals: f32 per row, every value exactly a float (NaN = null)
  kInt16 = 3,      // ints: i16 per row; INT16_MIN = null
};

inline constexpr int32_t kNullSeconds32 = std::numeric_limits<int32_t>::min();
inline constexpr int16_t kNullInt16 = std::numeric_limits<int16_t>::min();

struct EncodedChunk {
  std::string_view data;
  int encoding = kRaw;
};

// Serialises rows [begin, end) of column `c` (see the layouts above) into *buffer, or as a
// view of c's own bytes when stored raw.
EncodedChunk EncodeColumn(const Column& c, size_t begin, size_t end, std::string* buffer);

inline bool IsDeleted(const std::string& bitmap, size_t row) {
  return !bitmap.empty() && (static_cast<unsigned char>(bitmap[row >> 3]) >> (row & 7)) & 1;
}

// The size a fixed-width chunk of `rows` rows has in `encoding`, or 0 for a pair that does
// not exist.
inline size_t FixedChunkSize(ColumnType type, int encoding, size_t rows) {
  switch (encoding) {
    case kRaw:
      switch (type) {
        case ColumnType::kTime:
        case ColumnType::kReal: return rows * 8;
        case ColumnType::kInt: return rows * 4;
        case ColumnType::kBool:
        case ColumnType::kEnum: return rows;
        default: return 0;
      }
    case kSeconds32: return type == ColumnType::kTime ? 8 + rows * 4 : 0;
    case kFloat32: return type == ColumnType::kReal ? rows * 4 : 0;
    case kInt16: return type == ColumnType::kInt ? rows * 2 : 0;
  }
  return 0;
}

// Widens chunk `p` (`rows` rows of a fixed-width column in `encoding`, size already checked)
// into dst, skipping deleted rows; returns the rows written.
template <typename V>
size_t WidenInto(const char* p, int encoding, size_t rows, const std::string& deleted, V* dst) {
  size_t n = 0;
  auto each = [&](auto narrow, size_t skip, auto widen) {
    using S = decltype(narrow);
    const char* q = p + skip;
    for (size_t r = 0; r < rows; ++r) {
      if (!deleted.empty() && IsDeleted(deleted, r)) continue;
      S v;
      std::memcpy(&v, q + r * sizeof(S), sizeof(S));
      dst[n++] = static_cast<V>(widen(v));
    }
  };
  switch (encoding) {
    case kSeconds32: {
      int64_t base;
      std::memcpy(&base, p, 8);
      each(int32_t{}, 8, [&](int32_t v) {
        return v == kNullSeconds32 ? kNullTime : (base + v) * 1000;
      });
      break;
    }
    case kFloat32: each(float{}, 0, [](float v) { return static_cast<double>(v); }); break;
    case kInt16: each(int16_t{}, 0, [](int16_t v) { return v == kNullInt16 ? kNullInt : int32_t{v}; }); break;
    default: each(V{}, 0, [](V v) { return v; }); break;
  }
  return n;
}

// Appends the live rows of an encoded column chunk (`size` bytes at p, `rows` rows) to `c`.
Status DecodeColumnInto(const char* p, size_t size, int encoding, size_t rows,
                        const std::string& deleted, Column* c);

}  // namespace govqm::sqlite

#include "store/sqlite/codec.h"

#include <cmath>

namespace govqm::sqlite {
namespace {

// The narrow form of a time range, or false when a value is not whole seconds or the range
// spans more than 68 years.
bool EncodeSeconds32(const std::vector<int64_t>& v, size_t begin, size_t end, std::string* out) {
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (size_t r = begin; r < end; ++r) {
    if (v[r] == kNullTime) continue;
    if (v[r] % 1000 != 0) return false;
    lo = std::min(lo, v[r] / 1000);
    hi = std::max(hi, v[r] / 1000);
  }
  if (lo > hi) lo = hi = 0;  // all null
  if (hi - lo >= std::numeric_limits<int32_t>::max()) return false;
  PutPod(out, lo);
  for (size_t r = begin; r < end; ++r) {
    PutPod(out, v[r] == kNullTime ? kNullSeconds32 : static_cast<int32_t>(v[r] / 1000 - lo));
  }
  return true;
}

bool EncodeFloat32(const std::vector<double>& v, size_t begin, size_t end, std::string* out) {
  for (size_t r = begin; r < end; ++r) {
    if (!std::isnan(v[r]) && static_cast<double>(static_cast<float>(v[r])) != v[r]) return false;
  }
  for (size_t r = begin; r < end; ++r) PutPod(out, static_cast<float>(v[r]));
  return true;
}

bool EncodeInt16(const std::vector<int32_t>& v, size_t begin, size_t end, std::string* out) {
  for (size_t r = begin; r < end; ++r) {
    if (v[r] != kNullInt && (v[r] <= kNullInt16 || v[r] > std::numeric_limits<int16_t>::max())) {
      return false;
    }
  }
  for (size_t r = begin; r < end; ++r) {
    PutPod(out, v[r] == kNullInt ? kNullInt16 : static_cast<int16_t>(v[r]));
  }
  return true;
}

}  // namespace

EncodedChunk EncodeColumn(const Column& c, size_t begin, size_t end, std::string* buffer) {
  std::string& out = *buffer;
  out.clear();
  switch (c.type) {
    case ColumnType::kTime:
      if (EncodeSeconds32(c.times, begin, end, &out)) return {out, kSeconds32};
      out.clear();
      return {VectorBytes(c.times, begin, end)};
    case ColumnType::kInt:
      if (EncodeInt16(c.ints, begin, end, &out)) return {out, kInt16};
      out.clear();
      return {VectorBytes(c.ints, begin, end)};
    case ColumnType::kReal:
      if (EncodeFloat32(c.reals, begin, end, &out)) return {out, kFloat32};
      out.clear();
      return {VectorBytes(c.reals, begin, end)};
    case ColumnType::kBool:
    case ColumnType::kEnum: return {VectorBytes(c.bytes, begin, end)};
    case ColumnType::kCode: {
      // Only the codes used in this range go into the segment's dictionary.
      std::vector<uint32_t> remap(c.dict.size(), kNullCode);
      std::vector<uint32_t> used;
      std::vector<uint32_t> codes(end - begin);
      for (size_t r = begin; r < end; ++r) {
        const uint32_t code = c.codes[r];
        if (code == kNullCode) {
          codes[r - begin] = kNullCode;
          continue;
        }
        if (remap[code] == kNullCode) {
          remap[code] = static_cast<uint32_t>(used.size());
          used.push_back(code);
        }
        codes[r - begin] = remap[code];
      }
      PutPod(&out, static_cast<uint32_t>(used.size()));
      for (uint32_t code : used) {
        const std::string& s = c.dict[code];
        PutPod(&out, static_cast<uint32_t>(s.size()));
        out.append(s);
      }
      PutVector(&out, codes, 0, codes.size());
      return {out};
    }
    case ColumnType::kText: {
      const uint64_t base = c.offsets[begin];
      out.reserve((end - begin + 1) * 8 + (c.offsets[end] - base));
      for (size_t r = begin; r <= end; ++r) PutPod(&out, c.offsets[r] - base);
      out.append(c.text, base, c.offsets[end] - base);
      return {out};
    }
  }
  return {out};
}

Status DecodeColumnInto(const char* p, size_t size, int encoding, size_t rows,
                        const std::string& deleted, Column* c) {
  auto need = [&](size_t n) { return n <= size; };
  auto copy_live = [&](auto& vec) -> Status {
    const size_t want = FixedChunkSize(c->type, encoding, rows);
    if (want == 0) return Status::Io("store: column chunk has an unknown encoding");
    if (!need(want)) return Status::Io("store: column chunk is truncated");
    const size_t at = vec.size();
    vec.resize(at + rows);
    vec.resize(at + WidenInto(p, encoding, rows, deleted, vec.data() + at));
    return Status::Ok();
  };
  switch (c->type) {
    case ColumnType::kTime: return copy_live(c->times);
    case ColumnType::kInt: return copy_live(c->ints);
    case ColumnType::kReal: return copy_live(c->reals);
    case ColumnType::kBool:
    case ColumnType::kEnum: return copy_live(c->bytes);
    case ColumnType::kCode: {
      size_t pos = 0;
      uint32_t dict_size;
      if (!need(4)) return Status::Io("store: column chunk is truncated");
      std::memcpy(&dict_size, p, 4);
      pos = 4;
      std::vector<uint32_t> remap(dict_size);
      for (uint32_t i = 0; i < dict_size; ++i) {
        uint32_t len;
        if (!need(pos + 4)) return Status::Io("store: column chunk is truncated");
        std::memcpy(&len, p + pos, 4);
        pos += 4;
        if (!need(pos + len)) return Status::Io("store: column chunk is truncated");
        remap[i] = c->dict.Intern(std::string_view(p + pos, len));
        pos += len;
      }
      if (!need(pos + rows * 4)) return Status::Io("store: column chunk is truncated");
      const char* codes = p + pos;
      c->codes.reserve(c->codes.size() + rows);
      for (size_t r = 0; r < rows; ++r) {
        if (IsDeleted(deleted, r)) continue;
        uint32_t code;
        std::memcpy(&code, codes + r * 4, 4);
        c->codes.push_back(code == kNullCode ? kNullCode : remap[code]);
      }
      return Status::Ok();
    }
    case ColumnType::kText: {
      if (!need((rows + 1) * 8)) return Status::Io("store: column chunk is truncated");
      const char* bytes = p + (rows + 1) * 8;
      auto offset = [&](size_t r) {
        uint64_t o;
        std::memcpy(&o, p + r * 8, 8);
        return o;
      };
      if (!need((rows + 1) * 8 + offset(rows))) return Status::Io("store: column chunk is truncated");
      if (deleted.empty()) {  // the common case: one copy of the bytes, offsets shifted
        const uint64_t base = c->text.size();
        c->text.append(bytes, offset(rows));
        const size_t at = c->offsets.size();
        c->offsets.resize(at + rows);
        for (size_t r = 0; r < rows; ++r) c->offsets[at + r] = base + offset(r + 1);
        return Status::Ok();
      }
      for (size_t r = 0; r < rows; ++r) {
        if (IsDeleted(deleted, r)) continue;
        c->text.append(bytes + offset(r), offset(r + 1) - offset(r));
        c->offsets.push_back(c->text.size());
      }
      return Status::Ok();
    }
  }
  return Status::Internal("store: unknown column type");
}


}  // namespace govqm::sqlite

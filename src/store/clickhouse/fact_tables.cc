#include "store/clickhouse/fact_tables.h"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <cmath>
#include <cstdlib>

#include "platform/clickhouse.h"

namespace govqm::clickhouse {
namespace {

std::string_view TypeOf(ColumnType type) {
  switch (type) {
    case ColumnType::kTime: return "Int64";    // ms; 18.16 has no DateTime64
    case ColumnType::kInt: return "Int32";     // kNullInt = INT32_MIN
    case ColumnType::kReal: return "Float64";  // NaN = null
    case ColumnType::kBool:
    case ColumnType::kEnum: return "Int8";     // -1 = null
    case ColumnType::kCode:
    case ColumnType::kText: return "String";   // "" = null
  }
  return "String";
}

// The instant a kind's rows are partitioned (by month) and sorted by.
std::string_view AnchorOf(Kind kind) {
  return kind == Kind::kTransactions ? "submitted_at" : "evaluated_at";
}

std::string KindName(Kind kind) { return std::string(GetKindDef(kind).name); }

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool ParseReal(std::string_view s, double* out) {
  if (s == "nan" || s == "-nan") {
    *out = kNullReal;
    return true;
  }
  if (s == "inf" || s == "+inf") {
    *out = HUGE_VAL;
    return true;
  }
  if (s == "-inf") {
    *out = -HUGE_VAL;
    return true;
  }
  const std::string z(s);
  char* end = nullptr;
  *out = std::strtod(z.c_str(), &end);
  return !z.empty() && end == z.c_str() + z.size();
}

}  // namespace

std::string Names::Facts(Kind kind) const {
  return fmt::format("{}.{}", database, KindName(kind));
}
std::string Names::LocalFacts(Kind kind) const {
  return cluster.empty() ? Facts(kind) : fmt::format("{}.{}_local", database, KindName(kind));
}
std::string Names::Superseded(Kind kind) const {
  return fmt::format("{}.{}_superseded", database, KindName(kind));
}
std::string Names::LocalSuperseded(Kind kind) const {
  return cluster.empty() ? Superseded(kind)
                         : fmt::format("{}.{}_superseded_local", database, KindName(kind));
}

std::string ColumnList(const KindDef& def) {
  std::string out = "_seq";
  for (const ColumnDef& c : def.columns) out += fmt::format(", {}", c.name);
  return out;
}

std::vector<std::string> CreateStatements(const Names& names) {
  std::vector<std::string> out;
  out.push_back(fmt::format("CREATE DATABASE IF NOT EXISTS {}", names.database));
  for (Kind kind : {Kind::kTransactions, Kind::kEvaluations}) {
    const KindDef& def = GetKindDef(kind);
    std::string cols = "_seq UInt64";
    for (const ColumnDef& c : def.columns) cols += fmt::format(", {} {}", c.name, TypeOf(c.type));
    const std::string_view anchor = AnchorOf(kind);
    out.push_back(fmt::format(
        "CREATE TABLE IF NOT EXISTS {} ({}) ENGINE = MergeTree() "
        "PARTITION BY toYYYYMM(toDateTime(intDiv(greatest({}, 0), 1000))) "
        "ORDER BY (region_code, {})",
        names.LocalFacts(kind), cols, anchor, anchor));
    out.push_back(fmt::format(
        "CREATE TABLE IF NOT EXISTS {} (id String, seq UInt64, by_seq UInt64) "
        "ENGINE = MergeTree() ORDER BY (id, seq)",
        names.LocalSuperseded(kind)));
    if (!names.cluster.empty()) {
      // Sharded by identity: a row, its replacements and their supersession meet on one shard.
      for (const auto& [dist, local] :
           {std::pair{names.Facts(kind), names.LocalFacts(kind)},
            {names.Superseded(kind), names.LocalSuperseded(kind)}}) {
        const std::string local_name = local.substr(local.find('.') + 1);
        out.push_back(fmt::format(
            "CREATE TABLE IF NOT EXISTS {} AS {} ENGINE = Distributed({}, {}, {}, cityHash64(id))",
            dist, local, names.cluster, names.database, local_name));
      }
    }
  }
  return out;
}

namespace {

template <typename T>
void AppendLittleEndian(std::string* out, T v) {
  static_assert(std::endian::native == std::endian::little);
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out->append(bytes, sizeof(T));
}

void AppendBinaryString(std::string* out, std::string_view s) {
  for (uint64_t n = s.size(); ; n >>= 7) {  // LEB128 length
    if (n < 0x80) {
      out->push_back(static_cast<char>(n));
      break;
    }
    out->push_back(static_cast<char>((n & 0x7F) | 0x80));
  }
  out->append(s);
}

}  // namespace

void AppendRowBinary(const Table& t, size_t r, uint64_t seq, std::string* out) {
  AppendLittleEndian(out, seq);
  const KindDef& def = t.def();
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const Column& c = t.col(static_cast<int>(i));
    switch (def.columns[i].type) {
      case ColumnType::kTime: AppendLittleEndian(out, c.times[r]); break;
      case ColumnType::kInt: AppendLittleEndian(out, c.ints[r]); break;
      case ColumnType::kReal: AppendLittleEndian(out, c.reals[r]); break;
      case ColumnType::kBool:
      case ColumnType::kEnum: AppendLittleEndian(out, c.bytes[r]); break;
      case ColumnType::kCode: AppendBinaryString(out, c.CodeAt(r)); break;
      case ColumnType::kText: AppendBinaryString(out, c.TextAt(r)); break;
    }
  }
}

TsvRowReader::TsvRowReader(Table* t, std::vector<int> cols, std::string what)
    : t_(t), cols_(std::move(cols)), what_(std::move(what)) {}

Status TsvRowReader::Add(std::string_view line) {
  size_t start = 0;
  for (size_t k = 0; k < cols_.size(); ++k) {
    const size_t tab = line.find('\t', start);
    if ((tab == std::string_view::npos) != (k + 1 == cols_.size())) {
      return Status::Io(fmt::format("{}: a row does not have {} fields", what_, cols_.size()));
    }
    const std::string_view raw = line.substr(start, tab == std::string_view::npos ? tab : tab - start);
    start = tab + 1;
    const int i = cols_[k];
    Column& c = t_->col(i);
    bool ok = true;
    switch (t_->def().columns[i].type) {
      case ColumnType::kTime: ok = ParseNumber(raw, &c.times.emplace_back()); break;
      case ColumnType::kInt: ok = ParseNumber(raw, &c.ints.emplace_back()); break;
      case ColumnType::kReal: ok = ParseReal(raw, &c.reals.emplace_back()); break;
      case ColumnType::kBool:
      case ColumnType::kEnum: {
        int v = 0;
        ok = ParseNumber(raw, &v) && v >= -1 && v <= 127;
        c.bytes.push_back(static_cast<int8_t>(v));
        break;
      }
      case ColumnType::kCode:
        if (raw.empty()) {
          c.codes.push_back(kNullCode);
        } else if (raw.find('\\') == std::string_view::npos) {
          c.codes.push_back(c.dict.Intern(raw));
        } else {
          c.codes.push_back(c.dict.Intern(platform::UnescapeTsv(raw)));
        }
        break;
      case ColumnType::kText:
        if (raw.find('\\') == std::string_view::npos) {
          c.text.append(raw);
        } else {
          c.text += platform::UnescapeTsv(raw);
        }
        c.offsets.push_back(c.text.size());
        break;
    }
    if (!ok) {
      return Status::Io(fmt::format("{}: field {} is not a valid {}: '{}'", what_,
                                    t_->def().columns[i].name,
                                    TypeOf(t_->def().columns[i].type), raw));
    }
  }
  ++rows_;
  return Status::Ok();
}

void TsvRowReader::Finish() { t_->SetRows(rows_); }

std::string SequenceList(const std::vector<uint64_t>& seqs) {
  if (seqs.empty()) return "0";
  std::string out;
  for (uint64_t s : seqs) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(s);
  }
  return out;
}

std::vector<uint64_t> ParseSequenceList(std::string_view text) {
  std::vector<uint64_t> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    uint64_t v = 0;
    if (ParseNumber(text.substr(start, comma - start), &v) && v != 0) out.push_back(v);
    start = comma + 1;
  }
  return out;
}

std::string LiveCondition(const Names& names, Kind kind, const std::vector<uint64_t>& committed,
                          bool any_superseded) {
  const std::string seqs = SequenceList(committed);
  std::string out = fmt::format("_seq IN ({})", seqs);
  if (any_superseded) {
    // Each shard checks its own supersessions (sharded by id like the facts).
    out += fmt::format(" AND (id, _seq) NOT IN (SELECT id, seq FROM {} WHERE by_seq IN ({}))",
                       names.LocalSuperseded(kind), seqs);
  }
  return out;
}

}  // namespace govqm::clickhouse

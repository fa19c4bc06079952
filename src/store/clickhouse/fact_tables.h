// The ClickHouse side of the facts (transactions, evaluations): table layout, the TSV rows
// written and read, and which rows are live. Internal to store/clickhouse/.
//
// Exactly-once without transactions: every Append writes its rows under a fresh random
// sequence number (`_seq`); a row is live when its `_seq` is among the committed ones — a
// list the SQLite store beside it keeps, so it commits atomically with the import log and a
// ReadSnapshot of that store sees one consistent set — and no committed import superseded it.
// Replacing a row by identity writes the old (id, _seq) into the kind's `_superseded` table
// (sharded like the facts, so each shard checks its own). A killed import leaves rows under a
// sequence never committed: invisible, and removed by `govqm compact`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema.h"
#include "core/status.h"
#include "core/table.h"

namespace govqm::clickhouse {

// Transactions and evaluations live in ClickHouse; every other kind in the SQLite store.
inline bool IsFactKind(Kind kind) {
  return kind == Kind::kTransactions || kind == Kind::kEvaluations;
}

struct Names {
  std::string database, cluster;  // cluster "" = one server, no Distributed tables
  // The table queries and inserts name (Distributed over the shards, or the one table).
  std::string Facts(Kind kind) const;
  // The MergeTree table on each shard (the same as Facts without a cluster).
  std::string LocalFacts(Kind kind) const;
  std::string Superseded(Kind kind) const;
  std::string LocalSuperseded(Kind kind) const;
};

// CREATE statements for one server (each shard runs them all; the Distributed ones only with
// a cluster).
std::vector<std::string> CreateStatements(const Names& names);

// The column list of a kind's fact table, in schema order after `_seq`.
std::string ColumnList(const KindDef& def);

// Appends row `r` of `t` in ClickHouse's RowBinary format: `_seq` then every column (nulls as
// sentinels), little-endian. Binary because 18.16 parses about 0.5% of Float64 texts one unit
// off in the last place: the bits are sent as they are.
void AppendRowBinary(const Table& t, size_t r, uint64_t seq, std::string* out);

// Reads TSV lines of the kind's columns `cols` (schema order indexes) into `t` (whose
// columns not in `cols` stay empty). kIo naming `what` on a malformed line.
class TsvRowReader {
 public:
  TsvRowReader(Table* t, std::vector<int> cols, std::string what);
  Status Add(std::string_view line);
  void Finish();  // sets the row count

 private:
  Table* t_;
  std::vector<int> cols_;
  std::string what_;
  size_t rows_ = 0;
};

// The live-row condition (see above) for a kind, given the committed sequences.
std::string LiveCondition(const Names& names, Kind kind, const std::vector<uint64_t>& committed,
                          bool any_superseded);

// "1,2,3" (0 alone for none: no sequence is 0).
std::string SequenceList(const std::vector<uint64_t>& seqs);
// Parses what SequenceList wrote ("" = none).
std::vector<uint64_t> ParseSequenceList(std::string_view text);

}  // namespace govqm::clickhouse

// Everything the engine reads, built by the store adapter (or by hand in tests).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/table.h"

namespace govqm {

class FactAggregator;  // core/engine/facts.h

// Transactions or evaluations in segments, for stores far larger than one wants in memory at once: the
// engine scans one segment at a time into a reused table, so a fresh process touches one
// segment's worth of new memory rather than all of it (on a VM, zeroing fresh pages costs
// more than the scan). Implemented by the store adapter; tests use an in-memory one.
class TableSource {
 public:
  virtual ~TableSource() = default;
  virtual size_t segments() const = 0;
  // Live rows over all segments.
  virtual size_t rows() const = 0;
  // Every distinct value of code column `col` over all segments (dictionaries only).
  virtual Result<std::vector<std::string>> Dictionary(int col) const = 0;
  // Segment i's live rows into *out (same kind), reusing out's capacity.
  virtual Status Load(size_t i, Table* out) const = 0;
};

struct Dataset {
  Table regions{Kind::kRegions};
  Table departments{Kind::kDepartments};
  Table items{Kind::kItems};
  Table transactions{Kind::kTransactions};
  Table evaluations{Kind::kEvaluations};
  Table rectifications{Kind::kRectifications};
  Table probes{Kind::kProbes};
  Table guides{Kind::kGuides};
  Table org{Kind::kOrg};
  // When set, transactions (evaluations) come from here and `transactions` (`evaluations`)
  // is not read.
  const TableSource* transaction_source = nullptr;
  const TableSource* evaluation_source = nullptr;
  // When set, the transaction and evaluation families come from here (aggregated where the
  // facts are stored, core/engine/facts.h); the tables and sources above are not read by the
  // engine. `fact_scope`, when set, keeps only the facts of the regions and departments it
  // accepts (a scoped request).
  const FactAggregator* facts = nullptr;
  std::function<bool(std::string_view region, std::string_view dept)> fact_scope;
  // Per Kind (static_cast<int>): whether the store holds any live row of the kind, whatever
  // the request's scope (a table above may be empty because nothing asked for it, or because
  // the scope left nothing). Empty = not known (datasets built by hand): every kind counts as
  // loaded. The application layer makes the indicators of an absent kind null, with a note
  // (core/engine/inputs.h).
  std::vector<bool> kind_loaded;
};

}  // namespace govqm

// Builds the engine's Dataset from the store, reading only the columns the engine uses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/engine/catalog.h"
#include "core/engine/dataset.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm {

// Loads every kind the indicator catalog reads (all but org), skipping free-text columns no
// indicator uses (comments, reasons, actors, notes). Kinds load in parallel on `threads`.
// With `stream` set, transactions are not loaded: *stream receives a source that hands the
// engine one segment at a time, and data.transaction_source points to it (keep it alive
// while the dataset is used).
// Skipped columns are left empty (size 0). `needs` (optional) prunes further: group-key columns of keys not requested, and the id
// columns that only unrated_rate joins on when it is not among `only` (empty = all).
struct DatasetNeeds {
  std::vector<GroupKey> keys;
  std::vector<std::string> only;
};
Result<Dataset> LoadDataset(const Store& store, int threads = 2,
                            std::unique_ptr<TableSource>* stream = nullptr,
                            const DatasetNeeds* needs = nullptr);

}  // namespace govqm

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
// indicator uses (comments, reasons, actors, notes). Everything is read from one snapshot of
// the store (the streams keep it open while they live), so a concurrent commit is seen
// whole or not at all. A big kind's columns load on two connections at once.
// With `streams` set, transactions and evaluations are not loaded: *streams receives sources
// that hand the engine one segment at a time from `store` (keep it alive), and data.transaction_source and
// data.evaluation_source point to them (keep them alive while the dataset is used).
// Skipped columns are left empty (size 0). `needs` (optional) prunes further: group-key
// columns of keys not requested, the join fingerprints unrated_rate reads when it is not
// among `only` (empty = all), and the rectifications, probes and guides when no indicator
// among `only` reads them (those tables are then empty). With `needs`, streamed kinds read the stored fingerprints instead
// of the id text.
struct DatasetNeeds {
  std::vector<GroupKey> keys;
  std::vector<std::string> only;
};
struct DatasetStreams {
  std::unique_ptr<TableSource> transactions, evaluations;
};
Result<Dataset> LoadDataset(const Store& store, DatasetStreams* streams = nullptr,
                            const DatasetNeeds* needs = nullptr);

}  // namespace govqm

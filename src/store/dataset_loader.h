// Builds the engine's Dataset from the store, reading only the columns the engine uses.
#pragma once

#include <memory>

#include "core/engine/dataset.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm {

// Loads every kind the indicator catalog reads (all but org), skipping free-text columns no
// indicator uses (comments, reasons, actors, notes). Kinds load in parallel on `threads`.
// With `stream` set, transactions are not loaded: *stream receives a source that hands the
// engine one segment at a time, and data.transaction_source points to it (keep it alive
// while the dataset is used).
Result<Dataset> LoadDataset(const Store& store, int threads = 2,
                            std::unique_ptr<TableSource>* stream = nullptr);

}  // namespace govqm

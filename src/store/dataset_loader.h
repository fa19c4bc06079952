// Builds the engine's Dataset from the store, reading only the columns the engine uses.
#pragma once

#include "core/engine/dataset.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm {

// Loads every kind the indicator catalog reads (all but org), skipping free-text columns no
// indicator uses (comments, reasons, actors, notes). Kinds load in parallel on `threads`.
Result<Dataset> LoadDataset(const Store& store, int threads = 2);

}  // namespace govqm

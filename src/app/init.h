// The init and calendar use cases: create a store; load working-day calendars into it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "app/common.h"
#include "core/status.h"
#include "store/store.h"

namespace govqm::app {

struct InitRequest {
  std::string db = kDefaultDb;
  std::string zone = kDefaultZone;  // an IANA zone the store keeps
};
struct InitResult {
  std::string path, zone;
};
// Creates an empty store. Invalid for an unknown zone, AlreadyExists when a file is there
// (a store or not: never overwritten; only an empty 0-byte file is replaced); the store's
// errors otherwise. The store appears whole or not at all.
Result<InitResult> Init(const InitRequest& request);

struct CalendarResult {
  size_t dates = 0;  // distinct dates of the merged calendars
  size_t files = 0;
};
// Loads working-day calendars (holidays and 调休 make-up days) into the store; they replace any
// loaded before. Until one is loaded, Monday–Friday. A file's errors name it (file:line:).
Result<CalendarResult> LoadCalendars(Store& store, const std::vector<std::string>& files);

// Gives the space of replaced rows back (every part rewritten with its live rows, the file
// shrunk). Atomic: killed at any moment, the store is as before or compacted.
Result<CompactStats> Compact(Store& store);

// A consistent copy of the store as a new file (never over an existing one), taken while
// imports and reads go on.
Status Backup(const Store& store, const std::string& to);
// Replaces the store at `db` with the backup `from` in one transaction (creating the store
// when there is none); the backup file is only read.
Status Restore(const std::string& db, const std::string& from, StoreOptions options = {});

}  // namespace govqm::app

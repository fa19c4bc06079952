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
  std::string key_file;             // the contact key file; "" = beside the store (app/contact.h)
  StoreBackend backend;             // where the facts live (store.h); default: the file itself
};
struct InitResult {
  std::string path, zone;
  std::string key_path;     // the store's contact key file
  bool key_created = true;  // false: a valid key file was there already and is used
};
// Creates an empty store and its contact key file (security::CreateKeyFile; a valid key
// file already there is kept: a key is never overwritten). Invalid for an unknown zone,
// AlreadyExists when a file is there (a store or not: never overwritten; only an empty
// 0-byte file is replaced); a key file that others may read, or that holds no key, refuses
// the init before the store is created; the store's errors otherwise. The store appears
// whole or not at all, and a key created for a store that could not be is removed.
Result<InitResult> Init(const InitRequest& request);
// Creates the contact key of the existing store `request.db` (one made before stores had
// keys; `zone` is not used): Store::Open's errors without a store, kAlreadyExists when its
// key file is there (never overwritten), CreateKeyFile's otherwise.
Result<InitResult> CreateContactKey(const InitRequest& request);

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

struct BackupResult {
  std::string key_path;  // the backup's copy of the contact key; "" = the store has no key
};
// A consistent copy of the store as a new file (never over an existing one), taken while
// imports and reads go on. When the store has a contact key (`key_file`, "" = beside the
// store), a copy of it goes beside the backup (security::KeyPathBeside(to), mode 0600,
// never over an existing file), written first and removed again if the backup fails.
Result<BackupResult> Backup(const Store& store, const std::string& to,
                            const std::string& key_file = "");

struct RestoreKeyOptions {
  std::string key_file;   // the store's contact key file; "" = beside the store
  bool keep_key = false;  // a different key already there is kept instead of refusing
};
struct RestoreResult {
  enum class Key { kNone, kInstalled, kSame, kKeptExisting };
  Key key = Key::kNone;         // kNone: the backup has no key file beside it
  std::string key_path;         // the store's key file
  std::string backup_key_path;  // the backup's (security::KeyPathBeside(from))
};
// Replaces the store at `db` with the backup `from` in one transaction (creating the store
// when there is none); the backup file is only read. The backup's key (beside it) is
// installed as the store's key when the store has none; the same key is left as it is; a
// different one refuses the restore (kFailedPrecondition, before anything is changed) unless
// `keep_key`, which keeps it (the result says so: contacts sealed under the backup's key
// will not open with it).
Result<RestoreResult> Restore(const std::string& db, const std::string& from,
                              StoreOptions options = {}, const RestoreKeyOptions& key = {});

}  // namespace govqm::app

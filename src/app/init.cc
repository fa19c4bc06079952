#include "app/init.h"

#include <fmt/format.h>

#include <unistd.h>

#include <filesystem>

#include "app/contact.h"
#include "security/contact_key.h"

#include "core/calendar.h"
#include "platform/tz.h"
#include "platform/file.h"

namespace govqm::app {

Result<InitResult> Init(const InitRequest& request) {
  GOVQM_ASSIGN_OR_RETURN(auto zone, TzZone::Make(request.zone));
  (void)zone;
  InitResult result{request.db, request.zone, ContactKeyPath(request.db, request.key_file), true};
  if (std::filesystem::path(result.key_path).lexically_normal() ==
      std::filesystem::path(request.db).lexically_normal()) {
    return Status::Usage(fmt::format("{}: the contact key cannot be the store itself", request.db));
  }
  // The key first: a store whose key could not be made would hold no contact.
  Result<security::ContactKey> existing = security::ReadKeyFile(result.key_path);
  if (existing.ok()) {
    result.key_created = false;
  } else if (existing.status().code() == StatusCode::kNotFound) {
    auto created = security::CreateKeyFile(result.key_path);
    if (!created.ok()) return created.status();
  } else {
    return existing.status();
  }
  auto store = Store::Create(request.db, request.zone, {}, request.backend);
  if (!store.ok()) {
    if (result.key_created) ::unlink(result.key_path.c_str());  // ours, for no store
    return store.status();
  }
  result.path = (*store)->path();
  return result;
}

Result<InitResult> CreateContactKey(const InitRequest& request) {
  GOVQM_ASSIGN_OR_RETURN(auto store, Store::Open(request.db));
  InitResult result{store->path(), store->zone(), ContactKeyPath(request.db, request.key_file),
                    true};
  auto created = security::CreateKeyFile(result.key_path);
  if (!created.ok()) return created.status();
  return result;
}

Result<CompactStats> Compact(Store& store) { return store.Compact(); }

Result<BackupResult> Backup(const Store& store, const std::string& to,
                            const std::string& key_file) {
  BackupResult result;
  Result<security::ContactKey> key = security::ReadKeyFile(ContactKeyPath(store.path(), key_file));
  if (!key.ok() && key.status().code() != StatusCode::kNotFound) return key.status();
  if (key.ok()) {
    result.key_path = security::KeyPathBeside(to);
    if (std::filesystem::path(result.key_path).lexically_normal() ==
        std::filesystem::path(to).lexically_normal()) {
      return Status::Usage(fmt::format("{}: a backup named *.key would be its own key file", to));
    }
    // Never over a file: the backup refuses an existing target too, and a key there may be
    // the only copy of another store's.
    GOVQM_RETURN_IF_ERROR(security::WriteKeyFile(result.key_path, *key));
  }
  Status st = store.BackupTo(to);
  if (!st.ok()) {
    if (!result.key_path.empty()) ::unlink(result.key_path.c_str());
    return st;
  }
  return result;
}

Result<RestoreResult> Restore(const std::string& db, const std::string& from, StoreOptions options,
                              const RestoreKeyOptions& key_options) {
  RestoreResult result;
  result.key_path = ContactKeyPath(db, key_options.key_file);
  result.backup_key_path = security::KeyPathBeside(from);
  // Decide about the key before anything is changed.
  Result<security::ContactKey> backup_key = security::ReadKeyFile(result.backup_key_path);
  if (!backup_key.ok() && backup_key.status().code() != StatusCode::kNotFound) {
    return backup_key.status();
  }
  if (backup_key.ok()) {
    Result<security::ContactKey> current = security::ReadKeyFile(result.key_path);
    if (current.ok()) {
      if (current->SameAs(*backup_key)) {
        result.key = RestoreResult::Key::kSame;
      } else if (key_options.keep_key) {
        result.key = RestoreResult::Key::kKeptExisting;
      } else {
        return Status::FailedPrecondition(fmt::format(
            "{} is a different contact key from the backup's {}: replacing it could lose the "
            "only key of contacts sealed under it, and keeping it leaves the backup's contacts "
            "unreadable; move it away first, or pass --keep-key to keep it; nothing restored",
            result.key_path, result.backup_key_path));
      }
    } else if (current.status().code() == StatusCode::kNotFound) {
      result.key = RestoreResult::Key::kInstalled;
      GOVQM_RETURN_IF_ERROR(security::WriteKeyFile(result.key_path, *backup_key));
    } else {
      return current.status();
    }
  }
  auto restore_store = [&]() -> Status {
    std::error_code ec;
    if (!std::filesystem::exists(db, ec)) {
      // The zone is the backup's: the restore replaces the new store's settings too.
      GOVQM_ASSIGN_OR_RETURN(auto created, Store::Create(db, kDefaultZone, options));
      return created->RestoreFrom(from);
    }
    GOVQM_ASSIGN_OR_RETURN(auto store, Store::Open(db, std::move(options)));
    return store->RestoreFrom(from);
  };
  Status st = restore_store();
  if (!st.ok()) {
    // The store is as it was, and so is its key: the one installed for it goes again.
    if (result.key == RestoreResult::Key::kInstalled) ::unlink(result.key_path.c_str());
    return st;
  }
  return result;
}

Result<CalendarResult> LoadCalendars(Store& store, const std::vector<std::string>& files) {
  std::string merged;
  WorkingCalendar all;
  for (const std::string& path : files) {
    GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(path));
    GOVQM_ASSIGN_OR_RETURN(const WorkingCalendar cal, WorkingCalendar::Parse(text, path));
    all.Merge(cal);
    merged += text;
    if (!merged.empty() && merged.back() != '\n') merged.push_back('\n');
  }
  GOVQM_RETURN_IF_ERROR(store.PutSetting("calendar", merged));
  return CalendarResult{all.size(), files.size()};
}

}  // namespace govqm::app

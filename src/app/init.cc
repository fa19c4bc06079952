#include "app/init.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/calendar.h"
#include "platform/tz.h"
#include "platform/file.h"

namespace govqm::app {

Result<InitResult> Init(const InitRequest& request) {
  GOVQM_ASSIGN_OR_RETURN(auto zone, TzZone::Make(request.zone));
  (void)zone;
  GOVQM_ASSIGN_OR_RETURN(auto store, Store::Create(request.db, request.zone));
  return InitResult{store->path(), request.zone};
}

Result<CompactStats> Compact(Store& store) { return store.Compact(); }

Status Backup(const Store& store, const std::string& to) { return store.BackupTo(to); }

Status Restore(const std::string& db, const std::string& from, StoreOptions options) {
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) {
    // The zone is the backup's: the restore replaces the new store's settings too.
    GOVQM_ASSIGN_OR_RETURN(auto created, Store::Create(db, kDefaultZone, options));
    return created->RestoreFrom(from);
  }
  GOVQM_ASSIGN_OR_RETURN(auto store, Store::Open(db, std::move(options)));
  return store->RestoreFrom(from);
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

// Constants of the store's schema that the opener checks before migrating.
#pragma once

#include <cstdint>

namespace govqm::sqlite {

// The schema version below which this program cannot read a store without migrating it.
inline constexpr int kMinReadableVersion = 2;
// PRAGMA application_id of a govqm store ("govm" as a big-endian int32).
inline constexpr int kApplicationId = 1735356013;
// How long a write waits for another writer before telling the user it is waiting.
inline constexpr int64_t kWaitNoticeMs = 3000;

}  // namespace govqm::sqlite

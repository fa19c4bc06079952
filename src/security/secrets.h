// The module's secret-handling primitives (libsodium): random ids and tokens, SHA-256.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace govqm::security {

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);
// `bytes` random bytes (libsodium) as hex.
std::string RandomHex(size_t bytes);

}  // namespace govqm::security

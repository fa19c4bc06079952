// 128-bit fingerprints of text keys, for joins between kinds (an evaluation's transaction_id
// against transactions' ids) that compare fixed-width numbers instead of fetching strings.
// The store keeps them per row at import (col -2 of a segment), so a join reads 16 bytes a row
// and hashes nothing. Stable: stored fingerprints must mean the same in every later version.
#pragma once

#include <cstdint>
#include <string_view>

namespace govqm {

struct Fingerprint {
  uint64_t h = 0, g = 0;  // two independently seeded hashes; {0, 0} = no key (empty text)
  bool empty() const { return h == 0 && g == 0; }
  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};
static_assert(sizeof(Fingerprint) == 16);

// {0, 0} for empty text; otherwise never {0, 0}.
Fingerprint FingerprintOf(std::string_view text);

}  // namespace govqm

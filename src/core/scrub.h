// Personal data in free text (service.md §4): comments are scrubbed of 18-digit identity
// numbers (last character may be X), mainland mobile numbers (1[3-9] + 9 digits), landlines
// (0 + 2–3 digits, optional '-', 7–8 digits) and e-mail addresses, each replaced by "***".
// Errs on the side of privacy: a whole run of digits (ASCII or full-width, with '-' between)
// that holds any of the number patterns is replaced, so no part of it is left to match.
#pragma once

#include <string>
#include <string_view>

namespace govqm {

inline constexpr std::string_view kScrubbed = "***";

std::string ScrubPersonalData(std::string_view text);

// True when `text` holds nothing ScrubPersonalData would replace.
bool HasNoPersonalData(std::string_view text);

}  // namespace govqm

// Contact phone numbers of evaluations (service.md §4): the number a revisit calls. Import
// normalises it to digits only before sealing it, so one number is one value whatever the
// export's punctuation, and a value that is no phone number is rejected rather than stored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace govqm {

// The digits of a mainland phone number: a mobile (1[3-9] + 9 digits) or a landline (0 + a
// 2–3 digit area code + 7–8 digits, 10–12 digits in all). Accepts ASCII or full-width
// digits, spaces, '-', '.', '(' and ')' between them, and a country prefix (+86, 0086, or
// 86 before a mobile). nullopt for anything else (letters, too few or too many digits).
std::optional<std::string> NormaliseContact(std::string_view text);

}  // namespace govqm

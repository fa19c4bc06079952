// HTML text for the renderers that write HTML (the bulletin): escaping, the one place.
#pragma once

#include <string>
#include <string_view>

namespace govqm::render {

// Text safe inside an element or a quoted attribute: & < > " ' escaped; control characters
// other than tab and line breaks become spaces; a byte that is not part of well-formed UTF-8
// becomes U+FFFD (as the JSON writer does), so the page is valid UTF-8 whatever the data.
std::string HtmlEscape(std::string_view text);

}  // namespace govqm::render

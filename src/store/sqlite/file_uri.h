// The file: URI SQLite is opened with, for the store and for the security module's own
// connection to the same file (both must name it alike, with the same query options).
#pragma once

#include <fmt/format.h>

#include <cctype>
#include <cstring>
#include <filesystem>
#include <string>

namespace govqm::sqlite {

// A file: URI for `path` (percent-encoding what a URI cannot hold), with `query`.
inline std::string FileUri(const std::string& path, const std::string& query) {
  std::string uri = "file:";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || std::strchr("/-_.~", c) != nullptr) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  if (!query.empty()) uri += "?" + query;
  return uri;
}

}  // namespace govqm::sqlite

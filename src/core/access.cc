#include "core/access.h"

#include <array>

namespace govqm {
namespace {
constexpr std::array<std::string_view, 5> kRoleNames = {"admin", "supervisor", "operator",
                                                        "auditor", "public"};
}

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

}  // namespace govqm

// Who may read what (domain.md §6, service.md §4): roles, scopes and the signed-in principal.
// Pure values: the policy that applies a scope to records is in app/scope.h, the accounts
// that hold them in security/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govqm {

enum class Role { kAdmin, kSupervisor, kOperator, kAuditor, kPublic };

// "admin", "supervisor", "operator", "auditor", "public".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// A region subtree, optionally narrowed to a set of departments. The default (no region, no
// departments) is the whole province: no restriction.
struct AccessScope {
  std::string region;              // root of the subtree; "" = every region
  std::vector<std::string> depts;  // "" none = every department; else records without one are out
  bool unrestricted() const { return region.empty() && depts.empty(); }
  bool operator==(const AccessScope&) const = default;
};

// The one who makes a request: a signed-in user (session or token), or the anonymous public.
struct Principal {
  std::string user;  // "" for the public
  Role role = Role::kPublic;
  AccessScope scope;
};

}  // namespace govqm

// The users routes (service.md §4; the dashboard's users page): an admin lists, adds and
// disables users. Every change is audited with the admin as the actor, as `govqm user` audits
// the login running it. Passwords arrive in the body (TLS or loopback only: the server's
// rule) and are kept as Argon2id hashes by security/accounts.h.
#include <fmt/format.h>
#include <simdjson.h>

#include "app/common.h"
#include "app/render/accounts.h"
#include "server/handler_support.h"
#include "server/handlers.h"

namespace govqm::server {

Reply GetUsers(Service& s, const Call&, const Principal&) {
  auto users = s.accounts().ListUsers();
  if (!users.ok()) return StatusReply(users.status());
  return Json(render::UsersJson(*users));
}

// Body: {"name", "role", "password", "region", "depts": ["D1", …] or "D1,D2"}.
Reply PostUser(Service& s, const Call& call, const Principal& who) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(call.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return ErrorReply(400, "the body must be a JSON object {\"name\", \"role\", \"password\"}");
  }
  security::UserInfo user;
  std::string password;
  for (auto field : doc.get_object()) {
    const std::string_view k = field.key;
    std::string_view text;
    if (k == "depts" && field.value.is_array()) {
      for (simdjson::dom::element d : field.value.get_array()) {
        if (d.get_string().get(text) != simdjson::SUCCESS) {
          return ErrorReply(400, "\"depts\" must be a list of department codes");
        }
        user.scope.depts.emplace_back(text);
      }
      continue;
    }
    if (k != "name" && k != "role" && k != "password" && k != "region" && k != "depts") {
      return ErrorReply(400, fmt::format("unknown field \"{}\" (name, role, password, region, "
                                         "depts)", std::string(k)));
    }
    if (field.value.is_null()) continue;
    if (field.value.get_string().get(text) != simdjson::SUCCESS) {
      return ErrorReply(400, fmt::format("\"{}\" must be a string", std::string(k)));
    }
    if (k == "name") user.name = text;
    if (k == "password") password = text;
    if (k == "region") user.scope.region = text;
    if (k == "depts") user.scope.depts = app::SplitList(std::string(text));
    if (k == "role") {
      const auto role = ParseRole(text);
      if (!role || *role == Role::kPublic) {
        return ErrorReply(400, fmt::format("\"role\" must be admin, supervisor, operator or "
                                           "auditor, not '{}'", std::string(text)));
      }
      user.role = *role;
    }
  }
  if (user.name.empty()) return ErrorReply(400, "the body needs \"name\"");
  if (user.role == Role::kPublic) return ErrorReply(400, "the body needs \"role\"");
  Status checked = security::CheckNewUser(user);
  if (!checked.ok()) return StatusReply(checked);
  Status added = s.accounts().AddUser(user, password);
  if (!added.ok()) return StatusReply(added);
  std::string detail = fmt::format("role={}", RoleName(user.role));
  if (!user.scope.region.empty()) detail += " region=" + user.scope.region;
  std::string depts;
  for (const std::string& d : user.scope.depts) depts += (depts.empty() ? "" : ",") + d;
  if (!depts.empty()) detail += " depts=" + depts;
  Status audited = s.Audit(who, "user.add", "user:" + user.name, detail);
  if (!audited.ok()) return StatusReply(audited);
  auto users = s.accounts().ListUsers();
  if (!users.ok()) return StatusReply(users.status());
  for (const security::UserInfo& u : *users) {
    if (u.name != user.name) continue;
    Reply r = Json(render::UserJson(u));
    r.status = 201;
    return r;
  }
  return ErrorReply(500, "the user was added but cannot be read back");
}

Reply PostUserDisable(Service& s, const Call& call, const Principal& who) {
  const std::string& name = call.path_params.at(0);
  // An admin locking itself out would leave a store nobody can manage from the API.
  if (name == who.user) return ErrorReply(409, "an admin cannot disable itself");
  Status disabled = s.accounts().DisableUser(name);
  if (!disabled.ok()) return StatusReply(disabled);
  Status audited = s.Audit(who, "user.disable", "user:" + name, "");
  if (!audited.ok()) return StatusReply(audited);
  auto users = s.accounts().ListUsers();
  if (!users.ok()) return StatusReply(users.status());
  for (const security::UserInfo& u : *users) {
    if (u.name == name) return Json(render::UserJson(u));
  }
  return ErrorReply(404, fmt::format("no user {}", name));
}

}  // namespace govqm::server

#include "app/render/accounts.h"

#include <fmt/format.h>

#include "app/render/csv.h"
#include "app/render/json.h"
#include "app/render/table.h"

namespace govqm::render {
namespace {

using security::AuditEntry;
using security::TokenInfo;
using security::UserInfo;

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

const char* Bool(bool b) { return b ? "true" : "false"; }

// Objects one a line, as the other JSON outputs.
template <typename T, typename F>
std::string JsonArray(const std::vector<T>& items, F object) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ",\n" : "\n") + object(items[i]);
  out += "\n]\n";
  return out;
}

// A table whose every cell is text; `none` is printed instead of an empty list.
std::string Table(std::vector<std::vector<std::string>> rows, const char* none) {
  if (rows.size() == 1) return std::string(none) + "\n";
  TableStyle style;
  style.left_columns = rows[0].size();
  return RenderTable(rows, style);
}

std::string Csv(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& r : rows) AppendCsvRow(&out, r);
  return out;
}

std::vector<std::vector<std::string>> UserRows(const std::vector<UserInfo>& users) {
  std::vector<std::vector<std::string>> rows = {
      {"name", "role", "region", "depts", "disabled", "created_at"}};
  for (const UserInfo& u : users) {
    rows.push_back({u.name, std::string(RoleName(u.role)), u.scope.region, Joined(u.scope.depts),
                    Bool(u.disabled), u.created_at});
  }
  return rows;
}

std::vector<std::vector<std::string>> TokenRows(const std::vector<TokenInfo>& tokens) {
  std::vector<std::vector<std::string>> rows = {
      {"id", "user", "created_at", "expires_at", "revoked"}};
  for (const TokenInfo& t : tokens) {
    rows.push_back({std::to_string(t.id), t.user, t.created_at, t.expires_at, Bool(t.revoked)});
  }
  return rows;
}

std::vector<std::vector<std::string>> AuditRows(const std::vector<AuditEntry>& entries,
                                                bool hashes) {
  std::vector<std::vector<std::string>> rows = {
      {"seq", "at", "actor", "action", "object", "detail"}};
  if (hashes) rows[0].insert(rows[0].end(), {"prev_hash", "hash"});
  for (const AuditEntry& e : entries) {
    rows.push_back({std::to_string(e.seq), e.at, e.actor, e.action, e.object, e.detail});
    if (hashes) rows.back().insert(rows.back().end(), {e.prev_hash, e.hash});
  }
  return rows;
}

// A table cell stays on its line: line breaks (an object or detail the server logged) are
// shown escaped.
std::string OneLine(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

}  // namespace

std::string UsersTable(const std::vector<UserInfo>& users) {
  return Table(UserRows(users), "no users");
}
std::string UsersCsv(const std::vector<UserInfo>& users) { return Csv(UserRows(users)); }
std::string UserJson(const UserInfo& u) {
  return fmt::format(
      "{{\"name\":{},\"role\":{},\"region\":{},\"depts\":{},\"disabled\":{},\"created_at\":{}}}",
      JsonString(u.name), JsonString(RoleName(u.role)), JsonString(u.scope.region),
      JsonStrings(u.scope.depts), Bool(u.disabled), JsonString(u.created_at));
}

std::string UsersJson(const std::vector<UserInfo>& users) { return JsonArray(users, UserJson); }

std::string TokensTable(const std::vector<TokenInfo>& tokens) {
  return Table(TokenRows(tokens), "no tokens");
}
std::string TokensCsv(const std::vector<TokenInfo>& tokens) { return Csv(TokenRows(tokens)); }
std::string TokensJson(const std::vector<TokenInfo>& tokens) {
  return JsonArray(tokens, [](const TokenInfo& t) {
    return fmt::format(
        "{{\"id\":{},\"user\":{},\"created_at\":{},\"expires_at\":{},\"revoked\":{}}}", t.id,
        JsonString(t.user), JsonString(t.created_at), JsonString(t.expires_at), Bool(t.revoked));
  });
}

std::string AuditTable(const std::vector<AuditEntry>& entries) {
  auto rows = AuditRows(entries, false);
  for (auto& r : rows) {
    for (std::string& cell : r) cell = OneLine(cell);
  }
  return Table(std::move(rows), "no audit entries");
}
std::string AuditCsv(const std::vector<AuditEntry>& entries) {
  return Csv(AuditRows(entries, true));
}
std::string AuditJson(const std::vector<AuditEntry>& entries) {
  return JsonArray(entries, [](const AuditEntry& e) {
    return fmt::format(
        "{{\"seq\":{},\"at\":{},\"actor\":{},\"action\":{},\"object\":{},\"detail\":{},"
        "\"prev_hash\":{},\"hash\":{}}}",
        e.seq, JsonString(e.at), JsonString(e.actor), JsonString(e.action), JsonString(e.object),
        JsonString(e.detail), JsonString(e.prev_hash), JsonString(e.hash));
  });
}

}  // namespace govqm::render

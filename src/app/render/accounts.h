// Rendering of users, API tokens and audit entries (service.md §4): a readable table, CSV
// with a header row, and a JSON array of objects. No secret is ever in these values.
#pragma once

#include <string>
#include <vector>

#include "security/accounts.h"
#include "security/audit.h"

namespace govqm::render {

// Users: name, role, region, depts (comma-joined in table and CSV; an array in JSON),
// disabled, created_at.
std::string UsersTable(const std::vector<security::UserInfo>& users);
std::string UsersCsv(const std::vector<security::UserInfo>& users);
std::string UsersJson(const std::vector<security::UserInfo>& users);
// One user, as one element of UsersJson.
std::string UserJson(const security::UserInfo& user);

// Tokens: id, user, created_at, expires_at, revoked.
std::string TokensTable(const std::vector<security::TokenInfo>& tokens);
std::string TokensCsv(const std::vector<security::TokenInfo>& tokens);
std::string TokensJson(const std::vector<security::TokenInfo>& tokens);

// Audit entries: seq, at, actor, action, object, detail, and in CSV and JSON also prev_hash
// and hash (so an exported log can be checked elsewhere).
std::string AuditTable(const std::vector<security::AuditEntry>& entries);
std::string AuditCsv(const std::vector<security::AuditEntry>& entries);
std::string AuditJson(const std::vector<security::AuditEntry>& entries);

}  // namespace govqm::render

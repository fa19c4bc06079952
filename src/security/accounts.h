// Accounts: users with roles and scopes, API tokens, sign-in with lockout, sessions
// (service.md §4). Secrets are kept only as hashes: passwords as Argon2id strings
// (crypto_pwhash_str), tokens and session ids as SHA-256 of 256 random bits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/status.h"

namespace govqm::security {

struct UserInfo {
  std::string name;
  Role role = Role::kPublic;
  AccessScope scope;
  bool disabled = false;
  std::string created_at;  // ISO 8601 UTC
};

struct TokenInfo {
  int64_t id = 0;
  std::string user;
  std::string created_at, expires_at;  // ISO 8601 UTC; expires_at "" = never
  bool revoked = false;
};

struct CreatedToken {
  TokenInfo info;
  std::string secret;  // shown once, never stored
};

// What AddUser checks of a user before anything else (its kUsage errors, below): for an
// edge to refuse a bad user before it asks for a password.
Status CheckNewUser(const UserInfo& user);

// The accounts of one store: their rows live in the store's file (tables users, tokens,
// login_failures), written on a connection of their own (security/accounts_db.h) that never
// changes the store's commit counter. Writes no audit entries: the edge that knows the actor
// (CLI, server) appends them. Writes wait up to 5 s for another writer (an import), then fail
// with kIo. Thread-safe: the server calls it from many request threads.
class Accounts {
 public:
  virtual ~Accounts() = default;
  // Opens the accounts of the store at `db_path` (which must exist; Store::Open first).
  static Result<std::unique_ptr<Accounts>> Open(const std::string& db_path);

  // kAlreadyExists for a taken name; kUsage for a bad name (1-64 of A-Z a-z 0-9 . _ -), the
  // public role, a role without its needs (an operator needs --region and --depts; an admin
  // takes no scope), a weak password (< 10 characters). user.created_at "" = now.
  // SetPassword also ends a lockout. kNotFound for an unknown name (SetPassword, DisableUser).
  virtual Status AddUser(const UserInfo& user, const std::string& password) = 0;
  virtual Status SetPassword(const std::string& name, const std::string& password) = 0;
  virtual Status DisableUser(const std::string& name) = 0;
  virtual Result<std::vector<UserInfo>> ListUsers() const = 0;
  // The principal of an enabled user (for `--as NAME`); kNotFound otherwise.
  virtual Result<Principal> PrincipalOf(const std::string& name) const = 0;

  // Sign-in. Every failure (unknown user, wrong password, disabled, locked) is the same
  // kUnauthenticated "wrong user name or password", after the same work (an unknown user's
  // password is checked against a dummy hash). Five failures of one name within 15 minutes
  // lock it for 15 minutes, whether the name exists or not. `now_ms` is the clock (tests).
  // A success or a new password clears the name's failures. A failure that cannot be
  // recorded (a read-only store, a writer holding the store past 5 s) is that error
  // (kFailedPrecondition, kIo) instead, so the lockout never misses a guess.
  virtual Result<Principal> SignIn(const std::string& name, const std::string& password,
                                   int64_t now_ms) = 0;

  // API tokens: the secret ("gq_" + 64 hex digits) is printed once; only its SHA-256 is kept.
  // CreateToken: `days` 1..3650 (kUsage otherwise); kNotFound for an unknown user,
  // kFailedPrecondition for a disabled one. RevokeToken: kNotFound for an unknown id.
  virtual Result<CreatedToken> CreateToken(const std::string& user, int days, int64_t now_ms) = 0;
  virtual Status RevokeToken(int64_t id) = 0;
  virtual Result<std::vector<TokenInfo>> ListTokens() const = 0;
  // The principal of a valid (known, unrevoked, unexpired, enabled user) token;
  // kUnauthenticated otherwise.
  virtual Result<Principal> CheckToken(const std::string& secret, int64_t now_ms) const = 0;
};

// Sessions of the server, kept in its memory by the hash of their id: idle expiry 30 min,
// absolute 12 h. Thread-safe.
struct Session {
  Principal principal;
  std::string csrf;  // the X-CSRF-Token a state-changing request must carry
};
struct NewSession {
  std::string id;  // the cookie's value (256 random bits, hex); shown once
  Session session;
};
class Sessions {
 public:
  Sessions();
  ~Sessions();
  NewSession Create(const Principal& principal, int64_t now_ms);
  // The live session of `id` (and its idle timer restarted); kUnauthenticated otherwise.
  Result<Session> Find(const std::string& id, int64_t now_ms);
  void Remove(const std::string& id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace govqm::security

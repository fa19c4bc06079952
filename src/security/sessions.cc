// Sessions live in the server's memory only: a restart signs everyone out, and no session
// secret (nor its hash) is ever written to disk. The map is keyed by SHA-256 of the id, so
// a memory dump does not hand out live cookies either.
#include <sodium.h>

#include <map>
#include <mutex>

#include "security/accounts.h"
#include "security/secrets.h"

namespace govqm::security {
namespace {

constexpr int64_t kIdleMs = 30 * 60 * 1000;
constexpr int64_t kAbsoluteMs = 12 * 60 * 60 * 1000;

std::string HashOf(const std::string& id) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(id.data()), id.size());
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

}  // namespace

struct Sessions::Impl {
  struct Entry {
    Session session;
    int64_t created_ms = 0, last_ms = 0;
  };
  std::mutex mu;
  std::map<std::string, Entry> by_hash;
  int64_t last_sweep_ms = 0;

  // Drops expired sessions now and then, so the map does not grow with abandoned ones.
  void Sweep(int64_t now_ms) {
    if (now_ms - last_sweep_ms < 60 * 1000) return;
    last_sweep_ms = now_ms;
    for (auto it = by_hash.begin(); it != by_hash.end();) {
      const Entry& e = it->second;
      if (now_ms - e.last_ms > kIdleMs || now_ms - e.created_ms > kAbsoluteMs) {
        it = by_hash.erase(it);
      } else {
        ++it;
      }
    }
  }
};

Sessions::Sessions() : impl_(std::make_unique<Impl>()) {
  if (sodium_init() < 0) std::abort();  // no randomness: nothing can be served safely
}
Sessions::~Sessions() = default;

NewSession Sessions::Create(const Principal& principal, int64_t now_ms) {
  NewSession out;
  out.id = RandomHex(32);
  out.session.principal = principal;
  out.session.csrf = RandomHex(32);
  std::lock_guard lock(impl_->mu);
  impl_->Sweep(now_ms);
  impl_->by_hash[HashOf(out.id)] = {out.session, now_ms, now_ms};
  return out;
}

Result<Session> Sessions::Find(const std::string& id, int64_t now_ms) {
  std::lock_guard lock(impl_->mu);
  impl_->Sweep(now_ms);
  auto it = impl_->by_hash.find(HashOf(id));
  if (it == impl_->by_hash.end()) return Status::Unauthenticated("not signed in");
  Impl::Entry& e = it->second;
  if (now_ms - e.last_ms > kIdleMs || now_ms - e.created_ms > kAbsoluteMs) {
    impl_->by_hash.erase(it);
    return Status::Unauthenticated("the session has expired; sign in again");
  }
  e.last_ms = now_ms;
  return e.session;
}

void Sessions::Remove(const std::string& id) {
  std::lock_guard lock(impl_->mu);
  impl_->by_hash.erase(HashOf(id));
}

}  // namespace govqm::security

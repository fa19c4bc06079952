// Files that hold a secret (the contact key, the webhook secret, the federation signing key):
// created exclusively with mode 0600, set by fchmod before a byte is written, never over an
// existing file and never through a link; read only while no one but the owner may read or
// write them. One implementation, so every secret file is checked the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm::security {

// Initialises libsodium once; aborts the process when it cannot (no randomness: nothing may
// be keyed, sealed or signed safely).
void EnsureSodium();

// A secret's bytes, wiped when destroyed or replaced. Move-only, so no copy lingers.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  std::string_view view() const { return bytes_; }

 private:
  std::string bytes_;
};

// Wipes a string that held secret bytes and empties it.
void Wipe(std::string* s);

// What a secret file is called in messages ("contact key", "webhook secret", "signing key").
struct SecretFileKind {
  std::string_view what;
  // Read at most this many bytes: a caller that gets `limit` bytes knows the file is longer
  // than any valid one.
  size_t limit = 4096;
  // Follow a symbolic link to the file it names (that file is checked); false refuses links.
  bool follow_links = false;
};

// Reads the secret file `path`. kNotFound ("PATH: no WHAT file"); kPermissionDenied when it
// is a link (unless followed: "PATH: the WHAT file is a symbolic link (not accepted)"), not a
// regular file ("PATH: the WHAT is not a regular file"), not readable by us, or readable or
// writable by its group or others ("PATH: mode 0644 lets others read the WHAT; run chmod 600
// PATH"); kIo ("PATH: cannot read: reason").
Result<SecretBytes> ReadSecretFile(const std::string& path, const SecretFileKind& kind);

// Creates `path` holding `text`: O_EXCL, never following a link, mode exactly 0600 (fchmod
// before the first byte, whatever the umask), flushed to disk with its directory entry.
// kAlreadyExists when anything is there ("PATH: a WHAT file is already there (a WHAT is never
// overwritten)"); kIo ("PATH: cannot write: reason"), the partial file removed.
Status CreateSecretFile(const std::string& path, std::string_view text, std::string_view what);

}  // namespace govqm::security

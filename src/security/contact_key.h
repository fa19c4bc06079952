// The contact key (service.md §4): evaluations' contacts are stored sealed with libsodium's
// secretbox (XSalsa20-Poly1305) under a 32-byte key kept in a file beside the store —
// `NAME.key` for `NAME.db`, or the file the deployment names (GOVQM_KEY_FILE, read by the
// edge only) — mode 0600, never in the store: a copy of the store alone reveals no number.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm::security {

inline constexpr size_t kContactKeyBytes = 32;  // crypto_secretbox_KEYBYTES

// A secretbox key. Its bytes are wiped when it is destroyed. Copyable (a key read once is
// handed to the use cases that need it).
class ContactKey {
 public:
  // A fresh random key.
  static ContactKey Generate();
  // The key written as 64 hex digits (surrounding white space ignored); kInvalidInput
  // naming `where` otherwise.
  static Result<ContactKey> FromHex(std::string_view hex, const std::string& where);

  ContactKey(const ContactKey&) = default;
  ContactKey& operator=(const ContactKey&) = default;
  ~ContactKey();

  std::string Hex() const;  // 64 lowercase hex digits
  const unsigned char* data() const { return bytes_.data(); }
  // Constant time.
  bool SameAs(const ContactKey& other) const;

 private:
  ContactKey() = default;
  std::array<unsigned char, kContactKeyBytes> bytes_{};
};

// Where the key of the store (or backup) at `path` lives: `path` with its extension
// replaced by ".key" (govqm.db → govqm.key; a name without one gains it: store → store.key).
std::string KeyPathBeside(const std::string& path);

// Creates the key file `path` holding a new random key (64 hex digits and a newline):
// created exclusively (O_EXCL, never following a link) with mode 0600 set by fchmod before a
// byte is written, so it is never readable by others, then flushed to disk. kAlreadyExists
// when a file is there (a key is never overwritten); kIo ("PATH: cannot write: reason").
Result<ContactKey> CreateKeyFile(const std::string& path);
// The same for a given key (a backup's, a restored one).
Status WriteKeyFile(const std::string& path, const ContactKey& key);

// Reads the key file `path`. kNotFound when there is none; kPermissionDenied when its group
// or others may read or write it ("PATH: mode 0644 lets others read the contact key; run
// chmod 600 PATH") or it is not a regular file; kInvalidInput when it does not hold 64 hex
// digits.
Result<ContactKey> ReadKeyFile(const std::string& path);

// nonce || crypto_secretbox_easy(plaintext): a fresh random nonce each call, so one number
// sealed twice gives two unrelated values (equal numbers cannot be spotted in the store).
std::string Seal(const ContactKey& key, std::string_view plaintext);
// The plaintext of Seal's output. kInvalidInput when `sealed` is too short or fails
// authentication: a wrong key or altered bytes (never a garbled number).
Result<std::string> Open(const ContactKey& key, std::string_view sealed);

// Seal and Open in the text form the store's contact column holds (base64, original
// alphabet, padded).
std::string SealToText(const ContactKey& key, std::string_view plaintext);
Result<std::string> OpenText(const ContactKey& key, std::string_view text);

}  // namespace govqm::security

// Ed25519 signatures for federation (service.md §11; docs/FEDERATION.md): a city signs its
// partials with a key only it holds, and the province accepts files signed by the keys it
// trusts. libsodium's crypto_sign (Ed25519) with detached signatures.
//
// Files (one line each, fields separated by one space, LF at the end):
//   NAME.sign  govqm-ed25519-secret SEED NAME    the 32-byte seed as 64 lowercase hex digits;
//              mode 0600, beside the store (NAME.db → NAME.sign) or where --key names it
//   NAME.pub   govqm-ed25519 PUBLIC NAME         the public key as 64 lowercase hex digits
// NAME is the key's name: its .sign file's name without ".sign" when the key is created,
// kept in both files after that (renaming a file does not rename the signer).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace govqm::security {

inline constexpr size_t kPublicKeyBytes = 32;   // crypto_sign_PUBLICKEYBYTES
inline constexpr size_t kSignatureBytes = 64;   // crypto_sign_BYTES
inline constexpr size_t kMaxKeyNameBytes = 64;

// An Ed25519 public key.
struct PublicKey {
  std::array<unsigned char, kPublicKeyBytes> bytes{};

  // Exactly 64 lowercase hex digits (one spelling per key, so no byte of a signed file can
  // change without changing what it says); kInvalidInput naming `where` otherwise.
  static Result<PublicKey> FromHex(std::string_view hex, const std::string& where);
  std::string Hex() const;
  bool operator==(const PublicKey&) const = default;
};

// A key name: 1 to 64 bytes, no white space, control character or '/'. UTF-8 is fine
// (南宁市): a name is for people reading messages.
bool ValidKeyName(std::string_view name);

// An Ed25519 key pair. The secret half is wiped when the key is destroyed. Move-only.
class SigningKey {
 public:
  // A fresh random key pair named `name` (ValidKeyName; Invalid otherwise).
  static Result<SigningKey> Generate(std::string name);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  const std::string& name() const { return name_; }
  const PublicKey& public_key() const { return public_; }
  // The detached signature of `message` (kSignatureBytes raw bytes).
  std::string Sign(std::string_view message) const;

  // The .sign file's text (the secret: the caller wipes it, security::Wipe).
  std::string SecretFileText() const;
  // The .pub file's text.
  std::string PublicFileText() const;
  // A key of a .sign file's text; kInvalidInput naming `where` when it is not one.
  static Result<SigningKey> FromSecretFileText(std::string_view text, const std::string& where);

 private:
  SigningKey() = default;
  std::string name_;
  PublicKey public_;
  std::array<unsigned char, 64> secret_{};  // crypto_sign_SECRETKEYBYTES: seed || public key
};

// True when `signature` is `key`'s signature of exactly `message`.
bool VerifySignature(const PublicKey& key, std::string_view message, std::string_view signature);

// Where the signing key of the store at `store_path` lives: NAME.db → NAME.sign.
std::string SigningKeyPathBeside(const std::string& store_path);
// Where the public half of the key file `sign_path` is written: NAME.sign → NAME.pub.
std::string PublicKeyPathOf(const std::string& sign_path);

// Reads the .sign file `path` with the checks of every secret file (security/secret_file.h:
// kNotFound, kPermissionDenied for a link, a file others may read, ...); kInvalidInput when
// it does not hold a key.
Result<SigningKey> ReadSigningKeyFile(const std::string& path);

struct OpenedSigningKey {
  SigningKey key;
  std::string path, public_path;
  bool created = false;          // the .sign file was made now
  bool public_written = false;   // the .pub file was (re)written now: missing or stale
};
// The key of `path`, created there on first use (a new key named after the file: nanning.sign
// → "nanning"; created exclusively, 0600, so two processes never make two keys), and its
// public half written beside it (PublicKeyPathOf) when missing or holding another key.
Result<OpenedSigningKey> OpenOrCreateSigningKey(const std::string& path);

// A public key a province trusts, with the .pub file it came from.
struct TrustedKey {
  std::string name;
  PublicKey key;
  std::string file;
};

// A .pub file's text as a key; kInvalidInput naming `where` when it is not one.
Result<TrustedKey> ParsePublicKeyFile(std::string_view text, const std::string& where);

// Every *.pub file of the directory `dir` (other files are ignored; links are followed).
// kNotFound when `dir` is not a directory; kInvalidInput naming the file for a malformed
// .pub, when two files give one key different names or one name to different keys (a name
// must say who signed), or when there is no .pub at all (nothing would be trusted).
class TrustedKeys {
 public:
  static Result<TrustedKeys> LoadDir(const std::string& dir);
  // The trusted key equal to `key`, or nullptr.
  const TrustedKey* Find(const PublicKey& key) const;
  const std::vector<TrustedKey>& keys() const { return keys_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::vector<TrustedKey> keys_;  // by file name
};

}  // namespace govqm::security

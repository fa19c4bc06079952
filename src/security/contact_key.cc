#include "security/contact_key.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cstring>
#include <filesystem>

#include "security/secret_file.h"

namespace govqm::security {
namespace {

static_assert(kContactKeyBytes == crypto_secretbox_KEYBYTES);

// 64 hex digits and a newline; a little more is read so that a longer file is refused.
constexpr SecretFileKind kContactKeyFile{"contact key", 2 * kContactKeyBytes + 16, false};

}  // namespace

ContactKey ContactKey::Generate() {
  EnsureSodium();
  ContactKey key;
  crypto_secretbox_keygen(key.bytes_.data());
  return key;
}

Result<ContactKey> ContactKey::FromHex(std::string_view hex, const std::string& where) {
  while (!hex.empty() && std::strchr(" \t\r\n", hex.back()) != nullptr) hex.remove_suffix(1);
  while (!hex.empty() && std::strchr(" \t\r\n", hex.front()) != nullptr) hex.remove_prefix(1);
  ContactKey key;
  size_t len = 0;
  const char* end = nullptr;
  if (hex.size() != 2 * kContactKeyBytes ||
      sodium_hex2bin(key.bytes_.data(), key.bytes_.size(), hex.data(), hex.size(), nullptr, &len,
                     &end) != 0 ||
      len != kContactKeyBytes || end != hex.data() + hex.size()) {
    return Status::Invalid(
        fmt::format("{}: not a contact key (expected {} hex digits)", where, 2 * kContactKeyBytes));
  }
  return key;
}

ContactKey::~ContactKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::string ContactKey::Hex() const {
  std::string hex(2 * kContactKeyBytes + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes_.data(), bytes_.size());
  hex.pop_back();
  return hex;
}

bool ContactKey::SameAs(const ContactKey& other) const {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0;
}

std::string KeyPathBeside(const std::string& path) {
  return std::filesystem::path(path).replace_extension(".key").string();
}

Status WriteKeyFile(const std::string& path, const ContactKey& key) {
  std::string text = key.Hex() + "\n";
  Status written = CreateSecretFile(path, text, "contact key");
  Wipe(&text);
  return written;
}

Result<ContactKey> CreateKeyFile(const std::string& path) {
  ContactKey key = ContactKey::Generate();
  GOVQM_RETURN_IF_ERROR(WriteKeyFile(path, key));
  return key;
}

Result<ContactKey> ReadKeyFile(const std::string& path) {
  GOVQM_ASSIGN_OR_RETURN(const SecretBytes text, ReadSecretFile(path, kContactKeyFile));
  return ContactKey::FromHex(text.view(), path);
}

std::string Seal(const ContactKey& key, std::string_view plaintext) {
  EnsureSodium();
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, key.data());
  return out;
}

Result<std::string> Open(const ContactKey& key, std::string_view sealed) {
  EnsureSodium();
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < kOverhead) {
    return Status::Invalid(
        fmt::format("sealed contact too short ({} bytes, at least {})", sealed.size(), kOverhead));
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string out(sealed.size() - kOverhead, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(out.data()), nonce + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, nonce, key.data()) != 0) {
    return Status::Invalid(
        "sealed contact does not open with this key (another store's key, or altered)");
  }
  return out;
}

std::string SealToText(const ContactKey& key, std::string_view plaintext) {
  const std::string sealed = Seal(key, plaintext);
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string text(sodium_base64_ENCODED_LEN(sealed.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(sealed.data()),
                    sealed.size(), kVariant);
  text.pop_back();  // the terminating NUL
  return text;
}

Result<std::string> OpenText(const ContactKey& key, std::string_view text) {
  std::string sealed(text.size(), '\0');  // base64 decodes to fewer bytes than it has
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(sealed.data()), sealed.size(), text.data(),
                        text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return Status::Invalid("sealed contact is not base64 text");
  }
  sealed.resize(len);
  return Open(key, sealed);
}

}  // namespace govqm::security

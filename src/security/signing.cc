#include "security/signing.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "platform/file.h"
#include "security/secret_file.h"

namespace govqm::security {
namespace {

static_assert(kPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(kSignatureBytes == crypto_sign_BYTES);
static_assert(crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_SEEDBYTES == 32);

constexpr std::string_view kSecretTag = "govqm-ed25519-secret";
constexpr std::string_view kPublicTag = "govqm-ed25519";
constexpr size_t kSeedBytes = crypto_sign_SEEDBYTES;
// The longest valid .sign line, and a little more so that a longer file is refused.
constexpr SecretFileKind kSigningKeyFile{
    "signing key", kSecretTag.size() + 1 + 2 * kSeedBytes + 1 + kMaxKeyNameBytes + 16, false};

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Exactly 2 * out.size() lowercase hex digits into `out`.
bool DecodeLowerHex(std::string_view hex, unsigned char* out, size_t size) {
  size_t len = 0;
  return hex.size() == 2 * size && IsLowerHex(hex) &&
         sodium_hex2bin(out, size, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 &&
         len == size;
}

std::string EncodeHex(const unsigned char* bytes, size_t size) {
  std::string hex(2 * size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

// The three fields of a key file's line ("TAG HEX NAME", one LF at the end or none); false
// when the text is not such a line.
bool SplitKeyLine(std::string_view text, std::string_view* tag, std::string_view* hex,
                  std::string_view* name) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  const size_t a = text.find(' ');
  if (a == std::string_view::npos) return false;
  const size_t b = text.find(' ', a + 1);
  if (b == std::string_view::npos) return false;
  *tag = text.substr(0, a);
  *hex = text.substr(a + 1, b - a - 1);
  *name = text.substr(b + 1);
  return text.find('\n') == std::string_view::npos;
}

}  // namespace

Result<PublicKey> PublicKey::FromHex(std::string_view hex, const std::string& where) {
  PublicKey key;
  if (!DecodeLowerHex(hex, key.bytes.data(), key.bytes.size())) {
    return Status::Invalid(fmt::format("{}: not an Ed25519 public key (expected {} lowercase hex "
                                       "digits)",
                                       where, 2 * kPublicKeyBytes));
  }
  return key;
}

std::string PublicKey::Hex() const { return EncodeHex(bytes.data(), bytes.size()); }

bool ValidKeyName(std::string_view name) {
  if (name.empty() || name.size() > kMaxKeyNameBytes) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '/';
  });
}

Result<SigningKey> SigningKey::Generate(std::string name) {
  if (!ValidKeyName(name)) {
    return Status::Invalid(fmt::format(
        "'{}' is not a key name (1 to {} bytes, no white space, control character or '/')", name,
        kMaxKeyNameBytes));
  }
  EnsureSodium();
  SigningKey key;
  key.name_ = std::move(name);
  crypto_sign_keypair(key.public_.bytes.data(), key.secret_.data());
  return key;
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : name_(std::move(other.name_)), public_(other.public_), secret_(other.secret_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    name_ = std::move(other.name_);
    public_ = other.public_;
    secret_ = other.secret_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

std::string SigningKey::Sign(std::string_view message) const {
  EnsureSodium();
  std::string signature(kSignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  return signature;
}

std::string SigningKey::SecretFileText() const {
  // Built in place at its final size: no formatting buffer keeps a copy of the seed. The seed
  // is the secret key's first half (libsodium's layout: seed || public key).
  std::string text(kSecretTag.size() + 1 + 2 * kSeedBytes + 1 + name_.size() + 1, ' ');
  text.replace(0, kSecretTag.size(), kSecretTag);
  char* hex = text.data() + kSecretTag.size() + 1;
  sodium_bin2hex(hex, 2 * kSeedBytes + 1, secret_.data(), kSeedBytes);
  hex[2 * kSeedBytes] = ' ';  // over the terminating NUL sodium_bin2hex wrote
  text.replace(kSecretTag.size() + 2 + 2 * kSeedBytes, name_.size(), name_);
  text.back() = '\n';
  return text;
}

std::string SigningKey::PublicFileText() const {
  return fmt::format("{} {} {}\n", kPublicTag, public_.Hex(), name_);
}

Result<SigningKey> SigningKey::FromSecretFileText(std::string_view text, const std::string& where) {
  std::string_view tag, hex, name;
  unsigned char seed[kSeedBytes];
  if (!SplitKeyLine(text, &tag, &hex, &name) || tag != kSecretTag || !ValidKeyName(name) ||
      !DecodeLowerHex(hex, seed, sizeof seed)) {
    sodium_memzero(seed, sizeof seed);
    return Status::Invalid(fmt::format(
        "{}: not a signing key (expected one line '{} SEED NAME': SEED {} lowercase hex digits)",
        where, kSecretTag, 2 * kSeedBytes));
  }
  EnsureSodium();
  SigningKey key;
  key.name_ = std::string(name);
  crypto_sign_seed_keypair(key.public_.bytes.data(), key.secret_.data(), seed);
  sodium_memzero(seed, sizeof seed);
  return key;
}

bool VerifySignature(const PublicKey& key, std::string_view message, std::string_view signature) {
  if (signature.size() != kSignatureBytes) return false;
  EnsureSodium();
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.bytes.data()) == 0;
}

std::string SigningKeyPathBeside(const std::string& store_path) {
  return std::filesystem::path(store_path).replace_extension(".sign").string();
}

std::string PublicKeyPathOf(const std::string& sign_path) {
  return std::filesystem::path(sign_path).replace_extension(".pub").string();
}

Result<SigningKey> ReadSigningKeyFile(const std::string& path) {
  GOVQM_ASSIGN_OR_RETURN(const SecretBytes text, ReadSecretFile(path, kSigningKeyFile));
  return SigningKey::FromSecretFileText(text.view(), path);
}

Result<OpenedSigningKey> OpenOrCreateSigningKey(const std::string& path) {
  bool created = false;
  Result<SigningKey> key = ReadSigningKeyFile(path);
  if (!key.ok() && key.status().code() == StatusCode::kNotFound) {
    const std::string name = std::filesystem::path(path).stem().string();
    Result<SigningKey> fresh = SigningKey::Generate(name);
    if (!fresh.ok()) {
      return Status::Invalid(fmt::format("{}: a new key is named after its file, and {}", path,
                                         fresh.status().message()));
    }
    std::string text = fresh->SecretFileText();
    const Status written = CreateSecretFile(path, text, "signing key");
    Wipe(&text);
    if (written.ok()) {
      key = std::move(fresh);
      created = true;
    } else if (written.code() == StatusCode::kAlreadyExists) {
      key = ReadSigningKeyFile(path);  // another process made it meanwhile: that one is the key
    } else {
      return written;
    }
  }
  if (!key.ok()) return key.status();
  OpenedSigningKey opened{std::move(key.value()), path, PublicKeyPathOf(path), created, false};
  const std::string public_text = opened.key.PublicFileText();
  Result<std::string> existing = platform::ReadFile(opened.public_path);
  if (!existing.ok() && existing.status().code() != StatusCode::kNotFound) {
    return existing.status();
  }
  if (!existing.ok() || *existing != public_text) {
    GOVQM_RETURN_IF_ERROR(platform::WriteFileAtomic(opened.public_path, public_text));
    opened.public_written = true;
  }
  return opened;
}

Result<TrustedKey> ParsePublicKeyFile(std::string_view text, const std::string& where) {
  std::string_view tag, hex, name;
  PublicKey key;
  if (!SplitKeyLine(text, &tag, &hex, &name) || tag != kPublicTag || !ValidKeyName(name) ||
      !DecodeLowerHex(hex, key.bytes.data(), key.bytes.size())) {
    return Status::Invalid(fmt::format(
        "{}: not a public key file (expected one line '{} KEY NAME': KEY {} lowercase hex "
        "digits, NAME without spaces)",
        where, kPublicTag, 2 * kPublicKeyBytes));
  }
  return TrustedKey{std::string(name), key, where};
}

Result<TrustedKeys> TrustedKeys::LoadDir(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::NotFound(fmt::format("{}: no such directory (the trusted .pub files)", dir));
  }
  std::vector<std::string> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".pub") files.push_back(it->path().string());
  }
  if (ec) return Status::Io(fmt::format("{}: cannot list: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  TrustedKeys trusted;
  trusted.dir_ = dir;
  for (const std::string& file : files) {
    GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(file));
    GOVQM_ASSIGN_OR_RETURN(TrustedKey key, ParsePublicKeyFile(text, file));
    for (const TrustedKey& other : trusted.keys_) {
      if (other.key == key.key && other.name != key.name) {
        return Status::Invalid(fmt::format("{}: names the key of {} '{}', which names it '{}'",
                                           file, other.file, key.name, other.name));
      }
      if (other.name == key.name && !(other.key == key.key)) {
        return Status::Invalid(fmt::format(
            "{}: the key name '{}' is also {}'s, for another key (a name must say who signed)",
            file, key.name, other.file));
      }
    }
    trusted.keys_.push_back(std::move(key));
  }
  if (trusted.keys_.empty()) {
    return Status::Invalid(fmt::format("{}: no .pub file: no key is trusted", dir));
  }
  return trusted;
}

const TrustedKey* TrustedKeys::Find(const PublicKey& key) const {
  for (const TrustedKey& k : keys_) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

}  // namespace govqm::security

#include "security/webhook_secret.h"

#include <fmt/format.h>
#include <sodium.h>

#include "security/secret_file.h"

namespace govqm::security {
namespace {

// One byte more than allowed (and a newline), to tell a file that is too long. A link is
// followed: deployments keep the secret where their secret store mounts it.
constexpr SecretFileKind kWebhookSecretFile{"webhook secret", kMaxWebhookSecretBytes + 2, true};

}  // namespace

Result<WebhookSecret> WebhookSecret::FromBytes(std::string_view bytes, const std::string& where) {
  if (bytes.ends_with('\n')) bytes.remove_suffix(1);
  if (bytes.ends_with('\r')) bytes.remove_suffix(1);  // "\r\n" is one newline too
  if (bytes.empty()) return Status::Invalid(fmt::format("{}: the webhook secret is empty", where));
  WebhookSecret secret;
  secret.bytes_.assign(bytes);
  return secret;
}

WebhookSecret::~WebhookSecret() { Wipe(&bytes_); }

Result<WebhookSecret> ReadWebhookSecret(const std::string& path) {
  GOVQM_ASSIGN_OR_RETURN(const SecretBytes secret, ReadSecretFile(path, kWebhookSecretFile));
  std::string_view text = secret.view();
  if (text.ends_with('\n')) text.remove_suffix(1);
  if (text.ends_with('\r')) text.remove_suffix(1);
  if (text.size() > kMaxWebhookSecretBytes) {
    return Status::Invalid(fmt::format("{}: the webhook secret is longer than {} bytes", path,
                                       kMaxWebhookSecretBytes));
  }
  return WebhookSecret::FromBytes(secret.view(), path);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  EnsureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);
  std::string hex(2 * sizeof mac + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac, sizeof mac);
  hex.pop_back();
  return hex;
}

std::string SignatureHeaderValue(const WebhookSecret& secret, std::string_view body) {
  return "sha256=" + HmacSha256Hex(secret.bytes(), body);
}

}  // namespace govqm::security

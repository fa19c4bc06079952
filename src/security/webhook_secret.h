// The webhook signature of `govqm alerts --deliver` (service.md §7): each POSTed body carries
// `X-Govqm-Signature: sha256=HEX`, HEX the lowercase hex HMAC-SHA256 of the body's exact bytes
// under a secret shared with the receiver, read from a file only its owner may read (as the
// contact key, security/contact_key.h).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm::security {

inline constexpr size_t kMaxWebhookSecretBytes = 4096;

// A webhook secret: the bytes of its file less one trailing newline ("\n" or "\r\n"). Its
// bytes are wiped when it is destroyed.
class WebhookSecret {
 public:
  // The secret in `bytes` (tests, and secrets from elsewhere). kInvalidInput when empty.
  static Result<WebhookSecret> FromBytes(std::string_view bytes, const std::string& where);

  WebhookSecret(const WebhookSecret&) = default;
  WebhookSecret& operator=(const WebhookSecret&) = default;
  WebhookSecret(WebhookSecret&&) = default;
  WebhookSecret& operator=(WebhookSecret&&) = default;
  ~WebhookSecret();

  std::string_view bytes() const { return bytes_; }

 private:
  WebhookSecret() = default;
  std::string bytes_;
};

// Reads the secret file `path` (a link is followed; the file it names is checked). kNotFound
// when there is none; kPermissionDenied when it is not a regular file or its group or others
// may read or write it ("PATH: mode 0644 lets others read the webhook secret; run chmod 600
// PATH"); kInvalidInput when it is empty or larger than kMaxWebhookSecretBytes.
Result<WebhookSecret> ReadWebhookSecret(const std::string& path);

// HMAC-SHA256 (RFC 2104) of `message` under `key` of any length, as 64 lowercase hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// The header's value for `body`: "sha256=" + HmacSha256Hex(secret, body).
std::string SignatureHeaderValue(const WebhookSecret& secret, std::string_view body);

inline constexpr std::string_view kSignatureHeader = "X-Govqm-Signature";

}  // namespace govqm::security

#include "security/webhook_secret.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace govqm::security {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

void Wipe(std::string* s) {
  if (!s->empty()) sodium_memzero(s->data(), s->size());
  s->clear();
}

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
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(fmt::format("{}: no webhook secret file", path));
    if (e == EACCES) return Status::PermissionDenied(fmt::format("{}: {}", path, std::strerror(e)));
    return Status::Io(fmt::format("{}: cannot read: {}", path, std::strerror(e)));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return Status::Io(fmt::format("{}: cannot read: {}", path, std::strerror(e)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::PermissionDenied(
        fmt::format("{}: the webhook secret is not a regular file", path));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Status::PermissionDenied(
        fmt::format("{}: mode {:04o} lets others read the webhook secret; run chmod 600 {}", path,
                    st.st_mode & 07777, path));
  }
  // One byte more than allowed, to tell a file that is too long.
  std::string buf(kMaxWebhookSecretBytes + 2, '\0');
  size_t got = 0;
  while (got < buf.size()) {
    const ssize_t r = ::read(fd, buf.data() + got, buf.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      const int e = errno;
      ::close(fd);
      Wipe(&buf);
      return Status::Io(fmt::format("{}: cannot read: {}", path, std::strerror(e)));
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  std::string_view text(buf.data(), got);
  if (text.ends_with('\n')) text.remove_suffix(1);
  if (text.ends_with('\r')) text.remove_suffix(1);
  if (text.size() > kMaxWebhookSecretBytes) {
    Wipe(&buf);
    return Status::Invalid(fmt::format("{}: the webhook secret is longer than {} bytes", path,
                                       kMaxWebhookSecretBytes));
  }
  Result<WebhookSecret> secret = WebhookSecret::FromBytes(std::string_view(buf.data(), got), path);
  Wipe(&buf);
  return secret;
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

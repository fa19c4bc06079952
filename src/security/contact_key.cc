#include "security/contact_key.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace govqm::security {
namespace {

static_assert(kContactKeyBytes == crypto_secretbox_KEYBYTES);

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no randomness: nothing can be sealed safely
}

Status CannotWrite(const std::string& path, int e) {
  return Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(e)));
}

// Flushes the directory entry of a new file, so a crash after we said "created" keeps it.
void SyncParent(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::filesystem::path dir = parent.empty() ? std::filesystem::path(".") : parent;
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

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
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::AlreadyExists(
          fmt::format("{}: a key file is already there (a key is never overwritten)", path));
    }
    return CannotWrite(path, errno);
  }
  auto abandon = [&](int e) {
    ::close(fd);
    ::unlink(path.c_str());
    return CannotWrite(path, e);
  };
  // Exactly 0600 whatever the umask left, before the key is in it.
  if (::fchmod(fd, 0600) != 0) return abandon(errno);
  std::string text = key.Hex() + "\n";
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      sodium_memzero(text.data(), text.size());
      return abandon(w < 0 ? errno : ENOSPC);
    }
    done += static_cast<size_t>(w);
  }
  sodium_memzero(text.data(), text.size());
  if (::fsync(fd) != 0) return abandon(errno);
  if (::close(fd) != 0) {
    ::unlink(path.c_str());
    return CannotWrite(path, errno);
  }
  SyncParent(path);
  return Status::Ok();
}

Result<ContactKey> CreateKeyFile(const std::string& path) {
  ContactKey key = ContactKey::Generate();
  GOVQM_RETURN_IF_ERROR(WriteKeyFile(path, key));
  return key;
}

Result<ContactKey> ReadKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(fmt::format("{}: no contact key file", path));
    if (e == ELOOP) {
      return Status::PermissionDenied(
          fmt::format("{}: the contact key file is a symbolic link (not accepted)", path));
    }
    if (e == EACCES) {
      return Status::PermissionDenied(fmt::format("{}: {}", path, std::strerror(e)));
    }
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
    return Status::PermissionDenied(fmt::format("{}: the contact key is not a regular file", path));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Status::PermissionDenied(
        fmt::format("{}: mode {:04o} lets others read the contact key; run chmod 600 {}", path,
                    st.st_mode & 07777, path));
  }
  char buf[2 * kContactKeyBytes + 16];
  size_t got = 0;
  while (got < sizeof buf) {
    const ssize_t r = ::read(fd, buf + got, sizeof buf - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      const int e = errno;
      ::close(fd);
      sodium_memzero(buf, sizeof buf);
      return Status::Io(fmt::format("{}: cannot read: {}", path, std::strerror(e)));
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  Result<ContactKey> key = ContactKey::FromHex(std::string_view(buf, got), path);
  sodium_memzero(buf, sizeof buf);
  return key;
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

#include "security/secret_file.h"

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

Status CannotWrite(const std::string& path, int e) {
  return Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(e)));
}

Status CannotRead(const std::string& path, int e) {
  return Status::Io(fmt::format("{}: cannot read: {}", path, std::strerror(e)));
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

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

void Wipe(std::string* s) {
  if (!s->empty()) sodium_memzero(s->data(), s->size());
  s->clear();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  Wipe(&other.bytes_);
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe(&bytes_);
    bytes_ = std::move(other.bytes_);
    Wipe(&other.bytes_);
  }
  return *this;
}

SecretBytes::~SecretBytes() { Wipe(&bytes_); }

Result<SecretBytes> ReadSecretFile(const std::string& path, const SecretFileKind& kind) {
  const int fd = ::open(path.c_str(),
                        O_RDONLY | O_CLOEXEC | O_NONBLOCK | (kind.follow_links ? 0 : O_NOFOLLOW));
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(fmt::format("{}: no {} file", path, kind.what));
    if (e == ELOOP && !kind.follow_links) {
      return Status::PermissionDenied(
          fmt::format("{}: the {} file is a symbolic link (not accepted)", path, kind.what));
    }
    if (e == EACCES) return Status::PermissionDenied(fmt::format("{}: {}", path, std::strerror(e)));
    return CannotRead(path, e);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return CannotRead(path, e);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::PermissionDenied(
        fmt::format("{}: the {} is not a regular file", path, kind.what));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Status::PermissionDenied(
        fmt::format("{}: mode {:04o} lets others read the {}; run chmod 600 {}", path,
                    st.st_mode & 07777, kind.what, path));
  }
  // Sized once: a growing std::string would leave copies of the secret in freed memory.
  std::string buf(kind.limit, '\0');
  size_t got = 0;
  while (got < buf.size()) {
    const ssize_t r = ::read(fd, buf.data() + got, buf.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      const int e = errno;
      ::close(fd);
      Wipe(&buf);
      return CannotRead(path, e);
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  sodium_memzero(buf.data() + got, buf.size() - got);
  buf.resize(got);  // shrinking keeps the buffer: nothing is copied
  return SecretBytes(std::move(buf));
}

Status CreateSecretFile(const std::string& path, std::string_view text, std::string_view what) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::AlreadyExists(fmt::format(
          "{}: a {} file is already there (a {} is never overwritten)", path, what, what));
    }
    return CannotWrite(path, errno);
  }
  auto abandon = [&](int e) {
    ::close(fd);
    ::unlink(path.c_str());
    return CannotWrite(path, e);
  };
  // Exactly 0600 whatever the umask left, before the secret is in it.
  if (::fchmod(fd, 0600) != 0) return abandon(errno);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return abandon(w < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) return abandon(errno);
  if (::close(fd) != 0) {
    ::unlink(path.c_str());
    return CannotWrite(path, errno);
  }
  SyncParent(path);
  return Status::Ok();
}

}  // namespace govqm::security

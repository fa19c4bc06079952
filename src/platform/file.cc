#include "platform/file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <cstdio>
#include <cstring>

namespace govqm::platform {
namespace {

// The Status of a failed open(2) or read of `path`, from errno.
Status OpenError(const std::string& path, int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Status::NotFound(fmt::format("{}: no such file", path));
    case EACCES:
    case EPERM:
      return Status::PermissionDenied(fmt::format("{}: permission denied", path));
    case EISDIR:
      return Status::Invalid(fmt::format("{}: is a directory", path));
    default:
      return Status::Io(fmt::format("{}: {}", path, std::strerror(err)));
  }
}

Status NotRegular(const std::string& path, mode_t mode) {
  const char* what = S_ISDIR(mode)                    ? "is a directory"
                     : S_ISFIFO(mode)                 ? "is a FIFO, not a regular file"
                     : S_ISSOCK(mode)                 ? "is a socket, not a regular file"
                     : S_ISCHR(mode) || S_ISBLK(mode) ? "is a device, not a regular file"
                                                      : "not a regular file";
  return Status::Invalid(fmt::format("{}: {}", path, what));
}

// Opens a regular file for reading; *size receives its size. O_NONBLOCK so that opening a
// FIFO returns at once (it is then refused as not regular); it changes nothing for a file.
Result<int> OpenRegular(const std::string& path, size_t* size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return OpenError(path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return OpenError(path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return NotRegular(path, st.st_mode);
  }
  *size = static_cast<size_t>(st.st_size);
  return fd;
}

}  // namespace

Result<std::string> ReadFile(const std::string& path) {
  size_t size = 0;
  GOVQM_ASSIGN_OR_RETURN(const int fd, OpenRegular(path, &size));
  std::string data(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, data.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return OpenError(path, err);
    }
    if (n == 0) break;  // shrank while reading: keep what is there
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  data.resize(done);
  return data;
}

Result<MappedFile> MappedFile::Open(const std::string& path) {
  size_t size = 0;
  GOVQM_ASSIGN_OR_RETURN(const int fd, OpenRegular(path, &size));
  void* data = nullptr;
  if (size > 0) {
    data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (data == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      return OpenError(path, err);
    }
  }
  ::close(fd);
  return MappedFile(data, size);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

Result<FileReader> FileReader::Open(const std::string& path) {
  size_t size = 0;
  GOVQM_ASSIGN_OR_RETURN(const int fd, OpenRegular(path, &size));
  // The file is read once, in order: tell the kernel, so it reads ahead generously.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return FileReader(fd, size, path);
}

FileReader& FileReader::operator=(FileReader&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    size_ = o.size_;
    path_ = std::move(o.path_);
    o.fd_ = -1;
  }
  return *this;
}

FileReader::~FileReader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<size_t> FileReader::Read(char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::read(fd_, out + done, n - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::Io(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

Status WriteFileAtomic(const std::string& path, std::string_view data, WriteFn write,
                       mode_t mode) {
  if (write == nullptr) write = ::write;
  auto fail = [&](int e) {
    return Status::Io(fmt::format("{}: cannot write: {}", path, std::strerror(e)));
  };
  // A name no one else uses: O_EXCL never opens an existing file or follows a link there.
  std::random_device rd;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = fmt::format("{}.{:08x}.tmp", path, rd());
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0 && errno != EEXIST) return fail(errno);
  }
  if (fd < 0) return fail(EEXIST);
  auto abandon = [&](int e) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    return fail(e);
  };
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t w = write(fd, data.data() + done, data.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return abandon(errno);
    }
    if (w == 0) return abandon(ENOSPC);  // no progress: treat as a full device
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) return abandon(errno);
  const int fd_to_close = fd;
  fd = -1;
  if (::close(fd_to_close) != 0) return abandon(errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return abandon(errno);
  return Status::Ok();
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace govqm::platform

// File access for the edges and the application layer: whole files read or mapped, files
// written atomically. Every failure is one Status whose message is "PATH: reason" (a missing
// file, a directory, a FIFO or device, no permission), so a command prints
// "govqm CMD: PATH: reason" and exits 1. Nothing here throws or aborts.
#pragma once

#include <cstddef>
#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace govqm::platform {

// Reads a whole regular file. kNotFound when it does not exist, kPermissionDenied when it may
// not be read, kInvalidInput when it is not a regular file (a directory, a FIFO, a device),
// kIo for a read error. Never blocks on a FIFO.
Result<std::string> ReadFile(const std::string& path);

// A whole regular file mapped read-only into memory (no copy); an empty file maps to an empty
// view. Errors as ReadFile's. Movable, not copyable; unmaps when destroyed.
class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);
  MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_) {
    o.data_ = nullptr;
    o.size_ = 0;
  }
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void* data_;
  size_t size_;
};

// A regular file read front to back a block at a time (the streaming import): memory is the
// caller's buffer, whatever the file's size. Errors as ReadFile's. Movable; closes when
// destroyed.
class FileReader {
 public:
  static Result<FileReader> Open(const std::string& path);
  FileReader(FileReader&& o) noexcept : fd_(o.fd_), size_(o.size_), path_(std::move(o.path_)) {
    o.fd_ = -1;
  }
  FileReader& operator=(FileReader&& o) noexcept;
  FileReader(const FileReader&) = delete;
  ~FileReader();
  // Reads up to `n` bytes into `out` (fewer only at the end of the file); 0 = the end.
  Result<size_t> Read(char* out, size_t n);
  size_t size() const { return size_; }  // when opened

 private:
  FileReader(int fd, size_t size, std::string path) : fd_(fd), size_(size), path_(std::move(path)) {}
  int fd_;
  size_t size_;
  std::string path_;
};

// The system call WriteFileAtomic writes through: nullptr = ::write; tests pass a failing one.
using WriteFn = ssize_t (*)(int fd, const void* data, size_t size);

// Writes `data` to a new temporary file beside `path` (created exclusively, never following a
// link), flushes it to disk and renames it over `path`: readers see the old file or the whole
// new one. Any failure (a full disk, a folder that cannot be written, `path` a directory)
// returns kIo ("PATH: cannot write: reason") and removes the temporary. The file is created
// with `mode` less the umask (0600 for files holding personal data: never readable by others,
// not even while being written).
Status WriteFileAtomic(const std::string& path, std::string_view data, WriteFn write = nullptr,
                       mode_t mode = 0644);

// True when `path` names an existing regular file (for the optional lookups of defaults).
bool IsRegularFile(const std::string& path);

}  // namespace govqm::platform

// Shared plumbing of the subcommands (not a public interface).
#pragma once

#include <memory>
#include <string>

#include "cli/args.h"
#include "core/status.h"
#include "core/time_zone.h"
#include "store/store.h"

namespace govqm::cli {

inline constexpr const char* kDefaultDb = "govqm.db";
inline constexpr const char* kDefaultZone = "Asia/Shanghai";

// Each subcommand: parses its own options from argv[2..], returns a Status; Main maps the
// status to the exit code and prints its one-line message.
Status RunInit(int argc, char** argv);
Status RunImport(int argc, char** argv);
Status RunIndicators(int argc, char** argv);
Status RunGenerate(int argc, char** argv);
Status RunScore(int argc, char** argv);
Status RunExplain(int argc, char** argv);
Status RunWeights(int argc, char** argv);
Status RunDisparity(int argc, char** argv);

// Reads a whole file; Status::Invalid naming the file on failure.
Result<std::string> ReadFile(const std::string& path);
// A whole file mapped read-only into memory (no copy); empty files map to an empty view.
class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);
  MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; o.size_ = 0; }
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void* data_;
  size_t size_;
};
// Writes a file via a temporary and rename, so a crash never leaves half a file.
Status WriteFileAtomic(const std::string& path, const std::string& data);
// Opens the store named by --db (default ./govqm.db).
Result<std::unique_ptr<Store>> OpenStore(const Args& args);
// The zone for this run: --tz, else `fallback`.
Result<std::unique_ptr<TimeZone>> ResolveZone(const Args& args, const std::string& fallback);

}  // namespace govqm::cli

#include "ingest/rejects.h"

#include "platform/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>

#include <fmt/format.h>

namespace govqm {
namespace {

namespace fs = std::filesystem;

// The same file, as far as names tell: absolute and lexically normal ("./a" == "a").
std::string Key(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  return abs.lexically_normal().string();
}

fs::path Folder(const std::string& input, const std::string& dir) {
  return dir.empty() ? fs::path(input).parent_path() : fs::path(dir);
}

// The rejects name of `input` at a disambiguation level: 0 NAME, 1 NAME.EXT, 2 NAME.EXT.K.
std::string RejectsName(const std::string& input, int level, size_t position) {
  const fs::path p(input);
  switch (level) {
    case 0: return p.stem().string() + ".rejects.csv";
    case 1: return p.filename().string() + ".rejects.csv";
    default: return fmt::format("{}.{}.rejects.csv", p.filename().string(), position + 1);
  }
}

std::vector<std::string> Plan(const std::vector<std::string>& inputs, const std::string& dir) {
  const size_t n = inputs.size();
  std::vector<int> level(n, 0);
  std::vector<std::string> out(n);
  std::map<std::string, int> input_keys;
  for (const std::string& in : inputs) input_keys[Key(in)] = 1;
  // Raise the level of every input whose name collides (with another's or with an input)
  // until none does. Level-2 names differ from each other by construction, so this ends.
  for (int round = 0; round < 3; ++round) {
    std::map<std::string, std::vector<size_t>> by_key;
    for (size_t i = 0; i < n; ++i) {
      out[i] = (Folder(inputs[i], dir) / RejectsName(inputs[i], level[i], i)).string();
      by_key[Key(out[i])].push_back(i);
    }
    bool changed = false;
    for (const auto& [key, users] : by_key) {
      if (users.size() < 2 && !input_keys.count(key)) continue;
      for (size_t i : users) {
        if (level[i] < 2) {
          ++level[i];
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return out;
}

}  // namespace

std::vector<RejectsTarget> PlanRejectsFiles(const std::vector<std::string>& inputs,
                                            const std::string& dir) {
  std::vector<RejectsTarget> targets(inputs.size());
  const std::vector<std::string> primary = Plan(inputs, dir);
  // The working directory, for inputs in folders that cannot be written (e.g. read-only
  // shared data); planned on its own, since inputs from several folders meet there.
  std::vector<std::string> here;
  if (dir.empty()) here = Plan(inputs, ".");
  for (size_t i = 0; i < inputs.size(); ++i) {
    targets[i].path = primary[i];
    if (dir.empty() && Key(here[i]) != Key(primary[i])) targets[i].fallback = here[i];
  }
  return targets;
}

Result<std::string> WriteRejects(const ParsedFile& parsed, const RejectsTarget& target,
                                 platform::WriteFn write) {
  return WriteRejects(parsed.rejects_header, parsed.rejections, target, write);
}

Result<std::string> WriteRejects(const std::vector<std::string>& header,
                                 const std::vector<Rejection>& rejections,
                                 const RejectsTarget& target, platform::WriteFn write) {
  const std::string text = RenderRejects(header, rejections);
  // 0600: a rejected record keeps its contact (to be fixed and imported again), as the input
  // does; only the owner may read it.
  constexpr mode_t kMode = 0600;
  Status st = platform::WriteFileAtomic(target.path, text, write, kMode);
  if (st.ok()) return target.path;
  if (target.fallback.empty()) return st;
  GOVQM_RETURN_IF_ERROR(platform::WriteFileAtomic(target.fallback, text, write, kMode));
  return target.fallback;
}

namespace {

bool PutU64(std::FILE* f, uint64_t v) { return std::fwrite(&v, 8, 1, f) == 1; }
bool PutString(std::FILE* f, std::string_view s) {
  return PutU64(f, s.size()) && (s.empty() || std::fwrite(s.data(), 1, s.size(), f) == s.size());
}
bool GetU64(std::FILE* f, uint64_t* v) { return std::fread(v, 8, 1, f) == 1; }
bool GetString(std::FILE* f, std::string* s) {
  uint64_t n = 0;
  if (!GetU64(f, &n) || n > (uint64_t{1} << 40)) return false;
  s->resize(n);
  return n == 0 || std::fread(s->data(), 1, n, f) == n;
}

size_t Bytes(const Rejection& r) {
  size_t n = sizeof(Rejection) + r.column.size() + r.reason.size() + r.more.size();
  for (const std::string& f : r.fields) n += sizeof(std::string) + f.size();
  return n;
}

}  // namespace

RejectsSpool::~RejectsSpool() {
  if (file_ != nullptr) std::fclose(file_);
}

RejectsSpool::RejectsSpool(RejectsSpool&& o) noexcept
    : budget_(o.budget_), held_bytes_(o.held_bytes_), count_(o.count_), widest_(o.widest_),
      any_more_(o.any_more_), held_(std::move(o.held_)), file_(o.file_) {
  o.file_ = nullptr;
}

Status RejectsSpool::Spill(const Rejection& r) {
  bool ok = PutU64(file_, static_cast<uint64_t>(r.line)) && PutU64(file_, static_cast<uint64_t>(r.record)) &&
            PutString(file_, r.column) && PutString(file_, r.reason) && PutString(file_, r.more) &&
            PutU64(file_, r.fields.size());
  for (size_t i = 0; ok && i < r.fields.size(); ++i) ok = PutString(file_, r.fields[i]);
  if (!ok) return Status::Io(fmt::format("the rejects' temporary file: {}", std::strerror(errno)));
  return Status::Ok();
}

Status RejectsSpool::Add(Rejection r) {
  ++count_;
  widest_ = std::max(widest_, r.fields.size());
  any_more_ = any_more_ || !r.more.empty();
  if (file_ == nullptr) {
    held_bytes_ += Bytes(r);
    held_.push_back(std::move(r));
    if (held_bytes_ <= budget_) return Status::Ok();
    // Past the budget: everything goes to the temporary file from now on.
    file_ = std::tmpfile();
    if (file_ == nullptr) {
      return Status::Io(fmt::format("cannot make a temporary file for the rejects: {}", std::strerror(errno)));
    }
    for (const Rejection& h : held_) GOVQM_RETURN_IF_ERROR(Spill(h));
    held_.clear();
    held_.shrink_to_fit();
    held_bytes_ = 0;
    return Status::Ok();
  }
  return Spill(r);
}

Status RejectsSpool::ForEach(const std::function<Status(const Rejection&)>& fn) {
  if (file_ == nullptr) {
    for (const Rejection& r : held_) GOVQM_RETURN_IF_ERROR(fn(r));
    return Status::Ok();
  }
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
    return Status::Io(fmt::format("the rejects' temporary file: {}", std::strerror(errno)));
  }
  Rejection r;
  for (int64_t i = 0; i < count_; ++i) {
    uint64_t line = 0, record = 0, n = 0;
    bool ok = GetU64(file_, &line) && GetU64(file_, &record) && GetString(file_, &r.column) &&
              GetString(file_, &r.reason) && GetString(file_, &r.more) && GetU64(file_, &n) &&
              n < (uint64_t{1} << 32);
    if (ok) r.fields.resize(n);
    for (uint64_t k = 0; ok && k < n; ++k) ok = GetString(file_, &r.fields[k]);
    if (!ok) return Status::Io("the rejects' temporary file could not be read back");
    r.line = static_cast<int64_t>(line);
    r.record = static_cast<int64_t>(record);
    GOVQM_RETURN_IF_ERROR(fn(r));
  }
  return Status::Ok();
}

Result<std::string> RejectsSpool::Write(const std::vector<std::string>& header,
                                        const RejectsTarget& target, platform::WriteFn write) {
  const RejectsRenderer renderer(header, std::max(widest_, header.size()), any_more_);
  const auto produce = [&](const platform::EmitFn& emit) -> Status {
    std::string buffer;
    renderer.Header(&buffer);
    GOVQM_RETURN_IF_ERROR(ForEach([&](const Rejection& r) -> Status {
      renderer.Row(r, &buffer);
      if (buffer.size() < (1u << 20)) return Status::Ok();
      Status st = emit(buffer);
      buffer.clear();
      return st;
    }));
    return emit(buffer);
  };
  constexpr mode_t kMode = 0600;  // as WriteRejects: a rejected record keeps its contact
  Status st = platform::WriteFileAtomicFrom(target.path, produce, write, kMode);
  if (st.ok()) return target.path;
  if (target.fallback.empty()) return st;
  GOVQM_RETURN_IF_ERROR(platform::WriteFileAtomicFrom(target.fallback, produce, write, kMode));
  return target.fallback;
}

void RemoveStaleRejects(const RejectsTarget& target) {
  std::error_code ec;
  fs::remove(target.path, ec);
}

}  // namespace govqm

#include "ingest/rejects.h"

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

std::string ErrnoText(int e) { return std::strerror(e); }

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

Status WriteFileAtomic(const std::string& path, std::string_view data, WriteFn write) {
  if (write == nullptr) write = ::write;
  auto fail = [&](int e) {
    return Status::Io(fmt::format("cannot write {}: {}", path, ErrnoText(e)));
  };
  // A name no one else uses: O_EXCL never opens an existing file or follows a link there.
  std::random_device rd;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = fmt::format("{}.{:08x}.tmp", path, rd());
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
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

Result<std::string> WriteRejects(const ParsedFile& parsed, const RejectsTarget& target,
                                 WriteFn write) {
  const std::string text = RenderRejects(parsed);
  Status st = WriteFileAtomic(target.path, text, write);
  if (st.ok()) return target.path;
  if (target.fallback.empty()) return st;
  GOVQM_RETURN_IF_ERROR(WriteFileAtomic(target.fallback, text, write));
  return target.fallback;
}

void RemoveStaleRejects(const RejectsTarget& target) {
  std::error_code ec;
  fs::remove(target.path, ec);
}

}  // namespace govqm

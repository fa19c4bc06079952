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

void RemoveStaleRejects(const RejectsTarget& target) {
  std::error_code ec;
  fs::remove(target.path, ec);
}

}  // namespace govqm

#include "cli/config.h"

#include <fmt/format.h>

#include <toml++/toml.h>

namespace govqm::cli {

bool IsKnownConfigTable(const std::string& name) {
  return name == "serve" || name == "closed_loop";
}

Result<std::string> FrameworkOfConfig(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::Invalid(fmt::format("{}:{}: {}", path, e.source().begin.line,
                                       std::string(e.description())));
  }
  const toml::node* node = doc["serve"]["framework"].node();
  if (node == nullptr) return std::string();
  if (!node->is_string()) {
    return Status::Invalid(fmt::format("{}:{}: serve.framework must be a string", path,
                                       node->source().begin.line));
  }
  return *node->value<std::string>();
}

Result<ClosedLoopDeadlines> ClosedLoopOfConfig(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::Invalid(fmt::format("{}:{}: {}", path, e.source().begin.line,
                                       std::string(e.description())));
  }
  for (const auto& [key, value] : doc) {
    const std::string name(key.str());
    if (!IsKnownConfigTable(name) || !value.is_table()) {
      return Status::Invalid(fmt::format("{}:{}: unknown table [{}] (known: serve, closed_loop)",
                                         path, value.source().begin.line, name));
    }
  }
  ClosedLoopDeadlines d;
  const toml::table* loop = doc["closed_loop"].as_table();
  if (loop == nullptr) return d;
  for (const auto& [key, value] : *loop) {
    const std::string k(key.str());
    const int line = static_cast<int>(value.source().begin.line);
    int* into = k == "verify_days"    ? &d.verify_days
                : k == "rectify_days" ? &d.rectify_days
                : k == "revisit_days" ? &d.revisit_days
                                      : nullptr;
    if (into == nullptr) {
      return Status::Invalid(fmt::format(
          "{}:{}: unknown key closed_loop.{} (known: verify_days, rectify_days, revisit_days)",
          path, line, k));
    }
    const std::optional<int64_t> v = value.value<int64_t>();
    if (!value.is_integer() || !v.has_value() || *v < 1 || *v > 250) {
      return Status::Invalid(fmt::format(
          "{}:{}: closed_loop.{} must be a whole number of working days from 1 to 250", path,
          line, k));
    }
    *into = static_cast<int>(*v);
  }
  return d;
}

}  // namespace govqm::cli

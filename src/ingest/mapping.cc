#include "ingest/mapping.h"

#include <cstdint>
#include <exception>
#include <limits>

#include <toml++/toml.h>

#include "core/one_line.h"
#include "ingest/time_parse.h"
#include "platform/tz.h"

namespace govqm {
namespace {

// Keeps the problem on the earliest line: toml++ iterates tables in key order, not file order.
class Problems {
 public:
  explicit Problems(std::string_view file_name) : file_name_(file_name) {}
  void Add(const toml::source_region& where, std::string message) {
    const int64_t line = where.begin.line;
    if (line < line_) {
      line_ = line;
      message_ = std::move(message);
    }
  }
  bool any() const { return line_ != std::numeric_limits<int64_t>::max(); }
  Status ToStatus() const {
    return Status::Invalid(OneLine(file_name_ + ":" + std::to_string(line_) + ": " + message_));
  }

 private:
  std::string file_name_;
  int64_t line_ = std::numeric_limits<int64_t>::max();
  std::string message_;
};

// The column `name` of `kind`, or -1 with a problem reported.
int KnownColumn(const KindDef& kind, const toml::key& name, Problems* problems) {
  const int col = FindColumn(kind, name.str());
  if (col < 0) {
    problems->Add(name.source(), std::string(kind.name) + " has no column '" +
                                     std::string(name.str()) + "'");
  }
  return col;
}

// The string value of `node`, or nullptr with a problem reported ("columns.id must be a string").
const std::string* StringValue(const toml::node& node, const std::string& path,
                               const toml::key& key, Problems* problems) {
  if (const toml::value<std::string>* v = node.as_string()) return &v->get();
  problems->Add(key.source(), path + " must be a string");
  return nullptr;
}

const toml::table* TableValue(const toml::node& node, const std::string& path,
                              const toml::key& key, Problems* problems) {
  if (const toml::table* t = node.as_table()) return t;
  problems->Add(key.source(), path + " must be a table");
  return nullptr;
}

void ReadColumns(const toml::table& section, const KindDef& kind, ColumnMapping* out,
                 Problems* problems) {
  for (const auto& [key, node] : section) {
    const std::string name(key.str());
    if (KnownColumn(kind, key, problems) < 0) continue;
    const std::string* source = StringValue(node, "columns." + name, key, problems);
    if (source == nullptr) continue;
    if (source->empty()) {
      problems->Add(key.source(), "columns." + name + " is empty");
      continue;
    }
    out->columns[name] = *source;
  }
}

void ReadValues(const toml::table& section, const KindDef& kind, ColumnMapping* out,
                Problems* problems) {
  for (const auto& [key, node] : section) {
    const std::string name(key.str());
    if (KnownColumn(kind, key, problems) < 0) continue;
    const toml::table* table = TableValue(node, "values." + name, key, problems);
    if (table == nullptr) continue;
    auto& map = out->values[name];
    for (const auto& [from, to_node] : *table) {
      const std::string from_text(from.str());
      const std::string* to =
          StringValue(to_node, "values." + name + "." + from_text, from, problems);
      if (to != nullptr) map[from_text] = *to;
    }
  }
}

void ReadFormats(const toml::table& section, const KindDef& kind, ColumnMapping* out,
                 Problems* problems) {
  for (const auto& [key, node] : section) {
    const std::string name(key.str());
    const int col = KnownColumn(kind, key, problems);
    if (col < 0) continue;
    const std::string* format = StringValue(node, "formats." + name, key, problems);
    if (format == nullptr) continue;
    if (kind.columns[col].type != ColumnType::kTime) {
      problems->Add(key.source(), "formats." + name + ": " + name + " is not a time column");
      continue;
    }
    std::string why;
    if (!CheckTimeFormat(*format, &why)) {
      problems->Add(key.source(), "formats." + name + ": " + why);
      continue;
    }
    out->formats[name] = *format;
  }
}

void ReadConstants(const toml::table& section, const KindDef& kind, ColumnMapping* out,
                   Problems* problems) {
  for (const auto& [key, node] : section) {
    const std::string name(key.str());
    if (KnownColumn(kind, key, problems) < 0) continue;
    const std::string* value = StringValue(node, "constants." + name, key, problems);
    if (value != nullptr) out->constants[name] = *value;
  }
}

}  // namespace

Result<ColumnMapping> ParseMapping(std::string_view toml_text, std::string_view file_name,
                                   const KindDef& kind) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& e) {
    const toml::source_position& at = e.source().begin;
    std::string message(e.description());
    for (char& c : message) {
      if (c == '\n' || c == '\r') c = ' ';  // keep the error on one line
    }
    return Status::Invalid(OneLine(std::string(file_name) + ":" + std::to_string(at.line) + ":" +
                                   std::to_string(at.column) + ": " + message));
  } catch (const std::exception& e) {
    return Status::Invalid(OneLine(std::string(file_name) + ": " + e.what()));
  }

  ColumnMapping out;
  Problems problems(file_name);
  const toml::table* constants = nullptr;
  for (const auto& [key, node] : root) {
    const std::string_view name = key.str();
    if (name == "timezone") {
      const std::string* zone = StringValue(node, "timezone", key, &problems);
      if (zone == nullptr || zone->empty()) continue;
      if (!TzZone::Make(*zone).ok()) {
        problems.Add(key.source(), "unknown time zone '" + *zone + "'");
        continue;
      }
      out.timezone = *zone;
      continue;
    }
    const bool known = name == "columns" || name == "values" || name == "formats" ||
                       name == "constants";
    if (!known) {
      problems.Add(key.source(), node.is_table()
                                     ? "unknown section [" + std::string(name) + "]"
                                     : "unknown top-level key '" + std::string(name) + "'");
      continue;
    }
    const toml::table* section = TableValue(node, std::string(name), key, &problems);
    if (section == nullptr) continue;
    if (name == "columns") {
      ReadColumns(*section, kind, &out, &problems);
    } else if (name == "values") {
      ReadValues(*section, kind, &out, &problems);
    } else if (name == "formats") {
      ReadFormats(*section, kind, &out, &problems);
    } else {
      ReadConstants(*section, kind, &out, &problems);
      constants = section;
    }
  }
  if (constants != nullptr) {
    for (const auto& [key, node] : *constants) {
      const std::string name(key.str());
      if (out.columns.count(name) != 0 && out.constants.count(name) != 0) {
        problems.Add(key.source(), name + " is both in [columns] and [constants]");
      }
    }
  }
  if (problems.any()) return problems.ToStatus();
  return out;
}

}  // namespace govqm

#include "ingest/mapping.h"

#include <algorithm>
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

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

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

// One source column name: a non-empty string.
const std::string* SourceName(const toml::node& node, const std::string& path,
                              const toml::source_region& where, Problems* problems) {
  const toml::value<std::string>* v = node.as_string();
  if (v == nullptr) {
    problems->Add(where, path + " must be a string");
    return nullptr;
  }
  if (v->get().empty()) {
    problems->Add(where, path + " is empty");
    return nullptr;
  }
  return &v->get();
}

// A list of source names (fallbacks or a join's parts): at least one, none repeated.
bool SourceNames(const toml::node& node, const std::string& path, const toml::source_region& where,
                 Problems* problems, std::vector<std::string>* out) {
  const toml::array* list = node.as_array();
  if (list == nullptr) {
    problems->Add(where, path + " must be an array of source column names");
    return false;
  }
  if (list->empty()) {
    problems->Add(where, path + " is empty");
    return false;
  }
  for (size_t k = 0; k < list->size(); ++k) {
    const std::string* name =
        SourceName(*list->get(k), path + "[" + std::to_string(k) + "]", where, problems);
    if (name == nullptr) return false;
    if (std::find(out->begin(), out->end(), *name) != out->end()) {
      problems->Add(where, path + " names '" + *name + "' twice");
      return false;
    }
    out->push_back(*name);
  }
  return true;
}

void ReadColumns(const toml::table& section, const KindDef& kind, ColumnMapping* out,
                 Problems* problems) {
  for (const auto& [key, node] : section) {
    const std::string name(key.str());
    const int col = KnownColumn(kind, key, problems);
    if (col < 0) continue;
    const std::string path = "columns." + name;
    ColumnSource source;
    if (node.is_string()) {
      const std::string* one = SourceName(node, path, key.source(), problems);
      if (one == nullptr) continue;
      source.names.push_back(*one);
    } else if (node.is_array()) {  // fallbacks
      if (!SourceNames(node, path, key.source(), problems, &source.names)) continue;
    } else if (const toml::table* join = node.as_table()) {
      bool ok = true, has_join = false;
      for (const auto& [jk, jn] : *join) {
        if (jk.str() == "join") {
          has_join = true;
          ok = SourceNames(jn, path + ".join", jk.source(), problems, &source.names) && ok;
        } else if (jk.str() == "separator") {
          if (const toml::value<std::string>* sep = jn.as_string()) {
            source.separator = sep->get();
          } else {
            problems->Add(jk.source(), path + ".separator must be a string");
            ok = false;
          }
        } else {
          problems->Add(jk.source(), path + ": unknown key '" + std::string(jk.str()) +
                                         "' (a table takes join and separator)");
          ok = false;
        }
      }
      if (!has_join) {
        problems->Add(key.source(), path + " must have join = [source columns]");
        continue;
      }
      if (!ok) continue;
      const ColumnDef& cd = kind.columns[col];
      if ((cd.type != ColumnType::kCode && cd.type != ColumnType::kText) ||
          cd.personal == PersonalData::kContact) {
        problems->Add(key.source(), path + ": only a code or text column can be joined from "
                                           "several columns");
        continue;
      }
      source.join = true;
    } else {
      problems->Add(key.source(), path + " must be a string, an array of strings (fallbacks) "
                                         "or { join = [...] }");
      continue;
    }
    out->columns[name] = std::move(source);
  }
}

// The canonical column a [values.X] key names: X itself, or the source column [columns] maps
// (alone or as a fallback; not a join's part, whose values are joined first) to one column.
int ValuesColumn(const KindDef& kind, const toml::key& key, const ColumnMapping& mapping,
                 Problems* problems) {
  const std::string name(key.str());
  const int col = FindColumn(kind, name);
  if (col >= 0) return col;
  std::vector<std::string> from;  // canonical columns mapped from `name`, sorted
  for (const auto& [canonical, source] : mapping.columns) {
    if (source.join) continue;
    if (std::find(source.names.begin(), source.names.end(), name) != source.names.end()) {
      from.push_back(canonical);
    }
  }
  std::sort(from.begin(), from.end());
  if (from.size() == 1) return FindColumn(kind, from[0]);
  const std::string path = "values." + name + ": ";
  if (from.size() > 1) {
    std::string list;
    for (const std::string& c : from) list += (list.empty() ? "" : ", ") + c;
    problems->Add(key.source(), path + "'" + name + "' is mapped to " + list +
                                    " in [columns]; name the canonical column instead");
    return -1;
  }
  for (const auto& [canonical, source] : mapping.columns) {  // a join's part
    if (source.join &&
        std::find(source.names.begin(), source.names.end(), name) != source.names.end()) {
      problems->Add(key.source(), path + "'" + name + "' is a part of " + canonical +
                                      "'s join; [values." + canonical +
                                      "] maps the joined value (parts joined by '" +
                                      source.separator + "')");
      return -1;
    }
  }
  // Neither: say what is accepted.
  std::vector<std::pair<std::string, std::string>> mapped;  // canonical, "mapped from 'a' or 'b'"
  for (const auto& [canonical, source] : mapping.columns) {
    if (source.join) continue;
    std::string from_list;
    for (const std::string& s : source.names) from_list += (from_list.empty() ? "'" : "' or '") + s;
    mapped.emplace_back(canonical, "mapped from " + from_list + "'");
  }
  std::sort(mapped.begin(), mapped.end());
  auto describe = [&](std::string_view canonical) {
    for (const auto& [c, from] : mapped) {
      if (c == canonical) return std::string(canonical) + ", " + from;
    }
    return std::string(canonical);
  };
  std::string message = path + std::string(kind.name) + " has no column '" + name +
                        "' and [columns] maps none from it; [values.X] takes the canonical " +
                        "column or the source column mapped to it";
  for (const ColumnDef& cd : kind.columns) {  // a name that differs only in case
    if (EqualsIgnoreCase(cd.name, name)) {
      problems->Add(key.source(), message + " (did you mean " + describe(cd.name) + "?)");
      return -1;
    }
  }
  if (mapped.empty()) {
    message += " (here no column is mapped in [columns])";
  } else {
    message += " (here: ";
    const size_t shown = std::min<size_t>(mapped.size(), 6);
    for (size_t k = 0; k < shown; ++k) {
      message += (k ? "; " : "") + mapped[k].first + ", " + mapped[k].second;
    }
    message += shown < mapped.size() ? "; …)" : ")";
  }
  problems->Add(key.source(), message);
  return -1;
}

void ReadValues(const toml::table& section, const KindDef& kind, ColumnMapping* out,
                Problems* problems) {
  std::unordered_map<int, const toml::key*> written_as;  // canonical column -> the key naming it
  for (const auto& [key, node] : section) {
    const std::string name(key.str());
    const int col = ValuesColumn(kind, key, *out, problems);
    if (col < 0) continue;
    const std::string canonical(kind.columns[col].name);
    if (auto [it, fresh] = written_as.emplace(col, &key); !fresh) {
      // Reported on the later line of the two (toml++ visits keys in sorted order).
      const bool this_later = key.source().begin.line > it->second->source().begin.line;
      const toml::key& later = this_later ? key : *it->second;
      const toml::key& earlier = this_later ? *it->second : key;
      problems->Add(later.source(), "values." + std::string(later.str()) + " and values." +
                                        std::string(earlier.str()) + " both map " + canonical);
      continue;
    }
    const toml::table* table = TableValue(node, "values." + name, key, problems);
    if (table == nullptr) continue;
    auto& map = out->values[canonical];
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

void ReadEndOfDay(const toml::table& section, const KindDef& kind, ColumnMapping* out,
                  Problems* problems) {
  for (const auto& [key, node] : section) {
    const std::string name(key.str());
    const int col = KnownColumn(kind, key, problems);
    if (col < 0) continue;
    const toml::value<bool>* flag = node.as_boolean();
    if (flag == nullptr) {
      problems->Add(key.source(), "end_of_day." + name + " must be true or false");
      continue;
    }
    if (kind.columns[col].type != ColumnType::kTime) {
      problems->Add(key.source(), "end_of_day." + name + ": " + name + " is not a time column");
      continue;
    }
    if (flag->get()) out->end_of_day.insert(name);
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
  // [columns] first: [values.X] may name a source column that [columns] maps.
  const toml::table *columns = nullptr, *values = nullptr, *formats = nullptr,
                    *end_of_day = nullptr, *constants = nullptr;
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
    const toml::table** slot = name == "columns"      ? &columns
                               : name == "values"     ? &values
                               : name == "formats"    ? &formats
                               : name == "end_of_day" ? &end_of_day
                               : name == "constants"  ? &constants
                                                      : nullptr;
    if (slot == nullptr) {
      problems.Add(key.source(), node.is_table()
                                     ? "unknown section [" + std::string(name) + "]"
                                     : "unknown top-level key '" + std::string(name) + "'");
      continue;
    }
    *slot = TableValue(node, std::string(name), key, &problems);
  }
  if (columns != nullptr) ReadColumns(*columns, kind, &out, &problems);
  if (values != nullptr) ReadValues(*values, kind, &out, &problems);
  if (formats != nullptr) ReadFormats(*formats, kind, &out, &problems);
  if (end_of_day != nullptr) ReadEndOfDay(*end_of_day, kind, &out, &problems);
  if (constants != nullptr) ReadConstants(*constants, kind, &out, &problems);
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

#include "ingest/ndjson_reader.h"

#include <cstring>
#include <utility>

#include <simdjson.h>

namespace govqm {
namespace {

namespace od = simdjson::ondemand;

constexpr bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimJsonSpace(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. On-demand parsing
// does not check a number we only take as text, so check it here.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  auto digits = [&] {
    const size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

}  // namespace

struct NdjsonReader::Impl {
  od::parser parser;
  od::document doc;
  std::string buf;  // the current line plus simdjson's padding
};

NdjsonReader::NdjsonReader(std::string_view text) : text_(text), impl_(std::make_unique<Impl>()) {}

NdjsonReader::~NdjsonReader() = default;

bool NdjsonReader::Next(JsonRecord* record) {
  std::string_view line;
  while (true) {
    if (pos_ >= text_.size()) return false;
    const size_t nl = text_.find('\n', pos_);
    const size_t stop = nl == std::string_view::npos ? text_.size() : nl;
    line = text_.substr(pos_, stop - pos_);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    ++line_;
    if (!TrimJsonSpace(line).empty()) break;
  }
  record->line = line_;
  record->fields.clear();
  record->error.clear();

  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy of the line.
  std::string& buf = impl_->buf;
  if (buf.size() < line.size() + simdjson::SIMDJSON_PADDING) {
    buf.resize(line.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(buf.data(), line.data(), line.size());
  std::memset(buf.data() + line.size(), ' ', simdjson::SIMDJSON_PADDING);

  auto fail = [&](std::string why) {
    record->fields.clear();
    record->error = std::move(why);
    return true;
  };
  auto fail_json = [&](simdjson::error_code e) {
    return fail(std::string("invalid JSON: ") + simdjson::error_message(e));
  };

  od::document& doc = impl_->doc;
  simdjson::error_code err = impl_->parser.iterate(buf.data(), line.size(), buf.size()).get(doc);
  if (err) return fail_json(err);
  od::json_type top;
  if ((err = doc.type().get(top))) return fail_json(err);
  if (top != od::json_type::object) return fail("not a JSON object");
  od::object obj;
  if ((err = doc.get_object().get(obj))) return fail_json(err);
  for (auto field_result : obj) {
    od::field field;
    if ((err = std::move(field_result).get(field))) return fail_json(err);
    std::string_view key;
    if ((err = field.unescaped_key().get(key))) return fail_json(err);
    od::value value = field.value();
    od::json_type type;
    if ((err = value.type().get(type))) return fail_json(err);
    std::string_view text;
    switch (type) {
      case od::json_type::string:
        err = value.get_string().get(text);
        break;
      case od::json_type::number:
        text = TrimJsonSpace(value.raw_json_token());
        if (!IsJsonNumber(text)) {
          return fail("invalid JSON: bad number '" + std::string(text) + "'");
        }
        break;
      case od::json_type::boolean: {
        bool b = false;
        err = value.get_bool().get(b);
        text = b ? "true" : "false";
        break;
      }
      case od::json_type::null: {
        bool is_null = false;
        err = value.is_null().get(is_null);
        if (!err && !is_null) err = simdjson::N_ATOM_ERROR;
        text = "";
        break;
      }
      case od::json_type::object: {
        od::object nested;
        err = value.get_object().get(nested);
        if (!err) err = nested.raw_json().get(text);
        text = TrimJsonSpace(text);
        break;
      }
      case od::json_type::array: {
        od::array nested;
        err = value.get_array().get(nested);
        if (!err) err = nested.raw_json().get(text);
        text = TrimJsonSpace(text);
        break;
      }
    }
    if (err) return fail_json(err);
    record->fields.emplace_back(key, text);
  }
  // At the end of the line, current_location() reports OUT_OF_BOUNDS.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return fail("invalid JSON: text after the object");
  }
  return true;
}

}  // namespace govqm

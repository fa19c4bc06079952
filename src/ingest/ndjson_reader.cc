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

std::string Quoted(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return "'" + std::string(s) + "'";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(s.substr(0, cut)) + "…'";
}

}  // namespace

struct JsonObjectParser::Impl {
  od::parser parser;
  od::document doc;
  std::string buf;  // the current text plus simdjson's padding
};

JsonObjectParser::JsonObjectParser() : impl_(std::make_unique<Impl>()) {}

JsonObjectParser::~JsonObjectParser() = default;

void JsonObjectParser::Parse(std::string_view text, JsonRecord* record) {
  record->fields.clear();
  record->error.clear();

  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy.
  std::string& buf = impl_->buf;
  if (buf.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    buf.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  if (!text.empty()) std::memcpy(buf.data(), text.data(), text.size());
  std::memset(buf.data() + text.size(), ' ', simdjson::SIMDJSON_PADDING);

  auto fail = [&](std::string why) {
    record->fields.clear();
    record->error = std::move(why);
  };
  auto fail_json = [&](simdjson::error_code e) {
    fail(std::string("invalid JSON: ") + simdjson::error_message(e));
  };

  od::document& doc = impl_->doc;
  simdjson::error_code err = impl_->parser.iterate(buf.data(), text.size(), buf.size()).get(doc);
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
    std::string_view v;
    switch (type) {
      case od::json_type::string:
        err = value.get_string().get(v);
        break;
      case od::json_type::number:
        v = TrimJsonSpace(value.raw_json_token());
        if (!IsJsonNumber(v)) return fail("invalid JSON: bad number " + Quoted(v));
        break;
      case od::json_type::boolean: {
        bool b = false;
        err = value.get_bool().get(b);
        v = b ? "true" : "false";
        break;
      }
      case od::json_type::null: {
        bool is_null = false;
        err = value.is_null().get(is_null);
        if (!err && !is_null) err = simdjson::N_ATOM_ERROR;
        v = "";
        break;
      }
      case od::json_type::object: {
        od::object nested;
        err = value.get_object().get(nested);
        if (!err) err = nested.raw_json().get(v);
        v = TrimJsonSpace(v);
        break;
      }
      case od::json_type::array: {
        od::array nested;
        err = value.get_array().get(nested);
        if (!err) err = nested.raw_json().get(v);
        v = TrimJsonSpace(v);
        break;
      }
    }
    if (err) return fail_json(err);
    record->fields.emplace_back(key, v);
  }
  // At the end of the text, current_location() reports OUT_OF_BOUNDS.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return fail("invalid JSON: text after the object");
  }
}

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
  record->source_line = line_;
  parser_.Parse(line, record);
  return true;
}

void JsonArrayReader::SkipSpace() {
  while (pos_ < text_.size() && IsJsonSpace(text_[pos_])) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
}

bool JsonArrayReader::Fail(Status* error, std::string why, int64_t line) {
  *error = Status::Invalid("not valid JSON: " + why + " (line " + std::to_string(line) + ")");
  done_ = true;
  return false;
}

bool JsonArrayReader::Next(JsonRecord* record, Status* error) {
  if (done_) return false;
  const size_t n = text_.size();
  if (!started_) {
    started_ = true;
    SkipSpace();
    if (pos_ >= n || text_[pos_] != '[') return Fail(error, "not a JSON array", line_);
    ++pos_;
    SkipSpace();
    if (pos_ < n && text_[pos_] == ']') {  // []
      ++pos_;
      SkipSpace();
      if (pos_ < n) return Fail(error, "text after the array", line_);
      done_ = true;
      return false;
    }
  }
  // At the start of an element (after '[' or ',' and any space).
  if (pos_ >= n) return Fail(error, "the array is not closed", line_);
  const size_t begin = pos_;
  const int64_t begin_line = line_;
  // Find the element's end: strings skipped whole, brackets matched on a stack.
  std::vector<char> open;  // the closing bracket each open one expects
  std::vector<int64_t> open_line;
  while (pos_ < n) {
    const char c = text_[pos_];
    if (c == '"') {
      const int64_t string_line = line_;
      ++pos_;
      while (pos_ < n && text_[pos_] != '"') {
        if (text_[pos_] == '\\') ++pos_;  // the escaped character, whatever it is
        else if (text_[pos_] == '\n') ++line_;
        ++pos_;
      }
      if (pos_ >= n) return Fail(error, "unterminated string", string_line);
      ++pos_;
      continue;
    }
    if (c == '{' || c == '[') {
      open.push_back(c == '{' ? '}' : ']');
      open_line.push_back(line_);
      ++pos_;
      continue;
    }
    if (c == '}' || c == ']') {
      if (open.empty()) break;  // the end of the array (or a stray '}', found below)
      if (c != open.back()) {
        return Fail(error, std::string("'") + c + "' closes '" + (open.back() == '}' ? '{' : '[') +
                               "' of line " + std::to_string(open_line.back()),
                    line_);
      }
      open.pop_back();
      open_line.pop_back();
      ++pos_;
      if (open.empty()) break;
      continue;
    }
    if (open.empty() && (c == ',' || IsJsonSpace(c))) break;
    if (c == '\n') ++line_;
    ++pos_;
  }
  if (!open.empty()) {
    return Fail(error, std::string("'") + (open.back() == '}' ? '{' : '[') + "' is not closed",
                open_line.back());
  }
  const std::string_view element = text_.substr(begin, pos_ - begin);
  if (element.empty()) return Fail(error, "expected a value", line_);
  SkipSpace();
  if (pos_ >= n) return Fail(error, "the array is not closed", line_);
  if (text_[pos_] == ',') {
    ++pos_;
    SkipSpace();
    if (pos_ < n && text_[pos_] == ']') return Fail(error, "a comma before ']'", line_);
  } else if (text_[pos_] == ']') {
    ++pos_;
    SkipSpace();
    if (pos_ < n) return Fail(error, "text after the array", line_);
    done_ = true;  // this element is the last
  } else {
    return Fail(error, "expected ',' or ']' after an element", line_);
  }
  record->line = ++elements_;
  record->source_line = begin_line;
  parser_.Parse(element, record);
  // A syntax error is fixed in the source file, so say where it is; _line is the element.
  if (record->error.rfind("invalid JSON", 0) == 0) {
    record->error += " (line " + std::to_string(begin_line) + ")";
  }
  return true;
}

}  // namespace govqm

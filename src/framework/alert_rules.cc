#include "framework/alert_rules.h"

#include <cmath>
#include <exception>
#include <set>

#include <toml++/toml.h>

#include "core/one_line.h"

namespace govqm {
namespace {

int64_t LineOf(const toml::node& n) { return static_cast<int64_t>(n.source().begin.line); }

// One [[rule]] or [[control]] table: typed reads whose errors name file, line and key.
class RuleTable {
 public:
  RuleTable(const toml::table& t, std::string what, const std::string& source)
      : t_(t), what_(std::move(what)), source_(source) {}

  Status Error(int64_t line, const std::string& message) const {
    return Status::Invalid(source_ + ":" + std::to_string(line) + ": " + OneLine(message));
  }
  int64_t line() const { return LineOf(t_); }
  int64_t LineOfKey(std::string_view key) const {
    const toml::node* n = t_.get(key);
    return n ? LineOf(*n) : line();
  }
  bool Has(std::string_view key) const { return t_.contains(key); }
  std::string Key(std::string_view key) const { return what_ + "." + std::string(key); }

  Status CheckKeys(std::initializer_list<std::string_view> allowed) const {
    for (auto&& [k, v] : t_) {
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || a == k.str();
      if (!ok) {
        return Error(k.source().begin.line, "unknown key '" + std::string(k.str()) + "' in " + what_);
      }
    }
    return Status::Ok();
  }

  Status String(std::string_view key, std::string* out, bool required) const {
    const toml::node* n = t_.get(key);
    if (!n) {
      return required ? Error(line(), what_ + " needs '" + std::string(key) + "'") : Status::Ok();
    }
    if (!n->is_string()) return Error(LineOf(*n), Key(key) + " must be a string");
    *out = n->as_string()->get();
    if (required && out->empty()) return Error(LineOf(*n), Key(key) + " must not be empty");
    return Status::Ok();
  }

  Status Number(std::string_view key, double* out) const {
    const toml::node* n = t_.get(key);
    if (!n) return Status::Ok();
    if (n->is_integer()) {
      *out = static_cast<double>(n->as_integer()->get());
    } else if (n->is_floating_point()) {
      *out = n->as_floating_point()->get();
    } else {
      return Error(LineOf(*n), Key(key) + " must be a number");
    }
    if (!std::isfinite(*out)) return Error(LineOf(*n), Key(key) + " must be finite");
    return Status::Ok();
  }

  Status Integer(std::string_view key, int64_t min, int64_t* out) const {
    const toml::node* n = t_.get(key);
    if (!n) return Status::Ok();
    if (!n->is_integer()) return Error(LineOf(*n), Key(key) + " must be an integer");
    *out = n->as_integer()->get();
    if (*out < min) {
      return Error(LineOf(*n), Key(key) + " must be >= " + std::to_string(min) + ", not " +
                                   std::to_string(*out));
    }
    return Status::Ok();
  }

  // `by`: "region,dept" or ["region", "dept"]; every key supported by the indicator.
  Status By(const IndicatorInfo& info, bool control, std::vector<GroupKey>* out) const {
    const toml::node* n = t_.get("by");
    if (!n) return Status::Ok();
    std::vector<std::string> names;
    if (n->is_string()) {
      const std::string& s = n->as_string()->get();
      size_t start = 0;
      while (start <= s.size() && !s.empty()) {
        size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        names.push_back(s.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (const toml::array* a = n->as_array()) {
      for (const toml::node& e : *a) {
        if (!e.is_string()) return Error(LineOf(e), Key("by") + " must be a list of group keys");
        names.push_back(e.as_string()->get());
      }
    } else {
      return Error(LineOf(*n), Key("by") + " must be a string such as \"region,dept\" or a list");
    }
    for (std::string name : names) {
      while (!name.empty() && name.front() == ' ') name.erase(name.begin());
      while (!name.empty() && name.back() == ' ') name.pop_back();
      std::optional<GroupKey> k = ParseGroupKey(name);
      if (!k) return Error(LineOf(*n), Key("by") + ": unknown group key '" + name + "'");
      if (!info.Supports(*k)) {
        return Error(LineOf(*n), Key("by") + ": " + std::string(info.code) +
                                     " cannot be grouped by " + name);
      }
      if (control && (*k == GroupKey::kDay || *k == GroupKey::kMonth)) {
        return Error(LineOf(*n), Key("by") + ": a control chart runs on days itself; remove '" +
                                     name + "'");
      }
      for (GroupKey seen : *out) {
        if (seen == *k) return Error(LineOf(*n), Key("by") + ": '" + name + "' given twice");
      }
      out->push_back(*k);
    }
    return Status::Ok();
  }

  Result<const IndicatorInfo*> Indicator(std::string* code) const {
    GOVQM_RETURN_IF_ERROR(String("indicator", code, true));
    const int i = FindIndicator(*code);
    if (i < 0) return Error(LineOfKey("indicator"), Key("indicator") + ": unknown indicator '" + *code + "'");
    return &Catalog()[static_cast<size_t>(i)];
  }

 private:
  const toml::table& t_;
  std::string what_;
  const std::string& source_;
};

class Parser {
 public:
  explicit Parser(std::string_view source) { out_.source = std::string(source); }

  Result<AlertRules> Run(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, out_.source);
    } catch (const toml::parse_error& e) {
      return Status::Invalid(out_.source + ":" + std::to_string(e.source().begin.line) + ": " +
                             OneLine(std::string(e.description())));
    } catch (const std::exception& e) {
      return Status::Invalid(out_.source + ": " + OneLine(e.what()));
    }
    for (auto&& [k, v] : root) {
      if (k.str() != "rule" && k.str() != "control") {
        return Status::Invalid(out_.source + ":" + std::to_string(k.source().begin.line) +
                               ": unknown key '" + OneLine(k.str()) +
                               "' (a rules file holds [[rule]] and [[control]] tables)");
      }
      const toml::array* a = v.as_array();
      bool ok = a != nullptr;
      if (a) {
        for (const toml::node& e : *a) ok = ok && e.is_table();
      }
      if (!ok) {
        return Status::Invalid(out_.source + ":" + std::to_string(LineOf(v)) + ": '" +
                               std::string(k.str()) + "' must be an array of tables ([[" +
                               std::string(k.str()) + "]])");
      }
    }
    if (const toml::array* rules = root["rule"].as_array()) {
      for (const toml::node& n : *rules) GOVQM_RETURN_IF_ERROR(Rule(*n.as_table()));
    }
    if (const toml::array* controls = root["control"].as_array()) {
      for (const toml::node& n : *controls) GOVQM_RETURN_IF_ERROR(Control(*n.as_table()));
    }
    return std::move(out_);
  }

 private:
  Status Code(const RuleTable& f, std::string* code) {
    GOVQM_RETURN_IF_ERROR(f.String("code", code, true));
    if (!codes_.insert(*code).second) {
      return f.Error(f.LineOfKey("code"), "duplicate alert code '" + *code + "'");
    }
    return Status::Ok();
  }

  Status Rule(const toml::table& t) {
    std::string label = "rule";
    if (const auto* c = t.get_as<std::string>("code")) label = "rule '" + c->get() + "'";
    const RuleTable f(t, label, out_.source);
    GOVQM_RETURN_IF_ERROR(
        f.CheckKeys({"code", "indicator", "by", "below", "above", "drop", "min_sample"}));
    AlertRule r;
    r.line = f.line();
    GOVQM_RETURN_IF_ERROR(Code(f, &r.code));
    GOVQM_ASSIGN_OR_RETURN(const IndicatorInfo* info, f.Indicator(&r.indicator));
    GOVQM_RETURN_IF_ERROR(f.By(*info, false, &r.by));
    int given = 0;
    for (auto [key, kind] : {std::pair{"below", ThresholdKind::kBelow},
                             std::pair{"above", ThresholdKind::kAbove},
                             std::pair{"drop", ThresholdKind::kDrop}}) {
      if (!f.Has(key)) continue;
      if (++given > 1) {
        return f.Error(f.LineOfKey(key), label + " takes one of below, above, drop; '" +
                                             std::string(key) + "' is a second one");
      }
      r.threshold.kind = kind;
      GOVQM_RETURN_IF_ERROR(f.Number(key, &r.threshold.x));
      if (kind == ThresholdKind::kDrop && r.threshold.x < 0) {
        return f.Error(f.LineOfKey(key), f.Key(key) + " must be >= 0 (a fall, in absolute terms)");
      }
    }
    if (given == 0) return f.Error(f.line(), label + " needs one of below, above, drop");
    r.threshold.min_sample = 30;
    GOVQM_RETURN_IF_ERROR(f.Integer("min_sample", 0, &r.threshold.min_sample));
    out_.rules.push_back(std::move(r));
    return Status::Ok();
  }

  Status Control(const toml::table& t) {
    std::string label = "control";
    if (const auto* c = t.get_as<std::string>("code")) label = "control '" + c->get() + "'";
    const RuleTable f(t, label, out_.source);
    GOVQM_RETURN_IF_ERROR(f.CheckKeys({"code", "indicator", "by", "method", "baseline_days",
                                       "lambda", "L", "k", "h", "min_sample"}));
    ControlRule c;
    c.line = f.line();
    GOVQM_RETURN_IF_ERROR(Code(f, &c.code));
    GOVQM_ASSIGN_OR_RETURN(const IndicatorInfo* info, f.Indicator(&c.indicator));
    if (!info->Supports(GroupKey::kDay)) {
      return f.Error(f.LineOfKey("indicator"),
                     f.Key("indicator") + ": " + c.indicator + " has no daily series");
    }
    c.bad = *BadDirectionOf(c.indicator);
    GOVQM_RETURN_IF_ERROR(f.By(*info, true, &c.by));
    std::string method;
    GOVQM_RETURN_IF_ERROR(f.String("method", &method, true));
    if (method == "ewma") {
      c.params.method = ControlMethod::kEwma;
    } else if (method == "cusum") {
      c.params.method = ControlMethod::kCusum;
    } else {
      return f.Error(f.LineOfKey("method"),
                     f.Key("method") + " must be \"ewma\" or \"cusum\", not '" + method + "'");
    }
    int64_t baseline = c.params.baseline_days;
    GOVQM_RETURN_IF_ERROR(f.Integer("baseline_days", kMinBaselineDays, &baseline));
    if (baseline > 3660) return f.Error(f.LineOfKey("baseline_days"), f.Key("baseline_days") + " must be <= 3660");
    c.params.baseline_days = static_cast<int>(baseline);
    GOVQM_RETURN_IF_ERROR(f.Number("lambda", &c.params.lambda));
    if (!(c.params.lambda > 0 && c.params.lambda <= 1)) {
      return f.Error(f.LineOfKey("lambda"), f.Key("lambda") + " must be in (0, 1]");
    }
    GOVQM_RETURN_IF_ERROR(f.Number("L", &c.params.L));
    if (!(c.params.L > 0)) return f.Error(f.LineOfKey("L"), f.Key("L") + " must be > 0");
    GOVQM_RETURN_IF_ERROR(f.Number("k", &c.params.k));
    if (c.params.k < 0) return f.Error(f.LineOfKey("k"), f.Key("k") + " must be >= 0");
    GOVQM_RETURN_IF_ERROR(f.Number("h", &c.params.h));
    if (!(c.params.h > 0)) return f.Error(f.LineOfKey("h"), f.Key("h") + " must be > 0");
    // Parameters of the other method would be silently ignored: say so instead.
    static constexpr std::string_view kCusumOnly[] = {"k", "h"}, kEwmaOnly[] = {"lambda", "L"};
    for (std::string_view key : c.params.method == ControlMethod::kEwma ? kCusumOnly : kEwmaOnly) {
      if (f.Has(key)) {
        return f.Error(f.LineOfKey(key), f.Key(key) + " does not apply to method \"" + method + "\"");
      }
    }
    GOVQM_RETURN_IF_ERROR(f.Integer("min_sample", 0, &c.params.min_sample));
    out_.controls.push_back(std::move(c));
    return Status::Ok();
  }

  AlertRules out_;
  std::set<std::string> codes_;
};

}  // namespace

Result<AlertRules> ParseAlertRules(std::string_view text, std::string_view source) {
  return Parser(source).Run(text);
}

}  // namespace govqm

// Partials: the header, merging, and the canonical text form (JSON, parsed with simdjson).
#include "core/engine/partials.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "core/engine/accumulators.h"

namespace govqm {

Partials::Partials() : data_(std::make_unique<engine::PartialsData>()) {}
Partials::~Partials() = default;
Partials::Partials(Partials&&) noexcept = default;
Partials& Partials::operator=(Partials&&) noexcept = default;

const PartialsHeader& Partials::header() const { return data_->header; }

size_t Partials::groups() const {
  const engine::PartialsData& d = *data_;
  return d.intake.size() + d.completion.size() + d.tx_pit.size() + d.eval.size() +
         d.eval_pit.size() + d.cases.size() + d.probes.size() + d.guides.size();
}

PartialsHeader MakePartialsHeader(const EngineOptions& options) {
  PartialsHeader h;
  h.from_ms = options.from_ms;
  h.to_ms = options.to_ms;
  h.keys = options.keys;
  h.only = options.only;
  h.zone = options.zone != nullptr ? options.zone->Name() : "UTC";
  h.verify_days = options.verify_days;
  h.rectify_days = options.rectify_days;
  h.modes = options.modes.map;
  const Fingerprint f =
      FingerprintOf(options.calendar != nullptr ? options.calendar->Canonical() : "");
  h.calendar_digest = fmt::format("{:016x}{:016x}", f.h, f.g);
  return h;
}

namespace engine {
namespace {

// ---- The accumulators' plain fields, visited in one fixed order (text form and merge) ----

template <typename F>
void IntFields(IntakeAcc& a, F&& f) {
  for (int64_t* v : {&a.n, &a.online, &a.visits_n, &a.visits_zero, &a.visits_le1,
                     &a.visits_sum, &a.materials_required, &a.materials_exempted, &a.cross_n,
                     &a.cross_yes, &a.promised_n, &a.promised_zero, &a.wait_n, &a.wait_long,
                     &a.wait_sum_micro, &a.reported, &a.filled, &a.elderly, &a.elderly_online}) {
    f(*v);
  }
}
template <typename F>
void IntFields(CompletionAcc& a, F&& f) {
  for (int64_t* v : {&a.n, &a.due_n, &a.on_time, &a.handling_n, &a.handling_sum_ms,
                     &a.compression_n, &a.unrated}) {
    f(*v);
  }
}
template <typename F>
void IntFields(EvalAcc& a, F&& f) {
  for (int64_t* v : {&a.n, &a.positive, &a.negative, &a.top2, &a.score_sum, &a.active,
                     &a.active_positive, &a.elderly, &a.elderly_score_sum}) {
    f(*v);
  }
}
template <typename F>
void IntFields(CaseAcc& a, F&& f) {
  for (int64_t* v : {&a.cases, &a.verified, &a.rectified_or_closed, &a.rectified, &a.on_time,
                     &a.revisited, &a.revisit_scored, &a.revisit_good}) {
    f(*v);
  }
}
template <typename F>
void IntFields(ProbeAcc& a, F&& f) {
  f(a.n);
  f(a.ok);
}
template <typename F>
void IntFields(GuideAcc& a, F&& f) {
  for (int64_t* v : {&a.platform_items, &a.covered, &a.matching_items, &a.fields_compared,
                     &a.fields_matching}) {
    f(*v);
  }
}

// ---- Writing ----------------------------------------------------------------------------

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          *out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

template <typename T, typename Each>
void AppendArray(std::string* out, const std::vector<T>& items, const Each& each) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    each(items[i]);
  }
  out->push_back(']');
}

void AppendStrings(std::string* out, const std::vector<std::string>& items) {
  AppendArray(out, items, [&](const std::string& s) { AppendJsonString(out, s); });
}

void AppendInts(std::string* out, const std::vector<int64_t>& items) {
  AppendArray(out, items, [&](int64_t v) { *out += std::to_string(v); });
}

// Doubles in their shortest form that reads back to the same bits.
void AppendDoubles(std::string* out, const std::vector<double>& items) {
  AppendArray(out, items, [&](double v) { *out += fmt::format("{}", v); });
}

void AppendQuantile(std::string* out, const QuantileValues& q) {
  const QuantileValues::State s = q.Save();
  if (!s.sketched) {
    *out += "{\"exact\":";
    AppendDoubles(out, s.exact);
    out->push_back('}');
    return;
  }
  *out += fmt::format("{{\"zeros\":{}", s.zeros);
  for (auto [name, list] : {std::pair{"positive", &s.positive}, {"negative", &s.negative}}) {
    *out += fmt::format(",\"{}\":", name);
    AppendArray(out, *list, [&](const std::pair<uint64_t, uint64_t>& b) {
      *out += fmt::format("[{},{}]", b.first, b.second);
    });
  }
  out->push_back('}');
}

std::string Int128Text(Int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  Key128 u = negative ? -static_cast<Key128>(v) : static_cast<Key128>(v);
  std::string digits;
  while (u != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// The extra (non-integer) fields of an accumulator, after its integers.
void AppendExtra(std::string*, const EvalAcc&) {}
void AppendExtra(std::string*, const CaseAcc&) {}
void AppendExtra(std::string*, const GuideAcc&) {}
void AppendExtra(std::string* out, const IntakeAcc& a) {
  *out += ",\"sync_lag_ms\":";
  AppendQuantile(out, a.sync_lag_ms);
}
void AppendExtra(std::string* out, const CompletionAcc& a) {
  *out += ",\"handling_ms\":";
  AppendQuantile(out, a.handling_ms);
  *out += ",\"compression_sum_nano\":\"" + Int128Text(a.compression_sum_nano) + "\"";
}
void AppendExtra(std::string* out, const ProbeAcc& a) {
  std::vector<double> sorted = a.latency_ms;  // canonical: the order of adds is not state
  std::sort(sorted.begin(), sorted.end());
  *out += ",\"latency_ms\":";
  AppendDoubles(out, sorted);
}

template <typename Acc>
void AppendFamily(std::string* out, const char* name, const LabelledGroups<Acc>& groups) {
  std::vector<const std::pair<const Labels, Acc>*> sorted;
  sorted.reserve(groups.size());
  for (const auto& g : groups) sorted.push_back(&g);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  *out += fmt::format(",\"{}\":[", name);
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out->push_back(',');
    *out += "\n{\"group\":";
    AppendStrings(out, sorted[i]->first);
    *out += ",\"sums\":";
    std::vector<int64_t> ints;
    IntFields(const_cast<Acc&>(sorted[i]->second), [&](int64_t& v) { ints.push_back(v); });
    AppendInts(out, ints);
    AppendExtra(out, sorted[i]->second);
    out->push_back('}');
  }
  *out += "]";
}

void AppendPitFamily(std::string* out, const char* name, const LabelledGroups<PitAcc>& groups) {
  std::vector<const std::pair<const Labels, PitAcc>*> sorted;
  for (const auto& g : groups) sorted.push_back(&g);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  *out += fmt::format(",\"{}\":[", name);
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) out->push_back(',');
    *out += "\n{\"group\":";
    AppendStrings(out, sorted[i]->first);
    *out += ",\"backlog_diff\":";
    AppendInts(out, sorted[i]->second.backlog_diff);
    *out += ",\"newest\":";
    AppendInts(out, sorted[i]->second.newest);
    out->push_back('}');
  }
  *out += "]";
}

// ---- Reading ----------------------------------------------------------------------------

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

class Reader {
 public:
  explicit Reader(const std::string& where) : where_(where) {}

  Status Fail(std::string_view what) const {
    return Status::Invalid(fmt::format("{}: not a valid partials file: {}", where_, what));
  }

  Result<element> Field(const object& o, std::string_view name, std::string_view in) const {
    element e;
    if (o[name].get(e) != simdjson::SUCCESS) return Fail(fmt::format("{} has no '{}'", in, name));
    return e;
  }
  Result<int64_t> Int(const element& e, std::string_view what) const {
    int64_t v;
    if (e.get_int64().get(v) != simdjson::SUCCESS) return Fail(fmt::format("{} is not an integer", what));
    return v;
  }
  Result<uint64_t> Unsigned(const element& e, std::string_view what) const {
    uint64_t v;
    if (e.get_uint64().get(v) != simdjson::SUCCESS) {
      return Fail(fmt::format("{} is not a non-negative integer", what));
    }
    return v;
  }
  Result<double> Double(const element& e, std::string_view what) const {
    double v;
    if (e.get_double().get(v) != simdjson::SUCCESS) return Fail(fmt::format("{} is not a number", what));
    return v;
  }
  Result<std::string> String(const element& e, std::string_view what) const {
    std::string_view v;
    if (e.get_string().get(v) != simdjson::SUCCESS) return Fail(fmt::format("{} is not a string", what));
    return std::string(v);
  }
  Result<array> Array(const element& e, std::string_view what) const {
    array a;
    if (e.get_array().get(a) != simdjson::SUCCESS) return Fail(fmt::format("{} is not an array", what));
    return a;
  }
  Result<object> Object(const element& e, std::string_view what) const {
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) return Fail(fmt::format("{} is not an object", what));
    return o;
  }
  // An array whose every element `one` reads (String, Int, Double).
  template <typename T>
  Result<std::vector<T>> List(const element& e, std::string_view what,
                              Result<T> (Reader::*one)(const element&, std::string_view) const) const {
    GOVQM_ASSIGN_OR_RETURN(array a, Array(e, what));
    std::vector<T> out;
    for (element x : a) {
      GOVQM_ASSIGN_OR_RETURN(T v, (this->*one)(x, what));
      out.push_back(std::move(v));
    }
    return out;
  }
  Result<std::vector<std::string>> Strings(const element& e, std::string_view what) const {
    return List(e, what, &Reader::String);
  }
  Result<std::vector<int64_t>> Ints(const element& e, std::string_view what) const {
    return List(e, what, &Reader::Int);
  }
  Result<std::vector<double>> Doubles(const element& e, std::string_view what) const {
    return List(e, what, &Reader::Double);
  }

  Result<QuantileValues> Quantile(const element& e, std::string_view what) const {
    GOVQM_ASSIGN_OR_RETURN(object o, Object(e, what));
    QuantileValues::State s;
    element x;
    if (o["exact"].get(x) == simdjson::SUCCESS) {
      GOVQM_ASSIGN_OR_RETURN(s.exact, Doubles(x, what));
    } else {
      s.sketched = true;
      GOVQM_ASSIGN_OR_RETURN(element z, Field(o, "zeros", what));
      GOVQM_ASSIGN_OR_RETURN(s.zeros, Unsigned(z, what));
      for (auto [name, list] : {std::pair{"positive", &s.positive}, {"negative", &s.negative}}) {
        GOVQM_ASSIGN_OR_RETURN(element l, Field(o, name, what));
        GOVQM_ASSIGN_OR_RETURN(array buckets, Array(l, what));
        for (element b : buckets) {
          GOVQM_ASSIGN_OR_RETURN(array pair, Array(b, what));
          if (pair.size() != 2) return Fail(fmt::format("{}: a bucket is not [key, count]", what));
          GOVQM_ASSIGN_OR_RETURN(uint64_t key, Unsigned(pair.at(0).value_unsafe(), what));
          GOVQM_ASSIGN_OR_RETURN(uint64_t count, Unsigned(pair.at(1).value_unsafe(), what));
          list->emplace_back(key, count);
        }
      }
    }
    std::optional<QuantileValues> q = QuantileValues::Restore(s);
    if (!q) return Fail(fmt::format("{} is not a valid percentile sketch", what));
    return std::move(*q);
  }

  Result<Int128> BigInt(const element& e, std::string_view what) const {
    GOVQM_ASSIGN_OR_RETURN(std::string s, String(e, what));
    Int128 v = 0;
    size_t i = 0;
    const bool negative = !s.empty() && s[0] == '-';
    if (negative) i = 1;
    if (i == s.size() || s.size() > 40) return Fail(fmt::format("{} is not an integer", what));
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return Fail(fmt::format("{} is not an integer", what));
      v = v * 10 + (s[i] - '0');
    }
    return negative ? -v : v;
  }

  // The extra fields of an accumulator (see AppendExtra).
  Status Extra(const object&, EvalAcc*, std::string_view) const { return Status::Ok(); }
  Status Extra(const object&, CaseAcc*, std::string_view) const { return Status::Ok(); }
  Status Extra(const object&, GuideAcc*, std::string_view) const { return Status::Ok(); }
  Status Extra(const object& o, IntakeAcc* a, std::string_view what) const {
    GOVQM_ASSIGN_OR_RETURN(element e, Field(o, "sync_lag_ms", what));
    GOVQM_ASSIGN_OR_RETURN(a->sync_lag_ms, Quantile(e, what));
    return Status::Ok();
  }
  Status Extra(const object& o, CompletionAcc* a, std::string_view what) const {
    GOVQM_ASSIGN_OR_RETURN(element e, Field(o, "handling_ms", what));
    GOVQM_ASSIGN_OR_RETURN(a->handling_ms, Quantile(e, what));
    GOVQM_ASSIGN_OR_RETURN(element c, Field(o, "compression_sum_nano", what));
    GOVQM_ASSIGN_OR_RETURN(a->compression_sum_nano, BigInt(c, what));
    return Status::Ok();
  }
  Status Extra(const object& o, ProbeAcc* a, std::string_view what) const {
    GOVQM_ASSIGN_OR_RETURN(element e, Field(o, "latency_ms", what));
    GOVQM_ASSIGN_OR_RETURN(a->latency_ms, Doubles(e, what));
    return Status::Ok();
  }

  Result<Labels> Group(const object& o, size_t keys, std::string_view what) const {
    GOVQM_ASSIGN_OR_RETURN(element g, Field(o, "group", what));
    GOVQM_ASSIGN_OR_RETURN(Labels labels, Strings(g, what));
    if (labels.size() != keys) {
      return Fail(fmt::format("{}: a group has {} labels for {} keys", what, labels.size(), keys));
    }
    return labels;
  }

  template <typename Acc>
  Status Family(const object& root, const char* name, size_t keys, LabelledGroups<Acc>* out) const {
    GOVQM_ASSIGN_OR_RETURN(element f, Field(root, name, "the file"));
    GOVQM_ASSIGN_OR_RETURN(array groups, Array(f, name));
    for (element ge : groups) {
      GOVQM_ASSIGN_OR_RETURN(object g, Object(ge, name));
      GOVQM_ASSIGN_OR_RETURN(Labels labels, Group(g, keys, name));
      GOVQM_ASSIGN_OR_RETURN(element se, Field(g, "sums", name));
      GOVQM_ASSIGN_OR_RETURN(std::vector<int64_t> sums, Ints(se, name));
      Acc acc;
      size_t n = 0;
      IntFields(acc, [&](int64_t& v) {
        if (n < sums.size()) v = sums[n];
        ++n;
      });
      if (n != sums.size()) {
        return Fail(fmt::format("{}: a group has {} sums, not {}", name, sums.size(), n));
      }
      GOVQM_RETURN_IF_ERROR(Extra(g, &acc, name));
      if (out->count(labels) != 0) return Fail(fmt::format("{}: a group appears twice", name));
      out->emplace(std::move(labels), std::move(acc));
    }
    return Status::Ok();
  }

  Status PitFamily(const object& root, const char* name, size_t keys, size_t buckets,
                   LabelledGroups<PitAcc>* out) const {
    GOVQM_ASSIGN_OR_RETURN(element f, Field(root, name, "the file"));
    GOVQM_ASSIGN_OR_RETURN(array groups, Array(f, name));
    for (element ge : groups) {
      GOVQM_ASSIGN_OR_RETURN(object g, Object(ge, name));
      GOVQM_ASSIGN_OR_RETURN(Labels labels, Group(g, keys, name));
      PitAcc acc;
      GOVQM_ASSIGN_OR_RETURN(element d, Field(g, "backlog_diff", name));
      GOVQM_ASSIGN_OR_RETURN(acc.backlog_diff, Ints(d, name));
      GOVQM_ASSIGN_OR_RETURN(element n, Field(g, "newest", name));
      GOVQM_ASSIGN_OR_RETURN(acc.newest, Ints(n, name));
      if (acc.newest.size() != buckets || acc.backlog_diff.size() != buckets + 1) {
        return Fail(fmt::format("{}: a group's arrays do not match the {} buckets", name, buckets));
      }
      if (out->count(labels) != 0) return Fail(fmt::format("{}: a group appears twice", name));
      out->emplace(std::move(labels), std::move(acc));
    }
    return Status::Ok();
  }

 private:
  const std::string& where_;
};

// The name of the first header field that differs, or "".
std::string_view FirstDifference(const PartialsHeader& a, const PartialsHeader& b) {
  if (a.from_ms != b.from_ms) return "from";
  if (a.to_ms != b.to_ms) return "to";
  if (a.keys != b.keys) return "keys";
  if (a.only != b.only) return "only";
  if (a.zone != b.zone) return "zone";
  if (a.verify_days != b.verify_days) return "verify_days";
  if (a.rectify_days != b.rectify_days) return "rectify_days";
  if (a.modes != b.modes) return "modes";
  if (a.calendar_digest != b.calendar_digest) return "calendar";
  return "";
}

template <typename Acc>
void MergeFamily(LabelledGroups<Acc>& into, LabelledGroups<Acc>& from) {
  for (auto& [labels, acc] : from) AddGroup(into, labels, acc);
}

}  // namespace
}  // namespace engine

size_t DropGroups(Partials* partials,
                  const std::function<bool(const std::vector<std::string>& labels)>& hide) {
  engine::PartialsData& d = partials->data();
  size_t dropped = 0;
  auto drop = [&](auto& groups) {
    dropped += std::erase_if(groups, [&](const auto& group) { return hide(group.first); });
  };
  drop(d.intake);
  drop(d.completion);
  drop(d.tx_pit);
  drop(d.eval);
  drop(d.eval_pit);
  drop(d.cases);
  drop(d.probes);
  drop(d.guides);
  return dropped;
}

Status MergePartials(Partials* into, Partials&& other) {
  engine::PartialsData& a = into->data();
  engine::PartialsData& b = other.data();
  if (const std::string_view field = engine::FirstDifference(a.header, b.header); !field.empty()) {
    return Status::Invalid(fmt::format("the partials differ in their {}", field));
  }
  engine::MergeFamily(a.intake, b.intake);
  engine::MergeFamily(a.completion, b.completion);
  engine::MergeFamily(a.tx_pit, b.tx_pit);
  engine::MergeFamily(a.eval, b.eval);
  engine::MergeFamily(a.eval_pit, b.eval_pit);
  engine::MergeFamily(a.cases, b.cases);
  engine::MergeFamily(a.probes, b.probes);
  engine::MergeFamily(a.guides, b.guides);
  return Status::Ok();
}

std::string SerializePartials(const Partials& partials) {
  using namespace engine;
  const PartialsData& d = partials.data();
  const PartialsHeader& h = d.header;
  std::string out = "{\"format\":\"govqm-partials/1\",\"header\":{";
  out += fmt::format("\"from_ms\":{},\"to_ms\":{},\"keys\":", h.from_ms, h.to_ms);
  std::vector<std::string> keys;
  for (GroupKey k : h.keys) keys.emplace_back(GroupKeyName(k));
  AppendStrings(&out, keys);
  out += ",\"only\":";
  AppendStrings(&out, h.only);
  out += ",\"zone\":";
  AppendJsonString(&out, h.zone);
  out += fmt::format(",\"verify_days\":{},\"rectify_days\":{},\"modes\":", h.verify_days,
                     h.rectify_days);
  AppendArray(&out, h.modes, [&](const std::pair<std::string, std::string>& m) {
    AppendStrings(&out, {m.first, m.second});
  });
  out += ",\"calendar_digest\":";
  AppendJsonString(&out, h.calendar_digest);
  out += "},\"buckets\":{\"starts\":";
  AppendInts(&out, d.buckets.starts);
  out += ",\"ends\":";
  AppendInts(&out, d.buckets.ends);
  out += ",\"day_labels\":";
  AppendStrings(&out, d.buckets.day_label);
  out += ",\"month_labels\":";
  AppendStrings(&out, d.buckets.month_label);
  out += "}";
  AppendFamily(&out, "intake", d.intake);
  AppendFamily(&out, "completion", d.completion);
  AppendPitFamily(&out, "transactions_point_in_time", d.tx_pit);
  AppendFamily(&out, "evaluations", d.eval);
  AppendPitFamily(&out, "evaluations_point_in_time", d.eval_pit);
  AppendFamily(&out, "cases", d.cases);
  AppendFamily(&out, "probes", d.probes);
  AppendFamily(&out, "guides", d.guides);
  out += "}\n";
  return out;
}

Result<Partials> ParsePartials(std::string_view text, const std::string& where) {
  using namespace engine;
  const Reader in(where);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  element root_element;
  if (auto error = parser.parse(padded).get(root_element); error != simdjson::SUCCESS) {
    return in.Fail(simdjson::error_message(error));
  }
  GOVQM_ASSIGN_OR_RETURN(object root, in.Object(root_element, "the file"));
  GOVQM_ASSIGN_OR_RETURN(element format_e, in.Field(root, "format", "the file"));
  GOVQM_ASSIGN_OR_RETURN(std::string format, in.String(format_e, "format"));
  if (format != "govqm-partials/1") return in.Fail(fmt::format("unknown format '{}'", format));

  Partials partials;
  PartialsData& d = partials.data();
  PartialsHeader& h = d.header;
  GOVQM_ASSIGN_OR_RETURN(element he, in.Field(root, "header", "the file"));
  GOVQM_ASSIGN_OR_RETURN(object ho, in.Object(he, "header"));
  auto field = [&](std::string_view name) { return in.Field(ho, name, "header"); };
  GOVQM_ASSIGN_OR_RETURN(element e, field("from_ms"));
  GOVQM_ASSIGN_OR_RETURN(h.from_ms, in.Int(e, "from_ms"));
  GOVQM_ASSIGN_OR_RETURN(e, field("to_ms"));
  GOVQM_ASSIGN_OR_RETURN(h.to_ms, in.Int(e, "to_ms"));
  GOVQM_ASSIGN_OR_RETURN(e, field("keys"));
  GOVQM_ASSIGN_OR_RETURN(std::vector<std::string> keys, in.Strings(e, "keys"));
  for (const std::string& k : keys) {
    const std::optional<GroupKey> key = ParseGroupKey(k);
    if (!key) return in.Fail(fmt::format("unknown group key '{}'", k));
    h.keys.push_back(*key);
  }
  GOVQM_ASSIGN_OR_RETURN(e, field("only"));
  GOVQM_ASSIGN_OR_RETURN(h.only, in.Strings(e, "only"));
  if (auto chosen = SelectIndicators(h.only, h.keys); !chosen.ok()) {
    return in.Fail(chosen.status().message());
  }
  if (h.from_ms >= h.to_ms) return in.Fail("the period is empty");
  GOVQM_ASSIGN_OR_RETURN(e, field("zone"));
  GOVQM_ASSIGN_OR_RETURN(h.zone, in.String(e, "zone"));
  GOVQM_ASSIGN_OR_RETURN(e, field("verify_days"));
  GOVQM_ASSIGN_OR_RETURN(int64_t verify, in.Int(e, "verify_days"));
  GOVQM_ASSIGN_OR_RETURN(e, field("rectify_days"));
  GOVQM_ASSIGN_OR_RETURN(int64_t rectify, in.Int(e, "rectify_days"));
  h.verify_days = static_cast<int>(verify);
  h.rectify_days = static_cast<int>(rectify);
  GOVQM_ASSIGN_OR_RETURN(e, field("modes"));
  GOVQM_ASSIGN_OR_RETURN(array modes, in.Array(e, "modes"));
  for (element m : modes) {
    GOVQM_ASSIGN_OR_RETURN(std::vector<std::string> pair, in.Strings(m, "modes"));
    if (pair.size() != 2) return in.Fail("a mode is not [channel, mode]");
    h.modes.emplace_back(pair[0], pair[1]);
  }
  GOVQM_ASSIGN_OR_RETURN(e, field("calendar_digest"));
  GOVQM_ASSIGN_OR_RETURN(h.calendar_digest, in.String(e, "calendar_digest"));

  GOVQM_ASSIGN_OR_RETURN(element be, in.Field(root, "buckets", "the file"));
  GOVQM_ASSIGN_OR_RETURN(object bo, in.Object(be, "buckets"));
  GOVQM_ASSIGN_OR_RETURN(e, in.Field(bo, "starts", "buckets"));
  GOVQM_ASSIGN_OR_RETURN(d.buckets.starts, in.Ints(e, "buckets"));
  GOVQM_ASSIGN_OR_RETURN(e, in.Field(bo, "ends", "buckets"));
  GOVQM_ASSIGN_OR_RETURN(d.buckets.ends, in.Ints(e, "buckets"));
  GOVQM_ASSIGN_OR_RETURN(e, in.Field(bo, "day_labels", "buckets"));
  GOVQM_ASSIGN_OR_RETURN(d.buckets.day_label, in.Strings(e, "buckets"));
  GOVQM_ASSIGN_OR_RETURN(e, in.Field(bo, "month_labels", "buckets"));
  GOVQM_ASSIGN_OR_RETURN(d.buckets.month_label, in.Strings(e, "buckets"));
  const size_t nb = d.buckets.starts.size();
  if (nb == 0 || d.buckets.ends.size() != nb || d.buckets.day_label.size() != nb ||
      d.buckets.month_label.size() != nb || d.buckets.starts.front() != h.from_ms ||
      d.buckets.ends.back() != h.to_ms) {
    return in.Fail("the buckets do not cover the period");
  }
  d.buckets.from = h.from_ms;
  d.buckets.to = h.to_ms;

  const size_t k = h.keys.size();
  GOVQM_RETURN_IF_ERROR(in.Family(root, "intake", k, &d.intake));
  GOVQM_RETURN_IF_ERROR(in.Family(root, "completion", k, &d.completion));
  GOVQM_RETURN_IF_ERROR(in.PitFamily(root, "transactions_point_in_time", k, nb, &d.tx_pit));
  GOVQM_RETURN_IF_ERROR(in.Family(root, "evaluations", k, &d.eval));
  GOVQM_RETURN_IF_ERROR(in.PitFamily(root, "evaluations_point_in_time", k, nb, &d.eval_pit));
  GOVQM_RETURN_IF_ERROR(in.Family(root, "cases", k, &d.cases));
  GOVQM_RETURN_IF_ERROR(in.Family(root, "probes", k, &d.probes));
  GOVQM_RETURN_IF_ERROR(in.Family(root, "guides", k, &d.guides));
  return partials;
}

}  // namespace govqm

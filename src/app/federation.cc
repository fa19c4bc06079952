#include "app/federation.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "app/common.h"
#include "app/render/json.h"
#include "app/scope.h"
#include "app/scoring_input.h"
#include "platform/file.h"
#include "security/signed_envelope.h"
#include "security/signing.h"
#include "store/dataset_loader.h"

namespace govqm::app {
namespace {

// The payload of a partials file: the engine's partials and what scoring reads besides.
//   {"format":"govqm-partials-file/1","period":{"from":TEXT,"to":TEXT},
//    "names":[[CODE,NAME],...],"org":[[UNIT,PERIOD,BLOCK,INDICATOR,VALUE|null],...],
//    "partials":SerializePartials' object}
// Names sorted by code, org rows by identity: the same store gives the same bytes.
constexpr std::string_view kPayloadFormat = "govqm-partials-file/1";

struct OrgRow {
  std::string unit, period, block, indicator;
  std::optional<double> value;
  auto identity() const { return std::tie(unit, period, block, indicator); }
};

struct Payload {
  std::string from_text, to_text;
  std::vector<std::pair<std::string, std::string>> names;
  std::vector<OrgRow> org;
  Partials partials;
};

std::string_view BlockName(int8_t block) {
  const auto vocab = GetKindDef(Kind::kOrg).columns[org_col::kBlock].vocab;
  return block >= 0 && static_cast<size_t>(block) < vocab.size() ? vocab[block] : "";
}

int8_t BlockOf(std::string_view name) {
  const auto vocab = GetKindDef(Kind::kOrg).columns[org_col::kBlock].vocab;
  for (size_t i = 0; i < vocab.size(); ++i) {
    if (vocab[i] == name) return static_cast<int8_t>(i);
  }
  return kNullBool;
}

std::string PayloadText(const Payload& p) {
  using render::JsonString;
  std::string out = fmt::format("{{\"format\":{},\"period\":{{\"from\":{},\"to\":{}}},\"names\":[",
                                JsonString(kPayloadFormat), JsonString(p.from_text),
                                JsonString(p.to_text));
  for (size_t i = 0; i < p.names.size(); ++i) {
    out += fmt::format("{}[{},{}]", i ? "," : "", JsonString(p.names[i].first),
                       JsonString(p.names[i].second));
  }
  out += "],\"org\":[";
  for (size_t i = 0; i < p.org.size(); ++i) {
    const OrgRow& r = p.org[i];
    out += fmt::format("{}\n[{},{},{},{},{}]", i ? "," : "", JsonString(r.unit),
                       JsonString(r.period), JsonString(r.block), JsonString(r.indicator),
                       render::JsonNumber(r.value));
  }
  std::string partials = SerializePartials(p.partials);
  while (!partials.empty() && partials.back() == '\n') partials.pop_back();
  out += "],\n\"partials\":";
  out += partials;
  out += "}";
  return out;
}

// Reads the payload of `file` (its signature checked already).
class PayloadReader {
 public:
  explicit PayloadReader(const std::string& file) : file_(file) {}

  Result<Payload> Read(std::string_view text) {
    namespace od = simdjson::ondemand;
    od::parser parser;
    const simdjson::padded_string padded(text);
    od::document doc;
    od::object root;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(root)) return Fail("not a JSON object");
    Payload p;
    bool format = false, period = false, names = false, org = false, partials = false;
    for (auto field_result : root) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return Fail("broken JSON");
      od::value value = field.value();
      if (key == "format") {
        GOVQM_ASSIGN_OR_RETURN(const std::string f, String(value, "format"));
        if (f != kPayloadFormat) return Fail(fmt::format("unknown format '{}'", f));
        format = true;
      } else if (key == "period") {
        od::object o;
        if (value.get_object().get(o)) return Fail("period is not an object");
        for (auto pf : o) {
          od::field f;
          std::string_view k;
          if (std::move(pf).get(f) || f.unescaped_key().get(k)) return Fail("broken JSON");
          od::value v = f.value();
          if (k == "from") {
            GOVQM_ASSIGN_OR_RETURN(p.from_text, String(v, "period.from"));
          } else if (k == "to") {
            GOVQM_ASSIGN_OR_RETURN(p.to_text, String(v, "period.to"));
          }
        }
        period = true;
      } else if (key == "names") {
        od::array a;
        if (value.get_array().get(a)) return Fail("names is not an array");
        for (auto item : a) {
          GOVQM_ASSIGN_OR_RETURN(const std::vector<Scalar> pair, Scalars(item, 2, "a name"));
          if (!pair[0].text || !pair[1].text) return Fail("a name is not [code, name]");
          p.names.emplace_back(*pair[0].text, *pair[1].text);
        }
        names = true;
      } else if (key == "org") {
        od::array a;
        if (value.get_array().get(a)) return Fail("org is not an array");
        for (auto item : a) {
          GOVQM_ASSIGN_OR_RETURN(const std::vector<Scalar> row, Scalars(item, 5, "an org row"));
          if (!row[0].text || !row[1].text || !row[2].text || !row[3].text ||
              (!row[4].number && !row[4].null)) {
            return Fail("an org row is not [unit, period, block, indicator, value or null]");
          }
          OrgRow r{*row[0].text, *row[1].text, *row[2].text, *row[3].text, row[4].number};
          if (BlockOf(r.block) == kNullBool) {
            return Fail(fmt::format("org row block '{}' is none of the blocks", r.block));
          }
          p.org.push_back(std::move(r));
        }
        org = true;
      } else if (key == "partials") {
        od::object o;
        std::string_view raw;
        if (value.get_object().get(o) || o.raw_json().get(raw)) return Fail("partials is not an object");
        // The last field, closed by the payload's last byte: nothing may follow it.
        const size_t at = static_cast<size_t>(raw.data() - padded.data());
        while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back()))) {
          raw.remove_suffix(1);
        }
        if (at + raw.size() + 1 != text.size() || text.back() != '}') {
          return Fail("partials is not the last field");
        }
        GOVQM_ASSIGN_OR_RETURN(p.partials, ParsePartials(raw, file_));
        partials = true;
      } else {
        return Fail(fmt::format("unknown field '{}'", key));
      }
    }
    if (!(format && period && names && org && partials)) {
      return Fail("format, period, names, org and partials are all required");
    }
    return p;
  }

 private:
  Status Fail(std::string_view what) const {
    return Status::Invalid(fmt::format("{}: not a valid partials file: {}", file_, what));
  }
  Result<std::string> String(simdjson::ondemand::value& v, std::string_view what) const {
    std::string_view s;
    if (v.get_string().get(s)) return Fail(fmt::format("{} is not a string", what));
    return std::string(s);
  }
  // A string, a number or null.
  struct Scalar {
    std::optional<std::string> text;
    std::optional<double> number;
    bool null = false;
  };
  // The `n` scalars of an array of exactly n, read in document order (on demand: a value is
  // read where the parser stands, or never).
  template <typename Item>
  Result<std::vector<Scalar>> Scalars(Item& item, size_t n, std::string_view what) const {
    namespace od = simdjson::ondemand;
    od::array a;
    if (item.get_array().get(a)) return Fail(fmt::format("{} is not an array", what));
    std::vector<Scalar> out;
    for (auto x : a) {
      od::value v;
      od::json_type type;
      if (x.get(v) || v.type().get(type)) return Fail("broken JSON");
      Scalar s;
      if (type == od::json_type::string) {
        std::string_view text;
        if (v.get_string().get(text)) return Fail("broken JSON");
        s.text = std::string(text);
      } else if (type == od::json_type::number) {
        double d;
        if (v.get_double().get(d)) return Fail(fmt::format("{}: a number out of range", what));
        s.number = d;
      } else if (type == od::json_type::null) {
        if (!v.is_null()) return Fail("broken JSON");
        s.null = true;
      } else {
        return Fail(fmt::format("{} holds an array or object", what));
      }
      out.push_back(std::move(s));
      if (out.size() > n) break;
    }
    if (out.size() != n) return Fail(fmt::format("{} is not {} values", what, n));
    return out;
  }
  const std::string& file_;
};

// The in-scope org rows a score over the period may read: those whose period overlaps it, and
// those whose period is not understood (scoring notes them).
std::vector<OrgRow> OrgRowsOfPeriod(const Table& org, const TimeZone& zone, int64_t from,
                                    int64_t to) {
  std::vector<OrgRow> rows;
  for (size_t r = 0; r < org.rows(); ++r) {
    int64_t start, end;
    const std::string period(org.col(org_col::kPeriod).CodeAt(r));
    if (OrgPeriodBounds(period, zone, &start, &end) && (start >= to || end <= from)) continue;
    const double v = org.col(org_col::kValue).reals[r];
    rows.push_back({std::string(org.col(org_col::kUnitCode).CodeAt(r)), period,
                    std::string(BlockName(org.col(org_col::kBlock).bytes[r])),
                    std::string(org.col(org_col::kIndicator).CodeAt(r)),
                    IsNull(v) ? std::nullopt : std::optional<double>(v)});
  }
  std::sort(rows.begin(), rows.end(),
            [](const OrgRow& a, const OrgRow& b) { return a.identity() < b.identity(); });
  return rows;
}

std::string KeysText(const std::vector<GroupKey>& keys) {
  std::string out;
  for (GroupKey k : keys) out += (out.empty() ? "" : ",") + std::string(GroupKeyName(k));
  return out.empty() ? "(none)" : out;
}

std::string ListText(const std::vector<std::string>& items, std::string_view empty) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? std::string(empty) : out;
}

std::string ModesText(const std::vector<std::pair<std::string, std::string>>& modes) {
  std::string out;
  for (const auto& [channel, mode] : modes) out += (out.empty() ? "" : ",") + channel + "=" + mode;
  return out;
}

// kInvalidInput naming `file` and the first header field where `h` differs from `first`'s.
Status CompareHeaders(const PartialsHeader& first, const Payload& first_payload,
                      const std::string& first_file, const PartialsHeader& h,
                      const Payload& payload, const std::string& file) {
  // "FILE: keys channel, but FIRST has city: partials of different keys do not merge"
  auto differ = [&](std::string_view field, const std::string& mine, const std::string& theirs,
                    std::string_view plural = {}) {
    return Status::Invalid(fmt::format(
        "{}: {} {}, but {} has {}: partials of different {} do not merge", file, field, mine,
        first_file, theirs, plural.empty() ? field : plural));
  };
  auto period = [](const PartialsHeader& x, const Payload& p) {
    return fmt::format("[{}, {}) ({} to {})", p.from_text, p.to_text, FormatInstant(x.from_ms),
                       FormatInstant(x.to_ms));
  };
  if (h.from_ms != first.from_ms || h.to_ms != first.to_ms) {
    return differ("period", period(h, payload), period(first, first_payload), "periods");
  }
  if (h.keys != first.keys) return differ("keys", KeysText(h.keys), KeysText(first.keys));
  if (h.only != first.only) {
    return differ("indicators", ListText(h.only, "all"), ListText(first.only, "all"),
                  "indicator lists");
  }
  if (h.zone != first.zone) return differ("zone", h.zone, first.zone, "zones");
  if (h.verify_days != first.verify_days) {
    return differ("verify_days", std::to_string(h.verify_days), std::to_string(first.verify_days));
  }
  if (h.rectify_days != first.rectify_days) {
    return differ("rectify_days", std::to_string(h.rectify_days),
                  std::to_string(first.rectify_days));
  }
  if (h.modes != first.modes) return differ("channel modes", ModesText(h.modes), ModesText(first.modes));
  if (h.calendar_digest != first.calendar_digest) {
    return differ("working-day calendar", "digest " + h.calendar_digest,
                  "digest " + first.calendar_digest, "calendars");
  }
  return Status::Ok();
}

}  // namespace

Result<SignedPartials> MakeSignedPartials(const Store& store, const PartialsRequest& request) {
  if (request.keys.empty()) return Status::Usage("--by KEY is required (e.g. --by city)");
  // One snapshot for the calendar, the org rows and every kind the engine reads.
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  GOVQM_ASSIGN_OR_RETURN(
      const std::unique_ptr<PeriodEngine> engine,
      SetUpPeriodEngine(store, request.zone, request.from, request.to, request.keys));
  const EngineOptions& options = engine->options;

  DatasetStreams streams;
  const DatasetNeeds needs{options.keys, options.only};
  GOVQM_ASSIGN_OR_RETURN(const Dataset data,
                         LoadScopedDataset(store, request.scope, &streams, &needs));
  const ScopeFilter scope(request.scope, data.regions, data.departments);
  Payload payload;
  payload.from_text = request.from;
  payload.to_text = request.to;
  GOVQM_ASSIGN_OR_RETURN(payload.partials, ComputePartials(data, options));
  if (!scope.unrestricted()) {
    // A group the scope hides (a department of a region beside the subtree) never leaves the
    // city, as `indicators` under the scope never shows it.
    DropGroups(&payload.partials, [&](const std::vector<std::string>& labels) {
      for (size_t k = 0; k < options.keys.size() && k < labels.size(); ++k) {
        if (!scope.GroupVisible(options.keys[k], labels[k])) return true;
      }
      return false;
    });
  }
  // What scoring reads besides indicator values, for partials by one unit key.
  if (options.keys.size() == 1) {
    const GroupKey k = options.keys[0];
    if (k == GroupKey::kRegion || k == GroupKey::kCity) {
      for (size_t r = 0; r < data.regions.rows(); ++r) {
        payload.names.emplace_back(data.regions.col(regions_col::kCode).CodeAt(r),
                                   data.regions.col(regions_col::kName).TextAt(r));
      }
    } else if (k == GroupKey::kDept) {
      for (size_t r = 0; r < data.departments.rows(); ++r) {
        payload.names.emplace_back(data.departments.col(departments_col::kCode).CodeAt(r),
                                   data.departments.col(departments_col::kName).TextAt(r));
      }
    }
    std::sort(payload.names.begin(), payload.names.end());
    payload.names.erase(std::unique(payload.names.begin(), payload.names.end()),
                        payload.names.end());
    if (OrgUnitKey(k)) {
      GOVQM_ASSIGN_OR_RETURN(Table org, store.Load(Kind::kOrg));
      if (!scope.unrestricted()) {
        GOVQM_ASSIGN_OR_RETURN(const std::vector<bool> keep, scope.Mask(org));
        org.KeepRows(keep);
      }
      payload.org = OrgRowsOfPeriod(org, *engine->zone, options.from_ms, options.to_ms);
    }
  }

  // The key last: a run that fails before signing makes none, so the one that makes it is
  // the one that says so.
  const std::string key_path = request.key_file.empty()
                                   ? security::SigningKeyPathBeside(store.path())
                                   : request.key_file;
  GOVQM_ASSIGN_OR_RETURN(security::OpenedSigningKey key,
                         security::OpenOrCreateSigningKey(key_path));
  SignedPartials out;
  out.groups = payload.partials.groups();
  out.org_rows = payload.org.size();
  out.bytes = security::SealEnvelope(key.key, kPartialsContent, PayloadText(payload));
  out.signer = key.key.name();
  out.key_path = key.path;
  out.public_path = key.public_path;
  out.key_created = key.created;
  out.public_written = key.public_written;
  return out;
}

Result<MergedPartials> MergePartialsFiles(const MergeRequest& request) {
  if (request.files.empty()) return Status::Usage("merge needs at least one partials FILE");
  GOVQM_ASSIGN_OR_RETURN(const security::TrustedKeys trusted,
                         security::TrustedKeys::LoadDir(request.trust_dir));
  // Every file is read and checked before anything is merged: one bad file, no answer.
  std::vector<Payload> payloads;
  MergedPartials merged;
  for (const std::string& file : request.files) {
    GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(file));
    GOVQM_ASSIGN_OR_RETURN(const security::OpenedEnvelope envelope,
                           security::OpenEnvelope(text, kPartialsContent, trusted, file));
    for (const MergedSource& earlier : merged.sources) {
      if (earlier.payload_sha256 == envelope.payload_sha256) {
        return Status::Invalid(fmt::format(
            "{}: the same partials as {} (payload SHA-256 {}): a city's records count once",
            file, earlier.file, envelope.payload_sha256));
      }
      if (earlier.signer == envelope.signer) {  // a name is one key in the trust directory
        return Status::Invalid(fmt::format(
            "{}: signed by '{}' as {} is: a city's records count once (merge one file per city)",
            file, envelope.signer, earlier.file));
      }
    }
    GOVQM_ASSIGN_OR_RETURN(Payload payload, PayloadReader(file).Read(envelope.payload));
    if (!payloads.empty()) {
      GOVQM_RETURN_IF_ERROR(CompareHeaders(payloads[0].partials.header(), payloads[0],
                                           request.files[0], payload.partials.header(), payload,
                                           file));
    }
    merged.sources.push_back({file, envelope.signer, envelope.trusted->file,
                              envelope.payload_sha256, payload.partials.groups()});
    payloads.push_back(std::move(payload));
  }

  // Names and org rows: the union, each org identity once (a row two files both carry is
  // one record, as in one store); files that disagree are named.
  std::map<std::tuple<std::string, std::string, std::string, std::string>,
           std::pair<std::optional<double>, size_t>>
      org;
  std::map<std::string, size_t, std::less<>> name_file;
  for (size_t f = 0; f < payloads.size(); ++f) {
    for (auto& [code, name] : payloads[f].names) {
      auto [it, fresh] = merged.names.try_emplace(code, name);
      if (fresh) {
        name_file[code] = f;
      } else if (it->second != name && !merged.name_conflicts.count(code)) {
        merged.name_conflicts[code] =
            fmt::format("{} and {}", request.files[name_file[code]], request.files[f]);
      }
    }
    for (OrgRow& r : payloads[f].org) {
      auto [it, fresh] = org.try_emplace({r.unit, r.period, r.block, r.indicator},
                                         std::pair{r.value, f});
      if (!fresh && it->second.first != r.value) {
        return Status::Invalid(fmt::format(
            "{}: org row (unit {}, period {}, block {}, indicator {}) has another value in {}: "
            "which one holds cannot be told",
            request.files[f], r.unit, r.period, r.block, r.indicator,
            request.files[it->second.second]));
      }
    }
  }
  Table& t = merged.org;
  for (const auto& [identity, value] : org) {
    const auto& [unit, period, block, indicator] = identity;
    t.col(org_col::kUnitCode).codes.push_back(t.col(org_col::kUnitCode).dict.Intern(unit));
    t.col(org_col::kPeriod).codes.push_back(t.col(org_col::kPeriod).dict.Intern(period));
    t.col(org_col::kBlock).bytes.push_back(BlockOf(block));
    t.col(org_col::kIndicator).codes.push_back(t.col(org_col::kIndicator).dict.Intern(indicator));
    t.col(org_col::kValue).reals.push_back(value.first ? *value.first : kNullReal);
    t.col(org_col::kEvidence).offsets.push_back(t.col(org_col::kEvidence).text.size());
  }
  t.SetRows(org.size());

  merged.header = payloads[0].partials.header();
  merged.from_text = payloads[0].from_text;
  merged.to_text = payloads[0].to_text;
  Partials all = std::move(payloads[0].partials);
  for (size_t f = 1; f < payloads.size(); ++f) {
    if (Status s = MergePartials(&all, std::move(payloads[f].partials)); !s.ok()) {
      return Status(s.code(), fmt::format("{}: {}", request.files[f], s.message()));
    }
  }
  merged.indicators.keys = merged.header.keys;
  merged.indicators.rows = FinishPartials(all);
  if (merged.header.keys.size() == 1 &&
      (merged.header.keys[0] == GroupKey::kRegion || merged.header.keys[0] == GroupKey::kCity)) {
    for (const auto& [code, name] : merged.names) merged.indicators.region_names.emplace(code, name);
  }
  return merged;
}

Result<ScoreOutput> ScoreMergedPartials(LoadedFramework framework, const MergedPartials& merged,
                                        const std::optional<UncertaintyOptions>& uncertainty) {
  const Framework& fw = framework.fw;
  const PartialsHeader& h = merged.header;
  if (h.keys.size() != 1) {
    return Status::Invalid(fmt::format(
        "merge --score needs partials by one key (these are by {}): write them with --by KEY",
        KeysText(h.keys)));
  }
  const std::vector<std::string> codes = EngineCodesOf(fw);
  if (!h.only.empty()) {
    for (const std::string& c : codes) {
      if (std::find(h.only.begin(), h.only.end(), c) == h.only.end()) {
        return Status::Invalid(fmt::format(
            "{}: the partials hold only {}; the framework reads {} too", merged.sources[0].file,
            ListText(h.only, ""), c));
      }
    }
  }
  ScoringInput in;
  std::string files;
  for (const MergedSource& s : merged.sources) {
    files += fmt::format("{}{} ({})", files.empty() ? "" : ", ", s.file, s.signer);
  }
  in.source = "partials " + files;
  in.key = h.keys[0];
  in.by = std::string(GroupKeyName(h.keys[0]));
  in.from_text = merged.from_text;
  in.to_text = merged.to_text;
  GOVQM_ASSIGN_OR_RETURN(in.zone, ResolveZone(h.zone, h.zone));
  in.options.from_ms = h.from_ms;
  in.options.to_ms = h.to_ms;
  in.options.keys = h.keys;
  in.options.zone = in.zone.get();
  in.options.only = codes;
  // The rows a store's score computes: the framework's codes only (a group with records of
  // other indicators alone is no unit there either).
  const std::set<std::string_view> wanted(codes.begin(), codes.end());
  std::vector<IndicatorRow> rows;
  for (const IndicatorRow& r : merged.indicators.rows) {
    if (wanted.count(r.indicator)) rows.push_back(r);
  }
  AddEngineValues(fw, rows, &in);
  AddOrgValues(fw, merged.org, &in);
  for (const std::string& unit : in.values.units) {
    if (auto c = merged.name_conflicts.find(unit); c != merged.name_conflicts.end()) {
      return Status::Invalid(
          fmt::format("unit {}: {} give it different names (their reference data differ)", unit,
                      c->second));
    }
  }
  AddUnitNames(merged.names, &in);
  if (in.values.units.empty()) {
    return Status::Invalid(
        fmt::format("no records in [{}, {}) to score", in.from_text, in.to_text));
  }
  GOVQM_ASSIGN_OR_RETURN(ScoreResult res, ScoreUnits(fw, in.values));
  if (uncertainty) GOVQM_RETURN_IF_ERROR(RankUncertainty(fw, in.values, *uncertainty, &res));
  return ScoreOutput{std::move(framework), std::move(in), std::move(res)};
}

}  // namespace govqm::app

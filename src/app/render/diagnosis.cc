#include "app/render/diagnosis.h"

#include <fmt/format.h>

#include "app/render/json.h"
#include "app/render/score.h"
#include "app/render/table.h"
#include "app/render/text.h"
#include "core/engine/catalog.h"

namespace govqm::render {
namespace {

constexpr const char* kQuartileRule =
    "q = ceil(N/4) of the N compared units (the unit included; units below min_sample left "
    "out); top quartile: rank <= q; bottom quartile: rank > N - q; neither when N < 2";
constexpr const char* kLossRule =
    "effective global weight x (100 - score): the weight renormalised over the unit's scored "
    "siblings, multiplied up to the index";

// Short text of a value: 4 significant digits.
std::string Short(const std::optional<double>& v) {
  return v ? fmt::format("{:.4g}", *v) : std::string("-");
}

// A comment on one line, for text and tables.
std::string OneLine(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

std::string OrNull(const std::string& s) { return s.empty() ? "null" : JsonString(s); }

class Diagnosis {
 public:
  explicit Diagnosis(const app::DiagnoseResult& r)
      : r_(r),
        fw_(r.score.framework.fw),
        in_(r.score.input),
        us_(r.score.result.units[r.unit]) {}

  std::string Level(const DiagnosedItem& it) const {
    return it.indicator ? "indicator" : std::string(NodeKindName(fw_.nodes[it.index].kind));
  }
  const std::string& Code(const DiagnosedItem& it) const {
    return it.indicator ? fw_.indicators[it.index].code : fw_.nodes[it.index].code;
  }
  const std::string& Name(const DiagnosedItem& it) const {
    return it.indicator ? fw_.indicators[it.index].name : fw_.nodes[it.index].name;
  }
  const std::string& NameEn(const DiagnosedItem& it) const {
    return it.indicator ? fw_.indicators[it.index].name_en : fw_.nodes[it.index].name_en;
  }
  std::string Parent(const DiagnosedItem& it) const {
    const int p = it.indicator ? fw_.indicators[it.index].parent : fw_.nodes[it.index].parent;
    return p >= 0 ? fw_.nodes[p].code : "";
  }
  static const char* Quartile(const DiagnosedItem& it) {
    if (it.compared < 2 || it.rank == 0) return nullptr;
    return it.top_quartile ? "top" : it.bottom_quartile ? "bottom" : "middle";
  }
  int ComparedUnits() const {
    int n = 0;
    for (const UnitScore& u : r_.score.result.units) n += u.below_min_sample ? 0 : 1;
    return n;
  }

  // What the item's value rests on, as JSON (null when nothing is known).
  std::string CountsJson(const DiagnosedItem& it) const {
    if (!it.indicator) {
      const Node& n = fw_.nodes[it.index];
      int scored = 0;
      for (int c : n.indicators) scored += us_.indicator_score[c] ? 1 : 0;
      return fmt::format("{{\"indicators_scored\":{},\"indicators\":{}}}", scored,
                         n.indicators.size());
    }
    const IndicatorSpec& s = fw_.indicators[it.index];
    const int catalog = FindIndicator(s.code);
    if (catalog < 0) {
      if (in_.org_rows.size() <= r_.unit) return "null";
      return fmt::format("{{\"org_periods\":{}}}", in_.org_rows[r_.unit][it.index].size());
    }
    const auto& b = r_.base[it.index];
    if (!b) return "null";
    return fmt::format("{{\"measure\":{},\"numerator\":{},\"denominator\":{},\"sample\":{}}}",
                       JsonString(MeasureName(Catalog()[catalog].measure)),
                       NumberText(b->numerator), NumberText(b->denominator),
                       NumberText(b->sample));
  }

  // The same, for a reader ("912 / 1000; 1000 records").
  std::string CountsText(const DiagnosedItem& it) const {
    if (!it.indicator) {
      const Node& n = fw_.nodes[it.index];
      int scored = 0;
      for (int c : n.indicators) scored += us_.indicator_score[c] ? 1 : 0;
      return fmt::format("{} of {} indicators scored", scored, n.indicators.size());
    }
    const IndicatorSpec& s = fw_.indicators[it.index];
    const int catalog = FindIndicator(s.code);
    if (catalog < 0) {
      if (in_.org_rows.size() <= r_.unit) return "";
      return fmt::format("mean of {} org period(s)", in_.org_rows[r_.unit][it.index].size());
    }
    const auto& b = r_.base[it.index];
    if (!b) return "";
    const IndicatorInfo& info = Catalog()[catalog];
    if (info.measure == Measure::kRatio) {
      return fmt::format("{} {} / {} {}; {} records", NumberText(b->numerator), info.numerator,
                         NumberText(b->denominator), info.denominator, NumberText(b->sample));
    }
    if (!info.denominator.empty()) {
      return fmt::format("over {} {}; {} records", NumberText(b->denominator), info.denominator,
                         NumberText(b->sample));
    }
    return fmt::format("{} records", NumberText(b->sample));
  }

  std::string ItemJson(const DiagnosedItem& it) const {
    const char* quartile = Quartile(it);
    return fmt::format(
        "{{\"level\":{},\"code\":{},\"name\":{},\"name_en\":{},\"parent\":{},\"value\":{},"
        "\"score\":{},\"target\":{},\"target_score\":{},\"direction\":{},\"below_target\":{},"
        "\"peers_median\":{},\"rank\":{},\"compared\":{},\"quartile\":{},\"weight\":{},"
        "\"loss\":{},\"counts\":{}",
        JsonString(Level(it)), JsonString(Code(it)), OrNull(Name(it)), OrNull(NameEn(it)),
        OrNull(Parent(it)), JsonNumber(it.value), JsonNumber(it.score), JsonNumber(it.target),
        NumberText(it.target_score),
        it.indicator ? JsonString(DirectionName(fw_.indicators[it.index].direction)) : "null",
        it.below_target ? "true" : "false", JsonNumber(it.peers_median),
        it.rank > 0 ? std::to_string(it.rank) : "null", it.compared,
        quartile ? JsonString(quartile) : "null", NumberText(it.weight), NumberText(it.loss),
        CountsJson(it));
  }

  // The item of a difficulty in each previous period.
  std::string HistoryJson(const DiagnosedItem& it) const {
    std::string out = "[";
    for (size_t k = 0; k < r_.previous.size(); ++k) {
      const app::PreviousPeriod& p = r_.previous[k];
      const DiagnosedItem* then = p.diagnosis.Find(it.indicator, it.index);
      out += fmt::format(
          "{}{{\"from\":{},\"to\":{},\"value\":{},\"score\":{},\"rank\":{},\"compared\":{},"
          "\"quartile\":{},\"loss\":{}}}",
          k ? "," : "", JsonString(p.from), JsonString(p.to),
          then ? JsonNumber(then->value) : "null", then ? JsonNumber(then->score) : "null",
          then && then->rank > 0 ? std::to_string(then->rank) : "null",
          then ? std::to_string(then->compared) : "null",
          then && Quartile(*then) ? JsonString(Quartile(*then)) : "null",
          then ? NumberText(then->loss) : "null");
    }
    return out + "]";
  }

  static std::string ExamplesJson(const std::vector<app::PainExample>& ex) {
    std::string out = "[";
    for (size_t k = 0; k < ex.size(); ++k) {
      out += fmt::format("{}{{\"id\":{},\"comment\":{}}}", k ? "," : "", JsonString(ex[k].id),
                         JsonString(ex[k].comment));
    }
    return out + "]";
  }

  std::vector<std::string> Notes() const {
    std::vector<std::string> notes;
    if (us_.below_min_sample) {
      notes.push_back(fmt::format(
          "{} has {} records, fewer than min_sample {}: it is not scored, so it has no weak "
          "points, difficulties or highlights; its pain points are counted from its records",
          us_.unit, NumberText(us_.sample.value_or(0)), fw_.min_sample));
    } else if (ComparedUnits() < 2) {
      notes.push_back(
          "no other unit is compared (in scope, with enough records): no quartiles, so no weak "
          "points, difficulties or highlights");
    }
    for (const app::PreviousPeriod& p : r_.previous) {
      if (p.state == app::PreviousPeriod::State::kDiagnosed) continue;
      const char* why = p.state == app::PreviousPeriod::State::kBelowMinSample
                            ? "the unit was below min_sample"
                        : p.state == app::PreviousPeriod::State::kUnitAbsent
                            ? "the unit had no records"
                            : "there were no records";
      notes.push_back(fmt::format("[{}, {}): {}, so nothing of this period is a difficulty",
                                  p.from, p.to, why));
    }
    for (const std::string& n : in_.notes) notes.push_back(n);
    return notes;
  }

  std::string Json() const {
    std::string out = "{\n";
    out += fmt::format("\"framework\":{{\"name\":{},\"version\":{},\"file\":{},\"shape\":{}}},\n",
                       JsonString(fw_.name), JsonString(fw_.version),
                       JsonString(r_.score.framework.path),
                       JsonString(fw_.matrix ? "matrix" : "tree"));
    out += fmt::format("\"source\":{},\"period\":{{\"from\":{},\"to\":{}}},\"by\":{},\n",
                       JsonString(in_.source), JsonString(in_.from_text), JsonString(in_.to_text),
                       JsonString(in_.by));
    out += fmt::format(
        "\"unit\":{{\"unit\":{},\"name\":{},\"sample\":{},\"index\":{},\"grade\":{},"
        "\"grade_en\":{},\"rank\":{},\"rank_note\":{},\"below_min_sample\":{}}},\n",
        JsonString(us_.unit), OrNull(in_.names[r_.unit]), JsonNumber(us_.sample),
        JsonNumber(us_.node_score.empty() ? std::nullopt : us_.node_score[0]),
        us_.grade ? JsonString(us_.grade->label) : "null",
        us_.grade ? JsonString(us_.grade->label_en) : "null",
        us_.rank > 0 ? std::to_string(us_.rank) : "null", OrNull(us_.rank_note),
        us_.below_min_sample ? "true" : "false");
    out += fmt::format(
        "\"min_sample\":{},\"compared_units\":{},\"show_records\":{},\"stopwords\":{},\n",
        fw_.min_sample, ComparedUnits(), r_.show_records ? "true" : "false",
        JsonString(r_.stopwords_file));
    out += fmt::format(
        "\"definitions\":{{\"quartile\":{},\"node_target\":{},\"loss\":{},"
        "\"difficulty_periods\":{}}},\n",
        JsonString(kQuartileRule), NumberText(NodeTarget(fw_)), JsonString(kLossRule),
        app::kDifficultyPeriods);
    out += "\"notes\":" + JsonStrings(Notes()) + ",\n";
    const UnitDiagnosis& d = r_.current;
    auto list = [&](const char* name, const std::vector<size_t>& items, bool history) {
      std::string s = fmt::format("\"{}\":[", name);
      for (size_t k = 0; k < items.size(); ++k) {
        const DiagnosedItem& it = d.items[items[k]];
        s += (k ? ",\n" : "\n") + ItemJson(it);
        if (history) s += ",\"history\":" + HistoryJson(it);
        s += "}";
      }
      return s + "],\n";
    };
    out += list("weak_points", d.weak, false);
    out += list("difficulties", r_.difficulties, true);
    out += list("highlights", d.highlights, false);
    const app::PainPoints& p = r_.pain;
    out += fmt::format(
        "\"pain_points\":{{\"evaluations\":{},\"bad_reviews\":{},\"with_reasons\":{},"
        "\"commented\":{},\n\"reasons\":[",
        p.evaluations, p.bad_reviews, p.with_reasons, p.commented);
    for (size_t k = 0; k < p.reasons.size(); ++k) {
      const app::PainReason& x = p.reasons[k];
      out += fmt::format("{}{{\"code\":{},\"count\":{},\"share\":{},\"examples\":{}}}",
                         k ? ",\n" : "\n", JsonString(x.code), x.count,
                         NumberText(static_cast<double>(x.count) / p.bad_reviews),
                         ExamplesJson(x.examples));
    }
    out += "],\n\"words\":[";
    for (size_t k = 0; k < p.words.size(); ++k) {
      const app::PainWord& x = p.words[k];
      out += fmt::format(
          "{}{{\"word\":{},\"comments\":{},\"occurrences\":{},\"share\":{},\"examples\":{}}}",
          k ? ",\n" : "\n", JsonString(x.word), x.comments, x.occurrences,
          NumberText(static_cast<double>(x.comments) / p.commented), ExamplesJson(x.examples));
    }
    out += "]},\n\"previous_periods\":[";
    for (size_t k = 0; k < r_.previous.size(); ++k) {
      const app::PreviousPeriod& pp = r_.previous[k];
      std::string weak = "[";
      if (pp.state == app::PreviousPeriod::State::kDiagnosed) {
        for (size_t w = 0; w < pp.diagnosis.weak.size(); ++w) {
          const DiagnosedItem& it = pp.diagnosis.items[pp.diagnosis.weak[w]];
          weak += fmt::format("{}{{\"level\":{},\"code\":{}}}", w ? "," : "",
                              JsonString(Level(it)), JsonString(Code(it)));
        }
      }
      weak += "]";
      out += fmt::format(
          "{}{{\"from\":{},\"to\":{},\"state\":{},\"sample\":{},\"index\":{},\"weak\":{}}}",
          k ? ",\n" : "\n", JsonString(pp.from), JsonString(pp.to),
          JsonString(app::PreviousStateName(pp.state)), JsonNumber(pp.sample),
          JsonNumber(pp.index), weak);
    }
    out += "]\n}\n";
    return out;
  }

  // "cell handling/timeliness 审查办理×时效性"
  std::string Title(const DiagnosedItem& it) const {
    std::string name = Name(it).empty() ? NameEn(it) : Name(it);
    std::string s = Level(it) + " " + Code(it);
    if (!name.empty() && name != Code(it)) s += " " + name;
    if (it.indicator) s += " (in " + Parent(it) + ")";
    return s;
  }

  void ItemText(const DiagnosedItem& it, std::string* out) const {
    Appendf(out, "  %s\n", Title(it).c_str());
    const std::string target =
        it.indicator && it.target ? Short(it.target) : fmt::format("{}", it.target_score);
    std::string line;
    if (it.indicator) {
      line = fmt::format("value {} {} target {} (score {})", Short(it.value),
                         it.below_target ? "<" : ">=", target, ScoreText(it.score));
    } else {
      line = fmt::format("score {} {} target {}", ScoreText(it.score),
                         it.below_target ? "<" : ">=", target);
    }
    line += fmt::format("; peers' median {}; rank {} of {}", Short(it.peers_median),
                        it.rank > 0 ? std::to_string(it.rank) : "-", it.compared);
    line += fmt::format("; loss {:.2f} (weight {:.4f})", it.loss, it.weight);
    Appendf(out, "     %s\n", line.c_str());
    const std::string counts = CountsText(it);
    if (!counts.empty()) Appendf(out, "     counts: %s\n", counts.c_str());
  }

  void Examples(const std::vector<app::PainExample>& ex, std::string* out) const {
    for (const app::PainExample& e : ex) {
      Appendf(out, "        e.g. %s: \"%s\"\n", e.id.c_str(), OneLine(e.comment).c_str());
    }
  }

  std::string Text() const {
    std::string out;
    Appendf(&out, "诊断 diagnosis — %s%s%s by %s, [%s, %s)\n", us_.unit.c_str(),
            in_.names[r_.unit].empty() ? "" : " ", in_.names[r_.unit].c_str(), in_.by.c_str(),
            in_.from_text.c_str(), in_.to_text.c_str());
    Appendf(&out, "%s (version %s), %s\n", fw_.name.c_str(), fw_.version.c_str(),
            in_.source.c_str());
    const int n = ComparedUnits();
    Appendf(&out, "index %s, grade %s, %s; %d units compared (quartile: %d ranks)\n",
            ScoreText(us_.node_score.empty() ? std::nullopt : us_.node_score[0]).c_str(),
            us_.grade ? us_.grade->label.c_str() : "-",
            us_.rank > 0 ? fmt::format("rank {}", us_.rank).c_str() : us_.rank_note.c_str(), n,
            QuartileSize(n));
    Appendf(&out,
            "target: an indicator at its target (score 100); a cell or block at score %s\n",
            NumberText(NodeTarget(fw_)).c_str());
    for (const std::string& note : Notes()) Appendf(&out, "note: %s\n", note.c_str());
    const UnitDiagnosis& d = r_.current;

    Appendf(&out, "\n弱点 weak points — below target, in the bottom quartile; by loss (%zu)\n",
            d.weak.size());
    for (size_t k : d.weak) ItemText(d.items[k], &out);
    if (d.weak.empty()) out += "  (none)\n";

    Appendf(&out, "\n难点 difficulties — weak in each of the %d previous periods (%zu)\n",
            app::kDifficultyPeriods, r_.difficulties.size());
    for (size_t k : r_.difficulties) {
      const DiagnosedItem& it = d.items[k];
      ItemText(it, &out);
      for (const app::PreviousPeriod& p : r_.previous) {
        const DiagnosedItem* then = p.diagnosis.Find(it.indicator, it.index);
        if (then == nullptr) continue;
        Appendf(&out, "     [%s, %s): %s %s, rank %d of %d\n", p.from.c_str(), p.to.c_str(),
                it.indicator ? "value" : "score",
                it.indicator ? Short(then->value).c_str() : ScoreText(then->score).c_str(),
                then->rank, then->compared);
      }
    }
    if (r_.difficulties.empty()) out += "  (none)\n";
    out += "  previous periods:";
    for (const app::PreviousPeriod& p : r_.previous) {
      Appendf(&out, " [%s, %s) %s", p.from.c_str(), p.to.c_str(),
              std::string(app::PreviousStateName(p.state)).c_str());
      if (p.state == app::PreviousPeriod::State::kDiagnosed) {
        Appendf(&out, " (%zu weak)", p.diagnosis.weak.size());
      }
      out += p.to == r_.previous.back().to ? "\n" : ";";
    }

    const app::PainPoints& p = r_.pain;
    Appendf(&out,
            "\n痛点 pain points — %lld bad reviews (score <= 2) of %lld evaluations; %lld give "
            "reasons, %lld a comment\n",
            static_cast<long long>(p.bad_reviews), static_cast<long long>(p.evaluations),
            static_cast<long long>(p.with_reasons), static_cast<long long>(p.commented));
    out += "  reasons 差评原因:\n";
    for (const app::PainReason& x : p.reasons) {
      Appendf(&out, "    %-24s %6lld  %5.1f%%\n", x.code.c_str(), static_cast<long long>(x.count),
              100.0 * static_cast<double>(x.count) / static_cast<double>(p.bad_reviews));
      Examples(x.examples, &out);
    }
    if (p.reasons.empty()) out += "    (none)\n";
    out += "  words 差评高频词 (comments holding the word):\n";
    for (const app::PainWord& x : p.words) {
      Appendf(&out, "    %s %6lld  %5.1f%%  (%lld times)\n", Pad(x.word, 12, false).c_str(),
              static_cast<long long>(x.comments),
              100.0 * static_cast<double>(x.comments) / static_cast<double>(p.commented),
              static_cast<long long>(x.occurrences));
      Examples(x.examples, &out);
    }
    if (p.words.empty()) out += "    (none)\n";

    Appendf(&out,
            "\n亮点 highlights — cells and blocks ranked first or in the top quartile, at or "
            "above target (%zu)\n",
            d.highlights.size());
    for (size_t k : d.highlights) ItemText(d.items[k], &out);
    if (d.highlights.empty()) out += "  (none)\n";
    return out;
  }

  std::string Table() const {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"section", "level", "code", "name", "value", "target", "peers_median", "rank",
                    "loss"});
    const UnitDiagnosis& d = r_.current;
    auto items = [&](const char* section, const std::vector<size_t>& list) {
      for (size_t k : list) {
        const DiagnosedItem& it = d.items[k];
        rows.push_back({section, Level(it), Code(it), Name(it).empty() ? NameEn(it) : Name(it),
                        it.indicator ? Short(it.value) : ScoreText(it.score),
                        it.indicator && it.target ? Short(it.target)
                                                  : NumberText(it.target_score),
                        it.indicator ? Short(it.peers_median)
                                     : it.peers_median ? ScoreText(it.peers_median) : "-",
                        it.rank > 0 ? fmt::format("{}/{}", it.rank, it.compared) : "-",
                        fmt::format("{:.2f}", it.loss)});
      }
    };
    items("弱点 weak", d.weak);
    items("难点 difficulty", r_.difficulties);
    items("亮点 highlight", d.highlights);
    for (const app::PainReason& x : r_.pain.reasons) {
      rows.push_back({"痛点 pain", "reason", x.code, "", std::to_string(x.count), "", "", "", ""});
    }
    for (const app::PainWord& x : r_.pain.words) {
      rows.push_back({"痛点 pain", "word", x.word, "", std::to_string(x.comments), "", "", "", ""});
    }
    std::string out;
    Appendf(&out, "%s%s%s by %s, [%s, %s): index %s, %s\n", us_.unit.c_str(),
            in_.names[r_.unit].empty() ? "" : " ", in_.names[r_.unit].c_str(), in_.by.c_str(),
            in_.from_text.c_str(), in_.to_text.c_str(),
            ScoreText(us_.node_score.empty() ? std::nullopt : us_.node_score[0]).c_str(),
            us_.rank > 0 ? fmt::format("rank {}", us_.rank).c_str() : us_.rank_note.c_str());
    for (const std::string& note : Notes()) Appendf(&out, "note: %s\n", note.c_str());
    TableStyle style;
    style.left_columns = 4;
    return out + RenderTable(rows, style);
  }

 private:
  const app::DiagnoseResult& r_;
  const Framework& fw_;
  const app::ScoringInput& in_;
  const UnitScore& us_;
};

}  // namespace

std::string DiagnosisJson(const app::DiagnoseResult& r) { return Diagnosis(r).Json(); }
std::string DiagnosisText(const app::DiagnoseResult& r) { return Diagnosis(r).Text(); }
std::string DiagnosisTable(const app::DiagnoseResult& r) { return Diagnosis(r).Table(); }

}  // namespace govqm::render

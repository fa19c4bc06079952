#include "app/render/bulletin_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "app/bulletin.h"
#include "app/render/html.h"
#include "core/engine/same_source.h"

namespace govqm::render {
namespace {

using app::BulletinData;
using app::BulletinUnit;

std::string E(std::string_view s) { return HtmlEscape(s); }

template <typename... Args>
std::string F(Lang lang, Msg msg, Args&&... args) {
  return fmt::format(fmt::runtime(T(lang, msg)), std::forward<Args>(args)...);
}

std::string NameOf(const std::string& code, const std::string& name) {
  return name.empty() ? code : name;
}

// At most `width` display columns of UTF-8 text (a character from U+0800 up, CJK, takes two;
// others one), an ellipsis when cut: labels of the charts, which do not wrap.
std::string Cut(const std::string& s, size_t width) {
  size_t used = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const size_t w = len >= 3 ? 2 : 1;
    if (used + w > width) return s.substr(0, i) + "…";
    used += w;
    i += len;
  }
  return s;
}

// Scores 0–100 on a red → amber → green scale (the grade bands' feel: < 65 red, 80+ green).
std::string ScoreColor(std::optional<double> score) {
  if (!score) return "#eceef2";
  struct Stop {
    double at;
    int r, g, b;
  };
  static constexpr Stop kStops[] = {{0, 180, 35, 24},    {50, 220, 90, 40},  {65, 245, 166, 35},
                                    {80, 214, 214, 90},  {90, 132, 190, 90}, {100, 21, 128, 61}};
  const double x = std::clamp(*score, 0.0, 100.0);
  for (size_t i = 1; i < std::size(kStops); ++i) {
    if (x <= kStops[i].at) {
      const Stop& a = kStops[i - 1];
      const Stop& b = kStops[i];
      const double t = (x - a.at) / (b.at - a.at);
      return fmt::format("#{:02x}{:02x}{:02x}", static_cast<int>(std::lround(a.r + t * (b.r - a.r))),
                         static_cast<int>(std::lround(a.g + t * (b.g - a.g))),
                         static_cast<int>(std::lround(a.b + t * (b.b - a.b))));
    }
  }
  return "#15803d";
}
std::string TextOn(std::optional<double> score) {
  return score && (*score < 55 || *score > 93) ? "#ffffff" : "#1d2330";
}

// A grade band's colour: the highest green, the lowest red.
std::string GradeColor(const Framework& fw, std::optional<double> index) {
  static const char* const kColors[] = {"#15803d", "#65a30d", "#d97706", "#b91c1c"};
  if (!index || fw.grades.empty()) return "#8a94a6";
  const GradeBand* g = fw.Grade(*index);
  const size_t i = static_cast<size_t>(g - fw.grades.data());
  const size_t n = fw.grades.size();
  // Spread the bands over the palette: the first is green, the last red.
  const size_t k = n <= 1 ? 0 : i * (std::size(kColors) - 1) / (n - 1);
  return kColors[std::min(k, std::size(kColors) - 1)];
}

std::string SectionTitle(Lang lang, int n, Msg msg) {
  static const char* const kZh[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  if (lang == Lang::kZh) return fmt::format("{}、{}", kZh[(n - 1) % 10], T(lang, msg));
  return fmt::format("{}. {}", n, T(lang, msg));
}

const char* kSectionIds[] = {"index", "heatmap", "boards", "closed-loop", "alerts",
                             "same-source", "divide", "diagnosis"};
const Msg kSectionMsgs[] = {Msg::kSecIndex,      Msg::kSecHeatmap,    Msg::kSecBoards,
                            Msg::kSecClosedLoop, Msg::kSecAlerts,     Msg::kSecSameSource,
                            Msg::kSecDivide,     Msg::kSecDiagnosis};

void Heading(std::string* out, Lang lang, int n) {
  *out += fmt::format("<h2 id=\"{}\">{}</h2>\n", kSectionIds[n - 1],
                      E(SectionTitle(lang, n, kSectionMsgs[n - 1])));
}

// 月报 / 季报 / 专报 from the period's dates.
Msg KindOf(const std::string& from, const std::string& to) {
  const int fy = std::stoi(from.substr(0, 4)), fm = std::stoi(from.substr(5, 2));
  const int ty = std::stoi(to.substr(0, 4)), tm = std::stoi(to.substr(5, 2));
  if (from.substr(8) != "01" || to.substr(8) != "01") return Msg::kSpecial;
  const int months = (ty - fy) * 12 + (tm - fm);
  if (months == 1) return Msg::kMonthly;
  if (months == 3 && (fm - 1) % 3 == 0) return Msg::kQuarterly;
  return Msg::kSpecial;
}

constexpr const char* kCss = R"CSS(
@page { size: A4; margin: 14mm 12mm 15mm 12mm; }
* { box-sizing: border-box; }
html { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; font-size: 9.5pt; color: #1d2330;
  line-height: 1.45; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
main { width: 100%; max-width: 186mm; margin: 0 auto; }
header.title { border-bottom: 3px solid #9b1c1c; padding-bottom: 2mm; margin-bottom: 3mm; }
h1 { font-size: 19pt; margin: 0; color: #9b1c1c; letter-spacing: 0.05em; }
h1 small { font-size: 12pt; color: #1d2330; margin-left: 2mm; }
h2 { font-size: 13pt; color: #9b1c1c; border-bottom: 1.2pt solid #9b1c1c; padding-bottom: 0.8mm;
  margin: 6mm 0 2.5mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3.5mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
p { margin: 1mm 0 2mm; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; font-size: 9pt; }
.meta dt { color: #5b6475; } .meta dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 2mm; margin: 3mm 0; }
.card { border: 0.6pt solid #c8ccd4; border-radius: 1.5mm; padding: 1.5mm 2mm; break-inside: avoid; }
.card span { color: #5b6475; font-size: 8pt; display: block; }
.card b { font-size: 13pt; display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.card i { font-style: normal; font-size: 8pt; display: block; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
nav ol { columns: 2; margin: 1mm 0 0; padding-left: 6mm; font-size: 9pt; }
nav a, a { color: inherit; text-decoration: none; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 1mm 0 3mm; }
th, td { border: 0.5pt solid #c8ccd4; padding: 0.6mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #eef0f4; font-weight: 600; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
th.n { text-align: right; }
td.c, th.c { text-align: center; }
td.k { white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 1mm 0 3mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 8pt; color: #5b6475; margin-top: 0.5mm; }
svg { display: block; width: 100%; height: auto; }
.up { color: #15803d; } .down { color: #b42318; }
.note { font-size: 8pt; color: #5b6475; }
.talk { display: inline-block; background: #b42318; color: #fff; border-radius: 1mm; padding: 0 1.2mm;
  font-size: 7.5pt; margin-left: 1mm; }
.boards { display: grid; grid-template-columns: 1fr 1fr; gap: 3mm; }
.boards h4 { margin: 1mm 0; font-size: 9.5pt; break-after: avoid; page-break-after: avoid; }
.boards > div { break-inside: avoid; page-break-inside: avoid; }
.red h4 { color: #b42318; } .black h4 { color: #1d2330; }
.unit { border-top: 0.6pt solid #c8ccd4; padding-top: 1.5mm; margin-top: 2mm; break-inside: avoid;
  page-break-inside: avoid; }
.unit h3 { margin-top: 0; }
.diag { display: grid; grid-template-columns: 1fr 1fr; gap: 1mm 4mm; font-size: 8.5pt; }
.diag h4 { margin: 0.5mm 0; font-size: 8.5pt; color: #5b6475; }
.diag ul { margin: 0; padding-left: 4mm; }
.quote { color: #5b6475; }
footer { margin-top: 6mm; border-top: 0.6pt solid #c8ccd4; padding-top: 1.5mm; font-size: 8pt; color: #5b6475; }
@media screen {
  body { background: #e9ebef; }
  main { background: #fff; max-width: 210mm; padding: 14mm 12mm; margin: 6mm auto;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); }
}
)CSS";

// ---- Charts ------------------------------------------------------------------------------

// Horizontal bars of the index by unit (best first), with the previous period's index as a
// tick; at most 40 units (the first and the last 20).
std::string IndexChart(const BulletinData& d, Lang lang, const std::vector<const BulletinUnit*>& units,
                       std::string* caption) {
  std::vector<const BulletinUnit*> shown = units;
  bool cut = false;
  if (shown.size() > 40) {
    std::vector<const BulletinUnit*> s(shown.begin(), shown.begin() + 20);
    s.insert(s.end(), shown.end() - 20, shown.end());
    shown = std::move(s);
    cut = true;
  }
  const int row = 16, top = 18, label = 150, width = 700, bar = 470;
  const int height = top + row * static_cast<int>(shown.size()) + (cut ? row : 0) + 6;
  std::string svg = fmt::format(
      "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">", width, height,
      E(T(lang, Msg::kIndexChart)));
  for (int t = 0; t <= 100; t += 20) {
    const double x = label + bar * t / 100.0;
    svg += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#dfe2e8\" "
        "stroke-width=\"0.6\"/><text x=\"{:.1f}\" y=\"12\" font-size=\"9\" fill=\"#5b6475\" "
        "text-anchor=\"middle\">{}</text>",
        x, top - 2, x, height - 4, x, t);
  }
  int y = top;
  for (size_t i = 0; i < shown.size(); ++i) {
    if (cut && i == 20) {
      svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#5b6475\">…</text>",
                         label - 10, y + 11);
      y += row;
    }
    const BulletinUnit& u = *shown[i];
    const double v = std::clamp(u.index().value_or(0), 0.0, 100.0);
    const double end = std::max(v, std::clamp(u.previous_index.value_or(0), 0.0, 100.0));
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"9.5\" text-anchor=\"end\" fill=\"#1d2330\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\" rx=\"1.5\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"9\" fill=\"#1d2330\">{}</text>",
        label - 6, y + 11, E(Cut(NameOf(u.code, u.name), 24)), label, y + 2, bar * v / 100.0,
        row - 5, GradeColor(d.framework, u.index()), label + bar * end / 100.0 + 4, y + 11,
        E(Score1(u.index())));
    if (u.previous_index) {
      const double px = label + bar * std::clamp(*u.previous_index, 0.0, 100.0) / 100.0;
      svg += fmt::format(
          "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#1d2330\" "
          "stroke-width=\"1.6\"/>",
          px, y, px, y + row - 1);
    }
    y += row;
  }
  svg += "</svg>";
  *caption = std::string(T(lang, Msg::kIndexChart));
  if (cut) *caption += "; " + F(lang, Msg::kChartCut, 20, 20);
  return svg;
}

// Diverging bars of the change against the previous period (largest rise first).
std::string ChangeChart(Lang lang, const std::vector<const BulletinUnit*>& scored) {
  std::vector<const BulletinUnit*> units;
  for (const BulletinUnit* u : scored) {
    if (u->change) units.push_back(u);
  }
  if (units.empty()) return "";
  std::stable_sort(units.begin(), units.end(), [](const BulletinUnit* a, const BulletinUnit* b) {
    return *a->change > *b->change;
  });
  if (units.size() > 40) {
    std::vector<const BulletinUnit*> s(units.begin(), units.begin() + 20);
    s.insert(s.end(), units.end() - 20, units.end());
    units = std::move(s);
  }
  double span = 1;
  for (const BulletinUnit* u : units) span = std::max(span, std::abs(*u->change));
  const int row = 14, top = 6, label = 150, width = 700, half = 240;
  const int mid = label + 20 + half;
  const int height = top + row * static_cast<int>(units.size()) + 6;
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
                                width, height, E(T(lang, Msg::kChangeChart)));
  svg += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#8a94a6\" stroke-width=\"0.8\"/>",
      mid, top - 2, mid, height - 3);
  int y = top;
  for (const BulletinUnit* u : units) {
    const double c = *u->change;
    const double len = half * std::abs(c) / span;
    const double x = c >= 0 ? mid : mid - len;
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"end\">{}</text>"
        "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"8.5\" text-anchor=\"{}\">{}</text>",
        label - 6, y + 10, E(Cut(NameOf(u->code, u->name), 24)), x, y + 2, std::max(len, 0.8),
        row - 4, c >= 0 ? "#15803d" : "#b42318", c >= 0 ? mid + len + 3 : mid - len - 3, y + 10,
        c >= 0 ? "start" : "end", E(Signed1(c)));
    y += row;
  }
  return svg + "</svg>";
}

// The stage × dimension grid of mean cell scores.
std::string HeatmapSvg(const BulletinData& d, Lang lang) {
  const Framework& fw = d.framework;
  const int label = 96, head = 30, cw = 100, ch = 34;
  const int width = label + cw * static_cast<int>(fw.dimensions.size()) + 4;
  const int height = head + ch * static_cast<int>(fw.stages.size()) + 4;
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
                                width, height, E(T(lang, Msg::kSecHeatmap)));
  for (size_t k = 0; k < fw.dimensions.size(); ++k) {
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" font-weight=\"600\" text-anchor=\"middle\">{}"
        "</text>",
        label + cw * static_cast<int>(k) + cw / 2, head - 10,
        E(Cut(DimensionLabel(fw, k, lang), 17)));
  }
  for (size_t s = 0; s < fw.stages.size(); ++s) {
    const int y = head + ch * static_cast<int>(s);
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" font-weight=\"600\" text-anchor=\"end\">{}"
        "</text>",
        label - 6, y + ch / 2 + 4, E(Cut(StageLabel(fw, s, lang), 16)));
    for (size_t k = 0; k < fw.dimensions.size(); ++k) {
      const int x = label + cw * static_cast<int>(k);
      const bool cell = fw.CellNode(static_cast<int>(s), static_cast<int>(k)) >= 0;
      const std::optional<double> v = d.heat[s][k];
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#ffffff\" "
          "stroke-width=\"2\"/>",
          x, y, cw, ch, cell ? ScoreColor(v) : "#f6f7f9");
      if (!cell) continue;
      svg += fmt::format(
          "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" text-anchor=\"middle\" "
          "fill=\"{}\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"8\" text-anchor=\"middle\" "
          "fill=\"{}\">({})</text>",
          x + cw / 2, y + 16, TextOn(v), E(Score1(v)), x + cw / 2, y + 28, TextOn(v),
          d.heat_units[s][k]);
    }
  }
  return svg + "</svg>";
}

// Vertical bars of the online rate by age band: the divide at a glance.
std::string AgeBandChart(const BulletinData& d, Lang lang) {
  const auto& rows = d.divide.age_bands;
  if (rows.empty()) return "";
  const int width = 700, height = 150, base = 120, left = 40, step = 100, bar = 44;
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
                                width, height,
                                E(IndicatorLabel(d.framework, "online_rate", lang)));
  for (int t = 0; t <= 100; t += 25) {
    const double y = base - 100.0 * t / 100.0;
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#dfe2e8\" "
        "stroke-width=\"0.6\"/><text x=\"{}\" y=\"{:.1f}\" font-size=\"8\" text-anchor=\"end\" "
        "fill=\"#5b6475\">{}%</text>",
        left, y, left + step * static_cast<int>(rows.size()), y, left - 4, y + 3, t);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const int x = left + step * static_cast<int>(i) + (step - bar) / 2;
    const double v = std::clamp(rows[i].online_rate.value_or(0), 0.0, 1.0);
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\" fill=\"#2563eb\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"9\" text-anchor=\"middle\">{}</text>"
        "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\">{}</text>",
        x, base - 100 * v, bar, 100 * v, x + bar / 2, base - 100 * v - 3,
        E(Percent1(rows[i].online_rate)), x + bar / 2, base + 14,
        E(AgeBandLabel(lang, rows[i].label)));
  }
  return svg + "</svg>";
}

// ---- Sections ----------------------------------------------------------------------------

std::string Td(const std::string& text, const char* cls = nullptr) {
  return cls ? fmt::format("<td class=\"{}\">{}</td>", cls, E(text)) : "<td>" + E(text) + "</td>";
}
std::string Th(std::string_view text, const char* cls = nullptr) {
  return cls ? fmt::format("<th class=\"{}\">{}</th>", cls, E(text)) : "<th>" + E(text) + "</th>";
}
std::string ChangeTd(std::optional<double> change) {
  const char* cls = !change || std::round(*change * 10) == 0 ? "n" : *change > 0 ? "n up" : "n down";
  return fmt::format("<td class=\"{}\">{}</td>", cls, E(Signed1(change)));
}
std::string RankChangeTd(std::optional<int> change) {
  if (!change) return "<td class=\"n\">—</td>";
  if (*change == 0) return "<td class=\"n\">0</td>";
  return fmt::format("<td class=\"n {}\">{}{}</td>", *change > 0 ? "up" : "down",
                     *change > 0 ? "↑" : "↓", std::abs(*change));
}
std::string HeatTd(std::optional<double> score) {
  return fmt::format("<td class=\"n\" style=\"background:{};color:{}\">{}</td>", ScoreColor(score),
                     TextOn(score), E(Score1(score)));
}

// The scored units, ranked first (by rank), then the unranked by code.
std::vector<const BulletinUnit*> Scored(const std::vector<BulletinUnit>& units) {
  std::vector<const BulletinUnit*> out;
  for (const BulletinUnit& u : units) {
    if (!u.score.below_min_sample && u.index()) out.push_back(&u);
  }
  std::stable_sort(out.begin(), out.end(), [](const BulletinUnit* a, const BulletinUnit* b) {
    const int ra = a->score.rank > 0 ? a->score.rank : 1 << 30;
    const int rb = b->score.rank > 0 ? b->score.rank : 1 << 30;
    return ra < rb;
  });
  return out;
}

void IndexSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 1);
  const std::vector<const BulletinUnit*> scored = Scored(d.units);
  if (!scored.empty()) {
    std::string caption;
    const std::string chart = IndexChart(d, lang, scored, &caption);
    *out += "<figure>" + chart + "<figcaption>" + E(caption) + "</figcaption></figure>\n";
  }
  *out += "<table><thead><tr>" + Th(T(lang, Msg::kRank), "n") + Th(T(lang, Msg::kCode)) +
          Th(T(lang, Msg::kName)) + Th(T(lang, Msg::kIndex), "n") + Th(T(lang, Msg::kGrade)) +
          Th(T(lang, Msg::kChange), "n") + Th(T(lang, Msg::kPreviousIndex), "n") +
          Th(T(lang, Msg::kPreviousRank), "n") + Th(T(lang, Msg::kRankChange), "n") +
          Th(T(lang, Msg::kSample), "n") + "</tr></thead><tbody>\n";
  for (const BulletinUnit* u : scored) {
    const std::string rank = u->score.rank > 0 ? std::to_string(u->score.rank)
                                               : std::string(T(lang, Msg::kNotRanked));
    *out += "<tr>" + Td(rank, "n") + Td(u->code, "k") + Td(u->name) + Td(Score1(u->index()), "n") +
            fmt::format("<td class=\"k\"><span style=\"color:{}\">■</span> {}</td>",
                        GradeColor(d.framework, u->index()),
                        E(GradeLabel(d.framework, u->index(), lang))) +
            ChangeTd(u->change) +
            Td(u->in_previous ? Score1(u->previous_index) : std::string(T(lang, Msg::kNewUnit)),
               "n") +
            Td(u->previous_rank > 0 ? std::to_string(u->previous_rank) : "—", "n") +
            RankChangeTd(u->rank_change) + Td(Whole(u->score.sample), "n") + "</tr>\n";
  }
  *out += "</tbody></table>\n";
  std::vector<std::string> below;
  for (const BulletinUnit& u : d.units) {
    if (u.score.below_min_sample) {
      below.push_back(u.name.empty() ? u.code
                                     : u.code + " " + u.name);
    }
  }
  if (!below.empty()) {
    std::string list;
    for (size_t i = 0; i < below.size() && i < 200; ++i) list += (i ? "、" : "") + below[i];
    if (below.size() > 200) list += " " + F(lang, Msg::kAndMore, below.size() - 200);
    *out += "<p class=\"note\">" + E(F(lang, Msg::kBelowMinList, d.framework.min_sample, below.size())) +
            " " + E(list) + "</p>\n";
  }
  const std::string change = ChangeChart(lang, scored);
  if (!change.empty()) {
    *out += "<figure>" + change + "<figcaption>" + E(T(lang, Msg::kChangeChart)) +
            fmt::format(" ({} – {})", E(d.previous_from), E(d.previous_to)) +
            "</figcaption></figure>\n";
  }
}

void HeatmapSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 2);
  const Framework& fw = d.framework;
  if (!fw.matrix || d.heat.empty()) {
    *out += "<p>" + E(T(lang, Msg::kNoMatrix)) + "</p>\n";
    return;
  }
  *out += "<figure>" + HeatmapSvg(d, lang) + "<figcaption>" + E(T(lang, Msg::kHeatNote)) +
          "</figcaption></figure>\n";
  const std::vector<const BulletinUnit*> scored = Scored(d.units);
  if (scored.empty()) return;
  *out += "<h3>" + E(T(lang, Msg::kUnitsByStageDimension)) + "</h3>\n<table><thead><tr>" +
          Th(T(lang, Msg::kUnit));
  for (size_t s = 0; s < fw.stages.size(); ++s) *out += Th(StageLabel(fw, s, lang), "n");
  for (size_t k = 0; k < fw.dimensions.size(); ++k) *out += Th(DimensionLabel(fw, k, lang), "n");
  *out += "</tr></thead><tbody>\n";
  for (const BulletinUnit* u : scored) {
    *out += "<tr>" + Td(NameOf(u->code, u->name));
    for (size_t s = 0; s < fw.stages.size(); ++s) {
      *out += HeatTd(s < u->score.stage_score.size() ? u->score.stage_score[s] : std::nullopt);
    }
    for (size_t k = 0; k < fw.dimensions.size(); ++k) {
      *out += HeatTd(k < u->score.dimension_score.size() ? u->score.dimension_score[k]
                                                         : std::nullopt);
    }
    *out += "</tr>\n";
  }
  *out += "</tbody></table>\n";
}

void BoardTable(const app::Board& b, const std::vector<size_t>& list, bool black, Lang lang,
                std::string* out) {
  *out += "<table><thead><tr>" + Th(T(lang, Msg::kRank), "n") + Th(T(lang, Msg::kUnit)) +
          Th(T(lang, Msg::kIndex), "n") + Th(T(lang, Msg::kPreviousIndex), "n") +
          Th(T(lang, Msg::kChange), "n") + "</tr></thead><tbody>\n";
  for (size_t k = 0; k < list.size(); ++k) {
    const BulletinUnit& u = b.units[list[k]];
    std::string name = E(u.name.empty() ? u.code : u.code + " " + u.name);
    if (black && b.talk[k]) name += "<span class=\"talk\">" + E(T(lang, Msg::kTalk)) + "</span>";
    *out += "<tr>" + Td(std::to_string(u.score.rank), "n") + "<td>" + name + "</td>" +
            Td(Score1(u.index()), "n") + Td(Score1(u.previous_index), "n") + ChangeTd(u.change) +
            "</tr>\n";
  }
  *out += "</tbody></table>\n";
}

void BoardsSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 3);
  for (const app::Board* b : {&d.windows, &d.depts}) {
    *out += "<h3>" + E(T(lang, b->by == "window" ? Msg::kWindows : Msg::kDepts)) + "</h3>\n";
    *out += "<p class=\"note\">" + E(F(lang, Msg::kBoardNote, b->ranked, b->previous_ranked)) +
            "</p>\n";
    if (b->best.empty()) {
      *out += "<p>" + E(T(lang, Msg::kNoBoard)) + "</p>\n";
      continue;
    }
    *out += "<div class=\"boards\"><div class=\"red\"><h4>" +
            E(F(lang, Msg::kRedList, b->best.size())) + "</h4>\n";
    BoardTable(*b, b->best, false, lang, out);
    *out += "</div><div class=\"black\"><h4>" + E(F(lang, Msg::kBlackList, b->worst.size())) +
            "</h4>\n";
    BoardTable(*b, b->worst, true, lang, out);
    *out += "</div></div>\n";
  }
}

std::string CountsRow(const std::string& label, const app::CaseCounts& c) {
  std::string row = "<tr>" + Td(label) + Td(std::to_string(c.cases), "n");
  for (int64_t n : c.by_state) row += Td(std::to_string(n), "n");
  return row + Td(std::to_string(c.overdue), "n") + "</tr>\n";
}

void ClosedLoopSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 4);
  const app::ClosedLoop& cl = d.closed_loop;
  *out += "<table><thead><tr>" + Th("") + Th(T(lang, Msg::kCases), "n");
  for (size_t s = 0; s < 6; ++s) *out += Th(StateLabel(lang, s), "n");
  *out += Th(T(lang, Msg::kOverdue), "n") + "</tr></thead><tbody>\n";
  *out += CountsRow(std::string(T(lang, Msg::kPeriodCases)), cl.total.period);
  *out += CountsRow(std::string(T(lang, Msg::kBacklog)), cl.total.backlog);
  *out += "</tbody></table>\n";
  *out += "<p class=\"note\">" + E(F(lang, Msg::kClosedLoopNote, d.to)) + "</p>\n";
  const char* rates[] = {"reply_rate", "rectification_rate", "rectification_on_time_rate",
                         "revisit_rate", "revisit_satisfaction"};
  auto rate_tds = [&](const app::ClosedLoopRow& r) {
    const std::optional<double> v[] = {r.reply_rate, r.rectification_rate,
                                       r.rectification_on_time_rate, r.revisit_rate,
                                       r.revisit_satisfaction};
    std::string s;
    for (const auto& x : v) s += Td(Percent1(x), "n");
    return s;
  };
  *out += "<table><thead><tr>" + Th(T(lang, Msg::kUnit)) + Th(T(lang, Msg::kPeriodCases), "n") +
          Th(StateLabel(lang, 4), "n") + Th(T(lang, Msg::kOverdue), "n") +
          Th(T(lang, Msg::kBacklog), "n") + Th(T(lang, Msg::kOverdue), "n");
  for (const char* r : rates) *out += Th(IndicatorLabel(d.framework, r, lang), "n");
  *out += "</tr></thead><tbody>\n";
  auto counts = [&](const app::CaseCounts& c, bool known) {
    if (!known) return Td("—", "n") + Td("—", "n") + Td("—", "n");
    return Td(std::to_string(c.cases), "n") + Td(std::to_string(c.by_state[4]), "n") +
           Td(std::to_string(c.overdue), "n");
  };
  auto backlog = [&](const app::CaseCounts& c, bool known) {
    if (!known) return Td("—", "n") + Td("—", "n");
    return Td(std::to_string(c.unfinished()), "n") + Td(std::to_string(c.overdue), "n");
  };
  for (const app::ClosedLoopRow& r : cl.units) {
    *out += "<tr>" + Td(NameOf(r.unit, r.name)) + counts(r.period, cl.counts_by_unit) +
            backlog(r.backlog, cl.counts_by_unit) + rate_tds(r) + "</tr>\n";
  }
  *out += "<tr><th>" + E(T(lang, Msg::kTotal)) + "</th>" + counts(cl.total.period, true) +
          backlog(cl.total.backlog, true) + rate_tds(cl.total) + "</tr>\n";
  *out += "</tbody></table>\n";
  if (!cl.counts_by_unit) {
    *out += "<p class=\"note\">" + E(F(lang, Msg::kCasesByUnitNone, KeyLabel(lang, d.by))) +
            "</p>\n";
  }
}

// An alert's value or limit, read as its kind and indicator make it read best.
std::string AlertNumber(const std::string& kind, const std::string& indicator, double v,
                        bool limit) {
  if (kind.rfind("deadline", 0) == 0 || kind == "case_overdue") return Percent1(v);
  if (kind == "ewma" || kind == "cusum") return Fixed(v, 3);
  if (kind == "drop" && limit) {
    return IsRate(indicator) ? Fixed(v * 100, 1) + " pp" : Fixed(v, 2);
  }
  return IndicatorValue(indicator, v);
}

void AlertsSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 5);
  const app::BulletinAlerts& a = d.alerts;
  if (a.total == 0) {
    *out += "<p>" + E(T(lang, Msg::kNoAlerts)) + "</p>\n";
  } else {
    *out += "<table><thead><tr>" + Th(T(lang, Msg::kRule)) + Th(T(lang, Msg::kKind)) +
            Th(T(lang, Msg::kIndicator)) + Th(T(lang, Msg::kCount), "n") + "</tr></thead><tbody>\n";
    for (const app::AlertCount& c : a.counts) {
      *out += "<tr>" + Td(c.rule) + Td(AlertKindLabel(lang, c.kind)) +
              Td(c.indicator.empty() ? "" : IndicatorLabel(d.framework, c.indicator, lang)) +
              Td(std::to_string(c.count), "n") + "</tr>\n";
    }
    *out += "</tbody></table>\n<table><thead><tr>" + Th(T(lang, Msg::kRule)) +
            Th(T(lang, Msg::kKind)) + Th(T(lang, Msg::kGroup)) + Th(T(lang, Msg::kDay)) +
            Th(T(lang, Msg::kValue), "n") + Th(T(lang, Msg::kLimit), "n") +
            "</tr></thead><tbody>\n";
    for (const app::AlertRow& r : a.listed) {
      const std::string indicator = a.IndicatorOf(r.rule);
      std::string keys;
      for (const auto& [k, v] : r.keys) keys += (keys.empty() ? "" : ", ") + KeyLabel(lang, k) + " " + v;
      *out += "<tr>" + Td(r.rule) + Td(AlertKindLabel(lang, r.kind)) + Td(keys) + Td(r.day) +
              Td(AlertNumber(r.kind, indicator, r.value, false), "n") +
              Td(AlertNumber(r.kind, indicator, r.limit, true), "n") + "</tr>\n";
    }
    *out += "</tbody></table>\n";
    if (a.total > a.listed.size()) {
      *out += "<p class=\"note\">" + E(F(lang, Msg::kAndMore, a.total - a.listed.size())) +
              "</p>\n";
    }
  }
  if (a.no_baseline > 0) {
    *out += "<p class=\"note\">" + E(F(lang, Msg::kNoBaseline, a.no_baseline)) + "</p>\n";
  }
}

void SameSourceSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 6);
  if (d.same_source.empty()) {
    *out += "<p>" + E(T(lang, Msg::kNoSameSource)) + "</p>\n";
    return;
  }
  // The departments with something to show: a mismatch or a rate below 100%; the others are
  // counted in one line.
  auto below = [](std::optional<double> v) { return v && *v < 1 - 1e-12; };
  std::vector<const app::BulletinSameSource*> rows;
  size_t clean = 0;
  for (const app::BulletinSameSource& s : d.same_source) {
    if (s.counts.mismatching > 0 || below(s.same_source_rate) || below(s.field_match_rate) ||
        below(s.catalog_coverage)) {
      rows.push_back(&s);
    } else {
      ++clean;
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return a->counts.mismatching > b->counts.mismatching;
  });
  *out += "<p>" + E(F(lang, Msg::kSameSourceSummary, d.same_source_mismatches, rows.size(), clean)) +
          "</p>\n";
  if (!rows.empty()) {
    *out += "<table><thead><tr>" + Th(T(lang, Msg::kDept)) +
            Th(T(lang, Msg::kPublicationsCompared), "n") + Th(T(lang, Msg::kMismatching), "n");
    for (std::string_view f : kGuideKeyFields) *out += Th(GuideFieldLabel(lang, f), "n");
    for (const char* c : {"same_source_rate", "field_match_rate", "catalog_coverage"}) {
      *out += Th(IndicatorLabel(d.framework, c, lang), "n");
    }
    *out += "</tr></thead><tbody>\n";
    for (const app::BulletinSameSource* s : rows) {
      const std::string& dept = s->counts.dept;
      *out += "<tr>" + Td(s->name.empty() ? dept : dept + " " + s->name) +
              Td(std::to_string(s->counts.compared), "n") +
              Td(std::to_string(s->counts.mismatching), "n");
      for (int64_t n : s->counts.by_field) *out += Td(n ? std::to_string(n) : "", "n");
      *out += Td(Percent1(s->same_source_rate), "n") + Td(Percent1(s->field_match_rate), "n") +
              Td(Percent1(s->catalog_coverage), "n") + "</tr>\n";
    }
    *out += "</tbody></table>\n";
  }
  *out += "<p class=\"note\">" + E(F(lang, Msg::kSameSourceNote, d.to)) + "</p>\n";
}

void DivideTable(const BulletinData& d, Lang lang, Msg head, const std::vector<app::DivideRow>& rows,
                 bool age, std::string* out) {
  *out += "<table><thead><tr>" + Th(T(lang, head));
  for (const char* c : {"volume", "online_rate", "evaluations", "positive_rate", "mean_score"}) {
    *out += Th(IndicatorLabel(d.framework, c, lang), "n");
  }
  *out += "</tr></thead><tbody>\n";
  for (const app::DivideRow& r : rows) {
    *out += "<tr>" + Td(age ? AgeBandLabel(lang, r.label) : ChannelLabel(lang, r.label)) +
            Td(Whole(r.volume), "n") + Td(Percent1(r.online_rate), "n") +
            Td(Whole(r.evaluations), "n") + Td(Percent1(r.positive_rate), "n") +
            Td(Fixed(r.mean_score, 2), "n") + "</tr>\n";
  }
  *out += "</tbody></table>\n";
}

void DivideSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 7);
  const app::DigitalDivide& dd = d.divide;
  *out += "<h3>" + E(T(lang, Msg::kAgeBand)) + "</h3>\n";
  const std::string chart = AgeBandChart(d, lang);
  if (!chart.empty()) {
    *out += "<figure>" + chart + "<figcaption>" +
            E(IndicatorLabel(d.framework, "online_rate", lang)) + "</figcaption></figure>\n";
  }
  DivideTable(d, lang, Msg::kAgeBand, dd.age_bands, true, out);
  *out += "<h3>" + E(T(lang, Msg::kChannel)) + " / " + E(T(lang, Msg::kMode)) + "</h3>\n";
  DivideTable(d, lang, Msg::kMode, dd.modes, false, out);
  DivideTable(d, lang, Msg::kChannel, dd.channels, false, out);
  *out += "<h3>" + E(T(lang, Msg::kElderlyGaps)) + "</h3>\n<table><thead><tr>" +
          Th(T(lang, Msg::kUnit)) +
          Th(IndicatorLabel(d.framework, "elderly_online_gap", lang) + " (pp)", "n") +
          Th(IndicatorLabel(d.framework, "elderly_satisfaction_gap", lang), "n") +
          "</tr></thead><tbody>\n";
  for (const app::DivideUnit& u : dd.units) {
    *out += "<tr>" + Td(NameOf(u.unit, u.name)) +
            Td(IndicatorValue("elderly_online_gap", u.elderly_online_gap), "n") +
            Td(IndicatorValue("elderly_satisfaction_gap", u.elderly_satisfaction_gap), "n") +
            "</tr>\n";
  }
  *out += "</tbody></table>\n<p class=\"note\">" + E(T(lang, Msg::kPointsNote)) + "</p>\n";
  const DisparityResult& r = dd.disparity;
  *out += "<h3>" + E(T(lang, Msg::kDisparity)) + "</h3>\n<table><thead><tr>" +
          Th(T(lang, Msg::kUnits), "n") + Th(T(lang, Msg::kMean), "n") +
          Th(T(lang, Msg::kMin), "n") + Th(T(lang, Msg::kMax), "n") +
          Th(T(lang, Msg::kGini), "n") + Th(T(lang, Msg::kTheil), "n") +
          Th(std::string(T(lang, Msg::kTheil)) + " " + std::string(T(lang, Msg::kTheilBetween)),
             "n") +
          Th(std::string(T(lang, Msg::kTheil)) + " " + std::string(T(lang, Msg::kTheilWithin)),
             "n") +
          Th(T(lang, Msg::kCv), "n") + Th(T(lang, Msg::kMaxMin), "n") + "</tr></thead><tbody>\n";
  const bool any = r.units > 0;
  *out += "<tr>" + Td(std::to_string(r.units), "n") +
          Td(any ? Score1(r.mean) : "—", "n") + Td(any ? Score1(r.min) : "—", "n") +
          Td(any ? Score1(r.max) : "—", "n") + Td(Fixed(r.gini, 4), "n") +
          Td(Fixed(r.theil, 4), "n") + Td(Fixed(r.theil_between, 4), "n") +
          Td(Fixed(r.theil_within, 4), "n") + Td(Fixed(r.cv, 4), "n") +
          Td(Fixed(r.max_min_ratio, 3), "n") + "</tr>\n</tbody></table>\n";
  *out += "<p class=\"note\">" + E(F(lang, Msg::kUnitsCompared, r.units, dd.left_out)) + " ";
  if (!dd.within.empty()) {
    *out += E(F(lang, Msg::kWithinNote, KeyLabel(lang, dd.within), KeyLabel(lang, dd.within)));
  } else {
    *out += E(T(lang, Msg::kNoWithin));
  }
  *out += "</p>\n";
  if (!r.groups.empty()) {
    *out += "<table><thead><tr>" + Th(KeyLabel(lang, dd.within)) + Th(T(lang, Msg::kUnits), "n") +
            Th(T(lang, Msg::kMean), "n") + Th(T(lang, Msg::kShare), "n") +
            Th(std::string(T(lang, Msg::kTheil)) + " " + std::string(T(lang, Msg::kTheilWithin)),
               "n") +
            "</tr></thead><tbody>\n";
    for (const TheilGroup& g : r.groups) {
      *out += "<tr>" + Td(g.group) + Td(std::to_string(g.units), "n") + Td(Score1(g.mean), "n") +
              Td(Percent1(g.share_of_total), "n") + Td(Fixed(g.theil_within, 4), "n") + "</tr>\n";
    }
    *out += "</tbody></table>\n";
  }
}

// An item's value as it reads best: an indicator's in its own terms, a node's score.
std::string ItemValue(const Framework& fw, const DiagnosedItem& item) {
  if (!item.indicator) return Score1(item.value);
  const std::string& code = fw.indicators[static_cast<size_t>(item.index)].code;
  return FindIndicator(code) >= 0 ? IndicatorValue(code, item.value) : Fixed(item.value, 2);
}

void DiagnosisSection(const BulletinData& d, Lang lang, std::string* out) {
  Heading(out, lang, 8);
  *out += "<p class=\"note\">" + E(T(lang, Msg::kDiagnosisNote)) + "</p>\n";
  if (d.diagnosis.empty()) {
    *out += "<p>" + E(T(lang, Msg::kNoDiagnosis)) + "</p>\n";
    return;
  }
  const Framework& fw = d.framework;
  const std::string none = "<li>" + E(T(lang, Msg::kNone)) + "</li>";
  for (const app::UnitBrief& b : d.diagnosis) {
    const BulletinUnit& u = d.units[b.unit];
    const UnitDiagnosis& diag = b.diagnosis;
    *out += "<div class=\"unit\"><h3>" + E(u.name.empty() ? u.code : u.name + " " + u.code) +
            " — " + E(T(lang, Msg::kIndex)) + " " + E(Score1(u.index())) + " " +
            E(GradeLabel(fw, u.index(), lang)) +
            (u.score.rank > 0 ? " · " + E(T(lang, Msg::kRank)) + " " + std::to_string(u.score.rank)
                              : "") +
            "</h3>\n<div class=\"diag\">";
    // Weak points: the first three.
    *out += "<div><h4>" + E(T(lang, Msg::kWeak)) + "</h4><ul>";
    for (size_t k = 0; k < diag.weak.size() && k < 3; ++k) {
      const DiagnosedItem& it = diag.items[diag.weak[k]];
      std::string target;
      if (it.target) {
        target = it.indicator ? ItemValue(fw, DiagnosedItem{true, it.index, it.target})
                              : Score1(it.target);
      }
      *out += "<li>" + E(ItemLabel(fw, it, lang)) + " " + E(ItemValue(fw, it)) +
              (target.empty() ? "" : " (" + E(T(lang, Msg::kTarget)) + " " + E(target) + ")") +
              fmt::format(" · {}/{}", it.rank, it.compared) + "</li>";
    }
    if (diag.weak.empty()) *out += none;
    *out += "</ul></div>";
    // Difficulties.
    *out += "<div><h4>" + E(T(lang, Msg::kDifficulties)) + "</h4><ul>";
    for (size_t k = 0; k < b.difficulties.size() && k < 3; ++k) {
      *out += "<li>" + E(ItemLabel(fw, diag.items[b.difficulties[k]], lang)) + "</li>";
    }
    if (b.difficulties.size() > 3) {
      *out += "<li>" + E(F(lang, Msg::kAndMore, b.difficulties.size() - 3)) + "</li>";
    }
    if (b.difficulties.empty()) *out += none;
    *out += "</ul></div>";
    // Pain points: reasons and words.
    *out += "<div><h4>" + E(T(lang, Msg::kPain)) + " · " +
            E(F(lang, Msg::kBadReviews, b.pain.bad_reviews, b.pain.evaluations)) + "</h4><ul>";
    std::string reasons, words, example;
    for (const app::PainReason& r : b.pain.reasons) {
      reasons += (reasons.empty() ? "" : "、") + ReasonLabel(lang, r.code) +
                 fmt::format(" {}", r.count);
      if (example.empty() && !r.examples.empty()) example = r.examples.front().comment;
    }
    for (const app::PainWord& w : b.pain.words) {
      words += (words.empty() ? "" : "、") + w.word + fmt::format(" {}", w.comments);
    }
    if (!reasons.empty()) *out += "<li>" + E(T(lang, Msg::kReasons)) + ": " + E(reasons) + "</li>";
    if (!words.empty()) *out += "<li>" + E(T(lang, Msg::kWords)) + ": " + E(words) + "</li>";
    if (!example.empty()) {
      *out += "<li class=\"quote\">" + E(T(lang, Msg::kExample)) + " “" + E(Cut(example, 120)) +
              "”</li>";
    }
    if (reasons.empty() && words.empty()) *out += none;
    *out += "</ul></div>";
    // Highlights: the first three.
    *out += "<div><h4>" + E(T(lang, Msg::kHighlights)) + "</h4><ul>";
    for (size_t k = 0; k < diag.highlights.size() && k < 3; ++k) {
      const DiagnosedItem& it = diag.items[diag.highlights[k]];
      *out += "<li>" + E(ItemLabel(fw, it, lang)) + " " + E(ItemValue(fw, it)) +
              fmt::format(" · {}/{}", it.rank, it.compared) + "</li>";
    }
    if (diag.highlights.empty()) *out += none;
    *out += "</ul></div></div></div>\n";
  }
}

}  // namespace

std::string BulletinFileName(const app::BulletinData& data, const std::string& ext) {
  std::string name = fmt::format("govqm-bulletin-{}-{}-{}.{}", data.from, data.to, data.by, ext);
  for (char& c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')) c = '_';
  }
  return name;
}

std::string BulletinHtml(const BulletinData& d, Lang lang) {
  const Framework& fw = d.framework;
  const std::string kind(T(lang, KindOf(d.from, d.to)));
  const std::string title = std::string(T(lang, Msg::kTitle));
  std::string out;
  out.reserve(256 * 1024);
  out += fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
                     LangTag(lang));
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + E(title + " " + kind + " " + d.from + " – " + d.to) + "</title>\n";
  out += "<style>" + std::string(kCss) + "</style>\n</head>\n<body>\n<main>\n";

  // Title, what the bulletin covers, the summary cards, the contents.
  out += "<header class=\"title\"><h1>" + E(title) + "<small>" + E(kind) + "</small></h1></header>\n";
  std::string scope = std::string(T(lang, Msg::kWhole));
  if (!d.scope.unrestricted()) {
    scope = d.scope.region.empty() ? "" : KeyLabel(lang, "region") + " " + d.scope.region;
    if (!d.scope.depts.empty()) {
      std::string depts;
      for (const std::string& x : d.scope.depts) depts += (depts.empty() ? "" : ", ") + x;
      scope += (scope.empty() ? "" : "; ") + KeyLabel(lang, "dept") + " " + depts;
    }
  }
  out += "<dl class=\"meta\">";
  auto meta = [&](Msg m, const std::string& v) {
    out += "<dt>" + E(T(lang, m)) + "</dt><dd>" + E(v) + "</dd>";
  };
  meta(Msg::kPeriod, d.from + " – " + d.to);
  meta(Msg::kPrevious, d.previous_from + " – " + d.previous_to);
  meta(Msg::kUnitLevel, KeyLabel(lang, d.by));
  meta(Msg::kScope, scope);
  meta(Msg::kFramework, fw.name + (fw.version.empty() ? "" : " " + fw.version));
  meta(Msg::kZone, d.zone);
  out += "</dl>\n";

  std::optional<double> mean;
  const BulletinUnit* first = nullptr;
  const BulletinUnit* last = nullptr;
  {
    double sum = 0;
    int n = 0;
    for (const BulletinUnit& u : d.units) {
      if (u.score.rank <= 0 || !u.index()) continue;
      sum += *u.index();
      ++n;
      if (first == nullptr || u.score.rank < first->score.rank) first = &u;
      if (last == nullptr || u.score.rank > last->score.rank ||
          (u.score.rank == last->score.rank && u.code > last->code)) {
        last = &u;
      }
    }
    if (n > 0) mean = sum / n;
  }
  out += "<div class=\"cards\">";
  auto card = [&](Msg m, const std::string& v, const std::string& below = "") {
    out += "<div class=\"card\"><span>" + E(T(lang, m)) + "</span><b>" + E(v) + "</b>" +
           (below.empty() ? "" : "<i>" + E(below) + "</i>") + "</div>";
  };
  card(Msg::kUnits, std::to_string(d.units.size()));
  card(Msg::kRanked, std::to_string(d.ranked));
  card(Msg::kMeanIndex, Score1(mean));
  card(Msg::kAlertsTotal, std::to_string(d.alerts.total));
  card(Msg::kFirst, first ? Score1(first->index()) : "—",
       first ? NameOf(first->code, first->name) : "");
  card(Msg::kLast, last ? Score1(last->index()) : "—", last ? NameOf(last->code, last->name) : "");
  card(Msg::kCasesPeriod, std::to_string(d.closed_loop.total.period.cases));
  card(Msg::kOverdueNow, std::to_string(d.closed_loop.total.backlog.overdue));
  out += "</div>\n<nav><b>" + E(T(lang, Msg::kContents)) + "</b><ol>";
  for (int n = 1; n <= 8; ++n) {
    out += fmt::format("<li><a href=\"#{}\">{}</a></li>", kSectionIds[n - 1],
                       E(T(lang, kSectionMsgs[n - 1])));
  }
  out += "</ol></nav>\n";

  IndexSection(d, lang, &out);
  HeatmapSection(d, lang, &out);
  BoardsSection(d, lang, &out);
  ClosedLoopSection(d, lang, &out);
  AlertsSection(d, lang, &out);
  SameSourceSection(d, lang, &out);
  DivideSection(d, lang, &out);
  DiagnosisSection(d, lang, &out);

  out += "<footer>";
  if (!d.notes.empty()) {
    out += "<b>" + E(T(lang, Msg::kNotes)) + "</b><ul>";
    for (const std::string& n : d.notes) out += "<li>" + E(n) + "</li>";
    out += "</ul>";
  }
  out += "<p>" + E(T(lang, Msg::kGeneratedBy)) + "</p></footer>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace govqm::render

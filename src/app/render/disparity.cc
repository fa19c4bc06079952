#include "app/render/disparity.h"

#include <fmt/format.h>

#include "app/render/json.h"
#include "app/render/text.h"

namespace govqm::render {
namespace {

std::string Opt(const std::optional<double>& v) { return v ? fmt::format("{:.6f}", *v) : "-"; }

}  // namespace

std::string DisparityJson(const app::DisparityOutput& o) {
  const DisparityResult& d = o.result;
  std::string out = fmt::format(
      "{{\"of\":{},\"by\":{},\"units\":{},\"left_out\":{},\"mean\":{},\"min\":{},\"max\":{},"
      "\"gini\":{},"
      "\"theil\":{},\"theil_between\":{},\"theil_within\":{},\"cv\":{},\"max_min_ratio\":{},"
      "\"groups\":[",
      JsonString(o.what), JsonString(o.by), d.units, o.left_out, NumberText(d.mean),
      NumberText(d.min), NumberText(d.max), JsonNumber(d.gini), JsonNumber(d.theil),
      JsonNumber(d.theil_between), JsonNumber(d.theil_within), JsonNumber(d.cv),
      JsonNumber(d.max_min_ratio));
  for (size_t g = 0; g < d.groups.size(); ++g) {
    const TheilGroup& tg = d.groups[g];
    out += fmt::format(
        "{}{{\"group\":{},\"units\":{},\"mean\":{},\"share_of_total\":{},\"theil_within\":{}}}",
        g ? "," : "", JsonString(tg.group), tg.units, NumberText(tg.mean),
        NumberText(tg.share_of_total), NumberText(tg.theil_within));
  }
  out += "],\"grades\":{";
  for (size_t g = 0; g < o.grades.size(); ++g) {
    out += fmt::format("{}{}:{}", g ? "," : "", JsonString(o.grades[g].first), o.grades[g].second);
  }
  out += "}}\n";
  return out;
}

std::string DisparityTable(const app::DisparityOutput& o) {
  const DisparityResult& d = o.result;
  std::string out;
  Appendf(&out, "disparity of %s across %zu units (%s)%s\n", o.what.c_str(), d.units,
          o.source.c_str(),
          o.from_store ? fmt::format(", [{}, {}) by {}", o.from, o.to, o.by).c_str() : "");
  if (o.left_out > 0) Appendf(&out, "left out (no value): %zu unit(s)\n", o.left_out);
  Appendf(&out, "mean %.6f  min %.6f  max %.6f\n", d.mean, d.min, d.max);
  Appendf(&out, "Gini           %s\n", Opt(d.gini).c_str());
  Appendf(&out, "Theil T        %s\n", Opt(d.theil).c_str());
  if (!d.groups.empty()) {
    Appendf(&out, "  between      %s\n  within       %s\n", Opt(d.theil_between).c_str(),
            Opt(d.theil_within).c_str());
    for (const TheilGroup& g : d.groups) {
      Appendf(&out, "    %-14s units %3zu  mean %.6f  share %.4f  Theil within %.6f\n",
              g.group.c_str(), g.units, g.mean, g.share_of_total, g.theil_within);
    }
  }
  Appendf(&out, "CV             %s\n", Opt(d.cv).c_str());
  Appendf(&out, "max/min        %s\n", Opt(d.max_min_ratio).c_str());
  if (!o.grades.empty()) {
    Appendf(&out, "grades:");
    for (const auto& [label, count] : o.grades) Appendf(&out, "  %s %zu", label.c_str(), count);
    Appendf(&out, "\n");
  }
  return out;
}

}  // namespace govqm::render

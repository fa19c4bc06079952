#include "app/render/weights.h"

#include <fmt/format.h>

#include "app/render/json.h"
#include "app/render/table.h"
#include "app/render/text.h"

namespace govqm::render {
namespace {

void PrintAhp(std::string* out, const AhpResult& a, size_t n) {
  Appendf(out, "  lambda_max = %.6f  CI = %.6f  RI = %.2f  CR = %.4f%s\n", a.lambda_max, a.ci,
          SaatyRandomIndex(static_cast<int>(n)), a.cr,
          a.cr < 0.10 ? " (consistent: CR < 0.10)" : "");
}

std::string AhpJson(const AhpResult& a, size_t n) {
  return fmt::format("{{\"n\":{},\"lambda_max\":{},\"ci\":{},\"ri\":{},\"cr\":{}}}", n,
                     NumberText(a.lambda_max), NumberText(a.ci),
                     NumberText(SaatyRandomIndex(static_cast<int>(n))), NumberText(a.cr));
}

}  // namespace

std::string WeightsJson(const app::WeightsOutput& o) {
  const Framework& fw = o.framework.fw;
  const std::string& fw_path = o.framework.path;
  const ScoreResult& res = o.result;
  const std::vector<double>& global = o.global;
  std::string out =
      fmt::format("{{\"framework\":{{\"name\":{},\"version\":{},\"file\":{}}},\"nodes\":[",
                  JsonString(fw.name), JsonString(fw.version), JsonString(fw_path));
  bool first_node = true;
  for (size_t n = 0; n < fw.nodes.size(); ++n) {
    const Node& node = fw.nodes[n];
    out += fmt::format(
        "{}\n{{\"code\":{},\"level\":{},\"weighting\":{},\"aggregation\":{},\"children\":[",
        first_node ? "" : ",", JsonString(node.code), JsonString(NodeKindName(node.kind)),
        JsonString(WeightingName(node.weighting)), JsonString(AggregationName(node.aggregation)));
    first_node = false;
    bool first = true;
    for (int c : node.children) {
      out += fmt::format("{}{{\"code\":{},\"weight\":{},\"global\":{}}}", first ? "" : ",",
                         JsonString(fw.nodes[c].code), NumberText(res.node_weight[c]),
                         NumberText(global[c]));
      first = false;
    }
    size_t k = 0;
    for (int c : node.indicators) {
      out += fmt::format("{}{{\"code\":{},\"weight\":{},\"global\":{}", first ? "" : ",",
                         JsonString(fw.indicators[c].code), NumberText(res.indicator_weight[c]),
                         NumberText(global[n] * res.indicator_weight[c]));
      if (!res.entropy_weight[n].empty()) {
        out += fmt::format(",\"entropy\":{}", NumberText(res.entropy_weight[n][k]));
      }
      out += "}";
      ++k;
      first = false;
    }
    out += "]";
    if (node.ahp) out += ",\"ahp\":" + AhpJson(*node.ahp, node.ahp_items.size());
    out += "}";
  }
  out += "\n]}\n";
  return out;
}

std::string WeightsTable(const app::WeightsOutput& o) {
  const Framework& fw = o.framework.fw;
  const std::string& fw_path = o.framework.path;
  const ScoreResult& res = o.result;
  const std::vector<double>& global = o.global;
  std::string out;
  Appendf(&out, "%s (version %s) — %s\n", fw.name.c_str(), fw.version.c_str(), fw_path.c_str());
  Appendf(
      &out,
      "weight = within the parent (normalised); global = product along the path to the index\n");
  for (size_t n = 0; n < fw.nodes.size(); ++n) {
    const Node& node = fw.nodes[n];
    Appendf(&out, "\n%s %s%s%s — %s weights, %s mean\n",
            std::string(NodeKindName(node.kind)).c_str(), node.code.c_str(),
            node.name.empty() ? "" : " ", node.name.c_str(),
            std::string(WeightingName(node.weighting)).c_str(),
            std::string(AggregationName(node.aggregation)).c_str());
    if (node.ahp) PrintAhp(&out, *node.ahp, node.ahp_items.size());
    if (node.weighting == Weighting::kCombined) {
      Appendf(&out, "  alpha = %g (alpha * subjective + (1 - alpha) * entropy)\n", node.alpha);
    }
    std::vector<std::vector<std::string>> rows = {{"  code", "weight", "global"}};
    if (!res.entropy_weight[n].empty()) rows[0].push_back("entropy");
    for (int c : node.children) {
      rows.push_back({"  " + fw.nodes[c].code, fmt::format("{:.6f}", res.node_weight[c]),
                      fmt::format("{:.6f}", global[c])});
    }
    size_t k = 0;
    for (int c : node.indicators) {
      rows.push_back({"  " + fw.indicators[c].code, fmt::format("{:.6f}", res.indicator_weight[c]),
                      fmt::format("{:.6f}", global[n] * res.indicator_weight[c])});
      if (!res.entropy_weight[n].empty())
        rows.back().push_back(fmt::format("{:.6f}", res.entropy_weight[n][k]));
      ++k;
    }
    out += RenderTable(rows, {.left_columns = 1, .trim_trailing = false});
  }
  return out;
}

std::string AhpJson(const app::AhpOutput& o) {
  std::string w;
  for (size_t i = 0; i < o.ahp.weights.size(); ++i)
    w += (i ? "," : "") + NumberText(o.ahp.weights[i]);
  return fmt::format("{{\"weights\":[{}],\"ahp\":{}}}\n", w, AhpJson(o.ahp, o.n));
}

std::string AhpTable(const app::AhpOutput& o) {
  std::string out;
  for (size_t i = 0; i < o.ahp.weights.size(); ++i)
    Appendf(&out, "w%zu  %.6f\n", i + 1, o.ahp.weights[i]);
  PrintAhp(&out, o.ahp, o.n);
  return out;
}

}  // namespace govqm::render

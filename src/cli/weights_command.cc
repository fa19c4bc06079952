// govqm weights — the weights of a framework, node by node: declared (expert), AHP (with
// λmax, CI, RI and CR), entropy over the units' values, or their combination; and each
// indicator's global weight (the product of the weights on its path to the index).
// `--ahp "1,3,5;1/3,1,3;1/5,1/3,1"` solves one pairwise matrix without a framework.
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "cli/commands_internal.h"
#include "cli/framework_input.h"
#include "cli/output.h"
#include "framework/weights.h"

namespace govqm::cli {
namespace {

Result<std::vector<std::vector<double>>> ParseMatrix(const std::string& text) {
  std::vector<std::vector<double>> m;
  size_t start = 0;
  while (start <= text.size()) {
    size_t semi = text.find(';', start);
    if (semi == std::string::npos) semi = text.size();
    const std::string row = text.substr(start, semi - start);
    std::vector<double> r;
    size_t a = 0;
    while (a <= row.size()) {
      size_t comma = row.find(',', a);
      if (comma == std::string::npos) comma = row.size();
      std::string e = row.substr(a, comma - a);
      while (!e.empty() && e.front() == ' ') e.erase(e.begin());
      while (!e.empty() && e.back() == ' ') e.pop_back();
      double v = 0;
      try {
        size_t used = 0;
        const size_t slash = e.find('/');
        if (slash == std::string::npos) {
          v = std::stod(e, &used);
          if (used != e.size()) throw std::invalid_argument(e);
        } else {
          const std::string x = e.substr(0, slash), y = e.substr(slash + 1);
          size_t ux = 0, uy = 0;
          const double num = std::stod(x, &ux), den = std::stod(y, &uy);
          if (ux != x.size() || uy != y.size() || den == 0) throw std::invalid_argument(e);
          v = num / den;
        }
      } catch (const std::exception&) {
        return Status::Usage(fmt::format("--ahp: '{}' is not a number or fraction", e));
      }
      r.push_back(v);
      a = comma + 1;
    }
    m.push_back(std::move(r));
    start = semi + 1;
  }
  return m;
}

void PrintAhp(const AhpResult& a, size_t n) {
  std::printf("  lambda_max = %.6f  CI = %.6f  RI = %.2f  CR = %.4f%s\n", a.lambda_max, a.ci,
              SaatyRandomIndex(static_cast<int>(n)), a.cr, a.cr < 0.10 ? " (consistent: CR < 0.10)" : "");
}

std::string AhpJson(const AhpResult& a, size_t n) {
  return fmt::format("{{\"n\":{},\"lambda_max\":{},\"ci\":{},\"ri\":{},\"cr\":{}}}", n, NumberText(a.lambda_max),
                     NumberText(a.ci), NumberText(SaatyRandomIndex(static_cast<int>(n))), NumberText(a.cr));
}

}  // namespace

Status RunWeights(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2,
                        {{"db", "tz", "from", "to", "by", "values", "framework", "format", "ahp"}, {}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) return Status::Usage("weights takes no positional arguments");
  const std::string format = args->Get("format", "table");
  if (format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be table or json, not '{}'", format));
  }
  if (args->Has("ahp")) {
    auto m = ParseMatrix(args->Get("ahp"));
    if (!m.ok()) return m.status();
    auto a = Ahp(*m);
    if (!a.ok()) return a.status();
    if (format == "json") {
      std::string w;
      for (size_t i = 0; i < a->weights.size(); ++i) w += (i ? "," : "") + NumberText(a->weights[i]);
      std::printf("{\"weights\":[%s],\"ahp\":%s}\n", w.c_str(), AhpJson(*a, m->size()).c_str());
    } else {
      for (size_t i = 0; i < a->weights.size(); ++i) std::printf("w%zu  %.6f\n", i + 1, a->weights[i]);
      PrintAhp(*a, m->size());
    }
    return Status::Ok();
  }
  std::string fw_path;
  auto fw = LoadFrameworkFile(*args, &fw_path);
  if (!fw.ok()) return fw.status();
  bool needs_data = false;
  for (const Node& n : fw->nodes) {
    needs_data = needs_data || n.weighting == Weighting::kEntropy || n.weighting == Weighting::kCombined;
  }
  const bool has_data = args->Has("values") || args->Has("from");
  if (needs_data && !has_data) {
    return Status::Usage("entropy weights come from the units' values: give --values FILE.csv or --from/--to/--by");
  }
  UnitValues values;
  std::optional<ScoringInput> in;
  if (has_data) {
    auto loaded = LoadScoringInput(*args, *fw, false);
    if (!loaded.ok()) return loaded.status();
    in = std::move(loaded.value());
    values = in->values;
  }
  auto res = ScoreUnits(*fw, values);
  if (!res.ok()) return res.status();
  // Global weights: product of the normalised weights on the path to the index.
  std::vector<double> global(fw->nodes.size(), 1);
  for (size_t n = 1; n < fw->nodes.size(); ++n) global[n] = global[fw->nodes[n].parent] * res->node_weight[n];

  if (format == "json") {
    std::string out = fmt::format("{{\"framework\":{{\"name\":{},\"version\":{},\"file\":{}}},\"nodes\":[",
                                  JsonString(fw->name), JsonString(fw->version), JsonString(fw_path));
    bool first_node = true;
    for (size_t n = 0; n < fw->nodes.size(); ++n) {
      const Node& node = fw->nodes[n];
      out += fmt::format("{}\n{{\"code\":{},\"level\":{},\"weighting\":{},\"aggregation\":{},\"children\":[",
                         first_node ? "" : ",", JsonString(node.code), JsonString(NodeKindName(node.kind)),
                         JsonString(WeightingName(node.weighting)), JsonString(AggregationName(node.aggregation)));
      first_node = false;
      bool first = true;
      for (int c : node.children) {
        out += fmt::format("{}{{\"code\":{},\"weight\":{},\"global\":{}}}", first ? "" : ",",
                           JsonString(fw->nodes[c].code), NumberText(res->node_weight[c]), NumberText(global[c]));
        first = false;
      }
      size_t k = 0;
      for (int c : node.indicators) {
        out += fmt::format("{}{{\"code\":{},\"weight\":{},\"global\":{}", first ? "" : ",",
                           JsonString(fw->indicators[c].code), NumberText(res->indicator_weight[c]),
                           NumberText(global[n] * res->indicator_weight[c]));
        if (!res->entropy_weight[n].empty()) {
          out += fmt::format(",\"entropy\":{}", NumberText(res->entropy_weight[n][k]));
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
    std::fwrite(out.data(), 1, out.size(), stdout);
    return Status::Ok();
  }
  std::printf("%s (version %s) — %s\n", fw->name.c_str(), fw->version.c_str(), fw_path.c_str());
  std::printf("weight = within the parent (normalised); global = product along the path to the index\n");
  for (size_t n = 0; n < fw->nodes.size(); ++n) {
    const Node& node = fw->nodes[n];
    std::printf("\n%s %s%s%s — %s weights, %s mean\n", std::string(NodeKindName(node.kind)).c_str(),
                node.code.c_str(), node.name.empty() ? "" : " ", node.name.c_str(),
                std::string(WeightingName(node.weighting)).c_str(),
                std::string(AggregationName(node.aggregation)).c_str());
    if (node.ahp) PrintAhp(*node.ahp, node.ahp_items.size());
    if (node.weighting == Weighting::kCombined) {
      std::printf("  alpha = %g (alpha * subjective + (1 - alpha) * entropy)\n", node.alpha);
    }
    std::vector<std::vector<std::string>> rows = {{"  code", "weight", "global"}};
    if (!res->entropy_weight[n].empty()) rows[0].push_back("entropy");
    for (int c : node.children) {
      rows.push_back({"  " + fw->nodes[c].code, fmt::format("{:.6f}", res->node_weight[c]),
                      fmt::format("{:.6f}", global[c])});
    }
    size_t k = 0;
    for (int c : node.indicators) {
      rows.push_back({"  " + fw->indicators[c].code, fmt::format("{:.6f}", res->indicator_weight[c]),
                      fmt::format("{:.6f}", global[n] * res->indicator_weight[c])});
      if (!res->entropy_weight[n].empty()) rows.back().push_back(fmt::format("{:.6f}", res->entropy_weight[n][k]));
      ++k;
    }
    std::vector<size_t> width(4, 0);
    for (const auto& r : rows) {
      for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], DisplayWidth(r[i]));
    }
    for (const auto& r : rows) {
      std::string line;
      for (size_t i = 0; i < r.size(); ++i) line += Pad(r[i], width[i], i > 0) + (i + 1 < r.size() ? "  " : "");
      std::printf("%s\n", line.c_str());
    }
  }
  return Status::Ok();
}

Status RunExplain(int argc, char** argv);
Status RunDisparity(int argc, char** argv);

}  // namespace govqm::cli

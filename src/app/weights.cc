#include "app/weights.h"

#include <fmt/format.h>

#include "framework/scoring.h"

namespace govqm::app {
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

}  // namespace

Result<WeightsOutput> Weights(LoadedFramework framework, const WeightsRequest& request,
                              const Store* store) {
  const Framework& fw = framework.fw;
  bool needs_data = false;
  for (const Node& n : fw.nodes) {
    needs_data =
        needs_data || n.weighting == Weighting::kEntropy || n.weighting == Weighting::kCombined;
  }
  if (needs_data && !request.has_data) {
    return Status::Usage(
        "entropy weights come from the units' values: give --values FILE.csv or --from/--to/--by");
  }
  UnitValues values;
  if (request.has_data) {
    GOVQM_ASSIGN_OR_RETURN(ScoringInput in, LoadScoringInput(request.input, fw, store, false));
    values = std::move(in.values);
  }
  GOVQM_ASSIGN_OR_RETURN(ScoreResult res, ScoreUnits(fw, values));
  // Global weights: product of the normalised weights on the path to the index.
  std::vector<double> global(fw.nodes.size(), 1);
  for (size_t n = 1; n < fw.nodes.size(); ++n)
    global[n] = global[fw.nodes[n].parent] * res.node_weight[n];
  return WeightsOutput{std::move(framework), std::move(res), std::move(global)};
}

Result<AhpOutput> SolveAhp(const std::string& matrix) {
  GOVQM_ASSIGN_OR_RETURN(const auto m, ParseMatrix(matrix));
  GOVQM_ASSIGN_OR_RETURN(AhpResult a, Ahp(m));
  return AhpOutput{std::move(a), m.size()};
}

}  // namespace govqm::app

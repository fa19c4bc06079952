#include "app/explain.h"

#include <fmt/format.h>

#include <set>

#include "core/scrub.h"

namespace govqm::app {
namespace {

Result<ExplainTarget> ResolveTarget(const Framework& fw, const ExplainRequest& r) {
  ExplainTarget target;
  if (!r.stage.empty() || !r.dimension.empty()) {
    const bool stage = !r.stage.empty();
    const std::string& code = stage ? r.stage : r.dimension;
    const auto& axis = stage ? fw.stages : fw.dimensions;
    for (size_t k = 0; k < axis.size(); ++k) {
      if (axis[k].code == code) {
        target.kind = stage ? ExplainTarget::Kind::kStage : ExplainTarget::Kind::kDimension;
        target.index = static_cast<int>(k);
        return target;
      }
    }
    return Status::NotFound(
        fmt::format("no {} '{}' in the framework", stage ? "stage" : "dimension", code));
  }
  std::string code = fw.nodes[0].code;
  for (const std::string* t : {&r.cell, &r.block, &r.node}) {
    if (!t->empty()) code = *t;
  }
  const int node = fw.FindNode(code);
  if (node < 0 || (!r.block.empty() && fw.nodes[node].kind != NodeKind::kBlock) ||
      (!r.cell.empty() && fw.nodes[node].kind != NodeKind::kCell)) {
    if (!r.cell.empty())
      return Status::NotFound(fmt::format("no cell '{}' with indicators in the framework", code));
    return Status::NotFound(
        fmt::format("no {} '{}' in the framework", !r.block.empty() ? "block" : "node", code));
  }
  target.index = node;
  return target;
}

}  // namespace

std::vector<int> ShownIndicators(const Framework& fw, const ExplainTarget& target) {
  std::vector<int> shown;
  if (target.kind != ExplainTarget::Kind::kNode) {
    const bool stage = target.kind == ExplainTarget::Kind::kStage;
    for (const Node& c : fw.nodes) {
      if (c.kind != NodeKind::kCell || (stage ? c.stage : c.dimension) != target.index) continue;
      shown.insert(shown.end(), c.indicators.begin(), c.indicators.end());
    }
    return shown;
  }
  const Node& n = fw.nodes[target.index];
  shown = n.indicators;
  for (int c : n.children) {
    if (!fw.nodes[c].children.empty()) continue;  // one level of nodes: their indicators
    shown.insert(shown.end(), fw.nodes[c].indicators.begin(), fw.nodes[c].indicators.end());
  }
  return shown;
}

Result<ExplainOutput> Explain(LoadedFramework framework, const ExplainRequest& request,
                              const Store* store) {
  const Framework& fw0 = framework.fw;
  if ((!request.cell.empty() || !request.stage.empty() || !request.dimension.empty()) &&
      !fw0.matrix) {
    return Status::Usage("--cell, --stage and --dimension need a matrix framework; use --node");
  }
  GOVQM_ASSIGN_OR_RETURN(ScoringInput in, LoadScoringInput(request.input, fw0, store, true));
  GOVQM_ASSIGN_OR_RETURN(ScoreResult res, ScoreUnits(fw0, in.values));
  // Naming a unit outside the scope is denied before anything is said of it (not even
  // whether it exists).
  if (in.key) GOVQM_RETURN_IF_ERROR(in.scope.CheckUnit(*in.key, request.unit));
  ExplainOutput out;
  size_t u = 0;
  while (u < in.values.units.size() && in.values.units[u] != request.unit) ++u;
  if (u == in.values.units.size()) {
    return Status::NotFound(fmt::format("no unit '{}' in the scored data", request.unit));
  }
  out.unit = u;
  out.show_records = request.show_records;
  GOVQM_ASSIGN_OR_RETURN(out.target, ResolveTarget(fw0, request));
  out.evidence.resize(fw0.indicators.size());
  if (in.key) {
    // The engine's base measures of every shown catalog indicator, for this unit's group.
    std::set<std::string> codes;
    const std::vector<int> shown = ShownIndicators(fw0, out.target);
    for (int i : shown) {
      if (FindIndicator(fw0.indicators[i].code) >= 0 && in.values.values[u][i]) {
        codes.insert(fw0.indicators[i].code);
      }
    }
    if (!codes.empty()) {
      EngineOptions o = in.options;
      o.only.assign(codes.begin(), codes.end());
      o.base_measures = true;
      GOVQM_ASSIGN_OR_RETURN(const std::vector<IndicatorRow> rows,
                             ComputeScoped(*in.data, o, in.scope));
      for (int i : shown) {
        const std::string& code = fw0.indicators[i].code;
        if (!codes.count(code)) continue;
        IndicatorEvidence e;
        e.why = "no base measures for this unit";
        for (const IndicatorRow& r : rows) {
          if (r.keys[0] != request.unit || r.indicator != code || !r.base) continue;
          e.available = true;
          e.value = r.value;
          e.base = *r.base;
        }
        // Record-level examples only for who may see records (not an auditor, not the
        // public): their ids are never even looked up otherwise. Their free text is scrubbed
        // of personal data like every output (ids are keys, not text: kept).
        if (e.available && request.show_records) {
          e.examples = FindRecordExamples(*in.data, in.options, *in.key, request.unit, code);
          e.examples.detail = ScrubPersonalData(e.examples.detail);
        }
        out.evidence[i] = std::move(e);
      }
    }
  }
  out.score = ScoreOutput{std::move(framework), std::move(in), std::move(res)};
  return out;
}

}  // namespace govqm::app

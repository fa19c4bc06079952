#include "app/render/score.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/render/csv.h"
#include "app/render/json.h"
#include "app/render/table.h"
#include "app/render/text.h"

namespace govqm::render {
namespace {

std::string Num(const std::optional<double>& v) { return v ? NumberText(*v) : ""; }

std::string RankText(const UnitScore& u) {
  return u.rank > 0 ? std::to_string(u.rank) : u.rank_note;
}

std::string ParentCode(const Framework& fw, int node) {
  return node >= 0 ? fw.nodes[node].code : "";
}

std::string Level(const Node& n) { return std::string(NodeKindName(n.kind)); }

// The note of a missing child: its weight went to its siblings.
std::string MissingNote(const Framework& fw, int parent) {
  return "missing: weight shared among the other children of " + fw.nodes[parent].code;
}

}  // namespace

std::string ScoreText(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}", *v) : std::string("-");
}

std::string ScoreCsv(const app::ScoreOutput& o) {
  const Framework& fw = o.framework.fw;
  const app::ScoringInput& in = o.input;
  const ScoreResult& res = o.result;
  std::string out = "unit,level,code,parent,value,score,weight,grade,rank,note\n";
  auto row = [&](const std::string& unit, std::string_view level, const std::string& code,
                 const std::string& parent, const std::string& value, const std::string& score,
                 const std::string& weight, const std::string& grade, const std::string& rank,
                 const std::string& note) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", CsvField(unit), level, CsvField(code),
                       CsvField(parent), value, score, weight, CsvField(grade), CsvField(rank),
                       CsvField(note));
  };
  for (size_t u = 0; u < res.units.size(); ++u) {
    const UnitScore& us = res.units[u];
    std::string note;
    if (us.rank_median) {
      note = fmt::format("rank median {} (5-95%: {}-{})", NumberText(*us.rank_median),
                         NumberText(*us.rank_p05), NumberText(*us.rank_p95));
    }
    if (us.below_min_sample) {
      note = fmt::format("below min_sample {}: values only (not scored)", fw.min_sample);
    }
    row(us.unit, "index", fw.nodes[0].code, "", Num(us.sample), Num(us.node_score[0]), "1",
        us.grade ? us.grade->label : "", RankText(us), note);
    for (size_t s = 0; s < us.stage_score.size(); ++s) {
      row(us.unit, "stage", fw.stages[s].code, "matrix", "", Num(us.stage_score[s]), "", "", "",
          "");
    }
    for (size_t d = 0; d < us.dimension_score.size(); ++d) {
      row(us.unit, "dimension", fw.dimensions[d].code, "matrix", "", Num(us.dimension_score[d]), "",
          "", "", "");
    }
    for (size_t n = 1; n < fw.nodes.size(); ++n) {
      const Node& node = fw.nodes[n];
      row(us.unit, Level(node), node.code, ParentCode(fw, node.parent), "", Num(us.node_score[n]),
          NumberText(res.node_weight[n]), "", "",
          us.node_score[n] || us.below_min_sample ? "" : MissingNote(fw, node.parent));
    }
    for (size_t i = 0; i < fw.indicators.size(); ++i) {
      const IndicatorSpec& spec = fw.indicators[i];
      const auto& value = in.values.values[u][i];
      row(us.unit, "indicator", spec.code, ParentCode(fw, spec.parent), Num(value),
          Num(us.indicator_score[i]), NumberText(res.indicator_weight[i]), "", "",
          us.indicator_score[i] || us.below_min_sample ? "" : MissingNote(fw, spec.parent));
    }
    for (size_t k = 0; k < fw.context.size(); ++k) {
      row(us.unit, "context", fw.context[k], "", Num(in.context[u][k]), "", "", "", "",
          "shown, not scored");
    }
  }
  return out;
}

std::string ScoreJson(const app::ScoreOutput& o) {
  const Framework& fw = o.framework.fw;
  const std::string& fw_path = o.framework.path;
  const app::ScoringInput& in = o.input;
  const ScoreResult& res = o.result;
  std::string out = "{\n";
  out += fmt::format("\"framework\":{{\"name\":{},\"version\":{},\"file\":{},\"shape\":{}}},\n",
                     JsonString(fw.name), JsonString(fw.version), JsonString(fw_path),
                     JsonString(fw.matrix ? "matrix" : "tree"));
  out += fmt::format("\"source\":{},", JsonString(in.source));
  if (in.key) {
    out += fmt::format("\"period\":{{\"from\":{},\"to\":{}}},\"by\":{},", JsonString(in.from_text),
                       JsonString(in.to_text), JsonString(in.by));
  }
  out += fmt::format("\"min_sample\":{},\"sample_indicator\":{},\n", fw.min_sample,
                     JsonString(fw.sample_indicator));
  out += "\"notes\":[";
  for (size_t k = 0; k < in.notes.size(); ++k) out += (k ? "," : "") + JsonString(in.notes[k]);
  out += "],\n\"units\":[";
  for (size_t u = 0; u < res.units.size(); ++u) {
    const UnitScore& us = res.units[u];
    out += u ? ",\n{" : "\n{";
    out += fmt::format(
        "\"unit\":{},\"name\":{},\"sample\":{},\"index\":{},\"grade\":{},\"grade_en\":{},",
        JsonString(us.unit), in.names[u].empty() ? "null" : JsonString(in.names[u]),
        JsonNumber(us.sample), JsonNumber(us.node_score[0]),
        us.grade ? JsonString(us.grade->label) : "null",
        us.grade ? JsonString(us.grade->label_en) : "null");
    out +=
        fmt::format("\"rank\":{},\"rank_note\":{},", us.rank > 0 ? std::to_string(us.rank) : "null",
                    us.rank_note.empty() ? "null" : JsonString(us.rank_note));
    if (us.below_min_sample) out += "\"below_min_sample\":true,";
    if (!o.suppressed.empty()) out += o.suppressed[u] ? "\"suppressed\":true," : "\"suppressed\":false,";
    if (us.rank_median) {
      out += fmt::format("\"rank_uncertainty\":{{\"median\":{},\"p05\":{},\"p95\":{}}},",
                         NumberText(*us.rank_median), NumberText(*us.rank_p05),
                         NumberText(*us.rank_p95));
    }
    if (fw.matrix) {
      out += "\"stages\":{";
      for (size_t s = 0; s < fw.stages.size(); ++s) {
        out += fmt::format("{}{}:{}", s ? "," : "", JsonString(fw.stages[s].code),
                           JsonNumber(us.stage_score[s]));
      }
      out += "},\"dimensions\":{";
      for (size_t d = 0; d < fw.dimensions.size(); ++d) {
        out += fmt::format("{}{}:{}", d ? "," : "", JsonString(fw.dimensions[d].code),
                           JsonNumber(us.dimension_score[d]));
      }
      out += "},";
    }
    out += "\n \"nodes\":[";
    for (size_t n = 1; n < fw.nodes.size(); ++n) {
      const Node& node = fw.nodes[n];
      out += fmt::format("{}{{\"code\":{},\"level\":{},\"parent\":{},\"score\":{},\"weight\":{}}}",
                         n > 1 ? "," : "", JsonString(node.code), JsonString(Level(node)),
                         JsonString(ParentCode(fw, node.parent)), JsonNumber(us.node_score[n]),
                         NumberText(res.node_weight[n]));
    }
    out += "],\n \"indicators\":[";
    for (size_t i = 0; i < fw.indicators.size(); ++i) {
      const IndicatorSpec& spec = fw.indicators[i];
      out += fmt::format(
          "{}{{\"code\":{},\"parent\":{},\"value\":{},\"score\":{},\"weight\":{},\"rule\":{}}}",
          i ? "," : "", JsonString(spec.code), JsonString(ParentCode(fw, spec.parent)),
          JsonNumber(in.values.values[u][i]), JsonNumber(us.indicator_score[i]),
          NumberText(res.indicator_weight[i]), JsonString(RuleName(spec.rule)));
    }
    out += "],\n \"context\":{";
    for (size_t k = 0; k < fw.context.size(); ++k) {
      out += fmt::format("{}{}:{}", k ? "," : "", JsonString(fw.context[k]),
                         JsonNumber(in.context[u][k]));
    }
    out += "},\n \"missing\":[";
    bool first = true;
    for (int i : us.missing_indicators) {
      const int p = fw.indicators[i].parent;
      out += fmt::format("{}{{\"code\":{},\"parent\":{},\"note\":{}}}", first ? "" : ",",
                         JsonString(fw.indicators[i].code), JsonString(fw.nodes[p].code),
                         JsonString(MissingNote(fw, p)));
      first = false;
    }
    for (int n : us.missing_nodes) {
      if (n == 0) continue;
      const int p = fw.nodes[n].parent;
      out += fmt::format("{}{{\"code\":{},\"parent\":{},\"note\":{}}}", first ? "" : ",",
                         JsonString(fw.nodes[n].code), JsonString(fw.nodes[p].code),
                         JsonString(MissingNote(fw, p)));
      first = false;
    }
    out += "]}";
  }
  out += "\n]\n}\n";
  return out;
}

std::string ScoreTable(const app::ScoreOutput& o) {
  const Framework& fw = o.framework.fw;
  const app::ScoringInput& in = o.input;
  const ScoreResult& res = o.result;
  std::string out;
  Appendf(&out, "%s (version %s) — %s", fw.name.c_str(), fw.version.c_str(), in.source.c_str());
  if (in.key)
    Appendf(&out, ", [%s, %s) by %s", in.from_text.c_str(), in.to_text.c_str(), in.by.c_str());
  Appendf(&out, "\n");
  for (const std::string& n : in.notes) Appendf(&out, "note: %s\n", n.c_str());
  Appendf(&out, "\n");
  // Ranking: one line per unit, best first, unranked last.
  std::vector<size_t> order(res.units.size());
  for (size_t u = 0; u < order.size(); ++u) order[u] = u;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const UnitScore &x = res.units[a], &y = res.units[b];
    if ((x.rank > 0) != (y.rank > 0)) return x.rank > 0;
    if (x.rank > 0) return x.rank < y.rank;
    return x.node_score[0].value_or(-1) > y.node_score[0].value_or(-1);
  });
  std::vector<int> top;  // top-level columns: stages and dimensions (matrix) or index children
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> h1 = {"排名", "单位", "样本", "总指数", "等级"};
  std::vector<std::string> h2 = {"rank", "unit", "n", "index", "grade"};
  const bool unc = !res.units.empty() &&
                   std::any_of(res.units.begin(), res.units.end(),
                               [](const UnitScore& u) { return u.rank_median.has_value(); });
  if (unc) {
    h1.push_back("排名区间");
    h2.push_back("rank 5-95%");
  }
  if (fw.matrix) {
    for (const auto& s : fw.stages) h1.push_back(s.name), h2.push_back(s.code);
    for (const auto& d : fw.dimensions) h1.push_back(d.name), h2.push_back(d.code);
  }
  for (int c : fw.nodes[0].children) {
    if (fw.nodes[c].kind == NodeKind::kMatrix) continue;
    top.push_back(c);
    h1.push_back(fw.nodes[c].name.empty() ? fw.nodes[c].code : fw.nodes[c].name);
    h2.push_back(fw.nodes[c].code);
  }
  rows.push_back(h1);
  rows.push_back(h2);
  for (size_t u : order) {
    const UnitScore& us = res.units[u];
    // A unit below the minimum sample is marked in the rank column: values only.
    std::vector<std::string> r = {us.rank > 0           ? std::to_string(us.rank)
                                  : us.below_min_sample ? "n<min"
                                                        : "-",
                                  in.names[u].empty() ? us.unit : us.unit + " " + in.names[u],
                                  us.sample ? fmt::format("{:.0f}", *us.sample) : "-",
                                  ScoreText(us.node_score[0]), us.grade ? us.grade->label : "-"};
    if (unc) {
      r.push_back(us.rank_median ? fmt::format("{:.0f}-{:.0f}", *us.rank_p05, *us.rank_p95) : "-");
    }
    for (const auto& s : us.stage_score) r.push_back(ScoreText(s));
    for (const auto& d : us.dimension_score) r.push_back(ScoreText(d));
    for (int c : top) r.push_back(ScoreText(us.node_score[c]));
    rows.push_back(std::move(r));
  }
  out += RenderTable(rows, {.left_columns = 2});
  bool unranked = false;
  for (const UnitScore& us : res.units) {
    if (us.rank == 0 && !unranked) {
      Appendf(&out, "\nnot ranked:");
      unranked = true;
    }
    if (us.rank == 0)
      Appendf(&out, " %s (%s);", us.unit.c_str(),
              us.rank_note.substr(us.rank_note.find(": ") + 2).c_str());
  }
  if (unranked) Appendf(&out, "\n");
  if (!fw.matrix) return out;
  // The matrix of each unit: stages × dimensions, cell scores ("·" = no indicator in the cell).
  for (size_t u : order) {
    const UnitScore& us = res.units[u];
    Appendf(&out, "\n%s%s%s — cells (stage × dimension)\n", us.unit.c_str(),
            in.names[u].empty() ? "" : " ", in.names[u].c_str());
    std::vector<std::vector<std::string>> m;
    std::vector<std::string> head = {""};
    for (const auto& d : fw.dimensions) head.push_back(d.name);
    head.push_back("阶段");
    m.push_back(head);
    for (size_t s = 0; s < fw.stages.size(); ++s) {
      std::vector<std::string> r = {fw.stages[s].name + " " + fw.stages[s].code};
      for (size_t d = 0; d < fw.dimensions.size(); ++d) {
        const int cell = fw.CellNode(static_cast<int>(s), static_cast<int>(d));
        r.push_back(cell < 0 ? "·" : ScoreText(us.node_score[cell]));
      }
      r.push_back(ScoreText(us.stage_score[s]));
      m.push_back(std::move(r));
    }
    std::vector<std::string> foot = {"维度"};
    for (const auto& d : us.dimension_score) foot.push_back(ScoreText(d));
    foot.push_back(ScoreText(us.node_score[0]));
    m.push_back(std::move(foot));
    out += RenderTable(m, {.left_columns = 1});
    if (!us.missing_indicators.empty()) {
      Appendf(&out, "missing (weight shared within the cell or block):");
      for (int i : us.missing_indicators) Appendf(&out, " %s", fw.indicators[i].code.c_str());
      Appendf(&out, "\n");
    }
  }
  return out;
}

}  // namespace govqm::render

// govqm score — the framework over the units' indicator values: per unit the index, grade,
// rank (or why not ranked), every stage, dimension, cell and block, and each indicator's value
// and score; JSON, long CSV or a readable table. Values come from the store (--from --to --by)
// or from a plain unit × indicator table (--values FILE.csv).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli/commands_internal.h"
#include "cli/framework_input.h"
#include "cli/output.h"

namespace govqm::cli {
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

std::string RenderCsv(const Framework& fw, const ScoringInput& in, const ScoreResult& res) {
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
    row(us.unit, "index", fw.nodes[0].code, "", Num(us.sample), Num(us.node_score[0]), "1",
        us.grade ? us.grade->label : "", RankText(us), note);
    for (size_t s = 0; s < us.stage_score.size(); ++s) {
      row(us.unit, "stage", fw.stages[s].code, "matrix", "", Num(us.stage_score[s]), "", "", "", "");
    }
    for (size_t d = 0; d < us.dimension_score.size(); ++d) {
      row(us.unit, "dimension", fw.dimensions[d].code, "matrix", "", Num(us.dimension_score[d]), "", "",
          "", "");
    }
    for (size_t n = 1; n < fw.nodes.size(); ++n) {
      const Node& node = fw.nodes[n];
      row(us.unit, Level(node), node.code, ParentCode(fw, node.parent), "", Num(us.node_score[n]),
          NumberText(res.node_weight[n]), "", "", us.node_score[n] ? "" : MissingNote(fw, node.parent));
    }
    for (size_t i = 0; i < fw.indicators.size(); ++i) {
      const IndicatorSpec& spec = fw.indicators[i];
      const auto& value = in.values.values[u][i];
      row(us.unit, "indicator", spec.code, ParentCode(fw, spec.parent), Num(value),
          Num(us.indicator_score[i]), NumberText(res.indicator_weight[i]), "", "",
          us.indicator_score[i] ? "" : MissingNote(fw, spec.parent));
    }
    for (size_t k = 0; k < fw.context.size(); ++k) {
      row(us.unit, "context", fw.context[k], "", Num(in.context[u][k]), "", "", "", "", "shown, not scored");
    }
  }
  return out;
}

std::string RenderJson(const Framework& fw, const std::string& fw_path, const ScoringInput& in,
                       const ScoreResult& res) {
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
    out += fmt::format("\"unit\":{},\"name\":{},\"sample\":{},\"index\":{},\"grade\":{},\"grade_en\":{},",
                       JsonString(us.unit), in.names[u].empty() ? "null" : JsonString(in.names[u]),
                       JsonNumber(us.sample), JsonNumber(us.node_score[0]),
                       us.grade ? JsonString(us.grade->label) : "null",
                       us.grade ? JsonString(us.grade->label_en) : "null");
    out += fmt::format("\"rank\":{},\"rank_note\":{},", us.rank > 0 ? std::to_string(us.rank) : "null",
                       us.rank_note.empty() ? "null" : JsonString(us.rank_note));
    if (us.rank_median) {
      out += fmt::format("\"rank_uncertainty\":{{\"median\":{},\"p05\":{},\"p95\":{}}},",
                         NumberText(*us.rank_median), NumberText(*us.rank_p05), NumberText(*us.rank_p95));
    }
    if (fw.matrix) {
      out += "\"stages\":{";
      for (size_t s = 0; s < fw.stages.size(); ++s) {
        out += fmt::format("{}{}:{}", s ? "," : "", JsonString(fw.stages[s].code), JsonNumber(us.stage_score[s]));
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
      out += fmt::format("{}{{\"code\":{},\"parent\":{},\"value\":{},\"score\":{},\"weight\":{},\"rule\":{}}}",
                         i ? "," : "", JsonString(spec.code), JsonString(ParentCode(fw, spec.parent)),
                         JsonNumber(in.values.values[u][i]), JsonNumber(us.indicator_score[i]),
                         NumberText(res.indicator_weight[i]), JsonString(RuleName(spec.rule)));
    }
    out += "],\n \"context\":{";
    for (size_t k = 0; k < fw.context.size(); ++k) {
      out += fmt::format("{}{}:{}", k ? "," : "", JsonString(fw.context[k]), JsonNumber(in.context[u][k]));
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

void PrintRows(const std::vector<std::vector<std::string>>& rows, size_t left_columns) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size());
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], DisplayWidth(r[i]));
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += Pad(r[i], width[i], i >= left_columns);
      if (i + 1 < r.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::printf("%s\n", line.c_str());
  }
}

void PrintTable(const Framework& fw, const ScoringInput& in, const ScoreResult& res) {
  std::printf("%s (version %s) — %s", fw.name.c_str(), fw.version.c_str(), in.source.c_str());
  if (in.key) std::printf(", [%s, %s) by %s", in.from_text.c_str(), in.to_text.c_str(), in.by.c_str());
  std::printf("\n");
  for (const std::string& n : in.notes) std::printf("note: %s\n", n.c_str());
  std::printf("\n");
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
  const bool unc = !res.units.empty() && std::any_of(res.units.begin(), res.units.end(),
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
    std::vector<std::string> r = {us.rank > 0 ? std::to_string(us.rank) : "-",
                                  in.names[u].empty() ? us.unit : us.unit + " " + in.names[u],
                                  us.sample ? fmt::format("{:.0f}", *us.sample) : "-",
                                  ScoreText(us.node_score[0]),
                                  us.grade ? us.grade->label : "-"};
    if (unc) {
      r.push_back(us.rank_median ? fmt::format("{:.0f}-{:.0f}", *us.rank_p05, *us.rank_p95) : "-");
    }
    for (const auto& s : us.stage_score) r.push_back(ScoreText(s));
    for (const auto& d : us.dimension_score) r.push_back(ScoreText(d));
    for (int c : top) r.push_back(ScoreText(us.node_score[c]));
    rows.push_back(std::move(r));
  }
  PrintRows(rows, 2);
  bool unranked = false;
  for (const UnitScore& us : res.units) {
    if (us.rank == 0 && !unranked) {
      std::printf("\nnot ranked:");
      unranked = true;
    }
    if (us.rank == 0) std::printf(" %s (%s);", us.unit.c_str(), us.rank_note.substr(us.rank_note.find(": ") + 2).c_str());
  }
  if (unranked) std::printf("\n");
  if (!fw.matrix) return;
  // The matrix of each unit: stages × dimensions, cell scores ("·" = no indicator in the cell).
  for (size_t u : order) {
    const UnitScore& us = res.units[u];
    std::printf("\n%s%s%s — cells (stage × dimension)\n", us.unit.c_str(), in.names[u].empty() ? "" : " ",
                in.names[u].c_str());
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
    PrintRows(m, 1);
    if (!us.missing_indicators.empty()) {
      std::printf("missing (weight shared within the cell or block):");
      for (int i : us.missing_indicators) std::printf(" %s", fw.indicators[i].code.c_str());
      std::printf("\n");
    }
  }
}

}  // namespace

Result<UncertaintyOptions> ParseUncertainty(const Args& args) {
  UncertaintyOptions o;
  auto whole = [&](const std::string& name, int64_t lo, int64_t hi, int64_t* out) -> Status {
    const std::string v = args.Get(name);
    try {
      size_t used = 0;
      const long long x = std::stoll(v, &used);
      if (used != v.size() || x < lo || x > hi) throw std::invalid_argument(v);
      *out = x;
    } catch (const std::exception&) {
      return Status::Usage(fmt::format("--{} must be a whole number from {} to {}, not '{}'", name, lo, hi, v));
    }
    return Status::Ok();
  };
  int64_t n = 0, seed = 1;
  GOVQM_RETURN_IF_ERROR(whole("uncertainty", 1, 1000000, &n));
  if (args.Has("seed")) GOVQM_RETURN_IF_ERROR(whole("seed", 0, INT64_MAX, &seed));
  o.replications = static_cast<int>(n);
  o.seed = static_cast<uint64_t>(seed);
  if (args.Has("spread")) {
    const std::string v = args.Get("spread");
    try {
      size_t used = 0;
      o.weight_spread = std::stod(v, &used);
      if (used != v.size() || !(o.weight_spread >= 0 && o.weight_spread < 1)) throw std::invalid_argument(v);
    } catch (const std::exception&) {
      return Status::Usage(fmt::format("--spread must be a number in [0, 1), not '{}'", v));
    }
  }
  o.switch_normalisation = args.flags.count("switch-normalisation") > 0;
  return o;
}

Status RunScore(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, 2,
                        {{"db", "tz", "from", "to", "by", "values", "framework", "format", "uncertainty",
                          "seed", "spread"},
                         {"switch-normalisation"}});
  if (!args.ok()) return args.status();
  if (!args->positional.empty()) return Status::Usage("score takes no positional arguments");
  const std::string format = args->Get("format", "table");
  if (format != "csv" && format != "json" && format != "table") {
    return Status::Usage(fmt::format("--format must be json, csv or table, not '{}'", format));
  }
  if (!args->Has("uncertainty") && (args->Has("seed") || args->Has("spread") ||
                                    args->flags.count("switch-normalisation"))) {
    return Status::Usage("--seed, --spread and --switch-normalisation need --uncertainty N");
  }
  std::optional<UncertaintyOptions> unc;
  if (args->Has("uncertainty")) {
    auto o = ParseUncertainty(*args);
    if (!o.ok()) return o.status();
    unc = *o;
  }
  std::string fw_path;
  auto fw = LoadFrameworkFile(*args, &fw_path);
  if (!fw.ok()) return fw.status();
  auto in = LoadScoringInput(*args, *fw, false);
  if (!in.ok()) return in.status();
  auto res = ScoreUnits(*fw, in->values);
  if (!res.ok()) return res.status();
  if (unc) GOVQM_RETURN_IF_ERROR(RankUncertainty(*fw, in->values, *unc, &res.value()));
  if (format == "table") {
    PrintTable(*fw, *in, *res);
    return Status::Ok();
  }
  const std::string out = format == "csv" ? RenderCsv(*fw, *in, *res) : RenderJson(*fw, fw_path, *in, *res);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::Ok();
}

}  // namespace govqm::cli

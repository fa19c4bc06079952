// Framework model and its TOML parser. The only translation unit of the framework module that
// includes toml++ (it is heavy to compile).
#include "framework/framework.h"

#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <set>

#include <toml++/toml.h>

#include "core/engine/catalog.h"
#include "core/one_line.h"

namespace govqm {

std::string_view DirectionName(Direction d) { return d == Direction::kHigher ? "higher" : "lower"; }

std::string_view RuleName(ScoringRule r) {
  switch (r) {
    case ScoringRule::kTarget: return "target";
    case ScoringRule::kMinMax: return "minmax";
    case ScoringRule::kZScore: return "zscore";
    case ScoringRule::kNone: return "none";
  }
  return "";
}

std::string_view AggregationName(Aggregation a) {
  return a == Aggregation::kArithmetic ? "arithmetic" : "geometric";
}

std::string_view WeightingName(Weighting w) {
  switch (w) {
    case Weighting::kExpert: return "expert";
    case Weighting::kAhp: return "ahp";
    case Weighting::kEntropy: return "entropy";
    case Weighting::kCombined: return "combined";
  }
  return "";
}

std::string_view NodeKindName(NodeKind k) {
  switch (k) {
    case NodeKind::kIndex: return "index";
    case NodeKind::kMatrix: return "matrix";
    case NodeKind::kCell: return "cell";
    case NodeKind::kBlock: return "block";
    case NodeKind::kGroup: return "node";
  }
  return "";
}

int Framework::FindNode(std::string_view code) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

int Framework::FindIndicator(std::string_view code) const {
  for (size_t i = 0; i < indicators.size(); ++i) {
    if (indicators[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

int Framework::CellNode(int stage, int dimension) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].kind == NodeKind::kCell && nodes[i].stage == stage &&
        nodes[i].dimension == dimension) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

const GradeBand* Framework::Grade(double score) const {
  if (grades.empty()) return nullptr;
  for (const GradeBand& b : grades) {
    if (score >= b.min) return &b;
  }
  return &grades.back();
}

namespace {

// The first error wins; parsing stops at it (messages name one line).
class ParseError {
 public:
  ParseError(std::string source) : source_(std::move(source)) {}
  Status At(int64_t line, const std::string& message) const {
    return Status::Invalid(source_ + ":" + std::to_string(line) + ": " + message);
  }
  Status Whole(const std::string& message) const { return Status::Invalid(source_ + ": " + message); }

 private:
  std::string source_;
};

int64_t LineOf(const toml::node& n) { return static_cast<int64_t>(n.source().begin.line); }

// Reads the keys of one table, checking that every key is known.
class Fields {
 public:
  Fields(const toml::table& t, std::string what, const ParseError& err)
      : t_(t), what_(std::move(what)), err_(err) {}

  int64_t line() const { return LineOf(t_); }

  Status CheckKeys(std::initializer_list<std::string_view> allowed) const {
    for (auto&& [k, v] : t_) {
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || a == k.str();
      if (!ok) {
        return err_.At(k.source().begin.line,
                       "unknown key '" + std::string(k.str()) + "' in " + what_);
      }
    }
    return Status::Ok();
  }

  bool Has(std::string_view key) const { return t_.contains(key); }
  int64_t LineOfKey(std::string_view key) const {
    const toml::node* n = t_.get(key);
    return n ? LineOf(*n) : line();
  }

  Status String(std::string_view key, std::string* out, bool required = false) const {
    const toml::node* n = t_.get(key);
    if (!n) {
      if (required) return err_.At(line(), what_ + " needs '" + std::string(key) + "'");
      return Status::Ok();
    }
    if (!n->is_string()) {
      return err_.At(LineOf(*n), what_ + "." + std::string(key) + " must be a string");
    }
    *out = n->as_string()->get();
    return Status::Ok();
  }

  Status Number(std::string_view key, double* out, bool required = false) const {
    const toml::node* n = t_.get(key);
    if (!n) {
      if (required) return err_.At(line(), what_ + " needs '" + std::string(key) + "'");
      return Status::Ok();
    }
    if (n->is_integer()) {
      *out = static_cast<double>(n->as_integer()->get());
    } else if (n->is_floating_point()) {
      *out = n->as_floating_point()->get();
    } else {
      return err_.At(LineOf(*n), what_ + "." + std::string(key) + " must be a number");
    }
    if (!std::isfinite(*out)) {
      return err_.At(LineOf(*n), what_ + "." + std::string(key) + " must be finite");
    }
    return Status::Ok();
  }

  Status Weight(double* out) const {
    GOVQM_RETURN_IF_ERROR(Number("weight", out));
    if (*out < 0) return err_.At(LineOfKey("weight"), what_ + ".weight must be >= 0");
    return Status::Ok();
  }

  Status StringList(std::string_view key, std::vector<std::string>* out) const {
    const toml::node* n = t_.get(key);
    if (!n) return Status::Ok();
    const toml::array* a = n->as_array();
    if (!a) return err_.At(LineOf(*n), what_ + "." + std::string(key) + " must be a list of strings");
    for (const toml::node& e : *a) {
      if (!e.is_string()) {
        return err_.At(LineOf(e), what_ + "." + std::string(key) + " must be a list of strings");
      }
      out->push_back(e.as_string()->get());
    }
    return Status::Ok();
  }

  const toml::table& table() const { return t_; }

 private:
  const toml::table& t_;
  std::string what_;
  const ParseError& err_;
};

// Aggregation, weighting and alpha of a node table.
Status NodeRules(const Fields& f, const std::string& what, const ParseError& err,
                 Aggregation default_agg, Node* node) {
  node->aggregation = default_agg;
  std::string agg;
  GOVQM_RETURN_IF_ERROR(f.String("aggregation", &agg));
  if (agg == "arithmetic") {
    node->aggregation = Aggregation::kArithmetic;
  } else if (agg == "geometric") {
    node->aggregation = Aggregation::kGeometric;
  } else if (!agg.empty()) {
    return err.At(f.LineOfKey("aggregation"),
                  what + ".aggregation must be arithmetic or geometric, not '" + agg + "'");
  }
  std::string w;
  GOVQM_RETURN_IF_ERROR(f.String("weighting", &w));
  if (w == "expert") {
    node->weighting = Weighting::kExpert;
  } else if (w == "ahp") {
    node->weighting = Weighting::kAhp;
  } else if (w == "entropy") {
    node->weighting = Weighting::kEntropy;
  } else if (w == "combined") {
    node->weighting = Weighting::kCombined;
  } else if (!w.empty()) {
    return err.At(f.LineOfKey("weighting"),
                  what + ".weighting must be expert, ahp, entropy or combined, not '" + w + "'");
  }
  GOVQM_RETURN_IF_ERROR(f.Number("alpha", &node->alpha));
  if (node->alpha < 0 || node->alpha > 1) {
    return err.At(f.LineOfKey("alpha"), what + ".alpha must be between 0 and 1");
  }
  if (f.Has("alpha") && node->weighting != Weighting::kCombined) {
    return err.At(f.LineOfKey("alpha"), what + ".alpha needs weighting = \"combined\"");
  }
  return Status::Ok();
}

// The array of tables `key` of the root (absent = empty); error when it is not one.
Result<const toml::array*> Tables(const toml::table& root, std::string_view key,
                                  const ParseError& err) {
  const toml::node* n = root.get(key);
  if (!n) return static_cast<const toml::array*>(nullptr);
  const toml::array* a = n->as_array();
  bool ok = a != nullptr;
  if (a) {
    for (const toml::node& e : *a) ok = ok && e.is_table();
  }
  if (!ok) {
    return err.At(LineOf(*n), "'" + std::string(key) + "' must be an array of tables ([[" +
                                  std::string(key) + "]])");
  }
  return a;
}

// "1/3", "3", 3, 0.333 → number.
bool AhpEntry(const toml::node& n, double* out) {
  if (n.is_integer()) {
    *out = static_cast<double>(n.as_integer()->get());
    return true;
  }
  if (n.is_floating_point()) {
    *out = n.as_floating_point()->get();
    return true;
  }
  if (!n.is_string()) return false;
  const std::string& s = n.as_string()->get();
  const size_t slash = s.find('/');
  try {
    size_t used = 0;
    if (slash == std::string::npos) {
      *out = std::stod(s, &used);
      return used == s.size();
    }
    const std::string a = s.substr(0, slash), b = s.substr(slash + 1);
    size_t ua = 0, ub = 0;
    const double x = std::stod(a, &ua), y = std::stod(b, &ub);
    if (ua != a.size() || ub != b.size() || y == 0) return false;
    *out = x / y;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

class Parser {
 public:
  Parser(std::string_view name) : err_(std::string(name)) { fw_.source = std::string(name); }

  Result<Framework> Run(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, fw_.source);
    } catch (const toml::parse_error& e) {
      std::string message(e.description());
      for (char& c : message) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      return err_.At(e.source().begin.line, message);
    } catch (const std::exception& e) {
      return err_.Whole(e.what());
    }
    GOVQM_RETURN_IF_ERROR(Top(root));
    if (fw_.matrix) {
      GOVQM_RETURN_IF_ERROR(Matrix(root));
    } else {
      GOVQM_RETURN_IF_ERROR(Tree(root));
    }
    GOVQM_RETURN_IF_ERROR(Indicators(root));
    GOVQM_RETURN_IF_ERROR(Context());
    GOVQM_RETURN_IF_ERROR(Grades(root));
    GOVQM_RETURN_IF_ERROR(Ahps(root));
    GOVQM_RETURN_IF_ERROR(Check());
    return std::move(fw_);
  }

 private:
  Status Top(const toml::table& root) {
    for (auto&& [k, v] : root) {
      static const std::set<std::string_view> kKnown = {
          "framework", "index", "stage", "dimension", "matrix", "cell", "block",
          "node",      "indicator", "grade", "ahp"};
      if (!kKnown.count(k.str())) {
        return err_.At(k.source().begin.line, "unknown section '" + std::string(k.str()) + "'");
      }
    }
    const toml::node* fnode = root.get("framework");
    if (!fnode || !fnode->is_table()) {
      return err_.At(1, "a [framework] table is required (name, version, shape)");
    }
    Fields f(*fnode->as_table(), "[framework]", err_);
    GOVQM_RETURN_IF_ERROR(f.CheckKeys({"name", "version", "shape", "min_sample",
                                       "sample_indicator", "context"}));
    GOVQM_RETURN_IF_ERROR(f.String("name", &fw_.name));
    GOVQM_RETURN_IF_ERROR(f.String("version", &fw_.version));
    std::string shape = "matrix";
    GOVQM_RETURN_IF_ERROR(f.String("shape", &shape));
    if (shape != "matrix" && shape != "tree") {
      return err_.At(f.LineOfKey("shape"), "[framework].shape must be matrix or tree, not '" + shape + "'");
    }
    fw_.matrix = shape == "matrix";
    double min_sample = 0;
    GOVQM_RETURN_IF_ERROR(f.Number("min_sample", &min_sample));
    if (min_sample < 0 || min_sample != std::floor(min_sample) || min_sample > 1e9) {
      return err_.At(f.LineOfKey("min_sample"), "[framework].min_sample must be a whole number >= 0");
    }
    fw_.min_sample = static_cast<int>(min_sample);
    GOVQM_RETURN_IF_ERROR(f.String("sample_indicator", &fw_.sample_indicator));
    GOVQM_RETURN_IF_ERROR(f.StringList("context", &fw_.context));
    context_line_ = f.LineOfKey("context");

    // The index.
    Node index;
    index.kind = NodeKind::kIndex;
    index.code = "index";
    index.name = "总指数";
    index.name_en = "index";
    index.line = 1;
    if (const toml::node* inode = root.get("index")) {
      if (!inode->is_table()) return err_.At(LineOf(*inode), "[index] must be a table");
      Fields fi(*inode->as_table(), "[index]", err_);
      GOVQM_RETURN_IF_ERROR(fi.CheckKeys({"code", "name", "name_en", "aggregation", "weighting", "alpha"}));
      GOVQM_RETURN_IF_ERROR(fi.String("code", &index.code));
      GOVQM_RETURN_IF_ERROR(fi.String("name", &index.name));
      GOVQM_RETURN_IF_ERROR(fi.String("name_en", &index.name_en));
      GOVQM_RETURN_IF_ERROR(NodeRules(fi, "[index]", err_, Aggregation::kArithmetic, &index));
      index.line = static_cast<int>(fi.line());
    }
    fw_.nodes.push_back(std::move(index));
    return Status::Ok();
  }

  Status AddNode(Node node) {
    if (node.code.empty()) return err_.At(node.line, "a node needs a non-empty code");
    const int dup = fw_.FindNode(node.code);
    if (dup >= 0) {
      return err_.At(node.line, "'" + node.code + "' is declared twice (first at line " +
                                    std::to_string(fw_.nodes[dup].line) + ")");
    }
    fw_.nodes.push_back(std::move(node));
    return Status::Ok();
  }

  Status Axis(const toml::table& root, std::string_view key, std::vector<AxisLabel>* out) {
    auto arr = Tables(root, key, err_);
    if (!arr.ok()) return arr.status();
    if (!*arr || (*arr)->empty()) {
      return err_.At(1, "the matrix shape needs at least one [[" + std::string(key) + "]]");
    }
    for (const toml::node& n : **arr) {
      Fields f(*n.as_table(), "[[" + std::string(key) + "]]", err_);
      GOVQM_RETURN_IF_ERROR(f.CheckKeys({"code", "name", "name_en", "weight"}));
      AxisLabel a;
      a.line = static_cast<int>(f.line());
      GOVQM_RETURN_IF_ERROR(f.String("code", &a.code, true));
      GOVQM_RETURN_IF_ERROR(f.String("name", &a.name));
      GOVQM_RETURN_IF_ERROR(f.String("name_en", &a.name_en));
      GOVQM_RETURN_IF_ERROR(f.Weight(&a.weight));
      if (a.code.empty() || a.code.find('/') != std::string::npos) {
        return err_.At(a.line, std::string(key) + " code must be non-empty and without '/'");
      }
      for (const AxisLabel& b : *out) {
        if (b.code == a.code) {
          return err_.At(a.line, std::string(key) + " '" + a.code + "' is declared twice (first at line " +
                                     std::to_string(b.line) + ")");
        }
      }
      out->push_back(std::move(a));
    }
    return Status::Ok();
  }

  // "stage/dimension" → (stage, dimension) indexes.
  Status CellCode(const std::string& code, int64_t line, int* stage, int* dim) {
    const size_t slash = code.find('/');
    if (slash == std::string::npos) {
      return err_.At(line, "cell '" + code + "' must be STAGE/DIMENSION");
    }
    const std::string s = code.substr(0, slash), d = code.substr(slash + 1);
    *stage = *dim = -1;
    for (size_t i = 0; i < fw_.stages.size(); ++i) {
      if (fw_.stages[i].code == s) *stage = static_cast<int>(i);
    }
    for (size_t i = 0; i < fw_.dimensions.size(); ++i) {
      if (fw_.dimensions[i].code == d) *dim = static_cast<int>(i);
    }
    if (*stage < 0) return err_.At(line, "unknown stage '" + s + "' in cell '" + code + "'");
    if (*dim < 0) return err_.At(line, "unknown dimension '" + d + "' in cell '" + code + "'");
    return Status::Ok();
  }

  // The node of cell (s, d), created on first use.
  int CellNodeFor(int s, int d, int64_t line) {
    const int existing = fw_.CellNode(s, d);
    if (existing >= 0) return existing;
    Node cell;
    cell.kind = NodeKind::kCell;
    cell.code = fw_.stages[s].code + "/" + fw_.dimensions[d].code;
    cell.name = fw_.stages[s].name + "×" + fw_.dimensions[d].name;
    cell.name_en = fw_.stages[s].name_en + " × " + fw_.dimensions[d].name_en;
    cell.parent = matrix_node_;
    cell.weight = fw_.stages[s].weight * fw_.dimensions[d].weight;
    cell.aggregation = fw_.nodes[matrix_node_].aggregation;
    cell.stage = s;
    cell.dimension = d;
    cell.line = static_cast<int>(line);
    fw_.nodes.push_back(std::move(cell));
    return static_cast<int>(fw_.nodes.size()) - 1;
  }

  Status Matrix(const toml::table& root) {
    if (root.contains("node")) {
      return err_.At(LineOf(*root.get("node")), "[[node]] needs shape = \"tree\" in [framework]");
    }
    GOVQM_RETURN_IF_ERROR(Axis(root, "stage", &fw_.stages));
    GOVQM_RETURN_IF_ERROR(Axis(root, "dimension", &fw_.dimensions));
    Node matrix;
    matrix.kind = NodeKind::kMatrix;
    matrix.code = "matrix";
    matrix.name = "过程×质量矩阵";
    matrix.name_en = "process × quality matrix";
    matrix.parent = 0;
    matrix.line = 1;
    if (const toml::node* m = root.get("matrix")) {
      if (!m->is_table()) return err_.At(LineOf(*m), "[matrix] must be a table");
      Fields f(*m->as_table(), "[matrix]", err_);
      GOVQM_RETURN_IF_ERROR(f.CheckKeys({"name", "name_en", "weight", "aggregation", "weighting", "alpha"}));
      GOVQM_RETURN_IF_ERROR(f.String("name", &matrix.name));
      GOVQM_RETURN_IF_ERROR(f.String("name_en", &matrix.name_en));
      GOVQM_RETURN_IF_ERROR(f.Weight(&matrix.weight));
      GOVQM_RETURN_IF_ERROR(NodeRules(f, "[matrix]", err_, fw_.nodes[0].aggregation, &matrix));
      matrix.line = static_cast<int>(f.line());
    }
    matrix_node_ = static_cast<int>(fw_.nodes.size());
    GOVQM_RETURN_IF_ERROR(AddNode(std::move(matrix)));

    auto cells = Tables(root, "cell", err_);
    if (!cells.ok()) return cells.status();
    if (*cells) {
      for (const toml::node& n : **cells) {
        Fields f(*n.as_table(), "[[cell]]", err_);
        GOVQM_RETURN_IF_ERROR(f.CheckKeys({"code", "weight", "aggregation", "weighting", "alpha"}));
        std::string code;
        GOVQM_RETURN_IF_ERROR(f.String("code", &code, true));
        int s, d;
        GOVQM_RETURN_IF_ERROR(CellCode(code, f.line(), &s, &d));
        if (fw_.CellNode(s, d) >= 0) {
          return err_.At(f.line(), "cell '" + code + "' is declared twice (first at line " +
                                       std::to_string(fw_.nodes[fw_.CellNode(s, d)].line) + ")");
        }
        Node& cell = fw_.nodes[CellNodeFor(s, d, f.line())];
        GOVQM_RETURN_IF_ERROR(f.Weight(&cell.weight));
        GOVQM_RETURN_IF_ERROR(NodeRules(f, "[[cell]]", err_, cell.aggregation, &cell));
        declared_cells_.insert(code);
      }
    }
    auto blocks = Tables(root, "block", err_);
    if (!blocks.ok()) return blocks.status();
    if (*blocks) {
      for (const toml::node& n : **blocks) {
        GOVQM_RETURN_IF_ERROR(NodeTable(*n.as_table(), "[[block]]", NodeKind::kBlock));
      }
    }
    return Status::Ok();
  }

  // A [[block]] or [[node]] table.
  Status NodeTable(const toml::table& t, const std::string& what, NodeKind kind) {
    Fields f(t, what, err_);
    if (kind == NodeKind::kBlock) {
      GOVQM_RETURN_IF_ERROR(f.CheckKeys({"code", "name", "name_en", "weight", "aggregation", "weighting", "alpha"}));
    } else {
      GOVQM_RETURN_IF_ERROR(f.CheckKeys({"code", "name", "name_en", "parent", "weight", "aggregation", "weighting", "alpha"}));
    }
    Node node;
    node.kind = kind;
    node.line = static_cast<int>(f.line());
    node.parent = 0;
    GOVQM_RETURN_IF_ERROR(f.String("code", &node.code, true));
    GOVQM_RETURN_IF_ERROR(f.String("name", &node.name));
    GOVQM_RETURN_IF_ERROR(f.String("name_en", &node.name_en));
    GOVQM_RETURN_IF_ERROR(f.Weight(&node.weight));
    GOVQM_RETURN_IF_ERROR(NodeRules(f, what, err_, fw_.nodes[0].aggregation, &node));
    if (kind == NodeKind::kGroup) {
      std::string parent;
      GOVQM_RETURN_IF_ERROR(f.String("parent", &parent));
      pending_parent_.push_back(parent);
      pending_parent_line_.push_back(f.LineOfKey("parent"));
    }
    if (node.code.find('/') != std::string::npos) {
      return err_.At(node.line, "node code '" + node.code + "' must not contain '/'");
    }
    return AddNode(std::move(node));
  }

  Status Tree(const toml::table& root) {
    for (const char* k : {"stage", "dimension", "matrix", "cell", "block"}) {
      if (root.contains(k)) {
        return err_.At(LineOf(*root.get(k)), "[" + std::string(k) + "] needs shape = \"matrix\" in [framework]");
      }
    }
    auto arr = Tables(root, "node", err_);
    if (!arr.ok()) return arr.status();
    if (*arr) {
      for (const toml::node& n : **arr) {
        GOVQM_RETURN_IF_ERROR(NodeTable(*n.as_table(), "[[node]]", NodeKind::kGroup));
      }
    }
    // Resolve parents (declared in any order), then order the nodes parents first.
    const size_t n = fw_.nodes.size();
    for (size_t i = 1; i < n; ++i) {
      const std::string& p = pending_parent_[i - 1];
      if (p.empty() || p == fw_.nodes[0].code) {
        fw_.nodes[i].parent = 0;
        continue;
      }
      const int pi = fw_.FindNode(p);
      if (pi < 0) return err_.At(pending_parent_line_[i - 1], "unknown parent '" + p + "'");
      if (static_cast<size_t>(pi) == i) {
        return err_.At(fw_.nodes[i].line, "node '" + fw_.nodes[i].code + "' is its own parent");
      }
      fw_.nodes[i].parent = pi;
    }
    // Depth-first order from the index; a node never reached sits on a cycle.
    std::vector<std::vector<int>> kids(n);
    for (size_t i = 1; i < n; ++i) kids[fw_.nodes[i].parent].push_back(static_cast<int>(i));
    std::vector<int> order;
    std::vector<int> stack = {0};
    while (!stack.empty()) {
      const int x = stack.back();
      stack.pop_back();
      order.push_back(x);
      for (auto it = kids[x].rbegin(); it != kids[x].rend(); ++it) stack.push_back(*it);
    }
    if (order.size() != n) {
      std::vector<bool> seen(n);
      for (int x : order) seen[x] = true;
      for (size_t i = 1; i < n; ++i) {
        if (!seen[i]) {
          return err_.At(fw_.nodes[i].line, "node '" + fw_.nodes[i].code + "' is its own ancestor (a cycle of parents)");
        }
      }
    }
    std::vector<int> new_index(n);
    for (size_t k = 0; k < n; ++k) new_index[order[k]] = static_cast<int>(k);
    std::vector<Node> sorted;
    for (int x : order) sorted.push_back(std::move(fw_.nodes[x]));
    for (Node& node : sorted) {
      if (node.parent >= 0) node.parent = new_index[node.parent];
    }
    fw_.nodes = std::move(sorted);
    return Status::Ok();
  }

  Status Indicators(const toml::table& root) {
    auto arr = Tables(root, "indicator", err_);
    if (!arr.ok()) return arr.status();
    if (!*arr || (*arr)->empty()) return err_.At(1, "no [[indicator]] declared");
    for (const toml::node& n : **arr) {
      Fields f(*n.as_table(), "[[indicator]]", err_);
      GOVQM_RETURN_IF_ERROR(f.CheckKeys({"code", "name", "name_en", "cell", "block", "parent",
                                         "direction", "rule", "floor", "target", "weight",
                                         "reason"}));
      IndicatorSpec ind;
      ind.line = static_cast<int>(f.line());
      GOVQM_RETURN_IF_ERROR(f.String("code", &ind.code, true));
      GOVQM_RETURN_IF_ERROR(f.String("name", &ind.name));
      GOVQM_RETURN_IF_ERROR(f.String("name_en", &ind.name_en));
      GOVQM_RETURN_IF_ERROR(f.String("reason", &ind.reason));
      GOVQM_RETURN_IF_ERROR(f.Weight(&ind.weight));
      if (ind.code.empty()) return err_.At(ind.line, "an indicator needs a non-empty code");
      const int dup = fw_.FindIndicator(ind.code);
      if (dup >= 0) {
        return err_.At(ind.line, "indicator '" + ind.code + "' is placed twice (first at line " +
                                     std::to_string(fw_.indicators[dup].line) + ")");
      }
      // Placement: exactly one of cell, block, parent.
      std::string cell, block, parent;
      GOVQM_RETURN_IF_ERROR(f.String("cell", &cell));
      GOVQM_RETURN_IF_ERROR(f.String("block", &block));
      GOVQM_RETURN_IF_ERROR(f.String("parent", &parent));
      const int placements = !cell.empty() + !block.empty() + !parent.empty();
      if (placements != 1) {
        return err_.At(ind.line, "indicator '" + ind.code + "' needs exactly one of cell, block or parent");
      }
      if (!cell.empty()) {
        if (!fw_.matrix) return err_.At(f.LineOfKey("cell"), "cell needs shape = \"matrix\"; use parent");
        if (FindIndicator(ind.code) < 0) {
          return err_.At(ind.line, "unknown indicator '" + ind.code + "' (not in the indicator catalog)");
        }
        int s, d;
        GOVQM_RETURN_IF_ERROR(CellCode(cell, f.LineOfKey("cell"), &s, &d));
        ind.parent = CellNodeFor(s, d, ind.line);
      } else {
        const std::string& target = block.empty() ? parent : block;
        const int p = fw_.FindNode(target);
        if (p < 0 || (!block.empty() && fw_.nodes[p].kind != NodeKind::kBlock)) {
          return err_.At(f.LineOfKey(block.empty() ? "parent" : "block"),
                         std::string(block.empty() ? "unknown parent '" : "unknown block '") + target + "'");
        }
        if (fw_.matrix && fw_.nodes[p].kind != NodeKind::kBlock && fw_.nodes[p].kind != NodeKind::kCell) {
          return err_.At(f.LineOfKey("parent"), "in the matrix shape an indicator sits in a cell or a block");
        }
        ind.parent = p;
      }
      // Direction and scoring rule.
      std::string dir = "higher", rule = "target";
      GOVQM_RETURN_IF_ERROR(f.String("direction", &dir));
      GOVQM_RETURN_IF_ERROR(f.String("rule", &rule));
      if (dir == "higher") {
        ind.direction = Direction::kHigher;
      } else if (dir == "lower") {
        ind.direction = Direction::kLower;
      } else {
        return err_.At(f.LineOfKey("direction"), "direction must be higher or lower, not '" + dir + "'");
      }
      if (rule == "target") {
        ind.rule = ScoringRule::kTarget;
      } else if (rule == "minmax") {
        ind.rule = ScoringRule::kMinMax;
      } else if (rule == "zscore") {
        ind.rule = ScoringRule::kZScore;
      } else if (rule == "none") {
        ind.rule = ScoringRule::kNone;
      } else {
        return err_.At(f.LineOfKey("rule"), "rule must be target, minmax, zscore or none, not '" + rule + "'");
      }
      if (ind.rule == ScoringRule::kTarget) {
        if (!f.Has("floor") || !f.Has("target")) {
          return err_.At(ind.line, "indicator '" + ind.code + "' with rule target needs floor and target");
        }
        GOVQM_RETURN_IF_ERROR(f.Number("floor", &ind.floor));
        GOVQM_RETURN_IF_ERROR(f.Number("target", &ind.target));
        if (ind.direction == Direction::kHigher && !(ind.target > ind.floor)) {
          return err_.At(f.LineOfKey("target"), "indicator '" + ind.code +
                                                    "': higher is better, so target must be above floor");
        }
        if (ind.direction == Direction::kLower && !(ind.target < ind.floor)) {
          return err_.At(f.LineOfKey("target"), "indicator '" + ind.code +
                                                    "': lower is better, so target must be below floor");
        }
      } else if (f.Has("floor") || f.Has("target")) {
        return err_.At(f.LineOfKey(f.Has("floor") ? "floor" : "target"),
                       "floor and target apply to rule target only");
      }
      const int self = static_cast<int>(fw_.indicators.size());
      fw_.nodes[ind.parent].indicators.push_back(self);
      fw_.indicators.push_back(std::move(ind));
    }
    return Status::Ok();
  }

  Status Context() {
    for (const std::string& c : fw_.context) {
      if (fw_.matrix && FindIndicator(c) < 0) {
        return err_.At(context_line_, "unknown indicator '" + c + "' in context (not in the indicator catalog)");
      }
      if (fw_.FindIndicator(c) >= 0) {
        return err_.At(context_line_, "'" + c + "' is both scored (line " +
                                          std::to_string(fw_.indicators[fw_.FindIndicator(c)].line) +
                                          ") and context");
      }
    }
    return Status::Ok();
  }

  Status Grades(const toml::table& root) {
    auto arr = Tables(root, "grade", err_);
    if (!arr.ok()) return arr.status();
    if (!*arr || (*arr)->empty()) {
      fw_.grades = {{"非常高", "very high", 90}, {"高", "high", 80}, {"中", "medium", 65},
                    {"低", "low", -std::numeric_limits<double>::infinity()}};
      return Status::Ok();
    }
    double previous = std::numeric_limits<double>::infinity();
    for (const toml::node& n : **arr) {
      Fields f(*n.as_table(), "[[grade]]", err_);
      GOVQM_RETURN_IF_ERROR(f.CheckKeys({"label", "label_en", "min"}));
      GradeBand b;
      GOVQM_RETURN_IF_ERROR(f.String("label", &b.label, true));
      GOVQM_RETURN_IF_ERROR(f.String("label_en", &b.label_en));
      b.min = -std::numeric_limits<double>::infinity();
      GOVQM_RETURN_IF_ERROR(f.Number("min", &b.min));
      if (!(b.min < previous)) {
        return err_.At(f.line(), "grades must be listed highest first, each min below the one before");
      }
      previous = b.min;
      fw_.grades.push_back(std::move(b));
    }
    return Status::Ok();
  }

  Status Ahps(const toml::table& root) {
    auto arr = Tables(root, "ahp", err_);
    if (!arr.ok()) return arr.status();
    if (!*arr) return Status::Ok();
    for (const toml::node& n : **arr) {
      Fields f(*n.as_table(), "[[ahp]]", err_);
      GOVQM_RETURN_IF_ERROR(f.CheckKeys({"node", "items", "matrix"}));
      std::string code;
      GOVQM_RETURN_IF_ERROR(f.String("node", &code, true));
      const int64_t line = f.line();
      const int ni = fw_.FindNode(code);
      if (ni < 0) return err_.At(f.LineOfKey("node"), "unknown node '" + code + "' for AHP");
      Node& node = fw_.nodes[ni];
      if (node.ahp_line) {
        return err_.At(line, "node '" + code + "' has two AHP matrices (first at line " +
                                 std::to_string(node.ahp_line) + ")");
      }
      std::vector<std::string> items;
      GOVQM_RETURN_IF_ERROR(f.StringList("items", &items));
      // The children, as codes, in file order.
      std::vector<std::string> kids;
      for (size_t i = 0; i < fw_.nodes.size(); ++i) {
        if (fw_.nodes[i].parent == ni) kids.push_back(fw_.nodes[i].code);
      }
      for (int ii : node.indicators) kids.push_back(fw_.indicators[ii].code);
      std::set<std::string> want(kids.begin(), kids.end()), have;
      for (const std::string& it : items) {
        if (!want.count(it)) {
          return err_.At(f.LineOfKey("items"), "AHP of '" + code + "': '" + it + "' is not a child of '" + code + "'");
        }
        if (!have.insert(it).second) {
          return err_.At(f.LineOfKey("items"), "AHP of '" + code + "': '" + it + "' is listed twice");
        }
      }
      for (const std::string& k : kids) {
        if (!have.count(k)) {
          return err_.At(f.LineOfKey("items"), "AHP of '" + code + "': child '" + k + "' is missing from items");
        }
      }
      const toml::node* m = f.table().get("matrix");
      if (!m || !m->is_array()) return err_.At(line, "AHP of '" + code + "' needs matrix = [[...], ...]");
      std::vector<std::vector<double>> matrix;
      for (const toml::node& row : *m->as_array()) {
        if (!row.is_array()) return err_.At(LineOf(row), "AHP of '" + code + "': each matrix row must be a list");
        std::vector<double> r;
        for (const toml::node& e : *row.as_array()) {
          double v;
          if (!AhpEntry(e, &v)) {
            return err_.At(LineOf(e), "AHP of '" + code + "': entries must be numbers or fractions like \"1/3\"");
          }
          r.push_back(v);
        }
        if (r.size() != items.size()) {
          return err_.At(LineOf(row), "AHP of '" + code + "': row has " + std::to_string(r.size()) +
                                          " entries, items has " + std::to_string(items.size()));
        }
        matrix.push_back(std::move(r));
      }
      if (matrix.size() != items.size()) {
        return err_.At(LineOf(*m), "AHP of '" + code + "': matrix has " + std::to_string(matrix.size()) +
                                       " rows, items has " + std::to_string(items.size()));
      }
      auto ahp = Ahp(matrix);
      if (!ahp.ok()) return err_.At(LineOf(*m), "AHP of '" + code + "': " + ahp.status().message());
      // The AHP weights replace the declared ones.
      for (size_t k = 0; k < items.size(); ++k) {
        const int child = fw_.FindNode(items[k]);
        if (child >= 0 && fw_.nodes[child].parent == ni) {
          fw_.nodes[child].weight = ahp->weights[k];
        } else {
          fw_.indicators[fw_.FindIndicator(items[k])].weight = ahp->weights[k];
        }
      }
      node.ahp_items = std::move(items);
      node.ahp_matrix = std::move(matrix);
      node.ahp = std::move(ahp.value());
      node.ahp_line = static_cast<int>(line);
      if (node.weighting == Weighting::kExpert) node.weighting = Weighting::kAhp;
    }
    for (const Node& node : fw_.nodes) {
      if (node.weighting == Weighting::kAhp && !node.ahp) {
        return err_.At(node.line, "'" + node.code + "' has weighting = \"ahp\" but no [[ahp]] names it");
      }
    }
    return Status::Ok();
  }

  // Whole-structure checks: empty nodes, weights that cannot be normalised, entropy placement.
  Status Check() {
    const size_t n = fw_.nodes.size();
    for (size_t i = 1; i < n; ++i) fw_.nodes[fw_.nodes[i].parent].children.push_back(static_cast<int>(i));
    for (size_t i = 0; i < n; ++i) {
      const Node& node = fw_.nodes[i];
      if (node.children.empty() && node.indicators.empty()) {
        if (node.kind == NodeKind::kCell) {
          return err_.At(node.line, "cell '" + node.code + "' has no indicators");
        }
        if (node.kind == NodeKind::kMatrix) return err_.At(node.line, "the matrix has no indicators");
        return err_.At(node.line, std::string(NodeKindName(node.kind)) + " '" + node.code + "' has no indicators");
      }
      if ((node.weighting == Weighting::kEntropy || node.weighting == Weighting::kCombined) &&
          !node.children.empty()) {
        return err_.At(node.line, "entropy weights need indicators as children; '" + node.code + "' has nodes");
      }
      double sum = 0;
      for (int c : node.children) sum += fw_.nodes[c].weight;
      for (int c : node.indicators) sum += fw_.indicators[c].weight;
      if (!(sum > 0) && node.weighting != Weighting::kEntropy) {
        return err_.At(node.line, "the weights of the children of '" + node.code +
                                      "' cannot be normalised (they sum to 0)");
      }
    }
    return Status::Ok();
  }

  ParseError err_;
  Framework fw_;
  int matrix_node_ = -1;
  int64_t context_line_ = 1;
  std::set<std::string> declared_cells_;
  std::vector<std::string> pending_parent_;
  std::vector<int64_t> pending_parent_line_;
};

}  // namespace

Result<Framework> ParseFramework(std::string_view toml_text, std::string_view name) {
  Parser p(name);
  auto framework = p.Run(toml_text);
  // Messages quote stage, cell and indicator names from the file, which may hold line breaks.
  if (!framework.ok()) {
    return Status(framework.status().code(), OneLine(framework.status().message()));
  }
  return framework;
}

}  // namespace govqm

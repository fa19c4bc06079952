// The monitoring framework (domain.md §1): a tree of nodes — the index, then levels, then
// leaves that are indicators — each node with a weight within its parent and an aggregation
// rule. The default shape is the stage × dimension matrix plus the supply-side blocks; any
// other tree (another assessment's structure, a published composite index) is expressible.
// The framework is configuration: parsed from TOML text (docs/FRAMEWORK.md), never from a file
// here (no I/O in this module).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "framework/weights.h"

namespace govqm {

enum class Direction { kHigher, kLower };
// kTarget: floor → 0, target → 100, linear, clamped. kMinMax: min → 0, max → 100 across the
// compared units (all equal → 100). kZScore: 50 + 10·z (population sd), clamped to 0–100.
// kNone: the value is taken as the score (already normalised data).
enum class ScoringRule { kTarget, kMinMax, kZScore, kNone };
enum class Aggregation { kArithmetic, kGeometric };
// How the weights of a node's children are set: declared (expert), from an AHP pairwise
// matrix, from the entropy of the units' values, or alpha·subjective + (1 − alpha)·entropy.
enum class Weighting { kExpert, kAhp, kEntropy, kCombined };
enum class NodeKind { kIndex, kMatrix, kCell, kBlock, kGroup };

std::string_view DirectionName(Direction d);
std::string_view RuleName(ScoringRule r);
std::string_view AggregationName(Aggregation a);
std::string_view WeightingName(Weighting w);
std::string_view NodeKindName(NodeKind k);  // "index", "matrix", "cell", "block", "node"

// A stage or dimension of the matrix.
struct AxisLabel {
  std::string code, name, name_en;
  double weight = 1;  // cell weight = stage weight × dimension weight unless a cell sets its own
  int line = 0;
};

struct IndicatorSpec {
  std::string code, name, name_en;
  int parent = -1;  // node index
  Direction direction = Direction::kHigher;
  ScoringRule rule = ScoringRule::kTarget;
  double floor = 0, target = 100;  // kTarget only
  double weight = 1;               // declared (expert) weight within the parent
  std::string reason;              // why it sits where it sits
  int line = 0;
};

struct Node {
  std::string code, name, name_en;
  NodeKind kind = NodeKind::kGroup;
  int parent = -1;   // -1 for the index
  double weight = 1;  // declared weight within the parent (AHP replaces it when declared)
  Aggregation aggregation = Aggregation::kArithmetic;
  Weighting weighting = Weighting::kExpert;
  double alpha = 0.5;  // kCombined
  // The AHP of this node's children (kAhp, or the subjective part of kCombined).
  std::vector<std::string> ahp_items;
  std::vector<std::vector<double>> ahp_matrix;
  std::optional<AhpResult> ahp;
  int ahp_line = 0;
  std::vector<int> children;    // node indexes, in file order
  std::vector<int> indicators;  // indicator indexes, in file order
  int stage = -1, dimension = -1;  // kCell: indexes into stages / dimensions
  int line = 0;
};

struct GradeBand {
  std::string label, label_en;
  double min = 0;  // inclusive lower bound; bands are kept highest first
};

struct Framework {
  std::string source;  // the name given to ParseFramework (file name), for messages
  std::string name, version;
  bool matrix = false;  // stage × dimension shape
  std::vector<AxisLabel> stages, dimensions;
  // nodes[0] is the index; a node's parent always has a smaller index.
  std::vector<Node> nodes;
  std::vector<IndicatorSpec> indicators;
  std::vector<std::string> context;  // shown beside the scores, not scored
  std::vector<GradeBand> grades;
  int min_sample = 0;                      // units with fewer records are not scored (0 = no guard)
  std::string sample_indicator = "volume";  // the count that is the sample size

  int FindNode(std::string_view code) const;       // -1 when absent
  int FindIndicator(std::string_view code) const;  // -1 when absent
  // The cell node of (stage, dimension), or -1 (an empty cell has no node).
  int CellNode(int stage, int dimension) const;
  // The grade band of a score (the last band when below every bound).
  const GradeBand* Grade(double score) const;
};

// Parses a framework from TOML text (format: docs/FRAMEWORK.md). `name` is used in messages:
// every error is one line "NAME:LINE: what is wrong" (Status::Invalid). In the matrix shape an
// indicator placed in a cell, and every context code, must be a code of the indicator catalog
// (block indicators are org codes, free by design); in the tree shape codes are free (they
// name columns of whatever table is scored). AHP matrices are solved here, so an
// inconsistent one is a parse error.
Result<Framework> ParseFramework(std::string_view toml_text, std::string_view name);

}  // namespace govqm

// The explain use case: the chain behind one number of `score` — index → (matrix) → cell,
// stage, dimension or block → indicators → value → base measures (the engine's numerator,
// denominator and sample) → a few record ids.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/explain_examples.h"
#include "app/score.h"

namespace govqm::app {

struct ExplainRequest {
  ScoringRequest input;
  std::string unit;
  // At most one target; none = the index. cell, block and node name a node by code.
  std::string cell, stage, dimension, block, node;
  bool show_records = true;  // false: no record-level examples (an auditor, the public)
};

// What is explained: a node (the index, a cell, a block, any node), or a stage or dimension
// (a view over the matrix's cells).
struct ExplainTarget {
  enum class Kind { kNode, kStage, kDimension };
  Kind kind = Kind::kNode;
  int index = 0;  // node index, or stage / dimension index
};

// One shown indicator's evidence from the store.
struct IndicatorEvidence {
  bool available = false;  // false: see `why`
  std::string why;
  std::optional<double> value;  // the engine's value for the unit
  BaseMeasures base;            // the engine's base measures of that value
  RecordExamples examples;
};

struct ExplainOutput {
  ScoreOutput score;
  size_t unit = 0;  // index into score.result.units
  ExplainTarget target;
  // Per framework indicator: the evidence of the store's catalog indicators that the chain
  // shows (empty for org indicators, values-file input and indicators not shown).
  std::vector<std::optional<IndicatorEvidence>> evidence;
  // The request's show_records: when false no evidence holds record ids (examples empty), so
  // no renderer can show them.
  bool show_records = true;
};

// `store` may be null when the request reads a values file. NotFound for an unknown unit or
// target; Usage for a matrix target on a tree framework.
Result<ExplainOutput> Explain(LoadedFramework framework, const ExplainRequest& request,
                              const Store* store);

// The framework indicators the chain of `target` shows, in the order it shows them.
std::vector<int> ShownIndicators(const Framework& fw, const ExplainTarget& target);

}  // namespace govqm::app

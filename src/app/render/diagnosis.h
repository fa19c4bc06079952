// Rendering of a diagnosis (service.md §9): the JSON object of `diagnose --format json` and
// GET /api/v1/diagnosis, the text a supervisor reads, and a table (one row per item).
#pragma once

#include <string>

#include "app/diagnose.h"

namespace govqm::render {

// One JSON object:
//   framework {name, version, file, shape}, source, period {from, to}, by,
//   unit {unit, name, sample, index, grade, grade_en, rank, rank_note, below_min_sample},
//   min_sample, compared_units, show_records, stopwords,
//   definitions {quartile, node_target, loss, difficulty_periods}, notes [text],
//   weak_points [item], difficulties [item + history [period]], highlights [item],
//   pain_points {evaluations, bad_reviews, with_reasons, commented,
//                reasons [{code, count, share, examples}], words [{word, comments,
//                occurrences, share, examples}]}  (examples [{id, comment}], [] without
//                show_records),
//   previous_periods [{from, to, state, sample, index, weak [{level, code}]}].
// An item: level (indicator, cell, block, node), code, name, name_en, parent, value, score,
// target, target_score, direction, below_target, peers_median, rank, compared, quartile (top,
// bottom, middle), weight, loss, counts (an indicator from the store: the engine's base
// measures {measure, numerator, denominator, sample}; an org indicator {org_periods}; a node
// {indicators_scored, indicators}; else null).
std::string DiagnosisJson(const app::DiagnoseResult& r);
// Sections headed 弱点 weak points, 难点 difficulties, 痛点 pain points, 亮点 highlights.
std::string DiagnosisText(const app::DiagnoseResult& r);
// Columns section, level, code, name, value, target, peers_median, rank, loss (items), then
// the pain points' reasons and words (their counts in the value column).
std::string DiagnosisTable(const app::DiagnoseResult& r);

}  // namespace govqm::render

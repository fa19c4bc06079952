// Weighting rules of the framework (spec §1 "Weights"): expert weights (normalised), AHP from a
// pairwise comparison matrix, the entropy weight method, and a convex combination of subjective
// and objective weights. Pure math: no I/O, no configuration.
#pragma once

#include <optional>
#include <vector>

#include "core/status.h"

namespace govqm {

// The outcome of an AHP computation over an n x n pairwise comparison matrix.
struct AhpResult {
  std::vector<double> weights;  // principal (Perron) eigenvector, normalised to sum 1
  double lambda_max = 0;        // principal eigenvalue: mean over i of (A w)_i / w_i
  double ci = 0;                // consistency index (lambda_max - n) / (n - 1); 0 when n <= 2
  double cr = 0;                // consistency ratio CI / RI; 0 when n <= 2 (RI = 0)
};

// Saaty's random index RI for a matrix of order n: n = 1..10 ->
// 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49; 0 outside 1..10.
double SaatyRandomIndex(int n);

// AHP weights from a pairwise matrix, matrix[i][j] = importance of criterion i over criterion j.
// Requires: square, non-empty, n <= 10 (Saaty's RI table ends there), every entry finite and
// > 0, diagonal exactly 1 (within 1e-9), reciprocal (a_ji = 1/a_ij within 1e-6 relative).
// Returns Status::Invalid with a one-line message otherwise, and when CR >= 0.10
// ("not consistent: CR = 0.134 >= 0.10"). Indices in messages are 1-based.
// Method: power iteration until the normalised vector changes by < 1e-12 (max abs).
Result<AhpResult> Ahp(const std::vector<std::vector<double>>& matrix);

// Entropy weights over units x indicators: values[u][j] is unit u's value of indicator j
// (nullopt = missing: that unit is left out of indicator j's computation only).
// higher_is_better[j] gives indicator j's direction; every row must have its size.
// Method, exactly (the literature varies; these are the choices made here):
//   1. per indicator j, over the m_j units with a value, min-max normalise to [0, 1]:
//      x = (v - min) / (max - min) if higher is better, (max - v) / (max - min) otherwise;
//      NO epsilon shift is applied (some authors add e.g. 0.01 to avoid zeros; we do not),
//      so the worst unit gets x = 0 and contributes 0 (0 ln 0 = 0);
//   2. p_uj = x_uj / sum_u x_uj;
//   3. e_j = -(1 / ln m_j) sum_u p_uj ln p_uj;   d_j = 1 - e_j;
//   4. w_j = d_j / sum_k d_k.
// An indicator whose values are all equal, or that has fewer than 2 values, gets d_j = 0.
// If every d_j = 0 the result is equal weights 1/J. Invalid for non-finite values, ragged rows,
// or no indicators.
Result<std::vector<double>> EntropyWeights(
    const std::vector<std::vector<std::optional<double>>>& values,
    const std::vector<bool>& higher_is_better);

// alpha * subjective + (1 - alpha) * objective, renormalised to sum 1. Both inputs are
// normalised first (so they need not sum to 1). Invalid if alpha is not in [0, 1], sizes
// differ, or either input cannot be normalised (see NormalizeWeights).
Result<std::vector<double>> CombineWeights(const std::vector<double>& subjective,
                                           const std::vector<double>& objective, double alpha);

// Weights divided by their sum. Invalid if empty, any is negative or non-finite, or all are 0.
Result<std::vector<double>> NormalizeWeights(const std::vector<double>& weights);

}  // namespace govqm

#include "core/random.h"

#include <algorithm>

namespace govqm {

namespace {
constexpr double kLn2 = 0.693147180559945309417232121458;
}  // namespace

double DetExp(double x) {
  if (x > 700) x = 700;
  if (x < -700) return 0.0;
  // x = k ln2 + r with |r| <= ln2/2, then e^r by its Taylor series.
  const double kd = std::nearbyint(x / kLn2);
  const double r = x - kd * kLn2;
  double term = 1.0, sum = 1.0;
  for (int n = 1; n <= 18; ++n) {
    term *= r / n;
    sum += term;
  }
  return std::ldexp(sum, static_cast<int>(kd));
}

double DetLog(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // x = m 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  // log m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.172.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double power = s, sum = 0.0;
  for (int k = 0; k < 14; ++k) {
    sum += power / (2 * k + 1);
    power *= s2;
  }
  return 2.0 * sum + e * kLn2;
}

CumulativePicker::CumulativePicker(std::span<const double> weights) {
  cum_.reserve(weights.size());
  double total = 0;
  for (double w : weights) {
    total += w;
    cum_.push_back(total);
  }
}

int CumulativePicker::Pick(Rng& rng) const {
  const double x = rng.Uniform() * cum_.back();
  const auto it = std::upper_bound(cum_.begin(), cum_.end(), x);
  return std::min(static_cast<int>(it - cum_.begin()), static_cast<int>(cum_.size()) - 1);
}

}  // namespace govqm

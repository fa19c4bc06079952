// A seeded PRNG and distributions that give the same numbers on every platform and library
// version: the generator promises byte-identical output for the same seed, and the scoring's
// uncertainty analysis the same ranks for the same --seed. So no std::*_distribution and no
// libm transcendental functions whose last bit may differ.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace govqm {

// SplitMix64 step: used to seed and to derive independent streams from one seed.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// exp and natural log from + - * / and exact scaling only, so results are bit-identical
// wherever IEEE doubles are (accurate to ~1e-15 relative, plenty for synthetic data).
double DetExp(double x);
double DetLog(double x);  // x > 0

__extension__ typedef unsigned __int128 Uint128;  // GCC/Clang; only for Rng::Int

// xoshiro256** (Blackman & Vigna).
class Rng {
 public:
  // `stream` separates independent sequences drawn from the same seed.
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (uint64_t& w : s_) w = SplitMix64(sm);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi] (inclusive); multiply-shift, bias negligible for small ranges.
  int64_t Int(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo +
           static_cast<int64_t>(static_cast<uint64_t>((static_cast<Uint128>(Next()) * span) >> 64));
  }
  bool Chance(double p) { return Uniform() < p; }

  // Standard normal by Marsaglia's polar method (sqrt is exactly rounded by IEEE).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = Uniform() * 2.0 - 1.0;
      v = Uniform() * 2.0 - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double m = std::sqrt(-2.0 * DetLog(s) / s);
    spare_ = v * m;
    has_spare_ = true;
    return u * m;
  }
  // exp(N(mu, sigma)): median exp(mu).
  double LogNormal(double mu, double sigma) { return DetExp(mu + sigma * Normal()); }
  // Index drawn with probability proportional to weights[i] (linear scan: lists are short).
  int Pick(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(weights.size()) - 1;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

// Weighted choice among many entries by binary search on cumulative weights.
class CumulativePicker {
 public:
  CumulativePicker() = default;
  explicit CumulativePicker(std::span<const double> weights);
  int Pick(Rng& rng) const;
  bool empty() const { return cum_.empty(); }

 private:
  std::vector<double> cum_;
};

}  // namespace govqm

// The domain's thresholds (domain.md §3), named once: the engine's scans, explain's record
// examples, the catalog's texts and the generator all read them from here.
#pragma once

#include <cstdint>
#include <string_view>

namespace govqm::thresholds {

// Evaluation scores are 1–5.
inline constexpr int32_t kBadReviewMaxScore = 2;      // score <= 2: a bad review (差评)
inline constexpr int32_t kPositiveMinScore = 3;       // score >= 3: positive (好评)
inline constexpr int32_t kTop2MinScore = 4;           // score >= 4: the top two boxes
inline constexpr int32_t kRevisitSatisfiedMinScore = 3;  // a revisit scored >= 3: satisfied
// An offline wait longer than this many minutes is a long wait.
inline constexpr double kLongWaitMinutes = 30;
// Applicants and evaluators of at least this age are elderly (the digital divide).
inline constexpr int32_t kElderlyMinAge = 60;
// Age bands: <30, 30-44, 45-59, 60-69, 70+ (each bound is the first age of the next band).
inline constexpr int32_t kAgeBandBounds[] = {30, 45, 60, 70};

constexpr bool IsBadReview(int32_t score) { return score <= kBadReviewMaxScore; }
constexpr bool IsPositive(int32_t score) { return score >= kPositiveMinScore; }
constexpr bool IsTop2(int32_t score) { return score >= kTop2MinScore; }
constexpr bool IsRevisitSatisfied(int32_t score) { return score >= kRevisitSatisfiedMinScore; }
constexpr bool IsLongWait(double minutes) { return minutes > kLongWaitMinutes; }
constexpr bool IsElderly(int32_t age) { return age >= kElderlyMinAge; }

// The band of a known age: 1 (<30) .. 5 (70+); 0 is kept for an unknown age.
constexpr uint32_t AgeBandOf(int32_t age) {
  return age < kAgeBandBounds[0]   ? 1
         : age < kAgeBandBounds[1] ? 2
         : age < kAgeBandBounds[2] ? 3
         : age < kAgeBandBounds[3] ? 4
                                   : 5;
}
// Labels by band (0 = unknown, printed as a null key).
inline constexpr std::string_view kAgeBandLabels[] = {"", "<30", "30-44", "45-59", "60-69", "70+"};

static_assert(kAgeBandBounds[2] == kElderlyMinAge, "the 60-69 band starts at the elderly age");

}  // namespace govqm::thresholds

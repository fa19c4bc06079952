// The server's sessions (service.md §4): 256-bit ids kept by hash, idle expiry 30 min,
// absolute 12 h, a CSRF token per session.
#include <gtest/gtest.h>

#include <set>

#include "security/accounts.h"

namespace govqm::security {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kT0 = 1'700'000'000'000;

Principal Ana() {
  Principal p;
  p.user = "ana";
  p.role = Role::kSupervisor;
  p.scope.region = "450100";
  return p;
}

TEST(SessionsTest, IdsAndCsrfTokensAre256RandomBitsEach) {
  Sessions sessions;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const NewSession s = sessions.Create(Ana(), kT0);
    EXPECT_EQ(s.id.size(), 64u);
    EXPECT_EQ(s.session.csrf.size(), 64u);
    EXPECT_EQ(s.id.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(seen.insert(s.id).second);
    EXPECT_TRUE(seen.insert(s.session.csrf).second);
  }
}

TEST(SessionsTest, IdleExpiryIsThirtyMinutesAndUseRestartsIt) {
  Sessions sessions;
  const NewSession s = sessions.Create(Ana(), kT0);
  auto found = sessions.Find(s.id, kT0 + 30 * kMinute);  // exactly 30 min idle: still alive
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->principal.user, "ana");
  EXPECT_EQ(found->principal.scope.region, "450100");
  EXPECT_EQ(found->csrf, s.session.csrf);
  // Used at 30 min, so alive until 60 min, gone 1 ms after.
  EXPECT_TRUE(sessions.Find(s.id, kT0 + 60 * kMinute).ok());
  EXPECT_EQ(sessions.Find(s.id, kT0 + 90 * kMinute + 1).status().code(),
            StatusCode::kUnauthenticated);
  // Once expired, it stays gone.
  EXPECT_FALSE(sessions.Find(s.id, kT0 + 61 * kMinute).ok());
}

TEST(SessionsTest, AbsoluteExpiryIsTwelveHoursHoweverBusy) {
  Sessions sessions;
  const NewSession s = sessions.Create(Ana(), kT0);
  for (int64_t t = kT0; t <= kT0 + 12 * 60 * kMinute; t += 20 * kMinute) {
    ASSERT_TRUE(sessions.Find(s.id, t).ok()) << (t - kT0) / kMinute << " min";
  }
  EXPECT_FALSE(sessions.Find(s.id, kT0 + 12 * 60 * kMinute + 1).ok());
}

TEST(SessionsTest, UnknownAndRemovedIdsAreNotSignedIn) {
  Sessions sessions;
  const NewSession a = sessions.Create(Ana(), kT0);
  const NewSession b = sessions.Create(Ana(), kT0);
  EXPECT_FALSE(sessions.Find(std::string(64, '0'), kT0).ok());
  EXPECT_FALSE(sessions.Find("", kT0).ok());
  EXPECT_FALSE(sessions.Find(a.session.csrf, kT0).ok());  // the CSRF token is not an id
  sessions.Remove(a.id);
  EXPECT_FALSE(sessions.Find(a.id, kT0).ok());
  EXPECT_TRUE(sessions.Find(b.id, kT0).ok());
}

TEST(SessionsTest, ExpiredSessionsAreSweptWhileOthersLive) {
  Sessions sessions;
  const NewSession old = sessions.Create(Ana(), kT0);
  // Much later: creating another sweeps the old one; the new one lives.
  const NewSession fresh = sessions.Create(Ana(), kT0 + 13 * 60 * kMinute);
  EXPECT_FALSE(sessions.Find(old.id, kT0 + 13 * 60 * kMinute).ok());
  EXPECT_TRUE(sessions.Find(fresh.id, kT0 + 13 * 60 * kMinute + kMinute).ok());
}

}  // namespace
}  // namespace govqm::security

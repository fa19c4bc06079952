// The ClickHouse backend through the real program, as a new user would use it: `init
// --backend`, imports, then every reading command gives what the embedded store gives for the
// same files (the test cluster of tests/support/clickhouse_cluster.h, two shards).
#include <gtest/gtest.h>

#include "cli/cli_harness.h"
#include "support/clickhouse_cluster.h"

namespace govqm::testing {
namespace {

std::string BackendArgs(bool two_shards, const std::string& database) {
  const auto& cluster = SharedClickHouseCluster();
  EXPECT_TRUE(cluster.ok()) << cluster.status().message();
  if (!cluster.ok()) return "";
  platform::ClickHouseEndpoint e =
      two_shards ? (*cluster)->endpoint() : (*cluster)->servers()[0];
  e.database = database;
  std::string args = " --backend " + platform::ClickHouseUrl(e);
  if (two_shards) args += " --cluster " + e.cluster;
  return args;
}

TEST_F(CliTest, AClickHouseStoreAnswersAsTheEmbeddedOne) {
  ASSERT_EQ(Run("generate --out data --scale 4000 --seed 5").exit_code, 0);
  RunResult r = Run("init --db embedded.db");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run("init --db ch.db" + BackendArgs(true, "cli_" + std::to_string(::getpid())));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("transactions and evaluations go to clickhouse://"), std::string::npos)
      << r.out;
  for (const char* kind : {"regions", "departments", "items", "transactions", "evaluations",
                           "rectifications", "probes", "guides", "org"}) {
    for (const char* db : {"embedded.db", "ch.db"}) {
      r = Run(std::string("import ") + kind + " data/" + kind + ".csv --db " + db);
      ASSERT_EQ(r.exit_code, 0) << kind << " " << db << ": " << r.err;
    }
  }
  for (const std::string& command :
       {std::string("indicators --from 2024-01-01 --to 2025-01-01 --by city --format csv"),
        std::string("indicators --from 2024-06-01 --to 2024-09-01 --by channel,month --format csv"),
        std::string("score --from 2024-01-01 --to 2025-01-01 --by city --format csv")}) {
    const RunResult embedded = Run(command + " --db embedded.db");
    const RunResult ch = Run(command + " --db ch.db");
    ASSERT_EQ(embedded.exit_code, 0) << embedded.err;
    ASSERT_EQ(ch.exit_code, 0) << ch.err;
    EXPECT_GT(embedded.out.size(), 500u);
    // The score names its source (the store file); everything else is the same bytes.
    auto without_source = [](std::string s) {
      for (const char* name : {"embedded.db", "ch.db"}) {
        for (size_t at; (at = s.find(name)) != std::string::npos;) s.erase(at, std::string(name).size());
      }
      return s;
    };
    EXPECT_EQ(without_source(ch.out), without_source(embedded.out)) << command;
  }
}

TEST_F(CliTest, ABackendThatCannotBeUsedLeavesNoStore) {
  RunResult r = Run("init --db a.db --backend postgres://127.0.0.1/x");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = Run("init --db a.db --cluster two");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--cluster needs --backend"), std::string::npos) << r.err;
  // Nobody listens on port 1: a clear error, and neither the store nor its key is left.
  r = Run("init --db a.db --backend clickhouse://127.0.0.1:1/govqm");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_FALSE(Exists("a.db"));
  EXPECT_FALSE(Exists("a.key"));
  // A cluster the server does not know.
  r = Run("init --db a.db" + BackendArgs(false, "cli_nocluster") + " --cluster no_such_cluster");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("no_such_cluster"), std::string::npos) << r.err;
  EXPECT_FALSE(Exists("a.db"));
}

}  // namespace
}  // namespace govqm::testing

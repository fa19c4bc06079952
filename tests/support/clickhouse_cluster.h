// A ClickHouse test cluster for test programs: scripts/clickhouse-test-cluster.sh started in a
// fresh temporary directory, stopped (and the directory removed) when the owner is destroyed.
// Servers never outlive the test process: a watchdog process, detached from it, waits on a
// pipe that only the test process holds; when it closes (an exit, a crash, SIGKILL from ctest's
// timeout) the watchdog runs the script's `stop DIR --remove`, which ends only the servers
// recorded in DIR.
//
// No clickhouse-server installed is a failure that says to run scripts/install-deps.sh, never
// a skip: the ClickHouse backend's tests are part of every run.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "platform/clickhouse.h"

namespace govqm::testing {

class ClickHouseTestCluster {
 public:
  // Starts a cluster of `shards` (1 or 2) servers on free loopback ports, each with the
  // database govqm_test; the cluster is govqm_two_shards (govqm_one_shard for 1).
  static Result<std::unique_ptr<ClickHouseTestCluster>> Start(int shards);
  ~ClickHouseTestCluster();
  ClickHouseTestCluster(const ClickHouseTestCluster&) = delete;
  ClickHouseTestCluster& operator=(const ClickHouseTestCluster&) = delete;

  // The first server, database govqm_test, with the cluster's name (GOVQM_CH_URL and
  // GOVQM_CH_CLUSTER of DIR/env).
  const platform::ClickHouseEndpoint& endpoint() const { return endpoint_; }
  // Each server alone (database govqm_test, no cluster), in shard order.
  const std::vector<platform::ClickHouseEndpoint>& servers() const { return servers_; }
  // The servers' pids (DIR/sN/pid), in shard order.
  std::vector<pid_t> ServerPids() const;
  const std::string& dir() const { return dir_; }

  // Stops the servers and removes the directory (what the destructor does); the script's output.
  Status Stop();

 private:
  ClickHouseTestCluster() = default;

  std::string dir_;
  platform::ClickHouseEndpoint endpoint_;
  std::vector<platform::ClickHouseEndpoint> servers_;
  int watchdog_fd_ = -1;  // the write end the watchdog waits on
  bool stopped_ = false;
};

// The two-shard cluster of this test process, started on first use and stopped at exit. Its
// status is the start's failure when it could not start (e.g. ClickHouse not installed).
const Result<std::unique_ptr<ClickHouseTestCluster>>& SharedClickHouseCluster();

}  // namespace govqm::testing

// platform/clickhouse.h against real ClickHouse 18.16 servers: the two-shard test cluster of
// tests/support (scripts/clickhouse-test-cluster.sh), started once per test process.
#include "platform/clickhouse.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/clickhouse_cluster.h"

namespace govqm::platform {
namespace {

using testing::ClickHouseTestCluster;
using testing::SharedClickHouseCluster;

// ---- URLs and TabSeparated text (no server) ---------------------------------------------------

TEST(ClickHouseUrl, ParsesHostPortDatabase) {
  auto e = ParseClickHouseUrl("clickhouse://db1.example.org:9440/govqm", "govqm_two_shards");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->host, "db1.example.org");
  EXPECT_EQ(e->port, 9440);
  EXPECT_EQ(e->database, "govqm");
  EXPECT_EQ(e->cluster, "govqm_two_shards");
  EXPECT_EQ(ClickHouseUrl(*e), "clickhouse://db1.example.org:9440/govqm");
}

TEST(ClickHouseUrl, PortDefaultsTo9000AndIpv6IsBracketed) {
  auto e = ParseClickHouseUrl("clickhouse://10.0.0.7/stats_2024", "");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->host, "10.0.0.7");
  EXPECT_EQ(e->port, 9000);
  EXPECT_EQ(e->cluster, "");
  EXPECT_EQ(ClickHouseUrl(*e), "clickhouse://10.0.0.7:9000/stats_2024");

  auto v6 = ParseClickHouseUrl("clickhouse://[::1]:19000/_d", "");
  ASSERT_TRUE(v6.ok()) << v6.status().message();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 19000);
  EXPECT_EQ(ClickHouseUrl(*v6), "clickhouse://[::1]:19000/_d");
  auto back = ParseClickHouseUrl(ClickHouseUrl(*v6), "");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->host, "::1");
}

TEST(ClickHouseUrl, RefusesWhatIsNotAnEndpoint) {
  struct Case {
    const char* url;
    const char* cluster;
    const char* says;
  };
  const Case cases[] = {
      {"http://h:8123/db", "", "does not start with clickhouse://"},
      {"clickhouse://h:9000", "", "names no database"},
      {"clickhouse://h:9000/", "", "names no database"},
      {"clickhouse://h/db; DROP TABLE x", "", "not a name of letters"},
      {"clickhouse://h/1db", "", "not a name of letters"},
      {"clickhouse://h/db/extra", "", "not a name of letters"},
      {"clickhouse://h/db?x=1", "", "not a name of letters"},
      {"clickhouse://u:p@h/db", "", "credentials"},
      {"clickhouse://h:0/db", "", "not a number in 1..65535"},
      {"clickhouse://h:65536/db", "", "not a number in 1..65535"},
      {"clickhouse://h:90a/db", "", "not a number in 1..65535"},
      {"clickhouse://h:/db", "", "not a number in 1..65535"},
      {"clickhouse:///db", "", "has no host"},
      {"clickhouse://h h/db", "", "host with a character"},
      {"clickhouse://[::1/db", "", "unclosed ["},
      {"clickhouse://h/db", "two-shards", "cluster 'two-shards'"},
      {"clickhouse://h/db", "x`y", "cluster 'x`y'"},
  };
  for (const Case& c : cases) {
    auto e = ParseClickHouseUrl(c.url, c.cluster);
    ASSERT_FALSE(e.ok()) << c.url;
    EXPECT_EQ(e.status().code(), StatusCode::kUsage) << c.url;
    EXPECT_NE(e.status().message().find(c.says), std::string::npos)
        << c.url << ": " << e.status().message();
  }
}

TEST(ClickHouseTsv, EscapesAsClickHouseWritesStrings) {
  std::string out;
  AppendTsvEscaped(&out, std::string("a\tb\nc\\d'e\0f\bg\fh\ri\x01j\x7f\"k", 22));
  EXPECT_EQ(out, "a\\tb\\nc\\\\d\\'e\\0f\\bg\\fh\\ri\x01j\x7f\"k");
  out.clear();
  AppendTsvEscaped(&out, "办事大厅\t窗口 3");
  EXPECT_EQ(out, "办事大厅\\t窗口 3");
}

TEST(ClickHouseTsv, RoundTripsAndReadsClickHouseEscapes) {
  const std::vector<std::string> values = {
      "", "plain", "tab\there", "line\nbreak\r\n", "back\\slash\\", "quote ' and \"",
      std::string("nul\0byte", 8), "政务服务\t好评\n差评\\", "\\t is not a tab", "\b\f\x1b\v\a"};
  for (const std::string& v : values) {
    std::string escaped;
    AppendTsvEscaped(&escaped, v);
    EXPECT_EQ(escaped.find('\t'), std::string::npos);
    EXPECT_EQ(escaped.find('\n'), std::string::npos);
    EXPECT_EQ(UnescapeTsv(escaped), v);
  }
  // What ClickHouse accepts besides its own output: \a \e \v, \xHH, \N (as nothing) and a
  // backslash before any other byte standing for that byte.
  EXPECT_EQ(UnescapeTsv("\\a\\e\\v"), "\a\x1b\v");
  EXPECT_EQ(UnescapeTsv("\\x41\\x4a\\xg1"), "AJxg1");
  EXPECT_EQ(UnescapeTsv("A\\NB"), "AB");
  EXPECT_EQ(UnescapeTsv("\\q\\/\\\""), "q/\"");
  EXPECT_EQ(UnescapeTsv("end\\"), "end\\");

  std::vector<std::string_view> fields;
  SplitTsvFields("1\ta\\tb\t\t中文", &fields);
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[1], "a\\tb");
  EXPECT_EQ(fields[2], "");
  EXPECT_EQ(fields[3], "中文");
  SplitTsvFields("", &fields);
  EXPECT_EQ(fields.size(), 1u);
}

TEST(ClickHouseClient, NamesTheMissingClientProgram) {
  ClickHouseClientOptions options;
  options.client_program = "/nonexistent/clickhouse-client";
  ClickHouseClient client(ClickHouseEndpoint{}, options);
  const Status st = client.Ping();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("/nonexistent/clickhouse-client"), std::string::npos);
}

// ---- against the test cluster -----------------------------------------------------------------

class ClickHouseClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& cluster = SharedClickHouseCluster();
    ASSERT_TRUE(cluster.ok()) << cluster.status().message();
    cluster_ = cluster->get();
    table_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  ClickHouseClient Client() const { return ClickHouseClient(cluster_->endpoint()); }
  ClickHouseClient Server(size_t i) const { return ClickHouseClient(cluster_->servers()[i]); }

  // Runs `ddl` on every host of the cluster (no ON CLUSTER without ZooKeeper).
  void OnEachHost(const std::string& ddl) const {
    auto hosts = Client().ListClusterHosts();
    ASSERT_TRUE(hosts.ok()) << hosts.status().message();
    for (const ClickHouseClusterHost& host : *hosts) {
      const auto r = Client().ForEndpoint(host.endpoint).Query(ddl);
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
  }

  std::string Ask(const ClickHouseClient& client, const std::string& sql,
                  const std::vector<ExternalTable>& external = {}) const {
    auto r = client.Query(sql, external);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().message();
    return r.ok() ? *r : "";
  }

  const ClickHouseTestCluster* cluster_ = nullptr;
  std::string table_;
};

TEST_F(ClickHouseClusterTest, PingsAndListsTheShards) {
  EXPECT_TRUE(Client().Ping().ok());
  auto hosts = Client().ListClusterHosts();
  ASSERT_TRUE(hosts.ok()) << hosts.status().message();
  ASSERT_EQ(hosts->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*hosts)[i].shard_num, static_cast<int>(i + 1));
    EXPECT_EQ((*hosts)[i].replica_num, 1);
    EXPECT_EQ((*hosts)[i].endpoint.host, "127.0.0.1");
    EXPECT_EQ((*hosts)[i].endpoint.port, cluster_->servers()[i].port);
    EXPECT_EQ((*hosts)[i].endpoint.database, "govqm_test");
  }
  ClickHouseEndpoint unknown = cluster_->endpoint();
  unknown.cluster = "no_such_cluster";
  auto none = Client().ForEndpoint(unknown).ListClusterHosts();
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(none.status().message().find("no cluster named no_such_cluster"), std::string::npos);
}

TEST_F(ClickHouseClusterTest, QueriesASmallTable) {
  const ClickHouseClient c = Server(0);
  Ask(c, "CREATE TABLE " + table_ + " (id UInt32, name String, score Float64) ENGINE = Memory");
  auto insert = c.BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  ASSERT_TRUE((*insert)->Write("2\t窗口\\t二\t4.5\n1\tfirst\t-0.25\n3\t\t0\n").ok());
  ASSERT_TRUE((*insert)->Finish().ok());
  EXPECT_EQ(Ask(c, "SELECT id, name, score FROM " + table_ + " ORDER BY id"),
            "1\tfirst\t-0.25\n2\t窗口\\t二\t4.5\n3\t\t0\n");
  EXPECT_EQ(Ask(c, "SELECT count(), sum(score) FROM " + table_), "3\t4.25\n");
}

TEST_F(ClickHouseClusterTest, EscapedTextRoundTripsThroughTheServer) {
  const ClickHouseClient c = Server(0);
  Ask(c, "CREATE TABLE " + table_ + " (n UInt32, s String) ENGINE = Memory");
  const std::vector<std::string> values = {
      "", "tab\there", "line\nbreak", "back\\slash", "it's", std::string("a\0b", 3),
      "政务服务“好差评”\t评价\n", "\b\f\r\x01\x7f"};
  std::string tsv;
  for (size_t i = 0; i < values.size(); ++i) {
    tsv += std::to_string(i) + "\t";
    AppendTsvEscaped(&tsv, values[i]);
    tsv += "\n";
  }
  auto insert = c.BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  ASSERT_TRUE((*insert)->Write(tsv).ok());
  ASSERT_TRUE((*insert)->Finish().ok());
  // The server holds the bytes themselves (its length() counts them) and writes them back
  // escaped exactly as AppendTsvEscaped does.
  std::vector<std::string_view> fields;
  size_t rows = 0;
  ASSERT_TRUE(c.QueryLines("SELECT n, s, length(s) FROM " + table_ + " ORDER BY n",
                           [&](std::string_view line) {
                             SplitTsvFields(line, &fields);
                             const std::string& want = values.at(std::stoul(std::string(fields[0])));
                             std::string escaped;
                             AppendTsvEscaped(&escaped, want);
                             EXPECT_EQ(fields[1], escaped);
                             EXPECT_EQ(UnescapeTsv(fields[1]), want);
                             EXPECT_EQ(std::stoul(std::string(fields[2])), want.size());
                             ++rows;
                             return Status::Ok();
                           })
                  .ok());
  EXPECT_EQ(rows, values.size());
}

// One generated row of the streaming test: every value from the row number, so the test can
// total them itself.
struct Row {
  uint64_t id;
  uint16_t group;
  int64_t value;
  std::string name;
};
Row MakeRow(uint64_t i) {
  return Row{i, static_cast<uint16_t>(i % 97),
             static_cast<int64_t>((i * 2654435761u) % 1000003) - 500000,
             i % 1000 == 0 ? "tab\tand\nline" : "r" + std::to_string(i % 5000)};
}

TEST_F(ClickHouseClusterTest, StreamsAMillionRowsIntoADistributedTable) {
  const std::string local = table_ + "_local";
  OnEachHost("CREATE TABLE " + local +
             " (id UInt64, grp UInt16, value Int64, name String) ENGINE = MergeTree() "
             "ORDER BY id");
  // Sharding key id: with two shards of weight 1, even ids go to shard 1, odd ids to shard 2.
  OnEachHost("CREATE TABLE " + table_ + " AS " + local + " ENGINE = Distributed(" +
             cluster_->endpoint().cluster + ", govqm_test, " + local + ", id)");
  constexpr uint64_t kRows = 1000000;
  uint64_t count[2] = {0, 0};
  int64_t sum[2] = {0, 0};
  uint64_t tricky_names = 0;
  const ClickHouseClient c = Client().WithSetting("insert_distributed_sync", "1");
  auto insert = c.BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
  ASSERT_TRUE(insert.ok()) << insert.status().message();
  std::string batch;
  for (uint64_t i = 0; i < kRows; ++i) {
    const Row r = MakeRow(i);
    count[i % 2] += 1;
    sum[i % 2] += r.value;
    tricky_names += r.name == "tab\tand\nline";
    batch += std::to_string(r.id) + '\t' + std::to_string(r.group) + '\t' +
             std::to_string(r.value) + '\t';
    AppendTsvEscaped(&batch, r.name);
    batch += '\n';
    if (batch.size() > 100000) {
      ASSERT_TRUE((*insert)->Write(batch).ok());
      batch.clear();
    }
  }
  ASSERT_TRUE((*insert)->Write(batch).ok());
  const Status finished = (*insert)->Finish();
  ASSERT_TRUE(finished.ok()) << finished.message();

  // insert_distributed_sync=1: every row is on its shard when the insert returns.
  EXPECT_EQ(Ask(Client(), "SELECT count(), sum(value), countIf(name = 'tab\\tand\\nline') FROM " +
                              table_),
            std::to_string(kRows) + "\t" + std::to_string(sum[0] + sum[1]) + "\t" +
                std::to_string(tricky_names) + "\n");
  for (size_t shard = 0; shard < 2; ++shard) {
    EXPECT_EQ(Ask(Server(shard), "SELECT count(), sum(value), min(id % 2), max(id % 2) FROM " +
                                     local),
              std::to_string(count[shard]) + "\t" + std::to_string(sum[shard]) + "\t" +
                  std::to_string(shard) + "\t" + std::to_string(shard) + "\n")
        << "shard " << shard + 1;
  }
  // Read back in bounded memory, line by line: every row as it was generated.
  uint64_t lines = 0;
  std::vector<std::string_view> fields;
  const Status read = Client().QueryLines(
      "SELECT id, grp, value, name FROM " + table_, [&](std::string_view line) {
        SplitTsvFields(line, &fields);
        const Row want = MakeRow(std::stoull(std::string(fields[0])));
        if (fields[1] != std::to_string(want.group) || fields[2] != std::to_string(want.value) ||
            UnescapeTsv(fields[3]) != want.name) {
          return Status::Internal("row differs: " + std::string(line));
        }
        ++lines;
        return Status::Ok();
      });
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(lines, kRows);
}

TEST_F(ClickHouseClusterTest, AnAbortedInsertLeavesNoPartialBlock) {
  const ClickHouseClient c = Server(0);
  Ask(c, "CREATE TABLE " + table_ + " (id UInt64, s String) ENGINE = MergeTree() ORDER BY id");
  {
    auto insert = c.BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
    ASSERT_TRUE(insert.ok()) << insert.status().message();
    std::string rows;
    for (int i = 0; i < 200000; ++i) rows += std::to_string(i) + "\tsome text\n";  // > 1 MiB
    ASSERT_TRUE((*insert)->Write(rows).ok());
    ASSERT_TRUE((*insert)->Write("200000\thalf a ro").ok());
  }  // destroyed unfinished: aborted
  EXPECT_EQ(Ask(c, "SELECT count() FROM " + table_), "0\n");

  // With blocks of 1000 rows, the blocks sent before the abort stay, each whole.
  {
    auto insert = c.WithSetting("max_insert_block_size", "1000")
                      .BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
    ASSERT_TRUE(insert.ok()) << insert.status().message();
    std::string rows;
    for (int i = 0; i < 200500; ++i) rows += std::to_string(i) + "\tsome text\n";
    ASSERT_TRUE((*insert)->Write(rows).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    (*insert)->Abort();
    EXPECT_FALSE((*insert)->Finish().ok());
  }
  const std::string kept = Ask(c, "SELECT count() FROM " + table_);
  EXPECT_EQ(std::stoul(kept) % 1000, 0u) << kept;
  EXPECT_LT(std::stoul(kept), 200500u);
}

TEST_F(ClickHouseClusterTest, AnInsertDiesWithItsProgram) {
  const ClickHouseClient c = Server(0);
  Ask(c, "CREATE TABLE " + table_ + " (id UInt64) ENGINE = MergeTree() ORDER BY id");
  // A child program sends 300,000 whole rows (less than one block) and dies without
  // finishing: its clickhouse-client must die too, not read end-of-file and commit them.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto insert = c.BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
    if (!insert.ok()) ::_exit(2);
    std::string rows;
    for (int i = 0; i < 300000; ++i) rows += std::to_string(i) + "\n";
    if (!(*insert)->Write(rows).ok()) ::_exit(3);
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited with " << WEXITSTATUS(status);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(Ask(c, "SELECT count() FROM " + table_), "0\n");
}

TEST_F(ClickHouseClusterTest, AFailedInsertSaysWhy) {
  const ClickHouseClient c = Server(0);
  Ask(c, "CREATE TABLE " + table_ + " (id UInt64, n Int32) ENGINE = Memory");
  auto insert = c.BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
  ASSERT_TRUE(insert.ok());
  Status st = (*insert)->Write("1\t2\n2\tnot a number\n");
  if (st.ok()) st = (*insert)->Finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ClickHouseErrorCode(st), 27) << st.message();  // CANNOT_PARSE_INPUT...
  EXPECT_NE(st.message().find(c.ServerName()), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find('\n'), std::string::npos);

  auto missing = c.BeginInsert("INSERT INTO no_such_table FORMAT TabSeparated");
  ASSERT_TRUE(missing.ok());
  std::string rows;
  for (int i = 0; i < 300000; ++i) rows += "1\t1\n";  // more than the socket holds
  st = (*missing)->Write(rows);
  if (st.ok()) st = (*missing)->Finish();
  EXPECT_EQ(ClickHouseErrorCode(st), 60) << st.message();  // UNKNOWN_TABLE
  EXPECT_FALSE((*missing)->Write("1\t1\n").ok());  // and it stays failed

  auto no_format = c.BeginInsert("INSERT INTO " + table_);
  ASSERT_FALSE(no_format.ok());
  EXPECT_NE(no_format.status().message().find("names no FORMAT"), std::string::npos);
}

TEST_F(ClickHouseClusterTest, ABadQueryNamesTheServerAndTheCode) {
  const ClickHouseClient c = Server(0);
  auto syntax = c.Query("SELEC 1");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ClickHouseErrorCode(syntax.status()), 62);
  const std::string& m = syntax.status().message();
  EXPECT_EQ(m.rfind("ClickHouse at 127.0.0.1:" + std::to_string(cluster_->servers()[0].port) +
                    ": Code: 62. DB::Exception: Syntax error", 0),
            0u)
      << m;
  EXPECT_EQ(m.find('\n'), std::string::npos);

  auto unknown = c.Query("SELECT * FROM govqm_test.no_such_table");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ClickHouseErrorCode(unknown.status()), 60);
  EXPECT_NE(unknown.status().message().find("no_such_table doesn't exist"), std::string::npos)
      << unknown.status().message();
  // The server's own "Received from HOST:PORT." is not repeated after our prefix.
  EXPECT_EQ(unknown.status().message().find("Received from"), std::string::npos);

  auto bad_setting = c.WithSetting("no_such_setting", "1").Query("SELECT 1");
  ASSERT_FALSE(bad_setting.ok());
  EXPECT_NE(bad_setting.status().message().find("no_such_setting"), std::string::npos);
  auto bad_name = c.WithSetting("max_threads=1 --x", "1").Query("SELECT 1");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("not an identifier"), std::string::npos);
}

// A loopback port with nothing listening on it.
int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(ClickHouseClient, ADeadServerIsKIoQuickly) {
  ClickHouseEndpoint dead;
  dead.port = ClosedPort();
  const auto start = std::chrono::steady_clock::now();
  const Status st = ClickHouseClient(dead).Ping();
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kIo) << st.message();
  EXPECT_EQ(ClickHouseErrorCode(st), 210) << st.message();
  EXPECT_NE(st.message().find("127.0.0.1:" + std::to_string(dead.port)), std::string::npos);
  EXPECT_NE(st.message().find("Connection refused"), std::string::npos) << st.message();
  EXPECT_LT(took, std::chrono::seconds(3));

  auto insert = ClickHouseClient(dead).BeginInsert("INSERT INTO t FORMAT TabSeparated");
  ASSERT_TRUE(insert.ok());
  std::string rows(3 << 20, 'x');
  Status ist = (*insert)->Write(rows);
  if (ist.ok()) ist = (*insert)->Finish();
  EXPECT_EQ(ist.code(), StatusCode::kIo) << ist.message();
}

TEST(ClickHouseClient, ASilentServerTimesOut) {
  // Accepts connections (the kernel does, into the backlog) and never answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ClickHouseEndpoint silent;
  silent.port = ntohs(addr.sin_port);
  ClickHouseClientOptions options;
  options.send_timeout_s = 1;  // 18.16 waits for the server's hello this long
  const auto start = std::chrono::steady_clock::now();
  const Status st = ClickHouseClient(silent, options).Ping();
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(st.code(), StatusCode::kIo) << st.message();
  EXPECT_EQ(ClickHouseErrorCode(st), 209) << st.message();  // SOCKET_TIMEOUT
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(ClickHouseClusterTest, ExternalTablesFilterAQuery) {
  const ClickHouseClient c = Client();
  Ask(c, "CREATE TABLE " + table_ + " (id UInt64, name String) ENGINE = Memory");
  auto insert = c.BeginInsert("INSERT INTO " + table_ + " FORMAT TabSeparated");
  ASSERT_TRUE(insert.ok());
  std::string rows;
  for (int i = 1; i <= 100; ++i) {
    rows += std::to_string(i) + "\t";
    AppendTsvEscaped(&rows, i == 42 ? "it's\ta 'name'" : "n" + std::to_string(i));
    rows += "\n";
  }
  ASSERT_TRUE((*insert)->Write(rows).ok());
  ASSERT_TRUE((*insert)->Finish().ok());

  const ExternalTable ids{"wanted", "id UInt64", "3\n50\n77\n1000\n"};
  EXPECT_EQ(Ask(c, "SELECT id, name FROM " + table_ + " WHERE id IN wanted ORDER BY id", {ids}),
            "3\tn3\n50\tn50\n77\tn77\n");
  // A value that would break SQL if spliced in, compared as data.
  ExternalTable names{"names", "name String", ""};
  AppendTsvEscaped(&names.tsv, "it's\ta 'name'");
  names.tsv += "\n";
  EXPECT_EQ(Ask(c, "SELECT id FROM " + table_ + " WHERE name IN names", {names}), "42\n");
  // Two at once.
  const ExternalTable odd{"odd", "id UInt64", "3\n77\n"};
  EXPECT_EQ(Ask(c, "SELECT count() FROM " + table_ + " WHERE id IN wanted AND id NOT IN odd",
                {ids, odd}),
            "1\n");
  // One without rows is refused: 18.16 would not see it ("Table ... doesn't exist").
  const ExternalTable none{"none", "id UInt64", ""};
  auto empty = c.Query("SELECT count() FROM " + table_ + " WHERE id NOT IN none", {none});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(empty.status().message().find("external table none has no rows"), std::string::npos);
}

TEST_F(ClickHouseClusterTest, QueryLinesStreamsAndStopsOnTheCallersError) {
  const ClickHouseClient c = Server(0);
  uint64_t lines = 0, sum = 0;
  ASSERT_TRUE(c.QueryLines("SELECT number FROM system.numbers LIMIT 3000000",
                           [&](std::string_view line) {
                             ++lines;
                             sum += std::stoull(std::string(line));
                             return Status::Ok();
                           })
                  .ok());
  EXPECT_EQ(lines, 3000000u);
  EXPECT_EQ(sum, 3000000ull * 2999999ull / 2);

  // An endless result, stopped by the callback after 10 lines: its error comes back.
  lines = 0;
  const auto start = std::chrono::steady_clock::now();
  const Status st = c.QueryLines("SELECT number FROM system.numbers", [&](std::string_view) {
    return ++lines == 10 ? Status::NotFound("enough") : Status::Ok();
  });
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(), "enough");
  EXPECT_EQ(lines, 10u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(ClickHouseClusterTest, SettingsReachTheQuery) {
  const ClickHouseClient c = Server(0).WithSetting("max_threads", "3").WithSetting("max_threads", "1");
  EXPECT_EQ(Ask(c, "SELECT value FROM system.settings WHERE name = 'max_threads'"), "1\n");
  EXPECT_EQ(c.options().settings.size(), 1u);
}

TEST(ClickHouseTestCluster, ServersDieWithTheTestProcess) {
  // A child process starts a cluster of its own and is killed: the watchdog stops its servers.
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(report[0]);
    auto cluster = ClickHouseTestCluster::Start(1);
    if (!cluster.ok()) ::_exit(2);
    std::string pids;
    for (const pid_t pid : (*cluster)->ServerPids()) pids += std::to_string(pid) + " ";
    pids += (*cluster)->dir() + "\n";
    if (::write(report[1], pids.data(), pids.size()) < 0) ::_exit(3);
    ::kill(::getpid(), SIGKILL);
  }
  ::close(report[1]);
  std::string text;
  char buf[256];
  for (ssize_t n; (n = ::read(report[0], buf, sizeof buf)) > 0;) text.append(buf, n);
  ::close(report[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child could not start a cluster (exit "
                                   << WEXITSTATUS(status) << ")";
  std::istringstream in(text);
  pid_t server = 0;
  std::string dir;
  ASSERT_TRUE(in >> server >> dir) << text;
  const std::string proc = "/proc/" + std::to_string(server) + "/stat";
  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {  // at most 30 s
    std::ifstream stat(proc);
    std::string field, state;
    gone = !(stat >> field >> field >> state) || state == "Z";
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(gone) << "server " << server << " still runs";
  for (int i = 0; i < 100 && ::access(dir.c_str(), F_OK) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(::access(dir.c_str(), F_OK), 0) << dir << " was not removed";
}

}  // namespace
}  // namespace govqm::platform

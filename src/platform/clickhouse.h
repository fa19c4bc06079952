// ClickHouse (Debian's 18.16) through its own command-line client: each query runs one
// `clickhouse-client` child process over the native TCP port (posix_spawn, arguments as a
// vector, never a shell; nothing is interpolated into a command line). Results come back as
// TabSeparated text; values reach a query as external tables (18.16 has no query parameters,
// and govqm's rule is "SQL always parameterised"), never spliced into SQL. docs/CLICKHOUSE.md
// tells operators how to point govqm at a cluster.
//
// Why a child process and not a library: Debian ships no ClickHouse client library for C++,
// and the client program speaks the native protocol (compression, blocks, external data) that
// the HTTP interface of 18.16 would make us re-implement; one process costs ~60 ms (measured
// in docs/CLICKHOUSE.md), small beside the scans and the batch inserts it carries.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace govqm::platform {

struct ClickHouseEndpoint {
  std::string host = "127.0.0.1";
  int port = 9000;  // the native TCP port
  std::string database = "default";
  std::string cluster;  // remote_servers name of the cluster; "" = a single server
};

// True for [A-Za-z_][A-Za-z0-9_]*: the names govqm writes into SQL as identifiers (databases,
// clusters, tables, settings, external tables).
bool IsClickHouseIdentifier(std::string_view name);

// `clickhouse://HOST[:PORT]/DATABASE` (PORT 9000 when left out; HOST a name, an IPv4 address
// or a bracketed IPv6 one) and the cluster's name ("" for none). kUsage, naming the part that
// is wrong, for anything else: another scheme, credentials, no database, a database or cluster
// that is not an identifier, a port out of 1..65535, a path, query or fragment after it.
Result<ClickHouseEndpoint> ParseClickHouseUrl(std::string_view url, std::string_view cluster);

// The URL of an endpoint (the port always written); ParseClickHouseUrl reads it back.
std::string ClickHouseUrl(const ClickHouseEndpoint& endpoint);

// A table the query reads as `name` (e.g. `WHERE id IN name`), sent with the query as
// clickhouse-client's --external data: `structure` is its columns ("id UInt64, s String"),
// `tsv` its rows in TabSeparated (AppendTsvEscaped), each ending in '\n'. The data goes through
// an in-memory file (memfd) that only the child can open: nothing is written to disk. A table
// with no rows is refused (kInvalidInput): 18.16's client sends no block for it, so the server
// would not know the name (write the query without it).
struct ExternalTable {
  std::string name, structure;
  std::string tsv;
};

struct ClickHouseClientOptions {
  // The client's timeouts, in seconds. 18.16's client takes them from its config file only
  // (the command-line options of the same names do not reach the connection), so they are
  // written into the private config each child reads. The receive timeout bounds a silence
  // while a query runs (the server sends progress packets meanwhile, so a long query is not
  // cut); the send timeout bounds a send, and also the wait for the server's hello when
  // connecting (an 18.16 quirk: a server that accepts and never answers is given up after
  // send_timeout_s, whatever receive_timeout_s says).
  int connect_timeout_s = 5;
  int receive_timeout_s = 300;
  int send_timeout_s = 30;
  std::string user = "default";
  std::string password;  // in the private config file, never on the command line
  // Query settings passed as client options (--NAME=VALUE): max_threads,
  // insert_distributed_sync, max_insert_block_size, ... Names must be identifiers.
  std::vector<std::pair<std::string, std::string>> settings;
  // The client program; "" = clickhouse-client on PATH, else /usr/bin/clickhouse-client.
  std::string client_program;
};

// One INSERT streaming its data (in the format the statement names) to a clickhouse-client
// child. Write buffers and sends; Finish ends the data, waits for the child and returns the
// insert's error if any. Not thread-safe; one writer.
//
// What ClickHouse guarantees: the client cuts the data into blocks of max_insert_block_size
// rows (1,048,576 by default) and the server writes each block atomically (a MergeTree part; a
// Distributed table with insert_distributed_sync=1 writes each shard's share of it before the
// next). Blocks already sent stay written whatever happens next; the block being sent when the
// client dies is dropped whole. So destroying an unfinished stream kills the child (SIGKILL:
// it never sends the end of data, so its current block is dropped, not committed half), and the
// child is started with a parent-death signal, so a govqm that dies takes its inserts with it
// instead of leaving them to read end-of-file and commit what they had. An import that must be
// all or nothing across blocks needs more than this (e.g. a batch id to delete on failure).
class InsertStream {
 public:
  ~InsertStream();
  InsertStream(const InsertStream&) = delete;
  InsertStream& operator=(const InsertStream&) = delete;

  // Sends bytes (whole rows or parts of rows: the text is one stream). When the child has
  // failed (a row it cannot parse, the server gone), returns that failure, as do all later calls.
  Status Write(std::string_view bytes);
  // Sends the end of data and waits for the insert: ok when every row was written.
  Status Finish();
  // Stops the insert now without committing the current block (what the destructor does).
  void Abort();

 private:
  friend class ClickHouseClient;
  struct Child;
  explicit InsertStream(std::unique_ptr<Child> child);
  Status Flush();
  Status Send(std::string_view bytes);
  Status Failed(Status status);

  std::unique_ptr<Child> child_;
  std::string buffer_;
  Status failure_;
  bool finished_ = false;
};

// One host of a cluster (system.clusters): where per-shard DDL must run, since ON CLUSTER DDL
// needs ZooKeeper, which govqm's clusters do not have.
struct ClickHouseClusterHost {
  int shard_num = 0;
  int replica_num = 0;
  ClickHouseEndpoint endpoint;  // the host's address and port, the client's database and cluster
};

// A client of one endpoint. Every call starts one clickhouse-client child and waits for it (no
// zombie is left, whatever happens). Errors are one line naming HOST:PORT and ClickHouse's own
// message ("Code: 62. DB::Exception: Syntax error ..."): kIo when the server could not be
// reached or went away (refused, timed out, reset; a shard of a Distributed query unreachable;
// the server out of memory or disk), kPermissionDenied for a user the server refuses,
// kInvalidInput when the server (or the client parsing it) rejected the query,
// kFailedPrecondition when clickhouse-client is not installed. Thread-safe (const).
class ClickHouseClient {
 public:
  explicit ClickHouseClient(ClickHouseEndpoint endpoint, ClickHouseClientOptions options = {});

  const ClickHouseEndpoint& endpoint() const { return endpoint_; }
  const ClickHouseClientOptions& options() const { return options_; }
  // "HOST:PORT", as errors name the server.
  std::string ServerName() const;
  // A client of the same endpoint with one more setting (replacing one of the same name).
  ClickHouseClient WithSetting(const std::string& name, const std::string& value) const;
  // A client of another endpoint with the same options (a shard from ListClusterHosts).
  ClickHouseClient ForEndpoint(ClickHouseEndpoint endpoint) const;

  // SELECT 1: ok when the server answers.
  Status Ping() const;
  // The whole TabSeparated output of one statement (for small results).
  Result<std::string> Query(const std::string& sql,
                            const std::vector<ExternalTable>& external = {}) const;
  // The output line by line (without its '\n'), in bounded memory whatever the row count. An
  // error from `each` stops the query (the child is killed) and is returned as it is.
  Status QueryLines(const std::string& sql,
                    const std::function<Status(std::string_view line)>& each,
                    const std::vector<ExternalTable>& external = {}) const;
  // Starts `insert_sql` (e.g. "INSERT INTO t FORMAT TabSeparated": it must name its format,
  // since the client would read Values otherwise) with its data to come through the stream.
  Result<std::unique_ptr<InsertStream>> BeginInsert(const std::string& insert_sql) const;

  // The hosts of the endpoint's cluster, by shard then replica, from system.clusters (the name
  // travels as external data); the endpoint alone when it names no cluster. kInvalidInput when
  // the server has no such cluster.
  Result<std::vector<ClickHouseClusterHost>> ListClusterHosts() const;

 private:
  ClickHouseEndpoint endpoint_;
  ClickHouseClientOptions options_;
};

// ClickHouse's code in a Status from ClickHouseClient ("Code: 81." → 81); 0 when it has none.
int ClickHouseErrorCode(const Status& status);

// Appends `s` as a TabSeparated field, escaped as ClickHouse 18.16 writes String values:
// backslash, tab, line feed, carriage return, backspace, form feed, NUL and the single quote
// as \\ \t \n \r \b \f \0 \'; every other byte (UTF-8 text, other control bytes) as it is.
void AppendTsvEscaped(std::string* out, std::string_view s);
// A TabSeparated field as ClickHouse reads it back: the escapes above, \a \e \v, \xHH (two
// hex digits), \N as nothing (NULL's marker, read as "" into a String), and a backslash before
// any other byte as that byte. A backslash ending the field is kept.
std::string UnescapeTsv(std::string_view field);
// The fields of one TabSeparated line (raw tabs only separate: a tab in a value is escaped).
void SplitTsvFields(std::string_view line, std::vector<std::string_view>* fields);

}  // namespace govqm::platform

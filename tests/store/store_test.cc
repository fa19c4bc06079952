#include "store/store.h"
#include "store/test_rows.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>

namespace govqm {
namespace {

namespace fs = std::filesystem;

class StoreTest : public storetest::ScratchDirTest {
 protected:

  static void AddRow(Table& t, const std::map<int, std::string>& values) {
    storetest::AddRow(t, values);
  }
  static Table Tx(const std::vector<std::pair<std::string, std::string>>& id_region) {
    return storetest::Tx(id_region);
  }
  static std::vector<uint64_t> Hashes(const Table& t) { return storetest::Hashes(t); }
  // id -> region of the live rows.
  static std::map<std::string, std::string> Live(const Store& s) { return storetest::LiveTransactions(s); }

};

TEST_F(StoreTest, CreateKeepsZoneAndRefusesExistingFile) {
  {
    auto s = Store::Create(path_, "Asia/Shanghai");
    ASSERT_TRUE(s.ok()) << s.status().message();
  }
  auto again = Store::Create(path_, "UTC");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), "store " + path_ + " already exists");
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->zone(), "Asia/Shanghai");
}

TEST_F(StoreTest, OpenMissingStoreSaysRunInit) {
  auto s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "no store at " + path_ + " (run 'govqm init' first)");
}

TEST_F(StoreTest, AppendThenReplaceByIdAcrossImports) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  Table a = Tx({{"t1", "R1"}, {"t2", "R1"}, {"t3", "R2"}});
  ASSERT_TRUE((*s)->Begin().ok());
  auto st = (*s)->Append(a, Hashes(a));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->loaded, 3);
  EXPECT_EQ(st->replaced, 0);
  ASSERT_TRUE((*s)->Commit().ok());

  // t2 moves to R3, t4 is new: one replacement, never a duplicate.
  Table b = Tx({{"t2", "R3"}, {"t4", "R2"}});
  ASSERT_TRUE((*s)->Begin().ok());
  st = (*s)->Append(b, Hashes(b));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->loaded, 2);
  EXPECT_EQ(st->replaced, 1);
  ASSERT_TRUE((*s)->Commit().ok());

  const std::map<std::string, std::string> expected = {
      {"t1", "R1"}, {"t2", "R3"}, {"t3", "R2"}, {"t4", "R2"}};
  EXPECT_EQ(Live(**s), expected);
  EXPECT_EQ(*(*s)->CountRows(Kind::kTransactions), 4);

  // Replace the replacement: the second segment's row is superseded too.
  Table c = Tx({{"t2", "R9"}});
  ASSERT_TRUE((*s)->Begin().ok());
  st = (*s)->Append(c, Hashes(c));
  ASSERT_EQ(st->replaced, 1);
  ASSERT_TRUE((*s)->Commit().ok());
  s = Store::Open(path_);  // survives reopening
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Live(**s).at("t2"), "R9");
  EXPECT_EQ(Live(**s).size(), 4u);
}

TEST_F(StoreTest, HashCollisionDoesNotReplaceADifferentId) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  Table a = Tx({{"x", "R1"}});
  Table b = Tx({{"y", "R2"}});
  // Force the same hash for different ids: the store must compare the ids themselves.
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(a, {42}).ok());
  auto st = (*s)->Append(b, {42});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->replaced, 0);
  ASSERT_TRUE((*s)->Commit().ok());
  EXPECT_EQ(Live(**s).size(), 2u);
}

TEST_F(StoreTest, RollbackLeavesStoreAsBefore) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  Table a = Tx({{"t1", "R1"}});
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(a, Hashes(a)).ok());
  ASSERT_TRUE((*s)->Commit().ok());
  Table b = Tx({{"t1", "R2"}, {"t5", "R2"}});
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(b, Hashes(b)).ok());
  (*s)->Rollback();
  const std::map<std::string, std::string> expected = {{"t1", "R1"}};
  EXPECT_EQ(Live(**s), expected);
}

TEST_F(StoreTest, SegmentsSplitLargeAppendsAndLoadSelectedColumns) {
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  std::vector<std::pair<std::string, std::string>> rows;
  const size_t n = kSegmentRows + 10;  // two segments
  rows.reserve(n);
  for (size_t i = 0; i < n; ++i) rows.emplace_back("id" + std::to_string(i), i % 2 ? "A" : "B");
  Table t = Tx(rows);
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(t, Hashes(t)).ok());
  ASSERT_TRUE((*s)->Commit().ok());
  const std::vector<int> cols = {tx_col::kRegionCode};
  auto loaded = (*s)->Load(Kind::kTransactions, &cols);
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->rows(), n);
  EXPECT_EQ(loaded->col(tx_col::kRegionCode).CodeAt(n - 1), "A");  // n-1 = odd
  EXPECT_EQ(loaded->col(tx_col::kRegionCode).CodeAt(n - 2), "B");
  EXPECT_EQ(loaded->col(tx_col::kId).size(), 0u);  // not requested: left empty
  EXPECT_TRUE(loaded->col(tx_col::kSubmittedAt).times.empty());
}

// The join fingerprints of transactions' ids: stored at import, read back per live row (also
// past replaced rows and into a reused table), and derived from the id text for segments
// written before fingerprints were kept.
TEST_F(StoreTest, JoinFingerprintsAreStoredAndDerivedForOlderSegments) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Table a = Tx({{"t1", "R1"}, {"t2", "R1"}, {"t3", "R2"}});
    Table b = Tx({{"t2", "R9"}, {"t4", "R2"}});  // replaces t2 of the first segment
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(a, Hashes(a)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(b, Hashes(b)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
  }
  auto check = [&](const char* when) {
    auto s = Store::Open(path_);
    ASSERT_TRUE(s.ok());
    const std::vector<int> cols = {tx_col::kId, Store::FingerprintColumn(0)};
    auto t = (*s)->Load(Kind::kTransactions, &cols);
    ASSERT_TRUE(t.ok()) << t.status().message();
    ASSERT_EQ(t->rows(), 4u) << when;
    ASSERT_EQ(t->fingerprints[0].size(), 4u) << when;
    std::vector<std::string> ids;
    for (size_t r = 0; r < t->rows(); ++r) {
      ids.emplace_back(t->col(tx_col::kId).TextAt(r));
      EXPECT_EQ(t->fingerprints[0][r], FingerprintOf(ids.back())) << when << " " << ids.back();
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"t1", "t3", "t2", "t4"})) << when;
    // Segment by segment into one reused table (the streamed path): sizes 2 then 2.
    auto source = (*s)->OpenSource(Kind::kTransactions, cols);
    ASSERT_TRUE(source.ok());
    Table reused(Kind::kTransactions);
    for (size_t seg = 0; seg < (*source)->segments(); ++seg) {
      ASSERT_TRUE((*source)->Load(seg, &reused).ok());
      ASSERT_EQ(reused.fingerprints[0].size(), reused.rows());
      for (size_t r = 0; r < reused.rows(); ++r) {
        EXPECT_EQ(reused.fingerprints[0][r], FingerprintOf(reused.col(tx_col::kId).TextAt(r)));
      }
    }
  };
  check("stored");
  // An older store: no fingerprint chunks at all.
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM chunks WHERE col = -2", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_changes(db), 2);
  sqlite3_close(db);
  check("derived");
  // Different texts give different fingerprints; empty text gives none.
  EXPECT_NE(FingerprintOf("t1"), FingerprintOf("t2"));
  EXPECT_TRUE(FingerprintOf("").empty());
  EXPECT_FALSE(FingerprintOf("x").empty());
}

// Evaluations keep two fingerprinted columns (transaction_id, id): each is read back as its
// own pseudo column.
TEST_F(StoreTest, EveryFingerprintedColumnIsKept) {
  Table t(Kind::kEvaluations);
  for (int i = 0; i < 3; ++i) {
    AddRow(t, {{eval_col::kId, "e" + std::to_string(i)},
               {eval_col::kTransactionId, "t" + std::to_string(10 + i)}});
  }
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Begin().ok());
  ASSERT_TRUE((*s)->Append(t, Hashes(t)).ok());
  ASSERT_TRUE((*s)->Commit().ok());
  ASSERT_EQ(t.def().fingerprinted.size(), 2u);
  const std::vector<int> cols = {Store::FingerprintColumn(0), Store::FingerprintColumn(1)};
  auto loaded = (*s)->Load(Kind::kEvaluations, &cols);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->rows(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(loaded->fingerprints[0][i], FingerprintOf("t" + std::to_string(10 + i)));
    EXPECT_EQ(loaded->fingerprints[1][i], FingerprintOf("e" + std::to_string(i)));
  }
  EXPECT_EQ(loaded->col(eval_col::kId).size(), 0u);  // the text itself was not read
}

// Fixed-width chunks are stored narrow when every value fits exactly, raw otherwise; either
// way the values read back are the values written (nulls included).
TEST_F(StoreTest, NarrowChunksReadBackExactly) {
  struct Case {
    std::vector<int64_t> times;
    std::vector<double> reals;
    std::vector<int32_t> ints;
    int time_enc, real_enc, int_enc;  // expected chunks.encoding
  };
  const double nan = kNullReal;
  const std::vector<Case> cases = {
      // Whole seconds, small values: all narrow (1 = seconds, 2 = float, 3 = int16).
      {{1000, kNullTime, -86'400'000, 1'700'000'000'000}, {0, 2.5, nan, -3}, {0, kNullInt, 32767, -32767}, 1, 2, 3},
      // A millisecond, a non-float real, an int past 16 bits: raw.
      {{1001, kNullTime, 0, 5000}, {0.1, 2.5, nan, 1}, {0, 40000, 1, kNullInt}, 0, 0, 0},
      // Seconds spanning more than 68 years: raw; -32768 is the 16-bit null: raw.
      {{0, 3'000'000'000'000, 1000, 2000}, {nan, nan, nan, nan}, {-32768, 1, 2, 3}, 0, 2, 0},
  };
  auto s = Store::Create(path_, "UTC");
  ASSERT_TRUE(s.ok());
  for (const Case& k : cases) {
    Table t(Kind::kTransactions);
    for (size_t i = 0; i < 4; ++i) AddRow(t, {{tx_col::kId, "c" + std::to_string(i)}});
    t.col(tx_col::kSubmittedAt).times = k.times;
    t.col(tx_col::kPromisedDays).reals = k.reals;
    t.col(tx_col::kVisits).ints = k.ints;
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(t, Hashes(t)).ok());  // replaces the previous case's rows
    ASSERT_TRUE((*s)->Commit().ok());
    const std::vector<int> cols = {tx_col::kSubmittedAt, tx_col::kPromisedDays, tx_col::kVisits};
    // Both read paths: the whole kind, and one segment into a reused table (in place).
    auto loaded = (*s)->Load(Kind::kTransactions, &cols);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    auto source = (*s)->OpenSource(Kind::kTransactions, cols);
    ASSERT_TRUE(source.ok());
    Table reused(Kind::kTransactions);
    ASSERT_TRUE((*source)->Load((*source)->segments() - 1, &reused).ok());
    for (const Table* got : {&*loaded, &reused}) {
      ASSERT_EQ(got->rows(), 4u);
      EXPECT_EQ(got->col(tx_col::kSubmittedAt).times, k.times);
      EXPECT_EQ(got->col(tx_col::kVisits).ints, k.ints);
      for (size_t i = 0; i < 4; ++i) {
        const double want = k.reals[i], have = got->col(tx_col::kPromisedDays).reals[i];
        EXPECT_TRUE(std::isnan(want) ? std::isnan(have) : have == want) << i;
      }
    }
    sqlite3* db;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    auto encoding = [&](int col) {
      sqlite3_stmt* q;
      sqlite3_prepare_v2(db, "SELECT encoding FROM chunks WHERE col = ?1 ORDER BY id DESC LIMIT 1",
                         -1, &q, nullptr);
      sqlite3_bind_int(q, 1, col);
      const int e = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
      sqlite3_finalize(q);
      return e;
    };
    EXPECT_EQ(encoding(tx_col::kSubmittedAt), k.time_enc);
    EXPECT_EQ(encoding(tx_col::kPromisedDays), k.real_enc);
    EXPECT_EQ(encoding(tx_col::kVisits), k.int_enc);
    sqlite3_close(db);
  }
}

// A store of schema 1 (no chunk encodings) is migrated on open and reads as before.
TEST_F(StoreTest, SchemaOneStoresAreMigrated) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Table t = Tx({{"a", "R1"}, {"b", "R2"}});
    t.col(tx_col::kSubmittedAt).times = {1001, 2002};  // milliseconds: stored raw
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(t, Hashes(t)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
  }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "ALTER TABLE chunks DROP COLUMN encoding; PRAGMA user_version = 1",
                         nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  // Only columns this test wrote raw, as schema 1 did (the others went narrow above, and
  // without their encoding they are refused as damaged rather than misread).
  const std::vector<int> cols = {tx_col::kId, tx_col::kRegionCode, tx_col::kSubmittedAt};
  auto t = (*s)->Load(Kind::kTransactions, &cols);
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->rows(), 2u);
  EXPECT_EQ(t->col(tx_col::kId).TextAt(1), "b");
  EXPECT_EQ(t->col(tx_col::kRegionCode).CodeAt(1), "R2");
  EXPECT_EQ(t->col(tx_col::kSubmittedAt).times, (std::vector<int64_t>{1001, 2002}));
  const std::vector<int> narrow = {tx_col::kVisits};
  EXPECT_FALSE((*s)->Load(Kind::kTransactions, &narrow).ok());
}

// Delivered alerts (schema 5) are remembered per webhook URL, survive reopening, and never
// change the commit counter (they are not data: the server's cache must not be emptied).
TEST_F(StoreTest, DeliveredAlertsArePerUrlAndNotData) {
  { ASSERT_TRUE(Store::Create(path_, "UTC").ok()); }
  const std::string a = "https://a.example/hook", b = "https://b.example/hook";
  {
    auto s = Store::Open(path_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    auto before = (*s)->CommitCounter();
    ASSERT_TRUE(before.ok());
    auto none = (*s)->AlertDelivered(a, "id1");
    ASSERT_TRUE(none.ok()) << none.status().message();
    EXPECT_FALSE(*none);
    ASSERT_TRUE((*s)->MarkAlertDelivered(a, "id1", 1000).ok());
    ASSERT_TRUE((*s)->MarkAlertDelivered(a, "id1", 2000).ok());  // again: the first is kept
    EXPECT_TRUE(*(*s)->AlertDelivered(a, "id1"));
    EXPECT_FALSE(*(*s)->AlertDelivered(b, "id1"));
    EXPECT_FALSE(*(*s)->AlertDelivered(a, "id2"));
    EXPECT_EQ(*(*s)->CommitCounter(), *before);
    // Inside a snapshot nothing is written.
    auto snap = (*s)->Snapshot();
    ASSERT_TRUE(snap.ok());
    EXPECT_EQ((*s)->MarkAlertDelivered(b, "id1", 3000).code(), StatusCode::kInternal);
  }
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(*(*s)->AlertDelivered(a, "id1"));
  EXPECT_FALSE(*(*s)->AlertDelivered(b, "id1"));
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT url, identity, delivered_at_ms FROM delivered_alerts",
                               -1, &q, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))), a);
  EXPECT_EQ(sqlite3_column_int64(q, 2), 1000);
  EXPECT_EQ(sqlite3_step(q), SQLITE_DONE);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

// A store of schema 4 (before delivered alerts) gets the table on open, its data untouched.
TEST_F(StoreTest, SchemaFourStoresGainDeliveredAlerts) {
  {
    auto s = Store::Create(path_, "UTC");
    ASSERT_TRUE(s.ok());
    Table t = Tx({{"a", "R1"}});
    ASSERT_TRUE((*s)->Begin().ok());
    ASSERT_TRUE((*s)->Append(t, Hashes(t)).ok());
    ASSERT_TRUE((*s)->Commit().ok());
  }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE delivered_alerts; PRAGMA user_version = 4", nullptr,
                         nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(path_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(Live(**s), (std::map<std::string, std::string>{{"a", "R1"}}));
  ASSERT_TRUE((*s)->MarkAlertDelivered("u", "id", 1).ok());
  EXPECT_TRUE(*(*s)->AlertDelivered("u", "id"));
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* v;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &v, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(v), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(v, 0), 5);
  sqlite3_finalize(v);
  sqlite3_close(db);
}

TEST_F(StoreTest, NewerSchemaVersionIsRefused) {
  { ASSERT_TRUE(Store::Create(path_, "UTC").ok()); }
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "store " + path_ +
                                      " has schema version 99, newer than this govqm (" + std::to_string(kStoreSchemaVersion) + "); upgrade govqm");
}

}  // namespace
}  // namespace govqm

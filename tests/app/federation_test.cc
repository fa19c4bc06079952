// Federation (service.md §11; app/federation.h): the generated province split into one store
// per city; each city's signed partials merged give exactly what one scan of the union store
// gives — every indicator row by region, by month, by channel (groups that span cities, so the
// merge adds accumulators), and the scores of `score` — and every file that is altered, signed
// by a stranger, of another period or given twice is refused naming it.
#include "app/federation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "app/import.h"
#include "app/init.h"
#include "app/render/indicators.h"
#include "app/render/json.h"
#include "app/render/score.h"
#include "app/score.h"
#include "city_split.h"
#include "province.h"
#include "security/signing.h"

namespace govqm::app {
namespace {

namespace fs = std::filesystem;
using testing::SlurpFile;

constexpr const char* kFrom = "2024-04-01";
constexpr const char* kTo = "2024-10-01";

void WriteBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The union store (the shared province) and one store per city holding that city's records.
struct Federation {
  fs::path dir;
  testing::CitySplit split;
  std::map<std::string, std::string> db;  // city → its store
  std::string trust;                      // every city's .pub

  static Federation& Get() {
    static Federation* f = [] {
      auto* x = new Federation;
      x->dir = MakeTempDir("federation");
      x->split = testing::SplitByCity(Province::Get().dir / "data", x->dir / "cities");
      for (const std::string& city : x->split.members) {
        const std::string db = (x->dir / (city + ".db")).string();
        x->db[city] = db;
        auto created = Init({db, "Asia/Shanghai"});
        EXPECT_TRUE(created.ok()) << created.status().message();
        auto store = Store::Open(db);
        EXPECT_TRUE(store.ok()) << store.status().message();
        for (const char* kind : testing::kKindsInOrder) {
          ImportRequest r;
          r.kind = *ParseKind(kind);
          r.files = {(x->dir / "cities" / city / (std::string(kind) + ".csv")).string()};
          auto summary = Import(**store, r);
          EXPECT_TRUE(summary.ok()) << city << " " << kind << ": " << summary.status().message();
        }
      }
      x->trust = (x->dir / "trust").string();
      fs::create_directories(x->trust);
      return x;
    }();
    return *f;
  }

  // Every city's signed partials for the period by `by`, written to DIR/BY/CITY.partials (the
  // keys made on first use; their .pub copied into the trust directory).
  const std::vector<std::string>& Files(const std::string& by) {
    auto [it, fresh] = files_.try_emplace(by);
    if (!fresh) return it->second;
    fs::create_directories(dir / by);
    for (const std::string& city : split.members) {
      auto store = Store::Open(db[city]);
      EXPECT_TRUE(store.ok());
      PartialsRequest r;
      r.from = kFrom;
      r.to = kTo;
      r.keys = *ParseGroupKeys(by);
      auto made = MakeSignedPartials(**store, r);
      EXPECT_TRUE(made.ok()) << city << ": " << made.status().message();
      if (!made.ok()) continue;
      EXPECT_EQ(made->signer, city);
      EXPECT_EQ(made->key_path, (dir / (city + ".sign")).string());
      const fs::path pub = made->public_path;
      fs::copy_file(pub, fs::path(trust) / pub.filename(), fs::copy_options::overwrite_existing);
      const std::string file = (dir / by / (city + ".partials")).string();
      WriteBytes(file, made->bytes);
      it->second.push_back(file);
    }
    return it->second;
  }

 private:
  std::map<std::string, std::vector<std::string>> files_;
};

IndicatorsResult UnionIndicators(const std::string& by, const std::string& db) {
  auto store = Store::Open(db);
  EXPECT_TRUE(store.ok());
  IndicatorsRequest r;
  r.from = kFrom;
  r.to = kTo;
  r.keys = *ParseGroupKeys(by);
  auto result = Indicators(**store, r);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return std::move(result.value());
}

class FederationIndicatorsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FederationIndicatorsTest, MergedCitiesEqualOneScanOfTheUnion) {
  Federation& f = Federation::Get();
  const std::string by = GetParam();
  const std::vector<std::string>& files = f.Files(by);
  ASSERT_EQ(files.size(), f.split.members.size());
  ASSERT_GE(files.size(), 10u);
  auto merged = MergePartialsFiles({files, f.trust});
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  const IndicatorsResult whole = UnionIndicators(by, Province::Get().db);

  // Every row: the same group, indicator and value, to the bit (percentiles included: the
  // sketches merge exactly).
  const std::vector<IndicatorRow>& got = merged->indicators.rows;
  ASSERT_EQ(got.size(), whole.rows.size());
  ASSERT_GT(got.size(), 50u);
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].keys, whole.rows[i].keys) << i;
    ASSERT_EQ(got[i].indicator, whole.rows[i].indicator) << i;
    EXPECT_EQ(got[i].value, whole.rows[i].value) << by << " " << got[i].indicator << " of "
                                                 << (got[i].keys.empty() ? "" : got[i].keys[0]);
  }
  // And so the same bytes as `indicators` prints.
  EXPECT_EQ(render::IndicatorsCsv(merged->indicators), render::IndicatorsCsv(whole));
  EXPECT_EQ(render::IndicatorsJson(merged->indicators), render::IndicatorsJson(whole));

  // The counts are each city's added up (worked out from the cities' own scans), and groups
  // span cities where the key is not a place: the merge really added accumulators.
  std::map<std::vector<std::string>, double> volume, evaluations;
  std::map<std::vector<std::string>, int> cities_with_volume;
  for (const std::string& city : f.split.members) {
    for (const IndicatorRow& r : UnionIndicators(by, f.db[city]).rows) {
      if (r.indicator == "volume" && r.value) {
        volume[r.keys] += *r.value;
        ++cities_with_volume[r.keys];
      }
      if (r.indicator == "evaluations" && r.value) evaluations[r.keys] += *r.value;
    }
  }
  size_t checked = 0;
  int most_cities = 0;
  for (const IndicatorRow& r : got) {
    if (r.indicator == "volume") {
      ASSERT_TRUE(r.value);
      EXPECT_EQ(*r.value, volume[r.keys]);
      most_cities = std::max(most_cities, cities_with_volume[r.keys]);
      ++checked;
    }
    if (r.indicator == "evaluations" && r.value) {
      EXPECT_EQ(*r.value, evaluations[r.keys]);
    }
  }
  EXPECT_GT(checked, 0u);
  if (by == "region" || by == "city") {
    EXPECT_EQ(most_cities, 1);  // a region lies in one city
  } else if (by != "dept") {    // (the generated departments are the cities')
    EXPECT_GE(most_cities, 10) << "groups of " << by << " should span the cities";
  }
  // The sources, as given.
  ASSERT_EQ(merged->sources.size(), files.size());
  EXPECT_EQ(merged->sources[0].file, files[0]);
  EXPECT_EQ(merged->sources[0].signer, f.split.members[0]);
}

INSTANTIATE_TEST_SUITE_P(Keys, FederationIndicatorsTest,
                         ::testing::Values("region", "month", "channel", "city", "dept",
                                           "channel,month"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), ',', '_');
                           return name;
                         });

class FederationScoreTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FederationScoreTest, MergedScoresEqualScoreOfTheUnion) {
  Federation& f = Federation::Get();
  const std::string by = GetParam();
  const std::string fw_file = std::string(GOVQM_SOURCE_DIR) + "/config/framework.toml";
  auto merged = MergePartialsFiles({f.Files(by), f.trust});
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  auto fw1 = LoadFramework(fw_file, {});
  auto fw2 = LoadFramework(fw_file, {});
  ASSERT_TRUE(fw1.ok() && fw2.ok()) << fw1.status().message();
  auto from_partials = ScoreMergedPartials(std::move(*fw1), *merged, std::nullopt);
  ASSERT_TRUE(from_partials.ok()) << from_partials.status().message();
  auto store = Store::Open(Province::Get().db);
  ASSERT_TRUE(store.ok());
  ScoreRequest request;
  request.input.from = kFrom;
  request.input.to = kTo;
  request.input.by = by;
  auto from_store = Score(std::move(*fw2), request, store->get());
  ASSERT_TRUE(from_store.ok()) << from_store.status().message();

  const ScoringInput& a = from_partials->input;
  const ScoringInput& b = from_store->input;
  ASSERT_EQ(a.values.units, b.values.units);
  ASSERT_GE(a.values.units.size(), by == "channel" ? 5u : 10u);
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(a.values.values, b.values.values);
  EXPECT_EQ(a.values.sample, b.values.sample);
  EXPECT_EQ(a.context, b.context);
  EXPECT_EQ(a.notes, b.notes);
  // The org indicators (self-reported, carried in the files; the generator's are the cities')
  // took part: some unit has one.
  const Framework& fw = from_store->framework.fw;
  size_t org_values = 0;
  for (size_t u = 0; u < a.values.units.size(); ++u) {
    for (size_t i = 0; i < fw.indicators.size(); ++i) {
      if (FindIndicator(fw.indicators[i].code) < 0 && a.values.values[u][i]) ++org_values;
    }
  }
  if (by == "city") {
    EXPECT_GT(org_values, 0u) << by;
  }
  // Every score, grade and rank: the rendered output is the same but for where it came from.
  std::string from_partials_json = render::ScoreJson(*from_partials);
  const std::string source = "\"source\":" + render::JsonString(a.source);
  const size_t at = from_partials_json.find(source);
  ASSERT_NE(at, std::string::npos);
  from_partials_json.replace(at, source.size(), "\"source\":" + render::JsonString(b.source));
  EXPECT_EQ(from_partials_json, render::ScoreJson(*from_store));
  EXPECT_EQ(render::ScoreCsv(*from_partials), render::ScoreCsv(*from_store));
}

INSTANTIATE_TEST_SUITE_P(Keys, FederationScoreTest, ::testing::Values("city", "region", "dept",
                                                                      "channel"));

// ---- Refusals: each names the file, and nothing is merged ---------------------------------

class FederationRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Federation& f = Federation::Get();
    files_ = f.Files("month");
    dir_ = MakeTempDir(std::string("refusal_") +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  // A copy of files_[k] with `edit` applied, under DIR/NAME.
  std::string Edited(size_t k, const std::string& name,
                     const std::function<void(std::string*)>& edit) const {
    std::string bytes = SlurpFile(files_[k]);
    edit(&bytes);
    const std::string path = (dir_ / name).string();
    WriteBytes(path, bytes);
    return path;
  }
  Status MergeWith(size_t k, const std::string& replacement,
                   const std::string& trust = Federation::Get().trust) const {
    std::vector<std::string> files = files_;
    files[k] = replacement;
    auto merged = MergePartialsFiles({files, trust});
    return merged.ok() ? Status::Ok() : merged.status();
  }
  std::vector<std::string> files_;
  fs::path dir_;
};

TEST_F(FederationRefusalTest, ATamperedPayloadByte) {
  // One digit of a count in the payload, changed to another digit.
  const std::string bad = Edited(2, "payload.partials", [](std::string* b) {
    const size_t at = b->find("\"sums\":[") + 8;
    (*b)[at] = (*b)[at] == '1' ? '2' : '1';
  });
  const Status s = MergeWith(2, bad);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(),
            bad + ": the payload's SHA-256 is not the one the file gives: the file was altered");
}

TEST_F(FederationRefusalTest, ATamperedSignatureByte) {
  const std::string bad = Edited(1, "signature.partials", [](std::string* b) {
    const size_t at = b->rfind("signature ") + 20;
    (*b)[at] = (*b)[at] == '0' ? '1' : '0';
  });
  const Status s = MergeWith(1, bad);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(s.message().starts_with(bad + ": the signature does not verify with the key of '" +
                                      Federation::Get().split.members[1] + "'"))
      << s.message();
}

TEST_F(FederationRefusalTest, AFileSignedByAKeyNotTrusted) {
  // A store of the same records, signed by a key of its own the province does not hold.
  Federation& f = Federation::Get();
  const std::string city = f.split.members[3];
  auto store = Store::Open(f.db[city]);
  ASSERT_TRUE(store.ok());
  PartialsRequest r;
  r.from = kFrom;
  r.to = kTo;
  r.keys = {GroupKey::kMonth};
  r.key_file = (dir_ / (city + ".sign")).string();  // the same name, another key
  auto made = MakeSignedPartials(**store, r);
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_TRUE(made->key_created);
  const std::string stranger = (dir_ / "stranger.partials").string();
  WriteBytes(stranger, made->bytes);
  const Status s = MergeWith(3, stranger);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(s.message().starts_with(stranger + ": signed by '" + city +
                                      "' with a key no .pub file in " + f.trust + " holds"))
      << s.message();
}

TEST_F(FederationRefusalTest, APubReplacedByAnotherKeys) {
  // The trust directory's .pub of one city holds another key under the city's name.
  Federation& f = Federation::Get();
  const fs::path trust = dir_ / "trust";
  fs::copy(f.trust, trust);
  const std::string city = f.split.members[4];
  auto other = security::SigningKey::Generate(city);
  ASSERT_TRUE(other.ok());
  WriteBytes(trust / (city + ".pub"), other->PublicFileText());
  const Status s = MergeWith(0, files_[0], trust.string());
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(s.message().starts_with(files_[4] + ": signed by '" + city + "' with a key no .pub"))
      << s.message();
  // A malformed .pub is named.
  WriteBytes(trust / (city + ".pub"), "govqm-ed25519 zz " + city + "\n");
  const Status malformed = MergeWith(0, files_[0], trust.string());
  EXPECT_TRUE(malformed.message().starts_with((trust / (city + ".pub")).string() +
                                              ": not a public key file"))
      << malformed.message();
}

TEST_F(FederationRefusalTest, MismatchedPeriodsKeysOrZones) {
  Federation& f = Federation::Get();
  const std::string city = f.split.members[5];
  auto store = Store::Open(f.db[city]);
  ASSERT_TRUE(store.ok());
  auto write = [&](const std::string& name, PartialsRequest r) {
    auto made = MakeSignedPartials(**store, r);
    EXPECT_TRUE(made.ok()) << made.status().message();
    const std::string path = (dir_ / name).string();
    WriteBytes(path, made->bytes);
    return path;
  };
  PartialsRequest r;
  r.from = "2024-05-01";  // a month later
  r.to = kTo;
  r.keys = {GroupKey::kMonth};
  const std::string later = write("later.partials", r);
  Status s = MergeWith(5, later);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(s.message().starts_with(later + ": period [2024-05-01, 2024-10-01)")) << s.message();
  EXPECT_NE(s.message().find("but " + files_[0] + " has [2024-04-01, 2024-10-01)"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(s.message().ends_with(": partials of different periods do not merge"));
  r.from = kFrom;
  r.keys = {GroupKey::kChannel};
  const std::string by_channel = write("channel.partials", r);
  s = MergeWith(5, by_channel);
  EXPECT_EQ(s.message(), by_channel + ": keys channel, but " + files_[0] +
                             " has month: partials of different keys do not merge");
  r.keys = {GroupKey::kMonth};
  r.zone = "UTC";  // the same dates, another zone: another period too
  const std::string utc = write("utc.partials", r);
  s = MergeWith(5, utc);
  EXPECT_TRUE(s.message().starts_with(utc + ": period [2024-04-01, 2024-10-01) (2024-04-01T00:00:00.000Z"))
      << s.message();
}

TEST_F(FederationRefusalTest, TheSameFileTwiceOrACopyOfIt) {
  std::vector<std::string> twice = files_;
  twice.push_back(files_[6]);
  auto merged = MergePartialsFiles({twice, Federation::Get().trust});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(merged.status().message().starts_with(files_[6] + ": the same partials as " +
                                                    files_[6]))
      << merged.status().message();
  const std::string copy = Edited(6, "copy.partials", [](std::string*) {});
  twice.back() = copy;
  merged = MergePartialsFiles({twice, Federation::Get().trust});
  ASSERT_FALSE(merged.ok());
  EXPECT_TRUE(merged.status().message().starts_with(copy + ": the same partials as " + files_[6]))
      << merged.status().message();
}

TEST_F(FederationRefusalTest, TwoFilesOfOneCity) {
  // Another grouping of the same city's records, signed by the same key: counted twice if
  // let through, whatever it holds.
  Federation& f = Federation::Get();
  const std::vector<std::string>& by_channel = f.Files("channel");
  std::vector<std::string> files = files_;
  files.push_back(by_channel[7]);
  auto merged = MergePartialsFiles({files, f.trust});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status().message(),
            by_channel[7] + ": signed by '" + f.split.members[7] + "' as " + files_[7] +
                " is: a city's records count once (merge one file per city)");
}

TEST_F(FederationRefusalTest, ScoresNeedOneKey) {
  auto merged = MergePartialsFiles({Federation::Get().Files("channel,month"),
                                    Federation::Get().trust});
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  auto fw = LoadFramework(std::string(GOVQM_SOURCE_DIR) + "/config/framework.toml", {});
  ASSERT_TRUE(fw.ok());
  auto scored = ScoreMergedPartials(std::move(*fw), *merged, std::nullopt);
  ASSERT_FALSE(scored.ok());
  EXPECT_EQ(scored.status().message(),
            "merge --score needs partials by one key (these are by channel,month): write them "
            "with --by KEY");
}

// ---- The requester's scope -----------------------------------------------------------------

TEST(FederationScope, PartialsKeepToTheScopeAsIndicatorsDo) {
  // A user of one city asks the union store: the partials hold that city's records only.
  Federation& f = Federation::Get();
  const std::string city = f.split.members[1];
  const fs::path dir = MakeTempDir("federation_scope");
  auto store = Store::Open(Province::Get().db);
  ASSERT_TRUE(store.ok());
  for (const std::string by : {"region", "month"}) {
    PartialsRequest r;
    r.from = kFrom;
    r.to = kTo;
    r.keys = *ParseGroupKeys(by);
    r.scope.region = city;
    r.key_file = (dir / "scoped.sign").string();
    auto made = MakeSignedPartials(**store, r);
    ASSERT_TRUE(made.ok()) << made.status().message();
    const std::string file = (dir / (by + ".partials")).string();
    WriteBytes(file, made->bytes);
    fs::create_directories(dir / "trust");
    fs::copy_file(made->public_path, dir / "trust" / "scoped.pub",
                  fs::copy_options::overwrite_existing);
    auto merged = MergePartialsFiles({{file}, (dir / "trust").string()});
    ASSERT_TRUE(merged.ok()) << merged.status().message();
    IndicatorsRequest ir;
    ir.from = kFrom;
    ir.to = kTo;
    ir.keys = r.keys;
    ir.scope.region = city;
    auto scoped = Indicators(**store, ir);
    ASSERT_TRUE(scoped.ok());
    EXPECT_EQ(render::IndicatorsCsv(merged->indicators), render::IndicatorsCsv(*scoped)) << by;
    // Which are the city's own store's rows.
    EXPECT_EQ(render::IndicatorsCsv(merged->indicators),
              render::IndicatorsCsv(UnionIndicators(by, f.db[city])))
        << by;
  }
}

TEST(FederationScope, AGroupTheScopeHidesIsLeftOutNotSent) {
  // City B's police handles a transaction in city A: for a user of city A the record is in
  // scope, the group "bpolice" is not (ScopeFilter::GroupVisible). Partials by dept leave that
  // group out, as `indicators` under the scope does; unrestricted, it is sent.
  const fs::path dir = MakeTempDir("federation_hidden");
  const std::string db = (dir / "a.db").string();
  ASSERT_TRUE(Init({db, "Asia/Shanghai"}).ok());
  auto store = Store::Open(db);
  ASSERT_TRUE(store.ok());
  const std::map<std::string, std::string> csv = {
      {"regions", "code,name,parent_code\n450000,Province,\n450100,City A,450000\n"
                  "450300,City B,450000\n"},
      {"departments", "code,name,region_code\ntax,Tax,450000\nbpolice,Police of B,450300\n"},
      {"transactions",
       "id,dept_code,region_code,channel,submitted_at,status\n"
       "T1,tax,450100,web,2024-05-04 09:00,in_progress\n"
       "T2,bpolice,450100,hall,2024-05-04 10:00,in_progress\n"}};
  for (const char* kind : {"regions", "departments", "transactions"}) {
    const std::string file = (dir / (std::string(kind) + ".csv")).string();
    WriteBytes(file, csv.at(kind));
    ImportRequest r;
    r.kind = *ParseKind(kind);
    r.files = {file};
    auto summary = Import(**store, r);
    ASSERT_TRUE(summary.ok()) << summary.status().message();
    ASSERT_EQ(summary->rejected, 0) << kind;
  }
  PartialsRequest r;
  r.from = kFrom;
  r.to = kTo;
  r.keys = {GroupKey::kDept};
  r.scope.region = "450100";
  r.key_file = (dir / "a.sign").string();
  const fs::path trust = dir / "trust";
  fs::create_directories(trust);
  auto merged_depts = [&](const PartialsRequest& req, const std::string& name) {
    auto made = MakeSignedPartials(**store, req);
    EXPECT_TRUE(made.ok()) << made.status().message();
    const std::string file = (dir / name).string();
    WriteBytes(file, made.ok() ? made->bytes : "");
    fs::copy_file(dir / "a.pub", trust / "a.pub", fs::copy_options::overwrite_existing);
    auto merged = MergePartialsFiles({{file}, trust.string()});
    EXPECT_TRUE(merged.ok()) << merged.status().message();
    std::set<std::string> depts;
    for (const IndicatorRow& row : merged.ok() ? merged->indicators.rows
                                               : std::vector<IndicatorRow>{}) {
      depts.insert(row.keys[0]);
    }
    return depts;
  };
  EXPECT_EQ(merged_depts(r, "scoped.partials"), (std::set<std::string>{"tax"}));
  r.scope = {};  // unrestricted: every group may leave
  EXPECT_EQ(merged_depts(r, "all.partials"), (std::set<std::string>{"bpolice", "tax"}));
}

}  // namespace
}  // namespace govqm::app

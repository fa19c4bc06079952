// govqm partials and govqm merge through the real program (service.md §11): a generated
// province split into three members (南宁, 柳州, the rest), each its own store and signing key;
// the province's merge of their files prints what `indicators` and `score` print over one
// store of everything, and refuses an altered file or a stranger's with exit 1, printing
// nothing but the reason.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "app/city_split.h"
#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPeriod = "--from 2024-03-01 --to 2024-06-01";
const char* const kMembers[] = {"nanning", "liuzhou", "rest"};

unsigned ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class FederationCliTest : public CliTest {
 protected:
  // Stores nanning.db, liuzhou.db, rest.db (the split) and all.db (everything).
  void MakeStores() {
    ASSERT_EQ(Run("generate --out data --scale 2000 --seed 7").exit_code, 0);
    const CitySplit split = SplitByCity(dir_ / "data", dir_ / "members", [](const std::string& c) {
      return c == "450100" ? "nanning" : c == "450200" ? "liuzhou" : "rest";
    });
    ASSERT_EQ(split.members, (std::vector<std::string>{"liuzhou", "nanning", "rest"}));
    for (const char* m : kMembers) EXPECT_GT(split.transactions.at(m), 0) << m;
    auto load = [&](const std::string& db, const std::string& folder) {
      ASSERT_EQ(Run("init --db " + db).exit_code, 0);
      for (const char* kind : kKindsInOrder) {
        const RunResult r =
            Run(std::string("import ") + kind + " " + folder + "/" + kind + ".csv --db " + db);
        ASSERT_EQ(r.exit_code, 0) << kind << ": " << r.err;
      }
    };
    for (const char* m : kMembers) load(std::string(m) + ".db", std::string("members/") + m);
    load("all.db", "data");
  }
  // Each member's partials by `by` into MEMBER.BY.partials; returns the three names.
  std::string WritePartials(const std::string& by) {
    std::string files;
    for (const char* m : kMembers) {
      const std::string file = std::string(m) + "." + by + ".partials";
      const RunResult r = Run(std::string("partials --db ") + m + ".db " + kPeriod + " --by " +
                              by + " --out " + file);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_NE(r.out.find("wrote " + file), std::string::npos) << r.out;
      files += " " + file;
    }
    return files;
  }
  void Trust(const std::string& dir, std::initializer_list<const char*> members) {
    fs::create_directories(Path(dir));
    for (const char* m : members) {
      fs::copy_file(Path(std::string(m) + ".pub"), Path(dir + "/" + m + ".pub"),
                    fs::copy_options::overwrite_existing);
    }
  }
};

TEST_F(FederationCliTest, ThreeMembersMergedAsOneStore) {
  MakeStores();
  const std::string by_month = WritePartials("month");
  for (const char* m : kMembers) {
    // Made on first use, beside the store: the secret only its owner may read.
    EXPECT_EQ(ModeOf(Path(std::string(m) + ".sign")), 0600u) << m;
    EXPECT_TRUE(Read(std::string(m) + ".pub").starts_with("govqm-ed25519 ")) << m;
    EXPECT_TRUE(Read(std::string(m) + ".pub").ends_with(std::string(" ") + m + "\n")) << m;
  }
  Trust("trust", {"nanning", "liuzhou", "rest"});

  const RunResult merged = Run("merge" + by_month + " --trust trust");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  const RunResult whole = Run(std::string("indicators --db all.db ") + kPeriod + " --by month");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_TRUE(merged.out.starts_with("month,indicator,value\n")) << merged.out.substr(0, 80);
  EXPECT_GT(merged.out.size(), 1000u);
  EXPECT_EQ(merged.out, whole.out);
  EXPECT_EQ(Run("merge" + by_month + " --trust trust --format json").out,
            Run(std::string("indicators --db all.db ") + kPeriod + " --by month --format json").out);

  // The scores, by city: the same as `score` over one store but for the source.
  const std::string by_city = WritePartials("city");
  EXPECT_EQ(Run(std::string("partials --db nanning.db ") + kPeriod +
                " --by city --out again.partials")
                .out.find("created"),
            std::string::npos);  // the key is made once
  for (const char* format : {"json", "csv"}) {
    const RunResult scored =
        Run("merge" + by_city + " --trust trust --score --format " + format);
    ASSERT_EQ(scored.exit_code, 0) << scored.err;
    const RunResult store =
        Run(std::string("score --db all.db ") + kPeriod + " --by city --format " + format);
    ASSERT_EQ(store.exit_code, 0) << store.err;
    std::string got = scored.out;
    const std::string source =
        "partials nanning.city.partials (nanning), liuzhou.city.partials (liuzhou), "
        "rest.city.partials (rest)";
    if (const size_t at = got.find(source); at != std::string::npos) {
      got.replace(at, source.size(), "store all.db");
    }
    EXPECT_EQ(got, store.out) << format;
    EXPECT_NE(store.out.find("450100"), std::string::npos);
  }
  // The readable table, as score prints it.
  const RunResult table = Run("merge" + by_city + " --trust trust --score");
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("南宁市"), std::string::npos);

  // An altered byte: exit 1 naming the file, nothing on stdout.
  std::string bytes = Read("liuzhou.month.partials");
  const size_t at = bytes.find("\"sums\":[") + 8;
  bytes[at] = bytes[at] == '1' ? '2' : '1';
  Write("altered.partials", bytes);
  RunResult refused =
      Run("merge nanning.month.partials altered.partials rest.month.partials --trust trust");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err, "govqm merge: altered.partials: the payload's SHA-256 is not the one "
                         "the file gives: the file was altered\n");
  // A member the province does not trust.
  Trust("two", {"nanning", "liuzhou"});
  refused = Run("merge" + by_month + " --trust two");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_TRUE(refused.err.starts_with(
      "govqm merge: rest.month.partials: signed by 'rest' with a key no .pub file in two holds"))
      << refused.err;
  // The same file twice.
  refused = Run("merge" + by_month + " nanning.month.partials --trust trust");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_TRUE(refused.err.starts_with(
      "govqm merge: nanning.month.partials: the same partials as nanning.month.partials"))
      << refused.err;
  // Of another period.
  ASSERT_EQ(Run("partials --db rest.db --from 2024-03-01 --to 2024-07-01 --by month --out "
                "longer.partials")
                .exit_code,
            0);
  refused = Run("merge nanning.month.partials liuzhou.month.partials longer.partials --trust trust");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(refused.err.starts_with("govqm merge: longer.partials: period "
                                      "[2024-03-01, 2024-07-01)"))
      << refused.err;
  // A key others may read is refused, not used.
  ASSERT_EQ(::chmod(Path("rest.sign").c_str(), 0644), 0);
  refused = Run(std::string("partials --db rest.db ") + kPeriod + " --by month --out x.partials");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("lets others read the signing key"), std::string::npos) << refused.err;
  EXPECT_FALSE(Exists("x.partials"));
}

TEST_F(FederationCliTest, UsageErrors) {
  for (const std::string args :
       {"partials --from 2024-01-01 --to 2024-02-01 --by city",       // no --out
        "partials --from 2024-01-01 --to 2024-02-01 --out f",         // no --by
        "partials --from 2024-01-01 --to 2024-02-01 --by planet --out f",
        "partials extra --from 2024-01-01 --to 2024-02-01 --by city --out f",
        "merge a.partials",                                           // no --trust
        "merge --trust dir",                                          // no file
        "merge a.partials --trust dir --framework f.toml",            // --score's option
        "merge a.partials --trust dir --format table",                // not without --score
        "merge a.partials --trust dir --score --format xml",
        "merge a.partials --trust dir --colour"}) {
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_TRUE(r.err.starts_with("govqm " + args.substr(0, args.find(' ')) + ": ")) << r.err;
  }
  // Missing things are bad input, not usage.
  fs::create_directories(Path("trust"));
  const RunResult none = Run("merge a.partials --trust trust");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err.substr(0, none.err.find('\n')),
            std::string("govqm merge: trust: no .pub file: no key is trusted"));
}

}  // namespace
}  // namespace govqm::testing

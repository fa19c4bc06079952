// A small generated province loaded into a store through the import use case, shared by the
// application-layer tests (built once per test program).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/import.h"
#include "app/init.h"
#include "generate/generator.h"

namespace govqm::app {

inline std::filesystem::path MakeTempDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("govqm_app_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The province of seed 11 with `scale` transactions, imported into DIR/govqm.db.
struct Province {
  std::filesystem::path dir;
  std::string db;

  static const Province& Get() {
    static Province* p = [] {
      auto* q = new Province;
      q->dir = MakeTempDir("province");
      q->db = (q->dir / "govqm.db").string();
      GenerateOptions g;
      g.out_dir = (q->dir / "data").string();
      g.scale = 6000;
      g.seed = 11;
      auto generated = GenerateProvince(g);
      EXPECT_TRUE(generated.ok()) << generated.status().message();
      auto created = Init({q->db, "Asia/Shanghai"});
      EXPECT_TRUE(created.ok()) << created.status().message();
      auto store = Store::Open(q->db);
      EXPECT_TRUE(store.ok()) << store.status().message();
      for (const char* kind : {"regions", "departments", "items", "transactions", "evaluations",
                               "rectifications", "probes", "guides", "org"}) {
        ImportRequest r;
        r.kind = *ParseKind(kind);
        r.files = {(q->dir / "data" / (std::string(kind) + ".csv")).string()};
        auto summary = Import(**store, r);
        EXPECT_TRUE(summary.ok()) << kind << ": " << summary.status().message();
      }
      return q;
    }();
    return *p;
  }
};

}  // namespace govqm::app

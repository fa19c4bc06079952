#include "store/dataset_loader.h"

#include <algorithm>
#include <span>
#include <string_view>

namespace govqm {
namespace {

// The closed-loop indicators: the only readers of rectifications and of evaluations' ids.
constexpr std::string_view kCaseCodes[] = {"reply_rate", "rectification_rate",
                                           "rectification_on_time_rate", "revisit_rate",
                                           "revisit_satisfaction"};
constexpr std::string_view kUnratedCodes[] = {"unrated_rate"};
constexpr std::string_view kProbeCodes[] = {"availability", "latency_p95_ms"};
constexpr std::string_view kGuideCodes[] = {"same_source_rate", "field_match_rate",
                                            "catalog_coverage"};

// True when `only` is empty (the whole catalog) or names one of `codes`.
bool Asked(const DatasetNeeds& needs, std::span<const std::string_view> codes) {
  if (needs.only.empty()) return true;
  for (std::string_view c : codes) {
    if (std::find(needs.only.begin(), needs.only.end(), c) != needs.only.end()) return true;
  }
  return false;
}

// Every column of the kind but those listed.
std::vector<int> AllBut(Kind kind, const std::vector<int>& skip) {
  std::vector<int> cols;
  for (int c = 0; c < static_cast<int>(GetKindDef(kind).columns.size()); ++c) {
    if (std::find(skip.begin(), skip.end(), c) == skip.end()) cols.push_back(c);
  }
  return cols;
}

}  // namespace

Result<Dataset> LoadDataset(const Store& store, DatasetStreams* streams,
                            const DatasetNeeds* needs) {
  GOVQM_ASSIGN_OR_RETURN(Store::ReadSnapshot snapshot, store.Snapshot());
  Dataset d;
  // No indicator reads applicant_type: leave it out.
  std::vector<int> tx_skip = {tx_col::kApplicantType};
  // Nor comments, nor the sealed contacts (read one at a time, by app/contact.h).
  std::vector<int> eval_skip = {eval_col::kReasons, eval_col::kComment, eval_col::kContact};
  std::vector<int> rect_skip = {rect_col::kActor, rect_col::kNote};
  bool unrated_fingerprints = false, case_fingerprints = false;
  if (needs != nullptr) {
    auto keyed = [&](std::initializer_list<GroupKey> ks) {
      for (GroupKey k : needs->keys) {
        if (std::find(ks.begin(), ks.end(), k) != ks.end()) return true;
      }
      return false;
    };
    // Region, channel and ages feed indicators themselves (city/macro keys, online_rate,
    // the elderly gaps); these feed nothing but their own group key.
    if (!keyed({GroupKey::kDept})) {
      tx_skip.push_back(tx_col::kDeptCode);
      eval_skip.push_back(eval_col::kDeptCode);
    }
    if (!keyed({GroupKey::kItem})) {
      tx_skip.push_back(tx_col::kItemCode);
      eval_skip.push_back(eval_col::kItemCode);
    }
    if (!keyed({GroupKey::kWindow})) {
      tx_skip.push_back(tx_col::kWindowCode);
      eval_skip.push_back(eval_col::kWindowCode);
    }
    if (!keyed({GroupKey::kChannel, GroupKey::kMode})) eval_skip.push_back(eval_col::kChannel);
    eval_skip.push_back(eval_col::kStage);  // no indicator reads it
    // Joins read the fingerprints the store keeps, not the ids: 16 bytes a row, nothing to
    // hash. The ids feed nothing else.
    tx_skip.push_back(tx_col::kId);
    eval_skip.push_back(eval_col::kTransactionId);
    eval_skip.push_back(eval_col::kId);
    rect_skip.push_back(rect_col::kEvaluationId);
    unrated_fingerprints = Asked(*needs, kUnratedCodes);
    case_fingerprints = Asked(*needs, kCaseCodes);
  }
  std::vector<int> tx_columns = AllBut(Kind::kTransactions, tx_skip);
  std::vector<int> eval_columns = AllBut(Kind::kEvaluations, eval_skip);
  std::vector<int> rect_columns = AllBut(Kind::kRectifications, rect_skip);
  // Fingerprinted columns, in KindDef order: transactions {id}, evaluations
  // {transaction_id, id}, rectifications {evaluation_id}.
  if (unrated_fingerprints) {
    tx_columns.push_back(Store::FingerprintColumn(0));
    eval_columns.push_back(Store::FingerprintColumn(0));
  }
  if (case_fingerprints) {
    eval_columns.push_back(Store::FingerprintColumn(1));
    rect_columns.push_back(Store::FingerprintColumn(0));
  }
  // Facts aggregated where the backend keeps them: the engine asks it for partials, so
  // their rows are read only for callers that want rows (no `needs`).
  d.facts = store.facts();
  const bool facts_aggregated = d.facts != nullptr && needs != nullptr;
  if (d.facts != nullptr) streams = nullptr;
  if (streams != nullptr) {
    auto tx = store.OpenSource(Kind::kTransactions, tx_columns);
    if (!tx.ok()) return tx.status();
    auto ev = store.OpenSource(Kind::kEvaluations, eval_columns);
    if (!ev.ok()) return ev.status();
    streams->transactions = std::move(tx.value());
    streams->evaluations = std::move(ev.value());
    d.transaction_source = streams->transactions.get();
    d.evaluation_source = streams->evaluations.get();
  }
  struct Job {
    Kind kind;
    Table* out;
    std::vector<int> columns;
    Status status;
  };
  std::vector<Job> jobs = {
      {Kind::kTransactions, &d.transactions, tx_columns, {}},
      {Kind::kEvaluations, &d.evaluations, eval_columns, {}},
      {Kind::kRegions, &d.regions, AllBut(Kind::kRegions, {}), {}},
      {Kind::kDepartments, &d.departments, AllBut(Kind::kDepartments, {}), {}},
      {Kind::kItems, &d.items, AllBut(Kind::kItems, {}), {}},
      {Kind::kRectifications, &d.rectifications, rect_columns, {}},
      {Kind::kProbes, &d.probes, AllBut(Kind::kProbes, {}), {}},
      {Kind::kGuides, &d.guides, AllBut(Kind::kGuides, {}), {}},
  };
  if (streams != nullptr || facts_aggregated) {
    jobs.erase(jobs.begin(), jobs.begin() + 2);  // streamed or aggregated instead
  }
  if (needs != nullptr) {
    // Kinds that only some indicators read are left empty when none of those is asked for.
    const bool rect = Asked(*needs, kCaseCodes);
    const bool probes = Asked(*needs, kProbeCodes);
    const bool guides = Asked(*needs, kGuideCodes);
    std::erase_if(jobs, [&](const Job& j) {
      return (j.kind == Kind::kRectifications && !rect) || (j.kind == Kind::kProbes && !probes) ||
             (j.kind == Kind::kGuides && !guides);
    });
  }
  // One snapshot for every kind (and the streams keep theirs: the same one while it is
  // open), so an import committing meanwhile is seen by all of them or by none. The kinds
  // load one after the other: Store::Load splits a big kind's columns over two connections
  // itself.
  for (Job& j : jobs) {
    auto t = store.Load(j.kind, &j.columns);
    if (t.ok()) {
      *j.out = std::move(t.value());
    } else {
      j.status = t.status();
    }
  }
  for (const Job& j : jobs) GOVQM_RETURN_IF_ERROR(j.status);
  // Which kinds were ever loaded, store-wide (before any scope; in the same snapshot): a
  // kind read here with rows, or streamed with rows, is; any other is counted (no column read).
  d.kind_loaded.assign(kKindCount, true);
  const Table* tables[kKindCount] = {&d.regions,        &d.departments, &d.items,
                                     &d.transactions,   &d.evaluations, &d.rectifications,
                                     &d.probes,         &d.guides,      &d.org};
  for (int k = 0; k < kKindCount; ++k) {
    const Kind kind = static_cast<Kind>(k);
    if (tables[k]->rows() > 0) continue;
    if (kind == Kind::kTransactions && d.transaction_source != nullptr &&
        d.transaction_source->rows() > 0) {
      continue;
    }
    if (kind == Kind::kEvaluations && d.evaluation_source != nullptr &&
        d.evaluation_source->rows() > 0) {
      continue;
    }
    GOVQM_ASSIGN_OR_RETURN(const int64_t rows, store.CountRows(kind));
    d.kind_loaded[k] = rows > 0;
  }
  return d;
}

}  // namespace govqm

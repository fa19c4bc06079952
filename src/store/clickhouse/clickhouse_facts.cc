// The base measures of transactions and evaluations by GROUP BY in ClickHouse: one query per
// family, grouped by the stored columns of the requested keys (and, where a measure depends
// on them, the channel and the scope's region and department), each group's sums folded into
// the engine's accumulators through FactLabels. Every condition here mirrors a line of the
// scan in core/engine/indicators.cc (RunTransactions, RunEvaluations); the contract tests run
// the same indicators through both. Only numbers and names the code chose appear in the SQL:
// the zone's name is checked, ids travel as external tables (18.16 has no query parameters).
// No NOT operator: 18.16 drops the parentheses around `(NOT x)` when it forwards a query to
// the shards, which then fail to parse it; `isNaN(x) = 0` says the same.
#include <fmt/format.h>

#include <charconv>
#include <unordered_set>

#include "core/engine/accumulators.h"
#include "core/engine/facts.h"
#include "core/thresholds.h"
#include "store/clickhouse/clickhouse_store.h"

namespace govqm {
namespace {

using engine::CompletionAcc;
using engine::EvalAcc;
using engine::IntakeAcc;
using engine::Labels;
using engine::PitAcc;
using engine::QuantileValues;

const std::string kNT = std::to_string(kNullTime);
const std::string kNI = std::to_string(kNullInt);

// llround (half away from zero) of a Float64 expression, as the scan's fixed-point sums do.
std::string Round(const std::string& x) {
  return fmt::format("toInt64(if(({0}) >= 0, floor(({0}) + 0.5), -floor(0.5 - ({0}))))", x);
}

bool ValidZoneName(std::string_view z) {
  if (z.empty()) return false;
  for (const char c : z) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+')) {
      return false;
    }
  }
  return true;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

int64_t Int(std::string_view s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// "[1,2,3]" (groupArray of integers) → values.
void AddIntArray(std::string_view s, QuantileValues* q) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == '[' || s[i] == ',' || s[i] == ']')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ',' && s[j] != ']') ++j;
    if (j > i) q->Add(static_cast<double>(Int(s.substr(i, j - i))));
    i = j;
  }
}

// One query's shape: the group columns in front (keys, then scope and channel when asked),
// then the bucket, then the measures.
struct Shape {
  std::vector<std::string> key_exprs;  // the non-time keys' stored columns (or age band)
  int scope_at = -1, channel_at = -1;  // field indexes, -1 = not grouped
  size_t groups = 0;                   // number of group columns before the bucket
};

class ClickHouseFacts final : public FactAggregator {
 public:
  explicit ClickHouseFacts(const ClickHouseStore& store) : store_(store) {}

  Status Aggregate(const FactQuery& q, const FactLabels& labels, engine::PartialsData* out,
                   Table* bad_reviews) const override {
    if (q.unit != TimeUnit::kNone && !ValidZoneName(q.zone)) {
      return Status::Invalid(fmt::format("zone '{}' cannot be passed to ClickHouse", q.zone));
    }
    Run run{*this, q, labels, out};
    if (q.intake || q.completion) {
      GOVQM_RETURN_IF_ERROR(run.Intake());
      GOVQM_RETURN_IF_ERROR(run.Completion());
      // A group appears in both families once it has a transaction by either anchor (the
      // scan's union), then the family not asked for is dropped.
      for (const auto& [g, a] : out->completion) out->intake.try_emplace(g);
      for (const auto& [g, a] : out->intake) out->completion.try_emplace(g);
      if (!q.intake) out->intake.clear();
      if (!q.completion) out->completion.clear();
    }
    if (q.tx_point_in_time) GOVQM_RETURN_IF_ERROR(run.TransactionsPointInTime());
    if (q.evaluations) GOVQM_RETURN_IF_ERROR(run.Evaluations());
    if (q.eval_point_in_time) GOVQM_RETURN_IF_ERROR(run.EvaluationsPointInTime());
    if (q.bad_reviews) GOVQM_RETURN_IF_ERROR(run.BadReviews(bad_reviews));
    return Status::Ok();
  }

 private:
  struct Run {
    const ClickHouseFacts& facts;
    const FactQuery& q;
    const FactLabels& labels;
    engine::PartialsData* out;

    const ClickHouseStore& store() const { return facts.store_; }

    Shape ShapeFor(Kind kind, bool with_channel) const {
      Shape s;
      const std::string_view age =
          kind == Kind::kTransactions ? "applicant_age" : "evaluator_age";
      for (GroupKey k : q.keys) {
        if (k == GroupKey::kDay || k == GroupKey::kMonth) continue;
        if (k == GroupKey::kAgeBand) {
          const auto& b = thresholds::kAgeBandBounds;
          s.key_exprs.push_back(fmt::format(
              "multiIf({0} = {1}, 0, {0} < {2}, 1, {0} < {3}, 2, {0} < {4}, 3, {0} < {5}, 4, 5)",
              age, kNI, b[0], b[1], b[2], b[3]));
        } else {
          s.key_exprs.emplace_back(FactLabels::StoredColumn(k));
        }
      }
      s.groups = s.key_exprs.size();
      if (q.scoped) {
        s.scope_at = static_cast<int>(s.groups);
        s.key_exprs.emplace_back("region_code");
        s.key_exprs.emplace_back("dept_code");
        s.groups += 2;
      }
      if (with_channel) {
        s.channel_at = static_cast<int>(s.groups);
        s.key_exprs.emplace_back("channel");
        s.groups += 1;
      }
      return s;
    }

    // The local date of instant column `x` in the finest time unit (0 before the period:
    // the first bucket sees it), or 0 without time keys.
    std::string Bucket(const std::string& x) const {
      if (q.unit == TimeUnit::kNone) return "0";
      return fmt::format("if({0} < {1}, 0, {2}(toDateTime(intDiv({0}, 1000)), '{3}'))", x,
                         q.from_ms, q.unit == TimeUnit::kDay ? "toYYYYMMDD" : "toYYYYMM", q.zone);
    }

    std::string Select(const Shape& s, const std::string& bucket, const std::string& measures,
                       Kind kind, const std::string& where) const {
      std::string groups;
      for (size_t i = 0; i < s.key_exprs.size(); ++i) {
        groups += fmt::format("{} AS g{}, ", s.key_exprs[i], i);
      }
      std::string by;
      for (size_t i = 0; i < s.key_exprs.size(); ++i) by += fmt::format("g{}, ", i);
      return fmt::format("SELECT {}{} AS bucket, {} FROM {} WHERE {} GROUP BY {}bucket", groups,
                         bucket, measures, store().names().Facts(kind), where, by);
    }

    // A result line's group: false when out of scope or outside the buckets.
    bool GroupOf(const Shape& s, const std::vector<std::string_view>& f, Labels* group,
                 uint32_t* bucket, std::string* unescaped_channel, bool with_time = true) const {
      std::vector<std::string> stored(s.groups);
      for (size_t i = 0; i < s.groups; ++i) {
        stored[i] = f[i].find('\\') == std::string_view::npos ? std::string(f[i])
                                                               : platform::UnescapeTsv(f[i]);
      }
      if (s.scope_at >= 0 && !labels.InScope(stored[s.scope_at], stored[s.scope_at + 1])) {
        return false;
      }
      if (!labels.Bucket(Int(f[s.groups]), bucket)) return false;
      std::vector<std::string_view> keys;
      const size_t n = s.scope_at >= 0 ? static_cast<size_t>(s.scope_at)
                       : s.channel_at >= 0 ? static_cast<size_t>(s.channel_at)
                                           : s.groups;
      for (size_t i = 0; i < n; ++i) keys.push_back(stored[i]);
      *group = labels.Of(keys, *bucket, with_time);
      if (unescaped_channel != nullptr && s.channel_at >= 0) *unescaped_channel = stored[s.channel_at];
      return true;
    }

    Status Lines(const std::string& sql, const std::function<Status(std::string_view)>& each,
                 const std::vector<platform::ExternalTable>& external = {}) const {
      return store().client().QueryLines(sql, each, external);
    }

    // Percentile values of a family: exact for groups of at most kExactLimit values (as the
    // scan keeps them), sketch buckets counted by ClickHouse for bigger ones.
    template <typename Acc>
    Status Quantiles(Kind kind, const Shape& s, const std::string& bucket,
                     const std::string& value, const std::string& where,
                     engine::LabelledGroups<Acc>* groups, QuantileValues Acc::*member) const {
      const size_t limit = QuantileValues::kExactLimit;
      std::unordered_set<std::string> big;  // fine groups with more values
      GOVQM_RETURN_IF_ERROR(Lines(
          Select(s, bucket, fmt::format("count(), groupArray({})({})", limit, value), kind, where),
          [&](std::string_view line) {
            const std::vector<std::string_view> f = SplitTabs(line);
            if (f.size() != s.groups + 3) return Status::Io("ClickHouse: an unexpected row");
            Labels g;
            uint32_t b;
            if (!GroupOf(s, f, &g, &b, nullptr)) return Status::Ok();
            if (static_cast<size_t>(Int(f[s.groups + 1])) > limit) {
              big.emplace(line.substr(0, f[s.groups].data() + f[s.groups].size() - line.data()));
              return Status::Ok();
            }
            Acc acc;
            AddIntArray(f[s.groups + 2], &(acc.*member));
            engine::AddGroup(*groups, std::move(g), acc);
            return Status::Ok();
          }));
      if (big.empty()) return Status::Ok();
      const int shift = 52 - QuantileValues::kMantissaBits;
      const std::string measures = fmt::format(
          "multiIf({0} > 0, 1, {0} < 0, -1, 0) AS value_sign, if(value_sign = 0, 0, bitShiftRight(reinterpretAsUInt64("
          "reinterpretAsString(toFloat64(abs({0})))), {1})) AS value_key, count()",
          value, shift);
      std::string sql = Select(s, bucket, measures, kind, where);
      sql += ", value_sign, value_key";
      return Lines(sql, [&](std::string_view line) {
        const std::vector<std::string_view> f = SplitTabs(line);
        if (f.size() != s.groups + 4) return Status::Io("ClickHouse: an unexpected row");
        const std::string_view fine =
            line.substr(0, f[s.groups].data() + f[s.groups].size() - line.data());
        if (big.count(std::string(fine)) == 0) return Status::Ok();
        Labels g;
        uint32_t b;
        if (!GroupOf(s, f, &g, &b, nullptr)) return Status::Ok();
        Acc acc;
        uint64_t key = 0;
        std::from_chars(f[s.groups + 2].data(), f[s.groups + 2].data() + f[s.groups + 2].size(), key);
        (acc.*member).AddBucket(static_cast<int>(Int(f[s.groups + 1])), key,
                                static_cast<uint64_t>(Int(f[s.groups + 3])));
        engine::AddGroup(*groups, std::move(g), acc);
        return Status::Ok();
      });
    }

    Result<std::string> TxLive() const { return store().Live(Kind::kTransactions); }

    Status Intake() const {
      GOVQM_ASSIGN_OR_RETURN(const std::string live, TxLive());
      const Shape s = ShapeFor(Kind::kTransactions, true);
      const std::string where =
          fmt::format("{} AND submitted_at >= {} AND submitted_at < {}", live, q.from_ms, q.to_ms);
      const std::string measures = fmt::format(
          "count(), countIf(visits != {ni}), countIf(visits = 0), "
          "countIf(visits != {ni} AND visits <= 1), sumIf(toInt64(visits), visits != {ni}), "
          "sumIf(toInt64(materials_required), materials_required != {ni} AND materials_required > 0 "
          "AND materials_exempted != {ni}), "
          "sumIf(toInt64(materials_exempted), materials_required != {ni} AND materials_required > 0 "
          "AND materials_exempted != {ni}), "
          "countIf(cross_region != -1), countIf(cross_region = 1), "
          "countIf(isNaN(promised_days) = 0), countIf(promised_days = 0), "
          "countIf(isNaN(wait_minutes) = 0), countIf(wait_minutes > {long_wait}), "
          "sumIf({wait_micro}, isNaN(wait_minutes) = 0), countIf(reported_at != {nt}), "
          "sum(toInt64(applicant_age != {ni}) + (accepted_at != {nt}) + (due_at != {nt}) + "
          "(isNaN(promised_days) = 0) + (isNaN(statutory_days) = 0) + (visits != {ni}) + "
          "(materials_required != {ni})), "
          "countIf(applicant_age != {ni} AND applicant_age >= {elderly})",
          fmt::arg("ni", kNI), fmt::arg("nt", kNT),
          fmt::arg("long_wait", thresholds::kLongWaitMinutes),
          fmt::arg("wait_micro", Round("wait_minutes * 1e6")),
          fmt::arg("elderly", thresholds::kElderlyMinAge));
      const std::string bucket = Bucket("submitted_at");
      GOVQM_RETURN_IF_ERROR(Lines(Select(s, bucket, measures, Kind::kTransactions, where),
                                  [&](std::string_view line) {
        const std::vector<std::string_view> f = SplitTabs(line);
        if (f.size() != s.groups + 1 + 17) return Status::Io("ClickHouse: an unexpected row");
        Labels g;
        uint32_t b;
        std::string channel;
        if (!GroupOf(s, f, &g, &b, &channel)) return Status::Ok();
        const std::string_view* m = f.data() + s.groups + 1;
        IntakeAcc a;
        a.n = Int(m[0]);
        a.visits_n = Int(m[1]), a.visits_zero = Int(m[2]), a.visits_le1 = Int(m[3]);
        a.visits_sum = Int(m[4]);
        a.materials_required = Int(m[5]), a.materials_exempted = Int(m[6]);
        a.cross_n = Int(m[7]), a.cross_yes = Int(m[8]);
        a.promised_n = Int(m[9]), a.promised_zero = Int(m[10]);
        if (labels.Offline(channel)) {  // waits count for offline channels only
          a.wait_n = Int(m[11]), a.wait_long = Int(m[12]), a.wait_sum_micro = Int(m[13]);
        }
        a.reported = Int(m[14]);
        a.filled = Int(m[15]);
        a.elderly = Int(m[16]);
        if (labels.Online(channel)) {
          a.online = a.n;
          a.elderly_online = a.elderly;
        }
        engine::AddGroup(out->intake, std::move(g), a);
        return Status::Ok();
      }));
      if (!q.sync_lags) return Status::Ok();
      const Shape qs = ShapeFor(Kind::kTransactions, false);
      return Quantiles(Kind::kTransactions, qs, bucket, "reported_at - submitted_at",
                       fmt::format("{} AND reported_at != {}", where, kNT), &out->intake,
                       &IntakeAcc::sync_lag_ms);
    }

    Status Completion() const {
      GOVQM_ASSIGN_OR_RETURN(const std::string live, TxLive());
      const Shape s = ShapeFor(Kind::kTransactions, false);
      std::string where = fmt::format(
          "{} AND status = {} AND completed_at != {} AND completed_at >= {} AND completed_at < {}",
          live, static_cast<int>(TxStatus::kCompleted), kNT, q.from_ms, q.to_ms);
      std::string unrated = "0";
      if (q.unrated) {
        GOVQM_ASSIGN_OR_RETURN(const std::string eval_live, store().Live(Kind::kEvaluations));
        // GLOBAL: the set of rated transactions is built once and sent to every shard.
        unrated = fmt::format(
            "countIf(id GLOBAL NOT IN (SELECT transaction_id FROM {} WHERE {} AND "
            "transaction_id != ''))",
            store().names().Facts(Kind::kEvaluations), eval_live);
      }
      const std::string measures = fmt::format(
          "count(), countIf(due_at != {nt}), countIf(due_at != {nt} AND completed_at <= due_at), "
          "countIf(accepted_at != {nt}), sumIf(completed_at - accepted_at, accepted_at != {nt}), "
          "countIf(isNaN(statutory_days) = 0 AND statutory_days > 0 AND isNaN(promised_days) = 0), "
          "sumIf({nano}, isNaN(statutory_days) = 0 AND statutory_days > 0 AND "
          "isNaN(promised_days) = 0), {unrated}",
          fmt::arg("nt", kNT), fmt::arg("nano", Round("(1 - promised_days / statutory_days) * 1e9")),
          fmt::arg("unrated", unrated));
      const std::string bucket = Bucket("completed_at");
      GOVQM_RETURN_IF_ERROR(Lines(Select(s, bucket, measures, Kind::kTransactions, where),
                                  [&](std::string_view line) {
        const std::vector<std::string_view> f = SplitTabs(line);
        if (f.size() != s.groups + 1 + 8) return Status::Io("ClickHouse: an unexpected row");
        Labels g;
        uint32_t b;
        if (!GroupOf(s, f, &g, &b, nullptr)) return Status::Ok();
        const std::string_view* m = f.data() + s.groups + 1;
        CompletionAcc a;
        a.n = Int(m[0]), a.due_n = Int(m[1]), a.on_time = Int(m[2]);
        a.handling_n = Int(m[3]), a.handling_sum_ms = Int(m[4]);
        a.compression_n = Int(m[5]);
        a.compression_sum_nano = Int(m[6]);
        a.unrated = Int(m[7]);
        engine::AddGroup(out->completion, std::move(g), a);
        return Status::Ok();
      }));
      if (!q.handling_list) return Status::Ok();
      return Quantiles(Kind::kTransactions, s, bucket, "completed_at - accepted_at",
                       fmt::format("{} AND accepted_at != {}", where, kNT), &out->completion,
                       &CompletionAcc::handling_ms);
    }

    // Point-in-time groups: newest record per first bucket that sees it (`anchor`), and
    // for transactions the backlog's difference array.
    Status Newest(Kind kind, const std::string& anchor, const std::string& where,
                  engine::LabelledGroups<PitAcc>* groups) const {
      const Shape s = ShapeFor(kind, false);
      const size_t nb = labels.buckets().size();
      return Lines(Select(s, Bucket(anchor), fmt::format("max({})", anchor), kind, where),
                   [&](std::string_view line) {
        const std::vector<std::string_view> f = SplitTabs(line);
        if (f.size() != s.groups + 2) return Status::Io("ClickHouse: an unexpected row");
        Labels g;
        uint32_t b;
        if (!GroupOf(s, f, &g, &b, nullptr, false)) return Status::Ok();
        PitAcc a;
        a.Init(nb);
        a.newest[b] = Int(f[s.groups + 1]);
        engine::AddGroup(*groups, std::move(g), a);
        return Status::Ok();
      });
    }

    Status TransactionsPointInTime() const {
      GOVQM_ASSIGN_OR_RETURN(const std::string live, TxLive());
      GOVQM_RETURN_IF_ERROR(Newest(Kind::kTransactions, "submitted_at",
                                   fmt::format("{} AND submitted_at < {}", live, q.to_ms),
                                   &out->tx_pit));
      if (!q.backlog) return Status::Ok();
      const Shape s = ShapeFor(Kind::kTransactions, false);
      const size_t nb = labels.buckets().size();
      const int completed = static_cast<int>(TxStatus::kCompleted);
      const std::string where = fmt::format(
          "{} AND submitted_at < {to} AND accepted_at != {nt} AND due_at != {nt} AND "
          "status NOT IN ({rejected}, {withdrawn}) AND greatest(accepted_at, due_at) < {to}",
          live, fmt::arg("to", q.to_ms), fmt::arg("nt", kNT),
          fmt::arg("rejected", static_cast<int>(TxStatus::kRejected)),
          fmt::arg("withdrawn", static_cast<int>(TxStatus::kWithdrawn)));
      const std::string closed = fmt::format(
          "if(status = {} AND completed_at != {} AND completed_at < {}, {}, -1)", completed, kNT,
          q.to_ms, Bucket("completed_at"));
      return Lines(Select(s, Bucket("greatest(accepted_at, due_at)"),
                          fmt::format("{} AS closed_bucket, count()", closed), Kind::kTransactions,
                          where) + ", closed_bucket",
                   [&](std::string_view line) {
        const std::vector<std::string_view> f = SplitTabs(line);
        if (f.size() != s.groups + 3) return Status::Io("ClickHouse: an unexpected row");
        Labels g;
        uint32_t b0;
        if (!GroupOf(s, f, &g, &b0, nullptr, false)) return Status::Ok();
        const int64_t closed_date = Int(f[s.groups + 1]);
        uint32_t b1 = static_cast<uint32_t>(nb);
        if (closed_date >= 0 && !labels.Bucket(closed_date, &b1)) return Status::Ok();
        if (b1 <= b0) return Status::Ok();
        PitAcc a;
        a.Init(nb);
        const int64_t n = Int(f[s.groups + 2]);
        a.backlog_diff[b0] += n;
        a.backlog_diff[b1] -= n;
        engine::AddGroup(out->tx_pit, std::move(g), a);
        return Status::Ok();
      });
    }

    std::string EvalPeriod(const std::string& live) const {
      return fmt::format("{} AND evaluated_at >= {} AND evaluated_at < {} AND score != {}", live,
                         q.from_ms, q.to_ms, kNI);
    }

    Status Evaluations() const {
      GOVQM_ASSIGN_OR_RETURN(const std::string live, store().Live(Kind::kEvaluations));
      const Shape s = ShapeFor(Kind::kEvaluations, false);
      const std::string measures = fmt::format(
          "count(), countIf(score >= {pos}), countIf(score <= {bad}), countIf(score >= {top2}), "
          "sum(toInt64(score)), countIf(active = 1), countIf(active = 1 AND score >= {pos}), "
          "countIf(evaluator_age != {ni} AND evaluator_age >= {elderly}), "
          "sumIf(toInt64(score), evaluator_age != {ni} AND evaluator_age >= {elderly})",
          fmt::arg("pos", thresholds::kPositiveMinScore),
          fmt::arg("bad", thresholds::kBadReviewMaxScore),
          fmt::arg("top2", thresholds::kTop2MinScore), fmt::arg("ni", kNI),
          fmt::arg("elderly", thresholds::kElderlyMinAge));
      return Lines(Select(s, Bucket("evaluated_at"), measures, Kind::kEvaluations, EvalPeriod(live)),
                   [&](std::string_view line) {
        const std::vector<std::string_view> f = SplitTabs(line);
        if (f.size() != s.groups + 1 + 9) return Status::Io("ClickHouse: an unexpected row");
        Labels g;
        uint32_t b;
        if (!GroupOf(s, f, &g, &b, nullptr)) return Status::Ok();
        const std::string_view* m = f.data() + s.groups + 1;
        EvalAcc a;
        a.n = Int(m[0]), a.positive = Int(m[1]), a.negative = Int(m[2]), a.top2 = Int(m[3]);
        a.score_sum = Int(m[4]), a.active = Int(m[5]), a.active_positive = Int(m[6]);
        a.elderly = Int(m[7]), a.elderly_score_sum = Int(m[8]);
        engine::AddGroup(out->eval, std::move(g), a);
        return Status::Ok();
      });
    }

    Status EvaluationsPointInTime() const {
      GOVQM_ASSIGN_OR_RETURN(const std::string live, store().Live(Kind::kEvaluations));
      return Newest(Kind::kEvaluations, "evaluated_at",
                    fmt::format("{} AND evaluated_at < {} AND score != {}", live, q.to_ms, kNI),
                    &out->eval_pit);
    }

    Status BadReviews(Table* t) const {
      GOVQM_ASSIGN_OR_RETURN(const std::string live, store().Live(Kind::kEvaluations));
      const std::vector<int> cols = {eval_col::kId,        eval_col::kRegionCode,
                                     eval_col::kDeptCode,  eval_col::kItemCode,
                                     eval_col::kChannel,   eval_col::kEvaluatedAt,
                                     eval_col::kScore,     eval_col::kRealName,
                                     eval_col::kEvaluatorAge, eval_col::kActive,
                                     eval_col::kWindowCode};
      std::vector<int> sorted = cols;
      std::sort(sorted.begin(), sorted.end());
      std::string select;
      for (int c : sorted) {
        select += fmt::format("{}{}", select.empty() ? "" : ", ", t->def().columns[c].name);
      }
      *t = Table(Kind::kEvaluations);
      clickhouse::TsvRowReader reader(t, sorted, "ClickHouse");
      GOVQM_RETURN_IF_ERROR(Lines(
          fmt::format("SELECT {} FROM {} WHERE {} AND score <= {} AND real_name = 1 ORDER BY id",
                      select, store().names().Facts(Kind::kEvaluations), EvalPeriod(live),
                      thresholds::kBadReviewMaxScore),
          [&](std::string_view line) { return reader.Add(line); }));
      reader.Finish();
      if (q.scoped) {
        std::vector<bool> keep(t->rows());
        for (size_t r = 0; r < t->rows(); ++r) {
          keep[r] = labels.InScope(t->col(eval_col::kRegionCode).CodeAt(r),
                                   t->col(eval_col::kDeptCode).CodeAt(r));
        }
        t->KeepRows(keep);
      }
      return Status::Ok();
    }
  };

  const ClickHouseStore& store_;
};

}  // namespace

std::unique_ptr<FactAggregator> MakeClickHouseFacts(const ClickHouseStore& store) {
  return std::make_unique<ClickHouseFacts>(store);
}

}  // namespace govqm

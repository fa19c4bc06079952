#include "app/probe.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <filesystem>
#include <set>
#include <thread>

#include <toml++/toml.h>

#include "core/one_line.h"
#include "core/table.h"
#include "platform/file.h"

namespace govqm::app {
namespace {

Status At(std::string_view file, const toml::source_region& where, const std::string& message) {
  return Status::Invalid(
      OneLine(fmt::format("{}:{}: {}", file, where.begin.line, message)));
}

Status ParseTarget(const toml::table& t, std::string_view file, ProbeTarget* out) {
  static const std::set<std::string, std::less<>> kKeys = {
      "name", "url", "region", "dept", "expect_status", "expect_text", "timeout_ms", "ca_file"};
  for (const auto& [key, node] : t) {
    if (!kKeys.contains(key.str())) {
      return At(file, key.source(),
                fmt::format("unknown key '{}' in [[target]] (known: name, url, region, dept, "
                            "expect_status, expect_text, timeout_ms, ca_file)",
                            key.str()));
    }
    const std::string k(key.str());
    if (k == "expect_status" || k == "timeout_ms") {
      const auto* v = node.as_integer();
      if (v == nullptr) return At(file, node.source(), fmt::format("'{}' must be an integer", k));
      const int64_t n = v->get();
      if (k == "expect_status") {
        if (n < 100 || n > 599) {
          return At(file, node.source(), fmt::format("'expect_status' {} is not an HTTP status (100-599)", n));
        }
        out->expect_status = static_cast<int>(n);
      } else {
        if (n < 1 || n > 600000) {
          return At(file, node.source(), fmt::format("'timeout_ms' {} is out of range (1-600000)", n));
        }
        out->timeout_ms = n;
      }
      continue;
    }
    const auto* v = node.as_string();
    if (v == nullptr) return At(file, node.source(), fmt::format("'{}' must be a string", k));
    const std::string& s = v->get();
    if (k == "name") out->name = s;
    else if (k == "url") out->url = s;
    else if (k == "region") out->region = s;
    else if (k == "dept") out->dept = s;
    else if (k == "expect_text") out->expect_text = s;
    else if (k == "ca_file") out->ca_file = s;
  }
  if (out->name.empty()) return At(file, t.source(), "[[target]] has no 'name'");
  if (out->url.empty()) {
    return At(file, t.source(), fmt::format("[[target]] '{}' has no 'url'", out->name));
  }
  if (!out->url.starts_with("http://") && !out->url.starts_with("https://")) {
    return At(file, t["url"].node()->source(),
              fmt::format("'url' of '{}' is not http:// or https://: {}", out->name, out->url));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ProbeTarget>> ParseTargets(std::string_view text, std::string_view file_name) {
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    return At(file_name, e.source(), std::string(e.description()));
  } catch (const std::exception& e) {
    return Status::Invalid(OneLine(std::string(file_name) + ": " + e.what()));
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "target") {
      return At(file_name, key.source(),
                fmt::format("unknown key '{}' (a targets file holds [[target]] tables)", key.str()));
    }
  }
  const toml::array* list = root["target"].as_array();
  if (list == nullptr) {
    if (root.contains("target")) {
      return At(file_name, root["target"].node()->source(), "'target' must be [[target]] tables");
    }
    return Status::Invalid(OneLine(std::string(file_name) + ": no [[target]] in the file"));
  }
  std::vector<ProbeTarget> targets;
  std::set<std::string> names;
  for (const toml::node& n : *list) {
    const toml::table* t = n.as_table();
    if (t == nullptr) return At(file_name, n.source(), "'target' must be [[target]] tables");
    ProbeTarget target;
    GOVQM_RETURN_IF_ERROR(ParseTarget(*t, file_name, &target));
    if (!names.insert(target.name).second) {
      return At(file_name, t->source(), fmt::format("target name '{}' given twice", target.name));
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

Result<std::vector<ProbeTarget>> LoadTargets(const std::string& path) {
  GOVQM_ASSIGN_OR_RETURN(const std::string text, platform::ReadFile(path));
  GOVQM_ASSIGN_OR_RETURN(std::vector<ProbeTarget> targets, ParseTargets(text, path));
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  for (ProbeTarget& t : targets) {
    if (!t.ca_file.empty() && std::filesystem::path(t.ca_file).is_relative()) {
      t.ca_file = (dir / t.ca_file).string();
    }
  }
  return targets;
}

ProbeVerdict Judge(const ProbeTarget& target, const platform::HttpCheckResult& check,
                   int64_t now_ms) {
  using F = platform::HttpCheckResult::Failure;
  switch (check.failure) {
    case F::kNone:
      break;
    case F::kTimeout:
      return {false, fmt::format("timeout: no complete answer within {} ms", target.timeout_ms)};
    case F::kTls:
      return {false, OneLine("TLS: " + check.error)};
    case F::kConnect:
      return {false, OneLine("connection failed: " + check.error)};
    case F::kOther:
      return {false, OneLine("request failed: " + check.error)};
  }
  if (check.status_code != target.expect_status) {
    return {false, fmt::format("status {}, expected {}", check.status_code, target.expect_status)};
  }
  if (!target.expect_text.empty() && check.body.find(target.expect_text) == std::string::npos) {
    return {false, OneLine(fmt::format("expected text '{}' missing", target.expect_text))};
  }
  if (check.cert_not_after_ms && *check.cert_not_after_ms - now_ms < kCertWarnMs) {
    const int64_t left = *check.cert_not_after_ms - now_ms;
    if (left <= 0) {
      return {false, fmt::format("TLS: certificate expired at {}",
                                 FormatInstant(*check.cert_not_after_ms))};
    }
    return {false, fmt::format("TLS: certificate expires at {}, within 14 days",
                               FormatInstant(*check.cert_not_after_ms))};
  }
  return {true, ""};
}

Result<ProbeRoundResult> ProbeRound(Store& store, const std::vector<ProbeTarget>& targets,
                                    platform::Env& env, const HttpCheckFn& http) {
  // The checks run side by side (at most kParallelChecks at once), so one platform that
  // times out does not delay the others' checks by its timeout.
  ProbeRoundResult result;
  result.records.resize(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    result.records[i].target = targets[i].name;
    result.records[i].checked_at_ms = env.NowUtcMs();
  }
  std::vector<platform::HttpCheckResult> checks(targets.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < targets.size();) {
      const ProbeTarget& t = targets[i];
      checks[i] = http({t.url, t.timeout_ms, t.ca_file});
    }
  };
  {
    std::vector<std::jthread> workers;
    const size_t n = std::min(targets.size(), kParallelChecks);
    for (size_t w = 1; w < n; ++w) workers.emplace_back(worker);
    worker();
  }
  const int64_t judged_at = env.NowUtcMs();
  for (size_t i = 0; i < targets.size(); ++i) {
    ProbeRecord& r = result.records[i];
    const platform::HttpCheckResult& check = checks[i];
    const ProbeVerdict verdict = Judge(targets[i], check, judged_at);
    r.ok = verdict.ok;
    r.reason = verdict.reason;
    r.status_code = check.status_code;
    const bool answered = check.status_code != 0 &&
                          check.failure != platform::HttpCheckResult::Failure::kTimeout;
    r.latency_ms = answered ? check.latency_ms : kNullReal;
  }

  Table rows(Kind::kProbes);
  auto code = [](Column& c, const std::string& s) {
    c.codes.push_back(s.empty() ? kNullCode : c.dict.Intern(s));
  };
  for (size_t i = 0; i < targets.size(); ++i) {
    const ProbeRecord& r = result.records[i];
    code(rows.col(probe_col::kTarget), r.target);
    code(rows.col(probe_col::kRegionCode), targets[i].region);
    code(rows.col(probe_col::kDeptCode), targets[i].dept);
    rows.col(probe_col::kCheckedAt).times.push_back(r.checked_at_ms);
    rows.col(probe_col::kOk).bytes.push_back(r.ok ? 1 : 0);
    rows.col(probe_col::kLatencyMs).reals.push_back(r.latency_ms);
    rows.col(probe_col::kStatusCode).ints.push_back(r.status_code == 0 ? kNullInt : r.status_code);
    Column& reason = rows.col(probe_col::kReason);
    reason.text += r.reason;
    reason.offsets.push_back(reason.text.size());
  }
  rows.SetRows(targets.size());
  std::vector<uint64_t> hashes;
  for (size_t i = 0; i < rows.rows(); ++i) hashes.push_back(IdentityHash(rows, i));

  GOVQM_ASSIGN_OR_RETURN(Store::WriteTransaction tx, store.BeginWrite());
  GOVQM_RETURN_IF_ERROR(store.Append(rows, hashes).status());
  GOVQM_RETURN_IF_ERROR(tx.Commit());
  return result;
}

}  // namespace govqm::app

#include "app/alert_delivery.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "app/render/alerts.h"
#include "app/render/json.h"
#include "platform/env.h"

namespace govqm::app {
namespace {

std::string DayOf(const AlertRow& alert, const std::string& from, const std::string& to) {
  return alert.day.empty() ? from + "/" + to : alert.day;
}

}  // namespace

std::string AlertIdentity(const AlertRow& alert, const std::string& from, const std::string& to) {
  std::string keys = "{";
  for (size_t i = 0; i < alert.keys.size(); ++i) {
    if (i) keys += ",";
    keys += render::JsonString(alert.keys[i].first) + ":" + render::JsonString(alert.keys[i].second);
  }
  keys += "}";
  return fmt::format("[{},{},{},{}]", render::JsonString(alert.rule),
                     render::JsonString(alert.kind), keys,
                     render::JsonString(DayOf(alert, from, to)));
}

std::string AlertLabel(const AlertRow& alert, const std::string& from, const std::string& to) {
  std::string group;
  for (const auto& [k, v] : alert.keys) {
    if (!group.empty()) group += ';';
    group += k + "=" + v;
  }
  return fmt::format("{} {} {} {}", alert.rule, alert.kind, group.empty() ? "(all)" : group,
                     DayOf(alert, from, to));
}

Status CheckWebhookUrl(const std::string& url) {
  const bool http = url.starts_with("http://") && url.size() > 7;
  const bool https = url.starts_with("https://") && url.size() > 8;
  if (!http && !https) {
    return Status::Usage(fmt::format("--deliver '{}': give an http:// or https:// URL", url));
  }
  return Status::Ok();
}

Result<DeliveryResult> DeliverAlerts(Store& store, const AlertsResult& alerts,
                                     const DeliveryRequest& request, const DeliveryDeps& deps) {
  GOVQM_RETURN_IF_ERROR(CheckWebhookUrl(request.url));
  if (store.read_only()) {
    return Status::FailedPrecondition(fmt::format(
        "store {} is read-only: --deliver remembers each delivered alert in the store, so that "
        "a rerun sends nothing twice",
        store.path()));
  }
  auto sleep = [&](int seconds) {
    if (deps.sleep) {
      deps.sleep(seconds);
    } else {
      std::this_thread::sleep_for(std::chrono::seconds(seconds));
    }
  };
  auto now = [&] { return deps.now_ms ? deps.now_ms() : platform::Env::Default().NowUtcMs(); };
  DeliveryResult result;
  for (const AlertRow& alert : alerts.alerts) {
    const std::string identity = AlertIdentity(alert, request.from, request.to);
    GOVQM_ASSIGN_OR_RETURN(const bool done, store.AlertDelivered(request.url, identity));
    if (done) {
      ++result.already;
      continue;
    }
    platform::HttpPostRequest post;
    post.url = request.url;
    post.body = render::AlertJson(alert);
    post.timeout_ms = request.timeout_ms;
    post.ca_file = request.ca_file;
    if (request.secret.has_value()) {
      post.headers.emplace_back(std::string(security::kSignatureHeader),
                                security::SignatureHeaderValue(*request.secret, post.body));
    }
    constexpr int kAttempts = 1 + static_cast<int>(std::size(kDeliveryRetrySeconds));
    std::string error;
    bool delivered = false;
    int attempt = 0;
    while (attempt < kAttempts) {
      ++attempt;
      const platform::HttpPostResult answer = deps.post(post);
      if (answer.status_code >= 200 && answer.status_code < 300) {
        delivered = true;
        break;
      }
      error = answer.status_code != 0 ? fmt::format("HTTP {}", answer.status_code)
                                      : answer.error;
      if (attempt == kAttempts) break;
      const int wait = kDeliveryRetrySeconds[attempt - 1];
      if (deps.note) {
        deps.note(fmt::format("{}: attempt {} failed ({}); retrying in {} s",
                              AlertLabel(alert, request.from, request.to), attempt, error, wait));
      }
      sleep(wait);
    }
    if (!delivered) {
      result.failed.push_back({AlertLabel(alert, request.from, request.to), error, attempt});
      continue;
    }
    // Remembered before the next alert goes: a crash from here on resends none of it.
    GOVQM_RETURN_IF_ERROR(store.MarkAlertDelivered(request.url, identity, now()));
    ++result.delivered;
  }
  return result;
}

}  // namespace govqm::app

// Delivering alerts to a webhook (service.md §7, `govqm alerts --deliver URL [--secret-file F]`):
// each alert not yet delivered to that URL is POSTed alone, as its object of `alerts --format
// json` (render::AlertJson), signed when there is a secret, retried, and remembered in the store
// right after its 2xx, so a rerun (or a run after a crash) sends nothing twice.
//
// An alert's identity is its rule, kind, group keys and day — not its value, so a value
// recomputed a little differently never sends the same alert again. A period rule's alert
// (threshold, drop) has no day: the period "FROM/TO" stands for it, so next month's alert of
// the same group is a new one. Deliveries are per URL: a second webhook gets everything.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/alerts.h"
#include "core/status.h"
#include "platform/http_post.h"
#include "security/webhook_secret.h"
#include "store/store.h"

namespace govqm::app {

// The waits before the 2nd … 6th attempt, in seconds: at most six attempts per alert.
inline constexpr int kDeliveryRetrySeconds[] = {1, 2, 4, 8, 16};

struct DeliveryRequest {
  std::string url;                               // http:// or https://
  std::optional<security::WebhookSecret> secret;  // none: no X-Govqm-Signature header
  std::string from, to;                          // the alerts' period (AlertsRequest's)
  int64_t timeout_ms = 10000;                    // each attempt, connection included
  std::string ca_file;                           // "" = the system's CAs
};

// What the delivery loop needs from outside, injected so tests need not wait 31 s.
struct DeliveryDeps {
  std::function<platform::HttpPostResult(const platform::HttpPostRequest&)> post =
      platform::HttpPost;
  std::function<void(int seconds)> sleep;        // empty: really sleep
  std::function<int64_t()> now_ms;               // empty: the wall clock (UTC ms)
  std::function<void(const std::string&)> note;  // a failed attempt about to be retried; may be empty
};

struct DeliveryFailure {
  std::string alert;  // AlertLabel of the alert
  std::string error;  // the last attempt's: "HTTP 500", or libcurl's message
  int attempts = 0;
};

struct DeliveryResult {
  int64_t delivered = 0;                // answered 2xx in this run (and remembered)
  int64_t already = 0;                  // delivered to this URL before: not sent
  std::vector<DeliveryFailure> failed;  // every attempt failed: not remembered
};

// The identity remembered in the store: ["RULE","KIND",{"key":"label",…},"DAY"] (JSON text;
// DAY is "FROM/TO" for a period rule).
std::string AlertIdentity(const AlertRow& alert, const std::string& from, const std::string& to);

// The alert for people: "RULE KIND GROUP DAY" ("RULE KIND (all) FROM/TO" for a period rule
// without group keys).
std::string AlertLabel(const AlertRow& alert, const std::string& from, const std::string& to);

// Usage unless `url` is an http:// or https:// URL.
Status CheckWebhookUrl(const std::string& url);

// Delivers every alert of `alerts` not yet delivered to request.url, in order. An attempt that
// fails (no connection, a timeout, an answer that is not 2xx) is retried after 1, 2, 4, 8 and
// 16 s; an alert whose six attempts failed is listed in `failed` and the others still go.
// Usage for a bad URL; kFailedPrecondition for a read-only store (nothing could be
// remembered), before anything is sent; a store error as it comes, stopping the run (the
// alert in flight may then have been delivered without being remembered).
Result<DeliveryResult> DeliverAlerts(Store& store, const AlertsResult& alerts,
                                     const DeliveryRequest& request,
                                     const DeliveryDeps& deps = {});

}  // namespace govqm::app

// The routes of the closed loop and the alerts (service.md §3, §6, §7): cases, one case (with
// the contact for the revisit, revealed to an operator or supervisor in scope and audited),
// actions on a case, and the alerts of the server's rules. None is cached: cases and deadline
// warnings depend on the moment asked, and every case read is audited.
#include <fmt/format.h>
#include <simdjson.h>

#include "app/alerts.h"
#include "app/cases.h"
#include "app/contact.h"
#include "app/render/alerts.h"
#include "app/render/cases.h"
#include "cli/requests.h"
#include "server/handler_support.h"
#include "server/handlers.h"

namespace govqm::server {
namespace {

bool MayRevealContacts(Role role) { return role == Role::kOperator || role == Role::kSupervisor; }

}  // namespace

Reply GetCases(Service& s, const Call& call, const Principal& who) {
  std::string by;
  auto request = cli::CasesRequestOf(ArgsOf(call, cli::CasesSpec()), s.NowMs(), &by);
  if (!request.ok()) return StatusReply(request.status());
  request->scope = who.scope;
  request->deadlines = s.options().deadlines;
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto result = app::ListCases(**lease, *request);
  if (!result.ok()) return StatusReply(result.status());
  std::string asked;
  for (const auto& [k, v] : call.query) asked += (asked.empty() ? "" : "&") + k + "=" + v;
  Status audited = s.Audit(who, "cases.read", "cases",
                           fmt::format("{} cases{}{}", result->cases.size(),
                                       asked.empty() ? "" : "; ", asked));
  if (!audited.ok()) return StatusReply(audited);
  return Json(render::CasesJson(*result, by));
}

Reply GetCase(Service& s, const Call& call, const Principal& who) {
  std::string by;
  auto request = cli::CasesRequestOf(ArgsOf(call, cli::CasesSpec()), s.NowMs(), &by);
  if (!request.ok()) return StatusReply(request.status());
  request->id = call.path_params.at(0);
  request->scope = who.scope;
  request->deadlines = s.options().deadlines;
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto c = app::ShowCase(**lease, *request);
  if (!c.ok()) return StatusReply(c.status());
  const std::string object = "case:" + c->id;
  if (!MayRevealContacts(who.role)) {  // an admin manages, it does not call citizens back
    Status audited = s.Audit(who, "case.read", object, "");
    if (!audited.ok()) return StatusReply(audited);
    return Json(render::CaseJson(*c));
  }
  std::string contact, contact_error;
  bool revealed = false;
  auto key = app::LoadContactKey(**lease, s.options().key_file);
  if (!key.ok()) {
    std::fprintf(stderr, "govqm serve: cannot read the contact key: %s\n",
                 key.status().message().c_str());
    contact_error = "the server cannot read its contact key";
  } else {
    auto opened = app::RevealContact(**lease, *key, c->id);
    if (opened.ok()) {
      contact = *opened;
      revealed = true;
    } else if (opened.status().code() != StatusCode::kNotFound) {
      contact_error = opened.status().message();  // a key that does not open it: no secret
    }
  }
  // The reveal is logged before the number leaves: no trace, no number.
  Status audited = s.Audit(who, revealed ? "contact.reveal" : "case.read", object, "");
  if (!audited.ok()) return StatusReply(audited);
  return Json(render::CaseJsonWithContact(*c, revealed ? &contact : nullptr, contact_error));
}

// Body: {"action": "verify", "note": …, "reason": …, "revisit_score": 4}; the actor is the
// signed-in user, with its role and scope; the step is at the server's clock.
Reply PostCaseAction(Service& s, const Call& call, const Principal& who) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(call.body).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return ErrorReply(400, "the body must be a JSON object {\"action\": …}");
  }
  std::string_view action;
  if (doc["action"].get_string().get(action) != simdjson::SUCCESS) {
    return ErrorReply(400, "the body needs \"action\": assign, verify, rectify, revisit, close "
                           "or invalidate");
  }
  for (auto field : doc.get_object()) {
    const std::string_view k = field.key;
    if (k != "action" && k != "note" && k != "reason" && k != "revisit_score") {
      return ErrorReply(400, fmt::format("unknown field \"{}\" (action, note, reason, "
                                         "revisit_score)", std::string(k)));
    }
  }
  cli::Args args;
  for (const char* name : {"note", "reason"}) {
    simdjson::dom::element v;
    if (doc[name].get(v) != simdjson::SUCCESS || v.is_null()) continue;
    std::string_view text;
    if (v.get_string().get(text) != simdjson::SUCCESS) {
      return ErrorReply(400, fmt::format("\"{}\" must be a string", name));
    }
    args.values[name] = std::string(text);
  }
  simdjson::dom::element score;
  if (doc["revisit_score"].get(score) == simdjson::SUCCESS && !score.is_null()) {
    int64_t n = 0;
    if (score.get_int64().get(n) != simdjson::SUCCESS) {
      return ErrorReply(400, "\"revisit_score\" must be a whole number from 1 to 5");
    }
    args.values["revisit-score"] = std::to_string(n);
  }
  auto request = cli::CaseActionRequestOf(call.path_params.at(0), std::string(action), args,
                                          s.NowMs());
  if (!request.ok()) return StatusReply(request.status());
  request->actor = who.user;
  request->role = who.role;
  request->scope = who.scope;
  request->deadlines = s.options().deadlines;
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto c = app::ActOnCase(**lease, *request);
  if (!c.ok()) return StatusReply(c.status());
  Status audited = s.Audit(who, "case." + std::string(action), "case:" + c->id,
                           fmt::format("state={}", CaseStateName(c->status.state)));
  if (!audited.ok()) return StatusReply(audited);
  return Json(render::CaseJson(*c));
}

Reply GetAlerts(Service& s, const Call& call, const Principal& who) {
  if (s.alert_rules() == nullptr) {
    return StatusReply(Status::FailedPrecondition(
        "the server has no alert rules (start it with --alert-rules FILE)"));
  }
  app::AlertsRequest request;
  request.rules = *s.alert_rules();
  auto param = [&](const char* name) {
    auto it = call.query.find(name);
    return it == call.query.end() ? std::string() : it->second;
  };
  request.from = param("from");
  request.to = param("to");
  request.zone = param("tz");
  request.at = param("at");
  request.scope = who.scope;
  request.deadlines = s.options().deadlines;
  auto lease = s.stores().Acquire();
  if (!lease.ok()) return StatusReply(lease.status());
  auto result = app::Alerts(**lease, request);
  if (!result.ok()) return StatusReply(result.status());
  return Json(render::AlertsJson(*result));
}

}  // namespace govqm::server

// govqm cases list|show|act|invite (service.md §6) — arguments → the cases use cases
// (app/cases.h) → CSV, JSON, a table or text.
#include <fmt/format.h>

#include "app/cases.h"
#include "app/render/cases.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"
#include "security/accounts.h"

namespace govqm::cli {
namespace {

Status CasesList(const Args& args) {
  if (args.positional.size() != 1) return Status::Usage("cases list takes no other argument");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "csv", {"csv", "json", "table"}));
  std::string by;
  GOVQM_ASSIGN_OR_RETURN(app::CasesRequest request, CasesRequestOf(args, NowMs(), &by));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::CasesResult result, app::ListCases(*store, request));
  Out(format == "csv"    ? render::CasesCsv(result, by)
      : format == "json" ? render::CasesJson(result, by)
                         : render::CasesTable(result, by));
  return Status::Ok();
}

Status CasesShow(const Args& args) {
  if (args.positional.size() != 2) return Status::Usage("cases show takes one case ID");
  for (const char* opt : {"state", "by", "overdue"}) {
    if (args.Has(opt)) return Status::Usage(fmt::format("cases show takes no --{}", opt));
  }
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "text", {"text", "json"}));
  std::string by;
  GOVQM_ASSIGN_OR_RETURN(app::CasesRequest request, CasesRequestOf(args, NowMs(), &by));
  request.id = args.positional[1];
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::CaseRecord c, app::ShowCase(*store, request));
  Out(format == "json" ? render::CaseJson(c) : render::CaseText(c));
  return Status::Ok();
}

// The actor's role and scope: a store with accounts acts only through an enabled user's
// name (its role and scope apply, as through the API); a store without any is one person's
// file, so the actor is a name and nobody is a supervisor.
Status ResolveActor(const Store& store, app::CaseActionRequest* request) {
  if (request->actor.empty()) return Status::Usage("cases act needs --actor NAME");
  GOVQM_ASSIGN_OR_RETURN(auto accounts, security::Accounts::Open(store.path()));
  GOVQM_ASSIGN_OR_RETURN(const auto users, accounts->ListUsers());
  if (users.empty()) return Status::Ok();
  auto who = accounts->PrincipalOf(request->actor);
  if (!who.ok()) {
    return Status::NotFound(fmt::format(
        "--actor {}: no such enabled user (this store has accounts: act as one of them)",
        request->actor));
  }
  request->role = who->role;
  request->scope = who->scope;
  return Status::Ok();
}

Status CasesAct(const Args& args) {
  if (args.positional.size() != 3) return Status::Usage("cases act takes a case ID and an ACTION");
  GOVQM_ASSIGN_OR_RETURN(const std::string format, FormatOf(args, "text", {"text", "json"}));
  GOVQM_ASSIGN_OR_RETURN(app::CaseActionRequest request,
                         CaseActionRequestOf(args.positional[1], args.positional[2], args, NowMs()));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ResolveActor(*store, &request));
  GOVQM_ASSIGN_OR_RETURN(const app::CaseRecord c, app::ActOnCase(*store, request));
  const std::string action(CaseActionName(request.action));
  GOVQM_RETURN_IF_ERROR(AuditCliChange(
      args,
      {CliActor(), "case." + action, "case:" + request.id,
       fmt::format("actor={} state={}", request.actor, CaseStateName(c.status.state))},
      fmt::format("case {}: {} recorded", request.id, action)));
  Out(format == "json" ? render::CaseJson(c) : render::CaseText(c));
  return Status::Ok();
}

Status CasesInvite(const Args& args) {
  if (args.positional.size() != 1) return Status::Usage("cases invite takes no other argument");
  GOVQM_ASSIGN_OR_RETURN(app::InviteRequest request, InviteRequestOf(args, NowMs()));
  GOVQM_ASSIGN_OR_RETURN(auto store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.scope));
  GOVQM_ASSIGN_OR_RETURN(const app::InviteResult result, app::Invitations(*store, request));
  Out(render::InvitationsCsv(result));
  return Status::Ok();
}

}  // namespace

Status RunCases(int argc, char** argv) {
  // Options may come before the subcommand, so all are parsed, then checked against it.
  ArgSpec all = CasesSpec();
  for (const ArgSpec* spec : {&CaseActSpec(), &CasesInviteSpec()}) {
    all.valued.insert(spec->valued.begin(), spec->valued.end());
    all.flags.insert(spec->flags.begin(), spec->flags.end());
  }
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, all));
  if (args.positional.empty()) {
    return Status::Usage("cases: give list, show ID, act ID ACTION or invite");
  }
  const std::string& name = args.positional[0];
  Status (*run)(const Args&) = name == "list"     ? CasesList
                               : name == "show"   ? CasesShow
                               : name == "act"    ? CasesAct
                               : name == "invite" ? CasesInvite
                                                  : nullptr;
  if (run == nullptr) {
    return Status::Usage(
        fmt::format("cases: unknown subcommand '{}' (list, show, act, invite)", name));
  }
  const ArgSpec& own = name == "act" ? CaseActSpec() : name == "invite" ? CasesInviteSpec() : CasesSpec();
  for (const auto& [option, value] : args.values) {
    if (!own.valued.count(option)) {
      return Status::Usage(fmt::format("cases {} takes no --{}", name, option));
    }
  }
  for (const std::string& flag : args.flags) {
    if (!own.flags.count(flag)) return Status::Usage(fmt::format("cases {} takes no --{}", name, flag));
  }
  return run(args);
}

}  // namespace govqm::cli

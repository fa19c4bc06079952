// The route handlers of the API (service.md §3), one per route of Routes().
#pragma once

#include "server/service.h"

namespace govqm::server {

Reply SignIn(Service& s, const Call& call, const Principal& who);
Reply SignOut(Service& s, const Call& call, const Principal& who);
Reply Me(Service& s, const Call& call, const Principal& who);
Reply GetIndicators(Service& s, const Call& call, const Principal& who);
Reply GetScore(Service& s, const Call& call, const Principal& who);
Reply GetExplain(Service& s, const Call& call, const Principal& who);
Reply GetDiagnosis(Service& s, const Call& call, const Principal& who);
Reply GetBulletin(Service& s, const Call& call, const Principal& who);
Reply GetDisparity(Service& s, const Call& call, const Principal& who);
Reply GetWeights(Service& s, const Call& call, const Principal& who);
Reply PostImport(Service& s, const Call& call, const Principal& who);
Reply GetRejects(Service& s, const Call& call, const Principal& who);
Reply GetAudit(Service& s, const Call& call, const Principal& who);
Reply GetSameSource(Service& s, const Call& call, const Principal& who);
Reply GetUsers(Service& s, const Call& call, const Principal& who);  // account_handlers.cc
Reply PostUser(Service& s, const Call& call, const Principal& who);
Reply PostUserDisable(Service& s, const Call& call, const Principal& who);
Reply GetRecords(Service& s, const Call& call, const Principal& who);
Reply GetCases(Service& s, const Call& call, const Principal& who);         // case_handlers.cc
Reply GetCase(Service& s, const Call& call, const Principal& who);
Reply PostCaseAction(Service& s, const Call& call, const Principal& who);
Reply GetAlerts(Service& s, const Call& call, const Principal& who);
Reply GetPublicIndicators(Service& s, const Call& call, const Principal& who);
Reply GetPublicScore(Service& s, const Call& call, const Principal& who);
Reply GetOpenApi(Service& s, const Call& call, const Principal& who);
Reply GetHealth(Service& s, const Call& call, const Principal& who);
Reply GetMetrics(Service& s, const Call& call, const Principal& who);

}  // namespace govqm::server

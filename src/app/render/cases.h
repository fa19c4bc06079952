// Renderers of the cases use case (service.md §6): the list as CSV, JSON or a table, one line
// per case or (--by region|dept) one per group; one case with its history as JSON or text.
// Instants are ISO 8601 UTC (core FormatInstant); a missing deadline or next step is empty/null.
#pragma once

#include <string>

#include "app/cases.h"

namespace govqm::render {

// Group key of the summary: "" (one line per case), "region" or "dept".
std::string CasesCsv(const app::CasesResult& result, const std::string& by);
std::string CasesJson(const app::CasesResult& result, const std::string& by);
std::string CasesTable(const app::CasesResult& result, const std::string& by);

std::string CaseJson(const app::CaseRecord& c);
// The case route's answer to an operator or supervisor in scope (service.md §4): CaseJson plus
// "contact" (the decrypted number, or null when the review has none or it cannot be shown)
// and, when it could not be shown, "contact_error" saying why.
std::string CaseJsonWithContact(const app::CaseRecord& c, const std::string* contact,
                                const std::string& contact_error);
// cases invite: transaction_id, region_code, dept_code, item_code, channel, completed_at,
// days_since_completion; one line per transaction to invite.
std::string InvitationsCsv(const app::InviteResult& result);
std::string CaseText(const app::CaseRecord& c);

}  // namespace govqm::render

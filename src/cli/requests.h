// Options → typed requests, one builder per use case, shared by the two edges: the command
// line (--name value) and the HTTP API (?name=value; service.md §3: "query parameters are the
// CLI's options without the dashes"). One builder means one set of checks and one request,
// so the API's JSON equals the CLI's --format json for the same options.
#pragma once

#include "app/bulletin.h"
#include "app/cases.h"
#include "app/render/bulletin_text.h"
#include "app/diagnose.h"
#include "app/disparity.h"
#include "app/explain.h"
#include "app/federation.h"
#include "app/indicators.h"
#include "app/score.h"
#include "app/weights.h"
#include "cli/args.h"
#include "core/status.h"

namespace govqm::cli {

// The options each command accepts (its ArgSpec), for parsing and for the API's checks.
const ArgSpec& IndicatorsSpec();
const ArgSpec& ScoreSpec();
const ArgSpec& ExplainSpec();
const ArgSpec& DisparitySpec();
const ArgSpec& WeightsSpec();
const ArgSpec& CasesSpec();       // cases list|show (and the cases routes' parameters)
const ArgSpec& CaseActSpec();     // cases act
const ArgSpec& CasesInviteSpec();  // cases invite
const ArgSpec& AlertsSpec();
const ArgSpec& DiagnoseSpec();
const ArgSpec& ReportSpec();  // report (and the bulletin route's parameters)
const ArgSpec& PartialsSpec();
const ArgSpec& MergeSpec();

// The values source of the framework commands (--values, or --from/--to/--by/--tz). Usage
// when --values is given with a store option.
Result<app::ScoringRequest> ScoringRequestOf(const Args& args);

// Usage for a bad combination or value, worded with the CLI's --names.
Result<app::IndicatorsRequest> IndicatorsRequestOf(const Args& args);
Result<app::ScoreRequest> ScoreRequestOf(const Args& args);
Result<app::ExplainRequest> ExplainRequestOf(const Args& args);
Result<app::DisparityRequest> DisparityRequestOf(const Args& args);
Result<app::WeightsRequest> WeightsRequestOf(const Args& args);
// diagnose: --from, --to, --by, --unit (all required), --tz; the stop words of --stopwords
// (a file, or a bare name in the data directory's diagnosis/), else the data directory's
// diagnosis/stopwords-zh.txt. The scope and show_records are the edge's (ReadAs, or the
// signed-in principal).
Result<app::DiagnoseRequest> DiagnoseRequestOf(const Args& args);
// report: --from, --to, --by (all required), --tz, --top (1-100, default 5), --stopwords
// (as diagnose's), --config FILE ([closed_loop] deadlines). `rules_file` gets the alert rules
// file to read: --alert-rules (a file, or a bare name in the data directory's alerts/), else
// the data directory's alerts/example.toml; the edge reads it (the server has its own). The
// scope and show_records are the edge's.
Result<app::BulletinRequest> BulletinRequestOf(const Args& args, std::string* rules_file);
// partials: --from, --to, --by (all required; --by a list as indicators'), --tz, --key. The
// scope is the edge's (ReadAs).
Result<app::PartialsRequest> PartialsRequestOf(const Args& args);
// merge FILE...: the files and --trust DIR (both required).
Result<app::MergeRequest> MergeRequestOf(const Args& args);

// --lang zh|en (default zh); Usage otherwise.
Result<render::Lang> LangOf(const Args& args);

// cases list|show: --at (absent: `now_ms`), --tz, --state, --overdue; `by` gets --by's value
// ("", "region" or "dept").
// --config FILE: the [closed_loop] deadlines (cli/config.h).
Result<app::CasesRequest> CasesRequestOf(const Args& args, int64_t now_ms, std::string* by);
// cases act ID ACTION: --actor, --note, --reason, --revisit-score, --tz, --config; the event
// is at `now_ms`. The actor's role and scope are the edge's to fill in.
Result<app::CaseActionRequest> CaseActionRequestOf(const std::string& id,
                                                  const std::string& action, const Args& args,
                                                  int64_t now_ms);
// cases invite: --at (absent: `now_ms`), --after-days (default 3), --tz.
Result<app::InviteRequest> InviteRequestOf(const Args& args, int64_t now_ms);

// The value of --format (`fallback` when absent); Usage unless it is one of `allowed`, which
// the message lists in the order given.
Result<std::string> FormatOf(const Args& args, const std::string& fallback,
                             std::initializer_list<const char*> allowed);

}  // namespace govqm::cli

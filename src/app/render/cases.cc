#include "app/render/cases.h"

#include <fmt/format.h>

#include <map>
#include <vector>

#include "app/render/csv.h"
#include "app/render/json.h"
#include "app/render/table.h"
#include "core/scrub.h"
#include "core/table.h"

namespace govqm::render {
namespace {

constexpr CaseState kStates[] = {CaseState::kOpen,      CaseState::kVerified,
                                 CaseState::kRectified, CaseState::kRevisited,
                                 CaseState::kClosed,    CaseState::kInvalid};

std::string Instant(int64_t ms) { return ms == kNullTime ? "" : FormatInstant(ms); }
std::string JsonInstant(int64_t ms) { return ms == kNullTime ? "null" : JsonString(FormatInstant(ms)); }
std::string NextName(const CaseStatus& s) {
  return s.next.has_value() ? std::string(CaseActionName(*s.next)) : "";
}

const std::vector<std::string> kCaseHeader = {"id",    "region_code", "dept_code", "reviewed_at",
                                              "score", "state",       "since",     "next_step",
                                              "deadline", "overdue"};

std::vector<std::string> CaseFields(const app::CaseRecord& c) {
  return {c.id,
          c.region_code,
          c.dept_code,
          Instant(c.reviewed_at),
          std::to_string(c.score),
          std::string(CaseStateName(c.status.state)),
          Instant(c.status.since),
          NextName(c.status),
          Instant(c.status.deadline),
          c.status.overdue ? "true" : "false"};
}

struct GroupCounts {
  int64_t cases = 0, overdue = 0;
  int64_t by_state[6] = {};
};

// Group label -> counts, in label order.
std::map<std::string, GroupCounts> Groups(const app::CasesResult& result, const std::string& by) {
  std::map<std::string, GroupCounts> groups;
  for (const app::CaseRecord& c : result.cases) {
    GroupCounts& g = groups[by == "dept" ? c.dept_code : c.region_code];
    ++g.cases;
    g.overdue += c.status.overdue;
    ++g.by_state[static_cast<int>(c.status.state)];
  }
  return groups;
}

std::vector<std::string> GroupHeader(const std::string& by) {
  std::vector<std::string> h = {by == "dept" ? "dept_code" : "region_code", "cases"};
  for (CaseState s : kStates) h.emplace_back(CaseStateName(s));
  h.emplace_back("overdue");
  return h;
}

std::vector<std::string> GroupFields(const std::string& label, const GroupCounts& g) {
  std::vector<std::string> f = {label, std::to_string(g.cases)};
  for (int i = 0; i < 6; ++i) f.push_back(std::to_string(g.by_state[i]));
  f.push_back(std::to_string(g.overdue));
  return f;
}

std::string CaseObject(const app::CaseRecord& c, bool with_history) {
  std::string out = fmt::format(
      "{{\"id\":{},\"region_code\":{},\"dept_code\":{},\"reviewed_at\":{},\"score\":{},"
      "\"state\":{},\"since\":{},\"next_step\":{},\"deadline\":{},\"overdue\":{}",
      JsonString(c.id), JsonString(c.region_code), JsonString(c.dept_code),
      JsonInstant(c.reviewed_at), c.score, JsonString(CaseStateName(c.status.state)),
      JsonInstant(c.status.since),
      c.status.next.has_value() ? JsonString(CaseActionName(*c.status.next)) : "null",
      JsonInstant(c.status.deadline), c.status.overdue ? "true" : "false");
  if (with_history) {
    out += ",\"history\":[";
    for (size_t i = 0; i < c.history.size(); ++i) {
      const app::CaseHistoryEntry& e = c.history[i];
      out += fmt::format("{}{{\"event\":{},\"at\":{},\"actor\":{},\"note\":{}}}", i ? "," : "",
                         JsonString(e.event), JsonInstant(e.at), JsonString(e.actor),
                         JsonString(ScrubPersonalData(e.note)));
    }
    out += "]";
  }
  return out + "}";
}

}  // namespace

std::string CasesCsv(const app::CasesResult& result, const std::string& by) {
  std::string out;
  if (by.empty()) {
    AppendCsvRow(&out, kCaseHeader);
    for (const app::CaseRecord& c : result.cases) AppendCsvRow(&out, CaseFields(c));
    return out;
  }
  AppendCsvRow(&out, GroupHeader(by));
  for (const auto& [label, g] : Groups(result, by)) AppendCsvRow(&out, GroupFields(label, g));
  return out;
}

std::string CasesJson(const app::CasesResult& result, const std::string& by) {
  std::string out = fmt::format("{{\"at\":{},", JsonInstant(result.at));
  if (by.empty()) {
    out += "\"cases\":[";
    for (size_t i = 0; i < result.cases.size(); ++i) {
      out += (i ? "," : "") + CaseObject(result.cases[i], false);
    }
    return out + "]}\n";
  }
  out += fmt::format("\"by\":{},\"groups\":[", JsonString(by));
  const std::vector<std::string> header = GroupHeader(by);
  bool first = true;
  for (const auto& [label, g] : Groups(result, by)) {
    const std::vector<std::string> f = GroupFields(label, g);
    out += first ? "{" : ",{";
    first = false;
    for (size_t i = 0; i < header.size(); ++i) {
      out += fmt::format("{}{}:{}", i ? "," : "", JsonString(header[i]),
                         i == 0 ? JsonString(f[i]) : f[i]);
    }
    out += "}";
  }
  return out + "]}\n";
}

std::string CasesTable(const app::CasesResult& result, const std::string& by) {
  std::vector<std::vector<std::string>> rows;
  TableStyle style;
  if (by.empty()) {
    rows.push_back(kCaseHeader);
    for (const app::CaseRecord& c : result.cases) rows.push_back(CaseFields(c));
    style.left_columns = kCaseHeader.size();
  } else {
    rows.push_back(GroupHeader(by));
    for (const auto& [label, g] : Groups(result, by)) rows.push_back(GroupFields(label, g));
  }
  return RenderTable(rows, style);
}

std::string CaseJson(const app::CaseRecord& c) { return CaseObject(c, true) + "\n"; }

std::string CaseJsonWithContact(const app::CaseRecord& c, const std::string* contact,
                                const std::string& contact_error) {
  std::string out = CaseObject(c, true);
  out.pop_back();  // the closing brace
  out += fmt::format(",\"contact\":{}", contact != nullptr ? JsonString(*contact) : "null");
  if (!contact_error.empty()) out += fmt::format(",\"contact_error\":{}", JsonString(contact_error));
  return out + "}\n";
}

std::string CaseText(const app::CaseRecord& c) {
  std::string out = fmt::format("case {}  region {}  dept {}  score {}  reviewed {}\n", c.id,
                                c.region_code, c.dept_code, c.score, Instant(c.reviewed_at));
  out += fmt::format("state {} since {}", CaseStateName(c.status.state), Instant(c.status.since));
  if (c.status.next.has_value()) {
    out += fmt::format("; next {} by {}{}", CaseActionName(*c.status.next),
                       Instant(c.status.deadline), c.status.overdue ? " (overdue)" : "");
  }
  out += "\n";
  std::vector<std::vector<std::string>> rows;
  for (const app::CaseHistoryEntry& e : c.history) {
    rows.push_back({Instant(e.at), e.event, e.actor, ScrubPersonalData(e.note)});
  }
  TableStyle style;
  style.left_columns = 4;
  style.indent = "  ";
  return out + RenderTable(rows, style);
}

std::string InvitationsCsv(const app::InviteResult& result) {
  std::string out;
  AppendCsvRow(&out, {"transaction_id", "region_code", "dept_code", "item_code", "channel",
                      "completed_at", "days_since_completion"});
  for (const app::Invitation& i : result.invitations) {
    AppendCsvRow(&out, {i.transaction_id, i.region_code, i.dept_code, i.item_code, i.channel,
                        Instant(i.completed_at), std::to_string(i.days_since)});
  }
  return out;
}

}  // namespace govqm::render

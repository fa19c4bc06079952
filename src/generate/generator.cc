#include "generate/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema.h"
#include "core/time_zone.h"
#include "core/thresholds.h"
#include "generate/csv_out.h"
#include "generate/province.h"
#include "core/random.h"

namespace govqm {
namespace {

using gen::City;
using gen::CsvOut;
using gen::Department;
using gen::Item;
using gen::ItemTemplate;
using gen::Province;
using gen::TimeStyle;
using gen::WorkCalendar;

constexpr int64_t kMin = kMsPerMinute;
constexpr int64_t kHour = kMsPerHour;
constexpr int64_t kDay = kMsPerDay;

enum Channel : uint8_t { kWeb, kApp, kMini, kHall, kKiosk, kHotline };
constexpr std::string_view kChannelNames[] = {"web",  "app",   "miniprogram",
                                              "hall", "kiosk", "hotline"};
bool IsOnline(int ch) { return ch <= kMini; }

// Independent random streams, so that adding rows to one file never shifts another.
enum Stream : uint64_t { kGuideStream = 201, kProbeStream, kOrgStream, kTxStream, kDraftStream };

std::vector<std::string_view> Header(Kind kind) {
  std::vector<std::string_view> names;
  for (const ColumnDef& c : GetKindDef(kind).columns) names.push_back(c.name);
  return names;
}

Status OpenCsv(CsvOut& out, const std::filesystem::path& dir, Kind kind) {
  const std::string file = std::string(GetKindDef(kind).name) + ".csv";
  return out.Open((dir / file).string(), Header(kind));
}

// Mostly "+08:00"; some exports in UTC, some without offset, a few with milliseconds.
TimeStyle PickStyle(Rng& rng) {
  const double u = rng.Uniform();
  if (u < 0.78) return TimeStyle::kOffset;
  if (u < 0.88) return TimeStyle::kUtc;
  if (u < 0.97) return TimeStyle::kLocal;
  return TimeStyle::kFraction;
}

void PutTime(CsvOut& out, Rng& rng, int64_t local_ms) {
  const TimeStyle style = PickStyle(rng);
  // The milliseconds are part of the recorded instant only when the style shows them.
  if (style == TimeStyle::kFraction) local_ms += rng.Int(1, 999);
  out.Time(local_ms, style);
}

// "TX" + year + 10-digit sequence: unique across years, so several generated years can be
// loaded into one store.
std::string_view MakeId(char (&buf)[24], char prefix0, char prefix1, int year, int64_t seq) {
  buf[0] = prefix0;
  buf[1] = prefix1;
  for (int i = 5; i >= 2; --i, year /= 10) buf[i] = static_cast<char>('0' + year % 10);
  for (int i = 15; i >= 6; --i, seq /= 10) buf[i] = static_cast<char>('0' + seq % 10);
  return std::string_view(buf, 16);
}

int64_t DayOf(int64_t local_ms) { return FloorDiv(local_ms, kDay); }

// Internal times are whole seconds and related times at least a second apart, so that the
// milliseconds added by the fraction style can never reorder two written times.
int64_t WholeSeconds(double ms) { return static_cast<int64_t>(ms / 1000) * 1000; }

// ---------------------------------------------------------------------------------------
// Reference files.

Status WriteReference(const Province& p, const std::filesystem::path& dir, GenerateSummary& sum) {
  CsvOut regions;
  GOVQM_RETURN_IF_ERROR(OpenCsv(regions, dir, Kind::kRegions));
  regions.Raw(p.code);
  regions.Text(p.name);
  regions.Empty();
  regions.Raw("west");
  regions.Bool(false);
  regions.EndRow();
  for (const City& c : p.cities) {
    regions.Raw(c.code);
    regions.Text(c.name);
    regions.Raw(p.code);
    regions.Raw("west");
    regions.Bool(c.key_city);
    regions.EndRow();
  }
  for (const City& c : p.cities) {
    for (const gen::District& d : c.districts) {
      regions.Raw(d.code);
      regions.Text(d.name);
      regions.Raw(c.code);
      regions.Empty();  // inherits west from its city (domain.md §2.1)
      regions.Bool(false);
      regions.EndRow();
    }
  }
  GOVQM_RETURN_IF_ERROR(regions.Close());
  sum.regions = regions.rows();

  CsvOut depts;
  GOVQM_RETURN_IF_ERROR(OpenCsv(depts, dir, Kind::kDepartments));
  for (const Department& d : p.departments) {
    depts.Raw(d.code);
    depts.Text(d.name);
    depts.Raw(p.cities[d.city].code);
    depts.EndRow();
  }
  GOVQM_RETURN_IF_ERROR(depts.Close());
  sum.departments = depts.rows();

  CsvOut items;
  GOVQM_RETURN_IF_ERROR(OpenCsv(items, dir, Kind::kItems));
  const auto tmpls = gen::ItemTemplates();
  for (const Item& it : p.items) {
    const ItemTemplate& t = tmpls[it.tmpl];
    items.Raw(it.code);
    items.Text(t.name);
    items.Raw(p.departments[it.dept].code);
    items.Int(t.statutory_days);
    items.Int(t.promised_days);
    items.Bool(t.online_capable);
    items.Text(t.category);
    items.EndRow();
  }
  GOVQM_RETURN_IF_ERROR(items.Close());
  sum.items = items.rows();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Guides: the platform copy and department copies, with real and harmless differences.

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t end = std::min(s.find(';', start), s.size());
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(parts[i]);
  }
  return out;
}

// ASCII digits, '-', '(' and ')' to their full-width forms (NFKC maps them back).
std::string FullWidth(std::string_view s) {
  std::string out;
  for (char c : s) {
    if ((c >= '0' && c <= '9') || c == '-' || c == '(' || c == ')') {
      const unsigned code = 0xFF00 + static_cast<unsigned char>(c) - 0x20;  // U+FF01 = '!'
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

struct GuideText {
  std::string name, legal_basis, conditions, materials, time_limit, fee, location, contact;
};

GuideText CanonicalGuide(const Province& p, const Item& item) {
  const ItemTemplate& t = gen::ItemTemplates()[item.tmpl];
  const Department& d = p.departments[item.dept];
  const City& c = p.cities[item.city];
  const gen::DeptTemplate& dt = gen::DeptTemplates()[d.tmpl];
  GuideText g;
  g.name = std::string(t.name);
  g.legal_basis = std::string(t.legal_basis);
  g.conditions = std::string(t.conditions);
  g.materials = std::string(t.materials);
  g.time_limit = std::to_string(t.promised_days);
  g.fee = std::string(t.fee);
  g.location =
      c.name + "政务服务中心" + std::string(dt.hall_area) + "（" + std::string(dt.name) + "窗口）";
  g.contact = c.area_code + "-12345转" + std::to_string(801 + d.tmpl);
  return g;
}

// Differences that every department site must still match after normalisation (domain.md §3).
void HarmlessVariant(Rng& rng, GuideText& g) {
  int changed = 0;
  if (rng.Chance(0.5)) {
    std::vector<std::string> parts = SplitList(g.materials);
    for (size_t i = parts.size(); i > 1; --i) std::swap(parts[i - 1], parts[rng.Int(0, i - 1)]);
    if (rng.Chance(0.2)) parts.push_back(parts.front());  // repeats count once
    static constexpr std::string_view kSeps[] = {"；", "、", "，", ",", " ; ", "；\u3000"};
    g.materials = JoinList(parts, kSeps[rng.Int(0, std::size(kSeps) - 1)]);
    ++changed;
  }
  if (rng.Chance(0.35)) {
    g.time_limit = rng.Chance(0.5) ? FullWidth(g.time_limit) : g.time_limit + ".0";
    ++changed;
  }
  if (rng.Chance(0.3)) {
    // After the second CJK character (3 bytes each in UTF-8), so the text stays valid.
    g.name =
        rng.Chance(0.5) ? " " + g.name + " " : g.name.substr(0, 6) + "\u3000" + g.name.substr(6);
    ++changed;
  }
  if (rng.Chance(0.3)) {
    g.location = ReplaceAll(ReplaceAll(g.location, "（", "("), "）", ")");
    ++changed;
  }
  if (rng.Chance(0.25)) {
    g.contact = FullWidth(g.contact);
    ++changed;
  }
  if (changed == 0) g.conditions += "  ";
}

// One or two key fields that really differ from the platform's copy.
void RealMismatch(Rng& rng, const ItemTemplate& t, GuideText& g) {
  const int n = rng.Chance(0.25) ? 2 : 1;
  for (int k = 0; k < n; ++k) {
    static constexpr double kWeights[] = {30, 25, 15, 15, 10, 5};
    switch (rng.Pick(kWeights)) {
      case 0: {
        std::vector<std::string> parts = SplitList(g.materials);
        if (parts.size() > 1 && rng.Chance(0.6)) {
          parts.pop_back();
        } else {
          parts.push_back("其他相关材料");
        }
        g.materials = JoinList(parts, ";");
        break;
      }
      case 1:  // the department shows the statutory limit instead of the promise
        g.time_limit = std::to_string(t.statutory_days == t.promised_days ? t.statutory_days + 5
                                                                          : t.statutory_days);
        break;
      case 2:
        g.fee = g.fee == "不收费" ? "工本费10元" : "不收费";
        break;
      case 3:
        g.contact.back() = g.contact.back() == '9' ? '0' : '9';  // another extension
        break;
      case 4:
        g.conditions += "，需提前网上预约";
        break;
      default:
        g.name = "申请" + g.name;
        break;
    }
  }
}

void WriteGuideRow(CsvOut& out, Rng& rng, std::string_view source, const Province& p,
                   const Item& item, const GuideText& g, int64_t published_local) {
  const Department& d = p.departments[item.dept];
  out.Text(source);
  out.Raw(item.code);
  out.Raw(d.code);
  out.Raw(p.cities[d.city].code);
  out.Text(g.name);
  out.Text(g.legal_basis);
  out.Text(g.conditions);
  out.Text(g.materials);
  out.Text(g.time_limit);
  out.Text(g.fee);
  out.Text(g.location);
  out.Text(g.contact);
  PutTime(out, rng, published_local);
  out.EndRow();
}

Status WriteGuides(const Province& p, uint64_t seed, int year, const std::filesystem::path& dir,
                   GenerateSummary& sum) {
  Rng rng(seed, kGuideStream);
  CsvOut out;
  GOVQM_RETURN_IF_ERROR(OpenCsv(out, dir, Kind::kGuides));
  const int64_t base_day = DaysFromCivil(year - 1, 7, 1);
  for (const Item& item : p.items) {
    const ItemTemplate& t = gen::ItemTemplates()[item.tmpl];
    const GuideText canon = CanonicalGuide(p, item);
    const int64_t plat_day = base_day + rng.Int(0, 180);
    const int64_t plat_at = plat_day * kDay + 9 * kHour + rng.Int(0, 7 * 3600) * 1000;
    if (rng.Chance(0.10)) {  // an older platform version: only the latest one counts
      GuideText old = canon;
      RealMismatch(rng, t, old);
      WriteGuideRow(out, rng, "platform", p, item, old, plat_at - rng.Int(100, 300) * kDay);
    }
    WriteGuideRow(out, rng, "platform", p, item, canon, plat_at);
    if (rng.Chance(p.cities[item.city].guide_missing_rate)) continue;  // catalogue gap
    const int copies = rng.Chance(0.5) ? 2 : 1;
    for (int k = 0; k < copies; ++k) {
      const std::string_view source = k == 0 ? "dept-site" : "city-site";
      const int64_t at = plat_at + rng.Int(1, 60) * kDay + rng.Int(0, 3600) * 1000;
      if (rng.Chance(0.05)) {  // a stale earlier copy, superseded by the one below
        GuideText stale = canon;
        RealMismatch(rng, t, stale);
        WriteGuideRow(out, rng, source, p, item, stale, plat_at - rng.Int(1, 20) * kDay);
      }
      GuideText g = canon;
      const double u = rng.Uniform();
      if (u < 0.10) {
        RealMismatch(rng, t, g);
      } else if (u < 0.45) {
        HarmlessVariant(rng, g);
      }
      WriteGuideRow(out, rng, source, p, item, g, at);
    }
  }
  GOVQM_RETURN_IF_ERROR(out.Close());
  sum.guides = out.rows();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Probes: hourly checks of each platform, three-hourly checks of a few department sites.

Status WriteProbes(const Province& p, uint64_t seed, int year, const std::filesystem::path& dir,
                   GenerateSummary& sum) {
  Rng rng(seed, kProbeStream);
  struct Target {
    std::string url, region, dept;
    int every_hours;
    double avail, latency_median;
  };
  std::vector<Target> targets;
  targets.push_back({"https://zwfw.gxzf.gov.cn", p.code, "", 1, 0.998, 160});
  for (const City& c : p.cities) {
    const double avail = c.key_city ? rng.Uniform(0.993, 0.999) : rng.Uniform(0.975, 0.996);
    targets.push_back(
        {"https://zwfw." + c.pinyin + ".gov.cn", c.code, "", 1, avail, rng.Uniform(150, 380)});
  }
  for (int ci = 0; ci < 6; ++ci) {
    const Department& d = p.departments[ci * gen::DeptTemplates().size() + (ci * 4) % 9];
    const gen::DeptTemplate& dt = gen::DeptTemplates()[d.tmpl];
    targets.push_back({"https://" + std::string(dt.site) + "." + p.cities[ci].pinyin + ".gov.cn",
                       p.cities[ci].code, d.code, 3, rng.Uniform(0.97, 0.995),
                       rng.Uniform(200, 500)});
  }
  const int64_t start = DaysFromCivil(year, 1, 1) * kDay;
  const int64_t hours = (DaysFromCivil(year + 1, 1, 1) - DaysFromCivil(year, 1, 1)) * 24;
  // A planted incident for the alerts: 贺州's platform is down for three days, 22 to 24 July
  // (local times, like every time here).
  const int64_t outage_from = DaysFromCivil(year, 7, 22) * kDay;
  const int64_t outage_to = outage_from + 3 * kDay;
  CsvOut out;
  GOVQM_RETURN_IF_ERROR(OpenCsv(out, dir, Kind::kProbes));
  for (size_t ti = 0; ti < targets.size(); ++ti) {
    const Target& t = targets[ti];
    // Outages come in runs: a two-state chain whose long-run down share is 1 - avail.
    constexpr double kStay = 0.7;
    const double start_down = (1 - kStay) * (1 - t.avail) / t.avail;
    bool down = false;
    const bool is_hezhou = t.region == "451100" && t.dept.empty();
    for (int64_t h = 0; h < hours; h += t.every_hours) {
      const int64_t at =
          start + h * kHour + static_cast<int64_t>(ti % 30) * 2 * kMin + rng.Int(0, 29) * 1000;
      down = down ? rng.Chance(kStay) : rng.Chance(start_down);
      const bool incident = is_hezhou && at >= outage_from && at < outage_to;
      const bool ok = !down && !incident;
      out.Text(t.url);
      out.Raw(t.region);
      if (t.dept.empty()) {
        out.Empty();
      } else {
        out.Raw(t.dept);
      }
      out.Time(at, rng.Chance(0.7) ? TimeStyle::kUtc : TimeStyle::kOffset);
      out.Bool(ok);
      if (ok) {
        double lat = rng.LogNormal(DetLog(t.latency_median), 0.45);
        if (rng.Chance(0.01)) lat *= 4;  // occasional slow page
        out.Int(static_cast<int64_t>(lat + 0.5));
        out.Int(200);
      } else {
        const double u = rng.Uniform();
        if (u < 0.35) {  // no answer within the timeout: no latency, no status
          out.Empty();
          out.Int(0);
        } else {
          out.Int(static_cast<int64_t>(rng.LogNormal(DetLog(80.0), 0.5) + 0.5));
          out.Int(u < 0.6 ? 500 : 503);
        }
      }
      out.Empty();  // reason: an exported probe log gives none
      out.EndRow();
    }
  }
  GOVQM_RETURN_IF_ERROR(out.Close());
  sum.probes = out.rows();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Org indicators: per city per quarter, the six codes of domain.md §2.7.

Status WriteOrg(const Province& p, uint64_t seed, int year, const std::filesystem::path& dir,
                GenerateSummary& sum) {
  Rng rng(seed, kOrgStream);
  CsvOut out;
  GOVQM_RETURN_IF_ERROR(OpenCsv(out, dir, Kind::kOrg));
  for (const City& c : p.cities) {
    const double q = c.key_city ? 1.0 : rng.Uniform(0.55, 0.9);  // overall capacity of the city
    double staff = rng.Uniform(1.2, 1.5) + 0.6 * q;
    double integrated = 0.3 + 0.5 * q + rng.Uniform(0, 0.1);
    double training = 8 + 18 * q + rng.Uniform(0, 4);
    double budget = 0.05 + 0.14 * q + rng.Uniform(0, 0.03);
    int64_t rules = static_cast<int64_t>(18 + 50 * q + rng.Int(0, 8));
    double standardized = std::min(0.99, 0.80 + 0.17 * q + rng.Uniform(0, 0.02));
    for (int quarter = 1; quarter <= 4; ++quarter) {
      const std::string period = std::to_string(year) + "Q" + std::to_string(quarter);
      const std::string qtext = std::to_string(year) + "年第" + std::to_string(quarter) + "季度";
      auto row = [&](std::string_view block, std::string_view code, double value, int decimals,
                     const std::string& evidence) {
        out.Raw(c.code);
        out.Raw(period);
        out.Raw(block);
        out.Raw(code);
        out.Fixed(value, decimals);
        out.Text(evidence);
        out.EndRow();
      };
      row("organization", "staff_per_window", staff, 2,
          "《" + c.name + "政务服务中心" + qtext + "窗口人员配置台账》");
      row("organization", "integrated_window_share", integrated, 3,
          c.name + "政务服务中心综合窗口设置情况表（" + qtext + "）");
      row("assurance", "training_hours_per_staff", training, 1,
          c.name + "政务服务管理局" + qtext + "业务培训记录, 签到表");
      row("assurance", "platform_budget_share", budget, 3,
          c.name + "财政局政务服务经费决算明细（" + qtext + "）");
      row("institution", "rules_in_force", static_cast<double>(rules), 0,
          c.name + "现行有效政务服务制度规范目录");
      row("institution", "standardized_item_share", standardized, 3,
          c.name + "政务服务事项标准化梳理进度表（" + qtext + "）");
      // Quarter-on-quarter improvement, as reform plans demand.
      staff = std::max(1.0, staff + rng.Uniform(-0.08, 0.05));
      integrated = std::min(0.98, integrated + rng.Uniform(0.0, 0.05));
      training += rng.Uniform(-2.0, 3.0);
      budget = std::min(0.3, budget + rng.Uniform(-0.005, 0.01));
      rules += rng.Int(0, 3);
      standardized = std::min(1.0, standardized + rng.Uniform(0.0, 0.02));
    }
  }
  GOVQM_RETURN_IF_ERROR(out.Close());
  sum.org = out.rows();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Transactions with their evaluations and rectification events, streamed day by day.

struct Draft {
  int64_t submitted;  // local ms
  uint32_t seq;       // tie-break that keeps the sort deterministic
  int32_t item;
  int16_t district;  // -1: the city's own hall
  int16_t age;       // -1: unknown
  uint8_t channel;
  bool enterprise;
};

constexpr std::string_view kPositiveComments[] = {
    "办事效率高，服务态度好", "一次就办好了，点赞",     "网上办理很方便",   "工作人员耐心细致",
    "流程清晰，材料简单",     "比以前快多了",           "不用跑腿，很满意", "ok, 很快就办完了",
    "窗口人员主动帮忙填表",   "手机上就能办，省时省力",
};
constexpr std::string_view kNeutralComments[] = {
    "还可以", "排队时间有点长", "系统有点卡", "材料要求可以再简化", "说\"马上办\"，等了一会儿",
};
// What a citizen writes with a bad review, by its first reason (domain.md §2.2's codes), so
// that a diagnosis's example comments say what its reasons say. Some hold personal data the
// import must scrub (a phone number, an ID number, already masked at the source).
struct ReasonComments {
  std::string_view reason;
  std::vector<std::string_view> comments;
};
const std::vector<ReasonComments>& BadComments() {
  static const std::vector<ReasonComments> pools = {
      {"overdue", {"超过承诺时限还没办结", "说好十个工作日，一个月了还没消息"}},
      {"long_wait", {"排了两个多小时的队", "取号后等了一上午才轮到"}},
      {"repeat_trips",
       {"材料反复要求补交，跑了三趟", "第一次来没带齐材料\n第二次又说要补证明",
        "身份证号4501**********12已提交，还让重复提供"}},
      {"system_error", {"网上系统总是提交失败", "页面经常卡住，上传材料失败"}},
      {"attitude", {"工作人员态度差", "窗口人员不耐烦，问两句就不理人"}},
      {"unclear_guide", {"办事指南写得不清楚，和窗口说的不一致", "网上写的材料清单和现场要求不一样"}},
      {"too_many_materials", {"要交的材料太多，很多是重复证明"}},
      {"slow", {"电话一直打不通", "已留电话138****0000，至今无人回复"}},
  };
  return pools;
}
// The comments of the review's first reason; every bad comment when it gives none.
const std::vector<std::string_view>& BadCommentsFor(std::string_view reasons) {
  static const std::vector<std::string_view> all = [] {
    std::vector<std::string_view> v;
    for (const ReasonComments& p : BadComments()) v.insert(v.end(), p.comments.begin(), p.comments.end());
    return v;
  }();
  const std::string_view first = reasons.substr(0, reasons.find(';'));
  for (const ReasonComments& p : BadComments()) {
    if (p.reason == first) return p.comments;
  }
  return all;
}
// What 玉林's citizens write once its new online system goes live on 1 July (planted for the
// alerts and the diagnosis: a negative rate that rises mid-year, with a recognisable cause).
constexpr std::string_view kSurgeComments[] = {
    "新系统上线后总是提交失败，来回跑了好几趟",
    "系统升级后材料上传不了，窗口也说办不了",
    "网上申报页面一直打不开，只能去大厅排队",
    "新系统要重新注册，验证码收不到",
    "提交失败好几次，客服电话打不通",
};
// 玉林市 from 1 July 00:00 local: bad reviews three times as likely, most about the system.
constexpr std::string_view kSurgeCity = "450900";
constexpr double kSurgeFactor = 3;

constexpr std::string_view kRandomReasons[] = {"attitude", "unclear_guide", "system_error",
                                               "too_many_materials", "slow"};

class TxGenerator {
 public:
  TxGenerator(const Province& p, const GenerateOptions& o)
      : p_(p),
        o_(o),
        rng_(o.seed, kTxStream),
        draft_rng_(o.seed, kDraftStream),
        cal_(DaysFromCivil(o.year - 1, 1, 1), 4 * 366),
        year_first_day_(DaysFromCivil(o.year, 1, 1)),
        year_days_(static_cast<int>(DaysFromCivil(o.year + 1, 1, 1) - year_first_day_)),
        cutoff_(DaysFromCivil(o.year + 1, 1, 15) * kDay),
        surge_from_(DaysFromCivil(o.year, 7, 1) * kDay) {
    std::vector<double> cw;
    for (const City& c : p.cities) cw.push_back(c.volume_weight);
    city_picker_ = CumulativePicker(cw);
    for (const auto& list : p.city_items) {
      std::vector<double> iw;
      for (int i : list) iw.push_back(p.items[i].weight);
      item_pickers_.emplace_back(iw);
    }
  }

  Status Run(const std::filesystem::path& dir, GenerateSummary& sum) {
    GOVQM_RETURN_IF_ERROR(OpenCsv(tx_, dir, Kind::kTransactions));
    GOVQM_RETURN_IF_ERROR(OpenCsv(ev_, dir, Kind::kEvaluations));
    GOVQM_RETURN_IF_ERROR(OpenCsv(rect_, dir, Kind::kRectifications));
    // Volume per day in integers, so the total is exactly `scale` on every platform.
    static constexpr int64_t kMonthFactor[] = {92,  80,  104, 100, 98,  100,
                                               102, 100, 102, 96,  104, 112};
    std::vector<int64_t> cum(year_days_ + 1, 0);
    for (int d = 0; d < year_days_; ++d) {
      const int64_t day = year_first_day_ + d;
      const int wd = WeekdayFromDays(day);
      const int64_t w = cal_.IsWorkday(day) ? 100 : (wd == 5 ? 30 : 20);
      cum[d + 1] = cum[d] + w * kMonthFactor[CivilFromDays(day).month - 1];
    }
    std::vector<Draft> drafts;
    for (int d = 0; d < year_days_; ++d) {
      const int64_t from = o_.scale * cum[d] / cum[year_days_];
      const int64_t to = o_.scale * cum[d + 1] / cum[year_days_];
      drafts.clear();
      for (int64_t i = from; i < to; ++i) drafts.push_back(MakeDraft(year_first_day_ + d, i));
      std::sort(drafts.begin(), drafts.end(), [](const Draft& a, const Draft& b) {
        return a.submitted != b.submitted ? a.submitted < b.submitted : a.seq < b.seq;
      });
      for (const Draft& dr : drafts) EmitTransaction(dr);
    }
    GOVQM_RETURN_IF_ERROR(tx_.Close());
    GOVQM_RETURN_IF_ERROR(ev_.Close());
    GOVQM_RETURN_IF_ERROR(rect_.Close());
    sum.transactions = tx_.rows();
    sum.evaluations = ev_.rows();
    sum.rectifications = rect_.rows();
    return Status::Ok();
  }

 private:
  const ItemTemplate& Tmpl(int item) const { return gen::ItemTemplates()[p_.items[item].tmpl]; }

  int16_t DrawAge(gen::AgeProfile profile) {
    static constexpr double kGeneral[] = {22, 35, 27, 11, 5};
    static constexpr double kElderly[] = {3, 10, 20, 35, 32};
    static constexpr double kYoung[] = {50, 38, 9, 2, 1};
    static constexpr int kLo[] = {18, 30, 45, 60, 70};
    static constexpr int kHi[] = {29, 44, 59, 69, 92};
    const int band = draft_rng_.Pick(profile == gen::AgeProfile::kElderly ? kElderly
                                     : profile == gen::AgeProfile::kYoung ? kYoung
                                                                          : kGeneral);
    return static_cast<int16_t>(draft_rng_.Int(kLo[band], kHi[band]));
  }

  // City, item, applicant, channel and submission time: what the day's sort needs.
  Draft MakeDraft(int64_t day, int64_t seq) {
    Rng& r = draft_rng_;
    Draft d;
    d.seq = static_cast<uint32_t>(seq);
    const int city = city_picker_.Pick(r);
    const auto& list = p_.city_items[city];
    d.item = list[item_pickers_[city].Pick(r)];
    const ItemTemplate& t = Tmpl(d.item);
    const auto& districts = p_.cities[city].districts;
    d.district = r.Chance(0.45) ? -1 : static_cast<int16_t>(r.Int(0, districts.size() - 1));
    d.enterprise = r.Chance(t.enterprise_share);
    if (d.enterprise) {
      d.age = r.Chance(0.75) ? -1 : static_cast<int16_t>(r.Int(25, 58));
    } else {
      d.age = r.Chance(0.06) ? -1 : DrawAge(t.ages);
    }
    // Older applicants keep to the halls (the digital divide the indicators must show).
    double age_factor = 1.0;
    // By the indicators' age bands (core/thresholds.h).
    if (d.age >= thresholds::kAgeBandBounds[3]) {
      age_factor = 0.38;
    } else if (d.age >= thresholds::kAgeBandBounds[2]) {
      age_factor = 0.62;
    } else if (d.age >= thresholds::kAgeBandBounds[1]) {
      age_factor = 0.95;
    } else if (d.age >= thresholds::kAgeBandBounds[0]) {
      age_factor = 1.08;
    } else if (d.age >= 0) {
      age_factor = 1.12;
    }
    double p_online = t.online_capable ? std::min(0.97, p_.cities[city].online_share * age_factor *
                                                            (d.enterprise ? 1.08 : 1.0))
                                       : 0.0;
    const bool workday = cal_.IsWorkday(day);
    const int wd = WeekdayFromDays(day);
    if (!workday && t.online_capable) p_online += (1 - p_online) * 0.6;
    static constexpr double kOnlineMix[] = {0.35, 0.30, 0.35};
    if (r.Chance(p_online)) {
      d.channel = static_cast<uint8_t>(kWeb + r.Pick(kOnlineMix));
    } else if (workday) {
      static constexpr double kMix[] = {85, 12, 3};
      d.channel = static_cast<uint8_t>(kHall + r.Pick(kMix));
    } else if (wd == 5) {  // Saturday: reservation service in the morning
      static constexpr double kMix[] = {50, 40, 10};
      d.channel = static_cast<uint8_t>(kHall + r.Pick(kMix));
    } else {
      d.channel = r.Chance(0.75) ? kKiosk : kHotline;
    }
    int64_t tod;  // seconds after local midnight
    switch (d.channel) {
      case kHall:
        if (wd == 5 && !workday) {
          tod = r.Int(9 * 3600, 12 * 3600 - 1);
        } else if (r.Chance(0.55)) {
          tod = r.Int(8 * 3600 + 1800, 12 * 3600 - 1);
        } else {
          tod = r.Int(14 * 3600 + 1800, 17 * 3600 + 1800);
        }
        break;
      case kKiosk:
        tod = r.Int(7 * 3600, 22 * 3600);
        break;
      case kHotline:
        tod = r.Int(8 * 3600, 21 * 3600);
        break;
      default: {
        static constexpr double kHours[] = {1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 6, 9, 10, 9,
                                            6, 5,   7,   8,   8,   7,   6, 6, 7, 7, 5,  2};
        tod = r.Pick(kHours) * 3600 + r.Int(0, 3599);
      }
    }
    d.submitted = day * kDay + tod * 1000;
    return d;
  }

  // The start of office hours at or after `local_ms` (8:30 on a working day).
  int64_t NextOfficeStart(int64_t local_ms) const {
    const int64_t day = DayOf(local_ms);
    const int64_t open = day * kDay + 8 * kHour + 30 * kMin;
    if (cal_.IsWorkday(day) && local_ms < open) return open;
    return cal_.AddWorkdays(day, 1) * kDay + 8 * kHour + 30 * kMin;
  }

  int64_t OfficeTime(int64_t day, double from_hour = 9.0, double span_hours = 8.0) {
    return day * kDay + static_cast<int64_t>(from_hour * 3600) * 1000 +
           rng_.Int(0, static_cast<int64_t>(span_hours * 3600)) * 1000;
  }

  void EmitTransaction(const Draft& dr) {
    Rng& r = rng_;
    const Item& item = p_.items[dr.item];
    const ItemTemplate& t = Tmpl(dr.item);
    const Department& dept = p_.departments[item.dept];
    const City& city = p_.cities[item.city];
    const std::string& region = dr.district < 0 ? city.code : city.districts[dr.district].code;
    const int ch = dr.channel;

    // Window and queue (halls and kiosks).
    int window = 0;
    double wait = -1;
    if (ch == kHall) {
      window = static_cast<int>(r.Int(1, dr.district < 0 ? 24 : 10));
    }
    const bool bad_window =
        ch == kHall && item.city == problem_window_city_ && dr.district < 0 && window == 7;
    if (ch == kHall) {
      wait = r.LogNormal(DetLog(city.wait_median_min * (bad_window ? 1.8 : 1.0)), 0.65);
      wait = std::clamp(wait, 2.0, 240.0);
    } else if (ch == kKiosk) {
      wait = std::clamp(r.LogNormal(DetLog(6.0), 0.6), 1.0, 60.0);
    }

    // Acceptance.
    int64_t accepted;
    if (ch == kHall || ch == kKiosk) {
      accepted = dr.submitted + static_cast<int64_t>(wait * 60) * 1000 + r.Int(60, 15 * 60) * 1000;
    } else {
      const int64_t day = DayOf(dr.submitted);
      const int64_t tod = dr.submitted - day * kDay;
      int64_t quick =
          dr.submitted +
          std::max<int64_t>(
              60, static_cast<int64_t>(std::min(r.LogNormal(DetLog(40.0), 0.9), 600.0) * 60)) *
              1000;
      const bool in_hours = cal_.IsWorkday(day) && tod >= 8 * kHour + 30 * kMin && tod < 17 * kHour;
      accepted = in_hours && quick < day * kDay + 17 * kHour + 30 * kMin
                     ? quick
                     : NextOfficeStart(dr.submitted) + r.Int(0, 3 * 3600) * 1000;
    }

    // Outcome.
    const double u = r.Uniform();
    TxStatus status = TxStatus::kCompleted;
    if (u < 0.010) {
      status = TxStatus::kWithdrawn;
    } else if (u < 0.035) {
      status = TxStatus::kRejected;
    }
    bool accepted_known = true;
    if (status == TxStatus::kWithdrawn) accepted_known = r.Chance(0.5);
    if (status == TxStatus::kCompleted && r.Chance(0.004)) accepted_known = false;  // a data gap
    const int promised = t.promised_days;
    const int64_t acc_day = DayOf(accepted);
    const int64_t due_day = promised == 0 ? acc_day : cal_.AddWorkdays(acc_day, promised);
    const int64_t due_end = (due_day + 1) * kDay;
    bool overdue = false;
    int64_t completed = kNullTime;
    if (status == TxStatus::kCompleted) {
      const double dept_factor = dept.tmpl == 3 ? 1.5 : dept.tmpl == 1 ? 1.2 : 0.9;
      overdue = r.Chance(city.overdue_rate * dept_factor * (promised == 0 ? 0.3 : 1.15));
      if (overdue) {
        int late = 1;
        while (late < 30 && r.Chance(0.78)) ++late;
        completed = OfficeTime(cal_.AddWorkdays(due_day, late));
      } else if (promised == 0) {
        completed = accepted + r.Int(5 * 60, 90 * 60) * 1000;
      } else {
        const double v = r.Uniform();
        int k = r.Chance(0.05) ? promised : static_cast<int>(promised * v * v);
        if (k == 0) {
          completed = accepted + r.Int(20 * 60, 240 * 60) * 1000;
          if (DayOf(completed) != acc_day) k = 1;
        }
        if (k > 0) completed = OfficeTime(cal_.AddWorkdays(acc_day, k));
        if (completed <= accepted) completed = accepted + r.Int(10 * 60, 60 * 60) * 1000;
      }
      // Still open at extraction time, or stuck (these feed open_overdue).
      if (completed >= cutoff_ || r.Chance(0.0015)) {
        status = TxStatus::kInProgress;
        completed = kNullTime;
      }
    }
    int64_t rejected_at = kNullTime;
    if (status == TxStatus::kRejected && r.Chance(0.25)) {
      // A completion time on a rejected case: kept by import, ignored by the indicators.
      rejected_at = accepted + r.Int(3600, 3 * 86400) * 1000;
      if (rejected_at >= cutoff_) rejected_at = kNullTime;
    }

    // Visits, materials, cross-region, reporting.
    int visits;
    if (IsOnline(ch)) {
      visits = r.Chance(0.93) ? 0 : (r.Chance(0.85) ? 1 : 2);
    } else if (ch == kHotline) {
      visits = r.Chance(0.8) ? 0 : 1;
    } else if (ch == kKiosk) {
      visits = r.Chance(0.95) ? 1 : 2;
    } else {
      const double v = r.Uniform();
      const double more = bad_window ? 2.5 : 1.0;
      visits = v < 0.16 * more ? 2 : (v < 0.16 * more + 0.06 * more ? 3 : 1);
    }
    if (r.Chance(0.02)) visits = -1;
    int required = static_cast<int>(SplitCount(t.materials)) +
                   (dr.enterprise ? static_cast<int>(r.Int(0, 1)) : 0);
    int exempted = 0;
    const double p_ex = std::min(0.95, city.exemption_share * (IsOnline(ch) ? 1.15 : 0.9));
    for (int i = 0; i < required; ++i) exempted += r.Chance(p_ex);
    if (r.Chance(0.06)) exempted = -1;
    if (r.Chance(0.03)) {
      required = -1;
      exempted = -1;
    }
    const int cross = r.Chance(0.02) ? -1 : r.Chance(t.cross_region_share);
    if (wait >= 0 && r.Chance(0.04)) wait = -1;
    int64_t reported = kNullTime;
    if (!r.Chance(city.unreported_rate)) {
      const bool batch =
          (item.city == 7 || item.city == 9) && r.Chance(0.4);  // 贵港, 百色: nightly batch
      reported = batch ? (DayOf(dr.submitted) + 1) * kDay + 2 * kHour + r.Int(0, 3600) * 1000
                       : dr.submitted +
                             std::max<int64_t>(
                                 60000, WholeSeconds(r.LogNormal(DetLog(2.0), 1.1) * kHour));
      if (reported >= cutoff_) reported = kNullTime;
    }

    // Write the transaction.
    char idbuf[24];
    const std::string_view id = MakeId(idbuf, 'T', 'X', o_.year, ++tx_seq_);
    std::string window_code;
    if (ch == kHall && !r.Chance(0.03)) {
      window_code = region + "-W" + static_cast<char>('0' + window / 10) +
                    static_cast<char>('0' + window % 10);
    }
    tx_.Raw(id);
    tx_.Raw(item.code);
    tx_.Raw(dept.code);
    tx_.Raw(region);
    tx_.Raw(kChannelNames[ch]);
    tx_.Raw(dr.enterprise ? "enterprise" : "person");
    if (dr.age >= 0)
      tx_.Int(dr.age);
    else
      tx_.Empty();
    PutTime(tx_, r, dr.submitted);
    if (accepted_known)
      PutTime(tx_, r, accepted);
    else
      tx_.Empty();
    if (completed != kNullTime) {
      PutTime(tx_, r, completed);
    } else if (rejected_at != kNullTime) {
      PutTime(tx_, r, rejected_at);
    } else {
      tx_.Empty();
    }
    const double due_u = r.Uniform();
    if (due_u < 0.01) {
      tx_.Empty();
    } else if (due_u < 0.36) {
      tx_.Date(due_day);  // a date only: the end of that day
    } else {
      tx_.Time(due_end - 1000,
               PickStyle(r) == TimeStyle::kUtc ? TimeStyle::kUtc : TimeStyle::kOffset);
    }
    if (r.Chance(0.01))
      tx_.Empty();
    else
      tx_.Int(promised);
    if (r.Chance(0.01))
      tx_.Empty();
    else
      tx_.Int(t.statutory_days);
    static constexpr std::string_view kStatus[] = {"in_progress", "completed", "rejected",
                                                   "withdrawn"};
    tx_.Raw(kStatus[static_cast<int>(status)]);
    if (visits >= 0)
      tx_.Int(visits);
    else
      tx_.Empty();
    if (required >= 0)
      tx_.Int(required);
    else
      tx_.Empty();
    if (exempted >= 0)
      tx_.Int(exempted);
    else
      tx_.Empty();
    if (cross >= 0)
      tx_.Bool(cross != 0);
    else
      tx_.Empty();
    if (wait >= 0)
      tx_.Int(static_cast<int64_t>(wait + 0.5));
    else
      tx_.Empty();
    if (reported != kNullTime)
      PutTime(tx_, r, reported);
    else
      tx_.Empty();
    tx_.Raw(window_code);
    tx_.EndRow();

    // Evaluations of the completed case.
    EvalContext ec{&dr,         &item,   &dept, &city,  &region,   id,
                   window_code, overdue, wait,  visits, bad_window};
    if (status == TxStatus::kCompleted && r.Chance(city.eval_coverage)) {
      const bool two_stage = ch == kHall && r.Chance(0.04);  // 一事多评
      if (two_stage) {
        EmitEvaluation(ec, accepted + r.Int(60, 600) * 1000, /*active=*/true, "application", 0.5);
      }
      const bool active = r.Chance(dept.active_share);
      int64_t at;
      if (active) {
        at = completed +
             std::clamp<int64_t>(WholeSeconds(r.LogNormal(DetLog(2.0), 1.6) * kHour), 60000,
                                 119 * kHour);
      } else {
        at = completed + 5 * kDay + r.Int(0, 7200) * 1000;  // the rating window closed
      }
      EmitEvaluation(ec, at, active, two_stage ? "delivery" : "", 1.0);
    }
    // A rating that came in through the 12345 hotline without a case number.
    if (r.Chance(0.01)) {
      EvalContext free = ec;
      free.tx_id = {};
      free.window_code = {};
      EmitEvaluation(free, dr.submitted + r.Int(0, 6 * 3600) * 1000, true, "", 1.5);
    }
  }

  static size_t SplitCount(std::string_view s) {
    return static_cast<size_t>(std::count(s.begin(), s.end(), ';')) + 1;
  }

  struct EvalContext {
    const Draft* dr;
    const Item* item;
    const Department* dept;
    const City* city;
    const std::string* region;
    std::string_view tx_id;
    std::string_view window_code;
    bool overdue;
    double wait;
    int visits;
    bool bad_window;
  };

  void EmitEvaluation(const EvalContext& c, int64_t at, bool active, std::string_view stage,
                      double bad_mult) {
    if (at >= cutoff_) return;
    Rng& r = rng_;
    const bool elderly = thresholds::IsElderly(c.dr->age);
    const bool surge = c.city->code == kSurgeCity && at >= surge_from_;
    bool surge_comment = false;
    int score = 5;
    std::string reasons;
    if (active) {
      double p_bad = c.dept->bad_rate * c.city->bad_factor * bad_mult;
      if (surge) p_bad *= kSurgeFactor;
      if (c.overdue) p_bad *= 5;
      if (c.wait > 45) p_bad *= 3;
      if (c.visits >= 2) p_bad *= 2;
      if (elderly) p_bad *= 1.4;
      if (c.bad_window) p_bad *= 6;
      if (r.Chance(std::min(0.6, p_bad))) {
        score = r.Chance(0.45) ? 1 : 2;
        if (c.overdue) reasons += "overdue;";
        if (c.wait > 45) reasons += "long_wait;";
        if (c.visits >= 2) reasons += "repeat_trips;";
        if (surge && r.Chance(0.7)) {
          reasons += "system_error";
          surge_comment = true;
        } else if (reasons.empty() || r.Chance(0.3)) {
          reasons += kRandomReasons[r.Int(0, std::size(kRandomReasons) - 1)];
        } else {
          reasons.pop_back();
        }
      } else {
        const double v = r.Uniform();
        const double p5 = elderly ? 0.74 : 0.82;
        const double p4 = elderly ? 0.19 : 0.14;
        score = v < p5 ? 5 : (v < p5 + p4 ? 4 : 3);
        if (score == 3 && r.Chance(0.3)) reasons = thresholds::IsLongWait(c.wait) ? "long_wait" : "slow";
      }
    }
    const bool real_name = active ? r.Chance(0.85) : true;
    char idbuf[24];
    const std::string_view id = MakeId(idbuf, 'E', 'V', o_.year, ++ev_seq_);
    ev_.Raw(id);
    ev_.Raw(c.tx_id);
    ev_.Raw(*c.region);
    ev_.Raw(c.dept->code);
    ev_.Raw(c.item->code);
    ev_.Raw(c.tx_id.empty() ? "hotline" : kChannelNames[c.dr->channel]);
    PutTime(ev_, r, at);
    ev_.Int(score);
    ev_.Text(reasons);
    std::string_view comment;
    if (active) {
      if (thresholds::IsBadReview(score) && surge_comment) {
        comment = kSurgeComments[r.Int(0, std::size(kSurgeComments) - 1)];
      } else if (thresholds::IsBadReview(score)) {
        if (r.Chance(0.85)) {
          const std::vector<std::string_view>& pool = BadCommentsFor(reasons);
          comment = pool[r.Int(0, static_cast<int>(pool.size()) - 1)];
        }
      } else if (score == 3) {
        if (r.Chance(0.4)) comment = kNeutralComments[r.Int(0, std::size(kNeutralComments) - 1)];
      } else if (r.Chance(0.2)) {
        comment = kPositiveComments[r.Int(0, std::size(kPositiveComments) - 1)];
      }
    }
    ev_.Text(comment);
    ev_.Bool(real_name);
    if (c.dr->age >= 0 && !c.dr->enterprise && !r.Chance(0.05))
      ev_.Int(c.dr->age);
    else
      ev_.Empty();
    ev_.Bool(active);
    ev_.Raw(c.window_code);
    ev_.Raw(stage);
    ev_.Empty();  // contact: a synthetic province calls nobody back, so it needs no key
    ev_.EndRow();
    if (thresholds::IsBadReview(score) && real_name) EmitCase(id, at, *c.dept, *c.city);
  }

  // One rectification case: assigned → verified → rectified → revisited → closed, with the
  // realistic misses (late, never, invalid); events after the extraction cut-off are unknown.
  void EmitCase(std::string_view eval_id, int64_t reviewed, const Department& dept,
                const City& city) {
    Rng& r = rng_;
    const int64_t day = DayOf(reviewed);
    const std::string sup = "sup-" + city.code;
    const std::string op = "op-" + dept.code;
    const std::string rv = "rv-" + city.code;
    int64_t t = reviewed + r.Int(5 * 60, 120 * 60) * 1000;
    if (!Event(eval_id, "assigned", t, sup, "差评已转派承办部门", 0)) return;
    if (r.Chance(0.03)) {
      Event(eval_id, "invalid", std::max(t + kHour, OfficeTime(cal_.AddWorkdays(day, r.Int(1, 3)))),
            sup, "经核实为恶意差评，申请作废", 0);
      return;
    }
    const double v = r.Uniform();
    if (v < 0.02) return;  // never verified: the case stays open and overdue
    int64_t verified;
    if (v < 0.40) {
      verified = t + r.Int(30 * 60, 4 * 3600) * 1000;
    } else if (v < 0.92) {
      verified = OfficeTime(cal_.AddWorkdays(day, 1));
    } else {
      verified = OfficeTime(cal_.AddWorkdays(day, r.Int(2, 4)));
    }
    verified = std::max(verified, t + 30 * kMin);
    if (!Event(eval_id, "verified", verified, op, "已联系群众核实情况", 0)) return;
    if (r.Chance(0.03)) return;  // never rectified
    const int wd = r.Chance(dept.rect_on_time) ? static_cast<int>(r.Int(1, 15))
                                               : static_cast<int>(r.Int(16, 35));
    int64_t rectified = std::max(OfficeTime(cal_.AddWorkdays(day, wd)), verified + 2 * kHour);
    static constexpr std::string_view kFixes[] = {"已优化窗口排队叫号", "已对窗口人员批评教育",
                                                  "已修复系统故障", "已更新办事指南",
                                                  "已加快审批并办结"};
    if (!Event(eval_id, "rectified", rectified, op, kFixes[r.Int(0, std::size(kFixes) - 1)], 0))
      return;
    if (r.Chance(0.08)) {  // rectified but not revisited; some closed anyway
      if (r.Chance(0.3))
        Event(eval_id, "closed", rectified + r.Int(3600, 2 * 86400) * 1000, sup, "办结", 0);
      return;
    }
    static constexpr double kRevisit[] = {4, 8, 13, 30, 45};  // scores 1..5
    int64_t revisit = OfficeTime(cal_.AddWorkdays(DayOf(rectified), r.Int(1, 3)));
    int score = r.Pick(kRevisit) + 1;
    if (!Event(eval_id, "revisited", revisit, rv, "电话回访", score)) return;
    if (!thresholds::IsRevisitSatisfied(score) && r.Chance(0.5)) {  // revisited again after more work: the latest counts
      revisit = OfficeTime(cal_.AddWorkdays(DayOf(revisit), r.Int(3, 8)));
      score = static_cast<int>(r.Int(3, 5));
      if (!Event(eval_id, "revisited", revisit, rv, "二次回访", score)) return;
    }
    Event(eval_id, "closed", revisit + r.Int(3600, 2 * 86400) * 1000, sup, "整改完成，结案", 0);
  }

  // Writes one event unless it lies after the extraction cut-off; false when it does.
  bool Event(std::string_view eval_id, std::string_view event, int64_t at, const std::string& actor,
             std::string_view note, int revisit_score) {
    if (at >= cutoff_) return false;
    rect_.Raw(eval_id);
    rect_.Raw(event);
    PutTime(rect_, rng_, at);
    rect_.Text(actor);
    rect_.Text(note);
    if (revisit_score > 0)
      rect_.Int(revisit_score);
    else
      rect_.Empty();
    rect_.EndRow();
    return true;
  }

  const Province& p_;
  const GenerateOptions& o_;
  Rng rng_;
  Rng draft_rng_;
  WorkCalendar cal_;
  int64_t year_first_day_;
  int year_days_;
  int64_t cutoff_;  // local ms: what is recorded after this is not in the extract
  int64_t surge_from_;  // local ms: 玉林's new system goes live (kSurgeCity)
  CumulativePicker city_picker_;
  std::vector<CumulativePicker> item_pickers_;
  // The province's problem window: 柳州 (city index 1) city hall window 07, "450200-W07".
  int problem_window_city_ = 1;
  CsvOut tx_, ev_, rect_;
  int64_t tx_seq_ = 0;
  int64_t ev_seq_ = 0;
};

}  // namespace

Result<GenerateSummary> GenerateProvince(const GenerateOptions& options) {
  if (options.scale < 0) return Status::Usage("--scale must be >= 0");
  if (options.year < 1971 || options.year > 2199) {
    return Status::Usage("--year must be between 1971 and 2199");
  }
  if (options.out_dir.empty()) return Status::Usage("--out is required");
  const std::filesystem::path dir(options.out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    return Status::Io("cannot create directory " + options.out_dir +
                      (ec ? ": " + ec.message() : ""));
  }
  const Province p = gen::BuildProvince(options.seed);
  GenerateSummary sum{};
  GOVQM_RETURN_IF_ERROR(WriteReference(p, dir, sum));
  GOVQM_RETURN_IF_ERROR(WriteGuides(p, options.seed, options.year, dir, sum));
  GOVQM_RETURN_IF_ERROR(WriteProbes(p, options.seed, options.year, dir, sum));
  GOVQM_RETURN_IF_ERROR(WriteOrg(p, options.seed, options.year, dir, sum));
  TxGenerator tx(p, options);
  GOVQM_RETURN_IF_ERROR(tx.Run(dir, sum));
  return sum;
}

}  // namespace govqm

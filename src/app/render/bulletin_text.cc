#include "app/render/bulletin_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/engine/catalog.h"

namespace govqm::render {
namespace {

struct Entry {
  Msg id;
  const char* zh;
  const char* en;
};

// The message table: one line per label, both languages side by side.
constexpr Entry kMessages[] = {
    {Msg::kTitle, "政务服务质量监测通报", "Government service quality bulletin"},
    {Msg::kMonthly, "月报", "monthly"},
    {Msg::kQuarterly, "季报", "quarterly"},
    {Msg::kSpecial, "专报", "special"},
    {Msg::kPeriod, "监测期", "Period"},
    {Msg::kPrevious, "对比期（上期）", "Compared with (previous period)"},
    {Msg::kUnitLevel, "单位层级", "Unit level"},
    {Msg::kScope, "数据范围", "Scope"},
    {Msg::kWhole, "全部数据", "all the store's records"},
    {Msg::kFramework, "监测框架", "Framework"},
    {Msg::kZone, "时区", "Time zone"},
    {Msg::kContents, "目录", "Contents"},
    {Msg::kSummary, "概览", "Summary"},
    {Msg::kUnits, "单位数", "Units"},
    {Msg::kRanked, "参与排名", "Ranked"},
    {Msg::kMeanIndex, "平均指数", "Mean index"},
    {Msg::kFirst, "第一名", "First"},
    {Msg::kLast, "末名", "Last"},
    {Msg::kAlertsTotal, "预警", "Alerts"},
    {Msg::kCasesPeriod, "本期差评工单", "Cases this period"},
    {Msg::kOverdueNow, "期末超期工单", "Overdue at the end"},

    {Msg::kSecIndex, "综合指数、等级与排名", "Index, grade and rank"},
    {Msg::kRank, "排名", "Rank"},
    {Msg::kCode, "代码", "Code"},
    {Msg::kName, "名称", "Name"},
    {Msg::kUnit, "单位", "Unit"},
    {Msg::kIndex, "指数", "Index"},
    {Msg::kGrade, "等级", "Grade"},
    {Msg::kChange, "较上期", "Change"},
    {Msg::kPreviousIndex, "上期指数", "Previous index"},
    {Msg::kPreviousRank, "上期排名", "Previous rank"},
    {Msg::kRankChange, "名次变化", "Rank change"},
    {Msg::kSample, "样本量", "Sample"},
    {Msg::kNotRanked, "不排名", "not ranked"},
    {Msg::kBelowMinSample, "样本不足", "below min sample"},
    {Msg::kNewUnit, "上期无数据", "no previous data"},
    {Msg::kIndexChart, "各单位指数（条形）与上期指数（竖线）",
     "Index by unit (bars) and the previous period's (ticks)"},
    {Msg::kChangeChart, "指数较上期变化", "Change of the index against the previous period"},
    {Msg::kBelowMinList, "样本量低于 {} 的单位只列数值、不评分不排名（{} 个）：",
     "Units with a sample below {} are listed, not scored or ranked ({}):"},
    {Msg::kChartCut, "图中只画前 {} 名与后 {} 名", "The chart shows the first {} and the last {}"},

    {Msg::kSecHeatmap, "过程 × 质量热力图", "Stage × dimension heatmap"},
    {Msg::kHeatNote, "每格为各评分单位该格得分的平均值，括号内为单位数；空格表示框架中没有该格。",
     "Each cell is the mean score of that cell over the scored units (units in brackets); "
     "a blank cell is not in the framework."},
    {Msg::kStage, "环节", "Stage"},
    {Msg::kDimension, "维度", "Dimension"},
    {Msg::kUnitsByStageDimension, "各单位环节与维度得分", "Stage and dimension scores by unit"},
    {Msg::kNoMatrix, "本框架不是环节 × 维度矩阵，无热力图。",
     "The framework is not a stage × dimension matrix: no heatmap."},

    {Msg::kSecBoards, "红黑榜", "Red and black lists"},
    {Msg::kWindows, "窗口", "Windows"},
    {Msg::kDepts, "部门", "Departments"},
    {Msg::kRedList, "红榜（前 {}）", "Red list (best {})"},
    {Msg::kBlackList, "黑榜（后 {}）", "Black list (worst {})"},
    {Msg::kTalk, "约谈", "talk"},
    {Msg::kBoardNote,
     "按综合指数排序，样本不足的不参与；连续两期（本期与上期）均在黑榜的标注“约谈”。参与排名：本期 {} 个，上期 {} 个。",
     "Ordered by the index; units below the minimum sample take no part. A unit on the black "
     "list in this period and in the previous one is marked “talk” (约谈). Ranked: {} this "
     "period, {} the previous."},
    {Msg::kNoBoard, "参与排名的单位不足两个，不设榜。", "Fewer than two ranked units: no lists."},
    {Msg::kPreviousBlack, "上期黑榜", "Previous black list"},

    {Msg::kSecClosedLoop, "差评整改闭环", "Closed loop of bad reviews"},
    {Msg::kPeriodCases, "本期工单", "This period's cases"},
    {Msg::kBacklog, "期末未办结存量", "Unfinished at the end"},
    {Msg::kCases, "工单", "Cases"},
    {Msg::kOverdue, "超期", "Overdue"},
    {Msg::kUnfinished, "未办结", "Unfinished"},
    {Msg::kTotal, "合计", "Total"},
    {Msg::kClosedLoopNote,
     "本期工单：监测期内的实名差评，状态截至 {}；存量：此前全部未办结（既未办结也未作废）的工单；超期：下一步已过工作日时限。",
     "This period's cases: real-name bad reviews of the period, as they stand at {}; "
     "unfinished: every case reviewed before then neither closed nor invalid; overdue: the "
     "next step's working-day deadline has passed."},
    {Msg::kCasesByUnitNone, "工单只能按地区或部门归属，按 {} 只给合计。",
     "Cases belong to a region and a department: by {} only the total is counted."},
    {Msg::kRates, "整改指标", "Rectification indicators"},

    {Msg::kSecAlerts, "预警", "Alerts"},
    {Msg::kRule, "规则", "Rule"},
    {Msg::kKind, "类型", "Kind"},
    {Msg::kCount, "数量", "Count"},
    {Msg::kGroup, "对象", "Group"},
    {Msg::kDay, "日期", "Day"},
    {Msg::kValue, "值", "Value"},
    {Msg::kLimit, "阈值", "Limit"},
    {Msg::kAndMore, "另有 {} 条未列出。", "and {} more, not listed."},
    {Msg::kNoAlerts, "本期无预警。", "No alerts in the period."},
    {Msg::kNoBaseline, "另有 {} 个控制图分组因基线不足未判断。",
     "{} control chart groups had no baseline and were not judged."},

    {Msg::kSecSameSource, "同源发布一致性（按部门）", "Same-source consistency by department"},
    {Msg::kDept, "部门", "Department"},
    {Msg::kMismatching, "不一致发布", "Mismatching publications"},
    {Msg::kSameSourceNote,
     "不一致发布：部门发布的办事指南与省级平台最新版本在任一要素上不同（按省级平台发布该事项的部门计，期末 {} 前的最新版本）；各要素列为该要素不一致的发布数。",
     "Mismatching: a department's guide differs from the platform's latest in some key field "
     "(counted by the department of the platform's publication; latest versions before {}); "
     "each field column counts the publications differing in it."},
    {Msg::kNoSameSource, "无同源数据。", "No same-source data."},

    {Msg::kSecDivide, "数字鸿沟", "Digital divide"},
    {Msg::kAgeBand, "年龄段", "Age band"},
    {Msg::kChannel, "渠道", "Channel"},
    {Msg::kMode, "方式", "Mode"},
    {Msg::kUnknown, "未知", "unknown"},
    {Msg::kElderlyGaps, "老年人差距（60 岁及以上减全体）", "Gaps of the elderly (60+ minus all)"},
    {Msg::kDisparity, "指数的单位间差异", "Disparity of the index between units"},
    {Msg::kGini, "基尼系数", "Gini"},
    {Msg::kTheil, "泰尔指数", "Theil T"},
    {Msg::kTheilBetween, "组间", "between"},
    {Msg::kTheilWithin, "组内", "within"},
    {Msg::kCv, "变异系数", "Coefficient of variation"},
    {Msg::kMaxMin, "极值比", "Max/min"},
    {Msg::kMean, "均值", "Mean"},
    {Msg::kMin, "最低", "Min"},
    {Msg::kMax, "最高", "Max"},
    {Msg::kShare, "指数份额", "Share"},
    {Msg::kWithinNote, "泰尔指数按{}分解（每个单位归入其记录最多的{}）。",
     "The Theil index is decomposed by {} (each unit in the {} holding most of its records)."},
    {Msg::kNoWithin, "按此层级不作组间分解。", "No between/within decomposition at this level."},
    {Msg::kUnitsCompared, "参与比较的单位：{} 个（无指数的 {} 个不计）。",
     "Units compared: {} ({} without an index left out)."},
    {Msg::kPointsNote, "在线率差距为百分点，满意度差距为平均分之差。",
     "The online gap is in percentage points, the satisfaction gap in mean score."},

    {Msg::kSecDiagnosis, "分单位诊断", "Diagnosis by unit"},
    {Msg::kWeak, "弱点", "Weak points"},
    {Msg::kDifficulties, "难点", "Difficulties"},
    {Msg::kPain, "痛点", "Pain points"},
    {Msg::kHighlights, "亮点", "Highlights"},
    {Msg::kNone, "无", "none"},
    {Msg::kBadReviews, "差评 {} 条（共 {} 条评价）", "{} bad reviews (of {} evaluations)"},
    {Msg::kReasons, "原因", "Reasons"},
    {Msg::kWords, "高频词", "Words"},
    {Msg::kTarget, "目标", "target"},
    {Msg::kPeersMedian, "同级中位数", "peers' median"},
    {Msg::kExample, "例", "e.g."},
    {Msg::kDiagnosisNote,
     "弱点：低于目标且处于同级后四分之一，按对指数的加权损失排序（前 3 项）；难点：连续三个上期均为弱点；痛点：差评原因与评论高频词（前 3 项）；亮点：同级第一或前四分之一且达到目标。",
     "Weak points: below target and in the bottom quartile of the peers, by weighted loss "
     "(first 3); difficulties: weak in each of the three previous periods; pain points: the "
     "bad reviews' reasons and words (first 3); highlights: first or in the top quartile and "
     "at target."},
    {Msg::kNoDiagnosis, "没有可诊断的单位（均样本不足）。",
     "No unit to diagnose (all below the minimum sample)."},

    {Msg::kNotes, "说明", "Notes"},
    {Msg::kGeneratedBy, "本通报由 govqm 根据数据库的同一提交状态生成，各项定义见 docs/REPORTS.md。",
     "Made by govqm from one committed state of the store; definitions in docs/REPORTS.md."},

    {Msg::kSheetSummary, "概览", "Summary"},
    {Msg::kSheetIndex, "综合指数", "Index"},
    {Msg::kSheetHeatmap, "热力图", "Heatmap"},
    {Msg::kSheetBoards, "红黑榜", "Red-black lists"},
    {Msg::kSheetClosedLoop, "差评整改", "Closed loop"},
    {Msg::kSheetAlerts, "预警", "Alerts"},
    {Msg::kSheetSameSource, "同源发布", "Same source"},
    {Msg::kSheetDivide, "数字鸿沟", "Digital divide"},
    {Msg::kSheetDiagnosis, "分单位诊断", "Diagnosis"},
    {Msg::kList, "榜单", "List"},
    {Msg::kPosition, "位次", "Position"},
    {Msg::kItem, "项目", "Item"},
    {Msg::kSection, "类别", "Section"},
    {Msg::kCompared, "比较单位数", "Compared"},
    {Msg::kMeanCellScore, "各格平均得分", "Mean cell score"},
    {Msg::kUnitsPerCell, "各格评分单位数", "Units scored per cell"},
    {Msg::kNote, "备注", "Note"},
    {Msg::kLevel, "层级", "Level"},
    {Msg::kSameSourceSummary,
     "不一致发布共 {} 条；下表列出有不一致或指标低于 100% 的部门 {} 个，其余 {} 个部门全部一致。",
     "{} mismatching publications in all; the table lists the {} departments with a mismatch "
     "or a rate below 100%; the other {} match in full."},
    {Msg::kIndicator, "指标", "Indicator"},
    {Msg::kPublicationsCompared, "比对发布", "Publications compared"},
};
static_assert(std::size(kMessages) == static_cast<size_t>(Msg::kCount_),
              "one entry per message, in the enum's order");

constexpr bool InOrder() {
  for (size_t i = 0; i < std::size(kMessages); ++i) {
    if (static_cast<size_t>(kMessages[i].id) != i) return false;
  }
  return true;
}
static_assert(InOrder(), "the message table follows the enum's order");

struct Pair {
  std::string_view code;
  const char* zh;
  const char* en;
};

std::string Lookup(Lang lang, std::string_view code, std::initializer_list<Pair> table) {
  for (const Pair& p : table) {
    if (p.code == code) return lang == Lang::kZh ? p.zh : p.en;
  }
  return std::string(code);
}

std::string Pick(Lang lang, const std::string& zh, const std::string& en,
                 const std::string& code) {
  const std::string& first = lang == Lang::kZh ? zh : en;
  if (!first.empty()) return first;
  const std::string& other = lang == Lang::kZh ? en : zh;
  return other.empty() ? code : other;
}

std::string WithMinus(std::string s) {
  // A true minus sign reads better in print than a hyphen.
  if (!s.empty() && s[0] == '-') s.replace(0, 1, "\u2212");
  return s;
}

}  // namespace

std::optional<Lang> ParseLang(std::string_view text) {
  if (text == "zh") return Lang::kZh;
  if (text == "en") return Lang::kEn;
  return std::nullopt;
}

std::string_view LangTag(Lang lang) { return lang == Lang::kZh ? "zh-CN" : "en"; }

std::string_view T(Lang lang, Msg msg) {
  const Entry& e = kMessages[static_cast<size_t>(msg)];
  return lang == Lang::kZh ? e.zh : e.en;
}

std::string KeyLabel(Lang lang, std::string_view key) {
  return Lookup(lang, key,
                {{"region", "地区", "region"},
                 {"city", "城市", "city"},
                 {"dept", "部门", "department"},
                 {"item", "事项", "item"},
                 {"window", "窗口", "window"},
                 {"channel", "渠道", "channel"},
                 {"mode", "方式", "mode"},
                 {"age_band", "年龄段", "age band"},
                 {"macro_region", "大区", "macro region"}});
}

std::string StateLabel(Lang lang, size_t state) {
  static constexpr std::array<std::pair<const char*, const char*>, 6> kStates = {{
      {"待核实", "open"},
      {"已核实", "verified"},
      {"已整改", "rectified"},
      {"已回访", "revisited"},
      {"已办结", "closed"},
      {"已作废", "invalid"},
  }};
  if (state >= kStates.size()) return "";
  return lang == Lang::kZh ? kStates[state].first : kStates[state].second;
}

std::string AlertKindLabel(Lang lang, std::string_view kind) {
  return Lookup(lang, kind,
                {{"threshold", "阈值", "threshold"},
                 {"drop", "环比下降", "drop"},
                 {"ewma", "EWMA 控制图", "EWMA chart"},
                 {"cusum", "CUSUM 控制图", "CUSUM chart"},
                 {"deadline_yellow", "临期（黄）", "deadline (yellow)"},
                 {"deadline_red", "超期（红）", "overdue (red)"},
                 {"case_overdue", "工单超期", "case overdue"}});
}

std::string GuideFieldLabel(Lang lang, std::string_view field) {
  return Lookup(lang, field,
                {{"name", "事项名称", "name"},
                 {"legal_basis", "设定依据", "legal basis"},
                 {"conditions", "受理条件", "conditions"},
                 {"materials", "申请材料", "materials"},
                 {"time_limit_days", "办理时限", "time limit"},
                 {"fee", "收费", "fee"},
                 {"location", "办理地点", "location"},
                 {"contact", "咨询方式", "contact"}});
}

std::string AgeBandLabel(Lang lang, std::string_view band) {
  if (band.empty()) return std::string(T(lang, Msg::kUnknown));
  return Lookup(lang, band,
                {{"<30", "30 岁以下", "under 30"},
                 {"30-44", "30–44 岁", "30–44"},
                 {"45-59", "45–59 岁", "45–59"},
                 {"60-69", "60–69 岁", "60–69"},
                 {"70+", "70 岁及以上", "70 and over"}});
}

std::string ChannelLabel(Lang lang, std::string_view channel) {
  if (channel.empty()) return std::string(T(lang, Msg::kUnknown));
  return Lookup(lang, channel,
                {{"web", "网站", "web"},
                 {"app", "移动端", "app"},
                 {"miniprogram", "小程序", "mini program"},
                 {"hall", "大厅窗口", "hall"},
                 {"kiosk", "自助终端", "kiosk"},
                 {"hotline", "热线", "hotline"},
                 {"online", "线上", "online"},
                 {"offline", "线下", "offline"},
                 {"phone", "电话", "phone"},
                 {"other", "其他", "other"}});
}

std::string ReasonLabel(Lang lang, std::string_view code) {
  return Lookup(lang, code,
                {{"overdue", "超时未办结", "overdue"},
                 {"long_wait", "排队等候久", "long wait"},
                 {"repeat_trips", "多次跑动", "repeat trips"},
                 {"system_error", "系统故障", "system error"},
                 {"attitude", "服务态度", "attitude"},
                 {"unclear_guide", "指南不清", "unclear guide"},
                 {"too_many_materials", "材料繁多", "too many materials"},
                 {"slow", "响应慢", "slow response"}});
}

std::string IndicatorLabel(const Framework& fw, std::string_view code, Lang lang) {
  // The framework's name in the language, else the catalogue's below, else (English) the
  // code in words, else the framework's name in the other language, else the code.
  const IndicatorSpec* spec = nullptr;
  if (const int i = fw.FindIndicator(code); i >= 0) spec = &fw.indicators[static_cast<size_t>(i)];
  if (spec != nullptr) {
    const std::string& own = lang == Lang::kZh ? spec->name : spec->name_en;
    if (!own.empty()) return own;
  }
  static constexpr Pair kNames[] = {
      {"volume", "办件量", "transactions"},
      {"completed", "办结量", "completed"},
      {"evaluations", "评价数", "evaluations"},
      {"negative_rate", "差评率", "negative rate"},
      {"open_overdue", "超期未办结", "open and overdue"},
      {"online_rate", "网办率", "online rate"},
      {"on_time_rate", "按时办结率", "on-time rate"},
      {"positive_rate", "好评率", "positive rate"},
      {"mean_score", "平均评分", "mean score"},
      {"unrated_rate", "未评价率", "unrated rate"},
      {"reply_rate", "差评回复率", "reply rate"},
      {"rectification_rate", "整改率", "rectification rate"},
      {"rectification_on_time_rate", "按时整改率", "rectified on time"},
      {"revisit_rate", "回访率", "revisit rate"},
      {"revisit_satisfaction", "回访满意率", "revisit satisfaction"},
      {"same_source_rate", "同源率", "same-source rate"},
      {"field_match_rate", "要素一致率", "field match rate"},
      {"catalog_coverage", "目录覆盖率", "catalog coverage"},
      {"availability", "平台可用率", "availability"},
      {"avg_wait_minutes", "平均等候时间", "mean wait (min)"},
      {"elderly_online_gap", "老年人网办差距", "elderly online gap"},
      {"elderly_satisfaction_gap", "老年人满意度差距", "elderly satisfaction gap"}};
  for (const Pair& p : kNames) {
    if (p.code == code) return lang == Lang::kZh ? p.zh : p.en;
  }
  if (lang == Lang::kEn) {
    std::string words(code);
    std::replace(words.begin(), words.end(), '_', ' ');
    return words;
  }
  if (spec != nullptr && !spec->name_en.empty()) return spec->name_en;
  return std::string(code);
}

std::string StageLabel(const Framework& fw, size_t stage, Lang lang) {
  if (stage >= fw.stages.size()) return "";
  const AxisLabel& a = fw.stages[stage];
  return Pick(lang, a.name, a.name_en, a.code);
}

std::string DimensionLabel(const Framework& fw, size_t dimension, Lang lang) {
  if (dimension >= fw.dimensions.size()) return "";
  const AxisLabel& a = fw.dimensions[dimension];
  return Pick(lang, a.name, a.name_en, a.code);
}

std::string NodeLabel(const Framework& fw, int node, Lang lang) {
  if (node < 0 || static_cast<size_t>(node) >= fw.nodes.size()) return "";
  const Node& n = fw.nodes[static_cast<size_t>(node)];
  if (n.kind == NodeKind::kCell && (lang == Lang::kZh ? n.name : n.name_en).empty() &&
      n.stage >= 0 && n.dimension >= 0) {
    return StageLabel(fw, static_cast<size_t>(n.stage), lang) + " · " +
           DimensionLabel(fw, static_cast<size_t>(n.dimension), lang);
  }
  return Pick(lang, n.name, n.name_en, n.code);
}

std::string GradeLabel(const Framework& fw, std::optional<double> index, Lang lang) {
  if (!index) return "";
  const GradeBand* g = fw.Grade(*index);
  if (g == nullptr) return "";
  return Pick(lang, g->label, g->label_en, "");
}

std::string ItemLabel(const Framework& fw, const DiagnosedItem& item, Lang lang) {
  if (item.indicator) {
    if (item.index < 0 || static_cast<size_t>(item.index) >= fw.indicators.size()) return "";
    return IndicatorLabel(fw, fw.indicators[static_cast<size_t>(item.index)].code, lang);
  }
  return NodeLabel(fw, item.index, lang);
}

std::string Score1(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "—";
  return WithMinus(fmt::format("{:.1f}", *v));
}

std::string Signed1(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "—";
  const double r = std::round(*v * 10) / 10;
  if (r == 0) return "0.0";
  return WithMinus(fmt::format("{:+.1f}", r));
}

std::string Percent1(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "—";
  return WithMinus(fmt::format("{:.1f}%", *v * 100));
}

std::string Fixed(std::optional<double> v, int digits) {
  if (!v || !std::isfinite(*v)) return "—";
  return WithMinus(fmt::format("{:.{}f}", *v, digits));
}

std::string Whole(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "—";
  return WithMinus(fmt::format("{:.0f}", *v));
}

bool IsRate(std::string_view code) {
  const int i = FindIndicator(code);
  return i >= 0 && Catalog()[static_cast<size_t>(i)].unit == "rate";
}

std::string IndicatorValue(std::string_view code, std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "—";
  if (code.ends_with("_gap")) {
    return IsRate(code) ? WithMinus(fmt::format("{:+.1f}", *v * 100)) : Fixed(v, 2);
  }
  if (IsRate(code)) return Percent1(v);
  const int i = FindIndicator(code);
  if (i >= 0 && Catalog()[static_cast<size_t>(i)].unit == "count") return Whole(v);
  return Fixed(v, 2);
}

}  // namespace govqm::render

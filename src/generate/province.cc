#include "generate/province.h"

#include <algorithm>
#include <array>

#include "core/time_zone.h"

namespace govqm::gen {
namespace {

constexpr DeptTemplate kDepts[] = {
    {"SCJG", "市场监督管理局", "scjgj", 0.009, 0.93, "一楼A区"},
    {"GA", "公安局", "gaj", 0.014, 0.90, "一楼B区"},
    {"RSJ", "人力资源和社会保障局", "rsj", 0.011, 0.92, "二楼A区"},
    {"BDC", "不动产登记中心", "bdc", 0.020, 0.80, "三楼"},
    {"SW", "税务局", "tax", 0.007, 0.95, "二楼B区"},
    {"YB", "医疗保障局", "ybj", 0.013, 0.90, "二楼C区"},
    {"MZ", "民政局", "mzj", 0.010, 0.92, "一楼C区"},
    {"JT", "交通运输局", "jtj", 0.012, 0.88, "四楼A区"},
    {"GJJ", "住房公积金管理中心", "gjj", 0.011, 0.91, "四楼B区"},
};

using A = AgeProfile;
constexpr ItemTemplate kItems[] = {
    {0, "企业设立登记", 15, 1, true, "行政许可",
     "公司登记（备案）申请书;公司章程;法定代表人身份证明;住所使用证明", "不收费",
     "《中华人民共和国市场主体登记管理条例》第十九条", "申请人具备完全民事行为能力，名称经自主申报",
     6, 1.0, 0.03, A::kGeneral},
    {0, "个体工商户注册登记", 15, 0, true, "行政许可",
     "个体工商户登记申请书;经营者身份证明;经营场所使用证明", "不收费",
     "《促进个体工商户发展条例》第八条", "有经营能力的公民", 5, 0.0, 0.01, A::kGeneral},
    {0, "食品经营许可", 20, 10, true, "行政许可",
     "食品经营许可申请书;营业执照;食品安全管理制度;经营场所平面图;设备布局和工艺流程", "不收费",
     "《中华人民共和国食品安全法》第三十五条", "具有与经营的食品品种、数量相适应的经营场所", 3, 0.7,
     0.0, A::kGeneral},
    {0, "营业执照变更登记", 15, 1, true, "行政许可",
     "变更登记申请书;营业执照正副本;变更事项相关证明", "不收费",
     "《中华人民共和国市场主体登记管理条例》第二十四条", "已登记的市场主体", 3, 0.9, 0.02,
     A::kGeneral},
    {1, "居民身份证换领", 60, 20, false, "公共服务", "居民户口簿;原居民身份证;近期免冠照片",
     "工本费20元", "《中华人民共和国居民身份证法》第八条", "居民身份证有效期满或登记项目变更", 8,
     0.0, 0.08, A::kGeneral},
    {1, "户口迁移", 20, 5, true, "行政确认",
     "户口迁移申请表;居民户口簿;居民身份证;合法稳定住所证明", "不收费",
     "《中华人民共和国户口登记条例》第十条", "符合落户条件的人员", 3, 0.0, 0.05, A::kGeneral},
    {1, "无犯罪记录证明开具", 20, 3, true, "公共服务", "无犯罪记录证明申请表;居民身份证", "不收费",
     "《关于建立犯罪人员犯罪记录制度的意见》", "本人申请", 2, 0.0, 0.04, A::kYoung},
    {1, "居住证申领", 15, 7, true, "行政确认", "居住证申领登记表;居民身份证;居住证明", "不收费",
     "《居住证暂行条例》第九条", "在居住地居住半年以上", 2, 0.0, 0.02, A::kYoung},
    {2, "社会保障卡申领", 20, 5, true, "公共服务", "居民身份证;近期免冠照片", "不收费",
     "《中华人民共和国社会保险法》第五十八条", "已参加社会保险的人员", 9, 0.0, 0.06, A::kGeneral},
    {2, "失业保险金申领", 20, 5, true, "行政给付", "居民身份证;解除或终止劳动关系证明;社会保障卡",
     "不收费", "《失业保险条例》第十四条", "非因本人意愿中断就业且已办理失业登记", 3, 0.0, 0.03,
     A::kGeneral},
    {2, "城乡居民养老保险待遇申领", 20, 10, true, "行政给付", "居民身份证;居民户口簿;社会保障卡",
     "不收费", "《国务院关于建立统一的城乡居民基本养老保险制度的意见》",
     "年满60周岁且累计缴费满15年", 3, 0.0, 0.02, A::kElderly},
    {2, "就业创业证申领", 10, 0, true, "公共服务", "居民身份证;近期免冠照片", "不收费",
     "《就业服务与就业管理规定》第六十三条", "法定劳动年龄内的劳动者", 2, 0.0, 0.02, A::kYoung},
    {3, "不动产首次登记", 30, 10, true, "行政确认",
     "不动产登记申请书;申请人身份证明;土地权属来源材料;建设工程符合规划材料;房屋已竣工材料",
     "登记费80元", "《不动产登记暂行条例》第十六条", "权属来源合法", 3, 0.4, 0.0, A::kGeneral},
    {3, "不动产转移登记", 30, 5, true, "行政确认",
     "不动产登记申请书;申请人身份证明;不动产权属证书;买卖合同;完税凭证", "登记费80元",
     "《不动产登记暂行条例实施细则》第三十八条", "不动产权属发生转移", 6, 0.1, 0.02, A::kGeneral},
    {3, "不动产抵押登记", 30, 3, true, "行政确认",
     "不动产登记申请书;不动产权属证书;主债权合同;抵押合同", "登记费80元",
     "《中华人民共和国民法典》第四百零二条", "以不动产设定抵押", 4, 0.3, 0.01, A::kGeneral},
    {3, "不动产登记资料查询", 5, 0, true, "公共服务", "查询申请书;查询人身份证明", "不收费",
     "《不动产登记资料查询暂行办法》第六条", "权利人或利害关系人", 3, 0.1, 0.03, A::kGeneral},
    {4, "发票领用", 5, 0, true, "公共服务", "发票领用申请表;经办人身份证件", "不收费",
     "《中华人民共和国发票管理办法》第十五条", "已办理涉税信息确认的纳税人", 6, 1.0, 0.01,
     A::kGeneral},
    {4, "完税证明开具", 5, 0, true, "公共服务", "居民身份证", "不收费",
     "《税收票证管理办法》第十八条", "已缴纳税款的纳税人", 3, 0.3, 0.04, A::kGeneral},
    {4, "增值税一般纳税人登记", 20, 1, true, "行政确认", "增值税一般纳税人登记表;营业执照",
     "不收费", "《增值税一般纳税人登记管理办法》第五条", "年应税销售额超过规定标准", 2, 1.0, 0.0,
     A::kGeneral},
    {4, "税务注销", 20, 3, true, "行政确认", "注销税务登记申请表;清税申报表;经办人身份证件",
     "不收费", "《中华人民共和国税收征收管理法实施细则》第十五条", "已结清应纳税款", 2, 1.0, 0.01,
     A::kGeneral},
    {5, "异地就医备案", 5, 0, true, "公共服务", "居民身份证;医保电子凭证;异地居住证明", "不收费",
     "《关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》", "参加基本医疗保险的人员", 4,
     0.0, 0.6, A::kElderly},
    {5, "医保关系转移接续", 45, 15, true, "公共服务", "参保凭证;居民身份证", "不收费",
     "《基本医疗保障关系转移接续暂行办法》第三条", "跨统筹地区流动就业", 2, 0.0, 0.5, A::kGeneral},
    {5, "门诊慢特病待遇认定", 30, 15, true, "行政确认", "门诊慢特病申请表;病历资料;诊断证明书",
     "不收费", "《医疗保障基金使用监督管理条例》", "患有规定病种的参保人员", 3, 0.0, 0.02,
     A::kElderly},
    {5, "生育保险待遇核准", 20, 10, true, "行政给付", "居民身份证;出生医学证明;住院费用票据",
     "不收费", "《中华人民共和国社会保险法》第五十四条", "参加生育保险的职工", 2, 0.0, 0.01,
     A::kYoung},
    {6, "婚姻登记", 1, 0, false, "行政确认", "居民户口簿;居民身份证;近期半身免冠合影照片", "不收费",
     "《婚姻登记条例》第五条", "双方自愿且达到法定婚龄", 3, 0.0, 0.05, A::kYoung},
    {6, "最低生活保障审核确认", 30, 20, true, "行政给付",
     "最低生活保障申请书;家庭成员身份证明;家庭收入财产状况说明", "不收费",
     "《社会救助暂行办法》第十一条", "家庭人均收入低于当地最低生活保障标准", 1, 0.0, 0.0,
     A::kElderly},
    {6, "残疾人两项补贴申领", 20, 10, true, "行政给付", "补贴申请表;居民身份证;残疾人证", "不收费",
     "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》", "持有残疾人证", 1,
     0.0, 0.0, A::kElderly},
    {6, "高龄津贴申领", 20, 10, true, "行政给付", "高龄津贴申请表;居民身份证;居民户口簿", "不收费",
     "《广西壮族自治区老年人权益保障条例》", "年满80周岁的本地户籍老年人", 1, 0.0, 0.0,
     A::kElderly},
    {7, "道路货物运输经营许可", 20, 5, true, "行政许可",
     "道路货物运输经营申请表;营业执照;车辆行驶证;驾驶人员从业资格证", "不收费",
     "《中华人民共和国道路运输条例》第二十四条", "有与经营业务相适应并经检测合格的车辆", 2, 0.9,
     0.02, A::kGeneral},
    {7, "网络预约出租汽车驾驶员证核发", 20, 10, true, "行政许可",
     "申请表;居民身份证;机动车驾驶证;无犯罪记录证明", "不收费",
     "《网络预约出租汽车经营服务管理暂行办法》第十四条",
     "取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历", 1.5, 0.0, 0.01, A::kGeneral},
    {7, "道路运输从业资格证补发", 10, 0, true, "公共服务", "补发申请表;居民身份证", "不收费",
     "《道路运输从业人员管理规定》第二十七条", "证件遗失或损毁", 1, 0.0, 0.03, A::kGeneral},
    {8, "住房公积金提取", 3, 0, true, "公共服务", "居民身份证;购房合同或租房证明;银行卡", "不收费",
     "《住房公积金管理条例》第二十四条", "符合提取条件的缴存职工", 7, 0.0, 0.04, A::kGeneral},
    {8, "住房公积金个人住房贷款", 15, 7, false, "公共服务",
     "借款申请表;居民身份证;购房合同;婚姻状况证明;收入证明", "不收费",
     "《住房公积金管理条例》第二十六条", "连续足额缴存6个月以上", 2, 0.0, 0.03, A::kGeneral},
    {8, "住房公积金缴存基数调整", 5, 1, true, "公共服务", "缴存基数调整申请表;工资证明", "不收费",
     "《住房公积金管理条例》第十六条", "缴存单位", 1, 1.0, 0.0, A::kGeneral},
};

struct CityBase {
  const char* code;
  const char* name;
  const char* pinyin;
  const char* area;
  bool key;
  double volume, online, overdue, unreported, eval, exempt, wait, bad, guide_missing;
  std::initializer_list<std::pair<const char*, const char*>> districts;
};

// Bases chosen so that the key cities lead on online take-up and deadlines and the mountain
// cities (百色, 河池, 崇左) trail; 河池 has the most overdue work, 崇左 the weakest guide
// catalogue.
const CityBase kCities[] = {
    {"450100",
     "南宁市",
     "nanning",
     "0771",
     true,
     8.9,
     0.95,
     0.010,
     0.010,
     0.58,
     0.45,
     14,
     0.9,
     0.03,
     {{"450102", "兴宁区"},
      {"450103", "青秀区"},
      {"450105", "江南区"},
      {"450107", "西乡塘区"},
      {"450108", "良庆区"},
      {"450110", "武鸣区"},
      {"450126", "宾阳县"},
      {"450181", "横州市"}}},
    {"450200",
     "柳州市",
     "liuzhou",
     "0772",
     true,
     4.2,
     0.92,
     0.013,
     0.012,
     0.56,
     0.42,
     13,
     1.0,
     0.03,
     {{"450202", "城中区"},
      {"450203", "鱼峰区"},
      {"450204", "柳南区"},
      {"450205", "柳北区"},
      {"450206", "柳江区"},
      {"450222", "柳城县"},
      {"450225", "融水苗族自治县"}}},
    {"450300",
     "桂林市",
     "guilin",
     "0773",
     true,
     4.9,
     0.88,
     0.016,
     0.014,
     0.53,
     0.40,
     12,
     1.0,
     0.04,
     {{"450302", "秀峰区"},
      {"450303", "叠彩区"},
      {"450304", "象山区"},
      {"450305", "七星区"},
      {"450312", "临桂区"},
      {"450321", "阳朔县"},
      {"450381", "荔浦市"}}},
    {"450400",
     "梧州市",
     "wuzhou",
     "0774",
     false,
     2.8,
     0.76,
     0.020,
     0.018,
     0.49,
     0.33,
     11,
     1.1,
     0.04,
     {{"450403", "万秀区"},
      {"450405", "长洲区"},
      {"450406", "龙圩区"},
      {"450422", "藤县"},
      {"450481", "岑溪市"}}},
    {"450500",
     "北海市",
     "beihai",
     "0779",
     false,
     1.9,
     0.80,
     0.018,
     0.015,
     0.51,
     0.36,
     10,
     1.0,
     0.04,
     {{"450502", "海城区"}, {"450503", "银海区"}, {"450512", "铁山港区"}, {"450521", "合浦县"}}},
    {"450600",
     "防城港市",
     "fangchenggang",
     "0770",
     false,
     1.0,
     0.72,
     0.022,
     0.020,
     0.48,
     0.32,
     9,
     1.1,
     0.05,
     {{"450602", "港口区"}, {"450603", "防城区"}, {"450621", "上思县"}, {"450681", "东兴市"}}},
    {"450700",
     "钦州市",
     "qinzhou",
     "0777",
     false,
     3.3,
     0.72,
     0.022,
     0.020,
     0.47,
     0.31,
     12,
     1.1,
     0.05,
     {{"450702", "钦南区"}, {"450703", "钦北区"}, {"450721", "灵山县"}, {"450722", "浦北县"}}},
    {"450800",
     "贵港市",
     "guigang",
     "0775",
     false,
     4.3,
     0.66,
     0.026,
     0.022,
     0.46,
     0.28,
     13,
     1.2,
     0.05,
     {{"450802", "港北区"},
      {"450803", "港南区"},
      {"450804", "覃塘区"},
      {"450821", "平南县"},
      {"450881", "桂平市"}}},
    {"450900",
     "玉林市",
     "yulin",
     "0775",
     false,
     5.8,
     0.70,
     0.024,
     0.020,
     0.47,
     0.30,
     13,
     1.1,
     0.05,
     {{"450902", "玉州区"},
      {"450903", "福绵区"},
      {"450921", "容县"},
      {"450922", "陆川县"},
      {"450923", "博白县"},
      {"450981", "北流市"}}},
    {"451000",
     "百色市",
     "baise",
     "0776",
     false,
     3.6,
     0.56,
     0.030,
     0.028,
     0.42,
     0.24,
     11,
     1.3,
     0.07,
     {{"451002", "右江区"},
      {"451003", "田阳区"},
      {"451022", "田东县"},
      {"451024", "德保县"},
      {"451081", "靖西市"},
      {"451082", "平果市"}}},
    {"451100",
     "贺州市",
     "hezhou",
     "0774",
     false,
     2.0,
     0.63,
     0.028,
     0.025,
     0.44,
     0.27,
     10,
     1.2,
     0.06,
     {{"451102", "八步区"},
      {"451103", "平桂区"},
      {"451121", "昭平县"},
      {"451122", "钟山县"},
      {"451123", "富川瑶族自治县"}}},
    {"451200",
     "河池市",
     "hechi",
     "0778",
     false,
     3.4,
     0.57,
     0.040,
     0.030,
     0.41,
     0.22,
     12,
     1.4,
     0.07,
     {{"451202", "金城江区"},
      {"451203", "宜州区"},
      {"451221", "南丹县"},
      {"451227", "巴马瑶族自治县"},
      {"451228", "都安瑶族自治县"}}},
    {"451300",
     "来宾市",
     "laibin",
     "0772",
     false,
     2.1,
     0.61,
     0.028,
     0.026,
     0.43,
     0.26,
     10,
     1.2,
     0.06,
     {{"451302", "兴宾区"},
      {"451321", "忻城县"},
      {"451322", "象州县"},
      {"451324", "金秀瑶族自治县"},
      {"451381", "合山市"}}},
    {"451400",
     "崇左市",
     "chongzuo",
     "0771",
     false,
     2.1,
     0.58,
     0.032,
     0.027,
     0.42,
     0.24,
     10,
     1.3,
     0.14,
     {{"451402", "江州区"},
      {"451421", "扶绥县"},
      {"451422", "宁明县"},
      {"451423", "龙州县"},
      {"451481", "凭祥市"}}},
};

// Official calendars (targets.md): weekday dates off, and weekend dates worked (调休).
struct Md {
  int y, m, d;
};
constexpr Md kOff[] = {
    {2024, 1, 1},  {2024, 2, 12}, {2024, 2, 13}, {2024, 2, 14}, {2024, 2, 15}, {2024, 2, 16},
    {2024, 4, 4},  {2024, 4, 5},  {2024, 5, 1},  {2024, 5, 2},  {2024, 5, 3},  {2024, 6, 10},
    {2024, 9, 16}, {2024, 9, 17}, {2024, 10, 1}, {2024, 10, 2}, {2024, 10, 3}, {2024, 10, 4},
    {2024, 10, 7}, {2025, 1, 1},  {2025, 1, 28}, {2025, 1, 29}, {2025, 1, 30}, {2025, 1, 31},
    {2025, 2, 3},  {2025, 2, 4},  {2025, 4, 4},  {2025, 5, 1},  {2025, 5, 2},  {2025, 5, 5},
    {2025, 6, 2},  {2025, 10, 1}, {2025, 10, 2}, {2025, 10, 3}, {2025, 10, 6}, {2025, 10, 7},
    {2025, 10, 8},
};
constexpr Md kWork[] = {
    {2024, 2, 4},  {2024, 2, 18}, {2024, 4, 7},   {2024, 4, 28}, {2024, 5, 11},
    {2024, 9, 14}, {2024, 9, 29}, {2024, 10, 12}, {2025, 1, 26}, {2025, 2, 8},
    {2025, 4, 27}, {2025, 9, 28}, {2025, 10, 11},
};

// Multiplies a base by a seed-dependent factor in [1 - spread, 1 + spread].
double Jitter(Rng& rng, double base, double spread) {
  return base * (1.0 + spread * (2.0 * rng.Uniform() - 1.0));
}

}  // namespace

std::span<const ItemTemplate> ItemTemplates() { return kItems; }
std::span<const DeptTemplate> DeptTemplates() { return kDepts; }

Province BuildProvince(uint64_t seed) {
  Rng rng(seed, /*stream=*/101);
  Province p;
  for (const CityBase& b : kCities) {
    City c;
    c.code = b.code;
    c.name = b.name;
    c.pinyin = b.pinyin;
    c.area_code = b.area;
    c.key_city = b.key;
    c.volume_weight = Jitter(rng, b.volume, 0.05);
    c.online_share = std::min(0.95, Jitter(rng, b.online, 0.04));
    c.overdue_rate = Jitter(rng, b.overdue, 0.10);
    c.unreported_rate = Jitter(rng, b.unreported, 0.10);
    c.eval_coverage = Jitter(rng, b.eval, 0.05);
    c.exemption_share = Jitter(rng, b.exempt, 0.08);
    c.wait_median_min = Jitter(rng, b.wait, 0.08);
    c.bad_factor = Jitter(rng, b.bad, 0.08);
    c.guide_missing_rate = b.guide_missing;
    for (const auto& [code, name] : b.districts) c.districts.push_back({code, name});
    p.cities.push_back(std::move(c));
  }
  p.city_items.resize(p.cities.size());
  for (int ci = 0; ci < static_cast<int>(p.cities.size()); ++ci) {
    const City& city = p.cities[ci];
    std::vector<int> dept_of_tmpl(std::size(kDepts));
    for (int t = 0; t < static_cast<int>(std::size(kDepts)); ++t) {
      Department d;
      d.code = city.code + "-" + std::string(kDepts[t].abbr);
      d.name = kDepts[t].abbr == "SW" ? "国家税务总局" + city.name + std::string(kDepts[t].name)
                                      : city.name + std::string(kDepts[t].name);
      d.city = ci;
      d.tmpl = t;
      d.bad_rate = Jitter(rng, kDepts[t].bad_rate, 0.15);
      d.rect_on_time = std::min(0.99, Jitter(rng, kDepts[t].rect_on_time, 0.04));
      d.active_share = Jitter(rng, 0.70, 0.08);
      dept_of_tmpl[t] = static_cast<int>(p.departments.size());
      p.departments.push_back(std::move(d));
    }
    std::vector<int> next_no(std::size(kDepts), 1);
    for (int t = 0; t < static_cast<int>(std::size(kItems)); ++t) {
      const ItemTemplate& it = kItems[t];
      // Smaller cities do not offer every minor item.
      const bool offered = city.key_city || it.weight >= 3 || rng.Chance(0.85);
      Item item;
      item.dept = dept_of_tmpl[it.dept_tmpl];
      const int no = next_no[it.dept_tmpl]++;
      if (!offered) continue;
      item.code = p.departments[item.dept].code + "-" + (no < 10 ? "00" : "0") + std::to_string(no);
      item.city = ci;
      item.tmpl = t;
      item.weight = Jitter(rng, it.weight, 0.25);
      p.city_items[ci].push_back(static_cast<int>(p.items.size()));
      p.items.push_back(std::move(item));
    }
  }
  return p;
}

WorkCalendar::WorkCalendar(int64_t first_day, int span_days)
    : first_day_(first_day), work_(static_cast<size_t>(span_days)) {
  for (int i = 0; i < span_days; ++i) work_[i] = WeekdayFromDays(first_day + i) < 5;
  auto set = [&](const Md& md, uint8_t v) {
    const int64_t i = DaysFromCivil(md.y, md.m, md.d) - first_day_;
    if (i >= 0 && i < span_days) work_[i] = v;
  };
  for (const Md& md : kOff) set(md, 0);
  for (const Md& md : kWork) set(md, 1);
}

bool WorkCalendar::IsWorkday(int64_t day) const {
  const int64_t i = day - first_day_;
  if (i < 0 || i >= static_cast<int64_t>(work_.size())) return WeekdayFromDays(day) < 5;
  return work_[i] != 0;
}

int64_t WorkCalendar::AddWorkdays(int64_t day, int n) const {
  while (n > 0) {
    ++day;
    if (IsWorkday(day)) --n;
  }
  return day;
}

int64_t WorkCalendar::NextOrSameWorkday(int64_t day) const {
  while (!IsWorkday(day)) ++day;
  return day;
}

}  // namespace govqm::gen

// The hand-made store of the bulletin tests (tests/app/bulletin_test.cc, tests/cli/report_test.cc):
// two cities, six departments (one window each), evaluations in June and July 2024, five
// rectification cases, six guide publications. Every expected value of the tests is worked
// out by hand from these rows (the comments say how); none is copied from the program.
//
// The framework scores one indicator, positive_rate, from 0.5 (score 0) to 1.0 (score 100):
// index = 200 · positive_rate − 100. Units need 5 evaluations (sample_indicator evaluations).
// Grades: 优 ≥ 90, 良 ≥ 80, 差 below (so the node target is 80).
//
// The period is July [2024-07-01, 2024-08-01); the previous period of the same 31 days is
// [2024-05-31, 2024-07-01). Per department (window = W + the department's number):
//
//   dept city    July: positive / evaluations → index   June: positive / evaluations → index
//   D1   450100  10/10 (all aged 65)   → 100                8/10 → 60
//   D2   450100   9/10 (K4 bad)         →  80               10/10 → 100
//   D3   450200   8/10 (K3 + 1 bad)     →  60                7/10 → 40
//   D4   450200   7/10 (K2 + 2 bad)     →  40                6/10 → 20
//   D5   450200   6/10 (K1 + 3 bad)     →  20                9/10 (K0 bad) → 80
//   D6   450100   3/3  (below 5: not scored)                 —
//
// Cities: 450100 July 22/23 → 200·22/23 − 100 = 91.30; June 18/20 → 80.
//         450200 July 21/30 → 40;                       June 22/30 → 46.67.
//
// Cases (real-name bad reviews), seen at 2024-08-01 00:00 (+08:00), Monday–Friday working days
// (no calendar loaded), deadlines verify 1 / rectify 15 working days:
//   K0 D5 2024-06-20, no event                → open, verify due end of 06-21: overdue
//   K1 D5 2024-07-02, verified 07-02, rectified 07-05, revisited 07-08 (4), closed 07-09 → closed
//   K2 D4 2024-07-03, verified 07-03          → verified, rectify due end of 07-24: overdue
//   K3 D3 2024-07-31, no event                → open, verify due end of 08-01: not overdue
//                                               (and a yellow warning at 08-01 00:00)
//   K4 D2 2024-07-10, invalid 07-11           → invalid
#pragma once

#include <string>

namespace govqm::testing::bulletin {

inline constexpr const char* kRegions =
    "code,name,parent_code\n"
    "450000,广西,\n"
    "450100,南宁市,450000\n"
    "450200,柳州市,450000\n";

inline constexpr const char* kDepartments =
    "code,name,region_code\n"
    "D1,南宁市公安局,450100\n"
    "D2,南宁市税务局,450100\n"
    "D3,柳州市公安局,450200\n"
    "D4,柳州市税务局,450200\n"
    "D5,柳州市医保局,450200\n"
    "D6,南宁市民政局,450100\n";

// One evaluation line: id, region, dept, window, time, score, real_name, reasons, comment, age.
inline std::string EvaluationLine(const std::string& id, const std::string& region,
                                  const std::string& dept, const std::string& at, int score,
                                  bool real_name = false, const std::string& reasons = "",
                                  const std::string& comment = "", const std::string& age = "") {
  return id + "," + region + "," + dept + ",W" + dept.substr(1) + "," + at + "," +
         std::to_string(score) + "," + (real_name ? "true" : "false") + "," + reasons + "," +
         comment + "," + age + "\n";
}

inline std::string Evaluations() {
  std::string csv =
      "id,region_code,dept_code,window_code,evaluated_at,score,real_name,reasons,comment,"
      "evaluator_age\n";
  auto good = [&](const std::string& dept, const std::string& region, const std::string& month,
                  int n, const std::string& age = "") {
    for (int i = 0; i < n; ++i) {
      csv += EvaluationLine(dept + month + "G" + std::to_string(i), region, dept,
                            "2024-" + month + "-1" + std::to_string(i % 10) + " 09:00", 5, false,
                            "", "", age);
    }
  };
  auto bad = [&](const std::string& dept, const std::string& region, const std::string& month,
                 int n) {
    for (int i = 0; i < n; ++i) {
      csv += EvaluationLine(dept + month + "B" + std::to_string(i), region, dept,
                            "2024-" + month + "-0" + std::to_string(5 + i) + " 09:00", 2, false,
                            "long_wait");
    }
  };
  // July.
  good("D1", "450100", "07", 10, "65");
  good("D2", "450100", "07", 9);
  csv += EvaluationLine("K4", "450100", "D2", "2024-07-10 10:00", 1, true);
  good("D3", "450200", "07", 8);
  csv += EvaluationLine("K3", "450200", "D3", "2024-07-31 10:00", 1, true, "system_error");
  bad("D3", "450200", "07", 1);
  good("D4", "450200", "07", 7);
  csv += EvaluationLine("K2", "450200", "D4", "2024-07-03 10:00", 2, true, "system_error");
  bad("D4", "450200", "07", 2);
  good("D5", "450200", "07", 6);
  csv += EvaluationLine("K1", "450200", "D5", "2024-07-02 10:00", 1, true, "system_error",
                        "系统提交失败，电话13812345678没人接");
  bad("D5", "450200", "07", 3);
  good("D6", "450100", "07", 3);
  // June.
  good("D1", "450100", "06", 8);
  bad("D1", "450100", "06", 2);
  good("D2", "450100", "06", 10);
  good("D3", "450200", "06", 7);
  bad("D3", "450200", "06", 3);
  good("D4", "450200", "06", 6);
  bad("D4", "450200", "06", 4);
  good("D5", "450200", "06", 9);
  csv += EvaluationLine("K0", "450200", "D5", "2024-06-20 10:00", 1, true);
  return csv;
}

inline constexpr const char* kRectifications =
    "evaluation_id,event,at,actor,note,revisit_score\n"
    "K1,verified,2024-07-02 15:00,clerk,called,\n"
    "K1,rectified,2024-07-05 10:00,clerk,fixed,\n"
    "K1,revisited,2024-07-08 10:00,clerk,asked,4\n"
    "K1,closed,2024-07-09 10:00,clerk,done,\n"
    "K2,verified,2024-07-03 12:00,clerk,called,\n"
    "K4,invalid,2024-07-11 10:00,boss,not a citizen's review,\n";

// Same source: I1's department copy differs in its name; I2's matches (the materials in
// another order and separator, 15 = 15.0); I3's copy, published by D4, differs in fee and
// location. By the platform publication's department: D1 (I1) 1 of 1 copies mismatching,
// same_source_rate 0/1, field_match_rate 7/8, catalog_coverage 1/1; D3 (I2, I3) 1 of 2
// mismatching (fee, location), 1/2, (8 + 6)/16, 2/2; D4 has no platform item.
inline constexpr const char* kGuides =
    "source,item_code,dept_code,region_code,name,legal_basis,conditions,materials,"
    "time_limit_days,fee,location,contact,published_at\n"
    "platform,I1,D1,450100,办理甲,法一,条件一,材料甲;材料乙,20,0,大厅,12345,2024-01-01\n"
    "d1-site,I1,D1,450100,办理乙,法一,条件一,材料甲;材料乙,20,0,大厅,12345,2024-02-01\n"
    "platform,I2,D3,450200,事项二,法二,条件二,x;y,15,0,窗口,222,2024-01-01\n"
    "d3-site,I2,D3,450200,事项二,法二,条件二,y、x,15.0,0,窗口,222,2024-02-01\n"
    "platform,I3,D3,450200,事项三,法三,条件三,z,10,0,窗口,333,2024-01-01\n"
    "d4-site,I3,D4,450200,事项三,法三,条件三,z,10,5,三楼,333,2024-02-01\n";

inline constexpr const char* kFramework =
    "[framework]\nname = \"bulletin test\"\nversion = \"1\"\nmin_sample = 5\n"
    "sample_indicator = \"evaluations\"\n"
    "[[grade]]\nlabel = \"优\"\nlabel_en = \"excellent\"\nmin = 90\n"
    "[[grade]]\nlabel = \"良\"\nlabel_en = \"good\"\nmin = 80\n"
    "[[grade]]\nlabel = \"差\"\nlabel_en = \"poor\"\n"
    "[[stage]]\ncode = \"feedback\"\nname = \"评价反馈\"\nname_en = \"feedback\"\n"
    "[[dimension]]\ncode = \"satisfaction\"\nname = \"满意度\"\nname_en = \"satisfaction\"\n"
    "[[indicator]]\ncode = \"positive_rate\"\nname = \"好评率\"\nname_en = \"positive rate\"\n"
    "cell = \"feedback/satisfaction\"\nfloor = 0.5\ntarget = 1.0\n";

// positive_rate below 0.75 by department: D4 (0.7) and D5 (0.6) in July.
inline constexpr const char* kAlertRules =
    "[[rule]]\ncode = \"pr_floor\"\nindicator = \"positive_rate\"\nby = \"dept\"\n"
    "below = 0.75\nmin_sample = 1\n";

}  // namespace govqm::testing::bulletin

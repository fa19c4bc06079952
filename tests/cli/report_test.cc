// govqm report through the real program on the hand-made store of tests/app/bulletin_fixture.h
// (every expected value is worked out there, by hand): the XLSX read back by an independent
// reader (openpyxl, tests/cli/data/xlsx_dump.py), the HTML checked for external references
// and printed to PDF by Debian's chromium (A4 pages), the errors, the atomic write, --as.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <map>
#include <regex>
#include <string>

#include "app/bulletin_fixture.h"
#include "cli/cli_harness.h"

namespace govqm::testing {
namespace {

namespace fx = govqm::testing::bulletin;

bool Succeeds(const std::string& command) { return std::system(command.c_str()) == 0; }

// A tool the tests need: present, or the test is skipped — except on CI (env CI set), where a
// missing tool fails the test.
#define REQUIRE_TOOL(present, what)                                            \
  do {                                                                         \
    if (!(present)) {                                                          \
      if (std::getenv("CI") != nullptr) FAIL() << what << " is required on CI"; \
      GTEST_SKIP() << what << " is not installed";                             \
    }                                                                          \
  } while (0)

class ReportTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run("init --tz Asia/Shanghai").exit_code, 0);
    Write("regions.csv", fx::kRegions);
    Write("departments.csv", fx::kDepartments);
    Write("evaluations.csv", fx::Evaluations());
    Write("rectifications.csv", fx::kRectifications);
    Write("guides.csv", fx::kGuides);
    for (const char* kind : {"regions", "departments", "evaluations", "rectifications", "guides"}) {
      const RunResult r = Run(std::string("import ") + kind + " " + kind + ".csv");
      ASSERT_EQ(r.exit_code, 0) << kind << ": " << r.err;
      ASSERT_NE(r.out.find("rejected 0"), std::string::npos) << kind << ": " << r.out;
    }
    Write("fw.toml", fx::kFramework);
    Write("rules.toml", fx::kAlertRules);
  }
};

const std::string kReport =
    "report --from 2024-07-01 --to 2024-08-01 --framework fw.toml --alert-rules rules.toml";

// ---- XLSX --------------------------------------------------------------------------------

struct Cell {
  std::string type;  // openpyxl's data_type
  std::string text;  // strings
  double number = 0;
};
struct Sheet {
  std::map<std::pair<int, int>, Cell> cells;
  // The row whose column `col` holds the text `value` (0 when none).
  int RowOf(int col, const std::string& value) const {
    for (const auto& [rc, c] : cells) {
      if (rc.second == col && c.type == "s" && c.text == value) return rc.first;
    }
    return 0;
  }
  const Cell* At(int row, int col) const {
    auto it = cells.find({row, col});
    return it == cells.end() ? nullptr : &it->second;
  }
  // The column whose header row `row` holds `title` (0 when none).
  int ColumnOf(int row, const std::string& title) const {
    for (const auto& [rc, c] : cells) {
      if (rc.first == row && c.type == "s" && c.text == title) return rc.second;
    }
    return 0;
  }
};
struct Book {
  std::vector<std::string> names;
  std::map<std::string, Sheet> sheets;
};

bool ReadBook(const std::string& json, Book* book) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(json).get(root) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element n : root["sheets"].get_array()) {
    book->names.emplace_back(std::string_view(n));
  }
  for (auto field : root["cells"].get_object()) {
    Sheet& s = book->sheets[std::string(field.key)];
    for (simdjson::dom::element c : field.value.get_array()) {
      simdjson::dom::array a = c.get_array();
      Cell cell;
      cell.type = std::string(std::string_view(a.at(2)));
      if (cell.type == "n") {
        cell.number = a.at(3).is_int64() ? double(int64_t(a.at(3))) : double(a.at(3));
      } else if (a.at(3).is_string()) {
        cell.text = std::string(std::string_view(a.at(3)));
      }
      s.cells[{int(int64_t(a.at(0))), int(int64_t(a.at(1)))}] = cell;
    }
  }
  return true;
}

// A number cell's value; fails the test when it is missing or not a number cell.
double NumberAt(const Sheet& s, int row, int col, const std::string& what) {
  const Cell* c = s.At(row, col);
  EXPECT_NE(c, nullptr) << what << ": no cell at row " << row << " column " << col;
  if (c == nullptr) return -1e300;
  EXPECT_EQ(c->type, "n") << what << ": not a number cell: '" << c->text << "'";
  return c->number;
}
std::string TextAt(const Sheet& s, int row, int col) {
  const Cell* c = s.At(row, col);
  return c == nullptr ? "" : c->text;
}

TEST_F(ReportTest, XlsxReadBackByAnIndependentReader) {
  REQUIRE_TOOL(Succeeds("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null"),
               "python3-openpyxl (/usr/bin/python3)");
  RunResult r = Run(kReport + " --by dept --top 2 --out b.xlsx --lang en");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote b.xlsx"), std::string::npos) << r.out;
  ASSERT_TRUE(Succeeds("cd '" + dir_.string() + "' && /usr/bin/python3 " + GOVQM_SOURCE_DIR +
                       "/tests/cli/data/xlsx_dump.py b.xlsx > dump.json"));
  Book book;
  ASSERT_TRUE(ReadBook(Read("dump.json"), &book)) << Read("dump.json").substr(0, 300);
  EXPECT_EQ(book.names,
            (std::vector<std::string>{"Summary", "Index", "Heatmap", "Red-black lists",
                                      "Closed loop", "Alerts", "Same source", "Digital divide",
                                      "Diagnosis"}));

  // No number is stored as text anywhere: a string cell never reads as a number.
  const std::regex numeric(R"(^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?%?\s*$)");
  for (const auto& [name, sheet] : book.sheets) {
    for (const auto& [rc, c] : sheet.cells) {
      if (c.type == "s") {
        EXPECT_FALSE(std::regex_match(c.text, numeric))
            << name << " row " << rc.first << " column " << rc.second << ": '" << c.text << "'";
      }
    }
  }

  // Index by department (July vs June, by hand): D5 20 (was 80, rank 2 → 5), D1 100 (+40).
  const Sheet& index = book.sheets["Index"];
  const int head = 2;
  const int code = index.ColumnOf(head, "Code"), idx = index.ColumnOf(head, "Index"),
            change = index.ColumnOf(head, "Change"), prev = index.ColumnOf(head, "Previous index"),
            rank = index.ColumnOf(head, "Rank"), prank = index.ColumnOf(head, "Previous rank"),
            sample = index.ColumnOf(head, "Sample");
  ASSERT_TRUE(code && idx && change && prev && rank && prank && sample);
  const int d5 = index.RowOf(code, "D5"), d1 = index.RowOf(code, "D1"), d6 = index.RowOf(code, "D6");
  ASSERT_TRUE(d5 && d1 && d6);
  EXPECT_NEAR(NumberAt(index, d5, idx, "D5 index"), 20, 1e-9);
  EXPECT_NEAR(NumberAt(index, d5, prev, "D5 previous"), 80, 1e-9);
  EXPECT_NEAR(NumberAt(index, d5, change, "D5 change"), -60, 1e-9);
  EXPECT_EQ(NumberAt(index, d5, rank, "D5 rank"), 5);
  EXPECT_EQ(NumberAt(index, d5, prank, "D5 previous rank"), 2);
  EXPECT_NEAR(NumberAt(index, d1, change, "D1 change"), 40, 1e-9);
  EXPECT_EQ(NumberAt(index, d1, rank, "D1 rank"), 1);
  EXPECT_EQ(NumberAt(index, d6, sample, "D6 sample"), 3);
  EXPECT_EQ(index.At(d6, idx), nullptr) << "D6 is below min_sample: no index";

  // 红黑榜: the black list D5, D4; D4 was on June's too (约谈), D5 was not.
  const Sheet& boards = book.sheets["Red-black lists"];
  int talk_col = 0, code_col = 0, talk_rows = 0;
  for (const auto& [rc, c] : boards.cells) {
    if (c.type == "s" && c.text == "talk" && rc.first > 4 && talk_col == 0) talk_col = rc.second;
    if (c.type == "s" && c.text == "Code" && code_col == 0) code_col = rc.second;
  }
  ASSERT_TRUE(talk_col && code_col);
  for (const auto& [rc, c] : boards.cells) {
    if (rc.second != talk_col || c.text != "talk") continue;
    const std::string unit = TextAt(boards, rc.first, code_col);
    if (unit == "Code" || unit.empty()) continue;  // the header
    ++talk_rows;
    EXPECT_TRUE(unit == "D4" || unit == "W4") << unit;
  }
  EXPECT_EQ(talk_rows, 2);  // W4 and D4
  EXPECT_NE(boards.RowOf(code_col, "D5"), 0);

  // The closed loop by department: D5 has K1 (closed) and K0 unfinished and overdue; D4 K2,
  // verified and overdue. The total: 4 cases, 3 unfinished, 2 overdue of those.
  const Sheet& loop = book.sheets["Closed loop"];
  const int lh = 3;
  const int lcode = loop.ColumnOf(lh, "Code"), cases = loop.ColumnOf(lh, "This period's cases"),
            closed = loop.ColumnOf(lh, "closed"), verified = loop.ColumnOf(lh, "verified"),
            overdue = loop.ColumnOf(lh, "Overdue"),
            backlog = loop.ColumnOf(lh, "Unfinished at the end"),
            reply = loop.ColumnOf(lh, "reply rate");
  ASSERT_TRUE(lcode && cases && closed && verified && overdue && backlog && reply);
  const int l5 = loop.RowOf(lcode, "D5"), l4 = loop.RowOf(lcode, "D4"),
            total = loop.RowOf(lcode, "Total");
  ASSERT_TRUE(l5 && l4 && total);
  EXPECT_EQ(NumberAt(loop, l5, cases, "D5 cases"), 1);
  EXPECT_EQ(NumberAt(loop, l5, closed, "D5 closed"), 1);
  EXPECT_EQ(NumberAt(loop, l5, backlog, "D5 unfinished"), 1);
  EXPECT_EQ(NumberAt(loop, l4, verified, "D4 verified"), 1);
  EXPECT_EQ(NumberAt(loop, l4, overdue, "D4 overdue"), 1);
  EXPECT_EQ(NumberAt(loop, total, cases, "total cases"), 4);
  EXPECT_EQ(NumberAt(loop, total, backlog, "total unfinished"), 3);
  EXPECT_NEAR(NumberAt(loop, total, reply, "total reply rate"), 2.0 / 3, 1e-12);

  // Alerts: pr_floor twice (D4, D5); the cases' warnings at 08-01.
  const Sheet& alerts = book.sheets["Alerts"];
  const int pr = alerts.RowOf(1, "pr_floor");
  ASSERT_NE(pr, 0);
  EXPECT_EQ(NumberAt(alerts, pr, 4, "pr_floor count"), 2);

  // Same source, by the platform publication's department: D3's I3 has a copy (D4's) that
  // differs in fee and location; its I2 matches.
  const Sheet& ss = book.sheets["Same source"];
  const int sh = 3;
  const int ss3 = ss.RowOf(ss.ColumnOf(sh, "Code"), "D3");
  ASSERT_NE(ss3, 0);
  EXPECT_EQ(NumberAt(ss, ss3, ss.ColumnOf(sh, "Publications compared"), "D3 compared"), 2);
  EXPECT_EQ(NumberAt(ss, ss3, ss.ColumnOf(sh, "Mismatching publications"), "D3 mismatching"), 1);
  EXPECT_EQ(NumberAt(ss, ss3, ss.ColumnOf(sh, "fee"), "D3 fee"), 1);
  EXPECT_EQ(NumberAt(ss, ss3, ss.ColumnOf(sh, "location"), "D3 location"), 1);
  EXPECT_EQ(NumberAt(ss, ss3, ss.ColumnOf(sh, "name"), "D3 name"), 0);
  EXPECT_NEAR(NumberAt(ss, ss3, ss.ColumnOf(sh, "same-source rate"), "D3 same source"), 0.5,
              1e-12);
  EXPECT_EQ(ss.RowOf(ss.ColumnOf(sh, "Code"), "D4"), 0) << "D4 publishes no platform item";

  // Chinese sheet names in the default language.
  r = Run(kReport + " --by city --out zh.xlsx");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(Succeeds("cd '" + dir_.string() + "' && /usr/bin/python3 " + GOVQM_SOURCE_DIR +
                       "/tests/cli/data/xlsx_dump.py zh.xlsx > zh.json"));
  Book zh;
  ASSERT_TRUE(ReadBook(Read("zh.json"), &zh));
  EXPECT_EQ(zh.names, (std::vector<std::string>{"概览", "综合指数", "热力图", "红黑榜", "差评整改",
                                                "预警", "同源发布", "数字鸿沟", "分单位诊断"}));
  const Sheet& zi = zh.sheets["综合指数"];
  const int nn = zi.RowOf(2, "450100");
  ASSERT_NE(nn, 0);
  EXPECT_NEAR(NumberAt(zi, nn, 4, "南宁 index"), 200.0 * 22 / 23 - 100, 1e-9);
  EXPECT_NEAR(NumberAt(zi, nn, 6, "南宁 change"), (200.0 * 22 / 23 - 100) - 80, 1e-9);
}

// ---- HTML --------------------------------------------------------------------------------

TEST_F(ReportTest, HtmlIsSelfContainedAndPrintsOnA4) {
  RunResult r = Run(kReport + " --by city --top 2 --out b.html");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = Read("b.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"zh-CN\">", 0), 0u) << html.substr(0, 80);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  // Nothing from anywhere: no scheme, no protocol-relative reference, no script, image or
  // style sheet; every src=, href= and url( points to an anchor or data:.
  for (const char* bad : {"http:", "https:", "//", "<script", "<img", "<link", "@import",
                          "<iframe", "<object"}) {
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  }
  const std::regex ref(R"((src|href)\s*=\s*["']?([^"'\s>]*)|url\(\s*["']?([^"')\s]*))");
  int refs = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), ref); it != std::sregex_iterator();
       ++it) {
    const std::string target = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
    ++refs;
    EXPECT_TRUE(target.rfind("#", 0) == 0 || target.rfind("data:", 0) == 0) << target;
  }
  EXPECT_GT(refs, 0) << "the contents' anchors";
  // Well-formed enough: every element opened is closed, in order, for the ones that nest.
  for (const char* tag : {"table", "tr", "svg", "section", "div", "ul", "figure", "main"}) {
    const std::string open = std::string("<") + tag;
    const std::string close = std::string("</") + tag + ">";
    size_t opened = 0, closed = 0;
    for (size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
      const char next = html[at + open.size()];
      if (next == '>' || next == ' ') ++opened;
    }
    for (size_t at = html.find(close); at != std::string::npos; at = html.find(close, at + 1)) {
      ++closed;
    }
    EXPECT_EQ(opened, closed) << tag;
  }
  // Values by hand: 南宁 91.3 (+11.3 against 80), 柳州 40.0 (−6.7 against 46.7).
  for (const char* shown : {">91.3<", ">+11.3<", ">40.0<", ">\u22126.7<", ">80.0<", ">46.7<"}) {
    EXPECT_NE(html.find(shown), std::string::npos) << shown;
  }
  // 约谈: D4 (and its window W4) only.
  EXPECT_NE(html.find("D4 柳州市税务局<span class=\"talk\">约谈</span>"), std::string::npos);
  EXPECT_NE(html.find("W4<span class=\"talk\">约谈</span>"), std::string::npos);
  EXPECT_EQ(html.find("D5 柳州市医保局<span class=\"talk\">"), std::string::npos);
  size_t talks = 0;
  for (size_t at = html.find("class=\"talk\""); at != std::string::npos;
       at = html.find("class=\"talk\"", at + 1)) {
    ++talks;
  }
  EXPECT_EQ(talks, 2u);
  // The comment is shown scrubbed.
  EXPECT_NE(html.find("系统提交失败"), std::string::npos);
  EXPECT_EQ(html.find("13812345678"), std::string::npos);

  // Printed by chromium: a PDF of A4 pages.
  REQUIRE_TOOL(Succeeds("command -v chromium > /dev/null"), "chromium");
  const std::string pdf = Path("b.pdf");
  ASSERT_TRUE(Succeeds("cd '" + dir_.string() +
                       "' && timeout 180 chromium --headless --no-sandbox --disable-gpu "
                       "--no-pdf-header-footer --user-data-dir='" + Path("chrome") +
                       "' --print-to-pdf='" + pdf + "' b.html > chromium.log 2>&1"))
      << Read("chromium.log");
  ASSERT_TRUE(Exists("b.pdf"));
  const std::string bytes = Read("b.pdf");
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  if (Succeeds("command -v pdfinfo > /dev/null")) {
    ASSERT_TRUE(Succeeds("pdfinfo '" + pdf + "' > '" + Path("pdfinfo.txt") + "'"));
    const std::string info = Read("pdfinfo.txt");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) << info;
    EXPECT_GE(std::stoi(m[1]), 2) << info;  // eight sections do not fit one page
    ASSERT_TRUE(std::regex_search(info, m, std::regex(R"(Page size:\s+([\d.]+) x ([\d.]+) pts)")))
        << info;
    EXPECT_NEAR(std::stod(m[1]), 595, 1) << info;
    EXPECT_NEAR(std::stod(m[2]), 842, 1) << info;
  } else {
    REQUIRE_TOOL(false, "pdfinfo (poppler-utils)");
  }
}

TEST_F(ReportTest, EnglishLabels) {
  RunResult r = Run(kReport + " --by city --out en.html --lang en");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = Read("en.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  for (const char* label : {"Index, grade and rank", "Red and black lists", "Closed loop",
                            "Digital divide", "Diagnosis by unit", "positive rate", "excellent"}) {
    EXPECT_NE(html.find(label), std::string::npos) << label;
  }
  EXPECT_EQ(html.find("综合指数"), std::string::npos);
}

TEST_F(ReportTest, ConfigDeadlinesAndTop) {
  // At 08-01, K0 (verify due 06-21) and K2 (rectify due 07-24) are overdue: 2, and 1 of this
  // period. With 30 working days to rectify, K2 is due 08-14: only K0 stays overdue.
  RunResult r = Run(kReport + " --by city --out a.html");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(Read("a.html").find("<span>期末超期工单</span><b>2</b>"), std::string::npos);
  Write("govqm.toml", "[closed_loop]\nrectify_days = 30\n");
  r = Run(kReport + " --by city --out b.html --config govqm.toml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(Read("b.html").find("<span>期末超期工单</span><b>1</b>"), std::string::npos);
  Write("bad.toml", "[closed_loop]\nrectify_dayz = 30\n");
  r = Run(kReport + " --by city --out c.html --config bad.toml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.toml:2"), std::string::npos) << r.err;
  // --top 1: one unit a list; the last, D5, was not last in June (D4 was): no talk at all.
  r = Run(kReport + " --by dept --out d.html --top 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Read("d.html").find("class=\"talk\""), std::string::npos);
  EXPECT_NE(Read("d.html").find("红榜（前 1）"), std::string::npos);
}

// ---- Errors and the atomic write ---------------------------------------------------------

TEST_F(ReportTest, ErrorsAndNoHalfWrittenFile) {
  RunResult r = Run(kReport + " --by city --out b.pdf");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("FILE.html or FILE.xlsx"), std::string::npos) << r.err;
  EXPECT_EQ(Run(kReport + " --by city").exit_code, 2);  // no --out
  EXPECT_EQ(Run(kReport + " --by city --out b.html --lang fr").exit_code, 2);
  EXPECT_EQ(Run(kReport + " --by city --out b.html --top 0").exit_code, 2);
  EXPECT_EQ(Run(kReport + " --by month --out b.html").exit_code, 2);
  EXPECT_EQ(Run(kReport + " --by nowhere --out b.html").exit_code, 2);
  EXPECT_EQ(Run(kReport + " --by city --out b.html --format xlsx").exit_code, 2);
  EXPECT_EQ(Run("report --to 2024-08-01 --by city --out b.html --framework fw.toml").exit_code, 2);
  r = Run("report --from 2024-07-01T00:00 --to 2024-08-01 --by city --out b.html "
          "--framework fw.toml --alert-rules rules.toml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("YYYY-MM-DD"), std::string::npos) << r.err;
  r = Run("report --from 2023-01-01 --to 2023-02-01 --by city --out b.html --framework fw.toml "
          "--alert-rules rules.toml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no records"), std::string::npos) << r.err;
  r = Run(kReport + " --by city --out b.html --alert-rules nowhere.toml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nowhere.toml"), std::string::npos) << r.err;
  EXPECT_FALSE(Exists("b.html"));

  // An --out that cannot be written: a clear PATH: reason, and nothing left behind.
  r = Run(kReport + " --by city --out missing-dir/b.html");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing-dir/b.html: "), std::string::npos) << r.err;
  Write("plain.txt", "a file, not a folder");
  r = Run(kReport + " --by city --out plain.txt/b.xlsx");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("plain.txt/b.xlsx: "), std::string::npos) << r.err;
  r = Run(kReport + " --by city --out .");  // a directory has no .html extension
  EXPECT_EQ(r.exit_code, 2);
  std::filesystem::create_directories(Path("taken.html"));
  r = Run(kReport + " --by city --out taken.html");  // a directory by that name
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("taken.html: "), std::string::npos) << r.err;

  // A failed run leaves an earlier bulletin as it was; a good one replaces it whole.
  Write("b.html", "the earlier bulletin");
  EXPECT_EQ(Run(kReport + " --by nowhere --out b.html").exit_code, 2);
  EXPECT_EQ(Read("b.html"), "the earlier bulletin");
  ASSERT_EQ(Run(kReport + " --by city --out b.html").exit_code, 0);
  EXPECT_EQ(Read("b.html").rfind("<!DOCTYPE html>", 0), 0u);
  // No temporary is left beside it.
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name.rfind(".", 0) != 0 || name == "." || name == "..") << name;
  }
}

// ---- Scope -------------------------------------------------------------------------------

TEST_F(ReportTest, AsAUserOfOneCityAndAsAnAuditor) {
  Write("_in.txt", "a long enough password\n");
  ASSERT_EQ(Run("user add lz --role supervisor --region 450200 < _in.txt").exit_code, 0);
  ASSERT_EQ(Run("user add au --role auditor < _in.txt").exit_code, 0);
  RunResult r = Run(kReport + " --by city --out lz.html --as lz");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string lz = Read("lz.html");
  EXPECT_NE(lz.find("柳州市"), std::string::npos);
  // Nothing of 南宁: its code, its departments (all named 南宁…), their windows' codes.
  EXPECT_EQ(lz.find("450100"), std::string::npos);
  EXPECT_EQ(lz.find("南宁"), std::string::npos);
  for (const char* code : {">D1<", ">D2<", ">D6<", ">W1<", ">W2<", ">W6<"}) {
    EXPECT_EQ(lz.find(code), std::string::npos) << code;
  }
  r = Run(kReport + " --by city --out au.html --as au");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string au = Read("au.html");
  EXPECT_EQ(au.find("系统提交失败"), std::string::npos) << "an auditor gets no example comment";
  EXPECT_EQ(au.find("class=\"quote\""), std::string::npos);
  EXPECT_NE(au.find("排队等候久 6"), std::string::npos) << "the counts stay";
  EXPECT_EQ(Run(kReport + " --by city --out x.html --as nobody").exit_code, 1);
}

}  // namespace
}  // namespace govqm::testing

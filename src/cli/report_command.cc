// govqm report — the bulletin (月报/季报, service.md §10): arguments → app::Bulletin → one
// self-contained HTML page or an XLSX workbook, written atomically to --out (a reader sees
// the old file or the whole new one; a failure leaves no half-written file).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "app/bulletin.h"
#include "app/render/bulletin_html.h"
#include "app/render/bulletin_xlsx.h"
#include "cli/commands_internal.h"
#include "cli/requests.h"
#include "framework/alert_rules.h"
#include "platform/file.h"
#include "platform/xlsx.h"

namespace govqm::cli {
namespace {

// "html" or "xlsx" from the file name's extension (any case); "" otherwise.
std::string FormatOfName(const std::string& path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == "html" || ext == "htm" ? "html" : ext == "xlsx" ? "xlsx" : "";
}

}  // namespace

Status RunReport(int argc, char** argv) {
  GOVQM_ASSIGN_OR_RETURN(const Args args, ParseArgs(argc, argv, 2, ReportSpec()));
  if (!args.positional.empty()) return Status::Usage("report takes no positional arguments");
  if (args.Has("format")) {
    return Status::Usage("report writes the format of --out's extension (FILE.html or FILE.xlsx)");
  }
  const std::string out = args.Get("out");
  if (out.empty()) return Status::Usage("--out FILE.html|FILE.xlsx is required");
  const std::string format = FormatOfName(out);
  if (format.empty()) {
    return Status::Usage(fmt::format("--out {}: the bulletin is written as FILE.html or FILE.xlsx",
                                     out));
  }
  GOVQM_ASSIGN_OR_RETURN(const render::Lang lang, LangOf(args));
  std::string rules_file;
  GOVQM_ASSIGN_OR_RETURN(app::BulletinRequest request, BulletinRequestOf(args, &rules_file));
  GOVQM_ASSIGN_OR_RETURN(const std::string rules_text, platform::ReadFile(rules_file));
  GOVQM_ASSIGN_OR_RETURN(request.rules, ParseAlertRules(rules_text, rules_file));
  GOVQM_ASSIGN_OR_RETURN(app::LoadedFramework fw, LoadFramework(args));
  GOVQM_ASSIGN_OR_RETURN(const std::unique_ptr<Store> store, OpenStore(args));
  GOVQM_RETURN_IF_ERROR(ReadAs(args, store.get(), &request.input.scope, &request.show_records));
  platform::Env& env = platform::Env::Default();
  const double start = env.NowSeconds();
  GOVQM_ASSIGN_OR_RETURN(const app::BulletinData data,
                         app::Bulletin(*store, std::move(fw), request, env));
  const double computed = env.NowSeconds();
  std::string bytes;
  if (format == "html") {
    bytes = render::BulletinHtml(data, lang);
  } else {
    GOVQM_ASSIGN_OR_RETURN(bytes, platform::XlsxBytes(render::BulletinWorkbook(data, lang)));
  }
  const double rendered = env.NowSeconds();
  GOVQM_RETURN_IF_ERROR(platform::WriteFileAtomic(out, bytes));
  if (args.Has("timing")) {
    for (const auto& [phase, seconds] : data.timings) {
      Err(fmt::format("report: {:<42} {:8.3f} s\n", phase, seconds));
    }
    Err(fmt::format("report: {:<42} {:8.3f} s\n", "bulletin (all of the above)", computed - start));
    Err(fmt::format("report: {:<42} {:8.3f} s\n", "render " + format, rendered - computed));
  }
  Out(fmt::format("wrote {} ({} bytes): {} units by {}, {} ranked, {} alerts\n", out, bytes.size(),
                  data.units.size(), data.by, data.ranked, data.alerts.total));
  return Status::Ok();
}

}  // namespace govqm::cli

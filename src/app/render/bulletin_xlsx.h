// The bulletin (app/bulletin.h) as a workbook description for the XLSX adapter
// (platform/xlsx.h): a sheet per section, numbers as numbers with their formats (rates as
// percents, scores with one decimal, counts whole), labels from the one message table
// (bulletin_text.h). Pure: building the description writes nothing.
#pragma once

#include "app/render/bulletin_text.h"
#include "platform/xlsx.h"

namespace govqm::app {
struct BulletinData;
}

namespace govqm::render {

platform::XlsxWorkbook BulletinWorkbook(const app::BulletinData& data, Lang lang);

// The sheet names of BulletinWorkbook, in order (the tests' and docs' reference).
std::vector<std::string> BulletinSheetNames(Lang lang);

}  // namespace govqm::render

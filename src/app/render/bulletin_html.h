// The bulletin (app/bulletin.h) as one self-contained HTML page: inline CSS (A4 print rules)
// and inline SVG charts, every text escaped, no external reference of any kind (no font,
// script, image or style sheet from anywhere), so it opens and prints the same offline.
#pragma once

#include <string>

#include "app/render/bulletin_text.h"

namespace govqm::app {
struct BulletinData;
}

namespace govqm::render {

std::string BulletinHtml(const app::BulletinData& data, Lang lang);

// The file name a download of the bulletin takes: govqm-bulletin-FROM-TO-BY.EXT.
std::string BulletinFileName(const app::BulletinData& data, const std::string& ext);

}  // namespace govqm::render

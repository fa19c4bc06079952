#include "core/engine/indicators.h"

#include <fmt/format.h>

namespace govqm {

std::string_view ChannelModes::ModeOf(std::string_view channel) const {
  if (channel.empty()) return {};
  for (const auto& [c, m] : map) {
    if (c == channel) return m;
  }
  return "other";
}

void ChannelModes::Set(std::string channel, std::string mode) {
  for (auto& [c, m] : map) {
    if (c == channel) {
      m = std::move(mode);
      return;
    }
  }
  map.emplace_back(std::move(channel), std::move(mode));
}

Result<std::vector<IndicatorRow>> ComputeIndicators(const Dataset& data,
                                                    const EngineOptions& options) {
  (void)data;
  for (const std::string& code : options.only) {
    if (FindIndicator(code) < 0) return Status::Usage(fmt::format("unknown indicator '{}'", code));
  }
  return std::vector<IndicatorRow>{};
}

}  // namespace govqm

// Everything the engine reads, built by the store adapter (or by hand in tests).
#pragma once

#include "core/table.h"

namespace govqm {

struct Dataset {
  Table regions{Kind::kRegions};
  Table departments{Kind::kDepartments};
  Table items{Kind::kItems};
  Table transactions{Kind::kTransactions};
  Table evaluations{Kind::kEvaluations};
  Table rectifications{Kind::kRectifications};
  Table probes{Kind::kProbes};
  Table guides{Kind::kGuides};
  Table org{Kind::kOrg};
};

}  // namespace govqm

#include "ingest/row_builder.h"

namespace govqm::ingest_detail {

RowBuilder::RowBuilder(const ParseOptions& options, Table* rows)
    : options_(options), def_(GetKindDef(options.kind)), rows_(rows) {
  const size_t n = def_.columns.size();
  plans_.resize(n);
  cells_.resize(n);
  owned_.resize(n);
  joined_.resize(n);
  const ColumnMapping* m = options.mapping;
  auto source_id = [&](const std::string& name) {
    auto [it, fresh] = source_ids_.emplace(name, static_cast<int>(sources_.size()));
    if (fresh) sources_.push_back(name);
    return it->second;
  };
  for (size_t i = 0; i < n; ++i) {
    const ColumnDef& cd = def_.columns[i];
    const std::string name(cd.name);
    ColumnPlan& p = plans_[i];
    p.date_only = cd.date_only;
    const ColumnSource* mapped = nullptr;
    if (m != nullptr) {
      if (auto it = m->columns.find(name); it != m->columns.end() && !it->second.names.empty()) {
        mapped = &it->second;
      }
      if (auto it = m->constants.find(name); it != m->constants.end()) p.constant = &it->second;
      if (auto it = m->values.find(name); it != m->values.end()) {
        p.values = &it->second;
        if (auto b = it->second.find(""); b != it->second.end()) p.blank_value = &b->second;
      }
      if (auto it = m->formats.find(name); it != m->formats.end()) p.format = &it->second;
      if (m->end_of_day.count(name) != 0) {
        p.date_only = DateOnlyMeans::kEndOfDay;
        p.midnight = MidnightMeans::kEndOfDay;
      }
    }
    if (mapped == nullptr) {
      p.sources.push_back(source_id(name));
    } else {
      for (const std::string& s : mapped->names) p.sources.push_back(source_id(s));
      if (mapped->join) {
        p.from = ColumnPlan::From::kJoin;
        p.separator = mapped->separator;
      } else if (p.sources.size() > 1) {
        p.from = ColumnPlan::From::kFallbacks;
      }
    }
    p.first = p.sources[0];
    if (cd.personal == PersonalData::kFreeText) {
      for (const int s : p.sources) {
        if (std::find(free_text_sources_.begin(), free_text_sources_.end(), s) ==
            free_text_sources_.end()) {
          free_text_sources_.push_back(s);
        }
      }
    }
  }
  csv_field_.assign(sources_.size(), -1);
  json_value_.assign(sources_.size(), std::string_view());
  json_present_.assign(sources_.size(), 0);
}

Status RowBuilder::BindCsvHeader(const std::vector<std::string>& header,
                                 std::string_view file_name, std::vector<std::string>* warnings,
                                 std::vector<std::string>* ignored) {
  csv_field_.assign(sources_.size(), -1);
  std::vector<bool> used(header.size(), false);
  for (size_t h = 0; h < header.size(); ++h) {
    const auto it = source_ids_.find(std::string_view(header[h]));
    if (it == source_ids_.end()) continue;
    int& field = csv_field_[it->second];
    if (field >= 0) {  // which of the two is meant cannot be guessed
      return Status::Invalid(fmt::format("{}: column '{}' appears twice in the header ({} and {})",
                                         file_name, header[h], field + 1, h + 1));
    }
    field = static_cast<int>(h);
    used[h] = true;
  }
  for (size_t i = 0; i < plans_.size(); ++i) {
    const ColumnPlan& p = plans_[i];
    if (p.constant != nullptr) continue;
    for (const int s : p.sources) {
      if (csv_field_[s] < 0 && sources_[s] != def_.columns[i].name) {
        warnings->push_back(fmt::format("mapped column '{}' (for {}) is not in the header",
                                        sources_[s], def_.columns[i].name));
      }
    }
  }
  for (size_t i = 0; i < plans_.size(); ++i) {
    const ColumnPlan& p = plans_[i];
    const ColumnDef& cd = def_.columns[i];
    if (!cd.required || p.constant != nullptr) continue;
    bool any = false;
    for (const int s : p.sources) any = any || csv_field_[s] >= 0;
    if (any) continue;
    if (p.sources.size() > 1 || sources_[p.first] != cd.name) {
      std::string from;
      for (size_t k = 0; k < p.sources.size(); ++k) {
        if (k > 0) from += p.from == ColumnPlan::From::kJoin ? "' and '" : "' or '";
        from += sources_[p.sources[k]];
      }
      return Status::Invalid(fmt::format("{}: missing required column '{}' ({} '{}')", file_name,
                                         cd.name,
                                         p.from == ColumnPlan::From::kJoin ? "joined from"
                                                                           : "mapped from",
                                         from));
    }
    // A header that differs only in case or spacing is a common export quirk: say so.
    for (const std::string& h : header) {
      if (EqualsIgnoreAsciiCase(TrimAscii(h), cd.name)) {
        return Status::Invalid(fmt::format(
            "{}: missing required column '{}' (the header has '{}'; names must match "
            "exactly: rename it or map it with --map)",
            file_name, cd.name, h));
      }
    }
    return Status::Invalid(fmt::format("{}: missing required column '{}'", file_name, cd.name));
  }
  for (size_t h = 0; h < header.size(); ++h) {
    if (!used[h] && !header[h].empty() && header[h][0] != '_') ignored->push_back(header[h]);
  }
  return Status::Ok();
}

std::string RowBuilder::ColumnLabel(int col) const {
  const ColumnPlan& p = plans_[col];
  const std::string_view canonical = def_.columns[col].name;
  const int8_t origin = cells_[col].origin;
  if (origin == kConstant) return std::string(canonical);
  std::string from;
  if (p.from == ColumnPlan::From::kOne || (p.from == ColumnPlan::From::kFallbacks && origin >= 0)) {
    const std::string& name = sources_[p.sources[p.from == ColumnPlan::From::kOne ? 0 : origin]];
    if (name == canonical) return std::string(canonical);
    from = name;
  } else {  // a join's parts, or fallbacks all blank
    const char* sep = p.from == ColumnPlan::From::kJoin ? " + " : " | ";
    for (size_t k = 0; k < p.sources.size(); ++k) {
      if (k > 0) from += sep;
      from += sources_[p.sources[k]];
    }
  }
  return from + " → " + std::string(canonical);
}

}  // namespace govqm::ingest_detail

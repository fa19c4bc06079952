#include "app/contact.h"

#include <fmt/format.h>
#include <sodium.h>

#include <vector>

namespace govqm::app {

std::string ContactKeyPath(const std::string& db_path, const std::string& key_file) {
  return key_file.empty() ? security::KeyPathBeside(db_path) : key_file;
}

Result<security::ContactKey> LoadContactKey(const Store& store, const std::string& key_file) {
  return security::ReadKeyFile(ContactKeyPath(store.path(), key_file));
}

bool HasContacts(const Table& evaluations) {
  if (evaluations.kind() != Kind::kEvaluations) return false;
  const Column& c = evaluations.col(eval_col::kContact);
  // Null contacts are empty texts: any byte at all is a contact.
  return !c.text.empty();
}

void SealContacts(const security::ContactKey& key, Table* evaluations) {
  if (!HasContacts(*evaluations)) return;
  Column& c = evaluations->col(eval_col::kContact);
  Column sealed;
  sealed.type = ColumnType::kText;
  const size_t rows = evaluations->rows();
  sealed.Reserve(rows);
  for (size_t r = 0; r < rows; ++r) {
    const std::string_view digits = c.TextAt(r);
    if (!digits.empty()) sealed.text += security::SealToText(key, digits);
    sealed.offsets.push_back(sealed.text.size());
  }
  // The clear digits leave memory with the old column.
  sodium_memzero(c.text.data(), c.text.size());
  c = std::move(sealed);
}

Result<std::string> RevealContact(const Store& store, const security::ContactKey& key,
                                  std::string_view evaluation_id) {
  const std::vector<int> columns = {eval_col::kId, eval_col::kContact};
  GOVQM_ASSIGN_OR_RETURN(const Table t, store.Load(Kind::kEvaluations, &columns));
  const Column& ids = t.col(eval_col::kId);
  for (size_t r = 0; r < t.rows(); ++r) {
    if (ids.TextAt(r) != evaluation_id) continue;
    const std::string_view sealed = t.col(eval_col::kContact).TextAt(r);
    if (sealed.empty()) {
      return Status::NotFound(fmt::format("evaluation {} has no contact", evaluation_id));
    }
    Result<std::string> digits = security::OpenText(key, sealed);
    if (!digits.ok()) {
      return Status::FailedPrecondition(fmt::format("the contact of evaluation {}: {}",
                                                    evaluation_id, digits.status().message()));
    }
    return digits;
  }
  return Status::NotFound(fmt::format("no evaluation {}", evaluation_id));
}

}  // namespace govqm::app

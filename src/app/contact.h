// Evaluations' contacts (service.md §4): sealed at import under the store's contact key,
// revealed one at a time for the case route (whose caller audits every reveal).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/table.h"
#include "security/contact_key.h"
#include "store/store.h"

namespace govqm::app {

// The contact key file of the store at `db_path`: `key_file` when the edge was given one
// (GOVQM_KEY_FILE), else the file beside the store (security::KeyPathBeside).
std::string ContactKeyPath(const std::string& db_path, const std::string& key_file);

// The store's contact key (security::ReadKeyFile's errors).
Result<security::ContactKey> LoadContactKey(const Store& store, const std::string& key_file);

// True when some row of `evaluations` has a contact.
bool HasContacts(const Table& evaluations);

// Replaces every contact of `evaluations` (normalised digits, as import leaves them) by its
// sealed text (security::SealToText); null contacts stay null.
void SealContacts(const security::ContactKey& key, Table* evaluations);

// The contact of the evaluation `evaluation_id`, decrypted. kNotFound when there is no such
// evaluation or it has no contact; kFailedPrecondition when the sealed value does not open
// with `key` (the store's key was replaced). Reads one snapshot. The caller audits the reveal.
Result<std::string> RevealContact(const Store& store, const security::ContactKey& key,
                                  std::string_view evaluation_id);

}  // namespace govqm::app

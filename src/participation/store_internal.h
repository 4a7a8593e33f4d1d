// Helpers the participation store's files share (store.cpp defines them); not part of the
// module's public header.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "audit/audit.h"
#include "participation/participation.h"
#include "platform/db/database.h"

namespace baladiya::participation::internal {

// kInvalid "participation.invalid" with a message key per field.
Error InvalidFields(std::map<std::string, std::string> fields);
// The audit entry of a change by `who` in the municipality, inside tx.
Status Audit(audit::AuditLog* log, db::Tx& tx, const Actor& who, int64_t municipality_id,
             std::string_view action, std::string_view object, std::string details, int64_t now_ms);

}  // namespace baladiya::participation::internal

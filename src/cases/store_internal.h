// Helpers of CaseStore shared by its files (cases.cpp, transfer.cpp); not part of the module's
// interface. Each runs inside the caller's transaction.
#pragma once

#include <string>

#include "cases/cases.h"

namespace baladiya::cases::internal {

// A row of kCaseColumns as a case; with_answers opens the sealed answers.
Result<Case> ReadCase(const db::Row& r, const crypto::Key32& key, bool with_answers);
// The case as stored now (with its answers); kNotFound.
Result<Case> LoadCase(db::Tx& tx, int64_t case_id, const crypto::Key32& key);
// The audit entry of a case change (nothing when log is null).
Status AuditCase(audit::AuditLog* log, db::Tx& tx, const Actor& actor, const char* action,
                 const std::string& tracking, int64_t municipality_id, std::string details,
                 int64_t now_ms);
// One line of the case's history, under c.municipality_id.
Status AddEvent(db::Tx& tx, const Case& c, int64_t at, const std::string& kind,
                const std::string& from, const std::string& to, const std::string& action,
                const Actor& actor, const std::string& comment, bool internal);

}  // namespace baladiya::cases::internal

// What cases.cpp shares with the store's other files (follow.cpp: following reports, merging
// duplicates; transfer.cpp: moving a report to another municipality): reading and loading a
// case, its events, its audit entries and the state changes observers are told. Internal to
// the cases module; each runs inside the caller's transaction.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cases/cases.h"

namespace baladiya::cases::internal {

// The columns ReadCase reads, in its order.
inline constexpr std::string_view kCaseColumns =
    "id, tracking, municipality_id, service_id, department_id, applicant_id, applicant_lang, "
    "channel, filed_by, state, version, answers, fee_minor, currency, assigned_to, submitted_at, "
    "state_entered_at, due_at, paused_at, closed_at, escalated, updated_at, priority";

// A row of kCaseColumns; the answers are opened only when asked for.
Result<Case> ReadCase(const db::Row& r, const crypto::Key32& key, bool with_answers);
// Rows of kCaseColumns as cases (answers left closed).
Result<std::vector<Case>> ReadCases(const db::Rows& rows, const crypto::Key32& key);
// The case with its answers, read inside tx; kNotFound when there is none.
Result<Case> LoadCase(db::Tx& tx, int64_t case_id, const crypto::Key32& key);
// Appends an event to the case's history inside tx (outcome: the outcome of the final state
// it enters, workflow::OutcomeOf).
Status AddEvent(db::Tx& tx, const Case& c, int64_t at, const std::string& kind,
                const std::string& from, const std::string& to, const std::string& action,
                const Actor& actor, const std::string& comment, bool internal,
                const std::string& outcome = "");
// The audit entry of a case change, inside its transaction (nothing when log is null), with the
// case's service (for the auditor's filter) and what it changed (no personal data).
Status AuditCase(audit::AuditLog* log, db::Tx& tx, const Actor& actor, const char* action,
                 const std::string& tracking, int64_t municipality_id, std::string details,
                 int64_t now_ms, int64_t service_id = 0, std::vector<audit::Change> changes = {});
// A change of the case's state, as observers are told it (service must outlive it).
StateChange ChangeOf(std::string kind, const Case& c, const catalog::Service& service,
                     std::string from, std::string to, bool final, int64_t at, int64_t due);

// The type of a file read from its content (application/pdf, image/jpeg or image/png), once it
// passed the size limit (kTooLarge "form.file_too_large") and the scan hook; kInvalid
// "form.file_type" for any other content.
Result<std::string> CheckFile(std::string_view bytes,
                              const std::function<Status(std::string_view)>& scan);

// Queues `note` (account, municipality, language, template, parameters, texts) on each of the
// channels inside tx; nothing without an outbox. Sets queued when it queued any.
Status Tell(const Dependencies& d, db::Tx& tx, const std::vector<notify::Channel>& channels,
            notify::Notification note, int64_t now_ms, bool& queued);

}  // namespace baladiya::cases::internal

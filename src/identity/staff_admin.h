// What a municipal administrator does to a colleague's sign-in besides roles and status: forcing
// a new authenticator. Kept apart from AccountStore so that the store's header stays as it is.
#pragma once

#include <cstdint>

#include "identity/identity.h"

namespace baladiya::identity {

// Removes a member of staff's authenticator and recovery codes and ends their sessions, so that
// their next sign-in enrols a new one (staff must have one). Clears second-factor failures too.
// kInvalid "identity.totp.staff_only" for a resident's account; kNotFound when there is none.
// Audited "account.totp_reset" with the before/after state of the second factor.
Status ResetStaffSecondFactor(db::Database& db, audit::AuditLog* log, int64_t account_id,
                              const AuditContext& ctx, int64_t now_ms);

// Ends every session of a member of staff without disabling them (a device left signed in, a
// suspicion): they sign in again with their password and second factor. Returns how many ended.
// kInvalid "identity.totp.staff_only" for a resident's account; kNotFound when there is none.
// Audited "session.ended_by_admin" (actor the administrator) with the count, even when none.
Result<int64_t> EndStaffSessions(db::Database& db, audit::AuditLog* log, int64_t account_id,
                                 const AuditContext& ctx, int64_t now_ms);

}  // namespace baladiya::identity

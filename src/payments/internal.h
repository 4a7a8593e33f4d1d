// Helpers the payment store's files share (store.cpp defines them); not part of the module's
// public header.
#pragma once

#include <string>

#include "audit/audit.h"
#include "payments/payments.h"
#include "platform/db/database.h"

namespace baladiya::payments::internal {

int YearOf(int64_t ms);
std::string Padded(int64_t n, int width);
// The next number of `kind` ("invoice", "receipt") for the municipality and year, inside tx.
Result<int64_t> NextNumber(db::Tx& tx, int64_t municipality_id, const char* kind, int year);
Status Audit(audit::AuditLog* log, db::Tx& tx, const std::string& actor, const char* action,
             const std::string& object, int64_t municipality_id, const std::string& request_id,
             std::string details, int64_t now_ms);
// Columns of a payment joined with its invoice ("p" and "i"), and the row read back.
extern const char* const kPaymentColumns;
Payment ReadPayment(const db::Row& r);
// The ledger account where a channel's money lands ("cash", "cheques", "card_terminal", "bank",
// "card").
std::string MoneyAccount(const std::string& channel, const std::string& method);
bool Blank(const std::string& s);
Error Invalid(const char* key, const char* field = nullptr);

}  // namespace baladiya::payments::internal

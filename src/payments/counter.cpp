// The counter: cashier sessions, payments into them, and the end-of-day report (payments.h).
#include <map>

#include "payments/internal.h"
#include "payments/payments.h"

namespace baladiya::payments {
namespace {

using namespace internal;  // NOLINT: the store's own helpers

constexpr const char* kSessionColumns =
    "id, municipality_id, cashier_id, cashier, currency, opening_cash_minor, opened_at, "
    "closed_at, counted_cash_minor, expected_cash_minor";

CashierSession ReadSession(const db::Row& r) {
  CashierSession s;
  s.id = r.Int(0);
  s.municipality_id = r.Int(1);
  s.cashier_id = r.Int(2);
  s.cashier = r.Text(3);
  s.currency = r.Text(4);
  s.opening_cash_minor = r.Int(5);
  s.opened_at = r.Int(6);
  s.closed_at = r.Int(7);
  s.counted_cash_minor = r.Int(8);
  s.expected_cash_minor = r.Int(9);
  return s;
}

Result<CashierSession> OneSession(db::Database& db, const char* where, int64_t v) {
  auto rows = db.Query(
      std::string("SELECT ") + kSessionColumns + " FROM payment_cashier_sessions WHERE " + where,
      {v});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.no_session");
  return ReadSession((*rows)[0]);
}

}  // namespace

Result<CashierSession> PaymentStore::OpenSession(int64_t municipality_id, int64_t cashier_id,
                                                 const std::string& cashier,
                                                 int64_t opening_cash_minor,
                                                 const std::string& request_id, int64_t now_ms) {
  if (opening_cash_minor < 0) return Invalid("payments.amount_invalid", "opening_cash");
  CashierSession out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto open =
        tx.Query("SELECT id FROM payment_cashier_sessions WHERE cashier_id = ? AND closed_at = 0",
                 {cashier_id});
    if (!open.ok()) return std::move(open).error();
    if (!open->empty()) return MakeError(ErrorCode::kConflict, "payments.session_already_open");
    auto id = tx.Query(
        "INSERT INTO payment_cashier_sessions (municipality_id, cashier_id, cashier, currency, "
        "opening_cash_minor, opened_at) VALUES (?, ?, ?, 'ILS', ?, ?) RETURNING id",
        {municipality_id, cashier_id, cashier, opening_cash_minor, now_ms});
    if (!id.ok()) return std::move(id).error();
    out.id = (*id)[0].Int(0);
    out.municipality_id = municipality_id;
    out.cashier_id = cashier_id;
    out.cashier = cashier;
    out.opening_cash_minor = opening_cash_minor;
    out.opened_at = now_ms;
    return Audit(audit_, tx, cashier, "cashier.opened", "cashier-session:" + std::to_string(out.id),
                 municipality_id, request_id, "opening=" + std::to_string(opening_cash_minor),
                 now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Result<CashierSession> PaymentStore::OpenSessionOf(int64_t cashier_id) {
  return OneSession(db_, "cashier_id = ? AND closed_at = 0", cashier_id);
}

Result<CashierSession> PaymentStore::GetSession(int64_t session_id) {
  return OneSession(db_, "id = ?", session_id);
}

Result<CashierSession> PaymentStore::CloseSession(int64_t session_id, int64_t cashier_id,
                                                  int64_t counted_cash_minor,
                                                  const std::string& request_id, int64_t now_ms) {
  if (counted_cash_minor < 0) return Invalid("payments.amount_invalid", "counted_cash");
  CashierSession out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(std::string("SELECT ") + kSessionColumns +
                             " FROM payment_cashier_sessions WHERE id = ? AND cashier_id = ?",
                         {session_id, cashier_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.no_session");
    out = ReadSession((*rows)[0]);
    if (out.closed_at != 0) return MakeError(ErrorCode::kConflict, "payments.session_closed");
    auto cash = tx.Query(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM payment_payments WHERE session_id = ? AND "
        "method = 'cash' AND status = 'posted' AND currency = ?",
        {session_id, out.currency});
    if (!cash.ok()) return std::move(cash).error();
    out.expected_cash_minor = out.opening_cash_minor + (*cash)[0].Int(0);
    out.counted_cash_minor = counted_cash_minor;
    out.closed_at = now_ms;
    // The guard settles a close racing a payment: the payment holds the row until it commits.
    auto n = tx.Exec(
        "UPDATE payment_cashier_sessions SET closed_at = ?, counted_cash_minor = ?, "
        "expected_cash_minor = ? WHERE id = ? AND closed_at = 0",
        {now_ms, counted_cash_minor, out.expected_cash_minor, session_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "payments.session_closed");
    return Audit(audit_, tx, out.cashier, "cashier.closed",
                 "cashier-session:" + std::to_string(session_id), out.municipality_id, request_id,
                 "expected=" + std::to_string(out.expected_cash_minor) +
                     " counted=" + std::to_string(counted_cash_minor) +
                     " difference=" + std::to_string(out.Difference()),
                 now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Result<Payment> PaymentStore::PayAtCounter(int64_t session_id, int64_t cashier_id, PaymentInput in,
                                           int64_t now_ms) {
  in.channel = "counter";
  in.external_id.clear();
  in.session_id = session_id;
  return Pay(in, now_ms, [&](db::Tx& tx, const Invoice& inv) -> Status {
    // Touching the row holds it until this payment commits, so a close waits for it.
    auto n = tx.Exec(
        "UPDATE payment_cashier_sessions SET cashier = cashier WHERE id = ? AND cashier_id = ? "
        "AND closed_at = 0 AND municipality_id = ?",
        {session_id, cashier_id, inv.municipality_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "payments.session_closed");
    return Ok();
  });
}

Result<std::vector<Payment>> PaymentStore::PaymentsOfSession(int64_t session_id) {
  auto rows = db_.Query(std::string("SELECT ") + kPaymentColumns +
                            " FROM payment_payments p JOIN payment_invoices i ON i.id = "
                            "p.invoice_id WHERE p.session_id = ? ORDER BY p.id",
                        {session_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Payment> out;
  for (const db::Row& r : *rows) out.push_back(ReadPayment(r));
  return out;
}

Result<std::vector<Payment>> PaymentStore::PaymentsBetween(int64_t municipality_id, int64_t from_ms,
                                                           int64_t to_ms) {
  auto rows = db_.Query(std::string("SELECT ") + kPaymentColumns +
                            " FROM payment_payments p JOIN payment_invoices i ON i.id = "
                            "p.invoice_id WHERE p.municipality_id = ? AND p.created_at >= ? AND "
                            "p.created_at < ? ORDER BY p.id LIMIT 1000",
                        {municipality_id, from_ms, to_ms});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Payment> out;
  for (const db::Row& r : *rows) out.push_back(ReadPayment(r));
  return out;
}

Result<DayReport> PaymentStore::EndOfDay(int64_t municipality_id, int64_t from_ms, int64_t to_ms) {
  DayReport out;
  out.from_ms = from_ms;
  out.to_ms = to_ms;
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "SELECT method, currency, status, COUNT(*), SUM(amount_minor) FROM payment_payments WHERE "
        "municipality_id = ? AND created_at >= ? AND created_at < ? GROUP BY method, currency, "
        "status ORDER BY method, currency",
        {municipality_id, from_ms, to_ms});
    if (!rows.ok()) return std::move(rows).error();
    for (const db::Row& r : *rows) {
      if (r.Text(2) != "posted") {
        out.voided_count += r.Int(3);
        continue;
      }
      out.by_method.push_back({r.Text(0), r.Text(1), r.Int(3), r.Int(4)});
    }
    auto sessions = tx.Query(std::string("SELECT ") + kSessionColumns +
                                 " FROM payment_cashier_sessions WHERE municipality_id = ? AND "
                                 "opened_at >= ? AND opened_at < ? ORDER BY id",
                             {municipality_id, from_ms, to_ms});
    if (!sessions.ok()) return std::move(sessions).error();
    for (const db::Row& r : *sessions) out.sessions.push_back(ReadSession(r));
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

}  // namespace baladiya::payments

// Refunds (payments.h).
#include "payments/internal.h"
#include "payments/payments.h"

namespace baladiya::payments {

using namespace internal;  // NOLINT: the store's own helpers

Result<int64_t> PaymentStore::Refunded(int64_t payment_id) {
  auto rows =
      db_.Query("SELECT COALESCE(SUM(amount_minor), 0) FROM payment_refunds WHERE payment_id = ?",
                {payment_id});
  if (!rows.ok()) return std::move(rows).error();
  return (*rows)[0].Int(0);
}

Status PaymentStore::Refund(int64_t payment_id, int64_t amount_minor, const std::string& reason,
                            const std::string& actor, const std::string& request_id, int64_t now_ms,
                            const std::function<Status(const Payment&)>& through) {
  if (Blank(reason)) return Invalid("payments.reason_required", "reason");
  auto p = GetPayment(payment_id);
  if (!p.ok()) return std::move(p).error();
  if (p->status != "posted") return MakeError(ErrorCode::kConflict, "payments.payment_not_posted");
  auto done = Refunded(payment_id);
  if (!done.ok()) return std::move(done).error();
  const int64_t left = p->amount_minor - *done;
  if (amount_minor <= 0 || amount_minor > left) return Invalid("payments.refund_amount", "amount");
  // The channel first (a card provider's refund): nothing is written when it refuses.
  if (through) {
    if (Status s = through(*p); !s.ok()) return s;
  }
  return db_.Write([&](db::Tx& tx) -> Status {
    // Holding the payment row: two refunds at once cannot both take what is left.
    auto total = tx.Query(
        "UPDATE payment_payments SET status = status WHERE id = ? AND status = 'posted' "
        "RETURNING amount_minor",
        {payment_id});
    if (!total.ok()) return std::move(total).error();
    if (total->empty()) return MakeError(ErrorCode::kConflict, "payments.payment_not_posted");
    auto sum =
        tx.Query("SELECT COALESCE(SUM(amount_minor), 0) FROM payment_refunds WHERE payment_id = ?",
                 {payment_id});
    if (!sum.ok()) return std::move(sum).error();
    const int64_t now_left = p->amount_minor - (*sum)[0].Int(0);
    if (amount_minor > now_left) return Invalid("payments.refund_amount", "amount");
    auto n = tx.Exec(
        "INSERT INTO payment_refunds (municipality_id, payment_id, amount_minor, currency, "
        "channel, reason, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {p->municipality_id, payment_id, amount_minor, p->currency, p->channel,
         reason.substr(0, 500), actor, now_ms});
    if (!n.ok()) return std::move(n).error();
    if (amount_minor == now_left) {
      auto st =
          tx.Exec("UPDATE payment_payments SET status = 'refunded' WHERE id = ?", {payment_id});
      if (!st.ok()) return std::move(st).error();
      // A card payment's attempt says so too (the resident's and staff's card pages read it).
      auto card = tx.Exec(
          "UPDATE payment_card_payments SET state = 'refunded', updated_at = ? WHERE payment_id = "
          "?",
          {now_ms, payment_id});
      if (!card.ok()) return std::move(card).error();
    }
    if (Status s = PostEntries(
            tx, p->municipality_id, p->currency, "refund", p->invoice_id, payment_id,
            {{"revenue", amount_minor, 0}, {MoneyAccount(p->channel, p->method), 0, amount_minor}},
            now_ms);
        !s.ok()) {
      return s;
    }
    auto raised = tx.Query("SELECT created_at FROM payment_invoices WHERE id = ?", {p->invoice_id});
    if (!raised.ok()) return std::move(raised).error();
    if (Status s = Record(tx, {.at = now_ms,
                               .kind = "payment_refunded",
                               .municipality_id = p->municipality_id,
                               .invoice_id = p->invoice_id,
                               .channel = p->channel,
                               .amount_minor = amount_minor,
                               .currency = p->currency,
                               .invoice_at = raised->empty() ? 0 : (*raised)[0].Int(0),
                               .paid_at = p->created_at});
        !s.ok()) {
      return s;
    }
    return Audit(audit_, tx, actor, "payment.refunded", p->receipt_number, p->municipality_id,
                 request_id,
                 "amount=" + std::to_string(amount_minor) + " " + p->currency +
                     " channel=" + p->channel + " reason=" + reason,
                 now_ms);
  });
}

}  // namespace baladiya::payments

// The event feed (payments.h PaymentStore::Feed): what the KPI ledger counts of invoices and
// payments, in the order written.
#include <algorithm>

#include "payments/payments.h"

namespace baladiya::payments {

Status PaymentStore::Record(db::Tx& tx, const FeedEntry& e) {
  auto n = tx.Exec(
      "INSERT INTO payment_feed (at, kind, municipality_id, invoice_id, channel, amount_minor, "
      "currency, invoice_at, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.at, e.kind, e.municipality_id, e.invoice_id, e.channel, e.amount_minor, e.currency,
       e.invoice_at, e.paid_at});
  if (!n.ok()) return std::move(n).error();
  return Ok();
}

Result<std::vector<FeedEntry>> PaymentStore::Feed(db::Tx& tx, int64_t after, int limit) {
  limit = std::clamp(limit, 1, 10'000);
  auto rows = tx.Query(
      "SELECT position, at, kind, municipality_id, invoice_id, channel, amount_minor, currency, "
      "invoice_at, paid_at FROM payment_feed WHERE position > ? ORDER BY position LIMIT ?",
      {after, int64_t{limit}});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<FeedEntry> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4), r.Text(5), r.Int(6),
                   r.Text(7), r.Int(8), r.Int(9)});
  }
  return out;
}

}  // namespace baladiya::payments

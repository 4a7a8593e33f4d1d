// Invoices, payments, voids and the ledger (payments.h).
#include <algorithm>
#include <ctime>

#include "payments/internal.h"
#include "payments/payments.h"
#include "platform/embedded.h"
#include "platform/i18n/arabic.h"

std::span<const baladiya::EmbeddedFile> PaymentsMigrationFiles();

namespace baladiya::payments {
namespace internal {

int YearOf(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

std::string Padded(int64_t n, int width) {
  std::string s = std::to_string(n);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<size_t>(width) - s.size(), '0');
  return s;
}

// The next number of `kind` for the municipality and year, inside tx (gapless: the row stays
// locked until tx ends, and a rollback gives the number back).
Result<int64_t> NextNumber(db::Tx& tx, int64_t municipality_id, const char* kind, int year) {
  auto rows = tx.Query(
      "INSERT INTO payment_counters (municipality_id, kind, year, next) VALUES (?, ?, ?, 1) "
      "ON CONFLICT (municipality_id, kind, year) DO UPDATE SET next = payment_counters.next + 1 "
      "RETURNING next",
      {municipality_id, std::string(kind), int64_t{year}});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "error.internal", "no counter");
  return (*rows)[0].Int(0);
}

Status Audit(audit::AuditLog* log, db::Tx& tx, const std::string& actor, const char* action,
             const std::string& object, int64_t municipality_id, const std::string& request_id,
             std::string details, int64_t now_ms) {
  if (!log) return Ok();
  audit::EntryInput e;
  e.time_ms = now_ms;
  e.actor = actor.empty() ? "system" : actor;
  e.action = action;
  e.object = object;
  e.municipality_id = municipality_id;
  e.request_id = request_id;
  e.details = std::move(details);
  auto appended = log->Append(tx, e);
  if (!appended.ok()) return std::move(appended).error();
  return Ok();
}

InvoiceStatus StatusOf(std::string_view s) {
  if (s == "paid") return InvoiceStatus::kPaid;
  if (s == "void") return InvoiceStatus::kVoid;
  return InvoiceStatus::kOpen;
}

constexpr const char* kInvoiceColumns =
    "id, municipality_id, number, reference, case_id, tracking, account_id, currency, "
    "total_minor, paid_minor, status, created_at, due_at, paid_at, voided_at, void_reason";

Invoice ReadInvoice(const db::Row& r) {
  Invoice i;
  i.id = r.Int(0);
  i.municipality_id = r.Int(1);
  i.number = r.Text(2);
  i.reference = r.Text(3);
  i.case_id = r.Int(4);
  i.tracking = r.Text(5);
  i.account_id = r.Int(6);
  i.currency = r.Text(7);
  i.total_minor = r.Int(8);
  i.paid_minor = r.Int(9);
  i.status = StatusOf(r.Text(10));
  i.created_at = r.Int(11);
  i.due_at = r.Int(12);
  i.paid_at = r.Int(13);
  i.voided_at = r.Int(14);
  i.void_reason = r.Text(15);
  return i;
}

Status ReadLines(db::Tx& tx, Invoice& i) {
  auto rows = tx.Query(
      "SELECT description_ar, description_en, amount_minor FROM payment_invoice_lines WHERE "
      "invoice_id = ? ORDER BY position",
      {i.id});
  if (!rows.ok()) return std::move(rows).error();
  for (const db::Row& r : *rows) i.lines.push_back({{r.Text(0), r.Text(1)}, r.Int(2)});
  return Ok();
}

const char* const kPaymentColumns =
    "p.id, p.municipality_id, p.invoice_id, p.receipt_number, i.number, i.reference, p.channel, "
    "p.method, p.external_id, p.amount_minor, p.currency, p.status, p.session_id, p.created_at, "
    "p.voided_at, p.void_reason";

Payment ReadPayment(const db::Row& r) {
  Payment p;
  p.id = r.Int(0);
  p.municipality_id = r.Int(1);
  p.invoice_id = r.Int(2);
  p.receipt_number = r.Text(3);
  p.invoice_number = r.Text(4);
  p.reference = r.Text(5);
  p.channel = r.Text(6);
  p.method = r.Text(7);
  p.external_id = r.Text(8);
  p.amount_minor = r.Int(9);
  p.currency = r.Text(10);
  p.status = r.Text(11);
  p.session_id = r.Int(12);
  p.created_at = r.Int(13);
  p.voided_at = r.Int(14);
  p.void_reason = r.Text(15);
  return p;
}

// The ledger account where a channel's money lands.
std::string MoneyAccount(const std::string& channel, const std::string& method) {
  if (channel == "counter") {
    if (method == "cheque") return "cheques";
    if (method == "card_terminal") return "card_terminal";
    return "cash";
  }
  return channel;  // "bank", "card"
}

bool ValidMethod(const std::string& channel, const std::string& method) {
  if (channel == "counter")
    return method == "cash" || method == "cheque" || method == "card_terminal";
  if (channel == "bank") return method == "bank";
  if (channel == "card") return method == "card";
  return false;
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

Error Invalid(const char* key, const char* field) {
  Error e = MakeError(ErrorCode::kInvalid, key);
  if (field) e.fields[field] = key;
  return e;
}

}  // namespace internal

using namespace internal;  // NOLINT: this file's own helpers
namespace {
constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;
}  // namespace

std::string_view InvoiceStatusName(InvoiceStatus s) {
  switch (s) {
    case InvoiceStatus::kOpen:
      return "open";
    case InvoiceStatus::kPaid:
      return "paid";
    case InvoiceStatus::kVoid:
      return "void";
  }
  return "open";
}

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(PaymentsMigrationFiles()); }

PaymentStore::PaymentStore(db::Database& db, const crypto::Key32& blind_index,
                           audit::AuditLog* audit)
    : db_(db), blind_index_(crypto::DeriveKey(blind_index, 1, "payments")), audit_(audit) {}

std::string PaymentStore::NationalIdIndex(std::string_view national_id) const {
  std::string digits;
  for (char c : i18n::ToWesternDigits(national_id)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return crypto::ToHex(crypto::HmacSha256(blind_index_, digits));
}

Status PaymentStore::PostEntries(db::Tx& tx, int64_t municipality_id, const std::string& currency,
                                 const std::string& kind, int64_t invoice_id, int64_t payment_id,
                                 const std::vector<LedgerEntry>& entries, int64_t now_ms) {
  int64_t debits = 0;
  int64_t credits = 0;
  for (const LedgerEntry& e : entries) {
    if (e.debit_minor < 0 || e.credit_minor < 0 || (e.debit_minor != 0 && e.credit_minor != 0)) {
      return MakeError(ErrorCode::kInternal, "error.internal", "a malformed ledger entry");
    }
    debits += e.debit_minor;
    credits += e.credit_minor;
  }
  if (entries.empty() || debits != credits) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     "unbalanced ledger entries for " + kind);
  }
  for (const LedgerEntry& e : entries) {
    auto n = tx.Exec(
        "INSERT INTO payment_ledger (municipality_id, currency, kind, invoice_id, payment_id, "
        "account, debit_minor, credit_minor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {municipality_id, currency, kind, invoice_id, payment_id, e.account, e.debit_minor,
         e.credit_minor, now_ms});
    if (!n.ok()) return std::move(n).error();
  }
  return Ok();
}

Result<bool> PaymentStore::Accepts(int64_t municipality_id, std::string_view currency) {
  if (currency == "ILS") return true;
  if (currency != "JOD") return false;
  auto rows = db_.Query("SELECT accepts_jod FROM payment_settings WHERE municipality_id = ?",
                        {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty() && (*rows)[0].Int(0) != 0;
}

Status PaymentStore::SetAcceptsJod(int64_t municipality_id, bool accepts) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "INSERT INTO payment_settings (municipality_id, accepts_jod) VALUES (?, ?) "
        "ON CONFLICT (municipality_id) DO UPDATE SET accepts_jod = excluded.accepts_jod",
        {municipality_id, int64_t{accepts ? 1 : 0}});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
}

Result<Invoice> PaymentStore::Raise(db::Tx& tx, const InvoiceRequest& in, int64_t now_ms) {
  if (in.lines.empty()) return Invalid("payments.no_lines");
  int64_t total = 0;
  for (const InvoiceLine& l : in.lines) {
    if (l.amount_minor < 0) return Invalid("payments.no_lines");
    total += l.amount_minor;
  }
  if (in.currency == "JOD") {
    auto jod = tx.Query("SELECT accepts_jod FROM payment_settings WHERE municipality_id = ?",
                        {in.municipality_id});
    if (!jod.ok()) return std::move(jod).error();
    if (jod->empty() || (*jod)[0].Int(0) == 0) return Invalid("payments.currency_not_accepted");
  } else if (in.currency != "ILS") {
    return Invalid("payments.currency_not_accepted");
  }
  const int year = YearOf(now_ms);
  auto seq = NextNumber(tx, in.municipality_id, "invoice", year);
  if (!seq.ok()) return std::move(seq).error();
  std::string prefix = in.prefix.empty() ? "MUN" : in.prefix;
  Invoice inv;
  inv.municipality_id = in.municipality_id;
  inv.number = "INV-" + prefix + "-" + std::to_string(year) + "-" + Padded(*seq, 6);
  // Prefix, two-digit year, municipality id and sequence: unique across municipalities.
  inv.reference = CreditorReference(prefix + Padded(year % 100, 2) + Padded(in.municipality_id, 3) +
                                    Padded(*seq, 6));
  inv.case_id = in.case_id;
  inv.tracking = in.tracking;
  inv.account_id = in.account_id;
  inv.currency = in.currency;
  inv.total_minor = total;
  inv.status = InvoiceStatus::kOpen;
  inv.created_at = now_ms;
  inv.due_at = now_ms + kInvoiceDueDays * kDayMs;
  inv.lines = in.lines;
  auto id = tx.Query(
      "INSERT INTO payment_invoices (municipality_id, number, reference, case_id, tracking, "
      "account_id, currency, total_minor, status, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
      "?, 'open', ?, ?) RETURNING id",
      {inv.municipality_id, inv.number, inv.reference, inv.case_id, inv.tracking, inv.account_id,
       inv.currency, inv.total_minor, inv.created_at, inv.due_at});
  if (!id.ok()) return std::move(id).error();
  inv.id = (*id)[0].Int(0);
  for (size_t i = 0; i < in.lines.size(); ++i) {
    auto n = tx.Exec(
        "INSERT INTO payment_invoice_lines (invoice_id, position, description_ar, description_en, "
        "amount_minor) VALUES (?, ?, ?, ?, ?)",
        {inv.id, static_cast<int64_t>(i), in.lines[i].description.ar, in.lines[i].description.en,
         in.lines[i].amount_minor});
    if (!n.ok()) return std::move(n).error();
  }
  if (total > 0) {
    if (Status s = PostEntries(tx, inv.municipality_id, inv.currency, "invoice", inv.id, 0,
                               {{"receivable", total, 0}, {"revenue", 0, total}}, now_ms);
        !s.ok()) {
      return std::move(s).error();
    }
  }
  if (Status s = Record(tx, {.at = now_ms,
                             .kind = "invoice_raised",
                             .municipality_id = inv.municipality_id,
                             .invoice_id = inv.id,
                             .amount_minor = total,
                             .currency = inv.currency,
                             .invoice_at = now_ms});
      !s.ok()) {
    return std::move(s).error();
  }
  if (Status s = Audit(
          audit_, tx, "system", "invoice.raised", inv.number, inv.municipality_id, "",
          "case=" + inv.tracking + " total=" + std::to_string(total) + " " + inv.currency, now_ms);
      !s.ok()) {
    return std::move(s).error();
  }
  return inv;
}

Result<Invoice> PaymentStore::LoadInvoice(db::Tx& tx, std::string_view where,
                                          const db::Params& params) {
  auto rows = tx.Query(std::string("SELECT ") + kInvoiceColumns + " FROM payment_invoices WHERE " +
                           std::string(where),
                       params);
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.unknown_reference");
  Invoice inv = ReadInvoice((*rows)[0]);
  if (Status s = ReadLines(tx, inv); !s.ok()) return std::move(s).error();
  return inv;
}

Result<Invoice> PaymentStore::Get(int64_t invoice_id) {
  Result<Invoice> out = MakeError(ErrorCode::kNotFound, "payments.unknown_reference");
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    out = LoadInvoice(tx, "id = ?", {invoice_id});
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Result<Invoice> PaymentStore::Find(std::string_view reference_or_number) {
  std::string key;
  if (auto ref = ParseCreditorReference(reference_or_number)) {
    key = *ref;
  } else {
    for (char c : i18n::ToWesternDigits(reference_or_number)) {
      if (c != ' ') key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  if (key.empty() || key.size() > 64) {
    return MakeError(ErrorCode::kNotFound, "payments.unknown_reference");
  }
  Result<Invoice> out = MakeError(ErrorCode::kNotFound, "payments.unknown_reference");
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    out = LoadInvoice(tx, "reference = ? OR number = ?", {key, key});
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

namespace {
Result<std::vector<Invoice>> ListInvoices(db::Database& db, const std::string& where,
                                          int64_t param) {
  std::vector<Invoice> out;
  Status s = db.Read([&](db::Tx& tx) -> Status {
    auto rows =
        tx.Query(std::string("SELECT ") + kInvoiceColumns + " FROM payment_invoices WHERE " +
                     where + " ORDER BY id DESC LIMIT 200",
                 {param});
    if (!rows.ok()) return std::move(rows).error();
    for (const db::Row& r : *rows) {
      out.push_back(ReadInvoice(r));
      if (Status st = ReadLines(tx, out.back()); !st.ok()) return st;
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}
}  // namespace

Result<std::vector<Invoice>> PaymentStore::OfCase(int64_t case_id) {
  return ListInvoices(db_, "case_id = ?", case_id);
}

Result<std::vector<Invoice>> PaymentStore::OfAccount(int64_t account_id) {
  return ListInvoices(db_, "account_id = ?", account_id);
}

Result<Payment> PaymentStore::Pay(const PaymentInput& in, int64_t now_ms,
                                  const std::function<Status(db::Tx&, const Invoice&)>& in_tx) {
  if (!ValidMethod(in.channel, in.method)) return Invalid("payments.bad_method", "method");
  const std::string channel_key =
      in.external_id.empty() ? std::string() : in.channel + ":" + in.external_id;
  Payment out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    if (!channel_key.empty()) {
      auto seen = tx.Query(std::string("SELECT ") + kPaymentColumns +
                               " FROM payment_payments p JOIN payment_invoices i ON i.id = "
                               "p.invoice_id WHERE p.channel_key = ?",
                           {channel_key});
      if (!seen.ok()) return std::move(seen).error();
      if (!seen->empty()) {
        out = ReadPayment((*seen)[0]);
        if (out.amount_minor != in.amount_minor || out.currency != in.currency) {
          return MakeError(ErrorCode::kConflict, "payments.external_id_reused",
                           "the same transaction id with other details");
        }
        out.replayed = true;
        return Ok();
      }
    }
    std::string key;
    if (auto ref = ParseCreditorReference(in.reference)) {
      key = *ref;
    } else {
      for (char c : i18n::ToWesternDigits(in.reference)) {
        if (c != ' ') key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
    }
    if (key.empty()) return Invalid("payments.unknown_reference", "reference");
    auto inv = LoadInvoice(tx, "reference = ? OR number = ?", {key, key});
    if (!inv.ok()) return std::move(inv).error();
    if (inv->status == InvoiceStatus::kPaid) {
      return MakeError(ErrorCode::kConflict, "payments.already_paid");
    }
    if (inv->status == InvoiceStatus::kVoid) {
      return MakeError(ErrorCode::kConflict, "payments.invoice_void");
    }
    if (in.currency != inv->currency) return Invalid("payments.wrong_currency", "currency");
    if (in.amount_minor != inv->total_minor) return Invalid("payments.wrong_amount", "amount");
    if (in_tx) {
      if (Status st = in_tx(tx, *inv); !st.ok()) return st;
    }
    // The status guard settles two payments of the same invoice at once: one changes the row.
    auto n = tx.Exec(
        "UPDATE payment_invoices SET status = 'paid', paid_minor = ?, paid_at = ? WHERE id = ? "
        "AND status = 'open'",
        {in.amount_minor, now_ms, inv->id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "payments.already_paid");
    const int year = YearOf(now_ms);
    auto seq = NextNumber(tx, inv->municipality_id, "receipt", year);
    if (!seq.ok()) return std::move(seq).error();
    const std::string prefix = inv->number.size() > 4
                                   ? inv->number.substr(4, inv->number.find('-', 4) - 4)
                                   : std::string("MUN");
    out = Payment{};
    out.municipality_id = inv->municipality_id;
    out.invoice_id = inv->id;
    out.receipt_number = "RCP-" + prefix + "-" + std::to_string(year) + "-" + Padded(*seq, 6);
    out.invoice_number = inv->number;
    out.reference = inv->reference;
    out.channel = in.channel;
    out.method = in.method;
    out.external_id = in.external_id;
    out.amount_minor = in.amount_minor;
    out.currency = in.currency;
    out.status = "posted";
    out.session_id = in.session_id;
    out.created_at = now_ms;
    auto id = tx.Query(
        "INSERT INTO payment_payments (municipality_id, invoice_id, receipt_number, channel, "
        "method, external_id, channel_key, amount_minor, currency, status, session_id, actor, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'posted', ?, ?, ?) RETURNING id",
        {out.municipality_id, out.invoice_id, out.receipt_number, out.channel, out.method,
         out.external_id, channel_key.empty() ? db::Value(nullptr) : db::Value(channel_key),
         out.amount_minor, out.currency, out.session_id,
         in.actor.empty() ? std::string("system") : in.actor, now_ms});
    if (!id.ok()) return std::move(id).error();
    out.id = (*id)[0].Int(0);
    if (out.amount_minor > 0) {
      if (Status st = PostEntries(tx, out.municipality_id, out.currency, "payment", inv->id, out.id,
                                  {{MoneyAccount(in.channel, in.method), out.amount_minor, 0},
                                   {"receivable", 0, out.amount_minor}},
                                  now_ms);
          !st.ok()) {
        return st;
      }
    }
    if (Status st = Record(tx, {.at = now_ms,
                                .kind = "payment_posted",
                                .municipality_id = out.municipality_id,
                                .invoice_id = inv->id,
                                .channel = out.channel,
                                .amount_minor = out.amount_minor,
                                .currency = out.currency,
                                .invoice_at = inv->created_at,
                                .paid_at = now_ms});
        !st.ok()) {
      return st;
    }
    if (Status st =
            Audit(audit_, tx, in.actor, "payment.posted", out.receipt_number, out.municipality_id,
                  in.request_id,
                  "invoice=" + inv->number + " channel=" + in.channel + " method=" + in.method +
                      " amount=" + std::to_string(out.amount_minor) + " " + out.currency,
                  now_ms);
        !st.ok()) {
      return st;
    }
    Invoice paid = *inv;
    paid.status = InvoiceStatus::kPaid;
    paid.paid_minor = in.amount_minor;
    paid.paid_at = now_ms;
    if (paid_) return paid_(tx, paid, now_ms);
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (!out.replayed && paid_ && after_paid_) after_paid_();
  return out;
}

namespace {
Result<Payment> OnePayment(db::Database& db, const char* where, const db::Value& v) {
  auto rows = db.Query(std::string("SELECT ") + kPaymentColumns +
                           " FROM payment_payments p JOIN payment_invoices i ON i.id = "
                           "p.invoice_id WHERE " +
                           where,
                       {v});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.unknown_payment");
  return ReadPayment((*rows)[0]);
}
}  // namespace

Result<Payment> PaymentStore::GetPayment(int64_t payment_id) {
  return OnePayment(db_, "p.id = ?", payment_id);
}

Result<Payment> PaymentStore::FindExternal(const std::string& channel,
                                           const std::string& external_id) {
  return OnePayment(db_, "p.channel_key = ?", channel + ":" + external_id);
}

Result<Payment> PaymentStore::FindReceipt(std::string_view receipt_number) {
  return OnePayment(db_, "p.receipt_number = ?", std::string(receipt_number));
}

Result<std::vector<Payment>> PaymentStore::PaymentsOf(int64_t invoice_id) {
  auto rows = db_.Query(std::string("SELECT ") + kPaymentColumns +
                            " FROM payment_payments p JOIN payment_invoices i ON i.id = "
                            "p.invoice_id WHERE p.invoice_id = ? ORDER BY p.id",
                        {invoice_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Payment> out;
  for (const db::Row& r : *rows) out.push_back(ReadPayment(r));
  return out;
}

Status PaymentStore::VoidInvoice(int64_t invoice_id, const std::string& reason,
                                 const std::string& actor, const std::string& request_id,
                                 int64_t now_ms) {
  if (Blank(reason)) return Invalid("payments.reason_required", "reason");
  return db_.Write([&](db::Tx& tx) -> Status {
    auto inv = LoadInvoice(tx, "id = ?", {invoice_id});
    if (!inv.ok()) return std::move(inv).error();
    auto n = tx.Exec(
        "UPDATE payment_invoices SET status = 'void', voided_at = ?, void_reason = ? WHERE id = ? "
        "AND status = 'open'",
        {now_ms, reason.substr(0, 500), invoice_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) {
      return MakeError(ErrorCode::kConflict, inv->status == InvoiceStatus::kVoid
                                                 ? "payments.invoice_void"
                                                 : "payments.already_paid");
    }
    if (inv->total_minor > 0) {
      if (Status st = PostEntries(
              tx, inv->municipality_id, inv->currency, "invoice_void", inv->id, 0,
              {{"revenue", inv->total_minor, 0}, {"receivable", 0, inv->total_minor}}, now_ms);
          !st.ok()) {
        return st;
      }
    }
    if (Status st = Record(tx, {.at = now_ms,
                                .kind = "invoice_voided",
                                .municipality_id = inv->municipality_id,
                                .invoice_id = inv->id,
                                .amount_minor = inv->total_minor,
                                .currency = inv->currency,
                                .invoice_at = inv->created_at});
        !st.ok()) {
      return st;
    }
    return Audit(audit_, tx, actor, "invoice.voided", inv->number, inv->municipality_id, request_id,
                 "reason=" + reason, now_ms);
  });
}

Status PaymentStore::VoidPayment(int64_t payment_id, const std::string& reason,
                                 const std::string& actor, const std::string& request_id,
                                 int64_t now_ms) {
  if (Blank(reason)) return Invalid("payments.reason_required", "reason");
  return db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(std::string("SELECT ") + kPaymentColumns +
                             " FROM payment_payments p JOIN payment_invoices i ON i.id = "
                             "p.invoice_id WHERE p.id = ?",
                         {payment_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.unknown_payment");
    const Payment p = ReadPayment((*rows)[0]);
    auto n = tx.Exec(
        "UPDATE payment_payments SET status = 'voided', voided_at = ?, void_reason = ? WHERE id = "
        "? AND status = 'posted'",
        {now_ms, reason.substr(0, 500), payment_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "payments.payment_not_posted");
    auto reopened = tx.Exec(
        "UPDATE payment_invoices SET status = 'open', paid_minor = 0, paid_at = 0 WHERE id = ? "
        "AND status = 'paid'",
        {p.invoice_id});
    if (!reopened.ok()) return std::move(reopened).error();
    if (p.amount_minor > 0) {
      if (Status st =
              PostEntries(tx, p.municipality_id, p.currency, "payment_void", p.invoice_id, p.id,
                          {{"receivable", p.amount_minor, 0},
                           {MoneyAccount(p.channel, p.method), 0, p.amount_minor}},
                          now_ms);
          !st.ok()) {
        return st;
      }
    }
    auto raised = tx.Query("SELECT created_at FROM payment_invoices WHERE id = ?", {p.invoice_id});
    if (!raised.ok()) return std::move(raised).error();
    if (Status st = Record(tx, {.at = now_ms,
                                .kind = "payment_voided",
                                .municipality_id = p.municipality_id,
                                .invoice_id = p.invoice_id,
                                .channel = p.channel,
                                .amount_minor = p.amount_minor,
                                .currency = p.currency,
                                .invoice_at = raised->empty() ? 0 : (*raised)[0].Int(0),
                                .paid_at = p.created_at});
        !st.ok()) {
      return st;
    }
    return Audit(audit_, tx, actor, "payment.voided", p.receipt_number, p.municipality_id,
                 request_id, "reason=" + reason, now_ms);
  });
}

Result<bool> PaymentStore::Owes(int64_t municipality_id, const Debtor& who) {
  Result<bool> out = false;
  Status st = db_.Read([&](db::Tx& tx) -> Status {
    out = Owes(tx, municipality_id, who);
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return out;
}

Result<bool> PaymentStore::Owes(db::Tx& tx, int64_t municipality_id, const Debtor& who) {
  if (who.account_id != 0) {
    auto rows = tx.Query(
        "SELECT 1 FROM payment_invoices WHERE municipality_id = ? AND account_id = ? AND status = "
        "'open' LIMIT 1",
        {municipality_id, who.account_id});
    if (!rows.ok()) return std::move(rows).error();
    if (!rows->empty()) return true;
  }
  if (!who.national_id.empty()) {
    auto rows = tx.Query(
        "SELECT 1 FROM payment_dues d JOIN payment_invoices i ON i.id = d.invoice_id WHERE "
        "d.municipality_id = ? AND d.national_id_index = ? AND i.status = 'open' LIMIT 1",
        {municipality_id, NationalIdIndex(who.national_id)});
    if (!rows.ok()) return std::move(rows).error();
    if (!rows->empty()) return true;
  }
  return false;
}

Result<std::string> PaymentStore::LedgerCsv(int64_t municipality_id) {
  auto rows = db_.Query(
      "SELECT l.id, l.at, l.kind, COALESCE(i.number, ''), COALESCE(p.receipt_number, ''), "
      "l.account, l.currency, l.debit_minor, l.credit_minor FROM payment_ledger l LEFT JOIN "
      "payment_invoices i ON i.id = l.invoice_id LEFT JOIN payment_payments p ON p.id = "
      "l.payment_id WHERE l.municipality_id = ? ORDER BY l.id",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::string out = "id,at,kind,invoice,receipt,account,currency,debit_minor,credit_minor\r\n";
  for (const db::Row& r : *rows) {
    out += std::to_string(r.Int(0)) + "," + i18n::FormatIsoUtc(r.Int(1)) + "," + r.Text(2) + "," +
           r.Text(3) + "," + r.Text(4) + "," + r.Text(5) + "," + r.Text(6) + "," +
           std::to_string(r.Int(7)) + "," + std::to_string(r.Int(8)) + "\r\n";
  }
  return out;
}

Result<std::vector<AccountBalance>> PaymentStore::TrialBalance(int64_t municipality_id) {
  auto rows = db_.Query(
      "SELECT account, currency, SUM(debit_minor), SUM(credit_minor) FROM payment_ledger WHERE "
      "(? = 0 OR municipality_id = ?) GROUP BY account, currency ORDER BY currency, account",
      {municipality_id, municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<AccountBalance> out;
  for (const db::Row& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3)});
  return out;
}

}  // namespace baladiya::payments

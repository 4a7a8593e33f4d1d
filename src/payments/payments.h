// payments: invoices for case fees, payments through the counter (and later banks and card
// providers), receipts, and a double-entry ledger per municipality.
//
// An invoice is raised when a case enters a workflow state that awaits payment
// (workflow::State::awaits_payment), inside that change's transaction. It carries lines (the
// service's base fee and each fee rule that matched the answers), a total in minor units and a
// currency (the service's: ILS, or JOD where the municipality accepts it), a due date, a number
// per municipality and year without gaps ("INV-HEB-2026-000001": the counter advances in the
// invoice's transaction, so a rolled-back change leaves no hole; a voided invoice keeps its
// number), and a payment reference with check digits (ISO 11649 "RF" creditor reference) that a
// resident gives at a bank or a counter.
//
// The ledger: every invoice, payment, void and refund writes a set of entries whose debits equal
// their credits, in the transaction of the change (PostEntries refuses an unbalanced set, a bug).
// Accounts: "receivable" (what residents owe), "revenue" (fees earned), "cash", "cheques",
// "card_terminal", "bank", "card" (where the money is, by channel).
//
// Paying an invoice in full moves its case on by itself: the store calls the `paid` hook inside
// the payment's transaction (the module wires it to cases' TransitionInTx, taking the state's
// workflow::kPaidAction transition), so the case moves if and only if the payment commits.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "catalog/form_schema.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/result.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::payments {

// ---- payment references -----------------------------------------------------------------------

// The ISO 11649 creditor reference of `body` (1..21 of [A-Z0-9]): "RF", two check digits
// (ISO 7064 MOD 97-10) and the body: "RF18HEB26000001".
std::string CreditorReference(std::string_view body);
// The reference as stored (upper case, no spaces) when `text` is a well-formed reference whose
// check digits are right (spaces and lower case accepted, as people type it); nullopt otherwise.
std::optional<std::string> ParseCreditorReference(std::string_view text);

// ---- invoices
// ------------------------------------------------------------------------------------

struct InvoiceLine {
  catalog::Text description;
  int64_t amount_minor = 0;
};

enum class InvoiceStatus { kOpen, kPaid, kVoid };
std::string_view InvoiceStatusName(InvoiceStatus s);  // "open", "paid", "void"

struct Invoice {
  int64_t id = 0;  // internal
  int64_t municipality_id = 0;
  std::string number;     // "INV-HEB-2026-000001"
  std::string reference;  // "RF..": what a resident gives to pay
  int64_t case_id = 0;    // 0 for an invoice not raised by a case
  std::string tracking;
  int64_t account_id = 0;  // who owes it
  std::string currency;    // "ILS", "JOD"
  int64_t total_minor = 0;
  int64_t paid_minor = 0;
  InvoiceStatus status = InvoiceStatus::kOpen;
  int64_t created_at = 0;
  int64_t due_at = 0;
  int64_t paid_at = 0;
  int64_t voided_at = 0;
  std::string void_reason;
  std::vector<InvoiceLine> lines;
};

// Days from an invoice's issue to its due date.
inline constexpr int kInvoiceDueDays = 30;

// What raises an invoice.
struct InvoiceRequest {
  int64_t municipality_id = 0;
  std::string prefix;  // the municipality's tracking prefix, "HEB"
  int64_t case_id = 0;
  std::string tracking;
  int64_t account_id = 0;
  std::string currency;
  std::vector<InvoiceLine> lines;  // the total is their sum; at least one, none negative
};

// The lines of a service's fee for the answers: the base fee (when not 0, described as `base`)
// and one line per matching rule (named after the rule's field label from the form), as
// catalog::ComputeFee counts them. Lines of 0 are left out; a fee of 0 gives no lines.
std::vector<InvoiceLine> FeeLines(const catalog::Fee& fee, const catalog::FormSchema& form,
                                  const catalog::Answers& answers, const catalog::Text& base);

// ---- payments --------------------------------------------------------------------------------

// How money came in: "counter" (cash, cheque, card_terminal), "bank" (by reference), "card"
// (online).
struct PaymentInput {
  std::string reference;  // the invoice's payment reference (or its number)
  int64_t amount_minor = 0;
  std::string currency;
  std::string channel = "counter";
  std::string method = "cash";  // counter: cash, cheque, card_terminal; bank: bank; card: card
  // The channel's own id of the payment (a bank's transaction id): a second payment with the same
  // channel and external id returns the first (idempotent). Empty at the counter.
  std::string external_id;
  int64_t session_id = 0;  // the cashier session (counter)
  std::string actor;       // pseudonym of who records it, or "system"
  std::string request_id;
};

struct Payment {
  int64_t id = 0;
  int64_t municipality_id = 0;
  int64_t invoice_id = 0;
  std::string receipt_number;  // "RCP-HEB-2026-000001", per municipality and year, no gaps
  std::string invoice_number;
  std::string reference;
  std::string channel;
  std::string method;
  std::string external_id;
  int64_t amount_minor = 0;
  std::string currency;
  std::string status;  // "posted", "voided", "refunded"
  int64_t session_id = 0;
  int64_t created_at = 0;
  int64_t voided_at = 0;
  std::string void_reason;
  bool replayed = false;  // set by Pay when the external id had been posted before
};

// ---- the ledger ------------------------------------------------------------------------------

struct LedgerEntry {
  std::string account;  // "receivable", "revenue", "cash", ...
  int64_t debit_minor = 0;
  int64_t credit_minor = 0;
};

// One account's totals (the trial balance).
struct AccountBalance {
  std::string account;
  std::string currency;
  int64_t debit_minor = 0;
  int64_t credit_minor = 0;
};

// ---- what residents owe (for clearance certificates) -----------------------------------------

struct Debtor {
  int64_t account_id = 0;   // 0: not known
  std::string national_id;  // empty: not known; compared through a keyed blind index
};

// ---- the counter -------------------------------------------------------------------------------

// A cashier's session: opened with the cash in the drawer, closed with the cash counted. What the
// drawer should hold is the opening cash plus the session's cash payments still posted.
struct CashierSession {
  int64_t id = 0;
  int64_t municipality_id = 0;
  int64_t cashier_id = 0;
  std::string cashier;  // pseudonym
  std::string currency = "ILS";
  int64_t opening_cash_minor = 0;
  int64_t opened_at = 0;
  int64_t closed_at = 0;  // 0 while open
  int64_t counted_cash_minor = 0;
  int64_t expected_cash_minor = 0;
  int64_t Difference() const { return counted_cash_minor - expected_cash_minor; }
};

// One method's payments in a report.
struct MethodTotal {
  std::string method;  // cash, cheque, card_terminal, bank, card
  std::string currency;
  int64_t count = 0;
  int64_t total_minor = 0;
};

// The end-of-day report of a municipality: payments posted in [from, to) by method (voided ones
// apart), and the sessions opened then with their differences.
struct DayReport {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::vector<MethodTotal> by_method;
  int64_t voided_count = 0;
  std::vector<CashierSession> sessions;
};

// ---- reconciliation -----------------------------------------------------------------------------

// One entry of a bank statement as stored, with what it was matched to.
struct StatementEntry {
  int64_t id = 0;
  std::string entry_ref;  // the bank's id of the entry (AcctSvcrRef, else NtryRef)
  std::string booked;     // YYYY-MM-DD
  bool credit = true;
  int64_t amount_minor = 0;
  std::string currency;
  std::string reference;  // the remittance reference (RF...) or unstructured text
  int64_t payment_id = 0;
  std::string receipt_number;  // of the matched payment
  std::string status;          // "matched", "unmatched", "marked"
  std::string note;
};

struct Reconciliation {
  int entries = 0;
  int matched = 0;
  int unmatched = 0;
};

// ---- the event feed ----------------------------------------------------------------------------

// One entry of the feed (PaymentStore::Feed) that a counting reader (the KPI ledger) follows by
// position, written in the transaction of the change it records. No personal data: no payer, no
// reference, no receipt.
struct FeedEntry {
  int64_t position = 0;  // increasing; on PostgreSQL a lower one may commit after a higher one
  int64_t at = 0;
  // "invoice_raised", "invoice_voided", "payment_posted", "payment_voided", "payment_refunded"
  std::string kind;
  int64_t municipality_id = 0;
  int64_t invoice_id = 0;
  std::string channel;       // payment_*: "counter", "bank", "card"; empty for an invoice's
  int64_t amount_minor = 0;  // the invoice's total, the payment's, or the refund's amount
  std::string currency;
  int64_t invoice_at = 0;  // when the invoice was raised
  int64_t paid_at = 0;     // payment_*: when the payment was posted
};

// Called inside a payment's transaction once an invoice is paid in full (the module moves the
// invoice's case on); an error rolls the payment back.
using PaidHook = std::function<Status(db::Tx&, const Invoice&, int64_t now_ms)>;

// Thread-safe; every call that writes runs in one transaction (or in the caller's, when given).
class PaymentStore {
 public:
  PaymentStore(db::Database& db, const crypto::Key32& blind_index, audit::AuditLog* audit);

  // Set while the program is assembled (module open), before any payment; `after` runs after a
  // payment that ran the hook has committed (waking notify).
  void SetPaidHook(PaidHook hook, std::function<void()> after = {}) {
    paid_ = std::move(hook);
    after_paid_ = std::move(after);
  }

  // Raises an invoice inside tx: the next number of the municipality and year, its reference,
  // lines, ledger entries (receivable / revenue) and audit entry "invoice.raised". kInvalid
  // "payments.no_lines" without lines or with a negative one, "payments.currency_not_accepted"
  // when the municipality does not accept the currency.
  Result<Invoice> Raise(db::Tx& tx, const InvoiceRequest& in, int64_t now_ms);

  Result<Invoice> Get(int64_t invoice_id);
  // By payment reference or invoice number (as people type them); kNotFound.
  Result<Invoice> Find(std::string_view reference_or_number);
  // The case's invoices, newest first.
  Result<std::vector<Invoice>> OfCase(int64_t case_id);
  // The account's invoices in every municipality, newest first.
  Result<std::vector<Invoice>> OfAccount(int64_t account_id);

  // Records a payment of an open invoice in full, in one transaction: the payment with its receipt
  // number, ledger entries (channel account / receivable), the invoice marked paid, the audit
  // entry "payment.posted", and the paid hook (its case moves on). Refusals write nothing:
  // kNotFound "payments.unknown_reference"; kConflict "payments.already_paid",
  // "payments.invoice_void"; kInvalid "payments.wrong_amount", "payments.wrong_currency",
  // "payments.bad_method"; a repeated (channel, external_id) returns the first payment with
  // replayed set. `in_tx` (optional) runs in the same transaction before the payment is written
  // (e.g. checking that a cashier session is open).
  Result<Payment> Pay(const PaymentInput& in, int64_t now_ms,
                      const std::function<Status(db::Tx&, const Invoice&)>& in_tx = {});

  Result<Payment> GetPayment(int64_t payment_id);
  // The payment a channel posted under its own id (Pay's external_id); kNotFound
  // "payments.unknown_payment".
  Result<Payment> FindExternal(const std::string& channel, const std::string& external_id);
  Result<Payment> FindReceipt(std::string_view receipt_number);
  Result<std::vector<Payment>> PaymentsOf(int64_t invoice_id);

  // Voids an open invoice (its number is kept): ledger entries reversing it, audit
  // "invoice.voided". kConflict "payments.already_paid" / "payments.invoice_void"; kInvalid
  // "payments.reason_required".
  Status VoidInvoice(int64_t invoice_id, const std::string& reason, const std::string& actor,
                     const std::string& request_id, int64_t now_ms);

  // Voids a posted payment (a department head's correction): the invoice is open again, ledger
  // entries reversing the payment, audit "payment.voided". The case stays where it is. kConflict
  // "payments.payment_not_posted"; kInvalid "payments.reason_required".
  Status VoidPayment(int64_t payment_id, const std::string& reason, const std::string& actor,
                     const std::string& request_id, int64_t now_ms);

  // ---- the counter (counter.cpp) ------------------------------------------------------------
  // Opens a session for the cashier with the cash in the drawer; audit "cashier.opened".
  // kConflict "payments.session_already_open"; kInvalid "payments.amount_invalid" when negative.
  Result<CashierSession> OpenSession(int64_t municipality_id, int64_t cashier_id,
                                     const std::string& cashier, int64_t opening_cash_minor,
                                     const std::string& request_id, int64_t now_ms);
  // The cashier's open session; kNotFound "payments.no_session".
  Result<CashierSession> OpenSessionOf(int64_t cashier_id);
  Result<CashierSession> GetSession(int64_t session_id);
  // Closes the cashier's session with the cash counted; audit "cashier.closed" with the
  // difference. kConflict "payments.session_closed"; kNotFound for another cashier's session.
  Result<CashierSession> CloseSession(int64_t session_id, int64_t cashier_id,
                                      int64_t counted_cash_minor, const std::string& request_id,
                                      int64_t now_ms);
  // A payment at the counter into the cashier's open session (Pay with channel "counter"):
  // kConflict "payments.session_closed" when the session is closed (nothing is written).
  Result<Payment> PayAtCounter(int64_t session_id, int64_t cashier_id, PaymentInput in,
                               int64_t now_ms);
  Result<std::vector<Payment>> PaymentsOfSession(int64_t session_id);
  // The municipality's payments made in [from, to), oldest first (at most 1,000).
  Result<std::vector<Payment>> PaymentsBetween(int64_t municipality_id, int64_t from_ms,
                                               int64_t to_ms);
  Result<DayReport> EndOfDay(int64_t municipality_id, int64_t from_ms, int64_t to_ms);

  // ---- refunds (refunds.cpp) -------------------------------------------------------------------
  // What was refunded of a payment so far.
  Result<int64_t> Refunded(int64_t payment_id);
  // Refunds part or all of a posted payment through the channel that took it: `through` runs
  // inside the transaction before anything is written (the card provider's refund; an error
  // refuses the refund), then the refund, its ledger entries (revenue / the channel's money
  // account), the payment "refunded" once nothing is left (and its card attempt, if any), and the
  // audit entry "payment.refunded".
  // kInvalid "payments.reason_required", "payments.refund_amount" (not 1..what is left);
  // kConflict "payments.payment_not_posted".
  Status Refund(int64_t payment_id, int64_t amount_minor, const std::string& reason,
                const std::string& actor, const std::string& request_id, int64_t now_ms,
                const std::function<Status(const Payment&)>& through = {});

  // ---- reconciliation (reconcile.cpp)
  // ------------------------------------------------------------ Imports an ISO 20022 camt.053
  // statement of the municipality's account, all or nothing, and matches each credit entry to a
  // posted payment by its payment reference and amount (each payment matched once). kInvalid
  // "payments.camt.malformed" (not well-formed XML, or not a camt.053 BkToCstmrStmt),
  // "payments.camt.entry_twice" (the same entry twice, here or in an earlier statement),
  // "payments.camt.entry" (an entry without its id, amount or currency); kConflict
  // "payments.camt.imported" for a statement imported before.
  Result<Reconciliation> ImportStatement(int64_t municipality_id, std::string_view xml,
                                         const std::string& actor, const std::string& request_id,
                                         int64_t now_ms);
  // Entries not matched to a payment (status "unmatched", then "marked"), newest first.
  Result<std::vector<StatementEntry>> StatementEntries(int64_t municipality_id,
                                                       std::string_view status);
  // Posted payments of banks and card providers that no statement entry matched.
  Result<std::vector<Payment>> UnmatchedPayments(int64_t municipality_id);
  // Marks an unmatched entry by hand with a note (audited). kInvalid "payments.reason_required";
  // kNotFound; kConflict "payments.camt.not_unmatched".
  Status MarkEntry(int64_t municipality_id, int64_t entry_id, const std::string& note,
                   const std::string& actor, const std::string& request_id, int64_t now_ms);

  // Whether the municipality accepts payments in `currency` (ILS always; JOD when set).
  Result<bool> Accepts(int64_t municipality_id, std::string_view currency);
  Status SetAcceptsJod(int64_t municipality_id, bool accepts);

  // ---- municipal dues (dues.cpp) --------------------------------------------------------------
  // Loads a billing system's CSV export, all or nothing (the format: docs/PAYMENT-PROVIDERS.md,
  // "Municipal dues"): one invoice per line, owed by the national ID (blind index), with the
  // bill's description, amount, currency and due date. `municipality` resolves a slug to its id
  // and tracking prefix (kNotFound for none). Returns how many were loaded; a file with any bad
  // line loads nothing and returns kInvalid "payments.dues.invalid" with every problem in
  // Error::problems (path {line number, column}, key payments.dues.<what>).
  struct MunicipalityRef {
    int64_t id = 0;
    std::string prefix;
  };
  Result<int> ImportDues(
      std::string_view csv,
      const std::function<Result<MunicipalityRef>(std::string_view slug)>& municipality,
      int64_t now_ms);
  // What a person owes everywhere: the open invoices of the account, and the open dues of the
  // national ID (empty: none), oldest due first.
  Result<std::vector<Invoice>> Owed(int64_t account_id, std::string_view national_id);

  // Does this person owe anything in the municipality: an open invoice of the account, or open
  // dues of the account or the national ID. Either part of `who` may be unknown.
  Result<bool> Owes(int64_t municipality_id, const Debtor& who);
  // The same inside the caller's transaction (an observer deciding while a change holds it: a
  // clearance certificate issued only to someone who owes nothing).
  Result<bool> Owes(db::Tx& tx, int64_t municipality_id, const Debtor& who);

  // ---- the ledger ------------------------------------------------------------------------------
  // Writes entries of one business event inside tx. kInternal (a bug) unless debits equal
  // credits and every entry is one-sided and not negative.
  Status PostEntries(db::Tx& tx, int64_t municipality_id, const std::string& currency,
                     const std::string& kind, int64_t invoice_id, int64_t payment_id,
                     const std::vector<LedgerEntry>& entries, int64_t now_ms);
  // Every ledger entry of the municipality as CSV (RFC 4180, a header line): id, at (ISO 8601),
  // kind, invoice, receipt, account, currency, debit and credit in minor units.
  Result<std::string> LedgerCsv(int64_t municipality_id);
  // Totals per account and currency (the trial balance); every municipality when 0.
  Result<std::vector<AccountBalance>> TrialBalance(int64_t municipality_id);

  // The event feed (feed.cpp): entries after `after`, oldest first, at most `limit`
  // (1..10,000), inside the reader's transaction (so it can advance its position there).
  Result<std::vector<FeedEntry>> Feed(db::Tx& tx, int64_t after, int limit);

  // The blind index of a national ID (digits only, Arabic-Indic digits accepted).
  std::string NationalIdIndex(std::string_view national_id) const;

 private:
  Result<Invoice> LoadInvoice(db::Tx& tx, std::string_view where, const db::Params& params);
  // Appends an entry to the event feed inside the change's transaction.
  static Status Record(db::Tx& tx, const FeedEntry& e);

  db::Database& db_;
  crypto::Key32 blind_index_;
  audit::AuditLog* audit_;
  PaidHook paid_;
  std::function<void()> after_paid_;
};

std::vector<db::Migration> Migrations();

// The payments module as the program is built from it (module.cpp).
module::Module Module();

}  // namespace baladiya::payments

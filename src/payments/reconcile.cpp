// Reconciliation with bank statements in ISO 20022 camt.053 (payments.h).
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <set>
#include <sstream>

#include "payments/internal.h"
#include "payments/payments.h"
#include "platform/i18n/money.h"

namespace baladiya::payments {
namespace {

using namespace internal;  // NOLINT: the store's own helpers
using Tree = boost::property_tree::ptree;

// An element's local name ("ns:Ntry" -> "Ntry").
std::string_view Local(std::string_view name) {
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The children named `name` (any namespace prefix).
std::vector<const Tree*> Children(const Tree& t, std::string_view name) {
  std::vector<const Tree*> out;
  for (const auto& [key, child] : t) {
    if (Local(key) == name) out.push_back(&child);
  }
  return out;
}

// The first element along a path of local names, or null.
const Tree* FindPath(const Tree& t, std::initializer_list<std::string_view> path) {
  const Tree* at = &t;
  for (std::string_view step : path) {
    auto next = Children(*at, step);
    if (next.empty()) return nullptr;
    at = next.front();
  }
  return at;
}

std::string Text(const Tree& t, std::initializer_list<std::string_view> path) {
  const Tree* e = FindPath(t, path);
  if (!e) return {};
  std::string v = e->data();
  const size_t a = v.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  return v.substr(a, v.find_last_not_of(" \t\r\n") - a + 1);
}

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "payments.camt.malformed", std::move(detail));
}

struct Entry {
  std::string ref;
  std::string booked;
  bool credit = true;
  int64_t amount = 0;
  std::string currency;
  std::string reference;
};

}  // namespace

Result<Reconciliation> PaymentStore::ImportStatement(int64_t municipality_id, std::string_view xml,
                                                     const std::string& actor,
                                                     const std::string& request_id,
                                                     int64_t now_ms) {
  if (xml.size() > 20 * 1024 * 1024) return Malformed("over 20 MB");
  Tree doc;
  try {
    std::istringstream in{std::string(xml)};
    boost::property_tree::read_xml(in, doc);
  } catch (const std::exception& e) {
    return Malformed(std::string("not well-formed XML: ") + e.what());
  }
  const Tree* root = FindPath(doc, {"Document", "BkToCstmrStmt"});
  if (!root) return Malformed("no Document/BkToCstmrStmt");
  std::vector<std::pair<std::string, std::vector<Entry>>> statements;
  std::set<std::string> refs;
  for (const Tree* stmt : Children(*root, "Stmt")) {
    const std::string id = Text(*stmt, {"Id"});
    if (id.empty() || id.size() > 100) return Malformed("a statement without its Id");
    std::vector<Entry> entries;
    for (const Tree* n : Children(*stmt, "Ntry")) {
      Entry e;
      e.ref = Text(*n, {"AcctSvcrRef"});
      if (e.ref.empty()) e.ref = Text(*n, {"NtryRef"});
      const Tree* amt = FindPath(*n, {"Amt"});
      e.currency = amt ? amt->get<std::string>("<xmlattr>.Ccy", "") : "";
      e.credit = Text(*n, {"CdtDbtInd"}) != "DBIT";
      e.booked = Text(*n, {"BookgDt", "Dt"});
      if (e.booked.empty()) e.booked = Text(*n, {"BookgDt", "DtTm"}).substr(0, 10);
      std::string ref = Text(*n, {"NtryDtls", "TxDtls", "RmtInf", "Strd", "CdtrRefInf", "Ref"});
      if (ref.empty()) ref = Text(*n, {"NtryDtls", "TxDtls", "RmtInf", "Ustrd"});
      e.reference = ref.substr(0, 140);
      auto amount =
          amt ? i18n::ParseMoney(amt->data(), e.currency) : Result<int64_t>(Malformed(""));
      if (e.ref.empty() || e.ref.size() > 100 || e.currency.size() != 3 || !amount.ok()) {
        Error err = MakeError(ErrorCode::kInvalid, "payments.camt.entry",
                              "an entry without its id, amount or currency");
        err.fields["entry"] = e.ref;
        return err;
      }
      e.amount = *amount;
      if (!refs.insert(e.ref).second) {
        Error err = MakeError(ErrorCode::kInvalid, "payments.camt.entry_twice", e.ref);
        err.fields["entry"] = e.ref;
        return err;
      }
      entries.push_back(std::move(e));
    }
    statements.push_back({id, std::move(entries)});
  }
  if (statements.empty()) return Malformed("no Stmt");
  Reconciliation out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    for (const auto& [id, entries] : statements) {
      auto st = tx.Query(
          "INSERT INTO payment_statements (municipality_id, statement_ref, imported_at, actor) "
          "VALUES (?, ?, ?, ?) ON CONFLICT (municipality_id, statement_ref) DO NOTHING "
          "RETURNING id",
          {municipality_id, id, now_ms, actor});
      if (!st.ok()) return std::move(st).error();
      if (st->empty()) return MakeError(ErrorCode::kConflict, "payments.camt.imported", id);
      const int64_t statement = (*st)[0].Int(0);
      for (const Entry& e : entries) {
        int64_t payment = 0;
        if (e.credit) {
          // A posted payment of the invoice this reference names, of this amount, not yet
          // matched to another entry.
          auto ref = ParseCreditorReference(e.reference);
          if (ref) {
            auto p = tx.Query(
                "SELECT p.id FROM payment_payments p JOIN payment_invoices i ON i.id = "
                "p.invoice_id WHERE i.reference = ? AND i.municipality_id = ? AND p.status = "
                "'posted' AND p.amount_minor = ? AND p.currency = ? AND NOT EXISTS (SELECT 1 "
                "FROM payment_statement_entries s WHERE s.payment_id = p.id) ORDER BY p.id "
                "LIMIT 1",
                {*ref, municipality_id, e.amount, e.currency});
            if (!p.ok()) return std::move(p).error();
            if (!p->empty()) payment = (*p)[0].Int(0);
          }
        }
        auto n = tx.Query(
            "INSERT INTO payment_statement_entries (statement_id, municipality_id, entry_ref, "
            "booked, credit, amount_minor, currency, reference, payment_id, status) VALUES (?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (municipality_id, entry_ref) DO NOTHING "
            "RETURNING id",
            {statement, municipality_id, e.ref, e.booked, int64_t{e.credit ? 1 : 0}, e.amount,
             e.currency, e.reference, payment,
             std::string(payment != 0 ? "matched" : "unmatched")});
        if (!n.ok()) return std::move(n).error();
        if (n->empty()) {
          Error err = MakeError(ErrorCode::kInvalid, "payments.camt.entry_twice", e.ref);
          err.fields["entry"] = e.ref;
          return err;
        }
        ++out.entries;
        if (payment != 0) {
          ++out.matched;
        } else {
          ++out.unmatched;
        }
      }
      if (Status a =
              Audit(audit_, tx, actor, "statement.imported", "statement:" + id, municipality_id,
                    request_id, "entries=" + std::to_string(entries.size()), now_ms);
          !a.ok()) {
        return a;
      }
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Result<std::vector<StatementEntry>> PaymentStore::StatementEntries(int64_t municipality_id,
                                                                   std::string_view status) {
  auto rows = db_.Query(
      "SELECT s.id, s.entry_ref, s.booked, s.credit, s.amount_minor, s.currency, s.reference, "
      "s.payment_id, COALESCE(p.receipt_number, ''), s.status, s.note FROM "
      "payment_statement_entries s LEFT JOIN payment_payments p ON p.id = s.payment_id WHERE "
      "s.municipality_id = ? AND s.status = ? ORDER BY s.id DESC LIMIT 500",
      {municipality_id, std::string(status)});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<StatementEntry> out;
  for (const db::Row& r : *rows) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3) != 0, r.Int(4), r.Text(5), r.Text(6),
                   r.Int(7), r.Text(8), r.Text(9), r.Text(10)});
  }
  return out;
}

Result<std::vector<Payment>> PaymentStore::UnmatchedPayments(int64_t municipality_id) {
  auto rows = db_.Query(std::string("SELECT ") + kPaymentColumns +
                            " FROM payment_payments p JOIN payment_invoices i ON i.id = "
                            "p.invoice_id WHERE p.municipality_id = ? AND p.status = 'posted' AND "
                            "p.channel IN ('bank', 'card') AND NOT EXISTS (SELECT 1 FROM "
                            "payment_statement_entries s WHERE s.payment_id = p.id) ORDER BY p.id "
                            "LIMIT 500",
                        {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Payment> out;
  for (const db::Row& r : *rows) out.push_back(ReadPayment(r));
  return out;
}

Status PaymentStore::MarkEntry(int64_t municipality_id, int64_t entry_id, const std::string& note,
                               const std::string& actor, const std::string& request_id,
                               int64_t now_ms) {
  if (Blank(note)) return Invalid("payments.reason_required", "note");
  return db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "SELECT status, entry_ref FROM payment_statement_entries WHERE id = ? AND "
        "municipality_id = ?",
        {entry_id, municipality_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.camt.unknown_entry");
    auto n = tx.Exec(
        "UPDATE payment_statement_entries SET status = 'marked', note = ?, marked_by = ?, "
        "marked_at = ? WHERE id = ? AND status = 'unmatched'",
        {note.substr(0, 500), actor, now_ms, entry_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "payments.camt.not_unmatched");
    return Audit(audit_, tx, actor, "statement.marked", "statement-entry:" + (*rows)[0].Text(1),
                 municipality_id, request_id, "note=" + note, now_ms);
  });
}

}  // namespace baladiya::payments

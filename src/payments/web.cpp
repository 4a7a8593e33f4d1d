// payments on the web (web.h): the case-page panels, the counter, receipts, the department
// head's report and voids.
#include "payments/web.h"

#include <unicode/timezone.h>

#include <charconv>
#include <memory>

#include "cases/cases.h"
#include "cases/web.h"
#include "catalog/catalog.h"
#include "catalog/page.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "payments/card.h"
#include "payments/payments.h"
#include "platform/http/errors.h"
#include "platform/http/multipart.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/money.h"
#include "platform/render/form.h"
#include "platform/render/page.h"

namespace baladiya::payments {
namespace {

using http::Request;
using http::Response;
using identity::Permission;

constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;
constexpr const char* kTimeZone = "Asia/Hebron";

std::string Money(int64_t minor, const std::string& currency, i18n::Lang lang) {
  return i18n::FormatMoney(minor, currency, lang);
}

// The amount typed in a form as minor units, for a field's error key on failure.
Result<int64_t> TypedMoney(const http::Params& form, const char* name, const std::string& cur) {
  return i18n::ParseMoney(form.Get(name).value_or(""), cur);
}

// Offset of the municipality's time zone from UTC at `ms`.
int64_t ZoneOffsetMs(int64_t ms) {
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(kTimeZone));
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz->getOffset(static_cast<UDate>(ms), false, raw, dst, status);
  return U_FAILURE(status) ? 0 : int64_t{raw} + dst;
}

// The start (UTC ms) of the local day "YYYY-MM-DD", or of today when the text is not a date.
int64_t DayStart(std::string_view text, int64_t now_ms, std::string* shown) {
  int y = 0;
  int m = 0;
  int d = 0;
  bool ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (ok) {
    ok = std::from_chars(text.data(), text.data() + 4, y).ec == std::errc() &&
         std::from_chars(text.data() + 5, text.data() + 7, m).ec == std::errc() &&
         std::from_chars(text.data() + 8, text.data() + 10, d).ec == std::errc() && y >= 2000 &&
         y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
  }
  int64_t local_midnight = 0;
  if (ok) {
    // Days since the epoch (civil calendar).
    const int yy = y - (m <= 2);
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(yy - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    local_midnight = (int64_t{era} * 146097 + doe - 719468) * kDayMs;
  } else {
    const int64_t local = now_ms + ZoneOffsetMs(now_ms);
    local_midnight = local - (local % kDayMs);
  }
  const int64_t start = local_midnight - ZoneOffsetMs(local_midnight);
  if (shown) *shown = i18n::FormatIsoUtc(local_midnight).substr(0, 10);
  return start;
}

// The local date and time (hh:mm) of an instant.
std::string DateTime(int64_t ms, i18n::Lang lang) {
  const int64_t local = ms + ZoneOffsetMs(ms);
  std::string hhmm = i18n::FormatIsoUtc(local).substr(11, 5);
  if (lang == i18n::Lang::kAr) hhmm = i18n::ToArabicIndicDigits(hhmm);
  return i18n::FormatDate(ms, lang, kTimeZone) + " " + hhmm;
}

void AddForm(render::Dict& page, const char* name, const render::Form& form,
             const i18n::Catalog& catalog, i18n::Lang lang) {
  render::Dict* f = page.AddIncludeDictionary(name);
  f->SetFilename(render::LanguageName("form.tpl", lang));
  render::FillForm(*f, form, catalog, lang);
}

std::string StatusText(const i18n::Catalog& msg, i18n::Lang lang, const Invoice& inv) {
  return msg.Get(lang, "payments.status." + std::string(InvoiceStatusName(inv.status)));
}

void FillInvoice(render::Dict& d, const Invoice& inv, const i18n::Catalog& msg, i18n::Lang lang) {
  d.SetValue("NUMBER", inv.number);
  d.SetValue("REFERENCE", inv.reference);
  d.SetValue("TOTAL", Money(inv.total_minor, inv.currency, lang));
  d.SetValue("STATUS", StatusText(msg, lang, inv));
  d.SetValue("ISSUED", i18n::FormatDate(inv.created_at, lang));
  d.SetValue("DUE", i18n::FormatDate(inv.due_at, lang));
  for (const InvoiceLine& l : inv.lines) {
    render::Dict* r = d.AddSectionDictionary("LINE");
    r->SetValue("DESCRIPTION", l.description.In(lang));
    r->SetValue("AMOUNT", Money(l.amount_minor, inv.currency, lang));
  }
  if (inv.status == InvoiceStatus::kOpen) d.ShowSection("OPEN");
  if (inv.status == InvoiceStatus::kPaid) {
    d.SetValueAndShowSection("PAID_ON", i18n::FormatDate(inv.paid_at, lang), "PAID");
  }
  if (inv.status == InvoiceStatus::kVoid) {
    d.SetValueAndShowSection("VOID_REASON", inv.void_reason, "VOID");
  }
}

struct Options {
  PaymentStore* store = nullptr;
  identity::AccountStore* accounts = nullptr;
  bool card = false;  // a card payment provider is configured
  CardProvider* provider = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  const render::Site* site = nullptr;
  const WebExtensions* ext = nullptr;
  std::function<int64_t()> now_ms;
  std::function<Response(int, const Request&)> error_page;
};

class Pages {
 public:
  explicit Pages(Options o) : o_(std::move(o)) {}

  // The case page's section: the case's invoices, how to pay, receipts.
  Result<std::string> Panel(const cases::PanelRequest& p, bool staff) const {
    auto invoices = o_.store->OfCase(p.c.id);
    if (!invoices.ok()) return std::move(invoices).error();
    if (invoices->empty()) return std::string();
    auto m = o_.tenancy->Get(p.c.municipality_id);
    if (!m.ok()) return std::move(m).error();
    const identity::Principal& who = identity::PrincipalOf(p.req);
    const bool cashier = staff && identity::Allowed(who, Permission::kTakePayments, m->id);
    render::Dict d("payments-case-panel");
    for (const Invoice& inv : *invoices) {
      render::Dict* s = d.AddSectionDictionary("INVOICE");
      FillInvoice(*s, inv, Msg(), p.lang);
      if (inv.status == InvoiceStatus::kOpen && !staff && o_.card &&
          inv.account_id == who.account_id) {
        render::Dict* f = s->AddSectionDictionary("CARD");
        f->SetValue("CARD_ACTION", "/account/invoices/" + inv.number + "/card");
        f->SetValue("CSRF", identity::TokenFor(p.req).value);
      }
      if (inv.status == InvoiceStatus::kOpen && cashier) {
        s->SetValueAndShowSection(
            "PAY_HREF", "/m/" + m->slug + "/cashier?reference=" + inv.reference, "CASHIER");
      }
      auto paid = o_.store->PaymentsOf(inv.id);
      if (!paid.ok()) return std::move(paid).error();
      for (const Payment& pay : *paid) {
        if (pay.status != "posted") continue;
        render::Dict* r = s->AddSectionDictionary("RECEIPT");
        r->SetValue("RECEIPT_NUMBER", pay.receipt_number);
        r->SetValue("RECEIPT_HREF",
                    staff ? "/m/" + m->slug + "/cashier/receipts/" + pay.receipt_number
                          : "/account/receipts/" + pay.receipt_number);
      }
    }
    return o_.site->templates->Expand("payments-case-panel.tpl", p.lang, d);
  }

  // ---- the counter ------------------------------------------------------------------------

  Response Counter(Request& req) { return ShowCounter(req, {}, {}, nullptr, 200); }

  Response OpenSession(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    auto cash = TypedMoney(form, "opening_cash", "ILS");
    if (!cash.ok())
      return ShowCounter(req, form, {{"opening_cash", cash.error().message_key}}, nullptr, 422);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto s = o_.store->OpenSession(m->id, who.account_id, who.pseudonym, *cash, req.request_id,
                                   o_.now_ms());
    if (!s.ok()) return Failed(req, s.error(), form, "opening_cash");
    return Response::Redirect("/m/" + m->slug + "/cashier");
  }

  Response Pay(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const identity::Principal& who = identity::PrincipalOf(req);
    auto session = o_.store->OpenSessionOf(who.account_id);
    if (!session.ok() && session.error().code != ErrorCode::kNotFound) {
      return o_.error_page(503, req);
    }
    const std::string reference(form.Get("reference").value_or(""));
    auto inv = o_.store->Find(reference);
    if (!inv.ok()) return Failed(req, inv.error(), form, "reference");
    auto amount = TypedMoney(form, "amount", inv->currency);
    if (!amount.ok())
      return ShowCounter(req, form, {{"amount", amount.error().message_key}}, nullptr, 422);
    PaymentInput in;
    in.reference = inv->reference;
    in.amount_minor = *amount;
    in.currency = inv->currency;
    in.method = std::string(form.Get("method").value_or(""));
    in.actor = who.pseudonym;
    in.request_id = req.request_id;
    // Without an open session the store refuses the payment as posted into a closed one.
    auto paid =
        o_.store->PayAtCounter(session.ok() ? session->id : 0, who.account_id, in, o_.now_ms());
    if (!paid.ok()) return Failed(req, paid.error(), form, "amount");
    return Response::Redirect("/m/" + m->slug + "/cashier/receipts/" + paid->receipt_number);
  }

  Response CloseForm(Request& req) { return ShowClose(req, {}, {}, 200); }

  Response Close(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const identity::Principal& who = identity::PrincipalOf(req);
    auto session = o_.store->OpenSessionOf(who.account_id);
    if (!session.ok()) {
      if (session.error().code == ErrorCode::kNotFound) {
        return Response::Redirect("/m/" + m->slug + "/cashier");
      }
      return o_.error_page(503, req);
    }
    auto counted = TypedMoney(form, "counted_cash", session->currency);
    if (!counted.ok())
      return ShowClose(req, form, {{"counted_cash", counted.error().message_key}}, 422);
    auto closed =
        o_.store->CloseSession(session->id, who.account_id, *counted, req.request_id, o_.now_ms());
    if (!closed.ok()) {
      if (closed.error().code == ErrorCode::kUnavailable) return o_.error_page(503, req);
      return ShowClose(req, form, {{"counted_cash", closed.error().message_key}}, 409);
    }
    return Response::Redirect("/m/" + m->slug + "/cashier?closed=" + std::to_string(closed->id));
  }

  // A receipt of the municipality for its cashiers and heads: the page, or (pdf) the signed PDF.
  Response StaffReceipt(Request& req) { return StaffReceiptAs(req, false); }
  Response StaffReceiptPdf(Request& req) { return StaffReceiptAs(req, true); }
  // The payer's own receipt.
  Response OwnReceipt(Request& req) { return OwnReceiptAs(req, false); }
  Response OwnReceiptPdf(Request& req) { return OwnReceiptAs(req, true); }

  Response StaffReceiptAs(Request& req, bool pdf) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto p = o_.store->FindReceipt(req.PathParam("number"));
    if (!p.ok() || p->municipality_id != m->id) return NotFoundOr503(req, p);
    return pdf ? ReceiptPdf(req, *m, *p) : ShowReceipt(req, *m, *p);
  }

  Response OwnReceiptAs(Request& req, bool pdf) {
    auto p = o_.store->FindReceipt(req.PathParam("number"));
    if (!p.ok()) return NotFoundOr503(req, p);
    auto inv = o_.store->Get(p->invoice_id);
    if (!inv.ok()) return NotFoundOr503(req, inv);
    // Someone else's receipt is not found, as if it did not exist.
    if (inv->account_id != identity::PrincipalOf(req).account_id) return o_.error_page(404, req);
    auto m = o_.tenancy->Get(p->municipality_id);
    if (!m.ok()) return o_.error_page(503, req);
    return pdf ? ReceiptPdf(req, *m, *p) : ShowReceipt(req, *m, *p);
  }

  // The receipt as a PDF signed by the municipality (WebExtensions), a download.
  Response ReceiptPdf(Request& req, const catalog::Municipality& m, const Payment& p) {
    if (!o_.ext || !o_.ext->receipt_pdf) return o_.error_page(404, req);
    auto inv = o_.store->Get(p.invoice_id);
    if (!inv.ok()) return NotFoundOr503(req, inv);
    const auto ar = i18n::Lang::kAr;
    const auto en = i18n::Lang::kEn;
    auto both = [this, ar, en](const std::string& key) {
      return catalog::Text{Msg().Get(ar, key), Msg().Get(en, key)};
    };
    const auto isolated = [](const std::string& s) {
      return catalog::Text{"\u2066" + s + "\u2069", s};
    };
    ReceiptPrint r;
    r.municipality_id = m.id;
    r.title = both("payments.receipt.heading");
    r.number = p.receipt_number;
    r.at_ms = p.created_at;
    r.rows.push_back(
        {both("payments.receipt.date"), {DateTime(p.created_at, ar), DateTime(p.created_at, en)}});
    r.rows.push_back({both("payments.receipt.method"), both("payments.method." + p.method)});
    r.rows.push_back(
        {both("payments.receipt.amount"),
         {Money(p.amount_minor, p.currency, ar), Money(p.amount_minor, p.currency, en)}});
    r.rows.push_back({both("payments.receipt.state"), both("payments.payment_status." + p.status)});
    if (!inv->tracking.empty())
      r.rows.push_back({both("payments.receipt.case"), isolated(inv->tracking)});
    r.rows.push_back({both("payments.invoice.number"), isolated(inv->number)});
    r.rows.push_back({both("payments.invoice.reference"), isolated(inv->reference)});
    for (const InvoiceLine& l : inv->lines) {
      r.rows.push_back(
          {l.description,
           {Money(l.amount_minor, inv->currency, ar), Money(l.amount_minor, inv->currency, en)}});
    }
    r.rows.push_back(
        {both("payments.invoice.total"),
         {Money(inv->total_minor, inv->currency, ar), Money(inv->total_minor, inv->currency, en)}});
    r.note = both("payments.receipt.pdf_note");
    auto pdf = o_.ext->receipt_pdf(r);
    if (!pdf.ok()) return o_.error_page(http::StatusOf(pdf.error().code), req);
    Response res;
    res.status = 200;
    res.body = std::move(*pdf);
    res.headers.Set("content-type", "application/pdf");
    res.headers.Set("content-disposition", "attachment; filename=\"" + p.receipt_number + ".pdf\"");
    res.headers.Set("cache-control", "private, no-store");
    return res;
  }

  // The first municipality where the signed-in person may take payments (or head a
  // department); not found for anyone else (the account page links it only for them).
  Response Redirect(Request& req, Permission what, const char* page) {
    const identity::Principal& who = identity::PrincipalOf(req);
    for (const identity::Grant& g : who.grants) {
      if (g.municipality_id == 0) continue;
      if (!identity::AllowedSomewhere(who, what, g.municipality_id)) continue;
      auto m = o_.tenancy->Get(g.municipality_id);
      if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
      return Response::Redirect("/m/" + m->slug + page);
    }
    return o_.error_page(404, req);
  }

  // What the signed-in person owes: open invoices and dues, with how to pay each.
  Response Dues(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto account = o_.accounts->Get(who.account_id, true);
    if (!account.ok()) return o_.error_page(http::StatusOf(account.error().code), req);
    auto owed = o_.store->Owed(who.account_id, account->personal.national_id);
    if (!owed.ok()) return o_.error_page(503, req);
    render::Page page(*o_.site, req, "payments-dues.tpl");
    page.SetTitle(Msg().Get(lang, "payments.dues.title"));
    page.SetPath("/account/dues");
    render::Dict& b = page.body();
    const std::string csrf = identity::TokenFor(req).value;
    for (const Invoice& inv : *owed) {
      render::Dict* d = b.AddSectionDictionary("INVOICE");
      d->SetValue("NUMBER", inv.number);
      d->SetValue("REFERENCE", inv.reference);
      d->SetValue("TOTAL", Money(inv.total_minor, inv.currency, lang));
      d->SetValue("DUE", i18n::FormatDate(inv.due_at, lang));
      d->SetValue("DESCRIPTION",
                  inv.lines.empty() ? inv.number : inv.lines.front().description.In(lang));
      if (!inv.tracking.empty()) {
        d->SetValue("TRACKING", inv.tracking);
        d->SetValueAndShowSection("CASE_HREF", "/account/cases/" + inv.tracking, "CASE");
      }
      if (o_.card) {
        render::Dict* f = d->AddSectionDictionary("CARD");
        f->SetValue("CARD_ACTION", "/account/invoices/" + inv.number + "/card");
        f->SetValue("CSRF", csrf);
      }
    }
    if (owed->empty()) b.ShowSection("NONE");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // ---- the department head's report and voids ----------------------------------------------

  Response Report(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    std::string day;
    const int64_t from = DayStart(req.query.Get("day").value_or(""), o_.now_ms(), &day);
    auto report = o_.store->EndOfDay(m->id, from, from + kDayMs);
    if (!report.ok()) return o_.error_page(503, req);
    const std::string base = "/m/" + m->slug + "/payments";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "payments-report.tpl", base,
                                                  Msg().Get(lang, "payments.report.title"));
    render::Dict& b = page.body();
    b.SetValue("DAY", day);
    b.SetValue("LEDGER_HREF", base + "/ledger");
    b.SetValue("RECONCILIATION_HREF", base + "/reconciliation");
    b.SetValue("DAY_TEXT", i18n::FormatDate(from + ZoneOffsetMs(from) + kDayMs / 2, lang));
    FillReport(b, *report, lang);
    auto payments = o_.store->PaymentsBetween(m->id, from, from + kDayMs);
    if (!payments.ok()) return o_.error_page(503, req);
    for (const Payment& p : *payments) {
      render::Dict* r = b.AddSectionDictionary("PAYMENT");
      r->SetValue("RECEIPT", p.receipt_number);
      r->SetValue("RECEIPT_HREF", base + "/receipts/" + p.receipt_number);
      r->SetValue("INVOICE", p.invoice_number);
      r->SetValue("METHOD", Msg().Get(lang, "payments.method." + p.method));
      r->SetValue("AMOUNT", Money(p.amount_minor, p.currency, lang));
      r->SetValue("STATE", Msg().Get(lang, "payments.payment_status." + p.status));
      if (p.status == "posted") {
        render::Dict* v = r->AddSectionDictionary("CAN_VOID");
        v->SetValue("VOID_HREF", base + "/receipts/" + p.receipt_number + "/void");
        v->SetValue("REFUND_HREF", base + "/receipts/" + p.receipt_number + "/refund");
        v->SetValue("RECEIPT", p.receipt_number);
      }
    }
    if (payments->empty()) b.ShowSection("NO_PAYMENTS");
    render::Form form;
    form.action = base;
    form.submit_key = "payments.report.show";
    form.fields = {{"day", "payments.report.day", "payments.report.day_hint", "date", day, "off",
                    "", true, true}};
    // A GET form: no anti-forgery token.
    AddForm(b, "FORM", form, Msg(), lang);
    return page.Finish(200);
  }

  Response RefundForm(Request& req) { return ShowRefund(req, {}, {}, 200); }

  Response Refund(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto p = o_.store->FindReceipt(req.PathParam("number"));
    if (!p.ok() || p->municipality_id != m->id) return NotFoundOr503(req, p);
    const http::Params form = req.Form();
    auto amount = TypedMoney(form, "amount", p->currency);
    if (!amount.ok()) return ShowRefund(req, form, {{"amount", amount.error().message_key}}, 422);
    const identity::Principal& who = identity::PrincipalOf(req);
    CardProvider* provider = o_.provider;
    // The money goes back the way it came: a card through its provider; cash from the counter
    // and transfers from the bank are paid out by them against this record.
    Status s = o_.store->Refund(
        p->id, *amount, std::string(form.Get("reason").value_or("")), who.pseudonym, req.request_id,
        o_.now_ms(), [provider, &amount](const Payment& paid) -> Status {
          if (paid.channel != "card") return Ok();
          if (provider == nullptr) {
            return MakeError(ErrorCode::kUnavailable, "payments.card.provider_unavailable",
                             "no card provider configured");
          }
          return provider->Refund(paid.external_id, *amount);
        });
    if (!s.ok()) {
      if (s.error().code == ErrorCode::kUnavailable) return o_.error_page(503, req);
      const std::string field =
          s.error().fields.empty() ? "amount" : s.error().fields.begin()->first;
      return ShowRefund(req, form, {{field, s.error().message_key}},
                        http::StatusOf(s.error().code));
    }
    return Response::Redirect(
        "/m/" + m->slug + "/payments?day=" +
        i18n::FormatIsoUtc(p->created_at + ZoneOffsetMs(p->created_at)).substr(0, 10));
  }

  // The trial balance: each ledger account's debits and credits, and the CSV of every entry.
  Response Ledger(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto balances = o_.store->TrialBalance(m->id);
    if (!balances.ok()) return o_.error_page(503, req);
    const std::string base = "/m/" + m->slug + "/payments";
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "payments-ledger.tpl", base + "/ledger",
                                  Msg().Get(lang, "payments.ledger.title"));
    render::Dict& b = page.body();
    b.SetValue("BACK_HREF", base);
    b.SetValue("CSV_HREF", base + "/ledger.csv");
    std::map<std::string, std::pair<int64_t, int64_t>> totals;
    for (const AccountBalance& a : *balances) {
      render::Dict* r = b.AddSectionDictionary("ACCOUNT");
      r->SetValue("ACCOUNT", Msg().Get(lang, "payments.ledger.account." + a.account));
      r->SetValue("DEBIT", Money(a.debit_minor, a.currency, lang));
      r->SetValue("CREDIT", Money(a.credit_minor, a.currency, lang));
      r->SetValue("BALANCE", Money(a.debit_minor - a.credit_minor, a.currency, lang));
      totals[a.currency].first += a.debit_minor;
      totals[a.currency].second += a.credit_minor;
    }
    for (const auto& [currency, t] : totals) {
      render::Dict* r = b.AddSectionDictionary("TOTAL");
      r->SetValue("DEBIT", Money(t.first, currency, lang));
      r->SetValue("CREDIT", Money(t.second, currency, lang));
    }
    if (balances->empty()) b.ShowSection("EMPTY");
    return page.Finish(200);
  }

  Response LedgerCsv(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto csv = o_.store->LedgerCsv(m->id);
    if (!csv.ok()) return o_.error_page(503, req);
    Response res = Response::Text(200, std::move(*csv));
    res.headers.Set("content-type", "text/csv; charset=utf-8");
    res.headers.Set("content-disposition", "attachment; filename=\"ledger-" + m->slug + ".csv\"");
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // ---- reconciliation with bank statements ---------------------------------------------------

  Response Reconciliation(Request& req) { return ShowReconciliation(req, "", nullptr, 200); }

  Response ImportStatement(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    std::string file;
    if (auto boundary = http::MultipartBoundary(req.headers.Get("content-type"))) {
      http::MultipartLimits limits;
      auto parts = http::ParseMultipart(req.body, *boundary, limits);
      if (!parts.ok()) return o_.error_page(400, req);
      for (const http::Part& part : *parts) {
        if (part.name == "statement") file = part.data;
      }
    }
    if (file.empty()) return ShowReconciliation(req, "payments.camt.no_file", nullptr, 422);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto r = o_.store->ImportStatement(m->id, file, who.pseudonym, req.request_id, o_.now_ms());
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kUnavailable) return o_.error_page(503, req);
      return ShowReconciliation(req, r.error().message_key, nullptr,
                                http::StatusOf(r.error().code));
    }
    return ShowReconciliation(req, "", &*r, 200);
  }

  Response MarkForm(Request& req) { return ShowMark(req, {}, {}, 200); }

  Response Mark(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    int64_t id = 0;
    const std::string_view text = req.PathParam("id");
    std::from_chars(text.data(), text.data() + text.size(), id);
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = o_.store->MarkEntry(m->id, id, std::string(form.Get("note").value_or("")),
                                   who.pseudonym, req.request_id, o_.now_ms());
    if (!s.ok()) {
      if (s.error().code == ErrorCode::kUnavailable) return o_.error_page(503, req);
      if (s.error().code == ErrorCode::kNotFound) return o_.error_page(404, req);
      return ShowMark(req, form, {{"note", s.error().message_key}}, http::StatusOf(s.error().code));
    }
    return Response::Redirect("/m/" + m->slug + "/payments/reconciliation");
  }

  Response VoidForm(Request& req) { return ShowVoid(req, {}, {}, 200); }

  Response Void(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto p = o_.store->FindReceipt(req.PathParam("number"));
    if (!p.ok() || p->municipality_id != m->id) return NotFoundOr503(req, p);
    const http::Params form = req.Form();
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = o_.store->VoidPayment(p->id, std::string(form.Get("reason").value_or("")),
                                     who.pseudonym, req.request_id, o_.now_ms());
    if (!s.ok()) {
      if (s.error().code == ErrorCode::kUnavailable) return o_.error_page(503, req);
      return ShowVoid(req, form, {{"reason", s.error().message_key}},
                      http::StatusOf(s.error().code));
    }
    return Response::Redirect(
        "/m/" + m->slug + "/payments?day=" +
        i18n::FormatIsoUtc(p->created_at + ZoneOffsetMs(p->created_at)).substr(0, 10));
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  template <class T>
  Response NotFoundOr503(const Request& req, const Result<T>& r) {
    if (!r.ok() && r.error().code == ErrorCode::kUnavailable) return o_.error_page(503, req);
    return o_.error_page(404, req);
  }

  // A store's refusal on the counter page: the form again with the error at `field`; an outage
  // is a 503.
  Response Failed(Request& req, const Error& e, const http::Params& form, const char* field) {
    if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kInternal) {
      return o_.error_page(http::StatusOf(e.code), req);
    }
    std::string at = field;
    if (!e.fields.empty()) at = e.fields.begin()->first;
    return ShowCounter(req, form, {{at, e.message_key}}, nullptr, http::StatusOf(e.code));
  }

  void FillReport(render::Dict& b, const DayReport& report, i18n::Lang lang) {
    for (const MethodTotal& t : report.by_method) {
      render::Dict* r = b.AddSectionDictionary("METHOD_TOTAL");
      r->SetValue("METHOD", Msg().Get(lang, "payments.method." + t.method));
      r->SetValue("COUNT", i18n::FormatNumber(t.count, lang));
      r->SetValue("TOTAL", Money(t.total_minor, t.currency, lang));
    }
    if (report.by_method.empty()) b.ShowSection("NO_TOTALS");
    b.SetValue("VOIDED", i18n::FormatNumber(report.voided_count, lang));
    for (const CashierSession& s : report.sessions) {
      render::Dict* r = b.AddSectionDictionary("SESSION");
      r->SetValue("OPENED", DateTime(s.opened_at, lang));
      r->SetValue("OPENING", Money(s.opening_cash_minor, s.currency, lang));
      if (s.closed_at == 0) {
        r->SetValue("EXPECTED", "");
        r->SetValue("COUNTED", Msg().Get(lang, "payments.session.still_open"));
        r->SetValue("DIFFERENCE", "");
      } else {
        r->SetValue("EXPECTED", Money(s.expected_cash_minor, s.currency, lang));
        r->SetValue("COUNTED", Money(s.counted_cash_minor, s.currency, lang));
        r->SetValue("DIFFERENCE", Money(s.Difference(), s.currency, lang));
      }
    }
  }

  Response ShowCounter(Request& req, const http::Params& values,
                       const std::map<std::string, std::string>& errors, const void*, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto session = o_.store->OpenSessionOf(who.account_id);
    if (!session.ok() && session.error().code != ErrorCode::kNotFound) {
      return o_.error_page(503, req);
    }
    const std::string base = "/m/" + m->slug + "/cashier";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "payments-cashier.tpl", base,
                                                  Msg().Get(lang, "payments.cashier.title"));
    render::Dict& b = page.body();
    const std::string csrf = identity::TokenFor(req).value;
    if (const auto closed = req.query.Get("closed")) {
      int64_t id = 0;
      auto [end, ec] = std::from_chars(closed->data(), closed->data() + closed->size(), id);
      if (ec == std::errc() && end == closed->data() + closed->size()) {
        auto s = o_.store->GetSession(id);
        if (s.ok() && s->cashier_id == who.account_id && s->closed_at != 0) {
          render::Dict* d = b.AddSectionDictionary("CLOSED");
          d->SetValue("EXPECTED", Money(s->expected_cash_minor, s->currency, lang));
          d->SetValue("COUNTED", Money(s->counted_cash_minor, s->currency, lang));
          d->SetValue("DIFFERENCE", Money(s->Difference(), s->currency, lang));
        }
      }
    }
    if (!session.ok()) {
      b.ShowSection("NO_SESSION");
      render::Form form;
      form.action = base + "/open";
      form.submit_key = "payments.cashier.open_submit";
      form.csrf = csrf;
      form.errors = errors;
      form.fields = {{"opening_cash", "payments.cashier.opening_cash",
                      "payments.cashier.opening_cash_hint", "text",
                      std::string(values.Get("opening_cash").value_or("")), "off", "decimal", true,
                      true}};
      AddForm(b, "FORM", form, Msg(), lang);
      return page.Finish(status);
    }
    render::Dict* s = b.AddSectionDictionary("SESSION");
    s->SetValue("OPENED", DateTime(session->opened_at, lang));
    s->SetValue("OPENING", Money(session->opening_cash_minor, session->currency, lang));
    s->SetValue("CLOSE_HREF", base + "/close");
    auto payments = o_.store->PaymentsOfSession(session->id);
    if (!payments.ok()) return o_.error_page(503, req);
    for (const Payment& p : *payments) {
      render::Dict* r = s->AddSectionDictionary("PAYMENT");
      r->SetValue("RECEIPT", p.receipt_number);
      r->SetValue("RECEIPT_HREF", base + "/receipts/" + p.receipt_number);
      r->SetValue("METHOD", Msg().Get(lang, "payments.method." + p.method));
      r->SetValue("AMOUNT", Money(p.amount_minor, p.currency, lang));
      r->SetValue("STATE", Msg().Get(lang, "payments.payment_status." + p.status));
    }
    if (payments->empty()) s->ShowSection("NO_PAYMENTS");
    // The invoice asked for (?reference=, or the one just refused) and the payment form.
    std::string reference(
        values.Get("reference").value_or(req.query.Get("reference").value_or("")));
    std::optional<Invoice> inv;
    std::map<std::string, std::string> find_errors;
    if (!reference.empty()) {
      auto found = o_.store->Find(reference);
      if (found.ok()) {
        inv = *found;
      } else if (found.error().code == ErrorCode::kUnavailable) {
        return o_.error_page(503, req);
      } else {
        find_errors["reference"] = "payments.unknown_reference";
        if (status == 200) status = 404;
      }
    }
    render::Form find;
    find.action = base;
    find.submit_key = "payments.cashier.find_submit";
    find.errors = inv ? std::map<std::string, std::string>{} : find_errors;
    if (!inv && errors.count("reference")) find.errors = errors;
    find.fields = {{"reference", "payments.cashier.reference", "payments.cashier.reference_hint",
                    "text", reference, "off", "", true, true}};
    AddForm(b, "FIND_FORM", find, Msg(), lang);
    if (inv) {
      render::Dict* d = b.AddSectionDictionary("INVOICE");
      FillInvoice(*d, *inv, Msg(), lang);
      if (inv->status == InvoiceStatus::kOpen) {
        render::Form pay;
        pay.action = base + "/pay";
        pay.submit_key = "payments.cashier.pay_submit";
        pay.csrf = csrf;
        pay.errors = errors;
        pay.hidden = {{"reference", inv->reference}};
        std::vector<std::pair<std::string, std::string>> methods;
        for (const char* method : {"cash", "cheque", "card_terminal"}) {
          methods.push_back({method, Msg().Get(lang, std::string("payments.method.") + method)});
        }
        render::FormField method{"method", "payments.cashier.method", "", "select",
                                 std::string(values.Get("method").value_or("cash"))};
        method.options = std::move(methods);
        pay.fields = {
            method,
            {"amount", "payments.cashier.amount", "payments.cashier.amount_hint", "text",
             std::string(values.Get("amount").value_or("")), "off", "decimal", true, true}};
        AddForm(*d, "PAY_FORM", pay, Msg(), lang);
        d->ShowSection("CAN_PAY");
      }
    }
    return page.Finish(status);
  }

  Response ShowClose(Request& req, const http::Params& values,
                     const std::map<std::string, std::string>& errors, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto session = o_.store->OpenSessionOf(who.account_id);
    const std::string base = "/m/" + m->slug + "/cashier";
    if (!session.ok()) {
      if (session.error().code == ErrorCode::kNotFound) return Response::Redirect(base);
      return o_.error_page(503, req);
    }
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "payments-cashier-close.tpl", base + "/close",
                                  Msg().Get(lang, "payments.close.title"));
    render::Dict& b = page.body();
    b.SetValue("BACK_HREF", base);
    b.SetValue("OPENING", Money(session->opening_cash_minor, session->currency, lang));
    render::Form form;
    form.action = base + "/close";
    form.submit_key = "payments.close.submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = {{"counted_cash", "payments.close.counted_cash", "payments.close.counted_hint",
                    "text", std::string(values.Get("counted_cash").value_or("")), "off", "decimal",
                    true, true}};
    AddForm(b, "FORM", form, Msg(), lang);
    return page.Finish(status);
  }

  Response ShowReceipt(Request& req, const catalog::Municipality& m, const Payment& p) {
    const i18n::Lang lang = render::RequestLang(req);
    auto inv = o_.store->Get(p.invoice_id);
    if (!inv.ok()) return NotFoundOr503(req, inv);
    render::Page page = catalog::MunicipalityPage(
        *o_.site, req, m, "payments-receipt.tpl", std::string(req.path),
        Msg().Format(lang, "payments.receipt.title", {{"number", p.receipt_number}}));
    render::Dict& b = page.body();
    b.SetValue("RECEIPT", p.receipt_number);
    b.SetValue("MUNICIPALITY", m.name.In(lang));
    b.SetValue("DATE", DateTime(p.created_at, lang));
    b.SetValue("METHOD", Msg().Get(lang, "payments.method." + p.method));
    b.SetValue("AMOUNT", Money(p.amount_minor, p.currency, lang));
    b.SetValue("STATE", Msg().Get(lang, "payments.payment_status." + p.status));
    if (!inv->tracking.empty()) b.SetValueAndShowSection("TRACKING", inv->tracking, "CASE");
    render::Dict* d = b.AddSectionDictionary("INVOICE");
    FillInvoice(*d, *inv, Msg(), lang);
    if (o_.ext && o_.ext->receipt_pdf) {
      b.SetValueAndShowSection("PDF_HREF", std::string(req.path) + "/pdf", "PDF");
    }
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowReconciliation(Request& req, const std::string& error,
                              const payments::Reconciliation* done, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const std::string base = "/m/" + m->slug + "/payments";
    auto unmatched = o_.store->StatementEntries(m->id, "unmatched");
    auto marked = o_.store->StatementEntries(m->id, "marked");
    auto payments = o_.store->UnmatchedPayments(m->id);
    if (!unmatched.ok() || !marked.ok() || !payments.ok()) return o_.error_page(503, req);
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "payments-reconciliation.tpl",
                                  base + "/reconciliation", Msg().Get(lang, "payments.camt.title"));
    render::Dict& b = page.body();
    b.SetValue("BACK_HREF", base);
    b.SetValue("ACTION", base + "/reconciliation");
    b.SetValue("CSRF", identity::TokenFor(req).value);
    if (!error.empty()) b.SetValueAndShowSection("ERROR", Msg().Get(lang, error), "HAS_ERROR");
    if (done) {
      b.SetValueAndShowSection(
          "DONE",
          Msg().Format(lang, "payments.camt.done",
                       {{"entries", i18n::FormatNumber(done->entries, lang)},
                        {"matched", i18n::FormatNumber(done->matched, lang)},
                        {"unmatched", i18n::FormatNumber(done->unmatched, lang)}}),
          "HAS_DONE");
    }
    auto entries = [&](const std::vector<StatementEntry>& list, const char* section) {
      for (const StatementEntry& e : list) {
        render::Dict* r = b.AddSectionDictionary(section);
        r->SetValue("REF", e.entry_ref);
        r->SetValue("BOOKED", e.booked);
        r->SetValue("AMOUNT", Money(e.credit ? e.amount_minor : -e.amount_minor, e.currency, lang));
        r->SetValue("REFERENCE", e.reference);
        r->SetValue("NOTE", e.note);
        r->SetValue("MARK_HREF",
                    base + "/reconciliation/entries/" + std::to_string(e.id) + "/mark");
      }
    };
    entries(*unmatched, "UNMATCHED");
    entries(*marked, "MARKED");
    if (unmatched->empty()) b.ShowSection("NO_UNMATCHED");
    for (const Payment& p : *payments) {
      render::Dict* r = b.AddSectionDictionary("PAYMENT");
      r->SetValue("RECEIPT", p.receipt_number);
      r->SetValue("RECEIPT_HREF", base + "/receipts/" + p.receipt_number);
      r->SetValue("METHOD", Msg().Get(lang, "payments.method." + p.method));
      r->SetValue("AMOUNT", Money(p.amount_minor, p.currency, lang));
      r->SetValue("REFERENCE", p.reference);
    }
    if (payments->empty()) b.ShowSection("NO_PAYMENTS");
    return page.Finish(status);
  }

  Response ShowMark(Request& req, const http::Params& values,
                    const std::map<std::string, std::string>& errors, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const std::string base = "/m/" + m->slug + "/payments/reconciliation";
    const std::string href = base + "/entries/" + std::string(req.PathParam("id")) + "/mark";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "payments-mark.tpl", href,
                                                  Msg().Get(lang, "payments.camt.mark_title"));
    render::Dict& b = page.body();
    b.SetValue("BACK_HREF", base);
    render::Form form;
    form.action = href;
    form.submit_key = "payments.camt.mark_submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = {{"note", "payments.camt.note", "payments.camt.note_hint", "textarea",
                    std::string(values.Get("note").value_or(""))}};
    AddForm(b, "FORM", form, Msg(), lang);
    return page.Finish(status);
  }

  Response ShowRefund(Request& req, const http::Params& values,
                      const std::map<std::string, std::string>& errors, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto p = o_.store->FindReceipt(req.PathParam("number"));
    if (!p.ok() || p->municipality_id != m->id) return NotFoundOr503(req, p);
    auto refunded = o_.store->Refunded(p->id);
    if (!refunded.ok()) return o_.error_page(503, req);
    const std::string href =
        "/m/" + m->slug + "/payments/receipts/" + p->receipt_number + "/refund";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "payments-refund.tpl", href,
                                                  Msg().Get(lang, "payments.refund.title"));
    render::Dict& b = page.body();
    b.SetValue("RECEIPT", p->receipt_number);
    b.SetValue("AMOUNT", Money(p->amount_minor, p->currency, lang));
    b.SetValue("LEFT", Money(p->amount_minor - *refunded, p->currency, lang));
    b.SetValue("CHANNEL", Msg().Get(lang, "payments.method." + p->method));
    b.SetValue("BACK_HREF", "/m/" + m->slug + "/payments");
    if (p->status != "posted") b.ShowSection("NOT_POSTED");
    render::Form form;
    form.action = href;
    form.submit_key = "payments.refund.submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = {{"amount", "payments.refund.amount", "payments.refund.amount_hint", "text",
                    std::string(values.Get("amount").value_or("")), "off", "decimal", true, true},
                   {"reason", "payments.void.reason", "payments.refund.reason_hint", "textarea",
                    std::string(values.Get("reason").value_or(""))}};
    AddForm(b, "FORM", form, Msg(), lang);
    return page.Finish(status);
  }

  Response ShowVoid(Request& req, const http::Params& values,
                    const std::map<std::string, std::string>& errors, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto p = o_.store->FindReceipt(req.PathParam("number"));
    if (!p.ok() || p->municipality_id != m->id) return NotFoundOr503(req, p);
    const std::string href = "/m/" + m->slug + "/payments/receipts/" + p->receipt_number + "/void";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "payments-void.tpl", href,
                                                  Msg().Get(lang, "payments.void.title"));
    render::Dict& b = page.body();
    b.SetValue("RECEIPT", p->receipt_number);
    b.SetValue("AMOUNT", Money(p->amount_minor, p->currency, lang));
    b.SetValue("BACK_HREF", "/m/" + m->slug + "/payments");
    if (p->status != "posted") b.ShowSection("NOT_POSTED");
    render::Form form;
    form.action = href;
    form.submit_key = "payments.void.submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = {{"reason", "payments.void.reason", "payments.void.reason_hint", "textarea",
                    std::string(values.Get("reason").value_or(""))}};
    AddForm(b, "FORM", form, Msg(), lang);
    return page.Finish(status);
  }

  Options o_;
};

Options OptionsOf(module::Context& ctx) {
  Options o;
  o.store = &ctx.parts.Get<PaymentStore>();
  o.accounts = &ctx.parts.Get<identity::AccountStore>();
  o.provider = ctx.parts.Find<CardProvider>();
  o.card = o.provider != nullptr;
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.site = &ctx.site;
  o.ext = &ctx.parts.Get<WebExtensions>();
  o.now_ms = ctx.now_ms;
  return o;
}

}  // namespace

void AddPanels(module::Context& ctx) {
  auto pages = std::make_shared<Pages>(OptionsOf(ctx));
  cases::Extensions& ext = ctx.parts.Get<cases::Extensions>();
  ext.staff_panels.push_back(
      [pages](const cases::PanelRequest& p) { return pages->Panel(p, true); });
  ext.applicant_panels.push_back(
      [pages](const cases::PanelRequest& p) { return pages->Panel(p, false); });
  identity::WebServices& ids = ctx.parts.Get<identity::WebServices>();
  ids.account_links.push_back({"payments.link.dues", "/account/dues",
                               [](const identity::Principal& who) { return !who.staff; }});
  ids.account_links.push_back(
      {"payments.link.cashier", "/cashier", [](const identity::Principal& who) {
         for (const identity::Grant& g : who.grants) {
           if (g.role == identity::Role::kCashier) return true;
         }
         return false;
       }});
  ids.account_links.push_back(
      {"payments.link.payments", "/payments", [](const identity::Principal& who) {
         for (const identity::Grant& g : who.grants) {
           if (g.role == identity::Role::kDepartmentHead) return true;
         }
         return false;
       }});
}

void AddPageRoutes(module::Context& ctx) {
  using identity::Access;
  Options o = OptionsOf(ctx);
  auto error_page = ctx.web->error_page;
  o.error_page = [error_page](int status, const Request& r) { return error_page(status, &r); };
  auto pages = std::make_shared<Pages>(std::move(o));
  auto on = [pages](Response (Pages::*fn)(Request&)) {
    return [pages, fn](Request& r) { return ((*pages).*fn)(r); };
  };
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  const Access cashier = Access::Requires(Permission::kTakePayments);
  const Access head = Access::Requires(Permission::kManageDepartment);
  routes.Get("/cashier", Access::SignedIn(), [pages](Request& r) {
    return pages->Redirect(r, Permission::kTakePayments, "/cashier");
  });
  routes.Get("/payments", Access::SignedIn(), [pages](Request& r) {
    return pages->Redirect(r, Permission::kManageDepartment, "/payments");
  });
  routes.Get("/m/{slug}/cashier", cashier, on(&Pages::Counter));
  routes.Post("/m/{slug}/cashier/open", cashier, on(&Pages::OpenSession));
  routes.Post("/m/{slug}/cashier/pay", cashier, on(&Pages::Pay));
  routes.Get("/m/{slug}/cashier/close", cashier, on(&Pages::CloseForm));
  routes.Post("/m/{slug}/cashier/close", cashier, on(&Pages::Close));
  routes.Get("/m/{slug}/cashier/receipts/{number}", cashier, on(&Pages::StaffReceipt));
  routes.Get("/m/{slug}/cashier/receipts/{number}/pdf", cashier, on(&Pages::StaffReceiptPdf));
  routes.Get("/m/{slug}/payments", head, on(&Pages::Report));
  routes.Get("/m/{slug}/payments/receipts/{number}", head, on(&Pages::StaffReceipt));
  routes.Get("/m/{slug}/payments/receipts/{number}/pdf", head, on(&Pages::StaffReceiptPdf));
  routes.Get("/m/{slug}/payments/receipts/{number}/void", head, on(&Pages::VoidForm));
  routes.Get("/m/{slug}/payments/receipts/{number}/refund", head, on(&Pages::RefundForm));
  routes.Post("/m/{slug}/payments/receipts/{number}/refund", head, on(&Pages::Refund));
  routes.Get("/m/{slug}/payments/ledger", head, on(&Pages::Ledger));
  routes.Get("/m/{slug}/payments/reconciliation", head, on(&Pages::Reconciliation));
  routes.Post("/m/{slug}/payments/reconciliation", head, on(&Pages::ImportStatement));
  routes.Get("/m/{slug}/payments/reconciliation/entries/{id:int}/mark", head, on(&Pages::MarkForm));
  routes.Post("/m/{slug}/payments/reconciliation/entries/{id:int}/mark", head, on(&Pages::Mark));
  routes.Get("/m/{slug}/payments/ledger.csv", head, on(&Pages::LedgerCsv));
  routes.Post("/m/{slug}/payments/receipts/{number}/void", head, on(&Pages::Void));
  routes.Get("/account/receipts/{number}", Access::SignedIn(), on(&Pages::OwnReceipt));
  routes.Get("/account/receipts/{number}/pdf", Access::SignedIn(), on(&Pages::OwnReceiptPdf));
  routes.Get("/account/dues", Access::SignedIn(), on(&Pages::Dues));
}

}  // namespace baladiya::payments

// The resident's identity pages (web.h): verifying their identity against the civil registry,
// and "who looked at my data", read from the message log.
#include "identity/web.h"
#include "interop/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::interop {
namespace {

using http::Request;
using http::Response;

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kChecksPerDay = 5;

// YYYY-MM-DD, a plausible birth date.
bool BirthDateOk(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int y = std::stoi(std::string(d.substr(0, 4)));
  const int m = std::stoi(std::string(d.substr(5, 2)));
  const int day = std::stoi(std::string(d.substr(8, 2)));
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

class AccountPages {
 public:
  explicit AccountPages(WebOptions o) : o_(std::move(o)) {}

  Response Identity(Request& req) { return ShowIdentity(req, "", {}, "", 200); }

  Response Verify(Request& req) {
    const identity::Principal& who = identity::PrincipalOf(req);
    auto account = o_.accounts->Get(who.account_id, true);
    if (!account.ok()) return o_.error_page(503, req);
    if (account->kind != identity::AccountKind::kResident) return o_.error_page(403, req);
    auto verified = o_.accounts->VerifiedAt(who.account_id);
    if (!verified.ok()) return o_.error_page(503, req);
    if (*verified) return Response::Redirect("/account/identity");
    const http::Params form = req.Form();
    const std::string birth(i18n::ToWesternDigits(form.Get("birth_date").value_or("")));
    if (!BirthDateOk(birth)) {
      return ShowIdentity(req, birth, {{"birth_date", "interop.identity.birth_date_invalid"}}, "",
                          422);
    }
    // A few answered checks a day: enough for a typo, too few to search for a birth date.
    auto answered = o_.store->AnsweredChecksSince(who.account_id, o_.now_ms() - kDayMs);
    if (!answered.ok()) return o_.error_page(503, req);
    if (*answered >= kChecksPerDay) {
      return ShowIdentity(req, birth, {{"", "interop.identity.too_many"}}, "", 429);
    }
    PersonQuery q{account->personal.national_id, account->full_name_ar, birth, who.pseudonym};
    RegistryAnswer a = o_.registry->Check(q);
    const RegistryOptions& ro = o_.registry->options();
    Message m;
    if (a.attempts > 0) {  // the registry was asked: the exchange goes to the message log
      m.direction = "out";
      m.client = ro.client;
      m.service = ro.service;
      m.xroad_id = a.xroad_id;
      m.user_id = who.pseudonym;
      m.purpose = ro.legal_basis;
      m.subject = o_.store->SubjectKey(q.national_id);
      m.status = a.http_status;
      m.request_hash = a.request_hash;
      m.response_hash = a.response_hash;
    }
    m.at = o_.now_ms();
    const std::string verdict(VerdictName(a.verdict));
    if (Status s = o_.store->RecordCheck(who.account_id, verdict, m, req.request_id); !s.ok()) {
      return o_.error_page(503, req);
    }
    switch (a.verdict) {
      case Verdict::kVerified: {
        Status s = o_.accounts->MarkVerified(who.account_id, "civil-registry",
                                             {who.pseudonym, req.request_id, 0}, o_.now_ms());
        if (!s.ok()) return o_.error_page(503, req);
        return ShowIdentity(req, "", {}, "", 200);
      }
      case Verdict::kMismatch:
        return ShowIdentity(
            req, birth,
            {{"birth_date", a.mismatch == "birth_date" ? "interop.identity.birth_date_mismatch"
                                                       : "interop.identity.name_mismatch"}},
            "", 422);
      case Verdict::kNotFound:
        return ShowIdentity(req, birth, {{"", "interop.identity.not_found"}}, "", 422);
      case Verdict::kUnavailable:
        break;
    }
    return ShowIdentity(req, birth, {}, "interop.identity.at_counter", 200);
  }

  Response WhoLooked(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto account = o_.accounts->Get(who.account_id, true);
    if (!account.ok()) return o_.error_page(503, req);
    auto seen = o_.store->About(o_.store->SubjectKey(account->personal.national_id));
    if (!seen.ok()) return o_.error_page(503, req);
    // Staff lookups of the record at the counter and fields shown in full: the audit log's
    // entries about the account's pseudonym (never naming the member of staff here).
    std::vector<audit::Entry> looks;
    if (o_.audit) {
      audit::AuditLog::Filter f;
      f.object = account->pseudonym;
      f.action_prefix = "account.";
      f.limit = 200;
      auto entries = o_.audit->List(f);
      if (!entries.ok()) return o_.error_page(503, req);
      for (audit::Entry& e : *entries) {
        if (e.action == "account.lookup" || e.action == "account.unmask") {
          looks.push_back(std::move(e));
        }
      }
    }
    render::Page page(*o_.site, req, "interop-who-looked.tpl");
    page.SetPath("/account/who-looked");
    page.SetTitle(Msg().Get(lang, "interop.looked.title"));
    render::Dict& b = page.body();
    // Newest first, the two lists merged.
    size_t i = 0, j = 0;
    while (i < seen->size() || j < looks.size()) {
      const bool take_message =
          j == looks.size() || (i < seen->size() && (*seen)[i].at >= looks[j].time_ms);
      render::Dict* d = b.AddSectionDictionary("ROW");
      if (take_message) {
        const Message& x = (*seen)[i++];
        d->SetValue("AT", i18n::FormatDate(x.at, lang));
        d->SetValue("AT_ISO", i18n::FormatIsoUtc(x.at));
        const bool out = x.direction == "out";
        d->SetValueAndShowSection("WHO", out ? x.service.substr(0, x.service.rfind('/')) : x.client,
                                  "CLIENT");
        d->SetValue("WHAT", Msg().Get(lang, out ? "interop.looked.registry_check"
                                                : "interop.looked.query." + x.service));
        d->SetValue("WHY", out ? x.purpose
                               : Msg().Get(lang, x.status == 200 ? "interop.looked.answered"
                                                                 : "interop.looked.refused"));
        continue;
      }
      const audit::Entry& e = looks[j++];
      d->SetValue("AT", i18n::FormatDate(e.time_ms, lang));
      d->SetValue("AT_ISO", i18n::FormatIsoUtc(e.time_ms));
      std::string place = Msg().Get(lang, "interop.looked.staff");
      if (auto m = o_.tenancy->Get(e.municipality_id); m.ok()) {
        place = Msg().Format(lang, "interop.looked.staff_of", {{"municipality", m->name.In(lang)}});
      }
      d->SetValueAndShowSection("WHO", place, "STAFF");
      if (e.action == "account.lookup") {
        d->SetValue("WHAT", Msg().Get(lang, "interop.looked.lookup"));
        d->SetValue("WHY", Msg().Get(lang, "interop.looked.at_counter"));
      } else {
        // details: "field=<name>[;about=<tracking>]" as identity writes them (its first line;
        // the change it records follows on the next).
        const std::string first = e.details.substr(0, e.details.find('\n'));
        std::string field, about;
        for (size_t at = 0; at < first.size();) {
          const size_t end = std::min(first.find(';', at), first.size());
          const std::string part = first.substr(at, end - at);
          if (part.starts_with("field=")) field = part.substr(6);
          if (part.starts_with("about=")) about = part.substr(6);
          at = end + 1;
        }
        const std::string key = "interop.looked.field." + field;
        d->SetValue("WHAT",
                    Msg().Format(lang, "interop.looked.unmask",
                                 {{"field", Msg().Has(lang, key)
                                                ? Msg().Get(lang, key)
                                                : Msg().Get(lang, "interop.looked.field.other")}}));
        d->SetValue("WHY", about.empty() ? Msg().Get(lang, "interop.looked.at_counter")
                                         : Msg().Format(lang, "interop.looked.for_case",
                                                        {{"tracking", about}}));
      }
    }
    if (seen->empty() && looks.empty()) b.ShowSection("NONE");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  Response ShowIdentity(const Request& req, const std::string& birth,
                        const std::map<std::string, std::string>& errors,
                        const std::string& notice_key, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto account = o_.accounts->Get(who.account_id, true);
    if (!account.ok()) return o_.error_page(503, req);
    auto verified = o_.accounts->VerifiedAt(who.account_id);
    if (!verified.ok()) return o_.error_page(503, req);
    auto last = o_.store->LastCheck(who.account_id);
    if (!last.ok()) return o_.error_page(503, req);
    render::Page page(*o_.site, req, "interop-identity.tpl");
    page.SetPath("/account/identity");
    page.SetTitle(Msg().Get(lang, "interop.identity.title"));
    render::Dict& b = page.body();
    if (*verified) {
      b.SetValueAndShowSection("VERIFIED",
                               Msg().Format(lang, "interop.identity.verified",
                                            {{"date", i18n::FormatDate(*verified, lang)}}),
                               "IS_VERIFIED");
    } else {
      if (!notice_key.empty()) {
        b.SetValueAndShowSection("NOTICE", Msg().Get(lang, notice_key), "HAS_NOTICE");
      } else if (last->verdict == "unavailable") {
        b.SetValueAndShowSection("NOTICE", Msg().Get(lang, "interop.identity.pending"),
                                 "HAS_NOTICE");
      }
      b.ShowSection("NOT_VERIFIED");
      b.SetValue("LEGAL_BASIS", o_.registry->options().legal_basis);
      render::Form form;
      form.action = "/account/identity";
      form.submit_key = "interop.identity.submit";
      form.csrf = identity::TokenFor(req).value;
      form.errors = errors;
      render::FormField f{"birth_date",
                          "interop.identity.birth_date",
                          "interop.identity.birth_date_hint",
                          "date",
                          birth.empty() ? account->personal.birth_date : birth,
                          "bday",
                          "",
                          true,
                          true};
      form.fields = {f};
      render::IncludeForm(b, form, Msg(), lang);
    }
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddAccountRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<AccountPages>(options);
  auto on = http::MemberHandlers(pages);
  const identity::Access signed_in = identity::Access::SignedIn();
  routes.Get("/account/identity", signed_in, on(&AccountPages::Identity));
  routes.Post("/account/identity", signed_in, on(&AccountPages::Verify));
  routes.Get("/account/who-looked", signed_in, on(&AccountPages::WhoLooked));
}

}  // namespace baladiya::interop

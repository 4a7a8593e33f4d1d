#include "documents/web.h"

#include <boost/json.hpp>

#include "catalog/page.h"
#include "identity/credentials.h"
#include "identity/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/errors.h"

namespace baladiya::documents {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;

constexpr size_t kMaxReason = 500;

std::string OutcomeKey(const std::string& outcome) { return "documents.outcome." + outcome; }

json::object TextJson(const catalog::Text& t) { return {{"ar", t.ar}, {"en", t.en}}; }

class Pages {
 public:
  explicit Pages(WebOptions o) : o_(std::move(o)) {}

  const i18n::Catalog& Cat() const { return *o_.site->catalog; }
  std::string T(i18n::Lang lang, std::string_view key) const { return Cat().Get(lang, key); }

  // ---- the holder's and staff's document pages ---------------------------------------------

  Response Holder(Request& req) {
    auto d = o_.store->Find(req.PathParam("number"));
    if (!d.ok()) return Fail(d.error(), req);
    if (d->holder_account != identity::PrincipalOf(req).account_id) return o_.error_page(404, req);
    return Show(req, *d, false, {}, 200);
  }

  // The holder's documents, newest first.
  Response Mine(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto list = o_.store->OfHolder(identity::PrincipalOf(req).account_id);
    if (!list.ok()) return Fail(list.error(), req);
    render::Page page(*o_.site, req, "documents-mine.tpl");
    page.SetPath("/account/documents");
    page.SetTitle(T(lang, "documents.mine.title"));
    render::Dict& b = page.body();
    if (list->empty()) b.ShowSection("NONE");
    for (const auto& d : *list) {
      render::Dict* r = b.AddSectionDictionary("DOCUMENT");
      r->SetValue("HREF", "/account/documents/" + d.number);
      r->SetValue("TITLE", d.title.In(lang));
      r->SetValue("NUMBER", d.number);
      r->SetValue("ISSUED", i18n::FormatDate(d.issued_at, lang));
      r->SetValue("EXPIRES", i18n::FormatDate(d.expires_at, lang));
      const Standing s = StandingOf(d, o_.now_ms());
      r->SetValue("STANDING", T(lang, "documents.outcome." + std::string(StandingName(s))));
      r->SetValue("STANDING_CLASS", s == Standing::kValid ? "" : "badge-warning");
    }
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "private, no-store");
    return res;
  }

  Response HolderPdf(Request& req) {
    auto d = o_.store->Find(req.PathParam("number"));
    if (!d.ok()) return Fail(d.error(), req);
    if (d->holder_account != identity::PrincipalOf(req).account_id) return o_.error_page(404, req);
    return SendPdf(req, *d);
  }

  Response Staff(Request& req) {
    auto d = StaffDocument(req, Permission::kWorkCases);
    if (!d.ok()) return Fail(d.error(), req);
    return Show(req, *d, true, {}, 200);
  }

  Response StaffPdf(Request& req) {
    auto d = StaffDocument(req, Permission::kWorkCases);
    if (!d.ok()) return Fail(d.error(), req);
    return SendPdf(req, *d);
  }

  Response Revoke(Request& req) {
    auto d = StaffDocument(req, Permission::kManageDepartment);
    if (!d.ok()) return Fail(d.error(), req);
    const http::Params form = req.Form();
    std::string reason(form.Get("reason").value_or(""));
    if (reason.size() > kMaxReason) reason.clear();  // refused below, as if empty
    const identity::Principal& who = identity::PrincipalOf(req);
    Status st = o_.store->Revoke(d->number, d->municipality_id, reason, who.pseudonym,
                                 req.request_id, o_.now_ms());
    if (!st.ok()) {
      if (st.error().code == ErrorCode::kUnavailable || st.error().code == ErrorCode::kInternal) {
        return o_.error_page(http::StatusOf(st.error().code), req);
      }
      return Show(req, *d, true, st.error().message_key, http::StatusOf(st.error().code));
    }
    return Response::Redirect(StaffHref(req, *d) + "?revoked=1");
  }

  // ---- verification ----------------------------------------------------------------------

  Response VerifyPage(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    render::Page page(*o_.site, req, "documents-verify.tpl");
    page.SetPath("/verify");
    page.SetTitle(T(lang, "documents.verify.title"));
    render::Dict& b = page.body();
    const std::string code(req.query.Get("code").value_or(""));
    b.SetValue("CODE", code);
    if (code.empty()) return page.Finish(200);
    auto c = o_.store->Verify(code, o_.now_ms());
    if (!c.ok()) return o_.error_page(http::StatusOf(c.error().code), req);
    const bool answered =
        c->outcome == "valid" || c->outcome == "revoked" || c->outcome == "expired";
    if (!answered) {
      b.ShowSection("HAS_ERROR");
      b.SetValue("ERROR", T(lang, OutcomeKey(c->outcome)));
      return page.Finish(422);
    }
    render::Dict* r = b.AddSectionDictionary("RESULT");
    r->SetValue("OUTCOME", T(lang, OutcomeKey(c->outcome)));
    r->SetValue("OUTCOME_CLASS", c->outcome == "valid" ? "" : "badge-warning");
    r->SetValue("OUTCOME_KEY", c->outcome);
    FillFacts(*r, *c, lang);
    if (c->outcome == "revoked") {
      render::Dict* rv = r->AddSectionDictionary("REVOKED");
      rv->SetValue("REVOKED_AT", c->revoked_at ? i18n::FormatDate(c->revoked_at, lang) : "");
      rv->SetValue("REASON", c->revoked_reason);
    }
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response VerifyApi(Request& req) {
    std::string code(req.query.Get("code").value_or(""));
    if (req.method == http::Method::kPost) {
      json::error_code ec;
      json::value v = json::parse(req.body, ec);
      if (ec || !v.is_object()) {
        return render::ApiError(Cat(), req, 400, "bad_request", "api.bad_json");
      }
      auto* c = v.as_object().if_contains("code");
      code = c && c->is_string() ? std::string(c->as_string()) : "";
    }
    if (code.empty()) {
      return render::ApiError(Cat(), req, 422, "invalid", "documents.code_required",
                              {{"code", "documents.code_required"}});
    }
    auto c = o_.store->Verify(code, o_.now_ms());
    if (!c.ok()) return render::ApiError(Cat(), req, c.error());
    if (c->outcome != "valid" && c->outcome != "revoked" && c->outcome != "expired") {
      // The envelope's code is the platform's ("invalid"); the message says which refusal.
      return render::ApiError(Cat(), req, 422, "invalid", OutcomeKey(c->outcome),
                              {{"code", OutcomeKey(c->outcome)}});
    }
    const i18n::Lang lang = render::RequestLang(req);
    json::object doc{{"number", c->claims.number},
                     {"issuer", c->claims.issuer},
                     {"kind", c->claims.kind},
                     {"holder", c->claims.holder},
                     {"holder_id", c->claims.holder_id},
                     {"issued_at", i18n::FormatIsoUtc(c->claims.issued_at * 1000)},
                     {"expires_at", i18n::FormatIsoUtc(c->claims.expires_at * 1000)}};
    json::array facts;
    if (c->document) {
      doc["service"] = c->document->service_code;
      doc["holder"] = TextJson(c->document->holder);
      doc["title"] = TextJson(c->document->title);
      doc["office"] = TextJson(c->document->office);
      for (const auto& f : c->document->facts) {
        facts.push_back(json::object{{"field", f.field},
                                     {"label", TextJson(f.label)},
                                     {"value", TextJson(f.value)},
                                     {"answer", f.raw}});
      }
    } else {
      for (size_t i = 0; i < c->claims.facts.size(); ++i) {
        facts.push_back(
            json::object{{"field", std::to_string(i + 1)}, {"answer", c->claims.facts[i]}});
      }
    }
    doc["facts"] = std::move(facts);
    json::object out{{"status", c->outcome},
                     {"message", T(lang, OutcomeKey(c->outcome))},
                     {"document", std::move(doc)}};
    if (c->outcome == "revoked") {
      out["revoked"] =
          json::object{{"at", i18n::FormatIsoUtc(c->revoked_at)}, {"reason", c->revoked_reason}};
    }
    Response res = Response::Json(200, json::serialize(out));
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response KeySet(Request& req) {
    auto keys = o_.keys->All();
    if (!keys.ok()) return render::ApiError(Cat(), req, keys.error());
    Response res = Response::Json(200, KeySetJson(*keys));
    res.headers.Set("cache-control", "public, max-age=300");
    return res;
  }

  Response RevocationList(Request& req) {
    auto list = SignedRevocationList(*o_.store, *o_.keys, o_.now_ms());
    if (!list.ok()) return render::ApiError(Cat(), req, list.error());
    Response res = Response::Json(200, std::move(*list));
    res.headers.Set("cache-control", "no-cache");
    return res;
  }

 private:
  Response Fail(const Error& e, const Request& req) const {
    return o_.error_page(http::StatusOf(e.code), req);
  }

  std::string StaffHref(const Request& req, const Document& d) const {
    return "/m/" + std::string(req.PathParam("slug")) + "/documents/" + d.number;
  }

  // The document of the route's municipality that the principal may see with permission p in
  // its department; kNotFound otherwise (as if it did not exist).
  Result<Document> StaffDocument(const Request& req, Permission p) const {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto d = o_.store->Find(req.PathParam("number"));
    if (!d.ok()) return d;
    if (d->municipality_id != m->id ||
        !identity::Allowed(identity::PrincipalOf(req), p, m->id, d->department_id)) {
      return MakeError(ErrorCode::kNotFound, "documents.not_found");
    }
    return d;
  }

  Response SendPdf(const Request& req, const Document& d) const {
    auto pdf = o_.store->Pdf(d.number);
    if (!pdf.ok()) return Fail(pdf.error(), req);
    Response res;
    res.status = 200;
    res.body = std::move(*pdf);
    res.headers.Set("content-type", "application/pdf");
    res.headers.Set("content-disposition", "attachment; filename=\"" + d.number + ".pdf\"");
    res.headers.Set("cache-control", "private, no-store");
    return res;
  }

  void FillFacts(render::Dict& r, const Check& c, i18n::Lang lang) const {
    r.SetValue("NUMBER", c.claims.number);
    r.SetValue("KIND", T(lang, "documents.kind." + c.claims.kind));
    r.SetValue("HOLDER", c.document ? c.document->holder.In(lang) : c.claims.holder);
    r.SetValue("HOLDER_ID", c.claims.holder_id);
    r.SetValue("ISSUED", i18n::FormatDate(c.claims.issued_at * 1000, lang));
    r.SetValue("EXPIRES", i18n::FormatDate(c.claims.expires_at * 1000, lang));
    if (c.document) {
      r.SetValueAndShowSection("TITLE", c.document->title.In(lang), "HAS_TITLE");
      r.SetValue("OFFICE", c.document->office.In(lang));
      for (const auto& f : c.document->facts) {
        render::Dict* fd = r.AddSectionDictionary("FACT");
        fd->SetValue("LABEL", f.label.In(lang));
        fd->SetValue("VALUE", f.value.In(lang));
      }
    } else {
      r.SetValue("OFFICE", c.claims.issuer);
      for (size_t i = 0; i < c.claims.facts.size(); ++i) {
        render::Dict* fd = r.AddSectionDictionary("FACT");
        fd->SetValue("LABEL", i18n::FormatNumber(static_cast<int64_t>(i + 1), lang));
        fd->SetValue("VALUE", c.claims.facts[i]);
      }
    }
  }

  Response Show(const Request& req, const Document& d, bool staff, const std::string& error_key,
                int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const std::string href = staff ? StaffHref(req, d) : "/account/documents/" + d.number;
    render::Page page(*o_.site, req, "documents-document.tpl");
    page.SetPath(href);
    page.SetTitle(d.title.In(lang) + " " + d.number);
    render::Dict& b = page.body();
    b.SetValue("TITLE", d.title.In(lang));
    b.SetValue("NUMBER", d.number);
    b.SetValue("KIND", T(lang, "documents.kind." + d.kind));
    const Standing s = StandingOf(d, o_.now_ms());
    b.SetValue("STANDING", T(lang, "documents.outcome." + std::string(StandingName(s))));
    b.SetValue("STANDING_CLASS", s == Standing::kValid ? "" : "badge-warning");
    b.SetValue("HOLDER", d.holder.In(lang));
    b.SetValue("HOLDER_ID", d.holder_id);
    b.SetValue("ISSUED", i18n::FormatDate(d.issued_at, lang));
    b.SetValue("EXPIRES", i18n::FormatDate(d.expires_at, lang));
    b.SetValue("OFFICE", d.office.In(lang));
    b.SetValue("TRACKING", d.tracking);
    b.SetValue("CASE_HREF",
               staff ? "/m/" + std::string(req.PathParam("slug")) + "/cases/" + d.tracking
                     : "/account/cases/" + d.tracking);
    const std::string& body = d.body.In(lang);
    for (size_t at = 0; at <= body.size();) {
      size_t end = body.find('\n', at);
      if (end == std::string::npos) end = body.size();
      if (end > at)
        b.AddSectionDictionary("PARAGRAPH")->SetValue("TEXT", body.substr(at, end - at));
      at = end + 1;
    }
    for (const auto& f : d.facts) {
      render::Dict* fd = b.AddSectionDictionary("FACT");
      fd->SetValue("LABEL", f.label.In(lang));
      fd->SetValue("VALUE", f.value.In(lang));
    }
    const std::string address = VerifyAddress(o_.public_url, d.code);
    b.SetValue("QR_SVG", identity::QrSvg(address));
    b.SetValue("VERIFY_HREF", address);
    b.SetValue("CODE", d.code);
    if (d.pdf_size > 0) {
      render::Dict* p = b.AddSectionDictionary("HAS_PDF");
      p->SetValue("PDF_HREF", href + "/pdf");
      p->SetValue("PDF_SIZE", i18n::FormatNumber((d.pdf_size + 1023) / 1024, lang));
      p->SetValue("SHA256", d.pdf_sha256);
    }
    if (d.revoked_at) {
      render::Dict* rv = b.AddSectionDictionary("REVOKED");
      rv->SetValue("REVOKED_AT", i18n::FormatDate(d.revoked_at, lang));
      rv->SetValue("REASON", d.revoked_reason);
    }
    if (req.query.Get("revoked")) b.ShowSection("JUST_REVOKED");
    const identity::Principal& who = identity::PrincipalOf(req);
    if (staff && !d.revoked_at &&
        identity::Allowed(who, Permission::kManageDepartment, d.municipality_id, d.department_id)) {
      render::Dict* rf = b.AddSectionDictionary("CAN_REVOKE");
      rf->SetValue("REVOKE_HREF", href + "/revoke");
      rf->SetValue("CSRF", identity::TokenFor(req).value);
      if (!error_key.empty()) {
        rf->ShowSection("HAS_ERROR");
        rf->SetValue("ERROR", T(lang, error_key));
      }
    } else if (!error_key.empty()) {
      b.SetValueAndShowSection("ERROR", T(lang, error_key), "HAS_ERROR");
    }
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "private, no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

std::string VerifyAddress(const std::string& public_url, const std::string& code) {
  std::string out = public_url;
  while (!out.empty() && out.back() == '/') out.pop_back();
  out += "/verify?code=";
  for (char c : code) {
    if (c == ' ') {
      out += '+';  // a query's space
    } else if (c == '%') {
      out += "%25";
    } else if (c == '+') {
      out += "%2B";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Panel(const WebOptions& o, const Document& d, const http::Request& req, bool staff,
                  i18n::Lang lang) {
  const i18n::Catalog& cat = *o.site->catalog;
  render::Dict dict("documents-case-panel");
  dict.SetValue("TITLE", d.title.In(lang));
  dict.SetValue("NUMBER", d.number);
  const Standing s = StandingOf(d, o.now_ms());
  dict.SetValue("STANDING", cat.Get(lang, "documents.outcome." + std::string(StandingName(s))));
  dict.SetValue("STANDING_CLASS", s == Standing::kValid ? "" : "badge-warning");
  dict.SetValue("ISSUED", i18n::FormatDate(d.issued_at, lang));
  dict.SetValue("EXPIRES", i18n::FormatDate(d.expires_at, lang));
  const std::string href =
      staff ? "/m/" + std::string(req.PathParam("slug")) + "/documents/" + d.number
            : "/account/documents/" + d.number;
  dict.SetValue("HREF", href);
  if (d.pdf_size > 0) dict.SetValueAndShowSection("PDF_HREF", href + "/pdf", "HAS_PDF");
  auto html = o.site->templates->Expand("documents-case-panel.tpl", lang, dict);
  return html.ok() ? *html : std::string();
}

void AddRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<Pages>(options);
  auto on = [pages](Response (Pages::*fn)(Request&)) {
    return [pages, fn](Request& r) { return ((*pages).*fn)(r); };
  };
  routes.Get("/account/documents", Access::SignedIn(), on(&Pages::Mine));
  routes.Get("/account/documents/{number}", Access::SignedIn(), on(&Pages::Holder));
  routes.Get("/account/documents/{number}/pdf", Access::SignedIn(), on(&Pages::HolderPdf));
  routes.Get("/m/{slug}/documents/{number}", Access::Requires(Permission::kWorkCases),
             on(&Pages::Staff));
  routes.Get("/m/{slug}/documents/{number}/pdf", Access::Requires(Permission::kWorkCases),
             on(&Pages::StaffPdf));
  routes.Post("/m/{slug}/documents/{number}/revoke",
              Access::Requires(Permission::kManageDepartment), on(&Pages::Revoke));
  routes.Get("/verify", Access::Public(), on(&Pages::VerifyPage));
  routes.Get("/api/v1/verify", Access::Public(), on(&Pages::VerifyApi));
  routes.Post("/api/v1/verify", Access::Public(), on(&Pages::VerifyApi));
  routes.Get("/.well-known/baladiya/document-keys.json", Access::Public(), on(&Pages::KeySet));
  routes.Get("/.well-known/baladiya/revoked-documents.json", Access::Public(),
             on(&Pages::RevocationList));
}

}  // namespace baladiya::documents

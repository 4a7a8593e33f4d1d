// The resident's cases: the list, one case (its page is case_page.cpp's), answering a
// question staff asked, rating a closed case, reopening it, and its files.
#include "cases/web_internal.h"
#include "platform/http/multipart.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::cases {
namespace {

class ResidentPages : public PageBase {
 public:
  using PageBase::PageBase;

  // The day a draft untouched since now would be deleted (draft-days after its last change).
  int64_t KeptUntil(const Draft& d) const {
    return d.updated_at + int64_t{o_.draft_days} * 86'400'000;
  }

  Response Mine(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    const identity::Principal& who = PrincipalOf(req);
    auto cases = o_.cases->OfApplicant(who.account_id);
    auto drafts = o_.cases->Drafts(who.account_id);
    if (!cases.ok() || !drafts.ok()) return o_.error_page(503, req);
    render::Page page(*o_.site, req, "cases-mine.tpl");
    page.SetPath("/account/cases");
    page.SetTitle(Cat().Get(lang, "mine.title"));
    render::Dict& b = page.body();
    for (const auto& c : *cases) {
      b.ShowSection("HAS_CASES");
      render::Dict* d = b.AddSectionDictionary("CASE");
      d->SetValue("HREF", "/account/cases/" + c.tracking);
      d->SetValue("TRACKING", c.tracking);
      auto s = o_.services->Get(c.service_id);
      d->SetValue("SERVICE", s.ok() ? s->name.In(lang) : "");
      d->SetValue("STATE", s.ok() ? StateLabel(*s, c.state, lang) : c.state);
      d->SetValue("SUBMITTED", i18n::FormatDate(c.submitted_at, lang));
    }
    for (const auto& dr : *drafts) {
      b.ShowSection("HAS_DRAFTS");
      render::Dict* d = b.AddSectionDictionary("DRAFT");
      d->SetValue("HREF", DraftHref(dr) + "/page/" + std::to_string(dr.page + 1));
      d->SetValue("DELETE_HREF", DraftHref(dr) + "/delete");
      auto s = o_.services->Get(dr.service_id);
      d->SetValue("SERVICE", s.ok() ? s->name.In(lang) : "");
      d->SetValue("UPDATED", i18n::FormatDate(dr.updated_at, lang));
      d->SetValue("KEPT", Cat().Format(lang, "mine.kept_until",
                                       {{"date", i18n::FormatDate(KeptUntil(dr), lang)}}));
    }
    if (req.query.Get("deleted").value_or("") == "1") b.ShowSection("DELETED");
    if (req.query.Get("full").value_or("") == "1") b.ShowSection("FULL");
    // "Save and come back later" lands here: it says what was saved and how long it is kept.
    if (req.query.Get("saved").value_or("") == "1" && drafts.ok() && !drafts->empty()) {
      const Draft* latest = &drafts->front();
      for (const auto& dr : *drafts) {
        if (dr.updated_at > latest->updated_at) latest = &dr;
      }
      auto s = o_.services->Get(latest->service_id);
      b.SetValueAndShowSection("SAVED_TEXT",
                               Cat().Format(lang, "mine.saved",
                                            {{"service", s.ok() ? s->name.In(lang) : ""},
                                             {"days", i18n::FormatNumber(o_.draft_days, lang)},
                                             {"date", i18n::FormatDate(KeptUntil(*latest), lang)}}),
                               "SAVED");
    }
    if (cases->empty() && drafts->empty()) b.ShowSection("EMPTY");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response MyCase(Request& req) { return ShowCase(req, false, "", 200); }

  // The answer to a question staff asked: its text (required) and files, sent as
  // multipart/form-data (a plain form is read as an answer without files).
  Response Answer(Request& req) {
    auto c = ApplicantCase(req);
    if (!c) return Fail(c.error(), req);
    const identity::Principal& who = PrincipalOf(req);
    http::Params form = req.Form();
    std::vector<ReplyFile> files;
    if (auto boundary = http::MultipartBoundary(req.headers.Get("content-type"))) {
      auto parts = http::ParseMultipart(req.body, *boundary);
      if (!parts.ok()) return o_.error_page(400, req);
      form = http::FieldsOf(*parts);
      for (auto& part : *parts) {
        if (part.name == "files" && !part.filename.empty() && !part.data.empty())
          files.push_back({part.filename, std::move(part.data)});
      }
    }
    auto s = o_.services->Get(c->service_id);
    if (!s.ok()) return o_.error_page(503, req);
    auto wf = WorkflowOf(*s);
    auto calendar = CalendarOf(c->municipality_id);
    if (!wf.ok() || !calendar.ok()) return o_.error_page(503, req);
    Actor actor{who.account_id, who.pseudonym, {"resident"}, "web", req.request_id};
    auto r = o_.cases->Answer(c->id, ToInt(form.Get("version").value_or("")),
                              std::string(form.Get("action").value_or("")),
                              std::string(form.Get("comment").value_or("")), files, actor, *wf,
                              *calendar, *s, o_.now_ms());
    if (!r.ok()) return ShowCase(req, false, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/account/cases/" + c->tracking);
  }

  Response Rate(Request& req) {
    auto c = ApplicantCase(req);
    const identity::Principal& who = PrincipalOf(req);
    if (!c) return Fail(c.error(), req);
    http::Params form = req.Form();
    Actor actor{who.account_id, who.pseudonym, {"resident"}, "web", req.request_id};
    Status s = o_.cases->Rate(c->id, static_cast<int>(ToInt(form.Get("score").value_or(""))),
                              std::string(form.Get("comment").value_or("")), actor, o_.now_ms());
    if (!s.ok()) return ShowCase(req, false, s.error().message_key, StatusOf(s.error()));
    return Response::Redirect("/account/cases/" + c->tracking);
  }

  Response Reopen(Request& req) {
    auto c = ApplicantCase(req);
    const identity::Principal& who = PrincipalOf(req);
    if (!c) return Fail(c.error(), req);
    auto s = o_.services->Get(c->service_id);
    if (!s.ok()) return o_.error_page(503, req);
    auto wf = WorkflowOf(*s);
    auto calendar = CalendarOf(c->municipality_id);
    if (!wf.ok() || !calendar.ok()) return o_.error_page(503, req);
    Actor actor{who.account_id, who.pseudonym, {"resident"}, "web", req.request_id};
    auto r = o_.cases->Reopen(c->id, ToInt(req.Form().Get("version").value_or("")), o_.reopen_days,
                              actor, *wf, *calendar, *s, o_.now_ms());
    if (!r.ok()) return ShowCase(req, false, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/account/cases/" + c->tracking);
  }

  Response MyFile(Request& req) {
    auto c = ApplicantCase(req);
    if (!c) return Fail(c.error(), req);
    return SendFile(req, *c);
  }
};

}  // namespace

void AddResidentRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<ResidentPages>(options);
  auto on = http::MemberHandlers(pages);
  routes.Get("/account/cases", Access::SignedIn(), on(&ResidentPages::Mine));
  routes.Get("/account/cases/{tracking}", Access::SignedIn(), on(&ResidentPages::MyCase));
  routes.Post("/account/cases/{tracking}/answer", Access::SignedIn(), on(&ResidentPages::Answer));
  routes.Post("/account/cases/{tracking}/rate", Access::SignedIn(), on(&ResidentPages::Rate));
  routes.Post("/account/cases/{tracking}/reopen", Access::SignedIn(), on(&ResidentPages::Reopen));
  routes.Get("/account/cases/{tracking}/files/{file:int}", Access::SignedIn(),
             on(&ResidentPages::MyFile));
}

}  // namespace baladiya::cases

// The case page that staff (/m/{slug}/cases/{tracking}) and applicants
// (/account/cases/{tracking}) both see, each with what they may do, and acting on it.
#include "cases/follow_web.h"
#include "cases/web_internal.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/numbers.h"
#include "platform/render/form.h"

namespace baladiya::cases {

Response PageBase::Act(Request& req, const Case& c, const std::vector<std::string>& roles,
                       bool staff) {
  http::Params form = req.Form();
  auto s = o_.services->Get(c.service_id);
  if (!s.ok()) return o_.error_page(503, req);
  auto wf = WorkflowOf(*s);
  auto calendar = CalendarOf(c.municipality_id);
  if (!wf.ok() || !calendar.ok()) return o_.error_page(503, req);
  Actor actor = staff ? ActorOf(req, c.municipality_id, c.department_id)
                      : Actor{PrincipalOf(req).account_id, PrincipalOf(req).pseudonym, roles, "web",
                              req.request_id};
  actor.roles = roles;
  auto r = o_.cases->Transition(
      c.id, ToInt(form.Get("version").value_or("")), std::string(form.Get("action").value_or("")),
      std::string(form.Get("comment").value_or("")), actor, *wf, *calendar, *s, o_.now_ms());
  if (!r.ok()) return ShowCase(req, staff, r.error().message_key, StatusOf(r.error()));
  return Response::Redirect(staff ? "/m/" + std::string(req.PathParam("slug")) + "/cases/" +
                                        c.tracking
                                  : "/account/cases/" + c.tracking);
}

Response PageBase::ShowCase(Request& req, bool staff, const std::string& error_key, int status) {
  i18n::Lang lang = render::RequestLang(req);
  const identity::Principal& who = PrincipalOf(req);
  Result<Case> c = staff ? StaffCaseOf(req) : ApplicantCase(req);
  if (!c) return Fail(c.error(), req);
  auto s = o_.services->Get(c->service_id);
  if (!s.ok()) return o_.error_page(503, req);
  auto wf = WorkflowOf(*s);
  if (!wf.ok()) return o_.error_page(503, req);
  auto history = o_.cases->History(c->id, staff);
  if (!history.ok()) return o_.error_page(503, req);
  const std::string href =
      staff ? "/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking
            : "/account/cases/" + c->tracking;
  render::Page page(*o_.site, req, "cases-case.tpl");
  page.SetPath(href);
  page.SetTitle(Cat().Get(lang, "case.title") + " " + i18n::IsolateLatin(c->tracking));
  render::Dict& b = page.body();
  b.SetValue("SERVICE", s->name.In(lang));
  b.SetValue("TRACKING", c->tracking);
  if (!staff && req.query.Get("submitted")) {
    b.SetValueAndShowSection("NOTICE", Cat().Get(lang, "apply.done_next"), "HAS_NOTICE");
    if (req.query.Get("routed"))
      b.SetValueAndShowSection("ROUTED", RoutedHereNotice(o_, lang, c->municipality_id),
                               "HAS_ROUTED");
  }
  b.SetValue("STATE", StateLabel(*s, c->state, lang));
  b.SetValue("SUBMITTED", i18n::FormatDate(c->submitted_at, lang));
  for (const Panel& panel : staff ? o_.staff_panels : o_.applicant_panels) {
    auto html = panel(PanelRequest{*c, *s, req, lang});
    if (!html.ok()) return o_.error_page(503, req);
    if (!html->empty()) b.AddSectionDictionary("PANEL")->SetValue("HTML", *html);
  }
  if (!c->closed_at) {
    b.SetValueAndShowSection("DUE", i18n::FormatDate(c->due_at, lang), "HAS_DUE");
    if (c->Overdue(o_.now_ms())) b.ShowSection("OVERDUE");
  }
  b.SetValue("CHANNEL", Cat().Get(lang, "channel." + c->channel));
  b.SetValue("FEE", i18n::FormatMoney(c->fee_minor, c->currency, lang));
  if (staff && c->assigned_to) {
    b.SetValueAndShowSection(
        "ASSIGNEE",
        Cat().Get(lang, c->assigned_to == who.account_id ? "queue.me" : "queue.someone"),
        "HAS_ASSIGNEE");
  }
  const std::vector<std::string> roles = staff ? RolesFor(who, c->municipality_id, c->department_id)
                                               : std::vector<std::string>{"resident"};
  const std::string csrf = identity::TokenFor(req).value;
  auto allowed = workflow::AllowedTransitions(*wf, c->state, roles);
  if (!allowed.empty() || staff || !error_key.empty()) {
    render::Dict* actions = b.AddSectionDictionary("ACTIONS");
    if (!error_key.empty()) {
      actions->ShowSection("ERRORS");
      actions->SetValue("ERROR", Cat().Get(lang, error_key));
    }
    for (const workflow::Transition* t : allowed) {
      render::Dict* a = actions->AddSectionDictionary("ACTION");
      a->SetValue("ACTION_HREF", href + (staff ? "/act" : "/answer"));
      a->SetValue("CSRF", csrf);
      a->SetValue("VERSION", std::to_string(c->version));
      a->SetValue("ACTION_KEY", t->action);
      a->SetValue("ACTION_LABEL", t->label.In(lang));
      if (t->comment_required) {
        a->ShowSection("REQUIRED");
      } else {
        a->ShowSection("OPTIONAL");
      }
    }
    if (staff) {
      actions->ShowSection("CAN_NOTE");
      actions->SetValue("NOTE_HREF", href + "/note");
      actions->SetValue("CSRF", csrf);
      actions->SetValue("VERSION", std::to_string(c->version));
      if (c->assigned_to != who.account_id && !c->closed_at) {
        actions->ShowSection("CAN_ASSIGN");
        actions->SetValue("ASSIGN_HREF", href + "/assign");
      }
      if (s->kind == catalog::ServiceKind::kReport && !c->closed_at &&
          MayTransfer(who, c->municipality_id, c->department_id))
        actions->SetValueAndShowSection("TRANSFER_HREF", href + "/transfer", "CAN_TRANSFER");
      follow::AddMergeForm(*actions, o_, req, *c, *s, href);  // reports: merge a duplicate
    }
  }
  auto files = o_.cases->Attachments(0, c->id);
  for (const auto& p : s->form.pages) {
    for (const auto& f : p.fields) {
      auto a = c->answers.find(f.name);
      if (a == c->answers.end()) continue;
      render::Dict* d = b.AddSectionDictionary("ANSWER");
      d->SetValue("LABEL", f.label.In(lang));
      if (f.type != catalog::FieldType::kFile || !files.ok()) {
        d->SetValue("VALUE", AnswerText(f, a->second, lang));
        continue;
      }
      for (const auto& att : *files) {
        if (std::find(a->second.begin(), a->second.end(), AttachmentRef(att.id)) == a->second.end())
          continue;
        render::Dict* link = d->AddSectionDictionary("FILE_LINK");
        link->SetValue("FILE_HREF", href + "/files/" + std::to_string(att.id));
        link->SetValue("FILE_NAME", att.file_name);
        link->SetValue("FILE_SIZE", SizeText(att.size, lang));
      }
    }
  }
  for (const auto& e : *history) {
    render::Dict* d = b.AddSectionDictionary("EVENT");
    d->SetValue("WHEN", i18n::FormatDate(e.at, lang));
    d->SetValue("ISO", i18n::FormatIsoUtc(e.at));
    std::string what;
    if (e.kind == "transition" || e.kind == "submitted") {
      what = Cat().Format(lang, "case.event_state", {{"state", StateLabel(*s, e.to_state, lang)}});
    } else if (e.kind == "transferred") {
      what = TransferredText(o_, lang, e.comment);
    } else {
      what = Cat().Get(lang, "case.event_" + e.kind);
    }
    d->SetValue("WHAT", what);
    if (!e.comment.empty() && e.kind != "assigned" && e.kind != "transferred")
      d->SetValueAndShowSection("COMMENT", e.comment, "HAS_COMMENT");
  }
  if (!staff && c->closed_at) {
    auto score = o_.cases->RatingOf(c->id);
    if (score.ok() && *score == 0) {
      render::Dict* rate = b.AddSectionDictionary("RATE");
      rate->SetValue("RATE_HREF", href + "/rate");
      rate->SetValue("CSRF", csrf);
      for (int v = 5; v >= 1; --v) {
        render::Dict* sc = rate->AddSectionDictionary("SCORE");
        sc->SetValue("VALUE", std::to_string(v));
        sc->SetValue("LABEL", Cat().Get(lang, "rating.score_" + std::to_string(v)));
      }
    } else if (score.ok()) {
      b.ShowSection("RATED");
    }
    if (o_.now_ms() - c->closed_at <= int64_t{o_.reopen_days} * 86'400'000) {
      render::Dict* reopen = b.AddSectionDictionary("REOPEN");
      reopen->SetValue("REOPEN_HREF", href + "/reopen");
      reopen->SetValue("CSRF", csrf);
      reopen->SetValue("VERSION", std::to_string(c->version));
      reopen->SetValue("REOPEN_TEXT",
                       Cat().Format(lang, "case.reopen_text",
                                    {{"days", i18n::FormatNumber(o_.reopen_days, lang)}}));
    }
  }
  b.SetValue("BACK_HREF",
             staff ? "/m/" + std::string(req.PathParam("slug")) + "/queue" : "/account/cases");
  b.SetValue("BACK_LABEL", Cat().Get(lang, staff ? "case.back_queue" : "case.back_mine"));
  Response res = page.Finish(status);
  res.headers.Set("cache-control", "no-store");
  return res;
}

}  // namespace baladiya::cases

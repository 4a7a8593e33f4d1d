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

Response PageBase::ShowCase(Request& req, bool staff, const std::string& error_key, int status,
                            std::string_view unmask_field, const identity::Account* unmasked) {
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
  // A report merged into another is shown as such, not by the final state it was closed in.
  std::string merged_into;
  for (const auto& e : *history) {
    if (e.kind == "merged") merged_into = e.comment;
  }
  b.SetValue("STATE", merged_into.empty()
                          ? StateLabel(*s, c->state, lang)
                          : Cat().Format(lang, "case.state_merged",
                                         {{"tracking", "\u2068" + merged_into + "\u2069"}}));
  if (staff && s->kind == catalog::ServiceKind::kReport) {
    auto followers = o_.cases->FollowerCount(c->id);
    if (!followers.ok()) return o_.error_page(503, req);
    b.SetValueAndShowSection("FOLLOWERS", i18n::FormatNumber(*followers, lang), "HAS_FOLLOWERS");
  }
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
    b.SetValueAndShowSection("ASSIGNEE",
                             c->assigned_to == who.account_id ? Cat().Get(lang, "queue.me")
                                                              : StaffName(c->assigned_to, lang),
                             "HAS_ASSIGNEE");
  }
  if (staff) AddApplicant(b, req, *c, *s, href, unmask_field, unmasked);
  const std::vector<std::string> roles = staff ? RolesFor(who, c->municipality_id, c->department_id)
                                               : std::vector<std::string>{"resident"};
  const std::string csrf = identity::TokenFor(req).value;
  auto allowed = workflow::AllowedTransitions(*wf, c->state, roles);
  // A question staff asked, while the case waits for the applicant: the applicant's answer
  // form (required text, files) sits right under it, and leaves the actions below.
  bool ask_shown = false;
  if (!staff && c->paused_at != 0 && !allowed.empty()) {
    const Event* asked = nullptr;
    for (const auto& e : *history) {
      if (e.kind == "transition" && e.to_state == c->state && !e.comment.empty()) asked = &e;
    }
    if (asked) {
      render::Dict* ask = b.AddSectionDictionary("ASK");
      ask->SetValue("QUESTION", asked->comment);
      ask->SetValue("ASKED", i18n::FormatDate(asked->at, lang));
      ask->SetValue("ANSWER_HREF", href + "/answer");
      ask->SetValue("CSRF", csrf);
      ask->SetValue("VERSION", std::to_string(c->version));
      ask->SetValue("ACTION_KEY", allowed.front()->action);
      ask->SetValue("ACTION_LABEL", allowed.front()->label.In(lang));
      ask->SetValue("FILES_HINT",
                    Cat().Format(lang, "case.answer_files_hint",
                                 {{"count", i18n::FormatNumber(kMaxReplyFiles, lang)},
                                  {"mb", i18n::FormatNumber(kMaxAttachmentBytes >> 20, lang)}}));
      if (!error_key.empty()) {
        const bool files_error = error_key.starts_with("form.");
        ask->SetValue("ERROR", Cat().Get(lang, error_key));
        ask->SetValue("ERROR_FIELD", files_error ? "answer-files" : "answer");
        ask->ShowSection(files_error ? "FILES_ERROR" : "TEXT_ERROR");
        ask->ShowSection("HAS_ERROR");
      }
      allowed.erase(allowed.begin());
      ask_shown = true;
    }
  }
  if (!allowed.empty() || staff || (!error_key.empty() && !ask_shown)) {
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
      if (!c->closed_at) {
        render::Dict* pr = actions->AddSectionDictionary("PRIORITY");
        pr->SetValue("PRIORITY_HREF", href + "/priority");
        for (int level = 0; level <= kMaxPriority; ++level) {
          render::Dict* o = pr->AddSectionDictionary("PRIORITY_OPTION");
          o->SetValue("VALUE", std::to_string(level));
          o->SetValue("LABEL", Cat().Get(lang, "priority.level_" + std::to_string(level)));
          if (level == c->priority) o->ShowSection("SELECTED");
        }
      }
      actions->SetValue("CSRF", csrf);
      actions->SetValue("VERSION", std::to_string(c->version));
      if (c->assigned_to != who.account_id && !c->closed_at) {
        actions->ShowSection("CAN_ASSIGN");
        actions->SetValue("ASSIGN_HREF", href + "/assign");
      }
      if (!c->closed_at) AddAssignment(*actions, req, *c, href);
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
  if (files.ok()) {  // the files sent with answers to questions
    render::Dict* d = nullptr;
    for (const auto& att : *files) {
      if (att.field != kReplyField) continue;
      if (!d) {
        d = b.AddSectionDictionary("ANSWER");
        d->SetValue("LABEL", Cat().Get(lang, "case.reply_files"));
      }
      render::Dict* link = d->AddSectionDictionary("FILE_LINK");
      link->SetValue("FILE_HREF", href + "/files/" + std::to_string(att.id));
      link->SetValue("FILE_NAME", att.file_name);
      link->SetValue("FILE_SIZE", SizeText(att.size, lang));
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
    } else if (e.kind == "assigned" && ToInt(e.comment) > 0) {
      what = Cat().Format(lang, "case.event_assigned_to",
                          {{"name", StaffName(ToInt(e.comment), lang)}});
    } else if (e.kind == "assigned" && e.comment == "0") {
      what = Cat().Get(lang, "case.event_unassigned");
    } else {
      what = Cat().Get(lang, "case.event_" + e.kind);
    }
    d->SetValue("WHAT", what);
    if (!e.comment.empty() && e.kind != "assigned" && e.kind != "transferred")
      d->SetValueAndShowSection("COMMENT", e.comment, "HAS_COMMENT");
  }
  if (!staff && c->closed_at && merged_into.empty()) {
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

std::string PageBase::StaffName(int64_t account_id, i18n::Lang lang) const {
  auto a = o_.accounts->Get(account_id, false);
  if (!a.ok()) return Cat().Get(lang, "queue.someone");
  const std::string& name =
      lang == i18n::Lang::kEn && !a->full_name_en.empty() ? a->full_name_en : a->full_name_ar;
  return a->username.empty() ? name : name + " (" + a->username + ")";
}

Result<std::vector<identity::Account>> PageBase::DepartmentStaff(int64_t municipality_id,
                                                                 int64_t department_id) const {
  auto staff = o_.accounts->Staff(municipality_id);
  if (!staff.ok()) return std::move(staff).error();
  std::vector<identity::Account> out;
  for (auto& a : *staff) {
    if (a.status != identity::AccountStatus::kActive) continue;
    auto grants = o_.accounts->Grants(a.id);
    if (!grants.ok()) return std::move(grants).error();
    identity::Principal p;
    p.account_id = a.id;
    p.staff = true;
    p.mfa_satisfied = true;
    p.grants = std::move(*grants);
    if (identity::Allowed(p, Permission::kWorkCases, municipality_id, department_id))
      out.push_back(std::move(a));
  }
  return out;
}

void PageBase::AddApplicant(render::Dict& b, const Request& req, const Case& c,
                            const catalog::Service& s, const std::string& href,
                            std::string_view unmask_field, const identity::Account* unmasked) {
  const i18n::Lang lang = render::RequestLang(req);
  const identity::Principal& who = PrincipalOf(req);
  render::Dict* section = b.AddSectionDictionary("APPLICANT");
  auto account = c.applicant_id ? o_.accounts->Get(c.applicant_id, true)
                                : Result<identity::Account>(NotYours());
  if (!account.ok()) {
    section->ShowSection("NO_ACCOUNT");
    return;
  }
  render::Dict* d = section->AddSectionDictionary("HAS_ACCOUNT");
  d->SetValue("APPLICANT_NAME", lang == i18n::Lang::kEn && !account->full_name_en.empty()
                                    ? account->full_name_en
                                    : account->full_name_ar);
  const bool may_unmask =
      identity::Allowed(who, Permission::kUnmaskPersonalData, c.municipality_id, c.department_id);
  const std::string csrf = identity::TokenFor(req).value;
  const bool report = s.kind == catalog::ServiceKind::kReport;
  for (auto [field, label] :
       {std::pair<const char*, const char*>{"national_id", "register.national_id.label"},
        {"phone", report ? "case.callback" : "register.phone.label"}}) {
    const std::string& value = std::string_view(field) == "phone" ? account->personal.phone
                                                                  : account->personal.national_id;
    if (value.empty()) continue;
    render::Dict* f = d->AddSectionDictionary("PERSONAL");
    f->SetValue("LABEL", Cat().Get(lang, label));
    const bool shown = unmasked != nullptr && unmask_field == field;
    f->SetValue("VALUE", shown ? value : identity::Mask(value));
    if (shown && std::string_view(field) == "phone") {
      std::string tel;
      for (char ch : value) {
        if ((ch >= '0' && ch <= '9') || ch == '+') tel.push_back(ch);
      }
      f->SetValueAndShowSection("TEL", tel, "CALL");
    }
    if (!shown && may_unmask) {
      render::Dict* u = f->AddSectionDictionary("UNMASK");
      u->SetValue("UNMASK_HREF", href + "/unmask");
      u->SetValue("CSRF", csrf);
      u->SetValue("FIELD", field);
      u->SetValue("LABEL", Cat().Get(lang, label));
    }
  }
  if (may_unmask) d->ShowSection("AUDITED");
}

void PageBase::AddAssignment(render::Dict& actions, const Request& req, const Case& c,
                             const std::string& href) {
  const i18n::Lang lang = render::RequestLang(req);
  const identity::Principal& who = PrincipalOf(req);
  if (!identity::Allowed(who, Permission::kManageDepartment, c.municipality_id, c.department_id))
    return;
  auto staff = DepartmentStaff(c.municipality_id, c.department_id);
  if (!staff.ok()) return;
  render::Dict* r = actions.AddSectionDictionary("REASSIGN");
  r->SetValue("ASSIGN_HREF", href + "/assign");
  r->SetValue("CSRF", identity::TokenFor(req).value);
  r->SetValue("VERSION", std::to_string(c.version));
  for (const auto& a : *staff) {
    render::Dict* o = r->AddSectionDictionary("STAFF_OPTION");
    o->SetValue("VALUE", std::to_string(a.id));
    o->SetValue("LABEL", (lang == i18n::Lang::kEn && !a.full_name_en.empty() ? a.full_name_en
                                                                             : a.full_name_ar) +
                             " (" + a.username + ")");
    if (a.id == c.assigned_to) o->ShowSection("SELECTED");
  }
  if (c.assigned_to) r->ShowSection("UNASSIGN");
}

}  // namespace baladiya::cases

// The back office: a department's queue (filters, paging, bulk assignment), the staff case page
// (case_page.cpp) and its actions: workflow transitions, notes, merging, assignment, files.
#include "cases/follow_web.h"
#include "cases/web_internal.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::cases {
namespace {

class StaffPages : public PageBase {
 public:
  using PageBase::PageBase;

  Response Queue(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    const identity::Principal& who = PrincipalOf(req);
    QueueFilter f;
    f.municipality_id = m->id;
    f.departments = WorkDepartments(who, m->id);
    f.state = std::string(req.query.Get("state").value_or(""));
    f.service_id = ToInt(req.query.Get("service").value_or(""));
    f.sla = std::string(req.query.Get("sla").value_or(""));
    f.channel = std::string(req.query.Get("channel").value_or(""));
    if (!f.channel.empty() && !ValidChannel(f.channel)) f.channel.clear();
    f.sort = std::string(req.query.Get("sort").value_or("due"));
    f.offset = static_cast<int>(std::max<int64_t>(0, ToInt(req.query.Get("offset").value_or(""))));
    f.limit = 25;
    auto page_of = o_.cases->Queue(f, o_.now_ms());
    auto services = o_.services->Summaries(m->id);
    if (!page_of.ok() || !services.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/queue";
    render::Page page = SitePage(req, *m, "cases-queue.tpl", href, "queue.title");
    render::Dict& b = page.body();
    b.SetValue("HREF", href);
    auto option = [&](const char* section, const std::string& value, const std::string& label,
                      bool selected) {
      render::Dict* d = b.AddSectionDictionary(section);
      d->SetValue("VALUE", value);
      d->SetValue("LABEL", label);
      if (selected) d->ShowSection("SELECTED");
    };
    option("STATE_OPTION", "", Cat().Get(lang, "queue.all_open"), f.state.empty());
    // Every state a case of the municipality's services can be in: the default workflow's, then
    // those the admin added to a service's own workflow (each key once, labelled by the first
    // workflow that names it).
    std::set<std::string> listed;
    auto add_states = [&](const workflow::Workflow& wf) {
      for (const auto& st : wf.states) {
        if (listed.insert(st.key).second)
          option("STATE_OPTION", st.key, st.label.In(lang), f.state == st.key);
      }
    };
    add_states(workflow::DefaultWorkflow(Cat()));
    for (const auto& s : *services) {
      if (s.workflow_json.empty()) continue;
      if (auto wf = workflow::ForService(s, Cat()); wf.ok()) add_states(*wf);
    }
    option("STATE_OPTION", "closed", Cat().Get(lang, "queue.closed"), f.state == "closed");
    option("SERVICE_OPTION", "", Cat().Get(lang, "queue.all_services"), f.service_id == 0);
    std::map<int64_t, const catalog::Service*> by_id;
    for (const auto& s : *services) {
      by_id[s.id] = &s;
      option("SERVICE_OPTION", std::to_string(s.id), s.name.In(lang), f.service_id == s.id);
    }
    for (const char* v : {"", "overdue", "on_time"}) {
      option("SLA_OPTION", v, Cat().Get(lang, std::string("queue.sla_") + (*v ? v : "any")),
             f.sla == v);
    }
    option("CHANNEL_OPTION", "", Cat().Get(lang, "queue.all_channels"), f.channel.empty());
    for (const auto& c : catalog::AllChannels()) {
      option("CHANNEL_OPTION", c, Cat().Get(lang, "channel." + c), f.channel == c);
    }
    for (const char* v : {"due", "priority", "submitted", "-submitted"}) {
      option("SORT_OPTION", v,
             Cat().Get(lang, std::string("queue.sort_") + (v[0] == '-' ? "newest" : v)),
             f.sort == v);
    }
    b.SetValue("COUNT",
               Cat().Format(lang, page_of->total_capped ? "queue.count_more" : "queue.count",
                            {{"count", i18n::FormatNumber(page_of->total, lang)}}));
    const int64_t now = o_.now_ms();
    // Department heads assign cases, several at once, to anyone who works the municipality's
    // cases.
    const bool can_assign = identity::AllowedSomewhere(who, Permission::kManageDepartment, m->id);
    if (can_assign && !page_of->cases.empty()) {
      b.ShowSection("CAN_ASSIGN");
      b.SetValue("ASSIGN_HREF", href + "/assign");
      b.SetValue("CSRF", identity::TokenFor(req).value);
      auto staff = o_.accounts->Staff(m->id);
      auto departments = o_.tenancy->Departments(m->id);
      if (!departments.ok()) return o_.error_page(503, req);
      if (staff.ok()) {
        for (const auto& a : *staff) {
          if (a.status != identity::AccountStatus::kActive) continue;
          auto grants = o_.accounts->Grants(a.id);
          if (!grants.ok()) continue;
          identity::Principal p;
          p.account_id = a.id;
          p.staff = true;
          p.mfa_satisfied = true;
          p.grants = *grants;
          // Only staff who work a department whose cases this head may assign.
          bool theirs = false;
          for (const auto& dep : *departments) {
            theirs =
                theirs || (identity::Allowed(who, Permission::kManageDepartment, m->id, dep.id) &&
                           identity::Allowed(p, Permission::kWorkCases, m->id, dep.id));
          }
          if (!theirs) continue;
          render::Dict* d = b.AddSectionDictionary("ASSIGNEE");
          d->SetValue("VALUE", std::to_string(a.id));
          d->SetValue("LABEL",
                      (lang == i18n::Lang::kEn && !a.full_name_en.empty() ? a.full_name_en
                                                                          : a.full_name_ar) +
                          " (" + a.username + ")");
        }
      }
    }
    if (auto n = req.query.Get("assigned"); n && !n->empty()) {
      b.SetValueAndShowSection(
          "NOTICE",
          Cat().Format(lang, "queue.assigned",
                       {{"count", i18n::FormatNumber(ToInt(*n), lang)},
                        {"conflicts", i18n::FormatNumber(
                                          ToInt(req.query.Get("conflicts").value_or("0")), lang)}}),
          "HAS_NOTICE");
    }
    std::map<int64_t, std::optional<workflow::Workflow>> flows;  // per service, for this page
    for (const auto& c : page_of->cases) {
      b.ShowSection("HAS_CASES");
      render::Dict* d = b.AddSectionDictionary("CASE");
      d->SetValue("CASE_HREF", "/m/" + m->slug + "/cases/" + c.tracking);
      d->SetValue("TRACKING", c.tracking);
      if (can_assign) {
        d->ShowSection("SELECTABLE");
        d->SetValue("VERSION", std::to_string(c.version));
      }
      auto it = by_id.find(c.service_id);
      d->SetValue("SERVICE", it != by_id.end() ? it->second->name.In(lang) : "");
      d->SetValue("STATE", it != by_id.end() ? StateLabelCached(*it->second, c.state, lang, flows)
                                             : c.state);
      d->SetValue("CHANNEL", Cat().Get(lang, "channel." + c.channel));
      d->SetValue("PRIORITY", Cat().Get(lang, "priority.level_" + std::to_string(c.priority)));
      if (c.priority > 0) d->ShowSection("RAISED");
      d->SetValue("SUBMITTED", i18n::FormatDate(c.submitted_at, lang));
      d->SetValue("DUE", c.closed_at ? "" : i18n::FormatDate(c.due_at, lang));
      if (c.Overdue(now)) d->ShowSection("OVERDUE");
      d->SetValue("ASSIGNED", c.assigned_to == who.account_id ? Cat().Get(lang, "queue.me")
                              : c.assigned_to                 ? Cat().Get(lang, "queue.someone")
                                                              : "");
    }
    auto link = [&](int offset) {
      std::string q = "?offset=" + std::to_string(offset);
      for (const char* k : {"state", "service", "sla", "channel", "sort"}) {
        if (auto v = req.query.Get(k); v && !v->empty())
          q += std::string("&") + k + "=" + http::PercentEncode(*v);
      }
      return href + q;
    };
    if (f.offset > 0)
      b.SetValueAndShowSection("PREV_HREF", link(std::max(0, f.offset - f.limit)), "HAS_PREV");
    if (f.offset + f.limit < page_of->total)
      b.SetValueAndShowSection("NEXT_HREF", link(f.offset + f.limit), "HAS_NEXT");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response StaffCase(Request& req) { return ShowCase(req, true, "", 200); }

  // Assigns the selected cases ("TRACKING:VERSION" each) to one member of staff; a case that
  // changed since the page was shown is counted as a conflict and left as it is.
  Response BulkAssign(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    http::Params form = req.Form();
    const identity::Principal& who = PrincipalOf(req);
    const int64_t assignee = ToInt(form.Get("assignee").value_or(""));
    auto target = o_.accounts->Get(assignee, false);
    auto grants = o_.accounts->Grants(assignee);
    if (!target.ok() || !grants.ok() || target->kind != identity::AccountKind::kStaff)
      return o_.error_page(400, req);
    identity::Principal them;
    them.account_id = assignee;
    them.staff = true;
    them.mfa_satisfied = true;
    them.grants = *grants;
    int assigned = 0;
    int conflicts = 0;
    for (auto value : form.GetAll("case")) {
      const size_t colon = value.rfind(':');
      if (colon == std::string_view::npos) continue;
      auto c = o_.cases->FindByTracking(value.substr(0, colon));
      if (!c.ok() || c->municipality_id != m->id ||
          !identity::Allowed(who, Permission::kManageDepartment, m->id, c->department_id) ||
          !identity::Allowed(them, Permission::kWorkCases, m->id, c->department_id)) {
        ++conflicts;
        continue;
      }
      auto r = o_.cases->Assign(c->id, ToInt(value.substr(colon + 1)), assignee,
                                ActorOf(req, m->id, c->department_id), o_.now_ms());
      if (r.ok()) {
        ++assigned;
      } else {
        ++conflicts;
      }
    }
    return Response::Redirect("/m/" + m->slug + "/queue?assigned=" + std::to_string(assigned) +
                              "&conflicts=" + std::to_string(conflicts));
  }

  // Shows one of the applicant's personal fields in full, audited as at the counter.
  Response StaffUnmask(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return Fail(c.error(), req);
    const identity::Principal& who = PrincipalOf(req);
    const std::string field(req.Form().Get("field").value_or(""));
    if (field != "national_id" && field != "phone") return o_.error_page(400, req);
    if (c->applicant_id == 0) return o_.error_page(404, req);
    auto account = o_.accounts->UnmaskFor(
        who, c->municipality_id, c->department_id, c->applicant_id, field, c->tracking,
        {who.pseudonym, req.request_id, c->municipality_id}, o_.now_ms());
    if (!account.ok()) return Fail(account.error(), req);
    return ShowCase(req, true, "", 200, field, &*account);
  }

  Response StaffFile(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return Fail(c.error(), req);
    return SendFile(req, *c);
  }

  Response StaffAct(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return Fail(c.error(), req);
    return Act(req, *c, RolesFor(PrincipalOf(req), c->municipality_id, c->department_id), true);
  }

  // Closes the report as a duplicate of another (follow_web.h).
  Response StaffMerge(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return Fail(c.error(), req);
    auto merged = follow::MergeCase(o_, req, *c);
    if (!merged.ok()) {
      const std::string key = merged.error().code == ErrorCode::kInternal
                                  ? std::string("error.internal")
                                  : merged.error().message_key;
      return ShowCase(req, true, key, StatusOf(merged.error()));
    }
    return Response::Redirect("/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking);
  }

  // The priority staff give a report (normal, high, urgent): shown and sorted on in the queue.
  Response StaffPriority(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return Fail(c.error(), req);
    http::Params form = req.Form();
    auto r = o_.cases->SetPriority(c->id, ToInt(form.Get("version").value_or("")),
                                   static_cast<int>(ToInt(form.Get("priority").value_or(""), -1)),
                                   ActorOf(req, c->municipality_id, c->department_id), o_.now_ms());
    if (!r.ok()) return ShowCase(req, true, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking);
  }

  Response StaffNote(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return Fail(c.error(), req);
    http::Params form = req.Form();
    auto r = o_.cases->AddNote(c->id, ToInt(form.Get("version").value_or("")),
                               std::string(form.Get("note").value_or("")),
                               ActorOf(req, c->municipality_id, c->department_id), o_.now_ms());
    if (!r.ok()) return ShowCase(req, true, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking);
  }

  // Without an assignee: takes the case oneself. With one (the head of the case's department
  // only): gives it to a member of staff who works that department, or, with 0, puts it back in
  // the queue unassigned.
  Response StaffAssign(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return Fail(c.error(), req);
    http::Params form = req.Form();
    const identity::Principal& who = PrincipalOf(req);
    int64_t assignee = who.account_id;
    if (auto named = form.Get("assignee")) {
      if (!identity::Allowed(who, Permission::kManageDepartment, c->municipality_id,
                             c->department_id)) {
        return o_.error_page(403, req);
      }
      assignee = ToInt(*named, -1);
      if (assignee != 0) {
        auto staff = DepartmentStaff(c->municipality_id, c->department_id);
        if (!staff.ok()) return Fail(staff.error(), req);
        bool found = false;
        for (const auto& a : *staff) found = found || a.id == assignee;
        if (!found) return ShowCase(req, true, "case.assignee_invalid", 422);
      }
    }
    auto r = o_.cases->Assign(c->id, ToInt(form.Get("version").value_or("")), assignee,
                              ActorOf(req, c->municipality_id, c->department_id), o_.now_ms());
    if (!r.ok()) return ShowCase(req, true, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking);
  }
};

}  // namespace

void AddStaffRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<StaffPages>(options);
  auto on = http::MemberHandlers(pages);
  routes.Get("/m/{slug}/queue", Access::Requires(Permission::kWorkCases), on(&StaffPages::Queue));
  routes.Post("/m/{slug}/queue/assign", Access::Requires(Permission::kManageDepartment),
              on(&StaffPages::BulkAssign));
  routes.Get("/m/{slug}/cases/{tracking}", Access::Requires(Permission::kWorkCases),
             on(&StaffPages::StaffCase));
  routes.Get("/m/{slug}/cases/{tracking}/files/{file:int}",
             Access::Requires(Permission::kWorkCases), on(&StaffPages::StaffFile));
  routes.Post("/m/{slug}/cases/{tracking}/act", Access::Requires(Permission::kWorkCases),
              on(&StaffPages::StaffAct));
  routes.Post("/m/{slug}/cases/{tracking}/priority", Access::Requires(Permission::kWorkCases),
              on(&StaffPages::StaffPriority));
  routes.Post("/m/{slug}/cases/{tracking}/note", Access::Requires(Permission::kWorkCases),
              on(&StaffPages::StaffNote));
  routes.Post("/m/{slug}/cases/{tracking}/merge", Access::Requires(Permission::kWorkCases),
              on(&StaffPages::StaffMerge));
  routes.Post("/m/{slug}/cases/{tracking}/assign", Access::Requires(Permission::kWorkCases),
              on(&StaffPages::StaffAssign));
  routes.Post("/m/{slug}/cases/{tracking}/unmask",
              Access::Requires(Permission::kUnmaskPersonalData), on(&StaffPages::StaffUnmask));
}

}  // namespace baladiya::cases

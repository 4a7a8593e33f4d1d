// Recommendations on the web (web.h): the public list on a process's page with its follow button,
// and the staff's forms on the process's admin page (make one, respond, milestones, progress). An
// overdue milestone is flagged on the staff page and its department head told once by email.
#include "catalog/page.h"
#include "identity/web.h"
#include "participation/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"

namespace baladiya::participation {
namespace {

using http::Request;

std::map<int64_t, catalog::Department> DepartmentsOf(const WebOptions& o, int64_t municipality) {
  std::map<int64_t, catalog::Department> out;
  auto ds = o.tenancy->Departments(municipality);
  if (ds.ok()) {
    for (catalog::Department& d : *ds) out[d.id] = std::move(d);
  }
  return out;
}

Actor ActorOf(const Request& req) {
  const identity::Principal& who = identity::PrincipalOf(req);
  return {who.account_id, who.pseudonym, req.request_id};
}

// One recommendation's state, response, department and milestones into d.
void FillOne(render::Dict* d, const Recommendation& r,
             const std::map<int64_t, catalog::Department>& departments, const i18n::Catalog& msg,
             i18n::Lang lang, int64_t now) {
  d->SetValue("TITLE", r.title);
  d->SetValue("BODY", r.body);
  d->SetValue("TOKEN", r.token);
  d->SetValue("SOURCE",
              msg.Get(lang, "participation.rec.source." + std::string(SourceName(r.source))));
  const RecState st = r.State(now);
  d->SetValue("STATE", msg.Get(lang, "participation.rec.state." + std::string(RecStateName(st))));
  if (st == RecState::kOverdue) d->ShowSection("REC_OVERDUE");
  if (r.response) {
    render::Dict* resp = d->AddSectionDictionary("RESPONSE");
    resp->SetValue("RESPONSE", msg.Get(lang, "participation.rec.response." +
                                                 std::string(ResponseName(*r.response))));
    resp->SetValue("REASONS", r.reasons);
    resp->SetValue("DATE", i18n::FormatDate(r.responded_at, lang));
    auto dep = departments.find(r.department_id);
    if (dep != departments.end()) {
      resp->SetValueAndShowSection("DEPARTMENT", dep->second.name.In(lang), "HAS_DEPARTMENT");
    }
  }
  for (const Milestone& m : r.milestones) {
    render::Dict* md = d->AddSectionDictionary("MILESTONE");
    md->SetValue("M_TITLE", m.title);
    md->SetValue("M_DUE", i18n::FormatDate(m.due_at, lang));
    md->SetValue("M_PROGRESS", i18n::FormatNumber(m.progress, lang));
    md->SetIntValue("M_PERCENT", static_cast<long>(m.progress));
    md->SetIntValue("M_ID", static_cast<long>(m.id));
    if (m.done_at != 0) md->ShowSection("M_DONE");
    if (m.Overdue(now)) md->ShowSection("M_OVERDUE");
  }
}

http::Response Refused(const WebOptions& o, Request& req, const Error& e) {
  switch (e.code) {
    case ErrorCode::kNotFound:
      return o.error_page(404, req);
    case ErrorCode::kInvalid: {
      std::string key = e.message_key;
      if (!e.fields.empty()) key = e.fields.begin()->second;
      return o.admin_process(req, key, 422);
    }
    case ErrorCode::kConflict:
      return o.admin_process(req, e.message_key, 409);
    default:
      return o.error_page(503, req);
  }
}

}  // namespace

Status FillPublicRecommendations(render::Dict& b, const WebOptions& o, const Request& req,
                                 const catalog::Municipality& m, const Process& p,
                                 const std::string& base) {
  auto recs = o.store->Recommendations(p.id);
  if (!recs.ok()) return std::move(recs).error();
  if (recs->empty()) return Ok();
  b.ShowSection("HAS_RECS");
  const i18n::Lang lang = render::RequestLang(req);
  const auto departments = DepartmentsOf(o, m.id);
  const identity::Principal& who = identity::PrincipalOf(req);
  const std::string csrf = who.anonymous() ? "" : identity::TokenFor(req).value;
  for (const Recommendation& r : *recs) {
    render::Dict* d = b.AddSectionDictionary("REC");
    FillOne(d, r, departments, *o.site->catalog, lang, o.now_ms());
    d->SetValue("FOLLOWERS", i18n::FormatNumber(r.followers, lang));
    if (who.anonymous()) continue;
    auto following = o.store->Following(r.id, who.account_id);
    if (!following.ok()) return std::move(following).error();
    render::Dict* f = d->AddSectionDictionary(*following ? "UNFOLLOW" : "FOLLOW");
    f->SetValue("ACTION", base + "/recommendations/" + r.token + "/follow");
    f->SetValue("CSRF", csrf);
    f->SetValue("TITLE", r.title);
  }
  return Ok();
}

Status FillAdminRecommendations(render::Dict& b, const WebOptions& o, const Request& req,
                                const catalog::Municipality& m, const Process& p,
                                const std::string& href) {
  const i18n::Lang lang = render::RequestLang(req);
  const int64_t now = o.now_ms();
  const auto departments = DepartmentsOf(o, m.id);
  // Overdue milestones: flagged here, their department head told once.
  auto flagged = o.store->FlagOverdue(m.id, now);
  if (!flagged.ok()) return std::move(flagged).error();
  bool queued = false;
  for (const OverdueMilestone& x : *flagged) {
    auto dep = departments.find(x.department_id);
    if (o.outbox == nullptr || dep == departments.end() || dep->second.email.empty()) continue;
    notify::Notification note;
    note.channel = notify::Channel::kEmail;
    note.address = dep->second.email;
    note.municipality_id = m.id;
    note.lang = "ar";
    note.template_key = "participation.rec_overdue";
    note.params = {{"title", x.recommendation_title},
                   {"milestone", x.milestone.title},
                   {"date", FormatDay(x.milestone.due_at)}};
    note.dedupe_key = "participation.overdue." + std::to_string(x.milestone.id);
    if (o.outbox->Enqueue(note, now).ok()) queued = true;
  }
  if (queued && o.notified) o.notified();
  auto recs = o.store->Recommendations(p.id);
  if (!recs.ok()) return std::move(recs).error();
  const std::string csrf = identity::TokenFor(req).value;
  b.SetValue("REC_ACTION", href + "/recommendations");
  for (const Recommendation& r : *recs) {
    render::Dict* d = b.AddSectionDictionary("REC");
    FillOne(d, r, departments, *o.site->catalog, lang, now);
    d->SetValue("CSRF", csrf);
    d->SetValue("ACTION", href + "/recommendations/" + r.token);
    d->SetValue("SOURCE_REF", r.source_ref);
    for (const auto& [id, dep] : departments) {
      render::Dict* od = d->AddSectionDictionary("DEPT_OPTION");
      od->SetIntValue("DEPT_ID", static_cast<long>(id));
      od->SetValue("DEPT_NAME", dep.name.In(lang));
      if (id == r.department_id) od->ShowSection("DEPT_SELECTED");
    }
    if (r.response && *r.response != participation::Response::kRejected)
      d->ShowSection("CAN_MILESTONE");
    for (size_t i = 0; i < r.milestones.size(); ++i) {
      render::Dict* md = d->AddSectionDictionary("PROGRESS_FORM");
      md->SetValue("M_TITLE", r.milestones[i].title);
      md->SetIntValue("M_ID", static_cast<long>(r.milestones[i].id));
      md->SetIntValue("M_PERCENT", static_cast<long>(r.milestones[i].progress));
      md->SetValue("ACTION", href + "/recommendations/" + r.token + "/milestones/" +
                                 std::to_string(r.milestones[i].id));
      md->SetValue("CSRF", csrf);
    }
  }
  if (recs->empty()) b.ShowSection("NO_RECS");
  return Ok();
}

void AddRecommendationRoutes(identity::GuardedRoutes& routes, const WebOptions& o) {
  using identity::Access;
  using identity::Permission;
  struct Loaded {
    catalog::Municipality m;
    Process p;
  };
  auto load = [o](const Request& req) -> Result<Loaded> {
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto p = o.store->GetProcess(m->id, req.PathParam("process"));
    if (!p.ok()) return std::move(p).error();
    return Loaded{std::move(*m), std::move(*p)};
  };
  auto fail = [o](const Error& e, Request& req) {
    return o.error_page(e.code == ErrorCode::kNotFound ? 404 : 503, req);
  };
  routes.Post("/m/{slug}/participate/{process}/recommendations/{rec}/follow", Access::SignedIn(),
              [o, load, fail](Request& req) {
                auto x = load(req);
                if (!x.ok()) return fail(x.error(), req);
                const http::Params form = req.Form();
                const bool follow = form.Get("follow").value_or("1") != "0";
                const std::string lang = render::RequestLang(req) == i18n::Lang::kEn ? "en" : "ar";
                Status s = o.store->Follow(x->p, req.PathParam("rec"), ActorOf(req), lang, follow,
                                           o.now_ms());
                if (!s.ok()) return fail(s.error(), req);
                return http::Response::Redirect("/m/" + x->m.slug + "/participate/" + x->p.slug +
                                                (lang == "en" ? "?lang=en" : ""));
              });
  const Access run = Access::Requires(Permission::kRunParticipation);
  const std::string base = "/m/{slug}/admin/participation/{process}/recommendations";
  routes.Post(base, run, [o, load, fail](Request& req) {
    auto x = load(req);
    if (!x.ok()) return fail(x.error(), req);
    const http::Params form = req.Form();
    RecommendationInput in;
    auto source = ParseSource(form.Get("source").value_or(""));
    if (!source) return o.admin_process(req, "participation.rec.unknown_source", 422);
    in.source = *source;
    in.source_ref = std::string(form.Get("source_ref").value_or(""));
    in.title = std::string(form.Get("title").value_or(""));
    in.body = std::string(form.Get("body").value_or(""));
    auto r = o.store->Recommend(x->p, in, ActorOf(req), o.now_ms());
    if (!r.ok()) return Refused(o, req, r.error());
    return o.admin_process(req, "participation.rec.created", 200);
  });
  routes.Post(base + "/{rec}/respond", run, [o, load, fail](Request& req) {
    auto x = load(req);
    if (!x.ok()) return fail(x.error(), req);
    const http::Params form = req.Form();
    auto response = ParseResponse(form.Get("response").value_or(""));
    if (!response) return o.admin_process(req, "participation.rec.response_missing", 422);
    const std::string dep_text(form.Get("department").value_or(""));
    int64_t dep = 0;
    if (!dep_text.empty()) {
      try {
        dep = std::stoll(dep_text);
      } catch (...) {
        dep = -1;
      }
    }
    if (dep > 0 && !DepartmentsOf(o, x->m.id).contains(dep)) dep = -1;
    Status s = o.store->Respond(x->p, req.PathParam("rec"), *response,
                                form.Get("reasons").value_or(""), dep, ActorOf(req), o.now_ms());
    if (!s.ok()) return Refused(o, req, s.error());
    if (o.notified) o.notified();
    return o.admin_process(req, "participation.rec.responded", 200);
  });
  routes.Post(base + "/{rec}/milestones", run, [o, load, fail](Request& req) {
    auto x = load(req);
    if (!x.ok()) return fail(x.error(), req);
    const http::Params form = req.Form();
    auto due = ParseDay(i18n::ToWesternDigits(form.Get("due").value_or("")));
    auto m = o.store->AddMilestone(x->p, req.PathParam("rec"), form.Get("title").value_or(""),
                                   due ? *due + 86'400'000 - 1 : 0, ActorOf(req), o.now_ms());
    if (!m.ok()) return Refused(o, req, m.error());
    if (o.notified) o.notified();
    return o.admin_process(req, "participation.rec.milestone_added", 200);
  });
  routes.Post(base + "/{rec}/milestones/{milestone}", run, [o, load, fail](Request& req) {
    auto x = load(req);
    if (!x.ok()) return fail(x.error(), req);
    const http::Params form = req.Form();
    int64_t id = 0, progress = -1;
    try {
      id = std::stoll(std::string(req.PathParam("milestone")));
      progress = std::stoll(i18n::ToWesternDigits(form.Get("progress").value_or("")));
    } catch (...) {
      if (id == 0) return o.error_page(404, req);
    }
    Status s =
        o.store->SetProgress(x->p, req.PathParam("rec"), id, progress, ActorOf(req), o.now_ms());
    if (!s.ok()) return Refused(o, req, s.error());
    if (o.notified) o.notified();
    return o.admin_process(req, "participation.rec.progress_saved", 200);
  });
}

}  // namespace baladiya::participation

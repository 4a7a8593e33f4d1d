// participation's JSON API (web.h): a process as programs read it, its phases, proposals (with
// the answers owed and given) and votes (with their results once published). Public, as the
// pages are; never who supported or voted.
#include <boost/json.hpp>

#include "catalog/page.h"
#include "participation/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/errors.h"

namespace baladiya::participation {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::value Time(int64_t ms) {
  return ms == 0 ? json::value(nullptr) : json::value(i18n::FormatIsoUtc(ms));
}

json::object Bilingual(const std::string& ar, const std::string& en) {
  return json::object{{"ar", ar}, {"en", en}};
}

Response ProcessJson(const WebOptions& o, Request& req) {
  const i18n::Catalog& cat = *o.site->catalog;
  auto m = catalog::MunicipalityOf(*o.tenancy, req);
  if (!m.ok()) return render::ApiError(cat, req, m.error());
  auto p = o.store->GetProcess(m->id, req.PathParam("process"));
  if (!p.ok()) return render::ApiError(cat, req, p.error());
  auto proposals = o.store->Proposals(p->id);
  if (!proposals.ok()) return render::ApiError(cat, req, proposals.error());
  auto votes = o.store->Votes(p->id);
  if (!votes.ok()) return render::ApiError(cat, req, votes.error());
  const int64_t now = o.now_ms();
  json::object out;
  out["slug"] = p->slug;
  out["title"] = Bilingual(p->title_ar, p->title_en);
  out["summary"] = Bilingual(p->summary_ar, p->summary_en);
  auto current = p->PhaseAt(now);
  out["phase"] = current ? json::value(std::string(PhaseName(*current))) : json::value(nullptr);
  json::array phases;
  for (const PhaseDates& d : p->phases) {
    phases.push_back(json::object{{"phase", std::string(PhaseName(d.phase))},
                                  {"starts_at", i18n::FormatIsoUtc(d.starts_at)},
                                  {"ends_at", i18n::FormatIsoUtc(d.ends_at)}});
  }
  out["phases"] = std::move(phases);
  out["threshold"] = p->threshold;
  out["answer_days"] = p->answer_days;
  json::array list;
  for (const Proposal& x : *proposals) {
    list.push_back(json::object{
        {"token", x.token},
        {"title", x.title},
        {"author", x.author_name},
        {"supports", x.supports},
        {"created_at", i18n::FormatIsoUtc(x.created_at)},
        {"answer_due_at", Time(x.answer_due_at)},
        {"overdue", x.Overdue(now)},
        {"answered_at", Time(x.answered_at)},
        {"answer", x.answered_at == 0 ? json::value(nullptr) : json::value(x.answer)}});
  }
  out["proposals"] = std::move(list);
  json::array vs;
  for (const Vote& v : *votes) {
    json::array options;
    for (const VoteOption& opt : v.options) {
      json::object jo{{"number", opt.number},
                      {"title", Bilingual(opt.title_ar, opt.title_en)},
                      {"cost", opt.cost}};
      if (v.published_at != 0) {
        jo["votes"] = opt.votes;
        jo["selected"] = opt.selected;
      }
      options.push_back(std::move(jo));
    }
    vs.push_back(json::object{{"slug", v.slug},
                              {"title", Bilingual(v.title_ar, v.title_en)},
                              {"rule", std::string(VoteRuleName(v.rule))},
                              {"budget", v.budget},
                              {"currency", v.currency},
                              {"max_choices", v.max_choices},
                              {"published_at", Time(v.published_at)},
                              {"options", std::move(options)}});
  }
  out["votes"] = std::move(vs);
  auto meetings = o.store->Meetings(p->id);
  if (!meetings.ok()) return render::ApiError(cat, req, meetings.error());
  json::array ms;
  for (const Meeting& x : *meetings) {
    ms.push_back(json::object{
        {"token", x.token},
        {"kind", std::string(MeetingKindName(x.kind))},
        {"title", x.title},
        {"agenda", x.agenda},
        {"place", x.place.empty() ? json::value(nullptr) : json::value(x.place)},
        {"online_url", x.online_url.empty() ? json::value(nullptr) : json::value(x.online_url)},
        {"starts_at", i18n::FormatIsoUtc(x.starts_at)},
        {"ends_at", i18n::FormatIsoUtc(x.ends_at)},
        {"capacity", x.capacity},
        {"seats_left", x.SeatsLeft()},
        {"waiting", x.waiting},
        {"attended", x.attended},
        {"minutes_published_at", Time(x.minutes_published_at)},
        {"minutes", x.minutes_published_at == 0 ? json::value(nullptr) : json::value(x.minutes)}});
  }
  out["meetings"] = std::move(ms);
  auto figures = o.store->Figures(p->id, now);
  if (!figures.ok()) return render::ApiError(cat, req, figures.error());
  out["recommendations"] = json::object{{"total", figures->total},
                                        {"accepted", figures->accepted},
                                        {"rejected", figures->rejected},
                                        {"done", figures->done},
                                        {"overdue", figures->overdue}};
  return Response::Json(200, json::serialize(out));
}

}  // namespace

void AddApiRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto o = std::make_shared<const WebOptions>(options);
  routes.Get("/api/v1/municipalities/{slug}/participation/processes/{process}",
             identity::Access::Public(), [o](Request& r) { return ProcessJson(*o, r); });
}

}  // namespace baladiya::participation

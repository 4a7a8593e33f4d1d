#include "cases/filing.h"

#include "workflow/services.h"

namespace baladiya::cases {

Result<std::optional<catalog::ReportRoute>> Filing::RouteOf(const catalog::Service& filed,
                                                            const catalog::Answers& answers,
                                                            std::string_view channel,
                                                            const Accept& accept) const {
  if (!s_.boundaries) return std::optional<catalog::ReportRoute>();
  auto route =
      catalog::RouteReport(*s_.tenancy, *s_.boundaries, *s_.services, filed, answers, channel);
  if (!route.ok()) return route;
  if (*route && accept && !accept((*route)->service)) return std::optional<catalog::ReportRoute>();
  return route;
}

Result<Filing::Target> Filing::TargetOf(const catalog::Service& service,
                                        const std::optional<catalog::ReportRoute>& route) const {
  Target t;
  t.service = route ? &route->service : &service;
  auto wf = workflow::ForService(*t.service, *s_.messages);
  if (!wf.ok()) return std::move(wf).error();
  t.workflow = std::move(*wf);
  auto calendar = workflow::CalendarOf(*s_.services, t.service->municipality_id);
  if (!calendar.ok()) return std::move(calendar).error();
  t.calendar = std::move(*calendar);
  std::string slug;
  if (route) {
    slug = route->municipality.slug;
  } else {
    auto m = s_.tenancy->Get(service.municipality_id);
    if (!m.ok()) return std::move(m).error();
    slug = m->slug;
  }
  t.prefix = workflow::TrackingPrefix(slug);
  return t;
}

Result<Filing::Filed> Filing::SubmitDraft(const Draft& draft, const catalog::Service& service,
                                          const Actor& actor, const std::string& applicant_lang,
                                          int64_t now_ms) const {
  auto route = RouteOf(service, draft.answers, draft.channel);
  if (!route.ok()) return std::move(route).error();
  auto target = TargetOf(service, *route);
  if (!target.ok()) return std::move(target).error();
  auto c = s_.cases->Submit(draft.id, actor, *target->service, target->workflow, target->calendar,
                            target->prefix, applicant_lang, now_ms);
  if (!c.ok()) return std::move(c).error();
  return Filed{std::move(*c), std::move(*route)};
}

Result<Filing::Filed> Filing::SubmitAnswers(CaseStore::DirectSubmission in,
                                            const catalog::Service& service, const Actor& actor,
                                            int64_t now_ms, const Accept& accept) const {
  auto route = RouteOf(service, in.answers, in.channel, accept);
  if (!route.ok()) return std::move(route).error();
  if (*route && in.uploads_municipality_id == 0) {
    in.uploads_municipality_id = service.municipality_id;
  }
  auto target = TargetOf(service, *route);
  if (!target.ok()) return std::move(target).error();
  auto c = s_.cases->SubmitAnswers(in, actor, *target->service, target->workflow, target->calendar,
                                   target->prefix, now_ms);
  if (!c.ok()) return std::move(c).error();
  return Filed{std::move(*c), std::move(*route)};
}

std::string RoutedNotice(const i18n::Catalog& cat, i18n::Lang lang,
                         const catalog::ReportRoute& route, bool done) {
  return cat.Format(
      lang, done ? "boundaries.routed_done" : "boundaries.routed",
      {{"area", route.area.In(lang)}, {"municipality", route.municipality.name.In(lang)}});
}

}  // namespace baladiya::cases

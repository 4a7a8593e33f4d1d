// What applicants thought of a service, shown to the staff who run it: the list of services with
// their count and average (/m/{slug}/ratings for department heads, their departments' services;
// /m/{slug}/admin/ratings for the municipal admin, every service), one service's distribution and
// latest comments, and a case's rating on the staff case page (a panel).
#include "cases/ratings.h"
#include "cases/web_internal.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/numbers.h"

namespace baladiya::cases {
namespace {

constexpr int kRecent = 20;

class RatingPages : public PageBase {
 public:
  using PageBase::PageBase;

  Response Heads(Request& req) { return Show(req, "/ratings", Permission::kManageDepartment); }
  Response Admin(Request& req) { return Show(req, "/admin/ratings", Permission::kManageCatalog); }

  // The staff case page's panel: the applicant's rating and comment, once rated.
  Result<std::string> Panel(const PanelRequest& p) const {
    RatingReader reader(*o_.db);
    auto r = reader.OfCase(p.c.id);
    if (!r.ok()) return std::move(r).error();
    if (!*r) return std::string();
    render::Dict d("cases-rating-panel");
    d.SetValue("SCORE", Score(**r, p.lang));
    d.SetValue("DATE", i18n::FormatDate((*r)->at, p.lang));
    if (!(*r)->comment.empty()) d.SetValueAndShowSection("COMMENT", (*r)->comment, "HAS_COMMENT");
    return o_.site->templates->Expand("cases-rating-panel.tpl", p.lang, d);
  }

 private:
  // "٤ من ٥ — راضٍ"
  std::string Score(const Rating& r, i18n::Lang lang) const {
    return Cat().Format(lang, "ratings.score_of",
                        {{"score", i18n::FormatNumber(r.score, lang)},
                         {"label", Cat().Get(lang, "rating.score_" + std::to_string(r.score))}});
  }

  std::string Average(const ServiceRatings& s, i18n::Lang lang) const {
    int64_t t = s.AverageTenths();
    std::string n = std::to_string(t / 10) + (t % 10 ? "." + std::to_string(t % 10) : "");
    return i18n::LocalizeNumber(n, lang);
  }

  // Whether the viewer reads this service's ratings under `permission`.
  static bool Reads(const identity::Principal& who, Permission permission, int64_t municipality,
                    const catalog::Service& s) {
    return identity::Allowed(who, permission, municipality, s.department_id);
  }

  Response Show(Request& req, const std::string& path, Permission permission) {
    i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    const identity::Principal& who = PrincipalOf(req);
    auto services = o_.services->Summaries(m->id);
    if (!services.ok()) return Fail(services.error(), req);
    RatingReader reader(*o_.db);
    const std::string href = "/m/" + m->slug + path;
    const std::string code(req.PathParam("code"));
    if (!code.empty()) {
      const catalog::Service* s = nullptr;
      for (const auto& svc : *services) {
        if (svc.code == code && Reads(who, permission, m->id, svc)) s = &svc;
      }
      if (s == nullptr) return o_.error_page(404, req);
      auto figures = reader.OfService(m->id, s->id, kRecent);
      if (!figures.ok()) return Fail(figures.error(), req);
      render::Page page =
          SitePage(req, *m, "cases-ratings.tpl", href + "/" + code, "ratings.title");
      render::Dict& b = page.body();
      render::Dict* d = b.AddSectionDictionary("SERVICE");
      d->SetValue("NAME", s->name.In(lang));
      d->SetValue("BACK", href);
      d->SetValue("SUMMARY", Summary(*figures, lang));
      for (int score = 5; score >= 1; --score) {
        render::Dict* row = d->AddSectionDictionary("SCORE");
        int64_t n = figures->by_score[score - 1];
        row->SetValue("LABEL", Cat().Get(lang, "rating.score_" + std::to_string(score)));
        row->SetValue("VALUE", i18n::FormatNumber(score, lang));
        row->SetValue("COUNT", i18n::FormatNumber(n, lang));
        const int64_t percent =
            figures->count ? (n * 100 + figures->count / 2) / figures->count : 0;
        row->SetValue("PERCENT", Cat().Format(lang, "ratings.percent_value",
                                              {{"n", i18n::FormatNumber(percent, lang)}}));
      }
      const bool opens = identity::Allowed(who, Permission::kWorkCases, m->id, s->department_id);
      for (const auto& r : figures->recent) {
        render::Dict* c = d->AddSectionDictionary("COMMENT");
        c->SetValue("TEXT", r.comment);
        c->SetValue("SCORE", Score(r, lang));
        c->SetValue("DATE", i18n::FormatDate(r.at, lang));
        c->SetValue("TRACKING", r.tracking);
        if (opens) {
          c->SetValueAndShowSection("CASE_HREF", "/m/" + m->slug + "/cases/" + r.tracking,
                                    "CASE_LINK");
        } else {
          c->ShowSection("CASE_TEXT");
        }
      }
      if (figures->recent.empty()) d->ShowSection("NO_COMMENTS");
      return page.Finish(200);
    }
    auto all = reader.ByService(m->id);
    if (!all.ok()) return Fail(all.error(), req);
    render::Page page = SitePage(req, *m, "cases-ratings.tpl", href, "ratings.title");
    render::Dict& b = page.body();
    render::Dict* list = b.AddSectionDictionary("LIST");
    for (const auto& svc : *services) {
      if (!Reads(who, permission, m->id, svc)) continue;
      ServiceRatings figures;
      for (const auto& f : *all) {
        if (f.service_id == svc.id) figures = f;
      }
      render::Dict* row = list->AddSectionDictionary("ROW");
      row->SetValue("NAME", svc.name.In(lang));
      row->SetValue("HREF", href + "/" + svc.code);
      row->SetValue("COUNT", i18n::FormatNumber(figures.count, lang));
      row->SetValue("AVERAGE", figures.count ? Average(figures, lang) : "—");
    }
    return page.Finish(200);
  }

  std::string Summary(const ServiceRatings& s, i18n::Lang lang) const {
    if (!s.count) return Cat().Get(lang, "ratings.none");
    return Cat().Format(
        lang, "ratings.summary",
        {{"average", Average(s, lang)}, {"count", i18n::FormatNumber(s.count, lang)}});
  }
};

}  // namespace

void AddRatingRoutes(identity::GuardedRoutes& routes, WebOptions& options) {
  auto pages = std::make_shared<RatingPages>(options);
  auto on = http::MemberHandlers(pages);
  routes.Get("/m/{slug}/ratings", Access::Requires(Permission::kManageDepartment),
             on(&RatingPages::Heads));
  routes.Get("/m/{slug}/ratings/{code}", Access::Requires(Permission::kManageDepartment),
             on(&RatingPages::Heads));
  routes.Get("/m/{slug}/admin/ratings", Access::Requires(Permission::kManageCatalog),
             on(&RatingPages::Admin));
  routes.Get("/m/{slug}/admin/ratings/{code}", Access::Requires(Permission::kManageCatalog),
             on(&RatingPages::Admin));
  options.staff_panels.push_back([pages](const PanelRequest& p) { return pages->Panel(p); });
}

}  // namespace baladiya::cases

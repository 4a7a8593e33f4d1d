// The comparison of municipalities (web.h): every municipality side by side per figure, ranked,
// with its trend (the last three months against the three before), and the same service's
// figures across municipalities. Public at /performance; the ministry observer's version
// (/ministry/performance) adds the backlog and the cases past their SLA now.
#include <algorithm>
#include <cmath>

#include "analytics/web_internal.h"
#include "platform/http/errors.h"

namespace baladiya::analytics::internal {
namespace {

using http::Request;
using http::Response;

struct Metric {
  const char* key;
  bool lower_is_better;
  // The figure's value (for ranking and the chart) and its text.
  std::function<std::optional<double>(const Figures&, const Report&)> value;
  std::function<std::string(const Figures&, const Report&, i18n::Lang)> text;
};

class ComparePages {
 public:
  explicit ComparePages(std::shared_ptr<Common> c) : c_(std::move(c)) {}

  Response Public(Request& req) { return Show(req, false); }
  Response Ministry(Request& req) { return Show(req, true); }

 private:
  const i18n::Catalog& Msg() const { return c_->Msg(); }

  std::vector<Metric> Metrics(bool ministry) const {
    auto pct = [this](std::optional<double> v, i18n::Lang l) { return c_->Percent(v, l); };
    std::vector<Metric> out = {
        {"submitted", false,
         [](const Figures& f, const Report&) -> std::optional<double> {
           return static_cast<double>(f.counts.submitted);
         },
         [this](const Figures& f, const Report&, i18n::Lang l) {
           return c_->Number(f.counts.submitted, l);
         }},
        {"per_thousand", false, [](const Figures& f, const Report&) { return f.per_thousand; },
         [this](const Figures& f, const Report&, i18n::Lang l) {
           return f.per_thousand ? c_->Number(static_cast<int64_t>(std::lround(*f.per_thousand)), l)
                                 : Msg().Get(l, "kpi.none");
         }},
        {"take_up", false, [](const Figures& f, const Report&) { return f.take_up; },
         [pct](const Figures& f, const Report&, i18n::Lang l) { return pct(f.take_up, l); }},
        {"completion", false, [](const Figures& f, const Report&) { return f.completion; },
         [pct](const Figures& f, const Report&, i18n::Lang l) { return pct(f.completion, l); }},
        {"median", true, [](const Figures& f, const Report&) { return f.median_days; },
         [this](const Figures& f, const Report&, i18n::Lang l) {
           return c_->Days(f.median_days, l);
         }},
        {"within_sla", false, [](const Figures& f, const Report&) { return f.within_sla; },
         [pct](const Figures& f, const Report&, i18n::Lang l) { return pct(f.within_sla, l); }},
        {"satisfied", false, [](const Figures& f, const Report&) { return f.satisfied; },
         [pct](const Figures& f, const Report&, i18n::Lang l) { return pct(f.satisfied, l); }},
        {"cost", true,
         [](const Figures& f, const Report&) -> std::optional<double> {
           if (!f.cost_per_transaction) return std::nullopt;
           return static_cast<double>(*f.cost_per_transaction);
         },
         [this](const Figures& f, const Report& r, i18n::Lang l) {
           return c_->Money(f.cost_per_transaction, r.facts.currency, l);
         }},
    };
    if (ministry) {
      out.push_back({"overdue", true,
                     [](const Figures&, const Report& r) -> std::optional<double> {
                       int64_t n = 0;
                       for (const auto& b : r.backlog) n += b.overdue;
                       return static_cast<double>(n);
                     },
                     [this](const Figures&, const Report& r, i18n::Lang l) {
                       int64_t n = 0;
                       for (const auto& b : r.backlog) n += b.overdue;
                       return c_->Number(n, l);
                     }});
    }
    return out;
  }

  Response Show(Request& req, bool ministry) {
    const WebOptions& o = c_->o();
    const i18n::Lang lang = render::RequestLang(req);
    const std::string path = ministry ? "/ministry/performance" : "/performance";
    render::Page page(*o.site, req, "analytics-compare.tpl");
    page.SetTitle(Msg().Get(lang, ministry ? "kpi.ministry.title" : "kpi.compare.title"));
    page.SetPath(path);
    const int64_t now = o.now_ms();
    const std::string key = std::string(i18n::LangCode(lang)) + path;
    const uint64_t version = LedgerVersion(*o.ledger, now);
    auto body = cache_.Get(key, version, [&]() -> Result<std::shared_ptr<const std::string>> {
      if (Status st = Fill(page.body(), ministry, now, lang); !st.ok()) return st.error();
      return page.RenderBody();
    });
    if (!body.ok()) return o.error_page(http::StatusOf(body.error().code), req);
    page.SetBodyHtml(std::move(*body));
    return page.Finish(200);
  }

  Status Fill(render::Dict& b, bool ministry, int64_t now, i18n::Lang lang) {
    const WebOptions& o = c_->o();
    auto list = o.tenancy->ListMunicipalities();
    if (!list.ok()) return std::move(list).error();
    std::vector<Report> reports;
    for (const auto& m : *list) {
      auto r = c_->Load(m, 0, now);
      if (!r.ok()) return std::move(r).error();
      reports.push_back(std::move(*r));
    }
    b.SetValue("TITLE", Msg().Get(lang, ministry ? "kpi.ministry.title" : "kpi.compare.title"));
    if (reports.empty()) return Ok();
    const std::vector<int64_t> months = reports.front().period.Months();
    b.SetValue("PERIOD", Msg().Format(lang, "kpi.period",
                                      {{"from", c_->MonthName(months.front(), lang)},
                                       {"to", c_->MonthName(months.back(), lang)}}));
    const std::vector<int64_t> recent(months.end() - 3, months.end());
    const std::vector<int64_t> before(months.end() - 6, months.end() - 3);
    auto of = [](const Report& r, const std::vector<int64_t>& ms) {
      std::vector<Cell> cells;
      std::vector<Duration> durations;
      for (int64_t m : ms) {
        for (auto& c : OfMonth(r.cells, m)) cells.push_back(c);
        for (auto& d : OfMonth(r.durations, m)) durations.push_back(d);
      }
      return Compute(cells, durations, &r.facts);
    };
    int index = 0;
    for (const Metric& metric : Metrics(ministry)) {
      struct Row {
        const Report* r;
        std::optional<double> v;
        std::string text;
        std::string trend;
      };
      std::vector<Row> rows;
      for (const Report& r : reports) {
        const Figures f = r.Total();
        const auto now_v = metric.value(of(r, recent), r);
        const auto then_v = metric.value(of(r, before), r);
        std::string trend = Msg().Get(lang, "kpi.trend.none");
        if (now_v && then_v) {
          const double d = *now_v - *then_v;
          const double eps = std::max(std::abs(*then_v) * 0.02, 1e-9);
          trend = Msg().Get(lang, d > eps    ? "kpi.trend.up"
                                  : d < -eps ? "kpi.trend.down"
                                             : "kpi.trend.steady");
        }
        rows.push_back({&r, metric.value(f, r), metric.text(f, r, lang), trend});
      }
      std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        if (!a.v || !b.v) return a.v.has_value() && !b.v.has_value();
        return metric.lower_is_better ? *a.v < *b.v : *a.v > *b.v;
      });
      render::Dict* d = b.AddSectionDictionary("METRIC");
      d->SetValue("ID", std::to_string(++index));
      d->SetValue("METRIC_TITLE", Msg().Get(lang, std::string("kpi.figure.") + metric.key));
      std::vector<Bar> bars;
      int rank = 0;
      for (const Row& row : rows) {
        bars.push_back({row.r->municipality.name.In(lang), row.v, row.text});
        render::Dict* rd = d->AddSectionDictionary("ROW");
        rd->SetValue("RANK", row.v ? c_->Number(++rank, lang) : Msg().Get(lang, "kpi.none"));
        rd->SetValue("NAME", row.r->municipality.name.In(lang));
        rd->SetValue("HREF", "/m/" + row.r->municipality.slug + "/performance");
        rd->SetValue("VALUE", row.text);
        rd->SetValue("TREND", row.trend);
      }
      d->SetValue("SVG", RankChart(bars, 0, lang == i18n::Lang::kAr));
    }
    ServicesAcross(b, reports, lang);
    return Ok();
  }

  // The same service (by code) across municipalities: median time and transactions.
  void ServicesAcross(render::Dict& b, const std::vector<Report>& reports, i18n::Lang lang) {
    const WebOptions& o = c_->o();
    std::map<std::string, std::string> names;               // code -> name
    std::map<std::string, std::map<int64_t, int64_t>> ids;  // code -> municipality -> service
    for (const Report& r : reports) {
      auto services = o.services->Summaries(r.municipality.id);
      if (!services.ok()) continue;
      for (const auto& s : *services) {
        names.emplace(s.code, s.name.In(lang));
        ids[s.code][r.municipality.id] = s.id;
      }
    }
    for (const Report& r : reports) {
      b.AddSectionDictionary("MUNICIPALITY_HEAD")->SetValue("NAME", r.municipality.name.In(lang));
    }
    for (const auto& [code, by] : ids) {
      if (by.size() < 2) continue;  // offered by one municipality only: nothing to compare
      render::Dict* row = b.AddSectionDictionary("SERVICE_ROW");
      row->SetValue("SERVICE", names[code]);
      for (const Report& r : reports) {
        render::Dict* cell = row->AddSectionDictionary("CELL");
        auto it = by.find(r.municipality.id);
        if (it == by.end()) {
          cell->SetValue("TEXT", Msg().Get(lang, "kpi.not_offered"));
          continue;
        }
        std::vector<Cell> cells;
        std::vector<Duration> durations;
        for (const auto& c : r.cells) {
          if (c.service_id == it->second) cells.push_back(c);
        }
        for (const auto& d : r.durations) {
          if (d.service_id == it->second) durations.push_back(d);
        }
        const Figures f = Compute(cells, durations, &r.facts);
        cell->SetValue("TEXT", Msg().Format(lang, "kpi.compare.service_cell",
                                            {{"days", c_->Days(f.median_days, lang)},
                                             {"n", c_->Number(f.counts.submitted, lang)}}));
      }
    }
  }

  std::shared_ptr<Common> c_;
  StaleWhileRendering cache_;
};

}  // namespace

void AddCompareRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common) {
  using identity::Access;
  auto pages = std::make_shared<ComparePages>(std::move(common));
  routes.Get("/performance", Access::Public(), [pages](Request& r) { return pages->Public(r); });
  routes.Get("/ministry/performance",
             Access::Requires(identity::Permission::kReadAcrossMunicipalities),
             [pages](Request& r) { return pages->Ministry(r); });
}

}  // namespace baladiya::analytics::internal

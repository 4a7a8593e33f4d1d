// The public performance pages (web.h): a municipality's figures of the last twelve months, and
// one service's, each chart an SVG beside its data table with a sentence in plain language.
// They read only the ledger and the master data; bodies are cached until the ledger changes.
#include <cmath>

#include "analytics/web_internal.h"
#include "catalog/page.h"
#include "platform/http/errors.h"

namespace baladiya::analytics::internal {
namespace {

using http::Request;
using http::Response;

// One chart: its bars and the rows of its table (the month, then the values).
struct Chart {
  std::string id;
  std::string title;
  std::string sentence;
  std::vector<std::string> head;  // the table's column headings after the month's
  std::vector<Bar> bars;
  double max = 0;
  std::vector<std::vector<std::string>> rows;  // per month: values
};

class PerformancePages {
 public:
  explicit PerformancePages(std::shared_ptr<Common> c) : c_(std::move(c)) {}

  Response Municipality(Request& req) { return Show(req, false); }
  Response Service(Request& req) { return Show(req, true); }

 private:
  const i18n::Catalog& Msg() const { return c_->Msg(); }

  Response Show(Request& req, bool one_service) {
    const WebOptions& o = c_->o();
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return o.error_page(http::StatusOf(m.error().code), req);
    catalog::Service service;
    if (one_service) {
      auto s = o.services->Find(m->id, req.PathParam("code"));
      if (!s.ok()) return o.error_page(http::StatusOf(s.error().code), req);
      service = std::move(*s);
    }
    const std::string href =
        "/m/" + m->slug + "/performance" + (one_service ? "/" + service.code : "");
    const std::string title =
        one_service ? Msg().Format(lang, "kpi.service_title", {{"service", service.name.In(lang)}})
                    : Msg().Format(lang, "kpi.title", {{"municipality", m->name.In(lang)}});
    render::Page page =
        catalog::MunicipalityPage(*o.site, req, *m, "analytics-performance.tpl", href, title);
    const int64_t now = o.now_ms();
    const std::string key = std::string(i18n::LangCode(lang)) + href;
    const uint64_t version = LedgerVersion(*o.ledger, now);
    auto body = cache_.Get(key, version, [&]() -> Result<std::shared_ptr<const std::string>> {
      auto report = c_->Load(*m, service.id, now);
      if (!report.ok()) return std::move(report).error();
      Fill(page.body(), *report, one_service ? &service : nullptr, title, lang);
      return page.RenderBody();
    });
    if (!body.ok()) return o.error_page(http::StatusOf(body.error().code), req);
    page.SetBodyHtml(std::move(*body));
    return page.Finish(200);
  }

  void Fill(render::Dict& b, const Report& r, const catalog::Service* service,
            const std::string& title, i18n::Lang lang) {
    const std::string slug = r.municipality.slug;
    b.SetValue("TITLE", title);
    const std::vector<int64_t> months = r.period.Months();
    b.SetValue("PERIOD", Msg().Format(lang, "kpi.period",
                                      {{"from", c_->MonthName(months.front(), lang)},
                                       {"to", c_->MonthName(months.back(), lang)}}));
    const Figures total = r.Total();
    Headline(b, r, total, lang);
    if (service) {
      b.SetValueAndShowSection("ALL_HREF", "/m/" + slug + "/performance", "HAS_ALL");
    } else {
      auto services = c_->o().services->Summaries(r.municipality.id);
      if (services.ok() && !services->empty()) {
        render::Dict* list = b.AddSectionDictionary("SERVICES");
        for (const auto& s : *services) {
          render::Dict* d = list->AddSectionDictionary("SERVICE");
          d->SetValue("SERVICE_NAME", s.name.In(lang));
          d->SetValue("SERVICE_HREF", "/m/" + slug + "/performance/" + s.code);
        }
      }
    }
    if (!service) Participation(b, r, months, lang);
    b.SetValue("OPEN_DATA_HREF", "/m/" + slug + "/open-data");
    b.SetValue("COMPARE_HREF", "/performance");
    b.SetValue("MUNICIPALITY_HREF", "/m/" + slug);
    for (const Chart& chart : Charts(r, months, lang)) {
      render::Dict* d = b.AddSectionDictionary("CHART");
      d->SetValue("ID", chart.id);
      d->SetValue("CHART_TITLE", chart.title);
      d->SetValue("SENTENCE", chart.sentence);
      d->SetValue("SVG", BarChart(chart.bars, chart.max, lang == i18n::Lang::kAr));
      d->SetValue("CAPTION", Msg().Format(lang, "kpi.table_caption", {{"chart", chart.title}}));
      for (const auto& h : chart.head) d->AddSectionDictionary("HEAD")->SetValue("TEXT", h);
      for (size_t i = 0; i < months.size(); ++i) {
        render::Dict* row = d->AddSectionDictionary("ROW");
        row->SetValue("MONTH", c_->MonthName(months[i], lang));
        for (const auto& v : chart.rows[i]) row->AddSectionDictionary("VALUE")->SetValue("TEXT", v);
      }
    }
  }

  // Participation's figures over the same months, from the ledger (shown when there are any).
  void Participation(render::Dict& b, const Report& r, const std::vector<int64_t>& months,
                     i18n::Lang lang) {
    const int64_t from = FirstDayOfMonth(months.front());
    const int64_t to = FirstDayOfMonth(AddMonths(months.back(), 1)) - 1;
    auto f = c_->o().ledger->Participation(r.municipality.id, from, to);
    if (!f.ok() || f->Zero()) return;
    render::Dict* d = b.AddSectionDictionary("PARTICIPATION");
    for (const auto& [key, value] :
         {std::pair<const char*, int64_t>{"participants", f->participants},
          {"accepted", f->accepted},
          {"done", f->done},
          {"overdue", f->overdue}}) {
      render::Dict* x = d->AddSectionDictionary("P_FIGURE");
      x->SetValue("LABEL", Msg().Get(lang, std::string("kpi.participation.") + key));
      x->SetValue("VALUE", i18n::FormatNumber(value, lang));
    }
  }

  void Headline(render::Dict& b, const Report& r, const Figures& f, i18n::Lang lang) {
    int64_t open = 0, overdue = 0;
    for (const auto& x : r.backlog) {
      open += x.open;
      overdue += x.overdue;
    }
    auto add = [&](const char* key, const std::string& value) {
      render::Dict* d = b.AddSectionDictionary("FIGURE");
      d->SetValue("LABEL", Msg().Get(lang, std::string("kpi.figure.") + key));
      d->SetValue("VALUE", value);
    };
    add("submitted", c_->Number(f.counts.submitted, lang));
    add("take_up", c_->Percent(f.take_up, lang));
    add("completion", c_->Percent(f.completion, lang));
    add("median", c_->Days(f.median_days, lang));
    add("p90", c_->Days(f.p90_days, lang));
    add("within_sla", c_->Percent(f.within_sla, lang));
    add("backlog", c_->Number(open, lang));
    add("overdue", c_->Number(overdue, lang));
    if (!r.report_services.empty()) {
      add("complaints_open", c_->Number(r.ComplaintsOf({}).open, lang));
    }
    add("satisfied", c_->Percent(f.satisfied, lang));
    add("response_rate", c_->Percent(f.response_rate, lang));
    add("cost", c_->Money(f.cost_per_transaction, r.facts.currency, lang));
    if (f.per_thousand) {
      add("per_thousand", c_->Number(static_cast<int64_t>(std::lround(*f.per_thousand)), lang));
      b.SetValueAndShowSection("POPULATION",
                               Msg().Format(lang, "kpi.population_note",
                                            {{"population", c_->Number(r.facts.population, lang)},
                                             {"source", r.facts.population_source},
                                             {"year", c_->Year(r.facts.population_year, lang)}}),
                               "HAS_POPULATION");
    }
  }

  // The latest month with any transaction (the sentence speaks of it), else the last month.
  static size_t SentenceMonth(const std::vector<Figures>& per_month) {
    for (size_t i = per_month.size(); i-- > 0;) {
      if (per_month[i].counts.submitted > 0 || per_month[i].counts.started > 0) return i;
    }
    return per_month.empty() ? 0 : per_month.size() - 1;
  }

  std::vector<Chart> Charts(const Report& r, const std::vector<int64_t>& months, i18n::Lang lang) {
    std::vector<Figures> per;
    for (int64_t m : months) per.push_back(r.Month(m));
    const size_t s = SentenceMonth(per);
    const std::string when = c_->MonthName(months[s], lang);
    auto pct_value = [](std::optional<double> v) -> std::optional<double> {
      if (!v) return std::nullopt;
      return *v * 100.0;
    };
    std::vector<Chart> out;
    {
      Chart c{"applications",
              Msg().Get(lang, "kpi.chart.applications"),
              Msg().Format(lang, "kpi.sentence.applications",
                           {{"n", c_->Number(per[s].counts.submitted, lang)},
                            {"completed", c_->Number(per[s].counts.completed, lang)},
                            {"month", when}}),
              {Msg().Get(lang, "kpi.col.started"), Msg().Get(lang, "kpi.col.submitted"),
               Msg().Get(lang, "kpi.col.completed"), Msg().Get(lang, "kpi.col.rejected")}};
      for (size_t i = 0; i < months.size(); ++i) {
        const Counts& n = per[i].counts;
        c.bars.push_back({c_->MonthShort(months[i], lang), static_cast<double>(n.submitted),
                          c_->Number(n.submitted, lang)});
        c.rows.push_back({c_->Number(n.started, lang), c_->Number(n.submitted, lang),
                          c_->Number(n.completed, lang), c_->Number(n.rejected, lang)});
      }
      out.push_back(std::move(c));
    }
    {
      Chart c{"take-up",
              Msg().Get(lang, "kpi.chart.take_up"),
              per[s].take_up
                  ? Msg().Format(lang, "kpi.sentence.take_up",
                                 {{"share", c_->Percent(per[s].take_up, lang)}, {"month", when}})
                  : Msg().Format(lang, "kpi.sentence.nothing", {{"month", when}}),
              {}};
      for (const auto& ch : Channels()) c.head.push_back(Msg().Get(lang, "kpi.channel." + ch));
      c.head.push_back(Msg().Get(lang, "kpi.col.take_up"));
      c.max = 100;
      for (size_t i = 0; i < months.size(); ++i) {
        c.bars.push_back({c_->MonthShort(months[i], lang), pct_value(per[i].take_up),
                          c_->Percent(per[i].take_up, lang)});
        std::vector<std::string> row;
        for (const auto& ch : Channels()) {
          auto it = per[i].by_channel.find(ch);
          row.push_back(c_->Number(it == per[i].by_channel.end() ? 0 : it->second.submitted, lang));
        }
        row.push_back(c_->Percent(per[i].take_up, lang));
        c.rows.push_back(std::move(row));
      }
      out.push_back(std::move(c));
    }
    {
      Chart c{"completion",
              Msg().Get(lang, "kpi.chart.completion"),
              per[s].completion
                  ? Msg().Format(lang, "kpi.sentence.completion",
                                 {{"share", c_->Percent(per[s].completion, lang)}, {"month", when}})
                  : Msg().Format(lang, "kpi.sentence.nothing", {{"month", when}}),
              {Msg().Get(lang, "kpi.col.started"), Msg().Get(lang, "kpi.col.submitted"),
               Msg().Get(lang, "kpi.col.completion")}};
      c.max = 100;
      for (size_t i = 0; i < months.size(); ++i) {
        c.bars.push_back({c_->MonthShort(months[i], lang), pct_value(per[i].completion),
                          c_->Percent(per[i].completion, lang)});
        c.rows.push_back({c_->Number(per[i].counts.started, lang),
                          c_->Number(per[i].counts.submitted, lang),
                          c_->Percent(per[i].completion, lang)});
      }
      out.push_back(std::move(c));
    }
    {
      Chart c{"time",
              Msg().Get(lang, "kpi.chart.time"),
              per[s].median_days
                  ? Msg().Format(lang, "kpi.sentence.time",
                                 {{"days", c_->Days(per[s].median_days, lang)},
                                  {"share", c_->Percent(per[s].within_sla, lang)},
                                  {"month", when}})
                  : Msg().Format(lang, "kpi.sentence.nothing_closed", {{"month", when}}),
              {Msg().Get(lang, "kpi.col.median"), Msg().Get(lang, "kpi.col.p90"),
               Msg().Get(lang, "kpi.col.within_sla")}};
      for (size_t i = 0; i < months.size(); ++i) {
        c.bars.push_back({c_->MonthShort(months[i], lang), per[i].median_days,
                          c_->Days(per[i].median_days, lang)});
        c.rows.push_back({c_->Days(per[i].median_days, lang), c_->Days(per[i].p90_days, lang),
                          c_->Percent(per[i].within_sla, lang)});
      }
      out.push_back(std::move(c));
    }
    {
      Chart c{"satisfaction",
              Msg().Get(lang, "kpi.chart.satisfaction"),
              per[s].satisfied
                  ? Msg().Format(lang, "kpi.sentence.satisfaction",
                                 {{"share", c_->Percent(per[s].satisfied, lang)}, {"month", when}})
                  : Msg().Format(lang, "kpi.sentence.nothing_rated", {{"month", when}}),
              {Msg().Get(lang, "kpi.col.rated"), Msg().Get(lang, "kpi.col.response_rate"),
               Msg().Get(lang, "kpi.col.satisfied")}};
      for (int k = 1; k <= 5; ++k) {
        c.head.push_back(Msg().Format(lang, "kpi.col.score", {{"n", c_->Number(k, lang)}}));
      }
      c.max = 100;
      for (size_t i = 0; i < months.size(); ++i) {
        const Counts& n = per[i].counts;
        c.bars.push_back({c_->MonthShort(months[i], lang), pct_value(per[i].satisfied),
                          c_->Percent(per[i].satisfied, lang)});
        std::vector<std::string> row = {c_->Number(n.rated, lang),
                                        c_->Percent(per[i].response_rate, lang),
                                        c_->Percent(per[i].satisfied, lang)};
        for (int64_t v : n.scores) row.push_back(c_->Number(v, lang));
        c.rows.push_back(std::move(row));
      }
      out.push_back(std::move(c));
    }
    if (!r.report_services.empty()) {
      Complaints latest = r.ComplaintsOf({months[s]});
      Chart c{"complaints",
              Msg().Get(lang, "kpi.chart.complaints"),
              Msg().Format(lang, "kpi.sentence.complaints",
                           {{"received", c_->Number(latest.received, lang)},
                            {"resolved", c_->Number(latest.resolved, lang)},
                            {"month", when}}),
              {Msg().Get(lang, "kpi.col.received"), Msg().Get(lang, "kpi.col.resolved"),
               Msg().Get(lang, "kpi.col.merged"), Msg().Get(lang, "kpi.col.reopened"),
               Msg().Get(lang, "kpi.col.median")}};
      for (size_t i = 0; i < months.size(); ++i) {
        Complaints m = r.ComplaintsOf({months[i]});
        c.bars.push_back({c_->MonthShort(months[i], lang), static_cast<double>(m.received),
                          c_->Number(m.received, lang)});
        c.rows.push_back({c_->Number(m.received, lang), c_->Number(m.resolved, lang),
                          c_->Number(m.merged, lang), c_->Number(m.reopened, lang),
                          c_->Days(m.median_days, lang)});
      }
      out.push_back(std::move(c));
    }
    if (!r.payments.empty()) out.push_back(PaymentsChart(r, months, lang));
    return out;
  }

  // Payments (from payments' feed): invoices paid per month, the money collected per channel in
  // the municipality's currency, the share paid online, and the days from invoice to payment.
  Chart PaymentsChart(const Report& r, const std::vector<int64_t>& months, i18n::Lang lang) {
    std::vector<PaymentFigures> per;
    for (int64_t m : months) {
      per.push_back(ComputePayments(r.payments, r.payment_delays, {m}, r.facts.currency));
    }
    // The sentence speaks of the latest month with a payment.
    size_t s = per.size() - 1;
    for (size_t i = per.size(); i-- > 0;) {
      if (per[i].paid > 0) {
        s = i;
        break;
      }
    }
    const std::string when = c_->MonthName(months[s], lang);
    Chart c{"payments",
            Msg().Get(lang, "kpi.chart.payments"),
            per[s].paid > 0 ? Msg().Format(lang, "kpi.sentence.payments",
                                           {{"paid", c_->Number(per[s].paid, lang)},
                                            {"raised", c_->Number(per[s].raised, lang)},
                                            {"share", c_->Percent(per[s].online, lang)},
                                            {"days", c_->Days(per[s].median_days, lang)},
                                            {"month", when}})
                            : Msg().Format(lang, "kpi.sentence.nothing_paid", {{"month", when}}),
            {Msg().Get(lang, "kpi.col.invoices_raised"), Msg().Get(lang, "kpi.col.invoices_paid")}};
    for (const auto& ch : PaymentChannels()) {
      c.head.push_back(Msg().Get(lang, "kpi.col.collected_" + ch));
    }
    c.head.push_back(Msg().Get(lang, "kpi.col.paid_online"));
    c.head.push_back(Msg().Get(lang, "kpi.col.days_to_pay"));
    for (size_t i = 0; i < months.size(); ++i) {
      const PaymentFigures& f = per[i];
      c.bars.push_back(
          {c_->MonthShort(months[i], lang), static_cast<double>(f.paid), c_->Number(f.paid, lang)});
      std::vector<std::string> row = {c_->Number(f.raised, lang), c_->Number(f.paid, lang)};
      for (const auto& ch : PaymentChannels()) {
        auto it = f.collected_minor.find(ch);
        row.push_back(
            c_->Money(it == f.collected_minor.end() ? 0 : it->second, r.facts.currency, lang));
      }
      row.push_back(c_->Percent(f.online, lang));
      row.push_back(c_->Days(f.median_days, lang));
      c.rows.push_back(std::move(row));
    }
    return c;
  }

  std::shared_ptr<Common> c_;
  StaleWhileRendering cache_;
};

}  // namespace

void AddPerformanceRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common) {
  using identity::Access;
  auto pages = std::make_shared<PerformancePages>(std::move(common));
  routes.Get("/m/{slug}/performance", Access::Public(),
             [pages](Request& r) { return pages->Municipality(r); });
  routes.Get("/m/{slug}/performance/{code}", Access::Public(),
             [pages](Request& r) { return pages->Service(r); });
}

}  // namespace baladiya::analytics::internal

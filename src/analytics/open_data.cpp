// Open data (web.h): every count of the ledger by month, service and channel as CSV and JSON
// (the JSON also as the API's /api/v1/municipalities/{slug}/kpi/monthly), with a catalogue of
// the datasets in DCAT-AP (JSON-LD) under the municipality's licence, Open311's reports listed
// as a dataset of their own; no personal data, and every count from 1 to 4 shown as "<5". The
// page that lists them, and the metrics of the headline figures.
#include <boost/json.hpp>
#include <cmath>

#include "analytics/web_internal.h"
#include "catalog/page.h"
#include "platform/http/errors.h"
#include "platform/render/errors.h"
#include "workflow/services.h"

namespace baladiya::analytics::internal {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

std::string MonthText(int64_t month) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld", static_cast<long long>(month / 100),
                static_cast<long long>(month % 100));
  return buf;
}

// "YYYY-MM" -> year * 100 + month, or nullopt.
std::optional<int64_t> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int64_t y = 0, m = 0;
  for (size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    (i < 4 ? y : m) = (i < 4 ? y : m) * 10 + (text[i] - '0');
  }
  if (m < 1 || m > 12 || y < 2000 || y > 2100) return std::nullopt;
  return y * 100 + m;
}

constexpr const char* kCountNames[] = {
    "started",  "submitted", "completed", "rejected", "withdrawn", "merged",  "within_sla",
    "reopened", "rated",     "score_1",   "score_2",  "score_3",   "score_4", "score_5"};

std::vector<int64_t> CountsOf(const Counts& n) {
  return {n.started,  n.submitted, n.completed, n.rejected,  n.withdrawn, n.merged,    n.within_sla,
          n.reopened, n.rated,     n.scores[0], n.scores[1], n.scores[2], n.scores[3], n.scores[4]};
}

// One row of the dataset: a month, a service and a channel.
struct Row {
  int64_t month;
  std::string service;
  std::string channel;
  Counts counts;
  std::optional<double> median, p90;
  int64_t timed = 0;
};

class OpenData {
 public:
  explicit OpenData(std::shared_ptr<Common> c) : c_(std::move(c)) {}

  Response Page(Request& req) {
    const WebOptions& o = c_->o();
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return o.error_page(http::StatusOf(m.error().code), req);
    auto facts = o.master->Get(m->id);
    if (!facts.ok()) return o.error_page(503, req);
    const std::string base = "/m/" + m->slug + "/open-data";
    render::Page page = catalog::MunicipalityPage(*o.site, req, *m, "analytics-open-data.tpl", base,
                                                  Msg().Get(lang, "kpi.open_data.title"));
    render::Dict& b = page.body();
    b.SetValue("CSV_HREF", base + "/kpi-monthly.csv");
    b.SetValue("JSON_HREF", base + "/kpi-monthly.json");
    b.SetValue("CATALOG_HREF", base + "/catalog.jsonld");
    b.SetValue("PAYMENTS_CSV_HREF", base + "/payments-monthly.csv");
    b.SetValue("PAYMENTS_JSON_HREF", base + "/payments-monthly.json");
    b.SetValue("REPORTS_HREF", "/open311/v2/requests.json?jurisdiction_id=" + m->slug);
    b.SetValue("LICENCE", Msg().Get(lang, LicenceKey(facts->licence)));
    b.SetValue("LICENCE_HREF", LicenceUrl(facts->licence));
    b.SetValue("PERFORMANCE_HREF", "/m/" + m->slug + "/performance");
    return page.Finish(200);
  }

  Response Csv(Request& req) {
    auto data = Rows(req);
    if (!data.ok()) return Refuse(req, data.error(), false);
    std::string out = "month,service,channel";
    for (const char* n : kCountNames) out += std::string(",") + n;
    out += ",median_working_days,p90_working_days\n";
    for (const Row& r : data->rows) {
      out += MonthText(r.month) + "," + r.service + "," + r.channel;
      for (int64_t v : CountsOf(r.counts)) out += "," + Suppressed(v);
      out += "," + Time(r.median, r.timed) + "," + Time(r.p90, r.timed) + "\n";
    }
    Response res = Response::Text(200, std::move(out));
    res.headers.Set("content-type", "text/csv; charset=utf-8");
    res.headers.Set("content-disposition",
                    "attachment; filename=\"" + data->slug + "-kpi-monthly.csv\"");
    return res;
  }

  Response Json(Request& req) { return JsonOf(req, false); }

  // ---- payments' dataset: per month and currency -------------------------------------------

  Response PaymentsCsv(Request& req) {
    auto data = PaymentRows(req);
    if (!data.ok()) return Refuse(req, data.error(), false);
    std::string out = "month,currency";
    for (const char* n : kPaymentColumns) out += std::string(",") + n;
    out += "\n";
    for (const PaymentRow& r : data->rows) {
      out += MonthText(r.month) + "," + r.currency;
      for (const auto& v : r.values) out += "," + v.value_or("");
      out += "\n";
    }
    Response res = Response::Text(200, std::move(out));
    res.headers.Set("content-type", "text/csv; charset=utf-8");
    res.headers.Set("content-disposition",
                    "attachment; filename=\"" + data->slug + "-payments-monthly.csv\"");
    return res;
  }

  Response PaymentsJson(Request& req) {
    auto data = PaymentRows(req);
    if (!data.ok()) return Refuse(req, data.error(), false);
    json::array rows;
    for (const PaymentRow& r : data->rows) {
      json::object row{{"month", MonthText(r.month)}, {"currency", r.currency}};
      for (size_t i = 0; i < r.values.size(); ++i) {
        const auto& v = r.values[i];
        if (!v) {
          row[kPaymentColumns[i]] = nullptr;
        } else if (*v == "<5") {
          row[kPaymentColumns[i]] = "<5";
        } else {
          row[kPaymentColumns[i]] = std::stoll(*v);
        }
      }
      rows.push_back(std::move(row));
    }
    json::object doc{{"municipality", data->slug},         {"licence", data->licence},
                     {"from", MonthText(data->from)},      {"to", MonthText(data->to)},
                     {"suppressed_below", kSuppressBelow}, {"rows", std::move(rows)}};
    return Response::Json(200, json::serialize(doc) + "\n");
  }
  Response Api(Request& req) { return JsonOf(req, true); }

  Response Catalog(Request& req) {
    const WebOptions& o = c_->o();
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return o.error_page(http::StatusOf(m.error().code), req);
    auto facts = o.master->Get(m->id);
    if (!facts.ok()) return o.error_page(503, req);
    std::string base = o.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    const std::string site = base + "/m/" + m->slug;
    const std::string licence = LicenceUrl(facts->licence);
    auto text = [&](const std::string& key) {
      json::array a;
      for (i18n::Lang l : {i18n::Lang::kAr, i18n::Lang::kEn}) {
        a.push_back(json::object{{"@value", Msg().Get(l, key)},
                                 {"@language", std::string(i18n::LangCode(l))}});
      }
      return a;
    };
    auto named = [&](const std::string& key) {
      json::array a;
      a.push_back(json::object{
          {"@value", Msg().Format(i18n::Lang::kAr, key, {{"municipality", m->name.ar}})},
          {"@language", "ar"}});
      a.push_back(json::object{
          {"@value", Msg().Format(i18n::Lang::kEn, key, {{"municipality", m->name.en}})},
          {"@language", "en"}});
      return a;
    };
    auto distribution = [&](const std::string& url, const std::string& media,
                            const std::string& format) {
      return json::object{
          {"@type", "dcat:Distribution"},
          {"dcat:accessURL", json::object{{"@id", url}}},
          {"dcat:downloadURL", json::object{{"@id", url}}},
          {"dcat:mediaType",
           json::object{{"@id", "https://www.iana.org/assignments/media-types/" + media}}},
          {"dct:format", format},
          {"dct:license", json::object{{"@id", licence}}}};
    };
    json::object publisher{{"@type", "foaf:Agent"}, {"foaf:name", named("kpi.catalog.publisher")}};
    json::object kpi{
        {"@id", site + "/open-data#kpi-monthly"},
        {"@type", "dcat:Dataset"},
        {"dct:identifier", m->slug + "-kpi-monthly"},
        {"dct:title", named("kpi.catalog.kpi_title")},
        {"dct:description", text("kpi.catalog.kpi_description")},
        {"dct:publisher", publisher},
        {"dct:license", json::object{{"@id", licence}}},
        {"dct:accrualPeriodicity",
         json::object{{"@id", "http://publications.europa.eu/resource/authority/frequency/DAILY"}}},
        {"dcat:keyword", text("kpi.catalog.keywords")},
        {"dcat:landingPage", json::object{{"@id", site + "/performance"}}},
        {"dcat:distribution",
         json::array{
             distribution(site + "/open-data/kpi-monthly.csv", "text/csv", "CSV"),
             distribution(site + "/open-data/kpi-monthly.json", "application/json", "JSON")}}};
    json::object payments{
        {"@id", site + "/open-data#payments-monthly"},
        {"@type", "dcat:Dataset"},
        {"dct:identifier", m->slug + "-payments-monthly"},
        {"dct:title", named("kpi.catalog.payments_title")},
        {"dct:description", text("kpi.catalog.payments_description")},
        {"dct:publisher", publisher},
        {"dct:license", json::object{{"@id", licence}}},
        {"dct:accrualPeriodicity",
         json::object{{"@id", "http://publications.europa.eu/resource/authority/frequency/DAILY"}}},
        {"dcat:keyword", text("kpi.catalog.payments_keywords")},
        {"dcat:landingPage", json::object{{"@id", site + "/performance"}}},
        {"dcat:distribution",
         json::array{
             distribution(site + "/open-data/payments-monthly.csv", "text/csv", "CSV"),
             distribution(site + "/open-data/payments-monthly.json", "application/json", "JSON")}}};
    const std::string reports = base + "/open311/v2/requests";
    json::object open311{
        {"@id", site + "/open-data#reports"},
        {"@type", "dcat:Dataset"},
        {"dct:identifier", m->slug + "-open311-reports"},
        {"dct:title", named("kpi.catalog.reports_title")},
        {"dct:description", text("kpi.catalog.reports_description")},
        {"dct:publisher", publisher},
        {"dct:license", json::object{{"@id", licence}}},
        {"dct:conformsTo", json::object{{"@id", "http://wiki.open311.org/GeoReport_v2"}}},
        {"dcat:landingPage", json::object{{"@id", site + "/reports"}}},
        {"dcat:distribution",
         json::array{
             distribution(reports + ".json?jurisdiction_id=" + m->slug, "application/json", "JSON"),
             distribution(reports + ".xml?jurisdiction_id=" + m->slug, "application/xml", "XML")}}};
    json::object doc{{"@context", json::object{{"dcat", "http://www.w3.org/ns/dcat#"},
                                               {"dct", "http://purl.org/dc/terms/"},
                                               {"foaf", "http://xmlns.com/foaf/0.1/"}}},
                     {"@id", site + "/open-data/catalog.jsonld"},
                     {"@type", "dcat:Catalog"},
                     {"dct:title", named("kpi.catalog.title")},
                     {"dct:description", text("kpi.catalog.description")},
                     {"dct:publisher", publisher},
                     {"dct:license", json::object{{"@id", licence}}},
                     {"foaf:homepage", json::object{{"@id", site}}},
                     {"dcat:dataset", json::array{kpi, payments, open311}}};
    Response res = Response::Json(200, json::serialize(doc) + "\n");
    res.headers.Set("content-type", "application/ld+json; charset=utf-8");
    return res;
  }

 private:
  const i18n::Catalog& Msg() const { return c_->Msg(); }

  static std::string Time(std::optional<double> days, int64_t timed) {
    if (!days || timed < kSuppressBelow) return "";
    return std::to_string(static_cast<int64_t>(std::lround(*days)));
  }

  // The payments' dataset's columns after month and currency: counts ("<5" under five), money
  // in minor units (empty when fewer than five payments make it), and the median days from
  // invoice to payment (empty under five payments).
  static constexpr const char* kPaymentColumns[] = {"invoices_raised",
                                                    "invoices_voided",
                                                    "invoices_paid",
                                                    "paid_counter",
                                                    "paid_bank",
                                                    "paid_card",
                                                    "collected_counter_minor",
                                                    "collected_bank_minor",
                                                    "collected_card_minor",
                                                    "refunded_minor",
                                                    "median_days_to_pay"};

  struct PaymentRow {
    int64_t month = 0;
    std::string currency;
    std::vector<std::optional<std::string>> values;  // as kPaymentColumns
  };

  struct PaymentData {
    std::string slug;
    std::string licence;
    int64_t from = 0, to = 0;
    std::vector<PaymentRow> rows;
  };

  Result<PaymentData> PaymentRows(const Request& req) {
    const WebOptions& o = c_->o();
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto period = PeriodOf(req, m->id);
    if (!period.ok()) return std::move(period).error();
    auto facts = o.master->Get(m->id);
    if (!facts.ok()) return std::move(facts).error();
    auto cells = o.ledger->Payments(m->id, period->first_month, period->last_month);
    if (!cells.ok()) return std::move(cells).error();
    auto delays = o.ledger->PaymentDelays(m->id, period->first_month, period->last_month);
    if (!delays.ok()) return std::move(delays).error();
    PaymentData d{m->slug, facts->licence, period->first_month, period->last_month, {}};
    std::map<std::pair<int64_t, std::string>, std::vector<PaymentCell>> by_row;
    for (const PaymentCell& c : *cells) by_row[{c.month, c.currency}].push_back(c);
    for (const auto& [key, row_cells] : by_row) {
      const PaymentFigures f = ComputePayments(row_cells, *delays, {key.first}, key.second);
      PaymentRow r{key.first, key.second, {}};
      auto count = [&](int64_t n) -> std::optional<std::string> { return Suppressed(n); };
      auto money = [&](int64_t payments, int64_t minor) -> std::optional<std::string> {
        if (payments < kSuppressBelow) return std::nullopt;
        return std::to_string(minor);
      };
      auto paid = [&](const char* ch) {
        auto it = f.paid_by_channel.find(ch);
        return it == f.paid_by_channel.end() ? int64_t{0} : it->second;
      };
      auto collected = [&](const char* ch) {
        auto it = f.collected_minor.find(ch);
        return it == f.collected_minor.end() ? int64_t{0} : it->second;
      };
      r.values = {count(f.raised),
                  count(f.voided),
                  count(f.paid),
                  count(paid("counter")),
                  count(paid("bank")),
                  count(paid("card")),
                  money(paid("counter"), collected("counter")),
                  money(paid("bank"), collected("bank")),
                  money(paid("card"), collected("card")),
                  money(f.paid, f.refunded_minor),
                  f.median_days && f.paid >= kSuppressBelow
                      ? std::optional<std::string>(
                            std::to_string(static_cast<int64_t>(std::lround(*f.median_days))))
                      : std::nullopt};
      d.rows.push_back(std::move(r));
    }
    return d;
  }

  struct Data {
    std::string slug;
    std::string licence;
    int64_t from = 0, to = 0;
    std::vector<Row> rows;
  };

  // The months asked for (?from=YYYY-MM&to=YYYY-MM; the last twelve by default).
  Result<Period> PeriodOf(const Request& req, int64_t municipality_id) {
    const WebOptions& o = c_->o();
    auto calendar = workflow::CalendarOf(*o.services, municipality_id);
    if (!calendar.ok()) return std::move(calendar).error();
    Period p = LastTwelveMonths(o.now_ms(), *calendar);
    Error bad = MakeError(ErrorCode::kInvalid, "kpi.problem.months");
    if (auto from = req.query.Get("from")) {
      auto v = ParseMonth(*from);
      if (!v)
        bad.fields["from"] = "kpi.problem.month";
      else
        p.first_month = *v;
    }
    if (auto to = req.query.Get("to")) {
      auto v = ParseMonth(*to);
      if (!v)
        bad.fields["to"] = "kpi.problem.month";
      else
        p.last_month = *v;
    }
    if (bad.fields.empty() && (p.first_month > p.last_month || p.Months().size() > 60)) {
      bad.fields["to"] = "kpi.problem.range";
    }
    if (!bad.fields.empty()) return bad;
    return p;
  }

  Result<Data> Rows(const Request& req) {
    const WebOptions& o = c_->o();
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto period = PeriodOf(req, m->id);
    if (!period.ok()) return std::move(period).error();
    const Period p = *period;
    auto facts = o.master->Get(m->id);
    if (!facts.ok()) return std::move(facts).error();
    auto cells = o.ledger->Monthly(m->id, 0, p.first_month, p.last_month);
    if (!cells.ok()) return std::move(cells).error();
    auto durations = o.ledger->Durations(m->id, 0, p.first_month, p.last_month);
    if (!durations.ok()) return std::move(durations).error();
    auto services = o.services->Summaries(m->id);
    if (!services.ok()) return std::move(services).error();
    std::map<int64_t, std::string> codes;
    for (const auto& s : *services) codes[s.id] = s.code;
    Data d{m->slug, facts->licence, p.first_month, p.last_month, {}};
    std::map<std::tuple<int64_t, int64_t, std::string>, std::map<int, int64_t>> hist;
    for (const auto& x : *durations) hist[{x.month, x.service_id, x.channel}][x.days] += x.cases;
    for (const auto& c : *cells) {
      Row r{c.period,
            codes.contains(c.service_id) ? codes[c.service_id]
                                         : "service-" + std::to_string(c.service_id),
            c.channel, c.counts};
      const auto& h = hist[{c.period, c.service_id, c.channel}];
      for (const auto& [days, n] : h) r.timed += n;
      r.median = Quantile(h, 0.5);
      r.p90 = Quantile(h, 0.9);
      d.rows.push_back(std::move(r));
    }
    std::sort(d.rows.begin(), d.rows.end(), [](const Row& a, const Row& b) {
      return std::tie(a.month, a.service, a.channel) < std::tie(b.month, b.service, b.channel);
    });
    return d;
  }

  Response Refuse(const Request& req, const Error& e, bool api) {
    if (api || e.code == ErrorCode::kInvalid) {
      return render::ApiError(*c_->o().site->catalog, req, e);
    }
    return c_->o().error_page(http::StatusOf(e.code), req);
  }

  Response JsonOf(Request& req, bool api) {
    auto data = Rows(req);
    if (!data.ok()) return Refuse(req, data.error(), api);
    json::array rows;
    for (const Row& r : data->rows) {
      json::object row{
          {"month", MonthText(r.month)}, {"service", r.service}, {"channel", r.channel}};
      const std::vector<int64_t> counts = CountsOf(r.counts);
      for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] > 0 && counts[i] < kSuppressBelow) {
          row[kCountNames[i]] = "<5";
        } else {
          row[kCountNames[i]] = counts[i];
        }
      }
      const std::string median = Time(r.median, r.timed);
      const std::string p90 = Time(r.p90, r.timed);
      row["median_working_days"] =
          median.empty() ? json::value(nullptr) : json::value(std::stoll(median));
      row["p90_working_days"] = p90.empty() ? json::value(nullptr) : json::value(std::stoll(p90));
      rows.push_back(std::move(row));
    }
    json::object doc{{"municipality", data->slug},         {"licence", data->licence},
                     {"from", MonthText(data->from)},      {"to", MonthText(data->to)},
                     {"suppressed_below", kSuppressBelow}, {"rows", std::move(rows)}};
    return Response::Json(200, json::serialize(doc) + "\n");
  }

  std::shared_ptr<Common> c_;
};

}  // namespace

void AddOpenDataRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common) {
  using identity::Access;
  auto pages = std::make_shared<OpenData>(std::move(common));
  auto on = [pages](Response (OpenData::*fn)(Request&)) {
    return [pages, fn](Request& r) { return ((*pages).*fn)(r); };
  };
  routes.Get("/m/{slug}/open-data", Access::Public(), on(&OpenData::Page));
  routes.Get("/m/{slug}/open-data/kpi-monthly.csv", Access::Public(), on(&OpenData::Csv));
  routes.Get("/m/{slug}/open-data/kpi-monthly.json", Access::Public(), on(&OpenData::Json));
  routes.Get("/m/{slug}/open-data/catalog.jsonld", Access::Public(), on(&OpenData::Catalog));
  routes.Get("/m/{slug}/open-data/payments-monthly.csv", Access::Public(),
             on(&OpenData::PaymentsCsv));
  routes.Get("/m/{slug}/open-data/payments-monthly.json", Access::Public(),
             on(&OpenData::PaymentsJson));
  routes.Get("/api/v1/municipalities/{slug}/kpi/monthly", Access::Public(), on(&OpenData::Api));
}

void AddMetrics(module::Web& web, std::shared_ptr<Common> common) {
  web.gauges.push_back([common](std::map<std::string, double>& g) {
    const WebOptions& o = common->o();
    const int64_t now = o.now_ms();
    auto list = o.tenancy->ListMunicipalities();
    if (!list.ok()) return;
    for (const auto& m : *list) {
      auto r = common->Load(m, 0, now);
      if (!r.ok()) continue;
      const std::string label = "{municipality=\"" + m.slug + "\"}";
      const Figures month = r->Month(r->period.last_month);
      const Figures year = r->Total();
      int64_t open = 0, overdue = 0;
      for (const auto& b : r->backlog) {
        open += b.open;
        overdue += b.overdue;
      }
      g["baladiya_kpi_backlog" + label] = static_cast<double>(open);
      g["baladiya_kpi_past_sla" + label] = static_cast<double>(overdue);
      g["baladiya_kpi_submitted_this_month" + label] = static_cast<double>(month.counts.submitted);
      if (year.take_up) g["baladiya_kpi_digital_take_up_ratio" + label] = *year.take_up;
      if (year.within_sla) g["baladiya_kpi_within_sla_ratio" + label] = *year.within_sla;
      if (year.satisfied) g["baladiya_kpi_satisfied_ratio" + label] = *year.satisfied;
      if (year.median_days) g["baladiya_kpi_median_working_days" + label] = *year.median_days;
    }
    auto cursors = o.ledger->Cursors();
    if (cursors.ok()) {
      for (const auto& [feed, position] : *cursors) {
        g["baladiya_kpi_feed_position{feed=\"" + feed + "\"}"] = static_cast<double>(position);
      }
    }
  });
}

}  // namespace baladiya::analytics::internal

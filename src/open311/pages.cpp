// The public report pages (pages.h): a municipality's reports from the public record, a page at
// a time, and one report with its history. Nothing here reads a case: only open311_requests and
// open311_updates, whose columns (but the sealed contact) are public.
#include "open311/pages.h"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <mutex>

#include "cases/web.h"
#include "catalog/page.h"
#include "platform/http/errors.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "workflow/services.h"

namespace baladiya::open311 {
namespace {

// A report's point for map.js's data-map-points ({"lat", "lng", "label", "href"}), when the
// report has coordinates.
void AddPoint(boost::json::array& points, const open311::Request& r, const std::string& label,
              const std::string& href) {
  if (r.lat.empty() || r.lng.empty()) return;
  double lat = 0, lng = 0;
  const auto a = std::from_chars(r.lat.data(), r.lat.data() + r.lat.size(), lat);
  const auto b = std::from_chars(r.lng.data(), r.lng.data() + r.lng.size(), lng);
  if (a.ec != std::errc() || b.ec != std::errc()) return;
  points.push_back(
      boost::json::object{{"lat", lat}, {"lng", lng}, {"label", label}, {"href", href}});
}

// Shows the points as a map (only where the site has a tile server; the page lists them as text
// either way).
void ShowPoints(render::Page& page, const boost::json::array& points) {
  if (points.empty() || !page.UseMap()) return;
  page.body().SetValueAndShowSection("POINTS", boost::json::serialize(points), "HAS_MAP");
}

using http::Request;
using http::Response;

constexpr int kPageSize = 50;
constexpr int kMaxPage = 100'000;
constexpr size_t kExcerptChars = 140;  // code points of a description shown in the list
constexpr size_t kEchoChars = 40;      // of a refused filter value, repeated in its message
constexpr auto kCatalogueAge = std::chrono::seconds(5);

// The first n code points of UTF-8 text, with an ellipsis when it was longer.
std::string Excerpt(std::string_view text, size_t n) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points++ == n) return std::string(text.substr(0, i)) + "…";
  }
  return std::string(text);
}

// Only web links become links; anything else a client sent stays text.
bool WebLink(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// A municipality's report services with their workflows (for the states' labels), built at
// most every few seconds rather than on every page.
struct ReportService {
  catalog::Service service;
  workflow::Workflow workflow;
};

struct Catalogue {
  std::vector<ReportService> services;  // in catalogue order
  std::chrono::steady_clock::time_point loaded;

  const ReportService* ById(int64_t id) const {
    for (const auto& s : services) {
      if (s.service.id == id) return &s;
    }
    return nullptr;
  }
  const ReportService* ByCode(std::string_view code) const {
    for (const auto& s : services) {
      if (s.service.code == code) return &s;
    }
    return nullptr;
  }
};

class ReportPages {
 public:
  explicit ReportPages(PageOptions o) : o_(std::move(o)) {}

  Response List(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto cat = CatalogueOf(m->id);
    if (!cat.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/reports";

    // The filters: a value that is not one is named in a notice and left out.
    std::vector<std::string> notices;
    RequestFilter f;
    f.municipality_id = m->id;
    f.from_ms = 0;
    f.to_ms = std::numeric_limits<int64_t>::max();
    const std::string category(req.query.Get("category").value_or(""));
    const ReportService* chosen = nullptr;
    if (!category.empty()) {
      chosen = (*cat)->ByCode(category);
      if (chosen) {
        f.service_ids = {chosen->service.id};
      } else {
        notices.push_back(
            Msg().Format(lang, "reports.bad_category", {{"value", Excerpt(category, kEchoChars)}}));
      }
    }
    std::string status(req.query.Get("status").value_or(""));
    if (status == "open" || status == "closed") {
      f.closed = status == "closed";
    } else if (!status.empty() && status != "all") {
      notices.push_back(Msg().Get(lang, "reports.bad_status"));
      status.clear();
    }
    int page = 1;
    if (auto p = req.query.Get("page"); p && !p->empty()) {
      const std::string_view text = *p;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), page);
      if (ec != std::errc() || end != text.data() + text.size() || page < 1 || page > kMaxPage) {
        notices.push_back(Msg().Get(lang, "reports.bad_page"));
        page = 1;
      }
    }
    f.offset = (page - 1) * kPageSize;
    f.limit = kPageSize + 1;  // one more tells whether a next page exists
    auto found = o_.store->Find(f);
    if (!found.ok()) return o_.error_page(503, req);
    const bool has_next = static_cast<int>(found->size()) > kPageSize;
    if (has_next) found->resize(kPageSize);

    render::Page page_out = catalog::MunicipalityPage(*o_.site, req, *m, "open311-reports.tpl",
                                                      href, Msg().Get(lang, "reports.title"));
    render::Dict& b = page_out.body();
    b.SetValue("HREF", href);
    for (const auto& n : notices) b.AddSectionDictionary("NOTICE")->SetValue("TEXT", n);
    if (!notices.empty()) b.ShowSection("HAS_NOTICES");
    for (const auto& s : (*cat)->services) {
      // Drafts are not offered as a filter, but their reports stay listed and named.
      if (!s.service.published && &s != chosen) continue;
      render::Dict* d = b.AddSectionDictionary("CATEGORY");
      d->SetValue("VALUE", s.service.code);
      d->SetValue("NAME", s.service.name.In(lang));
      if (&s == chosen) d->ShowSection("SELECTED");
    }
    for (const char* value : {"all", "open", "closed"}) {
      render::Dict* d = b.AddSectionDictionary("STATUS_OPTION");
      d->SetValue("VALUE", value);
      d->SetValue("NAME", Msg().Get(lang, std::string("reports.status_") + value));
      if (status == value || (status.empty() && std::string_view(value) == "all"))
        d->ShowSection("SELECTED");
    }
    b.SetValue("CAPTION",
               Msg().Format(lang, "reports.list_page", {{"page", i18n::FormatNumber(page, lang)}}));
    boost::json::array points;
    for (const auto& r : *found) {
      render::Dict* d = b.AddSectionDictionary("REPORT");
      d->SetValue("TRACKING", r.tracking);
      d->SetValue("REPORT_HREF", href + "/" + r.tracking);
      const ReportService* s = (*cat)->ById(r.service_id);
      d->SetValue("SERVICE", s ? s->service.name.In(lang) : "");
      d->SetValue("STATUS", StatusText(r, s, lang));
      d->SetValue("FILED", i18n::FormatDate(r.requested_at, lang));
      d->SetValue("UPDATED", i18n::FormatDate(r.updated_at, lang));
      FillLocation(*d, r, lang);
      AddPoint(points, r, r.tracking + " " + (s ? s->service.name.In(lang) : ""),
               href + "/" + r.tracking);
      if (r.description.empty()) {
        d->SetValueAndShowSection("NO_TEXT", Msg().Get(lang, "reports.no_description"),
                                  "NO_DESCRIPTION");
      } else {
        d->SetValueAndShowSection("EXCERPT", Excerpt(r.description, kExcerptChars),
                                  "HAS_DESCRIPTION");
      }
    }
    if (found->empty()) {
      const bool filtered = !f.service_ids.empty() || f.closed.has_value();
      b.SetValueAndShowSection("EMPTY_TEXT",
                               Msg().Get(lang, page > 1   ? "reports.empty_page"
                                               : filtered ? "reports.empty_filtered"
                                                          : "reports.empty"),
                               "EMPTY");
      if (page > 1)
        b.SetValueAndShowSection("FIRST_HREF", PageHref(href, chosen, status, 1), "HAS_FIRST");
    } else {
      b.ShowSection("HAS_REPORTS");
    }
    const bool has_previous = page > 1 && !found->empty();
    if (has_previous) {
      b.SetValueAndShowSection("PREVIOUS_HREF", PageHref(href, chosen, status, page - 1),
                               "HAS_PREVIOUS");
    }
    if (has_next) {
      b.SetValueAndShowSection("NEXT_HREF", PageHref(href, chosen, status, page + 1), "HAS_NEXT");
    }
    if (has_previous || has_next) b.ShowSection("HAS_PAGER");
    ShowPoints(page_out, points);
    return page_out.Finish(200);
  }

  Response Show(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto r = o_.store->Get(m->id, req.PathParam("tracking"));
    if (!r.ok()) return o_.error_page(r.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    auto cat = CatalogueOf(m->id);
    if (!cat.ok()) return o_.error_page(503, req);
    auto history = o_.store->UpdatesOf(m->id, r->case_id);
    if (!history.ok()) return o_.error_page(503, req);
    const ReportService* s = (*cat)->ById(r->service_id);
    const std::string list = "/m/" + m->slug + "/reports";

    const std::string title = Msg().Get(lang, "reports.report");
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "open311-report.tpl", list + "/" + r->tracking,
                                  title + " " + r->tracking);
    render::Dict& b = page.body();
    b.SetValue("HEADING", title);
    b.SetValue("TRACKING", r->tracking);
    b.SetValue("LIST_HREF", list);
    b.SetValue("SERVICE", s ? s->service.name.In(lang) : "");
    b.SetValue("STATUS", StatusText(*r, s, lang));
    b.SetValue("FILED", i18n::FormatDate(r->requested_at, lang));
    b.SetValue("UPDATED", i18n::FormatDate(r->updated_at, lang));
    if (!r->closed && r->expected_at > 0)
      b.SetValueAndShowSection("EXPECTED", i18n::FormatDate(r->expected_at, lang), "HAS_EXPECTED");
    if (!r->address.empty()) b.SetValueAndShowSection("ADDRESS", r->address, "HAS_ADDRESS");
    if (!r->lat.empty() && !r->lng.empty())
      b.SetValueAndShowSection("COORDINATES", r->lat + ", " + r->lng, "HAS_COORDINATES");
    if (r->address.empty() && r->lat.empty()) {
      b.SetValueAndShowSection("NO_LOCATION", Msg().Get(lang, "reports.no_location"),
                               "LOCATION_MISSING");
    }
    if (r->description.empty()) {
      b.SetValueAndShowSection("NO_TEXT", Msg().Get(lang, "reports.no_description"),
                               "NO_DESCRIPTION");
    } else {
      b.SetValueAndShowSection("DESCRIPTION", r->description, "HAS_DESCRIPTION");
    }
    if (WebLink(r->media_url)) b.SetValueAndShowSection("MEDIA_URL", r->media_url, "HAS_MEDIA");
    boost::json::array point;
    AddPoint(point, *r, r->tracking, "");
    ShowPoints(page, point);

    // The history: the filing, then every later change of state (dates and states only).
    const std::string initial = s ? StateLabel(*s, s->workflow.initial, lang) : "";
    AddEvent(b, r->requested_at, Msg().Format(lang, "reports.history_filed", {{"state", initial}}),
             lang);
    for (const auto& u : *history) {
      const std::string state = s ? StateLabel(*s, u.state, lang) : u.state;
      // A report merged into another is closed as a duplicate, whatever its final state's name.
      if (u.kind == "merged") {
        b.SetValue("STATUS", Msg().Get(lang, "reports.status_merged"));
        AddEvent(b, u.at, Msg().Get(lang, "reports.history_merged"), lang);
        continue;
      }
      AddEvent(
          b, u.at,
          Msg().Format(lang,
                       u.kind == "reopened" ? "reports.history_reopened" : "reports.history_state",
                       {{"state", state}}),
          lang);
    }
    return page.Finish(200);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  static std::string StateLabel(const ReportService& s, const std::string& state, i18n::Lang lang) {
    const workflow::State* st = s.workflow.FindState(state);
    return st ? st->label.In(lang) : state;
  }

  // "Open: In review", "Closed: Completed".
  std::string StatusText(const open311::Request& r, const ReportService* s, i18n::Lang lang) const {
    std::string status = Msg().Get(lang, r.closed ? "reports.closed" : "reports.open");
    if (!s) return status;
    return Msg().Format(lang, "reports.status_state",
                        {{"status", status}, {"state", StateLabel(*s, r.state, lang)}});
  }

  void FillLocation(render::Dict& d, const open311::Request& r, i18n::Lang lang) const {
    if (!r.address.empty()) {
      d.SetValueAndShowSection("ADDRESS", r.address, "HAS_ADDRESS");
    } else if (!r.lat.empty() && !r.lng.empty()) {
      d.SetValueAndShowSection("COORDINATES", r.lat + ", " + r.lng, "HAS_COORDINATES");
    } else {
      d.SetValueAndShowSection("NO_LOCATION", Msg().Get(lang, "reports.no_location"),
                               "LOCATION_MISSING");
    }
  }

  static void AddEvent(render::Dict& b, int64_t at, const std::string& text, i18n::Lang lang) {
    render::Dict* d = b.AddSectionDictionary("EVENT");
    d->SetValue("WHEN", i18n::FormatDate(at, lang));
    d->SetValue("WHEN_ISO", i18n::FormatIsoUtc(at));
    d->SetValue("TEXT", text);
  }

  // The list's address of a page, keeping the filters that were valid.
  static std::string PageHref(const std::string& href, const ReportService* chosen,
                              const std::string& status, int page) {
    std::string out = href + "?page=" + std::to_string(page);
    if (chosen) out += "&category=" + http::PercentEncode(chosen->service.code);
    if (!status.empty()) out += "&status=" + status;
    return out;
  }

  Result<std::shared_ptr<const Catalogue>> CatalogueOf(int64_t municipality_id) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu_);
      auto it = catalogues_.find(municipality_id);
      if (it != catalogues_.end() && now - it->second->loaded < kCatalogueAge) return it->second;
    }
    auto list = o_.services->List(municipality_id, false);
    if (!list.ok()) return std::move(list).error();
    auto cat = std::make_shared<Catalogue>();
    cat->loaded = now;
    for (auto& s : *list) {
      if (s.kind != catalog::ServiceKind::kReport) continue;
      auto wf = workflow::ForService(s, Msg());
      if (!wf.ok()) continue;  // its states show by their keys
      cat->services.push_back({std::move(s), std::move(*wf)});
    }
    std::shared_ptr<const Catalogue> out = std::move(cat);
    std::lock_guard lock(mu_);
    catalogues_[municipality_id] = out;
    return out;
  }

  PageOptions o_;
  std::mutex mu_;
  std::map<int64_t, std::shared_ptr<const Catalogue>> catalogues_;  // guarded by mu_
};

}  // namespace

void AddPageRoutes(identity::GuardedRoutes& routes, PageOptions options) {
  using identity::Access;
  AddKeyPageRoutes(routes, options);
  auto pages = std::make_shared<ReportPages>(std::move(options));
  auto on = http::MemberHandlers(pages);
  routes.Get("/m/{slug}/reports", Access::Public(), on(&ReportPages::List));
  routes.Get("/m/{slug}/reports/{tracking}", Access::Public(), on(&ReportPages::Show));
}

}  // namespace baladiya::open311

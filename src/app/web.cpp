#include "app/web.h"

#include <boost/json.hpp>
#include <chrono>

#include "audit/audit.h"
#include "open311/web.h"
#include "platform/crypto/crypto.h"
#include "platform/http/middleware.h"
#include "platform/http/url.h"
#include "platform/log/log.h"

namespace baladiya::app {

using http::Request;
using http::Response;

namespace {

constexpr std::string_view kLangCookie = "lang";

struct ErrorText {
  int status;
  const char* key;  // "error.<key>.title" / ".body"
};
constexpr ErrorText kErrorTexts[] = {
    {400, "bad_request"},        {403, "forbidden"},   {404, "not_found"},
    {405, "method_not_allowed"}, {408, "timeout"},     {413, "too_large"},
    {431, "headers_too_large"},  {503, "unavailable"},
};

std::string ErrorKey(int status) {
  for (const auto& e : kErrorTexts) {
    if (e.status == status) return e.key;
  }
  return "internal";
}

// The status of an error page for a failed read.
int StatusFor(const Error& e) {
  switch (e.code) {
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

std::string PhoneUri(std::string_view phone) {
  std::string out;
  for (char c : phone) {
    if ((c >= '0' && c <= '9') || c == '+') out.push_back(c);
  }
  return out;
}

}  // namespace

Response ApiError(int status, std::string_view code, std::string_view message_key,
                  const i18n::Catalog& catalog, const Request& req) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = catalog.Get(render::RequestLang(req), message_key);
  boost::json::object body;
  body["error"] = std::move(error);
  return Response::Json(status, boost::json::serialize(body));
}

http::Middleware ClientAddress() { return http::ClientAddress(http::TrustedProxies::Loopback()); }

http::Middleware Locale() {
  return [](Request& req, const http::Handler& next) {
    std::optional<i18n::Lang> chosen;
    bool from_query = false;
    if (auto q = req.query.Get("lang")) {
      chosen = i18n::ParseLang(*q);
      from_query = chosen.has_value();
    }
    if (!chosen) {
      if (auto c = req.Cookie(kLangCookie)) chosen = i18n::ParseLang(*c);
    }
    i18n::Lang lang = chosen.value_or(i18n::Lang::kAr);
    req.attributes["lang"] = std::string(i18n::LangCode(lang));
    Response res = next(req);
    if (from_query) {
      res.headers.Add("set-cookie", std::string(kLangCookie) + "=" +
                                        std::string(i18n::LangCode(lang)) +
                                        "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    }
    return res;
  };
}

WebApp::WebApp(db::Database* db, const render::Site* site, WebOptions options,
               const identity::WebServices* identity)
    : db_(db), site_(site), options_(options), tenancy_(*db), identity_(identity) {
  using identity::Access;
  routes_.Get("/healthz", Access::Public(), [](Request&) { return Response::Text(200, "ok\n"); });
  routes_.Get("/readyz", Access::Public(), [this](Request& r) { return Ready(r); });
  routes_.Get("/metrics", Access::Public(), [this](Request& r) { return Metrics(r); });
  routes_.Get("/assets/{file:path}", Access::Public(), [this](Request& r) { return Asset(r); });
  routes_.Get("/", Access::Public(), [this](Request& r) { return Home(r); });
  routes_.Get("/m/{slug}", Access::Public(), [this](Request& r) { return MunicipalityHome(r); });
  if (identity_) identity::AddRoutes(routes_, *identity_);
}

http::Handler WebApp::Handler() {
  // With a map, its tile server may serve images (img-src); nothing else in the CSP changes.
  const bool map = site_->map && site_->map->enabled();
  std::vector<http::Middleware> chain = {
      http::RequestId(),
      http::SecurityHeaders(options_.hsts, map ? render::TileOrigin(site_->map->tiles_url) : "")};
  http::TrustedProxies trusted = options_.trusted_proxies;
  if (options_.trust_proxy) trusted.Merge(http::TrustedProxies::Loopback());
  chain.push_back(http::ClientAddress(std::move(trusted), options_.hsts));
  chain.push_back(Locale());
  if (identity_) chain.push_back(identity::Authenticate(*identity_));
  chain.push_back(http::Gzip());
  return http::Chain(std::move(chain), [this](Request& r) { return Dispatch(r); });
}

void WebApp::Attach(http::Server* server) {
  server_ = server;
  // Reads are fast and stay on the I/O thread; anything that writes (a login hashes a password,
  // every form commits a transaction) runs on the offload pool, and so do Open311's lists (up to
  // 1,000 records each).
  server->SetOffload([](const Request& r) {
    return (r.method != http::Method::kGet && r.method != http::Method::kHead) ||
           open311::RendersLists(r.path);
  });
  server->SetObserver([this](const http::Exchange& e) { Observe(e); });
  server->SetErrorRenderer([this](int status, const Request* r) { return ErrorPage(status, r); });
}

Response WebApp::Dispatch(Request& req) const {
  auto match = router_.Find(req.method, req.path);
  req.route = match.pattern;
  switch (match.outcome) {
    case http::Router::Outcome::kNotFound:
      return ErrorPage(404, &req);
    case http::Router::Outcome::kMethodNotAllowed: {
      if (req.method == http::Method::kOptions) {
        Response res;
        res.status = 204;
        res.headers.Set("allow", http::AllowHeader(match.allowed));
        return res;
      }
      Response res = ErrorPage(405, &req);
      res.headers.Set("allow", http::AllowHeader(match.allowed));
      return res;
    }
    case http::Router::Outcome::kFound:
      break;
  }
  for (auto& [k, v] : match.params) req.path_params[k] = std::move(v);
  const identity::Access* rule = routes_.RuleFor(req.method, match.pattern);
  if (!rule) return ErrorPage(500, &req);  // a route added without a rule: refuse, never guess
  int64_t scope = 0;
  if (rule->kind == identity::Access::Kind::kPermission && req.path_params.count("slug")) {
    auto m = tenancy_.FindMunicipality(req.path_params["slug"]);
    if (!m.ok()) return ErrorPage(StatusFor(m.error()), &req);
    scope = m->id;
  }
  identity::Decision decision = identity::Decide(identity::PrincipalOf(req), *rule, scope);
  if (decision != identity::Decision::kAllow) return Refuse(decision, req, scope);
  return (*match.handler)(req);
}

Response WebApp::Refuse(identity::Decision decision, const Request& req, int64_t scope) const {
  // A signed-in account refused a page is worth an auditor's attention (anonymous refusals are
  // not recorded: anyone could fill the log with them).
  // (Aggregated per principal, route and minute; a refusal that cannot be recorded fails.)
  if (decision == identity::Decision::kForbidden && identity_) {
    if (!identity::AuditDenied(*identity_, req, scope).ok()) return ErrorPage(503, &req);
  }
  bool api = req.path.starts_with("/api/");
  std::string next = http::PercentEncode(req.path);
  switch (decision) {
    case identity::Decision::kSignIn:
      if (api) return ApiError(401, "unauthorized", "api.unauthorized", *site_->catalog, req);
      return Response::Redirect("/login?next=" + next);
    case identity::Decision::kTotp:
      if (api) return ApiError(401, "mfa_required", "api.mfa_required", *site_->catalog, req);
      return Response::Redirect("/login/totp?next=" + next);
    default:
      if (api) return ApiError(403, "forbidden", "api.forbidden", *site_->catalog, req);
      return ErrorPage(403, &req);
  }
}

Response WebApp::ErrorPage(int status, const Request* request) const {
  i18n::Lang lang = request ? render::RequestLang(*request) : i18n::Lang::kAr;
  std::string key = "error." + ErrorKey(status);
  render::Page page = request ? render::Page(*site_, *request, "error.tpl")
                              : render::Page(*site_, lang, "error.tpl");
  std::string heading = site_->catalog->Get(lang, key + ".title");
  page.SetTitle(heading);
  page.body().SetValue("HEADING", heading);
  page.body().SetValue("MESSAGE", site_->catalog->Get(lang, key + ".body"));
  page.SetPath(request && !request->path.empty() ? request->path : "/");
  Response res = page.Finish(status);
  res.headers.Set("cache-control", "no-store");
  if (status == 503) res.headers.Set("retry-after", "1");
  if (status >= 400 && request == nullptr) res.close = true;
  return res;
}

// The directory pages depend only on the directory snapshot and the language: their bodies are
// rendered once per snapshot and language, the layout on every request.
Response WebApp::FinishCached(render::Page& page, const std::string& key, uint64_t version,
                              const std::function<Status(render::Dict&)>& fill,
                              const Request& req) const {
  auto body = fragments_.Get(key, version);
  if (!body) {
    if (Status s = fill(page.body()); !s.ok()) return ErrorPage(StatusFor(s.error()), &req);
    auto rendered = page.RenderBody();
    if (!rendered.ok()) return ErrorPage(500, &req);
    body = std::move(*rendered);
    fragments_.Put(key, version, body);
  }
  page.SetBodyHtml(std::move(body));
  return page.Finish(200);
}

Response WebApp::Home(Request& req) const {
  i18n::Lang lang = render::RequestLang(req);
  auto version = tenancy_.DirectoryVersion();
  if (!version.ok()) return ErrorPage(StatusFor(version.error()), &req);
  render::Page page(*site_, req, "home.tpl");
  page.SetPath("/");
  std::string key = std::string(i18n::LangCode(lang)) + ":home";
  return FinishCached(
      page, key, *version,
      [&](render::Dict& b) -> Status {
        auto list = tenancy_.ListMunicipalities();
        if (!list.ok()) return std::move(list).error();
        if (list->empty()) b.ShowSection("NO_MUNICIPALITIES");
        for (const auto& m : *list) {
          render::Dict* d = b.AddSectionDictionary("MUNICIPALITY");
          d->SetValue("SLUG", m.slug);
          d->SetValue("NAME", m.name.In(lang));
          d->SetValue("GOVERNORATE", m.governorate.In(lang));
        }
        return Ok();
      },
      req);
}

Response WebApp::MunicipalityHome(Request& req) const {
  i18n::Lang lang = render::RequestLang(req);
  auto version = tenancy_.DirectoryVersion();
  if (!version.ok()) return ErrorPage(StatusFor(version.error()), &req);
  auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
  if (!m.ok()) return ErrorPage(StatusFor(m.error()), &req);
  render::Page page(*site_, req, "municipality.tpl");
  std::string href = "/m/" + m->slug;
  page.SetPath(href);
  page.SetTitle(m->name.In(lang));
  page.SetSiteName(m->name.In(lang), href);
  std::string key = std::string(i18n::LangCode(lang)) + href;
  return FinishCached(
      page, key, *version,
      [&](render::Dict& b) -> Status {
        auto departments = tenancy_.Departments(m->id);
        if (!departments.ok()) return std::move(departments).error();
        b.SetValue("NAME", m->name.In(lang));
        b.SetValue("SLUG", m->slug);
        b.SetValue("GOVERNORATE", m->governorate.In(lang));
        for (const auto& d : *departments) {
          b.AddSectionDictionary("DEPARTMENT")->SetValue("DEPARTMENT_NAME", d.name.In(lang));
        }
        if (!m->address.In(lang).empty()) {
          b.SetValueAndShowSection("ADDRESS", m->address.In(lang), "HAS_ADDRESS");
        }
        if (!m->phone.empty()) {
          b.SetValueAndShowSection("PHONE", m->phone, "HAS_PHONE");
          b.SetValue("PHONE_URI", PhoneUri(m->phone));
        }
        if (!m->email.empty()) b.SetValueAndShowSection("EMAIL", m->email, "HAS_EMAIL");
        return Ok();
      },
      req);
}

Response WebApp::Asset(Request& req) const {
  const render::Asset* a = site_->assets->Find(req.PathParam("file"));
  if (!a) return ErrorPage(404, &req);
  Response res;
  res.headers.Set("content-type", a->content_type);
  res.headers.Set("cache-control", "public, max-age=31536000, immutable");
  if (!a->gzip_body.empty() && http::AcceptsGzip(req.headers.Get("accept-encoding"))) {
    res.body = a->gzip_body;
    res.headers.Set("content-encoding", "gzip");
  } else {
    res.body = a->body;
  }
  res.headers.Set("vary", "Accept-Encoding");
  return res;
}

Response WebApp::Ready(Request&) const {
  Status s = db_->Ping();
  if (!s.ok()) {
    Response res = Response::Text(503, "database unavailable\n");
    res.headers.Set("retry-after", "1");
    return res;
  }
  return Response::Text(200, "ready\n");
}

// Metrics describe the platform's inner workings: they are served only to a scraper holding
// the metrics token, never by address (a proxy header could forge one).
Response WebApp::Metrics(Request& req) const {
  std::string_view auth = req.headers.Get("authorization");
  if (options_.metrics_token.empty() || !auth.starts_with("Bearer ") ||
      !crypto::ConstantTimeEquals(auth.substr(7), options_.metrics_token)) {
    return ErrorPage(404, &req);
  }
  std::map<std::string, double> gauges;
  if (server_) {
    auto s = server_->Stats();
    gauges["baladiya_open_connections"] = static_cast<double>(s.open_connections);
    gauges["baladiya_requests_in_flight"] = static_cast<double>(s.in_flight);
    gauges["baladiya_connections_accepted_total"] = static_cast<double>(s.accepted);
    gauges["baladiya_overload_rejections_total"] = static_cast<double>(s.rejected_overload);
    gauges["baladiya_bad_requests_total"] = static_cast<double>(s.bad_requests);
  }
  auto d = db_->Stats();
  gauges["baladiya_db_queries_total"] = static_cast<double>(d.queries);
  gauges["baladiya_db_query_seconds_total"] = static_cast<double>(d.query_micros) / 1e6;
  gauges["baladiya_db_transactions_total"] = static_cast<double>(d.transactions);
  gauges["baladiya_db_rollbacks_total"] = static_cast<double>(d.rollbacks);
  gauges["baladiya_db_commits_total"] = static_cast<double>(d.commits);
  gauges["baladiya_db_grouped_transactions_total"] = static_cast<double>(d.grouped);
  gauges["baladiya_db_errors_total"] = static_cast<double>(d.errors);
  gauges["baladiya_db_slowest_query_seconds"] = static_cast<double>(d.slowest_micros) / 1e6;
  Response res = Response::Text(200, metrics_.Render(gauges));
  res.headers.Set("content-type", "text/plain; version=0.0.4; charset=utf-8");
  return res;
}

void WebApp::Observe(const http::Exchange& e) {
  std::string_view method = e.request ? std::string_view(e.request->method_name) : "-";
  std::string_view route = e.request ? std::string_view(e.request->route) : "";
  double seconds = static_cast<double>(e.duration.count()) / 1e6;
  // Metrics and the access log are both counted per request; a mutex each, no I/O on the
  // metrics side.
  metrics_.ObserveRequest(method, route, e.status, seconds);
  if (!log::AccessEnabled()) return;
  boost::json::object line;
  line["ts"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  if (e.request) {
    line["rid"] = e.request->request_id;
    line["method"] = e.request->method_name;
    line["route"] = e.request->route;
    line["path"] = e.request->path;  // never the query string: it may carry personal data
    line["remote"] = e.request->remote_address;
  }
  line["status"] = e.status;
  line["bytes"] = e.response_bytes;
  line["us"] = e.duration.count();
  log::Access(boost::json::serialize(line));
}

}  // namespace baladiya::app

#include "platform/module/host.h"

#include <boost/json.hpp>
#include <chrono>

#include "platform/http/middleware.h"
#include "platform/http/url.h"
#include "platform/log/log.h"
#include "platform/module/resources.h"

namespace baladiya::module {

using http::Request;
using http::Response;

namespace {

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

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Merges one module's OpenAPI fragment into the document: paths and components are unions (a
// path or a component named twice is refused unless both are the same), tags a union by name,
// other top-level members (openapi, info, servers) are taken from the first fragment with them.
Status MergeOpenApi(boost::json::object& doc, std::string_view fragment, const std::string& from) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(fragment, ec);
  if (ec || !v.is_object()) {
    return MakeError(ErrorCode::kInvalid, "error.invalid",
                     "the OpenAPI fragment of " + from + " is not a JSON object");
  }
  auto clash = [&](std::string_view what) {
    return MakeError(ErrorCode::kInvalid, "error.invalid",
                     "the OpenAPI fragment of " + from + " describes " + std::string(what) +
                         " again, differently");
  };
  for (auto& [key, value] : v.as_object()) {
    if (key == "paths") {
      if (!value.is_object()) return clash("paths");
      if (!doc.contains("paths")) doc["paths"] = boost::json::object();
      boost::json::object& into = doc["paths"].as_object();
      for (auto& [path, item] : value.as_object()) {
        if (into.contains(path) && into[path] != item) return clash(path);
        into[path] = item;
      }
    } else if (key == "components") {
      if (!value.is_object()) return clash("components");
      if (!doc.contains("components")) doc["components"] = boost::json::object();
      boost::json::object& comps = doc["components"].as_object();
      for (auto& [kind, members] : value.as_object()) {
        if (!members.is_object()) return clash(kind);
        if (!comps.contains(kind)) comps[kind] = boost::json::object();
        boost::json::object& into = comps[kind].as_object();
        for (auto& [name, def] : members.as_object()) {
          if (into.contains(name) && into[name] != def)
            return clash(std::string(kind) + "/" + std::string(name));
          into[name] = def;
        }
      }
    } else if (key == "tags") {
      if (!value.is_array()) return clash("tags");
      if (!doc.contains("tags")) doc["tags"] = boost::json::array();
      boost::json::array& tags = doc["tags"].as_array();
      for (auto& tag : value.as_array()) {
        bool known = false;
        for (auto& t : tags) {
          if (t.is_object() && tag.is_object() && t.as_object().contains("name") &&
              tag.as_object().contains("name") && t.at("name") == tag.at("name")) {
            known = true;
          }
        }
        if (!known) tags.push_back(tag);
      }
    } else if (!doc.contains(key)) {
      doc[key] = value;
    }
  }
  return Ok();
}

}  // namespace

std::vector<db::Migration> AllMigrations(const std::vector<Module>& modules) {
  std::vector<db::Migration> all;
  for (const Module& m : modules) {
    if (!m.migrations) continue;
    for (auto& migration : m.migrations()) all.push_back(std::move(migration));
  }
  std::sort(all.begin(), all.end(),
            [](const db::Migration& a, const db::Migration& b) { return a.number < b.number; });
  return all;
}

std::string CommandUsage(const std::vector<Module>& modules) {
  std::string out;
  for (const Module& m : modules) {
    for (const Command& c : m.commands) out += c.usage;
  }
  return out;
}

Result<std::unique_ptr<Host>> Host::Open(std::vector<Module> modules, HostOptions options) {
  std::unique_ptr<Host> h(new Host());
  h->modules_ = std::move(modules);
  h->options_ = std::move(options);
  if (!h->options_.now_ms) h->options_.now_ms = SystemNowMs;
  if (Status st = crypto::InitCrypto(); !st.ok()) return std::move(st).error();

  auto db = db::Open(h->options_.database);
  if (!db.ok()) return std::move(db).error();
  h->db_ = std::move(*db);
  auto report = db::Migrate(*h->db_, AllMigrations(h->modules_));
  if (!report.ok()) return std::move(report).error();
  if (!h->options_.quiet) {
    for (const auto& name : report->applied) std::printf("applied migration %s\n", name.c_str());
    std::printf("%zu migration(s) applied, %d already in place\n", report->applied.size(),
                report->already_applied);
  }
  auto keys = crypto::LoadOrCreateKeyFile(h->options_.key_file);
  if (!keys.ok()) return std::move(keys).error();
  h->keys_ = *keys;

  // The site: the platform's own layout, error page, forms, messages and assets, then each
  // module's messages and templates.
  std::vector<i18n::Catalog::Fragment> fragments;
  auto fragment_of = [](const std::string& name, std::span<const EmbeddedFile> files) {
    i18n::Catalog::Fragment f{name, {}, {}};
    for (const auto& file : files) {
      if (file.name == "ar.json") f.ar_json = file.data;
      if (file.name == "en.json") f.en_json = file.data;
    }
    return f;
  };
  fragments.push_back(fragment_of("platform", PlatformMessageFiles()));
  std::vector<EmbeddedFile> templates(PlatformTemplateFiles().begin(),
                                      PlatformTemplateFiles().end());
  boost::json::object openapi;
  if (Status st = MergeOpenApi(openapi, PlatformOpenApi(), "platform"); !st.ok()) return st.error();
  for (const Module& m : h->modules_) {
    if (m.messages) fragments.push_back(fragment_of(m.name, m.messages()));
    if (m.templates) templates.insert(templates.end(), m.templates().begin(), m.templates().end());
    if (m.openapi) {
      for (const auto& file : m.openapi()) {
        if (file.name != "openapi.json") continue;
        if (Status st = MergeOpenApi(openapi, file.data, m.name); !st.ok()) return st.error();
      }
    }
  }
  for (const auto& f : fragments) {
    if (f.ar_json.empty() || f.en_json.empty()) {
      return MakeError(ErrorCode::kInvalid, "error.invalid",
                       "the messages of " + f.name + " lack ar.json or en.json");
    }
  }
  auto catalog = i18n::Catalog::LoadFragments(fragments);
  if (!catalog.ok()) return std::move(catalog).error();
  h->catalog_ = std::make_unique<i18n::Catalog>(std::move(*catalog));
  auto loaded = render::Templates::Load(templates, *h->catalog_);
  if (!loaded.ok()) return std::move(loaded).error();
  h->templates_ = std::move(*loaded);
  h->assets_ = render::Assets::Build(PlatformAssetFiles());
  h->site_ = {h->templates_.get(), h->catalog_.get(), &h->assets_};
  h->openapi_ = boost::json::serialize(openapi);

  h->context_.reset(new Context{*h->db_, h->keys_, h->options_.settings, h->options_.now_ms,
                                h->site_, h->parts_, nullptr, h->options_.quiet});
  for (const Module& m : h->modules_) {
    if (!m.open) continue;
    if (Status st = m.open(*h->context_); !st.ok()) {
      Error e = std::move(st).error();
      e.detail = m.name + ": " + (e.detail.empty() ? e.message_key : e.detail);
      return e;
    }
  }
  return h;
}

Host::~Host() {
  StopWorkers();
  if (db_) db_->Close();
}

Status Host::BuildWeb(const WebOptions& options) {
  if (options.map.enabled()) {
    if (std::string why = render::CheckTileTemplate(options.map.tiles_url); !why.empty()) {
      return MakeError(ErrorCode::kInvalid, "error.invalid", "map-tiles-url: " + why);
    }
    for (const char* name :
         {"leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/marker-icon.png",
          "leaflet/marker-icon-2x.png", "leaflet/marker-shadow.png", "map.js", "map.css"}) {
      if (!assets_.Has(name)) {
        return MakeError(ErrorCode::kInvalid, "error.invalid",
                         std::string("map-tiles-url is set but this build has no ") + name +
                             " (run scripts/bootstrap.sh, then build again)");
      }
    }
    map_ = options.map;
    site_.map = &map_;
  }
  web_ = std::make_unique<Web>();
  web_->error_page = [this](int status, const Request* r) { return ErrorPage(status, r); };
  context_->web = web_.get();
  http::Router& router = web_->router;
  router.Get("/healthz", [](Request&) { return Response::Text(200, "ok\n"); });
  router.Get("/readyz", [this](Request& r) { return Ready(r); });
  router.Get("/metrics", [this](Request& r) { return Metrics(r); });
  router.Get("/assets/{file:path}", [this](Request& r) { return Asset(r); });
  router.Get("/api/v1/openapi.json", [this](Request&) {
    Response res = Response::Json(200, openapi_);
    res.headers.Set("cache-control", "public, max-age=300");
    return res;
  });
  for (const Module& m : modules_) {
    if (!m.routes) continue;
    if (Status st = m.routes(*context_); !st.ok()) {
      Error e = std::move(st).error();
      e.detail = m.name + ": " + (e.detail.empty() ? e.message_key : e.detail);
      return e;
    }
  }
  std::vector<http::Middleware> chain = {
      http::RequestId(),
      http::SecurityHeaders(options.hsts,
                            site_.map ? render::TileOrigin(site_.map->tiles_url) : "")};
  // One client-address rule for everything that keys on the client (client_address.h).
  http::TrustedProxies trusted = options.trusted_proxies;
  if (options.trust_proxy) trusted.Merge(http::TrustedProxies::Loopback());
  chain.push_back(http::ClientAddress(std::move(trusted), options.hsts));
  metrics_token_ = options.metrics_token;
  chain.push_back(render::Locale());
  for (auto& m : web_->middleware) chain.push_back(m);
  for (const auto& m : options.extra_middleware) chain.push_back(m);
  chain.push_back(http::Gzip());
  handler_ = http::Chain(std::move(chain), [this](Request& r) { return Dispatch(r); });
  context_->web = nullptr;
  return Ok();
}

void Host::Attach(http::Server& server) {
  server_ = &server;
  // Reads are fast and stay on the I/O thread; anything that writes (a login hashes a password,
  // every form commits a transaction) runs on the offload pool, and so do the GETs modules name
  // (long lists).
  std::vector<std::function<bool(const Request&)>> offload =
      web_ ? web_->offload : decltype(offload){};
  server.SetOffload([offload = std::move(offload)](const Request& r) {
    if (r.method != http::Method::kGet && r.method != http::Method::kHead) return true;
    for (const auto& f : offload) {
      if (f(r)) return true;
    }
    return false;
  });
  server.SetObserver([this](const http::Exchange& e) { Observe(e); });
  server.SetErrorRenderer([this](int status, const Request* r) { return ErrorPage(status, r); });
}

Response Host::Dispatch(Request& req) const {
  auto match = web_->router.Find(req.method, req.path);
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
  return (*match.handler)(req);
}

Response Host::ErrorPage(int status, const Request* request) const {
  i18n::Lang lang = request ? render::RequestLang(*request) : i18n::Lang::kAr;
  std::string key = "error." + ErrorKey(status);
  render::Page page =
      request ? render::Page(site_, *request, "error.tpl") : render::Page(site_, lang, "error.tpl");
  std::string heading = site_.catalog->Get(lang, key + ".title");
  page.SetTitle(heading);
  page.body().SetValue("HEADING", heading);
  page.body().SetValue("MESSAGE", site_.catalog->Get(lang, key + ".body"));
  page.SetPath(request && !request->path.empty() ? request->path : "/");
  Response res = page.Finish(status);
  res.headers.Set("cache-control", "no-store");
  if (status == 503) res.headers.Set("retry-after", "1");
  if (status >= 400 && request == nullptr) res.close = true;
  return res;
}

Response Host::Asset(Request& req) const {
  const render::Asset* a = assets_.Find(req.PathParam("file"));
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

Response Host::Ready(Request&) const {
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
Response Host::Metrics(Request& req) const {
  std::string_view auth = req.headers.Get("authorization");
  if (metrics_token_.empty() || !auth.starts_with("Bearer ") ||
      !crypto::ConstantTimeEquals(auth.substr(7), metrics_token_)) {
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
    gauges["baladiya_idle_connections_shed_total"] = static_cast<double>(s.shed_idle);
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
  if (web_) {
    for (const auto& add : web_->gauges) add(gauges);
  }
  Response res = Response::Text(200, metrics_.Render(gauges));
  res.headers.Set("content-type", "text/plain; version=0.0.4; charset=utf-8");
  return res;
}

void Host::Observe(const http::Exchange& e) {
  std::string_view method = e.request ? std::string_view(e.request->method_name) : "-";
  std::string_view route = e.request ? std::string_view(e.request->route) : "";
  double seconds = static_cast<double>(e.duration.count()) / 1e6;
  // Metrics and the access log are both counted per request; a mutex each, no I/O on the
  // metrics side.
  metrics_.ObserveRequest(method, route, e.status, seconds);
  if (!log::AccessEnabled()) return;
  boost::json::object line;
  line["ts"] = SystemNowMs();
  if (e.request) {
    line["rid"] = e.request->request_id;
    if (!e.request->client_request_id.empty()) line["client_rid"] = e.request->client_request_id;
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

Status Host::StartWorkers() {
  for (const Module& m : modules_) {
    if (!m.workers) continue;
    auto started = m.workers(*context_);
    if (!started.ok()) return std::move(started).error();
    for (auto& w : *started) workers_.push_back(std::move(w));
  }
  return Ok();
}

void Host::StopWorkers() {
  while (!workers_.empty()) workers_.pop_back();
}

Status Host::SeedDemo() {
  for (const Module& m : modules_) {
    if (!m.seed_demo) continue;
    if (Status st = m.seed_demo(*context_); !st.ok()) return st;
  }
  return Ok();
}

const Command* Host::FindCommand(std::string_view name) const {
  for (const Module& m : modules_) {
    for (const Command& c : m.commands) {
      if (c.name == name) return &c;
    }
  }
  return nullptr;
}

}  // namespace baladiya::module

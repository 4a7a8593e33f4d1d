#include "platform/render/page.h"

#include "platform/http/url.h"

namespace baladiya::render {

namespace {

// The path as a link that stays on this site whatever the request held: "//evil.example/" (a
// path browsers read as another host) or "/\\evil.example" become "/evil.example/", and every
// segment is percent-encoded, so nothing in it can end the path or be read as a host.
std::string LocalHref(std::string_view path) {
  size_t start = 0;
  while (start < path.size() && (path[start] == '/' || path[start] == '\\')) ++start;
  std::string out = "/";
  std::string_view rest = path.substr(start);
  for (size_t i = 0; i <= rest.size();) {
    size_t slash = rest.find('/', i);
    if (slash == std::string_view::npos) slash = rest.size();
    out += http::PercentEncode(rest.substr(i, slash - i));
    if (slash < rest.size()) out += '/';
    i = slash + 1;
  }
  return out;
}

}  // namespace

Page::Page(const Site& site, i18n::Lang lang, std::string body_template)
    : site_(site),
      lang_(lang),
      body_template_(std::move(body_template)),
      body_(std::make_unique<Dict>("body")) {}

i18n::Lang RequestLang(const http::Request& req) {
  auto it = req.attributes.find("lang");
  return it != req.attributes.end() && it->second == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
}

Page::Page(const Site& site, const http::Request& req, std::string body_template)
    : Page(site, RequestLang(req), std::move(body_template)) {
  signed_in_ = req.principal != nullptr;
  if (auto it = req.attributes.find("csrf"); signed_in_ && it != req.attributes.end()) {
    sign_out_token_ = it->second;
  }
}

void Page::SetSiteName(std::string name, std::string href) {
  site_name_ = std::move(name);
  site_href_ = std::move(href);
}

bool Page::UseMap() {
  map_ = site_.map && site_.map->enabled();
  return map_;
}

Result<std::shared_ptr<const std::string>> Page::RenderBody() const {
  auto html = site_.templates->Expand(body_template_, lang_, *body_);
  if (!html.ok()) return std::move(html).error();
  return std::make_shared<const std::string>(std::move(*html));
}

http::Response Page::Finish(int status) {
  if (!body_html_) {
    auto body = RenderBody();
    if (!body.ok()) return http::Response::Text(500, "Internal Server Error\n");
    body_html_ = std::move(*body);
  }
  const i18n::Catalog& cat = *site_.catalog;
  i18n::Lang other = lang_ == i18n::Lang::kAr ? i18n::Lang::kEn : i18n::Lang::kAr;
  Dict root("page");
  // The page's HTML was produced by an auto-escaping template: it goes in as is.
  root.SetValueWithoutCopy("MAIN", *body_html_);
  std::string app_name = cat.Get(lang_, "site.name");
  root.SetValue("TITLE", title_.empty() ? app_name : title_ + " — " + app_name);
  root.SetValue("CSS_URL", site_.assets->Url("baladiya.css"));
  root.SetValue("ICON_URL", site_.assets->Url("favicon.svg"));
  root.SetValue("SITE_NAME", site_name_);
  root.SetValue("SITE_HREF", site_href_);
  if (!site_name_.empty()) root.ShowSection("HAS_SITE_NAME");
  root.ShowSection(signed_in_ ? "SIGNED_IN" : "SIGNED_OUT");
  if (signed_in_ && !sign_out_token_.empty()) {
    root.SetValueAndShowSection("SIGN_OUT_CSRF", sign_out_token_, "SIGN_OUT");
  }
  if (map_) {
    const Assets& a = *site_.assets;
    Dict* m = root.AddSectionDictionary("MAP");
    m->SetValue("LEAFLET_CSS", a.Url("leaflet/leaflet.css"));
    m->SetValue("MAP_CSS", a.Url("map.css"));
    m->SetValue("LEAFLET_JS", a.Url("leaflet/leaflet.js"));
    m->SetValue("MAP_JS", a.Url("map.js"));
    m->SetValue("MAP_TILES", site_.map->tiles_url);
    m->SetValue("MAP_ATTRIBUTION", site_.map->attribution);
    m->SetValue("MAP_ICON", a.Url("leaflet/marker-icon.png"));
    m->SetValue("MAP_ICON_2X", a.Url("leaflet/marker-icon-2x.png"));
    m->SetValue("MAP_SHADOW", a.Url("leaflet/marker-shadow.png"));
  }
  root.SetValue("SWITCH_HREF", LocalHref(path_) + "?lang=" + std::string(i18n::LangCode(other)));
  auto html = site_.templates->Expand(site_.layout, lang_, root);
  if (!html.ok()) return http::Response::Text(500, "Internal Server Error\n");
  http::Response res = http::Response::Html(status, std::move(*html));
  res.headers.Set("content-language", std::string(i18n::LangCode(lang_)));
  return res;
}

std::shared_ptr<const std::string> FragmentCache::Get(const std::string& key,
                                                      uint64_t version) const {
  std::lock_guard lock(mu_);
  auto it = items_.find(key);
  if (it == items_.end() || it->second.first != version) return nullptr;
  return it->second.second;
}

void FragmentCache::Put(const std::string& key, uint64_t version,
                        std::shared_ptr<const std::string> html) {
  std::lock_guard lock(mu_);
  items_[key] = {version, std::move(html)};
}

http::Middleware Locale() {
  return [](http::Request& req, const http::Handler& next) {
    constexpr std::string_view kLangCookie = "lang";
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
    http::Response res = next(req);
    if (from_query) {
      res.headers.Add("set-cookie", std::string(kLangCookie) + "=" +
                                        std::string(i18n::LangCode(lang)) +
                                        "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    }
    return res;
  };
}

}  // namespace baladiya::render

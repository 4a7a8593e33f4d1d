// A page in the site layout: <html lang dir>, skip link, header with the site's name and the
// language switch, one <main> holding the page's own template, footer. Handlers build a Page,
// fill its body dictionary, and call Finish.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/http/http.h"
#include "platform/i18n/locale.h"
#include "platform/render/assets.h"
#include "platform/render/map.h"
#include "platform/render/templates.h"

namespace baladiya::render {

// The request's language as the locale middleware set it (attribute "lang"); Arabic when unset.
i18n::Lang RequestLang(const http::Request& req);

// Chooses the page language: a valid ?lang= (remembered in a cookie), else the "lang" cookie,
// else Arabic; sets the request's attribute "lang".
http::Middleware Locale();

// What every page needs; built once at start-up and shared (read-only, thread-safe).
struct Site {
  const Templates* templates = nullptr;
  const i18n::Catalog* catalog = nullptr;
  const Assets* assets = nullptr;
  std::string layout = "layout.tpl";
  const MapConfig* map = nullptr;  // null or !enabled(): no page has a map
};

class Page {
 public:
  // body_template is the page's own template, shown inside <main>.
  Page(const Site& site, i18n::Lang lang, std::string body_template);
  // The same in the request's language (attribute "lang"), with the header's account link
  // chosen by whether someone is signed in (the request carries a principal), and, for a
  // signed-in session (the request's "csrf" attribute, set by identity), a sign-out button: a
  // small POST form to /logout carrying that token, no script.
  Page(const Site& site, const http::Request& req, std::string body_template);

  // Values for the page's own template (its message strings are already in the template).
  Dict& body() { return *body_; }
  // The page's own HTML, already rendered (e.g. from a FragmentCache); body() is then unused.
  void SetBodyHtml(std::shared_ptr<const std::string> html) { body_html_ = std::move(html); }
  // Renders the page's own template with body() (what a FragmentCache stores).
  Result<std::shared_ptr<const std::string>> RenderBody() const;
  // The <title> (the site name is appended) and the header's site name and link.
  void SetTitle(std::string title) { title_ = std::move(title); }
  void SetSiteName(std::string name, std::string href);
  // The path (without query) that the language link points back to.
  void SetPath(std::string path) { path_ = std::move(path); }
  // When the site has a map (Site::map), adds Leaflet and web/static/map.js to this page, with
  // the tile server, attribution and marker images as data-* attributes of the script, and
  // returns true; otherwise changes nothing and returns false. map.js then enhances the page's
  // elements with data-map-pick (an input) and data-map-points (a JSON list), see map.js.
  bool UseMap();

  // Renders the page. On a template failure returns a plain 500 (and the caller's status is lost).
  http::Response Finish(int status);

 private:
  const Site& site_;
  i18n::Lang lang_;
  std::string body_template_;
  std::unique_ptr<Dict> body_;
  std::shared_ptr<const std::string> body_html_;
  std::string title_;
  std::string site_name_;
  std::string site_href_ = "/";
  std::string path_ = "/";
  bool signed_in_ = false;
  std::string sign_out_token_;  // the session's anti-forgery token: the header's sign-out form
  bool map_ = false;
};

// Rendered page bodies that depend only on data with a version (e.g. the directory snapshot)
// and the language, so that a popular page renders once per data change. Thread-safe.
class FragmentCache {
 public:
  // The fragment stored under key for exactly this version, or null.
  std::shared_ptr<const std::string> Get(const std::string& key, uint64_t version) const;
  void Put(const std::string& key, uint64_t version, std::shared_ptr<const std::string> html);

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::pair<uint64_t, std::shared_ptr<const std::string>>> items_;
};

}  // namespace baladiya::render

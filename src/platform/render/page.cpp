#include "platform/render/page.h"

#include "platform/http/url.h"

namespace baladiya::render {

Page::Page(const Site& site, i18n::Lang lang, std::string body_template)
    : site_(site),
      lang_(lang),
      body_template_(std::move(body_template)),
      root_(std::make_unique<Dict>("page")) {
  body_ = root_->AddIncludeDictionary("BODY");
  body_->SetFilename(body_template_);
}

void Page::SetSiteName(std::string name, std::string href) {
  site_name_ = std::move(name);
  site_href_ = std::move(href);
}

void Page::FillMessages(Dict& dict, const std::string& template_name) const {
  for (const auto& key : site_.templates->MessageKeys(template_name)) {
    dict.SetValue(MessageVariable(key), site_.catalog->Get(lang_, key));
  }
}

http::Response Page::Finish(int status) {
  const i18n::Catalog& cat = *site_.catalog;
  i18n::Lang other = lang_ == i18n::Lang::kAr ? i18n::Lang::kEn : i18n::Lang::kAr;
  Dict& root = *root_;
  root.SetValue("LANG", std::string(i18n::LangCode(lang_)));
  root.SetValue("DIR", std::string(i18n::Dir(lang_)));
  std::string app_name = cat.Get(lang_, "site.name");
  root.SetValue("TITLE", title_.empty() ? app_name : title_ + " — " + app_name);
  root.SetValue("CSS_URL", site_.assets->Url("baladiya.css"));
  root.SetValue("ICON_URL", site_.assets->Url("favicon.svg"));
  root.SetValue("SITE_NAME", site_name_);
  root.SetValue("SITE_HREF", site_href_);
  if (!site_name_.empty()) root.ShowSection("HAS_SITE_NAME");
  root.SetValue("OTHER_LANG", std::string(i18n::LangCode(other)));
  root.SetValue("OTHER_LANG_NAME", cat.Get(other, "lang.self_name"));
  root.SetValue("SWITCH_HREF", path_ + "?lang=" + std::string(i18n::LangCode(other)));
  FillMessages(root, site_.layout);
  FillMessages(*body_, body_template_);
  auto html = site_.templates->Expand(site_.layout, root);
  if (!html.ok()) return http::Response::Text(500, "Internal Server Error\n");
  http::Response res = http::Response::Html(status, std::move(*html));
  res.headers.Set("content-language", std::string(i18n::LangCode(lang_)));
  return res;
}

}  // namespace baladiya::render

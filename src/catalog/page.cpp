#include "catalog/page.h"

namespace baladiya::catalog {

Result<Municipality> MunicipalityOf(const TenancyStore& tenancy, const http::Request& req) {
  return tenancy.FindMunicipality(req.PathParam("slug"));
}

render::Page MunicipalityPage(const render::Site& site, const http::Request& req,
                              const Municipality& m, std::string tpl, std::string path,
                              std::string title) {
  const i18n::Lang lang = render::RequestLang(req);
  render::Page page(site, req, std::move(tpl));
  page.SetPath(std::move(path));
  page.SetTitle(std::move(title));
  page.SetSiteName(m.name.In(lang), "/m/" + m.slug);
  return page;
}

}  // namespace baladiya::catalog

// The one way a page of a municipality's site is set up: the municipality of the request's
// {slug}, and a page whose header names it and links its home.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::catalog {

// The municipality the request's {slug} names: kNotFound for none (a 404 page), kUnavailable when
// the directory cannot be read (a 503 page with Retry-After, never a 404).
Result<Municipality> MunicipalityOf(const TenancyStore& tenancy, const http::Request& req);

// A page in the request's language in m's site: the header shows m's name and links /m/{slug},
// the <title> is `title` (the site's name appended), and the language switch comes back to
// `path`. The caller fills its body and finishes it.
render::Page MunicipalityPage(const render::Site& site, const http::Request& req,
                              const Municipality& m, std::string tpl, std::string path,
                              std::string title);

}  // namespace baladiya::catalog

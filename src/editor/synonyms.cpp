// The municipality's search synonyms (/m/{slug}/admin/search-synonyms, catalog/search.h): a
// text area, one word a line with the words it also finds, linked from the services list.
// Saving replaces the list, audited; a bad line is refused with its number and nothing changes.
#include "editor/internal.h"
#include "platform/i18n/arabic.h"

namespace baladiya::editor {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;

class SynonymsPage : public Base {
 public:
  explicit SynonymsPage(Options o) : Base(std::move(o)) {}

  Response Get(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    auto list = o_.services->Synonyms(m->id);
    if (!list.ok()) return o_.error_page(503, req);
    return Show(req, *m, catalog::FormatSynonyms(*list), "", req.query.Get("saved").has_value(),
                200);
  }

  Response Post(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    const std::string text(req.Form().Get("synonyms").value_or(""));
    auto parsed = catalog::ParseSynonyms(text);
    if (!parsed.ok()) {
      const std::string& detail = parsed.error().detail;
      const int64_t line = std::atoll(detail.substr(0, detail.find(':')).c_str());
      return Show(req, *m, text,
                  F(lang, "synonyms.bad_line", {{"line", i18n::FormatNumber(line, lang)}}), false,
                  422);
    }
    const identity::Principal& who = identity::PrincipalOf(req);
    const int64_t now = o_.now_ms();
    Status st = o_.services->SetSynonyms(m->id, *parsed, now, [&](db::Tx& tx) -> Status {
      audit::EntryInput in;
      in.time_ms = now;
      in.actor = who.pseudonym;
      in.action = "search.synonyms_saved";
      in.object = "municipality:" + m->slug;
      in.municipality_id = m->id;
      in.request_id = req.request_id;
      in.details = "terms=" + std::to_string(parsed->size());
      auto r = o_.audit->Append(tx, in);
      if (!r.ok()) return std::move(r).error();
      return Ok();
    });
    if (!st.ok()) return o_.error_page(503, req);
    return Response::Redirect("/m/" + m->slug + "/admin/search-synonyms?saved=1");
  }

 private:
  Response Show(const Request& req, const catalog::Municipality& m, const std::string& text,
                const std::string& error, bool saved, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const std::string href = "/m/" + m.slug + "/admin/search-synonyms";
    render::Page page = NewPage(req, m, "editor-synonyms.tpl", href, T(lang, "synonyms.title"));
    render::Dict& b = page.body();
    b.SetValue("HREF", href);
    b.SetValue("LIST_HREF", "/m/" + m.slug + "/admin/services");
    b.SetValue("SEARCH_HREF", "/m/" + m.slug + "/services");
    b.SetValue("CSRF", identity::TokenFor(req).value);
    b.SetValue("TEXT", text);
    if (saved) b.SetValueAndShowSection("NOTICE", T(lang, "editor.saved"), "HAS_NOTICE");
    if (!error.empty()) b.SetValueAndShowSection("ERROR", error, "HAS_ERROR");
    return Finish(page, status);
  }
};

}  // namespace

void AddSynonymsRoutes(identity::GuardedRoutes& routes, const Options& options) {
  auto pages = std::make_shared<SynonymsPage>(options);
  routes.Get("/m/{slug}/admin/search-synonyms", Access::Requires(Permission::kManageCatalog),
             [pages](Request& r) { return pages->Get(r); });
  routes.Post("/m/{slug}/admin/search-synonyms", Access::Requires(Permission::kManageCatalog),
              [pages](Request& r) { return pages->Post(r); });
}

}  // namespace baladiya::editor

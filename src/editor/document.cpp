// The document editor: what a service issues when its case completes (a certificate, a permit or
// a licence; catalog/document_template.h): its kind, the final state that issues it, how long it
// is valid, its title and text in both languages with their placeholders, and the form's answers
// that are its key facts. Checked with catalog::DocumentProblems and against the workflow (the
// state must be final and not the one a refusal ends in), saved like every other edit.
#include <algorithm>

#include "editor/internal.h"
#include "identity/web.h"
#include "workflow/services.h"

namespace baladiya::editor {
namespace {

using http::Request;
using http::Response;

// Final states that mean the work was not done: a document is never issued on entering them.
bool Refusal(std::string_view key) {
  return key == "rejected" || key == "duplicate" || key == "cancelled" || key == "withdrawn";
}

class DocumentPages : public Base {
 public:
  using Base::Base;

  Response Show(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowDocument(req, *ctx, Values(ctx->service.document), {}, 200);
  }

  Response SaveDocument(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    const int64_t version = PostedVersion(form);
    if (version != ctx->service.version) return Stale(req, *ctx);
    auto wf = workflow::ForService(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    catalog::Service changed = ctx->service;
    Problems problems;
    Read(form, changed.document, problems, lang);
    const Place place = [&](const baladiya::Problem& p) {
      Problem out{"", Say(p, {&changed.form, &*wf}, lang), ""};
      const std::string_view part = NameAt(p.path, 1);
      if (part == "title" || part == "body") {
        out.target = std::string(part) + "_" + std::string(NameAt(p.path, 2));
      } else if (part == "facts") {
        const std::optional<size_t> i = IndexAt(p.path, 2);
        const auto& facts = changed.document.facts;
        out.target = "fact-" + (i && *i < facts.size() ? facts[*i] : FirstFact(changed.form));
      } else if (part == "kind" || part == "issue_on" || part == "validity_days") {
        out.target = std::string(part);
      }
      return out;
    };
    if (changed.document.Issues()) {
      for (const baladiya::Problem& p : catalog::DocumentProblems(changed.document, changed.form)) {
        problems.push_back(place(p));
      }
      const workflow::State* s = wf->FindState(changed.document.issue_on);
      if (!s || !s->final || Refusal(s->key)) {
        problems.push_back({"issue_on", T(lang, "editor.document.not_final"), ""});
      }
      // Texts are needed before publishing; a published service may not lose them.
      if (changed.published) {
        for (const baladiya::Problem& p : catalog::MissingDocumentTexts(changed.document)) {
          problems.push_back(place(p));
        }
      }
    }
    if (!problems.empty()) return ShowDocument(req, *ctx, form, problems, 422);
    auto saved = Save(req, *ctx, changed, version, "service.document_edited");
    if (!saved.ok()) {
      int status = Refused(saved.error(), changed, lang, place, problems);
      if (status == 409) return Stale(req, *ctx);
      if (status >= 500) return o_.error_page(status, req);
      return ShowDocument(req, *ctx, form, problems, status);
    }
    return Response::Redirect(ctx->href + "?saved=1");
  }

 private:
  static std::string FirstFact(const catalog::FormSchema& form) {
    for (const auto& p : form.pages) {
      for (const auto& f : p.fields) {
        if (f.type != catalog::FieldType::kFile) return f.name;
      }
    }
    return "";
  }

  Response Stale(const Request& req, const Context& shown) {
    const Result<Context> now = Load(req);
    const Context& ctx = now.ok() ? *now : shown;
    return ShowDocument(req, ctx, Values(ctx.service.document),
                        {{"", T(render::RequestLang(req), "editor.conflict"), ""}}, 409);
  }

  static http::Params Values(const catalog::DocumentTemplate& d) {
    http::Params v;
    v.Add("kind", d.kind);
    v.Add("issue_on", d.issue_on);
    v.Add("validity_days", std::to_string(d.validity_days));
    v.Add("title_ar", d.title.ar);
    v.Add("title_en", d.title.en);
    v.Add("body_ar", d.body.ar);
    v.Add("body_en", d.body.en);
    for (const auto& f : d.facts) v.Add("facts", f);
    if (d.clear_of_dues) v.Add("clear_of_dues", "yes");
    return v;
  }

  void Read(const http::Params& form, catalog::DocumentTemplate& d, Problems& problems,
            i18n::Lang lang) const {
    d.kind = Trimmed(Value(form, "kind"));
    if (!d.Issues()) {
      d = catalog::DocumentTemplate{};
      d.kind.clear();
      return;
    }
    d.issue_on = Trimmed(Value(form, "issue_on"));
    int64_t days = 0;
    if (!ParseWhole(Value(form, "validity_days"), days)) {
      problems.push_back({"validity_days", T(lang, "editor.document.validity_number"), ""});
    } else {
      d.validity_days = static_cast<int>(std::clamp<int64_t>(days, -1, 100000));
    }
    d.title = {Trimmed(Value(form, "title_ar")), Trimmed(Value(form, "title_en"))};
    d.body = {Trimmed(Value(form, "body_ar")), Trimmed(Value(form, "body_en"))};
    d.clear_of_dues = Ticked(form, "clear_of_dues");
    d.facts.clear();
    for (std::string_view f : form.GetAll("facts")) d.facts.emplace_back(f);
  }

  Response ShowDocument(const Request& req, const Context& ctx, const http::Params& v,
                        const Problems& problems, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto wf = workflow::ForService(ctx.service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    EditForm form;
    form.action = ctx.href + "/document";
    form.version = ctx.service.version;

    Group what{T(lang, "editor.document.what"), T(lang, "editor.document.what_hint"), {}};
    std::vector<std::pair<std::string, std::string>> kinds = {
        {"", T(lang, "editor.document.kind_none")}};
    for (const auto& k : catalog::DocumentKinds()) {
      kinds.emplace_back(k, T(lang, "editor.document.kind_" + k));
    }
    what.inputs.push_back({.kind = Input::Kind::kSelect,
                           .id = "kind",
                           .label = T(lang, "editor.document.kind"),
                           .value = Value(v, "kind"),
                           .options = std::move(kinds)});
    std::vector<std::pair<std::string, std::string>> states;
    for (const auto& s : wf->states) {
      if (s.final && !Refusal(s.key)) states.emplace_back(s.key, StateLabel(*wf, s.key, lang));
    }
    what.inputs.push_back({.kind = Input::Kind::kSelect,
                           .id = "issue_on",
                           .label = T(lang, "editor.document.issue_on"),
                           .hint = T(lang, "editor.document.issue_on_hint"),
                           .value = Value(v, "issue_on"),
                           .options = std::move(states)});
    what.inputs.push_back({.id = "validity_days",
                           .label = T(lang, "editor.document.validity_days"),
                           .value = Value(v, "validity_days"),
                           .text_lang = "ltr"});
    what.inputs.push_back({.kind = Input::Kind::kCheckbox,
                           .id = "clear_of_dues",
                           .label = T(lang, "editor.document.clear_of_dues"),
                           .value = "yes",
                           .checked = !Value(v, "clear_of_dues").empty()});
    form.groups.push_back(std::move(what));

    std::string names;
    for (const auto& n : catalog::DocumentPlaceholders()) names += " {" + n + "}";
    Group text{T(lang, "editor.document.text"),
               F(lang, "editor.document.text_hint", {{"names", names}}),
               {}};
    for (const char* part : {"title", "body"}) {
      for (const char* language : {"ar", "en"}) {
        const std::string id = std::string(part) + "_" + language;
        text.inputs.push_back({.kind = std::string_view(part) == "title" ? Input::Kind::kText
                                                                         : Input::Kind::kTextarea,
                               .id = id,
                               .label = T(lang, "editor.document." + id),
                               .value = Value(v, id),
                               .required = true,
                               .text_lang = language});
      }
    }
    form.groups.push_back(std::move(text));

    Group facts{T(lang, "editor.document.facts"), T(lang, "editor.document.facts_hint"), {}};
    const auto chosen = v.GetAll("facts");
    for (const auto& p : ctx.service.form.pages) {
      for (const auto& f : p.fields) {
        if (f.type == catalog::FieldType::kFile) continue;
        const std::string& label = f.label.In(lang);
        facts.inputs.push_back(
            {.kind = Input::Kind::kCheckbox,
             .id = "fact-" + f.name,
             .name = "facts",
             .label = (label.empty() ? f.name : label) + " {" + f.name + "}",
             .value = f.name,
             .checked = std::find(chosen.begin(), chosen.end(), f.name) != chosen.end()});
      }
    }
    form.groups.push_back(std::move(facts));
    form.buttons = {{"save", T(lang, "editor.document.save")}};
    return ShowEdit(req, ctx, form.action, T(lang, "editor.document.title"),
                    T(lang, "editor.document.intro"), form, problems, status);
  }
};

}  // namespace

void AddDocumentEditorRoutes(identity::GuardedRoutes& routes, const Options& options) {
  auto pages = std::make_shared<DocumentPages>(options);
  const auto admin = identity::Access::Requires(identity::Permission::kManageCatalog);
  routes.Get("/m/{slug}/admin/services/{code}/document", admin,
             [pages](Request& r) { return pages->Show(r); });
  routes.Post("/m/{slug}/admin/services/{code}/document", admin,
              [pages](Request& r) { return pages->SaveDocument(r); });
}

}  // namespace baladiya::editor

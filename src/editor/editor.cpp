// The service editor's shared machinery (internal.h) and its routes.
#include "editor/editor.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "catalog/document_template.h"
#include "catalog/page.h"
#include "editor/internal.h"
#include "identity/web.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/locale.h"
#include "workflow/services.h"

namespace baladiya::editor {

using http::Response;

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

}  // namespace

bool ParseWhole(std::string_view text, int64_t& out) {
  const std::string s = i18n::ToWesternDigits(Trimmed(text));
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string Value(const http::Params& form, std::string_view name) {
  return std::string(form.Get(name).value_or(""));
}

std::string Quoted(std::string_view text, i18n::Lang lang) {
  return lang == i18n::Lang::kAr ? "«" + std::string(text) + "»" : "“" + std::string(text) + "”";
}

bool Ticked(const http::Params& form, std::string_view name) {
  return form.Get(name).value_or("") == "yes";
}

std::string_view NameAt(const Path& path, size_t i) {
  if (i >= path.size()) return {};
  const std::string* name = std::get_if<std::string>(&path[i]);
  if (name == nullptr) return {};
  return *name;
}

std::optional<size_t> IndexAt(const Path& path, size_t i) {
  if (i >= path.size()) return std::nullopt;
  const size_t* index = std::get_if<size_t>(&path[i]);
  return index ? std::optional<size_t>(*index) : std::nullopt;
}

Path Tail(const Path& path, size_t n) {
  return n >= path.size() ? Path{}
                          : Path(path.begin() + static_cast<std::ptrdiff_t>(n), path.end());
}

bool ReadWhole(const http::Params& form, std::string_view name, std::optional<int64_t>& out) {
  out.reset();
  const std::string text = Trimmed(Value(form, name));
  if (text.empty()) return true;
  int64_t v = 0;
  if (!ParseWhole(text, v)) return false;
  out = v;
  return true;
}

// ---- Base -------------------------------------------------------------------------------------

Result<catalog::Municipality> Base::Municipality(const Request& req) {
  return catalog::MunicipalityOf(*o_.tenancy, req);
}

Result<Context> Base::Load(const Request& req) {
  auto m = Municipality(req);
  if (!m.ok()) return std::move(m).error();
  auto s = o_.services->Find(m->id, req.PathParam("code"));
  if (!s.ok()) return std::move(s).error();
  std::string href = "/m/" + m->slug + "/admin/services/" + s->code;
  Context ctx{std::move(*m), *s, std::move(href), *s, false};
  if (s->published) {
    auto draft = o_.services->Draft(s->id);
    if (draft.ok()) {
      ctx.service = std::move(*draft);
      ctx.has_draft = true;
    } else if (draft.error().code != ErrorCode::kNotFound) {
      return std::move(draft).error();
    }
  }
  return ctx;
}

render::Page Base::NewPage(const Request& req, const catalog::Municipality& m, const char* tpl,
                           const std::string& path, const std::string& title) {
  return catalog::MunicipalityPage(*o_.site, req, m, tpl, path, title);
}

Response Base::Finish(render::Page& page, int status) {
  Response res = page.Finish(status);
  res.headers.Set("cache-control", "no-store");
  return res;
}

void Base::IncludeErrors(render::Dict& dict, const Problems& problems, i18n::Lang lang) const {
  if (problems.empty()) return;
  render::Dict* summary = dict.AddIncludeDictionary("ERRORS");
  summary->SetFilename(render::LanguageName("editor-errors.tpl", lang));
  // The edit as a whole first, then the inputs in the order the problems were found.
  for (bool whole : {true, false}) {
    for (const Problem& p : problems) {
      if (p.target.empty() != whole) continue;
      render::Dict* e = summary->AddSectionDictionary("ERROR");
      e->SetValue("MESSAGE", p.message);
      std::string href = !p.href.empty() ? p.href : p.target.empty() ? "" : "#" + p.target;
      e->ShowSection(href.empty() ? "PLAIN" : "LINK");
      e->SetValue("HREF", href);
    }
  }
}

void Base::IncludeForm(render::Dict& dict, const Request& req, const EditForm& form,
                       const Problems& problems) const {
  const i18n::Lang lang = render::RequestLang(req);
  render::Dict* f = dict.AddIncludeDictionary("FORM");
  f->SetFilename(render::LanguageName("editor-form.tpl", lang));
  f->SetValue("ACTION", form.action);
  f->SetValue("CSRF", identity::TokenFor(req).value);
  f->SetValue("VERSION", std::to_string(form.version));
  int group_number = 0;
  for (const Group& g : form.groups) {
    render::Dict* gd = f->AddSectionDictionary("GROUP");
    ++group_number;
    if (!g.legend.empty()) {
      render::Dict* fs = gd->AddSectionDictionary("FIELDSET");
      fs->SetValue("LEGEND", g.legend);
      fs->SetValue("GROUP_ID", "group-" + std::to_string(group_number));
      if (!g.hint.empty()) fs->SetValueAndShowSection("HINT", g.hint, "HAS_HINT");
    }
    for (const Input& in : g.inputs) {
      render::Dict* d = gd->AddSectionDictionary("INPUT");
      d->SetValue("ID", in.id);
      d->SetValue("NAME", in.name.empty() ? in.id : in.name);
      d->SetValue("LABEL", in.label);
      d->SetValue("VALUE", in.value);
      std::string described;
      if (!in.hint.empty()) {
        d->SetValueAndShowSection("HINT", in.hint, "HAS_HINT");
        described = in.id + "-hint";
      }
      auto problem = std::find_if(problems.begin(), problems.end(),
                                  [&](const Problem& p) { return p.target == in.id; });
      if (problem != problems.end()) {
        d->ShowSection("HAS_ERROR");
        d->SetValue("ERROR", problem->message);
        described += (described.empty() ? "" : " ") + in.id + "-error";
      }
      d->SetValue("DESCRIBED_BY", described);
      const char* kind = in.kind == Input::Kind::kTextarea   ? "TEXTAREA"
                         : in.kind == Input::Kind::kSelect   ? "SELECT"
                         : in.kind == Input::Kind::kCheckbox ? "CHECKBOX"
                                                             : "TEXT";
      if (in.kind != Input::Kind::kCheckbox) {
        render::Dict* l = d->AddSectionDictionary("LABEL_FIRST");
        if (in.optional) l->ShowSection("OPTIONAL");
      }
      render::Dict* k = d->AddSectionDictionary(kind);
      if (problem != problems.end()) k->ShowSection("HAS_ERROR");
      if (!described.empty()) k->ShowSection("HAS_DESCRIBED_BY");
      if (in.required) k->ShowSection("REQUIRED");
      if (in.checked) k->ShowSection("CHECKED");
      if (in.text_lang == "ltr") {
        k->ShowSection("LTR");
      } else if (!in.text_lang.empty()) {
        k->ShowSection("HAS_LANG");
        k->SetValue("LANG", in.text_lang);
        k->SetValue("DIR", in.text_lang == "ar" ? "rtl" : "ltr");
      }
      for (const auto& [value, label] : in.options) {
        render::Dict* o = k->AddSectionDictionary("OPTION");
        o->SetValue("OPTION_VALUE", value);
        o->SetValue("OPTION_LABEL", label);
        if (value == in.value) o->ShowSection("SELECTED");
      }
    }
  }
  for (size_t i = 0; i < form.buttons.size(); ++i) {
    render::Dict* b = f->AddSectionDictionary("BUTTON");
    b->SetValue("GO", form.buttons[i].first);
    b->SetValue("LABEL", form.buttons[i].second);
    if (i > 0) b->ShowSection("SECONDARY");
  }
}

Response Base::ShowEdit(const Request& req, const Context& ctx, const std::string& path,
                        const std::string& title, const std::string& intro, const EditForm& form,
                        const Problems& problems, int status) {
  const i18n::Lang lang = render::RequestLang(req);
  render::Page page = NewPage(req, ctx.municipality, "editor-edit.tpl", path, title);
  render::Dict& b = page.body();
  if (ctx.service.code.empty()) {
    b.SetValue("SERVICE", T(lang, "admin_services.title"));
  } else {
    b.SetValue("SERVICE", ctx.service.name.In(lang));
  }
  b.SetValue("SERVICE_HREF", ctx.href);
  b.SetValue("TITLE", title);
  if (!intro.empty()) b.SetValueAndShowSection("INTRO", intro, "HAS_INTRO");
  IncludeErrors(b, problems, lang);
  IncludeForm(b, req, form, problems);
  b.SetValue("BACK_HREF", form.back_href.empty() ? ctx.href : form.back_href);
  b.SetValue("BACK_LABEL", form.back_label.empty() ? T(lang, "editor.back") : form.back_label);
  return Finish(page, status);
}

int64_t Base::PostedVersion(const http::Params& form) {
  int64_t v = 0;
  if (!ParseWhole(Value(form, "version"), v) || v < 0) return 0;
  return v;
}

namespace {

// A question as the auditor reads it: "label ar / label en; type; required; options a, b".
std::string QuestionSummary(const catalog::Field& f) {
  std::string out = f.label.ar + " / " + f.label.en + "; " +
                    std::string(catalog::FieldTypeName(f.type)) +
                    (f.required ? "; required" : "; optional");
  if (!f.options.empty()) {
    out += "; options";
    for (size_t i = 0; i < f.options.size(); ++i) out += (i ? ", " : " ") + f.options[i].value;
  }
  if (f.show_if) out += "; shown if " + f.show_if->field;
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

std::vector<audit::Change> ServiceChanges(const catalog::Service& before,
                                          const catalog::Service& after,
                                          const std::function<std::string(int64_t)>& department) {
  std::vector<audit::Change> out;
  auto add = [&](std::string field, std::string b, std::string a) {
    if (b != a) out.push_back({std::move(field), std::move(b), std::move(a)});
  };
  add("code", before.code, after.code);
  add("name_ar", before.name.ar, after.name.ar);
  add("name_en", before.name.en, after.name.en);
  add("description_ar", before.description.ar, after.description.ar);
  add("description_en", before.description.en, after.description.en);
  add("eligibility_ar", before.eligibility.ar, after.eligibility.ar);
  add("eligibility_en", before.eligibility.en, after.eligibility.en);
  add("category", before.category, after.category);
  if (before.department_id != after.department_id) {
    add("department", before.department_id ? department(before.department_id) : "",
        after.department_id ? department(after.department_id) : "");
  }
  add("sla_days", before.id ? std::to_string(before.sla_days) : "", std::to_string(after.sla_days));
  add("channels", Joined(before.channels), Joined(after.channels));
  add("published", before.id ? (before.published ? "yes" : "no") : "",
      after.published ? "yes" : "no");
  if (!(before.fee == after.fee)) {
    add("fee", before.id ? catalog::FeeToJson(before.fee) : "", catalog::FeeToJson(after.fee));
  }
  std::vector<std::string> docs_before, docs_after;
  for (const auto& d : before.documents) docs_before.push_back(d.ar + " / " + d.en);
  for (const auto& d : after.documents) docs_after.push_back(d.ar + " / " + d.en);
  add("documents", Joined(docs_before), Joined(docs_after));
  // The form question by question, in the order of the new form, then those removed.
  std::map<std::string, const catalog::Field*> old_fields;
  for (const auto& p : before.form.pages)
    for (const auto& f : p.fields) old_fields[f.name] = &f;
  for (const auto& p : after.form.pages) {
    for (const auto& f : p.fields) {
      auto it = old_fields.find(f.name);
      if (it == old_fields.end()) {
        add("question " + f.name, "", QuestionSummary(f));
        continue;
      }
      if (!(*it->second == f)) {
        std::string b = QuestionSummary(*it->second);
        std::string a = QuestionSummary(f);
        if (a == b) a += " (limits or help changed)";
        add("question " + f.name, b, a);
      }
      old_fields.erase(it);
    }
  }
  for (const auto& [name, f] : old_fields) add("question " + name, QuestionSummary(*f), "");
  add("workflow", before.workflow_json, after.workflow_json);
  for (const auto& [event, text] : after.notifications) {
    auto it = before.notifications.find(event);
    const catalog::NotificationText none;
    const catalog::NotificationText& was = it == before.notifications.end() ? none : it->second;
    if (was == text) continue;
    add("notification " + event, was.subject.ar + " | " + was.sms.ar,
        text.subject.ar + " | " + text.sms.ar);
  }
  if (!(before.document == after.document)) {
    add("document", before.id ? catalog::DocumentTemplateToJson(before.document) : "",
        catalog::DocumentTemplateToJson(after.document));
  }
  return out;
}

Result<int64_t> Base::Save(const Request& req, const Context& ctx, const catalog::Service& changed,
                           int64_t expected, std::string_view action,
                           const std::function<Status(db::Tx&, int64_t id)>& more) {
  const identity::Principal& who = identity::PrincipalOf(req);
  const int64_t now = o_.now_ms();
  // A published service keeps serving while its next version is edited.
  const bool draft = ctx.Versioned() && changed.published;
  auto write = [&](const std::function<Status(db::Tx&, int64_t)>& in_tx) {
    return draft ? o_.services->SaveDraft(changed, expected, who.pseudonym, now, in_tx)
                 : o_.services->SaveExpecting(changed, expected, now, in_tx);
  };
  return write([&](db::Tx& tx, int64_t id) -> Status {
    if (more) {
      if (Status s = more(tx, id); !s.ok()) return s;
    }
    if (!o_.audit) return Ok();
    audit::EntryInput in;
    in.time_ms = now;
    in.actor = who.pseudonym;
    in.action = std::string(action);
    in.object = "service:" + std::to_string(id);
    in.municipality_id = ctx.municipality.id;
    in.request_id = req.request_id;
    // What was saved, so that the entry's hash pins the change.
    // What changed, before and after, for the auditor (a service holds no personal data).
    in.changes = ServiceChanges(ctx.service, changed, [&](int64_t department_id) {
      auto deps = o_.tenancy->Departments(ctx.municipality.id);
      if (deps.ok()) {
        for (const auto& d : *deps) {
          if (d.id == department_id) return d.name.ar + " / " + d.name.en;
        }
      }
      return std::to_string(department_id);
    });
    in.details = "code=" + changed.code + (draft ? "\ndraft=1" : "") +
                 "\nfrom_version=" + std::to_string(expected) +
                 "\nform=" + catalog::FormSchemaToJson(changed.form) +
                 "\nworkflow=" + changed.workflow_json +
                 "\ndocument=" + catalog::DocumentTemplateToJson(changed.document);
    auto r = o_.audit->Append(tx, in);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  });
}

int Base::Refused(const Error& e, const catalog::Service& changed, i18n::Lang lang,
                  const Place& place, Problems& out) const {
  if (e.message_key == "catalog.conflict") {
    out.push_back({"", T(lang, "editor.conflict"), ""});
    return 409;
  }
  if (e.message_key == "catalog.code_taken") {
    out.push_back({"code", T(lang, "editor.error.code_taken"), ""});
    return 422;
  }
  if (e.code != ErrorCode::kInvalid) return 503;
  // A published service keeps every text in both languages: the change would lose one.
  if (e.message_key == "catalog.missing_texts") {
    out.push_back({"", T(lang, "editor.error.published_incomplete"), ""});
  } else if (e.problems.empty()) {
    out.push_back({"", T(lang, e.message_key), ""});
  }
  for (const baladiya::Problem& p : e.problems) {
    out.push_back(place ? place(p) : Problem{"", Say(p, {&changed.form, nullptr}, lang), ""});
  }
  return 422;
}

std::string Base::Say(const baladiya::Problem& p, const Names& names, i18n::Lang lang) const {
  auto arg = [&](const std::string& name) -> std::string {
    auto it = p.args.find(name);
    if (it == p.args.end()) return "{" + name + "}";  // shows, as an unknown placeholder does
    const std::string& v = it->second;
    if (name == "n" || name == "max") {
      int64_t number = 0;
      return ParseWhole(v, number) ? i18n::FormatNumber(number, lang) : v;
    }
    if (name == "field" || name == "other") {
      return names.form ? FieldTitle(*names.form, v, lang) : Quoted(v, lang);
    }
    if (name == "state" || name == "initial" || name == "from") {
      return names.workflow ? StateTitle(*names.workflow, v, lang) : Quoted(v, lang);
    }
    if (name == "in") return T(lang, "editor.missing.in_" + v);
    if (name == "event") {
      const std::string label = "editor.notifications." + v;
      return Cat().Has(lang, label) ? T(lang, label) : v;
    }
    if (name == "known") {
      std::string list;
      for (size_t at = 0; at < v.size();) {
        size_t end = std::min(v.find(' ', at), v.size());
        if (!list.empty()) list += i18n::ListSeparator(lang);
        list.append(v, at, end - at);
        at = end + 1;
      }
      return list;
    }
    return v;
  };
  // Every argument name the validators use (catalog/form_schema.h, catalog/services.h,
  // workflow/workflow.h); a message with another placeholder shows it unfilled.
  return Cat().Format(
      lang, p.key,
      {{"n", arg("n")},           {"max", arg("max")},        {"field", arg("field")},
       {"other", arg("other")},   {"state", arg("state")},    {"initial", arg("initial")},
       {"from", arg("from")},     {"in", arg("in")},          {"event", arg("event")},
       {"known", arg("known")},   {"name", arg("name")},      {"key", arg("key")},
       {"type", arg("type")},     {"value", arg("value")},    {"option", arg("option")},
       {"action", arg("action")}, {"role", arg("role")},      {"channel", arg("channel")},
       {"kind", arg("kind")},     {"outcome", arg("outcome")}});
}

std::vector<std::pair<std::string, std::string>> Base::AnswerChoices(
    const catalog::FormSchema& form, std::string_view except, const std::string& current,
    const std::string& any_label, i18n::Lang lang) const {
  std::vector<std::pair<std::string, std::string>> out = {{"", any_label}};
  bool found = current.empty();
  for (const auto& p : form.pages) {
    for (const auto& f : p.fields) {
      if (f.name == except) continue;
      const std::string question = f.label.In(lang).empty() ? f.name : f.label.In(lang);
      if (f.type == catalog::FieldType::kYesNo) {
        for (const char* v : {"yes", "no"}) {
          out.emplace_back(v, question + ": " + T(lang, std::string("editor.answer_") + v));
          found = found || current == v;
        }
        continue;
      }
      for (const auto& o : f.options) {
        const std::string label = o.label.In(lang).empty() ? o.value : o.label.In(lang);
        out.emplace_back(o.value, question + ": " + label);
        found = found || current == o.value;
      }
    }
  }
  if (!found) out.emplace_back(current, current);
  return out;
}

std::string Base::FieldTitle(const catalog::FormSchema& form, std::string_view name,
                             i18n::Lang lang) {
  for (const auto& p : form.pages) {
    for (const auto& f : p.fields) {
      if (f.name != name) continue;
      const std::string& label = f.label.In(lang);
      return Quoted(label.empty() ? f.name : label, lang);
    }
  }
  return Quoted(name, lang);
}

std::string Base::StateLabel(const workflow::Workflow& wf, std::string_view key, i18n::Lang lang) {
  const workflow::State* s = wf.FindState(key);
  const std::string label = s ? s->label.In(lang) : "";
  return label.empty() ? std::string(key) : label;
}

std::string Base::StateTitle(const workflow::Workflow& wf, std::string_view key, i18n::Lang lang) {
  return Quoted(StateLabel(wf, key, lang), lang);
}

std::string Base::WhereWritten(const Context& ctx, const catalog::Service& s, const Path& path) {
  const std::string_view top = NameAt(path, 0);
  const std::string lang(NameAt(path, path.size() - 1));
  auto number = [](size_t i) { return std::to_string(i + 1); };
  if (top == "name" || top == "description" || top == "eligibility") {
    return "#" + std::string(top) + "_" + lang;
  }
  if (top == "documents" && IndexAt(path, 1))
    return "#doc_" + lang + "_" + number(*IndexAt(path, 1));
  if (top == "notifications" && path.size() == 4) {
    return ctx.href + "/notifications#" + std::string(NameAt(path, 1)) + "_" +
           std::string(NameAt(path, 2)) + "_" + lang;
  }
  if (top == "document") return ctx.href + "/document#" + std::string(NameAt(path, 1)) + "_" + lang;
  if (top != "form" || NameAt(path, 1) != "pages" || !IndexAt(path, 2)) return {};
  const size_t p = *IndexAt(path, 2);
  if (p >= s.form.pages.size()) return {};
  if (NameAt(path, 3) == "title") return ctx.href + "/form/pages/" + number(p) + "#title_" + lang;
  const std::optional<size_t> i = IndexAt(path, 4);
  if (NameAt(path, 3) != "fields" || !i || *i >= s.form.pages[p].fields.size()) return {};
  std::string field = ctx.href + "/form/fields/" + s.form.pages[p].fields[*i].name;
  const std::string_view part = NameAt(path, 5);
  if (part == "label" || part == "help") return field + "#" + std::string(part) + "_" + lang;
  if (part == "options" && IndexAt(path, 6))
    return field + "#opt_" + lang + "_" + number(*IndexAt(path, 6));
  return field;
}

Problems Base::MissingTexts(const Context& ctx, i18n::Lang lang) const {
  Problems out;
  for (const baladiya::Problem& p : catalog::MissingTexts(ctx.service)) {
    out.push_back(
        {"", Say(p, {&ctx.service.form, nullptr}, lang), WhereWritten(ctx, ctx.service, p.path)});
  }
  return out;
}

void AddRoutes(identity::GuardedRoutes& routes, const Options& options) {
  AddServicesListRoutes(routes, options);
  AddServiceEditorRoutes(routes, options);
  AddFormEditorRoutes(routes, options);
  AddWorkflowEditorRoutes(routes, options);
  AddDocumentEditorRoutes(routes, options);
  AddSynonymsRoutes(routes, options);
  AddVersionRoutes(routes, options);
}

}  // namespace baladiya::editor

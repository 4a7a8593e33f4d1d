#include "platform/render/form.h"

namespace baladiya::render {

void FillForm(Dict& dict, const Form& form, const i18n::Catalog& catalog, i18n::Lang lang) {
  dict.SetValue("ACTION", form.action);
  dict.SetValue("SUBMIT", catalog.Get(lang, form.submit_key));
  dict.SetValue("CSRF", form.csrf);
  for (const auto& [name, value] : form.hidden) {
    Dict* h = dict.AddSectionDictionary("HIDDEN");
    h->SetValue("NAME", name);
    h->SetValue("VALUE", value);
  }
  if (!form.errors.empty()) {
    Dict* summary = dict.AddSectionDictionary("ERRORS");
    summary->SetValue("TITLE", catalog.Get(lang, "form.errors_title"));
    // The summary lists errors in field order, then the form-wide one.
    for (const auto& f : form.fields) {
      auto it = form.errors.find(f.name);
      if (it == form.errors.end()) continue;
      Dict* e = summary->AddSectionDictionary("ERROR");
      e->SetValue("HREF", "#" + f.name);
      e->SetValue("MESSAGE", catalog.Get(lang, it->second));
    }
    if (auto it = form.errors.find(""); it != form.errors.end()) {
      Dict* e = summary->AddSectionDictionary("FORM_ERROR");
      e->SetValue("MESSAGE", catalog.Get(lang, it->second));
    }
  }
  for (const auto& f : form.fields) {
    Dict* d = dict.AddSectionDictionary("FIELD");
    d->SetValue("NAME", f.name);
    d->SetValue("LABEL", catalog.Get(lang, f.label_key));
    d->SetValue("VALUE", f.type == "password" ? std::string() : f.value);
    d->SetValue("AUTOCOMPLETE", f.autocomplete.empty() ? "off" : f.autocomplete);
    if (!f.inputmode.empty()) d->SetValueAndShowSection("INPUTMODE", f.inputmode, "HAS_INPUTMODE");
    if (f.ltr) d->ShowSection("LTR");
    if (f.required) d->ShowSection("REQUIRED");
    if (!f.required)
      d->SetValueAndShowSection("OPTIONAL", catalog.Get(lang, "form.optional"), "IS_OPTIONAL");
    std::string described;
    if (!f.hint_key.empty()) {
      d->SetValueAndShowSection("HINT", catalog.Get(lang, f.hint_key), "HAS_HINT");
      described = f.name + "-hint";
    }
    if (auto it = form.errors.find(f.name); it != form.errors.end()) {
      d->SetValueAndShowSection("ERROR", catalog.Get(lang, it->second), "HAS_ERROR");
      described += (described.empty() ? "" : " ") + f.name + "-error";
    }
    if (!described.empty())
      d->SetValueAndShowSection("DESCRIBED_BY", described, "HAS_DESCRIBED_BY");
    if (f.type == "textarea") {
      d->ShowSection("TEXTAREA");
    } else if (f.type == "select") {
      Dict* sel = d->AddSectionDictionary("SELECT");
      for (const auto& [value, label] : f.options) {
        Dict* o = sel->AddSectionDictionary("OPTION");
        o->SetValue("VALUE", value);
        o->SetValue("LABEL", label);
        if (value == f.value) o->ShowSection("SELECTED");
      }
    } else {
      d->SetValueAndShowSection("TYPE", f.type, "INPUT");
    }
  }
}

void IncludeForm(Dict& page, const Form& form, const i18n::Catalog& catalog, i18n::Lang lang) {
  Dict* f = page.AddIncludeDictionary("FORM");
  f->SetFilename(LanguageName("form.tpl", lang));
  FillForm(*f, form, catalog, lang);
}

}  // namespace baladiya::render

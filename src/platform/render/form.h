// Server-side forms that work without JavaScript and meet WCAG: every field labelled, hints and
// errors tied to it with aria-describedby, an error summary at the top linking to each field,
// values kept on error. One shared template (app/templates/form.tpl) renders every form; this
// builder fills its dictionary. Labels, hints and errors are message keys.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "platform/i18n/locale.h"
#include "platform/render/templates.h"

namespace baladiya::render {

struct FormField {
  std::string name;  // also the element id
  std::string label_key;
  std::string hint_key;       // optional
  std::string type = "text";  // text, password, email, tel, date, number, textarea
  std::string value;          // kept when the form is shown again (never for passwords)
  std::string autocomplete;   // e.g. "username", "current-password", "tel"
  std::string inputmode;      // e.g. "numeric"
  bool required = true;
  bool ltr = false;  // digits, emails, codes: shown left-to-right inside RTL pages
  // For type "select": (value, label already in the page's language); `value` selects one.
  std::vector<std::pair<std::string, std::string>> options;
};

struct Form {
  std::string action;  // where it posts
  std::string submit_key;
  std::string csrf;  // the anti-forgery token
  std::vector<FormField> fields;
  std::vector<std::pair<std::string, std::string>> hidden;  // extra hidden inputs
  // Field name -> message key of its error; "" names the form as a whole.
  std::map<std::string, std::string> errors;
};

// Fills dict (the form template's) with the form in lang.
void FillForm(Dict& dict, const Form& form, const i18n::Catalog& catalog, i18n::Lang lang);

// Includes the shared form template as {{>FORM}} in a page's dictionary, filled with the form.
void IncludeForm(Dict& page, const Form& form, const i18n::Catalog& catalog, i18n::Lang lang);

}  // namespace baladiya::render

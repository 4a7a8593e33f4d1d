// HTML templates (ctemplate) compiled into the binary and parsed once at start-up. Every
// template starts with {{%AUTOESCAPE context="HTML"}}, so values are escaped for where they
// appear. Message-catalogue strings appear as markers named "t_" + the key with '.' written as
// "__" ({{t_home__title}} is the key "home.title"). They are resolved once at load time: each
// template is registered once per language with its messages already in place (HTML-escaped;
// for text and quoted attribute values only), so a render sets only the page's own values.
#pragma once

#include <ctemplate/template.h>

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/embedded.h"
#include "platform/i18n/locale.h"
#include "platform/result.h"

namespace baladiya::render {

// Text made safe for HTML, SVG or XML text and quoted attributes (& < > " '), with '{' escaped
// too so that it can never read as template syntax.
std::string EscapeHtml(std::string_view text);

using Dict = ctemplate::TemplateDictionary;

class Templates {
 public:
  // Registers every embedded file ending in ".tpl" under its relative name. Fails with kInvalid
  // naming the first template that does not parse or lacks the AUTOESCAPE pragma.
  // Each is registered per language as "<name>@ar" / "<name>@en" with its messages in place;
  // a message key missing from the catalogue fails the load (detail names it).
  static Result<std::unique_ptr<Templates>> Load(std::span<const EmbeddedFile> files,
                                                 const i18n::Catalog& catalog);

  // Expands the named template in a language. kNotFound for an unknown name; kInternal when
  // expansion fails. Include dictionaries must name files with LanguageName().
  Result<std::string> Expand(std::string_view name, i18n::Lang lang, const Dict& dict) const;

  // The message keys ("home.title") a template shows through t_ variables.
  const std::vector<std::string>& MessageKeys(std::string_view name) const;

  bool Has(std::string_view name) const { return keys_.count(std::string(name)) > 0; }

 private:
  Templates() = default;
  std::unique_ptr<ctemplate::TemplateCache> cache_;
  std::map<std::string, std::vector<std::string>, std::less<>> keys_;
};

// "home.title" -> "t_home__title".
std::string MessageVariable(std::string_view key);
// "home.tpl", kAr -> "home.tpl@ar": the registered name of a template in a language.
std::string LanguageName(std::string_view name, i18n::Lang lang);

}  // namespace baladiya::render

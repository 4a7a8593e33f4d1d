// HTML templates (ctemplate) compiled into the binary and parsed once at start-up. Every
// template starts with {{%AUTOESCAPE context="HTML"}}, so values are escaped for where they
// appear. Message-catalogue strings appear as variables named "t_" + the key with '.' written
// as "__" ({{t_home__title}} is the key "home.title"); Templates lists them per template so a page
// fills exactly the strings it shows.
#pragma once

#include <ctemplate/template.h>

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/embedded.h"
#include "platform/result.h"

namespace baladiya::render {

using Dict = ctemplate::TemplateDictionary;

class Templates {
 public:
  // Registers every embedded file ending in ".tpl" under its relative name. Fails with kInvalid
  // naming the first template that does not parse or lacks the AUTOESCAPE pragma.
  static Result<std::unique_ptr<Templates>> Load(std::span<const EmbeddedFile> files);

  // Expands the named template. kNotFound for an unknown name; kInternal when expansion fails.
  Result<std::string> Expand(std::string_view name, const Dict& dict) const;

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

}  // namespace baladiya::render

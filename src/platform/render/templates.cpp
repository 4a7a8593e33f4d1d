#include "platform/render/templates.h"

#include <regex>
#include <set>

namespace baladiya::render {

std::string MessageVariable(std::string_view key) {
  std::string out = "t_";
  for (char c : key) {
    if (c == '.') {
      out += "__";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

std::vector<std::string> FindMessageKeys(std::string_view text) {
  static const std::regex kVar(R"(\{\{t_([A-Za-z0-9_]+))");
  std::set<std::string> keys;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kVar); it != std::sregex_iterator();
       ++it) {
    std::string var = (*it)[1].str();
    std::string key;
    for (size_t i = 0; i < var.size(); ++i) {
      if (var[i] == '_' && i + 1 < var.size() && var[i + 1] == '_') {
        key.push_back('.');
        ++i;
      } else {
        key.push_back(var[i]);
      }
    }
    keys.insert(key);
  }
  return {keys.begin(), keys.end()};
}

}  // namespace

std::string LanguageName(std::string_view name, i18n::Lang lang) {
  std::string out(name);
  out += '@';
  out += i18n::LangCode(lang);
  return out;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '{':
        out += "&#123;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

// The template text with every {{t_...}} marker replaced by the message in lang.
Result<std::string> Localise(std::string_view name, std::string_view text,
                             const std::vector<std::string>& keys, const i18n::Catalog& catalog,
                             i18n::Lang lang) {
  std::string out(text);
  for (const auto& key : keys) {
    if (!catalog.Has(lang, key)) {
      return MakeError(ErrorCode::kInvalid, "error.internal",
                       "template " + std::string(name) + " uses message " + key +
                           " missing from the " + std::string(i18n::LangCode(lang)) + " catalogue");
    }
    std::string marker = "{{" + MessageVariable(key) + "}}";
    std::string value = EscapeHtml(catalog.Get(lang, key));
    for (size_t p = out.find(marker); p != std::string::npos;
         p = out.find(marker, p + value.size())) {
      out.replace(p, marker.size(), value);
    }
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Templates>> Templates::Load(std::span<const EmbeddedFile> files,
                                                   const i18n::Catalog& catalog) {
  std::unique_ptr<Templates> t(new Templates());
  t->cache_ = std::make_unique<ctemplate::TemplateCache>();
  for (const auto& f : files) {
    if (!f.name.ends_with(".tpl")) continue;
    std::string name(f.name);
    if (t->keys_.count(name)) {
      return MakeError(ErrorCode::kInvalid, "error.internal", "two templates named " + name);
    }
    if (!f.data.starts_with("{{%AUTOESCAPE context=\"HTML\"}}")) {
      return MakeError(ErrorCode::kInvalid, "error.internal",
                       "template " + name + " lacks the AUTOESCAPE pragma");
    }
    std::vector<std::string> keys = FindMessageKeys(f.data);
    for (i18n::Lang lang : {i18n::Lang::kAr, i18n::Lang::kEn}) {
      auto text = Localise(name, f.data, keys, catalog, lang);
      if (!text.ok()) return std::move(text).error();
      if (!t->cache_->StringToTemplateCache(LanguageName(name, lang), *text,
                                            ctemplate::STRIP_BLANK_LINES)) {
        return MakeError(ErrorCode::kInvalid, "error.internal",
                         "template " + name + " does not parse");
      }
    }
    t->keys_[name] = std::move(keys);
  }
  t->cache_->Freeze();
  return t;
}

Result<std::string> Templates::Expand(std::string_view name, i18n::Lang lang,
                                      const Dict& dict) const {
  if (!Has(name)) {
    return MakeError(ErrorCode::kNotFound, "error.internal", "no template " + std::string(name));
  }
  std::string out;
  out.reserve(4096);
  if (!cache_->ExpandWithData(LanguageName(name, lang), ctemplate::STRIP_BLANK_LINES, &dict,
                              nullptr, &out)) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     "template " + std::string(name) + " failed to expand");
  }
  return out;
}

const std::vector<std::string>& Templates::MessageKeys(std::string_view name) const {
  static const std::vector<std::string> kNone;
  auto it = keys_.find(name);
  return it == keys_.end() ? kNone : it->second;
}

}  // namespace baladiya::render

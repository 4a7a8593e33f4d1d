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

Result<std::unique_ptr<Templates>> Templates::Load(std::span<const EmbeddedFile> files) {
  std::unique_ptr<Templates> t(new Templates());
  t->cache_ = std::make_unique<ctemplate::TemplateCache>();
  for (const auto& f : files) {
    if (!f.name.ends_with(".tpl")) continue;
    if (!f.data.starts_with("{{%AUTOESCAPE context=\"HTML\"}}")) {
      return MakeError(ErrorCode::kInvalid, "error.internal",
                       "template " + std::string(f.name) + " lacks the AUTOESCAPE pragma");
    }
    std::string name(f.name);
    if (!t->cache_->StringToTemplateCache(name, std::string(f.data), ctemplate::STRIP_BLANK_LINES)) {
      return MakeError(ErrorCode::kInvalid, "error.internal",
                       "template " + name + " does not parse");
    }
    t->keys_[name] = FindMessageKeys(f.data);
  }
  t->cache_->Freeze();
  return t;
}

Result<std::string> Templates::Expand(std::string_view name, const Dict& dict) const {
  if (!Has(name)) {
    return MakeError(ErrorCode::kNotFound, "error.internal", "no template " + std::string(name));
  }
  std::string out;
  if (!cache_->ExpandWithData(std::string(name), ctemplate::STRIP_BLANK_LINES, &dict, nullptr,
                              &out)) {
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

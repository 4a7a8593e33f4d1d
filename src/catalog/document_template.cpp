#include "catalog/document_template.h"

#include <algorithm>
#include <boost/json.hpp>

namespace baladiya::catalog {
namespace {

namespace json = boost::json;

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "catalog.document_malformed", std::move(detail));
}

bool StateKey(std::string_view k) {
  if (k.empty() || k.size() > 40 || k[0] < 'a' || k[0] > 'z') return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

const Field* FindField(const FormSchema& form, std::string_view name) {
  for (const Page& p : form.pages) {
    for (const Field& f : p.fields) {
      if (f.name == name) return &f;
    }
  }
  return nullptr;
}

Text TextAt(const json::object& o, std::string_view key) {
  Text t;
  auto* v = o.if_contains(key);
  if (!v || !v->is_object()) return t;
  if (auto* ar = v->as_object().if_contains("ar"); ar && ar->is_string()) {
    t.ar = std::string(ar->as_string());
  }
  if (auto* en = v->as_object().if_contains("en"); en && en->is_string()) {
    t.en = std::string(en->as_string());
  }
  return t;
}

// Calls fn with each {name} of text.
void EachPlaceholder(std::string_view text, const std::function<void(std::string_view)>& fn) {
  size_t at = 0;
  while ((at = text.find('{', at)) != std::string_view::npos) {
    size_t end = text.find('}', at);
    if (end == std::string_view::npos) return;
    fn(text.substr(at + 1, end - at - 1));
    at = end + 1;
  }
}

}  // namespace

const std::vector<std::string>& DocumentKinds() {
  static const std::vector<std::string> kKinds = {"certificate", "permit", "licence"};
  return kKinds;
}

const std::vector<std::string>& DocumentPlaceholders() {
  static const std::vector<std::string> kNames = {"holder",  "holder_id",    "number",  "issued",
                                                  "expires", "municipality", "tracking"};
  return kNames;
}

Result<DocumentTemplate> ParseDocumentTemplate(std::string_view text) {
  DocumentTemplate t;
  if (text.empty()) {
    t.kind.clear();
    return t;
  }
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Malformed("document template is not a JSON object");
  const json::object& o = v.as_object();
  if (auto* k = o.if_contains("kind"); k && k->is_string()) t.kind = std::string(k->as_string());
  if (auto* s = o.if_contains("issue_on"); s && s->is_string()) {
    t.issue_on = std::string(s->as_string());
  }
  if (auto* d = o.if_contains("validity_days")) {
    if (!d->is_int64()) return Malformed("validity_days is not a whole number");
    const int64_t days = d->as_int64();
    t.validity_days = static_cast<int>(std::clamp<int64_t>(days, -1, kMaxValidityDays + 1));
  }
  if (auto* c = o.if_contains("clear_of_dues"); c && c->is_bool()) t.clear_of_dues = c->as_bool();
  t.title = TextAt(o, "title");
  t.body = TextAt(o, "body");
  if (auto* f = o.if_contains("facts")) {
    if (!f->is_array()) return Malformed("facts is not a list");
    for (const auto& name : f->as_array()) {
      if (!name.is_string()) return Malformed("a fact is not a field name");
      t.facts.emplace_back(name.as_string());
    }
  }
  return t;
}

std::string DocumentTemplateToJson(const DocumentTemplate& t) {
  if (!t.Issues()) return "";
  json::array facts;
  for (const auto& f : t.facts) facts.emplace_back(f);
  json::object o{{"kind", t.kind},
                 {"issue_on", t.issue_on},
                 {"validity_days", t.validity_days},
                 {"title", {{"ar", t.title.ar}, {"en", t.title.en}}},
                 {"body", {{"ar", t.body.ar}, {"en", t.body.en}}},
                 {"facts", std::move(facts)},
                 {"clear_of_dues", t.clear_of_dues}};
  return json::serialize(o);
}

std::vector<Problem> DocumentProblems(const DocumentTemplate& t, const FormSchema& form) {
  std::vector<Problem> out;
  if (!t.Issues()) return out;
  const auto& kinds = DocumentKinds();
  if (std::find(kinds.begin(), kinds.end(), t.kind) == kinds.end()) {
    out.push_back({{"document", "kind"}, "catalog.document.kind", {{"kind", t.kind}}});
  }
  if (!StateKey(t.issue_on)) out.push_back({{"document", "issue_on"}, "catalog.document.issue_on"});
  if (t.validity_days < 1 || t.validity_days > kMaxValidityDays) {
    out.push_back({{"document", "validity_days"},
                   "catalog.document.validity",
                   {{"max", std::to_string(kMaxValidityDays)}}});
  }
  const auto& names = DocumentPlaceholders();
  for (const char* part : {"title", "body"}) {
    const Text& text = std::string_view(part) == "title" ? t.title : t.body;
    for (const char* lang : {"ar", "en"}) {
      const std::string& s = std::string_view(lang) == "ar" ? text.ar : text.en;
      if (s.size() > kMaxDocumentBody) {
        out.push_back({{"document", part, lang},
                       "catalog.document.too_long",
                       {{"in", lang}, {"max", std::to_string(kMaxDocumentBody)}}});
        continue;
      }
      bool reported = false;
      EachPlaceholder(s, [&](std::string_view name) {
        if (reported) return;
        if (std::find(names.begin(), names.end(), name) != names.end()) return;
        const Field* f = FindField(form, name);
        if (f && f->type != FieldType::kFile) return;
        out.push_back({{"document", part, lang},
                       "catalog.document.placeholder",
                       {{"name", "{" + std::string(name) + "}"}}});
        reported = true;
      });
    }
  }
  if (t.facts.size() > kMaxDocumentFacts) {
    out.push_back({{"document", "facts"},
                   "catalog.document.too_many_facts",
                   {{"max", std::to_string(kMaxDocumentFacts)}}});
  }
  for (size_t i = 0; i < t.facts.size(); ++i) {
    const Field* f = FindField(form, t.facts[i]);
    if (!f) {
      out.push_back(
          {{"document", "facts", i}, "catalog.document.fact_unknown", {{"name", t.facts[i]}}});
    } else if (f->type == FieldType::kFile) {
      out.push_back(
          {{"document", "facts", i}, "catalog.document.fact_file", {{"field", t.facts[i]}}});
    }
  }
  return out;
}

std::vector<Problem> MissingDocumentTexts(const DocumentTemplate& t) {
  std::vector<Problem> out;
  if (!t.Issues()) return out;
  for (const char* part : {"title", "body"}) {
    const Text& text = std::string_view(part) == "title" ? t.title : t.body;
    for (const char* lang : {"ar", "en"}) {
      if (!(std::string_view(lang) == "ar" ? text.ar : text.en).empty()) continue;
      out.push_back({{"document", part, lang},
                     std::string("catalog.missing.document_") + part,
                     {{"in", lang}}});
    }
  }
  return out;
}

std::string FillPlaceholders(std::string_view text,
                             const std::function<bool(std::string_view, std::string&)>& value) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find('{', at);
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    std::string v;
    if (value(text.substr(open + 1, close - open - 1), v)) {
      out += v;
    } else {
      out.append(text.substr(open, close - open + 1));
    }
    at = close + 1;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace baladiya::catalog

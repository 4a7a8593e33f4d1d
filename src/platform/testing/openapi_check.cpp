#include "platform/testing/openapi_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>

#include "platform/http/test_client.h"

namespace baladiya::testing {

namespace {

namespace json = boost::json;
using http::testing::RawClient;

// Keywords that only annotate.
constexpr std::string_view kAnnotations[] = {"description", "title",      "examples", "default",
                                             "$comment",    "deprecated", "readOnly", "writeOnly"};
// Keywords the validator checks. Any other keyword is reported, so the document cannot rely on a
// rule that nothing checks.
constexpr std::string_view kAssertions[] = {
    "$ref",      "type",      "properties", "required", "additionalProperties",
    "items",     "enum",      "const",      "oneOf",    "anyOf",
    "allOf",     "not",       "format",     "minimum",  "maximum",
    "minLength", "maxLength", "pattern",    "minItems", "maxItems"};

bool KnownKeyword(std::string_view k) {
  return std::find(std::begin(kAnnotations), std::end(kAnnotations), k) != std::end(kAnnotations) ||
         std::find(std::begin(kAssertions), std::end(kAssertions), k) != std::end(kAssertions);
}

bool IsType(std::string_view type, const json::value& v) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_bool();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    return v.is_int64() || v.is_uint64() ||
           (v.is_double() && std::trunc(v.as_double()) == v.as_double());
  }
  return false;
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool Is(const json::value& v, std::string_view s) { return v.is_string() && v.get_string() == s; }

std::string Show(const json::value& v) {
  std::string s = json::serialize(v);
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

// enum, const, minimum, maximum, minLength, maxLength, pattern, format.
void CheckValue(const json::object& s, const json::value& v, const std::string& at,
                std::vector<std::string>& out) {
  if (const json::value* e = s.if_contains("enum")) {
    const json::array* options = e->if_array();
    if (!options || std::find(options->begin(), options->end(), v) == options->end())
      out.push_back(at + ": " + Show(v) + " is not one of " + Show(*e));
  }
  if (const json::value* c = s.if_contains("const"); c && *c != v)
    out.push_back(at + ": " + Show(v) + " is not " + Show(*c));
  if (v.is_number()) {
    const double x = v.to_number<double>();
    if (const json::value* m = s.if_contains("minimum"); m && x < m->to_number<double>())
      out.push_back(at + ": " + Show(v) + " is below the minimum " + Show(*m));
    if (const json::value* m = s.if_contains("maximum"); m && x > m->to_number<double>())
      out.push_back(at + ": " + Show(v) + " is above the maximum " + Show(*m));
  }
  if (!v.is_string()) return;
  const std::string str(v.as_string());
  const size_t n = CodePoints(str);
  if (const json::value* m = s.if_contains("minLength"); m && n < m->to_number<size_t>())
    out.push_back(at + ": " + Show(v) + " is shorter than " + Show(*m));
  if (const json::value* m = s.if_contains("maxLength"); m && n > m->to_number<size_t>())
    out.push_back(at + ": " + Show(v) + " is longer than " + Show(*m));
  if (const json::value* p = s.if_contains("pattern"); p && p->is_string()) {
    try {
      if (!std::regex_search(str, std::regex(std::string(p->as_string()))))
        out.push_back(at + ": " + Show(v) + " does not match " + Show(*p));
    } catch (const std::regex_error&) {
      out.push_back(at + ": the pattern " + Show(*p) + " does not compile");
    }
  }
  if (const json::value* f = s.if_contains("format")) {
    static const std::regex kDateTime(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{"
        "2})$");
    if (*f != "date-time") {
      out.push_back(at + ": unsupported format " + Show(*f));
    } else if (!std::regex_match(str, kDateTime)) {
      out.push_back(at + ": " + Show(v) + " is not an ISO 8601 date-time");
    }
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t begin = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  return out;
}

}  // namespace

const json::value* SchemaValidator::Resolve(std::string_view ref) const {
  if (!ref.starts_with("#")) return nullptr;
  json::error_code ec;
  const json::value* v = root_.find_pointer(ref.substr(1), ec);
  return ec ? nullptr : v;
}

std::vector<std::string> SchemaValidator::Validate(const json::value& schema,
                                                   const json::value& instance) const {
  std::vector<std::string> out;
  Check(schema, instance, "$", out, 0);
  return out;
}

void SchemaValidator::Lint(const json::value& schema, const std::string& at,
                           std::vector<std::string>& out) const {
  if (schema.is_bool()) return;
  if (!schema.is_object()) return out.push_back(at + ": a schema must be an object");
  for (const auto& [k, sub] : schema.as_object()) {
    if (!KnownKeyword(k)) out.push_back(at + ": unsupported keyword " + std::string(k));
    if (k == "$ref" && (!sub.is_string() || !Resolve(sub.as_string())))
      out.push_back(at + ": unresolved $ref " + Show(sub));
    if ((k == "items" || k == "not" || k == "additionalProperties") && sub.is_object())
      Lint(sub, at + "/" + std::string(k), out);
    if ((k == "allOf" || k == "anyOf" || k == "oneOf") && sub.is_array()) {
      for (size_t i = 0; i < sub.as_array().size(); ++i)
        Lint(sub.as_array()[i], at + "/" + std::string(k) + "/" + std::to_string(i), out);
    }
    if (k == "properties" && sub.is_object()) {
      for (const auto& [name, p] : sub.as_object())
        Lint(p, at + "/properties/" + std::string(name), out);
    }
  }
}

void SchemaValidator::Check(const json::value& schema, const json::value& v, const std::string& at,
                            std::vector<std::string>& out, int depth) const {
  if (depth > 64) return out.push_back(at + ": schemas nest too deep (a $ref cycle?)");
  if (schema.is_bool()) {
    if (!schema.as_bool()) out.push_back(at + ": no value is allowed here");
    return;
  }
  if (!schema.is_object()) return out.push_back(at + ": the schema is not an object");
  const json::object& s = schema.as_object();
  for (const auto& [k, unused] : s) {
    if (!KnownKeyword(k)) out.push_back(at + ": unsupported keyword " + std::string(k));
  }
  if (const json::value* r = s.if_contains("$ref")) {
    const json::value* target = r->is_string() ? Resolve(r->as_string()) : nullptr;
    if (!target) return out.push_back(at + ": unresolved $ref " + Show(*r));
    Check(*target, v, at, out, depth + 1);
  }
  if (const json::value* t = s.if_contains("type")) {
    bool match = false;
    if (t->is_string()) match = IsType(t->as_string(), v);
    if (t->is_array()) {
      for (const auto& one : t->as_array())
        match = match || (one.is_string() && IsType(one.as_string(), v));
    }
    // The other keywords would only repeat the problem.
    if (!match) return out.push_back(at + ": " + Show(v) + " is not of type " + Show(*t));
  }
  CheckValue(s, v, at, out);
  if (v.is_object()) CheckObject(s, v.as_object(), at, out, depth);
  if (v.is_array()) CheckArray(s, v.as_array(), at, out, depth);
  CheckCombinations(s, v, at, out, depth);
}

void SchemaValidator::CheckObject(const json::object& s, const json::object& o,
                                  const std::string& at, std::vector<std::string>& out,
                                  int depth) const {
  const json::object* props = s.contains("properties") ? s.at("properties").if_object() : nullptr;
  if (const json::value* r = s.if_contains("required"); r && r->is_array()) {
    for (const auto& name : r->as_array()) {
      if (name.is_string() && !o.contains(name.as_string()))
        out.push_back(at + ": the member " + Show(name) + " is missing");
    }
  }
  const json::value* extra = s.if_contains("additionalProperties");
  for (const auto& [k, member] : o) {
    const std::string where = at + "." + std::string(k);
    if (props && props->contains(k)) {
      Check(props->at(k), member, where, out, depth + 1);
    } else if (extra) {
      Check(*extra, member, where, out, depth + 1);
    }
  }
}

void SchemaValidator::CheckArray(const json::object& s, const json::array& a, const std::string& at,
                                 std::vector<std::string>& out, int depth) const {
  if (const json::value* m = s.if_contains("minItems"); m && a.size() < m->to_number<size_t>())
    out.push_back(at + ": fewer than " + Show(*m) + " items");
  if (const json::value* m = s.if_contains("maxItems"); m && a.size() > m->to_number<size_t>())
    out.push_back(at + ": more than " + Show(*m) + " items");
  if (const json::value* items = s.if_contains("items")) {
    for (size_t i = 0; i < a.size(); ++i)
      Check(*items, a[i], at + "[" + std::to_string(i) + "]", out, depth + 1);
  }
}

void SchemaValidator::CheckCombinations(const json::object& s, const json::value& v,
                                        const std::string& at, std::vector<std::string>& out,
                                        int depth) const {
  auto passes = [&](const json::value& sub) {
    std::vector<std::string> ignored;
    Check(sub, v, at, ignored, depth + 1);
    return ignored.empty();
  };
  if (const json::value* all = s.if_contains("allOf"); all && all->is_array()) {
    for (const auto& sub : all->as_array()) Check(sub, v, at, out, depth + 1);
  }
  if (const json::value* any = s.if_contains("anyOf"); any && any->is_array()) {
    if (std::none_of(any->as_array().begin(), any->as_array().end(), passes))
      out.push_back(at + ": " + Show(v) + " matches none of anyOf");
  }
  if (const json::value* one = s.if_contains("oneOf"); one && one->is_array()) {
    auto n = std::count_if(one->as_array().begin(), one->as_array().end(), passes);
    if (n != 1) out.push_back(at + ": " + Show(v) + " matches " + std::to_string(n) + " of oneOf");
  }
  if (const json::value* n = s.if_contains("not"); n && passes(*n))
    out.push_back(at + ": " + Show(v) + " matches what \"not\" excludes");
}

const json::value& ApiDocument::Deref(const json::value& v) const {
  if (!v.is_object() || !v.as_object().contains("$ref")) return v;
  const json::value* target = schemas_.Resolve(v.at("$ref").as_string());
  static const json::value kNull;
  return target ? Deref(*target) : kNull;
}

std::string ApiDocument::Template(std::string_view path) const {
  const auto parts = Split(path, '/');
  for (const auto& [tmpl, item] : Paths()) {
    const auto want = Split(tmpl, '/');
    if (want.size() != parts.size()) continue;
    bool match = true;
    for (size_t i = 0; i < want.size() && match; ++i) {
      match = want[i].starts_with("{") ? !parts[i].empty() : want[i] == parts[i];
    }
    if (match) return std::string(tmpl);
  }
  return "";
}

// The parameters of an operation, its path's included, dereferenced.
std::vector<const json::object*> ApiDocument::Parameters(const std::string& tmpl,
                                                         const json::object& op) const {
  std::vector<const json::object*> out;
  for (const json::value* list :
       {Paths().at(tmpl).as_object().if_contains("parameters"), op.if_contains("parameters")}) {
    if (!list) continue;
    for (const auto& p : list->as_array()) out.push_back(Deref(p).if_object());
  }
  return out;
}

std::vector<std::string> ApiDocument::Check(const Exchange& e) const {
  std::vector<std::string> out;
  const std::string path = e.target.substr(0, e.target.find('?'));
  const std::string tmpl = Template(path);
  if (tmpl.empty()) return {"no path of the document matches " + path};
  const json::value* op = Paths().at(tmpl).as_object().if_contains(Lower(e.method));
  if (!op) return {"the document has no " + e.method + " " + tmpl};
  CheckParameters(tmpl, op->as_object(), e.target, out);
  const json::value* response =
      op->at("responses").as_object().if_contains(std::to_string(e.status));
  if (!response) {
    out.push_back("the document declares no " + std::to_string(e.status) + " response");
    return out;
  }
  CheckResponse(Deref(*response), e, out);
  if (e.status / 100 == 2 && !e.request_body.empty()) CheckRequest(op->as_object(), e, out);
  return out;
}

void ApiDocument::CheckParameters(const std::string& tmpl, const json::object& op,
                                  const std::string& target, std::vector<std::string>& out) const {
  auto declared = [&](std::string_view in, std::string_view name) {
    for (const json::object* p : Parameters(tmpl, op)) {
      if (p && Is(p->at("in"), in) && Is(p->at("name"), name)) return true;
    }
    return false;
  };
  for (const auto& segment : Split(tmpl, '/')) {
    if (segment.starts_with("{") && !declared("path", segment.substr(1, segment.size() - 2)))
      out.push_back("the path parameter " + segment + " is not declared");
  }
  const size_t q = target.find('?');
  if (q == std::string::npos) return;
  for (const auto& pair : Split(std::string_view(target).substr(q + 1), '&')) {
    const std::string name = pair.substr(0, pair.find('='));
    if (!declared("query", name)) out.push_back("the query parameter " + name + " is not declared");
  }
}

void ApiDocument::CheckResponse(const json::value& response, const Exchange& e,
                                std::vector<std::string>& out) const {
  const std::string where = std::to_string(e.status) + " ";
  const json::value* content =
      response.is_object() ? response.as_object().if_contains("content") : nullptr;
  std::string media = Lower(e.Header("content-type"));
  media = media.substr(0, media.find(';'));
  if (!content) {
    if (!e.body.empty()) out.push_back(where + "declares no body, but one came back");
  } else if (const json::value* m = content->as_object().if_contains(media); !m) {
    out.push_back(where + "declares no content of type " + media);
  } else if (const json::value* schema = m->as_object().if_contains("schema")) {
    json::error_code ec;
    json::value instance =
        media == "application/json" ? json::parse(e.body, ec) : json::value(json::string(e.body));
    if (ec) out.push_back(where + "body is not JSON: " + e.body.substr(0, 200));
    for (const auto& p : schemas_.Validate(*schema, instance)) out.push_back(where + p);
  }
  const json::value* headers =
      response.is_object() ? response.as_object().if_contains("headers") : nullptr;
  if (!headers) return;
  for (const auto& [name, h] : headers->as_object()) {
    const json::value& header = Deref(h);
    const std::string value = e.Header(Lower(std::string(name)));
    if (value.empty() && header.as_object().contains("required") && header.at("required") == true)
      out.push_back(where + "lacks the header " + std::string(name));
    if (const json::value* schema = header.as_object().if_contains("schema");
        schema && !value.empty()) {
      for (const auto& p : schemas_.Validate(*schema, json::string(value)))
        out.push_back(where + "header " + std::string(name) + " " + p);
    }
  }
}

// A request the server accepted must be one the document allows: a media type it declares,
// and a JSON body its schema allows.
void ApiDocument::CheckRequest(const json::object& op, const Exchange& e,
                               std::vector<std::string>& out) const {
  const json::value* body = op.if_contains("requestBody");
  if (!body) return out.push_back("a body was accepted but the document declares none");
  const json::value* media = Deref(*body).at("content").as_object().if_contains(e.request_type);
  if (!media) return out.push_back("a body of type " + e.request_type + " was accepted");
  const json::value* schema = media->as_object().if_contains("schema");
  if (e.request_type != "application/json" || !schema) return;
  for (const auto& p : schemas_.Validate(*schema, json::parse(e.request_body)))
    out.push_back("request body " + p);
}

std::string Exchange::Header(const std::string& lower_name) const {
  return RawClient::Header(raw, lower_name);
}

std::string Exchange::Str(std::initializer_list<std::string_view> path) const {
  const json::value* v = &json;
  for (auto key : path) {
    if (!v->is_object() || !v->as_object().contains(key)) return "";
    v = &v->as_object().at(key);
  }
  return v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
}

json::value OpenApiFragment(std::span<const EmbeddedFile> files) {
  for (const auto& f : files) {
    if (f.name != "openapi.json") continue;
    json::error_code ec;
    json::value v = json::parse(f.data, ec);
    if (!ec) return v;
  }
  return nullptr;
}

bool ApiClient::Load() {
  Reply res = Send(port_, "GET", "/api/v1/openapi.json");
  EXPECT_EQ(res.status, 200) << res.raw;
  if (res.status != 200) return false;
  json::error_code ec;
  json::value root = json::parse(res.body, ec);
  EXPECT_FALSE(ec) << "the served document is not JSON: " << ec.message();
  if (ec || !root.is_object() || !root.as_object().contains("paths")) {
    ADD_FAILURE() << "the served document has no paths";
    return false;
  }
  doc_ = std::make_unique<ApiDocument>(std::move(root));
  return true;
}

Exchange ApiClient::Call(const std::string& method, const std::string& target,
                         const std::string& headers, const std::string& body,
                         const std::string& type) {
  std::string req =
      method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers;
  if (method != "GET") {
    req += "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  Exchange e{method, target, body, type, RawClient::Exchange(port_, req + "\r\n" + body)};
  e.status = RawClient::Status(e.raw);
  e.body = RawClient::Body(e.raw);
  json::error_code ec;
  e.json = json::parse(e.body, ec);
  if (ec) e.json = nullptr;
  Record(e);
  return e;
}

void ApiClient::Record(const Exchange& e) {
  if (!doc_) {
    ADD_FAILURE() << "ApiClient::Load was not called";
    return;
  }
  for (const auto& p : doc_->Check(e)) {
    ADD_FAILURE() << e.method << " " << e.target << " -> " << e.status << ": " << p << "\n"
                  << e.body.substr(0, 400);
  }
  const std::string tmpl = doc_->Template(e.target.substr(0, e.target.find('?')));
  exercised_[Lower(e.method) + " " + tmpl].insert(e.status);
}

void ApiClient::RecordGolden(const GoldenFile& g, const Reply& r,
                             const std::map<std::string, std::string>& values) {
  std::string type;
  for (const auto& [name, value] : g.headers) {
    if (Lower(name) == "content-type") type = Substitute(value, values);
  }
  Exchange e{g.method,
             Substitute(g.target, values),
             Substitute(g.body, values),
             type,
             r.raw,
             r.status,
             r.body,
             nullptr};
  json::error_code ec;
  e.json = json::parse(r.body, ec);
  if (ec) e.json = nullptr;
  Record(e);
}

std::vector<std::string> ApiClient::Unexercised(const json::value* fragment,
                                                std::span<const Unreachable> unreachable) const {
  std::vector<std::string> out;
  if (!doc_) return {"no document"};
  const json::object& paths =
      fragment && fragment->is_object() && fragment->as_object().contains("paths")
          ? fragment->at("paths").as_object()
          : doc_->Paths();
  for (const auto& [tmpl, unused_item] : paths) {
    // The served document's description (what the checks used), not the fragment's own copy.
    const json::value* item = doc_->Paths().if_contains(tmpl);
    if (!item) {
      out.push_back(std::string(tmpl) + " is not in the served document");
      continue;
    }
    for (const auto& [method, op] : item->as_object()) {
      if (method == "parameters") continue;
      const std::string key = std::string(method) + " " + std::string(tmpl);
      auto seen = exercised_.find(key);
      for (const auto& [status, unused] : op.at("responses").as_object()) {
        const int code = std::stoi(std::string(status));
        const bool exempt =
            std::any_of(unreachable.begin(), unreachable.end(), [&](const Unreachable& u) {
              return u.status == code &&
                     (std::string_view(u.operation).empty() || key == u.operation);
            });
        if (!exempt && (seen == exercised_.end() || !seen->second.count(code))) {
          out.push_back(key + " never answered " + std::string(status));
        }
      }
    }
  }
  return out;
}

}  // namespace baladiya::testing

// The JSON API against its own OpenAPI document (src/cases/openapi.json), on the real server: the
// document is read from GET /api/v1/openapi.json, every operation is exercised for real, and every
// response is checked against the schema the document declares for its path, method, status and
// media type. A status, media type, query parameter or required header the document does not
// declare fails the test, so the document cannot drift from the code.
#include <boost/json.hpp>
#include <cmath>
#include <functional>
#include <set>

#include "app/app_fixture.h"
#include "platform/crypto/crypto.h"

namespace baladiya::app {
namespace {

namespace json = boost::json;
using http::testing::RawClient;
using testing::Browser;

// ---- A JSON Schema validator for the subset of 2020-12 the document uses ---------------------

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

class SchemaValidator {
 public:
  // root: the document "$ref"s point into; it must outlive the validator.
  explicit SchemaValidator(const json::value& root) : root_(root) {}

  // A local reference ("#/components/schemas/Case"), or null when it does not resolve.
  const json::value* Resolve(std::string_view ref) const {
    if (!ref.starts_with("#")) return nullptr;
    json::error_code ec;
    const json::value* v = root_.find_pointer(ref.substr(1), ec);
    return ec ? nullptr : v;
  }

  // The problems of instance against schema, as "<where>: <what>"; empty when it is valid.
  std::vector<std::string> Validate(const json::value& schema, const json::value& instance) const {
    std::vector<std::string> out;
    Check(schema, instance, "$", out, 0);
    return out;
  }

  // Problems of the schema itself: unknown keywords and references that do not resolve, in every
  // subschema (not only the branches an instance happens to visit).
  void Lint(const json::value& schema, const std::string& at, std::vector<std::string>& out) const {
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

 private:
  void Check(const json::value& schema, const json::value& v, const std::string& at,
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

  // enum, const, minimum, maximum, minLength, maxLength, pattern, format.
  static void CheckValue(const json::object& s, const json::value& v, const std::string& at,
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

  void CheckObject(const json::object& s, const json::object& o, const std::string& at,
                   std::vector<std::string>& out, int depth) const {
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

  void CheckArray(const json::object& s, const json::array& a, const std::string& at,
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

  void CheckCombinations(const json::object& s, const json::value& v, const std::string& at,
                         std::vector<std::string>& out, int depth) const {
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
      if (n != 1)
        out.push_back(at + ": " + Show(v) + " matches " + std::to_string(n) + " of oneOf");
    }
    if (const json::value* n = s.if_contains("not"); n && passes(*n))
      out.push_back(at + ": " + Show(v) + " matches what \"not\" excludes");
  }

  const json::value& root_;
};

// The validator must be able to say no, or the conformance tests below prove nothing.
TEST(ApiSchemaValidator, AcceptsWhatTheSchemaAllowsAndRefusesTheRest) {
  const json::value doc = json::parse(R"({"components": {"schemas": {
      "Text": {"type": "object", "required": ["ar", "en"], "additionalProperties": false,
               "properties": {"ar": {"type": "string"}, "en": {"type": "string"}}}}}})");
  SchemaValidator v(doc);
  struct Case {
    const char* schema;
    const char* instance;
    bool valid;
  } cases[] = {
      {R"({"$ref": "#/components/schemas/Text"})", R"({"ar": "نص", "en": "text"})", true},
      {R"({"$ref": "#/components/schemas/Text"})", R"({"ar": "نص"})", false},
      {R"({"$ref": "#/components/schemas/Text"})", R"({"ar": "", "en": "", "fr": ""})", false},
      {R"({"$ref": "#/components/schemas/Nope"})", R"({})", false},
      {R"({"type": "integer", "minimum": 1, "maximum": 3})", "2", true},
      {R"({"type": "integer", "minimum": 1})", "0", false},
      {R"({"type": "integer", "maximum": 3})", "4", false},
      {R"({"type": "integer"})", "2.5", false},
      {R"({"type": "integer"})", R"("2")", false},
      {R"({"type": ["string", "null"], "format": "date-time"})", "null", true},
      {R"({"type": ["string", "null"], "format": "date-time"})", R"("2026-03-01T08:00:00Z")", true},
      {R"({"type": "string", "format": "date-time"})", R"("2026-03-01 08:00")", false},
      {R"({"type": "string", "format": "email"})", R"("a@b.ps")", false},
      {R"({"enum": ["web", "api"]})", R"("api")", true},
      {R"({"enum": ["web", "api"]})", R"("fax")", false},
      {R"({"const": "invalid"})", R"("conflict")", false},
      {R"({"type": "string", "pattern": "^[A-Z]{3}$"})", R"("ILS")", true},
      {R"({"type": "string", "pattern": "^[A-Z]{3}$"})", R"("ils")", false},
      {R"({"type": "string", "maxLength": 3})", R"("نصوص")", false},
      {R"({"type": "string", "maxLength": 4})", R"("نصوص")", true},
      {R"({"type": "array", "items": {"type": "string"}, "minItems": 1})", R"(["a", 1])", false},
      {R"({"type": "array", "minItems": 1})", "[]", false},
      {R"({"type": "array", "maxItems": 1})", "[1, 2]", false},
      {R"({"type": "object", "additionalProperties": {"type": "string"}})", R"({"a": "x"})", true},
      {R"({"type": "object", "additionalProperties": {"type": "string"}})", R"({"a": 1})", false},
      {R"({"anyOf": [{"type": "string"}, {"type": "boolean"}]})", "true", true},
      {R"({"anyOf": [{"type": "string"}, {"type": "boolean"}]})", "1", false},
      {R"({"oneOf": [{"type": "integer"}, {"type": "number"}]})", "1", false},
      {R"({"oneOf": [{"type": "integer"}, {"type": "string"}]})", "1", true},
      {R"({"allOf": [{"type": "object"}, {"required": ["x"]}]})", R"({"y": 1})", false},
      {R"({"not": {"required": ["fields"]}})", R"({"fields": {}})", false},
      {R"({"type": "string", "nullable": true})", R"("x")", false},  // an unknown keyword
  };
  for (const auto& c : cases) {
    auto problems = v.Validate(json::parse(c.schema), json::parse(c.instance));
    EXPECT_EQ(problems.empty(), c.valid) << c.schema << " " << c.instance << "\n"
                                         << (problems.empty() ? "" : problems[0]);
  }
}

// ---- The document, and one exchange checked against it --------------------------------------

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

// One HTTP exchange: what was asked and what came back.
struct Exchange {
  std::string method;  // "GET"
  std::string target;  // path and query
  std::string request_body;
  std::string request_type;  // the request's media type, when it has a body
  std::string raw;           // the whole response
  int status = 0;
  std::string body;
  json::value json;  // the body parsed, null when it is not JSON

  std::string Header(const std::string& name) const { return RawClient::Header(raw, name); }
  // A member path such as "error.code" in the JSON body ("" when absent or not a string).
  std::string Str(std::initializer_list<std::string_view> path) const {
    const json::value* v = &json;
    for (auto key : path) {
      if (!v->is_object() || !v->as_object().contains(key)) return "";
      v = &v->as_object().at(key);
    }
    return v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
  }
};

class ApiDocument {
 public:
  explicit ApiDocument(json::value root) : root_(std::move(root)), schemas_(root_) {}

  const json::value& root() const { return root_; }
  const SchemaValidator& schemas() const { return schemas_; }
  const json::object& Paths() const { return root_.at("paths").as_object(); }

  // Follows "$ref" (responses, parameters, request bodies live in components too).
  const json::value& Deref(const json::value& v) const {
    if (!v.is_object() || !v.as_object().contains("$ref")) return v;
    const json::value* target = schemas_.Resolve(v.at("$ref").as_string());
    static const json::value kNull;
    return target ? Deref(*target) : kNull;
  }

  // The path template matching a concrete path ("/api/v1/cases/{tracking}"), or "".
  std::string Template(std::string_view path) const {
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
  std::vector<const json::object*> Parameters(const std::string& tmpl,
                                              const json::object& op) const {
    std::vector<const json::object*> out;
    for (const json::value* list :
         {Paths().at(tmpl).as_object().if_contains("parameters"), op.if_contains("parameters")}) {
      if (!list) continue;
      for (const auto& p : list->as_array()) out.push_back(Deref(p).if_object());
    }
    return out;
  }

  // Every way the exchange departs from the document.
  std::vector<std::string> Check(const Exchange& e) const {
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

 private:
  void CheckParameters(const std::string& tmpl, const json::object& op, const std::string& target,
                       std::vector<std::string>& out) const {
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
      if (!declared("query", name))
        out.push_back("the query parameter " + name + " is not declared");
    }
  }

  void CheckResponse(const json::value& response, const Exchange& e,
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
  void CheckRequest(const json::object& op, const Exchange& e,
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

  json::value root_;
  SchemaValidator schemas_;
};

// ---- The fixture: the real server, with helpers to call it as residents and staff ------------

constexpr char kApply[] =
    "/api/v1/municipalities/hebron/services/clearance-certificate/applications";

json::object ClearanceAnswers() {
  return {{"purpose", "bank"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}};
}

class ApiTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    // Served again with serve's body limit (the fixture's is the server's default, 1 MiB), so
    // that files up to the attachment limit reach the API as they do in production.
    server_->Stop();
    thread_.join();
    http::ServerOptions o;
    o.port = 0;
    o.max_body_bytes = static_cast<size_t>(Config{}.max_body_kb) * 1024;
    server_ = std::make_unique<http::Server>(o, web_->Handler());
    web_->Attach(server_.get());
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(false); });
    std::string res = RawClient::Get(server_->port(), "/api/v1/openapi.json");
    ASSERT_EQ(RawClient::Status(res), 200) << res;
    json::error_code ec;
    json::value root = json::parse(RawClient::Body(res), ec);
    ASSERT_FALSE(ec) << "the served document is not JSON: " << ec.message();
    ASSERT_TRUE(root.is_object() && root.as_object().contains("paths"));
    doc_ = std::make_unique<ApiDocument>(std::move(root));
  }

  // Sends one request (extra headers end in \r\n) and checks the exchange against the document.
  Exchange Call(const std::string& method, const std::string& target,
                const std::string& headers = "", const std::string& body = "",
                const std::string& type = "application/json") {
    std::string req =
        method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers;
    if (method != "GET") {
      req +=
          "Content-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    Exchange e{method, target, body, type,
               RawClient::Exchange(server_->port(), req + "\r\n" + body)};
    e.status = RawClient::Status(e.raw);
    e.body = RawClient::Body(e.raw);
    json::error_code ec;
    e.json = json::parse(e.body, ec);
    if (ec) e.json = nullptr;
    for (const auto& p : doc_->Check(e)) {
      ADD_FAILURE() << method << " " << target << " -> " << e.status << ": " << p << "\n"
                    << e.body.substr(0, 400);
    }
    const std::string tmpl = doc_->Template(target.substr(0, target.find('?')));
    exercised_[Lower(method) + " " + tmpl].insert(e.status);
    return e;
  }
  Exchange Get(const std::string& target, const std::string& headers = "") {
    return Call("GET", target, headers);
  }
  Exchange Post(const std::string& target, const json::value& body, const std::string& headers) {
    return Call("POST", target, headers, json::serialize(body));
  }
  // Sends a file as the body of an upload to a municipality.
  Exchange Upload(const std::string& slug, const std::string& bytes, const std::string& type,
                  const std::string& headers, const std::string& query = "") {
    return Call("POST", "/api/v1/municipalities/" + slug + "/uploads" + query, headers, bytes,
                type);
  }

  // A resident registered through the web forms: their session and its anti-forgery token.
  struct Resident {
    std::string sid;
    std::string csrf;
    std::string Cookie() const { return "Cookie: sid=" + sid + "\r\n"; }
    std::string Auth() const { return Cookie() + "X-CSRF-Token: " + csrf + "\r\n"; }
  };
  Resident SignUp(const std::string& national_id, const std::string& phone) {
    Browser b(server_->port());
    std::string res = Register(b, national_id, phone);
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    std::smatch m;
    static const std::regex kSid("set-cookie: sid=([^;\r]+)", std::regex::icase);
    EXPECT_TRUE(std::regex_search(res, m, kSid)) << res;
    EXPECT_EQ(RawClient::Status(b.Get("/account")), 200);  // a page whose forms carry the token
    EXPECT_FALSE(b.token().empty());
    return {m.size() > 1 ? m[1].str() : "", b.token()};
  }

  int64_t Municipality(const std::string& slug) {
    return web_->tenancy().FindMunicipality(slug)->id;
  }
  int64_t Department(const std::string& municipality, const std::string& slug) {
    auto departments = web_->tenancy().Departments(Municipality(municipality));
    for (const auto& d : departments.ok() ? *departments : std::vector<catalog::Department>{}) {
      if (d.slug == slug) return d.id;
    }
    ADD_FAILURE() << "no department " << slug;
    return 0;
  }
  // A staff account holding one grant; returns its id.
  int64_t Staff(const std::string& username, const identity::Grant& grant) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = grant.municipality_id;
    in.grants = {grant};
    auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
    EXPECT_TRUE(id.ok()) << id.error().detail;
    return id.ok() ? *id : 0;
  }
  // An API token for a new staff account with that one grant, as an Authorization header.
  std::string Token(const std::string& username, identity::Role role,
                    const std::string& municipality, const std::string& department = "") {
    identity::Grant g{role, Municipality(municipality),
                      department.empty() ? 0 : Department(municipality, department)};
    auto token =
        services_->api_tokens->Issue(Staff(username, g), g, "test", {"t", "t", 0}, NowMs());
    EXPECT_TRUE(token.ok()) << token.error().detail;
    EXPECT_EQ(token->rfind("bt_", 0), 0u);
    return "Authorization: Bearer " + *token + "\r\n";
  }

  // The scenarios. Each uses its own residents and staff, so they can run in one database.
  void Catalogue();
  void ResidentApplies();
  void StaffWorkTheQueue();
  void CounterFilesOnBehalfOfAResident();
  void FilesAreUploadedThenNamedInAnApplication();
  void UploadsAreRefusedForWhatTheyAre();
  void UploadIdsAreSpentOnceByTheirOwner();
  void AuditCheckpointsAndProofs();
  void SmsGatewayReceipts();

  std::unique_ptr<ApiDocument> doc_;
  std::map<std::string, std::set<int>> exercised_;  // "post /api/v1/..." -> statuses seen
};

// ---- The document itself ---------------------------------------------------------------------

// Calls fn(key, value, where) for every member of every object in v, depth first.
void EachMember(
    const json::value& v, const std::string& at,
    const std::function<void(std::string_view, const json::value&, const std::string&)>& fn) {
  if (const json::array* a = v.if_array()) {
    for (size_t i = 0; i < a->size(); ++i) EachMember((*a)[i], at + "/" + std::to_string(i), fn);
  }
  if (!v.is_object()) return;
  for (const auto& [k, sub] : v.as_object()) {
    fn(k, sub, at + "/" + std::string(k));
    EachMember(sub, at + "/" + std::string(k), fn);
  }
}

TEST_F(ApiTest, TheDocumentIsOpenApi31AndEverySchemaIsOneTheTestCanCheck) {
  const json::value& root = doc_->root();
  EXPECT_EQ(root.at("openapi"), "3.1.0");
  for (const char* scheme : {"sessionCookie", "csrfHeader", "apiToken"}) {
    EXPECT_TRUE(root.at("components").at("securitySchemes").as_object().contains(scheme)) << scheme;
  }
  // Every reference resolves, and every schema (components, parameters, bodies, responses,
  // headers) uses only keywords the validator checks.
  std::vector<std::string> problems;
  int schemas = 0;
  EachMember(root, "#", [&](std::string_view key, const json::value& v, const std::string& at) {
    if (key == "$ref" && !(v.is_string() && doc_->schemas().Resolve(v.as_string())))
      problems.push_back(at + ": does not resolve");
    if (key == "schema" || at.substr(0, at.rfind('/')) == "#/components/schemas") {
      ++schemas;
      doc_->schemas().Lint(v, at, problems);
    }
  });
  EXPECT_GT(schemas, 40);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, the first: " << problems[0];
}

TEST_F(ApiTest, EveryApiRouteIsDocumentedAndEveryDocumentedOperationIsARoute) {
  // Every route the program serves, of every module and the host's own: those added without an
  // access rule (the host's, and audit's below identity) are served to everyone.
  std::set<std::string> routes;
  for (const auto& [method, pattern] : host_->Routes()) {
    if (!pattern.starts_with("/api/")) continue;
    const std::string m = Lower(std::string(http::MethodName(method)));
    routes.insert(m + " " + pattern);
    const json::value* item = doc_->Paths().if_contains(pattern);
    EXPECT_TRUE(item && item->as_object().contains(m)) << "undocumented: " << m << " " << pattern;
    // Public routes say so; the others name how to authenticate.
    const identity::Access* rule = web_->routes().RuleFor(method, pattern);
    const bool open = !rule || rule->kind == identity::Access::Kind::kPublic;
    if (item && item->as_object().contains(m)) {
      const json::array& security = item->at(m).at("security").as_array();
      bool anyone = security.empty();
      // A route that checks its own credential (the SMS gateway's token) is public to the guard.
      if (!anyone && open) {
        for (const auto& s : security) anyone |= !s.as_object().contains("sessionCookie");
      }
      EXPECT_EQ(anyone, open) << pattern;
    }
  }
  EXPECT_GE(routes.size(), 12u);
  std::set<std::string> operation_ids;
  for (const auto& [tmpl, item] : doc_->Paths()) {
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").as_string())).second);
      EXPECT_TRUE(routes.count(std::string(method) + " " + std::string(tmpl)))
          << "documented but not served: " << method << " " << tmpl;
    }
  }
}

// ---- The operations, exercised ---------------------------------------------------------------

void ApiTest::Catalogue() {
  Exchange list = Get("/api/v1/municipalities/hebron/services");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  for (const auto& s : list.json.at("services").as_array()) {
    if (s.at("code") != "clearance-certificate") continue;
    found = true;
    EXPECT_EQ(s.at("name").at("ar"), "براءة ذمة");
    EXPECT_EQ(s.at("name").at("en"), "Clearance certificate");
    EXPECT_EQ(s.at("fee").at("base_minor"), 2000);
  }
  EXPECT_TRUE(found);
  // Search ignores Arabic spelling variants, in either language.
  for (const char* q : {"%D8%A8%D8%B1%D8%A7%D8%A1%D9%87%20%D8%B0%D9%85%D9%87", "clearance"}) {
    Exchange hits = Get(std::string("/api/v1/municipalities/hebron/services?q=") + q + "&lang=en");
    ASSERT_EQ(hits.status, 200) << q;
    ASSERT_FALSE(hits.json.at("services").as_array().empty()) << q;
    EXPECT_EQ(hits.json.at("services").at(0).at("code"), "clearance-certificate") << q;
  }
  EXPECT_TRUE(
      Get("/api/v1/municipalities/hebron/services?q=zzzz").json.at("services").as_array().empty());
  // A service carries both languages whatever the request's language.
  const std::string detail = "/api/v1/municipalities/hebron/services/clearance-certificate";
  Exchange ar = Get(detail);
  ASSERT_EQ(ar.status, 200);
  EXPECT_EQ(Get(detail + "?lang=en").body, ar.body);
  EXPECT_EQ(Get(detail, "Accept-Language: en\r\n").body, ar.body);
  const auto& purpose = ar.json.at("form").at("pages").at(0).at("fields").at(0);
  EXPECT_EQ(purpose.at("name"), "purpose");
  EXPECT_EQ(purpose.at("options").as_array().size(), 5u);
  // Errors speak the request's language: Arabic unless ?lang=en or the lang cookie says English.
  EXPECT_EQ(Get("/api/v1/municipalities/atlantis/services").Str({"error", "message"}),
            "غير موجود.");
  EXPECT_EQ(Get("/api/v1/municipalities/atlantis/services?lang=en").Str({"error", "message"}),
            "Not found.");
  EXPECT_EQ(Get(detail + "-nope", "Cookie: lang=en\r\n").Str({"error", "message"}), "Not found.");
  EXPECT_EQ(Get(detail + "-nope", "Accept-Language: en\r\n").Str({"error", "code"}), "not_found");
  Exchange self = Get("/api/v1/openapi.json");
  EXPECT_EQ(self.status, 200);
}

void ApiTest::ResidentApplies() {
  json::object submission{{"answers", ClearanceAnswers()}, {"idempotency_key", "resident-1"}};
  // No session: an anonymous POST fails the anti-forgery check before the API (an HTML page);
  // one that passes it (a double-submitted cookie, or an Authorization header) is 401.
  Exchange anon = Post(kApply, submission, "");
  EXPECT_EQ(anon.status, 403);
  EXPECT_EQ(anon.Header("content-type").rfind("text/html", 0), 0u);
  const std::string cookie(43, 'c');
  Exchange signed_out = Post(kApply + std::string("?lang=en"), submission,
                             "Cookie: csrf=" + cookie + "\r\nX-CSRF-Token: " + cookie + "\r\n");
  EXPECT_EQ(signed_out.status, 401);
  EXPECT_EQ(signed_out.Str({"error", "message"}), "Sign in first.");
  EXPECT_EQ(Post(kApply, submission, "Authorization: Bearer bt_unknown\r\n").status, 401);

  Resident salma = SignUp("401234562", "0599123456");
  EXPECT_EQ(Post(kApply, submission, salma.Cookie()).status, 403);  // no X-CSRF-Token
  const int64_t before = Count("cases");
  Exchange made = Post(kApply, submission, salma.Auth());
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string tracking = made.Str({"tracking"});
  EXPECT_EQ(made.Header("location"), "/api/v1/cases/" + tracking);
  EXPECT_EQ(made.Str({"channel"}), "api");
  EXPECT_EQ(made.Str({"state"}), "submitted");
  EXPECT_EQ(made.json.at("version"), 1);
  EXPECT_EQ(made.json.at("answers").at("addressed_to").at(0), "بنك فلسطين");
  Exchange again = Post(kApply, submission, salma.Auth());
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.Str({"tracking"}), tracking);
  EXPECT_EQ(Count("cases"), before + 1);

  // Wrong answers: 422 naming each field; malformed bodies: 400.
  Exchange wrong = Post(kApply + std::string("?lang=en"),
                        json::object{{"answers", {{"purpose", "lottery"}}}}, salma.Auth());
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(wrong.Str({"error", "code"}), "invalid");
  EXPECT_FALSE(wrong.Str({"error", "fields", "purpose"}).empty()) << wrong.body;
  EXPECT_FALSE(wrong.Str({"error", "fields", "delivery"}).empty()) << wrong.body;
  for (const char* bad : {"not json", "[]", R"({"answers": 5})", R"({"answers": {"purpose": {}}})",
                          R"({"answers": {"purpose": [1]}})"}) {
    EXPECT_EQ(Call("POST", kApply, salma.Auth(), bad).status, 400) << bad;
  }
  json::object long_key{{"answers", ClearanceAnswers()},
                        {"idempotency_key", std::string(101, 'k')}};
  EXPECT_EQ(Post(kApply, long_key, salma.Auth()).status, 422);
  json::object for_someone{{"answers", ClearanceAnswers()}, {"applicant_national_id", "401234570"}};
  EXPECT_EQ(Post(kApply, for_someone, salma.Auth()).status, 403);
  EXPECT_EQ(
      Post("/api/v1/municipalities/hebron/services/no-such/applications", submission, salma.Auth())
          .status,
      404);

  // The case and its history, for its applicant only.
  const std::string url = "/api/v1/cases/" + tracking;
  Exchange mine = Get(url, salma.Cookie());
  EXPECT_EQ(mine.status, 200);
  EXPECT_EQ(mine.Str({"tracking"}), tracking);
  Exchange events = Get(url + "/events", salma.Cookie());
  ASSERT_EQ(events.status, 200);
  ASSERT_EQ(events.json.at("events").as_array().size(), 1u);
  EXPECT_EQ(events.json.at("events").at(0).at("kind"), "submitted");
  EXPECT_EQ(events.json.at("events").at(0).at("channel"), "api");
  EXPECT_EQ(Get(url).status, 401);
  EXPECT_EQ(Get(url + "/events").status, 401);
  Resident other = SignUp("401234570", "0599123457");
  EXPECT_EQ(Get(url, other.Cookie()).status, 404);
  EXPECT_EQ(Get(url + "/events", other.Cookie()).status, 404);
  EXPECT_EQ(Get("/api/v1/cases/HEB-26-999999-0", salma.Cookie()).status, 404);

  // A resident cannot take staff actions, nor read a queue.
  json::object review{{"action", "start_review"}, {"version", 1}};
  Exchange refused = Post(url + "/transitions", review, salma.Auth());
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Str({"error", "code"}), "forbidden");
  EXPECT_EQ(Post(url + "/transitions", review, salma.Cookie()).status, 403);  // no token: HTML
  EXPECT_EQ(Post(url + "/transitions", review, other.Auth()).status, 404);
  EXPECT_EQ(Post(url + "/transitions", review, "Authorization: Bearer bt_x\r\n").status, 401);
  EXPECT_EQ(Get("/api/v1/municipalities/hebron/cases", salma.Cookie()).status, 403);
}

void ApiTest::StaffWorkTheQueue() {
  Resident rami = SignUp("401234588", "0599123458");
  Exchange made = Post(kApply, json::object{{"answers", ClearanceAnswers()}}, rami.Auth());
  ASSERT_EQ(made.status, 201);
  const std::string tracking = made.Str({"tracking"});
  const std::string url = "/api/v1/cases/" + tracking;
  const std::string clerk = Token("api.revenue", identity::Role::kClerk, "hebron", "revenue");
  const std::string queue = "/api/v1/municipalities/hebron/cases";
  auto listed = [&](const Exchange& page) {
    if (page.status != 200) return false;
    for (const auto& c : page.json.at("cases").as_array()) {
      if (Is(c.at("tracking"), tracking)) return true;
    }
    return false;
  };
  EXPECT_TRUE(listed(Get(queue, clerk)));
  Exchange filtered = Get(queue +
                              "?state=submitted&service=clearance-certificate&sla=on_time"
                              "&channel=api&sort=-submitted&offset=0&limit=10",
                          clerk);
  EXPECT_TRUE(listed(filtered));
  EXPECT_EQ(filtered.json.at("limit"), 10);
  EXPECT_FALSE(listed(Get(queue + "?state=closed&sort=submitted", clerk)));
  EXPECT_FALSE(listed(Get(queue + "?sla=overdue&sort=due", clerk)));
  for (const char* bad : {"?limit=0", "?limit=201", "?offset=-1", "?limit=abc", "?service=no-such"})
    EXPECT_EQ(Get(queue + bad, clerk).status, 422) << bad;
  EXPECT_EQ(Get(queue).status, 401);
  EXPECT_EQ(Get("/api/v1/municipalities/atlantis/cases", clerk).status, 404);  // an HTML page
  EXPECT_EQ(Get(queue, Token("api.nablus", identity::Role::kClerk, "nablus", "revenue")).status,
            403);

  // The clerk reads the case and moves it; a stale version and a wrong action change nothing.
  EXPECT_EQ(Get(url, clerk).status, 200);
  EXPECT_EQ(Get(url + "/events", clerk).status, 200);
  Exchange review =
      Post(url + "/transitions", json::object{{"action", "start_review"}, {"version", 1}}, clerk);
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_EQ(review.Str({"state"}), "in_review");
  EXPECT_EQ(review.json.at("version"), 2);
  Exchange stale =
      Post(url + "/transitions", json::object{{"action", "approve"}, {"version", 1}}, clerk);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Post(url + "/transitions", json::object{{"action", "complete"}, {"version", 2}}, clerk)
                .status,
            403);
  Exchange uncommented = Post(url + "/transitions?lang=en",
                              json::object{{"action", "ask_info"}, {"version", 2}}, clerk);
  EXPECT_EQ(uncommented.status, 422);
  EXPECT_FALSE(uncommented.Str({"error", "fields", "comment"}).empty()) << uncommented.body;
  for (const char* bad :
       {"{}", R"({"action": "approve"})", R"({"action": "approve", "version": "2"})", "x"})
    EXPECT_EQ(Call("POST", url + "/transitions", clerk, bad).status, 400) << bad;
  json::object ask{{"action", "ask_info"}, {"version", 2}, {"comment", "أرفق صورة الهوية"}};
  EXPECT_EQ(Post(url + "/transitions", ask, clerk).Str({"state"}), "needs_info");
  // The applicant answers with their session.
  Exchange answered =
      Post(url + "/transitions", json::object{{"action", "answer"}, {"version", 3}}, rami.Auth());
  EXPECT_EQ(answered.status, 200);
  EXPECT_EQ(answered.Str({"state"}), "in_review");
  EXPECT_EQ(Get(url + "/events", rami.Cookie()).json.at("events").as_array().size(), 4u);

  // Another department's clerk does not see the case; a staff session without its second
  // factor reaches nothing.
  const std::string water = Token("api.water", identity::Role::kClerk, "hebron", "water");
  EXPECT_EQ(Get(url, water).status, 404);
  EXPECT_EQ(
      Post(url + "/transitions", json::object{{"action", "approve"}, {"version", 4}}, water).status,
      404);
  EXPECT_FALSE(listed(Get(queue, water)));
  const int64_t id = Staff("api.nomfa", {identity::Role::kClerk, Municipality("hebron"), 0});
  const std::string half =
      "Cookie: sid=" + *services_->sessions->Create(id, true, false, NowMs()) + "\r\n";
  Exchange mfa = Get(url, half);
  EXPECT_EQ(mfa.status, 401);
  EXPECT_EQ(mfa.Str({"error", "code"}), "mfa_required");
}

void ApiTest::CounterFilesOnBehalfOfAResident() {
  Resident huda = SignUp("401234596", "0599123459");
  const std::string desk = Token("api.desk", identity::Role::kCounterClerk, "hebron");
  json::object filing{{"answers", ClearanceAnswers()}, {"applicant_national_id", "401234596"}};
  Exchange filed = Post(kApply, filing, desk);
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.Str({"channel"}), "counter");
  // The case is the resident's.
  Exchange theirs = Get(filed.Header("location"), huda.Cookie());
  EXPECT_EQ(theirs.status, 200);
  EXPECT_EQ(theirs.Str({"tracking"}), filed.Str({"tracking"}));
  // By phone, for a service offered by phone; numbers may be sent as numbers.
  json::object report{{"answers",
                       {{"location", "دوار ابن رشد"},
                        {"problem", "not_working"},
                        {"lights_affected", 3},
                        {"description", "الشارع مظلم منذ ليلتين"}}},
                      {"applicant_national_id", "401234596"},
                      {"channel", "phone"}};
  Exchange phoned =
      Post("/api/v1/municipalities/hebron/services/street-light-report/applications", report, desk);
  ASSERT_EQ(phoned.status, 201) << phoned.body;
  EXPECT_EQ(phoned.Str({"channel"}), "phone");
  EXPECT_EQ(phoned.json.at("answers").at("lights_affected").at(0), "3");
  filing["channel"] = "phone";  // clearance certificates are not offered by phone
  EXPECT_EQ(Post(kApply + std::string("?lang=en"), filing, desk).Str({"error", "message"}),
            "This service is not offered through this channel.");
  // Whom for: required, and a registered resident.
  for (const char* who : {"", "204567895", "api.desk"}) {
    json::object body{{"answers", ClearanceAnswers()}};
    if (*who) body["applicant_national_id"] = who;
    EXPECT_EQ(Post(kApply, body, desk).status, 422) << who;
  }
  // A clerk does not file for others; a counter clerk does not work cases.
  const std::string clerk = Token("api.filer", identity::Role::kClerk, "hebron", "revenue");
  EXPECT_EQ(Post(kApply, filing, clerk).status, 403);
  EXPECT_EQ(Get(filed.Header("location"), desk).status, 200);  // the clerk who filed it reads it
  EXPECT_EQ(Get("/api/v1/municipalities/hebron/cases", desk).status, 403);
}

// Small files that start as a PDF, a PNG and a JPEG do: what the type is read from.
const std::string kPdf = "%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const std::string kPng = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11);
constexpr char kReport[] =
    "/api/v1/municipalities/hebron/services/street-light-report/applications";

// A street-light report (its photos field takes up to 3 files), with the photos given.
json::object LightReport(json::value photos, const std::string& key = "") {
  json::object answers{{"location", "دوار المنارة"},
                       {"problem", "damaged_pole"},
                       {"lights_affected", 1},
                       {"description", "العمود مائل فوق الرصيف"}};
  if (!photos.is_null()) answers["photos"] = std::move(photos);
  json::object body{{"answers", std::move(answers)}};
  if (!key.empty()) body["idempotency_key"] = key;
  return body;
}

void ApiTest::FilesAreUploadedThenNamedInAnApplication() {
  Resident noor = SignUp("401234612", "0599123460");
  const std::string name = "صورة العمود.pdf";
  Exchange pdf =
      Upload("hebron", kPdf, "application/pdf", noor.Auth(), "?name=" + http::PercentEncode(name));
  ASSERT_EQ(pdf.status, 201) << pdf.body;
  EXPECT_EQ(pdf.Str({"file_name"}), name);
  EXPECT_EQ(pdf.Str({"content_type"}), "application/pdf");
  EXPECT_EQ(pdf.json.at("size").to_number<int64_t>(), static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(pdf.Str({"sha256"}), crypto::Sha256Hex(kPdf));
  // The content says what a file is: a PNG sent as application/octet-stream is a PNG.
  Exchange png = Upload("hebron", kPng, "application/octet-stream", noor.Auth());
  ASSERT_EQ(png.status, 201) << png.body;
  EXPECT_EQ(png.Str({"content_type"}), "image/png");
  EXPECT_EQ(png.Str({"file_name"}), "file.png");
  EXPECT_NE(png.Str({"id"}), pdf.Str({"id"}));
  EXPECT_EQ(Count("case_attachments WHERE upload_token IS NOT NULL"), 2);

  // Named in an application, they become the case's files in its transaction, and are spent.
  const json::object report = LightReport(
      json::array{json::string(pdf.Str({"id"})), json::string(png.Str({"id"}))}, "lights-1");
  const int64_t before = Count("cases");
  Exchange made = Post(kReport, report, noor.Auth());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string tracking = made.Str({"tracking"});
  const json::array& files = made.json.at("attachments").as_array();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(Is(files[0].at("sha256"), crypto::Sha256Hex(kPdf)));
  EXPECT_TRUE(Is(files[0].at("file_name"), name));
  EXPECT_TRUE(Is(files[1].at("content_type"), "image/png"));
  EXPECT_EQ(files[0].at("field"), "photos");
  EXPECT_EQ(made.json.at("answers").at("photos"),
            json::value(json::array{files[0].at("id"), files[1].at("id")}));
  EXPECT_EQ(Count("case_attachments WHERE upload_token IS NOT NULL"), 0);
  // A retry with the same idempotency key is the same case, though its uploads are spent now.
  Exchange again = Post(kReport, report, noor.Auth());
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Str({"tracking"}), tracking);
  EXPECT_EQ(again.json.at("attachments").as_array().size(), 2u);
  EXPECT_EQ(Count("cases"), before + 1);
  EXPECT_EQ(Get("/api/v1/cases/" + tracking, noor.Cookie()).json.at("attachments"),
            json::value(files));

  // The applicant reads each file back as a download, with the type read from its content.
  const std::string href(files[0].at("href").as_string());
  Exchange back = Get(href, noor.Cookie());
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.body, kPdf);
  EXPECT_EQ(back.Header("content-type"), "application/pdf");
  EXPECT_EQ(back.Header("content-disposition"),
            "attachment; filename=\"file\"; filename*=UTF-8''" + http::PercentEncode(name));
  EXPECT_EQ(back.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(Get(std::string(files[1].at("href").as_string()), noor.Cookie()).body, kPng);
  // So do staff who work the case's department; nobody else, whatever they may do elsewhere.
  EXPECT_EQ(
      Get(href, Token("api.engineering", identity::Role::kClerk, "hebron", "engineering")).body,
      kPdf);
  EXPECT_EQ(Get(href, Token("api.water.files", identity::Role::kClerk, "hebron", "water")).status,
            404);
  EXPECT_EQ(Get(href, Token("api.nablus.files", identity::Role::kClerk, "nablus")).status, 404);
  Resident other = SignUp("401234620", "0599123461");
  EXPECT_EQ(Get(href, other.Cookie()).status, 404);
  EXPECT_EQ(Get(href).status, 401);
  const std::string mine = "/api/v1/cases/" + tracking + "/attachments/";
  for (const char* bad : {"f999999", "f0", "42", "photo.pdf"})
    EXPECT_EQ(Get(mine + bad, noor.Cookie()).status, 404) << bad;
  EXPECT_EQ(Get("/api/v1/cases/HEB-26-999999-0/attachments/f1", noor.Cookie()).status, 404);

  // A counter clerk uploads a scan and files it for the resident: the case and its files are
  // theirs; the clerk reads the case they filed but, as on the site, not its files.
  const std::string desk = Token("api.desk.files", identity::Role::kCounterClerk, "hebron");
  Exchange scan = Upload("hebron", kJpeg, "image/jpeg", desk, "?name=scan.jpg");
  ASSERT_EQ(scan.status, 201) << scan.body;
  json::object filing = LightReport(json::string(scan.Str({"id"})));
  filing["applicant_national_id"] = "401234612";
  Exchange filed = Post(kReport, filing, desk);
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.Str({"channel"}), "counter");
  const std::string scanned(filed.json.at("attachments").at(0).at("href").as_string());
  EXPECT_EQ(Get(scanned, noor.Cookie()).body, kJpeg);
  EXPECT_EQ(Get(filed.Header("location"), desk).status, 200);
  EXPECT_EQ(Get(scanned, desk).status, 404);
}

void ApiTest::UploadsAreRefusedForWhatTheyAre() {
  Resident rana = SignUp("401234638", "0599123462");
  const int64_t stored = Count("case_attachments");
  struct Refusal {
    std::string bytes;
    std::string type;
    std::string query;
    int status;
    const char* code;
  };
  const Refusal refusals[] = {
      {"plain text that says it is a PDF", "application/pdf", "", 415, "unsupported_type"},
      {kPng, "application/pdf", "", 415, "unsupported_type"},  // not what it claims to be
      {kJpeg, "image/png", "", 415, "unsupported_type"},
      {"<svg/>", "application/octet-stream", "", 415, "unsupported_type"},
      {kPdf, "text/plain", "", 415, "unsupported_type"},
      {"", "application/pdf", "", 415, "unsupported_type"},
      {"%PDF-" + std::string(cases::kMaxAttachmentBytes - 4, 'x'), "application/pdf", "", 413,
       "too_large"},
      {kPdf, "application/pdf", "?name=plans%2Fsite.pdf", 422, "invalid"},
      {kPdf, "application/pdf", "?name=site%01.pdf", 422, "invalid"},
      {kPdf, "application/pdf", "?name=" + std::string(256, 'n'), 422, "invalid"},
  };
  for (const auto& r : refusals) {
    Exchange e = Upload("hebron", r.bytes, r.type, rana.Auth(), r.query);
    EXPECT_EQ(e.status, r.status) << r.type << " " << r.query << " " << e.body;
    EXPECT_EQ(e.Str({"error", "code"}), r.code) << r.type << " " << r.query;
  }
  Exchange mismatch = Upload("hebron", kPng, "application/pdf", rana.Auth(), "?lang=en");
  EXPECT_EQ(mismatch.Str({"error", "message"}),
            "The file's content is not of the type its Content-Type header names.");
  Exchange named = Upload("hebron", kPdf, "application/pdf", rana.Auth(), "?name=a%2Fb&lang=en");
  EXPECT_FALSE(named.Str({"error", "fields", "name"}).empty()) << named.body;
  EXPECT_EQ(Count("case_attachments"), stored);

  // Who may upload, and where.
  EXPECT_EQ(Upload("atlantis", kPdf, "application/pdf", rana.Auth()).status, 404);
  Exchange unguarded = Upload("hebron", kPdf, "application/pdf", rana.Cookie());
  EXPECT_EQ(unguarded.status, 403);  // a session's POST without its anti-forgery token
  EXPECT_EQ(unguarded.Header("content-type").rfind("text/html", 0), 0u);
  const std::string cookie(43, 'c');
  EXPECT_EQ(Upload("hebron", kPdf, "application/pdf",
                   "Cookie: csrf=" + cookie + "\r\nX-CSRF-Token: " + cookie + "\r\n")
                .status,
            401);
  Exchange clerk = Upload("hebron", kPdf, "application/pdf",
                          Token("api.upload.clerk", identity::Role::kClerk, "hebron", "revenue"));
  EXPECT_EQ(clerk.status, 403);  // staff upload only where they file for residents
  EXPECT_EQ(clerk.Str({"error", "code"}), "forbidden");
  EXPECT_EQ(Count("case_attachments"), stored);

  // An account holds a bounded number of unused uploads.
  for (int i = 0; i < cases::kMaxWaitingUploads; ++i)
    ASSERT_EQ(Upload("hebron", kPdf, "application/pdf", rana.Auth()).status, 201) << i;
  Exchange full = Upload("hebron", kPdf, "application/pdf", rana.Auth());
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.Str({"error", "code"}), "conflict");
  EXPECT_EQ(Count("case_attachments"), stored + cases::kMaxWaitingUploads);
}

void ApiTest::UploadIdsAreSpentOnceByTheirOwner() {
  Resident sami = SignUp("401234646", "0599123463");
  Resident lina = SignUp("401234653", "0599123464");
  auto upload = [&](const Resident& who, const std::string& slug) {
    Exchange e = Upload(slug, kPng, "image/png", who.Auth());
    EXPECT_EQ(e.status, 201) << e.body;
    return json::string(e.Str({"id"}));
  };
  const json::string mine = upload(sami, "hebron");
  const int64_t cases_before = Count("cases");
  const int64_t waiting = Count("case_attachments WHERE upload_token IS NOT NULL");
  // An id that is not one of the caller's uploads for this municipality is refused, naming the
  // field, and nothing is stored: the caller's own upload named beside it stays unused.
  const std::string report_en = kReport + std::string("?lang=en");
  const json::string others[] = {json::string("up_" + std::string(43, 'A')), upload(lina, "hebron"),
                                 upload(sami, "nablus"), json::string("f1")};
  for (const auto& id : others) {
    Exchange refused = Post(report_en, LightReport(json::array{mine, id}), sami.Auth());
    EXPECT_EQ(refused.status, 422) << id;
    EXPECT_EQ(refused.Str({"error", "fields", "photos"}),
              "This id names no usable upload of yours in this municipality: it may have expired "
              "or been used already.")
        << id;
  }
  // More files than the field takes (photos: 3).
  Exchange crowded = Post(report_en,
                          LightReport(json::array{mine, upload(sami, "hebron"),
                                                  upload(sami, "hebron"), upload(sami, "hebron")}),
                          sami.Auth());
  EXPECT_EQ(crowded.status, 422);
  EXPECT_EQ(crowded.Str({"error", "fields", "photos"}), "You attached more files than allowed.");
  EXPECT_EQ(Count("cases"), cases_before);
  EXPECT_EQ(Count("case_attachments WHERE upload_token IS NOT NULL"), waiting + 5);
  // Used once: a second application naming the same upload is refused.
  EXPECT_EQ(Post(kReport, LightReport(mine), sami.Auth()).status, 201);
  EXPECT_EQ(Post(kReport, LightReport(mine), sami.Auth()).status, 422);
  EXPECT_EQ(Count("cases"), cases_before + 1);
}

TEST_F(ApiTest, TheCatalogueIsPublicAndBilingual) { Catalogue(); }
TEST_F(ApiTest, AResidentAppliesAndFollowsTheirCase) { ResidentApplies(); }
TEST_F(ApiTest, StaffTokensWorkTheQueueWithOptimisticConcurrency) { StaffWorkTheQueue(); }
TEST_F(ApiTest, ACounterClerkFilesOnBehalfOfAResident) { CounterFilesOnBehalfOfAResident(); }
TEST_F(ApiTest, FilesAreUploadedThenNamedInAnApplication) {
  FilesAreUploadedThenNamedInAnApplication();
}
TEST_F(ApiTest, UploadsAreRefusedForWhatTheyAre) { UploadsAreRefusedForWhatTheyAre(); }
TEST_F(ApiTest, UploadIdsAreSpentOnceByTheirOwner) { UploadIdsAreSpentOnceByTheirOwner(); }

// The audit log's public API: no checkpoint yet, then one; proofs of entries it covers.
void ApiTest::AuditCheckpointsAndProofs() {
  Exchange none = Get("/api/v1/audit/checkpoint?lang=en");
  ASSERT_EQ(none.status, 404);
  EXPECT_EQ(none.json.at("error").at("code"), "not_found");
  EXPECT_EQ(Get("/api/v1/audit/proof?index=0").status, 404);  // no checkpoint covers it yet
  SignUp("000000018", "0599000001");                          // something to log
  ASSERT_TRUE(services_->audit->WriteCheckpoint(Now()).ok());
  Exchange checkpoint = Get("/api/v1/audit/checkpoint");
  ASSERT_EQ(checkpoint.status, 200);
  EXPECT_GE(checkpoint.json.at("tree_size").as_int64(), 1);
  EXPECT_EQ(checkpoint.json.at("format"), "baladiya-audit-checkpoint/v1");
  Exchange proof = Get("/api/v1/audit/proof?index=0");
  ASSERT_EQ(proof.status, 200);
  EXPECT_EQ(proof.json.at("index"), 0);
  EXPECT_EQ(Get("/api/v1/audit/proof?index=-1").status, 400);
  EXPECT_EQ(Get("/api/v1/audit/proof?index=x").status, 400);
  EXPECT_EQ(Get("/api/v1/audit/proof?index=100000").status, 404);
  // Consistency between two sizes the latest checkpoint covers (RFC 9162 2.1.4).
  const int64_t size = checkpoint.json.at("tree_size").as_int64();
  Exchange consistency = Get("/api/v1/audit/consistency?first=1&second=" + std::to_string(size));
  ASSERT_EQ(consistency.status, 200);
  EXPECT_EQ(consistency.json.at("second"), size);
  EXPECT_EQ(Get("/api/v1/audit/consistency?first=2&second=1").status, 400);
  EXPECT_EQ(Get("/api/v1/audit/consistency?first=1&second=100000").status, 404);
}

// The SMS gateway reports what became of a message it accepted.
void ApiTest::SmsGatewayReceipts() {
  Browser anon(server_->port());
  Register(anon, "401234562", "0599123456");
  Browser forgot(server_->port());
  forgot.Get("/password/forgot");
  forgot.Post("/password/forgot", {{"login", "401234562"}});  // an SMS with a reset code
  // The code is issued once the answer has been written (its timing must tell nothing).
  auto run = dispatcher_->RunOnce(Now());
  for (int i = 0; i < 200 && run.ok() && run->sent == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    run = dispatcher_->RunOnce(Now());
  }
  ASSERT_TRUE(run.ok());
  auto sent = gateway_->received();
  ASSERT_FALSE(sent.empty());
  const std::string reference(sent.back().body.at("reference").as_string());
  const std::string auth = std::string("Authorization: Bearer ") + kSmsToken + "\r\n";
  const std::string path = "/api/v1/notify/sms-receipts";
  EXPECT_EQ(Post(path, json::object{{"reference", reference}, {"status", "delivered"}}, "").status,
            401);
  EXPECT_EQ(Post(path, json::object{{"reference", reference}, {"status", "maybe"}}, auth).status,
            400);
  EXPECT_EQ(Post(path, json::object{{"reference", "nope"}, {"status", "failed"}}, auth).status,
            404);
  Exchange ok = Post(path, json::object{{"reference", reference}, {"status", "delivered"}}, auth);
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json.at("ok"), true);
}

TEST_F(ApiTest, AuditCheckpointsAndProofs) { AuditCheckpointsAndProofs(); }
TEST_F(ApiTest, SmsGatewayReceipts) { SmsGatewayReceipts(); }

// Statuses no test can provoke from outside: storage failures, a server built without its
// document, and a storage conflict while a case is inserted.
struct Unreachable {
  const char* operation;  // "" = every operation
  int status;
};
constexpr Unreachable kUnreachable[] = {
    {"", 503},
    {"post /api/v1/municipalities/{slug}/services/{code}/applications", 409},
};

TEST_F(ApiTest, EveryDocumentedResponseIsExercised) {
  Catalogue();
  ResidentApplies();
  StaffWorkTheQueue();
  CounterFilesOnBehalfOfAResident();
  FilesAreUploadedThenNamedInAnApplication();
  UploadsAreRefusedForWhatTheyAre();
  UploadIdsAreSpentOnceByTheirOwner();
  AuditCheckpointsAndProofs();
  SmsGatewayReceipts();
  for (const auto& [tmpl, item] : doc_->Paths()) {
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      const std::string key = std::string(method) + " " + std::string(tmpl);
      for (const auto& [status, unused] : op.at("responses").as_object()) {
        const int code = std::stoi(std::string(status));
        bool exempt = std::any_of(std::begin(kUnreachable), std::end(kUnreachable), [&](auto& u) {
          return u.status == code && (std::string_view(u.operation).empty() || key == u.operation);
        });
        EXPECT_TRUE(exempt || exercised_[key].count(code)) << key << " never answered " << status;
      }
    }
  }
}

}  // namespace
}  // namespace baladiya::app

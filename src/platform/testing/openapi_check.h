// Test-only: a module's JSON API held against the OpenAPI document the program serves
// (/api/v1/openapi.json, assembled from the modules' fragments). ApiClient sends requests to a
// harness's server and checks every exchange against the document: a status, media type, query
// parameter or required header the document does not declare, or a body its schema refuses, is a
// test failure; and it records which documented responses were answered, so that a module's test
// can require every response its fragment documents to be exercised (Unexercised).
//
// The schemas are checked by a validator of the JSON Schema 2020-12 keywords the documents use;
// any other keyword is reported, so that a document cannot rely on a rule nothing checks.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/embedded.h"
#include "platform/testing/golden.h"
#include "platform/testing/web_harness.h"

namespace baladiya::testing {

class SchemaValidator {
 public:
  // root: the document "$ref"s point into; it must outlive the validator.
  explicit SchemaValidator(const boost::json::value& root) : root_(root) {}

  // A local reference ("#/components/schemas/Case"), or null when it does not resolve.
  const boost::json::value* Resolve(std::string_view ref) const;
  // The problems of instance against schema, as "<where>: <what>"; empty when it is valid.
  std::vector<std::string> Validate(const boost::json::value& schema,
                                    const boost::json::value& instance) const;
  // Problems of the schema itself: unknown keywords and references that do not resolve, in every
  // subschema (not only the branches an instance happens to visit).
  void Lint(const boost::json::value& schema, const std::string& at,
            std::vector<std::string>& out) const;

 private:
  void Check(const boost::json::value& schema, const boost::json::value& v, const std::string& at,
             std::vector<std::string>& out, int depth) const;
  void CheckObject(const boost::json::object& s, const boost::json::object& o,
                   const std::string& at, std::vector<std::string>& out, int depth) const;
  void CheckArray(const boost::json::object& s, const boost::json::array& a, const std::string& at,
                  std::vector<std::string>& out, int depth) const;
  void CheckCombinations(const boost::json::object& s, const boost::json::value& v,
                         const std::string& at, std::vector<std::string>& out, int depth) const;

  const boost::json::value& root_;
};

// One HTTP exchange: what was asked and what came back.
struct Exchange {
  std::string method;  // "GET"
  std::string target;  // path and query
  std::string request_body;
  std::string request_type;  // the request's media type, when it has a body
  std::string raw;           // the whole response
  int status = 0;
  std::string body;
  boost::json::value json;  // the body parsed, null when it is not JSON

  std::string Header(const std::string& lower_name) const;
  // A member path such as {"error", "code"} in the JSON body ("" when absent; a value that is
  // not a string is given serialised).
  std::string Str(std::initializer_list<std::string_view> path) const;
};

class ApiDocument {
 public:
  explicit ApiDocument(boost::json::value root) : root_(std::move(root)), schemas_(root_) {}

  const boost::json::value& root() const { return root_; }
  const SchemaValidator& schemas() const { return schemas_; }
  const boost::json::object& Paths() const { return root_.at("paths").as_object(); }
  // Follows "$ref" (responses, parameters, request bodies live in components too).
  const boost::json::value& Deref(const boost::json::value& v) const;
  // The path template matching a concrete path ("/api/v1/cases/{tracking}"), or "".
  std::string Template(std::string_view path) const;
  // Every way the exchange departs from the document.
  std::vector<std::string> Check(const Exchange& e) const;

 private:
  std::vector<const boost::json::object*> Parameters(const std::string& tmpl,
                                                     const boost::json::object& op) const;
  void CheckParameters(const std::string& tmpl, const boost::json::object& op,
                       const std::string& target, std::vector<std::string>& out) const;
  void CheckResponse(const boost::json::value& response, const Exchange& e,
                     std::vector<std::string>& out) const;
  void CheckRequest(const boost::json::object& op, const Exchange& e,
                    std::vector<std::string>& out) const;

  boost::json::value root_;
  SchemaValidator schemas_;
};

// A documented response no test can provoke from outside (a storage failure: 503).
struct Unreachable {
  const char* operation;  // "post /api/v1/..."; "" = every operation
  int status;
};

// The document's part of one module: its OpenAPI fragment (module::Module::openapi).
boost::json::value OpenApiFragment(std::span<const EmbeddedFile> files);

class ApiClient {
 public:
  explicit ApiClient(uint16_t port) : port_(port) {}
  // Reads the served document; a test failure (and false) when it cannot.
  bool Load();
  // The server moved (WebHarness::Restart).
  void set_port(uint16_t port) { port_ = port; }
  const ApiDocument& document() const { return *doc_; }

  // Sends one request (extra headers end in CRLF) and checks the exchange against the document.
  Exchange Call(const std::string& method, const std::string& target,
                const std::string& headers = "", const std::string& body = "",
                const std::string& type = "application/json");
  Exchange Get(const std::string& target, const std::string& headers = "") {
    return Call("GET", target, headers);
  }
  Exchange Post(const std::string& target, const boost::json::value& body,
                const std::string& headers) {
    return Call("POST", target, headers, boost::json::serialize(body));
  }
  // Checks an exchange made otherwise and records it.
  void Record(const Exchange& e);
  // The same for a golden file's exchange (GoldenOptions::observe), its request as sent.
  void RecordGolden(const GoldenFile& g, const Reply& r,
                    const std::map<std::string, std::string>& values);

  // "get /api/v1/... never answered 404" for each response documented for an operation of the
  // fragment (every operation of the document when fragment is null) that no exchange answered,
  // except the unreachable ones.
  std::vector<std::string> Unexercised(const boost::json::value* fragment,
                                       std::span<const Unreachable> unreachable) const;

 private:
  uint16_t port_;
  std::unique_ptr<ApiDocument> doc_;
  std::map<std::string, std::set<int>> exercised_;  // "post /api/v1/..." -> statuses seen
};

}  // namespace baladiya::testing

// HTTP types the rest of the program sees. Boost.Beast stays inside server.cpp, so that modules
// compile fast and know nothing of the transport.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baladiya::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view MethodName(Method method);
Method ParseMethod(std::string_view name);

// Case-insensitive header map (names are stored lower-case).
class Headers {
 public:
  void Set(std::string_view name, std::string value);
  void Add(std::string_view name, std::string value);  // keeps earlier values (Set-Cookie)
  // The first value, or empty.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& All() const { return items_; }
  // Calls fn with each value of the named header, which it may change in place.
  void Update(std::string_view name, const std::function<void(std::string&)>& fn);

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Ordered multi-map of decoded query or form parameters.
class Params {
 public:
  void Add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
  }
  // The first value, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  std::vector<std::string_view> GetAll(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& All() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// A request as handlers see it. Filled by the server, then by middleware (request_id, lang,
// attributes), then by the router (route, path_params).
struct Request {
  Method method = Method::kGet;
  std::string method_name;  // as received, for logs and 405/501
  std::string target;       // raw request target, e.g. "/m/hebron?lang=en"
  std::string path;         // percent-decoded path (valid UTF-8)
  Params query;             // decoded query parameters
  Headers headers;
  std::string body;
  std::string remote_address;
  std::string request_id;         // always the server's own (RequestId middleware)
  std::string client_request_id;  // a well-formed X-Request-Id the client sent, for the access log
  std::string route;              // the matched route pattern, e.g. "/m/{slug}"
  std::map<std::string, std::string> path_params;
  std::map<std::string, std::string> attributes;  // per-request values set by middleware
  // Who is acting, set by the authentication middleware (an identity::Principal); the HTTP
  // layer only carries it.
  std::shared_ptr<const void> principal;
  bool keep_alive = true;

  // The path parameter as text (already decoded), or empty.
  std::string_view PathParam(std::string_view name) const;
  // The named cookie's value, or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;
  // application/x-www-form-urlencoded body decoded; empty on other content types or bad encoding.
  Params Form() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set when the connection must close after this response (malformed input, shutdown).
  bool close = false;
  // Header lines ("name: value\r\n" each) that many responses share, serialised once by their
  // owner (e.g. the security headers); written after `headers`. The text must outlive the
  // response's writing: owners keep it for the server's lifetime.
  std::string_view fixed_headers;
  // Work to do once the response has been written, on the thread that handled the request,
  // before the connection reads its next request. For work whose duration must not show in the
  // answer's timing (e.g. issuing a reset code only when an account exists). Must not throw.
  std::function<void()> after;

  static Response Text(int status, std::string body);
  static Response Html(int status, std::string body);
  static Response Json(int status, std::string body);
  static Response Redirect(std::string location, int status = 303);
};

using Handler = std::function<Response(Request&)>;

// Handlers from the member functions of one object that a module's pages share:
//   auto on = http::MemberHandlers(std::make_shared<Pages>(options));
//   routes.Get("/x", access, on(&Pages::Show));
template <class Pages>
auto MemberHandlers(std::shared_ptr<Pages> pages) {
  return [pages = std::move(pages)](Response (Pages::*fn)(Request&)) -> Handler {
    return [pages, fn](Request& r) { return ((*pages).*fn)(r); };
  };
}
// Middleware wraps the rest of the chain: it may change the request, short-circuit with its own
// response, or call next and change the response.
using Middleware = std::function<Response(Request&, const Handler& next)>;

// Standard reason phrase for a status code ("Not Found").
std::string_view StatusText(int status);

}  // namespace baladiya::http

// Maps (method, path) to a handler. Patterns are literal segments and typed parameters:
//   "/m/{slug}"             slug: one non-empty segment
//   "/api/v1/cases/{id:int}"  digits only (fits in int64)
//   "/assets/{file:path}"   the rest of the path, may hold '/' (must be last)
// Literal segments win over parameters when both match. A path that matches a pattern but not
// the method yields kMethodNotAllowed with the allowed methods; HEAD is served by GET handlers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/http.h"

namespace baladiya::http {

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers a route. Aborts on a malformed pattern or a duplicate (a programming error).
  void Add(Method method, std::string_view pattern, Handler handler);
  void Get(std::string_view pattern, Handler handler) {
    Add(Method::kGet, pattern, std::move(handler));
  }
  void Post(std::string_view pattern, Handler handler) {
    Add(Method::kPost, pattern, std::move(handler));
  }

  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Handler* handler = nullptr;  // valid while the router lives
    std::string pattern;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<Method> allowed;  // for kMethodNotAllowed (and to answer OPTIONS)
  };
  Match Find(Method method, std::string_view path) const;

  // Every registered (method, pattern), for tests that walk all routes.
  std::vector<std::pair<Method, std::string>> Routes() const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::pair<Method, std::string>> routes_;
};

// "GET, HEAD, POST" for an Allow header.
std::string AllowHeader(const std::vector<Method>& methods);

}  // namespace baladiya::http

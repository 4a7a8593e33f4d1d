#include "platform/http/router.h"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace baladiya::http {

namespace {

enum class ParamType { kSegment, kInt, kPath };

bool IsDigits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;  // 18 digits always fit in int64
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Splits "/a/b/" into {"a", "b", ""}; the root "/" yields no segments.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.size() <= 1) return out;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

[[noreturn]] void BadPattern(std::string_view pattern, const char* why) {
  (void)std::fprintf(stderr, "router: bad pattern %.*s: %s\n", static_cast<int>(pattern.size()),
                     pattern.data(), why);
  std::abort();
}

}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
  // At most one parameter child per node; its name and type.
  std::unique_ptr<Node> param;
  std::string param_name;
  ParamType param_type = ParamType::kSegment;
  std::map<Method, Handler> handlers;
  std::string pattern;
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(Method method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') BadPattern(pattern, "must start with '/'");
  Node* node = root_.get();
  auto segments = Segments(pattern);
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string_view seg = segments[i];
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string_view inner = seg.substr(1, seg.size() - 2);
      size_t colon = inner.find(':');
      std::string name(inner.substr(0, colon));
      std::string_view type = colon == std::string_view::npos ? "" : inner.substr(colon + 1);
      ParamType pt = ParamType::kSegment;
      if (type == "int") {
        pt = ParamType::kInt;
      } else if (type == "path") {
        pt = ParamType::kPath;
        if (i + 1 != segments.size()) BadPattern(pattern, "{x:path} must be last");
      } else if (!type.empty()) {
        BadPattern(pattern, "unknown parameter type");
      }
      if (name.empty()) BadPattern(pattern, "empty parameter name");
      if (!node->param) {
        node->param = std::make_unique<Node>();
        node->param_name = name;
        node->param_type = pt;
      } else if (node->param_name != name || node->param_type != pt) {
        BadPattern(pattern, "conflicting parameter at the same position");
      }
      node = node->param.get();
    } else {
      auto& child = node->literal[std::string(seg)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  if (node->handlers.count(method)) BadPattern(pattern, "duplicate route");
  node->handlers[method] = std::move(handler);
  node->pattern = std::string(pattern);
  routes_.emplace_back(method, std::string(pattern));
}

namespace {

struct Walker {
  const std::vector<std::string_view>& segs;
  std::string_view path;
  std::vector<std::pair<std::string, std::string>> params;

  // Depth-first: literal first, then the parameter. Returns the node holding handlers, or null.
  template <typename NodeT>
  const NodeT* Walk(const NodeT* node, size_t i) {
    if (i == segs.size()) return node->handlers.empty() ? nullptr : node;
    if (auto it = node->literal.find(segs[i]); it != node->literal.end()) {
      if (const NodeT* found = Walk(it->second.get(), i + 1)) return found;
    }
    if (!node->param) return nullptr;
    switch (node->param_type) {
      case ParamType::kPath: {
        // The rest of the path from this segment on.
        size_t offset = static_cast<size_t>(segs[i].data() - path.data());
        std::string_view rest = path.substr(offset);
        if (rest.empty() || node->param->handlers.empty()) return nullptr;
        params.emplace_back(node->param_name, std::string(rest));
        return node->param.get();
      }
      case ParamType::kInt:
        if (!IsDigits(segs[i])) return nullptr;
        break;
      case ParamType::kSegment:
        if (segs[i].empty()) return nullptr;
        break;
    }
    params.emplace_back(node->param_name, std::string(segs[i]));
    if (const NodeT* found = Walk(node->param.get(), i + 1)) return found;
    params.pop_back();
    return nullptr;
  }
};

}  // namespace

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  if (path.empty() || path.front() != '/') return match;
  auto segs = Segments(path);
  Walker walker{segs, path, {}};
  const Node* node = walker.Walk(root_.get(), 0);
  if (!node) return match;
  match.pattern = node->pattern;
  for (const auto& [m, h] : node->handlers) match.allowed.push_back(m);
  if (node->handlers.count(Method::kGet) && !node->handlers.count(Method::kHead)) {
    match.allowed.push_back(Method::kHead);
  }
  Method lookup = method;
  if (method == Method::kHead && !node->handlers.count(Method::kHead)) lookup = Method::kGet;
  auto it = node->handlers.find(lookup);
  if (it == node->handlers.end()) {
    match.outcome = Outcome::kMethodNotAllowed;
    return match;
  }
  match.outcome = Outcome::kFound;
  match.handler = &it->second;
  match.params = std::move(walker.params);
  return match;
}

std::vector<std::pair<Method, std::string>> Router::Routes() const { return routes_; }

std::string AllowHeader(const std::vector<Method>& methods) {
  std::string out;
  for (Method m : methods) {
    if (!out.empty()) out += ", ";
    out += MethodName(m);
  }
  return out;
}

}  // namespace baladiya::http

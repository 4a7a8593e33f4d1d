#include "identity/access.h"

namespace baladiya::identity {

Decision Decide(const Principal& who, const Access& rule, int64_t municipality_id) {
  if (rule.kind == Access::Kind::kPublic) return Decision::kAllow;
  if (who.anonymous()) return Decision::kSignIn;
  if (rule.kind == Access::Kind::kBeforeSecondFactor) return Decision::kAllow;
  // A session that has not given its second factor (staff always need one; residents when they
  // set one up) reaches nothing else until it does.
  if (!who.mfa_satisfied) return Decision::kTotp;
  if (rule.kind == Access::Kind::kSignedIn) return Decision::kAllow;
  if (AllowedSomewhere(who, rule.permission, municipality_id)) return Decision::kAllow;
  return Decision::kForbidden;
}

const Principal& PrincipalOf(const http::Request& req) {
  static const Principal kAnonymous;
  return req.principal ? *static_cast<const Principal*>(req.principal.get()) : kAnonymous;
}

void SetPrincipal(http::Request& req, std::shared_ptr<const Principal> principal) {
  req.principal = std::move(principal);
}

void GuardedRoutes::Add(http::Method method, std::string_view pattern, Access rule,
                        http::Handler handler) {
  const Guard* guard = guard_;
  router_.Add(method, pattern,
              [guard, rule, handler = std::move(handler)](http::Request& req) -> http::Response {
                int64_t scope = 0;
                if (rule.kind == Access::Kind::kPermission && req.path_params.count("slug") &&
                    guard && guard->directory && guard->directory->municipality_id) {
                  auto m = guard->directory->municipality_id(req.path_params["slug"]);
                  if (!m.ok()) {
                    int status = m.error().code == ErrorCode::kNotFound ? 404 : 503;
                    if (guard->error_page) return guard->error_page(status, req);
                    return http::Response::Text(status, "");
                  }
                  scope = *m;
                }
                Decision decision = Decide(PrincipalOf(req), rule, scope);
                if (decision == Decision::kAllow) return handler(req);
                if (guard && guard->refuse) return guard->refuse(decision, req, scope);
                return http::Response::Text(decision == Decision::kForbidden ? 403 : 401, "");
              });
  rules_[{method, std::string(pattern)}] = rule;
}

const Access* GuardedRoutes::RuleFor(http::Method method, const std::string& pattern) const {
  if (method == http::Method::kHead && !rules_.count({method, pattern})) {
    method = http::Method::kGet;
  }
  auto it = rules_.find({method, pattern});
  return it == rules_.end() ? nullptr : &it->second;
}

std::vector<std::tuple<http::Method, std::string, Access>> GuardedRoutes::All() const {
  std::vector<std::tuple<http::Method, std::string, Access>> out;
  for (const auto& [key, rule] : rules_) out.emplace_back(key.first, key.second, rule);
  return out;
}

}  // namespace baladiya::identity

// The identity module as the program is built from it (platform/module/module.h): accounts,
// sessions, API tokens and the password hasher; the guard every module's routes go through; the
// sign-in, registration and account pages; the session clean-up; `user add` and `token add`.
#include "platform/module/module.h"

#include <chrono>
#include <map>

#include "audit/audit.h"
#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "platform/crypto/crypto.h"
#include "platform/http/url.h"
#include "platform/render/errors.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> IdentityMessageFiles();
std::span<const baladiya::EmbeddedFile> IdentityTemplateFiles();

namespace baladiya::identity {

namespace {

using http::Request;
using http::Response;

// The rate limits of the sign-in and account pages (in memory, per process).
struct Limits {
  RateLimiter login{{}};      // failed logins per IP and per login name
  RateLimiter register_{{}};  // registrations per IP
  // Reset codes: past 3 requests or wrong codes in 15 minutes, a back-off from a minute to an hour.
  RateLimiter code{
      {3, std::chrono::seconds(900), std::chrono::seconds(60), std::chrono::seconds(3600)}};
};

Status Open(module::Context& ctx) {
  audit::AuditLog& audit = ctx.parts.Get<audit::AuditLog>();
  PasswordHasher& hasher = ctx.parts.Own(
      std::make_unique<PasswordHasher>(HashParams{}, ctx.settings.Int("hash-threads"), 256));
  AccountStore& accounts = ctx.parts.Own(std::make_unique<AccountStore>(ctx.db, ctx.keys, &audit));
  SessionStore& sessions = ctx.parts.Own(std::make_unique<SessionStore>(ctx.db, SessionPolicy{}));
  ApiTokenStore& tokens = ctx.parts.Own(std::make_unique<ApiTokenStore>(ctx.db, accounts, &audit));
  Limits& limits = ctx.parts.Keep(std::make_unique<Limits>());
  Directory& directory = ctx.parts.Own(std::make_unique<Directory>());
  Guard& guard = ctx.parts.Own(std::make_unique<Guard>());
  guard.directory = &directory;

  WebServices& ws = ctx.parts.Own(std::make_unique<WebServices>());
  ws.accounts = &accounts;
  ws.sessions = &sessions;
  ws.hasher = &hasher;
  ws.audit = &audit;
  ws.login_limits = &limits.login;
  ws.register_limits = &limits.register_;
  ws.code_limits = &limits.code;
  ws.api_tokens = &tokens;
  ws.site = &ctx.site;
  ws.secure_cookies = ctx.settings.Bool("hsts");
  ws.now_ms = ctx.now_ms;
  return Ok();
}

// What a refused request gets: the login page (401 for the API), the second-factor page, or 403.
// A signed-in account refused a page is worth an auditor's attention (anonymous refusals are not
// recorded: anyone could fill the log with them): aggregated per principal, route and minute,
// and a refusal that cannot be recorded fails (AuditDenied).
Response Refuse(const WebServices& ws, Decision decision, const Request& req, int64_t scope) {
  if (decision == Decision::kForbidden && !AuditDenied(ws, req, scope).ok()) {
    return ws.error_page(503, req);
  }
  const bool api = req.path.starts_with("/api/");
  const i18n::Catalog& cat = *ws.site->catalog;
  const std::string next = http::PercentEncode(req.path);
  switch (decision) {
    case Decision::kSignIn:
      if (api) return render::ApiError(cat, req, 401, "unauthorized", "api.unauthorized");
      return Response::Redirect("/login?next=" + next);
    case Decision::kTotp:
      if (api) return render::ApiError(cat, req, 401, "mfa_required", "api.mfa_required");
      return Response::Redirect("/login/totp?next=" + next);
    default:
      if (api) return render::ApiError(cat, req, 403, "forbidden", "api.forbidden");
      return ws.error_page(403, req);
  }
}

Status Routes(module::Context& ctx) {
  WebServices& ws = ctx.parts.Get<WebServices>();
  auto error_page = ctx.web->error_page;
  ws.error_page = [error_page](int status, const Request& r) { return error_page(status, &r); };
  Guard& guard = ctx.parts.Get<Guard>();
  guard.error_page = ws.error_page;
  guard.refuse = [&ws](Decision d, const Request& r, int64_t scope) {
    return Refuse(ws, d, r, scope);
  };
  GuardedRoutes& routes = ctx.parts.Own(std::make_unique<GuardedRoutes>(ctx.web->router, &guard));
  AddRoutes(routes, ws);
  ctx.web->middleware.push_back(Authenticate(ws));
  return Ok();
}

// Expired sessions are purged every checkpoint-seconds.
Result<std::vector<std::unique_ptr<module::Worker>>> Workers(module::Context& ctx) {
  SessionStore& sessions = ctx.parts.Get<SessionStore>();
  auto now = ctx.now_ms;
  std::vector<std::unique_ptr<module::Worker>> out;
  out.push_back(module::Every("session purge",
                              std::chrono::seconds(ctx.settings.Int("checkpoint-seconds")),
                              [&sessions, now] { (void)sessions.PurgeExpired(now()); }));
  return out;
}

// "--name value" pairs after a verb; nullopt when they are not pairs.
std::optional<std::map<std::string, std::string>> Pairs(const std::vector<std::string>& args,
                                                        size_t from) {
  std::map<std::string, std::string> opt;
  if ((args.size() - from) % 2 != 0) return std::nullopt;
  for (size_t i = from; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return std::nullopt;
    opt[args[i].substr(2)] = args[i + 1];
  }
  return opt;
}

// baladiya user add --municipality SLUG --role ROLE --username NAME --name-ar NAME
//   [--name-en NAME] [--department SLUG]; the password is generated and printed once.
int UserCommand(module::Context& ctx, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "add") return module::Fail("usage: baladiya user add ...");
  auto opt = Pairs(args, 1);
  if (!opt) return module::Fail("expected --name value pairs after 'user add'");
  for (const char* required : {"role", "username", "name-ar"}) {
    if (!opt->count(required)) return module::Fail(std::string("user add needs --") + required);
  }
  auto role = ParseRole((*opt)["role"]);
  if (!role || *role == Role::kResident) {
    return module::Fail("unknown staff role '" + (*opt)["role"] + "'");
  }
  const Directory& directory = ctx.parts.Get<Directory>();
  int64_t municipality = 0;
  int64_t department = 0;
  if (opt->count("municipality")) {
    auto m = directory.municipality_id ? directory.municipality_id((*opt)["municipality"])
                                       : Result<int64_t>(MakeError(ErrorCode::kNotFound, ""));
    if (!m.ok()) return module::Fail("no municipality '" + (*opt)["municipality"] + "'");
    municipality = *m;
    if (opt->count("department")) {
      auto d = directory.department_id ? directory.department_id(municipality, (*opt)["department"])
                                       : Result<int64_t>(MakeError(ErrorCode::kNotFound, ""));
      if (!d.ok()) return module::Fail("no department '" + (*opt)["department"] + "'");
      department = *d;
    }
  }
  StaffInput in;
  in.username = (*opt)["username"];
  in.full_name_ar = (*opt)["name-ar"];
  in.full_name_en = opt->count("name-en") ? (*opt)["name-en"] : "";
  in.password = crypto::RandomToken(12);
  in.municipality_id = municipality;
  in.grants = {{*role, municipality, department}};
  auto id = ctx.parts.Get<AccountStore>().CreateStaff(
      in, ctx.parts.Get<PasswordHasher>(), {"system", "cli", municipality}, ctx.now_ms());
  if (!id.ok()) {
    std::string why = id.error().detail.empty() ? id.error().message_key : id.error().detail;
    for (const auto& [field, key] : id.error().fields) why += "; " + field + ": " + key;
    return module::Fail("cannot add user: " + why);
  }
  std::printf("created %s (%s); password: %s\n", in.username.c_str(), (*opt)["role"].c_str(),
              in.password.c_str());
  std::printf("two-step verification is set up at first login\n");
  return 0;
}

// baladiya token add --username NAME [--label TEXT]: an API token for a staff system, acting as
// the account with its first grant.
int TokenCommand(module::Context& ctx, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "add") {
    return module::Fail("usage: baladiya token add --username NAME [--label TEXT]");
  }
  auto opt = Pairs(args, 1);
  if (!opt) return module::Fail("expected --name value pairs after 'token add'");
  if (!opt->count("username")) return module::Fail("token add needs --username");
  AccountStore& accounts = ctx.parts.Get<AccountStore>();
  auto creds = accounts.FindForLogin((*opt)["username"]);
  if (!creds.ok() || creds->kind != AccountKind::kStaff) {
    return module::Fail("no staff account '" + (*opt)["username"] + "'");
  }
  auto grants = accounts.Grants(creds->account_id);
  if (!grants.ok() || grants->empty()) return module::Fail("the account holds no role");
  auto token = ctx.parts.Get<ApiTokenStore>().Issue(
      creds->account_id, grants->front(), (*opt)["label"],
      {"system", "cli", grants->front().municipality_id}, ctx.now_ms());
  if (!token.ok()) return module::Fail(token.error());
  std::printf("API token for %s (%s), shown once:\n%s\n", (*opt)["username"].c_str(),
              std::string(RoleName(grants->front().role)).c_str(), token->c_str());
  return 0;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "identity";
  m.migrations = Migrations;
  m.messages = IdentityMessageFiles;
  m.templates = IdentityTemplateFiles;
  m.open = Open;
  m.routes = Routes;
  m.workers = Workers;
  m.commands = {
      {"user",
       "  user add --role ROLE --username NAME --name-ar NAME [--municipality SLUG]\n"
       "           [--department SLUG] [--name-en NAME]\n"
       "                           create a staff account (roles: platform-admin, "
       "municipal-admin,\n"
       "                           department-head, clerk, counter-clerk, auditor, "
       "ministry-observer)\n",
       UserCommand},
      {"token",
       "  token add --username NAME [--label TEXT]\n"
       "                           issue an API token acting as that staff account with its "
       "first\n"
       "                           grant (printed once; stored only as a hash)\n",
       TokenCommand},
  };
  return m;
}

}  // namespace baladiya::identity

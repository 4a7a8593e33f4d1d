#include "identity/web.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <optional>

#include "audit/audit.h"
#include "platform/crypto/crypto.h"
#include "platform/http/client_address.h"
#include "platform/http/errors.h"
#include "platform/http/multipart.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "platform/log/log.h"
#include "platform/render/form.h"

namespace baladiya::identity {

using http::Request;
using http::Response;

namespace {

constexpr std::string_view kSessionCookie = "sid";
constexpr std::string_view kCsrfCookie = "csrf";
// The token of a form kept after its session ended (FormStash).
constexpr std::string_view kResumeCookie = "resume";
// The device token (AccountStore::NewDeviceToken), sent only to the login pages.
constexpr std::string_view kDeviceCookie = "device";
constexpr int64_t kDeviceCookieSeconds = int64_t{365} * 24 * 60 * 60;

// A cookie's name for a request: over TLS the prefixed name (RFC 6265bis 4.1.3), so that neither
// a plain-HTTP page nor a sibling subdomain can set or overwrite it: "__Host-" (Secure, Path=/,
// no Domain) for every cookie of ours but the device token, whose Path=/login allows only
// "__Secure-". Plain HTTP (development, the tests) keeps the bare names.
std::string CookieName(std::string_view base, bool tls) {
  if (!tls) return std::string(base);
  return (base == kDeviceCookie ? "__Secure-" : "__Host-") + std::string(base);
}
std::optional<std::string> ReadCookie(const Request& req, std::string_view base) {
  return req.Cookie(CookieName(base, http::ServedOverTls(req)));
}

std::string Cookie(const Request& req, std::string_view name, std::string_view value, bool secure,
                   bool remove) {
  const bool tls = http::ServedOverTls(req);
  std::string c =
      CookieName(name, tls) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Lax";
  secure = secure || tls;
  if (secure) c += "; Secure";
  if (remove) c += "; Max-Age=0";
  return c;
}

bool Unsafe(http::Method m) {
  return m == http::Method::kPost || m == http::Method::kPut || m == http::Method::kPatch ||
         m == http::Method::kDelete;
}

// Only local paths are followed after login, so the login form cannot send people elsewhere:
// a single leading '/', then only characters of a plain path and query (no control characters,
// backslashes or spaces, which browsers read in surprising ways).
std::string SafeNext(std::string_view next) {
  bool ok = next.size() > 0 && next.size() < 512 && next.front() == '/' && !next.starts_with("//");
  for (char c : next) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("/-_.~?=&%").find(c) != std::string_view::npos;
    ok = ok && plain;
  }
  return ok ? std::string(next) : "/account";
}

// The rate-limit key of the client: its address, an IPv6 client by its /64 (one rule for every
// limit: http::ClientKey).
std::string AddressLimitKey(const Request& req) { return "ip:" + http::ClientKey(req); }

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Where the account security page sends a person back after a change, and the notice it shows.
std::string SecurityDone(std::string_view what) {
  return "/account/security?done=" + std::string(what);
}

}  // namespace

std::string DescribeAgent(std::string_view ua) {
  // Order matters: Edge and Opera say "Chrome", Chrome says "Safari", and so on.
  std::string browser = "other";
  if (Contains(ua, "Edg/") || Contains(ua, "EdgA/") || Contains(ua, "EdgiOS/")) {
    browser = "edge";
  } else if (Contains(ua, "OPR/") || Contains(ua, "Opera")) {
    browser = "opera";
  } else if (Contains(ua, "SamsungBrowser/")) {
    browser = "samsung";
  } else if (Contains(ua, "Firefox/") || Contains(ua, "FxiOS/")) {
    browser = "firefox";
  } else if (Contains(ua, "Chrome/") || Contains(ua, "CriOS/") || Contains(ua, "Chromium/")) {
    browser = "chrome";
  } else if (Contains(ua, "Safari/") && Contains(ua, "Version/")) {
    browser = "safari";
  }
  std::string os = "other";
  if (Contains(ua, "Android")) {
    os = "android";
  } else if (Contains(ua, "iPhone") || Contains(ua, "iPad") || Contains(ua, "iPod")) {
    os = "ios";
  } else if (Contains(ua, "Windows")) {
    os = "windows";
  } else if (Contains(ua, "Macintosh") || Contains(ua, "Mac OS X")) {
    os = "macos";
  } else if (Contains(ua, "CrOS")) {
    os = "chromeos";
  } else if (Contains(ua, "Linux") || Contains(ua, "X11")) {
    os = "linux";
  }
  return browser + "/" + os;
}

std::string ShortNetwork(std::string_view address) {
  auto ip = http::IpAddress::Parse(address);
  if (!ip) return "";
  if (!ip->v4()) return http::AddressKey(address);
  std::string text = ip->ToString();
  return text.substr(0, text.rfind('.')) + ".x";
}

void LogAuditFailure(const Request& req, const Error& error) {
  log::Security("audit.append_failed", req.path, req.request_id);
  std::fprintf(stderr, "baladiya: audit entry not written, request %s refused: %s\n",
               req.request_id.c_str(), error.detail.c_str());
}

bool DenialLog::ShouldWrite(const std::string& principal, const std::string& route,
                            int64_t municipality, int64_t now_ms, int64_t* suppressed) {
  const int64_t window = static_cast<int64_t>(window_.count()) * 1000;
  std::lock_guard<std::mutex> lock(mu_);
  if (++calls_ % 1024 == 0) {
    // Forget windows long past, so a stream of distinct keys does not grow the maps for ever.
    // A key forgotten with refusals still uncounted loses only that count.
    std::erase_if(keys_, [&](const auto& kv) { return kv.second.window_start + window <= now_ms; });
    std::erase_if(actors_,
                  [&](const auto& kv) { return kv.second.window_start + window <= now_ms; });
  }
  Key& key = keys_[principal + "\n" + route + "\n" + std::to_string(municipality)];
  if (key.window_start != 0 && now_ms < key.window_start + window) {
    ++key.suppressed;
    return false;
  }
  Actor& actor = actors_[principal];
  if (actor.window_start == 0 || now_ms >= actor.window_start + window) actor = {now_ms, 0};
  if (actor.written >= per_principal_) {
    ++key.suppressed;
    return false;
  }
  ++actor.written;
  *suppressed = key.suppressed;
  key = {now_ms, 0};
  return true;
}

Response TooManyPage(const WebServices& svc, const Request& req, int64_t wait_seconds,
                     std::string_view message_key) {
  log::Security("rate_limit.refused", req.path, req.request_id);
  i18n::Lang lang = render::RequestLang(req);
  const auto& cat = *svc.site->catalog;
  render::Page page(*svc.site, req, "identity-message.tpl");
  page.SetTitle(cat.Get(lang, "limits.title"));
  page.body().SetValue("HEADING", cat.Get(lang, "limits.title"));
  int64_t minutes = (wait_seconds + 59) / 60;
  page.body().SetValue("MESSAGE",
                       cat.Format(lang, message_key, {{"minutes", std::to_string(minutes)}}));
  Response res = page.Finish(429);
  res.headers.Set("retry-after", std::to_string(wait_seconds));
  res.headers.Set("cache-control", "no-store");
  return res;
}

Status AuditDenied(const WebServices& svc, const Request& req, int64_t municipality_id) {
  const Principal& who = PrincipalOf(req);
  if (who.anonymous() || svc.audit == nullptr) return Ok();
  int64_t now = svc.now_ms();
  int64_t suppressed = 0;
  if (!svc.limits->denials.ShouldWrite(who.pseudonym, req.route, municipality_id, now,
                                       &suppressed)) {
    return Ok();
  }
  audit::EntryInput e;
  e.time_ms = now;
  e.actor = who.pseudonym;
  e.action = "access.denied";
  e.object = req.route;
  e.municipality_id = municipality_id;
  e.request_id = req.request_id;
  e.details = "suppressed=" + std::to_string(suppressed);
  auto appended = svc.audit->Append(e);
  if (!appended.ok()) {
    LogAuditFailure(req, appended.error());
    return std::move(appended).error();
  }
  return Ok();
}

void RecentPasswords::Mark(const std::string& session, int64_t now_ms) {
  std::lock_guard lock(mu_);
  std::erase_if(at_, [&](const auto& kv) { return now_ms - kv.second > window_ms_; });
  at_[session] = now_ms;
}

bool RecentPasswords::Fresh(const std::string& session, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = at_.find(session);
  return it != at_.end() && now_ms - it->second <= window_ms_;
}

std::string FormStash::Put(const std::string& path, std::string encoded_fields, int64_t now_ms) {
  if (encoded_fields.size() > max_bytes_ || capacity_ == 0) return "";
  std::string token = crypto::RandomToken(32);
  std::lock_guard lock(mu_);
  for (auto it = kept_.begin(); it != kept_.end();) {
    it = now_ms - it->second.at_ms > ttl_ms_ ? kept_.erase(it) : std::next(it);
  }
  while (kept_.size() >= capacity_) {
    auto oldest = kept_.begin();
    for (auto it = kept_.begin(); it != kept_.end(); ++it)
      if (it->second.at_ms < oldest->second.at_ms) oldest = it;
    kept_.erase(oldest);
  }
  kept_[token] = Kept{path, std::move(encoded_fields), now_ms};
  return token;
}

std::optional<std::string> FormStash::Take(const std::string& token, const std::string& path,
                                           int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = kept_.find(token);
  if (it == kept_.end() || it->second.path != path) return std::nullopt;
  std::optional<std::string> fields;
  if (now_ms - it->second.at_ms <= ttl_ms_) fields = std::move(it->second.fields);
  kept_.erase(it);
  return fields;
}

FormToken TokenFor(const Request& req) {
  if (auto it = req.attributes.find("csrf"); it != req.attributes.end()) return {it->second, false};
  if (auto c = ReadCookie(req, kCsrfCookie); c && c->size() >= 32) return {*c, false};
  return {crypto::RandomToken(32), true};
}

std::string CsrfCookie(const std::string& token, bool over_tls) {
  std::string c =
      CookieName(kCsrfCookie, over_tls) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (over_tls) c += "; Secure";
  return c;
}

namespace {

// A form posted with a session cookie that no longer resolves: nothing runs; its plain fields
// are kept for the person's return (FormStash), and they are asked to sign in again.
Response SessionEnded(const WebServices& svc, const Request& req, const http::Params& form) {
  std::string encoded;
  for (const auto& [name, value] : form.All()) {
    if (name == "csrf") continue;
    encoded +=
        (encoded.empty() ? "" : "&") + http::PercentEncode(name) + "=" + http::PercentEncode(value);
  }
  log::Security("session.ended_post", req.path, req.request_id);
  Response res =
      Response::Redirect("/login?next=" + http::PercentEncode(SafeNext(req.target)) + "&ended=1");
  res.headers.Add("set-cookie", Cookie(req, kSessionCookie, "", svc.secure_cookies, true));
  std::string token = svc.stash->Put(req.path, std::move(encoded), svc.now_ms());
  if (!token.empty())
    res.headers.Add("set-cookie", Cookie(req, kResumeCookie, token, svc.secure_cookies, false));
  return res;
}

}  // namespace

http::Middleware Authenticate(const WebServices& svc) {
  return [&svc](Request& req, const http::Handler& next) -> Response {
    std::string expected;
    const bool had_session = ReadCookie(req, kSessionCookie).has_value();
    if (auto token = ReadCookie(req, kSessionCookie)) {
      auto session = svc.sessions->Resolve(*token, svc.now_ms());
      if (session.ok()) {
        auto account = svc.accounts->Get(session->account_id, false);
        auto grants = svc.accounts->Grants(session->account_id);
        if (account.ok() && grants.ok()) {
          auto p = std::make_shared<Principal>();
          p->account_id = account->id;
          p->pseudonym = account->pseudonym;
          p->staff = account->kind == AccountKind::kStaff;
          p->mfa_satisfied = session->mfa_satisfied;
          p->grants = std::move(*grants);
          SetPrincipal(req, std::move(p));
          req.attributes["csrf"] = session->csrf_token;
          req.attributes["session"] = *token;
          expected = session->csrf_token;
        }
      }
    }
    // API tokens count only on the API (/api/...): a token never reaches account pages.
    bool token_resolved = false;
    const bool api_path = req.path.rfind("/api/", 0) == 0;
    if (expected.empty() && svc.api_tokens && !req.principal && api_path) {
      std::string_view auth = req.headers.Get("authorization");
      if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) {
        auto p = svc.api_tokens->Resolve(auth.substr(7), svc.now_ms());
        if (p.ok()) {
          SetPrincipal(req, std::make_shared<Principal>(std::move(*p)));
          token_resolved = true;
        }
      }
    }
    // A request without a session that authenticates itself on the API (a resolved API token,
    // or a bearer token its handler checks, like the SMS gateway's receipts) carries no ambient
    // credential a forged cross-site request could use: the anti-forgery check is for
    // cookie-borne sessions and anonymous forms. Paths whose handlers ignore sessions and
    // authenticate writes themselves (self_authenticating_paths) need no check either.
    bool self_authenticated =
        expected.empty() && api_path &&
        (token_resolved || req.headers.Get("authorization").rfind("Bearer ", 0) == 0);
    for (const auto& prefix : svc.self_authenticating_paths)
      self_authenticated = self_authenticated || req.path.starts_with(prefix);
    if (Unsafe(req.method) && !self_authenticated) {
      if (expected.empty()) expected = ReadCookie(req, kCsrfCookie).value_or("");
      std::string given;
      http::Params form = req.Form();
      if (auto boundary = http::MultipartBoundary(req.headers.Get("content-type"))) {
        auto parts = http::ParseMultipart(req.body, *boundary);
        if (parts.ok()) form = http::FieldsOf(*parts);
      }
      if (auto f = form.Get("csrf")) given = std::string(*f);
      if (given.empty()) given = std::string(req.headers.Get("x-csrf-token"));
      if (expected.empty() || !crypto::ConstantTimeEquals(given, expected)) {
        if (had_session && !req.principal && !api_path && svc.stash)
          return SessionEnded(svc, req, form);
        log::Security("csrf.refused", req.path, req.request_id);
        return svc.error_page(403, req);
      }
    }
    // Back on the page after signing in again: the answers posted when the session had ended.
    bool resumed = false;
    if (req.principal && req.method == http::Method::kGet && svc.stash) {
      if (auto t = ReadCookie(req, kResumeCookie)) {
        if (auto fields = svc.stash->Take(*t, req.path, svc.now_ms())) {
          req.attributes[std::string(kResumedForm)] = std::move(*fields);
          resumed = true;
        }
      }
    }
    Response res = next(req);
    if (resumed)
      res.headers.Add("set-cookie", Cookie(req, kResumeCookie, "", svc.secure_cookies, true));
    return res;
  };
}

namespace {

// The identity pages; one instance shared by the routes.
class Pages {
 public:
  explicit Pages(const WebServices& svc) : svc_(svc) {}

  Response RegisterForm(Request& req) { return ShowRegister(req, {}, {}); }

  Response Register(Request& req) {
    int64_t now = svc_.now_ms();
    std::string key = AddressLimitKey(req);
    if (int64_t wait = svc_.register_limits->RetryAfter(key, now)) return TooMany(req, wait);
    // Every attempt hashes a password: each counts, per address and per network (an IPv6 /64),
    // whether or not it succeeds.
    const std::string address = "ip:" + req.remote_address;
    if (int64_t wait = svc_.limits->registrations_per_address.Take(address, now)) {
      return TooMany(req, wait);
    }
    if (int64_t wait = svc_.limits->registrations_per_network.Take(key, now)) {
      return TooMany(req, wait);
    }
    http::Params form = req.Form();
    ResidentRegistration r;
    r.national_id = std::string(form.Get("national_id").value_or(""));
    r.full_name_ar = std::string(form.Get("full_name_ar").value_or(""));
    r.full_name_en = std::string(form.Get("full_name_en").value_or(""));
    r.phone = std::string(form.Get("phone").value_or(""));
    r.email = std::string(form.Get("email").value_or(""));
    r.birth_date = std::string(form.Get("birth_date").value_or(""));
    r.password = std::string(form.Get("password").value_or(""));
    r.lang = std::string(i18n::LangCode(render::RequestLang(req)));
    AuditContext ctx{"anonymous", req.request_id, 0};
    auto id = svc_.accounts->RegisterResident(r, *svc_.hasher, ctx, now);
    if (!id.ok()) {
      // The ID of an account opened for the person at the counter: not a failure; the code to
      // take it over goes to the phone on file, and the reset page says why.
      if (id.error().code == ErrorCode::kConflict) {
        auto national_id = NormalizeNationalId(r.national_id);
        auto creds = national_id.ok() ? svc_.accounts->FindForLogin(*national_id)
                                      : Result<Credentials>(national_id.error());
        if (creds.ok() && creds->status == AccountStatus::kActive && svc_.send_reset_code) {
          auto awaiting = svc_.accounts->AwaitingTakeOver(creds->account_id);
          if (!awaiting.ok()) return svc_.error_page(503, req);
          if (*awaiting) {
            // Counted as "forgot password" counts its requests, so that codes cannot be sprayed
            // through this form either.
            const std::string login_key = "reset:" + svc_.accounts->LoginLimitKey(*national_id);
            if (int64_t wait = std::max(svc_.code_limits->RetryAfter(key, now),
                                        svc_.code_limits->RetryAfter(login_key, now))) {
              return TooMany(req, wait);
            }
            svc_.code_limits->Failure(key, now);
            svc_.code_limits->Failure(login_key, now);
            Response res = ShowReset(req, *national_id, {}, 200, true, "reset.counter_account");
            res.after = [this, account_id = creds->account_id, request_id = req.request_id,
                         path = req.path,
                         now] { IssueResetCode(account_id, request_id, path, now); };
            return res;
          }
        }
      }
      std::map<std::string, std::string> errors = id.error().fields;
      if (id.error().code == ErrorCode::kConflict) {
        errors["national_id"] = "identity.national_id.taken";
      } else if (id.error().code == ErrorCode::kUnavailable) {
        errors[""] = "error.busy";
      } else if (errors.empty()) {
        errors[""] = "error.invalid";
      }
      // Each refused attempt counts, so the form cannot probe IDs quickly.
      svc_.register_limits->Failure(key, now);
      return ShowRegister(req, form, errors, 422);
    }
    return StartSession(req, *id, false, true, "/account");
  }

  Response LoginForm(Request& req) {
    http::Params none;
    return ShowLogin(req, none, {}, 200);
  }

  Response Login(Request& req) {
    int64_t now = svc_.now_ms();
    http::Params form = req.Form();
    std::string login(form.Get("login").value_or(""));
    std::string password(form.Get("password").value_or(""));
    std::string ip_key = AddressLimitKey(req);
    // The lookup comes first (the same work whether or not the account exists), so that the
    // limit can be chosen: a browser that signed in to this account before (a valid device
    // token) is limited by that token; any other attempt by the login typed, whatever its
    // spelling (LoginLimitKey), so an attacker cannot lock a named account out of the browsers
    // its owner uses, nor multiply guesses by respelling the login.
    auto creds = svc_.accounts->FindForLogin(login);
    if (!creds.ok() && creds.error().code != ErrorCode::kNotFound) {
      return svc_.error_page(503, req);
    }
    const std::string device = ReadCookie(req, kDeviceCookie).value_or("");
    const bool known_device =
        creds.ok() && svc_.accounts->DeviceTokenValid(creds->account_id, device);
    const std::string login_key =
        known_device ? "device:" + crypto::Sha256Hex(device) : svc_.accounts->LoginLimitKey(login);
    int64_t wait = std::max(svc_.login_limits->RetryAfter(ip_key, now),
                            svc_.login_limits->RetryAfter(login_key, now));
    if (wait > 0) return TooMany(req, wait);
    bool ok = false;
    bool rehash = false;
    if (creds.ok() && creds->status == AccountStatus::kActive) {
      auto verdict = svc_.hasher->Verify(password, creds->password_hash);
      if (!verdict.ok()) return svc_.error_page(503, req);
      ok = verdict->match;
      rehash = verdict->needs_rehash;
    } else {
      svc_.hasher->VerifyDummy(password);  // the same time whether or not the account exists
    }
    if (!ok) {
      svc_.login_limits->Failure(ip_key, now);
      svc_.login_limits->Failure(login_key, now);
      if (creds.ok()) {
        auto account = svc_.accounts->Get(creds->account_id, false);
        if (account.ok()) {
          Status logged = Audit(req, account->pseudonym, "session.login_failed", account->pseudonym,
                                now, account->home_municipality_id);
          if (!logged.ok()) return AuditFailed(req, logged.error());
        }
      }
      return ShowLogin(req, form, {{"", "login.failed"}}, 401);
    }
    svc_.login_limits->Success(login_key);
    AuditContext ctx{"", req.request_id, 0};
    if (rehash) {
      if (auto h = svc_.hasher->Hash(password); h.ok()) {
        (void)svc_.accounts->SetPassword(creds->account_id, *h, ctx, now);
      }
    }
    bool staff = creds->kind == AccountKind::kStaff;
    bool needs_totp = creds->totp_enabled || staff;
    std::string next = SafeNext(form.Get("next").value_or(""));
    if (staff && next == "/account" && !svc_.staff_home.empty()) next = svc_.staff_home;
    // The password was right: this browser may sign in to the account despite its lockout.
    std::string device_cookie =
        CookieName(kDeviceCookie, http::ServedOverTls(req)) + "=" +
        svc_.accounts->NewDeviceToken(creds->account_id) +
        "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(kDeviceCookieSeconds);
    if (Secure(req)) device_cookie += "; Secure";
    Response res;
    if (!needs_totp) {
      res = StartSession(req, creds->account_id, false, true, next);
    } else {
      // Staff who have not enrolled yet are sent to enrol first.
      std::string step =
          creds->totp_enabled ? "/login/totp?next=" + http::PercentEncode(next) : "/account/totp";
      res = StartSession(req, creds->account_id, staff, false, step);
    }
    if (res.status == 303) res.headers.Add("set-cookie", device_cookie);
    if (res.status == 303 && !known_device) TellOfNewBrowser(req, creds->account_id, now);
    return res;
  }

  // A sign-in from a browser new to the account is told to its owner (ASVS 6.3.4/6.3.6): someone
  // who holds the password is seen even when the owner never looks at the sessions page.
  void TellOfNewBrowser(const Request& req, int64_t account_id, int64_t now) {
    if (!svc_.send_new_signin) return;
    auto account = svc_.accounts->Get(account_id, true);
    if (!account.ok()) return;
    const i18n::Lang lang = account->lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
    const std::string browser = AgentWords(DescribeAgent(req.headers.Get("user-agent")), lang);
    if (svc_.send_new_signin(*account, browser, now).ok() && svc_.notified) svc_.notified();
  }

  Response TotpForm(Request& req) {
    auto creds = svc_.accounts->CredentialsOf(PrincipalOf(req).account_id);
    if (creds.ok() && !creds->totp_enabled) return Response::Redirect("/account/totp");
    return ShowTotp(req, std::string(req.query.Get("next").value_or("/account")), {}, 200);
  }

  Response Totp(Request& req) {
    int64_t now = svc_.now_ms();
    const Principal& who = PrincipalOf(req);
    http::Params form = req.Form();
    std::string next = SafeNext(form.Get("next").value_or(""));
    // Consecutive failures are counted per account, with no window that forgives them
    // (AccountStore::SecondFactorFailed): a blocked account's codes are not even checked.
    auto state = svc_.accounts->SecondFactor(who.account_id);
    if (!state.ok()) return svc_.error_page(503, req);
    if (state->blocked_until > now) return SecondFactorLocked(req, state->blocked_until - now);
    std::string code(form.Get("code").value_or(""));
    bool good = false;
    auto secret = svc_.accounts->TotpSecret(who.account_id);
    if (secret.ok()) {
      int64_t step = identity::Totp::Check(*secret, code, now / 1000);
      if (step >= 0) {
        auto fresh = svc_.accounts->UseTotpStep(who.account_id, step);
        good = fresh.ok() && *fresh;
      } else {
        AuditContext ctx{who.pseudonym, req.request_id, 0};
        auto used = svc_.accounts->UseRecoveryCode(who.account_id, code, ctx, now);
        good = used.ok() && *used;
      }
    }
    if (!good) {
      AuditContext ctx{who.pseudonym, req.request_id, 0};
      auto failed = svc_.accounts->SecondFactorFailed(who.account_id, ctx, now);
      if (!failed.ok()) return AuditFailed(req, failed.error());
      if (failed->round_ended) return SecondFactorLocked(req, failed->blocked_until - now);
      int left =
          AccountStore::kSecondFactorRound - failed->failures % AccountStore::kSecondFactorRound;
      return ShowTotp(req, next, {{"code", "login.totp_failed"}}, 401, left);
    }
    if (Status passed = svc_.accounts->SecondFactorPassed(who.account_id); !passed.ok()) {
      return svc_.error_page(503, req);
    }
    auto token = svc_.sessions->Elevate(req.attributes["session"], now, [&](db::Tx& tx) {
      return AuditIn(tx, req, who.pseudonym, "session.mfa", who.pseudonym, now);
    });
    if (!token.ok()) return AuditFailed(req, token.error());
    Response res = Response::Redirect(next);
    res.headers.Add("set-cookie", Cookie(req, kSessionCookie, *token, Secure(req), false));
    return res;
  }

  Response Logout(Request& req) {
    const Principal& who = PrincipalOf(req);
    int64_t now = svc_.now_ms();
    Status s = svc_.sessions->Revoke(req.attributes["session"], [&](db::Tx& tx) {
      return AuditIn(tx, req, who.pseudonym, "session.logout", who.pseudonym, now);
    });
    if (!s.ok()) return AuditFailed(req, s.error());
    Response res = Response::Redirect("/");
    res.headers.Add("set-cookie", Cookie(req, kSessionCookie, "", Secure(req), true));
    return res;
  }

  Response Account(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    const Principal& who = PrincipalOf(req);
    auto account = svc_.accounts->Get(who.account_id, true);
    if (!account.ok()) return svc_.error_page(503, req);
    render::Page page(*svc_.site, req, "identity-account.tpl");
    page.SetPath("/account");
    page.SetTitle(svc_.site->catalog->Get(lang, "account.title"));
    render::Dict& b = page.body();
    b.SetValue("NAME", lang == i18n::Lang::kEn && !account->full_name_en.empty()
                           ? account->full_name_en
                           : account->full_name_ar);
    auto row = [&](const char* key, const std::string& value) {
      if (value.empty()) return;
      render::Dict* d = b.AddSectionDictionary("DETAIL");
      d->SetValue("LABEL", svc_.site->catalog->Get(lang, key));
      d->SetValue("VALUE", value);
    };
    // Residents see their own data in full; staff screens mask other people's.
    row("register.national_id.label", account->personal.national_id);
    row("register.phone.label", account->personal.phone);
    row("register.email.label", account->personal.email);
    row("register.birth_date.label", account->personal.birth_date);
    row("account.username", account->username);
    b.SetValue("TOTP_STATUS",
               svc_.site->catalog->Get(
                   lang, account->totp_enabled ? "account.totp_on" : "account.totp_off"));
    for (const WebServices::AccountLink& link : svc_.account_links) {
      if (link.shown && !link.shown(who)) continue;
      render::Dict* d = b.AddSectionDictionary("LINK");
      d->SetValue("HREF", link.href);
      d->SetValue("LABEL", svc_.site->catalog->Get(lang, link.label_key));
    }
    FormToken token = TokenFor(req);
    b.SetValue("CSRF", token.value);
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // Everything held about the person: the account (ExportJson) and each module's part.
  struct Everything {
    boost::json::object account;
    std::vector<ExportSection> sections;
  };
  Result<Everything> Collect(int64_t account_id, i18n::Lang lang) {
    auto json = svc_.accounts->ExportJson(account_id);
    if (!json.ok()) return std::move(json).error();
    Everything all;
    boost::system::error_code ec;
    auto parsed = boost::json::parse(*json, ec);
    if (ec || !parsed.is_object()) return MakeError(ErrorCode::kInternal, "error.internal");
    all.account = std::move(parsed.as_object());
    for (const auto& exporter : svc_.exporters) {
      auto section = exporter(account_id, lang);
      if (!section.ok()) return std::move(section).error();
      all.sections.push_back(std::move(*section));
    }
    return all;
  }

  // The readable page: the account's own data, then each module's, with the JSON download.
  // The export shows everything held about the person: the password is asked again first
  // (ASVS 7.5.3), then the page and its download are shown for a few minutes without asking.
  bool ExportUnlocked(const Request& req) {
    auto it = req.attributes.find("session");
    return it != req.attributes.end() &&
           svc_.limits->recent.Fresh(crypto::Sha256Hex(it->second), svc_.now_ms());
  }

  Response ShowExportConfirm(const Request& req, const std::map<std::string, std::string>& errors,
                             int status) {
    render::Form form;
    form.action = "/account/export";
    form.submit_key = "export.confirm_submit";
    form.errors = errors;
    form.fields = {{"password", "login.password.label", "export.confirm_hint", "password", "",
                    "current-password", "", true, true}};
    return FormPage(req, "export.title", "export.confirm_intro", std::move(form), "/account/export",
                    status, {{"/account", "account.back"}});
  }

  Response ExportConfirm(Request& req) {
    int64_t now = svc_.now_ms();
    const Principal& who = PrincipalOf(req);
    bool broken = false;
    const int64_t again = PasswordAgain(who, req.Form().Get("password").value_or(""), now, &broken);
    if (broken) return svc_.error_page(503, req);
    if (again > 0) return TooMany(req, again);
    if (again < 0) return ShowExportConfirm(req, {{"password", "security.wrong_password"}}, 422);
    svc_.limits->recent.Mark(crypto::Sha256Hex(req.attributes["session"]), now);
    return Response::Redirect("/account/export");
  }

  Response Export(Request& req) {
    if (!ExportUnlocked(req)) return ShowExportConfirm(req, {}, 200);
    const Principal& who = PrincipalOf(req);
    const i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *svc_.site->catalog;
    auto all = Collect(who.account_id, lang);
    if (!all.ok()) return svc_.error_page(http::StatusOf(all.error().code), req);
    // No export is shown without its audit entry.
    Status logged = Audit(req, who.pseudonym, "account.export", who.pseudonym, svc_.now_ms());
    if (!logged.ok()) return AuditFailed(req, logged.error());
    render::Page page(*svc_.site, req, "identity-export.tpl");
    page.SetPath("/account/export");
    page.SetTitle(cat.Get(lang, "export.title"));
    render::Dict& b = page.body();
    auto text = [](const boost::json::value* v) -> std::string {
      if (!v || v->is_null()) return "";
      if (v->is_string()) return std::string(v->as_string());
      return "";
    };
    const boost::json::object& account = all->account["account"].as_object();
    const boost::json::object* personal = all->account.if_contains("personal_data")
                                              ? &all->account["personal_data"].as_object()
                                              : nullptr;
    auto add = [&](const char* key, std::string value) {
      if (value.empty()) return;
      render::Dict* f = b.AddSectionDictionary("ACCOUNT_FIELD");
      f->SetValue("LABEL", cat.Get(lang, std::string("export.field.") + key));
      f->SetValue("VALUE", value);
    };
    add("full_name_ar", text(account.if_contains("full_name_ar")));
    add("full_name_en", text(account.if_contains("full_name_en")));
    add("username", text(account.if_contains("username")));
    if (personal) {
      for (const char* k : {"national_id", "phone", "email", "birth_date"})
        add(k, text(personal->if_contains(k)));
    }
    add("lang", cat.Get(lang, text(account.if_contains("lang")) == "en" ? "export.lang_en"
                                                                        : "export.lang_ar"));
    if (const auto* created = account.if_contains("created_at"); created && created->is_int64())
      add("created_at", i18n::FormatDate(created->as_int64(), lang));
    for (const auto& section : all->sections) {
      render::Dict* sd = b.AddSectionDictionary("SECTION");
      sd->SetValue("TITLE", section.title);
      sd->SetValue("KEY", section.key);
      if (section.records.empty()) sd->ShowSection("NONE");
      for (const auto& record : section.records) {
        render::Dict* rd = sd->AddSectionDictionary("RECORD");
        rd->SetValue("TITLE", record.title);
        for (const auto& f : record.fields) {
          render::Dict* fd = rd->AddSectionDictionary("FIELD");
          fd->SetValue("LABEL", f.label);
          fd->SetValue("VALUE", f.value);
        }
        for (const auto& g : record.groups) {
          if (g.rows.empty()) continue;
          render::Dict* gd = rd->AddSectionDictionary("GROUP");
          gd->SetValue("TITLE", g.title);
          for (const auto& row : g.rows) {
            std::string line;
            for (const auto& f : row) {
              if (f.value.empty()) continue;
              if (!line.empty()) line += " · ";
              line += f.label.empty() ? f.value : f.label + ": " + f.value;
            }
            gd->AddSectionDictionary("ROW")->SetValue("LINE", line);
          }
        }
      }
    }
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // The same as JSON, to download: the account as ExportJson gives it, and each module's part
  // under its key (records with their fields by key, lists under theirs).
  Response ExportJsonFile(Request& req) {
    if (!ExportUnlocked(req)) return Response::Redirect("/account/export");
    const Principal& who = PrincipalOf(req);
    const i18n::Lang lang = render::RequestLang(req);
    auto all = Collect(who.account_id, lang);
    if (!all.ok()) return svc_.error_page(http::StatusOf(all.error().code), req);
    Status logged = Audit(req, who.pseudonym, "account.export", who.pseudonym, svc_.now_ms());
    if (!logged.ok()) return AuditFailed(req, logged.error());
    boost::json::object doc = std::move(all->account);
    auto fields = [](const std::vector<ExportField>& in) {
      boost::json::object o;
      for (const auto& f : in) o[f.key] = f.value;
      return o;
    };
    for (const auto& section : all->sections) {
      boost::json::array records;
      for (const auto& r : section.records) {
        boost::json::object o = fields(r.fields);
        for (const auto& g : r.groups) {
          boost::json::array rows;
          for (const auto& row : g.rows) rows.push_back(fields(row));
          o[g.key] = std::move(rows);
        }
        records.push_back(std::move(o));
      }
      doc[section.key] = std::move(records);
    }
    Response res = Response::Json(200, boost::json::serialize(doc));
    res.headers.Set("content-disposition", "attachment; filename=\"baladiya-my-data.json\"");
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // Setting up (or replacing) the second factor: a session that has not given the current one
  // may only set one up when the account has none yet.
  bool MaySetUpTotp(const Principal& who) {
    if (who.mfa_satisfied) return true;
    auto creds = svc_.accounts->CredentialsOf(who.account_id);
    return creds.ok() && !creds->totp_enabled;
  }

  Response TotpSetupForm(Request& req) {
    const Principal& who = PrincipalOf(req);
    if (!MaySetUpTotp(who)) return Response::Redirect("/login/totp");
    return ShowTotpSetup(req, identity::Totp::NewSecret(), who, {}, 200);
  }

  Response TotpSetup(Request& req) {
    int64_t now = svc_.now_ms();
    const Principal& who = PrincipalOf(req);
    if (!MaySetUpTotp(who)) return svc_.error_page(403, req);
    http::Params form = req.Form();
    auto secret = crypto::FromBase64Url(form.Get("secret").value_or(""));
    if (!secret.ok() || secret->size() != 20) return svc_.error_page(400, req);
    // Replacing a second factor asks for the password again (a session left open is not enough
    // to move the account's second factor to someone else's phone).
    auto creds = svc_.accounts->CredentialsOf(who.account_id);
    if (!creds.ok()) return svc_.error_page(503, req);
    const bool replacing = creds->totp_enabled;
    if (replacing) {
      bool broken = false;
      const int64_t again = PasswordAgain(who, form.Get("password").value_or(""), now, &broken);
      if (broken) return svc_.error_page(503, req);
      if (again > 0) return TooMany(req, again);
      if (again < 0) {
        return ShowTotpSetup(req, *secret, who, {{"password", "security.wrong_password"}}, 422);
      }
    }
    std::string code(form.Get("code").value_or(""));
    int64_t step = identity::Totp::Check(*secret, code, now / 1000);
    if (step < 0) return ShowTotpSetup(req, *secret, who, {{"code", "login.totp_failed"}}, 422);
    std::vector<std::string> recovery = NewRecoveryCodes(10);
    AuditContext ctx{who.pseudonym, req.request_id, 0};
    if (Status s = svc_.accounts->EnableTotp(who.account_id, *secret, recovery, ctx, now);
        !s.ok()) {
      return svc_.error_page(503, req);
    }
    (void)svc_.accounts->UseTotpStep(who.account_id, step);
    // Enrolment proves the second factor: the session is elevated (and its token rotated).
    auto token = svc_.sessions->Elevate(req.attributes["session"], now, [&](db::Tx& tx) {
      return AuditIn(tx, req, who.pseudonym, "session.mfa", who.pseudonym, now);
    });
    if (!token.ok()) return AuditFailed(req, token.error());
    if (replacing) {  // the old factor may be in other hands: every other session ends
      auto ended = svc_.sessions->EndOthers(who.account_id, *token, [&](db::Tx& tx) {
        return AuditIn(tx, req, who.pseudonym, "session.ended_others", who.pseudonym, now);
      });
      if (!ended.ok()) return AuditFailed(req, ended.error());
    }
    i18n::Lang lang = render::RequestLang(req);
    render::Page page(*svc_.site, req, "identity-recovery.tpl");
    page.SetPath("/account/totp");
    page.SetTitle(svc_.site->catalog->Get(lang, "totp.recovery_title"));
    for (const auto& c : recovery) page.body().AddSectionDictionary("CODE")->SetValue("CODE", c);
    const bool to_work = who.staff && !svc_.staff_home.empty();
    page.body().SetValue("NEXT", to_work ? svc_.staff_home : std::string("/account"));
    page.body().SetValue(
        "NEXT_LABEL",
        svc_.site->catalog->Get(lang, to_work ? "totp.recovery_continue" : "account.back"));
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    res.headers.Add("set-cookie", Cookie(req, kSessionCookie, *token, Secure(req), false));
    return res;
  }

  // ---- forgot password: a one-time code through the notification outbox --------------------

  Response ForgotForm(Request& req) {
    if (!svc_.send_reset_code) return svc_.error_page(404, req);
    return ShowForgot(req, "", {}, 200);
  }

  // Every request counts against the address and the login typed (whatever its spelling), so
  // codes cannot be sprayed; each account gets at most AccountStore::kResetCodesPerDay codes a
  // day. The answer is the same, and costs the same, whether or not an account matches: the
  // lookup runs either way, and issuing and sending the code (only for an account) is deferred
  // until the answer has been written (Response::after), so its duration cannot be timed.
  Response Forgot(Request& req) {
    if (!svc_.send_reset_code) return svc_.error_page(404, req);
    int64_t now = svc_.now_ms();
    http::Params form = req.Form();
    std::string login(form.Get("login").value_or(""));
    if (login.find_first_not_of(" \t") == std::string::npos) {
      return ShowForgot(req, login, {{"login", "forgot.login_required"}}, 422);
    }
    std::string ip_key = AddressLimitKey(req);
    std::string login_key = "reset:" + svc_.accounts->LoginLimitKey(login);
    int64_t wait = std::max(svc_.code_limits->RetryAfter(ip_key, now),
                            svc_.code_limits->RetryAfter(login_key, now));
    if (wait > 0) return TooMany(req, wait);
    svc_.code_limits->Failure(ip_key, now);
    svc_.code_limits->Failure(login_key, now);
    auto creds = svc_.accounts->FindForLogin(login);
    if (!creds.ok() && creds.error().code != ErrorCode::kNotFound) {
      return svc_.error_page(503, req);
    }
    Response res = ShowReset(req, login, {}, 200, true);
    if (creds.ok() && creds->status == AccountStatus::kActive) {
      res.after = [this, account_id = creds->account_id, request_id = req.request_id,
                   path = req.path, now] { IssueResetCode(account_id, request_id, path, now); };
    }
    return res;
  }

  Response ResetForm(Request& req) {
    if (!svc_.send_reset_code) return svc_.error_page(404, req);
    return ShowReset(req, "", {}, 200, false);
  }

  Response Reset(Request& req) {
    if (!svc_.send_reset_code) return svc_.error_page(404, req);
    int64_t now = svc_.now_ms();
    http::Params form = req.Form();
    std::string login(form.Get("login").value_or(""));
    std::string code(form.Get("code").value_or(""));
    std::string password(form.Get("password").value_or(""));
    std::string ip_key = AddressLimitKey(req);
    std::string login_key = "reset:" + svc_.accounts->LoginLimitKey(login);
    int64_t wait = std::max(svc_.code_limits->RetryAfter(ip_key, now),
                            svc_.code_limits->RetryAfter(login_key, now));
    if (wait > 0) return TooMany(req, wait);
    // The new password is checked first, so a refused password does not spend the code.
    // The login typed stands for the person's own words here (the account is not looked up
    // before the code is checked, so the answer cannot tell whether it exists).
    if (Status policy = CheckPasswordPolicy(password, PasswordContextWords(login, login, login));
        !policy.ok()) {
      return ShowReset(req, login, {{"password", policy.error().message_key}}, 422, false);
    }
    // Hashed before the code is spent, so a busy hasher does not cost the resident their code.
    auto hash = svc_.hasher->Hash(password);
    if (!hash.ok()) return svc_.error_page(503, req);
    auto creds = svc_.accounts->FindForLogin(login);
    if (!creds.ok() && creds.error().code != ErrorCode::kNotFound) {
      return svc_.error_page(503, req);
    }
    // The code is checked the same way for an unknown login (account 0 matches no code).
    const int64_t account_id =
        creds.ok() && creds->status == AccountStatus::kActive ? creds->account_id : 0;
    auto used = svc_.accounts->ConsumeResetCode(account_id, code, now, {"", req.request_id, 0});
    if (!used.ok()) return svc_.error_page(503, req);
    const bool consumed = *used;
    std::optional<identity::Account> account;
    if (consumed) {
      auto a = svc_.accounts->Get(account_id, true);
      if (!a.ok()) return svc_.error_page(503, req);
      account = std::move(*a);
    }
    if (!consumed) {
      svc_.code_limits->Failure(ip_key, now);
      svc_.code_limits->Failure(login_key, now);
      return ShowReset(req, login, {{"code", "reset.code_wrong"}}, 422, false);
    }
    AuditContext ctx{"", req.request_id, account->home_municipality_id};
    Status set = svc_.accounts->SetPassword(account->id, *hash, ctx, now, [&](db::Tx& tx) {
      return svc_.send_password_changed ? svc_.send_password_changed(tx, *account, now) : Ok();
    });
    if (!set.ok()) return svc_.error_page(503, req);
    if (svc_.notified) svc_.notified();
    svc_.login_limits->Success(svc_.accounts->LoginLimitKey(login));
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *svc_.site->catalog;
    render::Page page(*svc_.site, req, "identity-message.tpl");
    page.SetTitle(cat.Get(lang, "reset.done_title"));
    page.body().SetValue("HEADING", cat.Get(lang, "reset.done_title"));
    page.body().SetValue("MESSAGE", cat.Get(lang, "reset.done_body"));
    render::Dict* link = page.body().AddSectionDictionary("LINK");
    link->SetValue("HREF", "/login");
    link->SetValue("TEXT", cat.Get(lang, "login.title"));
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // ---- the account security page: password, sessions, second factor -----------------------

  // The password typed again by a signed-in person before a sensitive change, under the
  // per-account limit (a stolen session is not a password oracle): 0 when right; -1 when wrong
  // (counted); otherwise the seconds to wait (nothing checked). *broken on a hasher or database
  // failure.
  int64_t PasswordAgain(const Principal& who, std::string_view password, int64_t now,
                        bool* broken) {
    *broken = false;
    const std::string key = "reauth:" + std::to_string(who.account_id);
    if (int64_t wait = svc_.limits->reauth.RetryAfter(key, now)) return wait;
    auto creds = svc_.accounts->CredentialsOf(who.account_id);
    if (!creds.ok()) {
      *broken = true;
      return 0;
    }
    auto verdict = svc_.hasher->Verify(password, creds->password_hash);
    if (!verdict.ok()) {
      *broken = true;
      return 0;
    }
    if (!verdict->match) {
      svc_.limits->reauth.Failure(key, now);
      return -1;
    }
    svc_.limits->reauth.Success(key);
    return 0;
  }

  Response Security(Request& req) { return ShowSecurity(req, {}, {}, 200); }

  // A new password, given with the current one: every session of the account ends, and this
  // browser gets a fresh one; "your password was changed" goes out with the change.
  Response ChangePassword(Request& req) {
    int64_t now = svc_.now_ms();
    const Principal& who = PrincipalOf(req);
    http::Params form = req.Form();
    const std::string current(form.Get("current_password").value_or(""));
    const std::string fresh(form.Get("new_password").value_or(""));
    bool broken = false;
    const int64_t again = PasswordAgain(who, current, now, &broken);
    if (broken) return svc_.error_page(503, req);
    if (again > 0) return TooMany(req, again);
    if (again < 0) {
      return ShowSecurity(req, {{"current_password", "security.wrong_password"}}, {}, 422);
    }
    auto account = svc_.accounts->Get(who.account_id, true);
    if (!account.ok()) return svc_.error_page(503, req);
    const std::vector<std::string> own = PasswordContextWords(
        account->personal.national_id, account->personal.phone, account->username);
    if (Status policy = CheckPasswordPolicy(fresh, own); !policy.ok()) {
      return ShowSecurity(req, {{"new_password", policy.error().message_key}}, {}, 422);
    }
    if (fresh == current) {
      return ShowSecurity(req, {{"new_password", "security.same_password"}}, {}, 422);
    }
    auto hash = svc_.hasher->Hash(fresh);
    if (!hash.ok()) return svc_.error_page(503, req);
    AuditContext ctx{who.pseudonym, req.request_id, account->home_municipality_id};
    Status set = svc_.accounts->SetPassword(account->id, *hash, ctx, now, [&](db::Tx& tx) {
      return svc_.send_password_changed ? svc_.send_password_changed(tx, *account, now) : Ok();
    });
    if (!set.ok()) return AuditFailed(req, set.error());
    if (svc_.notified) svc_.notified();
    // SetPassword ended every session, this one too: the browser that changed it carries on in
    // a new one, as signed in (and as far through the second factor) as it was.
    auto token = svc_.sessions->Create(
        account->id, who.staff, who.mfa_satisfied, now,
        [&](db::Tx& tx) {
          return AuditIn(tx, req, who.pseudonym, "session.renewed", who.pseudonym, now,
                         account->home_municipality_id);
        },
        ClientOf(req));
    if (!token.ok()) return AuditFailed(req, token.error());
    Response res = Response::Redirect(SecurityDone("password"));
    res.headers.Add("set-cookie", Cookie(req, kSessionCookie, *token, Secure(req), false));
    return res;
  }

  Response EndSession(Request& req) {
    const Principal& who = PrincipalOf(req);
    int64_t now = svc_.now_ms();
    const std::string id(req.Form().Get("session").value_or(""));
    const bool own = id == crypto::Sha256Hex(req.attributes["session"]);
    auto ended = svc_.sessions->End(who.account_id, id, [&](db::Tx& tx) {
      return AuditIn(tx, req, who.pseudonym, own ? "session.logout" : "session.ended",
                     who.pseudonym, now);
    });
    if (!ended.ok()) return AuditFailed(req, ended.error());
    if (own) {  // ending the session in use is signing out
      Response res = Response::Redirect("/");
      res.headers.Add("set-cookie", Cookie(req, kSessionCookie, "", Secure(req), true));
      return res;
    }
    // Gone already (it expired, or another tab ended it): the page says it has ended all the same.
    return Response::Redirect(SecurityDone("ended"));
  }

  Response EndOtherSessions(Request& req) {
    const Principal& who = PrincipalOf(req);
    int64_t now = svc_.now_ms();
    auto ended =
        svc_.sessions->EndOthers(who.account_id, req.attributes["session"], [&](db::Tx& tx) {
          return AuditIn(tx, req, who.pseudonym, "session.ended_others", who.pseudonym, now);
        });
    if (!ended.ok()) return AuditFailed(req, ended.error());
    return Response::Redirect(SecurityDone("others"));
  }

  // Removing the second factor, with the password typed again; staff must keep theirs (they may
  // replace it on /account/totp). Every other session ends.
  Response RemoveTotp(Request& req) {
    int64_t now = svc_.now_ms();
    const Principal& who = PrincipalOf(req);
    if (who.staff) return svc_.error_page(403, req);
    bool broken = false;
    const int64_t again = PasswordAgain(who, req.Form().Get("password").value_or(""), now, &broken);
    if (broken) return svc_.error_page(503, req);
    if (again > 0) return TooMany(req, again);
    if (again < 0) return ShowSecurity(req, {}, {{"password", "security.wrong_password"}}, 422);
    AuditContext ctx{who.pseudonym, req.request_id, 0};
    if (Status off = svc_.accounts->DisableTotp(who.account_id, ctx, now); !off.ok()) {
      if (off.error().code == ErrorCode::kInvalid) return svc_.error_page(403, req);
      return AuditFailed(req, off.error());
    }
    auto ended =
        svc_.sessions->EndOthers(who.account_id, req.attributes["session"], [&](db::Tx& tx) {
          return AuditIn(tx, req, who.pseudonym, "session.ended_others", who.pseudonym, now);
        });
    if (!ended.ok()) return AuditFailed(req, ended.error());
    return Response::Redirect(SecurityDone("totp_removed"));
  }

  Response ShowSecurity(const Request& req, const std::map<std::string, std::string>& pw_errors,
                        const std::map<std::string, std::string>& totp_errors, int status) {
    const Principal& who = PrincipalOf(req);
    const i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *svc_.site->catalog;
    const int64_t now = svc_.now_ms();
    auto creds = svc_.accounts->CredentialsOf(who.account_id);
    if (!creds.ok()) return svc_.error_page(503, req);
    auto live = svc_.sessions->Live(who.account_id, now);
    if (!live.ok()) return svc_.error_page(503, req);
    FormToken token = TokenFor(req);
    render::Page page(*svc_.site, req, "identity-security.tpl");
    page.SetPath("/account/security");
    page.SetTitle(cat.Get(lang, "security.title"));
    render::Dict& b = page.body();
    b.SetValue("CSRF", token.value);
    const std::string done(req.query.Get("done").value_or(""));
    for (const char* known : {"password", "ended", "others", "totp_removed"}) {
      if (done == known) {
        b.SetValueAndShowSection("DONE_TEXT", cat.Get(lang, "security.done." + done), "DONE");
      }
    }
    render::Form pw;
    pw.action = "/account/security/password";
    pw.submit_key = "security.password_submit";
    pw.csrf = token.value;
    pw.errors = pw_errors;
    pw.fields = {
        {"current_password", "security.current_password", "", "password", "", "current-password",
         "", true, true},
        {"new_password", "security.new_password", "register.password.hint", "password", "",
         "new-password", "", true, true},
    };
    render::IncludeForm(b, pw, cat, lang);
    const std::string current = crypto::Sha256Hex(
        req.attributes.count("session") ? req.attributes.at("session") : std::string());
    int n = 0;
    bool others = false;
    for (const Session& s : *live) {
      render::Dict* d = b.AddSectionDictionary("SESSION");
      d->SetIntValue("N", ++n);
      d->SetValue("AGENT", AgentWords(s.client.agent, lang));
      d->SetValue("SIGNED_IN", i18n::FormatDate(s.created_at, lang) + " " +
                                   i18n::FormatTime(s.created_at, lang));
      d->SetValue("LAST_SEEN", i18n::FormatDate(s.last_seen_at, lang) + " " +
                                   i18n::FormatTime(s.last_seen_at, lang));
      if (!s.client.network.empty()) {
        d->SetValueAndShowSection("NETWORK", s.client.network, "HAS_NETWORK");
      }
      if (s.id_hash == current) {
        d->ShowSection("CURRENT");
      } else {
        others = true;
        render::Dict* o = d->AddSectionDictionary("OTHER");
        o->SetValue("CSRF", token.value);
        o->SetValue("ID", s.id_hash);
        o->SetIntValue("N", n);
      }
    }
    if (others) b.ShowSection("HAS_OTHERS");
    const bool staff = creds->kind == AccountKind::kStaff;
    b.SetValue("TOTP_STATUS",
               cat.Get(lang, creds->totp_enabled ? "account.totp_on" : "account.totp_off"));
    b.SetValue("TOTP_LINK",
               cat.Get(lang, creds->totp_enabled ? "security.totp_replace" : "account.totp_setup"));
    if (staff) b.ShowSection("TOTP_REQUIRED");
    if (creds->totp_enabled && !staff) {
      render::Form rm;
      rm.action = "/account/security/totp/remove";
      rm.submit_key = "security.totp_remove_submit";
      rm.csrf = token.value;
      rm.errors = totp_errors;
      rm.fields = {{"password", "login.password.label", "", "password", "", "current-password", "",
                    true, true}};
      render::Dict* section = b.AddSectionDictionary("TOTP_REMOVE");
      render::Dict* f = section->AddIncludeDictionary("REMOVE_FORM");
      f->SetFilename(render::LanguageName("form.tpl", lang));
      render::FillForm(*f, rm, cat, lang);
    }
    Response res = page.Finish(status);
    if (token.fresh)
      res.headers.Add("set-cookie", CsrfCookie(token.value, http::ServedOverTls(req)));
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // "Firefox on Windows" from DescribeAgent's keys, in the reader's language.
  std::string AgentWords(const std::string& agent, i18n::Lang lang) {
    const auto& cat = *svc_.site->catalog;
    const size_t slash = agent.find('/');
    std::string browser = slash == std::string::npos ? "other" : agent.substr(0, slash);
    std::string os = slash == std::string::npos ? "other" : agent.substr(slash + 1);
    if (!cat.Has(lang, "security.browser." + browser)) browser = "other";
    if (!cat.Has(lang, "security.os." + os)) os = "other";
    if (browser == "other" && os == "other") return cat.Get(lang, "security.agent_unknown");
    return cat.Format(lang, "security.agent",
                      {{"browser", cat.Get(lang, "security.browser." + browser)},
                       {"os", cat.Get(lang, "security.os." + os)}});
  }

  Response CloseForm(Request& req) { return ShowClose(req, {}, 200); }

  Response Close(Request& req) {
    int64_t now = svc_.now_ms();
    const Principal& who = PrincipalOf(req);
    http::Params form = req.Form();
    // A signed-in session is not a password oracle: wrong passwords count per account.
    const std::string reauth_key = "reauth:" + std::to_string(who.account_id);
    if (int64_t wait = svc_.limits->reauth.RetryAfter(reauth_key, now)) return TooMany(req, wait);
    auto creds = svc_.accounts->CredentialsOf(who.account_id);
    if (!creds.ok()) return svc_.error_page(503, req);
    std::string password(form.Get("password").value_or(""));
    auto verdict = svc_.hasher->Verify(password, creds->password_hash);
    if (!verdict.ok()) return svc_.error_page(503, req);
    if (!verdict->match) {
      svc_.limits->reauth.Failure(reauth_key, now);
      return ShowClose(req, {{"password", "account.close_wrong_password"}}, 422);
    }
    svc_.limits->reauth.Success(reauth_key);
    AuditContext ctx{who.pseudonym, req.request_id, 0};
    // Open applications left behind: the ID number's blind index is kept so that registering
    // again brings them back (the closing page said so).
    bool leaves_open = false;
    for (const auto& matters : svc_.open_matters) {
      auto m = matters(who.account_id, render::RequestLang(req));
      if (!m.ok()) return svc_.error_page(503, req);
      leaves_open = leaves_open || !m->empty();
    }
    if (Status s = svc_.accounts->Close(who.account_id, ctx, now, leaves_open); !s.ok()) {
      return svc_.error_page(503, req);
    }
    i18n::Lang lang = render::RequestLang(req);
    render::Page page(*svc_.site, req, "identity-message.tpl");
    page.SetTitle(svc_.site->catalog->Get(lang, "account.closed_title"));
    page.body().SetValue("HEADING", svc_.site->catalog->Get(lang, "account.closed_title"));
    page.body().SetValue("MESSAGE", svc_.site->catalog->Get(lang, "account.closed_body"));
    Response res = page.Finish(200);
    res.headers.Add("set-cookie", Cookie(req, kSessionCookie, "", Secure(req), true));
    return res;
  }

 private:
  bool Secure(const Request& req) const { return svc_.secure_cookies || http::ServedOverTls(req); }

  static SessionClient ClientOf(const Request& req) {
    return {DescribeAgent(req.headers.Get("user-agent")), ShortNetwork(req.remote_address)};
  }

  static audit::EntryInput Entry(const Request& req, const std::string& actor, const char* action,
                                 const std::string& object, int64_t now, int64_t municipality_id) {
    audit::EntryInput e;
    e.municipality_id = municipality_id;
    e.time_ms = now;
    e.actor = actor;
    e.action = action;
    e.object = object;
    e.request_id = req.request_id;
    return e;
  }

  // An audit entry in a transaction of its own (for events that change no other state).
  Status Audit(const Request& req, const std::string& actor, const char* action,
               const std::string& object, int64_t now, int64_t municipality_id = 0) {
    if (svc_.audit == nullptr) return Ok();
    auto appended = svc_.audit->Append(Entry(req, actor, action, object, now, municipality_id));
    if (!appended.ok()) return std::move(appended).error();
    return Ok();
  }

  // An audit entry inside the transaction of the change it records.
  Status AuditIn(db::Tx& tx, const Request& req, const std::string& actor, const char* action,
                 const std::string& object, int64_t now, int64_t municipality_id = 0) {
    if (svc_.audit == nullptr) return Ok();
    auto appended = svc_.audit->Append(tx, Entry(req, actor, action, object, now, municipality_id));
    if (!appended.ok()) return std::move(appended).error();
    return Ok();
  }

  // The request fails when its audit entry (or the change that carries it) could not be
  // written; a line says so.
  Response AuditFailed(const Request& req, const Error& e) {
    if (e.code != ErrorCode::kNotFound) LogAuditFailure(req, e);  // kNotFound: no live session
    return svc_.error_page(503, req);
  }

  // Issues and sends a reset code for an account that exists (deferred: see Forgot). Failures
  // (the daily cap, a busy database) send nothing; the resident may ask again.
  void IssueResetCode(int64_t account_id, const std::string& request_id, const std::string& path,
                      int64_t now) {
    auto account = svc_.accounts->Get(account_id, true);
    if (!account.ok()) return;
    AuditContext ctx{"", request_id, account->home_municipality_id};
    auto issued = svc_.accounts->IssueResetCode(
        account->id, now, ctx, [&](db::Tx& tx, const std::string& code) {
          return svc_.send_reset_code(tx, *account, code, now);
        });
    if (issued.ok()) {
      if (svc_.notified) svc_.notified();
    } else if (issued.error().code != ErrorCode::kConflict) {
      Request r;
      r.path = path;
      r.request_id = request_id;
      LogAuditFailure(r, issued.error());
    }
  }

  // Ends a round of wrong second-factor codes: the session ends (the password must be given
  // again) and the page says how long until codes are taken again.
  Response SecondFactorLocked(Request& req, int64_t wait_ms) {
    (void)svc_.sessions->Revoke(req.attributes["session"]);
    log::Security("mfa.locked", req.path, req.request_id);
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *svc_.site->catalog;
    int64_t minutes = std::max<int64_t>(1, (wait_ms + 59'999) / 60'000);
    render::Page page(*svc_.site, req, "identity-message.tpl");
    page.SetTitle(cat.Get(lang, "login.totp_locked_title"));
    page.body().SetValue("HEADING", cat.Get(lang, "login.totp_locked_title"));
    page.body().SetValue("MESSAGE", cat.Format(lang, "login.totp_locked_body",
                                               {{"minutes", std::to_string(minutes)}}));
    render::Dict* link = page.body().AddSectionDictionary("LINK");
    link->SetValue("HREF", "/login");
    link->SetValue("TEXT", cat.Get(lang, "login.title"));
    Response res = page.Finish(429);
    res.headers.Set("retry-after", std::to_string((wait_ms + 999) / 1000));
    res.headers.Set("cache-control", "no-store");
    res.headers.Add("set-cookie", Cookie(req, kSessionCookie, "", Secure(req), true));
    return res;
  }

  // A new session, with its "session.login" entry in the same transaction.
  Response StartSession(Request& req, int64_t account_id, bool staff, bool mfa_satisfied,
                        const std::string& next) {
    int64_t now = svc_.now_ms();
    auto account = svc_.accounts->Get(account_id, false);
    if (!account.ok()) return svc_.error_page(503, req);
    // A browser that still holds a session (of this account or another) gives it up: a login
    // never leaves an old session behind in the browser that replaced it.
    if (auto old = ReadCookie(req, kSessionCookie); old && !old->empty()) {
      Status ended = svc_.sessions->Revoke(*old, [&](db::Tx& tx) {
        return AuditIn(tx, req, account->pseudonym, "session.replaced", account->pseudonym, now,
                       account->home_municipality_id);
      });
      if (!ended.ok()) return AuditFailed(req, ended.error());
    }
    auto token = svc_.sessions->Create(
        account_id, staff, mfa_satisfied, now,
        [&](db::Tx& tx) {
          return AuditIn(tx, req, account->pseudonym, "session.login", account->pseudonym, now,
                         account->home_municipality_id);
        },
        ClientOf(req));
    if (!token.ok()) return AuditFailed(req, token.error());
    Response res = Response::Redirect(next);
    res.headers.Add("set-cookie", Cookie(req, kSessionCookie, *token, Secure(req), false));
    return res;
  }

  Response TooMany(const Request& req, int64_t wait_seconds) {
    return TooManyPage(svc_, req, wait_seconds);
  }

  // A page with a heading, an optional intro and a form.
  Response FormPage(const Request& req, const char* title_key, const char* intro_key,
                    render::Form form, const std::string& path, int status,
                    const std::vector<std::pair<std::string, std::string>>& links = {},
                    const std::string& intro_text = "",
                    const std::vector<OpenMatter>* open = nullptr) {
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *svc_.site->catalog;
    FormToken token = TokenFor(req);
    form.csrf = token.value;
    render::Page page(*svc_.site, req, "identity-form.tpl");
    page.SetPath(path);
    page.SetTitle(cat.Get(lang, title_key));
    render::Dict& b = page.body();
    b.SetValue("HEADING", cat.Get(lang, title_key));
    if (intro_key) b.SetValueAndShowSection("INTRO", cat.Get(lang, intro_key), "HAS_INTRO");
    if (!intro_text.empty()) b.SetValueAndShowSection("INTRO", intro_text, "HAS_INTRO");
    if (open && !open->empty()) {
      b.SetValueAndShowSection(
          "OPEN_TEXT",
          cat.Format(lang, "account.close_open",
                     {{"count", i18n::FormatNumber(static_cast<int64_t>(open->size()), lang)}}),
          "HAS_OPEN");
      for (const auto& m : *open) {
        render::Dict* d = b.AddSectionDictionary("OPEN");
        d->SetValue("HREF", m.href);
        d->SetValue("LABEL", m.label);
      }
    }
    render::IncludeForm(b, form, cat, lang);
    for (const auto& [href, key] : links) {
      render::Dict* l = b.AddSectionDictionary("LINK");
      l->SetValue("HREF", href);
      l->SetValue("TEXT", cat.Get(lang, key));
    }
    Response res = page.Finish(status);
    if (token.fresh)
      res.headers.Add("set-cookie", CsrfCookie(token.value, http::ServedOverTls(req)));
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowRegister(const Request& req, const http::Params& values,
                        const std::map<std::string, std::string>& errors, int status = 200) {
    auto v = [&](const char* n) { return std::string(values.Get(n).value_or("")); };
    render::Form form;
    form.action = "/register";
    form.submit_key = "register.submit";
    form.errors = errors;
    form.fields = {
        {"national_id", "register.national_id.label", "register.national_id.hint", "text",
         v("national_id"), "off", "numeric", true, true},
        {"full_name_ar", "register.full_name_ar.label", "", "text", v("full_name_ar"), "name"},
        {"full_name_en", "register.full_name_en.label", "", "text", v("full_name_en"), "off", "",
         false, true},
        {"phone", "register.phone.label", "register.phone.hint", "tel", v("phone"), "tel", "tel",
         true, true},
        {"email", "register.email.label", "", "email", v("email"), "email", "email", false, true},
        {"birth_date", "register.birth_date.label", "register.birth_date.hint", "date",
         v("birth_date"), "bday", "", false, true},
        {"password", "register.password.label", "register.password.hint", "password", "",
         "new-password", "", true, true},
    };
    return FormPage(req, "register.title", "register.intro", std::move(form), "/register", status,
                    {{"/login", "register.have_account"}});
  }

  Response ShowLogin(const Request& req, const http::Params& values,
                     const std::map<std::string, std::string>& errors, int status) {
    render::Form form;
    form.action = "/login";
    form.submit_key = "login.submit";
    form.errors = errors;
    form.hidden = {{"next", SafeNext(values.Get("next").value_or(
                                req.query.Get("next").value_or("/account")))}};
    form.fields = {
        {"login", "login.login.label", "login.login.hint", "text",
         std::string(values.Get("login").value_or("")), "username", "", true, true},
        {"password", "login.password.label", "", "password", "", "current-password", "", true,
         true},
    };
    std::vector<std::pair<std::string, std::string>> links = {{"/register", "login.no_account"}};
    if (svc_.send_reset_code) links.emplace_back("/password/forgot", "login.forgot_link");
    // Sent here by a form posted after the session ended (Authenticate): say why.
    std::string intro;
    if (req.query.Get("ended").value_or("") == "1")
      intro = svc_.site->catalog->Get(render::RequestLang(req), "login.session_ended");
    return FormPage(req, "login.title", nullptr, std::move(form), "/login", status, links, intro);
  }

  // attempts_left > 0 adds a line saying how many codes remain before the password is needed
  // again.
  Response ShowTotp(const Request& req, const std::string& next,
                    const std::map<std::string, std::string>& errors, int status,
                    int attempts_left = 0) {
    render::Form form;
    form.action = "/login/totp";
    form.submit_key = "login.totp_submit";
    form.errors = errors;
    form.hidden = {{"next", SafeNext(next)}};
    form.fields = {{"code", "login.totp.label", "login.totp.hint", "text", "", "one-time-code",
                    "numeric", true, true}};
    std::string intro;
    if (attempts_left > 0) {
      intro = svc_.site->catalog->Format(render::RequestLang(req), "login.totp_attempts_left",
                                         {{"count", std::to_string(attempts_left)}});
    }
    return FormPage(req, "login.totp_title", nullptr, std::move(form), "/login/totp", status, {},
                    intro);
  }

  Response ShowTotpSetup(const Request& req, const std::string& secret, const Principal& who,
                         const std::map<std::string, std::string>& errors, int status) {
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *svc_.site->catalog;
    std::string uri =
        identity::Totp::Uri(cat.Get(lang, "site.name"), who.pseudonym.substr(0, 8), secret);
    render::Form form;
    form.action = "/account/totp";
    form.submit_key = "totp.submit";
    form.errors = errors;
    form.hidden = {{"secret", crypto::ToBase64Url(secret)}};
    form.fields = {{"code", "login.totp.label", "totp.code_hint", "text", "", "one-time-code",
                    "numeric", true, true}};
    if (auto creds = svc_.accounts->CredentialsOf(who.account_id);
        creds.ok() && creds->totp_enabled) {
      form.fields.push_back({"password", "login.password.label", "security.totp_replace_hint",
                             "password", "", "current-password", "", true, true});
    }
    FormToken token = TokenFor(req);
    form.csrf = token.value;
    render::Page page(*svc_.site, req, "identity-totp.tpl");
    page.SetPath("/account/totp");
    page.SetTitle(cat.Get(lang, "totp.title"));
    render::Dict& b = page.body();
    // Our own SVG (modules as one path; no text from users), shown inline: no request, no script.
    b.SetValue("QR_SVG", QrSvg(uri));
    b.SetValue("SECRET", identity::Totp::Base32(secret));
    render::IncludeForm(b, form, cat, lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowForgot(const Request& req, const std::string& login,
                      const std::map<std::string, std::string>& errors, int status) {
    render::Form form;
    form.action = "/password/forgot";
    form.submit_key = "forgot.submit";
    form.errors = errors;
    form.fields = {{"login", "login.login.label", "login.login.hint", "text", login, "username", "",
                    true, true}};
    return FormPage(req, "forgot.title", "forgot.intro", std::move(form), "/password/forgot",
                    status, {{"/login", "forgot.back_to_login"}});
  }

  Response ShowReset(const Request& req, const std::string& login,
                     const std::map<std::string, std::string>& errors, int status, bool sent,
                     const char* sent_key = "reset.sent") {
    render::Form form;
    form.action = "/password/reset";
    form.submit_key = "reset.submit";
    form.errors = errors;
    form.fields = {
        {"login", "login.login.label", "", "text", login, "username", "", true, true},
        {"code", "reset.code.label", "reset.code.hint", "text", "", "one-time-code", "numeric",
         true, true},
        {"password", "reset.password.label", "register.password.hint", "password", "",
         "new-password", "", true, true},
    };
    return FormPage(req, "reset.title", sent ? sent_key : "reset.intro", std::move(form),
                    "/password/reset", status, {{"/password/forgot", "reset.request_again"}});
  }

  Response ShowClose(const Request& req, const std::map<std::string, std::string>& errors,
                     int status) {
    render::Form form;
    form.action = "/account/close";
    form.submit_key = "account.close_submit";
    form.errors = errors;
    form.fields = {{"password", "login.password.label", "account.close_hint", "password", "",
                    "current-password", "", true, true}};
    // What is still open goes on without the account: say so, and list it, before closing.
    const i18n::Lang lang = render::RequestLang(req);
    std::vector<OpenMatter> open;
    for (const auto& matters : svc_.open_matters) {
      auto m = matters(PrincipalOf(req).account_id, lang);
      if (!m.ok()) return svc_.error_page(http::StatusOf(m.error().code), req);
      open.insert(open.end(), m->begin(), m->end());
    }
    return FormPage(req, "account.close_title", "account.close_intro", std::move(form),
                    "/account/close", status, {{"/account", "account.back"}}, "", &open);
  }

  const WebServices& svc_;
};

}  // namespace

void AddRoutes(GuardedRoutes& routes, const WebServices& services) {
  auto pages = std::make_shared<Pages>(services);
  auto on = http::MemberHandlers(pages);
  routes.Get("/register", Access::Public(), on(&Pages::RegisterForm));
  routes.Post("/register", Access::Public(), on(&Pages::Register));
  routes.Get("/login", Access::Public(), on(&Pages::LoginForm));
  routes.Post("/login", Access::Public(), on(&Pages::Login));
  routes.Get("/login/totp", Access::BeforeSecondFactor(), on(&Pages::TotpForm));
  routes.Post("/login/totp", Access::BeforeSecondFactor(), on(&Pages::Totp));
  routes.Post("/logout", Access::BeforeSecondFactor(), on(&Pages::Logout));
  routes.Get("/password/forgot", Access::Public(), on(&Pages::ForgotForm));
  routes.Post("/password/forgot", Access::Public(), on(&Pages::Forgot));
  routes.Get("/password/reset", Access::Public(), on(&Pages::ResetForm));
  routes.Post("/password/reset", Access::Public(), on(&Pages::Reset));
  routes.Get("/account", Access::SignedIn(), on(&Pages::Account));
  routes.Get("/account/export", Access::SignedIn(), on(&Pages::Export));
  routes.Post("/account/export", Access::SignedIn(), on(&Pages::ExportConfirm));
  routes.Get("/account/export.json", Access::SignedIn(), on(&Pages::ExportJsonFile));
  routes.Get("/account/totp", Access::BeforeSecondFactor(), on(&Pages::TotpSetupForm));
  routes.Post("/account/totp", Access::BeforeSecondFactor(), on(&Pages::TotpSetup));
  routes.Get("/account/security", Access::SignedIn(), on(&Pages::Security));
  routes.Post("/account/security/password", Access::SignedIn(), on(&Pages::ChangePassword));
  routes.Post("/account/security/sessions/end", Access::SignedIn(), on(&Pages::EndSession));
  routes.Post("/account/security/sessions/end-others", Access::SignedIn(),
              on(&Pages::EndOtherSessions));
  routes.Post("/account/security/totp/remove", Access::SignedIn(), on(&Pages::RemoveTotp));
  routes.Get("/account/close", Access::SignedIn(), on(&Pages::CloseForm));
  routes.Post("/account/close", Access::SignedIn(), on(&Pages::Close));
}

}  // namespace baladiya::identity

// Votes on the web (web.h): the public vote page (the ballot during the voting phase, the results
// once published), the ballot cast on the web, at the counter by a clerk after checking the ID
// card, and by SMS through the gateway's inbound messages; the staff's forms that create a vote
// and publish its results. The store decides (one register for all channels).
#include <boost/json.hpp>

#include "catalog/page.h"
#include "identity/web.h"
#include "notify/notify.h"
#include "participation/web.h"
#include "platform/crypto/crypto.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/money.h"
#include "platform/render/errors.h"
#include "platform/render/form.h"

namespace baladiya::participation {
namespace {

using http::Request;
using http::Response;

std::string Lang(const Request& req) {
  return render::RequestLang(req) == i18n::Lang::kEn ? "?lang=en" : "";
}

Actor ActorOf(const Request& req) {
  const identity::Principal& who = identity::PrincipalOf(req);
  return {who.account_id, who.pseudonym, req.request_id};
}

// "1 3", "1,3", "١ ٣": the option numbers, in order; nullopt when something else is there.
std::optional<std::vector<int64_t>> Numbers(std::string_view text) {
  std::vector<int64_t> out;
  const std::string western = i18n::ToWesternDigits(text);
  int64_t n = -1;
  for (char c : western + " ") {
    if (c >= '0' && c <= '9') {
      n = (n < 0 ? 0 : n) * 10 + (c - '0');
      if (n > 1000) return std::nullopt;
    } else if (c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r') {
      if (n >= 0) out.push_back(n);
      n = -1;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

class VotePages {
 public:
  explicit VotePages(WebOptions o) : o_(std::move(o)) {}

  Response Show(Request& req) { return ShowVote(req, "", 200); }

  Response CastWeb(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    std::vector<int64_t> numbers;
    for (std::string_view v : req.Form().GetAll("option")) {
      auto n = Numbers(v);
      if (!n || n->size() != 1) return ShowVote(req, "participation.vote.choice", 422);
      numbers.push_back(n->front());
    }
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = o_.store->Cast(ctx->process, ctx->vote, who.account_id, Channel::kWeb, numbers,
                              ActorOf(req), o_.now_ms());
    if (!s.ok()) return Refused(req, s.error());
    return Response::Redirect(ctx->href + Lang(req));
  }

  // The counter's paper ballot: the clerk checked the ID card, types its number, the vote's code
  // and the numbers chosen.
  Response CastCounter(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const identity::Principal& who = identity::PrincipalOf(req);
    const identity::AuditContext actx{who.pseudonym, req.request_id, m->id};
    const int64_t now = o_.now_ms();
    auto vote = o_.store->VoteBySmsCode(std::string(form.Get("code").value_or("")));
    if (!vote.ok() || vote->first.municipality_id != m->id) {
      if (vote.ok() || vote.error().code == ErrorCode::kNotFound) {
        return Counter(req, "participation.vote.unknown_code", 422);
      }
      return o_.error_page(503, req);
    }
    auto numbers = Numbers(form.Get("options").value_or(""));
    if (!numbers) return Counter(req, "participation.vote.choice", 422);
    auto r = o_.accounts->LookUpResident(who, m->id, form.Get("national_id").value_or(""), "", actx,
                                         now);
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kNotFound || r.error().code == ErrorCode::kInvalid) {
        return Counter(req, "participation.verify.not_found", 422);
      }
      return o_.error_page(http::StatusOf(r.error().code), req);
    }
    Status s = o_.store->Cast(vote->first, vote->second, r->id, Channel::kCounter, *numbers,
                              ActorOf(req), now);
    if (!s.ok()) {
      if (s.error().code == ErrorCode::kUnavailable || s.error().code == ErrorCode::kInternal) {
        return o_.error_page(503, req);
      }
      return Counter(req, s.error().message_key, http::StatusOf(s.error().code));
    }
    return Counter(req, "participation.vote.recorded", 200);
  }

  // POST /api/v1/participation/sms-inbound, from the SMS gateway (its bearer token):
  // {"from": "+970599123456", "text": "K7M2Q 1 3"}. The sender must be a verified resident's
  // phone; the answer says whether the ballot was taken, and the sender is told by SMS.
  Response SmsInbound(Request& req) {
    const i18n::Catalog& cat = *o_.site->catalog;
    if (o_.sms_token.empty()) return render::ApiError(cat, req, 404, "not_found", "api.not_found");
    if (!crypto::ConstantTimeEquals(req.headers.Get("authorization"), "Bearer " + o_.sms_token)) {
      return render::ApiError(cat, req, 401, "unauthorized", "api.bad_token");
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    const boost::json::object* obj = !ec && v.is_object() ? &v.as_object() : nullptr;
    auto text = [&](const char* k) -> std::string {
      if (!obj) return "";
      auto* f = obj->if_contains(k);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    const std::string from = text("from");
    const std::string body = text("text");
    if (from.empty() || from.size() > 32 || body.empty() || body.size() > 480) {
      return render::ApiError(cat, req, 400, "bad_request", "participation.sms.malformed");
    }
    const int64_t now = o_.now_ms();
    auto refused = [&](const std::string& reason, int64_t account, const std::string& lang) {
      if (account != 0) Reply(account, from, lang, "participation.sms_refused", reason, now);
      boost::json::object out{{"status", "refused"}, {"reason", reason}};
      return Response::Json(200, boost::json::serialize(out));
    };
    // Unknown numbers get no reply: the gateway must not become a way to text strangers.
    auto sender = o_.accounts->FindForLogin(from);
    if (!sender.ok()) {
      if (sender.error().code != ErrorCode::kNotFound) {
        return render::ApiError(cat, req, 503, "unavailable", "error.busy");
      }
      return refused("unknown_sender", 0, "ar");
    }
    if (sender->kind != identity::AccountKind::kResident) return refused("unknown_sender", 0, "ar");
    auto account = o_.accounts->Get(sender->account_id, false);
    const std::string lang = account.ok() ? account->lang : "ar";
    const std::string trimmed(body.substr(0, body.find_first_of(" \t,")));
    auto vote = o_.store->VoteBySmsCode(trimmed);
    if (!vote.ok()) {
      if (vote.error().code != ErrorCode::kNotFound) {
        return render::ApiError(cat, req, 503, "unavailable", "error.busy");
      }
      return refused("unknown_code", sender->account_id, lang);
    }
    auto numbers = Numbers(body.size() > trimmed.size() ? body.substr(trimmed.size()) : "");
    if (!numbers) return refused("choice", sender->account_id, lang);
    Status s = o_.store->Cast(vote->first, vote->second, sender->account_id, Channel::kSms,
                              *numbers, {sender->account_id, "sms-gateway", req.request_id}, now);
    if (!s.ok()) {
      if (s.error().code == ErrorCode::kUnavailable || s.error().code == ErrorCode::kInternal) {
        return render::ApiError(cat, req, 503, "unavailable", "error.busy");
      }
      std::string reason = s.error().message_key;
      if (reason.rfind("participation.", 0) == 0) reason = reason.substr(14);
      for (char& c : reason) c = c == '.' ? '_' : c;
      return refused(reason, sender->account_id, lang);
    }
    Reply(sender->account_id, from, lang, "participation.sms_accepted", "", now);
    return Response::Json(200, R"({"status":"accepted"})");
  }

  Response Create(Request& req) {
    auto ctx = LoadProcess(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    VoteInput in;
    in.title_ar = std::string(form.Get("vote_title_ar").value_or(""));
    in.title_en = std::string(form.Get("vote_title_en").value_or(""));
    in.rule = ParseVoteRule(form.Get("rule").value_or("")).value_or(VoteRule::kBudget);
    std::map<std::string, std::string> errors;
    if (in.rule == VoteRule::kBudget) {
      auto budget = i18n::ParseMoney(form.Get("budget").value_or(""), "ILS");
      if (budget.ok()) {
        in.budget = *budget;
      } else {
        errors["budget"] = budget.error().message_key;
      }
    } else {
      auto n = Numbers(form.Get("max_choices").value_or(""));
      in.max_choices = n && n->size() == 1 ? n->front() : 0;
    }
    // One option a line: "Arabic title | English title | cost" (the cost for a budget vote).
    std::string lines(form.Get("options").value_or(""));
    size_t start = 0;
    while (start < lines.size()) {
      size_t end = lines.find('\n', start);
      std::string line = lines.substr(start, end == std::string::npos ? end : end - start);
      start = end == std::string::npos ? lines.size() : end + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      std::vector<std::string> parts;
      size_t at = 0;
      while (true) {
        size_t bar = line.find('|', at);
        std::string part = line.substr(at, bar == std::string::npos ? bar : bar - at);
        while (!part.empty() && part.front() == ' ') part.erase(part.begin());
        while (!part.empty() && part.back() == ' ') part.pop_back();
        parts.push_back(part);
        if (bar == std::string::npos) break;
        at = bar + 1;
      }
      VoteOption o;
      o.title_ar = parts[0];
      o.title_en = parts.size() > 1 ? parts[1] : "";
      if (parts.size() > 2) {
        auto cost = i18n::ParseMoney(parts[2], "ILS");
        o.cost = cost.ok() ? *cost : -1;
      }
      in.options.push_back(o);
    }
    auto v = o_.store->CreateVote(ctx->second, in, ActorOf(req), o_.now_ms());
    if (!v.ok()) {
      if (v.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      for (const auto& [field, key] : v.error().fields) errors.emplace(field, key);
    }
    if (!errors.empty()) {
      return o_.admin_process(req, errors.begin()->second, 422);
    }
    return o_.admin_process(req, "participation.admin.vote_created", 200);
  }

  Response Publish(Request& req) {
    auto ctx = LoadProcess(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    auto v = o_.store->GetVote(ctx->second.id, req.PathParam("vote"));
    if (!v.ok()) return Fail(v.error(), req);
    Status s = o_.store->Publish(ctx->second, *v, ActorOf(req), o_.now_ms());
    if (!s.ok()) {
      if (s.error().code == ErrorCode::kConflict) {
        return o_.admin_process(req, s.error().message_key, 409);
      }
      return o_.error_page(503, req);
    }
    return o_.admin_process(req, "participation.admin.results_published", 200);
  }

  // The counter's page (the identity check's, with the paper ballot's form).
  Response Counter(const Request& req, const std::string& key, int status) {
    return o_.counter_page(req, key, status);
  }

 private:
  struct Ctx {
    catalog::Municipality municipality;
    Process process;
    Vote vote;
    std::string href;
  };

  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  void Reply(int64_t account, const std::string& phone, const std::string& lang,
             const std::string& key, const std::string& reason, int64_t now) {
    if (o_.outbox == nullptr) return;
    notify::Notification n;
    n.channel = notify::Channel::kSms;
    n.account_id = account;
    n.address = phone;
    n.lang = lang;
    n.template_key = key;
    const i18n::Lang l = lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
    n.params = {
        {"reason", reason.empty() ? "" : Msg().Get(l, "participation.sms.reason." + reason)}};
    // A reply that cannot be queued does not undo the ballot: the page of the vote shows it.
    if (o_.outbox->Enqueue(n, now).ok() && o_.notified) o_.notified();
  }

  Result<std::pair<catalog::Municipality, Process>> LoadProcess(const Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto p = o_.store->GetProcess(m->id, req.PathParam("process"));
    if (!p.ok()) return std::move(p).error();
    return std::make_pair(std::move(*m), std::move(*p));
  }

  Result<Ctx> Load(const Request& req) {
    auto mp = LoadProcess(req);
    if (!mp.ok()) return std::move(mp).error();
    auto v = o_.store->GetVote(mp->second.id, req.PathParam("vote"));
    if (!v.ok()) return std::move(v).error();
    std::string href =
        "/m/" + mp->first.slug + "/participate/" + mp->second.slug + "/votes/" + v->slug;
    return Ctx{std::move(mp->first), std::move(mp->second), std::move(*v), std::move(href)};
  }

  Response Fail(const Error& e, const Request& req) {
    return o_.error_page(e.code == ErrorCode::kNotFound ? 404 : 503, req);
  }

  Response Refused(const Request& req, const Error& e) {
    if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kInternal) {
      return o_.error_page(503, req);
    }
    if (e.code == ErrorCode::kNotFound) return o_.error_page(404, req);
    return ShowVote(req, e.message_key, http::StatusOf(e.code));
  }

  Response ShowVote(const Request& req, const std::string& refusal, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const Vote& v = ctx->vote;
    const Process& p = ctx->process;
    const identity::Principal& who = identity::PrincipalOf(req);
    bool voted = false;
    if (!who.anonymous()) {
      auto r = o_.store->Voted(v.id, who.account_id);
      if (!r.ok()) return o_.error_page(503, req);
      voted = *r;
    }
    const std::string title = lang == i18n::Lang::kAr ? v.title_ar : v.title_en;
    render::Page page = catalog::MunicipalityPage(*o_.site, req, ctx->municipality,
                                                  "participation-vote.tpl", ctx->href, title);
    render::Dict& b = page.body();
    b.SetValue("PROCESS_HREF", "/m/" + ctx->municipality.slug + "/participate/" + p.slug);
    b.SetValue("PROCESS", lang == i18n::Lang::kAr ? p.title_ar : p.title_en);
    b.SetValue("TITLE", title);
    b.SetValue("RULE",
               v.rule == VoteRule::kBudget
                   ? Msg().Format(lang, "participation.vote.rule_budget",
                                  {{"budget", i18n::FormatMoney(v.budget, v.currency, lang)}})
                   : Msg().Format(lang, "participation.vote.rule_approve",
                                  {{"n", i18n::FormatNumber(v.max_choices, lang)}}));
    b.SetValue("SMS", Msg().Format(lang, "participation.vote.sms_how", {{"code", v.sms_code}}));
    b.SetValue("CODE", v.sms_code);
    if (!refusal.empty()) {
      b.SetValueAndShowSection("REFUSAL", Msg().Get(lang, refusal), "REFUSED");
    }
    const bool open = p.PhaseAt(o_.now_ms()) == Phase::kVoting && v.published_at == 0;
    const bool ballot = open && !voted && !who.anonymous();
    if (v.published_at == 0 && !ballot) b.ShowSection("HAS_LIST");
    for (const VoteOption& o : v.options) {
      render::Dict* d = b.AddSectionDictionary(v.published_at != 0 ? "RESULT"
                                               : ballot            ? "OPTION"
                                                                   : "LISTED");
      d->SetValue("NUMBER", std::to_string(o.number));
      d->SetValue("NUMBER_SHOWN", i18n::FormatNumber(o.number, lang));
      d->SetValue("TITLE", lang == i18n::Lang::kAr ? o.title_ar : o.title_en);
      if (v.rule == VoteRule::kBudget) {
        d->SetValueAndShowSection("COST", i18n::FormatMoney(o.cost, v.currency, lang), "HAS_COST");
      }
      d->SetValue("VOTES", i18n::FormatNumber(o.votes, lang));
      if (o.selected) d->ShowSection("SELECTED");
    }
    if (v.published_at != 0) {
      b.ShowSection("PUBLISHED");
      b.SetValue("PUBLISHED_AT", i18n::FormatDate(v.published_at, lang));
    } else if (!open) {
      b.ShowSection("CLOSED");
    } else if (voted) {
      b.ShowSection("VOTED");
    } else if (who.anonymous()) {
      b.SetValueAndShowSection("LOGIN_HREF", "/login", "SIGN_IN");
    } else {
      b.ShowSection("BALLOT");
      b.SetValue("ACTION", ctx->href);
      b.SetValue("CSRF", identity::TokenFor(req).value);
    }
    if (open) b.ShowSection("SMS_OPEN");
    Response res = page.Finish(status);
    if (!who.anonymous()) res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddVoteRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<VotePages>(options);
  auto on = http::MemberHandlers(pages);
  const std::string base = "/m/{slug}/participate/{process}/votes/{vote}";
  routes.Get(base, Access::Public(), on(&VotePages::Show));
  routes.Post(base, Access::SignedIn(), on(&VotePages::CastWeb));
  routes.Post("/m/{slug}/participation/counter-vote", Access::Requires(Permission::kFileOnBehalf),
              on(&VotePages::CastCounter));
  const Access run = Access::Requires(Permission::kRunParticipation);
  routes.Post("/m/{slug}/admin/participation/{process}/votes", run, on(&VotePages::Create));
  routes.Post("/m/{slug}/admin/participation/{process}/votes/{vote}/publish", run,
              on(&VotePages::Publish));
  routes.Post(std::string(kSmsInboundPath), Access::Public(), on(&VotePages::SmsInbound));
}

}  // namespace baladiya::participation

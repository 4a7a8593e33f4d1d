// The counter: a clerk finds the resident who is present or on the phone and starts an
// application on their behalf (the channel is recorded).
#include "cases/web_internal.h"
#include "identity/credentials.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::cases {
namespace {

class CounterPages : public PageBase {
 public:
  using PageBase::PageBase;

  Response CounterForm(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    std::string filed;
    if (auto t = req.query.Get("filed"); t && workflow::ParseTrackingNumber(*t)) filed = *t;
    return ShowCounter(req, *m, {}, {}, filed, 200);
  }

  Response CounterStart(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    http::Params form = req.Form();
    std::map<std::string, std::string> errors;
    // Scoped, limited per staff account and audited (identity::AccountStore::LookUpResident).
    const identity::Principal& clerk = PrincipalOf(req);
    auto creds = o_.accounts->LookUpResident(clerk, m->id, form.Get("resident").value_or(""), "",
                                             {clerk.pseudonym, req.request_id, m->id}, o_.now_ms());
    if (!creds.ok() && creds.error().code == ErrorCode::kForbidden) return o_.error_page(403, req);
    if (!creds.ok()) {
      errors["resident"] = creds.error().code == ErrorCode::kUnavailable
                               ? "counter.lookups_limited"
                               : "counter.resident_unknown";
    }
    auto s = o_.services->Find(m->id, form.Get("service").value_or(""));
    const std::string channel(form.Get("channel").value_or(""));
    if (!s.ok() || !s->published) {
      errors["service"] = "counter.service_required";
    } else if (channel != "counter" && channel != "phone") {
      errors["channel"] = "counter.channel_required";
    } else if (!s->Offers(channel)) {
      errors["channel"] = "api.channel_not_offered";
    }
    if (!errors.empty()) return ShowCounter(req, *m, form, errors, "", 422);
    const identity::Principal& who = PrincipalOf(req);
    auto draft = o_.cases->CreateDraft(creds->id, *s, channel, who.account_id, o_.now_ms());
    if (!draft.ok() && draft.error().message_key == "cases.too_many_drafts") {
      errors["service"] = "counter.too_many_drafts";
      return ShowCounter(req, *m, form, errors, "", 409);
    }
    if (!draft.ok()) return Fail(draft.error(), req);
    return Response::Redirect("/applications/" + std::to_string(*draft) + "/page/1");
  }

  Response ShowCounter(const Request& req, const catalog::Municipality& m,
                       const http::Params& values, const std::map<std::string, std::string>& errors,
                       const std::string& filed, int status) {
    i18n::Lang lang = render::RequestLang(req);
    const std::string href = "/m/" + m.slug + "/counter";
    render::Page page = SitePage(req, m, "cases-counter.tpl", href, "counter.title");
    render::Dict& b = page.body();
    if (!filed.empty()) b.SetValueAndShowSection("TRACKING", filed, "FILED");
    if (req.query.Get("deleted").value_or("") == "1") b.ShowSection("DELETED");
    render::Form form;
    form.action = href;
    form.submit_key = "counter.submit";
    form.errors = errors;
    form.csrf = identity::TokenFor(req).value;
    render::FormField service{"service",
                              "counter.service",
                              "",
                              "select",
                              std::string(values.Get("service").value_or("")),
                              "off",
                              "",
                              true};
    auto list = o_.services->List(m.id, true);
    if (list.ok()) {
      for (const auto& s : *list) {
        if (s.Offers("counter") || s.Offers("phone"))
          service.options.emplace_back(s.code, s.name.In(lang));
      }
    }
    render::FormField channel{"channel",
                              "case.channel",
                              "",
                              "select",
                              std::string(values.Get("channel").value_or("counter")),
                              "off",
                              "",
                              true};
    channel.options = {{"counter", Cat().Get(lang, "channel.counter")},
                       {"phone", Cat().Get(lang, "channel.phone")}};
    form.fields = {
        {"resident", "counter.resident", "counter.resident_hint", "text",
         std::string(values.Get("resident").value_or("")), "off", "", true, true},
        service,
        channel,
    };
    render::IncludeForm(b, form, Cat(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }
};

}  // namespace

void AddCounterRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<CounterPages>(options);
  auto on = http::MemberHandlers(pages);
  routes.Get("/m/{slug}/counter", Access::Requires(Permission::kFileOnBehalf),
             on(&CounterPages::CounterForm));
  routes.Post("/m/{slug}/counter", Access::Requires(Permission::kFileOnBehalf),
              on(&CounterPages::CounterStart));
}

}  // namespace baladiya::cases

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
    auto s = CheckService(*m, form, errors);
    const std::string channel(form.Get("channel").value_or(""));
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

  // A caller without an account: the clerk records them (name, national ID, phone, checked as
  // registration checks them) and files for them. An ID that already has an account is filed
  // for that account (the lookup audited as the counter's always is); otherwise an account
  // without a password is opened at the counter (identity::AccountStore::OpenAtCounter) and the
  // caller told by SMS how to take it over.
  Response NewCallerForm(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    return ShowNewCaller(req, *m, {}, {}, 200);
  }

  Response NewCallerStart(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    http::Params form = req.Form();
    std::map<std::string, std::string> errors;
    const identity::Principal& clerk = PrincipalOf(req);
    const identity::AuditContext ctx{clerk.pseudonym, req.request_id, m->id};
    const int64_t now = o_.now_ms();
    auto s = CheckService(*m, form, errors);
    identity::ResidentRegistration r;
    r.national_id = std::string(form.Get("national_id").value_or(""));
    r.full_name_ar = std::string(form.Get("full_name_ar").value_or(""));
    r.full_name_en = std::string(form.Get("full_name_en").value_or(""));
    r.phone = std::string(form.Get("phone").value_or(""));
    r.lang = form.Get("lang").value_or("") == "en" ? "en" : "ar";
    auto national_id = identity::NormalizeNationalId(r.national_id);
    if (!national_id.ok()) errors["national_id"] = national_id.error().message_key;
    // Every field's error at once, as registration gives them (the store checks them again).
    if (auto phone = identity::NormalizeMobilePhone(r.phone); !phone.ok())
      errors["phone"] = phone.error().message_key;
    if (!errors.empty()) return ShowNewCaller(req, *m, form, errors, 422);
    // One ID, one account: a caller who has one is filed for as at the counter's first form.
    auto existing = o_.accounts->LookUpResident(clerk, m->id, *national_id, "", ctx, now);
    int64_t account_id = 0;
    if (existing.ok()) {
      account_id = existing->id;
    } else if (existing.error().code == ErrorCode::kForbidden) {
      return o_.error_page(403, req);
    } else if (existing.error().code == ErrorCode::kUnavailable &&
               existing.error().message_key == "limits.lookups") {
      errors["national_id"] = "counter.lookups_limited";
      return ShowNewCaller(req, *m, form, errors, 422);
    } else if (existing.error().code != ErrorCode::kNotFound) {
      return Fail(existing.error(), req);
    } else {
      auto opened = o_.accounts->OpenAtCounter(r, ctx, now, [&](db::Tx& tx, int64_t id) -> Status {
        if (!o_.tell_counter_opened) return Ok();
        return o_.tell_counter_opened(tx, id, m->id, r.lang);
      });
      if (!opened.ok()) {
        if (opened.error().code != ErrorCode::kInvalid &&
            opened.error().code != ErrorCode::kConflict) {
          return Fail(opened.error(), req);
        }
        errors = opened.error().fields;
        if (errors.empty()) errors[""] = "error.invalid";
        return ShowNewCaller(req, *m, form, errors, 422);
      }
      account_id = *opened;
    }
    auto draft = o_.cases->CreateDraft(
        account_id, *s, std::string(form.Get("channel").value_or("")), clerk.account_id, now);
    if (!draft.ok() && draft.error().message_key == "cases.too_many_drafts") {
      errors["service"] = "counter.too_many_drafts";
      return ShowNewCaller(req, *m, form, errors, 409);
    }
    if (!draft.ok()) return Fail(draft.error(), req);
    return Response::Redirect("/applications/" + std::to_string(*draft) + "/page/1");
  }

  // The service and channel chosen on a counter form, checked as both forms check them.
  Result<catalog::Service> CheckService(const catalog::Municipality& m, const http::Params& form,
                                        std::map<std::string, std::string>& errors) {
    auto s = o_.services->Find(m.id, form.Get("service").value_or(""));
    const std::string channel(form.Get("channel").value_or(""));
    if (!s.ok() || !s->published) {
      errors["service"] = "counter.service_required";
    } else if (channel != "counter" && channel != "phone") {
      errors["channel"] = "counter.channel_required";
    } else if (!s->Offers(channel)) {
      errors["channel"] = "api.channel_not_offered";
    }
    return s;
  }

  std::pair<render::FormField, render::FormField> ServiceFields(const catalog::Municipality& m,
                                                                const http::Params& values,
                                                                i18n::Lang lang) {
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
    return {service, channel};
  }

  Response ShowNewCaller(const Request& req, const catalog::Municipality& m,
                         const http::Params& values,
                         const std::map<std::string, std::string>& errors, int status) {
    i18n::Lang lang = render::RequestLang(req);
    const std::string href = "/m/" + m.slug + "/counter/new";
    render::Page page = SitePage(req, m, "cases-counter-new.tpl", href, "counter_new.title");
    render::Dict& b = page.body();
    b.SetValue("BACK", "/m/" + m.slug + "/counter");
    render::Form form;
    form.action = href;
    form.submit_key = "counter.submit";
    form.errors = errors;
    form.csrf = identity::TokenFor(req).value;
    auto text = [&](const char* name) { return std::string(values.Get(name).value_or("")); };
    render::FormField caller_lang{
        "lang", "counter_new.lang", "counter_new.lang_hint", "select", text("lang"), "off", "",
        true};
    caller_lang.options = {{"ar", "العربية"}, {"en", "English"}};
    auto [service, channel] = ServiceFields(m, values, lang);
    form.fields = {
        {"full_name_ar", "register.full_name_ar.label", "counter_new.name_hint", "text",
         text("full_name_ar"), "off", "", true},
        {"full_name_en", "register.full_name_en.label", "", "text", text("full_name_en"), "off", "",
         false},
        {"national_id", "register.national_id.label", "register.national_id.hint", "text",
         text("national_id"), "off", "numeric", true, true},
        {"phone", "register.phone.label", "counter_new.phone_hint", "tel", text("phone"), "off", "",
         true, true},
        caller_lang,
        service,
        channel,
    };
    render::IncludeForm(b, form, Cat(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
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
    b.SetValue("NEW_CALLER", href + "/new");
    render::Form form;
    form.action = href;
    form.submit_key = "counter.submit";
    form.errors = errors;
    form.csrf = identity::TokenFor(req).value;
    auto [service, channel] = ServiceFields(m, values, lang);
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
  routes.Get("/m/{slug}/counter/new", Access::Requires(Permission::kFileOnBehalf),
             on(&CounterPages::NewCallerForm));
  routes.Post("/m/{slug}/counter/new", Access::Requires(Permission::kFileOnBehalf),
              on(&CounterPages::NewCallerStart));
}

}  // namespace baladiya::cases

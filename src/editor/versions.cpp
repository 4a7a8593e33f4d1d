// The versions of a published service (/m/{slug}/admin/services/{code}/versions): editing a
// published service works on the draft of its next version while the live one keeps serving
// (editor.cpp Base::Load and Save); here the draft is previewed as a resident would see it,
// published now or from a date and time in the municipality's time zone (catalog::ServiceStore
// puts it in effect at that time on every node), or discarded; and the history lists every
// version with who started and published it and when it took effect. Audited.
#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <memory>

#include "editor/internal.h"
#include "platform/i18n/arabic.h"

namespace baladiya::editor {
namespace {

using http::Request;
using http::Response;

std::unique_ptr<icu::Calendar> CalendarIn(std::string_view zone) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(std::string(zone))));
  std::unique_ptr<icu::Calendar> cal(new icu::GregorianCalendar(tz.release(), status));
  if (U_FAILURE(status)) return nullptr;
  return cal;
}

// "YYYY-MM-DD" and "HH:MM" (Arabic-Indic digits accepted) in the zone as UTC milliseconds;
// false when either is malformed.
bool LocalToUtc(std::string_view date, std::string_view time, std::string_view zone, int64_t& out) {
  const std::string d = i18n::ToWesternDigits(Trimmed(date));
  std::string t = i18n::ToWesternDigits(Trimmed(time));
  if (t.empty()) t = "00:00";
  int y = 0, mo = 0, da = 0, h = 0, mi = 0;
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  if (t.size() != 5 || t[2] != ':') return false;
  auto num = [](std::string_view s, int& v) {
    int64_t n = 0;
    if (!ParseWhole(s, n)) return false;
    v = static_cast<int>(n);
    return true;
  };
  if (!num(d.substr(0, 4), y) || !num(d.substr(5, 2), mo) || !num(d.substr(8, 2), da) ||
      !num(t.substr(0, 2), h) || !num(t.substr(3, 2), mi)) {
    return false;
  }
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || y < 2000 || y > 2200)
    return false;
  auto cal = CalendarIn(zone);
  if (!cal) return false;
  cal->clear();
  cal->setLenient(false);
  cal->set(y, mo - 1, da, h, mi, 0);
  UErrorCode status = U_ZERO_ERROR;
  const UDate ms = cal->getTime(status);
  if (U_FAILURE(status)) return false;
  out = static_cast<int64_t>(ms);
  return true;
}

// The time of day in the zone, "14:05", in the language's digits.
std::string TimeOfDay(int64_t ms, std::string_view zone, i18n::Lang lang) {
  auto cal = CalendarIn(zone);
  if (!cal) return {};
  UErrorCode status = U_ZERO_ERROR;
  cal->setTime(static_cast<UDate>(ms), status);
  const int h = cal->get(UCAL_HOUR_OF_DAY, status);
  const int m = cal->get(UCAL_MINUTE, status);
  if (U_FAILURE(status)) return {};
  std::string text =
      (h < 10 ? "0" : "") + std::to_string(h) + ":" + (m < 10 ? "0" : "") + std::to_string(m);
  return lang == i18n::Lang::kAr ? i18n::ToArabicIndicDigits(text) : text;
}

class VersionPages : public Base {
 public:
  using Base::Base;

  Response History(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const std::string notice(req.query.Get("done").value_or(""));
    return Show(req, *ctx, notice, {}, {}, 200);
  }

  Response Publish(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    if (!ctx->has_draft || PostedVersion(form) != ctx->service.version) {
      return Show(req, *ctx, "", {{"", T(lang, "editor.conflict"), ""}}, form, 409);
    }
    const int64_t now = o_.now_ms();
    int64_t from = now;
    Problems problems;
    const std::string when = Value(form, "when");
    if (when == "later") {
      if (!LocalToUtc(Value(form, "date"), Value(form, "time"), Zone(*ctx), from)) {
        problems.push_back({"date", T(lang, "editor.versions.error_date"), ""});
      } else if (from <= now) {
        problems.push_back({"date", T(lang, "editor.versions.error_past"), ""});
      }
    } else if (when != "now") {
      problems.push_back({"when-now", T(lang, "editor.versions.error_when"), ""});
    }
    if (!problems.empty()) return Show(req, *ctx, "", problems, form, 422);
    const identity::Principal& who = identity::PrincipalOf(req);
    auto number =
        o_.services->PublishDraft(ctx->live.id, ctx->service.version, from, who.pseudonym, now,
                                  [&](db::Tx& tx, int64_t id) -> Status {
                                    return Audit(tx, req, *ctx, "service.version_published", id,
                                                 "effective_from=" + i18n::FormatIsoUtc(from));
                                  });
    if (!number.ok()) {
      const Error& e = number.error();
      if (e.code == ErrorCode::kConflict) {
        return Show(req, *ctx, "", {{"", T(lang, "editor.conflict"), ""}}, form, 409);
      }
      if (e.code != ErrorCode::kInvalid) return o_.error_page(503, req);
      problems.push_back(
          {"", F(lang, "admin_services.refused", {{"service", ctx->service.name.In(lang)}}), ""});
      for (auto& m : MissingTexts(*ctx, lang)) problems.push_back(std::move(m));
      return Show(req, *ctx, "", problems, form, 422);
    }
    return Response::Redirect(ctx->href +
                              "/versions?done=" + (from <= now ? "published" : "scheduled"));
  }

  Response Discard(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    if (!ctx->has_draft || PostedVersion(form) != ctx->service.version) {
      return Show(req, *ctx, "", {{"", T(lang, "editor.conflict"), ""}}, {}, 409);
    }
    Status st = o_.services->DiscardDraft(ctx->live.id, [&](db::Tx& tx) -> Status {
      return Audit(tx, req, *ctx, "service.draft_discarded", ctx->live.id, "");
    });
    if (!st.ok()) return o_.error_page(503, req);
    return Response::Redirect(ctx->href + "/versions?done=discarded");
  }

  // The draft (or, without one, the service as it stands) as a resident would see it.
  Response Preview(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const catalog::Service& s = ctx->service;
    render::Page page =
        NewPage(req, ctx->municipality, "editor-preview.tpl", ctx->href + "/preview",
                T(lang, "editor.preview.title") + " — " + s.name.In(lang));
    render::Dict& b = page.body();
    b.SetValue("SERVICE_HREF", ctx->href);
    b.SetValue("SERVICE", s.name.In(lang));
    b.SetValue("VERSIONS_HREF", ctx->href + "/versions");
    b.SetValue("BANNER", T(lang, ctx->has_draft     ? "editor.preview.draft_banner"
                                 : ctx->Versioned() ? "editor.preview.live_banner"
                                                    : "editor.preview.unpublished"));
    b.SetValue("NAME", s.name.In(lang));
    b.SetValue("DESCRIPTION", s.description.In(lang));
    std::string fee = s.fee.base_minor == 0 && s.fee.rules.empty()
                          ? T(lang, "services.free")
                          : i18n::FormatMoney(s.fee.base_minor, s.fee.currency, lang);
    if (!s.fee.rules.empty() && !(s.fee.base_minor == 0 && s.fee.rules.empty()))
      fee += " " + T(lang, "services.fee_varies");
    b.SetValue("FEE", fee);
    b.SetValue("SLA",
               F(lang, "services.sla_days", {{"days", i18n::FormatNumber(s.sla_days, lang)}}));
    if (!s.eligibility.Empty())
      b.SetValueAndShowSection("ELIGIBILITY", s.eligibility.In(lang), "HAS_ELIGIBILITY");
    for (const auto& d : s.documents) {
      b.ShowSection("HAS_DOCUMENTS");
      b.AddSectionDictionary("DOCUMENT")->SetValue("TEXT", d.In(lang));
    }
    int n = 0;
    for (const auto& p : s.form.pages) {
      render::Dict* pd = b.AddSectionDictionary("PAGE");
      pd->SetValue("PAGE_TITLE", p.title.In(lang));
      pd->SetValue(
          "PAGE_NUMBER",
          F(lang, "editor.preview.page_n",
            {{"n", i18n::FormatNumber(++n, lang)},
             {"of", i18n::FormatNumber(static_cast<int64_t>(s.form.pages.size()), lang)}}));
      for (const auto& f : p.fields) {
        render::Dict* fd = pd->AddSectionDictionary("FIELD");
        fd->SetValue("LABEL", f.label.In(lang));
        if (!f.help.Empty()) fd->SetValueAndShowSection("HELP", f.help.In(lang), "HAS_HELP");
        if (!f.required) fd->ShowSection("OPTIONAL");
        for (const auto& o : f.options) {
          fd->ShowSection("HAS_OPTIONS");
          fd->AddSectionDictionary("OPTION")->SetValue("TEXT", o.label.In(lang));
        }
        if (f.show_if) {
          fd->SetValueAndShowSection("CONDITION",
                                     F(lang, "editor.preview.only_if",
                                       {{"field", FieldTitle(s.form, f.show_if->field, lang)}}),
                                     "HAS_CONDITION");
        }
      }
    }
    return Finish(page, 200);
  }

 private:
  std::string Zone(const Context& ctx) {
    auto cal = o_.services->Calendar(ctx.municipality.id);
    return cal.ok() ? cal->time_zone : std::string("Asia/Hebron");
  }

  std::string When(int64_t ms, const Context& ctx, i18n::Lang lang) {
    const std::string zone = Zone(ctx);
    return i18n::FormatDate(ms, lang, zone) + " " + TimeOfDay(ms, zone, lang);
  }

  std::string Who(const Context& ctx, const std::string& pseudonym, i18n::Lang lang) {
    if (pseudonym.empty()) return T(lang, "editor.versions.unknown");
    std::string name =
        o_.staff_name ? o_.staff_name(ctx.municipality.id, pseudonym, lang) : std::string();
    return name.empty() ? T(lang, "editor.versions.unknown") : name;
  }

  Status Audit(db::Tx& tx, const Request& req, const Context& ctx, const std::string& action,
               int64_t id, const std::string& details) {
    if (!o_.audit) return Ok();
    audit::EntryInput in;
    in.time_ms = o_.now_ms();
    in.actor = identity::PrincipalOf(req).pseudonym;
    in.action = action;
    in.object = "service:" + std::to_string(id);
    in.municipality_id = ctx.municipality.id;
    in.request_id = req.request_id;
    in.details = "code=" + ctx.live.code +
                 "\ndraft_version=" + std::to_string(ctx.service.version) +
                 (details.empty() ? "" : "\n" + details);
    auto r = o_.audit->Append(tx, in);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }

  Response Show(const Request& req, const Context& ctx, const std::string& done,
                const Problems& problems, const http::Params& values, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto versions = o_.services->Versions(ctx.live.id);
    if (!versions.ok()) return o_.error_page(503, req);
    render::Page page =
        NewPage(req, ctx.municipality, "editor-versions.tpl", ctx.href + "/versions",
                T(lang, "editor.versions.title") + " — " + ctx.live.name.In(lang));
    render::Dict& b = page.body();
    b.SetValue("SERVICE_HREF", ctx.href);
    b.SetValue("SERVICE", ctx.live.name.In(lang));
    if (!done.empty() && (done == "published" || done == "scheduled" || done == "discarded"))
      b.SetValueAndShowSection("NOTICE", T(lang, "editor.versions.done_" + done), "HAS_NOTICE");
    IncludeErrors(b, problems, lang);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    if (!ctx.Versioned()) {
      b.ShowSection("UNPUBLISHED");
    } else if (!ctx.has_draft) {
      b.ShowSection("NO_DRAFT");
    } else {
      render::Dict* d = b.AddSectionDictionary("DRAFT");
      d->SetValue("VERSION", std::to_string(ctx.service.version));
      d->SetValue("PREVIEW_HREF", ctx.href + "/preview");
      d->SetValue("PUBLISH_HREF", ctx.href + "/versions/publish");
      d->SetValue("DISCARD_HREF", ctx.href + "/versions/discard");
      d->SetValue("CSRF", identity::TokenFor(req).value);
      const std::string when = std::string(values.Get("when").value_or("now"));
      d->ShowSection(when == "later" ? "LATER_CHECKED" : "NOW_CHECKED");
      d->SetValue("DATE", std::string(values.Get("date").value_or("")));
      d->SetValue("TIME", std::string(values.Get("time").value_or("")));
      d->SetValue("ZONE_HINT", F(lang, "editor.versions.zone_hint", {{"zone", Zone(ctx)}}));
      for (const Problem& p : problems) {
        if (p.target == "date")
          d->SetValueAndShowSection("DATE_ERROR", p.message, "HAS_DATE_ERROR");
        if (p.target == "when-now")
          d->SetValueAndShowSection("WHEN_ERROR", p.message, "HAS_WHEN_ERROR");
      }
    }
    for (const catalog::ServiceVersion& v : *versions) {
      render::Dict* r = b.AddSectionDictionary("VERSION_ROW");
      r->SetValue("NUMBER", v.number == 0 ? T(lang, "editor.versions.draft")
                                          : i18n::FormatNumber(v.number, lang));
      r->SetValue("STATE", T(lang, "editor.versions.state_" + v.state));
      r->SetValue("EFFECTIVE", v.number == 0 ? "—" : When(v.effective_from, ctx, lang));
      r->SetValue("PUBLISHED_BY", v.number == 0 ? "—" : Who(ctx, v.published_by, lang));
      r->SetValue("STARTED", v.created_at == 0 ? "—"
                                               : Who(ctx, v.created_by, lang) + " · " +
                                                     When(v.created_at, ctx, lang));
    }
    return Finish(page, status);
  }
};

}  // namespace

void AddVersionRoutes(identity::GuardedRoutes& routes, const Options& options) {
  auto pages = std::make_shared<VersionPages>(options);
  auto on = http::MemberHandlers(pages);
  const auto admin = identity::Access::Requires(identity::Permission::kManageCatalog);
  routes.Get("/m/{slug}/admin/services/{code}/versions", admin, on(&VersionPages::History));
  routes.Post("/m/{slug}/admin/services/{code}/versions/publish", admin,
              on(&VersionPages::Publish));
  routes.Post("/m/{slug}/admin/services/{code}/versions/discard", admin,
              on(&VersionPages::Discard));
  routes.Get("/m/{slug}/admin/services/{code}/preview", admin, on(&VersionPages::Preview));
}

}  // namespace baladiya::editor

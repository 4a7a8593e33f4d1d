// Meetings and workshops on the web (web.h): the list on a process's public and admin pages, the
// meeting's public page (agenda, place or link, seats, registration and cancellation, minutes and
// the meeting's recommendations), and the officer's page of a meeting (the register with check-in
// at the door, walk-ins by national ID, the minutes, the recommendations). The store decides.
#include <unicode/basictz.h>
#include <unicode/timezone.h>

#include <cstdio>
#include <memory>

#include "catalog/page.h"
#include "identity/web.h"
#include "participation/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"

namespace baladiya::participation {
namespace {

using http::Request;
using http::Response;

constexpr char kZone[] = "Asia/Hebron";  // meetings are given and shown in the city's time

std::string LangQuery(i18n::Lang lang) { return lang == i18n::Lang::kEn ? "?lang=en" : ""; }

std::string Lang(const Request& req) { return LangQuery(render::RequestLang(req)); }

Actor ActorOf(const Request& req) {
  const identity::Principal& who = identity::PrincipalOf(req);
  return {who.account_id, who.pseudonym, req.request_id};
}

const icu::TimeZone& Zone() {
  thread_local std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(kZone)));
  return *zone;
}

// The offset of local time from UTC at an instant (utc) or a local time (!utc), in ms.
int64_t Offset(int64_t ms, bool local) {
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(&Zone());
  if (local && basic != nullptr) {
    basic->getOffsetFromLocal(static_cast<UDate>(ms), UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER,
                              raw, dst, status);
  } else {
    Zone().getOffset(static_cast<UDate>(ms), local, raw, dst, status);
  }
  if (U_FAILURE(status)) return 0;
  return static_cast<int64_t>(raw) + dst;
}

// "HH:MM" in minutes since midnight; nullopt when malformed.
std::optional<int64_t> ParseClock(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (hhmm[i] < '0' || hhmm[i] > '9') return std::nullopt;
  }
  const int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  const int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string Clock(int64_t utc_ms, i18n::Lang lang) {
  const int64_t local = utc_ms + Offset(utc_ms, false);
  const int64_t minutes = ((local / 60'000) % 1440 + 1440) % 1440;
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(minutes / 60),
                static_cast<int>(minutes % 60));
  return lang == i18n::Lang::kAr ? i18n::ToArabicIndicDigits(text) : std::string(text);
}

// "3 November 2026, 17:00–19:00" in the city's time.
std::string WhenOf(const Meeting& m, i18n::Lang lang) {
  return i18n::FormatDate(m.starts_at, lang, kZone) + std::string(i18n::ListSeparator(lang)) +
         Clock(m.starts_at, lang) + "–" + Clock(m.ends_at, lang);
}

std::string Seats(const i18n::Catalog& msg, const Meeting& m, i18n::Lang lang) {
  return msg.Format(lang, "participation.meeting.seats_left",
                    {{"left", i18n::FormatNumber(m.SeatsLeft(), lang)},
                     {"capacity", i18n::FormatNumber(m.capacity, lang)},
                     {"waiting", i18n::FormatNumber(m.waiting, lang)}});
}

void FillListed(render::Dict* d, const i18n::Catalog& msg, const Meeting& m, i18n::Lang lang) {
  d->SetValue("TITLE", m.title);
  d->SetValue("KIND",
              msg.Get(lang, "participation.meeting.kind." + std::string(MeetingKindName(m.kind))));
  d->SetValue("WHEN", WhenOf(m, lang));
  d->SetValue("ISO", i18n::FormatIsoUtc(m.starts_at));
  d->SetValue("SEATS", Seats(msg, m, lang));
  if (!m.place.empty()) d->SetValueAndShowSection("PLACE", m.place, "HAS_PLACE");
  if (!m.online_url.empty()) d->SetValueAndShowSection("URL", m.online_url, "HAS_URL");
  if (m.minutes_published_at != 0) d->ShowSection("HAS_MINUTES");
}

// The recommendations the meeting made, with their state, linked to the process's page.
Status FillMeetingRecs(render::Dict& b, const WebOptions& o, const Process& p, const Meeting& m,
                       const std::string& process_href, i18n::Lang lang) {
  auto recs = o.store->Recommendations(p.id);
  if (!recs.ok()) return std::move(recs).error();
  const int64_t now = o.now_ms();
  const std::string prefix = m.token + "#";
  for (const Recommendation& r : *recs) {
    if (r.source != Source::kMeeting || r.source_ref.rfind(prefix, 0) != 0) continue;
    b.ShowSection("HAS_RECS");
    render::Dict* d = b.AddSectionDictionary("REC");
    d->SetValue("TITLE", r.title);
    d->SetValue("HREF", process_href + LangQuery(lang) + "#rec-" + r.token);
    d->SetValue("STATE", o.site->catalog->Get(lang, "participation.rec.state." +
                                                        std::string(RecStateName(r.State(now)))));
  }
  return Ok();
}

}  // namespace

Status FillPublicMeetings(render::Dict& b, const WebOptions& o, const Request& req,
                          const Process& p, const std::string& base) {
  auto meetings = o.store->Meetings(p.id);
  if (!meetings.ok()) return std::move(meetings).error();
  const i18n::Lang lang = render::RequestLang(req);
  for (const Meeting& m : *meetings) {
    render::Dict* d = b.AddSectionDictionary("MEETING");
    FillListed(d, *o.site->catalog, m, lang);
    d->SetValue("HREF", base + "/meetings/" + m.token + LangQuery(lang));
  }
  if (!meetings->empty()) b.ShowSection("HAS_MEETINGS");
  return Ok();
}

Status FillAdminMeetings(render::Dict& b, const WebOptions& o, const Request& req, const Process& p,
                         const std::string& href) {
  auto meetings = o.store->Meetings(p.id);
  if (!meetings.ok()) return std::move(meetings).error();
  const i18n::Lang lang = render::RequestLang(req);
  for (const Meeting& m : *meetings) {
    render::Dict* d = b.AddSectionDictionary("MEETING");
    FillListed(d, *o.site->catalog, m, lang);
    d->SetValue("HREF", href + "/meetings/" + m.token + LangQuery(lang));
  }
  if (meetings->empty()) b.ShowSection("NO_MEETINGS");
  b.SetValue("MEETING_ACTION", href + "/meetings");
  return Ok();
}

namespace {

class MeetingPages {
 public:
  explicit MeetingPages(WebOptions o) : o_(std::move(o)) {}

  // --- public ---
  Response Show(Request& req) { return ShowPublic(req, "", 200); }

  Response Register(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    auto r = o_.store->Register(ctx->p, req.PathParam("meeting"), ActorOf(req), o_.now_ms());
    if (!r.ok()) return PublicRefused(req, r.error());
    return Response::Redirect(ctx->base + "/meetings/" + std::string(req.PathParam("meeting")) +
                              Lang(req));
  }

  Response Cancel(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    Status s =
        o_.store->CancelRegistration(ctx->p, req.PathParam("meeting"), ActorOf(req), o_.now_ms());
    if (!s.ok()) return PublicRefused(req, s.error());
    if (o_.notified) o_.notified();
    return Response::Redirect(ctx->base + "/meetings/" + std::string(req.PathParam("meeting")) +
                              Lang(req));
  }

  // --- the officer ---
  Response Admin(Request& req) { return ShowAdmin(req, "", 200); }

  Response Create(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    MeetingInput in;
    auto kind = ParseMeetingKind(form.Get("kind").value_or(""));
    in.kind = kind.value_or(MeetingKind::kMeeting);
    in.title = std::string(form.Get("title").value_or(""));
    in.agenda = std::string(form.Get("agenda").value_or(""));
    in.place = std::string(form.Get("place").value_or(""));
    in.online_url = std::string(form.Get("online_url").value_or(""));
    auto day = ParseDay(i18n::ToWesternDigits(form.Get("day").value_or("")));
    auto from = ParseClock(i18n::ToWesternDigits(form.Get("from").value_or("")));
    auto to = ParseClock(i18n::ToWesternDigits(form.Get("to").value_or("")));
    if (!day || !from) return o_.admin_process(req, "participation.meeting.when", 422);
    if (!to) return o_.admin_process(req, "participation.meeting.ends", 422);
    const int64_t start_local = *day + *from * 60'000;
    const int64_t end_local = *day + *to * 60'000;
    in.starts_at = start_local - Offset(start_local, true);
    in.ends_at = end_local - Offset(end_local, true);
    const std::string cap = i18n::ToWesternDigits(form.Get("capacity").value_or(""));
    in.capacity = 0;
    if (!cap.empty() && cap.size() <= 6 &&
        cap.find_first_not_of("0123456789") == std::string::npos) {
      in.capacity = std::stoll(cap);
    }
    auto m = o_.store->CreateMeeting(ctx->p, in, ActorOf(req), o_.now_ms());
    if (!m.ok()) {
      if (m.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      const std::string key =
          m.error().fields.empty() ? m.error().message_key : m.error().fields.begin()->second;
      return o_.admin_process(req, key, 422);
    }
    return Response::Redirect(ctx->admin + "/meetings/" + m->token + Lang(req));
  }

  Response CheckIn(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    int64_t id = 0;
    try {
      id = std::stoll(std::string(req.PathParam("registration")));
    } catch (...) {
      return o_.error_page(404, req);
    }
    Status s = o_.store->CheckIn(ctx->p, req.PathParam("meeting"), id, ActorOf(req), o_.now_ms());
    if (!s.ok()) return AdminRefused(req, s.error());
    return ShowAdmin(req, "participation.meeting.checked", 200);
  }

  Response WalkIn(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    auto name = o_.store->CheckInWalkIn(ctx->p, req.PathParam("meeting"),
                                        form.Get("national_id").value_or(""),
                                        form.Get("name").value_or(""), ActorOf(req), o_.now_ms());
    if (!name.ok()) return AdminRefused(req, name.error());
    return ShowAdmin(req,
                     Msg().Format(render::RequestLang(req), "participation.meeting.walked_in",
                                  {{"name", *name}}),
                     200, true);
  }

  Response Minutes(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    Status s =
        o_.store->PublishMinutes(ctx->p, req.PathParam("meeting"), form.Get("minutes").value_or(""),
                                 ActorOf(req), o_.now_ms());
    if (!s.ok()) return AdminRefused(req, s.error());
    return ShowAdmin(req, "participation.meeting.minutes_saved", 200);
  }

  Response Recommend(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    auto r = o_.store->RecommendFromMeeting(
        ctx->p, req.PathParam("meeting"), form.Get("title").value_or(""),
        form.Get("body").value_or(""), ActorOf(req), o_.now_ms());
    if (!r.ok()) return AdminRefused(req, r.error());
    return ShowAdmin(req, "participation.rec.created", 200);
  }

 private:
  struct Ctx {
    catalog::Municipality m;
    Process p;
    std::string base;   // /m/{slug}/participate/{process}
    std::string admin;  // /m/{slug}/admin/participation/{process}
  };

  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  Result<Ctx> Load(const Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto p = o_.store->GetProcess(m->id, req.PathParam("process"));
    if (!p.ok()) return std::move(p).error();
    std::string base = "/m/" + m->slug + "/participate/" + p->slug;
    std::string admin = "/m/" + m->slug + "/admin/participation/" + p->slug;
    return Ctx{std::move(*m), std::move(*p), std::move(base), std::move(admin)};
  }

  Response Fail(const Error& e, const Request& req) {
    return o_.error_page(e.code == ErrorCode::kNotFound ? 404 : 503, req);
  }

  Response PublicRefused(const Request& req, const Error& e) {
    switch (e.code) {
      case ErrorCode::kNotFound:
        return o_.error_page(404, req);
      case ErrorCode::kConflict:
      case ErrorCode::kForbidden:
      case ErrorCode::kInvalid:
        return ShowPublic(req, e.message_key, http::StatusOf(e.code));
      default:
        return o_.error_page(503, req);
    }
  }

  Response AdminRefused(const Request& req, const Error& e) {
    switch (e.code) {
      case ErrorCode::kNotFound:
        return o_.error_page(404, req);
      case ErrorCode::kInvalid: {
        const std::string key = e.fields.empty() ? e.message_key : e.fields.begin()->second;
        return ShowAdmin(req, key, 422);
      }
      case ErrorCode::kConflict:
        return ShowAdmin(req, e.message_key, 409);
      default:
        return o_.error_page(503, req);
    }
  }

  Response ShowPublic(const Request& req, const std::string& refusal, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    auto m = o_.store->GetMeeting(ctx->p.id, req.PathParam("meeting"));
    if (!m.ok()) return Fail(m.error(), req);
    const std::string href = ctx->base + "/meetings/" + m->token;
    render::Page page = catalog::MunicipalityPage(*o_.site, req, ctx->m,
                                                  "participation-meeting.tpl", href, m->title);
    render::Dict& b = page.body();
    const int64_t now = o_.now_ms();
    b.SetValue("PROCESS_HREF", ctx->base + Lang(req));
    b.SetValue("PROCESS", lang == i18n::Lang::kAr ? ctx->p.title_ar : ctx->p.title_en);
    FillListed(&b, Msg(), *m, lang);
    b.SetValue("AGENDA", m->agenda);
    b.SetValue("ACTION", href);
    if (!refusal.empty()) b.SetValueAndShowSection("REFUSAL", Msg().Get(lang, refusal), "REFUSED");
    const identity::Principal& who = identity::PrincipalOf(req);
    const bool open = now < m->starts_at;
    if (who.anonymous()) {
      if (open) b.SetValueAndShowSection("LOGIN_HREF", "/login", "SIGN_IN");
    } else {
      auto mine = o_.store->RegistrationOf(m->id, who.account_id);
      if (!mine.ok()) return o_.error_page(503, req);
      const std::string csrf = identity::TokenFor(req).value;
      b.SetValue("CSRF", csrf);
      if (*mine) {
        render::Dict* d = b.AddSectionDictionary("MINE");
        std::string text;
        if ((*mine)->seat == Seat::kSeat) {
          text = Msg().Get(lang, "participation.meeting.you_have_seat");
        } else if ((*mine)->seat == Seat::kWaiting) {
          text = Msg().Format(lang, "participation.meeting.you_wait",
                              {{"n", i18n::FormatNumber((*mine)->position, lang)}});
        }
        if ((*mine)->checked_in_at != 0) {
          text += (text.empty() ? "" : " ") + Msg().Get(lang, "participation.meeting.you_came");
        }
        d->SetValue("MINE_TEXT", text);
        d->SetValue("ACTION", href);
        d->SetValue("CSRF", csrf);
        if (open && (*mine)->seat != Seat::kWalkIn) d->ShowSection("CAN_CANCEL");
      } else if (open) {
        b.SetValueAndShowSection(
            "REGISTER_LABEL",
            Msg().Get(lang, m->SeatsLeft() > 0 ? "participation.meeting.register"
                                               : "participation.meeting.join_waiting"),
            "CAN_REGISTER");
      }
    }
    if (!open) b.ShowSection("STARTED");
    if (m->minutes_published_at != 0) {
      b.SetValue("MINUTES", m->minutes);
      b.SetValue("MINUTES_DATE", i18n::FormatDate(m->minutes_published_at, lang));
      b.SetValue("ATTENDED", i18n::FormatNumber(m->attended, lang));
    }
    if (!FillMeetingRecs(b, o_, ctx->p, *m, ctx->base, lang).ok()) return o_.error_page(503, req);
    Response res = page.Finish(status);
    if (!who.anonymous()) res.headers.Set("cache-control", "no-store");
    return res;
  }

 public:
  // notice: a message key, or (text_notice) the text itself; an alert when status >= 300.
  Response ShowAdmin(const Request& req, const std::string& notice, int status,
                     bool text_notice = false) {
    const i18n::Lang lang = render::RequestLang(req);
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    auto m = o_.store->GetMeeting(ctx->p.id, req.PathParam("meeting"));
    if (!m.ok()) return Fail(m.error(), req);
    auto regs = o_.store->Registrations(m->id);
    if (!regs.ok()) return o_.error_page(503, req);
    const std::string href = ctx->admin + "/meetings/" + m->token;
    render::Page page = catalog::MunicipalityPage(
        *o_.site, req, ctx->m, "participation-admin-meeting.tpl", href, m->title);
    render::Dict& b = page.body();
    b.SetValue("PROCESS_HREF", ctx->admin + Lang(req));
    b.SetValue("PROCESS", lang == i18n::Lang::kAr ? ctx->p.title_ar : ctx->p.title_en);
    b.SetValue("PUBLIC_HREF", ctx->base + "/meetings/" + m->token + Lang(req));
    FillListed(&b, Msg(), *m, lang);
    b.SetValue("ATTENDED", i18n::FormatNumber(m->attended, lang));
    if (!notice.empty()) {
      b.SetValueAndShowSection("NOTICE", text_notice ? notice : Msg().Get(lang, notice),
                               status < 300 ? "HAS_NOTICE" : "HAS_ALERT");
    }
    const std::string csrf = identity::TokenFor(req).value;
    b.SetValue("CSRF", csrf);
    for (const Registration& r : *regs) {
      render::Dict* d = b.AddSectionDictionary("REGISTRATION");
      d->SetValue("NAME", r.name);
      d->SetValue("STATUS", r.seat == Seat::kWaiting
                                ? Msg().Format(lang, "participation.meeting.waiting_n",
                                               {{"n", i18n::FormatNumber(r.position, lang)}})
                                : Msg().Get(lang, "participation.meeting.seat." +
                                                      std::string(SeatName(r.seat))));
      if (r.checked_in_at != 0) {
        d->SetValueAndShowSection("CHECKED_AT", Clock(r.checked_in_at, lang), "CHECKED");
      } else {
        render::Dict* f = d->AddSectionDictionary("CHECKIN");
        f->SetValue("ACTION", href + "/checkin/" + std::to_string(r.id) + Lang(req));
        f->SetValue("CSRF", csrf);
        f->SetValue("NAME", r.name);
      }
    }
    if (regs->empty()) b.ShowSection("NO_REGISTRATIONS");
    b.SetValue("WALKIN_ACTION", href + "/walkin" + Lang(req));
    b.SetValue("MINUTES_ACTION", href + "/minutes" + Lang(req));
    b.SetValue("REC_ACTION", href + "/recommendations" + Lang(req));
    b.SetValue("MINUTES", m->minutes);
    if (m->minutes_published_at != 0) {
      b.SetValue("MINUTES_DATE", i18n::FormatDate(m->minutes_published_at, lang));
    }
    if (!FillMeetingRecs(b, o_, ctx->p, *m, ctx->base, lang).ok()) return o_.error_page(503, req);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

 private:
  WebOptions o_;
};

}  // namespace

void AddMeetingRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<MeetingPages>(options);
  auto on = http::MemberHandlers(pages);
  const std::string pub = "/m/{slug}/participate/{process}/meetings/{meeting}";
  routes.Get(pub, Access::Public(), on(&MeetingPages::Show));
  routes.Post(pub + "/register", Access::SignedIn(), on(&MeetingPages::Register));
  routes.Post(pub + "/cancel", Access::SignedIn(), on(&MeetingPages::Cancel));
  const Access run = Access::Requires(Permission::kRunParticipation);
  const std::string admin = "/m/{slug}/admin/participation/{process}/meetings";
  routes.Post(admin, run, on(&MeetingPages::Create));
  routes.Get(admin + "/{meeting}", run, on(&MeetingPages::Admin));
  routes.Post(admin + "/{meeting}/checkin/{registration}", run, on(&MeetingPages::CheckIn));
  routes.Post(admin + "/{meeting}/walkin", run, on(&MeetingPages::WalkIn));
  routes.Post(admin + "/{meeting}/minutes", run, on(&MeetingPages::Minutes));
  routes.Post(admin + "/{meeting}/recommendations", run, on(&MeetingPages::Recommend));
}

}  // namespace baladiya::participation

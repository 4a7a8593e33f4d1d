// The public pages of participation (web.h): a municipality's processes, a process with its phases
// and proposals, a proposal with its supports, official answer and threaded comments; and the
// residents' forms (propose, support, comment), which the store checks (verified resident, the
// phase, the text) so that bad input changes nothing.
#include <cstdio>

#include "catalog/page.h"
#include "identity/web.h"
#include "participation/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::participation {

std::optional<int64_t> ParseDay(std::string_view ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (ymd[i] < '0' || ymd[i] > '9') return std::nullopt;
  }
  y = std::stoi(std::string(ymd.substr(0, 4)));
  m = std::stoi(std::string(ymd.substr(5, 2)));
  d = std::stoi(std::string(ymd.substr(8, 2)));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return std::nullopt;
  // Days from civil (proleptic Gregorian).
  const int yy = y - (m <= 2 ? 1 : 0);
  const int era = yy / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return days * 86'400'000;
}

std::string FormatDay(int64_t ms) { return i18n::FormatIsoUtc(ms).substr(0, 10); }

namespace {

using http::Request;
using http::Response;

class PublicPages {
 public:
  explicit PublicPages(WebOptions o) : o_(std::move(o)) {}

  Response List(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto processes = o_.store->Processes(m->id);
    if (!processes.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/participate";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "participation-processes.tpl",
                                                  href, Msg().Get(lang, "participation.title"));
    render::Dict& b = page.body();
    const int64_t now = o_.now_ms();
    for (const Process& p : *processes) {
      render::Dict* d = b.AddSectionDictionary("PROCESS");
      d->SetValue("HREF", href + "/" + p.slug);
      d->SetValue("TITLE", lang == i18n::Lang::kAr ? p.title_ar : p.title_en);
      d->SetValue("SUMMARY", lang == i18n::Lang::kAr ? p.summary_ar : p.summary_en);
      d->SetValue("PHASE", PhaseNow(lang, p, now));
    }
    if (processes->empty()) b.ShowSection("NO_PROCESSES");
    b.SetValue("ORGS_HREF", href + "/organisations" + Lang(req));
    return page.Finish(200);
  }

  Response ShowProcess(Request& req) { return Process_(req, {}, {}, "", 200); }

  Response ShowProposal(Request& req) { return Proposal_(req, {}, {}, "", 200); }

  Response Propose(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    const std::string title(form.Get("title").value_or(""));
    const std::string body(form.Get("body").value_or(""));
    auto p = o_.store->Propose(ctx->process, ActorOf(req), title, body, o_.now_ms(),
                               form.Get("organisation").value_or(""));
    if (!p.ok()) {
      if (p.error().code == ErrorCode::kInvalid) {
        return Process_(req, form, p.error().fields, "", 422);
      }
      return ProcessRefused(req, form, p.error());
    }
    return Response::Redirect(ctx->base + "/proposals/" + p->token + Lang(req));
  }

  Response Support(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    auto n = o_.store->Support(ctx->process, req.PathParam("proposal"), ActorOf(req), o_.now_ms());
    if (!n.ok()) {
      if (n.error().code == ErrorCode::kNotFound) return o_.error_page(404, req);
      if (n.error().code == ErrorCode::kUnavailable || n.error().code == ErrorCode::kInternal) {
        return o_.error_page(503, req);
      }
      return Proposal_(req, {}, {}, n.error().message_key, http::StatusOf(n.error().code));
    }
    return Response::Redirect(ctx->base + "/proposals/" + std::string(req.PathParam("proposal")) +
                              Lang(req));
  }

  Response Report(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    auto comment = CommentOf(form);
    if (!comment) return o_.error_page(404, req);
    auto r = o_.store->Report(ctx->process, req.PathParam("proposal"), *comment,
                              form.Get("reason").value_or(""), ActorOf(req), o_.now_ms());
    if (!r.ok()) return ModerationRefused(req, r.error());
    return Response::Redirect(ctx->base + "/proposals/" + std::string(req.PathParam("proposal")) +
                              Lang(req));
  }

  Response Review(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    auto comment = CommentOf(form);
    if (!comment) return o_.error_page(404, req);
    int64_t id = *comment;
    if (id == 0) {
      auto x = o_.store->GetProposal(ctx->process.id, req.PathParam("proposal"));
      if (!x.ok()) return Fail(x.error(), req);
      id = x->id;
    }
    Status s =
        o_.store->AskReview(ctx->process, *comment != 0 ? Reported::kComment : Reported::kProposal,
                            id, ActorOf(req), o_.now_ms());
    if (!s.ok()) return ModerationRefused(req, s.error());
    return Response::Redirect(ctx->base + "/proposals/" + std::string(req.PathParam("proposal")) +
                              Lang(req));
  }

  Response AddComment(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    const http::Params form = req.Form();
    const int64_t now = o_.now_ms();
    if (int64_t wait = o_.comment_quota->Take("account:" + std::to_string(who.account_id), now);
        wait > 0) {
      return identity::TooManyPage(*o_.ids, req, wait, "participation.comment.flood");
    }
    auto stance = ParseStance(form.Get("stance").value_or(""));
    if (!stance) return Proposal_(req, form, {{"stance", "participation.stance"}}, "", 422);
    int64_t parent = 0;
    const std::string parent_text(form.Get("parent").value_or(""));
    if (!parent_text.empty()) {
      try {
        parent = std::stoll(parent_text);
      } catch (...) {
        return Proposal_(req, form, {{"", "participation.comment.parent"}}, "", 422);
      }
    }
    auto c = o_.store->AddComment(ctx->process, req.PathParam("proposal"), parent, *stance,
                                  form.Get("body").value_or(""), ActorOf(req), now,
                                  form.Get("organisation").value_or(""));
    if (!c.ok()) {
      if (c.error().code == ErrorCode::kNotFound) return o_.error_page(404, req);
      if (c.error().code == ErrorCode::kInvalid) {
        auto fields = c.error().fields;
        if (fields.count("parent")) fields = {{"", fields["parent"]}};
        return Proposal_(req, form, fields, "", 422);
      }
      if (c.error().code == ErrorCode::kUnavailable || c.error().code == ErrorCode::kInternal) {
        return o_.error_page(503, req);
      }
      return Proposal_(req, form, {}, c.error().message_key, http::StatusOf(c.error().code));
    }
    return Response::Redirect(ctx->base + "/proposals/" + std::string(req.PathParam("proposal")) +
                              Lang(req));
  }

 private:
  struct Ctx {
    catalog::Municipality municipality;
    Process process;
    std::string base;  // /m/{slug}/participate/{process}
  };

  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  using Mods = std::map<std::pair<Reported, int64_t>, Moderation>;
  static const Moderation* Find(const Mods& mods, Reported kind, int64_t id) {
    auto it = mods.find({kind, id});
    return it == mods.end() ? nullptr : &it->second;
  }

  // What stands in place of hidden content; its author also reads the moderator's reasons.
  std::string HiddenText(i18n::Lang lang, const Moderation& m, bool author) const {
    if (m.decision != "removed") return Msg().Get(lang, "participation.moderation.hidden");
    std::string text = Msg().Get(lang, "participation.moderation.removed");
    if (author) {
      text += " " + Msg().Format(lang, "participation.moderation.because", {{"reason", m.reason}});
      if (m.review_requested_at != 0) {
        text += " " + Msg().Get(lang, "participation.moderation.reviewed");
      }
    }
    return text;
  }

  void Reasons(render::Dict* d, i18n::Lang lang) const {
    for (const std::string& r : ReportReasons()) {
      render::Dict* o = d->AddSectionDictionary("REASON");
      o->SetValue("VALUE", r);
      o->SetValue("LABEL", Msg().Get(lang, "participation.report.reasons." + r));
    }
  }

  // The comment a form names ("comment"), 0 for none; nullopt when malformed.
  static std::optional<int64_t> CommentOf(const http::Params& form) {
    const std::string text(form.Get("comment").value_or(""));
    if (text.empty()) return 0;
    if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoll(text);
  }

  static std::string Lang(const Request& req) {
    return render::RequestLang(req) == i18n::Lang::kEn ? "?lang=en" : "";
  }

  static Actor ActorOf(const Request& req) {
    const identity::Principal& who = identity::PrincipalOf(req);
    return {who.account_id, who.pseudonym, req.request_id};
  }

  Result<Ctx> Load(const Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto p = o_.store->GetProcess(m->id, req.PathParam("process"));
    if (!p.ok()) return std::move(p).error();
    std::string base = "/m/" + m->slug + "/participate/" + p->slug;
    return Ctx{std::move(*m), std::move(*p), std::move(base)};
  }

  Response Fail(const Error& e, const Request& req) {
    return o_.error_page(e.code == ErrorCode::kNotFound ? 404 : 503, req);
  }

  // A refusal that is not about a field: the process page with the reason in an alert.
  Response ProcessRefused(const Request& req, const http::Params& form, const Error& e) {
    if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kInternal) {
      return o_.error_page(503, req);
    }
    return Process_(req, form, {}, e.message_key, http::StatusOf(e.code));
  }

  Response ModerationRefused(const Request& req, const Error& e) {
    switch (e.code) {
      case ErrorCode::kNotFound:
        return o_.error_page(404, req);
      case ErrorCode::kInvalid:
        return Proposal_(req, {}, {}, "participation.report.reason", 422);
      case ErrorCode::kForbidden:
      case ErrorCode::kConflict:
        return Proposal_(req, {}, {}, e.message_key, http::StatusOf(e.code));
      default:
        return o_.error_page(503, req);
    }
  }

  std::string PhaseNow(i18n::Lang lang, const Process& p, int64_t now) const {
    auto phase = p.PhaseAt(now);
    if (!phase) return Msg().Get(lang, "participation.phase.none");
    return Msg().Get(lang, "participation.phase." + std::string(PhaseName(*phase)));
  }

  // The answer's state of a proposal, in words.
  void AnswerState(render::Dict* d, i18n::Lang lang, const Proposal& p, int64_t now) const {
    if (p.answered_at != 0) {
      d->SetValue("STATE", Msg().Format(lang, "participation.answered_on",
                                        {{"date", i18n::FormatDate(p.answered_at, lang)}}));
    } else if (p.Overdue(now)) {
      d->SetValue("STATE", Msg().Format(lang, "participation.overdue",
                                        {{"date", i18n::FormatDate(p.answer_due_at, lang)}}));
      d->ShowSection("OVERDUE");
    } else if (p.answer_due_at != 0) {
      d->SetValue("STATE", Msg().Format(lang, "participation.answer_due",
                                        {{"date", i18n::FormatDate(p.answer_due_at, lang)}}));
    } else {
      d->SetValue("STATE", "");
    }
  }

  Response Process_(const Request& req, const http::Params& values,
                    const std::map<std::string, std::string>& errors, const std::string& refusal,
                    int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const Process& p = ctx->process;
    const std::string title = lang == i18n::Lang::kAr ? p.title_ar : p.title_en;
    render::Page page = catalog::MunicipalityPage(*o_.site, req, ctx->municipality,
                                                  "participation-process.tpl", ctx->base, title);
    // What everyone not signed in sees is the same: its body is kept until the next write this
    // process commits, and at most a minute (the phase and due dates follow the clock; other
    // nodes' writes).
    const bool shared = identity::PrincipalOf(req).anonymous() && status == 200 &&
                        refusal.empty() && errors.empty();
    const std::string cache_key = std::string(i18n::LangCode(lang)) + ctx->base;
    const uint64_t version =
        (o_.store->Generation() << 32) ^ static_cast<uint64_t>(o_.now_ms() / 60'000);
    if (shared) {
      if (auto body = bodies_.Get(cache_key, version)) {
        page.SetBodyHtml(std::move(body));
        return page.Finish(200);
      }
    }
    auto proposals = o_.store->Proposals(p.id);
    if (!proposals.ok()) return o_.error_page(503, req);
    render::Dict& b = page.body();
    const int64_t now = o_.now_ms();
    b.SetValue("LIST_HREF", "/m/" + ctx->municipality.slug + "/participate");
    b.SetValue("TITLE", title);
    b.SetValue("SUMMARY", lang == i18n::Lang::kAr ? p.summary_ar : p.summary_en);
    b.SetValue("PHASE", PhaseNow(lang, p, now));
    b.SetValue("THRESHOLD", Msg().Format(lang, "participation.threshold_rule",
                                         {{"threshold", i18n::FormatNumber(p.threshold, lang)},
                                          {"days", i18n::FormatNumber(p.answer_days, lang)}}));
    const auto current = p.PhaseAt(now);
    for (const PhaseDates& d : p.phases) {
      render::Dict* row = b.AddSectionDictionary("PHASE_ROW");
      row->SetValue("NAME",
                    Msg().Get(lang, "participation.phase." + std::string(PhaseName(d.phase))));
      row->SetValue("FROM", i18n::FormatDate(d.starts_at, lang, "UTC"));
      row->SetValue("TO", i18n::FormatDate(d.ends_at - 1, lang, "UTC"));
      if (current && *current == d.phase) row->ShowSection("CURRENT");
    }
    auto mods = o_.store->ModerationOf(p.id);
    if (!mods.ok()) return o_.error_page(503, req);
    for (const Proposal& x : *proposals) {
      render::Dict* d = b.AddSectionDictionary("PROPOSAL");
      d->SetValue("HREF", ctx->base + "/proposals/" + x.token);
      const Moderation* pm = Find(*mods, Reported::kProposal, x.id);
      d->SetValue("TITLE", pm != nullptr && pm->Hidden()
                               ? Msg().Get(lang, "participation.moderation.hidden_title")
                               : x.title);
      d->SetValue("AUTHOR", x.author_name);
      d->SetValue("SUPPORTS", Msg().Format(lang, "participation.supports_count",
                                           {{"n", i18n::FormatNumber(x.supports, lang)}}));
      AnswerState(d, lang, x, now);
    }
    if (proposals->empty()) b.ShowSection("NO_PROPOSALS");
    auto votes = o_.store->Votes(p.id);
    if (!votes.ok()) return o_.error_page(503, req);
    for (const Vote& v : *votes) {
      render::Dict* d = b.AddSectionDictionary("VOTE");
      d->SetValue("HREF", ctx->base + "/votes/" + v.slug);
      d->SetValue("TITLE", lang == i18n::Lang::kAr ? v.title_ar : v.title_en);
      if (v.published_at != 0) d->ShowSection("VOTE_PUBLISHED");
    }
    if (!votes->empty()) b.ShowSection("HAS_VOTES");
    if (!FillPublicMeetings(b, o_, req, ctx->process, ctx->base).ok()) {
      return o_.error_page(503, req);
    }
    if (!FillPublicRecommendations(b, o_, req, ctx->municipality, ctx->process, ctx->base).ok()) {
      return o_.error_page(503, req);
    }
    if (!refusal.empty()) b.SetValueAndShowSection("REFUSAL", Msg().Get(lang, refusal), "REFUSED");
    const identity::Principal& who = identity::PrincipalOf(req);
    if (current == Phase::kProposals) {
      if (who.anonymous()) {
        b.SetValueAndShowSection("LOGIN_HREF", "/login", "SIGN_IN");
      } else {
        render::Form form;
        form.action = ctx->base + "/proposals";
        form.submit_key = "participation.propose_submit";
        form.csrf = identity::TokenFor(req).value;
        form.errors = errors;
        render::FormField t{"title", "participation.proposal_title", "participation.title_hint"};
        t.value = std::string(values.Get("title").value_or(""));
        render::FormField body{"body", "participation.proposal_body", "", "textarea"};
        body.value = std::string(values.Get("body").value_or(""));
        form.fields = {t, body};
        if (!PostAsField(form, o_, req, p, values).ok()) return o_.error_page(503, req);
        render::IncludeForm(b, form, Msg(), lang);
        b.ShowSection("CAN_PROPOSE");
      }
    }
    if (shared) {
      auto body = page.RenderBody();
      if (!body.ok()) return o_.error_page(500, req);
      bodies_.Put(cache_key, version, *body);
      page.SetBodyHtml(std::move(*body));
    }
    Response res = page.Finish(status);
    if (!who.anonymous()) res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response Proposal_(const Request& req, const http::Params& values,
                     const std::map<std::string, std::string>& errors, const std::string& refusal,
                     int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const Process& p = ctx->process;
    auto x = o_.store->GetProposal(p.id, req.PathParam("proposal"));
    if (!x.ok()) return Fail(x.error(), req);
    auto comments = o_.store->Comments(x->id);
    if (!comments.ok()) return o_.error_page(503, req);
    const identity::Principal& who = identity::PrincipalOf(req);
    bool supported = false;
    if (!who.anonymous()) {
      auto s = o_.store->Supports(x->id, who.account_id);
      if (!s.ok()) return o_.error_page(503, req);
      supported = *s;
    }
    auto mods = o_.store->ModerationOf(p.id);
    if (!mods.ok()) return o_.error_page(503, req);
    const Moderation* pm = Find(*mods, Reported::kProposal, x->id);
    const bool hidden = pm != nullptr && pm->Hidden();
    const bool is_author = !who.anonymous() && who.account_id == x->author_account_id;
    const std::string href = ctx->base + "/proposals/" + x->token;
    const std::string shown_title =
        hidden ? Msg().Get(lang, "participation.moderation.hidden_title") : x->title;
    render::Page page = catalog::MunicipalityPage(*o_.site, req, ctx->municipality,
                                                  "participation-proposal.tpl", href, shown_title);
    render::Dict& b = page.body();
    const int64_t now = o_.now_ms();
    const std::string csrf = identity::TokenFor(req).value;
    b.SetValue("PROCESS_HREF", ctx->base);
    b.SetValue("PROCESS", lang == i18n::Lang::kAr ? p.title_ar : p.title_en);
    b.SetValue("TITLE", shown_title);
    if (hidden) {
      render::Dict* h = b.AddSectionDictionary("HIDDEN");
      h->SetValue("HIDDEN_TEXT", HiddenText(lang, *pm, is_author));
      if (is_author && pm->CanAskReview()) {
        render::Dict* r = h->AddSectionDictionary("REVIEW");
        r->SetValue("ACTION", href + "/review");
        r->SetValue("CSRF", csrf);
      }
    } else {
      b.ShowSection("SHOWN");
      if (!who.anonymous() && !is_author) {
        render::Dict* r = b.AddSectionDictionary("REPORT");
        r->SetValue("ACTION", href + "/report");
        r->SetValue("CSRF", csrf);
        Reasons(r, lang);
      }
    }
    b.SetValue("AUTHOR", x->author_name);
    b.SetValue("CREATED", i18n::FormatDate(x->created_at, lang));
    b.SetValue("BODY", x->body);
    b.SetValue("SUPPORTS", Msg().Format(lang, "participation.supports_of",
                                        {{"n", i18n::FormatNumber(x->supports, lang)},
                                         {"threshold", i18n::FormatNumber(p.threshold, lang)}}));
    AnswerState(&b, lang, *x, now);
    if (x->answered_at != 0) b.SetValueAndShowSection("ANSWER", x->answer, "ANSWERED");
    if (!refusal.empty()) b.SetValueAndShowSection("REFUSAL", Msg().Get(lang, refusal), "REFUSED");
    const auto current = p.PhaseAt(now);
    if (current == Phase::kProposals && !who.anonymous() &&
        who.account_id != x->author_account_id) {
      if (supported) {
        b.ShowSection("SUPPORTED");
      } else {
        render::Dict* s = b.AddSectionDictionary("CAN_SUPPORT");
        s->SetValue("ACTION", href + "/support");
        s->SetValue("CSRF", csrf);
      }
    }
    std::map<int64_t, std::string> names;
    for (const Comment& c : *comments) {
      names[c.id] = c.author_name;
      render::Dict* d = b.AddSectionDictionary("COMMENT");
      d->SetValue("ID", std::to_string(c.id));
      d->SetValue("AUTHOR", c.author_name);
      d->SetValue("WHEN", i18n::FormatDate(c.created_at, lang));
      d->SetValue("STANCE",
                  Msg().Get(lang, "participation.stance." + std::string(StanceName(c.stance))));
      d->SetValue("STANCE_CODE", std::string(StanceName(c.stance)));
      d->SetValue("BODY", c.body);
      const Moderation* cm = Find(*mods, Reported::kComment, c.id);
      const bool own = !who.anonymous() && who.account_id == c.account_id;
      if (cm != nullptr && cm->Hidden()) {
        render::Dict* h = d->AddSectionDictionary("C_HIDDEN");
        h->SetValue("HIDDEN_TEXT", HiddenText(lang, *cm, own));
        if (own && cm->CanAskReview()) {
          render::Dict* r = h->AddSectionDictionary("C_REVIEW");
          r->SetValue("ACTION", href + "/review");
          r->SetValue("CSRF", csrf);
        }
      } else {
        d->ShowSection("C_SHOWN");
        if (!who.anonymous() && !own) {
          render::Dict* r = d->AddSectionDictionary("C_REPORT");
          r->SetValue("ACTION", href + "/report");
          r->SetValue("CSRF", csrf);
          Reasons(r, lang);
        }
      }
      if (c.parent_id != 0) d->SetValueAndShowSection("PARENT", names[c.parent_id], "REPLY_TO");
      d->SetValue("REPLY_HREF", href + "?reply=" + std::to_string(c.id) +
                                    (lang == i18n::Lang::kEn ? "&lang=en" : "") + "#comment-form");
      if (c.depth > 0) d->ShowSection("NESTED");
    }
    if (comments->empty()) b.ShowSection("NO_COMMENTS");
    const bool open = current == Phase::kProposals || current == Phase::kDebate;
    if (open && !who.anonymous()) {
      render::Form form;
      form.action = href + "/comments";
      form.submit_key = "participation.comment_submit";
      form.csrf = csrf;
      form.errors = errors;
      std::string parent(values.Get("parent").value_or(""));
      if (parent.empty()) {
        auto q = req.query.Get("reply");
        if (q) parent = std::string(*q);
      }
      if (!parent.empty()) {
        form.hidden.push_back({"parent", parent});
        try {
          auto it = names.find(std::stoll(parent));
          if (it != names.end()) b.SetValueAndShowSection("REPLYING_TO", it->second, "REPLYING");
        } catch (...) {
        }
      }
      render::FormField stance{"stance", "participation.stance_label", "", "select"};
      stance.value = std::string(values.Get("stance").value_or("neutral"));
      for (Stance s : {Stance::kFor, Stance::kAgainst, Stance::kNeutral}) {
        stance.options.push_back(
            {std::string(StanceName(s)),
             Msg().Get(lang, "participation.stance." + std::string(StanceName(s)))});
      }
      render::FormField body{"body", "participation.comment_body", "", "textarea"};
      body.value = std::string(values.Get("body").value_or(""));
      form.fields = {stance, body};
      if (!PostAsField(form, o_, req, p, values).ok()) return o_.error_page(503, req);
      render::IncludeForm(b, form, Msg(), lang);
      b.ShowSection("CAN_COMMENT");
    } else if (open) {
      b.SetValueAndShowSection("LOGIN_HREF", "/login", "SIGN_IN");
    }
    Response res = page.Finish(status);
    if (!who.anonymous()) res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
  render::FragmentCache bodies_;  // the process pages as the anonymous see them
};

}  // namespace

void AddPublicRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  using identity::Access;
  auto pages = std::make_shared<PublicPages>(options);
  auto on = http::MemberHandlers(pages);
  const std::string base = "/m/{slug}/participate";
  routes.Get(base, Access::Public(), on(&PublicPages::List));
  routes.Get(base + "/{process}", Access::Public(), on(&PublicPages::ShowProcess));
  routes.Post(base + "/{process}/proposals", Access::SignedIn(), on(&PublicPages::Propose));
  routes.Get(base + "/{process}/proposals/{proposal}", Access::Public(),
             on(&PublicPages::ShowProposal));
  routes.Post(base + "/{process}/proposals/{proposal}/support", Access::SignedIn(),
              on(&PublicPages::Support));
  routes.Post(base + "/{process}/proposals/{proposal}/comments", Access::SignedIn(),
              on(&PublicPages::AddComment));
  routes.Post(base + "/{process}/proposals/{proposal}/report", Access::SignedIn(),
              on(&PublicPages::Report));
  routes.Post(base + "/{process}/proposals/{proposal}/review", Access::SignedIn(),
              on(&PublicPages::Review));
}

}  // namespace baladiya::participation

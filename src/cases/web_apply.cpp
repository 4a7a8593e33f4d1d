// Applying, without JavaScript: starting a draft, one question page at a time (saved as it
// goes, files included), "check your answers" with the declaration, submitting (through Filing),
// or following a report near instead. For a resident, or a counter clerk on their behalf.
#include "cases/follow_web.h"
#include "cases/web_internal.h"
#include "catalog/page.h"
#include "platform/http/multipart.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/locale.h"
#include "platform/render/form.h"

namespace baladiya::cases {
namespace {

class ApplyPages : public PageBase {
 public:
  using PageBase::PageBase;

  Response Apply(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    auto s = o_.services->Find(m->id, req.PathParam("code"));
    if (!s.ok()) return Fail(s.error(), req);
    if (!s->published || !s->Offers("web")) return o_.error_page(404, req);
    const identity::Principal& who = PrincipalOf(req);
    auto draft = o_.cases->CreateDraft(who.account_id, *s, "web", 0, o_.now_ms());
    // At the cap of unfinished applications: the list of them, where one can be finished or
    // deleted, says why.
    if (!draft.ok() && draft.error().message_key == "cases.too_many_drafts")
      return Response::Redirect("/account/cases?full=1");
    if (!draft.ok()) return Fail(draft.error(), req);
    return Response::Redirect("/applications/" + std::to_string(*draft) + "/page/1");
  }

  // Whether the question page was opened by a "change" link of "check your answers".
  static bool FromCheck(const Request& req) {
    return req.query.Get("from").value_or("") == "check";
  }

  Response QuestionForm(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return Fail(ctx.error(), req);
    int page = static_cast<int>(ToInt(req.PathParam("page"))) - 1;
    if (page < 0 || page >= static_cast<int>(ctx->service.form.pages.size()))
      return o_.error_page(404, req);
    // Back after signing in again: what was typed when the session had ended, shown (not yet
    // saved) for the person to check and continue.
    auto resumed = req.attributes.find(std::string(identity::kResumedForm));
    if (resumed != req.attributes.end()) {
      if (auto form = http::ParseQuery(resumed->second)) {
        DraftContext shown = *ctx;
        for (const auto& f : ctx->service.form.pages[page].fields) {
          if (f.type == catalog::FieldType::kFile) continue;
          std::vector<std::string> values;
          for (auto v : form->GetAll(f.name))
            if (!v.empty()) values.emplace_back(v);
          if (values.empty()) {
            shown.draft.answers.erase(f.name);
          } else {
            shown.draft.answers[f.name] = std::move(values);
          }
        }
        return ShowQuestions(req, shown, page, {}, 200, {}, true);
      }
    }
    return ShowQuestions(req, *ctx, page, {}, 200);
  }

  Response SaveQuestions(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return Fail(ctx.error(), req);
    int page = static_cast<int>(ToInt(req.PathParam("page"))) - 1;
    const auto& pages = ctx->service.form.pages;
    if (page < 0 || page >= static_cast<int>(pages.size())) return o_.error_page(404, req);
    const catalog::Answers before = ctx->draft.answers;  // what the page was shown with
    http::Params form = req.Form();
    std::vector<http::Part> uploads;
    if (auto boundary = http::MultipartBoundary(req.headers.Get("content-type"))) {
      auto parts = http::ParseMultipart(req.body, *boundary);
      if (!parts.ok()) return o_.error_page(400, req);
      form = http::FieldsOf(*parts);
      for (auto& part : *parts) {
        if (!part.filename.empty() && !part.data.empty()) uploads.push_back(std::move(part));
      }
    }
    std::map<std::string, std::string> upload_errors;
    for (const auto& f : pages[page].fields) {
      if (f.type != catalog::FieldType::kFile) continue;
      // New files replace the field's earlier ones; no new file keeps them.
      std::vector<std::string> refs;
      for (const auto& part : uploads) {
        if (part.name != f.name) continue;
        if (static_cast<int>(refs.size()) >= std::max(f.max_files, 1)) {
          upload_errors[f.name] = "form.too_many_files";
          break;
        }
        auto id =
            o_.cases->AddAttachment(ctx->draft, f.name, part.filename, part.data, o_.now_ms());
        if (!id.ok()) {
          upload_errors[f.name] = id.error().message_key;
          break;
        }
        refs.push_back(AttachmentRef(*id));
      }
      if (!refs.empty() && !upload_errors.count(f.name)) ctx->draft.answers[f.name] = refs;
    }
    for (const auto& f : pages[page].fields) {
      if (f.type == catalog::FieldType::kFile) continue;  // uploads are handled above
      std::vector<std::string> values;
      for (auto v : form.GetAll(f.name)) {
        if (!v.empty()) values.emplace_back(v);
      }
      if (values.empty()) {
        ctx->draft.answers.erase(f.name);
      } else {
        ctx->draft.answers[f.name] = std::move(values);
      }
    }
    const bool save_only = form.Get("go").value_or("") == "save";
    catalog::Answers checked = ctx->draft.answers;
    auto errors = catalog::ValidateAnswers(ctx->service.form, page, checked);
    for (const auto& [field, key] : upload_errors) errors[field] = key;
    // A question this submission has just revealed (its condition was false when the page was
    // shown, so the person never saw it) is asked, not refused: the page comes back with a
    // notice naming it, and it is not marked as an error.
    const i18n::Lang lang = render::RequestLang(req);
    std::vector<std::string> revealed;
    for (const auto& f : pages[page].fields) {
      auto e = errors.find(f.name);
      if (e == errors.end() || e->second != "form.required" || !f.show_if) continue;
      if (catalog::Visible(f, before) || !catalog::Visible(f, ctx->draft.answers)) continue;
      revealed.push_back(f.label.In(lang));
      errors.erase(e);
    }
    if (errors.empty()) ctx->draft.answers = std::move(checked);
    ctx->draft.page = page;
    Status saved = o_.cases->SaveDraft(ctx->draft, o_.now_ms());
    if (!saved.ok()) {
      if (saved.error().code == ErrorCode::kConflict) return DraftDone(req, *ctx);
      return o_.error_page(503, req);
    }
    if (save_only) {
      // The counter clerk goes back to the counter; the resident to their applications.
      if (ctx->draft.filed_by == PrincipalOf(req).account_id && ctx->draft.filed_by != 0)
        return Response::Redirect("/m/" + ctx->municipality.slug + "/counter");
      return Response::Redirect("/account/cases?saved=1");
    }
    if (!errors.empty() || !revealed.empty())
      return ShowQuestions(req, *ctx, page, errors, errors.empty() ? 200 : 422, revealed);
    // The next page with a visible field, or "check your answers". A change made from "check
    // your answers" goes back there, unless it revealed a required question still unanswered.
    const bool from_check = FromCheck(req);
    for (int next = page + 1; next < static_cast<int>(pages.size()); ++next) {
      for (const auto& f : pages[next].fields) {
        if (from_check) {
          if (!f.required || !catalog::Visible(f, ctx->draft.answers) ||
              ctx->draft.answers.count(f.name))
            continue;
          return Response::Redirect(DraftHref(ctx->draft) + "/page/" + std::to_string(next + 1) +
                                    "?from=check");
        }
        if (catalog::Visible(f, ctx->draft.answers)) {
          return Response::Redirect(DraftHref(ctx->draft) + "/page/" + std::to_string(next + 1));
        }
      }
    }
    return Response::Redirect(DraftHref(ctx->draft) + "/check");
  }

  Response CheckForm(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowCheck(req, *ctx, {}, false, 200);
  }

  // "Delete this draft": asked to confirm first (nothing can bring it back).
  Response DeleteForm(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return Fail(ctx.error(), req);
    if (ctx->draft.case_id) return DraftDone(req, *ctx);
    const i18n::Lang lang = render::RequestLang(req);
    const std::string href = DraftHref(ctx->draft) + "/delete";
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, ctx->municipality, "cases-delete-draft.tpl", href,
                                  Cat().Get(lang, "delete_draft.title"));
    render::Dict& b = page.body();
    b.SetValue("ACTION", href);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    b.SetValue("QUESTION", Cat().Format(lang, "delete_draft.question",
                                        {{"service", ctx->service.name.In(lang)}}));
    b.SetValue("BACK_HREF", DraftHref(ctx->draft) + "/page/" + std::to_string(ctx->draft.page + 1));
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response Delete(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return Fail(ctx.error(), req);
    Status done = o_.cases->DeleteDraft(ctx->draft.id, PrincipalOf(req).account_id);
    if (!done.ok()) {
      if (done.error().code == ErrorCode::kNotFound) return DraftDone(req, *ctx);
      return Fail(done.error(), req);
    }
    // The clerk goes back to the counter; the resident to their applications.
    if (ctx->draft.filed_by == PrincipalOf(req).account_id && ctx->draft.filed_by != 0)
      return Response::Redirect("/m/" + ctx->municipality.slug + "/counter?deleted=1");
    return Response::Redirect("/account/cases?deleted=1");
  }

  Response Submit(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return Fail(ctx.error(), req);
    http::Params form = req.Form();
    if (form.Get("declaration").value_or("") != "yes") return ShowCheck(req, *ctx, {}, true, 422);
    const identity::Principal& who = PrincipalOf(req);
    // The applicant's language for their notifications (a counter clerk may be filing).
    auto account = o_.accounts->Get(ctx->draft.account_id, false);
    if (!account.ok()) return o_.error_page(503, req);
    const bool on_behalf = ctx->draft.filed_by != 0 && ctx->draft.filed_by == who.account_id;
    Actor actor{who.account_id,
                who.pseudonym,
                {on_behalf ? "counter-clerk" : "resident"},
                ctx->draft.channel,
                req.request_id};
    // A draft is submitted on the version of the service it was started on while the live one
    // asks the same questions; otherwise it moves to the live version and the resident checks
    // the questions that changed first.
    std::optional<catalog::Service> started;
    if (ctx->draft.service_version > 0 && ctx->draft.service_version != ctx->service.live_number) {
      auto v = o_.services->Version(ctx->service.id, ctx->draft.service_version);
      if (!v.ok() && v.error().code != ErrorCode::kNotFound) return o_.error_page(503, req);
      std::map<std::string, std::string> changed;
      for (const auto& p : ctx->service.form.pages) {
        for (const auto& f : p.fields) {
          const catalog::Field* before = nullptr;
          if (v.ok()) {
            for (const auto& op : v->form.pages) {
              for (const auto& of : op.fields) {
                if (of.name == f.name) before = &of;
              }
            }
          }
          if (!before || !(*before == f)) changed[f.name] = "apply.question_changed";
        }
      }
      if (v.ok() && changed.empty()) {
        started = std::move(*v);
      } else {
        Draft moved = ctx->draft;
        moved.service_version = ctx->service.live_number;
        if (!o_.cases->SaveDraft(moved, o_.now_ms()).ok()) return o_.error_page(503, req);
        ctx->draft = std::move(moved);
        return ShowCheck(req, *ctx, changed, false, 409);
      }
    }
    // A report whose location lies in another municipality's area is filed there.
    auto filed = o_.filing->SubmitDraft(ctx->draft, started ? *started : ctx->service, actor,
                                        account->lang, o_.now_ms());
    if (!filed.ok()) {
      if (filed.error().code == ErrorCode::kInvalid)
        return ShowCheck(req, *ctx, filed.error().fields, false, 422);
      // Withdrawn since the draft was started: said on the page, the draft kept (ShowCheck).
      if (filed.error().message_key == "cases.service_withdrawn")
        return ShowCheck(req, *ctx, {}, false, 409);
      return o_.error_page(503, req);
    }
    const std::string& tracking = filed->filed.tracking;
    if (on_behalf) {
      return Response::Redirect("/m/" + ctx->municipality.slug + "/counter?filed=" + tracking);
    }
    return Response::Redirect("/account/cases/" + tracking + "?submitted=1" +
                              (filed->route ? "&routed=1" : ""));
  }

  // Follows an open report near the draft's place instead of filing it (follow_web.h).
  Response Follow(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return Fail(ctx.error(), req);
    auto route = o_.filing->RouteOf(ctx->service, ctx->draft.answers, ctx->draft.channel);
    const catalog::Service* routed_to = route.ok() && *route ? &(*route)->service : nullptr;
    auto done =
        follow::FollowInstead(o_, req, ctx->draft, ctx->service, routed_to, ctx->municipality);
    if (!done.ok()) {
      if (done.error().code == ErrorCode::kConflict &&
          done.error().message_key == "cases.draft_submitted")
        return DraftDone(req, *ctx);
      return ShowCheck(req, *ctx, {}, false, StatusOf(done.error()), done.error().message_key);
    }
    return std::move(*done);
  }

  // A clerk filing for a resident sees throughout the form whom for: their name, the ID number
  // masked, and the channel (at the counter, by phone).
  void AddFilingFor(render::Dict& b, const Request& req, const DraftContext& ctx) const {
    if (ctx.draft.filed_by == 0 || ctx.draft.filed_by != PrincipalOf(req).account_id) return;
    const i18n::Lang lang = render::RequestLang(req);
    auto a = o_.accounts->Get(ctx.draft.account_id, true);
    if (!a.ok()) return;
    const std::string name =
        lang == i18n::Lang::kEn && !a->full_name_en.empty() ? a->full_name_en : a->full_name_ar;
    b.SetValueAndShowSection(
        "FILING_FOR_TEXT",
        Cat().Format(lang, "apply.filing_for",
                     {{"name", name},
                      {"id", i18n::IsolateLatin(identity::Mask(a->personal.national_id))},
                      {"channel", Cat().Get(lang, "channel." + ctx.draft.channel)}}),
        "FILING_FOR");
  }

  // `revealed`: the labels of questions the last answers made appear on this page.
  Response ShowQuestions(const Request& req, const DraftContext& ctx, int page_index,
                         const std::map<std::string, std::string>& errors, int status,
                         const std::vector<std::string>& revealed = {}, bool resumed = false) {
    i18n::Lang lang = render::RequestLang(req);
    const catalog::Page& p = ctx.service.form.pages[page_index];
    const std::string href = DraftHref(ctx.draft) + "/page/" + std::to_string(page_index + 1);
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, ctx.municipality, "cases-question.tpl", href,
                                  p.title.In(lang) + " — " + ctx.service.name.In(lang));
    render::Dict& b = page.body();
    b.SetValue("SERVICE", ctx.service.name.In(lang));
    b.SetValue(
        "PROGRESS",
        Cat().Format(lang, "apply.progress",
                     {{"page", i18n::FormatNumber(page_index + 1, lang)},
                      {"pages", i18n::FormatNumber(
                                    static_cast<int64_t>(ctx.service.form.pages.size()), lang)}}));
    b.SetValue("PAGE_TITLE", p.title.In(lang));
    b.SetValue("ACTION", FromCheck(req) ? href + "?from=check" : href);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    if (page_index > 0) {
      b.SetValueAndShowSection(
          "BACK_HREF", DraftHref(ctx.draft) + "/page/" + std::to_string(page_index), "HAS_BACK");
    }
    b.SetValue("DELETE_HREF", DraftHref(ctx.draft) + "/delete");
    if (!errors.empty()) b.ShowSection("ERRORS");
    if (resumed) b.ShowSection("RESUMED");
    AddFilingFor(b, req, ctx);
    if (!revealed.empty()) {
      std::string names;
      for (const auto& label : revealed)
        names += std::string(names.empty() ? "" : i18n::ListSeparator(lang)) + label;
      b.SetValueAndShowSection("REVEALED_TEXT",
                               Cat().Format(lang, "apply.revealed", {{"questions", names}}),
                               "REVEALED");
    }
    for (const auto& f : p.fields) {
      if (!catalog::Visible(f, ctx.draft.answers)) continue;
      auto err = errors.find(f.name);
      if (err != errors.end()) {
        render::Dict* e = b.AddSectionDictionary("ERROR");
        e->SetValue("NAME", f.name);
        e->SetValue("MESSAGE", f.label.In(lang) + ": " + Cat().Get(lang, err->second));
      }
      render::Dict* d = b.AddSectionDictionary("FIELD");
      const auto answer = ctx.draft.answers.find(f.name);
      const std::vector<std::string> values =
          answer != ctx.draft.answers.end() ? answer->second : std::vector<std::string>{};
      std::string described;
      if (!f.help.Empty()) described = f.name + "-hint";
      // A file question states its limit by the field (GOV.UK: say it before the upload).
      if (f.type == catalog::FieldType::kFile)
        described += (described.empty() ? "" : " ") + f.name + "-limit";
      if (err != errors.end()) described += (described.empty() ? "" : " ") + f.name + "-error";
      const bool group = f.type == catalog::FieldType::kSingleChoice ||
                         f.type == catalog::FieldType::kMultipleChoice ||
                         f.type == catalog::FieldType::kYesNo;
      render::Dict* inner = d->AddSectionDictionary(group ? "GROUP" : "SINGLE");
      inner->SetValue("NAME", f.name);
      inner->SetValue("LABEL", f.label.In(lang));
      if (!f.required) inner->ShowSection("IS_OPTIONAL");
      if (!f.help.Empty()) inner->SetValueAndShowSection("HINT", f.help.In(lang), "HAS_HINT");
      if (f.type == catalog::FieldType::kFile) {
        const int count = std::max(f.max_files, 1);
        inner->SetValueAndShowSection(
            "LIMIT_TEXT",
            Cat().Format(lang, count > 1 ? "apply.file_limit_many" : "apply.file_limit",
                         {{"count", i18n::FormatNumber(count, lang)},
                          {"mb", i18n::FormatNumber(kMaxAttachmentBytes >> 20, lang)}}),
            "FILE_LIMIT");
      }
      if (err != errors.end()) {
        d->ShowSection("HAS_ERROR");
        inner->SetValueAndShowSection("ERROR", Cat().Get(lang, err->second), "HAS_ERROR");
      }
      if (!described.empty())
        inner->SetValueAndShowSection("DESCRIBED_BY", described, "HAS_DESCRIBED_BY");
      auto has = [&](const std::string& v) {
        return std::find(values.begin(), values.end(), v) != values.end();
      };
      if (group) {
        std::vector<std::pair<std::string, std::string>> choices;
        if (f.type == catalog::FieldType::kYesNo) {
          choices = {{"yes", Cat().Get(lang, "form.answer_yes")},
                     {"no", Cat().Get(lang, "form.answer_no")}};
        } else {
          for (const auto& o : f.options) choices.emplace_back(o.value, o.label.In(lang));
        }
        for (const auto& [value, label] : choices) {
          render::Dict* c = inner->AddSectionDictionary("CHOICE");
          c->SetValue("KIND", f.type == catalog::FieldType::kMultipleChoice ? "checkbox" : "radio");
          c->SetValue("ID", f.name + "-" + value);
          c->SetValue("NAME", f.name);
          c->SetValue("VALUE", value);
          c->SetValue("OPTION_LABEL", label);
          if (has(value)) c->ShowSection("CHECKED");
        }
        continue;
      }
      const std::string value = values.empty() ? "" : values.front();
      if (f.type == catalog::FieldType::kLongText) {
        render::Dict* t = inner->AddSectionDictionary("TEXTAREA");
        t->SetValue("NAME", f.name);
        t->SetValue("VALUE", value);
        if (f.required) t->ShowSection("REQUIRED");
        if (err != errors.end()) t->ShowSection("HAS_ERROR");
        if (!described.empty())
          t->SetValueAndShowSection("DESCRIBED_BY", described, "HAS_DESCRIBED_BY");
        continue;
      }
      if (f.type == catalog::FieldType::kFile) {
        b.ShowSection("MULTIPART");
        auto files = o_.cases->Attachments(ctx.draft.id, 0);
        if (files.ok()) {
          for (const auto& a : *files) {
            if (!has(AttachmentRef(a.id))) continue;
            inner->ShowSection("HAS_FILES");
            render::Dict* fd = inner->AddSectionDictionary("FILE");
            fd->SetValue("FILE_NAME", a.file_name);
            fd->SetValue("FILE_SIZE", SizeText(a.size, lang));
          }
        }
      }
      render::Dict* in = inner->AddSectionDictionary("INPUT");
      in->SetValue("NAME", f.name);
      // A stored number comes back in the page's digits (a number as typed, refused, as typed).
      in->SetValue("VALUE", f.type == catalog::FieldType::kFile ? ""
                            : f.type == catalog::FieldType::kNumber
                                ? i18n::LocalizeNumber(value, lang)
                                : value);
      std::string type = "text";
      std::string mode;
      bool ltr = false;
      switch (f.type) {
        case catalog::FieldType::kNumber:
          mode = f.decimals > 0 ? "decimal" : "numeric";
          ltr = true;
          break;
        case catalog::FieldType::kNationalId:
          mode = "numeric";
          ltr = true;
          break;
        case catalog::FieldType::kPhone:
          type = "tel";
          mode = "tel";
          ltr = true;
          break;
        case catalog::FieldType::kEmail:
          type = "email";
          ltr = true;
          break;
        case catalog::FieldType::kDate:
          type = "date";
          ltr = true;
          break;
        case catalog::FieldType::kFile:
          type = "file";
          break;
        default:
          break;
      }
      in->SetValue("TYPE", type);
      if (!mode.empty()) in->SetValueAndShowSection("INPUTMODE", mode, "HAS_INPUTMODE");
      if (ltr) in->ShowSection("LTR");
      // With a tile server configured, map.js adds a map that writes "lat,lng" into this field
      // (render::Page::UseMap); the field stays the real input.
      if (f.type == catalog::FieldType::kLocation && page.UseMap()) {
        in->ShowSection("MAP_PICK");  // "" (no centre for the municipality) opens on the region
        in->SetValue("MAP_CENTRE", o_.site->map->CentreFor(ctx.municipality.slug));
      }
      if (f.required) in->ShowSection("REQUIRED");
      if (err != errors.end()) in->ShowSection("HAS_ERROR");
      if (!described.empty())
        in->SetValueAndShowSection("DESCRIBED_BY", described, "HAS_DESCRIBED_BY");
    }
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowCheck(const Request& req, const DraftContext& ctx,
                     const std::map<std::string, std::string>& errors, bool declaration_missing,
                     int status, const std::string& follow_error = "") {
    i18n::Lang lang = render::RequestLang(req);
    const std::string href = DraftHref(ctx.draft) + "/check";
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, ctx.municipality, "cases-check.tpl", href,
                                  Cat().Get(lang, "apply.check_title"));
    render::Dict& b = page.body();
    b.SetValue("SERVICE", ctx.service.name.In(lang));
    b.SetValue("ACTION", href);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    if (!ctx.service.published) {
      b.SetValueAndShowSection("WITHDRAWN", Cat().Get(lang, "cases.service_withdrawn"),
                               "IS_WITHDRAWN");
      b.SetValue("DRAFTS_HREF", "/account/cases");
    }
    if (!errors.empty()) b.ShowSection("ERRORS");
    AddFilingFor(b, req, ctx);
    // At the counter the clerk reads the declaration to the resident, who confirms it.
    const bool on_behalf =
        ctx.draft.filed_by != 0 && ctx.draft.filed_by == PrincipalOf(req).account_id;
    b.SetValue("DECLARATION",
               Cat().Get(lang, on_behalf ? "apply.declaration_on_behalf" : "apply.declaration"));
    if (declaration_missing) {
      b.ShowSection("DECLARATION_ERROR");
      b.ShowSection("ERRORS");
      render::Dict* e = b.AddSectionDictionary("ERROR");
      e->SetValue("HREF", "#declaration");
      e->SetValue("MESSAGE", Cat().Get(lang, "apply.declaration_required"));
    }
    auto files = o_.cases->Attachments(ctx.draft.id, 0);
    for (size_t pi = 0; pi < ctx.service.form.pages.size(); ++pi) {
      for (const auto& f : ctx.service.form.pages[pi].fields) {
        if (!catalog::Visible(f, ctx.draft.answers)) continue;
        // "Change" comes back here once the answer is saved (GOV.UK's check-answers pattern).
        const std::string change =
            DraftHref(ctx.draft) + "/page/" + std::to_string(pi + 1) + "?from=check#" + f.name;
        if (auto e = errors.find(f.name); e != errors.end()) {
          render::Dict* d = b.AddSectionDictionary("ERROR");
          d->SetValue("HREF", change);
          d->SetValue("MESSAGE", f.label.In(lang) + ": " + Cat().Get(lang, e->second));
        }
        render::Dict* d = b.AddSectionDictionary("ANSWER");
        d->SetValue("LABEL", f.label.In(lang));
        auto a = ctx.draft.answers.find(f.name);
        d->SetValue("VALUE", a == ctx.draft.answers.end()
                                 ? Cat().Get(lang, "apply.not_answered")
                                 : AnswerText(f, a->second, lang, files.ok() ? &*files : nullptr));
        d->SetValue("CHANGE_HREF", change);
      }
    }
    // A report whose location lies in another municipality's area goes there: said before.
    auto route = o_.filing->RouteOf(ctx.service, ctx.draft.answers, ctx.draft.channel);
    const bool routed = route.ok() && *route;
    if (routed) {
      b.SetValueAndShowSection("ROUTED", RoutedNotice(Cat(), lang, **route, false), "HAS_ROUTED");
    }
    b.SetValue("FEE", i18n::FormatMoney(catalog::ComputeFee(ctx.service.fee, ctx.draft.answers),
                                        ctx.service.fee.currency, lang));
    // Reports: the open reports of the service near this place (where the report would go), to
    // follow instead of filing.
    follow::AddNearby(b, o_, req, ctx.draft, ctx.service, routed ? &(*route)->service : nullptr,
                      follow_error);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }
};

}  // namespace

void AddApplyRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<ApplyPages>(options);
  auto on = http::MemberHandlers(pages);
  routes.Post("/m/{slug}/services/{code}/apply", Access::SignedIn(), on(&ApplyPages::Apply));
  routes.Get("/applications/{draft:int}/page/{page:int}", Access::SignedIn(),
             on(&ApplyPages::QuestionForm));
  routes.Post("/applications/{draft:int}/page/{page:int}", Access::SignedIn(),
              on(&ApplyPages::SaveQuestions));
  routes.Get("/applications/{draft:int}/check", Access::SignedIn(), on(&ApplyPages::CheckForm));
  routes.Post("/applications/{draft:int}/check", Access::SignedIn(), on(&ApplyPages::Submit));
  routes.Post("/applications/{draft:int}/follow", Access::SignedIn(), on(&ApplyPages::Follow));
  routes.Get("/applications/{draft:int}/delete", Access::SignedIn(), on(&ApplyPages::DeleteForm));
  routes.Post("/applications/{draft:int}/delete", Access::SignedIn(), on(&ApplyPages::Delete));
}

}  // namespace baladiya::cases

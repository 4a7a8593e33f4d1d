// What the cases pages share (web_internal.h): downloads, the roles someone acts in, the
// departments they work, and PageBase's helpers.
#include <map>

#include "cases/web_internal.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/locale.h"

namespace baladiya::cases {

http::Response FileDownload(Attachment a) {
  http::Response res;
  res.status = 200;
  res.body = std::move(a.content);
  res.headers.Set("content-type", a.content_type);
  res.headers.Set("content-disposition", "attachment; filename=\"file\"; filename*=UTF-8''" +
                                             http::PercentEncode(a.file_name));
  res.headers.Set("cache-control", "no-store");
  res.headers.Set("x-content-type-options", "nosniff");
  return res;
}

std::vector<std::string> RolesFor(const identity::Principal& who, int64_t municipality_id,
                                  int64_t department_id) {
  std::vector<std::string> out;
  for (const auto& g : who.grants) {
    const bool here =
        g.municipality_id == 0 || (g.municipality_id == municipality_id &&
                                   (g.department_id == 0 || g.department_id == department_id));
    if (here) out.emplace_back(identity::RoleName(g.role));
  }
  return out;
}

std::vector<int64_t> WorkDepartments(const identity::Principal& who, int64_t municipality_id) {
  if (identity::Allowed(who, identity::Permission::kWorkCases, municipality_id)) return {};
  std::vector<int64_t> out;
  for (const auto& g : who.grants) {
    if (g.municipality_id == municipality_id && g.department_id != 0 &&
        identity::Allowed(who, identity::Permission::kWorkCases, municipality_id, g.department_id))
      out.push_back(g.department_id);
  }
  // Allowed to reach the queue at all means at least one department; never "all" by accident.
  if (out.empty()) out.push_back(-1);
  return out;
}

// StateLabel with the service's workflow built once per page (a queue shows many cases of
// few services).
std::string PageBase::StateLabelCached(
    const catalog::Service& s, const std::string& state, i18n::Lang lang,
    std::map<int64_t, std::optional<workflow::Workflow>>& flows) const {
  auto it = flows.find(s.id);
  if (it == flows.end()) {
    auto wf = WorkflowOf(s);
    it = flows
             .emplace(s.id,
                      wf.ok() ? std::optional<workflow::Workflow>(std::move(*wf)) : std::nullopt)
             .first;
  }
  if (it->second) {
    if (const workflow::State* st = it->second->FindState(state)) return st->label.In(lang);
  }
  return state;
}

Result<PageBase::DraftContext> PageBase::LoadDraft(const Request& req) {
  const identity::Principal& who = PrincipalOf(req);
  auto d = o_.cases->GetDraft(ToInt(req.PathParam("draft")), who.account_id);
  if (!d.ok()) return std::move(d).error();
  auto s = o_.services->Get(d->service_id);
  if (!s.ok()) return std::move(s).error();
  auto m = o_.tenancy->Get(s->municipality_id);
  if (!m.ok()) return std::move(m).error();
  return DraftContext{std::move(*d), std::move(*s), std::move(*m)};
}

Response PageBase::DraftDone(const Request&, const DraftContext& ctx) {
  auto c = o_.cases->Get(ctx.draft.case_id);
  if (c.ok()) return Response::Redirect("/account/cases/" + c->tracking);
  return Response::Redirect("/account/cases");
}

// File answers name attachments: shown by their file names.
std::string PageBase::AnswerText(const catalog::Field& f, const std::vector<std::string>& values,
                                 i18n::Lang lang, const std::vector<Attachment>* files) const {
  std::string out;
  for (const auto& v : values) {
    if (f.type == catalog::FieldType::kFile) {
      std::string name = Cat().Get(lang, "apply.file");
      if (files) {
        for (const auto& a : *files) {
          if (AttachmentRef(a.id) == v) name = a.file_name;
        }
      }
      if (!out.empty()) out += i18n::ListSeparator(lang);
      out += name;
      continue;
    }
    if (!out.empty()) out += i18n::ListSeparator(lang);
    std::string shown = v;
    if (f.type == catalog::FieldType::kYesNo) shown = Cat().Get(lang, "form.answer_" + v);
    if (f.type == catalog::FieldType::kNumber) shown = i18n::LocalizeNumber(v, lang);
    for (const auto& o : f.options) {
      if (o.value == v) shown = o.label.In(lang);
    }
    out += shown;
  }
  return out;
}

// The case of the {tracking} path parameter when the signed-in person applied for it.
Result<Case> PageBase::ApplicantCase(const Request& req) {
  auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
  if (!c.ok()) return c;
  if (c->applicant_id != PrincipalOf(req).account_id) return NotYours();
  return c;
}

Result<Case> PageBase::StaffCaseOf(const Request& req) {
  auto m = Municipality(req);
  if (!m.ok()) return std::move(m).error();
  auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
  if (!c.ok()) return c;
  if (c->municipality_id != m->id) return NotYours();  // another municipality's
  if (!identity::Allowed(PrincipalOf(req), Permission::kWorkCases, m->id, c->department_id))
    return NotYours();
  return c;
}

Response PageBase::SendFile(const Request& req, const Case& c) {
  auto a = o_.cases->GetAttachment(c.id, ToInt(req.PathParam("file")));
  if (!a.ok()) return o_.error_page(a.error().code == ErrorCode::kNotFound ? 404 : 503, req);
  return FileDownload(std::move(*a));
}

}  // namespace baladiya::cases

// The JSON API of e-services (/api/v1), described by this module's part of the OpenAPI document
// (src/cases/openapi.json; the host serves the whole at /api/v1/openapi.json). Residents use their
// session (with the X-CSRF-Token header on POST); staff systems and integrators an API token.
//
// Files travel apart from the JSON: the caller sends each one as the raw body of POST
// .../uploads (its Content-Type the file's), gets an opaque upload id, and names that id as the
// answer to a file field of the application; the case's files are then read back one by one.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <ctime>
#include <span>

#include "cases/web_internal.h"
#include "identity/credentials.h"
#include "platform/embedded.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "platform/render/errors.h"
#include "workflow/services.h"

namespace baladiya::cases {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;
using identity::PrincipalOf;

json::object TextJson(const catalog::Text& t) { return {{"ar", t.ar}, {"en", t.en}}; }

int64_t ToInt(std::string_view s, int64_t fallback) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

// The media type of a Content-Type value, lower-cased, without parameters or spaces.
std::string MediaType(std::string_view value) {
  value = value.substr(0, value.find(';'));
  std::string out;
  for (char c : value) {
    if (c != ' ' && c != '\t')
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// A file name as sent with an upload: valid UTF-8 of 1..255 bytes, no control characters and no
// path separators (it is only ever shown, and offered back as a download's name).
bool ValidFileName(std::string_view name) {
  if (name.empty() || name.size() > 255 || !i18n::IsValidUtf8(name)) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F || c == '/' || c == '\\';
  });
}

std::string DefaultFileName(std::string_view content_type) {
  if (content_type == "application/pdf") return "file.pdf";
  if (content_type == "image/jpeg") return "file.jpg";
  return "file.png";
}

class Api {
 public:
  explicit Api(WebOptions o) : o_(std::move(o)) {}

  Response Error(const Request& req, int status, std::string_view code, const std::string& key,
                 const std::map<std::string, std::string>& fields = {}) const {
    const i18n::Lang lang = render::RequestLang(req);
    json::object e;
    e["code"] = code;
    e["message"] = o_.site->catalog->Get(lang, key);
    if (!fields.empty()) {
      json::object f;
      for (const auto& [name, k] : fields) f[name] = o_.site->catalog->Get(lang, k);
      e["fields"] = std::move(f);
    }
    return Response::Json(status, json::serialize(json::object{{"error", std::move(e)}}));
  }

  // A failed call's error with the status of the one mapping (http::StatusOf).
  Response FromError(const Request& req, const baladiya::Error& e) const {
    return render::ApiError(*o_.site->catalog, req, e);
  }

  json::object ServiceJson(const catalog::Service& s, bool detail) const {
    json::object o;
    o["code"] = s.code;
    o["kind"] = catalog::ServiceKindName(s.kind);
    o["category"] = s.category;
    o["name"] = TextJson(s.name);
    o["description"] = TextJson(s.description);
    o["fee"] = json::object{{"base_minor", s.fee.base_minor},
                            {"currency", s.fee.currency},
                            {"varies", !s.fee.rules.empty()}};
    o["sla_days"] = s.sla_days;
    json::array channels;
    for (const auto& c : s.channels) channels.emplace_back(c);
    o["channels"] = std::move(channels);
    if (detail) {
      o["eligibility"] = TextJson(s.eligibility);
      json::array docs;
      for (const auto& d : s.documents) docs.push_back(TextJson(d));
      o["documents"] = std::move(docs);
      o["form"] = json::parse(catalog::FormSchemaToJson(s.form));
    }
    return o;
  }

  // The slug of a municipality (empty if it no longer exists).
  std::string SlugOf(int64_t municipality_id) const {
    auto list = o_.tenancy->ListMunicipalities();
    if (!list.ok()) return "";
    for (const auto& m : *list) {
      if (m.id == municipality_id) return m.slug;
    }
    return "";
  }

  json::object CaseJson(const Case& c, const catalog::Service* s, bool with_answers) const {
    json::object o;
    o["tracking"] = c.tracking;
    o["municipality"] = SlugOf(c.municipality_id);
    o["service"] = s ? s->code : "";
    o["state"] = c.state;
    o["version"] = c.version;
    o["channel"] = c.channel;
    o["submitted_at"] = i18n::FormatIsoUtc(c.submitted_at);
    o["due_at"] = i18n::FormatIsoUtc(c.due_at);
    o["closed_at"] =
        c.closed_at ? json::value(i18n::FormatIsoUtc(c.closed_at)) : json::value(nullptr);
    o["escalated"] = c.escalated;
    o["fee"] = json::object{{"amount_minor", c.fee_minor}, {"currency", c.currency}};
    if (with_answers) {
      json::object a;
      for (const auto& [k, values] : c.answers) {
        json::array arr;
        for (const auto& v : values) arr.emplace_back(v);
        a[k] = std::move(arr);
      }
      o["answers"] = std::move(a);
    }
    return o;
  }

  // A case with its answers and its files (their metadata; each file's bytes are at its href).
  Result<json::object> DetailJson(const Case& c, const catalog::Service* s) const {
    auto files = o_.cases->Attachments(0, c.id);
    if (!files.ok()) return std::move(files).error();
    json::object o = CaseJson(c, s, true);
    json::array out;
    for (const auto& f : *files) {
      const std::string ref = AttachmentRef(f.id);
      out.push_back(
          json::object{{"id", ref},
                       {"field", f.field},
                       // Names from web forms are not checked to be UTF-8; JSON must be.
                       {"file_name", i18n::IsValidUtf8(f.file_name) ? f.file_name : "file"},
                       {"content_type", f.content_type},
                       {"size", f.size},
                       {"sha256", f.sha256},
                       {"href", "/api/v1/cases/" + c.tracking + "/attachments/" + ref}});
    }
    o["attachments"] = std::move(out);
    return o;
  }

  Response CaseResponse(const Request& req, int status, const Case& c,
                        const catalog::Service* s) const {
    auto body = DetailJson(c, s);
    if (!body.ok()) return FromError(req, body.error());
    return Response::Json(status, json::serialize(*body));
  }

  Response Services(Request& req) {
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return FromError(req, m.error());
    const std::string q(req.query.Get("q").value_or(""));
    auto list = q.empty() ? o_.services->List(m->id, true) : o_.services->Search(m->id, q);
    if (!list.ok()) return FromError(req, list.error());
    json::array out;
    for (const auto& s : *list) out.push_back(ServiceJson(s, false));
    return Response::Json(200, json::serialize(json::object{{"services", std::move(out)}}));
  }

  Response Service(Request& req) {
    auto s = FindService(req);
    if (!s) return FromError(req, s.error());
    return Response::Json(200, json::serialize(ServiceJson(*s, true)));
  }

  // {"answers": {"field": "value" | ["v1", "v2"]}, "idempotency_key": "...",
  //  "applicant_national_id": "..." (staff filing on someone's behalf), "channel": "counter"}
  Response Submit(Request& req) {
    auto s = FindService(req);
    if (!s) return FromError(req, s.error());
    json::error_code ec;
    auto body = json::parse(req.body, ec);
    if (ec || !body.is_object()) return Error(req, 400, "bad_request", "api.bad_json");
    const json::object& b = body.as_object();
    const json::value* answers = b.if_contains("answers");
    if (!answers || !answers->is_object()) return Error(req, 400, "bad_request", "api.bad_json");
    CaseStore::DirectSubmission in;
    for (const auto& [k, v] : answers->as_object()) {
      auto& values = in.answers[std::string(k)];
      if (v.is_string()) {
        values.emplace_back(v.as_string());
      } else if (v.is_array()) {
        for (const auto& x : v.as_array()) {
          if (!x.is_string()) return Error(req, 400, "bad_request", "api.bad_json");
          values.emplace_back(x.as_string());
        }
      } else if (v.is_int64() || v.is_uint64()) {
        values.emplace_back(json::serialize(v));
      } else if (v.is_bool()) {
        values.emplace_back(v.as_bool() ? "yes" : "no");
      } else {
        return Error(req, 400, "bad_request", "api.bad_json");
      }
    }
    if (auto* k = b.if_contains("idempotency_key"); k && k->is_string())
      in.idempotency_key = std::string(k->as_string());
    const identity::Principal& who = PrincipalOf(req);
    in.applicant_id = who.account_id;
    in.channel = "api";
    auto* on_behalf = b.if_contains("applicant_national_id");
    if (who.staff) {
      // Staff file for a resident who is present or on the phone.
      if (!identity::Allowed(who, Permission::kFileOnBehalf, s->municipality_id))
        return Error(req, 403, "forbidden", "api.forbidden");
      if (!on_behalf || !on_behalf->is_string())
        return Error(req, 422, "invalid", "api.applicant_required");
      // Scoped, limited per staff account and audited (identity::AccountStore::LookUpResident).
      auto creds = o_.accounts->LookUpResident(
          who, s->municipality_id, std::string(on_behalf->as_string()), "",
          {who.pseudonym, req.request_id, s->municipality_id}, o_.now_ms());
      if (!creds.ok() && creds.error().code == ErrorCode::kUnavailable) {
        Response busy = Error(req, 503, "unavailable", "counter.lookups_limited");
        auto wait = creds.error().fields.find("retry_after");
        busy.headers.Set("retry-after", wait == creds.error().fields.end() ? "60" : wait->second);
        return busy;
      }
      if (!creds.ok()) return Error(req, 422, "invalid", "api.applicant_unknown");
      in.applicant_id = creds->id;
      in.filed_by = who.account_id;
      in.channel = "counter";
      if (auto* c = b.if_contains("channel"); c && c->is_string() && c->as_string() == "phone")
        in.channel = "phone";
    } else if (on_behalf) {
      return Error(req, 403, "forbidden", "api.forbidden");
    }
    if (!s->Offers(in.channel == "api" ? "api" : in.channel))
      return Error(req, 422, "invalid", "api.channel_not_offered");
    auto applicant = o_.accounts->Get(in.applicant_id, false);
    if (!applicant.ok()) return FromError(req, applicant.error());
    in.applicant_lang = applicant->lang;
    Actor actor{who.account_id,
                who.pseudonym,
                {who.staff ? "counter-clerk" : "resident"},
                in.channel,
                req.request_id};
    // A report whose location lies in another municipality's area is filed there; the uploads
    // it names stay those sent to this one.
    auto filed = o_.filing->SubmitAnswers(std::move(in), *s, actor, o_.now_ms());
    if (!filed.ok()) return FromError(req, filed.error());
    const Case& c = filed->filed;
    const catalog::Service& service = filed->route ? filed->route->service : *s;
    Response res = CaseResponse(req, 201, c, &service);
    if (res.status == 201) res.headers.Set("location", "/api/v1/cases/" + c.tracking);
    return res;
  }

  // The file is the body, its Content-Type the file's (application/pdf, image/jpeg, image/png, or
  // application/octet-stream to let the content say); ?name= gives the file's name.
  Response AddUpload(Request& req) {
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return FromError(req, m.error());
    const identity::Principal& who = PrincipalOf(req);
    // Staff send files only where they may file applications for residents.
    if (who.staff && !identity::Allowed(who, Permission::kFileOnBehalf, m->id))
      return Error(req, 403, "forbidden", "api.forbidden");
    const std::string declared = MediaType(req.headers.Get("content-type"));
    if (declared != "application/pdf" && declared != "image/jpeg" && declared != "image/png" &&
        declared != "application/octet-stream")
      return Error(req, 415, "unsupported_type", "form.file_type");
    if (static_cast<int64_t>(req.body.size()) > kMaxAttachmentBytes)
      return Error(req, 413, "too_large", "form.file_too_large");
    // The content decides; a file whose content is not what its Content-Type claims is refused.
    const std::string type = catalog::SniffFileType(req.body);
    if (type.empty()) return Error(req, 415, "unsupported_type", "form.file_type");
    if (declared != "application/octet-stream" && declared != type)
      return Error(req, 415, "unsupported_type", "api.file_type_mismatch");
    std::string name = DefaultFileName(type);
    if (auto given = req.query.Get("name")) {
      if (!ValidFileName(*given))
        return Error(req, 422, "invalid", "api.bad_file_name", {{"name", "api.bad_file_name"}});
      name = std::string(*given);
    }
    auto u = o_.cases->AddUpload(who.account_id, m->id, name, req.body, o_.now_ms());
    if (!u.ok()) return FromError(req, u.error());
    return Response::Json(
        201, json::serialize(json::object{{"id", u->id},
                                          {"file_name", u->file_name},
                                          {"content_type", u->content_type},
                                          {"size", u->size},
                                          {"sha256", u->sha256},
                                          {"expires_at", i18n::FormatIsoUtc(u->expires_at)}}));
  }

  Response GetCase(Request& req) {
    auto c = VisibleCase(req);
    if (!c) return FromError(req, c.error());
    auto s = o_.services->Get(c->service_id);
    return CaseResponse(req, 200, *c, s.ok() ? &*s : nullptr);
  }

  // One of a case's files, for its applicant and for staff who work its department: the rules of
  // the pages' downloads (the counter clerk who filed a case does not read its files).
  Response CaseFile(Request& req) {
    auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
    if (!c.ok()) return FromError(req, c.error());
    const identity::Principal& who = PrincipalOf(req);
    const bool applicant = c->applicant_id == who.account_id;
    const bool works = who.staff && identity::Allowed(who, Permission::kWorkCases,
                                                      c->municipality_id, c->department_id);
    const int64_t id = AttachmentId(req.PathParam("attachment"));
    if ((!applicant && !works) || id == 0) return Error(req, 404, "not_found", "api.not_found");
    auto a = o_.cases->GetAttachment(c->id, id);
    if (!a.ok()) return FromError(req, a.error());
    return FileDownload(std::move(*a));
  }

  Response Events(Request& req) {
    auto c = VisibleCase(req);
    if (!c) return FromError(req, c.error());
    const identity::Principal& who = PrincipalOf(req);
    auto history = o_.cases->History(
        c->id, who.staff && identity::Allowed(who, Permission::kWorkCases, c->municipality_id,
                                              c->department_id));
    if (!history.ok()) return FromError(req, history.error());
    json::array out;
    for (const auto& e : *history) {
      out.push_back(json::object{{"at", i18n::FormatIsoUtc(e.at)},
                                 {"kind", e.kind},
                                 {"from_state", e.from_state},
                                 {"to_state", e.to_state},
                                 {"action", e.action},
                                 {"channel", e.channel},
                                 {"comment", e.comment},
                                 {"internal", e.internal}});
    }
    return Response::Json(200, json::serialize(json::object{{"events", std::move(out)}}));
  }

  // {"action": "start_review", "version": 3, "comment": "..."}
  Response Transition(Request& req) {
    auto c = VisibleCase(req);
    if (!c) return FromError(req, c.error());
    json::error_code ec;
    auto body = json::parse(req.body, ec);
    if (ec || !body.is_object()) return Error(req, 400, "bad_request", "api.bad_json");
    const json::object& b = body.as_object();
    auto* action = b.if_contains("action");
    auto* version = b.if_contains("version");
    if (!action || !action->is_string() || !version || !version->is_int64())
      return Error(req, 400, "bad_request", "api.bad_json");
    std::string comment;
    if (auto* cm = b.if_contains("comment"); cm && cm->is_string())
      comment = std::string(cm->as_string());
    auto s = o_.services->Get(c->service_id);
    if (!s.ok()) return FromError(req, s.error());
    auto wf = WorkflowOf(*s);
    auto calendar = CalendarOf(c->municipality_id);
    if (!wf.ok() || !calendar.ok()) return Error(req, 503, "unavailable", "error.busy");
    const identity::Principal& who = PrincipalOf(req);
    std::vector<std::string> roles = who.staff ? RolesFor(who, c->municipality_id, c->department_id)
                                               : std::vector<std::string>{"resident"};
    Actor actor{who.account_id, who.pseudonym, roles, "api", req.request_id};
    auto r = o_.cases->Transition(c->id, version->as_int64(), std::string(action->as_string()),
                                  comment, actor, *wf, *calendar, *s, o_.now_ms());
    if (!r.ok()) return FromError(req, r.error());
    return CaseResponse(req, 200, *r, &*s);
  }

  Response Queue(Request& req) {
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return FromError(req, m.error());
    const identity::Principal& who = PrincipalOf(req);
    QueueFilter f;
    f.municipality_id = m->id;
    f.departments = WorkDepartments(who, m->id);
    f.state = std::string(req.query.Get("state").value_or(""));
    if (auto svc = req.query.Get("service"); svc && !svc->empty()) {
      auto s = o_.services->Find(m->id, *svc);
      if (!s.ok()) return Error(req, 422, "invalid", "api.unknown_service");
      f.service_id = s->id;
    }
    f.sla = std::string(req.query.Get("sla").value_or(""));
    f.channel = std::string(req.query.Get("channel").value_or(""));
    f.sort = std::string(req.query.Get("sort").value_or("due"));
    f.offset = static_cast<int>(
        std::clamp<int64_t>(ToInt(req.query.Get("offset").value_or("0"), -1), -1, 1'000'000));
    f.limit = static_cast<int>(ToInt(req.query.Get("limit").value_or("25"), -1));
    if (f.offset < 0 || f.limit < 1 || f.limit > 200)
      return Error(req, 422, "invalid", "api.bad_paging");
    auto page = o_.cases->Queue(f, o_.now_ms());
    if (!page.ok()) return FromError(req, page.error());
    json::array out;
    std::map<int64_t, std::optional<catalog::Service>> services;  // a page has few services
    for (const auto& c : page->cases) {
      auto it = services.find(c.service_id);
      if (it == services.end()) {
        auto s = o_.services->Get(c.service_id);
        it = services
                 .emplace(c.service_id,
                          s.ok() ? std::optional<catalog::Service>(std::move(*s)) : std::nullopt)
                 .first;
      }
      out.push_back(CaseJson(c, it->second ? &*it->second : nullptr, false));
    }
    return Response::Json(200, json::serialize(json::object{{"total", page->total},
                                                            {"total_capped", page->total_capped},
                                                            {"offset", f.offset},
                                                            {"limit", f.limit},
                                                            {"cases", std::move(out)}}));
  }

 private:
  // The published service of the {slug} and {code} path parameters: kNotFound for none (or a
  // draft one), kUnavailable when it cannot be read.
  Result<catalog::Service> FindService(const Request& req) {
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return std::move(m).error();
    auto s = o_.services->Find(m->id, req.PathParam("code"));
    if (!s.ok()) return s;
    if (!s->published) return MakeError(ErrorCode::kNotFound, "api.not_found");
    return s;
  }

  // The case when the caller may see it: its applicant, or staff who work its department;
  // kNotFound for any other (as if it did not exist).
  Result<Case> VisibleCase(const Request& req) {
    auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
    if (!c.ok()) return c;
    const identity::Principal& who = PrincipalOf(req);
    if (!who.staff && c->applicant_id == who.account_id) return c;
    if (who.staff && c->filed_by == who.account_id) return c;  // the counter clerk who filed it
    if (who.staff &&
        identity::Allowed(who, Permission::kWorkCases, c->municipality_id, c->department_id))
      return c;
    return MakeError(ErrorCode::kNotFound, "api.not_found");
  }

  Result<workflow::Workflow> WorkflowOf(const catalog::Service& s) const {
    return workflow::ForService(s, *o_.site->catalog);
  }

  Result<workflow::Calendar> CalendarOf(int64_t municipality_id) const {
    return workflow::CalendarOf(*o_.services, municipality_id);
  }

  WebOptions o_;
};

}  // namespace

void AddApiRoutes(identity::GuardedRoutes& routes, WebOptions options) {
  auto api = std::make_shared<Api>(std::move(options));
  auto on = [api](Response (Api::*fn)(Request&)) {
    return [api, fn](Request& r) { return ((*api).*fn)(r); };
  };
  routes.Get("/api/v1/municipalities/{slug}/services", Access::Public(), on(&Api::Services));
  routes.Get("/api/v1/municipalities/{slug}/services/{code}", Access::Public(), on(&Api::Service));
  routes.Post("/api/v1/municipalities/{slug}/services/{code}/applications", Access::SignedIn(),
              on(&Api::Submit));
  routes.Post("/api/v1/municipalities/{slug}/uploads", Access::SignedIn(), on(&Api::AddUpload));
  routes.Get("/api/v1/municipalities/{slug}/cases", Access::Requires(Permission::kWorkCases),
             on(&Api::Queue));
  routes.Get("/api/v1/cases/{tracking}", Access::SignedIn(), on(&Api::GetCase));
  routes.Get("/api/v1/cases/{tracking}/events", Access::SignedIn(), on(&Api::Events));
  routes.Get("/api/v1/cases/{tracking}/attachments/{attachment}", Access::SignedIn(),
             on(&Api::CaseFile));
  routes.Post("/api/v1/cases/{tracking}/transitions", Access::SignedIn(), on(&Api::Transition));
}

}  // namespace baladiya::cases

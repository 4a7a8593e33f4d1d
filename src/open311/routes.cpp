// The Open311 GeoReport v2 endpoints (web.h): the handlers and the documents they answer; the
// arguments are read and checked by arguments.h.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "cases/web.h"
#include "open311/arguments.h"
#include "open311/format.h"
#include "open311/web.h"
#include "platform/i18n/arabic.h"
#include "workflow/services.h"

namespace baladiya::open311 {
namespace {

using http::Response;

constexpr std::string_view kSpecification = "http://wiki.open311.org/GeoReport_v2";
constexpr auto kSnapshotAge = std::chrono::seconds(5);

// The statuses a client may post with an update (mySociety's extension).
constexpr std::string_view kPostedStatuses[] = {"OPEN",
                                                "CLOSED",
                                                "FIXED",
                                                "IN_PROGRESS",
                                                "ACTION_SCHEDULED",
                                                "INVESTIGATING",
                                                "DUPLICATE",
                                                "NOT_COUNCILS_RESPONSIBILITY",
                                                "NO_FURTHER_ACTION",
                                                "INTERNAL_REFERRAL",
                                                "REOPEN",
                                                "FOR_TRIAGE"};

// The resource "{name}.{fmt}" of a path parameter: false when the extension is no format.
bool SplitResource(std::string_view file, std::string& name, Format& format) {
  const size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  name = std::string(file.substr(0, dot));
  return ParseFormat(file.substr(dot + 1), format);
}

// A municipality's services as Open311 uses them, built at most every few seconds: forms are
// parsed and workflows built once, not on every request.
struct ServiceEntry {
  catalog::Service service;
  workflow::Workflow workflow;
  catalog::Text agency;  // the department's name
};

struct Snapshot {
  std::vector<ServiceEntry> services;  // every service of the municipality, in catalogue order
  std::map<int64_t, size_t> by_id;
  std::map<std::string, size_t, std::less<>> by_code;
  workflow::Calendar calendar;
  int64_t changed_at = 0;  // the latest change of a service
  std::chrono::steady_clock::time_point loaded;

  const ServiceEntry* ById(int64_t id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &services[it->second];
  }
  const ServiceEntry* ByCode(std::string_view code) const {
    auto it = by_code.find(code);
    return it == by_code.end() ? nullptr : &services[it->second];
  }
};

class Api {
 public:
  explicit Api(WebOptions o) : o_(std::move(o)) {}

  // ---- discovery -------------------------------------------------------------------------------

  Response Discovery(http::Request& req, Format f) {
    Call c = Begin(req, f, false);
    // The changeset moves whenever a service (and so a service list or definition) changes.
    int64_t changed_at = 0;
    auto list = o_.tenancy->ListMunicipalities();
    if (!list.ok()) return General(c, list.error());
    for (const auto& m : *list) {
      auto snap = SnapshotOf(m.id);
      if (!snap.ok()) return General(c, snap.error());
      changed_at = std::max(changed_at, (*snap)->changed_at);
    }
    const std::string changeset = i18n::FormatIsoUtc(changed_at);
    Node formats = Node::List("format");
    formats.Push(Node::Text("text/xml")).Push(Node::Text("application/json"));
    Node endpoint = Node::Record();
    endpoint.Add("specification", Node::Text(std::string(kSpecification)))
        .Add("url", Node::Text(BaseUrl(req)))
        .Add("changeset", Node::Text(changeset))
        .Add("type", Node::Text("production"))
        .Add("formats", std::move(formats));
    Node endpoints = Node::List("endpoint");
    endpoints.Push(std::move(endpoint));
    Node doc = Node::Record();
    doc.Add("changeset", Node::Text(changeset))
        .Add("contact", Node::Text(c.Msg("open311.discovery.contact")))
        .Add("key_service", Node::Text(c.Msg("open311.discovery.key_service")))
        .Add("endpoints", std::move(endpoints));
    return Document(c, 200, "discovery", doc);
  }

  // ---- services --------------------------------------------------------------------------------

  Response Services(http::Request& req, Format f) {
    Call c = Begin(req, f, false);
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    auto snap = SnapshotOf(m.id);
    if (!snap.ok()) return General(c, snap.error());
    Node list = Node::List("service");
    for (const auto& e : (*snap)->services) {
      if (!Offered(e.service)) continue;
      const catalog::Service& s = e.service;
      const i18n::Lang other = c.lang == i18n::Lang::kAr ? i18n::Lang::kEn : i18n::Lang::kAr;
      Node n = Node::Record();
      n.Add("service_code", Node::Text(s.code))
          .Add("service_name", Node::Text(s.name.In(c.lang)))
          .Add("description", Node::Text(s.description.In(c.lang)))
          .Add("metadata", Node::Bool(!Attributes(s.form).empty()))
          .Add("type", Node::Text("realtime"))
          // The name in the other language is the synonym a search needs most here.
          .Add("keywords", Node::Text(s.name.In(other)))
          .Add("group", Node::Text(Group(s.category, c.lang)));
      list.Push(std::move(n));
    }
    return Document(c, 200, "services", list);
  }

  Response ServiceDefinition(http::Request& req) {
    std::string code;
    Format f = Format::kXml;
    if (!SplitResource(req.PathParam("file"), code, f)) return Missing(req);
    Call c = Begin(req, f, false);
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    auto snap = SnapshotOf(m.id);
    if (!snap.ok()) return General(c, snap.error());
    const ServiceEntry* e = (*snap)->ByCode(code);
    if (!e || !Offered(e->service)) {
      return Fail(c, 404, c.Msg("open311.error.service_code_unknown", {{"code", code}}));
    }
    Node attributes = Node::List("attribute");
    int order = 0;
    for (const catalog::Field* field : Attributes(e->service.form)) {
      Node a = Node::Record();
      a.Add("variable", Node::Bool(true))
          .Add("code", Node::Text(field->name))
          .Add("datatype", Node::Text(std::string(Datatype(field->type))))
          // A field shown only under a condition cannot be required of every request.
          .Add("required", Node::Bool(field->required && !field->show_if))
          .Add("datatype_description", DatatypeDescription(c, e->service.form, *field))
          .Add("order", Node::Integer(++order))
          .Add("description", Node::Text(field->label.In(c.lang)));
      Node values = Node::List("value");
      if (field->type == catalog::FieldType::kYesNo) {
        values.Push(Value("yes", c.Msg("form.answer_yes")));
        values.Push(Value("no", c.Msg("form.answer_no")));
      }
      for (const auto& option : field->options) {
        values.Push(Value(option.value, option.label.In(c.lang)));
      }
      if (!values.members().empty()) a.Add("values", std::move(values));
      attributes.Push(std::move(a));
    }
    Node doc = Node::Record();
    doc.Add("service_code", Node::Text(e->service.code)).Add("attributes", std::move(attributes));
    return Document(c, 200, "service_definition", doc);
  }

  // ---- requests --------------------------------------------------------------------------------

  Response PostRequest(http::Request& req, Format f) {
    Call c = Begin(req, f, true);
    if (auto e = RequireForm(req, c)) return *e;
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    auto key = Key(c, m);
    if (!key.ok()) return KeyError(c, key.error(), "create_request");
    const std::string_view code = c.Opt("service_code");
    if (code.empty()) {
      return Fail(c, 400, c.Msg("open311.error.missing", {{"name", "service_code"}}));
    }
    auto snap = SnapshotOf(m.id);
    if (!snap.ok()) return General(c, snap.error());
    const ServiceEntry* e = (*snap)->ByCode(code);
    if (!e || !Offered(e->service)) {
      return Fail(c, 404,
                  c.Msg("open311.error.service_code_unknown", {{"code", std::string(code)}}));
    }
    const catalog::Service& service = e->service;
    std::vector<Problem> problems;
    Submission details;
    details.key_id = key->id;
    Contact contact;
    cases::CaseStore::DirectSubmission in;
    ReadLocation(c, service, details, in.answers, problems);
    ReadDescription(c, service, details, in.answers, problems);
    ReadContact(c, contact, problems);
    ReadAttributes(c, service, in.answers);
    if (!problems.empty()) return Fail(c, 400, std::move(problems));

    in.applicant_id = key->account_id;
    in.applicant_lang = std::string(i18n::LangCode(c.lang));
    in.channel = "api";
    in.filed_by = key->account_id;
    in.in_tx = [&](db::Tx& tx, const cases::StateChange& change) {
      return o_.store->RecordSubmission(tx, change, details, contact);
    };
    cases::Actor actor{
        key->account_id, key->account_pseudonym, {"resident"}, "open311", req.request_id};
    // A report at a point inside another municipality's area is filed there, with that
    // municipality's service of the same code (or category) when Open311 offers it.
    auto filed = o_.filing->SubmitAnswers(std::move(in), service, actor, o_.now_ms(),
                                          [](const catalog::Service& to) { return Offered(to); });
    if (!filed.ok()) {
      if (filed.error().code != ErrorCode::kInvalid) return General(c, filed.error());
      for (const auto& [field, message] : filed.error().fields)
        problems.push_back({400, FieldProblem(c, service.form, field, message)});
      if (problems.empty()) return General(c);
      return Fail(c, 400, std::move(problems));
    }
    // The notice says where a routed report went (its id then names a request of that
    // jurisdiction).
    const catalog::Service& to = filed->route ? filed->route->service : service;
    std::string notice = Notice(to, c.lang);
    if (filed->route) {
      notice = cases::RoutedNotice(*o_.messages, c.lang, *filed->route, true) + " " + notice;
    }
    Node r = Node::Record();
    r.Add("service_request_id", Node::Text(filed->filed.tracking))
        .Add("service_notice", Node::Text(notice))
        .Add("account_id", Node::Null());
    Node list = Node::List("request");
    list.Push(std::move(r));
    return Document(c, 200, "service_requests", list);
  }

  Response GetRequests(http::Request& req, Format f) {
    Call c = Begin(req, f, false);
    // A list asked for again within a second (clients poll the default one) is answered as
    // rendered then; requests/{id} always reads the current state.
    // Lists are rendered on the request pool (RendersLists); one rendering per list at a time:
    // the others asking for it meanwhile wait for that one instead of rendering it again.
    const std::string key = ListKey(c);
    std::shared_ptr<Flight> flight;
    bool leader = false;
    {
      std::unique_lock lock(lists_mu_);
      if (auto hit = RecentListLocked(key)) return *hit;
      auto [it, fresh] = rendering_.try_emplace(key);
      if (fresh) it->second = std::make_shared<Flight>();
      flight = it->second;
      leader = fresh;
      if (!leader) {
        flight->done_cv.wait(lock, [&] { return flight->done; });
        if (flight->result) return *flight->result;
      }
    }
    if (!leader) return RenderRequests(c);  // the leader's rendering failed: try it ourselves
    Response res = RenderRequests(c);
    {
      std::lock_guard lock(lists_mu_);
      if (res.status == 200) {
        RememberListLocked(key, res);
        flight->result = res;
      }
      flight->done = true;
      rendering_.erase(key);
    }
    flight->done_cv.notify_all();
    return res;
  }

  Response RenderRequests(Call& c) {
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    auto snap = SnapshotOf(m.id);
    if (!snap.ok()) return General(c, snap.error());
    std::vector<Problem> problems;
    RequestFilter filter;
    filter.municipality_id = m.id;
    const std::vector<std::string_view> ids = SplitCommas(c.Opt("service_request_id"));
    if (ids.size() > kMaxIds) {
      problems.push_back(
          {400, c.Msg("open311.error.too_many_ids",
                      {{"max", i18n::FormatNumber(static_cast<int64_t>(kMaxIds), c.lang)}})});
    }
    for (std::string_view id : ids) {
      // An id that is no tracking number matches nothing, like an unknown one.
      if (auto p = workflow::ParseTrackingNumber(id))
        filter.tracking.push_back(workflow::TrackingNumber(p->prefix, p->year, p->sequence));
    }
    // service_request_id overrides every other argument (the specification): the others are
    // then neither used nor checked.
    if (ids.empty()) {
      for (std::string_view code : SplitCommas(c.Opt("service_code"))) {
        const ServiceEntry* e = (*snap)->ByCode(code);
        if (!e) {
          problems.push_back(
              {400, c.Msg("open311.error.service_code_unknown", {{"code", std::string(code)}})});
        } else {
          filter.service_ids.push_back(e->service.id);
        }
      }
      ReadRange(c, o_.now_ms(), filter.from_ms, filter.to_ms, problems);
      bool open = false, closed = false;
      for (std::string_view s : SplitCommas(c.Opt("status"))) {
        open = open || s == "open";
        closed = closed || s == "closed";
        if (s != "open" && s != "closed") {
          problems.push_back({400, c.Msg("open311.error.status", {})});
          break;
        }
      }
      if (open != closed) filter.closed = closed;
      ReadPaging(c, filter.offset, filter.limit, problems);
    }
    if (!problems.empty()) return Fail(c, 400, std::move(problems));
    if (!ids.empty()) {
      filter.limit = static_cast<int>(kMaxIds);
      if (filter.tracking.empty())
        return Document(c, 200, "service_requests", Node::List("request"));
    }
    auto found = o_.store->Find(filter);
    if (!found.ok()) return General(c, found.error());
    Node list = Node::List("request");
    list.Reserve(found->size());
    for (const auto& r : *found) list.Push(RequestNode(c, r, **snap));
    return Document(c, 200, "service_requests", list);
  }

  Response GetRequest(http::Request& req) {
    std::string id;
    Format f = Format::kXml;
    if (!SplitResource(req.PathParam("file"), id, f)) return Missing(req);
    Call c = Begin(req, f, false);
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    auto snap = SnapshotOf(m.id);
    if (!snap.ok()) return General(c, snap.error());
    auto r = o_.store->Get(m.id, id);
    if (!r.ok()) {
      if (r.error().code != ErrorCode::kNotFound) return General(c, r.error());
      return Fail(c, 404, c.Msg("open311.error.request_unknown", {{"id", id}}));
    }
    Node list = Node::List("request");
    list.Push(RequestNode(c, *r, **snap));
    return Document(c, 200, "service_requests", list);
  }

  // Requests get their service_request_id in the POST's answer (every service is "realtime"),
  // so no token is ever issued and every token is unknown.
  Response Token(http::Request& req) {
    std::string token;
    Format f = Format::kXml;
    if (!SplitResource(req.PathParam("file"), token, f)) return Missing(req);
    Call c = Begin(req, f, false);
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    return Fail(c, 404, c.Msg("open311.error.token_unknown", {{"token", token}}));
  }

  // ---- the updates extension -------------------------------------------------------------------

  Response GetUpdates(http::Request& req, Format f) {
    Call c = Begin(req, f, false);
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    auto snap = SnapshotOf(m.id);
    if (!snap.ok()) return General(c, snap.error());
    std::vector<Problem> problems;
    int64_t from = 0, to = 0;
    int offset = 0, limit = kMaxPageSize;
    ReadRange(c, o_.now_ms(), from, to, problems);
    ReadPaging(c, offset, limit, problems);
    if (!problems.empty()) return Fail(c, 400, std::move(problems));
    auto updates = o_.store->Updates(m.id, from, to, offset, limit);
    if (!updates.ok()) return General(c, updates.error());
    Node list = Node::List("request_update");
    for (const auto& u : *updates) {
      const ServiceEntry* e = (*snap)->ById(u.service_id);
      Node n = Node::Record();
      n.Add("update_id", Node::Text(u.update_id))
          .Add("service_request_id", Node::Text(u.tracking))
          .Add("status", Node::Text(e ? ExtendedStatus(e->workflow, u.state, u.kind)
                                      : std::string("in_progress")))
          .Add("updated_datetime", Node::Text(i18n::FormatIsoUtc(u.at)))
          .Add("description", Node::Text(e ? StateLabel(*e, u.state, c.lang) : u.state))
          .Add("media_url", Node::Text(""))
          .Add("external_status_code", Node::Text(u.state));
      list.Push(std::move(n));
    }
    return Document(c, 200, "service_request_updates", list);
  }

  Response PostUpdate(http::Request& req, Format f) {
    Call c = Begin(req, f, true);
    if (auto e = RequireForm(req, c)) return *e;
    catalog::Municipality m;
    if (auto e = Jurisdiction(c, m)) return *e;
    auto key = Key(c, m);
    if (!key.ok()) return KeyError(c, key.error(), "post_service_request_update");
    std::vector<Problem> problems;
    for (std::string_view name :
         {"service_request_id", "update_id", "status", "updated_datetime", "description"}) {
      if (c.Opt(name).empty())
        problems.push_back({400, c.Msg("open311.error.missing", {{"name", std::string(name)}})});
    }
    if (!problems.empty()) return Fail(c, 400, std::move(problems));
    ReceivedUpdate u;
    u.key_id = key->id;
    u.client_update_id = std::string(c.Opt("update_id"));
    u.status = std::string(c.Opt("status"));
    u.description = std::string(c.Opt("description"));
    if (u.client_update_id.size() > 100 || HasControl(u.client_update_id, false))
      problems.push_back({400, c.Msg("open311.error.invalid", {{"name", "update_id"}})});
    if (std::find(std::begin(kPostedStatuses), std::end(kPostedStatuses), u.status) ==
        std::end(kPostedStatuses)) {
      problems.push_back({400, c.Msg("open311.error.update_status", {})});
    }
    if (auto at = ParseDateTime(c.Opt("updated_datetime"))) {
      u.client_at = *at;
    } else {
      problems.push_back({400, c.Msg("open311.error.date", {{"name", "updated_datetime"}})});
    }
    if (CodePoints(u.description) > kMaxDescription || HasControl(u.description, true)) {
      problems.push_back(
          {400,
           c.Msg("open311.error.description_too_long",
                 {{"max", i18n::FormatNumber(static_cast<int64_t>(kMaxDescription), c.lang)}})});
    }
    for (std::string_view url : c.params.GetAll("media_url[]")) {
      if (!MediaUrl(url)) {
        problems.push_back({400, c.Msg("open311.error.media_url", {})});
        break;
      }
      u.media_urls.emplace_back(url);
    }
    if (auto url = c.Opt("media_url"); !url.empty()) {
      if (MediaUrl(url)) {
        u.media_urls.emplace_back(url);
      } else {
        problems.push_back({400, c.Msg("open311.error.media_url", {})});
      }
    }
    ReadContact(c, u.contact, problems);
    if (!problems.empty()) return Fail(c, 400, std::move(problems));
    const std::string id(c.Opt("service_request_id"));
    auto request = o_.store->Get(m.id, id);
    if (!request.ok()) {
      if (request.error().code != ErrorCode::kNotFound) return General(c, request.error());
      return Fail(c, 404, c.Msg("open311.error.request_unknown", {{"id", id}}));
    }
    // A key adds notes to the reports filed with it, unless it was issued for every report.
    if (!key->notes_on_all && request->key_id != key->id) {
      return Fail(c, 403, c.Msg("open311.error.not_your_request", {{"id", id}}));
    }
    auto receipt = o_.store->Receive(*request, u, o_.now_ms());
    if (!receipt.ok()) {
      if (receipt.error().code != ErrorCode::kConflict) return General(c, receipt.error());
      return Fail(c, 400, c.Msg("open311.update_id_reused"));
    }
    if (!receipt->noted) {
      // Staff read it on the case, in the municipality's language, as an internal note.
      const std::string note = o_.messages->Format(i18n::Lang::kAr, "open311.update_note",
                                                   {{"status", u.status}, {"text", u.description}});
      cases::Actor actor{
          key->account_id, key->account_pseudonym, {"resident"}, "api", req.request_id};
      if (!AddNote(request->case_id, note, actor)) return General(c);
      if (auto noted = o_.store->MarkNoted(receipt->id); !noted.ok())
        return General(c, noted.error());
    }
    Node r = Node::Record();
    r.Add("update_id", Node::Text(receipt->update_id));
    Node list = Node::List("request_update");
    list.Push(std::move(r));
    return Document(c, 200, "service_request_updates", list);
  }

  // Anything else under /open311/v2/: the specification's 404, in the format asked for when
  // the extension names one.
  Response Missing(http::Request& req) {
    Format f = Format::kXml;
    const size_t dot = req.path.rfind('.');
    if (dot != std::string::npos) (void)ParseFormat(req.path.substr(dot + 1), f);
    Call c = Begin(req, f, false);
    return Fail(c, 404, c.Msg("open311.error.not_found"));
  }

 private:
  // ---- the call, its language and its answers --------------------------------------------------

  Call Begin(const http::Request& req, Format f, bool post) const {
    Call c;
    c.format = f;
    c.messages = o_.messages;
    std::optional<i18n::Lang> lang;
    if (auto q = req.query.Get("lang")) lang = i18n::ParseLang(*q);
    c.lang =
        lang.value_or(i18n::NegotiateLang(req.headers.Get("accept-language"), i18n::Lang::kAr));
    if (post) {
      const http::Params form = req.Form();
      for (const auto& [k, v] : form.All()) c.params.Add(k, v);
    }
    for (const auto& [k, v] : req.query.All()) c.params.Add(k, v);
    return c;
  }

  Response Document(const Call& c, int status, std::string_view root, const Node& doc) const {
    Response res;
    res.status = status;
    res.body = Write(c.format, root, doc);
    res.headers.Set("content-type", std::string(ContentType(c.format)));
    res.headers.Set("cache-control", "no-store");
    res.headers.Set("vary", "Accept-Language");
    return res;
  }

  Response Fail(const Call& c, int status, std::vector<Problem> problems) const {
    Node list = Node::List("error");
    for (auto& p : problems) {
      Node e = Node::Record();
      e.Add("code", Node::Integer(p.code)).Add("description", Node::Text(std::move(p.description)));
      list.Push(std::move(e));
    }
    return Document(c, status, "errors", list);
  }
  Response Fail(const Call& c, int status, std::string description) const {
    return Fail(c, status, std::vector<Problem>{{status, std::move(description)}});
  }
  // The specification's "general service error": the request was fine but could not be served.
  Response General(const Call& c) const { return Fail(c, 400, c.Msg("open311.error.general")); }
  // The same for a failure with its error: storage that is down or full (kUnavailable) is a 503
  // with Retry-After, so that clients try again later rather than give the report up.
  Response General(const Call& c, const Error& e) const {
    if (e.code != ErrorCode::kUnavailable) return General(c);
    Response r = Fail(c, 503, c.Msg("open311.error.unavailable"));
    r.headers.Set("retry-after", "30");
    return r;
  }

  std::optional<Response> RequireForm(const http::Request& req, const Call& c) const {
    std::string_view type = req.headers.Get("content-type");
    type = Trim(type.substr(0, type.find(';')));
    if (type != "application/x-www-form-urlencoded")
      return Fail(c, 400, c.Msg("open311.error.not_form"));
    if (!req.body.empty() && req.Form().empty())
      return Fail(c, 400, c.Msg("open311.error.bad_form"));
    return std::nullopt;
  }

  // The municipality named by jurisdiction_id (required while the platform holds more than one).
  std::optional<Response> Jurisdiction(const Call& c, catalog::Municipality& out) const {
    const std::string_view id = c.Opt("jurisdiction_id");
    if (id.empty()) {
      auto list = o_.tenancy->ListMunicipalities();
      if (!list.ok()) return General(c, list.error());
      if (list->size() == 1) {
        out = list->front();
        return std::nullopt;
      }
      return Fail(c, 400, c.Msg("open311.error.missing", {{"name", "jurisdiction_id"}}));
    }
    auto m = o_.tenancy->FindMunicipality(id);
    if (!m.ok()) {
      if (m.error().code != ErrorCode::kNotFound) return General(c, m.error());
      return Fail(c, 404, c.Msg("open311.error.jurisdiction_unknown", {{"id", std::string(id)}}));
    }
    out = std::move(*m);
    return std::nullopt;
  }

  Result<ApiKey> Key(const Call& c, const catalog::Municipality& m) const {
    return o_.keys->Resolve(c.Opt("api_key"), m.id, o_.now_ms());
  }

  Response KeyError(const Call& c, const Error& e, std::string_view method) const {
    if (e.code != ErrorCode::kForbidden) return General(c, e);
    if (e.message_key == "open311.api_key_expired") {
      return Fail(c, 403,
                  c.Msg("open311.error.api_key_expired", {{"method", std::string(method)}}));
    }
    return Fail(c, 403, c.Msg("open311.error.api_key", {{"method", std::string(method)}}));
  }

  // ---- writing ---------------------------------------------------------------------------------

  Node RequestNode(const Call& c, const Request& r, const Snapshot& snap) const {
    const ServiceEntry* e = snap.ById(r.service_id);
    const auto text_or_null = [](const std::string& s) {
      return s.empty() ? Node::Null() : Node::Text(s);
    };
    Node n = Node::Record();
    n.Reserve(17);
    n.Add("service_request_id", Node::Text(r.tracking))
        .Add("status", Node::Text(r.closed ? "closed" : "open"))
        .Add("status_notes", e ? Node::Text(StateLabel(*e, r.state, c.lang)) : Node::Null())
        .Add("service_name", e ? Node::Text(e->service.name.In(c.lang)) : Node::Null())
        .Add("service_code", e ? Node::Text(e->service.code) : Node::Null())
        .Add("description", text_or_null(r.description))
        .Add("agency_responsible", e ? text_or_null(e->agency.In(c.lang)) : Node::Null())
        .Add("service_notice", e ? Node::Text(Notice(e->service, c.lang)) : Node::Null())
        .Add("requested_datetime", Node::Text(i18n::FormatIsoUtc(r.requested_at)))
        .Add("updated_datetime", Node::Text(i18n::FormatIsoUtc(r.updated_at)))
        .Add("expected_datetime",
             r.expected_at ? Node::Text(i18n::FormatIsoUtc(r.expected_at)) : Node::Null())
        .Add("address", text_or_null(r.address))
        .Add("address_id", text_or_null(r.address_id))
        .Add("zipcode", Node::Null())
        .Add("lat", r.lat.empty() ? Node::Null() : Node::Number(r.lat))
        .Add("long", r.lng.empty() ? Node::Null() : Node::Number(r.lng))
        .Add("media_url", text_or_null(r.media_url));
    return n;
  }

  static Node Value(std::string key, std::string name) {
    Node v = Node::Record();
    v.Add("key", Node::Text(std::move(key))).Add("name", Node::Text(std::move(name)));
    return v;
  }

  // The field's help; for a date, the formats accepted; for a required field asked only under
  // a condition, when it is required (Open311 has no conditions of its own).
  Node DatatypeDescription(const Call& c, const catalog::FormSchema& form,
                           const catalog::Field& f) const {
    std::vector<std::string> parts;
    if (!f.help.In(c.lang).empty()) parts.push_back(f.help.In(c.lang));
    if (f.type == catalog::FieldType::kDate) parts.push_back(c.Msg("open311.date_hint"));
    if (f.required && f.show_if) {
      bool list = false;
      for (const auto& page : form.pages) {
        for (const auto& other : page.fields) {
          list = list || (other.name == f.show_if->field &&
                          other.type == catalog::FieldType::kMultipleChoice);
        }
      }
      parts.push_back(c.Msg(list ? "open311.required_when_includes" : "open311.required_when_is",
                            {{"field", f.show_if->field}, {"value", f.show_if->equals}}));
    }
    std::string text;
    for (const auto& p : parts) text += (text.empty() ? "" : " ") + p;
    return text.empty() ? Node::Null() : Node::Text(std::move(text));
  }

  std::string Group(const std::string& category, i18n::Lang lang) const {
    const std::string key = "services.category." + category;
    return o_.messages->Has(lang, key) ? o_.messages->Get(lang, key) : category;
  }

  std::string Notice(const catalog::Service& s, i18n::Lang lang) const {
    return o_.messages->Format(lang, "open311.service_notice",
                               {{"days", i18n::FormatNumber(std::max(s.sla_days, 1), lang)}});
  }

  static std::string StateLabel(const ServiceEntry& e, const std::string& state, i18n::Lang lang) {
    const workflow::State* s = e.workflow.FindState(state);
    return s ? s->label.In(lang) : state;
  }

  // The endpoint's address in discovery: the configured public address, never the request's Host
  // (which anyone can set, and a cache in front would keep); without one, the path alone.
  std::string BaseUrl(const http::Request&) const { return o_.public_url + std::string(kBasePath); }

  // Adds the note against the case's current version, again if a change came in between.
  bool AddNote(int64_t case_id, const std::string& note, const cases::Actor& actor) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto current = o_.cases->Get(case_id);
      if (!current.ok()) return false;
      auto added = o_.cases->AddNote(case_id, current->version, note, actor, o_.now_ms());
      if (added.ok()) return true;
      if (added.error().code != ErrorCode::kConflict) return false;
    }
    return false;
  }

  Result<std::shared_ptr<const Snapshot>> SnapshotOf(int64_t municipality_id) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mu_);
      auto it = snapshots_.find(municipality_id);
      if (it != snapshots_.end() && now - it->second->loaded < kSnapshotAge) return it->second;
    }
    auto snap = std::make_shared<Snapshot>();
    snap->loaded = now;
    auto list = o_.services->List(municipality_id, false);
    if (!list.ok()) return std::move(list).error();
    auto departments = o_.tenancy->Departments(municipality_id);
    if (!departments.ok()) return std::move(departments).error();
    auto calendar = workflow::CalendarOf(*o_.services, municipality_id);
    if (!calendar.ok()) return std::move(calendar).error();
    snap->calendar = std::move(*calendar);
    for (auto& s : *list) {
      auto wf = workflow::ForService(s, *o_.messages);
      if (!wf.ok()) continue;  // a service whose workflow does not load cannot take reports
      ServiceEntry e{std::move(s), std::move(*wf), {}};
      for (const auto& d : *departments) {
        if (d.id == e.service.department_id) e.agency = d.name;
      }
      snap->changed_at = std::max(snap->changed_at, e.service.updated_at);
      snap->by_id[e.service.id] = snap->services.size();
      snap->by_code[e.service.code] = snap->services.size();
      snap->services.push_back(std::move(e));
    }
    std::shared_ptr<const Snapshot> out = std::move(snap);
    std::lock_guard lock(mu_);
    snapshots_[municipality_id] = out;
    return out;
  }

  // ---- recent lists ------------------------------------------------------------------------

  static constexpr auto kListAge = std::chrono::seconds(1);
  static constexpr size_t kMaxLists = 64;

  // The list's identity: format, language and every argument as given, in order.
  static std::string ListKey(const Call& c) {
    std::string key =
        std::to_string(static_cast<int>(c.format)) + "|" + std::to_string(static_cast<int>(c.lang));
    for (const auto& [k, v] : c.params.All()) key += "|" + k + "=" + v;
    return key;
  }

  // A list being rendered, and what waits for it (guarded by lists_mu_).
  struct Flight {
    bool done = false;
    std::optional<Response> result;  // set when the rendering succeeded
    std::condition_variable done_cv;
  };

  std::optional<Response> RecentListLocked(const std::string& key) {
    auto it = lists_.find(key);
    if (it == lists_.end()) return std::nullopt;
    if (std::chrono::steady_clock::now() - it->second.first >= kListAge) {
      lists_.erase(it);
      return std::nullopt;
    }
    return it->second.second;
  }

  void RememberListLocked(const std::string& key, const Response& res) {
    const auto now = std::chrono::steady_clock::now();
    if (lists_.size() >= kMaxLists) {
      for (auto it = lists_.begin(); it != lists_.end();) {
        it = now - it->second.first >= kListAge ? lists_.erase(it) : std::next(it);
      }
      if (lists_.size() >= kMaxLists) lists_.clear();
    }
    lists_[key] = {now, res};
  }

  WebOptions o_;
  std::mutex mu_;
  std::map<int64_t, std::shared_ptr<const Snapshot>> snapshots_;  // guarded by mu_
  std::mutex lists_mu_;
  // Rendered lists by ListKey, with when they were rendered.
  std::map<std::string, std::pair<std::chrono::steady_clock::time_point, Response>>
      lists_;                                                 // guarded by lists_mu_
  std::map<std::string, std::shared_ptr<Flight>> rendering_;  // by ListKey; guarded by lists_mu_
};

}  // namespace

bool RendersLists(std::string_view path) {
  if (!path.starts_with(kBasePath)) return false;
  path.remove_prefix(kBasePath.size());
  return path.starts_with("/requests.") || path.starts_with("/servicerequestupdates.");
}

void AddRoutes(identity::GuardedRoutes& routes, WebOptions options) {
  using identity::Access;
  auto api = std::make_shared<Api>(std::move(options));
  const std::string base(kBasePath);
  for (Format f : {Format::kXml, Format::kJson}) {
    const std::string_view ext = f == Format::kXml ? ".xml" : ".json";
    const auto path = [&](std::string_view name) {
      std::string p = base;
      p += name;
      p += ext;
      return p;
    };
    auto with = [api, f](Response (Api::*fn)(http::Request&, Format)) {
      return [api, f, fn](http::Request& r) { return ((*api).*fn)(r, f); };
    };
    routes.Get(path("/discovery"), Access::Public(), with(&Api::Discovery));
    routes.Get(path("/services"), Access::Public(), with(&Api::Services));
    routes.Get(path("/requests"), Access::Public(), with(&Api::GetRequests));
    routes.Post(path("/requests"), Access::Public(), with(&Api::PostRequest));
    routes.Get(path("/servicerequestupdates"), Access::Public(), with(&Api::GetUpdates));
    routes.Post(path("/servicerequestupdates"), Access::Public(), with(&Api::PostUpdate));
  }
  auto on = [api](Response (Api::*fn)(http::Request&)) {
    return [api, fn](http::Request& r) { return ((*api).*fn)(r); };
  };
  routes.Get(base + "/services/{file}", Access::Public(), on(&Api::ServiceDefinition));
  routes.Get(base + "/requests/{file}", Access::Public(), on(&Api::GetRequest));
  routes.Get(base + "/tokens/{file}", Access::Public(), on(&Api::Token));
  routes.Get(base + "/{rest:path}", Access::Public(), on(&Api::Missing));
  routes.Post(base + "/{rest:path}", Access::Public(), on(&Api::Missing));
}

}  // namespace baladiya::open311

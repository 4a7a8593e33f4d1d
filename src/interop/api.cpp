// The provider's X-Road REST services (web.h, openapi.json). A request reaches them through the
// municipality's security server, which names the calling subsystem in X-Road-Client; the
// services answer only clients the municipal admin granted them, echo X-Road-Id, and write every
// exchange, answered or refused, to the message log before answering.
#include <boost/json.hpp>

#include "catalog/page.h"
#include "identity/credentials.h"
#include "interop/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/errors.h"

namespace baladiya::interop {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

constexpr size_t kMaxHeader = 200;

// Printable ASCII of at most kMaxHeader characters (X-Road ids and user ids are).
bool HeaderOk(std::string_view v) {
  if (v.size() > kMaxHeader) return false;
  for (unsigned char c : v) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

class ProviderApi {
 public:
  explicit ProviderApi(WebOptions o) : o_(std::move(o)) {}

  Response Clearance(Request& req) {
    return Serve(req, kClearanceService, [&](Message& log) -> Response {
      auto id = identity::NormalizeNationalId(req.query.Get("nationalId").value_or(""));
      if (!id.ok()) {
        return render::ApiError(Msg(), req, 422, "invalid", "interop.invalid",
                                {{"nationalId", id.error().message_key}});
      }
      log.subject = o_.store->SubjectKey(*id);
      if (!o_.providers->owes)
        return render::ApiError(Msg(), req, 503, "unavailable", "error.busy");
      auto owes = o_.providers->owes(log.municipality_id, *id);
      if (!owes.ok()) return render::ApiError(Msg(), req, owes.error());
      json::object body{{"municipality", std::string(req.PathParam("slug"))},
                        {"status", *owes ? "owes" : "clear"}};
      return Response::Json(200, json::serialize(body));
    });
  }

  Response CaseStatus(Request& req) {
    return Serve(req, kCaseStatusService, [&](Message& log) -> Response {
      if (!o_.providers->case_status) {
        return render::ApiError(Msg(), req, 503, "unavailable", "error.busy");
      }
      auto c = o_.providers->case_status(req.PathParam("tracking"));
      if (!c.ok()) {
        if (c.error().code == ErrorCode::kInvalid) {
          return render::ApiError(Msg(), req, 422, "invalid", "interop.invalid",
                                  {{"tracking", "interop.tracking_malformed"}});
        }
        return render::ApiError(Msg(), req, c.error());
      }
      // Another municipality's case is as if it did not exist.
      if (c->municipality_id != log.municipality_id) {
        return render::ApiError(Msg(), req, MakeError(ErrorCode::kNotFound, "api.not_found"));
      }
      log.subject = o_.store->SubjectKey(c->applicant_national_id);
      json::object body{{"trackingNumber", c->tracking},
                        {"service", c->service},
                        {"state", c->state},
                        {"closed", c->closed},
                        {"submittedAt", i18n::FormatIsoUtc(c->submitted_at)},
                        {"updatedAt", i18n::FormatIsoUtc(c->updated_at)}};
      return Response::Json(200, json::serialize(body));
    });
  }

  Response Document(Request& req) {
    return Serve(req, kDocumentService, [&](Message& log) -> Response {
      if (!o_.providers->document) {
        return render::ApiError(Msg(), req, 503, "unavailable", "error.busy");
      }
      auto d = o_.providers->document(req.PathParam("number"), o_.now_ms());
      if (!d.ok()) {
        if (d.error().code == ErrorCode::kInvalid) {
          return render::ApiError(Msg(), req, 422, "invalid", "interop.invalid",
                                  {{"number", "interop.document_malformed"}});
        }
        return render::ApiError(Msg(), req, d.error());
      }
      // Another municipality's document is as if it did not exist: ask its issuer.
      if (d->municipality_id != log.municipality_id) {
        return render::ApiError(Msg(), req, MakeError(ErrorCode::kNotFound, "api.not_found"));
      }
      log.subject = d->holder_national_id.empty() ? std::string()
                                                  : o_.store->SubjectKey(d->holder_national_id);
      const auto time_or_null = [](int64_t ms) -> json::value {
        if (ms == 0) return nullptr;
        return json::value(i18n::FormatIsoUtc(ms));
      };
      json::object body{{"number", d->number},
                        {"service", d->service},
                        {"kind", d->kind},
                        {"status", d->standing},
                        {"issuedAt", i18n::FormatIsoUtc(d->issued_at)},
                        {"expiresAt", time_or_null(d->expires_at)},
                        {"revokedAt", time_or_null(d->revoked_at)}};
      return Response::Json(200, json::serialize(body));
    });
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  // Checks the X-Road headers and the client's grant, runs `answer` when granted, and logs the
  // exchange whatever the outcome; the answer leaves only once the log has committed.
  template <typename F>
  Response Serve(Request& req, std::string_view service, F answer) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) {  // no municipality to log it in; the X-Road-Id still comes back
      Response res = render::ApiError(Msg(), req, m.error());
      const std::string_view id = req.headers.Get("x-road-id");
      if (!id.empty() && HeaderOk(id)) res.headers.Set("x-road-id", std::string(id));
      return res;
    }
    Message log;
    log.municipality_id = m->id;
    log.service = std::string(service);
    log.at = o_.now_ms();
    const std::string_view client = req.headers.Get("x-road-client");
    const std::string_view xroad_id = req.headers.Get("x-road-id");
    const std::string_view user_id = req.headers.Get("x-road-userid");
    log.request_hash = crypto::Sha256Hex(
        req.method_name + " " + req.target + "\nx-road-client: " + std::string(client) +
        "\nx-road-id: " + std::string(xroad_id) + "\nx-road-userid: " + std::string(user_id) +
        "\n\n" + req.body);
    Response res;
    if (!HeaderOk(xroad_id) || !HeaderOk(user_id)) {
      res = render::ApiError(Msg(), req, 400, "bad_request", "interop.header_malformed");
    } else {
      log.xroad_id = std::string(xroad_id);
      log.user_id = std::string(user_id);
      if (!req.headers.Has("x-road-client")) {
        res = render::ApiError(Msg(), req, 401, "unauthorized", "interop.client_missing");
      } else if (auto id = ParseClientId(client); !id.ok()) {
        res = render::ApiError(Msg(), req, 401, "unauthorized", "interop.client_malformed");
      } else {
        log.client = id->Text();
        auto allowed = o_.store->Allowed(m->id, log.client, service);
        if (!allowed.ok()) return render::ApiError(Msg(), req, allowed.error());
        if (!*allowed) {
          res = render::ApiError(Msg(), req, 403, "forbidden", "interop.access_denied");
        } else {
          res = answer(log);
        }
      }
    }
    if (res.status == 503) return res;  // nothing was answered: nothing to log
    log.status = res.status;
    log.response_hash = crypto::Sha256Hex(std::to_string(res.status) + "\n" + res.body);
    if (Status s = o_.store->Log(log, req.request_id); !s.ok()) {
      return render::ApiError(Msg(), req, s.error());
    }
    if (!log.xroad_id.empty()) res.headers.Set("x-road-id", log.xroad_id);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddApiRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto api = std::make_shared<ProviderApi>(options);
  auto on = http::MemberHandlers(api);
  const std::string base = std::string(kApiBase) + "/{slug}";
  routes.Get(base + "/clearance", identity::Access::Public(), on(&ProviderApi::Clearance));
  routes.Get(base + "/cases/{tracking}", identity::Access::Public(), on(&ProviderApi::CaseStatus));
  routes.Get(base + "/documents/{number}", identity::Access::Public(), on(&ProviderApi::Document));
}

}  // namespace baladiya::interop

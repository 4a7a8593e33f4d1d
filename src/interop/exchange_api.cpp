// The receiving end of a transfer (exchange.h):
//   POST /api/v1/peer/{slug}/transfers
// Refused before anything is read or stored, each with the JSON error: unsigned or malformed
// signature, a signature that does not cover the method, path and Content-Digest, a body that does
// not match its digest, a key id of no peer of this municipality, a signature that does not verify,
// a created time outside kPeerSkewSeconds, a spent nonce; a body whose "from" is not the peer that
// signed or whose "to" is not this municipality. The answer is signed with this municipality's key
// over "@status" and "content-digest": 201 {"status":"accepted","tracking"} or
// 422 {"status":"refused","reason","message"}.
#include <boost/json.hpp>

#include "catalog/page.h"
#include "interop/exchange.h"
#include "interop/web.h"
#include "platform/crypto/http_signature.h"
#include "platform/http/errors.h"
#include "platform/render/errors.h"

namespace baladiya::interop {
namespace {

namespace json = boost::json;
namespace httpsig = crypto::httpsig;
using http::Request;
using http::Response;

constexpr std::string_view kKeys = "interop.peer";

class ExchangeApi {
 public:
  explicit ExchangeApi(WebOptions o) : o_(std::move(o)) {}

  Response Receive(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return render::ApiError(Msg(), req, m.error());
    auto refuse = [&](std::string_view key) {
      return render::ApiError(Msg(), req, 401, "unauthorized", key);
    };
    auto sig =
        httpsig::Parse(req.headers.Get("signature-input"), req.headers.Get("signature"), kKeys);
    if (!sig.ok()) return refuse(sig.error().message_key);
    if (!sig->Covers("@method") || !sig->Covers("@path") || !sig->Covers("content-digest")) {
      return refuse("interop.peer.signature_malformed");
    }
    if (!httpsig::DigestMatches(req.headers.Get("content-digest"), req.body)) {
      return refuse("interop.peer.bad_digest");
    }
    auto peer = o_.peers->ByKeyId(m->id, sig->keyid);
    if (!peer.ok()) {
      if (peer.error().code != ErrorCode::kNotFound)
        return render::ApiError(Msg(), req, peer.error());
      return refuse("interop.peer.unknown_key");
    }
    auto base = httpsig::Base(
        *sig,
        [&req](std::string_view c) -> std::optional<std::string> {
          if (c == "@method") return req.method_name;
          if (c == "@path") return std::string(req.target.substr(0, req.target.find('?')));
          if (c == "content-digest") return std::string(req.headers.Get("content-digest"));
          return std::nullopt;
        },
        kKeys);
    if (!base.ok()) return refuse(base.error().message_key);
    if (!httpsig::Verify(*sig, *base, peer->public_key))
      return refuse("interop.peer.bad_signature");
    const int64_t now_s = o_.now_ms() / 1000;
    if (sig->created > now_s + kPeerSkewSeconds || sig->created < now_s - kPeerSkewSeconds) {
      return refuse("interop.peer.stale");
    }
    if (sig->nonce.size() > 128) return refuse("interop.peer.signature_malformed");
    auto body = ParseTransfer(req.body);
    if (!body.ok()) return render::ApiError(Msg(), req, 422, "invalid", "interop.invalid");
    if (body->from != peer->municipality || body->to != m->slug) {
      return render::ApiError(Msg(), req, 403, "forbidden", "interop.peer.not_peer");
    }
    // Sent again (our answer was lost): the same answer, once the nonce is spent.
    if (auto seen = o_.exchange_store->FindIncoming(peer->id, body->transfer_id); seen.ok()) {
      Status spent = o_.exchange_store->SpendNonce(peer->id, sig->nonce, o_.now_ms());
      if (!spent.ok()) {
        if (spent.error().code == ErrorCode::kForbidden) return refuse(spent.error().message_key);
        return render::ApiError(Msg(), req, spent.error());
      }
      return Accepted(*m, seen->local_tracking);
    } else if (seen.error().code != ErrorCode::kNotFound) {
      return render::ApiError(Msg(), req, seen.error());
    }
    if (!o_.exchange || !o_.exchange->incoming) {
      return render::ApiError(Msg(), req, 503, "unavailable", "error.busy");
    }
    const std::string nonce = sig->nonce;
    auto filed = o_.exchange->incoming(m->id, body->doc, peer->municipality,
                                       [&](db::Tx& tx, const std::string& tracking) -> Status {
                                         return o_.exchange_store->RecordIncoming(
                                             tx, m->id, *peer, body->transfer_id, nonce,
                                             body->doc.tracking, tracking, req.body, o_.now_ms());
                                       });
    if (!filed.ok()) {
      const Error& e = filed.error();
      if (e.message_key == "interop.peer.replayed") return refuse(e.message_key);
      if (e.code == ErrorCode::kNotFound || e.code == ErrorCode::kInvalid) {
        const std::string reason = e.code == ErrorCode::kNotFound
                                       ? "interop.transfer.no_service"
                                       : "interop.transfer.form_mismatch";
        return Signed(*m, 422,
                      json::object{{"status", "refused"},
                                   {"reason", reason},
                                   {"message", Msg().Get(i18n::Lang::kEn, reason)}});
      }
      return render::ApiError(Msg(), req, e);
    }
    return Accepted(*m, *filed);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  Response Accepted(const catalog::Municipality& m, const std::string& tracking) {
    return Signed(m, 201, json::object{{"status", "accepted"}, {"tracking", tracking}});
  }

  // The answer, signed with the municipality's key over its status and digest.
  Response Signed(const catalog::Municipality& m, int status, json::object body) {
    body["name"] =
        json::object{{"ar", m.name.In(i18n::Lang::kAr)}, {"en", m.name.In(i18n::Lang::kEn)}};
    Response res = Response::Json(status, json::serialize(body));
    const crypto::SigningKey key = MunicipalityKey(*o_.signing_seed, m.id);
    const std::string digest = httpsig::ContentDigest(res.body);
    const httpsig::Signed s = httpsig::Sign(
        {{"@status", std::to_string(status)}, {"content-digest", digest}},
        KeyId(m.slug, key.public_key), key, o_.now_ms() / 1000, crypto::RandomToken(16));
    res.headers.Set("content-digest", digest);
    res.headers.Set("signature-input", s.signature_input);
    res.headers.Set("signature", s.signature);
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddExchangeApiRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto api = std::make_shared<ExchangeApi>(options);
  auto on = http::MemberHandlers(api);
  routes.Post(std::string(kPeerApiBase) + "/{slug}/transfers", identity::Access::Public(),
              on(&ExchangeApi::Receive));
}

}  // namespace baladiya::interop

// Webhooks: subscriptions, the delivery log and its delivery (webhooks.h).
#include "interop/webhooks.h"

#include <algorithm>
#include <boost/json.hpp>

#include "interop/peers.h"
#include "platform/crypto/http_signature.h"

namespace baladiya::interop {
namespace {

namespace json = boost::json;
namespace httpsig = crypto::httpsig;

Status Audit(audit::AuditLog* log, db::Tx& tx, const Actor& actor, const char* action,
             std::string object, int64_t municipality_id, int64_t now_ms) {
  if (log == nullptr) return Ok();
  audit::EntryInput in;
  in.time_ms = now_ms;
  in.actor = actor.pseudonym;
  in.action = action;
  in.object = std::move(object);
  in.municipality_id = municipality_id;
  in.request_id = actor.request_id;
  auto r = log->Append(tx, in);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

constexpr char kDeliveryColumns[] =
    "SELECT d.id, d.webhook_id, w.url, d.tracking, d.event, d.body, d.state, d.attempts, "
    "d.last_status, d.next_at, d.created_at, d.delivered_at, d.municipality_id FROM "
    "interop_webhook_deliveries d JOIN interop_webhooks w ON w.id = d.webhook_id ";

Delivery ReadDelivery(const db::Row& r) {
  Delivery d;
  d.id = r.Int(0);
  d.webhook_id = r.Int(1);
  d.url = r.Text(2);
  d.tracking = r.Text(3);
  d.event = r.Text(4);
  d.body = r.Text(5);
  d.state = r.Text(6);
  d.attempts = static_cast<int>(r.Int(7));
  d.last_status = static_cast<int>(r.Int(8));
  d.next_at = r.Int(9);
  d.created_at = r.Int(10);
  d.delivered_at = r.Int(11);
  return d;
}

// The municipality's slug, from the body ("municipality").
std::string MunicipalityOfBody(std::string_view body) {
  std::error_code ec;
  json::value v = json::parse(body, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* m = o ? o->if_contains("municipality") : nullptr;
  return m && m->is_string() ? std::string(m->as_string()) : std::string();
}

// The path of a URL ("/" when it has none).
std::string PathOf(std::string_view url) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  return slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
}

}  // namespace

Result<Webhook> WebhookStore::Subscribe(int64_t municipality_id, std::string_view url,
                                        std::string_view events, const Actor& actor,
                                        int64_t now_ms) {
  auto u = NormalizeBaseUrl(url);
  if (!u) return MakeError(ErrorCode::kInvalid, "interop.peer.url_invalid");
  if (!events.empty() &&
      std::find(kWebhookEvents.begin(), kWebhookEvents.end(), events) == kWebhookEvents.end()) {
    return MakeError(ErrorCode::kInvalid, "interop.webhook.event_unknown");
  }
  Webhook w{0, municipality_id, *u, std::string(events), actor.pseudonym, now_ms};
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO interop_webhooks (municipality_id, url, events, created_by, created_at, "
        "removed_at) VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
        {municipality_id, w.url, w.events, w.created_by, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    w.id = (*rows)[0].Int(0);
    return Audit(audit_, tx, actor, "webhook.subscribe", w.url, municipality_id, now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return w;
}

Status WebhookStore::Unsubscribe(int64_t municipality_id, int64_t id, const Actor& actor,
                                 int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "UPDATE interop_webhooks SET removed_at = ? WHERE id = ? AND municipality_id = ? AND "
        "removed_at = 0 RETURNING url",
        {now_ms, id, municipality_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "interop.webhook.unknown");
    // What was still to go to it goes nowhere.
    auto n = tx.Exec(
        "UPDATE interop_webhook_deliveries SET state = 'failed' WHERE webhook_id = ? AND state = "
        "'pending'",
        {id});
    if (!n.ok()) return std::move(n).error();
    return Audit(audit_, tx, actor, "webhook.unsubscribe", (*rows)[0].Text(0), municipality_id,
                 now_ms);
  });
}

Result<std::vector<Webhook>> WebhookStore::List(int64_t municipality_id) {
  auto rows = db_.Query(
      "SELECT id, municipality_id, url, events, created_by, created_at FROM interop_webhooks "
      "WHERE municipality_id = ? AND removed_at = 0 ORDER BY id",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Webhook> out;
  for (const db::Row& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  }
  return out;
}

Status WebhookStore::Enqueue(db::Tx& tx, const CaseEvent& e) {
  auto hooks = tx.Query(
      "SELECT id FROM interop_webhooks WHERE municipality_id = ? AND removed_at = 0 AND (events "
      "= '' OR events = ?) ORDER BY id",
      {e.municipality_id, e.event});
  if (!hooks.ok()) return std::move(hooks).error();
  if (hooks->empty()) return Ok();
  const std::string body =
      json::serialize(json::object{{"event", e.event},
                                   {"municipality", e.municipality},
                                   {"at", e.at},
                                   {"case", json::object{{"tracking", e.tracking},
                                                         {"service", e.service},
                                                         {"fromState", e.from_state},
                                                         {"state", e.to_state}}}});
  for (const db::Row& h : *hooks) {
    auto n = tx.Exec(
        "INSERT INTO interop_webhook_deliveries (webhook_id, municipality_id, tracking, event, "
        "body, state, attempts, last_status, next_at, created_at, delivered_at) VALUES (?, ?, ?, "
        "?, ?, 'pending', 0, 0, ?, ?, 0)",
        {h.Int(0), e.municipality_id, e.tracking, e.event, body, e.at, e.at});
    if (!n.ok()) return std::move(n).error();
  }
  return Ok();
}

Result<std::vector<Delivery>> WebhookStore::Deliveries(int64_t municipality_id, int limit) {
  auto rows = db_.Query(
      std::string(kDeliveryColumns) + "WHERE d.municipality_id = ? ORDER BY d.id DESC LIMIT ?",
      {municipality_id, static_cast<int64_t>(limit)});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Delivery> out;
  for (const db::Row& r : *rows) out.push_back(ReadDelivery(r));
  return out;
}

Status WebhookStore::Replay(int64_t municipality_id, int64_t delivery_id, const Actor& actor,
                            int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Query(
        "INSERT INTO interop_webhook_deliveries (webhook_id, municipality_id, tracking, event, "
        "body, state, attempts, last_status, next_at, created_at, delivered_at) SELECT "
        "d.webhook_id, "
        "d.municipality_id, d.tracking, d.event, d.body, 'pending', 0, 0, ?, ?, 0 FROM "
        "interop_webhook_deliveries d JOIN interop_webhooks w ON w.id = d.webhook_id WHERE d.id = "
        "? AND d.municipality_id = ? AND w.removed_at = 0 RETURNING id",
        {now_ms, now_ms, delivery_id, municipality_id});
    if (!n.ok()) return std::move(n).error();
    if (n->empty()) return MakeError(ErrorCode::kNotFound, "interop.webhook.unknown");
    return Audit(audit_, tx, actor, "webhook.replay", std::to_string(delivery_id), municipality_id,
                 now_ms);
  });
}

int WebhookStore::DeliverDue(int64_t now_ms, int timeout_ms) {
  int delivered = 0;
  // Each pass sends the next event of each case; a few passes carry a burst.
  for (int pass = 0; pass < 10; ++pass) {
    const int n = DeliverPass(now_ms, timeout_ms);
    delivered += n;
    if (n == 0) break;
  }
  return delivered;
}

int WebhookStore::DeliverPass(int64_t now_ms, int timeout_ms) {
  // The oldest pending delivery of each subscriber and case, when it is due.
  auto rows = db_.Query(std::string(kDeliveryColumns) +
                            "WHERE d.state = 'pending' AND d.next_at <= ? AND NOT EXISTS (SELECT 1 "
                            "FROM interop_webhook_deliveries e WHERE e.webhook_id = d.webhook_id "
                            "AND e.tracking = d.tracking AND e.state = 'pending' AND e.id < d.id) "
                            "ORDER BY d.id LIMIT 50",
                        {now_ms});
  if (!rows.ok()) return 0;
  int delivered = 0;
  for (const db::Row& r : *rows) {
    const Delivery d = ReadDelivery(r);
    const int64_t municipality_id = r.Int(12);
    const std::string slug = MunicipalityOfBody(d.body);
    const crypto::SigningKey key = MunicipalityKey(seed_, municipality_id);
    const std::string digest = httpsig::ContentDigest(d.body);
    const httpsig::Signed sig =
        httpsig::Sign({{"@method", "POST"}, {"@path", PathOf(d.url)}, {"content-digest", digest}},
                      KeyId(slug, key.public_key), key, now_ms / 1000, crypto::RandomToken(16));
    PeerAnswer a =
        PeerCall("POST", d.url,
                 {"Content-Type: application/json", "Content-Digest: " + digest,
                  "Signature-Input: " + sig.signature_input, "Signature: " + sig.signature,
                  "Baladiya-Delivery: " + std::to_string(d.id)},
                 d.body, timeout_ms, 16 * 1024);
    const bool ok = a.ok && a.status >= 200 && a.status < 300;
    const int attempts = d.attempts + 1;
    std::string state = ok ? "delivered" : "pending";
    if (!ok && attempts >= kMaxWebhookAttempts) state = "failed";
    const int64_t delay =
        std::min(kMaxRetryMsForHooks, int64_t{1000} << std::min(attempts - 1, 20));
    (void)db_.Write([&](db::Tx& tx) -> Status {
      auto n = tx.Exec(
          "UPDATE interop_webhook_deliveries SET state = ?, attempts = ?, last_status = ?, "
          "next_at = ?, delivered_at = ? WHERE id = ? AND state = 'pending'",
          {state, static_cast<int64_t>(attempts), static_cast<int64_t>(a.status), now_ms + delay,
           ok ? now_ms : int64_t{0}, d.id});
      if (!n.ok()) return std::move(n).error();
      return Ok();
    });
    if (ok) ++delivered;
  }
  return delivered;
}

}  // namespace baladiya::interop

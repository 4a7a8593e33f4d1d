// Webhooks for integrators: the municipality's other systems (billing, GIS, archive, a vendor's
// app) subscribe a URL to case events (kWebhookEvents). Each event is queued inside the case
// change's transaction (the app's cases observer calls Enqueue), then POSTed as JSON signed like
// the exchange between municipalities (RFC 9421 Ed25519 over "@method" "@path" "content-digest"
// with created, nonce and the municipality's key id from /.well-known/baladiya-keys; RFC 9530
// Content-Digest). Delivery retries with doubling back-off and keeps each case's events in order
// for a subscriber: a later event waits while an earlier one is undelivered. The admin reads the
// delivery log and replays a delivery.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "interop/interop.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::interop {

inline constexpr std::array<std::string_view, 3> kWebhookEvents = {"case.filed", "case.moved",
                                                                   "case.completed"};
inline constexpr int kMaxWebhookAttempts = 10;
// Retries wait 1 s, 2 s, 4 s ... at most this long.
inline constexpr int64_t kMaxRetryMsForHooks = 3'600'000;

struct Webhook {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string url;
  std::string events;  // "" every event, else one of kWebhookEvents
  std::string created_by;
  int64_t created_at = 0;
};

struct Delivery {
  int64_t id = 0;
  int64_t webhook_id = 0;
  std::string url;
  std::string tracking;
  std::string event;
  std::string body;
  std::string state;  // pending, delivered, failed
  int attempts = 0;
  int last_status = 0;
  int64_t next_at = 0;
  int64_t created_at = 0;
  int64_t delivered_at = 0;
};

// A case event as the observer sees it.
struct CaseEvent {
  int64_t municipality_id = 0;
  std::string municipality;  // slug
  std::string event;         // one of kWebhookEvents
  std::string tracking;
  std::string service;  // code
  std::string from_state;
  std::string to_state;
  int64_t at = 0;
};

// Thread-safe.
class WebhookStore {
 public:
  WebhookStore(db::Database& db, audit::AuditLog* audit, const crypto::Key32& signing_seed)
      : db_(db), audit_(audit), seed_(signing_seed) {}

  // kInvalid "interop.peer.url_invalid" / "interop.webhook.event_unknown". Audited
  // "webhook.subscribe".
  Result<Webhook> Subscribe(int64_t municipality_id, std::string_view url, std::string_view events,
                            const Actor& actor, int64_t now_ms);
  // kNotFound "interop.webhook.unknown". Audited "webhook.unsubscribe".
  Status Unsubscribe(int64_t municipality_id, int64_t id, const Actor& actor, int64_t now_ms);
  Result<std::vector<Webhook>> List(int64_t municipality_id);
  // Queues the event for every subscription of its municipality that wants it, inside tx.
  Status Enqueue(db::Tx& tx, const CaseEvent& e);
  // The municipality's latest deliveries, newest first.
  Result<std::vector<Delivery>> Deliveries(int64_t municipality_id, int limit = 50);
  // Sends a delivery again (as a new pending delivery of the same body). kNotFound
  // "interop.webhook.unknown". Audited "webhook.replay".
  Status Replay(int64_t municipality_id, int64_t delivery_id, const Actor& actor, int64_t now_ms);
  // Delivers what is due, the oldest undelivered event of each case first; returns how many
  // were delivered.
  int DeliverDue(int64_t now_ms, int timeout_ms = 3000);

 private:
  int DeliverPass(int64_t now_ms, int timeout_ms);

  db::Database& db_;
  audit::AuditLog* audit_;
  crypto::Key32 seed_;
};

}  // namespace baladiya::interop

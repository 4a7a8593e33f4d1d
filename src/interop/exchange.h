// Cases transferred between municipalities on different Baladiya servers (peers.h). Staff send a
// case to a peer; it is queued in the transfer outbox (interop_transfers) and delivered by a
// worker as a signed POST to the peer's kTransferPath, retried with doubling back-off when no
// answer (or no verifiable one) comes. The peer verifies the signature, digest, key, time and
// nonce, files the case as a new one with the sender's history kept beside it (read-only), and
// answers, signed: accepted with its tracking number, or refused with a reason. The answer is
// recorded on the sending case and its applicant is told where it went.
//
// interop knows no cases: what it needs of them is CaseExchange, which the app fills
// (app/interop_exchange_join.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/identity.h"
#include "interop/interop.h"
#include "interop/peers.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::interop {

// POST {peer base URL}/api/v1/peer/{their municipality}/transfers
inline constexpr std::string_view kPeerApiBase = "/api/v1/peer";
inline constexpr int kMaxTransferAttempts = 8;
inline constexpr int64_t kFirstRetryMs = 2'000;
inline constexpr int64_t kMaxRetryMs = 3'600'000;
inline constexpr size_t kMaxTransferBytes = 512 * 1024;

struct HistoryItem {
  int64_t at = 0;
  std::string kind;  // submitted, transition, note, ...
  std::string from_state;
  std::string to_state;
  std::string action;
  std::string comment;
};

// A case as it crosses to a peer (the body's "case" member).
struct CaseDocument {
  std::string tracking;      // the sender's
  std::string service;       // the service's code: the peer files into its service of that code
  std::string service_name;  // in the applicant's language, for the peer's staff
  std::string kind;          // "report" or "application"
  std::string lang;          // the applicant's language
  int64_t submitted_at = 0;
  std::string state;
  std::string answers;  // a JSON object: field -> value (files are not carried)
  std::vector<HistoryItem> history;
};

// A peer municipality as its answer names it (its name in both languages; the slug when it gave
// none).
struct PeerName {
  std::string slug;
  std::string ar;
  std::string en;
  const std::string& In(std::string_view lang) const {
    const std::string& name = lang == "en" ? en : ar;
    return name.empty() ? slug : name;
  }
};

// What cases offer the exchange (filled by the app; unset: 503).
struct CaseExchange {
  // The open case of the municipality that `who` may move, as it will cross. kNotFound;
  // kForbidden "interop.transfer.not_allowed" (closed, or the viewer may not move it).
  std::function<Result<CaseDocument>(int64_t municipality_id, std::string_view tracking,
                                     const identity::Principal& who)>
      outgoing;
  // Whether the viewer may send this case (for the case page's link).
  std::function<bool(const identity::Principal& who, int64_t municipality_id,
                     int64_t department_id)>
      may_send;
  // Files a received case in the municipality under its service of doc.service's code; in_tx
  // runs inside the filing's transaction with the new tracking number (an error rolls the case
  // back). kNotFound "interop.transfer.no_service"; kInvalid when the answers do not fit its form.
  std::function<Result<std::string>(
      int64_t municipality_id, const CaseDocument& doc, const std::string& from_name,
      const std::function<Status(db::Tx&, const std::string&)>& in_tx)>
      incoming;
  // The peer answered a case we sent: a note in the case's history and, when accepted, the
  // applicant told (in their language) where it went and its new tracking number.
  std::function<Status(int64_t municipality_id, std::string_view tracking, const PeerName& peer,
                       bool accepted, std::string_view new_tracking, std::string_view reason)>
      answered;
};

// One transfer, sent or received.
struct Transfer {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string direction;  // "out", "in"
  std::string transfer_id;
  int64_t peer_id = 0;
  std::string peer_municipality;
  std::string peer_url;
  std::string local_tracking;
  std::string remote_tracking;
  std::string body;
  std::string state;  // out: pending, accepted, refused, failed; in: accepted
  std::string reason;
  int attempts = 0;
  int64_t next_at = 0;
  std::string created_by;
  int64_t created_at = 0;
  int64_t answered_at = 0;
};

// The transfer outbox and the received transfers. Thread-safe.
class ExchangeStore {
 public:
  ExchangeStore(db::Database& db, PeerStore& peers, audit::AuditLog* audit,
                const crypto::Key32& signing_seed)
      : db_(db), peers_(peers), audit_(audit), seed_(signing_seed) {}

  // Queues the case for the peer (audited "peer.transfer"). kConflict
  // "interop.transfer.pending" when the case already waits for an answer or was accepted.
  Result<Transfer> Queue(int64_t municipality_id, std::string_view from_slug, const Peer& peer,
                         const CaseDocument& doc, const Actor& actor, int64_t now_ms);
  // The transfers of a case (either direction), oldest first.
  Result<std::vector<Transfer>> OfCase(std::string_view tracking);
  // The transfers of a municipality, newest first.
  Result<std::vector<Transfer>> Recent(int64_t municipality_id, int limit = 50);
  // Records a received transfer inside the filing's transaction (spending the nonce first:
  // kForbidden "interop.peer.replayed").
  Status RecordIncoming(db::Tx& tx, int64_t municipality_id, const Peer& peer,
                        std::string_view transfer_id, std::string_view nonce,
                        std::string_view their_tracking, std::string_view our_tracking,
                        std::string_view body, int64_t now_ms);

  // A transfer the peer sent before (its sender may send it again when our answer was lost);
  // kNotFound when none.
  Result<Transfer> FindIncoming(int64_t peer_id, std::string_view transfer_id);
  // Spends a nonce in a transaction of its own (PeerStore::SpendNonce).
  Status SpendNonce(int64_t peer_id, std::string_view nonce, int64_t now_ms);

  // Delivers every due transfer once (the worker calls it; tests drive it); returns how many
  // got a final answer. Answers go to exchange.answered.
  int DeliverDue(const CaseExchange& exchange, int64_t now_ms, int timeout_ms = 3000);

  const crypto::Key32& signing_seed() const { return seed_; }

 private:
  db::Database& db_;
  PeerStore& peers_;
  audit::AuditLog* audit_;
  crypto::Key32 seed_;
};

// The JSON of a transfer's body and back. kInvalid "interop.invalid" for a malformed one.
std::string TransferJson(std::string_view transfer_id, std::string_view from, std::string_view to,
                         const CaseDocument& doc);
struct TransferBody {
  std::string transfer_id;
  std::string from;  // the sending municipality's slug
  std::string to;    // the receiving one's
  CaseDocument doc;
};
Result<TransferBody> ParseTransfer(std::string_view json);

}  // namespace baladiya::interop

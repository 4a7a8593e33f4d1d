// The transfer outbox, its delivery and the transfer document (exchange.h).
#include "interop/exchange.h"

#include <algorithm>
#include <boost/json.hpp>

#include "platform/crypto/http_signature.h"

namespace baladiya::interop {
namespace {

namespace json = boost::json;
namespace httpsig = crypto::httpsig;

constexpr char kColumns[] =
    "SELECT t.id, t.municipality_id, t.direction, t.transfer_id, t.peer_id, t.peer_municipality, "
    "t.peer_url, t.local_tracking, t.remote_tracking, t.body, t.state, t.reason, t.attempts, "
    "t.next_at, t.created_by, t.created_at, t.answered_at FROM interop_transfers t ";

Transfer ReadTransfer(const db::Row& r) {
  Transfer t;
  t.id = r.Int(0);
  t.municipality_id = r.Int(1);
  t.direction = r.Text(2);
  t.transfer_id = r.Text(3);
  t.peer_id = r.Int(4);
  t.peer_municipality = r.Text(5);
  t.peer_url = r.Text(6);
  t.local_tracking = r.Text(7);
  t.remote_tracking = r.Text(8);
  t.body = r.Text(9);
  t.state = r.Text(10);
  t.reason = r.Text(11);
  t.attempts = static_cast<int>(r.Int(12));
  t.next_at = r.Int(13);
  t.created_by = r.Text(14);
  t.created_at = r.Int(15);
  t.answered_at = r.Int(16);
  return t;
}

Result<std::vector<Transfer>> Read(db::Database& db, const std::string& rest, const db::Params& p) {
  auto rows = db.Query(kColumns + rest, p);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Transfer> out;
  for (const db::Row& r : *rows) out.push_back(ReadTransfer(r));
  return out;
}

Status Audit(audit::AuditLog* log, db::Tx& tx, std::string actor, const char* action,
             std::string object, int64_t municipality_id, std::string request_id,
             std::string details, int64_t now_ms) {
  if (log == nullptr) return Ok();
  audit::EntryInput in;
  in.time_ms = now_ms;
  in.actor = std::move(actor);
  in.action = action;
  in.object = std::move(object);
  in.municipality_id = municipality_id;
  in.request_id = std::move(request_id);
  in.details = std::move(details);
  auto r = log->Append(tx, in);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

std::string TextOf(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
int64_t IntOf(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_int64() ? v->as_int64() : 0;
}

}  // namespace

std::string TransferJson(std::string_view transfer_id, std::string_view from, std::string_view to,
                         const CaseDocument& doc) {
  json::array history;
  for (const HistoryItem& h : doc.history) {
    history.push_back(json::object{{"at", h.at},
                                   {"kind", h.kind},
                                   {"fromState", h.from_state},
                                   {"toState", h.to_state},
                                   {"action", h.action},
                                   {"comment", h.comment}});
  }
  std::error_code ec;
  json::value answers = json::parse(doc.answers.empty() ? "{}" : doc.answers, ec);
  if (ec || !answers.is_object()) answers = json::object();
  json::object c{{"tracking", doc.tracking},
                 {"service", doc.service},
                 {"serviceName", doc.service_name},
                 {"kind", doc.kind},
                 {"lang", doc.lang},
                 {"submittedAt", doc.submitted_at},
                 {"state", doc.state},
                 {"answers", std::move(answers)},
                 {"history", std::move(history)}};
  return json::serialize(
      json::object{{"transfer", transfer_id}, {"from", from}, {"to", to}, {"case", std::move(c)}});
}

Result<TransferBody> ParseTransfer(std::string_view text) {
  auto bad = [](const char* detail) {
    return MakeError(ErrorCode::kInvalid, "interop.invalid", detail);
  };
  std::error_code ec;
  json::value v = json::parse(text, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  if (!o) return bad("not a JSON object");
  TransferBody out;
  out.transfer_id = TextOf(*o, "transfer");
  out.from = TextOf(*o, "from");
  out.to = TextOf(*o, "to");
  const json::value* c = o->if_contains("case");
  if (out.transfer_id.empty() || out.transfer_id.size() > 64 || !ValidSlug(out.from) ||
      !ValidSlug(out.to) || !c || !c->is_object()) {
    return bad("transfer, from, to and case are required");
  }
  const json::object& co = c->as_object();
  CaseDocument& d = out.doc;
  d.tracking = TextOf(co, "tracking");
  d.service = TextOf(co, "service");
  d.service_name = TextOf(co, "serviceName");
  d.kind = TextOf(co, "kind");
  d.lang = TextOf(co, "lang") == "en" ? "en" : "ar";
  d.submitted_at = IntOf(co, "submittedAt");
  d.state = TextOf(co, "state");
  const json::value* answers = co.if_contains("answers");
  if (d.tracking.empty() || d.tracking.size() > 64 || d.service.empty() || !answers ||
      !answers->is_object()) {
    return bad("case.tracking, case.service and case.answers are required");
  }
  d.answers = json::serialize(*answers);
  if (const json::value* h = co.if_contains("history"); h && h->is_array()) {
    for (const json::value& e : h->as_array()) {
      const json::object* eo = e.if_object();
      if (!eo) return bad("history");
      d.history.push_back({IntOf(*eo, "at"), TextOf(*eo, "kind"), TextOf(*eo, "fromState"),
                           TextOf(*eo, "toState"), TextOf(*eo, "action"), TextOf(*eo, "comment")});
    }
  }
  return out;
}

Result<Transfer> ExchangeStore::Queue(int64_t municipality_id, std::string_view from_slug,
                                      const Peer& peer, const CaseDocument& doc, const Actor& actor,
                                      int64_t now_ms) {
  Transfer t;
  t.municipality_id = municipality_id;
  t.direction = "out";
  t.transfer_id = crypto::RandomToken(18);
  t.peer_id = peer.id;
  t.peer_municipality = peer.municipality;
  t.peer_url = peer.base_url;
  t.local_tracking = doc.tracking;
  t.body = TransferJson(t.transfer_id, from_slug, peer.municipality, doc);
  t.state = "pending";
  t.next_at = now_ms;
  t.created_by = actor.pseudonym;
  t.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto busy = tx.Query(
        "SELECT id FROM interop_transfers WHERE direction = 'out' AND local_tracking = ? AND "
        "state IN ('pending', 'accepted')",
        {t.local_tracking});
    if (!busy.ok()) return std::move(busy).error();
    if (!busy->empty()) return MakeError(ErrorCode::kConflict, "interop.transfer.pending");
    auto rows = tx.Query(
        "INSERT INTO interop_transfers (municipality_id, direction, transfer_id, peer_id, "
        "peer_municipality, peer_url, local_tracking, remote_tracking, body, state, reason, "
        "attempts, next_at, created_by, created_at, answered_at) VALUES (?, 'out', ?, ?, ?, ?, ?, "
        "'', ?, 'pending', '', 0, ?, ?, ?, 0) RETURNING id",
        {municipality_id, t.transfer_id, peer.id, peer.municipality, peer.base_url,
         t.local_tracking, t.body, now_ms, actor.pseudonym, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    t.id = (*rows)[0].Int(0);
    return Audit(
        audit_, tx, actor.pseudonym, "peer.transfer", t.local_tracking, municipality_id,
        actor.request_id,
        "to=" + peer.keyid + " transfer=" + t.transfer_id + " digest=" + crypto::Sha256Hex(t.body),
        now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return t;
}

Result<std::vector<Transfer>> ExchangeStore::OfCase(std::string_view tracking) {
  return Read(db_, "WHERE t.local_tracking = ? ORDER BY t.id", {std::string(tracking)});
}

Result<std::vector<Transfer>> ExchangeStore::Recent(int64_t municipality_id, int limit) {
  return Read(db_, "WHERE t.municipality_id = ? ORDER BY t.id DESC LIMIT ?",
              {municipality_id, static_cast<int64_t>(limit)});
}

Status ExchangeStore::RecordIncoming(db::Tx& tx, int64_t municipality_id, const Peer& peer,
                                     std::string_view transfer_id, std::string_view nonce,
                                     std::string_view their_tracking, std::string_view our_tracking,
                                     std::string_view body, int64_t now_ms) {
  if (Status s = peers_.SpendNonce(tx, peer.id, nonce, now_ms); !s.ok()) return s;
  auto seen = tx.Query(
      "SELECT id FROM interop_transfers WHERE direction = 'in' AND transfer_id = ? AND peer_id = ?",
      {std::string(transfer_id), peer.id});
  if (!seen.ok()) return std::move(seen).error();
  if (!seen->empty()) return MakeError(ErrorCode::kForbidden, "interop.peer.replayed");
  auto rows = tx.Exec(
      "INSERT INTO interop_transfers (municipality_id, direction, transfer_id, peer_id, "
      "peer_municipality, peer_url, local_tracking, remote_tracking, body, state, reason, "
      "attempts, next_at, created_by, created_at, answered_at) VALUES (?, 'in', ?, ?, ?, ?, ?, ?, "
      "?, 'accepted', '', 1, 0, ?, ?, ?)",
      {municipality_id, std::string(transfer_id), peer.id, peer.municipality, peer.base_url,
       std::string(our_tracking), std::string(their_tracking), std::string(body), peer.keyid,
       now_ms, now_ms});
  if (!rows.ok()) return std::move(rows).error();
  return Audit(audit_, tx, peer.keyid, "peer.received", std::string(our_tracking), municipality_id,
               "",
               "from=" + peer.keyid + " tracking=" + std::string(their_tracking) +
                   " digest=" + crypto::Sha256Hex(body),
               now_ms);
}

Result<Transfer> ExchangeStore::FindIncoming(int64_t peer_id, std::string_view transfer_id) {
  auto list = Read(db_, "WHERE t.direction = 'in' AND t.peer_id = ? AND t.transfer_id = ?",
                   {peer_id, std::string(transfer_id)});
  if (!list.ok()) return std::move(list).error();
  if (list->empty()) return MakeError(ErrorCode::kNotFound, "interop.transfer.unknown");
  return list->front();
}

Status ExchangeStore::SpendNonce(int64_t peer_id, std::string_view nonce, int64_t now_ms) {
  return db_.Write(
      [&](db::Tx& tx) -> Status { return peers_.SpendNonce(tx, peer_id, nonce, now_ms); });
}

int ExchangeStore::DeliverDue(const CaseExchange& exchange, int64_t now_ms, int timeout_ms) {
  auto due = Read(db_,
                  "WHERE t.direction = 'out' AND t.state = 'pending' AND t.next_at <= ? "
                  "ORDER BY t.next_at, t.id LIMIT 20",
                  {now_ms});
  if (!due.ok()) return 0;
  int answered = 0;
  for (const Transfer& t : *due) {
    auto peer = peers_.Get(t.municipality_id, t.peer_id);
    const std::string path = std::string(kPeerApiBase) + "/" + t.peer_municipality + "/transfers";
    std::string state = "pending";
    std::string reason;
    std::string remote;
    PeerName name{t.peer_municipality, "", ""};
    if (!peer.ok()) {
      state = "failed";
      reason = "interop.peer.unknown";
    } else {
      // Our municipality's slug is the body's "from".
      auto parsed = ParseTransfer(t.body);
      const std::string from = parsed.ok() ? parsed->from : "";
      const crypto::SigningKey key = MunicipalityKey(seed_, t.municipality_id);
      const std::string digest = httpsig::ContentDigest(t.body);
      const httpsig::Signed sig =
          httpsig::Sign({{"@method", "POST"}, {"@path", path}, {"content-digest", digest}},
                        KeyId(from, key.public_key), key, now_ms / 1000, crypto::RandomToken(16));
      PeerAnswer a =
          PeerCall("POST", peer->base_url + path,
                   {"Content-Type: application/json", "Accept: application/json",
                    "Content-Digest: " + digest, "Signature-Input: " + sig.signature_input,
                    "Signature: " + sig.signature},
                   t.body, timeout_ms);
      // Only an answer signed by the peer's pinned key counts.
      bool verified = false;
      if (a.ok && (a.status == 201 || a.status == 422)) {
        auto s =
            httpsig::Parse(a.headers["signature-input"], a.headers["signature"], "interop.peer");
        if (s.ok() && s->keyid == peer->keyid && s->Covers("@status") &&
            s->Covers("content-digest") &&
            httpsig::DigestMatches(a.headers["content-digest"], a.body)) {
          auto base = httpsig::Base(
              *s,
              [&a](std::string_view c) -> std::optional<std::string> {
                if (c == "@status") return std::to_string(a.status);
                if (c == "content-digest") return a.headers["content-digest"];
                return std::nullopt;
              },
              "interop.peer");
          verified = base.ok() && httpsig::Verify(*s, *base, peer->public_key);
        }
      }
      std::error_code ec;
      json::value v = verified ? json::parse(a.body, ec) : json::value();
      const json::object* o = verified && !ec ? v.if_object() : nullptr;
      if (const json::value* n = o ? o->if_contains("name") : nullptr; n && n->is_object()) {
        name.ar = TextOf(n->as_object(), "ar");
        name.en = TextOf(n->as_object(), "en");
      }
      if (o && a.status == 201 && TextOf(*o, "status") == "accepted" &&
          !TextOf(*o, "tracking").empty()) {
        state = "accepted";
        remote = TextOf(*o, "tracking");
      } else if (o && a.status == 422 && TextOf(*o, "status") == "refused") {
        state = "refused";
        reason = TextOf(*o, "reason");
      } else {
        reason = a.ok ? "status " + std::to_string(a.status) + (verified ? "" : " unverified")
                      : "no answer";
      }
    }
    const int attempts = t.attempts + 1;
    if (state == "pending" && attempts >= kMaxTransferAttempts) state = "failed";
    const int64_t delay = std::min(kMaxRetryMs, kFirstRetryMs << std::min(attempts - 1, 20));
    Status s = db_.Write([&](db::Tx& tx) -> Status {
      auto n = tx.Exec(
          "UPDATE interop_transfers SET state = ?, reason = ?, remote_tracking = ?, attempts = ?, "
          "next_at = ?, answered_at = ? WHERE id = ? AND state = 'pending'",
          {state, reason, remote, static_cast<int64_t>(attempts), now_ms + delay,
           state == "pending" ? int64_t{0} : now_ms, t.id});
      if (!n.ok()) return std::move(n).error();
      if (state == "pending") return Ok();
      return Audit(audit_, tx, "system", "peer.answer", t.local_tracking, t.municipality_id, "",
                   "state=" + state + " tracking=" + remote + " reason=" + reason, now_ms);
    });
    if (!s.ok() || state == "pending") continue;
    ++answered;
    if ((state == "accepted" || state == "refused") && exchange.answered) {
      (void)exchange.answered(t.municipality_id, t.local_tracking, name, state == "accepted",
                              remote, reason);
    }
  }
  return answered;
}

}  // namespace baladiya::interop

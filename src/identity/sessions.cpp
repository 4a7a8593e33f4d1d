// SessionStore (identity.h): tokens are 32 random bytes handed to the client once; the table keeps
// only their SHA-256. Idle and absolute timeouts depend on whether the account is staff.
#include <chrono>

#include "identity/identity_internal.h"

namespace baladiya::identity {
namespace {

constexpr int64_t kTouchEveryMs = int64_t{60} * 1000;
constexpr size_t kTokenBytes = 32;
constexpr size_t kMaxTokenChars = 64;  // a token is 43 characters; longer input is not ours

int64_t Ms(std::chrono::milliseconds d) { return static_cast<int64_t>(d.count()); }

Error NoSession() { return MakeError(ErrorCode::kNotFound, "error.not_found", "no live session"); }

std::string HashToken(std::string_view token) { return crypto::Sha256Hex(token); }

// What is stored of a client is short by construction; longer text is cut, never refused.
std::string Clip(const std::string& text) { return text.substr(0, 64); }

}  // namespace

SessionStore::SessionStore(db::Database& db, SessionPolicy policy) : db_(db), policy_(policy) {}

Result<std::string> SessionStore::Create(int64_t account_id, bool staff, bool mfa_satisfied,
                                         int64_t now_ms, const TxHook& in_tx,
                                         const SessionClient& client) {
  std::string token = crypto::RandomToken(kTokenBytes);
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "INSERT INTO sessions (id_hash, account_id, staff, mfa_satisfied, csrf_token, "
        "created_at, last_seen_at, client_agent, client_network) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {HashToken(token), account_id, int64_t{staff ? 1 : 0}, int64_t{mfa_satisfied ? 1 : 0},
         crypto::RandomToken(kTokenBytes), now_ms, now_ms, Clip(client.agent),
         Clip(client.network)});
    if (!n.ok()) return std::move(n).error();
    return in_tx ? in_tx(tx) : Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return token;
}

Result<Session> SessionStore::Resolve(std::string_view token, int64_t now_ms) {
  if (token.empty() || token.size() > kMaxTokenChars) return NoSession();
  const std::string id_hash = HashToken(token);
  auto rows = db_.Query(
      "SELECT s.account_id, s.staff, s.mfa_satisfied, s.csrf_token, s.created_at, "
      "s.last_seen_at, a.status FROM sessions s JOIN accounts a ON a.id = s.account_id "
      "WHERE s.id_hash = ?",
      {id_hash});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return NoSession();
  const db::Row& r = (*rows)[0];
  Session session;
  session.id_hash = id_hash;
  session.account_id = r.Int(0);
  const bool staff = r.Int(1) != 0;
  session.mfa_satisfied = r.Int(2) != 0;
  session.csrf_token = r.Text(3);
  session.created_at = r.Int(4);
  session.last_seen_at = r.Int(5);
  const int64_t idle = staff ? Ms(policy_.staff_idle) : Ms(policy_.resident_idle);
  const int64_t absolute = staff ? Ms(policy_.staff_absolute) : Ms(policy_.resident_absolute);
  const bool expired =
      now_ms - session.last_seen_at > idle || now_ms - session.created_at > absolute;
  if (expired || r.Text(6) != "active") {
    Status s = Revoke(token);
    if (!s.ok()) return std::move(s).error();
    return NoSession();
  }
  if (now_ms - session.last_seen_at >= kTouchEveryMs) {
    // Guarded so that concurrent requests touch once; losing the race changes nothing.
    Status s = db_.Write([&](db::Tx& tx) -> Status {
      auto n =
          tx.Exec("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?",
                  {now_ms, id_hash, now_ms});
      if (!n.ok()) return std::move(n).error();
      return Ok();
    });
    if (!s.ok()) return std::move(s).error();
    session.last_seen_at = now_ms;
  }
  return session;
}

Result<std::string> SessionStore::Elevate(std::string_view token, int64_t now_ms,
                                          const TxHook& in_tx) {
  if (token.empty() || token.size() > kMaxTokenChars) return NoSession();
  std::string fresh = crypto::RandomToken(kTokenBytes);
  bool live = false;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    // Taking the old row out in one statement: of two concurrent elevations only one wins.
    auto old = tx.Query(
        "DELETE FROM sessions WHERE id_hash = ? RETURNING account_id, staff, created_at, "
        "last_seen_at, client_agent, client_network",
        {HashToken(token)});
    if (!old.ok()) return std::move(old).error();
    if (old->empty()) return Ok();
    const db::Row& r = (*old)[0];
    const int64_t account_id = r.Int(0);
    const bool staff = r.Int(1) != 0;
    const int64_t created_at = r.Int(2);
    const int64_t idle = staff ? Ms(policy_.staff_idle) : Ms(policy_.resident_idle);
    const int64_t absolute = staff ? Ms(policy_.staff_absolute) : Ms(policy_.resident_absolute);
    if (now_ms - r.Int(3) > idle || now_ms - created_at > absolute) return Ok();
    auto status = tx.Query("SELECT status FROM accounts WHERE id = ?", {account_id});
    if (!status.ok()) return std::move(status).error();
    if (status->empty() || (*status)[0].Text(0) != "active") return Ok();
    // The absolute timeout still counts from the original login.
    auto n = tx.Exec(
        "INSERT INTO sessions (id_hash, account_id, staff, mfa_satisfied, csrf_token, "
        "created_at, last_seen_at, client_agent, client_network) "
        "VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)",
        {HashToken(fresh), account_id, int64_t{staff ? 1 : 0}, crypto::RandomToken(kTokenBytes),
         created_at, now_ms, r.Text(4), r.Text(5)});
    if (!n.ok()) return std::move(n).error();
    live = true;
    return in_tx ? in_tx(tx) : Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (!live) return NoSession();
  return fresh;
}

Status SessionStore::Revoke(std::string_view token, const TxHook& in_tx) {
  if (token.empty() || token.size() > kMaxTokenChars) return Ok();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec("DELETE FROM sessions WHERE id_hash = ?", {HashToken(token)});
    if (!n.ok()) return std::move(n).error();
    return *n > 0 && in_tx ? in_tx(tx) : Ok();
  });
}

Status SessionStore::RevokeAll(int64_t account_id) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec("DELETE FROM sessions WHERE account_id = ?", {account_id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
}

Result<int64_t> SessionStore::PurgeExpired(int64_t now_ms) {
  int64_t purged = 0;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "DELETE FROM sessions WHERE "
        "(staff = 1 AND (last_seen_at < ? OR created_at < ?)) OR "
        "(staff = 0 AND (last_seen_at < ? OR created_at < ?))",
        {now_ms - Ms(policy_.staff_idle), now_ms - Ms(policy_.staff_absolute),
         now_ms - Ms(policy_.resident_idle), now_ms - Ms(policy_.resident_absolute)});
    if (!n.ok()) return std::move(n).error();
    purged = *n;
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return purged;
}

Result<int64_t> SessionStore::CountLive(int64_t account_id, int64_t now_ms) {
  auto rows = db_.Query(
      "SELECT count(*) FROM sessions WHERE account_id = ? AND ("
      "(staff = 1 AND last_seen_at >= ? AND created_at >= ?) OR "
      "(staff = 0 AND last_seen_at >= ? AND created_at >= ?))",
      {account_id, now_ms - Ms(policy_.staff_idle), now_ms - Ms(policy_.staff_absolute),
       now_ms - Ms(policy_.resident_idle), now_ms - Ms(policy_.resident_absolute)});
  if (!rows.ok()) return std::move(rows).error();
  return (*rows)[0].Int(0);
}

Result<std::vector<Session>> SessionStore::Live(int64_t account_id, int64_t now_ms) {
  auto rows = db_.Query(
      "SELECT id_hash, mfa_satisfied, created_at, last_seen_at, client_agent, client_network "
      "FROM sessions WHERE account_id = ? AND ("
      "(staff = 1 AND last_seen_at >= ? AND created_at >= ?) OR "
      "(staff = 0 AND last_seen_at >= ? AND created_at >= ?)) "
      "ORDER BY last_seen_at DESC, created_at DESC, id_hash",
      {account_id, now_ms - Ms(policy_.staff_idle), now_ms - Ms(policy_.staff_absolute),
       now_ms - Ms(policy_.resident_idle), now_ms - Ms(policy_.resident_absolute)});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Session> out;
  for (const db::Row& r : *rows) {
    Session s;
    s.id_hash = r.Text(0);
    s.account_id = account_id;
    s.mfa_satisfied = r.Int(1) != 0;
    s.created_at = r.Int(2);
    s.last_seen_at = r.Int(3);
    s.client = {r.Text(4), r.Text(5)};
    out.push_back(std::move(s));
  }
  return out;
}

Result<bool> SessionStore::End(int64_t account_id, std::string_view id_hash, const TxHook& in_tx) {
  bool ended = false;
  if (id_hash.size() != 64) return false;  // a SHA-256 in hex, nothing else
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec("DELETE FROM sessions WHERE id_hash = ? AND account_id = ?",
                     {std::string(id_hash), account_id});
    if (!n.ok()) return std::move(n).error();
    ended = *n > 0;
    return ended && in_tx ? in_tx(tx) : Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return ended;
}

Result<int64_t> SessionStore::EndOthers(int64_t account_id, std::string_view keep_token,
                                        const TxHook& in_tx) {
  int64_t ended = 0;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec("DELETE FROM sessions WHERE account_id = ? AND id_hash <> ?",
                     {account_id, HashToken(keep_token)});
    if (!n.ok()) return std::move(n).error();
    ended = *n;
    return in_tx ? in_tx(tx) : Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return ended;
}

}  // namespace baladiya::identity

// interop's store: access grants and the message log (interop.h).
#include <algorithm>

#include "interop/interop.h"
#include "platform/embedded.h"
#include "platform/i18n/arabic.h"

std::span<const baladiya::EmbeddedFile> InteropMigrationFiles();

namespace baladiya::interop {

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(InteropMigrationFiles()); }

std::string ClientId::Text() const {
  return instance + "/" + member_class + "/" + member_code + "/" + subsystem;
}

namespace {

bool PartOk(std::string_view p) {
  if (p.empty() || p.size() > 64) return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

Status AuditIn(audit::AuditLog* log, db::Tx& tx, std::string actor, std::string action,
               std::string object, int64_t municipality_id, std::string request_id,
               std::string details, int64_t now_ms) {
  if (log == nullptr) return Ok();
  audit::EntryInput in;
  in.time_ms = now_ms;
  in.actor = std::move(actor);
  in.action = std::move(action);
  in.object = std::move(object);
  in.municipality_id = municipality_id;
  in.request_id = std::move(request_id);
  in.details = std::move(details);
  auto r = log->Append(tx, in);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Message ReadMessage(const db::Row& r) {
  Message m;
  m.id = r.Int(0);
  m.municipality_id = r.Int(1);
  m.direction = r.Text(2);
  m.client = r.Text(3);
  m.service = r.Text(4);
  m.xroad_id = r.Text(5);
  m.user_id = r.Text(6);
  m.purpose = r.Text(7);
  m.subject = r.Text(8);
  m.status = static_cast<int>(r.Int(9));
  m.request_hash = r.Text(10);
  m.response_hash = r.Text(11);
  m.at = r.Int(12);
  return m;
}

constexpr char kMessageColumns[] =
    "SELECT id, municipality_id, direction, client, service, xroad_id, user_id, purpose, "
    "subject, status, request_hash, response_hash, at FROM interop_messages ";

}  // namespace

Result<ClientId> ParseClientId(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t slash = text.find('/', start);
    parts.push_back(
        text.substr(start, slash == std::string_view::npos ? text.npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() != 4 || !std::all_of(parts.begin(), parts.end(), PartOk)) {
    return MakeError(ErrorCode::kInvalid, "interop.client_malformed");
  }
  return ClientId{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]),
                  std::string(parts[3])};
}

bool KnownService(std::string_view code) {
  return std::find(kServices.begin(), kServices.end(), code) != kServices.end();
}

Store::Store(db::Database& db, const crypto::Key32& blind_index, audit::AuditLog* audit)
    : db_(db), subject_key_(crypto::DeriveKey(blind_index, 1, "xroadsub")), audit_(audit) {}

std::string Store::SubjectKey(std::string_view national_id) const {
  std::string digits;
  for (char c : i18n::ToWesternDigits(national_id)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.empty()) return "";
  return crypto::ToHex(crypto::HmacSha256(subject_key_, digits));
}

Result<AccessGrant> Store::Grant(int64_t municipality_id, std::string_view client,
                                 std::string_view service, const Actor& actor, int64_t now_ms) {
  auto id = ParseClientId(client);
  if (!id.ok()) return std::move(id).error();
  if (!KnownService(service)) return MakeError(ErrorCode::kInvalid, "interop.service_unknown");
  AccessGrant g;
  g.municipality_id = municipality_id;
  g.client = id->Text();
  g.service = std::string(service);
  g.granted_by = actor.pseudonym;
  g.granted_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto found = tx.Query(
        "SELECT id, granted_by, granted_at FROM interop_grants WHERE municipality_id = ? AND "
        "client = ? AND service = ?",
        {municipality_id, g.client, g.service});
    if (!found.ok()) return std::move(found).error();
    if (!found->empty()) {  // granted before: the same grant
      g.id = (*found)[0].Int(0);
      g.granted_by = (*found)[0].Text(1);
      g.granted_at = (*found)[0].Int(2);
      return Ok();
    }
    auto rows = tx.Query(
        "INSERT INTO interop_grants (municipality_id, client, service, granted_by, granted_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id",
        {municipality_id, g.client, g.service, g.granted_by, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    g.id = (*rows)[0].Int(0);
    return AuditIn(audit_, tx, actor.pseudonym, "xroad.grant", g.client, municipality_id,
                   actor.request_id, "service=" + g.service, now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return g;
}

Status Store::Revoke(int64_t municipality_id, std::string_view client, std::string_view service,
                     const Actor& actor, int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "DELETE FROM interop_grants WHERE municipality_id = ? AND client = ? AND service = ?",
        {municipality_id, std::string(client), std::string(service)});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kNotFound, "interop.grant_unknown");
    return AuditIn(audit_, tx, actor.pseudonym, "xroad.revoke", std::string(client),
                   municipality_id, actor.request_id, "service=" + std::string(service), now_ms);
  });
}

Result<std::vector<AccessGrant>> Store::Grants(int64_t municipality_id) {
  auto rows = db_.Query(
      "SELECT id, municipality_id, client, service, granted_by, granted_at FROM interop_grants "
      "WHERE municipality_id = ? ORDER BY client, service",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<AccessGrant> out;
  for (const db::Row& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  }
  return out;
}

Result<bool> Store::Allowed(int64_t municipality_id, std::string_view client,
                            std::string_view service) {
  auto rows = db_.Query(
      "SELECT 1 FROM interop_grants WHERE municipality_id = ? AND client = ? AND service = ?",
      {municipality_id, std::string(client), std::string(service)});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty();
}

namespace {

Status LogIn(db::Tx& tx, audit::AuditLog* audit, const Message& m, std::string_view request_id) {
  auto n = tx.Exec(
      "INSERT INTO interop_messages (municipality_id, direction, client, service, xroad_id, "
      "user_id, purpose, subject, status, request_hash, response_hash, at) VALUES (?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.municipality_id, m.direction, m.client, m.service, m.xroad_id, m.user_id, m.purpose,
       m.subject, static_cast<int64_t>(m.status), m.request_hash, m.response_hash, m.at});
  if (!n.ok()) return std::move(n).error();
  // The audit entry keeps no personal data: the hashes (the request's includes its X-Road-Id,
  // so it cannot be guessed from a national ID alone), the status and the X-Road-Id.
  const std::string details = "direction=" + m.direction + "\nxroad_id=" + m.xroad_id +
                              "\nstatus=" + std::to_string(m.status) +
                              "\nrequest=" + m.request_hash + "\nresponse=" + m.response_hash;
  return AuditIn(audit, tx, m.client.empty() ? "xroad:unknown" : "xroad:" + m.client,
                 "xroad.exchange", m.service, m.municipality_id, std::string(request_id), details,
                 m.at);
}

}  // namespace

Status Store::Log(const Message& m, std::string_view request_id) {
  return db_.Write([&](db::Tx& tx) -> Status { return LogIn(tx, audit_, m, request_id); });
}

Status Store::RecordCheck(int64_t account_id, std::string_view verdict, const Message& m,
                          std::string_view request_id) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "INSERT INTO interop_identity_checks (account_id, verdict, xroad_id, at) VALUES (?, ?, "
        "?, ?)",
        {account_id, std::string(verdict), m.xroad_id, m.at});
    if (!n.ok()) return std::move(n).error();
    if (m.service.empty()) return Ok();
    return LogIn(tx, audit_, m, request_id);
  });
}

Result<int64_t> Store::AnsweredChecksSince(int64_t account_id, int64_t since_ms) {
  auto rows = db_.Query(
      "SELECT COUNT(*) FROM interop_identity_checks WHERE account_id = ? AND at >= ? AND "
      "verdict <> 'unavailable'",
      {account_id, since_ms});
  if (!rows.ok()) return std::move(rows).error();
  return (*rows)[0].Int(0);
}

Result<Store::IdentityCheck> Store::LastCheck(int64_t account_id) {
  auto rows = db_.Query(
      "SELECT verdict, at FROM interop_identity_checks WHERE account_id = ? ORDER BY at DESC, "
      "id DESC LIMIT 1",
      {account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return IdentityCheck{};
  return IdentityCheck{(*rows)[0].Text(0), (*rows)[0].Int(1)};
}

Result<std::vector<Message>> Store::About(std::string_view subject, int limit) {
  if (subject.empty()) return std::vector<Message>{};
  auto rows = db_.Query(
      std::string(kMessageColumns) + "WHERE subject = ? ORDER BY at DESC, id DESC LIMIT ?",
      {std::string(subject), static_cast<int64_t>(limit)});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Message> out;
  for (const db::Row& r : *rows) out.push_back(ReadMessage(r));
  return out;
}

Result<std::vector<Message>> Store::Recent(int64_t municipality_id, int limit) {
  auto rows = db_.Query(
      std::string(kMessageColumns) + "WHERE municipality_id = ? ORDER BY at DESC, id DESC LIMIT ?",
      {municipality_id, static_cast<int64_t>(limit)});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Message> out;
  for (const db::Row& r : *rows) out.push_back(ReadMessage(r));
  return out;
}

}  // namespace baladiya::interop

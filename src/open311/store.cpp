// Store (open311.h): the public record of reports, their updates, and updates clients post.
#include <boost/json.hpp>
#include <span>

#include "open311/open311.h"
#include "open311/store_internal.h"
#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> Open311MigrationFiles();

namespace baladiya::open311 {
namespace {

namespace json = boost::json;

using internal::kRequestColumns;
using internal::ReadRequest;

}  // namespace

Request internal::ReadRequest(const db::Row& r) {
  Request q;
  q.case_id = r.Int(0);
  q.tracking = r.Text(1);
  q.municipality_id = r.Int(2);
  q.service_id = r.Int(3);
  q.department_id = r.Int(4);
  q.state = r.Text(5);
  q.closed = r.Int(6) != 0;
  q.requested_at = r.Int(7);
  q.updated_at = r.Int(8);
  q.expected_at = r.Int(9);
  q.lat = r.Text(10);
  q.lng = r.Text(11);
  q.address = r.Text(12);
  q.address_id = r.Text(13);
  q.description = r.Text(14);
  q.media_url = r.Text(15);
  q.key_id = r.Int(16);
  return q;
}

namespace {

json::object ContactJson(const Contact& c) {
  return {{"email", c.email}, {"first_name", c.first_name}, {"last_name", c.last_name},
          {"phone", c.phone}, {"device_id", c.device_id},   {"account_id", c.account_id}};
}

// Rows of "update_id, tracking, service_id, kind, state, at" as updates.
std::vector<Update> ReadUpdates(const db::Rows& rows) {
  std::vector<Update> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5)});
  return out;
}

std::string Member(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Contact ContactFrom(const json::object& o) {
  return {Member(o, "email"), Member(o, "first_name"), Member(o, "last_name"),
          Member(o, "phone"), Member(o, "device_id"),  Member(o, "account_id")};
}

// The canonical form of a tracking number ("heb-26-000123-7" -> "HEB-26-000123-7"), or empty.
std::string Canonical(std::string_view tracking) {
  auto parts = workflow::ParseTrackingNumber(tracking);
  return parts ? workflow::TrackingNumber(parts->prefix, parts->year, parts->sequence)
               : std::string();
}

// What a submission's answers publish, whatever the channel: the location field's coordinates
// (or its address or landmark text) and the description field.
struct Published {
  std::string lat, lng, address, description;
  db::Value lat_e6 = nullptr, lng_e6 = nullptr;
};

Published PublishedOf(const catalog::Service& service, const catalog::Answers* answers) {
  Published p;
  if (!answers) return p;
  auto first = [&](const catalog::Field* f) -> std::string {
    if (!f) return {};
    auto it = answers->find(f->name);
    return it == answers->end() || it->second.empty() ? std::string() : it->second.front();
  };
  const std::string location = first(LocationField(service.form));
  double lat = 0, lng = 0;
  if (ParseCoordinates(location, lat, lng)) {
    const size_t comma = location.find(',');
    p.lat = location.substr(0, comma);
    p.lng = location.substr(comma + 1);
    p.lat_e6 = MicroDegrees(lat);
    p.lng_e6 = MicroDegrees(lng);
  } else {
    p.address = location;
  }
  p.description = first(DescriptionField(service.form));
  return p;
}

}  // namespace

Store::Store(db::Database& db, const crypto::Key32& master)
    : db_(db), key_(crypto::DeriveKey(master, 1, "open311c")) {}

Status Store::OnStateChange(db::Tx& tx, const cases::StateChange& change) {
  if (!change.service || change.service->kind != catalog::ServiceKind::kReport) return Ok();
  if (change.kind == "submitted") {
    const Published p = PublishedOf(*change.service, change.answers);
    auto n = tx.Exec(
        "INSERT INTO open311_requests (case_id, tracking, municipality_id, service_id, "
        "department_id, state, closed, requested_at, updated_at, expected_at, lat, lng, lat_e6, "
        "lng_e6, address, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {change.case_id, change.tracking, change.municipality_id, change.service->id,
         change.department_id, change.to_state, int64_t{change.final ? 1 : 0}, change.at, change.at,
         change.due_at, p.lat, p.lng, p.lat_e6, p.lng_e6, p.address, p.description});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  }
  if (change.kind == "transferred") {
    // The record moves with the case: listed under its new jurisdiction from now on.
    auto moved = tx.Exec(
        "UPDATE open311_requests SET municipality_id = ?, service_id = ?, department_id = ? "
        "WHERE case_id = ?",
        {change.municipality_id, change.service->id, change.department_id, change.case_id});
    if (!moved.ok()) return std::move(moved).error();
    auto updates =
        tx.Exec("UPDATE open311_updates SET municipality_id = ?, service_id = ? WHERE case_id = ?",
                {change.municipality_id, change.service->id, change.case_id});
    if (!updates.ok()) return std::move(updates).error();
  }
  auto n = tx.Exec(
      "UPDATE open311_requests SET state = ?, closed = ?, updated_at = ?, expected_at = ? WHERE "
      "case_id = ?",
      {change.to_state, int64_t{change.final ? 1 : 0}, change.at, change.due_at, change.case_id});
  if (!n.ok()) return std::move(n).error();
  if (*n == 0) return Ok();  // filed before Open311 kept records: nothing to publish
  auto u = tx.Exec(
      "INSERT INTO open311_updates (update_id, case_id, tracking, municipality_id, service_id, "
      "kind, state, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {crypto::ToHex(crypto::RandomBytes(12)), change.case_id, change.tracking,
       change.municipality_id, change.service->id, change.kind, change.to_state, change.at});
  if (!u.ok()) return std::move(u).error();
  return Ok();
}

Status Store::RecordSubmission(db::Tx& tx, const cases::StateChange& change,
                               const Submission& details, const Contact& contact) {
  db::Value sealed = nullptr;
  if (!contact.Empty()) {
    sealed = db::Blob{
        crypto::Seal(key_, json::serialize(ContactJson(contact)), "open311:" + change.tracking)};
  }
  db::Value lat_e6 = nullptr, lng_e6 = nullptr;
  double lat = 0, lng = 0;
  if (ParseCoordinates(details.lat + "," + details.lng, lat, lng)) {
    lat_e6 = MicroDegrees(lat);
    lng_e6 = MicroDegrees(lng);
  }
  auto n = tx.Exec(
      "UPDATE open311_requests SET lat = ?, lng = ?, lat_e6 = ?, lng_e6 = ?, address = ?, "
      "address_id = ?, description = ?, media_url = ?, key_id = ?, contact = ? WHERE case_id = ?",
      {details.lat, details.lng, lat_e6, lng_e6, details.address, details.address_id,
       details.description, details.media_url, details.key_id, sealed, change.case_id});
  if (!n.ok()) return std::move(n).error();
  if (*n == 0) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     "no Open311 record for the case (not a report service?)");
  }
  return Ok();
}

Result<std::vector<Request>> Store::Find(const RequestFilter& f) {
  std::string sql =
      "SELECT " + std::string(kRequestColumns) + " FROM open311_requests WHERE municipality_id = ?";
  db::Params params = {f.municipality_id};
  if (!f.tracking.empty()) {
    sql += " AND tracking IN (";
    for (size_t i = 0; i < f.tracking.size(); ++i) {
      sql += i ? ", ?" : "?";
      params.emplace_back(f.tracking[i]);
    }
    sql += ")";
  } else {
    sql += " AND requested_at >= ? AND requested_at <= ?";
    params.emplace_back(f.from_ms);
    params.emplace_back(f.to_ms);
    if (!f.service_ids.empty()) {
      sql += " AND service_id IN (";
      for (size_t i = 0; i < f.service_ids.size(); ++i) {
        sql += i ? ", ?" : "?";
        params.emplace_back(f.service_ids[i]);
      }
      sql += ")";
    }
    if (f.closed) {
      sql += " AND closed = ?";
      params.emplace_back(int64_t{*f.closed ? 1 : 0});
    }
  }
  sql += " ORDER BY requested_at DESC, case_id DESC LIMIT ? OFFSET ?";
  params.emplace_back(int64_t{f.limit});
  params.emplace_back(int64_t{f.offset});
  auto rows = db_.Query(sql, params);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Request> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(ReadRequest(r));
  return out;
}

Result<Request> Store::Get(int64_t municipality_id, std::string_view tracking) {
  const std::string canonical = Canonical(tracking);
  if (canonical.empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  auto rows = db_.Query("SELECT " + std::string(kRequestColumns) +
                            " FROM open311_requests WHERE tracking = ? AND municipality_id = ?",
                        {canonical, municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return ReadRequest((*rows)[0]);
}

Result<Contact> Store::ContactOf(int64_t municipality_id, std::string_view tracking) {
  const std::string canonical = Canonical(tracking);
  auto rows =
      db_.Query("SELECT contact FROM open311_requests WHERE tracking = ? AND municipality_id = ?",
                {canonical, municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  if ((*rows)[0].IsNull(0)) return Contact{};
  auto plain = crypto::Open(key_, (*rows)[0].Bytes(0), "open311:" + canonical);
  if (!plain.ok())
    return MakeError(ErrorCode::kInternal, "error.internal", "contact does not open");
  json::error_code ec;
  auto v = json::parse(*plain, ec);
  if (ec || !v.is_object())
    return MakeError(ErrorCode::kInternal, "error.internal", "contact is not JSON");
  return ContactFrom(v.as_object());
}

Result<std::vector<Update>> Store::Updates(int64_t municipality_id, int64_t from_ms, int64_t to_ms,
                                           int offset, int limit) {
  auto rows = db_.Query(
      "SELECT update_id, tracking, service_id, kind, state, at FROM open311_updates WHERE "
      "municipality_id = ? AND at >= ? AND at <= ? ORDER BY at, id LIMIT ? OFFSET ?",
      {municipality_id, from_ms, to_ms, int64_t{limit}, int64_t{offset}});
  if (!rows.ok()) return std::move(rows).error();
  return ReadUpdates(*rows);
}

Result<std::vector<Update>> Store::UpdatesOf(int64_t municipality_id, int64_t case_id) {
  auto rows = db_.Query(
      "SELECT update_id, tracking, service_id, kind, state, at FROM open311_updates WHERE "
      "case_id = ? AND municipality_id = ? ORDER BY at, id",
      {case_id, municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  return ReadUpdates(*rows);
}

Result<Store::Receipt> Store::Receive(const Request& request, const ReceivedUpdate& update,
                                      int64_t now_ms) {
  Receipt receipt;
  const std::string update_id = crypto::ToHex(crypto::RandomBytes(12));
  json::array media;
  for (const auto& m : update.media_urls) media.emplace_back(m);
  json::object words{{"description", update.description},
                     {"media_url", std::move(media)},
                     {"contact", ContactJson(update.contact)}};
  const std::string sealed =
      crypto::Seal(key_, json::serialize(words), "open311-update:" + update_id);
  bool reused = false;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto ins = tx.Query(
        "INSERT INTO open311_received_updates (update_id, key_id, client_update_id, case_id, "
        "municipality_id, status, client_at, received_at, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?) ON CONFLICT (key_id, client_update_id) DO NOTHING RETURNING id",
        {update_id, update.key_id, update.client_update_id, request.case_id,
         request.municipality_id, update.status, update.client_at, now_ms, db::Blob{sealed}});
    if (!ins.ok()) return std::move(ins).error();
    if (!ins->empty()) {
      receipt = {(*ins)[0].Int(0), update_id, false};
      return Ok();
    }
    auto first = tx.Query(
        "SELECT id, update_id, case_id, noted FROM open311_received_updates WHERE key_id = ? AND "
        "client_update_id = ?",
        {update.key_id, update.client_update_id});
    if (!first.ok()) return std::move(first).error();
    if (first->empty()) return MakeError(ErrorCode::kInternal, "error.internal", "lost update");
    const db::Row& r = (*first)[0];
    reused = r.Int(2) != request.case_id;
    receipt = {r.Int(0), r.Text(1), r.Int(3) != 0};
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (reused) {
    return MakeError(ErrorCode::kConflict, "open311.update_id_reused",
                     "update_id already used for another request");
  }
  return receipt;
}

Status Store::MarkNoted(int64_t receipt_id) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec("UPDATE open311_received_updates SET noted = 1 WHERE id = ?", {receipt_id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
}

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(Open311MigrationFiles()); }

}  // namespace baladiya::open311

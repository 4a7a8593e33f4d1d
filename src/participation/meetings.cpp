// participation's meetings and workshops (participation.h): registration with a capacity and a
// waiting list (a seat claimed by a conditional update of the seats taken, so that concurrent
// registrations for the last seat give one seat), cancellation promoting the first on the list,
// check-in at the door (also walk-ins by national ID), the minutes, and the meeting's
// recommendations.
#include <map>

#include "identity/credentials.h"
#include "identity/identity.h"
#include "notify/notify.h"
#include "participation/participation.h"
#include "participation/store_internal.h"
#include "platform/crypto/crypto.h"

namespace baladiya::participation {
namespace {

using internal::Audit;
using internal::InvalidFields;

constexpr char kMeetingColumns[] =
    "SELECT id, process_id, token, kind, title, agenda, place, online_url, starts_at, ends_at, "
    "capacity, seated, minutes, minutes_published_at, created_at, (SELECT COUNT(*) FROM "
    "participation_registrations r WHERE r.meeting_id = m.id AND r.status = 'waiting'), (SELECT "
    "COUNT(*) FROM participation_registrations r WHERE r.meeting_id = m.id AND r.checked_in_at "
    "IS NOT NULL) FROM participation_meetings m ";

Meeting ReadMeeting(const db::Row& r) {
  Meeting m;
  m.id = r.Int(0);
  m.process_id = r.Int(1);
  m.token = r.Text(2);
  m.kind = ParseMeetingKind(r.Text(3)).value_or(MeetingKind::kMeeting);
  m.title = r.Text(4);
  m.agenda = r.Text(5);
  m.place = r.Text(6);
  m.online_url = r.Text(7);
  m.starts_at = r.Int(8);
  m.ends_at = r.Int(9);
  m.capacity = r.Int(10);
  m.seated = r.Int(11);
  m.minutes = r.Text(12);
  m.minutes_published_at = r.Int(13);
  m.created_at = r.Int(14);
  m.waiting = r.Int(15);
  m.attended = r.Int(16);
  return m;
}

Seat ParseSeat(std::string_view s) {
  return s == "waiting" ? Seat::kWaiting : s == "walkin" ? Seat::kWalkIn : Seat::kSeat;
}

// An online link: https, no spaces or quotes, at most 500 bytes.
bool GoodUrl(std::string_view url) {
  if (url.size() > 500 || url.rfind("https://", 0) != 0 || url.size() <= 8) return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\' ||
        c == 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view MeetingKindName(MeetingKind k) {
  return k == MeetingKind::kWorkshop ? "workshop" : "meeting";
}

std::optional<MeetingKind> ParseMeetingKind(std::string_view name) {
  if (name == "meeting") return MeetingKind::kMeeting;
  if (name == "workshop") return MeetingKind::kWorkshop;
  return std::nullopt;
}

std::string_view SeatName(Seat s) {
  switch (s) {
    case Seat::kSeat:
      return "seat";
    case Seat::kWaiting:
      return "waiting";
    case Seat::kWalkIn:
      return "walkin";
  }
  return "seat";
}

Result<Meeting> Store::CreateMeeting(const Process& p, const MeetingInput& in, const Actor& who,
                                     int64_t now_ms) {
  std::map<std::string, std::string> bad;
  if (Status s = CheckText(in.title, kMaxTitle); !s.ok()) bad["title"] = s.error().message_key;
  if (Status s = CheckText(in.agenda, kMaxBody); !s.ok()) bad["agenda"] = s.error().message_key;
  if (!in.place.empty()) {
    if (Status s = CheckText(in.place, kMaxTitle); !s.ok()) bad["place"] = s.error().message_key;
  }
  if (!in.online_url.empty() && !GoodUrl(in.online_url)) {
    bad["online_url"] = "participation.meeting.url";
  }
  if (in.place.empty() && in.online_url.empty()) bad["place"] = "participation.meeting.where";
  if (in.starts_at <= 0) bad["starts_at"] = "participation.meeting.when";
  if (in.ends_at <= in.starts_at) bad["ends_at"] = "participation.meeting.ends";
  if (in.capacity < 1 || in.capacity > 100'000) bad["capacity"] = "participation.meeting.capacity";
  if (!bad.empty()) return InvalidFields(std::move(bad));
  Meeting m;
  m.process_id = p.id;
  m.token = crypto::RandomToken(8);
  m.kind = in.kind;
  m.title = in.title;
  m.agenda = in.agenda;
  m.place = in.place;
  m.online_url = in.online_url;
  m.starts_at = in.starts_at;
  m.ends_at = in.ends_at;
  m.capacity = in.capacity;
  m.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO participation_meetings (process_id, token, kind, title, agenda, place, "
        "online_url, starts_at, ends_at, capacity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?) RETURNING id",
        {p.id, m.token, std::string(MeetingKindName(m.kind)), m.title, m.agenda, m.place,
         m.online_url, m.starts_at, m.ends_at, m.capacity, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    m.id = (*rows)[0].Int(0);
    return Audit(audit_, tx, who, p.municipality_id, "participation.meeting.create",
                 "meeting:" + m.token, "capacity=" + std::to_string(m.capacity), now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return m;
}

Result<std::vector<Meeting>> Store::Meetings(int64_t process_id) {
  auto rows = db_.Query(
      std::string(kMeetingColumns) + "WHERE process_id = ? ORDER BY starts_at, id", {process_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Meeting> out;
  for (const db::Row& r : *rows) out.push_back(ReadMeeting(r));
  return out;
}

Result<Meeting> Store::GetMeeting(int64_t process_id, std::string_view token) {
  auto rows = db_.Query(std::string(kMeetingColumns) + "WHERE process_id = ? AND token = ?",
                        {process_id, std::string(token)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return ReadMeeting((*rows)[0]);
}

Result<Registration> Store::Register(const Process& p, std::string_view meeting_token,
                                     const Actor& who, int64_t now_ms) {
  if (who.account_id <= 0) return MakeError(ErrorCode::kForbidden, "error.forbidden");
  auto m = GetMeeting(p.id, meeting_token);
  if (!m.ok()) return std::move(m).error();
  if (now_ms >= m->starts_at)
    return MakeError(ErrorCode::kConflict, "participation.meeting.started");
  auto account = accounts_.Get(who.account_id, false);
  if (!account.ok()) return std::move(account).error();
  Registration out;
  out.account_id = who.account_id;
  out.name = account->full_name_ar.empty() ? account->full_name_en : account->full_name_ar;
  out.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    // The row first (the UNIQUE constraint refuses a second registration), on the waiting list;
    // then the seat, claimed only while seated < capacity: PostgreSQL makes a concurrent claim
    // wait for this row and re-check the condition, SQLite runs one writer at a time.
    auto rows = tx.Query(
        "INSERT INTO participation_registrations (meeting_id, account_id, name, status, "
        "created_at) VALUES (?, ?, ?, 'waiting', ?) ON CONFLICT (meeting_id, account_id) DO "
        "NOTHING RETURNING id",
        {m->id, who.account_id, out.name, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kConflict, "participation.meeting.registered");
    out.id = (*rows)[0].Int(0);
    auto seat = tx.Exec(
        "UPDATE participation_meetings SET seated = seated + 1 WHERE id = ? AND seated < capacity",
        {m->id});
    if (!seat.ok()) return std::move(seat).error();
    if (*seat == 1) {
      auto n =
          tx.Exec("UPDATE participation_registrations SET status = 'seat' WHERE id = ?", {out.id});
      if (!n.ok()) return std::move(n).error();
      out.seat = Seat::kSeat;
    } else {
      out.seat = Seat::kWaiting;
    }
    if (Status n = NoteParticipant(tx, p, who.account_id, now_ms); !n.ok()) return n;
    return Audit(audit_, tx, who, p.municipality_id, "participation.meeting.register",
                 "meeting:" + m->token, std::string(SeatName(out.seat)), now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  if (out.seat == Seat::kWaiting) {
    auto mine = RegistrationOf(m->id, who.account_id);
    if (mine.ok() && *mine) out.position = (*mine)->position;
  }
  return out;
}

Status Store::CancelRegistration(const Process& p, std::string_view meeting_token, const Actor& who,
                                 int64_t now_ms) {
  auto m = GetMeeting(p.id, meeting_token);
  if (!m.ok()) return std::move(m).error();
  if (now_ms >= m->starts_at)
    return MakeError(ErrorCode::kConflict, "participation.meeting.started");
  return db_.Write([&](db::Tx& tx) -> Status {
    auto gone = tx.Query(
        "DELETE FROM participation_registrations WHERE meeting_id = ? AND account_id = ? AND "
        "status <> 'walkin' RETURNING status",
        {m->id, who.account_id});
    if (!gone.ok()) return std::move(gone).error();
    if (gone->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    std::string details = (*gone)[0].Text(0);
    if (details == "seat") {
      // The seat goes to the first on the waiting list. Under PostgreSQL a concurrent
      // cancellation may promote the same person first: the condition on status then fails and
      // the next on the list is tried; with nobody left, the seat is freed.
      int64_t promoted = 0;
      for (int attempt = 0; attempt < 20 && promoted == 0; ++attempt) {
        auto next = tx.Query(
            "SELECT id, account_id FROM participation_registrations WHERE meeting_id = ? AND "
            "status = 'waiting' ORDER BY id LIMIT 1",
            {m->id});
        if (!next.ok()) return std::move(next).error();
        if (next->empty()) break;
        auto n = tx.Exec(
            "UPDATE participation_registrations SET status = 'seat' WHERE id = ? AND status = "
            "'waiting'",
            {(*next)[0].Int(0)});
        if (!n.ok()) return std::move(n).error();
        if (*n == 1) promoted = (*next)[0].Int(1);
      }
      if (promoted == 0) {
        auto n =
            tx.Exec("UPDATE participation_meetings SET seated = seated - 1 WHERE id = ?", {m->id});
        if (!n.ok()) return std::move(n).error();
      } else {
        details += " promoted";
        if (outbox_ != nullptr) {
          auto account = accounts_.Get(tx, promoted, false);
          if (!account.ok()) return std::move(account).error();
          notify::Notification note;
          note.channel = notify::Channel::kInApp;
          note.account_id = promoted;
          note.municipality_id = p.municipality_id;
          note.lang = account->lang == "en" ? "en" : "ar";
          note.template_key = "participation.meeting_promoted";
          note.params = {{"title", m->title}};
          auto queued = outbox_->Enqueue(tx, note, now_ms);
          if (!queued.ok()) return std::move(queued).error();
        }
      }
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.meeting.cancel",
                 "meeting:" + m->token, details, now_ms);
  });
}

Result<std::optional<Registration>> Store::RegistrationOf(int64_t meeting_id, int64_t account_id) {
  auto rows = db_.Query(
      "SELECT r.id, r.name, r.status, r.checked_in_at, r.created_at, (SELECT COUNT(*) FROM "
      "participation_registrations w WHERE w.meeting_id = r.meeting_id AND w.status = 'waiting' "
      "AND w.id <= r.id) FROM participation_registrations r WHERE r.meeting_id = ? AND "
      "r.account_id = ?",
      {meeting_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<Registration>();
  const db::Row& r = (*rows)[0];
  Registration out{r.Int(0), account_id, r.Text(1), ParseSeat(r.Text(2)), 0, r.Int(3), r.Int(4)};
  if (out.seat == Seat::kWaiting) out.position = r.Int(5);
  return std::optional<Registration>(std::move(out));
}

Result<std::vector<Registration>> Store::Registrations(int64_t meeting_id) {
  auto rows = db_.Query(
      "SELECT id, account_id, name, status, checked_in_at, created_at FROM "
      "participation_registrations WHERE meeting_id = ? ORDER BY CASE status WHEN 'seat' THEN 0 "
      "WHEN 'waiting' THEN 1 ELSE 2 END, id",
      {meeting_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Registration> out;
  int64_t position = 0;
  for (const db::Row& r : *rows) {
    Registration x{r.Int(0), r.Int(1), r.Text(2), ParseSeat(r.Text(3)), 0, r.Int(4), r.Int(5)};
    if (x.seat == Seat::kWaiting) x.position = ++position;
    out.push_back(std::move(x));
  }
  return out;
}

Status Store::CheckIn(const Process& p, std::string_view meeting_token, int64_t registration_id,
                      const Actor& who, int64_t now_ms) {
  auto m = GetMeeting(p.id, meeting_token);
  if (!m.ok()) return std::move(m).error();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_registrations SET checked_in_at = ? WHERE id = ? AND meeting_id = ? "
        "AND checked_in_at IS NULL",
        {now_ms, registration_id, m->id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) {
      auto exists =
          tx.Query("SELECT 1 FROM participation_registrations WHERE id = ? AND meeting_id = ?",
                   {registration_id, m->id});
      if (!exists.ok()) return std::move(exists).error();
      return exists->empty() ? MakeError(ErrorCode::kNotFound, "error.not_found")
                             : MakeError(ErrorCode::kConflict, "participation.meeting.checked_in");
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.meeting.checkin",
                 "meeting:" + m->token, "registration=" + std::to_string(registration_id), now_ms);
  });
}

Result<std::string> Store::CheckInWalkIn(const Process& p, std::string_view meeting_token,
                                         std::string_view national_id, std::string_view name,
                                         const Actor& who, int64_t now_ms) {
  auto id = identity::NormalizeNationalId(national_id);
  if (!id.ok()) return InvalidFields({{"national_id", id.error().message_key}});
  auto m = GetMeeting(p.id, meeting_token);
  if (!m.ok()) return std::move(m).error();
  int64_t account_id = 0;
  std::string who_name(name);
  auto found = accounts_.FindForLogin(*id);
  if (found.ok() && found->kind == identity::AccountKind::kResident) {
    account_id = found->account_id;
    auto account = accounts_.Get(account_id, false);
    if (!account.ok()) return std::move(account).error();
    who_name = account->full_name_ar.empty() ? account->full_name_en : account->full_name_ar;
  } else if (!found.ok() && found.error().code != ErrorCode::kNotFound) {
    return std::move(found).error();
  } else if (Status s = CheckText(name, kMaxTitle); !s.ok()) {
    return InvalidFields({{"name", s.error().message_key}});
  }
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    // A registered account is checked in; anyone else is recorded as a walk-in, once.
    auto rows =
        account_id != 0
            ? tx.Query(
                  "INSERT INTO participation_registrations (meeting_id, account_id, name, status, "
                  "checked_in_at, created_at) VALUES (?, ?, ?, 'walkin', ?, ?) ON CONFLICT "
                  "(meeting_id, account_id) DO UPDATE SET checked_in_at = COALESCE("
                  "participation_registrations.checked_in_at, excluded.checked_in_at) RETURNING id",
                  {m->id, account_id, who_name, now_ms, now_ms})
            : tx.Query(
                  "INSERT INTO participation_registrations (meeting_id, walkin_id, name, status, "
                  "checked_in_at, created_at) VALUES (?, ?, ?, 'walkin', ?, ?) ON CONFLICT "
                  "(meeting_id, walkin_id) DO UPDATE SET checked_in_at = COALESCE("
                  "participation_registrations.checked_in_at, excluded.checked_in_at) RETURNING id",
                  {m->id, accounts_.LoginLimitKey(*id), who_name, now_ms, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    return Audit(audit_, tx, who, p.municipality_id, "participation.meeting.checkin",
                 "meeting:" + m->token,
                 "registration=" + std::to_string((*rows)[0].Int(0)) + " at the door", now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return who_name;
}

Status Store::PublishMinutes(const Process& p, std::string_view meeting_token,
                             std::string_view minutes, const Actor& who, int64_t now_ms) {
  if (Status s = CheckText(minutes, kMaxBody * 4); !s.ok()) {
    return InvalidFields({{"minutes", s.error().message_key}});
  }
  auto m = GetMeeting(p.id, meeting_token);
  if (!m.ok()) return std::move(m).error();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_meetings SET minutes = ?, minutes_published_at = ? WHERE id = ?",
        {std::string(minutes), now_ms, m->id});
    if (!n.ok()) return std::move(n).error();
    return Audit(audit_, tx, who, p.municipality_id, "participation.meeting.minutes",
                 "meeting:" + m->token, m->minutes_published_at == 0 ? "published" : "corrected",
                 now_ms);
  });
}

Result<Recommendation> Store::RecommendFromMeeting(const Process& p, std::string_view meeting_token,
                                                   std::string_view title, std::string_view body,
                                                   const Actor& who, int64_t now_ms) {
  auto m = GetMeeting(p.id, meeting_token);
  if (!m.ok()) return std::move(m).error();
  auto rows = db_.Query(
      "SELECT COUNT(*) FROM participation_recommendations WHERE process_id = ? AND source = "
      "'meeting' AND source_ref LIKE ?",
      {p.id, m->token + "#%"});
  if (!rows.ok()) return std::move(rows).error();
  RecommendationInput in;
  in.source = Source::kMeeting;
  in.source_ref = m->token + "#" + std::to_string((*rows)[0].Int(0) + 1);
  in.title = std::string(title);
  in.body = std::string(body);
  return Recommend(p, in, who, now_ms);
}

}  // namespace baladiya::participation

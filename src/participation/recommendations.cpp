// participation's recommendations (participation.h): made from a proposal past its threshold, a
// winning budget project or a workshop report; the official response and the responsible
// department; milestones with dates and progress; followers told of every change in the change's
// own transaction; overdue milestones flagged once.
#include <map>

#include "identity/identity.h"
#include "notify/notify.h"
#include "participation/participation.h"
#include "participation/store_internal.h"
#include "platform/crypto/crypto.h"

namespace baladiya::participation {
namespace {

using internal::Audit;
using internal::InvalidFields;

constexpr char kRecColumns[] =
    "SELECT id, process_id, token, source, source_ref, title, body, response, reasons, "
    "department_id, responded_at, created_at, (SELECT COUNT(*) FROM participation_followers f "
    "WHERE f.recommendation_id = r.id) FROM participation_recommendations r ";

Recommendation ReadRec(const db::Row& r) {
  Recommendation out;
  out.id = r.Int(0);
  out.process_id = r.Int(1);
  out.token = r.Text(2);
  out.source = ParseSource(r.Text(3)).value_or(Source::kWorkshop);
  out.source_ref = r.Text(4);
  out.title = r.Text(5);
  out.body = r.Text(6);
  out.response = ParseResponse(r.Text(7));
  out.reasons = r.Text(8);
  out.department_id = r.Int(9);
  out.responded_at = r.Int(10);
  out.created_at = r.Int(11);
  out.followers = r.Int(12);
  return out;
}

Status LoadMilestones(db::Database& db, std::vector<Recommendation>& recs) {
  for (Recommendation& rec : recs) {
    auto rows = db.Query(
        "SELECT id, title, due_at, progress, done_at, overdue_flagged_at FROM "
        "participation_milestones WHERE recommendation_id = ? ORDER BY due_at, id",
        {rec.id});
    if (!rows.ok()) return std::move(rows).error();
    for (const db::Row& r : *rows) {
      rec.milestones.push_back({r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5)});
    }
  }
  return Ok();
}

}  // namespace

std::string_view SourceName(Source s) {
  switch (s) {
    case Source::kProposal:
      return "proposal";
    case Source::kProject:
      return "project";
    case Source::kWorkshop:
      return "workshop";
    case Source::kMeeting:
      return "meeting";
  }
  return "workshop";
}

std::optional<Source> ParseSource(std::string_view name) {
  for (Source s : {Source::kProposal, Source::kProject, Source::kWorkshop, Source::kMeeting}) {
    if (SourceName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view ResponseName(Response r) {
  switch (r) {
    case Response::kAccepted:
      return "accepted";
    case Response::kPartly:
      return "partly";
    case Response::kRejected:
      return "rejected";
  }
  return "rejected";
}

std::optional<Response> ParseResponse(std::string_view name) {
  for (Response r : {Response::kAccepted, Response::kPartly, Response::kRejected}) {
    if (ResponseName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view RecStateName(RecState s) {
  switch (s) {
    case RecState::kAwaiting:
      return "awaiting";
    case RecState::kRejected:
      return "rejected";
    case RecState::kInProgress:
      return "in_progress";
    case RecState::kOverdue:
      return "overdue";
    case RecState::kDone:
      return "done";
  }
  return "awaiting";
}

RecState Recommendation::State(int64_t now_ms) const {
  if (!response) return RecState::kAwaiting;
  if (*response == Response::kRejected) return RecState::kRejected;
  bool all_done = !milestones.empty();
  for (const Milestone& m : milestones) {
    if (m.Overdue(now_ms)) return RecState::kOverdue;
    all_done = all_done && m.done_at != 0;
  }
  return all_done ? RecState::kDone : RecState::kInProgress;
}

Result<Recommendation> Store::Recommend(const Process& p, const RecommendationInput& in,
                                        const Actor& who, int64_t now_ms) {
  std::map<std::string, std::string> bad;
  if (Status s = CheckText(in.title, kMaxTitle); !s.ok()) bad["title"] = s.error().message_key;
  if (Status s = CheckText(in.body, kMaxBody); !s.ok()) bad["body"] = s.error().message_key;
  if (Status s = CheckText(in.source_ref, kMaxTitle); !s.ok()) {
    bad["source_ref"] = s.error().message_key;
  }
  if (!bad.empty()) return InvalidFields(std::move(bad));
  if (in.source == Source::kProposal) {
    auto proposal = GetProposal(p.id, in.source_ref);
    if (!proposal.ok()) {
      if (proposal.error().code != ErrorCode::kNotFound) return std::move(proposal).error();
      return InvalidFields({{"source_ref", "participation.rec.unknown_source"}});
    }
    if (proposal->threshold_reached_at == 0) {
      return MakeError(ErrorCode::kConflict, "participation.rec.below_threshold");
    }
  } else if (in.source == Source::kProject) {
    const size_t hash = in.source_ref.find('#');
    if (hash == std::string::npos) {
      return InvalidFields({{"source_ref", "participation.rec.unknown_source"}});
    }
    auto vote = GetVote(p.id, in.source_ref.substr(0, hash));
    if (!vote.ok()) {
      if (vote.error().code != ErrorCode::kNotFound) return std::move(vote).error();
      return InvalidFields({{"source_ref", "participation.rec.unknown_source"}});
    }
    const std::string number = in.source_ref.substr(hash + 1);
    bool winner = false, known = false;
    for (const VoteOption& o : vote->options) {
      if (std::to_string(o.number) != number) continue;
      known = true;
      winner = vote->published_at != 0 && o.selected;
    }
    if (!known) return InvalidFields({{"source_ref", "participation.rec.unknown_source"}});
    if (!winner) return MakeError(ErrorCode::kConflict, "participation.rec.not_winner");
  } else if (in.source == Source::kMeeting) {
    const size_t hash = in.source_ref.find('#');
    auto meeting = GetMeeting(p.id, in.source_ref.substr(0, hash));
    if (hash == std::string::npos || !meeting.ok()) {
      if (!meeting.ok() && meeting.error().code != ErrorCode::kNotFound) {
        return std::move(meeting).error();
      }
      return InvalidFields({{"source_ref", "participation.rec.unknown_source"}});
    }
  }
  Recommendation out;
  out.process_id = p.id;
  out.token = crypto::RandomToken(8);
  out.source = in.source;
  out.source_ref = in.source_ref;
  out.title = in.title;
  out.body = in.body;
  out.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO participation_recommendations (process_id, token, source, source_ref, "
        "title, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (process_id, source, "
        "source_ref) DO NOTHING RETURNING id",
        {p.id, out.token, std::string(SourceName(in.source)), in.source_ref, in.title, in.body,
         now_ms});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kConflict, "participation.rec.exists");
    out.id = (*rows)[0].Int(0);
    return Audit(audit_, tx, who, p.municipality_id, "participation.rec.create",
                 "recommendation:" + out.token,
                 std::string(SourceName(in.source)) + "=" + in.source_ref, now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Status Store::TellFollowers(db::Tx& tx, const Process& p, int64_t rec_id, const std::string& title,
                            std::string_view change, int64_t now_ms) {
  if (outbox_ == nullptr) return Ok();
  auto rows = tx.Query(
      "SELECT account_id, lang FROM participation_followers WHERE recommendation_id = ? ORDER BY "
      "account_id",
      {rec_id});
  if (!rows.ok()) return std::move(rows).error();
  for (const db::Row& r : *rows) {
    notify::Notification note;
    note.channel = notify::Channel::kInApp;
    note.account_id = r.Int(0);
    note.municipality_id = p.municipality_id;
    note.lang = r.Text(1) == "en" ? "en" : "ar";
    note.template_key = "participation.rec_" + std::string(change);
    note.params = {{"title", title}};
    auto queued = outbox_->Enqueue(tx, note, now_ms);
    if (!queued.ok()) return std::move(queued).error();
  }
  return Ok();
}

Status Store::Respond(const Process& p, std::string_view token, Response r,
                      std::string_view reasons, int64_t department_id, const Actor& who,
                      int64_t now_ms) {
  std::map<std::string, std::string> bad;
  if (Status s = CheckText(reasons, kMaxBody); !s.ok()) bad["reasons"] = s.error().message_key;
  if (r != Response::kRejected && department_id <= 0) {
    bad["department"] = "participation.rec.department";
  }
  if (!bad.empty()) return InvalidFields(std::move(bad));
  auto rec = GetRecommendation(p.id, token);
  if (!rec.ok()) return std::move(rec).error();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_recommendations SET response = ?, reasons = ?, department_id = ?, "
        "responded_at = ? WHERE id = ?",
        {std::string(ResponseName(r)), std::string(reasons),
         department_id > 0 ? db::Value(department_id) : db::Value(nullptr), now_ms, rec->id});
    if (!n.ok()) return std::move(n).error();
    if (Status s = TellFollowers(tx, p, rec->id, rec->title, "responded", now_ms); !s.ok()) {
      return s;
    }
    // The feed says "rec_accepted" once per acceptance and "rec_unaccepted" when an accepted
    // recommendation is revised to rejected (its n-th time: ref token#n, dated as the acceptance
    // it takes back), so that what the ledger counts as accepted is what is accepted now.
    auto counted = tx.Query(
        "SELECT COALESCE(sum(CASE WHEN kind = 'rec_accepted' THEN 1 ELSE 0 END), 0), "
        "COALESCE(sum(CASE WHEN kind = 'rec_unaccepted' THEN 1 ELSE 0 END), 0), "
        "COALESCE(max(CASE WHEN kind = 'rec_accepted' THEN at END), 0) FROM participation_feed "
        "WHERE kind IN ('rec_accepted', 'rec_unaccepted') AND (ref = ? OR ref LIKE ?)",
        {rec->token, rec->token + "#%"});
    if (!counted.ok()) return std::move(counted).error();
    const int64_t accepted = (*counted)[0].Int(0);
    const int64_t unaccepted = (*counted)[0].Int(1);
    const int64_t accepted_at = (*counted)[0].Int(2);
    if (r != Response::kRejected && accepted == unaccepted) {
      const std::string ref =
          unaccepted == 0 ? rec->token : rec->token + "#" + std::to_string(unaccepted);
      if (Status f = RecordFact(tx, p.municipality_id, "rec_accepted", ref, now_ms); !f.ok()) {
        return f;
      }
    } else if (r == Response::kRejected && accepted > unaccepted) {
      if (Status f = RecordFact(tx, p.municipality_id, "rec_unaccepted",
                                rec->token + "#" + std::to_string(unaccepted + 1), accepted_at);
          !f.ok()) {
        return f;
      }
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.rec.respond",
                 "recommendation:" + rec->token,
                 std::string(ResponseName(r)) + " department=" + std::to_string(department_id),
                 now_ms);
  });
}

Result<Milestone> Store::AddMilestone(const Process& p, std::string_view token,
                                      std::string_view title, int64_t due_at, const Actor& who,
                                      int64_t now_ms) {
  std::map<std::string, std::string> bad;
  if (Status s = CheckText(title, kMaxTitle); !s.ok()) bad["title"] = s.error().message_key;
  if (due_at <= 0) bad["due_at"] = "participation.rec.due_at";
  if (!bad.empty()) return InvalidFields(std::move(bad));
  auto rec = GetRecommendation(p.id, token);
  if (!rec.ok()) return std::move(rec).error();
  if (!rec->response || *rec->response == Response::kRejected) {
    return MakeError(ErrorCode::kConflict, "participation.rec.not_accepted");
  }
  Milestone m;
  m.title = std::string(title);
  m.due_at = due_at;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO participation_milestones (recommendation_id, title, due_at, created_at) "
        "VALUES (?, ?, ?, ?) RETURNING id",
        {rec->id, m.title, due_at, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    m.id = (*rows)[0].Int(0);
    if (Status s = TellFollowers(tx, p, rec->id, rec->title, "milestone", now_ms); !s.ok()) {
      return s;
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.rec.milestone",
                 "recommendation:" + rec->token, "milestone=" + std::to_string(m.id), now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return m;
}

Status Store::SetProgress(const Process& p, std::string_view token, int64_t milestone_id,
                          int64_t progress, const Actor& who, int64_t now_ms) {
  if (progress < 0 || progress > 100) {
    return InvalidFields({{"progress", "participation.rec.progress_invalid"}});
  }
  auto rec = GetRecommendation(p.id, token);
  if (!rec.ok()) return std::move(rec).error();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_milestones SET progress = ?, done_at = CASE WHEN CAST(? AS BIGINT) "
        ">= 100 THEN COALESCE(done_at, CAST(? AS BIGINT)) ELSE NULL END WHERE id = ? AND "
        "recommendation_id = ?",
        {progress, progress, now_ms, milestone_id, rec->id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kNotFound, "error.not_found");
    if (Status s = TellFollowers(tx, p, rec->id, rec->title, "progress", now_ms); !s.ok()) {
      return s;
    }
    // Every milestone done: the recommendation is done (a fact recorded once).
    auto left = tx.Query(
        "SELECT COUNT(*), SUM(CASE WHEN done_at IS NULL THEN 1 ELSE 0 END) FROM "
        "participation_milestones WHERE recommendation_id = ?",
        {rec->id});
    if (!left.ok()) return std::move(left).error();
    if ((*left)[0].Int(0) > 0 && (*left)[0].Int(1) == 0) {
      if (Status f = RecordFact(tx, p.municipality_id, "rec_done", rec->token, now_ms); !f.ok()) {
        return f;
      }
    }
    return Audit(
        audit_, tx, who, p.municipality_id, "participation.rec.progress",
        "recommendation:" + rec->token,
        "milestone=" + std::to_string(milestone_id) + " progress=" + std::to_string(progress),
        now_ms);
  });
}

Status Store::Follow(const Process& p, std::string_view token, const Actor& who,
                     std::string_view lang, bool follow, int64_t now_ms) {
  if (who.account_id <= 0) return MakeError(ErrorCode::kForbidden, "error.forbidden");
  auto rec = GetRecommendation(p.id, token);
  if (!rec.ok()) return std::move(rec).error();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = follow
                 ? tx.Exec(
                       "INSERT INTO participation_followers (recommendation_id, account_id, "
                       "lang, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (recommendation_id, "
                       "account_id) DO NOTHING",
                       {rec->id, who.account_id, std::string(lang == "en" ? "en" : "ar"), now_ms})
                 : tx.Exec(
                       "DELETE FROM participation_followers WHERE recommendation_id = ? AND "
                       "account_id = ?",
                       {rec->id, who.account_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Ok();
    return Audit(audit_, tx, who, p.municipality_id,
                 follow ? "participation.rec.follow" : "participation.rec.unfollow",
                 "recommendation:" + rec->token, "", now_ms);
  });
}

Result<bool> Store::Following(int64_t recommendation_id, int64_t account_id) {
  auto rows = db_.Query(
      "SELECT 1 FROM participation_followers WHERE recommendation_id = ? AND account_id = ?",
      {recommendation_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty();
}

Result<std::vector<Recommendation>> Store::Recommendations(int64_t process_id) {
  auto rows = db_.Query(std::string(kRecColumns) + "WHERE process_id = ? ORDER BY created_at, id",
                        {process_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Recommendation> out;
  for (const db::Row& r : *rows) out.push_back(ReadRec(r));
  if (Status s = LoadMilestones(db_, out); !s.ok()) return std::move(s).error();
  return out;
}

Result<Recommendation> Store::GetRecommendation(int64_t process_id, std::string_view token) {
  auto rows = db_.Query(std::string(kRecColumns) + "WHERE process_id = ? AND token = ?",
                        {process_id, std::string(token)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  std::vector<Recommendation> one{ReadRec((*rows)[0])};
  if (Status s = LoadMilestones(db_, one); !s.ok()) return std::move(s).error();
  return std::move(one[0]);
}

Result<RecommendationFigures> Store::Figures(int64_t process_id, int64_t now_ms) {
  auto recs = Recommendations(process_id);
  if (!recs.ok()) return std::move(recs).error();
  RecommendationFigures f;
  for (const Recommendation& r : *recs) {
    ++f.total;
    if (r.response == Response::kAccepted || r.response == Response::kPartly) ++f.accepted;
    if (r.response == Response::kRejected) ++f.rejected;
    const RecState st = r.State(now_ms);
    if (st == RecState::kDone) ++f.done;
    if (st == RecState::kOverdue) ++f.overdue;
  }
  return f;
}

Result<std::vector<OverdueMilestone>> Store::FlagOverdue(int64_t municipality_id, int64_t now_ms) {
  std::vector<OverdueMilestone> out;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    out.clear();
    auto rows = tx.Query(
        "SELECT m.id, m.title, m.due_at, m.progress, p.slug, r.token, r.title, r.department_id "
        "FROM participation_milestones m JOIN participation_recommendations r ON r.id = "
        "m.recommendation_id JOIN participation_processes p ON p.id = r.process_id WHERE "
        "p.municipality_id = ? AND m.done_at IS NULL AND m.overdue_flagged_at IS NULL AND "
        "m.due_at <= ? ORDER BY m.due_at, m.id",
        {municipality_id, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    for (const db::Row& r : *rows) {
      // Only the statement that sets the flag reports it: concurrent callers flag each once.
      auto n = tx.Exec(
          "UPDATE participation_milestones SET overdue_flagged_at = ? WHERE id = ? AND "
          "overdue_flagged_at IS NULL",
          {now_ms, r.Int(0)});
      if (!n.ok()) return std::move(n).error();
      if (*n == 0) continue;
      if (Status f = RecordFact(tx, municipality_id, "rec_overdue",
                                "milestone:" + std::to_string(r.Int(0)), now_ms);
          !f.ok()) {
        return f;
      }
      OverdueMilestone o;
      o.municipality_id = municipality_id;
      o.process_slug = r.Text(4);
      o.recommendation_token = r.Text(5);
      o.recommendation_title = r.Text(6);
      o.department_id = r.Int(7);
      o.milestone = {r.Int(0), r.Text(1), r.Int(2), r.Int(3), 0, now_ms};
      out.push_back(std::move(o));
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

}  // namespace baladiya::participation

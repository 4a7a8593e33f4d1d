// participation's moderation (participation.h): reports (one per account and item, the UNIQUE
// constraint), hiding at the process's report threshold in the report's own statement, the
// moderator's decision told to the author, and one review on the author's request.
#include <algorithm>
#include <map>

#include "identity/identity.h"
#include "notify/notify.h"
#include "participation/participation.h"
#include "participation/store_internal.h"

namespace baladiya::participation {
namespace {

using internal::Audit;
using internal::InvalidFields;

std::string ObjectName(Reported kind, int64_t id) {
  return std::string(ReportedName(kind)) + ":" + std::to_string(id);
}

constexpr char kModerationColumns[] =
    "SELECT kind, object_id, author_account_id, reports, hidden_at, decision, reason, decided_at, "
    "review_requested_at FROM participation_moderation ";

Moderation ReadModeration(const db::Row& r) {
  Moderation m;
  m.kind = ParseReported(r.Text(0)).value_or(Reported::kProposal);
  m.object_id = r.Int(1);
  m.author_account_id = r.Int(2);
  m.reports = r.Int(3);
  m.hidden_at = r.Int(4);
  m.decision = r.Text(5);
  m.reason = r.Text(6);
  m.decided_at = r.Int(7);
  m.review_requested_at = r.Int(8);
  return m;
}

}  // namespace

std::string_view ReportedName(Reported k) {
  return k == Reported::kComment ? "comment" : "proposal";
}

std::optional<Reported> ParseReported(std::string_view name) {
  if (name == "proposal") return Reported::kProposal;
  if (name == "comment") return Reported::kComment;
  return std::nullopt;
}

const std::vector<std::string>& ReportReasons() {
  static const std::vector<std::string> reasons = {"offensive", "spam", "personal", "other"};
  return reasons;
}

Result<bool> Store::Report(const Process& p, std::string_view proposal_token, int64_t comment_id,
                           std::string_view reason, const Actor& who, int64_t now_ms) {
  if (who.account_id <= 0) return MakeError(ErrorCode::kForbidden, "error.forbidden");
  const auto& reasons = ReportReasons();
  if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
    return InvalidFields({{"reason", "participation.report.reason"}});
  }
  auto proposal = GetProposal(p.id, proposal_token);
  if (!proposal.ok()) return std::move(proposal).error();
  Reported kind = Reported::kProposal;
  int64_t object_id = proposal->id;
  int64_t author = proposal->author_account_id;
  if (comment_id != 0) {
    auto rows =
        db_.Query("SELECT account_id FROM participation_comments WHERE id = ? AND proposal_id = ?",
                  {comment_id, proposal->id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    kind = Reported::kComment;
    object_id = comment_id;
    author = (*rows)[0].Int(0);
  }
  if (author == who.account_id) return MakeError(ErrorCode::kForbidden, "participation.report.own");
  const std::string kind_name(ReportedName(kind));
  bool hidden = false;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto added = tx.Exec(
        "INSERT INTO participation_reports (kind, object_id, account_id, reason, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, object_id, account_id) DO NOTHING",
        {kind_name, object_id, who.account_id, std::string(reason), now_ms});
    if (!added.ok()) return std::move(added).error();
    if (*added == 0) return MakeError(ErrorCode::kConflict, "participation.report.already");
    // One statement counts the report and hides the item at the threshold (unless a moderator
    // has already decided), so that concurrent reports on PostgreSQL each see the other's count.
    auto rows = tx.Query(
        "INSERT INTO participation_moderation (kind, object_id, process_id, author_account_id, "
        "reports, hidden_at, created_at) VALUES (?, ?, ?, ?, 1, CASE WHEN CAST(? AS BIGINT) <= 1 "
        "THEN CAST(? AS BIGINT) END, ?) ON CONFLICT (kind, object_id) DO UPDATE SET reports = "
        "participation_moderation.reports + 1, hidden_at = CASE WHEN "
        "participation_moderation.hidden_at IS NULL AND participation_moderation.decision IS NULL "
        "AND participation_moderation.reports + 1 >= CAST(? AS BIGINT) THEN CAST(? AS BIGINT) "
        "ELSE participation_moderation.hidden_at END RETURNING hidden_at",
        {kind_name, object_id, p.id, author, p.report_threshold, now_ms, now_ms, p.report_threshold,
         now_ms});
    if (!rows.ok()) return std::move(rows).error();
    hidden = (*rows)[0].Int(0) == now_ms;
    if (Status a = Audit(audit_, tx, who, p.municipality_id, "participation.report",
                         ObjectName(kind, object_id), std::string(reason), now_ms);
        !a.ok()) {
      return a;
    }
    if (!hidden) return Ok();
    return Audit(audit_, tx, who, p.municipality_id, "participation.moderation.hidden",
                 ObjectName(kind, object_id), "", now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return hidden;
}

Status Store::Moderate(const Process& p, Reported kind, int64_t object_id, bool keep,
                       std::string_view reason, const Actor& who, int64_t now_ms) {
  if (Status s = CheckText(reason, kMaxComment); !s.ok()) {
    return InvalidFields({{"reason", s.error().message_key}});
  }
  const std::string kind_name(ReportedName(kind));
  return db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "UPDATE participation_moderation SET decision = ?, reason = ?, decided_at = ? WHERE kind "
        "= ? AND object_id = ? AND process_id = ? AND hidden_at IS NOT NULL AND decision IS NULL "
        "RETURNING author_account_id",
        {std::string(keep ? "kept" : "removed"), std::string(reason), now_ms, kind_name, object_id,
         p.id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty())
      return MakeError(ErrorCode::kConflict, "participation.moderation.not_pending");
    const int64_t author = (*rows)[0].Int(0);
    if (outbox_ != nullptr) {
      auto account = accounts_.Get(tx, author, false);
      if (!account.ok()) return std::move(account).error();
      notify::Notification note;
      note.channel = notify::Channel::kInApp;
      note.account_id = author;
      note.municipality_id = p.municipality_id;
      note.lang = account->lang == "en" ? "en" : "ar";
      note.template_key =
          keep ? "participation.moderation_kept" : "participation.moderation_removed";
      note.params = {{"reason", std::string(reason)}};
      auto queued = outbox_->Enqueue(tx, note, now_ms);
      if (!queued.ok()) return std::move(queued).error();
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.moderation.decide",
                 ObjectName(kind, object_id), keep ? "kept" : "removed", now_ms);
  });
}

Status Store::AskReview(const Process& p, Reported kind, int64_t object_id, const Actor& who,
                        int64_t now_ms) {
  const std::string kind_name(ReportedName(kind));
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_moderation SET decision = NULL, decided_at = NULL, "
        "review_requested_at = ? WHERE kind = ? AND object_id = ? AND process_id = ? AND "
        "author_account_id = ? AND decision = 'removed' AND review_requested_at IS NULL",
        {now_ms, kind_name, object_id, p.id, who.account_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) {
      auto rows = tx.Query(
          "SELECT author_account_id FROM participation_moderation WHERE kind = ? AND object_id = ? "
          "AND process_id = ?",
          {kind_name, object_id, p.id});
      if (!rows.ok()) return std::move(rows).error();
      if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
      if ((*rows)[0].Int(0) != who.account_id) {
        return MakeError(ErrorCode::kForbidden, "error.forbidden");
      }
      return MakeError(ErrorCode::kConflict, "participation.moderation.no_review");
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.moderation.review",
                 ObjectName(kind, object_id), "", now_ms);
  });
}

Result<std::map<std::pair<Reported, int64_t>, Moderation>> Store::ModerationOf(int64_t process_id) {
  auto rows = db_.Query(std::string(kModerationColumns) + "WHERE process_id = ?", {process_id});
  if (!rows.ok()) return std::move(rows).error();
  std::map<std::pair<Reported, int64_t>, Moderation> out;
  for (const db::Row& r : *rows) {
    Moderation m = ReadModeration(r);
    out[{m.kind, m.object_id}] = std::move(m);
  }
  return out;
}

Result<std::vector<ModerationItem>> Store::ModerationQueue(int64_t process_id) {
  auto rows = db_.Query(
      "SELECT m.kind, m.object_id, m.author_account_id, m.reports, m.hidden_at, m.decision, "
      "m.reason, m.decided_at, m.review_requested_at, p.token, p.title, COALESCE(c.body, p.body), "
      "COALESCE(c.author_name, p.author_name) FROM participation_moderation m LEFT JOIN "
      "participation_comments c ON m.kind = 'comment' AND c.id = m.object_id JOIN "
      "participation_proposals p ON p.id = CASE WHEN m.kind = 'comment' THEN c.proposal_id ELSE "
      "m.object_id END WHERE m.process_id = ? AND m.hidden_at IS NOT NULL AND m.decision IS NULL "
      "ORDER BY m.hidden_at, m.object_id",
      {process_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<ModerationItem> out;
  for (const db::Row& r : *rows) {
    out.push_back({ReadModeration(r), r.Text(9), r.Text(10), r.Text(11), r.Text(12)});
  }
  return out;
}

Status Store::SetReportThreshold(const Process& p, int64_t n, const Actor& who, int64_t now_ms) {
  if (n < 1 || n > 1000) {
    return InvalidFields({{"report_threshold", "participation.moderation.threshold"}});
  }
  return db_.Write([&](db::Tx& tx) -> Status {
    auto changed =
        tx.Exec("UPDATE participation_processes SET report_threshold = ? WHERE id = ?", {n, p.id});
    if (!changed.ok()) return std::move(changed).error();
    return Audit(audit_, tx, who, p.municipality_id, "participation.process.report_threshold",
                 "process:" + p.slug, std::to_string(n), now_ms);
  });
}

}  // namespace baladiya::participation

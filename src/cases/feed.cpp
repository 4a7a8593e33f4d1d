// The event feed (cases.h CaseStore::Feed): events by position, with what a counting reader needs.
#include <algorithm>
#include <charconv>

#include "cases/cases.h"

namespace baladiya::cases {

namespace {

constexpr const char* kFeedSql =
    "SELECT e.id, e.at, e.kind, e.case_id, c.tracking, e.municipality_id, e.service_id, "
    "e.department_id, e.from_state, e.to_state, e.action, e.channel, e.actor_role, e.internal, "
    "c.channel, c.submitted_at, c.due_at, c.closed_at, d.created_at, d.municipality_id, "
    "d.service_id, e.outcome "
    "FROM case_events e JOIN cases c ON c.id = e.case_id "
    "LEFT JOIN case_drafts d ON d.id = c.draft_id "
    "WHERE e.id > ? ORDER BY e.id LIMIT ?";

template <class Rows>
std::vector<FeedEntry> ReadFeed(const Rows& rows) {
  std::vector<FeedEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    FeedEntry f;
    f.position = r.Int(0);
    f.at = r.Int(1);
    f.kind = r.Text(2);
    f.case_id = r.Int(3);
    f.tracking = r.Text(4);
    f.municipality_id = r.Int(5);
    f.service_id = r.Int(6);
    f.department_id = r.Int(7);
    f.from_state = r.Text(8);
    f.to_state = r.Text(9);
    const std::string action = r.Text(10);
    if (f.kind == "rated") {
      std::from_chars(action.data(), action.data() + action.size(), f.score);
    } else if (f.kind == "transition") {
      f.action = action;
    }
    f.actor_channel = r.Text(11);
    f.actor_role = r.Text(12);
    f.internal = r.Int(13) != 0;
    f.case_channel = r.Text(14);
    f.submitted_at = r.Int(15);
    f.due_at = r.Int(16);
    f.closed_at = r.Int(17);
    f.draft_started_at = r.Int(18);
    f.draft_municipality_id = r.Int(19);
    f.draft_service_id = r.Int(20);
    f.outcome = r.Text(21);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

Result<std::vector<FeedEntry>> CaseStore::Feed(int64_t after, int limit) {
  limit = std::clamp(limit, 1, kMaxFeedBatch);
  auto rows = d_.db->Query(kFeedSql, {after, int64_t{limit}});
  if (!rows.ok()) return std::move(rows).error();
  return ReadFeed(*rows);
}

Result<std::vector<FeedEntry>> CaseStore::Feed(db::Tx& tx, int64_t after, int limit) {
  limit = std::clamp(limit, 1, kMaxFeedBatch);
  auto rows = tx.Query(kFeedSql, {after, int64_t{limit}});
  if (!rows.ok()) return std::move(rows).error();
  return ReadFeed(*rows);
}

Result<std::vector<DraftStart>> CaseStore::DraftFeed(db::Tx& tx, int64_t after, int limit) {
  limit = std::clamp(limit, 1, kMaxFeedBatch);
  auto rows = tx.Query(
      "SELECT id, at, draft_id, municipality_id, service_id, channel FROM case_draft_starts "
      "WHERE id > ? ORDER BY id LIMIT ?",
      {after, int64_t{limit}});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<DraftStart> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Text(5)});
  }
  return out;
}

}  // namespace baladiya::cases

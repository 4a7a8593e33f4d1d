// participation's event feed (participation.h Store::Feed): the facts the KPI ledger counts,
// each recorded once in the transaction of the change that makes it true.
#include "participation/participation.h"

namespace baladiya::participation {

Status Store::RecordFact(db::Tx& tx, int64_t municipality_id, std::string_view kind,
                         const std::string& ref, int64_t now_ms) {
  auto n = tx.Exec(
      "INSERT INTO participation_feed (municipality_id, kind, ref, at) VALUES (?, ?, ?, ?) ON "
      "CONFLICT (kind, ref) DO NOTHING",
      {municipality_id, std::string(kind), ref, now_ms});
  if (!n.ok()) return std::move(n).error();
  return Ok();
}

Status Store::NoteParticipant(db::Tx& tx, const Process& p, int64_t account_id, int64_t now_ms) {
  if (account_id <= 0) return Ok();
  auto n = tx.Exec(
      "INSERT INTO participation_participants (process_id, account_id, created_at) VALUES (?, ?, "
      "?) ON CONFLICT (process_id, account_id) DO NOTHING",
      {p.id, account_id, now_ms});
  if (!n.ok()) return std::move(n).error();
  if (*n == 0) return Ok();
  return RecordFact(tx, p.municipality_id, "participant",
                    std::to_string(p.id) + ":" + std::to_string(account_id), now_ms);
}

Result<std::vector<FeedEntry>> Store::Feed(db::Tx& tx, int64_t after, int limit) {
  if (limit < 1 || limit > 10'000) return MakeError(ErrorCode::kInvalid, "error.invalid");
  auto rows = tx.Query(
      "SELECT position, municipality_id, kind, at FROM participation_feed WHERE position > ? "
      "ORDER BY position LIMIT ?",
      {after, int64_t{limit}});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<FeedEntry> out;
  out.reserve(rows->size());
  for (const db::Row& r : *rows) out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3)});
  return out;
}

}  // namespace baladiya::participation

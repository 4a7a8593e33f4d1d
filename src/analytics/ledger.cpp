// The ledger's storage (analytics.h Ledger): cursors, records and cells in the database; the
// incremental fold, the rebuild, and the reads.
#include <algorithm>
#include <span>
#include <tuple>

#include "analytics/analytics.h"
#include "analytics/fold.h"
#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> AnalyticsMigrationFiles();

namespace baladiya::analytics {

using internal::CaseRecord;
using internal::CellKey;
using internal::Cursor;
using internal::Deltas;
using internal::Folder;

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(AnalyticsMigrationFiles()); }

namespace {

constexpr const char* kRecordColumns =
    "case_id, municipality_id, service_id, department_id, channel, is_report, draft_day, "
    "draft_municipality_id, draft_service_id, submitted_at, state, outcome, closed_at, "
    "paused_since, paused_days, due_at, reopened, reopened_at, score, rated_at, is_open";
constexpr int kRecordArity = 21;

constexpr const char* kCountColumns =
    "started, submitted, completed, rejected, merged, within_sla, reopened, rated, score1, "
    "score2, score3, score4, score5, withdrawn";
constexpr int kCountArity = 14;

CaseRecord ReadRecord(const db::Row& r) {
  CaseRecord c;
  c.case_id = r.Int(0);
  c.municipality_id = r.Int(1);
  c.service_id = r.Int(2);
  c.department_id = r.Int(3);
  c.channel = r.Text(4);
  c.report = r.Int(5) != 0;
  c.draft_day = r.Int(6);
  c.draft_municipality_id = r.Int(7);
  c.draft_service_id = r.Int(8);
  c.submitted_at = r.Int(9);
  c.state = r.Text(10);
  c.outcome = r.Text(11);
  c.closed_at = r.Int(12);
  c.paused_since = r.Int(13);
  c.paused_days = static_cast<int>(r.Int(14));
  c.due_at = r.Int(15);
  c.reopened = static_cast<int>(r.Int(16));
  c.reopened_at = r.Int(17);
  c.score = static_cast<int>(r.Int(18));
  c.rated_at = r.Int(19);
  return c;
}

void RecordParams(const CaseRecord& c, db::Params& p) {
  p.insert(p.end(), {c.case_id,
                     c.municipality_id,
                     c.service_id,
                     c.department_id,
                     c.channel,
                     int64_t{c.report ? 1 : 0},
                     c.draft_day,
                     c.draft_municipality_id,
                     c.draft_service_id,
                     c.submitted_at,
                     c.state,
                     c.outcome,
                     c.closed_at,
                     c.paused_since,
                     int64_t{c.paused_days},
                     c.due_at,
                     int64_t{c.reopened},
                     c.reopened_at,
                     int64_t{c.score},
                     c.rated_at,
                     int64_t{c.open() ? 1 : 0}});
}

void CountParams(const Counts& n, db::Params& p) {
  p.insert(p.end(),
           {n.started, n.submitted, n.completed, n.rejected, n.merged, n.within_sla, n.reopened,
            n.rated, n.scores[0], n.scores[1], n.scores[2], n.scores[3], n.scores[4], n.withdrawn});
}

Counts ReadCounts(const db::Row& r, size_t first) {
  Counts n;
  n.started = r.Int(first);
  n.submitted = r.Int(first + 1);
  n.completed = r.Int(first + 2);
  n.rejected = r.Int(first + 3);
  n.merged = r.Int(first + 4);
  n.within_sla = r.Int(first + 5);
  n.reopened = r.Int(first + 6);
  n.rated = r.Int(first + 7);
  for (size_t i = 0; i < 5; ++i) n.scores[i] = r.Int(first + 8 + i);
  n.withdrawn = r.Int(first + 13);
  return n;
}

std::string Placeholders(size_t rows, int arity) {
  std::string one = "(";
  for (int i = 0; i < arity; ++i) one += i ? ", ?" : "?";
  one += ")";
  std::string out;
  for (size_t i = 0; i < rows; ++i) {
    if (i) out += ", ";
    out += one;
  }
  return out;
}

// Rows per multi-row statement: well under both engines' parameter limits.
constexpr size_t kRowsPerStatement = 100;

Status LoadRecords(db::Tx& tx, const std::set<int64_t>& ids, Folder& folder) {
  std::vector<int64_t> list(ids.begin(), ids.end());
  for (size_t i = 0; i < list.size(); i += 500) {
    const size_t n = std::min<size_t>(500, list.size() - i);
    std::string sql =
        std::string("SELECT ") + kRecordColumns + " FROM kpi_cases WHERE case_id IN (";
    db::Params p;
    for (size_t j = 0; j < n; ++j) {
      sql += j ? ", ?" : "?";
      p.emplace_back(list[i + j]);
    }
    sql += ")";
    auto rows = tx.Query(sql, p);
    if (!rows.ok()) return std::move(rows).error();
    for (const auto& r : *rows) {
      CaseRecord c = ReadRecord(r);
      folder.records[c.case_id] = std::move(c);
    }
  }
  return Ok();
}

// Stores the records (replacing them), `upsert`: some may exist.
Status WriteRecords(db::Tx& tx, const std::vector<const CaseRecord*>& recs, bool upsert) {
  for (size_t i = 0; i < recs.size(); i += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, recs.size() - i);
    std::string sql = std::string("INSERT INTO kpi_cases (") + kRecordColumns + ") VALUES " +
                      Placeholders(n, kRecordArity);
    if (upsert) {
      sql +=
          " ON CONFLICT (case_id) DO UPDATE SET municipality_id = excluded.municipality_id, "
          "service_id = excluded.service_id, department_id = excluded.department_id, "
          "channel = excluded.channel, is_report = excluded.is_report, "
          "draft_day = excluded.draft_day, draft_municipality_id = "
          "excluded.draft_municipality_id, draft_service_id = excluded.draft_service_id, "
          "submitted_at = excluded.submitted_at, state = excluded.state, outcome = "
          "excluded.outcome, closed_at = excluded.closed_at, paused_since = "
          "excluded.paused_since, paused_days = excluded.paused_days, due_at = excluded.due_at, "
          "reopened = excluded.reopened, reopened_at = excluded.reopened_at, score = "
          "excluded.score, rated_at = excluded.rated_at, is_open = excluded.is_open";
    }
    db::Params p;
    p.reserve(n * kRecordArity);
    for (size_t j = 0; j < n; ++j) RecordParams(*recs[i + j], p);
    auto done = tx.Exec(sql, p);
    if (!done.ok()) return std::move(done).error();
  }
  return Ok();
}

// Adds the cells' counts to a table's rows (kpi_daily by day, kpi_monthly by month).
Status AddCells(db::Tx& tx, const std::map<CellKey, Counts>& cells, const char* table,
                const char* period) {
  std::vector<std::pair<const CellKey*, const Counts*>> list;
  for (const auto& [k, n] : cells) {
    if (!n.Zero()) list.emplace_back(&k, &n);
  }
  const std::string t = table;
  std::string update;
  for (const char* col :
       {"started", "submitted", "completed", "rejected", "merged", "within_sla", "reopened",
        "rated", "score1", "score2", "score3", "score4", "score5", "withdrawn"}) {
    if (!update.empty()) update += ", ";
    update += std::string(col) + " = " + t + "." + col + " + excluded." + col;
  }
  for (size_t i = 0; i < list.size(); i += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, list.size() - i);
    std::string sql = "INSERT INTO " + t + " (municipality_id, service_id, channel, " + period +
                      ", " + kCountColumns + ") VALUES " + Placeholders(n, 4 + kCountArity) +
                      " ON CONFLICT (municipality_id, service_id, channel, " + period +
                      ") DO UPDATE SET " + update;
    db::Params p;
    p.reserve(n * (4 + kCountArity));
    for (size_t j = 0; j < n; ++j) {
      const CellKey& k = *list[i + j].first;
      p.insert(p.end(), {k.municipality_id, k.service_id, k.channel, k.period});
      CountParams(*list[i + j].second, p);
    }
    auto done = tx.Exec(sql, p);
    if (!done.ok()) return std::move(done).error();
  }
  return Ok();
}

Status AddDurations(db::Tx& tx, const std::map<internal::DurationKey, int64_t>& durations) {
  std::vector<std::pair<const internal::DurationKey*, int64_t>> list;
  for (const auto& [k, n] : durations) {
    if (n != 0) list.emplace_back(&k, n);
  }
  for (size_t i = 0; i < list.size(); i += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, list.size() - i);
    std::string sql =
        "INSERT INTO kpi_durations (municipality_id, service_id, channel, month, days, cases) "
        "VALUES " +
        Placeholders(n, 6) +
        " ON CONFLICT (municipality_id, service_id, channel, month, days) DO UPDATE SET cases = "
        "kpi_durations.cases + excluded.cases";
    db::Params p;
    for (size_t j = 0; j < n; ++j) {
      const auto& [k, cases] = list[i + j];
      p.insert(p.end(), {k->cell.municipality_id, k->cell.service_id, k->cell.channel,
                         k->cell.period, int64_t{k->days}, cases});
    }
    auto done = tx.Exec(sql, p);
    if (!done.ok()) return std::move(done).error();
  }
  return Ok();
}

// Adds the facts' counts (municipality, day, kind -> n) to kpi_participation.
Status AddFacts(db::Tx& tx, const std::map<std::tuple<int64_t, int64_t, std::string>, int64_t>& n) {
  for (const auto& [key, count] : n) {
    const auto& [municipality, day, kind] = key;
    auto done = tx.Exec(
        "INSERT INTO kpi_participation (municipality_id, day, kind, n) VALUES (?, ?, ?, ?) ON "
        "CONFLICT (municipality_id, day, kind) DO UPDATE SET n = kpi_participation.n + excluded.n",
        {municipality, day, kind, count});
    if (!done.ok()) return std::move(done).error();
  }
  return Ok();
}

// Adds payments' counts and delays.
Status AddPayments(db::Tx& tx, const Deltas& d) {
  for (const auto& [key, n] : d.payments) {
    if (n.Zero()) continue;
    const auto& [municipality, month, channel, currency] = key;
    auto done = tx.Exec(
        "INSERT INTO kpi_payments (municipality_id, month, channel, currency, raised, voided, "
        "paid, collected_minor, refunded_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
        "(municipality_id, month, channel, currency) DO UPDATE SET raised = kpi_payments.raised "
        "+ excluded.raised, voided = kpi_payments.voided + excluded.voided, paid = "
        "kpi_payments.paid + excluded.paid, collected_minor = kpi_payments.collected_minor + "
        "excluded.collected_minor, refunded_minor = kpi_payments.refunded_minor + "
        "excluded.refunded_minor",
        {municipality, month, channel, currency, n.raised, n.voided, n.paid, n.collected_minor,
         n.refunded_minor});
    if (!done.ok()) return std::move(done).error();
  }
  for (const auto& [key, n] : d.payment_delays) {
    if (n == 0) continue;
    const auto& [municipality, month, days] = key;
    auto done = tx.Exec(
        "INSERT INTO kpi_payment_delays (municipality_id, month, days, payments) VALUES (?, ?, ?, "
        "?) ON CONFLICT (municipality_id, month, days) DO UPDATE SET payments = "
        "kpi_payment_delays.payments + excluded.payments",
        {municipality, month, int64_t{days}, n});
    if (!done.ok()) return std::move(done).error();
  }
  return Ok();
}

Status WriteDeltas(db::Tx& tx, const Deltas& d) {
  if (Status st = AddCells(tx, d.daily, "kpi_daily", "day"); !st.ok()) return st;
  if (Status st = AddCells(tx, d.monthly, "kpi_monthly", "month"); !st.ok()) return st;
  if (Status st = AddFacts(tx, d.facts); !st.ok()) return st;
  if (Status st = AddPayments(tx, d); !st.ok()) return st;
  return AddDurations(tx, d.durations);
}

// Locks the feed's cursor row (the first statement of a fold: two programs fold one after the
// other) and reads it with the positions seen above it.
Result<Cursor> LockCursor(db::Tx& tx, const std::string& feed, int64_t now_ms) {
  auto row = tx.Query("UPDATE kpi_cursors SET updated_at = ? WHERE feed = ? RETURNING position",
                      {now_ms, feed});
  if (!row.ok()) return std::move(row).error();
  if (row->empty()) return MakeError(ErrorCode::kInternal, "error.internal", "no cursor " + feed);
  Cursor c;
  c.position = (*row)[0].Int(0);
  auto seen = tx.Query("SELECT position, at FROM kpi_seen WHERE feed = ?", {feed});
  if (!seen.ok()) return std::move(seen).error();
  for (const auto& r : *seen) c.seen[r.Int(0)] = r.Int(1);
  return c;
}

Status SaveCursor(db::Tx& tx, const std::string& feed, Cursor& c, int64_t now_ms) {
  c.Advance(now_ms);
  auto moved = tx.Exec("UPDATE kpi_cursors SET position = ? WHERE feed = ?", {c.position, feed});
  if (!moved.ok()) return std::move(moved).error();
  auto gone = tx.Exec("DELETE FROM kpi_seen WHERE feed = ? AND position <= ?", {feed, c.position});
  if (!gone.ok()) return std::move(gone).error();
  for (const auto& [p, at] : c.added) {
    if (p <= c.position) continue;
    auto kept =
        tx.Exec("INSERT INTO kpi_seen (feed, position, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                {feed, p, at});
    if (!kept.ok()) return std::move(kept).error();
  }
  c.added.clear();
  return Ok();
}

}  // namespace

Ledger::Ledger(db::Database& db, Sources sources) : db_(db), src_(std::move(sources)) {}

Result<int64_t> Ledger::CatchUp(int64_t now_ms, int batch, int max_batches) {
  std::lock_guard lock(fold_mu_);
  int64_t folded = 0;
  for (const std::string feed : {"drafts", "cases", "participation", "payments"}) {
    if (feed == "participation" && !src_.participation) continue;
    if (feed == "payments" && !src_.payments) continue;
    // Within one call the reading goes on past what was read, even when the cursor waits at a
    // gap; the next call reads again from the cursor.
    int64_t read_after = -1;
    for (int b = 0; b < max_batches; ++b) {
      int64_t last = 0;
      int64_t n = 0;
      size_t got = 0;
      Status st = db_.Write([&](db::Tx& tx) -> Status {
        auto cursor = LockCursor(tx, feed, now_ms);
        if (!cursor.ok()) return std::move(cursor).error();
        const int64_t after = std::max(read_after, cursor->position);
        Folder folder(src_);
        last = after;
        n = 0;
        if (feed == "participation") {
          auto facts = src_.participation(tx, after, batch);
          if (!facts.ok()) return std::move(facts).error();
          got = facts->size();
          for (const FeedFact& f : *facts) {
            last = f.position;
            if (cursor->Seen(f.position)) continue;
            if (Status fold = folder.FoldFact(f); !fold.ok()) return fold;
            cursor->Mark(f.position, f.at);
            ++n;
          }
        } else if (feed == "payments") {
          auto entries = src_.payments(tx, after, batch);
          if (!entries.ok()) return std::move(entries).error();
          got = entries->size();
          for (const PaymentFact& p : *entries) {
            last = p.position;
            if (cursor->Seen(p.position)) continue;
            if (Status fold = folder.FoldPayment(p); !fold.ok()) return fold;
            cursor->Mark(p.position, p.at);
            ++n;
          }
        } else if (feed == "drafts") {
          auto entries = src_.cases->DraftFeed(tx, after, batch);
          if (!entries.ok()) return std::move(entries).error();
          got = entries->size();
          for (const auto& d : *entries) {
            last = d.position;
            if (cursor->Seen(d.position)) continue;
            if (Status f = folder.FoldDraft(d); !f.ok()) return f;
            cursor->Mark(d.position, d.at);
            ++n;
          }
        } else {
          auto entries = src_.cases->Feed(tx, after, batch);
          if (!entries.ok()) return std::move(entries).error();
          got = entries->size();
          std::set<int64_t> ids;
          for (const auto& e : *entries) {
            if (!cursor->Seen(e.position)) ids.insert(e.case_id);
          }
          if (Status l = LoadRecords(tx, ids, folder); !l.ok()) return l;
          for (const auto& e : *entries) {
            last = e.position;
            if (cursor->Seen(e.position)) continue;
            if (Status f = folder.FoldCase(e); !f.ok()) return f;
            cursor->Mark(e.position, e.at);
            ++n;
          }
          std::vector<const CaseRecord*> recs;
          for (int64_t id : folder.touched) recs.push_back(&folder.records.at(id));
          if (Status w = WriteRecords(tx, recs, true); !w.ok()) return w;
        }
        if (Status w = WriteDeltas(tx, folder.deltas); !w.ok()) return w;
        return SaveCursor(tx, feed, *cursor, now_ms);
      });
      if (!st.ok()) return std::move(st).error();
      folded += n;
      if (n > 0) generation_.fetch_add(1);
      if (got < static_cast<size_t>(batch)) break;
      read_after = last;
    }
  }
  return folded;
}

Result<int64_t> Ledger::Rebuild(int64_t now_ms) {
  Folder folder(src_);
  Cursor drafts;
  Cursor feed;
  Cursor facts_cursor;
  Cursor payments_cursor;
  int64_t folded = 0;
  // One snapshot of both feeds (PostgreSQL: REPEATABLE READ), folded in memory.
  Status read = db_.Read([&](db::Tx& tx) -> Status {
    for (int64_t after = 0;;) {
      auto entries = src_.cases->DraftFeed(tx, after, cases::kMaxFeedBatch);
      if (!entries.ok()) return std::move(entries).error();
      if (entries->empty()) break;
      for (const auto& d : *entries) {
        if (Status f = folder.FoldDraft(d); !f.ok()) return f;
        drafts.Mark(d.position, d.at);
        after = d.position;
        ++folded;
      }
    }
    for (int64_t after = 0;;) {
      auto entries = src_.cases->Feed(tx, after, cases::kMaxFeedBatch);
      if (!entries.ok()) return std::move(entries).error();
      if (entries->empty()) break;
      for (const auto& e : *entries) {
        if (Status f = folder.FoldCase(e); !f.ok()) return f;
        feed.Mark(e.position, e.at);
        after = e.position;
        ++folded;
      }
    }
    for (int64_t after = 0; src_.participation;) {
      auto entries = src_.participation(tx, after, cases::kMaxFeedBatch);
      if (!entries.ok()) return std::move(entries).error();
      if (entries->empty()) break;
      for (const FeedFact& f : *entries) {
        if (Status fold = folder.FoldFact(f); !fold.ok()) return fold;
        facts_cursor.Mark(f.position, f.at);
        after = f.position;
        ++folded;
      }
    }
    for (int64_t after = 0; src_.payments;) {
      auto entries = src_.payments(tx, after, cases::kMaxFeedBatch);
      if (!entries.ok()) return std::move(entries).error();
      if (entries->empty()) break;
      for (const PaymentFact& p : *entries) {
        if (Status fold = folder.FoldPayment(p); !fold.ok()) return fold;
        payments_cursor.Mark(p.position, p.at);
        after = p.position;
        ++folded;
      }
    }
    return Ok();
  });
  if (!read.ok()) return std::move(read).error();
  std::vector<const CaseRecord*> recs;
  recs.reserve(folder.records.size());
  for (const auto& [id, r] : folder.records) recs.push_back(&r);
  std::sort(recs.begin(), recs.end(),
            [](const CaseRecord* a, const CaseRecord* b) { return a->case_id < b->case_id; });
  std::lock_guard lock(fold_mu_);
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    for (const char* feed_name : {"drafts", "cases", "participation", "payments"}) {
      auto locked = LockCursor(tx, feed_name, now_ms);
      if (!locked.ok()) return std::move(locked).error();
    }
    for (const char* t : {"kpi_cases", "kpi_daily", "kpi_monthly", "kpi_durations", "kpi_seen",
                          "kpi_participation", "kpi_payments", "kpi_payment_delays"}) {
      auto gone = tx.Exec(std::string("DELETE FROM ") + t);
      if (!gone.ok()) return std::move(gone).error();
    }
    if (Status w = WriteRecords(tx, recs, false); !w.ok()) return w;
    if (Status w = WriteDeltas(tx, folder.deltas); !w.ok()) return w;
    if (Status c = SaveCursor(tx, "drafts", drafts, now_ms); !c.ok()) return c;
    if (Status c = SaveCursor(tx, "participation", facts_cursor, now_ms); !c.ok()) return c;
    if (Status c = SaveCursor(tx, "payments", payments_cursor, now_ms); !c.ok()) return c;
    return SaveCursor(tx, "cases", feed, now_ms);
  });
  if (!st.ok()) return std::move(st).error();
  generation_.fetch_add(1);
  return folded;
}

namespace {

Result<std::vector<Cell>> ReadCells(db::Database& db, const char* table, const char* period,
                                    int64_t municipality_id, int64_t service_id, int64_t from,
                                    int64_t to) {
  const std::string p = period;
  auto rows = db.Query(std::string("SELECT municipality_id, service_id, channel, ") + p + ", " +
                           kCountColumns + " FROM " + table +
                           " WHERE (? = 0 OR municipality_id = ?) AND (? = 0 OR service_id = ?) "
                           "AND " +
                           p + " >= ? AND " + p +
                           " <= ? "
                           "ORDER BY municipality_id, service_id, channel, " +
                           p,
                       {municipality_id, municipality_id, service_id, service_id, from, to});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Cell> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    Cell c{r.Int(0), r.Int(1), r.Text(2), r.Int(3), ReadCounts(r, 4)};
    if (!c.counts.Zero()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<std::vector<Cell>> Ledger::Daily(int64_t municipality_id, int64_t service_id,
                                        int64_t from_day, int64_t to_day) {
  return ReadCells(db_, "kpi_daily", "day", municipality_id, service_id, from_day, to_day);
}

Result<std::vector<Cell>> Ledger::Monthly(int64_t municipality_id, int64_t service_id,
                                          int64_t from_month, int64_t to_month) {
  return ReadCells(db_, "kpi_monthly", "month", municipality_id, service_id, from_month, to_month);
}

Result<std::vector<Duration>> Ledger::Durations(int64_t municipality_id, int64_t service_id,
                                                int64_t from_month, int64_t to_month) {
  auto rows = db_.Query(
      "SELECT municipality_id, service_id, channel, month, days, cases FROM kpi_durations "
      "WHERE (? = 0 OR municipality_id = ?) AND (? = 0 OR service_id = ?) AND month >= ? AND "
      "month <= ? AND cases <> 0 ORDER BY municipality_id, service_id, channel, month, days",
      {municipality_id, municipality_id, service_id, service_id, from_month, to_month});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Duration> out;
  for (const auto& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3), static_cast<int>(r.Int(4)), r.Int(5)});
  }
  return out;
}

Result<std::vector<Backlog>> Ledger::BacklogNow(int64_t municipality_id, int64_t now_ms) {
  constexpr int64_t kWeekMs = int64_t{7} * 86'400'000;
  auto rows = db_.Query(
      "SELECT service_id, count(*), "
      "sum(CASE WHEN paused_since = 0 AND due_at < ? THEN 1 ELSE 0 END), "
      "sum(CASE WHEN paused_since = 0 AND due_at >= ? AND due_at < ? THEN 1 ELSE 0 END) "
      "FROM kpi_cases WHERE is_open = 1 AND (? = 0 OR municipality_id = ?) "
      "GROUP BY service_id ORDER BY service_id",
      {now_ms, now_ms, now_ms + kWeekMs, municipality_id, municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Backlog> out;
  for (const auto& r : *rows) out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3)});
  return out;
}

Result<ParticipationFigures> Ledger::Participation(int64_t municipality_id, int64_t from_day,
                                                   int64_t to_day) {
  auto rows = db_.Query(
      "SELECT kind, SUM(n) FROM kpi_participation WHERE (? = 0 OR municipality_id = ?) AND day >= "
      "? AND day <= ? GROUP BY kind",
      {municipality_id, municipality_id, from_day, to_day});
  if (!rows.ok()) return std::move(rows).error();
  ParticipationFigures f;
  for (const auto& r : *rows) {
    const std::string kind = r.Text(0);
    if (kind == "participant") f.participants = r.Int(1);
    if (kind == "rec_accepted") f.accepted += r.Int(1);
    if (kind == "rec_unaccepted") f.accepted -= r.Int(1);
    if (kind == "rec_done") f.done = r.Int(1);
    if (kind == "rec_overdue") f.overdue = r.Int(1);
  }
  return f;
}

Result<std::vector<PaymentCell>> Ledger::Payments(int64_t municipality_id, int64_t from_month,
                                                  int64_t to_month) {
  auto rows = db_.Query(
      "SELECT municipality_id, month, channel, currency, raised, voided, paid, collected_minor, "
      "refunded_minor FROM kpi_payments WHERE (? = 0 OR municipality_id = ?) AND month >= ? AND "
      "month <= ? ORDER BY municipality_id, month, channel, currency",
      {municipality_id, municipality_id, from_month, to_month});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<PaymentCell> out;
  for (const auto& r : *rows) {
    PaymentCell c{r.Int(0), r.Int(1), r.Text(2), r.Text(3),
                  PaymentCounts{r.Int(4), r.Int(5), r.Int(6), r.Int(7), r.Int(8)}};
    if (!c.counts.Zero()) out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<PaymentDelay>> Ledger::PaymentDelays(int64_t municipality_id, int64_t from_month,
                                                        int64_t to_month) {
  auto rows = db_.Query(
      "SELECT municipality_id, month, days, payments FROM kpi_payment_delays WHERE (? = 0 OR "
      "municipality_id = ?) AND month >= ? AND month <= ? AND payments <> 0 ORDER BY "
      "municipality_id, month, days",
      {municipality_id, municipality_id, from_month, to_month});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<PaymentDelay> out;
  for (const auto& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), static_cast<int>(r.Int(2)), r.Int(3)});
  }
  return out;
}

Result<std::map<std::string, int64_t>> Ledger::Cursors() {
  auto rows = db_.Query("SELECT feed, position FROM kpi_cursors ORDER BY feed");
  if (!rows.ok()) return std::move(rows).error();
  std::map<std::string, int64_t> out;
  for (const auto& r : *rows) out[r.Text(0)] = r.Int(1);
  return out;
}

}  // namespace baladiya::analytics

// Test support for the modules whose tests look at what they wrote to the audit log (tests only):
// counts and actions read through AuditLog::List, the log's public reading, never its tables; and
// a way to break the log the way a damaged database would, for the tests of callers that must
// fail their request when their entry cannot be written.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "platform/db/database.h"

namespace baladiya::audit::testing {

// Every entry the filter matches (its before_index and limit are ignored), newest first, read
// page by page. A read failure is an empty list and a message on stderr.
inline std::vector<Entry> Entries(AuditLog& log, AuditLog::Filter filter = {}) {
  std::vector<Entry> out;
  filter.before_index = -1;
  filter.limit = 500;
  for (;;) {
    auto page = log.List(filter);
    if (!page.ok()) {
      std::fprintf(stderr, "audit::testing::Entries: %s\n", page.error().detail.c_str());
      return {};
    }
    out.insert(out.end(), page->begin(), page->end());
    if (page->size() < 500) return out;
    filter.before_index = page->back().index;
  }
}

// How many entries have exactly this action (all municipalities unless one is given).
inline int64_t Count(AuditLog& log, std::string_view action, int64_t municipality_id = -1) {
  AuditLog::Filter f;
  f.action_prefix = std::string(action);
  f.municipality_id = municipality_id;
  int64_t n = 0;
  for (const Entry& e : Entries(log, f)) n += e.action == action;
  return n;
}

// How many entries the log holds.
inline int64_t CountAll(AuditLog& log) { return static_cast<int64_t>(Entries(log).size()); }

// The newest entry's action ("" when the log is empty).
inline std::string LatestAction(AuditLog& log) {
  AuditLog::Filter f;
  f.limit = 1;
  auto page = log.List(f);
  return page.ok() && !page->empty() ? page->front().action : "";
}

// Removes the log's head row, so that every later Append fails as on a damaged database, until
// the test ends. The log's own table, written by the log's own test support.
inline Status BreakHead(db::Database& db) {
  return db.Write([](db::Tx& tx) { return tx.ExecScript("DELETE FROM audit_head"); });
}

}  // namespace baladiya::audit::testing

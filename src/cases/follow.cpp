// Following reports and merging duplicates (cases.h): a resident who finds an open report of the
// same service near theirs follows it instead of filing a duplicate; staff close a duplicate
// report by merging it into another, whose followers its applicant then joins. Followers are
// told of state changes through the outbox in the change's own transaction, as applicants are.
#include <algorithm>

#include "cases/cases.h"
#include "cases/cases_internal.h"

namespace baladiya::cases {
namespace {

using internal::AddEvent;
using internal::AuditCase;
using internal::ChangeOf;
using internal::kCaseColumns;
using internal::LoadCase;
using internal::ReadCase;
using internal::ReadCases;
using internal::Tell;

Error Refused(ErrorCode code, const char* key) {
  Error e = MakeError(code, key);
  e.fields["into"] = key;
  return e;
}

// The state a merged duplicate ends in: the workflow's final state "duplicate", else its first
// final state that does not mean the work was done, else its first final state.
const workflow::State* MergedState(const workflow::Workflow& wf) {
  for (const workflow::State& s : wf.states) {
    if (s.final && s.outcome == "merged") return &s;
  }
  if (const workflow::State* s = wf.FindState("duplicate"); s && s->final) return s;
  const workflow::State* any = nullptr;
  for (const workflow::State& s : wf.states) {
    if (!s.final) continue;
    if (!any) any = &s;
    if (s.key != "completed" && s.key != "fixed" && s.key != "resolved") return &s;
  }
  return any;
}

// Adds the account as a follower of the case (nothing when it already follows it).
Status AddFollower(db::Tx& tx, int64_t case_id, int64_t account_id, int64_t municipality_id,
                   const std::string& lang, const char* via, int64_t now_ms) {
  auto n = tx.Exec(
      "INSERT INTO case_followers (case_id, account_id, municipality_id, lang, via, since) VALUES "
      "(?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, account_id) DO NOTHING",
      {case_id, account_id, municipality_id, lang == "en" ? "en" : "ar", via, now_ms});
  if (!n.ok()) return std::move(n).error();
  return Ok();
}

}  // namespace

Result<int64_t> CaseStore::FollowerCount(int64_t case_id) {
  auto rows = d_.db->Query("SELECT count(*) FROM case_followers WHERE case_id = ?", {case_id});
  if (!rows.ok()) return std::move(rows).error();
  return (*rows)[0].Int(0);
}

Result<std::vector<CaseStore::Follower>> CaseStore::FollowersOf(int64_t case_id) {
  std::vector<Follower> out;
  if (!d_.outbox || !d_.reachable) return out;
  auto rows = d_.db->Query(
      "SELECT account_id, lang FROM case_followers WHERE case_id = ? ORDER BY account_id",
      {case_id});
  if (!rows.ok()) return std::move(rows).error();
  for (const auto& r : *rows) {
    Follower f{r.Int(0), r.Text(1), d_.reachable(r.Int(0))};
    if (!f.channels.empty()) out.push_back(std::move(f));
  }
  return out;
}

Status CaseStore::TellFollowers(db::Tx& tx, const Case& c, const catalog::Service& service,
                                const workflow::State& to, const std::vector<Follower>& followers,
                                int64_t now_ms, bool& queued) {
  if (!d_.outbox) return Ok();
  for (const Follower& f : followers) {
    if (f.account_id == c.applicant_id) continue;  // told as the applicant already
    const i18n::Lang lang = f.lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
    notify::Notification note;
    note.account_id = f.account_id;
    note.municipality_id = c.municipality_id;
    note.lang = f.lang;
    note.template_key = "case.followed_changed";
    note.params = {
        {"tracking", c.tracking}, {"service", service.name.In(lang)}, {"state", to.label.In(lang)}};
    if (Status e = Tell(d_, tx, f.channels, std::move(note), now_ms, queued); !e.ok()) return e;
  }
  return Ok();
}

Status CaseStore::Follow(int64_t case_id, const Draft& draft, const std::string& follower_lang,
                         const Actor& actor, int64_t now_ms, int64_t routed_service_id,
                         const std::string& details) {
  return d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    const bool same =
        c->municipality_id == draft.municipality_id && c->service_id == draft.service_id;
    if (!same && (routed_service_id == 0 || c->service_id != routed_service_id))
      return MakeError(ErrorCode::kInvalid, "cases.follow_mismatch");
    if (c->closed_at != 0) return MakeError(ErrorCode::kConflict, "cases.follow_closed");
    // The draft goes (its files first), unless it was submitted meanwhile.
    auto files =
        tx.Exec("DELETE FROM case_attachments WHERE draft_id = ? AND case_id = 0", {draft.id});
    if (!files.ok()) return std::move(files).error();
    auto gone = tx.Exec("DELETE FROM case_drafts WHERE id = ? AND account_id = ? AND case_id = 0",
                        {draft.id, draft.account_id});
    if (!gone.ok()) return std::move(gone).error();
    if (*gone == 0) return MakeError(ErrorCode::kConflict, "cases.draft_submitted");
    if (draft.account_id != c->applicant_id) {
      if (Status s = AddFollower(tx, c->id, draft.account_id, c->municipality_id, follower_lang,
                                 "follow", now_ms);
          !s.ok()) {
        return s;
      }
    }
    if (!details.empty()) {
      if (Status s =
              AddEvent(tx, *c, now_ms, "note", "", "", "", actor, details.substr(0, 4000), true);
          !s.ok())
        return s;
    }
    return AuditCase(d_.audit, tx, actor, "case.followed", c->tracking, c->municipality_id,
                     "channel=" + draft.channel, now_ms);
  });
}

Result<std::vector<Case>> CaseStore::Followed(int64_t account_id) {
  auto rows = d_.db->Query("SELECT " + std::string(kCaseColumns) +
                               " FROM cases WHERE id IN (SELECT case_id FROM case_followers WHERE "
                               "account_id = ?) ORDER BY submitted_at DESC, id DESC LIMIT 200",
                           {account_id});
  if (!rows.ok()) return std::move(rows).error();
  return ReadCases(*rows, key_);
}

Result<bool> CaseStore::Follows(int64_t case_id, int64_t account_id) {
  auto rows = d_.db->Query("SELECT 1 FROM case_followers WHERE case_id = ? AND account_id = ?",
                           {case_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty();
}

bool CaseStore::MayMerge(const workflow::Workflow& wf, std::string_view state,
                         const std::vector<std::string>& roles) {
  if (std::find(roles.begin(), roles.end(), "resident") != roles.end()) return false;
  return !workflow::AllowedTransitions(wf, state, roles).empty();
}

Result<Case> CaseStore::Merge(int64_t case_id, int64_t expected_version,
                              std::string_view into_tracking, const Actor& actor,
                              const workflow::Workflow& wf, const catalog::Service& service,
                              int64_t now_ms) {
  if (service.kind != catalog::ServiceKind::kReport)
    return Refused(ErrorCode::kInvalid, "cases.merge_not_report");
  const workflow::State* merged = MergedState(wf);
  if (!merged) return MakeError(ErrorCode::kInternal, "error.internal", "no final state");
  auto target = FindByTracking(into_tracking);
  if (!target.ok()) {
    if (target.error().code != ErrorCode::kNotFound) return std::move(target).error();
    return Refused(ErrorCode::kInvalid, "cases.merge_unknown");
  }
  // Looked up before the transaction: the single writer is not held while accounts are read.
  std::vector<notify::Channel> channels;
  if (d_.reachable) {
    auto applicant = d_.db->Query("SELECT applicant_id FROM cases WHERE id = ?", {case_id});
    if (!applicant.ok()) return std::move(applicant).error();
    if (!applicant->empty()) channels = d_.reachable((*applicant)[0].Int(0));
  }
  bool queued = false;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    if (c->service_id != service.id)
      return MakeError(ErrorCode::kInternal, "error.internal", "service of another case");
    if (c->version != expected_version)
      return MakeError(ErrorCode::kConflict, "cases.conflict", "the case changed meanwhile");
    if (c->closed_at != 0) return MakeError(ErrorCode::kConflict, "cases.merge_closed");
    if (target->id == c->id) return Refused(ErrorCode::kInvalid, "cases.merge_self");
    if (target->municipality_id != c->municipality_id)
      return Refused(ErrorCode::kInvalid, "cases.merge_other_municipality");
    if (target->service_id != c->service_id)
      return Refused(ErrorCode::kInvalid, "cases.merge_other_service");
    // Nobody works their own case (as Transition): not even to close it as a duplicate.
    if (actor.account_id == c->applicant_id || actor.account_id == c->filed_by)
      return MakeError(ErrorCode::kForbidden, "cases.own_case");
    if (!MayMerge(wf, c->state, actor.roles))
      return MakeError(ErrorCode::kForbidden, "cases.merge_not_allowed");
    // The target must still be open when this commits: the guarded no-op update takes its row
    // lock on PostgreSQL, so a transition closing it meanwhile waits or is seen.
    auto open =
        tx.Exec("UPDATE cases SET version = version WHERE id = ? AND closed_at = 0", {target->id});
    if (!open.ok()) return std::move(open).error();
    if (*open == 0) return Refused(ErrorCode::kInvalid, "cases.merge_target_closed");
    auto n = tx.Exec(
        "UPDATE cases SET state = ?, version = version + 1, state_entered_at = ?, paused_at = 0, "
        "closed_at = ?, updated_at = ? WHERE id = ? AND version = ?",
        {merged->key, now_ms, now_ms, now_ms, case_id, expected_version});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0)
      return MakeError(ErrorCode::kConflict, "cases.conflict", "the case changed meanwhile");
    if (Status e = AddEvent(tx, *c, now_ms, "merged", c->state, merged->key, "merge", actor,
                            target->tracking, false, "merged");
        !e.ok()) {
      return e;
    }
    if (Status e =
            AddEvent(tx, *target, now_ms, "merged_in", "", "", "merge", actor, c->tracking, true);
        !e.ok()) {
      return e;
    }
    if (Status e = AuditCase(d_.audit, tx, actor, "case.merged", c->tracking, c->municipality_id,
                             "into=" + target->tracking, now_ms);
        !e.ok()) {
      return e;
    }
    const StateChange change =
        ChangeOf("merged", *c, service, c->state, merged->key, true, now_ms, c->due_at);
    if (Status e = Observe(tx, change); !e.ok()) return e;
    // Whoever was told of the duplicate is told of the target from now on.
    if (c->applicant_id != target->applicant_id) {
      if (Status e = AddFollower(tx, target->id, c->applicant_id, c->municipality_id,
                                 c->applicant_lang, "merged", now_ms);
          !e.ok()) {
        return e;
      }
    }
    auto moved = tx.Exec(
        "INSERT INTO case_followers (case_id, account_id, municipality_id, lang, via, since) "
        "SELECT ?, account_id, municipality_id, lang, 'merged', ? FROM case_followers WHERE "
        "case_id = ? AND account_id <> ? ON CONFLICT (case_id, account_id) DO NOTHING",
        {target->id, now_ms, c->id, target->applicant_id});
    if (!moved.ok()) return std::move(moved).error();
    {
      const i18n::Lang lang = c->applicant_lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
      notify::Notification note;
      note.account_id = c->applicant_id;
      note.municipality_id = c->municipality_id;
      note.lang = c->applicant_lang;
      note.template_key = "case.merged";
      note.params = {{"tracking", c->tracking},
                     {"service", service.name.In(lang)},
                     {"target", target->tracking}};
      if (Status e = Tell(d_, tx, channels, std::move(note), now_ms, queued); !e.ok()) return e;
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (queued && d_.notified) d_.notified();
  return Get(case_id);
}

}  // namespace baladiya::cases

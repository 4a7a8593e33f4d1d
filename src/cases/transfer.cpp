// CaseStore::Transfer: a report moved by staff to the municipality whose area it is in.
#include <algorithm>

#include "cases/cases.h"
#include "cases/cases_internal.h"

namespace baladiya::cases {

Result<Case> CaseStore::Transfer(int64_t case_id, int64_t expected_version,
                                 const catalog::Service& from, const TransferTarget& to,
                                 const Actor& actor, int64_t now_ms) {
  if (!to.service || !to.workflow || !to.calendar)
    return MakeError(ErrorCode::kInternal, "error.internal", "incomplete transfer target");
  const catalog::Service& service = *to.service;
  const workflow::State* initial = to.workflow->FindState(to.workflow->initial);
  if (!initial) return MakeError(ErrorCode::kInternal, "error.internal", "no initial state");
  if (from.kind != catalog::ServiceKind::kReport || service.kind != catalog::ServiceKind::kReport)
    return MakeError(ErrorCode::kForbidden, "transfer.not_report");
  if (service.municipality_id == from.municipality_id)
    return MakeError(ErrorCode::kInvalid, "transfer.same_municipality");
  // Looked up before the transaction: the single writer is not held while accounts are read.
  std::vector<notify::Channel> channels;
  if (d_.reachable) {
    auto applicant = d_.db->Query("SELECT applicant_id FROM cases WHERE id = ?", {case_id});
    if (!applicant.ok()) return std::move(applicant).error();
    if (!applicant->empty()) channels = d_.reachable((*applicant)[0].Int(0));
  }
  const int64_t due = workflow::AddWorkingDays(*to.calendar, now_ms, std::max(service.sla_days, 1));
  bool queued = false;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = internal::LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    if (c->version != expected_version || c->service_id != from.id) {
      return MakeError(ErrorCode::kConflict, "cases.conflict", "the case changed meanwhile");
    }
    if (c->closed_at != 0) return MakeError(ErrorCode::kForbidden, "transfer.closed");
    auto n = tx.Exec(
        "UPDATE cases SET municipality_id = ?, service_id = ?, department_id = ?, state = ?, "
        "version = version + 1, state_entered_at = ?, due_at = ?, paused_at = 0, escalated = 0, "
        "assigned_to = 0, updated_at = ? WHERE id = ? AND version = ?",
        {service.municipality_id, service.id, service.department_id, to.workflow->initial, now_ms,
         due, now_ms, case_id, expected_version});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "cases.conflict", "the case changed");
    // The files go with the case (every tenant row carries its municipality).
    auto files = tx.Exec("UPDATE case_attachments SET municipality_id = ? WHERE case_id = ?",
                         {service.municipality_id, case_id});
    if (!files.ok()) return std::move(files).error();
    Case moved = *c;
    moved.municipality_id = service.municipality_id;
    moved.service_id = service.id;
    moved.department_id = service.department_id;
    if (Status e =
            internal::AddEvent(tx, moved, now_ms, "transferred", c->state, to.workflow->initial,
                               "transfer", actor, to.from_slug + ">" + to.to_slug, false);
        !e.ok()) {
      return e;
    }
    // Recorded under both municipalities: each one's auditors see the case leave or arrive.
    for (int64_t m : {c->municipality_id, service.municipality_id}) {
      if (Status e = internal::AuditCase(
              d_.audit, tx, actor, "case.transferred", c->tracking, m,
              "from=" + to.from_slug + " to=" + to.to_slug + " service=" + service.code, now_ms);
          !e.ok()) {
        return e;
      }
    }
    StateChange change{.kind = "transferred",
                       .case_id = c->id,
                       .tracking = c->tracking,
                       .municipality_id = service.municipality_id,
                       .department_id = service.department_id,
                       .service = &service,
                       .from_state = c->state,
                       .to_state = to.workflow->initial,
                       .final = initial->final,
                       .at = now_ms,
                       .due_at = due};
    if (Status e = Observe(tx, change); !e.ok()) return e;
    {
      const i18n::Lang lang = c->applicant_lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
      notify::Notification note;
      note.account_id = c->applicant_id;
      note.municipality_id = service.municipality_id;
      note.lang = c->applicant_lang;
      note.template_key = "case.transferred";
      note.params = {{"tracking", c->tracking},
                     {"service", service.name.In(lang)},
                     {"municipality", to.to_name.In(lang)}};
      if (Status e = internal::Tell(d_, tx, channels, std::move(note), now_ms, queued); !e.ok())
        return e;
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (queued && d_.notified) d_.notified();
  return Get(case_id);
}

}  // namespace baladiya::cases

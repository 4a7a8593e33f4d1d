// Workflows of services: states, transitions by role, SLA per state; the working calendar the
// SLAs count on; tracking numbers with a check digit. Pure functions; no storage (cases keeps
// each case's state and events).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/form_schema.h"
#include "platform/result.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::workflow {

struct State {
  std::string key;  // [a-z][a-z0-9_]{0,39}, unique
  catalog::Text label;
  bool final = false;
  // Working days a case may stay in this state before it is overdue (0 = no limit).
  int sla_days = 0;
  // The resident is waiting for the municipality (false: the municipality waits for the
  // resident, e.g. "needs_info", and the SLA clock of the case pauses).
  bool municipality_acts = true;
  // Entering this state raises an invoice for the case's fee (the payments module); paying it
  // takes the state's transition kPaidAction by itself. Never a final state.
  bool awaits_payment = false;
  // How a case ends in this final state (one of Outcomes(): "completed", "rejected",
  // "withdrawn", "merged"); empty for a state that is not final. A workflow stored before
  // outcomes existed reads each final state's outcome from its key (DefaultOutcome).
  std::string outcome;
  bool operator==(const State&) const = default;
};

// The outcomes a final state may have, in display order.
const std::vector<std::string>& Outcomes();
// The outcome a final state's key suggests: "rejected" for "rejected" and "reject..."/"refus..."/
// "denied", "withdrawn" for "withdrawn"/"withdraw..."/"cancel...", "merged" for "duplicate"/
// "merged", "completed" otherwise.
std::string DefaultOutcome(std::string_view key);
// The state's outcome: its own, or for a final state without one DefaultOutcome; empty when the
// state is not final.
std::string OutcomeOf(const State& s);

// The action a payment takes out of a state that awaits payment.
inline constexpr std::string_view kPaidAction = "paid";

struct Transition {
  std::string from;
  std::string to;
  std::string action;   // [a-z][a-z0-9_]{0,39}: "start_review", "ask_info", "approve", ...
  catalog::Text label;  // the button's text
  // Role names that may take it (identity's RoleName: "clerk", "department-head", ...; also
  // "resident" for the applicant). Municipal admins may take every staff transition.
  std::vector<std::string> roles;
  bool comment_required = false;
  bool operator==(const Transition&) const = default;
};

struct Workflow {
  std::string initial = "submitted";
  std::vector<State> states;
  std::vector<Transition> transitions;
  bool operator==(const Workflow&) const = default;

  const State* FindState(std::string_view key) const;
  const Transition* FindTransition(std::string_view from, std::string_view action) const;
};

// submitted -(start_review)-> in_review -(ask_info)-> needs_info -(answer: resident)-> in_review;
// in_review -(approve)-> approved -(complete)-> completed; in_review -(reject, comment)->
// rejected. Final: completed, rejected. SLA: submitted 2, in_review 5, approved 3 working days.
// Labels come from the catalogue: "workflow.state.<key>" and "workflow.action.<action>".
Workflow DefaultWorkflow(const i18n::Catalog& catalog);

// Refuses (kInvalid, message key "workflow.invalid", a detail naming the first problem for logs)
// with every problem found in Error::problems. States are checked first, then, when they are
// sound, transitions, then, when those are sound, the graph. Paths are in the JSON's terms
// (positions count from 0); {state}, {initial} and {from} are state keys:
//   workflow.problem.no_states         path {"states"}
//   workflow.problem.bad_key           {key}; {"states", i, "key"}: not [a-z][a-z0-9_]{0,39}
//   workflow.problem.state_twice       {key}; {"states", i, "key"} of the second one
//   workflow.problem.state_label       {state, in}; {"states", i, "label", lang}
//   workflow.problem.sla               {max}; {"states", i, "sla_days"}
//   workflow.problem.initial_missing   {initial}; {"initial"}: not one of the states
//   workflow.problem.no_final          {"states"}
//   workflow.problem.bad_action        {action, from}; {"transitions", i, "action"}
//   workflow.problem.unknown_state     {state}; {"transitions", i, "from"} or .. "to"
//   workflow.problem.leaves_final      {state}; {"transitions", i, "from"}
//   workflow.problem.no_roles          {action, from}; {"transitions", i, "roles"}
//   workflow.problem.unknown_role      {action, from, role}; {"transitions", i, "roles", r}
//   workflow.problem.transition_label  {action, from, in}; {"transitions", i, "label", lang}
//   workflow.problem.transition_twice  {action, from}; {"transitions", i, "action"} of the second
//   workflow.problem.unreachable       {state, initial}; {"states", i}: not reachable from initial
//   workflow.problem.dead_end          {state}; {"states", i}: no final state reachable from it
//   workflow.problem.payment_final     {state}; {"states", i, "awaits_payment"}: a final state
//                                      cannot await payment
//   workflow.problem.payment_initial   {state}; {"states", i, "awaits_payment"}: nor can the
//                                      initial state (a case is approved before it is charged)
//   workflow.problem.payment_exit      {state, action}; {"states", i, "awaits_payment"}: a state
//                                      awaiting payment has no transition kPaidAction out of it
//   workflow.problem.outcome           {state, outcome}; {"states", i, "outcome"}: a final
//                                      state's outcome is not one of Outcomes() (a state that
//                                      is not final has none: its outcome is ignored)
Status Validate(const Workflow& w);

// JSON {"initial":..,"states":[{"key","label":{ar,en},"final","sla_days","municipality_acts",
// "awaits_payment" (written only when true), "outcome" (final states; read as DefaultOutcome
// when missing)}],
// "transitions":[{"from","to","action","label","roles":[..],"comment_required"}]}; parsing also
// validates. A document of the wrong shape is refused like Validate refuses, with one problem,
// workflow.problem.malformed, whose path is the state or transition at fault ({"states", i}), or
// empty for the document as a whole.
Result<Workflow> ParseWorkflow(std::string_view json);
std::string WorkflowToJson(const Workflow& w);

// The transitions out of `state` that someone holding any of `roles` may take (never the
// kPaidAction transition out of a state that awaits payment: only a payment takes it).
std::vector<const Transition*> AllowedTransitions(const Workflow& w, std::string_view state,
                                                  const std::vector<std::string>& roles);

// ---- working calendar -----------------------------------------------------------------------

struct Calendar {
  std::set<int> rest_weekdays = {5};  // 0 = Sunday ... 6 = Saturday; Friday by default
  std::set<std::string> holidays;     // "YYYY-MM-DD"
  std::string time_zone = "Asia/Hebron";
};

// Days are counted in the calendar's time zone.
// The civil day of an instant in the calendar's time zone, numbered from 1970-01-01 (day 0).
int64_t LocalDayOf(const Calendar& c, int64_t epoch_ms);
bool IsWorkingDay(const Calendar& c, int64_t epoch_ms);
// The end (23:59:59.999 local time) of the n-th working day after the day of start_ms (n >= 1;
// the day of start itself never counts). n == 0 returns start_ms.
int64_t AddWorkingDays(const Calendar& c, int64_t start_ms, int n);
// Working days strictly after the day of from_ms up to and including the day of to_ms (0 when
// to_ms is not later).
int WorkingDaysBetween(const Calendar& c, int64_t from_ms, int64_t to_ms);

// ---- tracking numbers -----------------------------------------------------------------------

// "HEB-26-000123-3": municipality prefix (2-5 ASCII capitals), two-digit year, sequence (at least
// six digits), and a check digit (the Damm algorithm over the year and sequence digits) that
// catches every single-digit error and every swap of two adjacent digits.
std::string TrackingNumber(std::string_view prefix, int year, int64_t sequence);

struct TrackingParts {
  std::string prefix;
  int year = 0;  // two digits
  int64_t sequence = 0;
};
// Accepts lower case, Arabic-Indic digits, spaces instead of dashes; nullopt when malformed or the
// check digit is wrong.
std::optional<TrackingParts> ParseTrackingNumber(std::string_view text);

// The workflow module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::workflow

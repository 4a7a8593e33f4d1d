// The fold (fold.h): records, contributions, cursors.
#include "analytics/fold.h"

#include <algorithm>
#include <chrono>

namespace baladiya::analytics {

const std::vector<std::string>& Channels() {
  static const std::vector<std::string> kChannels = {"web", "api", "open311", "counter", "phone"};
  return kChannels;
}

bool IsDigital(std::string_view channel) {
  return channel == "web" || channel == "api" || channel == "open311";
}

Counts& Counts::operator+=(const Counts& o) {
  started += o.started;
  submitted += o.submitted;
  completed += o.completed;
  rejected += o.rejected;
  merged += o.merged;
  withdrawn += o.withdrawn;
  within_sla += o.within_sla;
  reopened += o.reopened;
  rated += o.rated;
  for (size_t i = 0; i < scores.size(); ++i) scores[i] += o.scores[i];
  return *this;
}

const std::vector<std::string>& PaymentChannels() {
  static const std::vector<std::string> kChannels = {"counter", "bank", "card"};
  return kChannels;
}

PaymentCounts& PaymentCounts::operator+=(const PaymentCounts& o) {
  raised += o.raised;
  voided += o.voided;
  paid += o.paid;
  collected_minor += o.collected_minor;
  refunded_minor += o.refunded_minor;
  return *this;
}

int64_t MonthOfDay(int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(day))};
  return int64_t{static_cast<int>(ymd.year())} * 100 + static_cast<unsigned>(ymd.month());
}

int64_t FirstDayOfMonth(int64_t month) {
  const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(month / 100)),
                                        std::chrono::month(static_cast<unsigned>(month % 100)),
                                        std::chrono::day(1)};
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

int64_t AddMonths(int64_t month, int n) {
  int64_t index = (month / 100) * 12 + (month % 100 - 1) + n;
  return (index / 12) * 100 + index % 12 + 1;
}

namespace internal {

namespace {

// The facts of a service the catalogue no longer knows: the default workflow's.
ServiceFacts DefaultFacts() {
  ServiceFacts f;
  f.outcomes = {{"completed", "completed"}, {"rejected", "rejected"}, {"duplicate", "merged"}};
  f.waiting_states = {"needs_info"};
  return f;
}

}  // namespace

Result<const ServiceFacts*> Folder::Facts(int64_t service_id) {
  auto it = facts_.find(service_id);
  if (it != facts_.end()) return &it->second;
  auto f = src_.service(service_id);
  if (!f.ok()) {
    if (f.error().code != ErrorCode::kNotFound) return std::move(f).error();
    return &facts_.emplace(service_id, DefaultFacts()).first->second;
  }
  return &facts_.emplace(service_id, std::move(*f)).first->second;
}

Result<const workflow::Calendar*> Folder::Calendar(int64_t municipality_id) {
  auto it = calendars_.find(municipality_id);
  if (it != calendars_.end()) return &it->second;
  auto c = src_.calendar(municipality_id);
  if (!c.ok()) {
    if (c.error().code != ErrorCode::kNotFound) return std::move(c).error();
    return &calendars_.emplace(municipality_id, workflow::Calendar{}).first->second;
  }
  return &calendars_.emplace(municipality_id, std::move(*c)).first->second;
}

Counts& Folder::Cell(int64_t municipality_id, int64_t service_id, const std::string& channel,
                     int64_t day, Counts*& monthly) {
  monthly = &deltas.monthly[{municipality_id, service_id, channel, MonthOfDay(day)}];
  return deltas.daily[{municipality_id, service_id, channel, day}];
}

// What the record adds to the cells (sign +1) or takes away (-1). Each count is placed on the
// day it happened, in the municipality, service and channel where the case is now.
Status Folder::Contribute(const CaseRecord& r, int sign) {
  auto cal = Calendar(r.municipality_id);
  if (!cal.ok()) return std::move(cal).error();
  const workflow::Calendar& c = **cal;
  Counts* month = nullptr;
  auto add = [&](int64_t day, auto&& change) {
    Counts& d = Cell(r.municipality_id, r.service_id, r.channel, day, month);
    change(d);
    change(*month);
  };
  const int64_t submitted_day = workflow::LocalDayOf(c, r.submitted_at);
  if (r.draft_day < 0) {
    add(submitted_day, [&](Counts& x) { x.started += sign; });
  } else if (r.draft_municipality_id != r.municipality_id || r.draft_service_id != r.service_id) {
    // The draft's start was counted where it was begun (FoldDraft); the case counts it where it
    // is now.
    add(r.draft_day, [&](Counts& x) { x.started += sign; });
    Counts* other_month = nullptr;
    Counts& other =
        Cell(r.draft_municipality_id, r.draft_service_id, r.channel, r.draft_day, other_month);
    other.started -= sign;
    other_month->started -= sign;
  }
  add(submitted_day, [&](Counts& x) { x.submitted += sign; });
  if (!r.open()) {
    auto facts = Facts(r.service_id);
    if (!facts.ok()) return std::move(facts).error();
    const int64_t closed_day = workflow::LocalDayOf(c, r.closed_at);
    // A merged duplicate or a withdrawn application was not processed to its end: it counts
    // neither in the processing times nor against the SLA.
    const bool processed = r.outcome == "completed" || r.outcome == "rejected";
    const int days = workflow::WorkingDaysBetween(c, r.submitted_at, r.closed_at);
    const bool within = (*facts)->sla_days <= 0 || days - r.paused_days <= (*facts)->sla_days;
    add(closed_day, [&](Counts& x) {
      if (r.outcome == "merged") {
        x.merged += sign;
      } else if (r.outcome == "withdrawn") {
        x.withdrawn += sign;
      } else {
        (r.outcome == "rejected" ? x.rejected : x.completed) += sign;
        if (within) x.within_sla += sign;
      }
    });
    if (processed) {
      DurationKey k{{r.municipality_id, r.service_id, r.channel, MonthOfDay(closed_day)},
                    std::min(days, 999)};
      deltas.durations[k] += sign;
    }
  }
  if (r.reopened > 0) {
    add(workflow::LocalDayOf(c, r.reopened_at),
        [&](Counts& x) { x.reopened += sign * r.reopened; });
  }
  if (r.score >= 1 && r.score <= 5) {
    add(workflow::LocalDayOf(c, r.rated_at), [&](Counts& x) {
      x.rated += sign;
      x.scores[r.score - 1] += sign;
    });
  }
  return Ok();
}

Status Folder::FoldCase(const cases::FeedEntry& e) {
  auto it = records.find(e.case_id);
  const bool known = it != records.end();
  if (!known && e.kind != "submitted" && e.submitted_at == 0) return Ok();
  CaseRecord before;
  CaseRecord r;
  if (known) {
    before = it->second;
    r = before;
    if (e.kind == "submitted") return Ok();  // already folded
  } else {
    auto facts = Facts(e.service_id);
    if (!facts.ok()) return std::move(facts).error();
    r.case_id = e.case_id;
    r.municipality_id = e.municipality_id;
    r.service_id = e.service_id;
    r.department_id = e.department_id;
    // Open311 files through the API; its submission event says so.
    r.channel = e.kind == "submitted" && e.actor_channel == "open311" ? "open311" : e.case_channel;
    r.report = (*facts)->report;
    r.submitted_at = e.kind == "submitted" ? e.at : e.submitted_at;
    r.state = e.kind == "submitted" ? e.to_state : e.from_state;
    if (e.draft_started_at > 0) {
      auto dcal = Calendar(e.draft_municipality_id);
      if (!dcal.ok()) return std::move(dcal).error();
      r.draft_day = workflow::LocalDayOf(**dcal, e.draft_started_at);
      r.draft_municipality_id = e.draft_municipality_id;
      r.draft_service_id = e.draft_service_id;
    }
  }
  r.due_at = e.due_at;
  auto facts = Facts(r.service_id);
  if (!facts.ok()) return std::move(facts).error();
  auto cal = Calendar(r.municipality_id);
  if (!cal.ok()) return std::move(cal).error();
  // Waiting for the applicant ends with any move out of the waiting state.
  auto end_pause = [&] {
    if (r.paused_since > 0) {
      r.paused_days += workflow::WorkingDaysBetween(**cal, r.paused_since, e.at);
      r.paused_since = 0;
    }
  };
  if (e.kind == "transition") {
    end_pause();
    r.state = e.to_state;
    // The outcome the event carries; an event written before the feed carried outcomes takes
    // the one the service's workflow gives its state.
    auto final_state = (*facts)->outcomes.find(e.to_state);
    if (!e.outcome.empty() || final_state != (*facts)->outcomes.end()) {
      r.outcome = !e.outcome.empty() ? e.outcome : final_state->second;
      if (r.outcome != "rejected" && r.outcome != "withdrawn" && r.outcome != "merged") {
        r.outcome = "completed";
      }
      r.closed_at = e.at;
    } else if ((*facts)->waiting_states.contains(e.to_state)) {
      r.paused_since = e.at;
    }
  } else if (e.kind == "reopened") {
    end_pause();
    r.state = e.to_state;
    r.outcome.clear();
    r.closed_at = 0;
    r.reopened += 1;
    r.reopened_at = e.at;
  } else if (e.kind == "merged") {
    end_pause();
    r.state = e.to_state;
    r.outcome = "merged";
    r.closed_at = e.at;
  } else if (e.kind == "transferred") {
    end_pause();
    r.state = e.to_state;
    r.municipality_id = e.municipality_id;
    r.service_id = e.service_id;
    r.department_id = e.department_id;
    auto moved = Facts(r.service_id);
    if (!moved.ok()) return std::move(moved).error();
    r.report = (*moved)->report;
  } else if (e.kind == "rated") {
    if (r.score == 0) {
      r.score = e.score;
      r.rated_at = e.at;
    }
  }
  if (known && r == before) return Ok();
  if (known) {
    if (Status st = Contribute(before, -1); !st.ok()) return st;
  }
  if (Status st = Contribute(r, +1); !st.ok()) return st;
  records[r.case_id] = std::move(r);
  touched.insert(e.case_id);
  return Ok();
}

Status Folder::FoldDraft(const cases::DraftStart& d) {
  auto cal = Calendar(d.municipality_id);
  if (!cal.ok()) return std::move(cal).error();
  Counts* month = nullptr;
  Cell(d.municipality_id, d.service_id, d.channel, workflow::LocalDayOf(**cal, d.at), month)
      .started += 1;
  month->started += 1;
  return Ok();
}

Status Folder::FoldFact(const FeedFact& f) {
  auto cal = Calendar(f.municipality_id);
  if (!cal.ok()) return std::move(cal).error();
  deltas.facts[{f.municipality_id, workflow::LocalDayOf(**cal, f.at), f.kind}] += 1;
  return Ok();
}

// Each entry adds to its own cells alone (a void takes away what its payment added), so entries
// may be folded in any order.
Status Folder::FoldPayment(const PaymentFact& p) {
  auto cal = Calendar(p.municipality_id);
  if (!cal.ok()) return std::move(cal).error();
  const workflow::Calendar& c = **cal;
  auto month = [&](int64_t ms) { return MonthOfDay(workflow::LocalDayOf(c, ms)); };
  auto cell = [&](int64_t ms, const std::string& channel) -> PaymentCounts& {
    return deltas.payments[{p.municipality_id, month(ms), channel, p.currency}];
  };
  auto delay = [&](int64_t paid_at, int sign) {
    const int64_t days = std::clamp<int64_t>(
        workflow::LocalDayOf(c, paid_at) - workflow::LocalDayOf(c, p.invoice_at), 0, 999);
    deltas.payment_delays[{p.municipality_id, month(paid_at), static_cast<int>(days)}] += sign;
  };
  if (p.kind == "invoice_raised") {
    cell(p.at, "").raised += 1;
  } else if (p.kind == "invoice_voided") {
    cell(p.at, "").voided += 1;
  } else if (p.kind == "payment_posted") {
    PaymentCounts& x = cell(p.at, p.channel);
    x.paid += 1;
    x.collected_minor += p.amount_minor;
    delay(p.at, +1);
  } else if (p.kind == "payment_voided") {
    const int64_t posted = p.paid_at > 0 ? p.paid_at : p.at;
    PaymentCounts& x = cell(posted, p.channel);
    x.paid -= 1;
    x.collected_minor -= p.amount_minor;
    delay(posted, -1);
  } else if (p.kind == "payment_refunded") {
    PaymentCounts& x = cell(p.at, p.channel);
    x.refunded_minor += p.amount_minor;
    x.collected_minor -= p.amount_minor;
  }
  return Ok();
}

void Cursor::Advance(int64_t now_ms) {
  while (!seen.empty()) {
    auto first = seen.begin();
    if (first->first <= position) {
      seen.erase(first);
      continue;
    }
    // The next position, or a gap old enough to be a transaction that rolled back.
    if (first->first == position + 1 || now_ms - first->second > kGapWaitMs) {
      position = first->first;
      seen.erase(first);
      continue;
    }
    break;
  }
}

}  // namespace internal
}  // namespace baladiya::analytics

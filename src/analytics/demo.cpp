// `baladiya seed --demo` for analytics (web.h SeedDemo): the master data of Hebron, Nablus and
// Ramallah, and a plausible year of cases filed, worked, rated and reopened through the case
// store's public functions (never its tables), so that the performance pages show figures; then
// the ledger folds them. Runs once: the cases are seeded only while Hebron has no population set.
#include <random>

#include "analytics/web.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "workflow/services.h"

namespace baladiya::analytics {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kHour = 3'600'000;

struct DemoTown {
  const char* slug;
  int64_t population;
  int population_year;
  double lat, lng;  // a point inside the municipality
  int per_month;    // applications and reports a month
  int digital_percent;
};
// Populations: the Palestinian Central Bureau of Statistics' 2017 census (rounded).
constexpr DemoTown kTowns[] = {
    {"hebron", 215'000, 2017, 31.5326, 35.0998, 46, 52},
    {"nablus", 156'900, 2017, 32.2211, 35.2544, 38, 61},
    {"ramallah", 38'900, 2017, 31.9038, 35.2034, 30, 78},
};

// Answers valid for the form, or nullopt when it needs files (the seed sends none).
std::optional<catalog::Answers> AnswersFor(const catalog::Service& s, const std::string& point) {
  catalog::Answers a;
  for (const auto& page : s.form.pages) {
    for (const auto& f : page.fields) {
      if (f.show_if) {
        auto it = a.find(f.show_if->field);
        if (it == a.end() || std::find(it->second.begin(), it->second.end(), f.show_if->equals) ==
                                 it->second.end()) {
          continue;
        }
      }
      if (!f.required) continue;
      using T = catalog::FieldType;
      switch (f.type) {
        case T::kSingleChoice:
        case T::kMultipleChoice:
          a[f.name] = {f.options.front().value};
          break;
        case T::kText:
          a[f.name] = {"حوض ٥ قطعة ١٢"};
          break;
        case T::kLongText:
          a[f.name] = {"بلاغ تجريبي من بيانات العرض"};
          break;
        case T::kNumber:
          a[f.name] = {std::to_string(f.min.value_or(1))};
          break;
        case T::kDate:
          a[f.name] = {"2026-05-01"};
          break;
        case T::kYesNo:
          a[f.name] = {"no"};
          break;
        case T::kNationalId:
          a[f.name] = {"000000018"};
          break;
        case T::kPhone:
          a[f.name] = {"+970599000001"};
          break;
        case T::kEmail:
          a[f.name] = {"resident@example.org"};
          break;
        case T::kLocation:
          a[f.name] = {point};
          break;
        case T::kFile:
          return std::nullopt;
      }
    }
  }
  return a;
}

struct Usable {
  catalog::Service service;
  workflow::Workflow wf;
  catalog::Answers answers;
};

Status SeedTown(module::Context& ctx, const DemoTown& town, std::mt19937& rng, int& made) {
  auto& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  auto& services = ctx.parts.Get<catalog::ServiceStore>();
  auto& cases = ctx.parts.Get<cases::CaseStore>();
  auto m = tenancy.FindMunicipality(town.slug);
  if (!m.ok()) return Ok();  // not in this directory
  auto list = services.List(m->id, true);
  if (!list.ok()) return std::move(list).error();
  std::vector<Usable> usable;
  for (const auto& s : *list) {
    auto answers = AnswersFor(s, "");
    auto wf = workflow::ForService(s, *ctx.site.catalog);
    if (answers && wf.ok()) usable.push_back({s, std::move(*wf), std::move(*answers)});
  }
  if (usable.empty()) return Ok();
  auto calendar = workflow::CalendarOf(services, m->id);
  if (!calendar.ok()) return std::move(calendar).error();
  const std::string prefix = workflow::TrackingPrefix(m->slug);
  const int64_t now = ctx.now_ms();
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  // Staff may not work cases they filed: the seed's staff is an account of its own.
  const cases::Actor staff{999'999'999, "demo-staff", {"department-head"}, "web", "seed"};
  for (int day = 365; day >= 1; --day) {
    const int per_day = town.per_month / 30 + (pick(30) < town.per_month % 30 ? 1 : 0);
    for (int k = 0; k < per_day + pick(2); ++k) {
      const Usable& u = usable[static_cast<size_t>(pick(static_cast<int>(usable.size())))];
      const int64_t at = now - day * kDay + (8 + pick(8)) * kHour + pick(3600) * 1000;
      const int64_t applicant = 900'000'000 + pick(5000);
      std::string channel = "web";
      const bool digital = pick(100) < town.digital_percent;
      if (digital) {
        channel = pick(5) == 0 ? "api" : "web";
      } else {
        channel = pick(3) == 0 ? "phone" : "counter";
      }
      if (!u.service.Offers(channel)) channel = u.service.Offers("counter") ? "counter" : "web";
      if (channel == "web" && pick(6) == 0) {
        (void)cases.CreateDraft(applicant, u.service, "web", 0, at - kHour);  // abandoned
      }
      cases::CaseStore::DirectSubmission in;
      in.applicant_id = applicant;
      in.channel = channel;
      in.filed_by = channel == "counter" || channel == "phone" ? 1 : 0;
      in.answers = u.answers;
      // Reports lie 1 to 1.5 km from the town's point, scattered, so that they never crowd the
      // 50 m duplicate check of reports filed near it.
      char point[64];
      std::snprintf(point, sizeof point, "%.5f,%.5f", town.lat + 0.009 + pick(500) / 1e5,
                    town.lng + 0.009 + pick(500) / 1e5);
      for (auto& [field, values] : in.answers) {
        if (values.size() == 1 && values[0].empty()) values[0] = point;
      }
      const cases::Actor applicant_actor{
          applicant,
          "demo-resident",
          {"resident"},
          channel == "api" && u.service.kind == catalog::ServiceKind::kReport && pick(2) ? "open311"
                                                                                         : channel,
          "seed"};
      auto c = cases.SubmitAnswers(in, applicant_actor, u.service, u.wf, *calendar, prefix, at);
      if (!c.ok()) continue;
      ++made;
      // Work it: most are done within their SLA, some late, the latest still open.
      cases::Case cur = *c;
      int64_t t = at;
      auto move = [&](const char* action, int64_t after, const std::string& comment = "") {
        if (t + after >= now) return false;
        t += after;
        auto next = cases.Transition(cur.id, cur.version, action, comment, staff, u.wf, *calendar,
                                     u.service, t);
        if (!next.ok()) return false;
        cur = *next;
        return true;
      };
      const int64_t pace = (1 + pick(u.service.sla_days > 0 ? u.service.sla_days : 5)) * kDay;
      const bool reject = pick(10) == 0;
      const bool late = pick(5) == 0;
      // Along the service's own workflow: review, approve and complete where it has those
      // steps, else the first step on that leads neither to a rejection nor to waiting.
      bool asked = false;
      for (int step = 0; step < 8; ++step) {
        const workflow::State* here = u.wf.FindState(cur.state);
        if (!here || here->final) break;
        auto allowed = workflow::AllowedTransitions(u.wf, cur.state, staff.roles);
        if (allowed.empty()) break;
        const workflow::Transition* chosen = nullptr;
        for (const auto* tr : allowed) {
          const workflow::State* to = u.wf.FindState(tr->to);
          const bool rejects = to && workflow::OutcomeOf(*to) == "rejected";
          const bool waits = to && !to->municipality_acts;
          if (reject && rejects && to && to->final) chosen = tr;
          if (!chosen && !rejects && !waits) chosen = tr;
          if (!asked && waits && pick(8) == 0) {
            chosen = tr;
            break;
          }
        }
        if (!chosen) break;
        const workflow::State* to = u.wf.FindState(chosen->to);
        if (to && !to->municipality_acts) {
          asked = true;
          if (!move(chosen->action.c_str(), kDay, "مطلوب وثيقة إضافية")) break;
          t += (1 + pick(4)) * kDay;
          if (t >= now) break;
          auto back = workflow::AllowedTransitions(u.wf, cur.state, applicant_actor.roles);
          if (back.empty()) break;
          auto answered = cases.Transition(cur.id, cur.version, back.front()->action, "",
                                           applicant_actor, u.wf, *calendar, u.service, t);
          if (!answered.ok()) break;
          cur = *answered;
          continue;
        }
        const int64_t after = (late && to && to->final) ? pace * 2 : pace / 3 + pick(10) * kHour;
        if (!move(chosen->action.c_str(), after, chosen->comment_required ? "بحسب الأصول" : ""))
          break;
      }
      if (cur.closed_at == 0) continue;
      if (pick(10) < 6 && t + kDay < now) {
        const int score = std::min(5, 2 + pick(4) + (pick(3) == 0 ? 1 : 0));
        // Every fourth rated case says a word (what staff read on the service's ratings page).
        static const char* const kComments[] = {
            "انتظرت طويلاً ولم يتصل بي أحد.", "الإجراءات معقدة والموعد تأخر.",
            "الخدمة مقبولة لكن الرد كان بطيئًا.", "خدمة جيدة وسريعة، شكرًا.",
            "ممتاز، أنجزت الطلب من البيت دون مراجعة البلدية."};
        (void)cases.Rate(cur.id, score, cur.id % 4 == 0 ? kComments[score - 1] : "",
                         applicant_actor, t + kDay);
      }
      if (pick(25) == 0 && t + 2 * kDay < now) {
        (void)cases.Reopen(cur.id, cur.version, 30, applicant_actor, u.wf, *calendar, u.service,
                           t + 2 * kDay);
      }
    }
  }
  return Ok();
}

}  // namespace

Status SeedDemo(module::Context& ctx) {
  auto& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  MasterData& master = ctx.parts.Get<MasterData>();
  auto hebron = tenancy.FindMunicipality("hebron");
  bool seeded = false;
  if (hebron.ok()) {
    auto facts = master.Get(hebron->id);
    if (!facts.ok()) return std::move(facts).error();
    seeded = facts->population > 0;
  }
  if (!seeded) {
    std::mt19937 rng(20261207);
    int made = 0;
    for (const auto& town : kTowns) {
      if (Status st = SeedTown(ctx, town, rng, made); !st.ok()) return st;
    }
    for (const auto& town : kTowns) {
      auto m = tenancy.FindMunicipality(town.slug);
      if (!m.ok()) continue;
      MunicipalityFacts f;
      f.municipality_id = m->id;
      f.population = town.population;
      f.population_source = "PCBS census";
      f.population_year = town.population_year;
      f.cost_minor = {
          {"web", 150}, {"api", 80}, {"open311", 80}, {"counter", 1800}, {"phone", 900}};
      if (Status st = master.Set(f, ctx.now_ms()); !st.ok()) return st;
    }
    if (!ctx.quiet) std::printf("demo KPI history: %d cases filed and worked\n", made);
  }
  Ledger& ledger = ctx.parts.Get<Ledger>();
  for (;;) {
    auto n = ledger.CatchUp(ctx.now_ms(), 5000, 100);
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) break;
  }
  return Ok();
}

}  // namespace baladiya::analytics

// The participation module as the program is built from it (platform/module/module.h): the store,
// the public and staff pages, the links from the account page, and the demo's process in Hebron.
#include "platform/module/module.h"

#include <cstdio>

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "notify/notify.h"
#include "participation/participation.h"
#include "participation/web.h"
#include "platform/crypto/crypto.h"

std::span<const baladiya::EmbeddedFile> ParticipationMessageFiles();
std::span<const baladiya::EmbeddedFile> ParticipationTemplateFiles();
std::span<const baladiya::EmbeddedFile> ParticipationOpenApiFiles();

namespace baladiya::participation {
namespace {

bool Holds(const identity::Principal& who, identity::Role role) {
  for (const identity::Grant& g : who.grants) {
    if (g.role == role) return true;
  }
  return false;
}

Status Open(module::Context& ctx) {
  ctx.parts.Own(std::make_unique<Store>(ctx.db, ctx.parts.Get<identity::AccountStore>(),
                                        &ctx.parts.Get<audit::AuditLog>(),
                                        &ctx.parts.Get<notify::Outbox>()));
  identity::WebServices& ids = ctx.parts.Get<identity::WebServices>();
  ids.account_links.push_back(
      {"participation.link_admin", "/participation/admin", [](const identity::Principal& who) {
         return Holds(who, identity::Role::kParticipationOfficer) ||
                Holds(who, identity::Role::kMunicipalAdmin);
       }});
  ids.account_links.push_back(
      {"participation.link_verify", "/participation/verify",
       [](const identity::Principal& who) { return Holds(who, identity::Role::kCounterClerk); }});
  // The SMS gateway authenticates its inbound messages with its bearer token, never a session.
  ids.self_authenticating_paths.push_back(std::string(kSmsInboundPath));
  return Ok();
}

Status Routes(module::Context& ctx) {
  auto error_page = ctx.web->error_page;
  WebOptions o;
  o.store = &ctx.parts.Get<Store>();
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.accounts = &ctx.parts.Get<identity::AccountStore>();
  o.ids = &ctx.parts.Get<identity::WebServices>();
  o.site = &ctx.site;
  o.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  o.now_ms = ctx.now_ms;
  if (auto* wake = ctx.parts.Find<notify::Notifier>()) {
    o.notified = [wake] { wake->Wake(); };
  }
  o.comment_quota = std::make_shared<identity::Quota>(5, std::chrono::seconds(60));
  o.outbox = &ctx.parts.Get<notify::Outbox>();
  o.sms_token = ctx.settings.Text("sms-token");
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  AddPublicRoutes(routes, o);
  AddStaffRoutes(routes, o);
  AddVoteRoutes(routes, o);
  AddRecommendationRoutes(routes, o);
  AddMeetingRoutes(routes, o);
  AddOrganisationRoutes(routes, o);
  AddApiRoutes(routes, o);
  return Ok();
}

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

// The demo: Hebron's strategic plan 2026-2030, open for proposals, with two proposals by a
// verified demo resident (national ID 300000007; nobody signs in as them).
Status SeedDemo(module::Context& ctx) {
  auto m = ctx.parts.Get<catalog::TenancyStore>().FindMunicipality("hebron");
  if (!m.ok()) return m.error().code == ErrorCode::kNotFound ? Ok() : Status(std::move(m).error());
  Store& store = ctx.parts.Get<Store>();
  auto existing = store.Processes(m->id);
  if (!existing.ok()) return std::move(existing).error();
  if (!existing->empty()) return Ok();
  identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
  const int64_t now = ctx.now_ms();
  const identity::AuditContext actx{"system", "seed", m->id};
  identity::ResidentRegistration r;
  r.national_id = "300000007";
  r.full_name_ar = "ليلى التميمي";
  r.full_name_en = "Layla Al-Tamimi";
  r.phone = "0599300007";
  r.password = crypto::RandomToken(18);
  int64_t author = 0;
  auto id = accounts.RegisterResident(r, ctx.parts.Get<identity::PasswordHasher>(), actx, now);
  if (id.ok()) {
    author = *id;
  } else if (id.error().code == ErrorCode::kConflict) {
    auto c = accounts.FindForLogin(r.national_id);
    if (!c.ok()) return std::move(c).error();
    author = c->account_id;
  } else {
    return std::move(id).error();
  }
  if (Status s = accounts.MarkVerified(author, "counter", actx, now); !s.ok()) return s;
  const int64_t today = now - now % kDay;
  ProcessInput in;
  in.title_ar = "الخطة الاستراتيجية ٢٠٢٦–٢٠٣٠";
  in.title_en = "Strategic plan 2026–2030";
  in.summary_ar =
      "تعدّ البلدية خطتها الاستراتيجية للسنوات الخمس القادمة. قدّموا اقتراحاتكم وادعموا اقتراحات "
      "جيرانكم: كل اقتراح يبلغ ٥٠ داعماً تجيب عنه البلدية رسمياً خلال ٣٠ يوماً.";
  in.summary_en =
      "The municipality is drawing up its plan for the next five years. Make proposals and support "
      "your neighbours': every proposal that reaches 50 supporters gets an official answer within "
      "30 days.";
  in.threshold = 50;
  in.answer_days = 30;
  in.phases = {{Phase::kInformation, today - 30 * kDay, today - 10 * kDay},
               {Phase::kProposals, today - 10 * kDay, today + 50 * kDay},
               {Phase::kDebate, today + 50 * kDay, today + 70 * kDay},
               {Phase::kVoting, today + 70 * kDay, today + 90 * kDay},
               {Phase::kImplementation, today + 90 * kDay, today + 1500 * kDay}};
  const Actor system{0, "system", "seed"};
  auto p = store.CreateProcess(m->id, in, system, now);
  if (!p.ok()) return std::move(p).error();
  const Actor layla{author, "seed", "seed"};
  for (auto [title, body] : {std::pair<const char*, const char*>{
                                 "ممرات مشاة آمنة حول المدارس",
                                 "خطوط عبور مطلية وإشارات ومطبات تخفيف سرعة أمام مدارس البلدة "
                                 "القديمة وعين سارة."},
                             {"حديقة عامة في حي الحرس",
                              "تحويل الأرض البلدية المهملة قرب "
                              "دوار الحرس إلى حديقة للأطفال."}}) {
    auto x = store.Propose(*p, layla, title, body, now);
    if (!x.ok()) return std::move(x).error();
  }
  // An NGO the demo resident runs, verified at the counter, with a proposal made in its name; and
  // a university waiting for verification (on the officer's page).
  auto ngo = store.RegisterOrganisation(
      m->id, {"جمعية أصدقاء البلدة القديمة", OrgKind::kNgo, "HE-NGO-0231"}, layla, now);
  if (!ngo.ok()) return std::move(ngo).error();
  if (Status s = store.VerifyOrganisation(*ngo, "شهادة التسجيل وهوية رئيسة الجمعية", system, now);
      !s.ok()) {
    return s;
  }
  if (auto x = store.Propose(*p, layla, "دليل سياحي للبلدة القديمة",
                             "لوحات إرشادية بالعربية والإنجليزية على مسار الزوار من باب الزاوية "
                             "إلى الحرم الإبراهيمي.",
                             now, ngo->token);
      !x.ok()) {
    return std::move(x).error();
  }
  if (auto u = store.RegisterOrganisation(
          m->id, {"جامعة الخليل", OrgKind::kUniversity, "HE-UNI-0007"}, layla, now);
      !u.ok()) {
    return std::move(u).error();
  }
  std::printf("  participation: %s, open for proposals\n", p->title_en.c_str());

  // Recommendations of the plan's workshops, followed to the end: one accepted with milestones
  // (one of them overdue), one partly accepted, one awaiting its response.
  auto departments = ctx.parts.Get<catalog::TenancyStore>().Departments(m->id);
  if (!departments.ok()) return std::move(departments).error();
  const int64_t dep = departments->empty() ? 0 : departments->front().id;
  const int64_t dep2 = departments->size() > 1 ? (*departments)[1].id : dep;
  struct DemoRec {
    const char* ref;
    const char* title;
    const char* body;
    std::optional<Response> response;
    const char* reasons;
    int64_t department;
  };
  const DemoRec recs[] = {
      {"ورشة البلدة القديمة، آذار ٢٠٢٦", "ترميم أسواق البلدة القديمة",
       "ترميم سقوف وواجهات سوق اللبن وسوق القزازين بالتعاون مع لجنة الإعمار.", Response::kAccepted,
       "أُدرج المشروع في موازنة ٢٠٢٦ بالتعاون مع لجنة إعمار الخليل.", dep},
      {"ورشة النقل والمرور، نيسان ٢٠٢٦", "خط حافلات بين عين سارة والجامعة",
       "تشغيل خط حافلات منتظم في ساعات الذروة بين عين سارة وجامعة الخليل.", Response::kPartly,
       "يُشغَّل الخط صباحاً فقط في السنة الأولى لتقييم الطلب.", dep2},
      {"ورشة الشباب، أيار ٢٠٢٦", "مركز شبابي في حي الشيخ",
       "تحويل مبنى بلدي غير مستخدم إلى مركز شبابي.", std::nullopt, "", 0}};
  for (const DemoRec& d : recs) {
    auto rec = store.Recommend(*p, {Source::kWorkshop, d.ref, d.title, d.body}, system, now);
    if (!rec.ok()) return std::move(rec).error();
    if (!d.response || d.department == 0) continue;
    if (Status s = store.Respond(*p, rec->token, *d.response, d.reasons, d.department, system, now);
        !s.ok()) {
      return s;
    }
    auto m1 =
        store.AddMilestone(*p, rec->token, "الدراسات والمخططات", today - 5 * kDay, system, now);
    if (!m1.ok()) return std::move(m1).error();
    if (Status s = store.SetProgress(*p, rec->token, m1->id, 80, system, now); !s.ok()) return s;
    auto m2 = store.AddMilestone(*p, rec->token, "التنفيذ", today + 120 * kDay, system, now);
    if (!m2.ok()) return std::move(m2).error();
  }

  // The plan's meetings: a workshop next week open for registration (the demo resident has a
  // seat), and last month's public meeting with its minutes, attendance and a recommendation.
  const int64_t hour = 60LL * 60 * 1000;
  MeetingInput w;
  w.kind = MeetingKind::kWorkshop;
  w.title = "ورشة عمل: النقل والمرور في الخليل";
  w.agenda =
      "١. عرض دراسة الحركة المرورية في وسط المدينة\n٢. خطوط الحافلات إلى الجامعات\n٣. مجموعات "
      "عمل ومقترحات الحضور";
  w.place = "قاعة بلدية الخليل، شارع الملك فيصل";
  w.online_url = "https://meet.hebron-city.ps/plan-2026";
  w.starts_at = today + 7 * kDay + 14 * hour;  // 16:00 or 17:00 in Hebron
  w.ends_at = w.starts_at + 2 * hour;
  w.capacity = 30;
  auto workshop = store.CreateMeeting(*p, w, system, now);
  if (!workshop.ok()) return std::move(workshop).error();
  if (auto seat = store.Register(*p, workshop->token, layla, now); !seat.ok()) {
    return std::move(seat).error();
  }
  MeetingInput past;
  past.kind = MeetingKind::kMeeting;
  past.title = "لقاء عام: إطلاق الخطة الاستراتيجية";
  past.agenda = "١. مراحل إعداد الخطة\n٢. كيف يشارك المواطنون\n٣. أسئلة الحضور";
  past.place = "مركز إسعاد الطفولة، البلدة القديمة";
  past.starts_at = today - 20 * kDay + 15 * hour;
  past.ends_at = past.starts_at + 2 * hour;
  past.capacity = 120;
  auto launch = store.CreateMeeting(*p, past, system, now);
  if (!launch.ok()) return std::move(launch).error();
  if (auto in = store.CheckInWalkIn(*p, launch->token, r.national_id, "", system, now); !in.ok()) {
    return std::move(in).error();
  }
  if (Status s = store.PublishMinutes(
          *p, launch->token,
          "حضر اللقاء أعضاء المجلس البلدي وممثلو الغرفة التجارية والجامعات والجمعيات. عُرضت مراحل "
          "الخطة، وطالب الحضور بإشراك الأحياء البعيدة عن المركز، وأوصوا بتنظيم ورشة لكل حي.",
          system, now);
      !s.ok()) {
    return s;
  }
  if (auto rec = store.RecommendFromMeeting(
          *p, launch->token, "ورشة عمل في كل حي",
          "تنظيم ورشة عمل في كل حي من أحياء المدينة قبل اعتماد الخطة.", system, now);
      !rec.ok()) {
    return std::move(rec).error();
  }

  // A participatory budget open for voting, on the web, at the counter and by SMS.
  ProcessInput b;
  b.title_ar = "الموازنة التشاركية ٢٠٢٦";
  b.title_en = "Participatory budget 2026";
  b.summary_ar =
      "خصّصت البلدية ٥٠٠٬٠٠٠ شيكل لمشاريع يختارها المواطنون. صوّتوا للمشاريع التي تريدونها.";
  b.summary_en =
      "The municipality sets aside 500,000 shekels for projects residents choose. Vote for the "
      "ones you want.";
  b.threshold = 50;
  b.answer_days = 30;
  b.phases = {{Phase::kInformation, today - 20 * kDay, today - 5 * kDay},
              {Phase::kVoting, today - 5 * kDay, today + 25 * kDay},
              {Phase::kImplementation, today + 25 * kDay, today + 400 * kDay}};
  auto budget = store.CreateProcess(m->id, b, system, now);
  if (!budget.ok()) return std::move(budget).error();
  VoteInput v;
  v.title_ar = "مشاريع الأحياء ٢٠٢٦";
  v.title_en = "Neighbourhood projects 2026";
  v.budget = 50'000'000;  // 500,000.00 ILS
  v.options = {
      {0, 0, "إنارة شارع الشهداء بالطاقة الشمسية", "Solar street lights on Shuhada Street",
       18'000'000},
      {0, 0, "ملعب للأطفال في حي الحرس", "A playground in Al-Haras", 25'000'000},
      {0, 0, "ترميم درج البلدة القديمة", "Restoring the Old City steps", 15'000'000},
      {0, 0, "مقاعد وأشجار في دوار ابن رشد", "Benches and trees at Ibn Rushd square", 9'000'000}};
  auto vote = store.CreateVote(*budget, v, system, now);
  if (!vote.ok()) return std::move(vote).error();
  std::printf("  participation: %s, voting open (SMS and counter code %s)\n",
              budget->title_en.c_str(), vote->sms_code.c_str());
  return Ok();
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "participation";
  m.migrations = Migrations;
  m.messages = ParticipationMessageFiles;
  m.templates = ParticipationTemplateFiles;
  m.openapi = ParticipationOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.seed_demo = SeedDemo;
  return m;
}

}  // namespace baladiya::participation

// The service catalogue on both engines: saving, publishing rules, Arabic search, the demo data.
#include "catalog/services.h"

#include <gtest/gtest.h>

#include <functional>

#include "catalog/catalog.h"
#include "platform/db/test_support.h"

namespace baladiya::catalog {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;

class ServiceStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db::Migrate(db(), Migrations()).ok());
    auto seeded = SeedDemo(db(), kNow);
    ASSERT_TRUE(seeded.ok()) << seeded.error().detail;
    report_ = *seeded;
    TenancyStore tenancy(db(), std::chrono::milliseconds(0));
    hebron_ = tenancy.FindMunicipality("hebron")->id;
    nablus_ = tenancy.FindMunicipality("nablus")->id;
  }

  std::vector<std::string> Codes(const std::vector<Service>& list) {
    std::vector<std::string> out;
    for (const auto& s : list) out.push_back(s.code);
    return out;
  }

  SeedReport report_;
  int64_t hebron_ = 0;
  int64_t nablus_ = 0;
};

TEST_P(ServiceStoreTest, DemoCatalogueIsCompleteInBothLanguagesAndIdempotent) {
  ServiceStore store(db());
  auto list = store.List(hebron_, true);
  ASSERT_TRUE(list.ok()) << list.error().detail;
  EXPECT_GE(list->size(), 10u);
  EXPECT_EQ(report_.services, static_cast<int>(list->size()) * 3);
  int reports = 0;
  for (const auto& s : *list) {
    EXPECT_TRUE(MissingTexts(s).empty())
        << s.code << ": " << PathText(MissingTexts(s).front().path);
    EXPECT_TRUE(NotificationProblems(s).empty()) << s.code;
    EXPECT_NE(s.department_id, 0) << s.code;
    EXPECT_GT(s.sla_days, 0) << s.code;
    EXPECT_FALSE(s.form.pages.empty()) << s.code;
    if (s.kind == ServiceKind::kReport) {
      ++reports;
      EXPECT_EQ(s.fee.base_minor, 0) << s.code;
    }
  }
  EXPECT_GE(reports, 2);
  auto again = SeedDemo(db(), kNow + 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(store.List(hebron_, false)->size(), list->size());
  auto permit = store.Find(hebron_, "building-permit");
  ASSERT_TRUE(permit.ok());
  EXPECT_EQ(permit->version, 2);  // saved twice
  EXPECT_EQ(permit->name.ar, "رخصة بناء");
}

TEST_P(ServiceStoreTest, SearchIgnoresVowelMarksHamzaAndTaMarbutaInBothLanguages) {
  ServiceStore store(db());
  auto codes = [&](std::string_view q) { return Codes(*store.Search(hebron_, q)); };
  auto has = [](const std::vector<std::string>& v, const char* code) {
    return std::find(v.begin(), v.end(), code) != v.end();
  };
  EXPECT_TRUE(has(codes("براءة ذمة"), "clearance-certificate"));
  EXPECT_TRUE(has(codes("براءه ذمه"), "clearance-certificate"));  // ta marbuta as ha
  EXPECT_TRUE(has(codes("بَرَاءَة"), "clearance-certificate"));      // vowel marks
  EXPECT_TRUE(has(codes("رخصة بناء"), "building-permit"));
  EXPECT_TRUE(has(codes("رخصه بناء"), "building-permit"));
  EXPECT_TRUE(has(codes("انارة"), "street-light-report"));        // hamza-less alef
  EXPECT_TRUE(has(codes("CLEARANCE"), "clearance-certificate"));  // English, any case
  EXPECT_TRUE(has(codes("water"), "water-connection"));
  EXPECT_TRUE(codes("no-such-service-anywhere").empty());
  EXPECT_EQ(codes("").size(), store.List(hebron_, true)->size());
  // Another municipality's services never show.
  ASSERT_TRUE(store.Search(nablus_, "رخصة").ok());
}

// Issue 13: the article, prefixes and hamza seats; the municipality's own synonyms (the demo's,
// then replaced); suggestions when nothing matched.
TEST_P(ServiceStoreTest, SearchHandlesPrefixesMisspellingsSynonymsAndSuggests) {
  ServiceStore store(db());
  auto codes = [&](int64_t m, std::string_view q) { return Codes(*store.Search(m, q)); };
  auto has = [](const std::vector<std::string>& v, const char* code) {
    return std::find(v.begin(), v.end(), code) != v.end();
  };
  EXPECT_TRUE(has(codes(hebron_, "براءة الذمة"), "clearance-certificate"));
  EXPECT_TRUE(has(codes(hebron_, "برائة ذمة"), "clearance-certificate"));
  EXPECT_TRUE(has(codes(hebron_, "والإنارة"), "street-light-report"));
  EXPECT_TRUE(has(codes(hebron_, "تسريب مياه"), "water-leak-report"));  // the demo synonyms
  EXPECT_TRUE(has(codes(hebron_, "ماء"), "water-connection"));
  auto demo = store.Synonyms(hebron_);
  ASSERT_TRUE(demo.ok());
  EXPECT_FALSE(demo->empty());
  // Replaced by the admin's list: the old words no longer widen, the new ones do, and only for
  // this municipality.
  ASSERT_TRUE(store.SetSynonyms(hebron_, {{"فانوس", {"إنارة"}}}, kNow).ok());
  ASSERT_EQ(store.Synonyms(hebron_)->size(), 1u);
  EXPECT_EQ((*store.Synonyms(hebron_))[0].alternatives, std::vector<std::string>{"إنارة"});
  EXPECT_FALSE(has(codes(hebron_, "تسريب مياه"), "water-leak-report"));
  EXPECT_TRUE(has(codes(hebron_, "فانوس"), "street-light-report"));
  EXPECT_FALSE(has(codes(nablus_, "فانوس"), "street-light-report"));
  EXPECT_TRUE(has(codes(nablus_, "تسريب مياه"), "water-leak-report"));
  // The demo never overwrites an admin's list.
  ASSERT_TRUE(SeedDemo(db(), kNow + 1).ok());
  EXPECT_EQ(store.Synonyms(hebron_)->size(), 1u);
  // Suggestions: the closest first, nothing for what is close to nothing.
  auto close = store.Suggest(hebron_, "براءت ذمم");
  ASSERT_TRUE(close.ok());
  ASSERT_FALSE(close->empty());
  EXPECT_EQ(close->front().code, "clearance-certificate");
  EXPECT_TRUE(store.Suggest(hebron_, "zzzz")->empty());
}

TEST_P(ServiceStoreTest, PublishingNeedsEveryTextInBothLanguages) {
  ServiceStore store(db());
  Service s = *store.Find(hebron_, "clearance-certificate");
  s.code = "draft-service";
  s.published = false;
  s.name.en.clear();
  s.form.pages[0].fields[0].label.ar.clear();
  ASSERT_TRUE(store.Save(s, kNow).ok());  // a draft may be incomplete
  s.published = true;
  auto refused = store.Save(s, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message_key, "catalog.missing_texts");
  // Each missing text as a problem a page can link to its input, in the order MissingTexts
  // gives them; and, for pages that list them as they are, by their readable paths.
  EXPECT_EQ(refused.error().problems, MissingTexts(s));
  const Problem name_en = {{"name", "en"}, "catalog.missing.name", {{"in", "en"}}};
  const Problem label_ar = {{"form", "pages", size_t{0}, "fields", size_t{0}, "label", "ar"},
                            "form.missing.field_label",
                            {{"field", s.form.pages[0].fields[0].name}, {"in", "ar"}}};
  EXPECT_EQ(refused.error().problems, (std::vector<Problem>{name_en, label_ar}));
  EXPECT_TRUE(refused.error().fields.count("name (en)"));
  EXPECT_TRUE(
      refused.error().fields.count("field " + s.form.pages[0].fields[0].name + " label (ar)"));
  EXPECT_FALSE(store.Find(hebron_, "draft-service")->published);
  EXPECT_TRUE(store.Search(hebron_, "draft").ok());
  EXPECT_TRUE(Codes(*store.Search(hebron_, "draft-service")).empty());  // drafts are not listed
}

TEST_P(ServiceStoreTest, BadServicesAreRefusedAndNothingChanges) {
  ServiceStore store(db());
  const Service good = *store.Find(hebron_, "building-permit");
  struct Case {
    const char* what;
    std::function<void(Service&)> change;
    Problem want;
  };
  const Case cases[] = {
      {"a bad code",
       [](Service& s) { s.code = "Bad Code"; },
       {{"code"}, "catalog.problem.bad_code", {}}},
      {"an unknown channel",
       [](Service& s) {
         s.channels = {"web", "fax"};
       },
       {{"channels", size_t{1}}, "catalog.problem.channel", {{"channel", "fax"}}}},
      {"no Arabic name",
       [](Service& s) { s.name.ar.clear(); },
       {{"name", "ar"}, "catalog.problem.name_ar", {}}},
      {"an SLA over a year",
       [](Service& s) { s.sla_days = 366; },
       {{"sla_days"}, "catalog.problem.sla_days", {{"max", "365"}}}},
      {"no form",
       [](Service& s) { s.form.pages.clear(); },
       {{"form", "pages"}, "form.problem.no_pages", {}}},
  };
  for (const Case& c : cases) {
    Service s = good;
    c.change(s);
    auto saved = store.Save(s, kNow);
    ASSERT_FALSE(saved.ok()) << c.what;
    EXPECT_EQ(saved.error().code, ErrorCode::kInvalid) << c.what;
    EXPECT_EQ(saved.error().message_key, "catalog.invalid") << c.what;
    EXPECT_EQ(saved.error().problems, std::vector<Problem>{c.want}) << c.what;
  }
  EXPECT_EQ(store.Find(hebron_, "building-permit")->version, good.version);
}

TEST_P(ServiceStoreTest, CalendarHasFridayAndTheDemoHolidays) {
  auto c = LoadCalendar(db(), hebron_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->rest_weekdays, std::set<int>{5});
  EXPECT_TRUE(c->holidays.count("2026-11-15"));
  EXPECT_EQ(c->time_zone, "Asia/Hebron");
}

// ---- SaveExpecting: the editors' optimistic concurrency -------------------------------------

TEST_P(ServiceStoreTest, SaveExpectingRefusesStaleVersionsAndTakenCodes) {
  ServiceStore store(db());
  Service s = *store.Find(hebron_, "building-permit");
  const int64_t read = s.version;
  s.sla_days = 9;
  auto first = store.SaveExpecting(s, read, kNow);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(*first, s.id);
  EXPECT_EQ(store.Find(hebron_, "building-permit")->version, read + 1);
  // A second edit made from the same reading loses, and changes nothing.
  s.sla_days = 11;
  auto stale = store.SaveExpecting(s, read, kNow);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().message_key, "catalog.conflict");
  EXPECT_EQ(store.Find(hebron_, "building-permit")->sla_days, 9);
  // A failure inside the transaction leaves the service as it was.
  auto rolled_back = store.SaveExpecting(s, read + 1, kNow, [](db::Tx&, int64_t) -> Status {
    return MakeError(ErrorCode::kInvalid, "error.invalid");
  });
  EXPECT_FALSE(rolled_back.ok());
  EXPECT_EQ(store.Find(hebron_, "building-permit")->version, read + 1);

  // Version 0 creates, once per code.
  Service fresh = s;
  fresh.code = "new-service";
  fresh.published = false;
  auto created = store.SaveExpecting(fresh, 0, kNow);
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_EQ(store.Find(hebron_, "new-service")->version, 1);
  auto taken = store.SaveExpecting(fresh, 0, kNow);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().message_key, "catalog.code_taken");
  // Never an update of a service that does not exist.
  fresh.code = "never-saved";
  EXPECT_EQ(store.SaveExpecting(fresh, 1, kNow).error().code, ErrorCode::kConflict);
  EXPECT_FALSE(store.Find(hebron_, "never-saved").ok());
}

TEST_P(ServiceStoreTest, DraftsArePublishedAsVersionsNowOrFromADate) {
  int64_t clock = kNow + 1000;
  ServiceStore store(db(), std::chrono::seconds(5), [&] { return clock; });
  // Another node: its own cache, the same clock.
  ServiceStore other(db(), std::chrono::seconds(5), [&] { return clock; });
  auto live = store.Find(hebron_, "building-permit");
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE(other.Find(hebron_, "building-permit").ok());
  EXPECT_EQ(live->live_number, 1);
  EXPECT_EQ(store.Draft(live->id).error().code, ErrorCode::kNotFound);

  // Editing a published service writes its draft; residents keep the live one.
  Service changed = *live;
  changed.name.en = "Building permit (2027 rules)";
  changed.fee.base_minor = live->fee.base_minor + 5000;
  ASSERT_TRUE(store.SaveDraft(changed, live->version, "editor-1", clock).ok());
  EXPECT_EQ(store.Find(hebron_, "building-permit")->name.en, live->name.en);
  auto draft = store.Draft(live->id);
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(draft->name.en, "Building permit (2027 rules)");
  EXPECT_EQ(draft->version, live->version + 1);
  // A stale edit of the draft is refused, the draft unchanged.
  changed.name.en = "Stale";
  auto stale = store.SaveDraft(changed, live->version, "editor-2", clock);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().message_key, "catalog.conflict");
  EXPECT_EQ(store.Draft(live->id)->name.en, "Building permit (2027 rules)");

  // Published from a time an hour on: scheduled, the live one still served.
  EXPECT_EQ(store.PublishDraft(live->id, draft->version, clock - 3'600'000, "editor-1", clock)
                .error()
                .message_key,
            "catalog.effective_past");
  auto number = store.PublishDraft(live->id, draft->version, clock + 3'600'000, "editor-1", clock);
  ASSERT_TRUE(number.ok()) << number.error().detail;
  EXPECT_EQ(*number, 2);
  EXPECT_EQ(store.Draft(live->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store.Find(hebron_, "building-permit")->name.en, live->name.en);
  auto versions = store.Versions(live->id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].number, 2);
  EXPECT_EQ((*versions)[0].state, "scheduled");
  EXPECT_EQ((*versions)[0].published_by, "editor-1");
  EXPECT_EQ((*versions)[0].effective_from, clock + 3'600'000);
  EXPECT_EQ((*versions)[1].number, 1);
  EXPECT_EQ((*versions)[1].state, "live");

  // The time comes: both nodes serve version 2 at their next read (no timer, no restart); the
  // other node's cache entry from before the scheduling lasts at most its max_age.
  clock += 3'600'000;
  auto now_live = store.Find(hebron_, "building-permit");
  ASSERT_TRUE(now_live.ok());
  EXPECT_EQ(now_live->name.en, "Building permit (2027 rules)");
  EXPECT_EQ(now_live->fee.base_minor, live->fee.base_minor + 5000);
  EXPECT_EQ(now_live->live_number, 2);
  EXPECT_EQ(store.Get(live->id)->live_number, 2);
  ServiceStore fresh(db(), std::chrono::seconds(5), [&] { return clock; });
  EXPECT_EQ(fresh.Find(hebron_, "building-permit")->live_number, 2);
  EXPECT_EQ(Codes(*store.Search(hebron_, "2027 rules")),
            std::vector<std::string>{"building-permit"});
  versions = store.Versions(live->id);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].state, "live");
  EXPECT_EQ((*versions)[1].state, "replaced");

  // The version a draft was started on stays readable.
  auto first = store.Version(live->id, 1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->name.en, live->name.en);
  EXPECT_EQ(first->live_number, 1);
  EXPECT_EQ(store.Version(live->id, 2)->name.en, "Building permit (2027 rules)");
  EXPECT_EQ(store.Version(live->id, 9).error().code, ErrorCode::kNotFound);

  // A draft is checked as the published service it is to become: no text may be missing.
  Service next = *now_live;
  next.description.en.clear();
  auto refused = store.SaveDraft(next, now_live->version, "editor-2", clock);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message_key, "catalog.missing_texts");
  EXPECT_EQ(store.Draft(live->id).error().code, ErrorCode::kNotFound);
  // Published now: at once.
  next.description.en = "New wording";
  ASSERT_TRUE(store.SaveDraft(next, now_live->version, "editor-2", clock).ok());
  draft = store.Draft(live->id);
  EXPECT_EQ(*store.PublishDraft(live->id, draft->version, clock, "editor-2", clock), 3);
  EXPECT_EQ(store.Find(hebron_, "building-permit")->description.en, "New wording");
  EXPECT_EQ(store.Find(hebron_, "building-permit")->live_number, 3);
  // Discarding a draft leaves the live one.
  ASSERT_TRUE(
      store.SaveDraft(next, store.Find(hebron_, "building-permit")->version, "x", clock).ok());
  ASSERT_TRUE(store.DiscardDraft(live->id).ok());
  EXPECT_EQ(store.Draft(live->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store.Versions(live->id)->size(), 3u);
}

BALADIYA_INSTANTIATE_ENGINES(ServiceStoreTest);

// ---- What a service lacks, and its notifications' wording --------------------------------------

// A draft complete in both languages, with a one-question form.
Service Complete() {
  Service s;
  s.code = "complete";
  s.name = {"اسم", "Name"};
  s.description = {"وصف", "Description"};
  Field plot;
  plot.name = "plot";
  plot.type = FieldType::kSingleChoice;
  plot.label = {"القطعة", "Plot"};
  plot.options = {{"a", {"أ", "A"}}};
  s.form.pages = {{{"ص", "P"}, {plot}}};
  return s;
}

using Args = std::map<std::string, std::string>;

TEST(ServiceMissingTextsTest, NamesEachTextOfTheServiceAndItsForm) {
  auto notification = [](const char* part, const char* lang) {
    return Problem{{"notifications", "submitted", part, lang},
                   std::string("catalog.missing.notification_") + part,
                   Args{{"event", "submitted"}, {"in", lang}}};
  };
  struct Case {
    const char* what;
    std::function<void(Service&)> change;
    std::vector<Problem> want;
  };
  const Case cases[] = {
      {"complete", [](Service&) {}, {}},
      {"no eligibility at all", [](Service& s) { s.eligibility = {}; }, {}},
      {"the name in English",
       [](Service& s) { s.name.en.clear(); },
       {{{"name", "en"}, "catalog.missing.name", {{"in", "en"}}}}},
      {"no description",
       [](Service& s) { s.description = {}; },
       {{{"description", "ar"}, "catalog.missing.description", {{"in", "ar"}}},
        {{"description", "en"}, "catalog.missing.description", {{"in", "en"}}}}},
      {"eligibility in English only",
       [](Service& s) {
         s.eligibility = {"", "Residents"};
       },
       {{{"eligibility", "ar"}, "catalog.missing.eligibility", {{"in", "ar"}}}}},
      {"the second document in Arabic",
       [](Service& s) {
         s.documents = {{"أ", "A"}, {"", "B"}};
       },
       {{{"documents", size_t{1}, "ar"}, "catalog.missing.document", {{"n", "2"}, {"in", "ar"}}}}},
      {"a notification's texts",
       [](Service& s) {
         s.notifications["submitted"] = {{"عنوان", ""}, {}, {"", "SMS"}};
       },
       {notification("subject", "en"), notification("body", "ar"), notification("body", "en"),
        notification("sms", "ar")}},
      {"the form's, under form",
       [](Service& s) { s.form.pages[0].fields[0].options[0].label.en.clear(); },
       {{{"form", "pages", size_t{0}, "fields", size_t{0}, "options", size_t{0}, "label", "en"},
         "form.missing.option",
         {{"field", "plot"}, {"option", "a"}, {"in", "en"}}}}},
  };
  for (const Case& c : cases) {
    Service s = Complete();
    c.change(s);
    EXPECT_EQ(MissingTexts(s), c.want) << c.what;
  }
}

TEST(NotificationProblemsTest, NeedBothLanguagesAndOnlyTheEventsPlaceholders) {
  const NotificationText good = {
      {"استلمنا {tracking}", "Received {tracking}"}, {"«{service}»", "“{service}”"}, {}};
  auto at = [](const char* event, const char* part, const char* lang) {
    return Path{"notifications", event, part, lang};
  };
  struct Case {
    const char* what;
    const char* event;
    NotificationText wording;
    std::vector<Problem> want;
  };
  const Case cases[] = {
      {"sound", "submitted", good, {}},
      {"with a text message in both languages",
       "state_changed",
       {good.subject, good.body, {"{tracking}: {state}", "{tracking}: {state}"}},
       {}},
      {"the body in Arabic only",
       "submitted",
       {good.subject, {"نص", ""}, {}},
       {{at("submitted", "body", "en"),
         "catalog.notification.body_missing",
         {{"event", "submitted"}, {"in", "en"}}}}},
      {"no subject, a text message in English only",
       "state_changed",
       {{}, good.body, {"", "SMS"}},
       {{at("state_changed", "subject", "ar"),
         "catalog.notification.subject_missing",
         {{"event", "state_changed"}, {"in", "ar"}}},
        {at("state_changed", "subject", "en"),
         "catalog.notification.subject_missing",
         {{"event", "state_changed"}, {"in", "en"}}},
        {at("state_changed", "sms", "ar"),
         "catalog.notification.sms_missing",
         {{"event", "state_changed"}, {"in", "ar"}}}}},
      // The first unknown placeholder of each text; braces that hold a brace are text.
      {"placeholders the event does not fill",
       "submitted",
       {{"{state}", "{tracking}"}, {"{a} {b}", "{{tracking}} {x"}, {}},
       {{at("submitted", "subject", "ar"),
         "catalog.notification.placeholder",
         {{"name", "{state}"}, {"known", "{tracking} {service}"}}},
        {at("submitted", "body", "ar"),
         "catalog.notification.placeholder",
         {{"name", "{a}"}, {"known", "{tracking} {service}"}}}}},
      {"an event no notification is sent for", "archived", {{"{x}", ""}, {}, {}}, {}},
  };
  for (const Case& c : cases) {
    Service s = Complete();
    s.notifications[c.event] = c.wording;
    EXPECT_EQ(NotificationProblems(s), c.want) << c.what;
  }
}

}  // namespace
}  // namespace baladiya::catalog

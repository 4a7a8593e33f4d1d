// Meetings over HTTP on the web harness: the officer makes a workshop from the process's admin
// page (bad input refused, nothing stored), residents register from the public page (a seat, then
// the waiting list), a cancellation gives the seat to the first waiting who is told, the officer
// checks people in at the door (also a walk-in by ID), publishes the minutes and records the
// meeting's recommendation, which the public pages and the JSON show; other staff are refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "audit/testing.h"
#include "identity/testing.h"
#include "notify/delivery.h"
#include "notify/notify.h"
#include "participation/participation.h"
#include "participation/web_test_fixture.h"
#include "platform/http/test_client.h"
#include "platform/i18n/arabic.h"

namespace baladiya::participation {
namespace {

using http::testing::RawClient;
using identity::Role;
using testing::kNow;  // 2026-03-15T09:00:00Z

class MeetingWebTest : public testing::WebFixture {
 protected:
  baladiya::testing::HarnessOptions Options() override { return HarnessFor(); }

  void SetUp() override {
    WebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kNow);
  }

  // The officer's process (proposals open) and its admin path.
  std::string CreateProcess(baladiya::testing::Browser& officer) {
    officer.Get("/m/hebron/admin/participation");
    std::string res =
        officer.Post("/m/hebron/admin/participation", {{"title_ar", "الخطة الاستراتيجية"},
                                                       {"title_en", "Strategic plan"},
                                                       {"summary_ar", "ملخص"},
                                                       {"summary_en", "Summary"},
                                                       {"threshold", "5"},
                                                       {"answer_days", "30"},
                                                       {"proposals_from", "2026-03-01"},
                                                       {"proposals_to", "2026-04-30"}});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    const std::string location = RawClient::Header(res, "location");
    return location.substr(0, location.find('?'));
  }

  int Told(const std::string& key) {
    auto inbox = web().Part<notify::Outbox>().Recent(0, 100);
    EXPECT_TRUE(inbox.ok());
    int n = 0;
    for (const notify::Record& r : *inbox) n += r.template_key == key;
    return n;
  }
};

TEST_F(MeetingWebTest, RegisterWaitCheckInMinutesAndRecommendations) {
  auto officer = Staff("hebron.participation", Role::kParticipationOfficer, "hebron");
  const std::string admin = CreateProcess(officer);
  const std::string slug = admin.substr(admin.rfind('/') + 1);
  const std::string process = "/m/hebron/participate/" + slug;
  std::string res = officer.Get(admin + "?lang=en");
  EXPECT_NE(res.find("No meeting yet."), std::string::npos) << res;
  EXPECT_NE(res.find(admin + "/meetings"), std::string::npos);

  // Bad input: nothing stored, the reason shown.
  res = officer.Post(admin + "/meetings?lang=en", {{"kind", "workshop"},
                                                   {"title", "Transport"},
                                                   {"agenda", "Buses"},
                                                   {"place", ""},
                                                   {"online_url", ""},
                                                   {"day", "2026-03-20"},
                                                   {"from", "17:00"},
                                                   {"to", "19:00"},
                                                   {"capacity", "1"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("Give a place or an online link."), std::string::npos);
  res = officer.Post(admin + "/meetings?lang=ar", {{"kind", "workshop"},
                                                   {"title", "النقل"},
                                                   {"agenda", "الحافلات"},
                                                   {"place", "قاعة البلدية"},
                                                   {"day", "2026-03-20"},
                                                   {"from", "19:00"},
                                                   {"to", "17:00"},
                                                   {"capacity", "1"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("يجب أن ينتهي اللقاء بعد بدئه"), std::string::npos);
  const int64_t hebron = MunicipalityId("hebron");
  const Process p = store().Processes(hebron)->front();
  EXPECT_TRUE(store().Meetings(p.id)->empty());

  // A workshop with one seat this afternoon, 17:00-19:00 Hebron time (UTC+2 in March).
  res = officer.Post(admin + "/meetings?lang=en", {{"kind", "workshop"},
                                                   {"title", "ورشة النقل والمرور"},
                                                   {"agenda", "الحافلات إلى الجامعات"},
                                                   {"place", "قاعة البلدية"},
                                                   {"online_url", "https://meet.example.org/x"},
                                                   {"day", "٢٠٢٦-٠٣-١٥"},
                                                   {"from", "17:00"},
                                                   {"to", "19:00"},
                                                   {"capacity", "1"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const Meeting m = store().Meetings(p.id)->front();
  EXPECT_EQ(i18n::FormatIsoUtc(m.starts_at), "2026-03-15T15:00:00Z");
  EXPECT_EQ(m.kind, MeetingKind::kWorkshop);
  const std::string page = process + "/meetings/" + m.token;
  res = web().Get(process + "?lang=en").body;
  EXPECT_NE(res.find(page), std::string::npos) << res;
  EXPECT_NE(res.find("1 of 1 seats left"), std::string::npos);
  res = web().Get(page).body;
  EXPECT_NE(res.find("١٥ آذار ٢٠٢٦، ١٧:٠٠–١٩:٠٠"), std::string::npos) << res;
  EXPECT_NE(res.find("href=\"https://meet.example.org/x\""), std::string::npos);

  // Two residents: a seat, then the waiting list; the first cancels, the second is promoted.
  auto salma = Resident("401234562", "0599123456", false);
  auto yousef = Resident("123456782", "0599765432", false);
  salma.Get(page + "?lang=en");
  res = salma.Post(page + "/register?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_NE(salma.Get(page + "?lang=en").find("You have a seat."), std::string::npos);
  res = yousef.Get(page + "?lang=en");
  EXPECT_NE(res.find("Join the waiting list"), std::string::npos) << res;
  EXPECT_EQ(RawClient::Status(yousef.Post(page + "/register?lang=en", {})), 303);
  EXPECT_NE(yousef.Get(page + "?lang=en").find("You are number 1 on the waiting list"),
            std::string::npos);
  res = yousef.Post(page + "/register?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  EXPECT_NE(res.find("You are already registered."), std::string::npos);
  salma.Get(page);
  EXPECT_EQ(RawClient::Status(salma.Post(page + "/cancel", {})), 303);
  EXPECT_NE(yousef.Get(page + "?lang=en").find("You have a seat."), std::string::npos);
  EXPECT_EQ(Told("participation.meeting_promoted"), 1);
  // Anonymous: no form, a sign-in link; posting is refused.
  res = web().Get(page + "?lang=en").body;
  EXPECT_NE(res.find("Sign in to register."), std::string::npos);

  // At the door (the meeting has started; sessions signed in now): registering is closed; the
  // officer checks in.
  web().clock().Set(m.starts_at + 60'000);
  auto late = Resident("600000004", "0599111222", false);
  res = late.Get(page + "?lang=en");
  EXPECT_NE(res.find("Registration is closed"), std::string::npos) << res;
  late.Get("/account");
  res = late.Post(page + "/register?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  officer = Staff("hebron.participation.door", Role::kParticipationOfficer, "hebron");
  const std::string door = admin + "/meetings/" + m.token;
  res = officer.Get(door + "?lang=en");
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  const auto regs = store().Registrations(m.id);
  ASSERT_EQ(regs->size(), 1u);
  EXPECT_NE(res.find(door + "/checkin/" + std::to_string(regs->front().id)), std::string::npos);
  res = officer.Post(door + "/checkin/" + std::to_string(regs->front().id) + "?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("Checked in."), std::string::npos);
  // Walk-ins by ID: Salma has an account; someone without one needs a name.
  res = officer.Post(door + "/walkin?lang=en", {{"national_id", "٤٠١٢٣٤٥٦٢"}, {"name", ""}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  res = officer.Post(door + "/walkin?lang=en", {{"national_id", "123"}, {"name", "x"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = officer.Post(door + "/walkin?lang=en", {{"national_id", "500000005"}, {"name", ""}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = officer.Post(door + "/walkin?lang=en",
                     {{"national_id", "500000005"}, {"name", "سعاد الجعبري"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("سعاد الجعبري is checked in."), std::string::npos);
  EXPECT_EQ(store().GetMeeting(p.id, m.token)->attended, 3);

  // Minutes and a recommendation: on the meeting's page and with the process's recommendations.
  res = officer.Post(door + "/minutes?lang=en", {{"minutes", "ناقش الحضور خطوط الحافلات."}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  res = officer.Post(door + "/recommendations?lang=en",
                     {{"title", "خط حافلات إلى الجامعة"}, {"body", "صباحاً ومساءً"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  res = officer.Post(door + "/recommendations?lang=en",
                     {{"title", "abc\xe2\x80\xae"}, {"body", "x"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = web().Get(page + "?lang=en").body;
  EXPECT_NE(res.find("ناقش الحضور خطوط الحافلات."), std::string::npos) << res;
  EXPECT_NE(res.find("خط حافلات إلى الجامعة"), std::string::npos);
  EXPECT_NE(res.find("Attended: 3"), std::string::npos);
  res = web().Get(process + "?lang=en").body;
  EXPECT_NE(res.find("Meeting · State:"), std::string::npos) << res;
  auto recs = store().Recommendations(p.id);
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ(recs->front().source, Source::kMeeting);

  // The JSON API lists the meeting with its minutes.
  auto api = web().Get("/api/v1/municipalities/hebron/participation/processes/" + slug);
  ASSERT_EQ(api.status, 200);
  auto json = boost::json::parse(api.body).as_object();
  const auto& meeting = json.at("meetings").as_array().at(0).as_object();
  EXPECT_EQ(meeting.at("token").as_string(), m.token);
  EXPECT_EQ(meeting.at("attended").as_int64(), 3);
  EXPECT_EQ(meeting.at("minutes").as_string(), "ناقش الحضور خطوط الحافلات.");

  // Other staff and other municipalities' officers are refused.
  auto clerk = Staff("hebron.clerk", Role::kCounterClerk, "hebron");
  EXPECT_EQ(RawClient::Status(clerk.Get(door)), 403);
  auto nablus = Staff("nablus.participation", Role::kParticipationOfficer, "nablus");
  EXPECT_NE(RawClient::Status(nablus.Get(door)), 200);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.meeting.create"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.meeting.register"), 2);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.meeting.checkin"), 3);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.meeting.minutes"), 1);
}

}  // namespace
}  // namespace baladiya::participation

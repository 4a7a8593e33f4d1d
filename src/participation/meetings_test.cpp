// participation's meetings on both engines: capacity and the waiting list (two registrations for
// the last seat at once give one seat and one place on the list), a cancellation promoting the
// first on the list who is told, check-in at the door (also walk-ins by ID), the minutes, the
// meeting's recommendations joining the tracking with source "meeting", bad input refused with
// nothing stored, and migration 0904 keeping the recommendations recorded before it.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "participation/store_test_fixture.h"

namespace baladiya::participation {
namespace {

using testing::kDay;
using testing::kNow;
constexpr int64_t kHour = 3'600'000;

class MeetingStoreTest : public testing::StoreFixture {
 protected:
  MeetingInput Workshop(int64_t capacity) {
    MeetingInput in;
    in.kind = MeetingKind::kWorkshop;
    in.title = "ورشة البلدة القديمة";
    in.agenda = "١. الأسواق\n٢. الإنارة";
    in.place = "قاعة البلدية";
    in.starts_at = kNow + 5 * kDay;
    in.ends_at = in.starts_at + 2 * kHour;
    in.capacity = capacity;
    return in;
  }
};

TEST_P(MeetingStoreTest, SeatsThenTheWaitingListAndACancellationPromotesTheFirst) {
  MigrateAll();
  Process p = MustCreateProcess();
  auto m = participation_->CreateMeeting(p, Workshop(2), officer_, kNow);
  ASSERT_TRUE(m.ok()) << m.error().message_key;
  const Actor a = Resident(1), b = Resident(2), c = Resident(3), d = Resident(4);
  auto ra = participation_->Register(p, m->token, a, kNow);
  auto rb = participation_->Register(p, m->token, b, kNow);
  auto rc = participation_->Register(p, m->token, c, kNow);
  auto rd = participation_->Register(p, m->token, d, kNow);
  ASSERT_TRUE(ra.ok() && rb.ok() && rc.ok() && rd.ok());
  EXPECT_EQ(ra->seat, Seat::kSeat);
  EXPECT_EQ(rb->seat, Seat::kSeat);
  EXPECT_EQ(rc->seat, Seat::kWaiting);
  EXPECT_EQ(rc->position, 1);
  EXPECT_EQ(rd->position, 2);
  EXPECT_EQ(participation_->Register(p, m->token, a, kNow).error().message_key,
            "participation.meeting.registered");
  auto got = participation_->GetMeeting(p.id, m->token);
  EXPECT_EQ(got->seated, 2);
  EXPECT_EQ(got->waiting, 2);
  EXPECT_EQ(got->SeatsLeft(), 0);

  // b cancels: c, first on the list, gets the seat and is told; d moves up.
  ASSERT_TRUE(participation_->CancelRegistration(p, m->token, b, kNow + 1).ok());
  EXPECT_EQ((*participation_->RegistrationOf(m->id, c.account_id))->seat, Seat::kSeat);
  EXPECT_EQ((*participation_->RegistrationOf(m->id, d.account_id))->position, 1);
  EXPECT_FALSE(participation_->RegistrationOf(m->id, b.account_id)->has_value());
  EXPECT_EQ(Told(c.account_id, "participation.meeting_promoted"), 1);
  EXPECT_EQ(Told(d.account_id, "participation.meeting_promoted"), 0);
  EXPECT_EQ(participation_->GetMeeting(p.id, m->token)->seated, 2);
  // A waiting person's cancellation frees no seat; then a seated one's with nobody waiting does.
  ASSERT_TRUE(participation_->CancelRegistration(p, m->token, d, kNow + 2).ok());
  ASSERT_TRUE(participation_->CancelRegistration(p, m->token, a, kNow + 3).ok());
  EXPECT_EQ(participation_->GetMeeting(p.id, m->token)->seated, 1);
  EXPECT_EQ(participation_->CancelRegistration(p, m->token, a, kNow + 3).error().code,
            ErrorCode::kNotFound);
  // Once started, neither registering nor cancelling.
  EXPECT_EQ(participation_->Register(p, m->token, b, m->starts_at).error().message_key,
            "participation.meeting.started");
  EXPECT_EQ(participation_->CancelRegistration(p, m->token, c, m->starts_at).error().message_key,
            "participation.meeting.started");
  EXPECT_EQ(audit::testing::Count(log(), "participation.meeting.register"), 4);
  EXPECT_EQ(audit::testing::Count(log(), "participation.meeting.cancel"), 3);
}

TEST_P(MeetingStoreTest, TwoRegistrationsForTheLastSeatGiveOneSeatAndOneWaiting) {
  MigrateAll();
  Process p = MustCreateProcess();
  for (int round = 0; round < 5; ++round) {
    auto m = participation_->CreateMeeting(p, Workshop(1), officer_, kNow);
    ASSERT_TRUE(m.ok());
    const Actor a = Resident(10 + 2 * round), b = Resident(11 + 2 * round);
    std::atomic<int> seats = 0, waiting = 0, failed = 0;
    auto go = [&](const Actor& who) {
      auto r = participation_->Register(p, m->token, who, kNow);
      if (!r.ok()) {
        ++failed;
      } else {
        (r->seat == Seat::kSeat ? seats : waiting)++;
      }
    };
    std::thread t1(go, a), t2(go, b);
    t1.join();
    t2.join();
    EXPECT_EQ(failed, 0);
    EXPECT_EQ(seats, 1);
    EXPECT_EQ(waiting, 1);
    auto got = participation_->GetMeeting(p.id, m->token);
    EXPECT_EQ(got->seated, 1);
    EXPECT_EQ(got->waiting, 1);
  }
}

TEST_P(MeetingStoreTest, CheckInAtTheDoorMinutesAndTheMeetingsRecommendations) {
  MigrateAll();
  Process p = MustCreateProcess();
  // Bad input names each field and stores nothing.
  MeetingInput bad = Workshop(0);
  bad.title = "abc\xe2\x80\xae";
  bad.place = "";
  bad.online_url = "http://example.org/x";
  bad.ends_at = bad.starts_at;
  auto refused = participation_->CreateMeeting(p, bad, officer_, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at("title"), "participation.text.bidi");
  EXPECT_EQ(refused.error().fields.at("online_url"), "participation.meeting.url");
  EXPECT_EQ(refused.error().fields.count("place"), 0u);  // the link is there, if malformed
  EXPECT_EQ(refused.error().fields.at("ends_at"), "participation.meeting.ends");
  EXPECT_EQ(refused.error().fields.at("capacity"), "participation.meeting.capacity");
  EXPECT_TRUE(participation_->Meetings(p.id)->empty());
  MeetingInput online = Workshop(50);
  online.place = "";
  online.online_url = "https://meet.example.org/hebron-plan";
  auto m = participation_->CreateMeeting(p, online, officer_, kNow);
  ASSERT_TRUE(m.ok());

  const Actor a = Resident(1);
  const int64_t walker = MustRegister(identity::testing::Resident(2));  // an account, unregistered
  auto ra = participation_->Register(p, m->token, a, kNow);
  ASSERT_TRUE(ra.ok());
  const int64_t at_door = m->starts_at + 60'000;
  ASSERT_TRUE(participation_->CheckIn(p, m->token, ra->id, officer_, at_door).ok());
  EXPECT_EQ(participation_->CheckIn(p, m->token, ra->id, officer_, at_door).error().message_key,
            "participation.meeting.checked_in");
  EXPECT_EQ(participation_->CheckIn(p, m->token, 999999, officer_, at_door).error().code,
            ErrorCode::kNotFound);
  // Walk-ins: the registered by their ID (already in: unchanged), an account, a person without one.
  EXPECT_TRUE(participation_
                  ->CheckInWalkIn(p, m->token, identity::testing::NationalId(40000001), "",
                                  officer_, at_door)
                  .ok());
  auto named = participation_->CheckInWalkIn(p, m->token, identity::testing::NationalId(40000002),
                                             "", officer_, at_door);
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(*named, "محمد أحمد الخطيب");
  EXPECT_EQ(participation_
                ->CheckInWalkIn(p, m->token, identity::testing::NationalId(50000000), "", officer_,
                                at_door)
                .error()
                .fields.at("name"),
            "participation.text.empty");
  EXPECT_EQ(participation_->CheckInWalkIn(p, m->token, "123", "x", officer_, at_door)
                .error()
                .fields.at("national_id"),
            "identity.national_id.format");
  ASSERT_TRUE(participation_
                  ->CheckInWalkIn(p, m->token, identity::testing::NationalId(50000000),
                                  "سعاد الجعبري", officer_, at_door)
                  .ok());
  ASSERT_TRUE(participation_
                  ->CheckInWalkIn(p, m->token, identity::testing::NationalId(50000000),
                                  "سعاد الجعبري", officer_, at_door)
                  .ok());  // twice: one row
  // The walk-in without an account is known by a keyed hash, never by the ID.
  auto kept =
      db().Query("SELECT walkin_id FROM participation_registrations WHERE walkin_id IS NOT NULL");
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].Text(0).find(identity::testing::NationalId(50000000)), std::string::npos);
  auto regs = participation_->Registrations(m->id);
  ASSERT_EQ(regs->size(), 3u);
  EXPECT_EQ((*regs)[0].seat, Seat::kSeat);
  EXPECT_EQ((*regs)[1].account_id, walker);
  EXPECT_EQ((*regs)[2].account_id, 0);
  EXPECT_EQ((*regs)[2].name, "سعاد الجعبري");
  for (const Registration& r : *regs) EXPECT_NE(r.checked_in_at, 0);
  EXPECT_EQ(participation_->GetMeeting(p.id, m->token)->attended, 3);

  // The minutes, then the recommendations the meeting made, numbered within it.
  EXPECT_EQ(participation_->PublishMinutes(p, m->token, " ", officer_, at_door)
                .error()
                .fields.at("minutes"),
            "participation.text.empty");
  ASSERT_TRUE(
      participation_->PublishMinutes(p, m->token, "ناقش الحضور ترميم الأسواق.", officer_, at_door)
          .ok());
  auto r1 = participation_->RecommendFromMeeting(p, m->token, "ترميم الأسواق", "سوق اللبن أولاً",
                                                 officer_, at_door);
  auto r2 = participation_->RecommendFromMeeting(p, m->token, "إنارة الأزقة", "بالطاقة الشمسية",
                                                 officer_, at_door);
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ(r1->source, Source::kMeeting);
  EXPECT_EQ(r1->source_ref, m->token + "#1");
  EXPECT_EQ(r2->source_ref, m->token + "#2");
  EXPECT_EQ(participation_->GetRecommendation(p.id, r2->token)->source, Source::kMeeting);
  EXPECT_EQ(participation_->Figures(p.id, at_door)->total, 2);
  RecommendationInput forged{Source::kMeeting, "nosuchmeeting#1", "x", "y"};
  EXPECT_EQ(participation_->Recommend(p, forged, officer_, kNow).error().fields.at("source_ref"),
            "participation.rec.unknown_source");
  auto got = participation_->GetMeeting(p.id, m->token);
  EXPECT_EQ(got->minutes, "ناقش الحضور ترميم الأسواق.");
  EXPECT_EQ(got->minutes_published_at, at_door);
  EXPECT_EQ(audit::testing::Count(log(), "participation.meeting.checkin"), 5);
  EXPECT_EQ(audit::testing::Count(log(), "participation.meeting.minutes"), 1);
}

TEST_P(MeetingStoreTest, Migration0904KeepsTheRecommendationsRecordedBefore) {
  MigrateAll(903);
  Process p = MustCreateProcess();
  auto rec = participation_->Recommend(p, {Source::kWorkshop, "ورشة ١", "ترميم", "الأسواق"},
                                       officer_, kNow);
  ASSERT_TRUE(rec.ok());
  // The response as 0903's schema holds it (today's Respond also writes 0907's feed).
  ASSERT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                    auto n = tx.Exec(
                        "UPDATE participation_recommendations SET response = 'accepted', reasons "
                        "= 'نعم', department_id = 3, responded_at = ? WHERE token = ?",
                        {kNow, rec->token});
                    return n.ok() ? Ok() : Status(std::move(n).error());
                  })
                  .ok());
  auto ms = participation_->AddMilestone(p, rec->token, "المخططات", kNow + kDay, officer_, kNow);
  ASSERT_TRUE(ms.ok());
  const Actor a = Resident(1);
  ASSERT_TRUE(participation_->Follow(p, rec->token, a, "ar", true, kNow).ok());
  MigrateAll();
  auto after = participation_->GetRecommendation(p.id, rec->token);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->followers, 1);
  ASSERT_EQ(after->milestones.size(), 1u);
  EXPECT_EQ(after->milestones[0].id, ms->id);
  EXPECT_EQ(after->response, Response::kAccepted);
  // The constraints still hold after the rebuild: one recommendation per source, known followers.
  EXPECT_EQ(participation_
                ->Recommend(p, {Source::kWorkshop, "ورشة ١", "ترميم", "الأسواق"}, officer_, kNow)
                .error()
                .message_key,
            "participation.rec.exists");
  auto more =
      participation_->AddMilestone(p, rec->token, "التنفيذ", kNow + 9 * kDay, officer_, kNow);
  EXPECT_TRUE(more.ok());
  EXPECT_EQ(participation_->GetRecommendation(p.id, rec->token)->milestones.size(), 2u);
}

BALADIYA_INSTANTIATE_ENGINES(MeetingStoreTest);

}  // namespace
}  // namespace baladiya::participation

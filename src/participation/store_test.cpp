// participation's store on both engines: processes and phases, proposals by verified residents
// only and only in their phase, one support per person per proposal (the UNIQUE constraint, also
// under concurrent attempts), the threshold and the answer's due date, threaded comments, bad
// text refused with nothing stored, and every change audited.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "audit/testing.h"
#include "identity/store_test_fixture.h"
#include "notify/notify.h"
#include "notify/test_support.h"
#include "participation/participation.h"

namespace baladiya::participation {
namespace {

using identity::testing::kNow;
constexpr int64_t kDay = 86'400'000;

TEST(CheckTextTest, RefusesEmptyLongBidiAndBrokenText) {
  struct Case {
    std::string text;
    size_t max;
    const char* key;  // "" when accepted
  } cases[] = {
      {"ممرات آمنة", 150, ""},
      {"Safe crossings <script>alert(1)</script>", 150, ""},  // escaped on output, not refused
      {"", 150, "participation.text.empty"},
      {"  \n\t ", 150, "participation.text.empty"},
      {std::string(151, 'a'), 150, "participation.text.too_long"},
      {std::string(150, 'a'), 150, ""},
      // 150 Arabic letters are 300 bytes: characters count, not bytes.
      {[] {
         std::string s;
         for (int i = 0; i < 150; ++i) s += "ب";
         return s;
       }(),
       150, ""},
      {"abc\xe2\x80\xae"
       "cba",
       150, "participation.text.bidi"},                    // U+202E RIGHT-TO-LEFT OVERRIDE
      {"x\xe2\x81\xa6y", 150, "participation.text.bidi"},  // U+2066 LEFT-TO-RIGHT ISOLATE
      {"\xe2\x80\xaa", 150, "participation.text.bidi"},    // U+202A
      {"\xff\xfe", 150, "participation.text.encoding"},
  };
  for (const Case& c : cases) {
    Status s = CheckText(c.text, c.max);
    if (std::string(c.key).empty()) {
      EXPECT_TRUE(s.ok()) << c.text;
    } else {
      ASSERT_FALSE(s.ok()) << c.text;
      EXPECT_EQ(s.error().message_key, c.key) << c.text;
    }
  }
}

class ParticipationStoreTest : public identity::testing::IdentityStoreTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : identity::Migrations()) all.push_back(std::move(m));
    for (auto& m : Migrations()) all.push_back(std::move(m));
    auto migrated = db::Migrate(db(), all);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    for (crypto::Key32* k : {&keys_.master, &keys_.blind_index, &keys_.signing_seed}) {
      std::string raw = crypto::RandomBytes(k->size());
      std::memcpy(k->data(), raw.data(), k->size());
    }
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(keys_.signing_seed));
    store_ = std::make_unique<identity::AccountStore>(db(), keys_, audit_.get());
    participation_ = std::make_unique<Store>(db(), *store_, audit_.get());
  }

  // A resident, verified at the counter unless told otherwise.
  Actor Resident(int n, bool verified = true) {
    const int64_t id = MustRegister(identity::testing::Resident(n));
    if (verified) {
      EXPECT_TRUE(store().MarkVerified(id, "counter", {"clerk", "r", 1}, kNow).ok());
    }
    return {id, "resident-" + std::to_string(n), "req"};
  }

  ProcessInput Input(int64_t threshold = 3) {
    ProcessInput in;
    in.title_ar = "الخطة الاستراتيجية ٢٠٢٦–٢٠٣٠";
    in.title_en = "Strategic plan 2026-2030";
    in.summary_ar = "ملخص";
    in.summary_en = "Summary";
    in.threshold = threshold;
    in.answer_days = 30;
    in.phases = {{Phase::kInformation, kNow - 10 * kDay, kNow},
                 {Phase::kProposals, kNow, kNow + 30 * kDay},
                 {Phase::kDebate, kNow + 30 * kDay, kNow + 40 * kDay}};
    return in;
  }

  Process MustCreate(int64_t threshold = 3) {
    auto p = participation_->CreateProcess(1, Input(threshold), {0, "officer", "r"}, kNow);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message_key + " " + p.error().detail);
    return p.ok() ? *p : Process{};
  }

  std::unique_ptr<Store> participation_;
};

TEST_P(ParticipationStoreTest, AProcessKeepsItsPhasesAndTellsTheCurrentOne) {
  Process p = MustCreate();
  auto got = participation_->GetProcess(1, p.slug);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->phases.size(), 3u);
  EXPECT_EQ(got->PhaseAt(kNow - 1), Phase::kInformation);
  EXPECT_EQ(got->PhaseAt(kNow), Phase::kProposals);
  EXPECT_EQ(got->PhaseAt(kNow + 35 * kDay), Phase::kDebate);
  EXPECT_FALSE(got->PhaseAt(kNow + 50 * kDay).has_value());
  EXPECT_EQ(participation_->GetProcess(2, p.slug).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(participation_->Processes(1)->size(), 1u);
  EXPECT_TRUE(participation_->Processes(2)->empty());
  EXPECT_EQ(audit::testing::Count(log(), "participation.process.create"), 1);

  // Bad input names each field and stores nothing.
  ProcessInput bad = Input();
  bad.title_en = "";
  bad.threshold = 0;
  bad.phases = {{Phase::kProposals, kNow, kNow}};
  auto refused = participation_->CreateProcess(1, bad, {0, "officer", "r"}, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at("title_en"), "participation.text.empty");
  EXPECT_EQ(refused.error().fields.at("threshold"), "participation.threshold");
  EXPECT_EQ(refused.error().fields.at("phases"), "participation.phases.dates");
  EXPECT_EQ(participation_->Processes(1)->size(), 1u);

  // Moving the phases: proposals closed from now on.
  ASSERT_TRUE(
      participation_
          ->SetPhases(p, {{Phase::kDebate, kNow - kDay, kNow + kDay}}, {0, "officer", "r"}, kNow)
          .ok());
  EXPECT_EQ(participation_->GetProcess(1, p.slug)->PhaseAt(kNow), Phase::kDebate);
  EXPECT_EQ(audit::testing::Count(log(), "participation.process.phases"), 1);
}

TEST_P(ParticipationStoreTest, OnlyVerifiedResidentsProposeAndOnlyInTheProposalsPhase) {
  Process p = MustCreate();
  const Actor unverified = Resident(1, false);
  auto r = participation_->Propose(p, unverified, "عنوان", "نص", kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(r.error().message_key, "participation.unverified");
  const Actor staff{
      MustCreateStaff("hebron.officer", 1, {{identity::Role::kParticipationOfficer, 1, 0}}),
      "officer", "r"};
  EXPECT_EQ(participation_->Propose(p, staff, "عنوان", "نص", kNow).error().message_key,
            "participation.unverified");

  const Actor salma = Resident(2);
  EXPECT_EQ(participation_->Propose(p, salma, "عنوان", "نص", kNow - 1).error().message_key,
            "participation.phase_closed");
  EXPECT_EQ(participation_->Propose(p, salma, "عنوان", "نص", kNow + 30 * kDay).error().code,
            ErrorCode::kConflict);
  auto bad = participation_->Propose(p, salma, std::string(151, 'x'), "a\xe2\x80\xae", kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at("title"), "participation.text.too_long");
  EXPECT_EQ(bad.error().fields.at("body"), "participation.text.bidi");
  EXPECT_TRUE(participation_->Proposals(p.id)->empty());

  auto ok = participation_->Propose(p, salma, "ممرات مشاة آمنة", "أمام المدارس", kNow);
  ASSERT_TRUE(ok.ok()) << ok.error().message_key;
  auto list = participation_->Proposals(p.id);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].author_name, "محمد أحمد الخطيب");
  EXPECT_EQ((*list)[0].supports, 0);
  EXPECT_EQ(audit::testing::Count(log(), "participation.proposal.create"), 1);
}

TEST_P(ParticipationStoreTest, OneSupportPerPersonAndTheThresholdSetsTheAnswersDueDate) {
  Process p = MustCreate(/*threshold=*/2);
  const Actor author = Resident(1);
  auto x = participation_->Propose(p, author, "حديقة عامة", "قرب الدوار", kNow);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(participation_->Support(p, x->token, author, kNow).error().message_key,
            "participation.own_proposal");
  EXPECT_EQ(participation_->Support(p, x->token, Resident(2, false), kNow).error().message_key,
            "participation.unverified");
  const Actor a = Resident(3);
  EXPECT_EQ(*participation_->Support(p, x->token, a, kNow + 1), 1);
  auto again = participation_->Support(p, x->token, a, kNow + 2);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message_key, "participation.already_supported");
  EXPECT_EQ(participation_->GetProposal(p.id, x->token)->answer_due_at, 0);
  EXPECT_EQ(*participation_->Support(p, x->token, Resident(4), kNow + 3), 2);
  auto reached = participation_->GetProposal(p.id, x->token);
  EXPECT_EQ(reached->supports, 2);
  EXPECT_EQ(reached->threshold_reached_at, kNow + 3);
  EXPECT_EQ(reached->answer_due_at, kNow + 3 + 30 * kDay);
  EXPECT_FALSE(reached->Overdue(kNow + 29 * kDay));
  EXPECT_TRUE(reached->Overdue(kNow + 31 * kDay));
  // A third support leaves the due date as it was.
  EXPECT_EQ(*participation_->Support(p, x->token, Resident(5), kNow + 4), 3);
  EXPECT_EQ(participation_->GetProposal(p.id, x->token)->answer_due_at, kNow + 3 + 30 * kDay);
  EXPECT_EQ(participation_->Support(p, "no-such", Resident(6), kNow).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(audit::testing::Count(log(), "participation.support"), 3);

  // The official answer, once.
  EXPECT_FALSE(participation_->Answer(p, x->token, "", {0, "officer", "r"}, kNow).ok());
  ASSERT_TRUE(participation_->Answer(p, x->token, "قُبل الاقتراح", {0, "officer", "r"}, kNow).ok());
  EXPECT_EQ(participation_->Answer(p, x->token, "مرة ثانية", {0, "officer", "r"}, kNow)
                .error()
                .message_key,
            "participation.already_answered");
  auto answered = participation_->GetProposal(p.id, x->token);
  EXPECT_EQ(answered->answer, "قُبل الاقتراح");
  EXPECT_FALSE(answered->Overdue(kNow + 31 * kDay));
  EXPECT_EQ(audit::testing::Count(log(), "participation.answer"), 1);
}

TEST_P(ParticipationStoreTest, SimultaneousSupportsByOnePersonCountOnce) {
  Process p = MustCreate(100);
  auto x = participation_->Propose(p, Resident(1), "عنوان", "نص", kNow);
  ASSERT_TRUE(x.ok());
  const Actor a = Resident(2);
  std::atomic<int> ok{0}, conflict{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = participation_->Support(p, x->token, a, kNow);
      if (r.ok()) {
        ++ok;
      } else if (r.error().code == ErrorCode::kConflict) {
        ++conflict;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 7);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(participation_->GetProposal(p.id, x->token)->supports, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM participation_supports"), 1);
}

TEST_P(ParticipationStoreTest, CommentsAreThreadedWithTheirStance) {
  Process p = MustCreate();
  auto x = participation_->Propose(p, Resident(1), "عنوان", "نص", kNow);
  ASSERT_TRUE(x.ok());
  const Actor a = Resident(2), b = Resident(3);
  auto first = participation_->AddComment(p, x->token, 0, Stance::kFor, "أؤيد", a, kNow);
  ASSERT_TRUE(first.ok());
  auto second = participation_->AddComment(p, x->token, 0, Stance::kAgainst, "أعارض", b, kNow);
  ASSERT_TRUE(second.ok());
  auto reply =
      participation_->AddComment(p, x->token, first->id, Stance::kNeutral, "لماذا؟", b, kNow);
  ASSERT_TRUE(reply.ok());
  // A parent of another proposal, bad text, an unverified author, a closed phase: refused.
  auto y = participation_->Propose(p, a, "آخر", "نص", kNow);
  EXPECT_EQ(
      participation_->AddComment(p, y->token, first->id, Stance::kFor, "x", a, kNow).error().code,
      ErrorCode::kInvalid);
  EXPECT_EQ(
      participation_->AddComment(p, x->token, 0, Stance::kFor, std::string(2001, 'x'), a, kNow)
          .error()
          .fields.at("body"),
      "participation.text.too_long");
  EXPECT_EQ(participation_->AddComment(p, x->token, 0, Stance::kFor, "x", Resident(4, false), kNow)
                .error()
                .code,
            ErrorCode::kForbidden);
  EXPECT_TRUE(participation_->AddComment(p, x->token, 0, Stance::kFor, "x", a, kNow + 35 * kDay)
                  .ok());  // the debate phase
  EXPECT_EQ(participation_->AddComment(p, x->token, 0, Stance::kFor, "x", a, kNow + 45 * kDay)
                .error()
                .message_key,
            "participation.phase_closed");

  auto comments = participation_->Comments(x->id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 4u);
  EXPECT_EQ((*comments)[0].body, "أؤيد");
  EXPECT_EQ((*comments)[0].depth, 0);
  EXPECT_EQ((*comments)[1].body, "لماذا؟");
  EXPECT_EQ((*comments)[1].depth, 1);
  EXPECT_EQ((*comments)[1].parent_id, first->id);
  EXPECT_EQ((*comments)[2].body, "أعارض");
  EXPECT_EQ((*comments)[2].stance, Stance::kAgainst);
  EXPECT_TRUE(participation_->Comments(y->id)->empty());
  EXPECT_EQ(audit::testing::Count(log(), "participation.comment"), 4);
}

class VoteStoreTest : public ParticipationStoreTest {
 protected:
  // A budget process in its voting phase, and its vote: 1,000 ILS; projects of 600, 500, 300.
  void SetUp() override {
    ParticipationStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ProcessInput in = Input();
    in.phases = {{Phase::kVoting, kNow, kNow + 10 * kDay}};
    auto p = participation_->CreateProcess(1, in, {0, "officer", "r"}, kNow);
    ASSERT_TRUE(p.ok());
    process_ = *p;
    VoteInput v;
    v.title_ar = "الموازنة التشاركية ٢٠٢٦";
    v.title_en = "Participatory budget 2026";
    v.budget = 100'000;
    v.options = {{0, 0, "حديقة", "Park", 60'000},
                 {0, 0, "إنارة", "Lights", 50'000},
                 {0, 0, "مقاعد", "Benches", 30'000}};
    auto made = participation_->CreateVote(process_, v, {0, "officer", "r"}, kNow);
    ASSERT_TRUE(made.ok()) << made.error().message_key;
    vote_ = *made;
  }
  Status CastAs(const Actor& a, std::vector<int64_t> numbers, Channel c = Channel::kWeb,
                int64_t at = kNow + 1) {
    return participation_->Cast(process_, vote_, a.account_id, c, numbers, a, at);
  }
  Process process_;
  Vote vote_;
};

TEST_P(VoteStoreTest, ABallotFollowsTheRulesAndOnePersonVotesOnceOnAnyChannel) {
  EXPECT_EQ(vote_.options.size(), 3u);
  EXPECT_EQ(vote_.sms_code.size(), 5u);
  auto by_code = participation_->VoteBySmsCode(vote_.sms_code);
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ(by_code->second.id, vote_.id);
  EXPECT_EQ(participation_->VoteBySmsCode("ZZZZZ").error().code, ErrorCode::kNotFound);

  const Actor a = Resident(1);
  EXPECT_EQ(CastAs(Resident(2, false), {1}).error().message_key, "participation.unverified");
  EXPECT_EQ(CastAs(a, {1}, Channel::kWeb, kNow - 1).error().message_key,
            "participation.phase_closed");
  EXPECT_EQ(CastAs(a, {1, 2}).error().message_key, "participation.vote.over_budget");
  EXPECT_EQ(CastAs(a, {4}).error().message_key, "participation.vote.choice");
  EXPECT_EQ(CastAs(a, {3, 3}).error().message_key, "participation.vote.choice");
  EXPECT_EQ(CastAs(a, {}).error().message_key, "participation.vote.choice");
  EXPECT_EQ(participation_->TurnoutOf(vote_.id)->total(), 0);

  ASSERT_TRUE(CastAs(a, {1, 3}).ok());
  EXPECT_TRUE(*participation_->Voted(vote_.id, a.account_id));
  for (Channel c : {Channel::kWeb, Channel::kCounter, Channel::kSms}) {
    Status again = CastAs(a, {2}, c);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().message_key, "participation.vote.already");
  }
  ASSERT_TRUE(CastAs(Resident(3), {2, 3}, Channel::kCounter).ok());
  ASSERT_TRUE(CastAs(Resident(4), {2}, Channel::kSms).ok());
  Turnout t = *participation_->TurnoutOf(vote_.id);
  EXPECT_EQ(t.web, 1);
  EXPECT_EQ(t.counter, 1);
  EXPECT_EQ(t.sms, 1);
  EXPECT_EQ(audit::testing::Count(log(), "participation.vote.cast"), 3);
  // The audit entries name who recorded the ballot and the vote, never the choices.
  for (const audit::Entry& e : Entries("participation.vote.cast")) {
    EXPECT_EQ(e.object, "vote:" + vote_.slug);
  }
}

TEST_P(VoteStoreTest, TwoChannelsAtOnceGiveExactlyOneBallot) {
  for (int round = 0; round < 5; ++round) {
    const Actor a = Resident(10 + round);
    std::atomic<int> ok{0}, conflict{0};
    std::thread web([&] { (CastAs(a, {1}, Channel::kWeb).ok() ? ok : conflict)++; });
    std::thread sms([&] { (CastAs(a, {2}, Channel::kSms).ok() ? ok : conflict)++; });
    web.join();
    sms.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(conflict.load(), 1);
  }
  EXPECT_EQ(participation_->TurnoutOf(vote_.id)->total(), 5);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT ballot) FROM participation_choices"), 5);
}

TEST_P(VoteStoreTest, TheTallyFundsTheMostVotedProjectsThatFitAndIsPublishedOnce) {
  // Lights 3 votes, park 2, benches 1: lights (500) then the park does not fit (600 > 500 left),
  // benches (300) do.
  ASSERT_TRUE(CastAs(Resident(1), {2, 3}).ok());
  ASSERT_TRUE(CastAs(Resident(2), {2}).ok());
  ASSERT_TRUE(CastAs(Resident(3), {2}).ok());
  ASSERT_TRUE(CastAs(Resident(4), {1}).ok());
  ASSERT_TRUE(CastAs(Resident(5), {1}).ok());
  auto tally = participation_->Tally(vote_);
  ASSERT_TRUE(tally.ok());
  EXPECT_EQ((*tally)[0].votes, 2);
  EXPECT_FALSE((*tally)[0].selected);
  EXPECT_EQ((*tally)[1].votes, 3);
  EXPECT_TRUE((*tally)[1].selected);
  EXPECT_EQ((*tally)[2].votes, 1);
  EXPECT_TRUE((*tally)[2].selected);
  ASSERT_TRUE(participation_->Publish(process_, vote_, {0, "officer", "r"}, kNow + 2).ok());
  EXPECT_EQ(
      participation_->Publish(process_, vote_, {0, "officer", "r"}, kNow + 3).error().message_key,
      "participation.vote.already_published");
  auto published = participation_->GetVote(process_.id, vote_.slug);
  EXPECT_EQ(published->published_at, kNow + 2);
  EXPECT_EQ(published->options[1].votes, 3);
  EXPECT_TRUE(published->options[1].selected);
  // After publication no ballot is taken.
  EXPECT_FALSE(participation_
                   ->Cast(process_, *published, Resident(6).account_id, Channel::kWeb, {1},
                          {0, "x", "r"}, kNow + 4)
                   .ok());
}

TEST_P(VoteStoreTest, AnApprovalVoteTakesAtMostNChoices) {
  VoteInput v;
  v.title_ar = "أولويات";
  v.title_en = "Priorities";
  v.rule = VoteRule::kApprove;
  v.max_choices = 2;
  v.options = {{0, 0, "أ", "A", 0}, {0, 0, "ب", "B", 0}, {0, 0, "ج", "C", 0}};
  auto approve = participation_->CreateVote(process_, v, {0, "officer", "r"}, kNow);
  ASSERT_TRUE(approve.ok()) << approve.error().message_key;
  const Actor a = Resident(1);
  EXPECT_EQ(
      participation_->Cast(process_, *approve, a.account_id, Channel::kWeb, {1, 2, 3}, a, kNow + 1)
          .error()
          .message_key,
      "participation.vote.too_many");
  EXPECT_TRUE(
      participation_->Cast(process_, *approve, a.account_id, Channel::kWeb, {1, 3}, a, kNow + 1)
          .ok());
  v.max_choices = 0;
  EXPECT_EQ(participation_->CreateVote(process_, v, {0, "officer", "r"}, kNow)
                .error()
                .fields.at("max_choices"),
            "participation.vote.max_choices");
}

// Recommendations: made from a proposal past its threshold, a winning project or a workshop
// report; responded to, given milestones and progress; followers told in the change's
// transaction; overdue milestones flagged once.
class RecommendationStoreTest : public VoteStoreTest {
 protected:
  void SetUp() override {
    VoteStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : identity::Migrations()) all.push_back(std::move(m));
    for (auto& m : Migrations()) all.push_back(std::move(m));
    for (auto& m : notify::Migrations()) all.push_back(std::move(m));
    ASSERT_TRUE(db::Migrate(db(), all).ok());
    templates_ = std::make_unique<notify::CatalogTemplates>(notify::testing::Catalogue());
    outbox_ = std::make_unique<notify::Outbox>(db(), keys_.master, *templates_);
    participation_ = std::make_unique<Store>(db(), *store_, audit_.get(), outbox_.get());
  }
  int Told(int64_t account_id, const std::string& key) {
    int n = 0;
    auto recent = outbox_->Recent(0, 1000);
    if (!recent.ok()) ADD_FAILURE() << recent.error().detail;
    for (const notify::Record& r : *recent) {
      n += r.account_id == account_id && r.template_key == key;
    }
    return n;
  }
  const Actor officer_{0, "officer", "r"};
  std::unique_ptr<notify::CatalogTemplates> templates_;
  std::unique_ptr<notify::Outbox> outbox_;
};

TEST_P(RecommendationStoreTest, OnlyAWinningProjectAThresholdProposalOrAReportMakesOne) {
  // Before the results are published no project has won.
  RecommendationInput in{Source::kProject, vote_.slug + "#2", "إنارة الشوارع", "Lights"};
  EXPECT_EQ(participation_->Recommend(process_, in, officer_, kNow).error().message_key,
            "participation.rec.not_winner");
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(CastAs(Resident(i), {2, 3}).ok());
  ASSERT_TRUE(participation_->Publish(process_, vote_, officer_, kNow + 2).ok());
  auto made = participation_->Recommend(process_, in, officer_, kNow + 3);
  ASSERT_TRUE(made.ok()) << made.error().message_key;
  EXPECT_EQ(participation_->Recommend(process_, in, officer_, kNow + 3).error().message_key,
            "participation.rec.exists");
  RecommendationInput loser{Source::kProject, vote_.slug + "#1", "حديقة", "Park"};
  EXPECT_EQ(participation_->Recommend(process_, loser, officer_, kNow).error().message_key,
            "participation.rec.not_winner");
  RecommendationInput unknown{Source::kProject, vote_.slug + "#9", "x", "y"};
  EXPECT_EQ(
      participation_->Recommend(process_, unknown, officer_, kNow).error().fields.at("source_ref"),
      "participation.rec.unknown_source");
  RecommendationInput report{Source::kWorkshop, "ورشة البلدة القديمة ٢٠٢٦/٣", "ترميم الأسواق",
                             "ترميم أسواق البلدة القديمة"};
  ASSERT_TRUE(participation_->Recommend(process_, report, officer_, kNow).ok());
  RecommendationInput bidi{Source::kWorkshop, "r2", "abc\xe2\x80\xae", ""};
  auto refused = participation_->Recommend(process_, bidi, officer_, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at("title"), "participation.text.bidi");
  EXPECT_EQ(refused.error().fields.at("body"), "participation.text.empty");

  // A proposal below its threshold is not yet a recommendation.
  Process proposals = MustCreate(2);
  auto prop = participation_->Propose(proposals, Resident(10), "ممرات آمنة", "قرب المدارس", kNow);
  ASSERT_TRUE(prop.ok());
  RecommendationInput from_prop{Source::kProposal, prop->token, prop->title, prop->body};
  EXPECT_EQ(participation_->Recommend(proposals, from_prop, officer_, kNow).error().message_key,
            "participation.rec.below_threshold");
  ASSERT_TRUE(participation_->Support(proposals, prop->token, Resident(11), kNow).ok());
  ASSERT_TRUE(participation_->Support(proposals, prop->token, Resident(12), kNow).ok());
  EXPECT_TRUE(participation_->Recommend(proposals, from_prop, officer_, kNow).ok());

  EXPECT_EQ(participation_->Recommendations(process_.id)->size(), 2u);
  EXPECT_EQ(audit::testing::Count(log(), "participation.rec.create"), 3);
}

TEST_P(RecommendationStoreTest, FollowersAreToldOfEveryChangeAndOverdueIsFlaggedOnce) {
  RecommendationInput in{Source::kWorkshop, "ورشة ١", "ترميم الأسواق",
                         "ترميم أسواق البلدة القديمة"};
  auto rec = participation_->Recommend(process_, in, officer_, kNow);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->State(kNow), RecState::kAwaiting);
  const Actor a = Resident(1), b = Resident(2, false);  // following needs only an account
  ASSERT_TRUE(participation_->Follow(process_, rec->token, a, "en", true, kNow).ok());
  ASSERT_TRUE(participation_->Follow(process_, rec->token, a, "en", true, kNow).ok());  // no-op
  ASSERT_TRUE(participation_->Follow(process_, rec->token, b, "ar", true, kNow).ok());
  EXPECT_TRUE(*participation_->Following(rec->id, a.account_id));
  EXPECT_EQ(participation_->GetRecommendation(process_.id, rec->token)->followers, 2);
  EXPECT_EQ(audit::testing::Count(log(), "participation.rec.follow"), 2);

  // Accepting needs a department; nothing changes and no one is told when refused.
  auto refused =
      participation_->Respond(process_, rec->token, Response::kAccepted, "", 0, officer_, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at("department"), "participation.rec.department");
  EXPECT_EQ(refused.error().fields.at("reasons"), "participation.text.empty");
  EXPECT_EQ(Told(a.account_id, "participation.rec_responded"), 0);
  EXPECT_EQ(participation_->AddMilestone(process_, rec->token, "x", kNow, officer_, kNow)
                .error()
                .message_key,
            "participation.rec.not_accepted");

  ASSERT_TRUE(participation_
                  ->Respond(process_, rec->token, Response::kPartly, "يُرمَّم السوق الأول هذا العام",
                            7, officer_, kNow)
                  .ok());
  EXPECT_EQ(Told(a.account_id, "participation.rec_responded"), 1);
  EXPECT_EQ(Told(b.account_id, "participation.rec_responded"), 1);
  auto m1 = participation_->AddMilestone(process_, rec->token, "المخططات", kNow + 10 * kDay,
                                         officer_, kNow);
  auto m2 = participation_->AddMilestone(process_, rec->token, "التنفيذ", kNow + 60 * kDay,
                                         officer_, kNow);
  ASSERT_TRUE(m1.ok() && m2.ok());
  EXPECT_EQ(Told(a.account_id, "participation.rec_milestone"), 2);
  EXPECT_EQ(participation_->SetProgress(process_, rec->token, m1->id, 101, officer_, kNow)
                .error()
                .fields.at("progress"),
            "participation.rec.progress_invalid");
  EXPECT_EQ(
      participation_->SetProgress(process_, rec->token, 999999, 10, officer_, kNow).error().code,
      ErrorCode::kNotFound);
  ASSERT_TRUE(participation_->SetProgress(process_, rec->token, m1->id, 40, officer_, kNow).ok());
  EXPECT_EQ(Told(b.account_id, "participation.rec_progress"), 1);
  EXPECT_EQ(participation_->GetRecommendation(process_.id, rec->token)->State(kNow),
            RecState::kInProgress);

  // Past its date, the first milestone is overdue: flagged once, whoever asks again.
  const int64_t late = kNow + 11 * kDay;
  EXPECT_EQ(participation_->GetRecommendation(process_.id, rec->token)->State(late),
            RecState::kOverdue);
  auto flagged = participation_->FlagOverdue(1, late);
  ASSERT_TRUE(flagged.ok());
  ASSERT_EQ(flagged->size(), 1u);
  EXPECT_EQ((*flagged)[0].milestone.id, m1->id);
  EXPECT_EQ((*flagged)[0].department_id, 7);
  EXPECT_EQ((*flagged)[0].recommendation_token, rec->token);
  EXPECT_TRUE(participation_->FlagOverdue(1, late + kDay)->empty());
  EXPECT_TRUE(participation_->FlagOverdue(2, late)->empty());
  auto figures = participation_->Figures(process_.id, late);
  EXPECT_EQ(figures->total, 1);
  EXPECT_EQ(figures->accepted, 1);
  EXPECT_EQ(figures->overdue, 1);
  EXPECT_EQ(figures->done, 0);

  // Both done: the recommendation is done; one who stopped following is told no more.
  ASSERT_TRUE(participation_->Follow(process_, rec->token, b, "ar", false, late).ok());
  ASSERT_TRUE(participation_->SetProgress(process_, rec->token, m1->id, 100, officer_, late).ok());
  ASSERT_TRUE(participation_->SetProgress(process_, rec->token, m2->id, 100, officer_, late).ok());
  EXPECT_EQ(Told(a.account_id, "participation.rec_progress"), 3);
  EXPECT_EQ(Told(b.account_id, "participation.rec_progress"), 1);
  auto done = participation_->GetRecommendation(process_.id, rec->token);
  EXPECT_EQ(done->State(late), RecState::kDone);
  EXPECT_EQ(done->milestones[0].done_at, late);
  EXPECT_EQ(participation_->Figures(process_.id, late)->done, 1);
  EXPECT_EQ(participation_->Figures(process_.id, late)->overdue, 0);
  EXPECT_EQ(audit::testing::Count(log(), "participation.rec.respond"), 1);
  EXPECT_EQ(audit::testing::Count(log(), "participation.rec.milestone"), 2);
  EXPECT_EQ(audit::testing::Count(log(), "participation.rec.progress"), 3);
}

BALADIYA_INSTANTIATE_ENGINES(ParticipationStoreTest);
BALADIYA_INSTANTIATE_ENGINES(VoteStoreTest);
BALADIYA_INSTANTIATE_ENGINES(RecommendationStoreTest);

}  // namespace
}  // namespace baladiya::participation

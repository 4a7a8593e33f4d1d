// participation's organisations on both engines: registration (a name once per municipality),
// members added by their administrators only, verification by the officer, and texts posted for a
// verified organisation shown under its name (refused for an unverified one or a non-member).
#include <gtest/gtest.h>

#include "participation/store_test_fixture.h"

namespace baladiya::participation {
namespace {

using testing::kNow;

class OrganisationStoreTest : public testing::StoreFixture {};

TEST_P(OrganisationStoreTest, MembersPostUnderTheVerifiedOrganisationsName) {
  MigrateAll();
  Process p = MustCreateProcess();
  const Actor director = Resident(1), member = Resident(2), outsider = Resident(3);
  for (const Actor& a : {director, member, outsider}) {
    ASSERT_TRUE(store().MarkVerified(a.account_id, "counter", {"c", "r", 1}, kNow).ok());
  }
  OrganisationInput in{"جمعية أصدقاء البلدة القديمة", OrgKind::kNgo, "HE-1234"};
  auto bad = participation_->RegisterOrganisation(1, {"", OrgKind::kMedia, "x\xe2\x80\xae"},
                                                  director, kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at("name"), "participation.text.empty");
  EXPECT_EQ(bad.error().fields.at("registration_number"), "participation.text.bidi");
  auto org = participation_->RegisterOrganisation(1, in, director, kNow);
  ASSERT_TRUE(org.ok()) << org.error().message_key;
  EXPECT_EQ(participation_->RegisterOrganisation(1, in, outsider, kNow).error().message_key,
            "participation.org.exists");
  EXPECT_TRUE(participation_->RegisterOrganisation(2, in, outsider, kNow).ok());  // elsewhere

  // Members: added by an administrator, by national ID.
  EXPECT_EQ(participation_->AddMember(*org, identity::testing::NationalId(40000002), outsider, kNow)
                .error()
                .message_key,
            "participation.org.not_admin");
  EXPECT_EQ(participation_->AddMember(*org, "123", director, kNow).error().fields.at("national_id"),
            "identity.national_id.format");
  EXPECT_EQ(participation_->AddMember(*org, identity::testing::NationalId(50000000), director, kNow)
                .error()
                .fields.at("national_id"),
            "participation.org.no_account");
  ASSERT_TRUE(
      participation_->AddMember(*org, identity::testing::NationalId(40000002), director, kNow)
          .ok());
  EXPECT_EQ(participation_->AddMember(*org, identity::testing::NationalId(40000002), director, kNow)
                .error()
                .message_key,
            "participation.org.member_exists");
  auto members = participation_->Members(org->id);
  ASSERT_EQ(members->size(), 2u);
  EXPECT_TRUE((*members)[0].admin);
  EXPECT_FALSE((*members)[1].admin);
  EXPECT_EQ(participation_->OrganisationsOf(1, member.account_id)->size(), 1u);

  // Not verified yet: nobody posts for it.
  EXPECT_EQ(participation_->Propose(p, member, "مقاعد", "في الساحة", kNow, org->token)
                .error()
                .message_key,
            "participation.org.not_member");
  EXPECT_EQ(
      participation_->VerifyOrganisation(*org, "", officer_, kNow).error().fields.at("documents"),
      "participation.text.empty");
  ASSERT_TRUE(
      participation_->VerifyOrganisation(*org, "شهادة التسجيل وهوية المدير", officer_, kNow).ok());
  EXPECT_EQ(participation_->VerifyOrganisation(*org, "x", officer_, kNow).error().message_key,
            "participation.org.already_verified");
  auto x = participation_->Propose(p, member, "مقاعد", "في الساحة", kNow, org->token);
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->author_name, "جمعية أصدقاء البلدة القديمة (محمد أحمد الخطيب)");
  EXPECT_EQ(participation_->GetProposal(p.id, x->token)->author_name, x->author_name);
  EXPECT_EQ(participation_->Propose(p, outsider, "t", "b", kNow, org->token).error().message_key,
            "participation.org.not_member");
  auto c =
      participation_->AddComment(p, x->token, 0, Stance::kFor, "نؤيد", director, kNow, org->token);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(participation_->Comments(x->id)->front().author_name,
            "جمعية أصدقاء البلدة القديمة (محمد أحمد الخطيب)");
  // Oneself, as before.
  EXPECT_EQ(participation_->Propose(p, outsider, "t", "b", kNow)->author_name, "محمد أحمد الخطيب");
  EXPECT_EQ(audit::testing::Count(log(), "participation.org.register"), 2);
  EXPECT_EQ(audit::testing::Count(log(), "participation.org.member"), 1);
  EXPECT_EQ(audit::testing::Count(log(), "participation.org.verify"), 1);
}

BALADIYA_INSTANTIATE_ENGINES(OrganisationStoreTest);

}  // namespace
}  // namespace baladiya::participation

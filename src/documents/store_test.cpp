// documents' storage on both engines: issuing as an observer of cases (numbers per municipality
// and year, concurrent completions never sharing a number), the signed PDF stored with its digest
// (BYTEA on PostgreSQL), keys and their rotation, revocation and the revoked list, and a refused
// issue leaving the case where it was.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "catalog/catalog.h"
#include "documents/documents.h"
#include "documents/pades.h"
#include "identity/credentials.h"
#include "notify/test_support.h"
#include "platform/db/test_support.h"
#include "workflow/workflow.h"

namespace baladiya::documents {
namespace {

constexpr int64_t kNow = 1'773'565'200'000;  // 2026-03-15T09:00:00Z

class DocumentStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::vector<db::Migration> all =
        db::MigrationsOf({catalog::Migrations, audit::Migrations, identity::Migrations,
                          notify::Migrations, cases::Migrations, Migrations});
    ASSERT_TRUE(db::Migrate(db(), all).ok());
    ASSERT_TRUE(catalog::SeedDemo(db(), kNow).ok());
    for (crypto::Key32* k : {&keys_.master, &keys_.blind_index, &keys_.signing_seed}) {
      std::string raw = crypto::RandomBytes(32);
      std::memcpy(k->data(), raw.data(), 32);
    }
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(keys_.signing_seed));
    accounts_ = std::make_unique<identity::AccountStore>(db(), keys_, audit_.get());
    identity::ResidentRegistration r{"401234562", "سلمى خليل", "Salma Khalil",        "0599123456",
                                     "",          "",          "olive-harvest-season"};
    auto id = accounts_->RegisterResident(r, Hasher(), {"t", "t", 0}, kNow);
    ASSERT_TRUE(id.ok()) << id.error().detail;
    salma_ = *id;
    cases::Dependencies deps;
    deps.db = &db();
    deps.master = &keys_.master;
    deps.audit = audit_.get();
    cases_ = std::make_unique<cases::CaseStore>(std::move(deps));
    tenancy_ = std::make_unique<catalog::TenancyStore>(db());  // cached, as served
    signing_ = std::make_unique<KeyStore>(db(), keys_.signing_seed);
    certificates_ = std::make_unique<CertificateStore>(db(), keys_.master);
    StoreDeps d;
    d.db = &db();
    d.keys = signing_.get();
    d.audit = audit_.get();
    d.cases = cases_.get();
    d.tenancy = tenancy_.get();
    d.accounts = accounts_.get();
    d.messages = &notify::testing::Catalogue();
    d.extensions = &extensions_;
    // A small PDF, signed as the program signs its documents.
    d.render_pdf = [this](db::Tx& tx, const Document& doc) -> Result<std::string> {
      auto signer = certificates_->ForMunicipality(tx, doc.municipality_id, "Hebron", kNow);
      if (!signer.ok()) return std::move(signer).error();
      const std::string pdf =
          "%PDF-1.4\n1 0 obj\n<< /Type /Pages /Kids [ 2 0 R ] /Count 1 >>\nendobj\n2 0 obj\n<< "
          "/Type /Page /Parent 1 0 R /MediaBox [ 0 0 595 842 ] >>\nendobj\n3 0 obj\n<< /Type "
          "/Catalog /Pages 1 0 R >>\nendobj\nxref\n0 4\n0000000000 65535 f \ntrailer\n<< /Size 4 "
          "/Root 3 0 R >>\nstartxref\n140\n%%EOF\n";
      return (*signer)->Sign(pdf, doc.issued_at, "Hebron", doc.number);
    };
    store_ = std::make_unique<DocumentStore>(d);
    cases_->AddObserver(
        [this](db::Tx& tx, const cases::StateChange& c) { return store_->OnStateChange(tx, c); });
    hebron_ = tenancy_->FindMunicipality("hebron")->id;
    catalog::ServiceStore services(db());
    permit_ = *services.Find(hebron_, "building-permit");
    clearance_ = *services.Find(hebron_, "clearance-certificate");
    wf_ = workflow::DefaultWorkflow(notify::testing::Catalogue());
  }

  static identity::PasswordHasher& Hasher() {
    static identity::PasswordHasher hasher(identity::HashParams{8192, 1}, 2, 256);
    return hasher;
  }

  cases::Case File(const catalog::Service& s, catalog::Answers answers) {
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = salma_;
    in.channel = "counter";
    in.answers = std::move(answers);
    if (s.code == "building-permit") {
      auto up = cases_->AddUpload(salma_, hebron_, "plans.pdf", "%PDF-1.7\n%%EOF\n", kNow);
      EXPECT_TRUE(up.ok());
      in.answers["plans"] = {up.ok() ? up->id : ""};
    }
    cases::Actor actor{salma_, "p-salma", {"resident"}, "counter", "req"};
    auto c = cases_->SubmitAnswers(in, actor, s, wf_, calendar_, "HEB", kNow);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    return c.ok() ? *c : cases::Case{};
  }
  cases::Case Permit() {
    return File(permit_, {{"applying_as", {"owner"}},
                          {"basin_parcel", {"34/112"}},
                          {"permit_type", {"addition"}},
                          {"building_area", {"80"}},
                          {"building_use", {"commercial"}}});
  }

  Result<cases::Case> Move(const cases::Case& c, const std::string& action,
                           const catalog::Service& s, int64_t at = kNow) {
    auto now = cases_->Get(c.id);
    if (!now.ok()) return now;
    cases::Actor staff{5, "p-staff", {"municipal-admin"}, "web", "req-move"};
    return cases_->Transition(c.id, now->version, action, "", staff, wf_, calendar_, s, at);
  }
  Status Complete(const cases::Case& c, const catalog::Service& s, int64_t at = kNow) {
    for (const char* a : {"start_review", "approve", "complete"}) {
      auto r = Move(c, a, s, at);
      if (!r.ok()) return std::move(r).error();
    }
    return Ok();
  }

  crypto::KeyFile keys_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::AccountStore> accounts_;
  std::unique_ptr<cases::CaseStore> cases_;
  std::unique_ptr<catalog::TenancyStore> tenancy_;
  std::unique_ptr<KeyStore> signing_;
  std::unique_ptr<CertificateStore> certificates_;
  std::unique_ptr<DocumentStore> store_;
  Extensions extensions_;
  workflow::Workflow wf_;
  workflow::Calendar calendar_;
  catalog::Service permit_, clearance_;
  int64_t hebron_ = 0;
  int64_t salma_ = 0;
};

TEST_P(DocumentStoreTest, IssuesOnCompletionWithItsSignedPdfAndDigest) {
  cases::Case c = Permit();
  ASSERT_TRUE(Complete(c, permit_).ok());
  auto d = store_->OfCase(c.id);
  ASSERT_TRUE(d.ok()) << d.error().detail;
  EXPECT_EQ(d->number.rfind("HEBD-26-000001-", 0), 0u);
  EXPECT_EQ(d->holder.en, "Salma Khalil");
  EXPECT_EQ(d->facts.size(), 5u - 1) << "floors is not asked of an addition";
  auto pdf = store_->Pdf(d->number);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(crypto::Sha256Hex(*pdf), d->pdf_sha256);
  EXPECT_EQ(static_cast<int64_t>(pdf->size()), d->pdf_size);
  EXPECT_NE(pdf->find("/SubFilter /ETSI.CAdES.detached"), std::string::npos);
  auto check = store_->Verify(d->code, kNow);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->outcome, "valid");
  ASSERT_TRUE(check->document.has_value());
  EXPECT_EQ(check->document->number, d->number);
  auto found = store_->Find(d->number);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->code, d->code);
  EXPECT_EQ(store_->Find("HEBD-26-999999-0").error().code, ErrorCode::kNotFound);
}

TEST_P(DocumentStoreTest, AReopenedCaseCompletedAgainKeepsItsDocument) {
  cases::Case c = Permit();
  ASSERT_TRUE(Complete(c, permit_).ok());
  auto first = store_->OfCase(c.id);
  ASSERT_TRUE(first.ok());
  auto now = cases_->Get(c.id);
  cases::Actor salma{salma_, "p-salma", {"resident"}, "web", "req"};
  auto reopened =
      cases_->Reopen(c.id, now->version, 30, salma, wf_, calendar_, permit_, kNow + 1000);
  ASSERT_TRUE(reopened.ok()) << reopened.error().detail;
  if (reopened->state == "submitted") {
    ASSERT_TRUE(Move(c, "start_review", permit_).ok());
  }
  ASSERT_TRUE(Move(c, "approve", permit_, kNow + 2000).ok());
  ASSERT_TRUE(Move(c, "complete", permit_, kNow + 3000).ok()) << "completing again is not refused";
  auto again = store_->OfCase(c.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->number, first->number);
  EXPECT_EQ(again->issued_at, first->issued_at);
}

TEST_P(DocumentStoreTest, ConcurrentCompletionsNeverShareANumber) {
  constexpr int kCases = 8;
  std::vector<cases::Case> all;
  for (int i = 0; i < kCases; ++i) {
    cases::Case c = Permit();
    ASSERT_TRUE(Move(c, "start_review", permit_).ok());
    ASSERT_TRUE(Move(c, "approve", permit_).ok());
    all.push_back(c);
  }
  std::vector<std::thread> threads;
  std::atomic<int> done{0};
  for (const auto& c : all) {
    threads.emplace_back([&, c] { done += Move(c, "complete", permit_).ok(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(done.load(), kCases);
  std::set<std::string> numbers;
  for (const auto& c : all) {
    auto d = store_->OfCase(c.id);
    ASSERT_TRUE(d.ok());
    numbers.insert(d->number.substr(0, 14));
  }
  EXPECT_EQ(numbers.size(), static_cast<size_t>(kCases)) << "one number each, no gaps";
  EXPECT_EQ(*numbers.rbegin(), "HEBD-26-000008");
}

TEST_P(DocumentStoreTest, RotatedKeysKeepVerifyingAndRevocationShowsAtOnce) {
  cases::Case first = Permit();
  ASSERT_TRUE(Complete(first, permit_).ok());
  auto rotated = signing_->Rotate(hebron_, "hebron", kNow + 1000);
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated->generation, 2);
  cases::Case second = Permit();
  ASSERT_TRUE(Complete(second, permit_).ok());
  auto d1 = store_->OfCase(first.id);
  auto d2 = store_->OfCase(second.id);
  ASSERT_TRUE(d1.ok() && d2.ok());
  EXPECT_EQ(store_->Verify(d1->code, kNow)->outcome, "valid");
  EXPECT_EQ(store_->Verify(d2->code, kNow)->outcome, "valid");
  auto all = signing_->All();
  ASSERT_TRUE(all.ok());
  int retired = 0;
  for (const auto& k : *all) retired += k.retired_at > 0;
  EXPECT_EQ(retired, 1);

  EXPECT_EQ(store_->Revoke(d1->number, hebron_, "  ", "p", "r", kNow).error().code,
            ErrorCode::kInvalid);
  EXPECT_EQ(store_->Revoke(d1->number, hebron_ + 1, "خطأ", "p", "r", kNow).error().code,
            ErrorCode::kNotFound)
      << "another municipality's document";
  ASSERT_TRUE(store_->Revoke(d1->number, hebron_, "خطأ في المخطط", "p", "r", kNow + 5).ok());
  EXPECT_EQ(store_->Revoke(d1->number, hebron_, "مرة أخرى", "p", "r", kNow + 6).error().code,
            ErrorCode::kConflict);
  auto v = store_->Verify(d1->code, kNow + 10);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->outcome, "revoked");
  EXPECT_EQ(v->revoked_reason, "خطأ في المخطط");
  auto list = store_->Revoked(hebron_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].first, d1->number);
  auto signed_list = SignedRevocationList(*store_, *signing_, kNow);
  ASSERT_TRUE(signed_list.ok());
  EXPECT_NE(signed_list->find("\"signature\""), std::string::npos);
}

TEST_P(DocumentStoreTest, ARefusedClearanceLeavesTheCaseWhereItWas) {
  cases::Case c = File(clearance_, {{"purpose", {"bank"}}, {"delivery", {"counter"}}});
  ASSERT_TRUE(Move(c, "start_review", clearance_).ok());
  ASSERT_TRUE(Move(c, "approve", clearance_).ok());
  auto refused = Move(c, "complete", clearance_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message_key, "documents.dues_unknown");
  extensions_.owes = [](db::Tx&, int64_t, int64_t) -> Result<bool> { return true; };
  EXPECT_EQ(Move(c, "complete", clearance_).error().message_key, "documents.owes");
  EXPECT_EQ(cases_->Get(c.id)->state, "approved");
  EXPECT_EQ(store_->OfCase(c.id).error().code, ErrorCode::kNotFound);
  // Nothing numbered: the refusals took no number.
  extensions_.owes = [](db::Tx&, int64_t, int64_t) -> Result<bool> { return false; };
  ASSERT_TRUE(Move(c, "complete", clearance_).ok());
  EXPECT_EQ(store_->OfCase(c.id)->number.rfind("HEBD-26-000001-", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, DocumentStoreTest, ::testing::Values("sqlite", "postgresql"),
                         db::testing::EngineName);

}  // namespace
}  // namespace baladiya::documents

// AccountStore on SQLite and PostgreSQL: registration and its validation, the national-ID
// uniqueness (also under concurrent registrations), staff and grants, status and passwords, TOTP,
// reset codes, the data export, closure (crypto-shredding) and the audit entries of all of them.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "identity/store_test_fixture.h"

namespace baladiya::identity {
namespace {

using testing::E164;
using testing::kNow;
using testing::LocalPhone;
using testing::NationalId;
using testing::Resident;

class AccountStoreTest : public testing::IdentityStoreTest {};

// Every text and blob column of every identity table, concatenated.
std::string Dump(db::Database& db) {
  std::string out;
  for (const char* table : {"accounts", "account_keys", "account_lookup", "account_grants",
                            "account_recovery_codes", "account_reset_codes", "sessions"}) {
    auto rows = db.Query(std::string("SELECT * FROM ") + table);
    EXPECT_TRUE(rows.ok());
    if (!rows.ok()) continue;
    for (const auto& r : *rows) {
      for (size_t i = 0; i < r.size(); ++i) {
        if (const auto* s = std::get_if<std::string>(&r.at(i))) out += *s + "|";
        if (const auto* b = std::get_if<db::Blob>(&r.at(i))) out += b->bytes + "|";
      }
    }
  }
  return out;
}

TEST_P(AccountStoreTest, RegistersAResidentWithPersonalDataEncrypted) {
  const ResidentRegistration r = Resident(1);
  const int64_t id = MustRegister(r);
  ASSERT_GT(id, 0);

  auto plain = store().Get(id, /*with_personal_data=*/false);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->kind, AccountKind::kResident);
  EXPECT_EQ(plain->status, AccountStatus::kActive);
  EXPECT_EQ(plain->full_name_ar, r.full_name_ar);
  EXPECT_EQ(plain->full_name_en, r.full_name_en);
  EXPECT_EQ(plain->created_at, kNow);
  EXPECT_TRUE(plain->username.empty());
  EXPECT_EQ(plain->pseudonym.size(), 32u);
  EXPECT_EQ(plain->pseudonym.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_TRUE(plain->personal.national_id.empty());

  auto full = store().Get(id, /*with_personal_data=*/true);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->personal.national_id, r.national_id);
  EXPECT_EQ(full->personal.phone, E164(1));
  EXPECT_EQ(full->personal.email, "resident1@example.org");
  EXPECT_EQ(full->personal.birth_date, "1990-05-12");

  // Nothing personal is stored in the clear, and the password only as an argon2id string.
  const std::string dump = Dump(db());
  for (const std::string& secret : {r.national_id, E164(1), std::string("resident1@"),
                                    std::string("1990-05-12"), std::string(testing::kPassword)}) {
    EXPECT_EQ(dump.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(dump.find("$argon2id$"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM account_keys WHERE account_id = ?", {id}), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM account_lookup WHERE account_id = ?", {id}), 2);

  // The audit entry names the account by pseudonym; it acted for itself.
  auto entries = Entries("account.register");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].object, plain->pseudonym);
  EXPECT_EQ(entries[0].actor, plain->pseudonym);
  EXPECT_EQ(entries[0].request_id, "req-1");
  EXPECT_EQ(entries[0].municipality_id, 1);
  EXPECT_EQ(entries[0].time_ms, kNow);
}

// A verified identity (interop's civil registry check) is kept once, with its first date, and
// audited once.
TEST_P(AccountStoreTest, AVerifiedIdentityIsMarkedOnce) {
  const int64_t id = MustRegister(Resident(1));
  EXPECT_EQ(*store().VerifiedAt(id), 0);
  ASSERT_TRUE(store().MarkVerified(id, "civil-registry", {"acct", "r1", 0}, kNow + 5).ok());
  EXPECT_EQ(*store().VerifiedAt(id), kNow + 5);
  ASSERT_TRUE(store().MarkVerified(id, "counter", {"acct", "r2", 0}, kNow + 9).ok());
  EXPECT_EQ(*store().VerifiedAt(id), kNow + 5);
  EXPECT_EQ(Entries("account.verified").size(), 1u);
  EXPECT_EQ(store().MarkVerified(id + 1000, "counter", {"acct", "r3", 0}, kNow).error().code,
            ErrorCode::kNotFound);
}

TEST_P(AccountStoreTest, ValidationNamesEveryBadFieldAndStoresNothing) {
  ResidentRegistration r;
  r.national_id = "123";
  r.full_name_ar = "";
  r.phone = "0123";
  r.email = "not an email";
  r.birth_date = "1990-13-01";
  r.password = "short";
  auto id = store().RegisterResident(r, Hasher(), {}, kNow);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kInvalid);
  const std::map<std::string, std::string> expected = {
      {"national_id", "identity.national_id.format"},
      {"full_name_ar", "identity.full_name_ar.required"},
      {"phone", "identity.phone.format"},
      {"email", "identity.email.format"},
      {"birth_date", "identity.birth_date.format"},
      {"password", "identity.password.too_short"}};
  EXPECT_EQ(id.error().fields, expected);
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM account_lookup"), 0);
  EXPECT_TRUE(Entries().empty());
}

TEST_P(AccountStoreTest, ValidationOfSingleFields) {
  struct Case {
    const char* field;
    std::function<void(ResidentRegistration&)> spoil;
    const char* key;
  } cases[] = {
      {"national_id",
       [](auto& r) { r.national_id[8] = r.national_id[8] == '9' ? '0' : r.national_id[8] + 1; },
       "identity.national_id.check_digit"},
      {"full_name_ar", [](auto& r) { r.full_name_ar = "Mohammad"; },
       "identity.full_name_ar.not_arabic"},
      {"full_name_ar", [](auto& r) { r.full_name_ar = std::string("\xd9\x85\xff", 3); },
       "identity.full_name_ar.invalid"},
      {"full_name_ar",
       [](auto& r) {
         r.full_name_ar =
             "محمد\xe2\x80\xae"
             "dammahoM";
       },
       "identity.full_name_ar.invalid"},
      {"full_name_ar",
       [](auto& r) {
         r.full_name_ar.clear();
         for (int i = 0; i < 201; ++i) r.full_name_ar += "م";
       },
       "identity.full_name_ar.too_long"},
      {"full_name_en", [](auto& r) { r.full_name_en = "tab\there"; },
       "identity.full_name_en.invalid"},
      {"birth_date", [](auto& r) { r.birth_date = "2027-01-01"; }, "identity.birth_date.range"},
      {"birth_date", [](auto& r) { r.birth_date = "1899-12-31"; }, "identity.birth_date.range"},
      {"birth_date", [](auto& r) { r.birth_date = "2023-02-29"; }, "identity.birth_date.format"},
      {"birth_date", [](auto& r) { r.birth_date = "12/05/1990"; }, "identity.birth_date.format"},
      {"password", [](auto& r) { r.password = "password"; }, "identity.password.common"},
      {"lang", [](auto& r) { r.lang = "fr"; }, "identity.lang.invalid"},
  };
  for (const Case& c : cases) {
    ResidentRegistration r = Resident(2);
    c.spoil(r);
    auto id = store().RegisterResident(r, Hasher(), {}, kNow);
    ASSERT_FALSE(id.ok()) << c.key;
    EXPECT_EQ(id.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(id.error().fields, (std::map<std::string, std::string>{{c.field, c.key}}));
  }
  // Optional fields may be left out; a leap day and Arabic-Indic digits are fine.
  ResidentRegistration minimal = Resident(3);
  minimal.email = "";
  minimal.full_name_en = "";
  minimal.birth_date = "2024-02-29";
  const int64_t id = MustRegister(minimal);
  auto a = store().Get(id, true);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->personal.email.empty());
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 1);
}

TEST_P(AccountStoreTest, OneNationalIdIsOneAccount) {
  MustRegister(Resident(1));
  ResidentRegistration again = Resident(2);
  again.national_id = Resident(1).national_id;
  auto dup = store().RegisterResident(again, Hasher(), {}, kNow);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().message_key, "identity.national_id.taken");
  EXPECT_EQ(dup.error().fields.at("national_id"), "identity.national_id.taken");

  // The same ID typed in Arabic-Indic digits is the same ID.
  std::string arabic;
  for (char c : Resident(1).national_id)
    arabic += "\xd9" + std::string(1, static_cast<char>(0xa0 + (c - '0')));
  again.national_id = arabic;
  EXPECT_EQ(store().RegisterResident(again, Hasher(), {}, kNow).error().message_key,
            "identity.national_id.taken");

  // One phone number is one login too.
  ResidentRegistration same_phone = Resident(3);
  same_phone.phone = "+970 599 000 001";
  auto phone = store().RegisterResident(same_phone, Hasher(), {}, kNow);
  ASSERT_FALSE(phone.ok());
  EXPECT_EQ(phone.error().message_key, "identity.phone.taken");
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 1);
  EXPECT_EQ(Entries("account.register").size(), 1u);
}

TEST_P(AccountStoreTest, ConcurrentRegistrationsOfOneNationalIdLetExactlyOneSucceed) {
  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::atomic<int> succeeded{0};
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ResidentRegistration r = Resident(100 + t);  // different phones...
      r.national_id = NationalId(55555555);        // ...one national ID
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      auto id = store().RegisterResident(r, Hasher(), {}, kNow);
      if (id.ok()) {
        ++succeeded;
      } else if (id.error().code == ErrorCode::kConflict &&
                 id.error().message_key == "identity.national_id.taken") {
        ++taken;
      } else {
        ADD_FAILURE() << id.error().message_key << " " << id.error().detail;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM account_keys"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM account_lookup"), 2);
  EXPECT_EQ(Entries("account.register").size(), 1u);
}

TEST_P(AccountStoreTest, FindsLoginsByNationalIdPhoneOrUsername) {
  const int64_t resident = MustRegister(Resident(1));
  const int64_t staff = MustCreateStaff("suad.h", 1, {{Role::kClerk, 1, 0}});
  const std::string id = Resident(1).national_id;
  std::string arabic_id;
  for (char c : id) arabic_id += "\xd9" + std::string(1, static_cast<char>(0xa0 + (c - '0')));
  for (const std::string& login : {id, " " + id + " ", arabic_id, LocalPhone(1), E164(1),
                                   std::string("00970599000001"), std::string("059-900-0001")}) {
    auto c = store().FindForLogin(login);
    ASSERT_TRUE(c.ok()) << login;
    EXPECT_EQ(c->account_id, resident) << login;
    EXPECT_EQ(c->kind, AccountKind::kResident);
    EXPECT_EQ(c->status, AccountStatus::kActive);
    EXPECT_TRUE(c->password_hash.starts_with("$argon2id$"));
    EXPECT_FALSE(c->totp_enabled);
  }
  for (const char* login : {"suad.h", "Suad.H", " suad.h"}) {
    auto s = store().FindForLogin(login);
    ASSERT_TRUE(s.ok()) << login;
    EXPECT_EQ(s->account_id, staff);
    EXPECT_EQ(s->kind, AccountKind::kStaff);
  }
  for (const char* unknown : {"", "nobody", "SUAD.H'--", "0599999999", "123456789", "x"}) {
    auto c = store().FindForLogin(unknown);
    ASSERT_FALSE(c.ok()) << unknown;
    EXPECT_EQ(c.error().code, ErrorCode::kNotFound) << unknown;
  }
  auto verdict = Hasher().Verify(testing::kPassword, store().FindForLogin(id)->password_hash);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->match);
}

TEST_P(AccountStoreTest, StaffAndTheirGrants) {
  const int64_t clerk =
      MustCreateStaff("clerk.one", 1, {{Role::kClerk, 1, 4}, {Role::kClerk, 1, 4}});
  const int64_t admin = MustCreateStaff("admin.one", 1, {{Role::kMunicipalAdmin, 1, 0}});
  MustCreateStaff("nablus.clerk", 2, {{Role::kClerk, 2, 0}});
  const int64_t observer = MustCreateStaff("observer", 0, {{Role::kMinistryObserver, 0, 0}});
  ASSERT_GT(clerk, 0);

  auto grants = store().Grants(clerk);
  ASSERT_TRUE(grants.ok());
  ASSERT_EQ(grants->size(), 1u);  // duplicates collapsed
  EXPECT_EQ((*grants)[0].role, Role::kClerk);
  EXPECT_EQ((*grants)[0].department_id, 4);
  EXPECT_EQ(store().Grants(observer)->at(0).role, Role::kMinistryObserver);

  auto staff = store().Staff(1);
  ASSERT_TRUE(staff.ok());
  ASSERT_EQ(staff->size(), 2u);
  EXPECT_EQ((*staff)[0].username, "admin.one");
  EXPECT_EQ((*staff)[1].username, "clerk.one");
  EXPECT_EQ((*staff)[1].kind, AccountKind::kStaff);
  EXPECT_EQ(store().Get(clerk, true)->personal.email, "clerk.one@hebron.ps");

  const std::string admin_pseudonym = store().Get(admin, false)->pseudonym;
  const AuditContext by_admin{admin_pseudonym, "req-9", 1};
  ASSERT_TRUE(store()
                  .SetGrants(clerk, {{Role::kDepartmentHead, 1, 4}, {Role::kCounterClerk, 1, 0}},
                             by_admin, kNow + 1)
                  .ok());
  grants = store().Grants(clerk);
  ASSERT_EQ(grants->size(), 2u);
  auto entries = Entries("account.grants");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, admin_pseudonym);
  EXPECT_EQ(entries[0].object, store().Get(clerk, false)->pseudonym);
  EXPECT_EQ(Entries("account.staff_create").size(), 4u);

  // Grants outside the account's scope, or to residents, are refused and change nothing.
  const std::vector<std::vector<Grant>> refused = {
      {{Role::kClerk, 2, 0}},           // another municipality
      {{Role::kPlatformAdmin, 0, 0}},   // platform role for municipal staff
      {{Role::kResident, 1, 0}},        // not a staff role
      {{Role::kMunicipalAdmin, 1, 3}},  // a department for a municipality-wide role
      {{Role::kAuditor, 0, 0}}};        // a municipal role without municipality
  for (const auto& g : refused) {
    Status s = store().SetGrants(clerk, g, by_admin, kNow + 2);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(s.error().fields.count("grants"), 1u);
  }
  EXPECT_EQ(store().Grants(clerk)->size(), 2u);
  const int64_t resident = MustRegister(Resident(1));
  EXPECT_EQ(store().SetGrants(resident, {{Role::kClerk, 1, 0}}, by_admin, kNow).error().code,
            ErrorCode::kInvalid);
  EXPECT_EQ(store().SetGrants(9999, {}, by_admin, kNow).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Entries("account.grants").size(), 1u);
}

TEST_P(AccountStoreTest, StaffInputIsValidatedAndUsernamesAreUnique) {
  MustCreateStaff("suad.h", 1, {{Role::kClerk, 1, 0}});
  StaffInput s;
  s.username = "suad.h";
  s.full_name_ar = "سعاد";
  s.password = testing::kPassword;
  s.municipality_id = 1;
  auto dup = store().CreateStaff(s, Hasher(), {"system", "", 1}, kNow);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().message_key, "identity.username.taken");

  s.username = "Bad Name";
  s.full_name_ar = "";
  s.email = "x@";
  s.password = "1234";
  s.grants = {{Role::kPlatformAdmin, 0, 0}};
  auto bad = store().CreateStaff(s, Hasher(), {"system", "", 1}, kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
  for (const char* field : {"username", "full_name_ar", "email", "password", "grants"}) {
    EXPECT_EQ(bad.error().fields.count(field), 1u) << field;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM accounts"), 1);
}

TEST_P(AccountStoreTest, DisablingAndPasswordChangesEndEverySession) {
  const int64_t id = MustRegister(Resident(1));
  SessionStore sessions(db(), SessionPolicy{});
  auto t1 = sessions.Create(id, false, false, kNow);
  auto t2 = sessions.Create(id, false, false, kNow);
  ASSERT_TRUE(t1.ok() && t2.ok());
  ASSERT_TRUE(sessions.Resolve(*t1, kNow).ok());

  ASSERT_TRUE(store().SetStatus(id, AccountStatus::kDisabled, {"admin", "r", 1}, kNow).ok());
  EXPECT_FALSE(sessions.Resolve(*t1, kNow).ok());
  EXPECT_FALSE(sessions.Resolve(*t2, kNow).ok());
  EXPECT_EQ(store().FindForLogin(Resident(1).national_id)->status, AccountStatus::kDisabled);
  ASSERT_TRUE(store().SetStatus(id, AccountStatus::kActive, {"admin", "r", 1}, kNow).ok());
  EXPECT_EQ(Entries("account.status").size(), 2u);
  EXPECT_EQ(store().SetStatus(id, AccountStatus::kClosed, {}, kNow).error().code,
            ErrorCode::kInvalid);

  auto t3 = sessions.Create(id, false, false, kNow);
  ASSERT_TRUE(t3.ok());
  auto new_hash = Hasher().Hash("a-brand-new-passphrase");
  ASSERT_TRUE(new_hash.ok());
  ASSERT_TRUE(store().SetPassword(id, *new_hash, {}, kNow + 5).ok());
  EXPECT_FALSE(sessions.Resolve(*t3, kNow + 5).ok());
  EXPECT_EQ(store().FindForLogin(Resident(1).national_id)->password_hash, *new_hash);
  EXPECT_EQ(Entries("account.password").size(), 1u);
  EXPECT_EQ(store().SetPassword(4242, *new_hash, {}, kNow).error().code, ErrorCode::kNotFound);
}

TEST_P(AccountStoreTest, TotpSecretsRecoveryCodesAndReplay) {
  const int64_t id = MustRegister(Resident(1));
  EXPECT_EQ(store().TotpSecret(id).error().code, ErrorCode::kNotFound);
  const std::string secret = Totp::NewSecret();
  const std::vector<std::string> codes = NewRecoveryCodes();
  ASSERT_TRUE(store().EnableTotp(id, secret, codes, {}, kNow).ok());
  EXPECT_TRUE(store().FindForLogin(Resident(1).national_id)->totp_enabled);
  auto stored = store().TotpSecret(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, secret);
  EXPECT_EQ(Dump(db()).find(secret), std::string::npos);  // encrypted at rest

  EXPECT_TRUE(*store().UseTotpStep(id, 1000));
  EXPECT_FALSE(*store().UseTotpStep(id, 1000));  // replay
  EXPECT_TRUE(*store().UseTotpStep(id, 1001));
  EXPECT_TRUE(*store().UseTotpStep(id, 2000));  // old steps pruned, newest kept
  EXPECT_FALSE(*store().UseTotpStep(id, 2000));

  std::string typed = codes[3];
  for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(*store().UseRecoveryCode(id, typed, {}, kNow));
  EXPECT_FALSE(*store().UseRecoveryCode(id, codes[3], {}, kNow));  // single use
  EXPECT_FALSE(*store().UseRecoveryCode(id, "zzzz-zzzz-zzzz", {}, kNow));
  EXPECT_EQ(Entries("account.recovery_code_used").size(), 1u);
  EXPECT_EQ(Entries("account.totp_enable").size(), 1u);

  ASSERT_TRUE(store().DisableTotp(id, {}, kNow).ok());
  EXPECT_EQ(store().TotpSecret(id).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(*store().UseRecoveryCode(id, codes[4], {}, kNow));

  const int64_t staff = MustCreateStaff("clerk.two", 1, {{Role::kClerk, 1, 0}});
  ASSERT_TRUE(store().EnableTotp(staff, secret, codes, {}, kNow).ok());
  EXPECT_EQ(store().DisableTotp(staff, {}, kNow).error().message_key, "identity.totp.required");
}

TEST_P(AccountStoreTest, ResetCodesExpireAndAreSingleUse) {
  const int64_t id = MustRegister(Resident(1));
  auto code = store().IssueResetCode(id, kNow);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->size(), 8u);
  EXPECT_EQ(code->find_first_not_of("0123456789"), std::string::npos);
  std::string wrong = *code;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  EXPECT_FALSE(*store().ConsumeResetCode(id, wrong, kNow + 1000));
  EXPECT_FALSE(*store().ConsumeResetCode(id + 1, *code, kNow + 1000));  // another account's
  EXPECT_TRUE(
      *store().ConsumeResetCode(id, code->substr(0, 4) + " " + code->substr(4), kNow + 1000));
  EXPECT_FALSE(*store().ConsumeResetCode(id, *code, kNow + 2000));  // used

  // Expired after 10 minutes.
  auto late = store().IssueResetCode(id, kNow);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*store().ConsumeResetCode(id, *late, kNow + 10 * 60 * 1000));

  // A new code replaces the old one.
  auto first = store().IssueResetCode(id, kNow);
  auto second = store().IssueResetCode(id, kNow);
  ASSERT_TRUE(first.ok() && second.ok());
  if (*first != *second) {
    EXPECT_FALSE(*store().ConsumeResetCode(id, *first, kNow + 1));
  }
  EXPECT_TRUE(*store().ConsumeResetCode(id, *second, kNow + 1));

  // Five wrong guesses spend the code.
  auto guessed = store().IssueResetCode(id, kNow);
  ASSERT_TRUE(guessed.ok());
  std::string other = *guessed;
  other[7] = other[7] == '9' ? '0' : static_cast<char>(other[7] + 1);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(*store().ConsumeResetCode(id, other, kNow + 1));
  EXPECT_FALSE(*store().ConsumeResetCode(id, *guessed, kNow + 1));

  EXPECT_EQ(Entries("account.reset_code_used").size(), 2u);
  EXPECT_EQ(Entries("account.reset_code").size(), 7u);  // prefix also matches "_used"
  EXPECT_EQ(store().IssueResetCode(999, kNow).error().code, ErrorCode::kNotFound);
}

// The code exists only if its delivery was queued in the same transaction, and vice versa.
TEST_P(AccountStoreTest, AResetCodeIsStoredOnlyWithItsDelivery) {
  const int64_t id = MustRegister(Resident(1));
  std::string seen;
  auto failed = store().IssueResetCode(id, kNow, {}, [&](db::Tx&, const std::string& code) {
    seen = code;
    return Status(MakeError(ErrorCode::kUnavailable, "error.busy", "outbox refused"));
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(seen.size(), 8u);
  EXPECT_FALSE(*store().ConsumeResetCode(id, seen, kNow + 1));
  EXPECT_EQ(Entries("account.reset_code").size(), 0u);

  auto ok = store().IssueResetCode(id, kNow, {}, [&](db::Tx& tx, const std::string& code) {
    seen = code;
    auto n = tx.Exec("SELECT 1");
    if (!n.ok()) return Status(std::move(n).error());
    return Ok();
  });
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, seen);
  EXPECT_TRUE(*store().ConsumeResetCode(id, seen, kNow + 1));
}

TEST_P(AccountStoreTest, ExportHoldsEveryFieldInEnglishKeys) {
  const int64_t id = MustRegister(Resident(1));
  SessionStore sessions(db(), SessionPolicy{});
  ASSERT_TRUE(sessions.Create(id, false, false, kNow).ok());
  ASSERT_TRUE(sessions.Create(id, false, false, kNow).ok());
  auto json = store().ExportJson(id);
  ASSERT_TRUE(json.ok());
  boost::json::object doc = boost::json::parse(*json).as_object();
  const auto& account = doc.at("account").as_object();
  EXPECT_EQ(account.at("pseudonym").as_string(), store().Get(id, false)->pseudonym);
  EXPECT_EQ(account.at("full_name_ar").as_string(), "محمد أحمد الخطيب");
  EXPECT_EQ(account.at("full_name_en").as_string(), "Mohammad Ahmad Al-Khatib");
  EXPECT_EQ(account.at("kind").as_string(), "resident");
  EXPECT_EQ(account.at("status").as_string(), "active");
  EXPECT_EQ(account.at("lang").as_string(), "ar");
  EXPECT_EQ(account.at("created_at").as_int64(), kNow);
  EXPECT_EQ(doc.at("personal_data_status").as_string(), "held");
  const auto& personal = doc.at("personal_data").as_object();
  EXPECT_EQ(personal.at("national_id").as_string(), Resident(1).national_id);
  EXPECT_EQ(personal.at("phone").as_string(), E164(1));
  EXPECT_EQ(personal.at("email").as_string(), "resident1@example.org");
  EXPECT_EQ(personal.at("birth_date").as_string(), "1990-05-12");
  EXPECT_EQ(doc.at("sessions").as_object().at("count").as_int64(), 2);
  EXPECT_TRUE(doc.at("grants").as_array().empty());
  EXPECT_EQ(json->find("argon2"), std::string::npos);  // no secrets, not even hashed ones

  const int64_t staff = MustCreateStaff("clerk.x", 1, {{Role::kClerk, 1, 4}});
  auto staff_doc = boost::json::parse(*store().ExportJson(staff)).as_object();
  const auto& g = staff_doc.at("grants").as_array().at(0).as_object();
  EXPECT_EQ(g.at("role").as_string(), "clerk");
  EXPECT_EQ(g.at("municipality_id").as_int64(), 1);
  EXPECT_EQ(g.at("department_id").as_int64(), 4);
  EXPECT_EQ(staff_doc.at("account").as_object().at("username").as_string(), "clerk.x");
  EXPECT_EQ(store().ExportJson(12345).error().code, ErrorCode::kNotFound);
}

TEST_P(AccountStoreTest, ClosingShredsPersonalDataButKeepsThePseudonymAndTheLog) {
  const int64_t id = MustRegister(Resident(1));
  const std::string pseudonym = store().Get(id, false)->pseudonym;
  SessionStore sessions(db(), SessionPolicy{});
  auto token = sessions.Create(id, false, false, kNow);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(store().EnableTotp(id, Totp::NewSecret(), NewRecoveryCodes(), {}, kNow).ok());

  ASSERT_TRUE(store().Close(id, {}, kNow + 10).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM account_keys WHERE account_id = ?", {id}), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM account_lookup WHERE account_id = ?", {id}), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM account_recovery_codes WHERE account_id = ?", {id}), 0);
  EXPECT_FALSE(sessions.Resolve(*token, kNow + 10).ok());

  auto after = store().Get(id, /*with_personal_data=*/true);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->pseudonym, pseudonym);
  EXPECT_EQ(after->status, AccountStatus::kClosed);
  EXPECT_TRUE(after->personal.national_id.empty());
  EXPECT_TRUE(after->personal.phone.empty());
  EXPECT_TRUE(after->full_name_ar.empty());
  EXPECT_EQ(store().TotpSecret(id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindForLogin(Resident(1).national_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindForLogin(LocalPhone(1)).error().code, ErrorCode::kNotFound);

  auto doc = boost::json::parse(*store().ExportJson(id)).as_object();
  EXPECT_EQ(doc.at("personal_data_status").as_string(), "destroyed");
  EXPECT_EQ(doc.at("personal_data").as_object().at("national_id").as_string(), "destroyed");
  EXPECT_EQ(doc.at("account").as_object().at("status").as_string(), "closed");
  EXPECT_EQ(doc.at("account").as_object().at("closed_at").as_int64(), kNow + 10);

  // Nothing can be changed any more; the log kept every entry and verifies.
  EXPECT_EQ(store().Close(id, {}, kNow + 11).error().message_key, "identity.account.closed");
  EXPECT_EQ(store().SetStatus(id, AccountStatus::kActive, {}, kNow).error().code,
            ErrorCode::kConflict);
  auto entries = Entries("account.");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, "account.register");
  EXPECT_EQ(entries[1].action, "account.totp_enable");
  EXPECT_EQ(entries[2].action, "account.close");
  EXPECT_EQ(entries[2].object, pseudonym);
  auto verified = audit::Verify(db(), audit::Keyring(keys_.signing_seed));
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;

  // The person may register again later, as a new account.
  const int64_t again = MustRegister(Resident(1));
  EXPECT_NE(again, id);
}

TEST_P(AccountStoreTest, CiphertextsAreBoundToTheirAccountAndField) {
  const int64_t a = MustRegister(Resident(1));
  const int64_t b = MustRegister(Resident(2));
  // Move a's sealed phone onto b's row: b's data key (and the AD) refuse it.
  ASSERT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                    auto n = tx.Exec(
                        "UPDATE accounts SET phone_enc = (SELECT phone_enc FROM accounts WHERE "
                        "id = ?) WHERE id = ?",
                        {a, b});
                    return n.ok() ? Ok() : Status(std::move(n).error());
                  })
                  .ok());
  auto got = store().Get(b, true);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kInternal);
  // Swapping two fields of one account is refused too.
  ASSERT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                    auto n = tx.Exec("UPDATE accounts SET email_enc = national_id_enc WHERE id = ?",
                                     {a});
                    return n.ok() ? Ok() : Status(std::move(n).error());
                  })
                  .ok());
  EXPECT_FALSE(store().Get(a, true).ok());
  EXPECT_TRUE(store().Get(a, false).ok());
}

TEST_P(AccountStoreTest, UnmaskIsAuditedWithoutTheValue) {
  const int64_t id = MustRegister(Resident(1));
  ASSERT_TRUE(store().AuditUnmask(id, "national_id", {"clerk-pseudonym", "req-7", 1}, kNow).ok());
  EXPECT_EQ(store().AuditUnmask(id, "password_hash", {"clerk-pseudonym", "", 1}, kNow).error().code,
            ErrorCode::kInvalid);
  EXPECT_EQ(store().AuditUnmask(777, "phone", {"clerk-pseudonym", "", 1}, kNow).error().code,
            ErrorCode::kNotFound);
  auto entries = Entries("account.unmask");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, "clerk-pseudonym");
  EXPECT_EQ(entries[0].request_id, "req-7");
  // No entry of the whole log carries personal data.
  for (const auto& e : Entries()) {
    for (const std::string& field : {e.actor, e.object, e.action, e.request_id}) {
      EXPECT_EQ(field.find(Resident(1).national_id), std::string::npos);
      EXPECT_EQ(field.find("0599"), std::string::npos);
    }
  }
}

BALADIYA_INSTANTIATE_ENGINES(AccountStoreTest);

}  // namespace
}  // namespace baladiya::identity

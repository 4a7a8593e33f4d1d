// Municipal dues from a billing system's CSV, on both engines: loaded all or nothing with every
// bad line reported, owed by the national ID, and what a person owes.
#include <gtest/gtest.h>

#include <cstring>

#include "audit/testing.h"
#include "payments/payments.h"
#include "payments/store_test_fixture.h"
#include "platform/db/test_support.h"

namespace baladiya::payments {
namespace {

constexpr int64_t kNow = 1'796'601'600'000;  // 2026-12-07
// Valid national IDs (Luhn-style check digit).
constexpr char kResident[] = "401234562";
constexpr char kOther[] = "401234570";

class DuesTest : public testing::PaymentsStoreTest {
 protected:
  Result<int> Import(const std::string& csv) {
    return store_->ImportDues(
        csv,
        [](std::string_view slug) -> Result<PaymentStore::MunicipalityRef> {
          if (slug == "hebron") return PaymentStore::MunicipalityRef{1, "HEB"};
          if (slug == "nablus") return PaymentStore::MunicipalityRef{2, "NAB"};
          return MakeError(ErrorCode::kNotFound, "x");
        },
        kNow);
  }

  int64_t Invoices() {
    auto r = db().Query("SELECT COUNT(*) FROM payment_invoices");
    return r.ok() ? (*r)[0].Int(0) : -1;
  }
};

const std::string kHeader =
    "municipality,bill_id,national_id,description_ar,description_en,amount,currency,due_date\n";

TEST_P(DuesTest, LoadsAFileAndThePersonOwes) {
  auto loaded =
      Import(kHeader + "hebron,W-1," + kResident +
             ",رسوم نفايات 2026,Waste fees 2026,120.50,ILS,"
             "2026-12-31\r\n"
             "hebron,W-2,٤٠١٢٣٤٥٧٠,\"مياه, تشرين\",\"Water, November\",80,ILS,2026-12-15\n"
             "nablus,L-1," +
             kResident + ",رسوم محلية,Local charges,30,ILS,2027-01-31\n");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(*loaded, 3);
  EXPECT_TRUE(*store_->Owes(1, {0, kResident}));
  EXPECT_TRUE(*store_->Owes(2, {0, kResident}));
  EXPECT_TRUE(*store_->Owes(1, {0, kOther}));
  EXPECT_FALSE(*store_->Owes(2, {0, kOther}));
  auto owed = store_->Owed(77, kResident);
  ASSERT_TRUE(owed.ok());
  ASSERT_EQ(owed->size(), 2u);
  EXPECT_EQ(owed->front().total_minor, 12050);
  EXPECT_EQ(owed->front().lines.front().description.en, "Waste fees 2026");
  auto water = store_->Owed(78, kOther);
  ASSERT_TRUE(water.ok() && water->size() == 1);
  EXPECT_EQ(water->front().lines.front().description.en, "Water, November");
  // Paid: owed no more.
  PaymentInput p;
  p.reference = owed->front().reference;
  p.amount_minor = 12050;
  p.currency = "ILS";
  ASSERT_TRUE(store_->Pay(p, kNow).ok());
  EXPECT_FALSE(*store_->Owes(1, {0, kResident}));
  // The same bill again is refused, and nothing of that file is loaded.
  auto again = Import(kHeader + "nablus,L-2," + kResident + ",أ,b,1,ILS,2027-01-31\n" +
                      "hebron,W-1," + kResident + ",أ,b,1,ILS,2027-01-31\n");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().problems.at(0).key, "payments.dues.loaded_before");
  EXPECT_EQ(Invoices(), 3);
}

TEST_P(DuesTest, EveryBadLineIsReportedAndNothingIsLoaded) {
  auto r = Import(kHeader + "hebron,B-1," + kResident +
                  ",أ,a,10,ILS,2026-12-31\n"  // good
                  "gaza,B-2," +
                  kResident +
                  ",أ,a,10,ILS,2026-12-31\n"                      // 3: municipality
                  "hebron,B-3,123456789,أ,a,10,ILS,2026-12-31\n"  // 4: national id
                  "hebron,B-4," +
                  kResident +
                  ",أ,a,-3,ILS,2026-12-31\n"  // 5: amount
                  "hebron,B-5," +
                  kResident +
                  ",أ,a,10,USD,2026-12-31\n"  // 6: currency
                  "hebron,B-6," +
                  kResident +
                  ",أ,a,10,ILS,2026-02-30\n"  // 7: due date
                  "hebron,B-1," +
                  kResident +
                  ",أ,a,10,ILS,2026-12-31\n"  // 8: bill twice
                  "hebron,B-8," +
                  kResident +
                  ",,a,10,ILS,2026-12-31\n"  // 9: description
                  "hebron,B-9\n");           // 10: columns
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  std::vector<std::string> keys;
  for (const Problem& p : r.error().problems) {
    keys.push_back(p.args.at("line") + " " + p.key);
  }
  EXPECT_EQ(keys,
            (std::vector<std::string>{"3 payments.dues.municipality", "4 payments.dues.national_id",
                                      "5 payments.dues.amount", "6 payments.dues.currency",
                                      "7 payments.dues.due_date", "8 payments.dues.bill_twice",
                                      "9 payments.dues.description", "10 payments.dues.columns"}));
  EXPECT_EQ(Invoices(), 0);
  for (const std::string& bad :
       {std::string(""), std::string("a,b\n"), kHeader + "\"open,quote\n"}) {
    auto e = Import(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_FALSE(e.error().problems.empty());
  }
  EXPECT_EQ(Invoices(), 0);
}

BALADIYA_INSTANTIATE_ENGINES(DuesTest);

}  // namespace
}  // namespace baladiya::payments

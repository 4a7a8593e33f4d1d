// Open311's pure rules: which services are offered, attributes from a form, extended statuses,
// and the specification's date format; table-driven.
#include <gtest/gtest.h>

#include "open311/open311.h"

namespace baladiya::open311 {
namespace {

using catalog::FieldType;

constexpr char kForm[] = R"({"pages":[{"title":{"ar":"البلاغ","en":"The report"},"fields":[
 {"name":"location","type":"location","label":{"ar":"الموقع","en":"Location"}},
 {"name":"problem","type":"single_choice","label":{"ar":"المشكلة","en":"Problem"},
  "options":[{"value":"out","label":{"ar":"مطفأ","en":"Out"}}]},
 {"name":"kinds","type":"multiple_choice","required":false,"label":{"ar":"الأنواع","en":"Kinds"},
  "options":[{"value":"a","label":{"ar":"أ","en":"A"}},{"value":"b","label":{"ar":"ب","en":"B"}}]},
 {"name":"description","type":"long_text","label":{"ar":"الوصف","en":"Description"}},
 {"name":"notes","type":"long_text","required":false,"label":{"ar":"ملاحظات","en":"Notes"}},
 {"name":"seen_on","type":"date","required":false,"label":{"ar":"التاريخ","en":"Date"}},
 {"name":"photos","type":"file","required":false,"label":{"ar":"صور","en":"Photos"}}]}]})";

catalog::Service Report() {
  catalog::Service s;
  s.code = "street-light-report";
  s.kind = catalog::ServiceKind::kReport;
  s.published = true;
  s.channels = {"web", "api"};
  s.form = *catalog::ParseFormSchema(kForm);
  return s;
}

TEST(Open311RulesTest, MapsFieldTypesToDatatypes) {
  struct Case {
    FieldType type;
    std::string_view datatype;
  } cases[] = {
      {FieldType::kText, "string"},
      {FieldType::kLongText, "text"},
      {FieldType::kNumber, "number"},
      {FieldType::kDate, "datetime"},
      {FieldType::kSingleChoice, "singlevaluelist"},
      {FieldType::kYesNo, "singlevaluelist"},
      {FieldType::kMultipleChoice, "multivaluelist"},
      {FieldType::kNationalId, "string"},
      {FieldType::kPhone, "string"},
      {FieldType::kEmail, "string"},
      {FieldType::kLocation, ""},
      {FieldType::kFile, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Datatype(c.type), c.datatype) << catalog::FieldTypeName(c.type);
  }
}

TEST(Open311RulesTest, AttributesLeaveOutLocationFilesAndTheDescription) {
  const catalog::Service s = Report();
  std::vector<std::string> names;
  for (const catalog::Field* f : Attributes(s.form)) names.push_back(f->name);
  EXPECT_EQ(names, (std::vector<std::string>{"problem", "kinds", "notes", "seen_on"}));
  ASSERT_NE(DescriptionField(s.form), nullptr);
  EXPECT_EQ(DescriptionField(s.form)->name, "description");
  ASSERT_NE(LocationField(s.form), nullptr);
  EXPECT_EQ(LocationField(s.form)->name, "location");
}

TEST(Open311RulesTest, OffersPublishedReportsOnTheApiChannel) {
  EXPECT_TRUE(Offered(Report()));
  catalog::Service s = Report();
  s.published = false;
  EXPECT_FALSE(Offered(s)) << "unpublished";
  s = Report();
  s.kind = catalog::ServiceKind::kApplication;
  EXPECT_FALSE(Offered(s)) << "an application";
  s = Report();
  s.channels = {"web", "counter"};
  EXPECT_FALSE(Offered(s)) << "not on the api channel";
  s = Report();
  s.form.pages[0].fields.back().required = true;  // a photo Open311 cannot send
  EXPECT_FALSE(Offered(s)) << "a required file";
}

TEST(Open311RulesTest, ExtendedStatusFollowsTheWorkflow) {
  workflow::Workflow wf;
  wf.initial = "submitted";
  for (auto [key, final] :
       std::initializer_list<std::pair<const char*, bool>>{{"submitted", false},
                                                           {"in_review", false},
                                                           {"needs_info", false},
                                                           {"completed", true},
                                                           {"rejected", true},
                                                           {"duplicate", true}}) {
    workflow::State st;
    st.key = key;
    st.final = final;
    wf.states.push_back(st);
  }
  struct Case {
    std::string_view state;
    std::string_view kind;
    std::string_view status;
  } cases[] = {
      {"submitted", "submitted", "open"},          {"in_review", "transition", "in_progress"},
      {"needs_info", "transition", "in_progress"}, {"completed", "transition", "fixed"},
      {"rejected", "transition", "closed"},        {"duplicate", "transition", "duplicate"},
      {"in_review", "reopened", "reopen"},         {"unknown", "transition", "in_progress"},
      {"rejected", "merged", "duplicate"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ExtendedStatus(wf, c.state, c.kind), c.status) << c.state << " " << c.kind;
  }
}

TEST(Open311RulesTest, ParsesW3cDateTimesWithTheirZone) {
  struct Case {
    std::string_view text;
    std::optional<int64_t> ms;
  } cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2010-05-24T00:00:00Z", 1274659200000},
      {"1994-11-05T08:15:30-05:00", 784041330000},
      {"1994-11-05T13:15:30Z", 784041330000},
      {"2010-04-14T06:37:38-08:00", 1271255858000},
      {"2026-01-01T02:00:00+02:00", 1767225600000},
      {"2026-01-01T02:00:00 02:00", 1767225600000},  // '+' unencoded in a query
      {"2024-02-29T12:00:00.5Z", 1709208000500},
      {"2024-02-29T12:00:00.123456Z", 1709208000123},
      {"1969-12-31T23:59:59Z", std::nullopt},  // before 1970
      {"0010-04-12T06:37:38-08:00", std::nullopt},
      {"2010-05-24T00:00:00", std::nullopt},  // no zone
      {"2010-05-24", std::nullopt},
      {"2010-05-24 00:00:00Z", std::nullopt},
      {"2023-02-29T00:00:00Z", std::nullopt},
      {"2010-13-01T00:00:00Z", std::nullopt},
      {"2010-05-24T24:00:00Z", std::nullopt},
      {"2010-05-24T00:00:00.Z", std::nullopt},
      {"2010-05-24T00:00:00+0200", std::nullopt},
      {"2010-05-24T00:00:00Zjunk", std::nullopt},
      {"", std::nullopt},
      {"yesterday", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseDateTime(c.text), c.ms) << c.text;
}

}  // namespace
}  // namespace baladiya::open311

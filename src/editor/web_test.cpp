// The municipal admin's service editor over HTTP (editor.h), served by the web harness with the
// modules cases' tests serve (cases/web_test_fixture.h) and the editor, joined to cases as the
// app joins them: an admin's browser with its session, token and the page's version, and what
// residents then see.
#include <functional>
#include <set>

#include "audit/testing.h"
#include "cases/web_test_fixture.h"
#include "editor/editor.h"
#include "identity/testing.h"
#include "platform/http/url.h"
#include "platform/module/module.h"

namespace baladiya::editor {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr char kService[] = "/m/hebron/admin/services/clearance-certificate";

// What the app does for the editor (shell.cpp): it asks cases how many open cases a workflow
// change would strand.
module::Module JoinedToCases() {
  module::Module m;
  m.name = "join";
  m.open = [](module::Context& ctx) {
    ctx.parts.Get<Extensions>().open_cases.in_states = cases::CountOpenInStates;
    return Ok();
  };
  return m;
}

class EditorWebTest : public cases::testing::CasesWebTest {
 protected:
  std::vector<module::Module> Above() override { return {editor::Module(), JoinedToCases()}; }

  void SetUp() override {
    CasesWebTest::SetUp();
    if (HasFatalFailure()) return;
    hebron_ = tenancy().FindMunicipality("hebron")->id;
  }

  // A signed-in member of Hebron's staff (second factor done) with one grant.
  Browser Staff(const std::string& username, identity::Role role) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron_;
    in.grants = {{role, hebron_, 0}};
    auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok()) << id.error().detail;
    Browser b(port());
    b.SetCookie("sid", *sessions().Create(*id, true, true, Now()));
    return b;
  }
  Browser Admin() { return Staff("hebron.boss", identity::Role::kMunicipalAdmin); }

  // What the editor stored: the draft of a published service's next version when one is being
  // edited, else the service.
  catalog::Service Stored(const std::string& code = "clearance-certificate") {
    auto s = services().Find(hebron_, code);
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return catalog::Service{};
    auto draft = s->published ? services().Draft(s->id) : Result<catalog::Service>(*s);
    return draft.ok() ? *draft : *s;
  }

  // Publishes the draft of the service's next version at once, from its versions page.
  void PublishNow(Browser& admin, const std::string& service = kService) {
    const std::string versions = service + "/versions";
    std::string res = Edit(admin, versions, versions + "/publish", {{"when", "now"}});
    ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  }

  // Opens `page` (for its token and version), then posts `fields` with them to `target`.
  static std::string Edit(Browser& b, const std::string& page, const std::string& target,
                          Fields fields) {
    std::string shown = b.Get(page);
    EXPECT_EQ(RawClient::Status(shown), 200) << page;
    // The version of the form that posts to target (a page may hold several forms).
    std::smatch version;
    const size_t form = shown.find("action=\"" + target + "\"");
    const std::string from = form == std::string::npos ? shown : shown.substr(form);
    EXPECT_TRUE(std::regex_search(from, version, std::regex("name=\"version\" value=\"(\\d+)\"")))
        << page;
    fields.emplace_back("version", version[1].str());
    return b.Post(target, std::move(fields));
  }

  // The posted form of a stored field, as the field page sends it.
  static Fields FieldForm(const catalog::Field& f) {
    Fields out = {{"name", f.name},         {"type", std::string(catalog::FieldTypeName(f.type))},
                  {"label_ar", f.label.ar}, {"label_en", f.label.en},
                  {"help_ar", f.help.ar},   {"help_en", f.help.en}};
    if (f.required) out.emplace_back("required", "yes");
    for (size_t i = 0; i < f.options.size(); ++i) {
      const std::string n = std::to_string(i + 1);
      out.emplace_back("opt_value_" + n, f.options[i].value);
      out.emplace_back("opt_ar_" + n, f.options[i].label.ar);
      out.emplace_back("opt_en_" + n, f.options[i].label.en);
    }
    if (f.show_if) {
      out.emplace_back("show_if_field", f.show_if->field);
      out.emplace_back("show_if_equals", f.show_if->equals);
    }
    return out;
  }

  int64_t Audited(const std::string& action) { return audit::testing::Count(audit(), action); }

  int64_t hebron_ = 0;
};

const catalog::Field* FieldNamed(const catalog::Service& s, const std::string& name) {
  for (const auto& p : s.form.pages) {
    for (const auto& f : p.fields) {
      if (f.name == name) return &f;
    }
  }
  return nullptr;
}

// Every kind of field and every property a field can have, one POST each, as stored.
TEST_F(EditorWebTest, AddsFieldsWithEveryKindOfProperty) {
  using catalog::FieldType;
  struct Case {
    const char* name;
    const char* type;
    Fields extra;
    std::function<void(const catalog::Field&)> check;
  };
  const Case cases[] = {
      {"area_m2",
       "number",
       {{"min", "1"},
        {"max", "٥٠٠٠"},
        {"decimals", "٢"},
        {"help_ar", "بالمتر المربع"},
        {"help_en", "In square metres"}},
       [](const catalog::Field& f) {
         EXPECT_EQ(f.type, FieldType::kNumber);
         EXPECT_EQ(f.min, 1);
         EXPECT_EQ(f.max, 5000);  // Arabic-Indic digits read
         EXPECT_EQ(f.decimals, 2);
         EXPECT_EQ(f.help.en, "In square metres");
       }},
      {"notes",
       "long_text",
       {{"min_length", "10"}, {"max_length", "500"}, {"required", "no"}},
       [](const catalog::Field& f) {
         EXPECT_EQ(f.min_length, 10);
         EXPECT_EQ(f.max_length, 500);
         EXPECT_FALSE(f.required);
       }},
      {"reason",
       "single_choice",
       {{"opt_value_1", "late"},
        {"opt_ar_1", "تأخير"},
        {"opt_en_1", "Late"},
        {"opt_value_2", "moved"},
        {"opt_ar_2", "انتقال"},
        {"opt_en_2", "Moved"},
        {"opt_value_3", ""},
        {"opt_ar_3", ""},
        {"opt_en_3", ""}},
       [](const catalog::Field& f) {
         ASSERT_EQ(f.options.size(), 2u);  // the blank row adds nothing
         EXPECT_EQ(f.options[1].value, "moved");
         EXPECT_EQ(f.options[1].label.ar, "انتقال");
       }},
      {"reason_detail",
       "text",
       {{"show_if_field", "reason"}, {"show_if_equals", "moved"}},
       [](const catalog::Field& f) {
         ASSERT_TRUE(f.show_if.has_value());
         EXPECT_EQ(f.show_if->field, "reason");
         EXPECT_EQ(f.show_if->equals, "moved");
       }},
      {"scans",
       "file",
       {{"max_files", "3"}},
       [](const catalog::Field& f) { EXPECT_EQ(f.max_files, 3); }},
      {"topics",
       "multiple_choice",
       {{"opt_value_1", "a"}, {"opt_ar_1", "أ"}, {"opt_en_1", "A"}},
       [](const catalog::Field& f) { EXPECT_EQ(f.type, FieldType::kMultipleChoice); }},
      // Properties of other types are left out rather than refused.
      {"plain",
       "text",
       {{"opt_value_1", "x"}, {"min", "3"}, {"max_files", "4"}},
       [](const catalog::Field& f) {
         EXPECT_TRUE(f.options.empty());
         EXPECT_FALSE(f.min.has_value());
         EXPECT_EQ(f.max_files, 1);
       }},
      {"urgent",
       "yes_no",
       {},
       [](const catalog::Field& f) { EXPECT_EQ(f.type, FieldType::kYesNo); }},
      {"visit_day",
       "date",
       {},
       [](const catalog::Field& f) { EXPECT_EQ(f.type, FieldType::kDate); }},
      {"owner_id",
       "national_id",
       {},
       [](const catalog::Field& f) { EXPECT_EQ(f.type, FieldType::kNationalId); }},
      {"mobile",
       "phone",
       {},
       [](const catalog::Field& f) { EXPECT_EQ(f.type, FieldType::kPhone); }},
      {"mail", "email", {}, [](const catalog::Field& f) { EXPECT_EQ(f.type, FieldType::kEmail); }},
      {"site",
       "location",
       {},
       [](const catalog::Field& f) { EXPECT_EQ(f.type, FieldType::kLocation); }},
  };
  Browser admin = Admin();
  const std::string add = std::string(kService) + "/form/pages/1/fields/new";
  int64_t added = 0;
  for (const Case& c : cases) {
    Fields fields = {{"name", c.name},
                     {"type", c.type},
                     {"label_ar", std::string("سؤال ") + c.name},
                     {"label_en", std::string("Question ") + c.name},
                     {"required", "yes"}};
    for (const auto& extra : c.extra) {
      auto it = std::find_if(fields.begin(), fields.end(),
                             [&](const auto& f) { return f.first == extra.first; });
      if (it != fields.end()) {
        it->second = extra.second;
      } else {
        fields.push_back(extra);
      }
    }
    std::string res = Edit(admin, add, add, fields);
    ASSERT_EQ(RawClient::Status(res), 303) << c.name << "\n" << RawClient::Body(res);
    EXPECT_EQ(RawClient::Header(res, "location"), std::string(kService) + "/form?saved=1");
    catalog::Service s = Stored();
    const catalog::Field* f = FieldNamed(s, c.name);
    ASSERT_NE(f, nullptr) << c.name;
    EXPECT_EQ(f->label.ar, std::string("سؤال ") + c.name);
    EXPECT_EQ(s.form.pages[0].fields.back().name, c.name);  // at the end of the page
    c.check(*f);
    ++added;
  }
  EXPECT_EQ(Audited("service.form_edited"), added);
  // The overview lists them with their types, in both languages.
  std::string overview = RawClient::Body(admin.Get(std::string(kService) + "/form?lang=en"));
  EXPECT_NE(overview.find("Several choices from a list"), std::string::npos);
  EXPECT_NE(overview.find("When “Question reason” is “Moved”"), std::string::npos);
  overview = RawClient::Body(admin.Get(std::string(kService) + "/form?lang=ar"));
  EXPECT_NE(overview.find("عدة خيارات من قائمة"), std::string::npos);
}

TEST_F(EditorWebTest, AConditionOnALaterFieldIsRefusedAndNothingChanges) {
  Browser admin = Admin();
  const catalog::Service before = Stored();
  catalog::Field purpose = *FieldNamed(before, "purpose");  // the first field
  Fields form = FieldForm(purpose);
  form.emplace_back("show_if_field", "delivery");  // comes later on the page
  form.emplace_back("show_if_equals", "counter");
  const std::string page = std::string(kService) + "/form/fields/purpose?lang=en";
  std::string res = Edit(admin, page, page, form);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("which must come before it in the form"), std::string::npos);
  // The summary links to the input at fault, which says so too.
  EXPECT_NE(res.find("<a href=\"#show_if_field\">"), std::string::npos);
  EXPECT_NE(res.find("id=\"show_if_field-error\""), std::string::npos);
  EXPECT_EQ(Stored().version, before.version);
  EXPECT_EQ(Stored().form, before.form);
  // The same refusal in Arabic.
  const std::string arabic = std::string(kService) + "/form/fields/purpose?lang=ar";
  res = Edit(admin, arabic, arabic, form);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("ويجب أن يسبقه"), std::string::npos);
}

TEST_F(EditorWebTest, AChoiceWithoutOptionsIsRefused) {
  Browser admin = Admin();
  const catalog::Service before = Stored();
  const std::string add = std::string(kService) + "/form/pages/1/fields/new?lang=en";
  std::string res = Edit(admin, add, add,
                         {{"name", "colour"},
                          {"type", "single_choice"},
                          {"label_ar", "اللون"},
                          {"label_en", "Colour"},
                          {"opt_value_1", ""},
                          {"opt_ar_1", ""},
                          {"opt_en_1", ""}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("offers a choice but has no choices"), std::string::npos);
  EXPECT_NE(res.find("<a href=\"#opt_value_1\">"), std::string::npos);
  // What was typed is kept.
  EXPECT_NE(res.find("value=\"colour\""), std::string::npos);
  EXPECT_EQ(Stored().version, before.version);
  EXPECT_EQ(FieldNamed(Stored(), "colour"), nullptr);
  // A choice whose code is malformed is pointed at too.
  res = Edit(admin, add, add,
             {{"name", "colour"},
              {"type", "single_choice"},
              {"label_ar", "اللون"},
              {"label_en", "Colour"},
              {"opt_value_1", "Red Colour"},
              {"opt_ar_1", "أحمر"},
              {"opt_en_1", "Red"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("Enter the choice&#39;s code"), std::string::npos);
}

// A question needs no machine name typed: one is made from its label (English, else the Arabic
// transliterated), unique in the form.
TEST_F(EditorWebTest, AQuestionWithoutANameGetsOneFromItsLabel) {
  Browser admin = Admin();
  const std::string add = std::string(kService) + "/form/pages/1/fields/new?lang=en";
  Fields plot = {
      {"name", ""}, {"type", "text"}, {"label_ar", "رقم القطعة"}, {"label_en", "Plot number"}};
  ASSERT_EQ(RawClient::Status(Edit(admin, add, add, plot)), 303);
  EXPECT_NE(FieldNamed(Stored(), "plot_number"), nullptr);
  ASSERT_EQ(RawClient::Status(Edit(admin, add, add, plot)), 303);
  EXPECT_NE(FieldNamed(Stored(), "plot_number_2"), nullptr);
  // An English label without Latin letters: the Arabic one, transliterated.
  Fields basin = {{"name", ""}, {"type", "text"}, {"label_ar", "رقم الحوض"}, {"label_en", "٣"}};
  ASSERT_EQ(RawClient::Status(Edit(admin, add, add, basin)), 303);
  EXPECT_NE(FieldNamed(Stored(), "rqm_alhwd"), nullptr);
}

TEST_F(EditorWebTest, ADuplicateFieldNameIsRefused) {
  Browser admin = Admin();
  const catalog::Service before = Stored();
  const std::string add = std::string(kService) + "/form/pages/1/fields/new?lang=en";
  std::string res = Edit(admin, add, add,
                         {{"name", "purpose"},
                          {"type", "text"},
                          {"label_ar", "غرض آخر"},
                          {"label_en", "Another purpose"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("already has a question named “purpose”"), std::string::npos);
  EXPECT_NE(res.find("<a href=\"#name\">"), std::string::npos);
  // Renaming a field to a name in use is refused the same way.
  Fields renamed = FieldForm(*FieldNamed(before, "addressed_to"));
  renamed[0].second = "delivery";
  const std::string edit = std::string(kService) + "/form/fields/addressed_to?lang=en";
  res = Edit(admin, edit, edit, renamed);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("already has a question named “delivery”"), std::string::npos);
  EXPECT_EQ(Stored().form, before.form);
}

TEST_F(EditorWebTest, RenamingAFieldCarriesItsConditionsAlong) {
  Browser admin = Admin();
  Fields renamed = FieldForm(*FieldNamed(Stored(), "purpose"));
  renamed[0].second = "request_purpose";
  const std::string edit = std::string(kService) + "/form/fields/purpose";
  ASSERT_EQ(RawClient::Status(Edit(admin, edit, edit, renamed)), 303);
  catalog::Service s = Stored();
  EXPECT_EQ(FieldNamed(s, "purpose"), nullptr);
  EXPECT_EQ(FieldNamed(s, "purpose_other")->show_if->field, "request_purpose");
}

TEST_F(EditorWebTest, PagesAndFieldsMoveAndAreRemovedOnlyWhenTheFormStaysSound) {
  Browser admin = Admin();
  const std::string form = std::string(kService) + "/form?lang=en";
  const std::string new_page = std::string(kService) + "/form/pages/new?lang=en";
  std::string res = Edit(admin, new_page, new_page,
                         {{"title_ar", "التسليم"},
                          {"title_en", "Delivery"},
                          {"name", "pickup_note"},
                          {"type", "text"},
                          {"label_ar", "ملاحظة"},
                          {"label_en", "Note"}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  ASSERT_EQ(Stored().form.pages.size(), 2u);
  EXPECT_EQ(Stored().form.pages[1].title.en, "Delivery");
  // The only field of page 2 cannot leave it: the page would be empty.
  const std::string act = std::string(kService) + "/form/fields/pickup_note/act?lang=en";
  res = Edit(admin, form, act, {{"do", "up"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("Page 2 would have no questions left"), std::string::npos);
  // A field others depend on cannot go either.
  res = Edit(admin, form, std::string(kService) + "/form/fields/purpose/act?lang=en",
             {{"do", "remove"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("that the form would no longer have"), std::string::npos);
  // The last field of page 1 moves down to the top of page 2.
  res = Edit(admin, form, std::string(kService) + "/form/fields/delivery_email/act",
             {{"do", "down"}});
  ASSERT_EQ(RawClient::Status(res), 303);
  EXPECT_EQ(Stored().form.pages[1].fields[0].name, "delivery_email");
  // Page 2 cannot come first: delivery_email depends on delivery, which would then follow it.
  res = Edit(admin, form, std::string(kService) + "/form/pages/2/act?lang=en", {{"do", "up"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("which must come before it in the form"), std::string::npos);
  EXPECT_EQ(Stored().form.pages[1].title.en, "Delivery");
  // Page 2 goes with its fields; the last page cannot.
  res = Edit(admin, form, std::string(kService) + "/form/pages/2/act", {{"do", "remove"}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  ASSERT_EQ(Stored().form.pages.size(), 1u);
  EXPECT_EQ(FieldNamed(Stored(), "pickup_note"), nullptr);
  EXPECT_EQ(FieldNamed(Stored(), "delivery_email"), nullptr);
  res = Edit(admin, form, std::string(kService) + "/form/pages/1/act?lang=en", {{"do", "remove"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("A form needs at least one page"), std::string::npos);
}

TEST_F(EditorWebTest, AWorkflowWithAnUnreachableStateIsRefusedWithTheReason) {
  Browser admin = Admin();
  const std::string add = std::string(kService) + "/workflow/states/new?lang=en";
  const Fields state = {{"key", "site_visit"},
                        {"label_ar", "زيارة ميدانية"},
                        {"label_en", "Site visit"},
                        {"sla_days", "3"},
                        {"municipality_acts", "yes"}};
  std::string res = Edit(admin, add, add, state);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("The state “Site visit” cannot be reached from the initial state "
                     "“Submitted”"),
            std::string::npos);
  EXPECT_TRUE(Stored().workflow_json.empty());  // still the default, nothing stored
  const std::string arabic = std::string(kService) + "/workflow/states/new?lang=ar";
  res = Edit(admin, arabic, arabic, state);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("لا يمكن بلوغ الحالة «زيارة ميدانية» من الحالة الأولى"), std::string::npos);
  // With a way in and a way out it is accepted: the service then has its own workflow.
  const std::string into = std::string(kService) + "/workflow/transitions/submitted/start_review";
  res = Edit(admin, into, into,
             {{"from", "submitted"},
              {"to", "site_visit"},
              {"action", "start_review"},
              {"label_ar", "بدء المراجعة"},
              {"label_en", "Start review"},
              {"roles", "clerk"}});
  ASSERT_EQ(RawClient::Status(res), 422);  // the state does not exist yet
  EXPECT_TRUE(Stored().workflow_json.empty());
}

// A state may await payment only when a "paid" transition leaves it and it is not final; the
// checkbox's refusals name the rule, and nothing is stored.
TEST_F(EditorWebTest, AStateAwaitingPaymentNeedsItsPaidTransition) {
  Browser admin = Admin();
  const std::string approved = std::string(kService) + "/workflow/states/approved?lang=en";
  std::string res = Edit(admin, approved, approved,
                         {{"key", "approved"},
                          {"label_ar", "موافق عليه"},
                          {"label_en", "Approved"},
                          {"sla_days", "3"},
                          {"municipality_acts", "yes"},
                          {"awaits_payment", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("add a transition out of it with the action code “paid”"), std::string::npos);
  EXPECT_NE(res.find("id=\"awaits_payment\""), std::string::npos);
  const std::string completed = std::string(kService) + "/workflow/states/completed?lang=en";
  res = Edit(admin, completed, completed,
             {{"key", "completed"},
              {"label_ar", "مكتمل"},
              {"label_en", "Completed"},
              {"sla_days", "0"},
              {"final", "yes"},
              {"municipality_acts", "yes"},
              {"awaits_payment", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("a final state cannot await payment"), std::string::npos);
  EXPECT_TRUE(Stored().workflow_json.empty());
}

// A final state's outcome (how the performance figures count a case ending there) is chosen on
// the state's page, shown as its key suggests until then; an unknown one is refused.
TEST_F(EditorWebTest, AFinalStatesOutcomeIsChosenOnItsPage) {
  Browser admin = Admin();
  const std::string rejected = std::string(kService) + "/workflow/states/rejected?lang=en";
  std::string page = RawClient::Body(admin.Get(rejected));
  EXPECT_NE(page.find("Outcome of a final state"), std::string::npos) << page;
  EXPECT_NE(page.find("<option value=\"rejected\" selected"), std::string::npos) << page;
  const Fields base = {{"key", "rejected"}, {"label_ar", "مرفوض"}, {"label_en", "Rejected"},
                       {"sla_days", "0"},   {"final", "yes"},      {"municipality_acts", "yes"}};
  Fields bad = base;
  bad.push_back({"outcome", "approved"});
  std::string res = Edit(admin, rejected, rejected, bad);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("cannot have the outcome “approved”"), std::string::npos) << res;
  EXPECT_TRUE(Stored().workflow_json.empty());
  Fields withdrawn = base;
  withdrawn.push_back({"outcome", "withdrawn"});
  res = Edit(admin, rejected, rejected, withdrawn);
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  auto flow = workflow::ParseWorkflow(Stored().workflow_json);
  ASSERT_TRUE(flow.ok()) << flow.error().detail;
  EXPECT_EQ(flow->FindState("rejected")->outcome, "withdrawn");
  EXPECT_EQ(flow->FindState("completed")->outcome, "completed");
  page = RawClient::Body(admin.Get(std::string(kService) + "/workflow/states/rejected?lang=ar"));
  EXPECT_NE(page.find("<option value=\"withdrawn\" selected"), std::string::npos);
  EXPECT_NE(page.find("نتيجة الحالة النهائية"), std::string::npos);
}

TEST_F(EditorWebTest, TransitionsAndStatesAreEditedAndTheDefaultComesBack) {
  Browser admin = Admin();
  const std::string wf = std::string(kService) + "/workflow?lang=en";
  // Reject needs no comment any more, and counter clerks may take it too.
  const std::string reject = std::string(kService) + "/workflow/transitions/in_review/reject";
  std::string res = Edit(admin, reject, reject,
                         {{"from", "in_review"},
                          {"to", "rejected"},
                          {"action", "reject"},
                          {"label_ar", "رفض"},
                          {"label_en", "Reject"},
                          {"roles", "clerk"},
                          {"roles", "counter-clerk"}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  auto flow = workflow::ParseWorkflow(Stored().workflow_json);
  ASSERT_TRUE(flow.ok()) << flow.error().detail;
  const workflow::Transition* t = flow->FindTransition("in_review", "reject");
  ASSERT_NE(t, nullptr);
  EXPECT_FALSE(t->comment_required);
  EXPECT_EQ(t->roles, (std::vector<std::string>{"counter-clerk", "clerk"}));
  EXPECT_EQ(Audited("service.workflow_edited"), 1);
  // A transition nobody may take is refused.
  res = Edit(admin, reject + "?lang=en", reject + "?lang=en",
             {{"from", "in_review"},
              {"to", "rejected"},
              {"action", "reject"},
              {"label_ar", "رفض"},
              {"label_en", "Reject"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("Choose who may take the transition “reject”"), std::string::npos);
  // Removing the initial state is refused; resetting brings the default back.
  res = Edit(admin, wf, std::string(kService) + "/workflow/states/submitted/remove?lang=en", {});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("The initial state cannot be removed"), std::string::npos);
  // The page shows the workflow as stored, the state still in it, not the refused one.
  EXPECT_NE(res.find(std::string(kService) + "/workflow/states/submitted\""), std::string::npos)
      << res;
  res = Edit(admin, wf, std::string(kService) + "/workflow/reset", {});
  ASSERT_EQ(RawClient::Status(res), 303);
  EXPECT_TRUE(Stored().workflow_json.empty());
}

// The department queue's state filter offers the states the admin added to a service's own
// workflow, besides the default workflow's.
TEST_F(EditorWebTest, TheQueueFiltersByStatesOfEditedWorkflows) {
  Browser clerk = Staff("hebron.queue", identity::Role::kDepartmentHead);
  std::string queue = clerk.Get("/m/hebron/queue?lang=en");
  ASSERT_EQ(RawClient::Status(queue), 200);
  EXPECT_EQ(queue.find("Site visit"), std::string::npos);
  workflow::Workflow wf = workflow::DefaultWorkflow(texts());
  wf.states.push_back({"site_visit", {"زيارة ميدانية", "Site visit"}, false, 3, true});
  workflow::Transition in;
  in.from = "in_review";
  in.to = "site_visit";
  in.action = "visit";
  in.label = {"زيارة", "Visit"};
  in.roles = {"clerk"};
  workflow::Transition out = in;
  out.from = "site_visit";
  out.to = "in_review";
  out.action = "back_to_review";
  wf.transitions.push_back(in);
  wf.transitions.push_back(out);
  catalog::Service s = Stored();
  s.workflow_json = workflow::WorkflowToJson(wf);
  ASSERT_TRUE(services().Save(s, Now()).ok());
  queue = clerk.Get("/m/hebron/queue?lang=en&state=site_visit");
  ASSERT_EQ(RawClient::Status(queue), 200);
  EXPECT_NE(queue.find("<option value=\"site_visit\" selected>Site visit</option>"),
            std::string::npos)
      << queue;
  // Each state once, though every service's workflow has the default ones.
  size_t review = 0;
  for (size_t at = queue.find("value=\"in_review\""); at != std::string::npos;
       at = queue.find("value=\"in_review\"", at + 1)) {
    ++review;
  }
  EXPECT_EQ(review, 1u);
}

TEST_F(EditorWebTest, AWorkflowWithoutAFinalStateIsRefused) {
  catalog::Service s = Stored();
  workflow::Workflow w;
  w.initial = "submitted";
  w.states = {{"submitted", {"مقدم", "Submitted"}, false, 2, true},
              {"done", {"منجز", "Done"}, true, 0, true}};
  w.transitions = {{"submitted", "done", "finish", {"إنجاز", "Finish"}, {"clerk"}, false}};
  s.workflow_json = workflow::WorkflowToJson(w);
  ASSERT_TRUE(services().Save(s, Now()).ok());
  Browser admin = Admin();
  const std::string done = std::string(kService) + "/workflow/states/done?lang=en";
  std::string res = Edit(admin, done, done,
                         {{"key", "done"},
                          {"label_ar", "منجز"},
                          {"label_en", "Done"},
                          {"sla_days", "0"},
                          {"municipality_acts", "yes"}});  // "final" not ticked
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("The workflow has no final state"), std::string::npos);
  EXPECT_NE(res.find("<a href=\"#final\">"), std::string::npos);
  EXPECT_EQ(Stored().workflow_json, s.workflow_json);
}

TEST_F(EditorWebTest, AStateWithOpenCasesCannotBeRemoved) {
  // A resident's case waits in "submitted".
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  resident.Get("/m/hebron/services/clearance-certificate");
  std::string res = resident.Post("/m/hebron/services/clearance-certificate/apply", {});
  const std::string draft = RawClient::Header(res, "location");
  resident.Get(draft);
  res =
      resident.Post(draft, {{"purpose", "bank"}, {"delivery", "counter"}, {"addressed_to", "بنك"}});
  const std::string check = RawClient::Header(res, "location");
  resident.Get(check);
  ASSERT_EQ(RawClient::Status(resident.Post(check, {{"declaration", "yes"}})), 303);
  // A workflow in which "submitted" can go: cases start in "received", which may skip it.
  catalog::Service s = Stored();
  workflow::Workflow w;
  w.initial = "received";
  w.states = {{"received", {"مستلم", "Received"}, false, 1, true},
              {"submitted", {"مقدم", "Submitted"}, false, 2, true},
              {"done", {"منجز", "Done"}, true, 0, true}};
  w.transitions = {{"received", "submitted", "accept", {"قبول", "Accept"}, {"clerk"}, false},
                   {"received", "done", "finish", {"إنجاز", "Finish"}, {"clerk"}, false},
                   {"submitted", "done", "finish", {"إنجاز", "Finish"}, {"clerk"}, false}};
  s.workflow_json = workflow::WorkflowToJson(w);
  ASSERT_TRUE(services().Save(s, Now()).ok());
  Browser admin = Admin();
  const std::string wf = std::string(kService) + "/workflow?lang=en";
  res = Edit(admin, wf, std::string(kService) + "/workflow/states/submitted/remove?lang=en", {});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("The state “Submitted” cannot be removed while open cases are in it (1)"),
            std::string::npos);
  EXPECT_EQ(Stored().workflow_json, s.workflow_json);
  EXPECT_EQ(Audited("service.workflow_edited"), 0);
  // Resetting to the default keeps "submitted", so it is allowed.
  res = Edit(admin, wf, std::string(kService) + "/workflow/reset", {});
  EXPECT_EQ(RawClient::Status(res), 303);
}

// The version on every form: an edit made on a page opened before someone else's change is
// refused, whatever it changes, and the page then shows the current service.
TEST_F(EditorWebTest, AnEditFromAStalePageGets409) {
  Browser admin = Admin();
  const std::string field = std::string(kService) + "/form/fields/addressed_to?lang=en";
  std::string shown = admin.Get(field);
  std::smatch version;
  ASSERT_TRUE(std::regex_search(shown, version, std::regex("name=\"version\" value=\"(\\d+)\"")));
  catalog::Service meanwhile = Stored();
  meanwhile.sla_days = 9;
  ASSERT_TRUE(services().Save(meanwhile, Now()).ok());
  Fields form = FieldForm(*FieldNamed(meanwhile, "addressed_to"));
  form[3].second = "Changed label";
  form.emplace_back("version", version[1].str());
  std::string res = admin.Post(field, form);
  ASSERT_EQ(RawClient::Status(res), 409);
  EXPECT_NE(res.find("someone else changed this service after you opened the page"),
            std::string::npos);
  EXPECT_EQ(FieldNamed(Stored(), "addressed_to")->label.en,
            FieldNamed(meanwhile, "addressed_to")->label.en);
  EXPECT_EQ(Stored().sla_days, 9);
  // The service page and the workflow pages check it the same way.
  res = admin.Post(std::string(kService) + "/status", {{"publish", "no"}, {"version", "1"}});
  EXPECT_EQ(RawClient::Status(res), 409);
  EXPECT_TRUE(Stored().published);
  res = admin.Post(std::string(kService) + "/workflow/reset", {{"version", "1"}});
  EXPECT_EQ(RawClient::Status(res), 409);
}

TEST_F(EditorWebTest, OnlyCatalogueManagersReachTheEditor) {
  Browser clerk = Staff("hebron.clerk", identity::Role::kClerk);
  const std::string pages[] = {
      kService,
      std::string(kService) + "/form",
      std::string(kService) + "/form/fields/purpose",
      std::string(kService) + "/form/pages/1",
      std::string(kService) + "/workflow",
      std::string(kService) + "/workflow/states/submitted",
      std::string(kService) + "/notifications",
      "/m/hebron/admin/services/new",
  };
  for (const auto& p : pages) EXPECT_EQ(RawClient::Status(clerk.Get(p)), 403) << p;
  clerk.Get("/account");  // a token of the clerk's own session, so only the rule can refuse
  ASSERT_FALSE(clerk.token().empty());
  EXPECT_EQ(RawClient::Status(clerk.Post(std::string(kService) + "/status",
                                         {{"publish", "no"}, {"version", "1"}})),
            403);
  EXPECT_EQ(RawClient::Status(clerk.Post(std::string(kService) + "/workflow/reset", {})), 403);
  EXPECT_TRUE(Stored().published);
  // Another municipality's admin may not edit Hebron's services either.
  catalog::TenancyStore tenancy(db());
  identity::StaffInput in;
  in.username = "nablus.boss";
  in.full_name_ar = "مدير";
  in.password = "a-long-staff-password";
  in.municipality_id = tenancy.FindMunicipality("nablus")->id;
  in.grants = {{identity::Role::kMunicipalAdmin, in.municipality_id, 0}};
  auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(id.ok());
  Browser other(port());
  other.SetCookie("sid", *sessions().Create(*id, true, true, Now()));
  EXPECT_EQ(RawClient::Status(other.Get(kService)), 403);
  EXPECT_EQ(RawClient::Status(Admin().Get(kService)), 200);
}

// What the admin adds is what a resident is asked.
TEST_F(EditorWebTest, TheEditedFormIsWhatResidentsSeeWhenApplying) {
  Browser admin = Admin();
  const std::string add = std::string(kService) + "/form/pages/1/fields/new";
  // The service is published: a question without its English text is refused.
  std::string res = Edit(admin, add + "?lang=en", add + "?lang=en",
                         {{"name", "plot_number"},
                          {"type", "number"},
                          {"label_ar", "رقم قطعة الأرض"},
                          {"label_en", ""}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("This service is published"), std::string::npos);
  EXPECT_NE(res.find("The question “رقم قطعة الأرض” in English"), std::string::npos);
  EXPECT_EQ(FieldNamed(Stored(), "plot_number"), nullptr);
  res = Edit(admin, add, add,
             {{"name", "plot_number"},
              {"type", "number"},
              {"label_ar", "رقم قطعة الأرض"},
              {"label_en", "Plot number"},
              {"help_ar", "كما في سند الملكية"},
              {"help_en", "As on the title deed"},
              {"required", "yes"},
              {"min", "1"}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  // Residents are asked it once the new version is published.
  EXPECT_EQ(FieldNamed(*services().Find(hebron_, "clearance-certificate"), "plot_number"), nullptr);
  PublishNow(admin);
  // The history names who published version 2 and when it took effect.
  const std::string history = RawClient::Body(admin.Get(std::string(kService) + "/versions"));
  EXPECT_NE(history.find("<td>2</td><td>Live</td>"), std::string::npos) << history;
  EXPECT_NE(history.find("<td>موظف</td>"), std::string::npos) << history;
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  resident.Get("/m/hebron/services/clearance-certificate");
  res = resident.Post("/m/hebron/services/clearance-certificate/apply", {});
  ASSERT_EQ(RawClient::Status(res), 303);
  const std::string draft = RawClient::Header(res, "location");
  std::string page = resident.Get(draft);
  EXPECT_NE(page.find("رقم قطعة الأرض"), std::string::npos);
  EXPECT_NE(page.find("كما في سند الملكية"), std::string::npos);
  EXPECT_NE(page.find("id=\"plot_number\""), std::string::npos);
  EXPECT_NE(RawClient::Body(resident.Get(draft + "?lang=en")).find("Plot number"),
            std::string::npos);
  // It is asked like any other: required, a number of at least 1.
  res = resident.Post(draft, {{"purpose", "bank"},
                              {"delivery", "counter"},
                              {"addressed_to", "بنك فلسطين"},
                              {"plot_number", "0"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  res = resident.Post(draft, {{"purpose", "bank"},
                              {"delivery", "counter"},
                              {"addressed_to", "بنك فلسطين"},
                              {"plot_number", "٣٧٤١"}});
  ASSERT_EQ(RawClient::Status(res), 303);
  EXPECT_NE(RawClient::Body(resident.Get(RawClient::Header(res, "location"))).find("3741"),
            std::string::npos);
}

// A new service starts as a draft with a one-page form; it is published once its texts are
// complete, and the service page says what is missing until then.
TEST_F(EditorWebTest, ANewServiceIsADraftUntilItsTextsAreComplete) {
  Browser admin = Admin();
  const std::string list = "/m/hebron/admin/services";
  EXPECT_NE(RawClient::Body(admin.Get(list)).find("href=\"" + list + "/new\""), std::string::npos);
  const std::string create = list + "/new?lang=en";
  int64_t revenue = 0;
  catalog::TenancyStore tenancy(db());
  auto departments = tenancy.Departments(hebron_);
  ASSERT_TRUE(departments.ok());
  for (const auto& d : *departments) {
    if (d.slug == "revenue") revenue = d.id;
  }
  std::string res = Edit(admin, create, create,
                         {{"code", "Tree Pruning"}, {"name_ar", "تقليم"}, {"department", "0"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("<a href=\"#code\">"), std::string::npos);
  EXPECT_NE(res.find("<a href=\"#name_en\">"), std::string::npos);
  EXPECT_NE(res.find("<a href=\"#department\">"), std::string::npos);
  res = Edit(admin, create, create,
             {{"code", "tree-pruning"},
              {"name_ar", "تقليم الأشجار"},
              {"name_en", "Tree pruning"},
              {"department", std::to_string(revenue)}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  const std::string href = list + "/tree-pruning";
  EXPECT_EQ(RawClient::Header(res, "location"), href + "?saved=1");
  catalog::Service s = Stored("tree-pruning");
  EXPECT_FALSE(s.published);
  ASSERT_EQ(s.form.pages.size(), 1u);
  EXPECT_EQ(s.form.pages[0].fields.size(), 1u);
  EXPECT_EQ(Audited("service.created"), 1);
  // The same code twice is refused.
  res = Edit(admin, create, create,
             {{"code", "tree-pruning"},
              {"name_ar", "تقليم"},
              {"name_en", "Pruning"},
              {"department", std::to_string(revenue)}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("already has a service with this code"), std::string::npos);

  // Publishing lists what is missing, each linked to where it is written.
  res = Edit(admin, href + "?lang=en", href + "/status?lang=en", {{"publish", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("The service&#39;s description in English"), std::string::npos);
  EXPECT_NE(res.find("href=\"#description_en\""), std::string::npos);
  EXPECT_FALSE(Stored("tree-pruning").published);
  std::string arabic = RawClient::Body(admin.Get(href + "?lang=ar"));
  EXPECT_NE(arabic.find("وصف الخدمة بالإنجليزية"), std::string::npos);

  // The details, a fee rule and a document, then publishing.
  res = Edit(admin, href, href,
             {{"kind", "application"},
              {"name_ar", "تقليم الأشجار"},
              {"name_en", "Tree pruning"},
              {"description_ar", "تقليم الأشجار المطلة على الطريق العام."},
              {"description_en", "Pruning trees that overhang the public road."},
              {"eligibility_ar", ""},
              {"eligibility_en", ""},
              {"category", "environment"},
              {"department", std::to_string(revenue)},
              {"sla_days", "٧"},
              {"channels", "web"},
              {"channels", "phone"},
              {"fee_base", "25.50"},
              {"rule_field_1", "details"},
              {"rule_equals_1", ""},
              {"rule_add_1", "10"},
              {"rule_per_unit_1", ""},
              {"doc_ar_1", "صورة الهوية"},
              {"doc_en_1", "A copy of the ID card"}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  s = Stored("tree-pruning");
  EXPECT_EQ(s.sla_days, 7);
  EXPECT_EQ(s.category, "environment");
  EXPECT_EQ(s.channels, (std::vector<std::string>{"web", "phone"}));
  EXPECT_EQ(s.fee.base_minor, 2550);
  ASSERT_EQ(s.fee.rules.size(), 1u);
  EXPECT_EQ(s.fee.rules[0].add_minor, 1000);
  ASSERT_EQ(s.documents.size(), 1u);
  EXPECT_EQ(s.documents[0].en, "A copy of the ID card");
  EXPECT_NE(RawClient::Body(admin.Get(href + "?lang=en"))
                .find("Every text of the service exists in Arabic and English."),
            std::string::npos);
  res = Edit(admin, href, href + "/status", {{"publish", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303);
  EXPECT_TRUE(Stored("tree-pruning").published);
  EXPECT_EQ(Audited("service.published"), 1);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/m/hebron/services/tree-pruning")), 200);
  // A published service keeps its texts: clearing one is refused with the reason.
  res = Edit(admin, href + "?lang=en", href + "?lang=en",
             {{"kind", "application"},
              {"name_ar", "تقليم الأشجار"},
              {"name_en", ""},
              {"description_ar", "تقليم."},
              {"description_en", "Pruning."},
              {"category", "environment"},
              {"department", std::to_string(revenue)},
              {"sla_days", "7"},
              {"fee_base", "0"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("This service is published"), std::string::npos);
  EXPECT_EQ(Stored("tree-pruning").name.en, "Tree pruning");
}

// The six boxes of an event's wording on the notifications page, as the page posts them.
Fields Wording(const std::string& event, const catalog::NotificationText& t) {
  return {{event + "_subject_ar", t.subject.ar}, {event + "_subject_en", t.subject.en},
          {event + "_body_ar", t.body.ar},       {event + "_body_en", t.body.en},
          {event + "_sms_ar", t.sms.ar},         {event + "_sms_en", t.sms.en}};
}

// The admin words the "submitted" notification; a resident who then applies is told in those
// words; emptying every box brings the catalogue's wording back.
TEST_F(EditorWebTest, AServiceWordsItsOwnNotificationsAndTheDefaultComesBack) {
  Browser admin = Admin();
  const std::string page = std::string(kService) + "/notifications";
  EXPECT_NE(RawClient::Body(admin.Get(kService)).find("href=\"" + page + "\""), std::string::npos);
  Fields fields =
      Wording("submitted", {{"وصلنا طلب براءة الذمة {tracking}", "Clearance {tracking}"},
                            {"سنجهز شهادة براءة الذمة لطلب {tracking} خلال يومين.",
                             "Your certificate for {tracking} will be ready in two days."},
                            {}});
  const Fields changed = Wording(
      "state_changed", {{"طلبك {tracking}: {state}", "{tracking}: {state}"},
                        {"«{service}» {tracking}: {state}", "“{service}” {tracking}: {state}"},
                        {"{tracking}: {state}", "{tracking}: {state}"}});
  fields.insert(fields.end(), changed.begin(), changed.end());
  std::string res = Edit(admin, page, page, fields);
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  EXPECT_EQ(RawClient::Header(res, "location"), std::string(kService) + "?saved=1");
  catalog::Service s = Stored();
  ASSERT_EQ(s.notifications.count("submitted"), 1u);
  EXPECT_EQ(s.notifications["submitted"].subject.en, "Clearance {tracking}");
  EXPECT_TRUE(s.notifications["submitted"].sms.Empty());
  EXPECT_EQ(s.notifications["state_changed"].sms.ar, "{tracking}: {state}");
  EXPECT_EQ(Audited("service.notifications_edited"), 1);
  EXPECT_NE(RawClient::Body(admin.Get(page)).find("value=\"Clearance {tracking}\""),
            std::string::npos);
  PublishNow(admin);

  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  resident.Get("/m/hebron/services/clearance-certificate");
  res = resident.Post("/m/hebron/services/clearance-certificate/apply", {});
  ASSERT_EQ(RawClient::Status(res), 303);
  const std::string draft = RawClient::Header(res, "location");
  resident.Get(draft);
  res = resident.Post(
      draft, {{"purpose", "bank"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string check = RawClient::Header(res, "location");
  resident.Get(check);
  res = resident.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string mine = RawClient::Header(res, "location");
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  std::string inbox = RawClient::Body(resident.Get("/account/notifications"));
  // In Arabic the tracking number is isolated (U+2068..U+2069) so that it stays whole.
  EXPECT_NE(inbox.find("سنجهز شهادة براءة الذمة لطلب \u2068" + tracking + "\u2069 خلال يومين."),
            std::string::npos)
      << inbox;

  // Every box empty: the catalogue's wording again, for both events.
  fields = Wording("submitted", {});
  const Fields cleared = Wording("state_changed", {});
  fields.insert(fields.end(), cleared.begin(), cleared.end());
  res = Edit(admin, page, page, fields);
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  EXPECT_TRUE(Stored().notifications.empty());
  EXPECT_EQ(Audited("service.notifications_edited"), 2);
}

// A text in one language only, or with a placeholder the event does not fill, is refused with
// the reason linked to its box, and nothing is stored.
TEST_F(EditorWebTest, IncompleteOrUnknownNotificationTextsAreRefused) {
  struct Case {
    const char* label;
    Fields fields;
    const char* reason;  // in the English page
    const char* box;
  };
  const catalog::Text subject = {"استلمنا {tracking}", "Received {tracking}"};
  const catalog::Text body = {"استلمنا طلبك «{service}».", "We received “{service}”."};
  const Case cases[] = {
      {"the body in Arabic only", Wording("submitted", {subject, {"نص", ""}, {}}),
       "Missing: The text of the “Received” notification in English.", "submitted_body_en"},
      {"a subject without a body", Wording("submitted", {subject, {}, {}}),
       "Missing: The text of the “Received” notification in Arabic.", "submitted_body_ar"},
      {"the text message in English only",
       Wording("state_changed", {subject, body, {"", "SMS {state}"}}),
       "Write the text message in both languages, or leave both empty.", "state_changed_sms_ar"},
      {"an unknown placeholder", Wording("submitted", {subject, {"طلبك {foo}", "Your {foo}"}, {}}),
       "This notification has no placeholder {foo}. Use only {tracking}, {service}.",
       "submitted_body_en"},
      {"the state where no state changed", Wording("submitted", {{"{state}", "{state}"}, body, {}}),
       "This notification has no placeholder {state}.", "submitted_subject_ar"},
  };
  Browser admin = Admin();
  const std::string page = std::string(kService) + "/notifications?lang=en";
  for (const Case& c : cases) {
    std::string res = Edit(admin, page, page, c.fields);
    ASSERT_EQ(RawClient::Status(res), 422) << c.label;
    EXPECT_NE(res.find(c.reason), std::string::npos) << c.label << "\n" << RawClient::Body(res);
    EXPECT_NE(res.find(std::string("href=\"#") + c.box + "\""), std::string::npos) << c.label;
    EXPECT_NE(res.find(std::string("id=\"") + c.box + "-error\""), std::string::npos) << c.label;
    EXPECT_TRUE(Stored().notifications.empty()) << c.label;
  }
  // The summary is in the page's language.
  const std::string arabic = std::string(kService) + "/notifications?lang=ar";
  std::string res = Edit(admin, arabic, arabic, cases[0].fields);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("ينقص: نص إشعار «الاستلام» بالإنجليزية."), std::string::npos);
  EXPECT_EQ(Audited("service.notifications_edited"), 0);
}

// Wording saved from a page opened before someone else's change is a conflict; a draft's missing
// notification texts link to their boxes.
TEST_F(EditorWebTest, NotificationsFromAStalePageGet409) {
  Browser admin = Admin();
  const std::string page = std::string(kService) + "/notifications?lang=en";
  std::string shown = admin.Get(page);
  std::smatch version;
  ASSERT_TRUE(std::regex_search(shown, version, std::regex("name=\"version\" value=\"(\\d+)\"")));
  catalog::Service meanwhile = Stored();
  meanwhile.published = false;
  meanwhile.notifications["submitted"] = {{"عنوان", ""}, {"نص", "Text"}, {}};
  ASSERT_TRUE(services().Save(meanwhile, Now()).ok());
  Fields fields = Wording("submitted", {{"أ", "A"}, {"ب", "B"}, {}});
  fields.emplace_back("version", version[1].str());
  std::string res = admin.Post(page, fields);
  ASSERT_EQ(RawClient::Status(res), 409);
  EXPECT_NE(res.find("someone else changed this service after you opened the page"),
            std::string::npos);
  EXPECT_EQ(Stored().notifications["submitted"].subject.ar, "عنوان");
  std::string service = RawClient::Body(admin.Get(std::string(kService) + "?lang=en"));
  EXPECT_NE(
      service.find("href=\"" + std::string(kService) + "/notifications#submitted_subject_en\""),
      std::string::npos)
      << service;
}

// A refusal is shown in the admin's language, first in the summary as a link to the input at
// fault, then beside that input: for a form schema problem, a workflow problem, texts a
// published service would lose, and a notification's wording.
TEST_F(EditorWebTest, RefusalsAreShownInTheAdminsLanguageLinkedToTheInputAtFault) {
  struct Case {
    const char* what;
    std::string page;  // posted to itself, with ?lang=
    Fields fields;
    const char* input;  // the id of the input at fault
    const char* en;
    const char* ar;
  };
  const std::string new_field = std::string(kService) + "/form/pages/1/fields/new";
  const Case cases[] = {
      {"a form schema problem: too many files",
       new_field,
       {{"name", "scans"},
        {"type", "file"},
        {"label_ar", "صور"},
        {"label_en", "Scans"},
        {"max_files", "30"}},
       "max_files",
       "Enter a number of files from 1 to 20.",
       "أدخل عدد ملفات من ١ إلى ٢٠."},
      {"a form schema problem: a choice's code twice, in the row it was typed in",
       new_field,
       {{"name", "size"},
        {"type", "single_choice"},
        {"label_ar", "الحجم"},
        {"label_en", "Size"},
        {"opt_value_1", "a"},
        {"opt_ar_1", "أ"},
        {"opt_en_1", "A"},
        {"opt_value_2", "b"},
        {"opt_ar_2", "ب"},
        {"opt_en_2", "B"},
        {"opt_remove_2", "yes"},
        {"opt_value_3", "a"},
        {"opt_ar_3", "أ"},
        {"opt_en_3", "A"}},
       "opt_value_3",
       "Two choices have the code “a”. Every choice needs its own code.",
       "لخيارين الرمز نفسه «a». يجب أن يكون لكل خيار رمز خاص به."},
      {"a text the published service would lose",
       new_field,
       {{"name", "plot_number"}, {"type", "number"}, {"label_ar", "رقم القطعة"}, {"label_en", ""}},
       "label_en",
       "The question “رقم القطعة” in English",
       "السؤال «رقم القطعة» بالإنجليزية"},
      {"a workflow problem: a transition's button text",
       std::string(kService) + "/workflow/transitions/in_review/reject",
       {{"from", "in_review"},
        {"to", "rejected"},
        {"action", "reject"},
        {"label_ar", "رفض"},
        {"label_en", ""},
        {"roles", "clerk"}},
       "label_en",
       "Enter the button text of the transition “reject” from “In review” in English.",
       "أدخل نص زر الانتقال «reject» من الحالة «قيد المراجعة» بالإنجليزية."},
      {"a workflow problem: a state's key in use",
       std::string(kService) + "/workflow/states/new",
       {{"key", "in_review"},
        {"label_ar", "مراجعة ثانية"},
        {"label_en", "Second review"},
        {"sla_days", "2"},
        {"municipality_acts", "yes"}},
       "key",
       "The workflow already has a state with the key “in_review”.",
       "في مسار العمل حالة أخرى بالمفتاح «in_review»."},
      {"a notification's placeholder", std::string(kService) + "/notifications",
       Wording("submitted", {{"استلمنا {tracking}", "Received {tracking}"},
                             {"طلبك {state}", "Your application"},
                             {}}),
       "submitted_body_ar",
       "This notification has no placeholder {state}. Use only {tracking}, {service}.",
       "لا يعرف هذا الإشعار العنصر {state}. استخدم {tracking}، {service} فقط."},
  };
  Browser admin = Admin();
  const catalog::Service before = Stored();
  for (const Case& c : cases) {
    for (const auto& [lang, message] : {std::pair{"en", c.en}, std::pair{"ar", c.ar}}) {
      const std::string page = c.page + "?lang=" + lang;
      std::string res = Edit(admin, page, page, c.fields);
      ASSERT_EQ(RawClient::Status(res), 422) << c.what << " (" << lang << ")";
      const std::string link = std::string("<a href=\"#") + c.input + "\">" + message + "</a>";
      EXPECT_NE(res.find(link), std::string::npos)
          << c.what << " (" << lang << "): " << link << "\n"
          << RawClient::Body(res);
      const std::string beside =
          std::string("<p class=\"error-message\" id=\"") + c.input + "-error\">" + message;
      EXPECT_NE(res.find(beside), std::string::npos) << c.what << " (" << lang << ")";
      // Nothing of the validators' English details for logs.
      for (const char* detail : {"page 1 field", "transition '", "state '", "(en)", "(ar)"}) {
        EXPECT_EQ(res.find(detail), std::string::npos) << c.what << ": " << detail;
      }
    }
  }
  const catalog::Service after = Stored();
  EXPECT_EQ(after.version, before.version);
  EXPECT_EQ(after.form, before.form);
  EXPECT_EQ(after.workflow_json, before.workflow_json);
  EXPECT_EQ(after.notifications, before.notifications);
}

// A problem a change causes elsewhere links to the page where it can be mended: the questions
// whose condition would lose its question, the states a transition no longer leads to.
TEST_F(EditorWebTest, AProblemElsewhereLinksToThePageWhereItIsMended) {
  Browser admin = Admin();
  const std::string form = std::string(kService) + "/form";
  const std::string remove = form + "/fields/purpose/act";
  std::string res = Edit(admin, form + "?lang=en", remove + "?lang=en", {{"do", "remove"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("<a href=\"" + form +
                     "/fields/purpose_other#show_if_field\">The question "
                     "“State the purpose” is shown depending on a question named “purpose” that "
                     "the form would no longer have."),
            std::string::npos)
      << RawClient::Body(res);
  res = Edit(admin, form + "?lang=ar", remove + "?lang=ar", {{"do", "remove"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("<a href=\"" + form +
                     "/fields/purpose_other#show_if_field\">يظهر السؤال "
                     "«اذكر الغرض» بحسب سؤال اسمه «purpose» لن يبقى في النموذج."),
            std::string::npos);
  EXPECT_NE(FieldNamed(Stored(), "purpose"), nullptr);

  const std::string workflow = std::string(kService) + "/workflow";
  const std::string start = workflow + "/transitions/submitted/start_review";
  const Fields to_rejected = {{"from", "submitted"},          {"to", "rejected"},
                              {"action", "start_review"},     {"label_ar", "رفض مباشر"},
                              {"label_en", "Reject at once"}, {"roles", "clerk"}};
  res = Edit(admin, start + "?lang=en", start + "?lang=en", to_rejected);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("<a href=\"" + workflow +
                     "/states/in_review\">The state “In review” cannot "
                     "be reached from the initial state “Submitted”."),
            std::string::npos)
      << RawClient::Body(res);
  res = Edit(admin, start + "?lang=ar", start + "?lang=ar", to_rejected);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("<a href=\"" + workflow +
                     "/states/in_review\">لا يمكن بلوغ الحالة «قيد "
                     "المراجعة» من الحالة الأولى"),
            std::string::npos);
  EXPECT_TRUE(Stored().workflow_json.empty());
}

// Every problem the validators give has its message in Arabic and in English, and every
// placeholder of the message is one of the problem's arguments; every key is reached here.
TEST_F(EditorWebTest, EveryValidatorProblemHasItsMessageInBothLanguages) {
  const i18n::Catalog& cat = texts();
  std::vector<Problem> all;
  auto keep = [&](const Error& e) { all.insert(all.end(), e.problems.begin(), e.problems.end()); };
  auto with = [](const std::string& f) {
    return R"({"pages":[{"title":{"ar":"أ","en":"A"},"fields":[)"
           R"({"name":"k","type":"single_choice","options":[{"value":"a"}]},)" +
           f + "]}]}";
  };
  const std::string schemas[] = {
      "x",
      "[]",
      R"({"pages":[],"v":1})",
      R"({"pages":[]})",
      R"({"pages":[{"fields":[]}]})",
      with(R"({"name":"X","type":"text"})"),
      with(R"({"name":"k","type":"text"})"),
      with(R"({"name":"x","type":"box"})"),
      with(R"({"name":"x","type":"text","min":1})"),
      with(R"({"name":"x","type":"single_choice"})"),
      with(R"({"name":"x","type":"single_choice","options":[{"value":"A"}]})"),
      with(R"({"name":"x","type":"single_choice","options":[{"value":"a"},{"value":"a"}]})"),
      with(R"({"name":"x","type":"text","min_length":-1})"),
      with(R"({"name":"x","type":"text","max_length":100001})"),
      with(R"({"name":"x","type":"text","min_length":300})"),
      with(R"({"name":"x","type":"number","min":2,"max":1})"),
      with(R"({"name":"x","type":"file","max_files":0})"),
      with(R"({"name":"x","type":"text","label":{"en":"\u0007"}})"),
      with(R"({"name":"x","type":"text","show_if":{"field":"z","equals":"a"}})"),
      with(R"({"name":"x","type":"text","show_if":{"field":"x","equals":"a"}})"),
      with(R"({"name":"x","type":"text","show_if":{"field":"y","equals":"a"}},)"
           R"({"name":"y","type":"text"})"),
      with(R"({"name":"x","type":"text","show_if":{"field":"k","equals":"b"}})"),
  };
  for (const std::string& json : schemas) {
    auto parsed = catalog::ParseFormSchema(json);
    ASSERT_FALSE(parsed.ok()) << json;
    keep(parsed.error());
  }
  for (const char* json : {R"({"base":-1})", R"({"currency":"x"})"}) {
    auto parsed = catalog::ParseFee(json);
    ASSERT_FALSE(parsed.ok()) << json;
    keep(parsed.error());
  }

  using Break = std::function<void(workflow::Workflow&)>;
  const Break breaks[] = {
      [](workflow::Workflow& w) { w.states.clear(); },
      [](workflow::Workflow& w) {
        w.states.push_back(w.states[0]);
        w.states[1].key = "X";
        w.states[2].label = {};
        w.states[3].sla_days = -1;
        for (auto& s : w.states) s.final = false;
        w.initial = "x";
      },
      [](workflow::Workflow& w) {
        w.transitions.push_back(w.transitions[5]);
        w.transitions.push_back({"completed", "rejected", "reopen", {"أ", "A"}, {"clerk"}});
        w.transitions[0].action = "X";
        w.transitions[1].from = "x";
        w.transitions[3].roles = {"mayor"};
        w.transitions[4].roles.clear();
        w.transitions[4].label = {};
      },
      [](workflow::Workflow& w) {
        w.states.push_back({"lost", {"ض", "Lost"}});
      },
  };
  for (const Break& change : breaks) {
    workflow::Workflow w = workflow::DefaultWorkflow(cat);
    change(w);
    Status valid = workflow::Validate(w);
    ASSERT_FALSE(valid.ok());
    keep(valid.error());
  }
  keep(workflow::ParseWorkflow("x").error());

  catalog::Service s = Stored();
  s.name.en.clear();
  s.description = {};
  s.eligibility = {"", "Residents"};
  s.documents = {{"", "ID"}};
  s.notifications["submitted"] = {{}, {"نص", ""}, {"", "SMS"}};
  s.notifications["state_changed"] = {{"{x}", "{x}"}, {"ب", "B"}, {}};
  s.form.pages[0].title = {};
  s.form.pages[0].fields[0].label = {};
  s.form.pages[0].fields[0].help = {"", "Help"};
  s.form.pages[0].fields[0].options[0].label = {};
  for (auto problems : {catalog::MissingTexts(s), catalog::NotificationProblems(s)}) {
    all.insert(all.end(), problems.begin(), problems.end());
  }
  const std::function<void(catalog::Service&)> invalid[] = {
      [](catalog::Service& s) { s.code = "Bad Code"; },
      [](catalog::Service& s) { s.name.ar.clear(); },
      [](catalog::Service& s) { s.sla_days = 400; },
      [](catalog::Service& s) { s.channels = {"fax"}; },
  };
  for (const auto& change : invalid) {
    catalog::Service bad = Stored();
    change(bad);
    auto saved = services().Save(bad, Now());
    ASSERT_FALSE(saved.ok());
    keep(saved.error());
  }

  std::set<std::string> keys;
  for (const Problem& p : all) {
    keys.insert(p.key);
    for (i18n::Lang lang : {i18n::Lang::kAr, i18n::Lang::kEn}) {
      ASSERT_TRUE(cat.Has(lang, p.key)) << p.key << " in " << i18n::LangCode(lang);
      const std::string& text = cat.Get(lang, p.key);
      for (size_t open = text.find('{'); open != std::string::npos;
           open = text.find('{', open + 1)) {
        const std::string name = text.substr(open + 1, text.find('}', open) - open - 1);
        EXPECT_TRUE(p.args.count(name))
            << p.key << " in " << i18n::LangCode(lang) << " uses {" << name << "}";
      }
    }
  }
  const std::set<std::string> every = {"catalog.missing.description",
                                       "catalog.missing.document",
                                       "catalog.missing.eligibility",
                                       "catalog.missing.name",
                                       "catalog.missing.notification_body",
                                       "catalog.missing.notification_sms",
                                       "catalog.missing.notification_subject",
                                       "catalog.notification.body_missing",
                                       "catalog.notification.placeholder",
                                       "catalog.notification.sms_missing",
                                       "catalog.notification.subject_missing",
                                       "catalog.problem.bad_code",
                                       "catalog.problem.channel",
                                       "catalog.problem.name_ar",
                                       "catalog.problem.sla_days",
                                       "form.missing.field_help",
                                       "form.missing.field_label",
                                       "form.missing.option",
                                       "form.missing.page_title",
                                       "form.problem.bad_name",
                                       "form.problem.condition_later",
                                       "form.problem.condition_self",
                                       "form.problem.condition_unknown",
                                       "form.problem.condition_value",
                                       "form.problem.control_character",
                                       "form.problem.currency",
                                       "form.problem.duplicate_name",
                                       "form.problem.empty_page",
                                       "form.problem.length_cap",
                                       "form.problem.length_negative",
                                       "form.problem.length_order",
                                       "form.problem.malformed",
                                       "form.problem.max_files",
                                       "form.problem.negative_base",
                                       "form.problem.no_options",
                                       "form.problem.no_pages",
                                       "form.problem.not_applicable",
                                       "form.problem.not_json",
                                       "form.problem.number_order",
                                       "form.problem.option_twice",
                                       "form.problem.option_value",
                                       "form.problem.unknown_key",
                                       "form.problem.unknown_type",
                                       "workflow.problem.bad_action",
                                       "workflow.problem.bad_key",
                                       "workflow.problem.dead_end",
                                       "workflow.problem.initial_missing",
                                       "workflow.problem.leaves_final",
                                       "workflow.problem.malformed",
                                       "workflow.problem.no_final",
                                       "workflow.problem.no_roles",
                                       "workflow.problem.no_states",
                                       "workflow.problem.sla",
                                       "workflow.problem.state_label",
                                       "workflow.problem.state_twice",
                                       "workflow.problem.transition_label",
                                       "workflow.problem.transition_twice",
                                       "workflow.problem.unknown_role",
                                       "workflow.problem.unknown_state",
                                       "workflow.problem.unreachable"};
  EXPECT_EQ(keys, every);
}

// The municipal admin sees what each service lacks and cannot publish it until it is complete:
// the refusal names each missing text in the admin's language, linked to where it is written.
TEST_F(EditorWebTest, AServiceWithMissingTextsCannotBePublished) {
  int64_t hebron = tenancy().FindMunicipality("hebron")->id;
  auto s = services().Find(hebron, "water-connection");
  ASSERT_TRUE(s.ok());
  s->published = false;
  s->form.pages[0].fields[0].label.en.clear();
  ASSERT_TRUE(services().Save(*s, Now()).ok());
  identity::StaffInput in;
  in.username = "hebron.boss";
  in.full_name_ar = "مدير";
  in.password = "a-long-staff-password";
  in.municipality_id = hebron;
  in.grants = {{identity::Role::kMunicipalAdmin, hebron, 0}};
  auto admin_id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(admin_id.ok());
  Browser admin(port());
  admin.SetCookie("sid", *sessions().Create(*admin_id, true, true, Now()));
  std::string page = RawClient::Body(admin.Get("/m/hebron/admin/services?lang=en"));
  EXPECT_NE(page.find("water-connection"), std::string::npos);
  std::string res =
      admin.Post("/m/hebron/admin/services/water-connection/publish", {{"publish", "yes"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_EQ(res.find(" label (en)"), std::string::npos) << res;
  EXPECT_NE(res.find("href=\"/m/hebron/admin/services/water-connection/"), std::string::npos)
      << res;
  EXPECT_NE(res.find(s->form.pages[0].fields[0].label.ar), std::string::npos) << res;
  EXPECT_FALSE(services().Find(hebron, "water-connection")->published);
  // Withdrawing asks first: the list links to a confirmation page; a withdrawal posted without
  // it is sent there, and nothing changes.
  page = RawClient::Body(admin.Get("/m/hebron/admin/services?lang=en"));
  EXPECT_NE(page.find("href=\"/m/hebron/admin/services/clearance-certificate/withdraw\""),
            std::string::npos);
  res = admin.Post("/m/hebron/admin/services/clearance-certificate/publish", {{"publish", "no"}});
  EXPECT_EQ(RawClient::Status(res), 303);
  EXPECT_NE(res.find("/m/hebron/admin/services/clearance-certificate/withdraw"), std::string::npos);
  EXPECT_TRUE(services().Find(hebron, "clearance-certificate")->published);
  std::string confirm =
      admin.Get("/m/hebron/admin/services/clearance-certificate/withdraw?lang=en");
  EXPECT_EQ(RawClient::Status(confirm), 200);
  EXPECT_NE(confirm.find("Yes, withdraw the service"), std::string::npos);
  EXPECT_NE(confirm.find("name=\"confirmed\" value=\"yes\""), std::string::npos);
  EXPECT_EQ(RawClient::Status(Edit(admin, "/m/hebron/admin/services/clearance-certificate/withdraw",
                                   "/m/hebron/admin/services/clearance-certificate/status",
                                   {{"publish", "no"}, {"confirmed", "yes"}})),
            303);
  EXPECT_FALSE(services().Find(hebron, "clearance-certificate")->published);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/m/hebron/services/clearance-certificate")),
            404);  // withdrawn services are not offered
  audit::AuditLog::Filter f;
  f.action_prefix = "service.withdrawn";
  auto withdrawn = audit().List(f);
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->size(), 1u);
}

// The document a service issues: its page, refusals with the validators' problems beside their
// inputs (nothing stored), a saved change (audited), and the publish gate on its texts.
TEST_F(EditorWebTest, TheDocumentIsEditedAndCheckedLikeTheRestOfTheService) {
  Browser admin = Admin();
  const std::string href = std::string(kService) + "/document";
  std::string service = RawClient::Body(admin.Get(std::string(kService) + "?lang=en"));
  EXPECT_NE(service.find("href=\"" + href + "\""), std::string::npos) << "linked from the service";
  std::string shown = admin.Get(href + "?lang=en");
  ASSERT_EQ(RawClient::Status(shown), 200);
  EXPECT_NE(shown.find("Clearance certificate"), std::string::npos);
  EXPECT_NE(shown.find("id=\"fact-purpose\""), std::string::npos);
  EXPECT_EQ(shown.find("id=\"fact-plans\""), std::string::npos) << "files are never facts";
  const catalog::Service before = Stored();
  ASSERT_EQ(before.document.kind, "certificate");

  Fields bad = {{"kind", "certificate"},
                {"issue_on", "rejected"},
                {"validity_days", "99999"},
                {"title_ar", "شهادة براءة ذمة"},
                {"title_en", "Clearance certificate"},
                {"body_ar", "تشهد البلدية بأن {holder} {nonsense}"},
                {"body_en", "The municipality certifies that {holder}."},
                {"facts", "purpose"}};
  std::string res = Edit(admin, href + "?lang=en", href + "?lang=en", bad);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("Choose a final state of the workflow that means the work was done."),
            std::string::npos);
  EXPECT_NE(res.find("{nonsense} is neither a detail of the document nor a question"),
            std::string::npos);
  EXPECT_NE(res.find("href=\"#body_ar\""), std::string::npos) << "linked to its input";
  EXPECT_NE(res.find("from 1 to 3,650"), std::string::npos);
  EXPECT_EQ(Stored().version, before.version) << "nothing stored";
  EXPECT_EQ(Stored().document, before.document);

  Fields good = bad;
  good[1].second = "completed";
  good[2].second = "٣٠";
  good[5].second = "تشهد {municipality} بأن {holder} لا يدين لها بشيء، لغرض {purpose}.";
  good.emplace_back("facts", "basin_parcel");
  good.emplace_back("clear_of_dues", "yes");
  res = Edit(admin, href, href, good);
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  catalog::Service after = Stored();
  EXPECT_EQ(after.document.validity_days, 30);
  EXPECT_EQ(after.document.facts, (std::vector<std::string>{"purpose", "basin_parcel"}));
  EXPECT_TRUE(after.document.clear_of_dues);
  EXPECT_NE(after.document.body.ar.find("{purpose}"), std::string::npos);
  EXPECT_EQ(Audited("service.document_edited"), 1);

  // The service is published: its document may not lose a text.
  Fields lost = good;
  lost[4].second = "";
  res = Edit(admin, href + "?lang=en", href + "?lang=en", lost);
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("The title of the document the service issues in English"), std::string::npos);
  EXPECT_EQ(Stored().document.title.en, "Clearance certificate");

  // A draft service that issues a document cannot be published while its texts are missing.
  Fields withdrawn = {{"publish", "no"}, {"confirmed", "yes"}};
  ASSERT_EQ(RawClient::Status(Edit(admin, std::string(kService) + "/withdraw",
                                   std::string(kService) + "/status", withdrawn)),
            303);
  ASSERT_EQ(RawClient::Status(Edit(admin, href, href, lost)), 303);
  res = Edit(admin, std::string(kService) + "?lang=en", std::string(kService) + "/status?lang=en",
             {{"publish", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("href=\"" + href + "#title_en\""), std::string::npos);
  EXPECT_FALSE(Stored().published);

  // No document at all is a choice too.
  ASSERT_EQ(RawClient::Status(Edit(admin, href, href, {{"kind", ""}})), 303);
  EXPECT_FALSE(Stored().document.Issues());
}

// Issue 13: the admin edits the municipality's search synonyms from the services list; a bad
// line is refused with its number and nothing changes; a saved word widens the public search.
TEST_F(EditorWebTest, TheAdminEditsTheSearchSynonyms) {
  Browser admin = Admin();
  const std::string list = RawClient::Body(admin.Get("/m/hebron/admin/services"));
  const std::string page = "/m/hebron/admin/search-synonyms";
  ASSERT_NE(list.find("href=\"" + page + "\""), std::string::npos);
  std::string shown = admin.Get(page);
  ASSERT_EQ(RawClient::Status(shown), 200);
  EXPECT_NE(shown.find("ماء: مياه"), std::string::npos);  // the demo list
  auto before = services().Synonyms(hebron_);
  ASSERT_TRUE(before.ok());
  std::string res = admin.Post(page + "?lang=en", {{"synonyms", "ماء: مياه\nشجر"}});
  ASSERT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("Line 2:"), std::string::npos) << res;
  EXPECT_NE(res.find("<a href=\"#synonyms\">"), std::string::npos);
  EXPECT_NE(res.find("ماء: مياه\nشجر"), std::string::npos);  // what was typed, kept
  EXPECT_EQ(services().Synonyms(hebron_)->size(), before->size());
  EXPECT_EQ(Audited("search.synonyms_saved"), 0);
  const std::string search = "/m/hebron/services?lang=ar&q=" + http::PercentEncode("شجر");
  EXPECT_NE(RawClient::Body(admin.Get(search)).find("لم نجد خدمة"), std::string::npos);
  res = admin.Post(page, {{"synonyms", "شجر: تقليم، إنارة\nماء: مياه"}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  EXPECT_EQ(RawClient::Header(res, "location"), page + "?saved=1");
  EXPECT_EQ(services().Synonyms(hebron_)->size(), 2u);
  EXPECT_EQ(Audited("search.synonyms_saved"), 1);
  EXPECT_NE(RawClient::Body(admin.Get(search)).find("/m/hebron/services/street-light-report"),
            std::string::npos);
  // Residents and clerks do not reach the page.
  Browser clerk = Staff("hebron.clerk", identity::Role::kClerk);
  EXPECT_EQ(RawClient::Status(clerk.Get(page)), 403);
}

// A resident's draft is submitted on the version of the service it was started on while the
// live version asks the same questions (its fee, not the new one); after a version that changes
// a question, the resident is sent to check the changed question first, and then submits.
TEST_F(EditorWebTest, ADraftIsSubmittedOnItsVersionOrCheckedAgainAfterAChangedQuestion) {
  Browser admin = Admin();
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  auto start = [&] {
    resident.Get("/m/hebron/services/clearance-certificate");
    std::string res = resident.Post("/m/hebron/services/clearance-certificate/apply", {});
    EXPECT_EQ(RawClient::Status(res), 303);
    const std::string draft = RawClient::Header(res, "location");
    resident.Get(draft);
    res = resident.Post(
        draft, {{"purpose", "bank"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    const std::string check = RawClient::Header(res, "location");
    resident.Get(check);
    return check;
  };
  auto publish = [&](const std::function<void(catalog::Service&)>& change) {
    catalog::Service live = *services().Find(hebron_, "clearance-certificate");
    catalog::Service next = live;
    change(next);
    ASSERT_TRUE(services().SaveDraft(next, live.version, "admin", Now()).ok());
    auto draft = services().Draft(live.id);
    ASSERT_TRUE(services().PublishDraft(live.id, draft->version, Now(), "admin", Now()).ok());
  };
  const catalog::Service first = *services().Find(hebron_, "clearance-certificate");

  // A new fee only: the draft is submitted on its own version, at the fee it was shown.
  std::string check = start();
  publish([](catalog::Service& s) { s.fee.base_minor += 10000; });
  std::string res = resident.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  std::string mine = RawClient::Header(res, "location");
  auto filed = cases().FindByTracking(mine.substr(15, mine.find('?') - 15));
  ASSERT_TRUE(filed.ok());
  EXPECT_EQ(filed->fee_minor, first.fee.base_minor);

  // A changed question: the resident checks it first, told which; then submits.
  check = start();
  publish([](catalog::Service& s) {
    for (auto& p : s.form.pages) {
      for (auto& f : p.fields) {
        if (f.name == "addressed_to")
          f.label = {"الجهة الموجه إليها الكتاب", "Addressed to (body)"};
      }
    }
  });
  res = resident.Post(check + "?lang=en", {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 409) << res;
  EXPECT_NE(res.find("Addressed to (body): this question changed since you started"),
            std::string::npos)
      << res;
  res = resident.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
}

// The pages that list the form's answers to choose from stay within the page budget for every
// demo service, as do the versions, preview and withdrawal pages.
TEST_F(EditorWebTest, EditorPagesStayUnder30KilobytesForEveryDemoService) {
  Browser admin = Admin();
  auto list = services().List(hebron_, false);
  ASSERT_TRUE(list.ok());
  ASSERT_FALSE(list->empty());
  for (const auto& s : *list) {
    const std::string href = "/m/hebron/admin/services/" + s.code;
    for (const std::string& page :
         {href, href + "/versions", href + "/preview", href + "/withdraw"}) {
      for (const char* lang : {"ar", "en"}) {
        const std::string res = admin.Get(page + "?lang=" + lang);
        EXPECT_EQ(RawClient::Status(res), 200) << page;
        EXPECT_LT(RawClient::Body(res).size(), 30u * 1024) << page << " " << lang;
      }
    }
    for (const auto& p : s.form.pages) {
      for (const auto& f : p.fields) {
        const std::string page = href + "/form/fields/" + f.name + "?lang=ar";
        EXPECT_LT(RawClient::Body(admin.Get(page)).size(), 30u * 1024) << page;
      }
    }
  }
}

// The editor's changes carry their values before and after in the audit log's details (what the
// auditor's page shows), field by field: the service's own details and the form question by
// question.
TEST_F(EditorWebTest, ChangesAreAuditedWithTheirValuesBeforeAndAfter) {
  Browser admin = Admin();
  const catalog::Service before = Stored();
  Fields details = {{"kind", "application"},
                    {"name_ar", before.name.ar},
                    {"name_en", "Certificate of no dues"},
                    {"description_ar", before.description.ar},
                    {"description_en", before.description.en},
                    {"eligibility_ar", before.eligibility.ar},
                    {"eligibility_en", before.eligibility.en},
                    {"category", before.category},
                    {"department", std::to_string(before.department_id)},
                    {"sla_days", std::to_string(before.sla_days + 2)},
                    {"fee_base", "20"}};
  for (const auto& c : before.channels) details.emplace_back("channels", c);
  for (size_t i = 0; i < before.documents.size(); ++i) {
    details.emplace_back("doc_ar_" + std::to_string(i + 1), before.documents[i].ar);
    details.emplace_back("doc_en_" + std::to_string(i + 1), before.documents[i].en);
  }
  std::string res = Edit(admin, kService, kService, details);
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  auto latest = [&](const std::string& action) {
    audit::AuditLog::Filter f;
    f.action_prefix = action;
    auto list = audit().List(f);
    EXPECT_TRUE(list.ok());
    return list.ok() && !list->empty() ? list->front() : audit::Entry{};
  };
  audit::Entry edited = latest("service.edited");
  std::map<std::string, audit::Change> changes;
  for (const auto& c : edited.changes) changes[c.field] = c;
  ASSERT_TRUE(changes.contains("name_en")) << edited.details;
  EXPECT_EQ(changes["name_en"].before, before.name.en);
  EXPECT_EQ(changes["name_en"].after, "Certificate of no dues");
  ASSERT_TRUE(changes.contains("sla_days"));
  EXPECT_EQ(changes["sla_days"].before, std::to_string(before.sla_days));
  EXPECT_EQ(changes["sla_days"].after, std::to_string(before.sla_days + 2));
  // Only what changed.
  EXPECT_FALSE(changes.contains("name_ar"));
  EXPECT_FALSE(changes.contains("fee"));
  EXPECT_FALSE(changes.contains("workflow"));
  // A question added: its summary after, nothing before.
  const std::string add = std::string(kService) + "/form/pages/1/fields/new";
  res = Edit(admin, add, add,
             {{"name", "copies"},
              {"type", "number"},
              {"label_ar", "عدد النسخ"},
              {"label_en", "Number of copies"},
              {"required", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << RawClient::Body(res);
  audit::Entry form = latest("service.form_edited");
  ASSERT_EQ(form.changes.size(), 1u) << form.details;
  EXPECT_EQ(form.changes[0].field, "question copies");
  EXPECT_EQ(form.changes[0].before, "");
  EXPECT_EQ(form.changes[0].after, "عدد النسخ / Number of copies; number; required");
}

}  // namespace
}  // namespace baladiya::editor

#include <gtest/gtest.h>
#include <sodium.h>

#include "platform/render/assets.h"
#include "platform/render/page.h"
#include "platform/render/templates.h"

namespace baladiya::render {
namespace {

constexpr EmbeddedFile kTemplates[] = {
    {"layout.tpl",
     "{{%AUTOESCAPE context=\"HTML\"}}<html lang=\"{{t_lang__code}}\" dir=\"{{t_lang__dir}}\">"
     "<title>{{TITLE}}</title><a href=\"{{SWITCH_HREF}}\">{{t_lang__other_name}}</a>"
     "<main>{{MAIN:none}}</main>"
     "<footer>{{t_site__footer}}</footer></html>"},
    {"hello.tpl", "{{%AUTOESCAPE context=\"HTML\"}}<h1>{{t_hello__title}}</h1><p>{{NAME}}</p>"},
};

constexpr std::string_view kAr =
    R"({"site":{"name":"بلدية","footer":"منصة مفتوحة"},"hello":{"title":"أهلاً"},
        "lang":{"code":"ar","dir":"rtl","other_name":"English"}})";
constexpr std::string_view kEn =
    R"({"site":{"name":"Baladiya","footer":"An open platform"},"hello":{"title":"Hello"},
        "lang":{"code":"en","dir":"ltr","other_name":"العربية"}})";

i18n::Catalog TestCatalog() {
  auto cat = i18n::Catalog::Load(kAr, kEn);
  EXPECT_TRUE(cat.ok());
  return std::move(*cat);
}

TEST(Templates, PutsMessagesInPlacePerLanguageAndEscapesValues) {
  auto t = Templates::Load(kTemplates, TestCatalog());
  ASSERT_TRUE(t.ok()) << t.error().detail;
  EXPECT_EQ((*t)->MessageKeys("hello.tpl"), std::vector<std::string>{"hello.title"});
  Dict d("x");
  d.SetValue("NAME", "<script>alert(1)</script>");
  auto ar = (*t)->Expand("hello.tpl", i18n::Lang::kAr, d);
  ASSERT_TRUE(ar.ok());
  EXPECT_EQ(*ar, "<h1>أهلاً</h1><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  auto en = (*t)->Expand("hello.tpl", i18n::Lang::kEn, d);
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(*en, "<h1>Hello</h1><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  EXPECT_FALSE((*t)->Expand("nope.tpl", i18n::Lang::kAr, d).ok());
}

TEST(Templates, MessagesAreEscapedAndCannotInjectTemplateSyntax) {
  constexpr EmbeddedFile files[] = {
      {"m.tpl", "{{%AUTOESCAPE context=\"HTML\"}}<p title=\"{{t_x__y}}\">{{t_x__y}}</p>"}};
  auto cat =
      i18n::Catalog::Load(R"({"x":{"y":"<b>\"{{SECRET}}\"</b>"}})", R"({"x":{"y":"a & b"}})");
  ASSERT_TRUE(cat.ok());
  auto t = Templates::Load(files, *cat);
  ASSERT_TRUE(t.ok()) << t.error().detail;
  Dict d("x");
  d.SetValue("SECRET", "leaked");
  auto ar = (*t)->Expand("m.tpl", i18n::Lang::kAr, d);
  ASSERT_TRUE(ar.ok());
  EXPECT_EQ(ar->find("leaked"), std::string::npos) << *ar;
  EXPECT_EQ(ar->find("<b>"), std::string::npos) << *ar;
  EXPECT_NE((*t)->Expand("m.tpl", i18n::Lang::kEn, d)->find("a &amp; b"), std::string::npos);
}

TEST(Templates, RefusesTemplatesWithoutAutoescapeOrWithUnknownMessages) {
  constexpr EmbeddedFile bad[] = {{"bad.tpl", "<p>{{X}}</p>"}};
  auto t = Templates::Load(bad, TestCatalog());
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().detail.find("bad.tpl"), std::string::npos);
  constexpr EmbeddedFile unknown[] = {
      {"u.tpl", "{{%AUTOESCAPE context=\"HTML\"}}<p>{{t_no__such}}</p>"}};
  auto u = Templates::Load(unknown, TestCatalog());
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.error().detail.find("no.such"), std::string::npos);
}

TEST(Page, RendersInTheRequestedLanguage) {
  auto cat = i18n::Catalog::Load(kAr, kEn);
  ASSERT_TRUE(cat.ok());
  auto t = Templates::Load(kTemplates, *cat);
  ASSERT_TRUE(t.ok());
  Assets assets = Assets::Build({});
  Site site{t->get(), &*cat, &assets};
  struct Case {
    i18n::Lang lang;
    const char* expect_html;
    const char* expect_title;
    const char* expect_switch;
  } cases[] = {
      {i18n::Lang::kAr, "<html lang=\"ar\" dir=\"rtl\">", "أهلاً", "/m/x?lang=en\">English"},
      {i18n::Lang::kEn, "<html lang=\"en\" dir=\"ltr\">", "Hello", "/m/x?lang=ar\">العربية"},
  };
  for (const auto& c : cases) {
    Page page(site, c.lang, "hello.tpl");
    page.SetPath("/m/x");
    page.body().SetValue("NAME", "نابلس & Nablus");
    http::Response res = page.Finish(200);
    EXPECT_EQ(res.status, 200);
    EXPECT_NE(res.body.find(c.expect_html), std::string::npos) << res.body;
    EXPECT_NE(res.body.find(c.expect_title), std::string::npos);
    EXPECT_NE(res.body.find(c.expect_switch), std::string::npos) << res.body;
    EXPECT_NE(res.body.find("نابلس &amp; Nablus"), std::string::npos);
  }
}

// The finding: the page of "//evil.example/" (a 404) linked its language switch to
// "//evil.example/?lang=en", another site. The link now always stays on this one.
TEST(Page, LanguageLinkNeverLeavesTheSite) {
  auto cat = i18n::Catalog::Load(kAr, kEn);
  ASSERT_TRUE(cat.ok());
  auto t = Templates::Load(kTemplates, *cat);
  ASSERT_TRUE(t.ok());
  Assets assets = Assets::Build({});
  Site site{t->get(), &*cat, &assets};
  struct Case {
    const char* path;
    const char* href;
  } cases[] = {
      {"//evil.example/", "href=\"/evil.example/?lang=en\""},
      {"///evil.example", "href=\"/evil.example?lang=en\""},
      {"/\\evil.example/x", "href=\"/evil.example/x?lang=en\""},
      {"\\/evil.example", "href=\"/evil.example?lang=en\""},
      {"", "href=\"/?lang=en\""},
      {"/m/hebron/services", "href=\"/m/hebron/services?lang=en\""},
      {"/a b?c#d", "href=\"/a%20b%3Fc%23d?lang=en\""},
  };
  for (const auto& c : cases) {
    Page page(site, i18n::Lang::kAr, "hello.tpl");
    page.SetPath(c.path);
    http::Response res = page.Finish(404);
    EXPECT_NE(res.body.find(c.href), std::string::npos) << c.path << "\n" << res.body;
    EXPECT_EQ(res.body.find("\"//"), std::string::npos) << c.path;
  }
}

TEST(Page, UsesAPreRenderedBodyAndFragmentCacheKeysByVersion) {
  auto cat = i18n::Catalog::Load(kAr, kEn);
  ASSERT_TRUE(cat.ok());
  auto t = Templates::Load(kTemplates, *cat);
  ASSERT_TRUE(t.ok());
  Assets assets = Assets::Build({});
  Site site{t->get(), &*cat, &assets};
  Page first(site, i18n::Lang::kEn, "hello.tpl");
  first.body().SetValue("NAME", "<i>x</i>");
  auto body = first.RenderBody();
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(**body, "<h1>Hello</h1><p>&lt;i&gt;x&lt;/i&gt;</p>");
  FragmentCache cache;
  cache.Put("en:hello", 7, *body);
  EXPECT_EQ(cache.Get("en:hello", 8), nullptr);  // another data version
  EXPECT_EQ(cache.Get("ar:hello", 7), nullptr);
  auto hit = cache.Get("en:hello", 7);
  ASSERT_NE(hit, nullptr);
  Page second(site, i18n::Lang::kEn, "hello.tpl");
  second.SetBodyHtml(hit);
  http::Response res = second.Finish(200);
  // The cached HTML goes in unescaped, exactly once, inside <main>.
  EXPECT_NE(res.body.find("<main><h1>Hello</h1><p>&lt;i&gt;x&lt;/i&gt;</p></main>"),
            std::string::npos)
      << res.body;
}

TEST(Assets, HashesNamesAndRewritesCssUrls) {
  ASSERT_GE(sodium_init(), 0);
  constexpr EmbeddedFile files[] = {
      {"site.css", "body{font-family:x}@font-face{src:url(\"fonts/a.woff2\")}"},
      {"fonts/a.woff2", std::string_view("wOF2\0\1", 6)},
  };
  Assets a = Assets::Build(files);
  std::string font_url = a.Url("fonts/a.woff2");
  EXPECT_TRUE(font_url.starts_with("/assets/fonts/a.")) << font_url;
  EXPECT_TRUE(font_url.ends_with(".woff2"));
  const Asset* css = a.Find(a.Url("site.css").substr(8));
  ASSERT_NE(css, nullptr);
  EXPECT_NE(css->body.find("url(\"" + font_url + "\")"), std::string::npos) << css->body;
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  const Asset* font = a.Find(font_url.substr(8));
  ASSERT_NE(font, nullptr);
  EXPECT_EQ(font->body.size(), 6u);
  EXPECT_EQ(a.Find("site.css"), nullptr);  // only hashed names are served
}

}  // namespace
}  // namespace baladiya::render

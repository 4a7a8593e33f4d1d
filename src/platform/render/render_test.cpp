#include <gtest/gtest.h>
#include <sodium.h>

#include "platform/render/assets.h"
#include "platform/render/page.h"
#include "platform/render/templates.h"

namespace baladiya::render {
namespace {

constexpr EmbeddedFile kTemplates[] = {
    {"layout.tpl",
     "{{%AUTOESCAPE context=\"HTML\"}}<html lang=\"{{LANG}}\" dir=\"{{DIR}}\"><title>{{TITLE}}"
     "</title><a href=\"{{SWITCH_HREF}}\">{{OTHER_LANG_NAME}}</a><main>{{>BODY}}</main>"
     "<footer>{{t_site__footer}}</footer></html>"},
    {"hello.tpl", "{{%AUTOESCAPE context=\"HTML\"}}<h1>{{t_hello__title}}</h1><p>{{NAME}}</p>"},
};

constexpr std::string_view kAr =
    R"({"site":{"name":"بلدية","footer":"منصة مفتوحة"},"hello":{"title":"أهلاً"},
        "lang":{"self_name":"العربية"}})";
constexpr std::string_view kEn =
    R"({"site":{"name":"Baladiya","footer":"An open platform"},"hello":{"title":"Hello"},
        "lang":{"self_name":"English"}})";

TEST(Templates, ListsMessageKeysAndEscapesValues) {
  auto t = Templates::Load(kTemplates);
  ASSERT_TRUE(t.ok()) << t.error().detail;
  EXPECT_EQ((*t)->MessageKeys("hello.tpl"), std::vector<std::string>{"hello.title"});
  Dict d("x");
  d.SetValue("t_hello__title", "T");
  d.SetValue("NAME", "<script>alert(1)</script>");
  auto out = (*t)->Expand("hello.tpl", d);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "<h1>T</h1><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
  EXPECT_FALSE((*t)->Expand("nope.tpl", d).ok());
}

TEST(Templates, RefusesTemplatesWithoutAutoescape) {
  constexpr EmbeddedFile bad[] = {{"bad.tpl", "<p>{{X}}</p>"}};
  auto t = Templates::Load(bad);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().detail.find("bad.tpl"), std::string::npos);
}

TEST(Page, RendersInTheRequestedLanguage) {
  auto t = Templates::Load(kTemplates);
  ASSERT_TRUE(t.ok());
  auto cat = i18n::Catalog::Load(kAr, kEn);
  ASSERT_TRUE(cat.ok());
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

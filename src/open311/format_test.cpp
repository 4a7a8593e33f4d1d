// The XML and JSON writers: escaping, the Spark mapping of lists and records, and whole
// documents, table-driven.
#include "open311/format.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace baladiya::open311 {
namespace {

TEST(Open311FormatTest, EscapesXml) {
  struct Case {
    std::string in;
    std::string out;
  } cases[] = {
      {"plain", "plain"},
      {"a & b", "a &amp; b"},
      {"<script>alert('x')</script>", "&lt;script&gt;alert('x')&lt;/script&gt;"},
      {"say \"hi\" -- can't", "say \"hi\" -- can't"},
      {"]]>", "]]&gt;"},
      {"عمود إنارة معطّل", "عمود إنارة معطّل"},
      {"line\nbreak\ttab\rreturn", "line\nbreak\ttab\rreturn"},
      {std::string("bell\x07", 5), "bell\xEF\xBF\xBD"},
      {std::string("nul\0x", 5), "nul\xEF\xBF\xBDx"},
      {"broken \xC3", "broken \xEF\xBF\xBD"},
      {"\xFF\xFE", "\xEF\xBF\xBD\xEF\xBF\xBD"},
      // An overlong '#', a UTF-16 surrogate, a value past U+10FFFF: byte by byte.
      {"overlong \xC0\xA3", "overlong \xEF\xBF\xBD\xEF\xBF\xBD"},
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
  };
  for (const auto& c : cases) EXPECT_EQ(XmlEscape(c.in), c.out) << c.in;
}

TEST(Open311FormatTest, EscapesJsonStrings) {
  struct Case {
    std::string in;
    std::string out;
  } cases[] = {
      {"plain", R"("plain")"},
      {"quote \" and \\", R"("quote \" and \\")"},
      {"a\nb\rc\td", R"("a\nb\rc\td")"},
      {std::string("\x01\x1f", 2), R"("\u0001\u001f")"},
      {"</script>", R"("</script>")"},
      {"\xE2\x80\xA8", R"("\u2028")"},
      {"شارع الشهداء", "\"شارع الشهداء\""},
      {"broken \xC3", "\"broken \xEF\xBF\xBD\""},
      {"overlong \xC0\xA3", "\"overlong \xEF\xBF\xBD\xEF\xBF\xBD\""},
      {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(JsonString(c.in), c.out) << c.in;
    boost::json::error_code ec;
    auto v = boost::json::parse(JsonString(c.in), ec);
    EXPECT_FALSE(ec) << c.in;
  }
}

Node Sample() {
  Node formats = Node::List("format");
  formats.Push(Node::Text("text/xml")).Push(Node::Text("application/json"));
  Node service = Node::Record();
  service.Add("service_code", Node::Text("001"))
      .Add("metadata", Node::Bool(true))
      .Add("order", Node::Integer(2))
      .Add("lat", Node::Number("31.5326"))
      .Add("description", Node::Null())
      .Add("group", Node::Text("a<b"))
      .Add("formats", std::move(formats))
      .Add("values", Node::List("value"));
  Node list = Node::List("service");
  list.Push(std::move(service));
  return list;
}

TEST(Open311FormatTest, WritesXmlDocuments) {
  EXPECT_EQ(Write(Format::kXml, "services", Sample()),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<services>\n"
            "  <service>\n"
            "    <service_code>001</service_code>\n"
            "    <metadata>true</metadata>\n"
            "    <order>2</order>\n"
            "    <lat>31.5326</lat>\n"
            "    <description/>\n"
            "    <group>a&lt;b</group>\n"
            "    <formats>\n"
            "      <format>text/xml</format>\n"
            "      <format>application/json</format>\n"
            "    </formats>\n"
            "    <values></values>\n"
            "  </service>\n"
            "</services>\n");
  EXPECT_EQ(Write(Format::kXml, "errors", Node::List("error")),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors></errors>\n");
}

TEST(Open311FormatTest, WritesJsonBySparkConvention) {
  // The root's name is dropped, lists are arrays, identifiers stay strings.
  const std::string json = Write(Format::kJson, "services", Sample());
  EXPECT_EQ(json, R"([{"service_code":"001","metadata":true,"order":2,"lat":31.5326,)"
                  R"("description":null,"group":"a<b","formats":["text/xml","application/json"],)"
                  R"("values":[]}])");
  boost::json::error_code ec;
  boost::json::parse(json, ec);
  EXPECT_FALSE(ec);
  Node record = Node::Record();
  record.Add("service_code", Node::Text("DMV66")).Add("attributes", Node::List("attribute"));
  EXPECT_EQ(Write(Format::kJson, "service_definition", record),
            R"({"service_code":"DMV66","attributes":[]})");
}

TEST(Open311FormatTest, ParsesFormatsAndNamesContentTypes) {
  Format f = Format::kJson;
  EXPECT_TRUE(ParseFormat("xml", f));
  EXPECT_EQ(f, Format::kXml);
  EXPECT_TRUE(ParseFormat("json", f));
  EXPECT_EQ(f, Format::kJson);
  for (std::string_view bad : {"", "XML", "csv", "json "}) EXPECT_FALSE(ParseFormat(bad, f)) << bad;
  EXPECT_EQ(ContentType(Format::kXml), "text/xml; charset=utf-8");
  EXPECT_EQ(ContentType(Format::kJson), "application/json; charset=utf-8");
}

}  // namespace
}  // namespace baladiya::open311

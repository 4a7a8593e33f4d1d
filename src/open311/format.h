// Open311 response bodies: a small document tree written as XML (the format the specification
// requires) or as JSON by the Spark convention the specification uses: a list element becomes a
// JSON array of its items, a record a JSON object, and the root element's name is dropped.
// Both writers are ours, so that escaping is exactly what is documented here:
//   XML: & < > become entities (only element content is written, never attributes, so quotes
//        need none); characters XML 1.0 forbids (controls other than tab, line feed and carriage
//        return) become U+FFFD; UTF-8 is written as is; the XML declaration comes first;
//        two-space indentation. A null is an empty element written <name/>.
//   JSON: " \ and controls are escaped (\n, \r, \t, \b, \f or \u00XX), as are U+2028 and U+2029;
//        everything else is written as UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baladiya::open311 {

enum class Format { kXml, kJson };

// "xml" / "json" to a Format; false for anything else.
bool ParseFormat(std::string_view name, Format& out);
// The Content-Type of a body in the format.
std::string_view ContentType(Format f);

class Node {
 public:
  enum class Kind { kText, kNumber, kBool, kNull, kRecord, kList };

  static Node Text(std::string text);
  // A number written as given (e.g. "31.5326"); the caller guarantees a JSON number literal.
  static Node Number(std::string literal);
  static Node Integer(long long value);
  static Node Bool(bool value);
  static Node Null();
  static Node Record();
  // A list whose items are written as <item_name> elements in XML.
  static Node List(std::string item_name);

  // Adds a member to a record (kept in order of addition); returns *this.
  Node& Add(std::string name, Node value);
  // Adds an item to a list; returns *this.
  Node& Push(Node item);
  // Room for this many members or items, so that building a long document does not move them.
  Node& Reserve(size_t members);

  Kind kind() const { return kind_; }
  // The text, the number literal, or a list's item name.
  const std::string& value() const { return value_; }
  // A record's members, or a list's items (with empty names).
  const std::vector<std::pair<std::string, Node>>& members() const { return members_; }

 private:
  Kind kind_ = Kind::kNull;
  std::string value_;                                  // text, number literal, item name of a list
  std::vector<std::pair<std::string, Node>> members_;  // record members / list items (name empty)
};

// The whole body: for XML the declaration and <root_name>...</root_name>; for JSON the root's
// value (root_name unused).
std::string Write(Format format, std::string_view root_name, const Node& root);

// Escaping alone, for tests and error bodies.
std::string XmlEscape(std::string_view text);
std::string JsonString(std::string_view text);  // with the quotes

}  // namespace baladiya::open311

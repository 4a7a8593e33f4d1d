// Open311's own parsers and writers, on whatever a client may send:
//   - ParseDateTime: what it accepts formats back (UTC, to the second) to a text it reads as the
//     same instant;
//   - Coordinate: empty, or a canonical JSON number within its limit that reads back as itself;
//   - SplitCommas: no piece empty or holding a comma;
//   - MediaUrl: an accepted URL has no white space, double quote or angle bracket;
//   - the JSON writer: its output always parses, and gives back valid UTF-8 input unchanged;
//   - the XML writer's escaping: valid UTF-8 without markup characters or forbidden controls.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "open311/arguments.h"
#include "open311/format.h"
#include "open311/open311.h"
#include "platform/i18n/arabic.h"

namespace o = baladiya::open311;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const bool utf8 = baladiya::i18n::IsValidUtf8(in);

  if (auto t = o::ParseDateTime(in); t && *t >= 0) {
    auto back = o::ParseDateTime(baladiya::i18n::FormatIsoUtc(*t));
    if (!back || *back != *t - *t % 1000) std::abort();  // written back to the second
  }

  for (double limit : {90.0, 180.0}) {
    const std::string c = o::Coordinate(in, limit);
    if (c.empty()) continue;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(c, ec);
    if (ec || !v.is_number()) std::abort();
    const double d = v.to_number<double>();
    if (d < -limit || d > limit) std::abort();
    if (o::Coordinate(c, limit) != c) std::abort();
  }

  for (std::string_view piece : o::SplitCommas(in)) {
    if (piece.empty() || piece.find(',') != std::string_view::npos) std::abort();
  }

  if (o::MediaUrl(in) && in.find_first_of(" \t\r\n\"<>") != std::string_view::npos) std::abort();

  {
    const std::string body = o::Write(o::Format::kJson, "x", o::Node::Text(std::string(in)));
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec);
    if (ec || !v.is_string()) std::abort();
    if (utf8 && std::string_view(v.as_string()) != in) std::abort();
  }

  const std::string xml = o::XmlEscape(in);
  if (!baladiya::i18n::IsValidUtf8(xml) || xml.find_first_of("<>") != std::string::npos) {
    std::abort();
  }
  for (unsigned char ch : xml) {
    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') std::abort();
  }
  return 0;
}

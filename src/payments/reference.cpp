// ISO 11649 creditor references and the lines of a fee (payments.h).
#include <algorithm>
#include <cctype>

#include "payments/payments.h"
#include "platform/i18n/arabic.h"

namespace baladiya::payments {
namespace {

// ISO 7064 MOD 97-10 over `text` (A..Z count as 10..35), reading it as one long number.
int Mod97(std::string_view text) {
  int r = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      r = (r * 10 + (c - '0')) % 97;
    } else {
      const int v = c - 'A' + 10;
      r = (r * 100 + v) % 97;
    }
  }
  return r;
}

bool ValidBody(std::string_view body) {
  if (body.empty() || body.size() > 21) return false;
  return std::all_of(body.begin(), body.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); });
}

}  // namespace

std::string CreditorReference(std::string_view body) {
  // Check digits: 98 - mod97(body + "RF00").
  const int check = 98 - Mod97(std::string(body) + "RF00");
  std::string out = "RF";
  out += static_cast<char>('0' + check / 10);
  out += static_cast<char>('0' + check % 10);
  out += body;
  return out;
}

std::optional<std::string> ParseCreditorReference(std::string_view text) {
  std::string s;
  for (char c : i18n::ToWesternDigits(text)) {
    if (c == ' ' || c == '-') continue;
    s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (s.size() < 5 || s.size() > 25 || !s.starts_with("RF")) return std::nullopt;
  if (!std::isdigit(static_cast<unsigned char>(s[2])) ||
      !std::isdigit(static_cast<unsigned char>(s[3])))
    return std::nullopt;
  const std::string body = s.substr(4);
  if (!ValidBody(body)) return std::nullopt;
  if (Mod97(body + s.substr(0, 4)) != 1) return std::nullopt;
  return s;
}

std::vector<InvoiceLine> FeeLines(const catalog::Fee& fee, const catalog::FormSchema& form,
                                  const catalog::Answers& answers, const catalog::Text& base) {
  std::vector<InvoiceLine> lines;
  if (fee.base_minor > 0) lines.push_back({base, fee.base_minor});
  for (const catalog::FeeRule& rule : fee.rules) {
    catalog::Fee one;
    one.currency = fee.currency;
    one.rules = {rule};
    const int64_t amount = catalog::ComputeFee(one, answers);
    if (amount <= 0) continue;
    catalog::Text label{rule.field, rule.field};
    for (const auto& page : form.pages) {
      for (const auto& field : page.fields) {
        if (field.name == rule.field) label = field.label;
      }
    }
    lines.push_back({label, amount});
  }
  return lines;
}

}  // namespace baladiya::payments

// Municipal dues loaded from a billing system's CSV export, and what a person owes (payments.h).
#include <set>

#include "identity/credentials.h"
#include "payments/internal.h"
#include "payments/payments.h"
#include "platform/i18n/money.h"

namespace baladiya::payments {
namespace {

constexpr const char* kColumns[] = {"municipality",   "bill_id", "national_id", "description_ar",
                                    "description_en", "amount",  "currency",    "due_date"};
constexpr size_t kColumnCount = std::size(kColumns);
constexpr size_t kMaxLines = 100'000;

// RFC 4180 records: fields separated by commas, quoted with "..." ("" inside for a quote),
// records by CRLF or LF. False when a quote is left open.
bool ParseCsv(std::string_view text, std::vector<std::vector<std::string>>& out) {
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) record.push_back(std::move(field));
      out.push_back(std::move(record));
      record.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) return false;
  if (any || !field.empty()) {
    record.push_back(std::move(field));
    out.push_back(std::move(record));
  }
  return true;
}

std::string Trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

// Midnight UTC of "YYYY-MM-DD", or -1.
int64_t DayOf(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return -1;
  int y = 0, m = 0, d = 0;
  for (size_t i : {0, 1, 2, 3}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    y = y * 10 + (s[i] - '0');
  }
  for (size_t i : {5, 6}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    m = m * 10 + (s[i] - '0');
  }
  for (size_t i : {8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    d = d * 10 + (s[i] - '0');
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return -1;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return -1;
  const int yy = y - (m <= 2);
  const int era = yy / 400;
  const unsigned yoe = static_cast<unsigned>(yy - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t{era} * 146097 + doe - 719468) * 86'400'000;
}

}  // namespace

Result<int> PaymentStore::ImportDues(
    std::string_view csv,
    const std::function<Result<MunicipalityRef>(std::string_view slug)>& municipality,
    int64_t now_ms) {
  std::vector<Problem> problems;
  auto problem = [&](size_t line, std::string column, std::string key,
                     std::map<std::string, std::string> args = {}) {
    args["line"] = std::to_string(line);
    args["column"] = column;
    problems.push_back({{line, std::move(column)}, "payments.dues." + key, std::move(args)});
  };
  std::vector<std::vector<std::string>> records;
  if (!ParseCsv(csv, records)) problem(0, "", "open_quote");
  if (problems.empty() && records.empty()) problem(1, "", "empty");
  if (problems.empty()) {
    const auto& header = records[0];
    bool ok = header.size() == kColumnCount;
    for (size_t i = 0; ok && i < kColumnCount; ++i) ok = Trim(header[i]) == kColumns[i];
    if (!ok) problem(1, "", "header");
    if (records.size() > kMaxLines + 1) problem(1, "", "too_many");
  }
  struct Due {
    MunicipalityRef m;
    std::string bill_id;
    std::string national_index;
    InvoiceLine line;
    std::string currency;
    int64_t due_at = 0;
  };
  std::vector<Due> dues;
  std::set<std::pair<int64_t, std::string>> seen;
  std::map<std::string, MunicipalityRef> municipalities;
  for (size_t r = 1; problems.size() < 200 && r < records.size() && !records.empty(); ++r) {
    const size_t line = r + 1;
    std::vector<std::string> f = records[r];
    if (f.size() == 1 && Trim(f[0]).empty()) continue;  // a blank line
    if (f.size() != kColumnCount) {
      problem(line, "", "columns", {{"count", std::to_string(f.size())}});
      continue;
    }
    for (auto& v : f) v = Trim(v);
    Due d;
    const size_t before = problems.size();
    auto found = municipalities.find(f[0]);
    if (found == municipalities.end()) {
      auto m = municipality(f[0]);
      if (!m.ok() && m.error().code != ErrorCode::kNotFound) return std::move(m).error();
      found = municipalities.emplace(f[0], m.ok() ? *m : MunicipalityRef{}).first;
    }
    if (found->second.id == 0) problem(line, "municipality", "municipality");
    d.m = found->second;
    d.bill_id = f[1];
    if (d.bill_id.empty() || d.bill_id.size() > 64) problem(line, "bill_id", "bill_id");
    if (!seen.insert({d.m.id, d.bill_id}).second) problem(line, "bill_id", "bill_twice");
    auto nid = identity::NormalizeNationalId(f[2]);
    if (!nid.ok()) {
      problem(line, "national_id", "national_id");
    } else {
      d.national_index = NationalIdIndex(*nid);
    }
    d.line.description = {f[3], f[4]};
    if (f[3].empty() || f[4].empty() || f[3].size() > 200 || f[4].size() > 200) {
      problem(line, f[3].empty() || f[3].size() > 200 ? "description_ar" : "description_en",
              "description");
    }
    d.currency = f[6];
    if (d.currency != "ILS" && d.currency != "JOD") problem(line, "currency", "currency");
    auto amount = i18n::ParseMoney(f[5], d.currency == "JOD" ? "JOD" : "ILS");
    if (!amount.ok() || *amount <= 0) {
      problem(line, "amount", "amount");
    } else {
      d.line.amount_minor = *amount;
    }
    d.due_at = DayOf(f[7]);
    if (d.due_at < 0) problem(line, "due_date", "due_date");
    if (problems.size() == before) dues.push_back(std::move(d));
  }
  if (!problems.empty()) {
    Error e = MakeError(ErrorCode::kInvalid, "payments.dues.invalid",
                        std::to_string(problems.size()) + " problems");
    e.problems = std::move(problems);
    return e;
  }
  // One transaction: every line or none.
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    for (const Due& d : dues) {
      InvoiceRequest in;
      in.municipality_id = d.m.id;
      in.prefix = d.m.prefix;
      in.currency = d.currency;
      in.lines = {d.line};
      auto inv = Raise(tx, in, now_ms);
      if (!inv.ok()) {
        Error e = inv.error();
        if (e.code == ErrorCode::kInvalid) {
          e = MakeError(ErrorCode::kInvalid, "payments.dues.invalid", "currency not accepted");
          e.problems.push_back({{size_t{0}, std::string("currency")},
                                "payments.dues.currency_not_accepted",
                                {{"bill", d.bill_id}}});
        }
        return e;
      }
      auto n = tx.Exec("UPDATE payment_invoices SET due_at = ? WHERE id = ?",
                       {d.due_at + 86'400'000 - 1, inv->id});
      if (!n.ok()) return std::move(n).error();
      auto due = tx.Query(
          "INSERT INTO payment_dues (municipality_id, bill_id, national_id_index, invoice_id, "
          "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (municipality_id, bill_id) DO NOTHING "
          "RETURNING id",
          {d.m.id, d.bill_id, d.national_index, inv->id, now_ms});
      if (!due.ok()) return std::move(due).error();
      if (due->empty()) {
        Error e = MakeError(ErrorCode::kInvalid, "payments.dues.invalid", "bill loaded before");
        e.problems.push_back({{size_t{0}, std::string("bill_id")},
                              "payments.dues.loaded_before",
                              {{"bill", d.bill_id}}});
        return e;
      }
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return static_cast<int>(dues.size());
}

Result<std::vector<Invoice>> PaymentStore::Owed(int64_t account_id, std::string_view national_id) {
  std::vector<Invoice> out;
  auto of_account = OfAccount(account_id);
  if (!of_account.ok()) return std::move(of_account).error();
  std::set<int64_t> ids;
  for (Invoice& i : *of_account) {
    if (i.status == InvoiceStatus::kOpen && ids.insert(i.id).second) out.push_back(std::move(i));
  }
  if (!national_id.empty()) {
    auto rows = db_.Query(
        "SELECT d.invoice_id FROM payment_dues d JOIN payment_invoices i ON i.id = d.invoice_id "
        "WHERE d.national_id_index = ? AND i.status = 'open' ORDER BY i.due_at LIMIT 200",
        {NationalIdIndex(national_id)});
    if (!rows.ok()) return std::move(rows).error();
    for (const db::Row& r : *rows) {
      if (!ids.insert(r.Int(0)).second) continue;
      auto inv = Get(r.Int(0));
      if (!inv.ok()) return std::move(inv).error();
      out.push_back(std::move(*inv));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Invoice& a, const Invoice& b) { return a.due_at < b.due_at; });
  return out;
}

}  // namespace baladiya::payments

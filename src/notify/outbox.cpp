
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <utility>
#include <vector>

#include "notify/notify.h"
#include "platform/embedded.h"
#include "platform/i18n/numbers.h"

std::span<const baladiya::EmbeddedFile> NotifyMigrationFiles();

namespace baladiya::notify {
namespace {

constexpr std::string_view kColumns =
    "id, reference, channel, account_id, municipality_id, template_key, lang, state, attempts, "
    "next_attempt_at, last_error, created_at, sent_at, delivered_at";

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "notify.invalid", std::move(detail));
}

Record ToRecord(const db::Row& r) {
  Record x;
  x.id = r.Int(0);
  x.reference = r.Text(1);
  x.channel = ParseChannel(r.Text(2)).value_or(Channel::kInApp);
  x.account_id = r.Int(3);
  x.municipality_id = r.Int(4);
  x.template_key = r.Text(5);
  x.lang = r.Text(6);
  x.state = ParseState(r.Text(7)).value_or(State::kFailed);
  x.attempts = static_cast<int>(r.Int(8));
  x.next_attempt_at = r.Int(9);
  x.last_error = r.Text(10);
  x.created_at = r.Int(11);
  x.sent_at = r.Int(12);
  x.delivered_at = r.Int(13);
  return x;
}

std::string AdFor(std::string_view reference) { return "outbox:" + std::string(reference); }

// Errors recorded on a row are short and technical; keep them bounded and on one line.
std::string Clip(std::string_view error) {
  std::string out(error.substr(0, 300));
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}

}  // namespace

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kInApp:
      return "in_app";
    case Channel::kEmail:
      return "email";
    case Channel::kSms:
      return "sms";
  }
  return "in_app";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel c : {Channel::kInApp, Channel::kEmail, Channel::kSms}) {
    if (ChannelName(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view StateName(State s) {
  switch (s) {
    case State::kQueued:
      return "queued";
    case State::kSending:
      return "sending";
    case State::kSent:
      return "sent";
    case State::kDelivered:
      return "delivered";
    case State::kFailed:
      return "failed";
  }
  return "failed";
}

std::optional<State> ParseState(std::string_view name) {
  for (State s :
       {State::kQueued, State::kSending, State::kSent, State::kDelivered, State::kFailed}) {
    if (StateName(s) == name) return s;
  }
  return std::nullopt;
}

int64_t BackoffMs(const RetryPolicy& p, int attempts) {
  int64_t delay = p.first_delay_ms;
  for (int i = 1; i < attempts && delay < p.max_delay_ms; ++i) delay *= 4;
  return std::min(delay, p.max_delay_ms);
}

Result<std::string> FillPlaceholders(std::string_view text,
                                     const std::map<std::string, std::string>& params) {
  std::string out;
  out.reserve(text.size() + 32);
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    std::string name(text.substr(open + 1, close - open - 1));
    auto it = params.find(name);
    if (it == params.end()) return Invalid("no value for placeholder {" + name + "}");
    out.append(it->second);
    i = close + 1;
  }
  return out;
}

namespace {

// The names of a MessageFormat pattern's arguments outside any plural or select branch
// ("{tracking}", "{days, plural, ...}"), each once.
std::vector<std::string> TopLevelArguments(std::string_view text) {
  std::vector<std::string> names;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      if (depth > 0) --depth;
      continue;
    }
    if (text[i] != '{') continue;
    if (depth++ > 0) continue;
    size_t end = text.find_first_of(",}", i + 1);
    if (end == std::string_view::npos) break;
    std::string name(text.substr(i + 1, end - i - 1));
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

}  // namespace

Result<Rendered> CatalogTemplates::Render(const Notification& n) const {
  const i18n::Lang lang = i18n::ParseLang(n.lang).value_or(i18n::Lang::kAr);
  const std::string base = "notify." + n.template_key;
  // In Arabic text a tracking number or an ID is isolated (U+2068..U+2069) so that it keeps its
  // order; counts go through ICU's plural rules when the text is a MessageFormat pattern.
  std::map<std::string, std::string> params = n.params;
  if (lang == i18n::Lang::kAr) {
    for (auto& [name, value] : params) value = i18n::IsolateLatin(value);
  }
  auto fill = [&](std::string_view text) -> Result<std::string> {
    if (i18n::IsMessagePattern(text)) {
      // Every argument the pattern names must have a value, as for plain placeholders.
      for (const std::string& name : TopLevelArguments(text)) {
        if (!params.count(name)) return Invalid("no value for placeholder {" + name + "}");
      }
      std::vector<std::pair<std::string_view, std::string>> args(params.begin(), params.end());
      if (auto formatted = i18n::FormatMessagePattern(lang, text, args))
        return *std::move(formatted);
    }
    return FillPlaceholders(text, params);
  };
  auto text = [&](const std::string& key) -> Result<std::string> {
    const std::string part = key.substr(key.rfind('.') + 1);  // subject, body or sms
    if (auto own = n.texts.find(part); own != n.texts.end() && !own->second.empty())
      return fill(own->second);
    if (!catalog_.Has(lang, key)) {
      return MakeError(ErrorCode::kInvalid, "notify.template_missing",
                       "no template " + key + " in " + n.lang);
    }
    return fill(catalog_.Get(lang, key));
  };
  Rendered r;
  const bool own_sms = n.texts.count("sms") && !n.texts.at("sms").empty();
  if (n.channel == Channel::kSms && (own_sms || catalog_.Has(lang, base + ".sms"))) {
    auto sms = text(base + ".sms");
    if (!sms.ok()) return std::move(sms).error();
    r.text = std::move(*sms);
    return r;
  }
  auto subject = text(base + ".subject");
  if (!subject.ok()) return std::move(subject).error();
  auto body = text(base + ".body");
  if (!body.ok()) return std::move(body).error();
  r.subject = std::move(*subject);
  r.text = std::move(*body);
  return r;
}

Outbox::Outbox(db::Database& db, const crypto::Key32& master, const TemplateSource& templates,
               RetryPolicy policy)
    : db_(db),
      key_(crypto::DeriveKey(master, 1, "notifyob")),
      templates_(templates),
      policy_(policy) {}

Result<int64_t> Outbox::Enqueue(db::Tx& tx, const Notification& n, int64_t now_ms) {
  if (n.template_key.empty()) return Invalid("notification without a template");
  if (n.account_id == 0 && n.address.empty()) return Invalid("notification without a recipient");
  if (n.channel == Channel::kInApp && n.account_id == 0)
    return Invalid("in-app notification without an account");
  if (n.channel == Channel::kEmail && !n.address.empty() && !LooksLikeEmail(n.address))
    return Invalid("not an email address");
  auto rendered = templates_.Render(n);
  if (!rendered.ok()) return std::move(rendered).error();

  if (!n.dedupe_key.empty()) {
    auto existing = tx.Query("SELECT id FROM notify_outbox WHERE dedupe_key = ?", {n.dedupe_key});
    if (!existing.ok()) return std::move(existing).error();
    if (!existing->empty()) return (*existing)[0].Int(0);
  }
  // The time first (ms, 12 hex digits), then 80 random bits: unguessable, and new rows land at
  // the end of the reference index instead of on a random page of it.
  char when[13];
  std::snprintf(when, sizeof when, "%012llx",
                static_cast<unsigned long long>(now_ms) & 0xffffffffffffULL);
  const std::string reference = when + crypto::ToHex(crypto::RandomBytes(10));
  if (n.channel == Channel::kInApp) {
    // In-app delivery cannot fail: the message goes to the inbox in this same transaction, and
    // the outbox keeps its record (delivered), so no worker pass is needed for it.
    auto id = tx.Query(
        "INSERT INTO notify_outbox (reference, channel, account_id, municipality_id, template_key, "
        "lang, dedupe_key, sealed, state, attempts, next_attempt_at, created_at, sent_at, "
        "delivered_at) VALUES (?, 'in_app', ?, ?, ?, ?, ?, NULL, 'delivered', 0, ?, ?, ?, ?) "
        "RETURNING id",
        {reference, n.account_id, n.municipality_id, n.template_key,
         n.lang == "en" ? std::string("en") : std::string("ar"),
         n.dedupe_key.empty() ? db::Value(nullptr) : db::Value(n.dedupe_key), now_ms, now_ms,
         now_ms, now_ms});
    if (!id.ok()) return std::move(id).error();
    Delivery d;
    d.id = (*id)[0].Int(0);
    d.account_id = n.account_id;
    d.municipality_id = n.municipality_id;
    d.template_key = n.template_key;
    d.message.subject = rendered->subject;
    d.message.text = rendered->text;
    if (Status s = AddToInbox(tx, d, now_ms); !s.ok()) return s.error();
    return d.id;
  }
  boost::json::object payload;
  payload["s"] = rendered->subject;
  payload["t"] = rendered->text;
  if (!n.address.empty()) payload["a"] = n.address;
  const std::string sealed = crypto::Seal(key_, boost::json::serialize(payload), AdFor(reference));
  db::Value dedupe = n.dedupe_key.empty() ? db::Value(nullptr) : db::Value(n.dedupe_key);
  auto id = tx.Query(
      "INSERT INTO notify_outbox (reference, channel, account_id, municipality_id, template_key, "
      "lang, dedupe_key, sealed, state, attempts, next_attempt_at, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?) RETURNING id",
      {reference, std::string(ChannelName(n.channel)), n.account_id, n.municipality_id,
       n.template_key, n.lang == "en" ? std::string("en") : std::string("ar"), dedupe,
       db::Blob{sealed}, now_ms, now_ms});
  if (!id.ok()) return std::move(id).error();
  return (*id)[0].Int(0);
}

Result<int64_t> Outbox::Enqueue(const Notification& n, int64_t now_ms) {
  int64_t id = 0;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto r = Enqueue(tx, n, now_ms);
    if (!r.ok()) return std::move(r).error();
    id = *r;
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return id;
}

Result<Delivery> Outbox::Unseal(const db::Row& row) const {
  Delivery d;
  d.id = row.Int(0);
  d.reference = row.Text(1);
  d.channel = ParseChannel(row.Text(2)).value_or(Channel::kInApp);
  d.account_id = row.Int(3);
  d.municipality_id = row.Int(4);
  d.template_key = row.Text(5);
  d.lang = row.Text(6);
  d.attempts = static_cast<int>(row.Int(8));
  if (row.IsNull(7)) {
    return MakeError(ErrorCode::kInternal, "error.internal", "outbox row without its text");
  }
  auto plain = crypto::Open(key_, row.Bytes(7), AdFor(d.reference));
  if (!plain.ok()) {
    return MakeError(ErrorCode::kInternal, "error.internal", "outbox text does not open");
  }
  boost::system::error_code ec;
  auto v = boost::json::parse(*plain, ec);
  if (ec || !v.is_object()) {
    return MakeError(ErrorCode::kInternal, "error.internal", "outbox text is not JSON");
  }
  const auto& o = v.as_object();
  auto str = [&](const char* k) -> std::string {
    auto it = o.find(k);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                    : std::string();
  };
  d.message.subject = str("s");
  d.message.text = str("t");
  d.address = str("a");
  return d;
}

Result<std::vector<Delivery>> Outbox::Claim(int limit, int64_t now_ms) {
  // The condition is repeated outside the subquery: on PostgreSQL a concurrent claimer's update
  // makes the row fail it when re-checked, so each row is claimed once.
  static constexpr char kDue[] =
      "((state = 'queued' AND next_attempt_at <= ?) OR (state = 'sending' AND lease_until <= ?))";
  const std::string sql =
      std::string("UPDATE notify_outbox SET state = 'sending', lease_until = ? ") +
      "WHERE id IN (SELECT id FROM notify_outbox WHERE state IN ('queued', 'sending') AND " + kDue +
      " ORDER BY id LIMIT ?) AND " + kDue +
      " RETURNING id, reference, channel, account_id, municipality_id, "
      "template_key, lang, sealed, attempts";
  std::vector<db::Row> rows;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto r =
        tx.Query(sql, {now_ms + policy_.lease_ms, now_ms, now_ms, int64_t{limit}, now_ms, now_ms});
    if (!r.ok()) return std::move(r).error();
    rows = std::move(r->rows);
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  std::sort(rows.begin(), rows.end(),
            [](const db::Row& a, const db::Row& b) { return a.Int(0) < b.Int(0); });
  std::vector<Delivery> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    auto d = Unseal(row);
    if (!d.ok()) {
      // A row that cannot be opened can never be sent: settle it rather than retry forever.
      (void)MarkAttemptFailed(row.Int(0), d.error().detail, true, now_ms);
      continue;
    }
    out.push_back(std::move(*d));
  }
  return out;
}

Status Outbox::MarkSent(int64_t id, int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE notify_outbox SET state = 'sent', sent_at = ?, sealed = NULL, lease_until = 0, "
        "last_error = '' WHERE id = ? AND state = 'sending'",
        {now_ms, id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
}

Status Outbox::DeliverInApp(const Delivery& d, int64_t now_ms) {
  return SettleBatch({&d}, {}, {}, now_ms);
}

Status Outbox::SettleBatch(const std::vector<const Delivery*>& in_app,
                           const std::vector<int64_t>& sent,
                           const std::vector<FailedAttempt>& failed, int64_t now_ms) {
  if (in_app.empty() && sent.empty() && failed.empty()) return Ok();
  return db_.Write([&](db::Tx& tx) -> Status {
    for (const FailedAttempt& f : failed) {
      if (Status s = FailAttempt(tx, f, now_ms); !s.ok()) return s;
    }
    for (int64_t id : sent) {
      auto n = tx.Exec(
          "UPDATE notify_outbox SET state = 'sent', sent_at = ?, sealed = NULL, lease_until = 0, "
          "last_error = '' WHERE id = ? AND state = 'sending'",
          {now_ms, id});
      if (!n.ok()) return std::move(n).error();
    }
    for (const Delivery* d : in_app) {
      if (Status s = InsertInbox(tx, *d, now_ms); !s.ok()) return s;
    }
    return Ok();
  });
}

Status Outbox::InsertInbox(db::Tx& tx, const Delivery& d, int64_t now_ms) {
  if (Status s = AddToInbox(tx, d, now_ms); !s.ok()) return s;
  auto n = tx.Exec(
      "UPDATE notify_outbox SET state = 'delivered', sent_at = ?, delivered_at = ?, "
      "sealed = NULL, lease_until = 0, last_error = '' WHERE id = ?",
      {now_ms, now_ms, d.id});
  if (!n.ok()) return std::move(n).error();
  return Ok();
}

Status Outbox::AddToInbox(db::Tx& tx, const Delivery& d, int64_t now_ms) {
  auto ins = tx.Exec(
      "INSERT INTO notify_inbox (account_id, outbox_id, municipality_id, template_key, title, "
      "body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (outbox_id) DO NOTHING",
      {d.account_id, d.id, d.municipality_id, d.template_key, d.message.subject, d.message.text,
       now_ms});
  if (!ins.ok()) return std::move(ins).error();
  return Ok();
}

Status Outbox::MarkAttemptFailed(int64_t id, std::string_view error, bool permanent,
                                 int64_t now_ms) {
  return SettleBatch({}, {}, {{id, std::string(error), permanent}}, now_ms);
}

Status Outbox::FailAttempt(db::Tx& tx, const FailedAttempt& f, int64_t now_ms) {
  // The first statement locks the row (PostgreSQL) and tells how many attempts were made.
  auto r = tx.Query(
      "UPDATE notify_outbox SET attempts = attempts + 1, last_error = ?, lease_until = 0 "
      "WHERE id = ? AND state = 'sending' RETURNING attempts",
      {Clip(f.error), f.id});
  if (!r.ok()) return std::move(r).error();
  if (r->empty()) return Ok();  // settled meanwhile
  const int attempts = static_cast<int>((*r)[0].Int(0));
  if (f.permanent || attempts >= policy_.max_attempts) {
    auto n =
        tx.Exec("UPDATE notify_outbox SET state = 'failed', sealed = NULL WHERE id = ?", {f.id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  }
  auto n = tx.Exec("UPDATE notify_outbox SET state = 'queued', next_attempt_at = ? WHERE id = ?",
                   {now_ms + BackoffMs(policy_, attempts), f.id});
  if (!n.ok()) return std::move(n).error();
  return Ok();
}

Result<bool> Outbox::Receipt(std::string_view reference, bool delivered, std::string_view error,
                             int64_t now_ms) {
  bool known = false;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto n = delivered
                 ? tx.Exec(
                       "UPDATE notify_outbox SET state = 'delivered', delivered_at = ?, "
                       "sealed = NULL, lease_until = 0 WHERE reference = ? AND channel = 'sms' "
                       "AND state IN ('sending', 'sent')",
                       {now_ms, std::string(reference)})
                 : tx.Exec(
                       "UPDATE notify_outbox SET state = 'failed', last_error = ?, "
                       "sealed = NULL WHERE reference = ? AND channel = 'sms' AND "
                       "state IN ('sending', 'sent')",
                       {Clip(error.empty() ? "gateway reported failure" : error),
                        std::string(reference)});
    if (!n.ok()) return std::move(n).error();
    if (*n > 0) {
      known = true;
      return Ok();
    }
    auto again = tx.Query("SELECT state FROM notify_outbox WHERE reference = ? AND channel = 'sms'",
                          {std::string(reference)});
    if (!again.ok()) return std::move(again).error();
    known = !again->empty() && (*again)[0].Text(0) == (delivered ? "delivered" : "failed");
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return known;
}

Result<Record> Outbox::Get(int64_t id) {
  auto rows =
      db_.Query("SELECT " + std::string(kColumns) + " FROM notify_outbox WHERE id = ?", {id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return ToRecord((*rows)[0]);
}

Result<std::vector<Record>> Outbox::Recent(int64_t municipality_id, int limit) {
  auto rows = municipality_id == 0 ? db_.Query("SELECT " + std::string(kColumns) +
                                                   " FROM notify_outbox ORDER BY id DESC LIMIT ?",
                                               {int64_t{limit}})
                                   : db_.Query("SELECT " + std::string(kColumns) +
                                                   " FROM notify_outbox WHERE municipality_id = ? "
                                                   "ORDER BY id DESC LIMIT ?",
                                               {municipality_id, int64_t{limit}});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Record> out;
  for (const auto& r : *rows) out.push_back(ToRecord(r));
  return out;
}

Result<std::map<std::string, int64_t>> Outbox::CountByState() {
  auto rows = db_.Query("SELECT state, count(*) FROM notify_outbox GROUP BY state");
  if (!rows.ok()) return std::move(rows).error();
  std::map<std::string, int64_t> out;
  for (State s :
       {State::kQueued, State::kSending, State::kSent, State::kDelivered, State::kFailed}) {
    out[std::string(StateName(s))] = 0;
  }
  for (const auto& r : *rows) out[r.Text(0)] = r.Int(1);
  return out;
}

Result<std::vector<InboxItem>> Outbox::Inbox(int64_t account_id, int limit) {
  auto rows = db_.Query(
      "SELECT id, municipality_id, template_key, title, body, created_at, read_at "
      "FROM notify_inbox WHERE account_id = ? ORDER BY id DESC LIMIT ?",
      {account_id, int64_t{limit}});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<InboxItem> out;
  for (const auto& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6)});
  }
  return out;
}

Result<int64_t> Outbox::Unread(int64_t account_id) {
  auto rows = db_.Query("SELECT count(*) FROM notify_inbox WHERE account_id = ? AND read_at = 0",
                        {account_id});
  if (!rows.ok()) return std::move(rows).error();
  return (*rows)[0].Int(0);
}

Status Outbox::MarkAllRead(int64_t account_id, int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec("UPDATE notify_inbox SET read_at = ? WHERE account_id = ? AND read_at = 0",
                     {now_ms, account_id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
}

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(NotifyMigrationFiles()); }

}  // namespace baladiya::notify

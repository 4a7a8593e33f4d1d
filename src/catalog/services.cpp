#include "catalog/services.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include "catalog/catalog.h"
#include "platform/embedded.h"
#include "platform/i18n/arabic.h"

std::span<const baladiya::EmbeddedFile> CatalogDataFiles();

namespace baladiya::catalog {
namespace {

namespace json = boost::json;

constexpr std::string_view kColumns =
    "id, municipality_id, code, kind, department_id, category, name_ar, name_en, description_ar, "
    "description_en, eligibility_ar, eligibility_en, documents_json, fee_json, sla_days, channels, "
    "form_json, workflow_json, published, version, updated_at, notifications_json, document_json, "
    "live_number";
// The same for service_versions, whose columns have the same names (id: the service's; the
// live_number: the version's own number).
constexpr std::string_view kVersionColumns =
    "service_id, municipality_id, code, kind, department_id, category, name_ar, name_en, "
    "description_ar, description_en, eligibility_ar, eligibility_en, documents_json, fee_json, "
    "sla_days, channels, form_json, workflow_json, published, version, updated_at, "
    "notifications_json, document_json, number";

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "catalog.invalid", std::move(detail));
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out.push_back(sep);
    out += p;
  }
  return out;
}

Text TextOf(const json::value* v) {
  Text t;
  if (!v || !v->is_object()) return t;
  const auto& o = v->as_object();
  if (auto* ar = o.if_contains("ar"); ar && ar->is_string()) t.ar = std::string(ar->as_string());
  if (auto* en = o.if_contains("en"); en && en->is_string()) t.en = std::string(en->as_string());
  return t;
}

json::object TextJson(const Text& t) { return {{"ar", t.ar}, {"en", t.en}}; }

std::string DocumentsJson(const std::vector<Text>& docs) {
  json::array a;
  for (const auto& d : docs) a.push_back(TextJson(d));
  return json::serialize(a);
}

std::vector<Text> ParseDocuments(std::string_view text) {
  std::vector<Text> out;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& d : v.as_array()) out.push_back(TextOf(&d));
  return out;
}

std::string SearchText(const Service& s) {
  return i18n::NormalizeForSearch(s.name.ar + " " + s.name.en + " " + s.description.ar + " " +
                                  s.description.en + " " + s.category + " " + s.code);
}

std::string NotificationsJson(const std::map<std::string, NotificationText>& all) {
  json::object o;
  for (const auto& [event, t] : all) {
    o[event] = json::object{
        {"subject", TextJson(t.subject)}, {"body", TextJson(t.body)}, {"sms", TextJson(t.sms)}};
  }
  return json::serialize(o);
}

std::map<std::string, NotificationText> ParseNotifications(std::string_view text) {
  std::map<std::string, NotificationText> out;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [event, t] : v.as_object()) {
    if (!t.is_object()) continue;
    out[std::string(event)] = {TextOf(t.as_object().if_contains("subject")),
                               TextOf(t.as_object().if_contains("body")),
                               TextOf(t.as_object().if_contains("sms"))};
  }
  return out;
}

Result<Service> ReadService(const db::Row& r) {
  Service s;
  s.id = r.Int(0);
  s.municipality_id = r.Int(1);
  s.code = r.Text(2);
  s.kind = r.Text(3) == "report" ? ServiceKind::kReport : ServiceKind::kApplication;
  s.department_id = r.Int(4);
  s.category = r.Text(5);
  s.name = {r.Text(6), r.Text(7)};
  s.description = {r.Text(8), r.Text(9)};
  s.eligibility = {r.Text(10), r.Text(11)};
  s.documents = ParseDocuments(r.Text(12));
  auto fee = ParseFee(r.Text(13));
  if (!fee.ok()) return std::move(fee).error();
  s.fee = std::move(*fee);
  s.sla_days = static_cast<int>(r.Int(14));
  s.channels = Split(r.Text(15), ',');
  auto form = ParseFormSchema(r.Text(16));
  if (!form.ok()) return std::move(form).error();
  s.form = std::move(*form);
  s.workflow_json = r.Text(17);
  s.published = r.Int(18) != 0;
  s.version = r.Int(19);
  s.updated_at = r.Int(20);
  s.notifications = ParseNotifications(r.Text(21));
  auto document = ParseDocumentTemplate(r.Text(22));
  if (!document.ok()) return std::move(document).error();
  s.document = std::move(*document);
  s.live_number = r.Int(23);
  return s;
}

Result<std::vector<Service>> ReadAll(const db::Rows& rows) {
  std::vector<Service> out;
  for (const auto& r : rows) {
    auto s = ReadService(r);
    if (!s.ok()) return std::move(s).error();
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace

std::string_view ServiceKindName(ServiceKind k) {
  return k == ServiceKind::kReport ? "report" : "application";
}

const std::vector<std::string>& AllChannels() {
  static const std::vector<std::string> kChannels = {"web", "counter", "phone", "api"};
  return kChannels;
}

bool Service::Offers(std::string_view channel) const {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

std::vector<Problem> MissingTexts(const Service& s) {
  std::vector<Problem> out;
  auto check = [&](const Text& t, const Path& path, const std::string& key, bool optional,
                   const std::map<std::string, std::string>& args = {}) {
    if (optional && t.Empty()) return;
    for (const char* lang : {"ar", "en"}) {
      if (!(std::string_view(lang) == "ar" ? t.ar : t.en).empty()) continue;
      Problem& p = out.emplace_back(Problem{path, key, args});
      p.path.emplace_back(lang);
      p.args["in"] = lang;
    }
  };
  check(s.name, {"name"}, "catalog.missing.name", false);
  check(s.description, {"description"}, "catalog.missing.description", false);
  check(s.eligibility, {"eligibility"}, "catalog.missing.eligibility", true);
  for (size_t i = 0; i < s.documents.size(); ++i) {
    check(s.documents[i], {"documents", i}, "catalog.missing.document", false,
          {{"n", std::to_string(i + 1)}});
  }
  for (const auto& entry : s.notifications) {
    const std::string& event = entry.first;
    const auto part = [&](const char* name, const Text& text, bool optional) {
      check(text, {"notifications", event, name},
            std::string("catalog.missing.notification_") + name, optional, {{"event", event}});
    };
    part("subject", entry.second.subject, false);
    part("body", entry.second.body, false);
    part("sms", entry.second.sms, true);
  }
  for (Problem& p : MissingTexts(s.form)) {
    p.path.insert(p.path.begin(), PathStep("form"));
    out.push_back(std::move(p));
  }
  for (Problem& p : MissingDocumentTexts(s.document)) out.push_back(std::move(p));
  return out;
}

const std::vector<NotificationEvent>& NotificationEvents() {
  static const std::vector<NotificationEvent> kEvents = {
      {"submitted", {"tracking", "service"}},
      {"state_changed", {"tracking", "service", "state"}},
  };
  return kEvents;
}

namespace {

// The first "{name}" in text (no brace inside) whose name is not one of known, as written;
// empty when every placeholder is known.
std::string UnknownPlaceholder(std::string_view text, const std::vector<std::string_view>& known) {
  for (size_t open = text.find('{'); open != std::string_view::npos;) {
    const size_t close = text.find_first_of("{}", open + 1);
    if (close == std::string_view::npos) break;
    if (text[close] == '{') {
      open = close;
      continue;
    }
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return std::string(text.substr(open, close - open + 1));
    }
    open = text.find('{', close + 1);
  }
  return {};
}

}  // namespace

std::vector<Problem> NotificationProblems(const Service& s) {
  std::vector<Problem> out;
  for (const NotificationEvent& e : NotificationEvents()) {
    auto it = s.notifications.find(std::string(e.name));
    if (it == s.notifications.end()) continue;
    const std::string event(e.name);
    std::string known;
    for (std::string_view p : e.placeholders) {
      known += (known.empty() ? "{" : " {") + std::string(p) + "}";
    }
    const NotificationText& n = it->second;
    const std::pair<const char*, const Text*> parts[] = {
        {"subject", &n.subject}, {"body", &n.body}, {"sms", &n.sms}};
    for (const auto& [part, text] : parts) {
      const bool optional = std::string_view(part) == "sms";
      for (const char* lang : {"ar", "en"}) {
        const std::string& words = std::string_view(lang) == "ar" ? text->ar : text->en;
        const Path path = {"notifications", event, part, lang};
        if (words.empty()) {
          if (optional && text->Empty()) continue;
          out.push_back({path,
                         std::string("catalog.notification.") + part + "_missing",
                         {{"event", event}, {"in", lang}}});
          continue;
        }
        std::string unknown = UnknownPlaceholder(words, e.placeholders);
        if (!unknown.empty()) {
          out.push_back({path,
                         "catalog.notification.placeholder",
                         {{"name", std::move(unknown)}, {"known", known}}});
        }
      }
    }
  }
  return out;
}

namespace {

// A missing text's path as pages that list Error::fields show it, and as logs name it:
// "name (en)", "document 2 (ar)", "notification submitted body (en)", "page 1 title (en)",
// "field plot_area label (ar)", "field use option shop (en)".
std::string Readable(const Problem& p) {
  auto arg = [&](const char* name) {
    auto it = p.args.find(name);
    return it == p.args.end() ? std::string() : it->second;
  };
  std::string what = PathText(p.path);
  const std::string_view key = p.key;
  if (key == "catalog.missing.name" || key == "catalog.missing.description" ||
      key == "catalog.missing.eligibility") {
    what = key.substr(key.rfind('.') + 1);
  } else if (key == "catalog.missing.document") {
    what = "document " + arg("n");
  } else if (key.starts_with("catalog.missing.notification_")) {
    what = "notification " + arg("event") + " " + std::string(key.substr(key.rfind('_') + 1));
  } else if (key == "form.missing.page_title") {
    what = "page " + arg("n") + " title";
  } else if (key == "form.missing.field_label" || key == "form.missing.field_help") {
    what = "field " + arg("field") + (key.ends_with("label") ? " label" : " help");
  } else if (key == "form.missing.option") {
    what = "field " + arg("field") + " option " + arg("option");
  }
  return what + " (" + arg("in") + ")";
}

Error Invalid(std::string detail, Path path, std::string key,
              std::map<std::string, std::string> args = {}) {
  Error e = Invalid(std::move(detail));
  e.problems.push_back({std::move(path), std::move(key), std::move(args)});
  return e;
}

// The checks every save makes before it writes.
Status CheckService(const Service& s) {
  if (!ValidSlug(s.code)) {
    return Invalid("bad service code '" + s.code + "'", {"code"}, "catalog.problem.bad_code");
  }
  if (s.name.ar.empty()) {
    return Invalid("service " + s.code + " has no Arabic name", {"name", "ar"},
                   "catalog.problem.name_ar");
  }
  if (s.municipality_id <= 0) return Invalid("service " + s.code + " has no municipality");
  if (s.sla_days < 0 || s.sla_days > 365) {
    return Invalid("service " + s.code + ": bad SLA", {"sla_days"}, "catalog.problem.sla_days",
                   {{"max", "365"}});
  }
  for (size_t i = 0; i < s.channels.size(); ++i) {
    const std::string& c = s.channels[i];
    if (std::find(AllChannels().begin(), AllChannels().end(), c) == AllChannels().end()) {
      return Invalid("service " + s.code + ": unknown channel '" + c + "'", {"channels", i},
                     "catalog.problem.channel", {{"channel", c}});
    }
  }
  if (s.form.pages.empty()) {
    return Invalid("service " + s.code + " has no form", {"form", "pages"},
                   "form.problem.no_pages");
  }
  if (s.published) {
    std::vector<Problem> missing = MissingTexts(s);
    if (!missing.empty()) {
      Error e = MakeError(ErrorCode::kInvalid, "catalog.missing_texts",
                          "service " + s.code + ": " + std::to_string(missing.size()) +
                              " text(s) missing, first: " + Readable(missing.front()));
      for (const auto& m : missing) e.fields[Readable(m)] = "catalog.missing_text";
      e.problems = std::move(missing);
      return e;
    }
  }
  return Ok();
}

// The columns from kind to search_text, in the order both statements below name them.
db::Params Columns(const Service& s) {
  return {std::string(ServiceKindName(s.kind)),
          s.department_id,
          s.category,
          s.name.ar,
          s.name.en,
          s.description.ar,
          s.description.en,
          s.eligibility.ar,
          s.eligibility.en,
          DocumentsJson(s.documents),
          FeeToJson(s.fee),
          int64_t{s.sla_days},
          Join(s.channels, ','),
          FormSchemaToJson(s.form),
          s.workflow_json,
          int64_t{s.published ? 1 : 0},
          SearchText(s)};
}

// kInsert's parameters.
db::Params InsertValues(const Service& s, int64_t now_ms) {
  db::Params out = {s.municipality_id, s.code};
  for (auto& v : Columns(s)) out.push_back(std::move(v));
  out.insert(out.end(), {now_ms, now_ms, NotificationsJson(s.notifications),
                         DocumentTemplateToJson(s.document)});
  return out;
}

constexpr std::string_view kInsert =
    "INSERT INTO services (municipality_id, code, kind, department_id, category, name_ar, "
    "name_en, description_ar, description_en, eligibility_ar, eligibility_en, documents_json, "
    "fee_json, sla_days, channels, form_json, workflow_json, published, search_text, version, "
    "created_at, updated_at, notifications_json, document_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ";

// Guarded by the version the editor read, so that of two concurrent edits the later one fails
// instead of silently undoing the earlier (one statement: safe under READ COMMITTED too).
constexpr std::string_view kUpdate =
    "UPDATE services SET kind = ?, department_id = ?, category = ?, name_ar = ?, name_en = ?, "
    "description_ar = ?, description_en = ?, eligibility_ar = ?, eligibility_en = ?, "
    "documents_json = ?, fee_json = ?, sla_days = ?, channels = ?, form_json = ?, "
    "workflow_json = ?, published = ?, search_text = ?, updated_at = ?, notifications_json = ?, "
    "document_json = ?, version = version + 1 WHERE municipality_id = ? AND code = ? AND version = "
    "? RETURNING id";

}  // namespace

Result<int64_t> ServiceStore::Save(const Service& s, int64_t now_ms,
                                   const std::function<Status(db::Tx&, int64_t)>& in_tx) {
  if (Status valid = CheckService(s); !valid.ok()) return std::move(valid).error();
  int64_t id = 0;
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    auto r = tx.Query(
        std::string(kInsert) +
            "ON CONFLICT (municipality_id, code) DO UPDATE SET "
            "kind = excluded.kind, notifications_json = excluded.notifications_json, "
            "document_json = excluded.document_json, "
            "department_id = excluded.department_id, category = excluded.category, "
            "name_ar = excluded.name_ar, name_en = excluded.name_en, "
            "description_ar = excluded.description_ar, description_en = excluded.description_en, "
            "eligibility_ar = excluded.eligibility_ar, eligibility_en = excluded.eligibility_en, "
            "documents_json = excluded.documents_json, fee_json = excluded.fee_json, "
            "sla_days = excluded.sla_days, channels = excluded.channels, "
            "form_json = excluded.form_json, workflow_json = excluded.workflow_json, "
            "published = excluded.published, search_text = excluded.search_text, "
            "version = services.version + 1, updated_at = excluded.updated_at RETURNING id",
        InsertValues(s, now_ms));
    if (!r.ok()) return std::move(r).error();
    id = (*r)[0].Int(0);
    if (in_tx) return in_tx(tx, id);
    return Ok();
  });
  NoteCatalogChange();
  if (!st.ok()) return std::move(st).error();
  return id;
}

Result<int64_t> ServiceStore::SaveExpecting(const Service& s, int64_t expected_version,
                                            int64_t now_ms,
                                            const std::function<Status(db::Tx&, int64_t)>& in_tx) {
  if (expected_version < 0) return Invalid("negative expected version");
  if (Status valid = CheckService(s); !valid.ok()) return std::move(valid).error();
  int64_t id = 0;
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    Result<db::Rows> r = MakeError(ErrorCode::kInternal, "error.internal");
    if (expected_version == 0) {
      r = tx.Query(std::string(kInsert) +
                       "ON CONFLICT (municipality_id, code) DO NOTHING "
                       "RETURNING id",
                   InsertValues(s, now_ms));
    } else {
      db::Params params = Columns(s);
      params.insert(params.end(),
                    {now_ms, NotificationsJson(s.notifications), DocumentTemplateToJson(s.document),
                     s.municipality_id, s.code, expected_version});
      r = tx.Query(kUpdate, params);
    }
    if (!r.ok()) return std::move(r).error();
    if (r->empty()) {
      return expected_version == 0 ? MakeError(ErrorCode::kConflict, "catalog.code_taken",
                                               "service " + s.code + " exists")
                                   : MakeError(ErrorCode::kConflict, "catalog.conflict",
                                               "service " + s.code + " is no longer at version " +
                                                   std::to_string(expected_version));
    }
    id = (*r)[0].Int(0);
    if (in_tx) return in_tx(tx, id);
    return Ok();
  });
  NoteCatalogChange();
  if (!st.ok()) return std::move(st).error();
  return id;
}

Result<std::vector<Service>> ServiceStore::List(int64_t municipality_id, bool published_only) {
  if (auto due = PromoteDue(municipality_id, 0); !due.ok()) return std::move(due).error();
  auto rows = db_.Query("SELECT " + std::string(kColumns) +
                            " FROM services WHERE municipality_id = ? AND (published = 1 OR ? = 0) "
                            "ORDER BY category, name_ar",
                        {municipality_id, int64_t{published_only ? 1 : 0}});
  if (!rows.ok()) return std::move(rows).error();
  return ReadAll(*rows);
}

Result<std::vector<Service>> ServiceStore::Summaries(int64_t municipality_id) {
  if (auto due = PromoteDue(municipality_id, 0); !due.ok()) return std::move(due).error();
  auto rows = db_.Query(
      "SELECT id, code, kind, department_id, name_ar, name_en, workflow_json, published "
      "FROM services WHERE municipality_id = ? ORDER BY category, name_ar",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Service> out;
  for (const auto& r : *rows) {
    Service s;
    s.id = r.Int(0);
    s.municipality_id = municipality_id;
    s.code = r.Text(1);
    s.kind = r.Text(2) == "report" ? ServiceKind::kReport : ServiceKind::kApplication;
    s.department_id = r.Int(3);
    s.name = {r.Text(4), r.Text(5)};
    s.workflow_json = r.Text(6);
    s.published = r.Int(7) != 0;
    out.push_back(std::move(s));
  }
  return out;
}

// Services and calendars as last read, for this process. An entry serves while the catalogue's
// edition is the one it was read at and for at most max_age.
struct ServiceStore::Cache {
  template <typename T>
  struct Entry {
    std::shared_ptr<const T> value;
    uint64_t edition = 0;
    std::chrono::steady_clock::time_point loaded_at;
    int64_t until_ms = INT64_MAX;  // a scheduled version takes effect then (store clock)
  };
  std::mutex mu;
  std::map<std::pair<int64_t, std::string>, Entry<Service>, std::less<>> by_code;
  std::map<int64_t, Entry<Service>> by_id;
  std::map<int64_t, Entry<CalendarData>> calendars;
};

ServiceStore::ServiceStore(db::Database& db, std::chrono::milliseconds max_age,
                           std::function<int64_t()> now_ms)
    : db_(db), now_ms_(std::move(now_ms)), max_age_(max_age), cache_(std::make_shared<Cache>()) {}

int64_t ServiceStore::Now() const {
  if (now_ms_) return now_ms_();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// The cached value for key, or null when there is none or it is stale.
template <typename Map, typename Key>
auto Cached(std::mutex& mu, Map& map, const Key& key, std::chrono::milliseconds max_age,
            int64_t now_ms = 0) -> decltype(map.begin()->second.value) {
  std::lock_guard lock(mu);
  auto it = map.find(key);
  if (it == map.end()) return nullptr;
  if (it->second.edition != CatalogEdition() || now_ms >= it->second.until_ms ||
      std::chrono::steady_clock::now() - it->second.loaded_at >= max_age) {
    map.erase(it);
    return nullptr;
  }
  return it->second.value;
}

template <typename Map, typename Key, typename T>
void Remember(std::mutex& mu, Map& map, Key key, T value, uint64_t edition,
              int64_t until_ms = INT64_MAX) {
  std::lock_guard lock(mu);
  map[std::move(key)] = {std::make_shared<const T>(std::move(value)), edition,
                         std::chrono::steady_clock::now(), until_ms};
}

}  // namespace

Result<Service> ServiceStore::Find(int64_t municipality_id, std::string_view code) {
  auto key = std::make_pair(municipality_id, std::string(code));
  if (auto hit = Cached(cache_->mu, cache_->by_code, key, max_age_, Now())) return *hit;
  auto until = PromoteDue(municipality_id, 0);
  if (!until.ok()) return std::move(until).error();
  const uint64_t edition = CatalogEdition();
  auto found = Load(municipality_id, code);
  if (found.ok()) Remember(cache_->mu, cache_->by_code, std::move(key), *found, edition, *until);
  return found;
}

Result<Service> ServiceStore::Load(int64_t municipality_id, std::string_view code) {
  auto rows = db_.Query(
      "SELECT " + std::string(kColumns) + " FROM services WHERE municipality_id = ? AND code = ?",
      {municipality_id, std::string(code)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return ReadService((*rows)[0]);
}

Result<Service> ServiceStore::Get(int64_t id) {
  if (auto hit = Cached(cache_->mu, cache_->by_id, id, max_age_, Now())) return *hit;
  auto until = PromoteDue(0, id);
  if (!until.ok()) return std::move(until).error();
  const uint64_t edition = CatalogEdition();
  auto found = Load(id);
  if (found.ok()) Remember(cache_->mu, cache_->by_id, id, *found, edition, *until);
  return found;
}

Result<CalendarData> ServiceStore::Calendar(int64_t municipality_id) {
  if (auto hit = Cached(cache_->mu, cache_->calendars, municipality_id, max_age_)) return *hit;
  const uint64_t edition = CatalogEdition();
  auto c = LoadCalendar(db_, municipality_id);
  if (c.ok()) Remember(cache_->mu, cache_->calendars, municipality_id, *c, edition);
  return c;
}

Result<Service> ServiceStore::Load(int64_t id) {
  auto rows = db_.Query("SELECT " + std::string(kColumns) + " FROM services WHERE id = ?", {id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return ReadService((*rows)[0]);
}

Result<std::vector<Service>> ServiceStore::Search(int64_t municipality_id, std::string_view query) {
  if (auto due = PromoteDue(municipality_id, 0); !due.ok()) return std::move(due).error();
  auto synonyms = Synonyms(municipality_id);
  if (!synonyms.ok()) return std::move(synonyms).error();
  auto rows = db_.Query("SELECT " + std::string(kColumns) +
                            ", search_text FROM services WHERE municipality_id = ? AND "
                            "published = 1 ORDER BY category, name_ar",
                        {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Service> out;
  for (const auto& r : *rows) {
    if (!MatchesQuery(StemmedHaystack(r.Text(24)), query, *synonyms)) continue;
    auto s = ReadService(r);
    if (!s.ok()) return std::move(s).error();
    out.push_back(std::move(*s));
  }
  return out;
}

Result<std::vector<Service>> ServiceStore::Suggest(int64_t municipality_id, std::string_view query,
                                                   size_t limit) {
  if (auto due = PromoteDue(municipality_id, 0); !due.ok()) return std::move(due).error();
  auto synonyms = Synonyms(municipality_id);
  if (!synonyms.ok()) return std::move(synonyms).error();
  auto rows = db_.Query("SELECT " + std::string(kColumns) +
                            ", search_text FROM services WHERE municipality_id = ? AND "
                            "published = 1 ORDER BY category, name_ar",
                        {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<std::pair<double, Service>> scored;
  for (const auto& r : *rows) {
    double c = Closeness(StemmedHaystack(r.Text(24)), query, *synonyms);
    if (c < 0.34) continue;
    auto s = ReadService(r);
    if (!s.ok()) return std::move(s).error();
    scored.emplace_back(c, std::move(*s));
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Service> out;
  for (auto& [c, s] : scored) {
    if (out.size() >= limit) break;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Synonym>> ServiceStore::Synonyms(int64_t municipality_id) {
  auto rows = db_.Query(
      "SELECT term, alternatives FROM search_synonyms WHERE municipality_id = ? ORDER BY position",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Synonym> out;
  for (const auto& r : *rows) {
    Synonym s{r.Text(0), {}};
    for (auto& a : Split(r.Text(1), '\n')) {
      if (!a.empty()) s.alternatives.push_back(std::move(a));
    }
    out.push_back(std::move(s));
  }
  return out;
}

Status ServiceStore::SetSynonyms(int64_t municipality_id, const std::vector<Synonym>& synonyms,
                                 int64_t now_ms, const std::function<Status(db::Tx&)>& in_tx) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto d = tx.Exec("DELETE FROM search_synonyms WHERE municipality_id = ?", {municipality_id});
    if (!d.ok()) return std::move(d).error();
    int64_t position = 0;
    for (const auto& s : synonyms) {
      std::string alternatives;
      for (const auto& a : s.alternatives) alternatives += a + "\n";
      auto n = tx.Exec(
          "INSERT INTO search_synonyms (municipality_id, position, term, alternatives, "
          "updated_at) VALUES (?, ?, ?, ?, ?)",
          {municipality_id, ++position, s.term, alternatives, now_ms});
      if (!n.ok()) return std::move(n).error();
    }
    if (in_tx) return in_tx(tx);
    return Ok();
  });
}

// ---- Versions -----------------------------------------------------------------------------

namespace {

// Copies a version's content into the services row readers serve.
Status WriteLive(db::Tx& tx, int64_t service_id, const Service& s, int64_t number, int64_t now_ms) {
  db::Params params = Columns(s);
  params.insert(params.end(), {now_ms, NotificationsJson(s.notifications),
                               DocumentTemplateToJson(s.document), number, service_id});
  auto n = tx.Exec(
      "UPDATE services SET kind = ?, department_id = ?, category = ?, name_ar = ?, name_en = ?, "
      "description_ar = ?, description_en = ?, eligibility_ar = ?, eligibility_en = ?, "
      "documents_json = ?, fee_json = ?, sla_days = ?, channels = ?, form_json = ?, "
      "workflow_json = ?, published = ?, search_text = ?, updated_at = ?, notifications_json = ?, "
      "document_json = ?, live_number = ?, version = version + 1 WHERE id = ?",
      params);
  if (!n.ok()) return std::move(n).error();
  if (*n == 0) return MakeError(ErrorCode::kNotFound, "error.not_found", "no such service");
  return Ok();
}

constexpr std::string_view kVersionInsert =
    "INSERT INTO service_versions (kind, department_id, category, name_ar, name_en, "
    "description_ar, description_en, eligibility_ar, eligibility_en, documents_json, fee_json, "
    "sla_days, channels, form_json, workflow_json, published, search_text, updated_at, "
    "notifications_json, document_json, service_id, municipality_id, code, number, state, "
    "version, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, 0, 'draft', ?, ?, ?)";

}  // namespace

Result<int64_t> ServiceStore::PromoteDue(int64_t municipality_id, int64_t service_id) {
  const int64_t now = Now();
  auto rows = service_id > 0
                  ? db_.Query(
                        "SELECT id, effective_from FROM service_versions WHERE service_id = ? "
                        "AND state = 'scheduled' ORDER BY effective_from, number",
                        {service_id})
                  : db_.Query(
                        "SELECT id, effective_from FROM service_versions WHERE "
                        "municipality_id = ? AND state = 'scheduled' ORDER BY "
                        "effective_from, number",
                        {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  int64_t next = INT64_MAX;
  std::vector<int64_t> due;
  for (const auto& r : *rows) {
    if (r.Int(1) <= now) {
      due.push_back(r.Int(0));
    } else {
      next = std::min(next, r.Int(1));
    }
  }
  if (due.empty()) return next;
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    for (int64_t id : due) {
      // Whichever node gets here first puts it in effect; the others find it done.
      auto claimed = tx.Exec(
          "UPDATE service_versions SET state = 'published' WHERE id = ? AND state = 'scheduled'",
          {id});
      if (!claimed.ok()) return std::move(claimed).error();
      if (*claimed == 0) continue;
      auto v = tx.Query(
          "SELECT " + std::string(kVersionColumns) + " FROM service_versions WHERE id = ?", {id});
      if (!v.ok()) return std::move(v).error();
      auto s = ReadService((*v)[0]);
      if (!s.ok()) return std::move(s).error();
      // Only forward: an older version never replaces a newer one already in effect.
      auto live = tx.Query("SELECT live_number FROM services WHERE id = ?", {s->id});
      if (!live.ok()) return std::move(live).error();
      if (live->empty() || (*live)[0].Int(0) >= s->live_number) continue;
      if (Status w = WriteLive(tx, s->id, *s, s->live_number, now); !w.ok()) return w;
    }
    return Ok();
  });
  NoteCatalogChange();
  if (!st.ok()) return std::move(st).error();
  return next;
}

Result<Service> ServiceStore::Draft(int64_t service_id) {
  auto rows = db_.Query("SELECT " + std::string(kVersionColumns) +
                            " FROM service_versions WHERE service_id = ? AND number = 0",
                        {service_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no draft");
  auto s = ReadService((*rows)[0]);
  if (!s.ok()) return s;
  auto live = db_.Query("SELECT live_number FROM services WHERE id = ?", {service_id});
  if (!live.ok()) return std::move(live).error();
  s->live_number = live->empty() ? 0 : (*live)[0].Int(0);
  return s;
}

Result<int64_t> ServiceStore::SaveDraft(const Service& s, int64_t expected_version,
                                        const std::string& by, int64_t now_ms,
                                        const std::function<Status(db::Tx&, int64_t)>& in_tx) {
  Service draft = s;
  // Checked as the published service it is to become: a published service never lacks a text.
  draft.published = true;
  if (Status valid = CheckService(draft); !valid.ok()) return std::move(valid).error();
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    auto existing = tx.Query(
        "SELECT version FROM service_versions WHERE service_id = ? AND number = 0", {s.id});
    if (!existing.ok()) return std::move(existing).error();
    auto conflict = [&] {
      return MakeError(ErrorCode::kConflict, "catalog.conflict",
                       "the draft of service " + s.code + " is no longer at version " +
                           std::to_string(expected_version));
    };
    db::Params params = Columns(draft);
    params.insert(params.end(),
                  {now_ms, NotificationsJson(s.notifications), DocumentTemplateToJson(s.document)});
    if (existing->empty()) {
      auto live =
          tx.Query("SELECT version, municipality_id, code FROM services WHERE id = ?", {s.id});
      if (!live.ok()) return std::move(live).error();
      if (live->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no service");
      if ((*live)[0].Int(0) != expected_version) return conflict();
      params.insert(params.end(), {s.id, (*live)[0].Int(1), (*live)[0].Text(2),
                                   expected_version + 1, by, now_ms});
      auto n = tx.Exec(kVersionInsert, params);
      if (!n.ok()) return std::move(n).error();
    } else {
      if ((*existing)[0].Int(0) != expected_version) return conflict();
      params.insert(params.end(), {s.id, expected_version});
      auto n = tx.Exec(
          "UPDATE service_versions SET kind = ?, department_id = ?, category = ?, name_ar = ?, "
          "name_en = ?, description_ar = ?, description_en = ?, eligibility_ar = ?, "
          "eligibility_en = ?, documents_json = ?, fee_json = ?, sla_days = ?, channels = ?, "
          "form_json = ?, workflow_json = ?, published = ?, search_text = ?, updated_at = ?, "
          "notifications_json = ?, document_json = ?, version = version + 1 WHERE service_id = ? "
          "AND number = 0 AND version = ?",
          params);
      if (!n.ok()) return std::move(n).error();
      if (*n == 0) return conflict();
    }
    if (in_tx) return in_tx(tx, s.id);
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return s.id;
}

Result<int64_t> ServiceStore::PublishDraft(int64_t service_id, int64_t expected_version,
                                           int64_t effective_from, const std::string& by,
                                           int64_t now_ms,
                                           const std::function<Status(db::Tx&, int64_t)>& in_tx) {
  if (effective_from < now_ms - 60'000) {
    Error e = MakeError(ErrorCode::kInvalid, "catalog.effective_past",
                        "a version cannot take effect in the past");
    e.problems.push_back({{"effective_from"}, "catalog.effective_past", {}});
    return e;
  }
  auto draft = Draft(service_id);
  if (!draft.ok()) {
    if (draft.error().code != ErrorCode::kNotFound) return std::move(draft).error();
    return MakeError(ErrorCode::kConflict, "catalog.conflict", "no draft to publish");
  }
  if (draft->version != expected_version) {
    return MakeError(ErrorCode::kConflict, "catalog.conflict", "the draft changed");
  }
  draft->published = true;
  if (Status valid = CheckService(*draft); !valid.ok()) return std::move(valid).error();
  const bool now = effective_from <= now_ms;
  int64_t number = 0;
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    auto top = tx.Query(
        "SELECT s.live_number, (SELECT MAX(number) FROM service_versions v WHERE v.service_id = "
        "s.id) FROM services s WHERE s.id = ?",
        {service_id});
    if (!top.ok()) return std::move(top).error();
    if (top->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no service");
    number = std::max((*top)[0].Int(0), (*top)[0].Int(1)) + 1;
    // The live version as it stands, kept in the history the first time a next one is published
    // (services published before versions were kept have no row for it).
    auto kept = tx.Exec(
        "INSERT INTO service_versions (service_id, municipality_id, number, state, "
        "effective_from, code, kind, department_id, category, name_ar, name_en, description_ar, "
        "description_en, eligibility_ar, eligibility_en, documents_json, fee_json, sla_days, "
        "channels, form_json, workflow_json, notifications_json, document_json, published, "
        "search_text, version, created_at, updated_at, published_at) SELECT id, "
        "municipality_id, live_number, 'published', updated_at, code, kind, department_id, "
        "category, name_ar, name_en, description_ar, description_en, eligibility_ar, "
        "eligibility_en, documents_json, fee_json, sla_days, channels, form_json, workflow_json, "
        "notifications_json, document_json, 1, search_text, version, created_at, updated_at, "
        "updated_at FROM services WHERE id = ? AND NOT EXISTS (SELECT 1 FROM service_versions v "
        "WHERE v.service_id = services.id AND v.number = services.live_number)",
        {service_id});
    if (!kept.ok()) return std::move(kept).error();
    auto n = tx.Exec(
        "UPDATE service_versions SET number = ?, state = ?, effective_from = ?, published_by = ?, "
        "published_at = ? WHERE service_id = ? AND number = 0 AND version = ?",
        {number, std::string(now ? "published" : "scheduled"), std::max(effective_from, now_ms), by,
         now_ms, service_id, expected_version});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "catalog.conflict", "the draft changed");
    if (now) {
      if (Status w = WriteLive(tx, service_id, *draft, number, now_ms); !w.ok()) return w;
    }
    if (in_tx) return in_tx(tx, service_id);
    return Ok();
  });
  NoteCatalogChange();
  if (!st.ok()) return std::move(st).error();
  return number;
}

Result<Service> ServiceStore::Version(int64_t service_id, int64_t number) {
  auto live = Get(service_id);
  if (!live.ok() || live->live_number == number) return live;
  auto rows = db_.Query("SELECT " + std::string(kVersionColumns) +
                            " FROM service_versions WHERE service_id = ? AND number = ? AND "
                            "number > 0 AND state = 'published'",
                        {service_id, number});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no such version");
  auto s = ReadService((*rows)[0]);
  if (!s.ok()) return s;
  s->published = live->published;  // withdrawing the service withdraws every version
  s->version = live->version;
  return s;
}

Status ServiceStore::DiscardDraft(int64_t service_id, const std::function<Status(db::Tx&)>& in_tx) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n =
        tx.Exec("DELETE FROM service_versions WHERE service_id = ? AND number = 0", {service_id});
    if (!n.ok()) return std::move(n).error();
    if (in_tx) return in_tx(tx);
    return Ok();
  });
}

Result<std::vector<ServiceVersion>> ServiceStore::Versions(int64_t service_id) {
  if (auto due = PromoteDue(0, service_id); !due.ok()) return std::move(due).error();
  auto live = db_.Query("SELECT live_number, updated_at, published FROM services WHERE id = ?",
                        {service_id});
  if (!live.ok()) return std::move(live).error();
  if (live->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no service");
  const int64_t live_number = (*live)[0].Int(0);
  auto rows = db_.Query(
      "SELECT number, state, effective_from, created_by, created_at, published_by, published_at "
      "FROM service_versions WHERE service_id = ? ORDER BY number = 0 DESC, number DESC",
      {service_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<ServiceVersion> out;
  bool live_listed = false;
  for (const auto& r : *rows) {
    ServiceVersion v;
    v.number = r.Int(0);
    const std::string state = r.Text(1);
    v.state = state == "draft"          ? "draft"
              : state == "scheduled"    ? "scheduled"
              : v.number == live_number ? "live"
                                        : "replaced";
    v.effective_from = r.Int(2);
    v.created_by = r.Text(3);
    v.created_at = r.Int(4);
    v.published_by = r.Text(5);
    v.published_at = r.Int(6);
    if (v.number == live_number) live_listed = true;
    out.push_back(std::move(v));
  }
  if (!live_listed && (*live)[0].Int(2) != 0) {
    ServiceVersion v;
    v.number = live_number;
    v.state = "live";
    v.effective_from = (*live)[0].Int(1);
    v.published_at = v.effective_from;
    // Before the draft, ordered by number like the others.
    auto at = std::find_if(out.begin(), out.end(), [&](const ServiceVersion& o) {
      return o.number != 0 && o.number < v.number;
    });
    out.insert(at, std::move(v));
  }
  return out;
}

Result<CalendarData> LoadCalendar(db::Database& db, int64_t municipality_id) {
  CalendarData c;
  auto cal = db.Query(
      "SELECT rest_weekdays, time_zone FROM municipality_calendar WHERE municipality_id = ?",
      {municipality_id});
  if (!cal.ok()) return std::move(cal).error();
  if (!cal->empty()) {
    c.rest_weekdays.clear();
    for (const auto& d : Split((*cal)[0].Text(0), ',')) {
      if (d.size() == 1 && d[0] >= '0' && d[0] <= '6') c.rest_weekdays.insert(d[0] - '0');
    }
    c.time_zone = (*cal)[0].Text(1);
  }
  auto days = db.Query("SELECT day FROM municipality_holidays WHERE municipality_id = ?",
                       {municipality_id});
  if (!days.ok()) return std::move(days).error();
  for (const auto& r : *days) c.holidays.insert(r.Text(0));
  return c;
}

Status SaveHoliday(db::Database& db, int64_t municipality_id, const std::string& day,
                   const Text& name) {
  Status s = db.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "INSERT INTO municipality_holidays (municipality_id, day, name_ar, name_en) VALUES "
        "(?, ?, ?, ?) ON CONFLICT (municipality_id, day) DO UPDATE SET name_ar = excluded.name_ar, "
        "name_en = excluded.name_en",
        {municipality_id, day, name.ar, name.en});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
  NoteCatalogChange();
  return s;
}

// The demo municipalities' search synonyms: words residents use for what the services call
// otherwise.
constexpr std::string_view kDemoSynonyms =
    "ماء: مياه\n"
    "تسريب: تسرب، ماء، مياه\n"
    "كسر: تسرب\n"
    "زبالة: نفايات\n"
    "قمامة: نفايات\n"
    "ضو: إنارة\n"
    "عمود: إنارة\n"
    "يافطة: لافتة\n"
    "بناية: بناء، مبنى\n"
    "حفر: حفريات\n"
    "ديون: براءة ذمة\n";

Result<int> SeedDemoServices(db::Database& db, int64_t now_ms) {
  std::string_view data;
  for (const auto& f : CatalogDataFiles()) {
    if (f.name == "demo-services.json") data = f.data;
  }
  json::error_code ec;
  auto v = json::parse(data, ec);
  if (ec || !v.is_object() || !v.as_object().contains("services"))
    return MakeError(ErrorCode::kInternal, "error.internal", "demo-services.json is malformed");
  TenancyStore tenancy(db, std::chrono::milliseconds(0));
  ServiceStore store(db);
  auto municipalities = tenancy.ListMunicipalities();
  if (!municipalities.ok()) return std::move(municipalities).error();
  // Public holidays of 2026 (the Islamic ones as expected; they move with the moon's sighting).
  static const std::pair<const char*, Text> kHolidays[] = {
      {"2026-01-01", {"رأس السنة الميلادية", "New Year's Day"}},
      {"2026-03-20", {"عيد الفطر", "Eid al-Fitr"}},
      {"2026-03-21", {"عيد الفطر", "Eid al-Fitr"}},
      {"2026-03-22", {"عيد الفطر", "Eid al-Fitr"}},
      {"2026-05-01", {"عيد العمال", "Labour Day"}},
      {"2026-05-26", {"عيد الأضحى", "Eid al-Adha"}},
      {"2026-05-27", {"عيد الأضحى", "Eid al-Adha"}},
      {"2026-05-28", {"عيد الأضحى", "Eid al-Adha"}},
      {"2026-05-29", {"عيد الأضحى", "Eid al-Adha"}},
      {"2026-06-16", {"رأس السنة الهجرية", "Islamic New Year"}},
      {"2026-08-25", {"المولد النبوي الشريف", "The Prophet's Birthday"}},
      {"2026-11-15", {"عيد الاستقلال", "Independence Day"}},
      {"2026-12-25", {"عيد الميلاد المجيد", "Christmas Day"}},
  };
  int written = 0;
  for (const auto& m : *municipalities) {
    auto departments = tenancy.Departments(m.id);
    if (!departments.ok()) return std::move(departments).error();
    for (const auto& item : v.as_object().at("services").as_array()) {
      if (!item.is_object()) continue;
      const auto& o = item.as_object();
      Service s;
      s.municipality_id = m.id;
      s.code = json::value_to<std::string>(o.at("code"));
      s.kind = json::value_to<std::string>(o.at("kind")) == "report" ? ServiceKind::kReport
                                                                     : ServiceKind::kApplication;
      const std::string dep = json::value_to<std::string>(o.at("department"));
      for (const auto& d : *departments) {
        if (d.slug == dep) s.department_id = d.id;
      }
      s.category = json::value_to<std::string>(o.at("category"));
      s.name = TextOf(o.if_contains("name"));
      s.description = TextOf(o.if_contains("description"));
      s.eligibility = TextOf(o.if_contains("eligibility"));
      if (auto* docs = o.if_contains("documents"); docs && docs->is_array()) {
        for (const auto& d : docs->as_array()) s.documents.push_back(TextOf(&d));
      }
      auto fee = ParseFee(json::serialize(o.at("fee")));
      if (!fee.ok())
        return MakeError(ErrorCode::kInternal, "error.internal",
                         "demo service " + s.code + ": " + fee.error().detail);
      s.fee = std::move(*fee);
      s.sla_days = static_cast<int>(o.at("sla_days").to_number<int64_t>());
      for (const auto& c : o.at("channels").as_array()) {
        s.channels.push_back(json::value_to<std::string>(c));
      }
      auto form = ParseFormSchema(json::serialize(o.at("form")));
      if (!form.ok())
        return MakeError(ErrorCode::kInternal, "error.internal",
                         "demo service " + s.code + ": " + form.error().detail);
      s.form = std::move(*form);
      if (auto* doc = o.if_contains("document")) {
        auto document = ParseDocumentTemplate(json::serialize(*doc));
        if (!document.ok())
          return MakeError(ErrorCode::kInternal, "error.internal",
                           "demo service " + s.code + ": " + document.error().detail);
        s.document = std::move(*document);
      }
      s.published = true;
      auto id = store.Save(s, now_ms);
      if (!id.ok()) return std::move(id).error();
      ++written;
    }
    for (const auto& [day, name] : kHolidays) {
      if (Status h = SaveHoliday(db, m.id, day, name); !h.ok()) return h.error();
    }
    // The demo synonyms, unless the admin has already written a list.
    auto synonyms = store.Synonyms(m.id);
    if (!synonyms.ok()) return std::move(synonyms).error();
    if (synonyms->empty()) {
      auto demo = ParseSynonyms(kDemoSynonyms);
      if (!demo.ok()) return std::move(demo).error();
      if (Status st = store.SetSynonyms(m.id, *demo, now_ms); !st.ok()) return st.error();
    }
  }
  return written;
}

}  // namespace baladiya::catalog

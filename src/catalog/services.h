// The service catalogue of each municipality: services with bilingual texts, their form schema,
// fee rules, SLA, channels and workflow; search that ignores Arabic spelling variants; the
// working calendar (rest days and holidays) SLAs are counted on.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/document_template.h"
#include "catalog/form_schema.h"
#include "catalog/search.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::catalog {

enum class ServiceKind { kApplication, kReport };
std::string_view ServiceKindName(ServiceKind k);  // "application" / "report"

// A service's own wording for one notification event ("submitted", "state_changed"); the
// catalogue's texts are used where a service has none. Placeholders: {tracking}, {service},
// and {state} for state_changed.
struct NotificationText {
  Text subject;
  Text body;
  Text sms;  // optional
  bool operator==(const NotificationText&) const = default;
};

struct Service {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string code;  // a slug, unique within the municipality: "building-permit"
  ServiceKind kind = ServiceKind::kApplication;
  int64_t department_id = 0;
  std::string category;  // "building", "water", "business", "roads", "environment", ...
  Text name;
  Text description;
  Text eligibility;
  std::vector<Text> documents;  // required documents
  Fee fee;
  int sla_days = 0;                   // working days
  std::vector<std::string> channels;  // of "web", "counter", "phone", "api"
  FormSchema form;
  std::string workflow_json;                              // empty: the default workflow
  std::map<std::string, NotificationText> notifications;  // by event
  DocumentTemplate document;  // what a completed case is issued (kind empty: nothing)
  bool published = false;
  int64_t version = 0;      // raised by every save (of a draft: the draft's own count)
  int64_t live_number = 0;  // the number of the published version this is (ServiceVersion)
  int64_t updated_at = 0;

  bool Offers(std::string_view channel) const;
};

const std::vector<std::string>& AllChannels();  // web, counter, phone, api

// Every text the service lacks in Arabic or English (its own, then its form's), as problems whose
// path ends in the language ("ar" or "en") and whose {in} argument is that language:
//   catalog.missing.name, .description, .eligibility  {in}; path {"name", lang}, ...
//   catalog.missing.document                          {n, in}; path {"documents", i, lang}
//   catalog.missing.notification_subject, _body, _sms {event, in};
//                                                     path {"notifications", event, part, lang}
//   the form's, as MissingTexts(FormSchema) gives them  path {"form", "pages", ...}
//   the document's, as MissingDocumentTexts gives them  path {"document", ...}
// ({n} counts from 1.) A service cannot be published while this is not empty.
std::vector<Problem> MissingTexts(const Service& s);

// The events a service may word itself, and the placeholders their notifications fill.
struct NotificationEvent {
  std::string_view name;                       // "submitted", "state_changed"
  std::vector<std::string_view> placeholders;  // "tracking", "service", "state"
};
const std::vector<NotificationEvent>& NotificationEvents();

// What is wrong with the wording a service gives its notifications, in the order of
// NotificationEvents, then subject, body and sms, then Arabic and English; each problem's path is
// {"notifications", event, part, lang}. An event the service words needs its subject and body in
// both languages and its text message in both or neither:
//   catalog.notification.subject_missing, .body_missing, .sms_missing  {event, in}
// and each text may use only its event's placeholders (the first unknown one of each text):
//   catalog.notification.placeholder  {name: the placeholder as written, "{foo}";
//                                      known: the event's, as written, separated by spaces}
// Events the service does not word, and events NotificationEvents does not name, are left alone.
// Save does not apply this check: it is the editors' (stored wording is sent as it is).
std::vector<Problem> NotificationProblems(const Service& s);

// The working calendar of a municipality as stored (defaults: Friday, Asia/Hebron).
struct CalendarData {
  std::set<int> rest_weekdays = {5};
  std::set<std::string> holidays;  // YYYY-MM-DD
  std::string time_zone = "Asia/Hebron";
};

// One version of a published service, for its history: the draft (number 0) while one is edited,
// then each published version, numbered from 1.
struct ServiceVersion {
  int64_t number = 0;
  // "draft"; "scheduled" (published, its time not yet come); "live" (what residents are served);
  // "replaced" (a later one took effect).
  std::string state;
  int64_t effective_from = 0;  // ms; 0 for the draft
  std::string created_by;      // the pseudonyms of who started it and who published it
  int64_t created_at = 0;
  std::string published_by;
  int64_t published_at = 0;
};

// Thread-safe. Find, Get and Calendar answer from a cache of this process (see
// CatalogEdition: its own changes show at once, other nodes' within max_age); copies of the store
// share the cache.
class ServiceStore {
 public:
  // now_ms (optional, the system clock when unset) decides which published version is in effect.
  explicit ServiceStore(db::Database& db,
                        std::chrono::milliseconds max_age = std::chrono::seconds(5),
                        std::function<int64_t()> now_ms = {});

  // Inserts or updates by (municipality, code); returns the id. kInvalid ("catalog.invalid")
  // for a bad code, channel, SLA or empty Arabic name, with the problem in Error::problems
  // (catalog.problem.bad_code {"code"}, catalog.problem.name_ar {"name", "ar"},
  // catalog.problem.sla_days {max} {"sla_days"}, catalog.problem.channel {channel}
  // {"channels", i}, form.problem.no_pages {"form", "pages"}); kInvalid
  // ("catalog.missing_texts") when it is to be published with texts missing: every MissingTexts
  // problem in Error::problems, and their readable paths ("name (en)", "field owner_id label
  // (ar)") in Error::fields as path -> "catalog.missing_text" for pages that list them as they
  // are. in_tx (optional) runs in the same transaction (e.g. the audit entry).
  Result<int64_t> Save(const Service& s, int64_t now_ms,
                       const std::function<Status(db::Tx&, int64_t id)>& in_tx = {});
  // Save for editors, with optimistic concurrency: expected_version is the version the editor
  // read. expected_version > 0 updates the service only while it still has that version (then
  // version + 1); kConflict ("catalog.conflict") when it changed since or does not exist.
  // expected_version 0 creates a new service (version 1); kConflict ("catalog.code_taken") when
  // the municipality already has one with this code. The same checks and in_tx as Save; nothing
  // is written when in_tx fails.
  Result<int64_t> SaveExpecting(const Service& s, int64_t expected_version, int64_t now_ms,
                                const std::function<Status(db::Tx&, int64_t id)>& in_tx = {});

  // What lists need, without parsing forms and fees (queues, menus): id, code, name, kind,
  // department, workflow, published; ordered like List.
  Result<std::vector<Service>> Summaries(int64_t municipality_id);
  // The municipality's services ordered by category then Arabic name.
  Result<std::vector<Service>> List(int64_t municipality_id, bool published_only);
  Result<Service> Find(int64_t municipality_id, std::string_view code);  // kNotFound
  Result<Service> Get(int64_t id);                                       // kNotFound
  // Published services whose names, descriptions or category contain every word of the query,
  // compared after Arabic search normalisation, in both languages, or its key (search.h: hamza
  // seats, the article and prefixes) or one of the municipality's synonyms for it. An empty
  // query lists all.
  Result<std::vector<Service>> Search(int64_t municipality_id, std::string_view query);
  // When a search found nothing: up to `limit` published services closest to the query
  // (search.h Closeness at least 0.34), closest first.
  Result<std::vector<Service>> Suggest(int64_t municipality_id, std::string_view query,
                                       size_t limit = 3);
  // The municipality's synonym list (search.h), in the order the admin wrote it.
  Result<std::vector<Synonym>> Synonyms(int64_t municipality_id);
  // Replaces the municipality's synonym list; in_tx (optional) runs in the same transaction.
  Status SetSynonyms(int64_t municipality_id, const std::vector<Synonym>& synonyms, int64_t now_ms,
                     const std::function<Status(db::Tx&)>& in_tx = {});

  // Versions. Every reader (Find, Get, List, Search, ...) serves the version in effect at the
  // store's clock: a published version whose effective_from has come replaces the live one at
  // the first read after it, on every node (no timer).
  //
  // The draft of the next version of a published service: kNotFound when none is being edited.
  // Its `version` is the draft's own count, its live_number the live version's.
  Result<Service> Draft(int64_t service_id);
  // Saves s as the draft of its (published) service, checked as SaveExpecting checks a published
  // service (kInvalid "catalog.missing_texts" for a text missing in either language). Without a
  // draft, expected_version is the live service's version and the draft starts at version + 1;
  // with one, the draft's. kConflict ("catalog.conflict") when it changed since; kNotFound when
  // the service does not exist. by: who edits (a pseudonym). in_tx as Save.
  Result<int64_t> SaveDraft(const Service& s, int64_t expected_version, const std::string& by,
                            int64_t now_ms,
                            const std::function<Status(db::Tx&, int64_t id)>& in_tx = {});
  // Publishes the draft (at expected_version) as the next version, in effect from effective_from
  // (now_ms or earlier: at once). kInvalid ("catalog.effective_past") for a time more than a minute
  // before now_ms; kConflict ("catalog.conflict") for a stale draft or none. Returns the new
  // number.
  Result<int64_t> PublishDraft(int64_t service_id, int64_t expected_version, int64_t effective_from,
                               const std::string& by, int64_t now_ms,
                               const std::function<Status(db::Tx&, int64_t id)>& in_tx = {});
  // A published version of the service as it was (its live_number the version's number); the
  // live one for its own number. kNotFound for a number never published (or not yet in effect).
  Result<Service> Version(int64_t service_id, int64_t number);
  // Drops the draft (nothing when there is none).
  Status DiscardDraft(int64_t service_id, const std::function<Status(db::Tx&)>& in_tx = {});
  // The draft (if any), then the published versions, newest first. A service published before
  // versions were kept shows its live one as number 1, published when it was last saved.
  Result<std::vector<ServiceVersion>> Versions(int64_t service_id);

  // The municipality's working calendar (LoadCalendar, cached).
  Result<CalendarData> Calendar(int64_t municipality_id);

 private:
  struct Cache;
  Result<Service> Load(int64_t municipality_id, std::string_view code);
  Result<Service> Load(int64_t id);
  // Puts in effect every scheduled version whose time has come (of one municipality, or of one
  // service when service_id > 0); returns the earliest time a scheduled one will come (INT64_MAX
  // when none).
  Result<int64_t> PromoteDue(int64_t municipality_id, int64_t service_id);
  int64_t Now() const;

  db::Database& db_;
  std::function<int64_t()> now_ms_;
  std::chrono::milliseconds max_age_;
  std::shared_ptr<Cache> cache_;
};

Result<CalendarData> LoadCalendar(db::Database& db, int64_t municipality_id);
Status SaveHoliday(db::Database& db, int64_t municipality_id, const std::string& day,
                   const Text& name);

// The demo catalogue (src/catalog/data/demo-services.json) for every demo municipality,
// published; and the 2026 public holidays. Idempotent. Returns the services written.
Result<int> SeedDemoServices(db::Database& db, int64_t now_ms);

}  // namespace baladiya::catalog

// open311: the Open311 GeoReport v2 server's rules and storage.
//
// What Open311 sees of the platform:
//   - services: the published report services that offer the "api" channel and ask nothing
//     Open311 cannot carry (no required file field); their form fields become attributes;
//   - requests: one public record per case of such a service, whichever channel it came through,
//     kept in step with the case by cases' state-change hook (open311_requests). A report filed
//     through Open311 adds what its client sent to be published (location, description,
//     media_url); the answers of every case stay sealed in cases, and an Open311 reporter's
//     contact details (email, names, phone, device and account ids) are sealed here, never
//     published and never logged;
//   - updates (the mySociety extension): every later state change of such a case.
//
// Who files: an Open311 API key belongs to one municipality and to an integration account
// created with it (a staff account with no role, whose password nobody knows). Reports sent
// with the key are filed as that account (applicant and filer, channel "api"), so the audit log
// names the key's account for each of them; integration accounts get no notifications.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/services.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "workflow/workflow.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::open311 {

// ---- API keys ---------------------------------------------------------------------------------

struct ApiKey {
  int64_t id = 0;
  int64_t municipality_id = 0;
  int64_t account_id = 0;         // the integration account reports are filed as
  std::string account_pseudonym;  // filled by Resolve: the actor in events and the audit log
  std::string label;
  int64_t created_at = 0;
  int64_t last_used_at = 0;
  int64_t revoked_at = 0;
  int64_t expires_at = 0;     // refused from then on
  bool notes_on_all = false;  // may post updates to any report of the municipality
};

// A key's terms, chosen when it is issued: how long it lives, and whether its updates may reach
// every report of the municipality (a partner such as a water utility working on all of them)
// or only the reports filed with the key itself (an app: the default).
struct KeyTerms {
  int days = 365;  // 1 to kMaxKeyDays
  bool notes_on_all = false;
};
inline constexpr int kMaxKeyDays = 730;

struct IssuedKey {
  std::string key;  // "o311_" + 43 base64url characters; shown once, stored only as SHA-256
  ApiKey record;
  std::string username;  // of the integration account
};

// Thread-safe; every call runs in its own transaction.
class KeyStore {
 public:
  KeyStore(db::Database& db, identity::AccountStore& accounts, audit::AuditLog* audit)
      : db_(db), accounts_(accounts), audit_(audit) {}

  // Issues a key for a municipality: creates its integration account (through identity, audited
  // there; named by the catalogue's "open311.account_name"), then stores the key's hash with an
  // "open311_key.issued" audit entry. kInvalid "open311.label_invalid" for an empty label, one
  // with control characters or one over 100 characters, "open311.key_days_invalid" for a
  // lifetime outside 1 to kMaxKeyDays days (nothing is created then). The audit entry records
  // the terms.
  Result<IssuedKey> Issue(int64_t municipality_id, const std::string& label,
                          identity::PasswordHasher& hasher, const i18n::Catalog& messages,
                          const identity::AuditContext& ctx, int64_t now_ms,
                          const KeyTerms& terms = {});
  // The live key of this municipality; kForbidden "open311.bad_api_key" for a key that is
  // unknown, revoked, of another municipality, or whose account is no longer active, and
  // kForbidden "open311.api_key_expired" for a key past its expiry.
  Result<ApiKey> Resolve(std::string_view key, int64_t municipality_id, int64_t now_ms);
  // kNotFound unless the key exists in the municipality and is live. Audited.
  Status Revoke(int64_t key_id, int64_t municipality_id, const identity::AuditContext& ctx,
                int64_t now_ms);
  Result<std::vector<ApiKey>> OfMunicipality(int64_t municipality_id);
  // Whether the account was created for an Open311 key (such accounts read no inbox).
  Result<bool> IsIntegrationAccount(int64_t account_id);

 private:
  db::Database& db_;
  identity::AccountStore& accounts_;
  audit::AuditLog* audit_;
};

// ---- the public record of reports -------------------------------------------------------------

// What an Open311 client sent with a report, beyond the form's answers.
struct Submission {
  int64_t key_id = 0;
  std::string lat;  // both set or both empty; decimal degrees as sent (validated)
  std::string lng;
  std::string address;
  std::string address_id;
  std::string description;
  std::string media_url;
};

// The reporter's contact details: personal data, sealed at rest (AD "open311:<tracking>").
struct Contact {
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string phone;
  std::string device_id;
  std::string account_id;
  bool Empty() const {
    return email.empty() && first_name.empty() && last_name.empty() && phone.empty() &&
           device_id.empty() && account_id.empty();
  }
};

struct Request {
  int64_t case_id = 0;
  std::string tracking;  // the service_request_id
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  int64_t department_id = 0;
  std::string state;  // the workflow state
  bool closed = false;
  int64_t requested_at = 0;
  int64_t updated_at = 0;
  int64_t expected_at = 0;
  std::string lat;
  std::string lng;
  std::string address;
  std::string address_id;
  std::string description;
  std::string media_url;
  int64_t key_id = 0;  // the API key it was filed with (0: another channel)
};

// An open report near a point (Store::Nearby), with its great-circle distance from it.
struct NearbyRequest {
  Request request;
  double distance_m = 0;
};

struct RequestFilter {
  int64_t municipality_id = 0;
  // When not empty, only these (canonical tracking numbers), and every other filter is ignored.
  std::vector<std::string> tracking;
  std::vector<int64_t> service_ids;  // empty: every service
  std::optional<bool> closed;        // nullopt: both
  int64_t from_ms = 0;               // requested at or after
  int64_t to_ms = 0;                 // requested at or before
  int offset = 0;
  int limit = 1000;
};

// A state change after submission, as the updates extension publishes it.
struct Update {
  std::string update_id;  // opaque
  std::string tracking;
  int64_t service_id = 0;
  std::string kind;  // "transition" or "reopened"
  std::string state;
  int64_t at = 0;
};

// An update an Open311 client posted to a request (POST servicerequestupdates).
struct ReceivedUpdate {
  int64_t key_id = 0;
  std::string client_update_id;  // the client's own id for it
  std::string status;            // upper case, as sent: OPEN, CLOSED, FIXED, ...
  int64_t client_at = 0;         // its updated_datetime
  std::string description;
  std::vector<std::string> media_urls;
  Contact contact;
};

// Thread-safe. Writes happen inside the callers' transactions (the cases hook) or their own.
class Store {
 public:
  Store(db::Database& db, const crypto::Key32& master);

  // An observer of cases (CaseStore::AddObserver): keeps the record of every case of a report
  // service in step (inserted on submission, state and dates on each change, an update row for each
  // change after submission; a transfer to another municipality also moves the record and its
  // updates to the new municipality, service and department). Other services' cases are ignored.
  Status OnStateChange(db::Tx& tx, const cases::StateChange& change);
  // Inside the submission's transaction, after OnStateChange: what the client sent to be
  // published, and the contact details sealed.
  Status RecordSubmission(db::Tx& tx, const cases::StateChange& change, const Submission& details,
                          const Contact& contact);

  // Newest first (by requested time, then case), limit rows from offset.
  Result<std::vector<Request>> Find(const RequestFilter& f);
  // kNotFound unless the tracking number is a request of the municipality.
  Result<Request> Get(int64_t municipality_id, std::string_view tracking);
  // The sealed contact details of a request (empty when it came through another channel).
  Result<Contact> ContactOf(int64_t municipality_id, std::string_view tracking);

  // The open reports of a service in a municipality within radius_m metres (great-circle) of
  // (lat, lng), nearest first, at most limit; exclude_case_id (when not 0) is left out. Only
  // reports with coordinates take part (nearby.cpp). kInvalid for coordinates out of range or a
  // radius outside (0, 1000].
  Result<std::vector<NearbyRequest>> Nearby(int64_t municipality_id, int64_t service_id, double lat,
                                            double lng, double radius_m, int limit,
                                            int64_t exclude_case_id = 0);

  // Updates of the municipality in [from_ms, to_ms], oldest first.
  Result<std::vector<Update>> Updates(int64_t municipality_id, int64_t from_ms, int64_t to_ms,
                                      int offset, int limit);
  // The updates of one request of the municipality (its public history after submission),
  // oldest first; empty for a case of another municipality.
  Result<std::vector<Update>> UpdatesOf(int64_t municipality_id, int64_t case_id);

  // Records an update posted to a request, once per (key, client's update id): a repeat returns
  // the first receipt and stores nothing. The description and contact details are sealed.
  // kConflict "open311.update_id_reused" when the client's id was used for another request.
  struct Receipt {
    int64_t id = 0;
    std::string update_id;  // ours, opaque
    bool noted = false;     // the case carries it as a note (MarkNoted)
  };
  Result<Receipt> Receive(const Request& request, const ReceivedUpdate& update, int64_t now_ms);
  // Records that the update was added to the case's notes, so that a client's retry does not add
  // it twice (and a retry after a failed note adds it then).
  Status MarkNoted(int64_t receipt_id);

 private:
  db::Database& db_;
  crypto::Key32 key_;
};

std::vector<db::Migration> Migrations();

// ---- services and their definitions -----------------------------------------------------------

// Whether Open311 offers the service (see the top of this file).
bool Offered(const catalog::Service& s);

// The form field Open311's description fills: the text or long text field named "description",
// or null. The form field the location fills: the first location field, or null.
const catalog::Field* DescriptionField(const catalog::FormSchema& form);
const catalog::Field* LocationField(const catalog::FormSchema& form);

// The Open311 datatype of a field, or empty for fields that are not attributes (location and
// file fields). text -> string, long text -> text, number -> number, date -> datetime, single
// choice and yes/no -> singlevaluelist, multiple choice -> multivaluelist, national ID, phone
// and email -> string.
std::string_view Datatype(catalog::FieldType type);

// The form's fields that are attributes, in form order (the description field left out).
std::vector<const catalog::Field*> Attributes(const catalog::FormSchema& form);

// The mySociety extended status of a case in `state` (lower case): "reopen" for a reopening;
// "duplicate" for a report merged into another (kind "merged"); in a final state "fixed"
// (completed, fixed, resolved), "duplicate", or "closed"; "open" in the workflow's initial state;
// "in_progress" otherwise.
std::string ExtendedStatus(const workflow::Workflow& wf, std::string_view state,
                           std::string_view kind);

// ---- places (nearby.cpp) -----------------------------------------------------------------------

// How far the duplicate check looks: open reports of the same service this close are shown
// before a new one is filed.
inline constexpr double kDuplicateRadiusMetres = 50;
// How many of them are shown at most.
inline constexpr int kDuplicateLimit = 10;

// "lat,lng" in decimal degrees (a location answer as catalog::ValidateAnswers normalises it),
// within [-90, 90] and [-180, 180]: true with the coordinates set; false for anything else (an
// address or a landmark).
bool ParseCoordinates(std::string_view text, double& lat, double& lng);
// Decimal degrees as whole micro-degrees, rounded to the nearest.
int64_t MicroDegrees(double degrees);
// The great-circle distance in metres between two points (haversine, mean Earth radius).
double DistanceMetres(double lat1, double lng1, double lat2, double lng2);

// ---- dates ------------------------------------------------------------------------------------

// The W3C profile of ISO 8601 the specification requires, with its zone: "2010-05-24T00:00:00Z",
// "2010-04-14T06:37:38-08:00", optional fractional seconds, years from 1970. nullopt for anything
// else.
std::optional<int64_t> ParseDateTime(std::string_view text);

// The open311 module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::open311

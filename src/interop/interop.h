// interop: Baladiya in the X-Road ecosystem. As a provider, the municipality answers other
// authorities' information systems through its security server (REST services under
// /api/v1/xroad/{slug}/, openapi.json): a person's clearance status and a case's status. The
// calling client subsystem is named by the X-Road-Client header; access is denied unless the
// municipal admin granted that client that service (a page and `baladiya xroad`). Every
// exchange, answered or refused, goes to the message log (hashes of request and response,
// client, service, time), with an entry in the audit log, so a later dispute can be settled.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/result.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::interop {

// An X-Road subsystem: INSTANCE/CLASS/MEMBER/SUBSYSTEM (the X-Road-Client header's value).
struct ClientId {
  std::string instance;      // "PS"
  std::string member_class;  // "GOV", "COM", ...
  std::string member_code;   // "MOI"
  std::string subsystem;     // "civil-registry"
  std::string Text() const;  // "PS/GOV/MOI/civil-registry"
};

// Parses the header's value: four parts separated by '/', each 1 to 64 of letters, digits and
// "-_.:" (a member without a subsystem is refused: access is granted to subsystems).
// kInvalid "interop.client_malformed".
Result<ClientId> ParseClientId(std::string_view text);

// The provider's services (their codes in grants, the message log and the path).
inline constexpr std::string_view kClearanceService = "clearance";
inline constexpr std::string_view kCaseStatusService = "case-status";
inline constexpr std::string_view kDocumentService = "document-register";
// Every provider service, in the order pages and commands list them.
inline constexpr std::array<std::string_view, 3> kServices = {kClearanceService, kCaseStatusService,
                                                              kDocumentService};
bool KnownService(std::string_view code);

struct AccessGrant {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string client;   // ClientId::Text()
  std::string service;  // a KnownService
  std::string granted_by;
  int64_t granted_at = 0;
};

// One exchange of the message log.
struct Message {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string direction = "in";  // "in": another authority asked us
  std::string client;            // as named by X-Road-Client ("" when missing or malformed)
  std::string service;
  std::string xroad_id;  // X-Road-Id, echoed in the answer
  std::string user_id;   // X-Road-UserId: the person at the client who asked
  std::string purpose;   // the legal basis or purpose the client gave (X-Road-Purpose), if any
  std::string subject;   // SubjectKey of the national ID asked about, or ""
  int status = 0;
  std::string request_hash;   // hex SHA-256 of the request as received (method, target,
                              // X-Road headers, body)
  std::string response_hash;  // hex SHA-256 of the response body
  int64_t at = 0;
};

// Who acts on the grants (audited).
struct Actor {
  std::string pseudonym;  // "system" from the command line
  std::string request_id;
};

// Grants and the message log. Thread-safe; every call runs in its own transaction.
class Store {
 public:
  // blind_index: the key file's; a key derived from it hashes national IDs for SubjectKey.
  Store(db::Database& db, const crypto::Key32& blind_index, audit::AuditLog* audit);

  // Grants `client` the service in the municipality (again: the same grant). kInvalid
  // "interop.client_malformed" / "interop.service_unknown". Audited "xroad.grant".
  Result<AccessGrant> Grant(int64_t municipality_id, std::string_view client,
                            std::string_view service, const Actor& actor, int64_t now_ms);
  // kNotFound when there was no such grant. Audited "xroad.revoke".
  Status Revoke(int64_t municipality_id, std::string_view client, std::string_view service,
                const Actor& actor, int64_t now_ms);
  // The municipality's grants by client and service.
  Result<std::vector<AccessGrant>> Grants(int64_t municipality_id);
  Result<bool> Allowed(int64_t municipality_id, std::string_view client, std::string_view service);

  // Writes one exchange to the message log with its audit entry ("xroad.exchange", actor the
  // client, object the service; the details hashed: both hashes, status, X-Road-Id), in one
  // transaction.
  Status Log(const Message& m, std::string_view request_id);
  // Records one identity check of the account: its outcome ("verified", "mismatch",
  // "not_found", "unavailable") and, when the registry was asked, the exchange (m) in the
  // message log and the audit log; in one transaction. m.service empty: no exchange to log.
  Status RecordCheck(int64_t account_id, std::string_view verdict, const Message& m,
                     std::string_view request_id);
  struct IdentityCheck {
    std::string verdict;
    int64_t at = 0;
  };
  // How many checks of the account the registry answered since since_ms (the daily limit).
  Result<int64_t> AnsweredChecksSince(int64_t account_id, int64_t since_ms);
  // The account's latest check (verdict empty when none).
  Result<IdentityCheck> LastCheck(int64_t account_id);

  // What the message log holds about a person (SubjectKey of their national ID), newest first.
  Result<std::vector<Message>> About(std::string_view subject, int limit = 200);
  // The municipality's latest exchanges, newest first.
  Result<std::vector<Message>> Recent(int64_t municipality_id, int limit = 50);

  // A keyed hash of a national ID (digits in any script; "" for an empty one).
  std::string SubjectKey(std::string_view national_id) const;

 private:
  db::Database& db_;
  crypto::Key32 subject_key_;
  audit::AuditLog* audit_;
};

// What other modules offer the provider's services, filled by the app (app/shell.cpp), which
// knows them; interop knows none of them. An unset function answers 503.
struct Providers {
  // Does the person with this national ID owe anything in the municipality?
  std::function<Result<bool>(int64_t municipality_id, std::string_view national_id)> owes;
  struct CaseStatus {
    std::string tracking;
    int64_t municipality_id = 0;
    std::string service;  // the service's code
    std::string state;    // the workflow state's key
    bool closed = false;
    int64_t submitted_at = 0;
    int64_t updated_at = 0;
    // The applicant's national ID, so that the query shows on their "who looked at my data"
    // page; never answered to the client. Empty when unknown.
    std::string applicant_national_id;
  };
  // kInvalid for a malformed tracking number, kNotFound for none.
  std::function<Result<CaseStatus>(std::string_view tracking)> case_status;
  // An issued document as the register holds it: what it is and where it stands, never its
  // holder or its facts.
  struct DocumentStatus {
    std::string number;
    int64_t municipality_id = 0;
    std::string service;   // the service's code
    std::string kind;      // certificate, permit, licence
    std::string standing;  // valid, revoked, expired (at the time asked)
    int64_t issued_at = 0;
    int64_t expires_at = 0;  // 0: does not expire
    int64_t revoked_at = 0;  // 0: not revoked
    // The holder's national ID, for their "who looked at my data" page; never answered.
    std::string holder_national_id;
  };
  // kInvalid for a malformed document number, kNotFound for none.
  std::function<Result<DocumentStatus>(std::string_view number, int64_t now_ms)> document;
};

std::vector<db::Migration> Migrations();
module::Module Module();

}  // namespace baladiya::interop

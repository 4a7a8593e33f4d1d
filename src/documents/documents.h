// documents: what a completed case is issued. A service whose definition names a document
// (catalog::DocumentTemplate: a certificate, a permit or a licence) issues it when its case
// enters the chosen final state, inside that change's transaction (a cases::CaseStore observer):
// numbered per municipality and year, with the holder, the facts the answers supply, issue and
// expiry dates and the issuing office, its text filled from the service's bilingual template,
// and a code for its QR signed with the municipality's Ed25519 key (code.h) that anyone can
// check offline against the published key set. Department heads revoke documents with a reason
// (audited); /verify says whether a code is valid, revoked or expired.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "documents/code.h"
#include "identity/identity.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::documents {

struct Document {
  int64_t id = 0;
  std::string number;  // "HEBD-26-000001-7": municipality, year, sequence, check digit
  int64_t municipality_id = 0;
  std::string issuer;  // the municipality's slug
  int64_t department_id = 0;
  int64_t case_id = 0;
  std::string tracking;
  int64_t service_id = 0;
  std::string service_code;
  std::string kind;  // certificate, permit, licence
  int64_t holder_account = 0;
  catalog::Text holder;   // the applicant's name
  std::string holder_id;  // their national ID, masked
  catalog::Text title;
  catalog::Text body;  // placeholders filled
  // The facts: a field's name, its label in both languages, and the answer shown in each.
  struct Fact {
    std::string field;
    catalog::Text label;
    catalog::Text value;
    std::string raw;  // the answer as stored (what the code carries)
  };
  std::vector<Fact> facts;
  catalog::Text office;  // "Revenue, Hebron Municipality"
  int64_t issued_at = 0;
  int64_t expires_at = 0;
  std::string code;  // the QR's signed code, "BL1:..."
  std::string pdf_sha256;
  int64_t pdf_size = 0;
  int64_t revoked_at = 0;  // 0: not revoked
  std::string revoked_reason;
};

// Where a document stands at a moment.
enum class Standing { kValid, kRevoked, kExpired };
std::string_view StandingName(Standing s);  // "valid", "revoked", "expired"
Standing StandingOf(const Document& d, int64_t now_ms);

// A public key of the published key set.
struct PublicKey {
  std::string kid;  // raw 8 bytes
  int64_t municipality_id = 0;
  std::string issuer;  // the municipality's slug
  int generation = 0;
  std::array<uint8_t, 32> key{};
  int64_t created_at = 0;
  int64_t retired_at = 0;  // 0: the key that signs now
};

// The key set as published (a JWK set, RFC 8037 OKP keys with kid and the issuer), and back:
// `baladiya document verify` reads a saved copy.
std::string KeySetJson(const std::vector<PublicKey>& keys);
Result<std::vector<PublicKey>> ParseKeySet(std::string_view json);

// The result of checking a code.
struct Check {
  // "valid", "revoked", "expired"; or a refusal: "malformed" (not a code), "unknown_key"
  // (signed by a key not in the set), "bad_signature" (altered, or signed by someone else).
  std::string outcome;
  Claims claims;                     // when the signature holds
  std::optional<Document> document;  // the server's record, when it has one
  std::string revoked_reason;
  int64_t revoked_at = 0;
};
// Checks a code against a key set, offline: signature, then expiry; `revoked` says whether the
// document's number is revoked (unset: never).
Check CheckCode(std::string_view text, const std::vector<PublicKey>& keys, int64_t now_ms,
                const std::function<bool(const std::string& number)>& revoked = {});

// What documents needs of modules that do not know it, filled by the program (app/shell.cpp).
struct Extensions {
  // Whether the account owes the municipality anything (payments: invoices, dues). Unset: no
  // one can tell, and a document that may only go to someone who owes nothing (a clearance
  // certificate) is refused rather than issued unchecked.
  std::function<Result<bool>(db::Tx& tx, int64_t municipality_id, int64_t account_id)> owes;
};

// Per-municipality Ed25519 signing keys, derived from the key file's signing seed (crypto_kdf,
// context "docsign1", subkey id = municipality id << 20 | generation): only public keys and
// generations are stored. The newest generation signs; rotation adds one and retires the
// former, which stays in the key set so that what it signed keeps verifying.
class KeyStore {
 public:
  KeyStore(db::Database& db, const crypto::Key32& signing_seed);
  // The municipality's signing key, created (generation 1) on first use inside tx.
  Result<std::pair<crypto::SigningKey, PublicKey>> Current(db::Tx& tx, int64_t municipality_id,
                                                           const std::string& issuer,
                                                           int64_t now_ms);
  // The same in a transaction of its own.
  Result<std::pair<crypto::SigningKey, PublicKey>> Current(int64_t municipality_id,
                                                           const std::string& issuer,
                                                           int64_t now_ms);
  // A new generation for the municipality; returns it.
  Result<PublicKey> Rotate(int64_t municipality_id, const std::string& issuer, int64_t now_ms);
  // Every key of every municipality, oldest first (cached for a few seconds).
  Result<std::vector<PublicKey>> All();
  crypto::SigningKey Secret(int64_t municipality_id, int generation) const;

 private:
  db::Database& db_;
  crypto::Key32 seed_;
  struct Cache;
  std::shared_ptr<Cache> cache_;
};

struct StoreDeps {
  db::Database* db = nullptr;
  KeyStore* keys = nullptr;
  audit::AuditLog* audit = nullptr;
  cases::CaseStore* cases = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  identity::AccountStore* accounts = nullptr;
  const i18n::Catalog* messages = nullptr;
  const Extensions* extensions = nullptr;
  // Draws the document's PDF (pdf.h); unset: documents without a PDF.
  std::function<Result<std::string>(db::Tx&, const Document&)> render_pdf;
};

// What a document's code carries.
Claims ClaimsOf(const Document& d);

// Thread-safe.
class DocumentStore {
 public:
  explicit DocumentStore(StoreDeps deps) : d_(deps) {}

  // The observer of cases: issues the service's document when the case enters its issuing
  // state (once per case). kConflict "documents.owes" when the document may only go to someone
  // who owes nothing and the holder owes something, "documents.dues_unknown" when that cannot
  // be told: the change is then refused.
  Status OnStateChange(db::Tx& tx, const cases::StateChange& change);

  // kNotFound when the case has no document.
  Result<Document> OfCase(int64_t case_id);
  // kNotFound for an unknown number.
  Result<Document> Find(std::string_view number);
  // The holder's documents, newest first.
  Result<std::vector<Document>> OfHolder(int64_t account_id);
  // The stored PDF; kNotFound when there is none.
  Result<std::string> Pdf(std::string_view number);

  // Checks a code against the published keys and the stored record (revocation).
  Result<Check> Verify(std::string_view text, int64_t now_ms);

  // Revokes a document of the municipality with a reason (1..500 characters), audited.
  // kNotFound for none; kConflict "documents.already_revoked"; kInvalid
  // "documents.reason_required".
  Status Revoke(std::string_view number, int64_t municipality_id, std::string_view reason,
                const std::string& actor, const std::string& request_id, int64_t now_ms);
  // Revoked documents (number, when), newest first; of one municipality, or all (0).
  Result<std::vector<std::pair<std::string, int64_t>>> Revoked(int64_t municipality_id);

 private:
  Result<Document> Issue(db::Tx& tx, const cases::StateChange& change);
  StoreDeps d_;
};

// The revocation list, signed by the platform's document key (generation 0 of municipality 0):
// {"payload": base64url(JSON {"issued_at", "revoked":[{"number","revoked_at"}]}),
//  "kid": base64url, "signature": base64url(Ed25519 over the payload bytes)}.
Result<std::string> SignedRevocationList(DocumentStore& store, KeyStore& keys, int64_t now_ms);

std::vector<db::Migration> Migrations();

// The documents module as the program is built from it (module.cpp).
module::Module Module();

}  // namespace baladiya::documents

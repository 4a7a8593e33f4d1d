// The PDF signature a reader shows as "signed, unaltered" (PAdES baseline B-B, ETSI EN 319 142):
// an incremental update to the PDF adding a signature field and its signature dictionary
// (/SubFilter /ETSI.CAdES.detached), whose /Contents is a detached CMS SignedData made with
// OpenSSL over the two /ByteRange spans, with the ESS signing-certificate-v2 attribute; and the
// municipality's signing certificate (ECDSA P-256, self-issued, its key sealed with the key
// file's master key), created on first use.
#pragma once

#include <memory>
#include <string>

#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::documents {

// A municipality's PDF signing key and certificate (OpenSSL objects, freed with it).
class PdfSigner {
 public:
  ~PdfSigner();
  PdfSigner(const PdfSigner&) = delete;
  PdfSigner& operator=(const PdfSigner&) = delete;

  // A new key and a certificate for subject_name valid for ten years from now_ms.
  static Result<std::unique_ptr<PdfSigner>> Generate(const std::string& subject_name,
                                                     int64_t now_ms);
  // From the PEM forms (the key's unsealed).
  static Result<std::unique_ptr<PdfSigner>> FromPem(const std::string& key_pem,
                                                    const std::string& cert_pem);
  std::string KeyPem() const;
  std::string CertPem() const;
  // The certificate's SHA-256 (hex), to show and compare.
  std::string CertSha256() const;

  // Signs pdf (as cairo writes it: one page, a classic cross-reference table) with an
  // incremental update; when_ms is the signing time (/M). kInvalid when the PDF is not of that
  // shape, kInternal when OpenSSL fails.
  Result<std::string> Sign(const std::string& pdf, int64_t when_ms, const std::string& name,
                           const std::string& reason) const;

 private:
  PdfSigner() = default;
  void* key_ = nullptr;   // EVP_PKEY
  void* cert_ = nullptr;  // X509
};

// The municipalities' PDF signers, stored (document_certificates): the key sealed with master,
// the certificate in the clear. Thread-safe.
class CertificateStore {
 public:
  CertificateStore(db::Database& db, const crypto::Key32& master) : db_(db), master_(master) {}
  // The municipality's signer, created inside tx when it has none.
  Result<std::unique_ptr<PdfSigner>> ForMunicipality(db::Tx& tx, int64_t municipality_id,
                                                     const std::string& subject_name,
                                                     int64_t now_ms);
  // The same in a transaction of its own (seeding).
  Result<std::unique_ptr<PdfSigner>> ForMunicipality(int64_t municipality_id,
                                                     const std::string& subject_name,
                                                     int64_t now_ms);

 private:
  db::Database& db_;
  crypto::Key32 master_;
};

}  // namespace baladiya::documents

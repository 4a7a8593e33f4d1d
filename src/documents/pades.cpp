#include "documents/pades.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <regex>
#include <string>
#include <vector>

namespace baladiya::documents {
namespace {

// Room for the CMS SignedData (hex doubles it): an ECDSA P-256 certificate and one signer need
// about 1 KB.
constexpr size_t kContentsBytes = 3000;

Error OpenSslError(const char* what) {
  return MakeError(ErrorCode::kInternal, "error.internal", std::string("openssl: ") + what);
}

Error NotCairo(const char* what) {
  return MakeError(ErrorCode::kInvalid, "documents.pdf_unexpected",
                   std::string("PDF to sign: ") + what);
}

EVP_PKEY* Key(void* p) { return static_cast<EVP_PKEY*>(p); }
X509* Cert(void* p) { return static_cast<X509*>(p); }

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

// A PDF text string in UTF-16BE with its byte order mark, as hex.
std::string PdfText(const std::string& utf8) {
  std::string out = "<FEFF";
  char buf[5];
  auto unit = [&](uint32_t u) {
    std::snprintf(buf, sizeof buf, "%04X", u);
    out += buf;
  };
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = c;
    int n = 1;
    if (c >= 0xf0) {
      cp = c & 0x07;
      n = 4;
    } else if (c >= 0xe0) {
      cp = c & 0x0f;
      n = 3;
    } else if (c >= 0xc0) {
      cp = c & 0x1f;
      n = 2;
    }
    for (int k = 1; k < n && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    }
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xd800 + (cp >> 10));
      unit(0xdc00 + (cp & 0x3ff));
    } else {
      unit(cp);
    }
  }
  return out + ">";
}

// The dictionary of object `number` (from "<<" to its last ">>"), or empty.
std::string ObjectDict(const std::string& pdf, int64_t number) {
  const std::string head = "\n" + std::to_string(number) + " 0 obj";
  size_t at = pdf.rfind(head);
  if (at == std::string::npos) return {};
  size_t end = pdf.find("endobj", at);
  size_t open = pdf.find("<<", at);
  if (end == std::string::npos || open == std::string::npos || open > end) return {};
  size_t close = pdf.rfind(">>", end);
  if (close == std::string::npos || close < open) return {};
  return pdf.substr(open, close + 2 - open);
}

bool Number(const std::string& text, const char* pattern, int64_t& out) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return false;
  out = std::stoll(m[1].str());
  return true;
}

std::string PdfDate(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%SZ", &tm);
  return buf;
}

// ESS SigningCertificateV2 (RFC 5035) naming the certificate by its SHA-256 (the default
// algorithm, so left out): SEQUENCE { SEQUENCE OF { SEQUENCE { OCTET STRING hash } } }.
std::string SigningCertificateV2(X509* cert) {
  unsigned char* der = nullptr;
  int n = i2d_X509(cert, &der);
  std::string hash = crypto::Sha256(std::string_view(reinterpret_cast<char*>(der), n));
  OPENSSL_free(der);
  return std::string("\x30\x26\x30\x24\x30\x22\x04\x20", 8) + hash;
}

}  // namespace

PdfSigner::~PdfSigner() {
  EVP_PKEY_free(Key(key_));
  X509_free(Cert(cert_));
}

Result<std::unique_ptr<PdfSigner>> PdfSigner::Generate(const std::string& subject_name,
                                                       int64_t now_ms) {
  std::unique_ptr<PdfSigner> s(new PdfSigner());
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) return OpenSslError("EC key generation");
  s->key_ = key;
  X509* x = X509_new();
  if (!x) return OpenSslError("X509_new");
  s->cert_ = x;
  X509_set_version(x, 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
  BN_free(bn);
  const time_t now = static_cast<time_t>(now_ms / 1000);
  ASN1_TIME_set(X509_getm_notBefore(x), now);
  ASN1_TIME_set(X509_getm_notAfter(x), now + time_t{10} * 365 * 86400);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("PS"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(subject_name.c_str()), -1, -1,
                             0);
  const std::string cn = subject_name + " - documents";
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (const auto& [nid, value] :
       {std::pair{NID_basic_constraints, "critical,CA:FALSE"},
        std::pair{NID_key_usage, "critical,digitalSignature,nonRepudiation"},
        std::pair{NID_subject_key_identifier, "hash"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) return OpenSslError("certificate extension");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(x, key, EVP_sha256()) <= 0) return OpenSslError("X509_sign");
  return s;
}

Result<std::unique_ptr<PdfSigner>> PdfSigner::FromPem(const std::string& key_pem,
                                                      const std::string& cert_pem) {
  std::unique_ptr<PdfSigner> s(new PdfSigner());
  BIO* kb = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  s->key_ = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
  BIO_free(kb);
  BIO* cb = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  s->cert_ = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  BIO_free(cb);
  if (!s->key_ || !s->cert_) return OpenSslError("reading the signing key or certificate");
  return s;
}

std::string PdfSigner::KeyPem() const {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, Key(key_), nullptr, nullptr, 0, nullptr, nullptr);
  std::string out = BioText(b);
  BIO_free(b);
  return out;
}

std::string PdfSigner::CertPem() const {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, Cert(cert_));
  std::string out = BioText(b);
  BIO_free(b);
  return out;
}

std::string PdfSigner::CertSha256() const {
  unsigned char* der = nullptr;
  int n = i2d_X509(Cert(cert_), &der);
  std::string out = crypto::Sha256Hex(std::string_view(reinterpret_cast<char*>(der), n));
  OPENSSL_free(der);
  return out;
}

namespace {

// PAdES baseline B-B leaves the CMS signing-time attribute out (the time is the signature
// dictionary's /M), but OpenSSL adds one whenever it signs attributes. So it is taken out after,
// and the remaining signed attributes are signed again: their DER as a SET OF (the elements
// sorted by their encodings, as DER and OpenSSL's own encoder order them), signed with the key,
// becomes the signer's signature.
bool WithoutSigningTime(CMS_SignerInfo* si, EVP_PKEY* key) {
  const int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at < 0) return true;
  X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, at));
  std::vector<std::string> parts;
  for (int i = 0; i < CMS_signed_get_attr_count(si); ++i) {
    unsigned char* buf = nullptr;
    const int n = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &buf);
    if (n <= 0) return false;
    parts.emplace_back(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
    OPENSSL_free(buf);
  }
  std::sort(parts.begin(), parts.end());
  std::string body;
  for (const std::string& p : parts) body += p;
  std::string set = "\x31";
  if (body.size() < 0x80) {
    set += static_cast<char>(body.size());
  } else {
    std::string len;
    for (size_t n = body.size(); n > 0; n >>= 8)
      len.insert(len.begin(), static_cast<char>(n & 0xff));
    set += static_cast<char>(0x80 | len.size());
    set += len;
  }
  set += body;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t sig_len = 0;
  bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &sig_len,
                           reinterpret_cast<const unsigned char*>(set.data()), set.size()) == 1;
  std::string sig(sig_len, '\0');
  ok = ok && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                            reinterpret_cast<const unsigned char*>(set.data()), set.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return false;
  return ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig.data(),
                         static_cast<int>(sig_len)) == 1;
}

}  // namespace

Result<std::string> PdfSigner::Sign(const std::string& pdf, int64_t when_ms,
                                    const std::string& name, const std::string& reason) const {
  // The last trailer: the catalog, the document information, the objects' count, and where the
  // cross-reference table starts.
  const size_t trailer_at = pdf.rfind("trailer");
  const size_t startxref_at = pdf.rfind("startxref");
  if (trailer_at == std::string::npos || startxref_at == std::string::npos) {
    return NotCairo("no classic trailer");
  }
  const std::string trailer = pdf.substr(trailer_at, startxref_at - trailer_at);
  int64_t size = 0, root = 0, info = 0, prev = 0, pages = 0, page = 0;
  if (!Number(trailer, R"(/Size (\d+))", size) || !Number(trailer, R"(/Root (\d+) 0 R)", root) ||
      !Number(pdf.substr(startxref_at), R"(startxref\s+(\d+))", prev)) {
    return NotCairo("trailer without /Size, /Root or startxref");
  }
  const bool has_info = Number(trailer, R"(/Info (\d+) 0 R)", info);
  const std::string catalog = ObjectDict(pdf, root);
  if (catalog.empty() || !Number(catalog, R"(/Pages (\d+) 0 R)", pages)) {
    return NotCairo("no catalog");
  }
  const std::string tree = ObjectDict(pdf, pages);
  if (!Number(tree, R"(/Kids \[\s*(\d+) 0 R)", page)) return NotCairo("no page");
  const std::string page_dict = ObjectDict(pdf, page);
  if (page_dict.empty() || page_dict.find("/Annots") != std::string::npos ||
      catalog.find("/AcroForm") != std::string::npos) {
    return NotCairo("a page with annotations, or a form already");
  }

  std::string out = pdf;
  if (out.back() != '\n') out.push_back('\n');
  std::vector<std::pair<int64_t, size_t>> offsets;
  const int64_t sig = size;
  const int64_t field = size + 1;
  auto object = [&](int64_t number, const std::string& dict) {
    offsets.emplace_back(number, out.size());
    out += std::to_string(number) + " 0 obj\n" + dict + "\nendobj\n";
  };
  // The page and the catalog again, now naming the signature field.
  object(page, page_dict.substr(0, page_dict.size() - 2) + "/Annots [" + std::to_string(field) +
                   " 0 R] >>");
  object(root, catalog.substr(0, catalog.size() - 2) + "/AcroForm << /Fields [" +
                   std::to_string(field) + " 0 R] /SigFlags 3 >> >>");
  const std::string placeholder = "[0 0000000000 0000000000 0000000000]";
  object(sig, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange " +
                  placeholder + " /Contents <" + std::string(kContentsBytes * 2, '0') + "> /M (" +
                  PdfDate(when_ms) + ") /Name " + PdfText(name) + " /Reason " + PdfText(reason) +
                  " >>");
  object(field, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V " +
                    std::to_string(sig) + " 0 R /F 132 /Rect [0 0 0 0] /P " + std::to_string(page) +
                    " 0 R >>");
  std::sort(offsets.begin(), offsets.end());
  const size_t xref = out.size();
  out += "xref\n";
  char entry[32];
  for (const auto& [number, offset] : offsets) {
    std::snprintf(entry, sizeof entry, "%lld 1\n%010zu 00000 n\r\n", static_cast<long long>(number),
                  offset);
    out += entry;
  }
  out += "trailer\n<< /Size " + std::to_string(size + 2) + " /Root " + std::to_string(root) +
         " 0 R" + (has_info ? " /Info " + std::to_string(info) + " 0 R" : std::string()) +
         " /Prev " + std::to_string(prev) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";

  // The two spans around /Contents' hex string, written into /ByteRange, then signed.
  const size_t range_at = out.rfind(placeholder);
  const size_t contents_at = out.find("/Contents <", range_at) + std::string("/Contents ").size();
  const size_t contents_end = contents_at + kContentsBytes * 2 + 2;
  char range[64];
  std::snprintf(range, sizeof range, "[0 %010zu %010zu %010zu]", contents_at, contents_end,
                out.size() - contents_end);
  out.replace(range_at, placeholder.size(), range);
  const std::string signed_bytes = out.substr(0, contents_at) + out.substr(contents_end);

  BIO* data = BIO_new_mem_buf(signed_bytes.data(), static_cast<int>(signed_bytes.size()));
  CMS_ContentInfo* cms =
      CMS_sign(nullptr, nullptr, nullptr, nullptr, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
  CMS_SignerInfo* si =
      cms ? CMS_add1_signer(cms, Cert(cert_), Key(key_), EVP_sha256(), CMS_BINARY | CMS_NOSMIMECAP)
          : nullptr;
  const std::string ess = SigningCertificateV2(Cert(cert_));
  bool ok = si &&
            CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                        ess.data(), static_cast<int>(ess.size())) > 0 &&
            CMS_final(cms, data, nullptr, CMS_DETACHED | CMS_BINARY) > 0 &&
            WithoutSigningTime(si, Key(key_));
  std::string der;
  if (ok) {
    unsigned char* buf = nullptr;
    int n = i2d_CMS_ContentInfo(cms, &buf);
    if (n > 0) der.assign(reinterpret_cast<char*>(buf), n);
    OPENSSL_free(buf);
  }
  CMS_ContentInfo_free(cms);
  BIO_free(data);
  if (!ok || der.empty()) return OpenSslError("CMS signature");
  if (der.size() > kContentsBytes) return OpenSslError("CMS signature larger than its room");
  std::string hex = crypto::ToHex(der);
  std::transform(hex.begin(), hex.end(), hex.begin(), ::toupper);
  out.replace(contents_at + 1, hex.size(), hex);
  return out;
}

// ---- the municipalities' signers ------------------------------------------------------------

Result<std::unique_ptr<PdfSigner>> CertificateStore::ForMunicipality(
    db::Tx& tx, int64_t municipality_id, const std::string& subject_name, int64_t now_ms) {
  const std::string ad = "documents:pdf-key:" + std::to_string(municipality_id);
  auto read = [&]() -> Result<std::unique_ptr<PdfSigner>> {
    auto r =
        tx.Query("SELECT key_sealed, cert_pem FROM document_certificates WHERE municipality_id = ?",
                 {municipality_id});
    if (!r.ok()) return std::move(r).error();
    if (r->empty()) return MakeError(ErrorCode::kNotFound, "documents.not_found");
    auto pem = crypto::Open(master_, (*r)[0].Bytes(0), ad);
    if (!pem.ok()) return std::move(pem).error();
    return PdfSigner::FromPem(*pem, (*r)[0].Text(1));
  };
  auto found = read();
  if (found.ok() || found.error().code != ErrorCode::kNotFound) return found;
  auto made = PdfSigner::Generate(subject_name, now_ms);
  if (!made.ok()) return made;
  auto n = tx.Exec(
      "INSERT INTO document_certificates (municipality_id, key_sealed, cert_pem, created_at) "
      "VALUES (?, ?, ?, ?) ON CONFLICT (municipality_id) DO NOTHING",
      {municipality_id, db::Blob{crypto::Seal(master_, (*made)->KeyPem(), ad)}, (*made)->CertPem(),
       now_ms});
  if (!n.ok()) return std::move(n).error();
  return read();
}

Result<std::unique_ptr<PdfSigner>> CertificateStore::ForMunicipality(
    int64_t municipality_id, const std::string& subject_name, int64_t now_ms) {
  std::unique_ptr<PdfSigner> out;
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    auto s = ForMunicipality(tx, municipality_id, subject_name, now_ms);
    if (!s.ok()) return std::move(s).error();
    out = std::move(*s);
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return out;
}

}  // namespace baladiya::documents

-- Each municipality's PDF signing key (ECDSA P-256, sealed with the key file's master key,
-- associated data "documents:pdf-key:<municipality>") and its certificate.
CREATE TABLE document_certificates (
  municipality_id BIGINT PRIMARY KEY,
  key_sealed ${BLOB} NOT NULL,
  cert_pem TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

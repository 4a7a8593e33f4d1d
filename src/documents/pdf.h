// A document as an A4 PDF drawn with cairo and pango (HarfBuzz shaping, so Arabic is joined and
// laid out right to left; the fonts' used glyphs embedded): the municipality and office, the
// title, number and text in Arabic and English, the key facts, the dates, and the QR that opens
// its verification. Signing the PDF is pades.h's.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "documents/documents.h"
#include "documents/pades.h"
#include "platform/i18n/locale.h"

namespace baladiya::documents {

struct PdfInputs {
  catalog::Text municipality;  // the issuing municipality's name
  std::string verify_address;  // what the QR opens (VerifyAddress)
  const i18n::Catalog* messages = nullptr;
};

// The PDF's bytes; kInternal when cairo fails.
Result<std::string> RenderPdf(const Document& d, const PdfInputs& in);

// A short record in a municipality's name (a payment receipt) as one A4 page: the municipality
// and office, the title and number, rows of a label and its value (Arabic on the right, English
// on the left) and a closing note, each in both languages.
struct RecordPdf {
  int64_t municipality_id = 0;
  catalog::Text office;
  catalog::Text title;
  std::string number;
  struct Row {
    catalog::Text label;
    catalog::Text value;
  };
  std::vector<Row> rows;
  catalog::Text note;
  int64_t at_ms = 0;  // the record's time: the PDF's date and its signing time
};

// The record's PDF, unsigned; kInternal when cairo fails.
Result<std::string> RenderRecordPdf(const RecordPdf& r, const catalog::Text& municipality,
                                    const i18n::Catalog& messages);

// Draws records and signs them with the municipality's PDF certificate, as documents are
// signed (pades.h), so a PDF reader shows that the municipality issued them unaltered.
class RecordPrinter {
 public:
  RecordPrinter(const catalog::TenancyStore& tenancy, CertificateStore& certificates,
                const i18n::Catalog& messages)
      : tenancy_(tenancy), certificates_(certificates), messages_(messages) {}
  // kNotFound for an unknown municipality; kUnavailable when storage is down.
  Result<std::string> Print(const RecordPdf& r) const;

 private:
  const catalog::TenancyStore& tenancy_;
  CertificateStore& certificates_;
  const i18n::Catalog& messages_;
};

}  // namespace baladiya::documents

// A document as an A4 PDF drawn with cairo and pango (HarfBuzz shaping, so Arabic is joined and
// laid out right to left; the fonts' used glyphs embedded): the municipality and office, the
// title, number and text in Arabic and English, the key facts, the dates, and the QR that opens
// its verification. Signing the PDF is pades.h's.
#pragma once

#include <string>

#include "documents/documents.h"
#include "platform/i18n/locale.h"

namespace baladiya::documents {

struct PdfInputs {
  catalog::Text municipality;  // the issuing municipality's name
  std::string verify_address;  // what the QR opens (VerifyAddress)
  const i18n::Catalog* messages = nullptr;
};

// The PDF's bytes; kInternal when cairo fails.
Result<std::string> RenderPdf(const Document& d, const PdfInputs& in);

}  // namespace baladiya::documents

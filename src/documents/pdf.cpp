#include "documents/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <optional>
#include <qrcodegen.hpp>

#include "platform/i18n/arabic.h"

namespace baladiya::documents {
namespace {

constexpr double kWidth = 595.276;  // A4 in points
constexpr double kHeight = 841.890;
constexpr double kMargin = 48;
constexpr double kInner = kWidth - 2 * kMargin;
constexpr char kArabicFont[] = "Noto Naskh Arabic";
constexpr char kLatinFont[] = "Noto Sans";

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutDeleter>;

// Draws text in a box of the given width at (x, y); returns its height. rtl: an Arabic paragraph,
// aligned to its start (the right); align: PANGO_ALIGN_CENTER or the start.
// One pango context per PDF: a context per text costs more than the text.
thread_local PangoContext* context_of_page = nullptr;

double Text(cairo_t* cr, const std::string& text, double x, double y, double width,
            const char* family, double size, bool bold, bool rtl, bool center = false,
            double grey = 0) {
  if (text.empty()) return 0;
  PangoContext* context = context_of_page;
  pango_context_set_base_dir(context, rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
  Layout layout(pango_layout_new(context));
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, family);
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_auto_dir(layout.get(), FALSE);
  // Without automatic direction pango does not swap the alignment for a right-to-left
  // paragraph: its start (the right) is asked for by name.
  pango_layout_set_alignment(layout.get(), center ? PANGO_ALIGN_CENTER
                                           : rtl  ? PANGO_ALIGN_RIGHT
                                                  : PANGO_ALIGN_LEFT);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  cairo_set_source_rgb(cr, grey, grey, grey);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout.get());
  int w = 0, h = 0;
  pango_layout_get_size(layout.get(), &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

void Rule(cairo_t* cr, double y) {
  cairo_set_source_rgb(cr, 0.2, 0.35, 0.3);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, kMargin, y);
  cairo_line_to(cr, kWidth - kMargin, y);
  cairo_stroke(cr);
}

// The QR as a one-pixel-per-module image scaled without smoothing: a small image in the PDF
// rather than hundreds of rectangles. The mask is fixed (the QR standard allows any) to spare the
// penalty search over all eight.
void Qr(cairo_t* cr, const std::string& text, double x, double y, double size) {
  std::optional<qrcodegen::QrCode> qr;
  try {
    const auto segments = qrcodegen::QrSegment::makeSegments(text.c_str());
    qr.emplace(qrcodegen::QrCode::encodeSegments(segments, qrcodegen::QrCode::Ecc::MEDIUM, 1, 40, 2,
                                                 true));
  } catch (const std::exception&) {
    return;
  }
  const int n = qr->getSize();
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, n, n);
  cairo_surface_flush(image);
  unsigned char* data = cairo_image_surface_get_data(image);
  const int stride = cairo_image_surface_get_stride(image);
  for (int j = 0; j < n; ++j) {
    auto* row = reinterpret_cast<uint32_t*>(data + j * stride);
    for (int i = 0; i < n; ++i) row[i] = qr->getModule(i, j) ? 0x000000 : 0xffffff;
  }
  cairo_surface_mark_dirty(image);
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, size / n, size / n);
  cairo_set_source_surface(cr, image, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(image);
}

// One A4 page written into a string: the surface, its cairo and pango contexts, and the
// municipality's heading; Finish() ends it and returns the PDF's bytes.
class Page {
 public:
  Page(const std::string& title, const catalog::Text& municipality, int64_t at_ms) {
    surface_ = cairo_pdf_surface_create_for_stream(Append, &out_, kWidth, kHeight);
    cairo_pdf_surface_restrict_to_version(surface_, CAIRO_PDF_VERSION_1_5);
    const std::string when = i18n::FormatIsoUtc(at_ms);
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_AUTHOR, municipality.en.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "Baladiya");
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE, when.c_str());
    cr_ = cairo_create(surface_);
    context_ = pango_cairo_create_context(cr_);
    context_of_page = context_;
  }
  ~Page() {
    if (surface_) End();
  }
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;

  cairo_t* cr() const { return cr_; }

  // The municipality, and under it the office (when given): Arabic on the right, English on the
  // left; then a rule. Returns the height used from y.
  double Heading(const catalog::Text& municipality, const catalog::Text& office, double y) {
    const double top = y;
    double h1 = Text(cr_, municipality.ar, kRight, y, kHalf, kArabicFont, 17, true, true);
    double h2 = Text(cr_, municipality.en, kMargin, y + 4, kHalf, kLatinFont, 13, true, false);
    y += std::max(h1, h2) + 2;
    h1 = Text(cr_, office.ar, kRight, y, kHalf, kArabicFont, 10, false, true, false, 0.3);
    h2 = Text(cr_, office.en, kMargin, y, kHalf, kLatinFont, 8.5, false, false, false, 0.3);
    y += std::max(h1, h2) + 10;
    Rule(cr_, y);
    return y + 22 - top;
  }

  // A row of a label and its value in each language: Arabic on the right, English on the left.
  double Row(const std::string& label_ar, const std::string& value_ar, const std::string& label_en,
             const std::string& value_en, double y) {
    double a =
        Text(cr_, label_ar + ": " + value_ar, kRight, y, kHalf, kArabicFont, 11, false, true);
    double b =
        Text(cr_, label_en + ": " + value_en, kMargin, y + 1, kHalf, kLatinFont, 9.5, false, false);
    return std::max(a, b) + 4;
  }

  Result<std::string> Finish() {
    const cairo_status_t st = End();
    if (st != CAIRO_STATUS_SUCCESS) {
      return MakeError(ErrorCode::kInternal, "error.internal",
                       std::string("cairo: ") + cairo_status_to_string(st));
    }
    return std::move(out_);
  }

  static constexpr double kHalf = (kInner - 24) / 2;
  static constexpr double kRight = kMargin + kHalf + 24;  // the Arabic column

 private:
  cairo_status_t End() {
    cairo_show_page(cr_);
    context_of_page = nullptr;
    g_object_unref(context_);
    cairo_destroy(cr_);
    cairo_surface_finish(surface_);
    const cairo_status_t st = cairo_surface_status(surface_);
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
    return st;
  }

  std::string out_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* context_ = nullptr;
};

std::string Ltr(const std::string& s) { return "\u2066" + s + "\u2069"; }

}  // namespace

Result<std::string> RenderPdf(const Document& d, const PdfInputs& in) {
  const i18n::Catalog& cat = *in.messages;
  const auto ar = i18n::Lang::kAr;
  const auto en = i18n::Lang::kEn;
  Page pdf(d.title.en + " " + d.number, in.municipality, d.issued_at);
  cairo_t* cr = pdf.cr();
  const auto ltr = Ltr;
  double y = kMargin;
  y += pdf.Heading(in.municipality, d.office, y);

  y += Text(cr, d.title.ar, kMargin, y, kInner, kArabicFont, 24, true, true, true) + 2;
  y += Text(cr, d.title.en, kMargin, y, kInner, kLatinFont, 14, true, false, true) + 8;
  y += Text(cr,
            cat.Get(ar, "documents.number") + ": " + ltr(d.number) + "  ·  " +
                cat.Get(en, "documents.number") + ": " + d.number,
            kMargin, y, kInner, kArabicFont, 10.5, false, true, true) +
       18;

  // The text in each language.
  for (size_t at = 0; at <= d.body.ar.size();) {
    size_t end = std::min(d.body.ar.find('\n', at), d.body.ar.size());
    y +=
        Text(cr, d.body.ar.substr(at, end - at), kMargin, y, kInner, kArabicFont, 13, false, true) +
        6;
    at = end + 1;
  }
  y += 6;
  for (size_t at = 0; at <= d.body.en.size();) {
    size_t end = std::min(d.body.en.find('\n', at), d.body.en.size());
    y += Text(cr, d.body.en.substr(at, end - at), kMargin, y, kInner, kLatinFont, 10, false, false,
              false, 0.15) +
         5;
    at = end + 1;
  }
  y += 10;
  Rule(cr, y);
  y += 12;

  // The holder, the facts and the dates, a row each: Arabic on the right, English on the left.
  auto row = [&](const std::string& label_ar, const std::string& value_ar,
                 const std::string& label_en, const std::string& value_en) {
    y += pdf.Row(label_ar, value_ar, label_en, value_en, y);
  };
  row(cat.Get(ar, "documents.holder"), d.holder.ar, cat.Get(en, "documents.holder"), d.holder.en);
  if (!d.holder_id.empty()) {
    row(cat.Get(ar, "documents.holder_id"), ltr(d.holder_id), cat.Get(en, "documents.holder_id"),
        d.holder_id);
  }
  for (const auto& f : d.facts) row(f.label.ar, f.value.ar, f.label.en, f.value.en);
  row(cat.Get(ar, "documents.issued"), i18n::FormatDate(d.issued_at, ar),
      cat.Get(en, "documents.issued"), i18n::FormatDate(d.issued_at, en));
  row(cat.Get(ar, "documents.expires"), i18n::FormatDate(d.expires_at, ar),
      cat.Get(en, "documents.expires"), i18n::FormatDate(d.expires_at, en));
  row(cat.Get(ar, "documents.case"), ltr(d.tracking), cat.Get(en, "documents.case"), d.tracking);

  // The QR and how to check it, at the foot of the page.
  const double qr = 128;
  const double foot = kHeight - kMargin - qr;
  Rule(cr, foot - 12);
  Qr(cr, in.verify_address, kMargin, foot, qr);
  const double tx = kMargin + qr + 16;
  const double tw = kInner - qr - 16;
  double fy = foot + 4;
  fy +=
      Text(cr, cat.Get(ar, "documents.pdf.check"), tx, fy, tw, kArabicFont, 10.5, false, true) + 4;
  fy += Text(cr, cat.Get(en, "documents.pdf.check"), tx, fy, tw, kLatinFont, 8.5, false, false) + 6;
  Text(cr, in.verify_address.substr(0, in.verify_address.find('?')), tx, fy, tw, kLatinFont, 8.5,
       true, false);

  return pdf.Finish();
}

Result<std::string> RenderRecordPdf(const RecordPdf& r, const catalog::Text& municipality,
                                    const i18n::Catalog& messages) {
  const auto ar = i18n::Lang::kAr;
  const auto en = i18n::Lang::kEn;
  Page pdf(r.title.en + " " + r.number, municipality, r.at_ms);
  cairo_t* cr = pdf.cr();
  double y = kMargin;
  y += pdf.Heading(municipality, r.office, y);
  y += Text(cr, r.title.ar, kMargin, y, kInner, kArabicFont, 22, true, true, true) + 2;
  y += Text(cr, r.title.en, kMargin, y, kInner, kLatinFont, 13, true, false, true) + 8;
  y += Text(cr,
            messages.Get(ar, "documents.number") + ": " + Ltr(r.number) + "  ·  " +
                messages.Get(en, "documents.number") + ": " + r.number,
            kMargin, y, kInner, kArabicFont, 10.5, false, true, true) +
       14;
  Rule(cr, y);
  y += 12;
  for (const RecordPdf::Row& row : r.rows) {
    // A row past the page's foot would be cut: the records printed this way are short, and the
    // rest is on the record's page.
    if (y > kHeight - kMargin - 80) break;
    y += pdf.Row(row.label.ar, row.value.ar, row.label.en, row.value.en, y);
  }
  y += 10;
  Rule(cr, y);
  y += 12;
  y += Text(cr, r.note.ar, kMargin, y, kInner, kArabicFont, 10, false, true, false, 0.25) + 4;
  Text(cr, r.note.en, kMargin, y, kInner, kLatinFont, 8.5, false, false, false, 0.25);
  return pdf.Finish();
}

Result<std::string> RecordPrinter::Print(const RecordPdf& r) const {
  auto m = tenancy_.Get(r.municipality_id);
  if (!m.ok()) return std::move(m).error();
  auto pdf = RenderRecordPdf(r, m->name, messages_);
  if (!pdf.ok()) return pdf;
  auto signer = certificates_.ForMunicipality(m->id, m->name.en, r.at_ms);
  if (!signer.ok()) return std::move(signer).error();
  return (*signer)->Sign(*pdf, r.at_ms, m->name.en, r.title.en + " " + r.number);
}

}  // namespace baladiya::documents

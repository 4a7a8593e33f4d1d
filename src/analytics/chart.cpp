// SVG charts (chart.h).
#include "analytics/chart.h"

#include <algorithm>
#include <cstdio>

#include "platform/render/templates.h"

namespace baladiya::analytics {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double Top(const std::vector<Bar>& bars, double max) {
  if (max > 0) return max;
  double top = 0;
  for (const auto& b : bars) top = std::max(top, b.value.value_or(0));
  return top > 0 ? top : 1;
}

constexpr const char* kBarColour = "#1d5f8a";
constexpr const char* kTextColour = "#1a1a1a";
constexpr const char* kAxisColour = "#6b6b6b";

}  // namespace

std::string BarChart(const std::vector<Bar>& bars, double max, bool rtl) {
  const double width = 640;
  const double height = 220;
  const double top_pad = 22;
  const double bottom_pad = 28;
  const double plot = height - top_pad - bottom_pad;
  const double slot = bars.empty() ? width : width / static_cast<double>(bars.size());
  const double bar_w = slot * 0.62;
  const double top = Top(bars, max);
  std::string svg =
      "<svg class=\"kpi-chart\" viewBox=\"0 0 640 220\" width=\"100%\" "
      "preserveAspectRatio=\"xMidYMid meet\" aria-hidden=\"true\" focusable=\"false\" "
      "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\">";
  svg += "<line x1=\"0\" x2=\"640\" y1=\"" + Num(height - bottom_pad) + "\" y2=\"" +
         Num(height - bottom_pad) + "\" stroke=\"" + kAxisColour + "\" stroke-width=\"1\"/>";
  for (size_t i = 0; i < bars.size(); ++i) {
    const size_t pos = rtl ? bars.size() - 1 - i : i;
    const double cx = slot * (static_cast<double>(pos) + 0.5);
    const Bar& b = bars[i];
    if (b.value) {
      const double h = std::clamp(*b.value / top, 0.0, 1.0) * plot;
      svg += "<rect x=\"" + Num(cx - bar_w / 2) + "\" y=\"" + Num(height - bottom_pad - h) +
             "\" width=\"" + Num(bar_w) + "\" height=\"" + Num(h) + "\" fill=\"" + kBarColour +
             "\"/>";
      svg += "<text x=\"" + Num(cx) + "\" y=\"" + Num(height - bottom_pad - h - 5) +
             "\" text-anchor=\"middle\" font-size=\"12\" fill=\"" + kTextColour + "\">" +
             render::EscapeHtml(b.value_text) + "</text>";
    }
    svg += "<text x=\"" + Num(cx) + "\" y=\"" + Num(height - 9) +
           "\" text-anchor=\"middle\" font-size=\"12\" fill=\"" + kTextColour + "\">" +
           render::EscapeHtml(b.label) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

std::string RankChart(const std::vector<Bar>& bars, double max, bool rtl) {
  const double width = 640;
  const double row = 30;
  const double label_w = 170;
  const double value_w = 70;
  const double plot = width - label_w - value_w;
  const double height = row * static_cast<double>(std::max<size_t>(bars.size(), 1)) + 6;
  const double top = Top(bars, max);
  std::string svg = "<svg class=\"kpi-chart\" viewBox=\"0 0 640 " + Num(height) +
                    "\" width=\"100%\" aria-hidden=\"true\" focusable=\"false\" "
                    "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\">";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = row * static_cast<double>(i) + 4;
    const double w = b.value ? std::clamp(*b.value / top, 0.0, 1.0) * plot : 0;
    // Start side: the label; then the bar; then the value.
    const double label_x = rtl ? width - 4 : 4;
    const double bar_x = rtl ? width - label_w - w : label_w;
    const double value_x = rtl ? width - label_w - w - 6 : label_w + w + 6;
    svg += "<text x=\"" + Num(label_x) + "\" y=\"" + Num(y + 17) + "\" text-anchor=\"" +
           (rtl ? "end" : "start") + "\" font-size=\"13\" fill=\"" + kTextColour + "\">" +
           render::EscapeHtml(b.label) + "</text>";
    if (b.value) {
      svg += "<rect x=\"" + Num(bar_x) + "\" y=\"" + Num(y + 3) + "\" width=\"" + Num(w) +
             "\" height=\"20\" fill=\"" + kBarColour + "\"/>";
    }
    svg += "<text x=\"" + Num(value_x) + "\" y=\"" + Num(y + 17) + "\" text-anchor=\"" +
           (rtl ? "end" : "start") + "\" font-size=\"13\" fill=\"" + kTextColour + "\">" +
           render::EscapeHtml(b.value_text) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace baladiya::analytics

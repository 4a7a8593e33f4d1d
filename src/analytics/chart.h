// Charts drawn on the server as SVG: bars with their values written on them. The chart is a
// picture of the data table printed beside it (which screen readers read), so it is hidden from
// assistive technology; it needs no script and no style sheet.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace baladiya::analytics {

struct Bar {
  std::string label;            // under the bar (already in the page's digits)
  std::optional<double> value;  // nullopt: no data (an empty slot)
  std::string value_text;       // written above the bar
};

// Vertical bars in order; with rtl the first bar is drawn on the right. max: the value at the top
// of the scale (0: the largest value).
std::string BarChart(const std::vector<Bar>& bars, double max, bool rtl);

// Horizontal bars (a ranking): one row per bar, label at the start, value at the end.
std::string RankChart(const std::vector<Bar>& bars, double max, bool rtl);

}  // namespace baladiya::analytics

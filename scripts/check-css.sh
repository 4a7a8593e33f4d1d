#!/usr/bin/env bash
# Fails when a stylesheet under web/static/ uses a physical direction (left/right) in a property
# or a value: Baladiya is rtl first, and only logical properties lay out both directions.
# Any whole word "left" or "right" outside comments and strings counts (margin-left, float: right,
# border-top-left-radius, "to right" gradients...): every such use has a logical equivalent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

shopt -s nullglob
files=(web/static/*.css)
if ((${#files[@]} == 0)); then
  echo "check-css: no files in web/static/" >&2
  exit 1
fi

status=0
for f in "${files[@]}"; do
  # awk strips /* */ comments (across lines) and quoted strings, then looks for the words.
  if ! awk '
    BEGIN { bad = 0; incomment = 0 }
    {
      line = $0; out = ""
      while (length(line) > 0) {
        if (incomment) {
          i = index(line, "*/")
          if (i == 0) { line = ""; break }
          line = substr(line, i + 2); incomment = 0
        } else {
          i = index(line, "/*")
          if (i == 0) { out = out line; line = ""; break }
          out = out substr(line, 1, i - 1); line = substr(line, i + 2); incomment = 1
        }
      }
      gsub(/"[^"]*"|\047[^\047]*\047/, "", out)
      if (tolower(out) ~ /(^|[^a-z0-9_])(left|right)([^a-z0-9_]|$)/) {
        printf "%s:%d: physical direction, use a logical property: %s\n", FILENAME, FNR, $0 > "/dev/stderr"
        bad = 1
      }
    }
    END { exit bad }
  ' "$f"; then
    status=1
  fi
done

if ((status != 0)); then
  echo "check-css: FAILED" >&2
  exit 1
fi
echo "check-css: ${#files[@]} files ok"

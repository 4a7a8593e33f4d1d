#!/usr/bin/env bash
# Installs what the project needs on Debian 12: the packages in deps/debian.txt (only those
# missing) and the front-end packages from package-lock.json. Safe to run again; quiet when
# nothing is missing. Needs root for apt-get (make run / make test are run as root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mapfile -t wanted < <(grep -v '^\s*#' deps/debian.txt | sed '/^\s*$/d')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js and npm: any installed Node 18+ will do; Debian's packages otherwise.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "bootstrap: run as root (or install these packages): ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end packages (Playwright driver, axe-core, the Arabic web font, Leaflet for the optional
# map), pinned by the lock file. The build embeds the font and Leaflet, so this runs before cmake.
if [[ ! -d node_modules/@fontsource/noto-naskh-arabic || ! -d node_modules/leaflet ||
      ! -d node_modules/playwright-core ||
      ! -d node_modules/@axe-core/playwright || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "bootstrap: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

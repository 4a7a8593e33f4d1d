#!/usr/bin/env bash
# Installs what the project needs on Debian 12: the packages in deps/debian.txt (only those
# missing), with `dev` those of deps/debian-dev.txt too (fuzzing, linting, benchmarks), and the
# front-end packages from package-lock.json. Safe to run again; quiet when nothing is missing.
# Needs root for apt-get (make run / make test are run as root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

lists=(deps/debian.txt)
[[ "${1:-}" == "dev" ]] && lists+=(deps/debian-dev.txt)
mapfile -t wanted < <(cat "${lists[@]}" | grep -v '^\s*#' | sed '/^\s*$/d')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js and npm: Debian 12's own (Node 18) unless another is installed; the check at the end
# says when the installed Node is older than Playwright's driver accepts.
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

# playwright-core names the oldest Node it starts on (package.json "engines"); the lock file pins a
# version that Debian 12's Node 18 runs. Refuse here, before a long build, rather than at the
# browser step.
node -e '
  const need = require("./node_modules/playwright-core/package.json").engines.node;
  const min = Number((/>=\s*([0-9]+)/.exec(need) || [0, 0])[1]);
  const have = Number(process.versions.node.split(".")[0]);
  if (have < min) {
    console.error(`bootstrap: playwright-core needs Node ${need}; this is Node ${process.versions.node}`);
    process.exit(1);
  }'

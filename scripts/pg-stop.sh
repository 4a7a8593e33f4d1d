#!/usr/bin/env bash
# Stops a PostgreSQL started by scripts/pg-start.sh and removes its folder.
#
# Usage: scripts/pg-stop.sh DIR
set -euo pipefail

log() { echo "pg-stop: $*" >&2; }
die() { log "$*"; exit 1; }

dir=${1:-}
[[ -n $dir ]] || die "usage: scripts/pg-stop.sh DIR"
[[ -d $dir ]] || die "no such folder: $dir"
dir=$(cd "$dir" && pwd)
# Refuse to delete a folder pg-start.sh did not make.
[[ -f $dir/data/PG_VERSION || -f $dir/url || -f $dir/initdb.log ]] ||
  die "$dir does not look like a pg-start.sh folder; not touching it"

if [[ -f $dir/data/postmaster.pid ]]; then
  major=$(cat "$dir/data/PG_VERSION")
  pg_ctl=/usr/lib/postgresql/$major/bin/pg_ctl
  [[ -x $pg_ctl ]] || die "missing $pg_ctl"
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$pg_ctl" -D "$dir/data" -m fast -w stop >&2 || log "pg_ctl stop failed"
  else
    "$pg_ctl" -D "$dir/data" -m fast -w stop >&2 || log "pg_ctl stop failed"
  fi
fi
rm -rf -- "$dir"
log "stopped and removed $dir"

#!/usr/bin/env bash
# make deb-test: builds the Debian package (make deb), checks its contents and control fields,
# runs systemd-analyze verify on its unit, then installs it into a clean Debian 12 root and starts
# the server there from the package's own configuration, as the baladiya user, the way the unit
# does (systemd does not run in a chroot): /healthz, /readyz, the home page and the first admin
# account, then SIGTERM and a clean exit; last, purge keeps the data unless asked to delete it.
#
# The clean root is made once with debootstrap (minbase) and kept in build/deb-test/base; each run
# copies it, so every run installs into a root that never saw the package, and downloaded .debs
# are kept in build/deb-test/archives so that a second run is quick. Needs root (debootstrap,
# chroot). The mirror is the first Debian one in this machine's apt sources (DEB_MIRROR=URL to
# choose another). Every step stops by itself (timeouts).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
BUILD="${BUILD:-build/release}"
work="$root/build/deb-test"
base="$work/base"
chroot_dir="$work/root"
archives="$work/archives"
suite=bookworm

say() { printf 'deb-test: %s\n' "$*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}
step_start=0
step() {
  step_start=$(date +%s%N)
  say "$*"
}
took() { say "  ... $* in $((($(date +%s%N) - step_start) / 1000000)) ms"; }

[[ $(id -u) -eq 0 ]] || fail "run as root (debootstrap and chroot)"
for tool in debootstrap dpkg-deb systemd-analyze curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/bootstrap.sh dev installs it)"
done

# 1. The package.
step "building the package (make deb)"
timeout 3600 make --no-print-directory deb BUILD="$BUILD" >/dev/null
debs=("$BUILD"/deb/baladiya_*.deb)
deb="${debs[-1]}"
[[ -f "$deb" ]] || fail "no package in $BUILD/deb"
took "$(basename "$deb"), $(stat -c %s "$deb") bytes"

# 2. Its contents and control fields.
step "checking contents and control fields"
contents=$(dpkg-deb -c "$deb" | awk '{print $1, $2, $6}')
for want in "-rwxr-xr-x root/root ./usr/bin/baladiya" \
  "-rw-r--r-- root/root ./etc/baladiya/baladiya.conf" \
  "-rw-r--r-- root/root ./lib/systemd/system/baladiya.service" \
  "-rw-r--r-- root/root ./usr/share/doc/baladiya/examples/nginx-baladiya.conf" \
  "-rw-r--r-- root/root ./usr/share/doc/baladiya/copyright" \
  "-rw-r--r-- root/root ./usr/share/doc/baladiya/OPERATIONS.md"; do
  grep -qxF -- "$want" <<<"$contents" || fail "the package lacks '$want'"
done
[[ $(dpkg-deb -f "$deb" Package) == baladiya ]] || fail "Package is not baladiya"
[[ $(dpkg-deb -f "$deb" Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture"
version=$(dpkg-deb -f "$deb" Version)
grep -q "project(baladiya VERSION $version " CMakeLists.txt || fail "Version $version"
depends=$(dpkg-deb -f "$deb" Depends)
depends_names=$(tr ',|' '\n\n' <<<"$depends" | awk '{print $1}')
for lib in libc6 libstdc++6 libsqlite3-0 libpq5 libsodium23 libssl3 libicu72 libctemplate3 \
  libpango-1.0-0 libcairo2 adduser debconf fonts-noto-core; do
  grep -qxF "$lib" <<<"$depends_names" || fail "Depends lacks $lib: $depends"
done
control=$(mktemp -d)
trap 'rm -rf "$control"' EXIT
dpkg-deb -e "$deb" "$control"
for f in postinst prerm postrm templates conffiles; do
  [[ -f "$control/$f" ]] || fail "no $f in the control archive"
done
grep -qxF /etc/baladiya/baladiya.conf "$control/conffiles" || fail "the configuration is no conffile"
for f in postinst prerm postrm; do
  sh -n "$control/$f" || fail "$f is not valid sh"
done
took "$(dpkg-deb -f "$deb" Installed-Size) KiB installed; Depends: $depends"

# 3. The unit, as systemd reads it, against the package's own files.
step "systemd-analyze verify"
unpacked="$control/unpacked"
dpkg-deb -x "$deb" "$unpacked"
# The unit is read from the unpacked package with --root, so that ExecStart's /usr/bin/baladiya is
# the packaged program; the units it names (multi-user.target, ...) are this machine's. verify
# exits 0 after mere warnings (a setting it ignores): any output fails too.
cp -an /lib/systemd/system/. "$unpacked/lib/systemd/system/"
verify=$(timeout 60 systemd-analyze verify --root="$unpacked" /lib/systemd/system/baladiya.service 2>&1) ||
  fail "systemd-analyze verify: $verify"
[[ -z "$verify" ]] || fail "systemd-analyze verify: $verify"
took "the unit verifies"

# 4. The clean Debian 12 root, made once.
mirror="${DEB_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) {print $i; exit}}')
fi
if [[ -z "$mirror" ]]; then
  mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
fi
[[ -n "$mirror" ]] || fail "no Debian mirror in the apt sources: set DEB_MIRROR"
if [[ ! -f "$base/.baladiya-base" ]]; then
  step "debootstrap $suite (minbase) from $mirror into $base (once)"
  rm -rf "$base" "$base.partial"
  mkdir -p "$archives"
  timeout 1800 debootstrap --variant=minbase --cache-dir="$archives" "$suite" "$base.partial" \
    "$mirror" >"$work/debootstrap.log" 2>&1 ||
    fail "debootstrap (see $work/debootstrap.log)"
  touch "$base.partial/.baladiya-base"
  mv "$base.partial" "$base"
  took "a clean root"
fi

# 5. A copy of it, with the package installed as an administrator would (apt resolves Depends).
step "a fresh root over the clean one"
cleanup() {
  if [[ -n "${server:-}" ]] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server" || true; fi
  if [[ -n "${nginx_up:-}" && -f "$chroot_dir/run/nginx.pid" ]]; then
    kill -TERM "$(cat "$chroot_dir/run/nginx.pid")" 2>/dev/null || true
  fi
  for m in var/cache/apt/archives proc ""; do
    if mountpoint -q "$chroot_dir/$m"; then umount -l "$chroot_dir/$m"; fi
  done
  rm -rf "$control"
}
trap cleanup EXIT
cleanup
rm -rf "$chroot_dir" "$work/upper" "$work/overlay-work"
mkdir -p "$chroot_dir" "$work/upper" "$work/overlay-work"
# An overlay over the clean root (instant, and the root stays clean), or a copy where overlays
# cannot be mounted.
if ! mount -t overlay overlay \
  -o "lowerdir=$base,upperdir=$work/upper,workdir=$work/overlay-work" "$chroot_dir" 2>/dev/null; then
  rmdir "$chroot_dir"
  cp -a "$base" "$chroot_dir"
fi
# A throwaway root: dpkg need not sync every file it unpacks.
echo force-unsafe-io >"$chroot_dir/etc/dpkg/dpkg.cfg.d/baladiya-test-unsafe-io"
mkdir -p "$archives" "$chroot_dir/var/cache/apt/archives"
mount --bind "$archives" "$chroot_dir/var/cache/apt/archives"
mount -t proc proc "$chroot_dir/proc"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
# No service is started by a maintainer script in the chroot (invoke-rc.d asks this).
printf '#!/bin/sh\nexit 101\n' >"$chroot_dir/usr/sbin/policy-rc.d"
chmod 755 "$chroot_dir/usr/sbin/policy-rc.d"
cp "$deb" "$chroot_dir/tmp/baladiya.deb"
# A command in the root, as root, stopped after T seconds (120 unless T=... is given).
in_root() { timeout "${T:-120}" chroot "$chroot_dir" /usr/bin/env -i \
  PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
took "ready"

step "apt-get update in the clean root"
T=900 in_root apt-get update -qq >/dev/null || fail "apt-get update in the root"
took "done"

step "apt-get install ./baladiya.deb in the clean root"
T=1800 in_root apt-get install -y -qq --no-install-recommends /tmp/baladiya.deb \
  >"$work/install.log" 2>&1 || { tail -20 "$work/install.log"; fail "apt-get install"; }
took "installed ($(in_root du -sh /usr/bin/baladiya | cut -f1) program)"

step "checking what the maintainer scripts made"
in_root getent passwd baladiya | grep -q ':/var/lib/baladiya:/usr/sbin/nologin$' ||
  fail "no baladiya system user"
uid=$(in_root id -u baladiya)
gid=$(in_root id -g baladiya)
((uid < 1000)) || fail "baladiya is not a system user (uid $uid)"
[[ $(in_root stat -c '%U:%G %a' /var/lib/baladiya) == "baladiya:baladiya 700" ]] ||
  fail "/var/lib/baladiya is $(in_root stat -c '%U:%G %a' /var/lib/baladiya)"
[[ $(in_root stat -c '%U:%G %a' /etc/baladiya/baladiya.conf) == "root:baladiya 640" ]] ||
  fail "/etc/baladiya/baladiya.conf is $(in_root stat -c '%U:%G %a' /etc/baladiya/baladiya.conf)"
in_root dpkg-query -W -f='${Conffiles}\n' baladiya | grep -q /etc/baladiya/baladiya.conf ||
  fail "dpkg does not hold the configuration as a conffile"
in_root test -L /etc/systemd/system/multi-user.target.wants/baladiya.service ||
  fail "the unit is not enabled"
took "user uid $uid, state folder 0700, configuration root:baladiya 0640, unit enabled"

# 6. The server, started as the unit starts it: the baladiya user, its state folder as working
# directory, umask 077, the package's configuration. Only the port is chosen here (BALADIYA_PORT=0:
# a free one; the environment outranks the file), because the chroot shares this machine's network.
step "starting the server in the root as the baladiya user"
log="$work/server.log"
chroot --userspec="$uid:$gid" --groups="$gid" "$chroot_dir" /usr/bin/env -i PATH=/usr/bin:/bin \
  LANG=C.UTF-8 BALADIYA_PORT=0 /bin/sh -c \
  'cd /var/lib/baladiya && umask 077 && exec /usr/bin/baladiya serve --config /etc/baladiya/baladiya.conf' \
  >"$log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's|^Baladiya is serving on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$log")
  [[ -n "$port" ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; fail "the server exited at start"; }
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$log"; fail "the server did not start within 60 s"; }
took "$(grep -o 'ready in [0-9]* ms' "$log") on port $port"

step "checking /healthz, /readyz, the home page and the first admin"
url="http://127.0.0.1:$port"
[[ $(curl -fsS --max-time 10 "$url/healthz") == ok ]] || fail "/healthz"
curl -fsS --max-time 10 -o /dev/null "$url/readyz" || fail "/readyz"
home=$(curl -fsS --max-time 10 "$url/") || fail "the home page"
grep -q '<html lang="ar" dir="rtl"' <<<"$home" || fail "the home page is not the Arabic page"
curl -fsS --max-time 10 -o /dev/null "$url/metrics" 2>/dev/null &&
  fail "/metrics is served without a token"
[[ $(in_root stat -c '%U %a' /var/lib/baladiya/keys) == "baladiya 600" ]] ||
  fail "the key file is $(in_root stat -c '%U %a' /var/lib/baladiya/keys)"
[[ $(in_root stat -c '%U' /var/lib/baladiya/baladiya.db) == baladiya ]] || fail "the database's owner"
# The first administrator, from the command line beside the running server, as the docs say.
admin=$(timeout 60 chroot --userspec="$uid:$gid" --groups="$gid" "$chroot_dir" /usr/bin/env -i \
  PATH=/usr/bin:/bin LANG=C.UTF-8 /usr/bin/baladiya user add --config /etc/baladiya/baladiya.conf \
  --role platform-admin --username admin --name-ar "مدير المنصة") || fail "user add"
grep -q '^created admin (platform-admin); password: ' <<<"$admin" || fail "user add said: $admin"
took "all answered"

# The back-up as docs/OPERATIONS.md writes it: runuser, the package's configuration, while serving.
step "a back-up while serving (baladiya backup, as docs/OPERATIONS.md says)"
in_root install -d -o baladiya -g baladiya -m 0700 /var/backups/baladiya
T=300 in_root runuser -u baladiya -- baladiya backup /var/backups/baladiya/test.db \
  --config /etc/baladiya/baladiya.conf >"$work/backup.log" 2>&1 ||
  { cat "$work/backup.log"; fail "baladiya backup"; }
[[ $(in_root stat -c '%U %a' /var/backups/baladiya/test.db) == "baladiya 600" ]] ||
  fail "the back-up is $(in_root stat -c '%U %a' /var/backups/baladiya/test.db)"
took "$(cat "$work/backup.log")"

# 7. nginx from Debian, with the packaged example site as an administrator would adapt it (a
# self-signed certificate, free ports instead of 80 and 443, IPv4 only): TLS, the redirect, the
# headers the server reads (X-Forwarded-Proto: cookies get Secure; X-Forwarded-For: the client's
# address, read past the trusted proxy), /metrics kept off.
step "nginx in the root with the packaged example site"
T=900 in_root apt-get install -y -qq --no-install-recommends nginx openssl \
  >>"$work/install.log" 2>&1 || { tail -20 "$work/install.log"; fail "apt-get install nginx"; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
https_port=$(free_port)
in_root mkdir -p /etc/ssl/baladiya-test
in_root openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=baladiya.example.ps \
  -keyout /etc/ssl/baladiya-test/key.pem -out /etc/ssl/baladiya-test/cert.pem >/dev/null 2>&1 ||
  fail "a self-signed certificate"
rm -f "$chroot_dir/etc/nginx/sites-enabled/default"
sed -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
  -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" -e '/listen \[::\]/d' \
  -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$port;|" \
  -e 's|/etc/letsencrypt/live/baladiya.example.ps/fullchain.pem|/etc/ssl/baladiya-test/cert.pem|' \
  -e 's|/etc/letsencrypt/live/baladiya.example.ps/privkey.pem|/etc/ssl/baladiya-test/key.pem|' \
  "$chroot_dir/usr/share/doc/baladiya/examples/nginx-baladiya.conf" \
  >"$chroot_dir/etc/nginx/sites-enabled/baladiya"
grep -q "127.0.0.1:$https_port ssl" "$chroot_dir/etc/nginx/sites-enabled/baladiya" ||
  fail "the example site's listen lines changed: adapt this test"
T=30 in_root nginx -t >/dev/null 2>&1 || { in_root nginx -t || true; fail "nginx -t"; }
T=30 in_root nginx || fail "nginx did not start"
nginx_up=1
site="https://baladiya.example.ps:$https_port"
tls=(--resolve "baladiya.example.ps:$https_port:127.0.0.1" -k --max-time 10 -sS)
[[ $(curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' \
  "http://127.0.0.1:$http_port/x") == "301 https://127.0.0.1/x" ]] || fail "plain HTTP is not redirected"
[[ $(curl "${tls[@]}" "$site/healthz") == ok ]] || fail "/healthz through nginx"
curl "${tls[@]}" -D - -o /dev/null "$site/?lang=en" | grep -qi '^set-cookie: lang=en;.*; Secure' ||
  fail "a cookie set through nginx over TLS lacks Secure"
curl -sS --max-time 10 -D - -o /dev/null "$url/?lang=en" | grep -qi '^set-cookie: .*Secure' &&
  fail "a cookie set over plain HTTP has Secure"
curl "${tls[@]}" -H 'X-Forwarded-For: 198.51.100.7' -o /dev/null "$site/readyz?xff"
# curl is on loopback, itself a trusted address: the walk goes on past nginx's entry (127.0.0.1)
# to the one before it. From elsewhere, nginx's entry is the client's real address and ends it.
# The access-log line is written once the answer is out: allow it a moment.
for _ in $(seq 1 50); do
  grep -q '"path":"/readyz","remote":"198.51.100.7"' "$log" && break
  sleep 0.1
done
grep -q '"path":"/readyz","remote":"198.51.100.7"' "$log" ||
  fail "the client's address was not read from X-Forwarded-For through nginx"
[[ $(curl "${tls[@]}" -o /dev/null -w '%{http_code}' "$site/metrics") == 404 ]] ||
  fail "/metrics is offered through nginx"
T=30 in_root nginx -s quit 2>/dev/null || true
nginx_up=""
took "TLS, redirect, Secure cookies, X-Forwarded-For, /metrics kept off"

step "stopping the server (SIGTERM)"
kill -TERM "$server"
for _ in $(seq 1 300); do
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$server" 2>/dev/null; then fail "the server did not stop within 30 s"; fi
wait "$server" || fail "the server exited with status $?"
server=""
grep -q '^baladiya: stopped$' "$log" || fail "no clean stop in the server's log"
took "stopped cleanly"

step "restore and audit verify, as docs/OPERATIONS.md says"
T=300 in_root runuser -u baladiya -- baladiya restore /var/backups/baladiya/test.db --replace \
  --config /etc/baladiya/baladiya.conf >"$work/restore.log" 2>&1 ||
  { cat "$work/restore.log"; fail "baladiya restore"; }
T=300 in_root runuser -u baladiya -- baladiya audit verify --config /etc/baladiya/baladiya.conf \
  >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "baladiya audit verify"; }
grep -q '^audit log intact: ' "$work/verify.log" || { cat "$work/verify.log"; fail "audit verify"; }
took "$(head -1 "$work/verify.log")"

# 8. Remove keeps everything; purge keeps the data unless baladiya/purge-data says otherwise.
step "remove, purge, and purge with the data"
T=300 in_root dpkg --remove baladiya >/dev/null 2>&1 || fail "dpkg --remove"
in_root test -f /var/lib/baladiya/keys || fail "remove deleted the key file"
in_root test -f /etc/baladiya/baladiya.conf || fail "remove deleted the configuration"
T=300 in_root dpkg --purge baladiya >/dev/null 2>&1 || fail "dpkg --purge"
in_root test -f /var/lib/baladiya/keys || fail "a non-interactive purge deleted the key file"
in_root test ! -e /etc/baladiya/baladiya.conf || fail "purge left the configuration"
T=300 in_root dpkg -i /tmp/baladiya.deb >/dev/null 2>&1 || fail "dpkg -i again"
echo "baladiya baladiya/purge-data boolean true" | in_root debconf-set-selections
T=300 in_root dpkg --purge baladiya >/dev/null 2>&1 || fail "dpkg --purge (delete data)"
in_root test ! -e /var/lib/baladiya || fail "purge asked to delete the data left it"
took "remove and purge keep the data; purge deletes it when asked"

say "passed"

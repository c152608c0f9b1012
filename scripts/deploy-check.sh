#!/usr/bin/env bash
# Follows docs/deploy.md on this machine, in a temporary folder: PostgreSQL, HTTPS with a
# self-made certificate, the first administrator, a case, backup with pg_dump, restore with
# pg_restore, the check after restore, key rotation. It installs nothing system-wide and
# leaves nothing behind (the databases are dropped, the folder removed).
#
#   scripts/deploy-check.sh
#   DELIMIT_BIN=target/dist/delimit DELIMIT_TEST_POSTGRES_URL=postgres://... scripts/deploy-check.sh
#
# DELIMIT_BIN: the binary (default target/debug/delimit). DELIMIT_TEST_POSTGRES_URL: a
# PostgreSQL URL of a role that may create databases (default: scripts/test-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$SECONDS

step() { echo "deploy-check: $*"; }
fail() { echo "deploy-check: FAILED: $*" >&2; exit 1; }

bin="${DELIMIT_BIN:-target/debug/delimit}"
[[ "$bin" == /* ]] || bin="$repo/$bin"
[ -x "$bin" ] || fail "no binary at $bin (build it: cargo build -p delimit-cli, or set DELIMIT_BIN)"
for tool in openssl curl; do command -v "$tool" >/dev/null || fail "$tool is missing"; done
# PostgreSQL's client programs: the newest installed server's, else those on PATH.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$pgbin" ] && PATH="$pgbin:$PATH"
for tool in psql pg_dump pg_restore; do command -v "$tool" >/dev/null || fail "$tool is missing"; done
admin_url="${DELIMIT_TEST_POSTGRES_URL:-$(scripts/test-postgres.sh)}"
# Nothing from the caller's environment chooses the registry or its key.
unset DELIMIT_DB DELIMIT_KEY DELIMIT_KEY_FILE DELIMIT_PASSWORD

tmp=$(mktemp -d /tmp/delimit-deploy-check.XXXXXX)
suffix="$$_$(date +%s)"
db1="delimit_deploy_${suffix}"
db2="delimit_deploy_${suffix}_restored"
pids=()
cleanup() {
    local rc=$?
    for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    for db in "$db1" "$db2"; do
        psql -q -X "$admin_url" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$tmp"
    [ "$rc" = 0 ] || echo "deploy-check: stopped after a failure (exit $rc); servers stopped, databases dropped" >&2
}
trap cleanup EXIT
cd "$tmp"

# The admin URL with another database in its path (its query, if any, kept).
db_url() { sed -E "s#^([a-z]+://[^/?]*)(/[^?]*)?#\1/$1#" <<<"$admin_url"; }
url1=$(db_url "$db1")
url2=$(db_url "$db2")

# Installing: a copy of the binary, so that a rebuild meanwhile changes nothing here.
mkdir -m 700 bin etc data backup
cp "$bin" bin/delimit
delimit() { "$tmp/bin/delimit" "$@"; }
step "binary: $(delimit --version)"

psql -q -X -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE DATABASE \"$db1\"" >/dev/null ||
    fail "cannot create the database $db1 through $admin_url"
step "database $db1 created"

(umask 077 && openssl rand -hex 32 >etc/key)
[ "$(stat -c %a etc/key)" = 600 ] || fail "etc/key is not 0600"
step "key file written (0600)"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout etc/tls.key -out etc/tls.crt 2>/dev/null || fail "openssl could not make a certificate"
chmod 600 etc/tls.key
step "self-signed certificate for localhost and 127.0.0.1 made (key 0600)"

# Starts `delimit serve ARGS...` in the background; sets $url from its first line on stderr.
serve() {
    local log="$1"; shift
    # The binary itself in the background (not the shell function), so that $! is its pid.
    "$tmp/bin/delimit" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
    local pid=$! i
    pids+=("$pid")
    for i in $(seq 1 300); do
        url=$(grep -o -m1 'delimit serves on https\?://127\.0\.0\.1:[0-9]*' "$log" | grep -o 'https\?://.*' || true)
        [ -n "$url" ] && return 0
        kill -0 "$pid" 2>/dev/null || fail "the server stopped at start: $(cat "$log")"
        sleep 0.1
    done
    fail "the server did not say where it serves within 30 s: $(cat "$log")"
}
stop() {  # stop SIGNAL: ctrl-c (INT) or systemd's TERM stops the server after the requests under way
    local sig="$1" pid="${pids[-1]}" i
    kill -"$sig" "$pid"
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null && sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; fail "the server did not stop within 20 s of SIG$sig"; }
    wait "$pid" || fail "the server exited with $? when stopped"
    unset 'pids[-1]'
}

# A key file or TLS key that others may read is refused at start.
refused() {
    local what="$1" out rc=0; shift
    out=$(timeout 30 "$tmp/bin/delimit" serve --listen 127.0.0.1:0 --db "$url1" "$@" 2>&1) || rc=$?
    [ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "a $what readable by others was not refused at start (exit $rc): $out"
    grep -q chmod <<<"$out" || fail "the refusal of a $what readable by others does not say chmod: $out"
}
cp etc/key etc/key-0644 && chmod 644 etc/key-0644
refused "key file" --key-file etc/key-0644
cp etc/tls.key etc/tls-0644.key && chmod 644 etc/tls-0644.key
refused "TLS key" --key-file etc/key --tls-cert etc/tls.crt --tls-key etc/tls-0644.key
rm etc/key-0644 etc/tls-0644.key
step "a key file and a TLS key with mode 0644 are refused at start, naming chmod"

serve serve1.log --db "$url1" --key-file etc/key --tls-cert etc/tls.crt --tls-key etc/tls.key
[[ "$url" == https://* ]] || fail "the server with TLS says it serves on $url"
https() { curl -sS --cacert "$tmp/etc/tls.crt" "$@"; }
for i in $(seq 1 50); do
    [ "$(https -o /dev/null -w '%{http_code}' "$url/api/health" 2>/dev/null)" = 200 ] && break
    [ "$i" = 50 ] && fail "GET $url/api/health did not answer 200 over HTTPS"
    sleep 0.2
done
step "server up on $url, /api/health answers over HTTPS (curl --cacert)"

headers() {  # headers PATH: the security headers of one answer
    local h
    h=$(https -o /dev/null -D - "$url$1") || fail "GET $1 failed"
    grep -qi '^strict-transport-security: max-age=' <<<"$h" || fail "GET $1: no Strict-Transport-Security: $h"
    grep -qi "^content-security-policy: default-src 'self'" <<<"$h" || fail "GET $1: no Content-Security-Policy: $h"
    grep -qi '^x-content-type-options: nosniff' <<<"$h" || fail "GET $1: no X-Content-Type-Options nosniff: $h"
    grep -qi '^referrer-policy: no-referrer' <<<"$h" || fail "GET $1: no Referrer-Policy: $h"
    grep -qi '^x-frame-options: deny' <<<"$h" || fail "GET $1: no X-Frame-Options DENY: $h"
}
for path in / /api/health /no-such-page; do headers "$path"; done
step "HSTS, Content-Security-Policy, nosniff, no-referrer, DENY on /, /api/health and a 404"

password="lilac river 71 Dushanbe"
json=(-H 'content-type: application/json')
code=$(https -o setup.json -w '%{http_code}' "${json[@]}" \
    -d "{\"username\":\"admin\",\"password\":\"$password\",\"organisation\":\"Field office\"}" "$url/api/setup")
[ "$code" = 201 ] || fail "POST /api/setup answered $code: $(cat setup.json)"
step "first administrator created (POST /api/setup)"

https -D session.headers -o session.json "${json[@]}" \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$url/api/session"
token=$(grep -o '"token":"[^"]*"' session.json | cut -d'"' -f4 || true)
[ -n "$token" ] || fail "POST /api/session gave no token: $(cat session.json)"
grep -qi '^set-cookie: delimit_session=.*; *Secure' session.headers ||
    fail "the session cookie is not Secure: $(grep -i set-cookie session.headers || echo 'no Set-Cookie')"
step "signed in; the session cookie is Secure"

auth=(-H "authorization: Bearer $token")
code=$(https -o case.json -w '%{http_code}' "${auth[@]}" "${json[@]}" \
    --data-binary @"$repo/bench/classify-body.json" "$url/api/cases")
[ "$code" = 201 ] || fail "POST /api/cases answered $code: $(cat case.json)"
case_id=$(grep -o '"id":"[^"]*"' case.json | head -1 | cut -d'"' -f4)
https "${auth[@]}" "$url/api/cases" >cases.json
grep -q "\"id\":\"$case_id\"" cases.json || fail "GET /api/cases does not list $case_id: $(cat cases.json)"
step "case $case_id stored and listed"

delimit audit verify --db "$url1" --key-file etc/key >verify1.txt || fail "audit verify: $(cat verify1.txt)"
head=$(sed -n 's/^head: \([0-9]*:[0-9a-f]*\).*/\1/p' verify1.txt)
[ -n "$head" ] || fail "audit verify printed no head: $(cat verify1.txt)"
echo "$head" >etc/audit-head   # kept apart from the database and its backups
step "audit chain verified; head $head kept apart"

(umask 077 && pg_dump --format=custom --file=backup/delimit.dump "$url1") || fail "pg_dump failed"
step "backed up with pg_dump (custom format) while the server runs"

stop INT
step "server stopped by SIGINT"

psql -q -X -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE DATABASE \"$db2\"" >/dev/null ||
    fail "cannot create the database $db2 through $admin_url"
pg_restore --no-owner --exit-on-error --dbname="$url2" backup/delimit.dump || fail "pg_restore failed"
step "restored into a fresh database $db2 with pg_restore"

delimit audit verify --db "$url2" --key-file etc/key --head "$head" >verify2.txt ||
    fail "audit verify --head on the restored database: $(cat verify2.txt)"
grep -q 'the head given is in the chain' verify2.txt || fail "audit verify --head: $(cat verify2.txt)"
step "restored database: audit chain verified against the kept head"

# The restored registry served as behind nginx: plain HTTP on loopback, trusting 127.0.0.1.
serve serve2.log --db "$url2" --key-file etc/key --behind-proxy 127.0.0.1
fwd=(-H 'X-Forwarded-For: 198.51.100.7' -H 'X-Forwarded-Proto: https')
token2=$(curl -sS "${fwd[@]}" "${json[@]}" -d "{\"username\":\"admin\",\"password\":\"$password\"}" \
    "$url/api/session" | grep -o '"token":"[^"]*"' | cut -d'"' -f4 || true)
[ -n "$token2" ] || fail "cannot sign in on the restored database"
curl -sS "${fwd[@]}" -H "authorization: Bearer $token2" "$url/api/cases" >cases2.json
grep -q "\"id\":\"$case_id\"" cases2.json || fail "the restored database does not list $case_id: $(cat cases2.json)"
curl -sS -D - -o /dev/null "${fwd[@]}" "$url/api/health" | grep -qi '^strict-transport-security:' ||
    fail "behind the proxy, HSTS is not sent"
code=$(curl -sS -o untrusted.json -w '%{http_code}' --interface 127.0.0.2 "${fwd[@]}" "$url/api/health" || true)
if [ "$code" = 000 ]; then
    step "(127.0.0.2 cannot be used as a source address here: the proxy.untrusted check is skipped)"
else
    [ "$code" = 400 ] && grep -q proxy.untrusted untrusted.json ||
        fail "forwarded headers from 127.0.0.2 answered $code: $(cat untrusted.json)"
fi
stop TERM
step "restored case $case_id listed through --behind-proxy 127.0.0.1; HSTS sent, other senders refused; stopped by SIGTERM"

cp etc/key etc/key.before-rotation
delimit key rotate --db "$url2" --key-file etc/key >rotate.txt 2>&1 || fail "key rotate: $(cat rotate.txt)"
retired=$(ls etc/key.retired-* 2>/dev/null | head -1)
[ -n "$retired" ] && cmp -s "$retired" etc/key.before-rotation || fail "no retired key holding the old one: $(cat rotate.txt)"
[ "$(stat -c %a etc/key)" = 600 ] || fail "the new key file is not 0600"
delimit audit verify --db "$url2" --key-file etc/key --head "$head" >verify3.txt ||
    fail "audit verify --head with the new key: $(cat verify3.txt)"
if delimit audit verify --db "$url2" --key-file "$retired" >/dev/null 2>&1; then
    fail "the retired key still opens the rotated registry"
fi
step "key rotated; audit verify --head passes with the new key, the old one is refused"

step "every step done in $((SECONDS - started)) s"
echo "deploy-check: passed"

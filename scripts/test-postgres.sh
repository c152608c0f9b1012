#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on loopback for the test suite and prints the
# connection URL. Installs Debian's server first when it is missing (as root).
#   export DELIMIT_TEST_POSTGRES_URL=$(scripts/test-postgres.sh)
set -euo pipefail
PORT="${DELIMIT_TEST_POSTGRES_PORT:-55432}"
DIR="${DELIMIT_TEST_POSTGRES_DIR:-/tmp/delimit-test-postgres}"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# The server refuses to run as root: run it as the postgres user when we are root.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_owner "$bin/initdb" -D "$DIR/data" -U delimit --auth=trust -E UTF8 >&2
    as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c fsync=off" start >&2
fi
echo "postgres://delimit@127.0.0.1:$PORT/postgres"

#!/bin/bash
# The official postgres image's start, for PostgreSQL from Debian's packages:
# an empty $PGDATA is initialised with POSTGRES_USER (superuser), its password
# (POSTGRES_PASSWORD or the file POSTGRES_PASSWORD_FILE) and the database
# POSTGRES_DB; then the server runs in the foreground, listening on
# POSTGRES_LISTEN_ADDRESSES (default '*') and PGPORT (default 5432).
set -euo pipefail
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then password=$(cat "$POSTGRES_PASSWORD_FILE"); else password=${POSTGRES_PASSWORD:-}; fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    [ -n "$password" ] || { echo "postgres: set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE)" >&2; exit 1; }
    initdb --username="$user" --pwfile=<(printf '%s\n' "$password") --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start >/dev/null
    [ "$database" = postgres ] || psql -q -v ON_ERROR_STOP=1 -p "${PGPORT:-5432}" -U "$user" -d postgres \
        -c "CREATE DATABASE \"$database\" OWNER \"$user\""
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "postgres: initialised $PGDATA (user $user, database $database)"
fi
exec postgres -c listen_addresses="${POSTGRES_LISTEN_ADDRESSES:-*}" -p "${PGPORT:-5432}" "$@"

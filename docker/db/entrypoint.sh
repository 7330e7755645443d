#!/usr/bin/env bash
# Regent's database: on first start (empty data directory) initialises a cluster with role and
# database "regent", whose password is /code/deploy/secrets/db-password (made here, mode 600, if
# bin/regent up has not made it yet). Then runs postgres in the foreground as user postgres.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
secrets=/code/deploy/secrets
password_file="$secrets/db-password"

if [ ! -s "$password_file" ]; then
  mkdir -p "$secrets"
  chmod 700 "$secrets"
  (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$password_file.tmp")
  mv "$password_file.tmp" "$password_file"
fi

mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "regent-db: initialising a new cluster in $PGDATA" >&2
  # The password reaches initdb through a file only postgres can read, never a command line.
  pwfile="$(mktemp)"
  tr -d '\n' < "$password_file" > "$pwfile"
  chown postgres "$pwfile"
  chmod 600 "$pwfile"
  su postgres -s /bin/sh -c "$bin/initdb -D '$PGDATA' -U postgres --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$bin/pg_ctl -D '$PGDATA' -o '-c listen_addresses=' -w start" >/dev/null
  su postgres -s /bin/sh -c "$bin/psql -v ON_ERROR_STOP=1 -q -d postgres" <<SQL
\set pw \`cat $pwfile\`
CREATE ROLE regent LOGIN PASSWORD :'pw';
CREATE DATABASE regent OWNER regent;
SQL
  rm -f "$pwfile"
  su postgres -s /bin/sh -c "$bin/pg_ctl -D '$PGDATA' -m fast -w stop" >/dev/null
  # Any address inside the compose network, password (scram-sha-256) only.
  cat >> "$PGDATA/pg_hba.conf" <<HBA
host all all 0.0.0.0/0 scram-sha-256
host all all ::/0 scram-sha-256
HBA
  echo "regent-db: cluster ready" >&2
fi

# setpriv execs (su would stay as a parent): postgres itself receives the stop signal from tini.
exec setpriv --reuid=postgres --regid=postgres --init-groups \
  "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -c password_encryption=scram-sha-256

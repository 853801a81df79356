#!/usr/bin/env bash
# A throwaway PostgreSQL server for the PostgreSQL store's tests (issue 16).
#
#   env=$(bash scripts/postgres.sh start) && eval "$env"   # starts one; exports CW_PG_URL, CW_PG_DIR
#   bash scripts/postgres.sh stop "$CW_PG_DIR" # stops it and removes its data
#
# `start` installs Debian's `postgresql` package when initdb/pg_ctl are not found (on PATH or in
# /usr/lib/postgresql/*/bin), creates a data directory in a new temp dir, listens on a free port
# of 127.0.0.1 only (socket in the same temp dir), trusts local connections (tests only: never
# expose this server), serves TLS too (a throwaway CA and a certificate for localhost and
# 127.0.0.1, made with the openssl CLI, installed when missing; plain connections still work),
# creates database `channelwise` and prints the export lines: CW_PG_URL, CW_PG_DIR and CW_PG_CA
# (the CA's PEM file, for `?sslmode=verify-full&sslrootcert=$CW_PG_CA`).
# PostgreSQL refuses to run as root: as root the server runs as user `postgres` (created when
# missing) through runuser.
set -euo pipefail

find_bin() {
  local b
  for b in "$(command -v "$1" 2>/dev/null || true)" /usr/lib/postgresql/*/bin/"$1"; do
    if [ -n "$b" ] && [ -x "$b" ]; then echo "$b"; return 0; fi
  done
  return 1
}

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local initdb pg_ctl
  if ! initdb=$(find_bin initdb) || ! pg_ctl=$(find_bin pg_ctl); then
    echo "postgres.sh: installing postgresql (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || {
      apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    }
    initdb=$(find_bin initdb) && pg_ctl=$(find_bin pg_ctl) || { echo "postgres.sh: no initdb after install" >&2; exit 1; }
  fi
  local createdb port dir
  createdb=$(find_bin createdb) || createdb=$(dirname "$(readlink -f "$initdb")")/createdb
  dir=$(mktemp -d /tmp/cw-pg.XXXXXX)
  # a start that fails half way leaves nothing running
  trap 'stop "$dir" >/dev/null 2>&1' EXIT
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    chown postgres "$dir"
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  command -v openssl >/dev/null || apt-get install -y -q openssl >&2 || { apt-get update -q >&2 && apt-get install -y -q openssl >&2; }
  # a CA, and the server's key and certificate signed by it (for localhost and 127.0.0.1)
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=channelwise-test-ca \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" >/dev/null 2>&1
  chmod 600 "$dir/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir/server.key" "$dir/server.pem"; fi
  as_server "$initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync stays on: the store's durability is part of what the tests exercise
  as_server "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=50 -c ssl=on -c ssl_cert_file=$dir/server.pem -c ssl_key_file=$dir/server.key" start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_server "$createdb" -h 127.0.0.1 -p "$port" -U postgres channelwise
  trap - EXIT
  echo "export CW_PG_URL=postgresql://postgres@127.0.0.1:$port/channelwise"
  echo "export CW_PG_DIR=$dir"
  echo "export CW_PG_CA=$dir/ca.pem"
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR}
  local pg_ctl
  case "$dir" in /tmp/cw-pg.*) ;; *) echo "postgres.sh: $dir is not a directory this script made" >&2; exit 1 ;; esac
  pg_ctl=$(find_bin pg_ctl) || true
  if [ -n "$pg_ctl" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_server "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac

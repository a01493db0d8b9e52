#!/usr/bin/env bash
# The office server in one command, on the machine that runs PostgreSQL (Debian: apt install postgresql):
#
#   sudo installers/server-setup.sh [--lan 192.168.1.0/24] [--database renewal_desk] [--role renewal_desk]
#
# Creates the app's service account (it may log in; no superuser, cannot create databases or roles) with
# a generated password, the database it owns (UTF-8) and the pg_trgm extension the search index needs.
# With --lan it lets that network connect (pg_hba.conf, scram-sha-256 passwords) and makes the server
# listen on the network, then restarts it. Safe to run again: what exists is kept (the password is only
# set when the account is created, or with --new-password).
# It prints the address for the laptops (设置 → 数据库 → 办公室服务器, or renewal-desk --db …) and the
# line each laptop's ~/.pgpass needs, so no password is ever stored in the app's settings.
# The schema itself is built by `renewal-desk server init <address>` (or the first laptop that connects).
#
# For tests and other set-ups: RUN_AS (default postgres) is the account psql runs as; PGHOST/PGPORT/PGUSER
# are honoured as by every libpq program.
set -euo pipefail

DB=renewal_desk
ROLE=renewal_desk
LAN=""
NEW_PASSWORD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --database) DB=$2; shift 2 ;;
    --role) ROLE=$2; shift 2 ;;
    --lan) LAN=$2; shift 2 ;;
    --new-password) NEW_PASSWORD=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "server-setup: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for name in "$DB" "$ROLE"; do
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "server-setup: names are lower-case letters, digits and _: $name" >&2; exit 2; }
done

RUN_AS=${RUN_AS:-postgres}
psql_() {
  if [ "$(id -un)" = "$RUN_AS" ]; then psql -X -v ON_ERROR_STOP=1 -qAt "$@"
  else runuser -u "$RUN_AS" -- psql -X -v ON_ERROR_STOP=1 -qAt "$@"; fi
}
command -v psql >/dev/null || { echo "server-setup: PostgreSQL is not installed (apt install postgresql)" >&2; exit 1; }

password=""
if [ -z "$(psql_ -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
  password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
  psql_ -d postgres -v pw="$password" <<SQL
CREATE ROLE $ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
SQL
  echo "server-setup: created the account $ROLE"
elif [ "$NEW_PASSWORD" = 1 ]; then
  password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
  psql_ -d postgres -v pw="$password" <<SQL
ALTER ROLE $ROLE PASSWORD :'pw';
SQL
  echo "server-setup: new password for $ROLE"
fi

if [ -z "$(psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  psql_ -d postgres -c "CREATE DATABASE $DB OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0"
  psql_ -d postgres -c "REVOKE ALL ON DATABASE $DB FROM PUBLIC"
  psql_ -d postgres -c "GRANT CONNECT, TEMPORARY ON DATABASE $DB TO $ROLE"
  echo "server-setup: created the database $DB (owner $ROLE)"
fi
psql_ -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"

if [ -n "$LAN" ]; then
  hba=$(psql_ -d postgres -c "SHOW hba_file")
  rule="host    $DB    $ROLE    $LAN    scram-sha-256"
  grep -qF "$rule" "$hba" || { echo "$rule" >> "$hba"; echo "server-setup: $LAN may connect ($hba)"; }
  psql_ -d postgres -c "ALTER SYSTEM SET listen_addresses = '*'"
  psql_ -d postgres -c "ALTER SYSTEM SET password_encryption = 'scram-sha-256'"
  systemctl restart postgresql 2>/dev/null || pg_ctlcluster "$(psql_ -d postgres -c 'SHOW server_version_num' | cut -c1-2)" main restart
fi

host=${PGHOST:-$(hostname -I 2>/dev/null | awk '{print $1}')}
[[ "$host" == /* ]] && host="localhost"
port=${PGPORT:-5432}
echo "server-setup: the laptops connect to  postgresql://$ROLE@$host:$port/$DB"
if [ -n "$password" ]; then
  echo "server-setup: each laptop's ~/.pgpass (chmod 600) gets this line (shown once):"
  echo "$host:$port:$DB:$ROLE:$password"
fi

#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on this machine for the central-database tests:
# installs it from the system packages if missing, starts the cluster if it is down, and
# waits until it accepts connections. Run as root (CI is). Idempotent.
set -euo pipefail
installed_now=0

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
  echo "== installing PostgreSQL"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql
  installed_now=1
fi

version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  echo "== creating cluster $version/main"
  pg_createcluster "$version" main
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  echo "== starting PostgreSQL $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi

if [[ "${installed_now:-0}" == 1 ]]; then
  # A throwaway CI server only: the tests connect as the superuser "postgres" over
  # 127.0.0.1 (WARUNGIN_TEST_PG_DSN) with no password, as on the developers' machines.
  hba=/etc/postgresql/$version/main/pg_hba.conf
  sed -i '1i host all all 127.0.0.1/32 trust\nlocal all all trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi

for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "== PostgreSQL $version ready on 127.0.0.1:5432"
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL $version did not become ready on 127.0.0.1:5432" >&2
exit 1

#!/usr/bin/env bash
# Make sure the tests' PostgreSQL (127.0.0.1:5432, trust auth, database `test`) and Redis
# (127.0.0.1:6379) answer: start them where they are installed but stopped, install them
# from Debian's packages where they are missing (as root), and say clearly what is missing
# otherwise.
set -uo pipefail

say() { printf 'services: %s\n' "$*"; }

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing $* from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    say "cannot install $* here (not root, or no apt-get): install it, then run again"
    return 1
  fi
}

wait_for() {  # wait_for CHECK SECONDS
  for _ in $(seq 1 "$2"); do "$1" && return 0; sleep 1; done
  return 1
}

if ! pg_up; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql postgresql-client
  if command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    # A fresh install asks for passwords over TCP: the test database is local and trusted.
    if [ -w "$hba" ] && ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
    fi
  fi
  wait_for pg_up 30 || { say "PostgreSQL does not answer on 127.0.0.1:5432"; exit 1; }
fi
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='test'" 2>/dev/null | grep -q 1; then
  say "creating database test"
  createdb -h 127.0.0.1 -U postgres test || { say "cannot create database test as postgres"; exit 1; }
fi

if ! redis_up; then
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for redis_up 15 || { say "Redis does not answer on 127.0.0.1:6379"; exit 1; }
fi
say "PostgreSQL and Redis answer"

#!/usr/bin/env bash
# The scaffold's store against a real PostgreSQL (Debian's `postgresql`, run with
# pg_ctlcluster; installed with apt-get when missing). For every example whose design chose a
# PostgreSQL-compatible store and a REST front: render the scaffold, build it, start the
# service on a fresh database, `PUT /items/{key}`, check a missing key answers 404, stop the
# service (SIGTERM, exit 0), start it again and `GET` the item back. Where the design chose
# the transactional outbox, the event row must have been written with the item (one row,
# with an event id) and marked sent by the relay; where it chose idempotency, a second PUT
# with the same `Idempotency-Key` must change nothing. Then the crate's own database tests
# (`cargo test store:: outbox::`) run with DATABASE_URL set, and must not skip.
#
# Prints one line per example: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

db=tradeoff_check
started_cluster=
service_pid=
cleanup() {
  if [[ -n $service_pid ]]; then
    kill "$service_pid" 2>/dev/null
    wait "$service_pid" 2>/dev/null
  fi
  if [[ -n ${cluster:-} ]]; then
    su postgres -c "psql -q -p $pg_port -c 'DROP DATABASE IF EXISTS $db' -c 'DROP ROLE IF EXISTS $db'" >/dev/null 2>&1
  fi
  if [[ -n $started_cluster ]]; then
    pg_ctlcluster "$started_cluster" main stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
  apt_install postgresql
fi
require "postgres" pg_ctlcluster pg_lsclusters psql cargo curl python3
if [[ $(id -u) -ne 0 ]]; then
  skip "postgres" "pg_ctlcluster and the postgres account need root"
  exit 0
fi

# The newest installed cluster `main`, created when missing; started here when it was down
# (and stopped again at exit).
version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
if [[ -z $version ]]; then
  skip "postgres" "no PostgreSQL server under /usr/lib/postgresql"
  exit 0
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  pg_createcluster "$version" main >"$work/cluster.log" 2>&1 || {
    fail "postgres" "pg_createcluster $version main: $(why "$work/cluster.log")"
    exit 1
  }
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  if ! pg_ctlcluster "$version" main start >"$work/cluster.log" 2>&1; then
    fail "postgres" "pg_ctlcluster $version main start: $(why "$work/cluster.log")"
    exit 1
  fi
  started_cluster=$version
fi
cluster=$version
pg_port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
password=check-$$
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $pg_port $*"; }
{
  psql_admin "-c \"DROP DATABASE IF EXISTS $db\"" &&
    psql_admin "-c \"DROP ROLE IF EXISTS $db\"" &&
    psql_admin "-c \"CREATE ROLE $db LOGIN PASSWORD '$password'\""
} >"$work/db.log" 2>&1 || {
  fail "postgres" "cannot create the role $db: $(why "$work/db.log")"
  exit 1
}
# `fresh_database`: an empty database for one service (each has its own migrations).
fresh_database() {
  psql_admin "-c \"DROP DATABASE IF EXISTS $db\"" && psql_admin "-c \"CREATE DATABASE $db OWNER $db\""
}
url="postgres://$db:$password@127.0.0.1:$pg_port/$db"
echo "PostgreSQL $version on 127.0.0.1:$pg_port, database $db" >&2
query() { PGPASSWORD=$password psql -h 127.0.0.1 -p "$pg_port" -U "$db" -d "$db" -tAc "$1"; }

build_tradeoff
scaffold_target
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# `start DIR PACKAGE PORT LOG`: starts the service and waits until /readyz answers 200.
start() {
  (cd "$1" && APP__DATABASE__URL=$url APP__SERVICE__LISTEN=127.0.0.1:$3 \
    APP__SERVICE__DRAIN_DELAY_S=0 APP__TELEMETRY__LOG_FORMAT=text \
    exec "$CARGO_TARGET_DIR/debug/$2") >>"$4" 2>&1 &
  service_pid=$!
  for _ in $(seq 120); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$3/readyz") == 200 ]] && return 0
    kill -0 "$service_pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

# `stop`: SIGTERM, and the exit status of the service.
stop() {
  kill -TERM "$service_pid" 2>/dev/null
  wait "$service_pid"
  local rc=$?
  service_pid=
  return $rc
}

checked=0
for f in examples/*.yaml; do
  e=$(basename "$f" .yaml)
  dir=$work/$e
  mkdir -p "$dir"
  log=$dir/steps.log
  if ! design_for "$e" "$dir/$e.yaml" "$log"; then
    fail "postgres $e" "tradeoff advise: $(why "$log")"
    continue
  fi
  if ! "$bin" render "$dir/$e.yaml" --scaffold "$dir/crate" >"$log" 2>&1; then
    fail "postgres $e" "tradeoff render --scaffold: $(why "$log")"
    continue
  fi
  crate=$dir/crate
  # Only REST designs whose store is PostgreSQL-compatible have the items table.
  [[ -f $crate/src/store.rs && -f $crate/src/http.rs ]] || continue
  checked=$((checked + 1))
  if ! fresh_database >"$log" 2>&1; then
    fail "postgres $e" "cannot create the database $db: $(why "$log")"
    continue
  fi
  outbox=$([[ -f $crate/migrations/0002_outbox.sql ]] && echo yes)
  idempotency=$([[ -f $crate/migrations/0003_idempotency.sql ]] && echo yes)
  echo "postgres $e: building" >&2
  if ! (cd "$crate" && cargo build --quiet) >"$log" 2>&1; then
    fail "postgres $e" "cargo build: $(why "$log")"
    continue
  fi
  port=$(free_port)
  service_log=$dir/service.log
  if ! start "$crate" "$e" "$port" "$service_log"; then
    fail "postgres $e" "the service did not become ready: $(why "$service_log")"
    stop
    continue
  fi
  key="item-$e-$$"
  body="stored by check-postgres $$ for $e"
  headers=()
  [[ -n $idempotency ]] && headers=(-H "Idempotency-Key: key-$e-$$")
  put=$(curl -s -o "$dir/put.out" -w '%{http_code}' -X PUT "${headers[@]}" --data-binary "$body" "127.0.0.1:$port/items/$key")
  missing=$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$port/items/absent-$$")
  replay=
  if [[ -n $idempotency ]]; then
    replay=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "${headers[@]}" --data-binary "changed" "127.0.0.1:$port/items/$key")
  fi
  # The relay runs every second; give it a few.
  sent=
  if [[ -n $outbox ]]; then
    for _ in $(seq 20); do
      sent=$(query "SELECT count(*) FROM outbox WHERE key = '$key' AND sent_at IS NOT NULL" 2>>"$log")
      [[ $sent == 1 ]] && break
      sleep 0.5
    done
  fi
  stop
  stopped=$?
  if [[ $put != 204 ]]; then
    fail "postgres $e" "PUT /items/$key answered $put, not 204: $(head -c 200 "$dir/put.out")"
    continue
  fi
  if [[ $missing != 404 ]]; then
    fail "postgres $e" "GET of a missing key answered $missing, not 404"
    continue
  fi
  if [[ $stopped -ne 0 ]]; then
    fail "postgres $e" "the service exited $stopped on SIGTERM: $(why "$service_log")"
    continue
  fi
  if [[ -n $idempotency && $replay != 204 ]]; then
    fail "postgres $e" "a PUT repeated with its Idempotency-Key answered $replay, not 204"
    continue
  fi
  # A new process: nothing but the database remembers the item.
  port=$(free_port)
  if ! start "$crate" "$e" "$port" "$service_log"; then
    fail "postgres $e" "the service did not become ready again: $(why "$service_log")"
    stop
    continue
  fi
  got=$(curl -s -w '\n%{http_code}' "127.0.0.1:$port/items/$key")
  stop
  if [[ $got != "$body"$'\n'200 ]]; then
    fail "postgres $e" "GET /items/$key after a restart answered $(echo "$got" | tail -n 1) with $(echo "$got" | head -n 1 | head -c 100), not the body stored"
    continue
  fi
  notes="item put, service restarted, item read back (200), missing key 404"
  [[ -n $idempotency ]] && notes+=", the PUT repeated with its Idempotency-Key changed nothing"
  if [[ -n $outbox ]]; then
    events=$(query "SELECT count(*) FROM outbox WHERE key = '$key' AND event_id IS NOT NULL")
    if [[ $events != 1 ]]; then
      fail "postgres $e" "the outbox holds $events events for the item, not 1"
      continue
    fi
    if [[ $sent != 1 ]]; then
      fail "postgres $e" "the relay did not mark the item's event sent within 10 s"
      continue
    fi
    notes+=", its one outbox event (with an event_id) written with it and marked sent by the relay"
  fi
  if ! (cd "$crate" && DATABASE_URL=$url cargo test --lib -- store:: outbox:: --nocapture) >"$log" 2>&1; then
    fail "postgres $e" "cargo test store:: outbox::: $(grep -m1 -E 'panicked|^error|FAILED' "$log" || why "$log")"
    continue
  fi
  if grep -q "skipped: DATABASE_URL" "$log"; then
    fail "postgres $e" "the database tests skipped themselves although DATABASE_URL was set"
    continue
  fi
  ran=$(grep -oE 'test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
  pass "postgres $e: $notes; $ran database tests pass against PostgreSQL $version"
done
if [[ $checked -eq 0 ]]; then
  fail "postgres" "no example chose a PostgreSQL-compatible store with a REST front"
fi
exit "$failed"

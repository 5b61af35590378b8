#!/usr/bin/env bash
# The Redis cache of the scaffold against a real Redis: for every example whose design chose a
# shared cache layer (read-through, write-through or write-back, so `cache.backend: redis`),
# render the scaffold, start a `redis-server` (Debian's; installed with apt-get when missing)
# on a free port of 127.0.0.1, and run the crate's Redis test (`cargo test --lib cache::`)
# with REDIS_URL pointing at it. The test skips itself without REDIS_URL, so the check also
# asks the server whether it was used: a PASS needs the tests to pass *and* keyspace hits and
# misses counted by that Redis.
#
# Prints one line per example: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

redis_pid=
cleanup() {
  if [[ -n $redis_pid ]]; then
    kill "$redis_pid" 2>/dev/null
    wait "$redis_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  apt_install redis-server
fi
require "redis" redis-server redis-cli cargo python3
build_tradeoff
scaffold_target

# A free port: bound by the kernel, then released for redis-server.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 30); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 1
done
if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
  fail "redis" "redis-server did not answer on 127.0.0.1:$port: $(why "$work/redis.log")"
  exit 1
fi
echo "redis-server on 127.0.0.1:$port" >&2

# `redis_stat NAME`: a counter of the server's INFO stats.
redis_stat() { redis-cli -p "$port" info stats | tr -d '\r' | sed -n "s/^$1://p"; }

checked=0
for f in examples/*.yaml; do
  e=$(basename "$f" .yaml)
  dir=$work/$e
  mkdir -p "$dir"
  log=$dir/steps.log
  if ! design_for "$e" "$dir/$e.yaml" "$log"; then
    fail "redis $e" "tradeoff advise: $(why "$log")"
    continue
  fi
  if ! "$bin" render "$dir/$e.yaml" --scaffold "$dir/crate" >"$log" 2>&1; then
    fail "redis $e" "tradeoff render --scaffold: $(why "$log")"
    continue
  fi
  # Only designs with a shared cache get the Redis backend.
  grep -q '^  backend: "redis"$' "$dir/crate/config/service.yaml" || continue
  checked=$((checked + 1))
  hits=$(redis_stat keyspace_hits) misses=$(redis_stat keyspace_misses)
  if ! (cd "$dir/crate" && REDIS_URL="redis://127.0.0.1:$port" cargo test --lib cache:: -- --nocapture) >"$log" 2>&1; then
    fail "redis $e" "cargo test cache::: $(grep -m1 -E 'panicked|^error|FAILED' "$log" || why "$log")"
    continue
  fi
  ran=$(grep -oE 'test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
  if grep -q "skipped: REDIS_URL" "$log"; then
    fail "redis $e" "the Redis test skipped itself although REDIS_URL was set"
  elif [[ $(redis_stat keyspace_hits) -le $hits || $(redis_stat keyspace_misses) -le $misses ]]; then
    fail "redis $e" "the tests passed but redis-server counted no hit and miss of theirs"
  else
    pass "redis $e: the cache's tests pass against redis-server on 127.0.0.1:$port ($ran tests; hits and misses counted by the server)"
  fi
done
if [[ $checked -eq 0 ]]; then
  fail "redis" "no example chose a shared cache (read-through, write-through or write-back)"
fi
exit "$failed"

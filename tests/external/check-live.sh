#!/usr/bin/env bash
# The live check of the scaffold: for the REST (startup), gRPC (uber), RabbitMQ (netflix) and
# NATS (discord) examples, render the scaffold, build it, start it on 127.0.0.1, start a real
# Prometheus (Debian's, 2.42) with the scaffold's own rules (prometheus/alerts.yaml), a 1 s
# scrape and evaluation interval and the service as its target, then:
#   - /healthz, /readyz and /metrics answer;
#   - the rate limiter answers 429 / RESOURCE_EXHAUSTED (consumers: defers messages) past a
#     small burst;
#   - with chaos.error_rate = 0 under load, no alert fires;
#   - with chaos.error_rate = 0.5 under load, the page alert fires (time to fire is printed);
#   - SIGTERM under load drains and exits 0;
#   - with the service stopped, the absent-metric alert (SliNotScraped) fires.
# Kafka (linkedin) runs only where KAFKA_BROKERS is set (host:port); SKIPPED otherwise.
# Traffic goes only to 127.0.0.1; every wait is bounded. LIVE_EXAMPLES (e.g. "startup uber")
# limits the run to some examples while working on one.
#
# Prints one line per check: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

pids=()
cleanup() {
  # rabbitmq-server runs as its own user under su: ask the node to stop.
  if [[ -n ${rmq:-} ]]; then
    rabbitmqctl -n tradeoff-live@localhost shutdown >/dev/null 2>&1
    # The port mapper it started; it refuses to stop while another node is registered.
    epmd -kill >/dev/null 2>&1
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work" "${rmq:-}"
}
trap cleanup EXIT

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [[ ${#need[@]} -gt 0 ]]; then
  apt_install "${need[@]}"
fi
require "live" prometheus curl
build_tradeoff
scaffold_target
now() { date +%s; }

# `wait_for SECONDS COMMAND...`: runs COMMAND every second until it succeeds; fails after
# SECONDS tries.
wait_for() {
  local tries=$1
  shift
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  return 1
}

# One Redis for the designs whose cache is a shared layer (cache.backend: redis), as
# compose.yaml gives them: without it every request would wait on a cache that is not there.
redis_env=()
if command -v redis-server >/dev/null 2>&1; then
  redis-server --port 19150 --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
  pids+=($!)
  if wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/19150"; then
    redis_env=("APP__CACHE__URL=redis://127.0.0.1:19150")
  fi
fi

# `alerts PORT`: the firing alerts of the Prometheus on PORT, as `name severity` lines.
alerts() {
  curl -s "http://127.0.0.1:$1/api/v1/alerts" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    if a["state"] == "firing":
        print(a["labels"]["alertname"], a["labels"].get("severity", ""))'
}
firing() { alerts "$1" | grep -q "^$2 $3\$"; }

# `start_prometheus NAME JOB TARGET RULES PORT`: a Prometheus scraping TARGET every second.
start_prometheus() {
  local dir=$work/$1/prometheus
  mkdir -p "$dir/data"
  cp "$4" "$dir/alerts.yaml"
  cat >"$dir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [alerts.yaml]
scrape_configs:
  - job_name: "$2"
    static_configs:
      - targets: ["$3"]
EOF
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$5" >"$dir/log" 2>&1 &
  pids+=($!)
  wait_for 30 curl -sf "http://127.0.0.1:$5/-/ready"
}

# `start_service NAME LOG VAR=VALUE...`: starts the built scaffold NAME with the overrides;
# sets `service_pid`.
start_service() {
  local name=$1 log=$2
  shift 2
  (cd "$work/$name/crate" && exec env "$@" "$CARGO_TARGET_DIR/debug/$name") >"$log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
}

# `load NAME ADDR COUNT RATE`: the shape's load: HTTP or gRPC requests with the scaffold's
# load example, or messages published with `NAME publish`.
load() {
  local name=$1 addr=$2 count=$3 rate=$4
  case $shape in
    rest | grpc) "$CARGO_TARGET_DIR/debug/examples/load" "$addr" "$count" "$rate" ;;
    *)
      local per=$((rate > 0 ? rate : 1))
      for ((sent = 0; sent < count; sent += per)); do
        seq "$sent" $((sent + per - 1)) | sed 's/^/message-/' |
          (cd "$work/$name/crate" && env "${broker_env[@]}" "$CARGO_TARGET_DIR/debug/$name" publish) >/dev/null 2>&1
        sleep 1
      done
      ;;
  esac
}

# `live NAME SHAPE PORT_BASE`: every check for one example.
live() {
  local name=$1 port=$3 log
  if [[ -n ${LIVE_EXAMPLES:-} && " $LIVE_EXAMPLES " != *" $name "* ]]; then
    return
  fi
  shape=$2
  local dir=$work/$name
  mkdir -p "$dir"
  log=$dir/steps.log
  if ! design_for "$name" "$dir/$name.yaml" "$log"; then
    fail "live $name" "tradeoff advise: $(why "$log")"
    return
  fi
  if ! "$bin" render "$dir/$name.yaml" --scaffold "$dir/crate" >"$log" 2>&1; then
    fail "live $name" "tradeoff render --scaffold: $(why "$log")"
    return
  fi
  local t0
  t0=$(now)
  if ! (cd "$dir/crate" && cargo build --quiet --bins --examples) >"$log" 2>&1; then
    fail "live $name build" "$(why "$log")"
    return
  fi
  echo "$name: built in $(($(now) - t0))s" >&2
  local svc=$port admin=$port prom=$((port + 2))
  [[ $shape == rest ]] || admin=$((port + 1))
  local env=("APP__SERVICE__ADMIN_LISTEN=127.0.0.1:$admin" "APP__TELEMETRY__LOG_FORMAT=text")
  [[ $shape == rest ]] && env=("APP__SERVICE__LISTEN=127.0.0.1:$svc" "APP__TELEMETRY__LOG_FORMAT=text")
  [[ $shape == grpc ]] && env+=("APP__SERVICE__LISTEN=127.0.0.1:$svc")
  env+=("${broker_env[@]}")
  if grep -q '^  backend: "redis"' "$dir/crate/config/service.yaml"; then
    if [[ ${#redis_env[@]} -eq 0 ]]; then
      fail "live $name" "the design caches in Redis and redis-server is not running: $(why "$work/redis.log")"
      return
    fi
    env+=("${redis_env[@]}")
  fi
  local base=http://127.0.0.1:$admin

  # Admin endpoints, and the limiter past a burst of 3 that refills every 100 s.
  start_service "$name" "$dir/limited.log" "${env[@]}" APP__RATE_LIMIT__PER_NODE_BURST=3 \
    APP__RATE_LIMIT__PER_NODE_RATE_PER_S=0.01
  if ! wait_for 30 curl -sf "$base/readyz"; then
    fail "live $name start" "/readyz never answered 200: $(why "$dir/limited.log")"
    return
  fi
  local metrics
  metrics=$(curl -s "$base/metrics")
  if curl -sf "$base/healthz" >/dev/null && grep -q "^$(sli_counter "$shape")" <<<"$metrics"; then
    pass "live $name: /healthz, /readyz and /metrics answer ($(sli_counter "$shape") exported)"
  else
    fail "live $name: /healthz, /readyz and /metrics answer" "$(head -c 200 <<<"$metrics")"
  fi
  case $shape in
    rest | grpc)
      local got
      got=$(load "$name" "127.0.0.1:$svc" 6 50)
      local refused=429
      [[ $shape == grpc ]] && refused=ResourceExhausted
      if grep -q "^$refused 3\$" <<<"$got"; then
        pass "live $name: the rate limiter answers $refused past its burst"
      else
        fail "live $name: the rate limiter answers $refused past its burst" "$(tr '\n' ' ' <<<"$got")"
      fi
      ;;
    *)
      load "$name" "" 10 10
      if wait_for 20 bash -c "curl -s $base/metrics | grep -q '^rate_limit_rejections_total [1-9]'"; then
        pass "live $name: the rate limiter defers messages past its burst"
      else
        fail "live $name: the rate limiter defers messages past its burst" "no rate_limit_rejections_total"
      fi
      ;;
  esac
  kill -TERM "$service_pid"
  wait "$service_pid" 2>/dev/null

  # Healthy traffic: no alert.
  if ! start_prometheus "$name" "$name" "127.0.0.1:$admin" "$dir/crate/prometheus/alerts.yaml" "$prom"; then
    fail "live $name prometheus" "did not start: $(why "$dir/prometheus/log")"
    return
  fi
  start_service "$name" "$dir/healthy.log" "${env[@]}"
  wait_for 30 curl -sf "$base/readyz"
  load "$name" "127.0.0.1:$svc" 60 20 >/dev/null
  local quiet
  quiet=$(alerts "$prom")
  if [[ -z $quiet ]]; then
    pass "live $name: no alert fires at chaos.error_rate 0"
  else
    fail "live $name: no alert fires at chaos.error_rate 0" "firing: $(tr '\n' ' ' <<<"$quiet")"
  fi
  kill -TERM "$service_pid"
  wait "$service_pid" 2>/dev/null

  # Errors: the page alert fires; then SIGTERM under load drains and exits 0.
  start_service "$name" "$dir/chaos.log" "${env[@]}" APP__CHAOS__ERROR_RATE=0.5
  wait_for 30 curl -sf "$base/readyz"
  local started
  started=$(now)
  load "$name" "127.0.0.1:$svc" 2000 20 >/dev/null &
  local loader=$!
  pids+=("$loader")
  if wait_for 180 firing "$prom" ErrorBudgetBurn page; then
    pass "live $name: the page alert fires at chaos.error_rate 0.5 (after $(($(now) - started))s)"
  else
    fail "live $name: the page alert fires at chaos.error_rate 0.5" "not firing after 180s: $(alerts "$prom" | tr '\n' ' ')"
  fi
  kill -TERM "$service_pid"
  local rc=0 waited=0
  while kill -0 "$service_pid" 2>/dev/null && [[ $waited -lt 60 ]]; do
    sleep 1
    waited=$((waited + 1))
  done
  wait "$service_pid" 2>/dev/null
  rc=$?
  kill "$loader" 2>/dev/null
  wait "$loader" 2>/dev/null
  if [[ $rc -eq 0 ]] && grep -q "drained" "$dir/chaos.log"; then
    pass "live $name: SIGTERM under load drains and exits 0 (in ${waited}s)"
  else
    fail "live $name: SIGTERM under load drains and exits 0" "exit $rc after ${waited}s: $(why "$dir/chaos.log")"
  fi

  # Stopped: the absent-metric alert fires.
  started=$(now)
  if wait_for 180 firing "$prom" SliNotScraped page; then
    pass "live $name: SliNotScraped fires with the service stopped (after $(($(now) - started))s)"
  else
    fail "live $name: SliNotScraped fires with the service stopped" "not firing after 180s: $(alerts "$prom" | tr '\n' ' ')"
  fi
}

# The SLI counter each shape exports.
sli_counter() {
  case $1 in
    rest) echo http_requests_total ;;
    grpc) echo grpc_server_handled_total ;;
    *) echo messages_handled_total ;;
  esac
}

broker_env=()
live startup rest 19100
live uber grpc 19110

if [[ -n ${LIVE_EXAMPLES:-} && " $LIVE_EXAMPLES " != *" netflix "* ]]; then
  : # not asked for
elif command -v rabbitmq-server >/dev/null 2>&1; then
  echo "starting rabbitmq-server" >&2
  # rabbitmq-server drops to the rabbitmq user: its folder must be that user's.
  rmq=$(mktemp -d)
  chown rabbitmq: "$rmq" 2>/dev/null
  (cd "$rmq" && exec env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=19125 \
    RABBITMQ_NODENAME=tradeoff-live@localhost RABBITMQ_MNESIA_BASE="$rmq" \
    RABBITMQ_LOG_BASE="$rmq" RABBITMQ_DIST_PORT=19126 ERL_CRASH_DUMP="$rmq/erl_crash.dump" \
    rabbitmq-server) >"$work/rabbitmq.log" 2>&1 &
  pids+=($!)
  if wait_for 90 bash -c "exec 3<>/dev/tcp/127.0.0.1/19125"; then
    broker_env=("APP__BROKER__URL=amqp://guest:guest@127.0.0.1:19125/%2f")
    live netflix rabbitmq 19120
  else
    fail "live netflix" "rabbitmq-server did not listen on 127.0.0.1:19125: $(why "$work/rabbitmq.log")"
  fi
else
  fail "live netflix" "rabbitmq-server is not installed ($(why "$work/apt.log"))"
fi

if [[ -n ${LIVE_EXAMPLES:-} && " $LIVE_EXAMPLES " != *" discord "* ]]; then
  : # not asked for
elif command -v nats-server >/dev/null 2>&1; then
  nats-server -a 127.0.0.1 -p 19135 >"$work/nats.log" 2>&1 &
  pids+=($!)
  if wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/19135"; then
    broker_env=("APP__BROKER__URL=nats://127.0.0.1:19135")
    live discord nats 19130
  else
    fail "live discord" "nats-server did not listen: $(why "$work/nats.log")"
  fi
else
  fail "live discord" "nats-server is not installed ($(why "$work/apt.log"))"
fi

if [[ -n ${LIVE_EXAMPLES:-} && " $LIVE_EXAMPLES " != *" linkedin "* ]]; then
  : # not asked for
elif [[ -n ${KAFKA_BROKERS:-} ]]; then
  broker_env=("APP__BROKER__URL=$KAFKA_BROKERS")
  live linkedin kafka 19140
else
  skip "live linkedin (kafka)" "KAFKA_BROKERS is not set (Debian has no Kafka package)"
fi
exit "$failed"

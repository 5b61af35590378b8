#!/usr/bin/env bash
# The live check of the scaffold: renders the starter of an example, builds it, runs it on
# 127.0.0.1 and checks what an SRE adopting it would try.
#
# REST (examples/startup.yaml), against the service as generated, with overrides only
# where a fault is injected or a check needs it:
#   - an override out of range is refused at start, naming the key (no panic);
#   - a dependency twice as slow as `service.request_timeout_s` is cut at the timeout (504),
#     for every one of ten requests at once;
#   - while the dependency fails every call, /readyz stays 200 and the breaker answers 503
#     fast (the replica stays in rotation);
#   - right after SIGTERM /readyz answers 503 while the listener still serves requests, for
#     `service.drain_delay_s`; then the listener closes and the process exits 0, drained;
#   - unique keys far larger in total than the stores' budgets leave the resident memory
#     bounded (RSS measured from /proc);
#   - a 20 KB request target is refused with a 4xx;
#   - with a real Prometheus (Debian's, 2.42) scraping it every second with the scaffold's
#     own rules, the page alert fires at chaos.error_rate 0.5 under load, and
#     `SliNotScraped` once the service is stopped.
# RabbitMQ (examples/netflix.yaml) with rabbitmq-server (Debian), at chaos.error_rate 0.5:
#   - every message published is handled or dead-lettered into `<queue>.dead-letter`
#     (counted from the broker and from the consumer's metrics), none left on the queue;
#   - the broker stopped and started again under traffic (rabbitmqctl stop_app/start_app):
#     the consumer keeps running, reconnects, and every message is still handled or
#     dead-lettered.
# NATS (examples/discord.yaml) with nats-server: messages are handled, and a restart of the
# server is survived (the client reconnects). Kafka has no Debian package: SKIPPED.
#
# Traffic goes only to 127.0.0.1; every wait is bounded; every server started is stopped.
# LIVE_EXAMPLES (e.g. "startup") limits the run to some examples.
#
# Prints one line per check: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

pids=()
rmq=
cleanup() {
  if [[ -n $rmq ]]; then
    rabbitmqctl -n tradeoff-live@localhost shutdown >/dev/null 2>&1
    epmd -kill >/dev/null 2>&1
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work" "$rmq"
}
trap cleanup EXIT

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
if [[ ${#need[@]} -gt 0 ]]; then
  apt_install "${need[@]}"
fi
require "live" curl python3
build_tradeoff
scaffold_target

wanted() { [[ -z ${LIVE_EXAMPLES:-} || " $LIVE_EXAMPLES " == *" $1 "* ]]; }

# `wait_for SECONDS COMMAND...`: runs COMMAND every 0.2 s until it succeeds; fails after
# SECONDS.
wait_for() {
  local tries=$(($1 * 5))
  shift
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

# `setting CRATE SECTION KEY`: a value of the crate's config/service.yaml.
setting() {
  awk -v s="$2:" -v k="$3:" '
    /^[a-z_]+:$/ { section = $1 }
    section == s && $1 == k { gsub(/"/, "", $2); print $2; exit }' "$1/config/service.yaml"
}

# `prepare NAME`: renders and builds examples/NAME.yaml's scaffold into $work/NAME/crate;
# sets `crate` and `exe`. Returns non-zero after printing a FAIL.
prepare() {
  local name=$1 dir=$work/$1
  mkdir -p "$dir"
  if ! design_for "$name" "$dir/$name.yaml" "$dir/advise.log"; then
    fail "live $name" "tradeoff advise: $(why "$dir/advise.log")"
    return 1
  fi
  if ! "$bin" render "$dir/$name.yaml" --scaffold "$dir/crate" >"$dir/render.log" 2>&1; then
    fail "live $name" "tradeoff render --scaffold: $(why "$dir/render.log")"
    return 1
  fi
  local t0=$SECONDS
  if ! (cd "$dir/crate" && cargo build --quiet --bins --examples) >"$dir/build.log" 2>&1; then
    fail "live $name build" "$(grep -m1 '^error' "$dir/build.log" || why "$dir/build.log")"
    return 1
  fi
  echo "$name: built in $((SECONDS - t0))s" >&2
  crate=$dir/crate
  exe=$CARGO_TARGET_DIR/debug/$name
  loadgen=$CARGO_TARGET_DIR/debug/examples/loadgen
}

# `start LOG VAR=VALUE...`: starts the built service with the overrides; sets `service_pid`.
start() {
  local log=$1
  shift
  (cd "$crate" && exec env "$@" "$exe") >"$log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
}

# `stop`: SIGTERM to the service, and its exit status once it ended (at most 60 s).
stop() {
  kill -TERM "$service_pid" 2>/dev/null
  local waited=0
  while kill -0 "$service_pid" 2>/dev/null && [[ $waited -lt 300 ]]; do
    sleep 0.2
    waited=$((waited + 1))
  done
  kill -KILL "$service_pid" 2>/dev/null
  wait "$service_pid" 2>/dev/null
}

# `rss PID`: resident memory of PID, KiB, and its peak: `now peak`.
rss() {
  awk '/^VmRSS:/ { now = $2 } /^VmHWM:/ { peak = $2 } END { print now, peak }' "/proc/$1/status"
}

# `get URL`: `CODE SECONDS` of one GET.
get() { curl -s -o /dev/null -m 30 -w '%{http_code} %{time_total}\n' "$1"; }

live_rest() {
  local name=startup port=19100
  prepare "$name" || return
  local addr=127.0.0.1:$port
  local base=http://$addr env=("APP__SERVICE__LISTEN=$addr" "APP__TELEMETRY__LOG_FORMAT=text")
  local timeout drain
  timeout=$(setting "$crate" service request_timeout_s)
  drain=$(setting "$crate" service drain_delay_s)

  # Out-of-range overrides: refused at start, naming the key.
  local key value out rc
  for override in chaos.error_rate=1.5 rate_limit.per_node_rate_per_s=1e-12 service.replicas=0; do
    key=${override%%=*}
    value=${override#*=}
    local var
    var=APP__$(tr '[:lower:].' '[:upper:]_' <<<"${key%%.*}")__$(tr '[:lower:]' '[:upper:]' <<<"${key#*.}")
    out=$(cd "$crate" && timeout 20 env "${env[@]}" "$var=$value" "$exe" 2>&1)
    rc=$?
    if [[ $rc -ne 0 && $rc -ne 101 && $rc -ne 124 ]] && grep -qF "$key" <<<"$out"; then
      pass "live $name: $var=$value is refused at start naming $key (exit $rc)"
    else
      fail "live $name: $var=$value is refused at start naming $key" "exit $rc: $(head -c 200 <<<"$out")"
    fi
  done

  # A dependency twice as slow as the request timeout: every request answered within the
  # timeout (504 when cut; 503 when shed because the slow calls hold every bulkhead slot).
  local slow
  slow=$(python3 -c "print(2 * $timeout)")
  start "$work/slow.log" "${env[@]}" "APP__CHAOS__ADDED_LATENCY_S=$slow"
  if ! wait_for 30 curl -sf "$base/readyz"; then
    fail "live $name start" "/readyz never answered 200: $(why "$work/slow.log")"
    return
  fi
  local answers
  answers=$(for i in $(seq 10); do get "$base/items/slow-$i" & done; wait)
  local verdict
  verdict=$(python3 -c '
import sys
timeout = float(sys.argv[1])
rows = [l.split() for l in sys.argv[2].splitlines() if l.strip()]
codes = [r[0] for r in rows]
worst = max(float(r[1]) for r in rows)
# 504: cut by the timeout; 503: shed by the bulkhead, the slots being held by slow calls.
ok = len(rows) == 10 and "504" in codes and set(codes) <= {"503", "504"} and worst <= timeout + 0.5
shown = ", ".join("%d %s" % (codes.count(c), c) for c in sorted(set(codes)))
print(("ok" if ok else "bad"), "%s, the slowest in %.2fs" % (shown, worst))
' "$timeout" "$answers")
  if [[ $verdict == ok* ]]; then
    pass "live $name: a dependency at ${slow}s is cut within service.request_timeout_s ${timeout}s (10 requests at once: ${verdict#ok })"
  else
    fail "live $name: a dependency at ${slow}s is cut at service.request_timeout_s ${timeout}s" "${verdict#bad }"
  fi
  stop

  # The dependency fails every call: the breaker fails calls fast, /readyz stays 200.
  start "$work/failing.log" "${env[@]}" APP__CHAOS__ERROR_RATE=1
  wait_for 30 curl -sf "$base/readyz"
  # Fast: a quarter of the request timeout at most (well under 0.1 s on an idle machine;
  # the margin is for a busy one).
  local codes=() ready=() fast=0 slowest=0 n quick
  quick=$(python3 -c "print($timeout / 4)")
  for n in $(seq 30); do
    read -r code secs < <(get "$base/items/down-$n")
    codes+=("$code")
    ready+=("$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")")
    if [[ $n -gt 20 ]]; then
      slowest=$(python3 -c "print(max($slowest, $secs))")
      if [[ $code == 503 ]] && python3 -c "import sys; sys.exit(0 if $secs < $quick else 1)"; then
        fast=$((fast + 1))
      fi
    fi
  done
  local not_ready
  not_ready=$(printf '%s\n' "${ready[@]}" | grep -vc '^200$')
  local breaker
  breaker=$(curl -s "$base/metrics" | awk '/^circuit_breaker_state / { print $2 }')
  if [[ $not_ready -eq 0 && $fast -eq 10 && $breaker == 1 ]]; then
    pass "live $name: with every dependency call failing /readyz stays 200 (30 of 30) and the open breaker answers 503 fast (the last 10 within ${slowest}s; answers: $(printf '%s\n' "${codes[@]}" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//'))"
  else
    fail "live $name: with every dependency call failing /readyz stays 200 and the breaker fails fast" "readyz not 200 $not_ready times, $fast of the last 10 were 503s within ${quick}s (slowest ${slowest}s), circuit_breaker_state $breaker"
  fi
  stop

  # SIGTERM: readiness 503 at once while the listener still serves, then drain and exit 0.
  local delay=3
  start "$work/term.log" "${env[@]}" "APP__SERVICE__DRAIN_DELAY_S=$delay"
  wait_for 30 curl -sf "$base/readyz"
  kill -TERM "$service_pid"
  sleep 0.3
  local readyz items
  readyz=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$base/readyz")
  items=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$base/items/after-sigterm")
  local closed=no t0=$SECONDS
  if wait_for $((delay + 10)) bash -c "! curl -s -m 1 -o /dev/null $base/healthz"; then
    closed=yes
  fi
  local closed_after=$((SECONDS - t0))
  local waited=0
  while kill -0 "$service_pid" 2>/dev/null && [[ $waited -lt 150 ]]; do
    sleep 0.2
    waited=$((waited + 1))
  done
  wait "$service_pid" 2>/dev/null
  rc=$?
  if [[ $readyz == 503 && $items == 200 && $closed == yes && $rc -eq 0 ]] && grep -q "drained" "$work/term.log"; then
    pass "live $name: 0.3 s after SIGTERM /readyz answers 503 while /items still answers 200; the listener closed about ${closed_after}s later (drain_delay_s $delay; shipped $drain) and the process exited 0, drained"
  else
    fail "live $name: SIGTERM turns /readyz 503 first, then closes the listener and drains" "readyz $readyz, items $items, listener closed: $closed, exit $rc: $(why "$work/term.log")"
  fi

  # Unique keys, far more bytes than the stores may hold: resident memory stays bounded.
  # A rate a debug build keeps up with on a shared machine: requests that time out would
  # measure the backlog, not the stores.
  local budget=$((4 * 1024 * 1024)) rate=120 seconds=80 key_bytes=7000
  start "$work/memory.log" "${env[@]}" "APP__CACHE__MAX_BYTES=$budget" \
    APP__QUEUE__SERVICE_TIME_S=0.001 APP__BULKHEAD__MAX_CONCURRENT=512 \
    APP__RATE_LIMIT__PER_NODE_RATE_PER_S=100000 APP__RATE_LIMIT__PER_NODE_BURST=100000
  wait_for 30 curl -sf "$base/readyz"
  local before
  before=$(rss "$service_pid")
  "$loadgen" "$addr" --rate "$rate" --duration "$seconds" --key-bytes "$key_bytes" >"$work/memory.load" 2>&1
  local after
  after=$(rss "$service_pid")
  local ok200
  ok200=$(awk '$1 == "status" && $2 == "200" { print $3 }' "$work/memory.load")
  ok200=${ok200:-0}
  local verdict
  verdict=$(python3 -c '
import sys
before, _ = map(int, sys.argv[1].split())
now, peak = map(int, sys.argv[2].split())
served, key_bytes, budget = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
# Each entry holds its key and a value of about the same size.
offered = served * 2 * key_bytes / 2**20
limit = 64 * 1024  # KiB: a quarter of the Deployment'"'"'s 256 Mi memory limit
ok = served > 0 and peak < limit and offered > 2 * peak / 1024
print("ok" if ok else "bad", "%d requests served, %.0f MiB of unique entries offered; RSS %.0f MiB before, %.0f MiB after, peak %.0f MiB (the check allows 64 MiB; cache.max_bytes %.0f MiB)" % (served, offered, before / 1024, now / 1024, peak / 1024, budget / 2**20))
' "$before" "$after" "$ok200" "$key_bytes" "$budget")
  if [[ $verdict == ok* ]]; then
    pass "live $name: memory stays bounded under unique keys: ${verdict#ok }"
  else
    fail "live $name: memory stays bounded under unique keys" "${verdict#bad }; $(tr '\n' ' ' <"$work/memory.load")"
  fi

  # A 20 KB request target: refused with a 4xx, not served.
  local long code
  long=$(head -c 20480 /dev/zero | tr '\0' k)
  code=$(curl -s -o /dev/null -m 10 -w '%{http_code}' "$base/items/$long")
  if [[ $code == 4* ]]; then
    pass "live $name: a 20 KB request target is refused ($code)"
  else
    fail "live $name: a 20 KB request target is refused" "answered $code"
  fi
  stop

  # The scaffold's own rules in a real Prometheus: the page fires at 50 % injected faults,
  # and the absent-metric alert once the service is gone.
  if ! command -v prometheus >/dev/null 2>&1; then
    skip "live $name: alerts in a real Prometheus" "prometheus is not installed ($(why "$work/apt.log"))"
    return
  fi
  local prom=$((port + 2))
  if ! start_prometheus "$name" "$addr" "$crate/prometheus/alerts.yaml" "$prom"; then
    fail "live $name: alerts in a real Prometheus" "prometheus did not start: $(why "$work/prometheus/log")"
    return
  fi
  start "$work/chaos.log" "${env[@]}" APP__CHAOS__ERROR_RATE=0.5
  wait_for 30 curl -sf "$base/readyz"
  "$loadgen" "$addr" --rate 20 --duration 120 >/dev/null 2>&1 &
  local loader=$! started=$SECONDS
  pids+=("$loader")
  if wait_for 120 firing "$prom" ErrorBudgetBurn page; then
    pass "live $name: the page alert fires at chaos.error_rate 0.5 (after $((SECONDS - started))s)"
  else
    fail "live $name: the page alert fires at chaos.error_rate 0.5" "not firing after 120s: $(alerts "$prom" | tr '\n' ' ')"
  fi
  kill "$loader" 2>/dev/null
  wait "$loader" 2>/dev/null
  stop
  started=$SECONDS
  if wait_for 180 firing "$prom" SliNotScraped page; then
    pass "live $name: SliNotScraped fires with the service stopped (after $((SECONDS - started))s)"
  else
    fail "live $name: SliNotScraped fires with the service stopped" "not firing after 180s: $(alerts "$prom" | tr '\n' ' ')"
  fi
}

# `alerts PORT`: the firing alerts of the Prometheus on PORT, as `name severity` lines.
alerts() {
  curl -s "http://127.0.0.1:$1/api/v1/alerts" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    if a["state"] == "firing":
        print(a["labels"]["alertname"], a["labels"].get("severity", ""))'
}
firing() { alerts "$1" | grep -q "^$2 $3\$"; }

# `start_prometheus JOB TARGET RULES PORT`: a Prometheus scraping TARGET every second with
# RULES, evaluated every second.
start_prometheus() {
  local dir=$work/prometheus
  mkdir -p "$dir/data"
  cp "$3" "$dir/alerts.yaml"
  cat >"$dir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [alerts.yaml]
scrape_configs:
  - job_name: "$1"
    static_configs:
      - targets: ["$2"]
EOF
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$4" >"$dir/log" 2>&1 &
  pids+=($!)
  wait_for 30 curl -sf "http://127.0.0.1:$4/-/ready"
}

# `metric BASE NAME LABEL`: the sum of the samples of NAME (whose labels contain LABEL).
metric() {
  curl -s "$1/metrics" | awk -v n="$2" -v l="$3" '
    $1 == n || index($1, n "{") == 1 { if (l == "" || index($1, l)) s += $2 }
    END { print s + 0 }'
}

# `queue_depth NAME`: messages on RabbitMQ queue NAME (ready and unacknowledged).
queue_depth() {
  rabbitmqctl -n tradeoff-live@localhost list_queues -q name messages 2>/dev/null |
    awk -v q="$1" '$1 == q { print $2 }'
}

# `publish COUNT PREFIX`: COUNT messages through the service's own `publish`.
publish() {
  seq "$1" | sed "s/^/$2-/" | (cd "$crate" && env "${broker_env[@]}" "$exe" publish) >>"$work/publish.log" 2>&1
}

# `settled BASE QUEUE SENT`: whether every message sent is handled or dead-lettered and
# none is left on the queue.
settled() {
  local ok dead
  ok=$(metric "$1" messages_handled_total 'outcome="ok"')
  dead=$(metric "$1" messages_dead_lettered_total "")
  [[ $((${ok%.*} + ${dead%.*})) -ge $3 && $(queue_depth "$2") == 0 ]]
}

live_rabbitmq() {
  local name=netflix port=19120
  echo "starting rabbitmq-server" >&2
  rmq=$(mktemp -d)
  chown rabbitmq: "$rmq" 2>/dev/null
  (cd "$rmq" && exec env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=19125 \
    RABBITMQ_NODENAME=tradeoff-live@localhost RABBITMQ_MNESIA_BASE="$rmq" \
    RABBITMQ_LOG_BASE="$rmq" RABBITMQ_DIST_PORT=19126 ERL_CRASH_DUMP="$rmq/erl_crash.dump" \
    rabbitmq-server) >"$work/rabbitmq.log" 2>&1 &
  pids+=($!)
  if ! wait_for 90 rabbitmqctl -n tradeoff-live@localhost await_startup; then
    fail "live $name" "rabbitmq-server did not start: $(why "$work/rabbitmq.log")"
    return
  fi
  prepare "$name" || return
  broker_env=("APP__BROKER__URL=amqp://guest:guest@127.0.0.1:19125/%2f")
  local admin=127.0.0.1:$port queue
  queue=$(setting "$crate" broker source)
  local base=http://$admin
  # Half the dependency calls fail; the breaker reopens after 2 s rather than 60 s so the run
  # stays short (an open breaker only delays messages: they are put back on the queue).
  start "$work/consumer.log" "APP__SERVICE__ADMIN_LISTEN=$admin" APP__TELEMETRY__LOG_FORMAT=text \
    "${broker_env[@]}" APP__CHAOS__ERROR_RATE=0.5 APP__CIRCUIT_BREAKER__OPEN_TIMEOUT_S=2
  if ! wait_for 60 curl -sf "$base/readyz"; then
    fail "live $name start" "/readyz never answered 200: $(why "$work/consumer.log")"
    return
  fi
  local sent=200
  publish "$sent" first
  local t0=$SECONDS
  if wait_for 180 settled "$base" "$queue" "$sent"; then
    local ok dead dlq
    ok=$(metric "$base" messages_handled_total 'outcome="ok"')
    dead=$(metric "$base" messages_dead_lettered_total "")
    dlq=$(queue_depth "$queue.dead-letter")
    if [[ ${dlq:-0} -eq ${dead%.*} ]]; then
      pass "live $name: at chaos.error_rate 0.5, all $sent messages settled in $((SECONDS - t0))s: $ok handled, $dead dead-lettered ($dlq on $queue.dead-letter), 0 left on $queue"
    else
      fail "live $name: at chaos.error_rate 0.5 every message is handled or dead-lettered" "messages_dead_lettered_total $dead but $dlq on $queue.dead-letter"
    fi
  else
    fail "live $name: at chaos.error_rate 0.5 every message is handled or dead-lettered" "after 180s: handled $(metric "$base" messages_handled_total 'outcome="ok"'), dead-lettered $(metric "$base" messages_dead_lettered_total ""), $(queue_depth "$queue") left on $queue"
  fi

  # The broker goes away under traffic and comes back.
  local before_ok before_dead
  before_ok=$(metric "$base" messages_handled_total 'outcome="ok"')
  before_dead=$(metric "$base" messages_dead_lettered_total "")
  publish 100 second
  rabbitmqctl -n tradeoff-live@localhost stop_app >/dev/null 2>&1
  sleep 5
  local alive=no
  kill -0 "$service_pid" 2>/dev/null && alive=yes
  rabbitmqctl -n tradeoff-live@localhost start_app >/dev/null 2>&1
  wait_for 60 rabbitmqctl -n tradeoff-live@localhost await_startup
  publish 50 third
  local total=$((${before_ok%.*} + ${before_dead%.*} + 150))
  if [[ $alive == yes ]] && wait_for 180 settled "$base" "$queue" "$total"; then
    local reconnects
    reconnects=$(grep -c "reconnecting\|cannot reach the broker" "$work/consumer.log")
    pass "live $name: the broker stopped for 5 s under traffic: the consumer kept running, reconnected (${reconnects} warnings logged) and the 150 messages sent around it were all handled or dead-lettered"
  else
    fail "live $name: a broker stop and start is survived" "consumer alive during the outage: $alive; $(queue_depth "$queue") left on $queue: $(why "$work/consumer.log")"
  fi
  stop
  rc=$?
  if [[ $rc -eq 0 ]]; then
    pass "live $name: SIGTERM drains and exits 0"
  else
    fail "live $name: SIGTERM drains and exits 0" "exit $rc: $(why "$work/consumer.log")"
  fi
}

live_nats() {
  local name=discord port=19130
  nats-server -a 127.0.0.1 -p 19135 >"$work/nats.log" 2>&1 &
  local nats=$!
  pids+=("$nats")
  if ! wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/19135"; then
    fail "live $name" "nats-server did not listen: $(why "$work/nats.log")"
    return
  fi
  prepare "$name" || return
  broker_env=("APP__BROKER__URL=nats://127.0.0.1:19135")
  local admin=127.0.0.1:$port
  local base=http://$admin
  start "$work/nats-consumer.log" "APP__SERVICE__ADMIN_LISTEN=$admin" APP__TELEMETRY__LOG_FORMAT=text "${broker_env[@]}"
  if ! wait_for 60 curl -sf "$base/readyz"; then
    fail "live $name start" "/readyz never answered 200: $(why "$work/nats-consumer.log")"
    return
  fi
  sleep 1
  publish 20 before
  if ! wait_for 30 bash -c "[[ \$(curl -s $base/metrics | awk '/^messages_handled_total.*outcome=\"ok\"/ { s += \$2 } END { print s + 0 }') -ge 20 ]]"; then
    fail "live $name: messages are handled" "$(metric "$base" messages_handled_total 'outcome="ok"') of 20 handled"
    return
  fi
  kill "$nats"
  wait "$nats" 2>/dev/null
  sleep 3
  local alive=no
  kill -0 "$service_pid" 2>/dev/null && alive=yes
  nats-server -a 127.0.0.1 -p 19135 >>"$work/nats.log" 2>&1 &
  pids+=($!)
  wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/19135"
  # The client reconnects on its own schedule: publish until the consumer sees messages again.
  local seen=no
  for _ in $(seq 20); do
    publish 5 after
    sleep 1
    if [[ $(metric "$base" messages_handled_total 'outcome="ok"') -gt 20 ]]; then
      seen=yes
      break
    fi
  done
  if [[ $alive == yes && $seen == yes ]]; then
    pass "live $name: nats-server restarted: the consumer kept running and handles messages again"
  else
    fail "live $name: a nats-server restart is survived" "alive during the outage: $alive, handled after: $seen: $(why "$work/nats-consumer.log")"
  fi
  stop
}

wanted startup && live_rest
if wanted netflix; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    live_rabbitmq
  else
    fail "live netflix" "rabbitmq-server is not installed ($(why "$work/apt.log"))"
  fi
fi
if wanted discord; then
  if command -v nats-server >/dev/null 2>&1; then
    live_nats
  else
    fail "live discord" "nats-server is not installed ($(why "$work/apt.log"))"
  fi
fi
wanted linkedin && skip "live linkedin (kafka)" "Debian has no Kafka package; the Kafka consumer's dead-lettering is covered by its unit tests"
exit "$failed"

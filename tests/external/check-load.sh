#!/usr/bin/env bash
# Drives each shape of the starter at the design's per-replica rate with the scaffold's own
# open-loop load generator (examples/loadgen.rs) and reports throughput and p99 against the
# design's numbers: REST (examples/startup.yaml), gRPC (uber), a RabbitMQ consumer
# (netflix, with rabbitmq-server) and a NATS consumer (discord, with nats-server); Kafka
# (linkedin) has no Debian package here: SKIPPED.
#
# The rate is each pod's share of the peak, as the HorizontalPodAutoscaler targets it
# (deploy/kubernetes/hpa.yaml); the latency objective is `slo.latency_target_s`. A shape
# passes when it answers at least 95 % of the offered rate with no error and its p99 is
# within the objective. Requests go to the stand-in dependency, which takes
# `queue.service_time_s`: the numbers measure the service's own machinery at the design's
# load, not a real dependency.
#
# The crates are built with --release (LOAD_PROFILE=debug measures a debug build, faster
# to build, slower to run); each run lasts LOAD_SECONDS (default 30). LOAD_EXAMPLES (e.g.
# "startup uber") limits the run. Traffic goes only to 127.0.0.1; every server started is
# stopped.
#
# Prints one line per shape: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

pids=()
rmq=
cleanup() {
  if [[ -n $rmq ]]; then
    rabbitmqctl -n tradeoff-load@localhost shutdown >/dev/null 2>&1
    epmd -kill >/dev/null 2>&1
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$work" "$rmq"
}
trap cleanup EXIT

need=()
command -v rabbitmq-server >/dev/null 2>&1 || need+=(rabbitmq-server)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
if [[ ${#need[@]} -gt 0 ]]; then
  apt_install "${need[@]}"
fi
require "load" curl python3
build_tradeoff
scaffold_target
profile=${LOAD_PROFILE:-release}
seconds=${LOAD_SECONDS:-30}
flag=()
[[ $profile == release ]] && flag=(--release)

wanted() { [[ -z ${LOAD_EXAMPLES:-} || " $LOAD_EXAMPLES " == *" $1 "* ]]; }

# `wait_for SECONDS COMMAND...`: runs COMMAND every 0.2 s until it succeeds.
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

# `per_pod_rate CRATE`: the HPA's target, requests or messages a second per pod.
per_pod_rate() {
  awk '/averageValue:/ { gsub(/"/, "", $2); v = $2 } END {
    if (v ~ /m$/) { sub(/m$/, "", v); print v / 1000 } else print v }' \
    "$1/deploy/kubernetes/hpa.yaml"
}

# `measure NAME SHAPE PORT BROKER_ENV...`: renders, builds and runs examples/NAME.yaml's
# starter, drives it at its per-pod rate and prints the verdict.
measure() {
  local name=$1 shape=$2 port=$3
  shift 3
  local dir=$work/$name
  mkdir -p "$dir"
  if ! design_for "$name" "$dir/$name.yaml" "$dir/advise.log" ||
    ! "$bin" render "$dir/$name.yaml" --scaffold "$dir/crate" >"$dir/render.log" 2>&1; then
    fail "load $name" "render failed: $(why "$dir/advise.log") $(why "$dir/render.log")"
    return
  fi
  local crate=$dir/crate t0=$SECONDS
  if ! (cd "$crate" && cargo build --quiet "${flag[@]}" --bins --examples) >"$dir/build.log" 2>&1; then
    fail "load $name build" "$(grep -m1 '^error' "$dir/build.log" || why "$dir/build.log")"
    return
  fi
  echo "$name: built ($profile) in $((SECONDS - t0))s" >&2
  local out=$CARGO_TARGET_DIR/$profile
  local rate target
  rate=$(per_pod_rate "$crate")
  target=$(setting "$crate" slo latency_target_s)
  local svc=127.0.0.1:$port admin=127.0.0.1:$((port + 1))
  local env=("APP__SERVICE__ADMIN_LISTEN=$admin" "APP__TELEMETRY__LOG_FORMAT=text" "$@")
  [[ $shape == rest ]] && env=("APP__SERVICE__LISTEN=$svc" "APP__TELEMETRY__LOG_FORMAT=text") && admin=$svc
  [[ $shape == grpc ]] && env+=("APP__SERVICE__LISTEN=$svc")
  # A design whose cache is a shared layer caches in Redis: without one every request would
  # wait out the cache's timeout. The Redis started below, else each replica's memory.
  if grep -q '^  backend: "redis"' "$crate/config/service.yaml"; then
    if [[ -n $redis ]]; then
      env+=("APP__CACHE__URL=redis://127.0.0.1:19250")
    else
      env+=("APP__CACHE__BACKEND=memory")
      echo "$name: no redis-server; the cache runs in memory" >&2
    fi
  fi
  (cd "$crate" && exec env "${env[@]}" "$out/$name") >"$dir/service.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  if ! wait_for 60 curl -sf "http://$admin/readyz"; then
    fail "load $name" "/readyz never answered 200: $(why "$dir/service.log")"
    return
  fi
  local run=("$out/examples/loadgen")
  if [[ $shape == rest || $shape == grpc ]]; then
    run+=("$svc" --rate "$rate" --duration "$seconds")
  else
    run+=(--rate "$rate" --duration "$seconds" --metrics "$admin")
  fi
  (cd "$crate" && env "$@" "${run[@]}") >"$dir/load.out" 2>"$dir/load.err"
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  local verdict
  verdict=$(python3 - "$dir/load.out" "$rate" "$target" "$shape" <<'EOF'
import sys
values, statuses = {}, {}
for line in open(sys.argv[1]):
    parts = line.split()
    if parts[:1] == ["status"]:
        statuses[parts[1]] = int(parts[2])
    elif len(parts) == 2:
        values[parts[0]] = float(parts[1])
rate, target, shape = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
if "throughput_per_s" not in values:
    print("bad the load generator printed no result")
    sys.exit()
got, p99 = values["throughput_per_s"], values["p99_s"]
if shape in ("rest", "grpc"):
    good = "200" if shape == "rest" else "OK"
    errors = sum(n for s, n in statuses.items() if s != good)
    detail = ", ".join("%s %d" % kv for kv in sorted(statuses.items()))
else:
    errors = values.get("failed", 0) + values.get("dead_lettered", 0)
    detail = "handled %d of %d, failed %d, dead-lettered %d" % (
        values.get("handled", 0), values.get("sent", 0), values.get("failed", 0),
        values.get("dead_lettered", 0))
ok = got >= 0.95 * rate and errors == 0 and p99 <= target
print("%s offered %g/s (each pod's share of the peak): throughput %.1f/s, p50 %.3fs, p99 %.3fs against slo.latency_target_s %gs (%s)" % (
    "ok" if ok else "bad", rate, got, values.get("p50_s", 0), p99, target, detail))
EOF
)
  if [[ $verdict == ok* ]]; then
    pass "load $name ($shape, $profile, ${seconds}s): ${verdict#ok }"
  else
    fail "load $name ($shape, $profile, ${seconds}s)" "${verdict#bad }; $(why "$dir/load.err")"
  fi
}

redis=
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
if command -v redis-server >/dev/null 2>&1; then
  redis-server --port 19250 --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
  pids+=($!)
  wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/19250" && redis=19250
fi

wanted startup && measure startup rest 19200
wanted uber && measure uber grpc 19210

if wanted netflix; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    rmq=$(mktemp -d)
    chown rabbitmq: "$rmq" 2>/dev/null
    (cd "$rmq" && exec env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=19225 \
      RABBITMQ_NODENAME=tradeoff-load@localhost RABBITMQ_MNESIA_BASE="$rmq" \
      RABBITMQ_LOG_BASE="$rmq" RABBITMQ_DIST_PORT=19226 ERL_CRASH_DUMP="$rmq/erl_crash.dump" \
      rabbitmq-server) >"$work/rabbitmq.log" 2>&1 &
    pids+=($!)
    if wait_for 90 rabbitmqctl -n tradeoff-load@localhost await_startup; then
      measure netflix rabbitmq 19220 "APP__BROKER__URL=amqp://guest:guest@127.0.0.1:19225/%2f"
    else
      fail "load netflix" "rabbitmq-server did not start: $(why "$work/rabbitmq.log")"
    fi
  else
    fail "load netflix" "rabbitmq-server is not installed ($(why "$work/apt.log"))"
  fi
fi

if wanted discord; then
  if command -v nats-server >/dev/null 2>&1; then
    nats-server -a 127.0.0.1 -p 19235 >"$work/nats.log" 2>&1 &
    pids+=($!)
    if wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/19235"; then
      measure discord nats 19230 "APP__BROKER__URL=nats://127.0.0.1:19235"
    else
      fail "load discord" "nats-server did not listen: $(why "$work/nats.log")"
    fi
  else
    fail "load discord" "nats-server is not installed ($(why "$work/apt.log"))"
  fi
fi
wanted linkedin && skip "load linkedin (kafka)" "Debian has no Kafka package"
exit "$failed"

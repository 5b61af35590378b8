#!/usr/bin/env bash
# Checks the Prometheus rules `tradeoff render --alerts` writes with the real promtool
# (Debian's prometheus package, 2.42): the rules of every example design pass
# `promtool check rules` (and its linter), and tests/alerts/*_test.yaml (HTTP, gRPC, consumer)
# show the pages firing on an error burst, on slow calls and on an unscraped SLI, and staying
# quiet on healthy traffic; slo_test.yaml also against rules rendered now.
#
# Prints one line per check: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

examples=()
for f in examples/*.yaml; do examples+=("$(basename "$f" .yaml)"); done

if ! command -v promtool >/dev/null 2>&1; then
  apt_install prometheus
fi
if ! command -v promtool >/dev/null 2>&1; then
  skip "alerts" "promtool is not installed and apt-get install prometheus failed ($(why "$work/apt.log"))"
  exit 0
fi

# Render every example's rules as a user would: advise, then render --alerts.
build_tradeoff
out=$work/out
for e in "${examples[@]}"; do
  mkdir -p "$out/$e"
  log=$out/$e/log
  if ! design_for "$e" "$out/$e/design.yaml" "$log"; then
    fail "render alerts $e" "tradeoff advise: $(why "$log")"
  elif ! "$bin" render "$out/$e/design.yaml" --alerts "$out/$e/alerts.yaml" >"$log" 2>&1; then
    fail "render alerts $e" "tradeoff render: $(why "$log")"
  else
    pass "render alerts $e"
  fi
done

for e in "${examples[@]}"; do
  f=$out/$e/alerts.yaml
  [[ -f $f ]] || continue
  if promtool check rules "$f" >"$work/check.log" 2>&1; then
    pass "promtool check rules $e ($(grep -o '[0-9]* rules found' "$work/check.log"))"
  else
    fail "promtool check rules $e" "$(why "$work/check.log")"
  fi
  if promtool check rules --lint=all --lint-fatal "$f" >"$work/lint.log" 2>&1; then
    pass "promtool lint $e"
  else
    fail "promtool lint $e" "$(why "$work/lint.log")"
  fi
done

# The shipped unit tests against the shipped fixtures, one per shape: HTTP (slo_test.yaml),
# gRPC with a latency objective (grpc_test.yaml) and a consumer (messages_test.yaml).
for t in tests/alerts/*_test.yaml; do
  name=$(basename "$t")
  if (cd tests/alerts && promtool test rules "$name") >"$work/test.log" 2>&1; then
    pass "promtool test rules tests/alerts/$name"
  else
    fail "promtool test rules tests/alerts/$name" "$(grep -m1 -A2 FAILED "$work/test.log" | tr '\n' ' ' | cut -c 1-200)"
  fi
done

# Every example's scaffold ships prometheus/alerts.test.yaml for its own rules: a fast burn in
# one namespace pages it and leaves the other silent, a slow burn opens tickets only, healthy
# traffic is silent, an unscraped SLI pages (and a consumer's dead letter opens a ticket).
for e in "${examples[@]}"; do
  [[ -f $out/$e/design.yaml ]] || continue
  crate=$out/$e/crate
  if ! "$bin" render "$out/$e/design.yaml" --scaffold "$crate" >"$work/scaffold.log" 2>&1; then
    fail "scaffold alert tests $e" "tradeoff render --scaffold: $(why "$work/scaffold.log")"
  elif (cd "$crate/prometheus" && promtool test rules alerts.test.yaml) >"$work/unit.log" 2>&1; then
    pass "promtool test rules $e scaffold (page, ticket, silence, absent)"
  else
    fail "promtool test rules $e scaffold" "$(grep -m1 -A3 FAILED "$work/unit.log" | tr '\n' ' ' | cut -c 1-200)"
  fi
done

# The same test against rules rendered now, so the fixture cannot hide a renderer change.
# Startup's objective is 99.9% over 30d, as in the fixture.
fresh=$work/fresh
mkdir -p "$fresh"
cp tests/alerts/slo_test.yaml "$fresh/"
cp "$out/startup/design.yaml" "$fresh/design.yaml"
if (cd "$fresh" && "$bin" render design.yaml --alerts slo_rules.yaml --service api \
  --selector 'job="api"') >"$work/fresh.log" 2>&1; then
  if cmp -s "$fresh/slo_rules.yaml" tests/alerts/slo_rules.yaml; then
    pass "rendered rules equal tests/alerts/slo_rules.yaml"
  else
    fail "rendered rules equal tests/alerts/slo_rules.yaml" "they differ; regenerate with TRADEOFF_BLESS=1 cargo test --lib render::alerts"
  fi
else
  fail "render alerts for the promtool test" "$(why "$work/fresh.log")"
fi
if [[ -f $fresh/slo_rules.yaml ]]; then
  if (cd "$fresh" && promtool test rules slo_test.yaml) >"$work/fresh-test.log" 2>&1; then
    pass "promtool test rules on freshly rendered rules"
  else
    fail "promtool test rules on freshly rendered rules" "$(grep -m1 -A2 FAILED "$work/fresh-test.log" | tr '\n' ' ' | cut -c 1-200)"
  fi
fi

exit "$failed"

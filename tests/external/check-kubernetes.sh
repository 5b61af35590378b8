#!/usr/bin/env bash
# Validates the Kubernetes manifests of every example's scaffold (deploy/kubernetes/) offline
# against the Kubernetes 1.30 schemas with kubernetes-validate (PyPI, installed into a venv
# here). The PrometheusRule is a custom resource with no bundled schema: it is checked by
# promtool instead (its `spec` is the rule file), and its envelope here.
#
# Prints one line per check: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

venv=${KUBERNETES_VALIDATE_VENV:-$root/target/kubernetes-validate-venv}
if [[ ! -x $venv/bin/kubernetes-validate ]]; then
  echo "installing kubernetes-validate into $venv" >&2
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet kubernetes-validate; } >"$work/pip.log" 2>&1; then
    skip "kubernetes" "cannot install kubernetes-validate: $(why "$work/pip.log")"
    exit 0
  fi
fi
validate=$venv/bin/kubernetes-validate

build_tradeoff
for f in examples/*.yaml; do
  e=$(basename "$f" .yaml)
  out=$work/$e
  mkdir -p "$out"
  if ! design_for "$e" "$out/$e.yaml" "$out/log" ||
    ! "$bin" render "$out/$e.yaml" --scaffold "$out/crate" >"$out/log" 2>&1; then
    fail "kubernetes $e" "render failed: $(why "$out/log")"
    continue
  fi
  manifests=()
  for m in "$out"/crate/deploy/kubernetes/*.yaml; do
    [[ $(basename "$m") == prometheusrule.yaml ]] || manifests+=("$m")
  done
  if "$validate" -k 1.30.0 --strict "${manifests[@]}" >"$out/validate.log" 2>&1; then
    pass "kubernetes-validate $e (${#manifests[@]} manifests, Kubernetes 1.30, strict)"
  else
    fail "kubernetes-validate $e" "$(grep -v '^\s*$' "$out/validate.log" | grep -iv 'passed' | head -n 2 | tr '\n' ' ' | cut -c 1-200)"
  fi
  rule=$out/crate/deploy/kubernetes/prometheusrule.yaml
  if python3 - "$rule" "$out/rules.yaml" >"$out/rule.log" 2>&1 <<'EOF'; then
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
assert doc["apiVersion"] == "monitoring.coreos.com/v1", doc["apiVersion"]
assert doc["kind"] == "PrometheusRule"
assert doc["metadata"]["name"]
yaml.safe_dump(doc["spec"], open(sys.argv[2], "w"))
EOF
    if command -v promtool >/dev/null 2>&1; then
      if promtool check rules "$out/rules.yaml" >"$out/promtool.log" 2>&1; then
        pass "PrometheusRule $e (spec passes promtool check rules)"
      else
        fail "PrometheusRule $e" "$(why "$out/promtool.log")"
      fi
    else
      pass "PrometheusRule $e (envelope; promtool not installed for the spec)"
    fi
  else
    fail "PrometheusRule $e" "$(why "$out/rule.log")"
  fi
done
exit "$failed"

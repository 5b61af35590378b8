#!/usr/bin/env bash
# Validates the Kubernetes manifests of every example's scaffold (deploy/kubernetes/) offline
# against the Kubernetes 1.30 schemas with kubernetes-validate (PyPI, installed into a venv
# here). The PrometheusRule and ServiceMonitor are custom resources with no bundled schema:
# the rule's `spec` is checked by promtool, and its envelope here. Every pod template is
# also checked against the restricted Pod Security profile, field by field.
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
    case $(basename "$m") in
      prometheusrule.yaml | servicemonitor.yaml) ;;
      *) manifests+=("$m") ;;
    esac
  done
  if "$validate" -k 1.30.0 --strict "${manifests[@]}" >"$out/validate.log" 2>&1; then
    pass "kubernetes-validate $e (${#manifests[@]} manifests, Kubernetes 1.30, strict)"
  else
    fail "kubernetes-validate $e" "$(grep -v '^\s*$' "$out/validate.log" | grep -iv 'passed' | head -n 2 | tr '\n' ' ' | cut -c 1-200)"
  fi
  # The restricted Pod Security profile (Kubernetes 1.30), checked field by field on every
  # pod template: what the kubelet and the admission controller would refuse.
  if python3 - "$out"/crate/deploy/kubernetes/*.yaml >"$out/restricted.log" 2>&1 <<'EOF'; then
import sys, yaml
problems = []
pods = 0
for path in sys.argv[1:]:
    for doc in yaml.safe_load_all(open(path)):
        if not doc or doc.get("kind") not in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            continue
        spec = doc["spec"]["template"]["spec"]
        pods += 1
        pod = spec.get("securityContext", {})
        for c in spec.get("containers", []) + spec.get("initContainers", []):
            sc = c.get("securityContext", {})
            name = f'{doc["kind"]}/{doc["metadata"]["name"]}/{c["name"]}'
            def get(key):
                return sc.get(key, pod.get(key))
            if get("runAsNonRoot") is not True:
                problems.append(f"{name}: runAsNonRoot is not true")
            user = get("runAsUser")
            if not isinstance(user, int) or user == 0:
                problems.append(f"{name}: runAsUser must be a non-zero number (an image's user name cannot be checked), got {user!r}")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{name}: allowPrivilegeEscalation is not false")
            caps = sc.get("capabilities") or {}
            if "ALL" not in (caps.get("drop") or []):
                problems.append(f"{name}: capabilities do not drop ALL")
            if (caps.get("add") or []) not in ([], ["NET_BIND_SERVICE"]):
                problems.append(f"{name}: adds capabilities")
            seccomp = (sc.get("seccompProfile") or pod.get("seccompProfile") or {}).get("type")
            if seccomp not in ("RuntimeDefault", "Localhost"):
                problems.append(f"{name}: seccompProfile is {seccomp!r}")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{name}: the root filesystem is writable")
            if sc.get("privileged"):
                problems.append(f"{name}: privileged")
            image = c.get("image", "")
            if image.endswith(":latest") or ":" not in image:
                problems.append(f"{name}: image {image!r} is not tagged with a version")
            probe = c.get("readinessProbe", {})
            if probe.get("failureThreshold", 3) < 2:
                problems.append(f"{name}: readiness failureThreshold {probe.get('failureThreshold')} drops the pod on one slow probe")
        for v in spec.get("volumes", []):
            if "hostPath" in v:
                problems.append(f"{doc['metadata']['name']}: hostPath volume {v['name']}")
if pods == 0:
    problems.append("no pod template found")
print("\n".join(problems) if problems else f"{pods} pod templates")
sys.exit(1 if problems else 0)
EOF
    pass "restricted profile $e ($(tail -n 1 "$out/restricted.log"))"
  else
    fail "restricted profile $e" "$(head -n 2 "$out/restricted.log" | tr '\n' ' ' | cut -c 1-200)"
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

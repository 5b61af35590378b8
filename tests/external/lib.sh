# Shared by the check-*.sh scripts (sourced, not run): moves to the repository root, makes a
# scratch folder removed on exit, and defines the reporting helpers. Every check prints one
# line: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`; `failed` is 1 once any FAIL
# was printed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
# shellcheck disable=SC2034 # used by the scripts that source this file
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
pass() { echo "PASS $1"; }
fail() {
  echo "FAIL $1: $2"
  failed=1
}
skip() { echo "SKIPPED $1: $2"; }
# The last non-empty line of a log, to say why something failed on one line.
why() { grep -v '^\s*$' "$1" | tail -n 1 | tr -d '\r' | cut -c 1-200; }

# `apt_install PACKAGE...`: installs Debian packages (progress to stderr, output to
# $work/apt.log); the caller checks for the tool afterwards and prints SKIPPED with `why`.
apt_install() {
  echo "installing $* with apt-get" >&2
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; } \
    >>"$work/apt.log" 2>&1
}

# `require NAME TOOL...`: prints `SKIPPED NAME` and exits (status 0) unless every TOOL is on
# the PATH; the reason names the missing tool and the last line of the apt-get log.
require() {
  local name=$1 tool
  shift
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      if [[ -s $work/apt.log ]]; then
        skip "$name" "$tool is not installed (apt-get: $(why "$work/apt.log"))"
      else
        skip "$name" "$tool is not installed"
      fi
      exit 0
    fi
  done
}

# `scaffold_target`: the generated crates build into one shared folder
# (SCAFFOLD_TARGET_DIR, default target/scaffold-check), without the caller's RUSTFLAGS.
scaffold_target() {
  export CARGO_TARGET_DIR=${SCAFFOLD_TARGET_DIR:-$root/target/scaffold-check}
  unset RUSTFLAGS
}

# Builds the release binary once and sets `bin` to it; a failed build is a FAIL and exits.
# TRADEOFF_BIN names a binary already built instead (a debug build while working on a check).
build_tradeoff() {
  if [[ -n ${TRADEOFF_BIN:-} ]]; then
    bin=$(realpath "$TRADEOFF_BIN")
    return
  fi
  echo "building tradeoff (release)" >&2
  if ! cargo build --release --quiet >"$work/build.log" 2>&1; then
    fail "build" "cargo build --release failed: $(why "$work/build.log")"
    exit 1
  fi
  bin=$root/target/release/tradeoff
}

# `design_for EXAMPLE OUT LOG`: writes the design of examples/EXAMPLE.yaml to OUT, as a user
# would with `tradeoff advise --out`; returns non-zero (details in LOG) on failure.
design_for() {
  "$bin" advise --answers "examples/$1.yaml" --defaults --out "$2" --format json >/dev/null 2>"$3"
}

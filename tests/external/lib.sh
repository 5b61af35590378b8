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

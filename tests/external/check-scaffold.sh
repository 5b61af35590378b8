#!/usr/bin/env bash
# Checks the starter service `tradeoff render --scaffold` writes: for every example answer
# file (examples/*.yaml) the rendered crate must pass `cargo build`, `cargo test` (with as
# many passing tests as it declares), `cargo clippy --all-targets -- -D warnings -W
# clippy::pedantic` (with its default features and without; the crate allows a few pedantic
# lints by name, each with its reason) and `cargo fmt --check`, exactly as generated. The crates
# share one target folder (SCAFFOLD_TARGET_DIR, default target/scaffold-check) so the
# dependencies build once; crates.io must be reachable the first time.
#
# Prints one line per example: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"
now() { date +%s; }

examples=()
for f in examples/*.yaml; do examples+=("$(basename "$f" .yaml)"); done
if [[ ${#examples[@]} -eq 0 ]]; then
  fail "scaffold" "no examples/*.yaml to render"
  exit 1
fi

if ! command -v cargo >/dev/null 2>&1; then
  for e in "${examples[@]}"; do skip "scaffold $e" "cargo is not installed"; done
  exit 0
fi

build_tradeoff
out=$work/out
mkdir -p "$out"
declare -A reported # examples already reported as failed

for e in "${examples[@]}"; do
  mkdir -p "$out/$e"
  if ! design_for "$e" "$out/$e.design.yaml" "$work/advise-$e.log"; then
    fail "scaffold $e" "tradeoff advise failed: $(why "$work/advise-$e.log")"
    reported[$e]=1
    continue
  fi
  if ! "$bin" render "$out/$e.design.yaml" --scaffold "$out/$e" >"$work/render-$e.log" 2>&1; then
    fail "scaffold $e" "tradeoff render --scaffold failed: $(why "$work/render-$e.log")"
    reported[$e]=1
  fi
done

scaffold_target
for e in "${examples[@]}"; do
  dir=$out/$e
  [[ -z ${reported[$e]:-} ]] || continue
  if [[ ! -f $dir/Cargo.toml ]]; then
    fail "scaffold $e" "nothing was rendered into $dir"
    continue
  fi
  # Each crate is named after its example (the design file's name); fresh timestamps still
  # make cargo rebuild it rather than trust an earlier run's build.
  find "$dir" -type f -exec touch {} +
  log=$work/cargo-$e.log
  t0=$(now)
  if ! (cd "$dir" && cargo build --quiet) >"$log" 2>&1; then
    fail "scaffold $e" "cargo build: $(why "$log")"
    continue
  fi
  t1=$(now)
  if ! (cd "$dir" && cargo test) >"$log" 2>&1; then
    fail "scaffold $e" "cargo test: $(grep -m1 -E 'panicked|^error|FAILED' "$log" || why "$log")"
    continue
  fi
  t2=$(now)
  ran=$(grep -oE 'test result: ok\. [0-9]+ passed' "$log" | awk '{s += $4} END {print s + 0}')
  declared=$(cat "$dir"/src/*.rs "$dir"/tests/*.rs | grep -cE '#\[(test|tokio::test)')
  if [[ $ran -ne $declared ]]; then
    fail "scaffold $e" "cargo test ran $ran tests but the crate declares $declared (a stale build?)"
    continue
  fi
  if ! (cd "$dir" && cargo clippy --quiet --all-targets -- -D warnings -W clippy::pedantic) >"$log" 2>&1; then
    fail "scaffold $e" "cargo clippy (pedantic): $(grep -m1 -E '^(error|warning)' "$log" || why "$log")"
    continue
  fi
  # The build without the trace exporter (the `otlp` feature) must stay clean too.
  if ! (cd "$dir" && cargo clippy --quiet --all-targets --no-default-features -- -D warnings -W clippy::pedantic) >"$log" 2>&1; then
    fail "scaffold $e" "cargo clippy --no-default-features: $(grep -m1 -E '^(error|warning)' "$log" || why "$log")"
    continue
  fi
  if ! (cd "$dir" && cargo fmt --check) >"$log" 2>&1; then
    fail "scaffold $e" "cargo fmt --check: $(grep -m1 '^Diff in' "$log" || why "$log")"
    continue
  fi
  pass "scaffold $e (build $((t1 - t0))s, $ran tests in $((t2 - t1))s, clippy pedantic with and without default features and fmt clean)"
done
exit $failed

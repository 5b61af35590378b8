#!/usr/bin/env bash
# Checks the architecture docs `tradeoff render --docs` writes with real tools: every mermaid
# block of every page, for every example design, renders with mermaid-cli 11 (headless
# Chromium), and the pages pass markdownlint-cli2 (line length aside: tables and catalog
# prose make long lines).
#
# Prints one line per check: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"

examples=()
for f in examples/*.yaml; do examples+=("$(basename "$f" .yaml)"); done

# Tools: Chromium from Debian, mermaid-cli 11 (12 needs Node 22) without puppeteer's own
# browser download, markdownlint-cli2 0.22 (0.23 needs Node 22).
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chromium ]]; then
  apt_install chromium
  chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if ! command -v mmdc >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  echo "installing @mermaid-js/mermaid-cli@11 with npm" >&2
  PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @mermaid-js/mermaid-cli@11 >"$work/npm-mmdc.log" 2>&1
fi
if ! command -v markdownlint-cli2 >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  echo "installing markdownlint-cli2@0.22 with npm" >&2
  npm install -g markdownlint-cli2@0.22 >"$work/npm-mdl.log" 2>&1
fi

build_tradeoff
out=$work/out
rendered=()
for e in "${examples[@]}"; do
  mkdir -p "$out/$e"
  log=$out/$e/log
  if ! design_for "$e" "$out/$e/design.yaml" "$log"; then
    fail "render docs $e" "tradeoff advise: $(why "$log")"
  elif ! "$bin" render "$out/$e/design.yaml" --docs "$out/$e/docs" >"$log" 2>&1; then
    fail "render docs $e" "tradeoff render: $(why "$log")"
  else
    pass "render docs $e"
    rendered+=("$e")
  fi
done

# Mermaid: every page with a mermaid block goes through mmdc, which renders each block to
# SVG and exits non-zero with "Parse error on line N" on a bad diagram. The overview must
# have one (the decision path), so an empty result is a failure, not a pass.
if [[ -z $chromium ]]; then
  skip "mermaid" "chromium is not installed and apt-get install chromium failed ($(why "$work/apt.log"))"
elif ! command -v mmdc >/dev/null 2>&1; then
  skip "mermaid" "mmdc is not installed (npm install -g @mermaid-js/mermaid-cli@11 failed or npm is missing)"
else
  cat >"$work/puppeteer.json" <<JSON
{"executablePath": "$chromium", "headless": "shell", "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]}
JSON
  for e in "${rendered[@]}"; do
    docs=$out/$e/docs
    if ! grep -q '^```mermaid' "$docs/index.md" 2>/dev/null; then
      fail "mermaid $e" "index.md has no mermaid block (the decision path is missing)"
      continue
    fi
    while IFS= read -r page; do
      rel=${page#"$docs/"}
      blocks=$(grep -c '^```mermaid' "$page")
      svg=$work/svg/$e/${rel%.md}
      mkdir -p "$(dirname "$svg")"
      if mmdc -q -p "$work/puppeteer.json" -i "$page" -o "$svg.md" >"$work/mmdc.log" 2>&1 &&
        ! grep -qi 'parse error' "$work/mmdc.log"; then
        made=$(find "$(dirname "$svg")" -name "$(basename "$svg")-*.svg" | wc -l)
        if [[ $made == "$blocks" ]]; then
          pass "mermaid $e/$rel ($blocks block(s) rendered)"
        else
          fail "mermaid $e/$rel" "$blocks block(s) but $made SVG file(s) rendered"
        fi
      else
        fail "mermaid $e/$rel" "$(grep -m1 -i -A1 'error' "$work/mmdc.log" | tr '\n' ' ' | cut -c 1-200)"
      fi
    done < <(grep -rl '^```mermaid' "$docs" | sort)
  done
fi

if ! command -v markdownlint-cli2 >/dev/null 2>&1; then
  skip "markdownlint" "markdownlint-cli2 is not installed (npm install -g markdownlint-cli2@0.22 failed or npm is missing)"
else
  echo '{ "config": { "MD013": false } }' >"$work/.markdownlint-cli2.jsonc"
  for e in "${rendered[@]}"; do
    if (cd "$out/$e/docs" && markdownlint-cli2 --config "$work/.markdownlint-cli2.jsonc" "**/*.md") \
      >"$work/mdl.log" 2>&1; then
      pass "markdownlint $e"
    else
      fail "markdownlint $e" "$(grep -m1 'MD[0-9]' "$work/mdl.log" | sed "s|$out/||" | cut -c 1-200)"
    fi
  done
fi

exit "$failed"

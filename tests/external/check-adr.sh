#!/usr/bin/env bash
# Checks the decision records tradeoff writes with the real ADR tools:
# * adr-tools 3 (Debian package `adr-tools`): `adr list`, `adr generate toc` and `adr generate
#   graph` see every rendered nygard record with its right title; records made by
#   `tradeoff adr new` (also through `.adr-dir`) and the links of `tradeoff adr supersede` show
#   in adr-tools' view; adr-tools can itself supersede our record, and `tradeoff adr list`
#   reads the result.
# * log4brains 1.1.0 (npm, installed into a throwaway project): `log4brains adr list --raw`
#   and `log4brains build` show each record with its real status: the rendered records as
#   proposed (never accepted), a hand-made record as accepted, a superseded one as superseded
#   and linked to the record that replaces it.
#
# Prints one line per check: `PASS name`, `FAIL name: why` or `SKIPPED name: reason`.
# Exits 1 when any check failed. Progress notes go to stderr.
# shellcheck source=tests/external/lib.sh
source "$(dirname "$0")/lib.sh"
# `check NAME CMD...`: PASS when CMD exits 0, else FAIL with CMD's last line of output.
check() {
  local name=$1
  shift
  if "$@" >"$work/check.log" 2>&1; then
    pass "$name"
  else
    fail "$name" "$(why "$work/check.log")"
  fi
}

# python3 reads the JSON that tradeoff and log4brains print (standard library only).
command -v python3 >/dev/null 2>&1 || apt_install python3
if ! command -v python3 >/dev/null 2>&1; then
  skip "adr" "python3 is missing and apt-get install python3 failed ($(why "$work/apt.log"))"
  exit 0
fi

build_tradeoff
tradeoff=$bin

# A design from an example answer file, and the decision titles every record must carry.
design() { # DIR EXAMPLE
  (cd "$1" && "$tradeoff" advise --defaults --answers "$root/examples/$2.yaml" \
    --out design.yaml --format json >recommendation.json)
}
# `N. Decision title: Outcome title` per decision, in order, numbered from 1.
expected_titles() { # RECOMMENDATION.JSON
  python3 - "$1" <<'PY'
import json, sys
for i, d in enumerate(json.load(open(sys.argv[1]))["decisions"], 1):
    print(f"{i}. {d['title']}: {d['outcome_title']}")
PY
}

# ------------------------------------------------------------------ adr-tools (nygard)
command -v adr >/dev/null 2>&1 || apt_install adr-tools
if ! command -v adr >/dev/null 2>&1; then
  skip "adr-tools" "adr is not installed and apt-get install adr-tools failed ($(why "$work/apt.log"))"
else
  p=$work/nygard
  mkdir -p "$p/doc/adr"
  design "$p" uber
  (cd "$p" && "$tradeoff" render design.yaml --adr doc/adr --flavour nygard --date 2026-02-03 >/dev/null)
  expected_titles "$p/recommendation.json" >"$work/titles"
  count=$(wc -l <"$work/titles")

  list_matches() {
    (cd "$p" && EDITOR=true adr list) >"$work/adr-list" || return 1
    (cd "$p" && ls doc/adr/[0-9]*-*.md) >"$work/files"
    diff -u "$work/files" "$work/adr-list" && [[ $(wc -l <"$work/adr-list") -eq $count ]]
  }
  check "adr-tools-list-shows-every-rendered-record" list_matches

  toc_titles() {
    (cd "$p" && adr generate toc) >"$work/toc" || return 1
    # `* [N. Title](file)` → `N. Title`, in file order.
    sed -n 's/^\* \[\(.*\)\](\(.*\))$/\1/p' "$work/toc" >"$work/toc-titles"
    diff -u "$work/titles" "$work/toc-titles"
  }
  check "adr-tools-toc-has-the-decision-titles" toc_titles

  first_lines() {
    # adr-tools' title is `head -1 | cut -c 3-`: the marker and key at the end must not move it.
    local n=0 f
    while read -r f; do
      n=$((n + 1))
      [[ "$(head -1 "$p/$f" | cut -c 3-)" == "$(sed -n "${n}p" "$work/titles")" ]] || {
        echo "$f: $(head -1 "$p/$f")"
        return 1
      }
      [[ "$(tail -1 "$p/$f")" == "<!-- tradeoff:generated "* ]] || {
        echo "$f: no marker on the last line"
        return 1
      }
    done <"$work/files"
  }
  check "adr-tools-title-is-the-first-line-marker-last" first_lines

  new_record() {
    local out
    out=$(cd "$p" && "$tradeoff" adr new "Use Postgres for everything" --flavour nygard --date 2026-02-04) || return 1
    [[ $out == "doc/adr/$(printf %04d $((count + 1)))-use-postgres-for-everything.md" ]] || {
      echo "unexpected path $out"
      return 1
    }
    # Through a file: with pipefail, `grep -q` closing the pipe early would fail the producer.
    (cd "$p" && adr generate toc) >"$work/toc2" || return 1
    grep -qxF "* [$((count + 1)). Use Postgres for everything]($(basename "$out"))" "$work/toc2" || {
      echo "adr generate toc does not list $out with its title"
      return 1
    }
  }
  check "adr-tools-sees-tradeoff-adr-new" new_record

  adr_dir_file() {
    local q=$work/adr-dir out
    mkdir -p "$q/src/deep"
    echo "architecture/decisions" >"$q/.adr-dir"
    out=$(cd "$q/src/deep" && "$tradeoff" adr new "Keep decisions near the code" --flavour nygard) || return 1
    [[ $out == "../../architecture/decisions/0001-keep-decisions-near-the-code.md" ]] || {
      echo "unexpected path $out"
      return 1
    }
    (cd "$q/src/deep" && EDITOR=true adr list) >"$work/list2" || return 1
    grep -qx "../../architecture/decisions/0001-keep-decisions-near-the-code.md" "$work/list2" || {
      echo "adr list (run in src/deep) does not show it: $(cat "$work/list2")"
      return 1
    }
  }
  check "adr-tools-and-tradeoff-agree-on-adr-dir" adr_dir_file

  supersede_links() {
    local n=$((count + 2))
    (cd "$p" && "$tradeoff" adr supersede 4 "Strong consistency everywhere" --date 2026-02-05) >/dev/null || return 1
    (cd "$p" && adr generate graph) >"$work/graph" || return 1
    grep -qF "_$n -> _4 [label=\"Supersedes\", weight=0]" "$work/graph" || {
      echo "adr generate graph has no Supersedes edge $n -> 4"
      return 1
    }
    (cd "$p" && adr generate toc) >"$work/toc3" || return 1
    grep -qF "* [4. $(sed -n 4p "$work/titles" | cut -d ' ' -f 2-)](" "$work/toc3" || {
      echo "record 4's title changed after its status was edited"
      return 1
    }
    grep -qxF "Superseded by [$n. Strong consistency everywhere]($(printf %04d $n)-strong-consistency-everywhere.md)" "$p"/doc/adr/0004-*.md || {
      echo "record 4 does not say it is superseded by $n"
      return 1
    }
  }
  check "adr-tools-sees-tradeoff-adr-supersede" supersede_links

  adr_tools_supersedes_ours() {
    # adr-tools edits our record; tradeoff must read what it wrote.
    local old=$((count + 2)) new=$((count + 3))
    (cd "$p" && EDITOR=true adr new -s "$old" "Back to change data capture") >/dev/null || return 1
    (cd "$p" && "$tradeoff" adr list --format json) >"$work/list.json" || return 1
    python3 - "$work/list.json" "$old" "$new" <<'PY'
import json, sys
rows = {r["number"]: r for r in json.load(open(sys.argv[1]))}
old, new = int(sys.argv[2]), int(sys.argv[3])
assert rows[old]["status"] == "superseded" and rows[old].get("superseded_by") == new, rows[old]
assert rows[new]["status"] == "accepted" and old in rows[new].get("supersedes", []), rows[new]
assert rows[4]["superseded_by"] == old, rows[4]
PY
  }
  check "tradeoff-reads-an-adr-tools-supersede" adr_tools_supersedes_ours

  rerender_keeps_edits() {
    # Record 4 was superseded by hand: render again must leave it alone, write no new record
    # for its decision, and say so.
    (cd "$p" && "$tradeoff" render design.yaml --adr doc/adr --flavour nygard --date 2026-02-03) >"$work/render.log" || return 1
    grep -q "^note: 0004-.* is superseded by record .*, written by hand" "$work/render.log" || {
      echo "record 4 was not reported as taken over by hand: $(cat "$work/render.log")"
      return 1
    }
    ! grep -q "^wrote " "$work/render.log" || {
      echo "render wrote records: $(grep '^wrote ' "$work/render.log")"
      return 1
    }
    [[ $(grep -c "^unchanged " "$work/render.log") -eq $((count - 1)) ]] || {
      echo "expected $((count - 1)) unchanged records: $(cat "$work/render.log")"
      return 1
    }
    (cd "$p" && EDITOR=true adr list) >"$work/list3" || return 1
    [[ $(wc -l <"$work/list3") -eq $((count + 3)) ]]
  }
  check "adr-tools-folder-survives-a-second-render" rerender_keeps_edits
fi

# ------------------------------------------------------------------ log4brains
l=$work/log4brains
mkdir -p "$l"
if ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
l4b_ok=0
if command -v npm >/dev/null 2>&1; then
  echo "installing log4brains@1.1.0 into a throwaway project (about a minute)" >&2
  # A project-local install: a global one can leak a previous project's pages into `build`.
  if (cd "$l" && npm init -y && npm install --no-audit --no-fund --save-dev log4brains@1.1.0) >"$work/npm.log" 2>&1 &&
    [[ -x "$l/node_modules/.bin/log4brains" ]]; then
    l4b_ok=1
  fi
fi
if [[ $l4b_ok -eq 0 ]]; then
  skip "log4brains" "npm install log4brains@1.1.0 failed or npm is missing ($(why "$work/npm.log" 2>/dev/null || echo "no npm"))"
else
  l4b=$l/node_modules/.bin/log4brains
  cat >"$l/.log4brains.yml" <<'YML'
---
project:
  name: tradeoff external check
  tz: Etc/UTC
  adrFolder: ./docs/adr
YML
  design "$l" startup
  expected_titles "$l/recommendation.json" >"$work/l4b-titles"
  count=$(wc -l <"$work/l4b-titles")
  (cd "$l" && "$tradeoff" render design.yaml --adr docs/adr --flavour log4brains --date 2026-02-03 >/dev/null)
  # A record accepted by hand; folder and flavour come from .log4brains.yml and the records.
  (cd "$l" && "$tradeoff" adr new "Adopt tradeoff for design records" --status accepted --date 2026-02-04 >/dev/null)
  (cd "$l" && "$tradeoff" adr supersede 4 "Strong consistency after all" --date 2026-02-05 >/dev/null)

  # slug,status,title the records must show: rendered ones proposed (4 superseded), then ours.
  python3 - "$work/l4b-titles" "$count" >"$work/l4b-expected" <<'PY'
import sys
titles = [l.rstrip("\n") for l in open(sys.argv[1])]
for line in titles:
    n, title = line.split(". ", 1)
    print(f"{int(n)}|{'superseded' if n == '4' else 'proposed'}|{title}")
count = int(sys.argv[2])
print(f"{count + 1}|accepted|Adopt tradeoff for design records")
print(f"{count + 2}|accepted|Strong consistency after all")
PY

  l4b_list() {
    (cd "$l" && "$l4b" adr list --raw) >"$work/l4b-list" 2>"$work/l4b-list.err" || {
      cat "$work/l4b-list.err"
      return 1
    }
    python3 - "$work/l4b-list" "$work/l4b-expected" "$l/docs/adr" <<'PY'
import os, sys
# CSV slug,status,package,title; titles are not quoted, so split at most three times.
got = {}
for line in open(sys.argv[1]):
    if "," not in line:
        continue
    slug, status, _pkg, title = line.rstrip("\n").split(",", 3)
    got[slug] = (status.lower(), title)
files = {int(f.split("-")[0]): f[:-3] for f in os.listdir(sys.argv[3]) if f.endswith(".md")}
bad = []
for line in open(sys.argv[2]):
    n, status, title = line.rstrip("\n").split("|", 2)
    slug = files[int(n)]
    if got.get(slug) != (status, title):
        bad.append(f"{slug}: expected {status} {title!r}, log4brains says {got.get(slug)}")
if len(got) != len(files):
    bad.append(f"log4brains lists {len(got)} records, the folder has {len(files)}")
assert not bad, "; ".join(bad)
PY
  }
  check "log4brains-adr-list-shows-real-statuses" l4b_list

  echo "running log4brains build (about a minute or two)" >&2
  if ! (cd "$l" && "$l4b" build) >"$work/l4b-build.log" 2>&1; then
    fail "log4brains-build" "$(why "$work/l4b-build.log")"
  else
    pass "log4brains-build"
    l4b_out() {
      python3 - "$l/.log4brains/out" "$work/l4b-expected" "$l/docs/adr" <<'PY'
import glob, html, json, os, sys
out, expected, folder = sys.argv[1:4]
index = glob.glob(os.path.join(out, "data", "*", "adrs.json"))
assert index, "no data/*/adrs.json under .log4brains/out"
adrs = {a["slug"]: a for a in json.load(open(index[0]))}
files = {int(f.split("-")[0]): f[:-3] for f in os.listdir(folder) if f.endswith(".md")}
bad = []
for line in open(expected):
    n, status, title = line.rstrip("\n").split("|", 2)
    slug = files[int(n)]
    a = adrs.get(slug)
    if a is None:
        bad.append(f"{slug} missing from the built site")
        continue
    if (a["status"], a["title"]) != (status, title):
        bad.append(f"{slug}: built as {a['status']} {a['title']!r}, expected {status} {title!r}")
    page = os.path.join(out, "adr", slug, "index.html")
    if not os.path.isfile(page):
        bad.append(f"{slug}: no page {page}")
        continue
    text = open(page, encoding="utf-8").read()
    if html.escape(title, quote=False) not in text and title not in text:
        bad.append(f"{slug}: page does not show its title")
    if f'"status":"{status}"' not in text:
        bad.append(f"{slug}: page data does not carry status {status}")
# The superseded record links to the one that replaces it.
page = glob.glob(os.path.join(out, "_next", "data", "*", "adr", files[4] + ".json"))
assert page, f"no page data for {files[4]}"
by = json.load(open(page[0]))["pageProps"]["currentAdr"].get("supersededBy") or {}
last = max(files)
if by.get("slug") != files[last]:
    bad.append(f"{files[4]} superseded by {by.get('slug')}, expected {files[last]}")
assert not bad, "; ".join(bad)
PY
    }
    check "log4brains-build-shows-real-statuses-and-links" l4b_out
    no_leak() {
      # The marker and key comments must stay invisible: not page text.
      python3 - "$l/.log4brains/out" <<'PY'
import glob, re, sys
for page in glob.glob(sys.argv[1] + "/adr/*/index.html"):
    text = open(page, encoding="utf-8").read()
    # Drop the embedded page data; what is left is the rendered HTML.
    visible = re.sub(r'<script id="__NEXT_DATA__".*?</script>', "", text, flags=re.S)
    assert "tradeoff:generated" not in visible, f"{page} shows the marker as text"
    assert "tradeoff-decision" not in visible, f"{page} shows the key comment as text"
PY
    }
    check "log4brains-pages-hide-the-marker" no_leak
  fi
fi

exit $failed

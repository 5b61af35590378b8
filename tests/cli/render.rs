//! `tradeoff render --adr`: records of the example designs in each flavour, numbering, and
//! file safety (rendering twice changes nothing; edited records are kept and reported).

use super::{root, tradeoff};
use std::collections::BTreeMap;
use std::path::Path;

/// Writes `design.yaml` for an example answer file into `dir` with `tradeoff advise --out`.
pub fn design(dir: &Path, example: &str) {
    tradeoff()
        .current_dir(dir)
        .args(["advise", "--defaults", "--format", "json", "--answers"])
        .arg(root().join(format!("examples/{example}.yaml")))
        .args(["--out", "design.yaml"])
        .assert()
        .success();
}

/// Every file of a folder by name.
pub fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

fn render(dir: &Path, args: &[&str]) -> String {
    let out = tradeoff()
        .current_dir(dir)
        .args(["render", "design.yaml"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn renders_the_example_designs_in_every_flavour() {
    for example in ["startup", "uber"] {
        let tmp = tempfile::tempdir().unwrap();
        design(tmp.path(), example);
        for flavour in ["madr", "nygard", "log4brains"] {
            render(tmp.path(), &["--adr", flavour, "--flavour", flavour]);
            let mut all = String::new();
            for (name, text) in files(&tmp.path().join(flavour)) {
                all.push_str(&format!("==> {name} <==\n{text}\n"));
            }
            // The marker names the version; keep snapshots valid across releases.
            let all = all.replace(
                &format!("tradeoff {}", env!("CARGO_PKG_VERSION")),
                "tradeoff [version]",
            );
            insta::assert_snapshot!(format!("adr_{example}_{flavour}"), all);
        }
    }
}

#[test]
fn numbers_records_after_the_highest_existing_number() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    let adr = tmp.path().join("doc/adr");
    std::fs::create_dir_all(&adr).unwrap();
    std::fs::write(adr.join("0002-ours.md"), "# 2. Ours\n").unwrap();
    std::fs::write(adr.join("0041-later.md"), "# 41. Later\n").unwrap();
    std::fs::write(adr.join("20240101-dated.md"), "# Dated\n").unwrap();
    render(tmp.path(), &["--adr", "doc/adr", "--flavour", "nygard"]);
    let names: Vec<String> = files(&adr).into_keys().collect();
    assert!(
        names.contains(&"0042-service-level-targets.md".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"0043-scale-and-pattern-pack.md".to_string()),
        "{names:?}"
    );
    assert_eq!(
        std::fs::read_to_string(adr.join("0041-later.md")).unwrap(),
        "# 41. Later\n"
    );
}

#[test]
fn rendering_twice_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "uber");
    for flavour in ["madr", "nygard", "log4brains"] {
        render(tmp.path(), &["--adr", "adr", "--flavour", flavour]);
        let before = files(&tmp.path().join("adr"));
        let out = render(tmp.path(), &["--adr", "adr", "--flavour", flavour]);
        assert_eq!(files(&tmp.path().join("adr")), before, "{flavour}");
        assert!(
            out.lines().all(|l| l.starts_with("unchanged ")),
            "{flavour}: {out}"
        );
        assert_eq!(out.lines().count(), before.len());
    }
}

#[test]
fn without_a_date_the_output_is_byte_identical_and_with_one_it_is_dated() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        design(d.path(), "startup");
        render(d.path(), &["--adr", "adr", "--flavour", "log4brains"]);
    }
    assert_eq!(files(&a.path().join("adr")), files(&b.path().join("adr")));
    render(
        a.path(),
        &[
            "--adr",
            "dated",
            "--flavour",
            "log4brains",
            "--date",
            "2026-02-03",
        ],
    );
    for text in files(&a.path().join("dated")).values() {
        assert!(text.contains("\n- Date: 2026-02-03\n"), "{text}");
    }
}

#[test]
fn an_edited_adr_survives_render_untouched_and_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    render(tmp.path(), &["--adr", "adr"]);
    let path = tmp.path().join("adr/0004-consistency-model.md");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("status: proposed", "status: accepted");
    std::fs::write(&path, &edited).unwrap();
    let out = render(tmp.path(), &["--adr", "adr"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
    assert!(
        out.contains("skipped   adr/0004-consistency-model.md (edited since it was generated; --force replaces it)"),
        "{out}"
    );
    assert!(out.contains("1 file(s) kept as they are."), "{out}");
    // No second record for the same decision.
    let names: Vec<String> = files(&tmp.path().join("adr")).into_keys().collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.contains("consistency-model"))
            .count(),
        1
    );
    let out = render(tmp.path(), &["--adr", "adr", "--force"]);
    assert!(
        out.contains("wrote     adr/0004-consistency-model.md"),
        "{out}"
    );
    // Replaced with the generated text, but a record once accepted is never demoted.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("status: accepted"), "{text}");
    assert_ne!(text, edited);
}

#[test]
fn a_record_rewritten_by_a_changed_design_keeps_its_number() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    render(tmp.path(), &["--adr", "adr"]);
    // An untouched proposal follows the design: rewritten in place, same number.
    readvise(tmp.path(), "startup", &["update_rate=high"]);
    let out = render(tmp.path(), &["--adr", "adr"]);
    assert!(
        out.contains("wrote     adr/0004-consistency-model.md"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("wrote")).count(),
        1,
        "{out}"
    );
    let text = std::fs::read_to_string(tmp.path().join("adr/0004-consistency-model.md")).unwrap();
    assert!(
        text.contains("# Consistency model: Event streaming\n"),
        "{text}"
    );
}

#[test]
fn rejects_a_date_that_is_not_a_calendar_day() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    for bad in ["2026-02-30", "2026-13-01", "26-01-01", "yesterday"] {
        tradeoff()
            .current_dir(tmp.path())
            .args(["render", "design.yaml", "--adr", "adr", "--date", bad])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("accepted: YYYY-MM-DD"));
    }
    assert!(!tmp.path().join("adr").exists());
}

#[test]
fn render_needs_something_to_render_and_a_readable_design() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    tradeoff()
        .current_dir(tmp.path())
        .args(["render", "design.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("pass at least one of"));
    tradeoff()
        .current_dir(tmp.path())
        .args(["render", "missing.yaml", "--adr", "adr"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot read missing.yaml: there is no such file",
        ));
}

#[test]
fn a_template_override_changes_the_records() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    std::fs::create_dir_all(tmp.path().join("t/adr")).unwrap();
    std::fs::write(
        tmp.path().join("t/adr/nygard.md"),
        "# {{ record.number }}. {{ record.title }}\n\n## Status\n\n{{ record.status }}\n\nOurs.\n",
    )
    .unwrap();
    render(
        tmp.path(),
        &["--templates", "t", "--adr", "adr", "--flavour", "nygard"],
    );
    let text = std::fs::read_to_string(tmp.path().join("adr/0004-consistency-model.md")).unwrap();
    assert!(
        text.starts_with("# 4. Consistency model: Change data capture\n\n## Status\n\nproposed\n\nOurs.\n\n<!-- tradeoff-decision: consistency; outcome: cdc -->\n"),
        "{text}"
    );
    std::fs::write(tmp.path().join("t/adr/nygard.md"), "{{ record.nope }}\n").unwrap();
    tradeoff()
        .current_dir(tmp.path())
        .args([
            "render",
            "design.yaml",
            "--templates",
            "t",
            "--adr",
            "bad",
            "--flavour",
            "nygard",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("adr/nygard.md"));
}

/// Every file under `dir`, by path relative to it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

const ALL: [&str; 8] = [
    "--docs",
    "docs",
    "--adr",
    "docs/decisions",
    "--scaffold",
    "service",
    "--alerts",
    "alerts/slo.rules.yaml",
];

#[test]
fn renders_docs_adrs_scaffold_and_alerts_together_and_twice_identically() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path(), "netflix");
    let first = render(dir.path(), &ALL);
    assert!(first.contains("wrote     docs/index.md"), "{first}");
    assert!(
        first.contains("wrote     service/config/service.yaml"),
        "{first}"
    );
    assert!(first.contains("wrote     alerts/slo.rules.yaml"), "{first}");
    let before = tree(dir.path());
    let second = render(dir.path(), &ALL);
    assert!(!second.contains("wrote"), "{second}");
    assert_eq!(before, tree(dir.path()));
    let rules = String::from_utf8(before["alerts/slo.rules.yaml"].clone()).unwrap();
    // Netflix consumes from RabbitMQ: its rules watch the messages its scaffold counts.
    assert!(rules.contains("severity: page") && rules.contains("messages_handled_total{job="));
}

#[test]
fn an_edited_doc_and_an_edited_adr_survive_render_untouched() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path(), "startup");
    render(dir.path(), &ALL);
    let index = dir.path().join("docs/index.md");
    let mut text = std::fs::read_to_string(&index).unwrap();
    text.push_str("Our own notes, below the marker.\n");
    std::fs::write(&index, &text).unwrap();
    let adr_dir = dir.path().join("docs/decisions");
    let record = std::fs::read_dir(&adr_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let edited = std::fs::read_to_string(&record)
        .unwrap()
        .replacen("proposed", "accepted", 1);
    std::fs::write(&record, &edited).unwrap();
    let out = render(dir.path(), &ALL);
    assert!(out.contains("skipped   docs/index.md (edited"), "{out}");
    assert!(
        out.contains(&format!(
            "skipped   docs/decisions/{}",
            record.file_name().unwrap().to_string_lossy()
        )),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&index).unwrap(), text);
    assert_eq!(std::fs::read_to_string(&record).unwrap(), edited);
}

#[test]
fn alerts_without_an_slo_in_the_design_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    design(dir.path(), "startup");
    let path = dir.path().join("design.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.replace("  slo:\n", "  slo_removed:\n");
    std::fs::write(&path, cut).unwrap();
    tradeoff()
        .current_dir(dir.path())
        .args(["render", "design.yaml", "--alerts", "a.yaml"])
        .assert()
        .code(2);
}

#[test]
fn an_unreadable_template_is_refused_not_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    std::fs::create_dir_all(tmp.path().join("t/adr")).unwrap();
    // Not UTF-8: before, the file was skipped and the embedded template used silently.
    std::fs::write(tmp.path().join("t/adr/nygard.md"), b"# \xff\xfe\n").unwrap();
    tradeoff()
        .current_dir(tmp.path())
        .args(["render", "design.yaml", "--templates", "t", "--adr", "adr"])
        .args(["--flavour", "nygard"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("adr/nygard.md"))
        .stderr(predicates::str::contains("not UTF-8"));
    assert!(!tmp.path().join("adr").exists(), "nothing rendered");
}

/// Re-advises the design in `dir` with extra `--set` answers.
fn readvise(dir: &Path, example: &str, sets: &[&str]) {
    let mut cmd = tradeoff();
    cmd.current_dir(dir)
        .args(["advise", "--defaults", "--format", "json", "--answers"])
        .arg(root().join(format!("examples/{example}.yaml")));
    for s in sets {
        cmd.args(["--set", s]);
    }
    cmd.args(["--out", "design.yaml"]).assert().success();
}

#[test]
fn a_changed_decision_whose_record_was_accepted_gets_a_record_that_supersedes_it() {
    for flavour in ["madr", "nygard", "log4brains"] {
        let tmp = tempfile::tempdir().unwrap();
        design(tmp.path(), "startup");
        render(
            tmp.path(),
            &["--adr", "adr", "--flavour", flavour, "--status", "accepted"],
        );
        let before = files(&tmp.path().join("adr"));
        let old = before
            .keys()
            .find(|f| f.contains("service-communication"))
            .unwrap()
            .clone();
        // The communication decision changes from REST to gRPC.
        readvise(tmp.path(), "startup", &["latency_sensitive=yes"]);
        let out = render(tmp.path(), &["--adr", "adr", "--flavour", flavour]);
        let next = format!("{:04}-service-communication.md", before.len() + 1);
        assert!(out.contains("supersedes it"), "{out}");
        let after = files(&tmp.path().join("adr"));
        assert_eq!(after.len(), before.len() + 1, "{flavour}");
        // The new record is filled like the others and links back; the old one links forward.
        let new_text = &after[&next];
        assert!(new_text.contains("gRPC"), "{new_text}");
        assert!(new_text.contains("## Considered Options") || flavour == "nygard");
        assert!(
            new_text.contains("Supersedes [") && new_text.contains(&format!("({old})")),
            "{new_text}"
        );
        assert!(
            after[&old].contains(&format!("({next})")),
            "{}",
            after[&old]
        );
        // Accepted records stay accepted; the rest of the folder is unchanged.
        for (name, text) in &before {
            if *name != old {
                assert_eq!(&after[name], text, "{flavour}: {name}");
            }
        }
        let list = tradeoff()
            .current_dir(tmp.path())
            .args(["adr", "list", "--dir", "adr", "--format", "json"])
            .output()
            .unwrap();
        let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
        let status = |file: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|r| r["file"] == file)
                .map(|r| r["status"].as_str().unwrap().to_string())
                .unwrap()
        };
        assert_eq!(status(&old), "superseded", "{flavour}");
        assert_eq!(status(&next), "proposed", "{flavour}");
        // Rendering again changes nothing.
        let again = render(tmp.path(), &["--adr", "adr", "--flavour", flavour]);
        assert!(!again.contains("wrote"), "{again}");
    }
}

#[test]
fn an_edited_answer_is_refused_until_the_design_is_refreshed() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    let path = tmp.path().join("design.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("    answer: 50k\n"));
    std::fs::write(
        &path,
        text.replace("    answer: 50k\n", "    answer: 30M\n"),
    )
    .unwrap();
    // Rendering the stale recommendation is refused, naming what changed and the fix.
    let out = tradeoff()
        .current_dir(tmp.path())
        .args(["render", "design.yaml", "--docs", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("design.yaml is out of date"), "{err}");
    assert!(
        err.contains("decision scale: Foundation pack → Resilience pack"),
        "{err}"
    );
    assert!(err.contains("patterns added: "), "{err}");
    assert!(
        err.contains("tradeoff advise --answers design.yaml --out design.yaml"),
        "{err}"
    );
    assert!(!tmp.path().join("docs").exists(), "nothing is rendered");
    // `advise --answers design.yaml` reads the design's answers, edit included.
    tradeoff()
        .current_dir(tmp.path())
        .args(["advise", "--defaults", "--format", "json"])
        .args(["--answers", "design.yaml", "--out", "design.yaml"])
        .assert()
        .success();
    let out = render(tmp.path(), &["--docs", "docs"]);
    assert!(out.contains("wrote     docs/index.md"), "{out}");
    let index = std::fs::read_to_string(tmp.path().join("docs/index.md")).unwrap();
    assert!(index.contains("**Resilience**"), "{index}");
    // Answers left to their defaults stay defaults after the round trip.
    let refreshed = std::fs::read_to_string(&path).unwrap();
    assert!(refreshed.contains("source: default"), "{refreshed}");
}

#[test]
fn render_refresh_updates_the_design_and_renders_the_new_recommendation() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    let path = tmp.path().join("design.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("    answer: 50k\n", "    answer: 3M\n")).unwrap();
    let out = render(tmp.path(), &["--docs", "docs", "--refresh"]);
    assert!(out.starts_with("refreshed design.yaml:\n"), "{out}");
    let index = std::fs::read_to_string(tmp.path().join("docs/index.md")).unwrap();
    assert!(index.contains("**Scale**"), "{index}");
    // The design file now follows from its answers: rendering again needs no refresh.
    let again = render(tmp.path(), &["--docs", "docs"]);
    assert!(!again.contains("refreshed"), "{again}");
    assert!(!again.contains("wrote"), "{again}");
}

#[test]
fn an_unknown_key_in_the_recommendation_is_refused_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    let path = tmp.path().join("design.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "recommendation:\n",
        "recommendation:\n  packz: [scale]\n",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&path, &edited).unwrap();
    let line = edited.lines().position(|l| l.contains("packz")).unwrap() + 1;
    let out = tradeoff()
        .current_dir(tmp.path())
        .args(["render", "design.yaml", "--docs", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("packz"), "{err}");
    assert!(err.contains(&format!("design.yaml:{line}")), "{err}");
}

//! `tradeoff check`: a fresh render checks clean for every example; each kind of drift is
//! found with its file, line, both values and the design's source; check writes nothing.
//! Expectations come from rendering, never from hard-coded rendered values (other than the
//! values a test edits in).

use super::render::design;
use super::{root, tradeoff};
use std::collections::BTreeMap;
use std::path::Path;

/// Renders every artifact of `design.yaml` in `dir`.
fn render_all(dir: &Path) {
    tradeoff()
        .current_dir(dir)
        .args(["render", "design.yaml", "--docs", "docs", "--adr", "adr"])
        .args(["--scaffold", "svc", "--alerts", "slo.yaml"])
        .assert()
        .success();
}

/// `tradeoff check --format json` in `dir` (with `args`): its exit code and report.
fn check(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = tradeoff()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

/// The drift findings of a report (notes left out).
fn drift(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["drift"] == true)
        .cloned()
        .collect()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A rendered example in a fresh folder.
fn rendered(example: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), example);
    render_all(tmp.path());
    tmp
}

/// The value of `key:` on its own line in a YAML text (the first one).
fn value_of(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no `{key}:` in\n{text}"))
        .trim()
        .to_string()
}

#[test]
fn a_fresh_render_of_every_example_checks_clean() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "yaml").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        let tmp = rendered(&name);
        let (code, report) = check(tmp.path(), &[]);
        assert_eq!(code, 0, "{name}: {report:#}");
        assert_eq!(report["findings"], serde_json::json!([]), "{name}");
        let files = report["files"].as_array().unwrap();
        assert!(files.len() > 10, "{name}: {files:?}");
        assert!(files.iter().all(|f| f["state"] == "current"), "{name}");
    }
}

#[test]
fn the_design_file_records_where_render_wrote_relative_to_itself() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("design")).unwrap();
    design(&tmp.path().join("design"), "startup");
    tradeoff()
        .current_dir(tmp.path())
        .args(["render", "design/design.yaml", "--docs", "out/docs"])
        .args(["--alerts", "out/slo.yaml"])
        .assert()
        .success();
    let text = std::fs::read_to_string(tmp.path().join("design/design.yaml")).unwrap();
    assert!(
        text.contains(
            "rendered:\n  docs:\n    path: ../out/docs\n    source: design/design.yaml\n"
        ),
        "{text}"
    );
    // From another folder, and with the design's own folder as the working one.
    let (code, report) = check(tmp.path(), &["design/design.yaml"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(!report["files"].as_array().unwrap().is_empty());
    let (code, _) = check(&tmp.path().join("design"), &[]);
    assert_eq!(code, 0);
    // A flag overrides the recorded path.
    let (code, report) = check(tmp.path(), &["design/design.yaml", "--docs", "elsewhere"]);
    assert_eq!(code, 1);
    assert!(drift(&report).iter().all(|f| f["kind"] == "missing-file"));
}

#[test]
fn a_hand_scaled_deployment_is_drift_with_line_values_and_source() {
    let tmp = rendered("payments-ledger");
    let deployment = tmp.path().join("svc/deploy/kubernetes/deployment.yaml");
    let text = std::fs::read_to_string(&deployment).unwrap();
    let replicas = value_of(&text, "replicas");
    assert_ne!(replicas, "1");
    edit(
        &deployment,
        &format!("replicas: {replicas}\n"),
        "replicas: 1\n",
    );
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 1);
    let found = drift(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["kind"], "number-drift");
    assert_eq!(f["file"], "svc/deploy/kubernetes/deployment.yaml");
    assert_eq!(f["key"], "replicas");
    assert_eq!(f["expected"], replicas.as_str());
    assert_eq!(f["actual"], "1");
    let line = text
        .lines()
        .position(|l| l.trim() == format!("replicas: {replicas}"))
        .unwrap()
        + 1;
    assert_eq!(f["line"], line);
    let design = std::fs::read_to_string(tmp.path().join("design.yaml")).unwrap();
    let source = f["source"].as_str().unwrap();
    assert!(source.starts_with("estimate replicas"), "{source}");
    assert!(design.contains(&source[..20]), "{source}");
    // The edited file is listed as edited, which alone is no failure.
    let notes: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "edited-file")
        .collect();
    assert_eq!(notes.len(), 1);
    // Human output: one line with file:line, both values and the source.
    let out = tradeoff()
        .current_dir(tmp.path())
        .arg("check")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let hit = out
        .lines()
        .find(|l| l.contains("number-drift"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        hit.starts_with(&format!("svc/deploy/kubernetes/deployment.yaml:{line}: ")),
        "{hit}"
    );
    assert!(
        hit.contains(&format!("is 1; the design says {replicas}")),
        "{hit}"
    );
    assert!(hit.contains("(from estimate replicas"), "{hit}");
}

#[test]
fn an_edited_threshold_is_drift_in_the_rule_file_and_the_prometheus_rule() {
    let tmp = rendered("startup");
    for file in ["slo.yaml", "svc/deploy/kubernetes/prometheusrule.yaml"] {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        // The first burn-rate threshold: `... > 0.0144` on the alert's first expression line.
        let (at, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("ratio_rate1h{") && l.contains(" > "))
            .unwrap();
        let threshold = line.rsplit(" > ").next().unwrap().trim().to_string();
        edit(&path, line, &line.replace(&threshold, "0.5"));
        let (code, report) = check(tmp.path(), &[]);
        assert_eq!(code, 1);
        let found: Vec<_> = drift(&report)
            .into_iter()
            .filter(|f| f["file"] == file)
            .collect();
        assert_eq!(found.len(), 1, "{file}: {found:#?}");
        assert_eq!(found[0]["key"], "burn-rate-threshold");
        assert_eq!(found[0]["expected"], threshold.as_str());
        assert_eq!(found[0]["actual"], "0.5");
        assert_eq!(found[0]["line"], at + 1);
        assert!(
            found[0]["source"]
                .as_str()
                .unwrap()
                .contains("availability_target")
        );
    }
}

#[test]
fn keep_markers_and_the_design_tolerance_allow_a_hand_set_value() {
    let tmp = rendered("startup");
    let config = tmp.path().join("svc/config/service.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let attempts = value_of(&text, "max_attempts");
    edit(
        &config,
        &format!("max_attempts: {attempts}\n"),
        "max_attempts: 7 # tradeoff: keep\n",
    );
    let deployment = tmp.path().join("svc/deploy/kubernetes/deployment.yaml");
    let replicas: f64 = value_of(&std::fs::read_to_string(&deployment).unwrap(), "replicas")
        .parse()
        .unwrap();
    let scaled = (replicas * 1.5).ceil();
    edit(
        &deployment,
        &format!("replicas: {replicas}\n"),
        &format!("replicas: {scaled}\n"),
    );
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(
        code, 1,
        "the scaled deployment is drift without a tolerance"
    );
    assert_eq!(drift(&report).len(), 1, "{report:#}");
    let design = tmp.path().join("design.yaml");
    let text = std::fs::read_to_string(&design).unwrap();
    std::fs::write(
        &design,
        format!("{text}check:\n  tolerance:\n    replicas: 60%\n"),
    )
    .unwrap();
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    let kept: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "kept-number")
        .map(|f| f["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kept, ["retry.max_attempts", "replicas"]);
    // An unknown key or a bad percentage in the tolerance is bad input.
    std::fs::write(
        &design,
        format!("{text}check:\n  tolerance:\n    replica: 60%\n"),
    )
    .unwrap();
    let err = super::input_error(&["check", design.to_str().unwrap()]);
    assert!(
        err.contains("check.tolerance.replica: unknown key (did you mean `replicas`?)"),
        "{err}"
    );
    std::fs::write(
        &design,
        format!("{text}check:\n  tolerance:\n    replicas: lots\n"),
    )
    .unwrap();
    let err = super::input_error(&["check", design.to_str().unwrap()]);
    assert!(err.contains("check.tolerance.replicas"), "{err}");
}

#[test]
fn a_deleted_generated_file_and_an_out_of_date_one_are_drift() {
    let tmp = rendered("startup");
    let index = tmp.path().join("docs/index.md");
    std::fs::remove_file(&index).unwrap();
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 1);
    let found = drift(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["kind"], "missing-file");
    assert_eq!(found[0]["file"], "docs/index.md");
    let states: BTreeMap<String, usize> =
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .fold(BTreeMap::new(), |mut m, f| {
                *m.entry(f["state"].as_str().unwrap().to_string())
                    .or_default() += 1;
                m
            });
    assert_eq!(states.get("missing"), Some(&1), "{states:?}");
    // Rendered from another design file name, the pages are unchanged but out of date.
    std::fs::copy(
        tmp.path().join("design.yaml"),
        tmp.path().join("other.yaml"),
    )
    .unwrap();
    tradeoff()
        .current_dir(tmp.path())
        .args(["render", "other.yaml", "--docs", "docs"])
        .assert()
        .success();
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 1);
    let found = drift(&report);
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|f| f["kind"] == "out-of-date-file"),
        "{found:#?}"
    );
}

#[test]
fn a_stale_recommendation_is_drift() {
    let tmp = rendered("startup");
    let path = tmp.path().join("design.yaml");
    edit(
        &path,
        "    question: update_rate\n    answer: low\n",
        "    question: update_rate\n    answer: high\n",
    );
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 1);
    // Listed first; the docs quoting the edited answer are out of date too.
    let found = drift(&report);
    assert_eq!(found[0]["kind"], "stale-recommendation", "{found:#?}");
    assert_eq!(found[0]["file"], "design.yaml");
    assert!(
        found[1..].iter().all(|f| f["kind"] == "out-of-date-file"),
        "{found:#?}"
    );
    let changes = found[0]["expected"].as_str().unwrap();
    assert!(changes.contains("decision consistency:"), "{changes}");
    assert!(changes.contains("patterns removed: cdc"), "{changes}");
}

#[test]
fn an_accepted_record_of_a_changed_decision_needs_a_superseding_record() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    tradeoff()
        .current_dir(tmp.path())
        .args([
            "render",
            "design.yaml",
            "--adr",
            "adr",
            "--status",
            "accepted",
        ])
        .assert()
        .success();
    let (code, _) = check(tmp.path(), &[]);
    assert_eq!(code, 0);
    // The design changes its consistency decision (advise keeps the recorded paths).
    tradeoff()
        .current_dir(tmp.path())
        .args(["advise", "--defaults", "--format", "json", "--answers"])
        .arg(root().join("examples/startup.yaml"))
        .args(["--set", "update_rate=high", "--out", "design.yaml"])
        .assert()
        .success();
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 1);
    let found = drift(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["kind"], "needs-superseding-record");
    assert_eq!(f["file"], "adr/0004-consistency-model.md");
    assert_eq!(f["source"], "decision consistency");
    assert_ne!(f["expected"], f["actual"]);
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("tradeoff adr supersede 4 "), "{message}");
    // Render writes the superseding record; then all is well again.
    tradeoff()
        .current_dir(tmp.path())
        .args(["render", "design.yaml", "--adr", "adr"])
        .assert()
        .success();
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_decision_without_a_record_and_two_accepted_records_are_drift() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    tradeoff()
        .current_dir(tmp.path())
        .args([
            "render",
            "design.yaml",
            "--adr",
            "adr",
            "--status",
            "accepted",
        ])
        .assert()
        .success();
    let adr = tmp.path().join("adr");
    let mut names: Vec<String> = super::render::files(&adr).into_keys().collect();
    names.sort();
    std::fs::remove_file(adr.join(&names[0])).unwrap();
    // A copy of the second record under a new number: two accepted records of one decision.
    let second = std::fs::read_to_string(adr.join(&names[1])).unwrap();
    std::fs::write(adr.join("0099-copy.md"), second).unwrap();
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 1);
    let found = drift(&report);
    let kinds: Vec<&str> = found
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .map(|k| match k {
            "decision-without-record" | "duplicate-records" => k,
            other => panic!("unexpected {other}: {report:#}"),
        })
        .collect();
    assert_eq!(kinds, ["decision-without-record", "duplicate-records"]);
    // Named after the file render would write for it (the next free number).
    let missing = found[0]["file"].as_str().unwrap();
    let slug = names[0].split_once('-').unwrap().1;
    assert!(
        missing.starts_with("adr/") && missing.ends_with(slug),
        "{missing}"
    );
}

#[test]
fn docs_and_records_rendered_apart_or_together_check_clean() {
    let tmp = tempfile::tempdir().unwrap();
    design(tmp.path(), "startup");
    for args in [&["--docs", "docs"][..], &["--adr", "adr"]] {
        tradeoff()
            .current_dir(tmp.path())
            .args(["render", "design.yaml"])
            .args(args)
            .assert()
            .success();
    }
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    // Rendered together, the docs link the records; a later render of both keeps it so.
    tradeoff()
        .current_dir(tmp.path())
        .args(["render", "design.yaml", "--docs", "docs", "--adr", "adr"])
        .assert()
        .success();
    let index = std::fs::read_to_string(tmp.path().join("docs/index.md")).unwrap();
    assert!(index.contains("../adr/0001-"), "{index}");
    let (code, report) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
}

/// Every file under `dir` with its length and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, (u64, std::time::SystemTime)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::metadata(&p).unwrap();
            let name = p.strip_prefix(base).unwrap().display().to_string();
            out.insert(name.clone(), (m.len(), m.modified().unwrap()));
            if m.is_dir() {
                walk(base, &p, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn check_writes_nothing_clean_or_drifted() {
    let tmp = rendered("startup");
    let before = snapshot(tmp.path());
    tradeoff()
        .current_dir(tmp.path())
        .arg("check")
        .assert()
        .code(0);
    assert_eq!(snapshot(tmp.path()), before);
    std::fs::remove_file(tmp.path().join("docs/index.md")).unwrap();
    let before = snapshot(tmp.path());
    tradeoff()
        .current_dir(tmp.path())
        .arg("check")
        .assert()
        .code(1);
    check(tmp.path(), &[]);
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn bad_input_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let err = super::input_error(&["check", tmp.path().join("nope.yaml").to_str().unwrap()]);
    assert!(err.contains("nope.yaml"), "{err}");
    let not_design = tmp.path().join("answers.yaml");
    std::fs::write(&not_design, "users: 10k\n").unwrap();
    let err = super::input_error(&["check", not_design.to_str().unwrap()]);
    assert!(err.contains("answers.yaml"), "{err}");
    design(tmp.path(), "startup");
    let path = tmp.path().join("design.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}rendered:\n  adr:\n    path: adr\n    source: design.yaml\n    flavour: rst\n    status: proposed\n"),
    )
    .unwrap();
    let err = super::input_error(&["check", path.to_str().unwrap()]);
    assert!(
        err.contains(
            "rendered.adr.flavour: unknown value `rst`; accepted: madr, nygard, log4brains"
        ),
        "{err}"
    );
}

//! `tradeoff adr new|list|supersede`: numbering, default folders per flavour, reading all
//! three flavours and both link spellings, superseding, errors, and concurrent creation.

use super::render::files;
use super::{root, tradeoff};
use std::path::Path;

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = tradeoff().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn list(dir: &Path, folder: &str) -> serde_json::Value {
    serde_json::from_str(&ok(
        dir,
        &["adr", "list", "--dir", folder, "--format", "json"],
    ))
    .unwrap()
}

fn copy_mixed(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for (name, text) in files(&root().join("tests/fixtures/adr/mixed")) {
        std::fs::write(to.join(name), text).unwrap();
    }
}

#[test]
fn adr_new_writes_the_next_number_in_each_flavour() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_mixed(&d.join("adr"));
    let cases = [
        (
            "madr",
            "0008-use-postgres.md",
            "---\nstatus: proposed\ndate: 2026-02-03\n---\n\n# Use Postgres\n",
        ),
        (
            "nygard",
            "0009-use-postgres.md",
            "# 9. Use Postgres\n\nDate: 2026-02-03\n\n## Status\n\nProposed\n\n## Context\n",
        ),
        (
            "log4brains",
            "0010-use-postgres.md",
            "# Use Postgres\n\n- Status: proposed\n- Date: 2026-02-03\n\n## Context and Problem Statement\n",
        ),
    ];
    for (flavour, file, start) in cases {
        let out = ok(
            d,
            &[
                "adr",
                "new",
                "Use Postgres",
                "--dir",
                "adr",
                "--flavour",
                flavour,
                "--date",
                "2026-02-03",
            ],
        );
        assert_eq!(out, format!("adr/{file}\n"));
        let text = std::fs::read_to_string(d.join("adr").join(file)).unwrap();
        assert!(text.starts_with(start), "{flavour}:\n{text}");
        assert!(!text.contains("tradeoff:generated"));
    }
    let v = list(d, "adr");
    let last = &v.as_array().unwrap()[9];
    assert_eq!(last["number"], 10);
    assert_eq!(last["status"], "proposed");
    assert_eq!(last["flavour"], "log4brains");
}

#[test]
fn adr_new_without_a_flavour_follows_the_newest_record() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_mixed(&d.join("adr"));
    let out = ok(
        d,
        &["adr", "new", "Next", "--dir", "adr", "--status", "accepted"],
    );
    assert_eq!(out, "adr/0008-next.md\n");
    let text = std::fs::read_to_string(d.join("adr/0008-next.md")).unwrap();
    // 0007 is an adr-tools record.
    assert!(text.starts_with("# 8. Next\n"), "{text}");
    assert!(text.contains("## Status\n\nAccepted\n"), "{text}");
}

#[test]
fn adr_new_finds_each_flavours_default_folder() {
    // madr: docs/decisions.
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(
        tmp.path(),
        &[
            "adr",
            "new",
            "A",
            "--flavour",
            "madr",
            "--date",
            "2026-02-03",
        ],
    );
    assert_eq!(out, "docs/decisions/0001-a.md\n");

    // nygard: the nearest .adr-dir, walking up as adr-tools does.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".adr-dir"), "architecture/decisions\n").unwrap();
    std::fs::create_dir_all(tmp.path().join("src/deep")).unwrap();
    let out = ok(
        &tmp.path().join("src/deep"),
        &["adr", "new", "B", "--flavour", "nygard"],
    );
    assert_eq!(out, "../../architecture/decisions/0001-b.md\n");
    assert!(
        tmp.path()
            .join("architecture/decisions/0001-b.md")
            .is_file()
    );
    // ... and without a flavour, .adr-dir is found too.
    let out = ok(&tmp.path().join("src/deep"), &["adr", "new", "C"]);
    assert_eq!(out, "../../architecture/decisions/0002-c.md\n");

    // nygard: an existing doc/adr higher up, else doc/adr here.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("doc/adr")).unwrap();
    std::fs::create_dir_all(tmp.path().join("sub")).unwrap();
    let out = ok(
        &tmp.path().join("sub"),
        &["adr", "new", "D", "--flavour", "nygard"],
    );
    assert_eq!(out, "../doc/adr/0001-d.md\n");
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(tmp.path(), &["adr", "new", "E", "--flavour", "nygard"]);
    assert_eq!(out, "doc/adr/0001-e.md\n");

    // log4brains: adrFolder of .log4brains.yml, else docs/adr.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(".log4brains.yml"),
        "---\nproject:\n  name: x\n  tz: Etc/UTC\n  adrFolder: ./records/adr\n",
    )
    .unwrap();
    let out = ok(tmp.path(), &["adr", "new", "F"]);
    assert_eq!(out, "records/adr/0001-f.md\n");
    let text = std::fs::read_to_string(tmp.path().join("records/adr/0001-f.md")).unwrap();
    assert!(text.starts_with("# F\n\n- Status: proposed\n"), "{text}");
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(tmp.path(), &["adr", "new", "G", "--flavour", "log4brains"]);
    assert_eq!(out, "docs/adr/0001-g.md\n");
}

#[test]
fn adr_list_reads_all_three_flavours_and_both_spellings() {
    let dir = root().join("tests/fixtures/adr/mixed");
    let v = list(&root(), &dir.display().to_string());
    let rows = v.as_array().unwrap();
    let row = |file: &str| rows.iter().find(|r| r["file"] == file).unwrap().clone();
    let r = row("0001-record-architecture-decisions.md");
    assert_eq!(
        (r["status"].as_str(), r["superseded_by"].as_u64()),
        (Some("superseded"), Some(3))
    );
    assert_eq!(r["flavour"], "nygard");
    let r = row("0003-use-kafka-for-events.md");
    assert_eq!(r["supersedes"], serde_json::json!([1]));
    assert_eq!(r["status"], "accepted");
    let r = row("0002-use-madr.md");
    assert_eq!(
        (r["status"].as_str(), r["date"].as_str()),
        (Some("proposed"), Some("2024-05-06"))
    );
    assert_eq!(r["flavour"], "madr");
    let r = row("0004-cache-sessions.md");
    assert_eq!(
        (r["status"].as_str(), r["superseded_by"].as_u64()),
        (Some("superseded"), Some(5))
    );
    assert_eq!(r["flavour"], "log4brains");
    assert_eq!(
        row("0005-keep-sessions-in-the-database.md")["supersedes"],
        serde_json::json!([4])
    );
    assert_eq!(row("0006-use-rest.md")["superseded_by"], 7);
    assert_eq!(
        row("0007-use-grpc-inside.md")["supersedes"],
        serde_json::json!([6])
    );
    let r = row("20240101-date-slug.md");
    assert!(r["number"].is_null());
    assert_eq!(rows.len(), 8, "template.md and README.md are not records");

    let table = ok(
        &root(),
        &["adr", "list", "--dir", "tests/fixtures/adr/mixed"],
    );
    insta::assert_snapshot!("adr_list_mixed", table);
}

#[test]
fn supersede_links_both_records_in_their_own_flavour() {
    let cases = [
        (
            "madr",
            "status: \"superseded by [3. Use B](0003-use-b.md)\"",
            "## More Information\n\nSupersedes [1. Use A](0001-use-a.md)\n",
        ),
        (
            "nygard",
            "## Status\n\nSuperseded by [3. Use B](0003-use-b.md)\n",
            "## Status\n\nAccepted\n\nSupersedes [1. Use A](0001-use-a.md)\n",
        ),
        (
            "log4brains",
            "- Status: superseded by [0003-use-b](0003-use-b.md)\n",
            "## Links\n\n- Supersedes [0001-use-a](0001-use-a.md)\n",
        ),
    ];
    for (flavour, old_has, new_has) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        for t in ["Use A", "Other"] {
            ok(
                d,
                &[
                    "adr",
                    "new",
                    t,
                    "--dir",
                    "adr",
                    "--flavour",
                    flavour,
                    "--status",
                    "accepted",
                ],
            );
        }
        let out = ok(
            d,
            &[
                "adr",
                "supersede",
                "1",
                "Use B",
                "--dir",
                "adr",
                "--date",
                "2026-02-03",
            ],
        );
        assert_eq!(
            out,
            "adr/0003-use-b.md\nadr/0001-use-a.md is now superseded by record 3\n"
        );
        let old = std::fs::read_to_string(d.join("adr/0001-use-a.md")).unwrap();
        let new = std::fs::read_to_string(d.join("adr/0003-use-b.md")).unwrap();
        assert!(old.contains(old_has), "{flavour} old:\n{old}");
        assert!(new.contains(new_has), "{flavour} new:\n{new}");
        let v = list(d, "adr");
        assert_eq!(v[0]["status"], "superseded");
        assert_eq!(v[0]["superseded_by"], 3);
        assert_eq!(v[2]["status"], "accepted");
        assert_eq!(v[2]["supersedes"], serde_json::json!([1]));
        assert_eq!(v[2]["flavour"], flavour);
        // The other record is untouched.
        assert_eq!(v[1]["status"], "accepted");
    }
}

#[test]
fn supersede_works_on_a_generated_record_which_render_then_keeps() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    super::render::design(d, "startup");
    ok(
        d,
        &[
            "render",
            "design.yaml",
            "--adr",
            "doc/adr",
            "--flavour",
            "nygard",
        ],
    );
    let out = ok(
        d,
        &["adr", "supersede", "4", "Strong consistency after all"],
    );
    assert!(
        out.starts_with("doc/adr/0026-strong-consistency-after-all.md\n"),
        "{out}"
    );
    let out = ok(
        d,
        &[
            "render",
            "design.yaml",
            "--adr",
            "doc/adr",
            "--flavour",
            "nygard",
        ],
    );
    assert!(
        out.contains("note: 0004-consistency-model.md (consistency) is superseded by record 26, written by hand: no new record for consistency"),
        "{out}"
    );
    assert!(!out.contains("wrote"), "{out}");
    let v = list(d, "doc/adr");
    assert_eq!(v[3]["superseded_by"], 26);
    assert_eq!(v.as_array().unwrap().len(), 26);
}

#[test]
fn adr_errors_say_what_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    copy_mixed(&d.join("adr"));
    let fails = |args: &[&str], says: &str| {
        tradeoff()
            .current_dir(d)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says.to_string()));
    };
    fails(
        &["adr", "supersede", "42", "X", "--dir", "adr"],
        "no record 42 in adr; accepted: 1, 2, 3, 4, 5, 6, 7",
    );
    fails(
        &["adr", "supersede", "1", "X", "--dir", "adr"],
        "record 1 (0001-record-architecture-decisions.md) is already superseded by record 3; supersede 3 instead",
    );
    fails(
        &["adr", "list", "--dir", "nowhere"],
        "records folder nowhere does not exist",
    );
    fails(
        &["adr", "supersede", "1", "X", "--dir", "nowhere"],
        "records folder nowhere does not exist",
    );
    fails(
        &["adr", "new", "X", "--dir", "adr", "--status", "done"],
        "[possible values: proposed, accepted]",
    );
    fails(
        &["adr", "new", "X", "--dir", "adr", "--flavour", "y"],
        "[possible values: madr, nygard, log4brains]",
    );
    fails(
        &["adr", "new", "X", "--date", "2026-2-3"],
        "accepted: YYYY-MM-DD",
    );
    std::fs::write(
        d.join("adr/0008-plain.md"),
        "# Plain\n\nNo status anywhere.\n",
    )
    .unwrap();
    fails(
        &["adr", "supersede", "8", "X", "--dir", "adr"],
        "has no status to change",
    );
    // Nothing was created by the failures.
    assert_eq!(files(&d.join("adr")).len(), 11);
}

#[test]
fn concurrent_adr_new_gives_distinct_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("tradeoff");
    let children: Vec<_> = (0..8)
        .map(|i| {
            std::process::Command::new(&bin)
                .current_dir(tmp.path())
                .args([
                    "adr",
                    "new",
                    &format!("Decision {i}"),
                    "--dir",
                    "adr",
                    "--flavour",
                    "nygard",
                ])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut numbers = Vec::new();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        let path = String::from_utf8(out.stdout).unwrap();
        let name = path.trim().trim_start_matches("adr/").to_string();
        let n: u32 = name[..4].parse().unwrap();
        let text = std::fs::read_to_string(tmp.path().join("adr").join(&name)).unwrap();
        assert!(text.starts_with(&format!("# {n}. Decision ")), "{text}");
        numbers.push(n);
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
    assert_eq!(files(&tmp.path().join("adr")).len(), 8);
}

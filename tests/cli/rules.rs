//! `tradeoff rules check` and `rules graph`.

use super::{root, tradeoff};

#[test]
fn embedded_rules_pass_the_check() {
    tradeoff()
        .args(["rules", "check"])
        .assert()
        .success()
        .stdout(predicates::str::contains("no problems"));
}

#[test]
fn warns_about_catalog_patterns_that_no_answer_can_reach() {
    let out = tradeoff()
        .current_dir(root().join("tests/fixtures/warning"))
        .args(["rules", "check", "unreachable-pattern"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "a warning is not an error");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("2 warnings (unreachable-pattern)"),
        "{stdout}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("warning_unreachable-pattern", stderr);
}

#[test]
fn embedded_rules_leave_no_pattern_unreachable() {
    let out = tradeoff().args(["rules", "check"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

#[test]
fn rejects_one_fixture_per_diagnostic_with_its_code_and_location() {
    let dir = root().join("tests/fixtures/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "fixtures found by glob: {cases:?}");
    for code in cases {
        let out = tradeoff()
            .current_dir(&dir)
            .args(["rules", "check", &code])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{code}: exit code");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!("error[{code}]")),
            "{code}: {stderr}"
        );
        // One file per fixture: a tree (`team.yaml`) or a constraints file.
        let file = std::fs::read_dir(dir.join(&code))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .find(|f| f.ends_with(".yaml"))
            .unwrap();
        assert!(
            stderr.contains(&format!("{code}/{file}:")),
            "{code}: no file:line in {stderr}"
        );
        assert!(stderr.contains("help:"), "{code}: no help in {stderr}");
        insta::assert_snapshot!(format!("invalid_{code}"), stderr);
    }
}

#[test]
fn a_team_folder_adds_a_tree_that_advise_walks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.yaml"),
        "id: team\ntitle: Public APIs\norder: 200\nstart: public_api\nquestions:\n  public_api:\n    ask: Is the API public?\n    default: \"yes\"\n    choices:\n      - { value: \"yes\", label: Public, outcome: limited }\n      - { value: \"no\", label: Internal, outcome: open }\noutcomes:\n  limited: { title: Rate limited, patterns: [rate-limiting, api-gateway] }\n  open: { title: Open, patterns: [] }\n",
    )
    .unwrap();
    let out = tradeoff()
        .args(["advise", "--rules"])
        .arg(dir.path())
        .args(["--tree", "team", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["rate-limiting", "api-gateway"]);
    tradeoff()
        .args(["rules", "check", "--rules"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("user"));
}

#[test]
fn draws_a_tree_as_mermaid_and_dot() {
    let out = tradeoff()
        .args(["rules", "graph", "consistency"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("flowchart TD"));
    assert!(text.contains("q_tolerates_lag"));
    let out = tradeoff()
        .args(["rules", "graph", "consistency", "--format", "dot"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("digraph")
    );
    tradeoff()
        .args(["rules", "graph", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("accepted: "));
}

#[test]
fn rejects_a_constraint_naming_an_unknown_pattern_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("constraints-team.yaml"),
        "exclusive:\n  - id: one-broker\n    name: One broker\n    patterns: [kafka, rabbitmg]\n    why: Run one broker.\n",
    )
    .unwrap();
    let out = tradeoff()
        .args(["rules", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[unknown-pattern]")
            && err.contains("constraints-team.yaml:4")
            && err.contains("did you mean `rabbitmq`"),
        "{err}"
    );
}

#[test]
fn a_team_constraint_drops_a_pattern_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("constraints-team.yaml"),
        "ruled_out:\n  - id: no-chaos-before-launch\n    patterns: [chaos-engineering]\n    when: { answer: { id: migration, is: none } }\n    why: nothing runs in production yet\n",
    )
    .unwrap();
    let out = tradeoff()
        .current_dir(root())
        .args(["advise", "--rules"])
        .arg(dir.path())
        .args([
            "--answers",
            "examples/uber.yaml",
            "--set",
            "migration=none",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dropped = v["dropped"].as_array().unwrap();
    let d = dropped
        .iter()
        .find(|d| d["id"] == "chaos-engineering")
        .unwrap_or_else(|| panic!("{dropped:?}"));
    assert_eq!(d["constraint"], "no-chaos-before-launch");
    assert!(
        d["reason"].as_str().unwrap().contains("migration = none"),
        "{d}"
    );
    assert!(
        !v["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "chaos-engineering")
    );
}

#[test]
fn rejects_a_premise_with_an_unknown_id_or_a_replacement_outside_its_tree() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.yaml"),
        "\
id: team
title: Team
start: pick
questions:
  pick:
    ask: Which?
    default: a
    choices:
      - { value: a, label: A, outcome: first }
      - { value: b, label: B, outcome: second }
outcomes:
  first:
    title: First
    patterns: []
    because: x
    note: Only with several services.
    note_when: { answer: { id: service_cont, at_least: \"2\" } }
    requires:
      when: { answer: { id: service_count, at_least: \"2\" } }
      why: needs several services
      otherwise: thrid
  second:
    title: Second
    patterns: []
    because: y
  third:
    title: Third, given only when the premise of first fails
    patterns: []
    because: z
",
    )
    .unwrap();
    let out = tradeoff()
        .args(["rules", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("error[unknown-guard-id]: the note condition of outcome `first` names unknown id `service_cont`")
            && err.contains("did you mean `service_count`"),
        "{err}"
    );
    assert!(
        err.contains(
            "error[unknown-outcome]: the premise of outcome `first` falls back to `thrid`"
        ) && err.contains("did you mean `third`")
            && err.contains("team.yaml:21"),
        "{err}"
    );
    // `third` is given by the resolution step once the premise names it: not unreachable.
    std::fs::write(
        dir.path().join("team.yaml"),
        std::fs::read_to_string(dir.path().join("team.yaml"))
            .unwrap()
            .replace("thrid", "third")
            .replace("service_cont,", "service_count,"),
    )
    .unwrap();
    tradeoff()
        .args(["rules", "check"])
        .arg(dir.path())
        .assert()
        .success();
}

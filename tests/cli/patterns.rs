//! `tradeoff patterns`.

use super::tradeoff;
use predicates::prelude::*;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = tradeoff()
        .arg("patterns")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(v: &Value) -> Vec<String> {
    v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn lists_the_whole_catalog_with_pack_and_checklist() {
    let v = json(&[]);
    let all = v["patterns"].as_array().unwrap();
    assert!(all.len() >= 70, "{}", all.len());
    let cb = all.iter().find(|p| p["id"] == "circuit-breaker").unwrap();
    assert_eq!(cb["category"], "resilience");
    assert_eq!(cb["pack"], "foundation");
    assert_eq!(cb["checklist"], "week-1");
    assert!(cb["summary"].as_str().unwrap().len() > 20);
    let tracing = all
        .iter()
        .find(|p| p["id"] == "distributed-tracing")
        .unwrap();
    assert_eq!(tracing["pack"], Value::Null);
    assert_eq!(tracing["checklist"], "month-1");
}

#[test]
fn filters_by_pack() {
    let v = json(&["--pack", "foundation"]);
    assert_eq!(v["pack"], "foundation");
    assert_eq!(
        ids(&v),
        [
            "circuit-breaker",
            "retry-backoff",
            "rate-limiting",
            "caching"
        ]
    );
    assert_eq!(
        ids(&json(&["--pack", "elite"])),
        [
            "cell-based",
            "edge-computing",
            "global-load-balancing",
            "custom-protocols"
        ]
    );
}

#[test]
fn filters_by_category_and_by_both() {
    let v = json(&["--category", "replication"]);
    let got = ids(&v);
    for id in ["leader-follower", "multi-leader", "leaderless-replication"] {
        assert!(got.iter().any(|g| g == id), "{id} missing from {got:?}");
    }
    assert!(
        v["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["category"] == "replication")
    );
    assert_eq!(
        ids(&json(&["--pack", "scale", "--category", "scaling"])),
        [
            "sharding",
            "load-balancing",
            "auto-scaling",
            "distributed-queue"
        ]
    );
    assert!(ids(&json(&["--pack", "scale", "--category", "caching"])).is_empty());
}

#[test]
fn prints_a_table_with_a_line_of_interpretation() {
    tradeoff()
        .args(["patterns", "--pack", "scale"])
        .assert()
        .success()
        .stdout(predicate::str::contains("checklist"))
        .stdout(predicate::str::contains("distributed-queue"))
        .stdout(predicate::str::contains(
            "4 patterns in the Scale pack (1M to 10M users)",
        ));
}

#[test]
fn says_so_when_no_pattern_matches() {
    tradeoff()
        .args(["patterns", "--pack", "elite", "--category", "caching"])
        .assert()
        .success()
        .stdout("No pattern matches --pack elite --category caching.\n");
}

#[test]
fn yaml_output_carries_the_same_rows() {
    let out = tradeoff()
        .args(["patterns", "--category", "caching", "--format", "yaml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("category: caching"), "{text}");
    assert!(text.contains("- id: cache-aside"), "{text}");
}

#[test]
fn rejects_an_unknown_pack_naming_it_and_listing_the_packs() {
    tradeoff()
        .args(["patterns", "--pack", "scal"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown pack `scal`"))
        .stderr(predicate::str::contains("did you mean `scale`?"))
        .stderr(predicate::str::contains(
            "accepted packs: foundation, scale, resilience, elite",
        ));
}

#[test]
fn rejects_an_unknown_category_naming_it_and_listing_the_categories() {
    tradeoff()
        .args(["patterns", "--category", "speed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown category `speed`"))
        .stderr(predicate::str::contains(
            "accepted categories: resilience, scaling, data, consistency, replication, caching, communication, rate-limiting, coordination, failure-detection, operations",
        ));
}

#[test]
fn gives_the_same_output_every_time() {
    let run = || {
        tradeoff()
            .args(["patterns", "--format", "json"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

//! One question per fact (issue 23): retired question ids still work, each with a note, and
//! a question that earlier answers settle is not asked, so the contradictions that only
//! overlapping questions produced cannot arise.

use super::{json, tradeoff};

const BASE: &str = "tests/fixtures/questionnaire/base.yaml";

/// `advise` over the base answers plus `sets`, as JSON, with its stderr.
fn advise(sets: &[&str]) -> (serde_json::Value, String) {
    let mut cmd = tradeoff();
    cmd.current_dir(super::root()).args([
        "advise",
        "--defaults",
        "--format",
        "json",
        "--answers",
        BASE,
    ]);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{sets:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn notes(v: &serde_json::Value) -> Vec<String> {
    v["notes"]
        .as_array()
        .map(|a| a.iter().map(|n| n.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn outcome(v: &serde_json::Value, tree: &str) -> String {
    v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == tree)
        .map(|d| d["outcome"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

fn answer(v: &serde_json::Value, tree: &str, question: &str) -> (String, String) {
    let d = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == tree)
        .unwrap_or_else(|| panic!("no decision {tree}"));
    let s = d["path"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["question"] == question)
        .unwrap_or_else(|| panic!("{question} not on the {tree} path: {d}"));
    (
        s["answer"].as_str().unwrap().to_string(),
        s["source"].as_str().unwrap().to_string(),
    )
}

fn contradictions(v: &serde_json::Value) -> Vec<String> {
    v["contradictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_retired_global_is_read_as_write_regions_with_a_note() {
    let (v, stderr) = advise(&["tolerates_lag=no", "global=yes", "write_conflicts=merge"]);
    assert_eq!(answer(&v, "consistency", "write_regions").0, "many");
    assert_eq!(answer(&v, "replication", "write_regions").0, "many");
    assert_eq!(outcome(&v, "consistency"), "crdt");
    let n = notes(&v);
    assert_eq!(n.len(), 1, "{n:?}");
    assert!(
        n[0].contains("--set global") && n[0].contains("`write_regions: many`"),
        "{n:?}"
    );
    assert!(stderr.contains(&format!("note: {}", n[0])), "{stderr}");
}

#[test]
fn the_retired_conflict_resolution_is_read_as_write_conflicts_with_a_note() {
    let (v, stderr) = advise(&[
        "tolerates_lag=no",
        "write_regions=many",
        "conflict_resolution=manual",
    ]);
    assert_eq!(
        answer(&v, "replication", "write_conflicts").0,
        "application"
    );
    assert_eq!(outcome(&v, "consistency"), "vector-clocks");
    assert_eq!(outcome(&v, "replication"), "multi-leader-merge");
    assert!(
        notes(&v)
            .iter()
            .any(|n| n.contains("conflict_resolution")
                && n.contains("`write_conflicts: application`")),
        "{:?}",
        notes(&v)
    );
    assert!(stderr.contains("note:"), "{stderr}");
}

#[test]
fn a_retired_id_in_a_design_file_still_refreshes_with_its_note() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.yaml");
    tradeoff()
        .current_dir(super::root())
        .args([
            "advise",
            "--defaults",
            "--answers",
            BASE,
            "--set",
            "tolerates_lag=no",
        ])
        .args([
            "--set",
            "write_regions=many",
            "--set",
            "write_conflicts=home-region",
        ])
        .arg("--out")
        .arg(&design)
        .assert()
        .success();
    // An older design recorded the consistency tree's own questions.
    let text = std::fs::read_to_string(&design).unwrap();
    let old = text.replacen(
        "answers:\n",
        "answers:\n  global:\n    question: global\n    answer: 'yes'\n    source: given\n",
        1,
    );
    std::fs::write(&design, old).unwrap();
    let v = json(&[
        "advise",
        "--answers",
        design.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        notes(&v)
            .iter()
            .any(|n| n.contains("`global`") && n.contains("write_regions")),
        "{:?}",
        notes(&v)
    );
    assert_eq!(outcome(&v, "replication"), "home-region");
}

#[test]
fn players_with_home_regions_get_no_false_regions_contradiction() {
    // Asked once: several regions take writes, each record in its own home region.
    let (v, _) = advise(&[
        "tolerates_lag=no",
        "write_regions=many",
        "write_conflicts=home-region",
    ]);
    assert_eq!(outcome(&v, "consistency"), "home-region");
    assert_eq!(outcome(&v, "replication"), "home-region");
    // What remains is real: one primary cannot be the home of several regions' writes.
    let c = contradictions(&v);
    assert_eq!(c, ["multi-region-writes-on-one-primary"], "{c:?}");
    // The old pair of answers ("not global", "many write regions") no longer contradicts:
    // the retired answer is noted and the asked one stands.
    let (v, _) = advise(&[
        "tolerates_lag=no",
        "global=no",
        "write_regions=many",
        "write_conflicts=home-region",
    ]);
    assert!(
        !contradictions(&v).iter().any(|c| c.contains("regions")),
        "{:?}",
        contradictions(&v)
    );
    assert!(
        notes(&v)
            .iter()
            .any(|n| n.contains("`write_regions: many` is given and stands"))
    );
}

#[test]
fn the_rules_no_longer_carry_contradictions_that_only_overlap_produced() {
    let catalog = tradeoff::catalog::Catalog::get().unwrap();
    let ids: Vec<String> = catalog
        .constraints()
        .entries()
        .into_iter()
        .map(|(_, id, _)| id.to_string())
        .collect();
    for gone in [
        "write-regions-disagree",
        "one-conflict-strategy",
        "no-stale-reads-from-an-available-store",
    ] {
        assert!(!ids.iter().any(|i| i == gone), "{gone} is back");
    }
}

#[test]
fn a_zero_rpo_settles_synchronous_replication_and_overrides_a_contrary_answer() {
    let (v, _) = advise(&["rpo=0s"]);
    assert_eq!(
        answer(&v, "replication", "sync_replication"),
        ("yes".into(), "derived".into())
    );
    assert_eq!(outcome(&v, "replication"), "leader-follower-sync");
    let (v, _) = advise(&["rpo=0s", "sync_replication=no"]);
    assert_eq!(answer(&v, "replication", "sync_replication").0, "yes");
    assert!(
        notes(&v)
            .iter()
            .any(|n| n.contains("sync_replication") && n.contains("rpo below 1ms")),
        "{:?}",
        notes(&v)
    );
    // A non-zero RPO leaves the leader's loss open: asked (here given).
    let (v, _) = advise(&["rpo=15m", "sync_replication=no"]);
    assert_eq!(
        answer(&v, "replication", "sync_replication"),
        ("no".into(), "given".into())
    );
    assert!(notes(&v).is_empty(), "{:?}", notes(&v));
}

#[test]
fn lag_tolerance_settles_the_cache_and_the_store_questions() {
    let (v, _) = advise(&["tolerates_lag=yes"]);
    assert_eq!(
        answer(&v, "caching", "read_after_write"),
        ("no".into(), "derived".into())
    );
    // Fresh reads everywhere: the cache is still asked (a catalogue may be cached stale
    // while stock is read fresh), the per-request question is settled.
    let (v, _) = advise(&[
        "tolerates_lag=no",
        "read_after_write=no",
        "failover_pause=no",
    ]);
    assert_eq!(
        answer(&v, "caching", "read_after_write"),
        ("no".into(), "given".into())
    );
    assert_eq!(
        answer(&v, "database", "partition_priority"),
        ("availability".into(), "derived".into())
    );
    assert_eq!(
        answer(&v, "database", "per_request_consistency"),
        ("yes".into(), "derived".into())
    );
    assert_eq!(outcome(&v, "database"), "tunable");
}

#[test]
fn a_failover_pause_decides_the_store_so_the_topologies_agree() {
    let (v, _) = advise(&[
        "tolerates_lag=yes",
        "failover_pause=yes",
        "partition_priority=availability",
    ]);
    assert_eq!(
        answer(&v, "database", "partition_priority"),
        ("consistency".into(), "derived".into())
    );
    assert!(notes(&v).iter().any(|n| n.contains("partition_priority")));
    assert!(!contradictions(&v).contains(&"one-replication-topology".to_string()));
    let (v, _) = advise(&["tolerates_lag=yes", "failover_pause=no"]);
    assert_eq!(outcome(&v, "replication"), "leaderless-quorum");
    assert_eq!(
        answer(&v, "database", "partition_priority").0,
        "availability"
    );
}

#[test]
fn a_gateway_for_outside_clients_is_where_limits_are_enforced() {
    let (v, _) = advise(&["edge_clients=yes", "limit_enforcement=service"]);
    assert_eq!(
        answer(&v, "rate-limit", "limit_enforcement"),
        ("gateway".into(), "derived".into())
    );
    assert!(
        notes(&v)
            .iter()
            .any(|n| n.contains("limit_enforcement") && n.contains("edge_clients = yes"))
    );
    let (v, _) = advise(&["edge_clients=no", "limit_enforcement=service"]);
    assert_eq!(
        answer(&v, "rate-limit", "limit_enforcement"),
        ("service".into(), "given".into())
    );
}

fn patterns(v: &serde_json::Value) -> Vec<String> {
    v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn has(v: &serde_json::Value, id: &str) -> bool {
    patterns(v).iter().any(|p| p == id)
}

#[test]
fn records_sharded_by_their_own_id_hash_on_it() {
    let (v, _) = advise(&["data_size=4TB", "shard_key=entity"]);
    assert_eq!(outcome(&v, "sharding"), "hash-entity");
    assert!(has(&v, "hash-sharding"));
    let (v, _) = advise(&["data_size=4TB", "shard_key=user"]);
    assert_eq!(outcome(&v, "sharding"), "hash");
    let (v, _) = advise(&["data_size=4TB", "shard_key=time"]);
    assert!(!has(&v, "hash-sharding"), "{:?}", patterns(&v));
}

#[test]
fn an_audit_of_changes_or_reads_is_an_audit_log_and_only_replay_is_event_sourcing() {
    for scope in ["changes", "reads"] {
        let (v, _) = advise(&["audit_trail=yes", &format!("audit_scope={scope}")]);
        assert!(has(&v, "audit-log"), "{scope}: {:?}", patterns(&v));
        assert!(!has(&v, "event-sourcing"), "{scope}: {:?}", patterns(&v));
    }
    let (v, _) = advise(&["audit_trail=yes", "audit_scope=replay"]);
    assert!(
        has(&v, "event-sourcing") && !has(&v, "audit-log"),
        "{:?}",
        patterns(&v)
    );
    let (v, _) = advise(&["audit_trail=no"]);
    assert!(
        !has(&v, "event-sourcing") && !has(&v, "audit-log"),
        "{:?}",
        patterns(&v)
    );
}

#[test]
fn batch_work_gets_checkpoints_and_no_request_machinery() {
    let scale = ["users=2M", "peak_rps=2k/s"];
    let (v, _) = advise(&[scale[0], scale[1], "processing=batch"]);
    assert!(has(&v, "checkpoint-restart"), "{:?}", patterns(&v));
    for gone in [
        "load-balancing",
        "caching",
        "rate-limiting",
        "cache-aside",
        "token-bucket",
    ] {
        assert!(!has(&v, gone), "{gone}: {:?}", patterns(&v));
    }
    let skipped = v["skipped"].to_string();
    assert!(
        skipped.contains("caching") && skipped.contains("rate-limit"),
        "{skipped}"
    );
    let (v, _) = advise(&[scale[0], scale[1], "processing=online"]);
    assert!(!has(&v, "checkpoint-restart"), "{:?}", patterns(&v));
    assert!(
        has(&v, "load-balancing") && has(&v, "rate-limiting"),
        "{:?}",
        patterns(&v)
    );
    let (v, _) = advise(&[scale[0], scale[1], "processing=both"]);
    assert!(
        has(&v, "checkpoint-restart") && has(&v, "load-balancing"),
        "{:?}",
        patterns(&v)
    );
}

#[test]
fn personal_data_is_encrypted_at_rest_and_regulated_data_audited_too() {
    let (v, _) = advise(&["sensitive_data=personal"]);
    assert!(
        has(&v, "encryption-at-rest") && !has(&v, "audit-log"),
        "{:?}",
        patterns(&v)
    );
    let (v, _) = advise(&["sensitive_data=regulated"]);
    assert!(
        has(&v, "encryption-at-rest") && has(&v, "audit-log"),
        "{:?}",
        patterns(&v)
    );
    let (v, _) = advise(&["sensitive_data=none"]);
    assert!(
        !has(&v, "encryption-at-rest") && !has(&v, "audit-log"),
        "{:?}",
        patterns(&v)
    );
}

#[test]
fn messages_that_must_not_be_lost_get_a_dead_letter_queue() {
    for ordered in ["yes", "no"] {
        let (v, _) = advise(&[
            "communication=async",
            "guaranteed_delivery=yes",
            &format!("ordered={ordered}"),
        ]);
        assert!(
            has(&v, "dead-letter-queue"),
            "{ordered}: {:?}",
            patterns(&v)
        );
    }
    let (v, _) = advise(&["communication=async", "guaranteed_delivery=no"]);
    assert!(!has(&v, "dead-letter-queue"), "{:?}", patterns(&v));
    let (v, _) = advise(&[]);
    assert!(!has(&v, "dead-letter-queue"), "{:?}", patterns(&v));
}

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
    // Several write regions settle the store question too (one primary cannot be the home
    // of several regions' writes), so no contradiction is left to raise.
    let c = contradictions(&v);
    assert!(c.is_empty(), "{c:?}");
    assert_eq!(
        answer(&v, "database", "fits_one_primary"),
        ("no".into(), "derived".into())
    );
    let (v, n) = advise(&[
        "tolerates_lag=no",
        "write_regions=many",
        "write_conflicts=home-region",
        "fits_one_primary=yes",
    ]);
    assert!(contradictions(&v).is_empty());
    assert!(
        n.contains("fits_one_primary") && n.contains("taken as `no`"),
        "{n}"
    );
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

fn decided(v: &serde_json::Value, tree: &str) -> bool {
    v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["tree"] == tree)
}

fn dropped_by(v: &serde_json::Value, constraint: &str) -> Vec<String> {
    v["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["constraint"] == constraint)
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

/// 200 ms over two services of 20 ms each: 5 mean service times per hop, under the 10 that
/// make a budget tight.
const TIGHT: [&str; 3] = ["latency_budget=200ms", "service_time=20ms", "call_depth=2"];

#[test]
fn a_tight_budget_passes_deadlines_along_and_hedges_replicated_reads() {
    let (v, _) = advise(&[TIGHT[0], TIGHT[1], TIGHT[2], "hedge_reads=yes"]);
    assert_eq!(outcome(&v, "deadlines"), "deadlines-and-hedging");
    assert!(has(&v, "deadline-propagation") && has(&v, "hedged-requests"));
    let (v, _) = advise(&[TIGHT[0], TIGHT[1], TIGHT[2], "hedge_reads=no"]);
    assert_eq!(outcome(&v, "deadlines"), "deadlines");
    assert!(has(&v, "deadline-propagation") && !has(&v, "hedged-requests"));
    // Left unanswered, hedging waits to be asked for: no duplicate load by default.
    let (v, _) = advise(&[TIGHT[0], TIGHT[1], TIGHT[2]]);
    assert_eq!(answer(&v, "deadlines", "hedge_reads").1, "default");
    assert!(!has(&v, "hedged-requests"));
}

#[test]
fn an_ample_budget_needs_neither_deadlines_nor_hedging() {
    // The same chain with 2 s: 50 service times per hop.
    let (v, _) = advise(&["latency_budget=2s", "service_time=20ms", "call_depth=2"]);
    assert!(!decided(&v, "deadlines"), "{}", v["decisions"]);
    assert!(!has(&v, "deadline-propagation") && !has(&v, "hedged-requests"));
    // Exactly 10 per hop is not tight: 400 ms over two hops of 20 ms.
    let (v, _) = advise(&["latency_budget=400ms", "service_time=20ms", "call_depth=2"]);
    assert!(!decided(&v, "deadlines"));
    // Deeper chains tighten the same budget: five hops of 20 ms in 400 ms is 4 per hop.
    let (v, _) = advise(&["latency_budget=400ms", "service_time=20ms", "call_depth=5"]);
    assert!(decided(&v, "deadlines") && has(&v, "deadline-propagation"));
}

#[test]
fn hedging_is_not_offered_without_a_second_replica_or_when_writes_dominate() {
    // 98 % at 20/s on replicas of 500/s in one region runs on one replica: there is nothing
    // to hedge to.
    let (v, n) = advise(&[
        TIGHT[0],
        TIGHT[1],
        TIGHT[2],
        "availability_target=98",
        "peak_rps=20/s",
        "replica_rps=500/s",
        "serving_regions=1",
        "hedge_reads=yes",
    ]);
    assert_eq!(
        answer(&v, "deadlines", "hedge_reads"),
        ("no".into(), "derived".into())
    );
    assert!(!has(&v, "hedged-requests"));
    assert!(
        n.contains("hedge_reads") && n.contains("replicas below 2"),
        "{n}"
    );
    let (v, _) = advise(&[
        TIGHT[0],
        TIGHT[1],
        TIGHT[2],
        "read_write_ratio=0.5",
        "hedge_reads=yes",
    ]);
    assert_eq!(
        answer(&v, "deadlines", "hedge_reads"),
        ("no".into(), "derived".into())
    );
}

#[test]
fn batch_work_has_no_request_budget_to_propagate() {
    let (v, _) = advise(&[TIGHT[0], TIGHT[1], TIGHT[2], "processing=batch"]);
    assert!(!decided(&v, "deadlines"));
}

#[test]
fn personal_data_between_several_services_travels_over_mutual_tls() {
    for data in ["personal", "regulated"] {
        let (v, _) = advise(&[&format!("sensitive_data={data}"), "service_count=4"]);
        assert!(has(&v, "mutual-tls"), "{data}: {:?}", patterns(&v));
        // One service has no calls between services to protect.
        let (v, _) = advise(&[&format!("sensitive_data={data}"), "service_count=1"]);
        assert!(!has(&v, "mutual-tls"), "{data}: {:?}", patterns(&v));
        assert_eq!(
            dropped_by(&v, "mutual-tls-without-service-calls"),
            ["mutual-tls"]
        );
        assert!(has(&v, "encryption-at-rest"));
    }
    let (v, _) = advise(&["sensitive_data=none", "service_count=4"]);
    assert!(!has(&v, "mutual-tls"));
}

#[test]
fn caching_can_be_none() {
    let (v, _) = advise(&["caching=none"]);
    assert_eq!(outcome(&v, "caching"), "no-cache");
    assert!(!has(&v, "caching") && !has(&v, "cache-aside"));
    assert_eq!(dropped_by(&v, "no-cache-asked-for"), ["caching"]);
    let (v, _) = advise(&["caching=cache"]);
    assert_eq!(outcome(&v, "caching"), "cache-aside");
    assert!(has(&v, "caching") && has(&v, "cache-aside"));
}

#[test]
fn a_synchronous_front_can_have_an_asynchronous_pipeline_behind_it() {
    let (v, _) = advise(&[
        "communication=both",
        "latency_sensitive=yes",
        "guaranteed_delivery=yes",
        "ordered=no",
    ]);
    assert_eq!(outcome(&v, "communication"), "grpc");
    assert_eq!(outcome(&v, "messaging"), "rabbitmq");
    assert!(has(&v, "grpc") && has(&v, "rabbitmq") && has(&v, "dead-letter-queue"));
    // Synchronous only: no broker; asynchronous only: no request protocol.
    let (v, _) = advise(&[]);
    assert!(!decided(&v, "messaging") && has(&v, "rest"));
    let (v, _) = advise(&[
        "communication=async",
        "guaranteed_delivery=yes",
        "ordered=yes",
    ]);
    assert_eq!(outcome(&v, "communication"), "asynchronous");
    assert_eq!(outcome(&v, "messaging"), "kafka");
    assert!(!has(&v, "rest") && !has(&v, "grpc"));
}

#[test]
fn a_leader_takes_a_lease_on_the_coordination_service_the_team_runs() {
    for service in ["etcd", "zookeeper", "consul", "database"] {
        let (v, _) = advise(&[
            "needs_leader=yes",
            "leader_state=coordination",
            &format!("coordination_service={service}"),
            "split_brain_harm=yes",
        ]);
        assert_eq!(outcome(&v, "leader-election"), "lease", "{service}");
        assert!(has(&v, "lease") && has(&v, "fencing-token"));
        assert_eq!(
            answer(&v, "leader-election", "coordination_service").0,
            service
        );
    }
    // A harmless double leader still takes a lease, without fencing; never the Bully
    // algorithm, which stays in the catalog as an explanation.
    let (v, _) = advise(&["needs_leader=yes", "split_brain_harm=no"]);
    assert_eq!(outcome(&v, "leader-election"), "lease-without-fencing");
    assert!(has(&v, "lease") && !has(&v, "fencing-token") && !has(&v, "bully-algorithm"));
    let (v, _) = advise(&["needs_leader=yes", "leader_state=replicated-state"]);
    assert_eq!(outcome(&v, "leader-election"), "raft");
    let out = tradeoff()
        .args(["explain", "bully-algorithm"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("never"), "{text}");
}

#[test]
fn gossip_is_for_peers_that_agree_among_themselves_not_a_watched_fleet() {
    let (v, _) = advise(&["membership=peers", "cluster_nodes=300"]);
    assert_eq!(outcome(&v, "failure-detection"), "gossip");
    // However large, a fleet an orchestrator watches needs probes, and its size is not asked.
    let (v, _) = advise(&["membership=orchestrator"]);
    assert_eq!(outcome(&v, "failure-detection"), "health-check");
    assert!(!has(&v, "gossip"));
    let steps = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == "failure-detection")
        .unwrap()["path"]
        .to_string();
    assert!(!steps.contains("cluster_nodes"), "{steps}");
    let (v, _) = advise(&["membership=peers", "cluster_nodes=12"]);
    assert_eq!(outcome(&v, "failure-detection"), "health-check");
    // An answers file from before membership was asked: the node count is not silently
    // dropped; the note names the question that decides whether it counts.
    let (v, n) = advise(&["cluster_nodes=300"]);
    assert_eq!(outcome(&v, "failure-detection"), "health-check");
    assert_eq!(v["unused_answers"], serde_json::json!(["cluster_nodes"]));
    assert!(
        n.contains("cluster_nodes: not used")
            && n.contains("`membership = orchestrator` by default")
            && n.contains("answer `membership`"),
        "{n}"
    );
    let (_, n) = advise(&["cluster_nodes=300", "membership=orchestrator"]);
    assert!(!n.contains("not used"), "{n}");
}

#[test]
fn questions_earlier_answers_settle_are_not_asked() {
    // (sets, tree, question, derived answer)
    let cases: [(&[&str], &str, &str, &str); 5] = [
        (&["service_count=1"], "practices", "shared_database", "no"),
        (
            &[
                "availability_target=98",
                "peak_rps=20/s",
                "replica_rps=500/s",
            ],
            "rate-limit",
            "shared_limit",
            "no",
        ),
        (&["rpo=0s"], "caching", "write_latency_critical", "no"),
        (
            &["tolerates_lag=no", "write_regions=one"],
            "data",
            "distributed_ids",
            "no",
        ),
        (
            &[
                "membership=peers",
                "cluster_nodes=5",
                "tolerates_lag=no",
                "write_regions=many",
                "write_conflicts=merge",
            ],
            "failure-detection",
            "latency_variance",
            "yes",
        ),
    ];
    for (sets, tree, question, value) in cases {
        let (v, _) = advise(sets);
        assert_eq!(
            answer(&v, tree, question),
            (value.to_string(), "derived".to_string()),
            "{sets:?}"
        );
    }
    // Left open by other answers, the same questions are asked (here: answered).
    let (v, _) = advise(&["service_count=3", "shared_database=yes"]);
    assert_eq!(answer(&v, "practices", "shared_database").1, "given");
    // A derivation that rests on a default is an assumption: the answer given wins, silently.
    let (v, n) = advise(&["shared_database=yes"]);
    assert_eq!(
        answer(&v, "practices", "shared_database"),
        ("yes".into(), "given".into())
    );
    assert!(!n.contains("shared_database"), "{n}");
    let (v, _) = advise(&[]);
    assert_eq!(
        answer(&v, "practices", "shared_database"),
        ("no".into(), "derived".into())
    );
}

#[test]
fn one_primary_is_settled_by_small_data_or_several_write_regions() {
    let (v, _) = advise(&["tolerates_lag=no", "write_regions=one"]);
    assert_eq!(
        answer(&v, "database", "fits_one_primary"),
        ("yes".into(), "derived".into())
    );
    let (v, _) = advise(&["data_size=600GB", "tolerates_lag=no", "write_regions=one"]);
    assert_eq!(answer(&v, "database", "fits_one_primary").1, "default");
}

//! The reach trees through `advise`: tracing follows the pack and the call depth, recovery
//! objectives default visibly, data stores follow the workload, and push channels follow the
//! realtime answer.

use super::{root, tradeoff};

fn advise(sets: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "advise",
        "--answers",
        "examples/startup.yaml",
        "--format",
        "json",
    ];
    for s in sets {
        args.extend(["--set", s]);
    }
    let out = tradeoff().current_dir(root()).args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{sets:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
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
fn tracing_is_recommended_from_the_scale_pack_up_or_once_a_request_crosses_services() {
    assert!(!has(&advise(&["call_depth=1"]), "distributed-tracing"));
    assert!(has(&advise(&["call_depth=2"]), "distributed-tracing"));
    assert!(has(
        &advise(&["call_depth=1", "users=2M"]),
        "distributed-tracing"
    ));
    let v = advise(&["call_depth=3"]);
    let tracing = v["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "distributed-tracing")
        .unwrap();
    assert_eq!(tracing["checklist"], "month-1", "{tracing}");
    // The observability baseline is recommended for every design.
    assert!(has(&advise(&["call_depth=1"]), "observability"));
}

#[test]
fn unanswered_recovery_objectives_are_marked_as_defaults() {
    let v = advise(&[]);
    let recovery = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == "recovery")
        .unwrap();
    let path = recovery["path"].as_array().unwrap();
    for q in ["rpo", "rto"] {
        let step = path.iter().find(|s| s["question"] == q).unwrap();
        assert_eq!(step["answer"], "24h", "{step}");
        assert_eq!(step["source"], "default", "{step}");
    }
    assert!(has(&v, "backup-restore"));
    let v = advise(&["rto=30s", "rpo=5s"]);
    for id in ["active-active", "multi-region"] {
        assert!(has(&v, id), "{id}: {:?}", patterns(&v));
    }
}

#[test]
fn a_duration_without_a_unit_is_refused_with_what_is_accepted() {
    let out = tradeoff()
        .current_dir(root())
        .args([
            "advise",
            "--answers",
            "examples/startup.yaml",
            "--set",
            "rto=4",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("rto"), "{stderr}");
    assert!(stderr.contains("4h"), "{stderr}");
}

#[test]
fn the_data_store_follows_the_workload() {
    let cases = [
        ("time-series", ["timescaledb", "cassandra"]),
        ("analytics", ["clickhouse", "bigquery"]),
        ("search", ["elasticsearch", "opensearch"]),
        ("blobs", ["amazon-s3", "google-cloud-storage"]),
    ];
    for (workload, want) in cases {
        let v = advise(&[&format!("store_workload={workload}")]);
        let got: Vec<&str> = v["databases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().or_else(|| d["id"].as_str()).unwrap())
            .collect();
        assert_eq!(got, want, "{workload}");
    }
}

#[test]
fn riak_is_no_longer_a_candidate() {
    let v = advise(&[
        "failover_pause=no",
        "per_request_consistency=no",
        "ap_data_model=key-value",
    ]);
    let text = v["databases"].to_string();
    assert!(!text.contains("riak"), "{text}");
    assert!(text.contains("redis-enterprise"), "{text}");
    tradeoff().args(["explain", "riak"]).assert().code(2);
}

#[test]
fn push_channels_follow_the_realtime_answer() {
    let v = advise(&["realtime=server-push", "shared_stream=yes"]);
    assert!(has(&v, "server-sent-events") && has(&v, "pub-sub"));
    assert!(!has(&v, "websockets"));
    let v = advise(&["realtime=bidirectional", "shared_stream=no"]);
    assert!(has(&v, "websockets") && !has(&v, "pub-sub"));
    let v = advise(&[]);
    assert!(!has(&v, "websockets") && !has(&v, "server-sent-events"));
}

#[test]
fn explain_describes_the_new_patterns_and_questions() {
    for id in ["server-sent-events", "pilot-light", "rto", "recovery"] {
        tradeoff().args(["explain", id]).assert().success();
    }
}

#[test]
fn recovery_keeps_the_cheapest_strategy_that_meets_both_objectives() {
    let strategies = [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "active-active",
    ];
    let cases = [
        ("24h", "24h", "backup-restore"),
        ("1m", "4h", "pilot-light"),
        ("0s", "4h", "pilot-light"),
        ("30s", "30m", "pilot-light"),
        ("30s", "5m", "warm-standby"),
        ("24h", "5m", "warm-standby"),
        ("5s", "30s", "active-active"),
        ("0s", "0s", "active-active"),
    ];
    for (rpo, rto, want) in cases {
        let v = advise(&[&format!("rpo={rpo}"), &format!("rto={rto}")]);
        let got: Vec<String> = patterns(&v)
            .into_iter()
            .filter(|p| strategies.contains(&p.as_str()))
            .collect();
        assert_eq!(got, [want], "rpo {rpo}, rto {rto}");
    }
}

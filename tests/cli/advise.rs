//! `tradeoff advise`: scripted answers, missing answers, bad values, the design file.

use super::{root, tradeoff};

fn json(args: &[&str]) -> serde_json::Value {
    let out = tradeoff().current_dir(root()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .map_or_else(|| p["id"].as_str().unwrap().to_string(), str::to_string)
        })
        .collect()
}

#[test]
fn the_startup_example_gets_the_foundation_pack_with_reasons() {
    let v = json(&[
        "advise",
        "--answers",
        "examples/startup.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(ids(&v, "packs"), ["foundation"]);
    let patterns = v["patterns"].as_array().unwrap();
    for id in [
        "circuit-breaker",
        "retry-backoff",
        "rate-limiting",
        "caching",
    ] {
        assert!(patterns.iter().any(|p| p["id"] == id), "{id} missing");
    }
    for p in patterns {
        assert!(p["because"].as_str().is_some_and(|b| !b.is_empty()), "{p}");
        assert!(p.get("pack").is_some());
    }
}

#[test]
fn every_example_answer_file_walks_to_the_end() {
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let v = json(&[
                "advise",
                "--answers",
                path.to_str().unwrap(),
                "--format",
                "json",
            ]);
            assert!(
                !v["patterns"].as_array().unwrap().is_empty(),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn packs_are_cumulative_and_switch_exactly_at_one_million_users() {
    let below = json(&[
        "advise",
        "--tree",
        "scale",
        "--set",
        "users=999999",
        "--format",
        "json",
    ]);
    assert_eq!(ids(&below, "packs"), ["foundation"]);
    let at = json(&[
        "advise",
        "--tree",
        "scale",
        "--set",
        "users=1000000",
        "--format",
        "json",
    ]);
    assert_eq!(ids(&at, "packs"), ["foundation", "scale"]);
    let big = json(&[
        "advise",
        "--tree",
        "scale",
        "--set",
        "users=20M",
        "--format",
        "json",
    ]);
    assert_eq!(ids(&big, "packs"), ["foundation", "scale", "resilience"]);
    let huge = json(&[
        "advise",
        "--tree",
        "scale",
        "--set",
        "users=100M",
        "--format",
        "json",
    ]);
    assert_eq!(
        ids(&huge, "packs"),
        ["foundation", "scale", "resilience", "elite"]
    );
}

#[test]
fn without_a_terminal_missing_answers_exit_2_and_name_every_id() {
    let out = tradeoff().arg("advise").write_stdin("\n").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    for id in [
        "users",
        "data_size",
        "tolerates_lag",
        "communication",
        "read_write_ratio",
    ] {
        assert!(
            err.contains(&format!("--set {id}=")),
            "{id} not named in:\n{err}"
        );
    }
    assert!(err.contains("no terminal"), "{err}");
}

#[test]
fn a_bad_value_names_the_id_the_value_and_what_is_accepted() {
    let out = tradeoff()
        .args(["advise", "--set", "users=lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--set users") && err.contains("`lots`") && err.contains("1.5M"),
        "{err}"
    );

    let out = tradeoff()
        .args(["advise", "--set", "communication=carrier-pigeon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("`sync`") && err.contains("`async`"), "{err}");
}

#[test]
fn an_unknown_answer_id_suggests_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.yaml");
    std::fs::write(&f, "users: 10k\nuserz: 5\n").unwrap();
    let out = tradeoff()
        .args(["advise", "--answers"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("a.yaml:2") && err.contains("did you mean `users`"),
        "{err}"
    );
}

#[test]
fn set_wins_over_the_answers_file() {
    let v = json(&[
        "advise",
        "--answers",
        "examples/startup.yaml",
        "--set",
        "users=2M",
        "--format",
        "json",
    ]);
    assert_eq!(ids(&v, "packs"), ["foundation", "scale"]);
}

#[test]
fn the_design_file_is_written_identically_twice_and_never_over_a_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("design.yaml");
    let run = || {
        tradeoff()
            .current_dir(root())
            .args(["advise", "--answers", "examples/startup.yaml", "--out"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read(&out).unwrap()
    };
    let first = run();
    assert_eq!(first, run());
    let text = String::from_utf8(first).unwrap();
    assert!(text.contains("schema: 1"));
    let foreign = dir.path().join("notes.yaml");
    std::fs::write(&foreign, "my: notes\n").unwrap();
    tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", "examples/startup.yaml", "--out"])
        .arg(&foreign)
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "my: notes\n");
}

#[test]
fn explain_knows_patterns_packs_trees_and_questions() {
    tradeoff()
        .args(["explain", "circuit-breaker"])
        .assert()
        .success()
        .stdout(predicates::str::contains("pattern `circuit-breaker`"));
    let out = tradeoff().args(["explain", "scale"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("pack `scale`") && text.contains("tree `scale`"),
        "{text}"
    );
    tradeoff()
        .args(["explain", "users"])
        .assert()
        .success()
        .stdout(predicates::str::contains("question `users`"));
    tradeoff()
        .args(["explain", "circuit-braker"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `circuit-breaker`"));
}

#[test]
fn the_design_file_carries_estimates_and_traceable_settings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("design.yaml");
    tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", "examples/uber.yaml", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    let design = tradeoff::design::Design::from_yaml(&text, "design.yaml").unwrap();
    for id in [
        "slo-budget",
        "slo-alerts",
        "queue",
        "retry",
        "ratelimit",
        "shards",
    ] {
        assert!(design.estimates.contains_key(id), "estimate {id} missing");
    }
    for section in [
        "slo",
        "service",
        "retry",
        "circuit_breaker",
        "rate_limit",
        "bulkhead",
        "queue",
    ] {
        let s = design
            .settings
            .get(section)
            .unwrap_or_else(|| panic!("section {section} missing"));
        for (k, v) in s {
            assert!(!v.source.is_empty(), "{section}.{k} has no source");
        }
    }
    // 99.99 % over 30 days: 259.2 s (SRE book appendix A), rel 1e-9.
    let budget = &design.settings["slo"]["error_budget_s"].value;
    let tradeoff::design::Value::Float(b) = budget else {
        panic!("{budget:?}")
    };
    assert!((b - 259.2).abs() / 259.2 < 1e-9, "{b}");
}

#[test]
fn each_company_shaped_example_is_closest_to_its_own_reference_stack() {
    for company in ["discord", "uber", "netflix", "linkedin"] {
        let file = format!("examples/{company}.yaml");
        let v = json(&["advise", "--answers", &file, "--format", "json"]);
        assert_eq!(v["stack"]["id"], company, "{file}: {}", v["stack"]);
    }
}

#[test]
fn contradictions_name_the_packs_and_answers_that_disagree() {
    // 4 TB must be sharded, but the database default keeps a single primary.
    let v = json(&[
        "advise",
        "--answers",
        "examples/startup.yaml",
        "--set",
        "data_size=4TB",
        "--set",
        "shard_key=user",
        "--format",
        "json",
    ]);
    let ids: Vec<&str> = v["contradictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"single-primary-for-sharded-data"), "{ids:?}");
    // The Scale pack lists sharding but 50 GB and 50 requests/s do not need it: the pack's
    // sharding is dropped, naming the answer that ruled it out.
    let v = json(&[
        "advise",
        "--answers",
        "examples/startup.yaml",
        "--set",
        "users=2M",
        "--format",
        "json",
    ]);
    let dropped = v["dropped"].as_array().unwrap();
    let d = dropped
        .iter()
        .find(|d| d["id"] == "sharding")
        .unwrap_or_else(|| panic!("{dropped:?}"));
    assert_eq!(d["constraint"], "sharding-before-it-is-needed");
    assert!(
        d["reason"].as_str().unwrap().contains("data_size = 50GB"),
        "{d}"
    );
    assert!(
        !v["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "sharding")
    );
}

#[test]
fn strict_refuses_defaults_and_lists_every_defaulted_id() {
    let out = tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", "examples/startup.yaml", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    for id in ["replica_rps", "write_regions", "failover_pause"] {
        assert!(
            err.contains(&format!("--set {id}=")),
            "{id} not named in:\n{err}"
        );
    }
    assert!(err.contains("--strict"), "{err}");
}

#[test]
fn the_table_marks_defaults_and_counts_the_decisions_resting_on_them() {
    let out = tradeoff()
        .current_dir(root())
        .args(["advise", "--answers", "examples/startup.yaml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("write_regions=one (default)"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("decisions rest on defaults:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.starts_with("21 of 25 decisions"), "{line}");
}

#[test]
fn every_example_fits_a_100_column_terminal_without_breaking_an_id() {
    let catalog = tradeoff::catalog::Catalog::get().unwrap();
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let out = tradeoff()
            .current_dir(root())
            .args(["advise", "--answers"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", path.display());
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "{}: {} columns: {line}",
                path.display(),
                line.chars().count()
            );
        }
        // Every chosen pattern id appears whole in the table.
        let v = json(&[
            "advise",
            "--answers",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        for p in v["patterns"].as_array().unwrap() {
            let id = p["id"].as_str().unwrap();
            assert!(catalog.pattern(id).is_some());
            assert!(
                text.lines()
                    .any(|l| l.split('┆').nth(1).is_some_and(|c| c.trim() == id)),
                "{}: id {id} broken in the table",
                path.display()
            );
        }
    }
}

fn design_of(args: &[&str]) -> tradeoff::design::Design {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("design.yaml");
    tradeoff()
        .current_dir(root())
        .args(["advise"])
        .args(args)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    tradeoff::design::Design::from_yaml(&text, "design.yaml").unwrap()
}

fn int(d: &tradeoff::design::Design, section: &str, key: &str) -> i64 {
    match &d.settings[section][key].value {
        tradeoff::design::Value::Int(i) => *i,
        other => panic!("{section}.{key}: {other:?}"),
    }
}

fn float(d: &tradeoff::design::Design, section: &str, key: &str) -> f64 {
    match &d.settings[section][key].value {
        tradeoff::design::Value::Float(f) => *f,
        tradeoff::design::Value::Int(i) => *i as f64,
        other => panic!("{section}.{key}: {other:?}"),
    }
}

#[test]
fn replicas_follow_the_peak_at_seventy_percent_and_the_limiter_never_outruns_the_pool() {
    // 2M/s at 2k/s per replica and 70 %: ceil(2e6 / 1400) = 1429 replicas.
    let d = design_of(&[
        "--answers",
        "examples/netflix.yaml",
        "--set",
        "replica_rps=2k/s",
        "--set",
        "serving_regions=1",
    ]);
    assert_eq!(int(&d, "service", "replicas"), 1429);
    assert!(
        d.settings["service"]["replicas"]
            .source
            .contains("answer replica_rps = 2k/s"),
        "{:?}",
        d.settings["service"]["replicas"]
    );
    let workers = int(&d, "queue", "workers") as f64;
    let service = float(&d, "queue", "service_time_s");
    let per_node = float(&d, "rate_limit", "per_node_rate_per_s");
    assert!(
        per_node <= workers / service,
        "{per_node} > {workers} / {service}s"
    );
    let util = d.estimates["queue"]
        .results
        .iter()
        .find(|f| f.name == "utilisation")
        .unwrap()
        .value;
    assert!(util <= 0.7, "{util}");
    // A small service still gets what 99.9 % needs: two replicas.
    let d = design_of(&["--answers", "examples/startup.yaml"]);
    assert_eq!(int(&d, "service", "replicas"), 2);
    assert!(
        d.settings["service"]["replicas"]
            .source
            .contains("assumption")
    );
}

#[test]
fn suggested_commands_carry_the_answers_and_the_per_try_timeout() {
    let d = design_of(&[
        "--answers",
        "examples/uber.yaml",
        "--set",
        "shard_key=random",
        "--set",
        "cluster_nodes=2000",
    ]);
    let hints = &d.recommendation.estimates;
    let ring = hints.iter().find(|h| h.id == "ring").expect("ring hint");
    assert!(ring.command.contains("--nodes 2000"), "{}", ring.command);
    // The retry command reproduces the policy fitted inside uber's 1s latency budget.
    let retry = &d.estimates["retry"].command;
    let per_try = float(&d, "retry", "per_try_timeout_s");
    assert!(
        retry.contains(&format!(
            "--per-try-timeout {}",
            tradeoff::units::format_duration_3(per_try)
        )),
        "{retry}"
    );
    assert!(per_try < 1.0, "{per_try}");
}

#[test]
fn the_rate_limit_is_labelled_by_the_chosen_algorithm() {
    let d = design_of(&[
        "--answers",
        "examples/uber.yaml",
        "--set",
        "burst_handling=smooth",
    ]);
    assert!(
        d.estimates["ratelimit"].title.contains("Leaky bucket"),
        "{}",
        d.estimates["ratelimit"].title
    );
    let d = design_of(&["--answers", "examples/startup.yaml"]);
    assert!(d.estimates["ratelimit"].title.contains("token bucket"));
}

#[test]
fn every_constraint_has_a_fixture_that_makes_it_fire() {
    let catalog = tradeoff::catalog::Catalog::get().unwrap();
    let dir = root().join("tests/fixtures/constraints");
    for (_, id, _) in catalog.constraints().entries() {
        let case = dir.join(id);
        assert!(
            case.join("answers.yaml").is_file(),
            "no fixture for constraint {id}"
        );
        let mut cmd = tradeoff();
        cmd.current_dir(root())
            .args(["advise", "--format", "json", "--answers"])
            .arg(case.join("answers.yaml"));
        // A team tree proposes what no shipped tree can pair (two saga styles, two cache
        // policies).
        if case.join("rules").is_dir() {
            cmd.arg("--rules").arg(case.join("rules"));
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let named = |key: &str, field: &str| {
            v[key]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x[field].as_str() == Some(id)))
        };
        let added = v["patterns"].as_array().unwrap().iter().any(|p| {
            p["trees"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t.as_str() == Some(&format!("constraint {id}")))
        });
        // A constraint may fire only on an alternative a finding would have offered.
        let withheld = ["contradictions", "limits", "antipatterns"]
            .iter()
            .any(|key| {
                v[*key].as_array().unwrap().iter().any(|f| {
                    f["withheld"].as_array().is_some_and(|w| {
                        w.iter()
                            .any(|x| x.as_str().is_some_and(|x| x.contains(&format!("[{id}]"))))
                    })
                })
            });
        assert!(
            named("dropped", "constraint")
                || named("dropped_databases", "constraint")
                || named("contradictions", "id")
                || named("limits", "id")
                || added
                || withheld,
            "constraint {id} did not fire on its fixture"
        );
    }
}

#[test]
fn the_full_answer_examples_answer_every_question_they_reach() {
    let unguarded: Vec<String> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|text| !text.lines().any(|l| l.starts_with("when:")))
        .map(|text| {
            let id = text.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
            id.trim().to_string()
        })
        .collect();
    assert!(unguarded.len() > 20, "{unguarded:?}");
    for name in [
        "payments-ledger",
        "iot-ingest",
        "marketplace",
        "chat",
        "collaborative-editor",
        "analytics-pipeline",
        "b2b-saas",
        "feed",
        "team-wiki",
        "tax-filing",
        "loyalty-points",
        "email-campaigns",
        "smart-home-hub",
        "build-farm",
        "video-catalogue",
        "ticket-sales",
    ] {
        let file = format!("examples/{name}.yaml");
        let v = json(&["advise", "--answers", &file, "--strict", "--format", "json"]);
        assert!(v["defaults"].as_array().unwrap().is_empty(), "{file}");
        assert!(
            v["unused_answers"].as_array().unwrap().is_empty(),
            "{file}: {}",
            v["unused_answers"]
        );
        // Every tree that always runs (no `when:` guard) reaches a decision.
        let decided: Vec<&str> = v["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["tree"].as_str().unwrap())
            .collect();
        for tree in &unguarded {
            assert!(
                decided.contains(&tree.as_str()),
                "{file}: no {tree} decision"
            );
        }
    }
}

#[test]
fn the_outputs_shown_in_the_advise_guide_are_real() {
    let page = std::fs::read_to_string(root().join("docs/advise.md")).unwrap();
    let mut shown = 0;
    for block in page.split("```console\n").skip(1) {
        let block = block.split("\n```").next().unwrap();
        let Some(cmd) = block
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("$ tradeoff advise --answers examples/"))
        else {
            continue;
        };
        let file = format!("examples/{cmd}");
        let expected: String = block.lines().skip(1).collect::<Vec<_>>().join("\n");
        let out = tradeoff()
            .current_dir(root())
            .args(["advise", "--answers", &file])
            .output()
            .unwrap();
        let now = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            now.trim_end(),
            expected,
            "docs/advise.md is stale for {file}"
        );
        shown += 1;
    }
    assert!(shown >= 2, "{shown} full outputs on the page");
}

fn packs_at(users: &str, peak: &str) -> serde_json::Value {
    json(&[
        "advise",
        "--answers",
        "examples/startup.yaml",
        "--set",
        &format!("users={users}"),
        "--set",
        &format!("peak_rps={peak}"),
        "--format",
        "json",
    ])
}

#[test]
fn the_pack_follows_the_higher_of_the_user_band_and_the_load_band() {
    // 20k accounts at 300k messages/s: an exchange is sized by its load, not its head count.
    let v = packs_at("20k", "300k/s");
    assert_eq!(
        ids(&v, "packs"),
        ["foundation", "scale", "resilience", "elite"]
    );
    let scale = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == "scale")
        .unwrap();
    assert_eq!(scale["outcome"], "elite");
    assert_eq!(scale["resolution"]["walked"], "foundation");
    let reason = scale["resolution"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("peak_rps = 300k/s") && reason.contains("100k/s+ at peak"),
        "{reason}"
    );
    // Band bounds: 1k/s starts the Scale load band, just below it stays Foundation.
    assert_eq!(ids(&packs_at("20k", "999/s"), "packs"), ["foundation"]);
    assert_eq!(
        ids(&packs_at("20k", "1k/s"), "packs"),
        ["foundation", "scale"]
    );
    // A user band above the load band keeps its own pack, and its decision is not resolved.
    let v = packs_at("20M", "100/s");
    assert_eq!(ids(&v, "packs"), ["foundation", "scale", "resilience"]);
    let scale = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == "scale")
        .unwrap();
    assert_eq!(scale["outcome"], "resilience");
    assert!(scale.get("resolution").is_none(), "{scale}");
}

/// The patterns each answer of the invented admin tool supports, and only those.
#[test]
fn a_small_internal_tool_gets_only_the_patterns_its_answers_support() {
    let v = json(&[
        "advise",
        "--answers",
        "tests/fixtures/systems/admin-tool.yaml",
        "--strict",
        "--format",
        "json",
    ]);
    assert_eq!(ids(&v, "packs"), ["foundation"]);
    let got = ids(&v, "patterns");
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "audit-log",              // audit_scope = changes
            "backup-restore",         // rpo = 1h, rto = 2h
            "circuit-breaker",        // the billing provider's API can fail
            "distributed-tracing",    // call_depth = 2
            "encryption-at-rest",     // sensitive_data = personal
            "health-check",           // failure-detection answers
            "idempotency",            // idempotent_writes = no, one external call
            "infrastructure-as-code", // recovery and release answers
            "leader-election",        // leader-follower with failover_pause = yes
            "leader-follower",        // write_regions = one
            "load-balancing",         // two replicas for 99.5 %
            "observability",          // telemetry = metrics-logs
            "rate-limiting",          // limit_enforcement = service
            "rest",                   // sync, not latency-sensitive
            "retry-backoff",          // the external call
            "rolling-deployment",     // rollback = redeploy
            "sliding-window-counter", // rate-limit answers
            "strong-consistency",     // tolerates_lag = no
            "timeout",                // failure-detection answers
            "transactional-outbox",   // the change reaches billing after the commit
        ],
        "{got:?}"
    );
    for absent in [
        "caching",
        "write-through",
        "event-sourcing",
        "materialized-view",
        "saga",
        "saga-choreography",
        "auto-scaling",
        "sharding",
    ] {
        assert!(!got.iter().any(|p| p == absent), "{absent} in {got:?}");
    }
}

fn note_of(v: &serde_json::Value, tree: &str) -> Option<String> {
    v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == tree)
        .and_then(|d| d["note"].as_str().map(str::to_string))
}

#[test]
fn notes_are_printed_only_where_the_answers_leave_them_true() {
    let admin = "tests/fixtures/systems/admin-tool.yaml";
    let small = json(&["advise", "--answers", admin, "--format", "json"]);
    assert!(
        note_of(&small, "database").is_some_and(|n| n.contains("100 GB")),
        "{small}"
    );
    // At 12 TB the data passed 100 GB long ago: no "plan the shard key once it passes".
    let big = json(&[
        "advise",
        "--answers",
        admin,
        "--set",
        "data_size=12TB",
        "--set",
        "shard_key=user",
        "--format",
        "json",
    ]);
    assert_eq!(note_of(&big, "database"), None);
    // Mutual TLS between services means nothing to a single service: the pattern is
    // dropped there, and stands once several services exchange the personal data.
    let mtls = |v: &serde_json::Value| ids(v, "patterns").contains(&"mutual-tls".to_string());
    assert!(!mtls(&small), "{small}");
    let several = json(&[
        "advise",
        "--answers",
        admin,
        "--set",
        "service_count=3",
        "--format",
        "json",
    ]);
    assert!(mtls(&several), "{several}");
}

#[test]
fn a_choreographed_saga_for_one_service_becomes_an_idempotent_outbox_call() {
    let admin = "tests/fixtures/systems/admin-tool.yaml";
    let v = json(&["advise", "--answers", admin, "--format", "json"]);
    let d = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == "transactions")
        .unwrap();
    assert_eq!(d["outcome"], "outbox-call");
    assert_eq!(
        d["patterns"],
        serde_json::json!(["transactional-outbox", "idempotency"])
    );
    assert_eq!(d["resolution"]["walked"], "saga-choreography");
    let reason = d["resolution"]["reason"].as_str().unwrap();
    assert!(reason.contains("service_count = 1"), "{reason}");
    let dropped = v["dropped"].as_array().unwrap();
    assert!(
        dropped.iter().any(|x| x["id"] == "saga-choreography"
            && x["constraint"] == "transactions.saga-choreography")
    );
    // Several services that react to each other's events keep the choreography.
    let v = json(&[
        "advise",
        "--answers",
        admin,
        "--set",
        "service_count=3",
        "--format",
        "json",
    ]);
    let d = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tree"] == "transactions")
        .unwrap();
    assert_eq!(d["outcome"], "saga-choreography");
    assert!(d.get("resolution").is_none(), "{d}");
}

#[test]
fn a_distributed_sql_store_stores_as_many_copies_as_its_consensus_group_has_members() {
    // 99.99 % asks for a consensus group of five; the store's ranges are replicated by that
    // group, so the shard estimate sizes five copies, not the usual three.
    let copies = |target: &str| {
        let v = json(&[
            "advise",
            "--answers",
            "examples/payments-ledger.yaml",
            "--set",
            &format!("availability_target={target}"),
            "--format",
            "json",
        ]);
        let members = v["estimate_results"]["quorum"]["inputs"]["members"]
            .as_str()
            .unwrap()
            .to_string();
        let rf = v["estimate_results"]["shards"]["inputs"]["replication factor"]
            .as_str()
            .unwrap()
            .to_string();
        (members, rf)
    };
    let (members, rf) = copies("99.99");
    assert_eq!(members, "5");
    assert_eq!(rf, "5 (the consensus group)");
    let (members, rf) = copies("99.9");
    assert_eq!(members, "3");
    assert_eq!(rf, "3 (assumed)");
}

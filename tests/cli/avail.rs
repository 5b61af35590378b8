//! `tradeoff avail series | parallel | k-of-n | mttr | compose | simulate`.

use super::{json, json_of, num, rel, tradeoff};
use predicates::str::contains;

#[test]
fn three_four_nines_dependencies_in_series_match_aws() {
    let v = json(&[
        "avail", "series", "99.99", "99.99", "99.99", "--format", "json",
    ]);
    assert!(rel(num(&v, "/availability"), 0.999700029999) < 1e-12);
    assert_eq!(v["availability_percent"], "99.970003%");
    assert_eq!(v["components"].as_array().unwrap().len(), 3);
}

#[test]
fn azure_web_app_and_sql_in_series_match_the_composite_sla() {
    let v = json(&["avail", "series", "99.95%", "99.99%", "--format", "json"]);
    assert!(rel(num(&v, "/availability"), 0.99940005) < 1e-12);
}

#[test]
fn two_redundant_three_nines_components_match_aws() {
    let v = json(&["avail", "parallel", "99.9", "0.999", "--format", "json"]);
    assert!(rel(num(&v, "/availability"), 0.999999) < 1e-12);
    assert!(rel(num(&v, "/unavailability"), 1e-6) < 1e-12);
    assert!(rel(num(&v, "/downtime_per_year_seconds"), 31.536) < 1e-12);
}

#[test]
fn series_table_ends_with_the_interpretation() {
    tradeoff()
        .args(["avail", "series", "99.99", "99.99", "99.99"])
        .assert()
        .success()
        .stdout(contains("│ series"))
        .stdout(contains(
            "3 components in series: 99.970003% available, down",
        ))
        .stdout(contains("(year = 365 d)."));
}

#[test]
fn two_of_three_matches_fiabilipy() {
    // A = μ / (λ + μ) with λ = 1e-4/h, μ = 3e-2/h.
    let a = format!("{}", 3e-2 / (1e-4 + 3e-2));
    let v = json(&["avail", "k-of-n", "2", &a, "--n", "3", "--format", "json"]);
    assert!(rel(num(&v, "/availability"), 0.999966961120940) < 1e-12);
    assert_eq!(v["kind"], "2-of-3");
    let mixed = json(&["avail", "k-of-n", "2", &a, &a, &a, "--format", "json"]);
    assert!(rel(num(&mixed, "/availability"), 0.999966961120940) < 1e-12);
}

#[test]
fn k_of_n_of_different_components_is_exact() {
    let v = json(&[
        "avail", "k-of-n", "2", "0.9", "0.8", "0.7", "--format", "json",
    ]);
    let expected = 0.9 * 0.8 * 0.7 + 0.1 * 0.8 * 0.7 + 0.9 * 0.2 * 0.7 + 0.9 * 0.8 * 0.3;
    assert!(rel(num(&v, "/availability"), expected) < 1e-12);
}

#[test]
fn k_of_n_refuses_impossible_k_and_mismatched_n() {
    tradeoff()
        .args(["avail", "k-of-n", "4", "99.9", "--n", "3"])
        .assert()
        .code(2)
        .stderr(contains("K = 4"))
        .stderr(contains("1 to 3"));
    tradeoff()
        .args(["avail", "k-of-n", "2", "99.9"])
        .assert()
        .code(2)
        .stderr(contains("--n N"));
    tradeoff()
        .args(["avail", "k-of-n", "2", "99.9", "99", "--n", "3"])
        .assert()
        .code(2)
        .stderr(contains("--n 3"));
}

#[test]
fn mttf_and_mttr_series_match_the_mtbf_example() {
    let a = json(&[
        "avail", "mttr", "--mttf", "50000h", "--mttr", "5h", "--format", "json",
    ]);
    let b = json(&[
        "avail", "mttr", "--mttf", "20000h", "--mttr", "2h", "--format", "json",
    ]);
    assert!(rel(num(&a, "/availability"), 50000.0 / 50005.0) < 1e-15);
    assert_eq!(num(&a, "/mttf_seconds"), 50000.0 * 3600.0);
    let s = json(&[
        "avail",
        "series",
        &num(&a, "/availability").to_string(),
        &num(&b, "/availability").to_string(),
        "--format",
        "json",
    ]);
    assert!(rel(num(&s, "/availability"), 0.99980003) < 1e-8);
    tradeoff()
        .args(["avail", "mttr", "--mttf", "50000h", "--mttr", "5h"])
        .assert()
        .success()
        .stdout(contains("repaired in 5h: 99.990001% available"));
}

#[test]
fn availability_values_out_of_range_exit_2_naming_what_is_accepted() {
    tradeoff()
        .args(["avail", "series", "99.9", "abc"])
        .assert()
        .code(2)
        .stderr(contains("abc"))
        .stderr(contains("accepted"));
    tradeoff()
        .args(["avail", "mttr", "--mttf", "0h", "--mttr", "5h"])
        .assert()
        .code(2)
        .stderr(contains("--mttf"));
    tradeoff()
        .args(["avail", "parallel", "99.9", "--year", "360d"])
        .assert()
        .code(2)
        .stderr(contains("--year"));
}

/// Asserts `actual` is within `tolerance` (relative) of `expected`.
#[track_caller]
fn near(actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance * expected.abs(),
        "{actual} is not within {tolerance} of {expected}"
    );
}

fn example(name: &str) -> String {
    format!("examples/topologies/{name}.yaml")
}

#[test]
fn compose_solves_the_three_tier_example_exactly() {
    let v = json(&[
        "avail",
        "compose",
        &example("three-tier"),
        "--format",
        "json",
    ]);
    let db: f64 = 1.0 / 2001.0;
    let app = {
        // P(at least 3 of 5 down) with u = 0.005.
        let u: f64 = 0.005;
        10.0 * u.powi(3) * (1.0 - u).powi(2) + 5.0 * u.powi(4) * (1.0 - u) + u.powi(5)
    };
    let ups = [1.0 - 1e-4, 1.0 - 1e-6, 1.0 - app, 1.0 - db * db];
    let expected = 1.0 - ups.iter().product::<f64>();
    assert!(rel(num(&v, "/exact/unavailability"), expected) < 1e-9);
    assert_eq!(v["method"], "exact");
    assert_eq!(v["components"], 10);
    assert_eq!(v["ranking"][0]["name"], "dns");
    assert!(num(&v, "/ranking/0/share") > 0.97);
}

#[test]
fn compose_table_names_the_component_that_dominates() {
    tradeoff()
        .args(["avail", "compose", &example("hundred"), "--top", "3"])
        .assert()
        .success()
        .stdout(contains("100 in 31 groups"))
        .stdout(contains("making `payment-provider` perfect would remove"));
}

#[test]
fn compose_conditions_on_shared_components() {
    let v = json(&[
        "avail",
        "compose",
        &example("shared"),
        "--top",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(v["shared"], serde_json::json!(["power", "auth"]));
    assert!(v["bdd_nodes"].as_u64().unwrap() > 0);
    assert_eq!(v["ranking"].as_array().unwrap().len(), 13);
    assert_eq!(v["ranking"][0]["shared"], true);
}

#[test]
fn compose_simulation_interval_covers_the_exact_answer() {
    // 99.9 % intervals from a fixed seed: a correct engine misses one of the three with
    // probability about 0.3 %.
    for name in ["three-tier", "shared", "hundred"] {
        let v = json(&[
            "avail",
            "compose",
            &example(name),
            "--simulate",
            "1M",
            "--seed",
            "3",
            "--confidence",
            "99.9%",
            "--format",
            "json",
        ]);
        assert_eq!(v["simulation"]["covers_exact"], true, "{name}: {v}");
        assert_eq!(v["simulation"]["trials"], 1_000_000);
        assert_eq!(v["simulation"]["interval"], "wilson");
        assert_eq!(v["method"], "exact and monte carlo");
    }
}

#[test]
fn compose_simulation_is_repeatable_for_a_seed() {
    let args = [
        "avail",
        "compose",
        "examples/topologies/three-tier.yaml",
        "--simulate",
        "50k",
        "--seed",
        "9",
        "--confidence",
        "99%",
        "--format",
        "json",
    ];
    let a = json(&args);
    assert_eq!(a, json(&args));
    assert_eq!(num(&a, "/simulation/confidence"), 0.99);
}

#[test]
fn compose_refuses_bad_simulation_flags() {
    for (flag, value) in [
        ("--simulate", "0"),
        ("--simulate", "1.5"),
        ("--confidence", "100"),
        ("--seed", "x"),
    ] {
        tradeoff()
            .args(["avail", "compose", &example("three-tier"), flag, value])
            .assert()
            .code(2)
            .stderr(contains(flag))
            .stderr(contains(value));
    }
}

#[test]
fn compose_of_a_missing_file_exits_2() {
    tradeoff()
        .args(["avail", "compose", "no/such/file.yaml"])
        .assert()
        .code(2)
        .stderr(contains("no/such/file.yaml"));
}

#[test]
fn compose_reports_each_invalid_fixture_with_its_location() {
    let dir = std::path::Path::new("tests/fixtures/topology/invalid");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "xml"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "fixtures found: {}", files.len());
    for path in files {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let shown = path.to_str().unwrap();
        let out = tradeoff()
            .args(["avail", "compose", shown])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{stem}");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(stderr.contains(&format!("{shown}:")), "{stem}: {stderr}");
        insta::assert_snapshot!(format!("invalid_topology_{stem}"), stderr);
    }
}

#[test]
fn compose_solves_many_shared_components_exactly_and_refuses_past_the_node_budget() {
    let mut text = String::from("components:\n");
    for i in 0..21 {
        text += &format!("  s{i}: {{ availability: 0.999 }}\n");
    }
    text += "system:\n  parallel:\n";
    for _ in 0..2 {
        text += "    - series:\n";
        for i in 0..21 {
            text += &format!("        - ref: s{i}\n");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.yaml");
    std::fs::write(&path, text).unwrap();
    let shown = path.to_str().unwrap();
    // Both branches share every component, so the system is the series of the 21.
    let expected = 1.0 - 0.999f64.powi(21);
    let v = json(&["avail", "compose", shown, "--format", "json"]);
    assert_eq!(v["method"], "exact");
    near(num(&v, "/exact/unavailability"), expected, 1e-12);
    // Past the node budget: refused with a pointer to Monte Carlo, or estimated with it.
    tradeoff()
        .args(["avail", "compose", shown, "--max-nodes", "10"])
        .assert()
        .code(2)
        .stderr(contains("more than 10 nodes"))
        .stderr(contains("--simulate"));
    let v = json(&[
        "avail",
        "compose",
        shown,
        "--max-nodes",
        "10",
        "--simulate",
        "20k",
        "--format",
        "json",
    ]);
    assert_eq!(v["method"], "monte carlo");
    assert!(v["exact_refused"].as_str().unwrap().contains("10 nodes"));
    assert!(v.get("exact").is_none());
    assert!(num(&v, "/simulation/low") <= expected && expected <= num(&v, "/simulation/high"));
    tradeoff()
        .args([
            "avail",
            "compose",
            shown,
            "--max-nodes",
            "10",
            "--simulate",
            "20k",
        ])
        .assert()
        .success()
        .stdout(contains("no exact answer"))
        .stdout(contains("downtime/year (monte carlo)"));
}

/// Top-event probabilities SCRAM 0.16.2 prints (`scram --bdd --probability true`) for the
/// small Aralia trees, to its six digits.
const ARALIA: [(&str, &str); 6] = [
    ("chinese", "0.00117058"),
    ("baobab1", "0.000101708"),
    ("das9204", "2.16942e-11"),
    ("das9209", "1.058e-13"),
    ("isp9605", "1.37171e-05"),
    ("edf9206", "8.615e-12"),
];

#[test]
fn compose_reads_aralia_fault_trees_and_agrees_with_scram_to_six_digits() {
    for (tree, scram) in ARALIA {
        let v = json(&[
            "avail",
            "compose",
            &format!("tests/fixtures/aralia/{tree}.xml"),
            "--format",
            "json",
        ]);
        let u = num(&v, "/exact/unavailability");
        let ours: f64 = format!("{u:.5e}").parse().unwrap();
        assert_eq!(ours, scram.parse::<f64>().unwrap(), "{tree}: {u}");
        assert_eq!(v["coherent"], true, "{tree}");
    }
}

#[test]
fn compose_bounds_a_tree_whose_exact_diagram_passes_the_budget() {
    // baobab1 needs more than 1000 nodes exactly; its diagrams cut at 1e-6 fit.
    let tree = "tests/fixtures/aralia/baobab1.xml";
    let args = [
        "avail",
        "compose",
        tree,
        "--max-nodes",
        "1000",
        "--cutoff",
        "1e-6",
    ];
    let v = json(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(v["method"], "bounds");
    assert_eq!(v["bounds"]["method"], "truncated BDD");
    assert!(v["exact_refused"].as_str().unwrap().contains("1000 nodes"));
    assert!(v.get("exact").is_none());
    let (low, high) = (
        num(&v, "/bounds/unavailability_lower"),
        num(&v, "/bounds/unavailability_upper"),
    );
    // SCRAM: 0.000101708.
    assert!(
        low <= 1.01708e-4 && 1.01707e-4 <= high && low < high,
        "[{low}, {high}]"
    );
    near(num(&v, "/bounds/availability_upper"), 1.0 - low, 1e-15);
    tradeoff()
        .args(args)
        .assert()
        .success()
        .stdout(contains("unavailability (bounds)"))
        .stdout(contains("truncated BDD at cutoff 1e-6"));
    for bad in ["0", "1", "-1e-3", "lots"] {
        tradeoff()
            .args(["avail", "compose", tree, "--cutoff", bad])
            .assert()
            .code(2)
            .stderr(contains("cutoff"))
            .stderr(contains("above 0 and below 1"));
    }
}

#[test]
fn compose_says_when_a_fault_tree_is_non_coherent() {
    let file = "tests/fixtures/topology/noncoherent.xml";
    let v = json(&["avail", "compose", file, "--format", "json"]);
    assert_eq!(v["coherent"], false);
    // top = power ∨ (motor ⊕ bypass)
    let xor = 0.01 * 0.998 + 0.99 * 0.002;
    near(
        num(&v, "/exact/unavailability"),
        1.0 - 0.9999 * (1.0 - xor),
        1e-12,
    );
    tradeoff()
        .args(["avail", "compose", file])
        .assert()
        .success()
        .stdout(contains("non-coherent"));
    tradeoff()
        .args(["avail", "compose", file, "--simulate", "1M"])
        .assert()
        .code(2)
        .stderr(contains("non-coherent"));
}

#[test]
fn compose_simulates_a_coherent_fault_tree() {
    let v = json(&[
        "avail",
        "compose",
        "tests/fixtures/aralia/chinese.xml",
        "--simulate",
        "10M",
        "--format",
        "json",
    ]);
    assert_eq!(v["simulation"]["covers_exact"], true);
}

#[test]
fn exported_mef_of_every_shipped_topology_reads_back_with_the_same_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut examples: Vec<_> = std::fs::read_dir("examples/topologies")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 4);
    for yaml in examples {
        let shown = yaml.to_str().unwrap();
        let out = tradeoff()
            .args(["avail", "compose", shown, "--export", "mef"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shown}");
        let xml = String::from_utf8(out.stdout).unwrap();
        assert!(
            xml.starts_with("<?xml") && xml.contains("<define-fault-tree"),
            "{xml}"
        );
        let path = dir.path().join("export.xml");
        std::fs::write(&path, &xml).unwrap();
        let a = json(&["avail", "compose", shown, "--format", "json"]);
        let b = json(&[
            "avail",
            "compose",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        near(
            num(&b, "/exact/unavailability"),
            num(&a, "/exact/unavailability"),
            1e-12,
        );
    }
}

#[test]
fn a_shared_subsystem_is_one_subsystem_however_many_refs_use_it() {
    let v = json(&[
        "avail",
        "compose",
        &example("microservices"),
        "--format",
        "json",
    ]);
    assert!(
        v["shared_subsystems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "auth")
    );
    let v = json(&[
        "avail",
        "compose",
        &example("microservices"),
        "--simulate",
        "50M",
        "--format",
        "json",
    ]);
    assert_eq!(v["simulation"]["covers_exact"], true);
}

#[test]
fn compose_rel_error_runs_until_the_interval_is_tight_enough() {
    let v = json(&[
        "avail",
        "compose",
        &example("shared"),
        "--rel-error",
        "10%",
        "--format",
        "json",
    ]);
    let s = &v["simulation"];
    assert_eq!(s["stopped_by"], "precision");
    assert_eq!(num(&v, "/simulation/target_relative_half_width"), 0.1);
    assert!(num(&v, "/simulation/relative_half_width") <= 0.1);
    assert_eq!(s["covers_exact"], true, "{v}");
    assert_eq!(v["method"], "exact and monte carlo");
}

#[test]
fn compose_rel_error_says_when_the_trial_cap_stopped_it() {
    let args = [
        "avail",
        "compose",
        "examples/topologies/three-tier.yaml",
        "--rel-error",
        "0.01",
        "--max-trials",
        "200k",
    ];
    let v = json_of(&args);
    assert_eq!(v["simulation"]["stopped_by"], "max-trials");
    assert_eq!(v["simulation"]["trials"], 200_000);
    tradeoff()
        .args(args)
        .assert()
        .success()
        .stdout(contains("relative half-width"))
        .stdout(contains("(target ±1%)"))
        .stdout(contains(
            "note: the trial cap (200k trials, --max-trials) stopped",
        ));
}

#[test]
fn compose_offers_the_clopper_pearson_interval() {
    let args = [
        "avail",
        "compose",
        "examples/topologies/shared.yaml",
        "--simulate",
        "300k",
        "--interval",
        "clopper-pearson",
    ];
    let v = json_of(&args);
    assert_eq!(v["simulation"]["interval"], "clopper-pearson");
    tradeoff()
        .args(args)
        .assert()
        .success()
        .stdout(contains("95% interval (clopper-pearson)"));
}

#[test]
fn compose_simulation_is_identical_on_one_and_two_threads() {
    let args = [
        "avail",
        "compose",
        "examples/topologies/hundred.yaml",
        "--simulate",
        "300k",
        "--seed",
        "5",
        "--format",
        "json",
    ];
    let run = |threads: &str| {
        let out = tradeoff()
            .env("RAYON_NUM_THREADS", threads)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn compose_timing_reports_the_throughput() {
    let v = json_of(&[
        "avail",
        "compose",
        "examples/topologies/three-tier.yaml",
        "--simulate",
        "100k",
        "--timing",
    ]);
    assert!(num(&v, "/simulation/timing/elapsed_seconds") > 0.0);
    assert!(num(&v, "/simulation/timing/component_trials_per_second") > 0.0);
    assert_eq!(v["simulation"]["component_trials"], 1_000_000);
    let plain = json_of(&[
        "avail",
        "compose",
        "examples/topologies/three-tier.yaml",
        "--simulate",
        "100k",
    ]);
    assert!(plain["simulation"].get("timing").is_none());
}

#[test]
fn compose_refuses_bad_precision_flags() {
    for (flag, value) in [
        ("--rel-error", "0"),
        ("--rel-error", "1.5"),
        ("--rel-error", "x"),
        ("--max-trials", "0"),
        ("--interval", "bayes"),
    ] {
        tradeoff()
            .args(["avail", "compose", &example("three-tier"), flag, value])
            .assert()
            .code(2)
            .stderr(contains(flag))
            .stderr(contains(value));
    }
    tradeoff()
        .args([
            "avail",
            "compose",
            &example("three-tier"),
            "--simulate",
            "1M",
            "--rel-error",
            "5%",
        ])
        .assert()
        .code(2)
        .stderr(contains("--rel-error"));
    tradeoff()
        .args([
            "avail",
            "compose",
            &example("three-tier"),
            "--max-trials",
            "1M",
        ])
        .assert()
        .code(2)
        .stderr(contains("--rel-error"));
}

#[test]
fn simulate_through_time_matches_the_static_availability() {
    let v = json_of(&[
        "avail",
        "simulate",
        "examples/topologies/three-tier.yaml",
        "--runs",
        "2000",
        "--confidence",
        "99.9%",
    ]);
    assert_eq!(v["runs"], 2000);
    assert_eq!(num(&v, "/horizon"), 365.0 * 86_400.0);
    assert_eq!(v["interval_covers_exact"], true, "{v}");
    assert_eq!(v["failure"]["distribution"], "exponential");
    assert_eq!(v["assumed_mttr"].as_array().unwrap().len(), 8);
    let p50 = num(&v, "/downtime_per_year/p50");
    let p95 = num(&v, "/downtime_per_year/p95");
    assert!(p50 <= p95 && p95 <= num(&v, "/downtime_per_year/p99"));
    // DNS (99.99 %, MTTR 1 h) dominates: about 0.88 outages a year of about an hour.
    assert!(
        (num(&v, "/outages_per_year/mean") - 0.9).abs() < 0.15,
        "{v}"
    );
    assert!((num(&v, "/mean_outage") / 3600.0 - 1.0).abs() < 0.15, "{v}");
}

#[test]
fn simulate_through_time_is_repeatable_on_any_number_of_threads() {
    let args = [
        "avail",
        "simulate",
        "examples/topologies/shared.yaml",
        "--runs",
        "300",
        "--seed",
        "4",
        "--failure",
        "weibull",
        "--shape",
        "1.5",
        "--format",
        "json",
    ];
    let run = |threads: &str| {
        let out = tradeoff()
            .env("RAYON_NUM_THREADS", threads)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(v["failure"]["distribution"], "weibull");
    assert_eq!(v["failure"]["shape"], 1.5);
}

#[test]
fn simulate_through_time_says_which_repair_times_it_assumed() {
    tradeoff()
        .args([
            "avail",
            "simulate",
            "examples/topologies/three-tier.yaml",
            "--runs",
            "200",
            "--default-mttr",
            "30m",
        ])
        .assert()
        .success()
        .stdout(contains("downtime/year p50 / p95 / p99"))
        .stdout(contains("outages/year mean / p95"))
        .stdout(contains("static availability (exact)"))
        .stdout(contains(
            "note: 8 components given only as an availability got MTTR 30m (--default-mttr)",
        ));
}

#[test]
fn simulate_through_time_refuses_bad_flags() {
    for (args, needle) in [
        (vec!["--runs", "0"], "--runs"),
        (vec!["--horizon", "0s"], "--horizon"),
        (vec!["--failure", "weibull"], "--shape"),
        (vec!["--failure", "weibull", "--shape", "0"], "--shape"),
        (vec!["--shape", "2"], "--shape"),
        (vec!["--default-mttr", "x"], "--default-mttr"),
    ] {
        let mut all = vec!["avail", "simulate", "examples/topologies/three-tier.yaml"];
        all.extend(args.iter());
        tradeoff()
            .args(&all)
            .assert()
            .code(2)
            .stderr(contains(needle));
    }
}

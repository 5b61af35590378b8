//! `tradeoff slo budget | alerts | burn`.

use super::{json, num, rel, tradeoff};
use predicates::str::contains;

#[test]
fn budget_gives_the_sre_book_downtime_for_every_window() {
    let v = json(&["slo", "budget", "99.95", "--format", "json"]);
    let expected = [
        ("day", 43.2),
        ("week", 302.4),
        ("month", 1296.0),
        ("quarter", 3888.0),
        ("year", 15768.0),
    ];
    for (i, (name, seconds)) in expected.iter().enumerate() {
        assert_eq!(v["windows"][i]["name"], *name);
        let got = num(&v, &format!("/windows/{i}/downtime_seconds"));
        assert!(rel(got, *seconds) < 1e-12, "{name}: {got}");
    }
    assert_eq!(v["windows"][2]["downtime"], "21m 36s");
    assert_eq!(num(&v, "/convention/year_days"), 365.0);
}

#[test]
fn budget_table_ends_with_the_interpretation_and_the_convention() {
    tradeoff()
        .args(["slo", "budget", "99.95"])
        .assert()
        .success()
        .stdout(contains("│ month"))
        .stdout(contains(
            "99.95% over 30d allows 21m 36s of downtime (year = 365 d, month = 30 d, quarter = 90 d).",
        ));
}

#[test]
fn budget_over_a_year_of_four_nines_is_52_56_minutes_and_250_errors_in_2_5m_requests() {
    let v = json(&[
        "slo",
        "budget",
        "99.99%",
        "--window",
        "365d",
        "--requests",
        "2.5M",
        "--format",
        "json",
    ]);
    assert!(rel(num(&v, "/windows/0/downtime_seconds") / 60.0, 52.56) < 1e-12);
    assert!(rel(num(&v, "/requests/allowed_failures"), 250.0) < 1e-12);
}

#[test]
fn budget_uses_the_year_convention_asked_for() {
    let out = tradeoff()
        .args([
            "slo", "budget", "99.9", "--year", "365.25d", "--format", "yaml",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_yaml::from_slice(&out.stdout).expect("valid YAML");
    assert!(rel(num(&v, "/windows/4/downtime_seconds"), 31557.6) < 1e-12);
    assert_eq!(v["convention"]["year"], "365.25d");
}

#[test]
fn budget_per_window_failed_requests_come_from_a_request_rate() {
    let v = json(&[
        "slo",
        "budget",
        "99.9",
        "--window",
        "1d",
        "--request-rate",
        "100/s",
        "--format",
        "json",
    ]);
    assert!(rel(num(&v, "/windows/0/allowed_failed_requests"), 8640.0) < 1e-12);
}

#[test]
fn budget_refuses_a_year_that_is_no_convention() {
    tradeoff()
        .args(["slo", "budget", "99.9", "--year", "366d"])
        .assert()
        .code(2)
        .stderr(contains("--year"))
        .stderr(contains("366d"))
        .stderr(contains("365d, 365.25d, 365.2425d"));
}

#[test]
fn budget_refuses_an_slo_above_100_percent_and_a_bad_window() {
    tradeoff()
        .args(["slo", "budget", "101"])
        .assert()
        .code(2)
        .stderr(contains("101"))
        .stderr(contains("accepted"));
    tradeoff()
        .args(["slo", "budget", "99.9", "--window", "30"])
        .assert()
        .code(2)
        .stderr(contains("--window"))
        .stderr(contains("no unit"));
}

#[test]
fn alerts_give_the_workbook_burn_factors_and_thresholds() {
    let v = json(&["slo", "alerts", "99.9", "--format", "json"]);
    let factors = [14.4, 6.0, 3.0, 1.0];
    let thresholds = [0.0144, 0.006, 0.003, 0.001];
    for i in 0..4 {
        assert!(rel(num(&v, &format!("/alerts/{i}/burn_factor")), factors[i]) < 1e-12);
        let t = num(&v, &format!("/alerts/{i}/error_rate_threshold"));
        assert!(rel(t, thresholds[i]) < 1e-12, "{t}");
    }
    assert!(rel(num(&v, "/alerts/0/time_to_exhaust_seconds"), 50.0 * 3600.0) < 1e-12);
    assert_eq!(v["alerts"][0]["short_window"], "5m");
    assert_eq!(v["alerts"][2]["long_window"], "1d");
    assert_eq!(v["alerts"][3]["severity"], "ticket");
}

#[test]
fn alerts_table_says_when_to_page() {
    tradeoff()
        .args(["slo", "alerts", "99.9"])
        .assert()
        .success()
        .stdout(contains(
            "page: alert when the error rate exceeds 1.44% over both 1h and 5m (burn rate 14.4 against 99.9% over 30d)",
        ));
}

#[test]
fn alerts_read_tiers_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiers.yaml");
    std::fs::write(
        &path,
        "tiers:\n  - { name: fast, severity: page, budget: 2%, long: 1h, short: 5m }\n  - { severity: ticket, budget: 0.5, long: 28d, short: 2d }\n",
    )
    .unwrap();
    let v = json(&[
        "slo",
        "alerts",
        "99.9",
        "--period",
        "28d",
        "--tiers",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v["alerts"].as_array().unwrap().len(), 2);
    assert_eq!(v["alerts"][0]["name"], "fast");
    assert!(rel(num(&v, "/alerts/0/burn_factor"), 0.02 * 672.0) < 1e-12);
    assert!(rel(num(&v, "/alerts/1/burn_factor"), 0.5) < 1e-12);
}

#[test]
fn alerts_report_every_problem_of_a_tier_file_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiers.yaml");
    std::fs::write(
        &path,
        "tiers:\n  - { severity: page, budget: 2, long: 1h, short: 5m }\n  - { severity: page, budget: 5%, long: 1h, short: 1h }\n",
    )
    .unwrap();
    let shown = path.display().to_string();
    tradeoff()
        .args(["slo", "alerts", "99.9", "--tiers", &shown])
        .assert()
        .code(2)
        .stderr(contains(format!("{shown}:2:23: error[bad-budget]")))
        .stderr(contains(format!("{shown}:3:45: error[short-not-shorter]")));
    std::fs::write(
        &path,
        "tiers:\n  - { severity: sometimes, budget: 2%, long: 1h, short: 5m }\n",
    )
    .unwrap();
    tradeoff()
        .args(["slo", "alerts", "99.9", "--tiers", &shown])
        .assert()
        .code(2)
        .stderr(contains(format!("{shown}:2:")))
        .stderr(contains("page"));
}

#[test]
fn burn_of_ten_percent_errors_against_three_nines_is_100() {
    let v = json(&[
        "slo",
        "burn",
        "99.9",
        "--error-rate",
        "0.1",
        "--over",
        "1h",
        "--format",
        "json",
    ]);
    assert!(rel(num(&v, "/burn_rate"), 100.0) < 1e-12);
    assert!(rel(num(&v, "/budget_consumed"), 100.0 / 720.0) < 1e-12);
    assert_eq!(v["budget_consumed_percent"], "13.9%");
    assert!(rel(num(&v, "/time_to_exhaust_seconds"), 7.2 * 3600.0) < 1e-12);
    tradeoff()
        .args(["slo", "burn", "99.9", "--error-rate", "10%", "--over", "1h"])
        .assert()
        .success()
        .stdout(contains("│ burn rate"))
        .stdout(contains("1h uses 13.9% of the 30d budget"));
}

#[test]
fn burn_from_good_and_total_gives_the_remaining_budget() {
    let v = json(&[
        "slo", "burn", "99.9", "--good", "999.5k", "--total", "1M", "--format", "json",
    ]);
    assert!(rel(num(&v, "/observed/remaining"), 0.5) < 1e-9);
    assert!(rel(num(&v, "/burn_rate"), 0.5) < 1e-9);
}

#[test]
fn burn_refuses_bad_values_naming_the_flag() {
    tradeoff()
        .args(["slo", "burn", "100", "--error-rate", "0.1", "--over", "1h"])
        .assert()
        .code(2)
        .stderr(contains("no error budget"));
    tradeoff()
        .args(["slo", "burn", "99.9", "--error-rate", "10", "--over", "1h"])
        .assert()
        .code(2)
        .stderr(contains("--error-rate"))
        .stderr(contains("`10`"))
        .stderr(contains("10%"));
    tradeoff()
        .args([
            "slo",
            "burn",
            "99.9",
            "--error-rate",
            "0.1",
            "--over",
            "soon",
        ])
        .assert()
        .code(2)
        .stderr(contains("--over"));
    tradeoff()
        .args(["slo", "burn", "99.9", "--good", "10", "--total", "5"])
        .assert()
        .code(2)
        .stderr(contains("--good"));
    tradeoff().args(["slo", "burn", "99.9"]).assert().code(2);
}

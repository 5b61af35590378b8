use super::{close, input_error, json_of, tradeoff};

#[test]
fn three_attempts_over_three_layers_amplify_twenty_seven_times() {
    let v = json_of(&["retry", "--attempts", "3", "--layers", "3"]);
    close(&v["amplification"], 27.0, 0.0);
    close(&v["layers"][2]["calls"], 27.0, 0.0);
}

#[test]
fn the_schedule_caps_and_the_budget_is_checked() {
    let v = json_of(&[
        "retry",
        "--attempts",
        "3",
        "--layers",
        "3",
        "--base",
        "100ms",
        "--cap",
        "10s",
        "--jitter",
        "equal",
        "--per-try-timeout",
        "500ms",
        "--timeout",
        "2s",
    ]);
    close(&v["schedule"][1]["min_seconds"], 0.1, 1e-12);
    close(&v["schedule"][1]["max_seconds"], 0.2, 1e-12);
    close(&v["worst_case_latency_seconds"], 1.8, 1e-12);
    assert_eq!(v["fits_budget"], true);
}

#[test]
fn a_seed_gives_the_same_sampled_schedule() {
    let args = [
        "retry",
        "--attempts",
        "5",
        "--jitter",
        "decorrelated",
        "--seed",
        "42",
    ];
    let a = json_of(&args);
    assert_eq!(a, json_of(&args));
    assert!(a["schedule"][0]["sample_seconds"].is_number());
}

#[test]
fn the_table_says_whether_the_budget_holds() {
    tradeoff()
        .args([
            "retry",
            "--attempts",
            "3",
            "--layers",
            "3",
            "--per-try-timeout",
            "1s",
            "--timeout",
            "2s",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("overruns the 2s budget"));
}

#[test]
fn zero_attempts_and_an_unknown_jitter_are_input_errors() {
    let e = input_error(&["retry", "--attempts", "0"]);
    assert!(e.contains("--attempts 0"), "{e}");
    let e = input_error(&["retry", "--attempts", "3", "--jitter", "random"]);
    assert!(e.contains("full") && e.contains("decorrelated"), "{e}");
    let e = input_error(&["retry", "--attempts", "3", "--base", "1s", "--cap", "100ms"]);
    assert!(e.contains("--cap"), "{e}");
}

use super::{close, input_error, json_of, tradeoff};

#[test]
fn ten_per_second_with_fifty_tokens_refills_in_five_seconds() {
    let v = json_of(&["ratelimit", "--rate", "10/s", "--burst", "50"]);
    close(&v["max_burst"], 50.0, 0.0);
    close(&v["refill_seconds"], 5.0, 1e-12);
    close(&v["sustained_rate_per_second"], 10.0, 1e-12);
    close(&v["windows"][1]["admitted"], 650.0, 1e-12);
}

#[test]
fn a_global_limit_splits_over_nodes() {
    let v = json_of(&[
        "ratelimit",
        "--rate",
        "10/s",
        "--burst",
        "50",
        "--nodes",
        "10",
    ]);
    close(&v["split"]["rate_per_node"], 1.0, 1e-12);
    close(&v["split"]["burst_per_node"], 5.0, 0.0);
    close(&v["split"]["unsplit_rate"], 100.0, 1e-12);
    tradeoff()
        .args([
            "ratelimit",
            "--rate",
            "10/s",
            "--burst",
            "50",
            "--nodes",
            "10",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("refills in 5s"));
}

#[test]
fn zero_nodes_and_a_bad_rate_are_input_errors() {
    let e = input_error(&[
        "ratelimit",
        "--rate",
        "10/s",
        "--burst",
        "50",
        "--nodes",
        "0",
    ]);
    assert!(e.contains("--nodes 0"), "{e}");
    let e = input_error(&["ratelimit", "--rate", "ten", "--burst", "50"]);
    assert!(e.contains("--rate") && e.contains("accepted"), "{e}");
}

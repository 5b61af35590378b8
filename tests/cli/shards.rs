use super::{close, input_error, json_of, tradeoff};

#[test]
fn the_issue_example_needs_thirty_two_shards() {
    let v = json_of(&[
        "shards",
        "--data",
        "4TB",
        "--growth",
        "40%/y",
        "--horizon",
        "3y",
        "--shard-size",
        "500GB",
        "--max-fill",
        "0.7",
        "--qps",
        "50k",
        "--shard-qps",
        "5k",
    ]);
    close(&v["data_at_horizon_bytes"], 10.976e12, 1e-12);
    assert_eq!(v["for_storage"], 32);
    assert_eq!(v["for_throughput"], 10);
    assert_eq!(v["count"], 32);
    assert_eq!(v["power_of_two"], 32);
    assert_eq!(
        v["formatted"]["data_at_horizon_bytes"],
        "10.98 TB (now 4 TB)"
    );
}

#[test]
fn defaults_are_the_documented_ones_and_said() {
    let v = json_of(&["shards", "--data", "4TB"]);
    assert_eq!(v["count"], 32);
    close(&v["inputs"]["max_fill"], 0.7, 0.0);
    tradeoff()
        .args(["shards", "--data", "4TB"])
        .assert()
        .success()
        .stdout(predicates::str::contains("usable per shard (500 GB × 70%)"))
        .stdout(predicates::str::contains("rounded up to a power of two"));
}

#[test]
fn three_to_four_shards_moves_three_quarters_with_mod_n() {
    let v = json_of(&[
        "shards",
        "--data",
        "1TB",
        "--growth",
        "0%/y",
        "--shard-size",
        "500GB",
        "--max-fill",
        "0.7",
    ]);
    assert_eq!(v["count"], 3);
    close(&v["rebalance"]["hash_mod_n_fraction"], 0.75, 1e-12);
    close(&v["rebalance"]["consistent_fraction"], 0.25, 1e-12);
}

#[test]
fn a_fill_outside_zero_to_one_is_an_input_error() {
    let e = input_error(&["shards", "--data", "4TB", "--max-fill", "1.5"]);
    assert!(
        e.contains("--max-fill 1.5") && e.contains("at most 1"),
        "{e}"
    );
    let e = input_error(&["shards", "--data", "4TB", "--max-fill", "0"]);
    assert!(e.contains("--max-fill 0"), "{e}");
    let e = input_error(&["shards", "--data", "four"]);
    assert!(e.contains("--data") && e.contains("TB"), "{e}");
    let e = input_error(&["shards", "--data", "4TB", "--qps", "50k"]);
    assert!(e.contains("--shard-qps"), "{e}");
}

use super::{close, input_error, json_of, tradeoff};

#[test]
fn dynamo_three_two_two_overlaps_and_survives_one_failure() {
    let v = json_of(&["quorum", "--n", "3", "--w", "2", "--r", "2"]);
    assert_eq!(v["overlap"], true);
    assert_eq!(v["write_conflicts_prevented"], true);
    assert_eq!(v["read_failures_tolerated"], 1);
    assert_eq!(v["write_failures_tolerated"], 1);
}

#[test]
fn a_majority_of_three_at_five_percent_failure_is_unavailable_0_725_percent() {
    let v = json_of(&[
        "quorum",
        "--n",
        "3",
        "--w",
        "2",
        "--r",
        "2",
        "--node-availability",
        "0.95",
    ]);
    close(&v["majority_reachability"]["unavailable"], 0.00725, 1e-12);
    assert_eq!(v["formatted"]["read.unavailable"], "0.725%");
}

#[test]
fn quorum_defaults_to_the_majority() {
    let v = json_of(&["quorum", "--n", "6"]);
    assert_eq!(v["majority"], 4);
    assert_eq!(v["w"], 4);
    assert_eq!(v["r"], 4);
}

#[test]
fn the_table_explains_the_issue_example() {
    tradeoff()
        .args([
            "quorum",
            "--n",
            "5",
            "--w",
            "3",
            "--r",
            "3",
            "--node-availability",
            "0.99",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("yes: 3 + 3 > 5"))
        .stdout(predicates::str::contains("reads see the latest write;"));
}

#[test]
fn a_write_quorum_above_n_is_an_input_error() {
    let e = input_error(&["quorum", "--n", "3", "--w", "4", "--r", "2"]);
    assert!(e.contains("--w 4") && e.contains("from 1 to N = 3"), "{e}");
    let e = input_error(&["quorum", "--n", "3", "--node-availability", "150"]);
    assert!(e.contains("--node-availability"), "{e}");
}

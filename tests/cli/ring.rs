use super::{input_error, json_of, tradeoff};

#[test]
fn a_small_ring_reports_spread_moves_and_bounded_loads() {
    let v = json_of(&[
        "ring", "--nodes", "10", "--vnodes", "100", "--keys", "100k", "--seed", "3", "--bound",
        "1.25",
    ]);
    let theory = v["theory_stddev_over_mean"].as_f64().unwrap();
    assert!((theory - 0.0948).abs() < 5e-5, "{theory}");
    assert_eq!(v["loads"].as_array().unwrap().len(), 10);
    assert_eq!(v["bounded"]["capacity"], 12_500);
    let added = &v["added"];
    let moved = added["fraction"].as_f64().unwrap();
    let ideal = added["ideal_fraction"].as_f64().unwrap();
    assert!((moved - ideal).abs() < 0.4 * ideal, "{moved} vs {ideal}");
    assert!(added["hash_mod_n_fraction"].as_f64().unwrap() > 0.85);
}

#[test]
fn the_same_seed_gives_the_same_output() {
    let args = [
        "ring", "--nodes", "5", "--vnodes", "20", "--keys", "10k", "--seed", "9",
    ];
    assert_eq!(json_of(&args), json_of(&args));
}

#[test]
fn plots_the_per_node_load() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("load.svg");
    tradeoff()
        .args(["ring", "--nodes", "8", "--vnodes", "10", "--keys", "5k"])
        .arg("--plot")
        .arg(&svg)
        .assert()
        .success()
        // stderr is not a terminal here: no progress bar.
        .stderr("");
    let text = std::fs::read_to_string(svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("Keys per node"));
}

#[test]
fn removing_every_node_and_a_bound_below_one_are_input_errors() {
    let e = input_error(&["ring", "--nodes", "3", "--remove", "3", "--keys", "10"]);
    assert!(e.contains("--remove 3"), "{e}");
    let e = input_error(&["ring", "--nodes", "3", "--bound", "0.5", "--keys", "10"]);
    assert!(e.contains("--bound 0.5"), "{e}");
    let e = input_error(&["ring", "--nodes", "3", "--keys", "lots"]);
    assert!(e.contains("--keys"), "{e}");
}

#[test]
fn ring_help_offers_only_the_flags_that_apply() {
    // `--rules` and `--templates` change nothing for ring, so its help does not offer them.
    let out = tradeoff().args(["ring", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!help.contains("--rules") && !help.contains("--templates"));
    insta::assert_snapshot!(help);
}

#[test]
fn rules_is_refused_where_it_does_not_apply() {
    let out = tradeoff()
        .args(["ring", "--nodes", "3", "--rules", "rules"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rules"));
}

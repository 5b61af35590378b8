use super::{close, input_error, json_of, tradeoff};

const SPECSDM91: &str = "tests/fixtures/usl/specsdm91.csv";

#[test]
fn amdahl_gives_the_published_speedup_and_limit() {
    let v = json_of(&[
        "scale",
        "amdahl",
        "--serial",
        "0.05",
        "--nodes",
        "8,64,1024",
    ]);
    close(&v["rows"][0]["speedup"], 5.925_925_925_925_926, 1e-12);
    close(&v["limit"], 20.0, 1e-12);
    assert_eq!(v["rows"].as_array().unwrap().len(), 3);
}

#[test]
fn gustafson_scales_with_the_nodes() {
    let v = json_of(&["scale", "gustafson", "--serial", "5%", "--nodes", "8"]);
    close(&v["rows"][0]["speedup"], 7.65, 1e-12);
}

#[test]
fn usl_fit_reproduces_r_usl_on_specsdm91() {
    let v = json_of(&["scale", "usl", "fit", SPECSDM91]);
    close(&v["model"]["sigma"], 0.02773, 1e-3);
    close(&v["model"]["kappa"], 1.044e-4, 1e-3);
    close(&v["model"]["lambda"], 89.995, 1e-3);
    close(&v["peak"]["concurrency"], 96.52, 1e-3);
    assert!(v["estimator"].as_str().unwrap().contains("R usl"));
}

#[test]
fn usl_fit_draws_the_plot() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("usl.svg");
    tradeoff()
        .args(["scale", "usl", "fit", SPECSDM91, "--plot"])
        .arg(&svg)
        .assert()
        .success()
        .stdout(predicates::str::contains("Throughput peaks at N* = 96.52"));
    let text = std::fs::read_to_string(svg).unwrap();
    assert!(text.contains("N* = 96.52"));
}

#[test]
fn usl_predict_peaks_at_n_star() {
    let v = json_of(&[
        "scale", "usl", "predict", "--sigma", "0.02773", "--kappa", "1.044e-4", "--lambda",
        "89.995", "--nodes", "1,96,200",
    ]);
    close(
        &v["peak"]["concurrency"],
        ((1.0f64 - 0.02773) / 1.044e-4).sqrt(),
        1e-12,
    );
    close(&v["rows"][0]["throughput"], 89.995, 1e-12);
}

#[test]
fn bad_csv_files_point_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "concurrency,throughput\n1,10\n2,fast\n4,30\n").unwrap();
    let e = input_error(&["scale", "usl", "fit", bad.to_str().unwrap()]);
    assert!(e.contains("bad.csv:3:3: `fast` is not a number"), "{e}");
    std::fs::write(&bad, "").unwrap();
    let e = input_error(&["scale", "usl", "fit", bad.to_str().unwrap()]);
    assert!(e.contains("no data points"), "{e}");
    std::fs::write(&bad, "1,10\n2,19\n").unwrap();
    let e = input_error(&["scale", "usl", "fit", bad.to_str().unwrap()]);
    assert!(e.contains("at least 3 points"), "{e}");
    std::fs::write(&bad, "1,10\n2,-19\n4,30\n").unwrap();
    let e = input_error(&["scale", "usl", "fit", bad.to_str().unwrap()]);
    assert!(e.contains(":2:3: throughput -19 is not above 0"), "{e}");
}

#[test]
fn bad_serial_fractions_and_coefficients_are_input_errors() {
    let e = input_error(&["scale", "amdahl", "--serial", "1.5", "--nodes", "8"]);
    assert!(e.contains("--serial 1.5"), "{e}");
    let e = input_error(&["scale", "amdahl", "--serial", "0.05", "--nodes", "0"]);
    assert!(e.contains("--nodes 0"), "{e}");
    let e = input_error(&[
        "scale", "usl", "predict", "--sigma", "2", "--kappa", "0", "--lambda", "1", "--nodes", "4",
    ]);
    assert!(e.contains("--sigma 2"), "{e}");
}

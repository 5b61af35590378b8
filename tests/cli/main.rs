//! Command-line tests: one module per area, all through the built binary.

mod queue;
mod quorum;
mod ratelimit;
mod retry;
mod ring;
mod scale;
mod shards;

/// The `tradeoff` binary, ready for `.args([...])`.
pub fn tradeoff() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("tradeoff").expect("the tradeoff binary is built")
}

/// Runs `tradeoff ARGS --format json`, asserts success and returns the parsed output.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = tradeoff()
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("the output is JSON")
}

/// Runs `tradeoff ARGS`, asserts exit code 2 and returns stderr.
pub fn input_error(args: &[&str]) -> String {
    let out = tradeoff()
        .args(args)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    String::from_utf8(out).expect("stderr is UTF-8")
}

/// Asserts `actual` is within `rel` of `expected`.
#[track_caller]
pub fn close(actual: &serde_json::Value, expected: f64, rel: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{actual} is not a number"));
    assert!(
        (a - expected).abs() <= rel * expected.abs(),
        "{a} is not within {rel} of {expected}"
    );
}

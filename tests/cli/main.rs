//! Command-line tests: one module per verb, all in one test binary.

mod adr;
mod advise;
mod avail;
mod bad_input;
mod check;
mod determinism;
mod docs_errors;
mod faults;
mod interactive;
mod patterns;
mod questionnaire;
mod queue;
mod quorum;
mod ratelimit;
mod reach;
mod render;
mod render_faults;
mod retry;
mod ring;
mod rules;
mod scaffold;
mod scale;
mod shards;
mod slo;

/// The binary under test, with a clean environment for the variables it reads.
pub fn tradeoff() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tradeoff").expect("the tradeoff binary builds");
    cmd.env_remove("TRADEOFF_RULES")
        .env_remove("TRADEOFF_TEMPLATES");
    cmd
}

/// The crate root, for fixtures and examples.
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary and parses its standard output as JSON; panics with stderr on failure.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = tradeoff().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Runs `tradeoff ARGS --format json`, asserts success and returns the parsed output.
pub fn json_of(args: &[&str]) -> serde_json::Value {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json"]);
    json(&all)
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

/// Relative difference, 0 when equal.
pub fn rel(a: f64, b: f64) -> f64 {
    if a == b { 0.0 } else { ((a - b) / b).abs() }
}

/// A number out of a JSON document.
pub fn num(v: &serde_json::Value, pointer: &str) -> f64 {
    v.pointer(pointer)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer} in {v}"))
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

//! Command-line tests: one module per verb, all in one test binary.

mod advise;
mod avail;
mod interactive;
mod patterns;
mod rules;
mod slo;

/// The binary under test, with a clean environment for the variables it reads.
pub fn tradeoff() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tradeoff").expect("the tradeoff binary builds");
    cmd.env_remove("TRADEOFF_RULES").env_remove("TRADEOFF_TEMPLATES");
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

//! Command-line tests: one module per verb, all in one test binary.

mod patterns;

/// The `tradeoff` binary under test.
fn tradeoff() -> assert_cmd::Command {
    match assert_cmd::Command::cargo_bin("tradeoff") {
        Ok(cmd) => cmd,
        Err(e) => panic!("the tradeoff binary was not built: {e}"),
    }
}

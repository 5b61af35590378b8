//! Command-line tests: every user-visible behaviour through the real binary.

mod adr;
mod advise;
mod render;
mod rules;

/// The binary under test, with a clean environment for the variables it reads.
pub fn tradeoff() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tradeoff").expect("binary builds");
    cmd.env_remove("TRADEOFF_RULES")
        .env_remove("TRADEOFF_TEMPLATES");
    cmd
}

/// The crate root, for fixtures and examples.
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

//! The interactive path through a real pseudo-terminal: dialoguer prompts, answered by keys.

use rexpect::session::spawn_command;

fn session(args: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tradeoff"));
    cmd.args(args).env("TERM", "xterm").env_remove("TRADEOFF_RULES");
    spawn_command(cmd, Some(20_000)).expect("spawn in a pty")
}

#[test]
fn a_person_answers_a_number_and_two_choices_at_the_terminal() {
    let mut p = session(&["advise", "--tree", "scale,communication", "--format", "json"]);
    p.exp_string("How many monthly active users").unwrap();
    p.send_line("2M").unwrap();
    p.exp_string("synchronous").unwrap();
    // First choice is `sync`: take it.
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_string("latency").unwrap();
    // Move down to `no` (REST) and pick it.
    p.send("\x1b[B").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    let out = p.exp_eof().unwrap();
    assert!(out.contains("\"scale\""), "{out}");
    assert!(out.contains("\"rest\""), "{out}");
}

#[test]
fn an_invalid_number_is_refused_at_the_prompt_and_asked_again() {
    let mut p = session(&["advise", "--tree", "scale", "--format", "json"]);
    p.exp_string("How many monthly active users").unwrap();
    p.send_line("lots").unwrap();
    p.exp_string("1.5M").unwrap();
    // Clear the rejected text before typing again.
    for _ in 0..4 {
        p.send("\x7f").unwrap();
    }
    p.send_line("20M").unwrap();
    let out = p.exp_eof().unwrap();
    assert!(out.contains("\"resilience\""), "{out}");
}

//! The interactive path through a real pseudo-terminal: dialoguer prompts, answered by keys.

use rexpect::session::spawn_command;

fn session(args: &[&str]) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tradeoff"));
    cmd.args(args)
        .env("TERM", "xterm")
        .env_remove("TRADEOFF_RULES");
    spawn_command(cmd, Some(20_000)).expect("spawn in a pty")
}

#[test]
fn a_person_answers_a_number_and_two_choices_at_the_terminal() {
    let mut p = session(&[
        "advise",
        "--tree",
        "scale,communication",
        "--format",
        "json",
    ]);
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

/// Answers the essential questions of a small internal API as each id shows, until the
/// offer of the remaining ones; returns the ids asked, in order. Typed answers for numbers,
/// Enter (the first or preselected value) for choices; the required `users` is first
/// answered with Enter alone.
fn answer_the_essentials(p: &mut rexpect::session::PtySession) -> Vec<String> {
    let typed = std::collections::BTreeMap::from([
        ("peak_rps", "2k/s"),
        ("service_time", "20ms"),
        ("latency_budget", "500ms"),
        ("users", "300k"),
        ("data_size", "40GB"),
        ("read_write_ratio", "5"),
    ]);
    let mut asked: Vec<String> = Vec::new();
    loop {
        let (_, m) = p
            .exp_regex(r"\[([a-z_]+)\]|Answer them now, or take their defaults\?")
            .unwrap_or_else(|e| panic!("after {asked:?}: {e}"));
        if m.starts_with("Answer") {
            return asked;
        }
        let id = m.trim_matches(['[', ']']).to_string();
        // Each id shows twice: the prompt, then the answered line.
        if asked.contains(&id) {
            continue;
        }
        if id == "users" {
            // Enter on a required number says what is needed instead of asking again.
            p.send_line("").unwrap();
            p.exp_string("an answer is needed, this question has no default")
                .unwrap();
        }
        match typed.get(id.as_str()) {
            Some(text) => p.send_line(text).unwrap(),
            None => p.send("\r").unwrap(),
        };
        p.flush().unwrap();
        asked.push(id);
        assert!(asked.len() < 30, "{asked:?}");
    }
}

fn design_answers(path: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).expect("the design file was written");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    doc["answers"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_string(),
                v["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn essentials_are_asked_first_and_the_rest_can_take_their_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("design.yaml");
    let mut p = session(&["advise", "--out", out.to_str().unwrap()]);
    let asked = answer_the_essentials(&mut p);
    // Twelve essentials on this path, and nothing else before the offer.
    assert_eq!(
        asked,
        [
            "availability_target",
            "peak_rps",
            "service_time",
            "latency_budget",
            "users",
            "data_size",
            "tolerates_lag",
            "write_regions",
            "communication",
            "latency_sensitive",
            "read_write_ratio",
            "processing"
        ]
    );
    let offer = p.exp_string("Take their defaults").unwrap();
    assert!(offer.contains("remaining questions now"), "{offer}");
    // Second item: take the defaults.
    p.send("\x1b[B").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("Decisions:"), "{rest}");
    assert!(rest.contains("rest on defaults"), "{rest}");
    assert!(rest.contains("Design written to"), "{rest}");
    let answers = design_answers(&out);
    assert_eq!(answers["users"], "prompt");
    assert_eq!(answers["latency_budget"], "prompt");
    assert_eq!(answers["rto"], "default");
    assert_eq!(answers["replica_rps"], "default");
}

#[test]
fn the_remaining_questions_are_asked_when_the_person_chooses_to_answer_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("design.yaml");
    let mut p = session(&["advise", "--out", out.to_str().unwrap(), "--format", "json"]);
    answer_the_essentials(&mut p);
    p.exp_string("Take their defaults").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    // The first remaining question comes next, not an essential one again.
    p.exp_string("[replica_rps]").unwrap();
    p.send_line("300/s").unwrap();
    // Every other question keeps its default with Enter. Each id shows twice (the prompt,
    // then the answered line), so Enter goes only to an id seen for the first time.
    let mut seen = std::collections::BTreeSet::from(["replica_rps".to_string()]);
    loop {
        match p.exp_regex(r#"\[([a-z_]+)\]|"packs""#) {
            Ok((_, m)) if m.contains("packs") => break,
            Ok((_, m)) => {
                if seen.insert(m.trim_matches(['[', ']']).to_string()) {
                    p.send("\r").unwrap();
                    p.flush().unwrap();
                }
            }
            Err(e) => panic!("after {} remaining questions: {e}", seen.len()),
        }
        assert!(seen.len() < 80, "the remaining questions never end");
    }
    assert!(seen.len() > 30, "{seen:?}");
    p.exp_eof().unwrap();
    let answers = design_answers(&out);
    assert_eq!(answers["users"], "prompt");
    assert_eq!(answers["replica_rps"], "prompt");
    assert_eq!(answers["rto"], "prompt");
    assert!(
        !answers.values().any(|s| s == "default"),
        "every remaining question was asked: {answers:?}"
    );
}

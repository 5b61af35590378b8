//! Determinism: every read-only command, on every example input, in every format, prints
//! byte-identical output when run twice with the same inputs and seed. The second run uses
//! one worker thread, so results that depend on how parallel work is scheduled show up too.
//!
//! Example inputs are found by listing `examples/`, `examples/topologies/` and
//! `tests/fixtures/usl/`, so a new example is checked without touching this file.

use super::{root, tradeoff};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

const FORMATS: &[&str] = &["table", "json", "yaml"];

/// Commands with fixed arguments (each also run in every format). One line per command.
#[rustfmt::skip]
const COMMANDS: &[&[&str]] = &[
    &["patterns"],
    &["patterns", "--pack", "scale"],
    &["explain", "circuit-breaker"],
    &["explain", "sharding"],
    &["explain", "users"],
    &["rules", "check"],
    &["slo", "budget", "99.95", "--requests", "2.5M", "--request-rate", "100/s"],
    &["slo", "alerts", "99.9"],
    &["slo", "burn", "99.9", "--error-rate", "0.1", "--over", "1h"],
    &["slo", "burn", "99.9", "--good", "999.5k", "--total", "1M"],
    &["avail", "series", "99.99", "99.95", "99.9"],
    &["avail", "parallel", "99.9", "99"],
    &["avail", "k-of-n", "2", "99.9", "99", "95"],
    &["avail", "k-of-n", "3", "0.995", "--n", "5"],
    &["avail", "mttr", "--mttf", "50000h", "--mttr", "5h"],
    &["scale", "amdahl", "--serial", "0.05", "--nodes", "8,64,1024"],
    &["scale", "gustafson", "--serial", "0.05", "--nodes", "8,64,1024"],
    &["scale", "usl", "predict", "--sigma", "0.02773", "--kappa", "0.0001044", "--lambda", "89.995", "--nodes", "1,32,64,128"],
    &["quorum", "--n", "5", "--w", "3", "--r", "3", "--node-availability", "0.99"],
    &["shards", "--data", "4TB", "--growth", "40%/y", "--horizon", "3y", "--qps", "50k", "--shard-qps", "5k", "--hot-key-qps", "20k"],
    &["ring", "--nodes", "50", "--vnodes", "100", "--keys", "100k", "--seed", "7", "--bound", "1.25"],
    &["queue", "erlang-c", "--arrival", "100/30m", "--aht", "180s", "--target", "20s"],
    &["queue", "mmc", "--arrival", "5/s", "--service-time", "100ms", "--servers", "2", "--target", "50ms"],
    &["queue", "little", "--arrival", "100/s", "--time", "500ms"],
    &["retry", "--attempts", "3", "--layers", "3", "--jitter", "decorrelated", "--seed", "7", "--per-try-timeout", "1s", "--timeout", "5s"],
    &["ratelimit", "--rate", "10/s", "--burst", "50", "--nodes", "10", "--offered", "50/s"],
];

/// Every invocation to check: fixed commands, then one per example file, each in every
/// format. `rules graph` prints mermaid or dot, so it gets its own two formats.
fn invocations() -> Vec<Vec<String>> {
    let mut base: Vec<Vec<String>> = COMMANDS
        .iter()
        .map(|c| c.iter().map(|a| (*a).to_string()).collect())
        .collect();
    let files = |dir: &str, ext: &str| -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.expect("a readable folder").path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .map(|p| {
                Path::new(dir)
                    .join(p.file_name().expect("a file name"))
                    .display()
                    .to_string()
            })
            .collect();
        out.sort();
        out
    };
    for answers in files("examples", "yaml") {
        base.push(vec!["advise".into(), "--answers".into(), answers]);
    }
    for topology in files("examples/topologies", "yaml") {
        base.push(vec!["avail".into(), "compose".into(), topology.clone()]);
        base.push(
            [
                "avail",
                "compose",
                &topology,
                "--simulate",
                "20k",
                "--seed",
                "7",
            ]
            .map(String::from)
            .to_vec(),
        );
    }
    for csv in files("tests/fixtures/usl", "csv") {
        base.push(vec!["scale".into(), "usl".into(), "fit".into(), csv]);
    }
    assert!(base.len() > COMMANDS.len() + 5, "examples were found");
    let mut all: Vec<Vec<String>> = base
        .into_iter()
        .flat_map(|args| {
            FORMATS.iter().map(move |f| {
                let mut a = args.clone();
                a.extend(["--format".to_string(), (*f).to_string()]);
                a
            })
        })
        .collect();
    for tree in ["scale", "sharding", "consistency", "communication", "data"] {
        for f in ["mermaid", "dot"] {
            all.push(
                ["rules", "graph", tree, "--format", f]
                    .map(String::from)
                    .to_vec(),
            );
        }
    }
    all
}

/// Runs `args` with the given rayon thread count and returns stdout, failing on an error.
fn stdout(args: &[String], threads: &str) -> Vec<u8> {
    let out = tradeoff()
        .current_dir(root())
        .env("RAYON_NUM_THREADS", threads)
        .args(args)
        .output()
        .expect("tradeoff runs");
    assert!(
        out.status.success(),
        "tradeoff {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn every_read_only_command_prints_the_same_bytes_twice() {
    let all = invocations();
    let next = AtomicUsize::new(0);
    let differing = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(args) = all.get(i) else { break };
                    let first = stdout(args, "2");
                    let second = stdout(args, "1");
                    assert!(
                        !first.is_empty(),
                        "tradeoff {} printed nothing",
                        args.join(" ")
                    );
                    if first != second {
                        differing
                            .lock()
                            .expect("no thread panicked")
                            .push(args.join(" "));
                    }
                }
            });
        }
    });
    let differing = differing.into_inner().expect("no thread panicked");
    assert!(
        differing.is_empty(),
        "{} of {} invocations printed different output on a second run:\n  tradeoff {}",
        differing.len(),
        all.len(),
        differing.join("\n  tradeoff ")
    );
}

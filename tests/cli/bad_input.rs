//! The bad-input suite: every command fed malformed and out-of-range input exits 2, prints
//! nothing on stdout, and says on stderr where the problem is (the file and line, or the
//! flag), the bad value, and what is accepted. No message may be a raw serde or panic text.
//! Every message is snapshotted, one snapshot per case named after it.
//!
//! Flag cases are the table below; file cases are the fixtures under
//! `tests/fixtures/bad-input/<kind>/`, found by listing the folders, so a new fixture is a
//! new case without touching this file.

use super::{root, tradeoff};
use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One invocation and what its message must contain.
struct Case {
    name: String,
    args: Vec<String>,
    /// Texts the message must contain: the flag or file, and the bad value.
    needles: Vec<String>,
    /// For file cases: the message must name `file:line`.
    file_line: Option<String>,
}

/// Flag cases: (name, arguments, what the message must contain besides a hint of what is
/// accepted: the flag or argument and the bad value). One line per case, so the table reads
/// as a table.
#[rustfmt::skip]
const FLAG_CASES: &[(&str, &[&str], &[&str])] = &[
    // advise
    ("advise-set-without-value", &["advise", "--set", "users"], &["--set users"]),
    ("advise-set-not-a-count", &["advise", "--set", "users=lots"], &["--set users", "`lots`"]),
    ("advise-set-unknown-id", &["advise", "--set", "userz=200k"], &["--set userz", "`users`"]),
    ("advise-set-bad-choice", &["advise", "--set", "users=200k", "--set", "communication=carrier-pigeon"], &["--set communication", "`carrier-pigeon`"]),
    ("advise-set-size-wrong-unit", &["advise", "--set", "data_size=4TBs"], &["--set data_size", "`4TBs`"]),
    ("advise-set-availability-above-100", &["advise", "--set", "availability_target=101"], &["--set availability_target", "`101`"]),
    ("advise-set-nan", &["advise", "--set", "read_write_ratio=NaN"], &["--set read_write_ratio", "`NaN`"]),
    ("advise-unknown-tree", &["advise", "--tree", "sharding,shardng"], &["--tree shardng"]),
    ("advise-missing-answers-file", &["advise", "--answers", "tests/fixtures/bad-input/missing.yaml"], &["--answers", "missing.yaml"]),
    ("advise-answers-is-a-folder", &["advise", "--answers", "tests/fixtures"], &["--answers", "tests/fixtures"]),
    ("advise-no-answers-no-terminal", &["advise", "--tree", "sharding"], &["data_size", "--set data_size="]),
    ("advise-out-is-not-a-design", &["advise", "--answers", "examples/startup.yaml", "--out", "tests/fixtures/bad-input/not-a-design.md"], &["not-a-design.md", "--force"]),
    ("advise-out-is-a-folder", &["advise", "--answers", "examples/startup.yaml", "--out", "tests/fixtures"], &["--out tests/fixtures"]),
    ("advise-unknown-format", &["advise", "--answers", "examples/startup.yaml", "--format", "xml"], &["--format", "'xml'"]),
    // explain, patterns, rules
    ("explain-unknown-id", &["explain", "circuit-breakr"], &["`circuit-breakr`", "circuit-breaker"]),
    ("patterns-unknown-pack", &["patterns", "--pack", "enterprise"], &["`enterprise`", "foundation"]),
    ("patterns-unknown-category", &["patterns", "--category", "magic"], &["`magic`", "caching"]),
    ("rules-check-missing-folder", &["rules", "check", "tests/fixtures/bad-input/missing-rules"], &["missing-rules"]),
    ("rules-folder-is-a-file", &["rules", "--rules", "Cargo.toml", "check"], &["Cargo.toml"]),
    ("rules-graph-unknown-tree", &["rules", "graph", "shardng"], &["`shardng`", "sharding"]),
    ("rules-graph-unknown-format", &["rules", "graph", "sharding", "--format", "svg"], &["--format", "'svg'"]),
    // one availability rule everywhere: a bare number above 1 and below 50 is refused
    ("avail-series-bare-1-2", &["avail", "series", "1.2"], &["'1.2'", "`1.2%`", "99.95%", "0.9995"]),
    ("avail-parallel-fraction-and-bare-1-01", &["avail", "parallel", "0.99", "1.01"], &["'1.01'", "99.95%", "0.9995"]),
    ("slo-budget-bare-9-9", &["slo", "budget", "9.9"], &["'9.9'", "99.95%", "0.9995"]),
    ("quorum-node-availability-bare-5", &["quorum", "--n", "3", "--node-availability", "5"], &["--node-availability", "'5'", "0.9995"]),
    ("advise-set-availability-bare-2", &["advise", "--set", "availability_target=2"], &["--set availability_target", "`2`", "0.9995"]),
    // slo budget
    ("slo-budget-above-100", &["slo", "budget", "101"], &["<SLO>", "'101'"]),
    ("slo-budget-zero", &["slo", "budget", "0"], &["<SLO>", "'0'"]),
    ("slo-budget-negative", &["slo", "budget", "-5"], &["<SLO>", "'-5'"]),
    ("slo-budget-not-a-number", &["slo", "budget", "three-nines"], &["<SLO>", "'three-nines'"]),
    ("slo-budget-nan", &["slo", "budget", "NaN"], &["<SLO>", "'NaN'"]),
    ("slo-budget-window-without-unit", &["slo", "budget", "99.9", "--window", "30"], &["--window", "'30'"]),
    ("slo-budget-window-zero", &["slo", "budget", "99.9", "--window", "0s"], &["--window", "'0s'"]),
    ("slo-budget-window-huge", &["slo", "budget", "99.9", "--window", "1e20y"], &["--window", "'1e20y'"]),
    ("slo-budget-unknown-year", &["slo", "budget", "99.9", "--year", "360d"], &["--year", "'360d'"]),
    ("slo-budget-negative-requests", &["slo", "budget", "99.9", "--requests", "-5"], &["--requests", "'-5'"]),
    ("slo-budget-rate-bad-period", &["slo", "budget", "99.9", "--request-rate", "5/fortnight"], &["--request-rate", "'5/fortnight'"]),
    // slo alerts
    ("slo-alerts-hundred-percent", &["slo", "alerts", "100"], &["<SLO>", "'100'"]),
    ("slo-alerts-period-zero", &["slo", "alerts", "99.9", "--period", "0s"], &["--period", "'0s'"]),
    ("slo-alerts-missing-tiers-file", &["slo", "alerts", "99.9", "--tiers", "tests/fixtures/bad-input/missing.yaml"], &["--tiers", "missing.yaml"]),
    // slo burn
    ("slo-burn-error-rate-above-1", &["slo", "burn", "99.9", "--error-rate", "2"], &["--error-rate", "'2'"]),
    ("slo-burn-error-rate-negative", &["slo", "burn", "99.9", "--error-rate", "-0.1"], &["--error-rate", "'-0.1'"]),
    ("slo-burn-error-rate-infinite", &["slo", "burn", "99.9", "--error-rate", "inf"], &["--error-rate", "'inf'"]),
    ("slo-burn-good-above-total", &["slo", "burn", "99.9", "--good", "10", "--total", "5"], &["--good 10", "--total 5"]),
    ("slo-burn-over-zero", &["slo", "burn", "99.9", "--error-rate", "0.1", "--over", "0s"], &["--over", "'0s'"]),
    ("slo-burn-no-error-rate", &["slo", "burn", "99.9"], &["--error-rate"]),
    // avail series / parallel / k-of-n / mttr
    ("avail-series-zero", &["avail", "series", "99.9", "0"], &["<A>", "'0'"]),
    ("avail-series-above-100", &["avail", "series", "99.9", "100.5"], &["<A>", "'100.5'"]),
    ("avail-series-negative", &["avail", "series", "-0.9"], &["<A>", "'-0.9'"]),
    ("avail-series-wrong-unit", &["avail", "series", "99.9pc"], &["<A>", "'99.9pc'"]),
    ("avail-series-infinite", &["avail", "series", "inf"], &["<A>", "'inf'"]),
    ("avail-parallel-not-a-number", &["avail", "parallel", "99", "abc"], &["<A>", "'abc'"]),
    ("avail-k-of-n-k-above-n", &["avail", "k-of-n", "4", "0.9", "0.9", "0.9"], &["K = 4", "1 to 3"]),
    ("avail-k-of-n-k-zero", &["avail", "k-of-n", "0", "0.9", "0.9"], &["K = 0"]),
    ("avail-k-of-n-k-not-a-number", &["avail", "k-of-n", "two", "0.9", "0.9"], &["<K>", "'two'"]),
    ("avail-k-of-n-n-zero", &["avail", "k-of-n", "2", "0.9", "--n", "0"], &["--n 0"]),
    ("avail-k-of-n-n-huge", &["avail", "k-of-n", "2", "0.9", "--n", "2M"], &["--n 2000000"]),
    ("avail-k-of-n-n-and-list", &["avail", "k-of-n", "2", "0.9", "0.9", "--n", "3"], &["--n 3"]),
    ("avail-mttr-mttf-zero", &["avail", "mttr", "--mttf", "0s", "--mttr", "5h"], &["--mttf", "'0s'"]),
    ("avail-mttr-without-unit", &["avail", "mttr", "--mttf", "50000h", "--mttr", "5"], &["--mttr", "'5'"]),
    ("avail-mttr-negative", &["avail", "mttr", "--mttf", "-1h", "--mttr", "5h"], &["--mttf", "'-1h'"]),
    // avail compose flags
    ("avail-compose-missing-file", &["avail", "compose", "tests/fixtures/bad-input/missing.yaml"], &["missing.yaml"]),
    ("avail-compose-simulate-zero", &["avail", "compose", "examples/topologies/three-tier.yaml", "--simulate", "0"], &["--simulate", "'0'"]),
    ("avail-compose-confidence-100", &["avail", "compose", "examples/topologies/three-tier.yaml", "--confidence", "1"], &["--confidence", "'1'"]),
    ("avail-compose-top-negative", &["avail", "compose", "examples/topologies/three-tier.yaml", "--top", "-1"], &["--top", "'-1'"]),
    ("avail-compose-seed-not-a-number", &["avail", "compose", "examples/topologies/three-tier.yaml", "--seed", "lucky"], &["--seed", "'lucky'"]),
    // scale
    ("scale-amdahl-serial-above-1", &["scale", "amdahl", "--serial", "1.5", "--nodes", "8"], &["--serial 1.5"]),
    ("scale-amdahl-serial-negative", &["scale", "amdahl", "--serial", "-0.1", "--nodes", "8"], &["--serial -0.1"]),
    ("scale-amdahl-zero-nodes", &["scale", "amdahl", "--serial", "0.05", "--nodes", "8,0"], &["--nodes 0"]),
    ("scale-amdahl-nodes-not-a-number", &["scale", "amdahl", "--serial", "0.05", "--nodes", "8,many"], &["--nodes", "'many'"]),
    ("scale-gustafson-nodes-huge", &["scale", "gustafson", "--serial", "0.05", "--nodes", "1e30"], &["--nodes", "'1e30'"]),
    ("scale-gustafson-serial-nan", &["scale", "gustafson", "--serial", "NaN", "--nodes", "8"], &["--serial", "'NaN'"]),
    ("scale-usl-fit-missing-file", &["scale", "usl", "fit", "tests/fixtures/bad-input/missing.csv"], &["missing.csv"]),
    ("scale-usl-predict-sigma-above-1", &["scale", "usl", "predict", "--sigma", "2", "--kappa", "0.01", "--lambda", "1", "--nodes", "8"], &["--sigma 2"]),
    ("scale-usl-predict-kappa-negative", &["scale", "usl", "predict", "--sigma", "0.1", "--kappa", "-0.01", "--lambda", "1", "--nodes", "8"], &["--kappa -0.01"]),
    ("scale-usl-predict-kappa-huge", &["scale", "usl", "predict", "--sigma", "0.1", "--kappa", "1e308", "--lambda", "1", "--nodes", "8"], &["--kappa", "1e308"]),
    ("scale-usl-predict-lambda-zero", &["scale", "usl", "predict", "--sigma", "0.1", "--kappa", "0.01", "--lambda", "0", "--nodes", "8"], &["--lambda 0"]),
    // quorum
    ("quorum-zero-replicas", &["quorum", "--n", "0"], &["--n 0"]),
    ("quorum-too-many-replicas", &["quorum", "--n", "4294967295", "--node-availability", "0.9"], &["--n 4294967295"]),
    ("quorum-write-above-n", &["quorum", "--n", "3", "--w", "4"], &["--w 4"]),
    ("quorum-read-zero", &["quorum", "--n", "3", "--r", "0"], &["--r 0"]),
    ("quorum-node-availability-above-100", &["quorum", "--n", "3", "--node-availability", "101"], &["--node-availability", "'101'"]),
    ("quorum-n-fraction", &["quorum", "--n", "2.5"], &["--n", "'2.5'"]),
    // shards
    ("shards-negative-data", &["shards", "--data", "-4TB"], &["--data", "'-4TB'"]),
    ("shards-data-wrong-unit", &["shards", "--data", "4XB"], &["--data", "'4XB'"]),
    ("shards-growth-minus-100", &["shards", "--data", "4TB", "--growth", "-100%/y"], &["--growth", "'-100%/y'"]),
    ("shards-horizon-without-unit", &["shards", "--data", "4TB", "--horizon", "3"], &["--horizon", "'3'"]),
    ("shards-shard-size-zero", &["shards", "--data", "4TB", "--shard-size", "0B"], &["--shard-size 0"]),
    ("shards-max-fill-zero", &["shards", "--data", "4TB", "--max-fill", "0"], &["--max-fill 0"]),
    ("shards-max-fill-above-1", &["shards", "--data", "4TB", "--max-fill", "1.5"], &["--max-fill 1.5"]),
    ("shards-qps-without-shard-qps", &["shards", "--data", "4TB", "--qps", "50k"], &["--shard-qps", "--qps"]),
    ("shards-shard-qps-zero", &["shards", "--data", "4TB", "--qps", "50k", "--shard-qps", "0"], &["--shard-qps 0"]),
    ("shards-growth-explodes", &["shards", "--data", "4TB", "--growth", "1e10%/y", "--horizon", "100y"], &["--data", "4 TB"]),
    ("shards-qps-needs-too-many-shards", &["shards", "--data", "4TB", "--qps", "1e18", "--shard-qps", "1e-9"], &["--qps 1e18", "1e-9 queries"]),
    // ring
    ("ring-zero-nodes", &["ring", "--nodes", "0"], &["--nodes 0"]),
    ("ring-zero-vnodes", &["ring", "--nodes", "10", "--vnodes", "0"], &["--vnodes 0"]),
    ("ring-too-many-points", &["ring", "--nodes", "100000", "--vnodes", "100000"], &["--vnodes 100000", "20000000"]),
    ("ring-zero-keys", &["ring", "--nodes", "10", "--keys", "0"], &["--keys 0"]),
    ("ring-too-many-keys", &["ring", "--nodes", "10", "--keys", "1e12"], &["--keys 1000000000000"]),
    ("ring-bound-below-1", &["ring", "--nodes", "10", "--bound", "0.5"], &["--bound 0.5"]),
    ("ring-remove-every-node", &["ring", "--nodes", "10", "--remove", "10"], &["--remove 10"]),
    ("ring-seed-not-a-number", &["ring", "--nodes", "10", "--seed", "x"], &["--seed", "'x'"]),
    // queue
    ("queue-erlang-c-zero-arrival", &["queue", "erlang-c", "--arrival", "0/s", "--aht", "180s", "--target", "20s"], &["--arrival 0"]),
    ("queue-erlang-c-zero-handling-time", &["queue", "erlang-c", "--arrival", "100/30m", "--aht", "0s", "--target", "20s"], &["--aht 0"]),
    ("queue-erlang-c-negative-target", &["queue", "erlang-c", "--arrival", "100/30m", "--aht", "180s", "--target", "-5s"], &["--target", "'-5s'"]),
    ("queue-erlang-c-zero-agents", &["queue", "erlang-c", "--arrival", "100/30m", "--aht", "180s", "--target", "20s", "--agents", "0"], &["--agents 0"]),
    ("queue-erlang-c-arrival-at-capacity", &["queue", "erlang-c", "--arrival", "100/s", "--aht", "1s", "--target", "20s", "--agents", "50"], &["--arrival 100/s", "at least 101"]),
    ("queue-erlang-c-service-level-100", &["queue", "erlang-c", "--arrival", "100/30m", "--aht", "180s", "--target", "20s", "--service-level", "1"], &["--service-level 1"]),
    ("queue-erlang-c-staffing-without-target", &["queue", "erlang-c", "--arrival", "100/30m", "--aht", "180s"], &["--target"]),
    ("queue-erlang-c-goal-without-target", &["queue", "erlang-c", "--arrival", "100/30m", "--aht", "180s", "--agents", "14", "--service-level", "0.8"], &["--service-level", "--target"]),
    ("queue-erlang-c-without-aht", &["queue", "erlang-c", "--arrival", "100/30m", "--agents", "14"], &["--aht"]),
    ("queue-erlang-c-file-with-agents", &["queue", "erlang-c", "--arrival", "examples/queue/day.csv", "--aht", "180s", "--target", "20s", "--agents", "14"], &["--agents 14"]),
    ("queue-erlang-c-file-without-target", &["queue", "erlang-c", "--arrival", "examples/queue/day.csv", "--aht", "180s"], &["day.csv", "--target"]),
    ("queue-erlang-c-missing-file", &["queue", "erlang-c", "--arrival", "tests/fixtures/bad-input/missing.csv", "--target", "20s"], &["missing.csv"]),
    ("queue-erlang-c-arrival-neither-rate-nor-csv", &["queue", "erlang-c", "--arrival", "lots", "--aht", "180s", "--target", "20s"], &["--arrival", "'lots'", ".csv"]),
    ("queue-erlang-c-load-past-the-cap", &["queue", "erlang-c", "--arrival", "1e18/s", "--aht", "1y", "--target", "20s"], &["--arrival", "1000000 servers"]),
    ("queue-mmc-zero-servers", &["queue", "mmc", "--arrival", "5/s", "--service-time", "100ms", "--servers", "0"], &["--servers 0"]),
    ("queue-mmc-arrival-at-capacity", &["queue", "mmc", "--arrival", "20/s", "--service-time", "100ms", "--servers", "2"], &["--arrival 20/s", "at least 3"]),
    ("queue-mmc-too-many-servers", &["queue", "mmc", "--arrival", "5/s", "--service-time", "100ms", "--servers", "4294967295"], &["--servers 4294967295"]),
    ("queue-mmc-zero-service-rate", &["queue", "mmc", "--arrival", "5/s", "--service-rate", "0/s"], &["--service-rate 0"]),
    ("queue-mmc-rate-not-a-rate", &["queue", "mmc", "--arrival", "5/fortnight", "--service-time", "100ms"], &["--arrival", "'5/fortnight'"]),
    ("queue-little-one-quantity", &["queue", "little", "--arrival", "5/s"], &["--arrival", "--time", "--in-system"]),
    ("queue-little-three-quantities", &["queue", "little", "--arrival", "5/s", "--time", "1s", "--in-system", "5"], &["--arrival", "--time", "--in-system"]),
    ("queue-little-zero-time", &["queue", "little", "--time", "0s", "--in-system", "5"], &["--time 0"]),
    // retry
    ("retry-zero-attempts", &["retry", "--attempts", "0"], &["--attempts 0"]),
    ("retry-too-many-attempts", &["retry", "--attempts", "4294967295"], &["--attempts 4294967295"]),
    ("retry-zero-layers", &["retry", "--attempts", "3", "--layers", "0"], &["--layers 0"]),
    ("retry-too-many-layers", &["retry", "--attempts", "3", "--layers", "1000"], &["--layers 1000"]),
    ("retry-zero-base", &["retry", "--attempts", "3", "--base", "0s"], &["--base 0s"]),
    ("retry-cap-below-base", &["retry", "--attempts", "3", "--base", "10s", "--cap", "1s"], &["--cap 1s"]),
    ("retry-unknown-jitter", &["retry", "--attempts", "3", "--jitter", "wild"], &["--jitter", "'wild'"]),
    ("retry-zero-timeout", &["retry", "--attempts", "3", "--timeout", "0s"], &["--timeout 0s"]),
    ("retry-attempts-fraction", &["retry", "--attempts", "2.5"], &["--attempts", "'2.5'"]),
    // ratelimit
    ("avail-compose-too-many-trials", &["avail", "compose", "examples/topologies/three-tier.yaml", "--simulate", "1e15"], &["--simulate", "1e15"]),
    ("avail-simulate-too-many-years", &["avail", "simulate", "examples/topologies/three-tier.yaml", "--horizon", "1000000y", "--runs", "100"], &["--runs 100", "--horizon"]),
    // render and adr
    ("render-missing-design", &["render", "tests/fixtures/bad-input/missing.yaml", "--docs", "target/bad-input-docs"], &["missing.yaml"]),
    ("render-not-a-design", &["render", "tests/fixtures/bad-input/not-a-design.md", "--docs", "target/bad-input-docs"], &["not-a-design.md"]),
    ("render-bad-date", &["render", "design.yaml", "--adr", "target/bad-input-adr", "--date", "2026-02-30"], &["--date", "2026-02-30"]),
    ("render-unknown-flavour", &["render", "design.yaml", "--adr", "target/bad-input-adr", "--flavour", "markdown"], &["--flavour", "'markdown'"]),
    ("check-missing-design", &["check", "tests/fixtures/bad-input/missing.yaml"], &["missing.yaml"]),
    ("check-not-a-design", &["check", "tests/fixtures/bad-input/not-a-design.md"], &["not-a-design.md"]),
    ("adr-supersede-unknown-number", &["adr", "supersede", "999", "Use something else", "--dir", "tests/fixtures/adr/mixed"], &["999"]),
    ("adr-new-bad-status", &["adr", "new", "Title", "--dir", "target/bad-input-adr", "--status", "maybe"], &["--status", "'maybe'"]),
    ("ratelimit-zero-rate", &["ratelimit", "--rate", "0/s", "--burst", "5"], &["--rate 0"]),
    ("ratelimit-rate-not-a-rate", &["ratelimit", "--rate", "fast", "--burst", "5"], &["--rate", "'fast'"]),
    ("ratelimit-zero-burst", &["ratelimit", "--rate", "10/s", "--burst", "0"], &["--burst 0"]),
    ("ratelimit-zero-nodes", &["ratelimit", "--rate", "10/s", "--burst", "5", "--nodes", "0"], &["--nodes 0"]),
    ("ratelimit-zero-window", &["ratelimit", "--rate", "10/s", "--burst", "5", "--window", "0s"], &["--window 0s"]),
    ("ratelimit-negative-offered", &["ratelimit", "--rate", "10/s", "--burst", "5", "--offered", "-5/s"], &["--offered", "'-5/s'"]),
];

/// File cases: the fixture folder, the command that reads a file of that kind (`{}` is the
/// file or folder).
const FILE_KINDS: &[(&str, &[&str])] = &[
    ("answers", &["advise", "--answers", "{}"]),
    ("topology", &["avail", "compose", "{}"]),
    ("tiers", &["slo", "alerts", "99.9", "--tiers", "{}"]),
    ("usl", &["scale", "usl", "fit", "{}"]),
    (
        "intervals",
        &["queue", "erlang-c", "--arrival", "{}", "--target", "20s"],
    ),
    ("rules", &["rules", "check", "{}"]),
];

/// File cases whose problem is the whole file (empty, too few rows, not text), so the
/// message names the file without a line.
const WHOLE_FILE: &[&str] = &[
    "topology-empty-file",
    "tiers-empty-list",
    "usl-empty",
    "usl-header-only",
    "usl-too-few-points",
    "usl-one-concurrency",
    "intervals-empty",
    "rules-not-utf8",
];

/// Phrases that must never reach a user: panics, Rust debug output, serde's own words.
const FORBIDDEN: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "Error(",
    "Error {",
    "invalid type:",
    "invalid value:",
    "untagged enum",
    "unknown field",
    "missing field",
    "expected u32",
    "expected u64",
    "expected usize",
    "expected i64",
    "expected f64",
];

/// Words that show the message says what is accepted.
const ACCEPTED: &[&str] = &[
    "accepted",
    "help:",
    "possible values",
    "expected",
    "at most",
    "at least",
    "must",
    "did you mean",
    "list them",
    "--set ",
    "--force",
    "the following required arguments",
];

fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = FLAG_CASES
        .iter()
        .map(|(name, args, needles)| Case {
            name: (*name).to_string(),
            args: args.iter().map(|a| (*a).to_string()).collect(),
            needles: needles.iter().map(|n| (*n).to_string()).collect(),
            file_line: None,
        })
        .collect();
    for (kind, template) in FILE_KINDS {
        let dir = Path::new("tests/fixtures/bad-input").join(kind);
        let mut entries: Vec<_> = std::fs::read_dir(root().join(&dir))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a readable fixture folder").file_name())
            .collect();
        entries.sort();
        for entry in entries {
            let file = dir.join(&entry);
            let shown = file.display().to_string();
            let stem = Path::new(&entry)
                .file_stem()
                .expect("fixtures have names")
                .to_string_lossy()
                .to_string();
            let name = format!("{kind}-{stem}");
            let is_whole = WHOLE_FILE.contains(&name.as_str());
            out.push(Case {
                args: template.iter().map(|a| a.replace("{}", &shown)).collect(),
                needles: vec![shown.clone()],
                file_line: (!is_whole).then_some(shown),
                name,
            });
        }
    }
    out
}

/// Runs every case, a few at a time (each is a process start), in case order.
fn run_all(cases: &[Case]) -> Vec<Output> {
    let next = AtomicUsize::new(0);
    let mut outputs: Vec<Option<Output>> = Vec::new();
    outputs.resize_with(cases.len(), || None);
    let slots = std::sync::Mutex::new(outputs);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let out = tradeoff()
                        .current_dir(root())
                        .args(&case.args)
                        .write_stdin("")
                        .output()
                        .expect("tradeoff runs");
                    slots.lock().expect("no thread panicked")[i] = Some(out);
                }
            });
        }
    });
    slots
        .into_inner()
        .expect("no thread panicked")
        .into_iter()
        .map(|o| o.expect("every case ran"))
        .collect()
}

/// What is wrong with one case's result, if anything.
fn problems(case: &Case, out: &Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut p = Vec::new();
    if out.status.code() != Some(2) {
        p.push(format!("exit code {:?}, expected 2", out.status.code()));
    }
    if !out.stdout.is_empty() {
        p.push(format!(
            "printed {} bytes on stdout before failing",
            out.stdout.len()
        ));
    }
    for f in FORBIDDEN {
        if stderr.contains(f) {
            p.push(format!("contains `{f}`"));
        }
    }
    for n in &case.needles {
        if !stderr.contains(n.as_str()) {
            p.push(format!("does not name `{n}`"));
        }
    }
    if let Some(file) = &case.file_line {
        // The file itself or, for a folder, a file in it, followed by `:LINE`.
        let with_line = stderr.match_indices(file.as_str()).any(|(i, _)| {
            let rest = &stderr[i + file.len()..];
            let end = rest.find([':', ' ', '\n']).unwrap_or(rest.len());
            let rest = &rest[end..];
            rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit())
        });
        if !with_line {
            p.push(format!("does not name `{file}:LINE`"));
        }
    }
    let lower = stderr.to_lowercase();
    if !ACCEPTED.iter().any(|a| lower.contains(a)) {
        p.push("does not say what is accepted".into());
    }
    p
}

#[test]
fn every_bad_input_exits_2_naming_the_place_the_value_and_what_is_accepted() {
    let cases = cases();
    let outputs = run_all(&cases);
    let mut failures = Vec::new();
    for (case, out) in cases.iter().zip(&outputs) {
        let p = problems(case, out);
        if !p.is_empty() {
            failures.push(format!(
                "{} (tradeoff {}): {}\n{}",
                case.name,
                case.args.join(" "),
                p.join("; "),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    for (case, out) in cases.iter().zip(&outputs) {
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        insta::with_settings!({
            description => format!("tradeoff {}", case.args.join(" ")),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(case.name.as_str(), stderr);
        });
    }
}

#[test]
fn the_suite_covers_every_command() {
    let cases = cases();
    let commands = [
        "advise",
        "explain",
        "patterns",
        "rules check",
        "rules graph",
        "slo budget",
        "slo alerts",
        "slo burn",
        "avail series",
        "avail parallel",
        "avail k-of-n",
        "avail mttr",
        "avail compose",
        "scale amdahl",
        "scale gustafson",
        "scale usl fit",
        "scale usl predict",
        "quorum",
        "shards",
        "ring",
        "queue erlang-c",
        "queue mmc",
        "queue little",
        "retry",
        "ratelimit",
        "check",
    ];
    for c in commands {
        let words: Vec<&str> = c.split(' ').collect();
        let covered = cases.iter().any(|k| {
            let args: Vec<&str> = k
                .args
                .iter()
                .map(String::as_str)
                .filter(|a| !a.starts_with("--") && !a.ends_with(".toml"))
                .collect();
            args.starts_with(&words)
        });
        assert!(covered, "no bad-input case for `tradeoff {c}`");
    }
}

#[test]
fn a_refused_out_file_is_left_untouched() {
    let path = root().join("tests/fixtures/bad-input/not-a-design.md");
    let before = std::fs::read(&path).expect("fixture");
    tradeoff()
        .current_dir(root())
        .args([
            "advise",
            "--answers",
            "examples/startup.yaml",
            "--out",
            "tests/fixtures/bad-input/not-a-design.md",
        ])
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&path).expect("fixture"), before);
}

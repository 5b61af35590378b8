//! Time of the exact solver (BDD) on the shipped topologies and on Aralia benchmark fault
//! trees of a few sizes, from the parsed model to the answer and its importance ranking.
//!
//! `cargo bench --bench exact` (optionally `-- NAME` to run some). Each model is solved
//! until a second has passed (at least three times); the best time is printed with the
//! diagram's size. The same trees against SCRAM: tests/external/check-scram.sh.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};
use tradeoff::capacity::topology::{DEFAULT_BUDGET, FaultTree, mef, parse, solve_tree};

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut models: Vec<(String, FaultTree)> = Vec::new();
    for name in ["three-tier", "hundred", "shared", "microservices"] {
        let path = format!("{root}/examples/topologies/{name}.yaml");
        let text = std::fs::read_to_string(&path).expect("the example exists");
        let t = parse(&text, &path).expect("the example is valid");
        models.push((name.to_string(), FaultTree::from_topology(&t, name)));
    }
    for name in [
        "chinese", "baobab1", "das9209", "isp9605", "edf9206", "jbd9601", "edf9204", "edf9203",
        "edfpa14b", "edfpa14o", "edfpa14p", "edfpa15b", "cea9601", "das9701",
    ] {
        let path = format!("{root}/tests/fixtures/aralia/{name}.xml");
        let text = std::fs::read_to_string(&path).expect("the fixture exists");
        models.push((
            name.to_string(),
            mef::read(&text, &path).expect("a valid tree"),
        ));
    }
    println!(
        "{:<14} {:>7} {:>6} {:>10} {:>10} {:>12} {:>14}",
        "model", "events", "gates", "bdd nodes", "made", "best time", "unavailability"
    );
    for (name, tree) in models {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let mut best = Duration::MAX;
        let mut runs = 0;
        let start = Instant::now();
        let mut last = None;
        while runs < 3 || start.elapsed() < Duration::from_secs(1) {
            let t = Instant::now();
            let s = solve_tree(&tree, DEFAULT_BUDGET).expect("solvable within the budget");
            best = best.min(t.elapsed());
            last = Some(s);
            runs += 1;
        }
        let s = last.expect("at least one run");
        println!(
            "{name:<14} {:>7} {:>6} {:>10} {:>10} {:>9.3} ms {:>14.6e}",
            tree.events.len(),
            tree.gates.len(),
            s.nodes,
            s.made,
            best.as_secs_f64() * 1e3,
            s.unavailability
        );
    }
}

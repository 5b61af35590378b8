//! Throughput of the bit-sliced Monte Carlo engine on the shipped topologies, in
//! component-trials per second (trials × components), on one thread and on every thread.
//!
//! `cargo bench --bench engine` (optionally `-- NAME` to run one topology). Each figure is
//! the best of three runs of at least half a second; trial counts grow until a run takes
//! that long.
#![allow(clippy::print_stdout)]

use std::time::Instant;
use tradeoff::capacity::topology::{Estimate, parse, simulate};

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{:<12} {:>8} {:>14} {:>22}",
        "topology", "threads", "trials", "component-trials/s"
    );
    for name in ["three-tier", "hundred", "shared"] {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let path = format!(
            "{}/examples/topologies/{name}.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("the example exists");
        let t = parse(&text, &path).expect("the example is valid");
        for n in [1, threads] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("a thread pool");
            let (trials, rate) = pool.install(|| measure(&t));
            println!("{name:<12} {n:>8} {trials:>14} {rate:>22.3e}");
            if threads == 1 {
                break;
            }
        }
    }
}

/// Best component-trials per second over three timed runs of at least half a second.
fn measure(t: &tradeoff::capacity::topology::Topology) -> (u64, f64) {
    let mut trials = 1u64 << 20;
    let timed = |trials: u64| {
        let start = Instant::now();
        let e: Estimate = simulate(t, trials, 1, 0.95);
        std::hint::black_box(&e);
        (e.component_trials as f64, start.elapsed().as_secs_f64())
    };
    loop {
        let (_, secs) = timed(trials);
        if secs >= 0.5 {
            break;
        }
        trials = (trials as f64 * (0.6 / secs.max(1e-3)).min(16.0)) as u64;
    }
    let best = (0..3)
        .map(|_| {
            let (work, secs) = timed(trials);
            work / secs
        })
        .fold(0.0, f64::max);
    (trials, best)
}

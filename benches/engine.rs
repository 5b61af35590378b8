//! Throughput of the bit-sliced Monte Carlo engine on the shipped topologies, in
//! component-trials per second (trials × components), on one thread and on every thread.
//!
//! `cargo bench --bench engine` (optionally `-- NAME` to run one topology). Trial counts
//! grow until a run takes at least half a second; each figure is the best of three runs.
//! Two rates are printed: per second of wall time, and per second of processor time used by
//! the process (from /proc/self/stat, Linux only), which stays meaningful on a machine busy
//! with other work, where wall time also counts the time the engine waited for a core.
#![allow(clippy::print_stdout)]

use std::time::Instant;
use tradeoff::capacity::topology::{Topology, parse, simulate};

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{:<11} {:>7} {:>13} {:>16} {:>16}",
        "topology", "threads", "trials", "per wall second", "per CPU second"
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
        let mut counts = vec![1];
        if threads > 1 {
            counts.push(threads);
        }
        for n in counts {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("a thread pool");
            let m = pool.install(|| measure(&t));
            let cpu = m
                .per_cpu_second
                .map_or("n/a".to_string(), |r| format!("{r:.3e}"));
            println!(
                "{name:<11} {n:>7} {:>13} {:>16.3e} {cpu:>16}",
                m.trials, m.per_wall_second
            );
        }
    }
}

struct Measure {
    trials: u64,
    per_wall_second: f64,
    per_cpu_second: Option<f64>,
}

/// Best rates over three timed runs of at least half a second.
fn measure(t: &Topology) -> Measure {
    let timed = |trials: u64| {
        let cpu = cpu_seconds();
        let start = Instant::now();
        let e = simulate(t, trials, 1, 0.95);
        let wall = start.elapsed().as_secs_f64();
        let cpu = cpu.zip(cpu_seconds()).map(|(a, b)| b - a);
        std::hint::black_box(&e);
        (e.component_trials as f64, wall, cpu)
    };
    let mut trials = 1u64 << 20;
    loop {
        let (_, wall, _) = timed(trials);
        if wall >= 0.5 {
            break;
        }
        trials = (trials as f64 * (0.7 / wall.max(1e-3)).min(16.0)) as u64;
    }
    let mut best = Measure {
        trials,
        per_wall_second: 0.0,
        per_cpu_second: None,
    };
    for _ in 0..3 {
        let (work, wall, cpu) = timed(trials);
        best.per_wall_second = best.per_wall_second.max(work / wall);
        if let Some(cpu) = cpu.filter(|&c| c > 0.0) {
            best.per_cpu_second = Some(best.per_cpu_second.unwrap_or(0.0).max(work / cpu));
        }
    }
    best
}

/// User plus system processor time of this process, in seconds (Linux: /proc/self/stat,
/// in clock ticks of 1/100 s, the fixed USER_HZ of the Linux ABI).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

//! Consistent-hash ring throughput on 1000 nodes × 160 virtual nodes, per CPU second of one
//! thread:
//!
//! - `lookup`: hash a key and find its node on tradeoff's sorted ring with a bucket index;
//! - `bisection`: the same ring searched by bisection (how tradeoff placed keys before the
//!   index);
//! - `hashring`: the same with the `hashring` crate (0.3), whose ring is a sorted vector
//!   searched by bisection, with one entry per virtual node as its documentation shows;
//! - `simulate`: whole `tradeoff ring` simulations (each key placed on the ring, on the ring
//!   with one node more and on the ring with one node fewer), in keys per CPU second.
//!
//! `cargo bench --bench ring`. Each figure is the best of three runs of at least half a second
//! of processor time of the measuring thread (/proc/thread-self/stat, Linux), which stays
//! meaningful on a machine busy with other work.
#![allow(clippy::print_stdout)]

use std::hash::{Hash, Hasher};
use tradeoff::capacity::ring::{Params, Sorted, key_position, simulate, vnode_position};

const NODES: u32 = 1000;
const VNODES: u32 = 160;
const SEED: u64 = 1;

/// A virtual node as hashring's documentation builds them: a node id and a replica number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct VNode {
    node: u32,
    replica: u32,
}

impl Hash for VNode {
    fn hash<H: Hasher>(&self, s: &mut H) {
        (self.node, self.replica).hash(s);
    }
}

fn main() {
    let ours = Sorted::build(SEED, 0..NODES, VNODES);
    let mut theirs: hashring::HashRing<VNode> = hashring::HashRing::new();
    theirs.batch_add(
        (0..NODES)
            .flat_map(|node| (0..VNODES).map(move |replica| VNode { node, replica }))
            .collect(),
    );
    assert_eq!(theirs.len(), ours.len());

    println!("{NODES} nodes x {VNODES} vnodes, one thread");
    let lookup = rate(|n, start| {
        let mut sum = 0u64;
        for key in start..start + n {
            sum += u64::from(ours.owner(key_position(SEED, key)));
        }
        sum
    });
    println!("lookup     {lookup:>12.3e} keys per CPU second (tradeoff, bucket index)");
    let mut sorted: Vec<(u64, u32)> = (0..NODES)
        .flat_map(|n| (0..VNODES).map(move |v| (vnode_position(SEED, n, v), n)))
        .collect();
    sorted.sort_unstable();
    let (positions, owners): (Vec<u64>, Vec<u32>) = sorted.into_iter().unzip();
    let before = rate(|n, start| {
        let mut sum = 0u64;
        for key in start..start + n {
            let h = key_position(SEED, key);
            let i = positions.partition_point(|&p| p < h);
            sum += u64::from(owners[if i == positions.len() { 0 } else { i }]);
        }
        sum
    });
    println!("bisection  {before:>12.3e} keys per CPU second (the same ring, bisection)");
    let baseline = rate(|n, start| {
        let mut sum = 0u64;
        for key in start..start + n {
            sum += u64::from(theirs.get(&key).map_or(0, |v| v.node));
        }
        sum
    });
    println!("hashring   {baseline:>12.3e} keys per CPU second (hashring 0.3, bisection)");
    println!(
        "ratio      {:>12.1}x hashring, {:.1}x bisection",
        lookup / baseline,
        lookup / before
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let whole = pool.install(|| {
        rate(|n, start| {
            let params = Params {
                nodes: NODES,
                vnodes: VNODES,
                keys: n,
                seed: SEED + start,
                add: 1,
                remove: 1,
                bound: None,
            };
            let r = simulate(params, &|_| {}).expect("a valid ring");
            r.loads.iter().sum()
        })
    });
    println!("simulate   {whole:>12.3e} keys per CPU second (base, +1 node, -1 node)");
}

/// Best work per CPU second of three runs of `f(n, start)`, n growing until a run takes at
/// least half a second of this thread's processor time.
fn rate(f: impl Fn(u64, u64) -> u64) -> f64 {
    let timed = |n: u64, start: u64| {
        let before = thread_cpu_seconds();
        std::hint::black_box(f(n, start));
        thread_cpu_seconds() - before
    };
    let mut n = 1u64 << 20;
    loop {
        let cpu = timed(n, 0);
        if cpu >= 0.5 {
            break;
        }
        n = (n as f64 * (0.7 / cpu.max(0.01)).min(16.0)) as u64;
    }
    (1..=3)
        .map(|run| n as f64 / timed(n, run * n).max(0.01))
        .fold(0.0, f64::max)
}

/// User plus system processor time of the calling thread, in seconds (Linux:
/// /proc/thread-self/stat, in clock ticks of 1/100 s, the fixed USER_HZ of the Linux ABI).
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("Linux /proc");
    let rest = &stat[stat.rfind(')').expect("a stat line") + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields[11].parse().expect("utime");
    let stime: f64 = fields[12].parse().expect("stime");
    (utime + stime) / 100.0
}

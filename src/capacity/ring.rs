//! A consistent-hash ring simulation: n nodes × v virtual nodes on a 64-bit ring, K keys, the
//! per-node load against the theory, the keys that move when nodes join or leave (and what
//! hash mod N would move), and the bounded-load variant.
//!
//! Determinism: every position is a SplitMix64 hash of (seed, node, vnode) and every key a
//! hash of (seed, key index), so a node keeps its positions when others join, and the same
//! seed gives the same answer on any machine and thread count (counts are summed, never
//! raced).

use super::Invalid;
use rayon::prelude::*;
use serde::Serialize;

const KEYS_PER_CHUNK: u64 = 1 << 16;
/// Largest ring (nodes × vnodes) simulated: 20 M points is ~240 MB.
pub const MAX_POINTS: u64 = 20_000_000;
/// Most keys simulated: each key is hashed and looked up once per scenario, so 100 M keys
/// take seconds on a laptop where a billion took minutes.
pub const MAX_KEYS: u64 = 100_000_000;

const VNODE_TAG: u64 = 0x7672_696e_6770_6f73; // distinct streams for positions and keys
const KEY_TAG: u64 = 0x6b65_7968_6173_6821;

/// SplitMix64's output function (Steele, Lea, Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): a bijective 64-bit mix with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Ring position of virtual node `vnode` of node `node`.
pub fn vnode_position(seed: u64, node: u32, vnode: u32) -> u64 {
    mix(mix(mix(seed ^ VNODE_TAG) ^ u64::from(node)) ^ u64::from(vnode))
}

/// Ring position of key number `key`.
pub fn key_position(seed: u64, key: u64) -> u64 {
    mix(mix(seed ^ KEY_TAG) ^ key)
}

/// The relative standard deviation of a node's share of the ring with n nodes × k random
/// virtual nodes: the share is Beta(k, nk − k), so sd/mean = sqrt((nk − k) / (k (nk + 1))),
/// about 1/sqrt(k). 10 nodes × 100 vnodes → 9.48 %.
pub fn theoretical_stddev(nodes: u32, vnodes: u32) -> f64 {
    let (n, k) = (f64::from(nodes), f64::from(vnodes));
    ((n * k - k) / (k * (n * k + 1.0))).sqrt()
}

/// The same with the sampling noise of K keys added: a node's key count is Binomial(K, share),
/// so (sd/mean)² ≈ theory² + (n − 1)/K.
pub fn theoretical_stddev_with_keys(nodes: u32, vnodes: u32, keys: u64) -> f64 {
    let t = theoretical_stddev(nodes, vnodes);
    (t * t + (f64::from(nodes) - 1.0) / keys as f64).sqrt()
}

/// Mirrokni, Thorup, Zadimoghaddam, "Consistent Hashing with Bounded Loads", SODA 2018: each
/// node takes at most ⌈(1 + ε) m / n⌉ of m keys; `bound` is 1 + ε. m = 1000, n = 10,
/// ε = 0.25 → 125.
pub fn bounded_capacity(keys: u64, nodes: u32, bound: f64) -> u64 {
    let exact = bound * keys as f64 / f64::from(nodes);
    // Guard against 125.00000000000001 from float noise.
    let r = exact.round();
    if (exact - r).abs() <= 1e-9 * r.max(1.0) {
        r as u64
    } else {
        exact.ceil() as u64
    }
}

/// One point of the ring: its position and the node that owns the arc ending at it. Kept
/// together so that a lookup touches one cache line for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Point {
    position: u64,
    owner: u32,
}

/// The sorted ring with a bucket index: the top bits of a hash pick a bucket. A bucket
/// without a point holds its owner outright (that of the first point after it), so most
/// lookups read one bucket and nothing else; a bucket with points holds the index of its
/// first point, and the lookup steps from there (about one point), instead of
/// binary-searching all of them (17 dependent cache misses on 160 000 points). There are
/// four buckets per point, rounded up to a power of two (at most [`MAX_BUCKETS`]), so most
/// buckets are empty (about 85 % for 1000 × 160 points, whose table then takes 4 MiB).
pub struct Sorted {
    points: Vec<Point>,
    /// Per bucket: `EMPTY | owner` when no point falls in it, else the index of its first
    /// point.
    buckets: Vec<u32>,
    /// 64 − log2(bucket count).
    shift: u32,
}

/// Marks a bucket entry that is an owner, not a point index (points and nodes stay below
/// 2³¹: [`MAX_POINTS`] is 2·10⁷).
const EMPTY: u32 = 1 << 31;
/// Most buckets: 2²⁴ entries, 64 MiB, for rings past four million points.
pub const MAX_BUCKETS: usize = 1 << 24;

impl Sorted {
    /// The ring of `nodes` × `vnodes` virtual nodes placed by [`vnode_position`].
    pub fn build(seed: u64, nodes: impl Iterator<Item = u32>, vnodes: u32) -> Self {
        let mut points: Vec<Point> = nodes
            .flat_map(|n| {
                (0..vnodes).map(move |v| Point {
                    position: vnode_position(seed, n, v),
                    owner: n,
                })
            })
            .collect();
        points.par_sort_unstable();
        let count = (points.len() * 4).next_power_of_two().min(MAX_BUCKETS);
        let bits = count.trailing_zeros().max(1);
        let shift = 64 - bits;
        let mut buckets = Vec::with_capacity(1 << bits);
        let mut i = 0;
        for b in 0..1u64 << bits {
            // The first point at or after the bucket's start.
            while i < points.len() && points[i].position >> shift < b {
                i += 1;
            }
            let has_point = i < points.len() && points[i].position >> shift == b;
            buckets.push(if has_point {
                i as u32
            } else {
                EMPTY | points.get(i).unwrap_or(&points[0]).owner
            });
        }
        Self {
            points,
            buckets,
            shift,
        }
    }

    /// Points on the ring.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the ring has no point.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Index of the first point at or after `h`, wrapping past the top of the ring, by
    /// bisection (the bounded-load placement needs the point, not only its owner).
    fn index(&self, h: u64) -> usize {
        let i = self.points.partition_point(|p| p.position < h);
        if i == self.points.len() { 0 } else { i }
    }

    /// The node owning hash `h`: that of the first point at or after it.
    pub fn owner(&self, h: u64) -> u32 {
        let entry = self.buckets[(h >> self.shift) as usize];
        if entry & EMPTY != 0 {
            return entry & !EMPTY;
        }
        // Points after this bucket lie above `h`, so the walk stops at the latest there.
        let mut i = entry as usize;
        while i < self.points.len() && self.points[i].position < h {
            i += 1;
        }
        self.points[if i == self.points.len() { 0 } else { i }].owner
    }

    /// Each node's fraction of the ring: a key hashing into (p[i−1], p[i]] goes to owner i.
    fn shares(&self, nodes: u32) -> Vec<f64> {
        let mut shares = vec![0.0; nodes as usize];
        let len = self.points.len();
        if len == 1 {
            shares[self.points[0].owner as usize] = 1.0;
            return shares;
        }
        for i in 0..len {
            let prev = self.points[(i + len - 1) % len].position;
            let arc = self.points[i].position.wrapping_sub(prev);
            shares[self.points[i].owner as usize] += arc as f64 / 2f64.powi(64);
        }
        shares
    }
}

/// Spread of per-node loads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Mean load.
    pub mean: f64,
    /// Smallest load.
    pub min: f64,
    /// Largest load.
    pub max: f64,
    /// max / mean.
    pub max_over_mean: f64,
    /// min / mean.
    pub min_over_mean: f64,
    /// Population standard deviation / mean, a fraction.
    pub stddev_over_mean: f64,
}

impl Spread {
    fn of(loads: &[f64]) -> Self {
        let n = loads.len() as f64;
        let mean = loads.iter().sum::<f64>() / n;
        let min = loads.iter().copied().fold(f64::INFINITY, f64::min);
        let max = loads.iter().copied().fold(0.0, f64::max);
        let var = loads.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n;
        Self {
            mean,
            min,
            max,
            max_over_mean: max / mean,
            min_over_mean: min / mean,
            stddev_over_mean: var.sqrt() / mean,
        }
    }
}

/// Keys moved by a membership change.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Moves {
    /// Nodes added (or removed).
    pub nodes: u32,
    /// Keys whose owner changed on the ring.
    pub keys_moved: u64,
    /// keys_moved / K.
    pub fraction: f64,
    /// The least any scheme must move: A/(n + A) on adding A, R/n on removing R.
    pub ideal_fraction: f64,
    /// What hash mod N moves for the same change, measured on the same keys.
    pub hash_mod_n_fraction: f64,
}

/// The bounded-load variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bounded {
    /// 1 + ε.
    pub bound: f64,
    /// ⌈(1 + ε) K / n⌉ keys per node.
    pub capacity: u64,
    /// Spread of the resulting loads.
    pub load: Spread,
    /// Keys placed past their first choice because it was full, as a fraction of K.
    pub forwarded_fraction: f64,
    /// Keys per node.
    pub loads: Vec<u64>,
}

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// Physical nodes n.
    pub nodes: u32,
    /// Virtual nodes per physical node v.
    pub vnodes: u32,
    /// Keys K.
    pub keys: u64,
    /// Hash seed.
    pub seed: u64,
    /// Nodes to add for the "keys moved" figure.
    pub add: u32,
    /// Nodes to remove (the highest-numbered ones) for the "keys moved" figure.
    pub remove: u32,
    /// 1 + ε for the bounded-load variant, when wanted.
    pub bound: Option<f64>,
}

/// The result of a simulation.
///
/// Load: each key goes to the first virtual node clockwise from its hash (Karger et al.,
/// "Consistent hashing and random trees", STOC 1997). The spread is compared with the theory
/// sqrt((nk − k)/(k(nk + 1))) for the share of the ring, and with that plus the key-sampling
/// noise (n − 1)/K for the key counts. Adding A nodes ideally moves A/(n + A) of the keys
/// (Lamping & Veach, 2014); hash mod N moves most of them (n → n + 1: n/(n + 1); 3 → 4: 75 %).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// What was simulated.
    pub params: Params,
    /// Spread of the key counts.
    pub load: Spread,
    /// Spread of the ring shares (no key sampling noise).
    pub share: Spread,
    /// sqrt((nk − k)/(k(nk + 1))).
    pub theory_stddev_over_mean: f64,
    /// The theory with key sampling noise added.
    pub theory_with_keys_stddev_over_mean: f64,
    /// Keys per node, by node number.
    pub loads: Vec<u64>,
    /// On adding `add` nodes, when add > 0.
    pub added: Option<Moves>,
    /// On removing `remove` nodes, when remove > 0.
    pub removed: Option<Moves>,
    /// The bounded-load variant, when a bound is given.
    pub bounded: Option<Bounded>,
}

/// Units of work [`simulate`] reports through its progress callback.
pub fn work(params: &Params) -> u64 {
    params.keys * if params.bound.is_some() { 2 } else { 1 }
}

fn check(params: &Params) -> Result<(), Invalid> {
    if params.nodes == 0 {
        return Err(Invalid::new(
            "nodes",
            0,
            "a ring needs at least one node",
            "a node count of at least 1, e.g. 100",
        ));
    }
    if params.vnodes == 0 {
        return Err(Invalid::new(
            "vnodes",
            0,
            "each node needs at least one position",
            "virtual nodes per node of at least 1, e.g. 100 to 1000",
        ));
    }
    let points = (u64::from(params.nodes) + u64::from(params.add)) * u64::from(params.vnodes);
    if points > MAX_POINTS {
        return Err(Invalid::new(
            "vnodes",
            params.vnodes,
            format!(
                "(nodes + add) × vnodes = {points} ring points is more than the {MAX_POINTS} simulated"
            ),
            format!("nodes × vnodes up to {MAX_POINTS}"),
        ));
    }
    if params.keys == 0 || params.keys > MAX_KEYS {
        return Err(Invalid::new(
            "keys",
            params.keys,
            "the key count is out of range",
            format!("from 1 to {MAX_KEYS} keys, e.g. 1M"),
        ));
    }
    if params.remove >= params.nodes {
        return Err(Invalid::new(
            "remove",
            params.remove,
            format!("removing it would leave no node of {}", params.nodes),
            format!("fewer than --nodes ({})", params.nodes),
        ));
    }
    if let Some(b) = params.bound
        && !(b.is_finite() && b >= 1.0)
    {
        return Err(Invalid::new(
            "bound",
            b,
            "the bound is 1 + ε and ε cannot be negative",
            "a factor of at least 1, e.g. 1.25 (ε = 0.25)",
        ));
    }
    Ok(())
}

#[derive(Clone)]
struct Tally {
    loads: Vec<u64>,
    moved_add: u64,
    moved_remove: u64,
    mod_add: u64,
    mod_remove: u64,
}

impl Tally {
    fn new(nodes: u32) -> Self {
        Self {
            loads: vec![0; nodes as usize],
            moved_add: 0,
            moved_remove: 0,
            mod_add: 0,
            mod_remove: 0,
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        for (a, b) in self.loads.iter_mut().zip(other.loads) {
            *a += b;
        }
        self.moved_add += other.moved_add;
        self.moved_remove += other.moved_remove;
        self.mod_add += other.mod_add;
        self.mod_remove += other.mod_remove;
        self
    }
}

/// Runs the simulation. `progress` receives units of work as they finish (see [`work`]); it
/// is called from several threads.
pub fn simulate(params: Params, progress: &(dyn Fn(u64) + Sync)) -> Result<Report, Invalid> {
    check(&params)?;
    let Params {
        nodes,
        vnodes,
        keys,
        seed,
        add,
        remove,
        ..
    } = params;
    let base = Sorted::build(seed, 0..nodes, vnodes);
    let grown = (add > 0).then(|| Sorted::build(seed, 0..nodes + add, vnodes));
    let shrunk = (remove > 0).then(|| Sorted::build(seed, 0..nodes - remove, vnodes));
    let (n, n_add, n_remove) = (
        u64::from(nodes),
        u64::from(nodes + add),
        u64::from(nodes - remove),
    );

    let chunks = keys.div_ceil(KEYS_PER_CHUNK);
    let tally = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut t = Tally::new(nodes);
            let start = c * KEYS_PER_CHUNK;
            let end = (start + KEYS_PER_CHUNK).min(keys);
            for key in start..end {
                let h = key_position(seed, key);
                let owner = base.owner(h);
                t.loads[owner as usize] += 1;
                if let Some(g) = &grown {
                    t.moved_add += u64::from(g.owner(h) != owner);
                    t.mod_add += u64::from(h % n != h % n_add);
                }
                if let Some(s) = &shrunk {
                    t.moved_remove += u64::from(s.owner(h) != owner);
                    t.mod_remove += u64::from(h % n != h % n_remove);
                }
            }
            progress(end - start);
            t
        })
        .reduce(|| Tally::new(nodes), Tally::merge);

    let kf = keys as f64;
    let loads_f: Vec<f64> = tally.loads.iter().map(|&l| l as f64).collect();
    let moves = |count: u32, moved: u64, modn: u64, ideal: f64| Moves {
        nodes: count,
        keys_moved: moved,
        fraction: moved as f64 / kf,
        ideal_fraction: ideal,
        hash_mod_n_fraction: modn as f64 / kf,
    };
    let bounded = params
        .bound
        .map(|b| bounded_loads(&base, nodes, vnodes, keys, seed, b, progress));
    Ok(Report {
        params,
        load: Spread::of(&loads_f),
        share: Spread::of(&base.shares(nodes)),
        theory_stddev_over_mean: theoretical_stddev(nodes, vnodes),
        theory_with_keys_stddev_over_mean: theoretical_stddev_with_keys(nodes, vnodes, keys),
        loads: tally.loads,
        added: (add > 0).then(|| {
            moves(
                add,
                tally.moved_add,
                tally.mod_add,
                f64::from(add) / f64::from(nodes + add),
            )
        }),
        removed: (remove > 0).then(|| {
            moves(
                remove,
                tally.moved_remove,
                tally.mod_remove,
                f64::from(remove) / f64::from(nodes),
            )
        }),
        bounded,
    })
}

/// Places keys in index order, each on the first node clockwise from its hash that is below
/// capacity. Full nodes are skipped with a "next free point" union-find over ring indices, so
/// a bound of exactly 1 does not walk the ring for every late key.
fn bounded_loads(
    ring: &Sorted,
    nodes: u32,
    vnodes: u32,
    keys: u64,
    seed: u64,
    bound: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Bounded {
    let capacity = bounded_capacity(keys, nodes, bound);
    let len = ring.points.len();
    let mut points_of: Vec<Vec<u32>> = vec![Vec::with_capacity(vnodes as usize); nodes as usize];
    for (i, p) in ring.points.iter().enumerate() {
        points_of[p.owner as usize].push(i as u32);
    }
    // next[i] leads to the first usable index ≥ i; index len is a sentinel meaning "wrap".
    let mut next: Vec<u32> = (0..=len as u32).collect();
    fn find(next: &mut [u32], mut i: usize) -> usize {
        while next[i] as usize != i {
            let parent = next[i] as usize;
            next[i] = next[parent];
            i = parent;
        }
        i
    }
    let mut loads = vec![0u64; nodes as usize];
    let mut forwarded = 0u64;
    let mut done = 0;
    for key in 0..keys {
        let first = ring.index(key_position(seed, key));
        let mut i = find(&mut next, first);
        if i == len {
            i = find(&mut next, 0);
        }
        forwarded += u64::from(i != first);
        let owner = ring.points[i].owner as usize;
        loads[owner] += 1;
        if loads[owner] == capacity {
            for &p in &points_of[owner] {
                next[p as usize] = p + 1;
            }
        }
        done += 1;
        if done == KEYS_PER_CHUNK || key + 1 == keys {
            progress(done);
            done = 0;
        }
    }
    let loads_f: Vec<f64> = loads.iter().map(|&l| l as f64).collect();
    Bounded {
        bound,
        capacity,
        load: Spread::of(&loads_f),
        forwarded_fraction: forwarded as f64 / keys as f64,
        loads,
    }
}

/// A per-node load bar chart as SVG: one bar per node, the mean, and the bounded-load
/// capacity when simulated. Plotters' SVG backend only; the caller writes the text.
pub fn plot_svg(report: &Report) -> Result<String, String> {
    use plotters::prelude::*;
    let n = report.loads.len();
    let top = report
        .loads
        .iter()
        .copied()
        .chain(report.bounded.as_ref().map(|b| b.capacity))
        .max()
        .unwrap_or(1) as f64
        * 1.3;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Keys per node: {} nodes x {} vnodes, {} keys",
                    report.params.nodes, report.params.vnodes, report.params.keys
                ),
                ("sans-serif", 20),
            )
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("node")
            .y_desc("keys")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(report.loads.iter().enumerate().map(|(i, &l)| {
                let x = i as f64;
                Rectangle::new(
                    [(x + 0.1, 0.0), (x + 0.9, l as f64)],
                    BLUE.mix(0.7).filled(),
                )
            }))
            .map_err(|e| e.to_string())?
            .label("keys on the ring")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], BLUE.mix(0.7).filled()));
        let mean = report.load.mean;
        chart
            .draw_series(LineSeries::new(
                [(-0.5, mean), (n as f64 - 0.5, mean)],
                BLACK.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(format!("mean {mean:.0}"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        if let Some(b) = &report.bounded {
            let cap = b.capacity as f64;
            chart
                .draw_series(DashedLineSeries::new(
                    [(-0.5, cap), (n as f64 - 0.5, cap)],
                    6,
                    4,
                    RED.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(format!("bounded-load capacity {}", b.capacity))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn params(nodes: u32, vnodes: u32, keys: u64) -> Params {
        Params {
            nodes,
            vnodes,
            keys,
            seed: 1,
            add: 1,
            remove: 1,
            bound: None,
        }
    }

    fn quiet(_: u64) {}

    #[test]
    fn theory_for_ten_nodes_of_a_hundred_vnodes_is_9_48_percent() {
        let t = theoretical_stddev(10, 100);
        assert!((t - (900.0f64 / 100_100.0).sqrt()).abs() < 1e-15);
        assert!((t - 0.0948).abs() < 5e-5, "{t}");
    }

    #[test]
    fn bounded_capacity_of_a_thousand_keys_on_ten_nodes_at_1_25_is_125() {
        assert_eq!(bounded_capacity(1000, 10, 1.25), 125);
        assert_eq!(bounded_capacity(1001, 10, 1.25), 126);
    }

    #[test]
    fn simulated_share_spread_is_near_the_theory() {
        // Average over seeds: one ring's spread is itself a noisy estimate.
        let runs = 20;
        let mut sum = 0.0;
        for seed in 0..runs {
            let mut p = params(10, 100, 1);
            p.seed = seed;
            sum += simulate(p, &quiet).unwrap().share.stddev_over_mean;
        }
        let mean = sum / runs as f64;
        let t = theoretical_stddev(10, 100);
        assert!((mean - t).abs() < 0.15 * t, "mean {mean} vs theory {t}");
    }

    #[test]
    fn shares_sum_to_one_and_loads_sum_to_the_keys() {
        let r = simulate(params(7, 20, 10_000), &quiet).unwrap();
        assert!((r.share.mean * 7.0 - 1.0).abs() < 1e-12);
        assert_eq!(r.loads.iter().sum::<u64>(), 10_000);
    }

    #[test]
    fn the_same_seed_gives_the_same_report() {
        let mut p = params(5, 10, 50_000);
        p.bound = Some(1.25);
        let a = simulate(p, &quiet).unwrap();
        assert_eq!(a, simulate(p, &quiet).unwrap());
        p.seed = 2;
        assert_ne!(a.loads, simulate(p, &quiet).unwrap().loads);
    }

    #[test]
    fn bounded_loads_never_exceed_the_capacity() {
        let mut p = params(10, 10, 100_000);
        p.bound = Some(1.1);
        let r = simulate(p, &quiet).unwrap();
        let b = r.bounded.unwrap();
        assert_eq!(b.capacity, 11_000);
        assert!(b.loads.iter().all(|&l| l <= 11_000));
        assert_eq!(b.loads.iter().sum::<u64>(), 100_000);
        assert!(b.load.max_over_mean <= 1.1 + 1e-12);
        // A bound of exactly 1 fills every node to the mean.
        p.bound = Some(1.0);
        let b = simulate(p, &quiet).unwrap().bounded.unwrap();
        assert!(b.loads.iter().all(|&l| l == 10_000));
    }

    #[test]
    fn hash_mod_n_moves_most_keys_and_the_ring_few() {
        let mut p = params(3, 100, 200_000);
        p.remove = 0;
        let r = simulate(p, &quiet).unwrap();
        let a = r.added.unwrap();
        assert!((a.hash_mod_n_fraction - 0.75).abs() < 0.01, "{a:?}");
        assert!((a.fraction - 0.25).abs() < 0.05, "{a:?}");
    }

    #[test]
    fn progress_counts_every_unit_of_work() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let seen = AtomicU64::new(0);
        let mut p = params(4, 4, 200_000);
        p.bound = Some(1.5);
        simulate(p, &|n| {
            seen.fetch_add(n, Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(seen.load(Ordering::Relaxed), work(&p));
    }

    #[test]
    fn refuses_removing_every_node_and_a_bound_below_one() {
        let mut p = params(2, 1, 10);
        p.remove = 2;
        assert_eq!(simulate(p, &quiet).unwrap_err().input, "remove");
        let mut p = params(2, 1, 10);
        p.bound = Some(0.9);
        assert_eq!(simulate(p, &quiet).unwrap_err().input, "bound");
        assert_eq!(
            simulate(params(0, 1, 10), &quiet).unwrap_err().input,
            "nodes"
        );
        assert_eq!(simulate(params(2, 1, 0), &quiet).unwrap_err().input, "keys");
    }

    #[test]
    fn plots_one_bar_per_node() {
        let mut p = params(6, 10, 1000);
        p.bound = Some(1.25);
        let svg = plot_svg(&simulate(p, &quiet).unwrap()).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("bounded-load capacity 209"), "{svg}");
    }

    /// The owner by bisection over all points: the ring before the bucket index.
    fn bisect(ring: &Sorted, h: u64) -> u32 {
        let i = ring.points.partition_point(|p| p.position < h);
        ring.points[if i == ring.points.len() { 0 } else { i }].owner
    }

    #[test]
    fn the_bucket_index_finds_what_bisection_finds_at_the_edges() {
        for (nodes, vnodes) in [(1, 1), (1, 2), (3, 1), (7, 13), (100, 160)] {
            let ring = Sorted::build(9, 0..nodes, vnodes);
            let mut probes = vec![0, 1, u64::MAX, u64::MAX - 1, 1 << 63];
            for p in &ring.points {
                probes.extend([
                    p.position.wrapping_sub(1),
                    p.position,
                    p.position.wrapping_add(1),
                ]);
            }
            for h in probes {
                assert_eq!(ring.owner(h), bisect(&ring, h), "{nodes}x{vnodes} at {h}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn the_bucket_index_finds_what_bisection_finds(
            nodes in 1u32..300, vnodes in 1u32..50, seed in any::<u64>(),
            hashes in proptest::collection::vec(any::<u64>(), 1..200),
        ) {
            let ring = Sorted::build(seed, 0..nodes, vnodes);
            for h in hashes {
                prop_assert_eq!(ring.owner(h), bisect(&ring, h));
            }
        }

        #[test]
        fn keys_moved_on_adding_a_node_is_near_the_ideal(
            nodes in 2u32..20, seed in 0u64..1000,
        ) {
            let p = Params { nodes, vnodes: 200, keys: 20_000, seed, add: 1, remove: 1, bound: None };
            let r = simulate(p, &|_| {}).unwrap();
            let a = r.added.unwrap();
            // Only keys that land on the new node move; with 200 vnodes its share is within
            // a few standard deviations (≈ 1/sqrt(200) ≈ 7 %) of the ideal.
            prop_assert!((a.fraction - a.ideal_fraction).abs() < 0.35 * a.ideal_fraction + 0.005, "{:?}", a);
            let d = r.removed.unwrap();
            prop_assert!((d.fraction - d.ideal_fraction).abs() < 0.35 * d.ideal_fraction + 0.005, "{:?}", d);
        }
    }
}

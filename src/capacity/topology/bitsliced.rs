//! The bit-sliced Monte Carlo engine: 64 trials per `u64` word, a topology compiled into a
//! straight-line program over word registers.
//!
//! # Words and blocks
//!
//! Bit `j` of a component's word is 1 when that component is **down** in trial `j`. The
//! engine works on blocks of [`BLOCK`] words ([`BLOCK_TRIALS`] trials): every instruction of
//! the program reads and writes whole blocks, so its inner loop is a fixed-length loop over
//! `[u64; BLOCK]` that the compiler vectorises, and the instruction dispatch is paid once per
//! block, not once per trial.
//!
//! # The program
//!
//! [`Engine::new`] flattens the group tree once. In failure space a series group is down when
//! any child is down (OR), a parallel group when every child is (AND), and a k-of-n group of
//! `n` children when at least `m = n − k + 1` are down. The k-of-n threshold is computed
//! bit-parallel: with `min(m, n − m + 1) ≤ 3` by "at least j so far" accumulators (about
//! `2·min` gates per child), otherwise by a carry-save adder tree that sums the children into
//! a binary count (five gates per full adder, about one full adder per child) followed by a
//! comparison with `m`. A shared component is sampled once per block into a register and
//! that register is read wherever the component is used, so its failures hit every branch
//! at once, as they should. Registers are reused once their value is dead (linear scan), so
//! a million-component topology needs registers for the live values only.
//!
//! # Sampling a component's block
//!
//! * **Dense** (the rarer outcome has probability at least [`SPARSE_BELOW`]): the binary
//!   expansion of the unavailability `u`. A lane is down when a uniform `U = 0.r₁r₂…` is
//!   below `u = 0.p₁p₂…`; the random words `r₁, r₂, …` are compared with the bits of `u`
//!   from the most significant, and a lane is decided at the first position where its `rᵢ`
//!   differs from `pᵢ`. The loop stops as soon as all 64 lanes are decided (about
//!   `log₂ 64 + 1.3 ≈ 7.3` random words on average, whatever `u`), or when the bits of `u`
//!   run out (the undecided lanes then have `U ≥ u`). Every bit of the double `u` is used, so
//!   a lane is down with probability **exactly** the double-precision value of `u`, down to
//!   `2⁻¹⁰⁰⁰` (smaller probabilities count as never; no run could see them).
//! * **Sparse** (the rarer outcome has probability `q` below [`SPARSE_BELOW`], e.g. a
//!   component with 99.9 % availability): the trials at which the rarer outcome happens are
//!   drawn directly as geometric gaps, `G = ⌊ln V / ln(1 − q)⌋` with `V` uniform on
//!   `(0, 1]` in steps of `2⁻⁵³`, and only those bits are set. The gaps of a Bernoulli
//!   sequence are exactly geometric, so this is the same distribution as the dense
//!   sampler's, computed in double precision (relative error about 1e-15 on `P(G ≥ g)`,
//!   tail beyond `2⁻⁵³` cut), at the cost of one random word and one logarithm per
//!   **event** rather than seven random words per 64 trials. A component down one time in
//!   a thousand costs about 0.06 logarithms per word instead of 7 random words.
//!
//! # Streams
//!
//! Trials are grouped in chunks of [`CHUNK_TRIALS`]. Chunk `c` of a run with seed `s` draws
//! from its own Xoshiro256++ stream, seeded by SplitMix64 from a mix of `s` and `c`, so a
//! chunk's failures depend only on `(s, c)`: the total is the same whichever thread runs
//! which chunk, and a longer run extends a shorter one.

use super::{Node, Topology};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Words per block.
pub const BLOCK: usize = 64;
/// Trials per block.
pub const BLOCK_TRIALS: u64 = 64 * BLOCK as u64;
/// Trials per chunk, the unit of parallel work with its own random stream. Fixed: changing
/// it changes every result for a seed.
pub const CHUNK_TRIALS: u64 = 1 << 16;
/// Below this probability of the rarer outcome a component is sampled sparsely (geometric
/// gaps), at or above it densely (binary expansion). Both draw from the same distribution,
/// so the choice only moves speed. Measured on the development machine (ten components in
/// parallel, one core): the dense sampler does about 4.3e9 component-trials per second
/// whatever the probability; the sparse one 2.0e10 at q = 0.005, 6.3e9 at 0.02, 3.1e9 at
/// 0.04 and 1.3e9 at 0.1.
pub const SPARSE_BELOW: f64 = 1.0 / 32.0;

/// One block of words: 64 × [`BLOCK`] trials.
type Block = [u64; BLOCK];

/// How one component's down bits are drawn.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Sampler {
    /// Never down (`u = 0`, or below `2⁻¹⁰⁰⁰`).
    Never,
    /// Always down (`u = 1`, only reachable from tests: validation keeps `u < 1`).
    Always,
    /// Binary expansion of `u`, most significant bit first.
    Dense(Expansion),
    /// Geometric gaps between the rarer outcome's trials.
    Sparse {
        /// `1 / ln(1 − q)` for the rarer outcome's probability `q`.
        inverse_log: f64,
        /// True when the rarer outcome is "up" (`u > 1/2`): the set bits are then ups.
        up: bool,
    },
}

/// The binary expansion of a probability in `(0, 1)`: `zeros` zero bits after the point,
/// then the significant bits of `mantissa` from its most significant bit.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Expansion {
    zeros: u32,
    mantissa: u64,
}

impl Expansion {
    /// The exact expansion of `p`, or `None` when `p` is below `2⁻¹⁰⁰⁰` (never) or not
    /// below 1.
    fn new(p: f64) -> Option<Self> {
        if !(p >= f64::powi(2.0, -1000) && p < 1.0) {
            return None;
        }
        // p = 1.f × 2^e with e ≤ −1: positions 1 … −e−1 after the point are 0, position −e
        // holds the implicit leading 1, then the 52 fraction bits.
        let bits = p.to_bits();
        let e = ((bits >> 52) & 0x7ff) as i32 - 1023;
        let fraction = bits & ((1 << 52) - 1);
        Some(Expansion {
            zeros: (-e - 1) as u32,
            mantissa: ((1 << 52) | fraction) << 11,
        })
    }

    /// A word whose every bit is 1 with probability `p`, independently.
    #[inline]
    fn word(&self, rng: &mut Source) -> u64 {
        // Lanes still equal to p's prefix. A lane leaves when its random bit differs from
        // p's bit: below p (set) where p has a 1 and the lane a 0, above p where p has a 0
        // and the lane a 1. A uniform bit and its complement have the same law, so the code
        // uses whichever spares an instruction.
        let mut undecided = !0u64;
        for _ in 0..self.zeros {
            undecided &= rng.word();
            if undecided == 0 {
                return 0;
            }
        }
        let mut below = 0u64;
        let mut rest = self.mantissa;
        while rest != 0 {
            let r = rng.word();
            if rest >> 63 == 1 {
                below |= undecided & r;
                undecided &= !r;
            } else {
                undecided &= r;
            }
            if undecided == 0 {
                break;
            }
            rest <<= 1;
        }
        below
    }
}

impl Sampler {
    /// The cheaper exact sampler for a component down with probability `u` (up with `a`).
    pub(super) fn new(u: f64, a: f64) -> Self {
        if u <= 0.0 {
            return Sampler::Never;
        }
        if a <= 0.0 {
            return Sampler::Always;
        }
        let (q, up) = if u <= a { (u, false) } else { (a, true) };
        if q < SPARSE_BELOW {
            Sampler::Sparse {
                inverse_log: 1.0 / (-q).ln_1p(),
                up,
            }
        } else {
            Sampler::dense(u)
        }
    }

    /// The binary-expansion sampler whatever `u` (tests compare it with the sparse one).
    pub(super) fn dense(u: f64) -> Self {
        match Expansion::new(u) {
            Some(e) => Sampler::Dense(e),
            None if u >= 1.0 => Sampler::Always,
            None => Sampler::Never,
        }
    }

    /// The geometric-gap sampler whatever `u` in (0, 1).
    #[cfg(test)]
    pub(super) fn sparse(u: f64) -> Self {
        Sampler::Sparse {
            inverse_log: 1.0 / (-u).ln_1p(),
            up: false,
        }
    }

    /// Position (trial index in the chunk) of the first sparse event, drawn at chunk start.
    #[inline]
    fn first(&self, rng: &mut Source) -> u64 {
        match self {
            Sampler::Sparse { inverse_log, .. } => rng.gap(*inverse_log),
            _ => 0,
        }
    }

    /// Fills `out` with the down bits of the block starting at trial `start` of the chunk;
    /// `next` is this component's sparse state (next event position).
    #[inline]
    fn fill(&self, out: &mut Block, start: u64, next: &mut u64, rng: &mut Source) {
        match self {
            Sampler::Never => *out = [0; BLOCK],
            Sampler::Always => *out = [!0; BLOCK],
            Sampler::Dense(e) => {
                for w in out.iter_mut() {
                    *w = e.word(rng);
                }
            }
            Sampler::Sparse { inverse_log, up } => {
                *out = [0; BLOCK];
                let end = start + BLOCK_TRIALS;
                while *next < end {
                    let at = *next - start;
                    out[(at >> 6) as usize] |= 1 << (at & 63);
                    *next = next.saturating_add(1).saturating_add(rng.gap(*inverse_log));
                }
                if *up {
                    for w in out.iter_mut() {
                        *w = !*w;
                    }
                }
            }
        }
    }
}

/// Exponential variates drawn ahead, in batches of this many.
const POOL: usize = 64;

/// The random source of one chunk: its Xoshiro256++ stream, and logarithms `ln V` of
/// uniforms drawn from it in batches. Sparse sampling needs one logarithm per event; one at
/// a time, each waits on the previous one's result, while a batch of independent
/// logarithms overlaps in the processor (20 % faster on three-tier). They are used in
/// order, so the result is as deterministic as the stream.
pub(super) struct Source {
    rng: Xoshiro256PlusPlus,
    pool: [f64; POOL],
    used: usize,
}

impl Source {
    /// The source of chunk `chunk` of a run seeded with `seed`.
    pub(super) fn new(seed: u64, chunk: u64) -> Self {
        Source {
            rng: stream(seed, chunk),
            pool: [0.0; POOL],
            used: POOL,
        }
    }

    /// 64 uniform random bits.
    #[inline]
    fn word(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A geometric gap: the number of trials before the next event of probability `q`,
    /// with `inverse_log = 1 / ln(1 − q)`: `⌊ln V / ln(1 − q)⌋` for `V` uniform on `(0, 1]`.
    #[inline]
    fn gap(&mut self, inverse_log: f64) -> u64 {
        if self.used == POOL {
            self.refill();
        }
        let e = self.pool[self.used];
        self.used += 1;
        // Both factors are ≤ 0; `as` floors a non-negative value and saturates a huge one.
        (e * inverse_log) as u64
    }

    #[inline(never)]
    fn refill(&mut self) {
        for e in self.pool.iter_mut() {
            // V in (0, 1] on a grid of 2^-53, so ln V is finite.
            let v = ((self.rng.next_u64() >> 11) + 1) as f64 * f64::powi(2.0, -53);
            *e = v.ln();
        }
        self.used = 0;
    }
}

/// The random stream of chunk `chunk` of a run seeded with `seed`.
pub(super) fn stream(seed: u64, chunk: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ mix(chunk ^ 0x6a09_e667_f3bc_c909)))
}

/// The SplitMix64 finaliser (Steele, Lea and Flood 2014): a bijection of u64 that spreads
/// nearby inputs apart.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One instruction over block registers (indices into the register file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Draw component sampler `sampler`'s block into `dst`.
    Sample { dst: u32, sampler: u32 },
    /// `dst = a & b`.
    And { dst: u32, a: u32, b: u32 },
    /// `dst = a | b`.
    Or { dst: u32, a: u32, b: u32 },
    /// `dst = a ^ b`.
    Xor { dst: u32, a: u32, b: u32 },
    /// `dst = a & !b`.
    AndNot { dst: u32, a: u32, b: u32 },
    /// `dst = a | !b`.
    OrNot { dst: u32, a: u32, b: u32 },
    /// `dst = !a`.
    Not { dst: u32, a: u32 },
    /// `dst` = every word `word` (a constant: all zeros or all ones).
    Fill { dst: u32, word: u64 },
}

impl Op {
    fn dst(&self) -> u32 {
        match *self {
            Op::Sample { dst, .. }
            | Op::And { dst, .. }
            | Op::Or { dst, .. }
            | Op::Xor { dst, .. }
            | Op::AndNot { dst, .. }
            | Op::OrNot { dst, .. }
            | Op::Not { dst, .. }
            | Op::Fill { dst, .. } => dst,
        }
    }

    fn operands(&self) -> (Option<u32>, Option<u32>) {
        match *self {
            Op::Sample { .. } | Op::Fill { .. } => (None, None),
            Op::Not { a, .. } => (Some(a), None),
            Op::And { a, b, .. }
            | Op::Or { a, b, .. }
            | Op::Xor { a, b, .. }
            | Op::AndNot { a, b, .. }
            | Op::OrNot { a, b, .. } => (Some(a), Some(b)),
        }
    }

    fn map(self, f: impl Fn(u32) -> u32) -> Op {
        match self {
            Op::Sample { dst, sampler } => Op::Sample {
                dst: f(dst),
                sampler,
            },
            Op::And { dst, a, b } => Op::And {
                dst: f(dst),
                a: f(a),
                b: f(b),
            },
            Op::Or { dst, a, b } => Op::Or {
                dst: f(dst),
                a: f(a),
                b: f(b),
            },
            Op::Xor { dst, a, b } => Op::Xor {
                dst: f(dst),
                a: f(a),
                b: f(b),
            },
            Op::AndNot { dst, a, b } => Op::AndNot {
                dst: f(dst),
                a: f(a),
                b: f(b),
            },
            Op::OrNot { dst, a, b } => Op::OrNot {
                dst: f(dst),
                a: f(a),
                b: f(b),
            },
            Op::Not { dst, a } => Op::Not {
                dst: f(dst),
                a: f(a),
            },
            Op::Fill { dst, word } => Op::Fill { dst: f(dst), word },
        }
    }
}

/// Builds the program in single-assignment form (every op writes a fresh value).
struct Builder {
    ops: Vec<Op>,
    values: u32,
    /// The value holding each shared component, once sampled.
    shared: Vec<Option<u32>>,
    /// The value holding each group, once compiled: a shared subsystem (a group several
    /// groups use) is computed once per block and read by every parent.
    groups: Vec<Option<u32>>,
}

impl Builder {
    fn fresh(&mut self) -> u32 {
        self.values += 1;
        self.values - 1
    }

    fn sample(&mut self, sampler: usize) -> u32 {
        let dst = self.fresh();
        self.ops.push(Op::Sample {
            dst,
            sampler: sampler as u32,
        });
        dst
    }

    fn gate(&mut self, make: impl FnOnce(u32) -> Op) -> u32 {
        let dst = self.fresh();
        self.ops.push(make(dst));
        dst
    }

    fn and(&mut self, a: u32, b: u32) -> u32 {
        self.gate(|dst| Op::And { dst, a, b })
    }

    fn or(&mut self, a: u32, b: u32) -> u32 {
        self.gate(|dst| Op::Or { dst, a, b })
    }

    fn xor(&mut self, a: u32, b: u32) -> u32 {
        self.gate(|dst| Op::Xor { dst, a, b })
    }

    fn and_not(&mut self, a: u32, b: u32) -> u32 {
        self.gate(|dst| Op::AndNot { dst, a, b })
    }

    fn or_not(&mut self, a: u32, b: u32) -> u32 {
        self.gate(|dst| Op::OrNot { dst, a, b })
    }

    fn not(&mut self, a: u32) -> u32 {
        self.gate(|dst| Op::Not { dst, a })
    }

    fn constant(&mut self, set: bool) -> u32 {
        let word = if set { !0 } else { 0 };
        self.gate(|dst| Op::Fill { dst, word })
    }

    /// The down bits of `node`.
    fn node(&mut self, t: &Topology, node: Node) -> u32 {
        match node {
            Node::Component(c) if t.components[c].is_shared() => match self.shared[c] {
                Some(v) => v,
                None => {
                    let v = self.sample(c);
                    self.shared[c] = Some(v);
                    v
                }
            },
            Node::Component(c) => self.sample(c),
            Node::Group(g) if self.groups[g].is_some() => self.groups[g].unwrap_or_default(),
            Node::Group(g) => {
                let group = &t.groups[g];
                let n = group.children.len();
                let m = n - group.kind.needed(n) + 1;
                let mut counter = Threshold::new(n, m);
                for &child in &group.children {
                    let v = self.node(t, child);
                    counter.push(self, v);
                }
                let v = counter.finish(self);
                self.groups[g] = Some(v);
                v
            }
        }
    }
}

/// A streaming "at least `m` of the `n` inputs are set" circuit: inputs are pushed one by
/// one as they are compiled, so only O(m) or O(log n) values stay live.
enum Threshold {
    /// At least one: OR of the inputs.
    Any(Option<u32>),
    /// All of them: AND of the inputs.
    All(Option<u32>),
    /// `at_least[j]` = at least `j + 1` of the inputs so far are set (or, with `invert`,
    /// clear); `None` while it is still all-zero.
    Accumulate {
        at_least: Vec<Option<u32>>,
        invert: bool,
        left: usize,
    },
    /// Carry-save adder tree: `levels[w]` holds up to two pending bits of weight 2^w.
    Adder { levels: Vec<Vec<u32>>, m: usize },
}

/// Largest `min(m, n − m + 1)` done with accumulators rather than an adder tree.
const ACCUMULATE_UP_TO: usize = 3;

impl Threshold {
    fn new(n: usize, m: usize) -> Self {
        if m <= 1 {
            Threshold::Any(None)
        } else if m >= n {
            Threshold::All(None)
        } else if m <= ACCUMULATE_UP_TO {
            Threshold::Accumulate {
                at_least: vec![None; m],
                invert: false,
                left: n,
            }
        } else if n - m < ACCUMULATE_UP_TO {
            // At least m set ⇔ not (at least n − m + 1 clear).
            Threshold::Accumulate {
                at_least: vec![None; n - m + 1],
                invert: true,
                left: n,
            }
        } else {
            Threshold::Adder {
                levels: Vec::new(),
                m,
            }
        }
    }

    fn push(&mut self, b: &mut Builder, x: u32) {
        match self {
            Threshold::Any(acc) => *acc = Some(acc.map_or(x, |a| b.or(a, x))),
            Threshold::All(acc) => *acc = Some(acc.map_or(x, |a| b.and(a, x))),
            Threshold::Accumulate {
                at_least,
                invert,
                left,
            } => {
                // After this input `left − 1` remain: a count j + 1 that cannot reach the
                // threshold any more need not be kept.
                *left -= 1;
                let need = at_least.len();
                for j in (0..need).rev() {
                    if j + 1 + *left < need {
                        break;
                    }
                    let from_below = if j == 0 {
                        Some(x)
                    } else {
                        at_least[j - 1].map(|lower| {
                            if *invert {
                                b.and_not(lower, x)
                            } else {
                                b.and(lower, x)
                            }
                        })
                    };
                    at_least[j] = match (at_least[j], from_below) {
                        (acc, None) => acc,
                        (None, Some(v)) if j == 0 && *invert => Some(b.not(v)),
                        (None, Some(v)) => Some(v),
                        (Some(acc), Some(v)) if j == 0 && *invert => Some(b.or_not(acc, v)),
                        (Some(acc), Some(v)) => Some(b.or(acc, v)),
                    };
                }
            }
            Threshold::Adder { levels, .. } => {
                let mut carry = Some(x);
                let mut w = 0;
                while let Some(bit) = carry.take() {
                    if levels.len() == w {
                        levels.push(Vec::new());
                    }
                    levels[w].push(bit);
                    if levels[w].len() == 3 {
                        let (s, c) = full_add(b, levels[w][0], levels[w][1], levels[w][2]);
                        levels[w] = vec![s];
                        carry = Some(c);
                    }
                    w += 1;
                }
            }
        }
    }

    fn finish(self, b: &mut Builder) -> u32 {
        match self {
            // No input: "at least one of none" is false, "all of none" is true.
            Threshold::Any(acc) => acc.unwrap_or_else(|| b.constant(false)),
            Threshold::All(acc) => acc.unwrap_or_else(|| b.constant(true)),
            Threshold::Accumulate {
                at_least, invert, ..
            } => match (at_least[at_least.len() - 1], invert) {
                (Some(v), false) => v,
                (Some(v), true) => b.not(v),
                (None, invert) => b.constant(invert),
            },
            Threshold::Adder { mut levels, m } => {
                // Reduce every level to one bit, low to high; a carry out of the top level
                // opens a new one.
                let mut bits = Vec::new();
                let mut w = 0;
                while w < levels.len() {
                    // At most three bits wait at a level: two left by `push` and a carry.
                    let (s, c) = match levels[w][..] {
                        [x, y] => half_add(b, x, y),
                        [x, y, z] => full_add(b, x, y, z),
                        _ => {
                            bits.push(levels[w].first().copied());
                            w += 1;
                            continue;
                        }
                    };
                    levels[w] = vec![s];
                    if levels.len() == w + 1 {
                        levels.push(Vec::new());
                    }
                    levels[w + 1].push(c);
                }
                let less = less_than(b, &bits, m);
                match less {
                    Bit::Const(less) => b.constant(!less),
                    Bit::Value(l) => b.not(l),
                }
            }
        }
    }
}

/// A value of the comparator that may be known at compile time.
#[derive(Debug, Clone, Copy)]
enum Bit {
    Const(bool),
    Value(u32),
}

/// `count < m` for the binary count `bits` (least significant first, `None` = always 0),
/// compared from the least significant bit up: where `m` has a 1 a clear count bit makes
/// the prefix smaller, where `m` has a 0 a set count bit makes it larger; equal bits defer
/// to the lower ones.
fn less_than(b: &mut Builder, bits: &[Option<u32>], m: usize) -> Bit {
    let mut less = Bit::Const(false);
    for (j, bit) in bits.iter().enumerate() {
        let m_bit = (m >> j) & 1 == 1;
        less = match (*bit, m_bit, less) {
            (None, true, _) => Bit::Const(true),
            (None, false, l) => l,
            (Some(x), true, Bit::Const(false)) => Bit::Value(b.not(x)),
            (Some(_), true, Bit::Const(true)) => Bit::Const(true),
            (Some(x), true, Bit::Value(l)) => Bit::Value(b.or_not(l, x)),
            (Some(_), false, Bit::Const(false)) => Bit::Const(false),
            (Some(x), false, Bit::Const(true)) => Bit::Value(b.not(x)),
            (Some(x), false, Bit::Value(l)) => Bit::Value(b.and_not(l, x)),
        };
    }
    // Bits of m above the count's width: the count is smaller.
    if m >> bits.len() != 0 {
        less = Bit::Const(true);
    }
    less
}

fn half_add(b: &mut Builder, x: u32, y: u32) -> (u32, u32) {
    (b.xor(x, y), b.and(x, y))
}

fn full_add(b: &mut Builder, x: u32, y: u32, z: u32) -> (u32, u32) {
    let t = b.xor(x, y);
    let s = b.xor(t, z);
    let xy = b.and(x, y);
    let tz = b.and(t, z);
    (s, b.or(xy, tz))
}

/// A compiled topology, ready to run chunks.
#[derive(Debug, Clone)]
pub struct Engine {
    ops: Vec<Op>,
    samplers: Vec<Sampler>,
    registers: usize,
    root: u32,
}

/// Per-thread working memory of an [`Engine`].
#[derive(Debug, Clone)]
pub struct Scratch {
    registers: Vec<Block>,
    next: Vec<u64>,
}

impl Engine {
    /// Compiles `topology`.
    pub fn new(topology: &Topology) -> Self {
        let samplers = topology
            .components
            .iter()
            .map(|c| Sampler::new(c.unavailability, c.availability))
            .collect();
        Self::with_samplers(topology, samplers)
    }

    /// Compiles `topology` with the given per-component samplers.
    pub(super) fn with_samplers(topology: &Topology, samplers: Vec<Sampler>) -> Self {
        let mut b = Builder {
            ops: Vec::new(),
            values: 0,
            shared: vec![None; topology.components.len()],
            groups: vec![None; topology.groups.len()],
        };
        let root = b.node(topology, topology.root);
        let (ops, registers, root) = allocate(&b.ops, b.values, root);
        Engine {
            ops,
            samplers,
            registers,
            root,
        }
    }

    /// Working memory for [`Engine::chunk`].
    pub fn scratch(&self) -> Scratch {
        Scratch {
            registers: vec![[0; BLOCK]; self.registers],
            next: vec![0; self.samplers.len()],
        }
    }

    /// Instructions in the compiled program.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// True for a program without instructions (never: a topology has a root).
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Number of failed trials among the first `trials` (at most [`CHUNK_TRIALS`]) of
    /// chunk `chunk` of the run seeded with `seed`.
    pub fn chunk(&self, seed: u64, chunk: u64, trials: u64, scratch: &mut Scratch) -> u64 {
        debug_assert!(trials <= CHUNK_TRIALS);
        let mut rng = Source::new(seed, chunk);
        for (s, next) in self.samplers.iter().zip(scratch.next.iter_mut()) {
            *next = s.first(&mut rng);
        }
        let mut failures = 0;
        let mut start = 0;
        while start < trials {
            self.block(start, &mut rng, scratch);
            let out = &scratch.registers[self.root as usize];
            failures += count(out, trials - start);
            start += BLOCK_TRIALS;
        }
        failures
    }

    /// Runs the program on the block starting at trial `start` of the chunk.
    #[inline]
    fn block(&self, start: u64, rng: &mut Source, scratch: &mut Scratch) {
        let regs = &mut scratch.registers;
        for op in &self.ops {
            match *op {
                Op::Sample { dst, sampler } => {
                    let s = sampler as usize;
                    self.samplers[s].fill(
                        &mut regs[dst as usize],
                        start,
                        &mut scratch.next[s],
                        rng,
                    );
                }
                Op::And { dst, a, b } => binary(regs, dst, a, b, |x, y| x & y),
                Op::Or { dst, a, b } => binary(regs, dst, a, b, |x, y| x | y),
                Op::Xor { dst, a, b } => binary(regs, dst, a, b, |x, y| x ^ y),
                Op::AndNot { dst, a, b } => binary(regs, dst, a, b, |x, y| x & !y),
                Op::OrNot { dst, a, b } => binary(regs, dst, a, b, |x, y| x | !y),
                Op::Not { dst, a } => binary(regs, dst, a, a, |x, _| !x),
                Op::Fill { dst, word } => regs[dst as usize] = [word; BLOCK],
            }
        }
    }
}

#[inline(always)]
fn binary(regs: &mut [Block], dst: u32, a: u32, b: u32, f: impl Fn(u64, u64) -> u64) {
    let x = regs[a as usize];
    let y = regs[b as usize];
    let mut z = [0u64; BLOCK];
    for i in 0..BLOCK {
        z[i] = f(x[i], y[i]);
    }
    regs[dst as usize] = z;
}

/// Set bits among the first `valid` trials of a block.
#[inline]
fn count(block: &Block, valid: u64) -> u64 {
    if valid >= BLOCK_TRIALS {
        return block.iter().map(|w| u64::from(w.count_ones())).sum();
    }
    let full = (valid / 64) as usize;
    let mut n: u64 = block[..full]
        .iter()
        .map(|w| u64::from(w.count_ones()))
        .sum();
    let rest = valid % 64;
    if rest > 0 {
        n += u64::from((block[full] & ((1u64 << rest) - 1)).count_ones());
    }
    n
}

/// Maps single-assignment values to a small register file: a register is freed after the
/// last instruction that reads its value (the root stays live to the end).
fn allocate(ops: &[Op], values: u32, root: u32) -> (Vec<Op>, usize, u32) {
    let mut last: Vec<Option<usize>> = vec![None; values as usize];
    for (i, op) in ops.iter().enumerate() {
        let (a, b) = op.operands();
        for v in [a, b].into_iter().flatten() {
            last[v as usize] = Some(i);
        }
    }
    last[root as usize] = Some(usize::MAX);
    let mut register = vec![u32::MAX; values as usize];
    let mut free: Vec<u32> = Vec::new();
    let mut count = 0u32;
    let mut out = Vec::with_capacity(ops.len());
    for (i, op) in ops.iter().enumerate() {
        // Operands dying here free their register before the result takes one: the result
        // is computed from copies of the operands, so it may overwrite them.
        let (a, b) = op.operands();
        let b = b.filter(|&b| Some(b) != a);
        for v in [a, b].into_iter().flatten() {
            if last[v as usize] == Some(i) {
                free.push(register[v as usize]);
            }
        }
        let d = op.dst() as usize;
        register[d] = free.pop().unwrap_or_else(|| {
            count += 1;
            count - 1
        });
        out.push(op.map(|v| register[v as usize]));
        if last[d].is_none() {
            // A value nobody reads (not produced for a valid topology) frees at once.
            free.push(register[d]);
        }
    }
    (out, count as usize, register[root as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::topology::parse;
    use proptest::prelude::*;

    /// Fraction of set bits in `words` words drawn by `sampler` (sparse state carried across
    /// blocks as in a chunk).
    fn mean_of(sampler: &Sampler, words: usize, seed: u64) -> (u64, u64) {
        let mut rng = Source::new(seed, 0);
        let mut next = sampler.first(&mut rng);
        let mut ones = 0u64;
        let mut out = [0; BLOCK];
        let blocks = words.div_ceil(BLOCK);
        for k in 0..blocks {
            sampler.fill(&mut out, k as u64 * BLOCK_TRIALS, &mut next, &mut rng);
            ones += out.iter().map(|w| u64::from(w.count_ones())).sum::<u64>();
        }
        (ones, (blocks * BLOCK * 64) as u64)
    }

    /// Asserts `ones` of `n` is within 5 binomial standard deviations of `n·p` (a correct
    /// sampler fails this with probability below 6e-7 per check).
    fn assert_mean(what: &str, p: f64, (ones, n): (u64, u64)) {
        let expected = n as f64 * p;
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        assert!(
            (ones as f64 - expected).abs() <= 5.0 * sd + 1.0,
            "{what} p = {p}: {ones} of {n}, expected {expected} ± {sd}"
        );
    }

    #[test]
    fn the_binary_expansion_is_exact_for_doubles() {
        let e = Expansion::new(0.5).unwrap();
        assert_eq!((e.zeros, e.mantissa), (0, 1 << 63));
        let e = Expansion::new(0.3).unwrap();
        // 0.3 = 0.0100110011…: one zero, then 1.0011… × 2^-2.
        assert_eq!(e.zeros, 1);
        assert_eq!(e.mantissa >> 60, 0b1001);
        let e = Expansion::new(1e-6).unwrap();
        // 2^-20 ≈ 9.5e-7 ≤ 1e-6 < 2^-19: nineteen zeros after the point.
        assert_eq!(e.zeros, 19);
        // Rebuild the value from the expansion: every bit of the double is there.
        let rebuilt = (e.mantissa >> 11) as f64 * f64::powi(2.0, -(e.zeros as i32) - 53);
        assert_eq!(rebuilt, 1e-6);
        assert!(Expansion::new(0.0).is_none() && Expansion::new(1.0).is_none());
    }

    #[test]
    fn a_half_costs_exactly_one_random_word() {
        let e = Expansion::new(0.5).unwrap();
        let (mut a, mut b) = (Source::new(3, 0), stream(3, 0));
        for _ in 0..100 {
            assert_eq!(e.word(&mut a), b.next_u64());
        }
    }

    #[test]
    fn both_samplers_have_the_right_mean() {
        for p in [0.5f64, 0.999, 1e-6, 0.3] {
            // Enough words for about 200 expected events of the rarer outcome, at least
            // 16k words.
            let q = p.min(1.0 - p);
            let words = ((200.0 / q / 64.0) as usize).clamp(1 << 14, 1 << 22);
            assert_mean(
                "dense",
                p,
                mean_of(&Sampler::dense(p), words.min(1 << 16), 1),
            );
            assert_mean("sparse", p, mean_of(&Sampler::sparse(p), words, 2));
            assert_mean("chosen", p, mean_of(&Sampler::new(p, 1.0 - p), words, 3));
        }
    }

    #[test]
    fn the_dense_sampler_sees_rare_events_at_their_rate() {
        // 2^22 words × 64 = 2.7e8 draws at 1e-6: about 268 events.
        assert_mean("dense", 1e-6, mean_of(&Sampler::dense(1e-6), 1 << 22, 4));
    }

    #[test]
    fn samplers_are_chosen_by_the_rarer_outcome() {
        assert_eq!(Sampler::new(0.0, 1.0), Sampler::Never);
        assert!(matches!(
            Sampler::new(1e-3, 0.999),
            Sampler::Sparse { up: false, .. }
        ));
        assert!(matches!(
            Sampler::new(0.999, 1e-3),
            Sampler::Sparse { up: true, .. }
        ));
        assert!(matches!(Sampler::new(0.3, 0.7), Sampler::Dense(_)));
    }

    /// Runs the program of `t` on component words given directly (one word per component,
    /// the same in every word of the block) and returns the root's word.
    fn evaluate(engine: &Engine, words: &[u64]) -> u64 {
        let mut regs = vec![[0u64; BLOCK]; engine.registers];
        for op in &engine.ops {
            match *op {
                Op::Sample { dst, sampler } => {
                    regs[dst as usize] = [words[sampler as usize]; BLOCK]
                }
                Op::And { dst, a, b } => binary(&mut regs, dst, a, b, |x, y| x & y),
                Op::Or { dst, a, b } => binary(&mut regs, dst, a, b, |x, y| x | y),
                Op::Xor { dst, a, b } => binary(&mut regs, dst, a, b, |x, y| x ^ y),
                Op::AndNot { dst, a, b } => binary(&mut regs, dst, a, b, |x, y| x & !y),
                Op::OrNot { dst, a, b } => binary(&mut regs, dst, a, b, |x, y| x | !y),
                Op::Not { dst, a } => binary(&mut regs, dst, a, a, |x, _| !x),
                Op::Fill { dst, word } => regs[dst as usize] = [word; BLOCK],
            }
        }
        regs[engine.root as usize][0]
    }

    /// A threshold circuit "at least m of these words" compiled alone.
    fn threshold_word(words: &[u64], m: usize) -> u64 {
        let mut b = Builder {
            ops: Vec::new(),
            values: 0,
            shared: Vec::new(),
            groups: Vec::new(),
        };
        let mut t = Threshold::new(words.len(), m);
        for (i, _) in words.iter().enumerate() {
            let v = b.sample(i);
            t.push(&mut b, v);
        }
        let root = t.finish(&mut b);
        let (ops, registers, root) = allocate(&b.ops, b.values, root);
        let engine = Engine {
            ops,
            samplers: Vec::new(),
            registers,
            root,
        };
        evaluate(&engine, words)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn the_k_of_n_counter_equals_a_scalar_count(
            words in prop::collection::vec(any::<u64>(), 1..40),
            m_seed in any::<usize>(),
        ) {
            let m = 1 + m_seed % words.len();
            let got = threshold_word(&words, m);
            for lane in 0..64 {
                let count = words.iter().filter(|w| (*w >> lane) & 1 == 1).count();
                prop_assert_eq!((got >> lane) & 1 == 1, count >= m, "lane {} count {} m {} n {}", lane, count, m, words.len());
            }
        }
    }

    /// A random node as YAML flow text, with groups wide enough to use every threshold
    /// circuit and refs to three possibly shared components.
    fn node() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("{ availability: 0.9 }".to_string()),
            (0usize..3).prop_map(|i| format!("{{ ref: s{i} }}")),
            (2usize..12).prop_map(|n| format!("{{ availability: 0.9, count: {n} }}")),
        ];
        leaf.prop_recursive(3, 40, 6, |inner| {
            (
                0usize..3,
                prop::collection::vec(inner, 1..6),
                any::<usize>(),
            )
                .prop_map(|(kind, children, k)| {
                    let list = children.join(", ");
                    match kind {
                        0 => format!("{{ series: [ {list} ] }}"),
                        1 => format!("{{ parallel: [ {list} ] }}"),
                        _ => format!("{{ k_of_n: {{ k: K{k}, of: [ {list} ] }} }}"),
                    }
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn the_program_agrees_with_the_reference_evaluation(
            system in node(), words in prop::collection::vec(any::<u64>(), 200)
        ) {
            let text = format!(
                "components: {{ s0: {{ availability: 0.9 }}, s1: {{ availability: 0.9 }}, s2: {{ availability: 0.9 }} }}\nsystem: {{ series: [ {} ] }}\n",
                system
            );
            // k: the seed modulo the member count, counted by a first parse with k = 1.
            let probe = parse(&k_as_one(&text), "random.yaml").unwrap();
            let text = with_valid_k(&text, &probe);
            let t = parse(&text, "random.yaml").unwrap();
            prop_assume!(t.components.len() <= 200);
            let engine = Engine::new(&t);
            let got = evaluate(&engine, &words[..t.components.len()]);
            let mut up = vec![false; t.components.len()];
            let mut scratch = Vec::new();
            for lane in 0..64 {
                for (c, state) in up.iter_mut().enumerate() {
                    *state = (words[c] >> lane) & 1 == 0;
                }
                prop_assert_eq!((got >> lane) & 1 == 1, !t.is_up(&up, &mut scratch), "lane {}\n{}", lane, text);
            }
        }
    }

    /// The text with every `K<seed>` replaced by 1.
    fn k_as_one(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(" K") {
            out += &rest[..i];
            out += " 1";
            rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_digit());
        }
        out + rest
    }

    /// The text with the i-th `K<seed>` replaced by `1 + seed % members` of the i-th k-of-n
    /// group of `probe` in pre-order, which is the order of the `K`s in the text (a group's
    /// `k` is written before its members).
    fn with_valid_k(text: &str, probe: &Topology) -> String {
        let mut preorder = Vec::new();
        fn walk(t: &Topology, node: Node, out: &mut Vec<usize>) {
            if let Node::Group(g) = node {
                if matches!(t.groups[g].kind, super::super::Kind::KOfN { .. }) {
                    out.push(t.groups[g].children.len());
                }
                for &c in &t.groups[g].children {
                    walk(t, c, out);
                }
            }
        }
        walk(probe, probe.root, &mut preorder);
        let mut out = String::new();
        let mut rest = text;
        let mut i = 0;
        while let Some(at) = rest.find(" K") {
            out += &rest[..at];
            let digits: String = rest[at + 2..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let seed: usize = digits.parse().unwrap_or(0);
            out += &format!(" {}", 1 + seed % preorder[i]);
            i += 1;
            rest = &rest[at + 2 + digits.len()..];
        }
        out + rest
    }

    #[test]
    fn a_shared_component_is_sampled_once_per_block() {
        let t = parse(
            "components: { p: { availability: 0.9 } }\nsystem: { parallel: [ { series: [ { ref: p }, { availability: 0.9 } ] }, { series: [ { ref: p }, { availability: 0.9 } ] } ] }\n",
            "x.yaml",
        )
        .unwrap();
        let engine = Engine::new(&t);
        let samples = engine
            .ops
            .iter()
            .filter(|op| matches!(op, Op::Sample { .. }))
            .count();
        assert_eq!(samples, 3);
    }

    #[test]
    fn a_wide_group_needs_few_registers() {
        let t = parse(
            "system: { k_of_n: { k: 500, of: [ { availability: 0.99, count: 1000 } ] } }\n",
            "x.yaml",
        )
        .unwrap();
        let engine = Engine::new(&t);
        assert!(engine.registers <= 40, "{} registers", engine.registers);
        // About one full adder (five gates) per member, plus the samples.
        assert!(engine.len() < 7 * 1000, "{} instructions", engine.len());
    }

    #[test]
    fn chunks_depend_only_on_the_seed_and_their_index() {
        let t = parse(
            include_str!("../../../examples/topologies/three-tier.yaml"),
            "three-tier.yaml",
        )
        .unwrap();
        let engine = Engine::new(&t);
        let mut s = engine.scratch();
        let a = engine.chunk(5, 3, CHUNK_TRIALS, &mut s);
        let _ = engine.chunk(5, 4, CHUNK_TRIALS, &mut s);
        assert_eq!(engine.chunk(5, 3, CHUNK_TRIALS, &mut s), a);
        // A partial chunk counts only its trials: the first 1000 are a prefix.
        let part = engine.chunk(5, 3, 1000, &mut s);
        assert!(part <= a);
    }

    #[test]
    fn the_partial_last_word_is_masked() {
        let block = [!0u64; BLOCK];
        assert_eq!(count(&block, 100), 100);
        assert_eq!(count(&block, 64), 64);
        assert_eq!(count(&block, BLOCK_TRIALS), BLOCK_TRIALS);
        assert_eq!(count(&block, 0), 0);
    }
}

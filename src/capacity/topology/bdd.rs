//! A reduced ordered binary decision diagram (Bryant 1986) over failure variables, and the
//! probability and Birnbaum importance of the function it holds.
//!
//! # Structure
//!
//! Nodes live in one arena; `0` is the constant false and `1` the constant true. A node
//! `(level, lo, hi)` stands for `if x_level { hi } else { lo }`, with both children at deeper
//! levels (larger numbers) and created before it, so node ids are a topological order. A
//! unique table keeps one node per triple and `lo == hi` is never stored, so every function
//! has exactly one node (the diagram is canonical for its variable order). There are no
//! complement edges: negation is an ordinary cached operation, and the probability pass
//! below only ever adds and multiplies non-negative numbers.
//!
//! Every Boolean operation is if-then-else, `ite(f, g, h) = f·g + ¬f·h`, by Shannon expansion
//! on the top variable of its arguments, with a lossy computed table (a fixed array indexed
//! by a hash of the arguments, newest entry wins) as in Brace, Rudell and Bryant (1990).
//! The arena is capped by a node budget; an operation that would pass it returns
//! [`TooLarge`]. Between operations the caller may [`Bdd::collect`] the garbage: the nodes
//! no root it still holds can reach (most of what a long build allocates: intermediate
//! results of folds). Collection renumbers the live nodes in their old order, so children
//! still come before parents, and keeps the computed-table entries whose nodes all live.
//!
//! # Probability in unavailability space
//!
//! With `p` the probability a variable is true (a component is down) and `q = 1 − p` given
//! separately, the probability of node `v` is `P(v) = p·P(hi) + q·P(lo)`, and that of its
//! negation `Q(v) = p·Q(hi) + q·Q(lo)` is carried alongside: both are sums of products of
//! non-negative numbers, so a top-event probability of 1e-13 keeps all its digits and the
//! availability `Q(root)` is not computed as `1 − P(root)`.
//!
//! The Birnbaum importance `∂P/∂pᵢ` is `Σ R(v)·(P(hi) − P(lo))` over the nodes `v` of
//! variable `i`, where `R(v)` is the probability of reaching `v` from the root (Rauzy 1993):
//! one pass down the diagram.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An edge into the diagram: a node id.
pub type Ref = u32;
/// The constant false.
pub const FALSE: Ref = 0;
/// The constant true.
pub const TRUE: Ref = 1;

/// The node budget of an exact solve unless the caller gives one: about 400 MB at most per
/// attempt (nodes, unique table and a full computed table; das9701 peaks at 400 MB in all).
pub const DEFAULT_BUDGET: usize = 8_000_000;

const TERMINAL: u32 = u32::MAX;
/// The computed table starts small (a small tree pays nothing to clear it) and doubles as
/// the nodes created so far (collected ones included) pass its size, up to 2^MAX_CACHE_BITS
/// entries (32 MB). Larger is not faster: each lookup is a random read, and past the
/// processor's caches a larger table costs more in memory stalls (and in pages to clear) than
/// its extra hits save. Measured on das9701 of the Aralia benchmark (11.4 million nodes
/// made, quiet 2-core machine, runs interleaved): 2^24 entries 5.0 to 5.4 s, 2^22 4.1 to
/// 4.2 s, 2^20 3.9 to 4.2 s; its node counts do not change. Measured again once the Boolean
/// optimization was in (best of four interleaved runs, das9701, cea9601, edf9203/9204 and
/// four edfpa14 trees): 2^22 5.7 s in all, 2^21 5.2 s, 2^20 5.4 s.
const MIN_CACHE_BITS: u32 = 12;
const MAX_CACHE_BITS: u32 = 21;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Node {
    level: u32,
    lo: Ref,
    hi: Ref,
}

/// The diagram needed more nodes than its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the decision diagram needs more than {budget} nodes")]
pub struct TooLarge {
    /// The budget that was reached.
    pub budget: usize,
}

/// A 64-bit mix of three 32-bit words (multiplicative hashing; the high bits are the best).
fn hash3(a: u32, b: u32, c: u32) -> u64 {
    let x = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ (c as u64).wrapping_mul(0x1656_67B1_9E37_79F9);
    x ^ (x >> 32)
}

/// The computed-table slot of `ite(f, g, h)` in a table of `2^bits` entries.
fn cache_slot(f: Ref, g: Ref, h: Ref, bits: u32) -> usize {
    (hash3(f, g, h) >> (64 - bits)) as usize
}

/// The home slot of node `(level, lo, hi)` in a unique table of `size` (a power of two)
/// slots, and the entry that stands for node `r` there: its id in the low 32 bits and 32
/// other bits of the hash above, so a probe rarely reads a node that is not the one sought.
fn unique_slot(level: u32, lo: Ref, hi: Ref, size: usize) -> (usize, u64) {
    let h = hash3(level, lo, hi);
    ((h >> (64 - size.trailing_zeros())) as usize, h << 32)
}

/// A BDD manager: the node arena, its unique table and computed table.
#[derive(Debug)]
pub struct Bdd {
    nodes: Vec<Node>,
    /// The unique table: open addressing with linear probing over node ids, `0` marking an
    /// empty slot (the terminals are never looked up), kept at most half full; a node is
    /// stored once, in the arena, and the table holds its 4-byte id and a 4-byte tag from
    /// its hash (see [`unique_slot`]).
    unique: Vec<u64>,
    cache: Vec<(Ref, Ref, Ref, Ref)>,
    cache_bits: u32,
    budget: usize,
    /// Nodes created since the start, collected ones included (sizes the computed table).
    created: usize,
    /// Past this many nodes made, operations refuse like past the budget.
    work: usize,
    /// The most nodes held at once.
    peak: usize,
    /// A work limit another thread may lower while this manager works: past it, operations
    /// refuse like past `work` (looked at every 1024 nodes made).
    ceiling: Option<Arc<AtomicUsize>>,
    /// How operations cut their results (see [`Bdd::with_cut`]); `None` for exact ones.
    cut: Option<Cut>,
    /// Where the nodes made so far are published for other threads (every 1024 nodes).
    progress: Option<Arc<AtomicUsize>>,
}

/// Which way operations round their results (see [`Bdd::with_cut`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Exact results.
    Exact,
    /// Functions that imply the exact result: cut parts become false.
    Lower,
    /// Functions the exact result implies: cut parts become true.
    Upper,
}

/// The cut of [`Bdd::with_cut`]: reach probabilities per level and the side.
#[derive(Debug)]
struct Cut {
    p: Vec<f64>,
    q: Vec<f64>,
    cutoff: f64,
    side: Side,
}

/// Computed-table tags of results cut to the lower and upper side (bits above every node id
/// a manager that cuts may hold).
const LOWER_TAG: Ref = 1 << 31;
const UPPER_TAG: Ref = 1 << 30;
/// Most nodes a manager that cuts may hold: its ids stay below the tags.
pub const MAX_CUT_BUDGET: usize = (1 << 30) - 1;

impl Bdd {
    /// An empty manager that refuses to hold more than `budget` nodes.
    pub fn new(budget: usize) -> Self {
        let terminal = |v| Node {
            level: TERMINAL,
            lo: v,
            hi: v,
        };
        Bdd {
            nodes: vec![terminal(FALSE), terminal(TRUE)],
            unique: vec![0; 1 << MIN_CACHE_BITS],
            // An entry with f = 0 never matches a real lookup (ite(0, ..) is terminal).
            cache: vec![(0, 0, 0, 0); 1 << MIN_CACHE_BITS],
            cache_bits: MIN_CACHE_BITS,
            budget,
            created: 2,
            work: usize::MAX,
            peak: 2,
            ceiling: None,
            cut: None,
            progress: None,
        }
    }

    /// The same manager refusing, like past its budget, once it has made `work` nodes in
    /// all (collected ones included): a bound on time rather than memory.
    pub fn with_work_limit(self, work: usize) -> Self {
        Bdd { work, ..self }
    }

    /// The same manager giving up (as past its work limit) once it has made more nodes than
    /// `ceiling` holds, which another thread may lower meanwhile.
    pub fn with_ceiling(self, ceiling: Arc<AtomicUsize>) -> Self {
        Bdd {
            ceiling: Some(ceiling),
            ..self
        }
    }

    /// The same manager publishing the number of nodes it has made in `progress` every
    /// 1024 nodes, for another thread to read.
    pub fn with_progress(self, progress: Arc<AtomicUsize>) -> Self {
        Bdd {
            progress: Some(progress),
            ..self
        }
    }

    /// The same manager able to cut results: while [`Bdd::set_side`] is `Lower` (`Upper`),
    /// an operation returns false (true) for every part of its result that a walk from the
    /// result's root reaches with probability below `cutoff`, taking the high branch of level
    /// `l` with probability `p[l]` and the low one with `q[l]`. Replacing a part of a diagram
    /// by false can only remove states from the function (a node is `x·hi + ¬x·lo`,
    /// monotone in both children), so a lower-side result implies the exact one, and the
    /// exact one implies an upper-side result; the states that differ have probability at
    /// most the reach of what was cut. Results of one side are cached apart from the other's.
    /// The budget is capped at [`MAX_CUT_BUDGET`].
    pub fn with_cut(self, p: Vec<f64>, q: Vec<f64>, cutoff: f64) -> Self {
        Bdd {
            budget: self.budget.min(MAX_CUT_BUDGET),
            cut: Some(Cut {
                p,
                q,
                cutoff,
                side: Side::Exact,
            }),
            ..self
        }
    }

    /// Which side the next operations round to (a manager without a cut stays exact).
    pub fn set_side(&mut self, side: Side) {
        if let Some(c) = &mut self.cut {
            c.side = side;
        }
    }

    /// Sets the reach probabilities of `level` for the cut.
    pub fn set_reach(&mut self, level: usize, p: f64, q: f64) {
        if let Some(c) = &mut self.cut {
            c.p[level] = p;
            c.q[level] = q;
        }
    }

    /// Whether operations refuse because the work limit was reached (or the manager was
    /// stopped), rather than for lack of room: collecting garbage would not help.
    pub fn out_of_work(&self) -> bool {
        self.created >= self.work
    }

    /// Nodes held now (terminals included), live or garbage not yet collected.
    pub fn allocated(&self) -> usize {
        self.nodes.len()
    }

    /// Nodes made so far, collected ones included: the work done.
    pub fn made(&self) -> usize {
        self.created
    }

    /// The most nodes held at once so far: the figure the budget bounds.
    pub fn peak(&self) -> usize {
        self.peak.max(self.nodes.len())
    }

    /// Frees every node that none of `roots` reaches, renumbering the others (in their old
    /// order) and rewriting `roots` to their new ids. Refs the caller holds outside `roots`
    /// are invalid afterwards. Costs one pass over the arena.
    pub fn collect(&mut self, roots: &mut [Ref]) {
        let n = self.nodes.len();
        self.peak = self.peak.max(n);
        let mut live = vec![false; n];
        live[FALSE as usize] = true;
        live[TRUE as usize] = true;
        for &r in roots.iter() {
            live[r as usize] = true;
        }
        // Children have smaller ids than their parents: one pass from the top marks all.
        for i in (2..n).rev() {
            if live[i] {
                let node = self.nodes[i];
                live[node.lo as usize] = true;
                live[node.hi as usize] = true;
            }
        }
        const GONE: Ref = Ref::MAX;
        let mut map = vec![GONE; n];
        map[FALSE as usize] = FALSE;
        map[TRUE as usize] = TRUE;
        let mut next = 2;
        for i in 2..n {
            if live[i] {
                let node = self.nodes[i];
                self.nodes[next] = Node {
                    level: node.level,
                    lo: map[node.lo as usize],
                    hi: map[node.hi as usize],
                };
                map[i] = next as Ref;
                next += 1;
            }
        }
        self.nodes.truncate(next);
        for r in roots.iter_mut() {
            *r = map[*r as usize];
        }
        self.rebuild_unique();
        let old = std::mem::replace(&mut self.cache, vec![(0, 0, 0, 0); 1 << self.cache_bits]);
        for (f, g, h, r) in old {
            if f == 0 || f & (LOWER_TAG | UPPER_TAG) != 0 {
                continue;
            }
            let e = (
                map[f as usize],
                map[g as usize],
                map[h as usize],
                map[r as usize],
            );
            if e.0 != GONE && e.1 != GONE && e.2 != GONE && e.3 != GONE {
                self.cache[cache_slot(e.0, e.1, e.2, self.cache_bits)] = e;
            }
        }
    }

    /// Frees the unique and computed tables, most of a large manager's memory beside its
    /// nodes, when no more operations are coming: the diagrams stay readable, and the
    /// passes that read them can reuse the pages just freed (fresh pages cost a kernel
    /// fault and clear each). An operation after this rebuilds the unique table first.
    pub fn release_tables(&mut self) {
        self.unique = Vec::new();
        self.cache = vec![(0, 0, 0, 0); 1 << MIN_CACHE_BITS];
        self.cache_bits = MIN_CACHE_BITS;
    }

    /// The variable at `level` as a function.
    pub fn var(&mut self, level: u32) -> Result<Ref, TooLarge> {
        self.make(level, FALSE, TRUE)
    }

    fn level(&self, f: Ref) -> u32 {
        self.nodes[f as usize].level
    }

    fn make(&mut self, level: u32, lo: Ref, hi: Ref) -> Result<Ref, TooLarge> {
        if lo == hi {
            return Ok(lo);
        }
        let node = Node { level, lo, hi };
        if self.unique.is_empty() {
            self.rebuild_unique();
        }
        let mask = self.unique.len() - 1;
        let (mut slot, tag) = unique_slot(level, lo, hi, self.unique.len());
        loop {
            let e = self.unique[slot];
            if e == 0 {
                break;
            }
            if e & !0xFFFF_FFFF == tag && self.nodes[(e as u32) as usize] == node {
                return Ok(e as u32);
            }
            slot = (slot + 1) & mask;
        }
        if self.created.is_multiple_of(1024) {
            if self
                .ceiling
                .as_ref()
                .is_some_and(|c| self.created > c.load(Ordering::Relaxed))
            {
                self.work = self.created;
            }
            if let Some(p) = &self.progress {
                p.store(self.created, Ordering::Relaxed);
            }
        }
        if self.nodes.len() >= self.budget || self.created >= self.work {
            return Err(TooLarge {
                budget: self.budget,
            });
        }
        if self.nodes.len() == self.nodes.capacity() && self.nodes.len() >= 1 << 16 {
            // Past 65,536 nodes the arena reserves its whole budget at once: the address
            // space costs nothing until used, and growing by doubling copied every node
            // into fresh pages each time (half the page faults of a large build).
            let _ = self
                .nodes
                .try_reserve_exact(self.budget.saturating_add(2) - self.nodes.len());
        }
        let r = self.nodes.len() as Ref;
        self.nodes.push(node);
        self.created += 1;
        self.unique[slot] = tag | u64::from(r);
        if 2 * self.nodes.len() > self.unique.len() {
            self.unique = vec![0; self.unique.len() * 2];
            self.refill_unique();
        }
        if self.created > self.cache.len() && self.cache_bits < MAX_CACHE_BITS {
            self.grow_cache();
        }
        Ok(r)
    }

    /// A new unique table, at least twice the nodes' number, holding every node.
    fn rebuild_unique(&mut self) {
        let mut size = 1 << MIN_CACHE_BITS;
        while size < 2 * self.nodes.len() {
            size *= 2;
        }
        self.unique = vec![0; size];
        self.refill_unique();
    }

    /// Puts every node in the unique table (empty, and at least twice the nodes' size).
    fn refill_unique(&mut self) {
        let size = self.unique.len();
        let mask = size - 1;
        for (r, n) in self.nodes.iter().enumerate().skip(2) {
            let (mut slot, tag) = unique_slot(n.level, n.lo, n.hi, size);
            while self.unique[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.unique[slot] = tag | r as u64;
        }
    }

    /// Doubles the computed table, keeping the results already in it.
    fn grow_cache(&mut self) {
        self.cache_bits += 1;
        let mut cache = vec![(0, 0, 0, 0); 1 << self.cache_bits];
        for &e in &self.cache {
            if e.0 != 0 {
                cache[cache_slot(e.0, e.1, e.2, self.cache_bits)] = e;
            }
        }
        self.cache = cache;
    }

    /// The cofactors of `f` with respect to the variable at `level`.
    fn split(&self, f: Ref, level: u32) -> (Ref, Ref) {
        let n = self.nodes[f as usize];
        if n.level == level {
            (n.lo, n.hi)
        } else {
            (f, f)
        }
    }

    /// If `f` then `g` else `h` (cut as [`Bdd::with_cut`] says).
    pub fn ite(&mut self, f: Ref, g: Ref, h: Ref) -> Result<Ref, TooLarge> {
        match &self.cut {
            Some(c) if c.side != Side::Exact => self.ite_cut(f, g, h, 1.0),
            _ => self.ite_exact(f, g, h),
        }
    }

    /// The terminal cases of `ite(f, g, h)`, or its arguments in standard form.
    fn ite_terminal(f: Ref, g: Ref, h: Ref) -> Result<Ref, (Ref, Ref, Ref)> {
        let (g, h) = (
            if f == g { TRUE } else { g },
            if f == h { FALSE } else { h },
        );
        match (f, g, h) {
            (TRUE, _, _) => return Ok(g),
            (FALSE, _, _) => return Ok(h),
            _ if g == h => return Ok(g),
            (_, TRUE, FALSE) => return Ok(f),
            _ => {}
        }
        // Standard triples: f ∨ h and f ∧ g are commutative; one cache entry serves both
        // argument orders.
        Err(match (g, h) {
            (TRUE, _) if h < f => (h, TRUE, f),
            (_, FALSE) if g < f => (g, f, FALSE),
            _ => (f, g, h),
        })
    }

    fn ite_exact(&mut self, f: Ref, g: Ref, h: Ref) -> Result<Ref, TooLarge> {
        let (f, g, h) = match Self::ite_terminal(f, g, h) {
            Ok(r) => return Ok(r),
            Err(args) => args,
        };
        let slot = cache_slot(f, g, h, self.cache_bits);
        let e = self.cache[slot];
        if (e.0, e.1, e.2) == (f, g, h) {
            return Ok(e.3);
        }
        let top = self.level(f).min(self.level(g)).min(self.level(h));
        let (f0, f1) = self.split(f, top);
        let (g0, g1) = self.split(g, top);
        let (h0, h1) = self.split(h, top);
        let hi = self.ite_exact(f1, g1, h1)?;
        let lo = self.ite_exact(f0, g0, h0)?;
        let r = self.make(top, lo, hi)?;
        self.cache[slot] = (f, g, h, r);
        Ok(r)
    }

    /// `ite` on a side of a cut, `reach` being the probability of reaching this call from
    /// the operation's root.
    fn ite_cut(&mut self, f: Ref, g: Ref, h: Ref, reach: f64) -> Result<Ref, TooLarge> {
        let (f, g, h) = match Self::ite_terminal(f, g, h) {
            Ok(r) => return Ok(r),
            Err(args) => args,
        };
        let (cutoff, side) = self
            .cut
            .as_ref()
            .map_or((0.0, Side::Exact), |c| (c.cutoff, c.side));
        let (to, tag) = match side {
            Side::Upper => (TRUE, UPPER_TAG),
            _ => (FALSE, LOWER_TAG),
        };
        if reach < cutoff {
            // What is cut becomes a function known to lie on the right side of it, when
            // one is at hand: `f ∧ g ≤ g`, `¬f ∧ h ≤ h`, `f ∨ h ≥ h`, `¬f ∨ g ≥ g`; else the
            // constant.
            return Ok(match (side, g, h) {
                (Side::Upper, _, FALSE) => g,
                (Side::Upper, FALSE, _) => h,
                (Side::Lower, TRUE, _) => h,
                (Side::Lower, _, TRUE) => g,
                _ => to,
            });
        }
        let slot = cache_slot(f | tag, g, h, self.cache_bits);
        let e = self.cache[slot];
        if (e.0, e.1, e.2) == (f | tag, g, h) {
            return Ok(e.3);
        }
        let top = self.level(f).min(self.level(g)).min(self.level(h));
        let (p, q) = self
            .cut
            .as_ref()
            .map_or((1.0, 1.0), |c| (c.p[top as usize], c.q[top as usize]));
        let (f0, f1) = self.split(f, top);
        let (g0, g1) = self.split(g, top);
        let (h0, h1) = self.split(h, top);
        let hi = self.ite_cut(f1, g1, h1, reach * p)?;
        let lo = self.ite_cut(f0, g0, h0, reach * q)?;
        let r = self.make(top, lo, hi)?;
        self.cache[slot] = (f | tag, g, h, r);
        Ok(r)
    }

    /// `¬f`.
    pub fn not(&mut self, f: Ref) -> Result<Ref, TooLarge> {
        self.ite(f, FALSE, TRUE)
    }

    /// `f ∧ g`.
    pub fn and(&mut self, f: Ref, g: Ref) -> Result<Ref, TooLarge> {
        self.ite(f, g, FALSE)
    }

    /// `f ∨ g`.
    pub fn or(&mut self, f: Ref, g: Ref) -> Result<Ref, TooLarge> {
        self.ite(f, TRUE, g)
    }

    /// `f ⊕ g`.
    pub fn xor(&mut self, f: Ref, g: Ref) -> Result<Ref, TooLarge> {
        let not_g = self.not(g)?;
        self.ite(f, not_g, g)
    }

    /// The conjunction (`all`) or disjunction of `args`, folded from the argument whose top
    /// variable is deepest, so a chain of n independent arguments costs n steps, not n².
    #[cfg(test)]
    pub fn fold(&mut self, all: bool, args: &[Ref]) -> Result<Ref, TooLarge> {
        self.fold_with(all, &mut args.to_vec(), &mut |_, _| {})
    }

    /// [`Bdd::fold`] that may free garbage between its steps: when a step runs out of room,
    /// `room` is called with the arguments still to fold and the partial result (it must
    /// [`Bdd::collect`] with them among the roots, so they are rewritten), and the step is
    /// tried once more. `args` is left in an unspecified order.
    pub fn fold_with(
        &mut self,
        all: bool,
        args: &mut [Ref],
        room: &mut impl FnMut(&mut Bdd, &mut [Ref]),
    ) -> Result<Ref, TooLarge> {
        args.sort_by_key(|&f| std::cmp::Reverse(self.level(f)));
        let mut acc = if all { TRUE } else { FALSE };
        let mut keep = Vec::new();
        for i in 0..args.len() {
            let step = |b: &mut Bdd, f, acc| if all { b.and(f, acc) } else { b.or(f, acc) };
            acc = match step(self, args[i], acc) {
                Ok(r) => r,
                Err(e) if self.out_of_work() => return Err(e),
                Err(_) => {
                    keep.clear();
                    keep.extend_from_slice(&args[i..]);
                    keep.push(acc);
                    room(self, &mut keep);
                    let (rest, last) = keep.split_at(keep.len() - 1);
                    args[i..].copy_from_slice(rest);
                    step(self, args[i], last[0])?
                }
            };
        }
        Ok(acc)
    }

    /// True when at least `k` of `args` are: `A(k, i) = ite(argᵢ, A(k − 1, i + 1), A(k, i + 1))`
    /// over the arguments sorted deepest first, O(k·n) if-then-else calls.
    pub fn at_least(&mut self, k: usize, args: &[Ref]) -> Result<Ref, TooLarge> {
        let n = args.len();
        if k == 0 {
            return Ok(TRUE);
        }
        if k > n {
            return Ok(FALSE);
        }
        let mut sorted = args.to_vec();
        sorted.sort_by_key(|&f| self.level(f));
        // row[j] = "at least j of the arguments after position i"; built from the last.
        let mut row = vec![FALSE; k + 1];
        row[0] = TRUE;
        for i in (0..n).rev() {
            let f = sorted[i];
            // Only counts reachable from the front matter: need j ≤ k and j ≥ k − i.
            let low = k.saturating_sub(i).max(1);
            for j in (low..=k).rev() {
                row[j] = self.ite(f, row[j - 1], row[j])?;
            }
        }
        Ok(row[k])
    }

    /// Nodes reachable from `root` (terminals excluded), in increasing id order: children
    /// before parents.
    #[cfg(test)]
    pub fn reachable(&self, root: Ref) -> Vec<Ref> {
        self.reachable_with(root, &mut Vec::new())
    }

    /// [`Bdd::reachable`] with a caller-kept mark buffer (left all false), so many small
    /// passes over a large arena cost their own size only.
    fn reachable_with(&self, root: Ref, seen: &mut Vec<bool>) -> Vec<Ref> {
        seen.resize(self.nodes.len(), false);
        let mut stack = vec![root];
        let mut out = Vec::new();
        while let Some(f) = stack.pop() {
            if f <= TRUE || seen[f as usize] {
                continue;
            }
            seen[f as usize] = true;
            out.push(f);
            let n = self.nodes[f as usize];
            stack.push(n.lo);
            stack.push(n.hi);
        }
        for &f in &out {
            seen[f as usize] = false;
        }
        out.sort_unstable();
        out
    }

    /// The probability that `root` is true and that it is false (see the module
    /// documentation), where the variable at level `l` is true with probability `p[l]` and
    /// false with `q[l]`.
    #[cfg(test)]
    pub fn probability(&self, root: Ref, p: &[f64], q: &[f64]) -> (f64, f64) {
        let mut pass = Pass::default();
        pass.probability(self, root, p, q)
    }

    /// `(P, Q, Birnbaum importance of every level)`: the importance of level `l` is
    /// `∂P/∂p[l]`, zero for a variable the function does not depend on.
    #[cfg(test)]
    pub fn importance(&self, root: Ref, p: &[f64], q: &[f64]) -> (f64, f64, Vec<f64>) {
        let mut pass = Pass::default();
        let (pr, qr) = pass.probability(self, root, p, q);
        let mut birnbaum = vec![0.0; p.len()];
        pass.birnbaum(self, root, p, q, 1.0, &mut birnbaum);
        (pr, qr, birnbaum)
    }
}

/// Buffers for probability and importance passes over several diagrams of one arena that
/// no longer changes (it remembers each root's nodes).
#[derive(Debug, Default)]
pub struct Pass {
    seen: Vec<bool>,
    values: Vec<(f64, f64)>,
    reach: Vec<f64>,
    /// The nodes of each root passed over so far, children first.
    orders: std::collections::HashMap<Ref, Vec<Ref>>,
}

impl Pass {
    /// The nodes reachable from `root`, children first (found once per root).
    fn order(&mut self, bdd: &Bdd, root: Ref) -> Vec<Ref> {
        self.orders
            .remove(&root)
            .unwrap_or_else(|| bdd.reachable_with(root, &mut self.seen))
    }

    /// Forgets the nodes of the roots passed over so far: needed before passing over a
    /// diagram again once the arena was collected (ids change).
    pub fn forget(&mut self) {
        self.orders.clear();
    }

    /// How many nodes `root`'s diagram has (terminals excluded).
    pub fn size(&mut self, bdd: &Bdd, root: Ref) -> usize {
        let order = self.order(bdd, root);
        let n = order.len();
        self.orders.insert(root, order);
        n
    }

    /// `(P, Q)` of `root`; remembers the values of its nodes for [`Pass::birnbaum`].
    pub fn probability(&mut self, bdd: &Bdd, root: Ref, p: &[f64], q: &[f64]) -> (f64, f64) {
        let order = self.order(bdd, root);
        self.values.resize(bdd.nodes.len(), (0.0, 0.0));
        let v = &mut self.values;
        v[FALSE as usize] = (0.0, 1.0);
        v[TRUE as usize] = (1.0, 0.0);
        for &f in &order {
            let n = bdd.nodes[f as usize];
            let (l, h) = (v[n.lo as usize], v[n.hi as usize]);
            let (pl, ql) = (p[n.level as usize], q[n.level as usize]);
            v[f as usize] = (pl * h.0 + ql * l.0, pl * h.1 + ql * l.1);
        }
        self.orders.insert(root, order);
        self.values[root as usize]
    }

    /// The lowest (`lowest`) or highest `(P, Q)` of `root` when the variable at level `l`
    /// is true with some probability between `low[l].0` and `high[l].0` (and false with the
    /// matching `.1`). Every node takes the extreme over its variable's two ends given its
    /// children's extremes: `p·P(hi) + q·P(lo)` has non-negative weights and is linear in
    /// `p`, so the result encloses every value the function takes over the ranges (a node
    /// reached on several paths may get different ends on each, which can only widen the
    /// enclosure). Variables whose ends are equal give the exact value.
    pub fn extreme(
        &mut self,
        bdd: &Bdd,
        root: Ref,
        low: &[(f64, f64)],
        high: &[(f64, f64)],
        lowest: bool,
    ) -> (f64, f64) {
        let order = self.order(bdd, root);
        self.values.resize(bdd.nodes.len(), (0.0, 0.0));
        let v = &mut self.values;
        v[FALSE as usize] = (0.0, 1.0);
        v[TRUE as usize] = (1.0, 0.0);
        for &f in &order {
            let n = bdd.nodes[f as usize];
            let (l, h) = (v[n.lo as usize], v[n.hi as usize]);
            let at = |(p, q): (f64, f64)| (p * h.0 + q * l.0, p * h.1 + q * l.1);
            let (a, b) = (at(low[n.level as usize]), at(high[n.level as usize]));
            v[f as usize] = if (a.0 <= b.0) == lowest { a } else { b };
        }
        self.orders.insert(root, order);
        self.values[root as usize]
    }

    /// Adds `scale × ∂P(root)/∂p[l]` to `out[l]` for every level of `root`'s diagram, after
    /// [`Pass::probability`] of the same root with the same `p` and `q`.
    pub fn birnbaum(
        &mut self,
        bdd: &Bdd,
        root: Ref,
        p: &[f64],
        q: &[f64],
        scale: f64,
        out: &mut [f64],
    ) {
        let order = self.order(bdd, root);
        self.reach.resize(bdd.nodes.len(), 0.0);
        for &f in &order {
            self.reach[f as usize] = 0.0;
        }
        self.reach[root as usize] = 1.0;
        let v = &self.values;
        for &f in order.iter().rev() {
            let n = bdd.nodes[f as usize];
            let r = self.reach[f as usize];
            let l = n.level as usize;
            out[l] += scale * r * (v[n.hi as usize].0 - v[n.lo as usize].0);
            self.reach[n.hi as usize] += r * p[l];
            self.reach[n.lo as usize] += r * q[l];
        }
        self.orders.insert(root, order);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(b: &mut Bdd, n: u32) -> Vec<Ref> {
        (0..n).map(|l| b.var(l).unwrap()).collect()
    }

    #[test]
    fn equal_functions_are_the_same_node() {
        let mut b = Bdd::new(1000);
        let x = vars(&mut b, 3);
        // (x0 ∧ x1) ∨ (x0 ∧ x2) = x0 ∧ (x1 ∨ x2)
        let a = b.and(x[0], x[1]).unwrap();
        let c = b.and(x[0], x[2]).unwrap();
        let left = b.or(a, c).unwrap();
        let d = b.or(x[1], x[2]).unwrap();
        let right = b.and(x[0], d).unwrap();
        assert_eq!(left, right);
        let nn = b.not(x[1]).unwrap();
        let nn = b.not(nn).unwrap();
        assert_eq!(nn, x[1]);
        let t = b.xor(x[2], x[2]).unwrap();
        assert_eq!(t, FALSE);
    }

    #[test]
    fn probability_of_or_and_and_and_xor() {
        let mut b = Bdd::new(1000);
        let x = vars(&mut b, 2);
        let (p, q) = ([0.1, 0.2], [0.9, 0.8]);
        let or = b.or(x[0], x[1]).unwrap();
        let and = b.and(x[0], x[1]).unwrap();
        let xor = b.xor(x[0], x[1]).unwrap();
        let close = |a: f64, e: f64| (a - e).abs() < 1e-15;
        let (po, qo) = b.probability(or, &p, &q);
        assert!(close(po, 0.28) && close(qo, 0.72), "{po} {qo}");
        assert!(close(b.probability(and, &p, &q).0, 0.02));
        assert!(close(b.probability(xor, &p, &q).0, 0.1 * 0.8 + 0.9 * 0.2));
    }

    #[test]
    fn at_least_matches_counting() {
        let mut b = Bdd::new(10_000);
        let x = vars(&mut b, 5);
        let p = [0.1, 0.2, 0.3, 0.4, 0.5];
        let q: Vec<f64> = p.iter().map(|v| 1.0 - v).collect();
        for k in 0..=6 {
            let f = b.at_least(k, &x).unwrap();
            let mut expected = 0.0;
            for s in 0u32..32 {
                let w: f64 = (0..5)
                    .map(|i| if s >> i & 1 == 1 { p[i] } else { q[i] })
                    .product();
                if s.count_ones() as usize >= k {
                    expected += w;
                }
            }
            let got = b.probability(f, &p, &q).0;
            assert!((got - expected).abs() < 1e-14, "k={k}: {got} vs {expected}");
        }
    }

    #[test]
    fn birnbaum_is_the_difference_of_the_two_conditionals() {
        let mut b = Bdd::new(1000);
        let x = vars(&mut b, 3);
        // x0 ∧ (x1 ∨ x2)
        let d = b.or(x[1], x[2]).unwrap();
        let f = b.and(x[0], d).unwrap();
        let (p, q) = ([0.1, 0.2, 0.3], [0.9, 0.8, 0.7]);
        let (pr, _, bi) = b.importance(f, &p, &q);
        assert!((pr - 0.1 * (1.0 - 0.8 * 0.7)).abs() < 1e-15);
        assert!((bi[0] - (1.0 - 0.8 * 0.7)).abs() < 1e-15);
        assert!((bi[1] - 0.1 * 0.7).abs() < 1e-15);
        assert!((bi[2] - 0.1 * 0.8).abs() < 1e-15);
    }

    #[test]
    fn tiny_probabilities_keep_their_digits() {
        let mut b = Bdd::new(1000);
        let x = vars(&mut b, 4);
        let u = 1e-7;
        let a = b.and(x[0], x[1]).unwrap();
        let c = b.and(x[2], x[3]).unwrap();
        let f = b.or(a, c).unwrap();
        let p = [u; 4];
        let q = [1.0 - u; 4];
        let (pr, qr) = b.probability(f, &p, &q);
        let expected = 2.0 * u * u - u * u * u * u;
        assert!(((pr - expected) / expected).abs() < 1e-15, "{pr}");
        assert!((qr - (1.0 - expected)).abs() < 1e-16);
    }

    #[test]
    fn collection_frees_garbage_and_keeps_every_root_s_function() {
        let mut b = Bdd::new(100_000);
        let x = vars(&mut b, 12);
        let (p, q): (Vec<f64>, Vec<f64>) = (0..12)
            .map(|i| (0.01 * (i + 1) as f64, 1.0 - 0.01 * (i + 1) as f64))
            .unzip();
        // Garbage: pairwise conjunctions nobody keeps.
        for i in 0..12 {
            for j in 0..12 {
                let a = b.and(x[i], x[j]).unwrap();
                b.or(a, x[(i + j) % 12]).unwrap();
            }
        }
        let two = b.at_least(2, &x[..6]).unwrap();
        let three = b.at_least(3, &x[6..]).unwrap();
        let f = b.xor(two, three).unwrap();
        let expected: Vec<(f64, f64)> = [two, three, f]
            .iter()
            .map(|&r| b.probability(r, &p, &q))
            .collect();
        let sizes: Vec<usize> = [two, three, f]
            .iter()
            .map(|&r| b.reachable(r).len())
            .collect();
        let before = b.allocated();
        let mut roots = [two, three, f];
        b.collect(&mut roots);
        assert!(b.allocated() < before, "{} of {before}", b.allocated());
        for (i, &r) in roots.iter().enumerate() {
            assert_eq!(b.probability(r, &p, &q), expected[i]);
            assert_eq!(b.reachable(r).len(), sizes[i]);
        }
        // Still canonical: rebuilding a kept function finds the same node.
        let vars_again = vars(&mut b, 12);
        assert_eq!(b.at_least(3, &vars_again[6..]).unwrap(), roots[1]);
        let again = b.xor(roots[0], roots[1]).unwrap();
        assert_eq!(again, roots[2]);
        assert_eq!(b.peak(), before);
        // With its tables released the manager still reads, and still builds canonically.
        b.release_tables();
        assert_eq!(b.probability(roots[2], &p, &q), expected[2]);
        let x = vars(&mut b, 12);
        assert_eq!(b.at_least(3, &x[6..]).unwrap(), roots[1]);
        assert_eq!(b.xor(roots[0], roots[1]).unwrap(), roots[2]);
    }

    #[test]
    fn a_long_chain_is_built_in_linear_steps_and_the_budget_is_enforced() {
        let mut b = Bdd::new(300_000);
        let x = vars(&mut b, 100_000);
        let f = b.fold(false, &x).unwrap();
        assert_eq!(b.reachable(f).len(), 100_000);
        let mut small = Bdd::new(10);
        let x = vars(&mut small, 8);
        assert_eq!(small.fold(true, &x), Err(TooLarge { budget: 10 }));
        // A work limit refuses the same way, whatever the budget, even after a collection.
        let mut bounded = Bdd::new(1_000_000).with_work_limit(24);
        let x = vars(&mut bounded, 8);
        let f = bounded.fold(true, &x).unwrap();
        bounded.collect(&mut [f]);
        let x = vars(&mut bounded, 8);
        assert!(bounded.fold(false, &x).is_err());
        assert!(bounded.made() >= 24 && bounded.allocated() < 24);
    }

    #[test]
    fn a_ceiling_lowered_from_outside_stops_the_build_within_1024_nodes() {
        let ceiling = Arc::new(AtomicUsize::new(usize::MAX));
        let mut b = Bdd::new(1_000_000).with_ceiling(ceiling.clone());
        let x = vars(&mut b, 13_000);
        assert!(b.fold(true, &x[..3000]).is_ok() && !b.out_of_work());
        // Another thread lowers it: the next check (every 1024 nodes made) refuses, and so
        // does every operation after, without collecting garbage first.
        let limit = b.made() + 100;
        ceiling.store(limit, Ordering::Relaxed);
        assert_eq!(
            b.fold(false, &x[3000..]),
            Err(TooLarge { budget: 1_000_000 })
        );
        assert!(b.out_of_work());
        assert!((limit..limit + 1024).contains(&b.made()), "{}", b.made());
        assert!(b.var(20_000).is_err());
    }
}

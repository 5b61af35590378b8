//! The exact availability of a topology or fault tree, and how much each component
//! contributes to its unavailability.
//!
//! Method. The system's failure is a Boolean function of its components' failures
//! ([`FaultTree`]); the solver builds its reduced ordered binary decision diagram
//! ([`super::bdd`]) gate by gate, children first, with the events ordered by first
//! appearance in a depth-first walk from the top. The top event's probability is then one
//! pass over the diagram in unavailability space (sums of products of non-negative numbers),
//! so an unavailability of 1e-13 keeps its digits. Shared components and shared subsystems
//! are exact: a variable appears once in the diagram however many gates use it. The cost is
//! the diagram's size; past a node budget the solver refuses and says so.
//!
//! Importance. A component's *contribution* is the drop in system unavailability if it were
//! made perfect: `U − U(uᵢ = 0)`. The system unavailability is linear in each `uᵢ`, so this
//! equals `uᵢ × I_B(i)` where `I_B(i) = ∂U/∂uᵢ = U(uᵢ = 1) − U(uᵢ = 0)` is the Birnbaum
//! importance, read off the same diagram. The share `contribution / U` is the criticality
//! importance (Fussell–Vesely in its risk-reduction form). In a non-coherent tree (with
//! `not` or `xor`) a component's failure can repair the system: its Birnbaum importance and
//! contribution can then be negative.

use super::Topology;
use super::bdd::{self, Bdd, Pass, Ref, Side};
use super::fault_tree::{Arg, FaultTree, Heuristic, Op};
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub use super::bdd::DEFAULT_BUDGET;

/// The exact answer for a topology.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    /// Probability the system is up.
    pub availability: f64,
    /// Probability the system is down, computed directly.
    pub unavailability: f64,
    /// Components used in more than one place.
    pub shared: usize,
    /// Nodes of the decision diagram of the system's failure.
    pub nodes: usize,
    /// The most diagram nodes the solver held at once (live, or garbage not yet collected):
    /// the figure the node budget bounds.
    pub allocated: usize,
    /// Nodes made in all, collected ones included: the solver's work.
    pub made: usize,
    /// Whether the failure function is monotone (no `not`, `xor`, `nand`, `nor`).
    pub coherent: bool,
    /// Every component, largest contribution first (ties in file order).
    pub importance: Vec<Importance>,
}

/// How much one component contributes to the system's unavailability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Importance {
    /// Index in [`Topology::components`] (or [`FaultTree::events`]).
    pub component: usize,
    /// Its name.
    pub name: String,
    /// Its own unavailability.
    pub unavailability: f64,
    /// Birnbaum importance `∂U/∂uᵢ`: how much system unavailability one unit of this
    /// component's unavailability causes.
    pub birnbaum: f64,
    /// Drop in system unavailability if this component never failed: `uᵢ × I_B(i)`.
    pub contribution: f64,
    /// `contribution / U`: the share of the system's unavailability this component removes
    /// when made perfect (criticality importance). Shares need not add up to 1 (redundant
    /// components fail together).
    pub share: f64,
    /// Whether several places use this component.
    pub shared: bool,
}

/// Why the exact solver refused a topology.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolveError {
    /// The decision diagram outgrew its node budget.
    #[error(
        "the exact solver's decision diagram for this system needs more than {budget} nodes (its budget, --max-nodes)"
    )]
    TooLarge {
        /// The budget.
        budget: usize,
    },
}

impl From<bdd::TooLarge> for SolveError {
    fn from(e: bdd::TooLarge) -> Self {
        SolveError::TooLarge { budget: e.budget }
    }
}

/// Solves a topology exactly with the default node budget.
pub fn solve(t: &Topology) -> Result<Solution, SolveError> {
    solve_tree(&FaultTree::from_topology(t, "system"), DEFAULT_BUDGET)
}

/// Solves a fault tree exactly, refusing past `budget` diagram nodes held at once. See the
/// module documentation for the method.
///
/// No static variable order suits every tree, so the solver has [`ATTEMPTS`], each giving
/// up (deterministically) after making its share of nodes, a multiple of the budget:
/// raising `--max-nodes` gives every attempt more room. The answer is that of the first
/// attempt, in that order, that succeeds. With several cores, as many attempts run at once
/// as there are cores, started in order, each once the one before has made
/// [`HEAD_START`] nodes or finished: once one succeeds the later ones stop (they can no
/// longer be chosen) while the earlier ones still running finish. Which attempt answers
/// depends on node counts only, never on timing, so the answer is the same to the last bit
/// on any machine. Each running attempt holds its own diagram: memory is up to one budget
/// per core.
pub fn solve_tree(original: &FaultTree, budget: usize) -> Result<Solution, SolveError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    solve_on(original, budget, cores)
}

/// [`solve_tree`] with at most `workers` attempts running at once.
fn solve_on(original: &FaultTree, budget: usize, workers: usize) -> Result<Solution, SolveError> {
    let n = ATTEMPTS.len();
    // Setting an attempt's ceiling to 0 stops it.
    let ceilings: Vec<Arc<AtomicUsize>> = (0..n)
        .map(|_| Arc::new(AtomicUsize::new(usize::MAX)))
        .collect();
    let results: Vec<Mutex<Option<Result<Solution, SolveError>>>> =
        (0..n).map(|_| Mutex::new(None)).collect();
    // Nodes made by each attempt so far (usize::MAX once it has finished).
    let progress: Vec<Arc<AtomicUsize>> = (0..n).map(|_| Arc::new(AtomicUsize::new(0))).collect();
    let next = AtomicUsize::new(0);
    // The first attempt known to have succeeded (n while none has).
    let first = AtomicUsize::new(n);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            if i >= n || first.load(Ordering::SeqCst) < i {
                break;
            }
            // A later attempt starts once the one before has made HEAD_START nodes (or
            // finished): most trees are solved by then, and an attempt running beside
            // another costs it memory bandwidth and page faults.
            while i > 0
                && progress[i - 1].load(Ordering::SeqCst) < HEAD_START
                && first.load(Ordering::SeqCst) >= i
            {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            if first.load(Ordering::SeqCst) < i {
                break;
            }
            let (preprocess, heuristic, eighths) = ATTEMPTS[i];
            let r = attempt(
                original,
                budget,
                budget.saturating_mul(eighths) / 8,
                preprocess,
                heuristic,
                Some(ceilings[i].clone()),
                Some(progress[i].clone()),
            );
            progress[i].store(usize::MAX, Ordering::SeqCst);
            if r.is_ok() {
                first.fetch_min(i, Ordering::SeqCst);
                for later in &ceilings[i + 1..] {
                    later.store(0, Ordering::SeqCst);
                }
            }
            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        }
    };
    match workers.clamp(1, n) {
        1 => work(),
        w => std::thread::scope(|s| {
            for _ in 0..w {
                s.spawn(work);
            }
        }),
    }
    let mut last = Err(SolveError::TooLarge { budget });
    for r in results {
        match r.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok(solution)) => return Ok(solution),
            Some(err) => last = err,
            None => {}
        }
    }
    last
}

/// The attempts of [`solve_tree`]: preprocessing, variable order, and the nodes it may make
/// in eighths of the budget. Measured on the Aralia benchmark (nodes made): full
/// preprocessing (SCRAM's merging of equal gates and Boolean optimization, then coalescing
/// and modules) with the topological order suits almost every tree (edf9202 1,367, where
/// without the Boolean optimization it needed 1.44 million; edf9203 0.89 million against
/// 1.32; cea9601 2.75 million). das9701 needs the deepest-first order on the tree as written
/// (coalescing and modules only: 11.4 million made, against 42 million under the first
/// attempt; the Boolean optimization reshapes it so that this order passes the budget), and
/// on two cores it runs beside the first from the start. The first stops at 3/8 of the
/// budget (3 million by default, enough for cea9601). nus9601 (1567 events) passes every
/// bound.
pub const ATTEMPTS: &[(u8, Heuristic, usize)] =
    &[(3, Heuristic::Topological, 3), (2, Heuristic::Deepest, 32)];

/// [`solve_tree`] with a given preprocessing (0 none, 1 coalescing, 2 coalescing and
/// module creation, 3 merging equal gates and Boolean optimization before those) and
/// variable order.
pub fn solve_with(
    original: &FaultTree,
    budget: usize,
    preprocess: u8,
    heuristic: Heuristic,
) -> Result<Solution, SolveError> {
    attempt(
        original,
        budget,
        usize::MAX,
        preprocess,
        heuristic,
        None,
        None,
    )
}

/// Nodes an attempt makes before the next one starts beside it (see [`solve_tree`]): a
/// quarter of the default budget, two thirds of the first attempt's share. On a loaded
/// 2-core machine, edf9204 of the Aralia benchmark took 0.9 s of processor time alone and
/// 1.6 s with the second attempt beside it, and twice the wall time.
pub const HEAD_START: usize = 2_000_000;

/// [`solve_with`] giving up (as past the budget) after making `work` nodes, stopped once
/// `ceiling` falls below its nodes made, publishing them in `progress`.
fn attempt(
    original: &FaultTree,
    budget: usize,
    work: usize,
    preprocess: u8,
    heuristic: Heuristic,
    ceiling: Option<Arc<AtomicUsize>>,
    progress: Option<Arc<AtomicUsize>>,
) -> Result<Solution, SolveError> {
    let tree = &match preprocess {
        0 => original.clone(),
        1 => original.coalesced(),
        2 => original.coalesced().modularized(),
        _ => original
            .deduplicated()
            .optimized()
            .coalesced()
            .modularized(),
    };
    let modules = tree.modules();
    let (level, gate_level) = tree.order(&modules, heuristic);
    let levels = tree.events.len() + gate_level.iter().filter(|&&l| l != u32::MAX).count();
    let mut p = vec![0.0; levels];
    let mut q = vec![1.0; levels];
    for (e, &l) in tree.events.iter().zip(&level) {
        p[l as usize] = e.probability;
        q[l as usize] = e.complement;
    }
    let mut b = Bdd::new(budget).with_work_limit(work);
    if let Some(ceiling) = ceiling {
        b = b.with_ceiling(ceiling);
    }
    if let Some(progress) = progress {
        b = b.with_progress(progress);
    }
    let reach = tree.reachable_gates();
    // The last gate (in build order) that reads each gate's diagram: after it, the diagram
    // is garbage unless the gate is a module (its root stays for the probability pass).
    let mut last_read = vec![0usize; tree.gates.len()];
    for (g, gate) in tree.gates.iter().enumerate() {
        for a in &gate.args {
            if let Arg::Gate(c) = *a {
                last_read[c] = last_read[c].max(g);
            }
        }
    }
    let mut gates: Vec<Ref> = vec![bdd::FALSE; tree.gates.len()];
    // Module gates in post-order, with the root of their own diagram.
    let mut solved: Vec<(usize, Ref)> = Vec::new();
    let mut args = Vec::new();
    // Nodes held after the last collection before a gate.
    let mut held = 0;
    for (g, gate) in tree.gates.iter().enumerate() {
        if !reach[g] {
            continue;
        }
        // Past three quarters of the budget, the garbage goes before the next gate, once an
        // eighth of the budget has been made since the last time (a collection costs a pass
        // over every node held: collecting before every gate when most nodes live would cost
        // more than the gates); a gate that still runs out collects again (keeping its
        // arguments) and retries its step.
        let keep = |c: usize| last_read[c] >= g;
        if b.allocated() > budget / 4 * 3 && b.allocated().saturating_sub(held) > budget / 8 {
            collect(&mut b, &mut gates, &mut solved, keep, &mut []);
            held = b.allocated();
        }
        arguments(
            &mut b,
            gate,
            &level,
            &gate_level,
            &modules,
            &gates,
            &mut args,
        )?;
        let built = apply(
            &mut b,
            gate.op,
            &mut args,
            &mut |b: &mut Bdd, extra: &mut [Ref]| collect(b, &mut gates, &mut solved, keep, extra),
        );
        gates[g] = built?;
        if modules[g] {
            solved.push((g, gates[g]));
        }
    }
    b.release_tables();
    let mut pass = Pass::default();
    let mut nodes = 0;
    let mut birnbaum = vec![0.0; levels];
    let (total, up) = match tree.top {
        Arg::Gate(top) => {
            // Modules bottom-up: each one's probability becomes its variable's in its parent.
            let mut result = (0.0, 1.0);
            for &(g, root) in &solved {
                let pq = pass.probability(&b, root, &p, &q);
                nodes += pass.size(&b, root);
                if g == top {
                    result = pq;
                } else {
                    p[gate_level[g] as usize] = pq.0;
                    q[gate_level[g] as usize] = pq.1;
                }
            }
            // Importance top-down by the chain rule: ∂U/∂p(event) = ∂U/∂P(module) × ∂P(module)/∂p(event).
            for &(g, root) in solved.iter().rev() {
                let scale = if g == top {
                    1.0
                } else {
                    birnbaum[gate_level[g] as usize]
                };
                pass.probability(&b, root, &p, &q);
                pass.birnbaum(&b, root, &p, &q, scale, &mut birnbaum);
            }
            result
        }
        Arg::Event(e) => {
            birnbaum[level[e] as usize] = 1.0;
            nodes = 1;
            (tree.events[e].probability, tree.events[e].complement)
        }
        Arg::Constant(c) => (f64::from(u8::from(c)), f64::from(u8::from(!c))),
    };
    let mut importance: Vec<Importance> = tree
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let bi = birnbaum[level[i] as usize];
            let contribution = e.probability * bi;
            Importance {
                component: i,
                name: e.name.clone(),
                unavailability: e.probability,
                birnbaum: bi,
                contribution,
                share: if total > 0.0 {
                    contribution / total
                } else {
                    0.0
                },
                shared: e.uses > 1,
            }
        })
        .collect();
    // Equal components (copies from `count`) get contributions that differ in the last bits
    // from the order of the sums; compare on 12 significant digits so they tie and keep
    // file order.
    let key = |c: f64| format!("{c:.11e}").parse::<f64>().unwrap_or(c);
    importance.sort_by(|a, b| {
        key(b.contribution)
            .total_cmp(&key(a.contribution))
            .then(a.component.cmp(&b.component))
    });
    Ok(Solution {
        availability: up,
        unavailability: total,
        shared: tree.events.iter().filter(|e| e.uses > 1).count(),
        nodes,
        allocated: b.peak(),
        made: b.made(),
        coherent: tree.is_coherent(),
        importance,
    })
}

/// Lower and upper bounds on the top event's probability, from diagrams truncated at a
/// probability cut-off: the answer for trees whose exact diagram passes the node budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bounds {
    /// The unavailability is at least this.
    pub lower: f64,
    /// The unavailability is at most this.
    pub upper: f64,
    /// `1 − upper`, computed directly: the availability is at least this.
    pub availability_lower: f64,
    /// `1 − lower`, computed directly: the availability is at most this.
    pub availability_upper: f64,
    /// The reach probability below which sub-diagrams were cut.
    pub cutoff: f64,
    /// Nodes of the top event's two diagrams (lower and upper).
    pub nodes: usize,
    /// The most diagram nodes held at once.
    pub allocated: usize,
    /// Nodes made in all, collected ones included.
    pub made: usize,
    /// Whether the failure function is monotone (no `not`, `xor`, `nand`, `nor`).
    pub coherent: bool,
}

/// The cut-off of [`bounds`] unless the caller gives one.
pub const DEFAULT_CUTOFF: f64 = 1e-9;

/// The name of the method of [`bounds`], as the output states it.
pub const BOUNDS_METHOD: &str = "truncated BDD";

/// Bounds on the top event's probability of a fault tree, holding at most `budget` diagram
/// nodes at once, for any tree (coherent or not).
///
/// Method. Every gate gets two diagrams, a lower function `L ≤ gate` and an upper one
/// `U ≥ gate` (as Boolean functions: `L` implies the gate, the gate implies `U`). Events and
/// modules are exact (`L = U = x`); `and`, `or` and `atleast` combine the arguments' lower
/// functions into the gate's lower one and their upper ones into its upper one (they are
/// monotone); `not`, `nand` and `nor` swap them; `a ⊕ b` is bounded by
/// `(L_a ∧ ¬U_b) ∨ (¬U_a ∧ L_b)` below and `(U_a ∧ ¬L_b) ∨ (¬L_a ∧ U_b)` above. After each
/// gate, every sub-diagram that a walk from the gate's root reaches with probability below
/// `cutoff` is cut: replaced by false in `L`, by true in `U` ([`Bdd::truncated`]). Each cut
/// moves the top event's probability by at most the reach probability of what was cut.
/// A module (a gate sharing no event with the rest of the tree) is a variable of its
/// parents whose probability lies between `P(L)` and `P(U)`; the probability passes take
/// the extreme ends ([`Pass::extreme`]). So `lower ≤ P(top) ≤ upper` always holds, for
/// coherent and non-coherent trees alike; a smaller cut-off gives bounds at least as tight
/// for the same gate diagrams, at the price of larger diagrams, and a cut-off of 0 gives the
/// exact answer twice.
pub fn bounds(original: &FaultTree, budget: usize, cutoff: f64) -> Result<Bounds, SolveError> {
    let tree = &original
        .deduplicated()
        .optimized()
        .coalesced()
        .modularized();
    let modules = tree.modules();
    let (level, gate_level) = tree.order(&modules, Heuristic::Topological);
    let levels = tree.events.len() + gate_level.iter().filter(|&&l| l != u32::MAX).count();
    // Each variable's probability range: (P, Q) at its low end and at its high end.
    let mut low = vec![(0.0, 1.0); levels];
    let mut high = vec![(0.0, 1.0); levels];
    for (e, &l) in tree.events.iter().zip(&level) {
        low[l as usize] = (e.probability, e.complement);
        high[l as usize] = (e.probability, e.complement);
    }
    // Reach probabilities for the cuts: a module's high end both ways over-estimates the
    // reach of what lies below it, so the cut is cautious.
    let mut p = vec![0.0; levels];
    let mut q = vec![1.0; levels];
    for (e, &l) in tree.events.iter().zip(&level) {
        p[l as usize] = e.probability;
        q[l as usize] = e.complement;
    }
    let mut b = Bdd::new(budget).with_cut(p, q, cutoff);
    let reach = tree.reachable_gates();
    let mut last_read = vec![0usize; tree.gates.len()];
    for (g, gate) in tree.gates.iter().enumerate() {
        for a in &gate.args {
            if let Arg::Gate(c) = *a {
                last_read[c] = last_read[c].max(g);
            }
        }
    }
    // Gate g's lower diagram at 2g, its upper one at 2g + 1.
    let mut gates: Vec<Ref> = vec![bdd::FALSE; 2 * tree.gates.len()];
    let mut solved: Vec<(usize, Ref)> = Vec::new();
    let mut pass = Pass::default();
    let mut args = Vec::new();
    let mut held = 0;
    let mut result = None;
    for (g, gate) in tree.gates.iter().enumerate() {
        if !reach[g] {
            continue;
        }
        let keep = |c: usize| c / 2 == g || last_read[c / 2] >= g;
        if b.allocated() > budget / 4 * 3 && b.allocated().saturating_sub(held) > budget / 8 {
            collect(&mut b, &mut gates, &mut solved, keep, &mut []);
            held = b.allocated();
        }
        // Lower diagram first, then upper; each is stored before the next is built, so a
        // collection in between keeps it.
        for upper in [false, true] {
            let (side, other) = if upper {
                (Side::Upper, Side::Lower)
            } else {
                (Side::Lower, Side::Upper)
            };
            let mut once = |b: &mut Bdd, gates: &mut Vec<Ref>, solved: &mut Vec<(usize, Ref)>| {
                match gate.op {
                    Op::And | Op::Or | Op::AtLeast { .. } => {
                        bound_arguments(
                            b,
                            gate,
                            &level,
                            &gate_level,
                            &modules,
                            gates,
                            upper,
                            &mut args,
                        )?;
                        b.set_side(side);
                        apply(
                            b,
                            gate.op,
                            &mut args,
                            &mut |b: &mut Bdd, extra: &mut [Ref]| {
                                collect(b, gates, solved, keep, extra)
                            },
                        )
                    }
                    // The negation of the other side's bound, that bound rounded the other way.
                    Op::Not | Op::Nand | Op::Nor => {
                        bound_arguments(
                            b,
                            gate,
                            &level,
                            &gate_level,
                            &modules,
                            gates,
                            !upper,
                            &mut args,
                        )?;
                        b.set_side(other);
                        let inner = match gate.op {
                            Op::Not => args[0],
                            op => {
                                let fold = if op == Op::Nand { Op::And } else { Op::Or };
                                apply(b, fold, &mut args, &mut |b: &mut Bdd, extra: &mut [Ref]| {
                                    collect(b, gates, solved, keep, extra)
                                })?
                            }
                        };
                        b.set_side(side);
                        b.not(inner)
                    }
                    Op::Xor => {
                        let mut lower = Vec::new();
                        bound_arguments(
                            b,
                            gate,
                            &level,
                            &gate_level,
                            &modules,
                            gates,
                            false,
                            &mut lower,
                        )?;
                        bound_arguments(
                            b,
                            gate,
                            &level,
                            &gate_level,
                            &modules,
                            gates,
                            true,
                            &mut args,
                        )?;
                        xor_bound(b, &lower, &args, upper)
                    }
                }
            };
            let built = match once(&mut b, &mut gates, &mut solved) {
                Ok(r) => r,
                Err(_) => {
                    collect(&mut b, &mut gates, &mut solved, keep, &mut []);
                    held = b.allocated();
                    once(&mut b, &mut gates, &mut solved)?
                }
            };
            gates[2 * g + usize::from(upper)] = built;
        }
        if modules[g] {
            solved.push((2 * g, gates[2 * g]));
            solved.push((2 * g + 1, gates[2 * g + 1]));
            let lower = pass.extreme(&b, gates[2 * g], &low, &high, true);
            let upper = pass.extreme(&b, gates[2 * g + 1], &low, &high, false);
            pass.forget();
            if Arg::Gate(g) == tree.top {
                let nodes = pass.size(&b, gates[2 * g]) + pass.size(&b, gates[2 * g + 1]);
                pass.forget();
                result = Some((lower, upper, nodes));
            } else {
                let l = gate_level[g] as usize;
                low[l] = lower;
                high[l] = upper;
                b.set_reach(l, upper.0, lower.1);
            }
        }
    }
    let ((lower, upper, nodes), coherent) = match tree.top {
        Arg::Gate(_) => (
            result.unwrap_or(((0.0, 1.0), (1.0, 0.0), 0)),
            tree.is_coherent(),
        ),
        Arg::Event(e) => {
            let pq = (tree.events[e].probability, tree.events[e].complement);
            ((pq, pq, 1), true)
        }
        Arg::Constant(c) => {
            let pq = (f64::from(u8::from(c)), f64::from(u8::from(!c)));
            ((pq, pq, 0), true)
        }
    };
    Ok(Bounds {
        lower: lower.0,
        upper: upper.0,
        availability_lower: upper.1,
        availability_upper: lower.1,
        cutoff,
        nodes,
        allocated: b.peak(),
        made: b.made(),
        coherent,
    })
}

/// The diagrams of a gate's arguments for [`bounds`]: the lower (`upper` false) or upper
/// diagram of each sub-gate that is not a module.
#[allow(clippy::too_many_arguments)]
fn bound_arguments(
    b: &mut Bdd,
    gate: &super::fault_tree::Gate,
    level: &[u32],
    gate_level: &[u32],
    modules: &[bool],
    gates: &[Ref],
    upper: bool,
    args: &mut Vec<Ref>,
) -> Result<(), bdd::TooLarge> {
    args.clear();
    for a in &gate.args {
        args.push(match *a {
            Arg::Event(e) => b.var(level[e])?,
            Arg::Gate(c) if modules[c] => b.var(gate_level[c])?,
            Arg::Gate(c) => gates[2 * c + usize::from(upper)],
            Arg::Constant(true) => bdd::TRUE,
            Arg::Constant(false) => bdd::FALSE,
        });
    }
    Ok(())
}

/// A lower (`want_upper` false) or upper bound of the parity of arguments lying between
/// `lower[i]` and `upper[i]`: `a ⊕ b` is at least `(L_a ∧ ¬U_b) ∨ (¬U_a ∧ L_b)` and at most
/// `(U_a ∧ ¬L_b) ∨ (¬L_a ∧ U_b)`, folded from the first argument; each part is rounded
/// towards the bound it builds.
fn xor_bound(
    b: &mut Bdd,
    lower: &[Ref],
    upper: &[Ref],
    want_upper: bool,
) -> Result<Ref, bdd::TooLarge> {
    let (mut lo, mut hi) = (lower[0], upper[0]);
    for (&lb, &hb) in lower.iter().zip(upper).skip(1) {
        b.set_side(Side::Lower);
        let (not_hb, not_hi) = (b.not(hb)?, b.not(hi)?);
        let (x, y) = (b.and(lo, not_hb)?, b.and(not_hi, lb)?);
        let new_lo = b.or(x, y)?;
        b.set_side(Side::Upper);
        let (not_lb, not_lo) = (b.not(lb)?, b.not(lo)?);
        let (x, y) = (b.and(hi, not_lb)?, b.and(not_lo, hb)?);
        hi = b.or(x, y)?;
        lo = new_lo;
    }
    Ok(if want_upper { hi } else { lo })
}

/// Frees the diagram nodes that neither the module roots, the gates `keep` accepts nor
/// `extra` still reach, rewriting all of them; the other gates' diagrams are dropped (they
/// are read no more).
fn collect(
    b: &mut Bdd,
    gates: &mut [Ref],
    solved: &mut [(usize, Ref)],
    keep: impl Fn(usize) -> bool,
    extra: &mut [Ref],
) {
    let kept: Vec<usize> = (0..gates.len())
        .filter(|&c| keep(c) && gates[c] > bdd::TRUE)
        .collect();
    let mut roots: Vec<Ref> = kept.iter().map(|&c| gates[c]).collect();
    roots.extend(solved.iter().map(|s| s.1));
    roots.extend_from_slice(extra);
    b.collect(&mut roots);
    for r in gates.iter_mut() {
        *r = bdd::FALSE;
    }
    let (for_gates, rest) = roots.split_at(kept.len());
    let (for_solved, for_extra) = rest.split_at(solved.len());
    for (&c, &r) in kept.iter().zip(for_gates) {
        gates[c] = r;
    }
    for (s, &r) in solved.iter_mut().zip(for_solved) {
        s.1 = r;
    }
    extra.copy_from_slice(for_extra);
}

/// The diagrams of a gate's arguments (`gates` for sub-gates that are not modules).
fn arguments(
    b: &mut Bdd,
    gate: &super::fault_tree::Gate,
    level: &[u32],
    gate_level: &[u32],
    modules: &[bool],
    gates: &[Ref],
    args: &mut Vec<Ref>,
) -> Result<(), bdd::TooLarge> {
    args.clear();
    for a in &gate.args {
        args.push(match *a {
            Arg::Event(e) => b.var(level[e])?,
            Arg::Gate(c) if modules[c] => b.var(gate_level[c])?,
            Arg::Gate(c) => gates[c],
            Arg::Constant(true) => bdd::TRUE,
            Arg::Constant(false) => bdd::FALSE,
        });
    }
    Ok(())
}

/// A gate's diagram from its arguments'. `room` frees garbage (see [`Bdd::fold_with`]); an
/// operation other than a fold that runs out of room gets one more try after it.
fn apply(
    b: &mut Bdd,
    op: Op,
    args: &mut [Ref],
    room: &mut impl FnMut(&mut Bdd, &mut [Ref]),
) -> Result<Ref, bdd::TooLarge> {
    let whole = |b: &mut Bdd, args: &[Ref]| -> Result<Ref, bdd::TooLarge> {
        match op {
            Op::AtLeast { k } => b.at_least(k, args),
            Op::Not => b.not(args[0]),
            _ => {
                let mut acc = bdd::FALSE;
                for &f in args {
                    acc = b.xor(acc, f)?;
                }
                Ok(acc)
            }
        }
    };
    match op {
        Op::And | Op::Or => b.fold_with(op == Op::And, args, room),
        Op::Nand | Op::Nor => {
            let f = b.fold_with(op == Op::Nand, args, room)?;
            b.not(f)
        }
        Op::AtLeast { .. } | Op::Not | Op::Xor => whole(b, args).or_else(|_| {
            room(b, args);
            whole(b, args)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::availability::{k_of_n, parallel, series};
    use crate::capacity::topology::parse;
    use crate::capacity::topology::{Kind, Node};
    use proptest::prelude::*;

    fn rel(a: f64, b: f64) -> f64 {
        if a == b { 0.0 } else { ((a - b) / b).abs() }
    }

    /// Unavailability by enumerating every up/down combination of every component.
    fn brute_force(t: &Topology, perfect: Option<usize>) -> f64 {
        let n = t.components.len();
        assert!(n <= 22, "too many components to enumerate");
        let mut up = vec![false; n];
        let mut scratch = Vec::new();
        let mut total = 0.0;
        for state in 0u64..1 << n {
            let mut w = 1.0;
            for (i, c) in t.components.iter().enumerate() {
                let down = state >> i & 1 == 1;
                let (a, u) = if Some(i) == perfect {
                    (1.0, 0.0)
                } else {
                    (c.availability, c.unavailability)
                };
                w *= if down { u } else { a };
                up[i] = !down;
            }
            if w > 0.0 && !t.is_up(&up, &mut scratch) {
                total += w;
            }
        }
        total
    }

    const THREE_TIER: &str = "components:\n  dns: { availability: 0.9999 }\nsystem:\n  series:\n    - ref: dns\n    - parallel:\n        - { name: lb-a, availability: 0.999 }\n        - { name: lb-b, availability: 0.999 }\n    - k_of_n: { k: 3, of: [ { name: app, availability: 0.995, count: 5 } ] }\n    - parallel:\n        - { name: db-primary, mttf: 2000h, mttr: 1h }\n        - { name: db-replica, mttf: 2000h, mttr: 1h }\n";

    #[test]
    fn three_tier_is_the_product_of_its_tiers() {
        let t = parse(THREE_TIER, "t.yaml").unwrap();
        let s = solve(&t).unwrap();
        let db = 2000.0 / 2001.0;
        let expected = series(&[
            0.9999,
            parallel(&[0.999, 0.999]).availability,
            k_of_n(3, 5, 0.995).availability,
            parallel(&[db, db]).availability,
        ]);
        assert!(
            rel(s.unavailability, expected.unavailability) < 1e-12,
            "{s:?}"
        );
        assert!(rel(s.unavailability, brute_force(&t, None)) < 1e-10);
        assert_eq!(s.importance[0].name, "dns");
        assert_eq!(s.shared, 0);
        assert!(s.coherent);
    }

    #[test]
    fn shared_components_match_brute_force_enumeration() {
        let text = "components:\n  power: { availability: 0.99 }\n  auth: { availability: 0.995 }\nsystem:\n  parallel:\n    - series: [ { ref: power }, { ref: auth }, { name: a, availability: 0.9 } ]\n    - series: [ { ref: power }, { name: b, availability: 0.95 } ]\n    - k_of_n: { k: 2, of: [ { ref: auth }, { name: c, availability: 0.8, count: 3 } ] }\n";
        let t = parse(text, "s.yaml").unwrap();
        assert_eq!(t.shared().len(), 2);
        let s = solve(&t).unwrap();
        let brute = brute_force(&t, None);
        assert!(
            rel(s.unavailability, brute) < 1e-12,
            "{} vs {brute}",
            s.unavailability
        );
        for imp in &s.importance {
            let drop = brute - brute_force(&t, Some(imp.component));
            assert!(
                (imp.contribution - drop).abs() < 1e-12 * brute.max(1e-300) + 1e-15,
                "{}: {} vs {drop}",
                imp.name,
                imp.contribution
            );
        }
    }

    #[test]
    fn shipped_shared_example_matches_brute_force_enumeration() {
        let text = include_str!("../../../examples/topologies/shared.yaml");
        let t = parse(text, "shared.yaml").unwrap();
        let names: Vec<&str> = t
            .shared()
            .iter()
            .map(|&i| t.components[i].name.as_str())
            .collect();
        assert_eq!(names, ["power", "auth"]);
        let s = solve(&t).unwrap();
        let brute = brute_force(&t, None);
        assert!(
            rel(s.unavailability, brute) < 1e-12,
            "{} vs {brute}",
            s.unavailability
        );
        for imp in s.importance.iter().take(4) {
            let drop = brute - brute_force(&t, Some(imp.component));
            assert!(
                rel(imp.contribution, drop) < 1e-9,
                "{}: {} vs {drop}",
                imp.name,
                imp.contribution
            );
        }
    }

    #[test]
    fn importance_of_independent_components_matches_making_each_perfect() {
        let t = parse(THREE_TIER, "t.yaml").unwrap();
        let s = solve(&t).unwrap();
        let brute = brute_force(&t, None);
        for imp in &s.importance {
            let drop = brute - brute_force(&t, Some(imp.component));
            assert!(
                rel(imp.contribution, drop) < 1e-6,
                "{}: {} vs {drop}",
                imp.name,
                imp.contribution
            );
        }
    }

    #[test]
    fn keeps_unavailabilities_of_1e_minus_12_exact() {
        let text = "system:\n  series:\n    - parallel: [ { availability: 0.999999 }, { availability: 0.999999 } ]\n    - parallel: [ { availability: 0.999999 }, { availability: 0.999999 } ]\n";
        let t = parse(text, "p.yaml").unwrap();
        let s = solve(&t).unwrap();
        let u = 1.0 - 0.999999;
        let expected = 1.0 - (1.0 - u * u) * (1.0 - u * u);
        assert!(
            rel(s.unavailability, 2.0 * u * u) < 1e-11,
            "{s:?} {expected}"
        );
    }

    #[test]
    fn a_single_leaf_is_its_own_system() {
        let t = parse("system: { name: only, availability: 0.9 }\n", "x.yaml").unwrap();
        let s = solve(&t).unwrap();
        assert!(rel(s.unavailability, 0.1) < 1e-12);
        assert_eq!(s.importance[0].birnbaum, 1.0);
    }

    /// A random node as YAML flow text: leaves with random availabilities, refs to three
    /// possibly shared components, and nested groups of every kind.
    fn node() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            (0.5f64..0.999).prop_map(|a| format!("{{ availability: {a} }}")),
            (0usize..3).prop_map(|i| format!("{{ ref: s{i} }}")),
        ];
        leaf.prop_recursive(3, 12, 4, |inner| {
            (0usize..3, prop::collection::vec(inner, 1..4), 0usize..4).prop_map(
                |(kind, children, k)| {
                    let list = children.join(", ");
                    match kind {
                        0 => format!("{{ series: [ {list} ] }}"),
                        1 => format!("{{ parallel: [ {list} ] }}"),
                        _ => format!(
                            "{{ k_of_n: {{ k: {}, of: [ {list} ] }} }}",
                            1 + k % children.len()
                        ),
                    }
                },
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn exact_answer_and_contributions_match_brute_force_on_random_topologies(
            system in node(), shared in prop::collection::vec(0.5f64..0.999, 3)
        ) {
            let text = format!(
                "components: {{ s0: {{ availability: {} }}, s1: {{ availability: {} }}, s2: {{ availability: {} }} }}\nsystem: {system}\n",
                shared[0], shared[1], shared[2]
            );
            let t = parse(&text, "random.yaml").unwrap();
            prop_assume!(t.components.len() <= 14);
            let s = solve(&t).unwrap();
            let brute = brute_force(&t, None);
            prop_assert!((s.unavailability - brute).abs() <= 1e-12 + 1e-9 * brute, "{} vs {brute}\n{text}", s.unavailability);
            for imp in &s.importance {
                let drop = brute - brute_force(&t, Some(imp.component));
                prop_assert!((imp.contribution - drop).abs() <= 1e-12 + 1e-9 * drop.abs(), "{}: {} vs {drop}\n{text}", imp.name, imp.contribution);
            }
        }
    }

    /// Unavailability by series-parallel reduction (no sharing: children independent).
    fn reduce(t: &Topology, n: Node) -> f64 {
        use crate::capacity::availability::{k_of_n_u, series_u};
        match n {
            Node::Component(c) => t.components[c].unavailability,
            Node::Group(g) => {
                let u: Vec<f64> = t.groups[g].children.iter().map(|&c| reduce(t, c)).collect();
                match t.groups[g].kind {
                    Kind::Series => series_u(&u),
                    Kind::Parallel => u.iter().product(),
                    Kind::KOfN { k } => k_of_n_u(k, &u),
                }
            }
        }
    }

    /// A random node without refs: leaves (some with `count`) in nested groups.
    fn independent_node() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            (0.9f64..0.99999).prop_map(|a| format!("{{ availability: {a} }}")),
            (0.99f64..0.9999, 2usize..6)
                .prop_map(|(a, n)| format!("{{ availability: {a}, count: {n} }}")),
        ];
        leaf.prop_recursive(4, 60, 6, |inner| {
            (
                0usize..3,
                prop::collection::vec(inner, 1..6),
                any::<usize>(),
            )
                .prop_map(|(kind, children, k)| {
                    let list = children.join(", ");
                    // k up to the listed members: `count` only adds members.
                    let k = 1 + k % children.len();
                    match kind {
                        0 => format!("{{ series: [ {list} ] }}"),
                        1 => format!("{{ parallel: [ {list} ] }}"),
                        _ => format!("{{ k_of_n: {{ k: {k}, of: [ {list} ] }} }}"),
                    }
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn bdd_equals_series_parallel_reduction_without_sharing(system in independent_node()) {
            let t = parse(&format!("system: {{ series: [ {system} ] }}\n"), "r.yaml").unwrap();
            let s = solve(&t).unwrap();
            let expected = reduce(&t, t.root);
            prop_assert!(
                (s.unavailability - expected).abs() <= 1e-12 * expected + 1e-300,
                "{} vs {expected}\n{system}", s.unavailability
            );
        }
    }

    /// A random node that may use three shared leaves and a shared subsystem `sub`.
    fn shared_node() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            (0.5f64..0.999).prop_map(|a| format!("{{ availability: {a} }}")),
            (0usize..3).prop_map(|i| format!("{{ ref: s{i} }}")),
            Just("{ ref: sub }".to_string()),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            (0usize..3, prop::collection::vec(inner, 1..4), 0usize..4).prop_map(
                |(kind, children, k)| {
                    let list = children.join(", ");
                    match kind {
                        0 => format!("{{ series: [ {list} ] }}"),
                        1 => format!("{{ parallel: [ {list} ] }}"),
                        _ => format!(
                            "{{ k_of_n: {{ k: {}, of: [ {list} ] }} }}",
                            1 + k % children.len()
                        ),
                    }
                },
            )
        })
    }

    fn shared_text(system: &str, a: &[f64]) -> String {
        format!(
            "components:\n  s0: {{ availability: {} }}\n  s1: {{ availability: {} }}\n  s2: {{ availability: {} }}\n  sub: {{ k_of_n: {{ k: 2, of: [ {{ ref: s0 }}, {{ availability: {} }}, {{ availability: {} }} ] }} }}\nsystem: {system}\n",
            a[0], a[1], a[2], a[3], a[4]
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn bdd_equals_brute_force_with_shared_components_and_subsystems(
            system in shared_node(), a in prop::collection::vec(0.5f64..0.999, 5)
        ) {
            let text = shared_text(&system, &a);
            let t = parse(&text, "random.yaml").unwrap();
            prop_assume!(t.components.len() <= 16);
            let s = solve(&t).unwrap();
            let brute = brute_force(&t, None);
            prop_assert!((s.unavailability - brute).abs() <= 1e-12 + 1e-9 * brute, "{} vs {brute}\n{text}", s.unavailability);
            for imp in &s.importance {
                let drop = brute - brute_force(&t, Some(imp.component));
                prop_assert!((imp.contribution - drop).abs() <= 1e-12 + 1e-9 * drop.abs(), "{}: {} vs {drop}\n{text}", imp.name, imp.contribution);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn attempts_side_by_side_answer_as_the_first_that_succeeds_alone(
            system in shared_node(), a in prop::collection::vec(0.5f64..0.999, 5),
            budget in 16usize..400
        ) {
            let t = parse(&shared_text(&system, &a), "random.yaml").unwrap();
            let tree = FaultTree::from_topology(&t, "system");
            // One after the other, without a ceiling: the first that succeeds.
            let mut first: Result<Solution, SolveError> = Err(SolveError::TooLarge { budget });
            for &(preprocess, heuristic, eighths) in ATTEMPTS {
                let work = budget * eighths / 8;
                first = attempt(&tree, budget, work, preprocess, heuristic, None, None);
                if first.is_ok() {
                    break;
                }
            }
            for workers in 1..=3 {
                prop_assert_eq!(&solve_on(&tree, budget, workers), &first, "{} workers", workers);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        #[test]
        fn bdd_lies_in_the_monte_carlo_interval_on_larger_topologies(
            parts in prop::collection::vec(shared_node(), 4..8),
            a in prop::collection::vec(0.5f64..0.999, 5),
            seed in 1u64..1000
        ) {
            let system = format!("{{ k_of_n: {{ k: 2, of: [ {} ] }} }}", parts.join(", "));
            let text = shared_text(&system, &a);
            let t = parse(&text, "random.yaml").unwrap();
            let s = solve(&t).unwrap();
            // A one-in-a-million interval: the test fails by chance about once in 80 000 runs.
            let plan = crate::capacity::topology::Plan::trials(1 << 20, seed, 1.0 - 1e-6);
            let e = crate::capacity::topology::estimate(&t, &plan, &mut |_| {});
            prop_assert!(e.low <= s.unavailability && s.unavailability <= e.high,
                "{} not in [{}, {}] ({} components)\n{text}", s.unavailability, e.low, e.high, t.components.len());
        }
    }

    #[test]
    fn solves_twenty_one_shared_components_exactly() {
        // Two identical branches of the same 21 components in series: the system is that
        // series, U = 1 − 0.99^21 (the old solver refused past 20 shared components).
        let mut text = String::from("components:\n");
        for i in 0..21 {
            text += &format!("  s{i}: {{ availability: 0.99 }}\n");
        }
        text += "system:\n  parallel:\n";
        for _ in 0..2 {
            text += "    - series:\n";
            for i in 0..21 {
                text += &format!("        - ref: s{i}\n");
            }
        }
        let t = parse(&text, "x.yaml").unwrap();
        let s = solve(&t).unwrap();
        assert_eq!(s.shared, 21);
        let expected = -(21.0 * (-0.01f64).ln_1p()).exp_m1();
        assert!(rel(s.unavailability, expected) < 1e-12, "{s:?}");
    }

    #[test]
    fn bounds_hold_the_exact_answer_of_aralia_trees() {
        // Small trees of the Aralia benchmark, das9601 non-coherent (it uses `not`):
        // at every cut-off the bounds hold the exact answer, and at the coarse ones they
        // have cut something (the bounds are apart).
        let trees = [
            (
                "chinese",
                include_str!("../../../tests/fixtures/aralia/chinese.xml"),
            ),
            (
                "baobab2",
                include_str!("../../../tests/fixtures/aralia/baobab2.xml"),
            ),
            (
                "isp9605",
                include_str!("../../../tests/fixtures/aralia/isp9605.xml"),
            ),
            (
                "das9205",
                include_str!("../../../tests/fixtures/aralia/das9205.xml"),
            ),
            (
                "das9601",
                include_str!("../../../tests/fixtures/aralia/das9601.xml"),
            ),
            (
                "isp9606",
                include_str!("../../../tests/fixtures/aralia/isp9606.xml"),
            ),
            (
                "baobab1",
                include_str!("../../../tests/fixtures/aralia/baobab1.xml"),
            ),
        ];
        let mut apart = 0;
        for (name, text) in trees {
            let tree = super::super::mef::read(text, name).unwrap();
            let exact = solve_tree(&tree, DEFAULT_BUDGET).unwrap().unavailability;
            for cutoff in [1e-3, 1e-6, 1e-9, 1e-12] {
                let b = bounds(&tree, DEFAULT_BUDGET, cutoff).unwrap();
                let slack = 1e-12 * exact;
                assert!(
                    b.lower <= exact + slack && exact <= b.upper + slack,
                    "{name} at {cutoff}: [{}, {}] misses {exact}",
                    b.lower,
                    b.upper
                );
                if b.upper - b.lower > slack {
                    apart += 1;
                }
            }
        }
        assert!(apart >= 5, "only {apart} bounds cut anything");
    }

    #[test]
    fn refuses_past_the_node_budget_and_says_so() {
        let text = "system:\n  k_of_n: { k: 20, of: [ { availability: 0.9, count: 40 } ] }\n";
        let t = parse(text, "x.yaml").unwrap();
        let tree = FaultTree::from_topology(&t, "x");
        let e = solve_tree(&tree, 100).unwrap_err().to_string();
        assert!(e.contains("more than 100 nodes"), "{e}");
        assert!(solve_tree(&tree, 10_000).is_ok());
    }

    #[test]
    fn collects_garbage_to_solve_within_a_budget_the_whole_build_would_pass() {
        // Forty 2-of-3 groups over a pool of thirty shared components, in parallel pairs
        // and in series: every gate leaves intermediate diagrams behind.
        let mut text = String::from("components:\n");
        for i in 0..30 {
            text += &format!("  c{i}: {{ availability: 0.9{} }}\n", i % 7 + 1);
        }
        text += "system:\n  series:\n";
        for g in 0..40 {
            let pick = |o: usize| (g * 11 + o * 7) % 30;
            text += &format!(
                "    - parallel:\n        - k_of_n: {{ k: 2, of: [ {{ ref: c{} }}, {{ ref: c{} }}, {{ ref: c{} }} ] }}\n        - series: [ {{ ref: c{} }}, {{ ref: c{} }} ]\n",
                pick(0),
                pick(1),
                pick(2),
                pick(3),
                pick(4)
            );
        }
        let t = parse(&text, "pool.yaml").unwrap();
        let tree = FaultTree::from_topology(&t, "pool");
        let whole = solve_with(&tree, 10_000_000, 0, Heuristic::FileOrder).unwrap();
        // Between the final diagram's size and what the whole build allocates.
        let budget = (whole.nodes + whole.allocated) / 2;
        assert!(
            whole.allocated > budget && budget > whole.nodes,
            "{whole:?}"
        );
        let tight = solve_with(&tree, budget, 0, Heuristic::FileOrder).unwrap();
        assert!(tight.allocated <= budget, "{} of {budget}", tight.allocated);
        assert_eq!(tight.unavailability, whole.unavailability);
        assert_eq!(tight.nodes, whole.nodes);
        let tighter = solve_with(&tree, whole.nodes / 2, 0, Heuristic::FileOrder);
        assert!(matches!(tighter, Err(SolveError::TooLarge { .. })));
    }
}

//! A system described as components combined in series, in parallel and k-of-n, read from a
//! YAML topology file (format: docs/topology.md), and its availability: exact
//! ([`solve`], on a binary decision diagram; also for Open-PSA MEF fault trees, [`mef`]),
//! by bit-sliced Monte Carlo ([`estimate`], [`simulate`]; the engine is
//! [`Engine`], the intervals [`wilson`] and [`clopper_pearson`]), or through time
//! ([`timeline`]: downtime per year and outages).
//!
//! # Representation
//!
//! A validated [`Topology`] is flat, so an engine can evaluate it with arrays and no
//! recursion:
//!
//! * [`Topology::components`]: every component after `count` expansion, indexed by
//!   position, in the order the file first mentions them. A named component that several
//!   `ref`s point at is **one** entry with `uses > 1` (a shared component); everything else
//!   has `uses == 1`.
//! * [`Topology::groups`]: every series / parallel / k-of-n group, in post-order: a group's
//!   children (component or group indices, see [`Node`]) always have smaller group indices
//!   than the group itself, so evaluating groups in index order sees every child first. A
//!   subsystem under `components:` that several `ref`s use is **one** group listed as a
//!   child by each of them: the groups form a DAG.
//! * [`Topology::root`]: the system, usually the last group (or a single component).
//!
//! Invariants established by validation: every unavailability is in `[0, 1)`; `k` of a
//! k-of-n group is in `1..=children.len()`; no group is empty; at most
//! [`MAX_COMPONENTS`] components; nesting at most [`MAX_DEPTH`] deep.

mod bdd;
mod bitsliced;
mod exact;
mod fault_tree;
mod interval;
pub mod mef;
mod raw;
mod simulate;
mod timeline;

pub use bitsliced::{BLOCK_TRIALS, CHUNK_TRIALS, Engine, SPARSE_BELOW};
pub use exact::{
    BOUNDS_METHOD, Bounds, DEFAULT_BUDGET, DEFAULT_CUTOFF, Importance, Solution, SolveError,
    bounds, solve, solve_tree, solve_with,
};
pub use fault_tree::{Arg, Event, FaultTree, Gate, Heuristic, Op};
pub use interval::{Interval, clopper_pearson, wilson};
pub use raw::{Error, parse};
pub use simulate::{Estimate, Plan, Progress, Stop, estimate, simulate, simulate_with_progress};
pub use timeline::{Failure, Spread, Timeline, TimelinePlan, TimelineProgress, Times, timeline};

use serde::Serialize;

/// Most components a topology may expand to (after `count`).
pub const MAX_COMPONENTS: usize = 1_000_000;
/// Deepest nesting of groups accepted.
pub const MAX_DEPTH: usize = 64;

/// A validated topology: a flat component list and a post-ordered group list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topology {
    /// Every component, expanded, in first-mention order.
    pub components: Vec<Component>,
    /// Every group, children before parents.
    pub groups: Vec<Group>,
    /// The system node.
    pub root: Node,
    /// Names in `components:` that no `ref` uses (they do not affect the system).
    pub unused: Vec<String>,
}

/// One component (a leaf, or a named shared component).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// Its name: the `name:` (with `#i` appended for `count` copies), the key in
    /// `components:`, or the path of the leaf in the file when unnamed.
    pub name: String,
    /// Probability it is up.
    pub availability: f64,
    /// Probability it is down, in `[0, 1)`, kept separately for precision.
    pub unavailability: f64,
    /// Mean time to failure in seconds, when given as mttf + mttr.
    pub mttf: Option<f64>,
    /// Mean time to repair in seconds, when given as mttf + mttr.
    pub mttr: Option<f64>,
    /// How many places in the system use it: above 1 for a shared component.
    pub uses: usize,
}

impl Component {
    /// True when several places use this one component (its failures are correlated).
    pub fn is_shared(&self) -> bool {
        self.uses > 1
    }
}

/// A child of a group: an index into [`Topology::components`] or [`Topology::groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    /// A component index.
    Component(usize),
    /// A group index.
    Group(usize),
}

/// How a group combines its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Up when every child is up.
    Series,
    /// Up when any child is up.
    Parallel,
    /// Up when at least `k` children are up.
    KOfN {
        /// Children that must be up, `1..=children.len()`.
        k: usize,
    },
}

impl Kind {
    /// The minimum number of children that must be up for the group to be up.
    pub fn needed(self, n: usize) -> usize {
        match self {
            Kind::Series => n,
            Kind::Parallel => 1,
            Kind::KOfN { k } => k,
        }
    }
}

/// A series, parallel or k-of-n group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The group's path in the file, e.g. `system/series[1]/parallel`.
    pub name: String,
    /// How it combines its children.
    pub kind: Kind,
    /// Its children, in file order.
    pub children: Vec<Node>,
}

impl Topology {
    /// Indices of the shared components (used in more than one place).
    pub fn shared(&self) -> Vec<usize> {
        (0..self.components.len())
            .filter(|&i| self.components[i].is_shared())
            .collect()
    }

    /// Whether the system is up given each component's state (`up[i]` for component `i`):
    /// the reference evaluation, used by the Monte Carlo sampler and tests. `scratch` holds
    /// one entry per group and is overwritten.
    pub fn is_up(&self, up: &[bool], scratch: &mut Vec<bool>) -> bool {
        scratch.clear();
        for g in &self.groups {
            let value = |n: &Node, scratch: &Vec<bool>| match *n {
                Node::Component(c) => up[c],
                Node::Group(j) => scratch[j],
            };
            let needed = g.kind.needed(g.children.len());
            let mut count = 0;
            for c in &g.children {
                if value(c, scratch) {
                    count += 1;
                    if count >= needed {
                        break;
                    }
                }
            }
            scratch.push(count >= needed);
        }
        match self.root {
            Node::Component(c) => up[c],
            Node::Group(j) => scratch[j],
        }
    }
}

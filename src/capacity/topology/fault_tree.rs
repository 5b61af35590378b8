//! A fault tree: the system's failure as a Boolean function of its components' failures,
//! the form the exact solver works on and the Open-PSA MEF format exchanges.
//!
//! A topology becomes one in failure space: a series group fails when any child fails
//! (`or`), a parallel group when every child does (`and`), a k-of-n group of `n` children
//! when at least `n − k + 1` do (`atleast`). A fault tree read from MEF may also use `not`,
//! `xor`, `nand`, `nor` and constants (house events); then it is *non-coherent* (repairing a
//! component can make the system fail) and only coherent trees turn back into a
//! [`Topology`].
//!
//! Invariants: gates are a DAG whose children have smaller indices than their parent
//! (post-order), every `atleast` has `1 ≤ k ≤ children`, `not` has one child, `xor` two or
//! more.

use super::{Component, Group, Kind, Node, Topology};
use serde::Serialize;

/// A basic event: one component's failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Its name.
    pub name: String,
    /// Probability it happens (the component is down).
    pub probability: f64,
    /// Probability it does not, kept separately for precision.
    pub complement: f64,
    /// How many gates use it.
    pub uses: usize,
}

/// What a gate computes from its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// All children.
    And,
    /// Any child.
    Or,
    /// At least `k` children.
    AtLeast {
        /// How many.
        k: usize,
    },
    /// Not its only child.
    Not,
    /// An odd number of children.
    Xor,
    /// Not all children.
    Nand,
    /// No child.
    Nor,
}

impl Op {
    /// The MEF element name.
    pub fn element(self) -> &'static str {
        match self {
            Op::And => "and",
            Op::Or => "or",
            Op::AtLeast { .. } => "atleast",
            Op::Not => "not",
            Op::Xor => "xor",
            Op::Nand => "nand",
            Op::Nor => "nor",
        }
    }

    /// Whether the gate is monotone (more failures below never repair it).
    pub fn is_coherent(self) -> bool {
        matches!(self, Op::And | Op::Or | Op::AtLeast { .. })
    }
}

/// An argument of a gate, or the top event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// An event index.
    Event(usize),
    /// A gate index.
    Gate(usize),
    /// A constant (a house event, or an empty fault tree).
    Constant(bool),
}

/// A gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// Its name (generated for anonymous nested formulas).
    pub name: String,
    /// What it computes.
    pub op: Op,
    /// Its children, in file order.
    pub args: Vec<Arg>,
}

/// How the exact solver orders variables (see [`FaultTree::order`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heuristic {
    /// Sub-gates first, most used first, then the gate's own events, most used first.
    Topological,
    /// The same without sorting: file order.
    FileOrder,
    /// A gate's own events (most used first) before its sub-gates.
    EventsFirst,
    /// Sub-gates first, the deepest first (the longest path down to an event), the least
    /// used first among equally deep ones, then the gate's own events, most used first.
    /// Deep sub-gates are the large ones: their variables above keep the diagrams of the
    /// many mid-level gates small. On das9701 (Aralia) it allocates 11.4 million nodes
    /// where [`Heuristic::Topological`] needs 50 million; on the rest of the benchmark it
    /// allocates about 15% more.
    Deepest,
}

/// Visit dates of a depth-first walk (see [`FaultTree::dates`]).
struct Dates {
    event_first: Vec<u64>,
    event_last: Vec<u64>,
    gate_first: Vec<u64>,
    gate_last: Vec<u64>,
    exit: Vec<u64>,
    low: Vec<u64>,
    high: Vec<u64>,
}

impl Dates {
    /// The earliest and latest dates of an argument's subgraph (`None` for a constant).
    fn range(&self, a: Arg) -> Option<(u64, u64)> {
        match a {
            Arg::Event(e) => Some((self.event_first[e], self.event_last[e])),
            Arg::Gate(g) => Some((self.low[g], self.high[g])),
            Arg::Constant(_) => None,
        }
    }
}

/// `a` with its gate index looked up in `index` (a renumbering of gates).
fn renumbered(a: Arg, index: &[usize]) -> Arg {
    match a {
        Arg::Gate(c) => Arg::Gate(index[c]),
        other => other,
    }
}

/// A fault tree: events, gates in post-order, and the top event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultTree {
    /// Its name.
    pub name: String,
    /// Every basic event, in first-mention order.
    pub events: Vec<Event>,
    /// Every gate, children before parents.
    pub gates: Vec<Gate>,
    /// The top event.
    pub top: Arg,
}

impl FaultTree {
    /// The fault tree of a topology's failure (see the module documentation); event `i` is
    /// component `i`, gate `g` is group `g`.
    pub fn from_topology(t: &Topology, name: &str) -> Self {
        let arg = |n: &Node| match *n {
            Node::Component(c) => Arg::Event(c),
            Node::Group(g) => Arg::Gate(g),
        };
        let events = t
            .components
            .iter()
            .map(|c| Event {
                name: c.name.clone(),
                probability: c.unavailability,
                complement: c.availability,
                uses: c.uses,
            })
            .collect();
        let gates = t
            .groups
            .iter()
            .map(|g| {
                let n = g.children.len();
                let op = match g.kind {
                    Kind::Series => Op::Or,
                    Kind::Parallel => Op::And,
                    Kind::KOfN { k: 1 } => Op::And,
                    Kind::KOfN { k } if k == n => Op::Or,
                    Kind::KOfN { k } => Op::AtLeast { k: n - k + 1 },
                };
                Gate {
                    name: g.name.clone(),
                    op,
                    args: g.children.iter().map(arg).collect(),
                }
            })
            .collect();
        FaultTree {
            name: name.to_string(),
            events,
            gates,
            top: arg(&t.root),
        }
    }

    /// Names of the named gates (subsystems) that several gates use, in gate order.
    pub fn shared_gates(&self) -> Vec<String> {
        let mut uses = vec![0usize; self.gates.len()];
        for g in &self.gates {
            for a in &g.args {
                if let Arg::Gate(c) = *a {
                    uses[c] += 1;
                }
            }
        }
        self.gates
            .iter()
            .zip(uses)
            .filter(|(g, n)| *n > 1 && !g.name.is_empty())
            .map(|(g, _)| g.name.clone())
            .collect()
    }

    /// Whether every gate reachable from the top is monotone.
    pub fn is_coherent(&self) -> bool {
        self.reachable_gates()
            .iter()
            .zip(&self.gates)
            .all(|(&r, g)| !r || g.op.is_coherent())
    }

    /// Which gates the top event depends on.
    pub fn reachable_gates(&self) -> Vec<bool> {
        let mut seen = vec![false; self.gates.len()];
        if let Arg::Gate(g) = self.top {
            seen[g] = true;
        }
        for g in (0..self.gates.len()).rev() {
            if seen[g] {
                for a in &self.gates[g].args {
                    if let Arg::Gate(c) = *a {
                        seen[c] = true;
                    }
                }
            }
        }
        seen
    }

    /// The same function with every `and` (`or`) child used only once by an `and` (`or`)
    /// parent merged into that parent: fewer gates, and the variable order then groups the
    /// events of a flattened gate together (SCRAM's gate coalescing). Events keep their
    /// indices; gates are renumbered, still children first, and unreachable ones dropped.
    pub fn coalesced(&self) -> FaultTree {
        let reach = self.reachable_gates();
        let mut uses = vec![0usize; self.gates.len()];
        for (g, gate) in self.gates.iter().enumerate() {
            if reach[g] {
                for a in &gate.args {
                    if let Arg::Gate(c) = *a {
                        uses[c] += 1;
                    }
                }
            }
        }
        let mergeable = |g: usize| matches!(self.gates[g].op, Op::And | Op::Or);
        let mut flat: Vec<Vec<Arg>> = vec![Vec::new(); self.gates.len()];
        for g in 0..self.gates.len() {
            if !reach[g] {
                continue;
            }
            let mut args = Vec::with_capacity(self.gates[g].args.len());
            for a in &self.gates[g].args {
                match *a {
                    Arg::Gate(c)
                        if uses[c] == 1 && mergeable(g) && self.gates[c].op == self.gates[g].op =>
                    {
                        args.extend(std::mem::take(&mut flat[c]));
                    }
                    other => args.push(other),
                }
            }
            flat[g] = args;
        }
        // Keep the gates still referenced from the top, renumbered in order.
        let mut keep = vec![false; self.gates.len()];
        if let Arg::Gate(t) = self.top {
            keep[t] = true;
        }
        for g in (0..self.gates.len()).rev() {
            if keep[g] {
                for a in &flat[g] {
                    if let Arg::Gate(c) = *a {
                        keep[c] = true;
                    }
                }
            }
        }
        let mut index = vec![usize::MAX; self.gates.len()];
        let mut gates = Vec::new();
        for g in 0..self.gates.len() {
            if keep[g] {
                index[g] = gates.len();
                gates.push(Gate {
                    name: self.gates[g].name.clone(),
                    op: self.gates[g].op,
                    args: flat[g].iter().map(|&a| renumbered(a, &index)).collect(),
                });
            }
        }
        self.with_gates(gates, renumbered(self.top, &index))
    }

    /// A tree with this one's name and events over other gates.
    fn with_gates(&self, gates: Vec<Gate>, top: Arg) -> FaultTree {
        FaultTree {
            name: self.name.clone(),
            events: self.events.clone(),
            gates,
            top,
        }
    }

    /// The same function with structurally equal gates merged into one (SCRAM's detection
    /// of multiple definitions): same operation and the same arguments in any order, once
    /// each argument of an `and`/`or`/`nand`/`nor` appears once (`x ∧ x = x`). A merged gate
    /// is used by every parent of its copies, so more gates become modules. Events keep their
    /// indices; gates are renumbered, still children first, and unreachable ones dropped.
    pub fn deduplicated(&self) -> FaultTree {
        let reach = self.reachable_gates();
        let mut index = vec![usize::MAX; self.gates.len()];
        let mut gates: Vec<Gate> = Vec::new();
        let mut seen: std::collections::HashMap<(Op, Vec<Arg>), usize> =
            std::collections::HashMap::new();
        for (g, gate) in self.gates.iter().enumerate() {
            if !reach[g] {
                continue;
            }
            let mut args: Vec<Arg> = gate.args.iter().map(|&a| renumbered(a, &index)).collect();
            if matches!(gate.op, Op::And | Op::Or | Op::Nand | Op::Nor) {
                let mut once = std::collections::HashSet::new();
                args.retain(|a| once.insert(*a));
            }
            let mut key_args = args.clone();
            key_args.sort();
            let key = (gate.op, key_args);
            if let Some(&same) = seen.get(&key) {
                index[g] = same;
                continue;
            }
            index[g] = gates.len();
            seen.insert(key, gates.len());
            gates.push(Gate {
                name: gate.name.clone(),
                op: gate.op,
                args,
            });
        }
        self.with_gates(gates, renumbered(self.top, &index))
    }

    /// The same function with redundant uses of shared nodes removed (Rauzy's Boolean
    /// optimization, as in SCRAM): for a node `x` used by several gates, the failure of `x`
    /// is propagated upward; where it decides a gate `D` (the gate's value no longer depends
    /// on anything else), `D = x ∨ D[x := 0]` if it makes `D` fail, `D = ¬x ∧ D[x := 0]` if it
    /// makes `D` work. So the uses of `x` below such gates become the constant false and `x`
    /// is joined to each of them once. Done only when it lowers the number of places `x` is
    /// used; fewer shared nodes means more modules and smaller diagrams. Events keep their
    /// indices; gates are renumbered, children first.
    pub fn optimized(&self) -> FaultTree {
        let mut ops: Vec<Op> = self.gates.iter().map(|g| g.op).collect();
        let mut args: Vec<Vec<Arg>> = self.gates.iter().map(|g| g.args.clone()).collect();
        let mut names: Vec<String> = self.gates.iter().map(|g| g.name.clone()).collect();
        let mut top = self.top;
        let ne = self.events.len();
        // Node ids: events 0..ne, gates ne.. (new gates are appended).
        let id = |a: Arg| match a {
            Arg::Event(e) => Some(e),
            Arg::Gate(g) => Some(ne + g),
            Arg::Constant(_) => None,
        };
        // The shared nodes, breadth first from the top: gates, then events.
        let common = {
            let mut parents = vec![0usize; ne + args.len()];
            let mut order = Vec::new();
            let mut seen = vec![false; ne + args.len()];
            let mut queue = std::collections::VecDeque::new();
            if let Arg::Gate(t) = top {
                queue.push_back(t);
                seen[ne + t] = true;
            }
            while let Some(g) = queue.pop_front() {
                for &a in &args[g] {
                    if let Some(i) = id(a) {
                        parents[i] += 1;
                        if !seen[i] {
                            seen[i] = true;
                            order.push(a);
                            if let Arg::Gate(c) = a {
                                queue.push_back(c);
                            }
                        }
                    }
                }
            }
            let (mut gates, events): (Vec<Arg>, Vec<Arg>) = order
                .into_iter()
                .filter(|&a| id(a).is_some_and(|i| parents[i] > 1))
                .partition(|a| matches!(a, Arg::Gate(_)));
            gates.extend(events);
            gates
        };
        for x in common {
            let n = ne + args.len();
            // Parents (distinct gates using x) and ancestors of x, over the current graph.
            let mut parents_of: Vec<Vec<usize>> = vec![Vec::new(); n];
            for (g, a) in args.iter().enumerate() {
                for &c in a {
                    if let Some(i) = id(c)
                        && parents_of[i].last() != Some(&g)
                    {
                        parents_of[i].push(g);
                    }
                }
            }
            let xi = id(x).expect("a node");
            if parents_of[xi].len() < 2 {
                continue;
            }
            let mut ancestor = vec![false; args.len()];
            let mut stack: Vec<usize> = parents_of[xi].clone();
            while let Some(g) = stack.pop() {
                if !ancestor[g] {
                    ancestor[g] = true;
                    stack.extend(parents_of[ne + g].iter().copied());
                }
            }
            // Propagation, children first: 1 when x's failure makes the gate fail whatever
            // else happens, -1 when it makes it work, 0 when it does not decide it.
            let order = Self::post_order(&args, top);
            let mut state = vec![0i8; args.len()];
            let mut mult = parents_of[xi].len();
            for &g in &order {
                if !ancestor[g] {
                    continue;
                }
                let (mut on, mut off) = (0, 0);
                for &a in &args[g] {
                    let v = match a {
                        _ if a == x => 1,
                        Arg::Gate(c) => state[c],
                        Arg::Constant(c) => 2 * i8::from(c) - 1,
                        Arg::Event(_) => 0,
                    };
                    on += usize::from(v == 1);
                    off += usize::from(v == -1);
                }
                let n = args[g].len();
                let decide = |fail: bool, work: bool| i8::from(fail) - i8::from(!fail && work);
                state[g] = match ops[g] {
                    Op::And => decide(on == n, off > 0),
                    Op::Or => decide(on > 0, off == n),
                    Op::AtLeast { k } => decide(on >= k, off > n - k),
                    Op::Not => decide(off == 1, on == 1),
                    Op::Nand => -decide(on == n, off > 0),
                    Op::Nor => -decide(on > 0, off == n),
                    Op::Xor => decide(on + off == n && on % 2 == 1, on + off == n),
                };
                if state[g] != 0 && parents_of[ne + g].len() > 1 {
                    mult += parents_of[ne + g].len();
                }
            }
            // Destinations: decided gates right below an undecided ancestor (or the top).
            let mut open = vec![false; args.len()];
            let mut destinations: Vec<usize> = Vec::new();
            let mut count = 0;
            match top {
                Arg::Gate(t) if state[t] != 0 => {
                    destinations.push(t);
                    count = 1;
                }
                Arg::Gate(t) => {
                    open[t] = true;
                    for &g in order.iter().rev() {
                        if !open[g] {
                            continue;
                        }
                        for &a in &args[g] {
                            if let Arg::Gate(c) = a {
                                if a == x || !ancestor[c] {
                                    continue;
                                }
                                if state[c] != 0 {
                                    count += 1;
                                    if !destinations.contains(&c) {
                                        destinations.push(c);
                                    }
                                } else {
                                    open[c] = true;
                                }
                            }
                        }
                    }
                }
                _ => continue,
            }
            if count == 0 || count >= mult {
                continue;
            }
            let mut redundant = Vec::new();
            for &p in &parents_of[xi] {
                if open[p] {
                    continue;
                }
                if let Some(i) = destinations.iter().position(|&d| d == p)
                    && ops[p] == Op::Or
                    && state[p] == 1
                {
                    destinations.remove(i);
                    continue;
                }
                redundant.push(p);
            }
            if redundant.is_empty() {
                continue;
            }
            for &p in &redundant {
                for a in args[p].iter_mut() {
                    if *a == x {
                        *a = Arg::Constant(false);
                    }
                }
            }
            // ¬x, made once if some destination works when x fails.
            let mut not_x = None;
            for d in destinations {
                let fails = state[d] == 1;
                let joined = if fails {
                    x
                } else {
                    *not_x.get_or_insert_with(|| {
                        ops.push(Op::Not);
                        args.push(vec![x]);
                        names.push(String::new());
                        Arg::Gate(args.len() - 1)
                    })
                };
                if ops[d] == if fails { Op::Or } else { Op::And } {
                    args[d].push(joined);
                    continue;
                }
                let new = args.len();
                ops.push(if fails { Op::Or } else { Op::And });
                args.push(vec![joined, Arg::Gate(d)]);
                names.push(String::new());
                for (g, a) in args.iter_mut().enumerate() {
                    if g != new {
                        for c in a.iter_mut() {
                            if *c == Arg::Gate(d) {
                                *c = Arg::Gate(new);
                            }
                        }
                    }
                }
                if top == Arg::Gate(d) {
                    top = Arg::Gate(new);
                }
            }
        }
        let order = Self::post_order(&args, top);
        let mut index = vec![usize::MAX; args.len()];
        for (i, &g) in order.iter().enumerate() {
            index[g] = i;
        }
        let gates = order
            .iter()
            .map(|&g| Gate {
                name: names[g].clone(),
                op: ops[g],
                args: args[g].iter().map(|&a| renumbered(a, &index)).collect(),
            })
            .collect();
        self.with_gates(gates, renumbered(top, &index))
    }

    /// The gates reachable from `top` in a graph given by each gate's arguments (any
    /// numbering), children first: the order of a depth-first walk's exits.
    fn post_order(args: &[Vec<Arg>], top: Arg) -> Vec<usize> {
        let mut out = Vec::new();
        let mut done = vec![false; args.len()];
        if let Arg::Gate(t) = top {
            done[t] = true;
            let mut stack = vec![(t, 0usize)];
            while let Some((g, i)) = stack.pop() {
                match args[g].get(i) {
                    Some(&a) => {
                        stack.push((g, i + 1));
                        if let Arg::Gate(c) = a
                            && !done[c]
                        {
                            done[c] = true;
                            stack.push((c, 0));
                        }
                    }
                    None => out.push(g),
                }
            }
        }
        out
    }

    /// Visit dates of a depth-first walk from the top: for events and gates the first and
    /// last visit, for gates the exit, and for every gate the earliest and latest date of
    /// anything in its subgraph (itself included). See [`FaultTree::modules`].
    fn dates(&self) -> Dates {
        let (ne, ng) = (self.events.len(), self.gates.len());
        let mut d = Dates {
            event_first: vec![0; ne],
            event_last: vec![0; ne],
            gate_first: vec![0; ng],
            gate_last: vec![0; ng],
            exit: vec![0; ng],
            low: vec![u64::MAX; ng],
            high: vec![0; ng],
        };
        let mut t = 0u64;
        let mut stack = vec![(self.top, 0usize)];
        while let Some((arg, i)) = stack.pop() {
            match arg {
                Arg::Event(e) => {
                    t += 1;
                    if d.event_first[e] == 0 {
                        d.event_first[e] = t;
                    }
                    d.event_last[e] = t;
                }
                Arg::Gate(g) if i == 0 && d.gate_first[g] != 0 => {
                    t += 1;
                    d.gate_last[g] = t;
                }
                Arg::Gate(g) => {
                    if i == 0 {
                        t += 1;
                        d.gate_first[g] = t;
                    }
                    match self.gates[g].args.get(i) {
                        Some(&child) => {
                            stack.push((arg, i + 1));
                            stack.push((child, 0));
                        }
                        None => {
                            t += 1;
                            d.exit[g] = t;
                            d.gate_last[g] = t;
                        }
                    }
                }
                Arg::Constant(_) => {}
            }
        }
        for g in 0..ng {
            if d.gate_first[g] == 0 {
                continue;
            }
            let (mut lo, mut hi) = (d.gate_first[g], d.gate_last[g]);
            for a in &self.gates[g].args {
                if let Some((l, h)) = d.range(*a) {
                    lo = lo.min(l);
                    hi = hi.max(h);
                }
            }
            d.low[g] = lo;
            d.high[g] = hi;
        }
        d
    }

    /// The same function with more modules (SCRAM's module creation from arguments): in
    /// an `and`/`or` (or `nand`/`nor`) gate, the arguments used nowhere else are gathered
    /// under a new gate of the same kind, and so are the arguments whose variables appear
    /// only under this gate, in groups that share no variable. Each new gate is a module:
    /// one variable in its parent's diagram, solved on its own.
    pub fn modularized(&self) -> FaultTree {
        let d = self.dates();
        let modules = self.modules();
        let mut uses_e = vec![0usize; self.events.len()];
        let mut uses_g = vec![0usize; self.gates.len()];
        for (g, gate) in self.gates.iter().enumerate() {
            if d.gate_first[g] == 0 {
                continue;
            }
            for a in &gate.args {
                match *a {
                    Arg::Event(e) => uses_e[e] += 1,
                    Arg::Gate(c) => uses_g[c] += 1,
                    Arg::Constant(_) => {}
                }
            }
        }
        let mut index = vec![usize::MAX; self.gates.len()];
        let mut gates: Vec<Gate> = Vec::with_capacity(self.gates.len());
        for (g, gate) in self.gates.iter().enumerate() {
            if d.gate_first[g] == 0 {
                continue;
            }
            let mut args: Vec<Arg> = gate.args.clone();
            let sub_op = match gate.op {
                Op::And | Op::Nand => Some(Op::And),
                Op::Or | Op::Nor => Some(Op::Or),
                _ => None,
            };
            if let (Some(op), true) = (sub_op, args.len() > 2) {
                let within = |a: Arg| {
                    d.range(a)
                        .is_some_and(|(l, h)| d.gate_first[g] < l && h < d.exit[g])
                };
                let (mut alone, mut modular, mut other) = (Vec::new(), Vec::new(), Vec::new());
                for &a in &args {
                    let single = match a {
                        Arg::Event(e) => uses_e[e] == 1,
                        Arg::Gate(c) => uses_g[c] == 1 && modules[c],
                        Arg::Constant(_) => false,
                    };
                    if single {
                        alone.push(a);
                    } else if within(a) {
                        modular.push(a);
                    } else {
                        other.push(a);
                    }
                }
                // Modular arguments that share variables with non-modular ones are not.
                loop {
                    let before = modular.len();
                    let overlaps = |a: Arg, others: &[Arg]| {
                        let (l, h) = d.range(a).unwrap_or((0, 0));
                        others.iter().any(|&o| {
                            let (ol, oh) = d.range(o).unwrap_or((0, 0));
                            l <= oh && ol <= h
                        })
                    };
                    let (keep, moved): (Vec<Arg>, Vec<Arg>) =
                        modular.iter().partition(|&&a| !overlaps(a, &other));
                    modular = keep;
                    other.extend(moved);
                    if modular.len() == before {
                        break;
                    }
                }
                let n = args.len();
                let mut new_args: Vec<Arg> = Vec::new();
                let emit = |members: Vec<Arg>, gates: &mut Vec<Gate>| -> Arg {
                    gates.push(Gate {
                        name: String::new(),
                        op,
                        args: members.into_iter().map(|a| renumbered(a, &index)).collect(),
                    });
                    Arg::Gate(gates.len() - 1)
                };
                let (alone_count, modular_count) = (alone.len(), modular.len());
                if alone_count >= 2 && alone_count < n {
                    let m = emit(alone, &mut gates);
                    new_args.push(m);
                } else {
                    new_args.extend(alone.into_iter().map(|a| renumbered(a, &index)));
                }
                if modular_count >= 2 {
                    // Groups of modular arguments with overlapping date ranges.
                    modular.sort_by_key(|&a| d.range(a).unwrap_or((0, 0)));
                    let mut groups: Vec<(u64, Vec<Arg>)> = Vec::new();
                    for a in modular {
                        let (l, h) = d.range(a).unwrap_or((0, 0));
                        match groups.last_mut() {
                            Some((end, members)) if l <= *end => {
                                members.push(a);
                                *end = (*end).max(h);
                            }
                            _ => groups.push((h, vec![a])),
                        }
                    }
                    let mut group_args = Vec::new();
                    for (_, members) in groups {
                        if members.len() >= 2 && members.len() < n {
                            group_args.push(emit(members, &mut gates));
                        } else {
                            group_args.extend(members.into_iter().map(|a| renumbered(a, &index)));
                        }
                    }
                    if group_args.len() >= 2 && modular_count < n && !other.is_empty() {
                        let members: Vec<Arg> = group_args;
                        gates.push(Gate {
                            name: String::new(),
                            op,
                            args: members,
                        });
                        new_args.push(Arg::Gate(gates.len() - 1));
                    } else {
                        new_args.extend(group_args);
                    }
                } else {
                    new_args.extend(modular.into_iter().map(|a| renumbered(a, &index)));
                }
                new_args.extend(other.into_iter().map(|a| renumbered(a, &index)));
                index[g] = gates.len();
                gates.push(Gate {
                    name: gate.name.clone(),
                    op: gate.op,
                    args: new_args,
                });
                continue;
            }
            args.iter_mut().for_each(|a| *a = renumbered(*a, &index));
            index[g] = gates.len();
            gates.push(Gate {
                name: gate.name.clone(),
                op: gate.op,
                args,
            });
        }
        self.with_gates(gates, renumbered(self.top, &index))
    }

    /// Which gates are *modules*: gates whose events and sub-gates are used nowhere else, so
    /// their failure is independent of the rest of the tree (the top is one). By the dates
    /// of a depth-first walk (Dutuit and Rauzy 1996): a gate is a module when every visit of
    /// everything below it falls between its first visit and its exit. Linear time.
    pub fn modules(&self) -> Vec<bool> {
        let (ne, ng) = (self.events.len(), self.gates.len());
        let mut first = (vec![0u64; ne], vec![0u64; ng]);
        let mut last = (vec![0u64; ne], vec![0u64; ng]);
        let mut exit = vec![0u64; ng];
        let mut t = 0u64;
        let mut stack = vec![(self.top, 0usize)];
        while let Some((arg, i)) = stack.pop() {
            match arg {
                Arg::Event(e) => {
                    t += 1;
                    if first.0[e] == 0 {
                        first.0[e] = t;
                    }
                    last.0[e] = t;
                }
                Arg::Gate(g) if i == 0 && first.1[g] != 0 => {
                    t += 1;
                    last.1[g] = t;
                }
                Arg::Gate(g) => {
                    if i == 0 {
                        t += 1;
                        first.1[g] = t;
                    }
                    match self.gates[g].args.get(i) {
                        Some(&child) => {
                            stack.push((arg, i + 1));
                            stack.push((child, 0));
                        }
                        None => {
                            t += 1;
                            exit[g] = t;
                            last.1[g] = t;
                        }
                    }
                }
                Arg::Constant(_) => {}
            }
        }
        let mut low = vec![u64::MAX; ng];
        let mut high = vec![0u64; ng];
        let mut module = vec![false; ng];
        for g in 0..ng {
            if first.1[g] == 0 {
                continue;
            }
            for a in &self.gates[g].args {
                let (lo, hi) = match *a {
                    Arg::Event(e) => (first.0[e], last.0[e]),
                    Arg::Gate(c) => (first.1[c].min(low[c]), last.1[c].max(high[c])),
                    Arg::Constant(_) => continue,
                };
                low[g] = low[g].min(lo);
                high[g] = high[g].max(hi);
            }
            module[g] = first.1[g] < low[g] && high[g] < exit[g];
        }
        module
    }

    /// The variable order of the exact solver, after SCRAM's topological order: a gate's
    /// sub-gates first (recursively, the most used first), then its own events (the most
    /// used first), then, for a module, the variable standing for it in its parent's
    /// diagram. Returns the level of every event and of every module gate (`u32::MAX` for
    /// other gates); events the top does not depend on come last.
    pub fn order(&self, modules: &[bool], heuristic: Heuristic) -> (Vec<u32>, Vec<u32>) {
        let mut event_uses = vec![0usize; self.events.len()];
        let mut gate_uses = vec![0usize; self.gates.len()];
        let reach = self.reachable_gates();
        for (g, gate) in self.gates.iter().enumerate() {
            if !reach[g] {
                continue;
            }
            for a in &gate.args {
                match *a {
                    Arg::Event(e) => event_uses[e] += 1,
                    Arg::Gate(c) => gate_uses[c] += 1,
                    Arg::Constant(_) => {}
                }
            }
        }
        let sort = heuristic != Heuristic::FileOrder;
        let mut depth = vec![0usize; self.gates.len()];
        if heuristic == Heuristic::Deepest {
            for (g, gate) in self.gates.iter().enumerate() {
                for a in &gate.args {
                    if let Arg::Gate(c) = *a {
                        depth[g] = depth[g].max(depth[c] + 1);
                    }
                }
            }
        }
        let mut level = vec![u32::MAX; self.events.len()];
        let mut gate_level = vec![u32::MAX; self.gates.len()];
        let mut done = vec![false; self.gates.len()];
        let mut next = 0u32;
        let sorted_gates = |g: usize| {
            let mut kids: Vec<usize> = self.gates[g]
                .args
                .iter()
                .filter_map(|a| match *a {
                    Arg::Gate(c) => Some(c),
                    _ => None,
                })
                .collect();
            if heuristic == Heuristic::Deepest {
                kids.sort_by_key(|&c| (std::cmp::Reverse(depth[c]), gate_uses[c]));
            } else if sort {
                kids.sort_by_key(|&c| std::cmp::Reverse(gate_uses[c]));
            }
            kids
        };
        let own_events = |g: usize, level: &mut Vec<u32>, next: &mut u32| {
            let mut events: Vec<usize> = self.gates[g]
                .args
                .iter()
                .filter_map(|a| match *a {
                    Arg::Event(e) => Some(e),
                    _ => None,
                })
                .collect();
            if sort {
                events.sort_by_key(|&e| std::cmp::Reverse(event_uses[e]));
            }
            for e in events {
                if level[e] == u32::MAX {
                    level[e] = *next;
                    *next += 1;
                }
            }
        };
        let events_first = heuristic == Heuristic::EventsFirst;
        if let Arg::Gate(top) = self.top {
            done[top] = true;
            if events_first {
                own_events(top, &mut level, &mut next);
            }
            let mut stack = vec![(top, sorted_gates(top), 0usize)];
            while let Some((g, kids, i)) = stack.last_mut() {
                if let Some(&c) = kids.get(*i) {
                    *i += 1;
                    if !done[c] {
                        done[c] = true;
                        if events_first {
                            own_events(c, &mut level, &mut next);
                        }
                        let k = sorted_gates(c);
                        stack.push((c, k, 0));
                    }
                    continue;
                }
                let g = *g;
                stack.pop();
                if !events_first {
                    own_events(g, &mut level, &mut next);
                }
                if modules[g] {
                    gate_level[g] = next;
                    next += 1;
                }
            }
        }
        for l in level.iter_mut().filter(|l| **l == u32::MAX) {
            *l = next;
            next += 1;
        }
        (level, gate_level)
    }

    /// The same system as a topology, when the tree is coherent: `or` → series, `and` →
    /// parallel, `atleast k of n` → k_of_n with `n − k + 1`. `None` for a non-coherent tree
    /// or one with constants.
    pub fn to_topology(&self) -> Option<Topology> {
        let reach = self.reachable_gates();
        let mut uses = vec![0usize; self.events.len()];
        let node = |a: &Arg| match *a {
            Arg::Event(e) => Some(Node::Component(e)),
            Arg::Gate(g) => Some(Node::Group(g)),
            Arg::Constant(_) => None,
        };
        let mut groups = Vec::with_capacity(self.gates.len());
        for (g, gate) in self.gates.iter().enumerate() {
            let children: Option<Vec<Node>> = gate.args.iter().map(node).collect();
            let children = children?;
            let n = children.len();
            let kind = match gate.op {
                Op::Or => Kind::Series,
                Op::And => Kind::Parallel,
                Op::AtLeast { k } => Kind::KOfN { k: n - k + 1 },
                _ if !reach[g] => Kind::Series,
                _ => return None,
            };
            if reach[g] {
                for c in &children {
                    if let Node::Component(e) = c {
                        uses[*e] += 1;
                    }
                }
            }
            groups.push(Group {
                name: gate.name.clone(),
                kind,
                children,
            });
        }
        let root = node(&self.top)?;
        if let Node::Component(e) = root {
            uses[e] += 1;
        }
        let components = self
            .events
            .iter()
            .zip(uses)
            .map(|(e, uses)| Component {
                name: e.name.clone(),
                availability: e.complement,
                unavailability: e.probability,
                mttf: None,
                mttr: None,
                uses: uses.max(1),
            })
            .collect();
        Some(Topology {
            components,
            groups,
            root,
            unused: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::topology::exact::{bounds, solve_with};
    use proptest::prelude::*;

    fn event(name: &str, probability: f64) -> Event {
        Event {
            name: name.to_string(),
            probability,
            complement: 1.0 - probability,
            uses: 1,
        }
    }

    fn gate(op: Op, args: Vec<Arg>) -> Gate {
        Gate {
            name: String::new(),
            op,
            args,
        }
    }

    /// Whether the top event happens when exactly the events in the bits of `state` do.
    fn top_happens(t: &FaultTree, state: u32) -> bool {
        let mut value = vec![false; t.gates.len()];
        let arg = |a: Arg, value: &[bool]| match a {
            Arg::Event(e) => state >> e & 1 == 1,
            Arg::Gate(g) => value[g],
            Arg::Constant(c) => c,
        };
        for (g, gate) in t.gates.iter().enumerate() {
            let on = gate.args.iter().filter(|&&a| arg(a, &value)).count();
            value[g] = match gate.op {
                Op::And => on == gate.args.len(),
                Op::Or => on > 0,
                Op::AtLeast { k } => on >= k,
                Op::Not => on == 0,
                Op::Xor => on % 2 == 1,
                Op::Nand => on < gate.args.len(),
                Op::Nor => on == 0,
            };
        }
        arg(t.top, &value)
    }

    /// Whether two trees over the same events have the same top event in every state.
    fn same_function(a: &FaultTree, b: &FaultTree) -> bool {
        (0u32..1 << a.events.len()).all(|state| top_happens(a, state) == top_happens(b, state))
    }

    /// Probability of the top event by enumerating every state of the events.
    fn brute_force(t: &FaultTree) -> f64 {
        let n = t.events.len();
        let mut total = 0.0;
        for state in 0u32..1 << n {
            if top_happens(t, state) {
                total += t
                    .events
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        if state >> i & 1 == 1 {
                            e.probability
                        } else {
                            e.complement
                        }
                    })
                    .product::<f64>();
            }
        }
        total
    }

    /// Uses of each event by the gates the top depends on.
    fn event_uses(t: &FaultTree) -> Vec<usize> {
        let reach = t.reachable_gates();
        let mut uses = vec![0; t.events.len()];
        for (g, gate) in t.gates.iter().enumerate() {
            for a in &gate.args {
                if let (true, Arg::Event(e)) = (reach[g], *a) {
                    uses[e] += 1;
                }
            }
        }
        uses
    }

    #[test]
    fn boolean_optimization_moves_a_forcing_event_up() {
        // top = a ∨ (b ∧ (a ∨ c)) ∨ (a ∧ d): a's failure fails the top, so its two uses
        // below become false and a stays once, at the top: top = a ∨ (b ∧ c).
        let t = FaultTree {
            name: "t".into(),
            events: ["a", "b", "c", "d"].iter().map(|n| event(n, 0.1)).collect(),
            gates: vec![
                gate(Op::Or, vec![Arg::Event(0), Arg::Event(2)]),
                gate(Op::And, vec![Arg::Event(1), Arg::Gate(0)]),
                gate(Op::And, vec![Arg::Event(0), Arg::Event(3)]),
                gate(Op::Or, vec![Arg::Event(0), Arg::Gate(1), Arg::Gate(2)]),
            ],
            top: Arg::Gate(3),
        };
        let o = t.optimized();
        assert_eq!(event_uses(&t), vec![3, 1, 1, 1]);
        assert_eq!(event_uses(&o), vec![1, 1, 1, 1]);
        assert!(same_function(&o, &t), "{o:?}");
        // A node whose failure forces nothing above it stays where it is.
        let u = FaultTree {
            gates: vec![
                gate(Op::And, vec![Arg::Event(0), Arg::Event(1)]),
                gate(Op::And, vec![Arg::Event(0), Arg::Event(2)]),
                gate(Op::Or, vec![Arg::Gate(0), Arg::Gate(1), Arg::Event(3)]),
            ],
            top: Arg::Gate(2),
            ..t.clone()
        };
        assert_eq!(event_uses(&u.optimized()), vec![2, 1, 1, 1]);
    }

    #[test]
    fn deepest_heuristic_places_the_deeper_sub_gate_first() {
        // top = or(g1, g0) where g1 = and(e2, g0') is deeper than g0 = or(e0, e1).
        let tree = FaultTree {
            name: "t".into(),
            events: ["a", "b", "c", "d"].map(|n| event(n, 0.1)).to_vec(),
            gates: vec![
                gate(Op::Or, vec![Arg::Event(0), Arg::Event(1)]),
                gate(Op::And, vec![Arg::Event(2), Arg::Event(3)]),
                gate(Op::Or, vec![Arg::Gate(1), Arg::Event(0)]),
                gate(Op::Or, vec![Arg::Gate(0), Arg::Gate(2)]),
            ],
            top: Arg::Gate(3),
        };
        let modules = tree.modules();
        let (level, _) = tree.order(&modules, Heuristic::Deepest);
        assert!(level[2] < level[1] && level[3] < level[1], "{level:?}");
        let (level, _) = tree.order(&modules, Heuristic::FileOrder);
        assert!(level[1] < level[2], "{level:?}");
    }

    #[test]
    fn bounds_round_each_part_of_a_negation_towards_its_side() {
        // Five events of probability 0.5 and four overlapping pairs `pᵢ = eᵢ ∧ eᵢ₊₁` (no
        // module among them); `nand`, `nor` and `xor` of the pairs, and `not` of their `or`
        // which another gate also reads. Large cut-offs cut inside the inner operations,
        // whose rounding must flip under a negation.
        let e = |i| Arg::Event(i);
        let pairs: Vec<Gate> = (0..4)
            .map(|i| gate(Op::And, vec![e(i), e(i + 1)]))
            .collect();
        let on_pairs = |op| {
            let mut gates = pairs.clone();
            gates.push(gate(op, (0..4).map(Arg::Gate).collect()));
            gates
        };
        let mut negated = on_pairs(Op::Or);
        negated.push(gate(Op::Not, vec![Arg::Gate(4)]));
        negated.push(gate(Op::And, vec![Arg::Gate(4), e(0)]));
        negated.push(gate(Op::Or, vec![Arg::Gate(5), Arg::Gate(6)]));
        for gates in [
            on_pairs(Op::Nand),
            on_pairs(Op::Nor),
            on_pairs(Op::Xor),
            negated,
        ] {
            let t = FaultTree {
                name: "t".into(),
                events: ["a", "b", "c", "d", "e"].map(|n| event(n, 0.5)).to_vec(),
                top: Arg::Gate(gates.len() - 1),
                gates,
            };
            let expected = brute_force(&t);
            for cutoff in [0.04, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8] {
                let b = bounds(&t, 1000, cutoff).unwrap();
                assert!(
                    b.lower <= expected && expected <= b.upper,
                    "{:?} at {cutoff}: [{}, {}] misses {expected}",
                    t.gates.last().map(|g| g.op),
                    b.lower,
                    b.upper
                );
            }
        }
    }

    /// A random fault tree over six events: each gate takes two to four arguments among the
    /// events and the earlier gates, and one of the first `kinds` operations of `and`, `or`,
    /// `atleast 2`, `not`, `xor`, `nand`, `nor` (3: coherent trees only).
    fn random_tree(kinds: usize, most_gates: usize) -> impl Strategy<Value = FaultTree> {
        let gates = prop::collection::vec(
            (0..kinds, prop::collection::vec(0usize..64, 2..5)),
            1..most_gates,
        );
        (gates, prop::collection::vec(0.05f64..0.95, 6)).prop_map(|(specs, p)| {
            let mut gates: Vec<Gate> = Vec::new();
            for (kind, picks) in specs {
                let n = gates.len();
                let mut args: Vec<Arg> = picks
                    .iter()
                    .map(|&i| match i % (6 + n) {
                        e if e < 6 => Arg::Event(e),
                        g => Arg::Gate(g - 6),
                    })
                    .collect();
                let op = match kind {
                    0 => Op::And,
                    1 => Op::Or,
                    2 => Op::AtLeast { k: 2 },
                    3 => {
                        args.truncate(1);
                        Op::Not
                    }
                    4 => Op::Xor,
                    5 => Op::Nand,
                    _ => Op::Nor,
                };
                gates.push(gate(op, args));
            }
            FaultTree {
                name: "random".into(),
                events: p.iter().map(|&p| event("e", p)).collect(),
                top: Arg::Gate(gates.len() - 1),
                gates,
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn boolean_optimization_keeps_the_function_of_coherent_trees(t in random_tree(3, 16)) {
            let o = t.optimized();
            prop_assert!(same_function(&o, &t), "{:?}\n{:?}", t, o);
            for preprocess in 0..4 {
                let s = solve_with(&t, 100_000, preprocess, Heuristic::Topological).unwrap();
                prop_assert!((s.unavailability - brute_force(&t)).abs() <= 1e-12, "{preprocess}");
            }
        }

        #[test]
        fn every_order_and_preprocessing_gives_the_brute_force_answer(t in random_tree(7, 12)) {
            let o = t.optimized();
            prop_assert!(same_function(&o, &t), "{:?}\n{:?}", t, o);
            let expected = brute_force(&t);
            for heuristic in [
                Heuristic::Topological,
                Heuristic::FileOrder,
                Heuristic::EventsFirst,
                Heuristic::Deepest,
            ] {
                for preprocess in 0..4 {
                    let s = solve_with(&t, 100_000, preprocess, heuristic).unwrap();
                    prop_assert!(
                        (s.unavailability - expected).abs() <= 1e-12,
                        "{heuristic:?} {preprocess}: {} vs {expected}\n{t:?}",
                        s.unavailability
                    );
                }
            }
        }

        #[test]
        fn truncated_diagrams_bound_the_brute_force_answer(
            t in random_tree(7, 12), cutoff in prop_oneof![Just(0.0), 1e-4f64..0.9]
        ) {
            let expected = brute_force(&t);
            let b = bounds(&t, 100_000, cutoff).unwrap();
            let slack = 1e-12;
            prop_assert!(
                b.lower <= expected + slack && expected <= b.upper + slack,
                "[{}, {}] misses {expected} at cutoff {cutoff}\n{t:?}", b.lower, b.upper
            );
            prop_assert!((b.lower + b.availability_upper - 1.0).abs() <= slack);
            prop_assert!((b.upper + b.availability_lower - 1.0).abs() <= slack);
            if cutoff == 0.0 {
                prop_assert!((b.lower - expected).abs() <= slack && (b.upper - expected).abs() <= slack);
            }
        }
    }
}

//! The resolution step between the walk and the recommendation. The trees, the patterns picked
//! up on their edges and the packs only propose candidates; the constraints declared in
//! `models/constraints*.yaml` (see [`crate::catalog::constraint`]) decide what stands:
//!
//! 1. `adds` bring patterns the numbers call for (sharding for a write rate one primary
//!    cannot take, load balancing for several replicas);
//! 2. `ruled_out` drops candidates the answers rule out, with the answer that did it;
//! 3. `exclusive` keeps one of a set of mutually exclusive patterns when the answers behind
//!    it are stronger (given beats defaulted beats a pack alone) or its tree is the one the
//!    constraint prefers, and otherwise keeps them all flagged with a contradiction naming
//!    both answer paths;
//! 4. `requires` flags a pattern whose partner is missing;
//! 5. `contradictions` and `limits` flag answer pairs that cannot both hold and technologies
//!    asked to go past what they sustain.
//!
//! Invariant of the result: no exclusive pair stands unflagged, no ruled-out pattern stands,
//! and every finding carries the answers, figures and patterns that triggered it.

use super::figure::figure;
use super::finding::{Dropped, FigureValue, Finding};
use super::path::{PathStep, StepSource, describe};
use super::walk::State;
use crate::catalog::{Catalog, Constraints};
use crate::condition::Condition;
use std::collections::{BTreeMap, BTreeSet};

/// A candidate pattern: who proposed it and on which answers.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    /// One line per proposer.
    pub reasons: Vec<String>,
    /// The answer paths of the trees (or the triggers of the constraint) that proposed it.
    pub sources: Vec<(String, Vec<PathStep>)>,
    /// A pack proposed it.
    pub from_pack: bool,
    /// Constraint ids that flag it.
    pub flags: Vec<String>,
}

impl Candidate {
    /// How strongly the answers back it: 2 when some tree chose it on given answers alone,
    /// 1 when only on paths with a default, 0 when only a pack or a constraint brought it.
    pub fn strength(&self) -> u8 {
        self.sources
            .iter()
            .filter(|(tree, _)| !tree.starts_with("constraint "))
            .map(|(_, path)| {
                if path.iter().all(|s| s.source != StepSource::Default) {
                    2
                } else {
                    1
                }
            })
            .max()
            .unwrap_or(0)
    }

    fn tree_sources(&self) -> impl Iterator<Item = &(String, Vec<PathStep>)> {
        self.sources
            .iter()
            .filter(|(tree, _)| !tree.starts_with("constraint "))
    }
}

/// What resolution decided.
#[derive(Debug, Default)]
pub struct Resolved {
    pub dropped: Vec<Dropped>,
    pub contradictions: Vec<Finding>,
    pub limits: Vec<Finding>,
}

/// Everything a condition's truth rested on: the answers (with their source), derived
/// figures, and patterns.
#[derive(Debug, Default)]
pub struct Triggers {
    pub answers: Vec<PathStep>,
    pub figures: Vec<FigureValue>,
    pub patterns: Vec<String>,
}

/// The context resolution reads: the walk's answers with their sources, and each reached
/// outcome's path.
pub struct Context<'a> {
    pub steps: &'a BTreeMap<String, PathStep>,
    pub outcome_paths: &'a BTreeMap<String, Vec<PathStep>>,
}

impl Context<'_> {
    /// The triggers of a condition that holds in `state`.
    pub fn triggers(&self, c: &Condition, state: &State) -> Triggers {
        let mut t = Triggers::default();
        self.collect(c, state, &mut t);
        t
    }

    /// Every answer and figure a condition names, whether it holds or not: what a failed
    /// premise rested on.
    pub fn named(&self, c: &Condition, state: &State) -> Triggers {
        let mut t = Triggers::default();
        self.gather(c, state, &mut t, false);
        t
    }

    fn collect(&self, c: &Condition, state: &State, t: &mut Triggers) {
        self.gather(c, state, t, true);
    }

    fn gather(&self, c: &Condition, state: &State, t: &mut Triggers, holding: bool) {
        if holding && !state.eval(c) {
            return;
        }
        match c {
            Condition::Answer(a) => {
                if let Some(s) = self.steps.get(&a.id) {
                    push_step(&mut t.answers, s);
                } else if let (Some(f), Some((_, Some(v)))) =
                    (figure(&a.id), state.answers.get(&a.id))
                    && !t.figures.iter().any(|x| x.id == a.id)
                {
                    for input in f.inputs {
                        if let Some(s) = self.steps.get(*input) {
                            push_step(&mut t.answers, s);
                        }
                    }
                    t.figures.push(FigureValue {
                        id: a.id.clone(),
                        value: *v,
                        display: f.kind.format(*v),
                        formula: f.formula.to_string(),
                    });
                }
            }
            Condition::Outcome(o) => {
                for s in self.outcome_paths.get(o).into_iter().flatten() {
                    push_step(&mut t.answers, s);
                }
            }
            Condition::Pattern(p) => {
                if !t.patterns.contains(p) {
                    t.patterns.push(p.clone());
                }
            }
            Condition::Pack(_) => {}
            Condition::Not(c) if !holding => self.gather(c, state, t, false),
            Condition::Not(_) => {}
            Condition::All(cs) | Condition::Any(cs) => {
                for c in cs {
                    self.gather(c, state, t, holding);
                }
            }
        }
    }
}

fn push_step(list: &mut Vec<PathStep>, s: &PathStep) {
    if !list.iter().any(|x| x.question == s.question) {
        list.push(s.clone());
    }
}

/// `why (triggers)`, or `why` alone when nothing positive triggered it (a `not:` test).
pub fn because(why: &str, t: &Triggers) -> String {
    let triggers = describe_triggers(t);
    if triggers.is_empty() {
        why.trim().to_string()
    } else {
        format!("{} ({triggers})", why.trim())
    }
}

fn describe_triggers(t: &Triggers) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !t.answers.is_empty() {
        parts.push(describe(&t.answers));
    }
    for f in &t.figures {
        parts.push(format!("{} = {} ({})", f.id, f.display, f.formula));
    }
    parts.join(", ")
}

/// Applies the constraints to `candidates` (in place: dropped ones are removed, flags set,
/// added ones appended). `state` holds the answers (with derived figures), outcomes and packs;
/// its patterns are kept in step with the candidates.
pub fn resolve(
    candidates: &mut Vec<Candidate>,
    constraints: &Constraints,
    catalog: &Catalog,
    state: &mut State,
    cx: &Context,
) -> Resolved {
    let mut out = Resolved::default();
    let sync = |state: &mut State, c: &[Candidate]| {
        state.patterns = c.iter().map(|c| c.id.clone()).collect();
    };
    let name = |id: &str| {
        catalog
            .pattern(id)
            .map_or(id.to_string(), |p| p.name.clone())
    };
    sync(state, candidates);

    // 1. Patterns the numbers call for.
    for a in &constraints.adds {
        if !state.eval(&a.when) {
            continue;
        }
        let t = cx.triggers(&a.when, state);
        let reason = because(&a.why, &t);
        for p in &a.patterns {
            // A pattern a pack or tree proposed already is backed by the numbers too: say so.
            if let Some(c) = candidates.iter_mut().find(|c| &c.id == p) {
                if !c.reasons.contains(&reason) {
                    c.reasons.push(reason.clone());
                    c.sources
                        .push((format!("constraint {}", a.id), t.answers.clone()));
                }
                continue;
            }
            candidates.push(Candidate {
                id: p.clone(),
                reasons: vec![reason.clone()],
                sources: vec![(format!("constraint {}", a.id), t.answers.clone())],
                from_pack: false,
                flags: Vec::new(),
            });
        }
        sync(state, candidates);
    }

    // 2. Patterns the answers rule out.
    for r in &constraints.ruled_out {
        if !state.eval(&r.when) {
            continue;
        }
        let t = cx.triggers(&r.when, state);
        let mut kept = Vec::with_capacity(candidates.len());
        for c in candidates.drain(..) {
            let hit = r.patterns.contains(&c.id) && (!r.only_from_pack || c.strength() == 0);
            if hit {
                out.dropped.push(Dropped {
                    id: c.id.clone(),
                    name: name(&c.id),
                    constraint: r.id.clone(),
                    reason: because(&r.why, &t),
                    answers: t.answers.clone(),
                    figures: t.figures.clone(),
                    proposed_by: c.reasons.join("; "),
                });
            } else {
                kept.push(c);
            }
        }
        *candidates = kept;
        sync(state, candidates);
    }

    // 3. Mutually exclusive patterns: the best-backed one stands, a tie is a contradiction.
    for x in constraints.exclusive.iter().filter(|x| !x.stores_only) {
        let present: Vec<usize> = candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| x.patterns.contains(&c.id))
            .map(|(i, _)| i)
            .collect();
        if present.len() < 2 {
            continue;
        }
        let best = present
            .iter()
            .map(|&i| candidates[i].strength())
            .max()
            .unwrap_or(0);
        let mut winners: Vec<usize> = present
            .iter()
            .copied()
            .filter(|&i| candidates[i].strength() == best)
            .collect();
        if winners.len() > 1
            && let Some(tree) = &x.prefer
        {
            let preferred: Vec<usize> = winners
                .iter()
                .copied()
                .filter(|&i| candidates[i].tree_sources().any(|(t, _)| t == tree))
                .collect();
            if preferred.len() == 1 {
                winners = preferred;
            }
        }
        let losers: BTreeSet<usize> = present
            .iter()
            .copied()
            .filter(|i| !winners.contains(i))
            .collect();
        if winners.len() == 1 {
            let w = &candidates[winners[0]];
            let backing = w
                .tree_sources()
                .map(|(tree, path)| format!("{tree}: {}", describe(path)))
                .collect::<Vec<_>>()
                .join("; ");
            for &i in &losers {
                let c = &candidates[i];
                let answers: Vec<PathStep> = w.tree_sources().flat_map(|s| s.1.clone()).collect();
                out.dropped.push(Dropped {
                    id: c.id.clone(),
                    name: name(&c.id),
                    constraint: x.id.clone(),
                    reason: match &x.prefer {
                        Some(tree) if c.strength() == best => format!(
                            "{} excludes it, and the {tree} tree decides between them ({backing})",
                            w.id
                        ),
                        _ => format!(
                            "{} excludes it and stands on stronger answers ({backing})",
                            w.id
                        ),
                    },
                    answers,
                    figures: Vec::new(),
                    proposed_by: c.reasons.join("; "),
                });
            }
        } else {
            let mut answers = Vec::new();
            let mut revisit = x.revisit.clone();
            for &i in &winners {
                for (_, path) in candidates[i].tree_sources() {
                    for s in path {
                        push_step(&mut answers, s);
                    }
                    if x.revisit.is_empty()
                        && let Some(first) = path.first()
                        && !revisit.contains(&first.question)
                    {
                        revisit.push(first.question.clone());
                    }
                }
            }
            for q in &x.revisit {
                if let Some(s) = cx.steps.get(q) {
                    push_step(&mut answers, s);
                }
            }
            let ids: Vec<String> = winners.iter().map(|&i| candidates[i].id.clone()).collect();
            for &i in &winners {
                candidates[i].flags.push(x.id.clone());
            }
            out.contradictions.push(Finding {
                id: x.id.clone(),
                name: x.name.clone(),
                why: with_stores(x.why.trim(), &ids, catalog),
                instead: Vec::new(),
                answers,
                figures: Vec::new(),
                patterns: ids,
                revisit,
                withheld: Vec::new(),
            });
        }
        let mut i = 0;
        candidates.retain(|_| {
            let keep = !losers.contains(&i);
            i += 1;
            keep
        });
        sync(state, candidates);
    }

    // 4. Requirements.
    for r in &constraints.requires {
        let Some(pos) = candidates.iter().position(|c| c.id == r.pattern) else {
            continue;
        };
        if r.needs.iter().any(|n| state.patterns.contains(n)) {
            continue;
        }
        let mut answers = Vec::new();
        for (_, path) in candidates[pos].tree_sources() {
            for s in path {
                push_step(&mut answers, s);
            }
        }
        for q in &r.revisit {
            if let Some(s) = cx.steps.get(q) {
                push_step(&mut answers, s);
            }
        }
        candidates[pos].flags.push(r.id.clone());
        out.contradictions.push(Finding {
            id: r.id.clone(),
            name: r.name.clone(),
            why: r.why.trim().to_string(),
            instead: r.needs.clone(),
            answers,
            figures: Vec::new(),
            patterns: vec![r.pattern.clone()],
            revisit: r.revisit.clone(),
            withheld: Vec::new(),
        });
    }

    // 5. Contradictions between answers, and limits of technologies.
    for (list, checks) in [
        (&mut out.contradictions, &constraints.contradictions),
        (&mut out.limits, &constraints.limits),
    ] {
        for k in checks {
            if !state.eval(&k.when) {
                continue;
            }
            let mut t = cx.triggers(&k.when, state);
            // A pattern that triggered it stands on answers too: name them.
            for p in &t.patterns {
                if let Some(c) = candidates.iter().find(|c| &c.id == p) {
                    for (_, path) in c.tree_sources() {
                        for s in path {
                            push_step(&mut t.answers, s);
                        }
                    }
                }
            }
            for c in candidates.iter_mut() {
                if k.flags.contains(&c.id) {
                    c.flags.push(k.id.clone());
                }
            }
            list.push(Finding {
                id: k.id.clone(),
                name: k.name.clone(),
                why: k.why.trim().to_string(),
                instead: k.instead.clone(),
                answers: t.answers,
                figures: t.figures,
                patterns: t.patterns,
                revisit: k.revisit.clone(),
                withheld: Vec::new(),
            });
        }
    }
    out
}

/// A tie between exclusive patterns that stores implement (a replication topology, a way of
/// settling concurrent writes) is settled by picking the store: `why` followed by the stores
/// of the catalog that give each of `tied`, so the finding names a concrete fix.
fn with_stores(why: &str, tied: &[String], catalog: &Catalog) -> String {
    let sides: Vec<String> = tied
        .iter()
        .filter_map(|p| {
            let stores: Vec<&str> = catalog
                .databases()
                .iter()
                .filter(|d| d.implements.contains(p))
                .map(|d| d.name.as_str())
                .collect();
            (!stores.is_empty()).then(|| format!("for {p}, {}", stores.join(", ")))
        })
        .collect();
    if sides.is_empty() {
        return why.to_string();
    }
    format!(
        "{why} Fix: keep one and take a store that provides it ({}), then change the answers \
         that chose the other.",
        sides.join("; ")
    )
}

/// Why the resolution step would not let `pattern` stand if it were proposed now, against the
/// state it left (`state.patterns` are the patterns that stand): a `ruled_out` constraint whose
/// condition holds, or a mutually exclusive partner that stands. `tree_chosen` says whether a
/// tree would propose it (then `ruled_out` entries with `only_from_pack` spare it, as they
/// spare tree choices during resolution); a suggestion or a pack proposes it otherwise.
/// Returns the constraint id and the reason, with its triggers.
pub fn excluded(
    pattern: &str,
    constraints: &Constraints,
    state: &State,
    cx: &Context,
    tree_chosen: bool,
) -> Option<(String, String)> {
    if state.patterns.contains(pattern) {
        return None;
    }
    for r in &constraints.ruled_out {
        if r.patterns.iter().any(|p| p == pattern)
            && !(r.only_from_pack && tree_chosen)
            && state.eval(&r.when)
        {
            let t = cx.triggers(&r.when, state);
            return Some((r.id.clone(), because(&r.why, &t)));
        }
    }
    for x in constraints.exclusive.iter().filter(|x| !x.stores_only) {
        if !x.patterns.iter().any(|p| p == pattern) {
            continue;
        }
        if let Some(other) = x
            .patterns
            .iter()
            .find(|p| *p != pattern && state.patterns.contains(*p))
        {
            return Some((
                x.id.clone(),
                format!("{other} stands, and the two exclude each other"),
            ));
        }
    }
    None
}

/// Why a store cannot serve what the answers decided, if it cannot: it implements one pattern
/// of an exclusive choice (its replication topology, how it settles concurrent writes) and
/// another pattern of that choice stands on given answers (`decided`; Cassandra replicates
/// leaderless, DynamoDB global tables settle conflicts by last writer wins). Returns the
/// constraint id and the reason.
pub fn store_misfit(
    db: &crate::catalog::Database,
    constraints: &Constraints,
    decided: &BTreeSet<String>,
) -> Option<(String, String)> {
    for x in &constraints.exclusive {
        let mine: Vec<&String> = db
            .implements
            .iter()
            .filter(|p| x.patterns.contains(p))
            .collect();
        if mine.is_empty() {
            continue;
        }
        if let Some(other) = x
            .patterns
            .iter()
            .find(|p| decided.contains(*p) && !db.implements.contains(p))
        {
            let mine: Vec<&str> = mine.iter().map(|s| s.as_str()).collect();
            return Some((
                x.id.clone(),
                format!(
                    "{} implements {}, and the design's {other} stands",
                    db.name,
                    mine.join(" and ")
                ),
            ));
        }
    }
    None
}

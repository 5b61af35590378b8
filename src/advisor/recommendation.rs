//! From a walk to a recommendation: cumulative packs, the patterns (deduplicated, ordered by
//! pack, then by the week-1 / month-1 / quarter-1 checklist, then by the order the walk met
//! them), each with the answer path that chose it and its trade-offs; the decisions tree by
//! tree (what an ADR records); contradictions and anti-patterns the answers reveal; the
//! closest reference stack; and the estimates worth running next.

use super::decision::decision;
pub use super::decision::{Decision, DecisionOption, Resolution};
pub use super::finding::{Dropped, FigureValue, Finding};
pub use super::path::PathStep;
use super::path::{StepSource, describe};
use super::resolve::Candidate;
use super::rules::Rules;
use super::walk::{State, TreeStatus, Walk};
use crate::catalog::{Catalog, Tradeoffs};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A chosen pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chosen {
    pub id: String,
    pub name: String,
    /// The pack that brings it, if it came from one.
    pub pack: Option<String>,
    pub category: String,
    /// week-1 / month-1 / quarter-1, when the checklist names it.
    pub checklist: Option<String>,
    /// Why, in one line: the pack and/or the answers that chose it.
    pub because: String,
    /// The answers that led to it (empty when only a pack brought it).
    pub path: Vec<PathStep>,
    /// Trees that chose it.
    pub trees: Vec<String>,
    pub summary: String,
    pub tradeoffs: Tradeoffs,
    /// Ids of the constraints that flag it (a contradiction or limit it is part of).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

/// Why a database is a candidate: the outcome that named it and the answers behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseCandidate {
    pub id: String,
    /// `tree.outcome`.
    pub outcome: String,
    pub because: String,
    pub path: Vec<PathStep>,
}

/// The reference stack closest to the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StackMatch {
    pub id: String,
    pub name: String,
    /// Jaccard similarity of the patterns beyond the packs, 0 to 1.
    pub similarity: f64,
    pub shared: Vec<String>,
    /// In the stack, not in the design.
    pub only_stack: Vec<String>,
    /// In the design, not in the stack.
    pub only_design: Vec<String>,
}

/// An estimate worth running next, with the inputs already known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateHint {
    pub id: String,
    /// A ready command line.
    pub command: String,
    /// Trees whose outcomes asked for it.
    pub from: Vec<String>,
}

/// The whole recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    pub packs: Vec<String>,
    pub patterns: Vec<Chosen>,
    pub decisions: Vec<Decision>,
    #[serde(default)]
    pub databases: Vec<String>,
    /// Why each database candidate is there.
    #[serde(default)]
    pub database_candidates: Vec<DatabaseCandidate>,
    /// Candidate patterns the resolution step dropped.
    #[serde(default)]
    pub dropped: Vec<Dropped>,
    /// Candidate stores that cannot serve the patterns that stand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped_databases: Vec<Dropped>,
    #[serde(default)]
    pub contradictions: Vec<Finding>,
    /// Technologies asked to go past what they sustain.
    #[serde(default)]
    pub limits: Vec<Finding>,
    #[serde(default)]
    pub antipatterns: Vec<Finding>,
    pub stack: Option<StackMatch>,
    #[serde(default)]
    pub estimates: Vec<EstimateHint>,
    /// Trees skipped by their guard.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// Answers that came from a question's default and decided something (they lie on a
    /// decision's path), sorted.
    #[serde(default)]
    pub defaults: Vec<String>,
    /// Given answers not taken as written, one line each: a retired question id read as
    /// the question that now asks its fact, or an answer earlier answers settle otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

fn path_of(steps: &[super::walk::Step]) -> Vec<PathStep> {
    steps
        .iter()
        .map(|s| PathStep {
            question: s.question.clone(),
            answer: s.answer.clone(),
            source: s.source,
        })
        .collect()
}

/// Least Jaccard similarity (over the patterns beyond the packs) at which a reference stack
/// is named as the closest: below it, fewer than one pattern in twelve of the two sets is
/// shared, too little for the comparison to teach anything. Each company-shaped example
/// scores 0.088 (Discord) to 0.16 (Uber) against its own stack, since a full design brings
/// some forty patterns.
pub const STACK_SIMILARITY: f64 = 0.08;

/// Builds the recommendation from a finished walk: candidates from the trees, their edges and
/// the packs, then the resolution step (see [`super::resolve`]) with the rules' constraints.
pub fn recommend(rules: &Rules, walk: &Walk, catalog: &Catalog) -> Recommendation {
    let pack_order: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let mut state = State {
        rules: Some(rules),
        ..State::default()
    };
    for (id, s) in &walk.answers {
        state
            .answers
            .insert(id.clone(), (s.answer.clone(), s.number));
    }
    for (id, v) in super::figure::figures(&state.answers) {
        state
            .answers
            .insert(id.to_string(), (v.to_string(), Some(v)));
    }
    // Only a stated RTO can contradict the target: the default (24h) is an assumption that
    // the output already marks as defaulted.
    if let Some(rto) = walk
        .answers
        .get("rto")
        .filter(|s| s.source != StepSource::Default)
        && let Some(seconds) = rto.number
    {
        let target = state
            .answers
            .get("availability_target")
            .and_then(|a| a.1)
            .unwrap_or(0.999);
        let v = super::figure::rto_budget_share(seconds, target);
        state
            .answers
            .insert("rto_budget_share".into(), (v.to_string(), Some(v)));
    }
    state.outcomes = walk.outcomes().collect();

    // Packs: cumulative up to the highest reached.
    let mut top: Option<usize> = None;
    let mut pack_reason = String::new();
    let mut decisions = Vec::new();
    let mut databases = Vec::new();
    let mut database_candidates: Vec<DatabaseCandidate> = Vec::new();
    let mut skipped = Vec::new();
    let mut outcome_paths: BTreeMap<String, Vec<PathStep>> = BTreeMap::new();
    let mut found: Vec<Candidate> = Vec::new();
    let mut add = |id: &str, reason: String, source: Option<(String, Vec<PathStep>)>| {
        let pos = found.iter().position(|f| f.id == id).unwrap_or_else(|| {
            found.push(Candidate {
                id: id.to_string(),
                reasons: Vec::new(),
                sources: Vec::new(),
                from_pack: false,
                flags: Vec::new(),
            });
            found.len() - 1
        });
        let f = &mut found[pos];
        if !f.reasons.contains(&reason) {
            f.reasons.push(reason);
        }
        match source {
            Some(src) => f.sources.push(src),
            None => f.from_pack = true,
        }
    };
    for tw in &walk.trees {
        let TreeStatus::Reached { outcome } = &tw.status else {
            if tw.status == TreeStatus::Skipped {
                skipped.push(tw.tree.clone());
            }
            continue;
        };
        let Some(o) = rules.outcome(&tw.tree, outcome) else {
            continue;
        };
        let path = path_of(&tw.steps);
        outcome_paths.insert(format!("{}.{outcome}", tw.tree), path.clone());
        if let Some(p) = &o.pack
            && let Some(pos) = pack_order.iter().position(|x| x == p)
            && top.is_none_or(|t| pos > t)
        {
            top = Some(pos);
            pack_reason = describe(&path);
        }
        // Patterns picked up on edges carry the path up to that edge.
        for (i, s) in tw.steps.iter().enumerate() {
            for p in &s.patterns {
                let sub = &path[..=i];
                add(
                    p,
                    format!("{}: {}", tw.tree, describe(sub)),
                    Some((tw.tree.clone(), sub.to_vec())),
                );
            }
        }
        for p in &o.patterns {
            add(
                p,
                format!("{}: {}", tw.tree, describe(&path)),
                Some((tw.tree.clone(), path.clone())),
            );
        }
        for d in &o.databases {
            if !databases.contains(d) {
                databases.push(d.clone());
                database_candidates.push(DatabaseCandidate {
                    id: d.clone(),
                    outcome: format!("{}.{}", tw.tree, o.id),
                    because: o.because.clone(),
                    path: path.clone(),
                });
            }
        }
        decisions.push(decision(rules, tw, o, path));
    }
    // The load band: a peak above what the user band carries raises the pack, and the
    // decision that chose the pack by users says so.
    let user_top = top;
    if let Some(step) = walk.answers.get("peak_rps")
        && let Some(rps) = step.number
        && let Some(pos) = catalog.packs().iter().position(|p| p.contains_rps(rps))
        && let Some(pos) = pack_order
            .iter()
            .position(|id| *id == catalog.packs()[pos].id)
        && top.is_some_and(|t| pos > t)
    {
        top = Some(pos);
        let rate = PathStep {
            question: "peak_rps".into(),
            answer: step.answer.clone(),
            source: step.source,
        };
        pack_reason = describe(std::slice::from_ref(&rate));
        let pack = catalog.pack(&pack_order[pos]);
        let reason = format!(
            "{pack_reason} is in the {} pack's load band ({}), above the user band",
            pack.map_or(pack_order[pos].as_str(), |p| p.name.as_str()),
            pack.and_then(|p| p.load_band()).unwrap_or_default()
        );
        for d in &mut decisions {
            super::decision::raise_pack(d, rules, &pack_order, user_top, pos, &reason);
        }
    }
    let packs: Vec<String> = match top {
        Some(t) => pack_order[..=t].to_vec(),
        None => Vec::new(),
    };
    for pack_id in &packs {
        if let Some(pack) = catalog.pack(pack_id) {
            for p in &pack.patterns {
                add(p, format!("{} pack ({pack_reason})", pack.name), None);
            }
        }
    }
    state.packs = packs.iter().cloned().collect();

    let steps = used_answers(walk);
    let cx = super::resolve::Context {
        steps: &steps,
        outcome_paths: &outcome_paths,
    };
    let premised =
        super::premise::apply(&mut decisions, &mut found, rules, catalog, &mut state, &cx);
    let mut resolved =
        super::resolve::resolve(&mut found, &rules.constraints, catalog, &mut state, &cx);
    resolved.dropped.splice(0..0, premised);

    // Patterns some tree chose on answers that were all given: what a store must serve (a
    // topology that only defaulted answers chose does not rule a store out).
    let decided: BTreeSet<String> = found
        .iter()
        .filter(|c| c.strength() == 2)
        .map(|c| c.id.clone())
        .collect();
    let mut patterns: Vec<Chosen> = found
        .into_iter()
        .filter_map(|c| {
            let p = catalog.pattern(&c.id)?;
            let pack = p
                .pack
                .clone()
                .filter(|pk| packs.contains(pk) && c.from_pack);
            let path = c
                .sources
                .iter()
                .find(|(t, _)| !t.starts_with("constraint "))
                .or(c.sources.first())
                .map(|s| s.1.clone())
                .unwrap_or_default();
            let mut trees: Vec<String> = Vec::new();
            for (t, _) in &c.sources {
                if !trees.contains(t) {
                    trees.push(t.clone());
                }
            }
            // The scale tree chose the packs, so it owns what they bring.
            if c.from_pack && !trees.iter().any(|t| t == "scale") {
                trees.push("scale".into());
            }
            Some(Chosen {
                id: c.id.clone(),
                name: p.name.clone(),
                pack,
                category: p.category.to_string(),
                checklist: p.checklist.map(|c| c.to_string()),
                because: c.reasons.join("; "),
                path,
                trees,
                summary: p.headline().to_string(),
                tradeoffs: p.tradeoffs.clone(),
                flags: c.flags,
            })
        })
        .collect();
    let rank = |c: &Chosen| {
        let pack = c
            .pack
            .as_ref()
            .and_then(|p| pack_order.iter().position(|x| x == p))
            .unwrap_or(usize::MAX);
        let check = match c.checklist.as_deref() {
            Some("week-1") => 0,
            Some("month-1") => 1,
            Some("quarter-1") => 2,
            _ => 3,
        };
        let within = c
            .pack
            .as_ref()
            .and_then(|p| catalog.pack(p))
            .and_then(|p| p.patterns.iter().position(|x| *x == c.id))
            .unwrap_or(usize::MAX);
        (pack, check, within)
    };
    // Stable sort keeps walk order within equal ranks.
    patterns.sort_by_key(rank);
    state.patterns = patterns.iter().map(|c| c.id.clone()).collect();

    let antipatterns: Vec<Finding> = catalog
        .antipatterns()
        .iter()
        .filter(|a| state.eval(&a.detect))
        .map(|a| {
            let t = cx.triggers(&a.detect, &state);
            Finding {
                id: a.id.clone(),
                name: a.name.clone(),
                why: a.why.clone(),
                instead: a.instead.clone(),
                answers: t.answers,
                figures: t.figures,
                patterns: t.patterns,
                revisit: Vec::new(),
                withheld: Vec::new(),
            }
        })
        .collect();

    // Pack patterns are shared by every design of a size, so the stack is matched on the
    // patterns the answers chose beyond the packs (Jaccard similarity); shared and differing
    // patterns are reported over the whole sets.
    let design: BTreeSet<&str> = patterns.iter().map(|c| c.id.as_str()).collect();
    let in_pack: BTreeSet<&str> = catalog
        .packs()
        .iter()
        .flat_map(|p| p.patterns.iter().map(String::as_str))
        .collect();
    let own: BTreeSet<&str> = design.difference(&in_pack).copied().collect();
    let stack = catalog
        .stacks()
        .iter()
        .map(|s| {
            let theirs: BTreeSet<&str> = s.patterns.iter().map(String::as_str).collect();
            let theirs_own: BTreeSet<&str> = theirs.difference(&in_pack).copied().collect();
            let union = own.union(&theirs_own).count().max(1);
            StackMatch {
                id: s.id.clone(),
                name: s.name.clone(),
                similarity: own.intersection(&theirs_own).count() as f64 / union as f64,
                shared: design
                    .intersection(&theirs)
                    .map(|s| s.to_string())
                    .collect(),
                only_stack: theirs.difference(&design).map(|s| s.to_string()).collect(),
                only_design: design.difference(&theirs).map(|s| s.to_string()).collect(),
            }
        })
        .max_by(|a, b| {
            a.similarity
                .total_cmp(&b.similarity)
                .then_with(|| b.id.cmp(&a.id))
        })
        .filter(|m| m.similarity >= STACK_SIMILARITY);

    // Decisions and store candidates follow what the resolution step left.
    let standing = state.patterns.clone();
    let misfit = |db: &str| {
        catalog
            .database(db)
            .and_then(|d| super::resolve::store_misfit(d, &rules.constraints, &decided))
    };
    let why_not = |p: &str| {
        resolved
            .dropped
            .iter()
            .find(|x| x.id == p)
            .map(|x| x.reason.clone())
            .or_else(|| {
                super::resolve::excluded(p, &rules.constraints, &state, &cx, true).map(|e| e.1)
            })
    };
    let store_why = |db: &str| misfit(db).map(|m| m.1);
    let s = super::decision::Standing {
        patterns: &standing,
        why_not: &why_not,
        store_misfit: &store_why,
    };
    for d in &mut decisions {
        super::decision::reconcile(d, rules, &s);
    }
    let mut dropped_databases: Vec<Dropped> = Vec::new();
    database_candidates.retain(|c| match misfit(&c.id) {
        Some((constraint, reason)) => {
            dropped_databases.push(Dropped {
                id: c.id.clone(),
                name: catalog
                    .database(&c.id)
                    .map_or(c.id.clone(), |d| d.name.clone()),
                constraint,
                reason,
                answers: Vec::new(),
                figures: Vec::new(),
                proposed_by: format!("{}: {}", c.outcome, describe(&c.path)),
            });
            false
        }
        None => true,
    });
    // A replaced decision's walked outcome no longer names stores; the new one names its own.
    for d in &decisions {
        let Some(r) = d.resolution.as_ref().filter(|_| d.replaced()) else {
            continue;
        };
        let walked = format!("{}.{}", d.tree, r.walked);
        database_candidates.retain(|c| {
            if c.outcome != walked || d.databases.contains(&c.id) {
                return true;
            }
            dropped_databases.push(Dropped {
                id: c.id.clone(),
                name: catalog
                    .database(&c.id)
                    .map_or(c.id.clone(), |x| x.name.clone()),
                constraint: walked.clone(),
                reason: format!(
                    "the {} decision is now {} ({})",
                    d.tree, d.outcome_title, r.reason
                ),
                answers: Vec::new(),
                figures: Vec::new(),
                proposed_by: format!("{}: {}", c.outcome, describe(&c.path)),
            });
            false
        });
    }
    databases.retain(|db| database_candidates.iter().any(|c| &c.id == db));
    for d in &decisions {
        if !d.replaced() {
            continue;
        }
        for db in &d.databases {
            if !databases.contains(db) {
                databases.push(db.clone());
                database_candidates.push(DatabaseCandidate {
                    id: db.clone(),
                    outcome: format!("{}.{}", d.tree, d.outcome),
                    because: d.because.clone(),
                    path: d.path.clone(),
                });
            }
        }
    }

    // Alternatives a finding offers must fit the same answers: a suggestion the resolution
    // step would drop, or that excludes a pattern standing beside it, is never offered (one
    // that replaces a pattern the finding names is).
    let mut antipatterns = antipatterns;
    for f in resolved
        .contradictions
        .iter_mut()
        .chain(resolved.limits.iter_mut())
        .chain(antipatterns.iter_mut())
    {
        let named: BTreeSet<String> = f
            .patterns
            .iter()
            .cloned()
            .chain(
                rules
                    .constraints
                    .contradictions
                    .iter()
                    .chain(&rules.constraints.limits)
                    .filter(|k| k.id == f.id)
                    .flat_map(|k| k.flags.iter().cloned()),
            )
            .collect();
        let mut without = state.patterns.clone();
        without.retain(|p| !named.contains(p));
        let probe = super::walk::State {
            answers: state.answers.clone(),
            outcomes: state.outcomes.clone(),
            packs: state.packs.clone(),
            patterns: without,
            rules: state.rules,
        };
        let mut withheld = Vec::new();
        let finding = f.id.clone();
        f.instead.retain(|p| {
            let why = super::resolve::excluded(p, &rules.constraints, &probe, &cx, false)
                .or_else(|| flagged_elsewhere(p, &finding, &patterns, rules, &probe));
            match why {
                Some((constraint, reason)) => {
                    withheld.push(format!("{p} [{constraint}]: {reason}"));
                    false
                }
                None => true,
            }
        });
        f.withheld = withheld;
    }

    // A note stands only where its condition holds on the answers and what stands.
    for d in &mut decisions {
        if let Some(c) = rules
            .outcome(&d.tree, &d.outcome)
            .and_then(|o| o.note_when.as_ref())
            && !state.eval(c)
        {
            d.note = None;
        }
    }

    let defaults: BTreeSet<String> = decisions
        .iter()
        .flat_map(|d: &Decision| d.path.iter())
        .filter(|s| s.source == StepSource::Default)
        .map(|s| s.question.clone())
        .collect();
    let estimates = estimate_hints(rules, walk);
    Recommendation {
        packs,
        patterns,
        decisions,
        databases,
        database_candidates,
        dropped: resolved.dropped,
        dropped_databases,
        contradictions: resolved.contradictions,
        limits: resolved.limits,
        antipatterns,
        stack,
        estimates,
        skipped,
        defaults: defaults.into_iter().collect(),
        notes: walk.notes.clone(),
    }
}

/// Whether another finding flags `pattern` for the same answers: it stands flagged by a
/// constraint other than `finding`, or a contradiction or limit other than `finding` would flag
/// it if it stood beside what stands (`probe`). Returns that constraint and why.
fn flagged_elsewhere(
    pattern: &str,
    finding: &str,
    patterns: &[Chosen],
    rules: &Rules,
    probe: &State,
) -> Option<(String, String)> {
    if let Some(c) = patterns.iter().find(|c| c.id == pattern)
        && let Some(other) = c.flags.iter().find(|x| *x != finding)
    {
        return Some((
            other.clone(),
            format!("{pattern} stands, flagged by {other} for the same answers"),
        ));
    }
    let mut with = State {
        answers: probe.answers.clone(),
        outcomes: probe.outcomes.clone(),
        packs: probe.packs.clone(),
        patterns: probe.patterns.clone(),
        rules: probe.rules,
    };
    with.patterns.insert(pattern.to_string());
    rules
        .constraints
        .contradictions
        .iter()
        .chain(&rules.constraints.limits)
        .filter(|k| k.id != finding && k.flags.iter().any(|x| x == pattern))
        .find(|k| with.eval(&k.when) && !probe.eval(&k.when))
        .map(|k| {
            (
                k.id.clone(),
                format!("{} would hold with {pattern} beside what stands", k.name),
            )
        })
}

/// Ready command lines for the estimates the outcomes asked for, with known inputs filled in.
fn estimate_hints(rules: &Rules, walk: &Walk) -> Vec<EstimateHint> {
    let mut from: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for tw in &walk.trees {
        if let TreeStatus::Reached { outcome } = &tw.status
            && let Some(o) = rules.outcome(&tw.tree, outcome)
        {
            for e in &o.estimates {
                from.entry(e.clone()).or_default().push(tw.tree.clone());
            }
        }
    }
    let ans = |id: &str| walk.answers.get(id).map(|s| s.answer.clone());
    let target = ans("availability_target").unwrap_or_else(|| "99.9".into());
    let order: Vec<&str> = super::rules::ESTIMATES.to_vec();
    let mut out: Vec<EstimateHint> = from
        .into_iter()
        .filter_map(|(id, trees)| {
            use super::estimate::{Command, Estimate};
            let command = match Estimate::from_id(&id)? {
                Estimate::SloBudget => Command::SloBudget {
                    target: target.clone(),
                },
                Estimate::SloAlerts => Command::SloAlerts {
                    target: target.clone(),
                },
                Estimate::AvailCompose => Command::AvailCompose,
                Estimate::ScaleUsl => Command::ScaleUsl,
                Estimate::Quorum => Command::Quorum {
                    n: 3,
                    w: 2,
                    r: 2,
                    node_availability: 0.999,
                },
                Estimate::Shards => Command::Shards {
                    data: ans("data_size").unwrap_or_else(|| "1TB".into()),
                    growth: "40%/y".into(),
                    horizon: "3y".into(),
                    shard_size: "500GB".into(),
                    max_fill: 0.7,
                    writes: None,
                },
                Estimate::Ring => Command::Ring {
                    nodes: ans("cluster_nodes").unwrap_or_else(|| "10".into()),
                    vnodes: 128,
                    keys: "1M".into(),
                },
                Estimate::Queue => Command::Queue {
                    arrival: rate_arg(ans("peak_rps")),
                    service_time: "50ms".into(),
                    servers: 4,
                },
                Estimate::Retry => Command::Retry {
                    attempts: 3,
                    layers: 3,
                    base: "100ms".into(),
                    cap: "10s".into(),
                    per_try_timeout: "500ms".into(),
                    budget: "2s".into(),
                },
                Estimate::Ratelimit => Command::Ratelimit {
                    rate: rate_arg(ans("peak_rps")),
                    burst: "50".into(),
                    nodes: 1,
                },
                Estimate::Replicas => Command::Replicas {
                    peak: ans("peak_rps").unwrap_or_else(|| "100/s".into()),
                    per_replica: ans("replica_rps").unwrap_or_else(|| "500/s".into()),
                    target: target.clone(),
                    regions: ans("serving_regions")
                        .and_then(|r| r.parse::<u32>().ok())
                        .unwrap_or(1),
                },
            };
            Some(EstimateHint {
                id,
                command: command.to_string(),
                from: trees,
            })
        })
        .collect();
    out.sort_by_key(|h| order.iter().position(|o| *o == h.id).unwrap_or(usize::MAX));
    out
}

fn rate_arg(v: Option<String>) -> String {
    match v {
        Some(r) if r.contains('/') => r,
        Some(r) => format!("{r}/s"),
        None => "100/s".into(),
    }
}

/// Answers the walk used, by id, for the design file: value and where it came from.
pub fn used_answers(walk: &Walk) -> BTreeMap<String, PathStep> {
    walk.answers
        .iter()
        .map(|(id, s)| {
            (
                id.clone(),
                PathStep {
                    question: id.clone(),
                    answer: s.answer.clone(),
                    source: s.source,
                },
            )
        })
        .collect()
}

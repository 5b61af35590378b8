//! Outcome premises: a tree's outcome faces the whole answer set, not only the answers on its
//! own path. An outcome with `requires:` stands only where its condition holds over every
//! answer (and the derived figures); where other answers deny it, the decision becomes the
//! premise's `otherwise` outcome (else the tree's fallback, else the walked outcome without
//! its patterns), and the walked outcome's patterns that nothing else proposes are dropped
//! with the premise's reason. A choreographed saga needs several services that react to each
//! other's events; with one service and one external call the transactions decision becomes
//! an idempotent call through a transactional outbox.
//!
//! Runs before the constraints (see [`super::resolve`]), so they see the outcome that stands.

use super::decision::{Decision, Resolution};
use super::finding::Dropped;
use super::path::describe;
use super::resolve::{Candidate, Context, because};
use super::rules::Rules;
use super::walk::State;
use crate::catalog::Catalog;

/// Applies every reached outcome's premise. `state` holds the answers, figures and reached
/// outcomes (kept in step: a replaced outcome leaves `state.outcomes` and its replacement
/// enters); `candidates` are the patterns proposed so far. Returns the patterns dropped.
pub fn apply(
    decisions: &mut [Decision],
    candidates: &mut Vec<Candidate>,
    rules: &Rules,
    catalog: &Catalog,
    state: &mut State,
    cx: &Context,
) -> Vec<Dropped> {
    let mut dropped = Vec::new();
    state.patterns = candidates.iter().map(|c| c.id.clone()).collect();
    for d in decisions.iter_mut() {
        let Some(walked) = rules.outcome(&d.tree, &d.outcome) else {
            continue;
        };
        let Some(premise) = &walked.requires else {
            continue;
        };
        if state.eval(&premise.when) {
            continue;
        }
        let named = cx.named(&premise.when, state);
        let reason = because(&premise.why, &named);
        let replacement = premise
            .otherwise
            .as_deref()
            .and_then(|id| rules.outcome(&d.tree, id))
            .or_else(|| rules.fallback(&d.tree));
        let kept: Vec<String> = replacement.map(|r| r.patterns.clone()).unwrap_or_default();
        let tree_mark = format!("{}: ", d.tree);
        let mut lost = Vec::new();
        for p in &walked.patterns {
            if kept.contains(p) {
                continue;
            }
            let Some(pos) = candidates.iter().position(|c| &c.id == p) else {
                continue;
            };
            let proposed_by = candidates[pos].reasons.join("; ");
            let c = &mut candidates[pos];
            c.sources.retain(|(t, _)| *t != d.tree);
            c.reasons.retain(|r| !r.starts_with(&tree_mark));
            lost.push(p.clone());
            if c.sources.is_empty() && !c.from_pack {
                candidates.remove(pos);
                dropped.push(Dropped {
                    id: p.clone(),
                    name: catalog.pattern(p).map_or(p.clone(), |x| x.name.clone()),
                    constraint: format!("{}.{}", d.tree, walked.id),
                    reason: reason.clone(),
                    answers: named.answers.clone(),
                    figures: named.figures.clone(),
                    proposed_by,
                });
            }
        }
        // The replacement's patterns rest on the walked path and on the answers that denied the
        // premise; the decision keeps the tree's own path (its pages highlight it), and its
        // resolution names those answers.
        let mut path = d.path.clone();
        for s in &named.answers {
            if !path.iter().any(|x| x.question == s.question) {
                path.push(s.clone());
            }
        }
        let walked_key = format!("{}.{}", d.tree, walked.id);
        state.outcomes.remove(&walked_key);
        d.resolution = Some(Resolution {
            walked: walked.id.clone(),
            walked_title: walked.title.clone(),
            dropped: lost,
            reason: reason.clone(),
        });
        match replacement {
            Some(r) => {
                for p in &r.patterns {
                    let source = (d.tree.clone(), path.clone());
                    let why = format!("{}: {}", d.tree, describe(&path));
                    match candidates.iter_mut().find(|c| &c.id == p) {
                        Some(c) => {
                            c.sources.retain(|(t, _)| *t != d.tree);
                            c.sources.push(source);
                            c.reasons.retain(|x| !x.starts_with(&tree_mark));
                            c.reasons.push(why);
                        }
                        None => candidates.push(Candidate {
                            id: p.clone(),
                            reasons: vec![why],
                            sources: vec![source],
                            from_pack: false,
                            flags: Vec::new(),
                        }),
                    }
                }
                state.outcomes.insert(format!("{}.{}", d.tree, r.id));
                d.stand_on(r);
            }
            None => {
                d.patterns.retain(|p| kept.contains(p));
                d.databases.clear();
                d.note = None;
            }
        }
        state.patterns = candidates.iter().map(|c| c.id.clone()).collect();
    }
    dropped
}

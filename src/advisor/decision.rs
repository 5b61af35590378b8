//! One tree's decision, the record an ADR is written from, and how it follows the resolution
//! step. The walk reaches an outcome; when the resolution step drops one of that outcome's
//! patterns, or none of the stores it names can serve the patterns that stand, the decision is
//! re-derived from what stands ([`reconcile`]):
//!
//! 1. the tree's outcome whose patterns all stand, bringing at least one pattern the walked
//!    outcome did not (the recovery decision becomes "Pilot light" when `backup-restore` is
//!    dropped and `pilot-light` stands), the one with most patterns first, then branch order;
//! 2. else the tree's declared fallback outcome (`fallback: true`: a dropped cache becomes
//!    "No cache");
//! 3. else the walked outcome with only its standing patterns, marked as resolved.
//!
//! A decision that names stores is about them: while one of its stores can serve what stands,
//! it keeps its outcome with those stores and its standing patterns.
//!
//! Invariant: a decision's `patterns` all stand, and its `databases` are stores that can serve
//! what stands. The table, the JSON, the docs and the ADRs all read the decision, so they show
//! the same thing.

use super::path::PathStep;
use super::rules::{AnswerKind, Branch, Outcome, Rules};
use super::walk::TreeWalk;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One tree's decision: the record an ADR is written from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub tree: String,
    pub title: String,
    pub outcome: String,
    pub outcome_title: String,
    pub because: String,
    pub patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub databases: Vec<String>,
    pub path: Vec<PathStep>,
    /// The deciding question (the last one on the path) and its alternatives.
    pub question: String,
    pub ask: String,
    pub options: Vec<DecisionOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How the resolution step changed the outcome the walk reached, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
}

/// An alternative of a deciding question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionOption {
    pub value: String,
    pub label: String,
    /// The answer took this alternative and its outcome stands.
    pub chosen: bool,
}

/// What the resolution step did to a decision: the outcome the walk reached and why it does
/// not stand as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// The outcome the walk reached (the decision's own `outcome` when no other fits and only
    /// its patterns were cut).
    pub walked: String,
    pub walked_title: String,
    /// The walked outcome's patterns and stores that do not stand.
    pub dropped: Vec<String>,
    /// Why, one clause per pattern or store.
    pub reason: String,
}

impl Decision {
    /// The decision now stands on `o`, an outcome the resolution step gave it rather than the
    /// one the answers reached: its title, reasons, patterns, stores and note are `o`'s, and no
    /// answer's option is marked chosen any more (none of them names what stands).
    pub fn stand_on(&mut self, o: &Outcome) {
        self.outcome = o.id.clone();
        self.outcome_title = o.title.clone();
        self.because = o.because.clone();
        self.patterns = o.patterns.clone();
        self.databases = o.databases.clone();
        self.note = o.note.clone();
        for opt in &mut self.options {
            opt.chosen = false;
        }
    }

    /// Whether the resolution step replaced the outcome the walk reached.
    pub fn replaced(&self) -> bool {
        self.resolution
            .as_ref()
            .is_some_and(|r| r.walked != self.outcome)
    }

    /// Whether the resolution step dropped every pattern and store of the outcome and found
    /// nothing to replace it (its note no longer applies).
    pub fn emptied(&self) -> bool {
        self.resolution.is_some()
            && !self.replaced()
            && self.patterns.is_empty()
            && self.databases.is_empty()
    }
}

/// The decision a tree walk reached, as the walk saw it.
pub(super) fn decision(rules: &Rules, tw: &TreeWalk, o: &Outcome, path: Vec<PathStep>) -> Decision {
    let last = tw.steps.last();
    let (question, ask, options) = match last.and_then(|s| {
        rules
            .in_tree(&tw.tree, &s.question, &s.answer)
            .map(|q| (s, q))
    }) {
        Some((s, (q, answer))) => {
            // A retired question the tree branches on: the options are its own, the
            // question and its wording the one actually asked.
            let asked = rules.question(&s.question).unwrap_or(q);
            let options = match &q.answer {
                AnswerKind::Choice(cs) => cs
                    .iter()
                    .map(|c| DecisionOption {
                        value: c.value.clone(),
                        label: c.label.clone(),
                        chosen: c.value == answer,
                    })
                    .collect(),
                AnswerKind::Number { .. } => rules
                    .question_node(&q.id)
                    .map(|n| {
                        rules
                            .branches(n)
                            .into_iter()
                            .map(|(_, e, _)| {
                                let text = match &e.branch {
                                    Branch::Range { text, .. } => text.clone(),
                                    Branch::Choice(v) => v.clone(),
                                };
                                DecisionOption {
                                    chosen: text == s.branch,
                                    value: text.clone(),
                                    label: text,
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            (asked.id.clone(), asked.ask.clone(), options)
        }
        None => (String::new(), String::new(), Vec::new()),
    };
    Decision {
        tree: tw.tree.clone(),
        title: tw.title.clone(),
        outcome: o.id.clone(),
        outcome_title: o.title.clone(),
        because: o.because.clone(),
        patterns: o.patterns.clone(),
        databases: o.databases.clone(),
        path,
        question,
        ask,
        options,
        note: o.note.clone(),
        resolution: None,
    }
}

/// Raises a decision that chose the pack `from` (a position in `pack_order`) by the user band
/// to its tree's outcome for the pack at `to`, which the load band (`rate`, the peak rate
/// answer) calls for. Other decisions are left alone. The path stays the tree's own (the
/// tree's pages highlight it); the resolution's reason names the rate.
pub fn raise_pack(
    d: &mut Decision,
    rules: &Rules,
    pack_order: &[String],
    from: Option<usize>,
    to: usize,
    reason: &str,
) {
    let Some(walked) = rules.outcome(&d.tree, &d.outcome) else {
        return;
    };
    let Some(at) = walked
        .pack
        .as_ref()
        .and_then(|p| pack_order.iter().position(|x| x == p))
    else {
        return;
    };
    if Some(at) != from {
        return;
    }
    let Some(raised) = rules
        .tree_outcomes(&d.tree)
        .into_iter()
        .find(|o| o.pack.as_deref() == Some(pack_order[to].as_str()))
    else {
        return;
    };
    d.resolution = Some(Resolution {
        walked: walked.id.clone(),
        walked_title: walked.title.clone(),
        dropped: Vec::new(),
        reason: reason.to_string(),
    });
    d.stand_on(raised);
}

/// What the resolution step left, as [`reconcile`] reads it.
pub struct Standing<'a> {
    /// The patterns that stand.
    pub patterns: &'a BTreeSet<String>,
    /// Why a pattern does not stand (dropped, or excluded by what stands), if it does not.
    pub why_not: &'a dyn Fn(&str) -> Option<String>,
    /// Why a store cannot serve what stands, if it cannot.
    pub store_misfit: &'a dyn Fn(&str) -> Option<String>,
}

/// Makes a decision agree with what the resolution step left (see the module docs).
pub fn reconcile(d: &mut Decision, rules: &Rules, s: &Standing) {
    let Some(walked) = rules.outcome(&d.tree, &d.outcome) else {
        return;
    };
    let lost: Vec<&String> = walked
        .patterns
        .iter()
        .filter(|p| !s.patterns.contains(*p))
        .collect();
    let stores: Vec<String> = walked
        .databases
        .iter()
        .filter(|db| (s.store_misfit)(db).is_none())
        .cloned()
        .collect();
    let stores_lost: Vec<&String> = walked
        .databases
        .iter()
        .filter(|db| !stores.contains(db))
        .collect();
    if lost.is_empty() && stores_lost.is_empty() {
        return;
    }
    let mut reasons: Vec<String> = lost
        .iter()
        .map(|p| match (s.why_not)(p) {
            Some(why) => format!("{p}: {why}"),
            None => format!("{p} does not stand"),
        })
        .collect();
    reasons.extend(stores_lost.iter().map(|db| match (s.store_misfit)(db) {
        Some(why) => format!("{db}: {why}"),
        None => format!("{db} does not fit"),
    }));
    let mut dropped: Vec<String> = lost.iter().map(|p| p.to_string()).collect();
    dropped.extend(stores_lost.iter().map(|db| db.to_string()));
    let resolution = Resolution {
        walked: walked.id.clone(),
        walked_title: walked.title.clone(),
        dropped,
        reason: reasons.join("; "),
    };
    if !stores.is_empty() {
        // A decision that names stores is about them: while some can serve what stands, the
        // outcome stands with those stores and the patterns that stand (a single-primary
        // relational store serves readers who accept lag as well as those who do not).
        d.patterns.retain(|p| s.patterns.contains(p));
        d.databases = stores;
        d.resolution = Some(resolution);
        return;
    }
    let fits = |o: &Outcome| {
        o.patterns.iter().all(|p| s.patterns.contains(p))
            && (o.databases.is_empty()
                || o.databases.iter().any(|db| (s.store_misfit)(db).is_none()))
    };
    let replacement = rules
        .tree_outcomes(&d.tree)
        .into_iter()
        .enumerate()
        .filter(|(_, o)| {
            o.id != walked.id
                && !o.fallback
                && fits(o)
                && o.patterns.iter().any(|p| !walked.patterns.contains(p))
        })
        .max_by_key(|(i, o)| (o.patterns.len(), std::cmp::Reverse(*i)))
        .map(|(_, o)| o)
        .or_else(|| rules.fallback(&d.tree).filter(|o| fits(o)));
    match replacement {
        Some(o) => {
            d.stand_on(o);
            d.databases.retain(|db| (s.store_misfit)(db).is_none());
        }
        None => {
            d.patterns.retain(|p| s.patterns.contains(p));
            d.databases = stores;
            if d.patterns.is_empty() {
                d.note = None;
            }
        }
    }
    d.resolution = Some(resolution);
}

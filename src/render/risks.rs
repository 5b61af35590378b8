//! What the advice flagged, tied to the decisions it concerns: contradictions, limits,
//! anti-patterns and dropped patterns. The overview lists them in one "Risks and open
//! questions" section linking each to its decision; each decision record repeats those that
//! concern it.
//!
//! A finding concerns a decision when one of the answers that triggered it (or a question it
//! asks to revisit) lies on the decision's path, or when a pattern it names is one the
//! decision brings. A dropped pattern concerns the decision whose answers ruled it out, and
//! the tree that proposed it.

use crate::advisor::recommendation::{Decision, Dropped, Finding, PathStep};
use crate::design::Design;
use serde::Serialize;

/// One risk, as a line of a record or the overview.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// `contradiction`, `limit`, `anti-pattern`, `dropped` or `default`.
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    /// Why, in the advisor's words (one paragraph).
    pub why: String,
    /// The answers that triggered it, `question = value`.
    pub answers: Vec<String>,
    /// Trees of the decisions it concerns, in walk order.
    pub trees: Vec<String>,
}

fn on_path(d: &Decision, question: &str) -> bool {
    d.path.iter().any(|p| p.question == question)
}

/// The patterns a decision brings: its outcome's, and those the recommendation credits to
/// its tree.
fn brings(design: &Design, d: &Decision) -> Vec<String> {
    let mut ids = d.patterns.clone();
    for p in &design.recommendation.patterns {
        if p.trees.contains(&d.tree) && !ids.contains(&p.id) {
            ids.push(p.id.clone());
        }
    }
    ids
}

fn answers_text(answers: &[PathStep]) -> Vec<String> {
    answers
        .iter()
        .map(|a| format!("{} = {}", a.question, a.answer))
        .collect()
}

fn finding(design: &Design, kind: &'static str, f: &Finding) -> Risk {
    let trees = design
        .recommendation
        .decisions
        .iter()
        .filter(|d| {
            f.answers.iter().any(|a| on_path(d, &a.question))
                || f.revisit.iter().any(|q| on_path(d, q))
                || brings(design, d).iter().any(|p| f.patterns.contains(p))
        })
        .map(|d| d.tree.clone())
        .collect();
    Risk {
        kind,
        id: f.id.clone(),
        name: f.name.clone(),
        why: f.why.trim().to_string(),
        answers: answers_text(&f.answers),
        trees,
    }
}

fn dropped(design: &Design, x: &Dropped) -> Risk {
    let trees = design
        .recommendation
        .decisions
        .iter()
        .filter(|d| {
            x.answers.iter().any(|a| on_path(d, &a.question))
                || x.proposed_by == d.tree
                || x.proposed_by.starts_with(&format!("{}:", d.tree))
        })
        .map(|d| d.tree.clone())
        .collect();
    Risk {
        kind: "dropped",
        id: x.id.clone(),
        name: x.name.clone(),
        why: x.reason.trim().to_string(),
        answers: answers_text(&x.answers),
        trees,
    }
}

/// Every risk of the design: contradictions, limits, anti-patterns, then dropped patterns.
pub fn all(design: &Design) -> Vec<Risk> {
    let rec = &design.recommendation;
    let mut out: Vec<Risk> = Vec::new();
    out.extend(
        rec.contradictions
            .iter()
            .map(|f| finding(design, "contradiction", f)),
    );
    out.extend(rec.limits.iter().map(|f| finding(design, "limit", f)));
    out.extend(
        rec.antipatterns
            .iter()
            .map(|f| finding(design, "anti-pattern", f)),
    );
    out.extend(rec.dropped.iter().map(|x| dropped(design, x)));
    out
}

/// The risks that concern one decision, with its defaulted answers last.
pub fn for_decision(design: &Design, d: &Decision) -> Vec<Risk> {
    let mut out: Vec<Risk> = all(design)
        .into_iter()
        .filter(|r| r.trees.contains(&d.tree))
        .collect();
    let defaults: Vec<String> = d
        .path
        .iter()
        .filter(|p| p.source == crate::advisor::walk::StepSource::Default)
        .map(|p| format!("{} = {}", p.question, p.answer))
        .collect();
    if !defaults.is_empty() {
        out.push(Risk {
            kind: "default",
            id: d.tree.clone(),
            name: "Rests on defaults".into(),
            why: "Nobody answered these questions; the advisor took its defaults. Answer them to make the decision yours.".into(),
            answers: defaults,
            trees: vec![d.tree.clone()],
        });
    }
    out
}

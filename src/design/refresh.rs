//! The design file as the single source of truth: recompute a design from the answers it
//! records and the rules in use, and say what changed between two designs.
//!
//! `tradeoff render` recomputes before rendering: a design whose recommendation no longer
//! follows from its answers (an answer edited by hand, rules changed since) is refused until
//! it is refreshed, so the artifacts never describe a recommendation the answers do not give.

use super::Design;
use crate::advisor::recommendation::Recommendation;
use crate::advisor::{self, Answers, Rules, walk::NoPrompt};
use crate::catalog::Catalog;
use std::collections::BTreeSet;

impl Design {
    /// The design that the recorded answers give under `rules` today. `text` and `path` are
    /// the design file's, for messages about its answers.
    pub fn refresh(
        &self,
        rules: &Rules,
        catalog: &Catalog,
        text: &str,
        path: &str,
    ) -> Result<Design, advisor::Error> {
        let answers = Answers::from_design(&self.answers, rules, text, path);
        let rec = &self.recommendation;
        // A design walked over a subset of trees (`advise --tree`) is recomputed over the
        // same subset.
        let walked: BTreeSet<&str> = rec
            .decisions
            .iter()
            .map(|d| d.tree.as_str())
            .chain(rec.skipped.iter().map(String::as_str))
            .collect();
        let only: Vec<String> = if rules.trees.iter().all(|t| walked.contains(t.id.as_str())) {
            Vec::new()
        } else {
            rec.decisions.iter().map(|d| d.tree.clone()).collect()
        };
        let pack_order: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
        let walk = advisor::walk(rules, &answers, &only, &pack_order, &mut NoPrompt)?;
        // Where the artifacts live and what check tolerates are not the recommendation's.
        Ok(Design {
            rendered: self.rendered.clone(),
            check: self.check.clone(),
            ..Design::build(rules, &walk, catalog)
        })
    }

    /// What differs from `before` to `self`, one line each, for people; empty when the
    /// answers, recommendation, estimates and settings are the same (the generator version
    /// alone does not count).
    pub fn changes_from(&self, before: &Design) -> Vec<String> {
        let mut out = Vec::new();
        let (old, new) = (&before.recommendation, &self.recommendation);
        for (id, step) in &self.answers {
            match before.answers.get(id) {
                Some(b) if b.answer == step.answer => {}
                Some(b) => out.push(format!("answer {id}: {} → {}", b.answer, step.answer)),
                None => out.push(format!("answer {id}: (none) → {}", step.answer)),
            }
        }
        for id in before.answers.keys() {
            if !self.answers.contains_key(id) {
                out.push(format!("answer {id}: no longer used"));
            }
        }
        if old.packs != new.packs {
            out.push(format!(
                "packs: {} → {}",
                old.packs.join(" + "),
                new.packs.join(" + ")
            ));
        }
        for d in &new.decisions {
            match old.decisions.iter().find(|o| o.tree == d.tree) {
                Some(o) if o.outcome == d.outcome => {}
                Some(o) => out.push(format!(
                    "decision {}: {} → {}",
                    d.tree, o.outcome_title, d.outcome_title
                )),
                None => out.push(format!("decision {}: (none) → {}", d.tree, d.outcome_title)),
            }
        }
        for o in &old.decisions {
            if !new.decisions.iter().any(|d| d.tree == o.tree) {
                out.push(format!("decision {}: no longer made", o.tree));
            }
        }
        let ids = |r: &advisor::recommendation::Recommendation| -> BTreeSet<String> {
            r.patterns.iter().map(|p| p.id.clone()).collect()
        };
        let (a, b) = (ids(old), ids(new));
        let added: Vec<&String> = b.difference(&a).collect();
        let removed: Vec<&String> = a.difference(&b).collect();
        if !added.is_empty() {
            out.push(format!(
                "patterns added: {}",
                added
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !removed.is_empty() {
            out.push(format!(
                "patterns removed: {}",
                removed
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for (id, e) in &self.estimates {
            if before.estimates.get(id) != Some(e) {
                out.push(format!("estimate {id}: {}", e.summary.trim()));
            }
        }
        for (section, keys) in &self.settings {
            for (key, s) in keys {
                let was = before.settings.get(section).and_then(|k| k.get(key));
                if was.map(|w| &w.value) != Some(&s.value) {
                    out.push(format!("setting {section}.{key} changed"));
                }
            }
        }
        // Notes say how the given answers were read (a retired id, a settled question); the
        // refreshed design reads its own recorded answers, so they are not a change.
        let same = Recommendation {
            notes: Vec::new(),
            ..old.clone()
        } == Recommendation {
            notes: Vec::new(),
            ..new.clone()
        };
        if out.is_empty() && (!same || before.estimates != self.estimates) {
            // Same outcomes, different wording (reasons, trade-offs): still worth a refresh.
            out.push("the recommendation's reasons or trade-offs changed".into());
        }
        out
    }
}

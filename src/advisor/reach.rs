//! Which catalog patterns some answer set can bring into a recommendation. A pattern that no
//! outcome, choice, range or pack names is only ever shown by `tradeoff explain`; `rules
//! check` warns about each one (code `unreachable-pattern`), except the patterns the catalog
//! keeps only to explain an idea (`explanation_only`).
//!
//! Invariant: every question and outcome of loaded rules is reachable from its tree's start
//! (validation refuses the rest), so every pattern named in the graph is reachable too.

use super::rules::{Node, Rules};
use crate::catalog::Catalog;
use std::collections::BTreeSet;

/// A catalog pattern no answer can reach.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unreached {
    /// The pattern id.
    pub id: String,
    /// Where it is defined (`models/patterns.yaml`).
    pub path: String,
    /// 1-based line of its `- id:` entry, when found.
    pub line: Option<usize>,
}

/// Pattern ids that some walk can add: those named by an outcome, a choice or a range, and
/// the patterns of every pack an outcome selects (with the lower packs, which are cumulative).
pub fn reachable(rules: &Rules, catalog: &Catalog) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut top_pack: Option<u32> = None;
    for node in rules.graph.node_indices() {
        if let Node::Outcome(o) = &rules.graph[node] {
            found.extend(o.patterns.iter().cloned());
            if let Some(p) = o.pack.as_deref().and_then(|p| catalog.pack(p)) {
                top_pack = top_pack.max(Some(p.order));
            }
        }
    }
    for edge in rules.graph.edge_weights() {
        found.extend(edge.patterns.iter().cloned());
    }
    for pack in catalog.packs() {
        if top_pack.is_some_and(|top| pack.order <= top) {
            found.extend(pack.patterns.iter().cloned());
        }
    }
    found
}

/// Catalog patterns outside [`reachable`], in catalog order, located in the embedded
/// `models/patterns.yaml`.
pub fn unreachable(rules: &Rules, catalog: &Catalog) -> Vec<Unreached> {
    let found = reachable(rules, catalog);
    let text =
        crate::embedded::file(crate::embedded::MODELS, "patterns.yaml").map_or("", |f| f.text);
    catalog
        .patterns()
        .iter()
        .filter(|p| !found.contains(&p.id) && !p.explanation_only)
        .map(|p| Unreached {
            id: p.id.clone(),
            path: "models/patterns.yaml".into(),
            line: text
                .lines()
                .position(|l| l.trim_start_matches([' ', '-']).strip_prefix("id: ") == Some(&p.id))
                .map(|i| i + 1),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_pattern_is_reachable_from_some_answer() {
        let catalog = Catalog::get().unwrap();
        let rules = super::super::load::load(None, catalog).unwrap();
        assert_eq!(unreachable(&rules, catalog), Vec::new());
    }

    #[test]
    fn a_pattern_named_nowhere_is_reported_with_its_line() {
        let catalog = Catalog::get().unwrap();
        let mut rules = super::super::load::load(None, catalog).unwrap();
        for w in rules.graph.edge_weights_mut() {
            w.patterns.retain(|p| p != "websockets");
        }
        let missing = unreachable(&rules, catalog);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert_eq!(missing[0].id, "websockets");
        let line = missing[0].line.unwrap();
        let text = crate::embedded::file(crate::embedded::MODELS, "patterns.yaml")
            .unwrap()
            .text;
        assert_eq!(text.lines().nth(line - 1), Some("  - id: websockets"));
    }
}

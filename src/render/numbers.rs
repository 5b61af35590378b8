//! The design's numbers where a reader needs them: the estimates and settings a decision
//! record or a pattern page quotes, each with where it came from.
//!
//! A setting belongs to a decision when its source names one of the decision's estimates
//! (`estimate shards: ...`), patterns (`pattern circuit-breaker: ...`) or answers
//! (`answer data_size = ...`), or when its section tunes one of the decision's patterns
//! ([`SECTIONS`]). A pattern page quotes the sections that tune its pattern and every setting
//! whose source names it.

use crate::advisor::recommendation::Decision;
use crate::design::{Design, Value};
use serde::Serialize;

/// Which patterns each settings section tunes. The sections are the ones the design's
/// estimates write (`design::estimate`); a test checks every id is in the catalog.
pub const SECTIONS: &[(&str, &[&str])] = &[
    ("service", &["timeout"]),
    ("retry", &["retry-backoff"]),
    ("circuit_breaker", &["circuit-breaker"]),
    (
        "rate_limit",
        &[
            "rate-limiting",
            "token-bucket",
            "leaky-bucket",
            "fixed-window",
            "sliding-window-log",
            "sliding-window-counter",
        ],
    ),
    ("bulkhead", &["bulkhead"]),
    ("queue", &["distributed-queue"]),
    (
        "sharding",
        &[
            "sharding",
            "hash-sharding",
            "range-sharding",
            "geo-sharding",
            "consistent-hashing",
        ],
    ),
    ("quorum", &["quorum"]),
    (
        "cache",
        &[
            "caching",
            "cache-aside",
            "read-through",
            "write-through",
            "write-back",
        ],
    ),
];

/// An estimate as a record quotes it.
#[derive(Debug, Clone, Serialize)]
pub struct Quoted {
    pub id: String,
    pub title: String,
    pub command: String,
    pub summary: String,
    /// `(name, value for people)`, table cells (pipes escaped).
    pub results: Vec<(String, String)>,
}

/// A setting as a record quotes it.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    /// `section.key`.
    pub key: String,
    pub value: String,
    pub source: String,
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => crate::units::trim_float(*f, 6),
        Value::Text(t) => t.clone(),
    }
}

/// The estimates the design ran for a tree's decision, in the recommendation's order.
pub fn estimates_for(design: &Design, tree: &str) -> Vec<Quoted> {
    design
        .recommendation
        .estimates
        .iter()
        .filter(|h| h.from.iter().any(|t| t == tree))
        .filter_map(|h| design.estimates.get(&h.id).map(|e| (h, e)))
        .map(|(h, e)| Quoted {
            id: h.id.clone(),
            title: e.title.clone(),
            command: e.command.clone(),
            summary: e.summary.trim().trim_end_matches('.').to_string(),
            results: e
                .results
                .iter()
                .map(|f| (cell(&f.name), cell(&f.display)))
                .collect(),
        })
        .collect()
}

/// Commands of the estimates a decision asks for that the design has not run.
pub fn pending_for(design: &Design, tree: &str) -> Vec<String> {
    design
        .recommendation
        .estimates
        .iter()
        .filter(|h| h.from.iter().any(|t| t == tree) && !design.estimates.contains_key(&h.id))
        .map(|h| h.command.clone())
        .collect()
}

/// The word after `estimate`, `pattern` or `answer` at the start of a source.
fn named(source: &str, kind: &str) -> Option<String> {
    let rest = source.strip_prefix(kind)?.strip_prefix(' ')?;
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

fn tunes(section: &str, pattern: &str) -> bool {
    SECTIONS
        .iter()
        .any(|(s, ps)| *s == section && ps.contains(&pattern))
}

fn quotes(design: &Design, keep: impl Fn(&str, &str) -> bool) -> Vec<Quote> {
    let mut out = Vec::new();
    for (section, keys) in &design.settings {
        for (key, s) in keys {
            if keep(section, &s.source) {
                out.push(Quote {
                    key: format!("{section}.{key}"),
                    value: cell(&value_text(&s.value)),
                    source: cell(&s.source),
                });
            }
        }
    }
    out
}

/// The settings that follow from a decision (`patterns`: the ids it brings).
pub fn settings_for_decision(design: &Design, d: &Decision, patterns: &[String]) -> Vec<Quote> {
    let estimates: Vec<&str> = design
        .recommendation
        .estimates
        .iter()
        .filter(|h| h.from.contains(&d.tree))
        .map(|h| h.id.as_str())
        .collect();
    quotes(design, |section, source| {
        named(source, "estimate").is_some_and(|e| estimates.contains(&e.as_str()))
            || named(source, "pattern").is_some_and(|p| patterns.contains(&p))
            || named(source, "answer").is_some_and(|a| d.path.iter().any(|s| s.question == a))
            || patterns.iter().any(|p| tunes(section, p))
    })
}

/// The settings that tune a pattern.
pub fn settings_for_pattern(design: &Design, pattern: &str) -> Vec<Quote> {
    quotes(design, |section, source| {
        tunes(section, pattern) || named(source, "pattern").is_some_and(|p| p == pattern)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_a_section_tunes_is_in_the_catalog() {
        let catalog = crate::catalog::Catalog::get().unwrap();
        for (section, ids) in SECTIONS {
            for id in *ids {
                assert!(catalog.pattern(id).is_some(), "{section}: {id}");
            }
        }
    }

    #[test]
    fn a_source_names_its_estimate_pattern_or_answer() {
        assert_eq!(
            named("estimate shards: 300TB", "estimate").as_deref(),
            Some("shards")
        );
        assert_eq!(
            named("pattern circuit-breaker: open", "pattern").as_deref(),
            Some("circuit-breaker")
        );
        assert_eq!(
            named("answer data_size = 1TB", "answer").as_deref(),
            Some("data_size")
        );
        assert_eq!(named("assumption: 50ms", "estimate"), None);
    }
}

//! Constraints (`models/constraints.yaml`, and any `constraints-*.yaml` beside it): what the
//! advisor's resolution step applies to the candidate patterns the trees and packs propose.
//! Format: docs/rules.md, "Constraints".
//!
//! Six kinds, each a list under its own top-level key:
//! - `exclusive`: at most one of `patterns` may stand (strong vs eventual consistency);
//! - `requires`: `pattern` needs one of `needs` beside it (multi-leader needs a conflict
//!   strategy);
//! - `ruled_out`: `patterns` are dropped when `when` holds (saga without cross-service
//!   writes), optionally only when a pack alone brought them;
//! - `adds`: `patterns` are added when `when` holds (sharding when the write rate outgrows
//!   one primary);
//! - `contradictions`: answers that cannot both hold (`when`), naming what to revisit;
//! - `limits`: a technology asked to go past what it sustains (`when` over the rates and
//!   sizes the answers give).
//!
//! The catalog checks what it knows (ids, pattern and pack references, condition shape);
//! the advisor checks question and outcome ids against the rules.

use crate::condition::Condition;
use serde::{Deserialize, Serialize};

/// Where an entry was written: its file, first line, and its own lines of text (to point at
/// a key inside it).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Place {
    pub path: String,
    /// 1-based line of the entry's `- ` marker.
    pub line: usize,
    /// The entry's lines, from its marker to the next entry.
    #[serde(skip)]
    pub text: String,
}

impl Place {
    /// The (line, column) of `keys` inside the entry, or the entry's own line.
    pub fn locate(&self, keys: &[&str]) -> (usize, Option<usize>) {
        match crate::yaml::locate(&self.text, keys) {
            Some((l, c)) => (self.line + l - 1, Some(c)),
            None => (self.line, None),
        }
    }
}

/// Patterns of which at most one may stand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusive {
    pub id: String,
    pub name: String,
    pub patterns: Vec<String>,
    pub why: String,
    /// The tree that decides among them when answers of equal strength chose more than one
    /// (the consistency tree decides the consistency model; a store only has to serve it).
    #[serde(default)]
    pub prefer: Option<String>,
    /// Questions to revisit when answers chose more than one; default: the deciding
    /// questions of the answer paths that chose them.
    #[serde(default)]
    pub revisit: Vec<String>,
    /// Only decides which stores can serve what stands (a store implementing one of the
    /// patterns is no candidate where another stands on given answers); the patterns
    /// themselves are not resolved against each other.
    #[serde(default)]
    pub stores_only: bool,
    #[serde(skip)]
    pub place: Place,
}

/// A pattern that needs one of `needs` beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub name: String,
    pub pattern: String,
    pub needs: Vec<String>,
    pub why: String,
    #[serde(default)]
    pub revisit: Vec<String>,
    #[serde(skip)]
    pub place: Place,
}

/// Patterns the answers rule out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuledOut {
    pub id: String,
    pub patterns: Vec<String>,
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub when: Condition,
    /// Only drop a pattern no tree chose (a pack alone brought it).
    #[serde(default)]
    pub only_from_pack: bool,
    /// Why, shown beside each dropped pattern.
    pub why: String,
    #[serde(skip)]
    pub place: Place,
}

/// Patterns the numbers call for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addition {
    pub id: String,
    pub patterns: Vec<String>,
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub when: Condition,
    /// Why, shown as the pattern's reason.
    pub why: String,
    #[serde(skip)]
    pub place: Place,
}

/// A finding: a contradiction between answers, or a technology past its limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    pub name: String,
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub when: Condition,
    pub why: String,
    /// Questions whose answers to revisit.
    #[serde(default)]
    pub revisit: Vec<String>,
    /// Patterns that resolve it.
    #[serde(default)]
    pub instead: Vec<String>,
    /// Patterns to mark as flagged by it, when they stand.
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(skip)]
    pub place: Place,
}

/// Every constraint, from every constraints file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    #[serde(default)]
    pub exclusive: Vec<Exclusive>,
    #[serde(default)]
    pub requires: Vec<Requirement>,
    #[serde(default)]
    pub ruled_out: Vec<RuledOut>,
    #[serde(default)]
    pub adds: Vec<Addition>,
    #[serde(default)]
    pub contradictions: Vec<Check>,
    #[serde(default)]
    pub limits: Vec<Check>,
}

/// The top-level keys of a constraints file, in the order they are checked.
pub const SECTIONS: [&str; 6] = [
    "exclusive",
    "requires",
    "ruled_out",
    "adds",
    "contradictions",
    "limits",
];

/// Whether a file (by path) is a constraints file: `constraints.yaml` or `constraints-*.yaml`.
pub fn is_constraints_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem == "constraints" || stem.starts_with("constraints-")
}

impl Constraints {
    /// Appends another file's constraints.
    pub fn extend(&mut self, other: Constraints) {
        self.exclusive.extend(other.exclusive);
        self.requires.extend(other.requires);
        self.ruled_out.extend(other.ruled_out);
        self.adds.extend(other.adds);
        self.contradictions.extend(other.contradictions);
        self.limits.extend(other.limits);
    }

    /// Every entry's id, section and place, for duplicate checks and messages.
    pub fn entries(&self) -> Vec<(&'static str, &str, &Place)> {
        let mut out: Vec<(&'static str, &str, &Place)> = Vec::new();
        out.extend(
            self.exclusive
                .iter()
                .map(|e| ("exclusive", e.id.as_str(), &e.place)),
        );
        out.extend(
            self.requires
                .iter()
                .map(|e| ("requires", e.id.as_str(), &e.place)),
        );
        out.extend(
            self.ruled_out
                .iter()
                .map(|e| ("ruled_out", e.id.as_str(), &e.place)),
        );
        out.extend(self.adds.iter().map(|e| ("adds", e.id.as_str(), &e.place)));
        out.extend(
            self.contradictions
                .iter()
                .map(|e| ("contradictions", e.id.as_str(), &e.place)),
        );
        out.extend(
            self.limits
                .iter()
                .map(|e| ("limits", e.id.as_str(), &e.place)),
        );
        out
    }

    /// Every condition with its owner's id and place.
    pub fn conditions(&self) -> Vec<(&str, &Condition, &Place)> {
        let mut out: Vec<(&str, &Condition, &Place)> = Vec::new();
        out.extend(
            self.ruled_out
                .iter()
                .map(|e| (e.id.as_str(), &e.when, &e.place)),
        );
        out.extend(self.adds.iter().map(|e| (e.id.as_str(), &e.when, &e.place)));
        out.extend(
            self.contradictions
                .iter()
                .chain(&self.limits)
                .map(|e| (e.id.as_str(), &e.when, &e.place)),
        );
        out
    }

    /// Every `revisit` list with its owner's id and place.
    pub fn revisits(&self) -> Vec<(&str, &[String], &Place)> {
        let mut out: Vec<(&str, &[String], &Place)> = Vec::new();
        out.extend(
            self.exclusive
                .iter()
                .map(|e| (e.id.as_str(), e.revisit.as_slice(), &e.place)),
        );
        out.extend(
            self.requires
                .iter()
                .map(|e| (e.id.as_str(), e.revisit.as_slice(), &e.place)),
        );
        out.extend(
            self.contradictions
                .iter()
                .chain(&self.limits)
                .map(|e| (e.id.as_str(), e.revisit.as_slice(), &e.place)),
        );
        out
    }

    /// Every pattern reference: (owner id, place, key it is written under, pattern id).
    pub fn pattern_refs(&self) -> Vec<(&str, &Place, &'static str, &str)> {
        let mut out = Vec::new();
        for e in &self.exclusive {
            for p in &e.patterns {
                out.push((e.id.as_str(), &e.place, "patterns", p.as_str()));
            }
        }
        for e in &self.requires {
            out.push((e.id.as_str(), &e.place, "pattern", e.pattern.as_str()));
            for p in &e.needs {
                out.push((e.id.as_str(), &e.place, "needs", p.as_str()));
            }
        }
        for e in &self.ruled_out {
            for p in &e.patterns {
                out.push((e.id.as_str(), &e.place, "patterns", p.as_str()));
            }
        }
        for e in &self.adds {
            for p in &e.patterns {
                out.push((e.id.as_str(), &e.place, "patterns", p.as_str()));
            }
        }
        for e in self.contradictions.iter().chain(&self.limits) {
            for p in &e.instead {
                out.push((e.id.as_str(), &e.place, "instead", p.as_str()));
            }
            for p in &e.flags {
                out.push((e.id.as_str(), &e.place, "flags", p.as_str()));
            }
        }
        out
    }
}

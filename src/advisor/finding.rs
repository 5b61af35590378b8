//! What the resolution step reports besides the patterns that stand: candidates it dropped
//! ([`Dropped`]), findings the answers reveal ([`Finding`]: contradictions, limits,
//! anti-patterns) and the derived figures that triggered them ([`FigureValue`]).

use super::path::PathStep;
use serde::{Deserialize, Serialize};

/// A candidate pattern the resolution step dropped, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dropped {
    pub id: String,
    pub name: String,
    /// The constraint that dropped it.
    pub constraint: String,
    /// Why, with the answers and figures that decided it.
    pub reason: String,
    /// The answers that ruled it out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<PathStep>,
    /// The derived figures that ruled it out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<FigureValue>,
    /// Who had proposed it (a pack, a tree).
    pub proposed_by: String,
}

/// A figure derived from the answers (`write_rps`), as a trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureValue {
    pub id: String,
    /// In base units.
    pub value: f64,
    pub display: String,
    pub formula: String,
}

/// A finding the answers reveal: an anti-pattern or a contradiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub id: String,
    pub name: String,
    pub why: String,
    /// Pattern ids to use instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instead: Vec<String>,
    /// The answers that triggered it, with their source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<PathStep>,
    /// The derived figures that triggered it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<FigureValue>,
    /// The patterns that triggered it (or that it flags).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    /// Questions whose answers to revisit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisit: Vec<String>,
    /// Alternatives the finding's data names that the same answers exclude, each as
    /// `pattern [constraint]: reason`; they are not in `instead`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<String>,
}

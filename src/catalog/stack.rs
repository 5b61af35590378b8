//! A reference stack (`models/stacks.yaml`): how a well-known company combined patterns, and
//! the order in which it adopted them.

use serde::{Deserialize, Serialize};

/// One entry of `models/stacks.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stack {
    /// Kebab-case id (`netflix`).
    pub id: String,
    /// Display name (`Netflix`).
    pub name: String,
    /// What the stack optimises for.
    pub summary: String,
    /// The adoption path, in order.
    pub journey: Vec<Step>,
    /// The combination the sources single out as the stack's signature.
    pub combination: Vec<String>,
    /// Every pattern the stack is known to use (combination, journey and more).
    pub patterns: Vec<String>,
    /// Figures that show the scale it runs at.
    pub highlights: Vec<String>,
}

/// One step of a stack's journey: a label as the source words it, and the pack or patterns
/// it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step as the source names it (`Geo-distribution`).
    pub step: String,
    /// A pack id, when the step is a whole pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
    /// Pattern ids the step stands for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
}

//! An anti-pattern (`models/antipatterns.yaml`): a design habit that fails at scale, the
//! patterns to use instead, and the condition on the answers that reveals it.

use crate::condition::Condition;
use serde::{Deserialize, Serialize};

/// One entry of `models/antipatterns.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Antipattern {
    /// Kebab-case id (`synchronous-chains`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Why it fails.
    pub why: String,
    /// Ids of the patterns that replace it.
    pub instead: Vec<String>,
    /// When the advisor flags it: a condition over answers, packs and chosen patterns.
    /// The YAML crate reads externally tagged enums only from `!tag` syntax by default;
    /// `singleton_map_recursive` makes it read the documented `all: [...]` map form, at every
    /// nesting level, and write the same form back.
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub detect: Condition,
}

//! Conditions over what the walk has decided so far. Used as tree guards (`when:` in a rule
//! file), anti-pattern detectors (`detect:` in `models/antipatterns.yaml`) and constraints
//! (`when:` in `models/constraints.yaml`). A neutral module: the catalog (data) and the advisor
//! (engine) both use it, and neither depends on the other for it.
//!
//! YAML forms (one key each):
//! ```yaml
//! pack: scale                          # the packs chosen so far include `scale`
//! outcome: sharding.must-shard         # tree `sharding` ended in outcome `must-shard`
//! pattern: retry-backoff               # the patterns chosen so far include it
//! answer: { id: communication, is: sync }        # an answer equals a choice value
//! answer: { id: communication, in: [sync, async] }
//! answer: { id: users, at_least: 10M }           # numeric answers: at_least / below
//! not: { pattern: idempotency }
//! all: [ ... ]                         # every condition holds
//! any: [ ... ]                         # at least one holds
//! ```

use serde::{Deserialize, Serialize};

/// A condition as written in YAML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The chosen packs include this pack id.
    Pack(String),
    /// `tree.outcome` was reached.
    Outcome(String),
    /// The chosen patterns include this pattern id.
    Pattern(String),
    /// A test on one answer.
    Answer(AnswerTest),
    /// Negation.
    Not(Box<Condition>),
    /// Conjunction.
    All(Vec<Condition>),
    /// Disjunction.
    Any(Vec<Condition>),
}

/// A test on one answer: exactly one of `is`, `in`, `at_least`, `below` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerTest {
    /// Question id.
    pub id: String,
    /// The answer equals this choice value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<String>,
    /// The answer is one of these choice values.
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    /// Numeric answer at least this (in the question's unit, e.g. `10M`, `1TB`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<String>,
    /// Numeric answer below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<String>,
}

/// The condition as people read it: `rpo below 1ms`, `edge_clients = yes`,
/// `not (pattern kafka)`, `a and b`, `a or b`.
pub fn describe(c: &Condition) -> String {
    let join = |cs: &[Condition], sep: &str| {
        cs.iter()
            .map(|c| match c {
                Condition::All(_) | Condition::Any(_) => format!("({})", describe(c)),
                _ => describe(c),
            })
            .collect::<Vec<_>>()
            .join(sep)
    };
    match c {
        Condition::Pack(p) => format!("pack {p}"),
        Condition::Outcome(o) => format!("outcome {o}"),
        Condition::Pattern(p) => format!("pattern {p}"),
        Condition::Answer(t) => {
            let mut parts = Vec::new();
            if let Some(v) = &t.is {
                parts.push(format!("{} = {v}", t.id));
            }
            if let Some(vs) = &t.one_of {
                parts.push(format!("{} in {}", t.id, vs.join(", ")));
            }
            if let Some(v) = &t.at_least {
                parts.push(format!("{} at least {v}", t.id));
            }
            if let Some(v) = &t.below {
                parts.push(format!("{} below {v}", t.id));
            }
            parts.join(" and ")
        }
        Condition::Not(c) => format!("not ({})", describe(c)),
        Condition::All(cs) => join(cs, " and "),
        Condition::Any(cs) => join(cs, " or "),
    }
}

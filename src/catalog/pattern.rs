//! A pattern of the catalog (`models/patterns.yaml`): what it is, when it pays off, what it
//! costs, and where it sits (category, pack, checklist step).

use serde::{Deserialize, Serialize};

/// One entry of `models/patterns.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// Kebab-case id, used by rules and on the command line (`circuit-breaker`).
    pub id: String,
    /// Display name (`Circuit breaker`).
    pub name: String,
    /// The family it belongs to.
    pub category: Category,
    /// The pack that introduces it, if any (`foundation`, `scale`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
    /// The step of the start-here checklist it belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<Checklist>,
    /// One or two sentences; the first one stands alone in tables.
    pub summary: String,
    /// When it is the right tool.
    pub when: String,
    /// When it is the wrong one.
    pub avoid_when: String,
    /// What it costs.
    pub tradeoffs: Tradeoffs,
    /// Short benefits.
    pub pros: Vec<String>,
    /// Short drawbacks.
    pub cons: Vec<String>,
    /// Real-world uses, with figures where the sources give them.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Ids of patterns worth reading next.
    #[serde(default)]
    pub related: Vec<String>,
    /// snake_case names of the configuration knobs a scaffold exposes for it.
    #[serde(default)]
    pub tunables: Vec<String>,
    /// Kept to explain an idea (`tradeoff explain`), never recommended: no rule may reach it
    /// and `rules check` does not ask for one to (the Bully algorithm, which a partition
    /// defeats). The text says what to use instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub explanation_only: bool,
}

impl Pattern {
    /// The first sentence of the summary, for one-line listings.
    pub fn headline(&self) -> &str {
        first_sentence(&self.summary)
    }
}

/// The text up to and including the first full stop that ends a sentence.
fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' && bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()) {
            return &text[..=i];
        }
    }
    text
}

/// What a pattern costs, in the four dimensions the recommendation shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tradeoffs {
    /// Effect on request latency (`< 1 ms per call`).
    pub latency: String,
    /// Effect on throughput (`10-100x on cached reads`).
    pub throughput: String,
    /// Resource and money cost.
    pub cost: String,
    /// How hard it is to build and run.
    pub complexity: Complexity,
}

crate::catalog::kebab_enum! {
    /// How hard a pattern is to build and operate.
    Complexity, "complexity" {
        /// A library call or a setting.
        Low => "low",
        /// A component to run and tune.
        Medium => "medium",
        /// Changes the shape of the system or of the data.
        High => "high",
        /// Touches every team and every data path.
        VeryHigh => "very-high",
    }
}

crate::catalog::kebab_enum! {
    /// The family a pattern belongs to.
    Category, "category" {
        /// Surviving failures of dependencies and infrastructure.
        Resilience => "resilience",
        /// Growing capacity: partitioning, spreading load, adding machines.
        Scaling => "scaling",
        /// Data flow and transactions across services.
        Data => "data",
        /// What readers may observe after a write.
        Consistency => "consistency",
        /// How copies of data are kept.
        Replication => "replication",
        /// Cache read and write strategies.
        Caching => "caching",
        /// How services talk to each other.
        Communication => "communication",
        /// Algorithms that bound request rates.
        RateLimiting => "rate-limiting",
        /// Agreeing on who does what, once.
        Coordination => "coordination",
        /// Noticing that a node is gone.
        FailureDetection => "failure-detection",
        /// Running, releasing and observing the system.
        Operations => "operations",
    }
}

crate::catalog::kebab_enum! {
    /// The start-here checklist step a pattern belongs to (seed 000).
    Checklist, "checklist step" {
        /// The first week: foundation patterns.
        Week1 => "week-1",
        /// The first month: preparing to scale.
        Month1 => "month-1",
        /// The first quarter: production excellence.
        Quarter1 => "quarter-1",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_is_the_first_sentence() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(
            first_sentence("Uses 1.5x memory. More."),
            "Uses 1.5x memory."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
    }

    #[test]
    fn categories_round_trip_through_their_names() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(*c));
        }
        let err = "speed".parse::<Category>().unwrap_err();
        assert!(err.to_string().contains("rate-limiting"), "{err}");
    }

    #[test]
    fn checklist_steps_sort_in_time_order() {
        assert!(Checklist::Week1 < Checklist::Month1 && Checklist::Month1 < Checklist::Quarter1);
    }
}

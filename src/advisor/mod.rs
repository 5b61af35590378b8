//! The decision engine: the rule-file schema ([`raw`]), validation into one petgraph graph
//! ([`Rules`]), answers from files, flags or prompts ([`Answers`]), and the walk over the
//! trees ([`walk()`]) that yields the outcomes a recommendation is built from.

pub mod answers;
pub mod decision;
pub mod diagnostic;
pub mod diagram;
pub mod estimate;
pub mod figure;
pub mod finding;
pub mod kind;
pub mod load;
pub mod path;
pub mod premise;
#[cfg(test)]
mod proptests;
pub mod raw;
pub mod reach;
pub mod recommendation;
pub mod resolve;
pub mod rules;
pub mod source;
pub mod walk;

pub use crate::condition::{AnswerTest, Condition};
pub use answers::{AnswerOrigin, Answers, Given};
pub use diagnostic::{Diagnostic, Diagnostics};
pub use kind::Kind;
pub use path::{PathStep, StepSource};
pub use rules::{AnswerKind, Branch, Node, Outcome, Question, Rules, Tree, Vocabulary};
pub use walk::{Prompter, Step, TreeStatus, TreeWalk, Walk, walk};

/// The core vocabulary of issue 2: these questions have no default, so a scripted user must
/// answer them when the walk reaches them. Every other question needs a default, except a
/// retired one (`from:`), which is never asked (`global` and `conflict_resolution` were here
/// until `write_regions` and `write_conflicts` took over their facts).
pub const REQUIRED: &[&str] = &[
    "users",
    "data_size",
    "shard_key",
    "tolerates_lag",
    "update_rate",
    "communication",
    "latency_sensitive",
    "guaranteed_delivery",
    "ordered",
    "read_write_ratio",
];

/// What can go wrong before or during a walk.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The rule files are invalid.
    #[error("{0}")]
    Rules(#[from] Diagnostics),
    /// A rules folder could not be read.
    #[error(
        "cannot read rules from {path}: {}; accepted: a folder of .yaml rule files",
        crate::input::describe(source)
    )]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A rule file could not be read (too large, not text).
    #[error("{0}")]
    File(#[from] crate::input::Error),
    /// A rules folder holds more files than accepted.
    #[error("{path} holds more than {max} rule files; at most {max} are accepted")]
    TooManyFiles { path: String, max: usize },
    /// An answers file or `--set` value is wrong.
    #[error("{}", .0.join("\n"))]
    Answers(Vec<String>),
    /// Questions that need an answer got none (no terminal to ask on).
    #[error("{}", missing_message(.0))]
    Missing(Vec<Missing>),
    /// The prompt failed (terminal closed, interrupted).
    #[error("prompt failed: {0}")]
    Prompt(String),
    /// `--strict`: questions the walk would have answered from their defaults.
    #[error("{}", defaulted_message(.0))]
    Defaulted(Vec<Missing>),
}

fn defaulted_message(m: &[Missing]) -> String {
    let mut s = format!(
        "--strict: {} question{} would take {} default; answer {} explicitly:",
        m.len(),
        if m.len() == 1 { "" } else { "s" },
        if m.len() == 1 { "its" } else { "their" },
        if m.len() == 1 { "it" } else { "them" },
    );
    for q in m {
        s.push_str(&format!(
            "\n  {}: {} (accepted: {})",
            q.id, q.ask, q.accepted
        ));
    }
    let sets: Vec<&str> = m.iter().map(|q| q.set.as_str()).collect();
    s.push_str(&format!(
        "\nanswer them with --answers FILE or: tradeoff advise {}",
        sets.join(" ")
    ));
    s
}

/// A question the walk reached without an answer or default.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Missing {
    pub id: String,
    pub ask: String,
    /// What is accepted: the choice values or the numeric kind.
    pub accepted: String,
    /// A ready `--set` line.
    pub set: String,
}

fn missing_message(m: &[Missing]) -> String {
    let mut s = format!(
        "{} question{} need{} an answer and there is no terminal to ask on:",
        m.len(),
        if m.len() == 1 { "" } else { "s" },
        if m.len() == 1 { "s" } else { "" }
    );
    for q in m {
        s.push_str(&format!(
            "\n  {}: {} (accepted: {})",
            q.id, q.ask, q.accepted
        ));
    }
    let sets: Vec<&str> = m.iter().map(|q| q.set.as_str()).collect();
    s.push_str(&format!(
        "\nanswer them with --answers FILE or: tradeoff advise {}",
        sets.join(" ")
    ));
    s
}

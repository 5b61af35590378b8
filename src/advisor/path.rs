//! The answers a decision rests on, as every later stage records them: one [`PathStep`] per
//! answered question on a path, with where the answer came from ([`StepSource`]). The walk,
//! the resolution step, the recommendation, the design file and the renderers share them.

use serde::{Deserialize, Serialize};

/// Where an answer used by the walk came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepSource {
    /// The answers file or `--set`.
    Given,
    /// Typed at the prompt.
    Prompt,
    /// The question's default.
    Default,
    /// Settled by earlier answers (the question's `derive:` rules), not asked.
    Derived,
}

/// One answer on the path to a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathStep {
    pub question: String,
    pub answer: String,
    /// `given`, `prompt`, `default` or `derived`.
    pub source: StepSource,
}

/// `a = x, b = y (default)`.
pub fn describe(path: &[PathStep]) -> String {
    path.iter()
        .map(|p| {
            let mark = match p.source {
                StepSource::Default => " (default)",
                StepSource::Derived => " (derived)",
                _ => "",
            };
            format!("{} = {}{mark}", p.question, p.answer)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

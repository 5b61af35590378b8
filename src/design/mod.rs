//! The design file (`design.yaml`): the lockfile of a design. It holds the answers, the
//! recommendation (with reasons) and the estimates, under `schema: 1`. Users commit it;
//! `tradeoff render` regenerates every artifact from it.

use crate::advisor::recommendation::{PathStep, Recommendation};
pub mod estimate;
pub mod refresh;
pub mod rendered;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema version this build writes and reads.
pub const SCHEMA: u32 = 1;

/// A whole design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// Always [`SCHEMA`].
    pub schema: u32,
    /// `tradeoff X.Y.Z`, the version that wrote the file.
    pub generator: String,
    /// Every answer the walk used, with where it came from.
    #[serde(deserialize_with = "crate::yaml::unique_map")]
    pub answers: BTreeMap<String, PathStep>,
    /// What the advisor recommends.
    pub recommendation: Recommendation,
    /// The capacity estimates run for this design, by estimate id (`slo-budget`, `shards`, ...).
    #[serde(default, deserialize_with = "crate::yaml::unique_map")]
    pub estimates: BTreeMap<String, Estimate>,
    /// Tunables for the scaffold and alerts, by section then key (`retry.max_attempts`). Every
    /// value names the estimate or answer it came from.
    #[serde(default, deserialize_with = "crate::yaml::unique_map")]
    pub settings: BTreeMap<String, BTreeMap<String, Setting>>,
    /// Where `tradeoff render` wrote the artifacts, and how (written by render).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendered: Option<rendered::Rendered>,
    /// What `tradeoff check` tolerates (written by people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<rendered::Check>,
}

/// One estimate's inputs and results, as shown by the matching `tradeoff` command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// What it estimates, for headings.
    pub title: String,
    /// The command that reproduces it.
    pub command: String,
    /// Inputs as typed (`data: 4TB`).
    pub inputs: BTreeMap<String, String>,
    /// Results as rows: name, value in base units, the value for people.
    pub results: Vec<Figure>,
    /// One line of interpretation.
    pub summary: String,
    /// The questions whose defaults this estimate assumed, by id: answering them replaces the
    /// assumption.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumed: Vec<String>,
}

impl Estimate {
    /// The result called `name`.
    pub fn result(&self, name: &str) -> Option<&Figure> {
        self.results.iter().find(|f| f.name == name)
    }
}

/// A named figure of an estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub name: String,
    /// In base units: seconds, bytes, fractions, per second, counts.
    pub value: f64,
    /// For people: `21m 36s`, `5.49 TB`.
    pub display: String,
}

/// A tunable and where its value came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub value: Value,
    /// Where it came from: `answer availability_target = 99.9`, `estimate shards: ...`.
    pub source: String,
}

/// A setting's value: an integer, a float or text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(String),
}

/// What can be wrong with a design file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Yaml(#[from] crate::yaml::Error),
    #[error(
        "{path}: schema {found} is not supported; this tradeoff reads schema {SCHEMA} (written by `tradeoff advise --out`)"
    )]
    Schema { path: String, found: u32 },
}

impl Design {
    /// The design of a finished walk: the recommendation, the estimates run from the answers,
    /// and the settings derived from them. What `tradeoff advise --out` writes.
    pub fn build(
        rules: &crate::advisor::Rules,
        walked: &crate::advisor::Walk,
        catalog: &crate::catalog::Catalog,
    ) -> Design {
        let mut rec = crate::advisor::recommendation::recommend(rules, walked, catalog);
        let (estimates, settings) = estimate::estimates(walked, &rec);
        // A quorum is estimated only where quorum-replicated patterns stand; no hint offers
        // one for a single primary.
        rec.estimates
            .retain(|h| h.id != "quorum" || estimates.contains_key("quorum"));
        // Hints point at the estimate actually run, with the inputs the design used.
        for hint in &mut rec.estimates {
            if let Some(e) = estimates.get(&hint.id) {
                hint.command = e.command.clone();
            }
        }
        Design {
            schema: SCHEMA,
            generator: generator(),
            answers: crate::advisor::recommendation::used_answers(walked),
            recommendation: rec,
            estimates,
            settings,
            rendered: None,
            check: None,
        }
    }

    /// Whether a file's text is a design file rather than an answers file: it has the
    /// top-level `schema:` key that every design file starts with (no question is called
    /// `schema`).
    pub fn is_design(text: &str) -> bool {
        text.lines().any(|l| l.starts_with("schema:"))
    }

    /// Reads a design file's text.
    pub fn from_yaml(text: &str, path: &str) -> Result<Design, Error> {
        let d: Design = crate::yaml::from_str(text, path)?;
        if d.schema != SCHEMA {
            return Err(Error::Schema {
                path: path.to_string(),
                found: d.schema,
            });
        }
        Ok(d)
    }

    /// The design as YAML, with a header comment.
    pub fn to_yaml(&self) -> String {
        format!(
            "# tradeoff design file (schema {SCHEMA}). Regenerate artifacts with `tradeoff render`.\n{}",
            crate::yaml::to_string(self)
        )
    }
}

/// The generator string for this build.
pub fn generator() -> String {
    format!("tradeoff {}", env!("CARGO_PKG_VERSION"))
}

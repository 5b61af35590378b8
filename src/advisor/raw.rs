//! The rule-file schema exactly as users write it (`rules/*.yaml`), before validation.
//! docs/rules.md describes it in prose. Every struct denies unknown fields so a typo is an
//! error with a line number rather than a silently ignored key.

use crate::condition::Condition;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A YAML scalar that may be written as a string, a number or a boolean (`default: 10`,
/// `below: 1M`, `value: yes`). Kept as text; its meaning comes from the question's kind.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "crate::yaml::Plain")]
pub enum Scalar {
    /// Text.
    Text(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// `true`/`false`, read as `yes`/`no`.
    Bool(bool),
}

impl From<crate::yaml::Plain> for Scalar {
    fn from(p: crate::yaml::Plain) -> Self {
        use crate::yaml::Plain;
        match p {
            Plain::Text(s) => Scalar::Text(s),
            Plain::Int(i) => Scalar::Int(i),
            Plain::Float(f) => Scalar::Float(f),
            Plain::Bool(b) => Scalar::Bool(b),
        }
    }
}

impl Scalar {
    /// The scalar as the text a user would type (`true` reads as `yes`).
    pub fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => crate::yaml::float_text(*f),
            Scalar::Bool(true) => "yes".into(),
            Scalar::Bool(false) => "no".into(),
        }
    }
}

/// One tree file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub order: i64,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub source: String,
    /// Read in the documented map form (`when: { pack: scale }`) at every nesting level.
    #[serde(default, with = "serde_yaml::with::singleton_map_recursive")]
    pub when: Option<Condition>,
    pub start: String,
    #[serde(default, deserialize_with = "crate::yaml::unique_map")]
    pub questions: BTreeMap<String, Question>,
    #[serde(default, deserialize_with = "crate::yaml::unique_map")]
    pub outcomes: BTreeMap<String, Outcome>,
}

/// A question: either `choices` or `number` + `ranges`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub ask: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub default: Option<Scalar>,
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub number: Option<Number>,
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// This question is the same fact as another (choice) question, asked once there: the
    /// walk takes that question's answer mapped through `values`, and an answer given under
    /// this id is mapped to that question with a note (the id is retired).
    #[serde(default)]
    pub from: Option<Successor>,
    /// Earlier answers that settle this question: the first rule whose condition holds gives
    /// the answer and the question is not asked; when none holds it is asked.
    #[serde(default)]
    pub derive: Vec<Derive>,
    /// One of the questions that decide most of the design: asked first on a terminal, before
    /// the others are offered (answer them or take their defaults).
    #[serde(default)]
    pub essential: bool,
}

/// The question a retired question is answered by, and how its values map.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Successor {
    /// The successor's id.
    pub question: String,
    /// Each value of the successor, mapped to this question's value.
    #[serde(deserialize_with = "crate::yaml::unique_map")]
    pub values: BTreeMap<String, Scalar>,
}

/// One rule of `derive:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derive {
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub when: Condition,
    pub value: Scalar,
}

/// One allowed answer of a choice question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub value: Scalar,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// The kind and bounds of a numeric question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Number {
    pub kind: super::Kind,
    #[serde(default)]
    pub min: Option<Scalar>,
    #[serde(default)]
    pub max: Option<Scalar>,
}

/// One branch of a numeric question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default)]
    pub below: Option<Scalar>,
    #[serde(default)]
    pub up_to: Option<Scalar>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// A leaf of a tree.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub title: String,
    #[serde(default)]
    pub pack: Option<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub databases: Vec<String>,
    #[serde(default)]
    pub because: String,
    #[serde(default)]
    pub estimates: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The outcome the resolution step gives the decision when it drops the patterns of the
    /// outcome the walk reached and no other outcome's patterns stand. No answer leads to it.
    #[serde(default)]
    pub fallback: bool,
    /// When the note applies; absent, it always does.
    #[serde(default, with = "serde_yaml::with::singleton_map_recursive")]
    pub note_when: Option<Condition>,
    /// What the rest of the answers must grant for the outcome to stand.
    #[serde(default)]
    pub requires: Option<Premise>,
}

/// An outcome's premise: a condition over the whole answer set, why the outcome needs it,
/// and the outcome of the same tree that stands when it fails.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Premise {
    #[serde(with = "serde_yaml::with::singleton_map_recursive")]
    pub when: Condition,
    pub why: String,
    #[serde(default)]
    pub otherwise: Option<String>,
}

//! Answers given before the walk: an answers file (YAML map of question id → value) and
//! `--set ID=VALUE` flags, which win over the file. Every given answer is checked against the
//! rules before the walk starts, and all problems are reported together.

use super::Error;
use super::diagnostic::{did_you_mean, list};
use super::raw::Scalar;
use super::rules::{AnswerKind, Rules};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a given answer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerOrigin {
    /// An answers file, at this line.
    File { path: String, line: Option<usize> },
    /// A `--set` flag.
    Flag,
    /// Typed at the prompt earlier in the same run (the essential questions).
    Prompt,
}

/// One given answer, as typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Given {
    pub text: String,
    pub origin: AnswerOrigin,
}

impl Given {
    /// Where it was given, for messages: `answers.yaml:12: \`id\``, `--set id`.
    pub fn place(&self, id: &str) -> String {
        match &self.origin {
            AnswerOrigin::File {
                path,
                line: Some(l),
            } => format!("{path}:{l}: `{id}`"),
            AnswerOrigin::File { path, line: None } => format!("{path}: `{id}`"),
            AnswerOrigin::Flag => format!("--set {id}"),
            AnswerOrigin::Prompt => format!("prompt: `{id}`"),
        }
    }
}

/// Answers given up front, by question id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answers {
    pub given: BTreeMap<String, Given>,
}

/// Largest number of answers a file may hold.
const MAX_ANSWERS: usize = 10_000;

impl Answers {
    /// Reads an answers file's text (`path` is for messages).
    pub fn from_yaml(text: &str, path: &str) -> Result<Answers, Error> {
        if text.trim().is_empty()
            || text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return Ok(Answers::default());
        }
        let crate::yaml::UniqueMap(map): crate::yaml::UniqueMap<String, Scalar> = crate::yaml::from_str(text, path).map_err(|e| {
            Error::Answers(vec![format!("{e}\n  help: an answers file is a YAML map of question id to value, e.g. `users: 200k`")])
        })?;
        if map.len() > MAX_ANSWERS {
            return Err(Error::Answers(vec![format!(
                "{path}: {} answers; at most {MAX_ANSWERS} are accepted",
                map.len()
            )]));
        }
        let given = map
            .into_iter()
            .map(|(id, v)| {
                let line = crate::yaml::locate(text, &[&id]).map(|l| l.0);
                (
                    id,
                    Given {
                        text: v.text(),
                        origin: AnswerOrigin::File {
                            path: path.to_string(),
                            line,
                        },
                    },
                )
            })
            .collect();
        Ok(Answers { given })
    }

    /// The answers a design file records (its `answers:` map), as given answers: what was
    /// given or answered at the prompt, and any defaulted answer whose value someone has
    /// since edited (it no longer equals the question's default). Answers left to their
    /// default stay defaults, so they follow the rules in use. `text` and `path` are the
    /// design file's, for line numbers in messages.
    pub fn from_design(
        recorded: &BTreeMap<String, super::path::PathStep>,
        rules: &Rules,
        text: &str,
        path: &str,
    ) -> Answers {
        let given = recorded
            .iter()
            .filter(|(id, step)| {
                step.source == super::path::StepSource::Given
                    || step.source == super::path::StepSource::Prompt
                    || step.source == super::path::StepSource::Default
                        && rules
                            .question(id)
                            .and_then(|q| q.default.as_deref())
                            .is_none_or(|d| d != step.answer)
            })
            .map(|(id, step)| {
                let line = crate::yaml::locate(text, &["answers", id]).map(|l| l.0);
                (
                    id.clone(),
                    Given {
                        text: step.answer.clone(),
                        origin: AnswerOrigin::File {
                            path: path.to_string(),
                            line,
                        },
                    },
                )
            })
            .collect();
        Answers { given }
    }

    /// Adds the answers typed at the prompt during an earlier walk of the same run (the
    /// essential questions), so the next walk reuses them instead of asking again. Answers
    /// given otherwise are kept.
    pub fn add_prompted(&mut self, walk: &super::walk::Walk) {
        for (id, step) in &walk.answers {
            if step.source == super::path::StepSource::Prompt {
                self.given.entry(id.clone()).or_insert_with(|| Given {
                    text: step.answer.clone(),
                    origin: AnswerOrigin::Prompt,
                });
            }
        }
    }

    /// Applies `--set ID=VALUE` flags over the current answers.
    pub fn set(&mut self, sets: &[String]) -> Result<(), Error> {
        let mut problems = Vec::new();
        for s in sets {
            match s.split_once('=') {
                Some((id, v)) if !id.trim().is_empty() => {
                    self.given.insert(
                        id.trim().to_string(),
                        Given {
                            text: v.trim().to_string(),
                            origin: AnswerOrigin::Flag,
                        },
                    );
                }
                _ => problems.push(format!(
                    "--set {s}: expected ID=VALUE, e.g. --set users=200k"
                )),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Answers(problems))
        }
    }

    /// Maps answers given under a retired id (a question whose fact another question now
    /// asks, `from:` in its rule file) to that question, with one note each. When the
    /// successor is answered too, its answer stands and the note says so. A value the retired
    /// question does not accept is left for [`Answers::check`] to report.
    pub fn retire(&self, rules: &Rules) -> (Answers, Vec<String>) {
        let mut out = self.clone();
        let mut notes = Vec::new();
        for (id, g) in &self.given {
            let Some(q) = rules.question(id) else {
                continue;
            };
            let Some(f) = &q.from else { continue };
            let Ok((value, _)) = check_value(&q.answer, &g.text) else {
                continue;
            };
            let Some(mapped) = f.successor_value(&value) else {
                continue;
            };
            out.given.remove(id);
            let successor = &f.successor;
            match self.given.get(successor) {
                Some(s) => {
                    let agrees = rules
                        .question(successor)
                        .and_then(|sq| check_value(&sq.answer, &s.text).ok())
                        .is_some_and(|(v, _)| v == mapped);
                    notes.push(if agrees {
                        format!(
                            "{}: retired, `{successor}` now asks this fact (`{id}: {value}` is `{successor}: {mapped}`, as given)",
                            g.place(id)
                        )
                    } else {
                        format!(
                            "{}: retired, `{successor}` now asks this fact; `{id}: {value}` would be `{successor}: {mapped}`, but `{successor}: {}` is given and stands",
                            g.place(id),
                            s.text
                        )
                    });
                }
                None => {
                    notes.push(format!(
                        "{}: retired, `{successor}` now asks this fact; `{id}: {value}` is read as `{successor}: {mapped}`",
                        g.place(id)
                    ));
                    out.given.insert(
                        successor.clone(),
                        Given {
                            text: mapped.to_string(),
                            origin: g.origin.clone(),
                        },
                    );
                }
            }
        }
        (out, notes)
    }

    /// Checks every given answer against the rules: the id must be a question and the value
    /// one it accepts. Returns all problems at once.
    pub fn check(&self, rules: &Rules) -> Result<(), Error> {
        let mut problems = Vec::new();
        for (id, g) in &self.given {
            let Some(q) = rules.question(id) else {
                let hint = did_you_mean(id, rules.question_ids())
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                problems.push(format!(
                    "{}: unknown question id{hint}\n  help: run `tradeoff explain QUESTION` or see docs/trees/; question ids: {}",
                    g.place(id),
                    list(rules.question_ids())
                ));
                continue;
            };
            if let Err(msg) = check_value(&q.answer, &g.text) {
                problems.push(format!("{}: {msg}", g.place(id)));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Answers(problems))
        }
    }
}

/// Checks one answer text against what a question accepts, returning the canonical value
/// and, for numbers, the parsed base-unit value.
pub fn check_value(kind: &AnswerKind, text: &str) -> Result<(String, Option<f64>), String> {
    match kind {
        AnswerKind::Choice(choices) => {
            let t = text.trim();
            let t = match t {
                "true" => "yes",
                "false" => "no",
                other => other,
            };
            match choices
                .iter()
                .find(|c| c.value == t || c.value.eq_ignore_ascii_case(t))
            {
                Some(c) => Ok((c.value.clone(), None)),
                None => {
                    let values: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
                    Err(format!(
                        "`{text}` is not an accepted value; accepted: {}",
                        list(&values)
                    ))
                }
            }
        }
        AnswerKind::Number { kind, min, max } => {
            let v = kind.parse(text).map_err(|e| {
                format!(
                    "cannot read `{text}`: {}; accepted: {}",
                    e.reason,
                    kind.accepted()
                )
            })?;
            if let Some(m) = min
                && v < *m
            {
                return Err(format!("`{text}` is below the minimum {}", kind.format(*m)));
            }
            if let Some(m) = max
                && v > *m
            {
                return Err(format!("`{text}` is above the maximum {}", kind.format(*m)));
            }
            Ok((text.trim().to_string(), Some(v)))
        }
    }
}

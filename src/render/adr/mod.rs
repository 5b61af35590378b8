//! Architecture decision records: one per decision of a design (`tradeoff render --adr`), and
//! blank or superseding records (`tradeoff adr new/supersede`), in three flavours that real
//! ADR tools read (see [`Flavour`]).
//!
//! Invariants:
//! * Records are `NNNN-kebab-title.md`, numbered after the highest number in the folder.
//! * A generated record ends with a key comment ([`record::key_comment`]) naming its decision,
//!   then the write marker. Re-rendering finds the record by that key and rewrites it in place
//!   under the same number, so rendering the same design twice changes nothing, and an edited
//!   record keeps its number and is skipped by `write_all`.
//! * Without a date option no date is written: the same design gives byte-identical records.
//!
//! The library is pure: callers read the folder and write the artifacts.

pub mod record;
pub mod view;

pub use record::Record;

use crate::advisor::rules::Rules;
use crate::catalog::Catalog;
use crate::design::Design;
use crate::render::Flavour;
use crate::render::write::{Artifact, Comment, State, stamp, state};
use minijinja::Environment;
use serde::Serialize;

/// The status a new record starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Put forward, not yet agreed.
    #[default]
    Proposed,
    /// Agreed and in force.
    Accepted,
}

impl Status {
    /// The word as MADR and log4brains write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Accepted => "accepted",
        }
    }
}

impl Flavour {
    /// The flavour's id: `madr`, `nygard`, `log4brains` (also its templates' file name).
    pub fn id(self) -> &'static str {
        match self {
            Flavour::Madr => "madr",
            Flavour::Nygard => "nygard",
            Flavour::Log4brains => "log4brains",
        }
    }

    /// The folder the flavour's own tools use when nothing else says: MADR's
    /// `docs/decisions`, adr-tools' `doc/adr`, log4brains' `docs/adr`.
    pub fn default_dir(self) -> &'static str {
        match self {
            Flavour::Madr => "docs/decisions",
            Flavour::Nygard => "doc/adr",
            Flavour::Log4brains => "docs/adr",
        }
    }

    /// A link to record `number` in this flavour's convention. adr-tools and MADR show
    /// `N. Title`; log4brains resolves a link by its text, which must be the target's slug
    /// (the file name without `.md`).
    pub fn link(self, number: u32, title: &str, file: &str) -> String {
        match self {
            Flavour::Log4brains => {
                format!("[{}]({file})", file.strip_suffix(".md").unwrap_or(file))
            }
            Flavour::Madr | Flavour::Nygard => format!("[{number}. {title}]({file})"),
        }
    }
}

/// What went wrong while rendering records.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("template adr/{template}: {source:#}")]
    Template {
        template: String,
        #[source]
        source: minijinja::Error,
    },
}

/// How to write records.
#[derive(Debug, Clone)]
pub struct Options {
    pub flavour: Flavour,
    pub status: Status,
    /// `YYYY-MM-DD`; none writes no date.
    pub date: Option<String>,
    pub deciders: Vec<String>,
    /// The design file's name, for the marker and the records' text.
    pub source: String,
}

/// A file already in the records folder.
#[derive(Debug, Clone)]
pub struct Existing {
    pub file: String,
    pub text: String,
}

/// The records to write, and remarks for the user.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub artifacts: Vec<Artifact>,
    /// Things worth saying beyond written/unchanged/skipped, e.g. a kept record whose decision
    /// has since changed.
    pub notes: Vec<String>,
}

fn render(env: &Environment, template: &str, ctx: impl Serialize) -> Result<String, Error> {
    let err = |source| Error::Template {
        template: template.to_string(),
        source,
    };
    env.get_template(&format!("adr/{template}"))
        .and_then(|t| t.render(minijinja::value::Serde(&ctx)))
        .map_err(err)
}

/// One record per decision of `design`, numbered after `existing` (the folder's record files).
/// A decision that already has a record (found by its key comment) keeps that record's file
/// and number.
pub fn plan(
    design: &Design,
    rules: &Rules,
    catalog: &Catalog,
    env: &Environment,
    opts: &Options,
    existing: &[Existing],
) -> Result<Plan, Error> {
    let records: Vec<Record> = existing
        .iter()
        .filter(|e| record::is_record_file(&e.file))
        .map(|e| record::parse(&e.file, &e.text))
        .collect();
    let mut next = record::next_number(existing.iter().map(|e| e.file.as_str()));
    let mut plan = Plan::default();
    for d in &design.recommendation.decisions {
        let title = format!("{}: {}", d.title, d.outcome_title);
        let found = records
            .iter()
            .filter(|r| r.decision.as_deref() == Some(d.tree.as_str()))
            .filter_map(|r| r.number.map(|n| (n, r)))
            .min_by_key(|(n, _)| *n);
        let (number, file) = match found {
            Some((n, r)) => {
                // An untouched record is simply rewritten; a kept one now tells an old story.
                let kept = existing
                    .iter()
                    .find(|e| e.file == r.file)
                    .is_some_and(|e| state(&e.text) != State::Pristine);
                if let Some(old) = r.outcome.as_deref().filter(|o| *o != d.outcome && kept) {
                    plan.notes.push(format!(
                        "{} is kept, but it records outcome `{old}` of {} and the design now says `{}`; `tradeoff adr supersede {n} \"{title}\"` records the change",
                        r.file, d.tree, d.outcome
                    ));
                }
                (n, r.file.clone())
            }
            None => {
                let n = next;
                next += 1;
                (n, record::file_name(n, &d.title))
            }
        };
        let meta = view::Meta::new(
            number,
            &title,
            opts.status.as_str(),
            opts.date.clone(),
            &opts.deciders,
            &file,
        );
        let v = view::view(design, d, rules, catalog, meta, &opts.source);
        let body = render(env, &format!("{}.md", opts.flavour.id()), &v)?;
        let body = format!(
            "{}\n\n{}\n",
            body.trim_end(),
            record::key_comment(&d.tree, &d.outcome)
        );
        plan.artifacts.push(Artifact {
            path: file.into(),
            content: stamp(&body, Comment::Html, &opts.source),
        });
    }
    Ok(plan)
}

/// A record another one replaces or is replaced by.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub number: u32,
    pub title: String,
    pub file: String,
    /// The Markdown link in the flavour's convention ([`Flavour::link`]).
    pub link: String,
}

/// The template context of a blank record.
#[derive(Debug, Clone, Serialize)]
pub struct Blank {
    pub record: view::Meta,
    /// The record this one replaces, for `adr supersede`.
    pub supersedes: Option<Link>,
}

/// A new record from the flavour's blank template (`adr/new/FLAVOUR.md`). It carries no
/// marker: it is the user's text from the start.
pub fn blank(env: &Environment, flavour: Flavour, b: &Blank) -> Result<String, Error> {
    let text = render(env, &format!("new/{}.md", flavour.id()), b)?;
    Ok(format!("{}\n", text.trim_end()))
}

#[cfg(test)]
mod tests;

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
pub mod store;
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
    /// Each decision's record file, by tree id.
    pub records: std::collections::BTreeMap<String, String>,
    /// Existing records whose status changes to "superseded by" a new record: written even
    /// though they were edited (only the status line changes, as `tradeoff adr supersede`
    /// and adr-tools do).
    pub edits: Vec<Artifact>,
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
        // The live record of this decision: the newest one not superseded already.
        let found = records
            .iter()
            .filter(|r| r.decision.as_deref() == Some(d.tree.as_str()))
            .filter(|r| r.superseded_by.is_none() && r.status != "superseded")
            .filter_map(|r| r.number.map(|n| (n, r)))
            .max_by_key(|(n, _)| *n);
        if found.is_none()
            && let Some(old) = records
                .iter()
                .filter(|r| r.decision.as_deref() == Some(d.tree.as_str()))
                .filter_map(|r| r.superseded_by.map(|by| (r, by)))
                .max_by_key(|(r, _)| r.number)
        {
            // Someone superseded this decision's record by hand: the decision is theirs now.
            plan.notes.push(format!(
                "{} ({}) is superseded by record {}, written by hand: no new record for {}",
                old.0.file, d.tree, old.1, d.tree
            ));
            continue;
        }
        let mut supersedes = None;
        let mut status = opts.status;
        let (number, file) = match found {
            Some((n, r)) => {
                let text = existing
                    .iter()
                    .find(|e| e.file == r.file)
                    .map_or("", |e| e.text.as_str());
                // An untouched proposal is simply rewritten; a record someone edited or
                // accepted keeps its story, and a changed decision gets a new record.
                let kept = state(text) != State::Pristine || r.status == "accepted";
                let changed = r.outcome.as_deref().is_some_and(|o| o != d.outcome);
                if kept && changed {
                    let new = next;
                    next += 1;
                    let new_file = record::file_name(new, &d.title);
                    let flavour = r.flavour.unwrap_or(opts.flavour);
                    match record::supersede(&r.file, text, &flavour.link(new, &title, &new_file)) {
                        Ok(edited) => {
                            plan.edits.push(Artifact {
                                path: r.file.clone().into(),
                                content: edited,
                            });
                            plan.notes.push(format!(
                                "{} recorded outcome `{}` of {}; the design now says `{}`: record {new} ({new_file}) supersedes it",
                                r.file,
                                r.outcome.as_deref().unwrap_or(""),
                                d.tree,
                                d.outcome
                            ));
                            supersedes = Some(Link {
                                number: n,
                                title: r.title.clone(),
                                file: r.file.clone(),
                                link: opts.flavour.link(n, &r.title, &r.file),
                            });
                            (new, new_file)
                        }
                        Err(e) => {
                            next -= 1;
                            plan.notes.push(format!(
                                "{} is kept, but it records outcome `{}` of {} and the design now says `{}`; its status could not be changed ({e}), so `tradeoff adr supersede {n} \"{title}\"` records the change by hand",
                                r.file,
                                r.outcome.as_deref().unwrap_or(""),
                                d.tree,
                                d.outcome
                            ));
                            (n, r.file.clone())
                        }
                    }
                } else {
                    // Rewritten in place: it keeps the record it replaced, and a record once
                    // accepted is never demoted by a re-render.
                    supersedes = r.supersedes.first().and_then(|old| {
                        records
                            .iter()
                            .find(|x| x.number == Some(*old))
                            .map(|x| Link {
                                number: *old,
                                title: x.title.clone(),
                                file: x.file.clone(),
                                link: opts.flavour.link(*old, &x.title, &x.file),
                            })
                    });
                    if r.status == "accepted" {
                        status = Status::Accepted;
                    }
                    (n, r.file.clone())
                }
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
            status.as_str(),
            opts.date.clone(),
            &opts.deciders,
            &file,
        );
        let mut v = view::view(design, d, rules, catalog, meta, &opts.source);
        v.supersedes = supersedes;
        let body = render(env, &format!("{}.md", opts.flavour.id()), &v)?;
        let body = format!(
            "{}\n\n{}\n",
            body.trim_end(),
            record::key_comment(&d.tree, &d.outcome)
        );
        plan.records.insert(d.tree.clone(), file.clone());
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

//! `tradeoff explain ID`: what a pattern, pack, tree, question, database, stack or
//! anti-pattern id means. An id that names several things (the `scale` tree and the `scale`
//! pack) shows all of them.

use super::{emit, usage};
use crate::advisor::AnswerKind;
use crate::advisor::diagnostic::did_you_mean;
use serde::Serialize;
use std::path::Path;

/// Arguments of `tradeoff explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A pattern, pack, tree, question, database, reference-stack or anti-pattern id.
    pub id: String,
    #[command(flatten)]
    pub format: super::FormatArg,
}

/// One thing the id names.
#[derive(Serialize)]
struct Entry {
    kind: &'static str,
    id: String,
    title: String,
    /// Paragraphs of explanation, in order.
    text: Vec<(String, String)>,
}

pub fn run(args: Args, rules_dir: Option<&Path>) -> anyhow::Result<()> {
    let (catalog, rules) = super::advise::catalog_and_rules(rules_dir)?;
    let id = args.id.as_str();
    let mut out: Vec<Entry> = Vec::new();
    if let Some(p) = catalog.pattern(id) {
        let mut text = vec![
            ("summary".into(), p.summary.clone()),
            ("category".into(), p.category.to_string()),
            ("when".into(), p.when.clone()),
            ("avoid when".into(), p.avoid_when.clone()),
            ("latency".into(), p.tradeoffs.latency.clone()),
            ("throughput".into(), p.tradeoffs.throughput.clone()),
            ("cost".into(), p.tradeoffs.cost.clone()),
            ("complexity".into(), p.tradeoffs.complexity.to_string()),
            ("pros".into(), p.pros.join("; ")),
            ("cons".into(), p.cons.join("; ")),
        ];
        if let Some(pack) = &p.pack {
            text.push(("pack".into(), pack.clone()));
        }
        if p.explanation_only {
            text.push((
                "advised".into(),
                "never: kept to explain the idea; `avoid when` says what to use instead".into(),
            ));
        }
        if !p.examples.is_empty() {
            text.push(("examples".into(), p.examples.join("; ")));
        }
        if !p.related.is_empty() {
            text.push(("related".into(), p.related.join(", ")));
        }
        out.push(Entry {
            kind: "pattern",
            id: p.id.clone(),
            title: p.name.clone(),
            text,
        });
    }
    if let Some(p) = catalog.pack(id) {
        out.push(Entry {
            kind: "pack",
            id: p.id.clone(),
            title: p.name.clone(),
            text: vec![
                ("summary".into(), p.summary.clone()),
                ("users".into(), p.band()),
                ("patterns".into(), p.patterns.join(", ")),
            ],
        });
    }
    if let Some(t) = rules.tree(id) {
        let mut text = vec![
            ("summary".into(), t.summary.clone()),
            ("questions".into(), t.questions.join(", ")),
            ("outcomes".into(), t.outcomes.join(", ")),
        ];
        if !t.source.is_empty() {
            text.push(("source".into(), t.source.clone()));
        }
        text.push(("file".into(), t.path.clone()));
        text.push(("diagram".into(), format!("tradeoff rules graph {}", t.id)));
        out.push(Entry {
            kind: "tree",
            id: t.id.clone(),
            title: t.title.clone(),
            text,
        });
    }
    if let Some(q) = rules.question(id) {
        let accepted = match &q.answer {
            AnswerKind::Choice(cs) => cs
                .iter()
                .map(|c| format!("{} ({})", c.value, c.label))
                .collect::<Vec<_>>()
                .join("; "),
            AnswerKind::Number { kind, .. } => kind.accepted().to_string(),
        };
        let mut text = vec![
            ("help".into(), q.help.clone()),
            ("accepted".into(), accepted),
            ("tree".into(), q.tree.clone()),
        ];
        text.push((
            "default".into(),
            q.default
                .clone()
                .unwrap_or_else(|| "none: must be answered".into()),
        ));
        out.push(Entry {
            kind: "question",
            id: q.id.clone(),
            title: q.ask.clone(),
            text,
        });
    }
    if let Some(d) = catalog.database(id) {
        out.push(Entry {
            kind: "database",
            id: d.id.clone(),
            title: d.name.clone(),
            text: vec![
                ("CAP".into(), d.cap.to_string()),
                ("PACELC".into(), d.pacelc.to_string()),
                ("consistency".into(), d.consistency.clone()),
                ("data model".into(), d.data_model.to_string()),
                ("best for".into(), d.best_for.join("; ")),
                ("notes".into(), d.notes.clone()),
            ],
        });
    }
    if let Some(s) = catalog.stack(id) {
        out.push(Entry {
            kind: "stack",
            id: s.id.clone(),
            title: s.name.clone(),
            text: vec![
                ("summary".into(), s.summary.clone()),
                (
                    "journey".into(),
                    s.journey
                        .iter()
                        .map(|j| j.step.as_str())
                        .collect::<Vec<_>>()
                        .join(" → "),
                ),
                ("patterns".into(), s.patterns.join(", ")),
                ("highlights".into(), s.highlights.join("; ")),
            ],
        });
    }
    if let Some(a) = catalog.antipatterns().iter().find(|a| a.id == id) {
        out.push(Entry {
            kind: "anti-pattern",
            id: a.id.clone(),
            title: a.name.clone(),
            text: vec![
                ("why it fails".into(), a.why.clone()),
                ("instead".into(), a.instead.join(", ")),
            ],
        });
    }
    if out.is_empty() {
        let known: Vec<String> = catalog
            .patterns()
            .iter()
            .map(|p| p.id.clone())
            .chain(catalog.packs().iter().map(|p| p.id.clone()))
            .chain(rules.trees.iter().map(|t| t.id.clone()))
            .chain(rules.question_ids().map(str::to_string))
            .collect();
        let hint = did_you_mean(id, known.iter().map(String::as_str))
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(usage(format!(
            "`{id}` is not a pattern, pack, tree, question, database, stack or anti-pattern id{hint}; list them with `tradeoff patterns`, `tradeoff rules check`"
        )));
    }
    emit(args.format.format, &out, |entries| {
        let mut s = String::new();
        for e in entries {
            s.push_str(&format!("{} `{}`: {}\n", e.kind, e.id, e.title));
            for (k, v) in &e.text {
                if !v.is_empty() {
                    s.push_str(&format!("  {k}: {v}\n"));
                }
            }
        }
        s
    })
}

//! `tradeoff advise`: walk the decision trees and print (or save) the recommendation.

use super::{emit, table, usage};
use crate::advisor::recommendation::Recommendation;
use crate::advisor::{Answers, Error, load, walk};
use crate::catalog::Catalog;
use crate::design::Design;
use std::path::{Path, PathBuf};

/// Arguments of `tradeoff advise`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// YAML map of question id to answer (e.g. examples/startup.yaml).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Answer one question: ID=VALUE (repeatable; wins over the answers file).
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub set: Vec<String>,
    /// Walk only these trees (repeatable or comma-separated).
    #[arg(long = "tree", value_name = "ID", value_delimiter = ',')]
    pub trees: Vec<String>,
    /// Never prompt: take defaults for unanswered questions even on a terminal.
    #[arg(long)]
    pub defaults: bool,
    /// Write the design file (answers + recommendation, schema 1) here.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite --out even if it is not a tradeoff design file.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub format: super::FormatArg,
}

/// Loads the catalog or explains why the embedded data is broken.
pub fn catalog() -> anyhow::Result<&'static Catalog> {
    Catalog::get().map_err(|e| anyhow::anyhow!("the embedded catalog is invalid: {e}"))
}

/// Maps advisor errors: bad rules, answers and missing answers are input errors (exit 2).
pub fn advisor_error(e: Error) -> anyhow::Error {
    match e {
        Error::Prompt(_) => anyhow::Error::new(e),
        other => usage(other),
    }
}

pub fn run(args: Args, rules_dir: Option<&Path>) -> anyhow::Result<()> {
    let catalog = catalog()?;
    let rules = load::load(rules_dir, catalog).map_err(advisor_error)?;
    let mut answers = match &args.answers {
        Some(path) => {
            let text = crate::input::read(path).map_err(|e| usage(format!("--answers: {e}")))?;
            let shown = path.display().to_string();
            if crate::design::Design::is_design(&text) {
                // A design file: its recorded answers, so `advise --answers design.yaml
                // --out design.yaml` refreshes a design after an edit.
                let design = Design::from_yaml(&text, &shown).map_err(usage)?;
                Answers::from_design(&design.answers, &rules, &text, &shown)
            } else {
                Answers::from_yaml(&text, &shown).map_err(advisor_error)?
            }
        }
        None => Answers::default(),
    };
    answers.set(&args.set).map_err(advisor_error)?;
    for t in &args.trees {
        if rules.tree(t).is_none() {
            let ids: Vec<&str> = rules.trees.iter().map(|t| t.id.as_str()).collect();
            return Err(usage(format!(
                "--tree {t}: unknown tree; accepted: {}",
                ids.join(", ")
            )));
        }
    }
    let pack_order: Vec<String> = catalog.packs().iter().map(|p| p.id.clone()).collect();
    let mut prompter: Box<dyn crate::advisor::Prompter> = if args.defaults {
        Box::new(crate::advisor::walk::NoPrompt)
    } else {
        Box::new(super::prompt::Terminal::detect())
    };
    let walked = walk(
        &rules,
        &answers,
        &args.trees,
        &pack_order,
        prompter.as_mut(),
    )
    .map_err(advisor_error)?;
    let design = Design::build(&rules, &walked, catalog);
    if let Some(out) = &args.out {
        write_design(out, &design, args.force)?;
    }
    emit(args.format.format, &design.recommendation, |r| {
        human(r, &design.estimates, &walked.unused, args.out.as_deref())
    })?;
    Ok(())
}

fn write_design(path: &Path, design: &Design, force: bool) -> anyhow::Result<()> {
    // Anything already there that is not a design we can read (another file, binary data,
    // a folder) is kept unless --force: writing must never destroy a user's file.
    if !force && std::fs::symlink_metadata(path).is_ok() {
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(usage(format!(
                "--out {shown} is a folder; accepted: a file path such as design.yaml"
            )));
        }
        let is_design = crate::input::read(path)
            .ok()
            .is_some_and(|text| Design::from_yaml(&text, &shown).is_ok());
        if !is_design {
            return Err(usage(format!(
                "{shown} exists and is not a tradeoff design file; not overwriting it (pass --force to replace it)"
            )));
        }
    }
    crate::render::write::atomic(path, design.to_yaml().as_bytes()).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {}; nothing was written (a design already there is unchanged)",
            path.display(),
            crate::input::describe(&e)
        )
    })
}

fn human(
    r: &Recommendation,
    estimates: &std::collections::BTreeMap<String, crate::design::Estimate>,
    unused: &[String],
    out: Option<&Path>,
) -> String {
    let catalog = Catalog::get().ok();
    let pack_name = |id: &str| {
        catalog
            .and_then(|c| c.pack(id))
            .map_or(id.to_string(), |p| p.name.clone())
    };
    let mut s = String::new();
    let packs: Vec<String> = r.packs.iter().map(|p| pack_name(p)).collect();
    s.push_str(&format!(
        "Packs: {}\n",
        if packs.is_empty() {
            "none".into()
        } else {
            packs.join(" + ")
        }
    ));
    let mut t = table([
        "#",
        "pattern",
        "pack / when",
        "why",
        "latency",
        "cost",
        "complexity",
    ]);
    // The first clause of a trade-off keeps the table readable; JSON carries the full text.
    let clause = |text: &str| text.split(';').next().unwrap_or(text).trim().to_string();
    for (i, p) in r.patterns.iter().enumerate() {
        let when = match (&p.pack, &p.checklist) {
            (Some(pack), Some(c)) => format!("{pack}, {c}"),
            (Some(pack), None) => pack.clone(),
            (None, Some(c)) => c.clone(),
            (None, None) => "-".into(),
        };
        t.add_row([
            (i + 1).to_string(),
            p.id.clone(),
            when,
            p.because.replace(", ", ",\n").replace("; ", ";\n"),
            clause(&p.tradeoffs.latency),
            clause(&p.tradeoffs.cost),
            p.tradeoffs.complexity.to_string(),
        ]);
    }
    s.push_str(&format!("{t}\n"));
    let mut d = table(["tree", "decision", "path"]);
    for dec in &r.decisions {
        let path: Vec<String> = dec
            .path
            .iter()
            .map(|p| format!("{}={}", p.question, p.answer))
            .collect();
        d.add_row([dec.tree.clone(), dec.outcome_title.clone(), path.join(", ")]);
    }
    s.push_str(&format!("Decisions:\n{d}\n"));
    if !r.databases.is_empty() {
        s.push_str(&format!(
            "Database candidates: {}\n",
            r.databases.join(", ")
        ));
    }
    for c in &r.contradictions {
        s.push_str(&format!("Contradiction: {}: {}\n", c.name, c.why));
    }
    for a in &r.antipatterns {
        s.push_str(&format!(
            "Anti-pattern: {}: {} Use instead: {}\n",
            a.name,
            a.why,
            a.instead.join(", ")
        ));
    }
    if let Some(st) = &r.stack {
        s.push_str(&format!(
            "Closest reference stack: {} (similarity {:.2} on the patterns beyond the packs). Shared: {}. {} adds: {}.\n",
            st.name,
            st.similarity,
            if st.shared.is_empty() {
                "none".into()
            } else {
                st.shared.join(", ")
            },
            st.name,
            if st.only_stack.is_empty() {
                "nothing".into()
            } else {
                st.only_stack.join(", ")
            },
        ));
    }
    if !estimates.is_empty() {
        s.push_str("Estimates (tradeoff advise --out design.yaml keeps them):\n");
        let order = crate::advisor::rules::ESTIMATES;
        let mut ids: Vec<&String> = estimates.keys().collect();
        ids.sort_by_key(|id| order.iter().position(|o| o == id).unwrap_or(usize::MAX));
        for id in ids {
            let e = &estimates[id];
            s.push_str(&format!("  {}: {}\n", e.title, e.summary));
        }
    }
    if !r.estimates.is_empty() {
        s.push_str("Worth running next:\n");
        for e in &r.estimates {
            s.push_str(&format!("  {}\n", e.command));
        }
    }
    if !unused.is_empty() {
        s.push_str(&format!(
            "Answers not used by any walked tree: {}\n",
            unused.join(", ")
        ));
    }
    if let Some(o) = out {
        s.push_str(&format!("Design written to {}\n", o.display()));
    }
    s.push_str(&format!(
        "{} patterns from {} pack{}.",
        r.patterns.len(),
        r.packs.len(),
        if r.packs.len() == 1 { "" } else { "s" }
    ));
    s
}

//! `tradeoff advise`: walk the decision trees and print (or save) the recommendation.

mod table;

use super::{emit, usage};
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
    /// Refuse to take any default: every question the walk reaches must be answered (exit 2
    /// listing the ids otherwise). For CI.
    #[arg(long)]
    pub strict: bool,
    /// Show every column (trade-offs too) without fitting the table to 100 columns.
    #[arg(long)]
    pub wide: bool,
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
    Catalog::get().map_err(invalid_catalog)
}

/// The error for an embedded catalog that does not load (a build from broken sources).
pub fn invalid_catalog(e: crate::catalog::Error) -> anyhow::Error {
    anyhow::anyhow!("the embedded catalog is invalid: {e}")
}

/// The embedded catalog and the rules (embedded plus `rules_dir`), each read and the rules
/// built on its own thread (against the vocabulary known at build time): they are most of
/// the start-up time of `advise`, `explain` and `render`.
pub fn catalog_and_rules(
    rules_dir: Option<&Path>,
) -> anyhow::Result<(&'static Catalog, crate::advisor::rules::Rules)> {
    std::thread::scope(|s| {
        let catalog = s.spawn(catalog);
        let built = load::read(rules_dir).map(load::build);
        let catalog = catalog
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let rules = load::check(built.map_err(advisor_error)?, catalog).map_err(advisor_error)?;
        Ok((catalog, rules))
    })
}

/// Maps advisor errors: bad rules, answers and missing answers are input errors (exit 2).
pub fn advisor_error(e: Error) -> anyhow::Error {
    match e {
        Error::Prompt(_) => anyhow::Error::new(e),
        other => usage(other),
    }
}

pub fn run(args: Args, rules_dir: Option<&Path>) -> anyhow::Result<()> {
    let (catalog, rules) = catalog_and_rules(rules_dir)?;
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
    let walked = if args.defaults {
        walk(
            &rules,
            &answers,
            &args.trees,
            &pack_order,
            &mut crate::advisor::walk::NoPrompt,
        )
        .map_err(advisor_error)?
    } else {
        walk_at_terminal(&rules, &mut answers, &args, &pack_order)?
    };
    {
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        for n in &walked.notes {
            let _ = writeln!(err, "note: {n}");
        }
    }
    if args.strict {
        let defaulted = crate::advisor::walk::defaulted(&rules, &walked);
        if !defaulted.is_empty() {
            return Err(advisor_error(Error::Defaulted(defaulted)));
        }
    }
    let design = Design::build(&rules, &walked, catalog);
    if let Some(out) = &args.out {
        write_design(out, &design, args.force)?;
    }
    let shown = Shown {
        recommendation: &design.recommendation,
        estimate_results: &design.estimates,
        unused_answers: &walked.unused,
    };
    emit(args.format.format, &shown, |s| {
        table::human(
            s.recommendation,
            &design.estimates,
            &walked.unused,
            args.out.as_deref(),
            args.wide,
        )
    })?;
    // The process ends here: freeing the rule graph and the design piece by piece would only
    // add to the start-up time people wait for.
    std::mem::forget((rules, walked, design));
    Ok(())
}

/// The walk with a person at the terminal (or none, when stdin or stderr is not a terminal).
/// Essentials first: the questions the rules mark `essential` are asked, then the walk's
/// other questions are offered together (answer them now, or take their defaults). Under
/// `--strict`, or with rules that mark nothing essential, every question is asked in order.
fn walk_at_terminal(
    rules: &crate::advisor::rules::Rules,
    answers: &mut Answers,
    args: &Args,
    pack_order: &[String],
) -> anyhow::Result<crate::advisor::Walk> {
    use super::prompt::Terminal;
    let terminal = Terminal::detect();
    let essentials = rules
        .question_ids()
        .filter_map(|id| rules.question(id))
        .any(|q| q.essential);
    if args.strict || !essentials || !crate::advisor::Prompter::interactive(&terminal) {
        let mut terminal = terminal;
        return walk(rules, answers, &args.trees, pack_order, &mut terminal).map_err(advisor_error);
    }
    let first = walk(
        rules,
        answers,
        &args.trees,
        pack_order,
        &mut terminal.essentials(),
    )
    .map_err(advisor_error)?;
    let remaining = crate::advisor::walk::remaining(&first);
    if remaining.questions.is_empty() {
        return Ok(first);
    }
    let asked = first
        .answers
        .values()
        .filter(|s| s.source == crate::advisor::walk::StepSource::Prompt)
        .count();
    if !super::prompt::offer_remaining(asked, &remaining)
        .map_err(|e| advisor_error(Error::Prompt(e)))?
    {
        return Ok(first);
    }
    answers.add_prompted(&first);
    walk(
        rules,
        answers,
        &args.trees,
        pack_order,
        &mut Terminal::detect(),
    )
    .map_err(advisor_error)
}

/// What `--format json|yaml` prints: the recommendation, plus the results of the estimates
/// it ran (the same figures `advise --out` keeps in the design file).
#[derive(serde::Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    recommendation: &'a Recommendation,
    estimate_results: &'a std::collections::BTreeMap<String, crate::design::Estimate>,
    unused_answers: &'a [String],
}

fn write_design(path: &Path, design: &Design, force: bool) -> anyhow::Result<()> {
    let shown = path.display().to_string();
    let existing = crate::input::read(path)
        .ok()
        .and_then(|text| Design::from_yaml(&text, &shown).ok());
    // A design rewritten in place keeps where its artifacts were rendered and what `check`
    // tolerates: those are not the advisor's to change.
    let mut design = design.clone();
    if let Some(old) = &existing {
        design.rendered.clone_from(&old.rendered);
        design.check.clone_from(&old.check);
    }
    // Anything already there that is not a design we can read (another file, binary data,
    // a folder) is kept unless --force: writing must never destroy a user's file.
    if !force && std::fs::symlink_metadata(path).is_ok() {
        if path.is_dir() {
            return Err(usage(format!(
                "--out {shown} is a folder; accepted: a file path such as design.yaml"
            )));
        }
        if existing.is_none() {
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

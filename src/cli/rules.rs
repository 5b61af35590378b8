//! `tradeoff rules check [DIR]` and `tradeoff rules graph TREE --format mermaid|dot`.

use super::advise::{advisor_error, catalog};
use super::{emit, table, usage};
use crate::advisor::{diagram, load, reach};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `tradeoff rules ...`
#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// Validate the rules (embedded, plus DIR or --rules adding or overriding trees).
    Check {
        /// A folder of rule files to check with the embedded ones.
        dir: Option<PathBuf>,
        #[command(flatten)]
        format: super::FormatArg,
    },
    /// Draw one tree as a diagram.
    Graph {
        /// Tree id (e.g. consistency).
        tree: String,
        /// Diagram language.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
}

/// Diagram languages of `rules graph`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum GraphFormat {
    /// A mermaid flowchart.
    Mermaid,
    /// Graphviz dot.
    Dot,
}

#[derive(Serialize)]
struct TreeRow {
    id: String,
    title: String,
    path: String,
    origin: crate::embedded::Origin,
    questions: usize,
    outcomes: usize,
}

pub fn run(args: Args, rules_dir: Option<&Path>) -> anyhow::Result<()> {
    match args {
        Args::Check { dir, format } => {
            // Validates the YAML sources themselves, not their build-time JSON.
            let catalog = &crate::catalog::Catalog::embedded_yaml()
                .map_err(super::advise::invalid_catalog)?;
            let dir = dir.as_deref().or(rules_dir);
            let rules = load::load_yaml(dir, catalog).map_err(advisor_error)?;
            let constraints = rules.constraints.entries().len();
            let unreached = reach::unreachable(&rules, catalog);
            let mut err = std::io::stderr().lock();
            for u in &unreached {
                let at = u.line.map(|l| format!(":{l}")).unwrap_or_default();
                writeln!(
                    err,
                    "warning[unreachable-pattern]: pattern `{}` is named by no outcome, choice, \
                     range or pack, so no answers can recommend it\n  --> {}{at}\n  help: add \
                     it to the outcome or choice of a tree that should recommend it; until then \
                     only `tradeoff explain {}` shows it",
                    u.id, u.path, u.id
                )?;
            }
            drop(err);
            let warnings = match unreached.len() {
                0 => "no problems".to_string(),
                1 => "1 warning (unreachable-pattern)".to_string(),
                n => format!("{n} warnings (unreachable-pattern)"),
            };
            let rows: Vec<TreeRow> = rules
                .trees
                .iter()
                .map(|t| TreeRow {
                    id: t.id.clone(),
                    title: t.title.clone(),
                    path: t.path.clone(),
                    origin: t.origin,
                    questions: t.questions.len(),
                    outcomes: t.outcomes.len(),
                })
                .collect();
            emit(format.format, &rows, |rows| {
                let mut t = table(["tree", "title", "file", "from", "questions", "outcomes"]);
                for r in rows {
                    let from = match r.origin {
                        crate::embedded::Origin::Embedded => "embedded",
                        crate::embedded::Origin::User => "user",
                    };
                    t.add_row([
                        r.id.clone(),
                        r.title.clone(),
                        r.path.clone(),
                        from.into(),
                        r.questions.to_string(),
                        r.outcomes.to_string(),
                    ]);
                }
                let q: usize = rows.iter().map(|r| r.questions).sum();
                let o: usize = rows.iter().map(|r| r.outcomes).sum();
                format!(
                    "{t}
ok: {} trees, {q} questions, {o} outcomes, {constraints} constraints, {warnings}.",
                    rows.len()
                )
            })
        }
        Args::Graph { tree, format } => {
            let rules = load::load(rules_dir, catalog()?).map_err(advisor_error)?;
            let text = match format {
                GraphFormat::Mermaid => diagram::mermaid(&rules, &tree),
                GraphFormat::Dot => diagram::dot(&rules, &tree),
            };
            let Some(text) = text else {
                let ids: Vec<&str> = rules.trees.iter().map(|t| t.id.as_str()).collect();
                return Err(usage(format!(
                    "unknown tree `{tree}`; accepted: {}",
                    ids.join(", ")
                )));
            };
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
}

//! `tradeoff patterns [--pack P] [--category C]`: the pattern catalog as a table, filtered by
//! pack or category. The accepted packs and categories come from the catalog itself.

use super::{FormatArg, emit, table, usage};
use crate::catalog::{Catalog, Category, Pattern, closest};
use serde::Serialize;

/// Flags of `tradeoff patterns`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the patterns this pack introduces (a pack id; an unknown one lists the packs).
    #[arg(long, value_name = "PACK")]
    pub pack: Option<String>,
    /// Only the patterns of this category (an unknown one lists the categories).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// What the command prints, as JSON or YAML.
#[derive(Debug, Serialize)]
struct Listing<'a> {
    /// The `--pack` filter, if given.
    pack: Option<&'a str>,
    /// The `--category` filter, if given.
    category: Option<&'a str>,
    patterns: Vec<Row<'a>>,
}

#[derive(Debug, Serialize)]
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    category: &'a str,
    pack: Option<&'a str>,
    checklist: Option<&'a str>,
    /// The first sentence of the summary, as the table shows it.
    headline: &'a str,
    summary: &'a str,
}

impl<'a> Row<'a> {
    fn new(p: &'a Pattern) -> Self {
        Row {
            id: &p.id,
            name: &p.name,
            category: p.category.as_str(),
            pack: p.pack.as_deref(),
            checklist: p.checklist.map(|c| c.as_str()),
            headline: p.headline(),
            summary: p.summary.trim(),
        }
    }
}

/// Runs `tradeoff patterns`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let catalog = Catalog::get()?;
    let pack = match args.pack.as_deref() {
        Some(id) => Some(catalog.pack(id).ok_or_else(|| {
            unknown(
                "pack",
                "packs",
                id,
                catalog.packs().iter().map(|p| p.id.as_str()),
            )
        })?),
        None => None,
    };
    let categories = catalog.categories();
    let category: Option<Category> = match args.category.as_deref() {
        Some(name) => Some(
            categories
                .iter()
                .copied()
                .find(|c| c.as_str() == name)
                .ok_or_else(|| {
                    unknown(
                        "category",
                        "categories",
                        name,
                        categories.iter().map(|c| c.as_str()),
                    )
                })?,
        ),
        None => None,
    };

    let rows: Vec<Row> = catalog
        .patterns()
        .iter()
        .filter(|p| pack.is_none_or(|k| p.pack.as_deref() == Some(k.id.as_str())))
        .filter(|p| category.is_none_or(|c| p.category == c))
        .map(Row::new)
        .collect();
    let listing = Listing {
        pack: pack.map(|k| k.id.as_str()),
        category: category.map(Category::as_str),
        patterns: rows,
    };

    emit(args.format.format, &listing, |l| {
        let mut t = table(["id", "name", "category", "pack", "checklist", "summary"]);
        for r in &l.patterns {
            t.add_row([
                r.id,
                r.name,
                r.category,
                r.pack.unwrap_or("-"),
                r.checklist.unwrap_or("-"),
                r.headline,
            ]);
        }
        let n = l.patterns.len();
        let noun = if n == 1 { "pattern" } else { "patterns" };
        let line = match (pack, category) {
            (_, _) if n == 0 => format!(
                "No pattern matches --pack {} --category {}.",
                l.pack.unwrap_or("-"),
                l.category.unwrap_or("-")
            ),
            (Some(k), None) => format!(
                "{n} {noun} in the {} pack ({}); packs are cumulative, so a larger system also needs every smaller pack.",
                k.name,
                k.band()
            ),
            (Some(k), Some(c)) => format!("{n} {noun} in the {} pack and category {c}.", k.name),
            (None, Some(c)) => format!("{n} {noun} in category {c}."),
            (None, None) => format!(
                "{n} patterns in {} categories; {} of them make up the packs ({}). Filter with --pack or --category.",
                categories.len(),
                catalog
                    .packs()
                    .iter()
                    .map(|k| k.patterns.len())
                    .sum::<usize>(),
                catalog
                    .packs()
                    .iter()
                    .map(|k| k.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        if n == 0 { line } else { format!("{t}\n{line}") }
    })
}

/// An exit-2 error for a value that is not among `accepted`, with a "did you mean" when one
/// is close.
fn unknown<'a>(
    what: &str,
    plural: &str,
    value: &str,
    accepted: impl Iterator<Item = &'a str> + Clone,
) -> anyhow::Error {
    let list: Vec<&str> = accepted.clone().collect();
    let hint = closest(value, accepted)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    usage(format!(
        "unknown {what} `{value}`{hint}; accepted {plural}: {}",
        list.join(", ")
    ))
}

//! Architecture docs for a design: an overview page (`index.md`: context, packs, the chosen
//! patterns with their trade-offs, the decision path as a mermaid flowchart, the estimates,
//! the week-1 / month-1 / quarter-1 checklist, findings and the closest reference stack) and
//! one page per chosen pattern (`patterns/<id>.md`).
//!
//! The pages are rendered from `templates/docs/` with data prepared here: everything comes
//! from the design file, with the catalog supplying each pattern's long description and the
//! rules supplying the questions' wording. Ordering follows the design (walk order, pattern
//! rank), so the same design always gives byte-identical pages. Every page ends with the
//! generated marker naming the design file.

use super::write::{self, Artifact, Comment};
use crate::advisor::diagram::mermaid_text;
use crate::advisor::recommendation::{Chosen, Finding, PathStep};
use crate::advisor::walk::StepSource;
use crate::advisor::{AnswerKind, Rules};
use crate::catalog::Catalog;
use crate::design::{Design, Estimate};
use minijinja::Environment;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The overview page's template.
pub const INDEX: &str = "docs/index.md";
/// The template of each pattern page.
pub const PATTERN: &str = "docs/pattern.md";
/// The template of each decision tree's page.
pub const TREE: &str = "docs/tree.md";

/// Why the docs could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A pattern id that cannot name a file (a hand-edited design file).
    #[error(
        "pattern id `{0}` in the design file is not a kebab-case id (lower-case letters, digits and `-`); it cannot name a page"
    )]
    BadPatternId(String),
    /// A template failed (a user override with a typo, usually).
    #[error("{0}")]
    Template(#[from] super::env::Error),
}

impl From<minijinja::Error> for Error {
    fn from(e: minijinja::Error) -> Self {
        Error::Template(e.into())
    }
}

/// A pattern mentioned on a page: linked when the design chose it (its page exists).
#[derive(Debug, Clone, Serialize)]
struct Link {
    id: String,
    name: String,
    /// Whether `patterns/<id>.md` exists.
    page: bool,
}

/// One answer with the question's wording.
#[derive(Debug, Clone, Serialize)]
struct Answer {
    id: String,
    ask: String,
    answer: String,
    /// The choice's label, when the question offers choices.
    meaning: Option<String>,
    source: StepSource,
}

#[derive(Debug, Serialize)]
struct Pack {
    id: String,
    name: String,
    band: String,
    summary: String,
}

#[derive(Debug, Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    chosen: &'a Chosen,
    pack_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct Item {
    id: String,
    name: String,
    summary: String,
}

#[derive(Debug, Serialize)]
struct Step {
    id: &'static str,
    title: &'static str,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct Found {
    id: String,
    name: String,
    why: String,
    instead: Vec<Link>,
    /// The answers that triggered it, as inline code: `` `question = value`, ... ``.
    answers: String,
    /// The decisions it concerns.
    concerns: Vec<Concern>,
}

/// A decision a risk concerns: its tree page, and its record when records are rendered.
#[derive(Debug, Serialize)]
struct Concern {
    tree: String,
    title: String,
    adr: Option<String>,
}

#[derive(Debug, Serialize)]
struct Stack {
    id: String,
    name: String,
    summary: String,
    similarity: String,
    highlights: Vec<String>,
    shared: Vec<Link>,
    only_stack: Vec<Link>,
    only_design: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct DecisionRow {
    tree: String,
    title: String,
    outcome_title: String,
    patterns: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct Computed<'a> {
    id: &'a str,
    #[serde(flatten)]
    estimate: &'a Estimate,
}

#[derive(Debug, Serialize)]
struct Index<'a> {
    source: &'a str,
    generator: &'a str,
    answers: Vec<Answer>,
    /// Answers by id, for the context paragraph.
    given: std::collections::BTreeMap<&'a str, &'a str>,
    packs: Vec<Pack>,
    patterns: Vec<Row<'a>>,
    flowchart: String,
    decisions: Vec<DecisionRow>,
    skipped: Vec<String>,
    databases: Vec<String>,
    estimates: Vec<Computed<'a>>,
    pending: Vec<&'a crate::advisor::recommendation::EstimateHint>,
    checklist: Vec<Step>,
    contradictions: Vec<Found>,
    limits: Vec<Found>,
    antipatterns: Vec<Found>,
    dropped: Vec<Found>,
    /// Decisions that rest on defaulted answers.
    defaults: Vec<Defaulted>,
    stack: Option<Stack>,
}

/// A decision some of whose answers were defaults: an open question for the review.
#[derive(Debug, Serialize)]
struct Defaulted {
    tree: String,
    title: String,
    /// `question = value` of each defaulted answer.
    answers: Vec<String>,
    /// The decision's record, relative to the docs folder, when records were rendered too.
    adr: Option<String>,
}

#[derive(Debug, Serialize)]
struct Detail {
    summary: String,
    when: String,
    avoid_when: String,
    pros: Vec<String>,
    cons: Vec<String>,
    examples: Vec<String>,
    related: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct Decided {
    tree: String,
    title: String,
    outcome_title: String,
    because: String,
}

#[derive(Debug, Serialize)]
struct PatternPage<'a> {
    source: &'a str,
    pattern: Row<'a>,
    /// The catalog's description; absent when the catalog no longer knows the id.
    detail: Option<Detail>,
    path: Vec<Answer>,
    decisions: Vec<Decided>,
    /// The design's settings that tune this pattern, with their sources.
    settings: Vec<crate::render::numbers::Quote>,
}

/// One decision tree's page: the tree with the path taken highlighted, and the answers.
#[derive(Debug, Serialize)]
struct TreePage<'a> {
    source: &'a str,
    tree: String,
    title: String,
    summary: String,
    outcome_title: String,
    because: String,
    /// When the resolution step replaced the outcome the answers led to: what and why.
    resolution: Option<String>,
    diagram: Option<String>,
    /// True when the tree was too large to draw whole.
    partial: bool,
    path: Vec<Answer>,
    patterns: Vec<Link>,
}

/// Names and links patterns, in the order given.
struct Linker<'a> {
    catalog: &'a Catalog,
    chosen: BTreeSet<&'a str>,
}

impl<'a> Linker<'a> {
    /// Links for a design's pages: its chosen patterns have one.
    fn new(catalog: &'a Catalog, design: &'a Design) -> Linker<'a> {
        Linker {
            catalog,
            chosen: design
                .recommendation
                .patterns
                .iter()
                .map(|p| p.id.as_str())
                .collect(),
        }
    }

    fn link(&self, id: &str) -> Link {
        Link {
            id: id.to_string(),
            name: self
                .catalog
                .pattern(id)
                .map_or_else(|| id.to_string(), |p| p.name.clone()),
            page: self.chosen.contains(id),
        }
    }

    fn links(&self, ids: &[String]) -> Vec<Link> {
        ids.iter().map(|id| self.link(id)).collect()
    }
}

fn answer(rules: &Rules, id: &str, step: &PathStep) -> Answer {
    let q = rules.question(id);
    let meaning = q.and_then(|q| match &q.answer {
        AnswerKind::Choice(cs) => cs
            .iter()
            .find(|c| c.value == step.answer)
            .map(|c| c.label.clone()),
        AnswerKind::Number { .. } => None,
    });
    Answer {
        id: id.to_string(),
        ask: q.map_or_else(|| id.to_string(), |q| q.ask.clone()),
        answer: step.answer.clone(),
        meaning,
        source: step.source,
    }
}

/// Every answer of the design in the order the walk met them, then any left over by id.
fn answers_in_walk_order(design: &Design, rules: &Rules) -> Vec<Answer> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let walked = design
        .recommendation
        .decisions
        .iter()
        .flat_map(|d| d.path.iter().map(|p| p.question.as_str()));
    for id in walked.chain(design.answers.keys().map(String::as_str)) {
        if let Some(step) = design.answers.get(id)
            && seen.insert(id)
        {
            out.push(answer(rules, id, step));
        }
    }
    out
}

/// A mermaid id made of letters, digits and `_`, prefixed so it never starts with a
/// letter mermaid reads as an edge marker (`o`, `x`) or spells a keyword (`end`).
fn mermaid_id(parts: &[&str]) -> String {
    let raw = parts.join("_");
    let clean: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("t_{clean}")
}

/// The decisions at a glance: a mermaid `flowchart LR` with one line per tree walked, from the
/// tree to the outcome it reached (the full trees, path highlighted, are on the tree pages).
pub fn flowchart(design: &Design) -> String {
    let mut out = String::from("flowchart LR\n");
    let mut outcomes = Vec::new();
    for d in &design.recommendation.decisions {
        let tree = mermaid_id(&[&d.tree]);
        let outcome = mermaid_id(&[&d.tree, "outcome"]);
        let _ = writeln!(
            out,
            "    {tree}[\"{}\"] --> {outcome}[\"{}\"]",
            mermaid_text(&d.title),
            mermaid_text(&d.outcome_title)
        );
        outcomes.push(outcome);
    }
    if !outcomes.is_empty() {
        out.push_str("    classDef outcome fill:#d8f0dc,stroke:#2f7a3d\n");
        let _ = writeln!(out, "    class {} outcome", outcomes.join(","));
    }
    out
}

fn found(
    risk: crate::render::risks::Risk,
    instead: &[String],
    design: &Design,
    linker: &Linker,
    adr_links: &BTreeMap<String, String>,
) -> Found {
    let concerns = risk
        .trees
        .iter()
        .filter_map(|t| {
            design
                .recommendation
                .decisions
                .iter()
                .find(|d| d.tree == *t)
        })
        .map(|d| Concern {
            tree: d.tree.clone(),
            title: d.title.clone(),
            adr: adr_links.get(&d.tree).cloned(),
        })
        .collect();
    Found {
        id: risk.id,
        name: risk.name,
        why: risk.why,
        instead: linker.links(instead),
        answers: risk
            .answers
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", "),
        concerns,
    }
}

/// The design's risks by kind, each tied to the decisions it concerns.
fn risks(
    design: &Design,
    linker: &Linker,
    adr_links: &BTreeMap<String, String>,
    kind: &str,
) -> Vec<Found> {
    let rec = &design.recommendation;
    let instead: Vec<&Finding> = rec
        .contradictions
        .iter()
        .chain(&rec.limits)
        .chain(&rec.antipatterns)
        .collect();
    crate::render::risks::all(design)
        .into_iter()
        .filter(|r| r.kind == kind)
        .map(|r| {
            let alt = instead
                .iter()
                .find(|f| f.id == r.id)
                .map(|f| f.instead.clone())
                .unwrap_or_default();
            found(r, &alt, design, linker, adr_links)
        })
        .collect()
}

fn row<'a>(c: &'a Chosen, catalog: &Catalog) -> Row<'a> {
    Row {
        chosen: c,
        pack_name: c.pack.as_deref().map(|p| {
            catalog
                .pack(p)
                .map_or_else(|| p.to_string(), |p| p.name.clone())
        }),
    }
}

/// The steps of the start-here checklist, then the patterns it does not schedule.
const STEPS: [(&str, &str); 4] = [
    ("week-1", "Week 1: foundation"),
    ("month-1", "Month 1: prepare to scale"),
    ("quarter-1", "Quarter 1: production excellence"),
    ("", "Also in this design"),
];

fn checklist(design: &Design) -> Vec<Step> {
    STEPS
        .iter()
        .map(|(id, title)| Step {
            id,
            title,
            items: design
                .recommendation
                .patterns
                .iter()
                .filter(|p| p.checklist.as_deref().unwrap_or("") == *id)
                .map(|p| Item {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    summary: p.summary.clone(),
                })
                .collect(),
        })
        .filter(|s| !s.items.is_empty())
        .collect()
}

/// The design's estimates in the advisor's order (`slo-budget`, `slo-alerts`, ...), then any
/// other id alphabetically.
fn estimates(design: &Design) -> Vec<Computed<'_>> {
    let order = crate::advisor::rules::ESTIMATES;
    let mut out: Vec<Computed> = design
        .estimates
        .iter()
        .map(|(id, estimate)| Computed { id, estimate })
        .collect();
    out.sort_by_key(|c| order.iter().position(|o| *o == c.id).unwrap_or(order.len()));
    out
}

fn index<'a>(
    design: &'a Design,
    source: &'a str,
    catalog: &Catalog,
    rules: &Rules,
    adr_links: &BTreeMap<String, String>,
) -> Index<'a> {
    let rec = &design.recommendation;
    let linker = Linker::new(catalog, design);
    let stack = rec.stack.as_ref().map(|s| {
        let known = catalog.stack(&s.id);
        Stack {
            id: s.id.clone(),
            name: s.name.clone(),
            summary: known.map(|k| k.summary.clone()).unwrap_or_default(),
            similarity: format!("{}%", crate::units::trim_float(s.similarity * 100.0, 0)),
            highlights: known.map(|k| k.highlights.clone()).unwrap_or_default(),
            shared: linker.links(&s.shared),
            only_stack: linker.links(&s.only_stack),
            only_design: linker.links(&s.only_design),
        }
    });
    Index {
        source,
        generator: &design.generator,
        answers: answers_in_walk_order(design, rules),
        given: design
            .answers
            .iter()
            .map(|(k, v)| (k.as_str(), v.answer.as_str()))
            .collect(),
        packs: rec
            .packs
            .iter()
            .map(|id| match catalog.pack(id) {
                Some(p) => Pack {
                    id: id.clone(),
                    name: p.name.clone(),
                    band: p.band(),
                    summary: p.summary.clone(),
                },
                None => Pack {
                    id: id.clone(),
                    name: id.clone(),
                    band: String::new(),
                    summary: String::new(),
                },
            })
            .collect(),
        patterns: rec.patterns.iter().map(|c| row(c, catalog)).collect(),
        flowchart: flowchart(design),
        decisions: rec
            .decisions
            .iter()
            .map(|d| DecisionRow {
                tree: d.tree.clone(),
                title: d.title.clone(),
                outcome_title: d.outcome_title.clone(),
                patterns: linker.links(&d.patterns),
            })
            .collect(),
        skipped: rec.skipped.clone(),
        databases: rec
            .databases
            .iter()
            .map(|d| {
                catalog
                    .database(d)
                    .map_or_else(|| d.clone(), |d| d.name.clone())
            })
            .collect(),
        estimates: estimates(design),
        pending: rec
            .estimates
            .iter()
            .filter(|h| !design.estimates.contains_key(&h.id))
            .collect(),
        checklist: checklist(design),
        contradictions: risks(design, &linker, adr_links, "contradiction"),
        limits: risks(design, &linker, adr_links, "limit"),
        antipatterns: risks(design, &linker, adr_links, "anti-pattern"),
        dropped: risks(design, &linker, adr_links, "dropped"),
        defaults: rec
            .decisions
            .iter()
            .filter_map(|d| {
                let answers: Vec<String> = d
                    .path
                    .iter()
                    .filter(|p| p.source == StepSource::Default)
                    .map(|p| format!("{} = {}", p.question, p.answer))
                    .collect();
                (!answers.is_empty()).then(|| Defaulted {
                    tree: d.tree.clone(),
                    title: d.title.clone(),
                    answers,
                    adr: adr_links.get(&d.tree).cloned(),
                })
            })
            .collect(),
        stack,
    }
}

fn pattern_page<'a>(
    design: &'a Design,
    chosen: &'a Chosen,
    source: &'a str,
    catalog: &Catalog,
    rules: &Rules,
) -> PatternPage<'a> {
    let linker = Linker::new(catalog, design);
    let detail = catalog.pattern(&chosen.id).map(|p| Detail {
        summary: p.summary.clone(),
        when: p.when.clone(),
        avoid_when: p.avoid_when.clone(),
        pros: p.pros.clone(),
        cons: p.cons.clone(),
        examples: p.examples.clone(),
        related: linker.links(&p.related),
    });
    PatternPage {
        source,
        pattern: row(chosen, catalog),
        detail,
        path: chosen
            .path
            .iter()
            .map(|s| answer(rules, &s.question, s))
            .collect(),
        decisions: design
            .recommendation
            .decisions
            .iter()
            .filter(|d| d.patterns.contains(&chosen.id))
            .map(|d| Decided {
                tree: d.tree.clone(),
                title: d.title.clone(),
                outcome_title: d.outcome_title.clone(),
                because: d.because.clone(),
            })
            .collect(),
        settings: crate::render::numbers::settings_for_pattern(design, &chosen.id),
    }
}

fn tree_page<'a>(
    design: &Design,
    d: &crate::advisor::recommendation::Decision,
    source: &'a str,
    catalog: &Catalog,
    rules: &Rules,
) -> TreePage<'a> {
    let linker = Linker::new(catalog, design);
    let steps: Vec<(&str, &str)> = d
        .path
        .iter()
        .map(|p| (p.question.as_str(), p.answer.as_str()))
        .collect();
    // The diagram shows where the answers led; the resolution may have replaced that outcome.
    let walked = d
        .resolution
        .as_ref()
        .map_or(d.outcome.as_str(), |r| r.walked.as_str());
    let diagram = crate::advisor::diagram::mermaid_path(rules, &d.tree, &steps, walked);
    let partial = rules.tree(&d.tree).is_some_and(|t| {
        crate::advisor::diagram::node_count(rules, t.start)
            > crate::advisor::diagram::MAX_PATH_NODES
    });
    TreePage {
        source,
        tree: d.tree.clone(),
        title: d.title.clone(),
        summary: rules
            .tree(&d.tree)
            .map(|t| t.summary.trim().to_string())
            .unwrap_or_default(),
        outcome_title: d.outcome_title.clone(),
        because: d.because.trim().to_string(),
        resolution: d.resolution.as_ref().filter(|_| d.replaced()).map(|r| {
            format!(
                "The answers led to \"{}\" (highlighted below), which the resolution step set aside: {}.",
                r.walked_title,
                r.reason.trim().trim_end_matches('.')
            )
        }),
        diagram,
        partial,
        path: d
            .path
            .iter()
            .map(|s| answer(rules, &s.question, s))
            .collect(),
        patterns: linker.links(&d.patterns),
    }
}

/// Escapes text for one cell of a Markdown table: pipes are escaped and line breaks become
/// spaces, so a catalog entry can never split a row.
fn cell(text: String) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The docs for `design`, as artifacts relative to the docs folder: `index.md` first, then
/// `patterns/<id>.md` in the design's pattern order. `source` names the design file in each
/// page's generated marker.
/// `adr_links` maps a decision's tree id to its record's path relative to the docs folder,
/// when the records are rendered too (empty otherwise).
pub fn artifacts(
    design: &Design,
    env: &Environment,
    source: &str,
    catalog: &Catalog,
    rules: &Rules,
    adr_links: &BTreeMap<String, String>,
) -> Result<Vec<Artifact>, Error> {
    let mut env = env.clone();
    env.add_filter("cell", cell);
    let page = |path: PathBuf, text: String| Artifact {
        content: write::stamp(&text, Comment::for_path(&path), source),
        path,
    };
    let mut out = vec![page(
        PathBuf::from("index.md"),
        env.get_template(INDEX)?
            .render(minijinja::value::Serde(index(
                design, source, catalog, rules, adr_links,
            )))?,
    )];
    let template = env.get_template(PATTERN)?;
    for chosen in &design.recommendation.patterns {
        if super::env::kebab(&chosen.id) != chosen.id {
            return Err(Error::BadPatternId(chosen.id.clone()));
        }
        let text = template.render(minijinja::value::Serde(pattern_page(
            design, chosen, source, catalog, rules,
        )))?;
        out.push(page(
            PathBuf::from(format!("patterns/{}.md", chosen.id)),
            text,
        ));
    }
    let template = env.get_template(TREE)?;
    for d in &design.recommendation.decisions {
        let text = template.render(minijinja::value::Serde(tree_page(
            design, d, source, catalog, rules,
        )))?;
        out.push(page(
            PathBuf::from(format!("trees/{}.md", super::env::kebab(&d.tree))),
            text,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{env::environment, fixture};

    fn render(example: &str) -> Vec<Artifact> {
        let catalog = Catalog::get().unwrap();
        let rules = crate::advisor::load::load(None, catalog).unwrap();
        let design = fixture::design(example);
        artifacts(
            &design,
            &environment(None).unwrap(),
            &format!("{example}.design.yaml"),
            catalog,
            &rules,
            &BTreeMap::new(),
        )
        .unwrap()
    }

    fn examples() -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
                .unwrap()
                .filter_map(|e| {
                    let p = e.unwrap().path();
                    (p.extension()? == "yaml").then(|| p.file_stem()?.to_str().map(String::from))?
                })
                .collect();
        names.sort();
        names
    }

    fn page<'a>(pages: &'a [Artifact], path: &str) -> &'a str {
        &pages
            .iter()
            .find(|a| a.path == std::path::Path::new(path))
            .unwrap_or_else(|| panic!("{path} missing"))
            .content
    }

    /// The mermaid blocks of a Markdown page.
    fn mermaid_blocks(text: &str) -> Vec<String> {
        let mut blocks = Vec::new();
        let mut current: Option<String> = None;
        for line in text.lines() {
            match (&mut current, line.trim_end()) {
                (None, "```mermaid") => current = Some(String::new()),
                (Some(b), "```") => {
                    blocks.push(std::mem::take(b));
                    current = None;
                }
                (Some(b), l) => {
                    b.push_str(l);
                    b.push('\n');
                }
                (None, _) => {}
            }
        }
        assert!(current.is_none(), "unclosed mermaid block");
        blocks
    }

    #[test]
    fn the_startup_and_netflix_docs_match_their_snapshots() {
        for (example, pages) in [
            ("startup", ["circuit-breaker", "cache-aside"]),
            ("netflix", ["sharding", "saga"]),
        ] {
            let out = render(example);
            insta::assert_snapshot!(format!("docs_{example}_index"), page(&out, "index.md"));
            for id in pages {
                insta::assert_snapshot!(
                    format!("docs_{example}_{id}"),
                    page(&out, &format!("patterns/{id}.md"))
                );
            }
        }
    }

    #[test]
    fn every_example_renders_one_page_per_pattern_each_ending_with_the_marker() {
        for example in examples() {
            let design = fixture::design(&example);
            let out = render(&example);
            let rec = &design.recommendation;
            assert_eq!(out.len(), rec.patterns.len() + rec.decisions.len() + 1);
            assert_eq!(out[0].path, std::path::Path::new("index.md"));
            for (a, p) in out[1..].iter().zip(&rec.patterns) {
                assert_eq!(a.path, PathBuf::from(format!("patterns/{}.md", p.id)));
            }
            for (a, d) in out[1 + rec.patterns.len()..].iter().zip(&rec.decisions) {
                assert_eq!(a.path, PathBuf::from(format!("trees/{}.md", d.tree)));
            }
            for a in &out {
                let last = a.content.lines().last().unwrap();
                assert!(
                    last.starts_with("<!-- tradeoff:generated"),
                    "{}",
                    a.path.display()
                );
                assert!(
                    last.contains(&format!("from {example}.design.yaml;")),
                    "{last}"
                );
                assert_eq!(write::state(&a.content), write::State::Pristine);
                assert!(a.content.starts_with("# "), "{}", a.path.display());
                assert!(
                    !a.content.contains("\n\n\n"),
                    "{}: double blank line",
                    a.path.display()
                );
            }
        }
    }

    #[test]
    fn rendering_twice_gives_identical_bytes() {
        for example in ["startup", "netflix", "discord"] {
            assert_eq!(render(example), render(example), "{example}");
        }
    }

    #[test]
    fn every_mermaid_block_is_a_non_empty_flowchart() {
        for example in examples() {
            let out = render(&example);
            let blocks = mermaid_blocks(page(&out, "index.md"));
            assert_eq!(blocks.len(), 1, "{example}");
            assert!(blocks[0].starts_with("flowchart LR\n"), "{example}");
            for a in &out[1..] {
                for b in mermaid_blocks(&a.content) {
                    assert!(b.starts_with("flowchart TD\n"), "{example}: {b}");
                    assert!(b.lines().count() > 3, "{example}: {b}");
                }
            }
        }
    }

    #[test]
    fn each_tree_page_highlights_the_path_taken_and_stays_small() {
        for example in examples() {
            let design = fixture::design(&example);
            let out = render(&example);
            for d in &design.recommendation.decisions {
                let text = page(&out, &format!("trees/{}.md", d.tree));
                let blocks = mermaid_blocks(text);
                assert_eq!(blocks.len(), 1, "{example} {}", d.tree);
                let b = &blocks[0];
                let nodes = b
                    .lines()
                    .filter(|l| l.starts_with("    ") && !l.contains("-->") && !l.contains("class"))
                    .filter(|l| !l.trim_start().starts_with("linkStyle"))
                    .count();
                assert!(nodes <= 40, "{example} {}: {nodes} nodes", d.tree);
                let class = b
                    .lines()
                    .find(|l| l.trim_start().starts_with("class "))
                    .unwrap_or_else(|| panic!("{example} {}: nothing highlighted\n{b}", d.tree));
                // Every question on the path and the outcome are highlighted.
                let rules =
                    crate::advisor::load::load(None, crate::catalog::Catalog::get().unwrap())
                        .unwrap();
                for step in &d.path {
                    let (q, _) = rules
                        .in_tree(&d.tree, &step.question, &step.answer)
                        .unwrap();
                    assert!(class.contains(&format!("q_{}", q.id)), "{class}");
                }
                assert!(class.contains("o_"), "{example} {}: {class}", d.tree);
                assert!(b.contains("linkStyle ") || d.path.len() <= 1, "{b}");
            }
        }
    }

    #[test]
    fn links_between_pages_point_at_pages_that_exist() {
        for example in examples() {
            let out = render(&example);
            let pages: BTreeSet<PathBuf> = out.iter().map(|a| a.path.clone()).collect();
            for a in &out {
                let dir = a.path.parent().unwrap();
                for (i, _) in a.content.match_indices("](") {
                    let rest = &a.content[i + 2..];
                    let target = &rest[..rest.find(')').unwrap()];
                    let mut resolved = PathBuf::new();
                    for part in dir.join(target).components() {
                        match part {
                            std::path::Component::ParentDir => {
                                resolved.pop();
                            }
                            c => resolved.push(c),
                        }
                    }
                    assert!(pages.contains(&resolved), "{}: {target}", a.path.display());
                }
            }
        }
    }

    #[test]
    fn the_flowchart_escapes_quotes_and_line_breaks_in_labels() {
        let mut design = fixture::design("startup");
        let d = &mut design.recommendation.decisions[0];
        d.title = "The \"targets\"\ntree".into();
        d.outcome_title = "Say \"hi\"".into();
        let chart = flowchart(&design);
        assert!(
            chart.contains("t_targets[\"The #quot;targets#quot; tree\"] --> "),
            "{chart}"
        );
        assert!(chart.contains("[\"Say #quot;hi#quot;\"]"), "{chart}");
        assert_eq!(
            chart.lines().filter(|l| l.contains(" --> ")).count(),
            design.recommendation.decisions.len(),
            "one line per tree: {chart}"
        );
        for line in chart.lines().skip(1) {
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
        }
    }

    #[test]
    fn risks_link_each_defaulted_decision_to_its_record() {
        let catalog = Catalog::get().unwrap();
        let rules = crate::advisor::load::load(None, catalog).unwrap();
        let design = fixture::design("startup");
        let links = BTreeMap::from([(
            "transactions".to_string(),
            "decisions/0007-transactions-across-services.md".to_string(),
        )]);
        let out = artifacts(
            &design,
            &environment(None).unwrap(),
            "d.yaml",
            catalog,
            &rules,
            &links,
        )
        .unwrap();
        let index = page(&out, "index.md");
        assert!(
            index.contains("(trees/transactions.md) ([record](decisions/0007-transactions-across-services.md)): cross_service_writes = no"),
            "{index}"
        );
    }

    #[test]
    fn optional_sections_are_explained_when_absent() {
        let catalog = Catalog::get().unwrap();
        let rules = crate::advisor::load::load(None, catalog).unwrap();
        let mut design = fixture::design("startup");
        design.estimates.clear();
        design.recommendation.stack = None;
        design.recommendation.antipatterns.clear();
        let out = artifacts(
            &design,
            &environment(None).unwrap(),
            "d.yaml",
            catalog,
            &rules,
            &BTreeMap::new(),
        )
        .unwrap();
        let index = page(&out, "index.md");
        assert!(index.contains("None of the reference stacks"));
        assert!(!index.contains("### Anti-patterns"));
        // The startup example leaves most questions to their defaults: the review is told.
        assert!(
            index.contains("### Decisions resting on defaults"),
            "{index}"
        );
        assert!(
            index.contains(
                "- [Transactions across services](trees/transactions.md): cross_service_writes = no"
            ),
            "{index}"
        );
        assert!(
            index.contains("- `tradeoff slo budget 99.9` (asked for by targets, observability)"),
            "{index}"
        );
        assert!(!index.contains("### Not yet estimated"));
    }

    #[test]
    fn a_pattern_id_that_is_not_kebab_case_cannot_name_a_page() {
        let catalog = Catalog::get().unwrap();
        let rules = crate::advisor::load::load(None, catalog).unwrap();
        let mut design = fixture::design("startup");
        design.recommendation.patterns[0].id = "../../etc/passwd".into();
        let e = artifacts(
            &design,
            &environment(None).unwrap(),
            "d.yaml",
            catalog,
            &rules,
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`../../etc/passwd`"), "{e}");
    }

    #[test]
    fn a_pattern_the_catalog_no_longer_knows_still_gets_a_page_from_the_design() {
        let catalog = Catalog::get().unwrap();
        let rules = crate::advisor::load::load(None, catalog).unwrap();
        let mut design = fixture::design("startup");
        design.recommendation.patterns[0].id = "home-grown-breaker".into();
        let out = artifacts(
            &design,
            &environment(None).unwrap(),
            "d.yaml",
            catalog,
            &rules,
            &BTreeMap::new(),
        )
        .unwrap();
        let text = page(&out, "patterns/home-grown-breaker.md");
        assert!(
            text.starts_with("# Circuit breaker\n\nWraps calls to a dependency"),
            "{text}"
        );
        assert!(text.contains("| Latency | < 1 ms added per call;"));
        assert!(!text.contains("## When to use it"));
        assert!(page(&out, "index.md").contains("](patterns/home-grown-breaker.md)"));
    }

    #[test]
    fn a_template_folder_overrides_the_pattern_page() {
        let catalog = Catalog::get().unwrap();
        let rules = crate::advisor::load::load(None, catalog).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(
            dir.path().join("docs/pattern.md"),
            "# {{ pattern.name }}\n\nOurs: {{ pattern.tradeoffs.cost | cell }}\n",
        )
        .unwrap();
        let env = environment(Some(dir.path())).unwrap();
        let out = artifacts(
            &fixture::design("startup"),
            &env,
            "d.yaml",
            catalog,
            &rules,
            &BTreeMap::new(),
        )
        .unwrap();
        assert!(page(&out, "patterns/circuit-breaker.md").starts_with(
            "# Circuit breaker\n\nOurs: low (a counter and a timer per dependency)\n<!-- "
        ));
        assert!(page(&out, "index.md").contains("## Decision path"));
    }
}

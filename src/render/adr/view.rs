//! What a decision record template sees: one [`Decision`] of the design, enriched with the
//! question texts and alternatives of the rules and the pros and cons of the catalog.
//!
//! The design file is the source of truth for what was decided (outcome, path, reasons,
//! trade-offs). The rules and the catalog only add wording: the text of each question on the
//! path, where each alternative would have led, and the pros and cons of the patterns. When
//! the rules no longer know a question (a design written by another version), the record
//! falls back to the ids rather than failing.

use crate::advisor::recommendation::{Decision, DecisionOption, PathStep};
use crate::advisor::rules::{AnswerKind, Branch, Node, Rules};
use crate::advisor::walk::StepSource;
use crate::catalog::Catalog;
use crate::design::Design;
use serde::Serialize;

/// The record's own metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub number: u32,
    /// Zero-padded: `0004`.
    pub id: String,
    pub title: String,
    /// `proposed`, `accepted`, or for a superseded record `superseded by [..](..)`.
    pub status: String,
    /// `YYYY-MM-DD`, or none: without `--date` no date is written, so output is reproducible.
    pub date: Option<String>,
    pub deciders: Vec<String>,
    /// The same as YAML double-quoted scalars, for front matter (`"Ann: lead"`).
    pub deciders_yaml: Vec<String>,
    /// The file name, `0004-consistency-model.md`.
    pub file: String,
}

impl Meta {
    /// A record's metadata; `id` and `deciders_yaml` are derived.
    pub fn new(
        number: u32,
        title: &str,
        status: &str,
        date: Option<String>,
        deciders: &[String],
        file: &str,
    ) -> Meta {
        Meta {
            number,
            id: format!("{number:04}"),
            title: title.to_string(),
            status: status.to_string(),
            date,
            deciders: deciders.to_vec(),
            deciders_yaml: deciders
                .iter()
                .map(|d| super::record::yaml_quote(d))
                .collect(),
            file: file.to_string(),
        }
    }
}

/// The decision as the design recorded it.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub tree: String,
    pub title: String,
    pub outcome: String,
    pub outcome_title: String,
    pub because: String,
    /// The same with a lower-case first letter, to follow "because".
    pub because_clause: String,
    pub note: Option<String>,
    /// The deciding question's id and text.
    pub question: String,
    pub ask: String,
    /// When the resolution step replaced the outcome the answers led to: what and why.
    pub resolution: Option<String>,
}

/// An answer on the path to the decision.
#[derive(Debug, Clone, Serialize)]
pub struct Driver {
    pub question: String,
    /// The question's text, or its id when the rules do not know it.
    pub ask: String,
    /// The answer: a choice's label, or the value as typed.
    pub answer: String,
    /// `given`, `answered at the prompt` or `default`.
    pub source: String,
}

/// One alternative of the deciding question.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub label: String,
    /// `outcome title — label`, or the label alone when its destination is unknown.
    pub title: String,
    pub chosen: bool,
    /// The outcome this answer leads to; for an answer that leads to a further question,
    /// the outcomes that question can reach (`Hash sharding or Range sharding`).
    pub leads_to: Option<String>,
    /// That outcome's reasoning.
    pub because: Option<String>,
    /// When the answer leads to a further question instead: its text.
    pub next: Option<String>,
    /// Names of the patterns the answer brings.
    pub patterns: Vec<String>,
    /// Names of the databases its outcome suggests.
    pub databases: Vec<String>,
    /// Arguments for and against, from the catalog's pros and cons of those patterns.
    pub good: Vec<Argument>,
    pub bad: Vec<Argument>,
    /// For an outcome the design did not reach: the answer on the path that ruled it out,
    /// `communication = sync`, with the answer's label.
    pub ruled_out_by: Option<String>,
    /// What the resolution step said about this option's patterns: flagged (chosen) or
    /// dropped from the design (others).
    pub notes: Vec<String>,
}

/// The outcomes of a tree that one question on the path set aside: the question, the answer
/// given, and the options the other answers lead to.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub question: String,
    pub ask: String,
    /// The answer given, `sync`, and its label when it has one.
    pub answer: String,
    pub options: Vec<Choice>,
}

/// A chosen pattern's trade-offs, as table cells (pipes escaped).
#[derive(Debug, Clone, Serialize)]
pub struct Tradeoff {
    pub name: String,
    pub latency: String,
    pub throughput: String,
    pub cost: String,
    pub complexity: String,
}

/// The whole template context of a decision record.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub record: Meta,
    pub decision: DecisionView,
    /// The tree's summary: what the decision is about.
    pub context: String,
    pub drivers: Vec<Driver>,
    /// Every outcome of the tree: the chosen one first, then the others grouped by the
    /// question on the path that set them aside, last question first.
    pub options: Vec<Choice>,
    /// The same others, grouped by question.
    pub groups: Vec<Group>,
    /// True when the tree has more than one outcome.
    pub alternatives: bool,
    pub chosen: Choice,
    /// Consequences of the chosen option, from its patterns' pros and cons.
    pub good: Vec<Argument>,
    pub bad: Vec<Argument>,
    /// True when `good` and `bad` hold only the first pro and con of each pattern.
    pub brief: bool,
    pub tradeoffs: Vec<Tradeoff>,
    /// Names of the candidate databases the decision names.
    pub databases: Vec<String>,
    /// Commands of the estimates this decision asks for that the design has not run.
    pub estimates: Vec<String>,
    /// The estimates the design ran for this decision, with their results.
    pub numbers: Vec<crate::render::numbers::Quoted>,
    /// The settings that follow from this decision, with their sources.
    pub settings: Vec<crate::render::numbers::Quote>,
    /// The design file the record was generated from.
    pub source: String,
    /// The record this one replaces, when the decision changed after it was accepted.
    pub supersedes: Option<super::Link>,
    /// What the advice flagged that concerns this decision, and its defaulted answers.
    pub risks: Vec<crate::render::risks::Risk>,
    /// When the resolution step replaced the outcome the answers led to: that outcome, as an
    /// option set aside, with the reason in its notes.
    pub resolved_from: Option<Choice>,
}

/// Past this many patterns, consequences list one pro and one con per pattern.
pub const BRIEF_AFTER: usize = 3;

/// `No dual writes` → `no dual writes` (reads well after "Good, because"); a first word with
/// more capitals (`HTTP`, `PostgreSQL`, `MySQL`) stays as it is.
pub fn lower_first(s: &str) -> String {
    let word: String = s.chars().take_while(|c| c.is_alphanumeric()).collect();
    let mut chars = word.chars();
    match chars.next() {
        Some(a)
            if a.is_uppercase() && word.chars().count() > 1 && !chars.any(char::is_uppercase) =>
        {
            a.to_lowercase().chain(s[a.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn source_text(s: StepSource) -> &'static str {
    match s {
        StepSource::Given => "given",
        StepSource::Prompt => "answered at the prompt",
        StepSource::Default => "default",
        StepSource::Derived => "derived from earlier answers",
    }
}

/// A pro or con of a pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Argument {
    /// As the catalog writes it, for a bullet: `No dual writes, so no drift ...`.
    pub text: String,
    /// With a lower-case first letter, to follow "Good, because".
    pub clause: String,
}

/// Pros (`good`) and cons (`bad`) of patterns, each naming its pattern when there are
/// several; `first_only` keeps one of each per pattern (for comparing options briefly).
fn arguments(
    catalog: &Catalog,
    ids: &[String],
    first_only: bool,
) -> (Vec<Argument>, Vec<Argument>) {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    let known: Vec<_> = ids.iter().filter_map(|id| catalog.pattern(id)).collect();
    for p in &known {
        let arg = |t: &String| {
            let suffix = if known.len() > 1 {
                format!(" ({})", p.name)
            } else {
                String::new()
            };
            Argument {
                text: format!("{t}{suffix}"),
                clause: format!("{}{suffix}", lower_first(t)),
            }
        };
        let take = if first_only { 1 } else { usize::MAX };
        good.extend(p.pros.iter().take(take).map(arg));
        bad.extend(p.cons.iter().take(take).map(arg));
    }
    (good, bad)
}

fn push_unique(list: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for i in items {
        if !list.contains(&i) {
            list.push(i);
        }
    }
}

/// Numeric ranges end with a catch-all branch the rules call "the rest"; say what it covers.
fn range_labels(options: &[DecisionOption]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in options {
        let label = if o.label == "the rest" {
            match out.last() {
                Some(prev) if prev.starts_with("below ") => format!("{} or more", &prev[6..]),
                Some(prev) if prev.starts_with("up to ") => format!("above {}", &prev[6..]),
                Some(_) => "any other value".to_string(),
                None => "any value".to_string(),
            }
        } else {
            o.label.clone()
        };
        out.push(label);
    }
    out
}

/// An option is named by what it leads to, with the answer that leads there:
/// `Change data capture — low, occasional changes to replicate`.
fn option_title(label: &str, leads_to: Option<&str>) -> String {
    match leads_to {
        Some(t) => format!("{t} — {}", lower_first(label)),
        None => label.to_string(),
    }
}

/// Where an alternative of the deciding question leads, per the rules.
struct Destination {
    leads_to: Option<String>,
    because: Option<String>,
    next: Option<String>,
    patterns: Vec<String>,
    databases: Vec<String>,
}

fn destination(
    rules: &Rules,
    catalog: &Catalog,
    question: &str,
    value: &str,
) -> Option<Destination> {
    let (edge, target) = rules.branch(question, value)?;
    let mut patterns = edge.patterns.clone();
    Some(match rules.node(target) {
        Node::Outcome(o) => {
            push_unique(&mut patterns, o.patterns.iter().cloned());
            if let Some(pack) = o.pack.as_deref().and_then(|p| catalog.pack(p)) {
                push_unique(&mut patterns, pack.patterns.iter().cloned());
            }
            Destination {
                leads_to: Some(o.title.clone()),
                because: Some(o.because.trim().to_string()),
                next: None,
                patterns,
                databases: o.databases.clone(),
            }
        }
        Node::Question(q) => Destination {
            leads_to: alternatives_text(&reachable(rules, target)),
            because: Some(format!(
                "A further question decides between these: {}",
                q.ask
            )),
            next: Some(q.ask.clone()),
            patterns,
            databases: Vec::new(),
        },
    })
}

/// `A, B or C`.
fn alternatives_text(items: &[String]) -> Option<String> {
    match items {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} or {last}", rest.join(", "))),
    }
}

/// Titles of the outcomes reachable from a question, in branch order.
fn reachable(rules: &Rules, from: petgraph::graph::NodeIndex) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    push_unique(
        &mut out,
        rules
            .reachable_outcomes(from)
            .into_iter()
            .map(|o| o.title.clone()),
    );
    out
}

fn database_names(catalog: &Catalog, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            catalog
                .database(id)
                .map_or_else(|| id.clone(), |x| x.name.clone())
        })
        .collect()
}

fn driver(rules: &Rules, step: &PathStep) -> Driver {
    let q = rules.question(&step.question);
    let answer = q
        .and_then(|q| match &q.answer {
            AnswerKind::Choice(cs) => cs
                .iter()
                .find(|c| c.value == step.answer)
                .map(|c| c.label.clone()),
            AnswerKind::Number { .. } => None,
        })
        .unwrap_or_else(|| step.answer.clone());
    Driver {
        question: step.question.clone(),
        ask: q.map_or_else(|| step.question.clone(), |q| q.ask.clone()),
        answer,
        source: source_text(step.source).to_string(),
    }
}

/// The patterns a decision brings, in the recommendation's order: those its tree chose
/// (outcome and edges; for the scale tree, its pack), then any the design does not list.
fn decision_patterns(design: &Design, d: &Decision) -> Vec<String> {
    let mut ids: Vec<String> = design
        .recommendation
        .patterns
        .iter()
        .filter(|p| p.trees.contains(&d.tree))
        .map(|p| p.id.clone())
        .collect();
    push_unique(&mut ids, d.patterns.iter().cloned());
    ids
}

/// Notes on patterns of an option that the resolution step dropped from this design.
fn dropped_notes(design: &Design, patterns: &[String]) -> Vec<String> {
    design
        .recommendation
        .dropped
        .iter()
        .filter(|x| patterns.contains(&x.id))
        .map(|x| {
            format!(
                "the resolution step drops {} from this design: {}",
                x.name,
                x.reason.trim()
            )
        })
        .collect()
}

/// Notes on chosen patterns that the resolution step flags (a contradiction or a limit).
fn flag_notes(design: &Design, patterns: &[String]) -> Vec<String> {
    design
        .recommendation
        .patterns
        .iter()
        .filter(|p| patterns.contains(&p.id) && !p.flags.is_empty())
        .map(|p| {
            format!(
                "the resolution step flags {} ({}).",
                p.name,
                p.flags.join(", ")
            )
        })
        .collect()
}

/// Every outcome of the decision's tree other than the chosen one, grouped by the question on
/// the path where the design turned away from it. Questions are visited from the last one
/// up, so an outcome is credited to the latest answer that still separated it.
fn considered(design: &Design, rules: &Rules, catalog: &Catalog, d: &Decision) -> Vec<Group> {
    let Some(tree) = rules.tree(&d.tree) else {
        return Vec::new();
    };
    let name_of = |id: &String| {
        catalog
            .pattern(id)
            .map_or_else(|| id.clone(), |p| p.name.clone())
    };
    // The node the tree branches on for each answer (a retired question the asked one now
    // answers, with the answer in its values).
    let nodes: Vec<_> = d
        .path
        .iter()
        .filter_map(|p| {
            let (q, answer) = rules.in_tree(&d.tree, &p.question, &p.answer)?;
            rules.question_node(&q.id).map(|n| (n, (p, answer)))
        })
        .collect();
    // The answers took the branches toward the outcome the walk reached, even when the
    // resolution step replaced it.
    let walked = d
        .resolution
        .as_ref()
        .map_or(d.outcome.as_str(), |r| r.walked.as_str());
    let mut assigned: std::collections::BTreeSet<String> =
        std::collections::BTreeSet::from([d.outcome.clone(), walked.to_string()]);
    let mut groups = Vec::new();
    for (i, (node, (step, answer))) in nodes.iter().enumerate().rev() {
        let next = nodes.get(i + 1).map(|(n, _)| *n);
        let mut options = Vec::new();
        for (_, edge, to) in rules.branches(*node) {
            let label = match &edge.branch {
                Branch::Choice(v) => v.clone(),
                Branch::Range { text, .. } => text.clone(),
            };
            let taken = match &edge.branch {
                Branch::Choice(v) => v == answer,
                // A numeric answer took the branch that leads on along the path (or to the
                // outcome when it is the last question).
                Branch::Range { .. } => match next {
                    Some(n) => to == n,
                    None => matches!(rules.node(to), Node::Outcome(o) if o.id == walked),
                },
            };
            if taken {
                continue;
            }
            for o in rules
                .reachable_outcomes(to)
                .into_iter()
                .filter(|o| o.tree == tree.id)
            {
                if !assigned.insert(o.id.clone()) {
                    continue;
                }
                let mut patterns = edge.patterns.clone();
                push_unique(&mut patterns, o.patterns.iter().cloned());
                if let Some(pack) = o.pack.as_deref().and_then(|p| catalog.pack(p)) {
                    push_unique(&mut patterns, pack.patterns.iter().cloned());
                }
                let (good, bad) = arguments(catalog, &patterns, true);
                options.push(Choice {
                    label: label.clone(),
                    title: o.title.clone(),
                    chosen: false,
                    leads_to: Some(o.title.clone()),
                    because: Some(o.because.trim().to_string()),
                    next: None,
                    patterns: patterns.iter().map(name_of).collect(),
                    databases: database_names(catalog, &o.databases),
                    good,
                    bad,
                    ruled_out_by: Some(format!("{} = {}", step.question, step.answer)),
                    notes: dropped_notes(design, &patterns),
                });
            }
        }
        if !options.is_empty() {
            let q = rules.question(&step.question);
            groups.push(Group {
                question: step.question.clone(),
                ask: q.map_or_else(|| step.question.clone(), |q| q.ask.clone()),
                answer: driver(rules, step).answer,
                options,
            });
        }
    }
    groups
}

/// Builds the template context of one decision.
pub fn view(
    design: &Design,
    d: &Decision,
    rules: &Rules,
    catalog: &Catalog,
    record: Meta,
    source: &str,
) -> View {
    let labels = range_labels(&d.options);
    let ids = decision_patterns(design, d);
    // A pack brings a dozen patterns: past a few, one pro and one con each keeps the record
    // readable (the trade-off table still has a row per pattern).
    let brief = ids.len() > BRIEF_AFTER;
    let (good, bad) = arguments(catalog, &ids, brief);
    let name_of = |id: &String| {
        catalog
            .pattern(id)
            .map_or_else(|| id.clone(), |p| p.name.clone())
    };
    let options: Vec<Choice> = d
        .options
        .iter()
        .zip(labels)
        .map(|(o, label)| {
            if o.chosen {
                // Compared like the alternatives (one pro and one con per pattern); the
                // full consequences are the record's Decision Outcome.
                let (g, b) = arguments(catalog, &ids, true);
                return Choice {
                    title: option_title(&label, Some(&d.outcome_title)),
                    label,
                    chosen: true,
                    leads_to: Some(d.outcome_title.clone()),
                    because: Some(d.because.trim().to_string()),
                    next: None,
                    patterns: ids.iter().map(name_of).collect(),
                    databases: database_names(catalog, &d.databases),
                    good: g,
                    bad: b,
                    ruled_out_by: None,
                    notes: Vec::new(),
                };
            }
            let dest = destination(rules, catalog, &d.question, &o.value);
            let (g, b) = dest
                .as_ref()
                .map(|x| arguments(catalog, &x.patterns, true))
                .unwrap_or_default();
            let leads_to = dest.as_ref().and_then(|x| x.leads_to.clone());
            let next = dest.as_ref().and_then(|x| x.next.clone());
            Choice {
                title: option_title(&label, leads_to.as_deref()),
                label,
                chosen: false,
                leads_to,
                because: dest.as_ref().and_then(|x| x.because.clone()),
                next,
                patterns: dest
                    .as_ref()
                    .map(|x| x.patterns.iter().map(name_of).collect())
                    .unwrap_or_default(),
                databases: dest
                    .as_ref()
                    .map(|x| database_names(catalog, &x.databases))
                    .unwrap_or_default(),
                good: g,
                bad: b,
                ruled_out_by: None,
                notes: Vec::new(),
            }
        })
        .collect();
    let groups = considered(design, rules, catalog, d);
    let mut chosen = options
        .iter()
        .find(|o| o.chosen)
        .cloned()
        .unwrap_or_else(|| Choice {
            label: d.outcome_title.clone(),
            title: d.outcome_title.clone(),
            chosen: true,
            leads_to: Some(d.outcome_title.clone()),
            because: d.replaced().then(|| d.because.trim().to_string()),
            next: None,
            patterns: ids.iter().map(name_of).collect(),
            databases: database_names(catalog, &d.databases),
            good: Vec::new(),
            bad: Vec::new(),
            ruled_out_by: None,
            notes: Vec::new(),
        });
    chosen.notes = flag_notes(design, &ids);
    let resolved_from = resolved_from(d, rules, catalog);
    if let Some(r) = d.resolution.as_ref().filter(|_| d.replaced()) {
        chosen.notes.insert(
            0,
            format!(
                "the resolution step chose it in place of {}, where the answers led",
                r.walked_title
            ),
        );
    }
    let mut options = vec![chosen.clone()];
    options.extend(resolved_from.iter().cloned());
    options.extend(groups.iter().flat_map(|g| g.options.iter().cloned()));
    let alternatives = options.len() > 1;
    if alternatives {
        // Among every outcome of the tree, the chosen one is named by its outcome.
        chosen.title = d.outcome_title.clone();
        options[0].title = d.outcome_title.clone();
    }
    if !alternatives {
        // Nothing to tell apart: the outcome alone names the option.
        chosen.title = d.outcome_title.clone();
    }
    let tradeoffs = ids
        .iter()
        .filter_map(|id| design.recommendation.patterns.iter().find(|p| p.id == *id))
        .map(|p| Tradeoff {
            name: cell(&p.name),
            latency: cell(&p.tradeoffs.latency),
            throughput: cell(&p.tradeoffs.throughput),
            cost: cell(&p.tradeoffs.cost),
            complexity: cell(p.tradeoffs.complexity.as_str()),
        })
        .collect();
    View {
        record,
        decision: DecisionView {
            tree: d.tree.clone(),
            title: d.title.clone(),
            outcome: d.outcome.clone(),
            outcome_title: d.outcome_title.clone(),
            because: d.because.trim().to_string(),
            because_clause: lower_first(d.because.trim()),
            note: d.note.as_ref().map(|n| n.trim().to_string()),
            question: d.question.clone(),
            ask: d.ask.clone(),
            resolution: d.resolution.as_ref().filter(|_| d.replaced()).map(|r| {
                format!(
                    "The answers led to \"{}\", which the resolution step set aside: {}.",
                    r.walked_title,
                    r.reason.trim().trim_end_matches('.')
                )
            }),
        },
        context: rules
            .tree(&d.tree)
            .map(|t| t.summary.trim().to_string())
            .unwrap_or_default(),
        drivers: d.path.iter().map(|s| driver(rules, s)).collect(),
        alternatives,
        options,
        groups,
        chosen,
        good,
        bad,
        brief,
        tradeoffs,
        databases: database_names(catalog, &d.databases),
        estimates: crate::render::numbers::pending_for(design, &d.tree),
        numbers: crate::render::numbers::estimates_for(design, &d.tree),
        settings: crate::render::numbers::settings_for_decision(design, d, &ids),
        source: source.to_string(),
        supersedes: None,
        risks: crate::render::risks::for_decision(design, d),
        resolved_from,
    }
}

/// The outcome the answers led to when the resolution step replaced it, as an option set
/// aside: what it would have brought and why it does not stand.
fn resolved_from(d: &Decision, rules: &Rules, catalog: &Catalog) -> Option<Choice> {
    let r = d.resolution.as_ref().filter(|_| d.replaced())?;
    let o = rules.outcome(&d.tree, &r.walked);
    let patterns = o.map(|o| o.patterns.clone()).unwrap_or_default();
    let (good, bad) = arguments(catalog, &patterns, true);
    Some(Choice {
        label: r.walked_title.clone(),
        title: r.walked_title.clone(),
        chosen: false,
        leads_to: Some(r.walked_title.clone()),
        because: o.map(|o| o.because.trim().to_string()),
        next: None,
        patterns: patterns
            .iter()
            .map(|id| {
                catalog
                    .pattern(id)
                    .map_or_else(|| id.clone(), |p| p.name.clone())
            })
            .collect(),
        databases: o
            .map(|o| database_names(catalog, &o.databases))
            .unwrap_or_default(),
        good,
        bad,
        ruled_out_by: None,
        notes: vec![format!(
            "the answers led here, and the resolution step set it aside: {}",
            r.reason.trim()
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_first_keeps_acronyms() {
        assert_eq!(lower_first("No dual writes"), "no dual writes");
        assert_eq!(lower_first("HTTP caches"), "HTTP caches");
        assert_eq!(lower_first("A"), "A");
        assert_eq!(lower_first("PostgreSQL"), "PostgreSQL");
        assert_eq!(lower_first("MySQL"), "MySQL");
        assert_eq!(lower_first("Low, occasional"), "low, occasional");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn the_catch_all_range_says_what_it_covers() {
        let o = |l: &str| DecisionOption {
            value: l.into(),
            label: l.into(),
            chosen: false,
        };
        assert_eq!(
            range_labels(&[o("below 1M"), o("below 10M"), o("the rest")]),
            ["below 1M", "below 10M", "10M or more"]
        );
        assert_eq!(
            range_labels(&[o("up to 1TB"), o("the rest")]),
            ["up to 1TB", "above 1TB"]
        );
        assert_eq!(range_labels(&[o("the rest")]), ["any value"]);
    }
}

//! The validated rule set: every tree's questions and outcomes as nodes of one petgraph
//! `DiGraph`, answers as edges. Built from raw files by [`Rules::build`], which collects every
//! problem (see [`Diagnostic`]) instead of stopping at the first.
//!
//! Invariants of a built `Rules`: question ids are unique across trees; every edge leads to a
//! node that exists; the graph is acyclic; every question and outcome of a tree is reachable
//! from some tree's start; numeric ranges ascend and the last one is open; defaults are valid
//! answers; every referenced pattern, pack, database, estimate and guard id exists.

use super::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean, list};
use super::kind::Kind;
use super::raw;
use crate::condition::Condition;
use crate::embedded::{Origin, Source};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::{Dfs, EdgeRef};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Estimate ids an outcome may name (`estimates:`), each a capacity model of `tradeoff`
/// (see [`super::estimate::Estimate`]).
pub const ESTIMATES: &[&str] = super::estimate::NAMES;

/// Most questions, and most outcomes, one rule file may define.
pub const MAX_NODES: usize = 1_000;
/// Most choices or ranges one question may have.
pub const MAX_BRANCHES: usize = 1_000;
/// Most problems listed; past it they are counted in one last diagnostic (finding a line
/// and a suggestion costs a scan of the file each, so this bounds the work on any input).
pub const MAX_PROBLEMS: usize = 100;

/// The ids rule files may refer to outside themselves: from the catalog (`models/`).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Pattern ids.
    pub patterns: BTreeSet<String>,
    /// Pack ids, lowest first.
    pub packs: Vec<String>,
    /// Database ids.
    pub databases: BTreeSet<String>,
}

/// A question node.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    /// The tree whose file defines it.
    pub tree: String,
    pub ask: String,
    pub help: String,
    /// Default answer as text (a choice value or a number as typed).
    pub default: Option<String>,
    pub answer: AnswerKind,
    /// Set when this question is the same fact as another, asked there: this question is
    /// never asked and its id is retired (see [`Retired`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Retired>,
    /// Earlier answers that settle this question, first match wins: (condition, answer).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derive: Vec<(Condition, String)>,
    /// Asked first on a terminal: one of the questions that decide most of the design.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub essential: bool,
}

/// A question answered by another one (its successor): the successor's values, each mapped
/// to one of this question's values. The map is one-to-one, so an answer given under the
/// retired id maps back to exactly one value of the successor.
#[derive(Debug, Clone, Serialize)]
pub struct Retired {
    pub successor: String,
    /// Successor value → this question's value.
    pub values: BTreeMap<String, String>,
}

impl Retired {
    /// The successor's value for one of this question's values.
    pub fn successor_value(&self, value: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(_, v)| v.as_str() == value)
            .map(|(k, _)| k.as_str())
    }
}

/// What a question accepts.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// One of these values.
    Choice(Vec<ChoiceInfo>),
    /// A number of this kind within optional bounds.
    Number {
        kind: Kind,
        min: Option<f64>,
        max: Option<f64>,
    },
}

/// One choice's value and label.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceInfo {
    pub value: String,
    pub label: String,
}

/// An outcome node (a leaf of a tree).
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub tree: String,
    pub id: String,
    pub title: String,
    pub pack: Option<String>,
    pub patterns: Vec<String>,
    pub databases: Vec<String>,
    pub because: String,
    pub estimates: Vec<String>,
    pub note: Option<String>,
    /// Given by the resolution step, never by an answer (see [`Rules::fallback`]).
    pub fallback: bool,
    /// When the note applies (`note_when:`); `None`: always.
    pub note_when: Option<Box<Condition>>,
    /// What the whole answer set must grant for the outcome to stand (`requires:`).
    pub requires: Option<Box<Premise>>,
}

/// An outcome's premise (`requires:`): when `when` does not hold on the whole answer set, the
/// resolution step replaces the outcome by `otherwise` (an outcome of the same tree), else by
/// the tree's fallback, else drops its patterns, saying `why`.
#[derive(Debug, Clone, Serialize)]
pub struct Premise {
    pub when: Condition,
    pub why: String,
    pub otherwise: Option<String>,
}

/// A node of the rule graph.
#[derive(Debug, Clone)]
pub enum Node {
    Question(Question),
    Outcome(Outcome),
}

/// An edge: the answer that leads from a question to the next node.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// Position among the question's branches (choices or ranges, in file order).
    pub ordinal: usize,
    pub branch: Branch,
    /// Patterns picked up on this edge.
    pub patterns: Vec<String>,
}

/// Which answers take an edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Branch {
    /// This choice value.
    Choice(String),
    /// Numbers above `lower` (inclusive or not) and below `upper` (inclusive or not).
    Range {
        lower: Option<Bound>,
        upper: Option<Bound>,
        /// The range as the file wrote it, for messages: "below 1M".
        text: String,
    },
}

/// One end of a numeric range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bound {
    pub value: f64,
    pub inclusive: bool,
}

impl Branch {
    /// Whether a numeric answer falls in this range.
    pub fn contains(&self, v: f64) -> bool {
        match self {
            Branch::Choice(_) => false,
            Branch::Range { lower, upper, .. } => {
                let above = lower.is_none_or(|b| {
                    if b.inclusive {
                        v >= b.value
                    } else {
                        v > b.value
                    }
                });
                let below = upper.is_none_or(|b| {
                    if b.inclusive {
                        v <= b.value
                    } else {
                        v < b.value
                    }
                });
                above && below
            }
        }
    }
}

/// One tree's entry point and metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Tree {
    pub id: String,
    pub title: String,
    pub order: i64,
    pub summary: String,
    pub source: String,
    pub when: Option<Condition>,
    pub path: String,
    pub origin: Origin,
    #[serde(skip)]
    pub start: NodeIndex,
    /// Question ids defined by this file, in file order of the map (sorted).
    pub questions: Vec<String>,
    /// Outcome ids of this tree (sorted).
    pub outcomes: Vec<String>,
}

/// The whole validated rule set.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Private to the advisor: callers outside it use the queries below.
    pub(super) graph: DiGraph<Node, Edge>,
    /// Trees in walk order (by `order`, then id).
    pub trees: Vec<Tree>,
    questions: BTreeMap<String, NodeIndex>,
    outcomes: BTreeMap<(String, String), NodeIndex>,
    /// The constraints the resolution step applies: the catalog's plus a rules folder's.
    pub constraints: crate::catalog::Constraints,
}

struct Parsed {
    source: Source,
    tree: raw::Tree,
}

/// Rule files read into their raw shape, not yet checked: the part of building the rules that
/// needs no vocabulary, so it can run while the catalog loads.
#[derive(Debug)]
pub struct Read(Vec<(Source, Result<raw::Tree, crate::yaml::Error>)>);

impl Read {
    /// Parses each source.
    pub fn new(sources: Vec<Source>) -> Read {
        Read(
            sources
                .into_iter()
                .map(|s| {
                    let tree = s.parse::<raw::Tree>();
                    (s, tree)
                })
                .collect(),
        )
    }
}

impl Rules {
    /// Builds the rule set from sources read already (merged: user files override embedded
    /// ones with the same tree id), checking everything against `vocab`.
    pub fn build(read: Read, vocab: &Vocabulary) -> Result<Rules, Diagnostics> {
        let mut diags = Vec::new();
        let mut parsed = Vec::new();
        for (s, tree) in read.0 {
            match tree {
                Ok(tree) => match too_large(&tree) {
                    Some((message, at)) => diags.push(Diagnostic {
                        code: Code::TooLarge,
                        message,
                        path: s.path.clone(),
                        line: crate::yaml::locate(&s.text, &at).map(|l| l.0),
                        column: crate::yaml::locate(&s.text, &at).map(|l| l.1),
                        help: Some(format!(
                            "at most {MAX_NODES} questions and {MAX_NODES} outcomes per file, and {MAX_BRANCHES} choices or ranges per question, are accepted; split the tree"
                        )),
                    }),
                    None => parsed.push(Parsed {
                        source: s,
                        tree,
                    }),
                },
                Err(e) => diags.push(Diagnostic {
                    code: Code::ParseError,
                    message: e.message.clone(),
                    path: e.path.clone(),
                    line: e.line,
                    column: e.column,
                    help: Some("see docs/rules.md for the rule-file format".into()),
                }),
            }
        }
        let mut b = Builder {
            graph: DiGraph::new(),
            questions: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            diags,
            unlisted: 0,
            vocab,
        };
        b.add_nodes(&parsed);
        let mut trees = b.add_edges(&parsed);
        b.check_guards(&parsed);
        b.check_outcome_conditions(&parsed);
        b.check_derived(&parsed);
        b.check_structure(&trees, &parsed);
        if b.unlisted > 0 {
            b.diags.push(Diagnostic {
                code: Code::MoreProblems,
                message: format!("{} more problems are not listed", b.unlisted),
                path: "(rules)".into(),
                line: None,
                column: None,
                help: Some(format!(
                    "at most {MAX_PROBLEMS} problems are listed; fix these and run again"
                )),
            });
        }
        if !b.diags.is_empty() {
            return Err(Diagnostics(b.diags));
        }
        trees.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
        Ok(Rules {
            graph: b.graph,
            trees,
            questions: b.questions,
            outcomes: b.outcomes,
            constraints: crate::catalog::Constraints::default(),
        })
    }

    /// The node of a question id.
    pub fn question_node(&self, id: &str) -> Option<NodeIndex> {
        self.questions.get(id).copied()
    }

    /// A question by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        match &self.graph[self.question_node(id)?] {
            Node::Question(q) => Some(q),
            Node::Outcome(_) => None,
        }
    }

    /// All question ids, sorted.
    pub fn question_ids(&self) -> impl Iterator<Item = &str> {
        self.questions.keys().map(String::as_str)
    }

    /// An outcome by tree and id.
    pub fn outcome(&self, tree: &str, id: &str) -> Option<&Outcome> {
        let n = self.outcomes.get(&(tree.to_string(), id.to_string()))?;
        match &self.graph[*n] {
            Node::Outcome(o) => Some(o),
            Node::Question(_) => None,
        }
    }

    /// The node tree `tree` reaches for an answer to `question`, with the answer in that
    /// node's values: the question itself, or the tree's retired question that `question`
    /// now answers (`from:`), with the answer mapped. Paths record the question asked; the
    /// tree's diagram and its decision's options are drawn from the node it branches on.
    pub fn in_tree(&self, tree: &str, question: &str, answer: &str) -> Option<(&Question, String)> {
        let own = self.tree(tree).into_iter().flat_map(|t| t.questions.iter());
        for id in own {
            if let Some(q) = self.question(id)
                && let Some(f) = &q.from
                && f.successor == question
            {
                return Some((q, f.values.get(answer).cloned().unwrap_or_default()));
            }
        }
        self.question(question).map(|q| (q, answer.to_string()))
    }

    /// The outcomes of a tree in the order its branches lead to them from the start, then its
    /// fallback, each once.
    pub fn tree_outcomes(&self, tree: &str) -> Vec<&Outcome> {
        let Some(t) = self.tree(tree) else {
            return Vec::new();
        };
        let mut out = self.reachable_outcomes(t.start);
        out.retain(|o| o.tree == tree);
        out.extend(self.fallback(tree));
        out
    }

    /// Whether only the resolution step gives this outcome, never an answer: the tree's
    /// fallback, or the `otherwise` of another outcome's premise.
    pub fn resolution_given(&self, tree: &str, id: &str) -> bool {
        let Some(t) = self.tree(tree) else {
            return false;
        };
        t.outcomes
            .iter()
            .filter_map(|o| self.outcome(tree, o))
            .any(|o| {
                (o.id == id && o.fallback)
                    || o.requires
                        .as_ref()
                        .is_some_and(|r| r.otherwise.as_deref() == Some(id))
            })
    }

    /// The tree's fallback outcome (`fallback: true`): what the decision becomes when the
    /// resolution step drops the patterns of the outcome the walk reached and no other
    /// outcome's patterns stand (a dropped cache becomes "No cache").
    pub fn fallback(&self, tree: &str) -> Option<&Outcome> {
        let t = self.tree(tree)?;
        t.outcomes
            .iter()
            .filter_map(|id| self.outcome(tree, id))
            .find(|o| o.fallback)
    }

    /// A tree by id.
    pub fn tree(&self, id: &str) -> Option<&Tree> {
        self.trees.iter().find(|t| t.id == id)
    }

    /// The node at `n` (a question or an outcome).
    pub fn node(&self, n: NodeIndex) -> &Node {
        &self.graph[n]
    }

    /// The branch of `question` that `value` takes (a choice value, or a range as written,
    /// e.g. `below 1M`), with the node it leads to.
    pub fn branch(&self, question: &str, value: &str) -> Option<(&Edge, NodeIndex)> {
        let node = self.question_node(question)?;
        self.branches(node)
            .into_iter()
            .find(|(_, e, _)| match &e.branch {
                Branch::Choice(v) => v == value,
                Branch::Range { text, .. } => text == value,
            })
            .map(|(_, e, t)| (e, t))
    }

    /// The outcomes reachable from `from`, depth first in branch order, each once.
    pub fn reachable_outcomes(&self, from: NodeIndex) -> Vec<&Outcome> {
        let mut out: Vec<&Outcome> = Vec::new();
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            match &self.graph[n] {
                Node::Outcome(o) => {
                    if !out.iter().any(|x| std::ptr::eq(*x, o)) {
                        out.push(o);
                    }
                }
                // Reversed so that the first branch is explored first.
                Node::Question(_) => {
                    stack.extend(self.branches(n).into_iter().rev().map(|(_, _, t)| t));
                }
            }
        }
        out
    }

    /// The branches leaving a question, in file order.
    pub fn branches(&self, node: NodeIndex) -> Vec<(EdgeIndex, &Edge, NodeIndex)> {
        let mut out: Vec<_> = self
            .graph
            .edges(node)
            .map(|e| (e.id(), e.weight(), e.target()))
            .collect();
        out.sort_by_key(|(_, e, _)| e.ordinal);
        out
    }
}

struct Builder<'v> {
    graph: DiGraph<Node, Edge>,
    questions: BTreeMap<String, NodeIndex>,
    outcomes: BTreeMap<(String, String), NodeIndex>,
    diags: Vec<Diagnostic>,
    /// Problems found past [`MAX_PROBLEMS`], counted only.
    unlisted: usize,
    vocab: &'v Vocabulary,
}

/// Why a parsed tree is too large to validate, if it is, and the keys leading to the place.
fn too_large(t: &raw::Tree) -> Option<(String, Vec<&str>)> {
    if t.questions.len() > MAX_NODES {
        let m = format!("the file defines {} questions", t.questions.len());
        return Some((m, vec!["questions"]));
    }
    if t.outcomes.len() > MAX_NODES {
        let m = format!("the file defines {} outcomes", t.outcomes.len());
        return Some((m, vec!["outcomes"]));
    }
    t.questions.iter().find_map(|(id, q)| {
        let n = q.choices.len().max(q.ranges.len());
        (n > MAX_BRANCHES).then(|| {
            (
                format!("question `{id}` has {n} branches"),
                vec!["questions", id.as_str()],
            )
        })
    })
}

impl Builder<'_> {
    /// True once [`MAX_PROBLEMS`] are listed: callers skip the costly suggestion and count
    /// the problem instead.
    fn full(&mut self) -> bool {
        if self.diags.len() >= MAX_PROBLEMS {
            self.unlisted += 1;
            true
        } else {
            false
        }
    }

    fn diag(&mut self, p: &Parsed, code: Code, at: &[&str], message: String, help: Option<String>) {
        if self.full() {
            return;
        }
        let loc = crate::yaml::locate(&p.source.text, at);
        self.diags.push(Diagnostic {
            code,
            message,
            path: p.source.path.clone(),
            line: loc.map(|l| l.0),
            column: loc.map(|l| l.1),
            help,
        });
    }

    fn add_nodes(&mut self, parsed: &[Parsed]) {
        let mut first_file: BTreeMap<String, String> = BTreeMap::new();
        for p in parsed {
            let t = &p.tree;
            let stem = std::path::Path::new(&p.source.path)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            if t.id != stem {
                self.diag(
                    p,
                    Code::IdMismatch,
                    &["id"],
                    format!("tree id `{}` differs from the file name `{stem}`", t.id),
                    Some(format!(
                        "rename the file to `{}.yaml` or set `id: {stem}`",
                        t.id
                    )),
                );
            }
            for (qid, q) in &t.questions {
                if let Some(other) = first_file.get(qid) {
                    self.diag(p, Code::DuplicateQuestion, &["questions", qid],
                        format!("question `{qid}` is also defined in {other}"),
                        Some("question ids are global: define a question once and refer to it with `next:` from other trees".into()));
                    continue;
                }
                first_file.insert(qid.clone(), p.source.path.clone());
                let question = self.question_node(p, qid, q);
                let idx = self.graph.add_node(Node::Question(question));
                self.questions.insert(qid.clone(), idx);
            }
            let fallbacks: Vec<&String> = t
                .outcomes
                .iter()
                .filter(|(_, o)| o.fallback)
                .map(|(id, _)| id)
                .collect();
            if let [first, rest @ ..] = fallbacks.as_slice() {
                for other in rest {
                    self.diag(
                        p,
                        Code::DuplicateFallback,
                        &["outcomes", other, "fallback"],
                        format!("`{other}` is a second fallback outcome of tree `{}`; `{first}` is one already", t.id),
                        Some("a tree has at most one `fallback: true` outcome: keep one".into()),
                    );
                }
            }
            for (oid, o) in &t.outcomes {
                self.check_outcome_refs(p, oid, o);
                let idx = self.graph.add_node(Node::Outcome(Outcome {
                    tree: t.id.clone(),
                    id: oid.clone(),
                    title: o.title.clone(),
                    pack: o.pack.clone(),
                    patterns: o.patterns.clone(),
                    databases: o.databases.clone(),
                    because: o.because.trim().to_string(),
                    estimates: o.estimates.clone(),
                    note: o.note.clone(),
                    fallback: o.fallback,
                    note_when: o.note_when.clone().map(Box::new),
                    requires: o.requires.as_ref().map(|r| {
                        Box::new(Premise {
                            when: r.when.clone(),
                            why: r.why.trim().to_string(),
                            otherwise: r.otherwise.clone(),
                        })
                    }),
                }));
                self.outcomes.insert((t.id.clone(), oid.clone()), idx);
            }
        }
    }

    fn question_node(&mut self, p: &Parsed, qid: &str, q: &raw::Question) -> Question {
        let answer = match (&q.number, q.choices.is_empty()) {
            (Some(n), true) => {
                let min = self.bound_value(p, qid, n.kind, n.min.as_ref(), "min");
                let max = self.bound_value(p, qid, n.kind, n.max.as_ref(), "max");
                AnswerKind::Number {
                    kind: n.kind,
                    min,
                    max,
                }
            }
            (None, false) => AnswerKind::Choice(
                q.choices
                    .iter()
                    .map(|c| ChoiceInfo {
                        value: c.value.text(),
                        label: c.label.clone(),
                    })
                    .collect(),
            ),
            (Some(_), false) => {
                self.diag(p, Code::BadQuestion, &["questions", qid], format!("question `{qid}` has both `choices` and `number`"),
                    Some("a question is either a choice (`choices:`) or numeric (`number:` with `ranges:`)".into()));
                AnswerKind::Choice(Vec::new())
            }
            (None, true) => {
                self.diag(p, Code::BadQuestion, &["questions", qid], format!("question `{qid}` has neither `choices` nor `number`"),
                    Some("add `choices:` (a list of values) or `number: {{ kind: count }}` with `ranges:`".into()));
                AnswerKind::Choice(Vec::new())
            }
        };
        Question {
            id: qid.to_string(),
            tree: p.tree.id.clone(),
            ask: q.ask.trim().to_string(),
            help: q.help.trim().to_string(),
            default: q.default.as_ref().map(raw::Scalar::text),
            answer,
            from: q.from.as_ref().map(|f| Retired {
                successor: f.question.clone(),
                values: f
                    .values
                    .iter()
                    .map(|(k, v)| (k.clone(), v.text()))
                    .collect(),
            }),
            derive: q
                .derive
                .iter()
                .map(|d| (d.when.clone(), d.value.text()))
                .collect(),
            essential: q.essential,
        }
    }

    fn bound_value(
        &mut self,
        p: &Parsed,
        qid: &str,
        kind: Kind,
        s: Option<&raw::Scalar>,
        key: &str,
    ) -> Option<f64> {
        let text = s?.text();
        match kind.parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.diag(
                    p,
                    Code::BadNumber,
                    &["questions", qid, key],
                    format!("`{key}: {text}` of `{qid}`: {}", e.reason),
                    Some(format!("accepted: {}", kind.accepted())),
                );
                None
            }
        }
    }

    fn check_ids(
        &mut self,
        p: &Parsed,
        at: &[&str],
        ids: &[String],
        what: &str,
        code: Code,
        known: &BTreeSet<String>,
    ) {
        for id in ids {
            if !known.contains(id) {
                if self.full() {
                    continue;
                }
                let mut path: Vec<&str> = at.to_vec();
                path.push(id);
                let help = did_you_mean(id, known.iter().map(String::as_str))
                    .unwrap_or_else(|| format!("known {what}s: {}", list(known)));
                self.diag(p, code, &path, format!("unknown {what} `{id}`"), Some(help));
            }
        }
    }

    fn check_outcome_refs(&mut self, p: &Parsed, oid: &str, o: &raw::Outcome) {
        let vocab = self.vocab;
        let at = ["outcomes", oid];
        self.check_ids(
            p,
            &at,
            &o.patterns,
            "pattern",
            Code::UnknownPattern,
            &vocab.patterns,
        );
        self.check_ids(
            p,
            &at,
            &o.databases,
            "database",
            Code::UnknownDatabase,
            &vocab.databases,
        );
        if let Some(pack) = &o.pack {
            let packs: BTreeSet<String> = vocab.packs.iter().cloned().collect();
            self.check_ids(
                p,
                &at,
                std::slice::from_ref(pack),
                "pack",
                Code::UnknownPack,
                &packs,
            );
        }
        let est: BTreeSet<String> = ESTIMATES.iter().map(|s| s.to_string()).collect();
        self.check_ids(
            p,
            &at,
            &o.estimates,
            "estimate",
            Code::UnknownEstimate,
            &est,
        );
    }

    fn target(
        &mut self,
        p: &Parsed,
        qid: &str,
        next: &Option<String>,
        outcome: &Option<String>,
        what: &str,
    ) -> Option<NodeIndex> {
        match (next, outcome) {
            (Some(n), None) => match self.questions.get(n).copied() {
                Some(i) => Some(i),
                None if self.full() => None,
                None => {
                    let help = did_you_mean(n, self.questions.keys().map(String::as_str))
                        .unwrap_or_else(|| {
                            format!("known questions: {}", list(self.questions.keys()))
                        });
                    self.diag(
                        p,
                        Code::DanglingNext,
                        &["questions", qid, n],
                        format!("{what} of `{qid}` leads to unknown question `{n}`"),
                        Some(help),
                    );
                    None
                }
            },
            (None, Some(o)) => match self.outcomes.get(&(p.tree.id.clone(), o.clone())).copied() {
                Some(i) => Some(i),
                None if self.full() => None,
                None => {
                    let known: Vec<&str> = p.tree.outcomes.keys().map(String::as_str).collect();
                    let help = did_you_mean(o, known.iter().copied()).unwrap_or_else(|| {
                        format!("outcomes of tree `{}`: {}", p.tree.id, list(&known))
                    });
                    self.diag(
                        p,
                        Code::UnknownOutcome,
                        &["questions", qid, o],
                        format!("{what} of `{qid}` leads to unknown outcome `{o}`"),
                        Some(help),
                    );
                    None
                }
            },
            _ => {
                self.diag(
                    p,
                    Code::BadBranch,
                    &["questions", qid],
                    format!("{what} of `{qid}` needs exactly one of `next` and `outcome`"),
                    Some("`next: QUESTION` continues the walk, `outcome: ID` ends the tree".into()),
                );
                None
            }
        }
    }

    fn add_edges(&mut self, parsed: &[Parsed]) -> Vec<Tree> {
        let mut trees = Vec::new();
        for p in parsed {
            let t = &p.tree;
            for (qid, q) in &t.questions {
                let Some(&from) = self.questions.get(qid) else {
                    continue;
                };
                // A duplicate question id keeps the first file's node; skip the other's edges.
                if matches!(&self.graph[from], Node::Question(x) if x.tree != t.id) {
                    continue;
                }
                let mut seen = BTreeSet::new();
                for (i, c) in q.choices.iter().enumerate() {
                    let value = c.value.text();
                    if !seen.insert(value.clone()) {
                        self.diag(
                            p,
                            Code::DuplicateChoice,
                            &["questions", qid, &value],
                            format!("question `{qid}` lists the value `{value}` twice"),
                            Some("each choice value must be unique within its question".into()),
                        );
                    }
                    self.check_ids(
                        p,
                        &["questions", qid],
                        &c.patterns,
                        "pattern",
                        Code::UnknownPattern,
                        &self.vocab.patterns,
                    );
                    if let Some(to) =
                        self.target(p, qid, &c.next, &c.outcome, &format!("choice `{value}`"))
                    {
                        self.graph.add_edge(
                            from,
                            to,
                            Edge {
                                ordinal: i,
                                branch: Branch::Choice(value),
                                patterns: c.patterns.clone(),
                            },
                        );
                    }
                }
                if let Some(n) = &q.number {
                    self.add_ranges(p, qid, q, n.kind, from);
                } else if !q.ranges.is_empty() {
                    self.diag(
                        p,
                        Code::BadQuestion,
                        &["questions", qid, "ranges"],
                        format!("question `{qid}` has `ranges` but no `number`"),
                        Some("add `number: { kind: ... }` or use `choices`".into()),
                    );
                }
                self.check_default(p, qid, q);
            }
            let start = match self.questions.get(&t.start) {
                Some(s) => *s,
                None => {
                    let help = did_you_mean(&t.start, self.questions.keys().map(String::as_str))
                        .unwrap_or_else(|| {
                            format!("questions of this tree: {}", list(t.questions.keys()))
                        });
                    self.diag(
                        p,
                        Code::DanglingNext,
                        &["start"],
                        format!("`start` names unknown question `{}`", t.start),
                        Some(help),
                    );
                    NodeIndex::end()
                }
            };
            trees.push(Tree {
                id: t.id.clone(),
                title: t.title.clone(),
                order: t.order,
                summary: t.summary.trim().to_string(),
                source: t.source.clone(),
                when: t.when.clone(),
                path: p.source.path.clone(),
                origin: p.source.origin,
                start,
                questions: t.questions.keys().cloned().collect(),
                outcomes: t.outcomes.keys().cloned().collect(),
            });
        }
        trees
    }

    fn add_ranges(
        &mut self,
        p: &Parsed,
        qid: &str,
        q: &raw::Question,
        kind: Kind,
        from: NodeIndex,
    ) {
        if q.ranges.is_empty() {
            self.diag(
                p,
                Code::BadQuestion,
                &["questions", qid],
                format!("numeric question `{qid}` has no `ranges`"),
                Some("add at least one open range: `ranges: [ { next: QUESTION } ]`".into()),
            );
            return;
        }
        let mut lower: Option<Bound> = None;
        let last = q.ranges.len() - 1;
        for (i, r) in q.ranges.iter().enumerate() {
            let (upper, text) = match (&r.below, &r.up_to) {
                (Some(b), None) => (
                    self.parse_bound(p, qid, kind, b, false),
                    format!("below {}", b.text()),
                ),
                (None, Some(b)) => (
                    self.parse_bound(p, qid, kind, b, true),
                    format!("up to {}", b.text()),
                ),
                (None, None) => (None, "the rest".to_string()),
                (Some(_), Some(_)) => {
                    self.diag(
                        p,
                        Code::BadBranch,
                        &["questions", qid, "ranges"],
                        format!("a range of `{qid}` has both `below` and `up_to`"),
                        Some("`below: X` excludes X, `up_to: X` includes it; use one".into()),
                    );
                    (None, String::new())
                }
            };
            if let (Some(u), Some(l)) = (upper, lower) {
                let empty =
                    u.value < l.value || (u.value == l.value && !(u.inclusive && l.inclusive));
                if empty {
                    self.diag(
                        p,
                        Code::RangeOverlap,
                        &["questions", qid, "ranges"],
                        format!(
                            "range {} of `{qid}` ({text}) is empty: bounds must increase",
                            i + 1
                        ),
                        Some("list ranges from the lowest bound to the highest".into()),
                    );
                }
            }
            if upper.is_none() && r.below.is_none() && r.up_to.is_none() && i != last {
                self.diag(
                    p,
                    Code::RangeOverlap,
                    &["questions", qid, "ranges"],
                    format!(
                        "range {} of `{qid}` is open but more ranges follow it",
                        i + 1
                    ),
                    Some("only the last range may omit `below`/`up_to`".into()),
                );
            }
            if i == last && (r.below.is_some() || r.up_to.is_some()) {
                self.diag(
                    p,
                    Code::RangeGap,
                    &["questions", qid, "ranges"],
                    format!("values of `{qid}` above the last range ({text}) lead nowhere"),
                    Some(
                        "end with an open range: `- { outcome: ID }` or `- { next: QUESTION }`"
                            .into(),
                    ),
                );
            }
            self.check_ids(
                p,
                &["questions", qid],
                &r.patterns,
                "pattern",
                Code::UnknownPattern,
                &self.vocab.patterns,
            );
            if let Some(to) = self.target(p, qid, &r.next, &r.outcome, &format!("range `{text}`")) {
                let branch = Branch::Range { lower, upper, text };
                self.graph.add_edge(
                    from,
                    to,
                    Edge {
                        ordinal: i,
                        branch,
                        patterns: r.patterns.clone(),
                    },
                );
            }
            lower = upper.map(|u| Bound {
                value: u.value,
                inclusive: !u.inclusive,
            });
        }
    }

    fn parse_bound(
        &mut self,
        p: &Parsed,
        qid: &str,
        kind: Kind,
        s: &raw::Scalar,
        inclusive: bool,
    ) -> Option<Bound> {
        let text = s.text();
        match kind.parse(&text) {
            Ok(value) => Some(Bound { value, inclusive }),
            Err(e) => {
                self.diag(
                    p,
                    Code::BadNumber,
                    &["questions", qid, &text],
                    format!("range bound `{text}` of `{qid}`: {}", e.reason),
                    Some(format!("accepted: {}", kind.accepted())),
                );
                None
            }
        }
    }

    fn check_default(&mut self, p: &Parsed, qid: &str, q: &raw::Question) {
        let Some(d) = &q.default else {
            // A retired question is never asked, so it needs no default.
            if q.from.is_none() && !super::REQUIRED.contains(&qid) {
                self.diag(p, Code::MissingDefault, &["questions", qid], format!("question `{qid}` has no default"),
                    Some(format!("every question outside the core vocabulary ({}) needs a `default:` so scripted runs never stall", list(super::REQUIRED))));
            }
            return;
        };
        let text = d.text();
        if let Some(n) = &q.number {
            match n.kind.parse(&text) {
                Ok(_) => {}
                Err(e) => self.diag(
                    p,
                    Code::BadDefault,
                    &["questions", qid, "default"],
                    format!("default `{text}` of `{qid}`: {}", e.reason),
                    Some(format!("accepted: {}", n.kind.accepted())),
                ),
            }
        } else if !q.choices.iter().any(|c| c.value.text() == text) {
            let values: Vec<String> = q.choices.iter().map(|c| c.value.text()).collect();
            self.diag(
                p,
                Code::BadDefault,
                &["questions", qid, "default"],
                format!("default `{text}` of `{qid}` is not one of its choices"),
                Some(format!("choices: {}", list(&values))),
            );
        }
    }

    /// Checks `from:` (a choice successor that is not itself retired, every successor value
    /// mapped one-to-one onto this question's values) and `derive:` (known ids, valid values).
    fn check_derived(&mut self, parsed: &[Parsed]) {
        let info = self.questions_info();
        for p in parsed {
            for (qid, q) in &p.tree.questions {
                let own: Vec<String> = q.choices.iter().map(|c| c.value.text()).collect();
                if let Some(f) = &q.from {
                    self.check_from(p, qid, f, &own, &info);
                }
                for (i, d) in q.derive.iter().enumerate() {
                    let mut problems = Vec::new();
                    self.condition_problems(&d.when, &mut problems);
                    for (id, help) in problems {
                        self.diag(
                            p,
                            Code::UnknownGuardId,
                            &["questions", qid, "derive", &id],
                            format!(
                                "rule {} of `derive` of `{qid}` names unknown id `{id}`",
                                i + 1
                            ),
                            Some(help),
                        );
                    }
                    let value = d.value.text();
                    let ok = match &q.number {
                        Some(n) => n.kind.parse(&value).is_ok(),
                        None => own.contains(&value),
                    };
                    if !ok {
                        self.diag(
                            p,
                            Code::BadDefault,
                            &["questions", qid, "derive"],
                            format!("rule {} of `derive` of `{qid}` gives `{value}`, which `{qid}` does not accept", i + 1),
                            Some(format!("choices: {}", list(&own))),
                        );
                    }
                }
                if q.from.is_some() && !q.derive.is_empty() {
                    self.diag(
                        p,
                        Code::BadQuestion,
                        &["questions", qid, "derive"],
                        format!("question `{qid}` has both `from` and `derive`"),
                        Some("`from` answers it entirely from its successor; drop `derive`".into()),
                    );
                }
            }
        }
    }

    fn check_from(
        &mut self,
        p: &Parsed,
        qid: &str,
        f: &raw::Successor,
        own: &[String],
        info: &BTreeMap<String, Option<Vec<String>>>,
    ) {
        let at = ["questions", qid, "from"];
        let successor_values = match info.get(&f.question) {
            Some(Some(v)) => v.clone(),
            Some(None) => {
                self.diag(p, Code::BadQuestion, &at, format!("`from` of `{qid}` names numeric question `{}`", f.question),
                    Some("`from` maps choice values; for a number use `derive` rules with `at_least`/`below`".into()));
                return;
            }
            None => {
                let help = did_you_mean(&f.question, info.keys().map(String::as_str))
                    .unwrap_or_else(|| format!("known questions: {}", list(info.keys())));
                self.diag(
                    p,
                    Code::DanglingNext,
                    &at,
                    format!("`from` of `{qid}` names unknown question `{}`", f.question),
                    Some(help),
                );
                return;
            }
        };
        let chained = self
            .questions
            .get(&f.question)
            .is_some_and(|n| matches!(&self.graph[*n], Node::Question(x) if x.from.is_some()));
        if chained || f.question == qid {
            self.diag(
                p,
                Code::BadQuestion,
                &at,
                format!(
                    "`from` of `{qid}` names `{}`, which is itself answered by another question",
                    f.question
                ),
                Some("name the question that is actually asked".into()),
            );
        }
        let mut seen = BTreeSet::new();
        for v in &successor_values {
            match f.values.get(v) {
                None => self.diag(
                    p,
                    Code::BadQuestion,
                    &at,
                    format!("`from` of `{qid}` does not map `{}: {v}`", f.question),
                    Some(format!(
                        "map every value of `{}`: {}",
                        f.question,
                        list(&successor_values)
                    )),
                ),
                Some(mapped) => {
                    let mapped = mapped.text();
                    if !own.contains(&mapped) {
                        self.diag(p, Code::BadQuestion, &at, format!("`from` of `{qid}` maps `{v}` to `{mapped}`, not a choice of `{qid}`"),
                            Some(format!("choices: {}", list(own))));
                    } else if !seen.insert(mapped.clone()) {
                        self.diag(p, Code::BadQuestion, &at, format!("`from` of `{qid}` maps two values to `{mapped}`"),
                            Some("the map must be one-to-one so that an answer given under the retired id maps back".into()));
                    }
                }
            }
        }
        for k in f.values.keys() {
            if !successor_values.contains(k) {
                self.diag(
                    p,
                    Code::BadQuestion,
                    &at,
                    format!(
                        "`from` of `{qid}` maps `{k}`, which is not a value of `{}`",
                        f.question
                    ),
                    Some(format!(
                        "values of `{}`: {}",
                        f.question,
                        list(&successor_values)
                    )),
                );
            }
        }
    }

    fn check_guards(&mut self, parsed: &[Parsed]) {
        for p in parsed {
            if let Some(c) = &p.tree.when {
                let mut problems = Vec::new();
                self.condition_problems(c, &mut problems);
                for (id, help) in problems {
                    self.diag(
                        p,
                        Code::UnknownGuardId,
                        &["when", &id],
                        format!("the guard of tree `{}` names unknown id `{id}`", p.tree.id),
                        Some(help),
                    );
                }
            }
        }
    }

    /// Outcome premises and note conditions: known ids (questions, the resolution step's
    /// figures, outcomes, patterns, packs), and an `otherwise` that names another outcome of
    /// the same tree.
    fn check_outcome_conditions(&mut self, parsed: &[Parsed]) {
        let mut questions = self.questions_info();
        for f in super::figure::FIGURES {
            questions.insert(f.id.to_string(), None);
        }
        let outcomes = self.outcome_keys();
        for p in parsed {
            for (oid, o) in &p.tree.outcomes {
                let conditions = [
                    (o.requires.as_ref().map(|r| &r.when), "requires", "premise"),
                    (o.note_when.as_ref(), "note_when", "note condition"),
                ];
                for (c, key, what) in conditions {
                    let Some(c) = c else { continue };
                    let mut problems = Vec::new();
                    condition_problems(c, &questions, &outcomes, self.vocab, &mut problems);
                    for (id, help) in problems {
                        self.diag(
                            p,
                            Code::UnknownGuardId,
                            &["outcomes", oid, key, &id],
                            format!("the {what} of outcome `{oid}` names unknown id `{id}`"),
                            Some(help),
                        );
                    }
                }
                let Some(other) = o.requires.as_ref().and_then(|r| r.otherwise.as_ref()) else {
                    continue;
                };
                if other == oid || !p.tree.outcomes.contains_key(other) {
                    let known: Vec<&str> = p
                        .tree
                        .outcomes
                        .keys()
                        .map(String::as_str)
                        .filter(|k| k != oid)
                        .collect();
                    let help = did_you_mean(other, known.iter().copied()).unwrap_or_else(|| {
                        format!("other outcomes of tree `{}`: {}", p.tree.id, list(&known))
                    });
                    self.diag(
                        p,
                        Code::UnknownOutcome,
                        &["outcomes", oid, "requires", "otherwise"],
                        format!(
                            "the premise of outcome `{oid}` falls back to `{other}`, which is not another outcome of tree `{}`",
                            p.tree.id
                        ),
                        Some(help),
                    );
                }
            }
        }
    }

    /// Unknown ids in a condition, with a help line each. Also used for anti-pattern detectors.
    fn condition_problems(&self, c: &Condition, out: &mut Vec<(String, String)>) {
        condition_problems(
            c,
            &self.questions_info(),
            &self.outcome_keys(),
            self.vocab,
            out,
        );
    }

    /// Question ids with their choice values, and the figures derived from the answers
    /// (numeric): guards and `derive:` rules may test either.
    fn questions_info(&self) -> BTreeMap<String, Option<Vec<String>>> {
        let mut info = choice_values(&self.graph, &self.questions);
        for f in super::figure::FIGURES {
            info.entry(f.id.to_string()).or_insert(None);
        }
        info
    }

    fn outcome_keys(&self) -> BTreeSet<String> {
        self.outcomes
            .keys()
            .map(|(t, o)| format!("{t}.{o}"))
            .collect()
    }

    fn check_structure(&mut self, trees: &[Tree], parsed: &[Parsed]) {
        if self.diags.iter().any(|d| d.code == Code::ParseError) && parsed.is_empty() {
            return;
        }
        // Cycles: any strongly connected component with more than one node, or a self-loop.
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            let self_loop = scc.len() == 1 && self.graph.find_edge(scc[0], scc[0]).is_some();
            if scc.len() > 1 || self_loop {
                let mut ids: Vec<String> = scc
                    .iter()
                    .filter_map(|n| match &self.graph[*n] {
                        Node::Question(q) => Some(q.id.clone()),
                        Node::Outcome(_) => None,
                    })
                    .collect();
                ids.sort();
                let q = self.graph[scc[0]].clone();
                if let Node::Question(q) = q
                    && let Some(p) = parsed.iter().find(|p| p.tree.id == q.tree)
                {
                    self.diag(
                        p,
                        Code::Cycle,
                        &["questions", &q.id],
                        format!("questions {} lead back to each other", list(&ids)),
                        Some(
                            "a walk must always move forward: break the loop with an outcome"
                                .into(),
                        ),
                    );
                }
            }
        }
        // Reachability from every tree start.
        let mut reached = vec![false; self.graph.node_count()];
        for t in trees {
            if t.start == NodeIndex::end() {
                continue;
            }
            let mut dfs = Dfs::new(&self.graph, t.start);
            while let Some(n) = dfs.next(&self.graph) {
                reached[n.index()] = true;
            }
        }
        // Outcomes a failed premise leads to are the resolution step's to give too.
        let given: BTreeSet<(String, String)> = self
            .graph
            .node_weights()
            .filter_map(|n| match n {
                Node::Outcome(o) => o
                    .requires
                    .as_ref()
                    .and_then(|r| r.otherwise.clone())
                    .map(|x| (o.tree.clone(), x)),
                Node::Question(_) => None,
            })
            .collect();
        for n in self.graph.node_indices() {
            // A fallback outcome is the resolution step's to give, never an answer's.
            if reached[n.index()]
                || matches!(&self.graph[n], Node::Outcome(o)
                    if o.fallback || given.contains(&(o.tree.clone(), o.id.clone())))
            {
                continue;
            }
            let (tree, id, code, key) = match &self.graph[n] {
                Node::Question(q) => (
                    q.tree.clone(),
                    q.id.clone(),
                    Code::UnreachableQuestion,
                    "questions",
                ),
                Node::Outcome(o) => (
                    o.tree.clone(),
                    o.id.clone(),
                    Code::UnreachableOutcome,
                    "outcomes",
                ),
            };
            if let Some(p) = parsed.iter().find(|p| p.tree.id == tree) {
                self.diag(
                    p,
                    code,
                    &[key, &id],
                    format!("`{id}` cannot be reached from any tree's `start`"),
                    Some("lead to it with `next:`/`outcome:` from a question, or remove it".into()),
                );
            }
        }
    }
}

/// Collects unknown ids named by a condition, with a help line for each.
pub fn condition_problems(
    c: &Condition,
    questions: &BTreeMap<String, Option<Vec<String>>>,
    outcomes: &BTreeSet<String>,
    vocab: &Vocabulary,
    out: &mut Vec<(String, String)>,
) {
    let mut unknown = |id: &str, known: Vec<&str>, what: &str| {
        let help = did_you_mean(id, known.iter().copied())
            .unwrap_or_else(|| format!("known {what}s: {}", list(&known)));
        out.push((id.to_string(), help));
    };
    match c {
        Condition::Pack(p) => {
            if !vocab.packs.contains(p) {
                unknown(p, vocab.packs.iter().map(String::as_str).collect(), "pack");
            }
        }
        Condition::Pattern(p) => {
            if !vocab.patterns.contains(p) {
                unknown(
                    p,
                    vocab.patterns.iter().map(String::as_str).collect(),
                    "pattern",
                );
            }
        }
        Condition::Outcome(o) => {
            if !outcomes.contains(o) {
                unknown(
                    o,
                    outcomes.iter().map(String::as_str).collect(),
                    "outcome (tree.outcome)",
                );
            }
        }
        Condition::Answer(t) => match questions.get(&t.id) {
            None => unknown(
                &t.id,
                questions.keys().map(String::as_str).collect(),
                "question",
            ),
            Some(Some(values)) => {
                let named = t.is.iter().chain(t.one_of.iter().flatten());
                for v in named {
                    if !values.contains(v) {
                        out.push((
                            v.clone(),
                            format!("choices of `{}`: {}", t.id, list(values)),
                        ));
                    }
                }
            }
            Some(None) => {}
        },
        Condition::Not(c) => condition_problems(c, questions, outcomes, vocab, out),
        Condition::All(cs) | Condition::Any(cs) => {
            for c in cs {
                condition_problems(c, questions, outcomes, vocab, out);
            }
        }
    }
}

impl Rules {
    /// Unknown ids named by each of `conditions`, written outside the rules (e.g. anti-pattern
    /// detectors), with a help line each: one list per condition, in order.
    /// Besides question ids, a condition checked here may name the figures the resolution step
    /// derives from the answers ([`super::figure::FIGURES`]).
    pub fn condition_problems<'c>(
        &self,
        conditions: impl IntoIterator<Item = &'c Condition>,
        vocab: &Vocabulary,
    ) -> Vec<Vec<(String, String)>> {
        let mut questions = choice_values(&self.graph, &self.questions);
        for f in super::figure::FIGURES {
            questions.insert(f.id.to_string(), None);
        }
        let outcomes = self
            .outcomes
            .keys()
            .map(|(t, o)| format!("{t}.{o}"))
            .collect();
        conditions
            .into_iter()
            .map(|c| {
                let mut out = Vec::new();
                condition_problems(c, &questions, &outcomes, vocab, &mut out);
                out
            })
            .collect()
    }
}

/// Each question id with its choice values (`None` for numeric questions), for checking the
/// ids and values a condition names.
fn choice_values(
    graph: &DiGraph<Node, Edge>,
    questions: &BTreeMap<String, NodeIndex>,
) -> BTreeMap<String, Option<Vec<String>>> {
    questions
        .iter()
        .map(|(id, n)| {
            let values = match &graph[*n] {
                Node::Question(Question {
                    answer: AnswerKind::Choice(c),
                    ..
                }) => Some(c.iter().map(|c| c.value.clone()).collect()),
                _ => None,
            };
            (id.clone(), values)
        })
        .collect()
}
